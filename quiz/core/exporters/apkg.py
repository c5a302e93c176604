"""Deck -> .apkg (an Anki package) through genanki, with ids derived from the deck id so re-exports update.

Topics become sub-decks `Title::Topic title`. Basic, reverse, typed and cloze notes use Anki's matching
note types, occlusion notes a note type made as Anki's Image Occlusion is (its masks, one card per region);
the other kinds become Basic notes with the options on the front and the answer on the back. A note's
pictures go into the package's media and are shown at the end of the field its question shows (Front, a
cloze's Text, an occlusion's Image), so every card of the note shows them, as quiz does; the sound files its
`[sound:name]` references name go into the media too, so Anki plays them again.
Every note's guid is `quiz:<deck id>:<card id>`, so Anki updates (not duplicates) a re-imported deck and
`quiz import` gives back the same card ids from Anki's text export. A flagged card carries its flag into
Anki's `cards.flags`.

Every note type has a last field, `quiz`, that no template shows: a note Anki cannot hold as itself (the
quiz-only kinds, a typed card with other accepted answers) keeps its quiz definition there
(`quiz.core.notedefinition`), and any note its `outside:` and the sources it cites, which no Anki field holds
(the Sources field shows their titles). A typed card's other answers are also shown on its back ("Also accepted").
With `progress` (`quiz export --with-scheduling`), each card carries its schedule and its review log.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from quiz.core import cloze
from quiz.core.anki.collection import IMAGE_OCCLUSION
from quiz.core.anki.model import deck_name
from quiz.core.anki.occlusion import masks
from quiz.core.atomicfile import atomic_write
from quiz.core.exporters.ankischedule import LEECH_TAG, CardRow, Progress, Schedule
from quiz.core.exporters.apkgmedia import img_tags, package_files, package_names, sounds_in_package
from quiz.core.kinds import KINDS
from quiz.core.kinds.occlusion import Occlusion
from quiz.core.model import Card, Deck, Note
from quiz.core.notedefinition import FIELD, SOURCES_FIELD, definition_of
from quiz.core.sounds import with_sounds_renamed

_CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: center; color: black; background: white; }
.explain { margin-top: 1em; font-size: 16px; color: #444; }
.accepted { margin-top: 0.5em; font-size: 16px; color: #444; }
.sources { margin-top: 0.5em; font-size: 13px; color: #777; }
.nightMode .explain, .nightMode .accepted, .nightMode .sources { color: #bbb; }
"""
_SOURCES = f"{{{{#{SOURCES_FIELD}}}}}<div class=sources>{{{{{SOURCES_FIELD}}}}}</div>{{{{/{SOURCES_FIELD}}}}}"
_EXTRA = "{{#Explanation}}<div class=explain>{{Explanation}}</div>{{/Explanation}}" + _SOURCES
if TYPE_CHECKING:
    import genanki

_FRONT_BACK, _CLOZE = 0, 1  # genanki.Model.FRONT_BACK, genanki.Model.CLOZE
_FIELDS = [{"name": "Front"}, {"name": "Back"}, {"name": "Explanation"}, {"name": SOURCES_FIELD}, {"name": FIELD}]
_ACCEPTED = "Also accepted"
_TYPED_FIELDS = [*_FIELDS[:4], {"name": _ACCEPTED}, {"name": FIELD}]
#: Anki's Image Occlusion fields, which its editor knows by their tags (0-3), then quiz's.
_OCCLUSION_FIELDS: list[dict[str, Any]] = [
    *(
        {"name": name, "tag": tag, "preventDeletion": True}
        for tag, name in enumerate(("Occlusion", "Image", "Header", "Back Extra"))
    ),
    {"name": SOURCES_FIELD},
    {"name": FIELD},
]
#: What Anki's Image Occlusion reviewer needs in a template: the masks rendered (hidden), the picture in
#: `#image-occlusion-container` with a `#image-occlusion-canvas`, and its script started.
_OCCLUSION_FRONT = """{{#Header}}<div>{{Header}}</div>{{/Header}}
<div style="display: none">{{cloze:Occlusion}}</div>
<div id="err"></div>
<div id="image-occlusion-container">{{Image}}<canvas id="image-occlusion-canvas"></canvas></div>
<script>
try { anki.imageOcclusion.setup(); }
catch (exc) { document.getElementById("err").textContent = "Image Occlusion needs Anki 23.10 or later: " + exc; }
</script>
"""
#: The mask colours Anki's script reads from the note type's CSS, as its own Image Occlusion type sets them: the
#: asked region red and the others yellow, as quiz draws them too.
_OCCLUSION_CSS = (
    _CSS + "#image-occlusion-canvas { --active-shape-color: #ff8e8e; --inactive-shape-color: #ffeba2;"
    " --active-shape-border: 1px #212121; --inactive-shape-border: 1px #212121;"
    " --highlight-shape-color: #ff8e8e00; --highlight-shape-border: 1px #ff8e8e; }\n"
)
_OCCLUSION_BACK = (
    _OCCLUSION_FRONT + '<div><button id="toggle">Toggle Masks</button></div>'
    "{{#Back Extra}}<div class=explain>{{Back Extra}}</div>{{/Back Extra}}" + _SOURCES
)


