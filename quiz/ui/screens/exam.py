"""Exam mode: set up (topics, length, time limit, past results), sit it (countdown), see the results."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Input, Label, Static

from quiz.core import faces
from quiz.core.exam import SELF_GRADED_KINDS, ExamPool, ExamReport, ExamSession, Mistake, exam_pool, past_exams
from quiz.core.kinds.base import Response
from quiz.core.model import Deck
from quiz.core.store import StoreWriteError
from quiz.ui.answers import answer_widget
from quiz.ui.answers.base import AnswerWidget
from quiz.ui.answers.typed import TypedAnswer
from quiz.ui.base import quiz_app
from quiz.ui.screens.study import (
    CARD_HORIZONTAL_BREAKPOINTS,
    CARD_VERTICAL_BREAKPOINTS,
    CardBody,
    hint_first,
    kind_label,
)
from quiz.ui.screens.summary import duration, show_topic_scores
from quiz.ui.widgets.card_image import IMAGE_BINDINGS, CardImage, Picture, PictureKey, note_pictures
from quiz.ui.widgets.card_sound import SOUND_BINDINGS, SoundKey, Sounds, card_sounds
from quiz.ui.widgets.feedback import answer_line, feedback, given_line, judged_wrong_line, verdict_line
from quiz.ui.widgets.keybar import KeyBar
from quiz.ui.widgets.literal import lit, lit_line, lit_message, say
from quiz.ui.widgets.pointed_table import PointedTable
from quiz.ui.widgets.ticklist import TickList
from quiz.ui.widgets.title_bar import TitleBar

DEFAULT_QUESTIONS = 10
SELF_GRADED_NAMES = ", ".join(sorted(SELF_GRADED_KINDS))


PAST_HEADINGS = (Text("Date"), Text("Score", justify="right"), Text("Time", justify="right"), Text("Exam"))
STACKED_HEADINGS = (Text("Date · exam"), Text("Score · time", justify="right"))
DATE_WIDTH = 16  # 2026-01-05 09:00
TITLE_MIN_WIDTH = 16  # narrower than this beside the others, an exam's title goes under its date

PastCells = tuple[Text, Text, Text, Text]
NO_PAST: PastCells = (lit("No exams taken on this deck yet."), Text(), Text(), Text())


def past_cells(exam: ExamReport) -> PastCells:
    """A past exam's date, score, time and title, as the exam setup lists them."""
    percent = exam.correct / exam.total if exam.total else 0
    return (
        lit(f"{exam.taken_at.astimezone():%Y-%m-%d %H:%M}" if exam.taken_at else ""),
        Text(f"{exam.correct}/{exam.total} {percent:4.0%}", justify="right"),
        Text(duration(exam.seconds), justify="right"),
        lit_line(exam.title),
    )


@dataclass(frozen=True)
class PastLayout:
    """The past results' columns for a table's width, their widths without the cells' padding: a row a result
    (date, score, time and the title, cut with … to fit), or, `stacked`, the title under the date and the time
    under the score (a phone's 40 columns); the note that no exam was taken, stacked, in one column of its own."""

    stacked: bool
    widths: tuple[int, ...]

    @classmethod
    def fitting(cls, rows: list[PastCells], width: int, pad: int) -> PastLayout:
        """The layout of `rows` in a table `width` columns wide, its cells padded by `pad` in all."""
        date, score, time, title = (max(row[n].cell_len for row in [PAST_HEADINGS, *rows]) for n in range(4))
        room = width - date - score - time - 4 * pad  # for the title
        if room >= min(title, TITLE_MIN_WIDTH):
            return cls(False, (date, score, time, min(title, room)))
        if rows == [NO_PAST]:  # the note alone, one column: beside an empty score column it wrapped though it fitted
            return cls(True, (min(date, width - pad),))
        right = max(score, time, STACKED_HEADINGS[1].cell_len)
        return cls(True, (max(min(max(date, title), width - right - 2 * pad), DATE_WIDTH), right))

    def headings(self) -> tuple[Text, ...]:
        return STACKED_HEADINGS[: len(self.widths)] if self.stacked else PAST_HEADINGS

    def cells(self, row: PastCells) -> tuple[Text, ...]:
        """One result's cells in this layout."""
        date, score, time, title = row
        if self.stacked:  # a long title wraps under the date, at spaces
            date_and_title = Text("\n").join(cell for cell in (date, title) if cell)
            return (date_and_title, Text("\n", justify="right").join((score, time)))[: len(self.widths)]
        cut = title.copy()
        cut.truncate(self.widths[3], overflow="ellipsis")
        return date, score, time, cut

    def height(self, cells: tuple[Text, ...], console: Console) -> int:
        """The rows a result's cells take: one (its title cut), or, stacked, the date's and the title's (the score's
        and the time's two beside). Counted here: the table would draw every cell once more to count them."""
        return max(len(cells[0].wrap(console, self.widths[0])), len(self.widths)) if self.stacked else 1


