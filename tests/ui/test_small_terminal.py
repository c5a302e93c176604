"""A phone's terminal, 40 columns (40x20 and 40x24), without colour: what each screen shows is whole and in sight
(the 60-column split pane is tests/ui/test_small_pane.py); 80x24 stays as it was."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import (
    SEED,
    clipped,
    messages,
    open_exam_setup,
    open_screen,
    open_settings,
    open_study,
    right_keys,
    screen_rows,
    screen_text,
    start_exam,
    static_text,
)
from textual.events import MouseScrollDown
from textual.geometry import Region
from textual.screen import Screen
from textual.widgets import Button, DataTable, Input
from textual_image.widget import HalfcellImage

from quiz.context import Context
from quiz.core.decks import load_deck_file
from quiz.core.library import SHIPPED_DECKS
from quiz.core.presets import assign_preset, new_preset
from quiz.ui.answers.arrange import CHOICES_BELOW, NARROW_HEADING, MatchGrid, OrderList
from quiz.ui.answers.base import AnswerWidget
from quiz.ui.app import QuizApp
from quiz.ui.screens.browse import BrowseScreen
from quiz.ui.screens.exam import ExamResultsScreen, ExamRunScreen, ExamSetupScreen
from quiz.ui.screens.stats import StatsScreen
from quiz.ui.screens.study import CardBody, StudyScreen
from quiz.ui.screens.summary import SummaryScreen
from quiz.ui.widgets import card_image
from quiz.ui.widgets.card_image import CardImage
from quiz.ui.widgets.chooser import Chooser
from tests.conftest import START, basic_deck_yaml
from tests.ui.test_card_images import occlusion_deck
from tests.ui.test_small_pane import shown_in

PHONE = (40, 20)
DECK = "uitest"  # tests/data/ui_deck.yaml


@pytest.fixture(autouse=True)
def _no_colour(no_color: None) -> None:
    """Every test here draws without colour."""


@pytest.fixture
def drawn_pictures(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal with graphics: a card's picture is drawn (in half blocks), taking its rows."""
    monkeypatch.setattr(card_image, "_drawer", HalfcellImage)


async def sit_an_exam(pilot, setup: ExamSetupScreen | None = None) -> ExamSetupScreen:
    """A two-question exam on the UI deck (from `setup`, else from Home), one answered right and one not: the setup
    screen it goes back to."""
    await pilot.pause()
    setup = setup or await open_exam_setup(pilot)
    run = await start_exam(pilot, setup, "2")
    await pilot.press(*right_keys(run))
    await pilot.pause()
    await pilot.press("enter")  # nothing given
    await pilot.pause()
    assert isinstance(pilot.app.screen, ExamResultsScreen)
    await pilot.press("escape")
    await pilot.pause()
    assert pilot.app.screen is setup
    return setup


def past_results_whole(app: QuizApp, setup: ExamSetupScreen) -> str:
    """The past results table's text, checked whole: each heading, the exam's score, time and every word of its
    title in sight, and nothing cut off."""
    shown = shown_in(app, setup.query_one("#past", DataTable).region)
    assert all(heading in shown.lower() for heading in ("date", "score", "time", "exam")), shown
    assert "1/2 50%" in shown and " 0s" in shown, shown
    assert all(word in shown.split() for word in "UI test deck [b]x[/b]".split()), shown
    assert clipped(setup) == []
    return shown


async def test_the_past_results_show_each_column_whole_at_40_columns(app_factory) -> None:
    """Beside the date (its column as wide as the note that no exam was taken), the score was cut to "1/2" and
    the time and the exam's title were past the right edge; now the title goes under the date."""
    app = app_factory()
    async with app.run_test(size=PHONE) as pilot:
        setup = await sit_an_exam(pilot)
        shown = past_results_whole(app, setup)
        assert "Date · exam" in shown and shown.count("▸") == 1  # the row's first line marked, not each


async def test_the_past_results_fit_a_terminal_narrowed_to_40_columns(app_factory) -> None:
    """At 80 columns the score stood 17 columns right of the date (the note's width, kept after the first exam);
    narrowed to 40 the table lays its columns out again."""
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        setup = await sit_an_exam(pilot)
        row = next(line for line in screen_rows(app) if "1/2" in line)
        assert re.search(r"\d\d:\d\d  1/2  50%    0s  UI test deck \[b\]x\[/b\]$", row), row
        await pilot.resize_terminal(*PHONE)
        await pilot.pause()
        past_results_whole(app, setup)


# Exams as a student keeps them: 3-digit counts, an hour's time, a title naming the topics. Newest first.
LONG_TITLE = "UI test deck [b]x[/b]: Ketamine for treatment-resistant depression, Mechanism"
KEPT_EXAMS = [
    ("80/100  80%", "62m 05s", LONG_TITLE, 80, 100, 3725.0),
    ("40/50  80%", "35m 10s", "UI test deck [b]x[/b]", 40, 50, 2110.0),
    ("10/10 100%", "1m 35s", "UI test deck [b]x[/b]: Mechanism", 10, 10, 95.0),
]


def keep_exams(app: QuizApp) -> None:
    """KEPT_EXAMS in the app's store, a day apart."""
    for days, (_, _, title, correct, total, seconds) in enumerate(KEPT_EXAMS, start=1):
        detail = {"deck": DECK, "unanswered": 0, "per_topic": {"": [correct, total]}, "mistakes": []}
        app.context.store.save_exam(START - timedelta(days=days), title, correct, total, seconds, detail)


def pointed_result(app: QuizApp, setup: ExamSetupScreen) -> str:
    """The line of the past results the ▸ is on."""
    table = setup.query_one("#past", DataTable)
    return next(line for line in screen_rows(app)[table.region.y : table.region.bottom] if "▸" in line)


@pytest.mark.parametrize("size", [(40, 20), (40, 24)])
async def test_a_long_exam_s_score_time_and_title_show_whole_at_40_columns(app_factory, size: tuple[int, int]) -> None:
    """Score and time beside the date took 40 columns with 3-digit counts: "62m 05s" was 4 columns past the
    right edge (the table scrolled sideways) and the title folded mid-word ("treatment-resist" / "ant"). Now
    the time goes under the score and the title under the date, folded between words."""
    app = app_factory()
    keep_exams(app)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        setup = await open_exam_setup(pilot)
        table = setup.query_one("#past", DataTable)
        table.focus()
        for score, time, *_ in KEPT_EXAMS:
            await pilot.pause()
            shown = shown_in(app, table.region)
            assert " ".join(score.split()) in shown and time in shown, shown
            assert clipped(setup) == []
            await pilot.press("down")
        await pilot.resize_terminal(40, 48)  # the same columns, every row in sight
        await pilot.pause()
        shown = shown_in(app, table.region).split()
        assert all(word in shown for *_, title, _, _, _ in KEPT_EXAMS for word in title.split()), shown


