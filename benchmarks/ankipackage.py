"""A big Anki package made by Anki's own backend, as a student's shared deck with years of study looks.

    python benchmarks/ankipackage.py [NOTES IMAGES REVIEWS]   -> builds (once) and prints the path and counts

Notes of the four stock note types (Basic, Basic (and reversed card), Cloze with one to three gaps, Basic
(type in the answer)) in sub-decks, HTML in their fields, about one in ten showing a small picture of its
own (a PNG a few KB large, drawn with Pillow); then a study history written as Anki keeps it: review-log
rows spread over five years (learning steps, reviews with Again, Hard, Good and Easy in the proportions of
a real collection, lapses and relearning), and each card's schedule in its row: new, learning,
relearning, day-learning and review cards, suspended and buried ones, flags. Anki adds the notes, cards
and media (`add_notes`, `media.write_data`); the history goes straight into its `revlog` and `cards`
tables (what answering 300,000 times through its scheduler would leave, without the hours), and Anki's
exporter writes the package (current format, with scheduling and media).

The package and a JSON of its counts are cached in benchmarks/work/ (gitignored): built once per size.
"""

from __future__ import annotations

import io
import json
import random
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

WORK = Path(__file__).resolve().parent / "work"
DAY = 86_400
YEARS = 5
SEED = 14
#: Anki's stock note types, and the share of notes each gets.
NOTETYPES = {
    "Basic": 0.40,
    "Basic (and reversed card)": 0.25,
    "Cloze": 0.25,
    "Basic (type in the answer)": 0.10,
}
DECKS = ("Pathology", "Pharmacology::Drugs", "Pharmacology::Receptors", "Anatomy::Limbs", "Anatomy::Head", "Physiology")
#: A card's queue now (Anki's `cards.type`, `cards.queue`) and the share of studied cards in it.
STATES = {
    "review": ((2, 2), 0.925),
    "learning": ((1, 1), 0.01),
    "relearning": ((3, 1), 0.005),
    "day-learning": ((1, 3), 0.005),
    "suspended": ((2, -1), 0.04),
    "buried": ((2, -3), 0.005),
    "sched-buried": ((2, -2), 0.005),
}
NEW_SHARE = 0.15  # cards never studied
FLAGGED_SHARE = 0.02
#: Grades of a review (Again, Hard, Good, Easy) and of a first answer, as a medical student's collection has.
REVIEW_GRADES = (0.09, 0.06, 0.75, 0.10)
LEARN_GRADES = (0.20, 0.05, 0.65, 0.10)
TAGS = ["high-yield", "usmle", "step1", "cardio", "renal", "micro", "neuro"]
SYLLABLES = "ka ri mo to lu sen pha dra ne vi cor lym hep gas tro ren al bu min ox y gen sul fa ta ze ro".split()


@dataclass
class Counts:
    """What the package holds, as Anki wrote it."""

    notes: int = 0
    cards: int = 0
    reviews: int = 0
    images: int = 0
    notes_with_image: int = 0
    by_notetype: dict[str, int] = field(default_factory=dict)
    by_state: dict[str, int] = field(default_factory=dict)
    flagged: int = 0
    bytes: int = 0


def big_package(notes: int = 30_000, images: int = 3_000, reviews: int = 300_000) -> tuple[Path, Counts]:
    """The package of that size and its counts, built the first time."""
    path = WORK / f"anki-big-{notes}-{images}-{reviews}.apkg"
    counts_path = path.with_suffix(".json")
    if not (path.exists() and counts_path.exists()):
        WORK.mkdir(parents=True, exist_ok=True)
        counts = build_package(path, notes, images, reviews)
        counts_path.write_text(json.dumps(asdict(counts), indent=1) + "\n")
    return path, Counts(**json.loads(counts_path.read_text()))


