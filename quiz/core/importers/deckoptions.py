"""An Anki package's deck options -> the option preset its imported deck uses.

The deck takes the options of the Anki deck most of its notes come from (a note counts for its first card's
home deck), as a preset of their own named after Anki's (an existing preset holding the same options is used
instead). Only the options quiz has a place for come; a value out of quiz's range is named and left at
Default's, as are FSRS parameters of another FSRS version than quiz's. Anki's defaults bring nothing: a
package exported without its deck presets holds them (its decks all on Anki's Default, untouched), as do
packages of Anki 2.0 and of other programs (quiz's own export too) with Anki 2.0's, and quiz's defaults are
Anki's. Only a new deck's import takes them: an update of a deck never changes its options, which
the student may have changed in quiz since.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from quiz.core.anki.model import Collection, DeckOptions
from quiz.core.presets import (
    DEFAULT,
    assign_preset,
    free_name,
    new_preset,
    options_of,
    preset_names,
    preset_of,
    read_preset,
)
from quiz.core.settings import PARAMETER_COUNT, BadParameters, SettingOutOfRange, Settings, value_text
from quiz.core.store import Store
from quiz.core.text import counted, quoted

# Anki's defaults, which are quiz's, and Anki 2.0's (100 reviews a day), which older packages and those other
# programs write (genanki, so quiz's own export) hold
_ANKI_DEFAULTS = (Settings(), Settings(reviews_per_day=100))
_UNKNOWN = DeckOptions("", {}, damaged=True)  # the options of a deck whose choice of config cannot be read
_FSRS_VERSION = 6  # the parameters quiz's FSRS (fsrs-rs) takes: FSRS-6's PARAMETER_COUNT


@dataclass(frozen=True)
class ChosenOptions:
    """The options a package's deck takes: those of Anki deck `deck`, which `notes` of its notes come from;
    `others` are the other Anki decks its notes come from whose options differ (name, notes)."""

    deck: str
    options: DeckOptions
    notes: int
    others: tuple[tuple[str, int], ...] = ()


def chosen_options(collection: Collection) -> ChosenOptions | None:
    """The options of the Anki deck most notes come from; None when it has none, or Anki's defaults."""
    first: dict[int, tuple[int, int]] = {}  # note id -> (its first card's ordinal, its home deck)
    for card in collection.cards:
        if card.note_id not in first or card.ord < first[card.note_id][0]:
            first[card.note_id] = (card.ord, card.home_deck_id)
    ranked = Counter(deck for _, deck in first.values()).most_common()
    if not ranked:
        return None
    deck, notes = ranked[0]
    options = _options_of(collection, deck)
    if options is not None and options.damaged:
        return ChosenOptions(_name(collection, deck), options, notes)
    if options is None or _defaults(options):
        return None
    others = tuple(
        (_name(collection, other), count)
        for other, count in ranked[1:]
        if (theirs := _options_of(collection, other)) is not None and _differ(theirs, options)
    )
    return ChosenOptions(_name(collection, deck), options, notes, others)


def take_options(store: Store, deck_id: str, chosen: ChosenOptions, package: str) -> list[str]:
    """Have new deck `deck_id` use a preset holding `chosen`'s options (from file `package`); the lines saying
    what came and what did not. A deck that has a preset of its own already (kept in the store from before, or
    synced from another machine) keeps it, said as taken when it holds these options."""
    if chosen.options.damaged:
        return [
            f"options: not taken from Anki: the options of deck {quoted(chosen.deck)} in {package} cannot be read"
            " (damaged); the deck uses preset Default"
        ]
    anki = f"Anki's preset {quoted(chosen.options.name)} (deck {quoted(chosen.deck)})"
    lines = []
    if chosen.others:
        others = ", ".join(f"{quoted(name)} ({counted(count, 'note')})" for name, count in chosen.others)
        lines.append(
            f"options: the notes come from Anki decks with different options; the deck takes those of"
            f" {quoted(chosen.deck)}, which {counted(chosen.notes, 'note')} come from, not those of {others}"
        )
    base = store.settings()
    made, refused = settings_from(chosen.options, base)
    wanted = options_of(made)
    holding = [name for name in preset_names(store) if options_of(read_preset(store, name, base)) == wanted]
    kept = preset_of(store, deck_id)
    if kept != DEFAULT and kept not in holding:
        return [*lines, f"options: {anki} not taken: deck '{deck_id}' uses preset {quoted(kept)} already"]
    lines += refused
    # the deck's own preset first: the one it was given on another machine by the same package, synced in
    same = kept if kept != DEFAULT else next(iter(holding), None)
    if same == DEFAULT:
        return [*lines, f"options: {anki} holds the options of preset Default, which the deck uses"]
    name = same if same is not None else new_preset(store, free_name(store, chosen.options.name), made)
    if name != kept:
        assign_preset(store, deck_id, name)
    how = "which holds the same options as" if same is not None else "made of the options of"
    return [*lines, f"options: the deck uses preset {quoted(name)}, {how} {anki}"]


def settings_from(options: DeckOptions, base: Settings) -> tuple[Settings, list[str]]:
    """`base` with Anki's options, and a line for each one quiz cannot hold, naming what it has instead
    (`base`'s: Default's)."""
    made, refused = base, []
    taken = dict(options.values)
    if options.parameters:
        taken["fsrs_parameters"] = options.parameters
    for name, value in taken.items():
        try:
            change: dict[str, Any] = {name: value}  # a field named at run time, of its type (deckconfig)
            made = replace(made, **change).validated()
        except SettingOutOfRange as exc:
            refused.append(f"options: not taken from Anki: {exc}; {_instead(name, base)}")
        except BadParameters:  # another FSRS version's, or a number that is not one
            ours = f"its FSRS-{options.fsrs_version} parameters"
            odd = next((p for p in options.parameters if not math.isfinite(p)), None)
            refused.append(
                f"options: not taken from Anki: {ours} hold a number that is not finite ({odd}); {_instead(name, base)}"
                if odd is not None
                else f"options: not taken from Anki: {ours} ({len(options.parameters)} numbers); quiz's FSRS takes"
                f" FSRS-{_FSRS_VERSION}'s {PARAMETER_COUNT}; {_instead(name, base)}"
            )
    return made, refused


def _instead(name: str, base: Settings) -> str:
    value = getattr(base, name)
    if name == "fsrs_parameters" and not value:
        return "the preset has FSRS's default parameters, as Default"
    return f"the preset has {value_text(value)}, as Default"


def _options_of(collection: Collection, deck: int) -> DeckOptions | None:
    if deck not in collection.options_of_deck:  # a filtered deck, or none the file names
        return None
    config = collection.options_of_deck[deck]
    return _UNKNOWN if config is None else collection.deck_options.get(config)


def _name(collection: Collection, deck: int) -> str:
    return "::".join(collection.decks.get(deck, (str(deck),)))


def _defaults(options: DeckOptions) -> bool:
    values = options.values.items()
    return not options.parameters and any(all(getattr(d, n) == v for n, v in values) for d in _ANKI_DEFAULTS)


def _differ(one: DeckOptions, other: DeckOptions) -> bool:
    return (one.values, one.parameters) != (other.values, other.parameters)
