"""What an import writes into the deck folder: a new deck file, or the update of the one an earlier import
wrote (quiz.core.importers.update), with the import record beside it."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Literal, TypeVar

from quiz.core.anki import is_collection_package
from quiz.core.anki.media import is_plain, is_sound_file, media_folder, safe_name
from quiz.core.anki.model import deck_name
from quiz.core.anki.topdecks import ANKI_DEFAULT_DECK, same_deck, within_deck
from quiz.core.deckfile import DeckFileError, LoadResult, read_deck_bytes
from quiz.core.decks import parse_deck
from quiz.core.deckwriter import comment, deck_text
from quiz.core.exporters.apkgmedia import names_in_package
from quiz.core.filenames import entries
from quiz.core.images import image_format, is_picture_name, picture_name
from quiz.core.importers.assembler import HEADER_COMMENT, ImportResult
from quiz.core.importers.cardhomes import card_keys, homes_after, homes_away, ids_kept
from quiz.core.importers.cleaning import CARD_BY_CARD, formulas_read, kept_as_before
from quiz.core.importers.ids import Unique, deck_of_guid, numbered_title
from quiz.core.importers.model import Lacking, Picture
from quiz.core.importers.pictures import (
    Pictures,
    digest,
    file_digest,
    kept_in_place_warning,
    kept_names,
    names_to_record,
    pictures_to_write,
    renamed_warning,
    says_lacking,
    says_renamed,
)
from quiz.core.importers.update import (
    ImportRecord,
    Merge,
    RecordText,
    UnreadableRecord,
    base_text,
    followed_ids,
    is_her_export,
    made_of_subdeck_alone,
    merge,
    pending_text,
    read_pending,
    read_record,
    record_text,
    renamed_in_anki,
    shares_notes,
)
from quiz.core.kinds import texts, with_texts
from quiz.core.links import dangling_target
from quiz.core.model import Deck, Note, Source, Topic
from quiz.core.problems import Problem, errors
from quiz.core.sounds import sound_paths, with_sounds_renamed
from quiz.core.text import as_written
from quiz.core.yamlsafe import comments

_V = TypeVar("_V")
_HEADER_LINES = comment(HEADER_COMMENT).splitlines()
#: The comment an import writes at the top of a deck file, whatever file it names (quiz's, not hers).
_HEADER = re.compile(
    rb"(?:\xef\xbb\xbf)?"
    + rb"(?:\r\n|\r|\n)".join(
        re.escape(line.encode()).replace(re.escape(b"{name}"), rb"[^\r\n]*") for line in _HEADER_LINES
    )
    + rb"(?:\r\n|\r|\n|\Z)"
)


class UpdateRefused(Exception):
    """The deck file cannot be updated from this file; the message (one line) says why and what to do."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


TopicsBy = Literal["record", "names", "titles"]


@dataclass
class Plan:
    text: str | None  # the deck file's new text; None: the file stays as it is
    record: RecordText | None  # the import record's new text; None: it stays as it is
    notes: list[Note]  # the deck's notes afterwards
    merge: Merge | None = None  # None: a new deck
    replaces: str = ""  # what the deck file held, when it was another deck that --replace overwrites
    pictures: Pictures = field(default_factory=Pictures)  # what is written beside the deck, and what is yours
    pending: str | None = None  # the pending file naming the pictures about to be written, written before them
    found: tuple[int, str] | None = None  # the deck file's size and digest as the plan read it; None: no file
    dropped_comments: int = 0  # comments of hers the new deck file no longer has (--drop-comments)
    authors_comments: int = 0  # comments the file had when `quiz add` copied it, which the new deck file has not
    # the last import's homes of the Anki cards whose answers are logged under another key than the card the notes
    # now make first of them (cardhomes.homes_away)
    homes: Mapping[int, str] = field(default_factory=dict)
    moved: dict[str, str] = field(default_factory=dict)  # note id -> its topic before, for each note the update moves
    # how the moves' topics were found: by the record's Anki decks; by names made of her deck's and topics' titles
    # (a record keeping no Anki deck); by the topics' titles (no record)
    topics_by: TopicsBy = "record"
    # the notes of a text file (which carries no pictures, nor quiz's table sources) given those the deck has
    kept_from_deck: KeptFromDeck = field(default_factory=lambda: KeptFromDeck(0, 0, 0))
    # notes of a package given pictures it names and lacks (exported without media) from the deck's folder
    pictures_in_folder: int = 0
    sources_added: tuple[str, ...] = ()  # ids of the sources the file declares that the update adds to the deck's
    # the deck's pictures kept as it has them, though the file holds other bytes under their names: each (the
    # deck's path, the file's name for its picture: a YAML deck's `image:` path, a package's media name)
    pictures_yours_differ: tuple[tuple[str, str], ...] = ()
    # the notes kept as an earlier quiz read them, which Anki did not change and quiz now reads otherwise
    # (_read_as_before); none with `read_anew`
    read_as_before: list[Note] = field(default_factory=list)
    # the Anki decks the record's topics came from that she renamed in Anki since (each its id still): each
    # (its name before, its name now), of the deck she renamed (`Medicine`, not each of its subdecks)
    renamed_in_anki: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class KeptFromDeck:
    """How many notes of a text file have pictures, sources, either, as the deck has them (`_pictures_kept`)."""

    pictures: int
    sources: int
    notes: int


@dataclass(frozen=True)
class _Earlier:
    """What the import's result holds of the notes an earlier quiz read otherwise (ImportResult.earlier and its
    kin), taken off it as the plan starts."""

    readings: dict[str, tuple[Note, tuple[int, ...]]]  # ImportResult.earlier; none with --read-anew
    warnings: list[Problem]  # ImportResult.earlier_warnings
    reverse_before: set[str]  # ImportResult.reverse_before
    lacking: dict[str, tuple[Lacking, ...]]  # ImportResult.earlier_lacking


def plan(
    target: Path,
    result: ImportResult,
    source: str,
    *,
    replace_conflicts: bool,
    remove_missing: bool,
    drop_comments: bool,
    cached: Callable[[bytes], LoadResult | None] | None = None,
    read_anew: bool = False,
    record_at: Path | None = None,
    texts: bool = True,
    marked: Container[str] = frozenset(),
) -> Plan:
    """A new deck when `target` does not exist; else the update of it, refused when it does not load, when it is
    another deck (overwritten with `replace_conflicts`), a link leading nowhere, or when it would drop comments
    of hers (unless `drop_comments`: her own flag, so that taking the file's version of her conflicting edits
    never drops them, nor dropping them her edits). `source` is the imported file's name. `cached(data)`: the
    deck file's bytes as the deck cache has them parsed, when it does (None: parsed here). `read_anew`: a note an
    earlier quiz read otherwise, which Anki did not change, comes in as quiz reads it now (_read_as_before).
    `record_at`: the deck's import record when not yet beside `target` (where an import moves it from first).
    `texts`: False plans what the import does without making the deck's text and record (validate's question:
    for a shared deck, seconds), `text` and `record` None then. `marked`: the ids of the deck's notes the store marks,
    whose `marked` tag your own export writes (merge)."""
    # the notes as an earlier quiz read them are of use here alone: not held through the import (its history)
    read_before = _Earlier(
        {} if read_anew else result.earlier, result.earlier_warnings, result.reverse_before, result.earlier_lacking
    )
    result.earlier, result.earlier_warnings, result.reverse_before, result.earlier_lacking = {}, [], set(), {}
    if (where := dangling_target(target)) is not None:  # her deck on a drive not mounted: never taken for no deck
        raise UpdateRefused(
            f"{as_written(target)} is a link to {as_written(where)}, which is not there (a drive not connected?):"
            " connect it and import "
            "again, or remove the link to import the deck as a new file"
        )
    if not target.exists():
        return _new_deck(target, result, source, replace_conflicts)
    try:
        data = read_deck_bytes(target).data
    except DeckFileError as exc:
        raise UpdateRefused(f"{as_written(target)}: {exc.message}") from None
    planned = _plan_over_existing(
        target,
        data,
        result,
        source,
        replace_conflicts,
        remove_missing,
        drop_comments,
        cached,
        read_before,
        record_at,
        texts=texts,
        marked=marked,
    )
    planned.found = len(data), digest(data)
    return planned


def changed_since_planned(target: Path, planned: Plan) -> bool:
    """Whether the file at `target` no longer holds the bytes the plan read: an edit saved since (in place, or
    in the same second, as no time stamp tells), not a save that left the same bytes. The size first, so a
    file of another size is not read."""
    if planned.found is None:
        return os.path.lexists(target)
    size, found = planned.found
    try:
        if os.stat(target).st_size != size:
            return True
    except OSError:
        return True
    return file_digest(target) != found


