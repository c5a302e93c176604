"""`quiz optimize [DECK...] [--reschedule]`: fit FSRS's parameters to your own answers, per preset, as
Anki's *Optimize*; adopted only when they predict your later answers better."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from dataclasses import replace

from quiz.context import Context
from quiz.core.backup import BackupError, make_backup
from quiz.core.clock import day_end
from quiz.core.optimizer import FEWEST_ITEMS, FEWEST_TRAINING_ITEMS, Fit, fit, training_items
from quiz.core.presets import preset_of, read_preset, save_preset
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
    context.lock(": close it before optimizing")
    if args.reschedule:  # before anything changes, so restoring it undoes the new parameters too
        try:
            backup = make_backup(store, now)
        except BackupError as exc:
            return fail(f"nothing done: the backup before rescheduling failed: {exc}")
        echo(f"backed up the store as {backup.name} (`quiz restore {backup.name}` undoes what follows)")
    adopted: list[str] = []
    for preset in presets:
        decks = [deck for deck in loaded if preset_of(store, deck) == preset]
        settings = read_preset(store, preset)
        records = [record for deck in decks for record in store.reviews(deck)]
        result = fit(training_items(records, day_end(now, settings.rollover_hour)), settings)
        for line in _report(preset, result, bool(settings.fsrs_parameters)):
            echo(line)
        if result.adopted and result.parameters is not None:
            save_preset(store, preset, replace(settings, fsrs_parameters=result.parameters))
            adopted.append(preset)
    if args.reschedule:
        for preset in adopted:
            decks = [deck for deck in loaded if preset_of(store, deck) == preset]
            moved = reschedule(store, decks, read_preset(store, preset), now)
            echo(f"{preset}: rescheduled {moved:,} review card{'s' * (moved != 1)}")
        if not adopted:
            echo("nothing rescheduled: no preset took new parameters")
    return 0


def _report(preset: str, result: Fit, fitted_before: bool) -> Iterable[str]:
    current = "its fitted parameters" if fitted_before else "FSRS's default parameters"
    usable = f"{result.items:,} answer{'s' * (result.items != 1)} usable for fitting"
    if result.needed:
        yield (
            f"{preset}: {usable}; {result.needed:,} more needed (answers on a later day than a card's previous "
            f"one: fsrs-rs fits nothing from fewer than {FEWEST_TRAINING_ITEMS}, and the latest fifth is held out "
            f"to test the fit, so {FEWEST_ITEMS} in all); it keeps {current}"
        )
        return
    assert result.before is not None and result.after is not None
    yield f"{preset}: {usable}; fitted on the earlier ones, tested on the latest fifth (lower is better):"
    yield f"  log loss      {result.before.log_loss:.4f} -> {result.after.log_loss:.4f}"
    yield f"  RMSE (bins)   {result.before.rmse_bins:.4f} -> {result.after.rmse_bins:.4f}"
    if result.adopted:
        yield f"  kept: {preset} now schedules with the new parameters"
    else:
        yield f"  not kept: they do not predict your later answers better on both; it keeps {current}"
