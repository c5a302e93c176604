"""Fitting FSRS to the user's own answers, per preset, as Anki's *Optimize* does: the review log becomes
fsrs-rs's training items (rslib/src/scheduler/fsrs/params.rs: each card from its last run of learning
answers, one item per answer given on a later day than the one before), fsrs-rs fits the parameters, and
they are adopted only when they predict answers they were not fitted on better than the preset's current
ones: the latest fifth of the items (a time-series split) is held out, and both its log loss and its
RMSE (bins) must improve."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS, FSRSItem, FSRSReview, TrainingConfig

from quiz.core.cardstate import LEARNING, NEW
from quiz.core.clock import day_end
from quiz.core.events import card_number
from quiz.core.gcpause import gc_paused
from quiz.core.presets import read_preset, save_preset
from quiz.core.settings import Settings
from quiz.core.store import FittingAnswer, ReviewRecord, Store

FEWEST_TRAINING_ITEMS = 8  # fsrs-rs fits nothing from fewer (it gives back its defaults)
HELD_OUT = 0.2  # the latest share of the items that tests a fit
FEWEST_ITEMS = math.ceil(FEWEST_TRAINING_ITEMS / (1 - HELD_OUT))  # with the held-out ones
EPOCHS = 8  # as Anki trains
_DAY_MS = 86_400_000


@dataclass(frozen=True, slots=True)
class Score:
    """How well parameters predict answers: log loss and RMSE over bins of predicted recall (lower is better)."""

    log_loss: float
    rmse_bins: float


@dataclass(frozen=True, slots=True)
class Fit:
    """What fitting a preset's history gave."""

    items: int  # training items in its review log
    needed: int  # more items needed before a fit is tried (0: enough)
    before: Score | None  # the current parameters on the held-out items
    after: Score | None  # the fitted ones on the same items
    parameters: tuple[float, ...] | None  # the fitted parameters

    @property
    def adopted(self) -> bool:
        """Better on both measures: only then does the preset take them."""
        return (
            self.before is not None
            and self.after is not None
            and self.after.log_loss < self.before.log_loss
            and self.after.rmse_bins < self.before.rmse_bins
        )


class _Item(NamedTuple):
    at_ms: int  # when its last answer was given
    card: int
    item: FSRSItem


def training_items(answers: Iterable[FittingAnswer], next_day_at: datetime) -> list[_Item]:
    """Anki's training items from a review log (its reviews_for_fsrs with training on): per card, one item
    per answer given on a later study day than the one before it, holding the card's answers up to it (see
    `card_reviews`), latest last. `answers` come card by card, in time order (as the store gives them);
    practice and exam answers leave the schedule alone: the store does not hand them over."""
    end_ms = milliseconds(next_day_at)
    found = []
    for (deck_id, card_key), given in groupby(answers, itemgetter(1, 2)):
        number = card_number(deck_id, card_key)
        history: list[FSRSReview] = []
        for answer, elapsed in card_reviews(list(given), end_ms):
            history.append(FSRSReview(answer.grade, elapsed))
            if elapsed > 0:  # the first answer has none: it makes no item
                found.append(_Item(answer.at_ms, number, FSRSItem(history)))  # fsrs-rs copies the list
    found.sort(key=itemgetter(0))
    return found


def card_reviews(answers: list[FittingAnswer], end_ms: int) -> list[tuple[FittingAnswer, int]]:
    """One card's answers (in time order) as fsrs-rs reads them: from the start of its last run of learning
    answers (none for a card never seen learning), each with the study days since the answer before it
    (`end_ms`: when the current study day ends)."""
    start = _last_learning_run(answers)
    if start is None:
        return []
    reviews, previous = [], 0
    for index, answer in enumerate(answers[start:]):
        days = (end_ms - answer.at_ms) // _DAY_MS  # whole days before the current study day ends
        reviews.append((answer, previous - days if index else 0))
        previous = days
    return reviews


def milliseconds(moment: datetime) -> int:
    """A time as milliseconds since 1970 UTC, as the store hands answers' times to fitting."""
    return round(moment.timestamp() * 1000)


def fitting_answer(record: ReviewRecord) -> FittingAnswer:
    """A full log record as the answer fitting reads."""
    before = NEW if record.state_before is None else record.state_before.fsrs_state
    at_ms = milliseconds(record.reviewed_at)
    return FittingAnswer(record.id, record.deck_id, record.card_key, int(record.grade), at_ms, before)


