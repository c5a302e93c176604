"""`quiz check`: is the store sound? Repairs what is safe, says what is not and how to recover."""

from __future__ import annotations

import argparse

from quiz.context import Context
from quiz.core.lock import AlreadyOpen
from quiz.core.store import STORE_NAME, StoreError
from quiz.core.storecheck import check_store
from quiz.core.storehealth import missing_store_advice
from quiz.output import echo, fail


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "check",
        help="check the store for damage and repair what is safe (indexes, unreadable card states)",
        description=(
            "Runs SQLite's integrity check on the store. Unless --no-repair is given (or the app is open, or "
            "the data folder is read-only or its disk full), it rebuilds damaged indexes, rebuilds unreadable "
            "card states from their latest review (after keeping a copy of the file) and checkpoints the "
            "write-ahead log. Review history is never changed."
        ),
    )
    parser.add_argument("--no-repair", action="store_true", help="only report; change nothing")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, context: Context) -> int:
    context.refuse_a_missing_data_folder()  # a mistyped data folder is not "no store yet"
    path = context.data_dir / STORE_NAME
    if not path.exists():
        advice = missing_store_advice(path)
        if advice:
            return fail(advice)
        echo(f"no store yet at {path}: nothing to check")
        return 0
    repair = not args.no_repair
    if repair:
        try:
            context.lock("repairing")
        except AlreadyOpen as exc:
            echo(f"{exc.held_by}: checking only; run `quiz check` again once it is closed (or done) to repair")
            repair = False
        except StoreError:  # no lock file in a read-only folder or on a full disk: the report says which
            repair = False
    report = check_store(path, context.clock.now(), repair=repair)
    for fact in report.facts:
        echo(fact)
    for done in report.repaired:
        echo(f"repaired: {done}")
    for problem in report.problems:
        echo(f"problem: {problem}")
    if report.advice:
        echo(report.advice)
    if report.unchecked:
        echo(f"could not check the store: {report.unchecked}")
    else:
        echo("the store is sound" if report.ok else "the store is NOT sound")
    return 0 if report.ok else 1
