"""A quiz deck file (what `quiz export FILE.yaml` writes): every card comes in as it is, checked by the loader."""

from __future__ import annotations

from quiz.core.decks import DECK_SUFFIXES, parse_deck
from quiz.core.importers.model import ImportedDeck, ImportedNote, ImportFailure, ImportOptions, ImportSource, Report
from quiz.core.problems import errors
from quiz.core.yamlsafe import MAX_BYTES


class YamlDeckReader:
    name = "yaml"
    suffixes = DECK_SUFFIXES
    max_bytes = MAX_BYTES  # what the deck loader reads

    def sniff(self, source: ImportSource, options: ImportOptions) -> bool:
        return False  # chosen by its suffix: YAML has no signature

    def read(self, source: ImportSource, options: ImportOptions, report: Report) -> ImportedDeck:
        loaded = parse_deck(source.data, source.name)
        report.problems.extend(p for p in loaded.problems if p.severity != "error")
        found = errors(loaded.problems)
        if loaded.deck is None or found:
            report.problems.extend(found)
            count = len(found)
            raise ImportFailure(
                f"{source.name} is not a valid deck ({count} problem{'s' * (count != 1)} above); fix it"
            )
        notes = [
            ImportedNote(
                note.line,
                note.kind,
                "",
                "",
                note.explain,
                note.tags,
                note.topic,
                (),
                note.id,
                "column",
                body=note.body,
                sources=note.sources,
                outside=note.outside,
            )
            for note in loaded.deck.notes
        ]
        return ImportedDeck(notes, loaded.deck)
