"""`quiz optimize [DECK...] [--reschedule]`: fit FSRS's parameters to your own answers, per preset, as
Anki's *Optimize*; adopted only when they predict your later answers better."""

from __future__ import annotations

import argparse

from quiz.context import Context
from quiz.core.backup import BackupError, make_backup
from quiz.core.optimizer import describe, optimize_preset
from quiz.core.presets import decks_using, preset_of, read_preset
from quiz.core.reschedule import reschedule
from quiz.output import echo, fail


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "optimize",
        help="fit FSRS's parameters to your own answers, per preset, as Anki's Optimize does",
        description=(
            "For the preset of each DECK (default: every preset a loaded deck uses), fit FSRS's 21 parameters "
            "to the answers of all the decks using it (imported Anki history included), with fsrs-rs, the "
            "engine inside Anki. The latest fifth of the answers is held out: the new parameters are kept only "
            "when they predict it better than the preset's current ones in both log loss and RMSE (bins), "
            "which are shown before and after (lower is better). With too few answers nothing is fitted and "
            "it says how many more are needed. The parameters are kept with the preset (`quiz preset show`). "
            "--reschedule then moves the preset's review cards to the intervals the new parameters give, as "
            "Anki's 'reschedule cards on change'; a backup is made first, which `quiz restore` puts back."
        ),
    )
    parser.add_argument("decks", metavar="DECK", nargs="*", help="a deck id (see `quiz list`)")
    parser.add_argument(
        "--reschedule", action="store_true", help="after new parameters are kept, reschedule the preset's cards"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, context: Context) -> int:
    store, now = context.store, context.clock.now()
    loaded = [deck.id for deck in context.library.decks]
    unknown = [deck for deck in args.decks if deck not in loaded]
    if unknown:
        return fail(f"no loaded deck has the id {unknown[0]!r}; `quiz list` shows the deck ids")
    presets = dict.fromkeys(preset_of(store, deck) for deck in args.decks or loaded)
    if not presets:
        return fail("no decks are loaded: nothing to fit (`quiz list` shows where quiz looks for decks)")
    context.lock("optimizing")
    if args.reschedule:  # before anything changes, so restoring it undoes the new parameters too
        try:
            backup = make_backup(store, now)
        except BackupError as exc:
            return fail(f"nothing done: the backup before rescheduling failed: {exc}")
        echo(f"backed up the store as {backup.name} (`quiz restore {backup.name}` undoes what follows)")
    adopted: list[str] = []
    for preset in presets:
        fitted_before = bool(read_preset(store, preset).fsrs_parameters)
        result = optimize_preset(store, preset, decks_using(store, preset, loaded), now)
        for line in describe(preset, result, fitted_before):
            echo(line)
        if result.adopted:
            adopted.append(preset)
    if args.reschedule:
        for preset in adopted:
            moved = reschedule(store, decks_using(store, preset, loaded), read_preset(store, preset), now)
            echo(f"{preset}: rescheduled {moved:,} review card{'s' * (moved != 1)}")
        if not adopted:
            echo("nothing rescheduled: no preset took new parameters")
    return 0
