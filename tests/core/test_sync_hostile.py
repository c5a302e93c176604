"""Another device's files are untrusted: anyone who can write in the synced folder can put anything there.
Whatever is found, sync ends, reads the rest, keeps this device's answers and warns once per bad line,
naming the file and line."""

from __future__ import annotations

import errno
import json
import os
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from quiz.core import syncfiles
from quiz.core.clock import FixedClock
from quiz.core.exam import KEPT_ANSWER, ExamReport, Mistake
from quiz.core.store import Store
from quiz.core.sync import SyncError, SyncReport, sync
from tests.conftest import START, record_good

OTHER = "0123456789abcdef"  # the hand-made device's folder


@pytest.fixture
def laptop(tmp_path: Path, folder: Path) -> Iterator[Store]:
    """A device with two answers, synced: its lines are the model for hand-made ones."""
    store = Store.in_folder(tmp_path / "laptop", clock=FixedClock(START))
    record_good(store, "a")
    record_good(store, "b", START + timedelta(minutes=1))
    sync(store, folder, host="laptop")
    yield store
    store.close()


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Store]:
    """The device that reads: one answer of its own, which no file of another device may cost it."""
    store = Store.in_folder(tmp_path / "desk", clock=FixedClock(START + timedelta(hours=1)))
    record_good(store, "c", START + timedelta(hours=1))
    yield store
    store.close()


def _other_lines(laptop: Store, folder: Path) -> list[str]:
    """The laptop's event lines, as a third device's: its own ids and device."""
    part = folder / syncfiles.FOLDER / laptop.device / syncfiles.part_name(1)
    lines = []
    for line in part.read_text(encoding="utf-8").splitlines()[1:]:
        record = json.loads(line)
        record["device"], record["id"] = OTHER, record["id"][:-4] + "beef"
        lines.append(json.dumps(record))
    return lines


def _part(folder: Path) -> Path:
    path = folder / syncfiles.FOLDER / OTHER / syncfiles.part_name(1)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _write_part(folder: Path, lines: list[str]) -> Path:
    path = _part(folder)
    head = json.dumps({"quiz_events": 1, "device": OTHER, "part": 1})
    path.write_text("\n".join([head, *lines]) + "\n", encoding="utf-8")
    return path


def _finishes(work: Callable[[], SyncReport]) -> SyncReport:
    """`work`'s result (or its exception), or a failure if it never ends (a read blocked on a pipe): no speed
    is measured."""
    done: list[SyncReport | BaseException] = []

    def run() -> None:
        try:
            done.append(work())
        except BaseException as exc:  # raised again below, in the test's thread
            done.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=120)
    assert done, "sync did not end"
    if isinstance(done[0], BaseException):
        raise done[0]
    return done[0]


def _kept_own_and_read_the_laptop(desk: Store, laptop: Store, report: SyncReport) -> None:
    assert desk.review_count() == 1 + laptop.review_count()
    assert report.received == len(laptop.read_events())


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (os.mkfifo, "a named pipe (FIFO)"),
        (lambda path: os.symlink("/dev/zero", path), "a character device"),
        (os.mkdir, "a folder"),
    ],
    ids=["fifo", "dev-zero", "folder"],
)
def test_a_part_that_is_no_regular_file_is_one_warning_and_never_read(
    laptop: Store, desk: Store, folder: Path, make: Callable[[Path], None], kind: str
) -> None:
    part = _part(folder)
    make(part)
    report = _finishes(lambda: sync(desk, folder, host="desk"))
    assert report.warnings == [f"{part}: not a regular file but {kind}; not read"]
    _kept_own_and_read_the_laptop(desk, laptop, report)


