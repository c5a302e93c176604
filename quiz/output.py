"""The command line's output: only printable text reaches the terminal, whoever writes it.

While quiz runs (cli.main), stdout and stderr are `PrintableStream`s: every command's print, argparse's
messages (which echo arguments, a deck path among them) and every error pass through `printable`. One choke
point, because a list of print sites would miss the next one added. It keeps line breaks, since it cannot
tell a line's end from a newline inside a file name: one-line messages are printed with `echo`, which shows
those as the placeholder too.

The commands quiz prints for her to paste (`quiz restore latest`, in backquotes, wherever they are written) name
the data folder given with --data-dir (`suggested_commands`), here for the command line and in the app's messages
(quiz.ui.widgets.literal), so that no message has to know the folder.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TextIO

from quiz.core.problems import Problem
from quiz.core.text import AS_WRITTEN, printable, shell_word

# A command quiz suggests: `quiz` in backquotes, alone (the app) or with its arguments
_SUGGESTED_COMMAND = r"`quiz(?=[ `])"
# A piece marked `as_written` is matched whole before any command inside it could be
_WRITTEN_OR_SUGGESTED = re.compile(f"{AS_WRITTEN.pattern}|{_SUGGESTED_COMMAND}")

# The data folder --data-dir named for this run, None without it (QUIZ_HOME, which every command sees, needs
# nothing): one per process, as the run's output is
_named_data_dir: Path | None = None
# The names of files and folders met this run that hold what looks like a command quiz suggests (`quiz ...` in
# backquotes): no command of quiz's, so shown as they are wherever a line quotes them
_file_names: set[str] = set()


@contextmanager
def commands_naming(data_dir: Path | None) -> Iterator[None]:
    """Until the block ends, the commands quiz suggests name `data_dir` (the folder --data-dir gave, or None)."""
    global _named_data_dir, _file_names
    saved, _named_data_dir = (_named_data_dir, _file_names), data_dir
    _file_names = set()
    try:
        yield
    finally:
        _named_data_dir, _file_names = saved


def file_names_as_they_are(paths: Iterable[str | os.PathLike[str]]) -> None:
    """Show the file names in `paths` (untrusted: the user's, a shared deck's) as they are in every line quiz
    prints and every message the app shows, one that holds `quiz ...` in backquotes too. Each whole path is kept,
    as it is written and as a shell word quoting it (`shell_word`), and so is the start of that shell word (the
    quote and the path), which begins the shell word of every path in a folder (the data folder's deck file that
    `quiz new` made). Never a part of one alone (a folder named "`quiz "): it would match the start of quiz's own
    commands in any line, which then would not name the data folder. A line that names a file by a part of its
    path (its name alone) marks it `as_written` where it is made. Each path is kept as given and absolute."""
    for path in paths:
        if "`quiz" in str(path):  # most paths: the look-up costs nothing for thousands of deck files
            for written in {str(path), os.path.abspath(path)}:  # a folder given relative, named absolute
                word = shell_word(written)  # quoted, for the backquote
                _file_names.update((written, word, word.removesuffix("'")))


def suggested_commands(text: str, literal: Iterable[str] = ()) -> str:
    """`text` with each command it suggests (`quiz ...` in backquotes) naming the data folder --data-dir gave,
    absolute and quoted for the shell: pasted without it, the command would act on the default data folder.
    Only quiz's own text is rewritten: never a piece marked `as_written` (a path, a file's name, whole or in part,
    quoted or not), whose marks go here. `literal`: the untrusted pieces `text` quotes (a deck's title, a
    subdeck's name), left as they are, as the file names met (`file_names_as_they_are`) are: one that holds such a
    command is no command quiz suggests."""
    if _named_data_dir is None:
        return AS_WRITTEN.sub(r"\g<piece>", text)
    option = f"`quiz --data-dir {shell_word(_named_data_dir.absolute())}"
    pieces = {*literal, *_file_names}
    kept = [found.span() for piece in pieces if piece for found in re.finditer(re.escape(piece), text)]

    def named(found: re.Match[str]) -> str:
        if found["piece"] is not None:
            return found["piece"]
        return found.group() if any(start <= found.start() < end for start, end in kept) else option

    return _WRITTEN_OR_SUGGESTED.sub(named, text)


class PrintableStream:
    """A text stream that writes `printable(text, keep_lines=True)` to the stream it wraps.

    Output that has nowhere to go, its reader gone (`quiz list | head -1`) or stdout closed (`quiz list >&-`),
    is dropped, and `lost` says so: a write never raises, so a command that writes to the store ends its work
    (never half done) and still says on stderr what it has to say."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream
        self.lost = stream is None  # Python gives None for a stream closed as it started

    def write(self, text: str) -> int:
        if self.stream is not None and not self.lost:
            try:
                self._write(self.stream, printable(text, keep_lines=True))
            except BrokenPipeError:
                self._drop()
        return len(text)

    @staticmethod
    def _write(stream: TextIO, clean: str) -> None:
        try:
            stream.write(clean)
        except UnicodeEncodeError:  # a terminal whose encoding lacks a character (latin-1): '?' in its place
            encoding = stream.encoding
            stream.write(clean.encode(encoding, "replace").decode(encoding))

    def flush(self) -> None:
        if self.stream is not None and not self.lost:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self._drop()

    def isatty(self) -> bool:
        return self.stream is not None and self.stream.isatty()

    def _drop(self) -> None:
        """From now on nothing is written; what is still buffered goes to /dev/null as Python exits, where it
        would print a BrokenPipeError (Python's documented way: docs.python.org/3/library/signal.html)."""
        self.lost = True
        assert self.stream is not None
        os.dup2(os.open(os.devnull, os.O_WRONLY), self.stream.fileno())

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)  # fileno, encoding ...


def exit_code(code: int) -> int:
    """The command's exit code once its output is flushed: 1, as Python's on a broken pipe, when stdout was
    lost (`PrintableStream`) and the command otherwise succeeded."""
    sys.stdout.flush()
    return 1 if code == 0 and getattr(sys.stdout, "lost", False) else code


@contextmanager
def _streams(stdout: TextIO | None, stderr: TextIO | None) -> Iterator[None]:
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


def _unwrapped(stream: TextIO | PrintableStream) -> TextIO | None:  # None: closed as quiz started
    return stream.stream if isinstance(stream, PrintableStream) else stream


def echo(line: object, *, error: bool = False, literal: Iterable[str] = ()) -> None:
    """Print one line (to stderr if `error`): a newline or tab inside it, from a file name, an argument or a
    title, shows as the placeholder, so it can never pass for a line of its own. A command it suggests names the
    data folder --data-dir gave (`suggested_commands`), none inside the untrusted pieces `literal` it quotes, nor
    inside the file names a problem quotes (`Problem.shown`)."""
    text = line.shown() if isinstance(line, Problem) else str(line)
    print(printable(suggested_commands(text, literal)), file=sys.stderr if error else sys.stdout)


def fail(message: object, code: int = 1, *, literal: Iterable[str] = ()) -> int:
    """Say `quiz: message` on stderr (`literal`: its untrusted pieces, as echo's); returns the exit code."""
    echo(f"quiz: {message}", error=True, literal=literal)
    return code
