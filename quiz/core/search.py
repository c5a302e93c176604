"""Browse's search, in Anki's grammar: words, "exact phrases", -negation, `or`, parentheses, and filters.

    dog cat          both words (anywhere in question, answer, explanation, options, deck, topic, tags, id)
    dog or cat       either;  -dog  not;  (dog or cat) -bird  grouped;  "side effect"  the phrase;  d*g  wildcard
    is:due is:new is:learn is:review is:suspended is:buried is:leech
                                    is:due: as Anki, learning cards due within the learn-ahead limit too
    deck:NAME topic:NAME tag:NAME   the whole name (case ignored), `*` for any run of characters;
                                    tag:a also finds a's children a::b, and deck:a a's topics, as in Anki;
                                    deck:DECK::TOPIC::SUB a topic, named as the Anki subdecks it came from,
                                    deck:DECK::TOPIC::* the topics an import nested under it
    flag:N  (0 = no flag, 1-7)      prop:due<=3 prop:lapses>2 prop:reps=0 prop:s>=10 prop:d<5
    rated:N                         answered in the last N study days (1 = today)

A query is parsed once into a function that filters a list of `BrowseRow`s: the parts of an AND run
cheapest first (name filters, then the states a row holds as plain values, words, wildcards, and the
filters that compute something per row), each on the rows the parts before it kept, so 100,000 rows are
scanned once and the costlier tests see only what is left. A mistake raises
`SearchError` with the position it is at and how to fix it, so the screen can say so instead of listing
nothing.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import compress
from operator import attrgetter

from quiz.core.anki.model import SUBDECK_JOIN, deck_name
from quiz.core.browse_data import BrowseRow, search_form
from quiz.core.clock import day_end, study_day, study_days_after, window_start
from quiz.core.studyqueue import LEARN_AHEAD
from quiz.core.wildcard import wildcard_fullmatch, wildcard_search

Predicate = Callable[[BrowseRow], bool]  # one row: does it match?
Select = Callable[[list[BrowseRow]], list[BrowseRow]]  # the rows among these that match, in their order

FILTERS = ("is", "deck", "topic", "tag", "flag", "prop", "rated")
IS_VALUES = ("due", "new", "learn", "review", "suspended", "buried", "leech")
PROPERTIES = {  # prop:NAME -> what it compares (None when the card has no such value)
    "due": "due_days",
    "lapses": "lapses",
    "reps": "reps",
    "s": "stability",
    "d": "difficulty",
}
_COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "!=": operator.ne,
    "=": operator.eq,
    "<": operator.lt,
    ">": operator.gt,
}
_PROP = re.compile(r"([a-z]+)(<=|>=|!=|=|<|>)(-?\d+(?:\.\d+)?)$")
_FILTER_NAME = re.compile(r"([A-Za-z]+):")


class SearchError(ValueError):
    """A query that cannot be run: `position` is the character it is at (0-based)."""

    def __init__(self, message: str, position: int, hint: str = "") -> None:
        super().__init__(message)
        self.message, self.position, self.hint = message, position, hint

    def __str__(self) -> str:
        where = f"at character {self.position + 1}: "
        return where + self.message + (f"; {self.hint}" if self.hint else "")


@dataclass(frozen=True)
class SearchContext:
    """What filters need besides the rows: the time, the study day, and who was answered when."""

    now: datetime
    rollover_hour: int = 4
    answered_since: Callable[[datetime], set[str]] = lambda since: set()  # row idents answered since then


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "(", ")", "-", "or", "and", "term"
    text: str  # a term's text, its quotes removed
    position: int
    quoted: bool = False  # a term quoted as a whole ("foo:bar" is text, not a filter)


def _tokens(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    at, end = 0, len(query)
    while at < end:
        char = query[at]
        if char.isspace():
            at += 1
        elif char in "()":
            tokens.append(_Token(char, char, at))
            at += 1
        elif char == "-" and at + 1 < end and not query[at + 1].isspace():
            tokens.append(_Token("-", char, at))
            at += 1
        else:
            start, text, quotes = at, [], 0
            while at < end and not query[at].isspace() and query[at] not in "()":
                if query[at] == '"':  # a quoted part may hold spaces and parentheses
                    close = query.find('"', at + 1)
                    if close < 0:
                        raise SearchError("a quote is never closed", at, 'end the phrase with "')
                    text.append(query[at + 1 : close])
                    at, quotes = close + 1, quotes + 1
                else:
                    text.append(query[at])
                    at += 1
            word = "".join(text)
            keyword = word.casefold() if not quotes and word.casefold() in ("or", "and") else "term"
            whole = quotes == 1 and query[start] == '"' and query[at - 1] == '"'  # "foo:bar" is text
            tokens.append(_Token(keyword, word, start, whole))
    return tokens


class _Parser:
    """query := either ; either := both ('or' both)* ; both := one+ ; one := '-' one | '(' either ')' | term"""

    def __init__(self, query: str, context: SearchContext) -> None:
        self.tokens = _tokens(query)
        self.at = 0
        self.context = context
        self.query = query

    def parse(self) -> Select | None:
        if not self.tokens:
            return None
        select = self._either().select
        if self.at < len(self.tokens):  # only a stray ')' stops `_either` early
            raise SearchError("')' without a '(' before it", self.tokens[self.at].position, "remove it")
        return select

    def _peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _either(self) -> _Part:
        options = [self._both()]
        while (token := self._peek()) is not None and token.kind == "or":
            self.at += 1
            following = self._peek()
            if following is None or following.kind in (")", "or"):
                raise SearchError("'or' needs a search after it", token.position, "add one, or remove 'or'")
            options.append(self._both())
        if len(options) == 1:
            return options[0]
        return _Part(_any_of([option.select for option in options]), _GROUP)

    def _both(self) -> _Part:
        parts: list[_Part] = []
        while (token := self._peek()) is not None and token.kind not in (")", "or"):
            if token.kind == "and":
                self.at += 1
                continue
            parts.append(self._one())
        if not parts:
            token = self._peek()
            position = token.position if token else len(self.query)
            raise SearchError("nothing to search for here", position, "write a word or a filter")
        if len(parts) == 1:
            return parts[0]
        return _Part(_all_of([part.select for part in sorted(parts, key=_Part.order)]), _GROUP)

    def _one(self) -> _Part:
        token = self.tokens[self.at]
        self.at += 1
        if token.kind == "-":
            inner = self._one()
            return _Part(_none_of(inner.select), inner.cost)
        if token.kind == "(":
            inner = self._either()
            closing = self._peek()
            if closing is None or closing.kind != ")":
                raise SearchError("'(' is never closed", token.position, "add a ')'")
            self.at += 1
            return inner
        return _term(token, self.context)


# What a part of a query costs per row, cheapest first: an AND runs its parts in this order, each on the
# rows the previous ones kept (the order cannot change the result: no part has side effects). A name
# filter is one dict lookup per row; a state (is:, flag:) compares a value the row holds; a word
# scans the row's whole text (~420 characters); a wildcard looks for its pieces in it, one after another,
# in Python; prop: and rated: run Python code per row.
_NAMES, _STATES, _WORD, _PATTERN, _FIELDS, _GROUP = range(6)


@dataclass(frozen=True, slots=True)
class _Part:
    select: Select
    cost: int
    narrows: int = 0  # among parts of one cost, the higher runs first: a longer word is usually rarer

    def order(self) -> tuple[int, int]:
        return self.cost, -self.narrows


def _where(predicate: Predicate) -> Select:
    return lambda rows: [row for row in rows if predicate(row)]


def _all_of(selects: list[Select]) -> Select:
    def select(rows: list[BrowseRow]) -> list[BrowseRow]:
        for part in selects:
            rows = part(rows)
        return rows

    return select


def _any_of(selects: list[Select]) -> Select:
    def select(rows: list[BrowseRow]) -> list[BrowseRow]:
        chosen: set[int] = set()
        for option in selects:
            chosen.update(map(id, option(rows)))
        return [row for row in rows if id(row) in chosen]

    return select


def _none_of(inner: Select) -> Select:
    def select(rows: list[BrowseRow]) -> list[BrowseRow]:
        excluded = set(map(id, inner(rows)))
        return [row for row in rows if id(row) not in excluded]

    return select


def _term(token: _Token, context: SearchContext) -> _Part:
    text = search_form(token.text)  # a filter typed with an input method left on (ｔａｇ：) is that filter
    named = None if token.quoted else _FILTER_NAME.match(text)
    if named is None:
        return _text(text)
    name, value = named.group(1), text[named.end() :]
    if name not in FILTERS:
        raise SearchError(
            f"unknown filter '{name}:'",
            token.position,
            f'use one of {", ".join(f + ":" for f in FILTERS)}, or quote text that has a colon: "{token.text}"',
        )
    if not value:
        raise SearchError(f"'{name}:' needs a value", token.position, _EXAMPLES[name])
    if name in _NAME_FIELDS:
        return _names(value, _NAME_FIELDS[name], children=name in ("tag", "deck"), deck=name == "deck")
    if name == "is":
        return _Part(_is(value, token.position, context), _STATES)
    if name == "flag":
        return _Part(_flag(value, token.position), _STATES)
    return _Part(_where(_FILTER_BUILDERS[name](value, token.position, context)), _FIELDS)


def _containing(word: str) -> Select:
    return lambda rows: [row for row in rows if word in row.haystack]


def _text(word: str) -> _Part:
    """A word (or phrase) anywhere in the row's text; `*` stands for any run of characters in one line."""
    inner = word.strip("*")  # a `*` at either end adds nothing to "somewhere in the text"
    if "*" not in inner:
        return _Part(_containing(inner), _WORD, len(inner))
    found_in = wildcard_search(inner)  # both sides in their search form: compared as they are
    return _Part(lambda rows: [row for row in rows if found_in(row.haystack)], _PATTERN)


