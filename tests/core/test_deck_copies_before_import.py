"""An import that overwrites or drops what only she has (another deck of hers replaced, her cards, edits,
comments, pictures) keeps a copy of her deck file, and of the pictures it writes over, in backups/decks first,
says how to take them back (a command pasted as it is), and keeps the last few copies of each deck file."""

from __future__ import annotations

import errno
import os
import re
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz.commands import importing
from quiz.core import backupfolder
from quiz.core.backupfolder import DECK_COPIES_KEPT, DeckCopyError, deck_copies, keep_deck_file, prune_deck_copies
from quiz.core.importers import target
from quiz.core.store import StoreError
from tests.conftest import basic_deck_yaml, pasted
from tests.conftest import run_cli as run
from tests.core.test_file_names_holding_commands import HOSTILE_FOLDER
from tests.core.test_reimport_pictures import DATA as ANKI
from tests.core.test_reimport_pictures import draw_on, picture, quiz_import
from tests.core.test_rename_advice_for_another_deck import PHARM
from tests.core.test_rename_advice_for_another_deck import _studied as studied

HERS = "# my notes\n" + basic_deck_yaml(1).replace("id: c0", "id: m1")
MINE = '  - {id: mine, kind: basic, front: "A card of my own", back: "Mine"}\n'
KEPT = r"^your deck file as it was, with what the import removed or replaced: (.*); to take it back: (cp .*)$"


def _hers_and_another(tmp_path: Path) -> tuple[Path, Path]:
    """Her deck file decks/d.yaml (a comment, card m1) in a data folder whose name holds a command, shell quotes
    and a command substitution, and src.yaml, deck d with none of her cards (t1)."""
    data = tmp_path / HOSTILE_FOLDER / "data"
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "d.yaml").write_text(HERS, encoding="utf-8")
    source = tmp_path / "src.yaml"
    source.write_text(basic_deck_yaml(1).replace("id: c0", "id: t1"), encoding="utf-8")
    return data, source


def _her_deck_moved_behind_a_link(tmp_path: Path, data: Path) -> Path:
    """Her deck file moved to `mine/d.yaml`, decks/d.yaml a link to it: where her file now is."""
    link, elsewhere = data / "decks" / "d.yaml", tmp_path / "mine" / "d.yaml"
    elsewhere.parent.mkdir()
    link.rename(elsewhere)
    link.symlink_to(elsewhere)
    return elsewhere


def _history_failing_once_the_deck_is_placed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each import places its deck and then fails as the history's commit does when the database is locked."""
    placed = importing._write

    def placed_then_failed(*args: object, **kwargs: object) -> None:
        placed(*args, **kwargs)  # type: ignore[arg-type]
        raise StoreError("database is locked")

    monkeypatch.setattr(importing, "_write", placed_then_failed)


