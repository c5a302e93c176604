from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.core.decks import load_deck_file
from quiz.core.grading import grade_response
from quiz.core.kinds.typed import check_typed
from quiz.core.model import Card, Grade

EXAMPLE = Path(__file__).parents[2] / "docs" / "example-deck.yaml"


@pytest.fixture(scope="module")
def cards() -> dict[str, Card]:
    deck = load_deck_file(EXAMPLE).deck
    return {c.key: c for c in deck.cards}


@pytest.mark.parametrize(
    ("given", "correct", "near"),
    [
        ("Ketamine", True, False),
        ("  ketamine!! ", True, False),
        ("ketamin", True, True),
        ("esketamine", False, False),
        ("", False, False),
    ],
)
def test_typed_answers_forgive_case_spacing_punctuation_and_near_misses(given, correct, near) -> None:
    assert check_typed(given, ["Ketamine", "Ketalar"], 90) == (correct, near)


def test_typed_accepts_listed_alternatives_and_numbers_must_match() -> None:
    assert check_typed("ketalar", ["Ketamine", "Ketalar"], 90) == (True, False)
    assert check_typed("2018", ["2019"], 50) == (False, False)


def test_objective_kinds_are_exact(cards: dict[str, Card]) -> None:
    assert grade_response(cards["line"], "After other treatments have failed").correct
    assert not grade_response(cards["line"], "First line for everyone").correct
    right = frozenset({"Dissociation", "Raised blood pressure", "Nausea"})
    assert grade_response(cards["effects"], right).correct
    assert not grade_response(cards["effects"], right - {"Nausea"}).correct
    assert grade_response(cards["first-line"], False).correct
    assert not grade_response(cards["first-line"], True).correct
    items = cards["cascade"].note.body.items
    assert grade_response(cards["cascade"], items).correct
    assert not grade_response(cards["cascade"], tuple(reversed(items))).correct
    pairs = dict(cards["routes"].note.body.pairs)
    assert grade_response(cards["routes"], pairs).correct
    swapped = dict(zip(pairs, reversed(list(pairs.values())), strict=True))
    assert not grade_response(cards["routes"], swapped).correct


def test_cloze_gap_is_typed(cards: dict[str, Card]) -> None:
    assert grade_response(cards["class/1"], "nmda").correct
    assert grade_response(cards["class/2"], "antagonist").correct
    assert not grade_response(cards["class/2"], "agonist").correct


def test_revealing_without_answer_proposes_again(cards: dict[str, Card]) -> None:
    verdict = grade_response(cards["approval-year"], None)
    assert verdict.correct is False and verdict.proposed is Grade.AGAIN
    assert grade_response(cards["approval-year"], "2019").proposed is Grade.GOOD


def test_self_graded_kinds_leave_judgement_to_the_user(cards: dict[str, Card]) -> None:
    assert grade_response(cards["nmda-block"], "").correct is None


@pytest.mark.parametrize(
    ("given", "answer"),
    [
        ("40", "-40"),
        ("-40", "40"),
        ("C#", "C++"),
        ("C", "C++"),
        ("Na-", "Na+"),
        ("Na", "Na+"),
        ("1/2", "1-2"),
        ("12", "1.2"),
        ("12", "1,2"),  # a list or a decimal comma, not thousands
        ("10005", "1,0005"),
        ("5", ".5"),
        ("70", "70%"),
        ("5", "<5"),
        ("<5", ">5"),
        ("Cl", "Cl-"),
        ("C++ programming language", "C# programming language"),  # no near miss across a sign
        ("ketamine+", "ketamine"),
    ],
)
def test_signs_that_change_the_answer_must_match(given: str, answer: str) -> None:
    assert check_typed(given, [answer], 90) == (False, False)


