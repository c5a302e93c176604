"""A split terminal pane of 60x20, without colour: every screen's text, buttons and keys can be read and reached
(the 80x24 checks live beside each screen's tests)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import (
    SEED,
    clipped,
    laid_out,
    open_screen,
    open_study,
    record_refreshes,
    screen_rows,
    screen_text,
    start_exam,
    static_text,
)
from textual.geometry import Region
from textual.widgets import Button, DataTable, Input

from quiz.context import Context
from quiz.core.model import Grade
from quiz.core.scheduler import format_interval
from quiz.ui.app import QuizApp
from quiz.ui.screens.exam import ExamResultsScreen, ExamRunScreen, ExamSetupScreen
from quiz.ui.screens.examdate import ExamDateScreen
from quiz.ui.screens.settings import SettingsScreen
from quiz.ui.screens.stats import TAB_TITLES, StatsScreen
from quiz.ui.screens.summary import SummaryScreen
from quiz.ui.widgets.grade_bar import GradeBar
from quiz.ui.widgets.keybar import KeyBar
from quiz.ui.widgets.ticklist import TickList

PANE = (60, 20)


def shown_in(app: QuizApp, region: Region) -> str:
    """The text the screen shows within `region`, its rows joined by spaces."""
    rows = screen_rows(app)[region.y : region.bottom]
    return " ".join(" ".join(row[region.x : region.right].split()) for row in rows)


@pytest.fixture(autouse=True)
def _no_colour(no_color: None) -> None:
    """Every test here draws without colour."""


async def test_settings_preset_buttons_fit_a_narrow_pane(context: Context) -> None:
    """Beside the labels' column the four preset buttons needed 68 columns: Optimize was past the right edge."""
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=PANE) as pilot:
        settings = await open_screen(pilot, ",", SettingsScreen)
        assert clipped(settings) == []
        optimize = settings.query_one("#preset-optimize")
        assert Region(0, 0, *PANE).contains_region(optimize.region)
        assert "Optimize" in screen_text(app)


async def test_exam_setup_says_its_topic_keys_whole_in_a_narrow_pane(context: Context) -> None:
    """The topics' heading was cut to 'Topics (Space ticks, a' beside the options' column."""
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=PANE) as pilot:
        setup = await open_screen(pilot, "e", ExamSetupScreen)
        assert clipped(setup) == []
        assert "Topics (Space ticks, a: all)" in shown_in(app, setup.query_one("#exam-topics Label").region)


LONG_TOPICS = """\
deck: long-topics
title: Long topics
topics:
  - {id: mechanism, title: Mechanism}
  - {id: background, title: "Background: anaesthesia, depression and the history of its treatment"}
cards:
  - {id: one, kind: truefalse, topic: mechanism, front: Ketamine blocks NMDA receptors., answer: true}
  - {id: two, kind: truefalse, topic: background, front: Ketamine was first an anaesthetic., answer: true}
"""


async def test_exam_results_show_each_topics_score_in_a_narrow_pane(app_factory, tmp_path: Path) -> None:
    """A long topic title put the Score column past the right edge of a 60-column pane; now the title wraps."""
    deck = tmp_path / "long-topics.yaml"
    deck.write_text(LONG_TOPICS, encoding="utf-8")
    app = app_factory([deck])
    async with app.run_test(size=PANE) as pilot:
        await start_exam(pilot, await open_screen(pilot, "e", ExamSetupScreen), "2")
        await pilot.press("enter", "enter")  # nothing given: each counts as wrong
        await pilot.pause()
        results = app.screen
        assert isinstance(results, ExamResultsScreen), screen_text(app)
        assert clipped(results) == []
        scores = shown_in(app, results.query_one("#exam-topics-table").region)
        assert "Score" in scores and scores.count("0%") == 2, scores
        title = "Background: anaesthesia, depression and the history of its treatment"
        assert all(word in scores.split() for word in title.split()), scores  # wrapped, not cut


async def test_the_key_bar_takes_a_second_line_in_a_narrow_pane_and_its_keys_there_work(app_factory) -> None:
    """At 60 columns the study screen's keys were one line cut at the edge: `esc End` could not be read."""
    app = app_factory()
    async with app.run_test(size=PANE) as pilot:
        study = await open_study(pilot)
        bar = study.query_one(KeyBar)
        shown = shown_in(app, bar.region)
        keys, _palette = bar.shown_keys()
        assert [key for key in keys if f"{key.display} {key.description}" not in shown] == []
        assert "esc End" in shown and bar.region == Region(0, 18, 60, 2)
        assert clipped(study) == []
        await pilot.press("space")  # the answer, with the grade bar above the key bar
        await pilot.pause()
        assert Region(0, 0, 60, 18).contains_region(study.query_one(GradeBar).region)
        second = screen_rows(app)[19]
        await pilot.click(KeyBar, offset=(second.index("esc End"), 1))  # a key on the second line is pressed
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)


