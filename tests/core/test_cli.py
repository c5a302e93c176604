import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from quiz.commands import importing
from quiz.context import Context
from quiz.core.decks import load_deck_file
from quiz.core.store import STORE_NAME, Store
from tests.conftest import basic_deck_yaml
from tests.conftest import run_cli as run

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "docs" / "example-deck.yaml"
BAD = ROOT / "tests" / "data" / "bad"


def test_validate_ok_prints_one_line_per_deck(capsys) -> None:
    code, out, _ = run(capsys, "validate", str(EXAMPLE))
    assert code == 0
    assert out.startswith(f"ok {EXAMPLE}: deck example 'Example deck': 10 notes, 14 cards")


def test_validate_folder_with_errors_exits_1_and_lists_all(capsys) -> None:
    code, out, _ = run(capsys, "validate", str(BAD))
    assert code == 1
    files_reported = {line.split(":")[0] for line in out.splitlines() if line.strip()}
    assert len(files_reported) == len(list(BAD.glob("*.yaml")))


def test_validate_missing_path(capsys, tmp_path) -> None:
    code, out, err = run(capsys, "validate", str(tmp_path / "nope.yaml"))
    assert code == 1 and "cannot read the file" in out + err
    # the whole file, no line: `docs:0:0:` read as a place in it; the path, then what is wrong
    assert (out + err).startswith(f"{tmp_path / 'nope.yaml'}: cannot read the file: no such file")


def test_list_json_counts(capsys, tmp_path) -> None:
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "--deck", str(EXAMPLE), "list", "--json")
    assert code == 0
    rows = {row["deck"]: row for row in json.loads(out)}
    assert rows["example"]["new"] == 14 and rows["example"]["due"] == 0
    assert "ketamine" in rows  # the shipped deck is always there


def test_list_says_where_a_deck_that_did_not_load_went_wrong(capsys, tmp_path) -> None:
    """The line and column of its first problem, as `validate` gives them (it said only what was wrong)."""
    broken = tmp_path / "broken.yaml"
    broken.write_text('deck: b\ntitle: B\ncards:\n  - id: a\n    kind: basic\n    front: "open\n    back: x\n')
    (tmp_path / "data").mkdir()  # `list` reads a data folder; it makes none
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "data"), "--deck", str(broken), "list")
    assert code == 0
    [line] = [line for line in out.splitlines() if "not loaded" in line]
    assert line.startswith(f"{broken}: not loaded: line 6, column 12: YAML syntax error: this quote is never closed")
    assert line.endswith(f"`quiz --data-dir {tmp_path / 'data'} --deck {broken} validate {broken}` says more")


def test_stats_json(capsys, tmp_path) -> None:
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "stats", "--json")
    report = json.loads(out)
    assert code == 0 and len(report["due_forecast_30d"]) == 30
    assert report["answers_total"] == {"review": 0, "practice": 0, "exam": 0}


def test_stats_counts_every_answer_by_mode_over_the_same_30_days(capsys, tmp_path, monkeypatch) -> None:
    """An old review, and a review, two practice answers and an exam answer today: each figure says which."""
    from datetime import UTC, datetime, timedelta

    from quiz.core.cardstate import CardState
    from quiz.core.model import Grade, Mode
    from quiz.core.store import Store

    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    monkeypatch.setenv("QUIZ_NOW", now.isoformat())
    store = Store.in_folder(tmp_path, fresh=True)
    state = CardState(kind="basic")
    answers = [(now - timedelta(days=60), Mode.REVIEW)] + [
        (now, mode) for mode in (Mode.REVIEW, Mode.PRACTICE, Mode.PRACTICE, Mode.EXAM)
    ]
    for at, mode in answers:
        store.record_review("d", "c", Grade.GOOD, at, 1000, mode, None, state)
    store.close()
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "stats")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "answers logged:    review 2, practice 2, exam 1 (5 in all)"
    assert lines[1] == "last 30 days:      review 1, practice 2, exam 1 (4 in all)"
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "stats", "--json")
    report = json.loads(out)
    assert report["answers_total"] == {"review": 2, "practice": 2, "exam": 1}
    assert report["answers_last_30_days"] == {"review": 1, "practice": 2, "exam": 1}
    assert sum(report["reviews_per_day_last_30"]) == report["answers_last_30_days"]["review"]