@pytest.mark.parametrize(
    ("given", "answer"),
    [
        ("−40", "-40"),  # a minus sign pasted, the keyboard's typed
        ("1–2", "1-2"),  # an en dash for a range
        ("nmda receptor", "NMDA-receptor"),
        ("N methyl D aspartate", "N-methyl-D-aspartate"),
        ("gabriela k popescu", "Gabriela K. Popescu"),
        ("2019.", "2019"),
        ("70 %", "70%"),
        ("c ++", "C++"),
        ("Na+ K+ ATPase", "Na+/K+-ATPase"),
        ("ketamine esketamine", "ketamine — esketamine"),
        ("1000", "1,000"),  # a comma grouping thousands
        ("2,500,000", "2500000"),
        ("NMDA 受容体", "NMDA受容体"),  # Chinese and Japanese put no space between words
        ("ケタミン　受容体", "ケタミン受容体"),  # an input method's ideographic space
        ("氯胺酮受体", "氯胺酮 受体"),
    ],
)
def test_spacing_and_punctuation_between_words_still_do_not_matter(given: str, answer: str) -> None:
    assert check_typed(given, [answer], 90) == (True, False)


@pytest.mark.parametrize(
    ("given", "answer"),
    [
        ("ketamine", "ket\u00adamine"),  # a soft hyphen in the deck
        ("ketamine", "keta\u200bmine"),
        ("ketamine\u2060", "ketamine"),  # a word joiner pasted with the answer
        ("\ufeffNMDA", "NMDA"),
        ("flag", "fl\U000e0041ag"),  # a tag character
        ("café", "cafe\u0301"),  # é as e and a combining accent
    ],
)
def test_invisible_characters_are_not_compared(given: str, answer: str) -> None:
    assert check_typed(given, [answer], 100) == (True, False)


def test_zero_width_joiners_are_compared_as_written() -> None:
    """ZWNJ (U+200C) separates Persian word parts and ZWJ (U+200D) joins emoji: they are not dropped as invisible."""
    assert check_typed("می\u200cروم", ["میروم"], 100) == (False, False)


def test_a_near_miss_in_a_script_written_with_marks_is_forgiven() -> None:
    """A vowel sign or an anusvara is part of its letter, not a sign like + or %: a slip in one is a near miss."""
    assert check_typed("प्रधानमत्री", ["प्रधानमंत्री"], 85) == (True, True)


