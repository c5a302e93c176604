"""`quiz optimize`: a simulated learner whose memory follows known FSRS parameters, far from the defaults,
studies a deck with quiz (default parameters) for two months; fitting its review log must give parameters
that predict its later answers better than the defaults (log loss and RMSE on the held-out latest fifth),
which the preset keeps across a restart. Too little history is refused with how many more answers are
needed; --reschedule backs up first, and restoring that backup undoes it."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS, FSRSItem, FSRSReview, MemoryState

from quiz.core.backupfolder import list_backups
from quiz.core.cardstate import NEW, CardState
from quiz.core.clock import day_end
from quiz.core.events import card_number
from quiz.core.model import Grade, Mode
from quiz.core.optimizer import FEWEST_ITEMS, Fit, Score, fitting_answer, milliseconds, training_items
from quiz.core.presets import DEFAULT, read_preset
from quiz.core.scheduler import Scheduler
from quiz.core.settings import Settings
from quiz.core.store import ImportedAnswer, ImportedCard, Store, StoreCorruptError, state_tuple
from tests.conftest import basic_deck_yaml, run_cli

START = datetime(2026, 1, 5, 10, tzinfo=UTC)
DAYS = 60
# The learner remembers far better than FSRS's defaults assume: first stabilities four times as long.
TRUE_PARAMETERS = [w * 4 if index < 4 else w for index, w in enumerate(DEFAULT_PARAMETERS)]


def _recall(memory: MemoryState, days: float, decay: float) -> float:
    """FSRS-6's forgetting curve: the chance of recall `days` after the last answer."""
    factor = 0.9 ** (-1 / decay) - 1
    return (1 + factor * days / memory.stability) ** -decay


def simulate(cards: list[str], deck_id: str, days: int = DAYS, new_per_day: int = 12, seed: int = 1) -> list:
    """Each card's history, studied with quiz's scheduler (default parameters, no steps, no fuzz), answered
    by a learner whose recall follows TRUE_PARAMETERS."""
    rng = random.Random(seed)
    truth = FSRS(TRUE_PARAMETERS)
    scheduler = Scheduler(Settings(fuzz=False, learning_steps_minutes=(), relearning_steps_minutes=()))
    states: dict[str, CardState] = {}
    memory: dict[str, MemoryState] = {}
    answers: dict[str, list[ImportedAnswer]] = {key: [] for key in cards}
    waiting = list(cards)
    for day in range(days):
        now = START + timedelta(days=day)
        for key in waiting[:new_per_day]:
            states[key] = CardState(kind="basic")
        waiting = waiting[new_per_day:]
        end = now + timedelta(hours=12)
        while True:
            due = [key for key, state in states.items() if state.due is None or state.due <= now]
            if not due:
                later = [state.due for state in states.values() if state.due is not None and now < state.due < end]
                if not later:
                    break
                now = min(later)
                continue
            for key in due:
                state = states[key]
                if state.is_new:
                    grade = Grade(rng.choices([1, 2, 3, 4], [0.15, 0.1, 0.6, 0.15])[0])
                    elapsed = 0
                else:
                    assert state.last_review is not None
                    gap = (now - state.last_review) / timedelta(days=1)
                    recalled = rng.random() < _recall(memory[key], gap, TRUE_PARAMETERS[20])
                    grade = Grade(rng.choices([2, 3, 4], [0.1, 0.8, 0.1])[0]) if recalled else Grade.AGAIN
                    elapsed = (scheduler.day_end(now) - state.last_review) // timedelta(days=1)
                before = None if state.is_new else memory[key]
                memory[key] = getattr(truth.next_states(before, 0.9, elapsed), grade.name.lower()).memory
                after = scheduler.review(card_number(deck_id, key), state, grade, now)
                before = None if state.is_new else state_tuple(state)
                answers[key].append(ImportedAnswer(grade, now, 4000, before, state_tuple(after)))
                states[key] = after
            now += timedelta(seconds=1)
    return [ImportedCard(key, tuple(answers[key]), states.get(key), 0) for key in cards if answers[key]]


