"""`quiz import FILE`: an Anki package, a CSV/TSV file, an Anki text export or a deck file -> a YAML deck in the
user's deck folder."""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
from collections import Counter
from collections.abc import Callable, Mapping, Sequence, Set
from contextlib import ExitStack, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, TextIO

from quiz.commands.add import same_file
from quiz.context import Context, PathArgument
from quiz.core.anki.topdecks import distinct_decks, same_deck, within_deck
from quiz.core.atomicfile import as_private_as, atomic_write, remove_leftovers, write_files
from quiz.core.backupfolder import DeckCopy, DeckCopyError, keep_deck_file, prune_deck_copies
from quiz.core.clock import study_day
from quiz.core.deckcache import DeckCache
from quiz.core.deckfile import LoadResult
from quiz.core.decks import cards_of, load_deck_file
from quiz.core.deckwriter import file_style
from quiz.core.examdates import on_topics, read_exam_dates, upcoming
from quiz.core.filenames import clash_but_for_case, entries
from quiz.core.gcpause import gc_paused
from quiz.core.identity import kind_change_warnings, kinds_before, renames_done, studied_kinds
from quiz.core.images import image_path
from quiz.core.importers import (
    ImportFailure,
    ImportOptions,
    ImportResult,
    NoSuchAnkiDeck,
    import_file,
    media_folder,
    reader_names,
)
from quiz.core.importers.deckoptions import chosen_options, take_options
from quiz.core.importers.history import AnkiHistory, anki_history, has_history, redated_warning
from quiz.core.importers.ids import deck_id_from_name
from quiz.core.importers.pictures import Pictures
from quiz.core.importers.target import Plan, TopicsBy, UpdateRefused, changed_since_planned, plan
from quiz.core.importers.update import (
    DeckFolder,
    Merge,
    label,
    made_of_subdeck_alone,
    pending_path,
    read_record,
    record_path,
    record_writer,
)
from quiz.core.memory import freed_memory_given_back
from quiz.core.model import Deck, Note
from quiz.core.problems import Problem
from quiz.core.store import ImportedHistoryResult, StoreError
from quiz.core.text import as_written, counted, named_list, printable, quoted, shell_word
from quiz.output import echo, fail

_PIECE = 1 << 20  # characters written at a time
_NAMED_AWAY = 5  # cards the line naming cards away from their answers names; the rest are counted
_NAMED_TOPICS = 5  # topics the line naming a new deck's topics names; the rest are counted
LISTED = 50  # notes named of those an update changed or added; the count says how many in all
_MOVED_BECAUSE: dict[TopicsBy | Literal["topics"], str] = {
    "record": "their Anki deck changed",
    "topics": "their topic changed",  # a deck file's notes name their topics: no Anki deck
    "names": "the import record keeps no Anki deck: topics matched by DECK::TOPIC, named by their titles",
    "titles": "no import record: topics matched by title",
}

COLUMN_ROLES = {
    "front": "front (question) column",
    "back": "back (answer) column",
    "tags": "tags column (separated by spaces, or by commas)",
    "explain": "explanation column",
    "id_column": "card id column",
    "topic_column": "topic column",
    "kind_column": "kind column (basic, reverse, typed, cloze or an Anki note type)",
    "deck_column": "Anki deck column: sub-decks become topics",
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "import",
        help="make a deck from an Anki package (.apkg, .colpkg), a CSV/TSV file, an Anki text export or a deck file",
        description=(
            "Reads an Anki package (.apkg or .colpkg, from any Anki version), CSV/TSV (separator and header row "
            "detected), Anki's 'Notes in Plain Text' export (its #separator, #html, #columns, #tags, #deck, "
            "#notetype and '#... column' headers) or a .yaml deck file, and writes a YAML deck into your deck "
            "folder. A new version of a deck imported before updates that deck (notes matched by Anki's GUID, "
            "else by id): your edits are kept, and the history too. A package of several top-level Anki decks (a "
            "whole collection) makes a deck of each, or one deck with --deck-id. The options for columns and "
            "cells apply to text files only. COL is a column number (1, 2, ...) or a header name."
        ),
    )
    parser.add_argument("file", metavar="FILE", type=PathArgument)
    parser.add_argument("--deck-id", metavar="ID", help="the new deck's id (default: from the file name)")
    parser.add_argument("--title", metavar="T", help="the deck's title (default: the Anki deck or the file name)")
    parser.add_argument("--topic", metavar="T", help="topic for cards that get none from the file")
    parser.add_argument(
        "--anki-deck",
        metavar="NAME",
        help="from an Anki package, only the notes of this deck and its subdecks (Medicine, Sprachen::Japanisch)",
    )
    parser.add_argument("--format", choices=reader_names(), help="default: anki when the file has Anki headers")
    parser.add_argument("--separator", metavar="SEP", help="tab, comma, semicolon, pipe, space, colon or a character")
    parser.add_argument(
        "--header", action=argparse.BooleanOptionalAction, default=None, help="is the first row a header? (detected)"
    )
    parser.add_argument(
        "--html", action=argparse.BooleanOptionalAction, default=None, help="are cells HTML? (#html, else detected)"
    )
    parser.add_argument(
        "--kind",
        choices=("basic", "reverse", "typed"),
        default="basic",
        help="kind of each row whose kind or note type is not known (cloze is detected)",
    )
    parser.add_argument("--encoding", default="utf-8", help="the file's text encoding (default utf-8)")
    parser.add_argument(
        "--replace",
        action="store_true",
        help=(
            "on an update, take the file's version of the notes and pictures you changed that it changes too"
            " (listed without it)"
        ),
    )
    parser.add_argument(
        "--drop-comments",
        action="store_true",
        help=(
            "on an update that writes the deck file, drop the comments you wrote in it (listed without it; --replace"
            " does not drop them)"
        ),
    )
    parser.add_argument(
        "--remove-missing",
        action="store_true",
        help=(
            "on an update, remove the notes the file no longer has (their history stays in quiz); not those of the"
            " Anki decks it leaves out (a subdeck imported alone)"
        ),
    )
    parser.add_argument(
        "--read-anew",
        action="store_true",
        help=(
            "on an update, read anew the notes kept as an earlier quiz read them (listed without it): a new note per"
            " Anki card comes in, with Anki's schedule, and the earlier note is listed as gone"
        ),
    )
    parser.add_argument(
        "--no-history",
        dest="history",
        action="store_false",
        help="from an Anki package, take only the cards: no review log, due dates, suspension or flags",
    )
    for role, what in COLUMN_ROLES.items():
        parser.add_argument(f"--{role.replace('_', '-')}", dest=role, metavar="COL", help=what)
    parser.set_defaults(run=run, writes=True)


def run(args: argparse.Namespace, context: Context) -> int:
    # No cyclic garbage collection during the import: a big one builds millions of objects that live to its end,
    # and each collection (one as each stage's own pause ends) only rescans them. They are let go (by reference
    # counting) as `_run` returns, before collection resumes.
    with gc_paused():
        return _run(args, context)


def _run(args: argparse.Namespace, context: Context) -> int:
    columns = {
        role.removesuffix("_column"): getattr(args, role) for role in COLUMN_ROLES if getattr(args, role) is not None
    }
    options = ImportOptions(
        deck_id=args.deck_id,
        title=args.title,
        topic=args.topic,
        format=args.format,
        separator=args.separator,
        header=args.header,
        html=args.html,
        kind=args.kind,
        columns=columns,
        encoding=args.encoding,
        anki_deck=args.anki_deck,
    )
    return _import(args, context, options)


