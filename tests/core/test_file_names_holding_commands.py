"""A file name is untrusted: one holding `quiz ...` in backquotes is shown as it is, never given the data folder
--data-dir named as quiz's own suggested commands are (then it would name a file that is not there)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quiz.core.text import shell_word
from quiz.output import commands_naming, echo
from tests.conftest import basic_deck_yaml, pasted
from tests.conftest import run_cli as run
from tests.core.test_deck_images import PNG
from tests.core.test_rename_advice_for_another_deck import PHARM, SHIPPED, _studied

NAMED = "see `quiz list`.yaml"
BROKEN = "bad `quiz list`.yaml"


def _data_and_files(tmp_path: Path) -> tuple[Path, Path]:
    """A data folder with deck `d`, and a folder holding a deck file with its id and a broken one, named NAMED and
    BROKEN."""
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "d.yaml").write_text(basic_deck_yaml(1), encoding="utf-8")
    given = tmp_path / "out2"
    given.mkdir()
    (given / NAMED).write_text(basic_deck_yaml(2), encoding="utf-8")
    (given / BROKEN).write_text("deck: bad\ntitle: [unclosed\n", encoding="utf-8")
    return data, given


def test_validate_shows_the_file_names_as_they_are_and_its_import_command_names_the_file(
    capsys, tmp_path: Path
) -> None:
    data, given = _data_and_files(tmp_path)
    code, out, _ = run(capsys, "--data-dir", str(data), "validate", str(given))
    assert code == 1
    assert f"ok {given / NAMED}: deck d 'Deck d'" in out
    assert f"{given / BROKEN}:2:8: YAML syntax error" in out
    [command] = re.findall(r"`(quiz [^\n]*?)` takes it", out)
    assert command == f"quiz --data-dir {shell_word(data)} import {shell_word(given / NAMED)}"
    imported = pasted(command)
    assert imported.returncode == 0, imported.stderr


def test_list_names_a_file_not_loaded_as_it_is_in_the_validate_it_suggests(capsys, tmp_path: Path) -> None:
    data, given = _data_and_files(tmp_path)
    code, out, _ = run(capsys, "--data-dir", str(data), "--deck", str(given), "list")
    [line] = [line for line in out.splitlines() if line.startswith(f"{given / BROKEN}: not loaded")]
    validate = f"`quiz --data-dir {shell_word(data)} --deck {shell_word(given)} validate {shell_word(given / BROKEN)}`"
    assert code == 0 and line.endswith(f"{validate} says more")


def test_a_folder_named_like_the_start_of_a_command_never_keeps_quiz_s_own_commands_from_naming_the_data_folder(
    capsys, tmp_path: Path
) -> None:
    """A folder named "`quiz " among the deck files matched the start of every command quiz suggests: pasted, they
    acted on the default data folder."""
    data = tmp_path / "data"
    decks = data / "decks"
    decks.mkdir(parents=True)
    (decks / "pharm.yaml").write_text(PHARM.replace("id: ord,", "id: ord9,"), encoding="utf-8")
    _studied(data, "pharm", "ord", "order")  # then `ord` renamed `ord9` in the file
    (decks / "`quiz ").mkdir()
    (decks / "`quiz " / "shared.yaml").write_text(basic_deck_yaml(1, "x"), encoding="utf-8")
    with_data_dir = f"`quiz --data-dir {shell_word(data)} "
    code, out, _ = run(capsys, "--data-dir", str(data), "validate", str(decks))
    assert code == 0 and f"run {with_data_dir}rename-card pharm ord ord9`" in out
    assert f"ok {decks / '`quiz ' / 'shared.yaml'}: deck x" in out  # the file's name as it is
    (decks / "broken.yaml").write_text("deck: bad\ntitle: [unclosed\n", encoding="utf-8")
    code, out, _ = run(capsys, "--data-dir", str(data), "list")
    validate = f"{with_data_dir}validate {shell_word(decks / 'broken.yaml')}` says more"
    assert code == 0 and validate in out


# A folder name holding a command quiz might suggest, shell quotes and a command substitution
HOSTILE_FOLDER = "it's `quiz x` $(touch PWNED) sp"


def test_the_copy_of_a_shipped_deck_advised_under_a_hostile_data_folder_pastes_as_written(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The data folder's name, inside the shell-quoted deck folder of the mkdir/cp advice, had its "`quiz " given
    `--data-dir '...'`, whose quotes ended the path's: pasted, the advice ran `$(touch PWNED)` and `quiz x`."""
    data = tmp_path / "c" / HOSTILE_FOLDER / "data"
    _studied(data, "ketamine", "mech-order-why-used", "order")
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)  # where `$(touch PWNED)` would make its file
    code, _, err = run(capsys, "--data-dir", str(data), "rename-card", "ketamine", "mech-order-why-used", "ord")
    assert code == 1
    [copy] = re.findall(r"copy it into your deck folder \((.*?)\) and give", err)
    decks = data / "decks"
    assert copy == f"mkdir -p {shell_word(decks)} && cp {shell_word(SHIPPED)} {shell_word(decks / SHIPPED.name)}"
    copied = pasted(copy)
    assert (copied.returncode, copied.stdout, copied.stderr) == (0, "", "")
    assert (decks / SHIPPED.name).read_bytes() == SHIPPED.read_bytes() and not list(here.iterdir())


