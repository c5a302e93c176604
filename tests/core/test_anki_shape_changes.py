"""An Anki note whose shape changed between two versions of a package (a mask deleted, a gap nested or un-nested,
a template deleted), imported again: no answer is logged twice and no card takes another card's history. The
packages are made by Anki at test time (the `anki` package of the bench group); skipped without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.core.decks import load_deck_file
from quiz.core.importers import import_file
from quiz.core.store import Store
from tests.conftest import run_cli as run

anki = pytest.importorskip("anki")

from anki.collection import Collection, ExportAnkiPackageOptions  # noqa: E402
from anki.decks import DeckId  # noqa: E402

from tools.make_anki_fixtures import OCCLUDED, add, study_days  # noqa: E402

OPTIONS = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=True, legacy=False)


def _revlog(col: Collection) -> int:
    return int(col.db.scalar("select count() from revlog"))


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Packages of two versions each, as a shared deck's author or the student edits them in Anki."""
    work, out = tmp_path_factory.mktemp("work"), tmp_path_factory.mktemp("pk")
    found: dict[str, object] = {}
    # 1. an Image Occlusion note of three masks, studied; then the mask c2 deleted in Anki's editor
    path = work / "occ" / "collection.anki2"
    path.parent.mkdir()
    col = Collection(str(path))
    image = path.parent / "scan.png"
    image.write_bytes(OCCLUDED)
    col.add_image_occlusion_notetype()
    notetype = col.models.by_name("Image Occlusion")
    assert notetype is not None
    col.decks.select(DeckId(col.decks.id("Anatomy")))
    c1 = "{{c1::image-occlusion:rect:left=.1:top=.1:width=.2:height=.2:oi=1}}"
    c2 = "{{c2::image-occlusion:rect:left=.5:top=.5:width=.2:height=.2:oi=1}}"
    c3 = "{{c3::image-occlusion:rect:left=.5:top=.1:width=.1:height=.1:oi=1}}"
    col.add_image_occlusion_note(notetype["id"], str(image), c1 + c2 + c3, "Brain", "", [])
    col = study_days(col, path, "Anatomy")
    col.export_anki_package(out_path=str(out / "occ-v1.apkg"), options=OPTIONS, limit=None)
    note = col.get_note(col.find_notes("")[0])
    note["Occlusion"] = c1 + c3
    col.update_note(note)
    col.export_anki_package(out_path=str(out / "occ-v2.apkg"), options=OPTIONS, limit=None)
    found["occ"] = _revlog(col)
    found["occ_cards"] = {
        card.ord + 1: int(col.db.scalar("select count() from revlog where cid = ?", card.id)) for card in note.cards()
    }
    col.close()
    # 2. a cloze note studied, then edited so that its c2 is nested in c1 (Anki 23.10+)
    path = work / "nest" / "collection.anki2"
    path.parent.mkdir()
    col = Collection(str(path))
    note_id = add(col, "Cloze", "Pharm", {"Text": "{{c1::Aspirin}} inhibits {{c2::COX}} in platelets"})
    add(col, "Cloze", "Pharm", {"Text": "{{c1::Warfarin}} inhibits {{c2::VKOR}}"})
    col = study_days(col, path, "Pharm")
    col.export_anki_package(out_path=str(out / "nest-v1.apkg"), options=OPTIONS, limit=None)
    note = col.get_note(note_id)
    note["Text"] = "{{c1::Aspirin {{c2::irreversibly}} inhibits COX}} in platelets"
    note["Back Extra"] = "<ul><li>COX-1</li><li>COX-2</li></ul>"
    col.update_note(note)
    col.export_anki_package(out_path=str(out / "nest-v2.apkg"), options=OPTIONS, limit=None)
    found["nest"] = _revlog(col)
    col.close()
    # 3. a shared deck of ten notes, studied; its author's next version rewrites six of them as new notes
    path = work / "ver" / "collection.anki2"
    path.parent.mkdir()
    col = Collection(str(path))
    ids = [add(col, "Basic", "Cardio", {"Front": f"Question {n}", "Back": f"Answer {n}"}) for n in range(10)]
    col = study_days(col, path, "Cardio")
    col.export_anki_package(out_path=str(out / "Cardio v1.apkg"), options=OPTIONS, limit=None)
    col.remove_notes(ids[4:])
    for n in range(10, 16):
        add(col, "Basic", "Cardio", {"Front": f"Question {n}", "Back": f"Answer {n}"})
    col.export_anki_package(out_path=str(out / "Cardio v2.apkg"), options=OPTIONS, limit=None)
    found["ver"] = _revlog(col)
    col.close()
    found["out"] = out
    return found


def _answers_per_card(data: Path, deck_id: str) -> tuple[int, int]:
    """Every answer logged, and those under a card of the deck (a note gone from the package stays in it)."""
    store = Store.in_folder(data)
    deck = load_deck_file(data / "decks" / f"{deck_id}.yaml").deck
    assert deck is not None
    return store.review_count(), sum(len(store.reviews(deck_id, card.key)) for card in deck.cards)


