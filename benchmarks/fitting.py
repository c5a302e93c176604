"""Fitting FSRS to 100,000 reviews: quiz against Anki's backend on the same review log.

The log: a simulated learner studies the answer benchmark's 10,000 basic cards, 8 new a day, scheduled by
FSRS's default parameters at 90 % desired retention (no fuzz), while its memory follows other, known
parameters (first stabilities three times the defaults), so recall drifts from what the scheduler expects,
as a real user's does. A card's first answer is a learning answer (Again or Hard take one more learning
step ten minutes later, Good); a forgotten review (Again) takes one relearning step ten minutes later.
The earliest 100,000 answers are kept (9,464 cards over about three years and three months), moved by
whole days to end yesterday. The same answers are written as quiz's review log (`Store.import_history`,
the states before and after each answer included) and as Anki's revlog rows (learning 0, review 1,
relearning 2) in a collection Anki made holding the same cards.

Timed, each side in its own fresh process, on its own copy of the data, store or collection already open:
  quiz: `optimize_preset(store, "Default", [deck], now)`, what `quiz optimize` and Settings' Optimize
        call: reads the preset's answers from the store, builds fsrs-rs's training items, fits on the
        earlier four fifths, scores the old and new parameters on the latest fifth, keeps the new ones
        when both scores improve.
  Anki: `compute_fsrs_params(search='preset:"Default" -is:suspended', ...)` on the collection's backend,
        what its deck options' Optimize button calls: reads the revlog, builds the same items in Rust,
        fits on all of them, scores the old and new parameters on all of them; then, with the health check
        on (as a new collection's deck options have it: Anki's default), fits again on time-series splits
        to say whether FSRS suits the log. Timed both ways: with it (what the button does by default) and
        without it (the least work Anki's fit can do, and less than quiz's, which tests on held-out answers).
Both fit with the same fsrs-rs (8 epochs, card ids given) and must find the same number of training items.

    python benchmarks/fitting.py make WORKDIR          -> the store, the collection, the deck; one JSON line
    python benchmarks/fitting.py quiz WORKDIR RUN  -> one timed fit on copy RUN; one JSON line
    python benchmarks/fitting.py anki WORKDIR RUN check|no-check  -> the same, the health check on or off
    python benchmarks/fitting.py anki-process COLLECTION -> the fit alone (the parent times the process)
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.gendecks import basic_deck  # noqa: E402

if TYPE_CHECKING:
    from fsrs_rs_python import MemoryState

CARDS = 10_000
REVIEWS = 100_000
NEW_PER_DAY = 8
DECK = "bench-basic"
PRESET = "Default"
ANKI_SEARCH = f'preset:"{PRESET}" -is:suspended'  # what Anki's deck options search for the preset
RELEARNING_STEPS = 1  # one 10-minute step, quiz's default and Anki's: what both tell fsrs-rs
STEP = timedelta(minutes=10)


LEARNING, REVIEW, RELEARNING = 0, 1, 2  # Anki's revlog types


@dataclass(frozen=True, slots=True)
class Answer:
    card: int
    at: datetime
    grade: int
    kind: int  # LEARNING, REVIEW or RELEARNING: what the card was when answered
    interval: int  # the days it set before the next review (0: another step the same day)
    stability: float  # the scheduler's memory after it
    difficulty: float


class Learner:
    """Scheduled with FSRS's defaults at 90 %; remembers as other parameters say (first stabilities x3)."""

    def __init__(self, seed: int) -> None:
        from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS

        self.truth = FSRS([w * 3 if index < 4 else w for index, w in enumerate(DEFAULT_PARAMETERS)])
        self.scheduler = FSRS(DEFAULT_PARAMETERS)
        self.decay = DEFAULT_PARAMETERS[20]
        self.rng = random.Random(seed)

    def card(self, card: int, at: datetime, now: datetime) -> list[Answer]:
        """Every answer to `card`, first seen at `at`, until `now`."""
        rng, answers = self.rng, []
        grade = rng.choices([1, 2, 3, 4], [0.15, 0.1, 0.6, 0.15])[0]
        true, planned = self._next(None, None, 0, grade)
        if grade <= 2:  # one more learning step, ten minutes later
            answers.append(Answer(card, at, grade, LEARNING, 0, planned.stability, planned.difficulty))
            at, grade = at + STEP, 3
            true, planned = self._next(true, planned, 0, grade)
        kind = LEARNING
        while True:
            interval = max(1, round(self.scheduler.next_interval(planned.stability, 0.9, 3)))
            answers.append(Answer(card, at, grade, kind, interval, planned.stability, planned.difficulty))
            at = at.replace(hour=10, minute=0) + timedelta(days=interval)
            if at >= now:
                return answers
            factor = 0.9 ** (-1 / self.decay) - 1
            recalled = rng.random() < (1 + factor * interval / true.stability) ** -self.decay
            grade = rng.choices([2, 3, 4], [0.1, 0.8, 0.1])[0] if recalled else 1
            true, planned = self._next(true, planned, interval, grade)
            kind = REVIEW
            if grade == 1:  # forgotten: one relearning step, ten minutes later
                answers.append(Answer(card, at, grade, REVIEW, 0, planned.stability, planned.difficulty))
                at, grade, kind = at + STEP, 3, RELEARNING
                true, planned = self._next(true, planned, 0, grade)

    def _next(self, true: MemoryState | None, planned: MemoryState | None, days: int, grade: int) -> tuple:
        name = ("again", "hard", "good", "easy")[grade - 1]
        return (
            getattr(self.truth.next_states(true, 0.9, days), name).memory,
            getattr(self.scheduler.next_states(planned, 0.9, days), name).memory,
        )


