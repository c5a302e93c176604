"""Cell text -> deck text: line breaks, HTML to plain text, MathJax to plain text (quiz.core.anki.mathjax),
images dropped (a package's reader keeps them as the note's picture), sound references kept as text; what a
converted Anki cloze holds (the conversion itself, with what Anki's gap looks like, is quiz.core.cloze's)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import unescape
from html.parser import HTMLParser

from quiz.core import cloze
from quiz.core.anki.mathjax import mathjax_to_text
from quiz.core.anki.media import SOUND
from quiz.core.anki.templates import UNSHOWN_TAGS
from quiz.core.importers.ids import numbered_title
from quiz.core.text import sanitize

#: Tags that start or end a block: a line break in the text.
_BLOCKS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header li ol p pre"
    " section table tr ul".split()
)
# Tags read without the parser when bare (no attributes): the ones Anki's editor writes, whose content every
# Python's parser reads as markup (its raw-text elements have grown across patch releases: title, textarea).
_PLAIN_TAGS = _BLOCKS | frozenset("b i u s em strong small big sub sup span font br hr".split())
# Detection only (is this cell HTML at all?); the text itself is read by a real parser, below.
_LOOKS_HTML = re.compile(
    r"<\s*/?\s*(?:br|div|p|span|b|i|u|em|strong|img|a|ul|ol|li|sup|sub|font|hr|table|tr|td|h[1-6]|code|pre)\b[^<>]*>"
    r"|&(?:[a-zA-Z]{2,8}|#\d{1,7}|#x[0-9a-fA-F]{1,6});",
    re.I,
)
# A start tag with no attribute (`<b>`, `<br/>`, `<br />`) or an end tag (`</b>`): most tags of Anki's fields.
# Text whose every `<` opens one is read without the parser, as it reads it (see _read_bare).
_BARE_TAG = re.compile(r"<(?:/([a-zA-Z][a-zA-Z0-9]*)|([a-zA-Z][a-zA-Z0-9]*)( ?/)?)>")
IMAGE_DROPPED = "an image was dropped (a cell holds text only)"
SOUND_KEPT = "a [sound:...] reference is kept as text (a text file carries no sound file)"
REPLACED = "control or bidi characters were replaced by \ufffd"


def looks_like_html(text: str) -> bool:
    return bool(_LOOKS_HTML.search(text))


def normalize_breaks(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


class _PlainText(HTMLParser):
    """Collects the text a browser would show: blocks and <br> as line breaks, list items as bullets (one a
    line), a table's rows as lines with ` | ` between their cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities are decoded once, in text and attributes alike
        self.parts: list[str] = []
        self.images = 0
        self.hidden = 0  # depth inside <style>/<script>
        self.cells = 0  # cells begun in the current table row
        # inside a cell: its row stays one line, so a block or break there only parts words (a space before its
        # next text, when the cell has text before it)
        self.in_cell = self.cell_has_text = self.cell_break = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in UNSHOWN_TAGS:
            self.hidden += 1
        elif tag == "img":
            self.images += 1
        elif self.in_cell and (tag in ("br", "hr") or (tag in _BLOCKS and tag not in ("tr", "table"))):
            self.cell_break = True
        elif tag in ("br", "hr"):
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n• ")
        elif tag in ("td", "th"):
            self.parts.append(" | " if self.cells else "")
            self.cells += 1
            self.in_cell, self.cell_has_text, self.cell_break = True, False, False
        elif tag in _BLOCKS:
            self.cells = 0 if tag == "tr" else self.cells
            self.in_cell = False
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in UNSHOWN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in ("td", "th"):
            self.in_cell = False
        elif self.in_cell and tag in _BLOCKS and tag not in ("tr", "table"):
            self.cell_break = True
        elif tag in _BLOCKS and tag not in ("li", "tr"):  # the next item or row, or the list's end, starts a line
            self.in_cell = False
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # <br/>, <img/>: no end tag to act on

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if self.in_cell and data.strip():
            if self.cell_break and self.cell_has_text:
                self.parts.append(" ")
            self.cell_has_text, self.cell_break = True, False
        self.parts.append(data)


