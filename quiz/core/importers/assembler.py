"""The notes any reader found -> a deck file the loader accepts: unique ids, topics from Anki's sub-decks,
the deck id and title, every skip reported. `import_file` runs a whole import."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from quiz.core import cloze
from quiz.core.anki import is_collection_package
from quiz.core.anki.media import media_folder
from quiz.core.anki.model import SUBDECK_JOIN, Collection
from quiz.core.anki.topdecks import decks_of_notes, notes_in_default_deck, top_decks
from quiz.core.deckfile import DeckFileError, read_deck_bytes
from quiz.core.decks import check_tree
from quiz.core.deckwriter import deck_document
from quiz.core.fieldreader import TITLE
from quiz.core.gcpause import gc_paused
from quiz.core.ids import is_id
from quiz.core.importers import cleaning, ids
from quiz.core.importers.model import (
    ImportedDeck,
    ImportedNote,
    ImportFailure,
    ImportOptions,
    ImportSource,
    Lacking,
    Picture,
    Report,
)
from quiz.core.importers.registry import byte_limit, reader_for
from quiz.core.importers.update import DeckFolder
from quiz.core.kinds import KINDS
from quiz.core.model import Note, Source, Topic
from quiz.core.problems import Problem, errors
from quiz.core.sounds import sound_paths, with_sounds_renamed
from quiz.core.text import quoted, shortened
from quiz.core.yamlsafe import YamlProblem

HEADER_COMMENT = (
    "Imported from {name} by `quiz import`.\n"
    "Card ids keep your study history: edit any text freely, but keep each `id:` as it is."
)


@dataclass
class ImportResult:
    deck_id: str
    title: str
    notes: list[Note]
    topics: list[Topic]
    text: str  # the deck file
    problems: list[Problem]  # warnings and skipped rows, each with file:line
    lines: dict[str, int]  # note id -> line in the imported file
    anki_cards: dict[str, tuple[int, ...]] = field(default_factory=dict)  # note id -> ImportedNote.anki_cards
    collection: Collection | None = None  # a package's collection, for its schedule and review log
    media: dict[str, Picture] = field(default_factory=dict)  # each picture the notes show, by its path
    carries_pictures: bool = True  # ImportedDeck.carries_pictures
    guids: dict[str, str] = field(default_factory=dict)  # note id -> the Anki GUID it came from
    deck_path: tuple[str, ...] = ()  # the Anki deck all the notes were in, when one ("Title::Topic", ...)
    topic_decks: dict[str, str] = field(default_factory=dict)  # topic id ("": none) -> its Anki deck ("Pharm::Cardio")
    # the Anki deck a package holds the notes of alone (--anki-deck's, or the subdeck Anki exported alone; () for
    # none): a note of the deck from the others is not gone from Anki, only not in this package (target._left_out)
    covers: tuple[str, ...] = ()
    by_anki_deck: bool = False  # `covers` is the deck --anki-deck took alone
    # the Anki deck the import took: --anki-deck's (a whole collection's pass names its top-level deck so), else the
    # top-level deck all the notes are in (a subdeck's package from Anki holds the decks above it too: not told
    # apart); "" for none (a whole collection as one deck, a file not from Anki)
    took: str = ""
    # the file is her collection package (.colpkg): it holds every deck of hers, so a note it lacks was deleted
    every_deck: bool = False
    # a package read whole (no --anki-deck): each note's GUID -> its top-level Anki deck, and the deck it is in
    # (its full name), worked out once
    top_decks: dict[str, str] = field(default_factory=dict)
    note_decks: dict[str, str] = field(default_factory=dict)
    # the GUIDs of the notes in Anki's deck of id 1 or below it (topdecks.notes_in_default_deck), read whole or not
    default_notes: frozenset[str] = frozenset()
    elsewhere: dict[str, str] = field(default_factory=dict)  # ImportedDeck.elsewhere
    sources: tuple[
        Source, ...
    ] = ()  # a package's declarations (ImportedDeck.sources): an update adds those its deck lacks
    from_deck_file: bool = False  # read from a quiz deck file, whose notes name their topics (no Anki deck)
    # by GUID: a note as an earlier quiz read it (ImportedDeck.earlier), not in the deck, and its Anki cards
    earlier: dict[str, tuple[Note, tuple[int, ...]]] = field(default_factory=dict)
    earlier_warnings: list[Problem] = field(default_factory=list)  # ImportedDeck.earlier_warnings
    reverse_before: set[str] = field(default_factory=set)  # ImportedDeck.reverse_before
    # the pictures a note names that the file lacks (ImportedNote.lacking): by note id, and for `earlier`, by GUID
    lacking: dict[str, tuple[Lacking, ...]] = field(default_factory=dict)
    earlier_lacking: dict[str, tuple[Lacking, ...]] = field(default_factory=dict)
    # by note id: a text file's note of a kind that needs a picture (an occlusion row of quiz's table), which it
    # cannot hold, and the row's skip, said unless the deck it updates has the note to give the picture (target)
    pictureless: dict[str, tuple[Note, Problem]] = field(default_factory=dict)


def import_file(
    path: str | Path, options: ImportOptions | None = None, folder: DeckFolder | None = None
) -> ImportResult:
    """Read a file in any registered format and build a deck; ImportFailure when nothing can be imported.
    `folder` holds the decks an earlier import made, one of which the notes' GUIDs may belong to (it keeps its id
    when --deck-id names none)."""
    path, options = Path(path), options or ImportOptions()
    report = Report(str(path))
    try:
        try:
            data = read_deck_bytes(path, byte_limit(path, options), what="files to import").data
        except DeckFileError as exc:
            raise ImportFailure(str(exc)) from None
        source = ImportSource(path, data)
        with gc_paused():  # a big package's notes, cards and deck tree: many small objects that all survive
            imported = reader_for(source, options).read(source, options, report)
            result = _assemble(path, options, report, imported, folder)
        result.collection = imported.collection
        return result
    except ImportFailure as exc:
        exc.problems = report.sorted()
        raise


def _assemble(
    path: Path,
    options: ImportOptions,
    report: Report,
    imported: ImportedDeck,
    folder: DeckFolder | None,
) -> ImportResult:
    own = imported.deck  # a quiz deck file's: its id, title, description, topics and sources are kept
    if options.anki_deck is not None and imported.collection is None:
        raise ImportFailure(f"{path}: --anki-deck is for an Anki package (.apkg, .colpkg), which names its decks")
    # a deck of a package taken alone is named by that deck: another deck of the package makes a deck of its own
    by_name = ids.deck_id_from_name(imported.anki_deck) if imported.anki_deck else _deck_of_name(path, folder)
    collection = imported.collection if options.anki_deck is None else None  # read whole: its top-level decks
    note_decks = decks_of_notes(collection) if collection is not None else {}
    tops = top_decks(note_decks)
    default_notes = _default_notes(imported.collection, note_decks if collection is not None else None)
    deck_id = options.deck_id or (own.id if own else "") or _deck_of_package(path, options, imported, tops, folder)
    deck_id = deck_id or by_name
    declared = own.topics if own else ()
    # the earlier readings made as the notes are (their topics alike), each under the one id its GUID gives
    wanted = Counter(row.wanted_id for row in (*imported.notes, *imported.earlier))
    earlier = [row for row in imported.earlier if wanted[row.wanted_id] == 1]
    rows = [*imported.notes, *earlier]
    notes, topics, lines, root, topic_decks = _notes(rows, options, report, declared, media_folder(deck_id))
    notes, earlier_notes = notes[: len(imported.notes)], notes[len(imported.notes) :]
    for note in earlier_notes:
        del lines[note.id]
    notes = [_as_studied(note, lines.get(note.id, 0), report) for note in notes]
    if own is None:  # a deck file's loader has warned already
        _warn_unmatchable_gaps(notes, lines, report)
    # Anki's default deck names nothing, unless it is the deck taken alone (a collection's notes in it, apart)
    root_title = root[-1] if root and (root != ("Default",) or imported.anki_deck) else ""
    covers = () if options.whole_collection else _covered(path, imported, root)
    anki_cards = {note.id: row.anki_cards for note, row in zip(notes, imported.notes, strict=True) if row.anki_cards}
    guid_of = {note.id: row.guid for note, row in zip(notes, imported.notes, strict=True) if row.guid}
    lacking = {note.id: row.lacking for note, row in zip(notes, imported.notes, strict=True) if row.lacking}
    if not is_id(deck_id):
        raise ImportFailure(
            f"--deck-id {quoted(deck_id)} is not a valid id: use letters, digits, '-', '_' or '.', starting with a"
            " letter or digit"
        )
    from_name = path.stem.replace("_", " ").replace("-", " ").strip()
    # a name not hers to shorten (a file's, up to 255 characters; a package's deck) is cut to what a title may be
    named = shortened(root_title or from_name, TITLE.chars)
    title = options.title or (own.title if own else "") or named or deck_id
    title = cleaning.clean_name(title)[0].strip()  # a file name's or an argument's control characters too
    if not title:
        raise ImportFailure("--title is empty")
    header_text = HEADER_COMMENT.format(name=path.name)
    notes, pictureless = _pictureless_apart(notes, lines, report, carries_pictures=imported.carries_pictures)
    if not notes:  # no deck is made of them alone: each is skipped (said below)
        report.problems += [problem for _, problem in pictureless.values()]
    for _attempt in range(2):  # a note the loader refuses is reported and dropped, then the deck is written again
        if not notes:
            raise ImportFailure(f"{path}: no usable rows; nothing was imported")
        try:
            text, tree = deck_document(
                deck_id,
                title,
                notes,
                description=own.description if own else "",
                sources=own.sources if own else imported.sources,
                topics=_used(topics, notes),
                header=header_text,
            )
        except YamlProblem as exc:
            raise ImportFailure(f"{path}: the deck could not be written: {exc.message}; {exc.hint}") from None
        # checked as the loader reads it, from the tree it was written from (the text is not parsed again)
        loaded = check_tree(tree, f"{deck_id}.yaml", check_files=False)  # pictures not written yet
        bad = {p.card_id: p for p in errors(loaded.problems) if p.card_id}
        if loaded.deck is not None and not bad:
            _check_round_trip(notes, loaded.deck.notes)
            break
        if not bad:
            raise ImportFailure(f"{path}: the deck could not be written: {errors(loaded.problems)[0]}")
        for note_id, problem in bad.items():
            report.skip(lines.get(note_id, 0), problem.message, problem.hint)
        notes = [n for n in notes if n.id not in bad]
    else:  # pragma: no cover - the second attempt drops every note the loader named
        raise ImportFailure(f"{path}: the deck could not be written")
    used = {image for note in notes for image in note.all_images}
    if any(picture.sound for picture in imported.media.values()):  # a pass over the texts only then
        used.update(path for note in notes for path in sound_paths(deck_id, note))
    media = {f"{media_folder(deck_id)}/{name}": picture for name, picture in imported.media.items()}
    media = {image: picture for image, picture in media.items() if image in used}
    guid_of = {note.id: guid_of[note.id] for note in notes if note.id in guid_of}
    used_topics = {note.topic for note in notes}
    return ImportResult(
        deck_id,
        title,
        notes,
        _used(topics, notes),
        text,
        report.sorted(),
        lines,
        anki_cards,
        media=media,
        carries_pictures=imported.carries_pictures,
        guids=guid_of,
        deck_path=root,
        covers=covers,
        by_anki_deck=bool(imported.anki_deck),
        took=imported.anki_deck or (root[0] if root and imported.collection is not None else ""),
        every_deck=is_collection_package(path.name),
        topic_decks={topic: deck for topic, deck in topic_decks.items() if topic in used_topics},
        sources=imported.sources,
        from_deck_file=own is not None,
        earlier={row.guid: (note, row.anki_cards) for row, note in zip(earlier, earlier_notes, strict=True)},
        earlier_warnings=imported.earlier_warnings,
        reverse_before=imported.reverse_before,
        top_decks=tops,
        note_decks=note_decks,
        default_notes=default_notes,
        elsewhere=imported.elsewhere,
        lacking={note.id: lacking[note.id] for note in notes if note.id in lacking},
        pictureless=pictureless,
        earlier_lacking={row.guid: row.lacking for row in earlier if row.lacking},
    )


def _default_notes(collection: Collection | None, note_decks: Mapping[str, str] | None) -> frozenset[str]:
    """The notes of the package's Anki deck of id 1 or below it (topdecks.notes_in_default_deck), of `note_decks`
    when read whole (worked out once), else (--anki-deck) of the notes taken, worked out here."""
    if collection is None:
        return frozenset()
    return notes_in_default_deck(collection.decks, note_decks if note_decks is not None else decks_of_notes(collection))


def _notes(
    rows: list[ImportedNote], options: ImportOptions, report: Report, declared: tuple[Topic, ...], media: str
) -> tuple[list[Note], list[Topic], dict[str, int], tuple[str, ...], dict[str, str]]:
    """Notes with unique ids, the topics they use (`declared` ones first), each note's line, the Anki deck
    they all are in (its path; () for none), and the Anki deck each topic made of a deck is (its full name; the
    topic of the notes in the common deck itself: "" without --topic)."""
    topics: dict[str, Topic] = {t.id: t for t in declared}
    topic_ids = ids.Unique()
    by_title: dict[str, str] = {t.id: topic_ids.take(t.id) for t in declared}

    def topic_for(name: str) -> str:
        """A topic id for a name: itself when it is a lowercase id (as `quiz export` writes), else a slug."""
        if name not in by_title:
            if is_id(name) and name == name.lower() and name not in topics:
                topic_id, title = topic_ids.take(name), name.replace("-", " ").replace("_", " ").capitalize()
            else:
                # --topic's control characters too (a row's or a deck's name comes cleaned already)
                topic_id, title = topic_ids.take(ids.topic_id(name)), cleaning.clean_name(name)[0]
            by_title[name] = topic_id
            topics[topic_id] = Topic(topic_id, title)
        return by_title[name]

    paths = {row.deck_path for row in rows if row.deck_path}
    root = _common_prefix(list(paths)) if paths else ()
    if len(paths) == 1:  # a single deck: it names the deck; no topics come from it
        root = next(iter(paths))

    default_topic = topic_for(options.topic) if options.topic else ""
    unique = ids.Unique()
    notes: list[Note] = []
    lines: dict[str, int] = {}
    first_line: dict[str, int] = {}
    topic_decks: dict[str, str] = {}
    for row in rows:
        note_id = unique.take(row.wanted_id)
        if note_id != row.wanted_id:
            what = "front" if row.id_source == "front" else f"{row.id_source} id"
            report.warn(
                row.line,
                f"same {what} as line {first_line[row.wanted_id]}; this card gets the id '{note_id}'",
            )
        first_line.setdefault(row.wanted_id, row.line)
        relative = row.deck_path[len(root) :] if row.deck_path[: len(root)] == root else row.deck_path
        if row.topic:
            topic = topic_for(row.topic)
        else:
            topic = topic_for(SUBDECK_JOIN.join(relative)) if relative else default_topic
            if row.deck_path:  # the root deck's too: a next version's new top-level deck makes it a topic
                topic_decks[topic] = "::".join(row.deck_path)
        body = row.body if row.body is not None else KINDS[row.kind].from_faces(row.front, row.back)
        images, answer_images = (tuple(f"{media}/{image}" for image in i) for i in (row.images, row.answer_images))
        notes.append(
            _sounds_named(
                Note(
                    note_id,
                    row.kind,
                    body,
                    topic,
                    row.tags,
                    row.explain,
                    row.sources,
                    images=images,
                    outside=row.outside,
                    answer_images=answer_images,
                    siblings=row.siblings,
                ),
                row,
            )
        )
        lines[note_id] = row.line
    return notes, list(topics.values()), lines, root, topic_decks


def _pictureless_apart(
    notes: list[Note], lines: dict[str, int], report: Report, *, carries_pictures: bool
) -> tuple[list[Note], dict[str, tuple[Note, Problem]]]:
    """The notes of a text file but those of a kind that needs a picture, which it cannot hold, set apart by id,
    each with its row's skip (ImportResult.pictureless)."""
    if carries_pictures:
        return notes, {}
    apart = {
        note.id: (
            note,
            report.skip_problem(
                lines.get(note.id, 0),
                f"an {note.kind} card needs a picture, which a text file cannot hold",
                "import the file over the deck that has the card (it keeps the deck's picture), or add the card to"
                " a deck file with `image:`, the picture's path",
            ),
        )
        for note in notes
        if KINDS[note.kind].needs_picture and not note.images
    }
    return [note for note in notes if note.id not in apart], apart


