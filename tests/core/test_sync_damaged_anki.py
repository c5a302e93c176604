"""An Anki package with damaged values imported on one device: what the import writes, every other device
reads, and the devices still take each other's events afterwards."""

from __future__ import annotations

import math
import sqlite3
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from quiz.core.clock import FixedClock
from quiz.core.store import Store
from quiz.core.sync import sync
from tests.conftest import record_good, run_cli
from tests.core.progress_ops import snapshot
from tests.core.test_anki_history import DATA, TODAY


def damaged(tmp_path: Path, sql: str) -> Path:
    """legacy1.apkg with `sql` run on its collection, every other member as it was."""
    package = tmp_path / "damaged.apkg"
    with zipfile.ZipFile(DATA / "legacy1.apkg") as source, zipfile.ZipFile(package, "w") as target:
        for member in source.namelist():
            data = source.read(member)
            if member == "collection.anki2":
                collection = tmp_path / member
                collection.write_bytes(data)
                with sqlite3.connect(collection) as db:
                    db.execute(sql)
                db.close()
                data = collection.read_bytes()
            target.writestr(member, data)
    return package


def _imported_and_synced_both_ways(tmp_path: Path, capsys, monkeypatch, package: Path) -> tuple[Store, Store]:
    """The package imported on the laptop and synced; the desk syncs, answers a card, and both sync again:
    neither warns, and both hold every event."""
    monkeypatch.setenv("QUIZ_NOW", TODAY.isoformat())
    code, _out, err = run_cli(capsys, "--data-dir", str(tmp_path / "laptop"), "import", str(package))
    assert code == 0, err
    folder = tmp_path / "Sync"
    folder.mkdir()
    laptop = Store.in_folder(tmp_path / "laptop", clock=FixedClock(TODAY))
    desk = Store.in_folder(tmp_path / "desk", clock=FixedClock(TODAY))
    reports = [sync(laptop, folder, host="laptop"), sync(desk, folder, host="desk")]
    record_good(desk, "answered-on-the-desk", TODAY + timedelta(minutes=5))
    reports += [sync(desk, folder, host="desk"), sync(laptop, folder, host="laptop")]
    assert [report.warnings for report in reports] == [[], [], [], []]
    assert {e.id for e in laptop.read_events()} == {e.id for e in desk.read_events()}
    assert laptop.review_count() == desk.review_count()
    assert snapshot(laptop) == snapshot(desk)
    return laptop, desk


def test_a_log_time_past_the_year_3000_imported_leaves_every_device_taking_the_others_events(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import held the damaged time to the year 3000 and the laptop stamped its later events after it: the
    desk read none of them, then stamped its own answer after the year 3000, which the laptop refused. It is
    dated at the import's time now (tests/core/test_anki_future_answers.py), and no event passes it."""
    package = damaged(tmp_path, "UPDATE revlog SET id = 40000000000000 WHERE id = (SELECT min(id) FROM revlog)")
    laptop, desk = _imported_and_synced_both_ways(tmp_path, capsys, monkeypatch, package)
    assert max(datetime.fromisoformat(e.at) for e in laptop.read_events()) < TODAY + timedelta(minutes=6)
    assert laptop.state("d", "answered-on-the-desk") is not None
    laptop.close()
    desk.close()


@pytest.mark.parametrize("stability", ["1e999", "9" * 400], ids=["infinite", "past-every-float"])
def test_an_anki_memory_state_past_every_number_is_no_memory_state(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch, stability: str
) -> None:
    """Anki's card data `"s": 1e999` read as infinite stability was written as Infinity, which sync refuses;
    a whole number past every float ended the import with OverflowError."""
    package = damaged(tmp_path, f"""UPDATE cards SET data = '{{"s": {stability}, "d": 5.0}}'""")
    laptop, desk = _imported_and_synced_both_ways(tmp_path, capsys, monkeypatch, package)
    stabilities = [state.stability for _deck, _card, state in laptop.all_states() if state.stability is not None]
    assert stabilities and all(map(math.isfinite, stabilities))
    laptop.close()
    desk.close()
