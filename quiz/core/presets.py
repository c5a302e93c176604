"""Option presets, as Anki's: a preset is a named set of the options a deck studies with (daily limits,
retention, steps, maximum interval, leech threshold, easy days). Every deck uses one, Default unless changed; decks may
share a preset, and editing it changes every deck that uses it. Default's options are the settings
themselves; a removed preset's decks go back to Default. The other settings (the day's rollover hour,
typed-answer tolerance, fuzz, the load balancer, theme) are global."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from quiz.core.settings import Settings
from quiz.core.store import Store
from quiz.core.text import printable, quoted

DEFAULT = "Default"
# What a preset holds; every other Settings field is global.
PRESET_FIELDS = (
    "new_per_day",
    "reviews_per_day",
    "desired_retention",
    "learning_steps_minutes",
    "relearning_steps_minutes",
    "maximum_interval_days",
    "leech_threshold",
    "easy_days",
    "fsrs_parameters",
)
NAME_LIMIT = 40


class PresetError(ValueError):
    """A preset that does not exist, a name that cannot be used, or Default renamed or removed; the message
    says how to fix it."""


def preset_names(store: Store) -> list[str]:
    """Default first, then the others by name."""
    return [DEFAULT, *store.presets()]


def options_of(settings: Settings) -> dict[str, Any]:
    """The preset part of `settings`."""
    return {name: getattr(settings, name) for name in PRESET_FIELDS}


def _applied(options: Mapping[str, Any], base: Settings) -> Settings:
    """`base` with the preset's options (only those a preset holds; a bad value leaves the base's)."""
    return Settings.from_dict({name: options[name] for name in PRESET_FIELDS if name in options}, base)


def read_preset(store: Store, name: str, base: Settings | None = None) -> Settings:
    """What a deck using preset `name` studies with: the settings (`base`, read if None) with its options."""
    base = store.settings() if base is None else base
    if name == DEFAULT:
        return base
    presets = store.presets()
    if name not in presets:
        raise PresetError(_unknown(name, presets))
    return _applied(presets[name], base)


def save_preset(store: Store, name: str, settings: Settings) -> None:
    """Save the preset options of `settings` as preset `name`'s (Default: into the settings, the rest of
    them unchanged). Raises SettingOutOfRange for a value out of its range, PresetError for no such preset."""
    settings.validated()
    if name == DEFAULT:
        store.save_settings(replace(store.settings(), **options_of(settings)))
        return
    _must_exist(store, name)
    store.save_preset(name, options_of(settings))


def add_preset(store: Store, name: str, source: str = DEFAULT) -> str:
    """A new preset holding `source`'s options (Anki's Clone; from Default, its Add). Returns its name (the
    one given, without surrounding spaces)."""
    return new_preset(store, name, read_preset(store, source))


def new_preset(store: Store, name: str, settings: Settings) -> str:
    """A new preset holding the preset options of `settings`; returns its name (as add_preset)."""
    name = _new_name(store, name)
    store.save_preset(name, options_of(settings.validated()))
    return name


def free_name(store: Store, wanted: str) -> str:
    """A name a new preset can take made from `wanted` (another program's, untrusted): its control characters
    replaced, cut to NAME_LIMIT, and numbered (`Tuned 2`) when taken."""
    base = printable(wanted).strip()[:NAME_LIMIT].strip() or "Imported"
    taken = {name.casefold() for name in preset_names(store)}
    name, number = base, 1
    while name.casefold() in taken:
        number += 1
        suffix = f" {number}"
        name = base[: NAME_LIMIT - len(suffix)].rstrip() + suffix
    return name


def rename_preset(store: Store, old: str, new: str) -> str:
    """Rename a preset (its decks keep it); returns the new name."""
    if old == DEFAULT:
        raise PresetError("the Default preset cannot be renamed: it holds the settings every other deck uses")
    _must_exist(store, old)
    new = _new_name(store, new, renaming=old)
    store.rename_preset(old, new)
    return new


def remove_preset(store: Store, name: str) -> list[str]:
    """Remove a preset; the decks that used it go back to Default. Returns their ids."""
    if name == DEFAULT:
        raise PresetError("the Default preset cannot be removed: decks without a preset of their own use it")
    _must_exist(store, name)
    return store.remove_preset(name)


def assign_preset(store: Store, deck_id: str, name: str) -> None:
    """Have deck `deck_id` use preset `name`."""
    if name != DEFAULT:
        _must_exist(store, name)
    store.assign_preset(deck_id, None if name == DEFAULT else name)


def preset_of(store: Store, deck_id: str) -> str:
    """The name of the preset the deck uses."""
    return store.deck_presets().get(deck_id, DEFAULT)


def decks_using(store: Store, preset: str, deck_ids: Iterable[str]) -> list[str]:
    """Those of `deck_ids` that use preset `preset`."""
    chosen = store.deck_presets()
    return [deck_id for deck_id in deck_ids if chosen.get(deck_id, DEFAULT) == preset]


@dataclass(frozen=True, slots=True)
class DeckSettings:
    """The settings each deck studies with, read once: `base` (the settings, Default's options) for a deck
    using Default, the base with its preset's options for the others."""

    base: Settings
    by_deck: Mapping[str, Settings]

    def of(self, deck_id: str) -> Settings:
        return self.by_deck.get(deck_id, self.base)


def deck_settings(store: Store, base: Settings | None = None) -> DeckSettings:
    """Every deck's settings, over `base` (the stored settings if None)."""
    return settings_over(store.settings() if base is None else base, store.presets(), store.deck_presets())


def settings_over(
    base: Settings, presets: Mapping[str, Mapping[str, Any]], deck_presets: Mapping[str, str]
) -> DeckSettings:
    """Every deck's settings: `base` with its preset's options (presets: name -> options; deck_presets: deck
    id -> preset name, none for Default)."""
    made = {name: _applied(options, base) for name, options in presets.items()}
    return DeckSettings(base, {deck: made[name] for deck, name in deck_presets.items() if name in made})


def _must_exist(store: Store, name: str) -> None:
    presets = store.presets()
    if name not in presets:
        raise PresetError(_unknown(name, presets))


def _unknown(name: str, presets: Mapping[str, Any]) -> str:
    return f"no preset is named {quoted(name)}; the presets are {', '.join([DEFAULT, *presets])}"


def _new_name(store: Store, name: str, renaming: str | None = None) -> str:
    """`name` without surrounding spaces, or PresetError when it is empty, too long, holds a control
    character, or is taken (Default's name included, in any case)."""
    name = name.strip()
    if not name:
        raise PresetError("a preset needs a name: type one (e.g. Fast)")
    if len(name) > NAME_LIMIT:
        raise PresetError(f"a preset's name is at most {NAME_LIMIT} characters, not {len(name)}: type a shorter one")
    if printable(name) != name:
        raise PresetError("a preset's name cannot hold a tab, a line break or a control character: type another")
    taken = {other.casefold(): other for other in preset_names(store) if other != renaming}
    if name.casefold() in taken:
        raise PresetError(f"a preset is already named {quoted(taken[name.casefold()])}: choose another name")
    return name
