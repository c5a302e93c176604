"""Anki names a deck's subdecks by path (`::` nests) and keeps one deck per name whatever its case: quiz's .apkg
names each topic's subdeck so that Anki keeps every one apart, as quiz does, and nests none by a title's `::`."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.core.exporters import export_deck
from quiz.core.importers import import_file

CLASHING = """\
deck: t
title: "Pharmacology::Week 1"
topics:
  - {id: renal, title: "Renal  drugs"}
  - {id: renal-old, title: "Renal drugs"}
  - {id: cardio, title: "Cardio"}
  - {id: cardio2, title: "cardio"}
  - {id: cardio3, title: "cardio (2)"}
  - {id: nested, title: "a::b"}
  - {id: colons, title: ":: c:"}
cards:
  - {id: a, kind: basic, topic: renal, front: A, back: a}
  - {id: b, kind: basic, topic: renal-old, front: B, back: b}
  - {id: c, kind: basic, topic: cardio, front: C, back: c}
  - {id: d, kind: basic, topic: cardio2, front: D, back: d}
  - {id: e, kind: basic, topic: cardio3, front: E, back: e}
  - {id: f, kind: basic, topic: nested, front: F, back: f}
  - {id: g, kind: basic, topic: colons, front: G, back: g}
"""


def test_titles_anki_would_merge_or_nest_get_subdecks_of_their_own(tmp_path: Path, write_deck) -> None:  # noqa: ANN001
    collection = pytest.importorskip("anki.collection")
    deck = write_deck(CLASHING)
    apkg = tmp_path / "t.apkg"
    export_deck(deck, apkg, 0, {})
    col = collection.Collection(str(tmp_path / "collection.anki2"))
    options = collection.ImportAnkiPackageOptions(with_scheduling=True)
    col.import_anki_package(collection.ImportAnkiPackageRequest(package_path=str(apkg), options=options))
    rows = col.db.all("select n.guid, c.did from cards c join notes n on n.id = c.nid")
    names = {guid.rsplit(":", 1)[1]: col.decks.name(did) for guid, did in rows}
    col.close()
    assert names == {
        "a": "Pharmacology:Week 1::Renal drugs",
        "b": "Pharmacology:Week 1::Renal drugs (2)",
        "c": "Pharmacology:Week 1::Cardio",
        "d": "Pharmacology:Week 1::cardio (3)",
        "e": "Pharmacology:Week 1::cardio (2)",
        "f": "Pharmacology:Week 1::a:b",
        "g": "Pharmacology:Week 1::c",
    }
    back = import_file(apkg)  # quiz's own package read back: one topic each, the title whole
    assert back.title == "Pharmacology:Week 1" and len({note.topic for note in back.notes}) == 7
