"""`quiz sync`: this device's new events appended to its own files in the synced folder, every other
device's new lines read and merged by event id, and the cards they touch replayed (quiz.core.replay).

Safe to kill at any moment: the events are in the store before they are appended (a crash after appending
and before the store noted it is found the next time, by the ids past the end noted in this device's files,
noted then and not appended twice), and what is read from other devices is kept, with how far each file was read, in one
transaction. Sync is idempotent: an event the store holds already is never applied twice.

This device's files holding less than the store noted writing (a part shorter, or gone: a sync tool's older
copy put back, a deletion) are healed: every event of this store they lack is appended again, in a new part.
"""

from __future__ import annotations

import errno
import json
import socket
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from quiz.core import answerlog, events, syncfiles, syncgit
from quiz.core.atomicfile import atomic_write
from quiz.core.clock import as_utc
from quiz.core.deckfile import DeckFileError, read_deck_bytes
from quiz.core.events import Event
from quiz.core.identity import note_id_of, renamed_key
from quiz.core.optionreplay import SCHEDULING_KINDS, replay_options
from quiz.core.rebuild import replay_touched
from quiz.core.store import Store
from quiz.core.syncfiles import SyncError
from quiz.core.text import as_written, guide

__all__ = [
    "INTERRUPTED",
    "STOPPED_AFTER",
    "UNSENT",
    "Exchanged",
    "SyncError",
    "SyncReport",
    "exchange",
    "folder_problem",
    "merge",
    "new_device",
    "set_folder",
    "sync",
]


# said in place of "sent 0" when this device's events could not be written (`SyncReport.unsent`)
UNSENT = "this machine's changes not sent (the folder cannot be written to)"
# said when Ctrl+C stops a sync (`quiz sync`, the sync at quit): what it wrote is read as it is, the rest goes later
INTERRUPTED = "sync stopped (Ctrl+C): nothing is lost; this machine's events go with the next sync"
# said when Ctrl+C stops what follows a sync that ended (the notes on decks this machine lacks, which may search
# the synced folder): the sync is done, its notes left out
STOPPED_AFTER = "stopped (Ctrl+C) after the sync, which had ended: only its notes on your decks were left out"
# said after "synced" when git could not take the remote's changes or send this device's (a warning says why)
APART = ", not with the remote"


@dataclass
class SyncReport:
    folder: Path
    sent: int = 0  # this device's events appended
    received: int = 0  # other devices' events new to this store
    devices: int = 0  # other devices whose files were read
    cards: int = 0  # cards replayed
    warnings: list[str] = field(default_factory=list)  # file:line: what was wrong in what was read
    conflicts: list[Path] = field(default_factory=list)  # conflict copies left by a sync tool, never read
    remote: list[str] = field(default_factory=list)  # git: why the remote's changes were not taken or sent
    apart: bool = False  # git: the remote's changes not taken (out of reach, not merged), or this device's not sent
    carried: int = 0  # git: this device's events an earlier sync wrote here and did not push (`syncgit.waiting`)
    fresh: bool = False  # moved to a folder holding none of this device's parts: all its events written there
    others: int = 0  # in a folder new to it, other devices' events written with its own (`_carried`), among `sent`
    lost: set[str] = field(default_factory=set)  # the devices whose bad lines were skipped: their events not taken
    unsent: str = ""  # why this device's events could not be written (a read-only folder): the sync failed
    decks: set[str] = field(default_factory=set)  # the decks of the events received (this machine may lack some)

    def note(self, warning: str | None) -> None:
        if warning is not None:
            self.remote.append(warning)

    def problems(self) -> int:
        return len(self.warnings) + len(self.conflicts) + len(self.remote) + bool(self.unsent)

    def sent_line(self, what: str = "event(s)") -> str:
        """What became of this device's events. With git, "sent" is pushed: those an earlier sync kept here go
        with this one's, and when they could not go (offline) they are kept here, not sent."""
        if self.unsent:
            return UNSENT
        if self.apart:
            return f"{self.sent + self.carried} {what} kept here"
        earlier = f" ({self.carried} kept here by an earlier sync)" if self.carried else ""
        return f"sent {self.sent + self.carried} {what}{earlier}"

    def summary(self) -> str:
        line = f"synced with {self.folder}{APART if self.apart else ''}: {self.sent_line()}, received {self.received}"
        line += f" from {self.devices} other device(s), {self.cards} card(s) replayed"
        if self.conflicts:
            line += f"; {len(self.conflicts)} conflict cop{'ies' if len(self.conflicts) != 1 else 'y'} ignored"
        if warnings := len(self.warnings) + len(self.remote) + bool(self.unsent):
            line += f"; {warnings} warning(s)"
        return line

    def details(self) -> list[str]:
        """A line per conflict copy ignored and per warning, after the one saying the folder is new to this device."""
        own, others = self.sent - self.others, "of other devices with no files there"
        if not own:  # a machine that only ever received
            new = f"new sync folder: {self.others:,} event(s) {others} written there {_FOR_LATER}"
            new += "; this device has none of its own"
        else:
            new = f"new sync folder: all {own:,} event(s) of this device written there"
            new += f", and {self.others:,} {others} {_FOR_LATER}" if self.others else ""
        return [
            *([new] if self.fresh and self.sent else []),
            *(
                f"{path}: a conflict copy left by a sync tool; not read (quiz never needs one: delete it)"
                for path in self.conflicts
            ),
            *([f"warning: {self.unsent}"] if self.unsent else []),
            *(f"warning: {warning}" for warning in self.remote),
            *self.read_once(),
        ]

    def read_once(self) -> list[str]:
        """The warnings no later sync repeats: a bad line is not read again. (A conflict copy or the remote is
        looked at again by every sync, which then says whether it still stands.)"""
        recover = (
            f"warning: the events of the bad lines above are not read again, even repaired; to take them, run `quiz"
            f" sync --new-device` on the machine that wrote them (device {', '.join(sorted(self.lost))}: its"
            f" device.json names it), then sync here (see {guide('sync', 'A bad line')})"
        )
        return [f"warning: {warning}" for warning in self.warnings] + ([recover] if self.lost else [])