async def test_the_note_that_no_exam_was_taken_wraps_at_40_columns(app_factory) -> None:
    """Under the stacked headings the note set its column's width: the table scrolled sideways by 11."""
    app = app_factory()
    async with app.run_test(size=PHONE) as pilot:
        await pilot.pause()
        setup = await open_exam_setup(pilot)
        shown = shown_in(app, setup.query_one("#past", DataTable).region)
        assert "No exams taken on this deck yet." in shown, shown
        assert clipped(setup) == []


async def test_each_past_result_takes_one_row_at_80x24(app_factory) -> None:
    """A title too long for the room left beside the date, score and time wrapped over the rows below: 3
    results in sight in 9 rows. Now it is cut with …, one row a result."""
    app = app_factory()
    keep_exams(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        setup = await open_exam_setup(pilot)
        table = setup.query_one("#past", DataTable)
        rows = screen_rows(app)[table.region.y + 1 : table.region.y + 1 + len(KEPT_EXAMS)]
        for row, (score, time, title, *_) in zip(rows, KEPT_EXAMS, strict=True):
            assert f"{score}  {time.rjust(7)}  {title[:20]}" in row, rows
        assert rows[0].rstrip().endswith("…") and "Mechanism" not in rows[0], rows
        assert clipped(setup) == []


async def test_a_resize_reads_no_past_results_from_the_store(app_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each resize read every exam kept, twice (more than a second with 1,000 of them), even under a running
    exam. Now the rows read when the screen is shown are laid out again, only when the columns change."""
    app = app_factory()
    keep_exams(app)
    store = app.context.store
    reads: list[int] = []
    read_exams = store.exams
    monkeypatch.setattr(store, "exams", lambda: reads.append(1) or read_exams())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        setup = await open_exam_setup(pilot)
        read_at_fill = len(reads)
        for size in [(100, 24), (40, 24), (60, 30), (80, 24)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert clipped(setup) == []
        assert "Date · exam" not in shown_in(app, setup.query_one("#past", DataTable).region)
        await start_exam(pilot, setup, "2")
        await pilot.resize_terminal(40, 24)
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert len(reads) == read_at_fill


async def test_the_cursor_stays_on_the_opened_result_after_another_exam(app_factory) -> None:
    """The ▸ kept its row number when the results were read again: after the third result was opened and a new
    exam sat, it pointed at the second (the new one listed first). Now it stays on the exam it was moved to; at the
    top it stays at the top, on the newest."""
    app = app_factory()
    keep_exams(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        setup = await open_exam_setup(pilot)
        setup.query_one("#past", DataTable).focus()
        await pilot.press("down", "down", "enter")  # open the third
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen) and app.screen.report.total == 10
        await pilot.press("escape")
        await pilot.pause()
        await sit_an_exam(pilot, setup)
        assert KEPT_EXAMS[2][0] in pointed_result(app, setup)
        assert "1/2  50%" in screen_text(app)  # the new exam, listed first
        table = setup.query_one("#past", DataTable)
        table.move_cursor(row=0)
        await sit_an_exam(pilot, setup)
        assert table.cursor_row == 0 and table.row_count == len(KEPT_EXAMS) + 2  # at the top: on the newest


async def test_the_preset_chooser_shows_a_long_preset_name_on_one_line(context: Context) -> None:
    """Beside "used by 1 deck" the chooser had 12 columns for its text: "Nursing school" wrapped, its second line
    under the first as if it were another preset, and the chooser reached a row past its own box."""
    store = context.store
    assign_preset(store, DECK, new_preset(store, "Nursing school", store.settings()))
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=PHONE) as pilot:
        settings = await open_settings(pilot)
        chooser = settings.query_one("#preset", Chooser)
        chooser.scroll_visible(animate=False, top=True)
        await pilot.pause()
        top, middle, bottom = screen_rows(app)[chooser.region.y : chooser.region.bottom]
        assert "Nursing school" in middle, (top, middle, bottom)
        assert "used by 1 deck" in shown_in(app, settings.query_one("#preset-used").region)
        assert clipped(settings) == []


@pytest.mark.parametrize("size", [(40, 20), (40, 24), (48, 23)])
async def test_an_occlusion_card_s_hint_and_prompt_are_in_sight_in_a_phone_s_terminal(
    app_factory, tmp_path: Path, drawn_pictures: None, size: tuple[int, int]
) -> None:
    """The picture took its 8 rows: at 40x20 the Show answer prompt and the hint saying which mask is asked were
    below the bottom of the card, at 40x24 the hint's last line."""
    app = app_factory([occlusion_deck(tmp_path / "decks")])
    async with app.run_test(size=size) as pilot:
        study = await open_study(pilot)
        shown = shown_in(app, study.query_one(CardBody).region)
        assert "Think of what the red mask hides, then press Space or Enter to show it." in shown, shown
        assert "▶ Show answer (Space)" in shown and "[image: cell.png, region 1 masked]" in shown
        assert study.query_one(CardImage).query_one(".picture").region.height >= 5
        await pilot.press("space")
        await pilot.pause()
        assert "Answer: nucleus" in shown_in(app, study.query_one(CardBody).region)


async def test_an_exam_s_occlusion_question_says_how_to_answer_it_in_sight_at_40x20(
    app_factory, tmp_path: Path, drawn_pictures: None
) -> None:
    app = app_factory([occlusion_deck(tmp_path / "decks")])
    async with app.run_test(size=PHONE) as pilot:
        await pilot.pause()
        run = await start_exam(pilot, await open_exam_setup(pilot), "2")
        shown = shown_in(app, run.query_one(CardBody).region)
        assert "▶ Show answer (Space)" in shown and "Then say whether you knew it (y / n)." in shown, shown


@pytest.mark.parametrize("rows", [24, 23])
async def test_an_occlusion_card_keeps_its_picture_s_eight_rows_at_80_columns(
    app_factory, tmp_path: Path, drawn_pictures: None, rows: int
) -> None:
    """80x23 (80x24 under tmux's status line) took the short layout, 5 rows, though 8 fitted."""
    app = app_factory([occlusion_deck(tmp_path / "decks")])
    async with app.run_test(size=(80, rows)) as pilot:
        study = await open_study(pilot)
        assert study.query_one(CardImage).query_one(".picture").region.height == card_image.IMAGE_HEIGHT
        shown = shown_in(app, study.query_one(CardBody).region)
        assert "Think of what the red mask hides" in shown and "▶ Show answer (Space)" in shown, shown


async def test_the_settings_title_bar_wraps_its_note_rather_than_cut_it(context: Context) -> None:
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=PHONE) as pilot:
        settings = await open_settings(pilot)
        shown = shown_in(app, settings.query_one(".title-bar").region)
        assert shown == "Settings · checked before saving; the theme applies at once", shown


@pytest.mark.parametrize("size", [(40, 20), (40, 24)])
async def test_the_exam_setup_says_how_to_start_and_tab_brings_start_into_sight(
    app_factory, size: tuple[int, int]
) -> None:
    """The Start button stood below the form's rows in sight: only the key bar's "^s Start" said how to start. A
    line under the form says it, whole on one row, and Tab reaches the button, the form scrolled to show it."""
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        setup = await open_exam_setup(pilot)
        assert "Ctrl+S starts, or Tab to Start exam" in [row.strip() for row in screen_rows(app)], screen_rows(app)
        start = setup.query_one("#start", Button)
        assert not setup.query_one("#exam-form").region.contains_region(start.region)  # below the fold
        setup.query_one("#count", Input).value = "2"
        for _ in range(5):
            if app.focused is start:
                break
            await pilot.press("tab")
            await pilot.pause()
        assert app.focused is start
        assert setup.query_one("#exam-form").region.contains_region(start.region)
        assert "Start exam" in shown_in(app, start.region)
        assert clipped(setup) == []
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExamRunScreen)


