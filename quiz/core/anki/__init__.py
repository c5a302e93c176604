"""Anki's package files (.apkg, .colpkg) of every generation, read without the `anki` package.

`package` opens the zip (its `meta`, its collection, its media map), `collection` reads the SQLite
collection of either schema into the plain values of `model`, `protobuf` decodes the few protobuf fields
Anki's current files need, `templates` renders a card's question and answer as Anki would, and
`structure` tells what a note type is by its templates, never by its name.
"""

PACKAGE_SUFFIXES = (".apkg", ".colpkg")  # Anki's "Anki Deck Package" and "Anki Collection Package"


def is_collection_package(name: str) -> bool:
    """Whether the file `name` is a collection package (.colpkg: her whole collection, every deck of it), as Anki
    tells the two apart: by the suffix alone (their contents are alike)."""
    return name.lower().endswith(".colpkg")
