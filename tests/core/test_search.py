"""Browse's search grammar (quiz.core.search), on rows built from a real deck and a real store."""

from __future__ import annotations

import itertools
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz.core.browse_data import BrowseRow, browse_rows, due_text, row_ident, sort_rows
from quiz.core.cardstate import CardState
from quiz.core.clock import FixedClock, day_end
from quiz.core.decks import load_deck_file
from quiz.core.importers import import_file
from quiz.core.model import Grade, Mode
from quiz.core.search import SearchContext, SearchError, search_rows
from quiz.core.store import Store
from tests.conftest import START

DECK = Path(__file__).parents[1] / "data" / "browse_deck.yaml"


@pytest.fixture
def rows_and_context(store: Store, clock: FixedClock):
    deck = load_deck_file(DECK).deck
    assert deck is not None
    now = clock.now()
    review = CardState(kind="basic", fsrs_state=2, stability=12.0, difficulty=4.0, due=now + timedelta(days=2), reps=3)
    store.set_state("browse", "nmda", review)  # a review card due in two days
    store.set_state("browse", "hostile-bold", replace(review, due=now - timedelta(days=1), lapses=3))  # overdue
    learning = CardState(kind="reverse", fsrs_state=1, stability=1.0, difficulty=6.0, due=now, reps=1)
    store.set_state("browse", "route", learning)
    store.set_state("browse", "route/reverse", replace(learning, suspended=True, leech=True))
    store.set_state("browse", "class/1", CardState(kind="cloze", buried_until=now + timedelta(hours=3)))
    store.record_review("browse", "nmda", Grade.GOOD, now - timedelta(days=3), 900, Mode.REVIEW, None, review)
    store.record_review("browse", "route", Grade.AGAIN, now - timedelta(minutes=5), 900, Mode.PRACTICE, None, learning)

    def answered_since(since):
        return {row_ident(d, k) for d, k in store.answered_since(since)}

    return browse_rows([deck], store, now), SearchContext(now, 4, answered_since)


def keys(rows_and_context, query: str) -> list[str]:
    rows, context = rows_and_context
    return [row.card_key for row in search_rows(rows, query, context)]


ALL = ["nmda", "hostile-bold", "hostile-click", "route", "route/reverse", "class/1", "class/2", "dissociation"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL),
        ("RECEPTOR", ["nmda", "class/1", "class/2"]),  # question and answer, case ignored
        ("glutamate", ["nmda"]),  # the explanation is searched
        ("spray", ["route", "route/reverse"]),  # the back of a reverse card
        ("receptor block", ["nmda"]),  # every word
        ('"receptor block"', []),  # the phrase, as written
        ('"receptor does"', ["nmda"]),
        ("receptor -nmda", []),  # the cloze says NMDA too
        ("receptor -block", ["class/1", "class/2"]),
        ("spray or dissociation", ["route", "route/reverse", "dissociation"]),
        ("(spray or dissociation) -tag:route", ["dissociation"]),
        ("-(spray or dissociation) is:new", ["hostile-click", "class/1", "class/2"]),
        ("ket*ne", ["nmda", "route", "route/reverse", "class/1", "class/2"]),  # "ketamine", "esketamine"
        ("is:new", ["hostile-click", "class/1", "class/2", "dissociation"]),
        ("is:review", ["nmda", "hostile-bold"]),
        ("is:learn", ["route", "route/reverse"]),
        ("is:due", ["hostile-bold", "route"]),  # overdue review, learning due now; not suspended or buried
        ("is:suspended", ["route/reverse"]),
        ("is:leech", ["route/reverse"]),
        ("is:buried", ["class/1"]),
        ("tag:route", ["route", "route/reverse"]),
        ("tag:rout", []),  # the whole tag, as in Anki
        ("tag:rout*", ["route", "route/reverse"]),
        ("tag:[b]tag[/b]", ["hostile-bold"]),  # markup-looking text is only text
        ("topic:side*", ["hostile-bold", "hostile-click", "dissociation"]),
        ("topic:mechanism -is:new", ["nmda", "route", "route/reverse"]),
        ('topic:"Side effects [red]and[/red] safety"', ["hostile-bold", "hostile-click", "dissociation"]),
        ("deck:browse is:buried", ["class/1"]),
        ("deck:bro", []),
        ("deck:bro*", ALL),
        ("prop:due<=0", ["hostile-bold", "route", "route/reverse"]),  # due today or before
        ("prop:due=2", ["nmda"]),
        ("prop:lapses>2", ["hostile-bold"]),
        ("prop:reps>=3", ["nmda", "hostile-bold"]),
        ("prop:s>10", ["nmda", "hostile-bold"]),
        ("prop:d<5", ["nmda", "hostile-bold"]),
        ("rated:1", ["route"]),  # answered today (a practice answer counts)
        ("rated:7", ["nmda", "route"]),
        ("flag:0", ALL),
        ("flag:1", []),
        ('"foo:bar" or dissociation', ["dissociation"]),  # a quoted colon is text, not a filter
    ],
)
def test_search_grammar(rows_and_context, query: str, expected: list[str]) -> None:
    assert keys(rows_and_context, query) == expected


