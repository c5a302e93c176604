"""quiz's own CSV, TSV and YAML exports come back through `quiz import` exactly, every kind and any text; HTML
is read by a real parser, and only where a cell is HTML (issue 14, point 7)."""

from __future__ import annotations

import csv
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from quiz.core.decks import check_tree, parse_deck
from quiz.core.decktable import DECK_COLUMNS
from quiz.core.deckwriter import _BATCH, _Flow, card_blocks, deck_document, deck_text, dump, note_fields
from quiz.core.exporters import export_deck
from quiz.core.importers import ImportFailure, ImportOptions, cleaning, import_file
from quiz.core.importers.cleaning import html_to_text, tidy
from quiz.core.kinds import KINDS, new_note
from quiz.core.kinds.base import FlowMapping
from quiz.core.model import Deck, Note, Source, Topic
from tests.conftest import run_cli as run

SUFFIXES = (".csv", ".tsv", ".yaml")
#: Pieces of text an HTML cleaner, a tag splitter, a CSV quoter or a formula guard could mistake for theirs.
HOSTILE = (
    "<p>",
    "</p>",
    "List<String>",
    "&amp;",
    "&lt;",
    "&",
    "<",
    ">",
    "<br>",
    '<a title="x>y">',
    "<img src=x>",
    "[sound:a.mp3]",
    "#tag",
    "tags: a b",
    "a, b; c",
    "=",
    "+",
    "-",
    "@",
    "'",
    '"',
    "\t",
    "\n",
    " ",
    "é",
    "😀",
    "x",
)
TEXT = st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=6).map("".join).filter(lambda t: t.strip() != "")


def load(notes: list[Note]) -> Deck | None:
    """The deck the real loader makes of these notes (so every text is one a deck file can hold); None when it
    refuses them (two options that happen to be equal, say)."""
    text = deck_text(
        "d", "=Title <b>", notes, topics=(Topic("t-1", "&amp; topic"),), sources=(Source("s", "A <book>"),)
    )
    loaded = parse_deck(text.encode(), "d.yaml")
    return loaded.deck if loaded.ok else None


def one_of_each_kind(texts: list[str], tags: tuple[str, ...], truth: bool) -> list[Note]:
    t = texts
    common = {"topic": "t-1", "tags": tags, "explain": t[0]}
    notes = [
        new_note("n-basic", "basic", **common, front=t[1], back=t[2]),
        new_note("n-reverse", "reverse", **common, front=t[3], back=t[4]),
        new_note("n-typed", "typed", **common, front=t[5], answer=t[6], accept=(t[7], t[8])),
        new_note("n-cloze", "cloze", **common, text=f"{t[9]} {{{{gap}}}} {{{{other::hint}}}}"),
        new_note("n-choice", "choice", **common, front=t[10], options=(t[11], t[12]), answer=t[12]),
        new_note("n-multi", "multi", **common, front=t[13], options=(t[14], t[15], t[16]), answers=(t[14], t[16])),
        new_note("n-truefalse", "truefalse", **common, front=t[17], answer=truth),
        new_note("n-order", "order", **common, front=t[18], items=(t[19], t[20])),
        new_note("n-match", "match", **common, front=t[21], pairs=((t[22], t[23]), (t[24], t[25]))),
    ]
    # A new kind must join this test. An occlusion needs its picture file beside the deck, which a table cannot
    # carry: tests/core/test_every_kind.py takes it through YAML, CSV and .apkg with its picture.
    assert {n.kind for n in notes} == set(KINDS) - {"occlusion"}
    return notes


def exported_and_imported(deck: Deck, suffix: str) -> list[Note]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"deck{suffix}"
        export_deck(deck, path, 0)
        return import_file(path, ImportOptions(deck_id="d")).notes