async def test_the_key_bar_keeps_its_height_from_key_to_key_in_a_narrow_pane(app_factory, monkeypatch) -> None:
    """A typed card's keys fit one line at 60 columns and a basic card's need two: the bar followed them, moving the
    card above it and laying out the screen on every key."""
    app = app_factory()
    async with app.run_test(size=PANE) as pilot:
        study = await open_study(pilot)
        bar = study.query_one(KeyBar)
        refreshes = record_refreshes(monkeypatch, KeyBar)
        kinds = []
        while "typed" not in kinds or len(kinds) < 4:  # the shipped deck: basic, reverse, cloze, typed
            kinds.append(study.session.current.kind)
            for key in ("space", "3"):  # the answer (a typed card's: none given), then Good
                await pilot.press(key)
                await pilot.pause()
                assert bar.region == Region(0, 18, 60, 2), kinds
        assert "cloze" in kinds and laid_out(refreshes) == []


async def test_the_key_bar_is_one_line_again_when_the_pane_grows(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=PANE) as pilot:
        study = await open_study(pilot)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert study.query_one(KeyBar).region == Region(0, 23, 80, 1)
        await pilot.resize_terminal(*PANE)  # and two again when it shrinks back
        await pilot.pause()
        assert study.query_one(KeyBar).region == Region(0, 18, 60, 2)


async def test_exam_date_fields_are_whole_in_a_narrow_pane(context: Context) -> None:
    """Side by side the day and target fields needed 66 columns: the target's field was cut at the edge."""
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=PANE) as pilot:
        await open_screen(pilot, "e", ExamSetupScreen)
        await pilot.press("ctrl+t")
        await pilot.pause()
        dates = app.screen
        assert isinstance(dates, ExamDateScreen)
        assert clipped(dates) == []
        target = dates.query_one("#exam-target", Input)
        assert Region(0, 0, *PANE).contains_region(target.region) and target.region.width == 14
        assert "0.9" in shown_in(app, target.region)


async def test_a_broken_decks_line_and_column_are_read_whole_in_a_narrow_pane(app_factory, tmp_path: Path) -> None:
    """Home wrapped `…deck.yaml:6:12:` where the pane ended: `…deck.yaml:6:1` above `2:`, read as column 1."""
    folder = tmp_path / "a-folder-long-enough-to-wrap"
    folder.mkdir()
    deck = folder / "deck.yaml"
    deck.write_text("deck: d\ntitle: D\ncards:\n  - {id: s, front: F, back: B}\n")
    app = app_factory([deck])
    async with app.run_test(size=PANE) as pilot:
        await pilot.pause()
        notes = shown_in(app, app.screen.query_one("#home-notes").region)
        assert f"{deck.name}, line 4, column 5: card s: missing field 'kind'" in notes, notes


async def test_the_workload_charts_axis_is_reached_by_keys_in_a_narrow_pane(app_factory) -> None:
    """Under its six-line note the workload chart went on past the bottom, its weeks' axis cut off: nothing scrolled."""
    app = app_factory()
    async with app.run_test(size=PANE) as pilot:
        stats = await open_screen(pilot, "s", StatsScreen)
        await pilot.press("3", "w")
        for _ in range(100):  # the year is simulated in a thread
            await pilot.pause(0.05)
            if stats._workloads is not None:
                break
        await pilot.press("pagedown")
        await pilot.pause()
        chart = stats.query_one("#retention-plot")
        bar = stats.query_one(KeyBar)
        assert chart.region.height >= 10 and chart.region.bottom <= bar.region.y, chart.region
        weeks = screen_rows(app)[chart.region.bottom - 1].split()
        assert weeks == ["0", "13", "26", "39", "52"], screen_rows(app)


QUESTION = (
    "Read the whole question first: " + "it goes on for a few lines in a pane this narrow; " * 3 + "and then it ends."
)
ARRANGE_DECK = f"""deck: arrange
title: Arrange
cards:
  - {{id: o, kind: order, front: "{QUESTION}", items: [{", ".join(f"step {n}" for n in range(1, 10))}]}}
  - id: m
    kind: match
    front: "{QUESTION}"
    pairs: {{{", ".join(f"drug {n}: class {n}" for n in range(1, 10))}}}
"""


