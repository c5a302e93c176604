"""Browse, Stats, Settings and Help screens, driven through the real QuizApp with Pilot, checked against the store.

Async tests run through the `pytest_pyfunc_call` hook in tests/ui/conftest.py. Every test starts the real app on
its home screen and opens the screen under test with the key a user presses there (b, s, comma, question_mark).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import SEED, START, clipped, make_context, messages, open_screen, screen_rows, screen_text, static_text
from rich.text import Text
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Select, Static
from textual.widgets import _data_table as data_table_module
from textual.worker import WorkerState
from textual_plotext import PlotextPlot

from quiz.context import Context
from quiz.core.browse_data import BrowseRow, browse_rows, row_ident, sort_rows
from quiz.core.clock import FixedClock, day_end
from quiz.core.deckfile import LoadResult
from quiz.core.kinds import new_note
from quiz.core.library import Library
from quiz.core.model import Card, Deck, Grade, Mode
from quiz.core.presets import assign_preset, new_preset
from quiz.core.search import SearchContext, search_rows
from quiz.core.session import Scope, StudySession
from quiz.core.store import Store
from quiz.ui.app import QuizApp
from quiz.ui.screens import browse as browse_module
from quiz.ui.screens.browse import PAGE, ROWS_AT_A_TIME, BrowseScreen, CardScreen, ConfirmScreen
from quiz.ui.screens.help import HelpScreen
from quiz.ui.screens.home import HomeScreen
from quiz.ui.screens.settings import SettingsScreen
from quiz.ui.screens.stats import HEAT, SHADES, StatsScreen, heat_grid
from quiz.ui.widgets.keybar import KeyBar
from tests.core.test_stats_numbers import counting_retention_answers

DECK = Path(__file__).parents[1] / "data" / "browse_deck.yaml"
BOLD = "Card reading [b]x[/b] literally"
CLICK = "Press [@click=app.quit] to win"
KEYS = {BrowseScreen: "b", StatsScreen: "s", SettingsScreen: "comma", HelpScreen: "question_mark"}


async def open_from_home(pilot, screen: type[Screen]) -> Screen:
    """Press the home screen's key for `screen`; returns the screen it opened."""
    return await open_screen(pilot, KEYS[screen], screen)


@pytest.fixture
def context(tmp_path: Path) -> Context:
    ctx = make_context(tmp_path, decks=[DECK])
    yield ctx
    ctx.close()


def study(context: Context, grades: list[Grade], mode: Mode = Mode.REVIEW) -> list[str]:
    """Answer the session's cards in order with these grades; returns the keys answered."""
    deck = context.library.deck("browse")
    session = StudySession(
        context.store, context.scheduler(), context.clock, [deck], Scope(("browse",)), mode=mode, seed=1
    )
    keys = []
    for grade in grades:
        assert session.current is not None
        keys.append(session.current.key)
        session.answer(None)
        context.clock.advance(timedelta(seconds=20))
        session.grade(grade)
    return keys


def cell_text(table: DataTable, deck_id: str, card_key: str, column: str) -> str:
    return table.get_cell(row_ident(deck_id, card_key), column).plain


def table_rows(table: DataTable) -> list[list[str]]:
    return [
        [cell.plain if isinstance(cell, Text) else str(cell) for cell in table.get_row_at(i)]
        for i in range(table.row_count)
    ]


# --- core helpers behind the screens -----------------------------------------------------------------


def filter_rows(rows: list[BrowseRow], query: str) -> list[BrowseRow]:
    return search_rows(rows, query, SearchContext(START))


def test_filter_and_sort_rows(context: Context) -> None:
    rows = browse_rows(context.library.decks, context.store, context.clock.now())
    assert len(rows) == 8
    assert [r.card_key for r in filter_rows(rows, "RECEPTOR")] == ["nmda", "class/1", "class/2"]
    assert [r.card_key for r in filter_rows(rows, "tag:route")] == ["route", "route/reverse"]
    assert [r.card_key for r in filter_rows(rows, "topic:side* is:new")] == [
        "hostile-bold",
        "hostile-click",
        "dissociation",
    ]
    assert len(filter_rows(rows, "browse")) == 8  # the deck id matches every card
    assert filter_rows(rows, "nothing-like-this") == []
    assert sort_rows(rows, "question")[0].question.startswith("Card reading")
    with pytest.raises(ValueError, match="cannot sort"):
        sort_rows(rows, "colour")


# --- Browse -------------------------------------------------------------------------------------------


async def test_browse_lists_every_card_with_hostile_text_literal(context: Context) -> None:
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_from_home(pilot, BrowseScreen)
        table = app.screen.query_one("#browse-table", DataTable)
        rows = table_rows(table)
        assert len(rows) == 8
        questions = [r[0] for r in rows]
        assert BOLD in questions and CLICK in questions
        assert all(isinstance(cell, Text) for cell in table.get_row_at(0))
        assert list(table.columns) == [
            "question",
            "topic",
            "tags",
            "flag",
            "status",
            "due",
            "lapses",
        ]  # one deck: no deck column
        assert cell_text(table, "browse", "hostile-bold", "tags") == "[b]tag[/b]"
        assert cell_text(table, "browse", "hostile-bold", "status") == "new"
        shown = screen_text(app)
        assert "[b]x[/b]" in shown and "[@click=app.quit]" in shown
        # Clicking the hostile cell selects the row and opens the card: nothing quits.
        index = table.get_row_index(row_ident("browse", "hostile-click"))
        table.move_cursor(row=index)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        shown = static_text(app.screen.query_one("#card-content", Static))
        assert CLICK in shown and "[link=https://example.com]link[/link]" in shown
        assert "Browse [i]test[/i] deck" in shown and "Side effects [red]and[/red] safety" in shown
        await pilot.click("#card-content")
        await pilot.pause()
        assert app.is_running and app.return_code is None


async def test_browse_search_filters_rows(context: Context) -> None:
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_from_home(pilot, BrowseScreen)
        table = app.screen.query_one("#browse-table", DataTable)
        await pilot.press("slash")
        assert isinstance(app.screen.focused, Input)
        await pilot.press(*"receptor")
        await pilot.pause()
        assert [r[0] for r in table_rows(table)] == [
            "Which receptor does ketamine block?",
            "Ketamine is an [...] receptor antagonist.",
            "Ketamine is an NMDA receptor [...].",
        ]
        assert "3 of 8 cards" in str(app.screen.query_one("#browse-count", Label).render())
        app.screen.query_one(Input).value = "[b]"  # markup-looking text is searched for literally
        await pilot.pause()
        assert [r[0] for r in table_rows(table)] == [BOLD]
        app.screen.query_one(Input).value = ""
        await pilot.press("enter")  # submit: back to the table
        assert table.has_focus and table.row_count == 8
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)  # back where it was opened


async def test_an_anki_subdeck_name_finds_the_topic_it_became(context: Context) -> None:
    # An Anki deck's subdecks come in as topics: `deck:Nursing::Drugs`, as typed in Anki, found nothing.
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(40, 20)) as pilot:
        await open_from_home(pilot, BrowseScreen)
        table = app.screen.query_one("#browse-table", DataTable)
        search = app.screen.query_one(Input)
        found = {}
        for query in ("topic:mechanism", "deck:browse::mechanism", "deck:browse*deck::Mechanism"):  # id; title
            search.value = query
            await pilot.pause()
            found[query] = sorted(r[0] for r in table_rows(table))
        assert found["topic:mechanism"] and len(set(map(tuple, found.values()))) == 1, found
        search.value = "deck:browse::side*"
        await pilot.pause()
        assert table.row_count and table.row_count < 8


