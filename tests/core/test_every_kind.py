"""Every registered card kind, walked through load -> study -> grade -> export -> re-import.

A new kind registered in quiz/core/kinds fails here until it has a sample below.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple

import pytest

from quiz.core.clock import FixedClock
from quiz.core.decks import load_deck_file, parse_deck
from quiz.core.exporters import export_deck
from quiz.core.grading import grade_response
from quiz.core.importers import ImportFailure, import_file
from quiz.core.kinds import KINDS, texts, with_texts
from quiz.core.kinds.base import Response
from quiz.core.model import Card, Grade, Note
from quiz.core.store import Store
from tests.conftest import study_session
from tests.core.test_deck_images import PNG
from tests.core.test_import_export import _anki_text_export


class Sample(NamedTuple):
    card: str  # the note, as a deck file's flow mapping
    right: Response
    wrong: Response = None


# One note of each kind, a right answer for each of its cards and, for a kind the app checks, a wrong one.
SAMPLES: dict[str, Sample] = {
    "basic": Sample("{id: n, kind: basic, front: Capital of France?, back: Paris}", ""),
    "reverse": Sample("{id: n, kind: reverse, front: chien, back: dog}", ""),
    "cloze": Sample('{id: n, kind: cloze, text: "{{Paris}} is in France"}', "paris", "Rome"),
    "typed": Sample('{id: n, kind: typed, front: Year?, answer: "2019"}', " 2019", "2018"),
    "choice": Sample("{id: n, kind: choice, front: Pick, options: [a, b], answer: a}", "a", "b"),
    "multi": Sample(
        "{id: n, kind: multi, front: Pick, options: [a, b, c], answers: [a, c]}", frozenset("ac"), frozenset("a")
    ),
    "truefalse": Sample("{id: n, kind: truefalse, front: The sky is blue, answer: true}", True, False),
    "order": Sample(
        "{id: n, kind: order, front: Count, items: [one, two, three]}", ("one", "two", "three"), ("two", "one", "three")
    ),
    "match": Sample(
        "{id: n, kind: match, front: Match, pairs: {a: '1', b: '2'}}", {"a": "1", "b": "2"}, {"a": "2", "b": "1"}
    ),
    "occlusion": Sample(
        "{id: n, kind: occlusion, image: p.png, front: Name it, regions: [{x: 0.1, y: 0.1, w: 0.2, h: 0.2, label: A},"
        " {x: 0.5, y: 0.5, w: 0.5, h: 0.25}]}",
        "",
    ),
}


def test_every_registered_kind_has_a_sample() -> None:
    assert set(SAMPLES) == set(KINDS) == set(KINDS)


def _without_lines(notes: tuple[Note, ...] | list[Note]) -> list[Note]:
    return [replace(note, line=0) for note in notes]


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_kind_loads_studies_grades_exports_and_imports_back(
    kind: str, store: Store, clock: FixedClock, tmp_path: Path
) -> None:
    sample, card_kind = SAMPLES[kind], KINDS[kind]
    path = tmp_path / "deck.yaml"
    path.write_text(f"deck: every\ntitle: Every kind\ncards:\n  - {sample.card}\n", encoding="utf-8")
    (tmp_path / "p.png").write_bytes(PNG)  # the picture an occlusion card needs
    loaded = load_deck_file(path)
    assert loaded.ok, [str(p) for p in loaded.problems]
    deck = loaded.deck
    [note] = deck.notes
    assert note.kind == kind and list(deck.cards) == card_kind.cards_of(deck.id, note)

    studied: dict[str, Card] = {}
    for _ in deck.cards:  # a day each at most: a note's other cards wait for the next day
        session = study_session(store, clock, [deck])
        while (card := session.current) is not None and card.key not in studied:
            assert card_kind.question(card) and card_kind.expected_answer(card)
            verdict = session.answer(sample.right)
            assert verdict.correct is (True if card_kind.objective else None) and verdict.proposed is Grade.GOOD
            if card_kind.objective:
                assert grade_response(card, sample.wrong).correct is False
            session.grade(Grade.EASY)  # not due again for days
            studied[card.key] = card
        clock.advance(timedelta(days=1))
    assert sorted(studied) == sorted(card.key for card in deck.cards)
    assert all(not session.state_of(card).is_new for card in deck.cards)

    export_deck(deck, tmp_path / "out.yaml", 0)
    again = parse_deck((tmp_path / "out.yaml").read_bytes(), str(tmp_path / "out.yaml"))
    assert again.ok and _without_lines(again.deck.notes) == _without_lines(deck.notes)

    export_deck(deck, tmp_path / "out.csv", 0)
    if note.images:  # a table carries no picture: a kind that needs one is refused, saying so
        with pytest.raises(ImportFailure) as refused:
            import_file(tmp_path / "out.csv")
        assert "needs a picture" in str(refused.value.problems[0])
    else:
        from_table = import_file(tmp_path / "out.csv").notes
        assert _without_lines(from_table) == [replace(note, line=0)]  # quiz's own table holds every other kind

    export_deck(deck, tmp_path / "out.apkg", 0)
    from_apkg = import_file(tmp_path / "out.apkg")  # a quiz-only kind by its hidden definition
    [from_package] = from_apkg.notes
    assert replace(from_package, line=0, images=note.images) == replace(note, line=0)
    assert [from_apkg.media[image].read() for image in from_package.images] == [PNG] * len(note.images)  # its pictures
    if kind == "occlusion":  # a text export holds no Image Occlusion's picture
        with pytest.raises(ImportFailure):
            import_file(_anki_text_export(tmp_path / "out.apkg", tmp_path))
        return
    [from_anki] = import_file(_anki_text_export(tmp_path / "out.apkg", tmp_path)).notes
    # Anki has a note type for it, or its hidden definition column gives it back
    assert replace(from_anki, line=0) == replace(note, line=0)


@pytest.mark.parametrize("kind", list(KINDS))
def test_with_texts_changes_every_text_of_a_kind_and_nothing_else(kind: str) -> None:
    """What an import reads anew in a note's texts (quiz.core.importers.target) reaches every text of any kind: its
    own fields', an occlusion's labels, the explanation and the `outside:` statement; its regions, a true/false
    answer, its id and pictures stay."""
    card = SAMPLES[kind].card.removesuffix("}") + ", explain: Why, outside: Aside}"
    loaded = parse_deck(
        f"deck: every\ntitle: Every kind\ncards:\n  - {card}\n".encode(), "deck.yaml", check_files=False
    )
    assert loaded.deck is not None, [str(p) for p in loaded.problems]
    [note] = loaded.deck.notes
    found = texts(note)
    assert {"Why", "Aside"} <= set(found) and all(isinstance(text, str) for text in found)
    changed = with_texts(note, lambda text: f"<{text}>")
    assert texts(changed) == tuple(f"<{text}>" for text in found)
    assert with_texts(changed, lambda text: text[1:-1]) == note
    if kind == "occlusion":
        assert [region[:4] for region in changed.body.regions] == [region[:4] for region in note.body.regions]
        assert changed.body.regions[0][4] == "<A>"


def test_an_occlusion_s_hide_setting_is_no_text() -> None:
    """`hide: one` is a setting, a word quiz knows, not the author's text: what reads texts anew never changes it."""
    card = SAMPLES["occlusion"].card.removesuffix("}") + ", hide: one}"
    loaded = parse_deck(
        f"deck: every\ntitle: Every kind\ncards:\n  - {card}\n".encode(), "deck.yaml", check_files=False
    )
    assert loaded.deck is not None, [str(p) for p in loaded.problems]
    [note] = loaded.deck.notes
    assert "one" not in texts(note)
    assert with_texts(note, lambda text: f"<{text}>").body.hide == "one"