@pytest.mark.parametrize("kind", ["order", "match"])
async def test_the_selected_item_of_a_long_list_stays_in_view_in_a_narrow_pane(app_factory, tmp_path, kind) -> None:
    """An order or match card longer than the pane: ↓ moved the selection below the card's visible rows and the
    card did not scroll to follow it, so she moved (or matched) an item she could not see."""
    from quiz.ui.answers.arrange import CursorRows
    from quiz.ui.screens.study import CardBody

    deck = tmp_path / "arrange.yaml"
    deck.write_text(ARRANGE_DECK, encoding="utf-8")
    app = app_factory([deck])
    async with app.run_test(size=PANE) as pilot:
        study = await open_study(pilot)
        for _ in range(4):  # to the card of `kind` (both are new: the review shows both)
            if study.session.current is not None and study.session.current.kind == kind:
                break
            await pilot.press("enter", "enter")
            await pilot.pause()
        rows = study.query_one(CursorRows)
        assert study.session.current.kind == kind
        body = study.query_one(CardBody)
        for key in ["down"] * 8 + ["up"] * 8 + ["up"]:  # to the end, back to the top, round to the last
            await pilot.press(key)
            await pilot.pause()
            line = rows.content_region.y + rows.cursor  # each item one line here
            assert body.scrollable_content_region.y <= line < body.scrollable_content_region.bottom, (key, rows.cursor)


PHONES = [(40, 15), (50, 20)]  # a phone's terminal over SSH, upright and on its side
PHONE = (40, 20)  # the same phone, its keyboard hidden


@pytest.mark.parametrize("size", PHONES)
async def test_each_grade_s_interval_is_read_whole_on_a_phone_and_a_click_on_it_grades(app_factory, size) -> None:
    """At 40 and 50 columns the grade bar's one line cut the intervals: `1 Again…` or `▸3 Good  1…` (11m)."""
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        study = await open_study(pilot)
        card = study.session.current
        await pilot.press("space")
        await pilot.pause()
        bar = study.query_one(GradeBar)
        names, intervals = screen_rows(app)[bar.region.y : bar.region.bottom]
        assert all(name in names for name in (" 1 Again", " 2 Hard", "▸3 Good", " 4 Easy")), names
        assert intervals.split() == [format_interval(study.intervals[grade]) for grade in Grade], intervals
        await pilot.click(GradeBar, offset=(intervals.index(intervals.split()[-1]), 1))  # under Easy's name
        await pilot.pause()
        review = app.context.store.reviews()[-1]
        assert (review.card_key, review.grade) == (card.key, Grade.EASY)


async def test_the_grade_bar_is_never_drawn_cut_when_the_window_shrinks_to_a_phone_s(app_factory, monkeypatch) -> None:
    """The bar's second row came with a class the screen set on its resize, a layout after the one at the new
    width: in between the bar was drawn on one row, cut (`1 Again…`), as a frame of its own."""
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        study = await open_study(pilot)
        await pilot.press("space")
        await pilot.pause()
        drawn: list[tuple[int, int]] = []
        draw_lines = GradeBar.draw_lines

        def spy(bar: GradeBar, width: int):
            drawn.append((width, bar.size.height))
            return draw_lines(bar, width)

        monkeypatch.setattr(GradeBar, "draw_lines", spy)
        await pilot.resize_terminal(*PHONES[0])
        await pilot.pause()
        assert drawn and all(height == 2 for _, height in drawn), drawn
        bar = study.query_one(GradeBar)
        assert screen_rows(app)[bar.region.y + 1].split() == [format_interval(study.intervals[g]) for g in Grade]


LONG_QUESTION = """deck: long
title: Long
cards:
  - id: q
    kind: basic
    front: Which receptor does ketamine block, according to most of the articles on its use in depression?
    back: The NMDA receptor, a glutamate receptor; blocking it is thought to start the rapid antidepressant effect.
"""


async def test_the_answer_is_brought_into_view_on_a_phone(app_factory, tmp_path: Path) -> None:
    """At 40x15 the answer was shown below the card area's fold: the rows in view were the question and the blank
    rows kept for a hint, and nothing said to scroll."""
    deck = tmp_path / "long.yaml"
    deck.write_text(LONG_QUESTION)
    app = app_factory([deck])
    async with app.run_test(size=PHONES[0]) as pilot:
        study = await open_study(pilot)
        await pilot.press("space")
        await pilot.pause()
        assert "Answer: The NMDA receptor" in shown_in(app, study.card_body.region)