def _plan_over_existing(
    target: Path,
    data: bytes,
    result: ImportResult,
    source: str,
    replace_conflicts: bool,
    remove_missing: bool,
    drop_comments: bool,
    cached: Callable[[bytes], LoadResult | None] | None,
    read_before: _Earlier,
    record_at: Path | None = None,
    *,
    texts: bool = True,
    marked: Container[str] = frozenset(),
) -> Plan:
    """The plan for a deck folder holding `data` at `target`: the update of that deck, or another deck replaced."""
    # Her deck from the deck cache when it has these bytes (the library has just read or parsed them): its notes
    # come back from marshal, without the parse's node trees, which a shared deck's would leave as tens of MB
    # among what the import holds. A cached deck with problems is parsed here, as its problems name the file.
    loaded = cached(data) if cached is not None else None
    if loaded is None or loaded.deck is None or errors(loaded.problems):
        loaded = parse_deck(data, str(target), check_files=False)
    found = errors(loaded.problems)
    if loaded.deck is None or found:
        raise UpdateRefused(
            f"{as_written(target)} has problems (above): fix them, then import again; the update keeps your edits, so"
            " it "
            "needs to read them",
            found,
        )
    yours = loaded.deck
    try:
        last = read_record(target, (data, yours), record_at)
    except UnreadableRecord as exc:
        raise UpdateRefused(f"{as_written(target)}: {exc}") from None
    _pictureless_taken(result, _picture_givers(yours, last))
    renamed: dict[str, str] = {}
    renames: tuple[tuple[str, str], ...] = ()
    if last is not None and result.collection is not None:
        shares = not set(last.guids.values()).isdisjoint(result.default_notes)
        ids = followed_ids(last.deck_ids, shares_notes=shares)
        renamed = renamed_in_anki(ids, result.collection.decks)
        renames = _renamed_decks(renamed, ids, result.collection.decks)
    if last is not None and renamed:
        last = _named_now(last, renamed)
    # the pictures the package lacks that the record names no file for: those the record's notes give them
    in_place, apart = _lacking_in_place(target.parent, result, last) if last else ({}, {})
    in_folder = _pictures_in_folder(target.parent, result, last, read_before, in_place, apart)
    read_as_before = _read_as_before(result, read_before.readings, read_before.warnings, last, yours)
    pictures_in_folder = sum(1 for note in result.notes if note.id in in_folder)
    shared = shares_notes(last, yours, result.notes)  # before a note changed in shape takes an id of its own
    _ids_kept(result, last, read_before.reverse_before)
    if not (shared or shares_notes(last, yours, result.notes) or _made_of_deck_taken(last, result)):
        origin = f"imported from {last.source}" if last else "not imported from it"
        if replace_conflicts:
            return _new_deck(target, result, source, True, replaces=f"deck '{yours.id}' ({origin})")
        raise UpdateRefused(
            f"{as_written(target)} holds deck '{yours.id}' ({origin}), which has none of the notes of {source}: it is"
            " another "
            "deck; pass --deck-id NEW_ID to import it as a deck of its own, or --replace to overwrite that one"
        )
    result.text = ""  # the package's deck as a new file: an update writes the deck's own (tens of MB, let go)
    pending = read_pending(target)
    result, names = _names_kept(target.parent, result, yours, last, pending)
    if in_place:  # recorded: the next package without media finds them by their names; a guess is not recorded
        names = names_to_record(_named_in_place(target.parent, result.deck_id, in_place), names)
    as_yours = _topics_as_yours(yours, result, last)
    notes, differing = _pictures_as_yours(target.parent, yours, as_yours.notes, result.media)
    notes, kept = (notes, KeptFromDeck(0, 0, 0)) if result.carries_pictures else _pictures_kept(notes, yours, last)
    exported_by_her = is_her_export(last, result.guids)
    compared, yours_compared = _read_anew(
        last if result.carries_pictures else _pictures_not_compared(last, yours), yours, notes, result.guids
    )
    merged = merge(
        compared,
        yours_compared,
        notes,
        replace_conflicts=replace_conflicts,
        remove_missing=remove_missing,
        her_export=exported_by_her,
        left_out=_left_out(result, last, yours),
        marked=marked,
    )
    if not result.carries_pictures and last is not None:
        merged.base = [_held_by_deck(last.notes.get(note.id), note) for note in merged.base]
    shown = {path for note in merged.notes for path in note.all_images}  # not yours under your names, nor deleted
    if any(picture.sound for picture in result.media.values()):  # and the sound files the notes name
        shown.update(path for note in merged.notes for path in sound_paths(result.deck_id, note))
    pictures_yours_differ = tuple(sorted((path, name) for path, name in differing.items() if path in shown))
    pictures = pictures_to_write(
        target.parent,
        {path: picture for path, picture in result.media.items() if path in shown},
        last.pictures if last else {},
        pending,
        replace_conflicts=replace_conflicts,
    )
    topic_before = {note.id: note.topic for note in yours.notes}
    moved = {n.id: topic_before[n.id] for n in merged.notes if topic_before.get(n.id, n.topic) != n.topic}
    topics_by: TopicsBy = "titles" if last is None else "names" if last.topic_decks is None else "record"
    added = _sources_added(yours, result.sources, merged.notes)
    rewritten = [replace(n, line=0) for n in merged.notes] != [replace(n, line=0) for n in yours.notes]
    # her comments are looked for before the new text is made: the scan (her file decoded, a shared deck's 10 MB,
    # and its tokens) is let go before the text is made, not held beside it at the update's peak
    in_file = her_comments(data) if rewritten else []
    hers = _not_the_authors(in_file, last.comments if last else ())
    if hers and not drop_comments:
        _refuse_comments(target, hers, recorded=last is not None)
    text = None
    if rewritten and texts:
        declared = {topic.id for topic in yours.topics}
        used = {note.topic for note in merged.notes}
        topics = [*yours.topics, *(t for t in as_yours.topics if t.id not in declared and t.id in used)]
        text = deck_text(
            yours.id,
            yours.title,
            merged.notes,
            description=yours.description,
            sources=[*yours.sources, *added],
            topics=topics,
            header=HEADER_COMMENT.format(name=source),
        )
    _check_sources(target, [*yours.sources, *added], merged.notes, source)
    # Her export of the deck names each note by a GUID of quiz's: a note the record knows by another keeps that
    # one (Anki's), by which the shared deck's next version finds the deck
    earlier = last.guids if last else {}
    known = {
        **earlier,
        **{n: guid for n, guid in result.guids.items() if n not in earlier or deck_of_guid(guid) is None},
    }
    guids = {note.id: known[note.id] for note in merged.base if note.id in known}
    base = {note.id: replace(note, line=0) for note in merged.base}
    earlier_homes = last.homes if last else {}
    away = homes_away(earlier_homes, result.deck_id, merged.notes, result.anki_cards)
    homes = homes_after(earlier_homes, card_keys(result.deck_id, result.notes, result.anki_cards, result.guids))
    record: RecordText | None
    # the file the deck came from stays named while a package of one subdeck leaves the rest of it (_left_out)
    came_from = last.source if last is not None and merged.left_out else source
    took = _took(result, last)
    deck_ids = _deck_ids(result, [*as_yours.decks.values(), *([took] if took else [])], last)
    if not texts:
        record = None
    elif (
        last is not None
        and not renamed
        and (
            last.source,
            last.notes,
            last.guids,
            last.pictures,
            last.names,
            last.homes,
            last.topic_decks,
            last.deck_ids,
            last.took,
        )
        == (
            came_from,
            base,
            guids,
            pictures.recorded,
            names,
            homes,
            as_yours.decks,
            deck_ids,
            took,
        )
    ):  # the same import again: the record kept
        record = None
    else:
        same = text is not None and list(base.values()) == [replace(n, line=0) for n in merged.notes]
        written = text if same and text is not None else base_text(result.deck_id, merged.base)  # no edits of yours
        # the author's comments stay in a file not written anew: still not hers at the next update
        authors = last.comments if last is not None and text is None else ()
        record = record_text(
            came_from, written, guids, pictures.recorded, names, homes, as_yours.decks, deck_ids, authors, took
        )
    return Plan(
        text,
        record,
        merged.notes,
        merged,
        pictures=pictures,
        pending=_pending(pending, pictures),
        dropped_comments=len(hers),
        authors_comments=len(in_file) - len(hers),
        homes=away,
        moved=moved,
        topics_by=topics_by,
        kept_from_deck=kept,
        pictures_in_folder=pictures_in_folder,
        sources_added=tuple(s.id for s in added),
        pictures_yours_differ=pictures_yours_differ,
        read_as_before=read_as_before,
        renamed_in_anki=renames,
    )


def _took(result: ImportResult, last: ImportRecord | None) -> str | None:
    """The Anki deck the deck was made of, for its record: as the record says (a whole collection's pass of the
    notes it holds names their top-level deck, though the deck was made of one subdeck of it alone); for a new deck,
    the one the import took; for a record an older quiz wrote, keeping none, the top-level deck the import took,
    unless the record's topics tell the deck was made of one subdeck of it alone (a subdeck taken alone: not known)."""
    if last is None:
        return result.took or None
    if last.took is not None or not result.took or "::" in result.took:
        return last.took
    came = (last.topic_decks or {}).values()
    return None if made_of_subdeck_alone(came, result.deck_id, result.took) else result.took


