"""Per-field limits of the deck validator: text at a limit loads, one character (line, gap, entry) more is a
positioned error saying how to fix it. The limits themselves are quiz.core.decks' constants."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.core import cloze
from quiz.core.cloze import MAX_GAPS
from quiz.core.decks import load_deck_file
from quiz.core.fieldreader import (
    ANSWER,
    CARD_TEXT,
    DESCRIPTION,
    ID,
    MAX_LIST,
    PUBLISHER,
    SOURCE_TITLE,
    TAG,
    TITLE,
    URL,
    Limit,
)
from quiz.core.kinds import KINDS

SHIPPED = Path(__file__).parents[2] / "decks"
TEST_DECKS = Path(__file__).parents[1] / "data"


def deck(title: str = "'T'", description: str = "'D'", card: str = "{id: c, kind: basic, front: q, back: a}") -> str:
    """A deck whose title, description and one card are given as YAML flow values (line 7 is the card)."""
    return (
        f"deck: d\ntitle: {title}\ndescription: {description}\n"
        "sources: [{id: s, title: S}]\ntopics: [{id: t, title: Topic}]\n"
        f"cards:\n  - {card}\n"
    )


def quoted(length: int, lines: int = 1) -> str:
    """A double-quoted YAML string of `length` characters (its line breaks included) on `lines` lines."""
    letters = length - (lines - 1)
    body = ["x" * (letters // lines)] * lines
    body[-1] += "x" * (letters - sum(map(len, body)))
    return '"' + "\\n".join(body) + '"'


def card(**fields: str) -> str:
    return "{" + ", ".join(f"{name}: {value}" for name, value in fields.items()) + "}"


# name, the deck with `text` (a quoted YAML string) put in that field, the field's limit, line of the field
FIELDS = {
    "title": (lambda text: deck(title=text), TITLE, 2),
    "description": (lambda text: deck(description=text), DESCRIPTION, 3),
    "front": (lambda text: deck(card=card(id="c", kind="basic", front=text, back="a")), CARD_TEXT, 7),
    "back": (lambda text: deck(card=card(id="c", kind="basic", front="q", back=text)), CARD_TEXT, 7),
    "explain": (lambda text: deck(card=card(id="c", kind="basic", front="q", back="a", explain=text)), CARD_TEXT, 7),
    "answer": (lambda text: deck(card=card(id="c", kind="typed", front="q", answer=text)), ANSWER, 7),
    "accept item": (
        lambda text: deck(card=card(id="c", kind="typed", front="q", answer="a", accept=f"[{text}]")),
        ANSWER,
        7,
    ),
    "options item": (
        lambda text: deck(card=card(id="c", kind="choice", front="q", options=f"[{text}, b]", answer="b")),
        ANSWER,
        7,
    ),
    "items item": (lambda text: deck(card=card(id="c", kind="order", front="q", items=f"[{text}, b]")), ANSWER, 7),
    "pairs right side": (
        lambda text: deck(card=card(id="c", kind="match", front="q", pairs=f"{{a: {text}, b: c}}")),
        ANSWER,
        7,
    ),
    "tags item": (lambda text: deck(card=card(id="c", kind="basic", front="q", back="a", tags=f"[{text}]")), TAG, 7),
}
SOURCE_FIELDS = {"title": SOURCE_TITLE, "publisher": PUBLISHER, "url": URL}


def load(tmp_path: Path, text: str):
    path = tmp_path / "deck.yaml"
    path.write_text(text, encoding="utf-8")
    return load_deck_file(path)


@pytest.mark.parametrize("name", list(FIELDS))
def test_a_field_at_its_limit_loads(tmp_path: Path, name: str) -> None:
    make, limit, _ = FIELDS[name]
    result = load(tmp_path, make(quoted(limit.chars, limit.lines or 2)))
    assert result.ok, [str(p) for p in result.problems]


@pytest.mark.parametrize("name", list(FIELDS))
def test_a_field_over_its_length_is_a_positioned_error(tmp_path: Path, name: str) -> None:
    make, limit, line = FIELDS[name]
    result = load(tmp_path, make(quoted(limit.chars + 1, limit.lines or 2)))
    assert result.deck is None
    [problem] = result.problems
    assert problem.message == f"'{name}' is {limit.chars + 1:,} characters long; at most {limit.chars:,}"
    assert problem.line == line and problem.column > 1
    in_card = line == 7
    assert problem.hint == ("shorten it, or split the card in two" if in_card else "shorten it")
    assert str(problem).startswith(f"{tmp_path / 'deck.yaml'}:{line}:{problem.column}:")


@pytest.mark.parametrize("name", [name for name, (_, limit, _) in FIELDS.items() if limit.lines is not None])
def test_a_field_over_its_lines_is_a_positioned_error(tmp_path: Path, name: str) -> None:
    make, limit, line = FIELDS[name]
    result = load(tmp_path, make(quoted(limit.lines + 1, limit.lines + 1)))
    assert result.deck is None
    [problem] = result.problems
    if limit.lines == 1:
        assert problem.message == f"'{name}' must be one line; it has 2 lines"
        assert problem.hint == "write it on one line"
    else:
        assert problem.message == f"'{name}' has {limit.lines + 1:,} lines; at most {limit.lines:,}"
    assert problem.line == line


def test_a_block_scalars_last_line_break_is_not_a_line(tmp_path: Path) -> None:
    result = load(tmp_path, deck(title="|\n  One title"))
    assert result.ok and result.deck.title == "One title\n"


@pytest.mark.parametrize(("name", "limit"), list(SOURCE_FIELDS.items()))
def test_source_fields_have_their_limits(tmp_path: Path, name: str, limit: Limit) -> None:
    def make(text: str) -> str:
        return deck().replace("sources: [{id: s, title: S}]", f"sources: [{{id: s, title: S, {name}: {text}}}]")

    make_title = make if name != "title" else (lambda text: deck().replace("title: S}", f"title: {text}}}"))
    assert load(tmp_path, make_title(quoted(limit.chars))).ok
    [problem] = load(tmp_path, make_title(quoted(limit.chars + 1))).problems
    assert problem.message == f"'{name}' is {limit.chars + 1:,} characters long; at most {limit.chars:,}"
    assert problem.line == 4


def test_an_id_says_what_an_id_may_be(tmp_path: Path) -> None:
    [problem] = load(tmp_path, deck(card=card(id="i" * (ID.chars + 1), kind="basic", front="q", back="a"))).problems
    assert problem.message == f"'id' is {ID.chars + 1} characters long; at most {ID.chars}"


def cloze_deck(gaps: int) -> str:
    return deck(card=card(id="c", kind="cloze", text='"' + " and ".join(f"{{{{w{i}}}}}" for i in range(gaps)) + '"'))


def test_cloze_gaps_are_bounded(tmp_path: Path) -> None:
    result = load(tmp_path, cloze_deck(MAX_GAPS))
    assert result.ok and len(result.deck.cards) == MAX_GAPS
    [problem] = load(tmp_path, cloze_deck(MAX_GAPS + 1)).problems
    assert problem.message == f"the cloze has {MAX_GAPS + 1} gaps; at most {MAX_GAPS}"
    assert problem.hint == "split it into several cards" and problem.card_id == "c" and problem.line == 7


def test_a_hundred_thousand_gaps_are_refused_at_once(tmp_path: Path) -> None:
    """Reported: a 1.1 MB note with 100,000 gaps loaded as 100,000 cards, and Browse never opened."""
    [problem] = load(tmp_path, cloze_deck(100_000)).problems
    assert "characters long; at most 10,000" in problem.message


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("tags", lambda items: card(id="c", kind="basic", front="q", back="a", tags=items)),
        ("sources", lambda items: card(id="c", kind="basic", front="q", back="a", sources=items)),
        ("accept", lambda items: card(id="c", kind="typed", front="q", answer="a", accept=items)),
    ],
)
def test_lists_on_a_card_are_bounded(tmp_path: Path, name: str, make) -> None:
    def entries(count: int) -> str:
        return "[" + ", ".join("s" if name == "sources" else f"e{i}" for i in range(count)) + "]"

    assert load(tmp_path, deck(card=make(entries(MAX_LIST)))).ok
    [problem] = load(tmp_path, deck(card=make(entries(MAX_LIST + 1)))).problems
    assert problem.message == f"'{name}' has {MAX_LIST + 1} entries; at most {MAX_LIST}"
    assert problem.line == 7 and problem.hint


def test_a_title_of_a_hundred_thousand_lines_is_refused(tmp_path: Path) -> None:
    """Reported: such a title filled the home screen (which now draws a title on one line, as it draws a
    title holding a line break or two: only its length is bounded)."""
    [problem] = load(tmp_path, deck(title='"' + "T\\n" * 100_000 + '"')).problems
    assert str(problem) == (
        f"{tmp_path / 'deck.yaml'}:2:8: 'title' is 200,000 characters long; at most 200 — shorten it"
    )
    assert load(tmp_path, deck(title='"Two\\nlines"')).ok


def every_deck_file() -> list[Path]:
    return sorted(SHIPPED.rglob("*.yaml")) + [TEST_DECKS / "ui_deck.yaml", TEST_DECKS / "browse_deck.yaml"]


@pytest.mark.parametrize("path", every_deck_file(), ids=lambda p: p.name)
def test_real_decks_use_a_small_part_of_every_limit(path: Path) -> None:
    """The limits are for hostile files: the decks we ship and test with use at most a quarter of each."""
    result = load_deck_file(path)
    assert result.ok
    loaded = result.deck
    texts: list[tuple[str, Limit]] = [(loaded.title, TITLE), (loaded.description, DESCRIPTION)]
    texts += [(topic.title, TITLE) for topic in loaded.topics]
    texts += [(getattr(s, name), limit) for s in loaded.sources for name, limit in SOURCE_FIELDS.items()]
    for note in loaded.notes:
        own = KINDS[note.kind].field_values(note)
        texts += [(own.get(name, ""), CARD_TEXT) for name in ("front", "back", "text")] + [(note.explain, CARD_TEXT)]
        if note.kind != "truefalse":
            texts.append((str(own.get("answer", "")), ANSWER))
        texts += [(item, ANSWER) for name in ("accept", "options", "answers", "items") for item in own.get(name, ())]
        texts += [(side, ANSWER) for pair in own.get("pairs", ()) for side in pair]
        texts += [(tag, TAG) for tag in note.tags]
        assert max(len(note.tags), len(note.sources), len(own.get("accept", ()))) * 4 <= MAX_LIST
        if note.kind == "cloze":
            assert len(cloze.find_gaps(note.body.text)) * 4 <= MAX_GAPS
    for text, limit in texts:
        assert len(text) * 4 <= limit.chars, text
        assert limit.lines is None or text.count("\n") + 1 <= max(1, limit.lines // 4), text