# What pharmacy and medical students type for real cards: (typed, the deck's answer, graded right).
PHARMACOLOGY = [
    ("0.5 mg/kg", "0.5 mg/kg", True),
    ("5 mg/kg", "0.5 mg/kg", False),
    (".5 mg/kg", "0.5 mg/kg", True),  # the zero before a decimal point left out
    ("0.5–1 mg/kg", "0.5-1 mg/kg", True),
    ("0.5 - 1 mg/kg", "0.5-1 mg/kg", True),  # a range typed with spaces
    ("0.5-1 mg/kg", "0.5 – 1 mg/kg", True),  # a range printed with spaces
    ("0.5 1 mg/kg", "0.5-1 mg/kg", False),
    ("0.51 mg/kg", "0.5 - 1 mg/kg", False),
    ("1 : 1000", "1:1000", True),
    ("1:100", "1:1000", False),
    ("1 / 2", "1/2", True),
    ("- 70 mV", "-70 mV", True),
    ("- 70 mV", "70 mV", False),  # a minus typed apart is still a minus
    ("ketamine - 40 mg", "ketamine 40 mg", True),  # a dash between words is no minus
    ("Cl -", "Cl-", True),
    ("mg / kg", "mg/kg", True),
    ("2. 5 mg", "2.5 mg", False),  # a full stop and a space are prose, not a decimal point
    ("40mg", "40 mg", True),  # no space between a number and its unit, or a letter and a number
    ("0.5mg/kg", "0.5 mg/kg", True),
    ("5HT2A", "5-HT2A", True),
    ("5-HT 2A", "5-HT2A", True),
    ("5-HT2C", "5-HT2A", False),
    ("CYP 3A4", "CYP3A4", True),
    ("CYP3A5", "CYP3A4", False),
    ("α 2", "α2", True),
    ("α1", "α2", False),
    ("Ca 2+", "Ca2+", True),
    ("Ca2", "Ca2+", False),
    ("Mg2+", "Ca2+", False),
    ("t 1/2", "t1/2", True),
    ("t ½", "t½", True),
    ("1 2 mg", "12 mg", False),  # a space between two numbers still counts
    ("1 000", "1000", True),  # a space grouping thousands
    ("1 00", "100", False),
    ("(S)-ketamine", "(R)-ketamine", False),  # a letter changed in a short word is no slip
    ("R-ketamine", "S-ketamine", False),
    ("r ketamine", "(R)-ketamine", True),
    ("Hepatitis C", "Hepatitis B", False),
    ("Class II antiarrhythmic", "Class III antiarrhythmic", False),
    ("Type I error", "Type II error", False),
    ("class III antiarrhythmc", "Class III antiarrhythmic", True),  # a slip in a long word is still forgiven
    ("IM", "IV", False),
    ("Ca2+", "Ca²⁺", True),  # an index printed as a superscript or subscript is typed as a digit
    ("HCO3-", "HCO₃⁻", True),
    ("ED50", "ED₅₀", True),
    ("LD50", "ED₅₀", False),
    ("mg/m2", "mg/m²", True),
    ("106", "10⁶", False),  # after a digit it is a power
    ("１０ ｍｇ", "10 mg", True),  # a Japanese or Chinese keyboard's full-width digits and letters
    ("１ ｍｇ", "10 mg", False),
    ("７０％", "70%", True),
    ("٤٠ ملغ", "40 ملغ", True),  # Arabic-Indic digits
    ("४० मिलीग्राम", "40 मिलीग्राम", True),  # Devanagari digits
    ("٤ ملغ", "40 ملغ", False),
    ("i.v.", "IV", True),  # a dotted abbreviation is its letters
    ("IV", "i.v.", True),
    ("p.o.", "PO", True),
    ("i.m.", "IV", False),
    ("b.i.d.", "BID", True),
    ("t.i.d.", "b.i.d.", False),
    ("Gabriela K.Popescu", "Gabriela K. Popescu", True),
    ("t1/2", "t½", True),  # a printed fraction is typed with a slash
    ("1 1/2 tablets", "1½ tablets", True),
    ("11/2 tablets", "1½ tablets", False),
    ("3/4", "¾", True),
    (">= 50%", "≥ 50%", True),  # a sign no keyboard has is typed as two
    ("> 50%", "≥ 50%", False),
    ("<= 5 mmol/L", "≤ 5 mmol/L", True),
    ("+/- 5", "± 5", True),
    ("5", "± 5", False),
    ("glutamate -> AMPA", "glutamate → AMPA", True),
    ("10^6 cells", "10⁶ cells", True),  # a printed power is typed with ^
    ("106 cells", "10⁶ cells", False),
    ("10^-6 M", "10⁻⁶ M", True),
    ("10-6 M", "10⁻⁶ M", False),  # a range, not a power
    ("10 6", "10^6", False),
    ("4 x 10^9/L", "4 × 10⁹/L", True),  # a times sign typed as x or *
    ("4*10^9/L", "4 × 10⁹/L", True),
    ("4 10^9/L", "4 × 10⁹/L", False),
    ("2x daily", "2 times daily", False),
    ("(-)-ketamine", "(−)-ketamine", True),  # the sign of an enantiomer
    ("ketamine", "(−)-ketamine", False),
    ("(+)-ketamine", "(−)-ketamine", False),
    ("(-)-ketamine", "(+)-ketamine", False),
]


@pytest.mark.parametrize(("given", "answer", "correct"), PHARMACOLOGY)
def test_pharmacology_answers(given: str, answer: str, correct: bool) -> None:
    assert check_typed(given, [answer], 90)[0] is correct