def _made_of_deck_taken(last: ImportRecord | None, result: ImportResult) -> bool:
    """Whether the deck was made of the Anki deck the package's notes are taken from (`result.took`), by its Anki id
    (the record's `took`, named as the package names it): the same deck, though she deleted in Anki every note it
    came in with."""
    if last is None or last.took is None or result.collection is None or not result.took:
        return False
    anki_id = last.deck_ids.get(last.took)
    # never by Default's id alone: it is the same in every collection, another person's too
    found = result.collection.decks.get(anki_id) if anki_id not in (None, ANKI_DEFAULT_DECK) else None
    return found is not None and same_deck("::".join(found), result.took)


def _named_now(last: ImportRecord, renamed: Mapping[str, str]) -> ImportRecord:
    """The record with each Anki deck she renamed in Anki (`renamed`: its name before -> now) under its name now:
    the same deck, so its topics are the same."""
    topic_decks = last.topic_decks
    if topic_decks is not None:
        topic_decks = {topic: renamed.get(deck, deck) for topic, deck in topic_decks.items()}
    deck_ids = {renamed.get(deck, deck): anki_id for deck, anki_id in last.deck_ids.items()}
    took = renamed.get(last.took, last.took) if last.took is not None else None
    return replace(last, topic_decks=topic_decks, deck_ids=deck_ids, took=took)


def _deck_ids(result: ImportResult, decks: Iterable[str], last: ImportRecord | None) -> dict[str, int]:
    """The Anki id of each of the Anki decks `decks` (the record's topics'), for the record: the last record's (its
    decks named as the package names their ids: an Anki deck keeps its id when she renames it; an id the package
    lacks is a deck deleted in Anki or left out, never a new deck given its name since), else the package's."""
    found = result.collection.decks if result.collection else {}
    now = {"::".join(path): anki_id for anki_id, path in found.items()}
    earlier = last.deck_ids if last is not None else {}
    return {deck: anki_id for deck in decks if (anki_id := earlier.get(deck, now.get(deck))) is not None}


def _renamed_decks(
    renamed: Mapping[str, str], ids_before: Mapping[str, int], decks_now: Mapping[int, tuple[str, ...]]
) -> tuple[tuple[str, str], ...]:
    """The Anki decks she renamed, of the record's decks renamed so (`renamed`: its name before -> now): a deck
    renamed within one renamed above it (`Medicine::Renal`, `Medicine` renamed) is that one's rename. Only when the
    deck above is the same Anki deck (`_same_anki_deck`): `Medicine::Cardio` moved under `Sprachen` is its own."""
    ids_now = {"::".join(path): anki_id for anki_id, path in decks_now.items()}
    pairs: set[tuple[str, str]] = set()
    for before, now in renamed.items():
        old, new = before.split("::"), now.split("::")
        while len(old) > 1 and len(new) > 1 and old[-1] == new[-1]:
            if not _same_anki_deck("::".join(old[:-1]), "::".join(new[:-1]), ids_before, ids_now):
                break
            old, new = old[:-1], new[:-1]
        pairs.add(("::".join(old), "::".join(new)))
    return tuple(sorted(pairs))


def _same_anki_deck(before: str, now: str, ids_before: Mapping[str, int], ids_now: Mapping[str, int]) -> bool:
    """Whether the Anki deck named `before` at the last import is the one named `now`: its id then (the record's,
    else the package's deck of that name) is that deck's; one of unknown id, gone under that name, is taken to be."""
    anki_id = ids_before.get(before, ids_now.get(before))
    return anki_id is None or anki_id == ids_now.get(now)


def _new_deck(target: Path, result: ImportResult, source: str, replace_conflicts: bool, replaces: str = "") -> Plan:
    """The file's deck as it is, its record made of what quiz writes (no earlier record is read: a picture
    already in the folder that differs from the file's is yours, unless an import that stopped wrote it)."""
    _pictureless_taken(result, set())
    pending = read_pending(target)
    pictures = pictures_to_write(target.parent, result.media, {}, pending, replace_conflicts=replace_conflicts)
    names = {picture.name: PurePosixPath(path).name for path, picture in result.media.items()}
    homes = card_keys(result.deck_id, result.notes, result.anki_cards, result.guids)
    took = result.took or None
    deck_ids = _deck_ids(result, [*result.topic_decks.values(), *([took] if took else [])], None)
    record = record_text(
        source, result.text, result.guids, pictures.recorded, names, homes, result.topic_decks, deck_ids, took=took
    )
    return Plan(
        result.text, record, result.notes, replaces=replaces, pictures=pictures, pending=_pending(pending, pictures)
    )


def _read_as_before(
    result: ImportResult,
    earlier: dict[str, tuple[Note, tuple[int, ...]]],
    warnings: list[Problem],
    last: ImportRecord | None,
    yours: Deck,
) -> list[Note]:
    """Keep, as the last import wrote it, each note an earlier quiz read otherwise (`earlier`, ImportResult's: a cloze
    whose gaps share a number, one cloze then, or a reverse pair whose templates add words, one reverse note then;
    a note per Anki card now) that Anki did not change since: its Anki note read that earlier way gives the record's
    note again (its topic aside: a card moved to another Anki deck moves it, as any note). In `result` itself, the
    notes of its GUID give way to it, with its Anki cards, so the update finds the deck's note, its cards and their
    history where they are: no note gone, none new. Returns the notes kept so that `yours` holds (not one she
    deleted), whose reader's warnings now say so (`warnings`: ImportResult.earlier_warnings, those said only here)."""
    if last is None or not earlier:
        return []
    recorded: dict[str, list[str]] = {}  # GUID -> the record's notes of it, of those GUIDs only
    for note_id, guid in last.guids.items():
        if guid in earlier:
            recorded.setdefault(guid, []).append(note_id)
    made = {guid for guid in result.guids.values() if guid in earlier}
    # only while the record holds that one note of it, and the package none of the notes it makes now
    candidates = {
        guid: note
        for guid, (note, _) in earlier.items()
        if guid in made and recorded.get(guid) == [note.id] and note.id in last.notes
    }
    recorded_files = _recorded_files(result, last, yours, list(candidates.values()))
    kept = {
        guid: note
        for guid, note in candidates.items()
        if (before := last.notes.get(note.id)) is not None
        and _as_recorded(note, before, result, recorded_files)
        == _recorded_as_read(before, note, result, recorded_files)
    }
    if not kept:
        return []
    notes: list[Note] = []
    for note in result.notes:
        guid = result.guids.get(note.id, "")
        if guid not in kept:
            notes.append(note)
            continue
        earlier_note, anki_cards = earlier[guid]
        if earlier_note.id not in result.guids:  # in place of the first note made of it now
            notes.append(earlier_note)
            result.lines[earlier_note.id] = result.lines.get(note.id, 0)
            if anki_cards:  # none from a text export
                result.anki_cards[earlier_note.id] = anki_cards
        for keyed in (result.anki_cards, result.guids, result.lines):
            keyed.pop(note.id, None)
        result.guids[earlier_note.id] = guid
    result.notes = notes
    held = {note.id for note in yours.notes}
    listed = [note for note in kept.values() if note.id in held]
    at = {result.lines[note.id]: note.kind for note in listed if result.lines.get(note.id)}
    problems = sorted([*result.problems, *(p for p in warnings if p.line in at)], key=lambda p: p.line)
    result.problems = [
        replace(p, message=p.message.removesuffix(CARD_BY_CARD) + kept_as_before(at[p.line]))
        if p.line in at and p.message.endswith(CARD_BY_CARD)
        else p
        for p in problems
    ]
    return listed


