"""Writes tests/data/anki/golden_intervals.json: the next states Anki's own backend computes with FSRS on,
for many card histories, so quiz's scheduler can be held to them without Anki installed.

    ANKI_TEST_MODE=1 python tools/make_anki_golden.py [OUT]   (by hand; needs the `anki` package)

(tests/core/test_anki_golden.py also runs it, into a temporary file, when `anki` is installed, and checks
that Anki still gives what the committed file holds.)

How: one fresh collection per history, FSRS on, the history's parameters, desired retention, steps and
maximum interval in the Default preset. Fuzz is off because ANKI_TEST_MODE is set (Anki's backend then
gives every card no fuzz seed, rslib/src/scheduler/answering/mod.rs, which also turns the load balancer
off). Before each answer the tool asks the backend for the card's four next states
(`get_scheduling_states`: each one's kind, steps left, seconds or days, and memory state), then answers
with the history's grade (`answer_card`). Time passing is made by moving the card's last review time, its
due date and its review log back by the history's whole days, so Anki counts exactly those days elapsed.
A history may start with answers given with FSRS off (SM-2), then turn it on: Anki then computes the
card's memory state from its review log, as it does for any card scheduled by SM-2 (its
`compute_memory_state`), which the file keeps too.
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if "ANKI_TEST_MODE" not in os.environ:
    sys.exit("set ANKI_TEST_MODE=1 (it turns Anki's fuzz off)")

from anki.buildinfo import version as anki_version
from anki.collection import Collection
from anki.scheduler_pb2 import CardAnswer, SchedulingState

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "anki" / "golden_intervals.json"
DAY_SECS = 86_400
CUSTOM_PARAMETERS = [
    0.3, 1.1, 2.9, 9.0, 6.6, 0.7, 2.8, 0.002, 1.7, 0.2, 0.9,
    1.6, 0.07, 0.3, 1.5, 0.5, 2.1, 0.6, 0.1, 0.08, 0.2,
]  # fmt: skip


def case(name: str, answers: list[tuple[int, int]], **options: Any) -> dict[str, Any]:
    """A history: (grade, whole days waited after it) per answer, and the preset it is studied with."""
    return {
        "name": name,
        "parameters": options.get("parameters"),  # None: FSRS's defaults (an empty list in Anki's preset)
        "desired_retention": options.get("desired_retention", 0.9),
        "learning_steps": options.get("learning_steps", [1.0, 10.0]),
        "relearning_steps": options.get("relearning_steps", [10.0]),
        "maximum_interval": options.get("maximum_interval", 36500),
        "sm2_answers": options.get("sm2_answers", 0),  # how many answers come before FSRS is turned on
        "answers": [{"grade": grade, "wait_days": wait} for grade, wait in answers],
    }


def cases() -> list[dict[str, Any]]:
    found = [
        case("new card: good through the steps, then good when due", [(3, 0), (3, 1), (3, 3), (3, 9), (3, 27), (3, 0)]),
        case("again and hard in the learning steps", [(1, 0), (2, 0), (1, 0), (3, 0), (3, 2), (3, 0)]),
        case("easy on a new card, then easy when due", [(4, 8), (4, 30), (4, 0)]),
        case(
            "a lapse into relearning and out", [(3, 0), (3, 2), (3, 6), (1, 0), (3, 4), (1, 0), (1, 0), (2, 0), (4, 0)]
        ),
        case("hard, good, easy early and late", [(3, 0), (3, 2), (2, 1), (3, 0), (4, 20), (2, 60), (3, 3), (4, 0)]),
        case(
            "own parameters, retention 0.85, three steps",
            [(3, 0), (2, 0), (3, 0), (3, 0), (3, 5), (1, 0), (3, 12), (4, 0)],
            parameters=CUSTOM_PARAMETERS,
            desired_retention=0.85,
            learning_steps=[2.0, 15.0, 60.0],
            relearning_steps=[5.0, 30.0],
        ),
        case("maximum interval of 30 days", [(4, 30), (4, 30), (4, 30), (3, 30), (2, 0)], maximum_interval=30),
        case("retention 0.97", [(3, 0), (3, 1), (3, 2), (3, 5), (2, 0)], desired_retention=0.97),
        case(
            "no steps: FSRS keeps the card within the day",
            [(1, 0), (2, 0), (3, 1), (1, 0), (3, 0), (3, 0)],
            learning_steps=[],
            relearning_steps=[],
        ),
        case("a step of two days", [(3, 0), (2, 2), (3, 2), (3, 0)], learning_steps=[10.0, 2880.0]),
        case("one learning step", [(2, 0), (1, 0), (2, 0), (3, 3), (3, 0)], learning_steps=[5.0]),
        case("SM-2 history, then FSRS", [(3, 0), (3, 1), (3, 4), (3, 10), (2, 15), (3, 0)], sm2_answers=4),
        case(
            "SM-2 history with a lapse, then FSRS",
            [(3, 0), (3, 1), (3, 3), (1, 0), (3, 1), (3, 6), (4, 0)],
            sm2_answers=5,
        ),
    ]
    rng = random.Random(15)
    for number in range(30):
        answers = [
            (rng.choices([1, 2, 3, 4], [15, 10, 65, 10])[0], rng.choice([0, 0, 1, 2, 3, 5, 8, 13, 30, 70]))
            for _ in range(rng.randint(6, 14))
        ]
        options: dict[str, Any] = {}
        if number % 3 == 1:
            options = {"parameters": CUSTOM_PARAMETERS, "desired_retention": 0.8}
        if number % 5 == 2:
            options["maximum_interval"] = rng.choice([7, 20, 60])
        found.append(case(f"random history {number}", answers, **options))
    return found


def _memory(state: Any) -> dict[str, float] | None:
    return {"stability": state.stability, "difficulty": state.difficulty} if state.ListFields() else None


def _next(state: SchedulingState) -> dict[str, Any]:
    """One grade's next state as Anki gives it."""
    normal = state.normal
    kind = normal.WhichOneof("kind")
    if kind == "learning":
        learning = normal.learning
        return {
            "kind": kind,
            "steps_left": learning.remaining_steps,
            "secs": learning.scheduled_secs,
            "memory": _memory(learning.memory_state),
        }
    if kind == "relearning":
        learning = normal.relearning.learning
        return {
            "kind": kind,
            "steps_left": learning.remaining_steps,
            "secs": learning.scheduled_secs,
            "memory": _memory(learning.memory_state),
        }
    assert kind == "review", kind
    return {"kind": kind, "days": normal.review.scheduled_days, "memory": _memory(normal.review.memory_state)}


