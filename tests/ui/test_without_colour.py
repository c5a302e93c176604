"""What colour alone said is said in words or symbols too: a screen reader reading the terminal line by line, a
colour-blind user and a screen without colour (NO_COLOR) miss a highlight's colour."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from conftest import open_browse, open_exam_setup, open_screen, open_study, screen_text
from textual.widgets import DataTable, OptionList, Select

from quiz.core.cardstate import REVIEW, CardState
from quiz.core.model import Grade, Mode
from quiz.ui.screens.settings import SettingsScreen
from quiz.ui.screens.stats import StatsScreen
from quiz.ui.widgets.pointer import POINTER
from quiz.ui.widgets.ticklist import TickList
from tests.conftest import START

SIZE = (80, 24)

DECK = """deck: picks
title: Picks
cards:
  - {id: c, kind: choice, front: Which one?, options: [Alpha, Beta, Gamma], answer: Beta}
  - {id: m, kind: multi, front: Which ones?, options: [Delta, Epsilon, Zeta], answers: [Delta, Zeta]}
"""


@pytest.fixture(autouse=True)
def _no_colour(no_color: None) -> None:
    pass


def each_card_once(study):
    """The session's cards as it brings them, each once (it brings them again after the last)."""
    seen = set()
    while study.session.current.key not in seen:
        seen.add(study.session.current.key)
        yield study.session.current


def option_lines(text: str, options: tuple[str, ...]) -> dict[str, str]:
    return {option: next(line for line in text.splitlines() if f"  {option}" in line) for option in options}


async def test_the_highlighted_option_of_a_choice_and_a_multi_card_is_marked_in_the_text(app_factory, tmp_path) -> None:
    deck = tmp_path / "picks.yaml"
    deck.write_text(DECK)
    app = app_factory([deck])
    async with app.run_test(size=SIZE) as pilot:
        study = await open_study(pilot)
        for card in each_card_once(study):
            options = ("Alpha", "Beta", "Gamma") if card.kind == "choice" else ("Delta", "Epsilon", "Zeta")
            lines = option_lines(screen_text(app), options)
            assert not any("▸" in line for line in lines.values()), lines  # nothing highlighted yet
            for key in ("2", "down"):
                await pilot.press(key)
                await pilot.pause()
                lines = option_lines(screen_text(app), options)
                pointed = [line for line in lines.values() if line.lstrip().startswith("▸")]
                number = "3" if key == "down" else "2"
                assert len(pointed) == 1 and f" {number}  " in pointed[0], lines
            await pilot.press("enter")  # answered: ✓ and ✗ mark the options, the pointer is gone
            await pilot.pause()
            lines = option_lines(screen_text(app), options)
            assert not any("▸" in line for line in lines.values()) and any("✓" in line for line in lines.values())
            await pilot.press("enter")
            await pilot.pause()


ARRANGED = """deck: rows
title: Rows
cards:
  - {id: o, kind: order, front: In order?, items: [First, Second, Third]}
  - {id: m, kind: match, front: Pair them?, pairs: {Left1: Right1, Left2: Right2}}
"""


async def test_the_selected_item_of_an_order_and_a_match_card_is_marked_in_the_text(app_factory, tmp_path) -> None:
    """Their selection was a reversed row alone."""
    deck = tmp_path / "rows.yaml"
    deck.write_text(ARRANGED)
    app = app_factory([deck])
    async with app.run_test(size=SIZE) as pilot:
        study = await open_study(pilot)
        for card in each_card_once(study):
            items = ("Left1", "Left2") if card.kind == "match" else ("First", "Second", "Third")
            for _ in items:
                lines = option_lines(screen_text(app), items)
                pointed = [item for item, line in lines.items() if line.lstrip().startswith("▸")]
                assert len(pointed) == 1, lines
                await pilot.press("down")
                await pilot.pause()
                moved = [item for item, line in option_lines(screen_text(app), items).items() if "▸" in line]
                assert moved != pointed and len(moved) == 1, lines
            await pilot.press("enter")
            await pilot.pause()
            lines = option_lines(screen_text(app), items)
            assert not any("▸" in line for line in lines.values()), lines
            await pilot.press("enter")
            await pilot.pause()


