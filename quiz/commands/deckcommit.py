"""The note a command that writes a deck adds when the deck folder lies in the git clone sync goes through
(docs/sync.md, "Decks in the repository"): sync commits its own files only, so a deck imported or added there
reaches the other machines only once she commits it."""

from __future__ import annotations

from pathlib import Path

from quiz.core.store import Store
from quiz.core.syncgit import clone_top, uncommitted
from quiz.core.text import shell_word


def uncommitted_note(store: Store, deck_folder: Path) -> str | None:
    """What to say of `deck_folder` (the folder the deck was written in) when it is in the sync clone and differs
    from its last commit there; None otherwise."""
    folder = store.sync_folder()
    if folder is None or not folder.is_dir() or (top := clone_top(folder)) is None:
        return None
    place = deck_folder.resolve()
    if not place.is_relative_to(top) or not uncommitted(top, place):
        return None
    git = f"git -C {shell_word(top)}"
    inside = shell_word(place.relative_to(top).as_posix())
    return (
        f"note: the deck is in the git clone {top}, which sync goes through, and not committed there: your other"
        f" machines get it once it is (`{git} add -- {inside} && {git} commit -m 'quiz decks'`; the next sync"
        " pushes it)"
    )
