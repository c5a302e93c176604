"""The docs as a reader uses them: every relative link and #anchor in README.md and docs/ leads somewhere,
every file and Python name of this checkout they give in backquotes is there, every YAML example in docs/
loads as a deck, what a page shows `quiz validate` print is what it prints, what the pages say `quiz new`'s
template holds is what it holds, and the
command-line page names every command with only options that command takes."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import re
from pathlib import Path

import pytest
from PIL import Image

from quiz.arguments import build_parser
from quiz.core.deckfile import LoadResult, errors
from quiz.core.decks import load_deck_file, parse_deck
from quiz.core.kindnames import KIND_NAMES
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^([ \t]*)```(\w*)\n(.*?)^\1```[ \t]*$", re.M | re.S)
# an inline link or picture, its target maybe in <>, maybe with a title; and a reference link's definition
LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)", re.M)


def prose(text: str) -> str:
    """The page without its code blocks, where `](x)` is code, not a link."""
    return FENCE.sub("", text)


def heading_anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: its text as shown (a link's text, no closing #s), lower case,
    punctuation dropped, spaces as hyphens."""
    shown = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", re.sub(r"\s+#+\s*$", "", heading.strip()))
    return re.sub(r"[^\w\- ]", "", shown.lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    taken: dict[str, int] = {}  # anchor -> how many times its heading's anchor came again
    for heading in re.findall(r"^#{1,6}[ \t]+(.+)$", prose(page.read_text(encoding="utf-8")), re.M):
        anchor = base = heading_anchor(heading)
        while anchor in taken:  # GitHub numbers a repeated heading, past the numbers another one took
            taken[base] += 1
            anchor = f"{base}-{taken[base]}"
        taken[anchor] = 0
    return set(taken)


def broken_links(page: Path) -> list[str]:
    broken = []
    for inline, reference in LINK.findall(prose(page.read_text(encoding="utf-8"))):
        target = inline or reference
        if re.match(r"[a-z]+:", target):
            continue  # https://, mailto:
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            broken.append(f"{target}: no file {linked}")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target}: no heading with anchor #{anchor} in {linked.name}")
    return broken


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_relative_link_and_anchor_leads_somewhere(page: Path) -> None:
    assert broken_links(page) == []


def test_a_link_to_a_missing_anchor_or_file_is_found(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# Other page\n\n## Where your data lives\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](other.md#where-your-data-lives) [gone](missing.md) [typo](other.md#where-data-lives)\n"
        "```\n[code](not-a-link.md)\n```\n"
        '[titled](gone-too.md "a title") [ok](<other.md>)\n\n[ref]: also-gone.md\n',
        encoding="utf-8",
    )
    assert [line.split(":")[0] for line in broken_links(page)] == [
        "missing.md",
        "other.md#where-data-lives",
        "gone-too.md",
        "also-gone.md",
    ]


def test_headings_get_githubs_anchors(tmp_path: Path) -> None:
    """As GitHub makes them: from the text shown (a link's text, no closing #s; backticks and punctuation
    dropped, letters of any script kept), a repeated heading numbered past the numbers others took."""
    page = tmp_path / "page.md"
    headings = ["Settings (`,` on Home)", "Über straße — 2", "[Anki](https://apps.ankiweb.net) import ##"]
    page.write_text("".join(f"## {h}\n" for h in [*headings, "Foo 1", "Foo", "Foo"]), encoding="utf-8")
    assert anchors(page) == {"settings--on-home", "über-straße--2", "anki-import", "foo-1", "foo", "foo-2"}


def missing_code_names(page: Path) -> list[str]:
    """The files and Python names of this checkout that a page names in backquotes (`quiz/core/store.py`,
    `quiz.core.answertext.normalize_answer`) and that are not there. A folder git ignores is one a command
    makes (`benchmarks/work/`): not looked for."""
    ignored = tuple(line for line in (ROOT / ".gitignore").read_text(encoding="utf-8").split() if line.endswith("/"))
    missing = []
    for match in re.finditer(
        r"`((?:quiz|tests|tools|benchmarks)/[\w./-]+)`|`(quiz(?:\.\w+)+)`", prose(page.read_text(encoding="utf-8"))
    ):
        path, dotted = match.groups()
        if path and not path.startswith(ignored) and not (ROOT / path).exists():
            missing.append(path)
        elif dotted and not python_name_exists(dotted):
            missing.append(dotted)
    return missing


