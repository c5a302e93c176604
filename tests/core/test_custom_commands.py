"""Users' own decks: where they live, `new`, `add`, and the error paths of each command."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quiz.commands.new import template
from quiz.context import Context, DeckFolderProblem
from quiz.core.cardstate import CardState
from quiz.core.clock import FixedClock
from quiz.core.decks import load_deck_file, parse_deck
from quiz.core.kinds import KINDS
from quiz.core.library import SHIPPED_DECKS
from quiz.core.model import Grade, Mode
from quiz.core.store import Store
from quiz.core.text import sanitize
from tests.conftest import START
from tests.conftest import run_cli as run

GOOD = "deck: {id}\ntitle: Deck {id}\ncards:\n  - {{id: one, kind: basic, front: Q, back: A}}\n"


def last_error_line(err: str) -> str:
    assert "Traceback" not in err
    return err.strip().splitlines()[-1]


def test_decks_come_from_shipped_user_folder_and_deck_paths(capsys, tmp_path: Path) -> None:
    user = tmp_path / "data" / "decks"
    user.mkdir(parents=True)
    (user / "mine.yaml").write_text(GOOD.format(id="mine"))
    folder = tmp_path / "folder"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.yaml").write_text(GOOD.format(id="folder-a"))
    (folder / "sub" / "b.yml").write_text(GOOD.format(id="folder-b"))  # a folder may hold several decks
    single = tmp_path / "single.yaml"
    single.write_text(GOOD.format(id="single"))
    code, out, _ = run(
        capsys, "--data-dir", str(tmp_path / "data"), "--deck", str(folder), "--deck", str(single), "list", "--json"
    )
    assert code == 0
    assert {row["deck"] for row in json.loads(out)} == {"ketamine", "mine", "folder-a", "folder-b", "single"}


def test_template_has_every_kind_and_validates() -> None:
    result = parse_deck(template("t", "A: title 'with' quotes #1").encode(), "t.yaml")
    assert result.ok, [str(p) for p in result.problems]
    # an occlusion card needs a picture file: its example is there, commented (test_deck_images loads it)
    assert {n.kind for n in result.deck.notes} == set(KINDS) - {"occlusion"}
    assert "  #   kind: occlusion\n" in template("t", "T")
    assert result.deck.title == "A: title 'with' quotes #1" and not result.problems
    typed = next(n for n in result.deck.notes if n.kind == "typed")
    assert "answer: 1969\n" in template("t", "T") and typed.body.answer == "1969"  # as its comment says: no quotes


def test_new_writes_a_template_into_the_user_folder(capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "new", "My Spanish")
    path = tmp_path / "decks" / "my-spanish.yaml"
    assert code == 0 and out.splitlines()[0] == str(path)
    deck = load_deck_file(path).deck
    assert deck.id == "my-spanish" and deck.title == "My Spanish"
    assert run(capsys, "validate", str(path))[0] == 0
    text = path.read_text()
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "new", "My Spanish")
    assert code == 1 and "already exists" in last_error_line(err)
    assert path.read_text() == text  # never overwritten


@pytest.mark.parametrize("title", ["Pharm \x1b[31mred", "Tox \u202etxt.exe", "Bell\x07"])
def test_new_writes_a_title_s_control_and_bidi_characters_as_the_loader_shows_them(
    capsys, tmp_path: Path, title: str
) -> None:
    """They were written as given, so the deck quiz had just written warned at every validate."""
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "new", "pharm", "--title", title)
    assert code == 0, err
    loaded = load_deck_file(Path(out.splitlines()[0]))
    assert loaded.deck is not None and loaded.problems == []
    assert loaded.deck.title == sanitize(title)[0] and "\ufffd" in loaded.deck.title


@pytest.mark.parametrize(("name", "words"), [("ketamine", "already used by"), ("!!!", "cannot make a deck id")])
def test_new_refuses_bad_or_used_names(capsys, tmp_path: Path, name: str, words: str) -> None:
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "new", name)
    assert code == 1 and words in last_error_line(err)


def test_new_of_a_name_in_another_script_says_latin_letters_and_how_to_keep_the_name(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "new", "日本語")
    line = last_error_line(err)
    assert code == 1 and "Latin letters (a-z) and digits" in line
    assert (
        f"`quiz --data-dir {tmp_path} new NAME --title '日本語'`" in line
    )  # the option `new` really has, the name quoted for the shell


@pytest.mark.parametrize("name", ["CON", "nul", "Com1", "lpt9"])
def test_new_refuses_a_name_windows_keeps_for_a_device_and_says_what_to_type(capsys, tmp_path: Path, name: str) -> None:
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "new", name)
    line = last_error_line(err)
    assert code == 1 and f"Windows keeps the name {name.upper()} for a device" in line
    assert f"new {name.lower()}-deck --title {name}`" in line
    assert not (tmp_path / "decks").exists() or not any((tmp_path / "decks").iterdir())


def test_new_beside_a_file_named_the_same_but_for_case_takes_a_number(capsys, tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "Evil.yaml").write_text(GOOD.format(id="Evil"))
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "new", "evil")
    assert code == 0, err
    assert out.splitlines()[:2] == [
        str(decks / "evil-2.yaml"),
        "named evil-2.yaml: a file named evil.yaml but for case is there, and macOS and Windows take the two for one",
    ]
    assert load_deck_file(decks / "evil-2.yaml").deck.id == "evil"
    assert (decks / "Evil.yaml").read_text() == GOOD.format(id="Evil")  # hers, untouched


def test_add_copies_a_valid_deck(capsys, tmp_path: Path) -> None:
    source = tmp_path / "fresh.yaml"
    source.write_text(GOOD.format(id="fresh"))
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "data"), "add", str(source))
    target = tmp_path / "data" / "decks" / "fresh.yaml"
    assert code == 0 and out.splitlines()[0] == str(target)
    assert target.read_bytes() == source.read_bytes()
    # the same file again: nothing is wrong, so no failure (a script adding its decks each time went on as failed)
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "data"), "add", str(source))
    assert (code, err) == (0, "") and out == (
        f"{source} is already in your deck folder, as {target}, unchanged: nothing to add\n"
    )


@pytest.mark.parametrize("name", ["fresh.yaml", "fresh-week3.yaml"])
def test_add_of_a_new_version_of_a_deck_added_before_says_how_to_take_it(capsys, tmp_path: Path, name: str) -> None:
    """A teacher's update, under the same file name or a new one: another `deck:` id would cut it from the
    student's history, and removing the file is not needed either; `quiz import` takes it."""
    first = tmp_path / "v1" / "fresh.yaml"
    first.parent.mkdir()
    first.write_text(GOOD.format(id="fresh"))
    data = tmp_path / "data"
    assert run(capsys, "--data-dir", str(data), "add", str(first))[0] == 0
    update = tmp_path / "v2" / name
    update.parent.mkdir()
    update.write_text(GOOD.format(id="fresh").replace("back: A", "back: A2"))
    code, _, err = run(capsys, "--data-dir", str(data), "add", str(update))
    message = last_error_line(err)
    assert code == 1 and "change `deck:`" not in message and "remove it first" not in message
    assert f"deck 'fresh' is already in your deck folder, in {data / 'decks' / 'fresh.yaml'}" in message
    assert f"`quiz --data-dir {data} import {update}`" in message and "link" not in message
    assert (data / "decks" / "fresh.yaml").read_bytes() == first.read_bytes()  # nothing written


