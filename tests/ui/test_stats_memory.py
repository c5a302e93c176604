"""The Stats screen at 80x24 without colour: the Memory tab (7), predicted recall per deck and topic, now and
on the exam day, beside the answers, each column explained; the retention advisor on the Retention tab
(`w` the simulated workload with the optimal retention, `c` predicted against actual recall)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from conftest import UI_DECK, open_screen, screen_rows, screen_text, static_text
from fsrs_rs_python import DEFAULT_PARAMETERS
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from quiz.core.cardstate import REVIEW, CardState
from quiz.core.clock import study_day
from quiz.core.examdates import ExamDate, set_exam_date
from quiz.core.memorystats import HELP
from quiz.core.model import Grade, Mode
from quiz.core.presets import assign_preset, new_preset
from quiz.core.recall import curve_for
from quiz.ui.screens.stats import StatsScreen
from tests.conftest import START

CURVE = curve_for(tuple(DEFAULT_PARAMETERS))


pytestmark = pytest.mark.usefixtures("no_color")


async def test_the_memory_tab_shows_recall_now_and_on_the_exam_day_with_what_each_is(app_factory) -> None:
    app = app_factory()
    store = app.context.store
    at = START - timedelta(days=4)
    before = CardState(kind="basic", fsrs_state=REVIEW, stability=8.0, difficulty=5.0, last_review=at, reps=1)
    store.record_review("uitest", "basic", Grade.GOOD, at, 900, Mode.REVIEW, before, replace(before, reps=2))
    today = study_day(START)
    set_exam_date(store, ExamDate("uitest", "mechanism", today + timedelta(days=10), 0.95), today)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "s", StatsScreen)
        await pilot.press("7")
        await pilot.pause()
        table = app.screen.query_one("#memory-table", DataTable)
        cells = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        rows = {row[0].strip(): row[1:] for row in cells}
        now, on_exam = f"{CURVE.recall(8.0, 4):.0%}", f"{CURVE.recall(8.0, 14):.0%}"
        assert rows["Mechanism"] == ["1/7", now, (today + timedelta(days=10)).isoformat(), on_exam, "100%"]
        deck = app.context.library.deck("uitest")
        assert len([c for c in deck.cards if c.topic == "mechanism"]) == 7
        assert rows["UI test deck [b]x[/…"][:3] == [f"1/{len(deck.cards)}", now, "–"]  # no exam; cut at 80 columns
        text = screen_text(app)
        assert "7 Memory" in text
        for label in HELP:
            assert f"{label.capitalize()}: " in text


async def test_the_retention_tab_shows_the_workload_with_the_optimal_retention_and_the_calibration(
    app_factory,
) -> None:
    app = app_factory()
    store = app.context.store
    for key, grade in (("basic", Grade.GOOD), ("cz", Grade.AGAIN)):
        at = START - timedelta(days=4)
        before = CardState(kind="basic", fsrs_state=REVIEW, stability=8.0, difficulty=5.0, last_review=at, reps=1)
        store.record_review("uitest", key, grade, START, 900, Mode.REVIEW, before, replace(before, reps=2))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s", "c")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#tab-retention").display  # the Retention tab, showing the calibration
        note = static_text(screen.query_one("#retention-note", Static))
        predicted = CURVE.recall(8.0, 4)
        rmse = abs(predicted - 0.5)  # both answers fall in one bin, where one of two was recalled
        assert f"Off by {rmse * 100:.1f} points on average (RMSE) over 2 answers" in " ".join(note.split())
        assert "Predicted against actual recall" in screen.query_one("#retention-plot", PlotextPlot).plt.build()

        await pilot.press("w")  # simulated in a thread
        await app.workers.wait_for_complete()
        await pilot.pause()
        note = " ".join(static_text(screen.query_one("#retention-note", Static)).split())
        assert note.startswith("Optimal retention ") and "Yours (90%): " in note and "s per card remembered" in note
        chart = screen.query_one("#retention-plot", PlotextPlot).plt.build()
        assert "Study minutes per day" in chart and "= 90%" in note and " *" in note.split("Lines: ")[1]
        await pilot.press("w")  # again: the weekly retention
        await pilot.pause()
        assert "True retention per week" in screen.query_one("#retention-plot", PlotextPlot).plt.build()


OTHER_DECK = "deck: other\ntitle: Other\ncards:\n  - {id: a, kind: basic, front: f, back: b}\n"


async def test_the_summary_and_the_workload_name_an_average_of_two_presets_as_one(app_factory, tmp_path) -> None:
    """Two decks answered, on presets asking 85% and 95%: "Yours, 90%" and the summary's "target 90%" named a
    retention no preset asks for; both say it is the decks' average."""
    other = tmp_path / "other.yaml"
    other.write_text(OTHER_DECK, encoding="utf-8")
    app = app_factory([UI_DECK, other])
    store = app.context.store
    at = START - timedelta(days=4)
    before = CardState(kind="basic", fsrs_state=REVIEW, stability=8.0, difficulty=5.0, last_review=at, reps=1)
    for deck_id, key, desired in (("uitest", "basic", 0.85), ("other", "a", 0.95)):
        tuned = replace(store.settings(), desired_retention=desired)
        assign_preset(store, deck_id, new_preset(store, f"aims at {desired:.0%}", tuned))
        store.record_review(deck_id, key, Grade.GOOD, START, 900, Mode.REVIEW, before, replace(before, reps=2))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        summary = " ".join(static_text(app.screen.query_one("#stats-summary", Static)).split())
        assert "(target 90%, your decks' average: on target)" in summary, summary
        await pilot.press("w")  # simulated in a thread
        await app.workers.wait_for_complete()
        await pilot.pause()
        note = " ".join(static_text(app.screen.query_one("#retention-note", Static)).split())
        assert "Yours (90%, your decks' average): " in note, note


