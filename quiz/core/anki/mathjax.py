"""MathJax in Anki's fields (`\\(...\\)` inline, `\\[...\\]` displayed) as plain text a terminal shows: the
delimiters dropped, the common LaTeX made Unicode (x^{2} -> x², \\alpha -> α, \\frac{a}{b} -> a/b). What the
table below does not know stays as its LaTeX source, so no text is lost; so does a formula holding a cloze gap
(`{{c1::...}}`, which Anki's own cloze reading must still find)."""

from __future__ import annotations

import re
from collections.abc import Iterator

#: each formula's opening and its closing
DELIMITERS = {"\\(": "\\)", "\\[": "\\]"}

SYMBOLS = {
    **dict(
        zip(
            "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon"
            " phi chi psi omega".split(),
            "αβγδεζηθικλμνξοπρστυφχψω",
            strict=True,
        )
    ),
    **dict(zip("Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split(), "ΓΔΘΛΞΠΣΥΦΨΩ", strict=True)),
    "varepsilon": "ε", "vartheta": "ϑ", "varphi": "φ", "varrho": "ϱ", "varsigma": "ς", "varpi": "ϖ",
    "pm": "±", "mp": "∓", "times": "×", "cdot": "·", "div": "÷", "ast": "∗", "circ": "∘", "bullet": "•",
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "equiv": "≡",
    "sim": "∼", "simeq": "≃", "cong": "≅", "propto": "∝", "ll": "≪", "gg": "≫",
    "to": "→", "rightarrow": "→", "longrightarrow": "⟶", "leftarrow": "←", "gets": "←", "longleftarrow": "⟵",
    "leftrightarrow": "↔", "Rightarrow": "⇒", "implies": "⇒", "Leftarrow": "⇐", "Leftrightarrow": "⇔",
    "iff": "⇔", "rightleftharpoons": "⇌", "uparrow": "↑", "downarrow": "↓", "mapsto": "↦",
    "infty": "∞", "partial": "∂", "nabla": "∇", "sum": "∑", "prod": "∏", "int": "∫", "oint": "∮",
    "in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇",
    "cup": "∪", "cap": "∩", "emptyset": "∅", "varnothing": "∅", "forall": "∀", "exists": "∃", "neg": "¬",
    "lnot": "¬", "land": "∧", "wedge": "∧", "lor": "∨", "vee": "∨", "oplus": "⊕", "otimes": "⊗",
    "angle": "∠", "perp": "⊥", "parallel": "∥", "mid": "∣", "prime": "′", "hbar": "ℏ", "ell": "ℓ",
    "degree": "°", "ldots": "…", "dots": "…", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱", "therefore": "∴",
    "because": "∵", "langle": "⟨", "rangle": "⟩", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉",
    "{": "{", "}": "}", "%": "%", "$": "$", "&": "&", "#": "#", "_": "_", "|": "‖",
    ",": " ", ":": " ", ";": " ", " ": " ", "quad": " ", "qquad": " ", "!": "", "\\": " ",
    # sized delimiters: the delimiter after them is read on its own
    "left": "", "right": "", "big": "", "Big": "", "bigg": "", "Bigg": "", "displaystyle": "", "limits": "",
}  # fmt: skip
FUNCTIONS = frozenset("sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh log ln lg exp lim max min".split())
STYLES = frozenset("mathrm mathbf mathit mathsf mathtt boldsymbol bm operatorname textbf textit textrm".split())
TEXTS = frozenset("text mbox textnormal".split())  # their argument is text, not LaTeX
FRACTIONS = frozenset("frac dfrac tfrac cfrac".split())
BLACKBOARD = dict(zip("RNZQC", "ℝℕℤℚℂ", strict=True))
# Unicode's small characters: every digit, but only some letters (no superscript q, few subscripts)
SUPERSCRIPTS = dict(
    zip("0123456789+-=()abcdefghijklmnoprstuvwxyzT∘′", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵀ°′", strict=True)
)
SUBSCRIPTS = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))
ROOTS = {"": "√", "3": "∛", "4": "∜"}
_DEEPEST = 50  # groups and arguments within each other (a real formula nests a few)
_COMMAND = re.compile(r"\\([a-zA-Z]+|.)")
_CHEMISTRY = re.compile(r"[A-Za-z0-9()\[\]+\-=<>^{}. ]*")  # \ce{...} read here: formulas and arrows, no commands
_ELEMENT_COUNT = re.compile(r"(?<=[A-Za-z)\]])(\d+)")
_CHARGE = re.compile(r"\^\{?([0-9]*[+\-])\}?")


def mathjax_to_text(text: str, gap: str = "{{c") -> str:
    """`text` with each MathJax formula in it made plain text (the rest as it was), but one holding `gap`, the
    opening of a cloze gap: Anki's `{{c1::` by default, quiz's own `{{` in a text quiz wrote."""
    if "\\(" not in text and "\\[" not in text:
        return text
    parts, at = [], 0
    for start, end in formulas(text):
        parts += [text[at:start], _formula(text[start:end], gap)]
        at = end
    parts.append(text[at:])
    return "".join(parts)


def formulas(text: str) -> Iterator[tuple[int, int]]:
    """Where each formula of `text` starts and ends, delimiters included: the first opening, then the first
    closing after it. One pass (a regex would search to the end from each opening a pasted text repeats): an
    opening with no closing after it rules out every later one of its kind."""
    upcoming = {opening: text.find(opening) for opening in DELIMITERS}
    at = 0
    while found := [(start, opening) for opening, start in upcoming.items() if start >= 0]:
        start, opening = min(found)
        close = text.find(DELIMITERS[opening], start + len(opening))
        if close < 0:
            upcoming[opening] = -1
            continue
        at = close + len(DELIMITERS[opening])
        yield start, at
        upcoming = {
            opening: text.find(opening, at) if 0 <= next_start < at else next_start
            for opening, next_start in upcoming.items()
        }


def _formula(written: str, gap: str) -> str:
    source = written[2:-2]
    if gap in source.lower():  # a cloze gap inside: Anki's own reading of it must still find it
        return written
    try:
        return " ".join(_Reader(source).read().split())
    except _TooDeep:  # no real formula nests so deep: a pasted or hostile text, kept as written
        return written


class _TooDeep(Exception):
    """The formula nests deeper than _DEEPEST (its reading recurses once a level)."""


class _Reader:
    """One formula's LaTeX read left to right: a command, a group, ^ or _ with its argument, or a character."""

    def __init__(self, source: str) -> None:
        self.source, self.at, self.depth = source, 0, 0
        self.last_close = len(source)  # no `]` after this (an optional argument's end)

    def read(self, end: int | None = None) -> str:
        end = len(self.source) if end is None else end
        parts = []
        while self.at < end:
            parts.append(self.item())
        return "".join(parts)

    def item(self) -> str:
        if self.depth >= _DEEPEST:
            raise _TooDeep
        self.depth += 1
        try:
            return self._item()
        finally:
            self.depth -= 1

    def _item(self) -> str:
        char = self.source[self.at]
        if char == "\\":
            return self.command()
        if char == "{":
            return self.group()
        if char in "^_":
            self.at += 1
            return _raised(self.argument(), SUPERSCRIPTS if char == "^" else SUBSCRIPTS, char)
        self.at += 1
        return {"~": " ", "&": " "}.get(char, char)

    def command(self) -> str:
        start = self.at
        match = _COMMAND.match(self.source, self.at)
        if match is None:  # a backslash at the end, or before a line break: kept
            self.at += 1
            return "\\"
        name = match.group(1)
        self.at = match.end()
        if name in ("left", "right") and self.source.startswith(".", self.at):
            self.at += 1  # `\left.`: no delimiter on that side
        if name in SYMBOLS:
            return SYMBOLS[name]
        if name in FUNCTIONS:
            return name
        if name in STYLES:
            return self.argument()
        if name in TEXTS:
            return self.raw_argument()
        if name == "mathbb":
            letter = self.raw_argument()
            if letter in BLACKBOARD:
                return BLACKBOARD[letter]
        elif name in FRACTIONS:
            top, bottom = self.argument(), self.argument()
            return f"{_bracketed(top)}/{_bracketed(bottom)}"
        elif name == "sqrt":
            index = self.optional()
            if index in ROOTS:
                return ROOTS[index] + _bracketed(self.argument())
        elif name == "ce":
            formula = self.raw_argument()
            if _CHEMISTRY.fullmatch(formula):
                return _chemistry(formula)
        # unknown, or not simple enough: its source, its arguments with it
        self.optional()
        while self.source.startswith("{", self._skip_space()):
            self.raw_argument()
        return self.source[start : self.at]

    def optional(self) -> str:
        """The optional argument in brackets next, as written ("" if none)."""
        at = self._skip_space()
        if not self.source.startswith("[", at) or at >= self.last_close:
            return ""
        close = self.source.find("]", at)
        if close < 0:
            self.last_close = at  # none after here: not looked for again
            return ""
        self.at = close + 1
        return self.source[at + 1 : close]

    def _skip_space(self) -> int:
        at = self.at
        while at < len(self.source) and self.source[at] == " ":
            at += 1
        return at

    def argument(self) -> str:
        """The next argument read: a braced group, a command, or one character."""
        self.at = self._skip_space()
        if self.at >= len(self.source):
            return ""
        if self.source[self.at] in "{\\":
            return self.item()
        self.at += 1
        return self.source[self.at - 1]

    def group(self) -> str:
        """A braced group read, its braces dropped (an unclosed one reads to the end)."""
        close = self._closing(self.at)
        self.at += 1
        inner = self.read(close)
        self.at = min(close + 1, len(self.source))
        return inner

    def raw_argument(self) -> str:
        """The next braced argument as it is written, unread (one character when not braced)."""
        self.at = self._skip_space()
        if not self.source.startswith("{", self.at):
            self.at += 1
            return self.source[self.at - 1 : self.at]
        close = self._closing(self.at)
        inner = self.source[self.at + 1 : close]
        self.at = min(close + 1, len(self.source))
        return inner

    def _closing(self, start: int) -> int:
        """Where the group opened at `start` closes (the source's end if it does not)."""
        depth, at = 0, start
        while at < len(self.source):
            char = self.source[at]
            if char == "\\":
                at += 2
                continue
            depth += {"{": 1, "}": -1}.get(char, 0)
            if depth == 0:
                return at
            at += 1
        return len(self.source)


def _raised(text: str, table: dict[str, str], mark: str) -> str:
    """A super- or subscript in Unicode's small characters where it has them all, else written as mark(text)."""
    if text and all(char in table for char in text):
        return "".join(table[char] for char in text)
    return mark + (text if len(text) == 1 else f"({text})")


def _bracketed(text: str) -> str:
    """A fraction's part or a root's argument: bracketed unless it is one number, letter or word."""
    return text if text.isalnum() or len(text) == 1 else f"({text})"


def _chemistry(formula: str) -> str:
    """A simple \\ce{} formula: counts after an element as subscripts, charges as superscripts, arrows drawn."""
    text = _CHARGE.sub(lambda m: "".join(SUPERSCRIPTS[c] for c in m.group(1)), formula)
    text = _ELEMENT_COUNT.sub(lambda m: "".join(SUBSCRIPTS[c] for c in m.group(1)), text)
    for arrow, drawn in (("<=>", "⇌"), ("<->", "↔"), ("->", "→"), ("<-", "←")):
        text = text.replace(arrow, drawn)
    return text