@pytest.mark.parametrize("layout", ["link", "link into a clone", "clone in the deck folder", "deck folder in a clone"])
def test_add_of_a_new_version_of_a_deck_in_a_clone_or_linked_says_how_to_take_it(
    capsys, tmp_path: Path, layout: str
) -> None:
    """The deck folder's file may be a link to a file kept elsewhere, or in a clone of the teacher's repository
    (linked in, or cloned into the deck folder): still the deck in the deck folder. `quiz import` would rewrite
    the file in the clone, and git then refuses to pull over that change: a clone's student is told to `git pull`.
    A deck folder inside a clone of her own (her dotfiles, which she commits herself) is no teacher's clone."""
    data = tmp_path / "data"
    decks = data / "decks"
    kept = {"clone in the deck folder": decks / "course", "deck folder in a clone": decks}.get(
        layout, tmp_path / "kept"
    )
    kept /= "fresh.yaml"
    kept.parent.mkdir(parents=True)
    kept.write_text(GOOD.format(id="fresh"))
    decks.mkdir(parents=True, exist_ok=True)
    if layout.startswith("link"):
        (decks / "fresh.yaml").symlink_to(kept)
    if "clone" in layout:
        (tmp_path if layout == "deck folder in a clone" else kept.parent).joinpath(".git").mkdir()
    update = tmp_path / "fresh-week3.yaml"
    update.write_text(GOOD.format(id="fresh").replace("back: A", "back: A2"))
    code, _, err = run(capsys, "--data-dir", str(data), "add", str(update))
    message = last_error_line(err)
    owner = kept if kept.parent == decks / "course" else decks / "fresh.yaml"
    assert code == 1 and f"deck 'fresh' is already in your deck folder, in {owner}" in message
    if layout in ("link into a clone", "clone in the deck folder"):
        assert f"is in the git clone {kept.parent}: take new versions there with `git pull`" in message
        assert f"(`quiz --data-dir {data} import {update}` would rewrite {kept}, and git would then refuse" in message
    elif layout == "link":
        assert f"{owner} is a link to {kept}: take new versions there, as you did, or run" in message
        assert f"`quiz --data-dir {data} import {update}`, which rewrites {kept}" in message
    else:
        assert f"to take it, run `quiz --data-dir {data} import {update}`" in message and "git" not in message