def learner_log(now: datetime) -> list[Answer]:
    """The earliest REVIEWS answers of the learner, each at its own millisecond (as Anki's revlog ids)."""
    learner = Learner(15)
    first = (now - timedelta(days=CARDS // NEW_PER_DAY + 1)).replace(hour=10, minute=0, second=0, microsecond=0)
    answers = [
        answer
        for card in range(CARDS)
        for answer in learner.card(card, first + timedelta(days=card // NEW_PER_DAY, seconds=card % 20 * 30), now)
    ]
    answers.sort(key=lambda answer: (answer.at, answer.card))
    kept = answers[:REVIEWS]
    shift = timedelta(days=(now - kept[-1].at).days - 1)  # whole days: the log ends yesterday, at 10:00 still
    unique: list[Answer] = []
    for answer in kept:
        at = answer.at + shift
        if unique and at <= unique[-1].at:
            at = unique[-1].at + timedelta(milliseconds=1)
        unique.append(replace(answer, at=at))
    return unique


# --- writing the log for both -------------------------------------------------------------------------


def quiz_history(answers: list[Answer]) -> list:
    """The answers as quiz's imported history, per card, each with the states before and after it."""
    from quiz.core import cardstate
    from quiz.core.cardstate import CardState
    from quiz.core.model import Grade
    from quiz.core.store import ImportedAnswer, ImportedCard, state_tuple

    by_card: dict[int, list[ImportedAnswer]] = {}
    last: dict[int, CardState] = {}  # each card's state after its latest answer
    for answer in answers:
        logged = by_card.setdefault(answer.card, [])
        before = last.get(answer.card)
        reps = len(logged) + 1
        lapses = (before.lapses if before else 0) + (answer.kind == REVIEW and answer.grade == 1)
        if answer.interval:
            state, step, due = cardstate.REVIEW, None, answer.at.replace(hour=10, minute=0) + timedelta(answer.interval)
        else:  # a step ten minutes on: learning while new, relearning after a lapse
            state = cardstate.LEARNING if answer.kind == LEARNING else cardstate.RELEARNING
            step, due = 0, answer.at + STEP
        after = last[answer.card] = CardState(
            "basic", state, step, answer.stability, answer.difficulty, due, answer.at, reps, lapses
        )
        values = None if before is None else state_tuple(before)
        logged.append(ImportedAnswer(Grade(answer.grade), answer.at, 4000, values, state_tuple(after)))
    return [ImportedCard(f"c{card}", tuple(logged), last[card], 0) for card, logged in sorted(by_card.items())]


def anki_revlog(answers: list[Answer], card_ids: list[int]) -> list[tuple]:
    """The answers as Anki's revlog rows: id (ms), cid, usn, ease, ivl, lastIvl, factor, time, type."""
    rows, last_interval = [], {}
    for answer in answers:
        interval = answer.interval or -int(STEP.total_seconds())  # Anki logs a step as negative seconds
        factor = round(answer.difficulty * 1000)  # FSRS logs its difficulty there, 100-1100
        rows.append(
            (
                round(answer.at.timestamp() * 1000),  # as quiz reads the time: the nearest millisecond
                card_ids[answer.card],
                -1,
                answer.grade,
                interval,
                last_interval.get(answer.card, 0),
                factor,
                4000,
                answer.kind,
            )
        )
        last_interval[answer.card] = interval
    return rows


def make(workdir: Path) -> dict:
    """quiz's data folder and Anki's collection holding the same log, and the deck folder."""
    from benchmarks.answer import build_anki_template
    from quiz.core.store import Store

    shutil.rmtree(workdir, ignore_errors=True)
    (workdir / "decks").mkdir(parents=True)
    shutil.copy(basic_deck(CARDS), workdir / "decks" / "basic.yaml")
    answers = learner_log(datetime.now(UTC))
    store = Store.in_folder(workdir / "quiz")
    store.import_history(DECK, quiz_history(answers), lambda: None)
    logged = len(store.reviews(DECK))
    store.close()

    from anki.collection import Collection

    shutil.copy(build_anki_template(), workdir / "anki.anki2")
    col = Collection(str(workdir / "anki.anki2"))
    card_ids = list(col.find_cards("", order="c.nid asc, c.ord asc"))  # notes were added as c0, c1, ...
    assert len(card_ids) == CARDS
    col.db.executemany("insert into revlog values (?,?,?,?,?,?,?,?,?)", anki_revlog(answers, card_ids))
    revlog = col.db.scalar("select count() from revlog")
    col.close(downgrade=False)
    assert logged == revlog == REVIEWS, (logged, revlog)
    return {
        "reviews": REVIEWS,
        "cards": len({answer.card for answer in answers}),
        "days": (answers[-1].at - answers[0].at).days,
    }


# --- timing -------------------------------------------------------------------------------------------


def copy_quiz(workdir: Path, run: int) -> Path:
    folder = workdir / f"quiz-{run}"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(workdir / "quiz", folder)
    return folder


def copy_anki(workdir: Path, run: int) -> Path:
    path = workdir / f"anki-{run}.anki2"
    shutil.copy(workdir / "anki.anki2", path)
    return path


def time_quiz(workdir: Path, run: int) -> dict:
    from quiz.core.clock import SystemClock
    from quiz.core.optimizer import optimize_preset
    from quiz.core.store import Store

    store = Store.in_folder(copy_quiz(workdir, run))
    start = time.perf_counter()
    result = optimize_preset(store, PRESET, [DECK], SystemClock().now())
    seconds = time.perf_counter() - start
    store.close()
    return {"seconds": seconds, "items": result.items}


def anki_fit(path: Path, health_check: bool) -> tuple[float, int]:
    """Open the collection, then time its backend's fit (what the deck options' Optimize calls: no public
    Python method wraps it); the seconds and the training items it found. `health_check`: also check how well
    FSRS fits the log (fits again on time-series splits), as the deck options do unless it is turned off."""
    from anki.collection import Collection

    col = Collection(str(path))
    start = time.perf_counter()
    response = col._backend.compute_fsrs_params(
        search=ANKI_SEARCH,
        current_params=[],
        ignore_revlogs_before_ms=0,
        num_of_relearning_steps=RELEARNING_STEPS,
        health_check=health_check,
    )
    seconds = time.perf_counter() - start
    col.close(downgrade=False)
    return seconds, response.fsrs_items


if __name__ == "__main__":
    command, folder = sys.argv[1], Path(sys.argv[2])
    if command == "make":
        print(json.dumps(make(folder)))
    elif command == "quiz":
        print(json.dumps(time_quiz(folder, int(sys.argv[3]))))
    elif command == "anki":
        seconds, items = anki_fit(copy_anki(folder, int(sys.argv[3])), sys.argv[4] == "check")
        print(json.dumps({"seconds": seconds, "items": items}))
    elif command == "anki-process":  # the collection already copied: the parent times this whole process
        anki_fit(folder, health_check=True)
    else:
        sys.exit(f"unknown command {command!r}")