def _import(
    args: argparse.Namespace,
    context: Context,
    options: ImportOptions,
    done: list[str] | None = None,
    kept_apart: Sequence[_Said] = (),
) -> int:
    """Import `args.file` with `options`; the id of the deck it made or updated is added to `done`. `kept_apart`:
    the lines naming the notes other decks keep (`_taken_from_deck_alone`), said once the deck takes the rest."""
    folder = context.user_deck_dir
    if unreachable := context.deck_folder_problem():
        return fail(unreachable.message)
    loaded = [(deck.id, deck.path) for deck in context.library.decks]
    decks = DeckFolder.of(folder, context.library.decks)
    deck_cache = context.library.deck_cache()
    # only their ids and files are needed: a deck the import updates, loaded whole, would be held to its end
    context.let_go_of_decks()
    try:
        result = import_file(args.file, options, None if args.deck_id else decks)
    except ImportFailure as exc:
        for problem in exc.problems:
            echo(problem, error=True)
        if (
            isinstance(exc, NoSuchAnkiDeck)
            and (now := decks.renamed_to(exc.name, exc.decks, exc.default_notes)) is not None
        ):
            return _named_before_renamed(exc, now, Path(args.file))
        return fail(exc)
    if result.collection is not None:  # an Anki deck she renamed keeps its id: the deck made of it is found by it
        decks.named_as_in(result.collection.decks, result.default_notes)
    several = _several_decks(args, options, result, decks)
    if isinstance(several, int):
        return several
    if several:  # each top-level deck a deck of its own, read again alone: this whole reading is let go first
        del result, decks, deck_cache, loaded
        return _import_each(args, context, options, several)
    if (passes := _one_top_over_part(options, result, decks)) is not None:  # taken apart, as several would be
        del result, decks, deck_cache, loaded
        return _import_each(args, context, options, passes)
    # --anki-deck by hand: into the deck made of that Anki deck (or --deck-id's), without the notes another holds
    if options.anki_deck is not None and options.anki_notes is None and result.collection:
        if (taken := _taken_from_deck_alone(result, decks, options.anki_deck, args.deck_id)) is not None:
            deck_id, kept, said = taken  # read again: into that deck, without those another holds
            del result, decks, deck_cache, loaded
            if not kept:  # --deck-id asked for a deck of notes every one of which another deck holds
                for kept_line in said:
                    echo(kept_line.text, error=True, literal=kept_line.literal)
                echo(
                    f"nothing imported: other decks hold every note of {quoted(options.anki_deck)} (named above)",
                    error=True,
                    literal=[quoted(options.anki_deck)],
                )
                return 0
            return _import(args, context, replace(options, deck_id=deck_id, anki_notes=kept), done, said)
    # the file's warnings are said once the plan has read the deck: a note it keeps as an earlier quiz read it
    # is warned of so (target._read_as_before), not as coming in card by card
    target = decks.deck_file(result.deck_id)
    owner = next((path for deck_id, path in loaded if deck_id == result.deck_id and not same_file(path, target)), None)
    if owner is not None:  # outside the deck folder (one of the folder's is `target`, whatever its file's name)
        return _refused(result, f"deck id '{result.deck_id}' is already used by {owner}; pass --deck-id NEW_ID")
    pictures_folder = target.parent / media_folder(result.deck_id)
    if result.media and (other := clash_but_for_case(entries(target.parent), pictures_folder.name)) is not None:
        return _refused(
            result,
            f"the deck's pictures folder {pictures_folder.name} would be {as_written(other)} on macOS and Windows,"
            " which ignore case (another deck's?): pass --deck-id NEW_ID; nothing imported",
        )
    why = decks.why_named(result.deck_id)
    try:
        decks.bring_record(result.deck_id)
    except OSError as exc:
        return _refused(
            result, f"cannot move the deck's import record beside {target}: {exc.strerror or exc}; nothing imported"
        )
    del decks  # its records' GUIDs, read to find the deck (MBs for a shared deck's), are not held through the import
    if (cut_short := _rename_cut_short(context, result.deck_id, target)) is not None:
        old, new = cut_short
        return _refused(
            result,
            f"the import record {record_path(target)} still names '{old}', whose history a rename-card cut short"
            f" moved to '{new}': run `quiz rename-card --before-edit {result.deck_id} {old} {new}` again first;"
            " nothing was imported",
        )
    source = printable(Path(args.file).name)  # as the record keeps it: a name's bytes that are not UTF-8 become �
    try:
        planned = plan(
            target,
            result,
            source,
            replace_conflicts=args.replace,
            remove_missing=args.remove_missing,
            drop_comments=args.drop_comments,
            cached=cached_deck(deck_cache, next((path for deck_id, path in loaded if deck_id == result.deck_id), None)),
            read_anew=args.read_anew,
            marked=store_marks(context, result.deck_id),
        )
    except UpdateRefused as exc:
        return _refused(result, exc, exc.problems)
    for kept_line in kept_apart:  # not before: a refused import moves no note, nor leaves one anywhere
        echo(kept_line.text, error=True, literal=kept_line.literal)
    file_name = as_written(source)  # in the lines said below: a file's name, never taken for a command of quiz's
    for problem in result.problems:
        echo(problem, error=True)
    # Anki's deck options come with a new deck only: an update never changes options she may have changed since.
    # Read now: the history takes the collection's cards
    anki_options = chosen_options(result.collection) if planned.merge is None and result.collection else None
    if planned.merge is not None:  # the deck's notes are the plan's (the package's among hers): not held twice
        result.notes = []
    history = None
    written = None
    made = planned.merge is None and not pictures_folder.exists()  # a new deck's: it goes if the deck is not written
    # An update of her deck linked into the deck folder writes the file the link names; a link to another deck
    # (replaced with --replace) is replaced by the import's deck, never written through
    deck = Path(os.path.realpath(target)) if planned.merge is not None else target
    # no name here holds the pictures to write: _write_pictures lets their bytes go before the history is written
    to_write = len(planned.pictures.write)
    progress = _Progress(to_write, deck, sounds=sum(picture.sound for picture in planned.pictures.write.values()))
    changed = planned.text is not None
    # --replace over a link to another deck of hers replaces the link, never her file: said where it stays
    linked_away = Path(os.path.realpath(target)) if planned.replaces and target.is_symlink() else None
    # the link's own text, put back as it was: a relative link moved or synced with what it names still leads there
    link_text = Path(os.readlink(target)) if linked_away is not None else None
    kept_copy, taking_back = None, []  # the copy of her deck file, and what says how to take it back
    # the copy of another deck of hers that --replace overwrites is named, and kept, among that deck's own copies
    copied = next((deck_id for deck_id, path in loaded if planned.replaces and same_file(path, target)), result.deck_id)
    losses = what_she_loses(planned, deck)
    if losses:
        try:
            kept_copy = keep_deck_file(
                context.data_dir,
                deck,
                copied,
                context.clock.now(),
                losses.pictures,
                target.parent,
                record_path(target),
            )
        except DeckCopyError as exc:
            return fail(
                f"cannot keep a copy of {as_written(deck)} as it is before the import replaces it: {exc}; then import"
                " again (nothing was imported)"
            )
        taking_back = _kept_copy_lines(kept_copy, deck, target.parent, record_path(target), link_text)
        if kept_copy.uncounted is not None:
            echo(f"warning: {kept_copy.uncounted}", error=True)
    elif linked_away is not None and link_text is not None:  # said written or not: a retry sees no link
        taking_back = [_relink_line(linked_away, target, link_text)]
    try:
        freed_memory_given_back()  # what reading the package and planning freed, before the pictures and history
        _write_pictures(target, result, planned, progress)  # before the history: the package's bytes let go first
        # The deck file and its record go to temporary files now, and their texts (tens of MB for a shared deck)
        # are let go before the history is made: they are moved into place inside the history's transaction,
        # before it commits, so an error placing them keeps no history. A commit that fails after it keeps
        # the deck (said): the same file again adds the history.
        with _staged(target, planned, deck, Path(args.file)) as staged:
            planned.text = planned.record = None
            result.text = ""  # the same deck text
            freed_memory_given_back()  # the texts' pages, before the history's answers
            logged = None  # the deck's log as the history reads it, read once: the write uses it again
            if args.history and result.collection is not None and has_history(result.collection):
                logged = context.store.logged_answers(result.deck_id)
                history = anki_history(
                    result.collection,
                    result.deck_id,
                    planned.notes,
                    result.anki_cards,
                    context.store.settings(),
                    context.clock.now(),
                    planned.homes,
                    logged.redated,
                )
            result.collection = None  # a shared deck's notes and cards: tens of MB not needed from here on
            if history is not None:
                first = context.store.is_empty()
                with gc_paused():  # the rows of hundreds of thousands of answers, all kept until written
                    written = context.store.import_history(
                        result.deck_id, history.cards, lambda: _write(staged, target, planned, progress), logged
                    )
                # A store empty before holds only what the file brings, and the file can bring it again: no
                # backup of it as quiz exits (for a big deck, a copy and a check of hundreds of MB).
                context.backup_at_close = not first
            else:
                _write(staged, target, planned, progress)
    except BaseException as exc:
        stays = _clean_up(target, pictures_folder, made, planned.replaces, progress, history is not None)
        restore = []
        if taking_back and progress.deck_in_place():  # as a written import says: both are put back
            restore = taking_back
            if linked_away is not None and kept_copy is not None:  # the copy is no loss of her file's
                restore = [*taking_back, _linked_away_line(linked_away, target, written=progress.record)]
        elif kept_copy is not None:  # kept, removing none older: her file as it was
            stays += f"; the copy of {as_written(deck)} as it was stays in {as_written(kept_copy.deck)}"
            if kept_copy.pictures is not None:  # written over, perhaps: a retry takes them for quiz's
                restore = [_kept_pictures_line(kept_copy.pictures, target.parent.absolute())]
        if isinstance(exc, OSError):
            failed = exc.filename or (pictures_folder if progress.pictures is None else deck)
            return _failed(f"cannot write {failed}: {exc.strerror or exc}; {stays}", restore)
        if isinstance(exc, (StoreError, ChangedMeanwhile)):
            return _failed(f"{exc}; {stays}", restore)
        _failed(f"the import was stopped; {stays}", restore)  # Ctrl-C, or a bug
        raise
    if kept_copy is not None:  # only now: retries of a failing import would push out the copy that matters
        prune_deck_copies(context.data_dir, copied, kept_copy.deck)
    pictures = progress.pictures
    echo(as_written(deck))
    for line in taking_back:
        echo(line)
    if why is not None and planned.merge is None:
        echo(why)
    if pictures:
        echo(f"{_pictures_and_sounds(pictures - progress.sounds, progress.sounds)} in {pictures_folder}")
    if planned.replaces:
        echo(f"replaced {planned.replaces}")
    if linked_away is not None and kept_copy is not None:
        echo(_linked_away_line(linked_away, target, written=True))
    if planned.merge is None:
        skipped = sum(1 for p in result.problems if p.message.startswith("row skipped"))
        cards = sum(len(cards_of(result.deck_id, note)) for note in result.notes)
        echo(
            f"imported {counted(len(result.notes), 'note')} ({counted(cards, 'card')}) into deck"
            f" '{result.deck_id}' ({result.title})" + (f"; {counted(skipped, 'row')} skipped" if skipped else ""),
            literal=[result.title],
        )
        if topics := _topics_line(result, args.topic):
            shown = [topic.title for topic in result.topics] + list(result.deck_path[-1:])
            echo(topics, literal=[quoted(name) for name in shown])
        if anki_options is not None:
            try:
                for line in take_options(context.store, result.deck_id, anki_options, file_name):
                    echo(line)
            except StoreError as exc:
                echo(f"quiz: the deck is imported, but not Anki's deck options: {exc}", error=True)
    else:
        for line in update_lines(planned.merge, changed, file_name):
            echo(line)
        if renamed := planned.renamed_in_anki:
            pairs = [f"{quoted(before)} to {quoted(now)}" for before, now in renamed]
            echo(
                f"renamed in Anki: {named_list(pairs, len(pairs))} (the same Anki"
                f" {'deck' if len(pairs) == 1 else 'decks'}, by id): updated in deck '{result.deck_id}' as before",
                literal=[name for pair in renamed for name in pair],
            )
        if left_out := planned.merge.left_out:
            # every Anki deck the first line counts, and the notes named below it
            anki_decks = {deck for _, deck in left_out}
            names = ["::".join(result.covers), *anki_decks, *(label(note) for note, _ in left_out[:LISTED])]
            lines = left_out_lines(
                left_out, result.covers, file_name, anki_deck=result.by_anki_deck, every_deck=result.every_deck
            )
            for line in lines:
                echo(line, literal=names)
        topics_by = "topics" if result.from_deck_file and planned.topics_by == "record" else planned.topics_by
        for line in moved_lines(planned.notes, planned.moved, file_name, topics_by=topics_by):
            echo(line)
        for line in read_as_before_lines(planned.read_as_before, file_name):
            echo(line)
        if planned.sources_added:
            echo(f"sources added: {', '.join(planned.sources_added)}")
        if kept_from_deck := _kept_from_deck_line(planned, file_name):
            echo(kept_from_deck)
        if planned.pictures_in_folder:  # exported without media, or lacking a file Anki lost or holds broken
            echo(
                f"pictures and sound files kept as the deck has them, on {counted(planned.pictures_in_folder, 'note')}:"
                f" {file_name} lacks them or holds them unreadable (exported without media, or gone from or broken in"
                " Anki's media folder?); each is the file the last import wrote"
            )
        if differ := planned.pictures_yours_differ:
            for line in pictures_differ_lines(differ, target.parent, args.file, file_name, result.from_deck_file):
                echo(line, error=True)
        if planned.dropped_comments:
            count = planned.dropped_comments
            whose = "of yours" if planned.merge.recorded else "(yours, or its author's)"
            echo(f"dropped {counted(count, 'comment')} {whose} from {as_written(target.name)} (--drop-comments)")
        if planned.authors_comments:  # not hers: the update writes the file anew from its cards, as a first import
            count = planned.authors_comments
            echo(
                f"dropped {counted(count, 'comment')} {as_written(target.name)} had when you added it (its author's,"
                " not yours): an update writes the deck file anew from its cards"
            )
    if history is not None and written is not None:
        for line in history_lines(history, written):
            echo(line)
        if redated := redated_warning(history, args.file, result.lines):
            echo(redated, error=True)
    if planned.merge is not None and planned.merge.conflicts and not args.replace:
        for line in conflict_lines(planned.merge, file_name):
            echo(line, error=True)
        count = len(planned.merge.conflicts)
        it = "it" if count == 1 else "them"
        echo(
            f"quiz: {counted(count, 'note')} kept as you have {it}, though {file_name} changes {it} too (above); pass"
            f" --replace to take the version of {file_name}",
            error=True,
        )
    for line in picture_conflict_lines(planned.pictures, target.parent, file_name, taken=args.replace):
        echo(line, error=not args.replace)
    if emptied := emptied_topics(planned):
        for line in empty_exam_lines(context, result.deck_id, emptied):
            echo(line, error=True)
    if planned.merge is not None and changed:
        for problem in history_moved(context, result.deck_id, planned.notes, planned.merge, deck, file_name):
            echo(problem, error=True)
    if note := context.decks_not_committed(target.parent):
        echo(note)
    if done is not None:
        done.append(result.deck_id)
    return 0


