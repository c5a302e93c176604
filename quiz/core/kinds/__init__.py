"""The card kinds, one module each, registered here by name: a new kind is its module, one line below and its
name in quiz.core.kindnames (which a start reads without loading the kinds)."""

from __future__ import annotations

from quiz.core.kindnames import KIND_NAMES
from quiz.core.kinds.base import CardKind
from quiz.core.kinds.basic import Basic, Reverse
from quiz.core.kinds.choice import Choice, Multi, TrueFalse
from quiz.core.kinds.cloze import Cloze
from quiz.core.kinds.match import Match
from quiz.core.kinds.occlusion import Occlusion
from quiz.core.kinds.order import Order
from quiz.core.kinds.typed import Typed
from quiz.core.model import Note

_REGISTERED: tuple[CardKind, ...] = (  # one line per kind, in the order `quiz new` and the docs list them
    Basic(),
    Reverse(),
    Cloze(),
    Typed(),
    Choice(),
    Multi(),
    TrueFalse(),
    Order(),
    Match(),
    Occlusion(),
)
KINDS: dict[str, CardKind] = {kind.name: kind for kind in _REGISTERED}
if tuple(KINDS) != KIND_NAMES:  # the store numbers kinds by this order: a mismatch would misread saved states
    raise ImportError(f"quiz.core.kindnames.KIND_NAMES must list the registered kinds in order: {tuple(KINDS)}")

#: Kinds the app checks by itself; the others are revealed and self-graded.
OBJECTIVE_KINDS = frozenset(name for name, kind in KINDS.items() if kind.objective)

#: Kinds a spreadsheet row (a front and a back) can hold.
TABLE_KINDS = tuple(name for name, kind in KINDS.items() if kind.from_faces("", "") is not None)


def new_note(
    id: str,
    kind: str,
    *,
    topic: str = "",
    tags: tuple[str, ...] = (),
    explain: str = "",
    sources: tuple[str, ...] = (),
    line: int = 0,
    images: tuple[str, ...] = (),
    outside: str = "",
    answer_images: tuple[str, ...] = (),
    siblings: str = "",
    **own: object,
) -> Note:
    """A note from the fields every note has and its kind's own field values (front, options, ...)."""
    body = KINDS[kind].body(own)
    return Note(id, kind, body, topic, tags, explain, sources, line, images, outside, answer_images, siblings)
