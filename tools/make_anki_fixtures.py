"""Build the Anki packages the tests read, with Anki's own backend, and a JSON of what Anki reports about them.

    python tools/make_anki_fixtures.py    (needs the `anki` package of the bench group: make .venv/.bench)

One small collection holds every shape the importer must tell apart (basic, basic+reverse, optional reverse
with and without its reverse card, typed, cloze with several gaps, a custom note type with conditionals and
two templates, one of them typed, a German-named reverse type with a note field, a Japanese-named cloze type,
an image-only note, an Image Occlusion note), studied with SM-2 over four simulated days (Anki's day
numbers moved on by moving the collection's creation back), a card left in learning, a new one, a
suspended, a buried and two flagged cards and a leech. It is exported in every generation Anki writes today:

    current.apkg     collection.anki21b (zstd, schema 18), `meta` version 3, zstd protobuf media map
    legacy2.apkg     collection.anki21 (schema 11), JSON media map
    legacy1.apkg     collection.anki2 alone (as Anki 2.0 wrote it): legacy2.apkg with its collection renamed
                     and `meta` removed; today's Anki writes no such file, and the SQL inside is the same schema
    current.colpkg   the whole collection, current
    legacy2.colpkg   the whole collection, legacy
    fsrs.apkg        a second, small collection studied the same way with FSRS on (memory states in `data`)
    update/          a shared deck and its next version, for re-importing (`python tools/make_anki_fixtures.py
                     update` makes only these): v1.apkg and v1.txt (Notes in Plain Text with a GUID column),
                     then v2 = v1 with one note edited, one added, one deleted and a day more of study,
                     v2.apkg and v2.txt; update/expected.json says what Anki reports of each
    pictures/        a shared deck with pictures and its next version (`python tools/make_anki_fixtures.py
                     pictures` makes only these): v2 = v1 with two of its four pictures redrawn by the author,
                     in Anki's media folder under the same names; pictures/expected.json says which;
                     v3 = v2 with two notes added whose pictures' names clash with older ones once made
                     safe (`Heart.png` beside `heart.png`, `.lung.png` beside `lung.png`); clash-first.apkg =
                     v3's notes of those two and of brain.png alone (the clashing names there first); v4 = v3
                     with kidney.png renamed renal.png (the same bytes) and the lung.png note deleted
    moved/           shared decks whose next version moves pictures between notes (`python
                     tools/make_anki_fixtures.py moved` makes only these), each as NAME-v1.apkg and NAME-v2.apkg:
                     added (heart.png redrawn, its note now showing aorta.png too), swapped (a.png redrawn and
                     the two notes' pictures swapped), replaced (notes A and B show a.png; v2 deletes B and A
                     shows a new z.png); moved/expected.json names them
    shared/          the same for a picture two notes share (`python tools/make_anki_fixtures.py shared`):
                     shared-v1.apkg (notes A and B show a.png), shared-v2.apkg (both show a new z.png)
    earlier/         a deck an earlier quiz imported (`python tools/make_anki_fixtures.py earlier` makes only the
                     packages): v1.apkg, a cloze whose gaps share a number, one holding {{C1::...}} (no gap for
                     Anki) and a Basic note, studied, and its
                     Notes in Plain Text, v1.txt; v2.apkg,
                     the same with the cloze edited in Anki. earlier.yaml and earlier.import.json are what `quiz
                     import` of v1.apkg wrote at commit e3fae35b, before quiz read such a cloze card by card: made
                     again with that commit's quiz whenever the packages are (the full run leaves them)
    mathjax/         a deck an earlier quiz imported, before it read MathJax (`python tools/make_anki_fixtures.py
                     mathjax` makes only the packages): v1.apkg, a Basic note whose back is `\\(x^2\\)` and a
                     cloze holding `\\(\\alpha\\)`, and its Notes in Plain Text, v1.txt. v1.yaml and
                     v1.import.json are what `quiz import` of v1.apkg wrote at commit 8cc1345f: made again with
                     that commit's quiz whenever the packages are
    realworld/       what a student's real collection holds (`python tools/make_anki_fixtures.py realworld` makes
                     only these): collection.colpkg and its Notes in Plain Text, collection.txt (several top decks,
                     subdecks, a filtered deck, custom German and Japanese note types of three templates, nested
                     clozes, a cloze field not first, odd picture names, cards buried, suspended, flagged,
                     relearning, a note whose cards are all empty, a cloze gap deleted after study), med.apkg (its
                     Med deck), dup-a.apkg and dup-b.apkg (two shared decks with a note of the same GUID),
                     preview.apkg (answers in a filtered deck that does not reschedule), occlusion.apkg (an Image
                     Occlusion note studied, then a mask deleted), optional-v1.apkg and optional-v2.apkg (an
                     optional reverse turned on); realworld/expected.json says what Anki reports,
                     each card's rendered question and answer, and preview.apkg's memory states

`expected.json` says what Anki reports for the collection (notes with their GUID, note type, fields by name,
tags, deck; cards with ordinal, queue, type, flags, due, interval; review-log rows per card; note types with
their kind, fields and templates), which files each package holds, and what Anki shows the next day
(`tomorrow`; `fsrs` holds the same and each card's memory state for fsrs.apkg), so the tests need no `anki`.
The GUIDs and ids differ on every run: run it again only to change the fixtures, and commit all of them.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from anki.collection import Collection, DeckIdLimit, ExportAnkiPackageOptions, NoteIdsLimit
from anki.decks import DeckId
from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "anki"


def png(size: tuple[int, int], boxes: dict[tuple[int, int, int, int], str]) -> bytes:
    """A small real PNG, written by Pillow: white, with the given boxes filled, so the picture shows something
    wherever it is drawn (half-blocks, under an occlusion's masks, a viewer)."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for box, colour in boxes.items():
        draw.rectangle(box, fill=colour)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


#: The image-only note's picture.
PIXEL = png((32, 24), {(4, 4, 14, 12): "red", (18, 10, 28, 20): "blue"})
#: The Image Occlusion note's picture: a box under each mask (left .1 top .1, and left .5 top .5).
OCCLUDED = png((60, 40), {(6, 4, 24, 11): "green", (30, 20, 41, 27): "orange"})


def export_plain_text(col: Collection, path: Path, with_html: bool = True) -> Path:
    """Anki's Notes in Plain Text of the whole collection, every box ticked (tags, deck, note type, GUID)."""
    col.export_note_csv(
        out_path=str(path),
        limit=None,
        with_html=with_html,
        with_tags=True,
        with_deck=True,
        with_notetype=True,
        with_guid=True,
    )
    return path


def add(col: Collection, type_name: str, deck: str, fields: dict[str, str], tags: tuple[str, ...] = ()) -> int:
    notetype = col.models.by_name(type_name)
    assert notetype is not None, type_name
    note = col.new_note(notetype)
    for name, value in fields.items():
        note[name] = value
    note.tags = list(tags)
    col.add_note(note, DeckId(col.decks.id(deck)))
    return int(note.id)


def custom_types(col: Collection) -> None:
    """A custom note type with conditionals and two templates, and a German copy of the reverse type."""
    models = col.models
    vocab = models.new("Vocab (custom)")
    for name in ("Word", "Meaning", "Example"):
        models.add_field(vocab, models.new_field(name))
    recall = models.new_template("Recall")
    recall["qfmt"] = "{{Word}}{{#Example}}<br><i>e.g. {{Example}}</i>{{/Example}}"
    recall["afmt"] = "{{FrontSide}}<hr id=answer>{{Meaning}}{{^Example}}<br>(no example){{/Example}}"
    models.add_template(vocab, recall)
    spell = models.new_template("Spell")
    spell["qfmt"] = "Write the word meaning: {{Meaning}} {{type:Word}}"
    spell["afmt"] = "{{Meaning}}<hr id=answer>{{type:Word}}"
    models.add_template(vocab, spell)
    models.add(vocab)

    stock = models.by_name("Basic (and reversed card)")
    assert stock is not None
    german = models.copy(stock, add=False)
    german["name"] = "Einfach (beide Richtungen)"
    for field, name in zip(german["flds"], ("Vorderseite", "Rückseite"), strict=True):
        field["name"] = name
    models.add_field(german, models.new_field("Notiz"))  # shown on both backs: the pair's explanation
    for template, name in zip(german["tmpls"], ("Karte 1", "Karte 2"), strict=True):
        template["name"] = name
        for side in ("qfmt", "afmt"):
            template[side] = template[side].replace("{{Front}}", "{{Vorderseite}}").replace("{{Back}}", "{{Rückseite}}")
        template["afmt"] += "{{#Notiz}}<br><small>{{Notiz}}</small>{{/Notiz}}"
    models.add(german)

    cloze = models.by_name("Cloze")
    assert cloze is not None
    japanese = models.copy(cloze, add=False)  # a cloze type known by its kind, its text field by {{cloze:...}}
    japanese["name"] = "穴埋め"
    for field, name in zip(japanese["flds"], ("本文", "補足"), strict=True):
        field["name"] = name
    for template in japanese["tmpls"]:
        for side in ("qfmt", "afmt"):
            template[side] = template[side].replace("Text}}", "本文}}").replace("{{Back Extra}}", "{{補足}}")
    models.add(japanese)


def occlusion(col: Collection, work: Path) -> None:
    """An Image Occlusion note (two masked regions) in its own deck, as Anki's editor makes one."""
    image = work / "occluded.png"
    image.write_bytes(OCCLUDED)
    col.add_image_occlusion_notetype()
    notetype = col.models.by_name("Image Occlusion")
    assert notetype is not None
    col.decks.select(DeckId(col.decks.id("Fixtures::Occlusion")))
    masks = (
        "{{c1::image-occlusion:rect:left=.1:top=.1:width=.3:height=.2:oi=1}}"
        "{{c2::image-occlusion:ellipse:left=.5:top=.5:width=.2:height=.2:oi=1}}"
    )
    col.add_image_occlusion_note(notetype["id"], str(image), masks, "Label the parts", "", ["anatomy"])


def fill(col: Collection, work: Path) -> Collection:
    custom_types(col)
    add(col, "Basic", "Fixtures::Basics", {"Front": "Capital of France?", "Back": "Paris"}, ("geo",))
    add(
        col,
        "Basic",
        "Fixtures::Basics",
        {"Front": "<b>Bold</b> &amp; tags", "Back": "line one<br>line two<div>block</div>"},
        ("html", "geo::europe"),
    )
    add(col, "Basic (and reversed card)", "Fixtures::Reverse", {"Front": "der Hund", "Back": "the dog"})
    add(col, "Basic (and reversed card)", "Fixtures::Reverse", {"Front": "die Katze", "Back": "the cat"})
    add(col, "Basic (optional reversed card)", "Fixtures::Reverse", {"Front": "le chat", "Back": "the cat"})
    add(
        col,
        "Basic (optional reversed card)",
        "Fixtures::Reverse",
        {"Front": "le chien", "Back": "the dog", "Add Reverse": "y"},
    )
    add(col, "Basic (type in the answer)", "Fixtures::Typed", {"Front": "2 + 2 =", "Back": "4"})
    add(
        col,
        "Cloze",
        "Fixtures::Cloze",
        {
            "Text": "{{c1::Ketamine}} blocks {{c2::NMDA::receptor}} receptors; it is {{c2::dissociative}}.",
            "Back Extra": "Extra <i>note</i>",
        },
    )
    add(col, "Cloze", "Fixtures::Cloze", {"Text": "Water boils at {{c1::100}} °C."})
    add(col, "Vocab (custom)", "Fixtures::Custom", {"Word": "ephemeral", "Meaning": "short-lived", "Example": ""})
    add(
        col,
        "Vocab (custom)",
        "Fixtures::Custom",
        {"Word": "laconic", "Meaning": "using few words", "Example": "a laconic reply"},
    )
    add(
        col,
        "Einfach (beide Richtungen)",
        "Fixtures::Deutsch",
        {"Vorderseite": "das Haus", "Rückseite": "the house", "Notiz": "Neutrum"},
    )
    add(col, "穴埋め", "Fixtures::日本語", {"本文": "{{c1::東京}}は日本の首都です。", "補足": "<b>Tokyo</b>"})
    col.media.write_data("pixel.png", PIXEL)
    add(col, "Basic", "Fixtures::Basics", {"Front": '<img src="pixel.png">', "Back": ""})
    col = schedule(col, work / "collection.anki2")
    occlusion(col, work)
    return col


#: The grades the simulated days answer with, in turn: Again, Hard, Good and Easy all appear.
EASES = (3, 3, 1, 4, 3, 2, 3, 1)
STUDY_DAYS = 4
DAY = 86400


def next_day(col: Collection, path: Path, deck: str = "Fixtures") -> Collection:
    """One day passes for Anki: its day numbers count from the collection's creation (col.crt), so moving
    that a day back, and every time already written (review log ids, learning due times) with it, is the
    same as studying on the next day. Anki keeps today's number until the collection is opened again."""
    col.crt -= DAY
    col.db.execute("update revlog set id = id - ?", DAY * 1000)
    col.db.execute("update cards set due = due - ? where queue = 1", DAY)
    col.close()
    col = Collection(str(path))
    col.decks.select(DeckId(col.decks.id(deck)))
    return col


def study_days(col: Collection, path: Path, deck: str) -> Collection:
    """STUDY_DAYS days of study of `deck`: every card Anki shows each day answered, learning steps included."""
    col.decks.select(DeckId(col.decks.id(deck)))
    answered = 0
    for day in range(STUDY_DAYS):
        if day:
            col = next_day(col, path, deck)
        while (card := col.sched.getCard()) is not None:
            col.sched.answerCard(card, EASES[answered % len(EASES)])  # type: ignore[arg-type]
            answered += 1
    return col


def schedule(col: Collection, path: Path) -> Collection:
    """Several days of reviews, a card in learning and a new one, then a suspended, a buried and two flagged
    cards, and a leech."""
    col = study_days(col, path, "Fixtures")
    learning = add(col, "Basic", "Fixtures::Basics", {"Front": "Learnt today?", "Back": "one step"})
    card = col.get_card(col.get_note(learning).card_ids()[0])
    card.start_timer()
    col.sched.answerCard(card, 1)
    add(col, "Basic", "Fixtures::Basics", {"Front": "Never studied?", "Back": "still new"})
    card_ids = sorted(int(c) for c in col.find_cards(""))
    col.sched.suspend_cards(col.find_cards('"deck:Fixtures::Deutsch" card:2'))
    col.set_config("lastUnburied", col.sched.today)  # else the next queue Anki builds unburies it
    col.sched.bury_cards(sorted(col.find_cards("prop:due=1"))[:1])  # due tomorrow: buried today, shown then
    col.set_user_flag_for_cards(1, [card_ids[0]])
    col.set_user_flag_for_cards(3, [card_ids[1]])
    leech = col.find_cards('"deck:Fixtures::Cloze" "Text:Water*"')  # as Anki's leech action leaves a card
    col.sched.suspend_cards(leech)
    col.tags.bulk_add(col.find_notes('"Text:Water*"'), "leech")
    return col


def tomorrow(path: Path, deck: str = "Fixtures") -> dict[str, Any]:
    """What Anki shows the next day: the cards due (reviews and learning, buried cards back), each card's
    queue. Read from a copy moved a day on, after the packages were written."""
    col = next_day(Collection(str(path)), path, deck)
    col.sched.unbury_cards(col.find_cards("is:buried"))  # what Anki does once a new day has begun
    found = {
        "due": sorted(int(c) for c in col.find_cards("is:due")),
        "new_count": col.sched.counts()[0],
        "queues": {str(cid): col.get_card(cid).queue for cid in col.find_cards("")},
    }
    col.close()
    return found


def fsrs_package(work: Path) -> dict[str, Any]:
    """fsrs.apkg: a small collection Anki scheduled with FSRS on, so each card keeps its memory state
    (stability, difficulty) in `data`; with what Anki says of each card and of the next day."""
    path = work / "fsrs" / "collection.anki2"
    path.parent.mkdir()
    col = Collection(str(path))
    col.set_config("fsrs", True)
    for number in range(1, 7):
        add(col, "Basic", "FSRS", {"Front": f"FSRS question {number}", "Back": f"answer {number}"})
    col = study_days(col, path, "FSRS")
    options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False)
    col.export_anki_package(out_path=str(OUT / "fsrs.apkg"), options=options, limit=None)
    cards = {}
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        memory = card.memory_state
        cards[str(card_id)] = {
            "type": card.type,
            "queue": card.queue,
            "due": card.due,
            "stability": memory.stability if memory else None,
            "difficulty": memory.difficulty if memory else None,
            "revlog": col.db.scalar("select count() from revlog where cid = ?", card_id),
        }
    found = {"package": "fsrs.apkg", "crt": col.crt, "today": col.sched.today, "cards": cards}
    col.close()
    found["tomorrow"] = tomorrow(path, "FSRS")
    return found


