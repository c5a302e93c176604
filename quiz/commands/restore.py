"""`quiz restore [BACKUP]`: list the store's backups, or put one back (the current file is kept aside);
`quiz restore --empty`: start afresh when the store is missing and backups would otherwise stop quiz."""

from __future__ import annotations

import argparse
from pathlib import Path

from quiz.context import Context, PathArgument
from quiz.core import backup
from quiz.core.backupfolder import Backup, folder_of, list_backups, missing_link_target
from quiz.core.store import STORE_NAME, Store
from quiz.core.storehealth import is_good, newest_good, reviews_in, store_away, too_new
from quiz.core.text import quoted
from quiz.output import echo, fail


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "restore",
        help="list backups of the store, or restore one (`latest` = the newest good one)",
        description=(
            "Without BACKUP, lists the backups in <data dir>/backups, newest first, each checked. With "
            "BACKUP (a listed name, a path, or `latest`), checks it and puts a copy in place of the store; "
            "the current store file is renamed to quiz.sqlite3.<time>.broken, never deleted. With --empty, "
            "starts an empty store where there is none (quiz will not create one on its own beside good "
            "backups); the backups are kept."
        ),
    )
    parser.add_argument(
        "backup", nargs="?", metavar="BACKUP", type=PathArgument, help="a listed backup name, a path, or `latest`"
    )
    parser.add_argument(
        "--empty", action="store_true", help="start afresh with an empty store where the store is missing"
    )
    parser.set_defaults(run=run, writes=_puts_a_store_in_place)


def _puts_a_store_in_place(args: argparse.Namespace) -> bool:
    """Whether `restore` may make a data folder named that does not exist: to start an empty store there, or to
    restore a backup file given by its path (a listed name or `latest` is looked for in that folder)."""
    return bool(args.empty or (args.backup is not None and Path(args.backup).is_file()))


def run(args: argparse.Namespace, context: Context) -> int:
    context.refuse_a_missing_data_folder()  # a mistyped data folder is not "no backups yet"
    store_path = context.data_dir / STORE_NAME
    if args.empty:
        return _start_empty(args, context, store_path)
    # Only listing and finding a backup read the backups folder: a restore keeps the store it replaces beside it.
    unreachable = missing_link_target(folder_of(store_path))
    if args.backup is None:
        return fail(unreachable) if unreachable else _list(store_path)
    chosen = backup.find(store_path, args.backup)
    if chosen is None and unreachable:
        return fail(unreachable)
    latest = args.backup in ("latest", "newest")
    if chosen is None and latest and (newer := newest_good(store_path, by_any_quiz=True)):
        return fail(
            f"no backup this quiz can restore in {folder_of(store_path)}: {newer.describe()} {too_new(newer.path)}"
        )
    if chosen is None:
        what = "no good backup" if latest else f"no backup named {quoted(args.backup)}"
        return fail(f"{what} in {folder_of(store_path)}; run `quiz restore` to list them")
    context.lock("restoring")
    try:
        kept = backup.restore(store_path, chosen, context.clock.now())
    except backup.BackupError as exc:
        return fail(exc)
    name = chosen.describe() if isinstance(chosen, Backup) else str(chosen)
    echo(f"restored {name} to {store_path}")
    if kept is not None:
        echo(f"the previous store file is kept as {kept}")
    return 0


def _start_empty(args: argparse.Namespace, context: Context, store_path: Path) -> int:
    if args.backup is not None:
        return fail("give a BACKUP to restore or --empty, not both", code=2)
    context.lock("starting an empty store")
    if away := store_away(store_path):
        return fail(away)
    if store_path.exists():
        return fail(
            f"{store_path} exists; --empty only starts a store where there is none "
            "(to start over, move that file away first)"
        )
    Store.in_folder(context.data_dir, fresh=True).close()
    echo(f"started an empty store at {store_path}; the backups in {folder_of(store_path)} are kept")
    return 0


def _list(store_path: Path) -> int:
    backups = list_backups(store_path)
    if not backups:
        echo(f"no backups yet in {folder_of(store_path)}")
        return 0
    echo(f"backups in {folder_of(store_path)}, newest first:")
    for item in backups:
        state = "ok" if is_good(item, quick=True) else "DAMAGED"
        if state == "ok" and item.checksum is None:
            state = "ok (no checksum: made by an older quiz)"
        elif state == "ok" and too_new(item.path):
            state = "made by a newer quiz: upgrade quiz to restore it"
        reviews = reviews_in(item)
        held = "?" if reviews is None else str(reviews)
        size = item.path.stat().st_size / 1024
        echo(f"  {item.name}  {item.taken_at:%Y-%m-%d %H:%M} UTC  {held:>6} reviews  {size:7.0f} KiB  {state}")
    echo("restore one with `quiz restore NAME`, or the newest good one with `quiz restore latest`")
    return 0
