"""Decks are files from strangers: whatever one holds, loading it gives a deck or positioned problems.

Nothing in a deck may run code, reach the terminal as a control sequence, expand without bound or take
the process down. The files in tests/data/hostile/ each try one thing; the deep-nesting documents that
would crash libyaml's own composer are generated and run in a subprocess.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from quiz.core import deckfile, yamlsafe
from quiz.core.decks import load_deck_file, parse_deck
from quiz.core.fieldreader import MAX_PROBLEMS
from quiz.core.problems import errors
from quiz.core.text import PLACEHOLDER, printable, sanitize
from tests.untrusted import UNSAFE

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ROOT / "tests" / "data" / "hostile"

# file, words every listed problem must contain (in one problem), the line of that problem
REJECTED = [
    ("python_apply.yaml", ["python/object/apply", "not allowed"], 6),
    ("python_apply.yaml", ["python/object/new", "not allowed"], 7),
    ("python_apply.yaml", ["python/object:builtins.dict", "not allowed"], 8),
    ("python_tag_in_unknown_field.yaml", ["unknown field 'extra'"], 3),
    ("billion_laughs.yaml", ["aliases (*a)", "not allowed"], 4),
    ("billion_laughs.yaml", ["anchors (&a)", "not allowed"], 3),
    ("anchor_in_unknown_field.yaml", ["anchors (&text)"], 4),
    ("anchor_in_unknown_field.yaml", ["aliases (*text)"], 6),
    ("merge_key.yaml", ["merge keys (<<)"], 6),
    ("duplicate_keys.yaml", ["duplicate field 'front'", "at line 8", "first at line 6"], 8),
    ("duplicate_pairs.yaml", ["'left' appears twice", "lines 8 and 10"], 10),
    ("tags_everywhere.yaml", ["binary", "not allowed"], 1),
    ("tags_everywhere.yaml", ["'!custom'", "not allowed"], 2),
    ("tags_everywhere.yaml", ["set", "not allowed"], 3),
    ("two_documents.yaml", ["more than one YAML document"], 4),
    ("not_a_mapping.yaml", ["must be a mapping"], 1),
    ("complex_keys.yaml", ["field name must be plain text"], 4),
    # what an editor's "ANSI" meant, and how to save it so: a Windows editor saved it
    ("invalid_utf8.yaml", ["not valid UTF-8", "byte 0xE9 here is 'é' in Windows-1252", "Encoding: UTF-8"], 2),
    ("utf16.yaml", ['saved as UTF-16 (Notepad\'s "Unicode"', "Encoding: UTF-8"], 1),
    # a program that writes UTF-16 with no mark: its NULs, valid UTF-8, were named as a character to remove
    ("utf16le_no_mark.yaml", ["saved as UTF-16 (without a byte-order mark)", "Encoding: UTF-8"], 1),
    ("utf16be_no_mark.yaml", ["saved as UTF-16 (without a byte-order mark)", "Encoding: UTF-8"], 1),
    ("nul_byte.yaml", ["U+0000", "does not allow"], 2),
    ("raw_escape.yaml", ["U+001B", "does not allow"], 2),
    ("raw_c1.yaml", ["U+009B", "does not allow"], 2),
    ("odd_scalars.yaml", ["'answer' must be true or false"], 7),
]


def _strings(value: object) -> list[str]:
    """Every string inside a deck value (dataclasses, tuples), however deep."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value):
        return [s for f in dataclasses.fields(value) for s in _strings(getattr(value, f.name))]
    if isinstance(value, tuple | list):
        return [s for item in value for s in _strings(item)]
    return []


@pytest.mark.parametrize(("name", "words", "line"), REJECTED)
def test_hostile_file_is_rejected_with_a_positioned_reason(name: str, words: list[str], line: int) -> None:
    result = load_deck_file(HOSTILE / name)
    assert result.deck is None and errors(result.problems)
    matching = [p for p in result.problems if all(w in str(p) for w in words)]
    assert matching, [str(p) for p in result.problems]
    assert matching[0].line == line and matching[0].column >= 1
    assert all(p.line >= 0 and p.column >= 0 for p in result.problems)