def _sounds_named(note: Note, row: ImportedNote) -> Note:
    """The note's `[sound:name]` references naming the files the import keeps its sounds under (a name made safe or
    unique: `../x.mp3` is `_.._x.mp3` beside the deck)."""
    renamed = {text: file for text, file in row.sounds if text != file}
    return with_sounds_renamed(note, renamed) if renamed else note


def _covered(path: Path, imported: ImportedDeck, root: tuple[str, ...]) -> tuple[str, ...]:
    """The Anki deck whose notes alone the package holds (ImportResult.covers): --anki-deck's, else the deck
    `root` all its notes are in, widened to the other decks it has but those above `root` and Anki's `Default`,
    which a package Anki exports of one deck has too. None of a collection package, which holds every deck of hers
    (she may have deleted all but one)."""
    if imported.anki_deck:
        return tuple(imported.anki_deck.split("::"))
    if imported.collection is None or not root or is_collection_package(path.name):
        return ()
    above = {root[:length] for length in range(len(root))}
    others = [path for path in imported.collection.decks.values() if path not in above and path != ("Default",)]
    return _common_prefix([root, *others])


def _common_prefix(paths: list[tuple[str, ...]]) -> tuple[str, ...]:
    prefix = paths[0]
    for path in paths[1:]:
        length = 0
        while length < min(len(prefix), len(path)) and prefix[length] == path[length]:
            length += 1
        prefix = prefix[:length]
    return prefix