def test_add_refuses_an_invalid_deck_with_every_problem(capsys, tmp_path: Path) -> None:
    source = tmp_path / "broken.yaml"
    source.write_text("deck: broken\ntitle: B\ncards:\n  - {id: x, kind: basic, front: Q}\n  - {id: y, kind: nope}\n")
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "add", str(source))
    lines = err.strip().splitlines()
    assert code == 1
    assert any(line.startswith(f"{source}:4:") and "missing field 'back'" in line for line in lines)
    assert any(line.startswith(f"{source}:5:") and "unknown kind 'nope'" in line for line in lines)
    assert "is not a valid deck (2 problems above); nothing was added" in last_error_line(err)
    assert not (tmp_path / "data" / "decks" / "broken.yaml").exists()


def test_a_copy_of_a_deck_that_sorts_first_is_named_by_validate_of_the_original(capsys, tmp_path: Path) -> None:
    """`list` sent her to `validate` of the original, which said ok: checked alone, the file has no problem."""
    decks = tmp_path / "decks"
    decks.mkdir()
    original, copy = decks / "nursing.yaml", decks / "nursing copy.yaml"  # ' ' sorts before '.'
    copy.write_text(GOOD.format(id="nursing"), encoding="utf-8")
    original.write_text(GOOD.format(id="nursing").replace("back: A", "back: B"), encoding="utf-8")
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "list")
    assert (
        code == 0
        and f"{original}: not loaded: " in out
        and f"`quiz --data-dir {tmp_path} validate {original}` says more" in out
    )
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "validate", str(original))
    assert code == 1 and f"{original}:1:1: deck id 'nursing' is already used by {copy}, loaded first" in out
    assert "keep one: delete this file or that one (a copy, or an older version of the deck)" in out
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "validate", str(copy))
    assert code == 0 and out.startswith(f"ok {copy}")


def test_a_deck_given_with_deck_whose_id_the_deck_folder_holds_is_explained_by_the_validate_list_names(
    capsys, tmp_path: Path
) -> None:
    """`list` sent him to `quiz validate` of the file he gave with --deck, which checked it alone and said ok."""
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "nursing.yaml").write_text(GOOD.format(id="nursing"), encoding="utf-8")
    given = tmp_path / "nursing-v2.yaml"
    given.write_text(GOOD.format(id="nursing"), encoding="utf-8")
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "--deck", str(given), "list")
    validate = f"quiz --data-dir {tmp_path} --deck {given} validate {given}"
    assert code == 0 and f"{given}: not loaded: " in out and f"`{validate}` says more" in out
    code, out, _ = run(capsys, *validate.split()[1:])
    assert code == 1 and f"{given}:1:1: deck id 'nursing' is already used by {decks / 'nursing.yaml'}" in out


