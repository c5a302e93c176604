"""Stats: charts of what is coming (forecast), what was done (reviews per day), how well it sticks (true
retention against the desired retention), where cards stand (states), how far each topic is learnt, a
calendar of the last half year's study days with streaks, and what memory holds (predicted recall per deck
and topic, now and on the exam day, beside the answers)."""

from __future__ import annotations

import math
from datetime import date, datetime
from itertools import cycle
from typing import Literal

from rich.console import Console
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from quiz.core import stats
from quiz.core.advisor import Workload, calibration_of, optimal, workloads
from quiz.core.memorystats import HELP as MEMORY_HELP
from quiz.core.memorystats import MemoryRow, memory_rows, share
from quiz.core.scheduler import Scheduler
from quiz.ui.base import quiz_app
from quiz.ui.widgets.keybar import KeyBar
from quiz.ui.widgets.literal import lit_line
from quiz.ui.widgets.mastery import MasteryBars

TABS = ("forecast", "reviews", "retention", "states", "topics", "calendar", "memory")
TAB_TITLES = ("Forecast", "Reviews", "Retention", "States", "Topics", "Calendar", "Memory")
TAB_LABELS = tuple(f"{number} {title}" for number, title in enumerate(TAB_TITLES, start=1))  # "1 Forecast"
TABS_NAMED = 80  # the seven labels side by side need 78 columns: below, only the shown tab's has its name
CALENDAR_WEEKS = 26  # at most: as many as fit the width (calendar_weeks)
CALENDAR_MARGIN = 8  # columns beside the weeks: the day names (4), the grid's padding (2), a scrollbar (2)
# Each day's cell by how busy it was (none, then the four quarters of the busiest day): greens that read on dark
# and light themes alike, and a shade of its own, so the level is read without colour too (a screen reader,
# a colour-blind user, NO_COLOR); each shade is one the Linux console's font has.
HEAT = ("#2d333b", "#0e4429", "#006d32", "#26a641", "#39d353")
SHADES = ("·", "░", "▒", "▓", "█")
NO_REVIEWS = "No reviews yet. Study a few cards and this chart fills in."
#: Each of a chart's series drawn with its own character, named in the note above the chart: without colour
#: (NO_COLOR, a colour-blind reader) plotext's one marker for all drew six look-alike lines, its legend over them.
SERIES_MARKERS = ("•", "+", "x", "o", "=", "#")
LINE_MARKER, POINT_MARKER = "·", "o"  # the calibration chart's line and answers
MEMORY_NAME_WIDTH = 20  # at 80 columns, the figures beside it; a wider screen gives the names the columns it adds
MEMORY_WIDE = 80  # below this the memory table's figures are stacked (MEMORY_STACKED), their five columns too wide
MEMORY_STACKED = (("studied", "recall now", "right 30d"), ("exam", "on exam day"))  # as wide as their headings


def name_in_lines(name: Text, width: int, lines: int, console: Console) -> Text:
    """`name` in at most `lines` lines of `width` columns, as the table wraps it, an ellipsis ending the last one
    when there is more: the table shows a row's `lines` and drops the rest unmarked."""
    if lines == 1:
        name.truncate(width, overflow="ellipsis")
        return name
    wrapped = name.wrap(console, width, overflow="fold")
    if len(wrapped) <= lines:
        return name
    kept = wrapped[:lines]
    for line in kept:
        line.rstrip()  # the space a line was wrapped at
    kept[-1].truncate(width - 1)
    kept[-1].append("…")
    return Text("\n").join(kept)


def topic_name(title: str, width: int) -> Text:
    """A topic's name under its deck's, indented two columns, fewer when its first word (the line the indent is on)
    would not fit beside them in the name's `width` (at 40 columns "  Mechanism" was cut mid-word, "Mechani" over
    "sm")."""
    first = len(title.split()[0]) if title.split() else 0
    indent = width - first if 0 <= width - first < 2 else 2  # a word longer than the width is cut anyway
    return lit_line(" " * indent + title)


def _memory_help() -> Text:
    """What each column of the memory table is, a line each."""
    text = Text()
    for label, meaning in MEMORY_HELP.items():
        text.append(f"{label.capitalize()}: ", style="bold")
        text.append(meaning + "\n")
    return text


def _cost(workload: Workload) -> str:
    days = len(workload.reviews)
    return (
        f"{workload.seconds_per_remembered:.0f} s per card remembered, "
        f"{sum(workload.reviews) / days:.1f} reviews and {sum(workload.minutes) / days:.1f} min a day"
    )


