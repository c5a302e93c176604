"""`quiz import` of a package whose cards sit in several Anki subdecks names every topic they became: the line
before names only the Anki deck they share, which read as if it were all that came in."""

from __future__ import annotations

from pathlib import Path

from quiz.core.decks import load_deck_file
from quiz.core.text import printable, quoted
from tests.conftest import run_cli as run

ANKI = Path(__file__).parents[1] / "data" / "anki"


def _topics_line(out: str) -> str:
    [line] = [line for line in out.splitlines() if line.startswith("in ") and " topic" in line]
    return line


def test_a_package_of_anki_s_with_eight_subdecks_names_five_and_counts_the_rest(tmp_path: Path, capsys) -> None:
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "import", str(ANKI / "current.apkg"))
    assert code == 0
    deck = load_deck_file(tmp_path / "decks" / "current.yaml").deck
    assert deck is not None and len(deck.topics) == 8  # Fixtures::Basics, Fixtures::Cloze ... (Anki's own package)
    assert "into deck 'current' (Fixtures)" in out
    first = ", ".join(quoted(topic.title) for topic in deck.topics[:5])
    assert _topics_line(out) == f"in 8 topics, from its Anki subdecks: {first} and 3 more"


HOSTILE = """deck: pharm
title: Pharm
topics:
  - {id: cardio, title: "[bold red]Cardio[/]"}
  - {id: renal, title: "Renal, Liver and Gut"}
  - {id: esc, title: "Endo\\e[2Jcrine"}
cards:
  - {id: a, kind: basic, topic: cardio, front: Digoxin antidote?, back: DigiFab}
  - {id: b, kind: basic, topic: renal, front: Furosemide site?, back: Loop of Henle}
  - {id: c, kind: basic, topic: esc, front: Insulin source?, back: Beta cells}
  - {id: d, kind: basic, front: Pharmacology is?, back: The study of drugs}
"""


def test_each_subdeck_s_name_is_shown_as_it_is_and_the_shared_deck_s_own_notes_are_counted(
    tmp_path: Path, capsys
) -> None:
    """The package quiz's export writes (a subdeck `Pharm::<topic title>` per topic, the note with none in
    `Pharm`), imported as a new deck: its names, untrusted, are quoted whole, never read as markup or terminal
    codes, so a name holding ", " and " and " is still one name."""
    mine = tmp_path / "mine"
    (mine / "decks").mkdir(parents=True)
    (mine / "decks" / "pharm.yaml").write_text(HOSTILE, encoding="utf-8")
    package = tmp_path / "pharm.apkg"
    assert run(capsys, "--data-dir", str(mine), "export", "pharm", "-o", str(package))[0] == 0
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "theirs"), "import", str(package))
    assert code == 0
    titles = [quoted(printable(t)) for t in ("[bold red]Cardio[/]", "Renal, Liver and Gut", "Endo\x1b[2Jcrine")]
    assert _topics_line(out) == (
        f"in 3 topics, from its Anki subdecks: {titles[0]}, {titles[1]} and {titles[2]}; 1 note in no topic"
        " (in 'Pharm' itself)"
    )


def test_a_package_all_in_one_anki_subdeck_names_no_topic(tmp_path: Path, capsys) -> None:
    """Its cards all in `Pharm::Cardio`: that subdeck is the deck, named on the line before."""
    mine = tmp_path / "mine"
    (mine / "decks").mkdir(parents=True)
    one_topic = HOSTILE.replace("topic: renal", "topic: cardio").replace("topic: esc", "topic: cardio")
    (mine / "decks" / "pharm.yaml").write_text(
        one_topic.replace("kind: basic, front: P", "kind: basic, topic: cardio, front: P"), encoding="utf-8"
    )
    package = tmp_path / "pharm.apkg"
    assert run(capsys, "--data-dir", str(mine), "export", "pharm", "-o", str(package))[0] == 0
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "theirs"), "import", str(package))
    assert code == 0 and "into deck 'pharm' ([bold red]Cardio[/])" in out and " topic" not in out


def test_a_topic_given_with_topic_is_named_as_such_never_as_an_anki_subdeck(tmp_path: Path, capsys) -> None:
    """--topic puts the shared deck's own notes in that topic: it is no subdeck of the package's."""
    mine = tmp_path / "mine"
    (mine / "decks").mkdir(parents=True)
    (mine / "decks" / "pharm.yaml").write_text(HOSTILE, encoding="utf-8")
    package = tmp_path / "pharm.apkg"
    assert run(capsys, "--data-dir", str(mine), "export", "pharm", "-o", str(package))[0] == 0
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "theirs"), "import", str(package), "--topic", "Mine")
    assert code == 0
    titles = [quoted(printable(t)) for t in ("[bold red]Cardio[/]", "Renal, Liver and Gut", "Endo\x1b[2Jcrine")]
    assert _topics_line(out) == (
        f"in 4 topics, from its Anki subdecks: {titles[0]}, {titles[1]} and {titles[2]}; and 'Mine' (--topic, for"
        " the notes in 'Pharm' itself)"
    )


def test_a_name_holding_a_command_is_shown_as_it_is_never_given_the_data_folder(tmp_path: Path, capsys) -> None:
    """quiz's own suggested commands (`quiz ...` in backquotes) name the data folder --data-dir gave; a deck title
    or a subdeck name that holds one is the package's text, shown literally, in the import's lines and in `list`."""
    mine = tmp_path / "mine"
    (mine / "decks").mkdir(parents=True)
    named = HOSTILE.replace("title: Pharm", "title: Run `quiz plan` daily").replace(
        '"Renal, Liver and Gut"', '"Use `quiz list` here"'
    )
    (mine / "decks" / "pharm.yaml").write_text(named, encoding="utf-8")
    package = tmp_path / "pharm.apkg"
    assert run(capsys, "--data-dir", str(mine), "export", "pharm", "-o", str(package))[0] == 0
    theirs = ["--data-dir", str(tmp_path / "theirs")]
    code, out, _ = run(capsys, *theirs, "import", str(package))
    assert code == 0 and "--data-dir" not in out
    assert "into deck 'pharm' (Run `quiz plan` daily)" in out
    assert "'Use `quiz list` here'" in _topics_line(out) and "(in 'Run `quiz plan` daily' itself)" in out
    code, out, _ = run(capsys, *theirs, "list")
    [listed] = [line for line in out.splitlines() if line.startswith("pharm ")]
    assert code == 0 and listed.endswith("  Run `quiz plan` daily")