def _pictures_in_folder(
    deck_folder: Path,
    result: ImportResult,
    last: ImportRecord | None,
    earlier: _Earlier,
    in_place: Mapping[str, str],
    apart: Mapping[str, Mapping[str, str]],
) -> set[str]:
    """Give each note of a package the pictures and sound files it names and lacks (exported without media) that
    the last import wrote in the deck's folder under those names, there still, in their places (a sound's
    reference naming its file): Anki, whose media folder has them, shows them still, so the note did not change.
    In `result` itself (its notes, their warnings) and `earlier` (its readings). One the folder lacks too (she
    deleted it, or the note names one the record does not) stays left out, its warning said. Returns the ids of
    the notes given some. A picture whose file the record does not name (a record older than the names it keeps,
    or written by an import of some of her Anki decks alone) takes the file its note showed in that place
    (`in_place`, and `apart` by note: _lacking_in_place's)."""
    names = {**in_place, **(last.names or {})} if last is not None else {}
    if last is None or not (names or apart) or result.from_deck_file or not (result.lacking or earlier.lacking):
        return set()  # a package with its media: no file looked at
    folder = media_folder(result.deck_id)
    named = {_kind(picture) for lacking in (*result.lacking.values(), *earlier.lacking.values()) for picture in lacking}
    files = {
        (name, sound): path
        for name, sound in named
        if (file := names.get(name)) is not None and (path := _picture_file(deck_folder, folder, file, sound=sound))
    }
    # a name no picture's file has (the folder's, the record's, the package's own: it wins), nor two given one file
    taken = {
        file.casefold()
        for file in (
            *entries(deck_folder / folder),
            *names.values(),
            *_in_folder(folder, last.pictures),
            *_in_folder(folder, result.media),
        )
    }
    renamed = _renamed_from_folder(deck_folder, folder, sorted(named - files.keys()), names, result.media, taken)
    files |= {(name, False): path for name, (path, _) in renamed.items()}
    # what the warning of each picture so given says: kept under its format's name, or kept as the note showed it
    said_of = _in_place_warnings(deck_folder / folder, in_place) | {name: said for name, (_, said) in renamed.items()}
    # a note whose picture others name too, each having shown another file in its place: its own, said by line
    own = {note_id: _own_files(deck_folder, folder, shown) for note_id, shown in apart.items()}
    said_on = {
        result.lines.get(note_id, 0): _in_place_warnings(deck_folder / folder, shown)
        for note_id, shown in apart.items()
    }
    given: set[str] = set()
    found: dict[int, list[Lacking]] = {}  # by line, the pictures and sounds whose warnings no longer hold
    for note_id, lacking in result.lacking.items():
        its = files | own.get(note_id, {})
        if any(_kind(picture) in its for picture in lacking):
            given.add(note_id)
            found.setdefault(result.lines.get(note_id, 0), []).extend(p for p in lacking if _kind(p) in its)
    result.problems = [
        said
        for p in result.problems
        if (said := _lacking_said(p, found.get(p.line, ()), said_of | said_on.get(p.line, {}))) is not None
    ]
    result.notes = [
        _with_lacking(note, result.lacking[note.id], files | own.get(note.id, {})) if note.id in given else note
        for note in result.notes
    ]
    for guid, lacking in earlier.lacking.items():
        if guid in earlier.readings and any(_kind(picture) in files for picture in lacking):
            note, anki_cards = earlier.readings[guid]
            earlier.readings[guid] = _with_lacking(note, lacking, files), anki_cards
            given.add(note.id)
    return given


#: How a picture the package lacks is named in its place on a note by `_lacking_in_place`: a path no picture has.
_LACKING = "\0"


def _lacking_in_place(
    deck_folder: Path, result: ImportResult, last: ImportRecord
) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Each picture a note of the package lacks (by its name there) whose file the record does not name (a record
    older than the names it keeps, or whose names an import of some of her Anki decks alone wrote) -> the file of
    the deck's folder the record's note (the same, by id) showed under the picture's own name (`_named_for`,
    wherever on the note: moved, or pictures added beside it); else the file it showed in its place (`_in_place`:
    among as many pictures, or as many on its side), unless the record names that file for another picture, or
    the note showed it under another of its pictures' own names: then Anki swapped it for this one, which is left
    out and named. Whether other notes show that file too does not matter: none is written, the note shows what
    it showed. A file so found for several of the package's pictures (different pictures in Anki) goes to the one
    it is named for, if any (`_one_picture_a_file`). None for a sound file (a quiz that kept no names kept none).
    Those under a name an import gives them are recorded by the update, so the next such package finds them by
    name (`_named_in_place`).
    Apart, by note: a picture several notes name whose files there differ (Anki gave one of them another's
    picture): each keeps its own, none taking another's, and none is recorded."""
    folder = media_folder(result.deck_id)
    known = last.names or {}
    others = {file.casefold() for file in known.values()}  # files the record says are another picture's
    by_note: dict[str, dict[str, str]] = {}
    for note in result.notes:
        lacking = [p for p in result.lacking.get(note.id, ()) if not p.sound]
        if all(p.name in known for p in lacking) or (before := last.notes.get(note.id)) is None:
            continue
        # first the file the note showed under the picture's own name (moved, or pictures added beside it): surely
        # its own, so no other picture of it takes that file by its place
        shown = {
            name: own
            for name in {p.name for p in lacking} - known.keys()
            if (own := _shown_under_its_name(deck_folder, folder, name, before, others)) is not None
        }
        owned = others | {file.casefold() for file in shown.values()}
        # every picture it lacks in its place, named ones too: the note names as many as the package shows
        placed = _with_lacking(note, lacking, {_kind(p): _LACKING + p.name for p in lacking})
        for path, file in _files_in_place(folder, placed, before):
            name = path.removeprefix(_LACKING)
            if path.startswith(_LACKING) and name not in known and file.casefold() not in owned:
                shown.setdefault(name, file)
        if shown:
            by_note[note.id] = shown
    by_note = _one_picture_a_file(deck_folder / folder, by_note)
    files_of: dict[str, set[str]] = {}
    for shown in by_note.values():
        for name, file in shown.items():
            files_of.setdefault(name, set()).add(file)
    differing = {
        name for name, files in files_of.items() if len({file_digest(deck_folder / folder / f) for f in files}) > 1
    }
    found = {name: min(files) for name, files in files_of.items() if name not in differing}
    apart = {
        note_id: {name: file for name, file in shown.items() if name in differing}
        for note_id, shown in by_note.items()
        if differing.intersection(shown)
    }
    return found, apart


def _named_in_place(deck_folder: Path, deck_id: str, in_place: Mapping[str, str]) -> dict[str, str]:
    """The pictures `_lacking_in_place` gave a file under a name an import gives them (`_named_for`): surely theirs.
    A file under another name (`heart.png` where Anki names `heart-new.png`) may be another picture's, so it is
    not recorded as this one's: a package with its media would write this picture's bytes over it."""
    folder = deck_folder / media_folder(deck_id)
    return {name: file for name, file in in_place.items() if _named_for(folder, name, file)}


def _shown_under_its_name(
    deck_folder: Path, folder: str, name: str, before: Note, others: Container[str]
) -> str | None:
    """The file of `folder` the record's note `before` showed, anywhere among its pictures, under a name an import
    gives the picture `name` (`_named_for`: the same picture, as Anki names each of its files once), unless the
    record names it for another (`others`, casefolded)."""
    showed = sorted({file for path in before.all_images if (file := _file_in(folder, path)) is not None})
    return next((f for f in showed if f.casefold() not in others and _named_for(deck_folder / folder, name, f)), None)