@settings(max_examples=60, derandomize=True, database=None, deadline=None)
@given(
    texts=st.lists(TEXT, min_size=26, max_size=26),
    tags=st.lists(TEXT, max_size=3, unique=True).map(tuple),
    truth=st.booleans(),
    suffix=st.sampled_from(SUFFIXES),
)
def test_every_kind_with_hostile_text_comes_back_exactly(
    texts: list[str], tags: tuple[str, ...], truth: bool, suffix: str
) -> None:
    deck = load(one_of_each_kind(texts, tags, truth))
    assume(deck is not None)
    assert deck is not None
    again = exported_and_imported(deck, suffix)
    want = [replace(n, line=0, sources=() if suffix != ".yaml" else n.sources) for n in deck.notes]
    assert [replace(n, line=0) for n in again] == want


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_the_issue_s_examples_come_back_exactly(tmp_path: Path, suffix: str) -> None:
    texts = ["<p>", "List<String>", "&amp;", "a < b && c > d", "<b>bold</b> #tag", "x<br>y", "{{c1::not a cloze}}"]
    notes = [new_note(f"n{i}", "basic", front=t, back=t, explain=t, tags=(t,)) for i, t in enumerate(texts)]
    typed = new_note("typed", "typed", front="List<String>?", answer="&amp;", accept=("<p>", "and"))
    deck = Deck("d", "T", "d.yaml", notes=(*notes, typed))
    path = tmp_path / f"deck{suffix}"
    export_deck(deck, path, 0)
    result = import_file(path)
    assert [replace(n, line=0) for n in result.notes] == list(deck.notes)
    assert not result.problems


def test_the_yaml_import_keeps_the_deck_s_title_topics_and_sources(tmp_path: Path) -> None:
    deck = load(one_of_each_kind([f"text {i}" for i in range(26)], ("a", "b c"), True))
    assert deck is not None
    path = tmp_path / "copy.yaml"
    export_deck(deck, path, 0)
    result = import_file(path)
    assert (result.deck_id, result.title, result.topics) == ("d", "=Title <b>", [Topic("t-1", "&amp; topic")])
    again = parse_deck(result.text.encode(), "d.yaml").deck
    assert again is not None and again.sources == deck.sources
    assert [replace(n, line=0) for n in again.notes] == [replace(n, line=0) for n in deck.notes]


def test_the_table_keeps_what_front_and_back_cannot_hold_in_its_fields_column(tmp_path: Path) -> None:
    typed = new_note("t", "typed", front="Capital of France?", answer="Paris", accept=("paris city",))
    tagged = new_note("b", "basic", front="f", back="b", tags=("plain", "with, comma"))
    plain = new_note("p", "basic", front="f", back="b", tags=("x", "y"))
    choice = new_note("c", "choice", front="Pick", options=("a", "b"), answer="b")
    path = tmp_path / "deck.csv"
    export_deck(Deck("d", "T", "d.yaml", notes=(typed, tagged, plain, choice)), path, 0)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = csv.reader(handle)
    assert tuple(header) == DECK_COLUMNS
    fields = {row[0]: row[-1] for row in rows}
    assert fields == {  # the YAML a deck file holds, of what the other columns cannot give back
        "t": "accept:\n  - paris city\n",
        "b": "tags:\n  - plain\n  - with, comma\n",
        "p": "",
        "c": "front: Pick\noptions:\n  - a\n  - b\nanswer: b\n",
    }
    assert rows[3][4:6] == ["Pick\n\n• a\n• b", "b"]  # front and back stay readable in a spreadsheet


def test_a_table_quiz_wrote_before_the_fields_column_is_still_its_own(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_text(
        'id,kind,topic,tags,front,back,explain\r\na,basic,,,\'=1+1,<p>,\r\nc,choice,,,"Pick\n\n• x\n• y",y,\r\n',
        encoding="utf-8",
    )
    result = import_file(path)
    assert [(n.kind, n.body.front, n.body.back) for n in result.notes] == [
        ("basic", "=1+1", "<p>"),
        ("basic", "Pick\n\n• x\n• y", "y"),
    ]
    assert [p.message for p in result.problems] == [
        "kind 'choice' needs fields this table does not hold: its note was imported as basic"
    ]


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ("front: Pick\noptions: [x, y]\nanswer: z", "the answer 'z' is not one of the options"),
        ("front: Pick\noptions: [x, y]", "missing field 'answer'"),
        ("front: Pick\noptions: [x, y]\nanswer: x\ncolour: red", "unknown field 'colour'"),
        ("front: [x\n", "not readable as YAML"),
    ],
)
def test_a_broken_fields_cell_skips_its_row_saying_why(tmp_path: Path, fields: str, words: str) -> None:
    path = tmp_path / "deck.csv"
    cell = fields.replace('"', '""')
    path.write_text(f'{",".join(DECK_COLUMNS)}\nc,choice,,,Pick,,,"{cell}"\nb,basic,,,front,back,,\n', encoding="utf-8")
    result = import_file(path)
    assert [n.id for n in result.notes] == ["b"]
    assert any(p.line == 2 and p.message.startswith("row skipped: ") and words in p.message for p in result.problems), [
        str(p) for p in result.problems
    ]