async def test_the_exam_setup_title_bar_wraps_a_long_deck_title_rather_than_cut_it(app_factory, tmp_path: Path) -> None:
    title = "Ketamine for treatment-resistant depression: a review"
    deck = tmp_path / "review.yaml"
    deck.write_text(basic_deck_yaml(2).replace("title: Deck d", f"title: '{title}'"), encoding="utf-8")
    app = app_factory([deck])
    async with app.run_test(size=PHONE) as pilot:
        setup = await open_screen(pilot, "e", ExamSetupScreen)
        assert shown_in(app, setup.query_one(".title-bar").region) == f"Exam · {title}"


async def answer_up_to(pilot, screen, kind: str) -> AnswerWidget:
    """Answers the study or exam screen's questions right (graded Good in study) until one of `kind` is asked: its
    answer widget."""
    for _ in range(12):
        await pilot.pause()
        widget = screen.query_one(AnswerWidget)
        if widget.card.kind == kind:
            return widget
        await pilot.press(*right_keys(screen))
        await pilot.pause()
        if isinstance(screen, StudyScreen):
            await pilot.press("3")
    raise AssertionError(f"no {kind} card asked")


MATCH_HINT = "Press the number of each left item's match in turn (the selection moves on by itself); ↑/↓ select."


@pytest.mark.parametrize("size", [(40, 20), (40, 24)])
async def test_a_match_card_s_hint_is_in_sight_in_a_phone_s_terminal(app_factory, size: tuple[int, int]) -> None:
    """At 40x20 the hint saying how to pair the items ended below the bottom of the card (its last line, "the
    answer.", reached by scrolling): the blank line above the choices is left out below 40 columns of grid."""
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        study = await open_study(pilot)
        await answer_up_to(pilot, study, "match")
        shown = shown_in(app, study.query_one(CardBody).scrollable_content_region)  # not its scrollbar
        assert all(text in shown for text in ("Match each route to its note.", "Esketamine spray", "in a clinic")), (
            shown
        )
        assert f"{MATCH_HINT} Enter answers; Enter with nothing shows the answer." in shown, shown


def match_deck(folder: Path, name: str, title: str, card: str, front: str, pairs: dict[str, str]) -> Path:
    """A deck `name` (in NAME.yaml) of one match card, written as JSON (which YAML reads) so items need no quoting."""
    deck = folder / f"{name}.yaml"
    cards = [{"id": card, "kind": "match", "front": front, "pairs": pairs}]
    deck.write_text(json.dumps({"deck": name, "title": title, "cards": cards}), encoding="utf-8")
    return deck


ARTICLES_FRONT = "Match each article to how it presents the mechanism."


def long_pairs_deck(folder: Path) -> Path:
    return match_deck(
        folder,
        "articles",
        "Articles",
        "framing",
        ARTICLES_FRONT,
        {
            "Mindful Infusions article": "Exact mechanisms still being studied",
            "William Inc. article": "NMDA block plus indirect AMPA activation",
            "Hope Mental Health article": "Researchers now know why it acts fast",
        },
    )


async def test_a_match_card_with_long_items_says_how_to_answer_in_sight_at_40x20(app_factory, tmp_path: Path) -> None:
    """Three pairs whose choices wrap took the card's 13 rows above the hint: nothing in sight said which keys pair
    them. Now the choices' heading says it, in sight with the items (under the hint, which stands first below 60
    columns), and a choice's second line stands under its text, not its number."""
    app = app_factory([long_pairs_deck(tmp_path)])
    async with app.run_test(size=PHONE) as pilot:
        study = await open_study(pilot)
        body = study.query_one(CardBody).scrollable_content_region
        grid = study.query_one(MatchGrid)
        grid.scroll_visible(animate=False, top=True)
        await pilot.pause()
        assert "Press the number matching ▸:" in shown_in(app, body), screen_rows(app)
        width = grid.width_drawn
        top = grid.region.y + grid.choices_top(width)
        choices = screen_rows(app)[top : min(grid.region.y + grid.selected_top(width), body.bottom)]
        text_column = re.search(r"1  (\S)", choices[0]).start(1)
        seconds = [row for row in choices if not re.match(r"\s+\d  ", row)]
        assert seconds and all(len(row) - len(row.lstrip()) == text_column for row in seconds), choices


def four_long_pairs_deck(folder: Path) -> Path:
    return match_deck(
        folder,
        "four",
        "Four",
        "framing",
        ARTICLES_FRONT,
        {
            "Mindful Infusions article on ketamine": "Exact mechanisms still being studied by researchers",
            "William Inc. article on the clinic": "NMDA block plus indirect AMPA activation in the cortex",
            "Hope Mental Health article on relief": "Researchers now know why it acts fast in most people",
            "Riverside Wellness article on doses": "It works the same way as every other antidepressant",
        },
    )


@pytest.mark.parametrize(
    ("size", "heading"), [(PHONE, "Choices below: press PageDown"), ((40, 24), "Press the number matching ▸:")]
)
async def test_a_match_card_whose_choices_start_below_its_bottom_says_so_at_40x20(
    app_factory, tmp_path: Path, size: tuple[int, int], heading: str
) -> None:
    """Four long pairs under the question and the hint filled the 40x20 card down to the choices' heading: no choice
    in sight, nothing saying there were any below. The heading says so, where the first choice is below."""
    app = app_factory([four_long_pairs_deck(tmp_path)])
    async with app.run_test(size=size) as pilot:
        study = await open_study(pilot)
        await pilot.pause()
        shown = shown_in(app, study.query_one(CardBody).scrollable_content_region)
        assert "Match each article" in shown and heading in shown, screen_rows(app)
        assert shown.split(heading, 1)[1].startswith(" 1 ") == (size != PHONE), screen_rows(app)


