"""`quiz sync` through git: a local bare repository as the remote (no network). Each device commits only its
own folder, so merges never conflict; an unreachable remote is a warning and the next sync catches up."""

from __future__ import annotations

import contextlib
import errno
import http.server
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from quiz.core import processes, syncfiles, syncgit
from quiz.core.model import Deck
from tests.conftest import bare_repository, commit_hook_that_waits, ended, parent_of, run_cli
from tests.core.progress_ops import progress_deck
from tests.core.test_sync import Device, _converged

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def deck(tmp_path: Path) -> Deck:
    return progress_deck(tmp_path)


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    return bare_repository(tmp_path / "progress.git")


def _clone_device(tmp_path: Path, name: str, remote: Path) -> Device:
    clone = tmp_path / f"{name}-clone"
    syncgit.clone(str(remote), clone)
    return Device(tmp_path, name, clone)


def _git_clones(tmp_path: Path, remote: Path) -> tuple[Device, Device]:
    """The laptop and the desk, each syncing through a clone of its own of `remote`."""
    return _clone_device(tmp_path, "laptop", remote), _clone_device(tmp_path, "desk", remote)


def test_two_machines_share_progress_through_a_git_remote(tmp_path: Path, remote: Path, deck: Deck) -> None:
    laptop, desk = _git_clones(tmp_path, remote)
    laptop.study(deck, random.Random(1), 40)
    assert laptop.sync().problems() == 0
    desk.study(deck, random.Random(2), 40)
    report = desk.sync()
    assert report.problems() == 0 and report.received == len(laptop.store.read_events())
    laptop.sync()
    _converged([laptop, desk])
    for device in (laptop, desk):  # every commit touches one device's folder only: no merge can conflict
        names = _git(device.folder, "log", "--format=", "--name-only").split()
        assert names and all(name.startswith(f"{syncfiles.FOLDER}/") for name in names)
        assert _git(device.folder, "status", "--porcelain") == ""
    log = _git(remote, "log", "--format=%s", "--all")
    assert f"quiz: events of device {laptop.store.device}" in log and f"device {desk.store.device}" in log