def test_a_near_miss_never_changes_a_short_word_even_at_a_low_tolerance() -> None:
    assert check_typed("(S)-ketamine", ["(R)-ketamine"], 50) == (False, False)
    assert check_typed("Hepatitis C", ["Hepatitis B"], 50) == (False, False)
    assert check_typed("class III antiarrhythmc", ["Class III antiarrhythmic"], 90) == (True, True)
    assert check_typed("Sao Paulo", ["São Paulo"], 85) == (True, True)  # an accent left out is still a slip
    assert check_typed("Sal Paulo", ["São Paulo"], 85) == (False, False)


# (typed, which gap of the text below, graded right): a cloze gap is graded as a typed answer.
CLOZE_TEXT = "Give {{0.5–1 mg/kg}}; it blocks {{Ca²⁺}} entry; arketamine is {{(R)-ketamine}}."
CLOZE_GAPS = [
    ("0.5 - 1 mg/kg", 1, True),
    ("5 mg/kg", 1, False),
    ("Ca2+", 2, True),
    ("Mg2+", 2, False),
    ("R ketamine", 3, True),
    ("(S)-ketamine", 3, False),
]


@pytest.mark.parametrize(("given", "gap", "correct"), CLOZE_GAPS)
def test_cloze_gaps_are_graded_as_typed_answers(tmp_path: Path, given: str, gap: int, correct: bool) -> None:
    deck = tmp_path / "d.yaml"
    deck.write_text(
        f'deck: d\ntitle: T\ncards:\n  - id: c\n    kind: cloze\n    text: "{CLOZE_TEXT}"\n', encoding="utf-8"
    )
    card = next(card for card in load_deck_file(deck).deck.cards if card.key == f"c/{gap}")
    assert grade_response(card, given).correct is correct


@pytest.mark.parametrize(
    ("given", "answer", "tolerance", "graded"),
    [
        # letters added or dropped two in a row, or at a word's start, make another word: never a near miss
        ("NMDA receptor agonist", "NMDA receptor antagonist", 90, (False, False)),
        ("competitive antagonist", "noncompetitive antagonist", 90, (False, False)),
        ("reversible inhibitor", "irreversible inhibitor", 90, (False, False)),
        ("typical antipsychotic", "atypical antipsychotic", 90, (False, False)),
        ("esketamine", "ketamine", 85, (False, False)),
        ("hypotension", "hypertension", 85, (False, False)),
        # slips are still forgiven: a letter left out, added, changed or two swapped, a space left out
        ("ketamin", "ketamine", 90, (True, True)),
        ("ketmaine", "ketamine", 85, (True, True)),
        ("recpetor", "receptor", 80, (True, True)),
        ("nmda recepter antagonist", "NMDA receptor antagonist", 90, (True, True)),
        ("NMDAreceptor", "NMDA receptor", 90, (True, True)),
        ("anesthetic", "anaesthetic", 90, (True, True)),
        ("serot0nin", "serotonin", 85, (True, True)),  # a digit in place of a letter is a key's slip
        ("ketamin3", "ketamine", 85, (True, True)),
        ("ketamin3 infusion", "ketamine infusion", 85, (True, True)),  # the space after a digit is not compared
        ("ketamine2", "ketamine", 85, (False, False)),  # a digit added names another thing
        ("alpha2 agonist", "alpha agonist", 85, (False, False)),
    ],
)
def test_a_near_miss_is_made_of_slips(given: str, answer: str, tolerance: int, graded: tuple[bool, bool]) -> None:
    assert check_typed(given, [answer], tolerance) == graded


