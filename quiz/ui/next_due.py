"""How the app says when the next card is due, in one place: Home's notice when nothing is left to study, and
the session summary."""

from __future__ import annotations

from datetime import datetime

from quiz.core.scheduler import format_interval


def next_card_due(moment: datetime, now: datetime) -> str:
    """'Next card due in 10m (Mon 30 Nov 09:10)', the day and time in local time."""
    return f"Next card due in {format_interval(moment - now)} ({moment.astimezone():%a %d %b %H:%M})"