async def test_a_query_that_cannot_run_is_explained_under_the_box_and_keeps_the_list(
    context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_home(pilot, BrowseScreen)
        table = app.screen.query_one("#browse-table", DataTable)
        error = app.screen.query_one("#browse-error", Label)
        search = app.screen.query_one(Input)
        search.value = "spray or is:due"
        await pilot.pause()
        assert [r[0] for r in table_rows(table)] == ["Esketamine is given by this route", "Nasal spray"]
        assert not error.display
        search.value = "spray colour:red"
        await pilot.pause()
        assert error.display and "unknown filter 'colour:'" in screen_text(app)
        assert "quote text that has a colon" in screen_text(app)
        assert table.row_count == 2  # not a silent zero: the last list stays
        search.value = "-(spray or receptor)"
        await pilot.pause()
        assert not error.display and table.row_count == 3


async def test_typing_a_query_that_cannot_run_says_which_search_the_list_still_shows(
    context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typing `colour:red` runs `colour` on the way (no card has it) before `colour:` fails: a user saw the error
    beside an empty list and read it as "the list stays as it was". The note names the search the list is for."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(120, 24)) as pilot:
        await open_from_home(pilot, BrowseScreen)
        table = app.screen.query_one("#browse-table", DataTable)
        error = app.screen.query_one("#browse-error", Label)
        await pilot.press("slash", *"colour:red")
        await pilot.pause()
        assert error.display and table.row_count == 0
        assert "the list still shows the last search that could run: colour" in " ".join(screen_text(app).split())
        app.screen.query_one(Input).value = ""
        await pilot.pause()
        app.screen.query_one(Input).value = "is:dew"  # from every card: the list keeps them all, and says so
        await pilot.pause()
        assert error.display and table.row_count == 8
        assert "the list still shows every card" in " ".join(screen_text(app).split())


async def test_home_and_end_go_to_the_first_and_last_card_and_a_new_sort_starts_at_the_top(
    context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_home(pilot, BrowseScreen)
        table = app.screen.query_one("#browse-table", DataTable)
        await pilot.press("end")
        assert table.cursor_row == 7
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("down", "down", "down")
        await pilot.press("o")  # sort by question
        await pilot.pause()
        assert table.cursor_row == 0 and table.scroll_y == 0
        assert table_rows(table)[0][0] == BOLD  # "Card reading ..." sorts first


async def test_browse_suspend_and_unsuspend_write_the_store(context: Context) -> None:
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_from_home(pilot, BrowseScreen)
        table = app.screen.query_one("#browse-table", DataTable)
        table.move_cursor(row=table.get_row_index(row_ident("browse", "route/reverse")))
        assert context.store.state("browse", "route/reverse") is None  # never seen
        await pilot.press("s")
        state = context.store.state("browse", "route/reverse")
        assert state is not None and state.suspended and state.kind == "reverse" and state.is_new
        assert cell_text(table, "browse", "route/reverse", "status") == "suspended"
        app.screen.query_one(Input).value = "is:suspended"
        await pilot.pause()
        assert [r[0] for r in table_rows(table)] == ["Nasal spray"]
        await pilot.press("s")
        assert not context.store.state("browse", "route/reverse").suspended
        assert cell_text(table, "browse", "route/reverse", "status") == "new"


async def test_browse_shows_a_buried_card_and_b_unburies_and_buries_it(
    context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    deck = context.library.deck("browse")
    session = StudySession(context.store, context.scheduler(), context.clock, [deck], Scope(("browse",)), seed=1)
    assert session.bury().key == "nmda"  # `=` while studying
    tomorrow = day_end(context.clock.now(), context.store.settings().rollover_hour)
    assert context.store.state("browse", "nmda").buried_until == tomorrow
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_home(pilot, BrowseScreen)
        table = app.screen.query_one("#browse-table", DataTable)
        assert cell_text(table, "browse", "nmda", "status") == "buried"
        app.screen.query_one(Input).value = "is:buried"
        await pilot.pause()
        assert [r[0] for r in table_rows(table)] == ["Which receptor does ketamine block?"]
        assert "buried" in screen_text(app)
        table.focus()
        await pilot.press("b")
        assert context.store.state("browse", "nmda").buried_until is None
        assert cell_text(table, "browse", "nmda", "status") == "new"
        await pilot.press("enter")  # the card page says so too, and b buries it again from there
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        assert "State  new\n" in static_text(app.screen.query_one("#card-state", Static))
        await pilot.press("b")
        assert context.store.state("browse", "nmda").buried_until == tomorrow
        until = f"{tomorrow.astimezone():%Y-%m-%d %H:%M}"
        assert f"State  buried until {until} (b unburies)" in static_text(app.screen.query_one("#card-state", Static))
        assert f"buried until {until}" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert cell_text(table, "browse", "nmda", "status") == "buried"


def test_a_burial_ends_with_its_study_day(context: Context) -> None:
    deck = context.library.deck("browse")
    session = StudySession(context.store, context.scheduler(), context.clock, [deck], Scope(("browse",)), seed=1)
    session.bury()
    context.clock.advance(timedelta(days=1))
    rows = browse_rows(context.library.decks, context.store, context.clock.now())
    assert filter_rows(rows, "is:buried") == []


async def test_browse_reset_asks_then_forgets_but_keeps_history(context: Context) -> None:
    keys = study(context, [Grade.EASY])
    assert keys == ["nmda"]
    reviewed = context.store.state("browse", "nmda")
    assert reviewed is not None and reviewed.is_review
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_from_home(pilot, BrowseScreen)
        table = app.screen.query_one("#browse-table", DataTable)
        assert cell_text(table, "browse", "nmda", "status") == "review"
        table.move_cursor(row=table.get_row_index(row_ident("browse", "nmda")))
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # cancelled: nothing changes
        await pilot.pause()
        assert context.store.state("browse", "nmda") == reviewed
        await pilot.press("r")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        assert context.store.state("browse", "nmda") is None
        assert len(context.store.reviews(deck_id="browse", card_key="nmda")) == 1
        assert cell_text(table, "browse", "nmda", "status") == "new"


async def test_a_lapsed_card_in_its_relearning_steps_is_named_relearning(context: Context) -> None:
    """A card forgotten after it graduated, due again in minutes: "learning" (or "review") beside "in 1m" read as
    a card never learnt, or as a review a day away; Anki names it relearning."""
    assert study(context, [Grade.EASY]) == ["nmda"]  # a review card, days away
    context.clock.advance(timedelta(days=30))
    assert study(context, [Grade.AGAIN]) == ["nmda"]  # lapsed: into the relearning steps
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(120, 24)) as pilot:
        await open_from_home(pilot, BrowseScreen)
        table = app.screen.query_one("#browse-table", DataTable)
        assert cell_text(table, "browse", "nmda", "status") == "relearning"
        assert " relearning " in screen_text(app)  # the whole word: the column fits the longest state
        assert cell_text(table, "browse", "nmda", "due") == "in 10m"


async def test_card_screen_shows_history_and_can_suspend(context: Context) -> None:
    assert study(context, [Grade.GOOD]) == ["nmda"]  # learning, due in 10 minutes
    practised = study(context, [Grade.HARD] * 8, mode=Mode.PRACTICE)  # every card once, the schedule untouched
    assert "nmda" in practised
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_home(pilot, BrowseScreen)
        table = app.screen.query_one("#browse-table", DataTable)
        table.move_cursor(row=table.get_row_index(row_ident("browse", "nmda")))
        await pilot.press("enter")
        await pilot.pause()
        card_screen = app.screen
        assert isinstance(card_screen, CardScreen)
        rows = table_rows(card_screen.query_one("#card-history", DataTable))
        assert len(rows) == 2
        assert rows[0] == ["2026-01-05 09:00", "Good", "review", "20.0s", "10m"]
        assert rows[1][1:] == ["Hard", "practice", "20.0s", "—"]
        state_text = static_text(card_screen.query_one("#card-state", Static))
        assert "learning" in state_text
        await pilot.press("s")
        assert context.store.state("browse", "nmda").suspended
        assert "suspended" in static_text(card_screen.query_one("#card-state", Static))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        assert cell_text(table, "browse", "nmda", "status") == "suspended"


async def test_card_screen_on_a_phone_shows_every_answers_figures_without_scrolling_sideways(context: Context) -> None:
    """At 40 columns the history's five columns needed 55: the table scrolled sideways, Time and Interval out of
    sight. There each row takes two lines, its figures paired under two-line headings."""
    study(context, [Grade.GOOD])
    study(context, [Grade.HARD] * 8, mode=Mode.PRACTICE)
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(40, 20)) as pilot:
        await open_from_home(pilot, BrowseScreen)
        table = app.screen.query_one("#browse-table", DataTable)
        table.move_cursor(row=table.get_row_index(row_ident("browse", "nmda")))
        await pilot.press("enter")
        await pilot.pause()
        history = app.screen.query_one("#card-history", DataTable)
        app.screen.query_one("#card-scroll").scroll_to_widget(history, animate=False)
        await pilot.pause()
        assert history.max_scroll_x == 0 and app.screen.region.contains_region(history.region)
        rows = screen_rows(app)[history.region.y : history.region.bottom]
        shown = [row[history.region.x : history.region.right].split() for row in rows]
        assert shown == [
            ["When", "Grade", "Time"],
            ["Mode", "Interval"],
            ["2026-01-05", "Good", "20.0s"],
            ["09:00", "review", "10m"],
            ["2026-01-05", "Hard", "20.0s"],
            ["09:02", "practice", "—"],
        ], shown
        await pilot.resize_terminal(80, 24)  # wider: a line a row again
        await pilot.pause()
        assert table_rows(history)[0] == ["2026-01-05 09:00", "Good", "review", "20.0s", "10m"]


async def test_card_screen_without_history(context: Context) -> None:
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_home(pilot, BrowseScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        assert "No answers yet." in str(app.screen.query_one("#card-history-empty", Static).render())
        assert not app.screen.query_one("#card-history", DataTable).display


async def test_card_page_wraps_values_beside_their_labels_and_says_what_a_new_due_means(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    words = " ".join(f"word{i}" for i in range(30))  # far wider than 80 columns
    deck = tmp_path / "long.yaml"
    deck.write_text(
        "deck: long\ntitle: Long\ncards:\n"
        f"  - {{id: c, kind: choice, front: {words}, options: [{words}, b], answer: b}}\n"
    )
    context = make_context(tmp_path / "data", decks=[deck])
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_home(pilot, BrowseScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        rows = screen_rows(app)
        first = next(i for i, row in enumerate(rows) if "Question" in row)
        column = rows[first].index("word0")
        assert rows[first + 1][:column].strip(" █") == ""  # the label column stays clear
        assert rows[first + 1][column:].startswith("word")  # the value goes on in its own column
        assert "word29" in "".join(rows[first : first + 4])
        option = next(i for i, row in enumerate(rows) if "Options" in row)
        bullet = rows[option].index("• word0")
        assert rows[option + 1][: bullet + 2].strip(" █") == ""  # an option wraps beside its bullet
        assert rows[option + 1][bullet + 2 :].startswith("word")
        assert any(row.strip(" █").endswith("Due  new, not yet scheduled") for row in rows)
    context.close()


async def test_browse_sorts_by_key_and_header_click(context: Context) -> None:
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_from_home(pilot, BrowseScreen)
        table = app.screen.query_one("#browse-table", DataTable)
        await pilot.press("o")  # by question
        assert table_rows(table)[0][0] == BOLD
        await pilot.press("O")  # reversed
        assert table_rows(table)[0][0] == "Which receptor does ketamine block?"
        screen = app.screen
        index = table.get_column_index("lapses")
        screen.post_message(DataTable.HeaderSelected(table, table.ordered_columns[index].key, index, Text("Lapses")))
        await pilot.pause()
        assert screen._sort == "lapses" and not screen._reverse


# --- Stats --------------------------------------------------------------------------------------------


def studied_on_an_85_preset(context: Context) -> None:
    """Six answers 20 days apart (some to cards in review) to the deck, then put on a preset asking for 85%."""
    study(context, [Grade.EASY, Grade.EASY, Grade.GOOD])
    context.clock.advance(timedelta(days=20))
    study(context, [Grade.GOOD, Grade.GOOD, Grade.AGAIN])
    tuned = replace(context.store.settings(), desired_retention=0.85)
    assign_preset(context.store, "browse", new_preset(context.store, "Nursing school", tuned))


async def test_stats_measures_true_retention_against_the_retention_the_deck_s_preset_asks_for(
    context: Context,
) -> None:
    """A deck imported from Anki with its options studies towards its preset's desired retention (85%), not
    Default's (90%): the summary and the weekly chart's line at 40 columns say the one the answers aimed at."""
    studied_on_an_85_preset(context)
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(40, 20)) as pilot:
        screen = await open_from_home(pilot, StatsScreen)
        summary = static_text(screen.query_one("#stats-summary", Static), 40)
        assert "target 85%" in summary and "target 90%" not in summary
        await pilot.press("3")
        await pilot.pause()
        assert "your target (85%)" in static_text(screen.query_one("#retention-note", Static), 40)
    assert context.store.settings().desired_retention == 0.9  # Default's own target is left as it was


async def test_stats_weekly_chart_is_measured_against_its_own_weeks_answers_past_the_30_days(
    context: Context,
) -> None:
    """35 days on, the weekly chart still shows the answers of the 85% deck (8 weeks), and the last 30 days have
    none: the chart's line, and the summary's target, were Default's 90%, not what those answers aimed at."""
    studied_on_an_85_preset(context)
    context.clock.advance(timedelta(days=35))
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(40, 20)) as pilot:
        screen = await open_from_home(pilot, StatsScreen)
        summary = " ".join(static_text(screen.query_one("#stats-summary", Static), 40).split())
        assert "not enough reviews yet (target 85%)" in summary  # none in 30 days: the deck studied aims at 85%
        await pilot.press("3")
        await pilot.pause()
        note = static_text(screen.query_one("#retention-note", Static), 40)
        assert "Passed answers" in note and "your target (85%)" in note, note  # the weeks' answers are there
        chart = screen.query_one("#retention-plot", PlotextPlot).plt.build()
        assert "True retention per week" in chart


async def test_stats_reads_the_answers_once_for_each_retention_figure_with_its_target(
    context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary's 30 days and the weekly chart's 8 weeks: one read of the answers each, the target taken from
    it (the target was read a third time, and a fourth by the workload's simulation), and the Memory tab's. Each
    tab's figure is read as the tab is first shown."""
    studied_on_an_85_preset(context)
    calls = counting_retention_answers(monkeypatch)
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_home(pilot, StatsScreen)
        assert len(calls) == 1  # the summary's: the Forecast tab shown needs no answers
        await pilot.press("3", "7", "3")
        await pilot.pause()
        assert len(calls) == 3
        await pilot.press("w")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Yours (85%): " in " ".join(static_text(app.screen.query_one("#retention-note", Static)).split())
        assert len(calls) == 3  # the workload's target is the summary's


async def test_stats_past_8_weeks_without_answers_reads_the_decks_answered_once_for_both_figures(
    context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Back after 60 days: neither the summary's 30 days nor the weekly chart's 8 weeks have answers, and both aim
    at the deck's preset (85%), read once for the screen: each figure read the whole log for it, again on each
    return to the weekly chart."""
    studied_on_an_85_preset(context)
    context.clock.advance(timedelta(days=60))
    calls: list[list[str]] = []
    real = Store.answered_decks

    def counted(self: Store) -> list[str]:
        calls.append(real(self))
        return calls[-1]

    monkeypatch.setattr(Store, "answered_decks", counted)
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_home(pilot, StatsScreen)
        await pilot.press("3", "c", "c")  # calibration, then the weekly chart again
        await pilot.pause()
        assert "not enough reviews yet (target 85%)" in " ".join(
            static_text(screen.query_one("#stats-summary")).split()
        )
        assert "(target 85%)" in static_text(screen.query_one("#retention-note", Static))
    assert calls == [["browse"]]


async def test_stats_with_an_empty_store_says_so(context: Context) -> None:
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_home(pilot, StatsScreen)
        screen = app.screen
        assert "No reviews yet" in str(screen.query_one("#stats-summary", Static).render())
        assert not screen.query_one("#forecast-plot", PlotextPlot).display
        for key in "23456":
            await pilot.press(key)
            await pilot.pause()
        assert "No reviews yet" in str(screen.query_one("#reviews-note", Static).render())
        assert not screen.query_one("#reviews-plot", PlotextPlot).display
        assert screen.query_one("#states-plot", PlotextPlot).display  # every card is new: still a chart
        await pilot.press("q")
        assert isinstance(app.screen, HomeScreen)  # back where it was opened


async def test_stats_draws_charts_from_reviews(context: Context) -> None:
    study(context, [Grade.EASY, Grade.EASY, Grade.GOOD])
    context.clock.advance(timedelta(days=20))  # the easy cards come due; answer them as reviews
    assert study(context, [Grade.GOOD, Grade.GOOD, Grade.AGAIN]) == ["hostile-click", "nmda", "hostile-bold"]
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_from_home(pilot, StatsScreen)
        screen = app.screen
        summary = str(screen.query_one("#stats-summary", Static).render())
        assert "True retention 50% over 2 reviews" in summary and "target 90%" in summary
        for tab in ("forecast", "reviews", "retention", "states"):
            await pilot.press(str(("forecast", "reviews", "retention", "states").index(tab) + 1))
            await pilot.pause()
            plot = screen.query_one(f"#{tab}-plot", PlotextPlot)
            assert plot.display, tab
            assert plot.size.width > 0 and plot.size.height > 0
            assert Text.from_ansi(plot.plt.build()).plain.strip(), tab
        await pilot.press("5")
        await pilot.pause()
        topics = screen_text(app)
        assert "Browse [i]test[/i] deck" in topics and "%" in topics
        await pilot.press("d")
        assert screen.history_days == 90
        assert "last 90 days" in screen.query_one("#reviews-plot", PlotextPlot).plt.build()
        await pilot.press("6")
        await pilot.pause()
        note = str(screen.query_one("#calendar-note", Static).render())
        assert "Studied on 2 of the last" in note and "current streak 1 · longest 1" in note
        grid = screen.query_one("#calendar-grid", Static).render()
        rows = grid.plain.splitlines()[1:8]
        assert [row[:4] for row in rows] == ["Mon ", "    ", "Wed ", "    ", "Fri ", "    ", "Sun "]
        cells = sum(row.count(shade) for row in rows for shade in SHADES)
        assert 7 * 25 < cells <= 7 * 26  # 25 whole weeks and this one so far


def test_the_calendar_shades_each_day_by_its_answers() -> None:
    days = [date(2026, 11, 2) + timedelta(days=i) for i in range(12)]  # Monday 2 Nov to Friday 13 Nov
    counts = [0, 1, 0, 0, 8, 0, 0, 0, 2, 0, 0, 4]
    grid = heat_grid(days, counts)
    lines = grid.plain.splitlines()
    assert lines[0].startswith("    Nov") and lines[1] == "Mon · · " and lines[7] == "Sun · "
    cells = [(span.style, grid.plain[span.start]) for span in grid.spans if span.style in HEAT]
    drawn = cells[: len(days)]  # row by row: Monday of week 1, Monday of week 2, Tuesday of week 1 ...
    by_day = {(d.weekday(), (d - days[0]).days // 7): n for d, n in zip(days, counts, strict=True)}
    expected = [by_day[(w, k)] for w in range(7) for k in range(2) if (w, k) in by_day]
    levels = [HEAT.index(style) for style, _ in drawn]
    assert [SHADES.index(shade) for _, shade in drawn] == levels  # each level's shade beside its colour
    assert [level > 0 for level in levels] == [n > 0 for n in expected]
    assert levels[expected.index(8)] == 4 and levels[expected.index(1)] == 1  # the busiest day is darkest


def test_the_calendar_names_the_month_its_last_weeks_are_in() -> None:
    """26 weeks to Thursday 10 Dec 2026: the names stopped at "Nov", the week holding 1 Dec starting on 30 Nov and
    the next one too near the edge for "Dec". A month is named over the week that holds its first day."""
    days = [date(2026, 6, 15) + timedelta(days=i) for i in range(7 * 25 + 4)]  # Monday 15 Jun to Thursday 10 Dec
    months = heat_grid(days, [0] * len(days)).plain.splitlines()[0].split()
    assert months == ["Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


# --- Settings -----------------------------------------------------------------------------------------


async def test_settings_saves_good_values(context: Context) -> None:
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_home(pilot, SettingsScreen)
        screen = app.screen
        retention = screen.query_one("#set-desired_retention", Input)
        assert retention.value == "0.9"
        retention.value = "0.85"
        screen.query_one("#set-new_per_day", Input).value = "7"
        screen.query_one("#set-learning_steps_minutes", Input).value = "2, 15 60"
        await pilot.pause()
        await pilot.press("ctrl+s")
        saved = context.store.settings()
        assert saved.desired_retention == 0.85 and saved.new_per_day == 7
        assert saved.learning_steps_minutes == (2.0, 15.0, 60.0)
        assert saved.fuzz is False  # settings the form does not show are kept
        assert "Saved" in str(screen.query_one("#settings-status", Static).render())
        await pilot.press("escape")  # nothing unsaved: leaves at once
        assert isinstance(app.screen, HomeScreen)  # back where it was opened


async def test_settings_refuses_bad_values_and_says_why(context: Context) -> None:
    before = context.store.settings()
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_home(pilot, SettingsScreen)
        screen = app.screen
        field = screen.query_one("#set-desired_retention", Input)
        field.focus()
        await pilot.press("ctrl+a", "ctrl+k", *"1.5")
        await pilot.pause()
        error = screen.query_one("#err-desired_retention", Label)
        assert "Desired retention must be from 0.7 to 0.99, not 1.5" in str(error.render())
        assert error.display and field.has_class("-invalid")
        screen.query_one("#set-learning_steps_minutes", Input).value = "soon"
        screen.query_one("#set-new_per_day", Input).value = "12"
        await pilot.pause()
        assert "Learning steps: soon is not a list of minutes" in str(
            screen.query_one("#err-learning_steps_minutes", Label).render()
        )
        await pilot.press("ctrl+s")
        assert context.store.settings() == before  # nothing saved, not even the good new_per_day
        assert "Not saved: 2 settings to fix" in str(screen.query_one("#settings-status", Static).render())
        await pilot.press("escape")  # unsaved changes: warned first, its keys named as the footer and Help name them
        assert isinstance(app.screen, SettingsScreen)
        assert "Unsaved changes: Ctrl+S saves them, Esc again leaves without saving." in messages(app)
        field.value = "0.95"
        screen.query_one("#set-learning_steps_minutes", Input).value = "1 10"
        await pilot.pause()
        assert not error.display
        screen.query_one("#settings-save").scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#settings-save")
        assert context.store.settings().desired_retention == 0.95
        assert context.store.settings().new_per_day == 12


async def test_settings_theme_applies_at_once_and_is_kept(context: Context) -> None:
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_home(pilot, SettingsScreen)
        select = app.screen.query_one("#set-theme", Select)
        assert "textual-light" in app.available_themes
        select.value = "textual-light"
        await pilot.pause()
        assert app.theme == "textual-light"
        assert context.store.settings().theme == "textual-light"


async def test_settings_defaults_fill_the_form(context: Context) -> None:
    context.store.save_settings(replace(context.store.settings(), new_per_day=3))
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_home(pilot, SettingsScreen)
        assert app.screen.query_one("#set-new_per_day", Input).value == "3"
        await pilot.press("ctrl+r")
        assert app.screen.query_one("#set-new_per_day", Input).value == "20"
        assert context.store.settings().new_per_day == 3  # not saved until asked
        await pilot.press("ctrl+s")
        assert context.store.settings().new_per_day == 20


# --- Help ---------------------------------------------------------------------------------------------


async def test_help_lists_every_screen_and_the_current_keys(context: Context) -> None:
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        browse = await open_from_home(pilot, BrowseScreen)
        await pilot.press("question_mark")  # Browse's own key for the help
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        text = "\n".join(str(s.render()) for s in help_screen.query(Static))
        assert "Now, on Browse" in text
        assert "Suspend the card, or unsuspend it" in text
        assert "Ctrl+P" in text and "command palette" in text
        for title in ("Browse", "Stats", "Settings"):
            assert f"{title}:" in text
        assert "Ctrl+S" in text and "Esc" in text
        await pilot.press("escape")
        assert app.screen is browse
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        assert app.screen is browse
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.is_running


# --- every screen at 80x24 and without colour ---------------------------------------------------------


@pytest.mark.parametrize(
    ("screen", "title"),
    [
        (BrowseScreen, "Browse ·"),
        (StatsScreen, "Stats ·"),
        (SettingsScreen, "Settings ·"),
        (HelpScreen, "Help ·"),
    ],
)
async def test_screens_fit_80x24_without_colour(
    context: Context, screen, title: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    study(context, [Grade.GOOD, Grade.EASY])
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_home(pilot, screen)
        assert app.no_color
        assert clipped(app.screen) == []  # nothing reaches past the screen, under the key bar or sideways
        keys = app.screen.query_one(KeyBar)
        assert keys.region == Region(0, 23, 80, 1)  # the key bar: the whole last row
        line = keys.render()
        assert line.cell_length <= 80, f"the key bar is cut at 80 columns: {line.plain!r}"
        rows = screen_rows(app)
        assert rows[0].strip().startswith(title)
        assert rows[-1] == line.plain.rstrip()


# --- one trip through every screen -------------------------------------------------------------------


async def test_real_app_opens_browse_stats_settings_and_help(context: Context) -> None:
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        shown = screen_text(app)
        assert "[b]x[/b]" in shown and "[@click=app.quit]" in shown
        await pilot.press("s")  # the first card, nmda
        assert context.store.state("browse", "nmda").suspended
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Now, on Browse" in str(app.screen.query_one("#help-current", Static).render())
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.screen is home
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        assert "1 deck, 8 cards" in str(app.screen.query_one("#stats-summary", Static).render())
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is home and app.is_running
        await pilot.press("comma")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#set-reviews_per_day", Input).value = "150"
        await pilot.press("ctrl+s", "escape")
        await pilot.pause()
        assert app.screen is home
        assert context.store.settings().reviews_per_day == 150


# --- no decks at all, and a very large library --------------------------------------------------------


async def test_screens_with_no_decks_at_all(tmp_path: Path) -> None:
    empty = Context(data_dir=tmp_path, clock=FixedClock(START), include_shipped=False)
    try:
        app = QuizApp(empty, seed=SEED)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_from_home(pilot, BrowseScreen)
            await pilot.press("enter", "s", "r", "o")  # nothing to act on: nothing happens
            await pilot.pause()
            assert isinstance(app.screen, BrowseScreen)
            assert "0 cards" in str(app.screen.query_one("#browse-count", Label).render())
        app = QuizApp(empty, seed=SEED)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_from_home(pilot, StatsScreen)
            assert "0 decks, 0 cards" in str(app.screen.query_one("#stats-summary", Static).render())
            await pilot.press("5")
            await pilot.pause()
            assert "No cards yet" in str(app.screen.query_one("#topics-note", Static).render())
    finally:
        empty.close()


def big_deck(count: int) -> Deck:
    notes = tuple(
        new_note(id=f"c{i}", kind="basic", topic=f"t{i % 5}", tags=(f"tag{i % 50}",), front=f"question {i}", back="a")
        for i in range(count)
    )
    return Deck(id="big", title="Big", path="big.yaml", notes=notes, cards=tuple(Card("big", n, n.id) for n in notes))


@contextmanager
def big_library(tmp_path: Path, count: int) -> Iterator[Context]:
    """A context whose library holds only `big_deck(count)`, closed as the test ends."""
    big = Context(data_dir=tmp_path, clock=FixedClock(START), include_shipped=False)
    big._library = Library(folders=[], results=[LoadResult("big.yaml", big_deck(count))])
    try:
        yield big
    finally:
        big.close()


async def test_end_fills_the_list_without_measuring_each_cell_and_scrolls_to_the_last_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Browse's columns have their widths given: DataTable measuring each new cell for its column's width changed
    nothing drawn, and took most of End's 9 s over 45k cards. The list still scrolls to its very last card."""
    count = 2 * PAGE + 50
    measured: list[object] = []
    real_measure = data_table_module.measure

    def counted(*args: object, **kwargs: object) -> int:
        measured.append(args[1])
        return real_measure(*args, **kwargs)  # type: ignore[arg-type]

    with big_library(tmp_path, count) as big:
        app = QuizApp(big, seed=SEED)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_from_home(pilot, BrowseScreen)
            table = app.screen.query_one("#browse-table", DataTable)
            monkeypatch.setattr(data_table_module, "measure", counted)
            await pilot.press("end")
            await pilot.pause()
            assert measured == []
            assert table.row_count == count and table.cursor_row == count - 1
            assert table.virtual_size.height == count + table.header_height
            assert table.scroll_y == table.max_scroll_y > 0
            assert f"question {count - 1}" in screen_text(app)


@pytest.mark.slow
async def test_browse_fills_a_large_library_a_page_at_a_time(tmp_path: Path) -> None:
    with big_library(tmp_path, 50_000) as big:
        app = QuizApp(big, seed=SEED)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_from_home(pilot, BrowseScreen)
            table = app.screen.query_one("#browse-table", DataTable)
            assert table.row_count == PAGE  # not 50,000 rows of widgets-worth of work up front
            assert "50,000 cards (300 listed" in str(app.screen.query_one("#browse-count", Label).render())
            table.move_cursor(row=PAGE - 1)
            await pilot.pause()
            assert table.row_count == 2 * PAGE  # nearing the end loads the next page
            app.screen.query_one(Input).value = "question 4999"
            await pilot.pause(0.4)  # large libraries wait for a pause in typing
            await pilot.pause()
            shown = [r[0] for r in table_rows(table)]  # every word matches somewhere: 4999, 14999 ... 49999
            assert len(shown) == 15 and shown[:2] == ["question 4999", "question 14999"]


@pytest.fixture
def rows_held(monkeypatch: pytest.MonkeyPatch) -> asyncio.Semaphore:
    """Browse makes no row after its first page's until the test lets it, one chunk each release: what the screen
    shows, and what keys do, while the other rows are still being made (45,000 cards: seconds)."""
    let = asyncio.Semaphore(0)

    async def held() -> None:
        await let.acquire()

    monkeypatch.setattr(browse_module, "_keys_first", held)
    return let


async def _all_rows_made(pilot, let: asyncio.Semaphore) -> None:
    """One chunk at a time, the screen's scrolls and redraws done between two, as between keys."""
    while any(worker.group == "browse-rows" and not worker.is_finished for worker in pilot.app.workers):
        let.release()
        await pilot.pause()
    await pilot.pause()


def edit_reloads(monkeypatch: pytest.MonkeyPatch, big: Context, count: int) -> None:
    """`e` loads the decks again, as after an edit, the big deck now of `count` cards."""

    def edited(screen: Screen, card: Card) -> bool:
        big._library = Library(folders=[], results=[LoadResult("big.yaml", big_deck(count))])
        return True

    monkeypatch.setattr(browse_module, "edit_card", edited)


LATER = PAGE + 2 * ROWS_AT_A_TIME + 7  # a library whose rows are made in four chunks


@asynccontextmanager
async def _browse_of_a_big_library_an_edit_reloads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[Context, QuizApp, Pilot, BrowseScreen]]:
    """Browse open on a library of LATER cards, in which `e` loads the decks again: (context, app, pilot, browse)."""
    with big_library(tmp_path, LATER) as big:
        edit_reloads(monkeypatch, big, LATER)
        app = QuizApp(big, seed=SEED)
        async with app.run_test(size=(100, 30)) as pilot:
            browse = await open_from_home(pilot, BrowseScreen)
            assert isinstance(browse, BrowseScreen)
            yield big, app, pilot, browse


async def test_browse_shows_its_first_page_before_its_other_rows_are_made(
    tmp_path: Path, rows_held: asyncio.Semaphore
) -> None:
    """Browse made a row for each of the 45,000 cards of an Anki import before showing anything (1-4 s): it shows
    the first page at once, the cursor moving over it, and lists the others as they are made."""
    with big_library(tmp_path, LATER) as big:
        app = QuizApp(big, seed=SEED)
        async with app.run_test(size=(100, 30)) as pilot:
            browse = await open_from_home(pilot, BrowseScreen)
            table = browse.query_one("#browse-table", DataTable)
            assert table.row_count == PAGE and table_rows(table)[0][0] == "question 0"
            count = browse.query_one("#browse-count", Label)
            assert str(count.render()) == f"{LATER:,} cards (300 read, more as they come)"  # as wide as after
            await pilot.press("down", "down", "down")
            assert browse.current_card()[1].key == "c3"
            await _all_rows_made(pilot, rows_held)
            assert str(browse.query_one("#browse-count", Label).render()) == (
                f"{LATER:,} cards (300 listed, more as you scroll)"
            )
            assert browse.current_card()[1].key == "c3"
            await pilot.press("end")
            await pilot.pause()
            assert table.row_count == LATER and browse.current_card()[1].key == f"c{LATER - 1}"
            assert f"question {LATER - 1}" in screen_text(app)


async def test_a_search_while_rows_are_made_counts_what_it_found_so_far(
    tmp_path: Path, rows_held: asyncio.Semaphore
) -> None:
    """The count said how many rows were made, a search meanwhile or not, and in other words than once all were
    (the search box beside it jumping 20 columns): it says what the search found among the rows made so far."""
    with big_library(tmp_path, LATER) as big:
        app = QuizApp(big, seed=SEED)
        async with app.run_test(size=(100, 30)) as pilot:
            browse = await open_from_home(pilot, BrowseScreen)
            await pilot.press("slash", *'"question 12"', "enter")  # questions 12, 120-129, 1200-1299...
            await pilot.pause(0.4)  # a search waits for a pause in typing
            count = browse.query_one("#browse-count", Label)
            table = browse.query_one("#browse-table", DataTable)
            for read in (PAGE, PAGE + ROWS_AT_A_TIME):
                found = sum(str(i).startswith("12") for i in range(read))
                assert table.row_count == found
                assert str(count.render()) == f"{found} of {LATER:,} cards ({read:,} read, more as they come)"
                rows_held.release()
                await pilot.pause()


@pytest.mark.parametrize(
    ("keys", "selected", "first"),
    [
        (["slash", *f"question {LATER - 2}", "enter"], f"c{LATER - 2}", f"question {LATER - 2}"),
        (["O"], f"c{LATER - 1}", f"question {LATER - 1}"),  # deck order reversed: at the top of the new order
        (["end"], f"c{LATER - 1}", "question 0"),
        (["end", "up"], f"c{PAGE - 2}", "question 0"),  # moved since End: the cursor stays on its card
    ],
    ids=["search", "sort", "end", "end-then-up"],
)
async def test_a_search_a_sort_or_end_given_while_rows_are_made_takes_in_every_card(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rows_held: asyncio.Semaphore,
    keys: list[str],
    selected: str,
    first: str,
) -> None:
    with big_library(tmp_path, LATER) as big:
        app = QuizApp(big, seed=SEED)
        async with app.run_test(size=(100, 30)) as pilot:
            browse = await open_from_home(pilot, BrowseScreen)
            jumped = browse.show_last_card

            def and_a_chunk_made() -> None:  # before the jump's own scroll and highlight are handled
                jumped()
                rows_held.release()

            monkeypatch.setattr(browse, "show_last_card", and_a_chunk_made)
            await pilot.press(*keys)
            await pilot.pause(0.4)  # a search waits for a pause in typing
            await _all_rows_made(pilot, rows_held)
            table = browse.query_one("#browse-table", DataTable)
            assert browse.current_card()[1].key == selected
            assert table_rows(table)[0][0] == first
            assert selected.replace("c", "question ") in screen_text(app)


@pytest.mark.parametrize("keys", [["O", "O"], ["o"] * 9], ids=["reversed-and-back", "every-sort-and-back"])
async def test_a_sort_undone_while_rows_are_made_lists_every_card(
    tmp_path: Path, rows_held: asyncio.Semaphore, keys: list[str]
) -> None:
    """The rows made while a sort was on were left for the sort done again once all were made; back to deck order
    by then, none was: 1,000 cards a chunk never listed, End stopping short of them."""
    with big_library(tmp_path, LATER) as big:
        app = QuizApp(big, seed=SEED)
        async with app.run_test(size=(100, 30)) as pilot:
            browse = await open_from_home(pilot, BrowseScreen)
            await pilot.press(keys[0])
            rows_held.release()  # a chunk made while sorted
            await pilot.pause()
            await pilot.press(*keys[1:])
            await _all_rows_made(pilot, rows_held)
            await pilot.press("end")
            await pilot.pause()
            table = browse.query_one("#browse-table", DataTable)
            assert [key.value for key in table.rows] == [row_ident("big", f"c{i}") for i in range(LATER)]
            assert browse.current_card()[1].key == f"c{LATER - 1}"
            assert str(browse.query_one("#browse-count", Label).render()) == f"{LATER:,} cards"


@pytest.mark.parametrize(
    ("key", "status", "flag"), [("s", "suspended", 0), ("b", "buried", 0), ("ctrl+1", "new", 1)], ids=["s", "b", "flag"]
)
async def test_a_card_changed_on_its_page_before_its_row_is_made_again_is_saved_and_shown_once_it_is(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rows_held: asyncio.Semaphore,
    key: str,
    status: str,
    flag: int,
) -> None:
    """After `e` the rows are made afresh, the first page at once; a card past it suspended, buried or flagged
    from its page meanwhile had no row to redraw: the change was saved, then the app stopped with a traceback."""
    async with _browse_of_a_big_library_an_edit_reloads(tmp_path, monkeypatch) as (big, app, pilot, browse):
        await _all_rows_made(pilot, rows_held)
        await pilot.press("slash", *"question 1500", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen) and app.screen.card.key == "c1500"
        await pilot.press("e", key)
        await pilot.pause()
        assert isinstance(app.screen, CardScreen) and app.is_running
        assert app.screen.card.key == "c1500"
        state = big.store.state("big", "c1500")
        held = (state.suspended, state.buried_until is not None) if state else (False, False)
        assert held == (status == "suspended", status == "buried")
        assert big.store.flag("big", "c1500") == flag
        await pilot.press("escape")
        await _all_rows_made(pilot, rows_held)
        row = next(row for row in browse._all if row.card_key == "c1500")
        assert (row.status, row.flag) == (status, flag)
        table = browse.query_one("#browse-table", DataTable)
        assert browse.current_card()[1].key == "c1500" and status in table_rows(table)[0]


async def test_a_card_its_edit_removed_suspended_from_its_page_leaves_the_app_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows_held: asyncio.Semaphore
) -> None:
    with big_library(tmp_path, LATER) as big:
        edit_reloads(monkeypatch, big, 1000)  # the card gone from the decks loaded again
        app = QuizApp(big, seed=SEED)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_from_home(pilot, BrowseScreen)
            await _all_rows_made(pilot, rows_held)
            await pilot.press("slash", *"question 1500", "enter", "enter", "e", "s")
            await pilot.pause()
            assert isinstance(app.screen, CardScreen) and app.is_running
            assert big.store.state("big", "c1500").suspended


async def test_a_search_given_while_rows_are_made_keeps_the_cursor_on_its_card_when_all_are(
    tmp_path: Path, rows_held: asyncio.Semaphore
) -> None:
    """Each chunk is searched as it comes, so the list is whole once the last is; the search was done again over
    every card all the same, the list emptied and filled anew, the cursor thrown to the top from 600 rows down."""
    with big_library(tmp_path, LATER) as big:
        app = QuizApp(big, seed=SEED)
        async with app.run_test(size=(100, 30)) as pilot:
            browse = await open_from_home(pilot, BrowseScreen)
            await pilot.press("slash", *"-tag:tag7", "enter")  # all but 1 card in 50
            for _ in range(2):
                rows_held.release()
                await pilot.pause()
            await pilot.press(*["pagedown"] * 40)
            await pilot.pause()
            table = browse.query_one("#browse-table", DataTable)
            on, row = browse.current_card()[1].key, table.cursor_row
            assert row > 600
            await _all_rows_made(pilot, rows_held)
            assert (browse.current_card()[1].key, table.cursor_row) == (on, row)
            found = [r.ident for r in browse._all if "tag7" not in r.tags]
            assert len(found) == 2261 and str(browse.query_one("#browse-count", Label).render()).startswith(
                f"{len(found):,} of {LATER:,} cards ("
            )
            await pilot.press("end")
            await pilot.pause()
            assert [key.value for key in table.rows] == found


async def test_a_sort_given_while_rows_are_made_is_counted_as_such_then_done_over_all_the_cursor_kept(
    tmp_path: Path, rows_held: asyncio.Semaphore
) -> None:
    """A sort given while rows are made lists the rows read by then; the count said how many were read, as if the
    list grew with them. It says how many the sort took; once all are read they all are sorted, and the cursor
    stays on its card, however far down it goes."""
    with big_library(tmp_path, LATER) as big:
        app = QuizApp(big, seed=SEED)
        async with app.run_test(size=(100, 30)) as pilot:
            browse = await open_from_home(pilot, BrowseScreen)
            count = browse.query_one("#browse-count", Label)
            table = browse.query_one("#browse-table", DataTable)
            await pilot.press("O", *["down"] * 5)  # deck order reversed
            await pilot.pause()
            assert str(count.render()) == f"{LATER:,} cards (sorted: 300 of 300 read, all once read)"
            rows_held.release()
            await pilot.pause()
            assert str(count.render()) == f"{LATER:,} cards (sorted: 300 of 1,300 read, all once read)"
            assert [key.value for key in table.rows] == [row_ident("big", f"c{i}") for i in reversed(range(PAGE))]
            assert browse.current_card()[1].key == f"c{PAGE - 6}"
            await _all_rows_made(pilot, rows_held)
            assert [row.ident for row in browse._matches] == [row_ident("big", f"c{i}") for i in reversed(range(LATER))]
            assert browse.current_card()[1].key == f"c{PAGE - 6}"
            assert table.cursor_row == LATER - PAGE + 5 and f"question {PAGE - 6}" in screen_text(app)
            assert str(count.render()).startswith(f"{LATER:,} cards")


async def test_a_sort_given_while_rows_are_made_starts_at_the_top_of_its_order_once_all_are(
    tmp_path: Path, rows_held: asyncio.Semaphore
) -> None:
    """O pressed as Browse opens, the cursor left where the sort put it: once every row was read, the cursor
    followed its card to the bottom of the order, every row above it put into the table at once (45,000 cards:
    6.5 s with no key working), the top of the order out of sight. The order starts at its top, a page listed."""
    with big_library(tmp_path, LATER) as big:
        app = QuizApp(big, seed=SEED)
        async with app.run_test(size=(100, 30)) as pilot:
            browse = await open_from_home(pilot, BrowseScreen)
            await pilot.press("O")
            await _all_rows_made(pilot, rows_held)
            table = browse.query_one("#browse-table", DataTable)
            assert (browse.current_card()[1].key, table.cursor_row, table.scroll_y) == (f"c{LATER - 1}", 0, 0)
            assert table.row_count == PAGE and f"question {LATER - 1}" in screen_text(app)


@pytest.mark.parametrize("keys", [[], ["O"]], ids=["deck-order", "reversed"])
async def test_the_cursor_goes_back_to_the_card_edited_once_its_row_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows_held: asyncio.Semaphore, keys: list[str]
) -> None:
    """After `e` the rows are made afresh, the first page at once: a card edited past it lost the cursor to the
    top card for good (sorted, to a card thousands of rows down once all were read). The cursor goes back to it as
    soon as its row is made, and stays there."""
    async with _browse_of_a_big_library_an_edit_reloads(tmp_path, monkeypatch) as (_, app, pilot, browse):
        await _all_rows_made(pilot, rows_held)
        await pilot.press(*keys, *["pagedown"] * 17)
        await pilot.pause()
        table = browse.query_one("#browse-table", DataTable)
        on = browse.current_card()[1].key
        assert table.cursor_row > PAGE
        await pilot.press("e")
        await pilot.pause()
        while any(w.group == "browse-rows" and not w.is_finished for w in app.workers):
            if any(row.card_key == on for row in browse._all):
                assert browse.current_card()[1].key == on
            rows_held.release()
            await pilot.pause()
        await pilot.pause()
        assert browse.current_card()[1].key == on and f"question {on[1:]}" in screen_text(app)


@pytest.mark.parametrize("keys", [[], ["O"]], ids=["listed-as-made", "sorted"])
async def test_leaving_browse_before_its_rows_are_made_leaves_the_app_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keys: list[str]
) -> None:
    """Browse's next chunk of rows, made while the screen was being taken down, looked for its count (or, sorted,
    its table) among widgets already gone: the app stopped with a traceback, quiz.lock left behind."""
    browse: Screen | None = None

    async def until_its_widgets_are_gone() -> None:
        while browse is None or browse.query("#browse-count"):
            await asyncio.sleep(0)

    monkeypatch.setattr(browse_module, "_keys_first", until_its_widgets_are_gone)
    with big_library(tmp_path, LATER) as big:
        app = QuizApp(big, seed=SEED)
        async with app.run_test(size=(100, 30)) as pilot:
            browse = await open_from_home(pilot, BrowseScreen)
            await pilot.press(*keys, "escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert [worker for worker in app.workers if worker.state == WorkerState.ERROR] == []
            await open_from_home(pilot, HelpScreen)


async def test_a_tab_first_shown_after_midnight_describes_the_moment_stats_opened(context: Context) -> None:
    """Each tab is drawn when first shown; one shown after the clock passed a day (Stats left open overnight)
    described another day than the summary and the tabs drawn before ("Studied on 1 of the last 178 days ·
    current streak 0" beside a summary of the day it opened): every tab describes the moment Stats was drawn."""
    study(context, [Grade.EASY, Grade.GOOD])
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_from_home(pilot, StatsScreen)
        context.clock.advance(timedelta(days=2))
        await pilot.press("6")
        await pilot.pause()
        note = str(app.screen.query_one("#calendar-note", Static).render())
        assert "current streak 1" in note, note


@pytest.mark.parametrize(
    "keys", [["s"], ["asterisk"], ["ctrl+1"], ["down", "down", "s"]], ids=["s", "mark", "flag", "moved"]
)
async def test_a_key_pressed_before_the_edited_card_s_row_is_read_again_acts_on_no_other_card_silently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows_held: asyncio.Semaphore, keys: list[str]
) -> None:
    """Until the edited card's row was read again the cursor waited on the top card, and `s` suspended that card,
    not the one just edited; a move made meanwhile was taken back once the row came. A card key does nothing then,
    and says why; a move she makes is kept, the card it shows the one acted on."""
    async with _browse_of_a_big_library_an_edit_reloads(tmp_path, monkeypatch) as (big, app, pilot, browse):
        await _all_rows_made(pilot, rows_held)
        await pilot.press(*["pagedown"] * 40)
        await pilot.pause()
        edited = browse.current_card()[1].key
        assert browse.query_one("#browse-table", DataTable).cursor_row >= PAGE
        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
        await _all_rows_made(pilot, rows_held)
        keys_changed = [
            f"c{i}" for i in range(LATER) if big.store.state("big", f"c{i}") or big.store.flag("big", f"c{i}")
        ]
        assert not big.store.marked_notes("big")
        if keys[0] == "down":
            assert keys_changed == ["c2"] and browse.current_card()[1].key == "c2"
        else:
            assert keys_changed == [] and "being read" in messages(app)
            assert browse.current_card()[1].key == edited


def rows_added_at_a_time(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many rows each filling of Browse's table adds, once the test clears it: the keys wait for each."""
    added: list[int] = []
    load_more = BrowseScreen._load_more

    def counted(screen: BrowseScreen, count: int = PAGE) -> None:
        before = screen.query_one("#browse-table", DataTable).row_count
        load_more(screen, count)
        added.append(screen.query_one("#browse-table", DataTable).row_count - before)

    monkeypatch.setattr(BrowseScreen, "_load_more", counted)
    return added


@pytest.mark.parametrize(
    ("keys", "selected", "row"),
    [
        (["O", "down"], "c298", LATER - 1 - 298),  # moved since the sort: followed, thousands of rows down
        (["O", "slash", *'"question 12"', "enter"], "c1299", 0),  # a search is no move: the top of the order
        (["end", "up", "e"], f"c{LATER - 2}", LATER - 2),  # all read first, then the edit: the rows read again
    ],
    ids=["sort-then-down", "sort-then-search", "edit-far-down"],
)
async def test_the_cursor_follows_its_card_far_down_a_page_at_a_time_between_keys(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rows_held: asyncio.Semaphore,
    keys: list[str],
    selected: str,
    row: int,
) -> None:
    """Following a card far down once every row was read (a sort given then a move, or an edit) listed every row
    above it at once: 45,000 cards froze every key for 4-10 s. The rows above it are listed a page at a time
    between keys; a search's own refill is no move of the cursor, so the sort starts at its top."""
    async with _browse_of_a_big_library_an_edit_reloads(tmp_path, monkeypatch) as (_, _, pilot, browse):
        if keys[-1] == "e":
            await _all_rows_made(pilot, rows_held)
        await pilot.press(*keys[:-1])
        await pilot.pause(0.4)  # a search waits for a pause in typing
        added = rows_added_at_a_time(monkeypatch)
        await pilot.press(keys[-1])
        await pilot.pause()
        await _all_rows_made(pilot, rows_held)
        table = browse.query_one("#browse-table", DataTable)
        assert browse.current_card()[1].key == selected and table.cursor_row == row
        assert max(added, default=0) <= PAGE


@pytest.mark.parametrize("read", ["all", "some"], ids=["all-read", "while-read"])
async def test_a_resize_that_changes_the_columns_keeps_the_cursor_on_its_card_however_far_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows_held: asyncio.Semaphore, read: str
) -> None:
    """A resize that drops a column lists the rows afresh: a cursor past the first 600 rows lost its card, put on
    the top row with one page listed. It goes back to its card, the rows above it listed a page at a time between
    keys; a card key meanwhile acts on no other card."""
    with big_library(tmp_path, LATER) as big:
        app = QuizApp(big, seed=SEED)
        async with app.run_test(size=(100, 30)) as pilot:
            browse = await open_from_home(pilot, BrowseScreen)
            if read == "all":
                await _all_rows_made(pilot, rows_held)
            else:
                rows_held.release()
                await pilot.pause()
            await pilot.press(*["pagedown"] * 40)
            await pilot.pause()
            table = browse.query_one("#browse-table", DataTable)
            on, row = browse.current_card()[1].key, table.cursor_row
            assert row > 2 * PAGE
            added = rows_added_at_a_time(monkeypatch)
            await pilot.resize_terminal(80, 30)  # the tags column goes
            await pilot.pause()
            assert "tags" not in browse._widths
            await pilot.press("s")
            await pilot.pause()
            await _all_rows_made(pilot, rows_held)
            assert (browse.current_card()[1].key, table.cursor_row) == (on, row)
            assert max(added) <= PAGE and "being read" in messages(app)
            assert not any(big.store.state("big", f"c{i}") for i in range(LATER))
            assert f"question {on[1:]}" in screen_text(app)


def _changed_cards(big: Context) -> list[str]:
    """The big library's cards whose state the store holds (one suspended, say)."""
    return [f"c{i}" for i in range(LATER) if big.store.state("big", f"c{i}")]


@pytest.mark.parametrize("follow", ["resize", "e"])
async def test_a_sort_given_while_the_cursor_goes_back_to_its_card_starts_at_the_top_of_its_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows_held: asyncio.Semaphore, follow: str
) -> None:
    """A sort given while the cursor went back to its card far down (after a resize or an edit) left it going:
    with the new order's top card the one shown meanwhile, the cursor ended thousands of rows down, and `s`
    suspended that card. A sort is a move: its order starts at its top."""
    async with _browse_of_a_big_library_an_edit_reloads(tmp_path, monkeypatch) as (big, _, pilot, browse):
        await _all_rows_made(pilot, rows_held)
        await pilot.press(*["pagedown"] * 40)
        await pilot.pause()
        assert browse.query_one("#browse-table", DataTable).cursor_row > 2 * PAGE
        if follow == "resize":
            await pilot.resize_terminal(80, 30)  # the tags column goes
        else:
            await pilot.press("e")
        await pilot.pause()
        await pilot.press("o")  # by question: "question 0" on top, the card shown meanwhile
        await pilot.pause()
        await _all_rows_made(pilot, rows_held)
        await pilot.press("s")
        await pilot.pause()
        assert browse.query_one("#browse-table", DataTable).cursor_row == 0
        assert _changed_cards(big) == ["c0"]


async def test_end_given_while_rows_are_made_is_done_again_once_all_are_after_a_resize(
    tmp_path: Path, rows_held: asyncio.Semaphore
) -> None:
    """A resize after End, while rows were made, sent the cursor back to the card that was last then, and End
    was not done again once every row was read: a resize is no move of the cursor."""
    with big_library(tmp_path, LATER) as big:
        app = QuizApp(big, seed=SEED)
        async with app.run_test(size=(100, 30)) as pilot:
            browse = await open_from_home(pilot, BrowseScreen)
            rows_held.release()
            await pilot.pause()
            await pilot.press("end")
            await pilot.pause()
            await pilot.resize_terminal(80, 30)
            await pilot.pause()
            await _all_rows_made(pilot, rows_held)
            await pilot.press("s")
            await pilot.pause()
            assert browse.query_one("#browse-table", DataTable).cursor_row == LATER - 1
            assert _changed_cards(big) == [f"c{LATER - 1}"]


async def test_a_card_edited_on_its_page_after_a_resize_under_it_is_the_one_browse_goes_back_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows_held: asyncio.Semaphore
) -> None:
    """A resize under a card's page, far down Browse, sent Browse's cursor back to that card a page at a time; an
    edit on the page then made the rows afresh and put the cursor back on the top card it showed meanwhile."""
    async with _browse_of_a_big_library_an_edit_reloads(tmp_path, monkeypatch) as (big, app, pilot, browse):
        await _all_rows_made(pilot, rows_held)
        await pilot.press(*["pagedown"] * 40)
        await pilot.pause()
        table = browse.query_one("#browse-table", DataTable)
        edited, row = browse.current_card()[1].key, table.cursor_row
        assert row > 2 * PAGE
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        await pilot.resize_terminal(80, 30)
        await pilot.pause()
        await pilot.press("e", "escape")
        await pilot.pause()
        await _all_rows_made(pilot, rows_held)
        await pilot.press("s")
        await pilot.pause()
        assert table.cursor_row == row and _changed_cards(big) == [edited]