# What students in Germany, France or England type for the deck's answer: (typed, the deck's answer). Each is the
# same answer, typed either way round.
SAME_ANSWER = [
    ("0,5", "0.5"),  # a decimal comma
    ("2,5 mg", "2.5 mg"),
    ("0,5–1 mg/kg", "0.5-1 mg/kg"),
    ("0,125 mg", "0.125 mg"),  # three decimals after a 0 group no thousands
    ("1234,567", "1234.567"),
    ("1,000", "1000"),  # a comma grouping thousands
    ("1,500 mg", "1500 mg"),  # read as thousands, never as 1.5 (below)
    ("10 000", "10000"),  # a space grouping thousands
    ("10\u2009000 IU", "10000 IU"),  # a thin space
    ("10\u202f000", "10,000"),  # a narrow no-break space
    ("1 000 000", "1,000,000"),
    ("10 000,5", "10000.5"),
    ("250 500", "250, 500"),  # a space that could group thousands parts a list as well
    ("125 250 500 mg", "125, 250, 500 mg"),
    (".5", "0.5"),  # the zero before a decimal point left out
    (".5 mg", "0,5 mg"),
    ("-.5", "-0.5"),
    ("~70%", "70%"),  # an approximation mark starting the answer
    ("≈ 70%", "70%"),
    ("~70%", "≈70%"),
    ("β-blocker", "beta-blocker"),  # a Greek letter written out
    ("beta blocker", "β-blocker"),
    ("α2", "alpha2"),
    ("alpha-2", "α2"),
    ("alpha 2 agonist", "α₂-agonist"),
    ("β2-agonist", "beta-2 agonist"),
    ("μ-opioid receptor", "mu opioid receptor"),
    ("kappa", "κ"),
    ("gamma-aminobutyric acid", "γ-aminobutyric acid"),
    ("delta-9-THC", "Δ9-THC"),  # a capital too
    ("beta hCG", "β-hCG"),
    ("5-alpha reductase", "5α-reductase"),
    ("TNF-alpha", "TNF-α"),
    ("NF-kappaB", "NF-κB"),  # a letter written against a word, typed against it or apart
    ("NF-kappa B", "NF-κB"),
    ("IkappaB", "IκB"),
    ("TNFalpha", "TNFα"),
    ("TNF alpha", "TNFα"),
    ("omega-3", "ω-3"),
    ("5 mcg", "5 µg"),  # micro, the micro sign or a Greek mu, after a number
    ("5ug/kg", "5 μg/kg"),
    ("0,5 mcg", ".5 µg"),
    ("0.50", "0.5"),  # zeros ending the decimals of a number below one
    ("0,50 mg/kg", ".5 mg/kg"),
    ("0.250", "0.25"),
    ("0.0", "0"),
    ("0.50-0.75", "0.5-0.75"),
    ("TNFalpha", "TNF-α"),  # a letter after a hyphen, typed against the word before it
    ("NFkappaB", "NF-κB"),
    # the forms an input method or a copied PDF gives a character in are that character
    ("ｹﾀﾐﾝ", "ケタミン"),  # a Japanese keyboard in half-width mode
    ("ｹﾞﾙ", "ゲル"),  # a half-width voiced mark joins its kana
    ("ＮＭＤＡ受容体", "NMDA受容体"),
    ("10mg", "10㎎"),  # a unit written as one square
    ("10 mcg", "10㎍"),
    ("37°C", "37℃"),
    ("II型", "Ⅱ型"),  # a Roman numeral
    ("كيتامين", "ﻛﻴﺘﺎﻣﻴﻦ"),  # Arabic presentation forms
    ("كيتامين", "كيـتامين"),  # a tatweel only stretches the word
    ("٠٫٥ ملغ/كغ", "0.5 ملغ/كغ"),  # the Arabic decimal separator
    ("١٬٠٠٠", "1000"),  # and thousands separator
    ("0.5〜1mg/kg", "0.5～1mg/kg"),  # a range: a Mac's wave dash, Windows' full-width tilde
    ("0.5-1 mg/kg", "0.5～1 mg/kg"),
    ("０．５ー１ｍｇ", "0.5-1 mg"),  # '-' typed in kana mode is the long-vowel mark
    ("０。５ｍｇ", "0.5 mg"),  # and '.' the ideographic full stop
    ("الانفصال", "الاِنْفِصَال"),  # Arabic written without its vowel marks, as it is every day
]


