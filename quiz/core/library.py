"""Where decks come from: the shipped folder, the user's deck folder and any extra paths, loaded together.

With a cache folder, each deck file is parsed once per content (quiz.core.deckcache); decks read from
the cache build their notes and cards, and read their text, only when first used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from unicodedata import normalize

from quiz.core.conflicts import is_conflict_copy, original_of
from quiz.core.deckfile import DeckFileFound, LoadResult, deck_files_found
from quiz.core.filenames import one_file, unique_name
from quiz.core.ids import ID_PATTERN, numbered_id
from quiz.core.model import Card, Deck
from quiz.core.problems import Problem

if TYPE_CHECKING:  # the cache is imported when first used, only by a library that has a cache folder
    from quiz.core.deckcache import BeforeParse, DeckCache, DeckIndex

# Package data (pyproject's package-data): the decks travel inside the wheel, beside this package's modules.
# quiz is always installed as files (wheel, editable, pipx), where importlib.resources.files("quiz") is this
# very folder; the path is taken directly because importing importlib.resources costs ~7 ms at every start
# (it loads tempfile and zipfile). tests/test_packaging.py installs the wheel and lists the deck.
SHIPPED_DECKS = Path(__file__).resolve().parents[1] / "decks"
CACHE_SUBFOLDER = "decks"  # under the cache folder given: <data dir>/cache/decks


@dataclass
class Library:
    folders: list[Path]
    results: list[LoadResult] = field(default_factory=list)
    cache_dir: Path | None = None  # e.g. <data dir>/cache; None parses every file every time
    optional: frozenset[Path] = frozenset()  # folders read only if they exist (the defaults); any other
    # path was named by the user, so one that is missing or unreadable is reported as a broken deck
    _cache: DeckCache | None = field(default=None, repr=False, compare=False)
    # deck id -> the file it was last loaded from, kept while the file does not load (an edit broke it)
    _last_paths: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # the deck ids, casefolded, no deck file has but a hint's free id must not be either (the store's history;
    # None: the store could not be read)
    history: Callable[[], Iterable[str] | None] = field(default=frozenset, repr=False, compare=False)

    @classmethod
    def load(
        cls,
        folders: list[Path],
        cache_dir: Path | None = None,
        optional: Sequence[Path] = (),
        history: Callable[[], Iterable[str] | None] = frozenset,
        before_parse: BeforeParse | None = None,
    ) -> Library:
        """`before_parse(path, size)`: called before a deck file the cache does not have is parsed, in this first
        load only (the app says so before it takes the screen; a reload while it runs says nothing)."""
        library = cls(folders, cache_dir=cache_dir, optional=frozenset(optional), history=history)
        library.reload(before_parse)
        return library

    def _loader(self, before_parse: BeforeParse | None = None) -> Callable[[Path], LoadResult] | None:
        if self.cache_dir is None:
            return None
        if self._cache is None:
            from quiz.core.deckcache import DeckCache

            self._cache = DeckCache(Path(self.cache_dir) / CACHE_SUBFOLDER, _parse_deck, LoadResult)
        cache = self._cache
        return lambda path: cache.load(path, lambda name, _exc: _load_deck_file(name), before_parse)

    def reload(self, before_parse: BeforeParse | None = None) -> None:
        wanted = [f for f in self.folders if f not in self.optional or f.exists()]
        self.results = load_decks(wanted, loader=self._loader(before_parse), history=self.history)
        self._last_paths.update((deck.id, deck.path) for deck in self.decks)
        if self._cache is not None:
            self._cache.flush()

    def deck_cache(self) -> DeckCache | None:
        """The cache the decks were loaded through (None without a cache folder): it holds no deck, so a command
        can keep it to read a deck back after letting the library go."""
        return self._cache

    def prune_cache(self) -> None:
        """Drop cache entries no deck file has any more (see DeckCache.prune)."""
        if self._cache is not None:
            self._cache.prune()

    @property
    def decks(self) -> list[Deck]:
        return [r.deck for r in self.results if r.deck is not None]

    @property
    def broken(self) -> list[LoadResult]:
        return [r for r in self.results if r.deck is None]

    def deck(self, deck_id: str) -> Deck | None:
        return next((d for d in self.decks if d.id == deck_id), None)

    def not_loaded(self, deck_id: str) -> LoadResult | None:
        """The file deck `deck_id` was last loaded from, with its problems, while it does not load: where to fix
        the deck (its cards are still on screen, in the session or Browse that had them). A deck not loaded in
        this run: the file named after it (as an import names it) that does not load."""
        path = self.last_path(deck_id)
        return next(
            (
                result
                for result in self.broken
                if result.path == path or (path is None and Path(result.path).stem == deck_id)
            ),
            None,
        )

    def last_path(self, deck_id: str) -> str | None:
        """The file deck `deck_id` was last loaded from, loaded still or not (None if it never was)."""
        return self._last_paths.get(deck_id)

    def card(self, deck_id: str, key: str) -> Card | None:
        deck = self.deck(deck_id)
        return next((c for c in deck.cards if c.key == key), None) if deck else None


def card_groups(deck: Deck) -> list[tuple[str, str, Sequence[str]]]:
    """The deck's card keys by topic and kind: what counting needs. A deck read from the cache has them
    stored (no card is built); a plain Deck's cards are grouped here."""
    source: DeckIndex | None = getattr(deck, "_src", None)
    if source is not None:
        return source.card_groups()
    groups: dict[tuple[str, str], list[str]] = {}
    for card in deck.cards:
        groups.setdefault((card.note.topic, card.note.kind), []).append(card.key)
    return [(topic, kind, keys) for (topic, kind), keys in groups.items()]


