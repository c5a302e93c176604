"""One injected clock for the whole program. Every time it hands out is timezone-aware UTC."""

from __future__ import annotations

import functools
import os
import time
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that moves only when told to: for tests."""

    def __init__(self, start: datetime) -> None:
        self.current = as_utc(start)

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


class StartedClock:
    """Starts at a given time and runs on in real time (what QUIZ_NOW gives)."""

    def __init__(self, start: datetime) -> None:
        self._start = as_utc(start)
        self._origin = time.monotonic()

    @property
    def start(self) -> datetime:
        return self._start

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._origin)


def as_utc(moment: datetime) -> datetime:
    """Naive datetimes are read as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def iso_or_none(moment: datetime | None) -> str | None:
    """How quiz writes a time (ISO-8601) in the store and in review-log JSON."""
    return moment.isoformat() if moment else None


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_DAY_US, _MINUTE_US, _SECOND_US = 86_400_000_000, 60_000_000, 1_000_000
# The texts of a day's minutes and of a minute's seconds, made once: an import writes a million times
_MINUTES = tuple(f"{hour:02d}:{minute:02d}:" for hour in range(24) for minute in range(60))
_SECONDS = tuple(f"{second:02d}" for second in range(60))


def utc_micros(moment: datetime) -> int:
    """An aware moment as microseconds since 1970 UTC (exact: no float)."""
    return (moment - EPOCH) // _MICROSECOND


@functools.lru_cache(maxsize=4096)
def _day_text(day: int) -> str:
    return (EPOCH + timedelta(days=day)).isoformat()[:11]  # "YYYY-MM-DDT"


def micros_text(micros: int) -> str:
    """The moment `micros` (utc_micros) as `moment.astimezone(UTC).isoformat()` writes it, without a datetime:
    isoformat costs about twice this, and an import writes a million times."""
    day, of_day = divmod(micros, _DAY_US)
    minute, of_minute = divmod(of_day, _MINUTE_US)
    second, microsecond = divmod(of_minute, _SECOND_US)
    text = _day_text(day) + _MINUTES[minute] + _SECONDS[second]
    return f"{text}.{microsecond:06d}+00:00" if microsecond else text + "+00:00"


