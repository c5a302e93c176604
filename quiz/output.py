"""The command line's output: only printable text reaches the terminal, whoever writes it.

While quiz runs (cli.main), stdout and stderr are `PrintableStream`s: every command's print, argparse's
messages (which echo arguments, a deck path among them) and every error pass through `printable`. One choke
point, because a list of print sites would miss the next one added. It keeps line breaks, since it cannot
tell a line's end from a newline inside a file name: one-line messages are printed with `echo`, which shows
those as the placeholder too.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TextIO

from quiz.core.text import printable


class PrintableStream:
    """A text stream that writes `printable(text, keep_lines=True)` to the stream it wraps."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        clean = printable(text, keep_lines=True)
        try:
            self.stream.write(clean)
        except UnicodeEncodeError:  # a terminal whose encoding lacks a character (latin-1): '?' in its place
            encoding = self.stream.encoding
            self.stream.write(clean.encode(encoding, "replace").decode(encoding))
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)  # flush, fileno, isatty, encoding ...


@contextmanager
def _streams(stdout: TextIO, stderr: TextIO) -> Iterator[None]:
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = stdout, stderr
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def printable_output() -> AbstractContextManager[None]:
    """stdout and stderr as PrintableStreams until the block ends."""
    # A PrintableStream stands in for a TextIO: what it does not define comes from the wrapped stream (__getattr__).
    return _streams(PrintableStream(sys.stdout), PrintableStream(sys.stderr))  # type: ignore[arg-type]


def terminal_output() -> AbstractContextManager[None]:
    """The streams printable_output wrapped, for the app: Textual reports a crash with escape sequences of
    its own (rich's colours), and its text is made printable where it is shown (quiz.ui.widgets.literal)."""
    return _streams(_unwrapped(sys.stdout), _unwrapped(sys.stderr))


def _unwrapped(stream: TextIO | PrintableStream) -> TextIO:
    return stream.stream if isinstance(stream, PrintableStream) else stream


def echo(line: object, *, error: bool = False) -> None:
    """Print one line (to stderr if `error`): a newline or tab inside it, from a file name, an argument or a
    title, shows as the placeholder, so it can never pass for a line of its own."""
    print(printable(line), file=sys.stderr if error else sys.stdout)


def fail(message: object, code: int = 1) -> int:
    """Say `quiz: message` on stderr; returns the exit code."""
    echo(f"quiz: {message}", error=True)
    return code
