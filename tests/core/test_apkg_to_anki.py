"""quiz -> Anki -> quiz. `quiz export --with-scheduling` writes an .apkg that Anki's own importer ("Import any
learning progress") reads with the same due dates, review counts, suspension, burying, flags and FSRS
memory state as quiz's; typed cards keep their other answers and the quiz-only kinds come back as themselves."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from quiz.core.cardstate import CardState
from quiz.core.clock import day_start
from quiz.core.decks import load_deck_file
from quiz.core.events import card_number
from quiz.core.exporters import ExportError, Progress, export_deck
from quiz.core.exporters.ankischedule import AnkiDays, CardRow, card_row
from quiz.core.exporters.apkg import guid
from quiz.core.importers import import_file
from quiz.core.kinds import new_note
from quiz.core.model import Deck, Grade, Mode
from quiz.core.notedefinition import Definition, definition_of, read_definition
from quiz.core.scheduler import Scheduler
from quiz.core.settings import Settings
from quiz.core.store import Store
from tests.conftest import run_cli as run

DECK = """\
deck: sched
title: Scheduled
cards:
  - {id: paris, kind: basic, front: Capital of France?, back: Paris}
  - {id: rome, kind: basic, front: Capital of Italy?, back: Rome}
  - {id: dog, kind: reverse, front: der Hund, back: the dog}
  - {id: moon, kind: typed, front: First Moon landing?, answer: '1969', accept: [nineteen sixty-nine]}
  - {id: gap, kind: cloze, text: 'Water boils at {{100}} °C at {{sea level}}.'}
  - {id: fresh, kind: basic, front: never seen, back: new}
  - {id: pick, kind: choice, front: Largest planet?, options: [Mars, Jupiter], answer: Jupiter, explain: a giant}
  - {id: many, kind: multi, front: Primary colours of light?, options: [Red, Green, Yellow], answers: [Red, Green]}
  - {id: sky, kind: truefalse, front: The sky is green., answer: false}
  - {id: size, kind: order, front: Smallest first, items: [Atom, Cell, Organ]}
  - {id: cap, kind: match, front: Capitals, pairs: {France: Paris, Italy: Rome}}
"""


def _study(store: Store, deck: Deck, start: datetime) -> datetime:
    """Answer cards over three weeks with quiz's own scheduler; returns the moment the export is made."""
    scheduler = Scheduler(store.settings())
    keys = [c.key for c in deck.cards if c.note.id != "fresh"]  # fresh stays new
    grades = [Grade.GOOD, Grade.GOOD, Grade.AGAIN, Grade.GOOD, Grade.EASY, Grade.HARD]
    now = start
    for day in range(21):
        now = start + timedelta(days=day)
        for index, key in enumerate(keys):
            state = store.state(deck.id, key) or CardState(kind=next(c.kind for c in deck.cards if c.key == key))
            if not state.is_new and state.due is not None and state.due > now:
                continue
            grade = grades[(day + index) % len(grades)]
            after = scheduler.review(card_number(deck.id, key), state, grade, now)
            store.record_review(deck.id, key, grade, now, 4000 + index, Mode.REVIEW, state, after)
            now += timedelta(minutes=1)
    store.record_review(deck.id, keys[0], Grade.AGAIN, now, 10, Mode.PRACTICE, None, CardState("basic"))
    return now


def _import_into_anki(apkg: Path, tmp_path: Path):  # noqa: ANN202 - anki's types are optional here
    collection = pytest.importorskip("anki.collection")
    (tmp_path / "anki").mkdir()
    col = collection.Collection(str(tmp_path / "anki" / "collection.anki2"))
    options = collection.ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=False)
    col.import_anki_package(collection.ImportAnkiPackageRequest(package_path=str(apkg), options=options))
    return col


def _anki_cards(col, note_guid: str) -> list:  # noqa: ANN001
    return col.get_note(col.db.scalar("select id from notes where guid = ?", note_guid)).cards()


def _study_date(moment: datetime) -> date:
    """The local date of the study day `moment` falls in (day_start gives its start in UTC)."""
    return day_start(moment).astimezone().date()