@pytest.mark.parametrize(
    ("query", "words", "position"),
    [
        ("colour:red", "unknown filter 'colour:'", 1),
        ("spray is:dew", "unknown state 'is:dew'", 7),
        ("spray or", "'or' needs a search after it", 7),
        ("(spray", "'(' is never closed", 1),
        ("spray)", "')' without a '('", 6),
        ('"spray', "a quote is never closed", 1),
        ("prop:size>3", "cannot be read", 1),
        ("flag:8", "not a flag", 1),
        ("rated:x", "needs a number of days", 1),
        ("tag:", "needs a value", 1),
        ("()", "nothing to search for", 2),
    ],
)
def test_a_malformed_query_says_what_and_where(rows_and_context, query: str, words: str, position: int) -> None:
    with pytest.raises(SearchError) as raised:
        keys(rows_and_context, query)
    assert words in raised.value.message and raised.value.position + 1 == position
    assert raised.value.hint  # and how to fix it


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (["receptor", "-block", "is:new"], ["class/1", "class/2"]),
        (["(spray or dissociation)", "-tag:route"], ["dissociation"]),
        (["topic:mechanism", "-is:new", "ket*ne", "is:learn"], ["route", "route/reverse"]),
        (["is:due", "-flag:1", "ket*", "-receptor"], ["route"]),
    ],
)
def test_an_and_finds_the_same_rows_whatever_order_its_parts_are_written_in(
    rows_and_context, parts: list[str], expected: list[str]
) -> None:
    # the search runs the cheap parts first, each on the rows the previous ones kept
    for order in itertools.permutations(parts):
        assert keys(rows_and_context, " ".join(order)) == expected, order


def test_or_lists_each_row_once_in_library_order(rows_and_context) -> None:
    assert keys(rows_and_context, "dissociation or spray or route") == ["route", "route/reverse", "dissociation"]


def test_name_filters_match_rows_that_do_not_share_their_tag_tuples(rows_and_context) -> None:
    rows, context = rows_and_context
    copied = [replace(row, tags=tuple(list(row.tags))) for row in rows]  # as a row refreshed on its own
    assert [r.card_key for r in search_rows(copied, "tag:route or topic:side*", context)] == [
        "hostile-bold",
        "hostile-click",
        "route",
        "route/reverse",
        "dissociation",
    ]


def _due_rows(store: Store, now, states: dict[str, CardState]):
    deck = load_deck_file(DECK).deck
    assert deck is not None
    for key, state in states.items():
        store.set_state("browse", key, state)
    return browse_rows([deck], store, now)


LEARNING = CardState(kind="basic", fsrs_state=1, stability=1.0, difficulty=6.0, reps=1)
REVIEW = CardState(kind="basic", fsrs_state=2, stability=12.0, difficulty=4.0, reps=3)


