"""How answers and options are compared: the forms in which one text is typed, printed or pasted read as one
(a typed answer's `normalize_answer`, an option's `as_seen`). Loaded when a card kind grades or checks, not at start."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from quiz.core.text import quoted

# Format characters that draw nothing and steer nothing: soft hyphen, combining grapheme joiner, zero-width
# space, word joiner and the invisible operators, byte order mark, tag characters. Shown as they are (they are
# no threat to a terminal), but ignored wherever texts are compared, so `A` and `A` + U+200B are one option and
# one answer. ZWNJ and ZWJ (U+200C, U+200D) are not among them: Persian, Indic scripts and emoji need them.
_INVISIBLE = re.compile("[\u00ad\u034f\u200b\u2060-\u2064\ufeff\U000e0000-\U000e007f]")


# Signs typed one way and printed another compare as the same sign: a pasted minus (U+2212) or en dash is
# the keyboard's '-', a fraction slash '/'.
_SAME_SIGN = {"\u2212": "-", "\u207b": "-", "\u208b": "-", "\u207a": "+", "\u208a": "+", "\u2044": "/", "\u2215": "/"}
# A sign no keyboard has is the one typed for it: >= is ≥, <= is ≤, +/- is ±, -> is →, and an x or * between
# numbers is × (4 x 10^9).
_TYPED_SIGNS = {">=": "\u2265", "<=": "\u2264", "+/-": "\u00b1", "->": "\u2192"}
_TYPED_SIGN = re.compile("|".join(re.escape(typed) for typed in _TYPED_SIGNS))
_TIMES = re.compile(r"(?<=\d)\s*[x*]\s*(?=\d)")
# Between numbers a tilde is the range Japanese and Chinese write with it (0.5～1 is 0.5-1, as the wave dash 〜 a Mac
# types for it already is), and the long-vowel mark ー is the '-' a Japanese keyboard in kana mode types.
_RANGE_DASH = re.compile(r"(?<=\d)\s*[~\u30fc]\s*(?=\d)")
# and the ideographic full stop 。 it types for '.' is a decimal point between digits (０。５ is 0.5)
_DECIMAL_STOP = re.compile(r"(?<=\d)\u3002(?=\d)")
# The forms an input method or a copied PDF gives a character in are that character (their compatibility form,
# NFKC): a Japanese or Chinese keyboard's full-width １０ ｍｇ is 10 mg and its half-width ｹﾀﾐﾝ is ケタミン; a unit
# written as one square, ㎎ ㎍ ㎖ ℃, is mg, μg, ml, °C (left a symbol it was dropped, and 10㎎ was right for 10 and
# for 10㎍); a Roman numeral Ⅱ is II; Arabic letters in their presentation forms are the letters.
_COMPATIBILITY_FORM = re.compile("[\u2103\u2109\u2160-\u2188\u3300-\u33ff\ufb50-\ufdff\ufe70-\ufefc\uff01-\uffef]+")
# Arabic writes a number's decimal point and thousands comma with signs of its own: ٠٫٥ is 0.5, ١٬٠٠٠ is 1,000.
# A tatweel only stretches an Arabic word: it is no letter of it.
_ARABIC_SIGNS = str.maketrans({"\u066b": ".", "\u066c": ",", "\u0640": None})
# Digits typed one way and printed another are the same: Arabic-Indic ٤٠ or Devanagari ४० is 40. A sub- or
# superscript digit not after a digit is an index (Ca²⁺ is Ca2+, ED₅₀ is ED50, mg/m² is mg/m2); after a digit it
# is a power, as typed with ^ (10⁶ is 10^6, not 106; 10⁻⁶ is 10^-6, not the range 10-6). A fraction is its
# digits, apart from a number before it: t½ is t1/2, 1½ is 1 1/2 (not 11/2).
_SCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉"
_AS_DIGITS = str.maketrans(_SCRIPT_DIGITS, "0123456789" * 2)
_INDEX = re.compile(f"(?<![\\d{_SCRIPT_DIGITS}])[{_SCRIPT_DIGITS}]+")
_POWER = re.compile(f"(?<=\\d)[\u207a\u207b]?[{_SCRIPT_DIGITS[:10]}]+")
_AS_POWER = str.maketrans({**{ch: str(n) for n, ch in enumerate(_SCRIPT_DIGITS[:10])}, "\u207a": "+", "\u207b": "-"})
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
_FRACTION = re.compile("[\u00bc-\u00be\u2150-\u215e\u2189]")
# A Greek letter pharmacology writes as a symbol is typed as its name (β-blocker is beta-blocker, α2 is alpha-2,
# μ-opioid is mu-opioid), as a word of its own (β-hCG is beta hCG). One written against a word is typed against it
# as often (NF-kappaB for NF-κB, TNFalpha for TNFα), and one after a hyphen is typed against the word before it
# (TNFalpha for TNF-α): the grader reads it each way (`greek_at`). Only a letter standing alone: in a Greek word
# each letter is itself (μύς stays μύς). Omicron is left out: it looks like o.
_GREEK_NAMES = dict(
    zip(
        "αβγδεζηθικλμνξπρστυφχψω",
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau upsilon phi chi"
        " psi omega".split(),
        strict=True,
    )
)
# The letters biology writes with the Latin letter they are spelt with (TNF-a, IL-1b, IFN-g, d9-THC, PKCe, NF-kB):
# read so in the deck's answer only (`greek_latin`), as a Latin letter typed never means a Greek one.
_GREEK_LATIN = {"α": "a", "β": "b", "γ": "g", "δ": "d", "ε": "e", "κ": "k"}
_GREEK = "\u0370-\u03ff\u1f00-\u1fff"
# After a number γ is the microgram older books and intensive care write (5 γ/kg/min, 5 mγ a nanogram): never read
# as g, a million times more. A number follows no letter: CD3γ is a gene's, CD3g.
_GAMMA_DOSE = re.compile(f"(?<![^\\W_])(\\d[\\d.,]*\\s?m?)\u03b3(?![{_GREEK}])")
# After a number μ is the unit prefix micro, which prescriptions write mc and keyboards u: 5 μg is 5 mcg and 5 ug.
_MICRO = re.compile(r"(?<=\d)(\s?)(?:\u03bc|u(?=g\b))(?=[a-z])")
_GREEK_LETTER = re.compile(f"(?<![{_GREEK}])[{''.join(_GREEK_NAMES)}](?![{_GREEK}])")
_HYPHEN_BEFORE_GREEK = re.compile(f"(?<=[^\\W_])[-\u2010\u2011](?={_GREEK_LETTER.pattern})")
#: Where a Greek letter's name stands (above): a word of its own, against the word it is written against, or
#: also against the word a hyphen parts it from.
GreekAt = Literal["apart", "against", "joined"]


# German writes ä, ö, ü as ae, oe, ue where a keyboard has none (Uebelkeit for Übelkeit), as it writes ß as ss. Only
# an umlaut of the answer is typed so: an ae, oe or ue the answer writes is no umlaut (Pö is not Poe, Düll not
# Duell), and a plain u never stands for ü.
_UMLAUT = re.compile("[äöüÄÖÜ]|[aouAOU]\u0308")
_UMLAUT_SPELT = {"ä": "(?:ä|ae)", "ö": "(?:ö|oe)", "ü": "(?:ü|ue)"}


def has_umlaut(text: str) -> bool:
    """Whether `text` holds an ä, ö or ü (`umlauts_spelt`)."""
    return _UMLAUT.search(text) is not None


def umlauts_spelt(answer: str) -> re.Pattern[str]:
    """`answer` as `normalize_answer` reads it, each of its ä, ö, ü typed as it is or as ae, oe, ue."""
    return re.compile("".join(_UMLAUT_SPELT.get(ch) or re.escape(ch) for ch in normalize_answer(answer)))


# Arabic's short vowels and other vowel marks (harakat: fatha, kasra, damma, sukun, shadda, tanwin, dagger alif) are
# left out in everyday writing, or only some written (a shadda, a vowel that tells two words apart): a word so
# written is the word written in full (`harakat_agree`).
_HARAKAT = re.compile("[\u064b-\u065f\u0670]")


def has_harakat(text: str) -> bool:
    """Whether `text` holds an Arabic vowel mark."""
    return _HARAKAT.search(text) is not None


def harakat_agree(typed: str, answer: str) -> bool:
    """Whether `typed` is `answer` (as `normalize_answer` reads both) letter for letter, with vowel marks that never
    differ where both write some on a letter: marks one leaves out are not asked (كتب and كتَب are كَتَبَ), marks
    that differ are another word (كُتُب is not كَتَبَ)."""
    typed_letters, answer_letters = _marked_letters(typed), _marked_letters(answer)
    return len(typed_letters) == len(answer_letters) and all(
        letter == other and (marks <= other_marks or other_marks <= marks)
        for (letter, marks), (other, other_marks) in zip(typed_letters, answer_letters, strict=True)
    )


def _marked_letters(text: str) -> list[tuple[str, set[str]]]:
    """Each character of `text` as `normalize_answer` reads it, with the vowel marks written on it."""
    letters: list[tuple[str, set[str]]] = []
    for ch in normalize_answer(text):
        if letters and _HARAKAT.match(ch):
            letters[-1][1].add(ch)
        else:
            letters.append((ch, set()))
    return letters


def has_greek_letter(text: str) -> bool:
    """Whether `text` holds a Greek letter `normalize_answer` reads as its name (`greek_at`, `greek_latin`)."""
    return _GREEK_LETTER.search(text.casefold()) is not None


def _as_typed(text: str, greek_at: GreekAt, greek_latin: bool) -> str:
    """`text` (casefolded) with its digits, fractions, signs and Greek letters as a keyboard types them (above)."""
    text = _POWER.sub(lambda power: "^" + power.group().translate(_AS_POWER), text)
    text = _INDEX.sub(lambda index: index.group().translate(_AS_DIGITS), text)
    text = _FRACTION.sub(lambda fraction: " " + unicodedata.normalize("NFKC", fraction.group()), text)
    text = _TYPED_SIGN.sub(lambda sign: _TYPED_SIGNS[sign.group()], text)
    text = _OTHER_DIGIT.sub(lambda digit: str(unicodedata.decimal(digit.group())), text)
    text = _DECIMAL_STOP.sub(".", _RANGE_DASH.sub("-", text))
    text = _MICRO.sub(r"\1mc", text)
    if greek_at == "joined":
        text = _HYPHEN_BEFORE_GREEK.sub("", text)
    apart = " " if greek_at == "apart" else ""
    if greek_latin:
        text = _GAMMA_DOSE.sub(rf"\1{apart}{_GREEK_NAMES['γ']}{apart}", text)
    names = {**_GREEK_NAMES, **_GREEK_LATIN} if greek_latin else _GREEK_NAMES
    text = _GREEK_LETTER.sub(lambda letter: f"{apart}{names[letter.group()]}{apart}", text)
    return _TIMES.sub("\u00d7", text)


# Signs that change what an answer says wherever they stand (C++, Na+, 70%, <5, ±, ↑, $, 10^6): maths and
# currency signs, and these.
_ALWAYS_KEPT = "#%\u2030^"
_BETWEEN_DIGITS = "-/:.,"  # 1-2, 1/2, 1:2, 1.5, 1,2; elsewhere punctuation between words
# Signs read past the spaces beside them: 0.5 - 1 is the range 0.5-1, 1 : 1000 the ratio 1:1000 and - 40 the
# minus -40 (a space after '.' or ',' is prose: '2. 5 mg' is not 2.5).
_SPACED = "-/:"


def _sign(ch: str) -> str:
    return _SAME_SIGN.get(ch) or ("-" if unicodedata.category(ch) == "Pd" else ch)


def _keeps_meaning(ch: str, before: str, after: str) -> bool:
    """Whether the sign `ch`, between the characters `before` and `after` ("" at an end), changes what an answer
    says. A '-' joining words (NMDA-receptor, COVID-19) or a '.' ending one (K. Popescu) does not."""
    if ch in _ALWAYS_KEPT or unicodedata.category(ch) in ("Sm", "Sc"):
        return True
    if ch in _BETWEEN_DIGITS and before.isdigit() and after.isdigit():
        return True
    if ch == "-":  # a minus (-40, (-2)), a charge (Cl-), or the sign of an enantiomer ((-)-ketamine)
        minus_or_charge = (after.isdigit() and not before.isalnum()) or (before.isalnum() and not after.isalnum())
        return minus_or_charge or before + after == "()"
    return ch in ".," and after.isdigit() and not before.isalpha()  # a decimal point: .5 is not 5


def as_seen(text: str) -> str:
    """`text` as a reader sees it: invisible format characters removed, accents composed (é written as e and a
    combining accent is é): two texts that look the same are the same once made so."""
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text))


def _as_keyed(text: str) -> str:
    """`text` with the compatibility forms of its characters as they are keyed, Arabic separators as the signs
    they are and its tatweels gone (above)."""
    text = text.translate(_ARABIC_SIGNS)
    return _COMPATIBILITY_FORM.sub(lambda forms: unicodedata.normalize("NFKC", forms.group()), text)


_LETTER_OR_DIGIT = re.compile(r"[^\W_]")  # what normalize_answer always keeps


# Chinese and Japanese are written without spaces between words, so one typed beside a kanji or kana parts
# nothing (NMDA 受容体 is NMDA受容体).
_WRITTEN_UNSPACED = re.compile(
    "[\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]"
)


def _in_a_word(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch)[0] == "M"  # a mark is part of its letter (कि is not क)


def kept_signs(normalized: str) -> list[str]:
    """The signs a `normalize_answer` result kept, in order: all it holds besides words and single spaces."""
    return [ch for ch in normalized if ch != " " and not _in_a_word(ch)]


# Numbers written as students write them are the same number (docs/deck-format.md, "How a typed answer is checked"):
# - a comma grouping thousands (1,000, 2,500,000) or a space (10 000, a thin or no-break space too) is dropped:
#   a group of three digits after a first group of one to three that does not start with 0. A space grouping
#   follows no letter (CD4 200 is two things). A space could as well part a list (250 500 for 250, 500): the
#   grader reads it both ways (`spaces_group`);
# - a comma between digits that groups no thousands is a decimal comma, 0,5 is 0.5, when it is the number's only
#   comma (1,2,3 is a list). So 1,500 is 1500, never 1.5: written as the English do and as calculators print it,
#   and never read both ways (then 1500 would be 1.5). A decimal comma is typed with the decimals meant (1,5);
#   one of three decimals starts with 0 (0,125 mg) or groups no thousands (1234,567), and is read as one;
# - a decimal point before a digit with none before it has the zero students leave out: .5 is 0.5;
# - the zeros ending the decimals of a number below one say nothing: 0.50 is 0.5. Only below one: 3.10 is not
#   3.1 as a version, a section or a German date (1.10. is October), and 1.000 is a thousand in German;
# - an approximation mark starting the answer says nothing a student leaves out: ~70% and ≈70% are 70%.
_GROUPING_SPACE = "[ \u00a0\u2009\u202f]"
_A_GROUPING_SPACE = re.compile(_GROUPING_SPACE)
_SPACE_THOUSANDS = re.compile(f"(?<![\\w.,])[1-9]\\d{{0,2}}(?:{_GROUPING_SPACE}\\d{{3}})+(?!\\d)")
_COMMA_THOUSANDS = re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:,\d{3})+(?!\d)")
_DECIMAL_COMMA = re.compile(r"(?<![\d.,])(\d+),(\d+)(?!\d|[.,]\d)")
_NO_LEADING_ZERO = re.compile(r"(?<![\w.,])\.(?=\d)")
_ZEROS_ENDING_DECIMALS = re.compile(r"(?<![\w.,])(?:(0\.\d*?[1-9])0+|(0)\.0+)(?!\d|[.,]\d)")
_LEADING_APPROXIMATION = re.compile(r"^\s*[~\u2248\u223c]\s*(?=[-+]?[.,]?\d)")


def _numbers_as_one(text: str, spaces_group: bool) -> str:
    """`text` with each number written one way (above): grouped, decimal point, leading zero, zeros ending the
    decimals, no ~ before."""
    text = _LEADING_APPROXIMATION.sub("", text)
    if spaces_group:
        text = _SPACE_THOUSANDS.sub(lambda number: _A_GROUPING_SPACE.sub("", number.group()), text)
    text = _COMMA_THOUSANDS.sub(lambda number: number.group().replace(",", ""), text)
    text = _DECIMAL_COMMA.sub(r"\1.\2", text)
    text = _NO_LEADING_ZERO.sub("0.", text)
    return _ZEROS_ENDING_DECIMALS.sub(lambda number: number.group(1) or number.group(2), text)


# The full stops of a dotted abbreviation (i.v., p.o., b.i.d.) join its letters: i.v. is IV, as written on a chart.
_ABBREVIATION_DOT = re.compile(r"(?<![^\W\d_]{2})(?<=[^\W\d_])\.(?=[^\W\d_](?![^\W\d_]))")


def _beside(chars: list[str], at: int, step: int, sign: str) -> str:
    """The character before (`step` -1) or after (1) the sign at `at`, past spaces for a `_SPACED` sign; "" at
    an end."""
    at += step
    while sign in _SPACED and 0 <= at < len(chars) and chars[at].isspace():
        at += step
    return chars[at] if 0 <= at < len(chars) else ""


def normalize_answer(
    text: str,
    *,
    spaces_group: bool = True,
    greek_at: GreekAt = "apart",
    greek_latin: bool = False,
) -> str:
    """What typed answers are compared on: case, spacing and punctuation between words dropped; the signs that
    change what an answer says kept (`_keeps_meaning`), with no space beside them (70 % is 70%). With
    `spaces_group` False, a space between numbers parts them even where it could group thousands (250 500);
    `greek_at` says where a Greek letter's name stands (`GreekAt`: NF-κB is NF-kappab against, TNF-α is tnfalpha
    joined), and with `greek_latin` the letters biology spells with a Latin one are that letter (TNF-α is TNF-a)."""
    typed = _as_typed(_as_keyed(as_seen(text)).casefold(), greek_at, greek_latin)
    plain = _ABBREVIATION_DOT.sub("", _numbers_as_one(typed, spaces_group))
    chars = [_sign(ch) for ch in plain]
    kept: list[str] = []
    apart = False  # whether a space or dropped punctuation came since the last kept character
    for at, ch in enumerate(chars):
        if _in_a_word(ch):
            # a space parts two words or two numbers (1 2 is not 12), not a number from a letter (40 mg, CYP 3A4)
            # nor a kanji or kana from anything
            if (
                apart
                and kept
                and _in_a_word(kept[-1])
                and kept[-1].isnumeric() == ch.isnumeric()
                and not _WRITTEN_UNSPACED.search(kept[-1] + ch)
            ):
                kept.append(" ")
            kept.append(ch)
            apart = False
        elif not ch.isspace() and _keeps_meaning(ch, _beside(chars, at, -1, ch), _beside(chars, at, 1, ch)):
            kept.append(ch)
            apart = False
        else:
            apart = True
    return "".join(kept)


def unmatchable_answer(name: str, answer: str) -> tuple[str, str] | None:
    """Why no typed answer could ever match `answer` (named `name` in the message), and what to write instead;
    None when one can. One rule for typed answers and cloze gaps, in deck files and imports."""
    if _LETTER_OR_DIGIT.search(answer) or normalize_answer(answer):  # the first alone, 10x faster, for most
        return None
    return (
        f"{name} {quoted(answer)} has no letter, digit or sign left once punctuation, spacing and invisible"
        " characters are ignored, so no typed answer can match it",
        "write the answer itself in letters or digits",
    )