def test_a_line_longer_than_any_quiz_writes_is_skipped_without_being_held(
    laptop: Store, desk: Store, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(syncfiles, "MAX_LINE", 2000)
    monkeypatch.setattr(syncfiles, "_CHUNK", 64)  # lines across many reads
    first, second = _other_lines(laptop, folder)
    part = _write_part(folder, [first, "x" * 5000, second])
    with part.open("ab") as out:
        out.write(b"y" * 3000)  # not ended yet: left for the next sync, however long
    seen: list[bytes | None] = []
    lines = syncfiles._lines

    def watched(source, offset, longest):  # type: ignore[no-untyped-def]
        for raw, length in lines(source, offset, longest):
            seen.append(raw)
            yield raw, length

    monkeypatch.setattr(syncfiles, "_lines", watched)
    report = sync(desk, folder, host="desk")
    assert report.warnings == [f"{part}:3: longer than any line quiz writes (2,000 bytes); skipped"]
    assert None in seen and all(raw is None or len(raw) <= 2000 for raw in seen)
    assert desk.review_count() == 1 + laptop.review_count() + 2
    assert sync(desk, folder, host="desk").warnings == []  # warned once; the tail still waits


def test_a_file_of_garbage_is_a_few_warnings_and_a_count(laptop: Store, desk: Store, folder: Path) -> None:
    part = _write_part(folder, [f"garbage {n}" for n in range(100)])
    warnings = sync(desk, folder, host="desk").warnings
    assert len(warnings) == syncfiles.MAX_WARNINGS + 1
    assert warnings[0].startswith(f"{part}:2: not JSON")
    assert warnings[-1] == f"{part}: 80 more bad line(s) up to line 101; skipped"


@pytest.mark.parametrize(
    ("hostile", "why"),
    [
        ("[" * 100_000, "nested too deeply"),
        # deeper than quiz writes, though it parses: one 975 deep was kept, and crashed the app's exam screen
        ('{"v": 1, "x": ' + '{"a": ' * 40 + "1" + "}" * 41, "nested too deeply"),
        ('{"v": 1, "x": NaN}', "NaN is not a number quiz writes"),
        ('{"v": 1, "x": 1e999}', "the number 1e999 is too large to be a number"),
        (
            '{"v": 1, "x": 100000000000000000000000000000}',
            "the number 1000000000000000000\u2026 does not fit in 64 bits",
        ),
    ],
    ids=["deep", "deep-but-parsed", "nan", "infinite", "huge-int"],
)
def test_json_no_quiz_writes_is_a_bad_line(laptop: Store, desk: Store, folder: Path, hostile: str, why: str) -> None:
    part = _write_part(folder, [hostile, *_other_lines(laptop, folder)])
    report = sync(desk, folder, host="desk")
    assert report.warnings == [f"{part}:2: not JSON ({why}); skipped"]
    assert desk.review_count() == 1 + 2 * laptop.review_count()


def test_a_header_nested_too_deeply_is_not_a_header(laptop: Store, desk: Store, folder: Path) -> None:
    part = _part(folder)
    part.write_text("[" * 100_000 + "\n" + "\n".join(_other_lines(laptop, folder)) + "\n", encoding="utf-8")
    report = sync(desk, folder, host="desk")
    assert report.warnings == [f"{part}:1: not a quiz events header; the file is read on"]
    assert desk.review_count() == 1 + 2 * laptop.review_count()


def _edited(line: str, path: tuple[str, ...], value: str) -> str:
    record = json.loads(line)
    holder = record
    for name in path[:-1]:
        holder = holder[name]
    holder[path[-1]] = value
    return json.dumps(record)


@pytest.mark.parametrize(
    ("path", "value", "why"),
    [
        (
            ("at",),
            "9999-12-31T23:59:59+00:00",
            "its time: '9999-12-31T23:59:59+00:00' is not between 1970-01-01 and 9000-01-01",
        ),
        (
            ("at",),
            "9999-12-31T23:59:59-05:00",
            "its time: '9999-12-31T23:59:59-05:00' is not between 1970-01-01 and 9000-01-01",
        ),
        (
            ("at",),
            "0001-01-01T00:00:00+05:00",
            "its time: '0001-01-01T00:00:00+05:00' is not between 1970-01-01 and 9000-01-01",
        ),
        (
            ("body", "answered_at"),
            "2026-01-05T09:00:00",
            "a review event holding values quiz never writes (ValueError: '2026-01-05T09:00:00' has no time zone)",
        ),
        (
            ("body", "answered_at"),
            "0001-01-01T00:00:00+05:00",
            "a review event holding values quiz never writes "
            "(ValueError: '0001-01-01T00:00:00+05:00' is not between 1970-01-01 and 3000-01-01)",
        ),
        (
            ("body", "after", "due"),
            "9999-12-31T23:59:59+00:00",
            "a review event holding values quiz never writes "
            "(ValueError: '9999-12-31T23:59:59+00:00' is not between 1000-01-01 and 9000-01-01)",
        ),
    ],
    ids=["year-9999", "year-9999-past-utc", "year-1-before-utc", "no-zone", "answered-year-1", "due-year-9999"],
)
def test_a_time_quiz_never_writes_is_a_bad_line_and_this_device_s_clock_stays(
    laptop: Store, desk: Store, folder: Path, path: tuple[str, ...], value: str, why: str
) -> None:
    first, *rest = _other_lines(laptop, folder)
    part = _write_part(folder, [_edited(first, path, value), *rest])
    report = sync(desk, folder, host="desk")
    assert report.warnings == [f"{part}:2: {why}; skipped"]
    assert desk.review_count() == 1 + laptop.review_count() + len(rest)
    later = START + timedelta(hours=2)
    record_good(desk, "d", later)
    assert max(event.at for event in desk.read_events()) < (later + timedelta(seconds=1)).isoformat()


@pytest.mark.parametrize(
    ("make", "kind"),
    [(os.mkfifo, "a named pipe (FIFO)"), (lambda path: os.symlink("/dev/zero", path), "a character device")],
    ids=["fifo", "dev-zero"],
)
def test_this_device_s_device_file_replaced_by_no_regular_file_stops_sync_with_the_fix(
    desk: Store, folder: Path, make: Callable[[Path], None], kind: str
) -> None:
    device_file = folder / syncfiles.FOLDER / desk.device / syncfiles.DEVICE_FILE
    device_file.parent.mkdir(parents=True)
    make(device_file)
    with pytest.raises(SyncError) as raised:
        _finishes(lambda: sync(desk, folder, host="desk"))
    assert str(raised.value) == (
        f"{device_file}: not a regular file but {kind}: quiz did not write it; move it away and sync again"
    )
    device_file.unlink()
    assert sync(desk, folder, host="desk").sent == len(desk.read_events())  # nothing lost: all sent now


def test_this_device_s_device_file_nested_too_deeply_is_written_again(desk: Store, folder: Path) -> None:
    device_file = folder / syncfiles.FOLDER / desk.device / syncfiles.DEVICE_FILE
    device_file.parent.mkdir(parents=True)
    device_file.write_text("[" * 50_000, encoding="utf-8")
    assert sync(desk, folder, host="desk").sent == len(desk.read_events())
    assert json.loads(device_file.read_text(encoding="utf-8"))["device"] == desk.device


def test_an_exam_without_its_detail_is_a_bad_line_not_the_end_of_sync(laptop: Store, desk: Store, folder: Path) -> None:
    body = {"title": "t", "taken_at": "2026-01-06T09:00:00+00:00", "correct": 1, "total": 2, "seconds": 3}
    exam = {"v": 1, "id": "01900000-0000-7000-8000-0000000000ab", "device": OTHER, "at": "2026-01-06T09:00:00+00:00"}
    exam.update(kind="exam", deck=None, card=None, body=body)
    part = _write_part(folder, [json.dumps(exam), *_other_lines(laptop, folder)])
    report = sync(desk, folder, host="desk")
    bad = f"{part}:2: an exam event holding values quiz never writes (KeyError: 'detail'); skipped"
    assert report.warnings == [bad]
    assert desk.review_count() == 1 + 2 * laptop.review_count() and desk.exams() == []


def test_a_part_larger_than_quiz_writes_is_read_only_as_far_as_quiz_writes(
    laptop: Store, desk: Store, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sparse file of a terabyte took every sync hours to scan; quiz stops where no part of its own goes."""
    first, second = _other_lines(laptop, folder)
    part = _write_part(folder, [first])
    laptop_part = folder / syncfiles.FOLDER / laptop.device / syncfiles.part_name(1)
    bound = max(part.stat().st_size, laptop_part.stat().st_size) + 10
    monkeypatch.setattr(syncfiles, "LARGEST_PART", bound)
    with part.open("ab") as out:  # a line that ends past the bound, and one after it: never read
        out.write(b" " * (bound - part.stat().st_size + 20) + b"\n" + second.encode() + b"\n")
    report = sync(desk, folder, host="desk")
    assert report.warnings == [f"{part}: larger than any part quiz writes; not read past {bound:,} bytes"]
    assert desk.review_count() == 1 + laptop.review_count() + 1


def test_an_exam_with_many_mistakes_is_not_taken_for_deep_nesting(laptop: Store, desk: Store, folder: Path) -> None:
    mistakes = [{"deck": "d", "card": f"c{n}", "given": "{[", "expected": "]}"} for n in range(200)]
    laptop.save_exam(START, "Exam", 0, 200, 60.0, {"deck": "d", "mistakes": mistakes, "per_topic": {"": [0, 200]}})
    sync(laptop, folder, host="laptop")
    report = sync(desk, folder, host="desk")
    assert report.warnings == [] and [exam["detail"]["mistakes"] for exam in desk.exams()] == [mistakes]


def test_the_furthest_times_quiz_writes_are_read(laptop: Store, desk: Store, folder: Path) -> None:
    """An import holds a damaged Anki log's times to the year 3000, and its due dates to 100,000 days either
    side: a device that imported such a package writes them, and every other device must read them alike."""
    first, *rest = _other_lines(laptop, folder)
    far = _edited(
        _edited(first, ("at",), "3000-01-01T00:00:00+00:00"), ("body", "answered_at"), "3000-01-01T00:00:00+00:00"
    )
    far = _edited(
        _edited(far, ("body", "after", "due"), "1422-06-01T04:00:00+00:00"),
        ("body", "after", "last_review"),
        "1422-01-01T04:00:00+00:00",
    )
    _write_part(folder, [far, *rest])
    assert sync(desk, folder, host="desk").warnings == []
    assert desk.review_count() == 1 + laptop.review_count() + 1 + len(rest)


def test_own_lines_other_devices_would_skip_are_known_as_this_store_s_after_a_crash(
    desk: Store, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines appended just before a crash (the store never noted them) are read back as this store's own, however
    leniently an older quiz wrote them: an infinite stability (an import written as Infinity), a line past
    MAX_LINE. The strict reader took them for another store's, and every sync refused with --new-device."""
    sync(desk, folder, host="desk")
    monkeypatch.setattr(syncfiles, "MAX_LINE", 2000)
    record_good(desk, "infinite", START + timedelta(hours=2), stability=float("inf"))
    desk.save_exam(START + timedelta(hours=3), "Exam", 0, 1, 60.0, {"deck": "d", "mistakes": [], "note": "x" * 5000})
    noted = desk.db.execute("SELECT key, value FROM sync WHERE key IN ('exported', 'part', 'size')").fetchall()
    assert sync(desk, folder, host="desk").sent == 2
    with desk.transaction() as db:  # the crash: appended, never noted
        db.executemany("INSERT OR REPLACE INTO sync (key, value) VALUES (?, ?)", noted)
    assert sync(desk, folder, host="desk").sent == 0  # known as its own: not appended twice
    part = folder / syncfiles.FOLDER / desk.device / syncfiles.part_name(1)
    assert len(part.read_text(encoding="utf-8").splitlines()) == 1 + len(desk.read_events())


def test_an_exam_of_long_answers_timed_out_reaches_every_device(laptop: Store, desk: Store, folder: Path) -> None:
    """1,800 cards with 10,000-character backs, none answered: each mistake kept its whole right answer, a
    line of 17 MiB that other devices skipped. The result keeps each answer's first 1,000 characters."""
    mistakes = [Mistake("d", f"c{n}", "", "x" * 10_000) for n in range(1_800)]
    report = ExamReport("Exam", 0, 1_800, 600.0, 1_800, {"": (0, 1_800)}, mistakes, "d")
    laptop.save_exam(START, "Exam", 0, 1_800, 600.0, report.detail())
    sync(laptop, folder, host="laptop")
    assert sync(desk, folder, host="desk").warnings == []
    (kept,) = desk.exams()
    assert [m["expected"] for m in kept["detail"]["mistakes"]] == ["x" * (KEPT_ANSWER - 1) + "\u2026"] * 1_800


@pytest.mark.parametrize(
    "path", [("at",), ("kind",), ("id",), ("body", "answered_at"), ("body", "after", "due")], ids="-".join
)
def test_a_warning_quotes_a_huge_value_shortened(
    laptop: Store, desk: Store, folder: Path, path: tuple[str, ...]
) -> None:
    """A 5 MB value made a 5 MB warning, on screen and in every sync's report."""
    first, *rest = _other_lines(laptop, folder)
    part = _write_part(folder, [_edited(first, path, "9" * 5_000_000), *rest])
    (warning,) = sync(desk, folder, host="desk").warnings
    assert warning.startswith(f"{part}:2: ") and "9" * 18 + "\u2026" in warning and len(warning) < len(str(part)) + 300


def test_a_header_naming_a_huge_device_is_warned_of_shortened(laptop: Store, desk: Store, folder: Path) -> None:
    part = _write_part(folder, _other_lines(laptop, folder))
    lines = part.read_text(encoding="utf-8").splitlines()
    lines[0] = json.dumps({"quiz_events": 1, "device": "d" * 5_000_000, "part": 1})
    part.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (warning,) = sync(desk, folder, host="desk").warnings
    assert warning.startswith(f"{part}:1: its header names device 'ddd") and len(warning) < len(str(part)) + 300


def test_bad_lines_before_a_newer_quiz_s_line_are_still_counted(desk: Store, folder: Path) -> None:
    newer = {"v": 2, "id": "01900000-0000-7000-8000-0000000000ab", "device": OTHER, "at": "2026-01-06T09:00:00+00:00"}
    part = _write_part(folder, [f"garbage {n}" for n in range(30)] + [json.dumps(newer)])
    warnings = sync(desk, folder, host="desk").warnings
    assert warnings[-2:] == [
        f"{part}:32: written by a newer quiz (event format 2; this quiz reads 1); not read: upgrade quiz on this "
        "machine",
        f"{part}: 10 more bad line(s) up to line 31; skipped",
    ]


def test_this_device_s_device_file_the_system_cannot_read_is_not_called_foreign(
    desk: Store, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failing disk (EIO) or a permission is no file quiz did not write: the fix is where it is, not moving it."""
    sync(desk, folder, host="desk")
    device_file = folder / syncfiles.FOLDER / desk.device / syncfiles.DEVICE_FILE
    real_open = os.open

    def failing(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.fspath(path) == os.fspath(device_file):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", failing)
    with pytest.raises(SyncError) as raised:
        sync(desk, folder, host="desk")
    assert (
        str(raised.value) == f"{device_file}: cannot read the file: Input/output error: check the path, then sync again"
    )
