"""The terminal hanging up (SIGHUP: an SSH connection dropped, the terminal closed): the app leaves as `q` does
once the keys already read are handled, so a grade key pressed just before is recorded (Python's default for
SIGHUP ended the process at once, such a key unhandled), and the lock and the deck cache are left in order."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable

from textual import events
from textual.app import App
from textual.message import Message

# The most passes behind what a hang-up leaves unhandled (leave_behind_keys): a widget busy for ever (a blinking
# cursor's timer) does not keep the app from leaving.
LEAVING_PASSES = 10


def take_hang_ups(app: App) -> Callable[[], None]:
    """Handle SIGHUP for `app` (on its mount; not on Windows, which has none); returns what gives the signal back
    to its handler before (on its unmount)."""
    if not hasattr(signal, "SIGHUP"):
        return lambda: None
    loop = asyncio.get_running_loop()
    before = signal.signal(signal.SIGHUP, lambda *_: hung_up(app, loop))

    def give_back() -> None:
        signal.signal(signal.SIGHUP, before)

    return give_back


def hung_up(app: App, loop: asyncio.AbstractEventLoop) -> None:
    """Leave once the keys already read are handled.

    Run as a Python signal handler, before the SIGCONT a hang-up also sends (Python runs them by number): from
    here on the terminal's output goes nowhere, for Textual, resuming on SIGCONT, then leaving, writes to it,
    and blocked for ever once the dead terminal had ended its writer thread (the app alive, its lock held)."""
    if not app.is_headless:
        nowhere = os.open(os.devnull, os.O_WRONLY)
        for stream in (sys.__stdout__, sys.__stderr__):
            if stream is not None:
                os.dup2(nowhere, stream.fileno())
        os.close(nowhere)
    loop.call_soon_threadsafe(app.call_later, leave_behind_keys, app)


def leave_behind_keys(app: App, passes_left: int = LEAVING_PASSES) -> None:
    """Behind the keys read, in the app's queue: each goes on to the focused widget, then bubbles up through
    its ancestors back to the app, which runs the screen's binding (a grade). A pass goes the same way, a step
    behind. What a key sets off is posted behind the pass (an exam's Enter: the input's Submitted, then the
    answer's, which the screen records; a click's grade): the passes go on until one in which the screen and
    the app handled nothing else, and then the app exits."""
    path = list((app.focused or app.screen).ancestors_with_self)  # the focused widget ... the screen, the app
    watched = [*app.screen.walk_children(with_self=True), app]
    busy = False

    def handled(message: Message) -> None:
        nonlocal busy
        func = getattr(message.callback, "func", None) if isinstance(message, events.Callback) else None
        busy = busy or func not in (step, leave_behind_keys)  # the passes' own steps are not the app's work

    for node in watched:
        node.message_signal.subscribe(app, handled, immediate=True)

    def step(index: int) -> None:
        if index < len(path) and path[index].call_later(step, index + 1):
            return
        for node in watched:
            node.message_signal.unsubscribe(app)
        if (busy or index < len(path)) and passes_left > 1:  # a widget of the path gone: its step with it
            app.call_later(leave_behind_keys, app, passes_left - 1)
        else:
            app.exit(return_code=128 + signal.SIGHUP)  # as a shell reports a hang-up

    step(0)