def _used(topics: list[Topic], notes: list[Note]) -> list[Topic]:
    used = {n.topic for n in notes}
    return [t for t in topics if t.id in used]


def _deck_of_name(path: Path, folder: DeckFolder | None) -> str:
    """The deck a file without GUIDs makes or updates: the one its name gives (`ids.deck_id_from_name`). A deck an
    earlier import made from a file of this very name, when a name in another script gave `imported` (or its Latin
    letters alone), stays the deck it updates."""
    named, before = ids.deck_id_from_name(path.stem), ids.slugify(path.stem, 60) or "imported"
    source = folder.source(before) if named != before and folder is not None else None
    # the name as a Mac writes it (decomposed, NFD) is the name imported before elsewhere (composed)
    if source is not None and unicodedata.normalize("NFC", source) == unicodedata.normalize("NFC", path.name):
        return before
    return named


def _deck_of_package(
    path: Path, options: ImportOptions, imported: ImportedDeck, tops: dict[str, str], folder: DeckFolder | None
) -> str | None:
    """The deck the package's GUIDs belong to (`_deck_of_guids`). A package of several top-level Anki decks that the
    import takes apart (no --anki-deck, --deck-id or --title: each a deck of its own) may belong to two decks:
    each of its Anki decks is looked up alone then. Which of several decks holding the notes of an Anki deck taken
    alone it updates is the import's to say (quiz.commands.importing), which knows who holds each note."""
    guids = [n.guid for n in imported.notes if n.guid]
    apart = options.title is None and len(set(tops.values())) > 1  # `tops`: the package's, read whole
    return _deck_of_guids(path, guids, folder, apart=apart)