@pytest.fixture
def studied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A data folder holding two months of the learner's answers to deck `a`, and the deck folder."""
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "a.yaml").write_text(basic_deck_yaml(400, "a"), encoding="utf-8")
    store = Store.in_folder(tmp_path / "data")
    store.import_history("a", simulate([f"c{i}" for i in range(400)], "a"), lambda: None)
    store.close()
    monkeypatch.setenv("QUIZ_NOW", (START + timedelta(days=DAYS)).isoformat())
    return tmp_path / "data", decks


def test_fitted_parameters_beat_the_defaults_and_survive_a_restart(capsys, studied: tuple[Path, Path]) -> None:
    data, decks = studied
    code, out, err = run_cli(capsys, "--data-dir", str(data), "--deck", str(decks), "optimize")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("Default: ") and "fitted on the earlier ones, tested on the latest fifth" in lines[0]
    before_after = {line.split()[0]: line.split() for line in lines[1:3]}
    log_loss, rmse = before_after["log"], before_after["RMSE"]
    assert float(log_loss[-1]) < float(log_loss[-3]) and float(rmse[-1]) < float(rmse[-3])
    assert lines[3] == "  kept: Default now schedules with the new parameters"
    store = Store.in_folder(data)  # a restart: the preset holds them
    fitted = read_preset(store, DEFAULT).fsrs_parameters
    assert len(fitted) == 21 and fitted != tuple(DEFAULT_PARAMETERS)
    assert fitted[0] > DEFAULT_PARAMETERS[0] * 2  # it learnt that first answers are remembered far longer
    assert Scheduler(store.settings()).parameters == fitted
    store.close()


def test_too_little_history_keeps_the_defaults_and_says_how_many_more(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "a.yaml").write_text(basic_deck_yaml(3, "a"), encoding="utf-8")
    store = Store.in_folder(tmp_path / "data")
    store.import_history("a", simulate(["c0", "c1", "c2"], "a", days=6), lambda: None)
    items = len(training_items(store.fitting_answers(["a"]), START + timedelta(days=7)))
    store.close()
    assert 0 < items < FEWEST_ITEMS
    monkeypatch.setenv("QUIZ_NOW", (START + timedelta(days=6)).isoformat())
    code, out, err = run_cli(capsys, "--data-dir", str(tmp_path / "data"), "--deck", str(decks), "optimize", "a")
    assert code == 0, err
    assert out.startswith(f"Default: {items} answers usable for fitting; {FEWEST_ITEMS - items} more needed")
    assert out.rstrip().endswith("it keeps FSRS's default parameters")
    store = Store.in_folder(tmp_path / "data")
    assert store.settings().fsrs_parameters == ()
    store.close()


@pytest.mark.parametrize(
    ("after", "kept"),
    [((0.30, 0.05), True), ((0.30, 0.09), False), ((0.50, 0.05), False), ((0.40, 0.08), False)],
)
def test_new_parameters_are_kept_only_when_both_measures_improve(after: tuple[float, float], kept: bool) -> None:
    result = Fit(100, 0, Score(0.40, 0.08), Score(*after), tuple(DEFAULT_PARAMETERS))
    assert result.adopted is kept