async def test_a_move_made_before_the_cursor_s_next_step_to_its_card_is_kept_by_a_resize(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows_held: asyncio.Semaphore
) -> None:
    """She moved far while the cursor went back to the card edited, and a resize came before the next step saw
    it: the cursor went on to the edited card. Her move is kept, the cursor going back to her card."""
    async with _browse_of_a_big_library_an_edit_reloads(tmp_path, monkeypatch) as (big, _, pilot, browse):
        await _all_rows_made(pilot, rows_held)
        await pilot.press("end", "e")
        await pilot.pause()
        rows_held.release()
        await pilot.pause()
        rows_held.release()
        await pilot.pause()
        await pilot.press(*["pagedown"] * 40)
        await pilot.pause()
        table = browse.query_one("#browse-table", DataTable)
        on, row = browse.current_card()[1].key, table.cursor_row
        assert row > 2 * PAGE
        await pilot.resize_terminal(80, 30)
        await pilot.pause()
        await _all_rows_made(pilot, rows_held)
        await pilot.press("s")
        await pilot.pause()
        assert table.cursor_row == row and _changed_cards(big) == [on]


async def test_end_then_a_reversed_order_given_while_rows_are_made_starts_at_its_top_once_all_are(
    tmp_path: Path, rows_held: asyncio.Semaphore
) -> None:
    """End, then `O`, while rows were made: the reversed order's top card is the one End went to, so End was done
    again once all were read, the cursor at the bottom of the new order. A sort is a move: its order starts at its
    top."""
    with big_library(tmp_path, LATER) as big:
        app = QuizApp(big, seed=SEED)
        async with app.run_test(size=(100, 30)) as pilot:
            browse = await open_from_home(pilot, BrowseScreen)
            rows_held.release()
            await pilot.pause()
            await pilot.press("end")
            await pilot.pause()
            await pilot.press("O")
            await pilot.pause()
            await _all_rows_made(pilot, rows_held)
            table = browse.query_one("#browse-table", DataTable)
            assert (browse.current_card()[1].key, table.cursor_row) == (f"c{LATER - 1}", 0)


