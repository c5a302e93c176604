"""Deck -> .apkg (an Anki package) through genanki, with ids derived from the deck id so re-exports update.

Topics become sub-decks `Title::Topic title`. Basic, reverse, typed and cloze notes use Anki's matching
note types; the other kinds become Basic notes with the options on the front and the answer on the back.
Every note's guid is `quiz:<deck id>:<card id>`, so Anki updates (not duplicates) a re-imported deck and
`quiz import` gives back the same card ids from Anki's text export. A flagged card carries its flag into
Anki's `cards.flags`.

Every note type has a last field, `quiz`, that no template shows: a note Anki cannot hold as itself (the
quiz-only kinds, a typed card with other accepted answers) keeps its quiz definition there
(`quiz.core.notedefinition`). A typed card's other answers are also shown on its back ("Also accepted").
With `progress` (`quiz export --with-scheduling`), each card carries its schedule and its review log.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from quiz.core import cloze
from quiz.core.atomicfile import atomic_write
from quiz.core.exporters.ankischedule import LEECH_TAG, Progress, Schedule
from quiz.core.kinds import KINDS
from quiz.core.model import Card, Deck, Note
from quiz.core.notedefinition import FIELD, definition_of

_CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: center; color: black; background: white; }
.explain { margin-top: 1em; font-size: 16px; color: #444; }
.accepted { margin-top: 0.5em; font-size: 16px; color: #444; }
.sources { margin-top: 0.5em; font-size: 13px; color: #777; }
.nightMode .explain, .nightMode .accepted, .nightMode .sources { color: #bbb; }
"""
_EXTRA = (
    "{{#Explanation}}<div class=explain>{{Explanation}}</div>{{/Explanation}}"
    "{{#Sources}}<div class=sources>{{Sources}}</div>{{/Sources}}"
)
if TYPE_CHECKING:
    import genanki

_FRONT_BACK, _CLOZE = 0, 1  # genanki.Model.FRONT_BACK, genanki.Model.CLOZE
_FIELDS = [{"name": "Front"}, {"name": "Back"}, {"name": "Explanation"}, {"name": "Sources"}, {"name": FIELD}]
_ACCEPTED = "Also accepted"
_TYPED_FIELDS = [*_FIELDS[:4], {"name": _ACCEPTED}, {"name": FIELD}]


def stable_id(*parts: str) -> int:
    """An id in genanki's recommended range [2**30, 2**31), the same for the same parts every time."""
    digest = hashlib.blake2b("\0".join(("quiz", *parts)).encode(), digest_size=8).digest()
    return (1 << 30) + int.from_bytes(digest, "big") % (1 << 30)


def guid(deck_id: str, note_id: str) -> str:
    return f"quiz:{deck_id}:{note_id}"


