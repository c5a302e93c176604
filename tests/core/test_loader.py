from pathlib import Path

import pytest

from quiz.core.decks import load_deck_file
from quiz.core.grading import grade_response
from quiz.core.kinds import KINDS
from quiz.core.library import load_decks
from quiz.core.model import Deck
from quiz.core.problems import Problem

DATA = Path(__file__).parents[1] / "data"

# file, words the error must contain, the line it must point at
BAD_DECKS = [
    # a quote or bracket left open: the line to fix, not the line (or the end of the file) where YAML gave up
    ("yaml_syntax.yaml", ["YAML syntax error", "this quote is never closed", "close it on this line"], 6),
    ("quote_closed_far_below.yaml", ["this quote is closed only at line 14, column 39", "close it on this line"], 6),
    ("bracket_not_closed.yaml", ["this '[' is not closed", "(line 8, column 11", "close it with ']'"], 7),
    # YAML's "mapping values are not allowed": a colon in a text, or a line indented too far
    ("colon_in_text.yaml", ["mapping values", 'a text holding ": " must be quoted'], 6),
    ("smart_quotes.yaml", ["mapping values", "typographic quotes (“...”)", 'straight double quotes ("...")'], 6),
    ("indented_too_far.yaml", ["column 6, out of line with the field above", "indent this line to column 5"], 5),
    # a card out of line with the card above it: YAML's words ("did not find expected key") name no column
    ("card_out_of_line.yaml", ["'-' is in column 4", "(line 4, column 3)", "move this '-' to column 3"], 11),
    # the card above ends in a field holding its own lines (`pairs:`), and a comment stands between them
    ("card_after_pairs.yaml", ["'-' is in column 4", "(line 4, column 3)", "move this '-' to column 3"], 12),
    ("card_indented_less.yaml", ["'-' is in column 2", "(line 4, column 3)", "move this '-' to column 3"], 8),
    # a card written without its '-': in the '-' column, or the first card, read as fields of `cards:` itself
    ("card_without_dash.yaml", ["where the '-' of each entry is (line 4)", "write '- ' before it"], 8),
    ("card_without_dash_indented.yaml", ["duplicate field 'id'", "if line 8 starts a new card, write '- '"], 8),
    ("first_card_without_dash.yaml", ["the entry above this one (line 4) has no '-'", "start line 4 with '- '"], 8),
    ("dash_without_space.yaml", ["this '-' has no space after it", "put a space after the '-'"], 8),
    # the first card's `-id: a`: YAML read '-id' as a key, and stopped at the field below, indented further
    ("first_card_dash_without_space.yaml", ["this '-' has no space after it", "put a space after the '-'"], 4),
    # a list's last entry `-Distribution`: YAML took it for a key, and stopped at the end of the file
    ("item_dash_without_space.yaml", ["this '-' has no space after it", "put a space after the '-'"], 9),
    # no YAML error, but no list: every card `-id: ...` (a mapping), or a list's first entry `-Absorption` (a text)
    ("cards_dash_without_space.yaml", ["'cards' must be a list: this '-' has no space", "put a space after"], 4),
    ("items_dash_without_space.yaml", ["'items' must be a list: this '-' has no space", "put a space after"], 8),
    # a text starting with a character YAML reads as syntax: its fix is quotes, not "fix the YAML at this position"
    ("answer_starts_with_gt.yaml", ["starts with '>', which starts a block of text", 'double quotes ("...")'], 7),
    ("back_starts_with_bracket.yaml", ["starts with '[', which starts a list", 'double quotes ("...")'], 7),
    ("front_starts_with_quote.yaml", ["starts with a quote", "single quotes ('...')"], 6),
    # in an options list: the entry's '-' is the list's, not out of line with the card's '-' above
    ("option_starts_with_gt.yaml", ["starts with '>'", 'double quotes ("...")'], 8),
    # a field's ':' left out, or written with no space after it: YAML names the line below, where it gave up
    ("field_without_colon.yaml", ["no ':' after its field name 'front'", "write `front: ...`"], 6),
    ("colon_without_space.yaml", ["this field's ':' has no space after it", "put a space after it"], 6),
    # a card's fields on one line, as a flow mapping's, without its braces: quotes would not make it a card
    ("fields_on_one_line_without_braces.yaml", ["mapping values", "put them in braces (`- {id: a,"], 6),
    ("field_indented_less.yaml", ["column 4, out of line with the field above", "indent this line to column 5"], 6),
    # a tab where YAML wants an indent: YAML's words ("cannot start any token") do not say it is a tab
    ("tab_indent.yaml", ["YAML syntax error: a tab: YAML indents with spaces", "replace the tab with spaces"], 4),
    ("tab_before_field.yaml", ["a tab: YAML indents with spaces", "replace the tab with spaces"], 7),
    ("duplicate_key.yaml", ["duplicate field 'front'", "first at line 6"], 8),
    ("unknown_field.yaml", ["unknown field 'bak'", "did you mean 'back'"], 7),
    ("missing_field.yaml", ["missing field 'answer'", "card a"], 4),
    ("wrong_type.yaml", ["'options' must be a list"], 7),
    ("duplicate_card_id.yaml", ["duplicate card id 'a'", "first at line 4"], 8),
    ("choice_answer_missing.yaml", ["'yellow' is not one of the options"], 8),
    ("cloze_no_gap.yaml", ["no gap", "{{answer}}"], 6),
    ("cloze_brace.yaml", ["gap is nested or holds a brace", "no { or } inside"], 6),
    # entries that look the same, told apart only by an invisible character: reported at the second one
    ("choice_options_look_alike.yaml", ["'options' lists 'A' and 'A\\u200b', which look the same"], 7),
    ("order_items_look_alike.yaml", ["'items' lists 't\\xadwo' and 'two', which look the same"], 10),
    ("match_sides_look_alike.yaml", ["the left side 'Paris\\ufeff' appears twice", "lines 8 and 9"], 9),
    ("order_one_item.yaml", ["'items' needs at least 2"], 7),
    ("undeclared_source.yaml", ["'artcle'", "does not declare", "did you mean 'art'"], 10),
    ("unknown_kind.yaml", ["unknown kind 'clozed'", "did you mean 'cloze'"], 5),
    ("truefalse_text.yaml", ["'answer' must be true or false"], 7),
    ("bad_id.yaml", ["'has space' is not a valid id"], 4),
    ("bad_siblings.yaml", ["card a-1: 'siblings' 'from Anki' is not a valid id", "use letters, digits"], 6),
    ("missing_deck_fields.yaml", ["missing deck field 'deck'"], 1),
    ("python_tag.yaml", ["python/object/apply", "not allowed"], 6),
    ("alias.yaml", ["aliases", "not allowed"], 10),
    ("multi_answer_missing.yaml", ["'d' is not one of the options"], 8),
    ("match_one_pair.yaml", ["'pairs' needs at least 2"], 8),
    ("undeclared_topic.yaml", ["topic 'mechanisms' is not declared", "did you mean 'mechanism'"], 8),
]