def test_the_cli_round_trip_keeps_typed_alternatives_and_every_kind(capsys, tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path)]
    for suffix in SUFFIXES:
        exported = tmp_path / f"ketamine{suffix}"
        assert run(capsys, *data, "export", "ketamine", "-o", str(exported))[0] == 0
        code, out, err = run(capsys, *data, "import", str(exported), "--deck-id", f"k{suffix[1:]}")
        assert code == 0 and "skipped" not in out and not err, err
    decks = {s: parse_deck((tmp_path / "decks" / f"k{s[1:]}.yaml").read_bytes(), "k.yaml").deck for s in SUFFIXES}
    yaml_notes = decks[".yaml"].notes
    assert sum(1 for n in yaml_notes if n.kind == "typed" and n.body.accept) >= 1
    for suffix in (".csv", ".tsv"):
        assert [replace(n, line=0) for n in decks[suffix].notes] == [replace(n, line=0, sources=()) for n in yaml_notes]


# --- HTML from Anki and other tables -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ('<a title="x>y">link</a>', "link"),
        ("one<br>two<br/>three", "one\ntwo\nthree"),
        ("<div>one</div><div>two</div>", "\none\n\ntwo\n"),
        ("&amp;lt;p&amp;gt; &amp;amp;", "&lt;p&gt; &amp;"),  # entities decode once
        ("a &lt; b &amp;&amp; c", "a < b && c"),
        ("<style>p { color: red }</style>shown<!-- <b>hidden</b> -->", "shown"),
        ("<script>if (a<b) alert(1)</script>safe", "safe"),
        ("1 < 2 and 3>2", "1 < 2 and 3>2"),
        # a table row stays one line, whatever its cells hold (Anki's editor wraps a cell's lines in <div>)
        ("<table><tr><td><div>Drug</div></td><td><div>Dose</div></td></tr></table>", "\n\nDrug | Dose\n"),
        ("<table><tr><td><div>a</div><div>b</div></td><td>c<br>d</td></tr></table>", "\n\na b | c d\n"),
    ],
)
def test_html_is_read_by_a_parser(html: str, text: str) -> None:
    assert html_to_text(html) == (text, False)


#: Text with neither a tag nor an entity, which the cleaner gives back without running the parser.
PLAIN = st.text(st.characters(blacklist_characters="<&", blacklist_categories=("Cs",)) | st.sampled_from("\xa0>;\n"))


@settings(max_examples=300, derandomize=True, database=None)
@given(text=PLAIN)
def test_a_cell_with_no_tag_and_no_entity_reads_as_the_parser_reads_it(text: str) -> None:
    # an empty tag first makes the parser read the text; it adds nothing to it
    assert html_to_text(text) == html_to_text(f"<span></span>{text}")


#: Pieces of HTML: bare tags (read without the parser) and others, entities, stray `<` and `&`.
HTML_PIECES = st.sampled_from(
    (
        *("<b>", "</b>", "<B>", "</I>", "<br>", "<br/>", "<br />", "<BR/>", "</br>", "<div>", "</div>", "<li>"),
        *("</li>", "<p>", "<h1>", "</h1>", "<hr>", "<img>", "<a1>", "<template>", "</template>", "<p/>"),
        *("<style>", "</style>", "<script>", "</script>", "<STYLE>", "<img src=x>", '<b class="x>">'),
        *("</ b>", "< b>", "<b/ >", "<br  />", "<x-y>", "<!-- c -->", "<!x>", "<?x>", "</>", "<", ">", "/"),
        *("&nbsp;", "&amp;", "&lt;", "&#60;", "&#x3c;", "&amp", "&", ";", " ", "\n", "\xa0", "x", "é"),
    )
)


def parsed(text: str) -> tuple[str, bool]:
    """What html_to_text gives when the parser reads the whole text itself."""
    parser = cleaning._PlainText()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts).replace("\xa0", " "), parser.images > 0


@settings(max_examples=1000, derandomize=True, database=None)
@given(text=st.lists(HTML_PIECES | st.text(max_size=2), max_size=12).map("".join))
def test_a_cell_read_without_the_parser_reads_as_the_parser_reads_it(text: str) -> None:
    assert html_to_text(text) == parsed(text)