def test_is_due_finds_learning_cards_within_the_learn_ahead_limit_as_anki_does(store: Store, clock) -> None:
    """Anki's is:due takes learning cards due within its learn-ahead limit (20 minutes): the ones a session
    shows now when nothing else is left. Reviews are due until the study day ends."""
    now = clock.now()
    rows = _due_rows(
        store,
        now,
        {
            "nmda": replace(LEARNING, due=now + timedelta(minutes=19)),
            "hostile-bold": replace(LEARNING, due=now + timedelta(minutes=21)),
            "hostile-click": replace(REVIEW, due=day_end(now, 4) - timedelta(minutes=1)),
            "dissociation": replace(REVIEW, due=day_end(now, 4)),
            "class/1": replace(LEARNING, due=now - timedelta(minutes=5), suspended=True),
            "class/2": replace(REVIEW, due=now - timedelta(days=1), buried_until=now + timedelta(hours=2)),
        },
    )
    found = [row.card_key for row in search_rows(rows, "is:due", SearchContext(now, 4))]
    assert found == ["nmda", "hostile-click"]


def test_is_due_near_the_rollover_takes_learning_cards_due_after_it(store: Store) -> None:
    """Ten minutes before the study day ends, a learning card due five minutes after it is within the
    learn-ahead limit; a review due then belongs to the next day."""
    end = day_end(START, 4)
    now = end - timedelta(minutes=10)
    rows = _due_rows(
        store,
        now,
        {
            "nmda": replace(LEARNING, due=end + timedelta(minutes=5)),
            "route": replace(REVIEW, due=end + timedelta(minutes=5)),
        },
    )
    assert [row.card_key for row in search_rows(rows, "is:due", SearchContext(now, 4))] == ["nmda"]


@pytest.mark.parametrize("day_left", [timedelta(minutes=10), timedelta(hours=5)])
def test_is_due_takes_a_learning_card_due_exactly_at_the_learn_ahead_limit(store: Store, day_left: timedelta) -> None:
    """The limit is inclusive (due <= now + 20 minutes), whether the study day ends before it or after it."""
    now = day_end(START, 4) - day_left
    rows = _due_rows(
        store,
        now,
        {
            "nmda": replace(LEARNING, due=now + timedelta(minutes=20)),
            "route": replace(LEARNING, due=now + timedelta(minutes=20, seconds=1)),
        },
    )
    assert [row.card_key for row in search_rows(rows, "is:due", SearchContext(now, 4))] == ["nmda"]


@pytest.mark.parametrize(
    ("query", "same_as"),
    [
        ("ket*", "ket"),  # a `*` at either end changes nothing: a word is found anywhere in the text
        ("*ket", "ket"),
        ("**ket**", "ket"),
        ("*", ""),  # every card
        ("-ket*", "-ket"),
    ],
)
def test_wildcards_at_the_ends_of_a_word_find_what_the_word_finds(rows_and_context, query: str, same_as: str) -> None:
    assert keys(rows_and_context, query) == keys(rows_and_context, same_as)
    assert query == "*" or keys(rows_and_context, query) != ALL  # not everything: the cases tell apart


def test_a_wildcard_inside_a_word_stays_within_one_line_of_the_text(rows_and_context) -> None:
    assert keys(rows_and_context, "which glutamate") == ["nmda"]  # its question, and its explanation
    assert keys(rows_and_context, "which*glutamate") == []  # on two lines
    assert keys(rows_and_context, "which*block") == ["nmda"]  # both in the question


def test_wildcards_over_a_hostile_card_return(rows_and_context) -> None:
    """A card whose front is one 10,000-character line of e's, with a topic and a tag of 200 e's: as regexes,
    these searches tried ~10,000**6 and ~200**8 placings and froze Browse; each now passes the text once."""
    rows, context = rows_and_context
    hostile = replace(rows[0], haystack="e" * 10_000, topic="e" * 200, tags=("e" * 200,))
    for query, found in [
        ("e*e*e*e*e*e*xz", []),
        ("e*e*e*e*e*e*e", [hostile]),
        ("topic:" + "e*" * 8 + "x", []),
        ("topic:" + "e*" * 8 + "e", [hostile]),
        ("tag:" + "e*" * 8 + "x", []),
        ("tag:" + "e*" * 8 + "e", [hostile]),
    ]:
        assert search_rows([hostile], query, context) == found, query


