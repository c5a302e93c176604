"""Key to next card painted, driven by Pilot (Textual's headless test driver).

The app is built the way tests build it (QuizApp(Context)), over a fresh data directory with the
shipped deck and the 50,000-card benchmark deck, the real clock, and a new-card limit above the
answers. Home -> the big deck -> Enter opens the study screen. Then, per card: Enter (reveal, or
"I don't know" on an objective card) and a grade key from a fixed sequence. Timed for each answer:
from pressing the grade key until the last compositor refresh before the screen settles, i.e. the
frame that shows the next card complete (`Pilot.press` returns when every widget has handled the key
and what followed; a `call_after_refresh` callback then runs once nothing is left to repaint; the
screen's `_compositor_refresh` is wrapped to note when each frame was composed). The time until the
screen settled is kept too, and the reveal key is timed the same way. The headless driver composes
every frame but skips turning it into escape sequences, which a terminal run also pays for.

    python benchmarks/keypress.py WORKDIR ANSWERS -> one JSON line
"""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.answer import grades  # noqa: E402
from benchmarks.gendecks import big_deck  # noqa: E402

SIZE = (100, 32)


_frames: list[float] = []


def _note_frames() -> None:
    from textual.screen import Screen

    compose_frame = Screen._compositor_refresh

    def noted(self) -> None:
        compose_frame(self)
        _frames.append(time.perf_counter())

    Screen._compositor_refresh = noted  # type: ignore[method-assign]


async def settled(app) -> None:
    done = asyncio.Event()
    app.screen.call_after_refresh(done.set)
    await done.wait()


async def timed_press(pilot, key: str) -> tuple[float, float]:
    """(ms to the last frame composed, ms until the screen settled) for one key."""
    _frames.clear()
    start = time.perf_counter()
    await pilot.press(key)
    await settled(pilot.app)
    end = time.perf_counter()
    return ((_frames[-1] if _frames else end) - start) * 1000, (end - start) * 1000


async def drive(workdir: Path, answers: int) -> dict:
    from quiz.context import Context
    from quiz.core.clock import SystemClock
    from quiz.ui.app import QuizApp

    shutil.rmtree(workdir, ignore_errors=True)
    deck_path = big_deck(50_000)
    context = Context(data_dir=workdir / "data", clock=SystemClock(), extra_decks=[deck_path])
    if getattr(context, "_library", "absent") is None:  # parse the 50k deck once for all runs, not once per run
        from quiz.core.library import Library

        cache = workdir.parent / f"{workdir.name}-deck-cache"
        context._library = Library.load(context.deck_folders, cache, optional=context.default_deck_folders)
    store = context.store
    store.save_settings(replace(store.settings(), new_per_day=9999, reviews_per_day=99999))
    app = QuizApp(context)
    grade_keys = [str(g) for g in grades(answers)]
    grade_ms: list[float] = []
    grade_settled_ms: list[float] = []
    reveal_ms: list[float] = []
    opened_ms = 0.0
    _note_frames()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        from quiz.ui.widgets.decklist import DeckList

        decks = app.screen.query_one(DeckList)
        decks.cursor = [row.key for row in decks.rows].index("bench-big")
        await pilot.pause()
        opened_ms = (await timed_press(pilot, "enter"))[1]
        study = app.screen
        session = study.session  # type: ignore[attr-defined]
        for key in grade_keys:
            before = session.current
            assert before is not None, "ran out of cards"
            reveal_ms.append((await timed_press(pilot, "enter"))[0])
            assert study.answering, "the answer was not shown"  # type: ignore[attr-defined]
            frame, settle = await timed_press(pilot, key)
            grade_ms.append(frame)
            grade_settled_ms.append(settle)
            assert session.current is not before, "the grade key did not move on"
        reviews = store.review_count()
    context.close()
    assert reviews == answers, (reviews, answers)
    return {
        "answers": answers,
        "grade_ms": grade_ms,
        "grade_settled_ms": grade_settled_ms,
        "reveal_ms": reveal_ms,
        "open_study_ms": opened_ms,
        "grade_ms_median": statistics.median(grade_ms),
        "grade_settled_ms_median": statistics.median(grade_settled_ms),
        "reveal_ms_median": statistics.median(reveal_ms),
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(drive(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 200))))
