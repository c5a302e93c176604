"""Study (review or practice): question -> answer -> grade, one card after another, like Anki."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from quiz.core import faces
from quiz.core.kinds import KINDS
from quiz.core.kinds.base import Response
from quiz.core.marks import MarkedInFile
from quiz.core.model import Card, Grade, Mode
from quiz.core.scheduler import format_interval
from quiz.core.session import Answered, StudySession
from quiz.core.store import StoreError, StoreGoneError, StoreWriteError
from quiz.ui.answers import ANSWER_WIDGETS
from quiz.ui.answers.base import AnswerWidget
from quiz.ui.base import quiz_app
from quiz.ui.editor import edit_card
from quiz.ui.widgets.card_back import CardBack
from quiz.ui.widgets.card_image import IMAGE_BINDINGS, CardImage, Picture, PictureKey
from quiz.ui.widgets.card_sound import SOUND_BINDINGS, SoundKey, Sounds, card_sounds
from quiz.ui.widgets.feedback import feedback, verdict_line
from quiz.ui.widgets.flags import FLAG_BINDINGS, FlagPicker, flag_done, flag_mark
from quiz.ui.widgets.grade_bar import LABELS, GradeBar
from quiz.ui.widgets.keybar import KeyBar
from quiz.ui.widgets.literal import lit, lit_line, lit_message, say
from quiz.ui.widgets.marks import MARK_BINDING, mark_done, mark_sign
from quiz.ui.widgets.progress_line import ProgressLine
from quiz.ui.widgets.steady import SteadySize, SteadyStatic
from quiz.ui.widgets.title_bar import TitleBar

_UNDONE = {
    "answer": "Took back the last answer.",
    "suspend": "Took back the suspend: the card is active again.",
    "bury": "Took back the bury: the card is back in today's queue.",
    "flag": "Took back the flag.",
    "mark": "Took back the mark.",
}


def kind_label(card: Card) -> str:
    return KINDS[card.kind].label(card)


class CardBody(SteadySize, VerticalScroll, can_focus=False):
    """The card's question, answer widget and feedback; scrolled with PageUp/PageDown or the mouse."""

    def fit_picture(self, seen_rows: int) -> None:
        """Give the card's picture the rows left once the card's first `seen_rows` rows (down to the end of the hint
        saying what to do) have theirs: a long question took rows the picture's fixed height had, and the hint went
        below the bottom of the card."""
        image = self.query_one(CardImage)
        if image.display:
            image.fit(self.scrollable_content_region.height - seen_rows)


#: The study and exam screens' sizes (app.tcss): in a phone's 40x20 or 40x24 terminal a card's picture takes fewer
#: rows, so the hint under it is seen without scrolling. 22 or 23 rows are short only below 80 columns, where the
#: text takes more rows: 80x23 (80x24 under tmux's status line) fits the picture's 8.
CARD_HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (48, "-medium"), (80, "-wide")]
CARD_VERTICAL_BREAKPOINTS = [(0, "-short"), (22, "-low"), (24, "-tall")]

#: Below this width (a phone's terminal) the hint saying what to do stands under the question, where it is seen
#: first: under the answer widget, a match card's wrapped choices or a long question's picture put it below the card.
HINT_FIRST_BELOW = 60


def hint_first(width: int) -> bool:
    """Whether a screen `width` columns wide shows the hint under the question rather than under the answer widget."""
    return width < HINT_FIRST_BELOW


class AnswerSlot(SteadySize, Vertical):
    """Holds the answer widgets: one per kind of card met so far, only the current card's shown."""