def describe(col: Collection) -> dict[str, Any]:
    """What Anki reports about the collection, for the tests to check the reader against."""
    notetypes = []
    for model in col.models.all():
        notetypes.append(
            {
                "id": model["id"],
                "name": model["name"],
                "cloze": model["type"] == 1,
                "fields": [f["name"] for f in model["flds"]],
                "templates": [{"name": t["name"], "qfmt": t["qfmt"], "afmt": t["afmt"]} for t in model["tmpls"]],
            }
        )
    notes = []
    for note_id in sorted(col.find_notes("")):
        note = col.get_note(note_id)
        model = note.note_type()
        assert model is not None
        cards = []
        for card in sorted(note.cards(), key=lambda c: c.ord):
            cards.append(
                {
                    "id": card.id,
                    "ord": card.ord,
                    "deck": col.decks.name(card.did),
                    "type": card.type,
                    "queue": card.queue,
                    "due": card.due,
                    "odue": card.odue,  # a card in a filtered deck: its due in its home deck
                    "ivl": card.ivl,
                    "left": card.left,
                    "flags": card.user_flag(),
                    "reps": card.reps,
                    "lapses": card.lapses,
                    "revlog": col.db.scalar("select count() from revlog where cid = ?", card.id),
                }
            )
        notes.append(
            {
                "id": note.id,
                "guid": note.guid,
                "notetype": model["name"],
                "fields": dict(note.items()),
                "tags": note.tags,
                "cards": cards,
            }
        )
    return {
        "anki_version": col.db.scalar("select ver from col"),
        "crt": col.crt,
        "today": col.sched.today,
        "notetypes": notetypes,
        "notes": notes,
        "note_count": col.note_count(),
        "card_count": col.card_count(),
        "revlog_count": col.db.scalar("select count() from revlog"),
        "media": sorted(p.name for p in Path(col.media.dir()).iterdir()),
    }