@pytest.mark.parametrize(("name", "words", "line"), BAD_DECKS, ids=[b[0] for b in BAD_DECKS])
def test_bad_deck_is_reported_with_position_and_fix(name: str, words: list[str], line: int) -> None:
    result = load_deck_file(DATA / "bad" / name)
    assert result.deck is None
    matching = [p for p in result.problems if all(w in str(p) for w in words)]
    assert matching, [str(p) for p in result.problems]
    problem = matching[0]
    assert problem.line == line
    assert str(problem).startswith(f"{DATA / 'bad' / name}:{line}:{problem.column}:")
    assert " — " in str(problem)  # every message says how to fix it


def _older_deck_with_one_warning(name: str, words: list[str], line: int) -> tuple[Deck, Problem]:
    """The deck `name` an older quiz wrote loads, with one problem: a warning holding `words`, at `line`, that says
    how to fix it."""
    path = DATA / "older" / name
    result = load_deck_file(path)
    assert result.ok and result.deck is not None, [str(p) for p in result.problems]
    (problem,) = result.problems
    assert problem.severity == "warning" and all(w in str(problem) for w in words), str(problem)
    assert str(problem).startswith(f"{path}:{line}:{problem.column}: warning:") and " — " in str(problem)
    return result.deck, problem


# Decks an older quiz loaded, and its importer wrote, holding a typed answer nothing typed can match (no letter,
# digit or sign once punctuation is ignored): each loads, the card kept, with a warning at the answer saying how to
# fix it. File, words the warning must contain, its line, what the card is studied as.
OLDER_DECKS = [
    (
        "typed_imported_by_older_quiz.yaml",  # as `quiz import --kind typed` wrote a table whose answer was '?'
        ["'answer' '?' has no letter, digit or sign", "studied as basic, self-graded", "`kind: basic`"],
        9,
        "basic",
    ),
    ("typed_answer_no_letters.yaml", ["'answer' '?' has no letter", "letters or digits"], 7, "basic"),
    ("typed_answer_invisible.yaml", ["'answer' '\\u200b' has no letter", "studied as basic"], 7, "basic"),
    ("typed_accept_no_letters.yaml", ["the 'accept' entry '...' has no letter", "on its other answers"], 10, "typed"),
]