def test_an_occlusion_mask_deleted_in_anki_then_imported_again_logs_no_answer_twice(made, tmp_path, capsys) -> None:
    """Masks c1, c2, c3 studied, then c2 deleted: Anki's card of c3 becomes quiz's region 2, whose key holds c2's
    answers. The note comes in as a note of its own (the first one kept, gone from the package), its cards with
    no answers: they stay under the first note's regions. It logged c3's answers under regions 2 and 3."""
    out = made["out"]
    for name in ("occ-v1", "occ-v2"):
        code, stdout, err = run(
            capsys, "--data-dir", str(tmp_path), "import", str(out / f"{name}.apkg"), "--deck-id", "o"
        )
        assert code == 0, err
    first = import_file(out / "occ-v1.apkg").notes[0].id
    assert "the answers of 2 cards whose Anki card came in as another card at the last import" in stdout
    assert "1 new" in stdout and "1 gone from" in stdout
    store = Store.in_folder(tmp_path)
    assert store.review_count() == made["occ"]
    regions = made["occ_cards"]
    assert [len(store.reviews("o", f"{first}/{n}")) for n in (1, 2, 3)] == [regions[1], regions[2], regions[3]]
    deck = load_deck_file(tmp_path / "decks" / "o.yaml").deck
    assert deck is not None
    (new,) = [note for note in deck.notes if note.id != first]
    assert [len(store.reviews("o", card.key)) for card in deck.cards if card.note.id == new.id] == [0, 0]


def test_a_moved_card_brings_the_answers_not_logged_under_the_card_it_came_in_as(made, tmp_path, capsys) -> None:
    """occ-v1 imported without its history, then occ-v2: the answers of c1 and c3, logged nowhere, come in under
    the new note's regions (only those logged under the earlier card stay out)."""
    out = made["out"]
    for name, more in (("occ-v1", ("--no-history",)), ("occ-v2", ())):
        command = ("--data-dir", str(tmp_path), "import", str(out / f"{name}.apkg"), "--deck-id", "o", *more)
        code, _, err = run(capsys, *command)
        assert code == 0, err
    store = Store.in_folder(tmp_path)
    regions = made["occ_cards"]
    assert store.review_count() == regions[1] + regions[3]
    deck = load_deck_file(tmp_path / "decks" / "o.yaml").deck
    assert deck is not None
    first = import_file(out / "occ-v1.apkg").notes[0].id
    new = [card.key for card in deck.cards if card.note.id != first]
    assert [len(store.reviews("o", key)) for key in new] == [regions[1], regions[3]]


@pytest.mark.parametrize("order", [("nest-v1", "nest-v2"), ("nest-v2", "nest-v1")])
def test_a_cloze_nested_or_unnested_in_anki_then_imported_again_logs_no_answer_twice(
    made, tmp_path, capsys, order
) -> None:
    out = made["out"]
    for name in order:
        code, _, err = run(capsys, "--data-dir", str(tmp_path), "import", str(out / f"{name}.apkg"), "--deck-id", "n")
        assert code == 0, err
    total, on_cards = _answers_per_card(tmp_path, "n")
    assert total == made["nest"]  # 24 for Anki's 15, either order
    assert on_cards == made["nest"]  # none under a key no card has, no Anki card's under two


def test_an_honest_new_version_of_a_shared_deck_updates_it(made, tmp_path, capsys) -> None:
    """Same Anki deck (Cardio), 4 of 10 notes kept, 6 rewritten: it updates the deck (it was a second deck)."""
    out = made["out"]
    for name in ("Cardio v1", "Cardio v2"):
        code, _, err = run(capsys, "--data-dir", str(tmp_path), "import", str(out / f"{name}.apkg"))
        assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "decks").glob("*.yaml")) == ["cardio-v1.yaml"]
    assert Store.in_folder(tmp_path).review_count() == made["ver"]  # 68 for Anki's 50


def test_a_template_deleted_in_anki_gives_the_card_left_its_own_id_not_the_deleted_ones(tmp_path, capsys) -> None:
    """Two templates (Recall, Use), both studied; the author deletes Recall: Anki renumbers Use's card to ord 0
    (the same card id). The Use card keeps its id (anki-…-2) and history; paired in order, it took Recall's."""
    work = tmp_path / "anki"
    work.mkdir()
    col = Collection(str(work / "collection.anki2"))
    models = col.models
    vocab = models.new("Vocab2")
    for name in ("Word", "Meaning", "Example"):
        models.add_field(vocab, models.new_field(name))
    for name, question, answer in (("Recall", "{{Word}}", "{{Meaning}}"), ("Use", "{{Example}}", "{{Word}}")):
        template = models.new_template(name)
        template["qfmt"], template["afmt"] = question, "{{FrontSide}}<hr id=answer>" + answer
        models.add_template(vocab, template)
    models.add(vocab)
    note_id = add(col, "Vocab2", "Lang", {"Word": "Hund", "Meaning": "dog", "Example": "Der ___ bellt"})
    col = study_days(col, work / "collection.anki2", "Lang")
    options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False)
    col.export_anki_package(out_path=str(tmp_path / "v1.apkg"), options=options, limit=None)
    vocab = col.models.by_name("Vocab2")
    assert vocab is not None
    col.models.remove_template(vocab, vocab["tmpls"][0])
    col.models.update_dict(vocab)
    col.export_anki_package(out_path=str(tmp_path / "v2.apkg"), options=options, limit=None)
    (use_card,) = col.get_note(note_id).cards()
    use_answers, total = col.db.scalar("select count() from revlog where cid = ?", use_card.id), _revlog(col)
    col.close()
    data = tmp_path / "data"
    for name in ("v1", "v2"):
        code, _, err = run(capsys, "--data-dir", str(data), "import", str(tmp_path / f"{name}.apkg"), "--deck-id", "t")
        assert code == 0, err
    store = Store.in_folder(data)
    use_id = next(n.id for n in import_file(tmp_path / "v1.apkg").notes if n.id.endswith("-2"))
    deck = load_deck_file(data / "decks" / "t.yaml").deck
    assert deck is not None
    (use,) = [note for note in deck.notes if note.body.front == "Der ___ bellt"]
    assert use.id == use_id and len(store.reviews("t", use_id)) == use_answers > 0
    assert store.review_count() == total
