"""Anki's card templates, rendered to HTML as Anki renders them (rslib/src/template.rs), minus the audio.

`{{Field}}` is the field's HTML; `{{#Field}}...{{/Field}}` is kept when the field is not empty and
`{{^Field}}...{{/Field}}` when it is (empty as Anki means it: only spaces, <br> and <div>); sections nest.
`{{filter:...:Field}}` applies filters right to left: `text` and `hint` keep the text, `kanji`, `kana` and
`furigana` handle readings written `漢字[かんじ]` (furigana gives `漢字(かんじ)`, plain text having no ruby),
`tts` is sound only and gives nothing, `type` gives nothing but names the field the answer is typed into,
`cloze` shows the card's gaps as its question or its answer shows them (`quiz.core.anki.clozefilter`).
`{{FrontSide}}` is the rendered question. A field the note type lacks gives nothing (Anki shows an error
there). Nothing is executed or fetched: the result is HTML for `quiz.core.importers.cleaning` to turn into text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser

from quiz.core.anki.clozefilter import render_cloze
from quiz.core.anki.media import SOUND  # Anki's sound reference: a sound played, no word shown

_TAG = re.compile(r"\{\{(.*?)\}\}", re.S)
_EMPTY = re.compile(r"^(?:\s|</?(?:br|div)\s*/?>)*$", re.I)
_FURIGANA = re.compile(r" ?([^ >]+?)\[(.+?)\]")
UNSHOWN_TAGS = frozenset(("script", "style", "template"))  # HTML whose content is never shown


@dataclass(frozen=True)
class _Field:
    name: str
    filters: tuple[str, ...]  # outermost first, as written


@dataclass(frozen=True)
class _Section:
    name: str
    negated: bool
    children: list[_Node] = field(default_factory=list)


_Node = str | _Field | _Section


@dataclass
class Rendered:
    html: str
    typed_field: str = ""  # the field a {{type:Field}} names, "" for none


@dataclass(frozen=True)
class Side:
    """Which card a template is rendered for, and which of its sides: what {{cloze:Field}} needs."""

    card_number: int = 1  # Anki's card ord + 1: the cloze gaps it asks
    question: bool = True


def field_is_empty(text: str) -> bool:
    return bool(_EMPTY.match(text))


def template_fields(template: str) -> set[str]:
    """The fields a template shows (its {{Field}} and {{filter:Field}} tags; sections not counted)."""
    return {node.name for node in _walk(_parse(template)) if isinstance(node, _Field) and not _is_type(node)}


def section_fields(template: str) -> set[str]:
    """The fields a template tests in {{#Field}} and {{^Field}} sections (a switch, as Anki's Add Reverse)."""
    return {node.name for node in _walk(_parse(template)) if isinstance(node, _Section)}


def own_text(template: str) -> str:
    """The text a template shows of its own: outside its fields, inside its `{{#...}}`/`{{^...}}` sections too
    (what the card shows where the section is shown; one wrapping only a field, as Add Reverse's card, has none),
    as the HTML parser reads it (tags, comments, scripts and styles taken out, entities read), `[sound:...]`
    references taken out (a sound, no word), spaces (`&nbsp;` too) made one."""
    nodes = _walk(_parse(template))
    parser = _ShownText()
    parser.feed(" ".join(node for node in nodes if isinstance(node, str)))  # a field inside a tag splits it
    parser.close()
    return " ".join(SOUND.sub(" ", "".join(parser.parts)).split())


class _ShownText(HTMLParser):
    """The text HTML shows: its data outside scripts, styles and templates (a comment is no data)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0  # depth inside UNSHOWN_TAGS

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in UNSHOWN_TAGS

    def handle_endtag(self, tag: str) -> None:
        self.hidden = max(0, self.hidden - (tag in UNSHOWN_TAGS))

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def filtered_field(template: str, filter_name: str) -> str:
    """The field of the template's first {{filter_name:Field}} ("cloze", "type"), "" when it has none."""
    for node in _walk(_parse(template)):
        if isinstance(node, _Field) and filter_name in node.filters:
            return node.name
    return ""


def render(template: str, fields: Mapping[str, str], side: Side = Side()) -> Rendered:
    """The template with `fields` (FrontSide and Anki's special fields included by the caller) filled in, as
    `side` shows it."""
    result = Rendered("")
    result.html = _render(_parse(template), fields, result, side)
    return result


def _is_type(node: _Field) -> bool:
    return "type" in node.filters


@functools.lru_cache(maxsize=256)  # a note type's few templates are rendered for every one of its cards
def _parse(template: str) -> list[_Node]:
    """A tree of text, fields and sections (shared: never changed); an unclosed section runs to the end, a
    stray close is ignored."""
    root: list[_Node] = []
    stack: list[_Section] = []
    position = 0
    for match in _TAG.finditer(template):
        children = stack[-1].children if stack else root
        if match.start() > position:
            children.append(template[position : match.start()])
        position = match.end()
        inner = match.group(1).strip()
        if inner[:1] in ("#", "^"):
            section = _Section(inner[1:].strip(), inner[0] == "^")
            children.append(section)
            stack.append(section)
        elif inner[:1] == "/":
            name = inner[1:].strip()
            while stack:
                if stack.pop().name == name:
                    break
        else:
            *filters, name = inner.split(":")
            children.append(_Field(name.strip(), tuple(f.strip() for f in filters)))
    (stack[-1].children if stack else root).append(template[position:])
    return root


def _walk(nodes: list[_Node]) -> list[_Node]:
    found: list[_Node] = []
    for node in nodes:
        found.append(node)
        if isinstance(node, _Section):
            found.extend(_walk(node.children))
    return found


def _render(nodes: list[_Node], fields: Mapping[str, str], result: Rendered, side: Side) -> str:
    parts = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
        elif isinstance(node, _Section):
            if field_is_empty(fields.get(node.name, "")) == node.negated:
                parts.append(_render(node.children, fields, result, side))
        elif _is_type(node):
            result.typed_field = result.typed_field or node.name
        else:
            parts.append(_filtered(fields.get(node.name, ""), node.filters, side))
    return "".join(parts)


def _filtered(text: str, filters: tuple[str, ...], side: Side) -> str:
    for name in reversed(filters):
        if name == "kanji":
            text = _FURIGANA.sub(lambda m: m.group(1), text)
        elif name == "kana":
            text = _FURIGANA.sub(lambda m: m.group(2), text)
        elif name == "furigana":
            text = _FURIGANA.sub(lambda m: f"{m.group(1)}({m.group(2)})", text)
        elif name.split()[0:1] == ["tts"]:
            text = ""
        elif name == "cloze":
            text = render_cloze(text, side.card_number, side.question)
    return text
