"""Study days where the clocks jump forward past the rollover hour (zoneinfo): every moment lies between the
start and the end of the study day study_day names, and a day starts at its first moment."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.core.clock import day_end, day_start, days_later, rollover_on, study_day

# Where and on which local date the clocks jump forward
JUMPS = [
    ("Europe/Berlin", date(2026, 3, 29)),  # 2 to 3 am
    ("America/New_York", date(2026, 3, 8)),  # 2 to 3 am
    ("America/Santiago", date(2026, 9, 6)),  # midnight to 1 am
    ("Australia/Lord_Howe", date(2026, 10, 4)),  # 2 to 2:30 am
    ("Pacific/Chatham", date(2026, 9, 27)),  # 2:45 to 3:45 am: not at an hour
    ("Antarctica/Troll", date(2026, 3, 29)),  # 1 to 3 am: two hours
    ("America/St_Johns", date(2011, 3, 13)),  # 0:01 to 1:01 am
    ("Pacific/Apia", date(2011, 12, 30)),  # the whole of 30 December skipped
]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(JUMPS), st.integers(0, 23), st.integers(-36 * 3600, 60 * 3600))
def test_every_moment_near_a_jump_is_in_the_study_day_study_day_names(
    jump: tuple[str, date], rollover: int, seconds: int
) -> None:
    """Where the jump is not at the rollover hour (Chatham's 2:45, Troll's two hours, St John's 0:01) or skips
    a date, the day began at the hour after the jump, an hour or more late: its first moments were in it by
    study_day but before its start (the scheduler's cached day end was then wrong, below), or the day before
    ended where it began."""
    name, jumped = jump
    zone = ZoneInfo(name)
    moment = datetime(jumped.year, jumped.month, jumped.day, tzinfo=zone).astimezone(UTC) + timedelta(seconds=seconds)
    start, end = day_start(moment, rollover, zone), day_end(moment, rollover, zone)
    assert start <= moment < end, (moment, start, end)
    day = study_day(moment, rollover, zone)
    assert study_day(start, rollover, zone) == day != study_day(start - timedelta(microseconds=1), rollover, zone)
    assert end - start <= timedelta(hours=24)


@pytest.mark.parametrize(
    ("zone", "jumped", "rollover", "begins"),
    [
        # a rollover at 2 am, which the clocks skip: the day begins at 3 am and is 23 hours long
        ("Europe/Berlin", date(2026, 3, 29), 2, "03:00:00+02:00"),
        ("America/New_York", date(2026, 3, 8), 2, "03:00:00-04:00"),
        ("Pacific/Chatham", date(2026, 9, 27), 3, "03:45:00+13:45"),  # when the clocks pass 3 am, not at 4 am
        ("Antarctica/Troll", date(2026, 3, 29), 2, "03:00:00+02:00"),
    ],
)
def test_a_study_day_whose_rollover_hour_is_skipped_begins_when_the_clocks_jump_past_it(
    zone: str, jumped: date, rollover: int, begins: str
) -> None:
    local = ZoneInfo(zone)
    start = rollover_on(jumped, rollover, local)
    assert start.astimezone(local).isoformat() == f"{jumped.isoformat()}T{begins}"
    assert rollover_on(jumped + timedelta(days=1), rollover, local) - start < timedelta(hours=24)


@pytest.mark.parametrize("answered", ["01:30", "02:30", "03:30"])
def test_a_card_due_at_a_time_the_clocks_skip_is_due_on_its_study_day(answered: str) -> None:
    """An answer at 2:30 am the day before Berlin skips 2 to 3 am, with a rollover at 2: due a day later at a
    time that exists, on the next study day."""
    berlin = ZoneInfo("Europe/Berlin")
    now = datetime.fromisoformat(f"2026-03-28T{answered}").replace(tzinfo=berlin).astimezone(UTC)
    due = days_later(now, 1, 2, berlin)
    assert study_day(due, 2, berlin) == study_day(now, 2, berlin) + timedelta(days=1)
    assert due.astimezone(berlin).astimezone(UTC) == due  # a real moment
    assert day_start(due, 2, berlin) <= due < day_end(due, 2, berlin)


def test_the_scheduler_s_day_ends_near_a_jump_are_the_study_days_ends() -> None:
    """Chatham, rollover at 3 am, just after its clocks jump from 2:45 to 3:45: the scheduler, asked about the
    evening before first, said the study day begun at 3:45 ended at 4:00 (its learning steps due then)."""
    from quiz.core.scheduler import Scheduler
    from quiz.core.settings import Settings

    chatham = ZoneInfo("Pacific/Chatham")
    scheduler = Scheduler(Settings(rollover_hour=3), zone=chatham)
    jump = datetime(2026, 9, 27, 3, 45, tzinfo=chatham).astimezone(UTC)
    for minutes in (-30, 5, 600, -600, 10, 1500):
        moment = jump + timedelta(minutes=minutes)
        assert scheduler.day_end(moment) == day_end(moment, 3, chatham), minutes
    assert (
        scheduler.day_end(jump + timedelta(minutes=10)).astimezone(chatham).isoformat() == "2026-09-28T03:00:00+13:45"
    )


def test_in_the_computer_s_own_zone_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """The computer's zone (no zone given) reads a skipped wall time's two folds the other way round."""
    import time

    monkeypatch.setenv("TZ", "Pacific/Chatham")
    time.tzset()
    try:
        start = rollover_on(date(2026, 9, 27), 3)
        assert start == datetime(2026, 9, 27, 3, 45, tzinfo=ZoneInfo("Pacific/Chatham")).astimezone(UTC)
        assert day_start(start + timedelta(minutes=10), 3) == start
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
