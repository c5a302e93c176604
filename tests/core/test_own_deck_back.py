"""A user's own deck exported to Anki and imported back into the same library: it updates the deck where it is,
whatever its file is called, and what Anki cannot keep as quiz does (a topic's id, a picture's path) is not taken
for a change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image

from quiz.commands import importing
from quiz.core.cardstate import CardState
from quiz.core.model import Grade, Mode
from quiz.core.store import Store
from tests.conftest import run_cli as run

DECK = """\
deck: nurse
title: Nursing pharmacology
topics:
  - {id: cardio, title: Cardiology}
  - {id: renal, title: Kidneys}
cards:
  - {id: dig, kind: basic, front: Digoxin toxicity sign?, back: Yellow vision, topic: cardio, image: pics/heart.png}
  - {id: furo, kind: choice, front: Loop diuretic?, options: [Furosemide, Spironolactone], answer: Furosemide,
     topic: renal, image: pics/kidney.png}
"""


def _library(tmp_path: Path) -> Path:
    """Her deck in `nursing.yaml` (not named by its id), two pictures in a folder of her own, one answer."""
    data = tmp_path / "data"
    pics = data / "decks" / "pics"
    pics.mkdir(parents=True)
    Image.new("RGB", (20, 10), (200, 10, 10)).save(pics / "heart.png")
    Image.new("RGB", (12, 16), (10, 10, 200)).save(pics / "kidney.png")
    (data / "decks" / "nursing.yaml").write_text(DECK, encoding="utf-8")
    store = Store.in_folder(data)
    at = datetime(2026, 1, 5, 9, 0, 0, 123456, tzinfo=UTC)
    after = CardState("basic", 2, None, 3.0, 5.0, at + timedelta(days=3), at, reps=1)
    store.record_review("nurse", "dig", Grade.GOOD, at, 3000, Mode.REVIEW, None, after)
    store.close()
    return data


def _exported(capsys, data: Path, tmp_path: Path) -> Path:  # noqa: ANN001
    apkg = tmp_path / "nurse.apkg"
    code, _, err = run(capsys, "--data-dir", str(data), "export", "nurse", "-o", str(apkg), "--with-scheduling")
    assert code == 0, err
    return apkg


def test_her_deck_comes_back_unchanged_into_its_own_file(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    data = _library(tmp_path)
    apkg = _exported(capsys, data, tmp_path)
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(apkg))
    assert code == 0, err
    assert "updated: 0 updated, 0 new, 2 unchanged, 0 gone from nurse.apkg, 0 changed by both" in out
    assert "the deck file is unchanged" in out and "changed by both nurse.apkg and you" not in err
    decks = data / "decks"
    assert (decks / "nursing.yaml").read_text(encoding="utf-8") == DECK
    assert sorted(p.name for p in decks.iterdir()) == ["nursing.import.json", "nursing.yaml", "pics"]  # no copy
    store = Store.in_folder(data)
    try:
        assert [(r.card_key, int(r.grade)) for r in store.reviews()] == [("dig", 3)]
    finally:
        store.close()


def test_a_picture_redrawn_since_the_export_stays_hers_at_every_import(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    """The package holds her picture under the name the export gave it, but as it was: it is still her picture,
    never replaced by the older copy, neither at the import back nor at the next one (whose record holds her
    path), and no copy of the package's is written."""
    data = _library(tmp_path)
    apkg = _exported(capsys, data, tmp_path)
    heart = data / "decks" / "pics" / "heart.png"
    Image.new("RGB", (20, 10), (0, 200, 0)).save(heart)  # redrawn since
    redrawn = heart.read_bytes()
    for _ in range(2):
        code, out, err = run(capsys, "--data-dir", str(data), "import", str(apkg))
        assert code == 0, err
        assert "2 unchanged" in out and "changed by both" not in err, out + err
        # named, with no advice to copy the package's (older) picture over hers: none can, from inside a package
        assert err.splitlines() == [
            "pictures kept as your deck has them, though nurse.apkg has others under their names (1 picture):",
            f"  {heart}",
        ]
        assert (data / "decks" / "nursing.yaml").read_text(encoding="utf-8") == DECK
        assert heart.read_bytes() == redrawn and not (data / "decks" / "nurse-media").exists()
    Image.new("RGB", (20, 10), (0, 0, 0)).save(heart)  # and again, after the record was written
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(apkg))
    assert code == 0 and "2 unchanged" in out, out + err
    assert "image: nurse-media/heart.png" not in (data / "decks" / "nursing.yaml").read_text(encoding="utf-8")


def test_a_deck_file_linked_into_the_deck_folder_is_updated_where_it_is(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    """`decks/nursing.yaml` a link to `decks/real/nursing.yaml`: the file behind the link is the deck."""
    data = _library(tmp_path)
    decks = data / "decks"
    (decks / "real").mkdir()
    (decks / "nursing.yaml").rename(decks / "real" / "nursing.yaml")
    (decks / "real" / "pics").symlink_to(decks / "pics")
    (decks / "nursing.yaml").symlink_to(decks / "real" / "nursing.yaml")
    apkg = _exported(capsys, data, tmp_path)
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(apkg))
    assert code == 0, err
    assert (decks / "nursing.yaml").is_symlink() and f"{decks / 'real' / 'nursing.yaml'}" in out
    assert (decks / "real" / "nursing.import.json").exists()


