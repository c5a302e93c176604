"""An exam date from the exam setup screen: the day and target of the deck (or the topic the screen was
opened on), set, moved or removed, and the plan that reaches it, each figure with a line saying what it is."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from quiz.core.clock import study_day
from quiz.core.examdates import (
    TARGETS,
    ExamDate,
    ExamDateError,
    checked_target,
    has_passed,
    is_too_far,
    parse_day,
    read_exam_dates,
    remove_exam_date,
    set_exam_date,
    target_text,
    too_far_exam_dates,
    too_far_reason,
)
from quiz.core.exampace import deck_pace_together
from quiz.core.examplan import ExamPlan, plan_exams
from quiz.core.examplantext import day_rows, exam_mode_result, figures, headline, status
from quiz.core.store import Store, StoreWriteError
from quiz.core.text import shell_word
from quiz.ui.base import quiz_app
from quiz.ui.widgets.keybar import KeyBar
from quiz.ui.widgets.literal import lit_line, lit_message, say

DAYS_SHOWN = 14  # the plan's first days; `quiz plan DECK` prints them all


class ExamDateScreen(Screen):
    # Narrower than this (a split pane), the two fields go one under the other: side by side they needed 66
    # columns, and the target's field was cut at the edge.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (68, "-wide")]
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", tooltip="Save the exam date and target, and show the plan"),
        Binding("ctrl+r", "remove", "Remove", tooltip="Forget this exam date: its cards are scheduled as usual"),
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the exam setup"),
    ]

    def __init__(self, deck_id: str, topic: str | None) -> None:
        super().__init__(id="exam-date")
        self.deck_id, self.topic = deck_id, topic

    def _stored(self) -> ExamDate | None:
        """This deck's or topic's exam date; one too far ahead to plan too, to be shown, moved or removed."""
        store = quiz_app(self).context.store
        exams = read_exam_dates(store) + too_far_exam_dates(store)
        return next((e for e in exams if (e.deck_id, e.topic) == (self.deck_id, self.topic)), None)

    def compose(self) -> ComposeResult:
        deck = quiz_app(self).context.library.deck(self.deck_id)
        title = deck.title if deck else self.deck_id
        if self.topic is not None and deck is not None:
            title = f"{title} › {deck.topic_title(self.topic)}"
        stored = self._stored()
        with Vertical(id="exam-date-form"):
            yield Static(Text.assemble(("Exam date · ", "bold"), lit_line(title, "bold")), classes="title-bar")
            with Horizontal(id="exam-date-fields"):
                yield Label("Day (YYYY-MM-DD)")
                yield Input(stored.day.isoformat() if stored else "", id="exam-day", compact=True, placeholder="date")
                yield Label(f"Target ({TARGETS.span()})")
                yield Input(str(stored.target) if stored else "0.9", id="exam-target", type="number", compact=True)
            with VerticalScroll(id="exam-plan"):
                yield Static("", id="exam-plan-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_plan()
        self.query_one("#exam-day", Input).focus()

    def show_plan(self) -> None:
        context = quiz_app(self).context
        stored = self._stored()
        text = Text()
        if stored is None:
            text.append(self._none_yet(context.store))
        elif is_too_far(stored):  # no plan reaches it: an empty screen looked like no exam at all
            reason = too_far_reason(stored)
            text.append(f"{reason[0].upper()}{reason[1:]}: type a day and press Ctrl+S to move it; Ctrl+R removes it.")
        else:
            plans = plan_exams(context.store, context.library.decks, [stored], context.clock.now())
            deck = context.library.deck(self.deck_id)
            if plans and deck is not None:
                now, rollover = context.clock.now(), context.store.settings().rollover_hour
                together = deck_pace_together(context.store, deck, now)
                result = exam_mode_result(context.store, deck, stored, rollover)
                text = plan_text(plans[0], study_day(now, rollover), together, result)
        self.query_one("#exam-plan-text", Static).update(text)

    def _none_yet(self, store: Store) -> str:
        """What to do with no exam date here; on a topic, the deck's exam if it has one (its cards are held to
        it already: a topic's screen said only "No exam date yet", as if the deck's had been lost)."""
        deck_exam = next((e for e in read_exam_dates(store) if (e.deck_id, e.topic) == (self.deck_id, None)), None)
        held = (
            f"No exam date on this topic yet; the deck's exam, on {deck_exam.day.isoformat()} (target"
            f" {target_text(deck_exam.target)}), covers its cards already. For one of the topic's own, type"
            if self.topic is not None and deck_exam is not None
            else "No exam date yet. Type"
        )
        return (
            f"{held} the day and the share of cards to recall then, and press Ctrl+S: reviews are placed so the"
            " cards are recalled on the day, and the plan shows here."
        )

    @on(Input.Submitted)
    def action_save(self) -> None:
        context = quiz_app(self).context
        try:
            day = parse_day(self.query_one("#exam-day", Input).value)
            target = checked_target(_number(self.query_one("#exam-target", Input).value))
            today = study_day(context.clock.now(), context.store.settings().rollover_hour)
            set_exam_date(context.store, ExamDate(self.deck_id, self.topic, day, target), today)
        except ExamDateError as error:
            say(self.app, str(error), severity="warning")
            return
        except StoreWriteError as error:
            say(self.app, f"Not saved: {error}", severity="error")
            return
        say(self.app, f"Exam date saved: {day.isoformat()}, target {target_text(target)}.")
        self.show_plan()

    def action_remove(self) -> None:
        context = quiz_app(self).context
        if remove_exam_date(context.store, self.deck_id, self.topic):
            say(self.app, "Exam date removed: its cards are scheduled as usual.")
        self.query_one("#exam-day", Input).value = ""
        self.show_plan()


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ExamDateError(f"the target {text!r} is not a number: e.g. 0.95 for 95 %") from None


def plan_text(plan: ExamPlan, today: date, together: int | None, result: str | None = None) -> Text:
    """The plan: headline, each figure with its one-line meaning, on track or the advice, the first days; once
    the exam has passed, no figure, but its exam-mode `result` if any."""
    text = Text()
    text.append(headline(plan, today) + "\n", style="bold")
    for figure in figures(plan, today):
        text.append(f"{figure.label}: ", style="bold")
        text.append(f"{figure.value}\n")
        text.append(f"  {figure.help}\n", style="dim")
    for line in status(plan, together, today, result):  # a command in it names the data folder --data-dir gave
        warn = not plan.reachable and not has_passed(plan.exam, today)  # a day gone is past advice
        text.append_text(lit_message(line + "\n", "bold red" if warn else "bold", keep_lines=True))
    rows = day_rows(plan)
    if rows:
        text.append("\nday           reviews   new\n", style="bold")
        for day, reviews, new in rows[:DAYS_SHOWN]:
            text.append(f"{day}  {reviews:>8} {new:>5}\n")
        if len(rows) > DAYS_SHOWN:
            every = f"quiz plan {shell_word(plan.exam.scope)}"  # `quiz plan` alone lists the exams, not their days
            text.append_text(
                lit_message(f"… {len(rows) - DAYS_SHOWN} more days: `{every}` lists them all\n", "dim", keep_lines=True)
            )
    return text
