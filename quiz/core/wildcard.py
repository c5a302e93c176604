"""Browse's wildcard patterns (`*`: any run of characters within one line, all else literal), matched in time
linear in the text.

A regular expression for them (`e[^\\n]*?e[^\\n]*?x`) backtracks: on a line of e's with no x it tries every
way of placing the e's, ~n**stars steps (two stars over a 10,000-character line had not finished after
two minutes, on the UI thread). None of that is needed. `*` never crosses a line, so within one line the
earliest place for a piece after the one before is as good as any later one (it leaves the most room for
the rest), and a line where that fails holds no match starting in it: each piece is looked for once, from
where the one before ended. A piece holding a newline (a quoted phrase may) has one possible place per
line, the one whose newline ends the line, so the same walk carries on into the next line.
"""

from __future__ import annotations

from collections.abc import Callable

_find = str.find  # where a piece starts wholly inside text[start:end], or -1 (a module name: tests count its work)


def wildcard_search(pattern: str) -> Callable[[str], bool]:
    """A test of whether some part of a text matches `pattern`, whose `*` stands for any run of characters
    but a newline, everything else literal. Compared as they are: Browse gives both in their search form."""
    pieces = pattern.split("*")
    find = _find
    first, first_length = pieces[0], len(pieces[0])
    # each later piece with its length and how far past the end of the line it starts in it may end (one
    # holding a newline must start in that line, so it ends past it; any other ends within it)
    rest = tuple((piece, len(piece), len(piece) if "\n" in piece else 0) for piece in pieces[1:])

    def found_in(text: str) -> bool:  # a closure, not a method: Browse calls it once per card
        found = find(text, first, 0, len(text))
        while found >= 0:
            at = found + first_length
            line_end = text.find("\n", at)
            if line_end < 0:
                line_end = len(text)
            for piece, length, reach in rest:
                placed = find(text, piece, at, line_end + reach)
                if placed < 0:
                    break
                at = placed + length
                if reach:  # it crossed into another line
                    line_end = text.find("\n", at)
                    if line_end < 0:
                        line_end = len(text)
            else:
                return True
            line_end = text.find("\n", found)  # no match starts in this line: its earliest start failed
            if line_end < 0:
                return False
            found = find(text, first, line_end + 1, len(text))
        return False

    return found_in


def wildcard_fullmatch(pattern: str) -> Callable[[str], bool]:
    """A test of whether the whole of a text (a name) matches `pattern`, read as `wildcard_search` reads it."""
    newlines, between_newlines = pattern.count("\n"), wildcard_search(f"\n{pattern}\n")

    # A match of the pattern between two newlines holds as many newlines as the pattern, and two more: in a
    # text between two newlines, with as many as the pattern, only the whole of it can be that match.
    return lambda text: text.count("\n") == newlines and between_newlines(f"\n{text}\n")