@pytest.mark.parametrize(("name", "words", "line", "kind"), OLDER_DECKS, ids=[d[0] for d in OLDER_DECKS])
def test_a_typed_answer_nothing_typed_can_match_loads_its_deck_with_a_warning(
    name: str, words: list[str], line: int, kind: str
) -> None:
    deck, _ = _older_deck_with_one_warning(name, words, line)
    card = deck.cards[0]
    assert card.note.kind == kind and card.key == card.note.id  # its key, as before (a state is for its kind)


def test_a_deck_an_older_importer_wrote_is_studied_whole() -> None:
    """The card with '?' to type is asked, self-graded, its back that answer; the deck's other cards as before."""
    deck = load_deck_file(DATA / "older" / "typed_imported_by_older_quiz.yaml").deck
    assert deck is not None
    question, paris = deck.cards
    assert (question.key, question.note.kind, question.note.body.back) == ("what-ends-a-question-25cd8c", "basic", "?")
    assert grade_response(question, "?").correct is None  # left to the student
    assert (paris.note.kind, grade_response(paris, "paris").correct) == ("typed", True)


def test_a_typed_answer_nothing_typed_can_match_beside_one_that_can_is_graded_on_that_one(tmp_path: Path) -> None:
    deck = tmp_path / "d.yaml"
    deck.write_text(
        "deck: d\ntitle: T\ncards:\n"
        "  - id: a\n    kind: typed\n    front: Which sign?\n    answer: '?'\n    accept: [question mark]\n"
        "  - id: b\n    kind: typed\n    front: Which sign?\n    answer: '?'\n    accept: ['!']\n",
        encoding="utf-8",
    )
    result = load_deck_file(deck)
    assert result.deck is not None
    graded, self_graded = result.deck.cards
    assert (graded.note.kind, grade_response(graded, "question mark").correct) == ("typed", True)
    assert self_graded.note.kind == "basic"
    assert [(p.line, p.severity) for p in result.problems] == [(7, "warning"), (12, "warning")]
    assert "graded on its 'accept' entries" in result.problems[0].message
    assert "studied as basic" in result.problems[1].message


# Decks an older quiz loaded, and its importer wrote, holding a cloze gap nothing typed can match: each loads, with
# a warning at the text saying how to fix it; the gap makes no card, the others keep their keys (and history).
OLDER_CLOZE_DECKS = [
    (
        "cloze_imported_by_older_quiz.yaml",  # as `quiz import` wrote quiz's own table holding '{{?}}'
        ["the cloze gap '?' has no letter", "it makes no card; the note's other gaps are studied as before"],
        8,
        ["sentence-end/2", "capital-of-france"],
    ),
    ("cloze_gap_no_letters.yaml", ["the cloze gap '!!' has no letter", "the note makes no card"], 6, []),
]


@pytest.mark.parametrize(("name", "words", "line", "keys"), OLDER_CLOZE_DECKS, ids=[d[0] for d in OLDER_CLOZE_DECKS])
def test_a_cloze_gap_nothing_typed_can_match_loads_its_deck_with_a_warning(
    name: str, words: list[str], line: int, keys: list[str]
) -> None:
    deck, problem = _older_deck_with_one_warning(name, words, line)
    assert "write the answer itself in letters or digits: its card comes back with its history" in problem.hint
    assert [card.key for card in deck.cards] == keys


def test_a_cloze_gap_nothing_typed_can_match_shows_filled_in_on_the_other_gaps_cards() -> None:
    deck = load_deck_file(DATA / "older" / "cloze_imported_by_older_quiz.yaml").deck
    assert deck is not None
    full_stop = deck.cards[0]
    assert KINDS["cloze"].question(full_stop) == "A question ends with ? and a statement with a [...]."
    assert grade_response(full_stop, "full stop").correct is True