def export(col: Collection, work: Path) -> dict[str, list[str]]:
    """Every package generation into OUT; returns each file's zip members."""
    for legacy, name in ((False, "current.apkg"), (True, "legacy2.apkg")):
        options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=True, legacy=legacy)
        col.export_anki_package(out_path=str(work / name), options=options, limit=None)
    legacy1(work / "legacy2.apkg", work / "legacy1.apkg")
    for legacy, name in ((False, "current.colpkg"), (True, "legacy2.colpkg")):
        col.close_for_full_sync()  # a collection package is written from the closed file; it is opened again
        col.export_collection_package(str(work / name), include_media=True, legacy=legacy)
        col.reopen()
    members = {}
    for name in ("current.apkg", "legacy2.apkg", "legacy1.apkg", "current.colpkg", "legacy2.colpkg"):
        shutil.copyfile(work / name, OUT / name)
        with zipfile.ZipFile(OUT / name) as archive:
            members[name] = sorted(archive.namelist())
    return members


def legacy1(source: Path, target: Path) -> None:
    """An Anki 2.0 package: the schema 11 collection as collection.anki2, no `meta`."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename in ("meta", "collection.anki2"):
                continue
            name = "collection.anki2" if info.filename == "collection.anki21" else info.filename
            new.writestr(name, old.read(info))


def update_version(col: Collection, work: Path, name: str) -> dict[str, Any]:
    """One version of the shared deck: its package with scheduling, its text export with GUIDs, and what Anki
    reports of it."""
    folder = OUT / "update"
    options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False)
    col.export_anki_package(out_path=str(folder / f"{name}.apkg"), options=options, limit=None)
    export_plain_text(col, folder / f"{name}.txt")
    found = describe(col)
    kept = {key: found[key] for key in ("notes", "note_count", "card_count", "revlog_count")}
    return kept | {"revlog_ids": sorted(col.db.list("select id from revlog"))}


def update_packages(work: Path) -> dict[str, Any]:
    """update/: a small shared deck studied for some days (v1), then its next version (v2): the answer of
    one note corrected, one note added, one deleted, and one more day of study."""
    path = work / "update" / "collection.anki2"
    path.parent.mkdir()
    (OUT / "update").mkdir(exist_ok=True)
    col = Collection(str(path))
    notes = [
        add(col, "Basic", "Pharmacology", {"Front": "Antidote for paracetamol?", "Back": "N-acetylcysteine"}),
        add(col, "Basic", "Pharmacology", {"Front": "Antidote for heparin?", "Back": "Protamine"}),
        add(col, "Basic", "Pharmacology", {"Front": "Antidote for warfarin?", "Back": "Vitamin C"}),
        add(col, "Basic", "Pharmacology", {"Front": "Antidote for opioids?", "Back": "Naloxone"}),
        add(
            col, "Basic (and reversed card)", "Pharmacology", {"Front": "ACE", "Back": "angiotensin-converting enzyme"}
        ),
        add(col, "Cloze", "Pharmacology", {"Text": "{{c1::Atropine}} treats {{c2::organophosphate}} poisoning."}),
    ]
    col = study_days(col, path, "Pharmacology")
    # the day passes before v1 is written: moving a day on rewrites the review log's ids, which must be the
    # same in both versions, as they are in a real collection
    col = next_day(col, path, "Pharmacology")
    found = {"v1": update_version(col, work, "v1")}
    edited = col.get_note(notes[2])  # the shared deck's author corrects an answer
    edited["Back"] = "Vitamin K"
    col.update_note(edited)
    found["edited"], found["deleted"] = edited.guid, col.get_note(notes[3]).guid
    col.remove_notes([notes[3]])
    found["added"] = col.get_note(
        add(col, "Basic", "Pharmacology", {"Front": "Antidote for methanol?", "Back": "Fomepizole"})
    ).guid
    while (card := col.sched.getCard()) is not None:
        col.sched.answerCard(card, 3)  # type: ignore[arg-type]
    found["v2"] = update_version(col, work, "v2")
    col.close()
    return found


#: The shared deck's pictures (file name -> v1's, v2's): v2 redraws two of them.
PICTURES = {
    "heart.png": (png((24, 16), {(2, 2, 10, 10): "red"}), png((24, 16), {(2, 2, 10, 10): "red"})),
    "brain.png": (png((24, 16), {(4, 4, 12, 12): "grey"}), png((24, 16), {(4, 4, 12, 12): "grey"})),
    "lung.png": (png((24, 16), {(2, 6, 20, 12): "blue"}), png((24, 16), {(2, 6, 20, 12): "navy"})),
    "kidney.png": (png((16, 24), {(4, 4, 12, 20): "brown"}), png((16, 24), {(4, 4, 12, 20): "maroon"})),
}


#: v3's pictures, whose names clash with v1's once made safe: by case, and by a leading dot quiz drops.
CLASHING = {
    "Heart.png": png((24, 16), {(12, 4, 20, 12): "purple"}),
    ".lung.png": png((24, 16), {(2, 2, 8, 14): "teal"}),
}


def picture_packages(work: Path) -> dict[str, Any]:
    """pictures/: a shared deck of four notes, each showing its own picture (v1), then its next version (v2)
    whose author redrew two pictures in place (the file in Anki's media folder changed, its name kept), then
    v3, v4 and clash-first.apkg, whose pictures' names clash once made safe (see the module's text)."""
    path = work / "pictures" / "collection.anki2"
    path.parent.mkdir()
    folder = OUT / "pictures"
    folder.mkdir(exist_ok=True)
    col = Collection(str(path))
    notes = {}
    for name, (first, _) in PICTURES.items():
        assert col.media.write_data(name, first) == name
        notes[name] = add(col, "Basic", "Anatomy", organ(name))
    options = ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False, with_media=True, legacy=False)
    col.export_anki_package(out_path=str(folder / "v1.apkg"), options=options, limit=None)
    media = Path(col.media.dir())
    for name, (_, second) in PICTURES.items():
        (media / name).write_bytes(second)  # redrawn in an image editor: Anki exports the file as it is now
    col.export_anki_package(out_path=str(folder / "v2.apkg"), options=options, limit=None)
    # Anki's own media calls rename a case clash (Heart.png -> heart-<sha1>.png); a file copied into the media
    # folder on a case-sensitive disk keeps its name, and Anki exports it so. A leading dot Anki keeps.
    (media / "Heart.png").write_bytes(CLASHING["Heart.png"])
    assert col.media.write_data(".lung.png", CLASHING[".lung.png"]) == ".lung.png"
    for name in CLASHING:
        notes[name] = add(col, "Basic", "Anatomy", organ(name))
    col.export_anki_package(out_path=str(folder / "v3.apkg"), options=options, limit=None)
    first = NoteIdsLimit([notes[name] for name in ("brain.png", *CLASHING)])
    col.export_anki_package(out_path=str(folder / "clash-first.apkg"), options=options, limit=first)
    renamed = col.get_note(notes["kidney.png"])
    renamed["Back"] = '<img src="renal.png">'
    (media / "kidney.png").rename(media / "renal.png")
    col.update_note(renamed)
    col.remove_notes([notes["lung.png"]])
    (media / "lung.png").unlink()
    col.export_anki_package(out_path=str(folder / "v4.apkg"), options=options, limit=None)
    col.close()
    return {
        "redrawn": sorted(name for name, (first, second) in PICTURES.items() if first != second),
        "kept": sorted(name for name, (first, second) in PICTURES.items() if first == second),
        "clashing": sorted(CLASHING),
        "renamed": {"kidney.png": "renal.png"},
        "deleted": ["lung.png"],
    }


#: moved/: each deck's notes (name -> the pictures its Back shows) in v1 and v2, and the pictures v2 redraws.
MOVED: dict[str, tuple[dict[str, list[str]], dict[str, list[str]], list[str]]] = {
    "added": ({"heart": ["heart.png"], "brain": ["brain.png"]}, {"heart": ["heart.png", "aorta.png"]}, ["heart.png"]),
    "swapped": ({"A": ["a.png"], "B": ["b.png"]}, {"A": ["b.png"], "B": ["a.png"]}, ["a.png"]),
    "replaced": ({"A": ["a.png"], "B": ["a.png"]}, {"A": ["z.png"]}, []),
}
#: shared/: the same for a picture two notes show, which v2 replaces on both by a new one.
SHARED: dict[str, tuple[dict[str, list[str]], dict[str, list[str]], list[str]]] = {
    "shared": ({"A": ["a.png"], "B": ["a.png"]}, {"A": ["z.png"], "B": ["z.png"]}, []),
}


def moved_packages(work: Path) -> dict[str, Any]:
    return _versions(work, "moved", MOVED)


def shared_packages(work: Path) -> dict[str, Any]:
    return _versions(work, "shared", SHARED)


def _versions(
    work: Path, name: str, decks: dict[str, tuple[dict[str, list[str]], dict[str, list[str]], list[str]]]
) -> dict[str, Any]:
    """NAME/: for each of `decks`, v1, then v2: its notes' pictures changed as it says (a note v2 does not name is
    deleted unless v1 had it and v2 leaves it: only "replaced" deletes one), redrawn pictures in place."""
    folder = OUT / name
    folder.mkdir(exist_ok=True)
    options = ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False, with_media=True, legacy=False)
    for deck, (first, second, redrawn) in decks.items():
        path = work / name / deck / "collection.anki2"
        path.parent.mkdir(parents=True)
        col = Collection(str(path))
        pictures = sorted({name for names in (*first.values(), *second.values()) for name in names})
        for place, name in enumerate(pictures):
            assert col.media.write_data(name, png((24, 16), {(2 + place, 2, 12, 12): "red"})) == name
        notes = {key: add(col, "Basic", "Anatomy", shows(key, names)) for key, names in first.items()}
        col.export_anki_package(out_path=str(folder / f"{deck}-v1.apkg"), options=options, limit=None)
        for name in redrawn:
            (Path(col.media.dir()) / name).write_bytes(png((24, 16), {(2, 2, 10, 10): "orange"}))
        for key, names in second.items():
            note = col.get_note(notes[key])
            note["Back"] = shows(key, names)["Back"]
            col.update_note(note)
        if deck == "replaced":
            col.remove_notes([notes["B"]])
        col.export_anki_package(out_path=str(folder / f"{deck}-v2.apkg"), options=options, limit=None)
        col.close()
    return {deck: {"v1": first, "v2": second, "redrawn": redrawn} for deck, (first, second, redrawn) in decks.items()}


def earlier_packages(work: Path) -> dict[str, Any]:
    """earlier/: a small shared deck holding a cloze whose gaps share a number (one Anki card hides both), studied
    (v1), then the same with that cloze edited in Anki (v2)."""
    path = work / "earlier" / "collection.anki2"
    path.parent.mkdir()
    folder = OUT / "earlier"
    folder.mkdir(exist_ok=True)
    col = Collection(str(path))
    shared = add(col, "Cloze", "Renal", {"Text": "{{c1::Na}} and {{c1::K}} are pumped by {{c2::Na/K-ATPase}}"})
    capital = add(col, "Cloze", "Renal", {"Text": "{{c1::Furosemide}} acts on the {{C1::Loop}} of {{c2::Henle}}"})
    add(col, "Basic", "Renal", {"Front": "Loop diuretic?", "Back": "Furosemide"})
    col = study_days(col, path, "Renal")
    options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False)
    col.export_anki_package(out_path=str(folder / "v1.apkg"), options=options, limit=None)
    export_plain_text(col, folder / "v1.txt")
    note = col.get_note(shared)
    cards = {card.ord + 1: int(card.id) for card in note.cards()}
    note["Text"] = "{{c1::Na}} and {{c1::K}} are pumped out by {{c2::Na/K-ATPase}}"
    col.update_note(note)
    col.export_anki_package(out_path=str(folder / "v2.apkg"), options=options, limit=None)
    found = {"guid": note.guid, "cards": cards, "capital": col.get_note(capital).guid}
    col.close()
    return found


def mathjax_packages(work: Path) -> dict[str, Any]:
    """mathjax/: a small deck whose notes hold MathJax, a Basic note and a cloze (v1.apkg), and its Notes in Plain
    Text (v1.txt)."""
    path = work / "mathjax" / "collection.anki2"
    path.parent.mkdir()
    folder = OUT / "mathjax"
    folder.mkdir(exist_ok=True)
    col = Collection(str(path))
    basic = add(col, "Basic", "Algebra", {"Front": "The square of x?", "Back": "\\(x^2\\)"})
    cloze = add(col, "Cloze", "Algebra", {"Text": "The Greek letter {{c1::alpha}} is written \\(\\alpha\\)"})
    options = ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False, with_media=False, legacy=False)
    col.export_anki_package(out_path=str(folder / "v1.apkg"), options=options, limit=None)
    export_plain_text(col, folder / "v1.txt")
    found = {"basic": col.get_note(basic).guid, "cloze": col.get_note(cloze).guid}
    col.close()
    return found


def shows(key: str, names: list[str]) -> dict[str, str]:
    return {"Front": f"Name this organ ({key})", "Back": "".join(f'<img src="{name}">' for name in names)}


def organ(name: str) -> dict[str, str]:
    return {"Front": f"Name this organ ({name})", "Back": f'<img src="{name}">'}


def realworld_types(col: Collection) -> None:
    """What shared decks hold beyond the stock types: a German type of three templates using every template
    feature (conditionals, hint, text, tts, Tags, Deck, a cloze field on a standard type), a Japanese type of
    three with a typed one, and a cloze type whose cloze field is not the first."""
    models = col.models
    german = models.new("Vokabel (Deutsch)")
    for name in ("Wort", "Bedeutung", "Beispiel", "Lautschrift", "Lücke"):
        models.add_field(german, models.new_field(name))
    japanese = models.new("日本語の単語")
    for name in ("漢字", "読み", "意味"):
        models.add_field(japanese, models.new_field(name))
    templates = (
        (
            german,
            (
                (
                    "Erkennen",
                    "{{Wort}}{{#Lautschrift}} [{{text:Lautschrift}}]{{/Lautschrift}}{{tts de_DE:Wort}}",
                    "{{FrontSide}}<hr id=answer>{{Bedeutung}}{{#Beispiel}}<br>{{hint:Beispiel}}{{/Beispiel}}"
                    "<br>{{Tags}} {{Deck}}",
                ),
                (
                    "Abrufen",
                    "{{Bedeutung}}{{^Beispiel}} (kein Beispiel){{/Beispiel}}",
                    "{{FrontSide}}<hr id=answer>{{Wort}}",
                ),
                ("Lückentext", "{{#Lücke}}{{cloze:Lücke}}{{/Lücke}}", "{{cloze:Lücke}}<hr id=answer>{{Wort}}"),
            ),
        ),
        (
            japanese,
            (
                ("読む", "{{漢字}}", "{{FrontSide}}<hr id=answer>{{furigana:読み}}<br>{{意味}}"),
                ("書く", "{{意味}}<br>{{type:漢字}}", "{{FrontSide}}<hr id=answer>{{type:漢字}}"),
                (
                    "聞く",
                    "{{tts ja_JP:読み}}{{#読み}}{{kana:読み}}{{/読み}}",
                    "{{FrontSide}}<hr id=answer>{{漢字}} = {{意味}}",
                ),
            ),
        ),
    )
    for notetype, sides in templates:
        for name, question, answer in sides:
            template = models.new_template(name)
            template["qfmt"], template["afmt"] = question, answer
            models.add_template(notetype, template)
        models.add(notetype)
    stock = models.by_name("Cloze")
    assert stock is not None
    sourced = models.copy(stock, add=False)
    sourced["name"] = "Cloze (source first)"
    models.add_field(sourced, models.new_field("Source"))
    sourced["flds"] = [sourced["flds"][2], sourced["flds"][0], sourced["flds"][1]]
    for place, field in enumerate(sourced["flds"]):
        field["ord"] = place
    for template in sourced["tmpls"]:
        template["qfmt"] = "<small>{{Source}}</small><br>{{cloze:Text}}"
        template["afmt"] = "{{cloze:Text}}<br>{{Back Extra}}"
    models.add(sourced)


#: realworld's media: names as shared decks have them (spaces, accents, a literal %20, a quote), and a sound.
REALWORLD_MEDIA = ("my heart.png", "ñandú ü.png", "a%20b.png", "quote's.png", "ecg.mp3")


def realworld_notes(col: Collection) -> dict[str, int]:
    """The notes, by a name the tests use."""
    for name in REALWORLD_MEDIA:
        data = png((20, 12), {(2, 2, 8, 8): "red"}) if name.endswith(".png") else b"ID3 not a real sound"
        assert col.media.write_data(name, data) == name
    drugs, cardio = "Med::Cardio::Drugs", "Med::Cardio"
    fields = {
        "reversed": (
            "Basic (optional reversed card)",
            drugs,
            {"Front": "Digoxin target", "Back": "Na/K-ATPase", "Add Reverse": "y"},
        ),
        "one-way": ("Basic (optional reversed card)", drugs, {"Front": "Amiodarone class", "Back": "III"}),
        "typed": (
            "Basic (type in the answer)",
            cardio,
            {"Front": "Normal K<sup>+</sup>&nbsp;(mmol/L)?", "Back": "3.5&nbsp;-&nbsp;5.0"},
        ),
        "hints": (
            "Cloze",
            cardio,
            {
                "Text": "{{c1::Furosemide::drug}} acts on the {{c2::loop of Henle::site}}; {{c3::ototoxic}}.",
                "Back Extra": "<ul><li>loop</li><li>diuretic</li></ul>",
            },
        ),
        "nested": ("Cloze", cardio, {"Text": "{{c1::Aspirin {{c2::irreversibly}} inhibits COX}} in platelets."}),
        "maths": ("Cloze", cardio, {"Text": r"Energy \(\frac{a}{b}\) is {{c1::\[E=mc^2\]}}, [latex]$x^2$[/latex]"}),
        "source-first": (
            "Cloze (source first)",
            "Med::Pharm",
            {"Source": "Katzung ch.5", "Text": "{{c1::Warfarin}} inhibits vitamin {{c2::K}} epoxide reductase."},
        ),
        "herz": (
            "Vokabel (Deutsch)",
            "Sprachen::Deutsch",
            {
                "Wort": "das Herz",
                "Bedeutung": "the heart",
                "Beispiel": "Mein Herz schlägt.",
                "Lautschrift": "<b>hɛʁts</b>",
                "Lücke": "Das {{c1::Herz}} pumpt Blut.",
            },
        ),
        "lunge": ("Vokabel (Deutsch)", "Sprachen::Deutsch", {"Wort": "die Lunge", "Bedeutung": "the lung"}),
        "shinzou": ("日本語の単語", "Sprachen::日本語", {"漢字": "心臓", "読み": "心臓[しんぞう]", "意味": "heart"}),
        "spaces": (
            "Basic",
            cardio,
            {"Front": 'Name the chamber<br><img src="my%20heart.png">', "Back": "Left ventricle [sound:ecg.mp3]"},
        ),
        "accents": (
            "Basic",
            cardio,
            {"Front": 'Bird? <img src="ñandú ü.png">', "Back": "<img src='quote&#x27;s.png'> rhea"},
        ),
        "percent": (
            "Basic",
            cardio,
            {"Front": 'Literal percent <img src="a%2520b.png">', "Back": '<img src="sub/dir.png"> missing'},
        ),
        "table": (
            "Basic",
            cardio,
            {
                "Front": "Table",
                "Back": "<table><tr><th>Drug</th><th>Dose</th></tr><tr><td>A</td><td>1&nbsp;mg</td></tr></table>",
            },
        ),
        "empty-back": ("Basic", cardio, {"Front": "Empty back field", "Back": ""}),
        "emptied": ("Basic (and reversed card)", cardio, {"Front": "to be emptied", "Back": "x"}),
        "picture-gap": ("Cloze", cardio, {"Text": 'Chamber: {{c1::<img src="my heart.png">}}, {{c2::left}} side'}),
        "gap-deleted": (
            "Cloze",
            cardio,
            {"Text": "{{c1::Atenolol}} is {{c2::cardioselective}}, {{c3::a beta blocker}}."},
        ),
    }
    return {key: add(col, notetype, deck, values) for key, (notetype, deck, values) in fields.items()}


def realworld_states(col: Collection, path: Path, notes: dict[str, int]) -> Collection:
    """Days of SM-2 study, then every state a real collection has cards in."""
    col = study_days(col, path, "Med")
    col = study_days(col, path, "Sprachen")

    def card(key: str, ord: int = 0) -> Any:
        return next(c for c in col.get_note(notes[key]).cards() if c.ord == ord)

    col = next_day(col, path, "Med")
    emptied = notes["emptied"]  # the note emptied below: its cards do not come in
    while (forgotten := col.sched.getCard()) is not None and (forgotten.type != 2 or forgotten.nid == emptied):
        col.sched.answerCard(forgotten, 3)  # type: ignore[arg-type]
    assert forgotten is not None
    col.sched.answerCard(forgotten, 1)  # a review card forgotten today: relearning, on its step
    filtered = col.sched.get_or_create_filtered_deck(DeckId(0))  # built first: building it unburies
    filtered.name = "Cram::Cardio"
    filtered.config.search_terms[0].search = '"deck:Med::Cardio::Drugs"'
    filtered.config.search_terms[0].limit = 10
    col.sched.add_or_update_filtered_deck(filtered)
    col.sched.suspend_cards([card("hints", 2).id])
    col.set_user_flag_for_cards(2, [card("typed").id])
    col.set_user_flag_for_cards(4, [card("herz", 1).id])
    leech = card("maths")
    col.sched.suspend_cards([leech.id])
    col.tags.bulk_add([notes["maths"]], "leech")
    emptied_note = col.get_note(emptied)  # its cards stay, every one empty (Tools → Empty Cards lists them)
    emptied_note["Front"] = emptied_note["Back"] = ""
    col.update_note(emptied_note)
    edited = col.get_note(notes["gap-deleted"])  # a gap deleted after study: its card stays, blank
    edited["Text"] = "{{c1::Atenolol}} is cardioselective, {{c3::a beta blocker}}."
    col.update_note(edited)
    col.set_config("lastUnburied", col.sched.today)  # else the next queue Anki builds unburies them
    col.sched.bury_cards([card("hints", 1).id], manual=True)
    col.sched.bury_cards([card("reversed", 1).id], manual=False)  # as Anki buries a sibling
    return col


def rendered(col: Collection, card_id: int) -> dict[str, str]:
    """The card's question and answer as Anki renders them, as one line of text each (pictures by name)."""
    output = col.get_card(card_id).render_output()

    def line(html: str) -> str:
        return col._backend.html_to_text_line(text=html, preserve_media_filenames=True)

    return {"question": line(output.question_text), "answer": line(output.answer_text)}


