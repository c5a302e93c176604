"""Random sequences of imports of a shared deck's versions, her own export of the deck imported back, and her
changes in between (a drawing on a picture, a picture of her own and a note showing it, a note edited, deleted,
or pointed at a picture of hers), each import with or without --replace and --remove-missing. After each import:

- every file she wrote is still there, with her bytes, unless the import's output names it (a conflict);
- her edit of a note, and a note she deleted, stay so unless the output names the note (a conflict, which
  --replace takes, or a note gone from the package that --remove-missing removes): --replace takes only what
  the package changed, and names each; a note she deleted that a shared version lacks too is deleted by both
  (a later version holding it again brings it as new), unlike one her own export lacks;
- a note of her own (added in quiz) stays, whatever the flags (--remove-missing removes only the package's);
- every note of the package shows the package's picture in each place (the same bytes), or her drawing on it;
- a note the package does not hold shows what it showed, the same file with the same bytes;
- the deck is found by its notes' GUIDs, whichever file came before (the first import alone names it).

The packages are Anki's own (tests/data/anki/pictures and tests/data/anki/moved); the seeds are fixed, so a
failure is the same at every run. Slow: each sequence imports about ten times."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from quiz.core.decks import parse_deck
from quiz.core.importers import import_file
from tests.conftest import run_cli as run

pytestmark = pytest.mark.slow

ANKI = Path(__file__).parents[1] / "data" / "anki"
VERSIONS = {
    "pictures": [ANKI / "pictures" / f"{name}.apkg" for name in ("v1", "v2", "v3", "v4", "clash-first")],
    **{deck: [ANKI / "moved" / f"{deck}-v{n}.apkg" for n in (1, 2)] for deck in ("added", "swapped", "replaced")},
}
_ORGAN = re.compile(r"Name this organ \((.+)\)")
_CARD = "\n  - id:"  # where each card of a deck file quiz wrote begins
STEPS = 10
SEEDS = range(30)


def package_pictures(package: Path) -> dict[str, list[bytes]]:
    """Each note's pictures as the package holds them, by the organ its question names."""
    result = import_file(package)
    return {
        found[1]: [result.media[path].read() for path in note.all_images]
        for note in result.notes
        if (found := _ORGAN.fullmatch(note.body.front))
    }


@dataclass
class Her:
    """What she changed, as she would remember it."""

    files: dict[Path, bytes] = field(default_factory=dict)  # drawn on, or put there
    own_files: list[Path] = field(default_factory=list)  # put there herself: her notes may point at them
    backs: dict[str, str] = field(default_factory=dict)  # organ -> the back she wrote
    pointed: dict[str, str] = field(default_factory=dict)  # organ -> the picture of hers she made it show
    deleted: set[str] = field(default_factory=set)
    own_notes: set[str] = field(default_factory=set)  # the fronts of the notes she added


