"""What an import writes into the deck folder: a new deck file, or the update of the one an earlier import
wrote (quiz.core.importers.update), with the import record beside it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from quiz.core.deckfile import DeckFileError, read_deck_bytes
from quiz.core.decks import parse_deck
from quiz.core.deckwriter import deck_text
from quiz.core.importers.assembler import HEADER_COMMENT, ImportResult
from quiz.core.importers.update import (
    Merge,
    base_text,
    merge,
    read_record,
    record_text,
    shares_notes,
)
from quiz.core.model import Deck, Note
from quiz.core.problems import Problem, errors


class UpdateRefused(Exception):
    """The deck file cannot be updated from this file; the message (one line) says why and what to do."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass
class Plan:
    text: str | None  # the deck file's new text; None: the file stays as it is
    record: str | None  # the import record's new text; None: it stays as it is
    notes: list[Note]  # the deck's notes afterwards
    merge: Merge | None = None  # None: a new deck
    replaces: str = ""  # what the deck file held, when it was another deck that --replace overwrites


def plan(target: Path, result: ImportResult, source: str, *, replace_conflicts: bool, remove_missing: bool) -> Plan:
    """A new deck when `target` does not exist; else the update of it, refused when it does not load, or
    when it is another deck (overwritten with `replace_conflicts`). `source` is the imported file's name."""
    record = record_text(source, result.text, result.guids)  # the deck file is what quiz wrote of each note
    if not target.exists():
        return Plan(result.text, record, result.notes)
    try:
        data = read_deck_bytes(target).data
    except DeckFileError as exc:
        raise UpdateRefused(f"{target}: {exc.message}") from None
    loaded = parse_deck(data, str(target), check_files=False)
    found = errors(loaded.problems)
    if loaded.deck is None or found:
        raise UpdateRefused(
            f"{target} has problems (above): fix them, then import again; the update keeps your edits, so it "
            "needs to read them",
            found,
        )
    yours = loaded.deck
    last = read_record(target)
    if not shares_notes(last, yours, result.notes):
        origin = f"imported from {last.source}" if last else "not imported from it"
        if replace_conflicts:
            return Plan(result.text, record, result.notes, replaces=f"deck '{yours.id}' ({origin})")
        raise UpdateRefused(
            f"{target} holds deck '{yours.id}' ({origin}), which has none of the notes of {source}: it is another "
            "deck; pass --deck-id NEW_ID to import it as a deck of its own, or --replace to overwrite that one"
        )
    merged = merge(last, yours, result.notes, replace_conflicts=replace_conflicts, remove_missing=remove_missing)
    text = None
    if [replace(n, line=0) for n in merged.notes] != [replace(n, line=0) for n in yours.notes]:
        declared = {topic.id for topic in yours.topics}
        used = {note.topic for note in merged.notes}
        topics = [*yours.topics, *(t for t in result.topics if t.id not in declared and t.id in used)]
        text = deck_text(
            yours.id,
            yours.title,
            merged.notes,
            description=yours.description,
            sources=yours.sources,
            topics=topics,
            header=HEADER_COMMENT.format(name=source),
        )
    _check_sources(target, yours, merged.notes, source)
    known = {**(last.guids if last else {}), **result.guids}
    guids = {note.id: known[note.id] for note in merged.base if note.id in known}
    base = {note.id: replace(note, line=0) for note in merged.base}
    if last is not None and (last.source, last.notes, last.guids) == (source, base, guids):
        return Plan(text, None, merged.notes, merged)  # the same import again: the record stays as it is
    same = text is not None and list(base.values()) == [replace(n, line=0) for n in merged.notes]
    written = text if same and text is not None else base_text(result.deck_id, merged.base)  # no edits of yours
    return Plan(text, record_text(source, written, guids), merged.notes, merged)


def _check_sources(target: Path, yours: Deck, notes: list[Note], source: str) -> None:
    """Each note was valid in its own deck; what can clash once they are together is a note of the file
    citing a source your deck does not declare (ids cannot clash, and topics come along)."""
    declared = {s.id for s in yours.sources}
    for note in notes:
        for cited in note.sources:
            if cited not in declared:
                raise UpdateRefused(
                    f"{target}: card {note.id} of {source} cites source '{cited}', which this deck does not declare;"
                    " add it to the deck's `sources:` list, then import again"
                )