def realworld_packages(work: Path) -> dict[str, Any]:
    """realworld/: what real shared decks and collections hold (see realworld_types and realworld_notes),
    studied with SM-2, with cards suspended, buried by the user and as siblings, flagged, a leech, in
    relearning, in a filtered deck, a note whose cards are all empty and a cloze with a gap deleted after study;
    as a .colpkg (several top decks)
    and an .apkg of Med; dup-a.apkg and dup-b.apkg: two shared decks holding one note with the same GUID;
    preview.apkg (preview_package); occlusion.apkg (occlusion_package); optional-v1.apkg and optional-v2.apkg
    (optional_reverse_packages)."""
    folder = OUT / "realworld"
    folder.mkdir(exist_ok=True)
    path = work / "realworld" / "collection.anki2"
    path.parent.mkdir()
    col = Collection(str(path))
    realworld_types(col)
    notes = realworld_notes(col)
    col = realworld_states(col, path, notes)
    options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=True, legacy=False)
    found = describe(col)
    found["keys"] = {str(note_id): key for key, note_id in notes.items()}
    found["rendered"] = {str(c): rendered(col, c) for c in col.find_cards("")}
    found["deck_counts"] = {
        col.decks.name(DeckId(d)): n for d, n in col.db.all("select did, count() from cards group by did")
    }
    col.export_anki_package(
        out_path=str(folder / "med.apkg"), options=options, limit=DeckIdLimit(DeckId(col.decks.id("Med")))
    )
    export_plain_text(col, folder / "collection.txt")
    col.close_for_full_sync()
    col.export_collection_package(str(folder / "collection.colpkg"), include_media=True, legacy=False)
    col.reopen()
    col.close()
    found["tomorrow"] = tomorrow(path, "Med")
    found["dup"] = duplicate_packages(work, folder)
    found["preview"] = preview_package(work, folder)
    found["occlusion"] = occlusion_package(work, folder)
    found["optional"] = optional_reverse_packages(work, folder)
    return found