@pytest.mark.parametrize(
    ("opened", "resized", "heading"), [((40, 24), PHONE, CHOICES_BELOW), (PHONE, (40, 24), NARROW_HEADING)]
)
async def test_a_match_card_s_heading_follows_a_resize_of_the_terminal_s_height(
    app_factory, tmp_path: Path, opened: tuple[int, int], resized: tuple[int, int], heading: str
) -> None:
    """The grid was drawn again after a resize only when its width changed: a terminal made shorter (a phone
    turned) kept "Press the number matching" over no choice in sight, one made taller "Choices below" over choice
    1, until a key redrew the grid. After a resize the heading is as if the card had opened at the new size."""
    app = app_factory([four_long_pairs_deck(tmp_path)])
    async with app.run_test(size=opened) as pilot:
        study = await open_study(pilot)
        await pilot.pause()
        await pilot.resize_terminal(*resized)
        await pilot.pause()
        await pilot.pause()
        shown = shown_in(app, study.query_one(CardBody).scrollable_content_region)
        assert heading in shown, screen_rows(app)
        assert shown.split(heading, 1)[1].startswith(" 1 ") == (heading == NARROW_HEADING), screen_rows(app)


async def test_a_match_card_whose_choices_are_below_heads_them_as_usual_once_scrolled_to(
    app_factory, tmp_path: Path
) -> None:
    """At 40x20 the heading said "Choices below: scroll down" without naming a key, and kept saying it once the
    card was scrolled (the mouse wheel) with the choices in sight under it: the hint saying how to answer was never
    shown."""
    app = app_factory([four_long_pairs_deck(tmp_path)])
    async with app.run_test(size=PHONE) as pilot:
        study = await open_study(pilot)
        await pilot.pause()
        await pilot._post_mouse_events([MouseScrollDown], CardBody)  # the wheel turned a notch
        await pilot.pause()
        shown = shown_in(app, study.query_one(CardBody).scrollable_content_region)
        assert NARROW_HEADING in shown, screen_rows(app)
        assert shown.split(NARROW_HEADING, 1)[1].startswith(" 1 "), screen_rows(app)


async def test_an_exam_s_match_question_shows_the_numbers_matched_at_40x20(app_factory, tmp_path: Path) -> None:
    """In an exam at 40x20, as in study, a left item of 26 columns left room only for "→ …" after it (the number
    pressed for it unseen), and a blank line above the choices took a row. The items are cut to keep the numbers in
    sight, and the choices' heading follows the items; the hint above them says how to answer."""
    app = app_factory([long_pairs_deck(tmp_path)])
    async with app.run_test(size=PHONE) as pilot:
        await pilot.pause()
        run = await start_exam(pilot, await open_exam_setup(pilot), "1")
        await pilot.pause()
        shown = shown_in(app, run.query_one(CardBody).scrollable_content_region)
        assert f"{MATCH_HINT} Enter answers (nothing given counts as wrong)." in shown, shown
        grid = run.query_one(MatchGrid)
        await pilot.press("2", "3", "1")
        grid.scroll_visible(animate=False, top=True)
        await pilot.pause()
        rows = screen_rows(app)[grid.region.y : grid.region.bottom]
        assert [re.search(r"→\s+(\d)", row) and re.search(r"→\s+(\d)", row)[1] for row in rows[:3]] == ["2", "3", "1"]
        heading = next(index for index, row in enumerate(rows) if "Press the number matching ▸:" in row)
        assert heading == len(grid.lefts), rows  # no blank line (the selected item whole is under the choices)


async def test_the_number_matched_to_a_long_left_item_is_in_sight_at_40_columns(app_factory, tmp_path: Path) -> None:
    """A left item of 26 columns left room only for "→ …" after it: the number pressed for it was never seen. Now
    the left items are cut to leave it room."""
    app = app_factory([long_pairs_deck(tmp_path)])
    async with app.run_test(size=PHONE) as pilot:
        study = await open_study(pilot)
        grid = study.query_one(MatchGrid)
        await pilot.press("2", "3", "1")
        await pilot.pause()
        rows = screen_rows(app)[grid.region.y : grid.region.y + len(grid.lefts)]
        assert [re.search(r"→\s+(\d)", row) and re.search(r"→\s+(\d)", row)[1] for row in rows] == ["2", "3", "1"], rows
        assert clipped(study) == []


@pytest.mark.parametrize("columns", [48, 52, 56, 60])
async def test_every_settings_field_fits_a_terminal_of_48_to_60_columns(context: Context, columns: int) -> None:
    """From 48 to 59 columns each label stood beside its field, as in an 80-column terminal: the theme chooser
    (30 columns) reached past the form's right edge, as did the easy days' hint, the Back button and, at 48, the
    note of the decks using the preset. There, as below 48, each label now goes above its field."""
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(columns, 20)) as pilot:
        app.theme = "catppuccin-macchiato"  # the longest theme name
        settings = await open_settings(pilot)
        assert clipped(settings) == []
        fields = [*settings.query(Input), *settings.query(Chooser), *settings.query(Button)]
        assert all(field.region.right <= columns for field in fields), [f for f in fields if f.region.right > columns]
        theme = settings.query_one("#set-theme", Chooser)
        theme.scroll_visible(animate=False, top=True)
        await pilot.pause()
        assert "catppuccin-macchiato" in shown_in(app, theme.region)


@pytest.mark.parametrize("columns", [40, 48])
@pytest.mark.parametrize(
    ("key", "screen", "title"),
    [
        ("b", BrowseScreen, "Browse · every card: search, open, suspend, bury, flag, reset"),
        ("s", StatsScreen, "Stats · forecast, reviews, retention, states, topics, calendar"),
    ],
    ids=["browse", "stats"],
)
async def test_the_browse_and_stats_title_bars_wrap_their_note_rather_than_cut_it(
    context: Context, key: str, screen: type[Screen], title: str, columns: int
) -> None:
    """Their one row cut the note saying what the screen does: at 40 columns Browse read "search, open," and Stats
    "retention,"."""
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(columns, 20)) as pilot:
        shown = await open_screen(pilot, key, screen)
        assert shown_in(app, shown.query_one(".title-bar").region) == title
        assert clipped(shown) == []


@pytest.mark.parametrize("columns", [40, 48])
async def test_the_open_theme_list_marks_the_longest_theme_on_one_line(context: Context, columns: int) -> None:
    """Sized to the chosen name, the chooser's open list had a column too few for "▸ catppuccin-macchiato": the ▸
    stood alone on a line, the name under it as if it were another theme."""
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(columns, 20)) as pilot:
        app.theme = "catppuccin-macchiato"
        settings = await open_settings(pilot)
        theme = settings.query_one("#set-theme", Chooser)
        theme.scroll_visible(animate=False, top=True)
        theme.focus()
        await pilot.press("enter")
        await pilot.pause()
        (pointed,) = [row for row in screen_rows(app) if "▸" in row]
        assert "▸ catppuccin-macchiato" in pointed, screen_rows(app)


