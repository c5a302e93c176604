"""The home, study and summary screens, driven with Pilot; assertions on screen state and on the store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import (
    START,
    UI_DECK,
    clipped,
    due_review_state,
    laid_out,
    make_app,
    open_study,
    record_refreshes,
    right_keys,
    screen_text,
)
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget

from quiz.context import Context
from quiz.core import faces
from quiz.core.cardstate import CardState
from quiz.core.clock import FixedClock, StartedClock
from quiz.core.deckcache import DeckCacheLost
from quiz.core.events import card_number
from quiz.core.model import Grade, Mode
from quiz.core.scheduler import Scheduler, format_interval
from quiz.core.store import Store, StoreWriteError
from quiz.ui.answers.typed import AnswerInput
from quiz.ui.app import QuizApp
from quiz.ui.screens.home import HomeScreen
from quiz.ui.screens.study import StudyScreen
from quiz.ui.screens.summary import SummaryScreen
from quiz.ui.widgets.decklist import DeckList
from quiz.ui.widgets.drawn_lines import drawn_as
from quiz.ui.widgets.grade_bar import LABELS, GradeBar
from quiz.ui.widgets.keybar import KeyBar
from tests.conftest import failing_commit

SIZE = (80, 24)


async def answer_right(pilot) -> None:
    await pilot.press(*right_keys(pilot.app.screen))
    await pilot.pause()


async def answer_right_and_easy(pilot: Pilot, study: StudyScreen, most: int) -> list[str]:
    """Answer each card right and grade it Easy until the session ends or `most` are answered: their keys."""
    answered = []
    while isinstance(pilot.app.screen, StudyScreen) and len(answered) < most:
        answered.append(study.session.current.key)
        await answer_right(pilot)
        await pilot.press("4")
        await pilot.pause()
    return answered


# --- home ------------------------------------------------------------------------------------------


def three_basic_cards(folder: Path) -> Path:
    """A deck file of three basic cards, a to c: "Question a" / "Back a" ..."""
    return deck_file(
        folder,
        "deck: three\ntitle: Three\ncards:\n"
        + "".join(f"  - {{id: {n}, kind: basic, front: Question {n}, back: Back {n}}}\n" for n in "abc"),
    )


TWO_BASIC_DECK = """deck: two
title: Two
cards:
  - {id: a, kind: basic, front: First question, back: First back}
  - {id: b, kind: basic, front: Second question, back: Second back}
"""


def deck_file(folder: Path, text: str) -> Path:
    """The deck file studied.yaml in `folder`, holding `text`."""
    deck = folder / "studied.yaml"
    deck.write_text(text)
    return deck


@asynccontextmanager
async def studying(
    app_factory, monkeypatch: pytest.MonkeyPatch, deck: Path | None = None
) -> AsyncIterator[tuple[QuizApp, Pilot, StudyScreen]]:
    """The app at 80x24 without colour, studying the deck file `deck` (its only deck; default: the UI test deck)."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory(None if deck is None else [deck])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        yield app, pilot, await open_study(pilot)


