"""Anki packages (.apkg, .colpkg) of every generation -> ImportedNote, note types told apart by structure.

A package has no lines: a note's "line" in warnings is its number in the package (notes in Anki's order,
oldest first), and the message names its note type and the start of its first field.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import replace
from functools import cached_property
from io import BytesIO

from quiz.core import cloze
from quiz.core.anki import PACKAGE_SUFFIXES, occlusion
from quiz.core.anki.media import decoded, image_sources, may_name_sounds, sound_names
from quiz.core.anki.model import Card, Collection, Note, Notetype, Template
from quiz.core.anki.package import PackageError, PackageMedia, read_package
from quiz.core.anki.structure import FRONT_SIDE, Shape, read_before_as, shape_of, unshown_fields
from quiz.core.anki.templates import Side, filtered_field, render, template_fields
from quiz.core.anki.topdecks import (
    deck_named,
    decks_of_notes,
    decks_of_notes_outside,
    notes_in_default_deck,
    only_deck,
    top_level_decks,
)
from quiz.core.answertext import unmatchable_answer
from quiz.core.filekind import ZIP_MAGIC
from quiz.core.importers import cleaning, ids
from quiz.core.importers.model import (
    NO_CARD,
    ImportedDeck,
    ImportedNote,
    ImportFailure,
    ImportOptions,
    ImportSource,
    NoSuchAnkiDeck,
    Picture,
    Report,
)
from quiz.core.importers.pictures import media_lacking, with_pictures
from quiz.core.importers.readers.hiddenfield import NO_HIDDEN_FIELD, declared_otherwise, read_hidden_field
from quiz.core.kinds import KINDS
from quiz.core.kinds.occlusion import OcclusionBody
from quiz.core.model import Note as QuizNote
from quiz.core.model import Source
from quiz.core.notedefinition import FIELD, SOURCES_FIELD
from quiz.core.text import counted, quoted

#: Where Anki's answer starts in a back template that repeats the question (Anki scrolls to it).
_ANSWER_MARK = re.compile(r"<hr[^>]*\bid\s*=\s*[\"']?answer\b[^>]*>", re.I)
_COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
MAX_PACKAGE = 1024**3  # a large shared deck with its images is a few hundred MB
NO_PICTURE_TEXT = "(see the picture)"  # a side that is only a picture (Anki's image-only notes)
NO_ANSWER_TEXT = "(no answer in Anki)"  # a card Anki shows with an empty answer


class PackageReader:
    name = "apkg"
    suffixes = PACKAGE_SUFFIXES
    max_bytes = MAX_PACKAGE

    def sniff(self, source: ImportSource, options: ImportOptions) -> bool:
        if not source.data.startswith(ZIP_MAGIC):
            return False
        try:
            with zipfile.ZipFile(BytesIO(source.data)) as archive:
                return any(name in _COLLECTIONS for name in archive.namelist())
        except (zipfile.BadZipFile, ValueError):
            return False

    def read(self, source: ImportSource, options: ImportOptions, report: Report) -> ImportedDeck:
        try:
            collection = read_package(source.data, source.name)
        except PackageError as exc:
            raise ImportFailure(str(exc)) from None
        deck = _chosen_deck(collection, options.anki_deck, source.name) if options.anki_deck is not None else ""
        elsewhere: dict[str, str] = {}
        if deck:
            whole, collection = collection, only_deck(collection, deck, options.anki_notes)
            if not options.whole_collection:  # taken apart, a note the pass lacks is another pass's
                elsewhere = decks_of_notes_outside(whole, collection)
        found = _Notes(collection, report)
        notes = list(found.all())
        media = PackageMedia(source.data, source.name)
        imported = with_pictures(notes, media.read, report, "is not in the package", why_sound_lacks=media.why_lacking)
        imported.collection, imported.sources = collection, tuple(found.declared.values())
        imported.earlier = _named_as(imported.media, found.earlier)
        imported.earlier_warnings = found.earlier_warnings.problems
        imported.reverse_before = found.reverse_before
        imported.anki_deck, imported.elsewhere = deck, elsewhere
        return imported


def _chosen_deck(collection: Collection, name: str, file: str) -> str:
    """The deck --anki-deck names, as the package writes it; NoSuchAnkiDeck naming the package's top-level decks
    when it has none of that name."""
    if (deck := deck_named(collection, name)) is not None:
        return deck
    tops = top_level_decks(collection)
    listed = ", ".join(f"{quoted(top)} ({counted(count, 'note')})" for top, count in tops.items()) or "none"
    raise NoSuchAnkiDeck(
        f"{file} has no Anki deck {quoted(name)} holding notes; its top-level decks: {listed}; name one of them, or"
        " a subdeck as Anki writes it (Parent::Child)",
        name,
        collection.decks,
        notes_in_default_deck(collection.decks, decks_of_notes(collection)),
    )


def _named_as(media: Mapping[str, Picture], earlier: list[ImportedNote]) -> list[ImportedNote]:
    """The notes as an earlier quiz read them, each picture and sound file under the name `media` (with_pictures's,
    by the package's name) gives it in the notes made of the same Anki note now, which show the same fields: one that
    cannot be read is dropped, and said, there (a sound's reference stays as text), kept as `lacking`."""
    pictures = {picture.name: name for name, picture in media.items() if not picture.sound}
    sounds = {picture.name: name for name, picture in media.items() if picture.sound}  # no picture's file: a sound
    return [
        replace(
            note,
            images=tuple(pictures[image] for image in note.images if image in pictures),
            answer_images=tuple(pictures[image] for image in note.answer_images if image in pictures),
            sounds=tuple((text, sounds[sound]) for text, sound in note.sounds if sound in sounds),
            lacking=media_lacking(note, media),
        )
        for note in earlier
    ]


class _Notes:
    def __init__(self, collection: Collection, report: Report) -> None:
        self.collection, self.report = collection, report
        self.cards = collection.cards_of()
        self.shapes = {ntid: shape_of(notetype) for ntid, notetype in collection.notetypes.items()}
        self.shapes_before = {  # the note types an earlier quiz read otherwise (a reverse pair adding words)
            ntid: shape for ntid, notetype in collection.notetypes.items() if (shape := read_before_as(notetype))
        }
        unshown = {ntid: unshown_fields(notetype) for ntid, notetype in collection.notetypes.items()}
        self.defining = {ntid for ntid, fields in unshown.items() if FIELD in fields}
        # fields no template shows (a student's own notes, a source): Anki keeps them with the note
        self.unshown = {ntid: tuple(name for name in fields if name != FIELD) for ntid, fields in unshown.items()}
        # deck names become the deck's title and topics: cleaned as any text, each deck cleaned told once (on
        # the first note made in it, which takes it from `renamed`)
        cleaned = {path: tuple(cleaning.clean_name(part)[0] for part in path) for path in collection.decks.values()}
        apart = cleaning.deck_paths_apart(cleaned)
        self.decks = {deck: apart.get(path, path) for deck, path in collection.decks.items()}
        self.renamed = {deck for deck, path in self.decks.items() if path != collection.decks[deck]}
        self.numbered = {deck for deck, path in self.decks.items() if path != cleaned[collection.decks[deck]]}
        self.declared: dict[str, Source] = {}  # the sources the notes cite, as quiz's definitions declare them
        self.earlier: list[ImportedNote] = []  # ImportedDeck.earlier
        self.earlier_warnings = Report(report.name)  # ImportedDeck.earlier_warnings
        self.reverse_before: set[str] = set()  # ImportedDeck.reverse_before

    def all(self) -> Iterator[ImportedNote]:
        for number, note in enumerate(self.collection.notes, start=1):
            notetype = self.collection.notetypes.get(note.notetype_id)
            if notetype is None:
                self.report.skip(number, f"note {note.guid!r}: its note type ({note.notetype_id}) is missing")
                continue
            reader = _NoteReader(self, number, note, notetype)
            made = reader.notes()
            if made and reader.was_reverse:
                self.reverse_before.add(note.guid)
            if made and reader.earlier is not None:
                self.earlier.append(reader.earlier)
                if reader.earlier_warning:
                    self.earlier_warnings.warn(number, f"{reader.label}: {reader.earlier_warning}")
            for why in declared_otherwise(self.declared, reader.hidden.sources) if made else ():
                self.report.warn(number, f"{reader.label}: {why}")
            yield from made


class _NoteReader:
    """The quiz notes one Anki note becomes, with what was dropped reported once per note."""

    def __init__(self, notes: _Notes, number: int, note: Note, notetype: Notetype) -> None:
        self.number, self.note, self.notetype, self.report = number, note, notetype, notes.report
        self.shape: Shape = notes.shapes[notetype.id]
        self.shape_before = notes.shapes_before.get(notetype.id)  # as an earlier quiz read it (read_before_as)
        self.defining = notetype.id in notes.defining
        self.unshown = () if self.shape.kind == "occlusion" else notes.unshown[notetype.id]  # it reads every field
        self.cards = notes.cards.get(note.id, [])
        self.decks, self.renamed, self.numbered = notes.decks, notes.renamed, notes.numbered
        padded = (*note.fields, *[""] * len(notetype.fields))
        self.fields = dict(zip(notetype.fields, padded, strict=False))
        self.dropped: set[str] = set()
        self.earlier: ImportedNote | None = None  # the note as an earlier quiz read it (ImportedDeck.earlier)
        self.earlier_warning = ""  # why it comes in otherwise now, said only where it is kept so (earlier_warnings)
        self.was_reverse = False  # an earlier quiz read it as one reverse note (ImportedDeck.reverse_before)
        self.hidden = read_hidden_field(self.fields[FIELD]) if self.defining else NO_HIDDEN_FIELD
        self.dropped.update(self.hidden.dropped)
        if self.hidden.sources and SOURCES_FIELD in self.fields:  # it shows their titles: they come back as sources,
            self.fields[SOURCES_FIELD] = ""  # not as the explanation's last paragraph
        self.images = tuple(dict.fromkeys(src for raw in note.fields for src in image_sources(raw)))  # in order
        # each sound file the text names: as the cleaned text names it, and by its media name (most fields have
        # none: looked for before any is decoded)
        self.sounds = tuple(
            dict.fromkeys(
                (cleaning.clean_name(name)[0], name)
                for raw in note.fields
                if may_name_sounds(raw)
                for name in sound_names(decoded(raw))
            )
        )
        self.tags = tuple(dict.fromkeys(self._name("tags", tag) for tag in note.tags))

    @cached_property
    def label(self) -> str:
        """How a message names the note (made only for a message: reading its first field costs a parse)."""
        note = self.note
        first = cleaning.clean_cell(note.fields[0] if note.fields else "", True)[0].replace("\n", " ")
        if self.shape.kind == "occlusion" or not first:  # its first field is mask markup, or nothing
            first = f"guid {note.guid}"
        return f"{self.notetype.name} note {first[:40]!r}"

    def notes(self) -> list[ImportedNote]:
        if not self.cards:
            self.report.skip(self.number, f"{self.label}: it has no cards")
            return []
        if defined := self._defined():
            made = [defined]
        elif self.shape.kind == "occlusion":
            made = [note] if (note := self._occlusion()) else []
        elif self.shape.kind == "cloze":
            made = self._cloze()
        elif self.shape.kind == "reverse" and self._both_cards:
            made = [note] if (note := self._answered("reverse", self._pair_cards)) else []
        # only quiz's own Basic (its hidden field tells): another note type of that shape keeps its rendered back,
        # labels and all (what Anki shows); an empty answer too
        elif (
            self.shape.kind == "basic" and self.defining and self._face(self.fields[self.shape.back_field], self.images)
        ):
            made = [note] if (note := self._answered("basic", self.cards[:1])) else []
        else:
            made = [note for card in self.cards if (note := self._card(card))]
            if made and self.shape_before is not None and self._both_cards:
                self._read_as_reverse_before(self.shape_before)
        made = self._finished(made, defined is not None)
        if self.earlier is not None:
            self.earlier = self._finished([self.earlier], False)[0]
        for what in sorted(self.dropped) if made else ():  # a note not imported is reported once, above
            self.report.warn(self.number, f"{self.label}: {what}")
        return made

    def _finished(self, made: list[ImportedNote], defined: bool) -> list[ImportedNote]:
        """The notes made with what the whole note adds to each: the fields no template shows, the statement from
        outside its sources and the sources it cites."""
        if (unshown := self._unshown_text()) and not defined:  # nothing of the note is lost: after the answer
            made = [replace(note, explain="\n\n".join(t for t in (note.explain, unshown) if t)) for note in made]
        outside, siblings, cited = self.hidden.outside, self.hidden.siblings, self.hidden.cited
        if not (outside or siblings or cited):
            return made
        return [replace(note, outside=outside, sources=cited, siblings=siblings or note.siblings) for note in made]

    def _unshown_text(self) -> str:
        """The fields no template shows, each `Name: its text` (a name is untrusted text too: a control or bidi
        character in it would make a deck file that does not read back)."""
        return "\n\n".join(
            f"{self._name('the name of a field no template shows', name)}: {text}"
            for name in self.unshown
            if (text := self._clean(self.fields[name]))
        )

    def _clean(self, html: str) -> str:
        # quiz's own note type holds the text quiz wrote: a `\(x^2\)` in it is the user's, read back as written
        text, notes = cleaning.clean_cell(html, True, formulas=not self.defining)
        # a field's pictures are shown with its cards, its sounds kept beside them; a template's own (a shared
        # deck's logo) is not the note's
        self.dropped.update(n for n in notes if n not in (cleaning.IMAGE_DROPPED, cleaning.SOUND_KEPT))
        return text

    def _name(self, what: str, name: str) -> str:
        clean, notes = cleaning.clean_name(name)
        self.dropped.update(f"{what}: {note}" for note in notes)
        return clean

    def _face(self, html: str, pictures: tuple[str, ...]) -> str:
        """A side's text; one that is only a picture (`pictures`: those its card shows) says so, the picture being
        shown with the card."""
        return self._clean(html) or (NO_PICTURE_TEXT if pictures else "")

    def _pictures_in(self, *sides: str) -> tuple[str, ...]:
        """The note's pictures that a card's rendered `sides` show, in order: a template's own (a logo) is not the
        note's, and a picture in a field only another card shows is not this card's."""
        return tuple(dict.fromkeys(src for side in sides for src in image_sources(side) if src in self.images))

    def _imported(
        self,
        cards: Sequence[Card | None],
        kind: str,
        front: str,
        back: str,
        explain: str,
        suffix: str = "",
        pictures: tuple[str, ...] | None = None,
        on_question: Container[str] | None = None,
    ) -> ImportedNote:
        """`cards`: the Anki card behind each quiz card the note makes, in order (None: the package lacks it); the
        first gives the deck. `pictures`: those the cards show, when not every picture of the note. Those no card's
        question shows (`on_question`, when not the note's cards') come after the answer, as Anki shows them only
        once a card is turned."""
        home = next(card for card in (*cards, *self.cards) if card is not None).home_deck_id
        deck = self.decks.get(home, ())
        if home in self.renamed:
            self.renamed.remove(home)
            apart = ", numbered apart from a deck of the same name" if home in self.numbered else ""
            self.dropped.add(f"its deck {'::'.join(deck)!r}: {cleaning.REPLACED}{apart}")
        # a note has one topic: a card moved to another deck in Anki is studied in its first card's
        if elsewhere := [
            path for path in dict.fromkeys(self.decks.get(c.home_deck_id, ()) for c in cards if c) if path != deck
        ]:
            named = ", ".join(repr("::".join(path)) for path in elsewhere)
            self.dropped.add(f"its cards are in several decks: it comes in under {'::'.join(deck)!r}, not {named}")
        base = ids.id_from_guid(self.note.guid)
        # one of the notes an Anki note of several cards becomes card by card (its id the base and its card's
        # number): their cards are siblings, as in Anki, whichever of them the package holds
        siblings = base if suffix else ""
        anki_cards = tuple(NO_CARD if card is None else card.id for card in cards)
        pictures = self.images if pictures is None else pictures
        masked = pictures[:1] if kind == "occlusion" else ()  # the picture an occlusion masks is its question's
        if len(pictures) == len(masked):  # most notes: none, or none but the masked one
            answer_only: tuple[str, ...] = ()
        else:
            on_question = self.on_question if on_question is None else on_question
            answer_only = tuple(p for p in pictures if p not in on_question and p not in masked)
        return ImportedNote(
            self.number,
            kind,
            front,
            back,
            explain,
            self.tags,
            "",
            deck,
            base + suffix,
            "guid",
            self.note.guid,
            anki_cards=anki_cards,
            images=tuple(p for p in pictures if p not in answer_only),
            answer_images=answer_only,
            siblings=siblings,
            sounds=self.sounds,
        )

    def _defined(self) -> ImportedNote | None:
        """The note as quiz wrote it, from the definition in its hidden field (quiz's own .apkg)."""
        definition = self.hidden.definition
        if definition is None:
            return None
        made = KINDS[definition.kind].cards_of("", QuizNote("", definition.kind, definition.body))
        by_ord = {card.ord: card for card in self.cards}  # Anki's card n is quiz's card n (an occlusion's region)
        cards = [by_ord[n] for n in itertools.takewhile(by_ord.__contains__, range(len(made)))] or self.cards[:1]
        note = self._imported(cards, definition.kind, "", "", definition.explain)
        return replace(note, body=definition.body, outside=definition.outside, sources=self.hidden.cited)

    def _cloze(self) -> list[ImportedNote]:
        anki_text = self._clean(self.fields.get(self.shape.front_field, ""))
        text = cloze.from_anki(anki_text)
        if not text:
            self.report.skip(self.number, f"{self.label}: the cloze text is empty")
            return []
        # nested gaps, a gap that is only a picture, gaps that are not Anki's cards one to one: each card as Anki
        # shows it, with its history
        if problem := cleaning.cloze_problem(text) or cleaning.gaps_unlike_anki(anki_text, text):
            self.dropped.add(f"{problem}: {cleaning.CARD_BY_CARD}")
            made = [note for card in self.cards if (note := self._card(card))]
            if cleaning.read_as_one_cloze_before(anki_text, text):
                dropped = set(self.dropped)  # the warnings are of the note as it comes in: card by card
                earlier = self._one_cloze(anki_text, text)
                self.dropped = dropped
                self.earlier = earlier
            return made
        return [self._one_cloze(anki_text, text)]

    def _one_cloze(self, anki_text: str, text: str) -> ImportedNote:
        """The note as one cloze of `text` (Anki's `anki_text` converted), each gap with Anki's card of its number (none
        for a gap Anki reads as no gap)."""
        # what any side shows besides the text (Back Extra; a source the question shows above it) is kept
        shown = {name for t in self.notetype.templates for side in (t.front, t.back) for name in template_fields(side)}
        extra = [
            self._clean(self.fields[name])
            for name in self.notetype.fields
            if name != self.shape.front_field and name in shown
        ]
        numbers = cleaning.cloze_numbers(anki_text)
        cards = iter(self._cards_numbered(numbers))
        gap_cards = [next(cards) if number else None for number in cloze.anki_numbers(anki_text)]
        for card in self.cards:
            if card.ord + 1 not in numbers:  # its gap deleted since: Anki keeps the card, blank (Empty Cards)
                self.dropped.add(f"card {card.ord + 1}: the text has no gap c{card.ord + 1} (Anki shows it blank)")
        return self._imported(gap_cards, "cloze", text, "", "\n\n".join(e for e in extra if e))

    def _cards_numbered(self, numbers: Sequence[int]) -> list[Card | None]:
        """Anki's card of each gap or mask number (its ord + 1); None, named, where the package lacks it (an older
        Anki's deck export leaves out a card in a filtered deck): that quiz card comes in new, with no other's
        schedule."""
        by_ord = {card.ord: card for card in self.cards}
        for number in numbers:
            if number - 1 not in by_ord:
                self.dropped.add(f"card {number}: not in the package; it comes in as a new card")
        return [by_ord.get(number - 1) for number in numbers]

    def _occlusion(self) -> ImportedNote | None:
        """The masks (the field the cloze template reads, else the first), the picture, then the header and
        the extras in field order (Anki's Header, Back Extra, Comments)."""
        names = self.notetype.fields
        mask_field = next((n for t in self.notetype.templates if (n := filtered_field(t.front, "cloze"))), names[0])
        found, numbers, hide_all = occlusion.regions(self.fields.get(mask_field, ""))
        if not found:
            self.report.skip(self.number, f"{self.label}: it has no mask quiz can read")
            return None
        if not self.images:
            self.report.skip(self.number, f"{self.label}: its picture is missing")
            return None
        if len(self.images) > 1:  # the masked picture is the first; others are in Header or Back Extra
            self.dropped.add(f"{len(self.images) - 1} more picture(s) left out (an occlusion masks one picture)")
            self.images = self.images[:1]
        texts = [self._clean(self.fields[n]) for n in names if n != mask_field and not image_sources(self.fields[n])]
        front, extra = (texts[0], texts[1:]) if texts else ("", [])
        body = OcclusionBody(found, front, "" if hide_all else "one")
        region_cards = self._cards_numbered(numbers)  # a region per card, in card order
        for card in self.cards:
            if card.ord + 1 not in numbers:  # Anki's card of a label, or of a mask deleted since (an empty card)
                self.dropped.add(f"card {card.ord + 1}: no mask quiz can draw on it (a text label, or none left)")
        note = self._imported(region_cards, "occlusion", front, "", "\n\n".join(e for e in extra if e))
        return replace(note, body=body)

    @property
    def _both_cards(self) -> bool:
        """Whether Anki made both cards of a reverse pair (an optional reverse left empty has the first alone)."""
        return {card.ord for card in self.cards} >= {0, 1}

    @property
    def _pair_cards(self) -> list[Card]:
        return [card for card in self.cards if card.ord in (0, 1)]

    def _answered(self, kind: str, cards: list[Card]) -> ImportedNote | None:
        """A reverse or basic note from its shape's fields: the question, the answer, then the explanation."""
        note = self._of_fields(kind, cards, self.shape)
        if note is None:
            self.report.skip(self.number, f"{self.label}: a side is empty once its HTML is read")
        return note

    def _of_fields(self, kind: str, cards: list[Card], shape: Shape) -> ImportedNote | None:
        """The note of `shape`'s fields (None when a side is empty): the question, the answer, the explanation."""
        front = self._face(self.fields[shape.front_field], self.images)
        back = self._face(self.fields[shape.back_field], self.images)
        if not front or not back:
            return None
        extra = [self._clean(self.fields[name]) for name in shape.extra_fields]
        ordered = sorted(cards, key=lambda card: card.ord)
        return self._imported(ordered, kind, front, back, "\n\n".join(e for e in extra if e))

    def _read_as_reverse_before(self, shape: Shape) -> None:
        """Give the note as a quiz older than the rule on words read it (`shape`: one reverse note of its two
        fields), read card by card now, with why: a deck that earlier quiz imported keeps it so while Anki does not
        change it (quiz.core.importers.target). The warnings are of the note as it comes in: card by card."""
        self.was_reverse = True
        dropped = set(self.dropped)
        earlier = self._of_fields("reverse", self._pair_cards, shape)
        self.dropped = dropped
        if earlier is None:
            return
        self.earlier = earlier
        words = "its note type's templates add words of their own to its fields"
        self.earlier_warning = f"{words}: {cleaning.CARD_BY_CARD}"

    def _template(self, card: Card) -> Template | None:
        number = 0 if self.shape.kind == "cloze" else card.ord  # a cloze's cards all use its one template
        return next((t for t in self.notetype.templates if t.ord == number), None)

    @cached_property
    def on_question(self) -> frozenset[str]:
        """The note's pictures a question shows, on any of its cards: its front template rendered."""
        shown: set[str] = set()
        for card in self.cards:
            if (template := self._template(card)) is not None:
                question = render(template.front, self._specials(card, template), Side(card.ord + 1, question=True))
                shown.update(self._pictures_in(question.html))
        return frozenset(shown)

    def _card(self, card: Card) -> ImportedNote | None:
        template = self._template(card)
        if template is None:
            self._skip(card, "its template is missing")
            return None
        values = self._specials(card, template)
        question = render(template.front, values, Side(card.ord + 1, question=True))
        answer = render(template.back, {**values, FRONT_SIDE: ""}, Side(card.ord + 1, question=False)).html
        answer = _ANSWER_MARK.split(answer, maxsplit=1)[-1]
        several = len(self.notetype.templates) > 1 or self.shape.kind == "cloze"  # a cloze's cards share one
        suffix = f"-{card.ord + 1}" if several else ""
        shown = self._pictures_in(question.html, answer, *(self.fields[name] for name in self.unshown))
        on_question = self._pictures_in(question.html)
        front = self._face(question.html, on_question)  # else blank in Anki: skipped
        if not front:
            self._skip(card, "nothing is left of the question once its HTML is read")
            return None
        if question.typed_field:
            expected = self._clean(self.fields.get(question.typed_field, ""))
            if not expected:
                self._skip(card, f"the answer to type ({question.typed_field}) is empty")
                return None
            explain = self._clean(answer)
            explain = "" if explain == expected else explain
            kind = "typed"
            if unmatchable := unmatchable_answer(f"the answer to type ({question.typed_field})", expected):
                # Anki compares it letter by letter; here no typed answer could match it: self-graded, its history
                # kept, its back the answer Anki shows in place of {{type:...}}
                self.dropped.add(f"card {card.ord + 1}: {unmatchable[0]}; it comes in as basic, self-graded")
                kind = "basic"
            return self._imported([card], kind, front, expected, explain, suffix, shown, on_question)
        back = self._face(answer, shown)  # an image-only note's back is often empty: its picture is the answer
        if not back:  # Anki shows such a card, the answer left to the student: it comes, with its history
            self.dropped.add(f"card {card.ord + 1}: its answer is empty in Anki; its back reads {NO_ANSWER_TEXT}")
            back = NO_ANSWER_TEXT
        return self._imported([card], "basic", front, back, "", suffix, shown, on_question)

    def _skip(self, card: Card, why: str) -> None:
        self.report.skip(self.number, f"{self.label}, card {card.ord + 1}: {why}")

    def _specials(self, card: Card, template: Template) -> dict[str, str]:
        """The note's fields and Anki's special fields (https://docs.ankiweb.net/templates/fields.html)."""
        deck = self.decks.get(card.home_deck_id, ())
        return {
            **self.fields,
            "Tags": " ".join(self.tags),
            "Type": self.notetype.name,
            "Deck": "::".join(deck),
            "Subdeck": deck[-1] if deck else "",
            "Card": template.name,
            "CardFlag": f"flag{card.flag}" if card.flag else "",
        }
