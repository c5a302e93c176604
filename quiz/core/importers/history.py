"""An Anki package's schedule and review log -> quiz's card states and review log (what `quiz import` keeps).

docs/import-export.md says the mapping for users. In short:
- Review log: ease 1-4 is quiz's grade, the row's id (milliseconds since the epoch) its time, `time` its
  duration, the mode is review. A time after the import's (a damaged log, a clock that was ahead) is the
  import's: it has not happened, and quiz's events are stamped after the latest one (redated_warning); an
  import of the same package again dates it as the one that logged it did (Store.logged_answers). A
  manual entry (set due date, reset: ease 0) is no answer: it is not logged, only counted; a reset ("forget",
  interval 0) makes the card start again from new in the replay. An answer in a filtered deck that does not
  reschedule (Anki's preview: revlog type 3, factor 0) is logged in practice mode: it leaves the card as it was,
  and fitting leaves it out, as Anki's memory states and optimizer do.
- Memory state: FSRS stability and difficulty from the card's `data` when Anki had FSRS on; otherwise the
  card's answers replayed through quiz's scheduler; a review card with no answers at all gets them from its
  interval and ease.
- Due: a review card's `due` is a day number counted from the collection's creation day: it becomes the start
  of that date's study day at quiz's rollover hour (local time), so the card is due on the date Anki said
  whatever hour Anki's day started at. A learning card's `due` is a
  time (seconds); an interday learning card's, a day number. Anki's learning step (`left`: steps to go) is
  counted from the end of quiz's steps. Anki's due date is kept, never the replay's.
- Suspended (queue -1), buried (-2, -3: until the study day ends), flags (cards.flags & 7), and the leech
  tag on the note of a suspended card.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache, lru_cache, partial
from types import MappingProxyType

from quiz.core.anki.model import Card as AnkiCard
from quiz.core.anki.model import Collection, Review
from quiz.core.cardstate import LEARNING, NEW, RELEARNING, REVIEW, CardState
from quiz.core.clock import LATEST_ANSWER, day_end, rollover_on, study_day
from quiz.core.decks import cards_of
from quiz.core.events import card_number
from quiz.core.gcpause import gc_paused
from quiz.core.model import Grade, Mode, Note
from quiz.core.problems import Problem
from quiz.core.scheduler import Scheduler
from quiz.core.settings import Settings
from quiz.core.store import ImportedAnswer, ImportedCard, of_card, state_tuple
from quiz.core.text import named_list

_STATES = {0: NEW, 1: LEARNING, 2: REVIEW, 3: RELEARNING}  # Anki's cards.type -> quiz's fsrs_state
SUSPENDED, BURIED = -1, (-2, -3)  # cards.queue: suspended; buried by the scheduler or by the user
LEARNING_QUEUE = 1  # cards.queue 1: learning within a day, `due` in seconds since the epoch
MANUAL = 4  # revlog.type of "set due date" and "reset" entries (ease 0)
FILTERED = 3  # revlog.type of an answer in a filtered deck; with factor 0, one that did not reschedule
LEECH_TAG = "leech"
_GRADES = {int(grade): grade for grade in Grade}  # revlog.ease 1-4; any other value is no answer
_MAX_DAYS = 100_000  # day numbers beyond this (some 270 years) are damaged values, held to it
_MAX_SECONDS = int(LATEST_ANSWER.timestamp())  # a later Anki time is damaged, held to it
_EPOCH_SECONDS = 1_000_000_000  # a due value above this is a time in seconds, not a day number (2001 on)


@dataclass
class AnkiHistory:
    """What came along, and what did not."""

    cards: list[ImportedCard] = field(default_factory=list)
    manual: int = 0  # manual entries (ease 0) of the cards that came: not answers, not logged
    left_behind: int = 0  # review-log rows of Anki cards that did not come in (their note was skipped)
    # cards whose Anki card's answers are logged under another key (importers.cardhomes): those are not logged again
    away: list[str] = field(default_factory=list)
    # quiz note id -> (its Anki note id, how many of its answers were dated after the import, now dated at its time)
    redated: dict[str, tuple[int, int]] = field(default_factory=dict)
    latest: datetime | None = None  # the latest of those answers' times in the package
    dated_at: datetime | None = None  # the time they were given: the import's, in whole seconds


def has_history(collection: Collection) -> bool:
    """Whether the package carries anything of a schedule: answers, or a card that is not plain new. A
    package exported without scheduling has none."""
    return bool(collection.reviews) or any(card.type or card.queue or card.flag for card in collection.cards)


def anki_history(
    collection: Collection,
    deck_id: str,
    notes: Iterable[Note],
    anki_cards: dict[str, tuple[int, ...]],
    settings: Settings,
    now: datetime,
    homes: Mapping[int, str] = MappingProxyType({}),
    dated_before: Mapping[str, Mapping[tuple[int, int], datetime]] = MappingProxyType({}),
) -> AnkiHistory:
    """The history of every quiz card made from an Anki card. Cloze gaps that share Anki's c-number share
    its card: the first gets its answers, each gets its schedule. The replay runs without fuzz, so the same
    package always gives the same states. The collection's notes, cards and review log are taken
    (Collection.take_notes, take_cards, take_reviews), so they are let go once used. An answer dated after `now` is
    dated at `now` (counted in `redated`). A card whose Anki card's answers an earlier import logged under
    another key (`homes`: Anki card id -> that key) names it: the answers logged there are not logged again
    (counted in `away`). An answer an earlier import dated so (`dated_before`, LoggedAnswers.redated) is dated
    as it was, not counted: the card's state is the one logged, and the answer is no news."""
    scheduler = Scheduler(replace(settings, fuzz=False))
    # each let go once replayed: a shared deck's 45,000 cards (14 MB) make room for the answers, which the
    # import holds the most of at the history's end
    by_id = {card.id: card for card in collection.take_cards()}
    reviews = collection.take_reviews()
    # the notes' fields are not needed here, only their leech tags: let go before the replay
    leech_notes = {note.id for note in collection.take_notes() if LEECH_TAG in (tag.lower() for tag in note.tags)}
    history = AnkiHistory()
    today = study_day(now, settings.rollover_hour)
    # many review cards fall due on each day
    day_start = cache(partial(study_day_start, collection, rollover_hour=settings.rollover_hour, today=today))
    latest = int(now.timestamp())  # whole seconds, as the log's times are taken
    with gc_paused():  # hundreds of thousands of states and answers, all kept: the collector would only rescan them
        for note in notes:
            for card, anki_id in zip(cards_of(deck_id, note), anki_cards.get(note.id, ()), strict=False):
                anki_card = by_id.pop(anki_id, None)  # each Anki card is one quiz card's (none: NO_CARD, new)
                if anki_card is None:
                    continue
                home = None
                if homes.get(anki_id, card.key) != card.key:
                    home = homes[anki_id]
                    history.away.append(card.key)
                number = card_number(deck_id, card.key)
                # rare: only the cards with answers an earlier import dated at its time
                dated = {row: at for found in of_card(dated_before, card.key, home) for row, at in found.items()}
                replay = _Replay(scheduler, number, note.kind, reviews.pop(anki_id), latest, dated)
                state = _state(day_start, anki_card, replay, scheduler, anki_card.note_id in leech_notes, now)
                flag, answers = anki_card.flag, tuple(replay.answers)
                history.manual += replay.manual
                if replay.dated is not None:
                    _, before = history.redated.get(note.id, (0, 0))
                    history.redated[note.id] = anki_card.note_id, before + replay.redated
                    history.latest = max(history.latest or replay.dated, replay.dated)
                    history.dated_at = datetime.fromtimestamp(latest, UTC)
                history.cards.append(ImportedCard(card.key, answers, state, flag, home))
    history.left_behind = len(reviews)  # the rows of the cards not replayed
    _due_after.cache_clear()  # its few thousand timedeltas, not held through the store's write (the import's peak)
    _duration.cache_clear()
    return history


