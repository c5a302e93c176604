"""Card flags, as in Anki: seven coloured marks the user sets on a card (Ctrl+1..7), kept in the store apart
from the schedule, searchable with `flag:N` and exported to Anki. Setting a card's flag again takes it off."""

from __future__ import annotations

from quiz.core.model import Card
from quiz.core.store import Store

NO_FLAG = 0
#: flag number -> its name, Anki's seven in Anki's order (flag 0 is none)
FLAG_NAMES = {1: "red", 2: "orange", 3: "green", 4: "blue", 5: "pink", 6: "turquoise", 7: "purple"}


def toggled(current: int, pressed: int) -> int:
    """The flag after pressing flag `pressed` on a card flagged `current`: the same one again takes it off,
    and so does NO_FLAG."""
    if pressed != NO_FLAG and pressed not in FLAG_NAMES:
        raise ValueError(f"a flag is 1 to {len(FLAG_NAMES)}, or {NO_FLAG} for none, not {pressed}")
    return NO_FLAG if current == pressed else pressed


def flag_name(flag: int) -> str:
    return FLAG_NAMES.get(flag, "no flag")


def toggle_flag(store: Store, card: Card, pressed: int) -> int:
    """Press flag `pressed` on the card (as Browse does); returns its new flag."""
    flag = toggled(store.flag(card.deck_id, card.key), pressed)
    store.set_flag(card.deck_id, card.key, flag)
    return flag