def test_every_text_field_is_sanitized_and_each_place_is_warned() -> None:
    result = load_deck_file(HOSTILE / "terminal_escapes.yaml")
    assert result.deck is not None, [str(p) for p in result.problems]
    deck = result.deck
    texts = _strings(deck)
    assert texts and not [t for t in texts if UNSAFE.search(t)]
    # every field that held an escape now shows the placeholder
    note = {n.id: n for n in deck.notes}
    shown = [
        deck.title,
        deck.description,
        deck.sources[0].title,
        deck.sources[0].publisher,
        deck.sources[0].url,
        deck.topics[0].title,
        note["basic"].body.front,
        note["basic"].body.back,
        note["basic"].explain,
        note["basic"].tags[0],
        note["cloze"].body.text,
        note["typed"].body.answer,
        note["typed"].body.accept[0],
        note["choice"].body.options[0],
        note["choice"].body.answer,
        note["multi"].body.options[0],
        note["multi"].body.answers[0],
        note["order"].body.items[0],
        note["match"].body.pairs[0][0],
        note["match"].body.pairs[0][1],
        note["match"].body.pairs[1][1],
    ]
    assert all(PLACEHOLDER in text for text in shown), shown
    assert note["choice"].body.answer in note["choice"].body.options  # sanitised the same way: still matches
    warnings = [p for p in result.problems if p.severity == "warning"]
    assert len(warnings) == len(shown)
    assert all("control or bidi characters" in w.message and w.line > 1 for w in warnings)
    assert "\n" in sanitize("a\nb\tc")[0] and "\t" in sanitize("a\tb")[0]  # layout characters stay


def test_raw_bidi_controls_are_replaced() -> None:
    result = load_deck_file(HOSTILE / "raw_bidi.yaml")
    assert result.deck is not None
    assert result.deck.title == PLACEHOLDER + "T"
    assert result.deck.notes[0].body.front == "x" + PLACEHOLDER + "y"


def test_problem_messages_and_paths_never_carry_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "evil\x1b]52;c;eA==\x07.yaml"
    path.write_text(
        'deck: d\ntitle: T\n"\\e]0;x\\a": 1\ncards:\n  - {id: "\\e[2J", kind: "\\x9b", front: f, back: b}\n'
        '  - {id: ok, kind: basic, "\\u202eevil": 1, front: f, back: b}\n',
        encoding="utf-8",
    )
    result = load_deck_file(path)
    assert result.deck is None and len(result.problems) >= 3
    for problem in result.problems:
        assert not UNSAFE.search(str(problem)), repr(str(problem))
    assert printable(str(path)) in str(result.problems[0])


def test_python_tags_never_construct_anything(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = (
        "deck: d\ntitle: T\ncards:\n"
        f'  - {{id: a, kind: basic, front: !!python/object/apply:os.system ["touch {marker}"], back: b}}\n'
        f'  - {{id: b, kind: basic, front: f, back: !!python/object/apply:subprocess.call [["touch", "{marker}"]]}}\n'
    )
    result = parse_deck(text.encode(), "t.yaml")
    assert result.deck is None and len(errors(result.problems)) == 2
    assert not marker.exists()


def test_billion_laughs_is_rejected_briefly() -> None:
    result = load_deck_file(HOSTILE / "billion_laughs.yaml")
    assert result.deck is None
    assert len(result.problems) <= MAX_PROBLEMS + 1
    assert any("more anchors and aliases" in p.message for p in result.problems)


def test_odd_scalars_are_text_as_written() -> None:
    text = (HOSTILE / "odd_scalars.yaml").read_text().replace('answer: "true"', "answer: yes")
    result = parse_deck(text.encode(), "odd.yaml")
    assert result.deck is not None, [str(p) for p in result.problems]
    assert (result.deck.id, result.deck.title) == ("2019-13-45", "2001-02-30 25:61:00")
    faces = [(n.body.front, n.body.back) for n in result.deck.notes[:2]]
    assert faces == [("0b2", "1_000:61:99"), ("2019-02-29", ".inf")]
    assert result.deck.notes[2].body.answer is True


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("[a, b]", "'front' is not plain text"),
        ("{a: b}", "'front' is not plain text"),
        ("", "'front' is empty"),
        ("~", "'front' is empty"),
        ("!!binary aGk=", "tag"),
        ("!!python/str x", "tag"),
    ],
)
def test_only_scalars_are_accepted_where_text_is_expected(value: str, words: str) -> None:
    result = parse_deck(
        f"deck: d\ntitle: T\ncards:\n  - {{id: a, kind: basic, front: {value}, back: b}}\n".encode(), "x"
    )
    assert result.deck is None
    assert any(words in p.message and p.line == 4 for p in result.problems), [str(p) for p in result.problems]


