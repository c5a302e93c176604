"""Deck text is untrusted: every field of a hostile deck shows literally on every screen of the real app.

Textual parses markup in any plain str given to a widget: `[@click=app.quit]x[/]` would be text that runs an
app action when clicked, `[link=...]` a hyperlink, and an unbalanced tag (`[link=unquoted`, `[red`) can raise
MarkupError while rendering and stop the app. tests/data/hostile_everything.yaml holds such text in every
field the app shows. These tests walk the real QuizApp through every screen and check on each that

* the exact strings are on screen, character for character (`shows_literally`);
* no cell of the screen carries an action (`@click` meta) or a hyperlink (`leaks`);
* clicking on the hostile text runs nothing: app.quit / app.bell / open_url are spied on (`Spy`);
* the app is still running.

`test_the_checks_catch_a_real_leak` proves the checks would fail on text that *is* parsed as markup.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import fields, is_dataclass, replace
from pathlib import Path

import pytest
from conftest import UI_DECK, due_review_state, make_app, screen_rows
from rich.cells import cell_len
from textual.app import ComposeResult
from textual.errors import NoWidget
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from quiz.core import faces
from quiz.core.browse_data import row_ident
from quiz.core.decks import load_deck_file
from quiz.core.exam import describe
from quiz.core.model import Grade, Mode
from quiz.core.session import Scope, StudySession
from quiz.core.text import PLACEHOLDER
from quiz.ui.answers.base import AnswerWidget
from quiz.ui.screens.browse import BrowseScreen, CardScreen, ConfirmScreen
from quiz.ui.screens.exam import ExamResultsScreen, ExamRunScreen, ExamSetupScreen
from quiz.ui.screens.help import HelpScreen
from quiz.ui.screens.home import HomeScreen
from quiz.ui.screens.settings import SettingsScreen
from quiz.ui.screens.stats import StatsScreen
from quiz.ui.screens.study import StudyScreen
from quiz.ui.screens.summary import SummaryScreen
from quiz.ui.widgets.ticklist import TickList
from tests.untrusted import unsafe_in

pytestmark = pytest.mark.slow  # every screen walked with hostile text in every field: about 50 s

DATA = Path(__file__).resolve().parents[1] / "data"
DECK = DATA / "hostile_everything.yaml"
ESCAPES = DATA / "hostile" / "terminal_escapes.yaml"
SIZE = (160, 50)  # wide enough that no hostile string wraps

# --- the deck, field by field, exactly as the file writes it -------------------------------------------

PAYLOADS = (
    "[b]bold[/b]",
    "[@click=app.quit]quit[/]",
    "[ @click=app.bell]x",  # a space defeats rich.markup.escape()
    "[link=https://evil.example]l[/link]",
    "[link=unquoted",  # MarkupError if parsed
    "[red",
    "\\[",  # the markup escape itself
    ":smile:",  # an emoji code: must not become 😄
)
DECK_ID = "hostile-ui"
DECK_TITLE = "Deck [b]bold[/b] :smile:"
DESCRIPTION = "Desc [@click=app.quit]quit[/] [link=unquoted"  # not shown by any screen
SOURCE = "Src [@click=app.quit]quit[/]"
PUBLISHER = "Pub [link=https://evil.example]l[/link]"
TOPIC1 = "Topic [ @click=app.bell]x"
TOPIC2 = "Topic2 [red"
TAGS = ("[b]bold[/b]", "[red")
BASIC_FRONT = "Front [@click=app.quit]quit[/]"
BASIC_BACK = "Back [link=https://evil.example]l[/link]"
BASIC_EXPLAIN = "Explain [ @click=app.bell]x \\[ :smile:"
REV_FRONT = "RevF [link=unquoted"
REV_BACK = "RevB [red"
CLOZE_TEXT = "Cloze {{[b]ans[/b]::[@click=app.bell]hint[/]}} and {{\\[gap2}} end :smile:"
CLOZE_GAP1 = "Cloze [[@click=app.bell]hint[/]] and \\[gap2 end :smile:"  # gap 1 asked: its hint shows
CLOZE_GAP2 = "Cloze [b]ans[/b] and [...] end :smile:"
CLOZE_FULL = "Cloze [b]ans[/b] and \\[gap2 end :smile:"
TYPED_FRONT = "Typed [ @click=app.bell]x"
TYPED_ANSWER = "Ans [red"
TYPED_ACCEPT = "Alt [link=unquoted"
TYPED_EXPLAIN = "TypedExplain [@click=app.quit]quit[/]"
CHOICE_FRONT = "Choice \\[x"
CHOICE_OPTIONS = ("Opt [b]bold[/b]", "Opt [@click=app.quit]quit[/]", "Opt :smile:")
MULTI_FRONT = "Multi [link=https://evil.example]l[/link]"
MULTI_OPTIONS = ("M [ @click=app.bell]x", "M [red", "M \\[", "M :smile:")
TF_FRONT = "TF [@click=app.quit]quit[/]"
ORDER_FRONT = "Order [red"
ORDER_ITEMS = ("I1 [b]bold[/b]", "I2 [link=unquoted", "I3 [@click=app.quit]quit[/]")
MATCH_FRONT = "Match :smile:"
MATCH_PAIRS = (("L [ @click=app.bell]x", "R [link=https://evil.example]l[/link]"), ("L [red", "R \\[ :smile:"))
TYPED_WRONG = "[@click=app.quit]typed[/] [red"  # what the user types can be hostile too

# The opening tag of an action or a link: the character after it is what would be clickable if parsed.
CLICKABLE = re.compile(r"\[\s*(@click|link)=[^\]]*\]")

TOPIC_OF = {"t1": TOPIC1, "t2": TOPIC2}
# What the question side shows, per card key (the topic is added on the study screen).
QUESTION = {
    "basic": [BASIC_FRONT],
    "rev": [REV_FRONT],
    "rev/reverse": [REV_BACK],
    "cz/1": [CLOZE_GAP1],
    "cz/2": [CLOZE_GAP2],
    "typed": [TYPED_FRONT],
    "choice": [CHOICE_FRONT, *CHOICE_OPTIONS],
    "multi": [MULTI_FRONT, *MULTI_OPTIONS],
    "tf": [TF_FRONT],
    "order": [ORDER_FRONT, *ORDER_ITEMS],
    "match": [MATCH_FRONT, *(left for left, _ in MATCH_PAIRS), *(right for _, right in MATCH_PAIRS)],
}
ALL_KEYS = list(QUESTION)
EXAM_KEYS = ["cz/1", "cz/2", "typed", "choice", "multi", "tf", "order", "match"]


# --- the checks ------------------------------------------------------------------------------------------


class Spy:
    """Replaces the app's actions that hostile markup names (and open_url) with recorders."""

    NAMES = ("action_quit", "action_bell", "bell", "open_url")

    def __init__(self, app, monkeypatch: pytest.MonkeyPatch) -> None:
        self.app = app
        self.calls: list[str] = []
        self.clicked: set[tuple] = set()  # (screen type, widget type, string, place) already clicked
        for name in self.NAMES:
            monkeypatch.setattr(app, name, self._recorder(name))

    def _recorder(self, name: str):
        def record(*args, **kwargs) -> None:
            self.calls.append(name)

        return record

    def assert_quiet(self) -> None:
        assert self.calls == [], f"hostile text ran {self.calls}"
        assert self.app.is_running and self.app.return_code is None


