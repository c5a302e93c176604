"""Anki packages of every generation, written by Anki itself (tools/make_anki_fixtures.py), read without the
`anki` package and checked against what Anki reported about them (tests/data/anki/expected.json)."""

from __future__ import annotations

import errno
import io
import json
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import zstandard
from PIL import Image

from quiz.core import images
from quiz.core.anki import package as package_module
from quiz.core.anki import protobuf
from quiz.core.anki.model import Notetype, Template
from quiz.core.anki.package import PackageError, PackageMedia, read_package
from quiz.core.anki.structure import Shape, shape_of
from quiz.core.anki.templates import render
from quiz.core.decks import load_deck_file
from quiz.core.importers import import_file
from quiz.core.importers.ids import id_from_guid
from quiz.core.importers.model import ImportOptions, ImportSource
from quiz.core.importers.registry import reader_for
from quiz.core.kinds import KINDS
from tests.conftest import run_cli as run

DATA = Path(__file__).parents[1] / "data" / "anki"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
PACKAGES = sorted(EXPECTED["packages"])
SCHEMA = {"current.apkg": 18, "current.colpkg": 18, "legacy2.apkg": 11, "legacy2.colpkg": 11, "legacy1.apkg": 11}


def note_by_guid(guid: str) -> dict:
    return next(n for n in EXPECTED["notes"] if n["guid"] == guid)


@pytest.mark.parametrize("name", PACKAGES)
def test_every_generation_reads_what_anki_reports(name: str) -> None:
    collection = read_package((DATA / name).read_bytes(), name)
    assert collection.schema == SCHEMA[name]
    assert len(collection.notes) == EXPECTED["note_count"]
    assert len(collection.cards) == EXPECTED["card_count"]
    assert len(collection.reviews) == EXPECTED["revlog_count"]
    assert sorted(collection.media.values()) == EXPECTED["media"]
    types = {t.name: t for t in collection.notetypes.values()}
    used = {n["notetype"] for n in EXPECTED["notes"]}  # a deck package carries the note types its notes use
    for expected_type in EXPECTED["notetypes"]:
        if expected_type["name"] not in used and name.endswith(".apkg"):
            continue
        got = types[expected_type["name"]]
        assert got.id == expected_type["id"] and got.is_cloze == expected_type["cloze"]
        assert list(got.fields) == expected_type["fields"]
        assert [(t.name, t.front, t.back) for t in got.templates] == [
            (t["name"], t["qfmt"], t["afmt"]) for t in expected_type["templates"]
        ]
    cards = collection.cards_of()
    reviews = {c.id: 0 for c in collection.cards}
    for review in collection.reviews:
        reviews[review.card_id] += 1
    for note in collection.notes:
        expected = note_by_guid(note.guid)
        notetype = collection.notetypes[note.notetype_id]
        assert notetype.name == expected["notetype"]
        assert dict(zip(notetype.fields, note.fields, strict=True)) == expected["fields"]
        assert list(note.tags) == expected["tags"]
        got_cards = [
            {
                "id": c.id,
                "ord": c.ord,
                "deck": "::".join(collection.decks[c.deck_id]),
                "type": c.type,
                "queue": c.queue,
                "due": c.due,
                "ivl": c.interval,
                "left": c.left,
                "flags": c.flag,
                "reps": c.reps,
                "lapses": c.lapses,
                "revlog": reviews[c.id],
            }
            for c in cards[note.id]
        ]
        assert got_cards == expected["cards"]


#: What the fixture's note types become, told by structure (the German type is a reverse pair by its templates).
KIND_OF_TYPE = {
    "Basic": ["basic"],
    "Basic (and reversed card)": ["reverse"],
    "Basic (type in the answer)": ["typed"],
    "Cloze": ["cloze"],
    "Vocab (custom)": ["basic", "typed"],  # one quiz card per Anki card (its templates are not a pair)
    "Einfach (beide Richtungen)": ["reverse"],
    "穴埋め": ["cloze"],  # a cloze by its kind, the text found by {{cloze:本文}}
    "Image Occlusion": ["occlusion"],
}


def expected_kinds(note: dict) -> list[str]:
    if "<img" in note["fields"].get("Front", ""):  # an image-only note: a basic card showing its picture
        return ["basic"]
    if "{{c2::dissociative}}" in note["fields"].get("Text", ""):  # gaps sharing c2: each card as Anki shows it
        return ["basic", "basic"]
    if note["notetype"] == "Basic (optional reversed card)":  # reverse only where Anki made the reverse card
        return ["reverse"] if len(note["cards"]) == 2 else ["basic"]
    return KIND_OF_TYPE[note["notetype"]]