def test_prop_due_and_rated_count_study_days_across_a_dst_change(store: Store, monkeypatch) -> None:
    """In New York, clocks go back at 2 am on 1 November 2026. Seen at noon on 3 November, a card due at 04:30 on
    31 October was due three study days ago, one answered at 04:30 that day two days later counts within rated:4,
    and one answered at 03:30 that day, before its rollover, does not."""
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        now = datetime(2026, 11, 3, 12).astimezone(UTC)  # naive = local time
        rows = _due_rows(store, now, {"nmda": replace(REVIEW, due=datetime(2026, 10, 31, 4, 30).astimezone(UTC))})
        answers = {"route": datetime(2026, 10, 31, 4, 30), "class/1": datetime(2026, 10, 31, 3, 30)}
        for key, at in answers.items():
            store.record_review("browse", key, Grade.GOOD, at.astimezone(UTC), 900, Mode.REVIEW, None, REVIEW)

        def answered_since(since):
            return {row_ident(d, k) for d, k in store.answered_since(since)}

        context = SearchContext(now, 4, answered_since)
        assert [row.card_key for row in search_rows(rows, "prop:due=-3", context)] == ["nmda"]
        assert [row.card_key for row in search_rows(rows, "rated:4", context)] == ["route"]
    finally:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()


def test_the_due_column_shows_the_study_day_a_card_is_due_on(store: Store) -> None:
    """A card due at 02:30 on 7 January is due in the study day of the 6th (it ends at 4 am): Browse's Due column
    says 2026-01-06, the day Home and prop:due=1 count it on, not the calendar date of 02:30."""
    now = START  # 09:00 on Monday 5 January
    due = datetime(2026, 1, 7, 2, 30, tzinfo=UTC)
    rows = _due_rows(store, now, {"nmda": replace(REVIEW, due=due)})
    assert due_text(due, now, 4) == "2026-01-06"
    assert [row.card_key for row in search_rows(rows, "prop:due=1", SearchContext(now, 4))] == ["nmda"]
    assert due_text(due, now, 0) == "2026-01-07"  # with the day ending at midnight, the 7th's


def test_the_due_column_given_the_end_of_today_reads_as_when_it_works_it_out() -> None:
    """Browse works out the end of today once a page of rows: a card due later today still says `in …`, one due
    at the day's end its study day."""
    now = START
    for rollover in (0, 4):
        today_ends = day_end(now, rollover)
        for due in (now + timedelta(hours=3), today_ends, today_ends - timedelta(minutes=1), now - timedelta(hours=1)):
            assert due_text(due, now, rollover, today_ends) == due_text(due, now, rollover)
    assert due_text(now + timedelta(minutes=10), now, 4, day_end(now, 4)) == "in 10m"