@asynccontextmanager
async def watched(app, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[Pilot, Spy]]:
    """`app` running at SIZE with its notifications and tooltips shown, and a Spy on what hostile text could run."""
    async with app.run_test(size=SIZE, notifications=True, tooltips=True) as pilot:
        yield pilot, Spy(app, monkeypatch)


def leaks(app) -> list[tuple[int, int, str]]:
    """Every character on screen whose style would run an action when clicked, or is a hyperlink (blanks,
    lines and blocks are skipped: text never draws with them)."""
    found = []
    for y, row in enumerate(screen_rows(app)):
        for x in (cell_len(row[:i]) for i, char in enumerate(row) if not (char.isspace() or "─" <= char <= "▟")):
            style = app.screen.get_style_at(x, y)
            if style.link or (style.meta and "@click" in style.meta):
                found.append((x, y, str(style.meta.get("@click") or style.link)))
    return found


def places(rows: list[str], text: str) -> list[tuple[int, int]]:
    """(x, y) of every occurrence of `text` on screen."""
    found = []
    for y, row in enumerate(rows):
        start = row.find(text)
        while start >= 0:
            found.append((cell_len(row[:start]), y))
            start = row.find(text, start + 1)
    return found


def toast_texts(app) -> list[str]:
    """The plain text of every notification on screen (they wrap, so they are read whole)."""
    return [toast.render().plain for toast in app.screen.query("Toast")]