_NAMED = 10  # notes a warning names; the rest are counted


def redated_warning(history: AnkiHistory, path: str, lines: dict[str, int]) -> Problem | None:
    """The one warning about answers dated after the import (None: there were none), naming their notes by their
    line in the package and their Anki note id."""
    if history.latest is None or history.dated_at is None:
        return None
    notes = sorted((lines.get(note_id, 0), anki_id, count) for note_id, (anki_id, count) in history.redated.items())
    answers = sum(count for _, _, count in notes)
    shown = [f"line {line} (Anki note {anki_id}{f', {n} answers' if n > 1 else ''})" for line, anki_id, n in notes]
    named = named_list(shown, _NAMED, "more notes")
    return Problem(
        path,
        notes[0][0] if len(notes) == 1 else 0,
        1,
        f"{answers} answer{'s' * (answers > 1)} of Anki's review log dated after this import (as late as "
        f"{history.latest:%Y-%m-%d %H:%M} UTC) {'are' if answers > 1 else 'is'} dated at the import's time, "
        f"{history.dated_at:%Y-%m-%d %H:%M:%S} UTC, in {'their' if answers > 1 else 'its'} order, with "
        f"{'their' if answers > 1 else 'its'} grade and duration: {named}",
        "the computer that gave them had its clock ahead, or the package is damaged",
        severity="warning",
    )


