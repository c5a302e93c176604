"""Cell text -> deck text: line breaks, HTML to plain text, images dropped (a package's reader keeps them as
the note's picture), sound references kept as text, Anki cloze markup to ours."""

from __future__ import annotations

import html
import re

from quiz.core import cloze
from quiz.core.text import sanitize

_BLOCK = "div|p|li|tr|h[1-6]|ul|ol|table|blockquote|pre"
_LOOKS_HTML = re.compile(
    r"<\s*/?\s*(?:br|div|p|span|b|i|u|em|strong|img|a|ul|ol|li|sup|sub|font|hr|table|tr|td|h[1-6]|code|pre)\b[^<>]*>"
    r"|&(?:[a-zA-Z]{2,8}|#\d{1,7}|#x[0-9a-fA-F]{1,6});",
    re.I,
)
_INVISIBLE = re.compile(r"<(style|script)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_IMG = re.compile(r"<\s*img\b[^>]*>", re.I)
_BREAK = re.compile(rf"<\s*br\s*/?\s*>|<\s*hr\b[^>]*>|<\s*/?\s*(?:{_BLOCK})\b[^>]*>", re.I)
_LIST_ITEM = re.compile(r"<\s*li\b[^>]*>", re.I)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_SOUND = re.compile(r"\[sound:[^\]]*\]")
IMAGE_DROPPED = "an image was dropped (a cell holds text only)"
SOUND_KEPT = "a [sound:...] reference is kept as text (quiz plays no sound)"
_ANKI_GAP = re.compile(r"\{\{c(\d+)::(.*?)\}\}", re.S)
_ANKI_MARK = re.compile(r"\{\{c\d+::")


def looks_like_html(text: str) -> bool:
    return bool(_LOOKS_HTML.search(text))


def has_anki_cloze(text: str) -> bool:
    return bool(_ANKI_MARK.search(text))


def normalize_breaks(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def html_to_text(text: str) -> tuple[str, bool]:
    """Plain text from an HTML field: <br> and block ends become line breaks, tags go, entities are decoded.

    Returns the text and whether an image was dropped.
    """
    text = _INVISIBLE.sub("", text)
    text, images = _IMG.subn("", text)
    text = _LIST_ITEM.sub("\n• ", text)
    text = _BREAK.sub("\n", text)
    text = _TAG.sub("", text)
    text = html.unescape(text).replace("\xa0", " ")
    return text, images > 0


def tidy(text: str) -> str:
    """Trailing spaces off every line, at most one blank line in a row, no blank edges."""
    lines = [line.rstrip() for line in text.split("\n")]
    tidied = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return tidied.strip()


def clean_cell(raw: str, is_html: bool) -> tuple[str, list[str]]:
    """A cell's text ready for a deck, and notes about what was changed or dropped."""
    notes: list[str] = []
    text = normalize_breaks(raw)
    if is_html:
        text, dropped_image = html_to_text(text)
        if dropped_image:
            notes.append(IMAGE_DROPPED)
    if _SOUND.search(text):
        notes.append(SOUND_KEPT)
    text, changed = sanitize(tidy(text))
    if changed:
        notes.append("control or bidi characters were replaced by \ufffd")
    return text, notes


def convert_cloze(text: str) -> str:
    """Anki `{{c1::answer}}` / `{{c1::answer::hint}}` -> quiz `{{answer}}` / `{{answer::hint}}`.

    quiz makes one card per gap, so gaps sharing a c-number become separate cards.
    """

    def gap(match: re.Match[str]) -> str:
        answer, sep, hint = match.group(2).partition("::")
        answer, hint = answer.strip(), hint.strip()
        return "{{" + answer + ("::" + hint if sep and hint else "") + "}}"

    return _ANKI_GAP.sub(gap, text)


def cloze_problem(text: str) -> str:
    """What makes a converted Anki cloze unusable ("" if nothing): Anki markup left over, or quiz's own rule."""
    if has_anki_cloze(text):
        return "a cloze gap is nested or not closed"
    problem = cloze.gap_problem(text)
    return problem[0] if problem else ""