def test_a_deck_of_the_same_id_outside_her_deck_folder_is_still_never_written(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    """The shipped deck is loaded from quiz's own folder: its export imported back is refused, as before."""
    data = tmp_path / "data"
    data.mkdir()  # `export` reads a data folder; it makes none
    apkg = tmp_path / "ketamine.apkg"
    assert run(capsys, "--data-dir", str(data), "export", "ketamine", "-o", str(apkg))[0] == 0
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(apkg))
    assert code != 0 and "deck id 'ketamine' is already used by" in err and "--deck-id NEW_ID" in err


def test_two_topics_of_one_title_are_never_taken_for_each_other(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    """Anki knows both as one subdeck: which one a note was in cannot be told, so neither id is guessed (it moved
    every such note into the last topic of that title)."""
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    deck = """\
deck: twin
title: Twins
topics:
  - {id: a, title: Heart}
  - {id: b, title: Heart}
  - {id: c, title: Lungs}
cards:
  - {id: one, kind: basic, front: first, back: '1', topic: a}
  - {id: two, kind: basic, front: second, back: '2', topic: b}
  - {id: three, kind: basic, front: third, back: '3', topic: c}
"""
    (data / "decks" / "twin.yaml").write_text(deck, encoding="utf-8")
    apkg = tmp_path / "twin.apkg"
    assert run(capsys, "--data-dir", str(data), "export", "twin", "-o", str(apkg))[0] == 0
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(apkg))
    assert code == 0, err
    assert "topic: 'a' -> 'b'" not in err and "topic: 'b' -> 'a'" not in err
    assert "three" not in err  # a title of one topic is known
    assert (data / "decks" / "twin.yaml").read_text(encoding="utf-8") == deck


def test_a_deck_whose_cards_share_one_topic_comes_back_in_it(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    """Every card in one topic: the package holds one Anki deck, the topic's subdeck, which the import takes for
    the deck itself (no topic); its name, the deck's title and the topic's, says which topic it was."""
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    deck = """\
deck: heart
title: Cardiac   drugs
topics:
  - {id: glyc, title: Cardiac glycosides}
  - {id: beta, title: Beta blockers}
cards:
  - {id: dig, kind: basic, front: Digoxin toxicity sign?, back: Yellow vision, topic: glyc}
  - {id: ouab, kind: basic, front: Ouabain acts on?, back: Na/K ATPase, topic: glyc}
"""
    (data / "decks" / "cardiac.yaml").write_text(deck, encoding="utf-8")
    apkg = tmp_path / "heart.apkg"
    assert run(capsys, "--data-dir", str(data), "export", "heart", "-o", str(apkg))[0] == 0
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(apkg))
    assert code == 0, err
    assert "2 unchanged" in out and "changed by both" not in err
    assert (data / "decks" / "cardiac.yaml").read_text(encoding="utf-8") == deck


def test_her_picture_in_the_folder_an_import_writes_stays_hers_when_redrawn(capsys, tmp_path: Path) -> None:  # noqa: ANN001
    """Her own picture kept in `nurse-media/` (the folder an import of deck nurse writes), redrawn since the
    export: the package's older copy under that path is not written over it, and she is told, as for a note
    that differs with no record; --replace takes the package's."""
    data = _library(tmp_path)
    decks = data / "decks"
    (decks / "pics").rename(decks / "nurse-media")
    deck = DECK.replace("image: pics/", "image: nurse-media/")
    (decks / "nursing.yaml").write_text(deck, encoding="utf-8")
    apkg = _exported(capsys, data, tmp_path)
    heart = decks / "nurse-media" / "heart.png"
    exported = heart.read_bytes()
    Image.new("RGB", (20, 10), (0, 200, 0)).save(heart)  # redrawn since
    redrawn = heart.read_bytes()
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(apkg))
    assert code == 0, err
    assert f"  {heart}  (no record of what quiz wrote there; yours differs from nurse.apkg's)" in err.splitlines()
    assert heart.read_bytes() == redrawn and "kidney" not in err
    assert (decks / "nursing.yaml").read_text(encoding="utf-8") == deck
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(apkg), "--replace")
    assert code == 0, err
    assert heart.read_bytes() == exported


def test_a_picture_a_stopped_import_wrote_over_hers_is_known_as_quiz_s(capsys, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """No record (her own deck): an import that wrote the package's picture (--replace) and stopped before the
    deck leaves it named as quiz's, so a later version of the picture takes its place without a word, as one
    quiz wrote; without that name it was taken for hers."""
    data = _library(tmp_path)
    decks = data / "decks"
    (decks / "pics").rename(decks / "nurse-media")
    (decks / "nursing.yaml").write_text(DECK.replace("image: pics/", "image: nurse-media/"), encoding="utf-8")
    heart = decks / "nurse-media" / "heart.png"
    first = _exported(capsys, data, tmp_path)
    exported = heart.read_bytes()
    Image.new("RGB", (20, 10), (0, 0, 200)).save(heart)  # the picture as a later export carries it
    (tmp_path / "later").mkdir()
    later = _exported(capsys, data, tmp_path / "later")
    newer = heart.read_bytes()
    Image.new("RGB", (20, 10), (0, 200, 0)).save(heart)  # hers, redrawn since

    def no_space(*args, **kwargs) -> None:  # noqa: ANN002, ANN003
        raise OSError(28, "No space left on device", "nursing.yaml")

    monkeypatch.setattr(importing, "_write", no_space)
    code, _, err = run(capsys, "--data-dir", str(data), "import", str(first), "--replace")
    assert code != 0 and "1 picture written in" in err
    assert heart.read_bytes() == exported  # --replace took the package's
    monkeypatch.undo()
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(later))
    assert code == 0, err
    assert "heart" not in err and heart.read_bytes() == newer