def stable_id(*parts: str) -> int:
    """An id in genanki's recommended range [2**30, 2**31), the same for the same parts every time."""
    digest = hashlib.blake2b("\0".join(("quiz", *parts)).encode(), digest_size=8).digest()
    return (1 << 30) + int.from_bytes(digest, "big") % (1 << 30)


def guid(deck_id: str, note_id: str) -> str:
    return f"quiz:{deck_id}:{note_id}"


def _html(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


def _models(deck_id: str) -> dict[str, genanki.Model]:
    from quiz.core.exporters.ankirows import QuizModel  # here, not at the top: only an .apkg export loads genanki

    def model(
        role: str,
        name: str,
        templates: list[dict[str, str]],
        fields: list[dict[str, Any]] = _FIELDS,
        kind: int = _FRONT_BACK,
        stock_kind: int | None = None,
        css: str = _CSS,
    ) -> genanki.Model:
        return QuizModel(
            stable_id("model", deck_id, role),
            f"{name} (quiz {deck_id})",
            fields,
            templates,
            css,
            kind,
            stock_kind=stock_kind,
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
                    + _SOURCES,
                }
            ],
            [{"name": "Text"}, {"name": "Back Extra"}, {"name": SOURCES_FIELD}, {"name": FIELD}],
            _CLOZE,
        ),
        "occlusion": model(
            "occlusion",
            "Image Occlusion",
            [{"name": "Image Occlusion", "qfmt": _OCCLUSION_FRONT, "afmt": _OCCLUSION_BACK}],
            _OCCLUSION_FIELDS,
            _CLOZE,
            IMAGE_OCCLUSION,
            _OCCLUSION_CSS,
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


def _fields(deck: Deck, note: Note, pictures: Mapping[str, str]) -> list[str]:
    """The note's Anki fields; `pictures`: each picture's name in the package."""
    cited = tuple(s for source_id in note.sources if (s := deck.source(source_id)))
    sources = "; ".join(_html(s.title) for s in cited)
    kind = KINDS[note.kind]
    front, back = kind.anki_faces(note)  # a cloze's front is its text in quiz's markup
    definition = _html(definition_of(note, cited))
    shown = img_tags(pictures[image] for image in note.images)
    below = f"<br>{shown}" if shown else ""  # under the question's text
    # those shown once the answer is: in the explanation's field, which every template shows on the back only
    after = img_tags(pictures[image] for image in note.answer_images)
    explain = "<br>".join(part for part in (_html(note.explain), after) if part)
    if isinstance(kind, Occlusion):
        body = kind.body_of(note)
        occluded = masks(body.regions, kind.hides_all(note))
        return [occluded, shown, _html(body.front), explain, sources, definition]
    if kind.anki_note_type == "cloze":
        return [cloze_text(front) + below, explain, sources, definition]
    fields = [_html(front) + below, _html(back), explain, sources]
    if kind.anki_note_type == "typed":  # the typed note type shows the other right answers
        accepted = kind.field_values(note).get("accept", ())
        fields.append("<br>".join(_html(a) for a in accepted))
    return [*fields, definition]


_COLONS = re.compile(r"::+")  # Anki's nesting mark, and any longer run of colons


def _anki_deck_part(title: str, fallback: str) -> str:
    """A deck's (or topic's) name as one part of an Anki deck name: Anki reads `::` as nesting, so a title's runs of
    colons become one and a colon at either end goes (`a:` then `::b` would read `a`, `:b`); `fallback` (its id)
    for a title of colons only."""
    return _COLONS.sub(":", deck_name(title)).strip(": ") or fallback


def _subdeck_names(deck: Deck) -> dict[str, str]:
    """Each topic's subdeck name: Anki keeps one deck per name whatever its case (two topics titled `Cardio` and
    `cardio` would share one, or be renamed `cardio_`), so a name an earlier topic or a title has is numbered
    apart: `cardio (2)`."""
    wanted = {topic: _anki_deck_part(deck.topic_title(topic), topic) for topic in deck.topic_ids()}
    titled = {name.casefold() for name in wanted.values()}  # a topic's own title keeps its name
    taken: set[str] = set()
    names = {}
    for topic, name in wanted.items():
        number, named = 1, name
        while named.casefold() in taken or (number > 1 and named.casefold() in titled):
            number += 1
            named = f"{name} ({number})"
        taken.add(named.casefold())
        names[topic] = named
    return names


def _anki_ord(card: Card, role: str) -> int:
    """The card's `ord` in Anki: a template's number (front 0, reversed back 1), a cloze gap's or an occlusion
    region's number less one."""
    return card.ordinal - 1 if role in ("cloze", "occlusion") else card.ordinal


def build_package(deck: Deck, flags: Mapping[str, int], progress: Progress | None = None) -> genanki.Package:
    import genanki

    from quiz.core.exporters.ankirows import QuizCard, QuizPackage

    pictures = package_names(deck)
    sounds = sounds_in_package(deck, pictures)
    renamed = {name: in_package for name, (in_package, _) in sounds.items() if name != in_package}
    models = _models(deck.id)
    title = _anki_deck_part(deck.title, deck.id)
    root = genanki.Deck(stable_id("deck", deck.id), title, _html(deck.description))
    subdecks = {
        topic: genanki.Deck(stable_id("deck", deck.id, topic), f"{title}::{name}")
        for topic, name in _subdeck_names(deck).items()
    }
    cards_of: dict[str, list[Card]] = {}
    for card in deck.cards:
        cards_of.setdefault(card.note.id, []).append(card)
    schedule = Schedule(progress) if progress else None
    positions = itertools.count(1)  # a new card's place in Anki: the deck's order, with scheduling or without
    for note in deck.notes:
        role = KINDS[note.kind].anki_note_type
        cards = {_anki_ord(c, role): c for c in cards_of.get(note.id, [])}
        leech = schedule is not None and any(schedule.state(c).leech for c in cards.values())
        target = subdecks[note.topic] if note.topic else root
        anki_note = genanki.Note(
            model=models[role],
            fields=_fields(deck, with_sounds_renamed(note, renamed) if renamed else note, pictures),
            tags=_tags(note, leech),
            guid=guid(deck.id, note.id),
        )
        written = []
        # a cloze gap nothing typed can match makes no card in quiz (cloze.unmatchable_gaps): new in Anki
        first = None if role == "cloze" or not cards else min(cards.items())[1]
        for anki_card in anki_note.cards:  # genanki makes a card for each template, gap or mask, as quiz does,
            ours = cards.get(anki_card.ord, first)  # but a note Anki holds as one basic card (a choice) has one
            position = next(positions)
            row, revlog = schedule.rows(ours, position) if schedule and ours else (CardRow(due=position), [])
            written.append(QuizCard(anki_card.ord, flags.get(ours.key, 0) if ours else 0, row, revlog))
        anki_note.cards = written
        target.add_note(anki_note)
    return QuizPackage(
        [root, *subdecks.values()],
        schedule.days.collection_config() if schedule else None,
        package_files(deck, pictures) | {in_package: path for in_package, path in sounds.values()},
    )


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
    ) -> int:
        with atomic_write(path) as binary:
            write_apkg(deck, binary, timestamp, flags, progress)
        return 0
