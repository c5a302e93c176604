"""Thousands of answers of one millisecond reach a second device in one probe each.

Another program's history imported with its times ahead of the clock is logged dated "now": each answer at the
same instant, under consecutive log ids. A device's merge looked for each one's free id from that instant on, one
query per id in use: quadratic, so a second device's first sync of 19,000 such answers ran for hours (and a kill
meanwhile threw all of it away). The count of probes is what is asserted, not a time.
"""

from __future__ import annotations

from pathlib import Path

from quiz.core import answerlog
from tests.conftest import START, record_good
from tests.core.test_sync import Device

ANSWERS = 400
PROBE = "SELECT 1 FROM review_log WHERE id = ?"


def test_answers_of_one_millisecond_are_logged_on_another_device_with_one_probe_each(
    tmp_path: Path, folder: Path
) -> None:
    laptop, desk = Device(tmp_path, "laptop", folder), Device(tmp_path, "desk", folder)
    try:
        sent = [record_good(laptop.store, f"card-{n}", at=START) for n in range(ANSWERS)]
        assert sent[0] == answerlog.id_floor(START) and sent[-1] == sent[0] + ANSWERS - 1  # one instant, ids after
        laptop.sync()
        probes: list[str] = []
        desk.store.db.set_trace_callback(lambda sql: probes.append(sql) if sql.startswith(PROBE[:30]) else None)
        got = desk.sync()
        desk.store.db.set_trace_callback(None)
        assert got.received == ANSWERS
        assert sorted(log_id for (log_id,) in desk.store.db.execute("SELECT id FROM review_log")) == sent
        assert len(probes) <= 2 * ANSWERS  # was ANSWERS * (ANSWERS + 1) / 2
    finally:
        laptop.store.close()
        desk.store.close()