def history_moved(
    context: Context, deck_id: str, notes: list[Note], merge: Merge, deck: Path, source: str
) -> list[Problem]:
    """Warnings for the studied notes of the updated deck whose history the update moves, where the deck file now
    has them (its text is read again only for them, once): a kind changed, whose cards start again as new (as
    `quiz validate` says), and a cloze's gaps renumbered. A new version does both silently otherwise: the update
    names the note as updated, nothing more. A note never studied has no history to move, and is not named."""
    if not context.has_store():  # no history: nothing moves (and no store made)
        return []
    studied = studied_kinds(context.store, deck_id)
    kinds_changed = any(kinds_before(note, studied) for note in notes)
    gaps = {note_id: moved for note_id, moved in merge.gaps_renumbered.items() if note_id in studied}
    if not kinds_changed and not gaps:
        return []
    loaded = load_deck_file(deck)
    if loaded.deck is None:
        return []
    kinds = kind_change_warnings(loaded.deck, context.store, studied) if kinds_changed else []
    return kinds + gaps_renumbered(gaps, loaded.deck, deck, source)


def gaps_renumbered(
    found: Mapping[str, list[tuple[str, int, int]]], written: Deck, deck: Path, source: str
) -> list[Problem]:
    """A warning for each cloze note of `found` the update gave a gap before others, or took one from: its later
    gaps' cards are keyed by their new numbers, so each takes the history of the gap that had its number (and
    nothing else tells the student)."""
    lines = {note.id: note.line for note in written.notes if note.id in found}
    return [
        Problem(
            str(deck),
            lines.get(note_id, 0),
            1,
            f"gaps renumbered by {source}: "
            + "; ".join(f"{quoted(answer)} was {note_id}/{was}, now {note_id}/{now}" for answer, was, now in moved)
            + ": each card takes the history of the gap that had its number",
            "keep each gap in its place: add a new gap at the end, or in a note of its own",
            note_id,
            "warning",
        )
        for note_id, moved in found.items()
    ]


def cached_deck(cache: DeckCache | None, path: str | None) -> Callable[[bytes], LoadResult | None] | None:
    """Her deck file's bytes read back from the deck cache, under the name the library loaded it by (its entry
    is known by it)."""
    if cache is None or path is None:
        return None
    return lambda data: cache.cached(path, data)


@dataclass
class _Progress:
    """How far an import's writing got: what a failure says is written, and what it removes."""

    pictures_to_write: int  # pictures and sound files
    deck: Path  # the deck file written (for an update of a linked deck, the file the link names)
    pictures: int | None = None  # how many were written, once every one is
    sounds: int = 0  # how many of those to write are sound files
    placing: bool = False  # the deck file and its record are being moved into place
    deck_before: tuple[int, int, int] | None = None  # the deck file then, before the import's (_file_identity)
    record: bool = False  # the deck file and its record are written

    def deck_in_place(self) -> bool:
        """Whether the import's deck file is in place: read from the disk, as an error or Ctrl-C can come after
        its rename and before the record's (a big deck's record takes a tenth of a second to sync)."""
        return self.record or self.placing and _file_identity(self.deck) != self.deck_before


class ChangedMeanwhile(Exception):
    """The deck file changed after the import read it (her editor saved it): the import is not placed over it."""


