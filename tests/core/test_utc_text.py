"""An import writes a time's UTC text and an event id's millisecond from the time's microseconds, without a
datetime (clock.micros_text, EventIds.at_micros): both held byte for byte to what the datetime gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.core.clock import micros_text, utc_micros
from quiz.core.events import EventIds

# Any offset a zone has, and moments whose UTC time stays inside datetime's calendar
_ZONES = st.builds(
    timezone, st.timedeltas(min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59))
)
_MOMENTS = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC) | _ZONES)
# An import's times: seconds, milliseconds and microseconds since 1970 and around it (Anki keeps milliseconds)
_IMPORTED = st.integers(min_value=-(10**15), max_value=4 * 10**16).flatmap(
    lambda micros: st.sampled_from([micros, micros // 1000 * 1000, micros // 10**6 * 10**6])
)


@settings(max_examples=1000, derandomize=True, database=None)
@given(_MOMENTS)
def test_micros_text_is_isoformat_of_utc(moment: datetime) -> None:
    assert micros_text(utc_micros(moment)) == moment.astimezone(UTC).isoformat()


@settings(max_examples=1000, derandomize=True, database=None)
@given(_IMPORTED)
def test_micros_text_of_an_imported_time(micros: int) -> None:
    moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)
    assert utc_micros(moment) == micros
    assert micros_text(micros) == moment.isoformat()


@settings(max_examples=1000, derandomize=True, database=None)
@given(_IMPORTED.filter(lambda micros: micros >= 0))
def test_an_id_of_microseconds_has_the_millisecond_of_the_moment(micros: int) -> None:
    """The 48 bits of milliseconds an id starts with (its first 13 hex digits, with the dash) are the ones an
    id of the datetime has: the float division timestamp() makes, made the same way."""
    moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)
    assert EventIds().at_micros(micros)[:13] == EventIds()(moment)[:13]