def preview_package(work: Path, folder: Path) -> dict[str, Any]:
    """preview.apkg: a small deck studied with SM-2, then answered Again in a filtered deck that does not
    reschedule (Anki's preview: revlog type 3, factor 0, the card left as it was); with the FSRS memory state
    Anki computes for each card from its history (as turning FSRS on does), which leaves those answers out."""
    path = work / "preview" / "collection.anki2"
    path.parent.mkdir()
    col = Collection(str(path))
    for number in range(1, 5):
        add(col, "Basic", "Preview", {"Front": f"Preview question {number}", "Back": f"answer {number}"})
    col = next_day(study_days(col, path, "Preview"), path, "Preview")
    filtered = col.sched.get_or_create_filtered_deck(DeckId(0))
    filtered.name = "Preview::Cram"
    filtered.config.search_terms[0].search = '"deck:Preview"'
    filtered.config.reschedule = False
    deck_id = col.sched.add_or_update_filtered_deck(filtered).id
    col.decks.select(DeckId(deck_id))
    for _ in range(8):
        card = col.sched.getCard()
        assert card is not None
        col.sched.answerCard(card, 1)
    col.sched.empty_filtered_deck(DeckId(deck_id))
    options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False)
    col.export_anki_package(out_path=str(folder / "preview.apkg"), options=options, limit=None)
    memory = {}
    for card_id in col.find_cards(""):
        state = col._backend.compute_memory_state(card_id).state
        memory[str(card_id)] = {"stability": state.stability, "difficulty": state.difficulty}
    previews = col.db.scalar("select count() from revlog where type = 3 and factor = 0")
    col.close()
    return {"package": "preview.apkg", "memory": memory, "previews": previews}