def _one_picture_a_file(folder: Path, by_note: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """`by_note` (note id -> each picture it lacks, by its name in the package -> the file its note showed there)
    with each file given to one picture only: the package names its pictures apart, so a file found for two is at
    most one's, the one picture it is named for (`_named_for`); the others are left out (else the next package with its
    media writes one over the other, a note then showing another's picture)."""
    claims: dict[str, set[tuple[str, str]]] = {}  # each file, casefolded -> the pictures found for it, with it
    for shown in by_note.values():
        for name, file in shown.items():
            claims.setdefault(file.casefold(), set()).add((name, file))
    owner = {}
    for key, found in claims.items():
        names = {name for name, _ in found}
        named_for = {name for name, file in found if _named_for(folder, name, file)}
        if len(names) == 1 or len(named_for) == 1:  # two named for it (`Heart.png`, `heart.png`): neither's
            owner[key] = min(named_for or names)
    return {
        note_id: kept
        for note_id, shown in by_note.items()
        if (kept := {name: file for name, file in shown.items() if owner.get(file.casefold()) == name})
    }


def _picture_file(deck_folder: Path, folder: str, file: str, *, sound: bool = False) -> str | None:
    """The path of `file` in `folder` when the deck's folder has it as a file a picture (or a sound, `sound`) may
    take: of that kind by its name (a picture never takes a sound's file), and plain."""
    fits = is_sound_file(file) if sound else is_picture_name(file)
    return f"{folder}/{file}" if fits and is_plain(file) and (deck_folder / folder / file).is_file() else None


def _own_files(deck_folder: Path, folder: str, shown: Mapping[str, str]) -> dict[tuple[str, bool], str]:
    """The pictures of one note `shown` (each by its name in the package -> its file in `folder`), by `_kind`, each
    to its path, when the deck's folder has it as a picture's file."""
    return {(name, False): path for name, file in shown.items() if (path := _picture_file(deck_folder, folder, file))}


def _named_for(folder: Path, name: str, file: str) -> bool:
    """Whether `file` in `folder` is under a name an import gives the picture `name` (its own, `safe_name`'s, or
    its format's: `pic.png` for `pic.bat` holding a PNG), not an older quiz's (`heart-2.png`) or another's."""
    named = safe_name(name, set())
    picture_format = _picture_format(folder / file)
    given = {name, named, picture_name(named, picture_format) if picture_format else named}
    return file.casefold() in {one.casefold() for one in given}


def _in_place_warnings(folder: Path, in_place: Mapping[str, str]) -> dict[str, str]:
    """The warnings of the pictures `_lacking_in_place` gave a file not under the name an import gives the picture
    now (`safe_name`, or its format's: `pic.png` for `pic.bat` holding a PNG): an older quiz's name (`heart .png`,
    `heart-2.png`), or another picture Anki put in its place; kept, as the student saw it, and said."""
    return {
        name: kept_in_place_warning(name, file) for name, file in in_place.items() if not _named_for(folder, name, file)
    }


def _renamed_from_folder(
    deck_folder: Path,
    folder: str,
    named: Iterable[tuple[str, bool]],
    names: Mapping[str, str],
    media: dict[str, Picture],
    taken: set[str],
) -> dict[str, tuple[str, str]]:
    """The pictures notes lack (`named`, by `_kind`) whose files the last import wrote under names no picture has
    (`pic.bat` holding a PNG, as an earlier quiz kept it; a deck showing it does not load): each by its name -> the
    path it is kept under now, its format's name (`pic.png`, as a package's `pic.bat` is named; numbered when a
    name in `taken`, casefolded, has it: `pic-2.png`), and the warning saying so. Its bytes go into `media`, to be
    written under that name (the file in the folder stays: hers)."""
    found: dict[str, tuple[str, str]] = {}
    for name, sound in named:
        file = names.get(name)
        if sound or file is None or is_picture_name(file) or not is_plain(file):
            continue
        path = deck_folder / folder / file
        picture_format, digest_of = _picture_format(path), file_digest(path)
        if picture_format is None or digest_of is None:
            continue
        kept = safe_name(picture_name(file, picture_format), taken)
        media[f"{folder}/{kept}"] = Picture(path.read_bytes, digest_of, name, kept)
        found[name] = (f"{folder}/{kept}", renamed_warning(name, picture_format, kept))
    return found


def _picture_format(path: Path) -> str | None:
    """The picture format of the file at `path` (`image_format`); None when it is none, or cannot be read."""
    try:
        with path.open("rb") as file:
            return image_format(file.read(16)) if path.is_file() else None
    except OSError:
        return None


def _lacking_said(problem: Problem, found: Sequence[Lacking], said_of: Mapping[str, str]) -> Problem | None:
    """A warning of the file, once the deck's folder gave a note the pictures and sounds `found`: one saying it
    lacks one of them goes, or says what `said_of` says of the picture (kept under its format's name, or as the
    file its note showed in its place)."""
    lacking = next((lacking for lacking in found if says_lacking(problem.message, lacking)), None)
    if lacking is None:
        return problem
    if not lacking.sound and lacking.name in said_of:
        return replace(problem, message=said_of[lacking.name])
    return None


def _kind(lacking: Lacking) -> tuple[str, bool]:
    """A picture or sound file a note lacks by its name and whether it is a sound: its file must be of that kind."""
    return lacking.name, bool(lacking.sound)


def _with_lacking(note: Note, lacking: Sequence[Lacking], files: Mapping[tuple[str, bool], str]) -> Note:
    """`note` with each picture it `lacking` that has a file (`files`, by `_kind`) in its place, and each sound
    reference naming its file."""

    def placed(present: tuple[str, ...], answer: bool) -> tuple[str, ...]:
        at = {p.place: files.get(_kind(p)) for p in lacking if p.answer == answer and not p.sound}
        rest = iter(present)
        slots = [at[place] if place in at else next(rest, None) for place in range(len(present) + len(at))]
        return tuple(dict.fromkeys(path for path in (*slots, *rest) if path is not None))

    sounds = {p.sound: PurePosixPath(files[_kind(p)]).name for p in lacking if p.sound and _kind(p) in files}
    pictured = replace(note, images=placed(note.images, False), answer_images=placed(note.answer_images, True))
    return with_sounds_renamed(pictured, sounds) if sounds else pictured


@dataclass(frozen=True)
class _Recorded:
    """The package's pictures and sound files under the files the last import gave them (_recorded_files)."""

    files: dict[str, str]  # each by its path in the result -> the path of its file, where the record knows one
    sounds: dict[str, str]  # a sound file's name as the package's notes name it -> its file's, where they differ
    # a sound file's name in the package (as an earlier quiz, which kept no sound file, wrote its reference) -> the
    # name the package's notes give it, as `sounds` renames it
    sounds_in_package: dict[str, str]


def _recorded_files(result: ImportResult, last: ImportRecord, yours: Deck, candidates: list[Note]) -> _Recorded:
    """Each of the package's pictures and sound files (by its path in `result`) under the file the last import gave
    it, known as the update knows it (kept_names, as _names_kept, were the `candidates` kept in place of those made of
    their Anki notes now: by the name the record gives it, the bytes recorded of a file, one renamed in Anki
    keeping its file, or the file the note showed there); one the record knows no way keeps its path."""
    folder = media_folder(result.deck_id)
    digests = {picture.name: picture.digest for picture in result.media.values()}
    recorded = _in_folder(folder, last.pictures)
    in_place, on_note = _shown_before(folder, replace(result, notes=candidates), last, yours)
    names = kept_names(digests, last.names or {}, recorded, in_place, on_note)
    known = {file.casefold() for file in (*recorded, *(last.names or {}).values())}
    files = {
        path: f"{folder}/{names[picture.name]}"
        for path, picture in result.media.items()
        if names[picture.name].casefold() in known
    }
    sounds = _sounds_renamed(files, result.media)
    in_package = {
        picture.name: kept
        for path, picture in result.media.items()
        if picture.sound and picture.name != (kept := sounds.get(PurePosixPath(path).name, PurePosixPath(path).name))
    }
    return _Recorded(files, sounds, in_package)


def _sounds_renamed(paths: Mapping[str, str], media: Mapping[str, Picture]) -> dict[str, str]:
    """The sound files `paths` renames (each by its path in the result -> the path it is kept under), by the name
    a note's `[sound:name]` gives each: the name it is kept under."""
    return {
        PurePosixPath(path).name: PurePosixPath(kept).name
        for path, kept in paths.items()
        if path != kept and media[path].sound
    }


def _media_renamed(note: Note, paths: Mapping[str, str], sounds: Mapping[str, str]) -> Note:
    """`note` showing each picture under the path `paths` gives it (by its path in the result), and its sound
    references naming the file `sounds` gives each (_sounds_renamed of `paths`): one rule for both, as a sound is
    kept as a picture is."""
    pictured = note.with_all_images([paths.get(path, path) for path in note.all_images])
    return with_sounds_renamed(pictured, sounds) if sounds else pictured


def _recorded_as_read(before: Note, note: Note, result: ImportResult, recorded: _Recorded) -> Note:
    """The record's `before` as the package can show it: its sounds an earlier quiz wrote as Anki names them (no
    file kept then: `.say.mp3`) named as the package's notes are (_as_recorded), and without the pictures `note`
    does not show (the `<img>` removed in Anki, whether or not the package carries the picture for another note;
    one a package without media lacks and the deck's folder has is on `note` already: _pictures_in_folder): an
    ordinary note is updated without them, and so is such a note, kept."""
    if recorded.sounds_in_package:
        before = with_sounds_renamed(before, recorded.sounds_in_package)
    if not result.carries_pictures:
        return before
    shown = {recorded.files.get(path, path) for path in note.all_images}  # under the files `before` names
    return replace(
        before,
        images=tuple(path for path in before.images if path in shown),
        answer_images=tuple(path for path in before.answer_images if path in shown),
    )


def _as_recorded(note: Note, before: Note, result: ImportResult, recorded: _Recorded) -> Note:
    """The package's `note` as the last import would have written it, to tell whether it is the record's `before`:
    its topic, and its pictures and sound references under the files that import gave them (`recorded`:
    _recorded_files; the package names them otherwise when a name clashed or Anki renamed one, and they are named
    so only later: _names_kept), the same pictures shown apart as `before` shows them (_READINGS: read anew, not
    changed in Anki), a text file's note with `before`'s."""
    pictured = _media_renamed(note, recorded.files, recorded.sounds)
    # a text file carries none: one it lacks is no change (_pictures_kept)
    if not result.carries_pictures or sorted(pictured.all_images) == sorted(before.all_images):
        pictured = _pictures_of(before, pictured)
    return replace(pictured, topic=before.topic)


def _ids_kept(result: ImportResult, last: ImportRecord | None, reverse_before: Container[str]) -> None:
    """Give each of the package's notes whose Anki note changed shape since the last import the id under which
    its cards are where their answers are logged (cardhomes.ids_kept), in `result` itself (its notes, their
    Anki cards, GUIDs and lines): else it would be a note gone and a new one. Not a note of an Anki note an earlier
    quiz read as one reverse note (`reverse_before`, by GUID) not kept so: its first card's note would take that
    reverse note's id as a basic note, which starts its card again (a kind changed), and leaves the reverse card's
    history on no card; its notes come in new, the reverse note listed as gone, with its history, as a cloze's."""
    if last is None:
        return
    renamed = ids_kept(result.deck_id, result.notes, result.anki_cards, result.guids, last.guids, last.homes)
    renamed = {
        note_id: kept
        for note_id, kept in renamed.items()
        if kept not in last.guids or result.guids.get(note_id) not in reverse_before
    }
    if not renamed:
        return

    def kept(keyed: Mapping[str, _V]) -> dict[str, _V]:
        return {renamed.get(key, key): value for key, value in keyed.items()}

    result.notes = [replace(note, id=renamed.get(note.id, note.id)) for note in result.notes]
    result.anki_cards, result.guids, result.lines = kept(result.anki_cards), kept(result.guids), kept(result.lines)


def _names_kept(
    deck_folder: Path, result: ImportResult, yours: Deck, last: ImportRecord | None, pending: Mapping[str, object]
) -> tuple[ImportResult, dict[str, str]]:
    """The result with each picture under the file name the last import gave it, and new ones under names that
    clash with none it knows (quiz.core.importers.pictures.kept_names); and the names to record."""
    folder = media_folder(result.deck_id)
    earlier = last.names if last else None
    recorded = _in_folder(folder, last.pictures if last else {})
    # A file no import wrote is hers (her own note's picture): a new picture takes another name, so that neither
    # note shows the other's, nor --replace writes over it. Known only from a record that names every file.
    hers: set[str] = set()
    if earlier is not None:
        hers = entries(deck_folder / folder) - {*recorded, *earlier.values(), *_in_folder(folder, pending)}
    digests = {picture.name: picture.digest for picture in result.media.values()}
    in_place, on_note = _shown_before(folder, result, last, yours)
    ids = {note.id for note in result.notes}
    # the files her deck's other notes show (her own, and those gone from the package): still shown after it
    with_sounds = any(picture.sound for picture in result.media.values())
    left = {
        file
        for n in yours.notes
        if n.id not in ids
        for path in (*n.all_images, *(sound_paths(yours.id, n) if with_sounds else ()))
        if (file := _file_in(folder, path))
    }
    file_names = {picture.name: picture.file_name for picture in result.media.values()}
    names = kept_names(digests, earlier or {}, recorded, in_place, on_note, left, hers, file_names)
    # a picture named for its format (`pic.bat` holding a PNG) by an import before, its file named so still: said then
    named_before = [
        name
        for name, file in names.items()
        if earlier is not None and earlier.get(name) == file and not is_picture_name(PurePosixPath(name).name)
    ]
    result.problems = [p for p in result.problems if not any(says_renamed(p.message, n) for n in named_before)]
    paths = {path: f"{folder}/{names[picture.name]}" for path, picture in result.media.items()}
    # Her own export names her pictures by their files: such a name does not displace the one the record gives a
    # file (a picture of the shared deck's, which its next version may bring). Few are asked: no file read else.
    given = {file.casefold(): name for name, file in (earlier or {}).items()}
    displacing = {name for name, file in names.items() if given.get(file.casefold(), name) != name}
    own = _her_exported(deck_folder, yours, result, displacing) if displacing else set()
    to_record = {name: file for name, file in names.items() if name not in own}
    if any(path != kept for path, kept in paths.items()):
        sounds = _sounds_renamed(paths, result.media)  # a reference names the file its sound is kept under
        notes = [_media_renamed(note, paths, sounds) for note in result.notes]
        result = replace(result, notes=notes, media={paths[path]: picture for path, picture in result.media.items()})
    return result, names_to_record(earlier or {}, to_record)


def _her_exported(deck_folder: Path, yours: Deck, result: ImportResult, among: set[str]) -> set[str]:
    """Those of the package's pictures `among` (by name there) that her export of the deck wrote: each under the
    name quiz's export gives the picture her note shows in its place, with the bytes her file holds."""
    mine = {note.id: note for note in yours.notes}
    exported = names_in_package(yours)
    return {
        result.media[theirs].name
        for note in result.notes
        for theirs, path in _in_place(note, mine.get(note.id))
        if theirs in result.media
        and result.media[theirs].name in among
        and result.media[theirs].file_name == exported[path]
        and _same_bytes(deck_folder / path, result.media[theirs])
    }


def _shown_before(
    folder: str, result: ImportResult, last: ImportRecord | None, yours: Deck
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """For each of the package's pictures (by its name there), the files in `folder` the record's note showed (the
    same note, by id, so by GUID): in its place among as many pictures, unless another note of her deck shows that
    file now and keeps it (its picture, not this one: the package does not show this picture there too), and
    anywhere among the note's pictures."""
    in_place: dict[str, set[str]] = {}
    on_note: dict[str, set[str]] = {}
    if last is None:
        return in_place, on_note
    # each file her deck's notes show, with the package's picture (by its name there) each note shows in its place
    shown_by: dict[str, dict[str, str | None]] = {}
    theirs = {note.id: note for note in result.notes}
    for mine in yours.notes:
        taking = dict(_in_place(theirs[mine.id], mine)) if mine.id in theirs else {}
        moved = {path: result.media[new].name for new, path in taking.items() if new in result.media}
        for path in mine.all_images:
            if (file := _file_in(folder, path)) is not None:
                shown_by.setdefault(file.casefold(), {})[mine.id] = moved.get(path)
    for note in result.notes:
        before = last.notes.get(note.id)
        if before is None:
            continue
        files = {file for was in before.all_images if (file := _file_in(folder, was)) is not None}
        for path in note.all_images:
            if path in result.media:
                on_note.setdefault(result.media[path].name, set()).update(files)
        for path, file in _files_in_place(folder, note, before):
            if path in result.media:
                name = result.media[path].name
                others = shown_by.get(file.casefold(), {})
                if all(other == note.id or taken == name for other, taken in others.items()):
                    in_place.setdefault(name, set()).add(file)
    return in_place, on_note


def _in_place(note: Note, other: Note | None) -> list[tuple[str, str]]:
    """Each of the note's pictures with the one `other` (the same note elsewhere: in the record, in her deck) shows
    in its place: among as many pictures (one moved to the answer keeps its place), else on each side (question,
    answer) showing as many as `other`'s (a picture added to the answer leaves the question's as they were); none
    on a side showing more or fewer (which one is which is not known)."""
    if other is None:
        return []
    if len(other.all_images) == len(note.all_images):
        return list(zip(note.all_images, other.all_images, strict=True))
    return [
        pair
        for side, was in ((note.images, other.images), (note.answer_images, other.answer_images))
        if len(side) == len(was)
        for pair in zip(side, was, strict=True)
    ]


def _files_in_place(folder: str, note: Note, before: Note) -> list[tuple[str, str]]:
    """Each of the note's pictures with the file of `folder` the record's note `before` showed in its place
    (`_in_place`): one rule for a package with its media (_shown_before) and one without (_lacking_in_place)."""
    return [(path, file) for path, was in _in_place(note, before) if (file := _file_in(folder, was)) is not None]


def _file_in(folder: str, path: str) -> str | None:
    """The name of the file `path` names when it is a plain file of `folder`."""
    file = PurePosixPath(path)
    return file.name if file.parent == PurePosixPath(folder) and is_plain(file.name) else None


def _in_folder(folder: str, by_path: Mapping[str, _V]) -> dict[str, _V]:
    """What is kept by path, for the files in `folder` only, by file name."""
    return {
        PurePosixPath(path).name: v
        for path, v in by_path.items()
        if PurePosixPath(path).parent == PurePosixPath(folder)
    }


def _pending(pending: dict[str, frozenset[str]], pictures: Pictures) -> str | None:
    """The pending file to write before the pictures; None when the import writes none."""
    if not pictures.write:
        return None
    return pending_text(pending, {path: picture.digest for path, picture in pictures.write.items()})


def her_comments(data: bytes) -> list[tuple[int, int, str]]:
    """The comments of hers in a deck file (line, column, text), which an update writing it anew from its cards
    would drop. The comment an import writes is quiz's only at the top of the file."""
    header = _HEADER.match(data)
    if data.find(b"#", header.end() if header else 0) < 0:  # most imported decks: no scan
        return []
    top = len(_HEADER_LINES) if header else 0
    return [(line, column, text) for line, column, text in comments(data) if line > top]


def _not_the_authors(found: list[tuple[int, int, str]], authors: Sequence[str]) -> list[tuple[int, int, str]]:
    """The comments `found` in the deck file but those it had when `quiz add` copied it (`authors`, by their text,
    each once): hers are the rest, wherever her edits moved the author's."""
    left = Counter(authors)
    hers = []
    for line, column, text in found:
        if left[text] > 0:
            left[text] -= 1
        else:
            hers.append((line, column, text))
    return hers


def _refuse_comments(target: Path, hers: list[tuple[int, int, str]], *, recorded: bool) -> None:
    """Each of her comments named, the file left as it is, until she moves them or passes --drop-comments. Without
    a record (a deck file she was given and an older `quiz add` put there), its author's comments are there too, and
    quiz cannot tell them from hers: they are not called hers."""
    whose = (
        "comments of yours (above)"
        if recorded
        else "comments (above: yours, or its author's, which no import record tells apart)"
    )
    raise UpdateRefused(
        f"{as_written(target)} has {whose}, which an update does not keep (it writes the deck file anew"
        " from its cards): move what they say into a card's `explain:`, then import again; or pass"
        " --drop-comments to update it without them",
        [
            Problem(str(target), line, column, f"{'your comment' if recorded else 'comment'} {text!r}")
            for line, column, text in hers
        ],
    )


def _sources_added(yours: Deck, theirs: Iterable[Source], notes: list[Note]) -> list[Source]:
    """A package's declarations of the sources the notes cite that the deck does not declare (a new version
    citing a new source; a deck imported from a package that carried none): yours are never changed."""
    cited = {cited for note in notes for cited in note.sources} - {s.id for s in yours.sources}
    return [s for s in theirs if s.id in cited]


def _check_sources(target: Path, sources: list[Source], notes: list[Note], source: str) -> None:
    """Each note was valid in its own deck; what can clash once they are together is a note of the file
    citing a source your deck does not declare, nor a package adds (ids cannot clash, and topics come along)."""
    declared = {s.id for s in sources}
    for note in notes:
        for cited in note.sources:
            if cited not in declared:
                raise UpdateRefused(
                    f"{as_written(target)}: card {note.id} of {source} cites source '{cited}', which this deck does"
                    " not declare;"
                    " add it to the deck's `sources:` list, then import again"
                )


@dataclass(frozen=True)
class _AsYours:
    notes: list[Note]  # the package's notes, in the deck's topics
    topics: list[Topic]  # the package's topics, each new one under the id it takes in the deck
    decks: dict[str, str]  # the Anki deck of each topic of the deck ("": of the notes in none), for the record


def _topics_as_yours(yours: Deck, result: ImportResult, last: ImportRecord | None) -> _AsYours:
    """The package's notes, each topic the deck has under another id named by the deck's id. A topic is the deck's
    when the record has it from the same Anki deck: a new version adding a top-level deck names each sub-deck anew
    ("Pharm / Cardio", not "Cardio"), and the common deck's notes, in no topic, make one ("Pharm"). Else (no record,
    or a topic the record's decks do not name) when it has the same title: Anki knows a topic only as a subdeck
    named by its title, so a deck exported and imported back would have every note change topic. A new topic named
    as one of the deck's that the record has from another Anki deck takes an id and a title of its own (the new
    top-level deck `Cardio` beside `Pharm::Cardio`). The deck's notes in no topic that came from a subdeck, once
    the package has notes in the deck above it (in no topic), take that subdeck's topic at once. The record's decks
    of the deck's topics this package does not have are kept."""
    recorded = _recorded_decks(yours, last)
    by_deck = {deck: topic for topic, deck in recorded.items()}
    renamed = {topic: by_deck[deck] for topic, deck in result.topic_decks.items() if deck in by_deck}
    if (top := result.topic_decks.get("")) is not None and recorded.get("") not in (None, top):
        # the deck's notes in no topic came from a subdeck, and the package has notes in the deck above it now,
        # which take no topic: that subdeck's take a topic of their own at this import, not at the next
        renamed = {topic: to for topic, to in renamed.items() if to or not topic}
    taken = set(renamed.values())
    titles = Counter(topic.title for topic in yours.topics)
    ids = {  # two alike: not known
        topic.title: topic.id for topic in yours.topics if titles[topic.title] == 1 and topic.id not in taken
    }
    renamed |= {t.id: ids[t.title] for t in result.topics if t.id not in renamed and t.title in ids}
    # every note in one topic's subdeck: the package has one deck, which names no topic (its notes have none)
    subdecks: dict[tuple[str, ...], str] = {_subdeck(yours, title): topic for title, topic in ids.items()}
    if (only := subdecks.get(result.deck_path)) is not None and not result.topics and "" not in renamed:
        renamed[""] = only
    fresh = _fresh_ids(yours, result, {t for t in result.topic_decks if t in recorded and t not in renamed} - {""})
    renamed |= fresh
    decks = recorded | {renamed.get(topic, topic): deck for topic, deck in result.topic_decks.items()}
    topics = _fresh_topics(yours, result, fresh)
    if all(old == new for old, new in renamed.items()):
        return _AsYours(result.notes, topics, decks)
    return _AsYours([replace(note, topic=renamed.get(note.topic, note.topic)) for note in result.notes], topics, decks)


def _left_out(result: ImportResult, last: ImportRecord | None, yours: Deck) -> dict[str, str]:
    """The record's notes the package leaves as they are though it lacks them (ImportResult.covers: a subdeck taken
    alone), each -> its Anki deck: not gone from Anki, only not in this package. With --anki-deck, those the package
    holds in another deck (ImportResult.elsewhere), whatever deck the record has them from; of her collection
    package (.colpkg), which holds every deck of hers, no other: a note it lacks is gone. A deck package (.apkg)
    holds only the decks she exported: --anki-deck's leaves also the record's notes of the other decks, as the
    record has their topics' (a note whose Anki deck is not known is gone when the package lacks it).
    Without --anki-deck, a deck package of one subdeck: the record's notes of the other decks of its top-level deck,
    when the deck came from her collection package, of which she exported that subdeck. Anki writes a package of
    `Geo` whose notes are all in `Geo::Europe` as one of `Geo::Europe` alone: a deck that came from a deck package
    (a shared deck) takes it for the deck's next version, whole, a note its author deleted gone."""
    if last is None or not result.covers:
        return {}
    if result.by_anki_deck:
        moved = {note_id: result.elsewhere[guid] for note_id, guid in last.guids.items() if guid in result.elsewhere}
        return moved if result.every_deck else _recorded_outside(result, last, yours) | moved
    if not is_collection_package(last.source):
        return {}
    return _recorded_outside(result, last, yours, beside=result.covers[0])  # the other decks of its top-level deck


def _recorded_outside(result: ImportResult, last: ImportRecord, yours: Deck, beside: str = "") -> dict[str, str]:
    """The record's notes whose Anki deck (as the record has their topics') is not the deck the package holds alone
    (ImportResult.covers) nor one of its subdecks, each -> that deck; only those within the deck `beside` when one
    is named."""
    decks = _recorded_decks(yours, last)
    covers = "::".join(result.covers)
    return {
        note_id: deck
        for note_id, note in last.notes.items()
        if (deck := decks.get(note.topic)) is not None
        and not within_deck(deck, covers)
        and (not beside or within_deck(deck, beside))
    }


def _recorded_decks(yours: Deck, last: ImportRecord | None) -> dict[str, str]:
    """The record's Anki deck of each topic the deck still has, and of its notes in no topic (under ""). A record
    keeping none (older, or its "topics" deleted) has them as quiz's export names them, from the deck's and its
    topics' titles ("Pharm::Cardio"): found by the titles alone, a package naming its topics "Pharm / Cardio"
    would move every note."""
    if last is None:
        return {}
    if last.topic_decks is None:
        return {"": deck_name(yours.title)} | {
            topic.id: "::".join(_subdeck(yours, topic.title)) for topic in yours.topics
        }
    kept = {"", *(topic.id for topic in yours.topics)}
    return {topic: deck for topic, deck in last.topic_decks.items() if topic in kept}


def _subdeck(yours: Deck, title: str) -> tuple[str, str]:
    """The Anki deck quiz's export puts the deck's topic of this title in."""
    return deck_name(yours.title), deck_name(title)


def _fresh_ids(yours: Deck, result: ImportResult, clashing: set[str]) -> dict[str, str]:
    """An id of its own for each of the package's topics in `clashing` (named as a topic of the deck that comes
    from another Anki deck), taken by none of the deck's or the package's topics."""
    unique = Unique()
    unique.used |= {topic.id for topic in (*yours.topics, *result.topics)}
    return {topic: unique.take(topic) for topic in sorted(clashing)}


def _fresh_topics(yours: Deck, result: ImportResult, fresh: Mapping[str, str]) -> list[Topic]:
    """The package's topics, each of `fresh` under its new id and a title no other topic has ("Cardio (2)"): quiz's
    export names a topic's subdeck by its title, so two alike would be one topic once imported back."""
    titles = {topic.title for topic in (*yours.topics, *result.topics)}
    topics: list[Topic] = []
    for topic in result.topics:
        if topic.id in fresh:
            title = numbered_title(topic.title, titles)
            titles.add(title)
            topic = replace(topic, id=fresh[topic.id], title=title)
        topics.append(topic)
    return topics


def _picture_givers(yours: Deck, last: ImportRecord | None) -> set[str]:
    """The ids of the notes `_pictures_kept` would give a text file's note the pictures of (the deck file's, else
    the record's) that have some: only these can take in a row whose kind needs a picture, never one of another
    kind with none (the deck written would no longer load)."""
    mine = {note.id: note for note in yours.notes}
    recorded = last.notes if last else {}
    return {
        note_id
        for note_id in mine.keys() | recorded.keys()
        if (giver := mine.get(note_id) or recorded.get(note_id)) is not None and giver.all_images
    }


def _pictureless_taken(result: ImportResult, known: Container[str]) -> None:
    """Take into the text file's notes each it holds without the picture its kind needs (ImportResult.pictureless)
    whose id is `known` (`_picture_givers`): the deck's note gives it its picture (`_pictures_kept`), so it
    is neither skipped nor gone from the file. The others are skipped, as the assembler said they would be."""
    taken = [note for note_id, (note, _) in result.pictureless.items() if note_id in known]
    if taken:
        result.notes = sorted([*result.notes, *taken], key=lambda note: result.lines.get(note.id, 0))
    skipped = [problem for note_id, (_, problem) in result.pictureless.items() if note_id not in known]
    if skipped:
        result.problems = sorted([*result.problems, *skipped], key=lambda problem: problem.line)
    result.pictureless = {}


def _pictures_kept(notes: list[Note], yours: Deck, last: ImportRecord | None) -> tuple[list[Note], KeptFromDeck]:
    """A text file's notes with the pictures and sources the deck's have (the deck file's; for a note she deleted,
    the record's), and how many have some (KeptFromDeck): a text file carries no picture, nor does
    quiz's table any source, so one it lacks (an `<img>` it dropped, or none at all: removed in Anki or not, a text
    file cannot tell) is no change of the note. The record keeps those the last file that carried some gave
    (`_plan_over_existing`): one she changed in the deck stays hers."""
    mine = {note.id: note for note in yours.notes}
    recorded = last.notes if last else {}
    kept = [_held_by_deck(mine.get(note.id) or recorded.get(note.id), note) for note in notes]
    pictured = sum(1 for note in kept if note.all_images)
    cited = sum(1 for note in kept if note.sources)
    return kept, KeptFromDeck(pictured, cited, sum(1 for note in kept if note.all_images or note.sources))


def _pictures_not_compared(last: ImportRecord | None, yours: Deck) -> ImportRecord | None:
    """The record as a text file's update compares it: each note's pictures and sources as the deck's note has
    them, as the text's note has them (`_pictures_kept`), so one she changed is neither the file's change nor a
    conflict."""
    if last is None:
        return None
    mine = {note.id: note for note in yours.notes}
    notes = {key: _held_by_deck(mine.get(key), note) for key, note in last.notes.items()}
    return replace(last, notes=notes)


def _held_by_deck(source: Note | None, note: Note) -> Note:
    """`note` with the pictures and the sources `source` has (as it is without one): what a text file lacks."""
    if source is None or source.sources == note.sources:
        return _pictures_of(source, note)
    return _pictures_of(source, replace(note, sources=source.sources))


def _read_anew(
    last: ImportRecord | None, yours: Deck, notes: list[Note], from_anki: Container[str]
) -> tuple[ImportRecord | None, Deck]:
    """The record and her deck with each part of a note that quiz now reads otherwise than the quiz that imported
    it (`_READINGS`) as the package's note now has it, where the record's note had it as that quiz read it and her
    note still has it as the record. That is neither her edit nor the package's change, so her edits stay hers,
    none of it is a conflict nor said updated, and the deck file is written with it. `from_anki`: the ids of the
    notes read from Anki's text (those with an Anki GUID)."""
    if last is None:
        return last, yours
    theirs = {note.id: note for note in notes}
    for reading in _READINGS:
        read = {
            key: new
            for key, before in last.notes.items()
            if (new := theirs.get(key)) is not None
            and (key in from_anki or not reading.of_anki_text)
            and reading.part(new) != reading.part(before)
            and reading.anew(before, new)
        }
        if not read:
            continue
        mine = tuple(
            reading.put(read[note.id], note)
            if note.id in read and reading.part(note) == reading.part(last.notes[note.id])
            else note
            for note in yours.notes
        )
        last = replace(last, notes={key: reading.put(read.get(key), note) for key, note in last.notes.items()})
        yours = replace(yours, notes=mine)
    return last, yours


def _shown_apart(note: Note) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The pictures a note shows with its question, and those it shows only with its answer."""
    return note.images, note.answer_images


def _pictures_of(source: Note | None, note: Note) -> Note:
    """`note` with the pictures `source` has (as it is without one)."""
    if source is None or _shown_apart(source) == _shown_apart(note):
        return note
    return replace(note, images=source.images, answer_images=source.answer_images)


def _siblings_of(source: Note | None, note: Note) -> Note:
    """`note` with the `siblings:` id `source` has (as it is without one)."""
    return note if source is None or source.siblings == note.siblings else replace(note, siblings=source.siblings)


def _texts_of(source: Note | None, note: Note) -> Note:
    """`note` with the texts `source` has (as it is without one; `source` is of its kind, with as many texts)."""
    if source is None or texts(source) == texts(note):
        return note
    taken = iter(texts(source))
    return with_texts(note, lambda _: next(taken))


def _formulas_read(before: Note, new: Note) -> bool:
    """Whether `new` holds the texts of `before` with their MathJax read, as quiz reads a cell now."""
    return before.kind == new.kind and texts(with_texts(before, formulas_read)) == texts(new)


@dataclass(frozen=True)
class _Reading:
    """A part of a note (`part`) that quiz reads from a package otherwise than an earlier quiz did: `anew(before,
    new)` says whether the package's note `new` holds the record's `before` only read anew, not changed in Anki;
    `put(source, note)` gives `note` the part `source` has; `of_anki_text`: read anew only in a note of Anki's text,
    the part of another file's note being as its author wrote it, so a change of it his."""

    part: Callable[[Note], object]
    anew: Callable[[Note, Note], bool]
    put: Callable[[Note | None, Note], Note]
    of_anki_text: bool = False


_READINGS = (
    # The same pictures, only shown with the question or the answer otherwise: a quiz that showed every picture
    # with the question imported it; one that shows a picture Anki shows only on the back, after the answer, reads
    # it now.
    _Reading(_shown_apart, lambda before, new: sorted(new.all_images) == sorted(before.all_images), _pictures_of),
    # A `siblings:` id where the record has none: a quiz that wrote none imported it; one that gives the notes an
    # Anki note becomes card by card a shared id reads it now. A note to which she gave one of her own keeps it.
    _Reading(lambda note: note.siblings, lambda before, new: not before.siblings, _siblings_of),
    # MathJax read (`\(x^2\)` -> `x²`) where the record has it as written: a quiz that kept formulas as written
    # imported it; one that reads them in Anki's HTML reads it now. A note whose text she edited keeps her text. In
    # Anki's text only: a table of her own or a deck file keeps `\(x^2\)` as written, and its author's `x²` is his.
    _Reading(lambda note: (note.kind, texts(note)), _formulas_read, _texts_of, of_anki_text=True),
)


def _pictures_as_yours(
    folder: Path, yours: Deck, notes: list[Note], media: dict[str, Picture]
) -> tuple[list[Note], dict[str, str]]:
    """The package's notes, each picture the deck's own note shows in the same place named by the deck's path,
    when the package holds it under the name quiz's export gives that picture, or with the same bytes (a deck
    exported and imported back: the package keeps a picture by its file name only). A picture redrawn since the
    export is so still yours, never replaced by the package's older copy. Also the deck's paths so kept by name
    whose file differs from the package's picture, each with the package's name for it: a deck file added with
    `quiz add` takes its new version's pictures this way too, so a picture its author redrew is not taken, and is
    said."""
    mine = {note.id: note for note in yours.notes}
    exported = names_in_package(yours)
    kept: list[Note] = []
    differing: dict[str, str] = {}
    for note in notes:
        pairs = _in_place(note, mine.get(note.id))
        if any(theirs != path for theirs, path in pairs):
            images = []
            for theirs, path in pairs:
                if path == theirs or not is_picture_name(path):  # `pic.bat` an earlier quiz kept: renamed now
                    images.append(theirs)
                elif PurePosixPath(theirs).name == exported[path]:
                    images.append(path)
                    if theirs in media and not _same_bytes(folder / path, media[theirs]):
                        differing[path] = media[theirs].name
                elif _same_bytes(folder / path, media.get(theirs)):
                    images.append(path)
                else:
                    images.append(theirs)
            note = note.with_all_images(images)
        kept.append(note)
    return kept, differing


def _same_bytes(path: Path, picture: Picture | None) -> bool:
    return picture is not None and file_digest(path) == picture.digest