@pytest.mark.parametrize("name", PACKAGES)
def test_note_types_become_kinds_by_structure(name: str) -> None:
    result = import_file(DATA / name)
    by_line: dict[int, list] = {}
    for note in result.notes:
        by_line.setdefault(result.lines[note.id], []).append(note)
    for number, expected in enumerate(EXPECTED["notes"], start=1):
        notes = by_line.get(number, [])
        assert [n.kind for n in notes] == expected_kinds(expected), expected["notetype"]
        base = id_from_guid(expected["guid"])
        if len(notes) == 1 and len(EXPECTED_TYPES[expected["notetype"]]["templates"]) <= 2:
            assert notes[0].id == base or notes[0].id == f"{base}-1"  # -1: the first card of several templates
        else:
            assert all(n.id.startswith(base) for n in notes)
    assert result.title == "Fixtures"
    titles = ["Basics", "Cloze", "Custom", "Deutsch", "Occlusion", "Reverse", "Typed", "日本語"]
    assert sorted(t.title for t in result.topics) == titles


EXPECTED_TYPES = {t["name"]: t for t in EXPECTED["notetypes"]}


def image_only_number() -> int:
    return next(i for i, n in enumerate(EXPECTED["notes"], 1) if "<img" in n["fields"].get("Front", ""))


def occlusion_number() -> int:
    return next(i for i, n in enumerate(EXPECTED["notes"], 1) if n["notetype"] == "Image Occlusion")


@pytest.mark.parametrize("name", ["current.apkg", "legacy1.apkg"])
def test_texts_are_rendered_and_read_as_plain_text(name: str) -> None:
    result = import_file(DATA / name)
    values = [(n.kind, KINDS[n.kind].field_values(n), n.explain, n.tags) for n in result.notes]
    html = {"front": "Bold & tags", "back": "line one\nline two\nblock"}
    assert ("basic", html, "", ("geo::europe", "html")) in values
    assert ("typed", {"front": "2 + 2 =", "answer": "4", "accept": ()}, "", ()) in values
    # the gaps c2 share a number, which one Anki card hides together: each card as Anki renders it
    ketamine = "Ketamine blocks NMDA receptors; it is dissociative.\n\nExtra note"
    for question in (
        "[...] blocks NMDA receptors; it is dissociative.",
        "Ketamine blocks [receptor] receptors; it is [...].",
    ):
        assert ("basic", {"front": question, "back": ketamine}, "", ()) in values
    assert ("reverse", {"front": "das Haus", "back": "the house"}, "Neutrum", ()) in values  # both backs show Notiz
    assert ("cloze", {"text": "{{東京}}は日本の首都です。"}, "Tokyo", ()) in values
    # a custom type: {{#Example}} shows only with an example, {{^Example}} only without; FrontSide is not repeated
    assert ("basic", {"front": "ephemeral", "back": "short-lived\n(no example)"}, "", ()) in values
    assert ("basic", {"front": "laconic\ne.g. a laconic reply", "back": "using few words"}, "", ()) in values
    typed = {"front": "Write the word meaning: using few words", "answer": "laconic", "accept": ()}
    assert ("typed", typed, "", ()) in values  # a custom template with {{type:Word}}


@pytest.mark.parametrize("name", PACKAGES)
def test_an_image_occlusion_note_comes_in_as_an_occlusion_card_per_mask(name: str) -> None:
    result = import_file(DATA / name)
    # every note of the fixture comes in; the one warning names the cloze whose gaps share a number
    assert [p.message.split(": ", 1)[1] for p in result.problems] == [
        "gaps share the number c2 (its Anki card hides them together): each card comes in as basic, as Anki shows it"
    ]
    (note,) = [n for n in result.notes if result.lines[n.id] == occlusion_number()]
    expected = EXPECTED["notes"][occlusion_number() - 1]
    assert note.kind == "occlusion" and note.images == (f"{Path(name).stem}-media/occluded.png",)
    assert note.tags == ("anatomy",)
    # {{c1::...rect:left=.1:top=.1:width=.3:height=.2:oi=1}}{{c2::...ellipse:left=.5:top=.5:width=.2:height=.2:oi=1}}
    assert KINDS["occlusion"].field_values(note) == {
        "front": expected["fields"]["Header"],
        "regions": ((0.1, 0.1, 0.3, 0.2, ""), (0.5, 0.5, 0.2, 0.2, "")),
        "hide": "",  # oi=1: hide all, guess one
    }
    assert len(KINDS["occlusion"].cards_of("d", note)) == len(expected["cards"]) == 2
    assert sorted(result.media) == sorted(i for n in result.notes for i in n.images)


