"""`quiz rebuild`: card states, flags and marks computed again from the events they come from."""

from __future__ import annotations

import argparse

from quiz.context import Context
from quiz.core.rebuild import rebuild
from quiz.output import echo


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "rebuild",
        help="compute every card's state, flag and mark again from the recorded answers and changes",
        description=(
            "Card states, flags and marks are a cache of the events the store records (every answer, undo, "
            "suspend, bury, reset, flag, mark and rename). This replays them all and writes what they give, "
            "in one transaction, saying how many differed from what was stored (normally none)."
        ),
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, context: Context) -> int:
    context.lock("rebuilding")  # the open app keeps card states in memory
    done = rebuild(context.store)
    echo(
        f"replayed {done.states} card state(s), {done.flags} flag(s), {done.marks} mark(s); "
        f"{done.changed_states + done.changed_flags + done.changed_marks} differed from the store and were rewritten"
        if done.changed_states + done.changed_flags + done.changed_marks
        else f"replayed {done.states} card state(s), {done.flags} flag(s), {done.marks} mark(s): all as stored"
    )
    return 0