def _is(value: str, position: int, context: SearchContext) -> Select:
    # each a comprehension reading one slot: faster in CPython 3.11 than calling a predicate per row, or
    # than compress() over map()s
    value = value.casefold()
    if value == "due":
        return _due(context)
    if value in ("learn", "learning"):
        return lambda rows: [row for row in rows if row.stage == "learning"]
    if value in ("new", "review"):
        return lambda rows: [row for row in rows if row.stage == value]
    if value == "suspended":
        return lambda rows: [row for row in rows if row.suspended]
    if value == "buried":
        return lambda rows: [row for row in rows if row.buried]
    if value == "leech":
        return lambda rows: [row for row in rows if row.leech]
    raise SearchError(f"unknown state 'is:{value}'", position, f"use is:{', is:'.join(IS_VALUES)}")


def _due(context: SearchContext) -> Select:
    """Review cards due before the study day ends, and learning cards due within the learn-ahead limit (as
    in Anki: the ones a session would show now), neither suspended nor buried."""
    end = day_end(context.now, context.rollover_hour).timestamp()
    ahead = (context.now + LEARN_AHEAD).timestamp()
    soon = max(end, ahead)  # `due_at` is inf for a card never due now: most rows stop at this comparison
    return lambda rows: [
        row
        for row in rows
        if row.due_at <= soon and (row.due_at <= ahead if row.stage == "learning" else row.due_at < end)
    ]


