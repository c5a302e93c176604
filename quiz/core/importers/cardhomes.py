"""Where each Anki card's answers are logged in quiz: the key of the quiz card it first came in as, its home,
kept in the import record (update.ImportRecord.homes).

An Anki note can change shape between two versions of a package (a mask deleted, a gap nested or un-nested, a
template deleted, an optional reverse turned on or off), and its cards then come in under other keys. The
import's review-log check knows an answer by its card, so an answer logged under the card's home would be
logged again under the new key. Pairing by Anki card id keeps that from happening: a note whose id changed
takes the id under which each of its Anki cards gets its home again (`ids_kept`), and a card still away from
its home brings only the answers not logged there (importers.history, Store.import_history).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from quiz.core.decks import cards_of
from quiz.core.importers.ids import deck_of_guid
from quiz.core.importers.model import NO_CARD
from quiz.core.model import Note


def exported_by_quiz(note_id: str, guids: Mapping[str, str]) -> bool:
    """Whether the package names the note by a GUID of quiz's: quiz's export numbers its Anki cards afresh each
    time, from the export's moment, so such a card's id names no card from one package to the next (two exports
    a few milliseconds apart give one card's id to another) and is no card's home."""
    return deck_of_guid(guids.get(note_id, "")) is not None


def card_keys(
    deck_id: str, notes: Iterable[Note], anki_cards: Mapping[str, tuple[int, ...]], guids: Mapping[str, str]
) -> dict[int, str]:
    """Each Anki card id -> the key of the quiz card made of it (the first, as importers.history gives its answers
    to the first); none of a card the package lacks (NO_CARD) nor of a note quiz's export made (`guids`: note id
    -> the package's GUID)."""
    keys: dict[int, str] = {}
    for note in notes:
        if exported_by_quiz(note.id, guids):
            continue
        for card, anki_id in zip(cards_of(deck_id, note), anki_cards.get(note.id, ()), strict=False):
            if anki_id != NO_CARD:
                keys.setdefault(anki_id, card.key)
    return keys


def homes_after(earlier: Mapping[int, str], now: Mapping[int, str]) -> dict[int, str]:
    """The homes after an import: a card keeps the one it had; a card new to the deck's imports gets its key."""
    return {**now, **earlier}


def homes_away(
    homes: Mapping[int, str], deck_id: str, notes: Iterable[Note], anki_cards: Mapping[str, tuple[int, ...]]
) -> dict[int, str]:
    """Of an earlier import's homes, those of the Anki cards whose first quiz card among `notes` (as
    importers.history finds it) is another card: the answers it does not log again. For the rest the history
    logs under the card's own key anyway, so a shared deck's tens of thousands are not held through it."""
    first = card_keys(deck_id, notes, anki_cards, {})
    return {anki_id: home for anki_id, home in homes.items() if first.get(anki_id, home) != home}


def ids_kept(
    deck_id: str,
    notes: list[Note],
    anki_cards: Mapping[str, tuple[int, ...]],
    guids: Mapping[str, str],
    earlier: Mapping[str, str],
    homes: Mapping[int, str],
) -> dict[str, str]:
    """An id -> the id its note takes, for those of `notes` made of Anki cards the last import brought (`earlier`:
    note id -> GUID; `homes`) whose id is new or gives one of its cards another card's home. Such a note takes an
    id of its Anki note the package no longer gives under which each of its cards has its home and takes no
    other's (a note's id carries its card number when its note type makes several quiz notes, `anki-…-1`: an
    optional reverse turned on, a template deleted); else, when its own id would give a card another card's
    history (a mask deleted before the last one), an id of its own, its first Anki card's: a note gone and a new
    one. Paired by card, never by position."""
    given = {note.id for note in notes}
    candidates: dict[str, list[str]] = {}  # GUID -> the record's ids of it the package no longer gives
    for note_id, guid in earlier.items():
        if note_id not in given:
            candidates.setdefault(guid, []).append(note_id)
    # several when her own export, its cards Anki's anew, came in too; a tuple, not a set, a key: a shared deck's
    # tens of thousands of sets held ~10 MB at an update's peak
    owners: dict[str, tuple[int, ...]] = {}
    for anki_id, key in homes.items():
        owners[key] = (*owners.get(key, ()), anki_id)

    def own_home(anki_id: int, key: str) -> bool:
        """Whether the card under `key` is the quiz card `anki_id`'s answers are logged under, or a new one."""
        return homes.get(anki_id, key) == key and anki_id in owners.get(key, (anki_id,))

    def placed(note: Note, note_id: str) -> dict[int, str]:
        return card_keys(deck_id, [replace(note, id=note_id)], {note_id: anki_cards[note.id]}, {})

    renamed: dict[str, str] = {}
    for note in notes:
        ids = anki_cards.get(note.id, ())
        if exported_by_quiz(note.id, guids) or not any(anki_id in homes for anki_id in ids):
            continue
        own = placed(note, note.id).items()
        # a card that moved onto another's key (not a card new to the record: a deck made again in another
        # collection brings every card under a new id, at its place)
        takes = any(
            homes.get(anki_id, key) != key and anki_id not in owners.get(key, (anki_id,)) for anki_id, key in own
        )
        if note.id in earlier and not takes:
            continue
        same_note = candidates.get(guids.get(note.id, ""), [])
        for old in same_note:
            if all(own_home(anki_id, key) for anki_id, key in placed(note, old).items()):
                renamed[note.id] = old
                same_note.remove(old)
                break
        else:
            if takes:
                renamed[note.id] = f"{note.id}-{ids[0]}"
    return renamed