LANGUAGES_DECK = """\
deck: languages
title: 薬理学
topics:
  - {id: sicherheit, title: Äußere Sicherheit}
cards:
  - id: ja
    kind: basic
    tags: [受容体]
    front: ケタミンが遮断する受容体はどれですか？
    back: ＮＭＤＡ型グルタミン酸受容体
  - id: de
    kind: basic
    topic: sicherheit
    front: Häufigste Nebenwirkung von Ketamin an der Hauptstraße?
    back: Übelkeit
  - id: zh
    kind: basic
    front: 氯胺酮阻断哪种受体？
    back: NMDA谷氨酸受体
"""


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Ｋｅｔａｍｉｎ", ["de"]),  # full-width letters typed, plain ones in the card
        ("ｹﾀﾐﾝ", ["ja"]),  # half-width katakana, as an input method in half-width mode types it
        ("nmda型", ["ja"]),  # full-width letters in the card, plain ones typed
        ("ＮＭＤＡ", ["ja", "zh"]),
        ("遮断", ["ja"]),  # a word inside a sentence written without spaces
        ("受体", ["zh"]),
        ("受容体", ["ja"]),
        ("übelkeit", ["de"]),
        ("HAUPTSTRASSE", ["de"]),  # ß folds to ss
        ("topic:äußere*", ["de"]),
        ("tag:受容体", ["ja"]),
        ("ｔａｇ：受容体", ["ja"]),  # a filter typed with the input method left on
        ("ＴＯＰＩＣ：äussere*", ["de"]),
        ("ｉｓ：ｎｅｗ -ｋｅｔａｍｉｎ", ["ja", "zh"]),
    ],
)
def test_search_matches_across_width_case_and_composed_forms(
    tmp_path: Path, store: Store, clock: FixedClock, query: str, expected: list[str]
) -> None:
    """A deck saved on macOS has its text decomposed (NFD); a Japanese or Chinese keyboard types full-width or
    half-width forms: the search finds a card whichever form the card or the query is written in."""
    for form in ("NFC", "NFD"):
        deck_file = tmp_path / f"{form}.yaml"
        deck_file.write_text(unicodedata.normalize(form, LANGUAGES_DECK), encoding="utf-8")
        deck = load_deck_file(deck_file).deck
        assert deck is not None
        rows = browse_rows([deck], store, clock.now())
        context = SearchContext(clock.now(), 4, lambda since: set())
        for typed in ("NFC", "NFD"):
            found = search_rows(rows, unicodedata.normalize(typed, query), context)
            assert [row.card_key for row in found] == expected, (form, typed)


def test_sorted_by_question_an_accented_word_comes_where_a_dictionary_has_it(
    tmp_path: Path, store: Store, clock: FixedClock
) -> None:
    """By its letters first, then its accents: Äpfel between apfel and Apotheke, école between eau and ezine, not
    after the last word of its letter."""
    words = ["Zunge", "ezine", "Äpfel", "Azur", "école", "Apotheke", "eau", "apfel"]
    cards = "".join(
        f"  - id: w{at}\n    kind: basic\n    front: {word}\n    back: x\n" for at, word in enumerate(words)
    )
    deck_file = tmp_path / "words.yaml"
    deck_file.write_text(f"deck: words\ntitle: Words\ncards:\n{cards}", encoding="utf-8")
    deck = load_deck_file(deck_file).deck
    assert deck is not None
    rows = sort_rows(browse_rows([deck], store, clock.now()), "question")
    assert [row.question for row in rows] == ["apfel", "Äpfel", "Apotheke", "Azur", "eau", "école", "ezine", "Zunge"]


ANKI_SUBDECKS = (  # an Anki export's deck column: the deck is the subdecks' common part, each subdeck a topic
    "#separator:tab\n#html:true\n#deck column:1\n"
    "Languages::Spanish::Verbs\tser\tto be\n"
    "Languages::Spanish::Verbs::Irregular\tir\tto go\n"
    "Languages::Spanish::Verbs::Irregular::Stem  changing\tpoder\tcan\n"
    "Languages::Spanish::Phrasal verbs\techar de menos\tto miss\n"
    "Languages::Spanish::日本語::動詞\t食べる\tto eat\n"
    "Languages::Spanish::Nouns\tcasa\thouse\n"
    "Languages::Spanish\thola\thello\n"
    "Languages::Spanish::Ser / Estar\tsoy\tI am\n"  # one Anki deck, " / " in its name, beside deck Ser
    "Languages::Spanish::Ser\tes\tis\n"
)


def imported_rows(tmp_path: Path, store: Store, clock: FixedClock, text: str) -> list[BrowseRow]:
    source = tmp_path / "subdecks.txt"
    source.write_text(text, encoding="utf-8")
    deck_file = tmp_path / "subdecks.yaml"
    deck_file.write_text(import_file(source).text, encoding="utf-8")
    deck = load_deck_file(deck_file).deck
    assert deck is not None
    return browse_rows([deck], store, clock.now())