def test_every_problem_in_a_file_is_reported_at_once(tmp_path: Path) -> None:
    deck = tmp_path / "many.yaml"
    deck.write_text(
        "deck: d\ntitle: T\ncards:\n"
        "  - {id: a, kind: basic, front: q}\n"
        "  - {id: b, kind: choice, front: q, options: [x, y], answer: z}\n"
        "  - {id: c, kind: cloze, text: no gaps}\n"
    )
    messages = [str(p) for p in load_deck_file(deck).problems]
    assert len(messages) == 3
    assert [m.split(":")[1] for m in messages] == ["4", "5", "6"]


def test_every_kind_loads_into_its_cards(tmp_path: Path) -> None:
    result = load_deck_file(Path(__file__).parents[2] / "docs" / "example-deck.yaml")
    assert result.ok, [str(p) for p in result.problems]
    deck = result.deck
    assert {n.kind for n in deck.notes} == set(KINDS)
    keys = [c.key for c in deck.cards]
    assert "esketamine-route" in keys and "esketamine-route/reverse" in keys
    assert "class/1" in keys and "class/2" in keys
    assert len(keys) == len(set(keys))


def test_duplicate_deck_ids_across_files(tmp_path: Path) -> None:
    for name in ("one.yaml", "two.yaml"):
        (tmp_path / name).write_text("deck: same\ntitle: T\ncards: []\n")
    results = load_decks([tmp_path])
    assert results[0].ok
    assert results[1].deck is None
    assert "deck id 'same' is already used" in str(results[1].problems[-1])
    assert results[1].problems[-1].hint.startswith("keep one: delete this file or that one")


def test_a_deck_split_in_two_files_is_told_how_to_keep_its_history(tmp_path: Path) -> None:
    """Two files of one deck id sharing no card are no copy to delete: a deck split in two, each file half its cards,
    which keeps its history only as one deck."""
    (tmp_path / "pharm-1.yaml").write_text(
        "deck: pharm\ntitle: T\ncards:\n  - {id: a, kind: basic, front: q, back: x}\n"
    )
    (tmp_path / "pharm-2.yaml").write_text(
        "deck: pharm\ntitle: T\ncards:\n  - {id: b, kind: basic, front: q, back: y}\n"
    )
    results = load_decks([tmp_path])
    assert results[0].ok and results[1].deck is None
    hint = results[1].problems[-1].hint
    assert hint.startswith("the two files share no card: a deck is one file, so move this file's cards into that one")
    assert "delete" not in hint


def test_a_renamed_new_version_beside_the_old_file_is_not_called_the_copy_to_delete(tmp_path: Path) -> None:
    """A teacher's update renamed (pharm101-week3.yaml) beside the student's old pharm.yaml, which sorts first and
    loads: the update is the file not loaded, and is no copy to delete; the student chooses which to keep."""
    (tmp_path / "pharm.yaml").write_text("deck: pharm\ntitle: T\ncards: []\n")
    (tmp_path / "pharm101-week3.yaml").write_text("deck: pharm\ntitle: T, week 3\ncards: []\n")
    results = load_decks([tmp_path])
    assert results[0].deck is not None and results[1].deck is None
    problem = results[1].problems[-1]
    assert problem.message == f"deck id 'pharm' is already used by {tmp_path / 'pharm.yaml'}, loaded first"
    assert "the copy" not in problem.hint and "delete this file or that one" in problem.hint


def test_a_deck_id_used_in_another_folder_is_told_to_take_another_id(tmp_path: Path) -> None:
    """A deck of a folder given later (her deck folder after the shipped decks, a --deck folder after hers) is
    another deck, no copy to delete."""
    first, later = tmp_path / "first", tmp_path / "later"
    for folder in (first, later):
        folder.mkdir()
        (folder / "deck.yaml").write_text("deck: same\ntitle: T\ncards: []\n")
    [loaded, taken] = load_decks([first, later])
    assert loaded.ok and taken.deck is None
    assert str(taken.problems[-1]).endswith(
        f"deck id 'same' is already used by {first / 'deck.yaml'}, loaded first — give this deck another id: in this"
        " file, change the deck id same to same-2 (the `deck:` line; no other deck, nor any history, has it) to load"
        " it beside that one; its cards"
        " then start with no history"
    )