@pytest.mark.parametrize("word", ["null", "Null", "NULL", "~"])
def test_a_word_yaml_reads_as_no_value_is_said_so_with_quotes_as_the_fix(word: str) -> None:
    text = f"deck: d\ntitle: T\ncards:\n  - id: a\n    kind: typed\n    front: f\n    answer: {word}\n"
    result = parse_deck(text.encode(), "x")
    assert result.deck is None
    [problem] = result.problems
    assert (problem.line, problem.column) == (7, 13)
    assert f"YAML reads `{word}` as no value" in problem.message and f'("{word}")' in problem.hint
    quoted = parse_deck(text.replace(f"answer: {word}", f'answer: "{word}"').encode(), "x")
    assert quoted.deck is not None and quoted.deck.notes[0].body.answer == word


def test_a_flood_of_mistakes_is_reported_briefly() -> None:
    cards = "".join(f"  - {{id: c{i}, kind: basic, front: f, back: b, bad{i}: 1}}\n" for i in range(500))
    result = parse_deck(f"deck: d\ntitle: T\ncards:\n{cards}".encode(), "x")
    assert result.deck is None
    assert len(result.problems) == MAX_PROBLEMS + 1
    assert result.problems[-1].message == "400 more problems are not shown"
    assert result.problems[-1].severity == "error"


def test_too_many_values_is_a_positioned_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsafe, "MAX_NODES", 1000)
    result = parse_deck(("deck: d\ntitle: T\ncards: [" + "x, " * 2000 + "]\n").encode(), "x")
    assert result.deck is None
    [problem] = result.problems
    assert "more than 1,000 values" in problem.message and problem.line == 3


def test_size_limit_is_checked_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as out:
        out.truncate(deckfile.MAX_BYTES + 10)  # sparse: costs no disk
    result = load_deck_file(path)
    [problem] = result.problems
    assert "decks are limited to 32 MiB" in problem.message and "split" in problem.hint


def test_fifos_and_devices_are_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        [problem] = load_deck_file(path).problems
        assert "not a regular file" in problem.message


def test_unreadable_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    [problem] = load_deck_file(tmp_path / "missing.yaml").problems
    assert "cannot read the file" in problem.message


def test_quoted_brackets_do_not_confuse_anything() -> None:
    result = load_deck_file(HOSTILE / "flow_quote_brackets.yaml")
    assert result.deck is not None and result.deck.title == "]]]] {{{{ [[[["


DEPTH = 50_000
DEEP_DOCUMENTS = {
    "flow.yaml": "[" * DEPTH + "]" * DEPTH,
    "block.yaml": "- " * DEPTH + "x",
    "map.yaml": "{a: " * DEPTH + "1" + "}" * DEPTH,
    "quoted.yaml": '[ "]", ' * DEPTH + "1" + "]" * DEPTH,  # fools bracket counting on the raw text
    "indented.yaml": "".join(" " * i + "a:\n" for i in range(2_000)),
    "in_a_card.yaml": "deck: d\ntitle: t\ncards:\n  - {id: a, kind: basic, front: " + "[" * DEPTH + "]" * DEPTH + "}\n",
}


def test_deep_nesting_is_a_clean_positioned_error_in_a_real_process(tmp_path: Path) -> None:
    """yaml.compose(..., Loader=CSafeLoader) dies with SIGSEGV on the first four (measured); the loader
    never uses libyaml's composer. Run as the user would, in a child process."""
    for name, text in DEEP_DOCUMENTS.items():
        (tmp_path / name).write_text(text)
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(tmp_path / "data"), "validate"]
        + [str(tmp_path / name) for name in DEEP_DOCUMENTS],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stdout.splitlines()
    for name in DEEP_DOCUMENTS:
        found = [line for line in lines if line.startswith(str(tmp_path / name) + ":")]
        assert len(found) == 1, (name, found)
        # Position and a clear message, not one library's words: libyaml 0.2.6 stops deep nesting itself.
        assert re.search(r"^[^:]+:\d+:\d+: .*\bnest.*\bdeep", found[0], re.I), found[0]
