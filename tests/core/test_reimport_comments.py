"""An update writes the deck file anew from its cards, which hold no comment: a comment she wrote in the file
(her note from the ward beside an answer) would go without a word. The update names each and leaves the file,
until she moves what it says into a card or passes --drop-comments.

The packages are Anki's own (tests/data/anki/update): v2 is v1 with one answer corrected, one note added and one
deleted."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.core.importers import target
from quiz.core.importers.update import record_path
from quiz.core.yamlsafe import comments
from tests.conftest import run_cli as run

DATA = Path(__file__).parents[1] / "data" / "anki" / "update"
WARD = "# 1 mg per 100 units of heparin, from the ward"
ACE = "# ACE inhibitors: see my own deck too"


def quiz_import(data: Path, capsys, version: str, *flags: str) -> tuple[int, str, str]:  # noqa: ANN001
    return run(capsys, "--data-dir", str(data), "import", str(DATA / f"{version}.apkg"), "--no-history", *flags)


@pytest.fixture
def commented(tmp_path: Path, capsys) -> Path:  # noqa: ANN001
    """v1 imported, then her two comments written into the deck file: one after an answer, one on its own line."""
    code, _, err = quiz_import(tmp_path, capsys, "v1")
    assert code == 0, err
    deck = tmp_path / "decks" / "v1.yaml"
    text = deck.read_text(encoding="utf-8")
    assert text.count("    back: Protamine\n") == 1 and text.count("    kind: reverse\n") == 1
    text = text.replace("    back: Protamine\n", f"    back: Protamine  {WARD}\n")
    text = text.replace("    kind: reverse\n", f"    {ACE}\n    kind: reverse\n")
    deck.write_text(text, encoding="utf-8")
    return deck


def line_of(deck: Path, text: str) -> int:
    return next(n for n, line in enumerate(deck.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_an_update_that_would_drop_her_comments_names_them_and_writes_nothing(commented: Path, capsys) -> None:  # noqa: ANN001
    data = commented.parents[1]
    before, record = commented.read_bytes(), record_path(commented).read_bytes()
    code, out, err = quiz_import(data, capsys, "v2")
    assert code == 1
    ward, ace = line_of(commented, WARD), line_of(commented, ACE)
    assert err.splitlines() == [
        f"{commented}:{ward}:22: your comment {WARD!r}",
        f"{commented}:{ace}:5: your comment {ACE!r}",
        f"quiz: {commented} has comments of yours (above), which an update does not keep (it writes the deck file"
        " anew from its cards): move what they say into a card's `explain:`, then import again; or pass"
        " --drop-comments to update it without them",
    ]
    assert commented.read_bytes() == before and record_path(commented).read_bytes() == record
    code, out, err = quiz_import(data, capsys, "v2", "--replace")  # not what --replace drops
    assert code == 1 and "--drop-comments" in err
    assert commented.read_bytes() == before
    code, out, err = quiz_import(data, capsys, "v2", "--drop-comments")
    assert code == 0, err
    text = commented.read_text(encoding="utf-8")
    assert "Vitamin K" in text and WARD not in text and ACE not in text
    assert "dropped 2 comments of yours from v1.yaml (--drop-comments)" in out.splitlines()


def test_dropping_her_comments_keeps_her_edits_and_replacing_her_edits_keeps_her_comments(
    commented: Path,
    capsys,  # noqa: ANN001
) -> None:
    """v2 corrects the answer Vitamin C, which she corrected too: a conflict. --drop-comments drops her comments
    and nothing else (her answer kept, the conflict listed); --replace takes v2's answer and drops no comment, so
    it is refused while they are there: each flag discards only what its own listing named."""
    data = commented.parents[1]
    text = commented.read_text(encoding="utf-8")
    assert text.count("    back: Vitamin C\n") == 1
    commented.write_text(text.replace("    back: Vitamin C\n", "    back: Vitamin K1, 10 mg IV\n"), encoding="utf-8")
    before = commented.read_bytes()
    code, _, err = quiz_import(data, capsys, "v2", "--replace")
    assert code == 1 and "your comment" in err and commented.read_bytes() == before
    code, _, err = quiz_import(data, capsys, "v2", "--drop-comments")
    assert code == 0, err
    text = commented.read_text(encoding="utf-8")
    assert "Vitamin K1, 10 mg IV" in text and WARD not in text and ACE not in text
    assert "kept as you have it, though v2.apkg changes it too (above); pass --replace" in err
    code, _, err = quiz_import(data, capsys, "v2", "--replace")  # no comment left: her edit now given up
    assert code == 0, err
    assert "Vitamin K1, 10 mg IV" not in commented.read_text(encoding="utf-8")


def test_import_help_says_which_flag_drops_what(capsys) -> None:  # noqa: ANN001
    code, out, _ = run(capsys, "import", "--help")
    assert code == 0
    words = " ".join(out.split())
    assert "--drop-comments on an update that writes the deck file, drop the comments you wrote in it" in words
    assert "--replace does not drop them" in words


def test_comments_moved_into_a_card_let_the_update_through(commented: Path, capsys) -> None:  # noqa: ANN001
    data = commented.parents[1]
    text = commented.read_text(encoding="utf-8").replace(f"  {WARD}", "\n    explain: 1 mg per 100 units")
    commented.write_text(text.replace(f"    {ACE}\n", ""), encoding="utf-8")
    code, out, err = quiz_import(data, capsys, "v2")
    assert code == 0, err
    text = commented.read_text(encoding="utf-8")
    assert "Vitamin K" in text and "explain: 1 mg per 100 units" in text


def test_an_import_that_writes_no_deck_file_keeps_her_comments_without_a_word(commented: Path, capsys) -> None:  # noqa: ANN001
    before = commented.read_bytes()
    code, out, err = quiz_import(commented.parents[1], capsys, "v1")  # the same package again
    assert code == 0, err
    assert not err and commented.read_bytes() == before


def test_comments_are_told_from_a_hash_inside_a_text() -> None:
    text = (
        "# head\n"
        "deck: d  # after a value\n"
        "cards:\n"
        "  - id: a\n"
        "    front: 'C# or F#? # still the text'\n"
        "    back: |\n"
        "      # a line of the answer\n"
        "      x#y\n"
        "    explain: issue#12 and #tag\n"
        "  # before the next card\n"
    )
    assert comments(text.encode("utf-8")) == [
        (1, 1, "# head"),
        (2, 10, "# after a value"),
        (9, 27, "#tag"),  # after a space, outside quotes: YAML's comment, as the loader reads it
        (10, 3, "# before the next card"),
    ]
    assert comments("front: é  # ü\n".encode()) == [(1, 11, "# ü")]  # columns in characters


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("a: |- # c\n  text\n", [(1, 7, "# c")]),  # after a block scalar's indicators, which its token covers
        ("a: >- # c\n  text\n", [(1, 7, "# c")]),
        ("a: |2 # c\n   x\n", [(1, 7, "# c")]),
        ('a: "x"# c\n', [(1, 7, "# c")]),  # no space after a quoted text: the parser reads a comment
        ("a: 'x'# c\n", [(1, 7, "# c")]),
        ("a: [x]# c\n", [(1, 7, "# c")]),
        ("a: [x, y # c1\n  , z]  # c2\n", [(1, 10, "# c1"), (2, 9, "# c2")]),
        ("a: |+\n  text\n\n# c\nb: x\n", [(4, 1, "# c")]),  # after a block text's kept lines
        ("a: x\n#\nb: y\n", [(2, 1, "#")]),
        ("a: x\n# c", [(2, 1, "# c")]),  # the last line, after the last token: before the stream's end
        ("a: x\r# c1\rb: y # c2\r", [(2, 1, "# c1"), (3, 6, "# c2")]),  # lines ended by CR alone
        ("a: x\r\nb: 'y # in'\r\nc: z # c\r\n", [(3, 6, "# c")]),
        ("\ufeffa: x # c\n", [(1, 6, "# c")]),  # a BOM is no column
        ("a: C# basics\nb: http://x/#a\nc: b:#c\n", []),  # inside plain texts
        ("a: 'x # in'\nb: \"it \\\" # in\"\nc: 'it''s # in'\nd: \"x\n  # in\n  y\"\n", []),  # inside quoted texts
        ("a: |\n  # in\n  C# x\nb: >-\n  y # in\n", []),  # inside block texts' bodies
        ("a: '\u00e4\u00f6\u00fc\U0001f600' # c\nb: 'x # in'\n", [(1, 11, "# c")]),  # columns in characters
    ],
)
def test_comments_are_found_as_the_parser_finds_them(text: str, found: list[tuple[int, int, str]]) -> None:
    assert comments(text.encode("utf-8")) == found


@pytest.mark.parametrize(
    "written",
    [
        "    back: |- # 1 mg per 100 units, from the ward\n      Protamine\n",
        '    back: "Protamine"# 1 mg per 100 units, from the ward\n',
        "    back: Protamine\n    #\n",
    ],
)
def test_an_update_names_a_comment_however_it_is_written(tmp_path: Path, capsys, written: str) -> None:  # noqa: ANN001
    code, _, err = quiz_import(tmp_path, capsys, "v1")
    assert code == 0, err
    deck = tmp_path / "decks" / "v1.yaml"
    text = deck.read_text(encoding="utf-8")
    deck.write_text(text.replace("    back: Protamine\n", written), encoding="utf-8")
    before = deck.read_bytes()
    code, _, err = quiz_import(tmp_path, capsys, "v2")
    assert code == 1 and "your comment '#" in err
    assert deck.read_bytes() == before


def test_a_file_with_lines_ended_by_cr_alone_has_her_comment_named_not_the_whole_file(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    code, _, err = quiz_import(tmp_path, capsys, "v1")
    assert code == 0, err
    deck = tmp_path / "decks" / "v1.yaml"
    text = deck.read_text(encoding="utf-8").replace("    back: Protamine\n", f"    back: Protamine\n    {WARD}\n")
    deck.write_bytes(text.replace("\n", "\r").encode("utf-8"))
    code, _, err = quiz_import(tmp_path, capsys, "v2")
    assert code == 1
    assert err.splitlines()[0] == f"{deck}:{line_of(deck, WARD)}:5: your comment {WARD!r}"
    assert len(err.splitlines()) == 2  # hers, and what to do: quiz's comment at the top is not hers
    deck.write_bytes(deck.read_bytes().replace(f"    {WARD}\r".encode(), b""))
    code, _, err = quiz_import(tmp_path, capsys, "v2")  # without hers: the update goes through
    assert code == 0, err
    assert "Vitamin K" in deck.read_text(encoding="utf-8")


def test_quiz_s_own_comment_is_quiz_s_only_at_the_top_of_the_file(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    code, _, err = quiz_import(tmp_path, capsys, "v1")
    assert code == 0, err
    deck = tmp_path / "decks" / "v1.yaml"
    text = deck.read_text(encoding="utf-8")
    header = text[: text.index("\n", text.index("\n") + 1) + 1]
    assert header.startswith("# Imported from v1.apkg") and header.count("\n") == 2
    deck.write_text(text.replace("    back: Protamine\n", f"    back: Protamine\n{header}"), encoding="utf-8")
    code, _, err = quiz_import(tmp_path, capsys, "v2")
    assert code == 1
    assert [line.split(": your comment")[0] for line in err.splitlines()[:-1]] == [
        f"{deck}:{line_of(deck, 'Protamine') + 1}:1",
        f"{deck}:{line_of(deck, 'Protamine') + 2}:1",
    ]


def test_her_comments_are_found_before_the_new_deck_text_is_made(
    commented: Path,
    capsys,
    monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
) -> None:
    """The scan for her comments (her file decoded and tokenized: tens of MB for a shared deck) is let go before
    the update makes its new text, not held beside it at the update's peak; a refused update makes none."""

    def not_yet(*_: object, **__: object) -> str:
        raise AssertionError("the deck text was made before her comments were looked for")

    monkeypatch.setattr(target, "deck_text", not_yet)
    code, _, err = quiz_import(commented.parents[1], capsys, "v2")
    assert code == 1 and "has comments of yours" in err