def test_scalars_as_written_are_kept_as_text(tmp_path: Path) -> None:
    deck = tmp_path / "d.yaml"
    deck.write_text(
        "deck: d\ntitle: T\ncards:\n  - {id: y, kind: typed, front: Year?, answer: 2019, accept: [2019.0]}\n"
    )
    note = load_deck_file(deck).deck.notes[0]
    assert note.body.answer == "2019" and note.body.accept == ("2019.0",)


def test_markup_is_kept_literally(tmp_path: Path) -> None:
    deck = tmp_path / "d.yaml"
    deck.write_text(
        "deck: d\ntitle: '[b]T[/b]'\ncards:\n  - {id: a, kind: basic, front: '[@click=app.quit]x', back: b}\n"
    )
    loaded = load_deck_file(deck).deck
    assert loaded.title == "[b]T[/b]" and loaded.notes[0].body.front == "[@click=app.quit]x"


def test_a_list_entry_in_typographic_quotes_split_by_its_comma_is_warned_of(tmp_path: Path) -> None:
    """`[“Furosemide, 40 mg”, ...]`: YAML reads “ as a letter, so the comma makes two options of one."""
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        "deck: d\ntitle: T\ncards:\n"
        "  - id: a\n    kind: choice\n    front: Which is a loop diuretic?\n"
        "    options: [Spironolactone, “Furosemide, 40 mg”, “Bumetanide”]\n    answer: Spironolactone\n",
        encoding="utf-8",
    )
    result = load_deck_file(deck)
    assert result.ok  # a warning: the deck loads
    [problem] = result.problems
    assert problem.severity == "warning" and (problem.line, problem.column) == (7, 31)
    assert "'options' entries 2 to 3 are one text in typographic quotes" in str(problem)
    assert 'straight double quotes ("...")' in str(problem)


def test_an_option_told_apart_only_by_an_invisible_character_is_reported_at_its_own_column() -> None:
    problem = next(p for p in load_deck_file(DATA / "bad" / "choice_options_look_alike.yaml").problems)
    assert (problem.line, problem.column) == (7, 25)  # the third option, "A\u200b"


def test_a_text_yaml_cuts_at_a_hash_is_warned_where_it_was_cut(tmp_path: Path) -> None:
    """`front: Which is drug #1?` reads 'Which is drug': YAML takes ' #' and the rest for a comment, and the text
    would be cut short without a word. A comment written as one (`# ...`) is no text cut short."""
    deck = tmp_path / "deck.yaml"
    deck.write_bytes(
        b"\xef\xbb\xbfdeck: d\r\ntitle: T\r\ncards:\r\n"
        b"  - id: a\r\n    kind: typed\r\n    front: Which is drug #1?\r\n    answer: x   # what she types\r\n"
        b'  - id: b\r\n    kind: basic\r\n    front: "Which is drug #2?"\r\n    back: |\r\n      y #3\r\n'
    )
    result = load_deck_file(deck)
    assert result.deck is not None and result.deck.notes[0].body.front == "Which is drug"
    assert [str(p) for p in result.problems] == [
        f"{deck}:6:26: warning: card a: 'front' stops before '#1?': YAML reads ' #' and what follows as a comment"
        ' — to keep it in the text, put the whole text in double quotes ("...")'
    ]


def test_a_slip_of_case_or_of_brackets_is_named_with_its_fix(tmp_path: Path) -> None:
    """An answer or a topic that differs from the declared one only in case (which spelling similarity alone
    does not find: `cyp3a4` shares no letter's case with `CYP3A4`), and a list written without its brackets."""
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        "deck: d\ntitle: T\ntopics: [{id: pk, title: PK}]\ncards:\n"
        "  - id: a\n    kind: choice\n    front: q\n    options: [CYP3A4, CYP2D6]\n    answer: cyp3a4\n"
        "  - id: b\n    kind: basic\n    front: q\n    back: x\n    topic: PK\n    tags: nmda, glutamate\n"
    )
    problems = [str(p).removeprefix(f"{deck}:") for p in load_deck_file(deck).problems]
    assert problems == [
        "9:13: card a: the answer 'cyp3a4' is not one of the options — did you mean 'CYP3A4'?",
        "14:12: card b: topic 'PK' is not declared in the deck's topics — did you mean 'pk'?",
        "15:11: card b: 'tags' must be a list — put it in brackets: `tags: [nmda, glutamate]`",
    ]
