"""`quiz list` and `quiz stats`: what the decks hold and how study is going, as text or JSON."""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import asdict
from pathlib import Path

from quiz.context import Context
from quiz.core import stats
from quiz.core.clock import window_start
from quiz.core.library import case_clashes
from quiz.core.memorystats import HELP as MEMORY_HELP
from quiz.core.memorystats import MemoryRow, memory_rows, share
from quiz.core.problems import errors
from quiz.core.text import shell_word
from quiz.output import echo


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    listing = sub.add_parser("list", help="decks with their new / learning / due cards, before the day's limits")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(run=run_list)
    report = sub.add_parser("stats", help="reviews, retention, card states and the due forecast")
    report.add_argument("--json", action="store_true", help="print JSON instead of text")
    report.set_defaults(run=run_stats)


def _report_broken(context: Context) -> None:
    """The deck files that did not load, then those named as another beside them but for case."""
    for result in context.library.broken:
        first = (errors(result.problems) or result.problems)[0]  # a deck that did not load has at least one
        more = f" (and {len(result.problems) - 1} more)" if len(result.problems) > 1 else ""
        where = f"line {first.line}, column {first.column}: " if first.line else ""  # 0: the whole file
        validate = _validate(Path(result.path), context)
        echo(f"{result.path}: not loaded: {where}{first.shown_message}{more}; `{validate}` says more")
    for clash in case_clashes(Path(result.path) for result in context.library.results):
        echo(f"{clash.path}: warning: {clash.message}; {clash.hint}")


def _validate(path: Path, context: Context) -> str:
    """The command that says why a deck file did not load: one loaded only because --deck named it, or its
    folder, is checked among the decks it clashed with only when that --deck is given again."""
    real = Path(os.path.realpath(path))
    given = [extra for extra in context.extra_decks if real.is_relative_to(os.path.realpath(extra))]
    deck = f" --deck {shell_word(given[0])}" if given else ""
    return f"quiz{deck} validate {shell_word(path)}"


def run_list(args: argparse.Namespace, context: Context) -> int:
    now = context.clock.now()
    rollover = context.store.settings().rollover_hour
    rows = []
    for deck in context.library.decks:
        counts = stats.read_deck_counts(context.store, deck, now, rollover)
        rows.append({"deck": deck.id, "title": deck.title, "path": deck.path, **asdict(counts)})
    if args.json:
        print(json.dumps(rows, indent=2))  # ASCII: json escapes every control character
        return 0
    echo(f"{'deck':<24} {'new':>5} {'learn':>5} {'due':>5} {'cards':>6}  title")
    for row in rows:
        echo(
            f"{row['deck']:<24} {row['new']:>5} {row['learning']:>5} {row['due']:>5} {row['total']:>6}  {row['title']}",
            literal=[str(row["title"])],
        )
    _report_broken(context)
    return 0


def by_mode(counts: dict[str, int]) -> str:
    return ", ".join(f"{mode} {count}" for mode, count in counts.items()) + f" ({sum(counts.values())} in all)"


def run_stats(args: argparse.Namespace, context: Context) -> int:
    now = context.clock.now()
    store = context.store
    decks = context.library.decks
    rollover = store.settings().rollover_hour
    in_library = {deck.id for deck in decks}
    retention, counted, target = stats.true_retention(store, now, fallback=stats.FallbackTarget(store, in_library))
    answers = stats.answers_by_mode(store)
    recent = stats.answers_by_mode(store, window_start(now, 30, rollover))
    per_day = stats.reviews_per_day(store, now, 30, rollover)
    states = stats.card_state_breakdown(decks, store)
    forecast = stats.due_forecast(decks, store, now, 30, rollover)
    mastery_by_deck = {d.id: stats.topic_mastery(d, store) for d in decks}
    memory = memory_rows(store, decks, now)
    if args.json:
        report = {
            "answers_total": answers,
            "answers_last_30_days": recent,
            "reviews_per_day_last_30": per_day,
            "true_retention_30d": retention,
            "retention_reviews_counted": counted,
            "desired_retention": target.value,
            "card_states": states,
            "due_forecast_30d": forecast,
            "topic_mastery": mastery_by_deck,
            "memory": [_memory_json(row) for row in memory],
        }
        print(json.dumps(report, indent=2))
        return 0
    shown = "n/a" if retention is None else f"{retention:.0%} of {counted}"
    echo(f"answers logged:    {by_mode(answers)}")
    echo(f"last 30 days:      {by_mode(recent)}")
    echo("                   (review answers move the schedule; practice and exam answers leave it alone)")
    desired = stats.target_words(target)
    echo(f"true retention:    {shown} (desired {desired}; review answers to cards in review, last 30 days)")
    echo("card states:       " + ", ".join(f"{k} {v}" for k, v in states.items()))
    echo(f"due next 7 days:   {forecast[:7]}")
    for deck_id, mastery in mastery_by_deck.items():
        if not mastery:  # a deck without topics has no line, as on the stats screen
            continue
        echo(f"mastery {deck_id}: " + ", ".join(f"{t} {m:.0%}" for t, m in mastery.items()))
    _echo_memory(memory)
    return 0


_WIDTHS = (11, 10, 10, 11, 12)


def _echo_memory(rows: list[MemoryRow]) -> None:
    """Predicted recall per deck and topic beside the answers, and a line saying what each column is."""
    echo("memory (predicted from memory states, beside the answers):")
    heads = zip(MEMORY_HELP, _WIDTHS, strict=True)
    echo(f"  {'deck/topic':<28} " + " ".join(f"{head:>{width}}" for head, width in heads))
    for row in rows:
        name = row.deck_id if row.topic is None else f"  {row.topic}"
        exam = row.exam.day.isoformat() if row.exam else "–"
        cells = (f"{row.studied}/{row.cards}", share(row.recall_now), exam, share(row.recall_on_exam), share(row.right))
        echo(f"  {name:<28} " + " ".join(f"{cell:>{width}}" for cell, width in zip(cells, _WIDTHS, strict=True)))
    for label, meaning in MEMORY_HELP.items():
        echo(f"  {label}: {meaning}")


def _memory_json(row: MemoryRow) -> dict[str, object]:
    return {
        "deck": row.deck_id,
        "topic": row.topic,
        "cards": row.cards,
        "studied": row.studied,
        "recall_now": row.recall_now,
        "exam_day": row.exam.day.isoformat() if row.exam else None,
        "recall_on_exam_day": row.recall_on_exam,
        "right_30d": row.right,
        "answers_30d": row.answers,
    }
