"""Run a Textual program and report when its first frame was painted; then make it exit.

    python benchmarks/firstpaint.py OUT.json SCRIPT.py [ARGS...]

The same launcher runs quiz (`main.py`) and the bare baseline (`bare_app.py`), so both pay the same
small overhead. It changes nothing in the program but this: once `textual.app` is imported, `App`
learns to watch for Textual's own `Ready` event (posted when "the DOM is ready and the first frame has
been displayed"), then waits one more refresh of the active screen (`call_after_refresh`) and records
`time.monotonic()` (a system-wide clock, so the parent's spawn time can be subtracted) and the peak
RSS (its own: see `_peak_mb`). It then waits for the app's workers (work deferred past the first frame still
counts towards memory), records the peak RSS again and exits. The parent (benchmarks/startup.py) runs this inside a
pseudo-terminal, so Textual's real Linux driver writes real escape sequences to a real tty.
"""

from __future__ import annotations

import os
import resource
import runpy
import sys
import time
from importlib.abc import MetaPathFinder
from importlib.machinery import PathFinder

OUT, SCRIPT, ARGS = sys.argv[1], sys.argv[2], sys.argv[3:]


def _report(**values: object) -> None:
    with open(OUT, "a", encoding="utf-8") as out:  # json is not imported: keep the launcher's own cost tiny
        out.write(" ".join(f"{k}={v}" for k, v in values.items()) + "\n")


def _peak_mb() -> float:
    """This process's own peak RSS (the kernel's VmHWM of its memory, new at exec). Not `ru_maxrss`: Linux keeps
    that across exec, so a start spawned by a parent that once held 350 MB (run.py making the 50k deck) would
    report 350 MB however little it used."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:  # no /proc: the inherited figure, an upper bound
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _patch(module) -> None:
    from textual import events

    App = module.App
    original = App.on_event

    async def after_paint(app) -> None:
        _report(painted=time.monotonic(), rss_paint_mb=round(_peak_mb(), 1), screen=type(app.screen).__name__)
        try:
            await app.workers.wait_for_complete()
        finally:
            _report(rss_settled_mb=round(_peak_mb(), 1))
            app.exit()

    async def on_event(self, event) -> None:
        await original(self, event)
        if isinstance(event, events.Ready):
            self.screen.call_after_refresh(after_paint, self)

    App.on_event = on_event


class _Hook(MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != "textual.app":
            return None
        spec = PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        exec_module = loader.exec_module

        def exec_and_patch(module) -> None:
            exec_module(module)
            _patch(module)

        loader.exec_module = exec_and_patch  # type: ignore[method-assign]
        sys.meta_path.remove(self)
        return spec


if __name__ == "__main__":
    sys.meta_path.insert(0, _Hook())
    sys.argv = [SCRIPT, *ARGS]
    sys.path[0] = os.path.dirname(os.path.abspath(SCRIPT))
    runpy.run_path(SCRIPT, run_name="__main__")