async def test_the_answer_stays_in_view_when_the_window_shrinks_to_a_phone_s(app_factory, tmp_path: Path) -> None:
    """The answer was brought into view only as it was shown: a window made smaller then (a phone turned upright,
    an SSH client giving its size late) left it below the card area's fold."""
    deck = tmp_path / "long.yaml"
    deck.write_text(LONG_QUESTION)
    app = app_factory([deck])
    async with app.run_test(size=(80, 24)) as pilot:
        study = await open_study(pilot)
        await pilot.press("space")
        await pilot.pause()
        await pilot.resize_terminal(*PHONES[0])
        await pilot.pause()
        assert "Answer: The NMDA receptor" in shown_in(app, study.card_body.region)


LONG_EXPLANATION = (
    LONG_QUESTION
    + "    explain: "
    + " ".join(
        f"Sentence {n} of a long explanation, the kind the shipped deck gives with its sources." for n in range(20)
    )
    + "\n"
)


@pytest.mark.parametrize("size", [(80, 24), PHONES[1]])
async def test_an_answer_with_a_long_explanation_keeps_its_question_in_view(app_factory, tmp_path: Path, size) -> None:
    """The whole back was brought into view: taller than the card area (a long explanation, its sources), it was
    put at the top, and the question scrolled away, even at 80x24, though the answer's first rows fitted under it."""
    deck = tmp_path / "long.yaml"
    deck.write_text(LONG_EXPLANATION)
    app = app_factory([deck])
    async with app.run_test(size=size) as pilot:
        study = await open_study(pilot)
        await pilot.press("space")
        await pilot.pause()
        shown = shown_in(app, study.card_body.region)
        assert study.back.size.height > study.card_body.scrollable_content_region.height  # taller than the area
        assert "Which receptor does ketamine block" in shown
        assert "Answer: The NMDA receptor" in shown


async def test_the_calendar_shows_the_weeks_that_fit_a_phone_each_row_on_one_line(app_factory) -> None:
    """At 40 columns each of the calendar's 26-week rows wrapped onto a second line: the days no longer lined up
    under their weeks, nor the rows beside their day names. The weeks that fit are shown, all 26 again when wider."""
    app = app_factory()
    async with app.run_test(size=PHONES[0]) as pilot:
        screen = await open_screen(pilot, "s", StatsScreen)
        await pilot.press("6")
        await pilot.pause()
        grid = screen.query_one("#calendar-grid")
        for width, weeks in ((40, 16), (60, 26)):
            rows = static_text(grid).splitlines()[1:8]
            assert [row[:4] for row in rows] == ["Mon ", "    ", "Wed ", "    ", "Fri ", "    ", "Sun "]
            assert len(rows[0].split()) == 1 + weeks and max(len(row) for row in rows) < width
            # months, 7 days, a blank line, the legend: none wrapped
            assert grid.content_region.height == 10, static_text(grid)
            await pilot.resize_terminal(60, 24)
            await pilot.pause()


async def test_exam_setup_on_a_phone_shows_the_topics_then_the_options_under_them(context: Context) -> None:
    """At 40 columns the options' column (36 wide) left the topics 4: 'To pi cs', no topic readable."""
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=PHONES[0]) as pilot:
        setup = await open_screen(pilot, "e", ExamSetupScreen)
        topics = setup.query_one("#topics", TickList)
        assert "[x] Mechanism" in shown_in(app, topics.region)
        setup.query_one("#count", Input).value = "2"  # as many as this small deck has
        start = setup.query_one("#start", Button)
        while app.focused is not start:  # Tab, as a user would, through the options below the topics
            await pilot.press("tab")
        await pilot.pause()
        assert "Start exam" in shown_in(app, start.region) and app.screen.region.contains_region(start.region)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExamRunScreen)