# The parser (quiz.core.decks, with the card kinds and the field reader: ~8 ms) is imported when a deck is
# parsed, not at a start that finds every deck in the cache.
def _parse_deck(data: bytes, path: str, look_at_picture: Callable[[str], tuple[str, str] | None]) -> LoadResult:
    from quiz.core.decks import parse_deck

    return parse_deck(data, path, look_at_picture=look_at_picture)


def _load_deck_file(path: str | Path) -> LoadResult:
    from quiz.core.decks import load_deck_file

    return load_deck_file(path)


def _as_conflict_copy(found: DeckFileFound) -> Problem | None:
    """Why the deck file `found` is not loaded when it is a conflict copy, or lies in one below any folder given
    that holds it: each way it was found is looked at, so no spelling of the paths (one relative, one whole, a
    link on the way, the copy's file named itself) loads the copy in place of the deck."""
    for file, folder in found.ways:
        if (copy := _copy_holding(file, folder)) is not None:
            return _conflict_copy(file, copy)
    return None


def _copy_holding(file: Path, folder: Path | None) -> Path | None:
    """The conflict copy `file` is, or the one it lies in below the `folder` given (a sync tool's copy of a whole
    deck folder: `Pharm (Case Conflict)/` beside `pharm/`): its decks are the original's, never loaded either."""
    if is_conflict_copy(file):
        return file
    if folder is None:
        return None
    below = (folder / part for part in file.relative_to(folder).parents if part.parts)
    return next((copy for copy in below if is_conflict_copy(copy)), None)


def _conflict_copy(file: Path, copy: Path) -> Problem:
    """The problem of a conflict copy (`copy`: the file itself, or a folder holding it), never loaded: with its deck
    file there, to compare; without one (the only copy of the deck, which deleting would lose), to put in its
    place."""
    in_place = original_of(copy)  # the file, or the folder, the copy is of
    original = in_place / file.relative_to(copy)
    if original.exists():
        there = "beside it" if copy == file else str(original)
        fix = f"compare it with the deck file {there}, keep what you want there, and delete this copy"
    elif copy == file:
        name = original.name
        fix = f"no deck file {name} is beside it: if it is the deck you want, rename it {name}; else delete it"
    else:
        fix = f"no deck file {original} is there: if it is the deck you want, move it there; else delete it"
    what = "a conflict copy" if copy == file else f"in {copy}, a conflict copy of the folder {in_place}"
    return Problem(
        str(file), 1, 1, f"{what} left by a file-sync tool (two machines changed the deck at once); not loaded", fix
    )


