"""`quiz plan`: exam dates set, moved, listed and removed, checked against the store; the plan's figures and
advice; bad input refused with what to do, nothing stored."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from quiz.core.cardstate import CardState
from quiz.core.examdates import ExamDate, read_exam_dates
from quiz.core.examplan import points_short, share_of
from quiz.core.examplantext import HELP
from quiz.core.model import Grade, Mode
from quiz.core.store import Store
from tests.conftest import basic_deck_yaml
from tests.conftest import run_cli as run


@pytest.fixture(autouse=True)
def _now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZ_NOW", "2026-03-02T10:00:00Z")


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "a.yaml").write_text(basic_deck_yaml(60, "a"), encoding="utf-8")
    return folder


def plan(capsys, data: Path, decks: Path, *args: str) -> tuple[int, str, str]:
    return run(capsys, "--data-dir", str(data), "--deck", str(decks), "plan", *args)


def stored(data: Path) -> list[ExamDate]:
    store = Store.in_folder(data)
    try:
        return read_exam_dates(store)
    finally:
        store.close()


def test_an_exam_is_set_shown_moved_and_removed(capsys, data: Path, decks: Path) -> None:
    code, out, err = plan(capsys, data, decks, "a/t0", "--exam", "2026-03-12", "--target", "0.95")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "a/t0: exam on 2026-03-12 (in 10 days), target 95%"
    assert "  cards:                      30" in lines
    # a card introduced on the eve would not reach 95 % on the day: 30 cards over the 9 days to the 10th
    assert "  new cards per day needed:   4 (limit 20), the last by 2026-03-10" in lines
    assert "  on track" in lines
    assert lines[-10:][0].startswith("  2026-03-02 ") and lines[-1].startswith(
        "  2026-03-11 "
    )  # each day until the exam
    assert stored(data) == [ExamDate("a", "t0", date(2026, 3, 12), 0.95)]

    code, out, err = plan(capsys, data, decks, "a/t0", "--exam", "2026-03-20")  # moved; the target kept
    assert code == 0, err
    assert stored(data) == [ExamDate("a", "t0", date(2026, 3, 20), 0.95)]
    code, out, err = plan(capsys, data, decks, "a", "--exam", "2026-03-04")  # a second exam: the whole deck
    assert code == 0, err
    assert "out of reach within the limits" in out and "  raise new cards per day from 20 to 30" in out
    code, out, err = plan(capsys, data, decks)
    assert code == 0, err
    headlines = [line for line in out.splitlines() if not line.startswith("  ")]
    assert headlines == [
        "a: exam on 2026-03-04 (in 2 days), target 90%",
        "a/t0: exam on 2026-03-20 (in 18 days), target 95%",
    ]
    code, out, err = plan(capsys, data, decks, "a", "--remove")
    assert (code, out) == (0, "a: exam date removed; its cards are scheduled as usual\n"), err
    assert [exam.scope for exam in stored(data)] == ["a/t0"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("b", "--exam", "2026-04-01"), "no loaded deck has the id 'b': `quiz list` shows the deck ids"),
        (("a/t9", "--exam", "2026-04-01"), "deck 'a' has no topic 't9'; its topics: t0, t1"),
        (("a", "--exam", "1 April"), "'1 April' is not a date: write it as YYYY-MM-DD"),
        (("a", "--exam", "2026-03-02"), "the exam day 2026-03-02 is not after today (2026-03-02)"),
        # written as asked, so "write it as YYYY-MM-DD" would not help: the day is not in the calendar
        (("a", "--exam", "2027-02-29"), "'2027-02-29' is no day of the calendar (day is out of range for month)"),
        (("a", "--exam", "2027-04-31"), "'2027-04-31' is no day of the calendar"),
        # stored, it made every later plan a traceback (its intervals ran past year 9999)
        (
            ("a", "--exam", "9999-12-31"),
            "the exam day 9999-12-31 is more than 36500 days ahead: give a date by 2126-02-06",
        ),
        (("a", "--exam", "2026-04-01", "--target", "95"), "the target is a predicted recall from 0.7 to 0.99"),
        (
            ("a", "--target", "0.95"),
            "a has no exam date yet: give one with `quiz plan a --exam YYYY-MM-DD --target 0.95`",
        ),
        (("a", "--remove"), "a has no exam date; `quiz plan` lists them"),
        (("--exam", "2026-04-01"), "name the exam: `quiz plan DECK[/TOPIC] --exam YYYY-MM-DD --target 0.95`"),
        (("--remove",), "name the exam to remove: `quiz plan DECK[/TOPIC] --remove`"),
        # --exam was ignored and the exam removed, "exam date removed" the only word of it
        (("a", "--exam", "2026-04-01", "--remove"), "--remove forgets the exam, --exam and --target set it"),
    ],
)
def test_bad_input_says_what_to_do_and_stores_nothing(capsys, data: Path, decks: Path, args, says: str) -> None:
    code, out, err = plan(capsys, data, decks, *args)
    # each command said names the data folder, as --data-dir did
    says = says.replace("`quiz ", f"`quiz --data-dir {data} ")
    assert code == 1 and out == "" and err.startswith("quiz: ") and says in err
    assert stored(data) == []


@pytest.mark.parametrize(
    ("scope", "says"),
    [("a/T0", "deck 'a' has no topic 'T0'; its topics: t0, t1"), ("A", "no loaded deck has the id 'A'")],
)
def test_the_plan_of_a_topic_or_deck_that_is_not_there_says_so(capsys, data: Path, decks: Path, scope, says) -> None:
    """`quiz plan a/T0` (the topic's title, not its id) said "a/T0 has no exam date: set one with --exam", and
    setting one was then refused: it names the topics, or the deck that is not loaded, at once."""
    assert plan(capsys, data, decks, "a", "--exam", "2026-04-01")[0] == 0
    code, out, err = plan(capsys, data, decks, scope)
    assert code == 1 and out == "" and says in err and "no exam date" not in err


def test_a_plan_not_there_gives_the_whole_command_that_sets_it(capsys, data: Path, decks: Path) -> None:
    """It said "set one with --exam YYYY-MM-DD --target 0.95": half a command, to be put together by hand."""
    assert plan(capsys, data, decks, "a", "--exam", "2026-04-01")[0] == 0
    code, out, err = plan(capsys, data, decks, "a/t1")
    told = f"a/t1 has no exam date: set one with `quiz --data-dir {data} plan a/t1 --exam YYYY-MM-DD --target 0.95`"
    assert code == 1 and out == "" and told in err


def test_every_figure_is_explained_in_the_help(capsys, data: Path, decks: Path) -> None:
    code, out, _ = plan(capsys, data, decks, "--help")
    assert code == 0
    flat = " ".join(out.split())
    for label, meaning in HELP.items():
        assert f"{label}: {' '.join(meaning.split())}" in flat
    # as the plan says on the exam day itself ("the exam day has come, normal scheduling resumed"): it said
    # "after the exam day", a day later than the scheduler resumes
    assert "from the exam day on normal scheduling resumes" in flat


def test_the_pace_says_when_new_cards_cannot_reach_the_target_and_hides_once_the_exam_has_passed(
    capsys, data: Path, decks: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 99 % three days ahead even a card introduced today falls short: no "last by" date, but by how much.
    After the exam day: no pace and no advice, the exam passed."""
    code, out, err = plan(capsys, data, decks, "a/t0", "--exam", "2026-03-05", "--target", "0.99")
    assert code == 0, err
    (pace,) = [line for line in out.splitlines() if line.startswith("  new cards per day needed:")]
    assert "the last by" not in pace
    assert pace.endswith(
        "30 (limit 20): every one today, yet the target is out of reach for new cards: one introduced today "
        "is predicted at 98.7% on the exam day, 0.3 points short of 99%"
    )
    monkeypatch.setenv("QUIZ_NOW", "2026-03-07T10:00:00Z")
    code, out, err = plan(capsys, data, decks, "a/t0")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "a/t0: exam on 2026-03-05 (passed), target 99%"
    assert "new cards per day needed" not in out  # no figure once passed
    # passed, it is listed until removed: the plan says how
    assert lines[-1] == (
        f"  the exam day has come, normal scheduling resumed; to stop listing it: `quiz --data-dir {data} plan"
        " a/t0 --remove`"
    )
    assert "short" not in out
    monkeypatch.setenv("QUIZ_NOW", "2026-03-05T07:00:00Z")  # the morning of the exam: not passed yet
    code, out, err = plan(capsys, data, decks, "a/t0")
    assert code == 0, err
    assert out.splitlines()[0] == "a/t0: exam on 2026-03-05 (today), target 99%"
    assert out.splitlines()[-1] == "  the exam day has come, normal scheduling resumed"


def test_exams_on_two_topics_that_fit_the_limit_each_but_not_together_are_warned(
    capsys, data: Path, decks: Path
) -> None:
    """t0 in 2 days: 15 a day, t1 in 4 days: 8 a day; each fits the limit of 20, together 23 do not."""
    code, out, err = plan(capsys, data, decks, "a/t1", "--exam", "2026-03-06")
    assert code == 0, err
    assert "  new cards per day needed:   8 (limit 20), the last by 2026-03-05" in out.splitlines()
    assert "together" not in out  # one exam: its own pace is compared with the limit
    code, out, err = plan(capsys, data, decks, "a/t0", "--exam", "2026-03-04")
    assert code == 0, err
    code, out, err = plan(capsys, data, decks)
    warning = (
        "  the exams on this deck's topics need 23 new cards a day together, above its limit of 20: the nearest "
        "takes its pace first and a later one falls behind; raise new cards per day to 23"
    )
    assert code == 0 and out.splitlines().count(warning) == 2, err  # under each of the two plans


def test_a_card_answered_later_than_now_is_planned_not_a_crash(capsys, data: Path, decks: Path) -> None:
    """An answer logged after this machine's now (another machine's clock ahead, synced; an import; QUIZ_NOW
    set back) once crashed the plan (and the app's exam-date screen) in the engine, given negative days."""
    later = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)  # now is 2026-03-02 (QUIZ_NOW above)
    learning = later + timedelta(minutes=10)  # in its steps: the plan answers it today, 3 days before its last
    state = CardState("basic", 1, step=1, stability=3.0, difficulty=5.0, due=learning, last_review=later, reps=1)
    store = Store.in_folder(data)
    store.record_review("a", "c0", Grade.GOOD, later, 3000, Mode.REVIEW, None, state)
    store.close()
    code, out, err = plan(capsys, data, decks, "a/t0", "--exam", "2026-03-12")
    assert code == 0, err
    assert out.startswith("a/t0: exam on 2026-03-12 (in 10 days)") and "  not studied yet:            29" in out