@pytest.mark.parametrize("name", PACKAGES)
def test_an_image_only_note_comes_in_with_its_picture(name: str) -> None:
    result = import_file(DATA / name)
    (note,) = [n for n in result.notes if result.lines[n.id] == image_only_number()]
    stem = Path(name).stem
    assert note.kind == "basic" and note.images == (f"{stem}-media/pixel.png",)
    assert KINDS["basic"].field_values(note) == {"front": "(see the picture)", "back": "(see the picture)"}
    assert note.images[0] in result.media
    assert images.image_format(result.media[note.images[0]].read()) == "PNG"
    assert not any(p.line == image_only_number() for p in result.problems)  # nothing of it is left out


@pytest.mark.parametrize("name", PACKAGES)
def test_every_picture_anki_packed_decodes_whole(name: str) -> None:
    # The generator once wrote a PNG cut short: every picture of these packages showed as "[image unreadable]".
    # (Damaged pictures are tested with bytes of their own, in tests/ui/test_card_images.py.)
    media = PackageMedia((DATA / name).read_bytes(), name)
    assert sorted(media.members) == EXPECTED["media"]
    for media_name in media.members:
        data = media.read(media_name)
        assert data is not None, media_name
        with Image.open(io.BytesIO(data)) as picture:
            picture.load()  # raises on a damaged or cut-short file
            assert picture.format == "PNG" and picture.width > 1 and picture.height > 1, media_name


def test_the_command_writes_a_deck_the_loader_accepts(tmp_path: Path, capsys) -> None:
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "import", str(DATA / "current.colpkg"))
    assert code == 0, err
    # Anki's notes, the custom type's two making four quiz notes and the cloze whose gaps share a number two (a
    # note per card); Anki's cards, each one quiz card (every note comes in, image-only ones too)
    notes, cards = EXPECTED["note_count"] + 3, EXPECTED["card_count"]
    assert f"imported {notes} notes ({cards} cards)" in out and "skipped" not in out
    assert f"2 pictures in {tmp_path / 'decks' / 'current-media'}" in out
    deck = load_deck_file(tmp_path / "decks" / "current.yaml").deck  # the loader checks the pictures are there
    assert deck is not None and len(deck.notes) == notes
    assert (tmp_path / "decks" / "current-media" / "pixel.png").read_bytes()[:4] == b"\x89PNG"


def test_a_package_is_known_by_its_content_whatever_its_name(tmp_path: Path) -> None:
    renamed = tmp_path / "shared-deck.zip"
    shutil.copyfile(DATA / "legacy2.apkg", renamed)
    assert reader_for(ImportSource(renamed, renamed.read_bytes()), ImportOptions()).name == "apkg"
    assert len(import_file(renamed).notes) == EXPECTED["note_count"] + 3  # as the command's test counts them


# --- hostile and damaged packages -----------------------------------------------------------------------


