"""The review log -> CSV. Its cells need no formula guard: they are ids (a letter or digit first),
numbers and times."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from datetime import UTC
from typing import TextIO

from quiz.core.model import Mode
from quiz.core.store import ReviewRecord

REVIEW_COLUMNS = ("deck", "card", "grade", "time_utc", "duration_ms", "mode")


def write_review_table(records: Iterable[ReviewRecord], out: TextIO) -> Counter[Mode]:
    """deck, card key, grade (1 again, 2 hard, 3 good, 4 easy), ISO time in UTC, milliseconds, mode. Returns the
    rows written by mode: a practice or exam answer is no review, and is told apart."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(REVIEW_COLUMNS)
    written: Counter[Mode] = Counter()
    for record in records:
        at = record.reviewed_at
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
        writer.writerow(
            (
                record.deck_id,
                record.card_key,
                int(record.grade),
                at.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                record.duration_ms,
                record.mode.value,
            )
        )
        written[record.mode] += 1
    return written
