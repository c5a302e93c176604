"""A Browse search over 100,000 cards, quiz against Anki's backend on the same cards.

quiz: two 50,000-card benchmark decks (gendecks.big_deck: the shipped deck's notes, every kind, text made
unique per copy) with 90,000 stored states (queuebuild.build_states: 94 % reviews due from 30 days ago to
180 days ahead, 1 % learning, 5 % suspended) and 10,000 new cards, loaded as Browse's rows
(`browse_rows`, not timed), then `search_rows(rows, QUERY, context)` timed: parsing the query and finding
every matching row, in library order.
Anki: a collection holding the same 100,000 cards, one Basic note per card whose fields are the text quiz
searches for that card (the question; then answer, explanation, options, deck and topic names, key), with
the card's tags, in an Anki deck named as the card's quiz deck id, and each card's state written as Anki
stores it (review: queue 2 due on the same study day; learning: queue 1 due at the same second;
suspended: queue -1). `col.find_cards(QUERY, order=False)` timed: parsing, SQL, the card ids (no
sorting, the least work Anki can do).
Both searches run once untimed (caches warm), then alternately, RUNS times each; the number of cards each
found is reported (they agree, but for a learning card that comes within the learn-ahead limit while the
searches run: Anki reads the clock on each search, quiz searches as of the moment before the first). Other
shapes of query (OTHER_QUERIES) are timed the same way, reported beside the figure.

    python benchmarks/search.py WORKDIR RUNS -> one JSON line
"""

from __future__ import annotations

import gc
import json
import shutil
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.gendecks import WORK, big_deck  # noqa: E402
from benchmarks.queuebuild import build_states, write_states  # noqa: E402
from quiz.core.browse_data import BrowseRow, browse_rows  # noqa: E402
from quiz.core.cardstate import CardState  # noqa: E402
from quiz.core.clock import day_start  # noqa: E402
from quiz.core.decks import load_deck_file  # noqa: E402
from quiz.core.model import Deck  # noqa: E402
from quiz.core.search import SearchContext, search_rows  # noqa: E402
from quiz.core.store import Store  # noqa: E402

CARDS = 100_000
STATES = 90_000
# Two words, a tag, today's due cards, and a word that must not be there: the same query in both grammars.
QUERY = "ketamine depression tag:therapy is:due -infusions"
# Other shapes a user types, reported beside the figure, each as its own same-run ratio.
OTHER_QUERIES = (
    "ketamine depression is:due -infusions",  # the same without the tag: nothing narrows by name first
    "ketamine",  # one word (73 % of the cards)
    "ketam*",  # a word with `*`
    "ket*mine",  # `*` inside a word
    '"chronic depression"',  # an exact phrase
    "is:due",  # today's due cards alone
    "deck:bench-big-2 depression",  # a deck and a word
    "-infusions",  # a word that must not be there, alone
)
ANKI_TEMPLATE = WORK / f"anki-search-{CARDS}-decks.anki2"  # "-decks": each card in its quiz deck's Anki deck


