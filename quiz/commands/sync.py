"""`quiz sync [--folder PATH] [--afresh] [--new-device]`: share progress with other machines through a synced folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from quiz.context import Context, PathArgument
from quiz.core.lock import AlreadyOpen
from quiz.core.store import Store
from quiz.core.sync import (
    INTERRUPTED,
    STOPPED_AFTER,
    SyncError,
    SyncReport,
    folder_problem,
    new_device,
    set_folder,
    sync,
)
from quiz.core.syncfiles import refuse_own_folder
from quiz.core.syncgit import (
    check_origin,
    clone,
    clone_around,
    ignoring_clone,
    inside_clone,
    is_clone,
    kept_inside,
    refused_for_good,
    shown_url,
)
from quiz.core.text import guide, shell_word
from quiz.output import echo, fail, file_names_as_they_are


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "sync",
        help="share progress with your other machines through a synced folder (Syncthing, Dropbox, a share) or git",
        description=(
            "Appends this machine's new answers and changes to its own files under PATH/quiz-progress/, reads "
            "every other machine's files there, and merges them: no file is written by two machines, so a "
            "file-sync tool never sees a conflict. Set the folder once with --folder; it is kept for this "
            "machine. A folder in a git clone (--git, or a folder inside your dotfiles repository) is pulled, "
            "committed (this machine's files only) and pushed at each sync. Progress only, not deck files: keep "
            "your deck folder in the synced folder (with git, commit your decks yourself). An Anki package "
            f"imported on two machines is logged once. See {guide('sync')}."
        ),
    )
    parser.add_argument(
        "--folder", metavar="PATH", type=PathArgument, help="the synced folder to use from now on (kept)"
    )
    parser.add_argument(
        "--git",
        metavar="REMOTE",
        help="sync through a git remote: clone REMOTE into --folder PATH (unless it is, or is inside, a clone of it "
        "already); from then on each sync pulls, commits this machine's files and pushes",
    )
    parser.add_argument(
        "--afresh",
        action="store_true",
        help="the synced folder was emptied on purpose: write this machine's history there again (without it, a "
        "folder this machine synced with that holds no quiz-progress folder is taken for a drive not mounted)",
    )
    parser.add_argument(
        "--new-device",
        action="store_true",
        help="give this store a device id of its own (when sync says it was copied from another machine's)",
    )
    parser.set_defaults(run=run, writes=_sets_the_folder)


def _sets_the_folder(args: argparse.Namespace) -> bool:
    """Whether `sync` sets the synced folder (a new machine's first sync may make a data folder named)."""
    return bool(args.folder)


def run(args: argparse.Namespace, context: Context) -> int:
    synced: list[SyncReport] = []  # once the sync has ended: Ctrl+C then stops its notes alone
    try:
        return _run(args, context, synced)
    except KeyboardInterrupt:
        echo(f"quiz: {STOPPED_AFTER if synced else INTERRUPTED}", error=True)  # a clone, the sync: all goes later
        raise


def _run(args: argparse.Namespace, context: Context, synced: list[SyncReport]) -> int:
    if args.git and not args.folder:
        return fail("--git needs --folder PATH: the folder to clone the remote into (or a clone of it)")
    try:
        context.lock("syncing")  # the open app keeps card states in memory
    except AlreadyOpen as exc:
        # asked to set something up (the app's sync at quit does none of it): not done, which needs her
        if args.new_device or args.git or args.afresh or (args.folder and not _kept_already(context.store, args)):
            raise
        return _not_now(exc)
    store = context.store
    if args.new_device:
        echo(f"this store is now device {new_device(store)}")
    if args.folder and not _kept_already(store, args):
        given = Path(args.folder).expanduser()
        try:
            refuse_own_folder(given)
            if args.git and is_clone(given):
                check_origin(given, args.git)
            elif args.git and (around := clone_around(given, args.git)) is not None:
                check_origin(around, args.git)  # where it pushes too
                given.mkdir(exist_ok=True)  # a folder of that clone, as `--folder` alone takes it
            elif args.git:  # a folder inside another repository's clone is cloned into as asked
                if given.exists() and any(given.iterdir()):
                    return fail(_holds_files(given, args.git))
                clone(args.git, given)
        except SyncError as exc:
            return fail(exc)
        if is_clone(given) and (inside := kept_inside(given)) is not None:
            repository = shown_url(args.git) if args.git else f"the repository {given}"
            echo(
                f"note: {repository} keeps quiz's files in its folder {inside.relative_to(given).as_posix()}/: "
                f"syncing through {inside}"
            )
            given = inside
        if not given.exists():
            return fail(_not_there(given))
        if not given.is_dir():
            return fail(f"{given} is not a folder: give the synced folder's path")
        set_folder(store, given)
        if not args.git and (ignoring := ignoring_clone(given)) is not None:
            echo(_plain_in(given, ignoring))
    folder = store.sync_folder()
    file_names_as_they_are([] if folder is None else [folder])  # the store's: no argument, which are kept too
    if folder is None:
        return fail(
            "no synced folder yet: run `quiz sync --folder PATH` once, with PATH the folder your sync tool shares"
        )
    # only --afresh starts an emptied folder afresh, and in one not there it makes none: that needs her
    if (why := folder_problem(store, folder, afresh=args.afresh)) is not None:
        if args.afresh:
            return fail(f"not started afresh: {why}")
        echo(f"quiz: not synced: {why}; nothing is lost: this machine's events wait here for the next sync", error=True)
        return 0  # as when the remote is out of reach: nothing failed, the events wait in the store (docs/sync.md)
    try:
        report = sync(store, folder)
    except SyncError as exc:
        return fail(exc)
    synced.append(report)
    echo(report.summary())
    for line in report.details():
        echo(line)
    for lacking in context.decks_lacking(report.decks):  # may search the synced folder for a deck's file
        echo(lacking)
    if waiting := context.decks_not_committed():
        echo(waiting)
    # the other devices' events were taken, this one's were not sent (the folder, or the remote, refused them)
    return 1 if report.unsent or any(refused_for_good(warning) for warning in report.remote) else 0


def _kept_already(store: Store, args: argparse.Namespace) -> bool:
    """Whether `--folder` names the folder kept already, and nothing else is to be set up: a cron line gives it at
    every run, and is a plain sync (it waits for the app's quit, or for a drive away, with no failure). Named too by
    the clone given at set-up whose repository keeps quiz's files in a folder of it, which was kept (`kept_inside`),
    there or away (with its drive: nothing can be set up in a folder not there)."""
    kept, given = store.sync_folder(), Path(args.folder).expanduser().resolve()
    if args.git or kept is None:
        return False
    if kept == given:
        return True
    return kept.is_relative_to(given) and (not given.exists() or (is_clone(given) and kept_inside(given) == kept))


def _not_there(given: Path) -> str:
    """Why a folder given is refused, not there: to be made when its place is there; else a drive's folder, the drive
    away (its mount point gone with it), where a folder made would hide the drive once mounted."""
    if given.parent.is_dir():
        return f"{given} is not there: create it (`mkdir -p {shell_word(given)}`), or give the synced folder's path"
    return f"{given} is not there, nor is {given.parent} (not mounted?): mount it, or give the synced folder's path"


def _not_now(held: AlreadyOpen) -> int:
    """Why nothing was synced while another quiz holds the data folder: no failure, as for a folder out of reach
    (a cron line's sync while the app is left open), since that quiz syncs, the app as it quits."""
    when = "it syncs now" if held.holder else "it syncs as it quits"
    echo(
        f"quiz: not synced: {held.held_by}: {when}; nothing is lost: this machine's events wait here for the next sync",
        error=True,
    )
    return 0


def _holds_files(given: Path, remote: str) -> str:
    """Why `--git REMOTE` will not clone into a folder holding files. Inside a clone of another remote (her dotfiles
    cloned by https, REMOTE given by ssh), "not a git clone" sent her to make a second clone inside the first."""
    found = inside_clone(given)
    if found is None:
        return f"{given} holds files and is not a git clone: give an empty or new folder to clone into"
    top, origin = found
    of = f"a clone of {shown_url(origin)}" if origin else "a git repository with no remote 'origin'"
    remote = shown_url(remote)  # with no token in it, hers nor the other clone's
    return (
        f"{given} holds files, and is inside {top}, {of}, not of {remote}: to sync through that clone, run"
        f" `quiz sync --folder {shell_word(given)}` (without --git); to clone {remote}, give an empty or new folder"
    )


def _plain_in(given: Path, top: Path) -> str:
    """Said once, when the folder is set: a folder her repository ignores is synced as a plain folder (docs/sync.md),
    which a file-sync tool's folder is meant to be, but git carries nothing of it to her other machines."""
    parts = given.resolve().relative_to(top).parts
    # git takes nothing back from a folder it ignores: each folder on the way is kept, then all under the last
    kept = [f"`!{'/'.join(parts[: n + 1])}/`" for n in range(len(parts))] + [f"`!{'/'.join(parts)}/**`"]
    return (
        f"note: {given} is inside the git repository {top}, which ignores it: quiz syncs it as a plain folder (for a"
        " file-sync tool such as Syncthing), and commits and pushes nothing; to sync through that repository, add"
        f" {', '.join(kept[:-1])} and {kept[-1]} to its .gitignore, then run this again"
    )