def occlusion_package(work: Path, folder: Path) -> dict[str, Any]:
    """occlusion.apkg: an Image Occlusion note of three masks (c1 a polygon, c2 a rectangle, c3 a rectangle and an
    ellipse) and a text label of its own number (c4), studied for some days, then edited in Anki as a student
    does: the mask c2 deleted, so its card is left empty and c3's card keeps its number. With what Anki reports."""
    path = work / "occlusion" / "collection.anki2"
    path.parent.mkdir()
    col = Collection(str(path))
    image = work / "occlusion" / "brain scan.png"
    image.write_bytes(OCCLUDED)
    col.add_image_occlusion_notetype()
    notetype = col.models.by_name("Image Occlusion")
    assert notetype is not None
    col.decks.select(DeckId(col.decks.id("Anatomy")))
    c1 = "{{c1::image-occlusion:polygon:left=.1:top=.1:points=.1,.1 .3,.1 .2,.3:oi=1}}"
    c2 = "{{c2::image-occlusion:rect:left=.5:top=.5:width=.2:height=.2:oi=1}}"
    c3 = (
        "{{c3::image-occlusion:rect:left=.5:top=.1:width=.1:height=.1:oi=1}}"
        "{{c3::image-occlusion:ellipse:left=.7:top=.1:width=.1:height=.1:oi=1}}"
    )
    c4 = "{{c4::image-occlusion:text:left=.4:top=.8:text=Label:scale=1:fs=0.05:oi=1}}"
    col.add_image_occlusion_note(notetype["id"], str(image), c1 + c2 + c3 + c4, "Brain", "", [])
    col = study_days(col, path, "Anatomy")
    note = col.get_note(col.find_notes("")[0])
    note["Occlusion"] = c1 + c3 + c4  # the mask c2 deleted in Anki's editor
    col.update_note(note)
    options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=True, legacy=False)
    col.export_anki_package(out_path=str(folder / "occlusion.apkg"), options=options, limit=None)
    found = describe(col)
    col.close()
    return {"package": "occlusion.apkg", "notes": found["notes"]}