def html_to_text(text: str) -> tuple[str, bool]:
    """Plain text from an HTML field: <br> and block ends become line breaks, tags go, entities are decoded.

    Returns the text and whether an image was dropped.
    """
    if "<" not in text and "&" not in text:  # no tag, no entity: the parser would give the text back as it is
        return text.replace("\xa0", " "), False
    parser = _PlainText()
    if not _read_bare(parser, text):
        parser.feed(text)
        parser.close()
    return "".join(parser.parts).replace("\xa0", " "), parser.images > 0


def _read_bare(parser: _PlainText, text: str) -> bool:
    """Hand `parser` the text's tags and data as its own reading would (data between two tags with its
    entities decoded, tag names in lower case), when every `<` opens a bare tag of _PLAIN_TAGS
    (never one whose content the parser reads as raw text). False, handing it nothing, otherwise."""
    pieces = _BARE_TAG.split(text)  # data, then per tag: end name, start name, "/" of `<br/>`, then data...
    if any("<" in data for data in pieces[::4]) or any(
        (end or start).lower() not in _PLAIN_TAGS for end, start in zip(pieces[1::4], pieces[2::4], strict=True)
    ):
        return False
    for at in range(0, len(pieces), 4):
        if data := pieces[at]:
            parser.handle_data(unescape(data))
        if at + 1 == len(pieces):
            break
        end, start, closed = pieces[at + 1 : at + 4]
        if end:
            parser.handle_endtag(end.lower())
        elif closed:
            parser.handle_startendtag(start.lower(), [])
        else:
            parser.handle_starttag(start.lower(), [])
    return True


def tidy(text: str) -> str:
    """Trailing spaces off every line, at most one blank line in a row, no blank edges."""
    if "\n" not in text:  # one line (most cells): only its edges
        return text.strip()
    lines = [line.rstrip() for line in text.split("\n")]
    tidied = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return tidied.strip()


def clean_cell(raw: str, is_html: bool, formulas: bool = True) -> tuple[str, list[str]]:
    """A cell's text ready for a deck, and notes about what was changed or dropped."""
    return safe(*readable_cell(raw, is_html, formulas))


def readable_cell(raw: str, is_html: bool, formulas: bool = True) -> tuple[str, list[str]]:
    """A cell's text as it reads (HTML made text, and MathJax unless `formulas` is false: the text is not Anki's,
    quiz's own or a plain text of the user's, its `\\(` hers), its control and bidi characters not yet replaced
    (`safe`)."""
    notes: list[str] = []
    text = normalize_breaks(raw)
    if is_html:
        text, dropped_image = html_to_text(text)  # first: a formula's `&lt;` is `<` to MathJax
        if dropped_image:
            notes.append(IMAGE_DROPPED)
    if formulas:
        text = mathjax_to_text(text)
    if SOUND.search(text):
        notes.append(SOUND_KEPT)
    return tidy(text), notes


def formulas_read(text: str) -> str:
    """A text read from a cell by a quiz that left its MathJax as written, as readable_cell reads that cell now. Its
    cloze gaps are quiz's (`{{2}}`, Anki's `{{c1::2}}`): a formula around one stays as written, as in Anki's text."""
    return tidy(mathjax_to_text(text, gap="{{"))


def clean_name(name: str) -> tuple[str, list[str]]:
    """A name given outside any cell (a package's tag or deck, the file's own name, --title), cleaned as a cell
    is: else the loader would replace what it holds at every load, and warn of a file quiz wrote."""
    return safe(name, [])


def safe(text: str, notes: list[str]) -> tuple[str, list[str]]:
    """`text` with its control and bidi characters replaced by \ufffd, and `notes` saying so when any were."""
    text, changed = sanitize(text)
    if changed:
        notes.append(REPLACED)
    return text, notes


def cloze_numbers(text: str) -> list[int]:
    """The c-number of each Anki gap in `text`, in order: quiz's gap n is a copy of Anki's card c-number - 1."""
    return [number for match in cloze.ANKI_GAP.finditer(text) if (number := int(match.group(1)))]  # c0: text


