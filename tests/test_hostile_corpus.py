"""The attack stays in the suite: a corpus of hostile deck files, each run as a user would run it.

Every case is a deck file (or a folder) a stranger could hand over. Each runs in real child processes:
`main.py --data-dir D validate PATH`, `main.py --data-dir D --deck PATH list`, and the app itself,
`main.py --data-dir D --deck PATH`, in a pseudo-terminal until its home screen has drawn, then ctrl+q.
Whatever the case, quiz must give a clear error naming the file or show the deck literally, send none of
the hostile sequences to the terminal, finish (a timeout means a hang: the child is killed and the case
fails) and never print a traceback.

The small files live in tests/data/hostile/ (tests/core/test_hostile_decks.py says what the loader must
report for each); the big and special ones (a FIFO, symlinks to devices, a 4 GiB sparse file, symlink loops,
30 MB and 5 MB fields, file names holding escape sequences) are made in tmp_path by the test.
"""

from __future__ import annotations

import base64
import fcntl
import os
import re
import resource
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.core.test_hostile_decks import DEEP_DOCUMENTS, REJECTED
from tests.untrusted import unsafe_in, write_hostile_decks

pytestmark = pytest.mark.slow  # every file of the corpus through three commands and the app: about a minute

ROOT = Path(__file__).resolve().parents[1]
MAIN = ROOT / "main.py"
HOSTILE = "tests/data/hostile"
PH = "\ufffd"  # what quiz shows in place of each unsafe character
HANG_SECONDS = 30  # a child still running after this is hung (never a timing assertion: only hangs reach it)
MEMORY_LIMIT = 1 << 30  # per child: reading /dev/zero or a 4 GiB file whole fails fast instead of filling RAM
SIZE = (50, 160)  # rows, columns of the pseudo-terminal

# Sanitising turned off in the child: what the checks must catch (test_the_checks_catch_a_real_leak).
NO_SANITISER = (
    "import re, runpy, sys; sys.path.insert(0, {root!r}); import quiz.core.text as t; "
    "t._IN_TEXT = t._IN_A_LINE = re.compile('(?!)'); "
    "sys.argv[0] = sys.argv[1]; del sys.argv[1]; runpy.run_path(sys.argv[0], run_name='__main__')"
)


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# --- the cases ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    path: str  # PATH as given: relative to the repository (static files) or to the case's folder (made ones)
    loads: bool | None  # True: shown literally; False: a clear error; None: either (a size limit decides)
    title: str = ""  # when it loads: text every view must show (the title as it reads, escapes replaced)
    name: str = ""  # when it is rejected: the file name as it must read (default: PATH)
    says: str = ""  # when it is rejected: words validate's message must hold
    make: Callable[[Path], None] | None = field(default=None, compare=False)

    @property
    def shown_name(self) -> str:
        return self.name or self.path


def static(file: str, loads: bool, title: str = "", says: str = "", folder: str = HOSTILE) -> Case:
    return Case(Path(file).stem, f"{folder}/{file}", loads, title=title, says=says)


def deck_text(deck_id: str, title: str, front: str = "f") -> str:
    return f"deck: {deck_id}\ntitle: {title}\ncards:\n  - {{id: a, kind: basic, front: {front}, back: b}}\n"


def writes(name: str | bytes, text: str | bytes) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        target = os.path.join(os.fsencode(folder), os.fsencode(name))
        with open(target, "wb") as out:
            out.write(text.encode() if isinstance(text, str) else text)

    return make


def fifo(folder: Path) -> None:
    os.mkfifo(folder / "fifo.yaml")


