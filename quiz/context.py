"""Builds what every command and the app share: paths, the clock, the store, the decks, the scheduler."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from threading import Event
from typing import TYPE_CHECKING

import platformdirs

from quiz.core import backup
from quiz.core.backupfolder import Backup
from quiz.core.clock import Clock, clock_from_env
from quiz.core.library import SHIPPED_DECKS, Library
from quiz.core.links import dangling_target
from quiz.core.lock import AppLock
from quiz.core.lockholder import LOCK_NAME
from quiz.core.store import STORE_NAME, Store, StoreError
from quiz.core.text import guide, named_list, shell_word
from quiz.output import echo, file_names_as_they_are

if TYPE_CHECKING:
    from quiz.core.scheduler import Scheduler
    from quiz.core.sync import SyncReport


class PathArgument(str):
    """A command-line argument that names a file or folder (argparse's `type` for one), told apart from a title, a
    name or a query: only these are checked for a Windows path pasted into WSL (quiz.cli.windows_path)."""

    __slots__ = ()


def default_data_dir() -> Path:
    """QUIZ_HOME if set, else the platform's per-user data directory."""
    home = os.environ.get("QUIZ_HOME")
    return Path(home) if home else Path(platformdirs.user_data_dir("quiz", appauthor=False))


def _link_deck_folder(mine: Path, folder: Path) -> str:
    """The commands that link the deck folder `mine` to `folder`, as docs/sync.md gives them: its own decks, if
    any, moved there first (`mv -n` replaces none), the empty folder then replaced by the link."""
    link = f"ln -s {shell_word(folder)} {shell_word(mine)}"
    if not mine.is_dir() or mine.is_symlink():  # none yet (a new machine), or linked elsewhere: the link alone
        return f"`{link}`" if not os.path.lexists(mine) else f"`rm {shell_word(mine)} && {link}`"
    remove = f"rmdir {shell_word(mine)} && {link}"
    if any(mine.iterdir()):
        return f"its own decks moved there first: `mv -n {shell_word(mine)}/* {shell_word(folder)}/`, then `{remove}`"
    return f"`{remove}`"


@dataclass(frozen=True, slots=True)
class DeckFolderProblem:
    """The deck folder is a link to a folder that is not there: what is wrong and how to fix it, in two forms."""

    folder: Path
    target: str  # where the link points

    @property
    def detail(self) -> str:
        """Said of the folder, for a line that already names it as the deck folder (Home's "Your decks: ...")."""
        return (
            f"{self.folder} is a link to {self.target}, which is not there (a synced folder not mounted?): mount it,"
            " or link the deck folder to a folder that is there"
        )

    @property
    def message(self) -> str:
        """The whole sentence, for a line of its own (a command's error)."""
        return f"your deck folder {self.detail}"


# The most names the search for a missing deck's file looks at in the synced folder or its clone (about 0.2 s):
# a dotfiles repository that is the home holds hundreds of thousands
SEARCHED_AT_MOST = 50_000

# What a command leaves in a data folder it made before failing: none of it holds anything the user made
_LEFT_BY_A_FAILED_COMMAND = frozenset(
    {"cache", LOCK_NAME, STORE_NAME, *(STORE_NAME + tail for tail in ("-wal", "-shm", "-journal"))}
)


def _left_by_a_failed_command(folder: Path) -> bool:
    """Whether `folder` holds nothing but a failed command's leftovers, its store (if any) never written."""
    if any(entry.name not in _LEFT_BY_A_FAILED_COMMAND for entry in folder.iterdir()):
        return False
    if not (folder / STORE_NAME).is_file():
        return not (folder / STORE_NAME).exists()
    try:
        store = Store(folder / STORE_NAME)
    except StoreError:
        return False
    try:
        return store.never_written()
    finally:
        store.close()


@dataclass
class Context:
    data_dir: Path
    clock: Clock
    extra_decks: list[Path] = field(default_factory=list)
    include_shipped: bool = True
    _store: Store | None = None
    _library: Library | None = None
    _lock: AppLock | None = None
    # Why the store could not be read for the deck ids it keeps history under, when it could not
    history_unread: StoreError | None = None
    # ... and the ids as last read, for a command to reuse (None: not read, or could not be)
    history_read: frozenset[str] | None = None
    backup_failure: str = ""  # why the last automatic backup failed, if it did (backup_warning says it)
    backup_stopped: str = ""  # said as the context closes when quitting stopped the start's backup
    # The app backed up as it started: that backup does not hold back the one at close, so a session shorter than
    # backup.MIN_INTERVAL is backed up as it ends, not at the next start (where it delayed the first frame)
    backed_up_at_start: bool = False
    # The start found a backup due: the app takes it on a thread once its first frame is drawn (back_up_at_start)
    backup_due_at_start: bool = False
    # False when all the store holds came from a file the user still has (an import into an empty store):
    # no backup as the context closes; the next one is taken when it is next due
    backup_at_close: bool = True
    data_dir_named: bool = False  # by --data-dir or QUIZ_HOME: a typo there must not start an empty store
    # The folder --data-dir gave, which the commands quiz prints for her to paste name (quiz.output.commands_naming);
    # None when QUIZ_HOME or the default gave it, which a pasted command finds as quiz did
    data_dir_option: Path | None = None
    # The app and a command that writes (`import`, `new`, `add`, ...) make a named data folder that is not there;
    # any other command (False here) refuses it as it first reaches for the store, the lock or the decks
    writes: bool = True
    # The folders a command that writes would make for a named data folder not there (it, then the parents it
    # needs): removed again when the command fails having kept nothing in them (remove_folders_made_for_nothing)
    folders_to_make: list[Path] = field(default_factory=list)
    # A command reading the decks says on stderr why the deck folder's decks are missing (the app's Home says it)
    say_deck_folder_problem: bool = False
    # Told (path, size) of each deck file the first load of the decks parses, not having it in the cache: the app
    # says on the terminal why it is still blank (quiz.cli.say_a_deck_is_parsed)
    before_deck_parse: Callable[[str, int], None] | None = field(default=None, repr=False)

    @classmethod
    def from_options(cls, data_dir: str | None, decks: list[str] | None = None, clock: Clock | None = None) -> Context:
        return cls(
            Path(data_dir) if data_dir else default_data_dir(),
            clock or clock_from_env(),
            [Path(p) for p in decks or []],
            data_dir_named=bool(data_dir or os.environ.get("QUIZ_HOME")),
            data_dir_option=Path(data_dir) if data_dir else None,
        )

    @property
    def user_deck_dir(self) -> Path:
        return self.data_dir / "decks"

    def deck_folder_problem(self) -> DeckFolderProblem | None:
        """Why nothing can be written to the deck folder, when it is a link to a folder that is not there (the
        deck folder kept in a synced folder, that folder not mounted), said instead of `File exists`."""
        target = dangling_target(self.user_deck_dir)
        return None if target is None else DeckFolderProblem(self.user_deck_dir, target)

    def data_folder_problem(self) -> str | None:
        """Why the data folder cannot be used, when it is a link to a folder that is not there (kept on a drive
        not connected), said instead of the `File exists` that making the store or its lock in it gives."""
        if self.data_dir.is_file():
            return (
                f"{self.data_dir} is a file, not a folder: give quiz the folder of its data (--data-dir or"
                " QUIZ_HOME), or a new folder's path to start one"
            )
        target = dangling_target(self.data_dir)
        if target is None:
            return None
        return (
            f"{self.data_dir} is a link to {target}, which is not there (a drive not connected?): connect it and run"
            " quiz again, or give quiz another data folder (--data-dir or QUIZ_HOME)"
        )

    def data_folder_missing(self) -> str | None:
        """Why a command that does not write refuses a data folder named (--data-dir, QUIZ_HOME) that does not
        exist: most likely a typo, and making it would show an empty store as if the progress were gone. The
        platform's own folder is made by any first command, as the first start makes it."""
        if self.writes or not self.data_dir_named or self.data_dir.exists():
            return None
        return (
            f"the data folder {self.data_dir} does not exist (--data-dir or QUIZ_HOME): check the path; quiz's "
            "first start (`quiz` alone) or a command that writes (`quiz import`, `new`, `add`) creates it"
        )

    def note_folders_to_make(self) -> None:
        """Before a command runs: the folders it would make for a named data folder that is not there."""
        if self.writes and self.data_dir_named:
            self.folders_to_make = [path for path in (self.data_dir, *self.data_dir.parents) if not path.exists()]

    def remove_folders_made_for_nothing(self) -> None:
        """After a command that failed, its store closed: remove the named data folder it made, and the parents
        made for it, when they hold nothing but what a failed command leaves (a store never written, its lock, the
        deck cache). Kept, the mistyped folder would later be taken for a store whose progress is gone.

        Done holding the app lock (the command's, or taken here), which `close` then drops: an app opened on the
        new folder while the command ran leaves the same files, its store not yet written, and holds the lock."""
        if not self.folders_to_make or not self.data_dir.is_dir():
            return
        try:
            self.lock()
        except StoreError:  # an app has the folder open (AlreadyOpen), its store to be written: kept
            return
        if not _left_by_a_failed_command(self.data_dir):
            return
        try:
            shutil.rmtree(self.data_dir)
        except OSError:  # the command's own error has been said; a folder left is no worse than before
            return
        for parent in self.folders_to_make[1:]:
            try:
                parent.rmdir()
            except OSError:  # something else was put in it meanwhile: kept
                return

    @property
    def default_deck_folders(self) -> list[Path]:
        """Read when they exist: the shipped decks and the user's deck folder (made by the first `add`)."""
        return ([SHIPPED_DECKS] if self.include_shipped else []) + [self.user_deck_dir]

    @property
    def deck_folders(self) -> list[Path]:
        return self.default_deck_folders + self.extra_decks

    def refuse_a_missing_data_folder(self) -> None:
        """Before the store, the lock or the deck cache makes the data folder: raise StoreError when it is one
        named that is not there and the command does not write."""
        if missing := self.data_folder_missing():
            raise StoreError(missing)

    @property
    def store(self) -> Store:
        if self._store is None:
            self.refuse_a_missing_data_folder()
            self._store = Store.in_folder(self.data_dir, clock=self.clock)
        return self._store

    @property
    def library(self) -> Library:
        if self._library is None:
            self.refuse_a_missing_data_folder()
            self.warn_of_deck_folder()
            self._library = Library.load(
                self.deck_folders,
                self.cache_dir,
                optional=self.default_deck_folders,
                history=self.deck_ids_with_history,
                before_parse=self.before_deck_parse,
            )
            file_names_as_they_are(result.path for result in self._library.results)
        return self._library

    def has_store(self) -> bool:
        """Whether there is a store to read: open, or a file holding something. A command that only reads it never
        makes one, nor opens an empty file (a sync or a full disk left it), which holds nothing and opened would be
        written as a new store; its write-ahead log beside it may hold what the file does not yet."""
        if self._store is not None:
            return True
        path = self.data_dir / STORE_NAME
        try:
            return path.stat().st_size > 0 or os.path.lexists(f"{path}-wal")
        except (FileNotFoundError, NotADirectoryError):
            return False
        except OSError:  # there, but not to be looked at: opening it says why
            return True

    def deck_ids_with_history(self) -> frozenset[str] | None:
        """The deck ids, casefolded, the store keeps history under, which a free deck id suggested is none of (a
        deck given one would take that history); none without a store, which is never made for this. Read when
        asked: the decks ask only when a deck file's id is taken, so a start without that reads nothing more.
        None when the store cannot be read (damaged, locked), why kept in `history_unread`: the decks load all
        the same, a deck id taken being the deck file's problem, not the store's."""
        self.history_read = None
        if not self.has_store():
            return frozenset()
        try:
            kept = self.store.deck_ids_with_history()
        except StoreError as exc:
            self.history_unread = exc
            return None
        self.history_unread, self.history_read = None, kept
        return kept

    def let_go_of_decks(self) -> None:
        """Drop the loaded decks (the next use of `library` loads them again): a command done with them lets
        their parsed notes go, tens of MB for a big deck whose cache entry is not made yet."""
        self._library = None

    def warn_of_deck_folder(self) -> None:
        """For a command reading the user's decks: say on stderr that the deck folder's decks are not there, and
        why, rather than list, export or plan without them as if there were none."""
        if self.say_deck_folder_problem and (unreachable := self.deck_folder_problem()):
            self.say_deck_folder_problem = False  # once a command
            echo(f"quiz: {unreachable.message}", error=True)

    def prune_deck_cache(self) -> None:
        """After the app: drop cached decks no deck file has any more (commands leave them to the app)."""
        if self._library is not None:
            self._library.prune_cache()

    @property
    def cache_dir(self) -> Path:
        """Parsed decks (quiz.core.deckcache): safe to delete, rebuilt on the next start."""
        return self.data_dir / "cache"

    def scheduler(self) -> Scheduler:
        from quiz.core.scheduler import Scheduler  # fsrs loads when a session starts, not at start-up

        return Scheduler(self.store.settings())

    def lock(self, doing: str = "") -> None:
        """Take the one-app-per-data-directory lock, or raise AlreadyOpen (a StoreError) naming the holder and
        its pid. `doing` is the command's task ("syncing"), empty for the app."""
        if self._lock is None:
            self.refuse_a_missing_data_folder()
            self._lock = AppLock(self.data_dir).acquire(doing)

    def start_app(self) -> None:
        """What the app does before its first screen: the lock, a store known to be sound, and whether a backup is
        due (taken once the first screen is drawn: back_up_at_start).

        Raises StoreError (AlreadyOpen, StoreCorruptError) with the message to show; the caller exits 1.
        """
        self.lock()
        try:
            self.store.check_health()
        except StoreError:
            if self._store is not None:  # damaged: close it untouched, without trying to back it up
                self._store.close()
                self._store = None
            raise
        self.backup_due_at_start = backup.needs_backup(self.store, self.clock.now(), self._backup_interval(self.store))

    def back_up_at_start(self, stop: Event | None = None) -> Backup | None:
        """The backup start_app found due, taken on a thread of the app's (quiz/ui/startbackup.py) through a store
        connection of its own: the app's saves answers meanwhile, and the copy, one read transaction, is the store
        as it was when the copy began. Never raises; a failure is kept in `backup_failure`. `stop` set (the app
        quits) ends it within moments, its unfinished copy deleted, and the close then takes none (it would keep
        the terminal waiting as long) but says so (`backup_stopped`): the next start does, off its first frame."""
        try:
            own = Store(self.store.path, self.clock)
        except StoreError as exc:
            self.backup_failure = str(exc)
            return None
        try:
            made = self.backup_now(own, stop)
        except backup.BackupStopped as stopped:
            self.backup_at_close = False
            self.backup_stopped = str(stopped)
            return None
        finally:
            own.close()
        self.backed_up_at_start = made is not None
        return made

    @property
    def backup_warning(self) -> str:
        """What quiz says of the last automatic backup as it closes: that it failed and why; empty if it did not."""
        return f"automatic backup failed: {self.backup_failure}" if self.backup_failure else ""

    def _backup_interval(self, store: Store) -> timedelta:
        # A store file deleted while open is still readable through this connection, and nowhere else
        # once it closes: back it up now, however recent the last backup.
        return timedelta(0) if store.gone() or self.backed_up_at_start else backup.MIN_INTERVAL

    def backup_now(self, source: Store | None = None, stop: Event | None = None) -> Backup | None:
        """An automatic backup if one is due (store changed, newest backup 30+ minutes old), read through `source`
        (the context's store by default). Never raises but BackupStopped (`stop` set): a failure is kept in
        `backup_failure` (and printed to stderr when the context closes)."""
        if self._store is None or self._store.damaged:
            return None
        try:
            made = backup.auto_backup(source or self._store, self.clock.now(), self._backup_interval(self._store), stop)
        except backup.BackupStopped:
            raise
        except Exception as exc:  # any failure: the answers are saved already, and the app or command goes on
            self.backup_failure = str(exc)
            return None
        self.backup_failure = ""
        return made

    def _gone_advice(self, store: Store, made: Backup | None, folder_went: bool = False) -> str:
        """What to do about a store deleted while open: bring back the backup that holds it, when there is one
        (an empty store is not backed up, and then nothing was lost). When its whole folder went, first connect it
        again: a share or a drive that comes back holds the store as quiz left it."""
        if folder_went:
            found = self._gone_advice(store, made)
            return (
                "if it is on a network share or a drive, connect it again and start quiz: its store holds every "
                f"answer saved before. If the folder was deleted: {found}"
            )
        if made is not None:
            return f"what was saved before is in the backup {made.name}; run `quiz restore latest` to bring it back"
        from quiz.core.storehealth import newest_good

        if newest_good(store.path) is not None:
            return "run `quiz restore latest` to bring back its newest backup"
        if self.backup_warning:
            return "it could not be backed up (see above), so there is no backup to restore"
        return "nothing had been saved in it, so nothing is lost: quiz makes a new one at its next start"

    def decks_lacking(self, decks: set[str]) -> list[str]:
        """The notes a sync that brought the progress of `decks` adds when this machine lacks some of them: a
        machine set up from the synced folder got their answers, while Home showed none of those decks, and Stats
        counted their answers, with nothing said (docs/sync.md). A deck whose file is here but does not load is
        named with that file: the deck folder is set up, the file wants fixing."""
        lacking = sorted(deck for deck in decks if self.library.deck(deck) is None)
        broken = {deck: found.path for deck in lacking if (found := self.library.not_loaded(deck)) is not None}
        notes = [
            f"note: the progress of deck '{deck}' came from your other machines, but its file here does not load:"
            f" {path} (`quiz validate {shell_word(path)}` says why); the progress waits in the store"
            for deck, path in broken.items()
        ]
        missing = [deck for deck in lacking if deck not in broken]
        there = self._decks_in_synced_folder(missing)
        notes += [self._decks_not_linked(sorted(decks), folder) for folder, decks in there.items()]
        if missing := [deck for deck in missing if not any(deck in decks for decks in there.values())]:
            notes.append(self._decks_missing(missing))
        return notes

    def _decks_in_synced_folder(self, missing: list[str]) -> dict[Path, set[str]]:
        """The decks of `missing` whose file is in the synced folder, or in the clone it is in, by the folder holding
        them: a new machine's clone holds the decks another machine committed, and only its deck folder is left to
        link there. A file is the deck's when its `deck:` line says so, whatever its name (`quiz add nursing.yaml`
        keeps that name for deck nursing-pharm); a file only named after it is none, and no place to move her decks
        to. Nothing is walked when no deck is missing: this runs at every sync."""
        from quiz.core.deckfile import deck_files_within
        from quiz.core.library import declared_deck_id

        if not missing:
            return {}
        where = self._sync_clone() or self.store.sync_folder()
        if where is None or not where.is_dir():
            return {}
        found: dict[Path, set[str]] = {}
        mine = self.user_deck_dir.resolve()  # a file there is another deck: linking changes nothing
        for file in deck_files_within(where, SEARCHED_AT_MOST):
            if (deck := declared_deck_id(file)) in missing and not file.resolve().is_relative_to(mine):
                found.setdefault(file.parent, set()).add(deck)
        return found

    def _decks_not_linked(self, decks: list[str], folder: Path) -> str:
        """The note for decks whose files are in the synced folder, `folder`, while this machine's deck folder is
        elsewhere: the step left is to link the deck folder there."""
        names = ", ".join(f"'{deck}'" for deck in decks)
        mine = self.user_deck_dir
        return (
            f"note: the progress of deck{'s' if len(decks) > 1 else ''} {names} came from your other machines, and"
            f" {'their files are' if len(decks) > 1 else 'its file is'} in {folder}, but this machine's deck folder is"
            f" {mine}: link it there ({_link_deck_folder(mine, folder)}; see {guide('sync', 'Set it up once')});"
            " the progress waits in the store"
        )

    def _decks_missing(self, missing: list[str]) -> str:
        """The note for decks of which this machine has no file: where its deck folder is, and how to share it."""
        names = ", ".join(f"'{deck}'" for deck in missing)
        if self._sync_clone() is not None:
            how = (
                "commit the deck folder to the repository on the machine that has it, and link this machine's to the"
                f" clone's (see {guide('sync', 'Decks in the repository')})"
            )
        else:
            how = f"keep your deck folder in the synced folder (see {guide('sync', 'Set it up once')})"
        return (
            f"note: the progress of deck{'s' if len(missing) > 1 else ''} {names} came from your other machines, but"
            f" this machine has no such deck (its deck folder: {self.user_deck_dir}): sync shares progress, not deck"
            f" files; {how}; the progress waits in the store"
        )

    def _sync_clone(self) -> Path | None:
        """The top of the git clone sync goes through, when the synced folder is there and in one."""
        from quiz.core.syncgit import clone_top  # loaded only for a user who syncs

        folder = self.store.sync_folder()
        return clone_top(folder) if folder is not None and folder.is_dir() else None

    def decks_not_committed(self, place: Path | None = None) -> str | None:
        """The note for the deck files under `place` (the deck folder by default) that differ from the last commit
        of the git clone sync goes through: sync commits only its own files, and said nothing of a deck imported or
        edited there, so its new version never reached the other machines (docs/sync.md, "Decks in the
        repository"). None when the folder is not in that clone, or nothing there waits."""
        from quiz.core.syncgit import uncommitted  # loaded only for a user who syncs

        if not self.has_store():
            return None  # no store, so no synced folder: none made for this (an import of cards only makes none)
        if (top := self._sync_clone()) is None:
            return None
        where = (place or self.user_deck_dir).resolve()
        if not where.is_relative_to(top) or not (files := uncommitted(top, where)):
            return None
        named = named_list(files, 3)
        git = f"git -C {shell_word(top)}"
        inside = shell_word(where.relative_to(top).as_posix())
        return (
            f"note: not committed in the git clone {top}, which sync goes through: {named}; your other machines get"
            f" {'it' if len(files) == 1 else 'them'} once you commit"
            f" (`{git} add -- {inside} && {git} commit -m 'quiz decks'`; the next sync pushes it)"
        )

    def sync_at_quit(self, at_start: Callable[[], SyncReport | None] = lambda: None) -> None:
        """After the app, with a synced folder set: sync (what the start's sync could not merge while a session
        was open, and what was studied since), and say what it did in one line, or why it could not; then a line
        per conflict copy and warning this sync found, and the bad lines the start's sync read (`at_start()`,
        which waits for that sync to end), which no sync reads again. When this sync cannot run, every problem
        the start's found: the latest word on them (a remote out of reach at start but reached now is not
        warned of)."""
        if self._store is None or (folder := self._store.sync_folder()) is None:
            return
        from quiz.core.sync import INTERRUPTED, STOPPED_AFTER  # loaded only for a user who syncs

        synced: list[SyncReport] = []  # once this sync has ended: Ctrl+C then stops its notes alone
        try:
            self._sync_at_quit(self._store, folder, at_start, synced)
        except KeyboardInterrupt:
            echo(f"quiz: {STOPPED_AFTER if synced else INTERRUPTED}", error=True)  # else ^C alone
            raise

    def _sync_at_quit(
        self, store: Store, folder: Path, at_start: Callable[[], SyncReport | None], synced: list[SyncReport]
    ) -> None:
        from quiz.core.sync import SyncError, folder_problem, sync

        file_names_as_they_are([folder])  # the lines below name it, and a folder in it, as it is
        report = None
        if (why := folder_problem(store, folder)) is not None:
            echo(f"quiz: not synced: {why}; your answers wait here, safe", error=True)
        else:
            echo(f"quiz: syncing with {folder}…", error=True)  # the window is gone: say why quiz has not ended yet
            if self._lock is not None:  # nor is there a window for another quiz to tell her to close
                self._lock.now_doing("syncing")
            try:
                report = sync(store, folder)  # after the start's sync, if it still runs
            except (SyncError, StoreError, OSError) as exc:
                echo(f"quiz: not synced: {exc}", error=True)
            else:
                synced.append(report)
                echo(f"quiz: {report.summary()}")
        started = at_start()
        details = [] if started is None else started.details() if report is None else started.read_once()
        details += [] if report is None else report.details()
        received = set().union(*(done.decks for done in (started, report) if done is not None))
        details += self.decks_lacking(received)
        if report is not None and (waiting := self.decks_not_committed()):
            details.append(waiting)
        for line in dict.fromkeys(details):  # a bad line the start's sync read but did not merge is read again
            echo(f"quiz: {line}")

    def close(self, failed: bool = False) -> None:
        """Back up if due (after the app exits, or a command that wrote), close the store; after a command that
        `failed`, remove the data folder it made for nothing; drop the lock."""
        if self._store is not None:
            gone = self._store.gone()
            folder_went = gone and self._store.folder_went()  # before the backup, which makes the folder again
            made = self.backup_now() if self.backup_at_close or gone else None
            if self.backup_warning:
                echo(f"quiz: {self.backup_warning}", error=True)
            elif self.backup_stopped and made is None:  # one line, for a quit kept fast (docs/data-and-safety.md)
                echo(f"quiz: {self.backup_stopped}", error=True)
            if gone:
                what = self._store.how_gone("while quiz was open", folder_went)
                echo(f"quiz: {what}; {self._gone_advice(self._store, made, folder_went)}", error=True)
            self._store.close()
            self._store = None
        if failed:  # before the lock is dropped: no app opens the folder as it goes
            self.remove_folders_made_for_nothing()
        if self._lock is not None:
            self._lock.release()
            self._lock = None