def python_name_exists(dotted: str) -> bool:
    """A module of quiz with the names in it that follow (`quiz.core.kinds.typed.check_typed`); a file name
    that only looks like one (`quiz.sqlite3`, `quiz.lock`) names no module of quiz and is let be."""
    parts = dotted.split(".")
    if importlib.util.find_spec(f"quiz.{parts[1]}") is None:
        return True
    for end in range(len(parts), 1, -1):
        try:
            spec = importlib.util.find_spec(".".join(parts[:end]))
        except ModuleNotFoundError:  # a module named inside one that is not a package
            spec = None
        if spec is not None:
            found: object = importlib.import_module(".".join(parts[:end]))
            for name in parts[end:]:
                if not hasattr(found, name):
                    return False
                found = getattr(found, name)
            return True
    return False


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_file_and_python_name_a_page_names_is_there(page: Path) -> None:
    assert missing_code_names(page) == []


def test_a_missing_file_or_python_name_is_found(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "`quiz/core/store.py` `quiz/core/gone.py` `benchmarks/work/x/` `quiz.core.answertext.normalize_answer`\n"
        "`quiz.core.text.normalize_answer` `quiz.core.answertext.gone` `quiz.sqlite3` `quiz.core.kinds.typed`\n",
        encoding="utf-8",
    )
    assert missing_code_names(page) == [
        "quiz/core/gone.py",
        "quiz.core.text.normalize_answer",
        "quiz.core.answertext.gone",
    ]


def yaml_examples() -> list[tuple[str, str]]:
    examples = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            if match.group(2) in ("yaml", "yml"):
                line = text.count("\n", 0, match.start()) + 1
                examples.append((f"{page.name}:{line}", match.group(3)))
    return examples


def as_deck_file(example: str, folder: Path) -> Path:
    """The example as a deck file: a list of cards goes under a deck that declares the source they cite; the
    pictures it names are made, as a reader would put them beside the deck."""
    text = re.sub(r"^ {0,2}", "", example, flags=re.M) if example.startswith("  - ") else example
    if not text.startswith("deck:"):
        text = "deck: example\ntitle: Example\nsources:\n  - {id: why-used, title: Why}\ncards:\n" + re.sub(
            r"^", "  ", text, flags=re.M
        )
    for picture in re.findall(r"[\w./-]+\.png", text):
        (folder / picture).parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (40, 30), "white").save(folder / picture)
    deck = folder / "deck.yaml"
    deck.write_text(text, encoding="utf-8")
    return deck


@pytest.mark.parametrize(("where", "example"), yaml_examples(), ids=[where for where, _ in yaml_examples()])
def test_every_yaml_example_loads(where: str, example: str, tmp_path: Path) -> None:
    result = load_deck_file(as_deck_file(example, tmp_path))
    assert result.deck is not None and not errors(result.problems), [str(p) for p in result.problems]
    assert result.deck.notes, where


def test_the_docs_yaml_examples_are_found() -> None:
    # a fence written another way (```yml, indented) must not quietly drop its example from the test above
    assert len(yaml_examples()) >= 6


def commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(action for action in parser._actions if isinstance(action, argparse._SubParsersAction))
    return dict(sub.choices)


def options(parser: argparse.ArgumentParser) -> set[str]:
    found = {option for action in parser._actions for option in action.option_strings}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):  # preset's actions
            found |= {option for sub in action.choices.values() for option in options(sub)}
    return found


def test_the_command_line_page_names_every_command_with_its_own_options() -> None:
    rows = re.findall(r"^\| `([a-z-]+)( [^`]*)?` \|(.*)\|$", (ROOT / "docs" / "command-line.md").read_text(), re.M)
    documented = {name: usage + text for name, usage, text in rows}
    assert set(commands()) <= set(documented), set(commands()) - set(documented)
    for name, parser in commands().items():
        named = set(re.findall(r"(?<![\w-])--[a-z][\w-]*", documented[name]))
        assert named <= options(parser), (name, named - options(parser))


