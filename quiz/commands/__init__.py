"""Subcommands. Each module has `register(subparsers)`, which sets `run(args, context) -> exit code`, and
`writes` (True, or a function of the arguments) for a command that may make a data folder named that does not
exist; any other refuses it (quiz.context.Context.data_folder_missing) rather than make an empty one."""

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