def series_legend(names: list[str]) -> str:
    """The line naming each series by its marker (SERIES_MARKERS, in order): "• 70%  + 75%"."""
    return "  ".join(f"{marker} {name}" for marker, name in zip(cycle(SERIES_MARKERS), names))


def short_date(day: date) -> str:
    return f"{day:%b} {day.day}"


def ticks(days: list[date], every: int) -> tuple[list[int], list[str]]:
    positions = list(range(0, len(days), every))
    return positions, [short_date(days[i]) for i in positions]


def whole_number_ticks(plt, values: list[int]) -> None:
    """Counts get whole-number ticks (plotext would label a 0-1 axis 0.17, 0.33 ...)."""
    step = max(1, math.ceil(max(values, default=0) / 5))
    top = step * max(1, math.ceil(max(values, default=0) / step))
    plt.ylim(0, top)
    plt.yticks(list(range(0, top + 1, step)))


def calendar_weeks(width: int) -> int:
    """The weeks the calendar shows at `width` columns: 26 from 60 up, fewer below (16 at a phone's 40), a row
    wrapped onto the next line being unreadable."""
    return max(1, min(CALENDAR_WEEKS, (width - CALENDAR_MARGIN) // 2))


def heat_grid(days: list[date], counts: list[int]) -> Text:
    """A week per column (Monday on top), a cell per day coloured by its answers, months along the top."""
    top = max(counts, default=0)
    weeks = [list(zip(days[i : i + 7], counts[i : i + 7], strict=True)) for i in range(0, len(days), 7)]
    labels = [" "] * (2 * len(weeks))  # no wider than the rows: the width is all there may be (calendar_weeks)
    free = 0  # the first column a new month's name may use without overwriting the last one
    for column, week in enumerate(weeks):
        # over the week that holds the month's first day (the week of Mon 30 Nov is December's), moved left to
        # fit at the right edge: the last weeks' month was left unnamed
        first = next((day for day, _ in week if day.day == 1), None)
        if first is None and column == 0 and week[0][0].day <= 7:  # the grid starts in a month's first week
            first = week[0][0]
        name = "" if first is None else f"{first:%b}"
        start = min(2 * column, len(labels) - len(name))
        if name and start >= free:
            labels[start : start + len(name)] = name
            free = start + len(name) + 1
    months = Text("    " + "".join(labels).rstrip(), style="dim")
    rows = [heat_row(weeks, weekday, top) for weekday in range(7)]
    return Text("\n").join([months, *rows, Text(""), heat_legend()])


def heat_row(weeks: list[list[tuple[date, int]]], weekday: int, top: int) -> Text:
    row = Text(("Mon ", "", "Wed ", "", "Fri ", "", "Sun ")[weekday] or "    ", style="dim")
    for week in weeks:
        if weekday < len(week):
            count = week[weekday][1]
            level = 0 if not count else min(4, 1 + (4 * (count - 1)) // max(top, 1))
            row.append(heat_cell(level))
    return row


def heat_cell(level: int) -> Text:
    return Text(SHADES[level] + " ", style=HEAT[level])


def heat_legend() -> Text:
    legend = Text("    less ", style="dim")
    for level in range(len(HEAT)):
        legend.append_text(heat_cell(level))
    legend.append("more", style="dim")
    return legend


class StatsScreen(Screen):
    """Charts over the whole library and the whole review history."""

    TITLE = "Stats"
    BINDINGS = [
        Binding("escape,q", "back", "Back"),
        Binding("1", "tab('forecast')", "Forecast", show=False, tooltip="Cards due on each of the next 30 days"),
        Binding("2", "tab('reviews')", "Reviews", show=False, tooltip="Answers on each of the last 30 or 90 days"),
        Binding("3", "tab('retention')", "Retention", show=False, tooltip="True retention per week vs your target"),
        Binding("4", "tab('states')", "States", show=False, tooltip="New, learning, young, mature and suspended cards"),
        Binding("5", "tab('topics')", "Topics", show=False, tooltip="Share of each topic's cards learnt"),
        Binding("6", "tab('calendar')", "Calendar", show=False, tooltip="Study days of the last 26 weeks, and streaks"),
        Binding("7", "tab('memory')", "Memory", show=False, tooltip="Predicted recall now and on the exam day"),
        Binding("d", "toggle_days", "30/90 days", tooltip="Show reviews for the last 30 or 90 days"),
        Binding("w", "retention_view('workload')", "Workload", tooltip="A year's study time at several retentions"),
        Binding("c", "retention_view('calibration')", "Calibration", tooltip="Predicted against actual recall"),
        Binding("question_mark,f1", "help", "Help", key_display="?", tooltip="Every screen's keys"),
        # In a small pane a chart under its note reaches past the bottom: these scroll the tab shown to its end.
        Binding(
            "down", "scroll_tab('down')", show=False, tooltip="Move down or up the tab shown, if taller than the window"
        ),
        Binding("up", "scroll_tab('up')", show=False),
        Binding("pagedown", "scroll_tab('page_down')", show=False),
        Binding("pageup", "scroll_tab('page_up')", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="stats")
        self.history_days = 30
        self.retention_view = "weeks"  # or "workload", "calibration": the Retention tab's three charts
        self._workloads: tuple[list[Workload], float] | None = None  # simulated once, in a thread
        self._recent: stats.TrueRetention | None = None  # the summary's, the last 30 days', drawn on mount
        self._fallback: stats.FallbackTarget | None = None  # a figure's target with no answers: made by each draw
        self._memory_rows: list[MemoryRow] = []  # drawn again at a new width
        self._calendar_weeks = 0  # the weeks the calendar shows: drawn again when the width fits more or fewer
        # Each tab is drawn as it is first shown: with 300,000 answers the seven took 5 s before Stats appeared
        self._drawn: set[str] = set()
        self._as_of: datetime | None = None  # the clock's time at the last draw: every tab describes that moment

    def compose(self) -> ComposeResult:
        yield Static(
            Text.assemble(("Stats", "bold"), " · forecast, reviews, retention, states, topics, calendar"),
            classes="title-bar",
        )
        yield Static("", id="stats-summary")
        with TabbedContent(id="stats-tabs"):
            # Each tab names its key ("1 Forecast"), so the key bar need not list six of them: at 80 columns
            # it would cut off `d` and `?`.
            for tab, label in zip(TABS, TAB_LABELS, strict=True):
                with TabPane(label, id=f"tab-{tab}"):
                    yield Static("", id=f"{tab}-note", classes="chart-note", markup=False)
                    if tab == "calendar":
                        yield Static("", id="calendar-grid")
                    elif tab == "memory":
                        with VerticalScroll(id="memory-plot", classes="chart"):
                            yield DataTable(id="memory-table", cursor_type="row", zebra_stripes=True)
                            yield Static(_memory_help(), id="memory-help")
                    elif tab == "topics":
                        with VerticalScroll(id="topics-plot", classes="chart"):
                            yield MasteryBars(id="topics-bars")
                    else:
                        yield PlotextPlot(id=f"{tab}-plot", classes="chart")
        yield KeyBar()

    def on_mount(self) -> None:
        self.draw()
        self._label_tabs()

    @on(TabbedContent.TabActivated)
    def _label_tabs(self) -> None:
        """Each tab named with its key ("1 Forecast"); on a narrow screen (a phone's) only the one shown, the
        others by their key alone, so that the strip fits and every key can be seen."""
        tabbed = self.query_one(TabbedContent)
        narrow = (self.size.width or self.app.size.width) < TABS_NAMED
        for number, (tab, label) in enumerate(zip(TABS, TAB_LABELS, strict=True), start=1):
            named = not narrow or tabbed.active == f"tab-{tab}"
            tabbed.get_tab(f"tab-{tab}").label = label if named else str(number)

    # --- drawing ----------------------------------------------------------------------------------

    def draw(self) -> None:
        context = quiz_app(self).context
        store, decks, now = context.store, context.library.decks, context.clock.now()
        settings = store.settings()
        self.reviewed = store.review_count() > 0
        self._fallback = stats.FallbackTarget(store, {deck.id for deck in decks})  # read once, if a figure has none
        self._summary(decks, now, settings.rollover_hour)
        self._as_of = now
        self._drawn.clear()
        self._draw_tab(self._shown_tab())

    def _shown_tab(self) -> str:
        return self.query_one(TabbedContent).active.removeprefix("tab-") or TABS[0]

    @on(TabbedContent.TabActivated)
    def _tab_shown(self) -> None:
        self._draw_tab(self._shown_tab())

    def _draw_tab(self, tab: str) -> None:
        """Draw a tab's chart, once: the first time it is shown."""
        if tab in self._drawn:
            return
        self._drawn.add(tab)
        context = quiz_app(self).context
        store, decks, now = context.store, context.library.decks, self._as_of or context.clock.now()
        rollover = store.settings().rollover_hour
        if tab == "forecast":
            self._forecast(stats.due_forecast(decks, store, now, 30, rollover), now, rollover)
        elif tab == "reviews":
            self._reviews(now, rollover)
        elif tab == "retention":
            self._draw_retention(now, rollover)
        elif tab == "states":
            self._states(stats.card_state_breakdown(decks, store))
        elif tab == "topics":
            self._topics(stats.mastery_by_deck(decks, store))
        elif tab == "calendar":
            self._calendar(now, rollover)
        else:
            self._memory(memory_rows(store, decks, now))

    def _note(self, tab: str, message: str, show_plot: bool) -> None:
        note = self.query_one(f"#{tab}-note", Static)
        note.update(message)
        note.display = bool(message)
        self.query_one(f"#{tab}-plot").display = show_plot

    def _plot(self, tab: str):
        widget = self.query_one(f"#{tab}-plot", PlotextPlot)
        widget.plt.clear_figure()
        widget.refresh()
        return widget.plt

    def _summary(self, decks: list, now, rollover: int) -> None:
        store = quiz_app(self).context.store
        total = sum(len(d.cards) for d in decks)
        due_today = stats.due_today(decks, store, now, rollover)
        retention, counted, target = self._recent = stats.true_retention(store, now, fallback=self._fallback)
        text = Text()
        text.append(f"{len(decks)} deck{'s' * (len(decks) != 1)}, {total:,} cards, {due_today:,} due today. ")
        if not self.reviewed:
            text.append("No reviews yet: study a few cards and the charts fill in.", style="bold")
        elif retention is None:
            text.append(f"True retention: not enough reviews yet (target {stats.target_words(target)}).")
        else:
            verdict = "on target" if stats.on_target(retention, target.value) else "below target"
            text.append(f"True retention {retention:.0%} over {counted:,} reviews in 30 days ")
            text.append(f"(target {stats.target_words(target)}: {verdict}).", style="bold")
        self.query_one("#stats-summary", Static).update(text)

    def _forecast(self, forecast: list[int], now, rollover: int) -> None:
        if not any(forecast):
            self._note("forecast", "Nothing due in the next 30 days: cards join the forecast once studied.", False)
            return
        self._note("forecast", "Cards already overdue count today.", True)
        plt = self._plot("forecast")
        days = stats.study_days(now, len(forecast), rollover)
        plt.bar(list(range(len(forecast))), forecast, width=0.6)
        plt.xticks(*ticks(days, 7))
        whole_number_ticks(plt, forecast)
        plt.title("Cards due per day, next 30 days")

    def _reviews(self, now, rollover: int) -> None:
        if not self.reviewed:
            self._note("reviews", NO_REVIEWS, False)
            return
        counts = stats.reviews_per_day(quiz_app(self).context.store, now, self.history_days, rollover)
        other = 120 - self.history_days
        note = f"{sum(counts):,} answers. Press d for the last {other} days."
        self._note("reviews", note if any(counts) else f"No reviews in the last {self.history_days} days.", True)
        plt = self._plot("reviews")
        days = stats.study_days(now, self.history_days, rollover, past=True)
        plt.bar(list(range(len(counts))), counts, width=0.6)
        plt.xticks(*ticks(days, 7 if self.history_days <= 30 else 15))
        whole_number_ticks(plt, counts)
        plt.title(f"Reviews per day, last {self.history_days} days")

    def _retention(self, now, rollover: int) -> None:
        store = quiz_app(self).context.store
        weeks, target = stats.retention_by_week(store, now, 8, rollover, self._fallback)  # what they aimed at
        measured = [(i, w.retention) for i, w in enumerate(weeks) if w.retention is not None]
        if not measured:
            self._note(
                "retention",
                f"No answers to review cards yet, so no true retention to show (target {stats.target_words(target)}). "
                "Retention is measured on cards answered again after they graduated.",
                False,
            )
            return
        self._note(
            "retention",
            f"Passed answers to graduated cards, per week; the line is your target ({stats.target_words(target)}).",
            True,
        )
        plt = self._plot("retention")
        plt.bar([i for i, _ in measured], [round(retention * 100, 1) for _, retention in measured], width=0.5)
        plt.hline(target.value * 100)
        plt.ylim(0, 100)
        plt.xlim(-0.5, len(weeks) - 0.5)
        plt.xticks(list(range(len(weeks))), [short_date(w.start) for w in weeks])
        plt.yticks([0, 20, 40, 60, 80, 100])
        plt.title("True retention per week, %")

    def _draw_retention(self, now, rollover: int) -> None:
        if self.retention_view == "workload":
            self._workload()
        elif self.retention_view == "calibration":
            self._calibration()
        else:
            self._retention(now, rollover)

    def _workload(self) -> None:
        if self._workloads is None:
            self._note("retention", "Simulating a year of study at desired retentions 70% to 95%…", False)
            self._simulate()
            return
        found, best = self._workloads
        assert self._recent is not None  # drawn on mount, before a key or the simulation can ask for it
        target = self._recent.target  # the summary's: what the last 30 days' answers aimed at
        mine = min(found, key=lambda w: abs(w.retention - target.value))
        nearest = min(found, key=lambda w: abs(w.retention - best))
        names = [f"{each.retention:.0%}{' *' if each is nearest else ''}" for each in found]
        self._note(
            "retention",
            f"Optimal retention {best:.0%} (marked *): the least study time per card remembered, "
            f"{_cost(nearest)}. Yours ({stats.target_words(target)}): {_cost(mine)}. A year simulated from every "
            f"card new, with your limits and steps. w: weekly retention again.\nLines: {series_legend(names)}",
            True,
        )
        plt = self._plot("retention")
        for each, marker in zip(found, cycle(SERIES_MARKERS)):
            weeks = [sum(each.minutes[i : i + 7]) / 7 for i in range(0, len(each.minutes), 7)]
            plt.plot(list(range(len(weeks))), weeks, marker=marker)
        plt.title("Study minutes per day, next 52 weeks (weekly mean), by desired retention")

    @work(thread=True, exclusive=True)
    def _simulate(self) -> None:
        context = quiz_app(self).context
        settings = context.store.settings()
        cards = sum(len(deck.cards) for deck in context.library.decks)
        parameters = Scheduler(settings).parameters
        found = workloads(parameters, settings, cards)
        best = optimal(parameters, settings, cards)
        self.app.call_from_thread(self._simulated, found, best)

    def _simulated(self, found: list[Workload], best: float) -> None:
        self._workloads = (found, best)
        if self.is_attached and self.retention_view == "workload":  # the screen may have closed meanwhile
            self._workload()

    def _calibration(self) -> None:
        context = quiz_app(self).context
        found = calibration_of(context.store, context.library.decks)
        if found.rmse is None:
            self._note(
                "retention",
                "No answers to review cards yet, so nothing to compare predictions with. c: weekly retention again.",
                False,
            )
            return
        self._note(
            "retention",
            f"Each point: answers whose predicted recall fell in a bin, predicted (across) against recalled (up); "
            f"on the line, the predictions came true. Off by {found.rmse * 100:.1f} points on average (RMSE) over "
            f"{found.answers:,} answers. c: weekly retention again.\n"
            f"{LINE_MARKER} predicted = recalled  {POINT_MARKER} answers",
            True,
        )
        plt = self._plot("retention")
        plt.plot([0, 100], [0, 100], marker=LINE_MARKER)
        points = ([b.predicted * 100 for b in found.bins], [b.recalled * 100 for b in found.bins])
        plt.scatter(*points, marker=POINT_MARKER)
        plt.xlim(0, 100)
        plt.ylim(0, 100)
        plt.title("Predicted against actual recall, %")

    def _states(self, breakdown: dict[str, int]) -> None:
        if not any(breakdown.values()):
            self._note("states", "No cards yet: add a deck to see its cards here.", False)
            return
        self._note("states", "Young: stable for under 21 days; mature: 21 days or more.", True)
        plt = self._plot("states")
        labels = [f"{name} {count}" for name, count in breakdown.items()]
        plt.bar(labels, list(breakdown.values()), width=0.5)
        whole_number_ticks(plt, list(breakdown.values()))
        plt.title("Cards by state")

    def _topics(self, groups: list[tuple[str, list[tuple[str, float]]]]) -> None:
        if not groups:
            self._note("topics", "No cards yet: add a deck to see its topics here.", False)
            return
        learnt = "Share of each topic's cards learnt: in review and not lapsed since."
        self._note("topics", learnt if self.reviewed else "Nothing learnt yet: every topic starts at 0%.", True)
        self.query_one("#topics-bars", MasteryBars).show(groups)

    def _calendar(self, now, rollover: int) -> None:
        today = stats.study_days(now, 1, rollover, past=True)[0]
        day_count = 7 * (CALENDAR_WEEKS - 1) + today.weekday() + 1  # from a Monday
        days = stats.study_days(now, day_count, rollover, past=True)
        counts = stats.reviews_per_day(quiz_app(self).context.store, now, len(days), rollover)
        current, longest = stats.streaks(counts)
        studied = stats.days_studied(counts)
        note = (
            f"Studied on {studied} of the last {len(days)} days · current streak {current} · longest {longest}"
            if studied
            else "No study days yet: each day you answer cards lights up here."
        )
        self.query_one("#calendar-note", Static).update(note)
        # the figures are the 26 weeks'; the grid, the last weeks of them that fit the width
        self._calendar_weeks = calendar_weeks(self.size.width or self.app.size.width)
        shown = day_count - 7 * (CALENDAR_WEEKS - self._calendar_weeks)
        self.query_one("#calendar-grid", Static).update(heat_grid(days[-shown:], counts[-shown:]))

    def on_resize(self) -> None:
        self._label_tabs()
        if self._memory_rows:
            self._memory(self._memory_rows)
        if "calendar" in self._drawn and calendar_weeks(self.size.width) != self._calendar_weeks:
            context = quiz_app(self).context
            self._calendar(self._as_of or context.clock.now(), context.store.settings().rollover_hour)

    def _memory(self, rows: list[MemoryRow]) -> None:
        self._memory_rows = rows
        if not rows:
            self._note("memory", "No cards yet: add a deck to see what memory holds here.", False)
            return
        self._note("memory", "Predicted from each card's memory state, beside what the answers say:", True)
        table = self.query_one("#memory-table", DataTable)
        table.clear(columns=True)
        screen_width = self.size.width or self.app.size.width
        # on a narrow screen (a phone's) the figures are stacked, three lines a row, so that none is out of sight
        columns = MEMORY_STACKED if screen_width < MEMORY_WIDE else tuple((label,) for label in MEMORY_HELP)
        lines = max(len(stack) for stack in columns)
        names = [lit_line(row.title, "bold") if row.topic is None else lit_line(f"  {row.title}") for row in rows]
        if lines == 1:
            width = MEMORY_NAME_WIDTH + max(0, screen_width - MEMORY_WIDE)
        else:  # what the stacked figures leave, cell padding and two scrollbars (the table's, the tab's) taken off
            width = screen_width - 4 - 2 * (1 + len(columns)) - sum(max(map(len, stack)) for stack in columns)
        width = max(min(width, max(name.cell_len for name in names)), len("Deck / topic") if lines == 1 else 6)
        names = [
            name if row.topic is None else topic_name(row.title, width) for row, name in zip(rows, names, strict=True)
        ]
        names = [name_in_lines(name, width, lines, self.app.console) for name in names]
        table.header_height = lines
        table.add_column("Deck / topic", width=width)
        for stack in columns:
            table.add_column(Text("\n".join(label.capitalize() for label in stack), justify="right"))
        for row, name in zip(rows, names, strict=True):
            figures = {
                "studied": f"{row.studied}/{row.cards}",
                "recall now": share(row.recall_now),
                "exam": row.exam.day.isoformat() if row.exam else "–",
                "on exam day": share(row.recall_on_exam),
                "right 30d": share(row.right),
            }
            cells = (Text("\n".join(figures[label] for label in stack), justify="right") for stack in columns)
            table.add_row(name, *cells, height=lines)

    # --- actions ----------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = f"tab-{tab}"

    def action_scroll_tab(self, way: Literal["down", "up", "page_down", "page_up"]) -> None:
        pane = self.query_one(TabbedContent).active_pane
        if pane is not None:
            getattr(pane, f"scroll_{way}")(animate=False)

    def action_retention_view(self, view: str) -> None:
        """Show that chart on the Retention tab; asked again, the weekly retention."""
        self.retention_view = "weeks" if self.retention_view == view else view
        context = quiz_app(self).context
        self._draw_retention(context.clock.now(), context.store.settings().rollover_hour)
        self._drawn.add("retention")
        self.action_tab("retention")

    def action_toggle_days(self) -> None:
        self.history_days = 90 if self.history_days == 30 else 30
        context = quiz_app(self).context
        self._reviews(context.clock.now(), context.store.settings().rollover_hour)
        self._drawn.add("reviews")
        self.action_tab("reviews")

    def action_help(self) -> None:
        from quiz.ui.screens.help import HelpScreen  # loaded when first asked for, not with this screen

        self.app.push_screen(HelpScreen())
