"""`make bench`: every figure of docs/benchmarks.md, as ratios against baselines measured in the same run.

    python benchmarks/run.py [--runs N] [--startup-runs N] [--only NAME[,NAME]] [--answers N] [--keypress-answers N]

Generates what it needs into benchmarks/work/ (gitignored), prints a table and writes
benchmarks/latest.json. Every figure is the median of at least five runs (min and max kept); a ratio
is computed per run from a quiz measurement and its baseline taken one after the other, so slow
spells of a shared machine hit both sides.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.gendecks import WORK, basic_deck, big_deck  # noqa: E402
from benchmarks.startup import first_paint  # noqa: E402

PY = sys.executable
TARGETS: dict[str, float | None] = {  # figure: target (lower is better); None: measured, no target
    "answer_ratio_vs_bare": 1.3,
    "answer_ratio_vs_anki": 0.8,
    "startup_ratio_shipped": 1.15,
    "startup_ratio_50k": 1.3,
    "first_start_50k_vs_libyaml": 1.2,
    "rss_mb_50k": 150.0,
    "keypress_ms_median": 25.0,
    "queue_ms_100k": 20.0,
    "search_ratio_vs_anki": 1.0,
    "pty_reveal_ratio": 2.5,
    "pty_grade_ratio": 2.5,
    "import_ratio_vs_anki": 1.0,
    "import_rss_mb": 300.0,
    "fit_ratio_vs_anki": 1.0,
    "fit_ratio_vs_anki_unchecked": 1.0,
    "sync100_s": None,
    "replay1m_ratio_vs_fsrs": 2.0,
}
LABELS = {
    "answer_ratio_vs_bare": "answer a card / one bare synced one-row WAL commit",
    "answer_ratio_vs_anki": "answer a card (quiz / Anki), 10k cards, 2,000 answers",
    "startup_ratio_shipped": "start -> first frame, shipped decks (quiz / bare Textual)",
    "startup_ratio_50k": "same + 50,000-card deck, caches warm (quiz / bare)",
    "first_start_50k_vs_libyaml": "first start with the 50k deck / libyaml bare parse",
    "rss_mb_50k": "peak RSS with the 50k deck loaded (MB)",
    "keypress_ms_median": "grade key -> next card painted (ms, Pilot)",
    "queue_ms_100k": "today's queue over 100,000 card states (ms)",
    "search_ratio_vs_anki": "Browse search over 100,000 cards (quiz / Anki)",
    "pty_reveal_ratio": "Space -> answer painted, in a pty (quiz / bare Textual)",
    "pty_grade_ratio": "grade key -> next card painted, in a pty (quiz / bare)",
    "import_ratio_vs_anki": "import a 30,000-note .apkg with history (quiz / Anki)",
    "import_rss_mb": "peak RSS of that import (MB)",
    "fit_ratio_vs_anki": "fit FSRS to 100,000 reviews (quiz / Anki's Optimize)",
    "fit_ratio_vs_anki_unchecked": "same, Anki's health check off (quiz / Anki)",
    "sync100_s": "sync 100 new events into 100,000 (s)",
    "replay1m_ratio_vs_fsrs": "replay 1,000,000 events / FSRS for the same reviews",
}


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QUIZ_", "PYTHONDONTWRITEBYTECODE"))}
    env.update(extra)
    return env


def run_json(*args: str, env: dict[str, str] | None = None) -> dict:
    out = subprocess.run([PY, *args], cwd=ROOT, env=env or child_env(), capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": values}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- figures ------------------------------------------------------------------------------------------


def bench_answer(runs: int, answers: int) -> tuple[dict, dict, dict]:
    """Interleaved triples: the bare one-row commit (the floor), quiz, Anki; the disk's slow spells hit all
    three. Returns quiz / Anki, quiz / bare and what durability was checked."""
    from benchmarks.answer import build_anki_template

    work = WORK / "answer"
    shutil.rmtree(work, ignore_errors=True)
    basic_deck(10_000)
    build_anki_template()
    quiz_s, anki_s, bare_s, ratios, floor_ratios = [], [], [], [], []
    for n in range(runs):
        bare = run_json("benchmarks/answer.py", "bare", str(work / f"b{n}"), str(answers))
        quiz = run_json("benchmarks/answer.py", "quiz", str(work / f"q{n}"), str(answers))
        anki = run_json("benchmarks/answer.py", "anki", str(work / f"a{n}"), str(answers))
        bare_s.append(bare["seconds"] / answers * 1000)
        quiz_s.append(quiz["seconds"] / answers * 1000)
        anki_s.append(anki["seconds"] / answers * 1000)
        ratios.append(quiz_s[-1] / anki_s[-1])
        floor_ratios.append(quiz_s[-1] / bare_s[-1])
        log(
            f"answer run {n + 1}: bare commit {bare_s[-1]:.3f} ms, quiz {quiz_s[-1]:.3f} ms, Anki "
            f"{anki_s[-1]:.3f} ms; quiz / bare {floor_ratios[-1]:.2f}, quiz / Anki {ratios[-1]:.2f}"
        )
    durability = {
        "quiz_pragmas": quiz["pragmas"],
        "anki_pragmas": run_json("benchmarks/answer.py", "anki-pragmas", str(work / "p")),
        "commit_per_answer": {},
    }
    for side in ("quiz", "anki"):  # answer 3, die without closing (os._exit), count what survived
        folder = work / f"die-{side}"
        subprocess.run([PY, "benchmarks/answer.py", f"durable-{side}", str(folder)], cwd=ROOT, env=child_env())
        survivors = subprocess.run(
            [PY, "benchmarks/answer.py", f"survivors-{side}", str(folder)],
            cwd=ROOT,
            env=child_env(),
            capture_output=True,
            text=True,
        ).stdout.strip()
        durability["commit_per_answer"][side] = f"{survivors} of 3 answers survived os._exit"
    durability["bare_pragmas"] = bare["pragmas"]
    figure = summary(ratios)
    figure.update(quiz_ms_per_answer=summary(quiz_s), anki_ms_per_answer=summary(anki_s))
    floor = summary(floor_ratios)
    floor.update(quiz_ms_per_answer=summary(quiz_s), bare_ms_per_commit=summary(bare_s))
    return figure, floor, durability


HISTORY_50K = 10_000  # cards of the 50k deck with a stored state in the warm-start runs


def seed_history(home: Path, deck_path: Path, count: int) -> None:
    """Give `count` of the deck's cards a stored state (reviews, some due; learning; suspended), as a user
    with history has: start-up then counts real states, not only new cards. Skipped when already there."""
    from benchmarks.queuebuild import build_states, write_states
    from quiz.context import Context

    context = Context.from_options(str(home), [str(deck_path)])
    try:
        deck = next(d for d in context.library.decks if Path(d.path).resolve() == deck_path.resolve())
        if len(context.store.states(deck.id)) != count:
            write_states(context.store, deck.id, build_states(deck, count, datetime.now(UTC)))
    finally:
        context.close()


def bench_startup(runs: int) -> dict:
    """Bare Textual vs quiz (shipped decks), then with the 50k deck (10,000 of its cards with a history):
    warm starts (deck caches and byte code in place)."""
    work = WORK / "startup"
    shutil.rmtree(work, ignore_errors=True)
    bare = HERE / "bare_app.py"
    main = ROOT / "main.py"
    big = big_deck(50_000)
    subprocess.run([PY, "-m", "compileall", "-q", "quiz", "benchmarks"], cwd=ROOT, env=child_env())
    shipped_home = work / "shipped"
    big_home = work / "big"
    # warm-up (discarded): byte code, page cache, the store and the deck caches
    first_paint(bare)
    first_paint(main, env={"QUIZ_HOME": str(shipped_home)})
    first_paint(main, ["--deck", str(big)], env={"QUIZ_HOME": str(big_home)})
    seed_history(big_home, big, HISTORY_50K)
    first_paint(main, ["--deck", str(big)], env={"QUIZ_HOME": str(big_home)})
    results: dict[str, list] = {k: [] for k in ("bare", "shipped", "big", "ratio_shipped", "ratio_big", "rss_big")}
    for n in range(runs):
        b = first_paint(bare)["seconds"]
        s = first_paint(main, env={"QUIZ_HOME": str(shipped_home)})["seconds"]
        b2 = first_paint(bare)["seconds"]
        warm = first_paint(main, ["--deck", str(big)], env={"QUIZ_HOME": str(big_home)})
        results["bare"] += [b, b2]
        results["shipped"].append(s)
        results["big"].append(warm["seconds"])
        results["rss_big"].append(warm["rss_settled_mb"])
        results["ratio_shipped"].append(s / b)
        results["ratio_big"].append(warm["seconds"] / b2)
        log(
            f"startup run {n + 1}: bare {b * 1000:.0f}/{b2 * 1000:.0f} ms, shipped {s * 1000:.0f} ms, "
            f"50k warm {warm['seconds'] * 1000:.0f} ms ({warm['rss_settled_mb']:.0f} MB, {warm['screen']})"
        )
    return {
        "startup_ratio_shipped": dict(
            summary(results["ratio_shipped"]), quiz_ms=summary([x * 1000 for x in results["shipped"]])
        ),
        "startup_ratio_50k": dict(summary(results["ratio_big"]), quiz_ms=summary([x * 1000 for x in results["big"]])),
        "bare_textual_ms": summary([x * 1000 for x in results["bare"]]),
        "rss_mb_50k": summary(results["rss_big"]),
    }


def bench_first_start(runs: int) -> dict:
    """First start with the 50k deck (nothing cached, no store) against libyaml's bare parse of it."""
    work = WORK / "first-start"
    big = big_deck(50_000)
    main = ROOT / "main.py"
    parse = [sys.executable, "-c", PARSE_SNIPPET, str(big)]
    cold, bare_parse, paused_parse, ratios, rss = [], [], [], [], []
    for n in range(runs):
        home = work / f"home{n}"
        shutil.rmtree(home, ignore_errors=True)
        out = subprocess.run(parse, cwd=ROOT, env=child_env(), capture_output=True, text=True, check=True)
        plain, paused = (float(x) for x in out.stdout.split())
        first = first_paint(main, ["--deck", str(big)], env={"QUIZ_HOME": str(home)})
        cold.append(first["seconds"])
        rss.append(first["rss_settled_mb"])
        bare_parse.append(plain)
        paused_parse.append(paused)
        ratios.append(first["seconds"] / plain)
        log(
            f"first start run {n + 1}: {first['seconds']:.2f} s ({first['rss_settled_mb']:.0f} MB); "
            f"yaml.load {plain:.2f} s, with gc paused {paused:.2f} s"
        )
        shutil.rmtree(home, ignore_errors=True)
    figure = summary(ratios)
    figure.update(
        first_start_s=summary(cold),
        libyaml_load_s=summary(bare_parse),
        libyaml_load_gc_paused_s=summary(paused_parse),
        ratio_vs_gc_paused=summary([c / p for c, p in zip(cold, paused_parse, strict=True)]),
        peak_rss_mb=summary(rss),
    )
    return figure


