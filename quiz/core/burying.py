"""Buried cards, as in Anki: hidden from study until the next study day. Whether a card is buried, burying
it from Browse, and unburying one card, a deck's or every card early."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from quiz.core.cardstate import CardState, effective_state
from quiz.core.clock import day_end
from quiz.core.events import BURY
from quiz.core.identity import note_id_of
from quiz.core.model import Card
from quiz.core.store import Store


def is_buried(state: CardState, now: datetime) -> bool:
    """Buried past `now`: a burial ends by itself when the study day it was made for is over."""
    return state.buried_until is not None and state.buried_until > now


def toggle_buried(store: Store, card: Card, now: datetime, rollover_hour: int) -> CardState:
    """Bury the card until the next study day (as the study screen does), or unbury it if it is buried."""
    state = effective_state(card, store.state(card.deck_id, card.key))
    until = None if is_buried(state, now) else day_end(now, rollover_hour)
    changed = replace(state, buried_until=until)
    store.set_state(card.deck_id, card.key, changed, BURY)
    return changed


def unbury(
    store: Store, now: datetime, deck_id: str | None = None, note_id: str | None = None
) -> list[tuple[str, str]]:
    """Unbury every buried card, or a deck's, or one note's (its reverse side and cloze gaps too); returns the
    (deck id, card key) of each card unburied."""
    keys = [
        (deck, key) for deck, key in store.buried_keys(now, deck_id) if note_id is None or note_id_of(key) == note_id
    ]
    store.unbury(keys)
    return keys