def _deck_of_guids(path: Path, guids: list[str], folder: DeckFolder | None, *, apart: bool = False) -> str | None:
    """The deck the package's GUIDs belong to. Its quiz GUIDs name a deck: that one when the folder has it, else
    the deck an earlier import of them made (--deck-id named another), else a new one; refused when its notes
    under Anki's GUIDs (added in Anki since) are an earlier import's of another deck. Without quiz GUIDs, the
    deck an earlier import of them made."""
    named = _deck_id_from_guids(guids)
    anki = {guid for guid in guids if ids.deck_of_guid(guid) is None}
    if folder is None or not guids or (named is not None and not anki):
        return named
    if named is None:
        return folder.updated_by(set(guids))
    home = named if folder.has(named) else folder.updated_by(set(guids) - anki) or named
    # A deck whose file was deleted too: its answers are still in quiz, and would be logged again in `home`
    known = folder.updated_by(anki, deleted_too=True)
    if known is not None and known != home:  # one Anki collection holding two decks
        if apart and not folder.deleted(known):  # each of its top-level decks looked up alone, as its own deck
            return None
        why = "named by quiz's GUIDs" if home == named else "an earlier import of quiz's GUIDs"
        gone = ", its deck file deleted" if folder.deleted(known) else ""
        raise ImportFailure(
            f"{path}: its notes belong to two decks: {quoted(home)} ({why}) and {quoted(known)} (an earlier import"
            f" of Anki's GUIDs{gone}); export each deck from Anki on its own (File > Export, Include: that deck,"
            " not All Decks)"
        )
    return home