PARSE_SNIPPET = """
import gc, sys, time, yaml
data = open(sys.argv[1], 'rb').read()
start = time.perf_counter(); yaml.load(data, Loader=yaml.CSafeLoader); plain = time.perf_counter() - start
gc.collect(); gc.disable()
start = time.perf_counter(); yaml.load(data, Loader=yaml.CSafeLoader); paused = time.perf_counter() - start
print(plain, paused)
"""


def bench_keypress(runs: int, answers: int) -> dict:
    medians, settled, reveal, opened = [], [], [], []
    for n in range(runs):
        result = run_json("benchmarks/keypress.py", str(WORK / "keypress"), str(answers))
        medians.append(result["grade_ms_median"])
        settled.append(result["grade_settled_ms_median"])
        reveal.append(result["reveal_ms_median"])
        opened.append(result["open_study_ms"])
        log(
            f"keypress run {n + 1}: grade {medians[-1]:.1f} ms (settled {settled[-1]:.1f}), "
            f"reveal {reveal[-1]:.1f} ms (medians of {answers})"
        )
    figure = summary(medians)
    figure.update(
        settled_ms=summary(settled), reveal_ms=summary(reveal), open_study_ms=summary(opened), answers_per_run=answers
    )
    return figure


def bench_queue(runs: int) -> tuple[dict, dict]:
    result = run_json("benchmarks/queuebuild.py", str(WORK / "queue"), str(max(runs, 7)))
    queue, read = statistics.median(result["queue_ms"]), statistics.median(result["states_read_ms"])
    log(f"queue: {queue:.1f} ms, the first {result['first_queue_ms']:.0f} ms (reading the states: {read:.0f} ms)")
    figure = summary(result["queue_ms"])
    figure.update(
        first_ms=result["first_queue_ms"],
        cpu_ms=summary(result["queue_cpu_ms"]),
        cards=result["cards"],
        states=result["states"],
        queued=result["queued"],
    )
    return figure, summary(result["states_read_ms"])


