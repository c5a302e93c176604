"""Browse's wildcard patterns (quiz.core.wildcard): the same answers as the regular expressions they replace,
in work that grows with the text, not with the text to the power of the stars."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.core import wildcard
from quiz.core.wildcard import wildcard_fullmatch, wildcard_search

# A few letters, a newline (a `*` never crosses one; a quoted phrase may hold one), and letters of other cases
# (both sides come in their search form, so the match compares them as they are).
LETTERS = "abAB\n" + "sSſkKKiIıİßẞ"
# Pieces and lines mostly of two letters, so that pieces recur within and across lines, where a walk could
# go wrong; a pattern is its pieces joined by stars, a text its lines joined by newlines.
pieces = st.one_of(st.text(alphabet="ab", max_size=3), st.text(alphabet=LETTERS, max_size=3))
patterns = st.lists(pieces, min_size=1, max_size=4).map("*".join)
lines = st.one_of(st.text(alphabet="ab", max_size=6), st.text(alphabet=LETTERS, max_size=6))
texts = st.lists(lines, max_size=4).map("\n".join)


def backtracking_search(pattern: str) -> re.Pattern[str]:
    """The regex a word with `*` used to be (fast on texts this small)."""
    return re.compile("[^\n]*?".join(map(re.escape, pattern.split("*"))))


def backtracking_name(pattern: str) -> re.Pattern[str]:
    """The regex a `deck:`/`topic:`/`tag:` pattern used to be (its case, now the search form's business, aside)."""
    return re.compile("[^\n]*".join(re.escape(part) for part in pattern.split("*")))


@settings(max_examples=1000)
@given(patterns, texts)
def test_search_finds_what_the_regex_found(pattern: str, text: str) -> None:
    assert wildcard_search(pattern)(text) == (backtracking_search(pattern).search(text) is not None)


@settings(max_examples=1000)
@given(patterns, texts)
def test_a_whole_name_matches_as_the_regex_matched(pattern: str, text: str) -> None:
    expected = backtracking_name(pattern).fullmatch(text) is not None
    assert wildcard_fullmatch(pattern)(text) == expected


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        ("a*b", "a\nab", True),  # the first `a`'s line fails; the next line's does not
        ("a*b", "ab\n", True),
        ("a*b", "a\nb", False),  # `*` never crosses a line
        ("a*b\nc*d", "xa-b\nc-dx", True),  # a newline in the pattern meets one in the text
        ("a*b\nc*d", "a-b-\nc-d", False),  # ... right after the piece before it
        ("e*e*x", "e" * 50 + "x", True),
        ("e*e*x", "e" * 50, False),
    ],
)
def test_search_cases(pattern: str, text: str, found: bool) -> None:
    assert wildcard_search(pattern)(text) is found


def test_whole_names() -> None:
    assert wildcard_fullmatch("ket*")("ketamine")
    assert not wildcard_fullmatch("ket*")("a ketamine")
    assert wildcard_fullmatch("*mine")("ketamine")
    assert not wildcard_fullmatch("ket*")("ket\nmine")  # not across lines
    assert wildcard_fullmatch("ket\n*")("ket\nmine")
    assert wildcard_fullmatch("nmda")("nmda")
    assert not wildcard_fullmatch("nmda")("nmda2")


def test_a_hostile_line_takes_one_pass() -> None:
    """e*e*e*e*e*e*xz over a line of 10,000 e's: the regex tried ~10,000**6 placings (it never finished);
    each piece is now looked for once, and the characters each search passes add up to the line once (for a
    whole name, twice: the walk, then where a next start could be)."""
    searched: list[int] = []  # characters passed by each search for a piece: to where it was found, or to the end
    looked_up = wildcard._find

    def counting(text: str, piece: str, start: int, end: int) -> int:
        found = looked_up(text, piece, start, end)
        searched.append((min(end, len(text)) if found < 0 else found + 1) - start)
        return found

    line = "e" * 10_000
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wildcard, "_find", counting)
        assert not wildcard_search("e*e*e*e*e*e*xz")(line)
        assert len(searched) == 7 and sum(searched) <= len(line) + 7
        searched.clear()
        assert not wildcard_fullmatch("e*e*e*e*x")(line)
        assert len(searched) == 6 and sum(searched) <= 2 * len(line) + 7
        searched.clear()
        lines = "\n".join([line[:100]] * 100)  # 100 lines: each a failed start, searched once
        assert not wildcard_search("e*e*xz")(lines)
        assert len(searched) == 300 and sum(searched) <= len(lines) + 300


def test_the_hostile_patterns_return() -> None:
    """Without counting: sizes at which the regexes ran for minutes (two stars over 10,000 e's)."""
    line = "e" * 10_000
    assert not wildcard_search("e*e*e*e*e*e*xz")(line)
    assert wildcard_search("e*e*e*e*e*e*e")(line)
    assert not wildcard_fullmatch("e*e*e*e*x")(line)
    assert wildcard_fullmatch("e*e*e*e*e")(line)