_NAME_FIELDS = {  # filter: a row's names it looks at, as one tuple
    "deck": attrgetter("deck_id", "deck_title", "topic", "topic_title"),  # read by _deck_names
    "topic": attrgetter("topic", "topic_title"),
    "tag": attrgetter("tags"),
}


class _Verdicts(dict[tuple[str, ...], bool]):
    """Whether a tuple of names matches, worked out once per distinct tuple: 100,000 cards carry a few
    hundred distinct tag sets, decks and topics, so a name filter is one dict lookup per row."""

    def __init__(self, matches: Callable[[tuple[str, ...]], bool]) -> None:
        super().__init__()
        self.matches = matches

    def __missing__(self, names: tuple[str, ...]) -> bool:
        verdict = self[names] = self.matches(names)
        return verdict


def _deck_names(listed: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A card's deck as Anki names it (`deck_name`: one line, single spaces), by the deck's id or title, and in a
    topic, the Anki names of the topic's subdeck: as quiz's export names it (`Spanish::Verbs / Irregular`), and
    as the Anki deck an import made the topic "Verbs / Irregular" from (`Spanish::Verbs::Irregular`), so that a
    deck: search typed as in Anki finds it. Returned as (every name, the names a search's `::` children are
    looked for in): an Anki deck's own name may hold " / " (`Ser / Estar`, beside a deck `Ser`), and a topic's
    title does not tell which it is, so a topic is found through its " / " only by a name that goes past it
    (`deck:Spanish::Verbs::Irregular`), never as a child (`deck:Spanish::Ser` is the topic Ser alone)."""
    deck_id, title, topic, topic_title = listed
    decks = (deck_id, deck_name(title))
    if not topic:
        return decks, decks
    exported = deck_name(topic_title)
    named = (*decks, *(f"{deck}::{name}" for deck in decks for name in (topic, exported)))
    if SUBDECK_JOIN not in exported:
        return named, named
    nested = "::".join(exported.split(SUBDECK_JOIN))
    return (*named, *(f"{deck}::{nested}" for deck in decks)), named


def _names(
    pattern: str, names: Callable[[BrowseRow], tuple[str, ...]], children: bool = False, deck: bool = False
) -> _Part:
    """Rows one of whose names is the whole pattern (or, with `children`, its `::` child; `deck`: the names
    _deck_names gives, the pattern spaced as they are)."""
    pattern = search_form(deck_name(pattern) if deck else pattern)
    whole = wildcard_fullmatch(pattern)
    child = wildcard_fullmatch(pattern + "::*") if children else None

    def matches(listed: tuple[str, ...]) -> bool:
        every, parents = _deck_names(listed) if deck else (listed, listed)
        if any(map(whole, map(search_form, every))):
            return True
        return child is not None and any(map(child, map(search_form, parents)))

    verdict = _Verdicts(matches).__getitem__
    return _Part(lambda rows: list(compress(rows, map(verdict, map(names, rows)))), _NAMES)  # no Python per row


def _flag(value: str, position: int) -> Select:
    if not (value.isdigit() and int(value) <= 7):
        raise SearchError(f"'flag:{value}' is not a flag", position, "use flag:0 (no flag) to flag:7")
    wanted = int(value)
    return lambda rows: [row for row in rows if row.flag == wanted]


def _prop(value: str, position: int, context: SearchContext) -> Predicate:
    found = _PROP.match(value.casefold())
    if found is None or found.group(1) not in PROPERTIES:
        raise SearchError(f"'prop:{value}' cannot be read", position, _EXAMPLES["prop"])
    name, compare, number = found.group(1), _COMPARISONS[found.group(2)], float(found.group(3))
    if name == "due":
        rollover, today = context.rollover_hour, study_day(context.now, context.rollover_hour)

        def due_days(row: BrowseRow) -> float | None:  # whole study days from today; 0 = due today
            return None if row.due is None else study_days_after(row.due, today, rollover)

        return lambda row: (days := due_days(row)) is not None and compare(days, number)
    field = PROPERTIES[name]
    return lambda row: (got := getattr(row, field)) is not None and compare(got, number)


def _rated(value: str, position: int, context: SearchContext) -> Predicate:
    if not (value.isdigit() and 0 < int(value) <= 36500):
        raise SearchError(f"'rated:{value}' needs a number of days", position, "rated:1 is today, rated:7 a week")
    since = window_start(context.now, int(value), context.rollover_hour)
    answered = context.answered_since(since)
    return lambda row: row.ident in answered


_FILTER_BUILDERS: dict[str, Callable[[str, int, SearchContext], Predicate]] = {  # the filters computed per row
    "prop": _prop,
    "rated": _rated,
}
_EXAMPLES = {
    "is": f"e.g. is:{', is:'.join(IS_VALUES)}",
    "deck": "e.g. deck:ketamine or deck:ket*",
    "topic": "e.g. topic:mechanisms or topic:mech*",
    "tag": "e.g. tag:nmda or tag:nmda*",
    "flag": "e.g. flag:1 (red) or flag:0 (no flag)",
    "prop": "e.g. prop:due<=3, prop:lapses>2, prop:reps=0, prop:s>=10 (stability, days), prop:d<5 (difficulty)",
    "rated": "e.g. rated:1 (today) or rated:7 (the last week)",
}


def compile_query(query: str, context: SearchContext) -> Select | None:
    """The query as a function from rows to the rows that match, in their order (None: no condition, every
    row); SearchError if it is malformed."""
    return _Parser(query, context).parse()


def search_rows(rows: list[BrowseRow], query: str, context: SearchContext) -> list[BrowseRow]:
    select = compile_query(query, context)
    return list(rows) if select is None else select(rows)