def test_reschedule_backs_up_first_and_the_backup_undoes_it(capsys, studied: tuple[Path, Path]) -> None:
    data, decks = studied
    store = Store.in_folder(data)
    before = store.states("a")
    store.close()
    code, out, err = run_cli(capsys, "--data-dir", str(data), "--deck", str(decks), "optimize", "--reschedule")
    assert code == 0, err
    backup_line = next(line for line in out.splitlines() if line.startswith("backed up the store as "))
    name = backup_line.split()[5]
    assert "Default: rescheduled " in out
    store = Store.in_folder(data)
    after = store.states("a")
    assert [b.name for b in list_backups(store.path)] == [name]
    moved = [key for key in before if before[key].due != after[key].due]
    assert len(moved) > 100 and all(after[key].is_review and before[key].is_review for key in moved)
    assert all(before[key] == after[key] for key in before if not before[key].is_review)  # learning ones stay
    fitted = FSRS(list(read_preset(store, DEFAULT).fsrs_parameters))
    end_of_day = day_end(START + timedelta(days=DAYS))
    for key in moved[:30]:  # each from its own answers with the new parameters, then that memory's interval
        answers = [
            (record.grade, (end_of_day - record.reviewed_at) // timedelta(days=1)) for record in store.reviews("a", key)
        ]
        reviews = [
            FSRSReview(int(grade), answers[i - 1][1] - day if i else 0) for i, (grade, day) in enumerate(answers)
        ]
        memory = fitted.memory_state(FSRSItem(reviews))
        assert after[key].stability == pytest.approx(memory.stability, rel=1e-6)
        interval = (after[key].due - after[key].last_review) / timedelta(days=1)
        assert interval == round(interval) >= 1
        assert abs(interval - fitted.next_interval(memory.stability, 0.9, 0)) <= 0.15 * interval + 1  # fuzz
    store.close()
    code, _, err = run_cli(capsys, "--data-dir", str(data), "restore", name)
    assert code == 0, err
    store = Store.in_folder(data)
    assert store.states("a") == before  # undone
    assert read_preset(store, DEFAULT).fsrs_parameters == ()  # taken before the fit was kept: both undone
    store.close()


def test_practice_and_exam_answers_are_not_fitted(tmp_path: Path) -> None:
    store = Store.in_folder(tmp_path)
    new, review = CardState(kind="basic"), CardState(kind="basic", fsrs_state=2, stability=3.0, difficulty=5.0)
    for mode in (Mode.PRACTICE, Mode.EXAM):
        store.record_review("a", "c0", Grade.GOOD, START, 1000, mode, None, new)
        store.record_review("a", "c0", Grade.GOOD, START + timedelta(days=3), 1000, mode, new, new)
    assert store.fitting_answers(["a"]) == []
    fitted = [
        store.record_review("a", "c0", Grade.GOOD, START, 1000, Mode.REVIEW, None, review),
        store.record_review("a", "c0", Grade.GOOD, START + timedelta(days=3), 1000, Mode.REVIEW, review, review),
    ]
    assert [answer.id for answer in store.fitting_answers(["a"])] == fitted
    assert len(training_items(store.fitting_answers(["a"]), START + timedelta(days=4))) == 1
    store.close()


def test_the_store_reads_each_answer_as_the_full_log_does(studied: tuple[Path, Path]) -> None:
    """`fitting_answers` (SQLite reads the times and the states before) gives the items the full log records
    give: the same answers, the same days between them."""
    store = Store.in_folder(studied[0])
    records = store.reviews("a")
    assert len(records) > 1000
    end = day_end(START + timedelta(days=DAYS))
    by_sqlite = training_items(store.fitting_answers(["a", "not-a-deck"]), end)
    records.sort(key=lambda record: (record.card_key, record.reviewed_at, record.id))
    by_python = training_items(map(fitting_answer, records), end)
    assert len(by_sqlite) > 500
    assert [(item.at_ms, item.card, repr(item.item)) for item in by_sqlite] == [
        (item.at_ms, item.card, repr(item.item)) for item in by_python
    ]
    store.close()


@pytest.mark.parametrize(
    "written",
    ["2026-01-05T10:00:00+00:00", "2026-01-05T10:00:00.123456+00:00", "2026-01-05T12:00:00.250+02:00"],
)
def test_an_answer_time_is_read_to_the_millisecond_in_any_offset(tmp_path: Path, written: str) -> None:
    store = Store.in_folder(tmp_path)
    store.record_review("a", "c0", Grade.GOOD, START, 1000, Mode.REVIEW, None, CardState(kind="basic"))
    store.db.execute("UPDATE review_log SET reviewed_at = ?", (written,))
    (answer,) = store.fitting_answers(["a"])
    assert answer.at_ms == milliseconds(datetime.fromisoformat(written)) and answer.state_before == NEW
    store.close()


def test_an_unreadable_answer_time_says_to_run_check(tmp_path: Path) -> None:
    store = Store.in_folder(tmp_path)
    store.record_review("a", "c0", Grade.GOOD, START, 1000, Mode.REVIEW, None, CardState(kind="basic"))
    store.db.execute("UPDATE review_log SET reviewed_at = 'yesterday'")
    with pytest.raises(StoreCorruptError, match="quiz check"):
        store.fitting_answers(["a"])
    store.close()