async def shows_literally(pilot, spy: Spy, *expected: str, click: bool = True, toasts: tuple[str, ...] = ()) -> str:
    """Assert each string is on screen as written, no cell is clickable markup, and clicking the strings
    (where that does not operate a control) runs nothing. Returns the screen text."""
    app = pilot.app
    await pilot.pause()
    rows = screen_rows(app)
    text = "\n".join(rows)
    name = type(app.screen).__name__
    assert len(rows) == app.size.height
    for string in expected:
        assert string in text, f"{string!r} is not shown literally on {name}:\n{text}"
    shown_toasts = toast_texts(app)
    for string in toasts:
        assert any(string in t for t in shown_toasts), f"no notification says {string!r}: {shown_toasts}"
    assert "😄" not in text and all("😄" not in t for t in shown_toasts)  # :smile: stays a code
    assert leaks(app) == [], f"clickable markup on {name}"
    if click:
        for string in expected:
            for x, y in places(rows, string):
                for label in CLICKABLE.finditer(string):  # where the action or link would sit if parsed
                    at = x + cell_len(string[: label.end()])
                    try:
                        widget, _ = app.screen.get_widget_at(at, y)
                    except NoWidget:
                        continue
                    # Controls (option lists, tables, inputs) answer or open when clicked: the tests click
                    # those on purpose. Each string is clicked once per screen and widget, to keep it short.
                    seen = (type(app.screen), type(widget), string, label.start())
                    if widget.focusable or seen in spy.clicked:
                        continue
                    spy.clicked.add(seen)
                    await pilot.click(offset=(at, y))
        await pilot.pause()
    spy.assert_quiet()
    return text


# --- answering any card, with the strings the answer side must show ---------------------------------------


def after_answer(card, given: str | None, right: bool, marked_in_place: bool = False) -> list[str]:
    """What the answer side shows for `card` when `given` (describe()d) was answered (its back does not repeat
    an answer the widget marks where it was given)."""
    shown = [f"You answered: {given}"] if given and not right and not marked_in_place else []
    if card.kind == "cloze":
        shown.append(CLOZE_FULL)
    else:
        shown.append(f"Answer: {faces.expected_answer(card)}")
    if card.note.explain:
        shown.append(card.note.explain)
    if card.note.sources:
        shown.append(f"Source: {SOURCE}")
    return shown