class _Replay:
    """A card's answers in time order through quiz's scheduler: the review-log rows and the memory state.
    Each run of answers from new (the whole history, or what follows a reset) is one replay_history call. A
    row's time after `latest` (seconds since the epoch) is `latest`: the rows stay in their order. A row an
    earlier import dated at its own time (`dated_before`: (the row's time, grade) -> that time) is dated so again,
    and not counted in `redated`; the rows then run in the order of the times they are logged at
    (_in_logged_order), as the first import ran them."""

    def __init__(
        self,
        scheduler: Scheduler,
        number: int,
        kind: str,
        rows: list[Review],
        latest: int,
        dated_before: Mapping[tuple[int, int], datetime],
    ) -> None:
        self.answers: list[ImportedAnswer] = []
        self.manual = 0
        self.redated = 0  # answers dated after `latest`, dated at it
        self.dated: datetime | None = None  # the latest time the log gave one of them
        self.state = CardState(kind=kind)
        run: list[tuple[Grade, datetime, datetime | None]] = []  # grade, time, Anki's due
        previews: list[bool] = []  # each answer of `run`: one that left the card as it was
        durations: list[int] = []
        logged: list[datetime | None] = []  # the package's time of an answer dated at the import's, else None
        # (looked up once: a shared deck's log has 300,000 rows)
        moment, grades, due_after, duration = datetime.fromtimestamp, _GRADES, _due_after, _duration
        if dated_before:
            rows = _in_logged_order(rows, latest, dated_before)
        for milliseconds, _card, ease, interval, _last, factor, time_ms, entry in rows:
            grade = grades.get(ease)
            if grade is None:
                self.manual += 1
                if entry == MANUAL and interval == 0:  # a reset: Anki starts the card again as new
                    self._replay(scheduler, number, run, previews, durations, logged)
                    self.state, run, previews, durations, logged = CardState(kind=kind), [], [], [], []
                continue
            seconds = max(milliseconds // 1000, 0)
            logged_at = None
            earlier = dated_before.get((min(seconds, _MAX_SECONDS), ease)) if dated_before else None
            if earlier is not None:  # as the log holds it: the card's state stays the one logged
                logged_at, at = moment(min(seconds, _MAX_SECONDS), UTC), earlier
            elif seconds > latest:
                self.redated += 1
                self.dated = logged_at = moment(min(seconds, _MAX_SECONDS), UTC)  # the rows are in time order
                at = moment(latest, UTC)
            else:
                at = moment(seconds, UTC)
            after = due_after(interval)
            run.append((grade, at, None if after is None else at + after))
            previews.append(entry == FILTERED and factor == 0)
            durations.append(duration(time_ms))
            logged.append(logged_at)
        self._replay(scheduler, number, run, previews, durations, logged)

    def _replay(
        self,
        scheduler: Scheduler,
        number: int,
        run: list[tuple[Grade, datetime, datetime | None]],
        previews: list[bool],
        durations: list[int],
        logged: list[datetime | None],
    ) -> None:
        if any(previews):  # rare: the other answers' states are the replay's; a preview's is the state before it
            counted = [answer for answer, preview in zip(run, previews, strict=True) if not preview]
            replayed, last = scheduler.replay_history(number, self.state, counted)
            before, following = _new_values(self.state.kind), iter(replayed)
            states = []
            for preview in previews:
                before = before if preview else next(following)
                states.append(before)
        else:
            states, last = scheduler.replay_history(number, self.state, run)
        before, answers = _new_values(self.state.kind), self.answers  # a run starts from new (replay_history)
        new = tuple.__new__  # as ImportedAnswer(...) makes it, without a Python call an answer
        modes = (Mode.REVIEW, Mode.PRACTICE)  # a preview, as quiz's practice, leaves the card as it was
        for (grade, at, _due), duration, logged_at, after, preview in zip(
            run, durations, logged, states, previews, strict=True
        ):
            answers.append(new(ImportedAnswer, (grade, at, duration, before, after, logged_at, modes[preview])))
            before = after
        self.state = last

    @property
    def last_answer(self) -> datetime | None:
        return self.answers[-1].at if self.answers else None


def _in_logged_order(rows: list[Review], latest: int, dated_before: Mapping[tuple[int, int], datetime]) -> list[Review]:
    """A card's rows (Anki's order: by time) in the order of the times their answers are logged at, Anki's for
    equal times: one rule for every import. A first import dates the rows after `latest` at it, which keeps
    Anki's order; an import again dates those at that import's time, earlier than an answer the student gave
    since in Anki (after that import, before the row's own time: a clock put right), which runs after them as
    logged. A row that is no answer (a reset) is not logged: it stays before the answers that follow it in
    Anki's order."""
    times = []
    for milliseconds, _card, ease, *_ in rows:
        seconds = min(max(milliseconds // 1000, 0), _MAX_SECONDS)
        earlier = dated_before.get((seconds, ease)) if ease in _GRADES else None
        times.append(min(seconds, latest) if earlier is None else earlier.timestamp())
    following = float("inf")  # the earliest time of the answers after a row
    for number in reversed(range(len(rows))):
        if rows[number].ease in _GRADES:
            following = min(following, times[number])
        else:
            times[number] = min(times[number], following)
    return [rows[number] for number in sorted(range(len(rows)), key=times.__getitem__)]  # a stable sort


@cache
def _due_after(interval: int) -> timedelta | None:
    """How long after an answer Anki said the card would be due again: its `ivl` is days when positive, seconds
    when negative (a learning step); 0 says nothing. Cached for one import (anki_history): a log repeats the same
    intervals (the 300,000 rows of the benchmark package hold 2,142)."""
    if interval > 0:
        return timedelta(days=min(interval, _MAX_DAYS))
    if interval < 0:
        return timedelta(seconds=min(-interval, _MAX_SECONDS))
    return None


@lru_cache(maxsize=1 << 16)
def _duration(milliseconds: int) -> int:
    """An answer's duration, one int for each value: a log repeats a few thousand (Anki holds an answer's time to a
    minute by default), while an int each took 9 MB of a shared deck's 300,000 answers, held through the import's
    peak. Cached for one import (anki_history), at most 65,536 values (a damaged log's are not all held twice)."""
    return milliseconds if milliseconds > 0 else 0


@cache
def _new_values(kind: str) -> tuple[object, ...]:
    """A new card's state as an imported answer holds it, shared by every card of the kind: one per card (tens of
    thousands, each held until written) took a big import's peak over 300 MB."""
    return state_tuple(CardState(kind=kind))


def _state(
    day_start: Callable[[int], datetime],
    card: AnkiCard,
    replay: _Replay,
    scheduler: Scheduler,
    leech_note: bool,
    now: datetime,
) -> CardState | None:
    """The card's state now: Anki's schedule with FSRS's memory state; None for a new card left as it is."""
    fsrs_state = _STATES.get(card.type, NEW)
    suspended = card.queue == SUSPENDED
    buried_until = day_end(now, scheduler.settings.rollover_hour) if card.queue in BURIED else None
    kind = replay.state.kind
    if fsrs_state == NEW:
        if not suspended and buried_until is None:
            return None
        return CardState(kind=kind, suspended=suspended, buried_until=buried_until)
    due = _due(day_start, card)
    data = _data(card.data)
    stability, difficulty = _memory(card, replay, data)
    # a card with no answers: Anki's last review, which has happened (the answers' times are held to now too)
    last_review = replay.last_answer or min(_last_review(data, due, card.interval, fsrs_state), now)
    return CardState(
        kind=kind,
        fsrs_state=fsrs_state,
        step=None if fsrs_state == REVIEW else _step(card.left, fsrs_state, scheduler),
        stability=stability,
        difficulty=difficulty,
        due=due,
        last_review=last_review,
        reps=max(card.reps, 0),
        lapses=max(card.lapses, 0),
        suspended=suspended,
        leech=leech_note and suspended,  # Anki's leech action suspends the card; an unsuspended one is studied
        buried_until=buried_until,
    )


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))


def study_day_start(collection: Collection, day: int, rollover_hour: int, today: date) -> datetime:
    """When the study day of Anki's day number `day` begins here (UTC): `day` days after the collection's creation
    date (as Anki counts days, rslib/src/scheduler/timing.rs), at quiz's `rollover_hour`, local time. Not at
    Anki's own rollover hour: with Anki's day starting at midnight and quiz's at 4 am, a card due at midnight
    would fall in the study day before the date Anki gave. The creation date is the one where the collection was
    made (its creationOffset), as Anki takes it: a collection made in Tokyo was created a day later than New
    York's date of that moment, and its days count from there. A collection made on a date not reached here yet
    (`today`: the import's study day), made further east within the day, counts from today: Anki's count of
    days since the creation is never below 0, so its day 0 is today wherever it is imported."""
    offset = collection.creation_offset
    made_in = None if offset is None else timezone(timedelta(minutes=-offset))  # None: local time
    created = min(datetime.fromtimestamp(_clamp(collection.created, 0, _MAX_SECONDS), made_in).date(), today)
    return rollover_on(created + timedelta(days=_clamp(day, -_MAX_DAYS, _MAX_DAYS)), rollover_hour)


def _due(day_start: Callable[[int], datetime], card: AnkiCard) -> datetime:
    due = card.original_due if card.original_deck_id and card.original_due else card.due  # a filtered deck's card
    if card.queue == LEARNING_QUEUE or (card.type in (1, 3) and due > _EPOCH_SECONDS):
        return datetime.fromtimestamp(_clamp(due, 0, _MAX_SECONDS), UTC)
    return day_start(due)


def _data(text: str) -> dict[str, object]:
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _positive(value: object) -> float | None:
    """A positive finite number of Anki's card data, else None: a damaged value (1e999 reads as infinity, a
    400-digit whole number fits no float) is taken as no value, so a card with one has no memory state of
    Anki's (its answers' is used, as for any other damaged value)."""
    if isinstance(value, int | float) and 0 < value <= sys.float_info.max:  # exact: NaN, infinity and such fail
        return float(value)
    return None


def _memory(card: AnkiCard, replay: _Replay, data: dict[str, object]) -> tuple[float, float]:
    """FSRS (stability, difficulty): Anki's own when it ran FSRS, else the replay's, else from the schedule."""
    stability, difficulty = _positive(data.get("s")), _positive(data.get("d"))
    if stability is not None and difficulty is not None:
        return stability, min(max(difficulty, 1.0), 10.0)
    if replay.state.stability is not None and replay.state.difficulty is not None:
        return replay.state.stability, replay.state.difficulty
    # No answers to replay: the interval is about how long recall stays likely, the ease how hard (SM-2's
    # 250 % is a middling card; each 24 points below it a step harder on FSRS's 1-10 scale).
    factor = card.factor or 2500
    return float(max(card.interval, 1)), min(max(5.0 + (2500 - factor) / 240, 1.0), 10.0)


def _last_review(data: dict[str, object], due: datetime, interval: int, fsrs_state: int) -> datetime:
    """When the card was last answered, for a card whose answers did not come: Anki's `lrt` if it kept one,
    else its due date less its interval."""
    if (lrt := _positive(data.get("lrt"))) is not None:
        return datetime.fromtimestamp(min(lrt, _MAX_SECONDS), UTC)
    days = _clamp(interval, 0, _MAX_DAYS) if fsrs_state == REVIEW else 0
    return due - timedelta(days=days)


def _step(left: int, fsrs_state: int, scheduler: Scheduler) -> int:
    """quiz's learning step for Anki's `left` (its low three digits: steps still to go), counted from the end."""
    settings = scheduler.settings
    steps = settings.relearning_steps_minutes if fsrs_state == RELEARNING else settings.learning_steps_minutes
    if not steps:
        return 0
    return _clamp(len(steps) - left % 1000, 0, len(steps) - 1)