@pytest.mark.parametrize("columns", [40, 52])
async def test_each_settings_label_stands_right_above_its_field(context: Context, columns: int) -> None:
    """With each label above its field, its row was measured in the field's narrow column, where the label
    wrapped: 1 to 3 blank lines between "Typed-answer tolerance" and its field, rows a 20-row terminal lacks."""
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=(columns, 20)) as pilot:
        settings = await open_settings(pilot)
        for row in settings.query(".setting-row"):
            label, field, *_ = row.children
            assert field.region.y == label.region.bottom, (static_text(label), label.region, field.region)


async def test_the_session_summary_wraps_a_deck_title_rather_than_cut_it(app_factory) -> None:
    """Its one row cut "Session finished · UI test deck [b]x[/b]" after "deck" at 40 columns."""
    app = app_factory()
    async with app.run_test(size=PHONE) as pilot:
        await open_study(pilot)
        await pilot.press("space", "3", "escape")
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        assert shown_in(app, summary.query_one("#summary-title").region) == "Session finished · UI test deck [b]x[/b]"
        assert clipped(summary) == []


LONG_STEPS_DECK = """deck: cascade
title: Cascade
cards:
  - id: steps
    kind: order
    front: Put the article's account of the mechanism in order.
    items: [NMDA receptors are blocked, Glutamate levels rise, New synaptic connections grow,
            Neural circuits are rebuilt and rewired]
"""


async def test_an_order_card_s_long_item_wraps_under_its_text_at_40_columns(app_factory, tmp_path: Path) -> None:
    """ "1  Neural circuits are rebuilt" went on with "and rewired" at the left edge, under the cursor's column, as
    if it were an item of its own."""
    deck = tmp_path / "cascade.yaml"
    deck.write_text(LONG_STEPS_DECK, encoding="utf-8")
    app = app_factory([deck])
    async with app.run_test(size=PHONE) as pilot:
        study = await open_study(pilot)
        order = study.query_one(OrderList)
        rows = screen_rows(app)[order.region.y : order.region.bottom]
        text_column = re.search(r"\d  (\S)", rows[0]).start(1)
        seconds = [row for row in rows if not re.match(r"\s*▸?\s+\d  ", row)]
        assert seconds and all(len(row) - len(row.lstrip()) == text_column for row in seconds), rows


#: A question of three lines at 80 columns (158 characters) and one of four (about 250), as a long occlusion front.
LONG_FRONTS = {
    3: "Name the organelle under the red mask: the one holding the chromosomes, whose envelope breaks down in "
    "prophase and forms again around each set of chromosomes.",
    4: "Name the organelle under the red mask: the one holding the chromosomes, whose envelope breaks down in "
    "prophase and forms again around each set of chromosomes in telophase, the one that the nucleolus sits in, "
    "and whose pores let messenger RNA out to the ribosomes.",
}


def long_occlusion_deck(folder: Path, lines: int) -> Path:
    """The occlusion deck with its front a long question (`lines` lines at 80 columns)."""
    deck = occlusion_deck(folder)
    deck.write_text(deck.read_text().replace("front: Name the part.", f"front: '{LONG_FRONTS[lines]}'"))
    return deck


@pytest.mark.parametrize("lines", [3, 4])
@pytest.mark.parametrize("size", [(80, 22), (80, 23), (100, 22), (120, 22)])
async def test_an_occlusion_card_s_hint_is_in_sight_under_a_long_question(
    app_factory, tmp_path: Path, drawn_pictures: None, size: tuple[int, int], lines: int
) -> None:
    """The picture's rows were chosen by the terminal's size alone: at 80x22 (8 rows) a three-line question, at
    80x23 and 100x22 a four-line one, put the hint saying what to do below the card. The picture now takes the
    rows left once the question, the prompt and the hint have theirs."""
    app = app_factory([long_occlusion_deck(tmp_path / "decks", lines)])
    async with app.run_test(size=size) as pilot:
        study = await open_study(pilot)
        shown = shown_in(app, study.query_one(CardBody).region)
        assert "Think of what the red mask hides, then press Space or Enter to show it." in shown, shown
        assert "▶ Show answer (Space)" in shown and "region 1 masked" in shown, shown
        assert study.query_one(CardImage).query_one(".picture").region.height >= card_image.MIN_IMAGE_HEIGHT


@pytest.mark.parametrize("size", [(80, 22), (80, 23), (100, 22)])
async def test_an_exam_s_occlusion_hint_is_in_sight_under_a_long_question(
    app_factory, tmp_path: Path, drawn_pictures: None, size: tuple[int, int]
) -> None:
    app = app_factory([long_occlusion_deck(tmp_path / "decks", 4)])
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        run = await start_exam(pilot, await open_exam_setup(pilot), "2")
        await pilot.pause()
        shown = shown_in(app, run.query_one(CardBody).region)
        assert "▶ Show answer (Space)" in shown and "Then say whether you knew it (y / n)." in shown, shown