async def click_text(pilot, text: str, last: bool = False) -> None:
    """Click the middle of `text` where the screen shows it (its last occurrence if `last`)."""
    found = places(screen_rows(pilot.app), text)
    assert found, f"{text!r} is not on screen"
    x, y = found[-1 if last else 0]
    await pilot.click(offset=(x + cell_len(text) // 2, y))


async def answer(pilot, screen, right: bool) -> list[str]:
    """Answer the screen's current card (wrongly unless `right`); returns what the answer side must show.
    Right answers to choice, multi and match cards are given with the mouse, clicking the hostile text."""
    widget = screen.query_one(AnswerWidget)
    card, note = widget.card, widget.card.note
    given: object = None
    match card.kind:
        case "choice" if right:
            given = note.body.answer
            await click_text(pilot, note.body.answer)  # a click picks and answers
        case "multi" if right:
            given = frozenset(note.body.answers)
            for option in note.body.answers:
                await click_text(pilot, option)
            await pilot.press("enter")
        case "match" if right:
            given = dict(note.body.pairs)
            for left in widget.lefts:  # each click on a choice matches it to the next left item
                await click_text(pilot, given[left], last=True)
            await pilot.press("enter")
        case "basic" | "reverse":
            await pilot.press("space")
            right = True
        case "typed" | "cloze":
            if right:
                given = TYPED_ACCEPT if card.kind == "typed" else faces.expected_answer(card)
            else:
                given = TYPED_WRONG
            widget.query_one(Input).value = given
            await pilot.press("enter")
        case "choice":
            given = CHOICE_OPTIONS[1]
            await pilot.press(str(widget.values.index(given) + 1), "enter")
        case "truefalse":
            given = note.body.answer if right else not note.body.answer
            await pilot.press("t" if given else "f", "enter")
        case "multi":
            given = frozenset(MULTI_OPTIONS[2:])
            await pilot.press(*(str(widget.options.index(o) + 1) for o in given), "enter")
        case "order":
            given = note.body.items if right else tuple(widget.shuffled)  # never already in order
            await pilot.press(*(str(widget.shuffled.index(item) + 1) for item in given), "enter")
        case "match":
            pairs = dict(note.body.pairs)
            given = {left: next(r for r in widget.rights if r != pairs[left]) for left in widget.lefts}
            await pilot.press(*(str(widget.rights.index(given[left]) + 1) for left in widget.lefts), "enter")
    await pilot.pause()
    if right and card.kind not in ("basic", "reverse"):
        return ["✓ Correct", *after_answer(card, None, True)]
    return after_answer(card, describe(given) if given is not None else None, right, widget.marks_answer)


def study_expected(card) -> list[str]:
    return [*QUESTION[card.key], TOPIC_OF[card.topic]]


# --- the deck itself ------------------------------------------------------------------------------------


def test_the_deck_holds_the_hostile_strings_as_written() -> None:
    result = load_deck_file(DECK)
    assert result.problems == [] and result.deck is not None
    deck = result.deck
    notes = {note.id: note for note in deck.notes}
    assert (deck.id, deck.title, deck.description) == (DECK_ID, DECK_TITLE, DESCRIPTION)
    assert [(s.title, s.publisher) for s in deck.sources] == [(SOURCE, PUBLISHER)]
    assert [t.title for t in deck.topics] == [TOPIC1, TOPIC2]
    assert notes["basic"].tags == TAGS
    basic = notes["basic"]
    assert (basic.body.front, basic.body.back, basic.explain) == (BASIC_FRONT, BASIC_BACK, BASIC_EXPLAIN)
    assert (notes["rev"].body.front, notes["rev"].body.back) == (REV_FRONT, REV_BACK)
    assert notes["cz"].body.text == CLOZE_TEXT
    typed = notes["typed"]
    assert (typed.body.front, typed.body.answer, typed.body.accept, typed.explain) == (
        TYPED_FRONT,
        TYPED_ANSWER,
        (TYPED_ACCEPT,),
        TYPED_EXPLAIN,
    )
    assert (notes["choice"].body.front, notes["choice"].body.options) == (CHOICE_FRONT, CHOICE_OPTIONS)
    assert (notes["multi"].body.front, notes["multi"].body.options) == (MULTI_FRONT, MULTI_OPTIONS)
    assert notes["tf"].body.front == TF_FRONT
    assert (notes["order"].body.front, notes["order"].body.items) == (ORDER_FRONT, ORDER_ITEMS)
    assert (notes["match"].body.front, notes["match"].body.pairs) == (MATCH_FRONT, MATCH_PAIRS)
    assert [card.key for card in deck.cards] == ALL_KEYS
    for payload in PAYLOADS:  # each kind of hostile text is in several fields
        assert sum(payload in text for text in strings_of(replace(deck, cards=()))) >= 3, payload


def strings_of(value: object) -> list[str]:
    """Every str inside a deck (dataclasses, tuples), recursively."""
    if isinstance(value, str):
        return [value]
    if is_dataclass(value):
        return [s for f in fields(value) for s in strings_of(getattr(value, f.name))]
    if isinstance(value, tuple):
        return [s for item in value for s in strings_of(item)]
    return []


# --- the checks themselves ----------------------------------------------------------------------------


class LeakyScreen(Screen):
    """What a leak looks like: deck text handed to widgets as markup."""

    def compose(self) -> ComposeResult:
        yield Static("[@click=app.bell]ring[/] and [link='https://evil.example']a link[/link]", id="leaky")


async def test_the_checks_catch_a_real_leak(app_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    app = app_factory([DECK])
    async with watched(app, monkeypatch) as (pilot, spy):
        app.push_screen(LeakyScreen())
        await pilot.pause()
        assert {action for *_, action in leaks(app)} == {"app.bell", "https://evil.example"}
        with pytest.raises(AssertionError, match="not shown literally"):
            await shows_literally(pilot, spy, "[@click=app.bell]ring[/]", click=False)
        await pilot.click("#leaky", offset=(1, 0))
        assert spy.calls == ["action_bell"]


# --- home, study (review), summary and notices ------------------------------------------------------------


async def test_home_review_summary_and_notices(app_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    app = app_factory([DECK])
    store = app.context.store
    store.save_settings(replace(store.settings(), leech_threshold=1))
    # The basic card is a review card now due: forgetting it makes it a leech.
    store.set_state(DECK_ID, "basic", due_review_state())
    async with watched(app, monkeypatch) as (pilot, spy):
        home = app.screen
        assert isinstance(home, HomeScreen)
        rows = screen_rows(app)
        await shows_literally(pilot, spy, DECK_TITLE, TOPIC1, TOPIC2)
        # Clicking the hostile row titles only moves the highlight.
        x, y = places(rows, TOPIC1)[0]
        await pilot.click(offset=(x + 8, y))
        assert home.selected.key == f"{DECK_ID}\tt1"
        x, y = places(rows, DECK_TITLE)[0]
        await pilot.click(offset=(x + 5, y))
        assert home.selected.key == DECK_ID
        spy.assert_quiet()

        await pilot.press("enter")
        await pilot.pause()
        study = app.screen
        assert isinstance(study, StudyScreen)
        seen = []
        while study.session.current is not None:
            card = study.session.current
            seen.append(card.key)
            await shows_literally(pilot, spy, DECK_TITLE, *study_expected(card))
            shown = await answer(pilot, study, right=False)
            assert study.answering, card.key
            await shows_literally(pilot, spy, DECK_TITLE, *QUESTION[card.key], *shown)
            await pilot.press("1" if card.key == "basic" else "4")
            await pilot.pause()
            if card.key == "basic":
                assert store.state(DECK_ID, "basic").suspended
                await shows_literally(pilot, spy, toasts=("this card has been forgotten",))
        assert sorted(seen) == sorted(["basic", "rev", "cz/1", "typed", "choice", "multi", "tf", "order", "match"])
        assert len(store.reviews()) == len(seen)

        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        await shows_literally(pilot, spy, f"Session finished · {DECK_TITLE}", TOPIC1, TOPIC2)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is home
        await shows_literally(pilot, spy, DECK_TITLE, TOPIC1, TOPIC2)

        # Nothing left today: the notice names the deck and topic literally.
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is home
        notice = f"Nothing to study in {DECK_TITLE} › {TOPIC1} right now."
        await shows_literally(pilot, spy, toasts=(notice,))
        for toast in app.screen.query("Toast"):  # clicking a notice dismisses it, nothing more
            await pilot.click(toast)
        await pilot.pause()
        spy.assert_quiet()


async def test_practice_every_card_both_sides(app_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    app = app_factory([DECK])
    async with watched(app, monkeypatch) as (pilot, spy):
        await pilot.press("p")
        await pilot.pause()
        study = app.screen
        assert isinstance(study, StudyScreen) and study.session.mode is Mode.PRACTICE
        seen = []
        while study.session.current is not None:
            card = study.session.current
            seen.append(card.key)
            await shows_literally(pilot, spy, "PRACTICE", DECK_TITLE, *study_expected(card))
            shown = await answer(pilot, study, right=True)  # the typed card answered with its `accept`
            await shows_literally(pilot, spy, *QUESTION[card.key], *shown)
            if card.kind == "typed":
                assert study.session.verdict.correct
            await pilot.press("3")
            await pilot.pause()
        assert sorted(seen) == sorted(ALL_KEYS)
        assert isinstance(app.screen, SummaryScreen)
        await shows_literally(pilot, spy, f"Practice finished · {DECK_TITLE}", TOPIC1, TOPIC2)
        assert app.context.store.states(DECK_ID) == {}  # practice leaves the schedule alone


# --- exam: setup, run, results, mistakes ------------------------------------------------------------------


async def test_exam_setup_run_results_and_mistakes(app_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    app = app_factory([DECK])
    async with watched(app, monkeypatch) as (pilot, spy):
        await pilot.press("e")
        await pilot.pause()
        setup = app.screen
        assert isinstance(setup, ExamSetupScreen)
        await shows_literally(pilot, spy, f"Exam · {DECK_TITLE}", f"[x] {TOPIC1}", f"[x] {TOPIC2}")
        topics = setup.query_one("#topics", TickList)
        await click_text(pilot, TOPIC1)  # a click on the hostile title ticks and unticks, nothing more
        assert topics.selected == ["t2"]
        await click_text(pilot, TOPIC1)
        assert topics.selected == ["t1", "t2"]
        spy.assert_quiet()
        setup.query_one("#count", Input).value = "8"  # every question it can ask
        await pilot.press("ctrl+s")
        await pilot.pause()
        run = app.screen
        assert isinstance(run, ExamRunScreen)
        given_shows: dict[str, list[str]] = {}
        while run.exam.current is not None:
            card = run.exam.current
            await shows_literally(pilot, spy, "EXAM", DECK_TITLE, *QUESTION[card.key])
            given_shows[card.key] = await answer(pilot, run, right=False)
        assert sorted(given_shows) == sorted(EXAM_KEYS)

        results = app.screen
        assert isinstance(results, ExamResultsScreen)
        await shows_literally(pilot, spy, f"Exam results · {DECK_TITLE}", TOPIC1, TOPIC2, "0/8")
        for number, mistake in enumerate(results.mistakes, start=1):
            key = mistake.key
            await shows_literally(
                pilot, spy, f"Mistake {number} of 8", *QUESTION[key][:1], *given_shows[key], click=number < 3
            )
            await pilot.press("n")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is setup
        await shows_literally(pilot, spy, DECK_TITLE, "0/8")  # the past results list the exam

        # An exam on some topics is titled with their names.
        await pilot.press("space")  # untick the first topic
        setup.query_one("#count", Input).value = "1"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExamRunScreen)
        await shows_literally(pilot, spy, f"{DECK_TITLE}: {TOPIC2}")
        await pilot.press("escape", "f")  # finish now: unanswered
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        await shows_literally(pilot, spy, f"Exam results · {DECK_TITLE}: {TOPIC2}", TOPIC2)
        await pilot.press("escape")
        await pilot.pause()
        await shows_literally(pilot, spy, f"{DECK_TITLE}: {TOPIC2}", f"[ ] {TOPIC1}")


# --- browse: table, search, card view with history, notices -----------------------------------------------


def question_of(app, key: str) -> str:
    return faces.question(app.context.library.card(DECK_ID, key))


async def test_browse_search_card_view_and_notices(app_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    app = app_factory([DECK, UI_DECK])  # two decks: the deck column shows too
    context = app.context
    deck = context.library.deck(DECK_ID)
    session = StudySession(
        context.store, context.scheduler(), context.clock, [deck], Scope((DECK_ID,)), Mode.REVIEW, seed=1
    )
    assert session.current.key == "basic"
    session.answer(None)
    session.grade(Grade.GOOD)  # the basic card has a history
    async with watched(app, monkeypatch) as (pilot, spy):
        await pilot.press("b")
        await pilot.pause()
        browse = app.screen
        assert isinstance(browse, BrowseScreen)
        table = browse.query_one(DataTable)
        questions = [question_of(app, key) for key in ALL_KEYS]
        await shows_literally(pilot, spy, *questions, DECK_TITLE[:15], ", ".join(TAGS)[:15])
        for key in ALL_KEYS:  # narrow columns end in …, but every cell holds the whole text, as Text
            assert table.get_cell(row_ident(DECK_ID, key), "deck").plain == DECK_TITLE
            assert table.get_cell(row_ident(DECK_ID, key), "tags").plain == (", ".join(TAGS) if key == "basic" else "")

        # Searching for markup-looking text finds it literally.
        await pilot.press("slash")
        browse.query_one(Input).value = "[red"
        await pilot.pause()
        await shows_literally(pilot, spy, "[red", REV_BACK, ORDER_FRONT)
        browse.query_one(Input).value = "[link=unquoted"
        await pilot.pause()
        await shows_literally(pilot, spy, "[link=unquoted", REV_FRONT)
        browse.query_one(Input).value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert table.has_focus and table.row_count == 11 + 11

        # Every card opened: its content in full, literally.
        for key in ALL_KEYS:
            card = context.library.card(DECK_ID, key)
            table.move_cursor(row=table.get_row_index(row_ident(DECK_ID, key)))
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, CardScreen)
            expected = [DECK_TITLE, TOPIC_OF[card.topic], faces.question(card)]
            expected += faces.full_text(card).split("\n")
            if card.kind in ("choice", "multi"):
                expected += [f"• {option}" for option in card.note.body.options]
            if key == "basic":
                expected += [", ".join(TAGS), BASIC_EXPLAIN, f"• {SOURCE} ({PUBLISHER})", "Good"]  # Good: history
            await shows_literally(pilot, spy, *expected)
            await pilot.press("escape")
            await pilot.pause()
        assert app.screen is browse

        # Suspend and reset: the notices and the question quote the card literally.
        table.move_cursor(row=table.get_row_index(row_ident(DECK_ID, "basic")))
        await pilot.press("s")
        await shows_literally(pilot, spy, toasts=(f"Suspended: {BASIC_FRONT}",))
        assert context.store.state(DECK_ID, "basic").suspended
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await shows_literally(pilot, spy, BASIC_FRONT)
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is browse
        await shows_literally(pilot, spy, toasts=(f"Reset (new again, history kept): {BASIC_FRONT}",))
        assert context.store.state(DECK_ID, "basic") is None
        assert len(context.store.reviews(deck_id=DECK_ID, card_key="basic")) == 1

        # Clicking a hostile cell: the first click highlights its row, the second opens it.
        rows = screen_rows(app)
        x, y = places(rows, TF_FRONT)[0]
        await pilot.click(offset=(x + 3, y))
        await pilot.click(offset=(x + 3, y))
        await pilot.pause()
        assert isinstance(app.screen, CardScreen) and app.screen.card.key == "tf"
        await shows_literally(pilot, spy, TF_FRONT)


# --- stats, settings, help ---------------------------------------------------------------------------------


async def test_stats_settings_and_help(app_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    app = app_factory([DECK])
    async with watched(app, monkeypatch) as (pilot, spy):
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        await shows_literally(pilot, spy, "1 deck, 11 cards")
        await pilot.press("5")  # the topics chart labels its bars with the topic titles
        await shows_literally(pilot, spy, TOPIC1, TOPIC2)
        for key in "1234":
            await pilot.press(key)
            await shows_literally(pilot, spy)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("comma")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await shows_literally(pilot, spy, "Desired retention")
        typed = "[link=unquoted [@click=app.quit]x[/]"  # what the user types is shown literally too
        app.screen.query_one("#set-learning_steps_minutes", Input).value = typed
        await pilot.press("ctrl+s")
        said = f"✗ Learning steps: {typed} is not a list of minutes"
        await shows_literally(pilot, spy, said, toasts=("Not saved: 1 setting to fix.",))
        assert app.context.store.settings().learning_steps_minutes == (1.0, 10.0)
        await pilot.press("escape", "escape")  # warned about the unsaved change, then leaves
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await shows_literally(pilot, spy, "Now, on Home")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        spy.assert_quiet()


# --- control characters and broken decks ------------------------------------------------------------------


def assert_no_control(app) -> None:
    assert unsafe_in(app.export_screenshot()) == []


async def test_control_characters_show_the_placeholder(app_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    app = app_factory([ESCAPES])
    async with watched(app, monkeypatch) as (pilot, spy):
        await shows_literally(pilot, spy, f"Title {PLACEHOLDER}]0;pwned{PLACEHOLDER}", f"Topic {PLACEHOLDER}evil")
        assert_no_control(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        await shows_literally(pilot, spy, f"Front {PLACEHOLDER}]52;c;cm0gLXJmIH4={PLACEHOLDER}\\")
        await pilot.press("space")
        await shows_literally(pilot, spy, f"Back {PLACEHOLDER}2J{PLACEHOLDER} overwritten", f"Explain {PLACEHOLDER}")
        assert_no_control(app)
        await pilot.press("escape", "escape", "b")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        await shows_literally(pilot, spy, f"Cloze [hint{PLACEHOLDER}]", f"tag{PLACEHOLDER}[5m")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardScreen)
        await shows_literally(pilot, spy, f"Source {PLACEHOLDER}]8;;http://evil.example{PLACEHOLDER}\\link")
        assert_no_control(app)


async def test_a_broken_deck_and_odd_paths_are_reported_literally(
    tmp_path: Path, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "[red [link=unquoted"  # the data folder (and so the deck folder) named like markup
    bad = tmp_path / "[@click=app.quit]bad [red.yaml"
    bad.write_text("deck: bad\ntitle: Bad\ncards:\n  - {id: x, kind: '[@click=app.quit]quit[/] [link=unquoted'}\n")
    app = make_app(folder, clock, [DECK, bad])
    try:
        async with watched(app, monkeypatch) as (pilot, spy):
            assert app.context.library.broken
            kind = "'[@click=app.quit]quit[/] [link=unquoted'"  # whole on the row the long line wraps to
            await shows_literally(pilot, spy, "could not be loaded", bad.name, kind, str(app.context.user_deck_dir))
            await pilot.press("r")
            await shows_literally(pilot, spy, bad.name, toasts=("1 with problems",))
            app.clear_notifications()  # the toast sits over the end of the problem's line
            await shows_literally(pilot, spy, bad.name, kind)
    finally:
        app.context.close()
