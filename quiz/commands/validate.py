"""`quiz validate PATH...`: every problem in every deck, or a one-line summary per deck."""

from __future__ import annotations

import argparse
import os
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import replace
from functools import cache
from pathlib import Path

from quiz.commands.add import in_deck_folder, same_file
from quiz.commands.importing import cached_deck, store_marks, what_she_loses
from quiz.context import Context, PathArgument
from quiz.core.deckfile import LoadResult, trees_read
from quiz.core.identity import kind_change_warnings, renamed_id_warnings, studied_kinds
from quiz.core.importers import ImportFailure, import_file
from quiz.core.importers.target import Plan, UpdateRefused, plan
from quiz.core.importers.update import DeckFolder, UnreadableRecord, read_record
from quiz.core.library import FreeIds, ids_declared, load_decks
from quiz.core.model import Deck, Note
from quiz.core.problems import Problem, errors, in_order
from quiz.core.store import StoreError
from quiz.core.text import counted, named_list, printable, shell_word
from quiz.output import echo, fail, file_names_as_they_are


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("validate", help="check deck files or folders and explain every mistake")
    parser.add_argument("paths", nargs="+", metavar="PATH", type=PathArgument)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, context: Context) -> int:
    # Real paths on both sides: the deck folder, or the data folder, may be reached through a link (kept in a
    # synced folder), the file named by either path; a link to a folder not there resolves to where it points
    trees = trees_read(Path(os.path.realpath(context.user_deck_dir)))  # with the folders linked into it
    given_there = any(in_deck_folder(path, context.user_deck_dir, trees) for path in args.paths)
    if given_there:
        context.warn_of_deck_folder()
    has_store = context.has_store()  # never create a store just to validate
    # a file to add: the decks quiz loads, where a data folder is, may hold its deck id already
    lookup = context.data_dir.is_dir() and not given_there and not context.extra_decks
    # a --deck file among the decks it loads with (no data folder: no `list` that would have said it clashed)
    as_loaded = (given_there and context.user_deck_dir.is_dir()) or (
        context.extra_decks and not context.data_folder_missing()
    )
    # every deck id quiz loads, or keeps history under, is taken for the free ids named (as `list` and Home name
    # them), the files validated then add theirs; the store is read only for a file whose id is taken
    taken = ids_declared(context.library.results) if lookup or as_loaded else set()
    store = _StoreReads(context)
    results = load_decks(args.paths, taken=taken, history=store.deck_ids)
    file_names_as_they_are(result.path for result in results)
    if as_loaded:
        results = _as_quiz_loads_them(results, context)
    if not results:
        return fail(f"no deck files (*.yaml, *.yml) in {' '.join(args.paths)}")
    failed = False
    for result in results:
        owner = _owner_elsewhere(result.deck, context) if lookup or as_loaded else None
        # a file whose deck id a deck not hers has (shipped, a --deck folder's) is not that deck: its cards are not
        # compared with that deck's history (moving it onto this file's ids would take it from the deck); one with
        # the id of a deck in her deck folder is most likely its new version, whose renamed ids she is told of
        kinds_changed, renames = (
            store.warnings(result.deck)
            if result.deck is not None
            and has_store
            and (owner is None or in_deck_folder(owner.path, context.user_deck_dir))
            else ([], [])
        )
        if lookup and owner is not None and result.deck is not None:
            echo(_taken(result.deck, owner, context, taken, store, renamed=bool(renames)))
        for problem in in_order([*result.problems, *kinds_changed, *renames]):
            echo(problem)
        if result.deck is None or errors(result.problems):
            failed = True
            continue
        deck = result.deck
        kinds = Counter(note.kind for note in deck.notes)
        echo(
            f"ok {result.path}: deck {deck.id} '{deck.title}': {counted(len(deck.notes), 'note')},"
            f" {counted(len(deck.cards), 'card')}"
            f" ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))})",
            literal=[deck.title],
        )
    if unread := store.said_unread(shown_as_loaded=bool(as_loaded)):
        echo(f"quiz: warning: {unread}", error=True)
    return 1 if failed else 0


