"""What the app does to progress is recorded as events (and so reaches `quiz sync`): answers, undo, suspend,
bury and flags from the study screen, each an event the replay turns into exactly the stored states; at
80x24 without colour."""

from __future__ import annotations

import pytest
from conftest import open_study, screen_text

from quiz.core.rebuild import rebuild

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


async def test_study_in_the_app_writes_an_event_per_change_that_replays_to_the_stored_states(app_factory) -> None:
    app = app_factory()
    store = app.context.store
    before = len(store.read_events())
    async with app.run_test(size=SIZE) as pilot:
        await open_study(pilot)
        for keys in (("space", "3"), ("ctrl+z",), ("space", "1"), ("minus",), ("equals_sign",), ("ctrl+2",)):
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
        assert "Flagged orange." in screen_text(app)
    kinds = [event.kind for event in store.read_events()[before:]]
    assert kinds == ["review", "undo", "review", "suspend", "bury", "flag"]
    assert all(event.device == store.device for event in store.read_events()[before:])
    done = rebuild(store)
    assert (done.changed_states, done.changed_flags, done.changed_marks) == (0, 0, 0)