def bench_ptykeys(runs: int, cards: int) -> dict:
    """Pairs: the bare app's keys, then quiz's, each a fresh process; a ratio of medians per pair."""
    work = WORK / "ptykeys"
    measured: dict[str, list[float]] = {}
    for n in range(runs):
        bare = run_json("benchmarks/ptykeys.py", "bare", str(work / "bare"), str(cards))
        quiz = run_json("benchmarks/ptykeys.py", "quiz", str(work / "quiz"), str(cards))
        for key in ("reveal", "grade"):
            values = {
                f"{key}_ratio": statistics.median(quiz[f"{key}_ms"]) / statistics.median(bare[f"{key}_ms"]),
                f"{key}_quiz_ms": statistics.median(quiz[f"{key}_ms"]),
                f"{key}_bare_ms": statistics.median(bare[f"{key}_ms"]),
                f"{key}_quiz_settled_ms": statistics.median(quiz[f"{key}_settled_ms"]),
                f"{key}_quiz_frames": statistics.median(quiz[f"{key}_frames"]),
                f"{key}_quiz_bytes": statistics.median(quiz[f"{key}_bytes"]),
                f"{key}_bare_bytes": statistics.median(bare[f"{key}_bytes"]),
                f"{key}_quiz_cpu_ms_per_key": quiz["cpu_ms_per_key"],  # both keys: CPU time is not split
                f"{key}_bare_cpu_ms_per_key": bare["cpu_ms_per_key"],
            }
            for name, value in values.items():
                measured.setdefault(name, []).append(value)
        log(
            f"pty keys run {n + 1}: reveal quiz {measured['reveal_quiz_ms'][-1]:.1f} ms / bare "
            f"{measured['reveal_bare_ms'][-1]:.1f} ms = {measured['reveal_ratio'][-1]:.1f}; grade quiz "
            f"{measured['grade_quiz_ms'][-1]:.1f} ms / bare {measured['grade_bare_ms'][-1]:.1f} ms = "
            f"{measured['grade_ratio'][-1]:.1f} (medians of {cards})"
        )
    figures = {}
    for key in ("reveal", "grade"):
        figures[key] = dict(
            summary(measured[f"{key}_ratio"]),
            **{
                name.removeprefix(f"{key}_"): summary(values)
                for name, values in measured.items()
                if name.startswith(f"{key}_") and name != f"{key}_ratio"
            },
            keys_per_run=cards,
        )
    return figures