def test_quiz_home_env_sets_the_data_dir(tmp_path) -> None:
    env = {"QUIZ_HOME": str(tmp_path / "home"), "PATH": "", "TZ": "UTC"}
    (tmp_path / "home").mkdir()  # `list` reads a data folder; it makes none
    subprocess.run([sys.executable, str(ROOT / "main.py"), "list"], env=env, check=True, capture_output=True)
    assert (tmp_path / "home" / "quiz.sqlite3").exists()


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["stats"],
        ["export", "ketamine", "-o", "OUT"],
        ["plan"],
        ["plan", "ketamine"],
        ["preset", "list"],
        ["preset", "show", "Default"],
        ["unbury"],
        ["rebuild"],
        ["optimize"],
        ["sync"],
        ["rename-card", "ketamine", "one", "two"],
        ["check"],  # said "no store yet", rc 0
        ["restore"],  # said "no backups yet", rc 0
        ["restore", "latest"],
    ],
)
def test_a_command_that_only_reads_refuses_a_data_folder_not_there_and_makes_none(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """A mistyped --data-dir or QUIZ_HOME showed an empty store as if the progress were gone, and made it."""
    typo = tmp_path / "nowhere" / "quizz"
    args = [str(tmp_path / "out.yaml") if word == "OUT" else word for word in command]
    code, out, err = run(capsys, "--data-dir", str(typo), *args)
    assert (code, out) == (1, "")
    assert err == (
        f"quiz: the data folder {typo} does not exist (--data-dir or QUIZ_HOME): check the path; quiz's first start"
        f" (`quiz --data-dir {typo}` alone) or a command that writes (`quiz --data-dir {typo} import`, `new`, `add`)"
        " creates it\n"
    )
    monkeypatch.setenv("QUIZ_HOME", str(typo))
    code, _, err = run(capsys, *args)
    assert code == 1 and f"the data folder {typo} does not exist" in err
    assert not (tmp_path / "nowhere").exists()


def test_a_command_that_writes_still_makes_a_data_folder_named(capsys, tmp_path: Path) -> None:
    deck = tmp_path / "d.yaml"
    deck.write_text(basic_deck_yaml(2, deck_id="d"), encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "new"), "add", str(deck))
    assert code == 0, err
    assert (tmp_path / "new" / "decks" / "d.yaml").exists()
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "new"), "list")
    assert code == 0 and "\nd " in out, err


@pytest.mark.parametrize(
    "command",
    [
        ["import", "BAD_DECK"],
        ["plan", "no-such-deck", "--exam", "2030-01-01", "--target", "0.9"],
        ["sync", "--folder", "NO_FOLDER"],
    ],
)
def test_a_command_that_writes_and_fails_leaves_no_data_folder_it_made(
    capsys, tmp_path: Path, command: list[str]
) -> None:
    """Left there, the mistyped folder was later shown as an empty store, as if the progress were gone."""
    bad_deck = tmp_path / "bad.yaml"
    bad_deck.write_text("deck: t\ncards:\n  - id: a\n    front: q\n", encoding="utf-8")
    named = {"BAD_DECK": str(bad_deck), "NO_FOLDER": str(tmp_path / "no-such-folder")}
    typo = tmp_path / "nowhere" / "quizz"
    code, _, _ = run(capsys, "--data-dir", str(typo), *[named.get(word, word) for word in command])
    assert code == 1
    assert not (tmp_path / "nowhere").exists()  # nor the parent made for it
    code, _, err = run(capsys, "--data-dir", str(typo), "list")
    assert code == 1 and f"the data folder {typo} does not exist" in err


