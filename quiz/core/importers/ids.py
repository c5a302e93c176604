"""Stable ids for imported notes, topics and decks: the same input always gives the same ids.

A note's id comes, in this order, from an id column, from an Anki guid (`quiz:<deck>:<id>` guids written
by `quiz export` give back the original id), or from its front: a slug of the front plus a short hash of
it, so editing the back keeps the id and re-importing an edited file keeps the history of unchanged rows.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection

from quiz.core.ids import ID_PATTERN, is_id, numbered_id

QUIZ_GUID = re.compile(rf"quiz:({ID_PATTERN}):({ID_PATTERN})\Z")


def short_hash(text: str, length: int = 6) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()[:length]


def slugify(text: str, max_length: int = 40) -> str:
    """ASCII letters and digits joined by '-', lowercased; '' when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def deck_id_from_name(name: str) -> str:
    """The id of the deck a file named `name` makes: its slug, with a short hash of the name when letters of it
    have no Latin form (薬理学, Pharma 护理学), so that two names written in another script make two decks, not
    one. The same name, composed or not (NFD on macOS), gives the same id at every import."""
    slug = slugify(name, 60)
    decomposed = unicodedata.normalize("NFKD", name)
    if slug and all(ch.isascii() for ch in decomposed if ch.isalnum()):
        return slug
    return f"{slug[:50] or 'imported'}-{short_hash(unicodedata.normalize('NFC', name))}"


def _key(text: str) -> str:
    """What a front is hashed on: case and spacing do not matter."""
    return " ".join(text.split()).casefold()


def id_from_front(front: str) -> str:
    return f"{slugify(front) or 'card'}-{short_hash(_key(front))}"


def id_from_guid(guid: str) -> str:
    match = QUIZ_GUID.match(guid)
    if match:
        return match.group(2)
    return f"anki-{short_hash(guid, 10)}"


def deck_of_guid(guid: str) -> str | None:
    match = QUIZ_GUID.match(guid)
    return match.group(1) if match else None


def id_from_text(text: str) -> str:
    """An id for any text: itself when it is a valid id, else a slug with a hash."""
    text = text.strip()
    return text if is_id(text) else f"{slugify(text) or 'id'}-{short_hash(text)}"


def topic_id(title: str) -> str:
    return slugify(title, 60) or f"topic-{short_hash(title)}"


class Unique:
    """Hands out ids, suffixing -2, -3 ... to one already given."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, wanted: str) -> str:
        candidate = numbered_id(wanted, self.used.__contains__)
        self.used.add(candidate)
        return candidate


def numbered_title(title: str, taken: Collection[str]) -> str:
    """`title`, or when another has it, the first of "Title (2)", "Title (3)" ... none has."""
    number, candidate = 1, title
    while candidate in taken:
        number += 1
        candidate = f"{title} ({number})"
    return candidate