async def test_a_warning_and_an_error_notification_say_which_they_are(app_factory) -> None:
    """Only a notification's colour told an error from a warning."""
    app = app_factory()
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await open_screen(pilot, ",", SettingsScreen)
        await pilot.press("end", "5")  # desired retention 0.95: changed, not saved
        await pilot.press("escape")
        await pilot.pause()
        text = screen_text(app)
        assert any(line.endswith("▌ Warning") for line in text.splitlines()) and "Unsaved changes" in text, text
        app.clear_notifications()
        await pilot.press("ctrl+a", "backspace", *"7", "ctrl+s")  # 7: out of range
        await pilot.pause()
        text = screen_text(app)
        assert any(line.endswith("▌ Error") for line in text.splitlines()) and "Not saved" in text, text


async def test_the_highlighted_row_of_the_deck_list_is_marked_in_the_text(app_factory) -> None:
    """Home's highlighted deck or topic (what Enter studies) was its background colour alone."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(2):
            before = [line for line in screen_text(app).splitlines() if line.startswith("▸")]
            await pilot.press("down")
            await pilot.pause()
            after = [line for line in screen_text(app).splitlines() if line.startswith("▸")]
            assert len(before) == len(after) == 1 and before != after, (before, after)


async def test_the_highlighted_topic_of_the_exam_setup_is_marked_in_the_text(app_factory) -> None:
    """The topic Space ticks was its background colour alone; it is marked while the list has the focus."""
    app = app_factory()
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        await open_exam_setup(pilot)
        await pilot.press("down")  # the first topic
        await pilot.pause()
        pointed = [line for line in screen_text(app).splitlines() if line.startswith(" ▸ [")]
        await pilot.press("down")
        await pilot.pause()
        moved = [line for line in screen_text(app).splitlines() if line.startswith(" ▸ [")]  # not Self-graded's
        assert len(pointed) == len(moved) == 1 and pointed != moved, (pointed, moved)
        await pilot.press("tab")  # to the number of questions: the topics no longer take the keys
        await pilot.pause()
        assert not [line for line in screen_text(app).splitlines() if line.startswith(" ▸ [")]


def marked(options: OptionList) -> list[int]:
    """The options whose prompt (a Text, or a tick list's grid of box and label) is marked POINTER."""
    console = options.app.console

    def drawn(prompt) -> str:
        return "".join(segment.text for segment in console.render(prompt, console.options.update_width(80)))

    prompts = [options.get_option_at_index(index).prompt for index in range(options.option_count)]
    return [index for index, prompt in enumerate(prompts) if POINTER in drawn(prompt)]


async def test_the_mark_moves_with_the_highlight_not_a_frame_after_it(app_factory, tmp_path) -> None:
    """The mark was moved on OptionHighlighted, a message handled after the frame that showed the new highlight:
    an arrow key drew the highlight beside the old mark, then a second frame moved it (its last frame 33 ms after
    the key, 4 ms before there was a mark). Read before anything else runs: the mark is where the highlight is."""
    deck = tmp_path / "picks.yaml"
    deck.write_text(DECK)
    app = app_factory([deck])
    async with app.run_test(size=SIZE) as pilot:
        study = await open_study(pilot)
        picker = study.query_one(OptionList)
        for index in (1, 2, 0):
            picker.highlighted = index
            assert marked(picker) == [index]
    app = app_factory()
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        await open_exam_setup(pilot)
        topics = app.screen.query_one("#topics", TickList)
        topics.focus()
        await pilot.pause()
        for index in (1, 0):
            topics.highlighted = index
            assert marked(topics) == [index]
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_screen(pilot, ",", SettingsScreen)
        themes = screen.query_one("#set-theme", Select).query_one(OptionList)
        for index in (1, 2, 0):
            themes.highlighted = index
            assert marked(themes) == [index]


def pointed_lines(app) -> list[str]:
    return [line.strip() for line in screen_text(app).splitlines() if POINTER in line]


async def test_the_highlighted_card_of_browse_is_marked_in_the_text(app_factory) -> None:
    """Browse's cursor row (the card Enter opens, s suspends) was its background colour alone."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_browse(pilot)
        for _ in range(2):
            before = pointed_lines(app)
            await pilot.press("down")
            after = pointed_lines(app)
            assert len(before) == len(after) == 1 and before != after, (before, after)
            assert after[0].startswith(POINTER), after
        table = app.screen.query_one("#browse-table", DataTable)
        await pilot.click(table, offset=(5, 1))  # the mouse on the first card's row (under the header)
        await pilot.pause()
        assert table.cursor_row == 0 and pointed_lines(app) == [screen_text(app).splitlines()[table.region.y + 1]]


async def test_the_highlighted_option_of_a_settings_chooser_is_marked_in_the_text(app_factory) -> None:
    """An open chooser's highlighted option (the one Enter picks: the theme, a deck's preset) was its colour alone."""
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_screen(pilot, ",", SettingsScreen)
        chooser = screen.query_one("#set-theme", Select)
        chooser.focus()
        await pilot.press("enter")  # open: the theme in use is highlighted
        await pilot.pause()
        themes = sorted(app.available_themes)
        for step in (0, 1, 2):
            if step:
                await pilot.press("down")
            pointed = pointed_lines(app)
            assert len(pointed) == 1 and f"{POINTER} {themes[themes.index(app.theme) + step]} " in pointed[0], pointed


async def test_the_calendar_says_each_day_s_level_by_its_character(app_factory) -> None:
    """The calendar's days were one square in five shades of green: the levels are characters too, in a legend."""
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_study(pilot)
        await pilot.press("space", "3")  # one answer today: the busiest day, drawn ░ (a quarter of the most, at most)
        await pilot.pause()
        assert app.context.store.review_count() == 1
        await pilot.press("escape", "escape")  # the session's summary, then Home
        await open_screen(pilot, "s", StatsScreen)
        await pilot.press("6")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert any(line.strip() == "less · ░ ▒ ▓ █ more" for line in lines), lines
        days = [line for line in lines if line.strip().startswith(("Mon ", "Wed ", "Fri ", "Sun "))]
        grid = "".join(lines[lines.index(days[0]) : lines.index(days[-1]) + 1])
        assert grid.count("░") == 1 and "·" in grid, lines