HOSTILE_NAME = f"{HOSTILE_FOLDER} x.yaml"


def test_add_names_a_new_version_of_a_deck_by_its_file_name_as_it_is(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file's name alone ("so NAME is another version of it") is no whole path: its "`quiz " was given the
    data folder, and the name printed was no file's."""
    data, _ = _data_and_files(tmp_path)
    v2 = tmp_path / HOSTILE_NAME
    v2.write_text(basic_deck_yaml(3), encoding="utf-8")
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    code, out, err = run(capsys, "--data-dir", str(data), "add", str(v2))
    assert code == 1 and out == ""
    assert f"so {HOSTILE_NAME} is another version of it; to take it, run `quiz --data-dir" in err
    [command] = re.findall(r"run `(quiz [^\n]*?)` \(your progress", err)
    imported = pasted(command)
    assert imported.returncode == 0, imported.stderr
    assert (data / "decks" / "d.yaml").read_text(encoding="utf-8").count("id: c") == 3 and not list(here.iterdir())


def test_import_names_the_file_it_updates_a_deck_from_as_it_is(capsys, tmp_path: Path) -> None:
    """`quiz import FILE`'s summary, "new in FILE" and "gone from FILE" name the file's name alone: its "`quiz "
    was given the data folder."""
    data = tmp_path / "data"
    deck = tmp_path / HOSTILE_NAME
    deck.write_text(basic_deck_yaml(2), encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(deck))
    assert code == 0, err
    deck.write_text(basic_deck_yaml(3).replace("  - {id: c0,", "  - {id: c9,"), encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(deck))
    assert code == 0, err
    lines = out.splitlines()
    assert f"1 gone from {HOSTILE_NAME}, 0 changed by both {HOSTILE_NAME} and you" in lines[1]
    assert f"new in {HOSTILE_NAME} (2 notes):" in lines
    assert f"gone from {HOSTILE_NAME}, kept in the deck (1 note; --remove-missing removes them," in out
    assert "--data-dir" not in out


def test_a_path_in_a_hostile_data_folder_quoted_in_a_suggested_command_pastes_as_written(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`quiz new`'s `quiz validate FILE` quotes a file in the data folder --data-dir named: that path, no whole path
    given, had its "`quiz " given the data folder inside its quotes, and pasted it ran `quiz x`."""
    data = tmp_path / HOSTILE_FOLDER / "data"
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    code, out, err = run(capsys, "--data-dir", str(data), "new", "Pharmacology")
    assert code == 0, err
    [validate] = re.findall(r"check it with `(quiz .*)`$", out.splitlines()[1])
    checked = pasted(validate)
    assert (checked.returncode, checked.stderr) == (0, "") and not list(here.iterdir())
    assert checked.stdout.startswith(f"ok {data / 'decks' / 'pharmacology.yaml'}: deck pharmacology")


def test_import_names_her_deck_file_by_its_name_as_it_is(capsys, tmp_path: Path) -> None:
    """Her deck file, named like a command, updated by a new version with --drop-comments: "dropped 1 comment ...
    from NAME" named it by its name alone, given the data folder."""
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    (data / "decks" / HOSTILE_NAME).write_text("# my note\n" + basic_deck_yaml(2), encoding="utf-8")
    v2 = tmp_path / "v2.yaml"
    v2.write_text(basic_deck_yaml(3), encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(data), "import", "--drop-comments", str(v2))
    assert code == 0, err
    assert f"dropped 1 comment (yours, or its author's) from {HOSTILE_NAME} (--drop-comments)" in out
    assert "--data-dir" not in out


def test_add_says_why_it_named_the_copy_otherwise_with_both_names_as_they_are(capsys, tmp_path: Path) -> None:
    """A file named like a command that Windows could not keep (`?`) is copied under another name, and the line
    saying why ("named NAME: ...") gave that name the data folder."""
    data = tmp_path / "data"
    source = tmp_path / "what `quiz list`?.yaml"
    source.write_text(basic_deck_yaml(1, "w"), encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(data), "add", str(source))
    assert code == 0, err
    copy = data / "decks" / "what `quiz list`_.yaml"
    assert out.splitlines()[:2] == [str(copy), f"named {copy.name}: Windows cannot keep ? in a file name"]
    assert copy.is_file()


def test_sync_names_a_synced_folder_named_like_a_command_as_it_is_in_its_status_and_advice(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sync --folder SYNC/quiz-progress` advised `quiz sync --folder 'SYNC'` with the "`quiz " of SYNC's name given
    --data-dir '...', whose quotes ended the folder's: pasted, it ran what the folder's name holds. The status line
    "synced with SYNC" had it too."""
    data = tmp_path / "c" / HOSTILE_FOLDER / "data"
    synced = tmp_path / "sync `quiz list` s"
    synced.mkdir()
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    assert run(capsys, "--data-dir", str(data), "sync", "--folder", str(synced))[0] == 0
    code, out, err = run(capsys, "--data-dir", str(data), "sync")  # the folder the store keeps
    assert code == 0, err
    assert out.startswith(f"synced with {synced}: sent 0 event(s)")
    code, _, err = run(capsys, "--data-dir", str(data), "sync", "--folder", str(synced / "quiz-progress"))
    assert code == 1
    [command] = re.findall(r"give its parent: `(quiz .*)`$", err.strip())
    assert command == f"quiz --data-dir {shell_word(data)} sync --folder {shell_word(synced)}"
    again = pasted(command)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"synced with {synced}: sent 0 event(s)") and not list(here.iterdir())


def test_rename_card_and_an_import_through_a_linked_data_folder_name_her_deck_file_and_its_record_as_they_are(
    capsys, tmp_path: Path
) -> None:
    """Her imported deck's file and record renamed `a `quiz list` b.yaml` / `.import.json`: rename-card's "renamed
    the note in the deck's import record RECORD" gave the record's "`quiz " the data folder --data-dir named (the
    deck's path is kept, the record's is another); so did an import's first line, the deck file it wrote, when
    --data-dir named the data folder through a link (the line names where the link leads)."""
    data = tmp_path / "data"
    source = tmp_path / "src.yaml"
    source.write_text(basic_deck_yaml(2), encoding="utf-8")
    assert run(capsys, "--data-dir", str(data), "import", str(source))[0] == 0
    deck, record = data / "decks" / "a `quiz list` b.yaml", data / "decks" / "a `quiz list` b.import.json"
    (data / "decks" / "d.yaml").rename(deck)
    (data / "decks" / "d.import.json").rename(record)
    _studied(data, "d", "c0", "basic")
    deck.write_text(deck.read_text(encoding="utf-8").replace("id: c0", "id: c9"), encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(data), "rename-card", "d", "c0", "c9")
    assert code == 0, err
    assert f"renamed the note in the deck's import record {record}: the next import" in out
    linked = tmp_path / "L"
    linked.symlink_to(data)
    source.write_text(basic_deck_yaml(3), encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(linked), "import", str(source))
    assert code == 0, err
    assert out.splitlines()[0] == str(deck) and "--data-dir" not in out


def _deck_with_picture(folder: Path, deck_id: str, picture: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    deck = folder / f"{deck_id}.yaml"
    deck.write_text(
        basic_deck_yaml(1, deck_id).replace("back: 'answer 0'", f"back: 'answer 0', image: '{picture}'"),
        encoding="utf-8",
    )
    return deck


def test_add_and_validate_name_a_picture_named_like_a_command_as_it_is(capsys, tmp_path: Path) -> None:
    """A picture named `p `quiz list` ?.png` (which Windows cannot keep) is copied as `p `quiz list` _.png`: the line
    saying so gave both names the data folder --data-dir named; so did "image '...' is not a picture" for a file
    that is none."""
    data = tmp_path / "data"
    deck = _deck_with_picture(tmp_path / "src", "p", "p `quiz list` ?.png")
    (deck.parent / "p `quiz list` ?.png").write_bytes(PNG)
    code, out, err = run(capsys, "--data-dir", str(data), "add", str(deck))
    assert code == 0, err
    assert "picture p `quiz list` ?.png copied as p `quiz list` _.png, which the copy of the deck names" in out
    assert (data / "decks" / "p `quiz list` _.png").read_bytes() == PNG
    deck = _deck_with_picture(tmp_path / "src", "q", "q `quiz list` x.png")
    (deck.parent / "q `quiz list` x.png").write_text("no picture", encoding="utf-8")
    code, out, _ = run(capsys, "--data-dir", str(data), "validate", str(deck))
    assert code == 1 and "image 'q `quiz list` x.png' is not a picture" in out and "--data-dir" not in out


def test_a_file_name_holding_the_marks_of_a_piece_as_written_shows_them_and_never_keeps_text_from_the_rewrite(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two control characters that mark a piece as written, in a file's name of its own, were taken for marks:
    "wrote o`quiz list`.csv" dropped them unseen, and a name holding only the first kept quiz's own commands after
    it, on that line, from naming the data folder."""
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "d.yaml").write_text(basic_deck_yaml(1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    name = "o\x0e`quiz list`\x0f.csv"
    code, out, err = run(capsys, "--data-dir", str(data), "export", "d", "-o", name)
    assert code == 0, err
    assert out.startswith("wrote o\ufffd`quiz list`\ufffd.csv: CSV, deck 'd'") and (tmp_path / name).is_file()
    with commands_naming(data):  # a name opening a mark, and quiz's own command after it on the line
        echo(f"cannot read {tmp_path / 'x'}\x0e: run `quiz check` \x0f")
    assert capsys.readouterr().out == f"cannot read {tmp_path / 'x'}\ufffd: run `quiz --data-dir {data} check` \ufffd\n"


def test_list_names_a_picture_of_a_deck_not_loaded_as_it_is(capsys, tmp_path: Path) -> None:
    """`quiz list` built its line from the problem's message, and gave the picture's name the data folder."""
    data = tmp_path / "data"
    _deck_with_picture(data / "decks", "p", "/x `quiz list` y.png")  # a picture outside the deck's folder
    code, out, _ = run(capsys, "--data-dir", str(data), "list")
    [line] = [line for line in out.splitlines() if ": not loaded: " in line]
    assert code == 0 and "image '/x `quiz list` y.png' is not a path inside" in line
    assert line.count("--data-dir") == 1  # the validate it suggests, alone