def links_to(target: str, name: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        os.symlink(target, folder / name)

    return make


def sparse(folder: Path) -> None:
    with open(folder / "sparse.yaml", "wb") as out:
        out.truncate(4 << 30)  # 4 GiB of holes: no disk used


def loop(folder: Path) -> None:
    os.symlink("loop-b.yaml", folder / "loop-a.yaml")
    os.symlink("loop-a.yaml", folder / "loop-b.yaml")


def loops_in_a_folder(folder: Path) -> None:
    (folder / "loops").mkdir()
    os.symlink(".", folder / "loops" / "again")  # a folder that contains itself
    os.symlink("me.yaml", folder / "loops" / "me.yaml")  # a file that is itself
    (folder / "loops" / "ok.yaml").write_text(deck_text("loops", "Loop survivor"))


def elf(folder: Path) -> None:
    with open(sys.executable, "rb") as binary:
        (folder / "python.yaml").write_bytes(binary.read(8192))


def duplicate_ids(folder: Path) -> None:
    dup = folder / "dup"
    dup.mkdir()
    (dup / "a-\x1b]0;quiz-dup-owner\x07.yaml").write_text(deck_text("dup", "First"))
    (dup / "b.yaml").write_text(deck_text("dup", "Second"))
    (dup / f"c-\x1b]52;c;{b64('quiz-dup-osc52')}\x07.yaml").write_text(deck_text("dup", "Third"))


BROKEN = "deck: named\ntitle: T\n"  # no cards: rejected, so every view names the file
MISSING_CARDS = "missing deck field 'cards'"
OWNER = f"dup/a-{PH}]0;quiz-dup-owner{PH}.yaml"


def named(case_id: str, name: str | bytes, shown: str) -> Case:
    path = os.fsdecode(name)
    return Case(case_id, path, False, name=shown, says=MISSING_CARDS, make=writes(name, BROKEN))


STATIC_REJECTED = sorted({file for file, _, _ in REJECTED})
CASES = [
    # Small files in tests/data/hostile/: the rejected ones say what tests/core/test_hostile_decks.py expects.
    *[static(file, False) for file in STATIC_REJECTED],
    static("escapes_in_problems.yaml", False, says=f"unknown field '{PH}]0;quiz-key-title{PH}'"),
    static("empty.yaml", False, says="the file is empty"),
    static("binary.yaml", False, says="not valid UTF-8"),
    static("flow_quote_brackets.yaml", True, "]]]] {{{{ [[[["),
    static("raw_bidi.yaml", True, f"{PH}T"),
    static("terminal_escapes.yaml", True, f"Title {PH}]0;pwned{PH}"),
    static("hostile_everything.yaml", True, "Deck [b]bold[/b] :smile:", folder="tests/data"),
    static("osc52_clipboard.yaml", True, f"Clip {PH}]52;c;{b64('quiz-osc52-title')}{PH}"),
    static("osc0_title.yaml", True, f"Win {PH}]0;quiz-osc0-title{PH}"),
    static("csi_clear.yaml", True, f"Wipe {PH}[2J{PH}[3J{PH}[H"),
    static("c1_escaped.yaml", True, f"Cone {PH}2J{PH}0;quiz-c1-title{PH}"),
    static("bell.yaml", True, f"Ring {PH}{PH}"),
    static("markup.yaml", True, "[bold red]quiz-markup[/] [@click=app.quit]q[/]"),
    static("utf8_bom.yaml", True, "Byte order mark"),
    # Deep nesting, flow and block (the documents tests/core/test_hostile_decks.py runs through validate).
    *[
        Case(f"deep_{Path(name).stem}", name, False, says="nesting is deeper", make=writes(name, text))
        for name, text in DEEP_DOCUMENTS.items()
    ],
    # Files that are not files, or never end.
    Case("fifo", "fifo.yaml", False, says="not a regular file", make=fifo),
    Case("dev_zero", "zero.yaml", False, says="not a regular file", make=links_to("/dev/zero", "zero.yaml")),
    Case("dev_urandom", "random.yaml", False, says="not a regular file", make=links_to("/dev/urandom", "random.yaml")),
    Case("sparse_4gib", "sparse.yaml", False, says="limited to 32 MiB", make=sparse),
    Case("symlink_loop", "loop-a.yaml", False, says="cannot read the file", make=loop),
    # a deck-named link to itself is named as what it is (a deck made a loop must not just vanish); the folder
    # linked into itself is not followed
    Case(
        "symlink_loops_in_a_folder",
        "loops",
        False,
        name="loops/me.yaml",
        says="its symbolic links loop",
        make=loops_in_a_folder,
    ),
    Case("elf_binary", "python.yaml", False, says="not valid UTF-8", make=elf),
    # Huge fields: a limit may reject them (a clear error) or they load (and show literally); never a hang.
    Case(
        "one_line_30mb",
        "line.yaml",
        None,
        "One line",
        says="",
        make=writes(
            "line.yaml",
            "{deck: line, title: One line, cards: [{id: a, kind: basic, back: b, front: " + "x" * 30_000_000 + "}]}",
        ),
    ),
    Case(
        "front_5mb",
        "front.yaml",
        None,
        "Five megabytes",
        make=writes("front.yaml", deck_text("big", "Five megabytes", "y" * 5_000_000)),
    ),
    Case(
        "title_100k_newlines",
        "lines.yaml",
        None,
        f"NL-TOP{PH}{PH}{PH}",
        make=writes("lines.yaml", deck_text("lines", '"NL-TOP' + "\\n" * 100_000 + 'NL-END"')),
    ),
    Case(
        "cloze_100k_gaps",
        "gaps.yaml",
        None,
        "Hundred thousand gaps",
        make=writes(
            "gaps.yaml",
            "deck: gaps\ntitle: Hundred thousand gaps\ncards:\n  - id: c\n    kind: cloze\n    text: '"
            + " ".join(f"{{{{g{i}}}}}" for i in range(100_000))
            + "'\n",
        ),
    ),
    # File names holding escape sequences, markup, a newline: every view shows the name, escapes replaced.
    named(
        "name_osc52",
        f"clip-\x1b]52;c;{b64('quiz-name-osc52')}\x07.yaml",
        f"clip-{PH}]52;c;{b64('quiz-name-osc52')}{PH}.yaml",
    ),
    named("name_osc0", "title-\x1b]0;quiz-name-osc0\x07.yaml", f"title-{PH}]0;quiz-name-osc0{PH}.yaml"),
    named("name_csi_2j", "clear-\x1b[2J\x1b[H.yaml", f"clear-{PH}[2J{PH}[H.yaml"),
    named("name_c1_raw_bytes", b"c1-\x9b2J-\x9d0;quiz-name-c1\x9c.yaml", f"c1-{PH}2J-{PH}0;quiz-name-c1{PH}.yaml"),
    named("name_c1_utf8", "c1u-\x9b2J-\x9d0;quiz-name-c1u\x9c.yaml", f"c1u-{PH}2J-{PH}0;quiz-name-c1u{PH}.yaml"),
    named("name_bel", "bell-\x07\x07.yaml", f"bell-{PH}{PH}.yaml"),
    named("name_newline", "nl\nok fake.yaml: deck x.yaml", f"nl{PH}ok fake.yaml: deck x.yaml"),
    named("name_bidi", "bidi-\u202elmth.yaml", f"bidi-{PH}lmth.yaml"),
    named(
        "name_markup",
        "[@click=app.quit]q [link=unquoted [bold red.yaml",
        "[@click=app.quit]q [link=unquoted [bold red.yaml",
    ),
    Case(
        "name_osc52_loads",
        f"ok-\x1b]52;c;{b64('quiz-name-ok')}\x07.yaml",
        True,
        "Named deck",
        name=f"ok-{PH}]52;c;{b64('quiz-name-ok')}{PH}.yaml",
        make=writes(f"ok-\x1b]52;c;{b64('quiz-name-ok')}\x07.yaml", deck_text("okname", "Named deck")),
    ),
    # tests/untrusted.py's folder of hostile names (tests/ui/test_untrusted_file_names_ui.py runs it with Pilot).
    Case(
        "untrusted_names_folder",
        "untrusted",
        False,
        name=f"untrusted/d-wipe{PH}[2Jwiped.yaml",
        says="YAML syntax error",
        make=lambda folder: write_hostile_decks(folder / "untrusted"),
    ),
    # A deck id used twice, the owner's file name and the later one's hostile.
    Case(
        "duplicate_id_hostile_names",
        "dup",
        False,
        name=f"dup/c-{PH}]52;c;{b64('quiz-dup-osc52')}{PH}.yaml",
        says=f"deck id 'dup' is already used by {OWNER}",
        make=duplicate_ids,
    ),
]


# --- running quiz as a user would ---------------------------------------------------------------------------


@dataclass
class Ran:
    command: list[str]
    code: int | None
    out: bytes
    hung: str = ""  # what the child was doing when it was killed
    drawn: bool = True  # the app: its home screen appeared

    @property
    def text(self) -> str:
        return self.out.decode("utf-8", "surrogateescape")

    def shown(self) -> str:
        """The command and the end of what it wrote, for a failure message."""
        tail = self.text[-1500:]
        return f"$ {' '.join(map(repr, self.command[1:]))}\n  exit {self.code}, output ends: {tail!r}"


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "QUIZ_"))}
    for name in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES"):
        env.pop(name, None)
    env["TERM"] = "xterm-256color"
    return env


