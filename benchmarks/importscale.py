"""Importing a big Anki package: `quiz import` as a user runs it against Anki's own importer, same file.

    python benchmarks/importscale.py pair WORKDIR PACKAGE [QUIZ_ROOT]  -> one JSON line: both sides, one run each
    python benchmarks/importscale.py anki WORKDIR PACKAGE              -> (the Anki side's child process)
    python benchmarks/importscale.py same WORKDIR QUIZ_ROOT PACKAGE... -> whether this checkout's `quiz import`
        writes what QUIZ_ROOT's does (exit 1 if not)

quiz: `python main.py import PACKAGE` with a fresh QUIZ_HOME (no store, no decks), as a user's first import.
Anki: a fresh empty collection, then `Collection.import_anki_package` with scheduling (as Anki's "Import"
with "Import any learning progress" ticked: notes, cards, review log, media), then `close()`. Each side is
one child process timed from spawn to exit, its peak memory read from the kernel's `ru_maxrss` of that
child (`os.wait4`). The Anki side also reports the import call alone (`anki_call_s`). After each run the
result is counted from what was written (quiz's store and deck folder; Anki's collection and media
folder), so a side that imported less is seen. QUIZ_ROOT runs another checkout's quiz instead (the code
before a change, for a before/after figure; its byte code is cached under WORKDIR).

`same` is the check that a change to the import's speed changed nothing it writes: each package imported by
both checkouts at the same QUIZ_NOW, then the deck file, its import record and pictures compared byte for
byte, and the store's review log, card states, flags, marks and events row for row (an event's id, device
and time left out: they are new on every run).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quiz.core.events import AFTER_COLUMNS, BEFORE_COLUMNS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def timed_child(args: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[float, float, float, str]:
    """Run a child to its end: (seconds from spawn to exit, its CPU seconds, its peak RSS in MB, its stdout).
    CPU time is the steadier figure on a shared machine; it leaves out waiting for the disk."""
    started = time.perf_counter()
    child = subprocess.Popen(args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited with {child.returncode}:\n{out[-2000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QUIZ_", "PYTHONDONTWRITEBYTECODE"))}
    env.update(extra)
    return env


def quiz_side(work: Path, package: Path, root: Path = ROOT) -> dict:
    home = work / "quiz-home"
    shutil.rmtree(home, ignore_errors=True)
    env = child_env(QUIZ_HOME=str(home))
    if root != ROOT:
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    seconds, cpu, rss, out = timed_child([PY, "main.py", "import", str(package.resolve())], env, root)
    store = sqlite3.connect(home / "quiz.sqlite3")
    reviews = store.execute("SELECT count(*) FROM review_log").fetchone()[0]
    states = store.execute("SELECT count(*) FROM card_state").fetchone()[0]
    store.close()
    decks = home / "decks"
    pictures = sum(len(list(folder.iterdir())) for folder in decks.iterdir() if folder.is_dir())
    notes = next(int(line.split()[1]) for line in out.splitlines() if line.startswith("imported "))
    shutil.rmtree(home, ignore_errors=True)
    found = {"notes": notes, "reviews": reviews, "states": states, "media": pictures}
    return {"seconds": seconds, "cpu_s": cpu, "rss_mb": rss, **found}


def anki_side(work: Path, package: Path) -> dict:
    folder = work / "anki"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    seconds, cpu, rss, out = timed_child([PY, __file__, "anki", str(folder), str(package)], child_env())
    found = json.loads(out.strip().splitlines()[-1])
    shutil.rmtree(folder, ignore_errors=True)
    return {"seconds": seconds, "cpu_s": cpu, "rss_mb": rss, **found}


def anki_import(folder: Path, package: Path) -> dict:
    """In the child: a new collection, the package imported into it with its scheduling, closed."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    col = Collection(str(folder / "collection.anki2"))
    options = ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True)
    started = time.perf_counter()
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=options))
    call = time.perf_counter() - started
    found = {
        "anki_call_s": call,
        "notes": col.note_count(),
        "reviews": col.db.scalar("select count() from revlog"),
        "media": len(os.listdir(col.media.dir())),
    }
    col.close()
    return found