@pytest.mark.parametrize(
    ("html", "bare"),
    [
        ("<b>one</b>&nbsp;<br/>two &amp; <BR />three", True),
        ("</li>a &lt; b<hr>", True),
        ("<b class=x>one</b>", False),  # an attribute
        ("a < b", False),  # a `<` opening no tag
        ("<style>p<b>{}</style>", False),  # raw text inside
        ("<!-- c --><b>", False),
        ("<title><b>x</b></title>", False),  # raw text inside in newer Pythons' parsers: a tag outside the list
        ("<textarea>x</textarea>", False),
    ],
)
def test_only_text_whose_every_tag_is_bare_is_read_without_the_parser(html: str, bare: bool) -> None:
    parser = cleaning._PlainText()
    assert cleaning._read_bare(parser, html) is bare
    assert "".join(parser.parts).replace("\xa0", " ") == (parsed(html)[0] if bare else "")  # else handed nothing


@settings(max_examples=300, derandomize=True, database=None)
@given(text=PLAIN.filter(lambda t: "\n" not in t))
def test_a_one_line_cell_is_tidied_as_any_cell(text: str) -> None:
    assert tidy(text) == tidy(f"{text}\n")  # a line break makes tidy split and join the lines


def test_only_cells_that_are_html_are_cleaned_in_a_table_quiz_did_not_write(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("front,back\n<b>Java</b> generics,List<String>\nplain,a & b\n", encoding="utf-8")
    notes = import_file(sheet).notes
    assert [(n.body.front, n.body.back) for n in notes] == [("Java generics", "List<String>"), ("plain", "a & b")]
    assert [n.body.back for n in import_file(sheet, ImportOptions(html=True)).notes] == ["List", "a & b"]


def test_quiz_s_own_table_is_never_read_as_html_even_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "deck.csv"
    export_deck(Deck("d", "T", "d.yaml", notes=(new_note("n", "basic", front="<b>x</b>", back="a&amp;b"),)), path, 0)
    note = import_file(path, ImportOptions(html=True)).notes[0]
    assert (note.body.front, note.body.back) == ("<b>x</b>", "a&amp;b")


def test_an_invalid_deck_file_is_refused_with_its_problems_listed(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("deck: x\ntitle: X\ncards:\n  - id: a\n    kind: basic\n    front: f\n", encoding="utf-8")
    with pytest.raises(ImportFailure) as caught:
        import_file(path)
    assert str(caught.value) == f"{path} is not a valid deck (1 problem above); fix it"
    assert [(p.line, p.message) for p in caught.value.problems] == [(4, "missing field 'back'")]


@settings(max_examples=80, derandomize=True, database=None, deadline=None)
@given(
    texts=st.lists(TEXT, min_size=26, max_size=26),
    tags=st.lists(TEXT, max_size=3, unique=True).map(tuple),
    truth=st.booleans(),
    long=st.booleans(),
)
def test_a_deck_quiz_writes_is_checked_from_its_tree_as_from_its_text(
    texts: list[str], tags: tuple[str, ...], truth: bool, long: bool
) -> None:
    """An import checks the deck it writes from the tree the text is written from (not parsing the text
    again): the same notes, and the same problems (the loader refuses equal options, an over-long text)."""
    notes = one_of_each_kind(texts, tags, truth)
    if long:
        notes.append(new_note("n-long", "basic", front="x" * 20_000, back=texts[0]))
    text, tree = deck_document("d", "=Title <b>", notes, topics=(Topic("t-1", "&amp; topic"),), header="a\nb")
    assert text == deck_text("d", "=Title <b>", notes, topics=(Topic("t-1", "&amp; topic"),), header="a\nb")
    parsed, checked = parse_deck(text.encode(), "d.yaml"), check_tree(tree, "d.yaml")
    assert [(p.card_id, p.message, p.hint, p.severity) for p in checked.problems] == [
        (p.card_id, p.message, p.hint, p.severity) for p in parsed.problems
    ]
    assert (checked.deck is None) == (parsed.deck is None)
    if parsed.deck is not None and checked.deck is not None:
        assert [replace(n, line=0) for n in checked.deck.notes] == [replace(n, line=0) for n in parsed.deck.notes]
        assert replace(checked.deck, notes=(), cards=()) == replace(parsed.deck, notes=(), cards=())
        assert [c.key for c in checked.deck.cards] == [c.key for c in parsed.deck.cards]


def test_a_deck_s_tree_is_made_leaving_no_garbage_for_the_collector() -> None:
    """An import runs without cyclic garbage collection (quiz.commands.importing): what it lets go must go by
    reference counting, or a big deck's would stay until the import ends (it once left a cycle per card)."""
    import gc

    notes = [new_note(f"n-{number}", "basic", front=f"front {number}", back="back") for number in range(20)]
    gc.collect()
    collecting = gc.isenabled()
    gc.disable()
    try:
        deck_document("d", "Title", notes)
        assert gc.collect() == 0
    finally:
        if collecting:
            gc.enable()


def test_an_imported_deck_too_large_for_a_deck_file_is_refused_saying_so(tmp_path: Path, monkeypatch) -> None:
    from quiz.core import yamlsafe

    monkeypatch.setattr(yamlsafe, "MAX_BYTES", 2_000)
    rows = tmp_path / "big.csv"
    rows.write_text("".join(f"question {n},answer {n}\n" for n in range(200)), encoding="utf-8")
    with pytest.raises(ImportFailure, match="the deck could not be written: the file is larger than"):
        import_file(rows)


# --- The deck writer's nodes are PyYAML's own ---------------------------------------------------------------


def _reference(base: type) -> type:
    """A dumper on `base` with PyYAML's own representers and the deck writer's styles (a literal block for
    text of several lines, double quotes for odd line breaks or trailing ones, tags on one line)."""

    def text(dumper: Any, value: str) -> Any:
        style = None
        if set("\r\x85\u2028\u2029") & set(value) or value.endswith("\n"):
            style = '"'
        elif "\n" in value:
            style = "|"
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    class Reference(base):  # type: ignore[misc,valid-type]
        def ignore_aliases(self, data: Any) -> bool:
            return True

    if base is yaml.SafeDumper:  # as the deck writer's: lists indented under their key
        Reference.increase_indent = lambda self, flow=False, indentless=False: base.increase_indent(self, flow, False)
    Reference.add_representer(str, text)
    Reference.add_representer(_Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))
    Reference.add_representer(
        FlowMapping, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True)
    )
    for block in (list, tuple):
        Reference.add_representer(
            block, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=False)
        )
    return Reference