def questions(rows: list[BrowseRow], query: str, now: datetime) -> list[str]:
    return [row.question for row in search_rows(rows, query, SearchContext(now, 4, lambda since: set()))]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("deck:Spanish::Verbs::Irregular", ["ir"]),  # the topic "Verbs / Irregular"
        ("deck:Spanish::Verbs::Irregular::*", ["poder"]),  # the topics an import nested under it
        ("deck:spanish::verbs::*", ["ir", "poder"]),
        ("deck:spanish::verbs", ["ser"]),  # the topic Verbs; a title's " / " makes no topic a child (Ser / Estar)
        ("deck:spanish::verbs*", ["ser", "ir", "poder"]),  # Verbs and the topics under it
        ('deck:"Spanish::Verbs::Irregular::Stem changing"', ["poder"]),  # spaced as Anki names it
        ('deck:"Spanish::Verbs::Irregular::Stem  changing"', ["poder"]),
        ('deck:"Spanish::Verbs / Irregular"', ["ir"]),  # as quiz's export names the subdeck
        ('deck:"Spanish::Phrasal verbs"', ["echar de menos"]),
        ("deck:*verbs", ["ser", "echar de menos"]),  # a wildcard reaches the topics' names
        ("deck:*irregular*", ["ir", "poder"]),
        ("deck:Spanish::日本語", []),  # no topic is named so: 日本語 held only the subdeck 動詞
        ("deck:Spanish::日本語::*", ["食べる"]),
        ("deck:ＳＰＡＮＩＳＨ::日本語::動詞", ["食べる"]),  # full-width, as an input method types it
        ("deck:subdecks::verbs", ["ser"]),  # the deck's id, then the topic's
        ("deck:spanish::nouns -deck:spanish::verbs", ["casa"]),
        ("deck:spanish::verb", []),  # the whole name, as in Anki
        ("deck:Spanish::Ser", ["es"]),  # as in Anki: Ser / Estar is a deck of its own, not a child of Ser
        ("deck:spanish -deck:Spanish::Ser", ["ser", "ir", "poder", "echar de menos", "食べる", "casa", "hola", "soy"]),
        ('deck:"Spanish::Ser / Estar"', ["soy"]),
        ("deck:spanish", ["ser", "ir", "poder", "echar de menos", "食べる", "casa", "hola", "soy", "es"]),
    ],
)
def test_deck_finds_a_topic_by_the_anki_subdeck_it_came_from(
    tmp_path: Path, store: Store, clock: FixedClock, query: str, expected: list[str]
) -> None:
    """Anki's `Languages::Spanish::Verbs::Irregular` comes in as deck "Spanish", topic "Verbs / Irregular": the
    deck: search an Anki user types finds it. Anki's `Languages::Spanish::Ser / Estar` comes in as topic "Ser /
    Estar" too: a topic is never taken for a child of another through its title's " / ", which either can be."""
    assert questions(imported_rows(tmp_path, store, clock, ANKI_SUBDECKS), query, clock.now()) == expected


def test_deck_finds_a_topic_titled_with_a_slash_by_its_whole_title_and_a_deck_titled_with_colons_by_its_start(
    tmp_path: Path, store: Store, clock: FixedClock
) -> None:
    """A topic "Input / Output" written by hand is not under a topic "Input" (there is none): deck:CS::Input
    found it. A deck titled "Med::Drugs" is found by deck:Med, as Anki's child deck Med::Drugs is."""
    deck_file = tmp_path / "cs.yaml"
    deck_file.write_text(
        "deck: cs\ntitle: CS\ntopics: [{id: io, title: Input / Output}]\n"
        "cards: [{id: read, kind: basic, topic: io, front: read, back: input}]\n",
        encoding="utf-8",
    )
    med_file = tmp_path / "med.yaml"
    med_file.write_text("deck: drugs\ntitle: Med::Drugs\ncards: [{id: k, kind: basic, front: k, back: x}]\n")
    decks = [load_deck_file(deck_file).deck, load_deck_file(med_file).deck]
    rows = browse_rows([deck for deck in decks if deck is not None], store, clock.now())
    assert questions(rows, "deck:CS::Input", clock.now()) == []
    assert questions(rows, '-deck:CS::Input deck:"CS::Input / Output"', clock.now()) == ["read"]
    assert questions(rows, "deck:Med", clock.now()) == ["k"]
    assert questions(rows, "deck:Med::Drugs", clock.now()) == ["k"]