def _move_back(col: Collection, card_id: int, days: int) -> None:
    """As if `days` whole days had passed since the last answer."""
    if not days:
        return
    card = col.get_card(card_id)
    if card.last_review_time:
        card.last_review_time -= days * DAY_SECS
    if card.queue in (2, 3):  # due is a day number
        card.due -= days
    elif card.queue == 1:  # due is a time
        card.due -= days * DAY_SECS
    col.update_card(card)
    col.db.execute("update revlog set id = id - ? where cid = ?", days * DAY_SECS * 1000, card_id)


def run(history: dict[str, Any]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        col = Collection(os.path.join(folder, "golden.anki2"))
        try:
            conf = col.decks.config_dict_for_deck_id(1)
            conf["fsrsParams6"] = history["parameters"] or []
            conf["desiredRetention"] = history["desired_retention"]
            conf["new"]["delays"] = history["learning_steps"]
            conf["lapse"]["delays"] = history["relearning_steps"]
            conf["rev"]["maxIvl"] = history["maximum_interval"]
            conf["new"]["perDay"] = conf["rev"]["perDay"] = 9999
            col.decks.update_config(conf)
            note = col.new_note(col.models.by_name("Basic"))
            note["Front"], note["Back"] = "front", "back"
            col.add_note(note, 1)
            card_id = note.cards()[0].id
            steps: list[dict[str, Any]] = []
            for index, answer in enumerate(history["answers"]):
                fsrs = index >= history["sm2_answers"]
                col.set_config("fsrs", fsrs)
                states = col._backend.get_scheduling_states(card_id)
                step: dict[str, Any] = {}
                if fsrs:
                    step["next"] = {
                        str(grade): _next(getattr(states, name))
                        for grade, name in ((1, "again"), (2, "hard"), (3, "good"), (4, "easy"))
                    }
                if index == history["sm2_answers"] and index:
                    memory = col._backend.compute_memory_state(card_id).state
                    card = col.get_card(card_id)
                    step["converted"] = {"memory": _memory(memory), "type": card.type, "interval_days": card.ivl}
                chosen = getattr(states, {1: "again", 2: "hard", 3: "good", 4: "easy"}[answer["grade"]])
                col.sched.answer_card(
                    CardAnswer(
                        card_id=card_id,
                        current_state=states.current,
                        new_state=chosen,
                        rating=answer["grade"] - 1,
                        answered_at_millis=int(time.time() * 1000),
                        milliseconds_taken=1000,
                    )
                )
                _move_back(col, card_id, answer["wait_days"])
                steps.append(step)
            return {**history, "steps": steps}
        finally:
            col.close(downgrade=False)


def _compact(golden: dict[str, Any]) -> str:
    """JSON with one line per history's options and one per answer: small, and a change reads in a diff."""
    cases = []
    for history in golden["cases"]:
        options = json.dumps({key: value for key, value in history.items() if key != "steps"})
        steps = ",\n".join(f"    {json.dumps(step)}" for step in history["steps"])
        cases.append(f'  {options[:-1]}, "steps": [\n{steps}\n  ]}}')
    head = ",\n".join(f" {json.dumps(key)}: {json.dumps(value)}" for key, value in golden.items() if key != "cases")
    body = ",\n".join(cases)
    return f'{{\n{head},\n "cases": [\n{body}\n ]\n}}\n'


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    golden = {
        "how": (
            "The next states Anki's own backend computed (FSRS on, fuzz off by ANKI_TEST_MODE) before each answer of "
            "these card histories; made by tools/make_anki_golden.py, whose docstring says how."
        ),
        "anki": anki_version,
        "cases": [run(history) for history in cases()],
    }
    out.write_text(_compact(golden), encoding="utf-8")
    print(f"wrote {out} ({len(golden['cases'])} histories)")


if __name__ == "__main__":
    main()