def clock_text(seconds: float) -> str:
    minutes, secs = divmod(max(int(seconds), 0), 60)
    return f"{minutes:02d}:{secs:02d}"


#: Under the form in a phone's terminal (-narrow), where the Start button is below the form's rows in sight: a 40x20
#: screen said how to start only in its key bar ("^s Start"). Tab scrolls the form to the button.
START_NOTE = "Ctrl+S starts, or Tab to Start exam"


class ExamSetupScreen(Screen):
    """Choose topics, how many questions and an optional time limit; this deck's past results are listed below."""

    HELP_WIDGETS = (TickList,)  # its Space and a tick the topics: Help lists them with the screen's keys
    # Narrower than this (a phone), the options go under the topics: beside them (36 columns) the topics were cut.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (64, "-wide")]
    BINDINGS = [
        Binding("ctrl+s", "start", "Start", tooltip="Start the exam"),
        Binding("ctrl+t", "exam_date", "Exam date", tooltip="An exam day and target: the plan to get there"),
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the deck list"),
    ]

    def __init__(self, deck_id: str, topic: str | None = None) -> None:
        super().__init__()
        self.deck_id = deck_id
        self.topic = topic
        self.past: dict[str, ExamReport] = {}  # by row key, newest first
        self._past_cells: list[PastCells] = []
        self._past_layout: PastLayout | None = None

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
                    yield Label("Questions", id="count-label")
                    yield Label("", id="suspended-note")
                    yield Input(str(DEFAULT_QUESTIONS), id="count", type="integer", compact=True)
                    yield Label("Time limit, minutes (empty: none)")
                    yield Input("", id="minutes", type="number", compact=True, placeholder="none")
                    # a deck of self-graded cards only (an Anki import, say) can be examined at once
                    self_graded = TickList(
                        [(Text(f"Self-graded: {SELF_GRADED_NAMES}"), "yes")],
                        set() if exam_pool(quiz_app(self).context.store, [deck], None).cards else {"yes"},
                        id="self-graded",
                    )
                    self_graded.tooltip = "Also ask these: the answer is shown, then you say whether you knew it"
                    yield self_graded
                    yield Button("Start exam", id="start", variant="primary", compact=True)
            yield Static(START_NOTE, id="start-note")
            yield Label("Past results (Enter opens one)", classes="section")
            yield PointedTable(id="past", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#topics").display = bool(self.deck.topic_ids())
        self.fill_past()
        self.show_available()
        (self.query_one("#topics") if self.deck.topic_ids() else self.query_one("#count")).focus()

    def on_screen_resume(self) -> None:
        """Shown again (after an exam, or the exam date's screen): its past results and its count read afresh, a
        card suspended meanwhile counted out."""
        self.fill_past()
        self.show_available()

    def on_resize(self) -> None:
        self.call_after_refresh(self.lay_out_past)

    def fill_past(self) -> None:
        """This deck's past results, read from the store; each a row (the result's exam id its key)."""
        self.past = {str(exam.exam_id): exam for exam in past_exams(quiz_app(self).context.store, self.deck)}
        self._past_cells = [past_cells(exam) for exam in self.past.values()]
        self.show_past()

    def lay_out_past(self) -> None:
        """The past results in columns fitting the table's new width, from the rows read at fill: a resize reads
        no store, and remakes the table only when its columns change (not under a running exam: it is filled
        again when shown)."""
        if self.is_current and self._past_layout != self.fitting_past_layout():
            self.show_past()

    def fitting_past_layout(self) -> PastLayout:
        table = self.query_one("#past", DataTable)
        rows = self._past_cells or [NO_PAST]
        return PastLayout.fitting(rows, table.scrollable_content_region.width, 2 * table.cell_padding)

    def show_past(self) -> None:
        """The rows read at fill, in columns fitting the table's width. The columns are made afresh: a DataTable
        keeps a column as wide as anything it held (the note that no exam was taken kept the scores 17 columns
        right of the dates). The cursor stays on the result it was moved to (newest first: a new exam comes above),
        or at the top, on the newest."""
        table = self.query_one("#past", DataTable)
        pointed = self.moved_to()
        self._past_layout = layout = self.fitting_past_layout()
        table.clear(columns=True)
        for heading, width in zip(layout.headings(), layout.widths, strict=True):
            table.add_column(heading, width=width)
        rows = list(zip(self.past, self._past_cells, strict=True)) if self.past else [(None, NO_PAST)]
        for key, row in rows:
            cells = layout.cells(row)
            table.add_row(*cells, key=key, height=layout.height(cells, self.app.console))
        table.show_cursor = bool(self.past)  # the note is no result Enter opens: no ▸ on it
        if pointed in self.past:
            table.move_cursor(row=table.get_row_index(pointed), animate=False)

    def moved_to(self) -> str | None:
        """The key of the result the cursor was moved to (None: at the top, or no result shown)."""
        table = self.query_one("#past", DataTable)
        if not (table.show_cursor and table.cursor_row > 0 and table.is_valid_row_index(table.cursor_row)):
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @on(DataTable.RowSelected, "#past")
    def _open_past(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.app.push_screen(ExamResultsScreen(self.past[event.row_key.value]))

    def chosen_topics(self) -> set[str] | None:
        """The ticked topics; None when that is all of them (or the deck has none)."""
        chosen = set(self.query_one("#topics", TickList).selected)
        return None if chosen == set(self.deck.topic_ids()) else chosen

    def self_graded(self) -> bool:
        """Whether the exam asks the self-graded kinds too."""
        return bool(self.query_one("#self-graded", TickList).selected)

    def pool(self) -> ExamPool:
        """The cards the chosen topics and kinds can ask, and how many of them are suspended (left out)."""
        return exam_pool(quiz_app(self).context.store, [self.deck], self.chosen_topics(), self.self_graded())

    @staticmethod
    def nothing_to_ask(pool: ExamPool, self_graded: bool) -> str:
        """Why the chosen topics and kinds ask nothing, and what would."""
        if pool.suspended:
            return (
                f"Every card of these topics and kinds is suspended ({pool.suspended}): an exam asks no suspended"
                " card. Unsuspend one in Browse (s), or tick other topics or kinds."
            )
        if self_graded:
            return "These topics have no cards to ask."
        return f"These topics have no auto-graded cards to ask: tick “Self-graded: {SELF_GRADED_NAMES}”."

    @on(TickList.Changed)
    def show_available(self) -> None:
        pool = self.pool()
        self.query_one("#count-label", Label).update(f"Questions ({len(pool.cards)} to ask from)")
        note = self.query_one("#suspended-note", Label)
        note.update(f"({pool.suspended} suspended left out)")
        note.display = pool.suspended > 0

    def action_exam_date(self) -> None:
        from quiz.ui.screens.examdate import ExamDateScreen  # fsrs loads with the plan, not with this screen

        self.app.push_screen(ExamDateScreen(self.deck_id, self.topic))

    @on(Input.Submitted)
    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        deck = self.deck
        topics = self.chosen_topics()
        if deck.topic_ids() and topics is not None and not topics:
            say(self.app, "Choose at least one topic.", severity="warning")
            return
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
        self_graded = self.self_graded()
        pool = self.pool()
        available = len(pool.cards)
        if not available:
            say(self.app, self.nothing_to_ask(pool, self_graded), severity="warning")
            return
        if count > available:
            self.query_one("#count", Input).value = str(available)
            say(
                self.app,
                f"Only {available} questions can be asked with these topics and kinds: the count is now "
                f"{available}; start again to sit them all.",
                severity="warning",
            )
            return
        names = ", ".join(deck.topic_title(t) for t in deck.topic_ids() if t in (topics or ()))
        app = quiz_app(self)
        settings = app.context.store.settings()
        app.clear_notifications()  # a warning left from setting it up would cover the first question
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
            self_graded=self_graded,
        )
        app.push_screen(ExamRunScreen(exam))


class ExamRunScreen(PictureKey, SoundKey, Screen):
    """The questions one after another, no feedback until the end; a countdown when there is a limit.

    A self-graded card (basic, reverse, occlusion) shows its answer when asked, then waits for y (knew it) or n.
    """

    TITLE = "Exam"
    HORIZONTAL_BREAKPOINTS = CARD_HORIZONTAL_BREAKPOINTS
    VERTICAL_BREAKPOINTS = CARD_VERTICAL_BREAKPOINTS

    BINDINGS = [
        Binding("escape", "end", "End", tooltip="Finish now or abandon the exam (asks first)"),
        Binding("y", "judge(True)", "Knew it", tooltip="You knew the answer: counted right"),
        Binding("n", "judge(False)", "Did not", tooltip="You did not know the answer: counted wrong"),
        *IMAGE_BINDINGS,
        *SOUND_BINDINGS,
    ]

    def __init__(self, exam: ExamSession) -> None:
        super().__init__()
        self.exam = exam
        self.finished = False
        self.judging = False  # a self-graded card's answer is shown: waiting for y or n
        self.answer_box: AnswerWidget | None = None  # the shown question's

    def compose(self) -> ComposeResult:
        with Vertical(id="exam-run"):
            yield TitleBar("EXAM", lit_line(self.exam.title), classes="-exam")
            yield Static(id="exam-progress")
            with CardBody(id="card"):
                yield Static(id="kind")
                yield Static(id="question")
                yield CardImage(id="card-image")
                yield Vertical(id="answer-slot")
                yield Static(id="hint")
                with Vertical(id="self-grade"):
                    yield Static(id="shown-answer")
                    with Horizontal(id="self-grade-buttons"):
                        yield Button("Knew it (y)", id="knew", variant="success", compact=True)
                        yield Button("Did not (n)", id="missed", variant="error", compact=True)
            yield Static(id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        self._ticker = self.set_interval(1.0, self.tick)
        self.show_question()
        self.tick()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # the sound key: only on a question that names a sound
        return self.judging if action == "judge" else super().check_action(action, parameters)

    def shown_sounds(self) -> Sounds:
        card = self.exam.current
        deck = quiz_app(self).context.library.deck(card.deck_id) if card is not None else None
        return card_sounds(deck, card, answered=self.judging)

    def tick(self) -> None:
        """Update the clock; end the exam when the time is up."""
        if self.finished:
            return
        exam = self.exam
        timer = self.query_one(TitleBar)
        if exam.time_limit_s is None:
            timer.show(Text.assemble(("Time ", "dim"), clock_text(exam.seconds_used())))
            return
        left = exam.time_limit_s - exam.seconds_used()
        timer.show(Text.assemble(("Time left ", "dim"), (clock_text(left), "bold red" if left < 60 else "bold")))
        if exam.time_up() and self.app.screen is self:  # with the End question open, its answer comes first
            self._ticker.stop()  # once: a failed save is retried with Esc, not announced every second
            say(self.app, "Time is up.", severity="warning")
            self.finish()

    def show_question(self) -> None:
        self.judging, self.answer_box = False, None
        self.query_one("#self-grade").display = False
        self.refresh_bindings()
        card = self.exam.current
        if card is None:
            self.finish()
            return
        number, total = len(self.exam.answers) + 1, len(self.exam.questions)
        self.query_one("#exam-progress", Static).update(Text(f"Question {number} of {total}", style="bold"))
        self.query_one("#kind", Static).update(lit(kind_label(card), "dim italic"))
        self.query_one("#question", Static).update(lit(faces.question(card), "bold"))
        slot = self.query_one("#answer-slot")
        slot.remove_children()
        widget = answer_widget(card, quiz_app(self).rng("exam", card.deck_id, card.key))
        self.query_one(CardImage).show(widget.card_pictures(quiz_app(self).context.library, answered=False))
        if isinstance(widget, TypedAnswer):
            widget.in_exam()
        slot.mount(widget)
        self.answer_box = widget
        after = (
            "Then say whether you knew it (y / n)."
            if widget.self_graded
            else "Enter answers (nothing given counts as wrong)."
        )
        self.query_one("#hint", Static).update(lit(f"{widget.hint} {after}", "dim"))
        self.query_one("#hint", Static).display = True
        self.place_hint()
        self.call_after_refresh(self.fit_picture)

    def on_resize(self) -> None:
        self.place_hint()
        if not self.judging:
            self.call_after_refresh(self.fit_picture)

    def place_hint(self) -> None:
        """The hint under the question on a phone's terminal (hint_first), else under the answer widget."""
        body, hint, slot = self.query_one(CardBody), self.query_one("#hint"), self.query_one("#answer-slot")
        first = hint_first(self.size.width)
        if first != (body.children.index(hint) < body.children.index(slot)):
            body.move_child(hint, after=self.query_one("#question") if first else slot)

    def fit_picture(self) -> None:
        """While the question is asked, the picture takes the rows left above the hint's end, or above the answer
        widget's first row when the hint stands first (CardBody.fit_picture)."""
        if self.judging or self.exam.current is None or self.finished:
            return
        hint, slot = self.query_one("#hint"), self.query_one("#answer-slot")
        first = hint.virtual_region.y < slot.virtual_region.y
        self.query_one(CardBody).fit_picture(slot.virtual_region.y + 1 if first else hint.virtual_region.bottom)

    def shown_pictures(self) -> tuple[Picture, ...]:
        return self.query_one(CardImage).pictures if self.exam.current is not None else ()

    @on(AnswerWidget.Submitted)
    def _answered(self, event: AnswerWidget.Submitted) -> None:
        event.stop()
        if self.finished or self.judging:
            return
        if self.exam.current is None:  # the time ran out before the clock's tick noticed
            self.finish()
        elif event.widget.self_graded:
            self.show_answer_to_judge(event.widget)
        else:
            self.record(event.response)

    def show_answer_to_judge(self, widget: AnswerWidget) -> None:
        card = widget.card
        widget.show_result()
        self.query_one(CardImage).show(widget.card_pictures(quiz_app(self).context.library, answered=True))
        self.judging = True
        self.query_one("#hint", Static).display = False
        answer = feedback(card, quiz_app(self).context.library.deck(card.deck_id), None)
        self.query_one("#shown-answer", Static).update(
            Text("\n").join([answer, Text("Did you know it? y: yes (right), n: no (wrong)", style="bold")])
        )
        self.query_one("#self-grade").display = True
        self.query_one("#knew", Button).focus()
        self.refresh_bindings()

    @on(Button.Pressed, "#knew")
    def _knew(self) -> None:
        self.action_judge(True)

    @on(Button.Pressed, "#missed")
    def _missed(self) -> None:
        self.action_judge(False)

    def action_judge(self, knew: bool) -> None:
        if self.judging:
            self.record(None, knew)

    def record(self, response: Response, knew: bool | None = None) -> None:
        """Keep the answer; only once it is saved does the next question come."""
        try:
            self.exam.answer(response, knew)
        except StoreWriteError as exc:
            again = "y or n" if knew is not None else "Enter"
            self.query_one("#status", Static).update(
                lit_message(f"Not saved: {exc}. Press {again} to try again.", "bold red")
            )
            return
        self.query_one("#status", Static).update("")
        self.show_question()

    def action_end(self) -> None:
        if self.finished:
            return
        if self.exam.time_up():
            self.finish()
            return
        left = len(self.exam.questions) - len(self.exam.answers)
        self.app.push_screen(EndExamScreen(left), self._end_chosen)

    def _end_chosen(self, choice: str | None) -> None:
        if choice == "finish":
            self.finish()
        elif choice == "abandon":
            self.finished = True
            self.app.pop_screen()
            say(self.app, "Exam abandoned: no result kept (the answers given stay in your review history).")

    def finish(self) -> None:
        """Keep the result and show it. Once the time is up, what the question on screen holds (typed,
        ticked, picked) is graded first, as if it had been submitted."""
        if self.finished:
            return
        try:
            self.exam.answer_left_at_time_up(self.answer_box.response() if self.answer_box else None)
            report = self.exam.finish()
        except StoreWriteError as exc:
            for widget in self.query(AnswerWidget):  # its answer is given: Esc grades what it holds now
                widget.lock_answer()
            say(self.app, f"The result could not be saved: {exc}", severity="error")
            self.query_one("#status", Static).update(
                lit_message(f"Not saved: {exc}. Press Esc to try again.", "bold red")
            )
            return
        self.finished = True
        self.app.switch_screen(ExamResultsScreen(report))


class EndExamScreen(ModalScreen[str]):
    """Esc during an exam: finish it now (scored), abandon it (no result kept) or go on."""

    BINDINGS = [
        Binding("f", "choose('finish')", "Finish", tooltip="End the exam and see the score"),
        Binding("a", "choose('abandon')", "Abandon", tooltip="End the exam and keep no result"),
        Binding("escape", "choose('')", "Go on", tooltip="Back to the question"),
    ]

    def __init__(self, left: int) -> None:
        super().__init__(classes="confirm")
        self.left = left

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(
                Text.assemble(
                    ("End the exam now?\n\n", "bold"),
                    ("Finish: ", "bold"),
                    f"your score, {self.left} question{'' if self.left == 1 else 's'} not answered, counted wrong.\n",
                    ("Abandon: ", "bold"),
                    "keep no result (the answers given stay in your review history).\n",
                    ("Go on: ", "bold"),
                    "back to the question.",
                ),
                id="confirm-message",
            )
            with Horizontal(id="confirm-buttons"):
                yield Button("Finish (f)", id="finish", compact=True)
                yield Button("Abandon (a)", id="abandon", variant="error", compact=True)
                yield Button("Go on (Esc)", id="go-on", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#go-on", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss("" if event.button.id == "go-on" else str(event.button.id))

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


class ExamResultsScreen(PictureKey, SoundKey, Screen):
    """The score, per topic, then the mistakes one by one with the right answer and the explanation."""

    BINDINGS = [
        Binding("n,right", "mistake(1)", "Next mistake", tooltip="Show the next mistake"),
        Binding("p,left", "mistake(-1)", "Previous", tooltip="Show the previous mistake"),
        Binding("escape,q", "app.pop_screen", "Done", tooltip="Back to the exam setup and past results"),
        *IMAGE_BINDINGS,
        *SOUND_BINDINGS,
    ]

    def __init__(self, report: ExamReport) -> None:
        super().__init__()
        self.report = report
        self.mistakes = report.mistakes
        self.index = 0

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="exam-results"):
            yield Static(
                Text.assemble(("Exam results · ", "bold"), lit_line(self.report.title, "bold")),
                id="exam-results-title",
                classes="title-bar",
            )
            yield Static(id="score")
            yield Static(id="exam-topics-table")
            yield Static(id="mistake")
            yield CardImage(id="card-image")
        yield KeyBar()

    def on_mount(self) -> None:
        report = self.report
        percent = report.correct / report.total if report.total else 0
        score = Text.assemble(
            ("Score ", "dim"),
            (f"{report.correct}/{report.total}  {percent:.0%}", "bold"),
            ("  in ", "dim"),
            duration(report.seconds),
        )
        if report.unanswered:
            score.append(f"  ({report.unanswered} not answered, counted wrong)", style="dim")
        self.query_one("#score", Static).update(score)
        deck = quiz_app(self).context.library.deck(report.deck_id) if report.deck_id else None
        show_topic_scores(self.query_one("#exam-topics-table", Static), deck, report.per_topic)
        self.show_mistake()

    def mistake_text(self, mistake: Mistake, reached: bool) -> Text:
        """The question, the right answer and what was given; from the kept text when the card is gone. A
        self-graded card `reached` (the mistakes not reached come last) was judged not known, though none is kept."""
        library = quiz_app(self).context.library
        card = library.card(mistake.deck_id, mistake.key)
        if card is None:
            lines = [
                Text("This card is no longer in its deck; as it was:", style="italic"),
                answer_line(mistake.expected),
            ]
            if mistake.given:
                lines.append(given_line(mistake.given))
            return Text("\n").join(lines)
        return Text("\n").join(
            [
                lit(faces.question(card), "bold"),
                feedback(
                    card,
                    library.deck(card.deck_id),
                    judged_wrong_line()
                    if reached and card.kind in SELF_GRADED_KINDS
                    else verdict_line(False, revealed=not mistake.given),
                    mistake.given or None,
                ),
            ]
        )

    def show_mistake(self) -> None:
        box = self.query_one("#mistake", Static)
        self.query_one(CardImage).show(self.mistake_pictures())
        self.refresh_bindings()  # the sound key, for a mistake that names a sound
        if not self.mistakes:
            box.update(Text("No mistakes. Well done!", style="bold green"))
            return
        box.update(
            Text("\n").join(
                [
                    Text(f"Mistake {self.index + 1} of {len(self.mistakes)}  (n / p to move)", style="bold"),
                    self.mistake_text(
                        self.mistakes[self.index], self.index < len(self.mistakes) - self.report.unanswered
                    ),
                ]
            )
        )

    def mistake_pictures(self) -> tuple[Picture, ...]:
        """The pictures of the mistake shown, the answer's included: it is shown with its right answer."""
        if not self.mistakes:
            return ()
        mistake, library = self.mistakes[self.index], quiz_app(self).context.library
        card = library.card(mistake.deck_id, mistake.key)
        return note_pictures(library.deck(mistake.deck_id), card.note.all_images) if card is not None else ()

    def shown_sounds(self) -> Sounds:
        """The sounds of the mistake shown, the answer's included (as its pictures)."""
        if not self.mistakes:
            return Sounds(())
        mistake, library = self.mistakes[self.index], quiz_app(self).context.library
        return card_sounds(library.deck(mistake.deck_id), library.card(mistake.deck_id, mistake.key), answered=True)

    def action_mistake(self, step: int) -> None:
        if self.mistakes:
            self.index = (self.index + step) % len(self.mistakes)
            self.show_mistake()
