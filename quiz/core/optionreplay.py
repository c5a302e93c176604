"""The settings, option presets, decks' presets and exam dates that option events (quiz.core.events) give,
replayed in event order, the latest of each winning: what a merge writes (quiz.core.sync), and the options
a card's deck had at any point of the history, with which a merge or a rebuild computes a review again
(quiz.core.rebuild), so every device computes it alike whatever options it has now.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from quiz.core import events
from quiz.core.events import Event
from quiz.core.presets import DeckSettings, settings_over
from quiz.core.settings import Settings

# What decides how a card is scheduled (exam dates do not)
SCHEDULING_KINDS = frozenset({events.SETTINGS, events.PRESET, events.PRESET_RENAME, events.DECK_PRESET})


@dataclass
class Options:
    values: dict[str, Any] = field(default_factory=dict)  # the settings, by name
    presets: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> options
    deck_presets: dict[str, str] = field(default_factory=dict)  # deck id -> preset name (none: Default)
    exam_dates: dict[tuple[str, str], tuple[str, float]] = field(default_factory=dict)  # (deck, topic) -> day, target

    def apply(self, event: Event) -> None:
        body: dict[str, Any] = event.body
        if event.kind == events.SETTINGS and isinstance(body.get("values"), dict):
            known = Settings().to_dict()
            self.values.update((key, value) for key, value in body["values"].items() if key in known)
        elif event.kind == events.PRESET:
            name, options = str(body.get("name")), body.get("options")
            if isinstance(options, dict):
                self.presets[name] = options
            else:  # removed: its decks go back to Default
                self.presets.pop(name, None)
                self.deck_presets = {deck: used for deck, used in self.deck_presets.items() if used != name}
        elif event.kind == events.PRESET_RENAME:
            old, new = str(body.get("old")), str(body.get("new"))
            if old in self.presets:
                self.presets[new] = self.presets.pop(old)
                self.deck_presets = {
                    deck: new if used == old else used for deck, used in self.deck_presets.items() if used != new
                }
        elif event.kind == events.DECK_PRESET and event.deck_id is not None:
            chosen = body.get("preset")
            if isinstance(chosen, str) and chosen in self.presets:
                self.deck_presets[event.deck_id] = chosen
            else:  # Default, or a preset removed meanwhile
                self.deck_presets.pop(event.deck_id, None)
        elif event.kind == events.EXAM_DATE and event.deck_id is not None:
            day, target, where = body.get("day"), body.get("target"), (event.deck_id, str(body.get("topic", "")))
            if isinstance(day, str) and isinstance(target, int | float) and 0 < target < 1:
                self.exam_dates[where] = (day, float(target))
            else:
                self.exam_dates.pop(where, None)

    def deck_settings(self) -> DeckSettings:
        return settings_over(Settings.from_dict(self.values), self.presets, self.deck_presets)


def replay_options(found: Iterable[Event]) -> Options:
    options = Options()
    for event in sorted(found, key=lambda event: event.order):
        options.apply(event)
    return options


class OptionsTimeline:
    """Each deck's settings at any point of the history (an event's order), from the scheduling events."""

    def __init__(self, found: Iterable[Event]) -> None:
        self._events = sorted((e for e in found if e.kind in SCHEDULING_KINDS), key=lambda event: event.order)
        self._orders = [event.order for event in self._events]
        self._made: dict[int, DeckSettings] = {}  # by how many events came before

    def settings(self, deck_id: str, order: tuple[str, str]) -> Settings:
        """What deck `deck_id` studied with just before the event of `order`."""
        before = bisect.bisect_left(self._orders, order)
        made = self._made.get(before)
        if made is None:
            made = self._made[before] = replay_options(self._events[:before]).deck_settings()
        return made.of(deck_id)