def bench_search(runs: int) -> dict:
    from benchmarks.search import QUERY

    result = run_json("benchmarks/search.py", str(WORK / "search"), str(runs))
    figures = {}
    for query, measured in result["queries"].items():
        quiz, anki = statistics.median(measured["quiz_ms"]), statistics.median(measured["anki_ms"])
        ratio, found = statistics.median(measured["ratios"]), measured["found"]
        log(
            f"search {query!r}: quiz {quiz:.1f} ms, Anki {anki:.1f} ms, ratio {ratio:.2f} "
            f"({found['quiz']} / {found['anki']} cards found)"
        )
        figures[query] = dict(
            summary(measured["ratios"]),
            quiz_ms=summary(measured["quiz_ms"]),
            anki_ms=summary(measured["anki_ms"]),
            found=measured["found"],
        )
    figure = figures.pop(QUERY)
    figure.update(query=QUERY, cards=result["cards"], states=result["states"], other_queries=figures)
    return figure


def bench_import(runs: int) -> tuple[dict, dict]:
    """Pairs: Anki's importer, then `quiz import`, on the same package; each a fresh process into a fresh
    collection or data directory. Both must bring every note, review and picture."""
    from benchmarks.ankipackage import big_package

    package, counts = big_package()
    measured: dict[str, list[float]] = {}
    for n in range(runs):
        result = run_json("benchmarks/importscale.py", "pair", str(WORK / "import"), str(package))
        quiz, anki = result["quiz"], result["anki"]
        for side in (quiz, anki):
            brought = (side["notes"], side["reviews"], side["media"])
            assert brought == (counts.notes, counts.reviews, counts.images), f"{brought} of {counts}"
        values = {
            "ratio": quiz["seconds"] / anki["seconds"],
            "ratio_vs_anki_call": quiz["seconds"] / anki["anki_call_s"],
            "cpu_ratio": quiz["cpu_s"] / anki["cpu_s"],
            "quiz_cpu_s": quiz["cpu_s"],
            "anki_cpu_s": anki["cpu_s"],
            "quiz_s": quiz["seconds"],
            "anki_s": anki["seconds"],
            "anki_call_s": anki["anki_call_s"],
            "quiz_rss_mb": quiz["rss_mb"],
            "anki_rss_mb": anki["rss_mb"],
        }
        for name, value in values.items():
            measured.setdefault(name, []).append(value)
        log(
            f"import run {n + 1}: quiz {quiz['seconds']:.2f} s ({quiz['rss_mb']:.0f} MB), Anki {anki['seconds']:.2f} s "
            f"(its import call {anki['anki_call_s']:.2f} s; {anki['rss_mb']:.0f} MB), ratio {values['ratio']:.2f}; "
            f"CPU {quiz['cpu_s']:.1f} s / {anki['cpu_s']:.1f} s = {values['cpu_ratio']:.2f}"
        )
    ratio = dict(summary(measured.pop("ratio")), **{name: summary(values) for name, values in measured.items()})
    ratio["package"] = {"file": package.name, **vars(counts)}
    rss = dict(summary(ratio.pop("quiz_rss_mb")["runs"]), anki_rss_mb=ratio["anki_rss_mb"])
    return ratio, rss


