"""The one file writer: the path holds the old file or the complete new one, never a part, never a stray temp."""

from __future__ import annotations

import errno
import os
import random
import signal
import stat
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path

import pytest

from quiz.core.atomicfile import atomic_write, remove_leftovers, staged_files, write_files

ROOT = Path(__file__).resolve().parents[2]


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_text_and_bytes_become_the_file(tmp_path: Path) -> None:
    text, data = tmp_path / "deck.yaml", tmp_path / "entry.bin"
    with atomic_write(text, "w", encoding="utf-8", newline="") as out:
        out.write("déck\r\nline\n")
    with atomic_write(data) as out:
        out.write(b"\0\xff")
    assert text.read_bytes() == "déck\r\nline\n".encode()
    assert data.read_bytes() == b"\0\xff"
    assert _names(tmp_path) == ["deck.yaml", "entry.bin"]


def test_an_existing_file_is_replaced_whole(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("old, and longer than the new content\n")
    with atomic_write(path, "w", encoding="utf-8") as out:
        out.write("new\n")
    assert path.read_text() == "new\n"
    assert _names(tmp_path) == ["export.csv"]


@pytest.mark.parametrize("overwrite", [True, False])
def test_an_exception_mid_write_leaves_the_old_file_and_no_temp(tmp_path: Path, overwrite: bool) -> None:
    path = tmp_path / "deck.yaml"
    if overwrite:
        path.write_text("old\n")
    with (
        pytest.raises(RuntimeError, match="stop"),
        atomic_write(path, "w", encoding="utf-8", overwrite=overwrite) as out,
    ):
        out.write("half of the new")
        raise RuntimeError("stop")
    assert _names(tmp_path) == (["deck.yaml"] if overwrite else [])
    if overwrite:
        assert path.read_text() == "old\n"


def test_no_overwrite_creates_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    with atomic_write(path, "w", encoding="utf-8", overwrite=False) as out:
        out.write("fresh\n")
    assert path.read_text() == "fresh\n"
    assert _names(tmp_path) == ["new.yaml"]


def test_no_overwrite_refuses_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("keep me\n")
    with pytest.raises(FileExistsError), atomic_write(path, "w", encoding="utf-8", overwrite=False) as out:
        out.write("would clobber\n")
    assert path.read_text() == "keep me\n"
    assert _names(tmp_path) == ["mine.yaml"]


def test_no_overwrite_refuses_a_file_created_while_writing(tmp_path: Path) -> None:
    """Checking first and writing after is a race; the writer's last step refuses by itself."""
    path = tmp_path / "race.yaml"
    with pytest.raises(FileExistsError), atomic_write(path, "w", encoding="utf-8", overwrite=False) as out:
        out.write("ours\n")
        path.write_text("theirs\n")  # another process got there first
    assert path.read_text() == "theirs\n"
    assert _names(tmp_path) == ["race.yaml"]


@pytest.mark.parametrize("exists", [False, True])
def test_no_overwrite_without_hard_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exists: bool) -> None:
    """A file system without hard links (FAT): the name is claimed, then filled; still never overwritten."""

    def no_links(src: object, dst: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "fat.yaml"
    if exists:
        path.write_text("keep me\n")
    with pytest.raises(FileExistsError) if exists else nullcontext(), atomic_write(path, overwrite=False) as out:
        out.write(b"new\n")
    assert path.read_bytes() == (b"keep me\n" if exists else b"new\n")
    assert _names(tmp_path) == ["fat.yaml"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_permissions(tmp_path: Path) -> None:
    with atomic_write(tmp_path / "ordinary") as out:
        out.write(b"x")
    with atomic_write(tmp_path / "private", permissions=0o600, durable=False) as out:
        out.write(b"x")
    assert stat.S_IMODE((tmp_path / "ordinary").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "private").stat().st_mode) == 0o600


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    """A deck she keeps private (0600) was made readable by everyone (0644) when an import updated it."""
    path = tmp_path / "private.yaml"
    path.write_text("old\n")
    path.chmod(0o600)
    with atomic_write(path, "w", encoding="utf-8") as out:
        out.write("new\n")
    assert path.read_text() == "new\n" and stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges there")
def test_a_link_is_replaced_never_written_through(tmp_path: Path) -> None:
    """A link planted where quiz writes its own file (a synced folder another machine writes too) must not lead
    the write to a file of hers elsewhere."""
    hers = tmp_path / ".bashrc"
    hers.write_text("alias ll='ls -l'\n")
    (tmp_path / "synced").mkdir()
    planted = tmp_path / "synced" / "device.json"
    planted.symlink_to(hers)
    with atomic_write(planted, "w", encoding="utf-8") as out:
        out.write("{}\n")
    assert not planted.is_symlink() and planted.read_text() == "{}\n"
    assert hers.read_text() == "alias ll='ls -l'\n"


@pytest.mark.parametrize("overwrite", [True, False])
def test_a_file_that_cannot_be_made_is_named_in_the_error_not_its_temporary_file(
    tmp_path: Path, overwrite: bool
) -> None:
    """A read-only or missing deck folder: `quiz import` said `cannot write .../.words.yaml.quiz-2138-pg14.tmp`."""
    path = tmp_path / "gone" / "words.yaml"
    with pytest.raises(FileNotFoundError) as caught, atomic_write(path, overwrite=overwrite) as out:
        out.write(b"x")
    assert caught.value.filename == str(path)


@pytest.mark.parametrize("overwrite", [True, False])
def test_a_file_that_cannot_be_renamed_into_place_is_named_in_the_error_not_its_temporary_file(
    tmp_path: Path, overwrite: bool
) -> None:
    """The rename failing (a folder at the path here; an immutable deck, a deck open on Windows) named the
    temporary file, which is gone by then."""
    path = tmp_path / "words.yaml"
    (path / "inside").mkdir(parents=True)
    with pytest.raises(OSError) as caught, atomic_write(path, overwrite=overwrite) as out:
        out.write(b"x")
    assert caught.value.filename == str(path) and caught.value.filename2 is None
    assert _names(tmp_path) == ["words.yaml"]


# --- many files at once: a deck's pictures --------------------------------------------------------------


def _synced(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The paths os.fsync is called on, in order (the real sync still runs)."""
    synced: list[Path] = []
    real = os.fsync

    def recording(fd: int) -> None:
        synced.append(Path(os.readlink(f"/proc/self/fd/{fd}")))
        real(fd)

    monkeypatch.setattr(os, "fsync", recording)
    return synced


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="names a synced file through /proc")
def test_many_files_are_written_whole_each_synced_and_each_folder_synced_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "old.png").write_bytes(b"an earlier import's")
    files = {tmp_path / folder / f"{n}.png": bytes([n]) * (n + 1) for folder in "ab" for n in range(40)}
    files[tmp_path / "a" / "old.png"] = b"new"
    synced = _synced(monkeypatch)
    write_files({path: (lambda data=data: data) for path, data in files.items()})
    for path, data in files.items():
        assert path.read_bytes() == data
    assert sorted(_names(tmp_path / "a")) == sorted([*(f"{n}.png" for n in range(40)), "old.png"])
    assert sorted(_names(tmp_path)) == ["a", "b"]  # no temporary folder left
    folders = [path for path in synced if path.is_dir() or path.name.startswith(".b.")]
    (filled,) = [path for path in folders if path.name.startswith(".b.")]  # the new folder, under its temporary name
    assert folders == [tmp_path / "a", filled, tmp_path] or folders == [filled, tmp_path, tmp_path / "a"]
    for path in files:
        if path.parent.name == "a":  # an existing folder: each file synced under its temporary name, then renamed
            at = [n for n, p in enumerate(synced) if p.parent == path.parent and p.name.startswith(f".{path.name}.")]
            assert len(at) == 1 and at[0] < synced.index(path.parent)
        else:  # a new one: each file synced in it under its own name, before the folder is, then renamed
            assert synced.index(filled / path.name) < synced.index(filled) < synced.index(tmp_path)
    assert len(synced) == len(files) + 3


def test_a_file_that_cannot_be_read_stops_the_writing_and_leaves_no_temp(tmp_path: Path) -> None:
    def broken() -> bytes:
        raise OSError("damaged member")

    (tmp_path / "old").mkdir()
    for folder in ("old", "new"):
        files = {tmp_path / folder / f"{n}.png": (lambda: b"x") for n in range(5)}
        files[tmp_path / folder / "bad.png"] = broken
        with pytest.raises(OSError, match="damaged member"):
            write_files(files)
    assert all(not name.startswith(".") for name in _names(tmp_path / "old"))
    assert "bad.png" not in _names(tmp_path / "old")
    assert _names(tmp_path) == ["old"]  # a new folder appears whole or not at all


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_a_new_folder_and_its_files_get_the_modes_of_an_existing_one_s(tmp_path: Path, umask: int) -> None:
    """Files written straight into a new folder get atomic_write's permissions, and the folder mkdir's."""
    before = os.umask(umask)
    try:
        (tmp_path / "old").mkdir()
        write_files({tmp_path / folder / "a.png": (lambda: b"x") for folder in ("old", "new")})
    finally:
        os.umask(before)
    for folder in ("old", "new"):
        assert stat.S_IMODE((tmp_path / folder).stat().st_mode) == 0o777 & ~umask
        assert stat.S_IMODE((tmp_path / folder / "a.png").stat().st_mode) == 0o644


# --- a real crash: SIGKILL -----------------------------------------------------------------------------

SIZE = 1 << 21  # 2 MiB, written in 64 KiB pieces: long enough to be killed in the middle
CHILD = """
import sys
from quiz.core.atomicfile import atomic_write, remove_leftovers, staged_files, write_files

path, blocking = sys.argv[1], sys.argv[2] == "block"
version = 0
while True:
    version += 1
    piece = (b"%08d" % version) * 8192
    with atomic_write(path) as out:
        for at in range(32):
            out.write(piece)
            if at == 0:
                print("writing", version, flush=True)
                if blocking:
                    sys.stdin.readline()  # hold here, half written, until killed
    print("wrote", version, flush=True)
"""


def _version(path: Path) -> int:
    """The version a complete file holds (0 for the original); fails on anything partial or mixed."""
    data = path.read_bytes()
    assert len(data) == SIZE, f"a partial file: {len(data)} of {SIZE} bytes"
    version = int(data[:8])
    assert data == (b"%08d" % version) * (SIZE // 8), "a mixed file"
    return version


def _child(path: Path, mode: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )


def _kill(child: subprocess.Popen[bytes]) -> list[str]:
    """Kill the child; its complete lines."""
    child.send_signal(signal.SIGKILL)
    out, err = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL, err.decode()[-2000:]
    text = out.decode()
    return text[: text.rfind("\n") + 1].splitlines()  # a line torn by the kill says nothing


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_half_way_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_bytes(b"00000000" * (SIZE // 8))
    child = _child(path, "block")
    assert child.stdout is not None
    assert child.stdout.readline() == b"writing 1\n"  # one piece of 32 written, and the child waits
    _kill(child)
    assert _version(path) == 0


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_what_a_killed_write_left_is_removed_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_bytes(b"00000000" * (SIZE // 8))
    others = [
        tmp_path / ".file.old.tmp",  # a file of hers shaped like quiz's
        tmp_path / ".other.quiz-1-abcdefgh.tmp",  # another file's
        tmp_path / "file.quiz-1-abcdefgh.tmp",
        tmp_path / f".file.quiz-{os.getpid()}-abcdefgh.tmp",  # a live writer's (this process)
        tmp_path / ".file.quiz-99999999999999999999-abcdefgh.tmp",  # no process has that number: not quiz's
    ]
    for other in others:
        other.write_bytes(b"theirs")
    child = _child(path, "block")
    assert child.stdout is not None
    assert child.stdout.readline() == b"writing 1\n"
    _kill(child)
    left = [p for p in tmp_path.iterdir() if p.name.startswith(".file.") and p not in others]
    assert len(left) == 1  # the killed write's temporary file
    remove_leftovers(path)
    assert _names(tmp_path) == sorted(["file", *(p.name for p in others)])
    assert _version(path) == 0


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_at_any_moment_leaves_a_whole_file(tmp_path: Path) -> None:
    """A child rewrites the file over and over; killed at random moments (writing, syncing, renaming),
    the file is always one complete version: the last one finished, or the one being renamed in."""
    path = tmp_path / "file"
    path.write_bytes(b"00000000" * (SIZE // 8))
    rng = random.Random(20260105)
    last = 0
    for _ in range(12):
        child = _child(path, "loop")
        assert child.stdout is not None
        first = child.stdout.readline().decode()
        assert first.startswith("writing "), first
        time.sleep(rng.uniform(0, 0.05))
        lines = [first.strip(), *_kill(child)]
        finished = [int(line.split()[1]) for line in lines if line.startswith("wrote")]
        started = [int(line.split()[1]) for line in lines if line.startswith("writing")]
        version = _version(path)
        # each child counts from 1: the file holds what it finished last, or the one it was renaming in
        assert version in ({finished[-1], started[-1]} if finished else {last, started[-1]}), (version, lines)
        last = version


def test_a_folder_a_killed_writer_was_filling_is_removed_and_a_live_writer_s_kept(tmp_path: Path) -> None:
    """write_files fills a new folder under a temporary name holding its pid: killed, that folder stays (an
    import's pictures, hundreds of MB); the next write of the folder removes it, not one a live writer fills."""
    gone = subprocess.Popen([sys.executable, "-c", ""])
    gone.wait()
    folder = tmp_path / "deck-media"
    dead = tmp_path / f".deck-media.quiz-{gone.pid}-0123abcd.tmp"
    live = tmp_path / f".deck-media.quiz-{os.getpid()}-4567cdef.tmp"
    for place in (dead, live):
        place.mkdir()
        (place / "heart.png").write_bytes(b"half")
    remove_leftovers(folder, folder=True)
    assert not dead.exists() and (live / "heart.png").read_bytes() == b"half"
    write_files({folder / "heart.png": lambda: b"whole"})
    assert (folder / "heart.png").read_bytes() == b"whole"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([folder.name, live.name])  # none of its own left


@pytest.mark.parametrize("name", ["薬" * 80 + ".yaml", "x" * 255])
def test_a_file_whose_name_nearly_fills_the_file_systems_255_bytes_is_written(tmp_path: Path, name: str) -> None:
    """Its temporary name (`.NAME.quiz-PID-RANDOM.tmp`) was 25 bytes longer: a deck named in 80 Japanese
    characters (240 bytes) could not be added or exported, 'File name too long'."""
    path = tmp_path / name
    with atomic_write(path, overwrite=False) as out:
        out.write(b"one")
    with atomic_write(path) as out:
        out.write(b"two")
    assert _names(tmp_path) == [name] and path.read_bytes() == b"two"
    path.unlink()
    picture = tmp_path / name / "a.png"  # its folder is made anew, filled under a temporary name
    write_files({picture: lambda: b"three"})
    assert picture.read_bytes() == b"three" and _names(tmp_path) == [name]


@pytest.mark.skipif(sys.platform == "win32", reason="a dead process's number")
def test_what_a_write_of_a_long_name_left_is_found_by_its_cut_name(tmp_path: Path) -> None:
    path = tmp_path / ("薬" * 80 + ".yaml")
    path.write_bytes(b"hers")
    with atomic_write(path) as out:  # the shape of the name this write gives its temporary file
        out.write(b"two")
        [temporary] = [p for p in tmp_path.iterdir() if p != path]
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    left = tmp_path / temporary.name.replace(f"-{os.getpid()}-", f"-{int(dead.stdout)}-")
    left.write_bytes(b"half")
    remove_leftovers(path)
    assert _names(tmp_path) == [path.name]


@pytest.mark.skipif(sys.platform == "win32", reason="no permission bits on Windows")
def test_staged_files_appear_only_when_placed_with_the_permissions_atomic_write_gives(tmp_path: Path) -> None:
    """Staged files stay private temporary files until `place()`; then a file replaced keeps its permissions, a new
    one is an ordinary file, both limited by `at_most`."""
    (tmp_path / "old.png").write_bytes(b"old")
    (tmp_path / "old.png").chmod(0o640)
    umask = os.umask(0o022)
    try:
        with staged_files() as staged:
            for name, at_most in (("old.png", 0o777), ("new.png", 0o777), ("capped.png", 0o600)):
                with staged.write(tmp_path / name, at_most=at_most) as out:
                    out.write(name.encode())
            assert (tmp_path / "old.png").read_bytes() == b"old" and not (tmp_path / "new.png").exists()
            assert {stat.S_IMODE(staged.temporary(tmp_path / n).stat().st_mode) for n in ("new.png", "capped.png")} == {
                0o600
            }
            staged.place()
    finally:
        os.umask(umask)
    modes = {name: stat.S_IMODE((tmp_path / name).stat().st_mode) for name in ("old.png", "new.png", "capped.png")}
    assert modes == {"old.png": 0o640, "new.png": 0o644, "capped.png": 0o600}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["capped.png", "new.png", "old.png"]


def test_staged_files_not_placed_leave_nothing_but_what_was_there(tmp_path: Path) -> None:
    """An error before `place()` removes every temporary file, and the folders made for them, not those there."""
    (tmp_path / "kept").mkdir()
    with pytest.raises(KeyError), staged_files() as staged:
        for path in (tmp_path / "kept" / "a.png", tmp_path / "new" / "deeper" / "b.png"):
            with staged.write(path) as out:
                out.write(b"bytes")
        raise KeyError("refused")
    assert sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*")) == ["kept"]