LONG_TITLES = """deck: long
title: Ketamine for depression, the long course
topics:
  - {id: safety, title: "Side effects, safety and risks [b]x[/b]"}
cards:
  - {id: a, kind: basic, topic: safety, front: f, back: b}
"""


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_the_memory_tab_names_decks_and_topics_whole_when_they_fit_else_cut_with_an_ellipsis(
    app_factory, tmp_path, size: tuple[int, int]
) -> None:
    """At 80 columns the names get 20 and a cut shows it (they were cut mid-word, with no mark); a wider screen
    gives them the columns it adds (at 200 they were cut at 20 all the same)."""
    deck = tmp_path / "long.yaml"
    deck.write_text(LONG_TITLES, encoding="utf-8")
    app = app_factory([deck])
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("s", "7")
        await pilot.pause()
        table = app.screen.query_one("#memory-table", DataTable)
        names = [str(table.get_row_at(i)[0]).strip() for i in range(table.row_count)]
        text = screen_text(app)
    if size == (80, 24):
        assert names == ["Ketamine for depres…", "Side effects, saf…"]
    else:
        assert names == ["Ketamine for depression, the long course", "Side effects, safety and risks [b]x[/b]"]
    assert all(name in text for name in names)


async def test_the_memory_tab_on_a_phone_shows_every_figure_without_scrolling_sideways(app_factory) -> None:
    """At 40 columns the six columns needed over 70: the table scrolled sideways, Recall now and the exam's figures out
    of sight. There each row takes three lines: its name wrapped, its figures stacked under stacked headings."""
    app = app_factory()
    store = app.context.store
    today = study_day(START)
    set_exam_date(store, ExamDate("uitest", "mechanism", today + timedelta(days=10), 0.95), today)
    async with app.run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        await pilot.press("s", "7")
        await pilot.pause()
        table = app.screen.query_one("#memory-table", DataTable)
        assert table.max_scroll_x == 0 and app.screen.region.contains_region(table.region)
        rows = screen_rows(app)[table.region.y : table.region.y + 3 + 3 * 2]
        shown = [row[table.region.x : table.region.right - 2].split() for row in rows]  # less the scrollbar
        exam = (today + timedelta(days=10)).isoformat()
        assert shown == [
            ["Deck", "/", "Studied", "Exam"],
            ["topic", "Recall", "now", "On", "exam", "day"],
            ["Right", "30d"],
            ["UI", "test", "0/11", "–"],  # a name wraps in its column, whole
            ["deck", "–", "–"],
            ["[b]x[/b]", "–"],
            ["Mechanism", "0/7", exam],  # whole: beside 9 columns, not indented ("Mechani" over "sm")
            ["–", "–"],
            ["–"],
        ], shown


async def test_the_memory_tab_on_a_phone_marks_a_name_longer_than_its_three_lines_as_cut(app_factory, tmp_path) -> None:
    """At 40 columns a name wraps in its column, three lines a row: a longer one lost its end with no mark
    (`Ketamine / for / depressio`, the rest of the deck's title out of sight) though the cut was meant to show."""
    deck = tmp_path / "long.yaml"
    deck.write_text(LONG_TITLES, encoding="utf-8")
    app = app_factory([deck])
    async with app.run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        await pilot.press("s", "7")
        await pilot.pause()
        table = app.screen.query_one("#memory-table", DataTable)
        width = table.ordered_columns[0].width
        rows = screen_rows(app)[table.region.y + 3 : table.region.y + 3 + 3 * 2]
        names = [row[table.region.x + 1 : table.region.x + 1 + width].rstrip() for row in rows]
    assert names == ["Ketamine", "for", "depressi…", "  Side", "effects,", "safety…"], names


async def test_the_summary_s_target_counts_only_the_decks_of_the_library(app_factory) -> None:
    """Deck uitest (85%) answered 40 days ago, deck `gone` (in no file now: Default's 90%) 300 days ago: the
    summary said "target 88%, your decks' average" while the weekly chart of the same answers aimed at 85%."""
    app = app_factory([UI_DECK])
    store = app.context.store
    tuned = replace(store.settings(), desired_retention=0.85)
    assign_preset(store, "uitest", new_preset(store, "aims at 85%", tuned))
    for deck_id, days_ago in (("uitest", 40), ("gone", 300)):
        at = START - timedelta(days=days_ago)
        before = CardState(kind="basic", fsrs_state=REVIEW, stability=8.0, difficulty=5.0, last_review=at, reps=1)
        store.record_review(deck_id, "basic", Grade.GOOD, at, 900, Mode.REVIEW, before, replace(before, reps=2))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        summary = " ".join(static_text(app.screen.query_one("#stats-summary", Static)).split())
        assert "target 85%" in summary and "average" not in summary, summary
