"""Subcommands. Each module has `register(subparsers)`, which sets `run(args, context) -> exit code`."""

from quiz.commands import add, exporting, importing, listing, new, rename, validate

COMMANDS = (validate, listing, new, add, importing, exporting, rename)