async def test_home_lists_decks_topics_and_counts(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert list(home.rows) == ["uitest", "uitest\tmechanism", "uitest\tsafety"]
        assert home.selected is not None and home.selected.key == "uitest"  # first deck selected at start
        counts = {row.key: (row.new, row.learning, row.due) for row in home.query_one(DeckList).rows}
        assert counts["uitest"] == (11, 0, 0) and counts["uitest\tsafety"] == (4, 0, 0)
        text = screen_text(app)
        assert "UI test deck [b]x[/b]" in text and "Side effects [b]x[/b]" in text
        assert "Today: 0 reviewed · 11 left" in text
        assert "Educational material, not medical advice." in text
        assert str(app.context.user_deck_dir) in text
        for key in ("Study", "Practice", "Exam", "Browse", "Stats", "Settings", "Help", "Quit"):
            assert key in text


async def test_home_names_the_clock_quiz_now_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """QUIZ_NOW, which the docs give to see what a later day brings, starts the clock there: answers given then
    are recorded then, and synced so. Home says so while it is set, at 80x24 without colour, on the title bar:
    a broken deck's list of problems below cannot push it away. It names the start, which does not go stale."""
    monkeypatch.setenv("NO_COLOR", "1")
    later = START + timedelta(days=30)
    broken = tmp_path / "broken.yaml"  # six cards, each with a problem: more than the notes under the list hold
    broken.write_text(
        "deck: b\ntitle: B\ncards:\n" + "".join(f"  - {{id: c{n}, kind: basic, front: q}}\n" for n in range(6)),
        encoding="utf-8",
    )
    app = make_app(tmp_path / "data", StartedClock(later), [UI_DECK, broken])
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            rows = screen_text(app).splitlines()
        assert (
            rows[1]
            == f" Clock set by QUIZ_NOW, started {later.astimezone():%a %d %b %Y %H:%M}; answers are dated by it"
        )
        problems = [row for row in rows if "missing field 'back'" in row]
        assert len(problems) >= 3 and not any("Your decks:" in row for row in rows)  # the notes are full
    finally:
        app.context.close()
    plain = make_app(tmp_path / "data")  # the system's clock, or a test's: no such line
    try:
        async with plain.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert "QUIZ_NOW" not in screen_text(plain)
    finally:
        plain.context.close()


async def test_home_shows_what_today_brings_within_the_daily_limits_like_anki(
    app_factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory()
    store = app.context.store
    store.save_settings(replace(store.settings(), new_per_day=3))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        counts = {row.key: (row.new, row.learning, row.due) for row in app.screen.query_one(DeckList).rows}
        # 11 unseen cards, 3 new a day: today brings 3, in the deck and in a topic alike
        assert counts["uitest"] == (3, 0, 0) and counts["uitest\tsafety"] == (3, 0, 0)
        text = screen_text(app)
        assert "Today: 0 reviewed · 3 left" in text
        assert "UI test deck [b]x[/b]: 11 cards · 11 unseen · 0 suspended" in text  # the totals, elsewhere
        await pilot.press("down", "down")
        await pilot.pause()
        assert "UI test deck [b]x[/b] › Side effects [b]x[/b]: 4 cards · 4 unseen" in screen_text(app)
        await pilot.press("up", "up")
        study = await open_study(pilot)
        assert study.session.counts().new == 3  # the session brings what Home said
        await pilot.press("space", "4", "escape")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        counts = {row.key: (row.new, row.learning, row.due) for row in app.screen.query_one(DeckList).rows}
        assert counts["uitest"] == (2, 0, 0)
        assert "Today: 1 reviewed · 2 left" in screen_text(app)


async def test_the_study_screen_counts_the_learning_cards_of_today_as_home_does(
    app_factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A learning card whose next step falls on a later day (a step of a day or more) is not today's: Home does
    not count it, nor Anki, and the study screen's Learn count did (an Anki deck moved in said Learn 761 over
    Home's 675)."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory()
    store = app.context.store
    learning = CardState("basic", 1, step=1, stability=1.0, difficulty=5.0, last_review=START, reps=1)
    store.set_state("uitest", "basic", replace(learning, due=START + timedelta(minutes=5)))  # today
    store.set_state("uitest", "typed", replace(learning, kind="typed", due=START + timedelta(days=2)))  # not
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        counts = {row.key: (row.new, row.learning, row.due) for row in app.screen.query_one(DeckList).rows}
        assert counts["uitest"] == (9, 1, 0)
        await open_study(pilot)
        assert "Learn 1  Due 0" in screen_text(app).splitlines()[0]


async def test_broken_decks_are_listed_and_others_stay_usable(tmp_path: Path, app_factory) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("deck: bad\ntitle: Bad\ncards:\n  - {id: x, kind: basik, front: a, back: b}\n")
    app = app_factory([UI_DECK, bad])
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        problems = [str(p) for r in app.context.library.broken for p in r.problems]
        assert problems
        text = screen_text(app)
        assert "could not be loaded" in text
        assert "unknown kind 'basik'" in " ".join(text.split())  # after the long path it may wrap
        assert list(app.screen.rows)[0] == "uitest"
        await open_study(pilot)


async def test_many_problems_show_the_first_few_and_the_disclaimer_stays(tmp_path: Path, app_factory) -> None:
    bad = tmp_path / "bad.yaml"
    cards = "".join(f"  - {{id: x{i}, kind: basik, front: a, back: b}}\n" for i in range(12))
    bad.write_text(f"deck: bad\ntitle: Bad\ncards:\n{cards}")
    app = app_factory([UI_DECK, bad])
    async with app.run_test(size=(200, 40)) as pilot:  # wide: each problem on one line
        await pilot.pause()
        assert len(app.context.library.broken[0].problems) == 12
        text = screen_text(app)
        assert text.count("unknown kind 'basik'") == 5 and "... and 7 more: `quiz validate FILE` lists them all" in text
        assert "Educational material, not medical advice." in text.splitlines()[0]  # on the title bar


async def test_todays_progress_leaves_out_answers_dated_tomorrow(app_factory, clock: FixedClock) -> None:
    """An answer synced from a device whose clock runs a day ahead is dated tomorrow: Home counts it on that
    day, as the limits do, not in today's progress as well."""
    app = app_factory()
    after = CardState("basic", 2, None, 3.0, 5.0, clock.now() + timedelta(days=3), clock.now(), reps=1)
    store = app.context.store
    store.record_review("uitest", "today", Grade.GOOD, clock.now(), 900, Mode.REVIEW, None, after)
    store.record_review("uitest", "ahead", Grade.GOOD, clock.now() + timedelta(days=1), 900, Mode.REVIEW, None, after)
    store.record_review("uitest", "drill", Grade.GOOD, clock.now(), 900, Mode.PRACTICE, None, after)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Today: 1 reviewed" in " ".join(screen_text(app).split())  # practice is not review


async def test_todays_progress_is_counted_without_loading_each_answer(
    app_factory, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shared Anki deck's log brings thousands of today's answers: Home counts them in the store (each loaded with
    its two card states took 0.2 s of every start)."""
    app = app_factory()
    after = CardState("basic", 2, None, 3.0, 5.0, clock.now() + timedelta(days=3), clock.now(), reps=1)
    for key in ("a", "b"):
        app.context.store.record_review("uitest", key, Grade.GOOD, clock.now(), 900, Mode.REVIEW, None, after)
    loaded: list[object] = []
    real = Store.reviews
    monkeypatch.setattr(Store, "reviews", lambda self, *a, **k: loaded.append(k) or real(self, *a, **k))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Today: 2 reviewed" in " ".join(screen_text(app).split())
        assert loaded == []


async def test_the_disclaimer_is_whole_at_80_columns_on_a_busy_day(app_factory, clock: FixedClock) -> None:
    """Three-digit counts of today's reviews: the title bar's line is longer than 80 columns and wraps, the
    disclaimer is never cut."""
    app = app_factory()
    for index in range(123):
        after = CardState("basic", 2, None, 3.0, 5.0, clock.now() + timedelta(days=2), clock.now(), reps=1)
        app.context.store.record_review(
            "uitest", f"gone{index}", Grade.GOOD, clock.now(), 900, Mode.REVIEW, None, after
        )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "Today: 123 reviewed" in text and "Educational material, not medical advice." in text
        assert clipped(app.screen) == []


async def test_refresh_key_and_polling_reload_decks(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        home = app.screen
        folder = app.context.user_deck_dir
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "mine.yaml").write_text(
            "deck: mine\ntitle: My deck\ncards:\n  - {id: a, kind: basic, front: q, back: a}\n"
        )
        await pilot.press("r")
        await pilot.pause()
        assert "mine" in home.rows
        (folder / "mine.yaml").write_text(
            "deck: mine\ntitle: My deck renamed\ncards:\n  - {id: a, kind: basic, front: q, back: a}\n"
        )
        home._poll()  # what the 2-second timer calls
        await pilot.pause()
        assert "My deck renamed" in screen_text(app)


async def test_shipped_deck_folder_loads(tmp_path: Path) -> None:
    context = Context(data_dir=tmp_path / "data", clock=FixedClock(START))
    app = QuizApp(context, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        decks = context.library.decks
        assert len(home.rows) == sum(1 + len(d.topic_ids()) for d in decks)
        if decks:
            assert home.selected is not None and home.selected.deck_id == decks[0].id
    context.close()


async def test_stored_theme_is_applied(app_factory) -> None:
    app = app_factory()
    app.context.store.save_settings(replace(app.context.store.settings(), theme="textual-light"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "textual-light"


@pytest.mark.parametrize(
    ("key", "module", "name"),
    [
        ("b", "quiz.ui.screens.browse", "BrowseScreen"),
        ("s", "quiz.ui.screens.stats", "StatsScreen"),
        ("comma", "quiz.ui.screens.settings", "SettingsScreen"),
        ("question_mark", "quiz.ui.screens.help", "HelpScreen"),
        ("f1", "quiz.ui.screens.help", "HelpScreen"),
    ],
)
async def test_home_keys_open_the_other_screens(app_factory, key: str, module: str, name: str) -> None:
    pytest.importorskip(module)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert type(app.screen).__name__ == name


# --- study ---------------------------------------------------------------------------------------


async def test_study_ten_cards_quit_and_restart_finds_ten_reviews(tmp_path: Path, clock: FixedClock) -> None:
    data = tmp_path / "data"
    app = make_app(data, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        study = await open_study(pilot)
        for number in range(10):
            assert study.session.current is not None, f"ran out of cards after {number}"
            await pilot.press("enter")  # nothing answered: show the answer
            await pilot.pause()
            assert study.answering
            await pilot.press("3")
            await pilot.pause()
            clock.advance(timedelta(seconds=5))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("q")
    app.context.close()
    assert not app.is_running

    again = make_app(data, clock)
    reviews = again.context.store.reviews()
    assert len(reviews) == 10
    assert {r.mode for r in reviews} == {Mode.REVIEW}
    assert {r.grade for r in reviews} == {Grade.GOOD}
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Today: 10 reviewed" in screen_text(again)
    again.context.close()


async def test_right_answers_propose_good_and_enter_records_it(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        study = await open_study(pilot)
        store = app.context.store
        for count in range(1, 10):
            card = study.session.current
            await answer_right(pilot)
            assert study.answering, card.key
            bar = study.query_one(GradeBar)
            assert bar.proposed is Grade.GOOD, card.key
            assert study.session.verdict is not None and study.session.verdict.correct in (True, None)
            await pilot.press("enter")
            await pilot.pause()
            last = store.reviews()[-1]
            assert (last.card_key, last.grade) == (card.key, Grade.GOOD)
            assert store.review_count() == count
            state = store.state("uitest", card.key)
            assert state is not None and state.reps == 1


async def test_every_kind_fits_80x24_question_key_bar_and_grade_buttons(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        study = await open_study(pilot)
        seen: list[str] = []
        while study.session.current.key not in seen:  # each card of the deck once (then learning cards return)
            card = study.session.current
            seen.append(card.key)
            assert clipped(study) == [], card.key
            assert faces.question(card) in screen_text(app), card.key
            await answer_right(pilot)
            assert clipped(study) == [], card.key
            bar, keys = study.query_one(GradeBar), study.query_one(KeyBar)
            assert Region(0, 0, 80, 23).contains_region(bar.region), (card.key, bar.region)  # above the key bar
            assert keys.region == Region(0, 23, 80, 1) and keys.render().cell_length <= 80, card.key
            assert all(f"{grade.name.title()}  " in screen_text(app) for grade in Grade), card.key
            await pilot.press("enter")
            await pilot.pause()
        assert len(seen) == 9  # every kind: basic, reverse, cloze, typed, choice, multi, truefalse, order, match


async def test_wrong_answer_proposes_again_and_shows_the_right_one(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down")  # the safety topic: typed, choice, multi, match
        study = await open_study(pilot)
        card = study.session.current
        assert card.key == "typed"
        await pilot.press("1", "9", "9", "9", "enter")
        await pilot.pause()
        assert study.query_one(GradeBar).proposed is Grade.AGAIN
        text = screen_text(app)
        assert "✗ Not quite" in text and "Answer: 2019" in text and "You answered: 1999" in text
        assert "Again  1m" in text and "Good  10m" in text  # intervals on the buttons
        await pilot.press("enter")
        await pilot.pause()
        assert app.context.store.reviews()[-1].grade is Grade.AGAIN


async def test_self_graded_reveal_proposes_good(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        study = await open_study(pilot)
        assert study.session.current.key == "basic"
        await pilot.press("space")
        await pilot.pause()
        assert study.answering and study.query_one(GradeBar).proposed is Grade.GOOD
        text = screen_text(app)
        assert "NMDA [@click=app.quit]quit[/]" in text  # literal, not a link
        assert "Source [@click=app.quit]title[/]" in text
        assert "Explained [i]here[/i]." in text
        await pilot.click("#feedback")  # clicking the hostile text does nothing
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        assert app.context.store.reviews()[-1].grade is Grade.GOOD


async def test_empty_enter_on_an_objective_card_counts_as_not_known(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down")
        study = await open_study(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert study.session.verdict.correct is False
        assert study.query_one(GradeBar).proposed is Grade.AGAIN
        assert "No answer given" in screen_text(app)


async def test_undo_takes_back_the_last_answer(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        study = await open_study(pilot)
        first = study.session.current
        await pilot.press("space", "4")
        await pilot.pause()
        assert app.context.store.review_count() == 1
        assert study.session.current is not first
        await pilot.press("ctrl+z" if study.session.current.kind in ("typed", "cloze") else "u")
        await pilot.pause()
        assert app.context.store.review_count() == 0
        assert app.context.store.state("uitest", first.key) is None
        assert study.session.current is first and not study.answering


async def test_while_typing_the_footer_shows_only_keys_that_work(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        study = await open_study(pilot)
        for _ in range(12):  # answer cards until a typed one is up
            if study.session.current.kind in ("typed", "cloze"):
                break
            await pilot.press(*right_keys(study), "3")
            await pilot.pause()
        assert study.session.current.kind in ("typed", "cloze")
        footer = study.query_one(KeyBar).render().plain
        assert "Undo" not in footer and "Suspend" not in footer and "Bury" not in footer
        answered = app.context.store.review_count()
        await pilot.press("u", "minus", "equals_sign")
        await pilot.pause()
        assert study.query_one("AnswerInput").value == "u-="  # letters, not undo / suspend / bury
        assert app.context.store.review_count() == answered
        await pilot.press("ctrl+z")  # still undoes
        await pilot.pause()
        assert app.context.store.review_count() == answered - 1
        if study.session.current.kind not in ("typed", "cloze"):
            footer = study.query_one(KeyBar).render().plain
            assert "u Undo" in footer and "- Suspend" in footer


async def test_suspend_and_bury_write_the_state(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        study = await open_study(pilot)
        first = study.session.current
        await pilot.press("minus")
        await pilot.pause()
        assert app.context.store.state("uitest", first.key).suspended
        second = study.session.current
        await pilot.press("tab")  # leave a text field, if the card has one, so = is a key not a character
        await pilot.press("equals_sign")
        await pilot.pause()
        state = app.context.store.state("uitest", second.key)
        assert state is not None and state.buried_until is not None and state.buried_until > START


async def test_a_failed_save_is_reported_and_can_be_retried(app_factory, monkeypatch) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        study = await open_study(pilot)
        store = app.context.store
        real = store.record_review

        def full_disk(*args, **kwargs):
            raise StoreWriteError("could not save to quiz.sqlite3: database or disk is full")

        monkeypatch.setattr(store, "record_review", full_disk)
        card = study.session.current
        await pilot.press("space", "3")
        await pilot.pause()
        assert study.answering and study.session.current is card  # still pending
        assert store.review_count() == 0
        assert "Not saved" in screen_text(app)
        assert "Saved:" not in screen_text(app)
        monkeypatch.setattr(store, "record_review", real)
        await pilot.press("3")
        await pilot.pause()
        assert store.review_count() == 1
        assert study.session.current is not card
        assert "Saved: Good" in screen_text(app)


async def test_a_commit_that_fails_on_the_disk_says_not_saved_and_keeps_the_card(
    app_factory, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The grade's COMMIT itself fails (after the answer's rows and the next card's state, read in its
    transaction): the screen says so and keeps the card, nothing is stored; the grade again saves it, and the
    next card's grade bar shows what working it out afresh gives."""
    async with studying(app_factory, monkeypatch) as (app, pilot, study):
        store = app.context.store
        card = study.session.current
        await pilot.press("space")
        await pilot.pause()
        with failing_commit(store):
            await pilot.press("3")
            await pilot.pause()
        assert study.answering and study.session.current is card and store.review_count() == 0
        assert "Not saved: could not save" in screen_text(app) and "Saved:" not in screen_text(app)
        await pilot.press("3")
        await pilot.pause()
        assert [(r.card_key, r.grade) for r in store.reviews()] == [(card.key, Grade.GOOD)]
        upcoming = study.session.current
        assert upcoming is not card and "Saved: Good" in screen_text(app)
        await pilot.press("space")
        await pilot.pause()
        state = study.session.state_of(upcoming)
        number = card_number(upcoming.deck_id, upcoming.key)
        fresh = Scheduler(study.session.settings_of(upcoming)).preview(number, state, clock.now())
        assert study.intervals == fresh
        bar = next(row for row in screen_text(app).splitlines() if "Good" in row and "Again" in row)
        assert f"Good  {format_interval(fresh[Grade.GOOD])}" in bar, bar


def basic_card_due_as_a_leech(app: QuizApp) -> Store:
    """The UI deck's basic card due in review, its next lapse making it a leech (threshold 1): Again suspends it."""
    store = app.context.store
    store.save_settings(replace(store.settings(), leech_threshold=1))
    store.set_state("uitest", "basic", due_review_state())
    return store


async def test_leech_is_announced(app_factory, clock: FixedClock) -> None:
    app = app_factory()
    store = basic_card_due_as_a_leech(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        study = await open_study(pilot)
        assert study.session.current.key == "basic"
        await pilot.press("space", "1")
        await pilot.pause()
        assert store.state("uitest", "basic").suspended
        assert any("Leech" in n.title for n in app._notifications)


async def test_practice_is_labelled_and_leaves_the_schedule_alone(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        study = await open_study(pilot, "p")
        assert study.session.mode is Mode.PRACTICE
        card = study.session.current
        await answer_right(pilot)
        text = screen_text(app)
        assert "PRACTICE" in text
        assert "Again" in text and "10m" not in text and "1m" not in text  # no intervals on the buttons
        await pilot.press("enter")
        await pilot.pause()
        assert app.context.store.reviews()[-1].mode is Mode.PRACTICE
        assert app.context.store.state(card.deck_id, card.key) is None


async def test_summary_reports_the_session(app_factory, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down")  # the mechanism topic
        study = await open_study(pilot)
        await answer_right(pilot)
        clock.advance(timedelta(seconds=12))
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # the next card: nothing answered
        await pilot.pause()
        clock.advance(timedelta(seconds=8))
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        assert summary.session is study.session
        text = screen_text(app)
        assert "Cards reviewed  2" in text
        assert "Accuracy        50%" in text
        assert "Time spent      20s" in text
        assert "Mechanism" in text and "1/2" in text
        said = " ".join(row.strip() for row in text.splitlines())  # its lines wrapped at 80 columns, joined
        assert "Learning cards are waiting. Next card due in 1m (" in said  # then the day and time, in local time
        assert "): study this deck again then." in said
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Today: 2 reviewed" in screen_text(app)


async def test_a_cloze_shown_without_typing_and_graded_good_counts_as_right_in_the_summary(
    app_factory, tmp_path: Path
) -> None:
    # On a phone a cloze imported from Anki is studied as in Anki: Space shows the gap, the student grades
    # it. The summary used to count every such card wrong ("Pharm 0/11") whatever the grade saved.
    deck = deck_file(
        tmp_path,
        "deck: pharm\ntitle: Pharm\ncards:\n"
        '  - {id: dose, kind: cloze, topic: pharm, text: "Give {{250 mg}} as 5 mL."}\n'
        '  - {id: rate, kind: cloze, topic: pharm, text: "Run it over {{30}} minutes."}\n',
    )
    app = app_factory([deck])
    async with app.run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        await open_study(pilot)
        for grade_key in ("3", "1"):
            await pilot.press("space")  # nothing typed: shows the answer
            await pilot.pause()
            assert "No answer given" in screen_text(app)
            await pilot.press(grade_key)
            await pilot.pause()
        await pilot.press("escape")  # the missed one waits in its learning step
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Accuracy        50%  (1 of 2 right)" in text and "1/2" in text
    assert [review.grade for review in app.context.store.reviews()] == [Grade.GOOD, Grade.AGAIN]


async def test_a_session_that_runs_out_shows_the_summary(app_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    # The summary and Home's notice say when the next card is due in the same words, at 80x24 without colour.
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down")
        study = await open_study(pilot)
        for _ in range(4):
            await answer_right(pilot)
            await pilot.press("4")  # Easy: straight to review, days away
            await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert study.session.current is None
        [due] = [row.strip() for row in screen_text(app).splitlines() if "Next card due in" in row]
        assert due.startswith("Next card due in 8d (")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")  # nothing left in this topic: a notice, no empty session
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        [notice] = [n.message for n in app._notifications if "Nothing to study" in n.message]
        assert f"right now. {due}. Press p" in notice  # the same words for the same fact


async def test_the_mouse_studies_answers_and_grades(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DeckList)
        await pilot.click(DeckList, offset=(4, 0))  # the header: nothing
        await pilot.click(DeckList, offset=(4, 3))  # the "Side effects" row: first click highlights it
        await pilot.pause()
        assert app.screen.selected.key == "uitest\tsafety"
        await pilot.click(DeckList, offset=(4, 3))  # a second click studies it
        await pilot.pause()
        study = app.screen
        assert isinstance(study, StudyScreen) and table.cursor == 2
        await pilot.press(*right_keys(study), "3")  # the typed card
        await pilot.pause()
        assert study.session.current.key == "choice"
        widget = study.query_one("ChoiceAnswer")
        right = widget.values.index("Dissociation")
        await pilot.click("OptionPicker", offset=(6, right))
        await pilot.pause()
        assert study.answering and study.session.verdict.correct
        bar = study.query_one(GradeBar)
        await pilot.click(GradeBar, offset=(screen_text(app).splitlines()[bar.region.y].index("Easy"), 0))
        await pilot.pause()
        last = app.context.store.reviews()[-1]
        assert (last.card_key, last.grade) == ("choice", Grade.EASY)


async def test_a_deck_whose_text_is_lost_ends_the_app_with_its_message(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lost = DeckCacheLost("mine.yaml changed while quiz was open ...: restart quiz")
        app._handle_exception(lost)
        assert [str(m) for m in app._exit_renderables] == [f"quiz: {lost}"]
        await pilot.pause()
    assert app.return_code == 1 and app._exception is None  # an exit with a message, not a crash


# --- grading with Space, undo of every action, the queue refilled, honest status lines ----------------


async def test_space_after_the_answer_records_the_proposed_grade_like_anki(
    app_factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with studying(app_factory, monkeypatch) as (app, pilot, study):
        card = study.session.current
        assert card.key == "basic"
        await pilot.press("space")  # shows the answer
        await pilot.pause()
        assert study.answering and app.context.store.review_count() == 0
        await pilot.press("space")  # records Good, the proposed grade
        await pilot.pause()
        assert [(r.card_key, r.grade) for r in app.context.store.reviews()] == [("basic", Grade.GOOD)]
        assert study.session.current is not card
        assert "Saved: Good · next in 10m" in screen_text(app)


async def test_undo_takes_back_grades_suspends_and_buries_several_steps_deep(
    app_factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with studying(app_factory, monkeypatch) as (app, pilot, study):
        store = app.context.store
        suspended = study.session.current  # basic
        await pilot.press("minus")
        await pilot.pause()
        buried = study.session.current  # rev
        await pilot.press("equals_sign")
        await pilot.pause()
        graded = study.session.current  # cz/1
        await answer_right(pilot)
        await pilot.press("3")
        await pilot.pause()
        assert store.review_count() == 1 and store.state("uitest", suspended.key).suspended
        assert store.state("uitest", buried.key).buried_until is not None

        await pilot.press("ctrl+z")  # the next card is typed: Ctrl+Z undoes while typing
        await pilot.pause()
        assert study.session.current is graded and not study.answering
        assert store.review_count() == 0 and store.state("uitest", graded.key) is None
        assert "Took back the last answer" in screen_text(app)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert study.session.current is buried and store.state("uitest", buried.key) is None
        assert "Took back the bury" in screen_text(app)
        await pilot.press("u")
        await pilot.pause()
        assert study.session.current is suspended and store.state("uitest", suspended.key) is None
        assert "Took back the suspend" in screen_text(app)
        await pilot.press("u")
        await pilot.pause()
        assert any("Nothing to undo" in n.message for n in app._notifications)
        assert store.review_count() == 0 and store.states("uitest") == {}


async def test_a_suspend_and_a_bury_leave_room_the_session_fills(app_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory()
    store = app.context.store
    store.save_settings(replace(store.settings(), new_per_day=2))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        study = await open_study(pilot)
        await pilot.press("minus")  # basic
        await pilot.pause()
        await pilot.press("equals_sign")  # rev
        await pilot.pause()
        answered = await answer_right_and_easy(pilot, study, most=5)
        # the day's two new cards, not one: the buried card's sibling is new today (a bury buries only the card)
        assert answered == ["rev/reverse", "cz/1"]
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert "Today: 2 reviewed · 0 left" in screen_text(app)


async def test_a_summary_after_ending_early_says_what_is_left_today(
    app_factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with studying(app_factory, monkeypatch) as (app, pilot, _study):
        await pilot.press("space", "4", "escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Left for today: 8 new, 0 due" in text and "Next card due" not in text


async def test_a_leech_says_it_is_suspended_not_when_it_comes_back(
    app_factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory()
    basic_card_due_as_a_leech(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_study(pilot)
        await pilot.press("space", "1")
        await pilot.pause()
        text = screen_text(app)
        assert "Saved: Again · suspended as a leech" in text and "next in" not in text


async def test_practice_says_the_schedule_is_unchanged_not_saved(app_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_study(pilot, "p")
        await answer_right(pilot)
        await pilot.press("1")
        await pilot.pause()
        text = screen_text(app)
        assert "Practice: Again · the schedule is unchanged" in text and "Saved:" not in text
        assert app.context.store.reviews()[-1].mode is Mode.PRACTICE


async def test_a_review_cards_grade_buttons_are_each_a_day_apart(app_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory()
    # seen two hours ago with a low stability: FSRS alone would offer Hard, Good and Easy all at 1 day
    shaky = replace(due_review_state(), stability=0.3, due=START, last_review=START - timedelta(hours=2))
    app.context.store.set_state("uitest", "basic", shaky)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        study = await open_study(pilot)
        assert study.session.current.key == "basic"
        await pilot.press("space")
        await pilot.pause()
        labels = [str(label) for label in study.query_one(GradeBar).labels.values()]
        assert [label.split()[-1] for label in labels] == ["10m", "1d", "2d", "3d"]
        await pilot.press("4")
        await pilot.pause()
        state = app.context.store.state("uitest", "basic")
        assert state.due - START == timedelta(days=3)  # what the Easy button said
        assert "Saved: Easy · next in 3d" in screen_text(app)


async def test_answering_a_cloze_gap_keeps_its_sibling_for_another_day(
    app_factory, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory()
    store = app.context.store
    # yesterday cz/1 was answered once and left in its learning steps; cz/2 was never seen
    yesterday = START - timedelta(days=1)
    learning = app.context.scheduler().review(1, CardState(kind="cloze"), Grade.GOOD, yesterday)
    store.record_review("uitest", "cz/1", Grade.GOOD, yesterday, 1000, Mode.REVIEW, None, learning)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        study = await open_study(pilot)
        assert study.session.current.key == "cz/1"  # the learning card comes first
        seen = await answer_right_and_easy(pilot, study, most=12)
        assert "cz/1" in seen and "cz/2" not in seen  # buried until tomorrow, as Anki buries siblings
        assert store.state("uitest", "cz/2") is None and [r.card_key for r in store.reviews()].count("cz/2") == 0


async def test_a_shown_answer_hides_the_reveal_prompt_and_the_next_basic_card_brings_it_back(
    app_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The reveal widget is kept from card to card and only hidden once its answer shows (not disabled
    # too, which restyled it twice per card): it must still take Space on the next card.
    async with studying(app_factory, monkeypatch, deck_file(tmp_path, TWO_BASIC_DECK)) as (app, pilot, study):
        store = app.context.store
        for grade in (Grade.GOOD, Grade.EASY):
            card = study.session.current
            assert card is not None
            assert "Show answer (Space)" in screen_text(app) and faces.question(card) in screen_text(app)
            await pilot.press("space")
            await pilot.pause()
            text = screen_text(app)
            assert card.note.body.back in text and "Show answer (Space)" not in text
            await pilot.press(str(int(grade)))
            await pilot.pause()
            assert [r.card_key for r in store.reviews()][-1] == card.key  # committed before the next card
        assert [r.grade for r in store.reviews()] == [Grade.GOOD, Grade.EASY]


async def test_the_answer_and_the_grade_bar_show_in_place_and_the_screen_takes_the_grade_keys(
    app_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing moves between question and answer: the grade bar's rows are kept while it is hidden, and its
    # keys are the screen's, and the blanked reveal prompt keeps the focus: no focus moves (each one
    # repainted the whole screen and restyled the widgets it left and entered).
    async with studying(app_factory, monkeypatch, deck_file(tmp_path, TWO_BASIC_DECK)) as (app, pilot, study):
        store = app.context.store
        focused = app.focused
        places = (study.card_body.region, study.status_line.region)
        footer = screen_text(app).splitlines()[-1]
        assert "Again" not in screen_text(app) and "Show answer" in footer and "Grade" not in footer
        await pilot.press("3")  # no grade before the answer shows
        await pilot.pause()
        assert not study.answering and store.review_count() == 0
        await pilot.press("space")
        await pilot.pause()
        assert study.answering and app.focused is focused  # the prompt, blank now; the screen takes the keys
        assert (study.card_body.region, study.status_line.region) == places
        assert study.card_body.region.bottom == study.grade_bar.region.y  # in the rows kept for it
        assert study.grade_bar.region.bottom == study.status_line.region.y
        text = screen_text(app)
        footer = text.splitlines()[-1]
        assert "First back" in text and "Again" in text and "Easy" in text
        assert footer.startswith("1-4 Grade") and "⏎ Accept" in footer and "Show answer" not in footer
        await pilot.press("enter")  # the proposed grade: Good
        await pilot.pause()
        assert [(r.card_key, r.grade) for r in store.reviews()] == [("a", Grade.GOOD)]
        assert study.session.current is not None and study.session.current.key == "b"
        assert app.focused is focused and not study.answering
        assert (study.card_body.region, study.status_line.region) == places
        text = screen_text(app)
        assert "Second question" in text and "Saved: Good" in text and "Again" not in text
        await pilot.press("space", "1")
        await pilot.pause()
        assert [(r.card_key, r.grade) for r in store.reviews()] == [("a", Grade.GOOD), ("b", Grade.AGAIN)]


async def test_a_basic_cards_keys_restyle_nothing(app_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A restyle costs ~0.5 ms a key: the blanked reveal prompt used to take a class (and lose it on the next
    # card) though, no row high, it shows nothing.
    async with studying(app_factory, monkeypatch, three_basic_cards(tmp_path)) as (app, pilot, _study):
        await pilot.press("space", "3")  # the first card marks Good as proposed on the grade bar, once
        await pilot.pause()
        restyled: list[str] = []
        update_nodes = app.stylesheet.update_nodes
        monkeypatch.setattr(
            app.stylesheet,
            "update_nodes",
            lambda nodes, animate=False: update_nodes(restyled.extend(map(repr, nodes)) or nodes, animate),
        )
        await pilot.press("space")
        await pilot.pause()
        assert "Back b" in screen_text(app)
        await pilot.press("3")
        await pilot.pause()
        text = screen_text(app)
        assert "Question c" in text and "Show answer (Space)" in text and "Saved: Good" in text
        assert [r.card_key for r in app.context.store.reviews()] == ["a", "b"]
        assert restyled == []


async def test_the_grade_bar_is_one_line_above_the_status_and_a_click_on_a_grade_records_it(
    app_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One widget drawing one line (it was four bordered Buttons, three rows high, five widgets to lay out).
    async with studying(app_factory, monkeypatch, three_basic_cards(tmp_path)) as (app, pilot, study):
        for card, grade in (("a", Grade.HARD), ("b", Grade.AGAIN)):
            await pilot.press("space")
            await pilot.pause()
            bar = study.grade_bar
            assert bar.region.height == 1 and bar.region.bottom == study.status_line.region.y
            row = screen_text(app).splitlines()[bar.region.y]
            labels = [row.index(label) for label in (" 1 Again", " 2 Hard", "▸3 Good", " 4 Easy")]
            assert labels == sorted(labels)  # one row, in order, the proposed grade marked
            unlit = bar.render()
            await pilot.hover(GradeBar, offset=(row.index(LABELS[grade]), 0))  # the bar starts at the left edge
            await pilot.pause()
            assert drawn_as(bar.render()) != drawn_as(unlit)  # the grade under the mouse is lit, as a button was
            await pilot.click(GradeBar, offset=(row.index(LABELS[grade]), 0))
            await pilot.pause()
            assert last_answer(app) == (card, grade)
            assert study.session.current is not None and study.session.current.key != card


def shown_places(screen: Widget) -> dict[Widget, Region]:
    """Where each widget shown on `screen` stands."""
    return {widget: widget.region for widget in screen.walk_children(Widget) if widget.display}


def last_answer(app: QuizApp) -> tuple[str, Grade]:
    """The card and grade of the answer saved last."""
    last = app.context.store.reviews()[-1]
    return last.card_key, last.grade


async def answer_keeping_focus(
    pilot: Pilot, study: StudyScreen, refreshes: list[tuple[str, bool]], key: str
) -> dict[Widget, Region]:
    """Press `key`, which answers the card on `study`: the card shows its back and the focus stays where it was.
    Returns where each shown widget stood before; `refreshes` holds what the key alone asked for."""
    focused = pilot.app.focused
    places = shown_places(study)
    refreshes.clear()
    await pilot.press(key)
    await pilot.pause()
    assert study.answering and pilot.app.focused is focused, key
    return places


OBJECTIVE_DECK = """deck: objective
title: Objective
cards:
  - {id: c, kind: choice, front: Which is a colour?, options: [Red, Table, Lamp], answer: Red, explain: It is.}
  - {id: m, kind: multi, front: Which are fruit?, options: [Apple, Pear, Brick], answers: [Apple, Pear]}
  - {id: t, kind: truefalse, front: The sky is blue., answer: true}
  - {id: o, kind: order, front: Put them in order, items: [One, Two, Three]}
  - {id: x, kind: match, front: Match them, pairs: {Cat: Meow, Dog: Woof}}
"""


async def test_revealing_an_objective_card_keeps_the_focus_and_every_widget_where_it_was(
    app_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The answer widget used to be disabled on reveal, which took the focus away (the next card brought it back, each
    # move restyling and repainting), and the back, whose rows depended on the verdict, made Textual lay the screen
    # out. Now the widget keeps the focus, locked, its keys going on to the screen (the grades), and the hint keeps
    # the rows of the tallest back: whatever the verdict, nothing moves and nothing is laid out.
    async with studying(app_factory, monkeypatch, deck_file(tmp_path, OBJECTIVE_DECK)) as (app, pilot, study):
        refreshes = record_refreshes(monkeypatch)
        store = app.context.store
        # per card: the keys that answer it (all but the last: the last one submits), what the back says, and a
        # grade key the answer widget would have taken before (a number picks, Space ticks)
        steps = [
            ("c", lambda keys: keys, "✓ Correct", "2", Grade.HARD),
            ("m", lambda keys: keys[:1] + keys[-1:], "✗ Not quite", "space", Grade.AGAIN),
            ("t", lambda keys: ["enter"], "✗ No answer given — counted as not known", "enter", Grade.AGAIN),
            ("o", lambda keys: keys, "✓ Correct", "4", Grade.EASY),
            ("x", lambda keys: keys[:1] + keys[-1:], "✗ Not quite", "1", Grade.AGAIN),
        ]
        for key, answer, verdict, grade_key, grade in steps:
            assert study.session.current is not None and study.session.current.key == key
            keys = answer(right_keys(study))
            await pilot.press(*keys[:-1])
            await pilot.pause()
            focused = app.focused
            assert focused is not None and focused is not study.query_one("AnswerSlot").children[0]  # its list
            places = await answer_keeping_focus(pilot, study, refreshes, keys[-1])
            assert shown_places(study) == places, key
            assert laid_out(refreshes) == [], key
            text = screen_text(app)
            assert verdict in text and "You answered" not in text  # the widget marks the answer where it was given
            await pilot.press(grade_key)
            await pilot.pause()
            assert last_answer(app) == (key, grade)
        assert store.review_count() == 5


async def test_an_order_cards_answer_shows_where_its_hint_was_and_nothing_above_it_moves(
    app_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its Move up/down buttons went away on answering, and the back showed two rows higher than the hint: they
    # keep their row, blank, as the basic card's reveal prompt does.
    order = "".join(f"  - {{id: {n}, kind: order, front: Sort {n}, items: [{n}1, {n}2, {n}3]}}\n" for n in "ab")
    deck = deck_file(tmp_path, "deck: order\ntitle: Order\ncards:\n" + order)
    async with studying(app_factory, monkeypatch, deck) as (app, pilot, study):
        rows = screen_text(app).splitlines()
        buttons = next(n for n, row in enumerate(rows) if "Move up" in row)
        hint = study.back.region.y
        keys = right_keys(study)
        await pilot.press(*keys[:-1])
        await pilot.pause()
        rows = screen_text(app).splitlines()
        await pilot.press(keys[-1])  # Enter: the order is checked
        await pilot.pause()
        answered = screen_text(app).splitlines()
        assert answered[: buttons - 4] == rows[: buttons - 4]  # the title, counts and question in place
        assert [row.strip()[0] for row in answered[buttons - 4 : buttons - 1]] == ["✓", "✓", "✓"]  # the items
        assert answered[buttons].strip() == ""  # the buttons' row, blank
        assert study.back.region.y == hint and answered[hint].strip() == "─" * 78
        assert answered[hint + 2].strip() == "✓ Correct"
        await pilot.press("3")
        await pilot.pause()
        text = screen_text(app).splitlines()
        assert "Sort b" in "\n".join(text) and "Move up" in text[buttons]  # the next card's buttons, in their row
        assert [r.card_key for r in app.context.store.reviews()] == ["a"]


async def test_a_basic_cards_keys_lay_nothing_out_and_nothing_above_the_answer_moves(
    app_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Any widget asking for a layout makes Textual lay out the whole screen (~1.5 ms a key): the hint keeps the
    # rows of the back it gives way to, the blank prompt and the blank grade bar keep theirs, and the status line
    # and the question ask only when their row count changes.
    async with studying(app_factory, monkeypatch, three_basic_cards(tmp_path)) as (app, pilot, study):
        await pilot.press("space", "3")  # the first card's status line, from nothing to "Saved: Good"
        await pilot.pause()
        await pilot.click(GradeBar)  # blank while the question is asked: a click there grades nothing
        await pilot.pause()
        assert not study.answering and app.context.store.review_count() == 1
        rows = screen_text(app).splitlines()
        question_row = next(n for n, row in enumerate(rows) if "Question b" in row)
        assert rows[question_row + 2].strip() == "▶ Show answer (Space)"
        refreshes = record_refreshes(monkeypatch)
        await pilot.press("space")
        await pilot.pause()
        answered = screen_text(app).splitlines()
        assert answered[: question_row + 1] == rows[: question_row + 1]  # the title, counts and question in place
        assert answered[question_row + 2].strip() == ""  # the prompt's row, blank
        assert answered[question_row + 4].strip() == "─" * 78 and answered[question_row + 6].strip() == "Answer: Back b"
        await pilot.press("3")
        await pilot.pause()
        text = screen_text(app)
        assert "Question c" in text and "Show answer (Space)" in text and "Saved: Good" in text
        assert [r.card_key for r in app.context.store.reviews()] == ["a", "b"]
        assert laid_out(refreshes) == []
        assert study.back.region.y == question_row + 4


async def test_a_summary_says_a_learning_card_already_due_is_due_now(
    app_factory, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ended with a learning card due already (its step ended while the user looked at another card): the
    summary says so, not that it comes back 'in 1m' at a time gone by, beside a later 'Next card due'."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down")  # the mechanism topic
        await open_study(pilot)
        await pilot.press("enter")  # nothing answered: shown, and Again proposed
        await pilot.pause()
        await pilot.press("1")  # back in a minute
        await pilot.pause()
        clock.advance(timedelta(minutes=10))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = " ".join(screen_text(app).split())
    assert "Learning cards are waiting. One is due now. Left for today: 4 new, 0 due. Study this deck again" in text
    assert "comes back" not in text and "Next card due" not in text


async def test_a_summary_counts_the_learning_card_on_screen_when_the_session_ends(
    app_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ended on a learning card shown before its time (nothing else left): that card comes back first. The
    summary named a later one ('waiting ... in 6m'), then 'Next card due in 1m' under it (found on a walk)."""
    async with studying(app_factory, monkeypatch, three_basic_cards(tmp_path)) as (app, pilot, _study):
        for grade in ("2", "1", "3"):  # a in about 6m, b in 1m, c in 10m
            await pilot.press("space", grade)
            await pilot.pause()
        assert "Question b" in screen_text(app)  # shown early: the first to come back
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        said = " ".join(screen_text(app).split())
    assert "Learning cards are waiting. Next card due in 1m (" in said
    assert said.count("Next card due") == 1


TYPED_DECK = """deck: typed
title: Typed
cards:
  - {id: r, kind: typed, front: Two plus two?, answer: "4"}
  - {id: w, kind: typed, front: The capital of France?, answer: Paris}
  - {id: n, kind: typed, front: The largest planet?, answer: Jupiter}
  - {id: z, kind: cloze, text: "The sky is {{blue}}."}
"""


async def test_revealing_a_typed_card_keeps_the_focus_in_its_input_and_everything_above_the_back_in_place(
    app_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The input used to be disabled on reveal, which took the focus away (the next card brought it back, each move
    # restyling and repainting). Now it keeps the focus, locked: what it holds stays, and the keys go on to the
    # screen, where they grade. The hint keeps the rows of the backs known before (right, nearly right, none
    # given): only a wrong answer's back, under everything else, takes more, for the answer typed.
    async with studying(app_factory, monkeypatch, deck_file(tmp_path, TYPED_DECK)) as (app, pilot, study):
        refreshes = record_refreshes(monkeypatch)
        store = app.context.store
        # per card: what is typed, the key that answers (Space on an empty line shows the answer), what the back
        # says, and the grade key pressed once it shows (Space and Enter accept the proposed grade)
        steps = [
            ("r", "4", "enter", "✓ Correct", "space", Grade.GOOD),
            ("w", "Lyon", "enter", "✗ Not quite", "1", Grade.AGAIN),
            ("n", "", "space", "✗ No answer given", "4", Grade.EASY),
            ("z/1", "blue", "enter", "✓ Correct", "2", Grade.HARD),
        ]
        for key, typed, answer_key, verdict, grade_key, grade in steps:
            assert study.session.current is not None and study.session.current.key == key
            await pilot.press(*typed)
            await pilot.pause()
            focused = app.focused
            assert isinstance(focused, AnswerInput) and focused.value == typed, key
            places = await answer_keeping_focus(pilot, study, refreshes, answer_key)
            assert focused.value == typed, key
            if key == "w":  # the back shows what was typed, which the hint could not keep rows for
                moved = {w for w, region in shown_places(study).items() if places.get(w) != region}
                assert moved == {study.back} and study.back.region.y == places[study.back].y, key
            else:
                assert shown_places(study) == places, key
                assert laid_out(refreshes) == [], key
            text = screen_text(app)
            assert verdict in text and ("You answered: Lyon" in text) == (key == "w"), key
            footer = study.query_one(KeyBar).render().plain
            assert "u Undo" in footer and "- Suspend" in footer, key  # no longer letters: the screen's keys again
            await pilot.press(grade_key)
            await pilot.pause()
            assert last_answer(app) == (key, grade), key
        assert store.review_count() == 4


async def test_a_card_whose_kind_changed_since_it_was_studied_says_it_starts_again(
    app_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A teacher's new version turned a studied basic card into a typed one: the student, who may never run
    `quiz validate`, is told on the card itself why it comes as new; a card never studied says nothing."""
    deck = deck_file(
        tmp_path,
        "deck: pharm\ntitle: Pharm\ncards:\n"
        "  - {id: a, kind: typed, front: Antidote for warfarin?, answer: vitamin K}\n"
        "  - {id: b, kind: basic, front: Antidote for opioids?, back: Naloxone}\n",
    )
    store = Store.in_folder(tmp_path / "data")
    store.record_review(
        "pharm", "a", Grade.GOOD, START - timedelta(days=9), 1000, Mode.REVIEW, None, CardState("basic")
    )
    store.close()
    async with studying(app_factory, monkeypatch, deck) as (app, pilot, study):
        assert study.session.current is not None and study.session.current.key == "a"
        assert "type the answer · kind changed (was basic): new again" in screen_text(app)
        await pilot.press(*"vitamin K", "enter")
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        assert study.session.current is not None and study.session.current.key == "b"
        assert "kind changed" not in screen_text(app)
