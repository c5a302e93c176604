"""The full command-line parser: commands, --help, --version. `python main.py` with only app options
(`--deck`, `--data-dir`) never loads it (quiz.cli reads those itself): otherwise argparse would be part
of every start."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from quiz.context import PathArgument, default_data_dir
from quiz.core.text import shell_word
from quiz.output import fail


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # 10-20 ms: only for --version

    try:
        return version("quiz")
    except PackageNotFoundError:
        return "unknown"


class VersionAction(argparse.Action):
    """--version, looking the version up only when asked."""

    def __init__(
        self,
        option_strings: Sequence[str],
        dest: str = argparse.SUPPRESS,
        default: Any = argparse.SUPPRESS,
        help: str | None = None,
    ) -> None:
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        print(f"quiz {package_version()}")
        parser.exit()


def _epilog(data_dir: Path) -> str:
    return (
        f"data directory: {data_dir} (override with --data-dir or QUIZ_HOME)\n"
        f"your decks:     {data_dir / 'decks'}\n"
        "testing aid:    QUIZ_NOW=2026-01-31T09:00:00Z sets the program's starting time\n"
        "The shipped deck is educational material, not medical advice."
    )


class DataDirAction(argparse.Action):
    """--data-dir, named by the --help that follows it: `quiz --data-dir DIR --help` gives DIR's deck folder."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        setattr(namespace, self.dest, values)
        parser.epilog = _epilog(Path(str(values)) if values else default_data_dir())


class QuizArgumentParser(argparse.ArgumentParser):
    given: Sequence[str] = ()  # the arguments this parser (a command's, for a command) was given

    def parse_known_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:  # type: ignore[override]
        self.given = list(args) if args is not None else []
        return super().parse_known_args(args, namespace)

    def error(self, message: str) -> NoReturn:  # one clear line, not a usage dump (it may quote an argument)
        if (path := self._path_taken_for_an_option()) is not None:
            written = shell_word(Path(path))
            raise SystemExit(
                fail(f"{path} starts with '-', so it was taken for an option: to name it, write {written}", code=2)
            )
        raise SystemExit(fail(f"{message} (see --help)", code=2))

    def _path_taken_for_an_option(self) -> str | None:
        """An argument starting with '-' that no option of this parser has, which is a file or folder there (a deck
        named `-pharm.yaml`): argparse took it for an option, and said some argument was missing or unknown."""
        before_dashes = self.given[: self.given.index("--")] if "--" in self.given else self.given
        for word in before_dashes:
            if word.startswith("-") and word not in self._option_string_actions and os.path.lexists(word):
                return word
        return None


def build_parser() -> argparse.ArgumentParser:
    parser = QuizArgumentParser(
        prog="quiz",
        description="A spaced-repetition trainer for the terminal. With no command, opens the app.",
        epilog=_epilog(default_data_dir()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=VersionAction, help="show the version and exit")
    parser.add_argument(
        "--data-dir", metavar="DIR", type=PathArgument, action=DataDirAction, help="where the store and your decks live"
    )
    parser.add_argument(
        "--deck",
        dest="extra_decks",  # not `deck`: argparse lets a subcommand's DECK argument overwrite it
        metavar="PATH",
        type=PathArgument,
        action="append",
        default=[],
        help="also load this deck file or folder (repeatable)",
    )
    from quiz.commands import COMMANDS  # each imports what it needs (genanki, the importers, ...)

    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=QuizArgumentParser)
    for command in COMMANDS:
        command.register(sub)
    return parser