def test_a_command_that_fails_keeps_a_data_folder_she_had_even_empty(capsys, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    code, _, _ = run(capsys, "--data-dir", str(mine), "plan", "no-such-deck", "--exam", "2030-01-01")
    assert code == 1 and mine.is_dir()


def test_a_data_folder_a_command_made_is_kept_once_something_was_written_in_it(tmp_path: Path) -> None:
    context = Context.from_options(str(tmp_path / "new"))
    context.note_folders_to_make()
    context.store.save_preset("mine", {})  # written before the command failed: kept
    context.close(failed=True)
    assert Store(tmp_path / "new" / STORE_NAME).presets().keys() >= {"mine"}


# `quiz` opened in another terminal on the data folder an import makes; it flags a card once the import has failed
_APP_OPENED_MEANWHILE = """
import sys
from quiz.commands import importing
from quiz.context import Context
context = Context.from_options(sys.argv[1])
context.start_app()  # what `quiz` does before its first screen: the lock, the store and its check
print("open", flush=True)
sys.stdin.readline()
context.store.set_flag("deck", "card", 1)
context.close()
"""


def test_a_failed_import_keeps_the_data_folder_an_app_opened_while_it_ran(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import takes no lock: its folder, holding what the app had just made, was removed under the app, whose
    first write was lost, and a second app could open the folder."""
    new = tmp_path / "new"
    words = tmp_path / "words.csv"
    words.write_text("front,back\nhello,bonjour\n", encoding="utf-8")
    opened: list[subprocess.Popen[str]] = []

    def open_the_app_then_fail(*_args: object, **_kwargs: object) -> None:
        app = subprocess.Popen(
            [sys.executable, "-c", _APP_OPENED_MEANWHILE, str(new)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        opened.append(app)
        assert app.stdout and app.stdout.readline() == "open\n"
        raise importing.ImportFailure("the file is not valid")

    monkeypatch.setattr(importing, "import_file", open_the_app_then_fail)
    code, _, err = run(capsys, "--data-dir", str(new), "import", str(words))
    assert code == 1 and "the file is not valid" in err
    [app] = opened
    _, app_err = app.communicate("\n", timeout=60)
    assert app.returncode == 0, app_err
    store = Store(new / STORE_NAME)
    try:
        assert store.flags("deck") == {"card": 1}
    finally:
        store.close()


@pytest.mark.parametrize("command", [["list"], ["new", "Verbs"]])
def test_a_data_folder_given_as_a_file_is_named_as_a_file(capsys, tmp_path: Path, command: list[str]) -> None:
    words = tmp_path / "words.csv"
    words.write_text("front,back\n", encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(words), *command)
    assert (code, out) == (1, "")
    assert err.startswith(f"quiz: {words} is a file, not a folder: give quiz the folder of its data")
    assert words.read_text(encoding="utf-8") == "front,back\n"


@pytest.mark.parametrize(
    ("args", "env", "words"),
    [
        (["frobnicate"], {}, "invalid choice"),
        (["list"], {"QUIZ_NOW": "yesterday-ish"}, "ISO-8601"),
        (["list"], {"QUIZ_HOME": "/proc/forbidden"}, "quiz:"),
    ],
)
def test_errors_are_one_line_without_traceback(tmp_path, args, env, words) -> None:
    full_env = {"QUIZ_HOME": str(tmp_path), "PATH": "", **env}
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], env=full_env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_version_and_help(capsys) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("quiz ")
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "QUIZ_HOME" in out and "not medical advice" in out
    # sync's line named only a synced folder: a git user did not know sync was for her
    assert (
        "sync share progress with your other machines through a synced folder (Syncthing, Dropbox, a share) or git"
        in (" ".join(out.split()))
    )
    # rename-card's line said to change the id in the deck file after it: the order it refuses
    assert (
        "rename-card move a card's study history to a new id (change the id in the deck file first, or use"
        " --before-edit)" in " ".join(out.split())
    )


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--deck", "a.yaml"],
        ["--deck=a.yaml", "--deck", "b dir", "--data-dir", "/x"],
        ["--data-dir=/x", "--data-dir", "/y", "--deck="],
    ],
)
def test_app_options_read_without_argparse_as_argparse_reads_them(argv) -> None:
    from quiz.arguments import build_parser
    from quiz.cli import app_options, opens_the_app

    assert opens_the_app(argv)
    parsed = build_parser().parse_args(argv)
    assert app_options(argv) == (parsed.data_dir, parsed.extra_decks) and parsed.command is None


@pytest.mark.parametrize(
    "argv", [["list"], ["--help"], ["--deck"], ["--deck", "--data-dir"], ["--dat", "x"], ["--deck", "-x"]]
)
def test_anything_else_goes_to_the_full_parser(argv) -> None:
    from quiz.cli import opens_the_app

    assert not opens_the_app(argv)


def test_a_missing_deck_value_is_argparses_one_line_error(capsys) -> None:
    code, _, err = run(capsys, "--deck")
    assert code == 2 and "expected one argument" in err and err.count("\n") == 1


# --- a subcommand's arguments never overwrite the global options (--deck, --data-dir) ----------------

# The least each command needs to parse, with a DECK-like argument wherever it takes one.
COMMAND_ARGS = {
    "validate": ["x.yaml"],
    "list": [],
    "stats": [],
    "new": ["n"],
    "add": ["x.yaml"],
    "import": ["x.csv", "--deck-id", "i", "--deck-column", "3"],
    "export": ["d", "-o", "x.csv"],
    "rename-card": ["d", "old", "new"],
    "unbury": ["d", "c"],
    "preset": ["use", "d", "Default"],
    "optimize": ["d", "--reschedule"],
    "plan": ["d/t", "--exam", "2027-01-15", "--target", "0.95"],
    "sync": ["--folder", "f", "--new-device"],
    "rebuild": [],
    "check": [],
    "restore": ["latest"],
}


def test_every_command_is_in_the_table_of_arguments() -> None:
    import argparse

    from quiz.commands import COMMANDS

    sub = argparse.ArgumentParser().add_subparsers()
    for command in COMMANDS:
        command.register(sub)
    assert set(sub.choices) == set(COMMAND_ARGS)


@pytest.mark.parametrize("command", sorted(COMMAND_ARGS))
def test_global_options_survive_every_command(command) -> None:
    from quiz.arguments import build_parser

    parsed = build_parser().parse_args(
        ["--deck", "a.yaml", "--deck", "b", "--data-dir", "D", command, *COMMAND_ARGS[command]]
    )
    assert parsed.extra_decks == ["a.yaml", "b"] and parsed.data_dir == "D"


def test_export_uses_the_global_deck_and_the_deck_argument(capsys, tmp_path) -> None:
    deck = tmp_path / "mine.yaml"
    deck.write_text(basic_deck_yaml(2, deck_id="mine"), encoding="utf-8")
    out_file = tmp_path / "mine.csv"
    (tmp_path / "data").mkdir()  # `export` reads a data folder; it makes none
    code, out, err = run(
        capsys, "--data-dir", str(tmp_path / "data"), "--deck", str(deck), "export", "mine", "-o", str(out_file)
    )
    assert code == 0, err
    assert "deck 'mine', 2 notes" in out and "question 1" in out_file.read_text(encoding="utf-8")


def test_rename_card_finds_the_global_deck_to_say_what_to_edit(capsys, tmp_path) -> None:
    from quiz.core.cardstate import CardState
    from quiz.core.store import Store

    deck = tmp_path / "mine.yaml"
    deck.write_text(basic_deck_yaml(2, deck_id="mine"), encoding="utf-8")
    data = tmp_path / "data"
    store = Store.in_folder(data, fresh=True)
    store.set_state("mine", "c0", CardState(kind="basic"))
    store.close()
    renamed = ("rename-card", "--before-edit", "mine", "c0", "c9")  # the id changed in the file after
    code, out, err = run(capsys, "--data-dir", str(data), "--deck", str(deck), *renamed)
    assert code == 0, err
    assert f"now change `id: c0` to `id: c9` in {deck}" in out


# --- unbury -----------------------------------------------------------------------------------------


@pytest.fixture
def buried_store(tmp_path):
    """Deck `a` (c0, c1) and deck `b` (c0, c1) with every card buried until tomorrow, except a's c1, whose
    burial is over; and b's c0 is a reverse note, both sides buried."""
    from datetime import UTC, datetime, timedelta

    from quiz.core.cardstate import CardState
    from quiz.core.store import Store

    data = tmp_path / "data"
    store = Store.in_folder(data, fresh=True)
    now = datetime.now(UTC)
    buried, over = (
        CardState(kind="basic", buried_until=now + timedelta(days=1)),
        CardState(kind="basic", buried_until=now - timedelta(days=1)),
    )
    store.set_state("a", "c0", buried)
    store.set_state("a", "c1", over)
    for key in ("c0", "c0/reverse", "c1"):
        store.set_state("b", key, replace(buried, kind="reverse"))
    store.close()
    return data


def buried_now(data: Path) -> set[tuple[str, str]]:
    from datetime import UTC, datetime

    from quiz.core.store import Store

    store = Store.in_folder(data)
    try:
        return set(store.buried_keys(datetime.now(UTC)))
    finally:
        store.close()


def test_unbury_one_card_takes_its_reverse_side_too(capsys, buried_store) -> None:
    code, out, err = run(capsys, "--data-dir", str(buried_store), "unbury", "b", "c0")
    assert code == 0, err
    assert out.splitlines()[0] == "unburied 2 cards of card 'c0' in deck 'b':"
    assert buried_now(buried_store) == {("a", "c0"), ("b", "c1")}


def test_unbury_a_deck_leaves_the_others_buried(capsys, buried_store) -> None:
    code, out, _ = run(capsys, "--data-dir", str(buried_store), "unbury", "a")
    assert code == 0 and out.splitlines() == ["unburied 1 card in deck 'a':", "  a  c0"]
    assert buried_now(buried_store) == {("b", "c0"), ("b", "c0/reverse"), ("b", "c1")}


def test_unbury_everything_then_nothing_is_left(capsys, buried_store) -> None:
    code, out, _ = run(capsys, "--data-dir", str(buried_store), "unbury")
    assert code == 0 and out.startswith("unburied 4 cards:")
    assert buried_now(buried_store) == set()
    code, out, _ = run(capsys, "--data-dir", str(buried_store), "unbury")
    assert code == 0 and out == "no buried cards\n"


def test_unbury_an_unknown_deck_says_so(capsys, buried_store) -> None:
    code, _, err = run(capsys, "--data-dir", str(buried_store), "unbury", "nope")
    assert code == 1 and "no loaded deck has that id" in err


def test_unbury_works_beside_an_open_app(capsys, buried_store) -> None:
    """As the docs say: unbury's one write does not need the window closed, unlike rename-card."""
    from quiz.core.lock import AppLock

    with AppLock(buried_store):  # the open app's lock
        code, out, err = run(capsys, "--data-dir", str(buried_store), "unbury", "a")
        assert code == 0 and out.startswith("unburied 1 card"), err
        code, _, err = run(capsys, "--data-dir", str(buried_store), "rename-card", "a", "c0", "c9")
        assert code == 1 and "close it before renaming" in err


@pytest.mark.parametrize("command", ["list", "stats"])
def test_output_into_a_pipe_whose_reader_has_gone_says_nothing_wrong(tmp_path: Path, command: str) -> None:
    """`quiz list | head -1`: the reader closes the pipe; quiz stops quietly, as other tools do, rather than
    blaming a file it cannot use."""
    root = Path(__file__).resolve().parents[2]
    reader, writer = os.pipe()
    os.close(reader)  # no reader at all: the first write fails, whatever is buffered
    try:
        done = subprocess.run(
            [sys.executable, str(root / "main.py"), "--data-dir", str(tmp_path), command],
            stdout=writer,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            cwd=root,
            timeout=60,
        )
    finally:
        os.close(writer)
    assert done.stderr == ""
    assert done.returncode == 1


@pytest.mark.parametrize(
    "command", [["sync", "--folder", "SYNCED"], ["preset", "add", "Exam"], ["plan", "ketamine", "--exam", "2030-01-01"]]
)
def test_a_command_that_sets_something_makes_a_data_folder_named(capsys, tmp_path: Path, command: list[str]) -> None:
    """A new machine's first `sync --folder`, a preset or an exam date set before any deck: the store is made."""
    (tmp_path / "synced").mkdir()
    args = [str(tmp_path / "synced") if word == "SYNCED" else word for word in command]
    run(capsys, "--data-dir", str(tmp_path / "new"), *args)
    assert (tmp_path / "new" / "quiz.sqlite3").exists()


def test_stats_leaves_out_the_mastery_line_of_a_deck_without_topics(capsys, tmp_path) -> None:
    """It printed `mastery plain: ` with nothing after it."""
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "plain.yaml").write_text(
        "deck: plain\ntitle: Plain\ncards:\n  - {id: a, kind: basic, front: q, back: a}\n", encoding="utf-8"
    )
    (tmp_path / "decks" / "topical.yaml").write_text(basic_deck_yaml(2, "topical"), encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "stats")
    assert code == 0, err
    mastery = [line for line in out.splitlines() if line.startswith("mastery")]
    assert "mastery topical: t0 0%, t1 0%" in mastery and not [line for line in mastery if "plain" in line]


def test_help_after_data_dir_names_that_folder_and_its_decks(capsys, tmp_path: Path) -> None:
    """`quiz --data-dir DIR --help` says where DIR's decks are (it named the default folder, not DIR)."""
    data = tmp_path / "walk dir" / "data"
    code, out, _ = run(capsys, "--data-dir", str(data), "--help")
    assert code == 0
    assert f"data directory: {data} (" in out and f"your decks:     {data / 'decks'}\n" in out


@pytest.mark.parametrize(
    "command",
    [["validate", "{deck}"], ["add", "{deck}"], ["--deck", "{deck}", "list"], ["--deck={deck}", "list"]],
    ids=["validate", "add", "--deck", "--deck="],
)
def test_a_path_with_a_space_left_unquoted_is_told_to_be_quoted(capsys, tmp_path: Path, command: list[str]) -> None:
    """The shell splits `/tmp/walk dir/deck.yaml` in two: said so, with the path quoted, not each half missing."""
    deck = tmp_path / "walk dir" / "my deck.yaml"
    deck.parent.mkdir()
    deck.write_text(basic_deck_yaml(1, "mine"))
    argv = [word for part in command for word in part.format(deck=deck).split(" ")]  # as the shell splits it
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "data"), *argv)
    assert code == 2 and out == ""
    assert err.strip().endswith(f"put it in quotes, '{deck}'"), err
    assert not (tmp_path / "data").exists()  # nothing was done


