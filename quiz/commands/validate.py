"""`quiz validate PATH...`: every problem in every deck, or a one-line summary per deck."""

from __future__ import annotations

import argparse
import os
from collections import Counter
from collections.abc import Callable, Collection
from functools import cache
from pathlib import Path

from quiz.commands.add import same_file
from quiz.context import Context, PathArgument
from quiz.core.deckfile import LoadResult, trees_read
from quiz.core.identity import kind_change_warnings, renamed_id_warnings, studied_kinds
from quiz.core.importers.update import read_record
from quiz.core.library import free_deck_id, ids_declared, load_decks
from quiz.core.model import Deck
from quiz.core.problems import errors, in_order
from quiz.core.store import STORE_NAME
from quiz.core.text import counted, shell_word
from quiz.output import echo, fail


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("validate", help="check deck files or folders and explain every mistake")
    parser.add_argument("paths", nargs="+", metavar="PATH", type=PathArgument)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, context: Context) -> int:
    # Real paths on both sides: the deck folder, or the data folder, may be reached through a link (kept in a
    # synced folder), the file named by either path; a link to a folder not there resolves to where it points
    trees = trees_read(Path(os.path.realpath(context.user_deck_dir)))  # with the folders linked into it
    in_deck_folder = any(Path(os.path.realpath(path)).is_relative_to(tree) for path in args.paths for tree in trees)
    if in_deck_folder:
        context.warn_of_deck_folder()
    has_store = (context.data_dir / STORE_NAME).exists()  # never create a store just to validate
    # a file to add: the decks quiz loads, where a data folder is, may hold its deck id already
    lookup = context.data_dir.is_dir() and not in_deck_folder and not context.extra_decks
    # a --deck file among the decks it loads with (no data folder: no `list` that would have said it clashed)
    as_loaded = (in_deck_folder and context.user_deck_dir.is_dir()) or (
        context.extra_decks and not context.data_folder_missing()
    )
    # every deck id quiz loads, or keeps history under, is taken for the free ids named (as `list` and Home name
    # them), the files validated then add theirs
    loaded = ids_declared(context.library.results) if lookup or as_loaded else set()
    taken = set(context.deck_ids_with_history()) | loaded
    results = load_decks(args.paths, taken=taken)
    if as_loaded:
        results = _as_quiz_loads_them(results, context)
    if not results:
        return fail(f"no deck files (*.yaml, *.yml) in {' '.join(args.paths)}")
    failed = False
    for result in results:
        problems = list(result.problems)
        if result.deck is not None and has_store:
            studied = studied_kinds(context.store, result.deck.id)
            problems += kind_change_warnings(result.deck, context.store, studied)
            problems += renamed_id_warnings(result.deck, context.store, studied, _imported(result.deck))
        for problem in in_order(problems):
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
        if lookup and (note := _taken(deck, context, taken)):
            echo(note)
    return 1 if failed else 0


def _taken(deck: Deck, context: Context, taken: set[str]) -> str | None:
    """A note when a deck quiz loads already has this file's deck id: the file is sound, but `quiz add` would
    refuse it, which `validate` saying only "ok" left to be found then. The free id named is none of `taken`
    (every deck id quiz loads, the files validated, the store's, and the free ids named before), added to it."""
    owner = context.library.deck(deck.id)
    if owner is None or same_file(owner.path, deck.path):
        return None
    file = shell_word(deck.path)
    free = free_deck_id(deck.id, taken)
    another = f"give it another deck id, e.g. {free} (the `deck:` line; no deck quiz loads, nor any history, has it)"
    if Path(os.path.realpath(owner.path)).is_relative_to(os.path.realpath(context.user_deck_dir)):
        how = (
            f"if it is a new version of that deck, `quiz import {file}` takes it (your progress stays with each card"
            f" id); if it is another deck, {another}, before `quiz add`"
        )
    else:  # a shipped deck, a --deck folder's
        how = f"`quiz add` would refuse it: {another}"
    return f"note: deck id '{deck.id}' is already used by {owner.path}; {how}"


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
