"""The command line: no command opens the app; subcommands validate, list and report."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from quiz.context import Context, PathArgument
from quiz.core.library import has_pictures
from quiz.core.store import StoreError
from quiz.core.text import shell_word
from quiz.output import (
    commands_naming,
    echo,
    exit_code,
    fail,
    file_names_as_they_are,
    printable_output,
    terminal_output,
)

if TYPE_CHECKING:
    import argparse

APP_OPTIONS = ("--data-dir", "--deck")  # what `python main.py` (the app) takes; each has a value


def opens_the_app(argv: list[str]) -> bool:
    """True when argv holds only app options with values (`--deck X`, `--data-dir=Y`): read by
    `app_options`, without argparse. Anything else (a command, --help, a typo) goes to the full parser."""
    tokens = iter(argv)
    for token in tokens:
        name, has_value, _ = token.partition("=")
        if name not in APP_OPTIONS:
            return False
        if not has_value:
            value = next(tokens, None)
            if value is None or value.startswith("-"):
                return False  # argparse says what is missing
    return True


def app_options(argv: list[str]) -> tuple[str | None, list[str]]:
    """(--data-dir, every --deck) from argv that `opens_the_app`; the last --data-dir wins, as in argparse."""
    data_dir, decks = None, []
    tokens = iter(argv)
    for token in tokens:
        name, has_value, value = token.partition("=")
        if not has_value:
            value = next(tokens)
        if name == "--deck":
            decks.append(value)
        else:
            data_dir = value
    return data_dir, decks


# `C:\Users\Ana\quiz` or `C:/Users/...`: a Windows drive's path, which Linux (WSL too) takes for a file name
_WINDOWS_DRIVE = re.compile(r"(?P<drive>[A-Za-z]):[\\/](?P<rest>.*)", re.DOTALL)


def given_paths(args: argparse.Namespace) -> list[str]:
    """The arguments parsed as file or folder names (`PathArgument`): not a title or a name, which may be anything."""
    values = [value for given in vars(args).values() for value in (given if isinstance(given, list) else [given])]
    return [value for value in values if isinstance(value, PathArgument)]


def windows_path(paths: list[str], environ: Mapping[str, str]) -> str | None:
    """What to say of a Windows path given to quiz running on Linux or macOS (pasted from Explorer into WSL), that
    is no file there: a data folder or an export there would be made in the current folder, named `C:\\Users...`."""
    if os.name == "nt":
        return None
    for word in [*paths, environ.get("QUIZ_HOME", "")]:
        if (drive := _WINDOWS_DRIVE.fullmatch(word)) and not os.path.lexists(word):
            here = f"/mnt/{drive['drive'].lower()}/{drive['rest'].replace(chr(92), '/')}"
            return (
                f"{word} is a Windows path, which this system takes for a file's name: in WSL, Windows' drive"
                f" {drive['drive'].upper()}: is /mnt/{drive['drive'].lower()}, so write {shell_word(here)}"
                f" (`wslpath {shell_word(word)}` prints it)"
            )
    return None


SPLIT_WORDS = 8  # the most words of one path a shell may have split at its spaces that are looked for


def split_path(argv: list[str]) -> str | None:
    """What to say when the shell split a path with a space in two or more arguments (`quiz validate /tmp/walk
    dir/deck.yaml`): an argument that is no file which, joined to the next ones by spaces, is one. Without it each
    half is reported missing, or as an argument quiz does not take."""
    for start, word in enumerate(argv):
        first = word.partition("=")[2] if word.startswith("--") else word  # `--deck=/tmp/walk`
        if not first or os.path.lexists(first):
            continue
        for end in range(start + 2, min(len(argv), start + SPLIT_WORDS) + 1):
            whole = " ".join([first, *argv[start + 1 : end]])
            if os.path.lexists(whole):
                parts = " and ".join(repr(part) for part in [first, *argv[start + 1 : end]])
                return (
                    f"{parts} are one path with a space in it, which the shell split at its spaces: put it in quotes,"
                    f" {shell_word(whole)}"
                )
    return None


def app_terminal_problem() -> str | None:
    """Why the app cannot be drawn where quiz was started, or None. It moves the cursor and redraws: into a pipe
    or a file that wrote escape codes and then waited for keys, and a terminal saying TERM=dumb cannot show it."""
    commands = "the commands work anywhere: `quiz --help`"
    if not sys.stdout.isatty():
        return f"the app needs a terminal, and the output goes to a pipe or a file; {commands}"
    if sys.stdin is None or not sys.stdin.isatty():  # `quiz < file`, xargs: it drew, read no key and spun a core
        return f"the app reads its keys from a terminal, and its input is a pipe or a file; {commands}"
    if os.environ.get("TERM") == "dumb":
        return (
            "this terminal (TERM=dumb) cannot draw the app, which moves the cursor: start quiz in one that can"
            f" (xterm, the Linux console, tmux); {commands}"
        )
    return None


# A deck file parsed at start-up (not in the deck cache: just imported, or changed) takes ~0.2-0.7 s a MB, the
# terminal blank meanwhile (10 MB, an Anki import of 30,000 notes: 2-7 s); from this size that is worth a line
SAY_PARSING_FROM_BYTES = 1_000_000


def say_a_deck_is_parsed(path: str, size: int) -> None:
    """Before the app takes the screen: why it is still blank, when a big deck file is read in full."""
    if size >= SAY_PARSING_FROM_BYTES:
        echo(
            f"quiz: reading the deck {path} ({size / 1_000_000:.0f} MB), new or changed since quiz last read it,"
            " or since a picture it names changed: this takes a few seconds",
            error=True,
            literal=[path],
        )


def run_app(context: Context) -> int:
    if problem := app_terminal_problem():
        if os.path.lexists(context.data_dir):  # what is wrong with the data says more: another window, a damaged store
            context.start_app()
        return fail(problem, code=2)
    from concurrent.futures import ThreadPoolExecutor

    # One instance per store, a sound store file, whether a backup is due (taken once Home is drawn, on a thread:
    # quiz/ui/startbackup.py): SQLite does that work with the GIL released, so on a second core it overlaps
    # importing Textual (most of a start). The app starts only once it is done, and not at all if it failed
    # (result() raises what start_app raised).
    # Then, on the same core, the decks, and only when one shows pictures asking the terminal whether it draws
    # them (and loading Pillow): the question can wait 0.1 s for a terminal that never answers.
    from quiz.ui.graphics import ask_terminal

    def ask_if_pictures() -> None:
        # after `checks`, on the one worker: a start refused (another window has the folder) loads no decks, which
        # with a deck id taken would read the store, and back it up as it closed
        if checks.exception() is None and has_pictures(context.library.decks):
            ask_terminal()

    context.before_deck_parse = say_a_deck_is_parsed
    with ThreadPoolExecutor(max_workers=1) as pool:
        checks = pool.submit(context.start_app)
        asked = pool.submit(ask_if_pictures)
        from quiz.ui.app import QuizApp  # imported here so the commands never load Textual

        checks.result()
        asked.result()
    from quiz.ui import autosync
    from quiz.ui.widgets.card_image import prepare_graphics

    prepare_graphics()  # before the app starts reading the keyboard
    app = QuizApp(context)
    with terminal_output():
        app.run()
    context.prune_deck_cache()
    autosync.sync_at_quit(app)  # the start's sync may end after the app
    return app.return_code or 0


def _writes(args: argparse.Namespace) -> bool:
    """Whether the command may make the data folder: its `writes` default, a flag or a function of its arguments
    (quiz.commands)."""
    writes = getattr(args, "writes", False)
    return bool(writes(args) if callable(writes) else writes)


def main(argv: list[str] | None = None) -> int:
    # Everything quiz writes, whoever writes it (a command, argparse, the errors below, the store's backup
    # warning), reaches the terminal through `printable`: file names and arguments are untrusted text.
    # Output with nowhere to go (`quiz list | head -1`, `quiz list >&-`) is dropped quietly: exit_code.
    with printable_output():
        return exit_code(_main(sys.argv[1:] if argv is None else list(argv)))


def _main(argv: list[str]) -> int:
    args = None
    if opens_the_app(argv):
        data_dir, decks = app_options(argv)
        paths = [*decks] if data_dir is None else [data_dir, *decks]
    else:
        from quiz.arguments import build_parser

        if split := split_path(argv):
            return fail(split, code=2)
        args = build_parser().parse_args(argv)
        data_dir, decks = args.data_dir, args.extra_decks
        paths = given_paths(args)
    if elsewhere := windows_path(paths, os.environ):
        return fail(elsewhere, code=2)
    try:
        context = Context.from_options(data_dir, decks)
    except ValueError as exc:  # a bad QUIZ_NOW
        return fail(exc, code=2)
    try:
        away = context.data_folder_problem()
    except OSError as exc:  # a path the system refuses to look at: a name longer than 255 bytes, a loop of links
        return fail(f"cannot use {exc.filename or context.data_dir}: {exc.strerror or exc}")
    if away:
        return fail(away)
    with commands_naming(context.data_dir_option):  # the app's messages and its closing lines too
        # and where each leads: a line may name a file by its real path (a data folder reached through a link)
        file_names_as_they_are([*paths, *(os.path.realpath(path) for path in paths)])
        code = 1
        try:
            if args is None or args.command is None:
                return run_app(context)  # the first start makes the data folder
            context.writes = _writes(args)
            context.note_folders_to_make()
            context.say_deck_folder_problem = True
            code = int(args.run(args, context))
            return code
        except StoreError as exc:
            return fail(exc)
        except OSError as exc:  # an unwritable data directory, a full disk
            return fail(f"cannot use {exc.filename or 'a file'}: {exc.strerror or exc}")
        except KeyboardInterrupt:
            return 130
        finally:
            # A command that failed leaves no mistyped data folder behind to be taken for a store
            context.close(failed=code != 0)