@pytest.mark.parametrize(("typed", "answer"), SAME_ANSWER)
def test_numbers_greek_letters_and_approximations_as_students_type_them(typed: str, answer: str) -> None:
    assert check_typed(typed, [answer], 90) == (True, False)
    assert check_typed(answer, [typed], 90) == (True, False)


# Answers that must stay different however they are written: each pair, either way round, is wrong.
DIFFERENT_ANSWERS = [
    ("0.5", "5"),
    ("0,5", "5"),
    ("1,5", "15"),
    ("0,5", "05"),
    (".5", "5"),
    ("-.5", ".5"),
    ("1,500", "1.5"),  # 1,500 is fifteen hundred, never one and a half
    ("1,500", "1,5"),
    ("1.500", "1500"),  # a point is a decimal point, never a thousands one
    ("1.500", "1.5"),  # nor are the zeros after it left out
    ("0,500", "500"),
    ("2,3", "23"),
    ("1,2,3", "1.2.3"),  # a list
    ("1,2,3", "123"),
    ("1 2 mg", "12 mg"),  # a space between numbers that groups no thousands
    ("1 00", "100"),
    ("10 0000", "100000"),
    ("0 500", "500"),
    ("CD4 200", "CD4200"),  # a space after a letter and a number groups nothing
    ("10 000", "1000"),
    ("250500", "250, 500"),  # a list is not one number
    ("1 000 000", "1 000"),
    ("~70%", "70"),
    ("~5", "<5"),
    ("~", "70"),
    ("x ~ y", "x y"),  # a ~ not before the answer's number is kept
    ("beta", "betamethasone"),
    ("β", "betamethasone"),
    ("mu", "mus"),
    ("μ", "mus"),
    ("α1", "α2"),
    ("β1", "β2"),
    ("α", "alpha2"),  # a digit added to a name is no slip
    ("δ", "Δ9"),
    ("ketamine", "ketamine2"),
    ("α-blocker", "β-blocker"),
    ("μg", "mg"),
    ("5 µg", "5 mg"),
    ("5 ug", "5 g"),
    ("μg", "mcg"),  # micro only after a number
    ("πυρ", "pi upsilon rho"),  # a Greek word is its letters, not their names
    ("0.05", "0.5"),  # only the zeros ending the decimals are left out
    ("0.005", "0.05"),
    ("0.5", "0.05"),
    ("00", "0"),
    ("1.10", "1.1"),  # a version, a section or a German date: only a number below one loses its zeros
    ("1.0", "1"),
    ("1.000", "1"),  # a thousand, written in German
    ("0.10.2", "0.1.2"),
    ("TNF", "TNF-α"),
    ("TNF-β", "TNF-α"),
    ("TNF-b", "TNF-α"),
    ("TNFb", "TNF-α"),
    ("a-blocker", "β-blocker"),
    ("b", "α"),
    ("bblocker", "β-blocker"),
    ("IL-1a", "IL-1β"),
    ("5 g", "5 γ"),  # after a number γ is a microgram: g is a million times more
    ("5g/kg/min", "5γ/kg/min"),
    ("0.5 mg", "0.5 mγ"),  # a nanogram
    ("10", "10㎎"),  # a unit written as one square is no punctuation
    ("10㎍", "10㎎"),
    ("37℉", "37℃"),
    ("けたみん", "ケタミン"),  # hiragana is not katakana: a loanword is written in katakana
    ("Ⅲ型", "Ⅱ型"),
    ("Ol", "Öl"),  # an umlaut left out is a letter left out
    ("٢٫٥", "25"),  # a decimal separator is no punctuation
    ("0.5~1", "0.51"),  # a range is no decimal
    ("ケーキ", "ケキ"),  # the long-vowel mark is a letter between kana
    ("0。5", "5"),
    ("الغثيان", "الاِنْفِصَال"),
    ("Oe", "Öl"),
]