def test_an_exam_as_far_ahead_as_allowed_is_planned(capsys, data: Path, decks: Path) -> None:
    """The furthest day taken (a century ahead, the longest interval) gets its plan, and the list of exams too."""
    code, out, err = plan(capsys, data, decks, "a", "--exam", "2126-02-06")
    assert code == 0, err
    assert out.startswith("a: exam on 2126-02-06 (in 36500 days), target 90%\n")
    code, out, err = plan(capsys, data, decks)
    assert code == 0 and err == "" and "on track" in out


def test_an_exam_kept_by_an_older_quiz_at_9999_12_31_is_named_not_planned(capsys, data: Path, decks: Path) -> None:
    """An older quiz took 9999-12-31, and every plan then ran off the calendar; sync can still bring one. It is
    left out of the plans, but named, with the commands that move or remove it: `quiz plan` listed nothing of
    it and `quiz plan a` said "a has no exam date", so nobody knew to remove it."""
    assert plan(capsys, data, decks, "a/t0", "--exam", "2026-04-01")[0] == 0
    store = Store.in_folder(data)
    try:
        store.save_exam_date("a", "", "9999-12-31", 0.9)
    finally:
        store.close()
    code, out, err = plan(capsys, data, decks)
    assert (code, err) == (0, "") and out.startswith("a/t0: exam on 2026-04-01")
    too_far = (
        "a: exam on 9999-12-31, too far ahead to plan (a day quiz takes is at most 36500 days ahead): move it"
        f" with `quiz --data-dir {data} plan a --exam YYYY-MM-DD` or remove it with `quiz --data-dir {data} plan a"
        " --remove`"
    )
    assert out.splitlines()[-1] == too_far
    code, out, err = plan(capsys, data, decks, "a")
    assert (code, out, err) == (1, "", f"quiz: {too_far}\n")
    assert plan(capsys, data, decks, "a", "--remove")[0] == 0
    store = Store.in_folder(data)
    try:
        assert store.exam_dates() == [("a", "t0", "2026-04-01", 0.9)]
    finally:
        store.close()