def _dumped(data: Any, dumper: type) -> str:
    return yaml.dump(data, Dumper=dumper, default_flow_style=False, width=100, allow_unicode=True, sort_keys=False)


# odd line breaks, long lines, and the starts of the texts YAML reads as another type or as a list's entry
ODD = ("\r", "\x85", "\u2028", "\u2029", "\n\n", "w " * 70, "12", "true", "~", "- ", "\n- ")
ODD_TEXT = st.lists(st.sampled_from((*HOSTILE, *ODD)), max_size=6).map("".join)


@settings(max_examples=100, derandomize=True, database=None, deadline=None)
@given(
    texts=st.lists(ODD_TEXT, min_size=26, max_size=26), tags=st.lists(TEXT, max_size=3).map(tuple), truth=st.booleans()
)
def test_a_card_is_written_as_pyyaml_s_own_representers_write_it(
    texts: list[str], tags: tuple[str, ...], truth: bool
) -> None:
    """The writer makes a card's nodes itself and writes many cards through one dumper, with a resolver of its
    own (for speed); each card's text is the one PyYAML's representers and resolver give the card alone."""
    slow, fast = _reference(yaml.SafeDumper), _reference(yaml.CSafeDumper)
    notes = one_of_each_kind(texts, tags, truth)
    for note in notes:
        fields = [note_fields(note)]
        assert dump(fields) == _dumped(fields, slow)
    many = notes * (_BATCH // len(notes) + 1)  # more than one dumper writes
    alone = [_dumped([note_fields(note)], fast).splitlines(True) for note in many]
    assert [block for block, _node in card_blocks(many)] == [
        "".join(line if line == "\n" else f"  {line}" for line in lines) for lines in alone
    ]


def test_numbers_booleans_and_flow_mappings_are_written_as_pyyaml_writes_them() -> None:
    data = [{"regions": [FlowMapping(x=0.1, y=1e-7, w=1.0, h=3)], "answer": True, "hint": None, "at": [1.5, -2]}]
    assert dump(data) == _dumped(data, _reference(yaml.SafeDumper))
    assert dump(data) == (
        "- regions:\n    - {x: 0.1, y: 1.0e-07, w: 1.0, h: 3}\n  answer: true\n  hint: null\n"
        "  at:\n    - 1.5\n    - -2\n"
    )
