"""Property tests over the deck loader: whatever the bytes, the answer is a deck or positioned errors.

Inputs that could take the interpreter down (deep nesting, which kills libyaml's composer) are parsed in
a child process, so a crash shows as a failed test rather than a dead test run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.core.deckfile import LoadResult
from quiz.core.decks import parse_deck
from quiz.core.problems import errors
from quiz.core.text import sanitize
from tests.core.test_hostile_decks import _strings
from tests.untrusted import UNSAFE

ROOT = Path(__file__).resolve().parents[2]
# QUIZ_FUZZ_EXAMPLES=20000 runs a long, random (not derandomized) search; the default is quick and repeatable.
EXAMPLES = int(os.environ.get("QUIZ_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=EXAMPLES or 150,
    derandomize=not EXAMPLES,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

VALID = b"""deck: d
title: T
sources:
  - {id: s, title: Source}
topics:
  - {id: t, title: Topic}
cards:
  - {id: a, kind: basic, topic: t, tags: [x], front: F, back: B, sources: [s], explain: E}
  - {id: b, kind: cloze, text: "an {{NMDA}} receptor {{antagonist::what}}"}
  - {id: c, kind: choice, front: Pick, options: [x, y], answer: x}
  - {id: d, kind: truefalse, front: S, answer: false}
  - {id: e, kind: order, front: O, items: [one, two]}
  - {id: f, kind: match, front: M, pairs: {l1: r1, l2: r2}}
  - {id: g, kind: typed, front: Y, answer: "2019", accept: [twenty-nineteen]}
  - {id: h, kind: multi, front: P, options: [p, q, r], answers: [p, r]}
  - {id: i, kind: reverse, front: F, back: B}
"""

FRAGMENTS = [
    "deck: d\n", "title: T\n", "cards:\n", "  - ", "    ", "id: a\n", "kind: basic\n", "front: ", "back: ",
    "[", "]", "{", "}", ",", ":", ": ", "- ", "? ", "\n", "  ", "\t", "#", "'", '"', "\\", "|", ">", "!",
    "&a ", "*a", "<<: ", "!!python/object/apply:os.system [x]", "!!binary ", "---\n", "...\n", "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n", "2019-02-30", "0x1F", "1e999", "~", "yes", "no", ".nan", "\\e]52;c;x\\a", "\\x9b",
    "\\u202e", "\u202e", "\x1b", "\x00", "\x85", "\u2028", "\ufeff", "é", "💥", "{{gap}}", "\r\n",
]  # fmt: skip


def assert_deck_or_positioned_errors(result: LoadResult) -> None:
    assert isinstance(result, LoadResult)
    if result.deck is None:
        assert errors(result.problems), "no deck and no error"
    else:
        assert not errors(result.problems)
        for text in _strings(result.deck):
            assert not UNSAFE.search(text), repr(text)
    for problem in result.problems:
        assert isinstance(problem.line, int) and isinstance(problem.column, int)
        assert problem.line >= 0 and problem.column >= 0
        assert problem.message and not UNSAFE.search(str(problem)), repr(str(problem))


@FUZZ
@given(st.binary(max_size=4096))
def test_any_bytes_give_a_deck_or_positioned_errors(data: bytes) -> None:
    assert_deck_or_positioned_errors(parse_deck(data, "fuzz.yaml"))


@FUZZ
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=80).map("".join))
def test_yaml_ish_text_gives_a_deck_or_positioned_errors(text: str) -> None:
    assert_deck_or_positioned_errors(parse_deck(text.encode("utf-8", "surrogatepass"), "fuzz.yaml"))


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(0, len(VALID)), st.integers(0, 12), st.sampled_from(FRAGMENTS + ["", " ", "x"])),
        min_size=1,
        max_size=6,
    )
)
def test_mutated_valid_deck_gives_a_deck_or_positioned_errors(edits: list[tuple[int, int, str]]) -> None:
    data = VALID
    for at, cut, insert in edits:
        data = data[:at] + insert.encode() + data[at + cut :]
    assert_deck_or_positioned_errors(parse_deck(data, "fuzz.yaml"))


# Any character but U+0085 (which PyYAML's own dumper writes raw and YAML reads as a line break) and lone surrogates.
TEXT = st.characters(exclude_characters="\x85", exclude_categories=["Cs"])  # surrogates: not text


@FUZZ
@given(
    st.text(TEXT, max_size=60),
    st.text(TEXT, max_size=60),
    st.lists(st.text(TEXT, max_size=20), min_size=2, max_size=4, unique=True),
)
def test_any_text_written_by_a_yaml_tool_loads_sanitized(front: str, back: str, items: list[str]) -> None:
    """Text of any characters, written out properly (escaped) by PyYAML, comes back exactly, made safe."""
    card = {"id": "a", "kind": "order", "front": front, "items": items, "explain": back}
    data = yaml.safe_dump({"deck": "d", "title": "T", "cards": [card]}, allow_unicode=True).encode()
    result = parse_deck(data, "fuzz.yaml")
    assert_deck_or_positioned_errors(result)
    clean = [sanitize(t)[0] for t in [front, back, *items]]
    if all(c.strip() for c in clean) and len(set(clean[2:])) == len(items):
        assert result.deck is not None, [str(p) for p in result.problems]
        note = result.deck.notes[0]
        assert [note.body.front, note.explain, *note.body.items] == clean
        changed = sum(sanitize(t)[1] for t in [front, back, *items])
        assert len([p for p in result.problems if p.severity == "warning"]) == changed


NESTING_UNITS = ["[", "{a: ", "- ", '[ "]", ', "[ ']', ", "? ", "!!seq [", "- &x ", "{? ", "[{a: [", "-\n" + " " * 2]

CHILD = """
import json, sys
from quiz.core.decks import parse_deck
out = []
for text in json.load(sys.stdin):
    r = parse_deck(text.encode("utf-8"), "deep.yaml")
    out.append([r.deck is not None, [(p.line, p.column, p.severity, p.message) for p in r.problems]])
print(json.dumps(out))
"""


@settings(max_examples=4 if not EXAMPLES else 40, deadline=None, derandomize=not EXAMPLES, database=None)
@given(
    st.lists(
        st.tuples(st.lists(st.sampled_from(NESTING_UNITS), min_size=1, max_size=3), st.integers(1, 40_000)),
        min_size=8,
        max_size=8,
    )
)
def test_deep_nesting_of_any_shape_never_kills_the_process(shapes: list[tuple[list[str], int]]) -> None:
    documents = ["".join(units) * count + "x" for units, count in shapes]
    proc = subprocess.run(
        [sys.executable, "-c", CHILD],
        input=json.dumps(documents),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-2000:])
    for (units, count), (has_deck, problems) in zip(shapes, json.loads(proc.stdout), strict=True):
        assert not has_deck
        assert problems and all(line >= 0 and column >= 0 for line, column, _, _ in problems)
        if count > 120 and "-\n  " not in units:
            assert any("nesting is deeper" in p[3] or "YAML syntax error" in p[3] for p in problems), problems