def test_an_unreachable_remote_is_a_warning_and_the_next_sync_catches_up(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LC_ALL", "C")  # git's messages in English, as asserted below
    laptop, desk = _git_clones(tmp_path, remote)
    laptop.sync()
    away = remote.rename(tmp_path / "away.git")  # offline
    laptop.study(deck, random.Random(3), 30)
    report = laptop.sync()
    # One warning, as the docs promise: no push is tried (and waited for) after the fetch failed; git's reason,
    # not the end of its advice ("and the repository exists.")
    assert report.sent > 0 and report.remote == [
        f"git: could not fetch from the remote ('{remote}' does not appear to be a git repository); synced with "
        "what this folder holds; this device's events are committed here and go with the next sync"
    ]
    assert _git(laptop.folder, "status", "--porcelain") == ""  # committed here all the same
    away.rename(remote)
    assert laptop.sync().problems() == 0
    desk.sync()
    _converged([laptop, desk])


def test_a_remote_over_ssh_out_of_reach_says_what_ssh_said(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Offline with a remote over ssh (most remotes), the warning gave git's last words, `Could not read from remote
    repository.`, which say neither that the network is down nor that a key was refused: ssh's line before them
    does, and comes first."""
    monkeypatch.setenv("LC_ALL", "C")
    laptop = _clone_device(tmp_path, "laptop", remote)
    _git(laptop.folder, "remote", "set-url", "origin", "git@example.org:me/progress.git")
    ssh = tmp_path / "ssh"  # ssh as it answers offline, with no network asked
    ssh.write_text(
        "#!/bin/sh\nprintf 'ssh: Could not resolve hostname example.org: Temporary failure in name resolution\\r\\n'"
        " >&2\nexit 255\n",
        encoding="utf-8",
    )
    ssh.chmod(0o755)
    monkeypatch.setenv("GIT_SSH_COMMAND", str(ssh))
    laptop.study(deck, random.Random(11), 3)
    assert laptop.sync().remote == [
        "git: could not fetch from the remote (ssh: Could not resolve hostname example.org: Temporary failure in name"
        " resolution; Could not read from remote repository.); synced with what this folder holds; this device's"
        " events are committed here and go with the next sync"
    ]


def test_a_key_the_remote_did_not_take_says_no_later_sync_gets_past_it(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key refused (ssh's `Permission denied (publickey)`) made `quiz sync` exit 1, while its warning said the
    events "go with the next sync": none does until she sees to the key."""
    monkeypatch.setenv("LC_ALL", "C")
    laptop = _clone_device(tmp_path, "laptop", remote)
    _git(laptop.folder, "remote", "set-url", "origin", "git@example.org:me/progress.git")
    ssh = tmp_path / "ssh"  # ssh as it answers a key the server does not take
    ssh.write_text("#!/bin/sh\necho 'git@example.org: Permission denied (publickey).' >&2\nexit 255\n", "utf-8")
    ssh.chmod(0o755)
    monkeypatch.setenv("GIT_SSH_COMMAND", str(ssh))
    laptop.study(deck, random.Random(11), 3)
    [warning] = laptop.sync().remote
    assert syncgit.refused_for_good(warning) and "go with the next sync" not in warning
    assert warning == (
        "git: could not fetch from the remote (git@example.org: Permission denied (publickey).; Could not read from"
        " remote repository.); check the key or password git gives the remote; synced with what this folder holds;"
        " this device's events are committed here; no later sync gets past that by itself: see to it, then sync"
        " again"
    )


@pytest.mark.parametrize(
    ("answer", "check"),
    [
        ("ERROR: Permission to ana/progress.git denied to bob.", "check that your account may write to"),
        ("ERROR: Repository not found.", "check the remote's address"),
    ],
)
def test_a_github_account_without_access_over_ssh_says_no_later_sync_gets_past_it(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch, answer: str, check: str
) -> None:
    """A valid key of an account the repository does not let in (a read-only deploy key, another account): GitHub
    answers over ssh `ERROR: Permission to ... denied to ...`, and the events were said to go with the next sync;
    a repository it does not find (or that this account may not see: GitHub says the same), likewise."""
    monkeypatch.setenv("LC_ALL", "C")
    laptop = _clone_device(tmp_path, "laptop", remote)
    _git(laptop.folder, "remote", "set-url", "origin", "git@example.org:ana/progress.git")
    ssh = tmp_path / "ssh"  # what GitHub's ssh answers such a key
    ssh.write_text(f"#!/bin/sh\necho '{answer}' >&2\nexit 1\n", "utf-8")
    ssh.chmod(0o755)
    monkeypatch.setenv("GIT_SSH_COMMAND", str(ssh))
    laptop.study(deck, random.Random(11), 3)
    [warning] = laptop.sync().remote
    assert syncgit.refused_for_good(warning) and answer in warning and check in warning


class _Answering(http.server.BaseHTTPRequestHandler):
    """A git server over HTTPS answering every request with one status, and the server's own words."""

    status = 403

    def do_GET(self) -> None:
        self.send_response(self.status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ERROR: Permission to ana/progress.git denied to bob.\n")

    def log_message(self, *args: Any) -> None:
        pass


def _warning_of_a_sync_served_by(
    laptop: Device,
    deck: Deck,
    handler: type[http.server.BaseHTTPRequestHandler],
    path: str,
    *,
    threading_server: bool = False,
) -> str:
    """The one remote warning of `laptop`'s sync, having studied, through a server here answering as `handler`."""
    serving = http.server.ThreadingHTTPServer if threading_server else http.server.HTTPServer
    server = serving(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        _git(laptop.folder, "remote", "set-url", "origin", f"http://127.0.0.1:{server.server_port}/{path}")
        laptop.study(deck, random.Random(11), 3)
        [warning] = laptop.sync().remote
    finally:
        server.shutdown()
        server.server_close()
    return warning


@pytest.mark.parametrize(
    ("status", "said", "for_good"),
    [
        (403, "The requested URL returned error: 403", True),
        (404, "/ana/progress.git/' not found", True),
        (503, "The requested URL returned error: 503", False),
    ],
)
def test_a_remote_over_https_that_refused_this_account_says_no_later_sync_gets_past_it(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch, status: int, said: str, for_good: bool
) -> None:
    """A token without the right to write (git's `The requested URL returned error: 403`) was said to go with the
    next sync, and a repository not found (404: what GitHub answers a token that may not see it) still was; a
    server down for now (a 5xx) still does. The server's own words (`remote: ...`) are not weighed."""
    monkeypatch.setenv("LC_ALL", "C")
    handler = type("Handler", (_Answering,), {"status": status})
    laptop = _clone_device(tmp_path, "laptop", remote)
    warning = _warning_of_a_sync_served_by(laptop, deck, handler, "ana/progress.git")
    assert said in warning
    assert syncgit.refused_for_good(warning) is for_good


class _RefusingTheUpload(http.server.BaseHTTPRequestHandler):
    """A git server over HTTPS (git's own `http-backend`) that fetches, and shows its branches to a push, but answers
    the push's upload 403: git's words are then `error: RPC failed; HTTP 403`, not the `fatal:` of a refused GET."""

    root: Path
    status = 403

    def do_GET(self) -> None:
        self._backend(b"")

    def do_POST(self) -> None:
        if "receive-pack" in self.path:
            self.send_response(self.status)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._backend(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def _backend(self, body: bytes) -> None:
        path, _, query = self.path.partition("?")
        cgi = {"PATH_INFO": path, "QUERY_STRING": query, "REQUEST_METHOD": self.command, "REMOTE_USER": "ana"}
        cgi |= {"CONTENT_TYPE": self.headers.get("Content-Type", ""), "CONTENT_LENGTH": str(len(body))}
        cgi |= {"GIT_PROJECT_ROOT": str(self.root), "GIT_HTTP_EXPORT_ALL": "1"}
        if self.headers.get("Content-Encoding"):
            cgi["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
        out = subprocess.run(["git", "http-backend"], input=body, env=os.environ | cgi, capture_output=True).stdout
        head, _, rest = out.partition(b"\r\n\r\n")
        fields = dict(line.split(": ", 1) for line in head.decode().split("\r\n") if ": " in line)
        self.send_response(int(fields.pop("Status", "200").split()[0]))
        for name, value in fields.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(rest)))
        self.end_headers()
        self.wfile.write(rest)

    def log_message(self, *args: Any) -> None:
        pass


def test_a_remote_over_https_that_refused_the_push_s_upload_says_no_later_sync_gets_past_it(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server refusing the upload of the push (its POST) with 403, having let its branches be read, was said to
    go with the next sync: git says `error: RPC failed; HTTP 403` there, and no later sync gets past it either."""
    monkeypatch.setenv("LC_ALL", "C")
    laptop = _clone_device(tmp_path, "laptop", remote)
    laptop.sync()
    handler = type("Handler", (_RefusingTheUpload,), {"root": remote.parent})
    warning = _warning_of_a_sync_served_by(laptop, deck, handler, remote.name)
    assert warning.startswith("git: could not push to the remote (git said: error: RPC failed; HTTP 403")
    assert syncgit.refused_for_good(warning) and "check that your account may write to" in warning


def _upload_answered(tmp_path: Path, remote: Path, deck: Deck, status: int, hook: str) -> str:
    """The warning of a sync whose push's upload a server answered `status`, with a pre-push hook running `hook`."""
    laptop = _clone_device(tmp_path, "laptop", remote)
    laptop.sync()
    _hook(laptop.folder / ".git", "pre-push", hook)
    handler = type("Handler", (_RefusingTheUpload,), {"root": remote.parent, "status": status})
    return _warning_of_a_sync_served_by(laptop, deck, handler, remote.name)


@pytest.mark.parametrize(
    ("status", "check"), [(503, None), (502, None), (403, "check that your account may write to the repository")]
)
def test_a_push_a_pre_push_hook_let_go_is_judged_as_one_with_no_hook(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch, status: int, check: str | None
) -> None:
    """A push whose upload failed (a server down for now, an account without the right) after the pre-push hook
    let it go was blamed on the hook: the dry run that told the hook's refusal apart never uploads. The hook is
    named only when the same dry run with it fails where the one without it goes through."""
    monkeypatch.setenv("LC_ALL", "C")
    warning = _upload_answered(tmp_path, remote, deck, status, "echo 'lint: ok' >&2\n")
    assert "hook" not in warning and f"HTTP {status}" in warning
    assert syncgit.refused_for_good(warning) is (check is not None)
    assert check in warning if check else warning.endswith("committed here and go with the next sync")


@pytest.mark.parametrize(
    "printed",
    [
        "echo ' ! [remote rejected] HEAD -> master (pre-receive hook declined)' >&2",
        "printf 'To backup\\n!\\tHEAD:refs/heads/master\\t[remote rejected] (pre-receive hook declined)\\nDone\\n'",
    ],
)
def test_a_pre_push_hook_s_words_are_never_taken_for_the_remote_s_answer(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch, printed: str
) -> None:
    """A pre-push hook that keeps a mirror in step prints that push's words, `! [remote rejected]` among them: they
    were read as the remote's answer, and a push the server could not take for now (a 503) was said refused for
    good by the branch's rules. The remote's answer is read from git's own report of the push only."""
    monkeypatch.setenv("LC_ALL", "C")
    warning = _upload_answered(tmp_path, remote, deck, 503, f"{printed}\n")
    assert not syncgit.refused_for_good(warning) and "rules" not in warning
    assert warning.endswith("committed here and go with the next sync")


def test_git_s_words_are_read_in_english_on_a_desktop_in_another_language(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git translates its words to the desktop's language, and quiz reads git's English: on a German desktop a
    token without write access was said to go with the next sync. A git translating its errors unless the
    locale is C stands for git with its translations installed (this machine has none)."""
    real = shutil.which("git")
    fake = tmp_path / "bin" / "git"
    fake.parent.mkdir()
    fake.write_text(
        f"""#!/bin/sh
said=$(mktemp)
{shlex.quote(str(real))} "$@" 2>"$said"
code=$?
if [ "$LC_ALL" = C ]; then cat "$said" >&2
else sed 's/The requested URL returned error/Die angeforderte URL gab Fehler zurück/' "$said" >&2
fi
rm -f "$said"
exit $code
""",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    monkeypatch.setenv("LANGUAGE", "de")
    laptop = _clone_device(tmp_path, "laptop", remote)
    warning = _warning_of_a_sync_served_by(laptop, deck, _Answering, "ana/progress.git")
    assert syncgit.refused_for_good(warning) and "The requested URL returned error: 403" in warning


def test_a_clone_made_after_another_machine_pushed_a_branch_the_remote_s_head_does_not_name_takes_that_branch(
    tmp_path: Path, remote: Path, deck: Deck
) -> None:
    """A bare remote made with `git init --bare` names `master` for its HEAD; a git that does not learn that from an
    empty remote (protocol 0, an older git) gave the laptop's first clone its own default branch, `main`, which it
    pushed. The desk's clone then had no branch checked out (the remote's HEAD names none there), and its syncs
    committed to, and pushed, `master`: neither machine ever read the other's answers, and each said it synced."""
    _git(remote, "symbolic-ref", "HEAD", "refs/heads/master")
    first = tmp_path / "laptop-clone"
    config = ("-c", "protocol.version=0", "-c", "init.defaultBranch=main")
    subprocess.run(["git", *config, "clone", "-q", str(remote), str(first)], capture_output=True, check=True)
    laptop = Device(tmp_path, "laptop", first)
    laptop.study(deck, random.Random(12), 10)
    assert laptop.sync().problems() == 0
    desk = _clone_device(tmp_path, "desk", remote)
    assert _git(desk.folder, "symbolic-ref", "HEAD").strip() == "refs/heads/master"  # no commit: git chose none
    desk.study(deck, random.Random(13), 10)
    report = desk.sync()
    assert report.problems() == 0 and report.received == len(laptop.store.read_events())
    assert laptop.sync().problems() == 0
    _converged([laptop, desk])
    assert _git(remote, "for-each-ref", "--format=%(refname)", "refs/heads/") == "refs/heads/main\n"


def test_the_line_of_a_sync_offline_says_the_events_are_kept_here_and_the_next_one_counts_them_sent(
    tmp_path: Path, remote: Path, deck: Deck
) -> None:
    """A laptop offline was told `synced with ...: sent 3 event(s)` though nothing left it, then, back online,
    `sent 0 event(s)` though that sync pushed them: the events an earlier sync kept here are counted when pushed."""
    laptop = _clone_device(tmp_path, "laptop", remote)
    laptop.sync()
    away = remote.rename(tmp_path / "away.git")
    laptop.study(deck, random.Random(3), 3)
    offline = laptop.sync()
    kept = offline.sent
    assert kept > 0 and offline.summary().startswith(
        f"synced with {laptop.folder}, not with the remote: {kept} event(s) kept here, received 0"
    )
    laptop.study(deck, random.Random(4), 2)  # more kept here by the next sync, still offline
    again = laptop.sync()
    assert again.summary().startswith(f"synced with {laptop.folder}, not with the remote: {kept + again.sent} event(s)")
    kept += again.sent
    away.rename(remote)
    laptop.study(deck, random.Random(5), 1)
    back = laptop.sync()
    assert back.problems() == 0 and back.carried == kept
    assert back.summary().startswith(
        f"synced with {laptop.folder}: sent {kept + back.sent} event(s) ({kept} kept here by an earlier sync), received"
    )
    assert laptop.sync().summary().startswith(f"synced with {laptop.folder}: sent 0 event(s), received")  # once


def test_events_kept_here_before_anything_was_ever_pushed_are_counted_when_pushed(
    tmp_path: Path, remote: Path, deck: Deck
) -> None:
    laptop = _clone_device(tmp_path, "laptop", remote)  # an empty remote: no branch of it fetched yet
    away = remote.rename(tmp_path / "away.git")
    laptop.study(deck, random.Random(6), 4)
    kept = laptop.sync().sent
    away.rename(remote)
    back = laptop.sync()
    assert kept > 0 and back.carried == kept and back.sent == 0


def test_events_a_refused_commit_left_written_are_counted_by_the_sync_that_sends_them(
    tmp_path: Path, remote: Path, deck: Deck
) -> None:
    """A pre-commit hook refused the commit: `3 event(s) kept here`; the next sync committed and pushed them with
    its own and said `sent 2 event(s)`, as the count read only the commits not pushed."""
    laptop = _clone_device(tmp_path, "laptop", remote)
    laptop.sync()
    hook = _hook(laptop.folder / ".git", "pre-commit", "echo 'not now' >&2\nexit 1\n")
    laptop.study(deck, random.Random(3), 3)
    refused = laptop.sync()
    kept = refused.sent
    assert kept > 0 and refused.summary().startswith(
        f"synced with {laptop.folder}, not with the remote: {kept} event(s) kept here"
    )
    hook.unlink()
    laptop.study(deck, random.Random(4), 2)
    back = laptop.sync()
    assert back.problems() == 0 and back.sent > 0 and back.carried == kept
    assert back.summary().startswith(
        f"synced with {laptop.folder}: sent {kept + back.sent} event(s) ({kept} kept here by an earlier sync)"
    )


class _FillingDisk:
    """A part opened to append to, on a disk that fills after `room` more bytes: the write stops inside a line and
    raises ENOSPC, as a full disk leaves it (simulated at the one write that appends; no file system to fill)."""

    def __init__(self, handle: Any, room: int) -> None:
        self.handle, self.room = handle, room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            self.handle.write(data[: self.room])
            self.handle.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return self.handle.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)

    def __enter__(self) -> _FillingDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


def test_a_line_a_full_disk_cut_is_not_counted_as_an_event_kept_here(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk filled while a sync appended (the line it was writing cut), and the sync that then pushed said
    `sent 101 event(s) (25 kept here by an earlier sync)` for 100 and 24: git counts the cut line as one."""
    laptop = _clone_device(tmp_path, "laptop", remote)
    laptop.study(deck, random.Random(3), 3)
    first = laptop.sync()
    own = laptop.folder / syncfiles.FOLDER / laptop.store.device
    part = own / syncfiles.part_name(1)
    before = part.stat().st_size
    laptop.study(deck, random.Random(4), 6)
    real_open = open
    monkeypatch.setattr(
        syncfiles,
        "open",
        lambda path, mode="r", *a, **k: (
            _FillingDisk(real_open(path, mode, *a, **k), 1500) if "a" in mode else real_open(path, mode, *a, **k)
        ),
        raising=False,
    )
    assert laptop.sync().problems() > 0
    monkeypatch.undo()
    written = part.read_bytes()[before:]
    assert written and not written.endswith(b"\n")  # whole lines, then one cut
    back = laptop.sync()
    kept = written.count(b"\n")
    assert back.problems() == 0 and back.carried == kept
    whole = sum(path.read_bytes().count(b"\n") - 1 for path in own.glob("events-*.jsonl"))  # less each header
    assert f"sent {whole - first.sent} event(s) ({kept} kept here by an earlier sync)" in back.summary()


def test_counting_the_events_kept_here_costs_a_sync_three_gits(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The count ran four gits at every sync through git (~4 ms each, measured), where one diff has it all (its
    folder staged, as the commit does next)."""
    laptop = _clone_device(tmp_path, "laptop", remote)
    laptop.sync()
    away = remote.rename(tmp_path / "away.git")
    laptop.study(deck, random.Random(6), 4)
    kept = laptop.sync().sent
    laptop.study(deck, random.Random(7), 3)
    kept += laptop.sync().sent
    run = syncgit._git
    asked: list[str] = []
    monkeypatch.setattr(syncgit, "_git", lambda folder, *args, **kw: asked.append(args[0]) or run(folder, *args, **kw))
    assert kept > 0 and syncgit.waiting(laptop.folder, laptop.store.device) == kept
    assert asked == ["add", "symbolic-ref", "diff"]
    away.rename(remote)
    asked.clear()
    assert laptop.sync().carried == kept and asked.count("add") == 1  # the commit does not add them again


def test_a_push_rejected_because_another_device_pushed_first_is_merged_and_pushed(
    tmp_path: Path, remote: Path, deck: Deck
) -> None:
    laptop, desk = _git_clones(tmp_path, remote)
    desk.sync()
    laptop.study(deck, random.Random(4), 20)
    laptop.sync()  # the remote moved on since the desk pulled
    desk.study(deck, random.Random(5), 20)
    own = desk.folder / syncfiles.FOLDER / desk.store.device
    syncfiles.append_lines(own, desk.store.device, 1, [])  # a part begun: only the desk's own files changed, not pulled
    assert syncgit.commit_and_push(desk.folder, desk.store.device) == []
    assert f"{own.name}/{syncfiles.part_name(1)}" in _git(remote, "log", "--name-only", "--format=", "--all")
    desk.sync(), laptop.sync()
    _converged([laptop, desk])


@pytest.mark.parametrize("races", [1, 3])
def test_a_push_that_lost_the_race_to_another_device_s_push_is_merged_and_pushed(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch, races: int
) -> None:
    """Two machines pushing at once: the remote takes both, and the second to update the branch answers
    `[remote rejected] (failed to update ref)` (`cannot lock ref`). That was read as the branch's rules refusing
    it for good (`quiz sync` exited 1); it is another device having pushed meanwhile: merged and pushed again,
    and a push that lost every race goes with the next sync. The race is made sure: the remote's pre-receive
    hook has the desk push first, `races` times."""
    monkeypatch.setenv("LC_ALL", "C")
    laptop, desk = _git_clones(tmp_path, remote)
    laptop.sync(), desk.sync()
    raced = shlex.quote(str(tmp_path / "raced"))
    me = "-c user.name=me -c user.email=me@example.org"
    _hook(
        remote,
        "pre-receive",
        f"""cat >/dev/null
[ -n "$DESK_PUSHING" ] && exit 0
n=$(cat {raced} 2>/dev/null || echo 0)
[ "$n" -ge {races} ] && exit 0
echo $((n + 1)) > {raced}
unset GIT_DIR GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
git -C {shlex.quote(str(desk.folder))} {me} commit -q --allow-empty -m "desk $n"
DESK_PUSHING=1 git -C {shlex.quote(str(desk.folder))} push -q origin HEAD
""",
    )
    laptop.study(deck, random.Random(15), 5)
    warnings = laptop.sync().remote
    assert (tmp_path / "raced").read_text(encoding="utf-8").strip() == str(races)
    assert f"desk {races - 1}\n" in _git(laptop.folder, "log", "--format=%s")  # the desk's last push, merged
    if races == 1:
        assert warnings == []
    else:
        [warning] = warnings
        assert "[remote rejected] (failed to update ref)" in warning and "rules" not in warning
        assert not syncgit.refused_for_good(warning)
        assert warning.endswith("this device's events are committed here and go with the next sync")
    laptop.sync(), desk.sync()
    _converged([laptop, desk])


def _ssh_running_locally(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ssh as git runs it, running git's command on this machine, whatever the host: a remote over ssh with no
    network."""
    ssh = tmp_path / "ssh-here"
    ssh.write_text('#!/bin/sh\nwhile [ $# -gt 1 ]; do shift; done\nexec sh -c "$1"\n', encoding="utf-8")
    ssh.chmod(0o755)
    monkeypatch.setenv("GIT_SSH_COMMAND", str(ssh))


@pytest.mark.parametrize("hook", [None, "echo 'lint: ok'\n", "printf 'lint: ok'\n"])
@pytest.mark.parametrize("spelled", ["path", "ssh with a user"])
def test_a_push_rejected_at_the_first_of_two_push_urls_is_merged_and_pushed(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch, hook: str | None, spelled: str
) -> None:
    """A clone pushing to two URLs (`remote.origin.pushurl` set twice: a mirror kept in step) has git report each
    push in turn: the remote's `[rejected] (fetch first)` before the mirror's `Done` was not read, and the push
    was left for the next sync; so was it when a pre-push hook printed a line of its own before each URL's report
    (git passes a hook's output on to its own), even one ending in no newline, which git's `To URL` (and `Done`)
    then follows on the same line, or when the URL had a user name git leaves out of its report (`To host:path` for
    `me@host:path`). Every URL's answer is read."""
    laptop, desk = _git_clones(tmp_path, remote)
    desk.sync()
    mirror = tmp_path / "mirror.git"
    _git(tmp_path, "clone", "-q", "--bare", str(remote), str(mirror))
    _ssh_running_locally(tmp_path, monkeypatch)
    first = str(remote) if spelled == "path" else f"me@example.org:{remote}"
    for url in (first, str(mirror)):
        _git(desk.folder, "remote", "set-url", "--add", "--push", "origin", url)
    if hook is not None:
        _hook(desk.folder / ".git", "pre-push", hook)
    laptop.study(deck, random.Random(4), 20)
    laptop.sync()  # the remote moved on since the desk pulled
    own = desk.folder / syncfiles.FOLDER / desk.store.device
    syncfiles.append_lines(own, desk.store.device, 1, [])  # a part begun, not pulled before its push
    assert syncgit.commit_and_push(desk.folder, desk.store.device) == []
    pushed = {_git(where, "rev-parse", "HEAD") for where in (remote, mirror, desk.folder)}
    assert len(pushed) == 1


def test_a_pre_push_hook_s_own_push_to_a_mirror_is_not_read_as_the_remote_s_answer(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pre-push hook pushing to a mirror of its own with `--porcelain` prints that push's report on git's stdout,
    `To` the mirror and its `[rejected] (fetch first)`: it was read as the remote's answer, so the sync pulled
    and pushed again three times, running the hook each time. Only the report for origin's push URLs is read: the
    hook refused, and is named after one push and the dry run that tells its refusal apart."""
    monkeypatch.setenv("LC_ALL", "C")
    laptop = _clone_device(tmp_path, "laptop", remote)
    laptop.sync()
    backup = tmp_path / "backup.git"
    _git(tmp_path, "clone", "-q", "--bare", str(remote), str(backup))
    _git(laptop.folder, "remote", "add", "backup", str(backup))
    elsewhere = tmp_path / "elsewhere"
    _git(tmp_path, "clone", "-q", str(backup), str(elsewhere))
    _git(elsewhere, "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-q", "--allow-empty", "-m", "ahead")
    _git(elsewhere, "push", "-q", "origin", "HEAD")  # the mirror holds a commit the laptop has not
    runs = tmp_path / "runs"
    mirrored = "git push --porcelain --no-verify backup HEAD:master || exit 1"
    hook = _hook(laptop.folder / ".git", "pre-push", f"echo run >> {shlex.quote(str(runs))}\n{mirrored}\n")
    laptop.study(deck, random.Random(5), 3)
    [warning] = laptop.sync().remote
    assert f"its pre-push hook ({hook}) refused it" in warning and syncgit.refused_for_good(warning)
    assert runs.read_text(encoding="utf-8").count("run") == 2


@pytest.mark.parametrize("told", ["the remote spelled as fetched", "no URL spelled as fetched"])
def test_a_push_rejected_at_every_push_url_after_another_device_pushed_to_all_of_them_is_merged_and_pushed(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch, told: str
) -> None:
    """Two machines pushing to the same two URLs (a mirror kept in step): the laptop's push reached both since the
    desk pulled, so both refuse the desk's (`[rejected] (fetch first)`). The mirror was named as holding commits the
    pull does not fetch, and `quiz sync` exited 1, though the pull brings just what it holds; so was the remote when
    no push URL is spelled as the fetch URL and the first URL, the mirror, was guessed to be the fetched one. It is
    the race of two machines: merged and pushed again."""
    laptop, desk = _git_clones(tmp_path, remote)
    laptop.sync(), desk.sync()
    mirror = tmp_path / "mirror.git"
    _git(tmp_path, "clone", "-q", "--bare", str(remote), str(mirror))
    _ssh_running_locally(tmp_path, monkeypatch)
    over_ssh = f"me@example.org:{remote}"
    pushed_to = [str(remote), str(mirror)] if told.startswith("the remote") else [str(mirror), over_ssh]
    for device in (laptop, desk):
        for url in pushed_to:
            _git(device.folder, "remote", "set-url", "--add", "--push", "origin", url)
    laptop.study(deck, random.Random(4), 20)
    assert laptop.sync().remote == []  # the laptop's push reached both URLs since the desk pulled
    own = desk.folder / syncfiles.FOLDER / desk.store.device
    syncfiles.append_lines(own, desk.store.device, 1, [])  # a part begun, not pulled before its push
    assert syncgit.commit_and_push(desk.folder, desk.store.device) == []
    assert len({_git(where, "rev-parse", "HEAD") for where in (remote, mirror, desk.folder)}) == 1


def test_a_push_url_the_remote_s_commits_reached_by_another_spelling_is_merged_and_pushed(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Push URLs a USB mirror, then the remote over ssh (fetched over another URL, so neither is spelled as the fetch
    URL): the laptop pushed to the remote since the desk pulled, the mirror takes the desk's push and the remote
    refuses it. The first URL, the mirror, was guessed to be the fetched one, and the remote named as holding
    commits no pull brings (exit 1): the pull brings them, and the push goes again."""
    laptop, desk = _git_clones(tmp_path, remote)
    laptop.sync(), desk.sync()
    mirror = tmp_path / "mirror.git"
    _git(tmp_path, "clone", "-q", "--bare", str(remote), str(mirror))
    _ssh_running_locally(tmp_path, monkeypatch)
    for url in (str(mirror), f"me@example.org:{remote}"):
        _git(desk.folder, "remote", "set-url", "--add", "--push", "origin", url)
    laptop.study(deck, random.Random(4), 20)
    laptop.sync()
    own = desk.folder / syncfiles.FOLDER / desk.store.device
    syncfiles.append_lines(own, desk.store.device, 1, [])
    assert syncgit.commit_and_push(desk.folder, desk.store.device) == []
    assert len({_git(where, "rev-parse", "HEAD") for where in (remote, mirror, desk.folder)}) == 1


@pytest.mark.parametrize(
    ("spelled", "named", "pulled"),
    [
        ("{mirror}", "{mirror}", "{mirror}"),
        ("ssh://me:secret@example.org{mirror}", "ssh://me@example.org{mirror}", "ssh://me@example.org{mirror}"),
        ("ssh://me:secret@secret@example.org{mirror}", "ssh://me@example.org{mirror}", "ssh://me@example.org{mirror}"),
        ("http://secret_token@{served}/mirror.git", "http://{served}/mirror.git", "http://{served}/mirror.git"),
        ("http://me:secret@{served}/mirror.git", "http://{served}/mirror.git", "http://{served}/mirror.git"),
    ],
)
def test_a_push_url_ahead_that_the_pull_does_not_fetch_from_is_named_at_once(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch, spelled: str, named: str, pulled: str
) -> None:
    """A mirror among origin's push URLs that got a commit from elsewhere refuses every push (`[rejected] (fetch
    first)`), and the pull, which fetches from the remote only, can never bring that commit: each sync pulled and
    pushed three times, then said the events go with the next sync, for ever. It is named at once, with what to
    do, and `quiz sync` exits 1; with no credential in it: a token given as the user name was shown, in the command
    given too, and so was part of a password holding an `@` (git's own report cuts the URL at its first `@`)."""
    monkeypatch.setenv("LC_ALL", "C")
    desk = _clone_device(tmp_path, "desk", remote)
    desk.sync()
    mirror = tmp_path / "mirror.git"
    _git(tmp_path, "clone", "-q", "--bare", str(remote), str(mirror))
    _ssh_running_locally(tmp_path, monkeypatch)
    server = http.server.HTTPServer(("127.0.0.1", 0), type("H", (_RefusingTheUpload,), {"root": tmp_path}))
    threading.Thread(target=server.serve_forever, daemon=True).start()  # git never uploads a push it rejects
    served = f"127.0.0.1:{server.server_port}"
    named, pulled = (url.format(mirror=mirror, served=served) for url in (named, pulled))
    for url in (str(remote), spelled.format(mirror=mirror, served=served)):
        _git(desk.folder, "remote", "set-url", "--add", "--push", "origin", url)
    elsewhere = tmp_path / "elsewhere"
    _git(tmp_path, "clone", "-q", str(mirror), str(elsewhere))
    _git(elsewhere, "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-q", "--allow-empty", "-m", "ahead")
    _git(elsewhere, "push", "-q", "origin", "HEAD")
    runs = tmp_path / "runs"
    _hook(desk.folder / ".git", "pre-push", f"echo run >> {shlex.quote(str(runs))}\n")
    desk.study(deck, random.Random(6), 3)
    try:
        [warning] = desk.sync().remote
    finally:
        server.shutdown()
        server.server_close()
    assert warning.startswith(f"git: could not push to {named}, one of the remote's push URLs: it holds commits")
    assert f"pull --no-rebase {pulled} master`" in warning and syncgit.refused_for_good(warning)
    assert "secret" not in warning
    assert runs.read_text(encoding="utf-8").count("run") == 2  # one push, to each of the two URLs
    assert _git(remote, "rev-parse", "HEAD") == _git(desk.folder, "rev-parse", "HEAD")  # the remote took it


def test_a_push_url_ahead_still_refusing_after_a_pull_is_named_when_no_url_is_spelled_as_fetched(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Push URLs a mirror that got a commit from elsewhere, then the remote over ssh (neither spelled as the fetch
    URL, so which one the pull fetches from is not known): the mirror's refusal was left to the next sync, for ever,
    the first URL, the mirror itself, being guessed to be the fetched one. A URL still refusing once the sync pulled
    and pushed again, while another took the push, is named, and `quiz sync` exits 1."""
    monkeypatch.setenv("LC_ALL", "C")
    desk = _clone_device(tmp_path, "desk", remote)
    desk.sync()
    mirror = tmp_path / "mirror.git"
    _git(tmp_path, "clone", "-q", "--bare", str(remote), str(mirror))
    _ssh_running_locally(tmp_path, monkeypatch)
    for url in (str(mirror), f"me@example.org:{remote}"):
        _git(desk.folder, "remote", "set-url", "--add", "--push", "origin", url)
    elsewhere = tmp_path / "elsewhere"
    _git(tmp_path, "clone", "-q", str(mirror), str(elsewhere))
    _git(elsewhere, "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-q", "--allow-empty", "-m", "ahead")
    _git(elsewhere, "push", "-q", "origin", "HEAD")
    desk.study(deck, random.Random(6), 3)
    [warning] = desk.sync().remote
    assert warning.startswith(f"git: could not push to {mirror}, one of the remote's push URLs: it holds commits")
    assert f"sync merges those of {remote} only" in warning and syncgit.refused_for_good(warning)
    assert _git(remote, "rev-parse", "HEAD") == _git(desk.folder, "rev-parse", "HEAD")  # the remote took it


_STRAYS = (".words.yaml.swp", ".DS_Store", ".syncthing.events-000001.jsonl.tmp", "my notes.txt")


def test_only_quiz_s_own_files_in_the_device_s_folder_are_committed_and_a_stray_one_is_left_alone(
    tmp_path: Path, remote: Path, deck: Deck
) -> None:
    """The device's folder was staged whole, forced past .gitignore: an editor's swap file, a .DS_Store, a
    Syncthing temporary file or a note of hers beside quiz's files was committed and pushed to every machine.
    Only quiz's own files are; a stray file is left as it is, and is no warning."""
    laptop, desk = _git_clones(tmp_path, remote)
    own = laptop.folder / syncfiles.FOLDER / laptop.store.device
    own.mkdir(parents=True)
    for name in _STRAYS:
        (own / name).write_text("hers", encoding="utf-8")
    assert laptop.sync().problems() == 0  # no event yet: its device.json alone
    laptop.study(deck, random.Random(10), 20)
    assert laptop.sync().problems() == 0
    assert desk.sync().received == len(laptop.store.read_events())
    pushed = set(_git(remote, "log", "--format=", "--name-only", "--all").split("\n")) - {""}
    mine = f"{syncfiles.FOLDER}/{laptop.store.device}"
    assert {f"{mine}/{syncfiles.DEVICE_FILE}", f"{mine}/{syncfiles.part_name(1)}"} <= pushed
    assert not any(name.endswith(_STRAYS) for name in pushed)
    assert all((own / name).read_text(encoding="utf-8") == "hers" for name in _STRAYS)
    assert sorted(_git(laptop.folder, "status", "--porcelain").splitlines()) == sorted(
        f'?? "{mine}/{name}"' if " " in name else f"?? {mine}/{name}" for name in _STRAYS
    )


def test_quiz_sync_git_clones_the_remote_once(tmp_path: Path, remote: Path, capsys) -> None:
    data, clone = tmp_path / "data", tmp_path / "clone"
    code, _, err = run_cli(capsys, "--data-dir", str(data), "sync", "--git", str(remote))
    assert code == 1 and "--git needs --folder PATH" in err
    code, out, err = run_cli(capsys, "--data-dir", str(data), "sync", "--git", str(remote), "--folder", str(clone))
    assert code == 0, err
    assert (clone / ".git").exists() and out.startswith(f"synced with {clone.resolve()}")
    assert "quiz: events of device" in _git(remote, "log", "--format=%s", "--all")
    code, out, _ = run_cli(capsys, "--data-dir", str(data), "sync")  # the folder is kept, git found again
    assert code == 0 and "warning" not in out
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "file").write_text("x", encoding="utf-8")
    code, _, err = run_cli(capsys, "--data-dir", str(data), "sync", "--git", str(remote), "--folder", str(busy))
    assert code == 1 and "is not a git clone" in err


def _deck_changed_on_the_laptop_after_the_desk_pulled_it(tmp_path: Path, remote: Path) -> tuple[Device, Device]:
    """The laptop and the desk (_git_clones): the laptop's deck committed, synced to the desk, then changed and
    pushed by the laptop again, the desk not synced since."""
    laptop, desk = _git_clones(tmp_path, remote)
    _commit_deck(laptop.folder, "deck: words\n")
    laptop.sync()
    desk.sync()
    _commit_deck(laptop.folder, "deck: words\ntitle: From the laptop\n")
    laptop.sync()
    return laptop, desk


def _hook(git_dir: Path, name: str, script: str) -> Path:
    """The git hook `name` of `git_dir` (a clone's .git, or a bare repository), running the shell `script`."""
    hook = git_dir / "hooks" / name
    hook.write_text(f"#!/bin/sh\n{script}", encoding="utf-8")
    hook.chmod(0o755)
    return hook


def _commit_deck(clone: Path, text: str) -> None:
    """The user's own commit of a deck kept in the repository, as docs/sync.md says to."""
    (clone / "decks").mkdir(exist_ok=True)
    (clone / "decks" / "words.yaml").write_text(text, encoding="utf-8")
    _git(clone, "add", "decks")
    _git(clone, "-c", "user.name=me", "-c", "user.email=me@example.org", "commit", "-q", "-m", "my deck")


def test_a_merge_of_the_users_under_way_is_left_as_she_has_it_and_nothing_is_committed_until_she_ends_it(
    tmp_path: Path, remote: Path, deck: Deck
) -> None:
    """She ran the `pull --no-rebase` a warning advised and is resolving its conflict; a sync meanwhile (the app's
    at start) merged again, git refused ('not concluded your merge') and sync took the merge back: her resolved
    deck, the file she had staged and the merge itself were gone. Now it leaves the repository alone."""
    laptop, desk = _deck_changed_on_the_laptop_after_the_desk_pulled_it(tmp_path, remote)
    _commit_deck(desk.folder, "deck: words\ntitle: From the desk\n")
    _git(desk.folder, "fetch", "-q")
    merged = subprocess.run(["git", "-C", str(desk.folder), "merge", "-q", "origin/master"], capture_output=True)
    assert merged.returncode != 0 and (desk.folder / ".git" / "MERGE_HEAD").exists()
    resolved = "deck: words\ntitle: From both\n"
    (desk.folder / "decks" / "words.yaml").write_text(resolved, encoding="utf-8")
    (desk.folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    _git(desk.folder, "add", "notes.txt")
    head, index = _git(desk.folder, "rev-parse", "HEAD"), _git(desk.folder, "ls-files", "--stage")
    desk.study(deck, random.Random(6), 20)
    report = desk.sync()
    assert report.sent > 0 and report.apart and len(report.remote) == 1
    assert "a merge of yours is under way" in report.remote[0] and " status` says where" in report.remote[0]
    assert report.summary().startswith(f"synced with {desk.folder}, not with the remote: {report.sent} event(s) kept")
    assert (desk.folder / ".git" / "MERGE_HEAD").exists() and _git(desk.folder, "rev-parse", "HEAD") == head
    assert (desk.folder / "decks" / "words.yaml").read_text(encoding="utf-8") == resolved
    assert _git(desk.folder, "ls-files", "--stage") == index  # her index as she left it, conflict and all
    _git(desk.folder, "add", "decks")
    _git(desk.folder, "-c", "user.name=me", "-c", "user.email=me@example.org", "commit", "-q", "--no-edit")
    assert desk.sync().problems() == 0 and laptop.sync().problems() == 0
    _converged([laptop, desk])


def test_a_clone_with_no_branch_checked_out_is_left_as_it_is_until_one_is(
    tmp_path: Path, remote: Path, deck: Deck
) -> None:
    """A detached HEAD (an old commit checked out, a rebase or bisect under way) was moved to the remote's branch by
    the merge, given quiz's commit on no branch, and pushed to a branch named `main`, whatever the remote's was."""
    laptop, desk = _git_clones(tmp_path, remote)
    laptop.sync()
    desk.sync()
    laptop.study(deck, random.Random(3), 5)
    laptop.sync()
    _git(desk.folder, "checkout", "-q", "--detach", "HEAD")
    head, branches = _git(desk.folder, "rev-parse", "HEAD"), _git(remote, "branch")
    desk.study(deck, random.Random(4), 5)
    report = desk.sync()
    assert report.sent > 0 and len(report.remote) == 1 and "no branch is checked out" in report.remote[0]
    assert _git(desk.folder, "rev-parse", "HEAD") == head and _git(remote, "branch") == branches
    _git(desk.folder, "checkout", "-q", "master")
    assert desk.sync().problems() == 0 and laptop.sync().problems() == 0
    _converged([laptop, desk])


@pytest.mark.parametrize("committed", [True, False], ids=["both-committed", "changed-here-not-committed"])
def test_a_deck_changed_on_two_machines_is_one_warning_and_left_as_the_user_has_it(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch, committed: bool
) -> None:
    """git cannot merge the remote's commits when a deck kept in the repository changed on both machines:
    the sync goes on with what the folder holds (it was an error that sent nothing, and a conflict left the
    deck with git's markers in it, unloadable); the deck is as the user had it, and the warning names it."""
    monkeypatch.setenv("LC_ALL", "C")
    laptop, desk = _deck_changed_on_the_laptop_after_the_desk_pulled_it(tmp_path, remote)
    mine = "deck: words\ntitle: From the desk\n"
    if committed:
        _commit_deck(desk.folder, mine)
    else:
        (desk.folder / "decks" / "words.yaml").write_text(mine, encoding="utf-8")
    desk.study(deck, random.Random(6), 20)
    report = desk.sync()
    assert report.sent > 0 and len(report.remote) == 1
    assert report.remote[0].startswith("git: could not merge the remote's changes to decks/words.yaml")
    advice = "merge them yourself (git -C" if committed else "commit your changes (git -C"
    assert advice in report.remote[0] and "committed here and go with the next sync" in report.remote[0]
    assert (desk.folder / "decks" / "words.yaml").read_text(encoding="utf-8") == mine  # no conflict markers
    assert not (desk.folder / ".git" / "MERGE_HEAD").exists()
    if committed:  # the advice works as given, whatever pull.rebase says (unset: git refuses divergent branches)
        told = re.search(r"\((git -C .+? pull[^)]*)\)", report.remote[0])
        assert told is not None
        advised = subprocess.run(
            shlex.split(told[1]),
            capture_output=True,
            text=True,
            env={
                **os.environ,
                **{f"GIT_{who}_{what}": "me" for who in ("AUTHOR", "COMMITTER") for what in ("NAME", "EMAIL")},
                "GIT_CONFIG_GLOBAL": os.devnull,  # no pull.rebase (nor anything else) set
                "GIT_CONFIG_NOSYSTEM": "1",
            },
        )
        assert "CONFLICT" in advised.stdout + advised.stderr, advised.stderr  # git merged, up to the user's deck
        _git(desk.folder, "merge", "--abort")
    assert _git(desk.folder, "status", "--porcelain", "--", syncfiles.FOLDER) == ""  # its events committed here
    if not committed:
        _commit_deck(desk.folder, mine)
    _git(
        desk.folder, "-c", "user.name=me", "-c", "user.email=me@example.org", "pull", "-q", "--no-rebase", "-X", "ours"
    )
    assert desk.sync().problems() == 0 and laptop.sync().problems() == 0  # merged by the user: all goes out
    _converged([laptop, desk])


def test_a_deck_made_here_that_the_remote_has_too_is_to_be_moved_aside(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The laptop committed a deck the desk holds a copy of, never committed: git will not merge over it, and
    committing (the advice for a changed file) would not help; the warning says to move it aside."""
    monkeypatch.setenv("LC_ALL", "C")
    laptop, desk = _git_clones(tmp_path, remote)
    _commit_deck(laptop.folder, "deck: words\n")
    laptop.sync()
    (desk.folder / "decks").mkdir()
    (desk.folder / "decks" / "words.yaml").write_text("deck: words\ntitle: Mine\n", encoding="utf-8")
    desk.study(deck, random.Random(2), 10)
    [warning] = desk.sync().remote
    assert warning.startswith("git: could not merge the remote's changes to decks/words.yaml")
    assert "move them aside" in warning and "commit -a" not in warning
    (desk.folder / "decks" / "words.yaml").rename(tmp_path / "words-mine.yaml")
    assert desk.sync().problems() == 0 and laptop.sync().problems() == 0
    _converged([laptop, desk])


def _dotfiles_clones(tmp_path: Path, remote: Path, file_name: str, text: str) -> tuple[list[Path], Device, Device]:
    """A dotfiles repository at `remote` whose first commit holds `file_name` (`text`), cloned on the laptop and on
    the desk (the clones), each syncing through the folder quiz/ in its clone."""
    first = tmp_path / "dotfiles-first"
    syncgit.clone(str(remote), first)
    (first / file_name).write_text(text, encoding="utf-8")
    _git(first, "add", "-f", file_name)  # -f: a .gitignore may ignore itself
    _git(first, "-c", "user.name=me", "-c", "user.email=me@example.org", "commit", "-q", "-m", "dotfiles")
    _git(first, "push", "-q", "origin", "HEAD")
    clones = [tmp_path / "dotfiles-laptop", tmp_path / "dotfiles-desk"]
    for clone in clones:
        syncgit.clone(str(remote), clone)
        (clone / "quiz").mkdir()
    laptop, desk = (
        Device(tmp_path, name, clone / "quiz") for name, clone in zip(("laptop", "desk"), clones, strict=True)
    )
    return clones, laptop, desk


def test_a_folder_inside_a_dotfiles_repository_syncs_through_git(tmp_path: Path, remote: Path, deck: Deck) -> None:
    """The synced folder may be a folder of a clone (`~/dotfiles/quiz`), not its top: git is used all the
    same (it was taken for a plain folder: nothing committed, nothing pushed), and only quiz's files are
    committed; the user's own change beside them is left to the user."""
    clones, laptop, desk = _dotfiles_clones(tmp_path, remote, ".bashrc", "set -o vi\n")
    (clones[0] / ".bashrc").write_text("set -o emacs\n", encoding="utf-8")  # the user's, not committed
    laptop.study(deck, random.Random(7), 20)
    assert laptop.sync().problems() == 0
    assert desk.sync().received == len(laptop.store.read_events())
    laptop.sync()
    _converged([laptop, desk])
    pushed = _git(remote, "log", "--format=", "--name-only", "--all").split()
    assert any(name.startswith(f"quiz/{syncfiles.FOLDER}/") for name in pushed)
    assert _git(clones[0], "status", "--porcelain") == " M .bashrc\n"  # left to the user


@pytest.mark.parametrize(
    "ignored",
    ["*.log\n*.jsonl\n", "*.json\n*.jsonl\n", "quiz-progress/\n"],
    ids=["its-parts", "its-files", "its-folder"],
)
def test_quiz_s_files_a_dotfiles_repository_ignores_inside_the_synced_folder_are_committed_all_the_same(
    tmp_path: Path, remote: Path, deck: Deck, ignored: str
) -> None:
    """A dotfiles `.gitignore` written for other files (`*.jsonl`, `*.json`, a folder's name) that matches
    quiz's files under a synced folder it keeps: sync said it sent the events, git skipped the ignored parts
    (or refused their folder: a warning each sync), and the other machine never received a review. quiz's own
    folder is committed whatever the patterns say of the files in it."""
    clones, laptop, desk = _dotfiles_clones(tmp_path, remote, ".gitignore", ignored)
    assert all(syncgit.is_work_tree(clone / "quiz") for clone in clones)
    laptop.study(deck, random.Random(8), 20)
    assert laptop.sync().problems() == 0
    desk.study(deck, random.Random(9), 20)
    assert desk.sync().received == len(laptop.store.read_events())
    laptop.sync()
    _converged([laptop, desk])
    for clone in clones:
        assert _git(clone, "status", "--porcelain", "--ignored", "quiz") == ""  # nothing of quiz's left behind


def test_a_synced_folder_a_home_repository_ignores_stays_a_plain_folder(tmp_path: Path, deck: Deck) -> None:
    """A home folder kept in git with `*` ignored, and a file-sync tool's folder inside it: sync writes and reads
    the folder as any plain folder, commits nothing to that repository and never pushes it."""
    home = tmp_path / "home"
    home.mkdir()
    _git(home, "init", "-q")
    (home / ".gitignore").write_text("*\n!.gitignore\n", encoding="utf-8")
    synced = home / "Sync" / "quiz"  # not made yet: the first sync makes it
    assert not syncgit.is_work_tree(synced)
    laptop, desk = Device(tmp_path, "laptop", synced), Device(tmp_path, "desk", synced)
    laptop.study(deck, random.Random(3), 10)
    assert laptop.sync().problems() == 0
    assert desk.sync().received == len(laptop.store.read_events())
    assert _git(home, "log", "--oneline", "--all") == "" and _git(home, "status", "--porcelain") == "?? .gitignore\n"
    dotfiles = home / "dotfiles-quiz"
    (home / ".gitignore").write_text("*\n!.gitignore\n!dotfiles-quiz/\n!dotfiles-quiz/**\n", encoding="utf-8")
    assert syncgit.is_work_tree(dotfiles)  # one the repository keeps goes through git


def test_quiz_sync_folder_in_a_repository_that_ignores_it_says_nothing_goes_through_git(
    tmp_path: Path, remote: Path, capsys
) -> None:
    """A dotfiles repository that keeps only the files it lists (`*`, then `!.bashrc`), and `~/dotfiles/quiz` set
    as the synced folder: sync said "synced with ..." and committed nothing, so the other machine never received
    a review, unsaid. Setting the folder now says that it is a plain folder there and how to have git keep it;
    once it does, sync goes through git and says nothing more."""
    dotfiles = tmp_path / "dotfiles"
    syncgit.clone(str(remote), dotfiles)
    (dotfiles / ".gitignore").write_text("*\n!.gitignore\n!.bashrc\n", encoding="utf-8")
    (dotfiles / "quiz").mkdir()
    data = tmp_path / "data"
    code, out, err = run_cli(capsys, "--data-dir", str(data), "sync", "--folder", str(dotfiles / "quiz"))
    assert code == 0, err
    said = [line for line in out.splitlines() if line.startswith("note:")]
    assert len(said) == 1 and f"inside the git repository {dotfiles.resolve()}, which ignores it" in said[0]
    assert "`!quiz/` and `!quiz/**`" in said[0]
    assert _git(dotfiles, "log", "--oneline", "--all") == ""  # a plain folder, as docs/sync.md says
    with (dotfiles / ".gitignore").open("a", encoding="utf-8") as ignore:
        ignore.write("!quiz/\n!quiz/**\n")  # as the note says
    code, out, err = run_cli(capsys, "--data-dir", str(data), "sync", "--folder", str(dotfiles / "quiz"))
    assert code == 0 and "note:" not in out and "warning" not in out, out + err
    assert "quiz: events of device" in _git(remote, "log", "--format=%s", "--all")


@pytest.mark.parametrize("failing", ["no git installed", "a damaged clone"])
def test_quiz_sync_folder_in_a_clone_git_cannot_ask_says_nothing_of_an_ignore(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """A folder inside a clone with no .gitignore at all, where git cannot answer (not on the PATH, or a `.git`
    naming a repository that is gone): `quiz sync --folder` said the repository ignores the folder and told her to
    add `!quiz/` lines to a .gitignore, which change nothing. It says nothing of the kind now."""
    dotfiles = tmp_path / "dotfiles"
    if failing == "no git installed":
        _git(tmp_path, "init", "-q", str(dotfiles))
        monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    else:
        dotfiles.mkdir()
        (dotfiles / ".git").write_text(f"gitdir: {tmp_path / 'gone'}\n", encoding="utf-8")
    (dotfiles / "quiz").mkdir()
    code, out, err = run_cli(capsys, "--data-dir", str(tmp_path / "data"), "sync", "--folder", str(dotfiles / "quiz"))
    assert code == 0, err
    assert "ignores it" not in out + err and ".gitignore" not in out + err, out + err


def test_quiz_sync_git_cloning_a_dotfiles_repository_syncs_where_the_other_machine_does(
    tmp_path: Path, remote: Path, capsys
) -> None:
    """The laptop syncs in the folder `quiz/` of its dotfiles clone; on the desk, with no clone yet, the same
    `--folder ~/dotfiles/quiz` with `--git` cloned the whole repository there, and the desk's files went to the
    clone's top: neither machine ever read the other's (`received 0 from 0 other device(s)`). The clone's folder
    where the repository keeps quiz's files is synced, and she is told which."""
    first = tmp_path / "dotfiles"
    syncgit.clone(str(remote), first)
    (first / "quiz").mkdir()
    laptop = ("--data-dir", str(tmp_path / "laptop"))
    assert run_cli(capsys, *laptop, "sync", "--folder", str(first / "quiz"))[0] == 0
    assert run_cli(capsys, *laptop, "preset", "add", "fast")[0] == 0  # an event to send
    assert run_cli(capsys, *laptop, "sync")[0] == 0
    desk = ("--data-dir", str(tmp_path / "desk"))
    given = tmp_path / "desk-dotfiles" / "quiz"
    code, out, err = run_cli(capsys, *desk, "sync", "--git", str(remote), "--folder", str(given))
    assert code == 0, err
    assert f"note: {remote} keeps quiz's files in its folder quiz/: syncing through {given / 'quiz'}" in out
    assert "received 1 from 1 other device(s)" in out
    assert not (given / syncfiles.FOLDER).exists()
    code, out, _ = run_cli(capsys, *desk, "sync")  # the folder kept
    assert code == 0 and out.startswith(f"synced with {given / 'quiz'}")


def test_the_cron_line_giving_the_clone_whose_folder_is_kept_is_a_plain_sync_while_the_app_is_open_or_it_is_away(
    tmp_path: Path, remote: Path, capsys
) -> None:
    """`--folder ~/dotfiles` at set-up syncs through the clone's `quiz/`, where its repository keeps quiz's files, and
    that folder is kept; the same cron line, at every run, exited 1 while the app was open ("close it before
    syncing"), or with the clone's drive away ("not there ... mount it"), where `--folder ~/dotfiles/quiz` waits for
    the app's quit, or the drive, with exit 0. Both name the folder kept."""
    from quiz.core.lock import AppLock

    first = tmp_path / "dotfiles"
    syncgit.clone(str(remote), first)
    (first / "quiz").mkdir()
    assert run_cli(capsys, "--data-dir", str(tmp_path / "laptop"), "sync", "--folder", str(first / "quiz"))[0] == 0
    desk = ("--data-dir", str(tmp_path / "desk"))
    given = tmp_path / "desk-dotfiles"
    syncgit.clone(str(remote), given)
    code, out, err = run_cli(capsys, *desk, "sync", "--folder", str(given))
    assert code == 0 and f"syncing through {given / 'quiz'}" in out, out + err
    with AppLock(tmp_path / "desk"):
        code, out, err = run_cli(capsys, *desk, "sync", "--folder", str(given))
    assert code == 0 and out == "" and "it syncs as it quits" in err, err
    code, out, err = run_cli(capsys, *desk, "sync", "--folder", str(given))
    assert code == 0 and out.startswith(f"synced with {given / 'quiz'}"), out + err
    given.rename(tmp_path / "away")  # the drive holding the clone away
    code, out, err = run_cli(capsys, *desk, "sync", "--folder", str(given))
    assert code == 0 and f"not synced: the synced folder {given / 'quiz'} is not there (not mounted?" in err, err
    assert not given.exists()


def test_quiz_sync_git_clones_into_a_new_folder_inside_another_clone(tmp_path: Path, remote: Path, capsys) -> None:
    """`--git REMOTE --folder PATH` clones REMOTE into PATH even inside another clone (a dotfiles repository):
    the folder is in a work tree, but not REMOTE's."""
    dotfiles_remote = bare_repository(tmp_path / "dotfiles.git")
    dotfiles = tmp_path / "dotfiles"
    syncgit.clone(str(dotfiles_remote), dotfiles)
    inside = dotfiles / "progress"
    code, _, err = run_cli(
        capsys, "--data-dir", str(tmp_path / "data"), "sync", "--git", str(remote), "--folder", str(inside)
    )
    assert code == 0, err
    assert (inside / ".git").exists() and "quiz: events of device" in _git(remote, "log", "--format=%s", "--all")


@pytest.mark.parametrize("folder", ["quiz", "desk-quiz"])
def test_quiz_sync_git_given_a_folder_inside_a_clone_of_that_remote_syncs_through_that_clone(
    tmp_path: Path, remote: Path, deck: Deck, capsys, folder: str
) -> None:
    """`--git DOTFILES --folder ~/dotfiles/quiz` (the two ways the docs give, put together) refused the folder
    holding the laptop's files, and a new one got a second clone of the whole repository inside the first, whose
    files the first never committed. That clone is used, as `--folder` alone uses it."""
    laptop_clone, desk_clone = tmp_path / "dotfiles-laptop", tmp_path / "dotfiles-desk"
    syncgit.clone(str(remote), laptop_clone)
    (laptop_clone / "quiz").mkdir()
    laptop = Device(tmp_path, "laptop", laptop_clone / "quiz")
    laptop.study(deck, random.Random(8), 10)
    assert laptop.sync().problems() == 0
    syncgit.clone(str(remote), desk_clone)
    code, out, err = run_cli(
        capsys, "--data-dir", str(tmp_path / "desk"), "sync", "--git", str(remote), "--folder", str(desk_clone / folder)
    )
    assert code == 0, err
    if folder == "quiz":
        assert f"received {len(laptop.store.read_events())} from 1 other device(s)" in out
    assert not (desk_clone / folder / ".git").exists()
    assert _git(desk_clone, "status", "--porcelain") == ""  # its events committed in that clone, and pushed
    assert f"{folder}/{syncfiles.FOLDER}/" in _git(remote, "log", "-1", "--name-only", "--format=")


def test_quiz_sync_git_given_a_folder_with_files_inside_a_clone_of_another_remote_names_that_clone(
    tmp_path: Path, remote: Path, capsys
) -> None:
    """Her dotfiles cloned from one spelling of the remote, `--git` given another, with `--folder ~/dotfiles/my quiz`
    holding the other machine's files: "holds files and is not a git clone: give an empty or new folder" sent her
    to make a second clone inside the first. The message names that clone and the command that syncs through it."""
    dotfiles = tmp_path / "dotfiles"
    syncgit.clone(str(remote), dotfiles)
    inside = dotfiles / "my quiz"
    (inside / syncfiles.FOLDER).mkdir(parents=True)
    (inside / syncfiles.FOLDER / "notes").write_text("the laptop's\n", encoding="utf-8")
    other = bare_repository(tmp_path / "other.git")
    data = ("--data-dir", str(tmp_path / "desk"))
    code, _, err = run_cli(capsys, *data, "sync", "--git", str(other), "--folder", str(inside))
    assert code == 1 and f"is inside {dotfiles}, a clone of {remote}, not of {other}" in err
    told = re.search(r"`(quiz [^`]+)`", err)
    assert told is not None and not (inside / ".git").exists()
    code, out, err = run_cli(capsys, *shlex.split(told[1])[1:])
    assert code == 0 and out.startswith(f"synced with {inside}"), err
    assert f"my quiz/{syncfiles.FOLDER}/" in _git(remote, "log", "-1", "--name-only", "--format=")


def test_a_clone_refused_or_failed_names_its_remote_with_no_credential(tmp_path: Path, remote: Path) -> None:
    """A clone's origin holding a token (`https://TOKEN@host/x`, GitHub's form for one), or a remote given with a
    password, was shown whole in the message refusing the clone or saying it could not be made."""
    clone = tmp_path / "clone"
    syncgit.clone(str(remote), clone)
    _git(clone, "remote", "set-url", "origin", "https://secret_token@example.org/a.git")
    with pytest.raises(syncfiles.SyncError) as refused:
        syncgit.check_origin(clone, "https://me:secret@example.org/b.git")
    assert "is a clone of https://example.org/a.git, not of https://example.org/b.git" in str(refused.value)
    with pytest.raises(syncfiles.SyncError) as failed:
        syncgit.clone("http://secret_token@127.0.0.1:1/x.git", tmp_path / "new")  # nothing listens there
    assert str(failed.value).startswith("git clone http://127.0.0.1:1/x.git failed: ")
    assert "secret" not in str(failed.value)


def test_quiz_sync_git_refuses_a_clone_of_another_remote(tmp_path: Path, remote: Path, capsys) -> None:
    """`--git REMOTE --folder PATH` with PATH a clone of another remote (or of none) would push there (or
    nowhere): refused, naming both and the command that points the clone at REMOTE."""
    other = bare_repository(tmp_path / "other.git")
    clone = tmp_path / "clone"
    syncgit.clone(str(remote), clone)
    data = str(tmp_path / "data")
    code, out, err = run_cli(capsys, "--data-dir", data, "sync", "--git", str(other), "--folder", str(clone))
    assert code == 1 and out == ""
    assert f"{clone} is a clone of {remote}, not of {other}" in err
    assert f"`git -C {clone} remote set-url origin {other}`" in err
    assert _git(other, "log", "--all", "--oneline") == "" and _git(remote, "log", "--all", "--oneline") == ""
    _git(clone, "remote", "set-url", "origin", str(other))  # as the message says
    code, _, err = run_cli(capsys, "--data-dir", data, "sync", "--git", str(other), "--folder", str(clone))
    assert code == 0, err
    assert "quiz: events of device" in _git(other, "log", "--format=%s", "--all")
    alone = tmp_path / "alone"
    alone.mkdir()
    _git(alone, "init", "-q")
    code, _, err = run_cli(capsys, "--data-dir", data, "sync", "--git", str(remote), "--folder", str(alone))
    assert code == 1 and f"`git -C {alone} remote add origin {remote}`" in err
    spaced = tmp_path / "Mobile Documents"  # iCloud's folder: the command she copies must take it whole
    spaced.mkdir()
    _git(spaced, "init", "-q")
    code, _, err = run_cli(capsys, "--data-dir", data, "sync", "--git", str(remote), "--folder", str(spaced))
    command = re.search(r"`(git -C .+? remote add origin .+?)`", err)
    assert code == 1 and command is not None, err
    subprocess.run(shlex.split(command.group(1)), check=True, capture_output=True)  # as the message says
    assert run_cli(capsys, "--data-dir", data, "sync", "--git", str(remote), "--folder", str(spaced))[0] == 0


def test_every_sync_in_a_git_folder_with_no_remote_warns_that_nothing_leaves(
    tmp_path: Path, deck: Deck, capsys
) -> None:
    alone = tmp_path / "alone"
    alone.mkdir()
    _git(alone, "init", "-q")
    data = str(tmp_path / "data")
    for args in (["--folder", str(alone)], []):
        code, out, err = run_cli(capsys, "--data-dir", data, "sync", *args)
        assert code == 0, err
        assert "1 warning(s)" in out and f"warning: git: {alone} has no remote: nothing leaves this machine" in out
    assert "quiz: events of device" in _git(alone, "log", "--format=%s")  # committed here all the same


def test_quiz_sync_git_takes_a_relative_origin_as_git_reads_it_from_the_clone(
    tmp_path: Path, remote: Path, capsys, monkeypatch
) -> None:
    """An origin `../remote.git` is the remote beside the clone (git reads it from there), whatever the working
    folder; the hint for another remote names it by its absolute path, so that git finds it from the clone."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "init", "-q", str(clone)], check=True)
    _git(clone, "remote", "add", "origin", f"../{remote.name}")
    monkeypatch.chdir(tmp_path.parent)
    data = str(tmp_path / "data")
    given = f"{tmp_path.name}/{remote.name}"
    code, _, err = run_cli(capsys, "--data-dir", data, "sync", "--git", given, "--folder", f"{tmp_path.name}/clone")
    assert code == 0, err
    assert "quiz: events of device" in _git(remote, "log", "--format=%s", "--all")
    other = bare_repository(tmp_path / "other.git")
    given = f"{tmp_path.name}/other.git"
    code, _, err = run_cli(capsys, "--data-dir", data, "sync", "--git", given, "--folder", f"{tmp_path.name}/clone")
    assert code == 1
    assert f"`git -C {tmp_path.name}/clone remote set-url origin {other}`" in err


@pytest.mark.parametrize(
    ("origin", "given"),
    [
        ("file://REMOTE", "REMOTE"),
        ("REMOTE", "file://REMOTE"),
        ("REMOTE/", "REMOTE.git"),
        ("https://github.com/me/quiz-sync.git", "https://github.com/me/quiz-sync.git/"),
        ("ssh://git@example.org/srv/quiz-sync.git", "git@example.org:/srv/quiz-sync.git"),
        ("git@example.org:/srv/quiz-sync", "ssh://git@example.org/srv/quiz-sync/"),
        ("git@example.org:quiz-sync", "ssh://git@example.org/~/quiz-sync"),
        ("git@example.org:~/quiz-sync", "ssh://git@example.org/~/quiz-sync"),
        ("ssh://git@example.org/srv/my%20sync", "git@example.org:/srv/my sync"),
        ("git@Example.ORG:/srv/quiz-sync", "ssh://git@example.org/srv/quiz-sync"),
    ],
)
def test_quiz_sync_git_takes_another_spelling_of_the_clone_s_remote_for_it(
    tmp_path: Path, remote: Path, origin: str, given: str
) -> None:
    """`file://`, a local path without the `.git` git adds, a trailing `/`, scp-like or `ssh://` (an scp-like path
    not from `/` nor `~` is from the home folder), an `ssh://` URL's %-escapes, a host name's case: git reaches
    the same repository either way."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "init", "-q", str(clone)], check=True)
    bare = str(remote.with_suffix(""))  # the remote without its `.git`, which git adds when looking for it
    _git(clone, "remote", "add", "origin", origin.replace("REMOTE", bare))
    syncgit.check_origin(clone, given.replace("REMOTE", bare))


@pytest.mark.parametrize(
    ("origin", "given"),
    [
        ("git@github.com:me/quiz-sync", "git@github.com:me/other"),
        ("git@github.com:me/x", "git@gitlab.com:me/x"),
        ("host:/srv/x", "host:srv/x"),  # /srv/x, and ~/srv/x on the host
        # a server may hold both x and x.git: which one git finds for `x` only the server knows
        ("ssh://me@host/srv/x.git", "ssh://me@host/srv/x"),
        ("me@host:/srv/x.git", "me@host:/srv/x"),
        ("https://host/git/x.git", "https://host/git/x"),
        ("me@host:/srv/my%20x", "me@host:/srv/my x"),  # an scp-like path is sent as it is written
    ],
)
def test_quiz_sync_git_still_refuses_another_remote(tmp_path: Path, origin: str, given: str) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "init", "-q", str(clone)], check=True)
    _git(clone, "remote", "add", "origin", origin)
    with pytest.raises(syncfiles.SyncError, match="is a clone of"):
        syncgit.check_origin(clone, given)


def test_quiz_sync_git_refuses_a_folder_beside_the_clone_s_remote_named_without_its_git(tmp_path: Path) -> None:
    """git opens `/a/x` itself when it is a folder, `/a/x.git` only when it is not: with both there, a clone of
    x.git was taken for a clone of x, and sync pushed to x.git while the user asked for x."""
    for name in ("x", "x.git"):
        bare_repository(tmp_path / name)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(tmp_path / "x.git"), str(clone)], check=True, capture_output=True)
    with pytest.raises(syncfiles.SyncError, match="is a clone of"):
        syncgit.check_origin(clone, str(tmp_path / "x"))
    syncgit.check_origin(clone, str(tmp_path / "x.git"))


@pytest.mark.parametrize("bare", [True, False])
def test_quiz_sync_git_takes_a_local_remote_for_the_repository_git_opens_for_it(tmp_path: Path, bare: bool) -> None:
    """git opens `x/.git` for a work tree `x`, and `x.git` for `x` when `x` is a folder holding no repository:
    either spelling is the clone's remote."""
    repository = tmp_path / ("x.git" if bare else "x/.git")
    subprocess.run(
        ["git", "init", "-q", *(["--bare", str(repository)] if bare else [str(repository.parent)])], check=True
    )
    (tmp_path / "x").mkdir(exist_ok=True)
    clone = tmp_path / "clone"
    syncgit.clone(str(repository), clone)
    syncgit.check_origin(clone, str(tmp_path / "x"))


def test_quiz_sync_git_takes_a_file_url_s_escapes_as_git_does(tmp_path: Path) -> None:
    repository = bare_repository(tmp_path / "my progress.git")
    clone = tmp_path / "clone"
    syncgit.clone(str(repository), clone)
    syncgit.check_origin(clone, f"file://{tmp_path}/my%20progress.git")


def test_quiz_sync_git_expands_git_s_url_aliases_as_git_does(tmp_path: Path, remote: Path, capsys, monkeypatch) -> None:
    """A remote named with a `url.<base>.insteadOf` alias (`srv:progress.git`) is the clone's origin git expands
    the alias into: the same `--git srv:...` again was refused, and the `set-url` it advised changed nothing.
    git expands it without reaching the server (no ssh is run)."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    ssh_ran = tmp_path / "ssh-ran"
    monkeypatch.setenv("GIT_SSH_COMMAND", f"touch {ssh_ran}; false")
    subprocess.run(["git", "config", "--global", f"url.{remote.parent}/.insteadOf", "srv:"], check=True)
    data, clone = str(tmp_path / "data"), str(tmp_path / "clone")
    for _ in range(2):  # the first clones, the second finds the clone
        code, _, err = run_cli(capsys, "--data-dir", data, "sync", "--git", f"srv:{remote.name}", "--folder", clone)
        assert code == 0, err
    syncgit.check_origin(Path(clone), str(remote))
    _git(Path(clone), "config", "url.ssh://git@example.org/me/.insteadOf", "gh:")  # the clone's own alias
    _git(Path(clone), "remote", "set-url", "origin", "gh:quiz-sync")
    syncgit.check_origin(Path(clone), "ssh://git@example.org/me/quiz-sync")
    with pytest.raises(syncfiles.SyncError, match="is a clone of ssh://git@example.org/me/quiz-sync, not of gh:x"):
        syncgit.check_origin(Path(clone), "gh:x")
    assert not ssh_ran.exists()


def test_quiz_sync_git_looks_for_a_local_remote_beside_a_symbolic_link_as_git_does(tmp_path: Path) -> None:
    """git looks for `a/link.git` beside a link `a/link` to a plain folder `b/x`, not for `b/x.git` beside the
    folder it leads to: a clone of b/x.git was taken for a clone of a/link, and sync pushed to b/x.git."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "x").mkdir(parents=True)
    for repository in ("a/link.git", "b/x.git"):
        bare_repository(tmp_path / repository)
    link = tmp_path / "a" / "link"
    link.symlink_to(tmp_path / "b" / "x")
    other, clone = tmp_path / "other", tmp_path / "clone"
    syncgit.clone(str(tmp_path / "b" / "x.git"), other)
    with pytest.raises(syncfiles.SyncError, match=f"set-url origin {link}`"):
        syncgit.check_origin(other, str(link))
    syncgit.clone(str(link), clone)
    syncgit.check_origin(clone, str(link))
    syncgit.check_origin(clone, str(tmp_path / "a" / "link.git"))


@pytest.mark.parametrize("remote", ["--upload-pack=x:other", "--server-option=a:other", "-u:other"])
def test_quiz_sync_git_refuses_a_remote_git_would_read_as_an_option(tmp_path: Path, remote: str) -> None:
    """`git ls-remote --get-url --upload-pack=x:other` prints the clone's own origin: any clone was taken for a
    clone of such a remote."""
    bare = bare_repository(tmp_path / "mine.git")
    clone = tmp_path / "clone"
    syncgit.clone(str(bare), clone)
    with pytest.raises(syncfiles.SyncError, match="cannot begin with '-'"):
        syncgit.check_origin(clone, remote)
    with pytest.raises(syncfiles.SyncError, match="cannot begin with '-'"):
        syncgit.clone(remote, tmp_path / "new")
    assert not (tmp_path / "new").exists()


def test_quiz_sync_git_refuses_a_clone_pushing_elsewhere_than_git_pushes_the_remote(
    tmp_path: Path, monkeypatch
) -> None:
    """With `srv:` fetched from a read mirror B and pushed to C (`url.<base>.pushInsteadOf`), a clone made from B
    itself pushes to B, where a clone of `srv:x.git` pushes to C: it was taken for one, and sync pushed to B."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    for base, key in (("B", "insteadOf"), ("C", "pushInsteadOf")):
        subprocess.run(["git", "config", "--global", f"url.{tmp_path}/{base}/.{key}", "srv:"], check=True)
        bare_repository(tmp_path / base / "x.git")
    mirror, clone = tmp_path / "mirror-clone", tmp_path / "clone"
    syncgit.clone(str(tmp_path / "B" / "x.git"), mirror)
    pushed = tmp_path / "C" / "x.git"
    with pytest.raises(syncfiles.SyncError, match=f"pushes to {tmp_path}/B/x.git, not to {pushed}"):
        syncgit.check_origin(mirror, "srv:x.git")
    _git(mirror, "remote", "set-url", "--push", "origin", str(pushed))  # the fix the message gives
    syncgit.check_origin(mirror, "srv:x.git")
    syncgit.clone("srv:x.git", clone)
    syncgit.check_origin(clone, "srv:x.git")
    for base, alias in (("D", "srv:sub/"), ("E", "s")):  # srv:, then srv:sub/, then s: the longest is in between
        subprocess.run(
            ["git", "config", "--global", "--add", f"url.{tmp_path}/{base}/.pushInsteadOf", alias], check=True
        )
    bare_repository(tmp_path / "B" / "sub" / "x.git")
    syncgit.clone("srv:sub/x.git", tmp_path / "sub-clone")
    syncgit.check_origin(tmp_path / "sub-clone", "srv:sub/x.git")  # pushes to D/x.git: git takes the longest alias


def test_quiz_sync_git_keeps_a_push_url_she_set_on_the_clone(tmp_path: Path, monkeypatch) -> None:
    """A clone fetching from one URL and pushing by another she set herself (`remote.origin.pushurl`, no push
    alias in git's config) is a clone of its fetch URL: it is not refused for where it pushes."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    bare, clone = tmp_path / "x.git", tmp_path / "clone"
    bare_repository(bare)
    syncgit.clone(str(bare), clone)
    _git(clone, "remote", "set-url", "--push", "origin", str(tmp_path / "push-side.git"))
    syncgit.check_origin(clone, str(bare))


def test_quiz_sync_git_names_a_remote_that_is_a_link_loop_as_another_remote(tmp_path: Path, monkeypatch) -> None:
    """A REMOTE (or an origin) that is a loop of symbolic links opens no repository: it is refused as another
    remote than the clone's, not a traceback (`Path.resolve` raises RuntimeError on a loop)."""
    monkeypatch.chdir(tmp_path)
    bare_repository(Path("r.git"))
    clone = tmp_path / "c"
    syncgit.clone("r.git", clone)
    (tmp_path / "l1").symlink_to("l2")
    (tmp_path / "l2").symlink_to("l1")
    with pytest.raises(syncfiles.SyncError, match="not of l1"):
        syncgit.check_origin(clone, "l1")
    _git(clone, "remote", "set-url", "origin", str(tmp_path / "l1"))
    with pytest.raises(syncfiles.SyncError, match="not of r.git"):
        syncgit.check_origin(clone, "r.git")


def _refuse_commits(clone: Path, how: str) -> str:
    """Make every commit in `clone` fail as a reviewer's dotfiles repository did; what the warning must say."""
    if how == "hook":
        hook = _hook(clone / ".git", "pre-commit", "echo 'no commit today: dotfiles policy' >&2\nexit 1\n")
        return f"git said: no commit today: dotfiles policy); its pre-commit hook ({hook}) refused it"
    _git(clone, "config", "commit.gpgsign", "true")
    _git(clone, "config", "user.signingkey", "0000000000000000")
    _git(clone, "config", "gpg.program", "false")  # no key to sign with, as on a machine without gpg's agent
    return f"`git -C {shlex.quote(str(clone))} config commit.gpgsign false`"


@pytest.mark.parametrize("how", ["hook", "gpgsign"])
def test_a_commit_git_refuses_still_reads_the_other_devices_and_keeps_this_one_s_events(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """A pre-commit hook that refuses, or commit.gpgsign with no key, stopped the whole sync (an error): the
    other devices' events already pulled were not read. Now it is one warning with git's words and the fix;
    this device's events stay written, uncommitted, and go with the first sync that can commit."""
    monkeypatch.setenv("LC_ALL", "C")
    laptop, desk = _git_clones(tmp_path, remote)
    desk.sync()
    told = _refuse_commits(desk.folder, how)
    laptop.study(deck, random.Random(7), 20)
    laptop.sync()
    desk.study(deck, random.Random(8), 20)
    report = desk.sync()
    assert report.received == len(laptop.store.read_events()) > 0  # the pull brought them, and they were read
    assert report.apart  # Home: "Synced at 09:12, not with the remote: ..."
    [warning] = report.remote
    assert warning.startswith("git: could not commit this device's events") and told in warning
    own = desk.folder / syncfiles.FOLDER / desk.store.device
    assert f"nothing is lost: they are written in {own}, not committed" in warning
    assert _git(desk.folder, "status", "--porcelain", "--", str(own)).startswith("??")  # written, index untouched
    if how == "hook":  # the command it gives shows the hook's refusal (and commits once the hook lets it)
        shown = re.search(r"run `(git -C .+? -- \S+)`", warning)
        assert shown is not None
        said = subprocess.run(shlex.split(shown[1]), capture_output=True, text=True)
        assert said.returncode != 0 and "no commit today" in said.stderr
    laptop.study(deck, random.Random(9), 10)
    laptop.sync()
    assert desk.sync().received > 0  # every later sync still reads the others' events
    if how == "hook":
        (desk.folder / ".git" / "hooks" / "pre-commit").unlink()
    else:
        _git(desk.folder, "config", "commit.gpgsign", "false")
    assert desk.sync().problems() == 0 and laptop.sync().problems() == 0  # the events kept go out now
    _converged([laptop, desk])


@pytest.mark.parametrize("how", ["hook", "gpgsign"])
def test_a_merge_commit_git_refuses_is_taken_back_and_one_warning(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """With a commit of her own not pushed yet, merging the remote's needs a merge commit: a pre-merge-commit hook
    or commit.gpgsign with no key refused it, the merge was left begun (MERGE_HEAD) and every sync after stopped
    with "cannot do a partial commit during a merge". Now the merge is taken back, one warning says why."""
    monkeypatch.setenv("LC_ALL", "C")
    laptop, desk = _git_clones(tmp_path, remote)
    desk.sync()
    _commit_deck(desk.folder, "deck: words\n")  # hers, not pushed yet
    if how == "hook":
        hook = _hook(desk.folder / ".git", "pre-merge-commit", "echo 'no merge today' >&2\nexit 1\n")
        told = f"its pre-merge-commit hook ({hook}) refused it"  # after git's words: the hook's, then its own
    else:
        told = _refuse_commits(desk.folder, how)
    laptop.study(deck, random.Random(10), 20)
    laptop.sync()
    desk.study(deck, random.Random(11), 20)
    for _ in range(2):  # and the next sync is not stopped by a merge left begun
        report = desk.sync()
        assert report.sent >= 0 and report.received == 0 and report.apart
        merge, *commit = report.remote
        assert merge.startswith("git: could not commit the merge of the remote's changes") and told in merge
        assert "(git said: no merge today" in merge or how != "hook"
        assert "the remote's changes are read by the first sync that can merge them" in merge
        assert len(commit) == (how == "gpgsign")  # the events' own commit is refused too, and said so
        assert not (desk.folder / ".git" / "MERGE_HEAD").exists()
        assert _git(desk.folder, "status", "--porcelain", "--", "decks") == ""
    if how == "hook":
        shown = re.search(r"run `(git -C .+? merge \S+)`", merge)
        assert shown is not None
        said = subprocess.run(shlex.split(shown[1]), capture_output=True, text=True)
        assert said.returncode != 0 and "no merge today" in said.stderr
        _git(desk.folder, "merge", "--abort")
        hook.unlink()
    else:
        _git(desk.folder, "config", "commit.gpgsign", "false")
    assert desk.sync().problems() == 0 and laptop.sync().problems() == 0
    _converged([laptop, desk])


@pytest.mark.parametrize(
    ("where", "said"),
    [
        ("pre-push", "Permission denied (no push today)"),
        ("pre-push", "lint: no push today"),
        ("remote", "Permission denied (no push today)"),
    ],
)
def test_a_push_refused_says_git_s_words_and_what_refused_it(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch, where: str, said: str
) -> None:
    """A push refused by a pre-push hook of the clone, or by the remote (a pre-receive hook, a protected
    branch), was "could not push to the remote" and no reason; now git's words, and the clone's hook by name.
    Neither lets a later sync past by itself (`quiz sync` exits 1), whatever the hook prints: a pre-push hook's
    refusal said the events "go with the next sync" unless its words looked like ssh's ("host: Permission denied
    (...)"), which then decided."""
    monkeypatch.setenv("LC_ALL", "C")
    laptop, desk = _git_clones(tmp_path, remote)
    laptop.sync()
    git_dir = desk.folder / ".git" if where == "pre-push" else remote
    hook = _hook(git_dir, where.replace("remote", "pre-receive"), f"echo 'backup@nas: {said}' >&2\nexit 1\n")
    desk.study(deck, random.Random(12), 20)
    report = desk.sync()
    assert report.received == len(laptop.store.read_events()) and report.apart  # read all the same
    [warning] = report.remote
    assert warning.startswith("git: could not push to the remote (git said: ") and "no push today" in warning
    assert syncgit.refused_for_good(warning)
    assert warning.endswith(
        "this device's events are committed here; no later sync gets past that by itself: see to it, then sync again"
    )
    assert _git(desk.folder, "status", "--porcelain") == ""
    if where == "pre-push":
        assert f"its pre-push hook ({hook}) refused it: to see why, run `git -C " in warning
    else:
        assert "[remote rejected]" in warning and "hook (" not in warning
    hook.unlink()
    assert desk.sync().problems() == 0 and laptop.sync().problems() == 0
    _converged([laptop, desk])


@pytest.mark.parametrize(
    "printed",
    [
        "echo 'fatal: lint failed' >&2",
        "echo 'fatal: lint failed' >&2\necho 'backup@nas: Permission denied (publickey).' >&2",
    ],
)
def test_a_pre_push_hook_s_refusal_is_known_whatever_it_prints(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch, printed: str
) -> None:
    """A pre-push hook printing a line that begins `fatal:` (a git command it runs failing, or its own words) was
    taken for the remote out of reach: `quiz sync` exited 0, "goes with the next sync", and the hook was not named;
    with ssh's words after it, those decided. Its words never do: git alone tells a hook's refusal apart."""
    monkeypatch.setenv("LC_ALL", "C")
    laptop = _clone_device(tmp_path, "laptop", remote)
    laptop.sync()
    hook = _hook(laptop.folder / ".git", "pre-push", f"{printed}\nexit 1\n")
    laptop.study(deck, random.Random(13), 3)
    [warning] = laptop.sync().remote
    assert syncgit.refused_for_good(warning)
    assert warning.startswith("git: could not push to the remote (git said: fatal: lint failed")
    assert f"its pre-push hook ({hook}) refused it: to see why, run `git -C " in warning


def test_a_refusing_pre_push_hook_runs_at_most_twice_in_a_sync(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pre-push hook's refusal was pushed again twice, with a fetch before each, and then told apart: a hook
    running a test suite ran it three times in one sync. Its refusal is told after the first push that failed."""
    monkeypatch.setenv("LC_ALL", "C")
    laptop = _clone_device(tmp_path, "laptop", remote)
    laptop.sync()
    runs = tmp_path / "runs"
    hook = _hook(laptop.folder / ".git", "pre-push", f"echo run >> {shlex.quote(str(runs))}\nexit 1\n")
    laptop.study(deck, random.Random(13), 3)
    [warning] = laptop.sync().remote
    assert f"its pre-push hook ({hook}) refused it" in warning and syncgit.refused_for_good(warning)
    assert runs.read_text(encoding="utf-8").count("run") <= 2


def test_a_push_stopped_by_a_pre_push_hook_that_takes_too_long_names_the_hook(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pre-push hook running longer than git is given (a test suite) was "the remote took too long", going with
    the next sync, at every sync: the remote answering the same push without the hook, the hook is named."""
    monkeypatch.setenv("LC_ALL", "C")
    laptop = _clone_device(tmp_path, "laptop", remote)
    laptop.sync()
    hook = _hook(laptop.folder / ".git", "pre-push", "sleep 30\n")
    laptop.study(deck, random.Random(13), 3)
    monkeypatch.setattr(syncgit, "_TIMEOUT", 2)
    [warning] = laptop.sync().remote
    assert warning.startswith(f"git: the push did not end in 2 s, and its pre-push hook ({hook}) runs that long")
    assert syncgit.refused_for_good(warning)


class _SlowOverTheUpload(_RefusingTheUpload):
    """A git server over HTTPS that answers at once but for the push's upload (its POST), which it takes 4 s over
    (a big first push over a slow link) and then answers 503."""

    def do_POST(self) -> None:
        if "receive-pack" in self.path:
            time.sleep(4)
        with contextlib.suppress(OSError):  # git, given less, ended meanwhile
            super().do_POST()


def test_a_slow_upload_is_not_blamed_on_a_pre_push_hook_that_passed_at_once(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A push that did not end in time in its upload, with a pre-push hook that let it go at once, named the hook
    as running that long, and `quiz sync` exited 1 at every slow sync: the dry run without the hook never uploads.
    The hook is named only when the dry run with it does not end in time either; else the remote was slow."""
    monkeypatch.setenv("LC_ALL", "C")
    laptop = _clone_device(tmp_path, "laptop", remote)
    laptop.sync()
    _hook(laptop.folder / ".git", "pre-push", "echo 'lint: ok' >&2\n")
    handler = type("Handler", (_SlowOverTheUpload,), {"root": remote.parent, "status": 503})
    monkeypatch.setattr(syncgit, "_TIMEOUT", 2)  # studying runs no git, so the shorter wait holds for the sync alone
    warning = _warning_of_a_sync_served_by(laptop, deck, handler, remote.name, threading_server=True)
    kept = "this device's events are committed here and go with the next sync"
    assert warning == f"git: the remote took too long to answer the push; {kept}"
    assert not syncgit.refused_for_good(warning)


@pytest.mark.parametrize("hooked", [False, True])
def test_a_push_that_found_the_remote_out_of_reach_goes_with_the_next_sync_with_a_pre_push_hook_or_not(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch, hooked: bool
) -> None:
    """git runs no pre-push hook when it cannot reach the remote: that push waits for the next sync (`quiz sync`
    exits 0), and no hook is named as what refused it."""
    monkeypatch.setenv("LC_ALL", "C")
    laptop = _clone_device(tmp_path, "laptop", remote)
    laptop.sync()
    if hooked:
        _hook(laptop.folder / ".git", "pre-push", "echo 'lint: ok' >&2\n")
    _git(laptop.folder, "remote", "set-url", "--push", "origin", "git@example.org:me/progress.git")
    ssh = tmp_path / "ssh"  # ssh as it answers offline, with no network asked
    ssh.write_text("#!/bin/sh\necho 'ssh: Could not resolve hostname example.org: no network' >&2\nexit 255\n", "utf-8")
    ssh.chmod(0o755)
    monkeypatch.setenv("GIT_SSH_COMMAND", str(ssh))
    laptop.study(deck, random.Random(13), 3)
    [warning] = laptop.sync().remote
    assert not syncgit.refused_for_good(warning) and "hook" not in warning
    assert warning.startswith("git: could not push to the remote (git said: ssh: Could not resolve hostname")
    assert warning.endswith("this device's events are committed here and go with the next sync")


def test_a_push_whose_retry_cannot_merge_the_remote_s_changes_says_why(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another device pushed between this one's pull and push, and its deck change cannot be merged over the
    deck changed here: the warning was "could not push", not which file and what to do."""
    monkeypatch.setenv("LC_ALL", "C")
    laptop, desk = _deck_changed_on_the_laptop_after_the_desk_pulled_it(tmp_path, remote)
    (desk.folder / "decks" / "words.yaml").write_text("deck: words\ntitle: Mine\n", encoding="utf-8")
    own = desk.folder / syncfiles.FOLDER / desk.store.device
    (own / "note.txt").write_text("x", encoding="utf-8")
    [warning] = syncgit.commit_and_push(desk.folder, desk.store.device)
    assert warning.startswith("git: could not merge the remote's changes to decks/words.yaml")
    assert "commit your changes (git -C" in warning


def test_events_a_hook_would_not_commit_leave_the_index_so_a_later_merge_is_made(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The events a pre-commit hook refused are unstaged again: staged, they made git refuse every merge that
    needs a merge commit (her own commit not pushed yet), so the other devices' new events were never pulled."""
    monkeypatch.setenv("LC_ALL", "C")
    laptop, desk = _git_clones(tmp_path, remote)
    desk.sync()
    _refuse_commits(desk.folder, "hook")
    desk.study(deck, random.Random(13), 20)
    assert len(desk.sync().remote) == 1
    (desk.folder / "mine.txt").write_text("mine\n", encoding="utf-8")  # her own commit, past her hook
    _git(desk.folder, "add", "mine.txt")
    _git(desk.folder, "-c", "user.name=me", "-c", "user.email=me@example.org", "commit", "-q", "-n", "-m", "mine")
    laptop.study(deck, random.Random(14), 20)
    laptop.sync()
    report = desk.sync()
    assert report.received == len(laptop.store.read_events()) > 0
    [warning] = report.remote
    assert warning.startswith("git: could not commit this device's events")


def test_an_index_another_git_holds_still_reads_the_other_devices(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another git at work in the clone (its index.lock: an editor's git, a git killed) made `git add` fail, and
    that stopped the whole sync, the other devices' files already pulled (by her own `git pull`) unread."""
    monkeypatch.setenv("LC_ALL", "C")
    laptop, desk = _git_clones(tmp_path, remote)
    desk.sync()
    laptop.study(deck, random.Random(15), 20)
    laptop.sync()
    _git(desk.folder, "pull", "-q", "--no-rebase")  # her own pull of her dotfiles
    lock = desk.folder / ".git" / "index.lock"
    lock.write_text("", encoding="utf-8")
    desk.study(deck, random.Random(16), 20)
    report = desk.sync()
    assert report.received == len(laptop.store.read_events()) > 0 and report.apart
    [warning] = report.remote
    own = desk.folder / syncfiles.FOLDER / desk.store.device
    assert warning.startswith("git: could not add this device's events to the index (git said: ")
    assert "index.lock" in warning and f"nothing is lost: they are written in {own}, not committed" in warning
    lock.unlink()
    assert desk.sync().problems() == 0 and laptop.sync().problems() == 0
    _converged([laptop, desk])


def test_a_commit_that_never_ends_is_stopped_and_leaves_no_lock(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pre-commit hook that waits (or gpg asking for a passphrase nobody types) ran into git's time limit: the
    sync ended in a traceback, and the killed git left its index.lock, stopping every later git in the clone."""
    monkeypatch.setenv("LC_ALL", "C")
    monkeypatch.setattr(syncgit, "_TIMEOUT", 1)
    desk = _clone_device(tmp_path, "desk", remote)
    desk.sync()
    hook = _hook(desk.folder / ".git", "pre-commit", "sleep 60\n")
    desk.study(deck, random.Random(17), 20)
    [warning] = desk.sync().remote
    assert warning.startswith("git: could not commit this device's events (git said: no answer after 1 s; stopped)")
    assert not (desk.folder / ".git" / "index.lock").exists()  # ended as asked, git took its lock away
    hook.unlink()
    assert desk.sync().problems() == 0
    assert _git(desk.folder, "status", "--porcelain") == ""


ROOT = Path(__file__).resolve().parents[2]


def _ctrl_c_while_its_hook_waits(tmp_path: Path, remote: Path, hook: str) -> tuple[Path, subprocess.Popen[bytes], int]:
    """`quiz sync` through a clone of `remote` (tmp_path/clone; data in tmp_path/data) started as from a terminal,
    then Ctrl+C once its git's `hook` waits: the clone, the quiz process (its stderr piped) and the hook's pid."""
    clone = tmp_path / "clone"
    syncgit.clone(str(remote), clone)
    hook_started = commit_hook_that_waits(clone, hook)
    quiz = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(tmp_path / "data"), "sync", "--folder", str(clone)],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        # Ctrl+C heard as in a terminal, also where the tests run with SIGINT ignored (nohup, a background job)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        hooked = hook_started(lambda: quiz.poll() is not None)
    except BaseException:
        quiz.kill()
        raise
    quiz.send_signal(signal.SIGINT)
    return clone, quiz, hooked


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="a process's state as Linux tells it")
def test_a_sync_stopped_with_ctrl_c_ends_the_git_it_waits_for(tmp_path: Path, remote: Path) -> None:
    """Ctrl+C while a commit waited (a hook, gpg asking for a passphrase) ended quiz and left its git running in a
    session of its own, holding the clone's index.lock (every later sync said another git was at work) for as long
    as it waited: ended as one that takes too long is, its lock taken away."""
    clone, quiz, hooked = _ctrl_c_while_its_hook_waits(tmp_path, remote, "pre-commit")
    try:
        assert quiz.wait(timeout=30) != 0
    finally:
        quiz.kill()
    try:
        assert ended(hooked)  # its git ends it, then itself, before quiz exits
    finally:
        with contextlib.suppress(ProcessLookupError):  # left running by a quiz that does not end it
            os.kill(hooked, signal.SIGKILL)
    assert not (clone / ".git" / "index.lock").exists()


@pytest.mark.skipif(os.name != "posix", reason="preexec_fn and SIGINT to another process are POSIX's")
def test_a_sync_stopped_with_ctrl_c_says_that_nothing_is_lost(tmp_path: Path, remote: Path) -> None:
    """Ctrl+C while a push waited (a pre-push hook, ssh on a slow network) printed ^C alone and exited 130: she
    could not tell whether her answers had gone, or were lost. One line says; the next sync sends them."""
    clone, quiz, hooked = _ctrl_c_while_its_hook_waits(tmp_path, remote, "pre-push")
    try:
        _, err = quiz.communicate(timeout=30)
    finally:
        quiz.kill()
        with contextlib.suppress(ProcessLookupError):  # ended with its git, as the test above tells
            os.kill(hooked, signal.SIGKILL)
    assert quiz.returncode == 130
    assert err.decode().endswith(
        "quiz: sync stopped (Ctrl+C): nothing is lost; this machine's events go with the next sync\n"
    )
    (clone / ".git" / "hooks" / "pre-push").unlink()
    assert _git(clone, "ls-remote", "origin") == ""  # the push stopped: nothing reached the remote
    data = ["--data-dir", str(tmp_path / "data")]
    subprocess.run([sys.executable, str(ROOT / "main.py"), *data, "sync"], cwd=ROOT, check=True, capture_output=True)
    assert _git(clone, "rev-parse", "HEAD").strip() in _git(clone, "ls-remote", "origin")  # the next sync sent it


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="a process's state as Linux tells it")
def test_ctrl_c_ends_the_git_a_sync_on_another_thread_waits_for(
    tmp_path: Path, remote: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's start-up sync runs on a thread of its own, which quiz waits for after the app: Ctrl+C there reached
    the main thread only, and that thread's git went on (a hook, gpg waiting) in a session of its own, holding the
    clone's index.lock, quiz waiting for it to end. `stop` ends it, asked, and the sync runs no git after it."""
    monkeypatch.setattr(syncgit, "_STOPPED", threading.Event())  # set for the rest of the process once stopped
    clone = tmp_path / "clone"
    syncgit.clone(str(remote), clone)
    hook_started = commit_hook_that_waits(clone)
    own = clone / syncfiles.FOLDER / "desk"
    own.mkdir(parents=True)
    (own / syncfiles.DEVICE_FILE).write_text("{}\n", encoding="utf-8")
    with ThreadPoolExecutor(max_workers=1) as thread:
        syncing = thread.submit(syncgit.commit_and_push, clone, "desk")
        hooked = hook_started(syncing.done)
        git = parent_of(hooked)
        try:
            syncgit.stop()
            assert isinstance(syncing.exception(timeout=60), KeyboardInterrupt)
            assert not processes.running(git)  # ended, and waited for, before the sync gave up: at once
            assert ended(hooked)  # its hook ends with it, reaped by the system a little later
        finally:
            with contextlib.suppress(ProcessLookupError):  # left running by a stop that does not end it
                os.kill(hooked, signal.SIGKILL)
    assert not (clone / ".git" / "index.lock").exists()
    with pytest.raises(KeyboardInterrupt):  # no git after it
        syncgit.commit_and_push(clone, "desk")


def test_a_merge_that_never_ends_is_stopped_and_taken_back(
    tmp_path: Path, remote: Path, deck: Deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pre-merge-commit hook that waits ran into git's time limit: the merge was stopped with the remote's
    files staged and no MERGE_HEAD, the warning blamed the remote, and every later merge was refused ("Your
    local changes ... would be overwritten"). Now the merge is taken back and the warning names the hook."""
    monkeypatch.setenv("LC_ALL", "C")
    monkeypatch.setattr(syncgit, "_TIMEOUT", 1)
    laptop, desk = _git_clones(tmp_path, remote)
    laptop.sync()
    desk.sync()
    _commit_deck(desk.folder, "deck: words\n")  # hers, not pushed yet: the merge needs a commit
    hook = _hook(desk.folder / ".git", "pre-merge-commit", "sleep 60\n")
    laptop.study(deck, random.Random(18), 20)
    laptop.sync()
    for _ in range(2):
        [warning] = desk.sync().remote
        assert warning.startswith("git: could not merge the remote's changes (no answer after 1 s; stopped)")
        assert f"its pre-merge-commit hook ({hook})" in warning
        assert _git(desk.folder, "status", "--porcelain") == ""  # nothing of the stopped merge left
    hook.unlink()
    monkeypatch.setattr(syncgit, "_TIMEOUT", 120)
    assert desk.sync().problems() == 0 and laptop.sync().problems() == 0
    _converged([laptop, desk])


def test_git_s_own_words_shown_by_sync_never_hold_a_token_given_as_the_user_name() -> None:
    """git names a URL with its user part when the server refuses it (`could not read Password for
    'https://TOKEN@host'`): what quiz passes on of git's words (a clone's, a fetch's, a push's) leaves it out."""
    said = (
        "fatal: could not read Password for 'https://ghp_SECRET123@github.com': terminal prompts disabled\n"
        "error: failed to push some refs to 'http://me:p@ss@127.0.0.1:8000/r.git'\n"
    )
    result = subprocess.CompletedProcess(["git"], 128, "", said)
    for shown in (syncgit._why(result), syncgit._said(result)):
        assert "ghp_SECRET123" not in shown and "p@ss" not in shown and "me:" not in shown
        assert "github.com" in shown or "127.0.0.1" in shown


def test_the_set_up_refusal_inside_another_clone_names_no_token_of_either_url(tmp_path: Path, capsys) -> None:
    """Her dotfiles cloned with a token in the URL, `--git` given another with a token: the refusal naming that
    clone shows neither token (the other clone's she did not even type now)."""
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    _git(dotfiles, "init", "-q")
    _git(dotfiles, "remote", "add", "origin", "https://ghp_DOTFILESTOKEN@example.org/me/dotfiles.git")
    inside = dotfiles / "my quiz"
    inside.mkdir()
    (inside / "notes").write_text("hers\n", encoding="utf-8")
    data = ("--data-dir", str(tmp_path / "desk"))
    given = "https://ghp_GIVENTOKEN@example.org/me/quiz.git"
    code, _, err = run_cli(capsys, *data, "sync", "--git", given, "--folder", str(inside))
    assert code == 1 and "a clone of https://example.org/me/dotfiles.git" in err
    assert "ghp_DOTFILESTOKEN" not in err and "ghp_GIVENTOKEN" not in err
