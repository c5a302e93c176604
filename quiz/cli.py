"""The command line: no command opens the app; subcommands validate, list and report."""

from __future__ import annotations

import argparse
import sys

from quiz.context import Context, default_data_dir
from quiz.core.store import StoreError

APP_OPTIONS = ("--data-dir", "--deck")  # what `python main.py` (the app) takes; each has a value


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # 10-20 ms: only for --version

    try:
        return version("quiz")
    except PackageNotFoundError:
        return "unknown"


class VersionAction(argparse.Action):
    """--version, looking the version up only when asked."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        print(f"quiz {package_version()}")
        parser.exit()


def opens_the_app(argv: list[str]) -> bool:
    """True when argv holds only app options (`--deck X`, `--data-dir=Y`): no command module is imported."""
    tokens = iter(argv)
    for token in tokens:
        name, has_value, _ = token.partition("=")
        if name not in APP_OPTIONS:
            return False  # a command, --help, --version, a typo: the full parser decides
        if not has_value and next(tokens, None) is None:
            return False
    return True


class QuizArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear line, not a usage dump
        sys.stderr.write(f"quiz: {message} (see --help)\n")
        raise SystemExit(2)


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    parser = QuizArgumentParser(
        prog="quiz",
        description="A spaced-repetition trainer for the terminal. With no command, opens the app.",
        epilog=(
            f"data directory: {default_data_dir()} (override with --data-dir or QUIZ_HOME)\n"
            f"your decks:     {default_data_dir() / 'decks'}\n"
            "testing aid:    QUIZ_NOW=2026-01-31T09:00:00Z sets the program's starting time\n"
            "The shipped deck is educational material, not medical advice."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=VersionAction, help="show the version and exit")
    parser.add_argument("--data-dir", metavar="DIR", help="where the store and your decks live")
    parser.add_argument(
        "--deck", metavar="PATH", action="append", default=[], help="also load this deck file or folder (repeatable)"
    )
    if not with_commands:
        parser.set_defaults(command=None)
        return parser
    from quiz.commands import COMMANDS  # each imports what it needs (genanki, the importers, ...)

    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=QuizArgumentParser)
    for command in COMMANDS:
        command.register(sub)
    return parser


def run_app(context: Context) -> int:
    from concurrent.futures import ThreadPoolExecutor

    # One instance per store, a sound store file, a backup if one is due: SQLite does that work with the
    # GIL released, so on a second core it overlaps importing Textual (most of a start). The app starts
    # only once it is done, and not at all if it failed (result() raises what start_app raised).
    with ThreadPoolExecutor(max_workers=1) as pool:
        checks = pool.submit(context.start_app)
        from quiz.ui.app import QuizApp  # imported here so the commands never load Textual

        checks.result()
    QuizApp(context).run()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(with_commands=not opens_the_app(argv)).parse_args(argv)
    try:
        context = Context.from_options(args.data_dir, args.deck)
    except ValueError as exc:  # a bad QUIZ_NOW
        print(f"quiz: {exc}", file=sys.stderr)
        return 2
    try:
        if args.command is None:
            return run_app(context)
        return int(args.run(args, context))
    except StoreError as exc:
        print(f"quiz: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # an unwritable data directory, a full disk
        print(f"quiz: cannot use {exc.filename or 'a file'}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        context.close()
