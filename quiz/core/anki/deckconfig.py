"""Anki's deck option presets (deck configs) and which one each deck uses, for both schemas -> DeckOptions.

Schema 11 keeps them as JSON in the `col` row: `dconf` (config id -> its options, rslib/src/deckconfig/
schema11.rs) and each deck's `conf` in `decks`. Schema 18 keeps them in the `deck_config` table, each row's
`config` a DeckConfig.Config message, and each deck's config id in its `kind` blob, a Deck.KindContainer
(proto/anki/deck_config.proto, proto/anki/decks.proto). Only the options quiz has a place for are read; the
file is untrusted, so a value of the wrong type is taken as not set, and a number that is not finite is kept for
quiz's range checks to name. A config or deck kind that cannot be decoded is kept as damaged, to be named.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable
from typing import Any

from quiz.core.anki import protobuf
from quiz.core.anki.model import DeckOptions

# DeckConfig.Config's fields
_LEARN_STEPS, _RELEARN_STEPS, _FSRS_4, _EASY_DAYS, _FSRS_5, _FSRS_6 = 1, 2, 3, 4, 5, 6
_NEW_PER_DAY, _REVIEWS_PER_DAY, _MAXIMUM_INTERVAL, _LEECH_THRESHOLD, _DESIRED_RETENTION = 9, 10, 16, 22, 37
_FSRS_FIELDS = ((6, _FSRS_6), (5, _FSRS_5), (4, _FSRS_4))  # FSRS version -> its parameters' field, newest first
_NORMAL, _CONFIG_ID = 1, 1  # Deck.KindContainer's normal deck, and its config_id
# Options Anki takes as not set when 0 (proto3 writes no 0; Anki then uses its default): the others' 0 is a value
_ZERO_UNSET = {"maximum_interval_days", "leech_threshold", "desired_retention"}

Value = int | float | tuple[float, ...]


def options_11(dconf: dict[str, Any]) -> dict[int, DeckOptions]:
    """col.dconf -> config id -> its options."""
    found = {}
    for conf in dconf.values():
        if not isinstance(conf, dict) or (config_id := _whole(conf.get("id"))) is None:
            continue
        new, rev, lapse = (part if isinstance(part := conf.get(key), dict) else {} for key in ("new", "rev", "lapse"))
        values = _values(
            new_per_day=_whole(new.get("perDay")),
            reviews_per_day=_whole(rev.get("perDay")),
            learning_steps_minutes=_numbers(new.get("delays")),
            relearning_steps_minutes=_numbers(lapse.get("delays")),
            maximum_interval_days=_whole(rev.get("maxIvl")),
            leech_threshold=_whole(lapse.get("leechFails")),
            desired_retention=_number(conf.get("desiredRetention")),
            easy_days=_numbers(conf.get("easyDaysPercentages")) or None,
        )
        versions = ((6, conf.get("fsrsParams6")), (5, conf.get("fsrsParams5")), (4, conf.get("fsrsWeights")))
        name = conf.get("name")
        found[config_id] = _with_parameters(name if isinstance(name, str) else "", values, versions)
    return found


def decks_11(decks: dict[str, Any]) -> dict[int, int | None]:
    """col.decks -> deck id -> its config id (a filtered deck has none)."""
    found: dict[int, int | None] = {}
    for deck in decks.values():
        if isinstance(deck, dict) and not deck.get("dyn"):
            deck_id, config_id = _whole(deck.get("id")), _whole(deck.get("conf"))
            if deck_id is not None and config_id is not None:
                found[deck_id] = config_id
    return found


def options_18(db: sqlite3.Connection) -> dict[int, DeckOptions]:
    """The deck_config table -> config id -> its options; a damaged config is left out (its decks bring none)."""
    found = {}
    for config_id, name, config in db.execute("select id, name, config from deck_config"):
        try:
            parsed = protobuf.decode(config if isinstance(config, bytes) else b"")
            values = _values(
                new_per_day=protobuf.integer(parsed, _NEW_PER_DAY),
                reviews_per_day=protobuf.integer(parsed, _REVIEWS_PER_DAY),
                learning_steps_minutes=_numbers(protobuf.floats(parsed, _LEARN_STEPS)),
                relearning_steps_minutes=_numbers(protobuf.floats(parsed, _RELEARN_STEPS)),
                maximum_interval_days=protobuf.integer(parsed, _MAXIMUM_INTERVAL),
                leech_threshold=protobuf.integer(parsed, _LEECH_THRESHOLD),
                desired_retention=_number(protobuf.real(parsed, _DESIRED_RETENTION)),
                easy_days=_numbers(protobuf.floats(parsed, _EASY_DAYS)) or None,
            )
            versions = [(version, protobuf.floats(parsed, number)) for version, number in _FSRS_FIELDS]
        except protobuf.ProtobufError:
            if isinstance(config_id, int):
                found[config_id] = DeckOptions(name if isinstance(name, str) else "", {}, damaged=True)
            continue
        if isinstance(config_id, int):
            found[config_id] = _with_parameters(name if isinstance(name, str) else "", values, versions)
    return found


def decks_18(db: sqlite3.Connection) -> dict[int, int | None]:
    """The decks table -> deck id -> its config id (a filtered deck has none; None: its kind is damaged)."""
    found: dict[int, int | None] = {}
    for deck_id, kind in db.execute("select id, kind from decks"):
        if not isinstance(deck_id, int):
            continue
        try:
            normal = protobuf.messages(protobuf.decode(kind if isinstance(kind, bytes) else b""), _NORMAL)
        except protobuf.ProtobufError:
            found[deck_id] = None
            continue
        if normal:
            found[deck_id] = protobuf.integer(normal[-1], _CONFIG_ID)
    return found


def _values(**read: Value | None) -> dict[str, Value]:
    """The options the file sets (not None, nor a 0 Anki takes as not set)."""
    return {
        name: value for name, value in read.items() if value is not None and not (name in _ZERO_UNSET and not value)
    }


def _with_parameters(name: str, values: dict[str, Value], versions: Iterable[tuple[int, Any]]) -> DeckOptions:
    """The options with the FSRS parameters of the newest version the file has any for (Anki's order)."""
    for version, parameters in versions:
        if numbers := _numbers(parameters):
            return DeckOptions(name, values, numbers, version)
    return DeckOptions(name, values)


def _number(value: Any) -> float | None:
    """A number as a float (NaN and infinities too: quiz's checks name them); None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return float(value)
    except OverflowError:  # a JSON integer past any float: as far out of every range as infinity
        return math.inf if value > 0 else -math.inf


def _whole(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):  # as it is, of any size: the range check names it
        return value
    number = _number(value)
    return int(number) if number is not None and number.is_integer() else None


def _numbers(value: Any) -> tuple[float, ...] | None:
    """A list of numbers as floats; None for anything else."""
    if not isinstance(value, list):
        return None
    numbers = [_number(each) for each in value]
    return None if None in numbers else tuple(n for n in numbers if n is not None)