class _StoreReads:
    """What validate reads of the store, each when first needed: a file's own problems are said whatever the
    store's state. Once the store could not be read it is asked nothing more, `unread` says why, and `missed`
    whether a file was checked without it (then said once)."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self._unread: StoreError | None = None
        self._deck_ids: frozenset[str] | None = None
        self._asked = False
        self.missed = False

    @property
    def unread(self) -> StoreError | None:
        """Why the store could not be read: by validate, or by the decks quiz loads (for their free ids)."""
        return self._unread or self.context.history_unread

    def deck_ids(self) -> frozenset[str] | None:
        """The deck ids, casefolded, the store keeps history under (None: it could not be read)."""
        if not self._asked and self.unread is None:
            self._asked = True
            # read already when a clash among the decks quiz loads named a free id: this command reads them once
            self._deck_ids = self.context.history_read
            if self._deck_ids is None:
                self._deck_ids = self.context.deck_ids_with_history()
        self.missed |= self.unread is not None
        return None if self.unread is not None else self._deck_ids

    def said_unread(self, shown_as_loaded: bool) -> str | None:
        """Why the deck files were checked without the store, when one was: by this command, or one of the decks
        quiz loads when they are `shown_as_loaded` (the decks' own hint says their id named was not checked)."""
        if not (self.missed or (shown_as_loaded and self.context.history_unread)):
            return None
        return (
            "your progress could not be read, so the deck files were checked without it (a card whose kind or id"
            f" changed is not warned of; a free deck id named may be one it keeps): {self.unread}"
        )

    def warnings(self, deck: Deck) -> tuple[list[Problem], list[Problem]]:
        """The cards of `deck` studied as another kind, and those renamed from one with history (none when the
        store cannot be read)."""
        if self.unread is not None:
            self.missed = True
            return [], []
        try:
            store = self.context.store
            studied = studied_kinds(store, deck.id)
            return kind_change_warnings(deck, store, studied), renamed_id_warnings(
                deck, store, studied, _imported(deck)
            )
        except StoreError as exc:
            self._unread, self.missed = exc, True
            return [], []


def _owner_elsewhere(deck: Deck | None, context: Context) -> Deck | None:
    """The deck quiz loads with this deck's id from another file, if one does."""
    owner = None if deck is None else context.library.deck(deck.id)
    return None if owner is None or deck is None or same_file(owner.path, deck.path) else owner


def _taken(deck: Deck, owner: Deck, context: Context, taken: set[str], store: _StoreReads, *, renamed: bool) -> str:
    """The note on a file whose deck id `owner`, a deck quiz loads, has already: `quiz add` would refuse it, which
    `validate` saying only "ok" left to be found then. The free id named is none of `taken` (every deck id quiz
    loads, the files validated, and the free ids named before) nor of the store's, added to `taken`. `renamed`:
    the file has a card whose id was changed, said below with its rename-card."""
    file = shell_word(deck.path)
    kept = store.deck_ids()
    taken |= kept or frozenset()
    ids = FreeIds(taken, history_checked=kept is not None)
    free = ids.named(deck.id)
    another = f"give it another deck id, e.g. {free} (the `deck:` line; {ids.none_has_it('no deck quiz loads')})"
    if in_deck_folder(owner.path, context.user_deck_dir):  # hers, as `quiz add` tells, a file linked there too
        how = (
            f"if it is a new version of that deck, {_import_of(file, deck, owner, context, renamed=renamed)}; if it is"
            f" another deck, {another}, before `quiz add`"
        )
    else:  # a shipped deck, a --deck folder's
        how = f"`quiz add` would refuse it: {another}"
    return f"note: deck id '{deck.id}' is already used by {owner.path}; {how}"


def _import_of(file: str, deck: Deck, owner: Deck, context: Context, *, renamed: bool) -> str:
    """How to take `deck`, a new version of her deck `owner`, from shell word `file`. One that changed a card's id
    takes the flags that make the deck the file's cards alone: a plain import keeps the card under its old id (the
    file has it no more, and no import record may tell she left it as it was), and the rename-card said below would
    then leave the deck with the same card twice, one of them with the history. What her deck file loses is named,
    as the import's own plan has it (the import keeps a copy of it as it was), and its comments, which the import
    would refuse to drop, are dropped (--drop-comments), so the flow works pasted."""
    if not renamed:
        return f"`quiz import {file}` takes it (your progress stays with each card id)"
    try:
        her_file, planned = _planned_import(Path(deck.path), owner, context)
    except (ImportFailure, UpdateRefused, UnreadableRecord, OSError) as exc:  # the import would say so itself
        return f"`quiz import --remove-missing --replace {file}` would take it as it is, but cannot now: {exc}"
    flags = "--remove-missing --replace" + (" --drop-comments" if planned.dropped_comments else "")
    takes = _what_it_takes(deck, planned, her_file)
    return (
        f"`quiz import {flags} {file}` takes it as it is ({takes}), then run the rename-card said below to move the"
        " history of the card whose id it changed"
    )


def _planned_import(file: Path, owner: Deck, context: Context) -> tuple[Path, Plan]:
    """The plan of `quiz import --remove-missing --replace --drop-comments FILE` into her deck `owner`: what that
    import would do, as it would do it (it reads her import record: her edits and her own cards it keeps), her
    deck file and its record found as the import finds them, the record where it is now (the import moves it
    beside the deck file first; this moves nothing). Returns her deck file, as the import writes it, and the plan."""
    decks = DeckFolder.of(context.user_deck_dir, context.library.decks)
    result = import_file(file)
    her_file = decks.deck_file(owner.id)
    return her_file, plan(
        her_file,
        result,
        printable(file.name),
        replace_conflicts=True,
        remove_missing=True,
        drop_comments=True,
        cached=cached_deck(context.library.deck_cache(), owner.path),  # her deck as quiz just loaded it
        record_at=decks.record(owner.id),
        texts=False,  # what it takes is asked, not the texts it writes (a shared deck's: seconds)
        marked=store_marks(context, owner.id),
    )


def _what_it_takes(deck: Deck, planned: Plan, her_file: Path) -> str:
    """What the import `planned` does to her deck file `her_file`, by card id (what_she_loses): the cards it
    removes (not one whose text the file has under another id: the renamed card, whose history the rename-card
    moves), hers it takes the file's version of, her comments it drops, and her pictures it writes over."""
    texts = {_text_of(note) for note in deck.notes}
    losses = what_she_loses(planned, her_file)
    removed = [n.id for n in losses.removed if _text_of(n) not in texts]
    lost = [f"overwrites {losses.replaces}"] if losses.replaces else []
    if removed:
        lost.append(f"removes the cards only your deck file has, {named_list(removed, 5)}")
    if losses.replaced:
        lost.append(f"takes its version of those that differ from yours, {named_list(losses.replaced, 5)}")
    if losses.dropped_comments:
        lost.append("drops your deck file's comments")
    if losses.pictures:
        lost.append(f"takes its version of {counted(len(losses.pictures), 'picture')} you changed")
    copy = "a copy of your deck file as it was in the data folder's backups/decks"
    if lost:
        return f"it {', '.join(lost)}, and keeps {copy}; the history stays in quiz"
    if losses:  # the renamed card alone is removed, under its old id: the import keeps its copy all the same
        renamed = "your deck file has nothing it lacks but the card whose id it changes"
        return f"{renamed}, and it keeps {copy}; the history stays in quiz"
    return "your deck file has nothing it lacks; the history stays in quiz"


def _text_of(note: Note) -> Note:
    """`note` but for its id and place: what a card says, to tell a card renamed from one removed or edited."""
    return replace(note, id="", line=0)


def _imported(deck: Deck) -> Callable[[], Collection[str]]:
    """The ids of the notes the deck's last import wrote, read from its import record when first asked (none
    when it has none)."""

    @cache
    def read() -> Collection[str]:
        record = read_record(Path(deck.path))
        return record.notes.keys() if record is not None else ()

    return read


def _as_quiz_loads_them(results: list[LoadResult], context: Context) -> list[LoadResult]:
    """A deck file of the deck folder, or one given with --deck, checked as `list` and the app load it, among the
    other decks: one of them may hold its deck id, and only the first in sort order is loaded."""
    loaded = {os.path.realpath(result.path): result for result in context.library.results}
    return [loaded.get(os.path.realpath(result.path), result) for result in results]