_STATES = BEFORE_COLUMNS + AFTER_COLUMNS
#: What `same` compares of a store, row for row: an answer with its states, which live in its event's row.
WRITTEN_ROWS = {
    "review_log": "SELECT r.deck_id, r.card_key, r.grade, r.reviewed_at, r.duration_ms, r.mode, "
    f"{', '.join('e.' + column for column in _STATES)} "
    "FROM review_log AS r LEFT JOIN event AS e ON e.id = r.event_id ORDER BY r.id",
    "card_state": "SELECT * FROM card_state ORDER BY deck_id, card_key",
    "card_flag": "SELECT * FROM card_flag ORDER BY deck_id, card_key",
    "note_mark": "SELECT * FROM note_mark ORDER BY 1, 2",
    "event": f"SELECT kind, deck_id, card_key, body, {', '.join(_STATES)} FROM event ORDER BY id",
}
SAME_NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def same_now(package: Path) -> str:
    """The moment both imports of `package` start from: a day after the file was written, so no answer of it is
    in the future. An answer after quiz's now is dated at its now, and that clock runs on from QUIZ_NOW: two runs
    reaching the history at other seconds (the change being measured) would date such answers apart."""
    written_at = datetime.fromtimestamp(package.stat().st_mtime, UTC) + timedelta(days=1)
    return max(SAME_NOW, written_at).isoformat()


def written(home: Path) -> dict[str, str]:
    """A digest of each file of the deck folder and of each table `same` compares, and the rows' counts."""
    found = {}
    for path in sorted((home / "decks").rglob("*")):
        if path.is_file():
            found[str(path.relative_to(home))] = hashlib.sha256(path.read_bytes()).hexdigest()
    store = sqlite3.connect(home / "quiz.sqlite3")
    for table, query in WRITTEN_ROWS.items():
        digest, count = hashlib.sha256(), 0
        try:
            for row in store.execute(query):
                digest.update(repr(row).encode())
                count += 1
        except sqlite3.OperationalError as error:  # a store before schema 10: its states are not where read
            found[table] = f"not read: {error}"
        else:
            found[table] = f"{count} rows, {digest.hexdigest()}"
    store.close()
    return found


def same(work: Path, other: Path, packages: list[Path]) -> int:
    """Import each package with this checkout and with `other`; print what differs. 0 when nothing does."""
    differ = 0
    for package in packages:
        results = []
        for root in (other, ROOT):
            home = work / "same-home"
            shutil.rmtree(home, ignore_errors=True)
            env = child_env(
                QUIZ_HOME=str(home), QUIZ_NOW=same_now(package), PYTHONPYCACHEPREFIX=str(work / "pycache" / root.name)
            )
            args = [PY, "main.py", "import", str(package.resolve())]
            done = subprocess.run(args, cwd=root, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
            said = (done.returncode, done.stdout.replace(str(home), "HOME"), done.stderr.replace(str(home), "HOME"))
            results.append((said, written(home) if (home / "quiz.sqlite3").exists() else {}))
            shutil.rmtree(home, ignore_errors=True)
        (said_before, before), (said_now, now) = results
        changed = sorted(key for key in before.keys() | now.keys() if before.get(key) != now.get(key))
        if said_before != said_now:
            changed.insert(0, "what quiz import printed")
        print(f"{package.name}: {'differs in ' + ', '.join(changed) if changed else 'the same'}")
        differ += bool(changed)
    return 1 if differ else 0


def main(argv: list[str]) -> int:
    if argv[0] == "same":
        return same(Path(argv[1]), Path(argv[2]).resolve(), [Path(p) for p in argv[3:]])
    side, work, package = argv[0], Path(argv[1]), Path(argv[2])
    if side == "anki":
        print(json.dumps(anki_import(work, package)))
        return 0
    root = Path(argv[3]).resolve() if len(argv) > 3 else ROOT
    work.mkdir(parents=True, exist_ok=True)
    print(json.dumps({"anki": anki_side(work, package), "quiz": quiz_side(work, package, root)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
