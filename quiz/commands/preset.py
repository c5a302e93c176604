"""`quiz preset ...`: option presets, as Anki's: list, show, add, set, use, rename, remove."""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from quiz.context import Context
from quiz.core.presets import (
    DEFAULT,
    PRESET_FIELDS,
    PresetError,
    add_preset,
    assign_preset,
    preset_names,
    read_preset,
    remove_preset,
    rename_preset,
    save_preset,
)
from quiz.core.settings import (
    PARAMETER_COUNT,
    RANGES,
    WEEKLY,
    BadParameters,
    SettingOutOfRange,
    Settings,
    value_from_text,
    value_text,
)
from quiz.core.text import shell_word
from quiz.output import echo, fail

_FIELDS_HELP = ", ".join(PRESET_FIELDS)

_Run = Callable[[argparse.Namespace, Context], int]


def _preset_errors_said(run: _Run) -> _Run:
    """`run`, a PresetError it raises (no such preset, a name taken or not allowed) said as `quiz: ...`, exit 1."""

    @functools.wraps(run)
    def said(args: argparse.Namespace, context: Context) -> int:
        try:
            return run(args, context)
        except PresetError as exc:
            return fail(exc)

    return said


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "preset",
        help="option presets, as Anki's: per-deck limits, retention, steps; list, show, add, set, use, ...",
        description=(
            "A preset is a named set of the options a deck studies with: "
            f"{_FIELDS_HELP}. Every deck uses one, Default (the settings) unless given another; decks may share "
            "a preset, and changing it changes every deck that uses it. Removing a preset moves its decks to "
            "Default. The other settings (rollover hour, typed-answer tolerance, theme) are the same for every deck."
        ),
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser), required=True)
    listing = actions.add_parser("list", help="every preset and the decks that use it")
    listing.set_defaults(run=run_list)
    show = actions.add_parser("show", help="a preset's options")
    show.add_argument("name", metavar="NAME")
    show.set_defaults(run=run_show)
    add = actions.add_parser("add", help="a new preset, a copy of Default's options or of --from's (Anki's Clone)")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--from", dest="source", metavar="PRESET", default=DEFAULT, help="copy this preset's options")
    add.set_defaults(run=run_add, writes=True)
    change = actions.add_parser(
        "set",
        help="change options of a preset (Default: the settings)",
        description=(
            f"FIELD is one of {_FIELDS_HELP}; steps are minutes apart by commas, e.g. learning_steps_minutes=1,10"
        ),
    )
    change.add_argument("name", metavar="NAME")
    change.add_argument("values", metavar="FIELD=VALUE", nargs="+")
    change.set_defaults(run=run_set, writes=True)
    use = actions.add_parser("use", help="have a deck use a preset (Default: the settings)")
    use.add_argument("deck", metavar="DECK", help="a deck id (see `quiz list`)")
    use.add_argument("name", metavar="NAME")
    use.set_defaults(run=run_use, writes=True)
    rename = actions.add_parser("rename", help="rename a preset; its decks keep it")
    rename.add_argument("name", metavar="NAME")
    rename.add_argument("new_name", metavar="NEW_NAME")
    rename.set_defaults(run=run_rename)
    remove = actions.add_parser("remove", help="remove a preset; its decks go back to Default")
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(run=run_remove)


def _decks_using(context: Context) -> dict[str, list[str]]:
    """preset name -> the ids of the decks using it: the loaded decks, and any deck given a preset."""
    chosen = context.store.deck_presets()
    using: dict[str, list[str]] = {name: [] for name in preset_names(context.store)}
    for deck_id in dict.fromkeys([*(deck.id for deck in context.library.decks), *chosen]):
        using.setdefault(chosen.get(deck_id, DEFAULT), []).append(deck_id)
    return using


def run_list(args: argparse.Namespace, context: Context) -> int:
    for name, decks in _decks_using(context).items():
        which = "the settings" if name == DEFAULT else "preset"
        echo(f"{name}  ({which}; decks: {', '.join(decks) or 'none'})")
    return 0


@_preset_errors_said
def run_show(args: argparse.Namespace, context: Context) -> int:
    _print_options(args.name, read_preset(context.store, args.name))
    return 0


def _print_options(name: str, settings: Settings) -> None:
    echo(f"{name}:")
    for field in PRESET_FIELDS:
        echo(f"  {field}={_typed(getattr(settings, field))}")


@_preset_errors_said
def run_add(args: argparse.Namespace, context: Context) -> int:
    name = add_preset(context.store, args.name, args.source)
    echo(
        f"added preset {name!r}, a copy of {args.source!r}; `quiz preset set {shell_word(name)} FIELD=VALUE` changes it"
    )
    return 0


@_preset_errors_said
def run_set(args: argparse.Namespace, context: Context) -> int:
    settings = read_preset(context.store, args.name)
    changes: dict[str, Any] = {}
    for pair in args.values:
        field, equals, text = pair.partition("=")
        field = field.strip()
        if not equals or field not in PRESET_FIELDS:
            return fail(f"{pair!r}: write FIELD=VALUE, FIELD one of {_FIELDS_HELP}")
        try:
            changes[field] = value_from_text(field, text)
        except ValueError:
            return fail(f"{pair!r}: {field} must be {_expected(field)}")
    try:
        changed = replace(settings, **changes)
        save_preset(context.store, args.name, changed)
    except (SettingOutOfRange, BadParameters) as exc:
        return fail(f"{exc.name} must be {_expected(exc.name)}, not {value_text(exc.value)}; nothing was changed")
    _print_options(args.name, changed)
    return 0


def _typed(value: Any) -> str:
    """A value as `set` takes it: steps apart by commas, so the line can be typed back without quotes."""
    return ",".join(map(value_text, value)) if isinstance(value, tuple) else value_text(value)


def _expected(field: str) -> str:
    default = getattr(Settings(), field)
    if field == "fsrs_parameters":
        return f"{PARAMETER_COUNT} numbers apart by commas (as `quiz optimize` writes them), or none for the defaults"
    if field in WEEKLY:
        each = RANGES[field]
        return f"seven shares of a day's reviews, Monday to Sunday, apart by commas, each {each} (e.g. 1,1,1,1,1,0.5,0)"
    if isinstance(default, tuple):
        return f"minutes apart by commas, each {RANGES[field]} (e.g. {_typed(default)})"
    what = "a whole number" if isinstance(default, int) else "a number"
    return f"{what} {RANGES[field]} (e.g. {value_text(default)})"


@_preset_errors_said
def run_use(args: argparse.Namespace, context: Context) -> int:
    if context.library.deck(args.deck) is None:
        return fail(f"no loaded deck has the id {args.deck!r}; `quiz list` shows the deck ids")
    assign_preset(context.store, args.deck, args.name)
    echo(f"deck {args.deck!r} now uses preset {args.name!r}")
    return 0


@_preset_errors_said
def run_rename(args: argparse.Namespace, context: Context) -> int:
    name = rename_preset(context.store, args.name, args.new_name)
    echo(f"renamed preset {args.name!r} to {name!r}; its decks keep it")
    return 0


@_preset_errors_said
def run_remove(args: argparse.Namespace, context: Context) -> int:
    moved = remove_preset(context.store, args.name)
    decks = f"; its decks now use Default: {', '.join(moved)}" if moved else ""
    echo(f"removed preset {args.name!r}{decks}")
    return 0