@pytest.mark.parametrize("size", [(40, 20), (40, 24), (48, 20)])
async def test_a_match_card_with_long_items_shows_its_hint_first_on_a_phone(
    app_factory, tmp_path: Path, size: tuple[int, int]
) -> None:
    """Its wrapped choices put the hint saying which keys pair them below the bottom of the card. Below 60 columns
    the hint stands above the answer widget, under the question, in study and in an exam."""
    app = app_factory([long_pairs_deck(tmp_path)])
    async with app.run_test(size=size) as pilot:
        study = await open_study(pilot)
        assert MATCH_HINT in shown_in(app, study.query_one(CardBody).scrollable_content_region), screen_rows(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        run = await start_exam(pilot, await open_exam_setup(pilot), "1")
        await pilot.pause()
        assert MATCH_HINT in shown_in(app, run.query_one(CardBody).scrollable_content_region), screen_rows(app)


@pytest.mark.parametrize("size", [(40, 20), (40, 24), (48, 22)])
async def test_an_occlusion_card_s_hint_is_in_sight_under_a_long_question_on_a_phone(
    app_factory, tmp_path: Path, drawn_pictures: None, size: tuple[int, int]
) -> None:
    """Seven lines of question at 40 columns leave no room under them for the picture, its caption, the prompt and
    the hint: the hint, first, stands under the question."""
    app = app_factory([long_occlusion_deck(tmp_path / "decks", 4)])
    async with app.run_test(size=size) as pilot:
        study = await open_study(pilot)
        shown = shown_in(app, study.query_one(CardBody).scrollable_content_region)  # not its scrollbar
        assert "Think of what the red mask hides, then press Space or Enter to show it." in shown, shown


async def test_leaving_settings_unsaved_takes_back_its_warning(context: Context) -> None:
    """Settings, 1.5 typed, Ctrl+S, Esc (warned), Esc: on Home the warning about a screen left stayed for seconds,
    at 40x20 over the deck counts. Leaving takes it back."""
    app = QuizApp(context, seed=SEED)
    async with app.run_test(size=PHONE) as pilot:
        settings = await open_settings(pilot)
        settings.query_one("#set-desired_retention", Input).focus()
        await pilot.press("ctrl+a", "ctrl+k", *"1.5", "ctrl+s", "escape")
        await pilot.pause()
        assert "Unsaved changes: Ctrl+S saves them" in messages(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, type(settings)) and "Unsaved changes" not in messages(app)
        assert "Unsaved changes" not in screen_text(app)


async def test_browse_at_80x24_shows_its_search_hint_whole_and_gives_the_question_the_room(app_factory) -> None:
    """The search box's hint was cut at "tag:…," and the question had 26 columns while the topic, flag, state, due
    and lapses kept theirs. The hint is whole, and the question takes the room of lapses (on the card's page) and
    more of the topic's: over 30 columns."""
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        browse = await open_screen(pilot, "b", BrowseScreen)
        search = browse.query_one("#browse-search", Input)
        hint = shown_in(app, search.content_region)
        assert hint == " ".join(str(search.placeholder).split()) and "prop:due<=3" in hint, hint
        widths = {column.key.value: column.width for column in browse.query_one(DataTable).ordered_columns}
        others = max(width for key, width in widths.items() if key != "question")
        assert widths["question"] > 30 and widths["question"] >= 3 * others, widths
        assert list(widths) == ["question", "topic", "flag", "status", "due"], widths


@pytest.mark.parametrize("size", [(48, 20), (40, 20)])
async def test_the_exam_setup_s_note_that_no_exam_was_taken_is_on_one_line(app_factory, size: tuple[int, int]) -> None:
    """Beside the empty score column the note wrapped in 29 columns, though 45 were free at 48."""
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        setup = await open_exam_setup(pilot)
        table = setup.query_one("#past", DataTable)
        table.scroll_visible(animate=False)
        await pilot.pause()
        assert any(row.strip() == "No exams taken on this deck yet." for row in screen_rows(app)), screen_rows(app)
        assert clipped(setup) == []


async def test_a_tick_list_s_long_entry_wraps_under_its_text_at_40_columns(app_factory) -> None:
    """The exam setup's "Self-graded: basic, occlusion, reverse" went on at the left edge ("reverse" under the box),
    as if it were an entry of its own; a long topic's name the same. Its lines now stand under its text."""
    app = app_factory()
    async with app.run_test(size=PHONE) as pilot:
        setup = await open_exam_setup(pilot)
        ticks = setup.query_one("#self-graded")
        ticks.scroll_visible(animate=False)
        await pilot.pause()
        first, second = screen_rows(app)[ticks.region.y : ticks.region.y + 2]
        assert "Self-graded:" in first and second.strip() == "reverse", (first, second)
        assert second.index("reverse") == first.index("Self-graded:"), (first, second)


async def test_the_hint_moves_above_the_answer_and_back_as_the_terminal_narrows_and_widens(
    app_factory, tmp_path: Path
) -> None:
    """A phone turned sideways (40 to 80 columns) and back: the hint stands where that width puts it, once."""
    app = app_factory([long_pairs_deck(tmp_path)])
    async with app.run_test(size=PHONE) as pilot:
        study = await open_study(pilot)
        for size, first in (((80, 24), False), (PHONE, True)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            body = study.query_one(CardBody)
            text = shown_in(app, body.scrollable_content_region)
            hint_at = text.find(MATCH_HINT)
            assert hint_at >= 0 and text.count(MATCH_HINT) == 1, text
            assert (hint_at < text.find("Mindful Infusions")) is first, text


def ketamine_studies_deck(folder: Path) -> Path:
    return match_deck(
        folder,
        "studies",
        "Studies",
        "terms",
        "Match each study to its finding.",
        {
            "The effect of ketamine on mood, short term": "Lifts within hours",
            "The effect of ketamine on mood, long term": "Fades over a week",
        },
    )


@pytest.mark.parametrize("size", [(40, 20), (80, 24)])
async def test_a_cut_left_item_is_read_whole_while_selected(app_factory, tmp_path: Path, size: tuple[int, int]) -> None:
    """Two left items differing only past the cut (at 40x20 `The effect of ketamine…`, at 80x24 the 30-column cap's
    `The effect of ketamine on moo…`): nothing told them apart before answering. The selected one is shown whole
    under the items, in study and in an exam, the card keeping its height as the selection moves."""
    deck = ketamine_studies_deck(tmp_path)
    app = app_factory([deck])
    async with app.run_test(size=size) as pilot:
        study = await open_study(pilot)
        assert MATCH_HINT in shown_in(app, study.query_one(CardBody).scrollable_content_region), screen_rows(app)
        await selected_items_read_whole(pilot, study)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        run = await start_exam(pilot, await open_exam_setup(pilot), "1")
        await selected_items_read_whole(pilot, run)


async def selected_items_read_whole(pilot, screen: Screen) -> None:
    """Each left item of the studies deck, selected in turn, reads whole in the match grid's rows in sight (the
    items themselves cut short), the grid as high for one as for the other."""
    await pilot.pause()
    grid = screen.query_one(MatchGrid)
    heights = []
    for item, other in [("short term", "long term"), ("long term", "short term")]:
        grid.scroll_visible(animate=False, top=True)
        await pilot.pause()
        rows = screen_rows(pilot.app)[grid.region.y : grid.region.y + len(grid.lefts)]
        assert all("…" in row for row in rows), rows  # cut: the two rows read alike
        shown = shown_in(pilot.app, grid.region)
        assert f"Selected: The effect of ketamine on mood, {item}" in shown, shown
        assert f"mood, {other}" not in shown, shown
        heights.append(grid.region.height)
        await pilot.press("down")
        await pilot.pause()
    assert heights[0] == heights[1], heights


def shipped_longest_match_deck(folder: Path) -> Path:
    """The shipped deck's match card with the most text, alone in a deck (written as JSON, which YAML reads)."""
    shipped = load_deck_file(SHIPPED_DECKS / "ketamine" / "ketamine.yaml").deck
    assert shipped is not None
    note = max(
        (note for note in shipped.notes if note.kind == "match"),
        key=lambda note: sum(len(left + right) for left, right in note.body.pairs),
    )
    return match_deck(folder, "shipped-match", "Shipped", note.id, note.body.front, dict(note.body.pairs))


def four_studies_deck(folder: Path) -> Path:
    """Four pairs, each left item cut at 40 columns and read whole on 2 or 3 lines, each choice on 2."""
    return match_deck(
        folder,
        "four-studies",
        "Four studies",
        "findings",
        "Match each study to what it found about ketamine.",
        {
            "The trial of a single infusion against midazolam": "Mood lifted within a day for over half",
            "The trial of repeated infusions over two weeks": "Relief lasted longer with each infusion given",
            "The review of esketamine nasal spray in clinics": "Approved only with monitoring after each dose",
            "The survey of patients a year after treatment": "Most had relapsed and sought more treatment",
        },
    )


@pytest.mark.parametrize("make_deck", [shipped_longest_match_deck, four_studies_deck], ids=["shipped", "long-items"])
async def test_every_choice_is_in_sight_with_the_selected_item_at_40x20(app_factory, tmp_path: Path, make_deck) -> None:
    """The selected item whole under the items ("Selected: …") pushed the choices below the card as the cursor
    moved: in an exam at 40x20 the last two were never in sight, in study none was. Each move now brings the
    selected item and every choice into sight, in study and in an exam."""
    app = app_factory([make_deck(tmp_path)])
    async with app.run_test(size=PHONE) as pilot:
        study = await open_study(pilot)
        await every_choice_in_sight_per_item(pilot, study)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        run = await start_exam(pilot, await open_exam_setup(pilot), "1")
        await every_choice_in_sight_per_item(pilot, run)


async def every_choice_in_sight_per_item(pilot, screen: Screen) -> None:
    """Each left item selected in turn (↓ from the first, round to it again), then one paired (the selection moving
    on): the selected item whole and every choice are in the card's rows in sight."""
    await pilot.pause()
    grid = screen.query_one(MatchGrid)
    for key in ["down"] * len(grid.lefts) + ["1"]:
        await pilot.press(key)
        await pilot.pause()
        shown = shown_in(pilot.app, screen.query_one(CardBody).scrollable_content_region)
        named = f"Selected: {grid.lefts[grid.cursor]}" in shown
        assert named == grid.is_cut(grid.cursor, grid.width_drawn), shown  # an item shown whole is not named
        assert all(right in shown for right in grid.rights), shown


@pytest.mark.parametrize("columns", range(40, 53))
async def test_a_match_card_keeps_its_layout_as_the_selection_moves(app_factory, tmp_path: Path, columns: int) -> None:
    """At 44 and 45 columns in an exam each ↓ laid the card out the other way: the card's scrollbar came and went,
    the grid 40 then 38 columns wide, its items cut at 30 then 28, its heading "Choices:" then "Press the number
    matching ▸:", a choice below the bottom. The grid keeps its size as the selection moves, in study and exams."""
    app = app_factory([long_and_short_items_deck(tmp_path)])
    async with app.run_test(size=(columns, 20)) as pilot:
        study = await open_study(pilot)
        await grid_keeps_its_size(pilot, study)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        run = await start_exam(pilot, await open_exam_setup(pilot), "1")
        await grid_keeps_its_size(pilot, run)


async def grid_keeps_its_size(pilot, screen: Screen) -> None:
    """The match grid's size as it opens and after each ↓, round its items and on: always the same."""
    await pilot.pause()
    grid = screen.query_one(MatchGrid)
    sizes = [grid.size]
    for _ in range(len(grid.lefts) + 1):
        await pilot.press("down")
        await pilot.pause()
        sizes.append(grid.size)
    assert len(set(sizes)) == 1, sizes


def long_and_short_items_deck(folder: Path) -> Path:
    """Three pairs: two left items alike up to 30 columns (cut at 80 columns too), one of 5 columns."""
    return match_deck(
        folder,
        "long-and-short",
        "Long and short",
        "effects",
        "Match each study to its finding.",
        {
            "The effect of ketamine on mood, short term and beyond all reason here": "Lifts within hours",
            "The effect of ketamine on mood, long term": "Fades over a week",
            "Short": "Nothing lasting",
        },
    )


@pytest.mark.parametrize(
    "make_deck",
    [long_and_short_items_deck, long_pairs_deck, shipped_longest_match_deck],
    ids=["reviewed", "articles", "shipped"],
)
async def test_a_match_card_opens_on_its_hint_heading_and_first_choice_at_40x20(
    app_factory, tmp_path: Path, make_deck
) -> None:
    """The lines naming the selected item whole ("Selected: …", as many as the longest cut item takes) stood under
    the items: a 40x20 study card opened on its hint, its items and those lines, the choices' heading and every
    choice below the bottom. They stand under the choices: the card opens on the hint, the heading saying how to
    pair and the first choice (its first line); a ↓ brings the selected item whole into sight with every choice."""
    app = app_factory([make_deck(tmp_path)])
    async with app.run_test(size=PHONE) as pilot:
        study = await open_study(pilot)
        grid = study.query_one(MatchGrid)
        body = study.query_one(CardBody).scrollable_content_region
        first = grid.region.y + grid.choices_top(grid.width_drawn)  # the first choice's first line
        assert first < body.bottom, screen_rows(app)
        first_line = screen_rows(app)[first][body.x : body.right].split()
        assert first_line[0] == "1" and " ".join(first_line[1:3]) in grid.rights[0], first_line
        shown = shown_in(app, body)
        assert MATCH_HINT in shown and "Press the number matching ▸:" in shown, shown
        cut = next(index for index in range(1, len(grid.lefts)) if grid.is_cut(index, grid.width_drawn))
        await pilot.press(*["down"] * cut)
        await pilot.pause()
        shown = shown_in(app, study.query_one(CardBody).scrollable_content_region)
        assert f"Selected: {grid.lefts[cut]}" in shown and all(right in shown for right in grid.rights), shown


async def test_no_line_names_whole_a_selected_item_that_is_not_cut(app_factory, tmp_path: Path) -> None:
    """ "Selected: Short" stood under a grid whose selected item was shown whole already: the line names the selected
    item only while it is cut (its lines kept blank, the card as high)."""
    app = app_factory([long_and_short_items_deck(tmp_path)])
    async with app.run_test(size=(80, 24)) as pilot:
        study = await open_study(pilot)
        grid = study.query_one(MatchGrid)
        height = grid.size.height
        assert "Selected: The effect of ketamine on mood, short term" in shown_in(app, grid.region)
        await pilot.press("down", "down")
        await pilot.pause()
        assert grid.lefts[grid.cursor] == "Short" and "Selected" not in shown_in(app, grid.region), screen_rows(app)
        assert grid.size.height == height


@pytest.mark.parametrize("size", [(80, 24), (40, 20)])
async def test_the_back_shows_a_wrong_pair_s_cut_item_whole(app_factory, tmp_path: Path, size: tuple[int, int]) -> None:
    """Answered wrong, both items showed cut alike ("✗ The effect of ketamine on moo… → 1") above blank lines kept
    for the selected item: nothing told her which item she had got wrong. A wrong pair's cut item shows whole."""
    deck = ketamine_studies_deck(tmp_path)
    app = app_factory([deck])
    async with app.run_test(size=size) as pilot:
        study = await open_study(pilot)
        grid = study.query_one(MatchGrid)
        pairs = dict(load_deck_file(deck).deck.notes[0].body.pairs)
        wrong = [next(n for n, right in enumerate(grid.rights, 1) if right != pairs[left]) for left in grid.lefts]
        await pilot.press(*[str(number) for number in wrong], "enter")
        await pilot.pause()
        grid.scroll_visible(animate=False, top=True)
        await pilot.pause()
        x, y, width, _ = grid.region
        items = Region(x, y, width, grid.choices_top(grid.width_drawn))
        shown = shown_in(app, items)
        assert shown.count("✗") == 2 and all(f"{left} →" in shown for left in grid.lefts), shown


async def test_a_match_card_keeps_its_layout_after_a_resize(app_factory, tmp_path: Path) -> None:
    """Resized from 46 to 45, 44 and back to 46 columns, an exam's match card stayed laid out as at 44 columns (the
    grid at the card's width before the resize, the scrollbar gone) until ↓ laid it out again, another way than a
    card opened at 46 columns; each ↓ then took the grid from 42 to 40 columns and back. It is laid out as opened at
    46 columns, and stays so as the selection moves, in study and in an exam."""
    app = app_factory([long_and_short_items_deck(tmp_path)])
    async with app.run_test(size=(46, 20)) as pilot:
        study = await open_study(pilot)
        await resized_back_as_opened(pilot, study)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        run = await start_exam(pilot, await open_exam_setup(pilot), "1")
        await resized_back_as_opened(pilot, run)


async def resized_back_as_opened(pilot, screen: Screen) -> None:
    """The terminal resized from 46 columns to 45, 44 and 46 again: the match grid as high and wide as it opened,
    and so as the selection moves."""
    await pilot.pause()
    grid = screen.query_one(MatchGrid)
    opened = grid.size
    for columns in (45, 44, 46):
        await pilot.resize_terminal(columns, 20)
        await pilot.pause()
    assert grid.size == opened, screen_rows(pilot.app)
    await grid_keeps_its_size(pilot, screen)


def nine_pairs_deck(folder: Path) -> Path:
    """Nine pairs, seven left items cut at 40 columns (one in CJK, one with markup read literally), the choices
    wrapping: from the choices' heading down they take more rows than a 40x20 card shows."""
    return match_deck(
        folder,
        "nine",
        "Nine",
        "nine",
        "Match each study to what it found.",
        {
            "The trial of a single infusion against midazolam": "Mood lifted within a day for over half",
            "The trial of repeated infusions over two weeks": "Relief lasted longer with each infusion",
            "The review of esketamine nasal spray in clinics": "Approved only with monitoring after each dose",
            "The survey of patients a year after treatment": "Most had relapsed and sought more",
            "The study of ketamine in treatment resistant cases": "Half responded within the week",
            "ケタミンの長期的な効果についての日本の研究報告": "Unclear results",
            "[b]bold[/b] claims made by a clinic's advertising copy": "Overstated",
            "Short one": "Fine",
            "Tiny": "Ok",
        },
    )


@pytest.mark.parametrize("columns", [40, 44])
async def test_the_selected_item_stays_in_sight_on_a_card_of_nine_long_pairs(
    app_factory, tmp_path: Path, columns: int
) -> None:
    """Nine long pairs at 40x20: ↓ ↓ showed the choices' heading and choices 1 to 8, neither the ▸ row nor the line
    "Selected: …" (kept from the heading down, the card showed the top of more rows than it has); pressing 3 then 3
    paired two items unseen. At 44x20 every choice showed, not the selected item. After every key the selected item
    is in sight (its ▸ row, or while it is cut its line "Selected: …"), in study and in an exam."""
    app = app_factory([nine_pairs_deck(tmp_path)])
    async with app.run_test(size=(columns, 20)) as pilot:
        study = await open_study(pilot)
        await selected_item_in_sight_per_key(pilot, study)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        run = await start_exam(pilot, await open_exam_setup(pilot), "1")
        await selected_item_in_sight_per_key(pilot, run)


async def selected_item_in_sight_per_key(pilot, screen: Screen) -> None:
    """↓ round the items and on, numbers, ↑: after each key the selected item is in the card's rows in sight, named
    whole ("Selected: …") while it is cut, else on its ▸ row."""
    await pilot.pause()
    grid = screen.query_one(MatchGrid)
    for key in ["down"] * (len(grid.lefts) + 1) + ["3", "3", "up", "up", "1", "down"]:
        await pilot.press(key)
        await pilot.pause()
        shown = "".join(shown_in(pilot.app, screen.query_one(CardBody).scrollable_content_region).split())
        left = "".join(grid.lefts[grid.cursor].split())  # wrapped CJK has no space where its line breaks
        cut = grid.is_cut(grid.cursor, grid.width_drawn)
        assert (f"Selected:{left}" if cut else f"▸{left}") in shown, (key, grid.cursor, screen_rows(pilot.app))


async def test_the_back_of_a_match_card_does_not_ask_for_a_number_at_40x20(app_factory, tmp_path: Path) -> None:
    """Answered at 40x20, the choices' heading still said "Press the number matching ▸:" above the grade bar, where
    the numbers grade: on the back it says "Choices:"."""
    app = app_factory([long_pairs_deck(tmp_path)])
    async with app.run_test(size=PHONE) as pilot:
        study = await open_study(pilot)
        grid = study.query_one(MatchGrid)
        await pilot.press("1", "2", "3", "enter")
        await pilot.pause()
        heading = grid.choices_top(grid.width_drawn) - 1
        grid.scroll_visible(animate=False, top=True)
        await pilot.pause()
        assert screen_rows(app)[grid.region.y + heading].split() == ["Choices:"], screen_rows(app)
        assert "Press the number" not in shown_in(app, study.query_one(CardBody).scrollable_content_region)


async def test_the_selected_line_shows_the_number_chosen_for_the_item_at_40x20(app_factory, tmp_path: Path) -> None:
    """With nine long pairs at 40x20, once the selection was on a cut item the item rows were scrolled away: the
    number pressed for an item ("→ 3") was nowhere in sight. The line "Selected: …" ends with it ("→ ?" before one
    is pressed; the arrow never alone at the end of a line, the number under it), the card as high either way."""
    app = app_factory([nine_pairs_deck(tmp_path)])
    async with app.run_test(size=PHONE) as pilot:
        study = await open_study(pilot)
        grid = study.query_one(MatchGrid)
        body = study.query_one(CardBody).scrollable_content_region
        await pilot.press("down", "down", "down")  # "The survey of patients a year after treatment"
        await pilot.pause()
        item = "".join(grid.lefts[grid.cursor].split())
        height = grid.size.height
        for keys, number in [((), "?"), (("3", "up"), "3")]:
            await pilot.press(*keys)
            await pilot.pause()
            assert f"Selected:{item}→{number}" in "".join(shown_in(app, body).split()), screen_rows(app)
            rows = [row[body.x : body.right].rstrip() for row in screen_rows(app)[body.y : body.bottom]]
            assert not any(row.endswith("→") for row in rows), rows
        assert grid.size.height == height