def case_clashes(files: Iterable[Path]) -> list[Problem]:
    """A warning on each deck file named as another beside it but for case (`pharm.yaml` beside `Pharm.yaml`),
    or for its accents' encoding, or in a folder so named (`Sub/x.yaml`, `sub/X.yaml`): Linux keeps both, but
    macOS's and Windows' disks (`one_file`), and a folder synced with them, hold one file for the two, so syncing
    the deck folder loses one. The later in sort order is the one to rename."""
    # by folder, each name once: a look-up per file, as Home starts with thousands of deck files (comparing
    # each with every name before it took 3 s for 5,000)
    first: dict[str, dict[str, Path]] = {}  # folder: each name -> the first deck file so named, in sort order
    later: list[tuple[Path, Path]] = []  # a deck file named as an earlier one on macOS's disk, and that one
    for file in sorted(files):
        other = first.setdefault(one_file(str(file.parent)), {}).setdefault(one_file(file.name), file)
        if other != file:
            later.append((file, other))
    taken = {folder: set(names) for folder, names in first.items()}  # a name suggested is taken too
    found = []
    for file, other in later:
        free = unique_name(Path(file.name).stem, file.suffix, taken[one_file(str(file.parent))])
        found.append(Problem(str(file), 0, 1, _named_alike(file, other), _rename_to(free), severity="warning"))
    return found


def _named_alike(file: Path, other: Path) -> str:
    """Why deck file `file` and `other`, one file on macOS's disk, are warned of."""
    shown = f"{other.name} beside it" if file.parent == other.parent else str(other)
    which = "name" if file.parent == other.parent else "path"
    if str(file).casefold() == str(other).casefold():
        return (
            f"its {which} differs only in case from {shown}: macOS's and Windows' disks, and a folder synced"
            " with them, keep one file for the two, so syncing the deck folder loses one"
        )
    how = "" if normalize("NFC", str(file)) == normalize("NFC", str(other)) else "in case and "
    return (
        f"its {which} differs from {shown} only {how}in how its accents are encoded: macOS's disk, and a folder"
        " synced with it, keeps one file for the two, so syncing the deck folder loses one"
    )


def _rename_to(free: str) -> str:
    return f"rename this file, e.g. to {free} (its history goes with its `deck:` id, not its name)"


def load_decks(
    paths: Iterable[str | Path],
    loader: Callable[[Path], LoadResult] | None = None,
    taken: set[str] | None = None,
    history: Callable[[], Iterable[str] | None] = frozenset,
) -> list[LoadResult]:
    """Load every deck under `paths`; a deck id used twice is an error on the later file, a name another's but
    for case a warning (`case_clashes`). No free id suggested for it is one of `taken` (deck ids, casefolded, held
    elsewhere: decks loaded apart), to which the ids of these files and those suggested are added, nor one of
    `history()` (the store's deck ids, casefolded), asked only then: a load with no deck id taken reads nothing.
    `history()` gives None when the store cannot be read (damaged, locked): the decks load all the same, and the
    hint says the id it names was not checked against the history."""
    results: list[LoadResult] = []
    owners: dict[str, tuple[str, set[Path]]] = {}  # deck id: the file that has it, and the folders it was found in
    found = deck_files_found(paths)
    clashes = {problem.path: problem for problem in case_clashes(each.file for each in found)}
    taken_ids: list[tuple[int, str, bool]] = []  # each result whose deck id was taken: where, by which file, how
    for each in found:
        if (copy := _as_conflict_copy(each)) is not None:  # never loaded: its deck id is its original's
            result = LoadResult(copy.path, None, [copy])
        else:
            result = (loader or _load_deck_file)(each.file)
            if result.deck is not None:
                owner, owners_folders = owners.setdefault(result.deck.id, (result.path, each.folders))
                if owner != result.path:
                    taken_ids.append((len(results), owner, bool(each.folders & owners_folders)))
        if (clash := clashes.get(str(each.file))) is not None:  # a new result: the cache's stays as the file reads
            result = LoadResult(result.path, result.deck, [*result.problems, clash])
        results.append(result)
    # told once every file is read, so the free id each is given is one no deck file has (nor another's given)
    ids = taken if taken is not None else set()
    ids |= ids_declared(results)
    kept = history() if taken_ids else ()
    ids |= set(kept or ())
    for at, owner, in_one_folder in taken_ids:
        first = next(r.deck for r in results if r.path == owner and r.deck is not None)
        results[at] = _deck_id_taken(results[at], first, owner, in_one_folder, FreeIds(ids, kept is not None))
    return results


@dataclass(frozen=True, slots=True)
class FreeIds:
    """The deck ids taken (casefolded; each free one named is added), and whether the store's history is among
    them: False when the store could not be read, which the hint then says."""

    taken: set[str]
    history_checked: bool = True

    def named(self, deck_id: str) -> str:
        """A free id for a deck whose id `deck_id` is taken (`free_deck_id`)."""
        return free_deck_id(deck_id, self.taken)

    def none_has_it(self, others: str) -> str:
        """What the id named is free of, `others` naming the decks it was checked against ("no other deck")."""
        if self.history_checked:
            return f"{others}, nor any history, has it"
        return f"{others} has it; your progress could not be read to check that no history is kept under it"