def bench_fitting(runs: int) -> tuple[dict, dict, dict]:
    """Pairs on the same 100,000-review log, each side a fresh process on its own copy: the fit itself
    (quiz's optimize_preset; Anki's compute_fsrs_params with its health check on, its default, and off),
    then the whole command (`quiz optimize` against a process that opens the collection and calls the
    backend as its Optimize does), timed from start to exit. One untimed `quiz optimize` first parses the
    deck into the data folder's cache and makes the day's backup, as a user's earlier start would have."""
    from benchmarks.fitting import copy_anki, copy_quiz

    work = WORK / "fitting"
    made = run_json("benchmarks/fitting.py", "make", str(work))
    log(f"fitting: {made['reviews']:,} reviews of {made['cards']:,} cards over {made['days']} days")
    warm = [PY, "main.py", "--data-dir", str(work / "quiz"), "--deck", str(work / "decks"), "optimize"]
    subprocess.run(warm, cwd=ROOT, env=child_env(), check=True, capture_output=True)
    measured: dict[str, list[float]] = {}
    for n in range(runs):
        quiz = run_json("benchmarks/fitting.py", "quiz", str(work), str(n))
        anki = run_json("benchmarks/fitting.py", "anki", str(work), str(n), "check")
        bare = run_json("benchmarks/fitting.py", "anki", str(work), str(n), "no-check")
        assert quiz["items"] == anki["items"] == bare["items"], (quiz, anki, bare)  # the same training items
        command = [PY, "main.py", "--data-dir", str(copy_quiz(work, n)), "--deck", str(work / "decks"), "optimize"]
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=child_env(), check=True, capture_output=True)
        quiz_cmd = time.perf_counter() - start
        collection = copy_anki(work, n)
        start = time.perf_counter()
        subprocess.run(
            [PY, "benchmarks/fitting.py", "anki-process", str(collection)], cwd=ROOT, env=child_env(), check=True
        )
        anki_cmd = time.perf_counter() - start
        for key, value in (
            ("quiz", quiz["seconds"]),
            ("anki", anki["seconds"]),
            ("anki_unchecked", bare["seconds"]),
            ("ratio", quiz["seconds"] / anki["seconds"]),
            ("ratio_unchecked", quiz["seconds"] / bare["seconds"]),
            ("quiz_cmd", quiz_cmd),
            ("anki_cmd", anki_cmd),
            ("ratio_cmd", quiz_cmd / anki_cmd),
        ):
            measured.setdefault(key, []).append(value)
        log(
            f"fitting run {n + 1}: quiz {quiz['seconds']:.2f} s, Anki {anki['seconds']:.2f} s (health check off "
            f"{bare['seconds']:.2f} s), ratios {measured['ratio'][-1]:.2f} / {measured['ratio_unchecked'][-1]:.2f}; "
            f"whole process quiz {quiz_cmd:.2f} s, Anki {anki_cmd:.2f} s, ratio {measured['ratio_cmd'][-1]:.2f} "
            f"({quiz['items']:,} training items)"
        )
    shutil.rmtree(work, ignore_errors=True)  # each run's copies: 80 MB apiece
    quiz_s = summary(measured["quiz"])
    checked = dict(summary(measured["ratio"]), quiz_s=quiz_s, anki_s=summary(measured["anki"]), **made)
    unchecked = dict(summary(measured["ratio_unchecked"]), quiz_s=quiz_s, anki_s=summary(measured["anki_unchecked"]))
    command = dict(
        summary(measured["ratio_cmd"]), quiz_s=summary(measured["quiz_cmd"]), anki_s=summary(measured["anki_cmd"])
    )
    return checked, unchecked, command