def optional_reverse_packages(work: Path, folder: Path) -> dict[str, Any]:
    """optional-v1.apkg: a Basic (optional reversed card) note with its reverse off, a Basic note and a note of a
    type with one template, studied; optional-v2.apkg: the same after "Add Reverse" was filled in and a second
    template added to that type (Anki adds each second card, new)."""
    path = work / "optional" / "collection.anki2"
    path.parent.mkdir()
    col = Collection(str(path))
    models = col.models
    vocab = models.new("Vocab (one template)")
    for name in ("Word", "Meaning"):
        models.add_field(vocab, models.new_field(name))
    recall = models.new_template("Recall")
    recall["qfmt"], recall["afmt"] = "{{Word}}", "{{FrontSide}}<hr id=answer>{{Meaning}}"
    models.add_template(vocab, recall)
    models.add(vocab)
    note_id = add(col, "Basic (optional reversed card)", "Optional", {"Front": "Amiodarone class", "Back": "III"})
    add(col, "Basic", "Optional", {"Front": "Digoxin target", "Back": "Na/K-ATPase"})
    word_id = add(col, "Vocab (one template)", "Optional", {"Word": "bradycardia", "Meaning": "a slow heart rate"})
    col = study_days(col, path, "Optional")
    options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False)
    col.export_anki_package(out_path=str(folder / "optional-v1.apkg"), options=options, limit=None)
    note = col.get_note(note_id)
    note["Add Reverse"] = "y"
    col.update_note(note)
    vocab = col.models.by_name("Vocab (one template)")  # a second template: Anki adds each note's card 2, new
    assert vocab is not None
    spell = col.models.new_template("Spell")
    spell["qfmt"], spell["afmt"] = "{{Meaning}} {{type:Word}}", "{{Meaning}}<hr id=answer>{{type:Word}}"
    col.models.add_template(vocab, spell)
    col.models.update_dict(vocab)
    col.export_anki_package(out_path=str(folder / "optional-v2.apkg"), options=options, limit=None)

    def cards(note_id: int) -> dict[str, dict[str, int]]:
        return {
            str(card.ord + 1): {
                "id": card.id,
                "revlog": col.db.scalar("select count() from revlog where cid = ?", card.id),
            }
            for card in col.get_note(note_id).cards()
        }

    found = {"guid": note.guid, "cards": cards(note_id), "template_added": cards(word_id)}
    col.close()
    return found