def _exported(tmp_path: Path, store: Store, write_deck) -> tuple[Deck, Path, datetime]:  # noqa: ANN001
    deck = write_deck(DECK)
    now = _study(store, deck, datetime.now(UTC) - timedelta(days=25))
    rome = next(c for c in deck.cards if c.note.id == "rome")
    store.set_state(deck.id, rome.key, replace(store.state(deck.id, rome.key), suspended=True))
    dog = next(c for c in deck.cards if c.note.id == "dog")
    until = day_start(now) + timedelta(days=1)
    store.set_state(deck.id, dog.key, replace(store.state(deck.id, dog.key), buried_until=until))
    store.set_flag(deck.id, rome.key, 3)
    apkg = tmp_path / "sched.apkg"
    progress = Progress(store.states(deck.id), store.reviews(deck_id=deck.id), store.settings(), now)
    export_deck(deck, apkg, now.timestamp(), store.flags(deck.id), progress)
    return deck, apkg, now


# Anki's backend reads the time zone once, when it starts: each zone gets its own process.
_ANKI_REPORT = """
import json, sys
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
col = Collection(sys.argv[2])
options = ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=False)
col.import_anki_package(ImportAnkiPackageRequest(package_path=sys.argv[1], options=options))
cards = {}
for card_id in col.find_cards(""):
    card = col.get_card(card_id)
    memory = card.memory_state
    cards[f"{card.note().guid} {card.ord}"] = {
        "type": card.type, "queue": card.queue, "due": card.due, "reps": card.reps, "lapses": card.lapses,
        "flag": card.user_flag(), "revlog": col.db.scalar("select count() from revlog where cid = ?", card.id),
        "memory": [memory.stability, memory.difficulty] if memory else None,
    }
print(json.dumps({"today": col.sched.today, "cards": cards}))
col.close()
"""