def moment_or_none(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def parse_instant(text: str) -> datetime:
    """ISO-8601 (a trailing Z allowed) -> aware UTC, or ValueError saying what was expected (OverflowError
    when its offset moves it past year 1 or 9999)."""
    try:
        return as_utc(datetime.fromisoformat(text.strip()))
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO-8601 time such as 2026-01-31T09:00:00Z") from None


# The times QUIZ_NOW may start at. Outside them quiz cannot work: due dates up to a century ahead, local
# day boundaries and four-digit backup names all need room on either side of year 1 and year 9999.
EARLIEST_NOW = datetime(1970, 1, 1, tzinfo=UTC)
# The latest time an answer may have: QUIZ_NOW ends a second before it, an import holds a damaged Anki log's
# times to it, and sync reads an answer's time up to it.
LATEST_ANSWER = datetime(3000, 1, 1, tzinfo=UTC)
LATEST_NOW = LATEST_ANSWER - timedelta(seconds=1)


def clock_from_env(environ: dict[str, str] | os._Environ[str] = os.environ) -> Clock:
    """QUIZ_NOW (a testing aid) sets the program's starting "now"; otherwise the system clock.
    A bad value is a ValueError whose message is the one line to show."""
    value = environ.get("QUIZ_NOW", "").strip()
    if not value:
        return SystemClock()
    try:
        start = parse_instant(value)
    except ValueError as exc:
        raise ValueError(f"QUIZ_NOW {exc}") from None
    except OverflowError:
        start = None
    if start is None or not EARLIEST_NOW <= start <= LATEST_NOW:
        raise ValueError(f"QUIZ_NOW {value} must be between {_z(EARLIEST_NOW)} and {_z(LATEST_NOW)}")
    return StartedClock(start)


def _z(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# `zone`: where days are counted; None (the default) is the time zone the computer is set to now.
Zone = tzinfo | None


def rollover_on(day: date, rollover_hour: int, zone: Zone = None) -> datetime:
    """When the study day `day` begins (UTC): `rollover_hour` o'clock local time that date, at that date's own
    offset (DST); when the clocks skip that hour, the moment they jump past it (that day is shorter, 23 hours
    for a 1-hour jump; a date a zone skips whole, Samoa's 30 December 2011, has a day of its hours after
    midnight, or none). So every moment is in the study day study_day names, between its start and its end."""
    wall = datetime(day.year, day.month, day.day, rollover_hour)
    readings = _readings(wall, zone)
    # the jump is not always at the rollover hour: Chatham's clocks go from 2:45 to 3:45, Troll's from 1 to 3
    return _when_clocks_pass(wall, zone, *sorted(readings)) if _skipped(wall, readings, zone) else min(readings)


def _readings(wall: datetime, zone: Zone) -> tuple[datetime, datetime]:
    """The local time `wall` (naive) in UTC, read at the offsets before and after a clock change (fold 0 and
    1): the same moment but for a wall time the clocks repeat or skip."""
    first, second = (
        (wall.replace(fold=fold) if zone is None else wall.replace(tzinfo=zone, fold=fold)).astimezone(UTC)
        for fold in (0, 1)
    )
    return first, second


def _skipped(wall: datetime, readings: tuple[datetime, datetime], zone: Zone) -> bool:
    """Whether the clocks skip `wall`: its readings differ and are not it. Which reading is the earlier differs
    (zoneinfo's fold 0 is, the computer's own zone's fold 1)."""
    return readings[0] != readings[1] and readings[0].astimezone(zone).replace(tzinfo=None) != wall


def _when_clocks_pass(wall: datetime, zone: Zone, before: datetime, after: datetime) -> datetime:
    """The first moment after `before` and by `after` whose local time is `wall` (naive) or later: where the
    clocks jump past a wall time they skip, found to the microsecond (~40 steps, only at a jump)."""
    while after - before > _MICROSECOND:
        middle = before + (after - before) // 2
        if middle.astimezone(zone).replace(tzinfo=None) < wall:
            before = middle
        else:
            after = middle
    return after


def _wall_time_on(wall: datetime, day: date, rollover_hour: int, zone: Zone) -> datetime:
    """The local time `wall` (naive) in UTC. A clock change makes some wall times happen twice (the earlier is
    taken) or never (the skipped hour): then whichever reading of it falls in study day `day`, as a wall clock
    read minus the rollover hour (study_day) places it; when neither does, the moment the clocks jump past it."""
    readings = _readings(wall, zone)
    for moment in readings:
        if study_day(moment, rollover_hour, zone) == day:
            return moment
    return _when_clocks_pass(wall, zone, *sorted(readings)) if _skipped(wall, readings, zone) else readings[1]


def day_end(now: datetime, rollover_hour: int = 4, zone: Zone = None) -> datetime:
    """When the current study day ends (UTC): the next `rollover_hour` o'clock, local time, like Anki."""
    return rollover_on(study_day(now, rollover_hour, zone) + timedelta(days=1), rollover_hour, zone)


def day_start(now: datetime, rollover_hour: int = 4, zone: Zone = None) -> datetime:
    """When the current study day began (UTC)."""
    return rollover_on(study_day(now, rollover_hour, zone), rollover_hour, zone)


def study_day(moment: datetime, rollover_hour: int = 4, zone: Zone = None) -> date:
    """The local date of the study day `moment` falls in (a day ends at the rollover hour)."""
    return (moment.astimezone(zone) - timedelta(hours=rollover_hour)).date()


def study_days_after(moment: datetime, today: date, rollover_hour: int = 4) -> int:
    """How many study days after `today` `moment` falls (0: today, negative: before). Counted by local dates:
    a span of whole 24-hour steps is one hour short or long of whole days across a DST change."""
    return (study_day(moment, rollover_hour) - today).days


def days_later(moment: datetime, days: int, rollover_hour: int, zone: Zone = None) -> datetime:
    """The same local time of day `days` study days after `moment` (UTC): 24-hour steps would land an hour off
    it across a DST change, on another study day when the answer was given within an hour of the rollover."""
    later = moment.astimezone(zone).replace(tzinfo=None) + timedelta(days=days)
    return _wall_time_on(later, study_day(moment, rollover_hour, zone) + timedelta(days=days), rollover_hour, zone)


def window_start(now: datetime, days: int, rollover_hour: int = 4) -> datetime:
    """When the last `days` study days (today the last) began (UTC): the rollover hour of that local date, since
    days - 1 steps of 24 hours back from today's start miss or take an hour across a DST change."""
    return rollover_on(study_day(now, rollover_hour) - timedelta(days=days - 1), rollover_hour)