@pytest.mark.parametrize(("typed", "answer"), DIFFERENT_ANSWERS)
def test_answers_that_differ_stay_different(typed: str, answer: str) -> None:
    assert check_typed(typed, [answer], 50) == (False, False)
    assert check_typed(answer, [typed], 50) == (False, False)


# A Greek letter biology spells with a Latin one, typed so: right for the deck's Greek letter, but a Latin letter
# in the deck is never right for a Greek one typed (hepatitis β is not Hepatitis B).
LATIN_FOR_GREEK = [
    ("TNFa", "TNF-α"),
    ("TNF-a", "TNF-α"),
    ("TNF a", "TNFα"),
    ("b-blocker", "β-blocker"),
    ("b blocker", "β-blocker"),
    ("NF-kB", "NF-κB"),
    ("NFkB", "NF-κB"),
    ("IFN-g", "IFN-γ"),
    ("IL-1b", "IL-1β"),
    ("d9-THC", "Δ9-THC"),
    ("PKCe", "PKCε"),
    ("a2 agonist", "α₂-agonist"),
    ("k", "κ"),
    ("CD3g", "CD3γ"),  # a gene's number: its γ is no microgram
]


@pytest.mark.parametrize(("typed", "answer"), LATIN_FOR_GREEK)
def test_a_greek_letter_typed_as_its_latin_letter_is_right_only_that_way(typed: str, answer: str) -> None:
    assert check_typed(typed, [answer], 90) == (True, False)
    assert check_typed(answer, [typed], 90) == (False, False)


# German spells an umlaut with an e where a keyboard has none: right for the deck's umlaut, but an ae, oe or ue in
# the deck is no umlaut, so an umlaut typed for it is a wrong letter (Pö is not Poe, Düll not Duell).
UMLAUT_SPELT = [
    ("Uebelkeit", "Übelkeit"),
    ("OEL", "Öl"),
    ("Muedigkeit und Aerger", "Müdigkeit und Ärger"),
    ("Muedigkeit und Ärger", "Müdigkeit und Ärger"),  # spelt in one word, not the other
    ("Schwindelgefuehl", "Schwindelgefu\u0308hl"),  # written decomposed (NFD), as macOS writes
    ("Poe", "Pö"),
    ("Hue", "Hü"),
    ("Duell", "Düll"),
    ("Israel", "Isräl"),
    ("Aerosol", "Ärosol"),
]


@pytest.mark.parametrize(("typed", "answer"), UMLAUT_SPELT)
def test_an_umlaut_typed_with_an_e_is_right_only_that_way(typed: str, answer: str) -> None:
    assert check_typed(typed, [answer], 90) == (True, False)
    assert check_typed(answer, [typed], 90) == (False, False)


_LATIN_SPELT = "αβγδεκ"


@settings(max_examples=200)
@given(
    st.sampled_from(_LATIN_SPELT),
    st.sampled_from(_LATIN_SPELT),
    st.sampled_from(["TNF-{}", "TNF{}", "{}-blocker", "{}", "NF-{}B", "{}2 agonist"]),
    st.sampled_from(["latin", "name"]),
    st.sampled_from(["", "-", " "]),
)
def test_another_greek_letter_is_wrong_however_it_is_typed(
    meant: str, typed_letter: str, answer: str, spelt: str, hyphen: str
) -> None:
    """A Greek letter, typed as its Latin letter or its name, with or without a hyphen, is right for itself only."""
    from quiz.core.answertext import _GREEK_LATIN, _GREEK_NAMES

    letter = (_GREEK_LATIN if spelt == "latin" else _GREEK_NAMES)[typed_letter]
    typed = answer.replace("-{}", hyphen + "{}").format(letter)
    assert check_typed(typed, [answer.format(meant)], 50)[0] is (meant == typed_letter), (typed, answer, meant)


def _ambiguous(whole: int, decimals: str) -> bool:
    """Whether `whole,decimals` is the number 1,500, read as thousands: a decimal comma then is 1500."""
    return 1 <= whole <= 999 and len(decimals) == 3