@pytest.mark.parametrize("then", ["all-read", "resize"])
async def test_an_edit_after_end_while_rows_are_made_keeps_the_cursor_on_the_card_edited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows_held: asyncio.Semaphore, then: str
) -> None:
    """End while rows were made, then `e` on End's card: the cursor went back to it, and End was done again once
    all were read, or by a resize, the cursor on the last card, thousands of rows from the one edited. An edit
    ends End: the cursor stays on the card edited."""
    bigger = PAGE + 6 * ROWS_AT_A_TIME + 7  # so many that the cursor is back on the card before all are read
    with big_library(tmp_path, bigger) as big:
        edit_reloads(monkeypatch, big, bigger)
        app = QuizApp(big, seed=SEED)
        async with app.run_test(size=(100, 30)) as pilot:
            browse = await open_from_home(pilot, BrowseScreen)
            rows_held.release()
            await pilot.pause()
            await pilot.press("end")
            await pilot.pause()
            edited = browse.current_card()[1].key
            await pilot.press("e")
            await pilot.pause()
            for _ in range(4):
                rows_held.release()
                await pilot.pause()
            assert browse.current_card()[1].key == edited
            if then == "resize":
                await pilot.resize_terminal(80, 30)  # the tags column goes
                await pilot.pause()
            await _all_rows_made(pilot, rows_held)
            table = browse.query_one("#browse-table", DataTable)
            assert (browse.current_card()[1].key, table.cursor_row) == (edited, int(edited[1:]))