def test_a_prediction_just_short_of_the_target_is_not_rounded_up_to_it(capsys, data: Path, decks: Path) -> None:
    """The exam tomorrow at 95 %: a card introduced tonight is predicted at 94.7 % on the day. The plan said
    "predicted on the exam day: 95%", then "out of reach, 0 points short of 95% (at most 95% without limits)"."""
    assert run(capsys, "--data-dir", str(data), "preset", "set", "Default", "new_per_day=30")[0] == 0
    code, out, err = plan(capsys, data, decks, "a/t0", "--exam", "2026-03-03", "--target", "0.95")
    assert code == 0, err
    assert "  predicted on the exam day:  94.7%" in out.splitlines()
    assert "  out of reach, 0.3 points short of 95% (at most 94.7% without limits): too few days" in out


def test_a_prediction_a_hair_short_of_the_target_is_not_shown_reaching_it(capsys, data: Path, decks: Path) -> None:
    """A card introduced tonight is predicted at 94.68 % tomorrow; against a target of 94.69 % the plan said
    "target 95%", "predicted at 94.7%", "0.0 points short": short, yet shown at or above the target, by
    nothing, and the target not the one typed."""
    assert run(capsys, "--data-dir", str(data), "preset", "set", "Default", "new_per_day=30")[0] == 0
    code, out, err = plan(capsys, data, decks, "a/t0", "--exam", "2026-03-03", "--target", "0.9469")
    assert code == 0, err
    assert out.startswith("a/t0: exam on 2026-03-03 (tomorrow), target 94.69%\n")
    assert "  predicted on the exam day:  94.68%" in out.splitlines()
    assert "one introduced today is predicted at 94.68% on the exam day, 0.01 points short of 94.69%" in out
    assert "  out of reach, 0.01 points short of 94.69% (at most 94.68% without limits)" in out
    assert "0.0 points" not in out and "95%" not in out