class Sequence:
    def __init__(self, data: Path, capsys: pytest.CaptureFixture[str], versions: list[Path], seed: int) -> None:
        self.data, self.capsys, self.versions = data, capsys, versions
        self.random = random.Random(seed)
        self.deck_file = data / "decks" / "anatomy.yaml"
        self.media = data / "decks" / "anatomy-media"
        self.her = Her()
        self.log: list[str] = []

    def run(self) -> None:
        self.quiz_import(self.random.choice(self.versions))
        for _ in range(STEPS):
            step = self.random.choice(["import", "import", "export", "draw", "own", "edit", "delete", "point"])
            if step == "import":
                self.quiz_import(self.random.choice(self.versions))
            elif step == "export":
                self.export_and_import_back()
            else:
                getattr(self, step)()

    def cards(self) -> list[str]:
        return self.deck_file.read_text(encoding="utf-8").split(_CARD)

    def write_cards(self, cards: list[str]) -> None:
        self.deck_file.write_text(_CARD.join(cards), encoding="utf-8")

    def organ_cards(self) -> list[tuple[int, str]]:
        return [(i, found[1]) for i, card in enumerate(self.cards()) if i and (found := _ORGAN.search(card))]

    def draw(self) -> None:
        pictures = sorted(self.media.glob("*.png"))
        if pictures:
            picture = self.random.choice(pictures)
            self.her.files[picture] = _drawn_on(picture, self.random.randrange(16))
            self.log.append(f"she draws on {picture.name}")

    def own(self) -> None:
        name = self.random.choice(["renal.png", "lung-2.png", "heart-2.png", "kidney.png", "mine.png", "Brain.png"])
        pictures = sorted(self.media.glob("*.png"))
        picture = self.media / name
        if picture.exists() or not pictures:
            return
        picture.write_bytes(self.random.choice(pictures).read_bytes())
        self.her.files[picture] = _drawn_on(picture, 15)
        self.her.own_files.append(picture)
        if self.random.random() < 0.5:
            number = len(self.her.own_files)
            own = f" mine{number}\n    kind: basic\n    front: Mine {number}\n    back: x\n"
            own += f"    image: anatomy-media/{name}\n"
            self.write_cards([*self.cards(), own])
            self.her.own_notes.add(f"Mine {number}")
        self.log.append(f"she puts {name} there")

    def edit(self) -> None:
        if choices := self.organ_cards():
            at, organ = self.random.choice(choices)
            cards = self.cards()
            back = f"her back {len(self.log)}"
            cards[at] = re.sub(r"back: .*", f"back: {back}", cards[at], count=1)
            self.write_cards(cards)
            self.her.backs[organ] = back
            self.log.append(f"she edits {organ}")

    def delete(self) -> None:
        if len(choices := self.organ_cards()) > 1:
            at, organ = self.random.choice(choices)
            cards = self.cards()
            del cards[at]
            self.write_cards(cards)
            self.her.deleted.add(organ)
            self.her.backs.pop(organ, None)
            self.her.pointed.pop(organ, None)
            self.log.append(f"she deletes {organ}")

    def point(self) -> None:
        choices = [(at, organ) for at, organ in self.organ_cards() if self.cards()[at].count("image:") == 1]
        if choices and (mine := [file for file in self.her.own_files if file.exists()]):
            at, organ = self.random.choice(choices)
            path = f"anatomy-media/{self.random.choice(mine).name}"
            cards = self.cards()
            cards[at] = re.sub(r"image: .*", f"image: {path}", cards[at], count=1)
            self.write_cards(cards)
            self.her.pointed[organ] = path
            self.log.append(f"she points {organ} at {path}")

    def export_and_import_back(self) -> None:
        if not self.organ_cards():
            return
        exported = self.data / "mine.apkg"
        code, _, err = run(
            self.capsys, "--data-dir", str(self.data), "export", "anatomy", "-o", str(exported), "--force"
        )
        assert code == 0, err
        self.quiz_import(exported)

    def quiz_import(self, package: Path) -> None:
        # each flag at every other import, so both together (what removes a note of hers gone from the package) at
        # a quarter: with 0.3 each, no sequence passed both to a shared version while she had a note of her own
        flags = [flag for flag in ("--replace", "--remove-missing") if self.random.random() < 0.5]
        before = self.shown() if self.deck_file.exists() else {}
        named = () if self.deck_file.exists() else ("--deck-id", "anatomy")  # then found by the notes' GUIDs
        args = ("--data-dir", str(self.data), "import", str(package), *named, *flags)
        code, out, err = run(self.capsys, *args)
        self.log.append(f"import {package.name} {' '.join(flags)}")
        assert code == 0, self.said(err)
        self.check(package_pictures(package), before, out + err, her_export=package.name == "mine.apkg")

    def shown(self) -> dict[str, tuple[str, str, list[tuple[str, bytes | None]]]]:
        """Each note by organ (or front): its id, its back, and its pictures with their files' bytes."""
        loaded = parse_deck(self.deck_file.read_bytes(), str(self.deck_file), check_files=False)
        assert loaded.deck is not None, self.said(str(loaded.problems))
        found = {}
        for note in loaded.deck.notes:
            organ = _ORGAN.fullmatch(note.body.front)
            pictures = [(path, _bytes(self.deck_file.parent / path)) for path in note.all_images]
            found[organ[1] if organ else note.body.front] = (note.id, note.body.back, pictures)
        return found

    def check(self, package: dict[str, list[bytes]], before: dict, said: str, *, her_export: bool) -> None:
        decks = sorted(path.name for path in self.deck_file.parent.glob("*.yaml"))
        assert decks == [self.deck_file.name], self.said(f"the import made another deck: {decks}", said)
        after = self.shown()
        for file, data in list(self.her.files.items()):
            assert file.exists(), self.said(f"her {file.name} was deleted")
            if file.read_bytes() != data:
                assert f"anatomy-media/{file.name}" in said, self.said(f"her {file.name} overwritten, not listed", said)
                del self.her.files[file]
        for organ, back in list(self.her.backs.items()):
            if organ not in after or after[organ][1] != back:
                assert f"({organ})" in said, self.said(f"her edit of {organ} lost, not listed", said)
                del self.her.backs[organ]
        for organ, path in list(self.her.pointed.items()):
            if organ not in after or [p for p, _ in after[organ][2]] != [path]:
                assert f"({organ})" in said, self.said(f"{organ} no longer shows {path}, not listed", said)
                del self.her.pointed[organ]
        for organ in list(self.her.deleted):
            if organ in after:
                assert f"({organ})" in said, self.said(f"{organ}, which she deleted, came back unlisted", said)
                self.her.deleted.discard(organ)
        if not her_export:  # gone from the shared deck too: the record forgets it
            self.her.deleted &= set(package)
        for front in sorted(self.her.own_notes):
            assert front in after and after[front][1] == "x", self.said(f"her own note {front} removed", said)
        for organ, pictures in package.items():
            if organ not in after or organ in self.her.pointed or f"({organ})" in said:
                continue  # gone, removed, pointed elsewhere by her, or a conflict listed
            shows = after[organ][2]
            assert len(shows) == len(pictures), self.said(f"{organ} shows {shows}", said)
            for (path, data), theirs in zip(shows, pictures, strict=True):
                hers = self.her.files.get(self.deck_file.parent / path)
                assert data in (theirs, hers), self.said(f"{organ} shows {path}: neither the package's nor hers", said)
        for organ, (_, _, pictures) in before.items():
            if organ in after and organ not in package and organ not in self.her.pointed:
                assert after[organ][2] == pictures, self.said(f"{organ}, not in the package, changed picture", said)

    def said(self, problem: str, output: str = "") -> str:
        return "\n".join([problem, *self.log, output])


def _drawn_on(path: Path, length: int) -> bytes:
    with Image.open(path) as image:
        drawn = image.convert("RGB")
    ImageDraw.Draw(drawn).line((0, 0, 8, length), fill="black", width=2)
    drawn.save(path)
    return path.read_bytes()


def _bytes(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("deck", sorted(VERSIONS))
def test_no_sequence_of_imports_loses_or_moves_a_picture_or_an_edit_of_hers(
    deck: str, seed: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Sequence(tmp_path, capsys, VERSIONS[deck], seed).run()