async def test_a_card_edited_on_its_page_opened_from_end_s_card_after_a_resize_is_the_one_browse_goes_back_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows_held: asyncio.Semaphore
) -> None:
    """End while rows were made, Enter on that card, more rows read, then a resize under its page: End was done
    again, Browse's cursor on the new last card, and `e` on the page sent the cursor to that card, not the one
    edited. Browse goes back to the card edited on the page."""
    async with _browse_of_a_big_library_an_edit_reloads(tmp_path, monkeypatch) as (_, app, pilot, browse):
        rows_held.release()
        await pilot.pause()
        await pilot.press("end", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        edited = app.screen.card.key
        rows_held.release()
        await pilot.pause()
        await pilot.resize_terminal(80, 30)  # the tags column goes
        await pilot.pause()
        await pilot.press("e", "escape")
        await pilot.pause()
        await _all_rows_made(pilot, rows_held)
        table = browse.query_one("#browse-table", DataTable)
        assert (browse.current_card()[1].key, table.cursor_row) == (edited, int(edited[1:]))


async def test_home_while_the_cursor_goes_back_to_its_card_keeps_it_on_the_first_card(
    tmp_path: Path, rows_held: asyncio.Semaphore
) -> None:
    """After a resize far down, the cursor shows the top card until its own is listed: Home pressed then changed
    nothing seen, and the cursor left the top a moment later. Home is a move, even onto the row the cursor is on."""
    with big_library(tmp_path, LATER) as big:
        app = QuizApp(big, seed=SEED)
        async with app.run_test(size=(100, 30)) as pilot:
            browse = await open_from_home(pilot, BrowseScreen)
            await _all_rows_made(pilot, rows_held)
            await pilot.press(*["pagedown"] * 40)
            await pilot.pause()
            table = browse.query_one("#browse-table", DataTable)
            assert table.cursor_row > 2 * PAGE
            await pilot.resize_terminal(80, 30)  # the tags column goes
            await pilot.pause()
            assert table.cursor_row == 0
            await pilot.press("home")
            await _all_rows_made(pilot, rows_held)
            assert (browse.current_card()[1].key, table.cursor_row) == ("c0", 0)