def _anki_report(apkg: Path, tmp_path: Path, zone: str) -> dict:
    """What Anki's own importer, run in `zone`, makes of the package: its today and each card by guid and ord."""
    pytest.importorskip("anki.collection")
    (tmp_path / "report").mkdir()
    done = subprocess.run(
        [sys.executable, "-c", _ANKI_REPORT, str(apkg), str(tmp_path / "report" / "collection.anki2")],
        env={**os.environ, "TZ": zone},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Auckland", "America/Los_Angeles"])
def test_anki_imports_the_same_due_dates_review_counts_and_states(
    zone: str,
    tmp_path: Path,
    store: Store,
    write_deck,
    monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
) -> None:
    monkeypatch.setenv("TZ", zone)  # quiz and Anki count study days in local time
    time.tzset()
    deck, apkg, _ = _exported(tmp_path, store, write_deck)
    report = _anki_report(apkg, tmp_path, zone)
    anki_today = _study_date(datetime.now(UTC))
    states = store.states(deck.id)
    reviews = store.reviews(deck_id=deck.id)
    assert sum(c["revlog"] for c in report["cards"].values()) == sum(r.mode is Mode.REVIEW for r in reviews) > 20
    checked = 0
    for card in deck.cards:
        ordinal = card.ordinal - 1 if card.kind == "cloze" else card.ordinal
        anki_card = report["cards"][f"{guid(deck.id, card.note.id)} {ordinal}"]
        state = states.get(card.key)
        count = sum(r.card_key == card.key and r.mode is Mode.REVIEW for r in reviews)
        assert anki_card["revlog"] == count, card.key
        if state is None:
            assert (anki_card["type"], anki_card["queue"], anki_card["memory"]) == (0, 0, None)
            continue
        assert (anki_card["reps"], anki_card["lapses"]) == (state.reps, state.lapses), card.key
        if state.is_review:
            anki_due = anki_today + timedelta(days=anki_card["due"] - report["today"])
            assert anki_due == _study_date(state.due), card.key
        elif anki_card["queue"] == 1:
            assert anki_card["due"] == int(state.due.timestamp()), card.key
        assert anki_card["memory"] == pytest.approx([state.stability, state.difficulty], abs=1e-2)
        checked += 1
    assert checked == 12  # every studied card: a reverse pair and a two-gap cloze make two each
    assert report["cards"]["quiz:sched:rome 0"]["queue"] == -1 and report["cards"]["quiz:sched:rome 0"]["flag"] == 3
    assert {report["cards"][f"quiz:sched:dog {o}"]["queue"] for o in (0, 1)} >= {-3}  # Anki unburies it tomorrow


def test_without_the_flag_every_card_is_new(tmp_path: Path, store: Store, write_deck) -> None:  # noqa: ANN001
    deck = write_deck(DECK)
    _study(store, deck, datetime(2026, 1, 5, 9, tzinfo=UTC))
    export_deck(deck, tmp_path / "plain.apkg", 0, store.flags(deck.id))
    with zipfile.ZipFile(tmp_path / "plain.apkg") as package:
        (tmp_path / "plain.db").write_bytes(package.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "plain.db")
    assert db.execute("select count() from revlog").fetchone()[0] == 0
    assert {row[0] for row in db.execute("select distinct type from cards")} == {0}
    # each new card has its place in the deck's order, as with --with-scheduling (not "New #0" for all)
    positions = [row[0] for row in db.execute("select due from cards order by id")]
    assert positions == list(range(1, len(deck.cards) + 1))


def test_scheduling_goes_only_into_an_apkg(tmp_path: Path, store: Store, write_deck) -> None:  # noqa: ANN001
    deck = write_deck(DECK)
    progress = Progress({}, [], store.settings(), datetime(2026, 1, 5, tzinfo=UTC))
    with pytest.raises(ExportError, match=r"name the file \*\.apkg"):
        export_deck(deck, tmp_path / "x.csv", 0, {}, progress)
    assert not (tmp_path / "x.csv").exists()


def test_the_review_log_csv_is_refused_as_an_apkg(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "export", "--reviews", "-o", str(tmp_path / "r.apkg"))
    assert code != 0 and "--with-scheduling" in err
    assert not (tmp_path / "r.apkg").exists()


def test_quiz_to_anki_to_quiz_gives_back_every_kind_with_its_other_answers(
    tmp_path: Path,
    store: Store,
    write_deck,  # noqa: ANN001
) -> None:
    deck, apkg, _ = _exported(tmp_path, store, write_deck)
    col = _import_into_anki(apkg, tmp_path)
    (moon,) = _anki_cards(col, "quiz:sched:moon")
    assert "also accepted: nineteen sixty-nine" in moon.answer()  # Anki shows the other answers
    (pick,) = _anki_cards(col, "quiz:sched:pick")
    assert '"options"' not in pick.question() + pick.answer()  # the definition is never shown
    collection = pytest.importorskip("anki.collection")
    for legacy in (False, True):
        back = tmp_path / f"back-{legacy}.apkg"
        options = collection.ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=False, with_media=False, legacy=legacy
        )
        col.export_anki_package(out_path=str(back), options=options, limit=None)
        result = import_file(back)
        assert [(n.id, n.kind, n.body, n.explain) for n in result.notes] == [
            (n.id, n.kind, n.body, n.explain) for n in deck.notes
        ]
        # the same deck id and card keys: the history quiz keeps for them is theirs again
        assert result.deck_id == deck.id and not result.problems
    col.close()


def test_a_definition_that_is_not_quizs_leaves_the_faces() -> None:
    note = new_note("pick", "choice", front="Largest?", options=("Mars", "Jupiter"), answer="Jupiter")
    text = definition_of(note)
    assert read_definition(text) == Definition("choice", note.body, "")
    wrong_types = (
        text.replace('"Mars"', "1"),
        text.replace('["Mars","Jupiter"]', '"MarsJupiter"'),
        text.replace('"Jupiter"}', "true}"),
    )
    for broken in ("", "{", "[]", '{"kind": "nope"}', text.replace('"answer"', '"x"'), *wrong_types):
        assert read_definition(broken) is None, broken
    assert definition_of(new_note("b", "basic", front="f", back="b")) == ""  # Anki's faces say it all