def _value(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM sync WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def _put(db: sqlite3.Connection, key: str, value: object) -> None:
    db.execute("INSERT OR REPLACE INTO sync (key, value) VALUES (?, ?)", (key, str(value)))


# What the store notes of this device's parts in the synced folder (`_note`, `_reserve`).
_OWN_PARTS_NOTED = "DELETE FROM sync WHERE key IN ('exported', 'part', 'size', 'closed', 'reserved', 'claimed')"
# What it notes of the folders it left (`set_folder`)
_MOVES_NOTED = "DELETE FROM sync WHERE key LIKE 'left %' OR key = 'moved'"


def new_device(store: Store) -> str:
    """Give this store a new device id (it was copied from another machine's): its events are appended afresh,
    under the new id's folder. Returns the id."""
    device = store.new_device()
    with store.transaction() as db:
        db.execute(_OWN_PARTS_NOTED)
        db.execute(_MOVES_NOTED)  # the old id's notes of folders left: the new id wrote no part there
    return device


def set_folder(store: Store, folder: Path) -> None:
    """Keep `folder` as this device's synced folder. Another folder than the one kept (a move from a synced
    folder to git, or back) holds other files under the same names: what the store noted of its own parts
    there is put aside under the folder left, and what it noted in `folder` before is taken back, so a sync
    there sees, as if it never left, a part lost meanwhile (`_lost`, `_heal`) and sends only the events it
    lacks. A folder never synced here holds none of its parts: every event is written there (a folder that
    holds some it never noted is read, `_recover`). Either way `reserved` keeps the highest part number
    this device wrote or reserved in any folder, so a new part is made above it: the other devices remember
    offsets into the parts they read, and would misread a number made again. Every other device's parts are
    read from their start, since how far this store read the old folder's says nothing of the new one's
    (the events held already are taken once, by id)."""
    kept = store.sync_folder()
    target = folder.resolve()
    if kept is not None and kept != target:
        with store.transaction() as db:
            noted = _noted(db)
            floor = max([noted.part, noted.reserved, *(noted.closed or {})])
            _put(db, _left_key(kept), json.dumps(_own_notes(db)))
            db.execute(_OWN_PARTS_NOTED)
            _put(db, "reserved", floor)
            if (before := _value(db, _left_key(target))) is not None:
                for key, value in json.loads(before).items():
                    _put(db, key, value)
                db.execute("DELETE FROM sync WHERE key = ?", (_left_key(target),))
            db.execute("DELETE FROM sync_read")
            _put(db, "moved", kept)  # till the first note there: the first sync says the folder is new
            store.put_sync_folder(db, target)  # with the notes: a move cut short is no move
    else:
        store.set_sync_folder(folder)


def _left_key(folder: Path) -> str:
    return f"left {folder}"


def _own_notes(db: sqlite3.Connection) -> dict[str, str]:
    """What the store noted of this device's parts in its folder (`reserved` aside: it counts in every folder)."""
    return {
        key: value
        for key, value in db.execute(
            "SELECT key, value FROM sync WHERE key IN ('exported', 'part', 'size', 'closed', 'claimed')"
        )
    }


def folder_not_there(folder: Path) -> str:
    """Why nothing was synced, the synced folder missing, as `quiz sync`, Home and the sync at quit say it: a drive
    or share not mounted, or a folder moved or renamed, whose new place she gives once."""
    return (
        f"the synced folder {as_written(folder)} is not there (not mounted? if you moved or renamed it, give its new"
        " place: `quiz sync --folder PATH`)"
    )


def folder_emptied(folder: Path) -> str:
    """Why nothing was synced, the synced folder there but without quiz's folder where this device synced before:
    the empty mount point of a drive not mounted, which a sync would fill with this device's whole history (the
    other devices' never there), or a folder emptied, which `quiz sync --afresh` fills on purpose."""
    return (
        f"the synced folder {as_written(folder)} holds no {syncfiles.FOLDER} folder, though this machine synced there"
        " before (not mounted, its empty mount point in its place? if you emptied it on purpose, start it afresh:"
        " `quiz sync --afresh`)"
    )


def folder_problem(store: Store, folder: Path, afresh: bool = False) -> str | None:
    """Why the synced folder is not synced with now, as `quiz sync`, Home and the sync at quit say it (None: it is
    synced with): not there (`folder_not_there`), or emptied where this device synced before (`folder_emptied`),
    unless started `afresh` (`quiz sync --afresh`), which fills an emptied one and makes none. Either way nothing
    is changed: the events wait in the store for the folder to be back."""
    if not folder.is_dir():
        return folder_not_there(folder)
    if not afresh and not (folder / syncfiles.FOLDER).exists() and _synced_there(store):
        return folder_emptied(folder)
    return None


def _synced_there(store: Store) -> bool:
    """Whether this device wrote its folder in its synced folder (its device.json, `_claim`; its events), or read
    another device's there (all noted per folder: a move to another folder puts them aside)."""
    if _value(store.db, "claimed") or _value(store.db, "exported"):  # "exported" alone: a store an older quiz synced
        return True
    return store.db.execute("SELECT 1 FROM sync_read LIMIT 1").fetchone() is not None


def sync(store: Store, folder: Path, host: str | None = None) -> SyncReport:
    """Append this device's new events to its files, then read and merge every other device's."""
    return merge(store, exchange(store, folder, host))


@dataclass
class Exchanged:
    """What `exchange` did and read: the other devices' new lines, to be merged."""

    report: SyncReport
    reads: list[tuple[syncfiles.Part, syncfiles.Read]]


def exchange(store: Store, folder: Path, host: str | None = None) -> Exchanged:
    """The slow part of a sync, which leaves card states alone (the app runs it beside a session, on a
    connection of its own): pull (git), append this device's new events, commit and push (git), and read
    the other devices' new lines. One at a time in a process: the app's sync at quit waits for its sync at
    start, rather than append the same events beside it."""
    with _EXCHANGING:
        return _exchange(store, folder, host)


_EXCHANGING = threading.Lock()


# what to look at when this device's files cannot be written, by the error's number
_WRITE_CHECK = "check the folder's permissions (or that its disk is not mounted read-only)"
_WRITE_CHECKS = {
    errno.ENOSPC: "make room on the folder's disk",
    errno.EDQUOT: "make room on the folder's disk (you are over your quota)",
}


def _exchange(store: Store, folder: Path, host: str | None) -> Exchanged:
    root = folder / syncfiles.FOLDER
    own = root / store.device
    report = SyncReport(folder)
    git = syncgit.is_work_tree(folder)
    # the user's own merge (or rebase...) under way: nothing merged nor committed, her work left as it is
    held = syncgit.under_way(folder) if git else None
    not_pulled = held or (syncgit.pull(folder) if git else None)  # the remote out of reach, or not merged: no push
    report.note(not_pulled)
    report.apart = not_pulled is not None
    try:
        _claim(own, store, host or socket.gethostname())
        report.sent = _send(store, own, report)
    except OSError as exc:  # the others' files may still be readable: their events are taken all the same
        check = _WRITE_CHECKS.get(exc.errno or 0, _WRITE_CHECK)
        report.unsent = (
            f"cannot write to {own}: {exc.strerror or exc}; this device's events were not all sent (those written"
            f" are read as they are), nothing is lost: {check}, then sync again"
        )
    if git and not report.unsent and held is None:
        waiting = syncgit.waiting(folder, store.device)  # staged: the commit need not add them again
        report.carried = max(0, (waiting or 0) - report.sent)
        not_sent = syncgit.commit_and_push(folder, store.device, push=not_pulled is None, staged=waiting is not None)
        report.apart |= bool(not_sent)  # this device's events not committed, or not pushed: Home says so too
        for warning in not_sent:
            report.note(warning)
    return Exchanged(report, _read_others(store, root, report, host or socket.gethostname()))


def _owner(store: Store, host: str) -> dict[str, str]:
    """What a device's `device.json` holds: the device id, and the host and store file it belongs to."""
    return {"device": store.device, "host": host, "store": str(Path(store.path).resolve())}


def _device_file(path: Path) -> object:
    """A `device.json` as read (None: no JSON); DeckFileError when it is no file quiz wrote or cannot be read."""
    try:
        return events.json_record(read_deck_bytes(path, limit=64 << 10, what="device files").data.decode())
    except ValueError:
        return None


def _claim(own: Path, store: Store, host: str) -> None:
    """Write this device's `device.json`, or check that the one there names this store: another store with
    the same id (a copied store) would write into the same files."""
    path = own / syncfiles.DEVICE_FILE
    me = _owner(store, host)
    if path.exists():
        try:
            there = _device_file(path)
        except DeckFileError as exc:  # a pipe there hung sync, a link to /dev/zero ran it out of memory
            raise syncfiles.own_file_error(path, exc) from None
        if isinstance(there, dict) and (there.get("host"), there.get("store")) != (me["host"], me["store"]):
            raise SyncError(
                f"device id {store.device} is already used by the store {there.get('store')} on "
                f"{there.get('host')} ({path}): this store was copied from it, or moved. Run "
                "`quiz sync --new-device` here to give this store an id of its own (nothing is lost)"
            )
        if isinstance(there, dict):
            _note_claimed(store)
            return
    own.mkdir(parents=True, exist_ok=True)
    with atomic_write(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(me, indent=1) + "\n")
    _note_claimed(store)


def _note_claimed(store: Store) -> None:
    """Note once that this device's folder is in its synced folder: found gone with all of quiz's folder later, the
    synced folder is taken for one not mounted (`folder_problem`), even before this device wrote an event there."""
    if _value(store.db, "claimed") is None:
        with store.transaction() as db:
            _put(db, "claimed", 1)


class _Noted(NamedTuple):
    """What the store noted appending to this device's files."""

    exported: str  # this store's last event appended (its ids grow)
    part: int  # the last part appended to
    size: int  # its size then
    closed: dict[int, int] | None  # each earlier part's size, by number (the parts a heal found gone left out);
    # None: synced by an older quiz, which noted none
    reserved: int  # the highest part an append may have written to, noted before it: a killed one notes none


def _noted(db: sqlite3.Connection) -> _Noted:
    closed = _value(db, "closed")
    return _Noted(
        _value(db, "exported") or "",
        int(_value(db, "part") or 1),
        int(_value(db, "size") or 0),
        None if closed is None else {int(number): size for number, size in json.loads(closed).items()},
        int(_value(db, "reserved") or 0),
    )


def _send(store: Store, own: Path, report: SyncReport) -> int:
    """Append this store's events not yet appended, after healing this device's files if they lost any."""
    parts = syncfiles.own_parts(own)
    noted = _noted(store.db)
    report.fresh = not parts and not noted.exported and _value(store.db, "moved") is not None
    lost = _lost(own, parts, noted) or _recover(store, own, parts, noted)
    if lost is not None:
        return _heal(store, own, parts, noted, lost, report)
    noted = _noted(store.db)  # as _recover left it
    rows = store.db.execute(
        f"SELECT {events.EVENT_COLUMNS} FROM event WHERE id > ? AND received = 0 ORDER BY id", (noted.exported,)
    ).fetchall()
    carried = [] if parts else _carried(store, own, set(), report.fresh)  # a folder started afresh, or moved to
    if rows or carried:
        _append(store, own, noted.part, rows, noted.exported, noted.closed or {}, carried)
    if report.fresh:  # said in the line on the new folder: a move is no problem
        report.others = len(carried)
    elif carried:
        report.warnings.append(_carried_line(own, len(carried)))
    return len(rows) + len(carried)  # written: a git sync counts them among what it pushes


def _append(
    store: Store,
    own: Path,
    first: int,
    rows: list[tuple[object, ...]],
    exported: str,
    closed: dict[int, int],
    carried: Sequence[tuple[object, ...]] = (),
) -> int:
    """Append the events of `rows` (this store's, in id order), then those of `carried` (other devices', `_carried`),
    at least one in all, from part `first` on, then note what was appended: the last of this store's events the
    files hold (`exported` when it is later than the rows'; never a carried one, whose id says nothing of this
    store's), and the size of every part closed by this append beside those of `closed`. Returns the last part
    appended to."""
    lines = [events.event_from_row(row).line() for row in [*rows, *carried]]
    _reserve(store, own, first, lines)
    part, written = syncfiles.append_lines(own, store.device, first, lines)
    sizes = closed | {number: (own / syncfiles.part_name(number)).stat().st_size for number in range(first, part)}
    _note(store, max(str(rows[-1][0]), exported) if rows else exported, part, written, sizes)
    return part


def _reserve(store: Store, own: Path, part: int, lines: list[str]) -> None:
    """Note, before appending `lines` from part `part` on, the last part they reach, when past the last one
    noted so: a part of a new number is above it, so a part that an append killed before its note wrote, then
    deleted, is never made again under its number (the other devices may have read it). `part` itself counts:
    a heal's new part may hold all it appends. Once per part written: every 8 MiB, and at each heal."""
    reach = syncfiles.split(own, store.device, part, lines)[-1][0]
    if reach > _noted(store.db).reserved:
        with store.transaction() as db:
            _put(db, "reserved", reach)


def _note(store: Store, exported: str, part: int, size: int, closed: dict[int, int]) -> None:
    """What this device's files hold once appended to, noted together: the last event, the last part and its
    size, and the size of each part before it."""
    with store.transaction() as db:
        _put(db, "exported", exported)
        _put(db, "part", part)
        _put(db, "size", size)
        _put(db, "closed", json.dumps({str(number): closed[number] for number in sorted(closed)}))
        db.execute("DELETE FROM sync WHERE key = 'moved'")


def _lost(own: Path, parts: list[tuple[int, Path]], noted: _Noted) -> str | None:
    """What became of this device's parts, when they hold less than the store noted writing: gone, or shorter
    (None: as written, or the last longer, after a crash between the append and the note). Only the folder's
    listing and the parts' sizes are looked at: a sync reads none of this device's lines to know."""
    closed = dict.fromkeys(range(1, noted.part), 0) if noted.closed is None else noted.closed
    written = {**closed, noted.part: noted.size} if noted.size else closed
    there = dict(parts)
    lost = []
    for number, size in sorted(written.items()):
        path = there.get(number)
        if path is None:
            lost.append(f"{own / syncfiles.part_name(number)}: gone (deleted, or its folder put back as it was before)")
        elif size and path.stat().st_size < size:
            lost.append(
                f"{path}: shorter than this device wrote it (an older copy put back by a sync tool or a restore)"
            )
    if not lost:
        return None
    return lost[0] + (f" (and {len(lost) - 1} more part(s) so)" if len(lost) > 1 else "")


def _heal(store: Store, own: Path, parts: list[tuple[int, Path]], noted: _Noted, lost: str, report: SyncReport) -> int:
    """This device's files hold less than it wrote (`lost` says which file and how). Every event of this store
    that they do not hold is appended again, in a part of a new number: the other devices remember how far
    they read each part, and would skip or misread lines appended to one shortened or made again. The ids
    they hold are checked first: one this store never wrote is another store's (a copied store), refused. So are
    the events of the devices whose folders are gone too (`_carried`)."""
    found = {path: syncfiles.event_ids_in(path, 0) for _, path in parts}
    held = _own_ids(store, found)
    rows = store.db.execute(
        f"SELECT {events.EVENT_COLUMNS} FROM event WHERE received = 0 "
        "AND id NOT IN (SELECT value FROM json_each(?)) ORDER BY id",
        (json.dumps(sorted(held)),),
    ).fetchall()
    carried = _carried(store, own, {event_id for listed in found.values() for event_id in listed})
    exported = noted.exported
    fresh = max([noted.part, noted.reserved, *(number for number, _ in parts)]) + 1  # above every part ever written
    closed = {number: path.stat().st_size for number, path in parts}  # as they are now: the gone ones left out
    written = max(exported, *held) if held else exported  # a sync cut short wrote past what it noted
    if rows or carried:  # the files then hold every event of this store: the last one noted is the latest of them
        last = _append(store, own, fresh, rows, max(held, default="" if rows else exported), closed, carried)
    else:
        last = fresh
        _note(store, max(held, default=exported), fresh, 0, closed)  # the next events in a new part too, not `lost`'s
    with_them = f"; {_carried_line(own, len(carried))}" if carried else ""
    if again := sum(1 for row in rows if row[0] <= written):
        sent = syncfiles.part_name(fresh) + (f" to {syncfiles.part_name(last)}" if last > fresh else "")
        report.warnings.append(f"{lost}; its {again:,} missing event(s) sent again in {sent}{with_them}")
    else:
        # by a heal (a folder started afresh, then put back older) or a sync cut short: which, the store cannot tell
        report.warnings.append(
            f"{lost}; its events are in this device's other parts already (sent again by an earlier sync){with_them}"
        )
    return len(rows) + len(carried)


_FOR_LATER = "(a machine retired sends its own no more), for the machines set up later"


def _carried_line(own: Path, count: int) -> str:
    return f"{own}: {count:,} event(s) of other devices whose parts are gone from there, written there too {_FOR_LATER}"


def _carried(store: Store, own: Path, in_files: set[str], moved: bool = False) -> list[tuple[object, ...]]:
    """The events this store received from the devices that have no part in this folder now, once a part it read
    there is gone (the folder emptied, and started afresh), that this device's files lack (`in_files`): written
    with its own, so a machine set up later gets them, a retired machine's among them, which no device would send
    again. Every device received from counts, not only those whose parts this store read: a retired machine's
    events another device carried at an earlier fresh start come from that device's parts. Each keeps its own
    device and id: read by event id, a copy another store also sends (the device, back, healing its folder) is
    taken once. A device whose parts are there sends its own: none of its events is carried. A folder holding
    only its device.json is gone. With every part it read still there, all it received is there: none. A folder
    `moved` to (its first sync there, `SyncReport.fresh`) holds none of what it read: a retired machine never
    moves, and the machines set up there would lack its events."""
    root = own.parent
    if not moved and all((root / file).is_file() for (file,) in store.db.execute("SELECT file FROM sync_read")):
        return []
    received = [device for (device,) in store.db.execute("SELECT DISTINCT device FROM event WHERE received = 1")]
    gone = sorted(device for device in received if device != store.device and not _has_parts(root, device))
    if not gone:
        return []
    return store.db.execute(
        f"SELECT {events.EVENT_COLUMNS} FROM event WHERE received = 1 "
        "AND device IN (SELECT value FROM json_each(?)) AND id NOT IN (SELECT value FROM json_each(?)) "
        "ORDER BY id",
        (json.dumps(gone), json.dumps(sorted(in_files))),
    ).fetchall()


def _has_parts(root: Path, device: str) -> bool:
    """Whether `device` has parts in the synced folder's quiz-progress folder `root`. An id read from a line is
    another device's text: one that is no plain folder name has none there."""
    plain = Path(device).name == device and device not in ("", ".", "..")
    return plain and bool(syncfiles.own_parts(root / device))


def _recover(store: Store, own: Path, parts: list[tuple[int, Path]], noted: _Noted) -> str | None:
    """Bytes past what the store noted appending, in the last part noted or in parts after it: this device's
    own lines, appended by a sync killed before the store noted them (a line cut short among them), or another
    store's writing under the same id (refused). When the files hold every event of this store up to the
    latest of them, the store notes them at once (the parts, their sizes, the latest event), so a part
    shortened or deleted later is seen by its size, and the next events go in a part of a new number: the
    other devices may have read those bytes before a loss no size shows (a part cut short by the kill put back
    older), and would skip or misread lines appended after them. So too when the last part noted, empty then, is
    gone while its number was noted before an append: that append may have written it. Else returns what was lost.

    A store synced by an older quiz, which noted no closed part's size, has every part read so, once."""
    whole = noted.closed is None and noted.part > 1
    there = dict(parts)
    last = max([noted.part, *there])
    size = there[last].stat().st_size if last in there else noted.size
    gone = last not in there and noted.reserved >= last  # noted empty, but a killed append may have written it
    past = last != noted.part or size != noted.size or gone
    if not whole and not past:
        return None  # as noted
    extra = [(number, path) for number, path in parts if whole or number >= noted.part]
    held = _own_ids(
        store,
        {
            path: syncfiles.event_ids_in(path, noted.size if number == noted.part and not whole else 0)
            for number, path in extra
        },
    )
    latest = max(held, default=noted.exported)
    (missing,) = store.db.execute(
        "SELECT count(*) FROM event WHERE received = 0 AND id > ? AND id < ? "
        "AND id NOT IN (SELECT value FROM json_each(?))",
        ("" if whole else noted.exported, latest, json.dumps(sorted(held))),
    ).fetchone()
    if missing:
        return (
            f"{own}: holds less than this device wrote (a part written by a sync cut short, or closed by an "
            "older quiz, put back older or deleted)"
        )
    closed = {number: written for number, written in (noted.closed or {}).items() if number < last} | {
        number: path.stat().st_size for number, path in extra if number < last
    }
    if past:
        fresh = max(last, noted.reserved) + 1
        _note(store, max(noted.exported, latest), fresh, 0, closed | ({last: size} if last in there else {}))
    else:
        _note(store, max(noted.exported, latest), last, size, closed)
    return None


def _own_ids(store: Store, found: dict[Path, list[str]]) -> set[str]:
    """The ids of this store's own events found in this device's files (listed by file), each id there checked
    to be an event this store wrote, or one it received and wrote there as a folder started afresh lacked it
    (`_carried`). One it holds not at all was written by a store copied with this device id, or by this store
    before it was restored from an older backup."""
    ids = [event_id for listed in found.values() for event_id in listed]
    if not ids:
        return set()
    held = dict(
        store.db.execute(
            "SELECT id, received FROM event WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(ids),)
        ).fetchall()
    )
    for path, listed in found.items():
        if any(event_id not in held for event_id in listed):
            raise SyncError(
                f"{path} holds events this store never wrote: another store uses device id {store.device} (a "
                "store copied from this one), or this store was restored from an older backup. Run `quiz sync "
                "--new-device` here to give this store an id of its own: nothing is lost (what only that file "
                "holds is then read from it as another device's)"
            )
    return {event_id for event_id, received in held.items() if not received}


def _was_this_store(folder: Path, store: Store, host: str) -> bool:
    """Whether another device's folder is this store's own under the id it had before `quiz sync --new-device`:
    its `device.json` names this store. Every event its files hold is one this store wrote, and holds."""
    try:
        there = _device_file(folder / syncfiles.DEVICE_FILE)
    except (DeckFileError, OSError):
        return False
    me = _owner(store, host)
    return isinstance(there, dict) and (there.get("host"), there.get("store")) == (me["host"], me["store"])


def _read_others(
    store: Store, root: Path, report: SyncReport, host: str
) -> list[tuple[syncfiles.Part, syncfiles.Read]]:
    positions = {
        name: (offset, line, None if length is None else syncfiles.Tail(length, digest))
        for name, (offset, line, length, digest) in _positions_held(store).items()
    }
    reads: list[tuple[syncfiles.Part, syncfiles.Read]] = []
    devices = set()
    for part in syncfiles.other_parts(root, store.device, report.conflicts):
        devices.add(part.device)
        offset, line, tail = positions.get(part.name, (0, 0, None))
        try:
            read = syncfiles.read_part(part.path, part.device, offset, line, tail)
        except OSError as exc:
            report.warnings.append(f"{part.path}: cannot read it ({exc.strerror or exc}); skipped this time")
            continue
        report.warnings += read.warnings
        if read.lost and not _was_this_store(part.path.parent, store, host):  # else nothing is lost here
            report.lost.add(part.device)
        reads.append((part, read))
    report.devices = len(devices)
    return reads


def merge(store: Store, exchanged: Exchanged) -> SyncReport:
    """Keep the events `exchange` read that the store lacks, with how far each file was read, and replay the
    cards they touch: one transaction, short, which changes card states (the app runs it between sessions)."""
    report = exchanged.report
    positions = {part.name: _position(read) for part, read in exchanged.reads}
    if not any(read.events for _, read in exchanged.reads) and positions.items() <= _positions_held(store).items():
        # Nothing new read: no write, which the backups would count as a change to copy the whole store for
        # (an idle session's syncs at start and quit did so, twice a session)
        return report
    with store.transaction() as db:
        touched = _Touched()
        options = False
        latest = ""  # the latest time read (isoformat of UTC times sorts as the times)
        rescheduled = ""  # the earliest scheduling option read: answers after it may be computed again
        receive = events.Receiver(db)
        log_ids = answerlog.ReceivedIds(db)
        otherwise: list[str] = []  # where an event read is held with other content (file:line)
        for part, read in exchanged.reads:
            for event in read.events:
                new = receive(event)
                if not new:
                    if new is None:
                        otherwise.append(f"{part.path}:{read.lines[event.id]}")
                    continue
                report.received += 1
                if event.deck_id is not None:
                    report.decks.add(event.deck_id)
                latest = max(latest, event.at)
                options |= event.kind in events.OPTION_KINDS
                if event.kind in SCHEDULING_KINDS:
                    rescheduled = min(rescheduled or event.at, event.at)
                _apply(db, store, event, touched, log_ids)
            db.execute(
                "INSERT OR REPLACE INTO sync_read (file, offset, line, tail_length, tail_digest) "
                "VALUES (?, ?, ?, ?, ?)",
                (part.name, *positions[part.name]),
            )
        if otherwise:
            report.warnings.append(_held_otherwise(otherwise))
        if latest:
            store.saw_event_at(db, latest)
        if rescheduled:  # a review recomputed after it is computed with the options of its point in the history
            touched.cards.update(
                db.execute("SELECT deck_id, card_key FROM event WHERE kind = 'review' AND at >= ?", (rescheduled,))
            )
        report.cards = replay_touched(store, touched.cards, touched.notes)
        if options:
            _replay_options(store, db)
    return report


# How far a part was read, as its sync_read row holds it: offset, line, tail length, tail digest
_Position = tuple[Any, ...]


def _position(read: syncfiles.Read) -> _Position:
    return (read.offset, read.line, *((None, None) if read.tail is None else (read.tail.length, read.tail.digest)))


def _positions_held(store: Store) -> dict[str, _Position]:
    """How far each part was read, as the store noted: file -> its position."""
    rows = store.db.execute("SELECT file, offset, line, tail_length, tail_digest FROM sync_read")
    return {name: (offset, line, length, digest) for name, offset, line, length, digest in rows}


def _held_otherwise(where: list[str]) -> str:
    """One warning a sync for the events read whose ids the store holds with other content."""
    more = f" (and {len(where) - 1:,} more line(s) so)" if len(where) > 1 else ""
    return (
        f"{where[0]}: an event this store holds with other content{more}; the version held is kept (a line "
        f"edited by hand or damaged, or an id an older quiz made twice): see {guide('sync', 'One id, two versions')}"
    )


@dataclass
class _Touched:
    """What the events a merge takes touch, to be replayed: cards (deck id, card key), and the notes (deck id,
    note id) a mark or a rename names, every card of which is replayed."""

    cards: set[tuple[str, str]] = field(default_factory=set)
    notes: set[tuple[str, str]] = field(default_factory=set)


def _apply(
    db: sqlite3.Connection, store: Store, event: Event, touched: _Touched, log_ids: answerlog.ReceivedIds
) -> None:
    """What an event from another device writes besides the cards' states: the review log, exam results,
    a rename's history; the cards and notes it touches are noted, to be replayed."""
    kind, body, deck = event.kind, event.body, event.deck_id
    if deck is not None and event.card_key is not None:
        touched.cards.add((deck, event.card_key))
    if kind == events.REVIEW and deck is not None and event.card_key is not None:
        _log_answer(db, event, deck, event.card_key, log_ids)
    elif kind == events.UNDO and deck is not None:
        db.execute(
            "DELETE FROM review_log WHERE deck_id = ? AND card_key = ? AND event_id = ?",
            (deck, event.card_key, body.get("of")),
        )
    elif kind == events.MARK and deck is not None:
        touched.notes.add((deck, str(body.get("note"))))
    elif kind == events.RENAME and deck is not None:
        old, new = str(body.get("old")), str(body.get("new"))
        touched.notes.update({(deck, old), (deck, new)})
        keys = db.execute("SELECT DISTINCT card_key FROM review_log WHERE deck_id = ?", (deck,)).fetchall()
        for (key,) in keys:
            if note_id_of(key) == old:
                db.execute(
                    "UPDATE review_log SET card_key = ? WHERE deck_id = ? AND card_key = ?",
                    (renamed_key(key, new), deck, key),
                )
    elif kind == events.EXAM:
        store.put_exam(db, body)


# Whether the store holds an undo of an answer (by the answer's card and id): the events that are no answer are
# indexed by card number (events.OTHER_EVENTS), so this reads a few rows.
_UNDONE = (
    f"SELECT 1 FROM event WHERE card_no = ? AND {events.OTHER_EVENTS} AND kind = '{events.UNDO}' "
    "AND json_extract(body, '$.of') = ?"
)
# The new ids a note of a deck was renamed to: a rename names no card, so it is indexed under no card number.
_RENAMED_TO = (
    f"SELECT json_extract(body, '$.new') FROM event WHERE card_no IS NULL AND {events.OTHER_EVENTS} "
    f"AND kind = '{events.RENAME}' AND deck_id = ? AND json_extract(body, '$.old') = ?"
)


def _undone(db: sqlite3.Connection, deck: str, card_key: str, answer: str) -> bool:
    """Whether the store holds an undo of the answer `answer`, looked for under its card's key and every key a
    rename gave the card since: an undo made after a rename names the card by its new key."""
    keys, seen = [card_key], {card_key}
    for key in keys:
        if db.execute(_UNDONE, (events.card_number(deck, key), answer)).fetchone():
            return True
        for (new,) in db.execute(_RENAMED_TO, (deck, note_id_of(key))):
            if (renamed := renamed_key(key, str(new))) not in seen:
                keys.append(renamed)
                seen.add(renamed)
    return False


def _log_answer(db: sqlite3.Connection, event: Event, deck: str, card_key: str, log_ids: answerlog.ReceivedIds) -> None:
    """Log a received answer (its states are in its event's row), unless its undo was read before it (a heal
    sent it again after a part holding it was lost, so it came after its undo), or it is an imported answer the
    log holds already: the same answer of another program imported on two devices. Its row then names the
    smaller of the two events' ids, so every device's log names the same event whatever order they arrived in
    (both are kept: every device holds the same events)."""
    if _undone(db, deck, card_key, event.id):
        return
    body = event.body
    answered = as_utc(datetime.fromisoformat(event.answered_at)).isoformat()
    occurrence = events.imported_occurrence(body)
    if occurrence is not None:
        held = answerlog.imported_answer(db, deck, card_key, answered, body["grade"], occurrence)
        if held is not None:
            log_id, named = held
            if event.id < named:  # the ids of one length and form sort as text
                db.execute("UPDATE review_log SET event_id = ? WHERE id = ?", (event.id, log_id))
            return
    db.execute(
        answerlog.PUT_ANSWER,
        (log_ids(answerlog.id_floor(datetime.fromisoformat(answered))), deck, card_key)
        + (body["grade"], answered, body["duration_ms"], body["mode"], event.id),
    )


def _replay_options(store: Store, db: sqlite3.Connection) -> None:
    """The settings, option presets and exam dates again from their events, the latest of each winning."""
    options = replay_options(store.read_events(kinds=events.OPTION_KINDS))
    db.execute("DELETE FROM deck_preset")
    db.execute("DELETE FROM preset")
    db.execute("DELETE FROM exam_date")
    store.put_settings(db, options.values)
    for name, preset in options.presets.items():
        store.put_preset(db, name, preset)
    for deck_id, name in options.deck_presets.items():
        store.put_deck_preset(db, deck_id, name)
    for (deck_id, topic), (day, target) in options.exam_dates.items():
        store.put_exam_date(db, deck_id, topic, day, target)