# how an Anki note quiz reads card by card comes in (its reader's warning ends so: a cloze quiz cannot ask as one
# cloze, a reverse pair whose templates add words), and how it does where the deck keeps it as an earlier quiz read
# it (quiz.core.importers.target)
CARD_BY_CARD = "each card comes in as basic, as Anki shows it"


def kept_as_before(kind: str) -> str:
    """What a warning ending in CARD_BY_CARD says instead of a note kept as an earlier quiz read it: one note of
    `kind` ("cloze", "reverse")."""
    one = "one cloze" if kind == "cloze" else f"one {kind} note"
    return f"kept as an earlier quiz read it, {one}, while Anki does not change it (below)"


def gaps_unlike_anki(anki_text: str, text: str) -> str:
    """Why the gaps of `text`, Anki's cloze `anki_text` converted, are not Anki's cards one to one ("" if they are):
    gaps sharing a number, which Anki's card of that number hides together, or a `{{...}}` Anki reads as no gap
    (`{{C1::x}}`, `{{x}}`), which quiz's cloze would ask."""
    numbers = cloze_numbers(anki_text)
    if shared := next((number for number in numbers if numbers.count(number) > 1), None):
        return f"gaps share the number c{shared} (its Anki card hides them together)"
    if len(cloze.find_gaps(text)) != len(numbers):
        return "its text holds {{...}} that Anki does not read as a gap"
    return ""


def read_as_one_cloze_before(anki_text: str, text: str) -> bool:
    """Whether a quiz older than gaps_unlike_anki read this Anki cloze, `text` converted, as one cloze note, each of
    its gaps a card, where quiz reads it card by card now: only its gaps are unlike Anki's cards (they share a
    number, or one is a `{{C1::x}}`)."""
    return not cloze_problem(text) and bool(gaps_unlike_anki(anki_text, text))


def cloze_problem(text: str, *, unmatchable: bool = True) -> str:
    """What makes a converted Anki cloze unusable ("" if nothing): Anki markup left over, or quiz's own rule.
    With `unmatchable`, so does a gap nothing typed can match: a package's note then comes in card by card, each
    with its Anki history; a table holds none, so its note comes in as cloze, that gap making no card (as the
    loader reads it)."""
    if cloze.has_anki_cloze(text):
        return "a cloze gap is nested or not closed"
    problem = cloze.gap_problem(text) or (cloze.unmatchable_gap(text) if unmatchable else None)
    return problem[0] if problem else ""


def anki_gaps(text: str) -> list[str]:
    """The contents of an Anki cloze's gaps (`{{c1::content}}`), in order."""
    return [match.group(2) for match in cloze.ANKI_GAP.finditer(text)]


def deck_paths_apart(cleaned: Mapping[tuple[str, ...], tuple[str, ...]]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Each deck path as its file names it -> the path it is imported under: `cleaned` (each part cleaned as any
    text; as many parts), kept apart from the others. Two decks whose names differ only in what cleaning replaces
    (`Car\u202edio`, `Car\u202ddio`) would be one topic: the one whose name sorts later is "Car\ufffddio (2)", and
    so is the path of every deck under it. By the names, not by the file's order: a next version listing the decks
    in another order (its first note deleted) numbers them alike, so the record keeps each note in its topic. A
    name that needs no cleaning keeps it."""
    known = dict(cleaned)
    for path, clean in cleaned.items():  # the decks above each, which number the decks under them
        for depth in range(1, len(path)):
            known.setdefault(path[:depth], clean[:depth])
    apart = {path: path for path, clean in known.items() if path == clean}
    taken = set(apart.values())

    def kept_apart(path: tuple[str, ...]) -> tuple[str, ...]:
        if path not in apart:
            above = kept_apart(path[:-1]) if len(path) > 1 else ()
            siblings = {other[-1] for other in taken if other[:-1] == above}
            apart[path] = (*above, numbered_title(known[path][-1], siblings))
            taken.add(apart[path])
        return apart[path]

    return {path: kept_apart(path) for path in sorted(cleaned) if path}