def test_answers_in_one_millisecond_keep_their_log_ids_and_order_in_anki_s_review_log(
    capsys,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    """Anki's revlog ids are the answers' milliseconds, unique: the store's log ids are made by that rule, so
    the export writes them as they are, in the order the answers were given across cards."""
    decks = tmp_path / "data" / "decks"
    decks.mkdir(parents=True)
    (decks / "sched.yaml").write_text(DECK, encoding="utf-8")
    store = Store.in_folder(tmp_path / "data")
    at = datetime(2026, 1, 5, 9, 0, 0, 1000, tzinfo=UTC)
    after = CardState("basic", 2, None, 3.0, 5.0, at + timedelta(days=3), at, reps=1)
    for key, grade in (("paris", Grade.GOOD), ("rome", Grade.AGAIN), ("paris", Grade.EASY)):
        store.record_review("sched", key, grade, at, 3000, Mode.REVIEW, None, after)
    logged = [(r.id, int(r.grade)) for r in store.reviews()]
    store.close()
    apkg = tmp_path / "out.apkg"
    code, _, err = run(
        capsys, "--data-dir", str(tmp_path / "data"), "export", "sched", "-o", str(apkg), "--with-scheduling"
    )
    assert code == 0, err
    with zipfile.ZipFile(apkg) as package:
        (tmp_path / "out.db").write_bytes(package.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "out.db")
    millisecond = 1767603600001  # 2026-01-05 09:00:00.001 UTC
    assert sorted(logged) == [(millisecond, 3), (millisecond + 1, 1), (millisecond + 2, 4)]
    assert db.execute("select id, ease from revlog order by id").fetchall() == sorted(logged)


def test_export_with_scheduling_from_the_command_line(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    decks = tmp_path / "data" / "decks"
    decks.mkdir(parents=True)
    (decks / "sched.yaml").write_text(DECK, encoding="utf-8")
    store = Store.in_folder(tmp_path / "data")
    at = datetime(2026, 1, 5, 9, tzinfo=UTC)
    after = CardState("basic", 2, None, 3.0, 5.0, at + timedelta(days=3), at, reps=1, leech=True)
    store.record_review("sched", "paris", Grade.GOOD, at, 3000, Mode.REVIEW, None, after)
    store.close()
    apkg = tmp_path / "out.apkg"
    data = ("--data-dir", str(tmp_path / "data"))
    code, out, _ = run(capsys, *data, "export", "sched", "-o", str(apkg), "--with-scheduling")
    assert code == 0 and "wrote" in out
    with zipfile.ZipFile(apkg) as package:
        (tmp_path / "out.db").write_bytes(package.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "out.db")
    assert db.execute("select ease, time from revlog").fetchall() == [(3, 3000)]
    assert db.execute("select type, queue, reps from cards where reps > 0").fetchall() == [(2, 2, 1)]
    assert db.execute("select tags from notes where guid = 'quiz:sched:paris'").fetchone()[0].split() == ["leech"]
    code, _, err = run(
        capsys, *data, "export", "sched", "-o", str(tmp_path / "x.apkg"), "--with-scheduling", "--reviews"
    )
    assert code != 0 and "not allowed with" in err


def test_card_rows_as_anki_keeps_them() -> None:
    now = datetime(2026, 1, 5, 9, tzinfo=UTC)  # 4 am is the rollover: today is Jan 5
    learning = CardState("basic", 1, 1, 2.0, 5.0, now + timedelta(days=1, hours=2), now)
    progress = Progress({"a": learning}, [], Settings(), now)
    days = AnkiDays(progress)
    assert days.day(now) == 0 and days.day(now + timedelta(hours=20)) == 1  # Jan 6, 5 am: the next study day
    row = card_row(learning, 1, days, progress)  # a step that ends tomorrow is kept in days, as Anki does
    assert (row.type, row.queue, row.due, row.left) == (1, 3, 1, 1)
    soon = replace(learning, due=now + timedelta(minutes=10))
    row = card_row(soon, 1, days, progress)  # a step that ends today keeps its exact time
    assert (row.queue, row.due) == (1, int(soon.due.timestamp()))
    assert card_row(CardState("basic"), 7, days, progress) == CardRow(due=7)  # new, in the deck's order
    buried_yesterday = replace(soon, buried_until=now - timedelta(hours=1))
    assert card_row(buried_yesterday, 1, days, progress).queue == 1
    both = replace(soon, buried_until=now + timedelta(hours=1), suspended=True)
    assert card_row(both, 1, days, progress).queue == -1


def test_a_deck_back_from_anki_brings_only_the_answers_given_in_anki(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    """quiz -> Anki -> quiz: Anki keeps an answer's time to the millisecond, quiz's own to the microsecond; the
    answers quiz exported are known again by their second and grade, and only Anki's own answer is new."""
    collection = pytest.importorskip("anki.collection")
    scheduler_pb2 = pytest.importorskip("anki.scheduler_pb2")
    decks = tmp_path / "data" / "decks"
    decks.mkdir(parents=True)
    (decks / "sched.yaml").write_text(DECK, encoding="utf-8")
    store = Store.in_folder(tmp_path / "data")
    deck = load_deck_file(decks / "sched.yaml").deck
    assert deck is not None
    _study(store, deck, datetime.now(UTC).replace(microsecond=123456) - timedelta(days=25))
    reviews = _review_mode_answers(store)
    store.close()
    data = ("--data-dir", str(tmp_path / "data"))
    apkg = tmp_path / "out.apkg"
    assert run(capsys, *data, "export", "sched", "-o", str(apkg), "--with-scheduling")[0] == 0
    col = _import_into_anki(apkg, tmp_path)
    (fresh,) = _anki_cards(col, "quiz:sched:fresh")
    fresh.start_timer()
    states = col._backend.get_scheduling_states(fresh.id)  # what the answer buttons would apply
    col.sched.answer_card(col.sched.build_answer(card=fresh, states=states, rating=scheduler_pb2.CardAnswer.GOOD))
    back = tmp_path / "back.apkg"
    options = collection.ExportAnkiPackageOptions(
        with_scheduling=True, with_deck_configs=False, with_media=False, legacy=False
    )
    col.export_anki_package(out_path=str(back), options=options, limit=None)
    col.close()
    code, out, err = run(capsys, *data, "import", str(back))
    assert code == 0, err
    assert f"not brought again: {reviews} reviews already in quiz's review log" in out
    store = Store.in_folder(tmp_path / "data")
    assert _review_mode_answers(store) == reviews + 1
    assert [r.grade for r in store.reviews(deck.id, "fresh")] == [Grade.GOOD]


def _review_mode_answers(store: Store) -> int:
    return store.db.execute("SELECT count(*) FROM review_log WHERE mode = 'review'").fetchone()[0]


TEXT_DECK = """\
deck: text
title: Text
sources:
  - {id: art, title: An <article> & more, publisher: P}
cards:
  - {id: pick, kind: choice, front: Largest <b>planet</b>?, options: [Mars, Jupiter & co], answer: Jupiter & co}
  - {id: many, kind: multi, front: Primary colours of light?, options: [Red, Green, Yellow], answers: [Red, Green]}
  - {id: sky, kind: truefalse, front: The sky is green., answer: false, explain: 'It is "blue" & <i>bright</i> &amp;'}
  - {id: size, kind: order, front: Smallest first, items: [Atom, Cell, Organ]}
  - {id: cap, kind: match, front: Capitals, pairs: {France: Paris, Italy: Rome}}
  - {id: moon, kind: typed, front: First Moon landing?, answer: '1969', accept: [nineteen sixty-nine]}
  - {id: cited, kind: basic, front: Cited?, back: 'yes', sources: [art], outside: From general knowledge.}
  - {id: plain, kind: basic, front: Plain?, back: plain}
"""


@pytest.mark.parametrize("with_html", [True, False])
def test_quiz_to_anki_text_export_to_quiz_gives_back_every_kind_its_answers_and_sources(
    tmp_path: Path,
    write_deck,  # noqa: ANN001
    with_html: bool,
) -> None:
    """Anki's "Notes in Plain Text" of quiz's notes holds their hidden definition, as the package does: HTML-escaped
    as Anki keeps it, or (without "include HTML") as Anki shows it, its entities read once already."""
    deck = write_deck(TEXT_DECK)
    apkg = tmp_path / "text.apkg"
    export_deck(deck, apkg, 0, {})
    col = _import_into_anki(apkg, tmp_path)
    text = tmp_path / "notes.txt"
    col.export_note_csv(
        out_path=str(text),
        limit=None,
        with_html=with_html,
        with_tags=True,
        with_deck=True,
        with_notetype=True,
        with_guid=True,
    )
    col.close()
    result = import_file(text)
    assert [(n.id, n.kind, n.body, n.explain, n.outside, n.sources) for n in result.notes] == [
        (n.id, n.kind, n.body, n.explain, n.outside, n.sources) for n in deck.notes
    ]
    assert "title: An <article> & more" in result.text and "publisher: P" in result.text  # declared, as cited
    assert not result.problems, [str(p) for p in result.problems]