async def test_settings_on_a_phone_puts_each_label_above_its_field_and_every_button_in_reach(context: Context) -> None:
    """At 40 columns every row (a 24-column label, the field, its hint) reached past the edge, the hints unread,
    Optimize cut to 'Op' and Back beyond the screen."""
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=PHONES[0]) as pilot:
        settings = await open_screen(pilot, ",", SettingsScreen)
        assert clipped(settings) == []
        for button in ("#preset-optimize", "#settings-back"):
            target = settings.query_one(button, Button)
            for _ in range(60):  # Tab, as a user would, through every field
                if app.focused is target:
                    break
                await pilot.press("tab")
            await pilot.pause()
            assert app.focused is target and app.screen.region.contains_region(target.region)
            assert str(target.label) in shown_in(app, target.region)
        await pilot.press("enter")  # Back
        await pilot.pause()
        assert not isinstance(app.screen, SettingsScreen)


async def test_browse_on_a_phone_shows_the_questions_whole_without_scrolling_sideways(app_factory) -> None:
    """At 40 columns Browse's six columns needed 71: the list scrolled sideways, each question cut to 20 columns
    (`Which is a common s…`). Now the columns least needed go first, the question's stays, and a card opens."""
    from quiz.ui.screens.browse import BrowseScreen, CardScreen

    app = app_factory()
    async with app.run_test(size=PHONE) as pilot:
        browse = await open_screen(pilot, "b", BrowseScreen)
        table = browse.query_one("#browse-table", DataTable)
        assert [column.key.value for column in table.ordered_columns] == ["question"]
        assert table.max_scroll_x == 0 and table.virtual_size.width <= table.size.width == 40
        assert clipped(browse) == []
        listed = shown_in(app, table.region)
        whole = ("Which is a common side effect?", "Which are short-term effects?", "Put the cascade in order.")
        for question in whole:
            assert question in listed, listed
        while table.get_row_at(table.cursor_row)[0].plain != "Which is a common side effect?":
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        card = shown_in(app, app.screen.query_one("#card-content").region)
        assert "Question Which is a common side effect?" in card, card
        await pilot.press("escape")
        await pilot.resize_terminal(83, 24)  # wider again: every column back
        await pilot.pause()
        assert [column.key.value for column in table.ordered_columns] == [
            "question",
            "topic",
            "flag",
            "status",
            "due",
            "lapses",
        ]


@pytest.mark.parametrize("decks", [1, 3])
def test_browse_s_columns_fit_every_width_down_to_a_phone_s_the_question_always_among_them(decks: int) -> None:
    from quiz.ui.screens.browse import column_widths

    for total in range(40, 130):
        widths = column_widths(total, decks)
        assert "question" in widths and sum(widths.values()) + 2 * len(widths) + 2 <= total, (total, widths)


async def test_a_card_s_long_word_is_wrapped_whole_on_a_phone_not_cut(app_factory) -> None:
    """The card page cut a word longer than its values' column with an ellipsis: the answer read
    `[@click=app.quit]quit…` at 40 columns and the source's title `[@click=app.quit]ti…`, their ends never shown."""
    from quiz.ui.screens.browse import BrowseScreen, CardScreen

    app = app_factory()
    async with app.run_test(size=PHONE) as pilot:
        await open_screen(pilot, "b", BrowseScreen)
        await pilot.press("enter")  # the first card, which cites the source
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        content = app.screen.query_one("#card-content")
        app.screen.query_one("#card-scroll").scroll_to_widget(content, top=True, animate=False)
        await pilot.pause()
        shown = "".join(shown_in(app, content.region.intersection(app.screen.query_one("#card-scroll").region)).split())
        for whole in ("AnswerNMDA[@click=app.quit]quit[/]", "Sources•Source[@click=app.quit]title[/]"):
            assert whole in shown, shown


async def test_the_stats_tabs_fit_a_phone_the_one_shown_named_the_others_numbered(app_factory) -> None:
    """At 40 columns the seven tabs' labels needed 78: the strip scrolled sideways, most tabs out of sight, and
    nothing told that 7 was there to press. There the shown tab keeps its name and the others show their keys."""
    app = app_factory()
    async with app.run_test(size=PHONE) as pilot:
        stats = await open_screen(pilot, "s", StatsScreen)
        tabs = stats.query_one("#stats-tabs Tabs")
        for key, name in zip("1234567", TAB_TITLES, strict=True):
            await pilot.press(key)
            await pilot.pause()
            assert clipped(stats) == [], key
            labels = shown_in(app, Region(0, tabs.region.y, 40, 1)).split()
            assert labels == [word for n in "1234567" for word in ([n, name] if n == key else [n])], labels
        await pilot.resize_terminal(80, 24)  # wide enough: every tab named again
        await pilot.pause()
        assert "1 Forecast 2 Reviews 3 Retention" in shown_in(app, Region(0, tabs.region.y, 80, 1))