def _last_learning_run(answers: Sequence[FittingAnswer]) -> int | None:
    """Where the card's last run of answers given while it was new or learning starts."""
    start = None
    for index in range(len(answers) - 1, -1, -1):
        if answers[index].state_before in (NEW, LEARNING):
            start = index
        elif start is not None:
            break
    return start


def relearning_steps_in_a_day(settings: Settings) -> int:
    """How many relearning steps fit in the first day (what Anki tells fsrs-rs)."""
    count, total = 0, 0.0
    for minutes in settings.relearning_steps_minutes:
        total += minutes
        if total >= 1440:
            break
        count += 1
    return count


def fit(items: Sequence[_Item], settings: Settings) -> Fit:
    """Fit parameters on all but the latest fifth of `items`, and score them and the current ones on it."""
    if len(items) < FEWEST_ITEMS:
        return Fit(len(items), FEWEST_ITEMS - len(items), None, None, None)
    split = len(items) - max(round(len(items) * HELD_OUT), 1)
    train, held_out = items[:split], [entry.item for entry in items[split:]]
    current = settings.fsrs_parameters or tuple(DEFAULT_PARAMETERS)
    fitted = FSRS(list(current)).compute_parameters(
        [entry.item for entry in train],
        card_ids=[entry.card for entry in train],
        enable_short_term=True,
        num_relearning_steps=relearning_steps_in_a_day(settings),
        training_config=TrainingConfig(num_epochs=EPOCHS),
    )
    return Fit(len(items), 0, _score(current, held_out), _score(fitted, held_out), tuple(fitted))


def fit_preset(store: Store, preset: str, deck_ids: Iterable[str], now: datetime) -> Fit:
    """Fit preset `preset` to the answers of its decks (`deck_ids`); nothing is written (see `keep`)."""
    settings = read_preset(store, preset)
    with gc_paused():  # a read of 100,000 answers and their items: small objects that all survive it
        items = training_items(store.fitting_answers(deck_ids), day_end(now, settings.rollover_hour))
    return fit(items, settings)


def keep(store: Store, preset: str, result: Fit) -> None:
    """The preset takes the fitted parameters when they are adopted; its other options stay as they are now
    (the user may have saved some while the fit ran)."""
    if result.adopted and result.parameters is not None:
        save_preset(store, preset, replace(read_preset(store, preset), fsrs_parameters=result.parameters))


def optimize_preset(store: Store, preset: str, deck_ids: Iterable[str], now: datetime) -> Fit:
    """Fit preset `preset` to the answers of its decks; the preset keeps the parameters when adopted."""
    result = fit_preset(store, preset, deck_ids, now)
    keep(store, preset, result)
    return result


def describe(preset: str, result: Fit, fitted_before: bool) -> list[str]:
    """What a fit gave, in the lines `quiz optimize` prints and Settings shows."""
    current = "its fitted parameters" if fitted_before else "FSRS's default parameters"
    usable = f"{result.items:,} answer{'s' * (result.items != 1)} usable for fitting"
    if result.before is None or result.after is None:
        return [
            f"{preset}: {usable}; {result.needed:,} more needed (answers on a later day than a card's previous "
            f"one: fsrs-rs fits nothing from fewer than {FEWEST_TRAINING_ITEMS}, and the latest fifth is held out "
            f"to test the fit, so {FEWEST_ITEMS} in all); it keeps {current}"
        ]
    verdict = (
        f"kept: {preset} now schedules with the new parameters"
        if result.adopted
        else f"not kept: they do not predict your later answers better on both; it keeps {current}"
    )
    return [
        f"{preset}: {usable}; fitted on the earlier ones, tested on the latest fifth (lower is better):",
        f"  log loss      {result.before.log_loss:.4f} -> {result.after.log_loss:.4f}",
        f"  RMSE (bins)   {result.before.rmse_bins:.4f} -> {result.after.rmse_bins:.4f}",
        f"  {verdict}",
    ]


def _score(parameters: Sequence[float], items: list[FSRSItem]) -> Score:
    evaluation = FSRS(list(parameters)).evaluate(items)
    return Score(evaluation.log_loss, evaluation.rmse_bins)