def _deck_id_taken(result: LoadResult, first: Deck, owner: str, in_one_folder: bool, ids: FreeIds) -> LoadResult:
    """`result`, not loaded: `first`, loaded from `owner` first, has its deck id. Two files of one folder are most
    likely a deck and its copy, which sorts first (`nursing copy.yaml`); another id would cut a deck from its
    history. Two sharing no card are a deck split in two files, which keeps its history only in one. A deck of
    another folder (a shipped deck, a --deck folder's) is another deck. The hint names an id to give it, none of
    `ids` taken (the one named is added)."""
    assert result.deck is not None
    deck_id = result.deck.id
    mine, theirs = result.deck.card_index().keys(), first.card_index().keys()  # the cache's index: no note built
    split = bool(mine) and bool(theirs) and not mine & theirs
    another = _another_id(deck_id, ids)
    if in_one_folder and split:
        hint = (
            "the two files share no card: a deck is one file, so move this file's cards into that one (`topic:`"
            f" divides a deck), or {another} to make it a deck of its own (its cards then start with no history)"
        )
    elif in_one_folder:
        # which to keep is the user's: the one loaded may be the copy, or the older version of a renamed deck
        hint = (
            "keep one: delete this file or that one (a copy, or an older version of the deck), or move it out of"
            f" the folder; if this is a new deck, {another}"
        )
    else:
        hint = f"{another} to load it beside that one; its cards then start with no history"
    taken = Problem(result.path, 1, 1, f"deck id '{deck_id}' is already used by {owner}, loaded first", hint)
    return LoadResult(result.path, None, result.problems + [taken])


def _another_id(deck_id: str, ids: FreeIds) -> str:
    """How to give a deck whose id `deck_id` is taken another one: the line to change in its file, to a free id
    (worded to be followed in a file that quotes the id or comments the line)."""
    free = ids.named(deck_id)
    return (
        f"give this deck another id: in this file, change the deck id {deck_id} to {free} (the `deck:` line;"
        f" {ids.none_has_it('no other deck')})"
    )


def free_deck_id(deck_id: str, ids: set[str]) -> str:
    """An id for a deck whose id `deck_id` is taken: numbered (`pharm-2`), none of `ids` (the ids taken,
    casefolded: an import names the deck's file by its id), added to them."""
    free = numbered_id(deck_id, lambda candidate: candidate.casefold() in ids)
    ids.add(free.casefold())
    return free


_HEAD_READ = 64 * 1024  # a deck file's `deck:` line is among its first lines
_DECK_LINE = re.compile(rf"^deck:[ \t]*[\"']?({ID_PATTERN})", re.MULTILINE)


def ids_declared(results: Iterable[LoadResult]) -> set[str]:
    """The deck ids, casefolded, these files hold: a file that does not load (a syntax error) still names its
    id on its `deck:` line, read as text, or else by its file's stem; either is taken once the file is mended."""
    ids = set()
    for result in results:
        if result.deck is not None:
            ids.add(result.deck.id.casefold())
            continue
        path = Path(result.path)
        ids.add(path.stem.casefold())
        if (declared := declared_deck_id(path)) is not None:
            ids.add(declared.casefold())
    return ids


def declared_deck_id(path: Path) -> str | None:
    """The id on the `deck:` line of a file not loaded (one that did not load, one looked for elsewhere), read
    from its start as text: never a pipe or a device (reading one would wait forever), nor the whole of a big
    file. None when it has no such line."""
    try:
        if not path.is_file():
            return None
        with path.open("rb") as file:
            # without a byte order mark an editor may begin it with, which the YAML loader skips too
            head = file.read(_HEAD_READ).decode("utf-8-sig", errors="replace")
    except OSError:
        return None
    declared = _DECK_LINE.search(head)
    return declared.group(1) if declared else None


def has_pictures(decks: Sequence[Deck]) -> bool:
    """Whether any card of these decks shows a picture; a deck read from the cache says so without its notes."""
    for deck in decks:
        source: DeckIndex | None = getattr(deck, "_src", None)
        if source.has_pictures if source is not None else any(note.all_images for note in deck.notes):
            return True
    return False