class StudyScreen(PictureKey, SoundKey, Screen):
    """One study session. The answer widget fits the card's kind; the grade bar appears after answering."""

    HORIZONTAL_BREAKPOINTS = CARD_HORIZONTAL_BREAKPOINTS
    VERTICAL_BREAKPOINTS = CARD_VERTICAL_BREAKPOINTS
    BINDINGS = [
        # the grade bar's keys, live once the answer shows (check_action); first, so the footer shows them first
        Binding("1", "grade(1)", "Grade", key_display="1-4", tooltip="Again, Hard, Good or Easy"),
        *(Binding(str(int(g)), f"grade({int(g)})", show=False) for g in Grade if g is not Grade.AGAIN),
        Binding("enter", "accept", "Accept", tooltip="Record the proposed (highlighted) grade"),
        Binding("space", "accept", show=False),
        Binding("u", "undo", "Undo", tooltip="Take back the last grade, suspend, bury, flag or mark"),
        Binding("ctrl+z", "undo_anywhere", show=False, priority=True, tooltip="Undo, also while typing an answer"),
        Binding("minus", "suspend", "Suspend", key_display="-", tooltip="Suspend this card (unsuspend in Browse)"),
        Binding("exclamation_mark", "suspend", show=False),
        Binding("equals_sign", "bury", "Bury", key_display="=", tooltip="Hide this card until tomorrow"),
        *FLAG_BINDINGS,
        MARK_BINDING,
        *IMAGE_BINDINGS,
        *SOUND_BINDINGS,
        Binding("e", "edit", "Edit", tooltip="Edit this card in your editor ($VISUAL or $EDITOR), then go on with it"),
        Binding("escape", "end", "End", tooltip="End the session and see the summary"),
        Binding("pageup", "scroll_card(-1)", show=False),
        Binding("pagedown", "scroll_card(1)", show=False),
    ]

    def __init__(self, session: StudySession, name: str) -> None:
        super().__init__()
        self.session = session
        self.deck_name = name
        self.answering = False  # True once the answer is shown and a grade is awaited
        self.response: Response = None
        self.intervals: dict[Grade, timedelta] = {}

    @property
    def practice(self) -> bool:
        return self.session.mode is Mode.PRACTICE

    def compose(self) -> ComposeResult:
        if self.practice:
            yield TitleBar("PRACTICE", lit_line(self.deck_name), classes="-practice")
        else:
            yield TitleBar("REVIEW", lit_line(self.deck_name))
        yield ProgressLine(id="progress")
        with CardBody(id="card"):
            yield SteadyStatic(id="kind")
            yield SteadyStatic(id="question")
            yield SteadyStatic(id="lead-hint")  # the hint, here on a phone's terminal (hint_first)
            yield CardImage(id="card-image")
            yield AnswerSlot(id="answer-slot")
            yield CardBack(id="feedback")
        yield GradeBar(id="grades")  # its row is kept while blank: the card area never changes size
        yield SteadyStatic(id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        # the widgets updated on every card, looked up once
        self.kind_line = self.query_one("#kind", Static)
        self.question_box = self.query_one("#question", Static)
        self.lead_hint = self.query_one("#lead-hint", Static)
        self.hint: tuple[Text, list[Text]] = (Text(), [])  # the card's hint and the backs whose rows it keeps
        self.card_image = self.query_one(CardImage)
        self.slot = self.query_one(AnswerSlot)
        self.back = self.query_one(CardBack)
        self.status_line = self.query_one("#status", Static)
        self.title_bar = self.query_one(TitleBar)
        self.progress = self.query_one(ProgressLine)
        self.card_body = self.query_one(CardBody)
        self.grade_bar = self.query_one(GradeBar)
        self.answer_widgets: dict[type[AnswerWidget], AnswerWidget] = {}  # one per kind, reused card after card
        self.show_card()

    # --- showing cards ----------------------------------------------------------------------------

    def show_card(self) -> None:
        card = self.session.current
        if card is None:
            self.finish()
            return
        self.answering, self.response = False, None
        self.show_kind_line(card)
        self.question_box.update(lit(faces.question(card), "bold"))
        widget = self.show_answer_widget(card)
        self.card_image.show(widget.card_pictures(quiz_app(self).context.library, answered=False))
        hint = (
            widget.hint if widget.self_graded else f"{widget.hint} Enter answers; Enter with nothing shows the answer."
        )
        self.hint = (lit(hint, "dim"), self.backs_ahead(card, widget))
        self.place_hint()
        self.grade_bar.clear()
        self.card_body.scroll_home(animate=False)
        self.call_after_refresh(self.fit_picture)
        self.update_counts()
        self.refresh_bindings()  # the grade keys leave the footer

    def place_hint(self) -> None:
        """The hint under the question on a phone's terminal (hint_first), else under the answer widget; the back
        keeps its rows either way."""
        hint, backs = self.hint
        first = hint_first(self.size.width)
        self.lead_hint.display = first
        self.lead_hint.update(hint if first else "")
        self.back.show_hint(Text() if first else hint, backs)

    def fit_picture(self) -> None:
        """While the question is asked, the picture takes the rows left above the hint's end, or above the answer
        widget's first row (a self-graded card's prompt) when the hint stands first (CardBody.fit_picture)."""
        if not self.answering and self.session.current is not None:
            if self.lead_hint.display:
                self.card_body.fit_picture(self.slot.virtual_region.y + 1)
            else:
                self.card_body.fit_picture(self.back.virtual_region.y + self.back.hint_rows())

    def show_kind_line(self, card: Card) -> None:
        """What the card is, its topic, its flag and its note's mark."""
        deck = quiz_app(self).context.library.deck(card.deck_id)
        topic = deck.topic_title(card.topic) if deck and card.topic else card.topic
        line = Text.assemble((kind_label(card), "dim italic"), (" · " if topic else "", "dim"), lit_line(topic, "dim"))
        try:
            before = self.session.kind_before(card)
        except StoreError:  # a damaged row: the grade bar reports it
            before = None
        if before is not None:  # its history was for another question: said where it matters, as validate does
            line.append(f" · kind changed (was {before}): new again", style="dim")
        for sign in (flag_mark(self.session.flag_of(card)), mark_sign(self.session.is_marked(card))):
            if sign:
                line.append("  ")
                line.append_text(sign)
        self.kind_line.update(line)

    def show_answer_widget(self, card: Card) -> AnswerWidget:
        """The answer widget for `card`, focused: the one of its kind reloaded, or a new one mounted.

        Reusing the mounted widget (instead of removing it and mounting a new one per card) lets the
        new card, its focus and the footer's keys all reach the screen in the frame after the key.
        """
        rng = quiz_app(self).rng(card.deck_id, card.key)
        kind = ANSWER_WIDGETS[card.kind]
        widget = self.answer_widgets.get(kind)
        for other in self.answer_widgets.values():
            if other is not widget:
                other.display = False
        if widget is None:
            widget = self.answer_widgets[kind] = kind(card, rng)
            self.slot.mount(widget, before=0 if self.slot.children else None)  # focuses itself once mounted
            return widget
        widget.load(card, rng)
        if self.slot.children[0] is not widget:
            self.slot.move_child(widget, before=0)  # the shown one comes first (query_one(AnswerWidget))
        target = widget.focus_target()
        if target is not None:
            self.set_focus(target)
        return widget

    def shown_pictures(self) -> tuple[Picture, ...]:
        return self.card_image.pictures if self.session.current is not None else ()

    def shown_sounds(self) -> Sounds:
        card = self.session.current
        deck = quiz_app(self).context.library.deck(card.deck_id) if card is not None else None
        return card_sounds(deck, card, answered=self.answering)

    def update_counts(self) -> None:
        counts = self.session.counts()
        done = self.session.summary.count
        self.progress.show(done, max(done + counts.total, 1))
        if self.practice:
            text = Text.assemble(("Left ", "dim"), (str(counts.total), "bold"), ("  Done ", "dim"), str(done))
        else:
            text = Text.assemble(
                ("New ", "dim"),
                (str(counts.new), "bold blue"),
                ("  Learn ", "dim"),
                (str(counts.learning), "bold red"),
                ("  Due ", "dim"),
                (str(counts.review), "bold green"),
            )
        self.title_bar.show(text)

    def set_status(self, text: Text | str, error: bool = False) -> None:
        self.status_line.update(text if isinstance(text, Text) else lit_message(text, keep_lines=True))
        self.status_line.set_class(error, "-error")

    # --- answering ------------------------------------------------------------------------------

    @on(AnswerWidget.Submitted)
    async def _answered(self, event: AnswerWidget.Submitted) -> None:
        event.stop()
        if self.answering or self.session.current is None:
            return
        with self.app.batch_update():
            self.show_answer(event)
            await self.hand_over()
        self.paint_now()

    def show_answer(self, event: AnswerWidget.Submitted) -> None:
        """Check the answer, show the feedback and the grade bar (with the intervals it leads to)."""
        card = self.session.current
        assert card is not None
        verdict = self.session.answer(event.response)
        self.answering, self.response = True, event.response
        proposed = Grade.GOOD if verdict.correct is None else verdict.proposed  # self-graded: Good unless told
        event.widget.show_result()
        self.card_image.show(event.widget.card_pictures(quiz_app(self).context.library, answered=True))
        # in place of the hint: the footer and the ▸ on the bar say how to grade
        revealed = event.response is None  # nothing given (a true/false answer can be False)
        line = None if verdict.correct is None else verdict_line(verdict.correct, verdict.near_miss, revealed)
        given = event.response if verdict.correct is False and not event.widget.marks_answer else None
        self.back.show_back(self.back_of(card, line, given))
        self.intervals = {} if self.practice else self.session.previews()  # only now: the bar shows them
        self.grade_bar.show(proposed, self.intervals or None)
        self.refresh_bindings()  # the grade keys are live: the screen's, so the focus stays where it is
        self.set_status("")
        # a picture, or a phone's few rows, can put the answer below the card area's fold
        self.call_after_refresh(self.bring_answer_into_view)

    def on_resize(self) -> None:
        # A window made smaller while the answer shows (a phone turned upright, a pane split, an SSH client giving
        # its size late) left the answer below the fold, as shown before it was brought into view.
        if self.answering:
            self.call_after_refresh(self.bring_answer_into_view)
        elif self.session.current is not None:
            if self.lead_hint.display != hint_first(self.size.width):
                self.place_hint()
            self.call_after_refresh(self.fit_picture)

    def bring_answer_into_view(self) -> None:
        """Scroll the least that shows the back's first rows (its answer), up to half the card area: the whole back
        brought into view, when taller than the area (a long explanation, its sources), was put at the top, and
        the question scrolled away though the answer fitted under it. No scrolling when they are in view."""
        body, back = self.card_body, self.back.virtual_region
        rows = min(back.height, max(4, body.scrollable_content_region.height // 2))
        body.scroll_to_region(back._replace(height=rows), animate=False, immediate=True)

    def back_of(self, card: Card, verdict: Text | None, given: Response = None) -> Text:
        """What the card's back shows: the verdict (None: self-graded), the wrong answer given (None: not shown)."""
        return feedback(card, quiz_app(self).context.library.deck(card.deck_id), verdict, given)

    def backs_ahead(self, card: Card, widget: AnswerWidget) -> list[Text]:
        """The backs the card may show once answered, when they are known before: the hint keeps the rows of the
        tallest, so showing the answer moves nothing. A self-graded card has one; a card whose widget marks the
        answer where it was given has one per verdict; a typed answer's back after a wrong answer shows what was
        typed, so only its others are known: right, nearly right, none given."""
        if widget.self_graded:
            return [self.back_of(card, None)]
        if widget.marks_answer:
            lines = [verdict_line(True), verdict_line(False), verdict_line(False, revealed=True)]
        else:
            lines = [verdict_line(True), verdict_line(True, near_miss=True), verdict_line(False, revealed=True)]
        return [self.back_of(card, line) for line in lines]

    @on(GradeBar.Graded)
    async def _graded(self, event: GradeBar.Graded) -> None:
        event.stop()
        with self.app.batch_update():
            self.record(event.grade)
            await self.hand_over()
        self.paint_now()

    async def action_grade(self, number: int) -> None:
        if self.answering:
            with self.app.batch_update():
                self.record(Grade(number))
                await self.hand_over()
            self.paint_now()

    async def action_accept(self) -> None:
        """Enter or Space: the proposed grade, marked ▸ on the bar (Again after a wrong answer, not always Good)."""
        await self.action_grade(int(self.grade_bar.proposed))

    async def hand_over(self) -> None:
        """Let the widgets just changed pass their refreshes on before the screen paints.

        A widget hands its refresh to the screen from its own task, and a blur restyles the children
        of the widget that lost the focus, which then refresh in theirs: two turns of the event loop.
        The focus change marks the screen itself at once; without these turns it could paint that
        alone, and the new card a frame (17-33 ms) later. Called inside `batch_update`, so nothing is
        painted half done meanwhile.
        """
        for _ in range(2):
            await asyncio.sleep(0)

    def paint_now(self) -> None:
        """After `batch_update`: the screen checked for changes while the batch held them, and looks
        again only at its next message. A focus move used to be that message; with none, the frame
        would wait for the next key."""
        self.check_idle()

    def record(self, grade: Grade) -> None:
        """Save the grade; only once it is committed does the screen say so and move on."""
        if not self.answering:
            return
        try:
            answered = self.session.grade(grade)
        except StoreWriteError as exc:
            retry = " Free some space or fix the file, then press the grade again."
            if isinstance(exc, StoreGoneError):  # no retry can help: its message says what will
                retry = ""
            self.set_status(f"Not saved: {exc}.{retry}", True)
            say(self.app, f"Your answer was NOT saved: {exc}", title="Could not save", severity="error")
            return
        self.acknowledge(answered)
        self.show_card()

    def acknowledge(self, answered: Answered) -> None:
        if self.practice:  # logged, but the schedule is not touched: "Saved" would promise more
            text = Text.assemble(("Practice: ", "dim"), (LABELS[answered.grade], "bold"))
            text.append(" · the schedule is unchanged", style="dim")
        else:
            text = Text.assemble(("Saved: ", "dim"), (LABELS[answered.grade], "bold"))
            if answered.leech:  # the interval shown on the button no longer applies
                text.append(" · suspended as a leech", style="dim")
            elif answered.grade in self.intervals:
                text.append(f" · next in {format_interval(self.intervals[answered.grade])}", style="dim")
        self.set_status(text)
        if answered.leech:
            threshold = self.session.settings_of(answered.card).leech_threshold
            say(
                self.app,
                f"Leech: this card has been forgotten {threshold} or more times "
                "and is now suspended. Rewrite it, or unsuspend it in Browse.",
                title="Leech",
                severity="warning",
                timeout=10,
            )

    # --- other keys -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("grade", "accept"):  # only with the answer shown; before, the keys go on to other bindings
            return self.answering
        # While an answer is typed u, -, =, ! and e are letters: their keys leave the footer (Ctrl+Z still undoes).
        # Once it is checked, the input is locked and they are the screen's again.
        typing = isinstance(self.focused, Input) and not self.answering
        if typing and action in ("undo", "suspend", "bury", "edit"):
            return False
        return super().check_action(action, parameters)  # the sound key: only on a card that names a sound

    def action_undo_anywhere(self) -> None:
        self.action_undo()

    def action_undo(self) -> None:
        action = self.session.next_undo()
        if action is None:
            say(self.app, "Nothing to undo.")
            return
        try:
            card = self.session.undo()
        except StoreWriteError as exc:
            self.set_status(f"Undo failed: {exc}", True)
            return
        if action in ("flag", "mark") and card is not None:  # the card stays as it is, answered or not
            self.show_kind_line(card)
        else:
            self.show_card()
        self.set_status(_UNDONE[action])

    def _change_current(self, change, done: str) -> None:
        if self.session.current is None:
            return
        try:
            change()
        except StoreWriteError as exc:
            self.set_status(f"Not saved: {exc}", True)
            say(self.app, f"Could not save: {exc}", severity="error")
            return
        self.show_card()
        self.set_status(done)

    def action_suspend(self) -> None:
        self._change_current(self.session.suspend, "Suspended the card (unsuspend it in Browse).")

    def action_bury(self) -> None:
        self._change_current(self.session.bury, "Buried the card until tomorrow.")

    def action_flag(self, pressed: int) -> None:
        card = self.session.current
        if card is None:
            return
        try:
            flag = self.session.flag(pressed)
        except StoreWriteError as exc:
            self.set_status(f"Not saved: {exc}", True)
            return
        self.show_kind_line(card)
        self.set_status(flag_done(flag))

    def action_toggle_mark(self) -> None:
        card = self.session.current
        if card is None:
            return
        try:
            marked = self.session.toggle_mark()
        except (StoreWriteError, MarkedInFile) as exc:
            self.set_status(f"Not changed: {exc}", True)
            return
        self.show_kind_line(card)
        self.set_status(mark_done(marked))

    def action_pick_flag(self) -> None:
        card = self.session.current
        if card is None:
            return

        def picked(flag: int | None) -> None:
            if flag is not None and self.session.current is card:
                self.action_flag(flag)

        self.app.push_screen(FlagPicker(self.session.flag_of(card)), picked)

    def action_edit(self) -> None:
        card = self.session.current
        if card is not None and edit_card(self, card):
            self.session.take_new_text(quiz_app(self).context.library.decks)
            self.show_card()

    def action_scroll_card(self, direction: int) -> None:
        body = self.card_body
        body.scroll_page_down() if direction > 0 else body.scroll_page_up()

    def action_end(self) -> None:
        self.finish()

    def finish(self) -> None:
        from quiz.ui.screens.summary import SummaryScreen

        self.app.switch_screen(SummaryScreen(self.session, self.deck_name))
