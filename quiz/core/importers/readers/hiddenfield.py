"""What the hidden `quiz` field of quiz's note types says of its note (quiz.core.notedefinition), read the one way
for both readers of Anki's notes: a package's field and a text export's column, each HTML-escaped as Anki keeps
it (a text export without "include HTML" has read its entities already)."""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import astuple, dataclass

from quiz.core.decks import source_problem
from quiz.core.importers import cleaning
from quiz.core.model import Source
from quiz.core.notedefinition import Definition, outside_in, read_definition, siblings_in, sources_in


@dataclass(frozen=True)
class HiddenField:
    definition: Definition | None  # the whole note, when Anki's faces cannot give it back; else None
    outside: str  # its statement from outside its sources
    siblings: str  # the id it shares with its siblings' notes
    # the sources it cites, as its deck declares them, cleaned as any text: one the deck's `sources:` could not
    # hold (edited in Anki: a bad id, an empty or too long title) is left out, so the rest of the deck comes in
    sources: tuple[Source, ...]
    dropped: tuple[str, ...]  # what was left out or changed of them, each to be said once with the note

    @property
    def cited(self) -> tuple[str, ...]:
        return tuple(source.id for source in self.sources)


NO_HIDDEN_FIELD = HiddenField(None, "", "", (), ())


def read_hidden_field(field: str, escaped: bool = True) -> HiddenField:
    """The hidden field `field` read; `escaped`: as Anki keeps it, HTML-escaped."""
    text = html.unescape(field) if escaped else field
    kept: dict[str, Source] = {}
    dropped: list[str] = []
    for declared in sources_in(text):
        parts = []
        for part in astuple(declared):
            clean, notes = cleaning.clean_name(part)
            dropped += [f"source {declared.id!r}: {note}" for note in notes]
            parts.append(clean)
        source = Source(*parts)
        if problem := source_problem(source):
            dropped.append(f"source {source.id!r} is left out: {problem}")
        else:
            kept.setdefault(source.id, source)
    return HiddenField(read_definition(text), outside_in(text), siblings_in(text), tuple(kept.values()), tuple(dropped))


def declared_otherwise(declared: dict[str, Source], sources: tuple[Source, ...]) -> Iterator[str]:
    """Each of `sources` added to `declared` (the deck declares each id once, the first note's declaration kept);
    why, for each one an earlier note declared otherwise."""
    for source in sources:
        first = declared.setdefault(source.id, source)
        if first != source:
            yield (
                f"source {source.id!r} is declared otherwise by an earlier note ({first.title!r}); the earlier"
                " declaration is kept"
            )