def duplicate_packages(work: Path, folder: Path) -> str:
    """dup-a.apkg and dup-b.apkg: two shared decks (other notes, other decks) each holding a copy of one note,
    with the same GUID, as decks built from a common source do. Returns that GUID."""
    options = ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False, with_media=False, legacy=False)
    guid = ""
    for name, own in (("dup-a", "Heparin antidote?"), ("dup-b", "Digoxin antidote?")):
        path = work / name / "collection.anki2"
        path.parent.mkdir()
        col = Collection(str(path))
        deck = "Shared A" if name == "dup-a" else "Shared B"
        add(col, "Basic", deck, {"Front": own, "Back": "Protamine" if name == "dup-a" else "Digibind"})
        common = col.get_note(add(col, "Basic", deck, {"Front": "Antidote for opioids?", "Back": "Naloxone"}))
        common.guid = guid = guid or common.guid
        col.update_note(common)
        col.export_anki_package(out_path=str(folder / f"{name}.apkg"), options=options, limit=None)
        col.close()
    return guid


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    versioned = {  # by folder
        "pictures": picture_packages,
        "update": update_packages,
        "moved": moved_packages,
        "shared": shared_packages,
        "earlier": earlier_packages,
        "mathjax": mathjax_packages,
        "realworld": realworld_packages,
    }
    if len(sys.argv) == 2 and sys.argv[1] in versioned:
        name = sys.argv[1]
        with tempfile.TemporaryDirectory() as tmp:
            found = versioned[name](Path(tmp))
        text = json.dumps(found, indent=1, ensure_ascii=False) + "\n"
        (OUT / name / "expected.json").write_text(text, encoding="utf-8")
        print(f"wrote the versions of {name} and {name}/expected.json to {OUT}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        col = fill(Collection(str(work / "collection.anki2")), work)
        expected = describe(col)
        expected["packages"] = export(col, work)
        col.close()
        expected["tomorrow"] = tomorrow(work / "collection.anki2")
        expected["fsrs"] = fsrs_package(work)
        update = update_packages(work)
        pictures = picture_packages(work)
        moved = moved_packages(work)
        shared = shared_packages(work)
    (OUT / "moved" / "expected.json").write_text(json.dumps(moved, indent=1) + "\n", "utf-8")
    (OUT / "shared" / "expected.json").write_text(json.dumps(shared, indent=1) + "\n", "utf-8")
    (OUT / "pictures" / "expected.json").write_text(json.dumps(pictures, indent=1) + "\n", "utf-8")
    (OUT / "update" / "expected.json").write_text(json.dumps(update, indent=1, ensure_ascii=False) + "\n", "utf-8")
    (OUT / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(expected['packages'])} packages and expected.json to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