@pytest.mark.parametrize(
    ("share", "target", "shown", "short"),
    [
        (0.947, 0.95, "94.7%", "0.3"),
        (0.9496, 0.95, "94.96%", "0.04"),  # "95.0%", "0.0 points short" to one decimal
        (0.94999, 0.95, "94.99%", "under 0.01"),  # "95.00%" even to two
        (0.93, 0.95, "93%", "2"),
    ],
)
def test_a_share_short_of_the_target_reads_below_it(share: float, target: float, shown: str, short: str) -> None:
    assert (share_of(share, target), points_short(share, target)) == (shown, short)


def test_a_passed_exam_shows_what_happened_not_a_prediction(
    capsys, data: Path, decks: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the exam day the plan showed "predicted on the exam day" and "busiest day: 0", worked back from
    today's memory states: meaningless. It shows that the exam passed, and the last exam-mode result on its
    topic taken by the end of the day (one taken after it is not the exam's)."""
    code, out, err = plan(capsys, data, decks, "a/t0", "--exam", "2026-03-05")
    assert code == 0, err
    store = Store.in_folder(data)
    try:
        for taken, per_topic in (
            ("2026-03-04T10:00:00Z", {"t0": [3, 4], "t1": [0, 2]}),
            ("2026-03-06T10:00:00Z", {"t0": [1, 4]}),
        ):
            right = sum(r for r, _ in per_topic.values())
            asked = sum(n for _, n in per_topic.values())
            detail = {"deck": "a", "unanswered": 0, "per_topic": per_topic, "mistakes": []}
            store.save_exam(datetime.fromisoformat(taken), "a", right, asked, 60.0, detail)
    finally:
        store.close()
    monkeypatch.setenv("QUIZ_NOW", "2026-03-07T10:00:00Z")
    code, out, err = plan(capsys, data, decks, "a/t0")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "a/t0: exam on 2026-03-05 (passed), target 90%"
    assert not any(label in out for label in HELP)  # no figure: each predicts or plans
    assert lines[1] == "  last exam-mode result: 3 of 4 right (75%), taken on 2026-03-04"
    assert lines[2].startswith("  the exam day has come, normal scheduling resumed; to stop listing it:")
    code, out, err = plan(capsys, data, decks, "a/t1", "--exam", "2026-03-20")  # another topic's exam ahead
    assert code == 0, err
    assert "exam-mode result" not in out  # it has not passed: its plan, as before


def test_a_passed_deck_exam_shows_no_result_of_an_exam_on_some_of_its_topics(
    capsys, data: Path, decks: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exam-mode run on topic t0 alone, 4 of 4 right on the exam day, was shown as the whole deck's result:
    the deck's exam shows the last run on all its topics; t0's exam shows the run on t0."""
    for scope in ("a", "a/t0"):
        assert plan(capsys, data, decks, scope, "--exam", "2026-03-05")[0] == 0
    store = Store.in_folder(data)
    try:
        for taken, title, per_topic in (
            ("2026-03-04T10:00:00Z", "Deck a", {"t0": (10, 20), "t1": (5, 20)}),
            ("2026-03-05T10:00:00Z", "Deck a: t0", {"t0": (4, 4)}),  # as the exam screen titles it
        ):
            right, asked = sum(r for r, _ in per_topic.values()), sum(n for _, n in per_topic.values())
            detail = {"deck": "a", "unanswered": 0, "per_topic": per_topic, "mistakes": []}
            store.save_exam(datetime.fromisoformat(taken), title, right, asked, 60.0, detail)
    finally:
        store.close()
    monkeypatch.setenv("QUIZ_NOW", "2026-03-07T10:00:00Z")
    code, out, err = plan(capsys, data, decks, "a")
    assert code == 0, err
    assert out.splitlines()[1] == "  last exam-mode result: 15 of 40 right (38%), taken on 2026-03-04"
    code, out, err = plan(capsys, data, decks, "a/t0")
    assert code == 0, err
    assert out.splitlines()[1] == "  last exam-mode result: 4 of 4 right (100%), taken on the exam day"


def test_a_whole_deck_exam_says_its_days_take_new_cards_up_to_the_limit_as_the_table_shows(
    capsys, data: Path, decks: Path
) -> None:
    """A user read "new cards per day needed: 6 (limit 20)" and "each day's study takes this many of them
    first", then a day table of 20, 20, 20: a whole deck's sessions take new cards up to the limit (the pace is
    the least that is enough). The figure says so and its help no longer promises the pace a day."""
    code, out, err = plan(capsys, data, decks, "a", "--exam", "2026-03-30")
    assert code == 0, err
    (pace,) = [line for line in out.splitlines() if line.startswith("  new cards per day needed:")]
    new_by_day = [int(line.split()[-1]) for line in out.splitlines() if line.startswith("  2026-")]
    assert new_by_day[:3] == [20, 20, 20]
    assert pace.startswith("  new cards per day needed:   3 (limit 20), the last by ")
    assert pace.endswith("; a whole deck's sessions take up to 20 a day (the days below)")
    assert "each day's study takes this many of them first" not in HELP["new cards per day needed"]


def test_the_plans_recall_now_names_all_cards_unlike_stats_recall_of_the_studied(
    capsys, data: Path, decks: Path
) -> None:
    """ "recalled now: 0%" beside Stats' "Recall now 93%" read as the same figure: the plan's counts every card,
    the ones not studied yet as not recalled, and says so in its name."""
    code, out, err = plan(capsys, data, decks, "a", "--exam", "2026-03-30")
    assert code == 0, err
    (line,) = [line for line in out.splitlines() if "recalled now" in line]
    assert line == "  of all cards, recalled now: 0% (cards not studied yet count as not recalled)"