def _deck_id_from_guids(guids: list[str]) -> str | None:
    """The deck that every quiz GUID (`quiz export`'s) names; a note added in Anki since has a GUID of Anki's."""
    decks = {ids.deck_of_guid(g) for g in guids} - {None}
    return decks.pop() if len(decks) == 1 else None


def _as_studied(note: Note, line: int, report: Report) -> Note:
    """`note` as the loader will read it back (`CardKind.studied_as`): a typed note from quiz's own table or
    package, written by an older quiz with a '?' to type, comes in as basic, as one from Anki does."""
    kind = KINDS[note.kind]
    studied = kind.studied_as(kind.field_values(note))
    if studied is None:
        return note
    graded = "" if KINDS[studied.kind].objective else ", self-graded"
    report.warn(line, f"card {note.id}: {studied.why}; it comes in as {studied.kind}{graded}", studied.fix)
    return replace(note, kind=studied.kind, body=KINDS[studied.kind].body(studied.values))


def _warn_unmatchable_gaps(notes: list[Note], lines: dict[str, int], report: Report) -> None:
    """A cloze gap nothing typed can match (`{{?}}`, which an older quiz wrote and its table holds) comes in, as the
    loader reads it: its note is kept, that gap making no card; the warning says so."""
    for note in notes:
        if note.kind == "cloze" and (warning := cloze.unmatchable_gap_warning(note.body.text)):
            report.warn(lines.get(note.id, 0), f"card {note.id}: {warning[0]}", warning[1])


def _check_round_trip(written: list[Note], loaded: tuple[Note, ...]) -> None:
    for want, got in zip(written, loaded, strict=True):
        if got != want and replace(got, line=0) != replace(want, line=0):  # most are equal as they are
            raise ImportFailure(f"card {want.id}: the deck file would not read back as written; please report this")