def _file_identity(path: Path) -> tuple[int, int, int] | None:
    """Which file `path` names, and its last change (a file written whole and renamed over it is another)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino, info.st_mtime_ns


@dataclass(frozen=True, slots=True)
class Losses:
    """What an import takes from her deck file that only it has: the one list, by which the import keeps a copy
    of the file and validate says what its advised import takes."""

    replaces: str  # another deck of hers overwritten (--replace); "" when none, or a link to one is replaced
    removed: tuple[Note, ...]  # her notes removed (--remove-missing)
    replaced: tuple[str, ...]  # the ids of her notes the file changes too whose version it takes (--replace)
    dropped_comments: int  # her comments dropped (--drop-comments)
    pictures: tuple[str, ...]  # her pictures and sound files written over (--replace): pictures_overwritten
    # the import record of her deck a link leads to, which the deck replacing the link is written over (--replace)
    linked_record: bool

    def __bool__(self) -> bool:
        lost = self.replaces or self.removed or self.replaced or self.dropped_comments or self.pictures
        return bool(lost or self.linked_record)


def what_she_loses(planned: Plan, deck: Path) -> Losses:
    """What the import `planned` takes from deck file `deck` that only it has (a link to another deck is replaced,
    never written through, so her file stays; its import record beside the link does not)."""
    merge = planned.merge
    replaced = tuple(c.note_id for c in merge.conflicts) if merge is not None and merge.replaced else ()
    linked_away = bool(planned.replaces) and deck.is_symlink()
    return Losses(
        planned.replaces if planned.replaces and not linked_away else "",
        tuple(merge.removed) if merge is not None else (),
        replaced,
        planned.dropped_comments if merge is not None else 0,
        tuple(pictures_overwritten(planned)),
        linked_away and record_path(deck).is_file(),
    )


def pictures_overwritten(planned: Plan) -> list[str]:
    """The pictures and sound files of hers (changed since quiz wrote them, or not written by it) that the import
    writes over (--replace), by their paths beside the deck file."""
    return [conflict.path for conflict in planned.pictures.conflicts if conflict.path in planned.pictures.write]


def _kept_copy_lines(kept: DeckCopy, deck: Path, folder: Path, record: Path, link_text: Path | None) -> list[str]:
    """What an import says of the copy it kept of her deck file `deck` (and the pictures of deck folder `folder`):
    where, and the commands that take them back, to paste as they are, in any folder (each path absolute: never
    relative to a --data-dir given relative, nor taken for an option). Taking the deck file back takes its import
    record `record` back as it was too (removes the import's, when it had none): else the next import would take
    her deck for the one this import wrote, its cards for cards she added. When `deck` was a link to her file
    (replaced, never written through), whose own text is `link_text`, the link is put back, her file being as it
    was."""
    deck, folder, record = deck.absolute(), folder.absolute(), record.absolute()
    put_back = f"cp {shell_word(kept.deck)}" if link_text is None else _relink(link_text)
    lines = [
        f"your deck file as it was, with what the import removed or replaced: {as_written(kept.deck)}; to take it"
        f" back: {_put_back(put_back, deck, record, kept.record)}"
    ]
    if kept.pictures is not None:
        lines.append(_kept_pictures_line(kept.pictures, folder))
    return lines


def _linked_away_line(hers: Path, link: Path, *, written: bool) -> str:
    """Where her deck file `hers` stays as it was: --replace replaced `link` to it with its deck (and wrote the
    import record anew, when `written`). Said after the command that links it back: the copy kept of her record,
    named "your deck file as it was", alone reads as if her file had lost something."""
    record = ", and wrote its import record anew" if written else ""
    return (
        f"your deck file stays as it was: {as_written(hers)} (the import replaced {as_written(link)}, the link to it,"
        f" with its deck{record}: the command above links it back with its record as it was)"
    )


def _relink_line(hers: Path, link: Path, link_text: Path) -> str:
    """Where her deck file `hers` stays, which --replace left as it was, replacing `link` (whose own text was
    `link_text`) to it, and the command that links it back. Her deck had no import record, so nothing of hers was
    copied; but the import's record beside her deck linked back would be taken for hers: the command removes it."""
    relink = _put_back(_relink(link_text), link.absolute(), record_path(link).absolute(), None)
    return (
        f"your deck file stays as it was: {as_written(hers)}; the import replaced {as_written(link)}, the link to it,"
        f" with its deck; to link it back: {relink}"
    )


def _relink(link_text: Path) -> str:
    """The start of the command that puts back the link to her deck file whose own text was `link_text` (relative
    to the link's folder, when relative)."""
    return f"ln -sfn {shell_word(link_text)}"


def _put_back(put_back: str, deck: Path, record: Path, kept_record: Path | None) -> str:
    """The command, to paste, that puts deck file `deck` back by `put_back` and then its import record `record` as
    it was: copied back from `kept_record`, or the import's removed when it had none (else the next import would
    take her deck for the one this import wrote, its cards for cards she added). Each path absolute."""
    if kept_record is not None:
        then = f"cp {shell_word(kept_record)} {shell_word(record)}"
    else:
        then = f"rm -f {shell_word(record)}"
    return _to_paste(f"{put_back} {shell_word(deck)} && {then}")


def store_marks(context: Context, deck_id: str) -> frozenset[str]:
    """The ids of the deck's notes the store marks; none when it cannot be read (a `marked` tag her own export wrote
    then comes in as a tag, as before). A store is never made for this."""
    if not context.has_store():
        return frozenset()
    try:
        return context.store.marked_notes(deck_id)
    except StoreError:
        return frozenset()


def _kept_from_deck_line(planned: Plan, file_name: str) -> str | None:
    """The line saying which notes of a text file took the deck's pictures or sources, which it cannot hold."""
    kept = planned.kept_from_deck
    if not kept.notes:
        return None
    pictures, sources = kept.pictures, kept.sources
    what = "pictures and sources" if pictures and sources else "pictures" if pictures else "sources"
    return (
        f"{what} kept as the deck has them, on {counted(kept.notes, 'note')}: {file_name} is a text file,"
        " which carries none"
    )


def _kept_pictures_line(kept: Path, folder: Path) -> str:
    """Where the copies `kept` of her pictures and sound files of deck folder `folder` (absolute) are, and the
    command that takes them back."""
    take = f"cp -R {shell_word(f'{kept}{os.sep}.')} {shell_word(f'{folder}{os.sep}')}"
    return f"your pictures and sound files it replaced: in {as_written(kept)}; to take them back: {_to_paste(take)}"


def _to_paste(command: str) -> str:
    """`command` as shown to paste. One whose paths hold a control character, which no line shows as it is (a tab,
    a line break, ESC), is shown with each escaped (\\n), and said to be no command to paste."""
    if printable(command) == command:
        return as_written(command)
    escaped = "".join(c if printable(c) == c else ascii(c)[1:-1] for c in command)
    said = "a path in it holds a control character, shown escaped: it cannot be pasted as it is"
    return f"{as_written(escaped)} ({said})"


def _failed(message: str, restore: list[str]) -> int:
    """Say `quiz: message` on stderr, then each line of `restore`, each on a line of its own: one ending with the
    command putting something of hers back, copied to the end of the line, takes nothing else with it. Returns the
    exit code."""
    code = fail(message)
    for line in restore:
        echo(line, error=True)
    return code


def _clean_up(target: Path, folder: Path, made: bool, replaces: str, progress: _Progress, with_history: bool) -> str:
    """After an import stopped by an error or Ctrl-C: a new deck's pictures folder, written whole, goes with its
    pending file when the deck was not written, so nothing stays. Returns what stays written: pictures written
    beside a deck in place stay, named in the pending file, so the next import knows them as quiz's."""
    pictures = _pictures_and_sounds(progress.pictures_to_write - progress.sounds, progress.sounds)
    if progress.deck_in_place():
        missing = [] if progress.record else ["its import record"]
        missing += ["the history"] if with_history else []
        deck = progress.deck
        placed = f"the deck {deck} and its import record are" if progress.record else f"the deck {deck} is"
        said = f"{placed} in place" + (f" (replacing {replaces})" if replaces else "")
        said += f", and {pictures} written in {folder}" if progress.pictures else ""
        if missing:
            them = "them" if len(missing) > 1 else "it"
            said += f", but not {' or '.join(missing)}: import the file again once this is fixed, to add {them}"
        return said
    if made:  # the folder was written whole by this import (when its writing failed, write_files removed it)
        if progress.pictures is not None:
            shutil.rmtree(folder, ignore_errors=True)
        with suppress(OSError):
            pending_path(target).unlink(missing_ok=True)
    if made or progress.pictures_to_write == 0:
        return "nothing was imported"
    written = f"{pictures} written" if progress.pictures is not None else f"some of {pictures} may be written"
    kept = f"{progress.deck} and its import record are as they were" if target.exists() else "no deck was written"
    return f"{written} in {folder} (known as quiz's at the next import); {kept}"


def _rename_cut_short(context: Context, deck_id: str, target: Path) -> tuple[str, str] | None:
    """A rename-card of the deck stopped between the store's commit and the record's write (old id, new id): the
    record still names the note by the old id, and an import now would log its Anki answers again under it."""
    if not record_path(target).exists() or not context.has_store():
        return None  # a new deck, or no store: no rename to finish, and no store made (an import may make none)
    renames = renames_done(context.store, deck_id)
    record = read_record(target) if renames else None  # read only then: a shared deck's is tens of MB
    if record is None:
        return None
    return next(((old, new) for old, new in renames if old in record.notes and new not in record.notes), None)


def _write_pictures(target: Path, result: ImportResult, planned: Plan, progress: _Progress) -> None:
    """Write the pictures the plan names beside the deck, durably, before the deck (whose check finds them),
    after the pending file naming them. The readers of the file's pictures, which hold the whole package in
    memory, are let go."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # a killed first import's half-filled pictures folder
    remove_leftovers(target.parent / media_folder(result.deck_id), folder=True)
    if planned.pending is not None:
        with atomic_write(pending_path(target), "w", encoding="utf-8", newline="\n") as out:
            out.write(planned.pending)
    write_files({target.parent / relative: picture.read for relative, picture in planned.pictures.write.items()})
    progress.pictures, planned.pictures.write, result.media = len(planned.pictures.write), {}, {}


def _staged(target: Path, planned: Plan, deck: Path, imported: Path) -> ExitStack:
    """The deck file and its import record written to temporary files, each moved into place (atomic) when the
    returned stack closes without an exception (_write), else removed. The deck is moved first and the record
    after it, so an error while writing either leaves both as they were. What an import killed while they were
    staged left (the history takes seconds) goes first. `deck` is where the deck file is written: `target`, or the
    file a link at `target` names. A new deck, and its record, are read by no one who cannot read the file
    `imported` (her private notes stay private, as `quiz add` keeps them)."""
    for path in (record_path(target), deck):
        remove_leftovers(path)
    # a new deck never overwrites a file created since it was planned; an update replaces the file it read,
    # keeping its line ends, byte-order mark and permissions
    overwrite = planned.merge is not None or bool(planned.replaces)
    with ExitStack() as files:
        if planned.record is not None:
            # a new deck's record takes the imported file's permissions at most: the deck's file is not there yet
            record = files.enter_context(record_writer(record_path(target), deck if overwrite else imported))
            for piece in planned.record.pieces():
                record.write(piece)
        if planned.text is not None:
            newline, encoding = file_style(deck) if overwrite else ("\n", "utf-8")
            at_most = 0o777 if overwrite else _as_private_as_file(imported)
            out = atomic_write(deck, "w", encoding=encoding, newline=newline, overwrite=overwrite, at_most=at_most)
            _write_text(files.enter_context(out), planned.text)
        return files.pop_all()


def _as_private_as_file(imported: Path) -> int:
    """`as_private_as` the file `imported`, or no limit when it cannot be looked at (gone since it was read)."""
    try:
        return as_private_as(imported.stat())
    except OSError:
        return 0o777


def _several_decks(
    args: argparse.Namespace, options: ImportOptions, result: ImportResult, decks: DeckFolder
) -> int | list[_Pass] | None:
    """A package holding notes of two or more top-level Anki decks (her whole collection), without --anki-deck:
    the passes (`_passes`) importing each as a deck of its own. Taken whole as one deck
    when it updates a deck that came from all of them, or --deck-id or --title names one deck: a note names
    them and the commands importing each alone, before anything is written; refused (1) when that deck came
    from only some of them, whose others' notes would land in it. None: one deck, imported as any file."""
    if result.collection is None or options.anki_deck is not None:
        return None
    tops = result.top_decks
    counts = Counter(tops.values())
    if len(counts) < 2:
        return None
    came_from = _came_from(decks, result.deck_id, tops)
    held = decks.holders(tops)  # which imported deck holds each note: every record's GUIDs gone through once
    # a deck made of several of them (her whole collection, as one deck) stays one: a top-level deck she made in
    # Anki since becomes a topic of it; taken apart, each pass would list the others' notes as gone in it
    whole_before = _made_of_several(decks, result.deck_id, tops, held)
    others = [top for top in counts if top not in came_from] if came_from else []
    if options.deck_id is None and options.title is None and not whole_before:
        return _passes(decks, tops, held, result.note_decks)
    name = Path(args.file).name
    listed = ", ".join(f"{quoted(top)} ({counted(count, 'note')})" for top, count in counts.items())
    commands = [f"  `{_import_alone(Path(args.file), top)}`" for top in counts]
    literal = [name, *counts, *(shell_word(top) for top in counts)]
    if others and not whole_before:
        _refused(
            result,
            f"{name} holds notes of {len(counts)} top-level Anki decks: {listed}; deck '{result.deck_id}', which it"
            f" would update, came from only some of them: the notes of {named_list([quoted(o) for o in others], 5)}"
            " would land in it; nothing imported. Import each as a deck of its own:",
        )
        for line in commands:
            echo(line, error=True, literal=literal)
        return 1
    if options.deck_id is None and options.title is None:  # a deck made of all of them before: updated as one
        echo(
            f"note: {name} holds notes of {len(counts)} top-level Anki decks: {listed}; they stay topics of deck"
            f" '{result.deck_id}', which came from " + (_new_topics(came_from, others) if others else "all of them"),
            error=True,  # stdout's first line is the deck's path
            literal=literal,
        )
        return None
    echo(
        f"note: {name} holds notes of {len(counts)} top-level Anki decks: {listed}; they come in as topics of one"
        " deck, as --deck-id or --title asks. To import each as a deck of its own instead (before a deck holds"
        " their notes: these update the deck that does):",
        error=True,  # stdout's first line is the deck's path
        literal=literal,
    )
    for line in commands:
        echo(line, error=True, literal=literal)
    return None


def _named_before_renamed(exc: NoSuchAnkiDeck, now: str, file: Path) -> int:
    """Refuse --anki-deck naming a deck the package has none of, saying what she renamed it to in Anki since it
    came in (`now`), with the command taking it by that name."""
    command = _import_alone(file, now)
    return fail(
        f"{exc}; {quoted(exc.name)} was renamed in Anki to {quoted(now)} (the same Anki deck, by id): `{command}`",
        literal=[quoted(exc.name), quoted(now), command],
    )


def _one_top_over_part(options: ImportOptions, result: ImportResult, decks: DeckFolder) -> list[_Pass] | None:
    """The passes (`_passes`) of a package holding notes of one top-level Anki deck alone, without --anki-deck,
    --deck-id or --title, when a deck holding notes of it was made of one subdeck of it alone (`medicine-cardio`),
    whether or not it is the deck sharing the most of them: taken apart as a collection of several top-level decks
    takes each, so that deck keeps the notes it holds (made again in another, their Anki answers would be logged
    twice), a new note goes to the deck made of its own Anki deck or the nearest above it, and the others never
    land in it. None: imported as it is."""
    if result.collection is None or options.anki_deck is not None or options.deck_id or options.title is not None:
        return None
    tops = distinct_decks(result.top_decks.values())
    if len(tops) != 1:
        return None
    held = decks.holders(result.top_decks)
    if not any(_made_of_part(decks, deck_id, tops[0]) for deck_id in {result.deck_id, *held.values()}):
        return None
    return _passes(decks, result.top_decks, held, result.note_decks)


@dataclass(frozen=True)
class _Said:
    """A line to say on stderr, and the names in it shown as they are (echo's `literal`)."""

    text: str
    literal: list[str]


def _taken_from_deck_alone(
    result: ImportResult, decks: DeckFolder, anki_deck: str, given: str | None
) -> tuple[str, frozenset[str], list[_Said]] | None:
    """An Anki deck taken alone by hand (--anki-deck `anki_deck`) whose notes imported decks hold: the deck it
    updates (`given` by --deck-id, else `_deck_of_anki_deck`'s), the GUIDs of its notes to take, those another
    deck holds left there, with their answers (made again here, their Anki answers would be logged twice), and the
    lines naming those, said once that deck takes the rest; an Anki deck no deck came from makes a deck of its own
    (named by it, as a first import names it). None when the first reading went to that deck and no other deck holds
    any."""
    assert result.collection is not None
    guids = [note.guid for note in result.collection.notes]
    held = decks.holders(guids)  # the one pass over every record's GUIDs this import makes
    # no deck came from it: a deck of its own, not the deck holding notes she moved there in Anki
    target = (
        given
        or _deck_of_anki_deck(decks, anki_deck, guids, held)
        or ((_free_deck_id(decks, anki_deck) or deck_id_from_name(anki_deck)) if held else result.deck_id)
    )
    away = {guid: held[guid] for guid in guids if held.get(guid, target) != target}
    if target == result.deck_id and not away:
        return None
    labels = {guid: label(note) for guid, (note, _) in result.earlier.items()}
    labels |= {result.guids[note.id]: label(note) for note in reversed(result.notes) if note.id in result.guids}
    said = []
    for guid, deck_id in list(away.items())[:LISTED]:
        named = labels.get(guid, f"the note of Anki GUID {guid}")
        said.append(
            _Said(
                f"note: {quoted(named)} stays in deck '{deck_id}', which holds it and its answers (an earlier import"
                f" put it there): not made again in deck '{target}'",
                [quoted(named)],
            )
        )
    if len(away) > LISTED:
        said.append(_Said(f"note: ... and {len(away) - LISTED} more, each kept in the deck holding it", []))
    return target, frozenset(guids) - away.keys(), said


def _deck_of_anki_deck(decks: DeckFolder, name: str, guids: Sequence[str], held: Mapping[str, str]) -> str | None:
    """The deck an Anki deck taken alone (`name`, its notes' `guids`) updates, of the imported decks holding its
    notes (`held`: GUID -> the deck holding it): one whose topics came from `name` or its subdecks (a record naming
    no Anki decks, an earlier quiz's, may have), never one made of a deck below `name` alone (`_made_of_part`: it
    keeps the notes it holds, the rest of `name` makes a deck of its own). Of several: the one named by `name`,
    else one whose topics all came from the top-level deck of `name` (not a deck of another top-level deck holding
    notes she moved to `name` in Anki, which would take in the rest of `name`), else the one holding the most.
    None: no deck holding its notes came from it (the deck sharing the most of them is updated, as before)."""
    holding = Counter(held[guid] for guid in guids if guid in held)
    top = name.split("::")[0]
    came: list[str] = []
    own: list[str] = []
    for deck_id, _ in holding.most_common():
        anki_decks = _anki_decks_of(decks, deck_id)
        if _made_of_part(decks, deck_id, name):  # it keeps the notes it holds; the rest of `name` never lands there
            continue
        if not anki_decks or _came_from_deck(anki_decks, name):
            came.append(deck_id)
            if anki_decks and all(within_deck(deck, top) for deck in anki_decks):
                own.append(deck_id)
    named = deck_id_from_name(name)
    return named if named in came else next(iter(own or came), None)


def _import_alone(file: Path, top: str) -> str:
    """The command importing the Anki deck `top` of `file` alone, to paste into a shell: `--anki-deck=NAME`, so a
    name starting with '-' (`-Neu`) is not taken for an option."""
    return f"quiz import {shell_word(file)} --anki-deck={shell_word(top)}"


def _new_topics(came_from: set[str], others: list[str]) -> str:
    """Which top-level decks a deck came from, and those new in Anki since, which come in as its topics."""
    new = named_list([quoted(top) for top in others], 5)
    return (
        f"{named_list(sorted(quoted(top) for top in came_from), 5)}; {new}"
        f" {'comes' if len(others) == 1 else 'come'} in as {'a topic' if len(others) == 1 else 'topics'} of it"
    )


@dataclass(frozen=True)
class _Pass:
    """One import of a whole collection taken apart: the notes of the top-level Anki deck `top` one deck takes, the
    deck holding them (`deck_id`; None: none does, the import names it), and whether `top` itself is taken apart
    (`apart`: --anki-deck TOP would not import it as the whole file does)."""

    top: str
    guids: frozenset[str]
    deck_id: str | None
    apart: bool
    # why a deck of a free id is made (`_free_deck`), or notes moved in Anki stay (`_passes`), said after the
    # import's first note
    said: tuple[_Said, ...] = ()


def _passes(
    decks: DeckFolder, tops: Mapping[str, str], held: Mapping[str, str], note_decks: Mapping[str, str]
) -> list[_Pass]:
    """The passes of a collection taken apart: for each top-level deck, one for each deck holding notes of it
    (`_passes_of`). A note she moved in Anki to another top-level deck stays with the deck holding it (`held`:
    GUID -> the deck holding it; it holds her answers: made again in another, its Anki answers would be logged
    twice), said in a note, once: while the deck's topics came from none of the top-level deck it is in now. A note
    none holds goes with the deck made of its Anki deck (`note_decks`: GUID -> its deck), when one holds notes."""
    by_top: dict[str, set[str]] = {}
    for guid, top in tops.items():
        by_top.setdefault(top, set()).add(guid)
    made_of = {deck_id: came for deck_id in dict.fromkeys(held.values()) if (came := _anki_decks_of(decks, deck_id))}
    new_notes_of = {
        guid: made
        for guid, deck in note_decks.items()
        if guid not in held and (made := _made_of_its_deck(made_of, deck)) is not None
    }
    moved: Counter[tuple[str, str]] = Counter()
    for deck_id in dict.fromkeys(held[guid] for guid in tops if guid in held):  # in the package's order: said so
        its = [guid for guid in tops if held.get(guid) == deck_id]
        home = _home_top(decks, deck_id, [tops[guid] for guid in its], tops, held)
        came = _anki_decks_of(decks, deck_id)
        for guid in its:
            if tops[guid] != home:
                by_top[tops[guid]].discard(guid)
                by_top[home].add(guid)
                moved[tops[guid], deck_id] += 1
            elif came and not _came_from_deck(came, home):  # its topics came from others alone
                moved[home, deck_id] += 1
    said = tuple(
        _Said(
            f"note: {counted(count, 'note')} of deck '{deck_id}' {'was' if count == 1 else 'were'} moved in Anki to"
            f" {quoted(top)}: updated in deck '{deck_id}', which holds {'its' if count == 1 else 'their'} answers",
            [top],
        )
        for (top, deck_id), count in moved.items()
    )
    # the ids the top-level decks' names give, which their passes may take: never a free id of another's rest; nor
    # one an earlier pass takes (`Medicine` and `Medicine!` give one id: each rest gets a free id of its own)
    taken = {deck_id_from_name(top) for top, guids in by_top.items() if guids}
    passes: list[_Pass] = []
    for top, guids in by_top.items():
        if guids:
            of_top = _passes_of(decks, top, [guid for guid in tops if guid in guids], held, new_notes_of, taken)
            taken.update(one.deck_id for one in of_top if one.deck_id is not None)
            passes.extend(of_top)
    # said with the first pass, after the import's first note, as the passes' own are
    return [replace(passes[0], said=(*said, *passes[0].said)), *passes[1:]] if said else passes


def _passes_of(
    decks: DeckFolder,
    top: str,
    guids: list[str],
    held: Mapping[str, str],
    new_notes_of: Mapping[str, str],
    taken: Set[str],
) -> list[_Pass]:
    """The passes of one top-level deck's notes (`_passes`, in the package's order): one for each deck holding some
    (a deck made of a subdeck alone, `Medicine::Cardio`, is one), in the order of their first notes (the same at
    every import, though the deck holding the most changes once new notes came in); those none holds go with the deck
    made of their own Anki deck or of one above it, when it holds some (`new_notes_of`: GUID -> that deck; a new
    note of `Medicine::Renal` with `medicine-renal`, not `medicine-cardio`; a deck holding none of them would not
    be updated by them alone), else with the deck `--anki-deck` updates (`_deck_of_anki_deck`, never one made of
    a subdeck alone), else make a deck of their own (a new note of `Medicine::Renal` never lands in a deck
    made of `Medicine::Cardio` alone), of an id none of `taken` (`_free_deck`)."""
    target = _deck_of_anki_deck(decks, top, guids, held)
    holders = Counter(held[guid] for guid in guids if guid in held)
    home = {guid: held.get(guid) or _holding(new_notes_of.get(guid), holders) or target for guid in guids}
    homes = list(dict.fromkeys(home[guid] for guid in guids))  # in the order of their first notes
    # a deck made of part of it (`medicine-cardio`, or `medicine` itself) keeps that part's new notes, which
    # --anki-deck TOP would put in a deck of all of it, though all its notes now come in in one pass
    apart = len(homes) > 1 or any(_made_of_part(decks, deck_id, top) for deck_id in {deck_id_from_name(top), *holders})
    passes = []
    for deck_id in homes:
        its = frozenset(guid for guid in guids if home[guid] == deck_id)
        free, why = (deck_id, None) if deck_id is not None else _free_deck(decks, top, taken)
        passes.append(_Pass(top, its, free, apart, (why,) if why is not None else ()))
    return passes


def _free_deck_id(decks: DeckFolder, top: str) -> str | None:
    """The id of the deck the notes of the Anki deck `top` no deck holds make (`_free_deck`), its note said now."""
    deck_id, said = _free_deck(decks, top)
    if said is not None:
        echo(said.text, error=True, literal=said.literal)
    return deck_id


def _free_deck(decks: DeckFolder, top: str, taken: Set[str] = frozenset()) -> tuple[str | None, _Said | None]:
    """The id of the deck the notes of the Anki deck `top` no deck holds make: None, the one its name gives
    (`medicine`), unless the deck of that id came from other Anki decks alone (Medicine renamed Archiv in Anki, a
    new Medicine made since), whose update they would be refused as another deck's at every import, or was made
    of a subdeck of `top` alone (`--anki-deck Medicine::Cardio --deck-id medicine`), which the rest of `top` never
    lands in: then the first free one of `medicine-2`, `medicine-3` ..., none of `taken` (the ids the package's
    other top-level decks take: `Medicine 2`'s, and those its earlier passes took), said in a note. A deck whose
    record names no Anki deck (hers, a file's) is left to that refusal, which says how to choose an id. With the note
    to say."""
    named = deck_id_from_name(top)
    if not decks.has(named) or (known := decks.anki_decks(named)) is None:
        return None, None
    came = known[1] | {took} if (took := decks.took(named)) is not None else known[1]
    part = _made_of_part(decks, named, top)
    if not came or (_came_from_deck(came, top) and not part):
        return None, None
    if (made := decks.made_of(top)) is not None and made != named:  # an earlier import of it counted up: updated
        return made, None
    free = next(
        deck_id
        for number in itertools.count(2)
        if not decks.has(deck_id := f"{named}-{number}") and deck_id not in taken
    )
    why = (
        f"was made of a subdeck of {quoted(top)} alone"
        if part
        else f"came from other Anki decks than {quoted(top)} (renamed in Anki since?)"
    )
    text = f"note: deck '{named}' {why}: the notes of {quoted(top)} no deck holds come in as deck '{free}'"
    return free, _Said(text, [quoted(top)])


def _made_of_part(decks: DeckFolder, deck_id: str, name: str) -> bool:
    """Whether the deck `deck_id` was made of a deck below the Anki deck `name` alone (`--anki-deck
    Medicine::Cardio`, not all of `Medicine`), as its import record says (a top-level deck renamed in Anki since,
    --deck-id, a package of `Medicine` from Anki: all of it). A record older than that tells it by its topics: all
    from one deck below `name`, the deck not named by `name` (one made of all of `name` when its notes were all in
    one subdeck is)."""
    if (took := decks.took(deck_id)) is not None:
        return within_deck(took, name) and not same_deck(took, name)
    return made_of_subdeck_alone(_anki_decks_of(decks, deck_id), deck_id, name)


def _holding(deck_id: str | None, holders: Mapping[str, int]) -> str | None:
    """`deck_id` when it is one of `holders`."""
    return deck_id if deck_id in holders else None


def _anki_decks_of(decks: DeckFolder, deck_id: str) -> frozenset[str]:
    """The Anki decks the deck `deck_id`'s topics came from, as its import record names them; none for a record
    naming none (an earlier quiz's) or one that cannot be read."""
    known = decks.anki_decks(deck_id)
    return known[1] if known is not None else frozenset()


def _came_from_deck(anki_decks: frozenset[str], name: str) -> bool:
    """Whether a deck whose topics came from `anki_decks` (`_anki_decks_of`) came from the Anki deck `name` or from
    a subdeck of it."""
    return any(within_deck(deck, name) for deck in anki_decks)


def _made_of_its_deck(made_of: Mapping[str, frozenset[str]], deck: str) -> str | None:
    """Of the decks `made_of` (deck id -> the Anki decks its topics came from), the one made of the Anki deck
    `deck` or of the nearest deck above it; None for none. A deck whose topics came from another top-level deck
    too (a note she moved there in Anki made a topic of it) is none: it came from that other deck."""
    top = deck.split("::")[0]
    depth = {
        deck_id: max((len(name.split("::")) for name in came if within_deck(deck, name)), default=0)
        for deck_id, came in made_of.items()
        if all(within_deck(name, top) for name in came)
    }
    best = max(depth, key=lambda deck_id: depth[deck_id], default=None)
    return best if best is not None and depth[best] > 0 else None


def _home_top(
    decks: DeckFolder, deck_id: str, its_tops: list[str], tops: Mapping[str, str], held: Mapping[str, str]
) -> str:
    """The top-level deck the deck `deck_id` came from, among the top-level decks of its notes now (`its_tops`):
    the one its topics came from (not one another deck holds notes of: a note moved there is topic of it now), else
    (a record naming no Anki decks) the one most of its notes are in."""
    came = _anki_decks_of(decks, deck_id)
    elsewhere = _held_elsewhere(held, deck_id, tops)
    own = [top for top in its_tops if _came_from_deck(came, top) and top not in elsewhere]
    return Counter(own or its_tops).most_common(1)[0][0]


def _held_elsewhere(held: Mapping[str, str], deck_id: str, tops: Mapping[str, str]) -> set[str]:
    """The top-level decks of the package (`tops`: each note's GUID -> its top-level deck) of which another
    imported deck than `deck_id` holds notes (`held`: GUID -> the deck holding it): each has a deck of its own, so
    a topic of `deck_id` naming it is a note she moved there in Anki (kept in `deck_id`), not part of a whole
    collection taken as one deck."""
    return {top for guid, top in tops.items() if held.get(guid, deck_id) != deck_id}


def _import_each(args: argparse.Namespace, context: Context, options: ImportOptions, passes: list[_Pass]) -> int:
    """Each top-level Anki deck of the package imported as --anki-deck NAME imports it: a deck of its own, made or
    updated (a pass of each deck holding its notes: `_passes`); a summary names each. An import that fails stops
    the rest, which are named."""
    name = Path(args.file).name
    counts = Counter[str]()
    for one in passes:
        counts[one.top] += len(one.guids)
    listed = ", ".join(f"{quoted(top)} ({counted(count, 'note')})" for top, count in counts.items())
    if len(counts) == 1:  # one top-level deck, a subdeck of which came in alone (`_one_top_over_part`)
        held_as = (
            f"of one top-level Anki deck: {listed}, a subdeck of which was taken alone before: taken apart as a"
            " whole collection is, each deck holding its notes updated with them"
        )
    else:
        held_as = (
            f"of {len(counts)} top-level Anki decks: {listed}; each comes in as a deck of its own (--anki-deck NAME"
            " imports one alone; --deck-id ID all as one deck, each Anki deck a topic)"
        )
    echo(
        f"note: {name} holds notes {held_as}",
        error=True,  # stdout's first line is the first deck's path
        literal=[name, *counts],
    )
    for said in (said for one in passes for said in one.said):
        echo(said.text, error=True, literal=said.literal)
    made: list[str] = []
    tops = [one.top for one in passes]
    apart = {one.top for one in passes if one.apart}
    for number, one in enumerate(passes):
        taken = replace(options, anki_deck=one.top, anki_notes=one.guids, whole_collection=True, deck_id=one.deck_id)
        if code := _import(args, context, taken, made):
            done = [f"{quoted(t)} (deck '{deck_id}')" for t, deck_id in zip(tops, made, strict=False)]
            rest = list(dict.fromkeys(tops[number:]))  # a top-level deck of two passes named once
            # a top-level deck one pass of which came in: the rest of it did not
            listed_rest = named_list([quoted(t) + " (the rest of it)" * (t in tops[:number]) for t in rest], 5)
            left = len(rest)
            fail(
                f"the Anki {'deck' if left == 1 else 'decks'} {listed_rest} of {name} {'was' if left == 1 else 'were'}"
                " not imported"
                + (f"; {named_list(done, 5)} came in" if done else "")
                + f": fix what is said above, then import {name} again"
                + _or_alone(rest, apart),
                literal=[name, *tops],
            )
            for line in (top for top in rest if top not in apart):
                echo(f"  `{_import_alone(Path(args.file), line)}`", error=True, literal=[name, *tops])
            return code
    pairs = [f"{quoted(top)} as deck '{deck_id}'" for top, deck_id in zip(tops, made, strict=True)]
    each = "each a deck of its own" if len(made) == len(counts) else f"in {counted(len(made), 'deck')} of their own"
    echo(f"{name}: {counted(len(counts), 'Anki deck')}, {each}: {named_list(pairs, len(pairs))}", literal=[name, *tops])
    return 0


def _or_alone(rest: list[str], taken_apart: set[str]) -> str:
    """The end of the line naming the top-level decks that did not come in (`rest`): the command importing each
    alone follows, but for one taken apart (`taken_apart`, `_Pass.apart`), which only the whole file imports as it
    would (--anki-deck NAME would put the new notes of a subdeck taken alone in the deck of the rest)."""
    apart = [top for top in rest if top in taken_apart]
    if len(apart) == len(rest):
        return ""
    only = f" ({named_list([quoted(top) for top in apart], 5)} taken apart: only so)" if apart else ""
    each = "it" if len(rest) == 1 else "each of the others" if apart else "each"
    return (
        f"{only}, or {each} alone (adding --deck-id NEW_ID, a deck of its own, when it asks for a new id; the whole"
        " file with --deck-id would come in as one deck):"
    )


def _came_from(decks: DeckFolder, deck_id: str, tops: Mapping[str, str]) -> set[str]:
    """The top-level decks of the package (`tops`: each note's GUID -> its top-level deck) the deck `deck_id` came
    from: those of its import record's GUIDs, and those of the Anki decks its topics came from; none for a new
    deck, or one without a record that can be read."""
    known = decks.anki_decks(deck_id)
    if known is None:
        return set()
    guids, anki_decks = known
    came_from = {top for guid, top in tops.items() if guid in guids}
    return came_from | {top for top in tops.values() for deck in anki_decks if same_deck(deck.split("::")[0], top)}


def _made_of_several(decks: DeckFolder, deck_id: str, tops: Mapping[str, str], held: Mapping[str, str]) -> bool:
    """Whether the deck `deck_id` was made of several top-level Anki decks (a whole collection as one deck): its
    topics came from two or more; for a record naming no Anki decks (an earlier quiz's), its notes did. A deck of
    one top-level deck, a note of which she moved in Anki to another, is not."""
    known = decks.anki_decks(deck_id)
    if known is None:
        return False
    guids, anki_decks = known
    elsewhere = _held_elsewhere(held, deck_id, tops)
    named = {deck.split("::")[0] for deck in anki_decks} or {top for guid, top in tops.items() if guid in guids}
    return len([top for top in distinct_decks(named) if not any(same_deck(top, other) for other in elsewhere)]) > 1


def _refused(result: ImportResult, why: object, problems: Sequence[object] = ()) -> int:
    """Fail with `why`, after the file's warnings (said as for an import that goes on) and `problems`."""
    for problem in (*result.problems, *problems):
        echo(problem, error=True)
    return fail(why)


def _write(staged: ExitStack, target: Path, planned: Plan, progress: _Progress) -> None:
    """Move the staged deck file and record into place, unless the deck file changed since the plan read it
    (an import with a history takes seconds, in which her editor may save the deck): the staged text holds
    what it was then, and would silently undo her edit. The pending file goes once the record names what is
    in the pictures folder. A linked deck must still be reached through its link: her editor, saving, can
    replace the link by a file holding her edit, and the file the link named is then no longer her deck."""
    relinked = os.path.realpath(target) != os.path.realpath(progress.deck)
    if relinked or changed_since_planned(progress.deck, planned):
        raise ChangedMeanwhile(
            f"{target if relinked else progress.deck} was changed while the import ran (saved in an editor?), so"
            " the import did not write over it; run the import again"
        )
    progress.deck_before, progress.placing = _file_identity(progress.deck), True
    staged.close()
    progress.record = True
    with suppress(OSError):  # left, it names only bytes quiz wrote: never taken for hers, nothing lost
        pending_path(target).unlink(missing_ok=True)


def _write_text(out: TextIO, text: str) -> None:
    """Write in pieces: a big deck's text (tens of MB) is not also held whole as bytes, at the moment the
    import holds the most (its whole history)."""
    for start in range(0, len(text), _PIECE):
        out.write(text[start : start + _PIECE])


def _topics_line(result: ImportResult, given: str | None) -> str | None:
    """The topics a new deck's notes are in, each named: the line before names only the Anki deck its subdecks
    share (`Pharm` of `Pharm::Cardio` and `Pharm::Renal`), which read as if it were all that came in. A topic
    given with --topic, which the shared deck's own notes are put in, is named as such, never as a subdeck."""
    if not result.topics:
        return None
    own = "::".join(result.deck_path)  # the shared deck: its notes are in no subdeck
    subdecks = [topic for topic in result.topics if result.topic_decks.get(topic.id, own) != own]
    others = [topic for topic in result.topics if topic not in subdecks]
    line = f"in {counted(len(result.topics), 'topic')}"
    if subdecks:
        decks = "subdecks" if result.deck_path else "decks"  # top-level decks (a whole collection's) share none
        line += f", from its Anki {decks}: {named_list([quoted(t.title) for t in subdecks], _NAMED_TOPICS)}"
    if others:
        line += "; and " if subdecks else ": "
        line += named_list([quoted(t.title) for t in others], _NAMED_TOPICS)
        if given is not None and subdecks and any(result.topic_decks.get(t.id) == own for t in others):
            line += f" (--topic, for the notes in {quoted(result.deck_path[-1])} itself)"
    if untopiced := sum(1 for note in result.notes if not note.topic):
        line += f"; {counted(untopiced, 'note')} in no topic"
        if subdecks and result.deck_path:
            line += f" (in {quoted(result.deck_path[-1])} itself)"
    return line


def update_lines(merge: Merge, changed: bool, source: str) -> list[str]:
    """What an update did to the deck file, and the notes gone from the package, each named."""
    gone = len(merge.gone) + len(merge.removed)
    lines = [
        f"updated: {len(merge.updated)} updated, {len(merge.added)} new, {merge.unchanged} unchanged,"
        f" {gone} gone from {source}, {len(merge.conflicts)} changed by both {source} and you"
        + ("" if changed else "; the deck file is unchanged")
    ]
    if merge.updated:
        lines.append(f"updated by {source} ({counted(len(merge.updated), 'note')}; the fields it changed):")
        lines += _listed(merge.updated, lambda n: f"  {n.id}  {label(n)}  ({', '.join(merge.updated_fields[n.id])})")
    if merge.added:
        lines.append(f"new in {source} ({counted(len(merge.added), 'note')}):")
        lines += _listed(merge.added, lambda note: f"  {note.id}  {label(note)}")
    if merge.yours_kept or merge.deleted_kept or merge.own:
        lines.append(
            f"kept as you have them: {counted(merge.yours_kept, 'note')} you edited, {merge.deleted_kept} you"
            f" deleted ({source} does not change them), {merge.own} of your own"
        )
    if merge.removed:
        lines.append(
            f"removed, gone from {source} ({counted(len(merge.removed), 'note')}; their history stays in quiz):"
        )
        lines += [f"  {note.id}  {label(note)}" for note in merge.removed]
    if merge.gone:
        edited = "edited by you" if merge.recorded else "no import record tells whether you edited it"
        lines.append(
            f"gone from {source}, kept in the deck ({counted(len(merge.gone), 'note')}; --remove-missing removes"
            " them, and their history stays in quiz):"
        )
        lines += [
            f"  {note.id}  {label(note)}"
            + (f"  ({edited}: removed only with --replace)" if note.id in merge.gone_edited else "")
            for note in merge.gone
        ]
    if merge.conflicts and merge.replaced:
        yours = (
            "you had changed too"
            if merge.recorded
            else "unlike yours (no import record tells whether you changed them)"
        )
        lines.append(f"took the version of {source} of {counted(len(merge.conflicts), 'note')} {yours}:")
        lines += conflict_lines(merge, source)
    return lines


def left_out_lines(
    left_out: list[tuple[Note, str]], covers: Sequence[str], source: str, *, anki_deck: bool, every_deck: bool
) -> list[str]:
    """The lines saying the rest of the deck was left as it is: its notes of the Anki decks the package left out (a
    subdeck taken alone), not gone from Anki though the package lacks them, each named with its Anki deck. With
    --anki-deck: of her collection package (`every_deck`), the package holds them, in its other decks; of a deck
    package, --anki-deck leaves their decks out (the package may not even hold them)."""
    by_deck = Counter(deck for _, deck in left_out)
    decks = named_list([f"{quoted(deck)} ({count})" for deck, count in by_deck.items()], _NAMED_TOPICS)
    taken = quoted("::".join(covers))
    notes = counted(len(left_out), "note")
    deleted = "nor removed (a note you deleted in Anki is, by a package holding its deck)"
    if anki_deck and every_deck:
        whose = (
            f"{notes} {source} holds in Anki decks --anki-deck leaves out ({decks}), as it takes {taken} alone:"
            f" neither listed as gone nor removed (a note {source} lacks is, whatever its Anki deck)"
        )
    elif anki_deck:
        whose = (
            f"{notes} of Anki decks --anki-deck leaves out ({decks}), as it takes {taken} alone of {source}, a deck"
            f" package: neither listed as gone {deleted}"
        )
    else:
        whose = (
            f"{notes} of Anki decks {source} leaves out ({decks}), as it holds {taken} alone: neither listed as gone"
            f" {deleted}"
        )
    deck_of = {note.id: deck for note, deck in left_out}
    lines = [f"the rest of the deck is left as it is: {whose}:"]
    lines += _listed([note for note, _ in left_out], lambda note: f"  {note.id}  {label(note)}  ({deck_of[note.id]})")
    return lines


def _listed(notes: list[Note], line: Callable[[Note], str]) -> list[str]:
    """The lines of the first LISTED notes, and how many more: a shared deck's new version may change tens of
    thousands of notes, whose lines (made for all, 0.7 s for 100,000) would be thrown away but these."""
    shown = [line(note) for note in notes[:LISTED]]
    return shown if len(notes) <= LISTED else [*shown, f"  ... and {len(notes) - LISTED} more"]


def moved_lines(
    notes: list[Note], moved: Mapping[str, str], source: str, *, topics_by: TopicsBy | Literal["topics"]
) -> list[str]:
    """The notes an update moved to another topic, each named, with how their topics were found."""
    if not moved:
        return []
    why = _MOVED_BECAUSE[topics_by]
    lines = [f"moved to another topic by {source} ({counted(len(moved), 'note')}; {why}):"]
    lines += [
        f"  {note.id}  {label(note)}  ({moved[note.id] or 'no topic'} -> {note.topic or 'no topic'})"
        for note in notes
        if note.id in moved
    ]
    return lines


def read_as_before_lines(notes: list[Note], source: str) -> list[str]:
    """The notes kept as an earlier quiz read them (target.Plan.read_as_before), each named, and how to take the
    reading of today's quiz."""
    if not notes:
        return []
    return [
        f"kept as an earlier quiz read them ({counted(len(notes), 'note')}; {source} has them as before; quiz now"
        " reads each as a note per Anki card, for the reason warned above; your progress stays on their cards):",
        *_listed(notes, lambda note: f"  {note.id}  {label(note)}"),
        "  --read-anew takes the reading of today's quiz: a new note per Anki card, with Anki's schedule, these"
        " listed as gone (kept, with their history, unless --remove-missing)",
    ]


def emptied_topics(planned: Plan) -> set[str]:
    """The topics that had cards before the import and have none after (their notes moved or removed)."""
    removed = planned.merge.removed if planned.merge is not None else []
    left = {*planned.moved.values(), *(note.topic for note in removed)}
    return left - {note.topic for note in planned.notes}


def empty_exam_lines(context: Context, deck_id: str, emptied: set[str]) -> list[str]:
    """Each exam date still ahead on a topic of the deck the import left with no card (`emptied`), named."""
    if not context.has_store():  # no exam date: no store made (nor refused) to say so
        return []
    today = study_day(context.clock.now(), context.store.settings().rollover_hour)
    exams = on_topics(upcoming(read_exam_dates(context.store), today), deck_id, emptied)
    return [
        f"quiz: the exam of {exam.scope} on {exam.day} covers no card: topic '{exam.topic}' has none now; set it on"
        f" the topic its cards are in (`quiz plan {deck_id}/TOPIC --exam {exam.day}`), or forget it (`quiz plan"
        f" {exam.scope} --remove`)"
        for exam in exams
    ]


def conflict_lines(merge: Merge, source: str) -> list[str]:
    """Each note both you and the imported file changed: what each changed, field by field."""
    lines = []
    for conflict in merge.conflicts:
        lines.append(f"  {conflict.note_id}  {conflict.front}")
        lines += [f"    {source}: {change}" for change in conflict.package]
        if conflict.deleted:
            lines.append("    you: deleted it")
        elif conflict.yours:
            lines += [f"    you: {change}" for change in conflict.yours]
        else:
            lines.append(
                f"    you: not known (no record of what quiz wrote before); your version differs from {source}'s"
            )
    return lines


def pictures_differ_lines(
    differ: tuple[tuple[str, str], ...], folder: Path, file: str, source: str, from_deck_file: bool
) -> list[str]:
    """The deck's pictures kept as it has them though the imported file has others under their names. A deck
    file's new version of each is a file beside it, to copy over hers to take it; a package's is inside the
    package, where no copy reaches it (hers, under the name quiz's export gave it, is taken for the newer)."""
    count = counted(len(differ), "picture")
    if not from_deck_file:
        return [
            f"pictures kept as your deck has them, though {source} has others under their names ({count}):",
            *(f"  {folder / path}" for path, _ in differ),
        ]
    return [
        f"pictures kept as your deck has them, though {source} has others under their names ({count}; to take"
        " one, copy the new version, after the arrow, over yours):",
        *(f"  {folder / path}  <-  {image_path(file, name)}" for path, name in differ),
    ]


def picture_conflict_lines(pictures: Pictures, folder: Path, source: str, *, taken: bool) -> list[str]:
    """Each picture of the deck's folder that is yours though the imported file changes it: listed, then what
    was done (yours kept, or the file's taken with --replace)."""
    if not pictures.conflicts:
        return []
    lines = [
        f"  {folder / conflict.path}  "
        + (
            f"(you changed it since the last import; {source} changes it too)"
            if conflict.known
            else f"(no record of what quiz wrote there; yours differs from {source}'s)"
        )
        for conflict in pictures.conflicts
    ]
    sounds = sum(conflict.sound for conflict in pictures.conflicts)
    count, files = len(pictures.conflicts), _pictures_and_sounds(len(pictures.conflicts) - sounds, sounds)
    it = "it" if count == 1 else "them"
    if taken:
        return [f"took the version of {source} of {files} you had changed:", *lines]
    return [
        *lines,
        f"quiz: {files} kept as you have {it}, though {source} changes {it} too (above); pass"
        f" --replace to take the version of {source}",
    ]


def _pictures_and_sounds(pictures: int, sounds: int) -> str:
    """The pictures and sound files named apart: "1 picture", "2 sound files", "1 picture and 1 sound file"."""
    named = [counted(pictures, "picture")] if pictures else []
    return " and ".join([*named, counted(sounds, "sound file")] if sounds else named)


def _answers(written: ImportedHistoryResult) -> str:
    """The answers an import added: its reviews, and its previews apart (they leave the card as it was)."""
    reviews = counted(written.added - written.previews, "review")
    return f"{reviews} and {counted(written.previews, 'preview')}" if written.previews else reviews


def history_lines(history: AnkiHistory, written: ImportedHistoryResult) -> list[str]:
    """What came along from Anki's schedule and review log, and what did not."""
    came = [card for card in history.cards if card.card_key not in written.kept]
    states = [card.state for card in came if card.state is not None]
    scheduled = sum(not state.is_new for state in states)
    flagged = sum(card.flag != 0 for card in came)
    lines = []
    if written.added or states or flagged:
        suspended = sum(state.suspended for state in states)
        buried = sum(state.buried_until is not None for state in states)
        leeches = sum(state.leech for state in states)
        leech_count = counted(leeches, "leech", "leeches")
        lines.append(
            f"history: {_answers(written)} from Anki's review log, {counted(scheduled, 'card')} with a"
            f" schedule, {suspended} suspended, {buried} buried, {flagged} flagged, {leech_count}"
        )
    if written.known:
        lines.append(f"not brought again: {counted(written.known, 'review')} already in quiz's review log")
    if history.manual:
        manual = counted(history.manual, "manual entry", "manual entries")
        lines.append(f"not brought: {manual} of the review log (set due date, reset): they are not answers")
    if history.away:
        away = counted(len(history.away), "card")
        lines.append(
            f"not brought again: the answers of {away} whose Anki card came in as another card at the last import,"
            " which keeps them (its note changed shape in Anki: a mask or template deleted, a gap nested; an earlier"
            " quiz gave it to the gap {{C1::...}} before its own; an earlier quiz read the note as one, a reverse"
            " note whose templates ask with words of their own or a cloze whose gaps share a number, read card by"
            " card now as Anki changed it or --read-anew took today's reading; or the file holds the note twice, as"
            " quiz's export too); newer ones come:"
            f" {', '.join(history.away[:_NAMED_AWAY])}" + " ..." * (len(history.away) > _NAMED_AWAY)
        )
    if history.left_behind:
        left = counted(history.left_behind, "review")
        lines.append(f"not brought: {left} of cards not in the deck (named above, or deleted in Anki)")
    if written.kept_own:  # the other cards kept hold the file's schedule already: nothing of theirs was kept
        lines.append(
            f"kept: the schedule quiz has of {counted(written.kept_own, 'card')}, not the file's: the file has no"
            f" answer to {'it' if written.kept_own == 1 else 'them'} newer than quiz's last"
        )
    return lines