def test_a_deck_in_a_folder_linked_into_the_deck_folder_is_validated_as_quiz_loads_it(capsys, tmp_path: Path) -> None:
    """Named by its own path (~/Dropbox/pharm/nursing.yaml), not through the link: quiz loads it from the deck
    folder, beside her copy that takes its id first."""
    decks, shared = tmp_path / "decks", tmp_path / "Dropbox" / "pharm"
    decks.mkdir()
    shared.mkdir(parents=True)
    (decks / "a-nursing.yaml").write_text(GOOD.format(id="nursing"), encoding="utf-8")  # sorts before the link
    (decks / "shared").symlink_to(shared)
    (shared / "nursing.yaml").write_text(GOOD.format(id="nursing"), encoding="utf-8")
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "validate", str(shared / "nursing.yaml"))
    assert code == 1 and "deck id 'nursing' is already used by" in out and "a-nursing.yaml, loaded first" in out


def test_a_deck_of_hers_with_a_shipped_decks_id_is_told_to_take_another_id(capsys, tmp_path: Path) -> None:
    """The shipped deck loads first as shipped decks come first, not as it sorts first; her deck is no copy to
    delete."""
    mine = tmp_path / "decks" / "ketamine.yaml"
    mine.parent.mkdir()
    mine.write_text(GOOD.format(id="ketamine"), encoding="utf-8")
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "validate", str(mine))
    shipped = SHIPPED_DECKS / "ketamine" / "ketamine.yaml"
    assert code == 1 and f"deck id 'ketamine' is already used by {shipped}, loaded first — give this deck" in out
    assert "copy" not in out and "sorts first" not in out


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
@pytest.mark.parametrize("linked", ["the deck folder", "the data folder"])
def test_validate_names_the_copy_loaded_first_when_a_link_leads_to_the_deck_folder(
    capsys, tmp_path: Path, linked: str
) -> None:
    """The deck folder kept in a synced folder (or the data folder reached through a link) and the original named
    by its other path: validate said ok, rc 0, for the file `list` does not load."""
    synced = tmp_path / "Dropbox"
    (synced / "decks").mkdir(parents=True)
    if linked == "the deck folder":
        data = tmp_path / "data"
        data.mkdir()
        (data / "decks").symlink_to(synced / "decks")
    else:
        data = tmp_path / "link"
        data.symlink_to(synced)
    copy = synced / "decks" / "nursing copy.yaml"
    copy.write_text(GOOD.format(id="nursing"), encoding="utf-8")
    (synced / "decks" / "nursing.yaml").write_text(GOOD.format(id="nursing"), encoding="utf-8")
    code, out, _ = run(capsys, "--data-dir", str(data), "validate", str(synced / "decks" / "nursing.yaml"))
    assert code == 1 and f"deck id 'nursing' is already used by {data / 'decks' / copy.name}" in out


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        ("used", "deck id 'ketamine' is already used by"),
        ("shipped", "is already loaded"),
        ("missing", "cannot read the file"),
        ("folder", "is a folder"),
        ("text", "must end in .yaml or .yml"),
    ],
)
def test_add_error_paths(capsys, tmp_path: Path, setup: str, words: str) -> None:
    paths = {
        "used": tmp_path / "other.yaml",
        "shipped": SHIPPED_DECKS / "ketamine" / "ketamine.yaml",
        "missing": tmp_path / "missing.yaml",
        "folder": tmp_path,
        "text": tmp_path / "deck.txt",
    }
    paths["used"].write_text(GOOD.format(id="ketamine"))
    paths["text"].write_text(GOOD.format(id="t"))
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "add", str(paths[setup]))
    assert code == 1 and words in last_error_line(err) + err