def test_paths_that_are_there_are_not_taken_for_a_split_one(capsys, tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml", "a.yaml b.yaml"):
        (tmp_path / name).write_text(basic_deck_yaml(1, name.replace(" ", "").removesuffix(".yaml").replace(".", "")))
    code, out, _ = run(capsys, "validate", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"))
    assert code == 0 and out.count("ok ") == 2


@pytest.mark.parametrize("where", ["a pipe", "TERM=dumb", "input from a file", "input closed"])
def test_the_app_started_where_it_cannot_be_drawn_says_so_and_ends(tmp_path, where: str) -> None:
    """Into a pipe or under TERM=dumb the app wrote its escape codes and waited for keys that never came; with its
    input from a file (`quiz < /dev/null`, as xargs starts it) it drew, read no key (q did not quit) and spun a
    core. With its input closed (`quiz <&-`) the check itself gave a traceback."""
    env = {**os.environ, "TERM": "dumb" if where == "TERM=dumb" else "xterm-256color"}
    env.pop("NO_COLOR", None)
    data = tmp_path / "data"
    master, slave = os.openpty()  # a terminal for the output, unless it is the pipe
    try:
        command = [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data)]
        if where == "input closed":
            command = ["sh", "-c", 'exec "$@" <&-', "sh", *command]
        result = subprocess.run(
            command,
            env=env,
            stdin=subprocess.DEVNULL if where == "input from a file" else slave,
            stdout=subprocess.PIPE if where == "a pipe" else slave,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    finally:
        os.close(slave)
        os.close(master)
    said = {"a pipe": "the output goes to a pipe", "TERM=dumb": "TERM=dumb"}.get(where, "its input is a pipe or a file")
    assert result.returncode == 2 and said in result.stderr.decode(), result.stderr
    assert b"\x1b" not in result.stderr + (result.stdout or b"") and not data.exists()


@pytest.mark.parametrize("command", [["list"], ["new", "Verbs"]])
def test_a_data_folder_whose_name_is_too_long_is_refused_in_one_line(capsys, tmp_path: Path, command) -> None:
    """A name past the file system's 255 bytes gave a traceback, from the first look at the folder."""
    too_long = tmp_path / ("x" * 256)
    code, out, err = run(capsys, "--data-dir", str(too_long), *command)
    assert (code, out) == (1, "")
    assert err == f"quiz: cannot use {too_long}: File name too long\n"


@pytest.mark.parametrize("command", [["validate"], ["add"], ["--deck"]])
def test_a_file_named_with_a_leading_dash_is_said_to_be_taken_for_an_option(
    capsys, tmp_path: Path, monkeypatch, command: list[str]
) -> None:
    """`quiz validate -pharm.yaml` said 'the following arguments are required: PATH' of a file that is there."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "-pharm.yaml").write_text(basic_deck_yaml(1), encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "data"), *command, "-pharm.yaml", "list")
    assert (code, out) == (2, "")
    assert err == "quiz: -pharm.yaml starts with '-', so it was taken for an option: to name it, write ./-pharm.yaml\n"
    code, out, _ = run(capsys, "validate", "./-pharm.yaml")
    assert code == 0 and out.startswith("ok -pharm.yaml")


def test_an_option_that_is_no_file_is_still_said_to_be_unknown(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "validate", "-pharm.yaml")
    assert code == 2 and err == "quiz: the following arguments are required: PATH (see --help)\n"


def test_list_names_a_deck_file_with_a_leading_dash_so_that_its_validate_command_works(
    capsys, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "-broken.yaml").write_text("deck: b\ncards: [\n", encoding="utf-8")
    (tmp_path / "data").mkdir()
    code, out, _ = run(capsys, "--data-dir", "data", "--deck", "./-broken.yaml", "list")
    assert code == 0 and out.rstrip().endswith(
        f"`quiz --data-dir {tmp_path / 'data'} --deck ./-broken.yaml validate ./-broken.yaml` says more"
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--data-dir", "C:\\Users\\Ana\\quiz", "new", "Pharm"], "write /mnt/c/Users/Ana/quiz"),
        (["add", "C:\\Users\\Ana\\Desktop\\Pharm Übung.yaml"], "write '/mnt/c/Users/Ana/Desktop/Pharm Übung.yaml'"),
        (["export", "pharm", "-o", "D:/Decks/pharm.apkg"], "drive D: is /mnt/d, so write /mnt/d/Decks/pharm.apkg"),
        (["--deck=C:\\Decks", "list"], "write /mnt/c/Decks"),
        (["--data-dir", "C:\\Users\\Ana\\quiz"], "write /mnt/c/Users/Ana/quiz"),  # the app: read without argparse
    ],
)
def test_a_windows_path_pasted_into_wsl_is_told_apart_and_nothing_is_made(
    capsys, tmp_path: Path, monkeypatch, args: list[str], said: str
) -> None:
    """`--data-dir 'C:\\Users\\Ana\\quiz' new` made a folder of that name in the current folder, a store apart
    from hers; an export wrote a file named 'D:/Decks...' there, or was not found as a folder."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert err.startswith("quiz: ") and " is a Windows path, which this system takes for a file's name" in err
    assert said in err
    assert list(tmp_path.iterdir()) == []


def test_quiz_home_set_to_a_windows_path_is_told_apart(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QUIZ_HOME", "C:\\Users\\Ana\\quiz")
    code, _, err = run(capsys, "new", "Pharm")
    assert code == 2 and "write /mnt/c/Users/Ana/quiz" in err and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "kept"),
    [
        (["new", "winadmin", "--title", "C:/Users explained"], "C:/Users explained"),
        (["new", "winadmin", "--title=C:\\Windows basics"], "C:\\Windows basics"),
        (["preset", "add", "C:/fast"], "C:/fast"),
    ],
)
def test_a_title_or_a_name_that_looks_like_a_windows_path_is_taken_as_given(
    capsys, tmp_path: Path, monkeypatch, args: list[str], kept: str
) -> None:
    """Only the arguments naming files are told apart as Windows paths: a deck on Windows administration titled
    'C:/Users explained' was refused as a path to write /mnt/c/Users explained instead."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "data"), *args)
    assert (code, err) == (0, "")
    if args[0] == "new":
        assert kept in (tmp_path / "data" / "decks" / "winadmin.yaml").read_text(encoding="utf-8")
    else:
        assert run(capsys, "--data-dir", str(tmp_path / "data"), "preset", "show", kept)[0] == 0


@contextmanager
def lost_stdout(how: str) -> Iterator[Callable[..., subprocess.CompletedProcess[str]]]:
    """A way to run `python main.py ARGS` with its stdout closed (`quiz list >&-`) or a pipe whose reader has gone
    (`quiz list | head -1`, head done): each write fails from the first. Its stderr is captured."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    prefix = ["/bin/sh", "-c", 'exec "$0" "$@" >&-'] if how == "closed" else []

    def run_main(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*prefix, sys.executable, str(ROOT / "main.py"), *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=60,
            check=False,
        )

    try:
        yield run_main
    finally:
        os.close(write_end)


@pytest.mark.parametrize("how", ["closed", "broken"])
@pytest.mark.parametrize("command", [["list"], ["stats"], ["validate", str(EXAMPLE)], ["preset", "list"]])
def test_output_with_nowhere_to_go_ends_quietly(tmp_path, how, command) -> None:
    """stdout closed gave a traceback (AttributeError: None has no write) in every command: now, as for a broken
    pipe, quiz ends with Python's exit code for it, 1, and says nothing."""
    (tmp_path / "home").mkdir()
    with lost_stdout(how) as run_main:
        done = run_main("--data-dir", str(tmp_path / "home"), *command)
    assert (done.returncode, done.stderr) == (1, "")


@pytest.mark.parametrize("how", ["closed", "broken"])
def test_a_writing_command_with_its_output_lost_does_all_its_work(tmp_path, how) -> None:
    """Its output dropped, `new` still writes its deck, whole, and ends quietly."""
    with lost_stdout(how) as run_main:
        done = run_main("--data-dir", str(tmp_path / "home"), "new", "Greek")
    assert (done.returncode, done.stderr) == (1, "")
    assert load_deck_file(tmp_path / "home" / "decks" / "greek.yaml").deck is not None


def test_the_app_with_stdout_closed_says_why_it_cannot_start(tmp_path) -> None:
    """`quiz >&-` gave a traceback (None has no isatty): now the app says it needs a terminal, as for a pipe."""
    with lost_stdout("closed") as run_main:
        done = run_main("--data-dir", str(tmp_path / "home"))
    assert done.returncode == 2
    assert done.stderr.startswith("quiz: the app needs a terminal")


def test_validate_says_when_a_sound_file_s_deck_id_is_taken_which_quiz_add_would_refuse(capsys, tmp_path) -> None:
    """`validate` said only "ok" for a file whose deck id a loaded deck has, then `quiz add` refused it: it now says
    so, and what to run, whether the deck is hers (a new version: import) or the shipped one (another id)."""
    home = tmp_path / "home"
    mine = tmp_path / "words.yaml"
    mine.write_text("deck: words\ntitle: Words\ncards:\n  - id: one\n    kind: basic\n    front: a\n    back: b\n")
    assert run(capsys, "--data-dir", str(home), "add", str(mine))[0] == 0
    newer = tmp_path / "words v2.yaml"
    newer.write_text(mine.read_text().replace("back: b", "back: B"))
    code, out, _ = run(capsys, "--data-dir", str(home), "validate", str(newer))
    assert code == 0 and f"\nok {newer}" in out  # the clash first
    assert out.startswith(f"note: deck id 'words' is already used by {home / 'decks' / 'words.yaml'}; if it is a new")
    assert f"import '{newer}'` takes it" in out
    shipped = tmp_path / "mine.yaml"
    shipped.write_text(mine.read_text().replace("deck: words", "deck: ketamine"))
    code, out, _ = run(capsys, "--data-dir", str(home), "validate", str(shipped))
    assert code == 0 and "add` would refuse it: give it another deck id, e.g. ketamine-2 (the `deck:` line" in out
    code, out, _ = run(capsys, "--data-dir", str(home), "validate", str(home / "decks" / "words.yaml"))
    assert code == 0 and "note:" not in out  # the deck itself