def bench_sync(runs: int) -> dict:
    """A's sync taking 100 new answers from B, both with 100,000 events of shared history; a fresh copy of
    both stores and the folder per run (benchmarks/sync100.py)."""
    result = run_json("benchmarks/sync100.py", str(WORK / "sync100"), str(runs))
    seconds = result["seconds"]
    log(f"sync of 100 new events into {result['events']:,}: {statistics.median(seconds) * 1000:.0f} ms (median)")
    return dict(summary(seconds), events=result["events"], received=result["received"])


def bench_replay(runs: int) -> dict:
    """`rebuild` of 1,000,000 events / fsrs-rs-python computing the same answers' next states; one fresh
    process per run, the FSRS loop first (benchmarks/replay1m.py)."""
    measured: dict[str, list[float]] = {}
    for n in range(runs):
        result = run_json("benchmarks/replay1m.py", str(WORK / "replay1m"))
        for name in ("ratio", "quiz_s", "fsrs_s", "rss_mb", "cpu_ratio", "quiz_cpu_s", "fsrs_cpu_s"):
            measured.setdefault(name, []).append(result[name])
        log(
            f"replay run {n + 1}: rebuild of {result['events']:,} events {result['quiz_s']:.1f} s, FSRS "
            f"{result['fsrs_s']:.1f} s, ratio {result['ratio']:.2f}, of CPU time {result['cpu_ratio']:.2f} "
            f"({result['rss_mb']:.0f} MB)"
        )
    figure = dict(summary(measured.pop("ratio")), **{name: summary(values) for name, values in measured.items()})
    figure.update(events=result["events"], cards=result["cards"])
    return figure


# --- report -------------------------------------------------------------------------------------------


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import textual

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "os": platform.platform(),
        "textual": textual.__version__,
        "anki": _version("anki"),
        "fsrs-rs-python": _version("fsrs-rs-python"),
        "pyyaml": _version("pyyaml"),
        "sqlite": __import__("sqlite3").sqlite_version,
    }


