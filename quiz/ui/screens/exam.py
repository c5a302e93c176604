"""Exam mode: set up (topics, length, time limit, past results), sit it (countdown), see the results."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Input, Label, Static

from quiz.core import faces
from quiz.core.exam import ExamResult, ExamSession, exam_cards
from quiz.core.model import Deck
from quiz.core.store import StoreWriteError
from quiz.ui.base import quiz_app
from quiz.ui.screens.study import CardBody, kind_label
from quiz.ui.screens.summary import duration
from quiz.ui.widgets.answer_base import AnswerWidget
from quiz.ui.widgets.answers import answer_widget
from quiz.ui.widgets.feedback import feedback
from quiz.ui.widgets.keybar import KeyBar
from quiz.ui.widgets.literal import lit, lit_line, say
from quiz.ui.widgets.ticklist import TickList

DEFAULT_QUESTIONS = 10


def clock_text(seconds: float) -> str:
    minutes, secs = divmod(max(int(seconds), 0), 60)
    return f"{minutes:02d}:{secs:02d}"


class ExamSetupScreen(Screen):
    """Choose topics, how many questions and an optional time limit; past results are listed below."""

    BINDINGS = [
        Binding("ctrl+s", "start", "Start", tooltip="Start the exam"),
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the deck list"),
    ]

    def __init__(self, deck_id: str, topic: str | None = None) -> None:
        super().__init__()
        self.deck_id = deck_id
        self.topic = topic

    @property
    def deck(self) -> Deck:
        deck = quiz_app(self).context.library.deck(self.deck_id)
        assert deck is not None
        return deck

    def compose(self) -> ComposeResult:
        deck = self.deck
        topics = deck.topic_ids()
        with Vertical(id="exam-setup"):
            yield Static(Text.assemble(("Exam · ", "bold"), lit_line(deck.title, "bold")), classes="title-bar")
            with Horizontal(id="exam-form"):
                with Vertical(id="exam-topics"):
                    yield Label("Topics (Space ticks, a: all)")
                    yield TickList(
                        [(lit_line(deck.topic_title(t)), t) for t in topics],
                        {t for t in topics if self.topic is None or self.topic == t},
                        id="topics",
                    )
                with Vertical(id="exam-options"):
                    yield Label("Questions")
                    yield Input(str(DEFAULT_QUESTIONS), id="count", type="integer", compact=True)
                    yield Label("Time limit, minutes (empty: none)")
                    yield Input("", id="minutes", type="number", compact=True, placeholder="none")
                    yield Button("Start exam", id="start", variant="primary", compact=True)
            yield Label("Past results", classes="section")
            yield DataTable(id="past", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#topics").display = bool(self.deck.topic_ids())
        table = self.query_one("#past", DataTable)
        table.add_column("Date")
        table.add_column(Text("Score", justify="right"))
        table.add_column(Text("Time", justify="right"))
        table.add_column("Exam")
        self.fill_past()
        (self.query_one("#topics") if self.deck.topic_ids() else self.query_one("#count")).focus()

    def on_screen_resume(self) -> None:
        self.fill_past()

    def fill_past(self) -> None:
        table = self.query_one("#past", DataTable)
        table.clear()
        exams = quiz_app(self).context.store.exams()
        for exam in exams:
            percent = exam["correct"] / exam["total"] if exam["total"] else 0
            table.add_row(
                lit(f"{exam['taken_at'].astimezone():%Y-%m-%d %H:%M}"),
                Text(f"{exam['correct']}/{exam['total']} {percent:4.0%}", justify="right"),
                Text(duration(exam["seconds"]), justify="right"),
                lit_line(exam["title"]),
            )
        if not exams:
            table.add_row(lit("No exams taken yet."), "", "", "")

    @on(Input.Submitted)
    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        deck = self.deck
        chosen = set(self.query_one("#topics", TickList).selected)
        all_topics = set(deck.topic_ids())
        if all_topics and not chosen:
            say(self.app, "Choose at least one topic.", severity="warning")
            return
        topics = None if chosen == all_topics else chosen
        try:
            count = int(self.query_one("#count", Input).value)
            minutes_text = self.query_one("#minutes", Input).value.strip()
            minutes = float(minutes_text) if minutes_text else None
            if count < 1 or (minutes is not None and minutes <= 0):
                raise ValueError
        except ValueError:
            say(
                self.app,
                "Questions must be a whole number above 0 and the time limit a positive number.",
                severity="warning",
            )
            return
        if not exam_cards([deck], topics):
            say(self.app, "These topics have no auto-graded cards to ask.", severity="warning")
            return
        names = ", ".join(deck.topic_title(t) for t in deck.topic_ids() if t in (topics or ()))
        app = quiz_app(self)
        settings = app.context.store.settings()
        exam = ExamSession.create(
            app.context.store,
            app.context.clock,
            [deck],
            topics,
            count,
            f"{deck.title}: {names}" if names else deck.title,
            minutes * 60 if minutes else None,
            seed=app.seed,
            tolerance=settings.typed_tolerance,
        )
        app.push_screen(ExamRunScreen(exam))


class ExamRunScreen(Screen):
    """The questions one after another, no feedback until the end; a countdown when there is a limit."""

    TITLE = "Exam"

    BINDINGS = [
        Binding("escape", "finish", "Finish now", tooltip="End the exam; unanswered questions count as wrong"),
    ]

    def __init__(self, exam: ExamSession) -> None:
        super().__init__()
        self.exam = exam
        self.finished = False

    def compose(self) -> ComposeResult:
        with Vertical(id="exam-run"):
            with Horizontal(classes="title-bar"):
                yield Static(lit("EXAM"), classes="mode -exam")
                yield Static(lit_line(self.exam.title), id="exam-title")
                yield Static(id="timer")
            yield Static(id="exam-progress")
            with CardBody(id="card"):
                yield Static(id="kind")
                yield Static(id="question")
                yield Vertical(id="answer-slot")
                yield Static(id="hint")
            yield Static(id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        self._ticker = self.set_interval(1.0, self.tick)
        self.show_question()
        self.tick()

    def tick(self) -> None:
        """Update the clock; end the exam when the time is up."""
        if self.finished:
            return
        exam = self.exam
        timer = self.query_one("#timer", Static)
        if exam.time_limit_s is None:
            timer.update(Text.assemble(("Time ", "dim"), clock_text(exam.seconds_used())))
            return
        left = exam.time_limit_s - exam.seconds_used()
        timer.update(Text.assemble(("Time left ", "dim"), (clock_text(left), "bold red" if left < 60 else "bold")))
        if exam.time_up():
            self._ticker.stop()  # once: a failed save is retried with Esc, not announced every second
            say(self.app, "Time is up.", severity="warning")
            self.action_finish()

    def show_question(self) -> None:
        card = self.exam.current
        if card is None:
            self.action_finish()
            return
        number, total = len(self.exam.answers) + 1, len(self.exam.questions)
        self.query_one("#exam-progress", Static).update(Text(f"Question {number} of {total}", style="bold"))
        self.query_one("#kind", Static).update(lit(kind_label(card), "dim italic"))
        self.query_one("#question", Static).update(lit(faces.question(card), "bold"))
        slot = self.query_one("#answer-slot")
        slot.remove_children()
        widget = answer_widget(card, quiz_app(self).rng("exam", card.deck_id, card.key))
        slot.mount(widget)
        self.query_one("#hint", Static).update(
            lit(f"{widget.hint} Enter answers (nothing given counts as wrong).", "dim")
        )

    @on(AnswerWidget.Submitted)
    def _answered(self, event: AnswerWidget.Submitted) -> None:
        event.stop()
        if self.finished or self.exam.current is None:
            self.action_finish()
            return
        try:
            self.exam.answer(event.response)
        except StoreWriteError as exc:
            self.query_one("#status", Static).update(lit(f"Not saved: {exc}. Press Enter to try again.", "bold red"))
            return
        self.query_one("#status", Static).update("")
        self.show_question()

    def action_finish(self) -> None:
        if self.finished:
            return
        try:
            result = self.exam.finish()
        except StoreWriteError as exc:
            say(self.app, f"The result could not be saved: {exc}", severity="error")
            self.query_one("#status", Static).update(lit(f"Not saved: {exc}. Press Esc to try again.", "bold red"))
            return
        self.finished = True
        self.app.switch_screen(ExamResultsScreen(result))


class ExamResultsScreen(Screen):
    """The score, per topic, then the mistakes one by one with the right answer and the explanation."""

    BINDINGS = [
        Binding("n,right", "mistake(1)", "Next mistake", tooltip="Show the next mistake"),
        Binding("p,left", "mistake(-1)", "Previous", tooltip="Show the previous mistake"),
        Binding("escape,q", "app.pop_screen", "Done", tooltip="Back to the exam setup and past results"),
    ]

    def __init__(self, result: ExamResult) -> None:
        super().__init__()
        self.result = result
        self.mistakes = result.mistakes()
        self.index = 0

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="exam-results"):
            yield Static(
                Text.assemble(("Exam results · ", "bold"), lit_line(self.result.title, "bold")), classes="title-bar"
            )
            yield Static(id="score")
            yield DataTable(id="exam-topics-table", cursor_type="none", show_cursor=False)
            yield Static(id="mistake")
        yield KeyBar()

    def _deck(self, deck_id: str) -> Deck | None:
        return quiz_app(self).context.library.deck(deck_id)

    def on_mount(self) -> None:
        result = self.result
        percent = result.correct / result.total if result.total else 0
        score = Text.assemble(
            ("Score ", "dim"),
            (f"{result.correct}/{result.total}  {percent:.0%}", "bold"),
            ("  in ", "dim"),
            duration(result.seconds),
        )
        if result.unanswered:
            score.append(f"  ({result.unanswered} not answered, counted wrong)", style="dim")
        self.query_one("#score", Static).update(score)
        table = self.query_one("#exam-topics-table", DataTable)
        table.add_column("Topic")
        table.add_column(Text("Right", justify="right"))
        table.add_column(Text("Score", justify="right"))
        asked = [a.card for a in result.answers] + result.left
        deck = self._deck(asked[0].deck_id) if asked else None
        for topic, (right, total) in result.per_topic().items():
            title = deck.topic_title(topic) if deck and topic else (topic or "(no topic)")
            table.add_row(
                lit_line(title),
                Text(f"{right}/{total}", justify="right"),
                Text(f"{right / total:.0%}", justify="right"),
            )
        table.display = bool(asked)
        self.show_mistake()

    def show_mistake(self) -> None:
        box = self.query_one("#mistake", Static)
        if not self.mistakes:
            box.update(Text("No mistakes. Well done!", style="bold green"))
            return
        answer = self.mistakes[self.index]
        card = answer.card
        box.update(
            Text("\n").join(
                [
                    Text(f"Mistake {self.index + 1} of {len(self.mistakes)}  (n / p to move)", style="bold"),
                    lit(faces.question(card), "bold"),
                    feedback(card, self._deck(card.deck_id), answer.given or None, False),
                ]
            )
        )

    def action_mistake(self, step: int) -> None:
        if self.mistakes:
            self.index = (self.index + step) % len(self.mistakes)
            self.show_mistake()