def _html(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


def _deck_name(text: str) -> str:
    return " ".join(text.split())


def _models(deck_id: str) -> dict[str, genanki.Model]:
    import genanki  # here, not at the top: only an .apkg export pays for loading it

    def model(
        role: str,
        name: str,
        templates: list[dict[str, str]],
        fields: list[dict[str, str]] = _FIELDS,
        kind: int = _FRONT_BACK,
    ) -> genanki.Model:
        return genanki.Model(
            stable_id("model", deck_id, role), f"{name} (quiz {deck_id})", fields, templates, _CSS, kind
        )

    return {
        "basic": model(
            "basic",
            "Basic",
            [{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}" + _EXTRA}],
        ),
        "reverse": model(
            "reverse",
            "Basic (and reversed card)",
            [
                {"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}" + _EXTRA},
                {"name": "Card 2", "qfmt": "{{Back}}", "afmt": "{{FrontSide}}<hr id=answer>{{Front}}" + _EXTRA},
            ],
        ),
        "typed": model(
            "typed",
            "Basic (type in the answer)",
            [
                {
                    "name": "Card 1",
                    "qfmt": "{{Front}}<br><br>{{type:Back}}",
                    "afmt": "{{Front}}<hr id=answer>{{type:Back}}"
                    f"{{{{#{_ACCEPTED}}}}}<div class=accepted>also accepted: {{{{{_ACCEPTED}}}}}</div>"
                    f"{{{{/{_ACCEPTED}}}}}" + _EXTRA,
                }
            ],
            _TYPED_FIELDS,
        ),
        "cloze": model(
            "cloze",
            "Cloze",
            [
                {
                    "name": "Cloze",
                    "qfmt": "{{cloze:Text}}",
                    "afmt": "{{cloze:Text}}{{#Back Extra}}<div class=explain>{{Back Extra}}</div>{{/Back Extra}}"
                    "{{#Sources}}<div class=sources>{{Sources}}</div>{{/Sources}}",
                }
            ],
            [{"name": "Text"}, {"name": "Back Extra"}, {"name": "Sources"}, {"name": FIELD}],
            _CLOZE,
        ),
    }


def cloze_text(text: str) -> str:
    """quiz gaps `{{answer::hint}}` -> Anki `{{c1::answer::hint}}`, one c-number per gap (one card each)."""
    parts, last = [], 0
    for number, gap in enumerate(cloze.find_gaps(text), start=1):
        parts.append(_html(text[last : gap.start]))
        hint = f"::{_html(gap.hint)}" if gap.hint else ""
        parts.append(f"{{{{c{number}::{_html(gap.answer)}{hint}}}}}")
        last = gap.end
    parts.append(_html(text[last:]))
    return "".join(parts)


def _tags(note: Note, leech: bool) -> list[str]:
    tags = ["_".join(tag.split()) for tag in note.tags] + [LEECH_TAG] * leech
    return list(dict.fromkeys(t for t in tags if t))


def _fields(deck: Deck, note: Note) -> list[str]:
    sources = "; ".join(_html(s.title) for cited in note.sources if (s := deck.source(cited)))
    front, back = KINDS[note.kind].anki_faces(note)  # a cloze's front is its text in quiz's markup
    definition = _html(definition_of(note))
    if KINDS[note.kind].anki_note_type == "cloze":
        return [cloze_text(front), _html(note.explain), sources, definition]
    fields = [_html(front), _html(back), _html(note.explain), sources]
    if KINDS[note.kind].anki_note_type == "typed":  # the typed note type shows the other right answers
        accepted = KINDS[note.kind].field_values(note).get("accept", ())
        fields.append("<br>".join(_html(a) for a in accepted))
    return [*fields, definition]


def _anki_ord(card: Card, role: str) -> int:
    """The card's `ord` in Anki: a template's number (front 0, reversed back 1), a cloze gap's number less one."""
    return card.ordinal - 1 if role == "cloze" else card.ordinal


def build_package(deck: Deck, flags: Mapping[str, int], progress: Progress | None = None) -> genanki.Package:
    import genanki

    from quiz.core.exporters.ankirows import QuizCard, QuizPackage

    models = _models(deck.id)
    title = _deck_name(deck.title)
    root = genanki.Deck(stable_id("deck", deck.id), title, _html(deck.description))
    subdecks: dict[str, genanki.Deck] = {}
    for topic in deck.topic_ids():
        subdecks[topic] = genanki.Deck(
            stable_id("deck", deck.id, topic), f"{title}::{_deck_name(deck.topic_title(topic))}"
        )
    cards_of: dict[str, list[Card]] = {}
    for card in deck.cards:
        cards_of.setdefault(card.note.id, []).append(card)
    schedule = Schedule(progress) if progress else None
    for note in deck.notes:
        role = KINDS[note.kind].anki_note_type
        cards = {_anki_ord(c, role): c for c in cards_of.get(note.id, [])}
        leech = schedule is not None and any(schedule.state(c).leech for c in cards.values())
        target = subdecks[note.topic] if note.topic else root
        anki_note = genanki.Note(
            model=models[role], fields=_fields(deck, note), tags=_tags(note, leech), guid=guid(deck.id, note.id)
        )
        written = []
        first = min(cards.items())[1]
        for anki_card in anki_note.cards:  # genanki makes a card for each template or gap, as quiz does, but
            card = cards.get(anki_card.ord, first)  # a note Anki holds as one basic card (an occlusion) has one
            row, revlog = schedule.rows(card) if schedule else (None, [])
            written.append(QuizCard(anki_card.ord, flags.get(card.key, 0), row, revlog))
        anki_note.cards = written
        target.add_note(anki_note)
    return QuizPackage([root, *subdecks.values()], schedule.days.collection_config() if schedule else None)


def write_apkg(
    deck: Deck, out: BinaryIO, timestamp: float, flags: Mapping[str, int], progress: Progress | None = None
) -> None:
    """`timestamp` (the injected clock's) stamps the notes' modification times, never the ids."""
    build_package(deck, flags, progress).write_to_file(out, timestamp=timestamp)  # any seekable binary stream


class ApkgWriter:
    name = "Anki package"
    suffixes = (".apkg",)

    def write(
        self, deck: Deck, path: Path, timestamp: float, flags: Mapping[str, int], progress: Progress | None = None
    ) -> None:
        with atomic_write(path) as binary:
            write_apkg(deck, binary, timestamp, flags, progress)