def test_export_reviews_of_a_deck(capsys, tmp_path: Path) -> None:
    store = Store.in_folder(tmp_path)
    at = datetime(2026, 1, 5, 9, 30, 15, 250000, tzinfo=UTC)
    store.record_review("ketamine", "mech-nmda-block", Grade.GOOD, at, 4200, Mode.REVIEW, None, CardState("basic"))
    store.record_review("other", "x", Grade.AGAIN, at, 10, Mode.PRACTICE, None, CardState("basic"))
    store.close()
    log = tmp_path / "log.csv"
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "export", "ketamine", "--reviews", "-o", str(log))
    assert code == 0 and out.endswith(": 1 review\n")
    assert log.read_text(encoding="utf-8-sig").splitlines() == [
        "deck,card,grade,time_utc,duration_ms,mode",
        "ketamine,mech-nmda-block,3,2026-01-05T09:30:15.250Z,4200,review",
    ]
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "export", "--reviews", "-o", str(log), "--force")
    assert code == 0 and out.endswith(": 1 review, 1 practice answer\n")


def test_export_reviews_counts_an_exam_answer_as_one(capsys, tmp_path: Path) -> None:
    store = Store.in_folder(tmp_path)
    store.record_review("ketamine", "mech-nmda-block", Grade.GOOD, START, 4200, Mode.EXAM, None, CardState("basic"))
    store.close()
    log = tmp_path / "log.csv"
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "export", "--reviews", "-o", str(log))
    assert code == 0 and out == f"wrote {log}: 1 exam answer\n"


def test_a_deck_folder_linked_to_a_folder_not_there_is_a_problem_naming_both_in_a_short_and_a_whole_form(
    tmp_path: Path,
) -> None:
    # Home shows the short form after its own "Your decks: "; a command prints the whole sentence. Home used to cut
    # the sentence's first words off, so a change of wording here would have broken its line.
    data = tmp_path / "data"
    data.mkdir()
    context = Context(data_dir=data, clock=FixedClock(START), include_shipped=False)
    assert context.deck_folder_problem() is None  # no deck folder yet: the first add makes it
    gone = tmp_path / "Sync" / "decks"
    (data / "decks").symlink_to(gone)
    problem = context.deck_folder_problem()
    assert problem == DeckFolderProblem(data / "decks", str(gone))
    assert problem.detail.startswith(f"{data / 'decks'} is a link to {gone}, which is not there")
    assert problem.message == f"your deck folder {problem.detail}"
    gone.mkdir(parents=True)  # mounted again
    assert context.deck_folder_problem() is None


@pytest.mark.parametrize("command", [["new", "Verbs"], ["add", "DECK"], ["import", "CSV"]])
def test_a_deck_folder_linked_to_a_folder_not_there_is_named_not_file_exists(
    capsys, tmp_path: Path, command: list[str]
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    gone = tmp_path / "Sync" / "decks"  # the synced folder holding the decks is not mounted
    (data / "decks").symlink_to(gone)
    deck = tmp_path / "verbs.yaml"
    deck.write_text(GOOD.format(id="verbs"), encoding="utf-8")
    table = tmp_path / "verbs.csv"
    table.write_text("front,back\nhablar,to speak\n", encoding="utf-8")
    args = [{"DECK": str(deck), "CSV": str(table)}.get(word, word) for word in command]
    code, _, err = run(capsys, "--data-dir", str(data), *args)
    assert code == 1
    assert last_error_line(err) == (
        f"quiz: your deck folder {data / 'decks'} is a link to {gone}, which is not there (a synced folder not"
        " mounted?): mount it, or link the deck folder to a folder that is there"
    )
    assert not (tmp_path / "Sync").exists()


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["stats"],
        ["export", "med", "-o", "OUT"],
        ["validate", "DECKS"],
        ["plan", "med", "--exam", "2030-01-01"],
        ["rename-card", "med", "one", "two"],
    ],
)
def test_a_command_reading_the_decks_says_the_deck_folder_is_not_there(
    capsys, tmp_path: Path, command: list[str]
) -> None:
    """Not just a list without the user's decks, or "no deck with id": why they are missing, on stderr, once."""
    data = tmp_path / "data"
    data.mkdir()
    gone = tmp_path / "Sync" / "decks"
    (data / "decks").symlink_to(gone)
    args = [{"OUT": str(tmp_path / "out.yaml"), "DECKS": str(data / "decks")}.get(word, word) for word in command]
    _, _, err = run(capsys, "--data-dir", str(data), *args)
    said = f"quiz: your deck folder {data / 'decks'} is a link to {gone}, which is not there"
    assert err.count(said) == 1