async def test_an_open_chooser_s_options_line_up_whichever_were_marked(app_factory) -> None:
    """Select drew its options bare and the mark redrew the ones it passed as `  name`: those stood two columns
    right of the others, the list ragged."""
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_screen(pilot, ",", SettingsScreen)
        chooser = screen.query_one("#set-theme", Select)
        chooser.focus()
        await pilot.press("enter", "down", "down")
        await pilot.pause()
        overlay = chooser.query_one(OptionList)
        rows = screen_text(app).splitlines()[overlay.content_region.y : overlay.content_region.bottom]
        names = sorted(app.available_themes)
        columns = {row.index(name) for row in rows for name in names if f" {name} " in f"{row} "}
        assert len(columns) == 1, rows


def reviewed_two_cards(app) -> None:
    """Two review answers, one recalled and one not: the calibration chart has answers to show."""
    for key, grade in (("basic", Grade.GOOD), ("cz", Grade.AGAIN)):
        at = START - timedelta(days=4)
        before = CardState(kind="basic", fsrs_state=REVIEW, stability=8.0, difficulty=5.0, last_review=at, reps=1)
        app.context.store.record_review("uitest", key, grade, START, 900, Mode.REVIEW, before, replace(before, reps=2))


def chart_and_note(app) -> tuple[str, str]:
    """The retention chart's text as drawn, and the note above it."""
    screen = app.screen
    rows = screen_text(app).splitlines()
    plot = screen.query_one("#retention-plot").region
    note = screen.query_one("#retention-note").region
    return "\n".join(rows[plot.y : plot.bottom]), " ".join(" ".join(rows[note.y : note.bottom]).split())


async def test_the_workload_and_calibration_charts_tell_their_series_apart_by_character(app_factory) -> None:
    """Stats › w drew its six retentions with one character, `▞▞ 70% *` … `▞▞ 95%` in a legend over the curves, and
    the calibration its line and its answers alike: told apart by colour alone. Each series has its own character,
    named above the chart."""
    app = app_factory()
    reviewed_two_cards(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_screen(pilot, "s", StatsScreen)
        await pilot.press("c")
        await pilot.pause()
        chart, note = chart_and_note(app)
        assert "· predicted = recalled o answers" in note, note
        assert "·" in chart and "o" in chart and "predicted" not in chart and "answers" not in chart, chart
        await pilot.press("w")
        await app.workers.wait_for_complete()
        await pilot.pause()
        chart, note = chart_and_note(app)
        legend = note.split("Lines: ")[1]
        assert legend.replace(" *", "") == "• 70% + 75% x 80% o 85% = 90% # 95%" and legend.count("*") == 1, note
        assert "%" not in chart and "▞" not in chart, chart
        assert len({marker for marker in "•+xo=#" if marker in chart}) >= 4, chart