def _value(whole: int, decimals: str) -> tuple[int, str]:
    """The number `whole.decimals` as the grader compares it: below one, the zeros ending its decimals left out."""
    return (whole, decimals.rstrip("0")) if whole == 0 else (whole, decimals)


def _grouped(whole: int, by: str) -> str:
    return f"{whole:,}".replace(",", by)


_NUMBER_WRITINGS = {
    "point": lambda whole, decimals: f"{whole}" + (f".{decimals}" if decimals else ""),
    "no leading zero": lambda whole, decimals: (
        (f".{decimals}" if whole == 0 and decimals else f"{whole}") + (f".{decimals}" if decimals and whole else "")
    ),
    "decimal comma": lambda whole, decimals: f"{whole}" + (f",{decimals}" if decimals else ""),
    "English": lambda whole, decimals: _grouped(whole, ",") + (f".{decimals}" if decimals else ""),
    "French": lambda whole, decimals: _grouped(whole, "\u202f") + (f",{decimals}" if decimals else ""),
    "spaced": lambda whole, decimals: _grouped(whole, " ") + (f".{decimals}" if decimals else ""),
    "approximately": lambda whole, decimals: f"~{whole}" + (f".{decimals}" if decimals else ""),
}
_NUMBERS = st.tuples(
    st.one_of(st.integers(0, 2_000), st.integers(0, 10**8)),
    st.one_of(st.just(""), st.text("0123456789", min_size=1, max_size=4)),
)


@settings(max_examples=1_000)  # 3 ms each
@given(_NUMBERS, _NUMBERS, st.lists(st.sampled_from(sorted(_NUMBER_WRITINGS)), min_size=2, max_size=2))
def test_two_numbers_are_the_same_answer_only_when_they_are_the_same_number(
    first: tuple[int, str], second: tuple[int, str], ways: list[str]
) -> None:
    """However each is written, a number is right for itself and never for another (1.50 is not 1.5: a version,
    a section, a German date; 0.50 is 0.5). The decimal comma of three decimals after 1 to 999 is left out: it is
    thousands."""
    writings = {way: [_NUMBER_WRITINGS[way](*number) + " mg" for number in (first, second)] for way in ways}
    if any(_ambiguous(*number) for number in (first, second)) and {"decimal comma", "French"} & set(ways):
        return
    typed, answer = writings[ways[0]][0], writings[ways[1]][1]
    assert check_typed(typed, [answer], 50)[0] is (_value(*first) == _value(*second)), (typed, answer)
    assert check_typed(typed, [writings[ways[1]][0]], 50) == (True, False), (typed, writings[ways[1]][0])


def test_arabic_vowel_marks_typed_are_compared_with_an_answer_that_has_them() -> None:
    """An answer written with its vowel marks is right without them; both written with them, the marks typed are
    the ones asked (a different mark is a slip, never right as it is)."""
    assert check_typed("الاَنْفَصَال", ["الاِنْفِصَال"], 100) == (False, False)
    assert check_typed("الاِنْفِصَال", ["الانفصال"], 100) == (True, False)


@pytest.mark.parametrize(
    ("typed", "answer", "differing"),
    [
        ("مدرّسة", "مُدَرِّسَة", "مدرَسة"),  # only the shadda written, as everyday Arabic often does
        ("كتَب", "كَتَبَ", "كتُب"),  # one vowel written, the others left out
        ("مُدَرِّسَة", "مدرّسة", "مُدَرَسَة"),  # written in full for an answer that writes only the shadda
    ],
)
def test_arabic_written_with_some_of_its_vowel_marks_is_right_when_none_differs(
    typed: str, answer: str, differing: str
) -> None:
    """None of the marks and all of them are right: some of them, none differing from the answer's, are too."""
    assert check_typed(typed, [answer], 90) == (True, False)
    assert check_typed(answer, [typed], 90) == (True, False)
    assert check_typed(differing, [answer], 90) == (False, False)  # a mark where the answer has another