def build_package(out: Path, notes: int, images: int, reviews: int, seed: int = SEED) -> Counts:
    from anki.collection import AddNoteRequest, Collection, ExportAnkiPackageOptions

    rng = random.Random(seed)
    counts = Counts()
    with tempfile.TemporaryDirectory(prefix="anki-big-") as tmp:
        col_path = str(Path(tmp) / "collection.anki2")
        col = Collection(col_path)
        now = int(time.time())
        col.crt = (now - (YEARS + 1) * 365 * DAY) // DAY * DAY  # the collection is older than its oldest review
        col.close()
        col = Collection(col_path)
        pictures = [col.media.write_data(f"fig-{n:05d}.png", _png(rng, n)) for n in range(images)]
        counts.images = len(pictures)
        with_picture = set(rng.sample(range(notes), min(len(pictures), notes)))
        requests = []
        kinds = rng.choices(list(NOTETYPES), weights=list(NOTETYPES.values()), k=notes)
        models = {name: col.models.by_name(name) for name in NOTETYPES}
        deck_ids = [col.decks.id(f"Step 1::{name}") for name in DECKS]
        for number, kind in enumerate(kinds):
            note = col.new_note(models[kind])
            picture = f'<img src="{pictures.pop()}">' if number in with_picture else ""
            _fill(note, kind, number, picture, rng)
            note.tags = rng.sample(TAGS, rng.randint(0, 3))
            requests.append(AddNoteRequest(note, deck_ids[number % len(deck_ids)]))
            counts.by_notetype[kind] = counts.by_notetype.get(kind, 0) + 1
            counts.notes_with_image += bool(picture)
        col.add_notes(requests)
        counts.notes = col.note_count()
        counts.cards = col.card_count()
        today = col.sched.today
        _history(col, now, today, reviews, rng, counts)
        col.close()
        col = Collection(col_path)
        options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=True, legacy=False)
        tmp_out = out.with_suffix(".building")
        col.export_anki_package(out_path=str(tmp_out), options=options, limit=None)
        col.close()
        tmp_out.replace(out)
    counts.bytes = out.stat().st_size
    return counts


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join("".join(rng.choices(SYLLABLES, k=rng.randint(1, 4))) for _ in range(rng.randint(low, high)))


def _fill(note: Any, kind: str, number: int, picture: str, rng: random.Random) -> None:
    """A note's fields: unique text with some HTML, the picture (if any) where such decks put it."""
    tag = f"#{number}"
    if kind == "Cloze":
        parts = [_words(rng, 3, 10)]
        for gap in range(1, rng.randint(1, 3) + 1):
            parts.append(f"{{{{c{gap}::{_words(rng, 1, 3)}}}}} {_words(rng, 2, 8)}")
        note["Text"] = f"{' '.join(parts)} {tag}"
        note["Back Extra"] = f"<i>{_words(rng, 0, 12)}</i>{picture}"
        return
    if kind == "Basic (type in the answer)":  # the picture is the question: what is shown?
        note["Front"], note["Back"] = f"<b>{_words(rng, 4, 14)}</b>?&nbsp;{tag}{picture}", f"{_words(rng, 1, 2)} {tag}"
        return
    note["Front"] = f"<b>{_words(rng, 4, 14)}</b>?&nbsp;{tag}"
    note["Back"] = f"{_words(rng, 2, 30)}<br>{_words(rng, 0, 10)} {tag}{picture}"


