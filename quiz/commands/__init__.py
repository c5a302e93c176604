"""Subcommands. Each module has `register(subparsers)`, which sets `run(args, context) -> exit code`."""

from quiz.commands import (
    add,
    check,
    exporting,
    importing,
    listing,
    new,
    optimize,
    plan,
    preset,
    rebuild,
    rename,
    restore,
    sync,
    unbury,
    validate,
)

COMMANDS = (
    validate,
    listing,
    new,
    add,
    importing,
    exporting,
    rename,
    unbury,
    preset,
    optimize,
    plan,
    sync,
    rebuild,
    check,
    restore,
)