def package(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _legacy2_members() -> dict[str, bytes]:
    """The files of the fixture legacy2.apkg, by name."""
    good = zipfile.ZipFile(DATA / "legacy2.apkg")
    return {name: good.read(name) for name in good.namelist()}


def _legacy2_collection(tmp_path: Path) -> tuple[sqlite3.Connection, Callable[[], bytes]]:
    """The collection of legacy2.apkg, open in `tmp_path` to be changed, and what packages it as changed
    (committed and closed)."""
    members = _legacy2_members()
    path = tmp_path / "collection.anki21"
    path.write_bytes(members["collection.anki21"])
    db = sqlite3.connect(path)

    def packaged() -> bytes:
        db.commit()
        db.close()
        return package(members | {"collection.anki21": path.read_bytes()})

    return db, packaged


def zstd(data: bytes) -> bytes:
    return zstandard.ZstdCompressor().compress(data)


ZEROS = b"\0" * (8 * 1024 * 1024)


@pytest.mark.parametrize(
    ("members", "words"),
    [
        ({"collection.anki21": ZEROS}, "unpacks to more than 1,048,576 bytes"),  # a zip bomb
        ({"meta": b"\x08\x03", "collection.anki21b": zstd(ZEROS)}, "unpacks to more than"),  # a zstd bomb
        ({"meta": b"\x08\x03"}, "holds no Anki collection (collection.anki21b is missing)"),
        ({"media": b"{}"}, "holds no Anki collection (collection.anki2 is missing)"),
        ({"collection.anki21": b"not sqlite at all" * 100}, "is not a readable Anki database"),
        ({"meta": b"\x08\x03", "collection.anki21b": b"not zstd"}, "is damaged"),
        ({"meta": b"\x08\x04", "collection.anki21b": b""}, "made by a newer Anki (package version 4"),
        ({"meta": b"\x08\x80\x01"}, "package version 128"),
        ({"meta": b"\x08"}, "its `meta` file is damaged"),
    ],
)
def test_hostile_packages_fail_with_a_clear_message(members: dict[str, bytes], words: str) -> None:
    with pytest.raises(PackageError, match=None) as caught:
        read_package(package(members), "deck.apkg", limit=1024 * 1024)
    assert words in str(caught.value)
    assert str(caught.value).startswith("deck.apkg")


def test_numbers_of_the_wrong_type_in_a_collection_read_as_integers(tmp_path: Path) -> None:
    db, packaged = _legacy2_collection(tmp_path)
    card_id, ease = db.execute("select cid, ease from revlog order by id limit 1").fetchone()
    db.execute(
        "update revlog set ivl = 'soon', lastIvl = '', factor = 2.5e3, time = '1200 ms' where cid = ?", (card_id,)
    )
    db.execute("update cards set due = 'tomorrow', ivl = 3.9, flags = 'red' where id = ?", (card_id,))
    collection = read_package(packaged(), "deck.apkg")
    card = next(c for c in collection.cards if c.id == card_id)
    assert (card.due, card.interval, card.flags) == (0, 3, 0)
    first = next(r for r in collection.reviews if r.card_id == card_id)
    assert (first.ease, first.interval, first.last_interval, first.factor, first.time_ms) == (ease, 0, 0, 2500, 1200)
    assert all(type(value) is int for review in collection.reviews for value in review)


def test_a_card_left_out_is_named_by_its_note_type_first_field_and_card(tmp_path: Path) -> None:
    """The note's label (its first field read as text, else its GUID) is made only for such a message."""
    db, packaged = _legacy2_collection(tmp_path)
    db.execute("update notes set flds = '<div> </div>' || char(31) || 'Paris' where flds like 'Capital of France?%'")
    db.execute("update notes set flds = '2 + 2 =' || char(31) || '<br>' where flds like '2 + 2 =%'")
    made = tmp_path / "deck.apkg"
    made.write_bytes(packaged())
    skipped = [p.message for p in import_file(made).problems if p.message.startswith("row skipped")]
    guid = next(n["guid"] for n in EXPECTED["notes"] if n["fields"].get("Front") == "Capital of France?")
    assert skipped == [
        f"row skipped: Basic note 'guid {guid}', card 1: nothing is left of the question once its HTML is read",
        "row skipped: Basic (type in the answer) note '2 + 2 =', card 1: the answer to type (Back) is empty",
    ]


def test_the_review_log_is_handed_over_card_by_card_in_time_order() -> None:
    collection = read_package((DATA / "current.apkg").read_bytes(), "current.apkg")
    rows = list(collection.reviews)
    assert [r.id for r in rows] == sorted(r.id for r in rows) and len(rows) == EXPECTED["revlog_count"]
    log = collection.take_reviews()
    assert len(collection.reviews) == 0 and len(log) == len(rows)  # the collection keeps none of it
    studied = [c["id"] for n in EXPECTED["notes"] for c in n["cards"] if c["revlog"]]
    for card_id in studied[1:]:
        assert log.pop(card_id) == [r for r in rows if r.card_id == card_id]  # as Anki logged them
        assert log.pop(card_id) == []  # handed over once
    assert list(log) == [r for r in rows if r.card_id == studied[0]] and len(log) == len(list(log))


def test_a_damaged_media_list_is_named() -> None:
    members = _legacy2_members() | {"media": b"[1, 2"}
    with pytest.raises(PackageError, match="its media list is damaged"):
        read_package(package(members), "deck.apkg")


@pytest.mark.parametrize(
    ("name", "data", "args", "words"),
    [
        ("deck.apkg", b"just text", [], "is not a zip archive, so not an Anki package"),
        ("deck.apkg", package({"meta": b"\x08\x05"}), [], "made by a newer Anki (package version 5"),
        ("deck.apkg", (DATA / "current.apkg").read_bytes(), ["--format", "csv"], "is a zip archive"),
        ("data.bin", b"\x00\x01\x02binary", [], "is a binary file, not text"),
        (
            "heart.png",
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
            [],
            "is a PNG picture, not text: a picture goes in a card's",
        ),
    ],
)
def test_the_command_says_what_the_file_is_in_one_line(
    capsys, tmp_path: Path, name: str, data: bytes, args: list[str], words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "import", str(path), *args)
    assert code == 1 and words in err and "Traceback" not in err and "utf-8" not in err
    assert err.count("\n") == 1


def test_quiz_add_names_quiz_import_for_a_package(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "add", str(DATA / "current.apkg"))
    assert code == 1 and "is an Anki package" in err and f"`quiz --data-dir {tmp_path} import" in err


# --- the parts -------------------------------------------------------------------------------------------


def test_protobuf_decoder_reads_varints_and_nested_messages() -> None:
    # field 1 = 150 (varint), field 2 = "hi", field 3 = {1: 1}, field 4 fixed32 skipped, field 1 again = 3
    data = b"\x08\x96\x01" + b"\x12\x02hi" + b"\x1a\x02\x08\x01" + b"\x25\x00\x00\x00\x00" + b"\x08\x03"
    fields = protobuf.decode(data)
    assert protobuf.integer(fields, 1) == 3 and protobuf.text(fields, 2) == "hi"
    assert [protobuf.integer(m, 1) for m in protobuf.messages(fields, 3)] == [1]
    for broken in (b"\x08", b"\x12\x05hi", b"\x0b", b"\x08" + b"\xff" * 11):
        with pytest.raises(protobuf.ProtobufError):
            protobuf.decode(broken)


@pytest.mark.parametrize(
    ("template", "fields", "html"),
    [
        ("{{A}} and {{B}}", {"A": "x", "B": "y"}, "x and y"),
        ("{{#A}}has {{A}}{{/A}}{{^A}}none{{/A}}", {"A": ""}, "none"),
        ("{{#A}}has {{A}}{{/A}}{{^A}}none{{/A}}", {"A": "<br> <div></div>"}, "none"),  # empty as Anki means it
        ("{{#A}}{{#B}}both{{/B}}{{/A}}", {"A": "1", "B": "2"}, "both"),
        ("{{#A}}{{#B}}both{{/B}}{{/A}}", {"A": "1", "B": ""}, ""),
        ("{{Missing}}x", {}, "x"),
        ("{{text:A}} {{hint:A}}", {"A": "x"}, "x x"),
        ("{{kanji:A}}/{{kana:A}}/{{furigana:A}}", {"A": "漢字[かんじ]"}, "漢字/かんじ/漢字(かんじ)"),
        ("{{tts en_US:A}}{{A}}", {"A": "x"}, "x"),
        ("a{{/A}}b", {}, "ab"),  # a stray close is ignored
        ("{{#A}}open", {"A": "1"}, "open"),  # an unclosed section runs to the end
    ],
)
def test_templates_render_as_anki_does(template: str, fields: dict[str, str], html: str) -> None:
    assert render(template, fields).html == html


def test_type_names_the_field_and_shows_nothing() -> None:
    rendered = render("{{Front}} {{type:Back}}", {"Front": "q", "Back": "a"})
    assert rendered.html == "q " and rendered.typed_field == "Back"


def notetype(templates: list[tuple[str, str]], fields: tuple[str, ...] = ("F", "B"), **kw) -> Notetype:
    made = tuple(Template(i, f"Card {i + 1}", q, a) for i, (q, a) in enumerate(templates))
    return Notetype(1, "whatever the name", kw.pop("is_cloze", False), fields, made, **kw)


@pytest.mark.parametrize(
    ("templates", "kw", "shape"),
    [
        ([("{{F}}", "{{FrontSide}}<hr id=answer>{{B}}"), ("{{B}}", "{{FrontSide}}<hr id=answer>{{F}}")], {}, "reverse"),
        ([("{{F}}", "{{B}}"), ("{{#X}}{{B}}{{/X}}", "{{F}}")], {}, "reverse"),  # optional reverse
        ([("{{F}}", "{{B}}"), ("{{F}}", "{{B}}")], {}, "cards"),  # two templates, not a swap
        ([("{{F}}", "{{B}}"), ("{{B}} {{type:F}}", "{{F}}")], {}, "cards"),  # a typed reverse is rendered
        ([("{{cloze:F}}", "{{cloze:F}} {{B}}")], {"is_cloze": True}, "cloze"),
        ([("{{cloze:F}}", "{{cloze:F}}")], {"is_cloze": True, "image_occlusion": True}, "occlusion"),
        ([("{{F}}", "{{B}}")], {}, "cards"),
    ],
)
def test_note_types_are_told_apart_by_their_templates(templates, kw, shape: str) -> None:
    assert shape_of(notetype(templates, **kw)).kind == shape


def test_one_template_showing_an_answer_and_more_is_a_basic_card_with_an_explanation() -> None:
    """quiz's own Basic shows Back, Explanation and Sources: the answer is the first field in the note's order."""
    back = "{{FrontSide}}<hr id=answer>{{#N}}<i>{{N}}</i>{{/N}}{{B}}{{#S}}{{S}}{{/S}}"
    found = shape_of(notetype([("{{F}}", back)], ("F", "B", "N", "S", "quiz")))
    assert found == Shape("basic", "F", "B", ("N", "S"))
    assert shape_of(notetype([("{{F}} {{N}}", back)], ("F", "B", "N", "S"))).kind == "cards"  # asks two fields
    assert shape_of(notetype([("{{F}}<br>{{type:B}}", back)], ("F", "B", "N", "S"))).kind == "cards"  # typed


def sqlite_bytes(tmp_path: Path, *statements: str) -> bytes:
    path = tmp_path / "made.sqlite"
    db = sqlite3.connect(path)
    for statement in statements:
        db.execute(statement)
    db.commit()
    db.close()
    return path.read_bytes()


@pytest.mark.parametrize(
    ("statements", "words"),
    [
        (["create table col (ver int, models text, decks text)"], "it has no cards, notes, revlog table"),
        (  # a view in a table's place (it could be made to run long) is not read
            [
                "create table col (ver int, models text, decks text)",
                "create table cards (id)",
                "create table revlog (id)",
                "create view notes as select 1",
            ],
            "it has no notes table",
        ),
        (
            [
                "create table col (ver int)",
                "create table notes (id)",
                "create table cards (id)",
                "create table revlog (id)",
            ],
            "its col table is empty",
        ),
    ],
)
def test_a_collection_without_anki_tables_is_named(tmp_path: Path, statements: list[str], words: str) -> None:
    data = package({"collection.anki21": sqlite_bytes(tmp_path, *statements)})
    with pytest.raises(PackageError, match="is not a readable Anki database") as caught:
        read_package(data, "deck.apkg")
    assert words in str(caught.value) and "damaged or cut short" in str(caught.value)  # and what to do


def test_no_room_to_unpack_is_one_line_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_room(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkdtemp", no_room)
    with pytest.raises(PackageError, match="cannot make a temporary folder to unpack it: No space left"):
        read_package((DATA / "legacy2.apkg").read_bytes(), "deck.apkg")


def test_a_full_disk_while_unpacking_is_named() -> None:
    class Full(io.BytesIO):
        def write(self, data) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(PackageError, match=r"cannot unpack collection.anki21: No space left on device; is the disk"):
        package_module._copy(io.BytesIO(b"x" * 10), Full(), "collection.anki21", "deck.apkg", 100)


def test_a_typed_note_whose_answer_nothing_typed_can_match_comes_in_as_basic(tmp_path: Path) -> None:
    """Anki compares '?' letter by letter; quiz ignores punctuation, so as a typed card it could never be
    answered right: it comes in self-graded (its history with it), and the import says why."""
    db, packaged = _legacy2_collection(tmp_path)
    db.execute("update notes set flds = '2 + 2 =' || char(31) || '?' where flds like '2 + 2 =%'")
    made = tmp_path / "deck.apkg"
    made.write_bytes(packaged())
    result = import_file(made)
    note = next(n for n in result.notes if n.body.front.startswith("2 + 2 ="))
    assert note.kind == "basic"
    assert note.body.back == "?"  # the answer Anki shows on the back, not "(no answer in Anki)"
    assert any("the answer to type (Back) '?' has no letter" in p.message for p in result.problems)
    assert not any("its answer is empty" in p.message for p in result.problems)