def load_decks() -> list[Deck]:
    """Two decks of 50,000 cards (a deck file is limited to 32 MiB), no text shared between them."""
    decks = []
    for path in (big_deck(CARDS // 2), big_deck(CARDS // 2, "bench-big-2", first_copy=CARDS)):
        result = load_deck_file(path)
        assert result.deck is not None, result.problems
        decks.append(result.deck)
    assert sum(len(deck.cards) for deck in decks) == CARDS
    return decks


def _fields(row: BrowseRow) -> tuple[str, str]:
    """Front: the question; Back: everything else quiz searches for the card (its haystack's other lines)."""
    first, _, rest = row.haystack.partition("\n")
    return first, rest


def build_anki_template(rows: list[BrowseRow]) -> Path:
    """One Basic note per card, in the rows' order, with the card's text and tags, in an Anki deck named
    as its quiz deck's id (states come later)."""
    if ANKI_TEMPLATE.exists():
        return ANKI_TEMPLATE
    from anki.collection import AddNoteRequest, Collection

    tmp = ANKI_TEMPLATE.with_suffix(".building")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    col = Collection(str(tmp / "collection.anki2"))
    model = col.models.by_name("Basic")
    deck_ids: dict[str, int] = {}
    requests = []
    for row in rows:
        note = col.new_note(model)
        note["Front"], note["Back"] = _fields(row)
        note.tags = list(row.tags)
        if row.deck_id not in deck_ids:
            deck_ids[row.deck_id] = col.decks.id(row.deck_id)
        requests.append(AddNoteRequest(note, deck_ids[row.deck_id]))
    col.add_notes(requests)
    assert col.card_count() == len(rows)
    col.close(downgrade=False)
    (tmp / "collection.anki2").replace(ANKI_TEMPLATE)
    shutil.rmtree(tmp, ignore_errors=True)
    return ANKI_TEMPLATE


def anki_states(col, card_ids: list[int], states: list[CardState | None], now: datetime) -> None:
    """Each card's quiz state as Anki stores it; `card_ids[i]` is the card of `states[i]`."""
    today = col.sched.today
    start = day_start(now)
    rows = []
    for card_id, state in zip(card_ids, states, strict=True):
        if state is None or state.due is None:
            continue
        if state.suspended:
            queue, kind = -1, 2
        elif state.is_learning:
            queue, kind = 1, 1
        else:
            queue, kind = 2, 2
        if kind == 1:
            due = int(state.due.timestamp())
        else:
            due = today + (state.due - start) // timedelta(days=1)
        rows.append((kind, queue, due, max(1, round(state.stability or 1)), card_id))
    col.db.executemany("update cards set type=?, queue=?, due=?, ivl=? where id=?", rows)


def main(workdir: Path, runs: int) -> dict:
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    now = datetime.now(UTC)
    decks = load_decks()
    store = Store.in_folder(workdir / "quiz")
    states = {}
    for deck in decks:
        states[deck.id] = build_states(deck, STATES // len(decks), now)
        write_states(store, deck.id, states[deck.id])
    rows = browse_rows(decks, store, now)
    store.close()

    from anki.collection import Collection

    template = build_anki_template(rows)
    shutil.copy(template, workdir / "anki.anki2")
    col = Collection(str(workdir / "anki.anki2"))
    card_ids = list(col.find_cards("", order="c.nid asc, c.ord asc"))  # notes were added in the rows' order
    anki_states(col, card_ids, [states[row.deck_id].get(row.card_key) for row in rows], now)

    # Anki reads the clock at each search; quiz searches as of its context's time: the same moment for both,
    # so that learning cards coming within the learn-ahead limit since the states were written count alike
    context = SearchContext(now=datetime.now(UTC))
    results = {}
    for query in (QUERY, *OTHER_QUERIES):
        found_quiz = len(search_rows(rows, query, context))  # warm-up, untimed
        found_anki = len(col.find_cards(query, order=False))
        quiz_ms, anki_ms, ratios = [], [], []
        for _ in range(runs):
            gc.collect()
            start = time.perf_counter()
            found = search_rows(rows, query, context)
            quiz_ms.append((time.perf_counter() - start) * 1000)
            assert len(found) == found_quiz
            gc.collect()
            start = time.perf_counter()
            ids = col.find_cards(query, order=False)
            anki_ms.append((time.perf_counter() - start) * 1000)
            found_anki = len(ids)  # may grow by a learning card that fell due meanwhile (Anki reads the clock)
            ratios.append(quiz_ms[-1] / anki_ms[-1])
        results[query] = {
            "found": {"quiz": found_quiz, "anki": found_anki},
            "quiz_ms": quiz_ms,
            "anki_ms": anki_ms,
            "ratios": ratios,
        }
    col.close(downgrade=False)
    return {"cards": len(rows), "states": sum(len(s) for s in states.values()), "queries": results}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 7)))