def block_after(text: str, words: str) -> str:
    """The first code block after `words` on a page."""
    found = FENCE.search(text, text.index(words))
    assert found is not None, words
    return found.group(3)


def test_what_the_deck_format_page_shows_validate_print_is_what_it_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The page's own picture example, the card it names alone in decks/deck.yaml, its first picture there."""
    page = (ROOT / "docs" / "deck-format.md").read_text(encoding="utf-8")
    example = block_after(page, "### Pictures")
    named = re.search(r"`quiz validate decks/deck.yaml` on\s+a deck holding only the card `([\w-]+)` above", page)
    assert named is not None
    card = example[example.index(f"  - id: {named[1]}\n") :].split("\n\n")[0] + "\n"
    said = block_after(page, "`quiz validate decks/deck.yaml` on").strip()
    decks = tmp_path / "decks"
    (decks / "pictures").mkdir(parents=True)
    Image.new("RGB", (40, 30), "white").save(decks / "pictures" / "mitral.png")
    (decks / "deck.yaml").write_text("deck: d\ntitle: T\ncards:\n" + card, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsys, "--data-dir", str(tmp_path / "data"), "validate", "decks/deck.yaml")
    assert code == 1
    assert (out + err).strip() == said


def test_the_values_deck_format_says_are_taken_as_written_are_and_null_is_reported() -> None:
    page = (ROOT / "docs" / "deck-format.md").read_text(encoding="utf-8")
    claim = re.search(r"Text is taken exactly as written.*?: (.*?) are the texts (.*?), so", page, re.S)
    assert claim is not None
    written = re.findall(r"`(\w+): ([^`]+)`", claim[1])
    texts = re.findall(r"`([^`]+)`", claim[2])
    assert [field for field, _ in written] == ["answer", "front", "back"] and len(texts) == 3
    (answer, front, back) = (value for _, value in written)
    deck = f"deck: d\ntitle: T\ncards:\n  - {{id: a, kind: typed, front: q, answer: {answer}}}\n"
    deck += f"  - id: b\n    kind: basic\n    front: {front}\n    back: {back}\n"
    result = load_deck_file_text(deck)
    assert result.deck is not None
    typed, basic = result.deck.notes
    assert [typed.body.answer, basic.body.front, basic.body.back] == texts
    null = re.search(r"so `answer: null` is reported as empty, with the fix, `answer: (\"null\")`", page)
    assert null is not None
    [problem] = load_deck_file_text(deck.replace(f"answer: {answer}", "answer: null")).problems
    assert "empty" in problem.message and null[1] in problem.hint


def load_deck_file_text(text: str) -> LoadResult:
    return parse_deck(text.encode("utf-8"), "deck.yaml")


def test_what_the_pages_say_quiz_new_writes_is_what_it_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(capsys, "--data-dir", str(tmp_path), "new", "template")
    template = load_deck_file(Path(out.splitlines()[0])).deck
    assert code == 0 and template is not None
    left_out = set(KIND_NAMES) - {note.kind for note in template.notes}
    said = {
        page.name: {kind for kind in KIND_NAMES if kind in (but or "")}
        for page in PAGES
        for but in re.findall(r"template[^.|]{0,40}? card of every kind(?: but ([a-z ]+))?", page.read_text("utf-8"))
    }
    assert set(said) == {"README.md", "custom-decks.md", "command-line.md"}
    assert said == dict.fromkeys(said, left_out)


def test_the_keys_page_says_what_space_records_after_an_answer_not_always_good() -> None:
    """It said "`Space` as in Anki, where it is Good": after a wrong typed or cloze answer Space records Again,
    the proposed grade, and a user pressing it for Good learnt otherwise."""
    (row,) = [
        line
        for line in (ROOT / "docs" / "keys.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| `Enter` or `Space` |")
    ]
    assert "where it is Good" not in row
    assert "Again when wrong" in row and "not always Good" in row