def _version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def table(report: dict) -> str:
    lines = [
        f"| {'figure':<62} | {'median':>8} | {'min':>8} | {'max':>8} | {'target':>7} | met |",
        f"|{'-' * 64}|{'-' * 10}|{'-' * 10}|{'-' * 10}|{'-' * 9}|-----|",
    ]
    for key, label in LABELS.items():
        figure = report["details"].get(key)
        if figure is None:
            continue
        target = TARGETS[key]
        goal, met = ("-", "-") if target is None else ("<= " + format(target, "g"), figure["median"] <= target)
        lines.append(
            f"| {label:<62} | {figure['median']:>8.3g} | {figure['min']:>8.3g} | {figure['max']:>8.3g} "
            f"| {goal:>7} | {'-' if met == '-' else 'yes' if met else 'NO':<3} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    # A start takes a quarter of a second and a shared 2-core machine jitters by 5-10 %: more pairs,
    # a steadier median (each quiz start is still paired with a bare start taken just before it).
    parser.add_argument("--startup-runs", type=int, default=15)
    parser.add_argument("--answers", type=int, default=2000)
    parser.add_argument("--keypress-answers", type=int, default=200)
    parser.add_argument("--pty-cards", type=int, default=50)
    every = "answer,startup,first,keypress,queue,search,ptykeys,import,fitting,sync,replay"
    parser.add_argument("--only", default=every)
    args = parser.parse_args()
    only = set(args.only.split(","))
    started = time.monotonic()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    report: dict = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine(), "details": {}}
    log("generating decks (first time only)")
    big_deck(50_000)
    basic_deck(10_000)
    details = report["details"]
    if "answer" in only:
        answer = bench_answer(args.runs, args.answers)
        details["answer_ratio_vs_anki"], details["answer_ratio_vs_bare"], report["durability"] = answer
    if "startup" in only:
        startup = bench_startup(args.startup_runs)
        details["startup_ratio_shipped"] = startup["startup_ratio_shipped"]
        details["startup_ratio_50k"] = startup["startup_ratio_50k"]
        details["rss_mb_50k"] = startup["rss_mb_50k"]
        report["bare_textual_ms"] = startup["bare_textual_ms"]
    if "first" in only:
        details["first_start_50k_vs_libyaml"] = bench_first_start(args.runs)
    if "keypress" in only:
        details["keypress_ms_median"] = bench_keypress(args.runs, args.keypress_answers)
    if "queue" in only:
        details["queue_ms_100k"], report["states_read_ms_100k"] = bench_queue(args.runs)
    if "search" in only:
        details["search_ratio_vs_anki"] = bench_search(args.runs)
    if "ptykeys" in only:
        keys = bench_ptykeys(args.runs, args.pty_cards)
        details["pty_reveal_ratio"], details["pty_grade_ratio"] = keys["reveal"], keys["grade"]
    if "import" in only:
        details["import_ratio_vs_anki"], details["import_rss_mb"] = bench_import(args.runs)
    if "fitting" in only:
        fitting = bench_fitting(args.runs)
        details["fit_ratio_vs_anki"], details["fit_ratio_vs_anki_unchecked"], report["fit_command_vs_anki"] = fitting
    if "sync" in only:
        details["sync100_s"] = bench_sync(args.runs)
    if "replay" in only:
        details["replay1m_ratio_vs_fsrs"] = bench_replay(args.runs)
    for key, figure in details.items():
        target = figure["target"] = TARGETS[key]
        figure["met"] = None if target is None else figure["median"] <= target
        report[key] = figure["median"]
    report["seconds"] = round(time.monotonic() - started, 1)
    previous = {}
    latest = HERE / "latest.json"
    if latest.exists() and only != set(parser.get_default("only").split(",")):
        previous = json.loads(latest.read_text())  # a partial run updates only its own figures
        previous.setdefault("details", {}).update(details)
        previous.update({k: v for k, v in report.items() if k != "details"})
        report = previous
    latest.write_text(json.dumps(report, indent=2) + "\n")
    print()
    print(table(report))
    print(
        f"\nmachine: {report['machine']['cpu']}, {report['machine']['cores']} cores, Python "
        f"{report['machine']['python']}, {report['machine']['os']}; {report['seconds']:.0f} s; "
        f"wrote {latest.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
