"""Subcommands. Each module has `register(subparsers)`, which sets `run(args, context) -> exit code`."""

from quiz.commands import listing, validate

COMMANDS = (validate, listing)