def spawn(cwd: Path, data_dir: Path, args: list[str], unsafe: bool, **popen) -> tuple[list[str], subprocess.Popen]:
    """Start `python main.py --data-dir DATA_DIR ARGS` (with `unsafe`, its sanitiser turned off)."""
    prefix = [sys.executable, "-c", NO_SANITISER.format(root=str(ROOT))] if unsafe else [sys.executable]
    command = [*prefix, str(MAIN), "--data-dir", str(data_dir), *args]
    process = subprocess.Popen(command, cwd=cwd, env=child_env(), **popen)
    try:  # set from outside (a preexec_fn is unsafe with threads); Python's start-up is far longer than this
        resource.prlimit(process.pid, resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except ProcessLookupError:
        pass
    return command, process


def run_cli(cwd: Path, data_dir: Path, *args: str, unsafe: bool = False) -> Ran:
    command, process = spawn(
        cwd, data_dir, list(args), unsafe, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        out, _ = process.communicate(timeout=HANG_SECONDS)
        return Ran(command, process.returncode, out)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
        return Ran(command, process.returncode, out, hung="running")


def home_drawn(out: bytes) -> bool:
    """The home screen's first frame is complete: its key bar's last key, on the last row, has been written.
    (Not the "Your decks" line: problems that wrap can push it below a 50-row screen.)"""
    return b" palette" in out


def run_app(cwd: Path, data_dir: Path, path: str, unsafe: bool = False) -> Ran:
    """The app in a pseudo-terminal of SIZE: read all it writes until its home screen has drawn, press ctrl+q,
    read on until it exits. A child that has not drawn, or not exited, HANG_SECONDS later is killed."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", *SIZE, 0, 0))
    try:
        command, process = spawn(
            cwd, data_dir, ["--deck", path], unsafe, stdin=slave, stdout=slave, stderr=slave, start_new_session=True
        )
    finally:
        os.close(slave)
    out, hung, quitting = bytearray(), "", False
    deadline = time.monotonic() + HANG_SECONDS
    try:
        while True:
            if not quitting and home_drawn(out):
                os.write(master, b"\x11")  # ctrl+q
                quitting, deadline = True, time.monotonic() + HANG_SECONDS
            left = deadline - time.monotonic()
            if left <= 0:
                hung = "quitting after ctrl+q" if quitting else "before its home screen drew"
                break
            if select.select([master], [], [], min(left, 1.0))[0]:
                try:
                    chunk = os.read(master, 1 << 16)
                except OSError:  # EIO: the child has closed the terminal, it has exited
                    break
                if not chunk:
                    break
                out += chunk
        if hung:
            process.kill()
        code = process.wait(timeout=HANG_SECONDS)
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
            process.wait()
    return Ran(command, code, bytes(out), hung=hung, drawn=home_drawn(out))


# --- what may come out --------------------------------------------------------------------------------------


def cli_leaks(out: bytes) -> list[str]:
    """Every control, C1 or bidi character (and undecodable byte) in a command's output: there may be none."""
    return sorted({repr(ch) for ch in unsafe_in(out.decode("utf-8", "surrogateescape"))})


# Textual is a TUI and writes escape sequences of its own. Measured with Textual 8.2.8 on a clean deck
# (tests/data/ui_deck.yaml, TERM=xterm-256color, 160x50): the only controls are ESC, \r, \n and one BEL; the
# sequences are CSI (SGR colours `m`, cursor moves `H`, DEC private modes `?Nh`/`?Nl`, the `?2026$p`/`?2048$p`
# queries, kitty keyboard `>Nu`/`<u`) and one OSC, `ESC ] 22 ; default BEL`: the kitty pointer shape
# (App._set_pointer_shape), which that BEL ends. That OSC (any shape name) is all that is allowed: no other OSC,
# no other BEL, no DCS/APC/PM/SOS, no CSI 2J/3J (Textual never clears that way), no C1 character, no raw
# undecodable byte, no other C0 control. (Textual also rings BEL when it dies of an exception: a crash shows
# here too, besides its traceback.) Before Textual starts, textual-image (card pictures) asks the terminal
# what it draws: the CSI `ESC [ c` (allowed above) and one APC, the Kitty graphics query of a 1x1 picture,
# `ESC _ G i=N,s=1,v=1,a=q,t=d,f=24;AAAA ESC \`, exactly: allowed too, and no other APC.
TEXTUAL_OSC = re.compile(rb"\x1b\]22;[a-z-]+\x07")
TEXTUAL_IMAGE_QUERY = re.compile(rb"\x1b_Gi=\d+,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\")
APP_FORBIDDEN = (b"\x1b]", b"\x07", b"\x1bP", b"\x1b_", b"\x1b^", b"\x1bX", b"\x1b[2J", b"\x1b[3J")
APP_UNSAFE = re.compile(
    "[\x00-\x06\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def app_leaks(out: bytes) -> list[str]:
    rest = TEXTUAL_IMAGE_QUERY.sub(b"", TEXTUAL_OSC.sub(b"", out), count=1)
    text = rest.decode("utf-8", "surrogateescape")
    found = [repr(seq) for seq in APP_FORBIDDEN if seq in rest]
    return found + sorted({repr(ch) for ch in APP_UNSAFE.findall(text)})


def visible(out: bytes) -> str:
    """What the app wrote with its colours taken out: each row's text reads in one piece."""
    return re.sub(r"\x1b\[[0-9;]*m", "", out.decode("utf-8", "replace"))


def common_failures(what: str, ran: Ran, leaks: list[str]) -> list[str]:
    failures = []
    if ran.hung:
        failures.append(f"{what}: hung ({ran.hung}), killed after {HANG_SECONDS} s")
    if "Traceback" in ran.text:
        failures.append(f"{what}: printed a traceback")
    if leaks:
        failures.append(f"{what}: hostile bytes reached the terminal: {', '.join(leaks)}")
    return failures


def check_validate(case: Case, ran: Ran) -> tuple[list[str], bool | None]:
    """The failures, and whether validate found the deck good (None if it said neither)."""
    failures = common_failures("validate", ran, cli_leaks(ran.out))
    lines = ran.text.splitlines()
    name = case.shown_name
    if ran.code == 0 and case.loads is not False:
        if not any(line.startswith(f"ok {name}: deck ") and case.title in line for line in lines):
            failures.append(f"validate: no line `ok {name}: deck ... '{case.title}'`")
        return failures, True
    if ran.code == 1 and case.loads is not True:
        positioned = [line for line in lines if line.startswith(f"{name}:")]
        if not positioned:
            failures.append(f"validate: no problem names the file as {name!r}")
        elif case.says and not any(case.says in line for line in positioned):
            failures.append(f"validate: no problem for {name!r} says {case.says!r}")
        for file, words, at in REJECTED:  # the static files: every problem test_hostile_decks.py expects
            if case.path == f"{HOSTILE}/{file}":
                if not any(line.startswith(f"{name}:{at}:") and all(w in line for w in words) for line in lines):
                    failures.append(f"validate: no problem at {name}:{at} saying {words}")
        return failures, False
    wanted = {True: "0", False: "1", None: "0 or 1"}[case.loads]
    return failures + [f"validate: exit code {ran.code}, expected {wanted}"], None


def check_list(case: Case, ran: Ran, loads: bool | None) -> list[str]:
    failures = common_failures("list", ran, cli_leaks(ran.out))
    if ran.code != 0 and not ran.hung:
        failures.append(f"list: exit code {ran.code}, expected 0")
    lines = ran.text.splitlines()
    listed = any(case.title in line for line in lines[1:]) if case.title else False
    broken = any(line.startswith(f"{case.shown_name}: not loaded") for line in lines)
    if not ran.hung and not (listed if loads else broken if loads is False else listed or broken):
        expected = f"the title {case.title!r}" if loads else f"`{case.shown_name}: not loaded`"
        failures.append(f"list: no line with {expected}")
    return failures


def check_app(case: Case, ran: Ran, loads: bool | None) -> list[str]:
    failures = common_failures("app", ran, app_leaks(ran.out))
    if not ran.drawn:
        failures.append("app: its home screen never drew")
    elif ran.code != 0 and not ran.hung:
        failures.append(f"app: exit code {ran.code} after ctrl+q, expected 0")
    screen = visible(ran.out)
    listed = bool(case.title) and case.title in screen
    broken = "could not be loaded" in screen and case.shown_name in screen
    if ran.drawn and not (listed if loads else broken if loads is False else listed or broken):
        expected = f"the title {case.title!r}" if loads else f"'could not be loaded' and {case.shown_name!r}"
        failures.append(f"app: the home screen does not show {expected}")
    return failures


# --- the tests ----------------------------------------------------------------------------------------------


def place(case: Case, tmp_path: Path) -> Path:
    """The folder PATH is relative to: the repository, or a new folder holding the case's made files."""
    if case.make is None:
        return ROOT
    folder = tmp_path / "case"
    folder.mkdir()
    case.make(folder)
    return folder


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_input_everywhere(case: Case, tmp_path: Path) -> None:
    """validate, list and the app on one hostile case: a clear error or a literal display, nothing hostile
    out, no hang, no traceback. The two commands run alongside the app (each in its own data folder)."""
    cwd = place(case, tmp_path)
    (tmp_path / "list-data").mkdir()  # `list` reads a data folder; it makes none
    with ThreadPoolExecutor(max_workers=2) as pool:
        validate = pool.submit(run_cli, cwd, tmp_path / "validate-data", "validate", case.path)
        listing = pool.submit(run_cli, cwd, tmp_path / "list-data", "--deck", case.path, "list")
        app = run_app(cwd, tmp_path / "app-data", case.path)
    failures, loads = check_validate(case, validate.result())
    if loads is None:
        loads = case.loads
    failures += check_list(case, listing.result(), loads)
    failures += check_app(case, app, loads)
    ran = {"validate": validate.result(), "list": listing.result(), "app": app}
    assert not failures, "\n".join(
        failures + [ran[what].shown() for what in ran if any(f.startswith(what) for f in failures)]
    )


def test_the_corpus_is_big_and_distinct() -> None:
    assert len(CASES) >= 40
    assert len({case.id for case in CASES}) == len(CASES)
    static_files = {Path(case.path).name for case in CASES if case.make is None}
    assert static_files >= {p.name for p in (ROOT / HOSTILE).iterdir()}, "every file in tests/data/hostile/ is a case"


def test_the_checks_catch_a_real_leak(tmp_path: Path) -> None:
    """With quiz's sanitiser turned off in the child, the same runs and checks fail: the checks can fail."""
    case = next(case for case in CASES if case.id == "osc52_clipboard")
    validate = run_cli(ROOT, tmp_path / "v", "validate", case.path, unsafe=True)
    (tmp_path / "l").mkdir()  # `list` reads a data folder; it makes none
    listing = run_cli(ROOT, tmp_path / "l", "--deck", case.path, "list", unsafe=True)
    app = run_app(ROOT, tmp_path / "a", case.path, unsafe=True)
    osc52 = f"\x1b]52;c;{b64('quiz-osc52-title')}".encode()
    assert osc52 + b"\x07" in validate.out and osc52 + b"\x07" in listing.out
    assert osc52 in app.out  # rich drops the BEL; the unterminated OSC 52 still reaches the terminal
    assert {"'\\x1b'", "'\\x07'"} <= set(cli_leaks(validate.out)) & set(cli_leaks(listing.out))
    assert "b'\\x1b]'" in app_leaks(app.out)
    assert check_validate(case, validate)[0] and check_list(case, listing, True) and check_app(case, app, True)
    # ... and on a clean deck the app's own sequences pass (the allowance above is no wider than Textual's).
    clean = run_app(ROOT, tmp_path / "c", "tests/data/ui_deck.yaml")
    assert clean.drawn and clean.code == 0 and not app_leaks(clean.out)


def test_only_textual_images_own_query_is_allowed_as_an_apc() -> None:
    query = b"\x1b_Gi=42,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\"
    assert app_leaks(query) == []
    assert "b'\\x1b_'" in app_leaks(query + query)  # once, before the app starts
    assert "b'\\x1b_'" in app_leaks(b"\x1b_Gi=42,a=T,f=100;iVBORw0K\x1b\\")  # drawing a picture: never from a deck