def test_replacing_another_deck_of_hers_keeps_a_copy_she_can_take_back(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`import --replace` over a deck holding none of the file's notes overwrote her whole deck file, comment and
    cards, and kept no copy (the plan makes a new deck there, which the copy's check never looked at)."""
    data, source = _hers_and_another(tmp_path)
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)  # where `$(touch PWNED)` would make its file
    code, out, err = run(capsys, "--data-dir", str(data), "import", "--replace", str(source))
    assert code == 0, err
    assert "replaced deck 'd'" in out and "x` $(touch" in out  # the folder's name as it is
    [(copy, take_back)] = re.findall(KEPT, out, re.M)
    assert Path(copy).parent == data / "backups" / "decks" and Path(copy).read_text(encoding="utf-8") == HERS
    assert "m1" not in (data / "decks" / "d.yaml").read_text(encoding="utf-8")
    taken = pasted(take_back)
    assert (taken.returncode, taken.stderr) == (0, "") and not list(here.iterdir())
    assert (data / "decks" / "d.yaml").read_text(encoding="utf-8") == HERS


def test_an_import_that_cannot_keep_the_copy_names_the_folder_and_the_fix(capsys, tmp_path: Path) -> None:
    """With backups/ a file, or a link to a drive not connected, the import said only "Not a directory"."""
    data, source = _hers_and_another(tmp_path)
    (data / "backups").write_text("not a folder", encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(data), "import", "--replace", str(source))
    assert code == 1 and out == ""
    assert f"quiz keeps the copies in {data / 'backups' / 'decks'}: make it a folder quiz can write" in err
    assert "move away a file of that name" in err and "nothing was imported" in err
    (data / "backups").unlink()
    (data / "backups").symlink_to(tmp_path / "drive")
    code, out, err = run(capsys, "--data-dir", str(data), "import", "--replace", str(source))
    assert code == 1 and out == ""
    assert f"{data / 'backups'} is a link to {tmp_path / 'drive'}, which is not there" in err
    assert "connect it, or remove the link" in err
    assert (data / "decks" / "d.yaml").read_text(encoding="utf-8") == HERS


def test_only_the_last_copies_of_a_deck_file_are_kept(tmp_path: Path) -> None:
    """Every import that replaced something added a copy, and none was ever removed."""
    deck = tmp_path / "decks" / "d.yaml"
    deck.parent.mkdir()
    other = tmp_path / "decks" / "e.yaml"
    other.write_text("e", encoding="utf-8")
    keep_deck_file(tmp_path, other, "e", datetime(2026, 1, 1, tzinfo=UTC))
    start = datetime(2026, 1, 2, tzinfo=UTC)
    made = []
    for day in range(DECK_COPIES_KEPT + 2):
        deck.write_text(f"version {day}", encoding="utf-8")
        made.append(keep_deck_file(tmp_path, deck, "d", start + timedelta(days=day)).deck)
        prune_deck_copies(tmp_path, "d", made[-1])
    folder = tmp_path / "backups" / "decks"
    assert deck_copies(folder, "d") == made[::-1][:DECK_COPIES_KEPT]
    assert [path.read_text(encoding="utf-8") for path in deck_copies(folder, "d")][0] == "version 6"
    assert len(deck_copies(folder, "e")) == 1  # another deck's copies are its own


def _replaced(capsys, data: Path, deck_id: str, card: str, *more: str) -> str:  # noqa: ANN001
    """`import --replace` of a file of deck `deck_id` holding card `card` alone, over the deck's other cards (so
    a copy is kept): the copy's path, as the import says it."""
    source = data.parent / f"{deck_id}-{card}.yaml"
    source.write_text(basic_deck_yaml(1, deck_id).replace("id: c0", f"id: {card}"), encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(data), "import", "--replace", *more, str(source))
    assert code == 0, err
    [(copy, _)] = re.findall(KEPT, out, re.M)
    return copy


def _two_notes_decks(tmp_path: Path) -> Path:
    """A data folder whose deck folder holds decks x and y, each in a file named notes.yaml (a/ and b/)."""
    data = tmp_path / "data"
    for folder, deck_id in (("a", "x"), ("b", "y")):
        (data / "decks" / folder).mkdir(parents=True)
        (data / "decks" / folder / "notes.yaml").write_text(basic_deck_yaml(1, deck_id), encoding="utf-8")
    return data


def test_decks_whose_files_share_a_name_keep_their_own_copies(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    """decks/a/notes.yaml and decks/b/notes.yaml shared one pool of copies, named notes.before-import-...: five
    imports into deck y removed the only copy of deck x's file."""
    data = _two_notes_decks(tmp_path)
    of_x = _replaced(capsys, data, "x", "t0")
    of_y = [_replaced(capsys, data, "y", f"t{number}") for number in range(DECK_COPIES_KEPT + 1)]
    assert Path(of_x).read_text(encoding="utf-8") == basic_deck_yaml(1, "x")
    assert Path(of_x).name.startswith("x.before-import-") and Path(of_y[0]).name.startswith("y.before-import-")
    assert sorted(deck_copies(data / "backups" / "decks", "y")) == sorted(map(Path, of_y[1:]))


def _copies_made_earlier(data: Path, deck_id: str) -> list[Path]:
    """DECK_COPIES_KEPT copies of deck `deck_id`'s file made on 1-5 January 2020 (by their names), brought from a
    computer whose clock was ahead: the oldest by name has the newest file time, all of them after now."""
    folder = data / "backups" / "decks"
    folder.mkdir(parents=True)
    ahead = time.time() + 86400
    made = []
    for day in range(1, DECK_COPIES_KEPT + 1):
        copy = folder / f"{deck_id}.before-import-202001{day:02}T120000Z.yaml"
        copy.write_text(f"day {day}", encoding="utf-8")
        os.utime(copy, (ahead - day, ahead - day))
        made.append(copy)
    return made


def test_the_copy_an_import_makes_stays_whatever_the_times_of_the_others(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    """Pruning went by the files' times: with copies whose time is later than now (a clock put right, a folder
    from another computer), it removed the copy just made, and the import gave a command to restore it."""
    data = _two_notes_decks(tmp_path)
    earlier = _copies_made_earlier(data, "y")
    copy = _replaced(capsys, data, "y", "t0")
    assert Path(copy).read_text(encoding="utf-8") == basic_deck_yaml(1, "y")
    assert not earlier[0].exists()  # the oldest by the time in its name, though its file's time is the newest
    assert all(path.exists() for path in earlier[1:])


def test_a_failed_import_removes_no_older_copy(
    capsys,  # noqa: ANN001
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Older copies were pruned as the copy was made, before the import was written: five failed tries pushed
    out the only copy holding what an earlier import removed."""
    data = _two_notes_decks(tmp_path)
    earlier = _copies_made_earlier(data, "y")

    def disk_full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(importing, "_write", disk_full)
        source = tmp_path / "y-t0.yaml"
        source.write_text(basic_deck_yaml(1, "y").replace("id: c0", "id: t0"), encoding="utf-8")
        for _ in range(2):
            code, _, err = run(capsys, "--data-dir", str(data), "import", "--replace", str(source))
            assert code == 1 and "No space left on device" in err
            [copy] = re.findall(r"; the copy of .*notes\.yaml as it was stays in (.*)$", err, re.M)
            assert Path(copy).read_text(encoding="utf-8") == basic_deck_yaml(1, "y")
    assert all(path.exists() for path in earlier)
    assert (data / "decks" / "b" / "notes.yaml").read_text(encoding="utf-8") == basic_deck_yaml(1, "y")
    copy = Path(_replaced(capsys, data, "y", "t0"))  # once it is written, the oldest go
    assert deck_copies(data / "backups" / "decks", "y")[0] == copy
    assert len(deck_copies(data / "backups" / "decks", "y")) == DECK_COPIES_KEPT


def test_the_copy_is_streamed_never_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy read her whole deck file into memory (tens of MB for a shared deck) at the import's peak."""
    deck = tmp_path / "d.yaml"
    deck.write_text(HERS, encoding="utf-8")

    def whole(path: Path) -> bytes:
        raise AssertionError(f"{path} read whole")

    monkeypatch.setattr(Path, "read_bytes", whole)
    copy = keep_deck_file(tmp_path, deck, "d", datetime(2026, 1, 1, tzinfo=UTC)).deck
    assert copy.read_text(encoding="utf-8") == HERS


def test_replace_keeps_the_picture_she_changed_beside_the_copy(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """--replace wrote the package's version over the picture she drew on, keeping no copy of hers."""
    code, _, err = quiz_import(tmp_path, capsys, "v1")
    assert code == 0, err
    kidney = picture(tmp_path, "kidney.png")
    hers = draw_on(kidney)
    code, out, err = quiz_import(tmp_path, capsys, "v2", "--replace")
    assert code == 0, err
    assert kidney.read_bytes() != hers
    [(folder, take_back)] = re.findall(
        r"^your pictures and sound files it replaced: in (.*); to take them back: (cp .*)$", out, re.M
    )
    assert Path(folder).parent == tmp_path / "backups" / "decks"
    assert (Path(folder) / "anatomy-media" / "kidney.png").read_bytes() == hers
    taken = pasted(take_back)
    assert (taken.returncode, taken.stderr) == (0, "")
    assert kidney.read_bytes() == hers


def test_a_deck_linked_into_the_deck_folder_keeps_the_pictures_of_the_folder_it_is_linked_into(
    tmp_path: Path,
    capsys,  # noqa: ANN001
) -> None:
    """Her deck file kept elsewhere, linked into the deck folder, has its pictures in the deck folder, beside the
    link: the copy looked for them beside the file the link names."""
    code, _, err = quiz_import(tmp_path, capsys, "v1")
    assert code == 0, err
    deck, elsewhere = tmp_path / "decks" / "anatomy.yaml", tmp_path / "mine" / "anatomy.yaml"
    elsewhere.parent.mkdir()
    deck.rename(elsewhere)
    deck.symlink_to(elsewhere)
    hers = draw_on(picture(tmp_path, "kidney.png"))
    code, out, err = quiz_import(tmp_path, capsys, "v2", "--replace")
    assert code == 0, err
    [folder] = re.findall(r"^your pictures and sound files it replaced: in (.*); to take them back", out, re.M)
    assert (Path(folder) / "anatomy-media" / "kidney.png").read_bytes() == hers and deck.is_symlink()


def _imported_and_a_version_renaming_a_card(capsys, tmp_path: Path) -> tuple[Path, Path]:  # noqa: ANN001
    """Her deck imported from v1.yaml into a new data folder, and v2.yaml, its next version renaming card `ord`."""
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    v1, v2 = tmp_path / "v1.yaml", tmp_path / "v2.yaml"
    v1.write_text(PHARM, encoding="utf-8")
    v2.write_text(PHARM.replace("id: ord,", "id: ord9,"), encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(v1))
    assert code == 0, err
    return data, v2


def _files_under(folder: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_validate_reads_her_import_record_where_the_import_finds_it_and_moves_nothing(
    capsys,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    """Her imported deck file moved into a subfolder without its record: validate planned the advised import from
    the deck file alone and said it removes her own card and takes the file's version of the card she edited,
    though the import (which first moves the record beside the deck file) keeps both."""
    data, v2 = _imported_and_a_version_renaming_a_card(capsys, tmp_path)
    imported = (data / "decks" / "pharm.yaml").read_text(encoding="utf-8")
    hers = data / "decks" / "mine" / "pharm.yaml"
    hers.parent.mkdir()
    hers.write_text(imported.replace("two plus two?", "two plus two? (my words)") + MINE, encoding="utf-8")
    (data / "decks" / "pharm.yaml").unlink()
    studied(data, "pharm", "ord", "order")
    before = _files_under(data / "decks")
    code, out, _ = run(capsys, "--data-dir", str(data), "validate", str(v2))
    assert code == 0
    [advice] = re.findall(r"if it is a new version of that deck, `quiz [^`]*` takes it as it is \(([^)]*)\)", out)
    assert advice.startswith(
        "your deck file has nothing it lacks but the card whose id it changes, and it keeps a copy"
    )
    assert _files_under(data / "decks") == before


def test_taking_her_deck_back_takes_its_import_record_back_too(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    """The command that takes her deck file back left the record of the import that replaced it: her deck was
    then known as that import's deck (its cards hers, or removed, at the next import). Now it puts back the
    record it had (or removes the import's, when it had none)."""
    data = _two_notes_decks(tmp_path)
    record = data / "decks" / "b" / "notes.import.json"
    _replaced(capsys, data, "y", "t0")  # hers had no record
    recorded = record.read_bytes()
    before = (data / "decks" / "b" / "notes.yaml").read_bytes()
    source = tmp_path / "y-t1.yaml"
    source.write_text(basic_deck_yaml(1, "y").replace("id: c0", "id: t1"), encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(data), "import", "--replace", str(source))
    assert code == 0, err
    [(_, take_back)] = re.findall(KEPT, out, re.M)
    taken = pasted(take_back)
    assert (taken.returncode, taken.stderr) == (0, "")
    assert (data / "decks" / "b" / "notes.yaml").read_bytes() == before and record.read_bytes() == recorded


def test_taking_back_a_deck_that_had_no_record_removes_the_import_s(
    capsys,  # noqa: ANN001
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data, source = _hers_and_another(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--data-dir", str(data), "import", "--replace", str(source))
    assert code == 0, err
    assert (data / "decks" / "d.import.json").exists()
    [(_, take_back)] = re.findall(KEPT, out, re.M)
    taken = pasted(take_back)
    assert (taken.returncode, taken.stderr) == (0, "")
    assert not (data / "decks" / "d.import.json").exists()
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(source))
    assert code == 1 and "which has none of the notes of src.yaml: it is another deck" in err


def test_replacing_a_link_to_another_deck_says_where_her_file_stays(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    """--replace over a link to another deck of hers replaced the link, keeping her file where it leads: no copy,
    and nothing said of where her deck now is."""
    data, source = _hers_and_another(tmp_path)
    elsewhere = _her_deck_moved_behind_a_link(tmp_path, data)
    code, out, err = run(capsys, "--data-dir", str(data), "import", "--replace", str(source))
    assert code == 0, err
    link = data / "decks" / "d.yaml"
    said = f"your deck file stays as it was: {elsewhere}; the import replaced {link}, the link to it, with its deck;"
    assert any(line.startswith(f"{said} to link it back: ln -sfn ") for line in out.splitlines())
    assert elsewhere.read_text(encoding="utf-8") == HERS and not link.is_symlink()


def test_validate_plans_the_advised_import_from_the_deck_quiz_loaded_without_writing_its_texts(
    capsys,  # noqa: ANN001
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Validating a new version of her deck with a renamed id parsed her deck file again (the deck cache unused)
    and made the whole deck text the import would write: for a 30,001-card deck, seconds that said nothing."""
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "pharm.yaml").write_text(PHARM + MINE, encoding="utf-8")
    for card, kind in (("ord", "order"), ("mine", "basic"), ("q1", "basic")):
        studied(data, "pharm", card, kind)
    v2 = tmp_path / "v2.yaml"
    v2.write_text(PHARM.replace("id: ord,", "id: ord9,"), encoding="utf-8")
    run(capsys, "--data-dir", str(data), "list")  # the deck cache holds her deck, as after any start of quiz

    def not_needed(*_: object, **__: object) -> None:
        raise AssertionError("not needed to plan what the import takes")

    monkeypatch.setattr(target, "parse_deck", not_needed)
    monkeypatch.setattr(target, "deck_text", not_needed)
    monkeypatch.setattr(target, "record_text", not_needed)
    code, out, _ = run(capsys, "--data-dir", str(data), "validate", str(v2))
    assert code == 0
    assert "takes it as it is (it removes the cards only your deck file has, mine, and keeps a copy" in out


def test_decks_named_in_other_scripts_keep_their_own_copies(tmp_path: Path) -> None:
    """Copies were named by the deck's id with every character but ASCII letters and digits made `_`: decks 'ψυχή'
    and 'σώμα' shared one name, and one pool of copies."""
    deck = tmp_path / "decks" / "d.yaml"
    deck.parent.mkdir()
    deck.write_text("d", encoding="utf-8")
    made = {
        deck_id: keep_deck_file(tmp_path, deck, deck_id, datetime(2026, 1, 1, tzinfo=UTC)).deck
        for deck_id in ("ψυχή", "σώμα", "a/b")
    }
    folder = tmp_path / "backups" / "decks"
    assert {deck_id: deck_copies(folder, deck_id) for deck_id in made} == {k: [v] for k, v in made.items()}
    assert made["a/b"].parent == folder


def _copies_at(tmp_path: Path, times: list[datetime]) -> list[tuple[Path, str]]:
    """A copy of deck d's file kept at each of `times` (its text "version N"), each import's pruning after it:
    each copy's path, as the import would print it, and the text it held then."""
    deck = tmp_path / "decks" / "d.yaml"
    deck.parent.mkdir(exist_ok=True)
    made = []
    for number, now in enumerate(times):
        deck.write_text(f"version {number}", encoding="utf-8")
        copy = keep_deck_file(tmp_path, deck, "d", now).deck
        prune_deck_copies(tmp_path, "d", copy)
        made.append((copy, f"version {number}"))
    return made


def _still_holding(made: list[tuple[Path, str]]) -> list[str]:
    """The texts of the copies in `made` still holding what they held when made (the rest are gone)."""
    for copy, text in made:  # a path printed once never comes to hold another version
        assert not copy.exists() or copy.read_text(encoding="utf-8") == text, copy
    return [text for copy, text in made if copy.exists()]


def test_imports_within_one_second_keep_the_newest_copies_under_names_never_used_again(tmp_path: Path) -> None:
    """Nine imports within a second (a script, QUIZ_NOW): the 7th took the name the 6th's pruning freed, which
    sorted as the oldest, so each later import removed the newest copy, and the command printed for a removed
    copy restored another import's."""
    made = _copies_at(tmp_path, [datetime(2026, 12, 3, 10, tzinfo=UTC)] * 9)
    assert _still_holding(made) == [text for _, text in made[-DECK_COPIES_KEPT:]]


def test_copies_made_after_a_clock_that_ran_ahead_are_kept(tmp_path: Path) -> None:
    """Newest was the latest time in the names: after five imports a year ahead (a wrong clock, a folder from
    another computer), each new copy was removed by the next import."""
    now = datetime(2026, 12, 3, 10, tzinfo=UTC)
    made = _copies_at(tmp_path, [now + timedelta(days=365, minutes=m) for m in range(5)] + [now] * 3)
    assert _still_holding(made) == [text for _, text in made[-DECK_COPIES_KEPT:]]


def test_the_copies_of_a_private_deck_are_as_private(tmp_path: Path) -> None:
    """The copy of a deck file she keeps private (chmod 600), of its record and of her pictures were new files
    anyone could read (644, whatever the umask), in a folder anyone could list."""
    deck, record = tmp_path / "decks" / "d.yaml", tmp_path / "decks" / "d.import.json"
    kidney = tmp_path / "decks" / "d-media" / "kidney.png"
    kidney.parent.mkdir(parents=True)
    for path in (deck, record, kidney):
        path.write_text(path.name, encoding="utf-8")
        path.chmod(0o600)
    shown = tmp_path / "decks" / "shown.yaml"
    shown.write_text("shown", encoding="utf-8")
    shown.chmod(0o640)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    umask = os.umask(0o022)  # the usual one, which made the folder 755
    try:
        kept = keep_deck_file(tmp_path, deck, "d", now, ["d-media/kidney.png"], None, record)
        other = keep_deck_file(tmp_path, shown, "shown", now).deck
    finally:
        os.umask(umask)
    assert kept.pictures is not None and kept.record is not None
    copies = (kept.deck, kept.record, kept.pictures / "d-media" / "kidney.png", other)
    assert [oct(path.stat().st_mode & 0o777) for path in copies] == ["0o600"] * 3 + ["0o640"]
    assert oct((tmp_path / "backups" / "decks").stat().st_mode & 0o777) == "0o700"


def test_the_commands_taking_copies_back_name_them_absolute_from_a_data_folder_given_relative(
    capsys,  # noqa: ANN001
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With `--data-dir -data` (relative), the commands named the copies relative (they failed pasted in another
    folder), and `cp -R -data/...pictures/. ...` took the copy's path for cp's options `-d -a -t a/...`."""
    monkeypatch.chdir(tmp_path)
    for version, flags in (("v1", ()), ("v2", ("--replace",))):
        if version == "v2":
            hers = draw_on(picture(tmp_path / "-data", "kidney.png"))
        code, out, err = run(
            capsys, "--data-dir=-data", "import", str(ANKI / f"{version}.apkg"), "--deck-id", "anatomy", *flags
        )
        assert code == 0, err
    deck = tmp_path / "-data" / "decks" / "anatomy.yaml"
    before = [copy for copy, _ in re.findall(KEPT, out, re.M)]
    commands = [command for _, command in re.findall(KEPT, out, re.M)]
    commands += re.findall(r"^your pictures and sound files it replaced: in .*; to take them back: (cp .*)$", out, re.M)
    assert len(commands) == 2 and Path(before[0]).is_absolute()
    taken = pasted(" && ".join(f"(cd / && {command})" for command in commands))
    assert (taken.returncode, taken.stderr) == (0, "")
    assert picture(tmp_path / "-data", "kidney.png").read_bytes() == hers
    assert deck.read_bytes() == Path(before[0]).read_bytes()


def test_replacing_a_link_to_her_deck_keeps_its_import_record_and_says_how_to_link_it_back(
    capsys,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    """--replace over a link to her imported deck wrote the new deck's import record over hers, keeping no copy:
    linked back, her deck had no record of what quiz wrote, and each later update took every change of its
    author's for a conflict with her."""
    data, source = _hers_and_another(tmp_path)
    hers = tmp_path / "hers.yaml"
    hers.write_text(basic_deck_yaml(1, "d").replace("id: c0", "id: m1"), encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(data), "import", "--replace", str(hers))
    assert code == 0, err
    link, record = data / "decks" / "d.yaml", data / "decks" / "d.import.json"
    elsewhere = _her_deck_moved_behind_a_link(tmp_path, data)
    recorded, written = record.read_bytes(), elsewhere.read_bytes()
    code, out, err = run(capsys, "--data-dir", str(data), "import", "--replace", str(source))
    assert code == 0, err
    assert record.read_bytes() != recorded and not link.is_symlink()
    [take_back] = re.findall(r"^your deck file as it was, .*; to take it back: (ln -sfn .*)$", out, re.M)
    assert f"your deck file stays as it was: {elsewhere}" in out and "with its record as it was)" in out
    taken = pasted(take_back)
    assert (taken.returncode, taken.stderr) == (0, "")
    assert link.resolve() == elsewhere and elsewhere.read_bytes() == written and record.read_bytes() == recorded


def test_the_copy_of_another_deck_replaced_is_named_and_kept_by_that_deck(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    """decks/x.yaml holding her deck y, `import --replace` of deck x kept y's file as x.before-import-...: looked
    for as y's, it was not there, and five updates of x removed it."""
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "x.yaml").write_text(HERS.replace("deck: d", "deck: y"), encoding="utf-8")
    copy = Path(_replaced(capsys, data, "x", "t0"))
    for number in range(1, DECK_COPIES_KEPT + 1):
        _replaced(capsys, data, "x", f"t{number}", "--remove-missing")
    assert copy.name.startswith("y.before-import-") and deck_copies(data / "backups" / "decks", "y") == [copy]
    assert copy.read_text(encoding="utf-8") == HERS.replace("deck: d", "deck: y")


def test_a_copy_that_cannot_be_kept_whole_is_removed_and_a_full_disk_is_named(
    capsys,  # noqa: ANN001
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The disk filling up as her pictures were copied: the import wrote nothing, but left the deck file's copy
    (counted among the 5 kept, unnamed), and advised moving away a file or giving quiz the right to write."""
    code, _, err = quiz_import(tmp_path, capsys, "v1")
    assert code == 0, err
    draw_on(picture(tmp_path, "kidney.png"))
    deck = (tmp_path / "decks" / "anatomy.yaml").read_bytes()

    def disk_full(folder: Path, pictures: list[str], into: Path) -> Path:
        (into / "anatomy-media").mkdir(parents=True)
        raise OSError(errno.ENOSPC, "No space left on device", str(into / "anatomy-media" / "kidney.png"))

    monkeypatch.setattr(backupfolder, "_copy_pictures", disk_full)
    code, out, err = quiz_import(tmp_path, capsys, "v2", "--replace")
    assert code == 1 and out == ""
    assert "No space left on device" in err and "free some space" in err and "move away" not in err
    assert list((tmp_path / "backups" / "decks").iterdir()) == []
    assert (tmp_path / "decks" / "anatomy.yaml").read_bytes() == deck


def test_an_import_failing_once_its_deck_is_in_place_says_how_to_take_hers_back(
    capsys,  # noqa: ANN001
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The history failing after the deck and its record were placed: the import named the copy alone, without
    the record's copy or the command that puts both back (her deck copied back by hand kept the import's record,
    and was taken for the deck the import wrote)."""
    data = _two_notes_decks(tmp_path)
    _replaced(capsys, data, "y", "t0")  # her deck now has an import record
    record, deck = data / "decks" / "b" / "notes.import.json", data / "decks" / "b" / "notes.yaml"
    before = deck.read_bytes(), record.read_bytes()
    _history_failing_once_the_deck_is_placed(monkeypatch)
    source = tmp_path / "y-t9.yaml"
    source.write_text(basic_deck_yaml(1, "y").replace("id: c0", "id: t9"), encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(data), "import", "--replace", str(source))
    assert code == 1 and "database is locked" in err and (deck.read_bytes(), record.read_bytes()) != before
    [take_back] = re.findall(r"your deck file as it was, [^;]*; to take it back: (cp .*)$", err, re.M)
    taken = pasted(take_back)
    assert (taken.returncode, taken.stderr) == (0, "")
    assert (deck.read_bytes(), record.read_bytes()) == before


def test_a_command_naming_a_path_with_a_control_character_is_shown_escaped_and_said_not_to_paste(
    capsys,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    """A data folder named with a line break and a tab: the command showed each as �, and pasted, it copied
    nothing (`cp: cannot stat '.../two�lines�dir/...'`), with nothing said."""
    data = tmp_path / "two\nlines\tdir"
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "d.yaml").write_text(HERS, encoding="utf-8")
    source = tmp_path / "src.yaml"
    source.write_text(basic_deck_yaml(1).replace("id: c0", "id: t1"), encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(data), "import", "--replace", str(source))
    assert code == 0, err
    [take_back] = re.findall(r"; to take it back: (cp .*)$", out, re.M)
    assert take_back.startswith(f"cp '{tmp_path}/two\\nlines\\tdir/backups/decks/d.before-import-")
    assert take_back.endswith("(a path in it holds a control character, shown escaped: it cannot be pasted as it is)")


def test_validate_says_the_import_it_advises_keeps_a_copy_when_it_does(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    """A new version of her deck (linked into the deck folder) renaming a card: validate said the advised import
    takes "nothing it lacks", and the import then kept a copy of her deck file, said as one "with what the
    import removed": the two disagreed."""
    data, v2 = _imported_and_a_version_renaming_a_card(capsys, tmp_path)
    elsewhere = tmp_path / "my notes" / "pharm.yaml"
    elsewhere.parent.mkdir()
    (data / "decks" / "pharm.yaml").rename(elsewhere)
    elsewhere.write_text(elsewhere.read_text(encoding="utf-8") + MINE, encoding="utf-8")
    (data / "decks" / "pharm.yaml").symlink_to(elsewhere)
    studied(data, "pharm", "ord", "order")
    code, out, _ = run(capsys, "--data-dir", str(data), "validate", str(v2))
    [(flags, advice)] = re.findall(r"`quiz --data-dir \S+ import ([-a-z ]+) \S+` takes it as it is \(([^)]*)\)", out)
    assert "keeps a copy of your deck file as it was" in advice
    code, out, err = run(capsys, "--data-dir", str(data), "import", *flags.split(), str(v2))
    assert code == 0, err
    assert re.findall(KEPT, out, re.M)


def test_a_data_folder_given_relative_keeps_as_many_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The copies named absolute, and the copies listed to prune relative: the copy just made was taken for an
    older one, and one copy fewer was kept."""
    monkeypatch.chdir(tmp_path)
    deck = tmp_path / "d.yaml"
    for number in range(DECK_COPIES_KEPT + 2):
        deck.write_text(f"version {number}", encoding="utf-8")
        prune_deck_copies(
            Path("data"), "d", keep_deck_file(Path("data"), deck, "d", datetime(2026, 1, 1, tzinfo=UTC)).deck
        )
    assert len(deck_copies(tmp_path / "data" / "backups" / "decks", "d")) == DECK_COPIES_KEPT


def test_an_import_failing_after_writing_over_her_picture_names_its_copy_and_how_to_put_it_back(
    capsys,  # noqa: ANN001
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The history failing after the pictures were written, before the deck was placed: the import named the
    deck's copy alone, and her picture's copy, the only one left, was in a folder no message named."""
    code, _, err = quiz_import(tmp_path, capsys, "v1")
    assert code == 0, err
    kidney = picture(tmp_path, "kidney.png")
    hers = draw_on(kidney)

    def failed(*args: object, **kwargs: object) -> None:
        raise StoreError("database is locked")

    monkeypatch.setattr(importing, "_write", failed)
    code, _, err = quiz_import(tmp_path, capsys, "v2", "--replace")
    assert code == 1 and "database is locked" in err and kidney.read_bytes() != hers
    [take_back] = re.findall(
        r"your pictures and sound files it replaced: in [^;]*; to take them back: (cp -R .*)$", err
    )
    taken = pasted(take_back)
    assert (taken.returncode, taken.stderr) == (0, "")
    assert kidney.read_bytes() == hers


def test_replacing_a_link_to_her_deck_without_a_record_says_how_to_link_it_back_without_the_import_s_record(
    capsys,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    """--replace over a link to her own deck, never imported, printed no command: linked back by hand, her deck
    had the import's record beside it, and the next import of that file took her deck for the one it wrote."""
    data, source = _hers_and_another(tmp_path)
    link, record = data / "decks" / "d.yaml", data / "decks" / "d.import.json"
    elsewhere = _her_deck_moved_behind_a_link(tmp_path, data)
    code, out, err = run(capsys, "--data-dir", str(data), "import", "--replace", str(source))
    assert code == 0, err
    assert record.is_file() and not link.is_symlink()
    [take_back] = re.findall(r"; to link it back: (ln -sfn .*)$", out, re.M)
    taken = pasted(take_back)
    assert (taken.returncode, taken.stderr) == (0, "")
    assert link.resolve() == elsewhere and elsewhere.read_text(encoding="utf-8") == HERS and not record.exists()


def test_the_command_linking_her_deck_back_keeps_her_relative_link_relative(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    """The command re-created her relative link as an absolute one to its final target: a data folder and notes
    moved or synced together then broke it."""
    data, source = _hers_and_another(tmp_path)
    link = data / "decks" / "d.yaml"
    elsewhere = data / "my notes" / "d.yaml"
    elsewhere.parent.mkdir()
    link.rename(elsewhere)
    link.symlink_to(Path("..") / "my notes" / "d.yaml")
    code, out, err = run(capsys, "--data-dir", str(data), "import", "--replace", str(source))
    assert code == 0, err
    [take_back] = re.findall(r"; to link it back: (ln .*)$", out, re.M)
    taken = pasted(take_back)
    assert (taken.returncode, taken.stderr) == (0, "")
    assert os.readlink(link) == "../my notes/d.yaml" and link.read_text(encoding="utf-8") == HERS


def test_the_import_record_of_a_private_deck_and_its_copy_are_as_private(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    """The import record holds the deck's whole text, yet was written 644 beside her private (600) deck, and its
    copy in backups/decks followed it."""
    data, source = _hers_and_another(tmp_path)
    deck, record = data / "decks" / "d.yaml", data / "decks" / "d.import.json"
    umask = os.umask(0o022)
    try:
        assert run(capsys, "--data-dir", str(data), "import", "--replace", str(source))[0] == 0
        assert oct(record.stat().st_mode & 0o777) == "0o644"  # what an older quiz wrote, kept private from now on
        deck.write_text(deck.read_text(encoding="utf-8").replace("answer 0", "mine"), encoding="utf-8")
        deck.chmod(0o600)
        source.write_text(source.read_text(encoding="utf-8").replace("answer 0", "theirs"), encoding="utf-8")
        code, _, err = run(capsys, "--data-dir", str(data), "import", "--replace", str(source))
    finally:
        os.umask(umask)
    assert code == 0, err
    [copy] = (data / "backups" / "decks").glob("d.before-import-*.import.json")
    assert [oct(path.stat().st_mode & 0o777) for path in (deck, record, copy)] == ["0o600"] * 3


def test_a_copies_folder_an_older_quiz_made_readable_by_all_is_made_private(tmp_path: Path) -> None:
    """backups/decks was made 700 only when quiz created it: one an older quiz made (755) stayed readable."""
    deck = tmp_path / "decks" / "d.yaml"
    deck.parent.mkdir()
    deck.write_text("d", encoding="utf-8")
    folder = tmp_path / "backups" / "decks"
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    keep_deck_file(tmp_path, deck, "d", datetime(2026, 1, 1, tzinfo=UTC))
    assert oct(folder.stat().st_mode & 0o777) == "0o700"


def test_a_copy_s_name_is_never_used_again_after_the_newest_was_deleted_by_hand(tmp_path: Path) -> None:
    """The number counted only the names still there: the newest copy deleted by hand, the next import within the
    same second took its name, and the command printed for it restored the new copy."""
    now = datetime(2026, 12, 3, 10, tzinfo=UTC)
    [(newest, _)] = _copies_at(tmp_path, [now])
    newest.unlink()
    [(made, _)] = _copies_at(tmp_path, [now])
    assert made != newest


def test_an_import_failing_over_a_link_to_her_deck_without_a_record_says_how_to_link_it_back(
    capsys,  # noqa: ANN001
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """--replace over a link to her own deck, never imported, failing once the deck was placed (the history's
    commit failing): the error named neither her file nor the command that links it back, and a retry no longer
    sees a link to say it."""
    data, source = _hers_and_another(tmp_path)
    link, record = data / "decks" / "d.yaml", data / "decks" / "d.import.json"
    elsewhere = _her_deck_moved_behind_a_link(tmp_path, data)
    _history_failing_once_the_deck_is_placed(monkeypatch)
    code, _, err = run(capsys, "--data-dir", str(data), "import", "--replace", str(source))
    assert code == 1 and "database is locked" in err and not link.is_symlink()
    [take_back] = re.findall(
        rf"your deck file stays as it was: {re.escape(str(elsewhere))}; .*; to link it back: (ln .*)$", err, re.M
    )
    taken = pasted(take_back)
    assert (taken.returncode, taken.stderr) == (0, "")
    assert link.resolve() == elsewhere and elsewhere.read_text(encoding="utf-8") == HERS and not record.exists()


def test_an_import_failing_over_a_link_to_her_imported_deck_names_her_file_as_staying(
    capsys,  # noqa: ANN001
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """--replace over a link to her imported deck (with its record), failing once the deck was placed: the error
    named only the copy "with what the import removed or replaced", as if her file had lost something, never her
    file, which stays as it was (a written import says so)."""
    data, source = _hers_and_another(tmp_path)
    hers = tmp_path / "hers.yaml"
    hers.write_text(HERS, encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(data), "import", "--replace", str(hers))
    assert code == 0, err
    link, record = data / "decks" / "d.yaml", data / "decks" / "d.import.json"
    elsewhere = _her_deck_moved_behind_a_link(tmp_path, data)
    recorded, written = record.read_bytes(), elsewhere.read_bytes()
    _history_failing_once_the_deck_is_placed(monkeypatch)
    code, _, err = run(capsys, "--data-dir", str(data), "import", "--replace", str(source))
    assert code == 1 and "database is locked" in err and not link.is_symlink()
    [take_back] = re.findall(r"^your deck file as it was, .*; to take it back: (ln -sfn .*)$", err, re.M)
    assert f"your deck file stays as it was: {elsewhere} (the import replaced {link}, the link to it" in err
    assert err.index(take_back) < err.index("your deck file stays as it was")  # "the command above"
    taken = pasted(take_back)
    assert (taken.returncode, taken.stderr) == (0, "")
    assert link.resolve() == elsewhere and elsewhere.read_bytes() == written and record.read_bytes() == recorded


def _last_number_file(tmp_path: Path) -> Path:
    """The file in deck d's copies folder that holds the last number given to one of its copies."""
    return tmp_path / "backups" / "decks" / "d.before-import-last-number"


@pytest.mark.parametrize(
    ("damaged", "then"),
    [
        ("9" * 300, 2),  # every later copy's name too long for the file system: no import kept one again
        ("9" * 10, 2),
        ("1_000", 2),
        (" +7 ", 2),
        ("\N{ARABIC-INDIC DIGIT THREE}", 2),
        ("7", 8),
        ("000000007\n", 8),
    ],
    ids=["300 digits", "10 digits", "underscore", "sign and spaces", "not ascii", "7", "9 digits and a line end"],
)
def test_only_a_last_number_of_a_few_ascii_digits_counts(tmp_path: Path, damaged: str, then: int) -> None:
    """A last-number file holding a long number, or one int() reads though it is no plain number: every later
    copy took a name too long to make (and the import said only to import again), or a number never given."""
    now = datetime(2026, 12, 3, 10, tzinfo=UTC)
    _copies_at(tmp_path, [now])
    _last_number_file(tmp_path).write_text(damaged, encoding="utf-8")
    [(made, _)] = _copies_at(tmp_path, [now + timedelta(seconds=1)])
    assert made.name.startswith(f"d.before-import-{then:06d}-")


def test_no_copy_is_numbered_past_what_the_last_number_file_can_hold(tmp_path: Path) -> None:
    """A last-number file holding 999999999: the next copies took 10-digit numbers, written there but ignored when
    read back (too long), so the newest copy deleted by hand gave its name again within the same second."""
    now = datetime(2026, 12, 3, 10, tzinfo=UTC)
    [(first, _)] = _copies_at(tmp_path, [now])
    _last_number_file(tmp_path).write_text("999999999", encoding="ascii")
    with pytest.raises(DeckCopyError, match=r"999999999.*move them out of .*backups/decks") as raised:
        _copies_at(tmp_path, [now + timedelta(seconds=1)])
    assert "d.before-import-last-number" in str(raised.value)
    assert deck_copies(tmp_path / "backups" / "decks", "d") == [first]
    first.unlink()  # as the error says: the copies and the last number moved out
    _last_number_file(tmp_path).unlink()
    [(made, _)] = _copies_at(tmp_path, [now + timedelta(seconds=2)])
    assert made.name.startswith("d.before-import-000001-")


def test_a_last_number_that_is_a_link_is_never_read(tmp_path: Path) -> None:
    """A link there was followed: the number read where it led."""
    now = datetime(2026, 12, 3, 10, tzinfo=UTC)
    _copies_at(tmp_path, [now])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("41", encoding="ascii")
    _last_number_file(tmp_path).unlink()
    _last_number_file(tmp_path).symlink_to(elsewhere)
    [(made, _)] = _copies_at(tmp_path, [now + timedelta(seconds=1)])
    assert made.name.startswith("d.before-import-000002-") and elsewhere.read_text(encoding="ascii") == "41"


def test_a_last_number_that_is_a_fifo_never_holds_the_import_up(tmp_path: Path) -> None:
    """A FIFO there: keeping a copy waited, with nothing said, for something to write to it (here a writer that
    comes after a while: without one, every import keeping a copy hung for good)."""
    now = datetime(2026, 12, 3, 10, tzinfo=UTC)
    _copies_at(tmp_path, [now])
    fifo = _last_number_file(tmp_path)
    fifo.unlink()
    os.mkfifo(fifo)

    def writer() -> None:  # opens the FIFO once a reader has (never blocking), for 3 seconds at most
        for _ in range(300):
            try:
                written = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                time.sleep(0.01)
                continue
            os.write(written, b"41")
            os.close(written)
            return

    started = threading.Thread(target=writer, daemon=True)
    started.start()
    [(made, _)] = _copies_at(tmp_path, [now + timedelta(seconds=1)])
    started.join()
    assert made.name.startswith("d.before-import-000002-")


def test_a_folder_at_the_last_number_file_leaves_the_import_working_and_is_said_once(
    capsys,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    """A folder there kept the last number from being saved, with nothing said: from then on only the copies'
    names kept a number from being given twice."""
    data, source = _hers_and_another(tmp_path)
    counter = data / "backups" / "decks" / "d.before-import-last-number"
    counter.mkdir(parents=True)
    code, out, err = run(capsys, "--data-dir", str(data), "import", "--replace", str(source))
    assert code == 0, err
    [(copy, _)] = re.findall(KEPT, out, re.M)
    assert Path(copy).name.startswith("d.before-import-000001-") and counter.is_dir()
    assert err.count("d.before-import-last-number") == 1, err
    assert f"warning: cannot save the number of this copy in {counter}: Is a directory — move it away" in err


def test_each_command_a_failed_import_prints_ends_its_line(
    capsys,  # noqa: ANN001
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The history failing once the deck was placed over her picture: the command taking her deck back was
    followed on its line by `; your pictures ...`, which, copied with it to the end of the line, the shell ran."""
    code, _, err = quiz_import(tmp_path, capsys, "v1")
    assert code == 0, err
    kidney = picture(tmp_path, "kidney.png")
    hers = draw_on(kidney)
    _history_failing_once_the_deck_is_placed(monkeypatch)
    code, _, err = quiz_import(tmp_path, capsys, "v2", "--replace")
    assert code == 1 and "database is locked" in err and kidney.read_bytes() != hers
    commands = re.findall(r"; to take (?:it|them) back: (.*)$", err, re.M)
    assert len(commands) == 2
    for command in commands:
        taken = pasted(command)
        assert (taken.returncode, taken.stderr) == (0, "")
    assert kidney.read_bytes() == hers