def _png(rng: random.Random, number: int) -> bytes:
    """A small picture of its own: a diagram-like drawing (boxes, lines) over a tinted background."""
    from PIL import Image, ImageDraw

    size = (rng.randint(80, 200), rng.randint(60, 160))
    image = Image.new("RGB", size, tuple(rng.randint(180, 255) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(3, 10)):
        box = sorted(rng.randint(0, size[0]) for _ in range(2)), sorted(rng.randint(0, size[1]) for _ in range(2))
        colour = tuple(rng.randint(0, 200) for _ in range(3))
        draw.rectangle((box[0][0], box[1][0], box[0][1], box[1][1]), outline=colour, width=2)
        draw.line((rng.randint(0, size[0]), rng.randint(0, size[1]), box[0][0], box[1][0]), fill=colour, width=1)
    draw.text((4, 4), f"fig {number}", fill=(0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _history(col: Any, now: int, today: int, reviews: int, rng: random.Random, counts: Counts) -> None:
    """Review-log rows and each card's schedule; `reviews` rows in all, spread over the studied cards."""
    card_ids = sorted(col.find_cards(""))
    rng.shuffle(card_ids)
    studied = card_ids[: round(len(card_ids) * (1 - NEW_SHARE))] if reviews else []
    counts.by_state["new"] = len(card_ids) - len(studied)
    names = list(STATES)
    states = rng.choices(names, weights=[STATES[n][1] for n in names], k=len(studied))
    # how many answers each studied card had: between one and about three times the mean, summing to `reviews`
    weights = [rng.random() + 0.1 for _ in studied]
    scale = reviews / sum(weights) if studied else 0
    per_card = [max(1, int(w * scale)) for w in weights]
    per_card[-1:] = [max(1, per_card[-1] + reviews - sum(per_card))] if studied else []
    while studied and sum(per_card) > reviews:  # ones pushed the total over: take them back from the largest
        largest = max(range(len(per_card)), key=per_card.__getitem__)
        per_card[largest] -= sum(per_card) - reviews
    taken: set[int] = set()
    revlog, cards = [], []
    for card_id, state, answers in zip(studied, states, per_card, strict=True):
        rows, schedule = _card_history(card_id, state, answers, now, today, rng, taken)
        revlog += rows
        flags = rng.randint(1, 7) if rng.random() < FLAGGED_SHARE else 0
        counts.flagged += bool(flags)
        cards.append((*schedule, flags, card_id))
        counts.by_state[state] = counts.by_state.get(state, 0) + 1
    col.db.executemany("insert into revlog values (?, ?, -1, ?, ?, ?, ?, ?, ?)", revlog)
    col.db.executemany(
        "update cards set type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?, lapses = ?, left = ?,"
        " flags = ?, mod = mod, usn = -1 where id = ?",
        cards,
    )
    counts.reviews = col.db.scalar("select count() from revlog")


def _card_history(
    card_id: int, state: str, answers: int, now: int, today: int, rng: random.Random, taken: set[int]
) -> tuple[list[tuple[int, ...]], tuple[int, ...]]:
    """`answers` review-log rows of one card (SM-2 as Anki applies it), then its schedule now: (type, queue,
    due, ivl, factor, reps, lapses, left)."""
    grades: list[tuple[int, int, int, int, int]] = []  # (revlog type, ease, ivl, last ivl, factor) in time order
    gaps: list[float] = []  # seconds before each answer, after the one before
    ivl, factor, lapses, learning = 0, 2500, 0, True
    for _ in range(answers):
        table = LEARN_GRADES if learning else REVIEW_GRADES
        ease = rng.choices((1, 2, 3, 4), weights=table)[0]
        last = ivl
        if learning:
            kind = 0 if lapses == 0 else 2
            if ease == 1:
                ivl = -600
            else:
                ivl, learning = (max(1, last // 2) if lapses else (4 if ease == 4 else 1)), False
        else:
            kind = 1
            if ease == 1:
                ivl, lapses, learning, factor = -600, lapses + 1, True, max(1300, factor - 200)
            elif ease == 2:
                ivl, factor = max(ivl + 1, round(ivl * 1.2)), max(1300, factor - 150)
            elif ease == 3:
                ivl = max(ivl + 1, round(ivl * factor / 1000))
            else:
                ivl, factor = max(ivl + 1, round(ivl * factor / 1000 * 1.3)), factor + 150
            ivl = min(ivl, 3650)
        gaps.append(-last if last < 0 else last * DAY * rng.uniform(0.9, 1.3))
        grades.append((kind, ease, ivl, last, factor))
    # the last answer lies before now, within its interval; the others before it, as the gaps say
    span = sum(gaps[1:])
    if span > YEARS * 365 * DAY:  # a long history is squeezed into the years the collection has
        gaps = [g * YEARS * 365 * DAY / span for g in gaps]
    last_ivl = grades[-1][2]
    end = now - (rng.uniform(0, min(last_ivl, 30) * DAY) if last_ivl > 0 else rng.uniform(0, 300))
    times = [end]
    for gap in reversed(gaps[1:]):
        times.append(times[-1] - gap)
    rows = []
    for at, (kind, ease, row_ivl, last, row_factor) in zip(reversed(times), grades, strict=True):
        millis = int(at * 1000)
        while millis in taken:
            millis += 1
        taken.add(millis)
        rows.append((millis, card_id, ease, row_ivl, last, row_factor, rng.randint(2_000, 30_000), kind))
    type_, queue = STATES[state][0]
    review_ivl = max(last_ivl, 1)
    if queue == 1:  # learning within a day: due at a time
        due, left = int(end) + 600, 1001
    elif queue == 3:  # learning across days: due on a day
        due, left = today + rng.randint(0, 1), 1001
    else:
        due, left = today + round((end + review_ivl * DAY - now) / DAY), 0
    return rows, (type_, queue, due, review_ivl, factor, answers, lapses, left)


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] if argv else []
    started = time.monotonic()
    path, counts = big_package(*sizes)
    print(json.dumps({"path": str(path), "seconds": round(time.monotonic() - started, 1), **asdict(counts)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
