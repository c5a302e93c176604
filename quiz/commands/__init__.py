"""Subcommands. Each module has `register(subparsers)`, which sets `run(args, context) -> exit code`, and
`reads_only` (True, or a function of the arguments) for a command that only reads the store: it refuses a
data folder named that does not exist (quiz.context.Context.data_folder_missing) rather than make an empty
one."""

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
