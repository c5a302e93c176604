"""Home: every deck (and each of its topics) with what today brings (New / Learning / Due within the day's
limits, as Anki's deck list), the highlighted row's totals, today's progress, broken decks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from quiz.context import Context
from quiz.core.clock import StartedClock, day_end, day_start, study_day
from quiz.core.deckfile import LoadResult, deck_files
from quiz.core.editing import first_problem_line
from quiz.core.examdates import not_passed, read_exam_dates, target_text
from quiz.core.exampace import beyond_reach, pace_together, paced_exams
from quiz.core.model import Deck, Mode
from quiz.core.presets import deck_settings
from quiz.core.problems import in_order
from quiz.core.stats import DeckCounts, limits_left, read_deck_counts_by_topic, within_limits
from quiz.output import file_names_as_they_are
from quiz.ui.base import quiz_app
from quiz.ui.widgets.decklist import DeckList, DeckRow
from quiz.ui.widgets.keybar import KeyBar
from quiz.ui.widgets.literal import lit_line, lit_message, say

POLL_SECONDS = 2.0
NO_CARDS = DeckCounts(0, 0, 0, 0, 0)
DISCLAIMER = "Educational material, not medical advice."
MAX_PROBLEM_LINES = 5
NOT_LOADED = "This deck file did not load, so it has no cards yet: press e to open it at its first problem."


@dataclass(frozen=True, slots=True)
class Row:
    deck_id: str
    topic: str | None = None
    broken: LoadResult | None = None  # a deck file that did not load: its row is there to press e on

    @property
    def key(self) -> str:
        if self.broken is not None:
            return f"\0{self.broken.path}"  # no deck id has a NUL
        return self.deck_id if self.topic is None else f"{self.deck_id}\t{self.topic}"


class HomeScreen(Screen):
    HELP_WIDGETS = (DeckList,)  # its Enter studies: Help lists it with the screen's keys
    BINDINGS = [
        Binding("p", "practice", "Practice", tooltip="Practise the selection shuffled, without touching the schedule"),
        Binding("e", "exam", "Exam", tooltip="Set up an exam on the selected deck's topics"),
        # on a deck file that did not load, e opens it instead (check_action shows one of the two)
        Binding(
            "e",
            "edit_file",
            "Edit file",
            tooltip="On a deck file that did not load: open it in your editor at its first problem",
        ),
        Binding("b", "browse", "Browse", tooltip="Browse and search every card"),
        Binding("s", "stats", "Stats", tooltip="Reviews, retention and the forecast"),
        Binding("comma", "settings", "Settings", key_display=",", tooltip="Daily limits, retention, theme"),
        Binding("question_mark", "app.help", "Help", key_display="?", tooltip="Every screen's keys"),
        Binding("r", "refresh", "Reload", show=False, tooltip="Reload the decks from disk"),
        Binding("q", "app.quit", "Quit", tooltip="Leave quiz (everything is already saved)"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, Row] = {}
        self._totals: dict[str, tuple[str, DeckCounts]] = {}  # row key -> its name and counts before the limits
        self._notes: list[Text] = []  # deck problems and the folder line, above the highlighted row's totals
        self._signature: tuple = ()
        self._day_ends: datetime | None = None  # the end of the study day drawn

    def compose(self) -> ComposeResult:
        # Few widgets: each one mounted costs start-up time (the home screen is the first frame).
        yield Static(id="today", classes="title-bar")
        yield DeckList(id="decks")
        yield Static(id="home-notes")  # deck problems (the first few), then the deck folder
        yield KeyBar()

    @property
    def context(self) -> Context:
        return quiz_app(self).context

    def on_mount(self) -> None:
        self._signature = self._files_signature()
        self.refresh_decks()
        self._drawn_on_mount = True  # the resume that follows the mount has nothing new to show
        self.query_one(DeckList).focus()
        self.set_interval(POLL_SECONDS, self._poll)

    def on_screen_resume(self) -> None:
        if getattr(self, "_drawn_on_mount", False):
            self._drawn_on_mount = False
            return
        if self._signature != self._files_signature():
            self.action_refresh(quiet=True)
        else:
            self.refresh_decks()

    # --- drawing ----------------------------------------------------------------------------------

    def refresh_decks(self) -> None:
        """Redraw counts, today's progress, problems and the folder line from the store and library."""
        self.rows.clear()
        self._totals.clear()
        lines: list[DeckRow] = []
        context = self.context
        now = context.clock.now()
        settings = context.store.settings()
        per_deck = deck_settings(context.store, settings)  # each deck's limits are its preset's
        left = 0
        start = day_start(now, settings.rollover_hour)
        exams = read_exam_dates(context.store)
        study_today = study_day(now, settings.rollover_hour)  # exams count their days from it
        for deck in context.library.decks:
            by_topic = read_deck_counts_by_topic(context.store, deck, now, settings.rollover_hour)
            own = per_deck.of(deck.id)
            ahead = {  # topic or None -> its exam and pace
                entry.exam.topic: entry
                for entry in paced_exams(context.store, deck, exams, now, settings.rollover_hour, own, by_topic)
            }
            together = pace_together(ahead.values(), own.new_per_day)  # the topics' exams over the shared limit
            # an exam not passed but not ahead is today's: nothing is paced or moved, but its row names the day
            on_today = {exam.topic for exam in not_passed(exams, study_today) if exam.deck_id == deck.id}
            new_left, reviews_left = limits_left(context.store, deck.id, per_deck, now)
            today = within_limits(by_topic[None], new_left, reviews_left)
            left += today.new + today.learning + today.due
            rows = [(Row(deck.id), deck.title, lit_line(deck.title, "bold"), by_topic[None])]
            for topic in deck.topic_ids():
                topic_title = deck.topic_title(topic)
                name = f"{deck.title} › {topic_title}"
                rows.append((Row(deck.id, topic), name, lit_line(f"  {topic_title}"), by_topic.get(topic, NO_CARDS)))
            for row, name, line, counts in rows:
                paced = ahead.get(row.topic)
                # and when its new cards cannot all fit in the limit, the pace they need, or that none reaches
                if paced is not None:
                    short = f", needs {paced.pace} new/day" if paced.pace > own.new_per_day else ""
                    if paced.pace and beyond_reach(paced, study_today, own):
                        short = f", new cards can't reach {target_text(paced.exam.target)}"
                    days = (paced.exam.day - study_today).days
                    line = line + Text(f" · exam in {days}d{short}", style="italic")
                elif row.topic in on_today:
                    line = line + Text(" · exam today", style="italic")
                if row.topic is None and together is not None:
                    line = line + Text(f" · exams need {together} new/day together", style="italic")
                self.rows[row.key] = row
                self._totals[row.key] = (name, counts)
                # a topic shares its deck's limits: it brings at most what the deck has left
                shown = within_limits(counts, new_left, reviews_left)
                lines.append(DeckRow(row.key, line, shown.new, shown.learning, shown.due))
        for result in context.library.broken:
            row = Row("", broken=result)
            self.rows[row.key] = row
            # a file that is not there (a --deck path) has nothing to open: its problem below says why
            where = f": e opens it at line {first_problem_line(result)}" if Path(result.path).is_file() else ""
            line = Text.assemble(
                ("⚠ ", "red"), lit_line(self._file_name(result.path), "bold"), (f" did not load{where}", "red")
            )
            lines.append(DeckRow(row.key, line, None, None, None))
        today_ends = day_end(now, settings.rollover_hour)  # answers dated later (a clock ahead) are that day's
        self._day_ends = today_ends
        done = context.store.answer_counts(since=start, until=today_ends).get(Mode.REVIEW.value, 0)
        self.query_one("#today", Static).update(self._today_line(done, left, now))
        folder = Text.assemble(
            ("Your decks: ", "bold"), lit_line(context.user_deck_dir), ("  (r reloads)", "dim"), style="dim"
        )
        if unreachable := context.deck_folder_problem():  # its decks are not listed: say why, not just nothing
            folder = Text.assemble(("Your decks: ", "bold"), lit_line(unreachable.detail))
        self._notes = [*self._problem_lines(), folder]
        self.query_one(DeckList).set_rows(lines)  # keeps the highlighted row; its totals follow
        self.show_notes()

    def _file_name(self, path: str) -> str:
        """A deck file as the row names it: within the deck folder, its place there; elsewhere (`--deck`), its
        name, so a long path does not push the rest of the row off it (the problems below give the path)."""
        try:
            return str(Path(path).relative_to(self.context.user_deck_dir))
        except ValueError:
            return Path(path).name

    def show_notes(self) -> None:
        """The other notes, then the highlighted row's totals (the unseen cards beyond today's New among
        them): last, so a long list of problems cuts the totals off rather than the problems or the folder."""
        row = self.selected
        totals = self._totals.get(row.key) if row else None
        app = quiz_app(self)
        # the start's sync (quiz/ui/autosync.py) and backup (quiz/ui/startbackup.py): a file name may be in them
        lines = [*self._notes, *(lit_message(line, "dim") for line in (app.sync_line, app.backup_line) if line)]
        if totals is not None:
            name, counts = totals
            lines.append(
                Text.assemble(
                    lit_line(name, "bold"),
                    f": {counts.total} cards · {counts.new} unseen · {counts.suspended} suspended",
                    style="dim",
                )
            )
        self.query_one("#home-notes", Static).update(Text("\n").join(lines))

    @on(DeckList.Highlighted)
    def _row_highlighted(self, event: DeckList.Highlighted) -> None:
        event.stop()
        self.show_notes()
        self.refresh_bindings()  # e: Exam on a deck, Edit file on a deck file that did not load

    def _today_line(self, done: int, left: int, now: datetime) -> Text:
        """Today's progress and the disclaimer, and the clock QUIZ_NOW set: on the title bar, so no list of
        problems can push them away."""
        if not self.context.library.decks:
            today = Text("No decks loaded yet.", style="bold")
        else:
            today = Text.assemble(
                ("quiz", "bold"), "   Today: ", (str(done), "bold"), " reviewed · ", (str(left), "bold"), " left"
            )
        line = Text.assemble(today, "   ", (DISCLAIMER, "italic dim"))
        clock = self.context.clock
        if isinstance(clock, StartedClock):  # QUIZ_NOW, given to look ahead: answers are dated by it, and synced
            started = f"{clock.start.astimezone():%a %d %b %Y %H:%M}"  # its start: a stale now would mislead
            line.append_text(
                Text.assemble("\n", ("Clock set by QUIZ_NOW", "bold"), f", started {started}; answers are dated by it")
            )
        return line

    def _problem_lines(self) -> list[Text]:
        """The decks that did not load with their problems, then the warnings of those that did: the first
        few lines; `quiz validate` lists them all."""
        results = self.context.library.results
        by_file = sorted(results, key=lambda result: str(result.path))
        broken = [result for result in by_file if result.deck is None]
        warned = [result for result in by_file if result.deck is not None and result.problems]
        file_names_as_they_are(result.path for result in broken + warned)  # the decks reload while Home is open
        parts: list[Text] = []
        if broken:
            parts.append(
                Text(
                    f"{len(broken)} deck file(s) could not be loaded; fix these (e on the file's row opens it):",
                    style="bold red",
                )
            )
            for result in broken:
                parts.extend(lit_message(f"  {problem.in_words()}", "red") for problem in in_order(result.problems))
                if not result.problems:
                    parts.append(lit_line(f"  {result.path}: not loaded", "red"))
        if warned:
            parts.append(Text(f"{len(warned)} deck file(s) loaded with warnings:", style="bold"))
            parts.extend(lit_message(f"  {p.in_words()}") for result in warned for p in in_order(result.problems))
        if len(parts) > MAX_PROBLEM_LINES + 1:  # the notes show 9 lines: the rest are for `validate`
            hidden = len(parts) - MAX_PROBLEM_LINES - 1
            parts = parts[: MAX_PROBLEM_LINES + 1]
            more = lit_message(f"  ... and {hidden} more: `quiz validate FILE` lists them all", "red" if broken else "")
            parts.append(more)
        return parts

    # --- selection and actions -----------------------------------------------------------------

    @property
    def selected(self) -> Row | None:
        return self.rows.get(self.query_one(DeckList).cursor_key or "")

    def _deck(self, row: Row | None) -> Deck | None:
        return self.context.library.deck(row.deck_id) if row else None

    @on(DeckList.Selected)
    def _row_selected(self, event: DeckList.Selected) -> None:
        event.stop()
        self.start_session(Mode.REVIEW)

    def start_session(self, mode: Mode) -> None:
        from quiz.core.session import Scope, StudySession  # loaded on the first session, not at start-up
        from quiz.ui.next_due import next_card_due
        from quiz.ui.screens.study import StudyScreen

        row = self.selected
        deck = self._deck(row)
        if row is not None and row.broken is not None:
            say(self.app, NOT_LOADED, severity="warning")
            return
        if row is None or deck is None:
            say(self.app, "No deck selected: add a deck file to your deck folder and press r.", severity="warning")
            return
        context = self.context
        session = StudySession(
            context.store,
            context.scheduler(),
            context.clock,
            context.library.decks,
            Scope(deck_ids=(deck.id,), topic=row.topic),
            mode,
            seed=quiz_app(self).seed,
        )
        name = deck.title if row.topic is None else f"{deck.title} › {deck.topic_title(row.topic)}"
        if session.current is None:
            later = session.learning_due_later() or session.next_due()
            when = f" {next_card_due(later, context.clock.now())}." if later else ""
            say(self.app, f"Nothing to study in {name} right now.{when} Press p to practise anyway.", title="Done")
            return
        self.app.push_screen(StudyScreen(session, name))

    def action_practice(self) -> None:
        self.start_session(Mode.PRACTICE)

    def action_exam(self) -> None:
        from quiz.ui.screens.exam import ExamSetupScreen

        row = self.selected
        if row is None or self._deck(row) is None:
            say(self.app, "No deck selected.", severity="warning")
            return
        self.app.push_screen(ExamSetupScreen(row.deck_id, row.topic))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        on_broken = (row := self.selected) is not None and row.broken is not None
        if action == "exam":
            return not on_broken
        if action == "edit_file":
            return on_broken
        return True

    def action_edit_file(self) -> None:
        """Open the highlighted deck file that did not load at its first problem; Home then shows it as it
        reads now."""
        from quiz.ui.editor import edit_file  # loaded on the first edit, not at start-up

        row = self.selected
        if row is None or row.broken is None:
            return
        result = row.broken
        if not Path(result.path).is_file():  # an editor would make a new, empty file there
            problem = result.problems[0] if result.problems else f"{result.path}: not loaded"
            say(self.app, f"Nothing to open: {problem}", severity="warning")
            return
        if edit_file(self, result.path, first_problem_line(result)):
            self._signature = self._files_signature()  # reloaded already: the poll need not do it again
            self.refresh_decks()

    def action_browse(self) -> None:
        from quiz.ui.screens.browse import BrowseScreen

        self.app.push_screen(BrowseScreen())

    def action_stats(self) -> None:
        from quiz.ui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen())

    def action_settings(self) -> None:
        from quiz.core.presets import DEFAULT, preset_of
        from quiz.ui.screens.settings import SettingsScreen

        row = self.selected  # as Anki's deck options: the highlighted deck's preset
        deck = row.deck_id if row is not None and row.broken is None else None
        self.app.push_screen(SettingsScreen(DEFAULT if deck is None else preset_of(self.context.store, deck)))

    # --- reloading ------------------------------------------------------------------------------

    def _files_signature(self) -> tuple:
        """What changes when a deck file is added, removed or edited."""
        signature = []
        for path in deck_files(f for f in self.context.deck_folders if f.exists()):
            try:
                stat = path.stat()
            except OSError:
                continue
            signature.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(signature)

    def _poll(self) -> None:
        if not self.is_current:
            return
        if self._files_signature() != self._signature:
            self.action_refresh(quiet=True)
        elif self._day_ends is not None and self.context.clock.now() >= self._day_ends:
            self.refresh_decks()  # left open past the rollover: the new day's counts, limits and exam days

    def action_refresh(self, quiet: bool = False) -> None:
        self._signature = self._files_signature()
        self.context.library.reload()
        self.refresh_decks()
        decks, broken = len(self.context.library.decks), len(self.context.library.broken)
        message = f"Reloaded: {decks} deck(s)" + (f", {broken} with problems" if broken else "")
        say(self.app, message, severity="warning" if broken else "information", timeout=3 if quiet else None)
