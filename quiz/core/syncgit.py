"""git as the engine of `quiz sync`: when the synced folder is a git work tree, sync pulls before reading
the other devices' files and commits and pushes this device's own after appending, with the system `git`.
Each device changes only its own folder under `quiz-progress/`, so a merge never conflicts.

Offline-first: a pull or a push that fails (no network, the remote gone, a deck committed to the
repository changed on two machines) is one warning, never an error; this device's events are committed
locally and go with the next sync that reaches the remote. A pull that failed is the sync's one warning:
the push is not tried, as it would fail (or hang) the same way.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from quiz.core.syncfiles import DEVICE_FILE, FOLDER, PART_GLOB, SyncError, ends_cut, own_parts
from quiz.core.text import shell_word

_KEPT_HERE = "synced with what this folder holds; this device's events are committed here and go with the next sync"
# the end of a warning when the remote refused this device's events until she acts (`refused_for_good`)
_UNTIL_SEEN_TO = "no later sync gets past that by itself: see to it, then sync again"
_COMMITTED = "this device's events are committed here"
_REFUSED_HERE = f"synced with what this folder holds; {_COMMITTED}; {_UNTIL_SEEN_TO}"
_TIMEOUT = 120  # seconds a git command may take (a slow network), after which it counts as failed
_IDENTITY = {  # a commit needs an author; one git has no name for gets quiz's
    "GIT_AUTHOR_NAME": "quiz",
    "GIT_AUTHOR_EMAIL": "quiz@localhost",
    "GIT_COMMITTER_NAME": "quiz",
    "GIT_COMMITTER_EMAIL": "quiz@localhost",
}


def is_clone(folder: Path) -> bool:
    """Whether `folder` is a clone's top (what `quiz sync --git` clones into, unless it is one already)."""
    return (folder / ".git").exists()


def is_work_tree(folder: Path) -> bool:
    """Whether sync goes through git for `folder`: a clone's top, or a folder inside one (a dotfiles repository's
    `quiz/`) that the repository does not ignore, where sync commits only its own files under it. An ignored one
    (a home folder's repository ignoring `*`, holding another tool's synced folder) stays a plain folder."""
    if is_clone(folder):
        return True
    place = folder.resolve()
    return _enclosing_clone(place) is not None and _ignore_check(place) == 1


def clone_top(folder: Path) -> Path | None:
    """The top of the clone sync goes through for `folder` (resolved), None for a plain folder."""
    if not is_work_tree(folder):
        return None
    place = folder.resolve()
    return place if is_clone(place) else _enclosing_clone(place)


def uncommitted(top: Path, place: Path) -> list[str]:
    """The files under `place`, in the clone `top`, that differ from the last commit (changed, or new and not
    ignored), by their paths in the clone; none when git cannot tell (not installed, a damaged clone, no answer in
    its time)."""
    if shutil.which("git") is None:
        return []
    try:  # untracked files asked for: a dotfiles repository often hides them (status.showUntrackedFiles no)
        found = _git(top, "status", "--porcelain", "-z", "--untracked-files=normal", "--", str(place))
    except subprocess.TimeoutExpired:  # a file-system monitor hook that waits, a network disk: git cannot tell
        return []
    if found.returncode != 0:
        return []
    entries = found.stdout.split("\0")
    files, renamed = [], False
    for entry in entries:
        if renamed:  # a rename's second path is the one it had
            renamed = False
        elif entry:
            files.append(entry[3:])
            renamed = entry[0] in "RC"
    return files


def ignoring_clone(folder: Path) -> Path | None:
    """The top of the clone `folder` is inside when that repository ignores it, so sync keeps it a plain folder
    (`is_work_tree`): right for a file-sync tool's folder in a home kept in git, and nothing leaving the machine
    for one she meant git to carry (a dotfiles repository keeping only the files it lists). None too when git
    could not tell (not installed, a damaged clone): the repository was not found to ignore it."""
    place = folder.resolve()
    top = _enclosing_clone(place)
    if top is None or is_clone(place) or _ignore_check(place) != 0:
        return None
    return top


def _ignore_check(place: Path) -> int | None:
    """`git check-ignore`'s code for a folder inside a clone: 0 ignored, 1 not, another when git failed (None: no
    git)."""
    if shutil.which("git") is None:
        return None
    there = next(parent for parent in (place, *place.parents) if parent.is_dir())  # the folder may be new
    inside = place.relative_to(there)
    # asked as a folder (the trailing '/'), so a pattern for folders only holds for one not made yet
    return _git(there, "check-ignore", "-q", f"{inside}/" if inside.parts else "./").returncode


def kept_inside(clone: Path) -> Path | None:
    """The one folder below a clone's top where its repository keeps quiz's files, when none are at the top: another
    machine syncs through a folder of its dotfiles (`~/dotfiles/quiz`), which sync must use here too, as this machine's
    files at the top would be read by no other. None when they are at the top, nowhere, in several folders, or git is
    not there to ask."""
    if shutil.which("git") is None:
        return None
    found = _git(clone, "ls-files", "-z", "--", f":(glob)**/{FOLDER}/*/{DEVICE_FILE}")
    places = {PurePosixPath(path).parts[:-3] for path in found.stdout.split("\0") if path}
    if len(places) != 1 or () in places:
        return None
    return clone.joinpath(*places.pop())


def _enclosing_clone(place: Path) -> Path | None:
    """The top of the clone a folder (not a clone's top itself) is inside, if any."""
    return next((parent for parent in place.parents if is_clone(parent)), None)


def clone_around(folder: Path, remote: str) -> Path | None:
    """The clone of `remote` that `folder` is inside, and syncs through (the repository does not ignore it):
    `--git REMOTE --folder ~/dotfiles/quiz` with ~/dotfiles a clone of REMOTE means that folder of it, not a
    second clone of the whole repository inside the first, which would hold none of the other machines' files."""
    _refuse_an_option(remote)
    found = inside_clone(folder)
    if found is None or not found[1] or not _same_remote(found[1], _expanded(_as_origin(remote), found[0]), found[0]):
        return None
    return found[0]


def inside_clone(folder: Path) -> tuple[Path, str] | None:
    """The top of the clone `folder` is inside and would sync through (the repository does not ignore it), and
    that clone's origin ("" when it has none)."""
    top = _enclosing_clone(folder.resolve())
    if top is None or not is_work_tree(folder):
        return None
    found = _git(top, "remote", "get-url", "origin")
    return top, found.stdout.strip() if found.returncode == 0 else ""


_RUNNING: set[subprocess.Popen[str]] = set()  # the gits running, on any thread: `stop` ends them
_STOPPED = threading.Event()  # set by `stop`: no git runs after


def _environment(identity: bool = False) -> dict[str, str]:
    """Every git's environment: never waiting for a password nobody will type, and in the C locale, so that its
    words and ssh's under it are the English ones quiz reads (in it gettext translates nothing, LANGUAGE too)."""
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    return {**_IDENTITY, **env} if identity else env


def _git(folder: Path, *args: str, identity: bool = False) -> subprocess.CompletedProcess[str]:
    command = ["git", "-C", str(folder), *args]
    if _STOPPED.is_set():
        raise KeyboardInterrupt
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=_environment(identity),
        start_new_session=True,  # its hooks in its group, to be ended with it
    ) as process:
        _RUNNING.add(process)
        try:
            out, err = process.communicate(timeout=_TIMEOUT)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):  # Ctrl+C reaches quiz only: git, apart, would go on
            _end(process)
            raise
        finally:
            _RUNNING.discard(process)
    if _STOPPED.is_set():  # ended by `stop` from another thread: this sync goes no further
        raise KeyboardInterrupt
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def stop() -> None:
    """Ctrl+C reached the main thread while a sync ran on another (the app's start-up sync, waited for at quit): the
    git it waits for is ended, asked (git then takes its index.lock away), with what it runs, and that sync runs no
    other git; it raises KeyboardInterrupt on its thread."""
    _STOPPED.set()
    for process in list(_RUNNING):
        if sys.platform == "win32":
            process.kill()
        else:
            with contextlib.suppress(ProcessLookupError):  # ended by itself meanwhile
                os.killpg(process.pid, signal.SIGTERM)


def _end(process: subprocess.Popen[str]) -> None:
    """End a git that took too long (or that Ctrl+C stopped quiz waiting for), and what it runs (a hook, gpg waiting
    for a passphrase), asked first: git then removes its `index.lock`, which a kill leaves behind to stop every git
    after it in the clone."""
    for ask in (signal.SIGTERM, signal.SIGKILL) if sys.platform != "win32" else ():
        with contextlib.suppress(ProcessLookupError):  # all ended by themselves meanwhile
            os.killpg(process.pid, ask)
        try:
            process.communicate(timeout=5)
            return
        except subprocess.TimeoutExpired:
            continue
    process.kill()  # Windows has no process group to signal
    process.communicate()


# A server URL's user part inside git's words: git names a URL with it when the server refuses it (`could not read
# Password for 'https://TOKEN@host'`); greedy to the authority's last `@` (a password holding an unescaped one)
_USER_PART_IN_WORDS = re.compile(r"\b([A-Za-z][A-Za-z0-9+.-]*://)[^\s/'\"]*@")


def _lines_of(result: subprocess.CompletedProcess[str]) -> list[str]:
    """git's lines but its hints, each server URL in them without its user part: a token given as the user name
    (`https://TOKEN@host/x`) is as secret as a password, and these words are shown and may be logged."""
    text = _USER_PART_IN_WORDS.sub(r"\1", (result.stderr or result.stdout).strip())
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("hint:")]


def _why(result: subprocess.CompletedProcess[str]) -> str:
    """git's own reason: its first `fatal:` or `error:` line (its last is often advice cut mid-sentence, "and
    the repository exists."), after the line before it that is not git's: what ssh or the server said, the cause
    of git's "Could not read from remote repository." (a host not found offline, a key refused); else its last
    line that is not a `hint:`."""
    lines = _lines_of(result)
    first = next((n for n, line in enumerate(lines) if line.startswith(("fatal:", "error:"))), None)
    if first is None:
        return lines[-1] if lines else f"git exited with {result.returncode}"
    before = [line for line in lines[:first] if not line.startswith("warning:")][-1:]
    return "; ".join([*before, lines[first].split(":", 1)[1].strip()])


def clone(remote: str, folder: Path) -> None:
    """Make `folder` a clone of `remote` (an empty remote makes an empty work tree)."""
    _refuse_an_option(remote)
    if shutil.which("git") is None:
        raise SyncError("git is not installed: install it, or sync through a folder without --git")
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        result = subprocess.run(
            ["git", "clone", "-q", "--", remote, str(folder)],
            capture_output=True,
            text=True,
            timeout=_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
            env=_environment(),
        )
    except subprocess.TimeoutExpired:
        raise SyncError(f"git clone {shown_url(remote)} took too long; try again") from None
    if result.returncode != 0:
        raise SyncError(f"git clone {shown_url(remote)} failed: {_why(result)}")


def check_origin(folder: Path, remote: str) -> None:
    """Refuse a clone `quiz sync --git REMOTE` finds at `folder` whose `origin` is not REMOTE: sync would push
    there (or nowhere), never to the remote asked for."""
    _refuse_an_option(remote)
    found = _git(folder, "remote", "get-url", "origin")
    told = _as_origin(remote)
    if found.returncode != 0:
        raise SyncError(
            f"{folder} is a git repository with no remote 'origin', not a clone of {shown_url(remote)}: add it with "
            f"`git -C {shell_word(folder)} remote add origin {shell_word(told)}`, or give an empty or new folder to"
            " clone into"
        )
    origin = found.stdout.strip()  # with git's `url.<base>.insteadOf` aliases expanded
    fetched = _expanded(told, folder)
    if not _same_remote(origin, fetched, folder):
        raise SyncError(
            f"{folder} is a clone of {shown_url(origin)}, not of {shown_url(remote)}: to sync through "
            f"{shown_url(remote)}, run "
            f"`git -C {shell_word(folder)} remote set-url origin {shell_word(told)}`, or give an empty or new folder"
            " to clone into"
        )
    pushed = _push_rewritten(told, folder)
    if pushed is None:  # no push alias: the clone pushes where she set it to (a pushurl of her own is hers)
        return
    origin_push = _git(folder, "remote", "get-url", "--push", "origin").stdout.strip()
    if not _same_remote(origin_push, pushed, folder):  # a read mirror's clone, where a fresh one pushes elsewhere
        raise SyncError(
            f"{folder} pushes to {shown_url(origin_push)}, not to {shown_url(pushed)}, where git pushes "
            f"{shown_url(remote)} (a "
            f"`url.<base>.pushInsteadOf`): to sync through {shown_url(remote)}, run "
            f"`git -C {shell_word(folder)} remote set-url --push origin {shell_word(pushed)}`, or give an empty or"
            " new folder to clone into"
        )


def _refuse_an_option(remote: str) -> None:
    """A REMOTE beginning with `-` is a mistyped option more likely than a folder (`./-x` names one): refused, as
    the `--` before it in git's commands only keeps git from running it (`--upload-pack=...`)."""
    if remote.startswith("-"):
        raise SyncError(
            f"{remote}: a remote cannot begin with '-' (git reads it as an option); name a folder ./{remote}"
        )


def _is_path(remote: str) -> bool:
    """Whether git takes `remote` for a local path: not a URL (`scheme://`) nor scp-like (`host:path`, a colon
    before any slash)."""
    return "://" not in remote and ":" not in remote.split("/", 1)[0]


def _as_origin(remote: str) -> str:
    """REMOTE as a clone's origin must name it: a local path made absolute, since the user gave it relative to her
    working folder and git reads an origin relative to the clone. Its symbolic links are kept: git looks for
    `x.git` beside `x` as typed, not beside the folder a link `x` leads to."""
    return str(Path.cwd() / remote) if _is_path(remote) else remote


def _expanded(remote: str, clone: Path) -> str:
    """REMOTE with the `url.<base>.insteadOf` aliases of git's config (the clone's too) expanded, as git expands
    it and the clone's origin (`srv:x.git` for `/srv/git/x.git`); git only rewrites it, reaching no server."""
    found = _git(clone, "ls-remote", "--get-url", "--", remote)
    return found.stdout.strip() if found.returncode == 0 else remote


def _push_rewritten(remote: str, clone: Path) -> str | None:
    """Where git pushes REMOTE when a `url.<base>.pushInsteadOf` of git's config (the clone's too) applies to it:
    the longest such prefix replaced by its base, as git does (`ls-remote --get-url` applies no push alias)."""
    found = _git(clone, "config", "-z", "--get-regexp", r"^url\..*\.pushinsteadof$")
    base, prefix = "", ""
    for entry in found.stdout.split("\0"):
        key, _, alias = entry.partition("\n")
        if alias and remote.startswith(alias) and len(alias) > len(prefix):
            base, prefix = key.removeprefix("url.").removesuffix(".pushinsteadof"), alias
    return base + remote.removeprefix(prefix) if prefix else None


def _same_remote(origin: str, remote: str, clone: Path) -> bool:
    """Whether the clone's origin is `remote`, however each is spelled: a relative origin is read from the
    clone, as git reads it."""
    return _one_spelling(origin, clone) == _one_spelling(remote, Path())


_SCP_LIKE = re.compile(r"(?:(?P<user>[^@/]+)@)?(?P<host>[^:/]+):(?P<path>.*)")
_URL = re.compile(r"(?P<scheme>[^:/]+)://(?P<user>[^@/]*@)?(?P<host>[^/]*)(?P<path>.*)")
_DECODED = ("file://", "ssh://", "git://")  # the URLs git reaches itself, %-escapes decoded; curl takes https as is


def _one_spelling(remote: str, base: Path) -> str:
    """The spelling of a remote two spellings of it share, with a `file://`, `ssh://` or `git://` URL's %-escapes
    decoded (`%20` is a space) as git decodes them: a local path (plain or `file://`, a relative one read from
    `base`) as the folder git opens for it; a server's as `scheme://user@host/path`, below. A server's `x` and
    `x.git` stay two: both may be there, and only the server knows which it opens for `x`."""
    if remote.startswith(_DECODED):
        remote = unquote(remote)
    if remote.startswith("file:///"):
        remote = remote.removeprefix("file://")
    if _is_path(remote):
        return _git_folder(base / remote.rstrip("/"))
    return _server_spelling(remote)


def _server_spelling(remote: str) -> str:
    """A server's remote as a URL with its host name in lower case (host names are not case-sensitive) and no
    trailing `/`: an scp-like `user@host:path` as its `ssh://user@host/path` (a path not from `/` nor `~` is
    from the home folder, `~/`; it is sent as written, %-escapes and all)."""
    if "://" not in remote and (scp := _SCP_LIKE.fullmatch(remote)):
        user, path = f"{scp['user']}@" if scp["user"] else "", scp["path"]
        remote = f"ssh://{user}{scp['host']}/{path.removeprefix('/') if path.startswith(('/', '~')) else '~/' + path}"
    if url := _URL.fullmatch(remote):
        remote = f"{url['scheme']}://{url['user'] or ''}{url['host'].lower()}{url['path']}"
    return remote.rstrip("/")


_OPENED_FIRST = ("/.git", "", ".git/.git", ".git")  # the names git tries for a local remote `x`, in its order


def _git_folder(path: Path) -> str:
    """The repository git opens for a local remote `path`: the first of `path/.git` (a work tree's), `path`,
    `path.git/.git` and `path.git` that is a repository, or a file (a linked work tree's `.git` names its own), as
    git tries them: `/a/x` and `/a/x.git` are one remote only when `/a/x` holds no repository."""
    for suffix in _OPENED_FIRST:
        tried = Path(f"{path}{suffix}")
        if tried.is_file() or _is_repository(tried):
            return _real(tried)
    return _real(path)


def _real(path: Path) -> str:
    """`path` with its links followed; a link loop (no repository git could open) is named as the user wrote it,
    so it matches nothing but itself, not a traceback."""
    try:
        return str(path.resolve())
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError on a loop
        return os.path.abspath(path)


def _is_repository(folder: Path) -> bool:
    """Whether `folder` is a git repository's own folder (a bare repository, a work tree's `.git`), as git tells
    one: its `HEAD`, `objects` and `refs`."""
    return (folder / "HEAD").is_file() and (folder / "objects").is_dir() and (folder / "refs").is_dir()


# what the user has under way in the repository, by the file git keeps for it (in a linked work tree's own folder)
_UNDER_WAY = {
    "MERGE_HEAD": "a merge",
    "rebase-merge": "a rebase",
    "rebase-apply": "a rebase (or `git am`)",
    "CHERRY_PICK_HEAD": "a cherry-pick",
    "REVERT_HEAD": "a revert",
    "BISECT_LOG": "a bisect",
}


def under_way(folder: Path) -> str | None:
    """Why sync must leave the repository alone this time, as a warning: the user's own merge, rebase,
    cherry-pick, revert or bisect under way (a merge of the remote's would be refused, and taking it back would
    throw away her resolved conflicts), or no branch checked out (quiz's commit would be left on no branch, and
    pushed to a branch it guessed). Her files and index are left as they are, and nothing is committed."""
    # one git (run at every sync): the files' places, then HEAD's branch, `HEAD` when detached
    asked = (arg for name in _UNDER_WAY for arg in ("--git-path", name))
    found = _git(folder, "rev-parse", *asked, "--symbolic-full-name", "HEAD")
    if found.returncode != 0:  # no commit here yet (a clone of an empty remote): nothing of hers under way
        return None
    *places, head = found.stdout.splitlines()
    doing = [_UNDER_WAY[name] for name, place in zip(_UNDER_WAY, places, strict=False) if (folder / place).exists()]
    if not doing and head.startswith("refs/heads/"):
        return None
    what = f"{doing[0]} of yours is under way" if doing else "no branch is checked out (a detached HEAD)"
    until = "you finish it" if doing else "you check out your branch"
    return (
        f"git: in the repository of {folder}, {what}: sync merges, commits and pushes nothing until {until}"
        f" (`git -C {shell_word(folder)} status` says where it stands); synced with what this folder holds;"
        " this device's events are written in it, and committed and pushed by the first sync after that"
    )


_NO_REMOTE = (
    "git: {folder} has no remote: nothing leaves this machine; add one with `git -C {shell} remote add origin "
    "REMOTE`, or sync through a folder your sync tool shares"
)


def pull(folder: Path) -> str | None:
    """Merge the remote's branch (the other devices' files); a warning when it could not be reached, or when the
    repository has none (every sync says so: the user believes her progress leaves the machine)."""
    if not _has_remote(folder):
        return _NO_REMOTE.format(folder=folder, shell=shell_word(folder))
    branch = _branch(folder)
    try:
        fetched = _git(folder, "fetch", "-q", "origin")
        if fetched.returncode != 0:
            check = _to_check(folder, fetched)
            kept = f"{check}; {_REFUSED_HERE}" if check else _KEPT_HERE
            return f"git: could not fetch from the remote ({_why(fetched)}); {kept}"
        if _git(folder, "rev-parse", "-q", "--verify", f"refs/remotes/origin/{branch}").returncode != 0:
            taken = _take_remote_branch(folder)
            if taken is None:
                return None  # nothing pushed there yet
            branch = taken
    except subprocess.TimeoutExpired:
        return f"git: the remote took too long to answer; {_KEPT_HERE}"
    theirs = f"origin/{branch}"
    staged = _git(folder, "diff", "--cached", "--quiet").returncode != 0  # hers, which a reset would lose
    try:
        # unrelated: this clone committed before it first merged the remote (that merge failed); each device
        # commits only its own folder, so the two histories never touch the same file of quiz's
        merged = _git(folder, "merge", "-q", "--no-edit", "--allow-unrelated-histories", theirs, identity=True)
    except subprocess.TimeoutExpired:  # a pre-merge-commit hook that waits, gpg asking for a passphrase
        if not staged:  # stopped with the remote's files staged and no MERGE_HEAD: taken back, or no merge is made
            _git(folder, "reset", "-q", "--merge")
        fix = _refused(folder, _MERGE_HOOKS, f"merge {shell_word(theirs)}", "merge them")
        return (
            f"git: could not merge the remote's changes (no answer after {_TIMEOUT} s; stopped); {fix}; {_MERGED_LATER}"
        )
    return None if merged.returncode == 0 else _not_merged(folder, merged, theirs)


def _take_remote_branch(folder: Path) -> str | None:
    """The remote's one branch, made this clone's, when the clone has no commit yet and its own branch is not on the
    remote: another machine pushed a branch named otherwise than the remote's HEAD says (a remote made with `git init
    --bare` names `master`; a first clone of it, empty, may take its git's `main`). git's clone checked none out, and
    this clone's commits would go to a branch of their own, where no machine reads them. None when the clone has
    commits, or the remote none or several branches: which one is hers to say."""
    if _git(folder, "rev-parse", "-q", "--verify", "HEAD").returncode == 0:
        return None
    found = _git(folder, "for-each-ref", "--format=%(refname:lstrip=3)", "refs/remotes/origin/").stdout.split()
    branches = [name for name in found if name != "HEAD"]
    if len(branches) != 1 or _git(folder, "symbolic-ref", "HEAD", f"refs/heads/{branches[0]}").returncode != 0:
        return None
    return branches[0]


_MERGE_HOOKS = ("pre-merge-commit", "prepare-commit-msg", "commit-msg")
_MERGED_LATER = (
    "synced with what this folder holds; the remote's changes are read by the first sync that can merge them"
)


_ONE_UNTRACKED = re.compile(r"Untracked working tree file '(.+)' would be overwritten")


def _not_merged(folder: Path, merged: subprocess.CompletedProcess[str], theirs: str) -> str:
    """Why the remote's commits could not be merged, as a warning. Only the user's files or settings can be the
    cause: decks committed to the repository and changed on two machines, or changed here and not committed
    (quiz never edits them, so it leaves them as they were: a merge begun is aborted, its conflict markers with
    it, and it says which to commit or merge), or a merge commit git would not make (a hook, a signature)."""
    conflicted = _git(folder, "diff", "--name-only", "--diff-filter=U").stdout.split()
    if not conflicted and _git(folder, "rev-parse", "-q", "--verify", "MERGE_HEAD").returncode == 0:
        # merged, but git would not make the merge commit: taken back, or every later sync would stop at it
        _git(folder, "merge", "--abort")
        fix = _refused(folder, _MERGE_HOOKS, f"merge {shell_word(theirs)}", "merge them")
        said = _said(merged)
        return f"git: could not commit the merge of the remote's changes (git said: {said}); {fix}; {_MERGED_LATER}"
    if conflicted:
        _git(folder, "merge", "--abort")
        advice = f"merge them yourself (git -C {shell_word(folder)} pull --no-rebase)"
    elif "untracked working tree file" in merged.stderr.lower():  # made here, and the remote has them too
        advice = "move them aside (git holds no copy of them here; the remote's then take their place)"
    else:  # git refused before merging: files changed here and not committed
        advice = f"commit your changes (git -C {shell_word(folder)} commit -a)"
    named = conflicted or [line.strip() for line in merged.stderr.splitlines() if line.startswith("\t")]
    named = named or _ONE_UNTRACKED.findall(merged.stderr)
    files = ", ".join(named) if named else _why(merged)
    return (
        f"git: could not merge the remote's changes to {files}, which this folder changes too: {advice}, then"
        f" sync again; {_KEPT_HERE}"
    )


def _own(folder: Path, device: str) -> list[str]:
    """This device's files as git's pathspecs: its `device.json` and its parts, in the index too (a part deleted is
    staged gone), never a stray file beside them (an editor's swap file, a `.DS_Store`, a sync tool's temporary
    file, a note of hers), which would go to every machine. The parts' pattern only once one is written: git
    refuses a pathspec that matches nothing."""
    own = f"{FOLDER}/{device}"
    return [f"{own}/{DEVICE_FILE}", *([f"{own}/{PART_GLOB}"] if own_parts(folder / own) else [])]


def _add(folder: Path, device: str) -> subprocess.CompletedProcess[str]:
    """Stage this device's files, forced: a dotfiles `.gitignore` written for other files (`*.jsonl`, or `*` with
    the files it keeps listed) matching quiz's files in a synced folder it keeps would have git skip them unsaid,
    and no other machine would ever read this one's events."""
    return _git(folder, "add", "-f", "--", *_own(folder, device))


def commit_and_push(folder: Path, device: str, push: bool = True, staged: bool = False) -> list[str]:
    """Commit this device's files and push them (unless `push` is False: the pull could not reach the
    remote); a warning when the commit or the push could not be made. `staged`: `waiting` added them already."""
    own = f"{FOLDER}/{device}"
    written = (
        f"nothing is lost: they are written in {folder / own}, not committed, and go with the next sync that can commit"
    )
    warnings = []
    added = None if staged else _add(folder, device)
    files = _own(folder, device)
    if (
        added is not None and added.returncode != 0
    ):  # another git at work here (its index.lock), a damaged index: the sync goes on
        warnings.append(f"git: could not add this device's events to the index (git said: {_said(added)}); {written}")
    elif _git(folder, "diff", "--cached", "--quiet", "--", *files).returncode != 0:
        message = f"quiz: events of device {device}"
        try:
            committed = _git(folder, "commit", "-q", "-m", message, "--", *files, identity=True)
            said = None if committed.returncode == 0 else _said(committed)
        except subprocess.TimeoutExpired:  # a hook that waits, gpg asking for a passphrase nobody types
            said = f"no answer after {_TIMEOUT} s; stopped"
        if said is not None:  # a hook of hers, or a signature git cannot make: the sync goes on
            _git(folder, "reset", "-q", "--", *files)  # the index as she left it, so the next merge is not refused
            warnings.append(_not_committed(folder, said, own, message, written))
    if not push or not _has_remote(folder):
        return warnings
    kept = f"{_COMMITTED} and go with the next sync"
    if warnings:  # its events' commit failed: said above
        kept = "what this device committed before goes with the next sync"
    # not with the next sync: `quiz sync` exits 1
    held = f"{'what this device committed before waits here' if warnings else _COMMITTED}; {_UNTIL_SEEN_TO}"
    branch = _branch(folder)
    refspec = f"HEAD:{branch}"
    run = f"run `git -C {shell_word(folder)} push origin {shell_word(refspec)}`"
    urls = _push_urls(folder)
    try:
        for tried in range(3):  # another device pushed meanwhile: merge its files (never a conflict) and push again
            pushed = _push(folder, refspec)
            if pushed.returncode == 0:
                return warnings
            if (ahead := _ahead_unfetched(folder, pushed, urls, pulled=tried > 0)) is not None:  # no pull brings it
                said = _said_of_push(pushed, urls)
                return [*warnings, _not_fetched(folder, said, urls, ahead, branch, held)]
            if not _behind(pushed, urls):  # failed otherwise: pushing again would only run a pre-push hook again
                break
            if (not_pulled := pull(folder)) is not None:  # why the remote's changes could not be merged
                return [*warnings, not_pulled]
        hook, pushed = _pre_push_refused(folder, pushed, refspec)
    except subprocess.TimeoutExpired:
        if (slow := _pre_push_that_waits(folder, refspec)) is None:
            return [*warnings, f"git: the remote took too long to answer the push; {kept}"]
        return [
            *warnings,
            f"git: the push did not end in {_TIMEOUT} s, and its {slow} runs that long (to see it, {run}); {held}",
        ]
    check = None if hook else _push_check(folder, pushed, urls)
    why = f"; its {hook} refused it: to see why, {run}" if hook else f"; {check}" if check else ""
    said = _said_of_push(pushed, urls)
    return [*warnings, f"git: could not push to the remote (git said: {said}){why}; {held if hook or check else kept}"]


def waiting(folder: Path, device: str) -> int | None:
    """This device's events not on the remote's branch as last fetched, which the push after this sends: those just
    written, and those an earlier sync kept here (the remote out of reach, a push or a commit refused). Its folder is
    staged first, as the commit does next, so the events a refused commit left written are counted too. git's
    counts of the lines its parts gained, less the header of each part new since: no line is read. None when they
    could not be staged (another git's index.lock): the commit's own add tries again, and says why."""
    own = f"{FOLDER}/{device}"
    if _add(folder, device).returncode != 0:
        return None
    # one diff, run at every sync: `--summary` names the parts made since (`create mode`) after the line counts
    ask = ("diff", "--cached", "--numstat", "--summary")
    diffed = _git(folder, *ask, f"refs/remotes/origin/{_branch(folder)}", "--", f"{own}/{PART_GLOB}")
    if diffed.returncode != 0:  # never pushed: all of them wait
        empty = _git(folder, "hash-object", "-t", "tree", "--stdin").stdout.strip()  # the empty tree
        diffed = _git(folder, *ask, empty, "--", f"{own}/{PART_GLOB}")
        if diffed.returncode != 0:
            return 0
    rows = [line.split("\t") for line in diffed.stdout.splitlines()]  # the parts' names are quiz's: no tab in them
    lines = sum(int(row[0]) for row in rows if row[0].isdigit())
    # a line a full disk cut is one more line to git, and no event: only a part's last line can be
    parts = (folder / own / Path(row[2]).name for row in rows if len(row) == 3 and row[0].isdigit())
    cut = sum(ends_cut(part) for part in parts)
    return max(0, lines - cut - sum(row[0].startswith(" create mode ") for row in rows))


def _pre_push_refused(
    folder: Path, pushed: subprocess.CompletedProcess[str], refspec: str
) -> tuple[str | None, subprocess.CompletedProcess[str]]:
    """The repository's pre-push hook, named, when it refused the failed push (no later sync gets past it by
    itself), with the push to judge the remote by. Told from git alone, never the hook's words (it may print
    `fatal:`, ssh's words, a push of its own refused): the same push, dry, without the hook and with it. The one
    without it failing (the remote out of reach, a key refused, before git runs the hook) is judged as a push with
    no hook; it going through where the one with the hook fails means the hook refused; both going through, the
    hook let the push go and what failed came after it (the upload, which no dry run makes: a server down for now,
    an account that may not write), judged as a push with no hook."""
    hooks = _hooks(folder, "pre-push")
    if not hooks:
        return None, pushed
    unhooked = _push(folder, refspec, "--dry-run", "--no-verify")
    if unhooked.returncode != 0:
        return None, unhooked
    hooked = _push(folder, refspec, "--dry-run")
    return (hooks[0] if hooked.returncode != 0 else None), pushed


def _pre_push_that_waits(folder: Path, refspec: str) -> str | None:
    """The repository's pre-push hook, named, when the same push, dry, does not end in time with it either while
    the one without it is answered: the hook (a test suite, a prompt nobody answers) is what waits, and waits at
    every sync. A dry run never uploads: both ending in time, what was slow is the upload, the remote's."""
    hooks = _hooks(folder, "pre-push")
    if not hooks:
        return None
    try:
        unhooked = _push(folder, refspec, "--dry-run", "--no-verify")
    except subprocess.TimeoutExpired:  # the remote is what is slow
        return None
    if unhooked.returncode != 0:
        return None
    try:
        _push(folder, refspec, "--dry-run")
    except subprocess.TimeoutExpired:
        return hooks[0]
    return None


def _push(folder: Path, refspec: str, *flags: str) -> subprocess.CompletedProcess[str]:
    """`git push` of `refspec` to origin, with the remote's answer in git's own report (`_answer`)."""
    return _git(folder, "push", "-q", "--porcelain", *flags, "origin", refspec)


_REF_STATUS = re.compile(r"[ +\-*=!]\t[^\t]+\t")


def _push_urls(folder: Path) -> dict[str, str]:
    """The URLs a push to origin goes to (`remote.origin.pushurl` set twice: a mirror kept in step), each as git
    names it in its report of the push (`To URL`), with its credential-free spelling to show her (`_shown`)."""
    found = _git(folder, "remote", "get-url", "--push", "--all", "origin").stdout.splitlines()
    return {_as_reported(url): shown_url(url) for url in found}


_SCHEME = re.compile(r"[A-Za-z0-9+.-]+")


def _user_part(url: str, whole: bool = False) -> str:
    """The `user@` or `user:password@` git leaves out of a server's URL when it names it in its report of a push
    (`https://me:token@host/x` as `https://host/x`, `me@host:x` as `host:x`); "" for a local path or none. git's
    report cuts it at the first `@`; `whole`: at the last one before the host, as the server reads it (a password
    holding an `@` not written `%40`)."""
    colon, slash, at = url.find(":"), url.find("/"), url.find("@")
    if colon < 0 or 0 <= slash < colon or at < 0:  # a local path (no `host:` before a `/`), or no user in it
        return ""
    scheme = url.find("://")
    if scheme < 0:  # scp-like: `user@host:path`
        return url[: at + 1] if ":" in url[at + 1 :] else ""
    first_slash = url.find("/", scheme + 3)
    if not _SCHEME.fullmatch(url[:scheme]) or 0 <= first_slash < at:  # an `@` in the path is the path's
        return ""
    authority = url[scheme + 3 : first_slash if first_slash >= 0 else len(url)]
    return authority[: (authority.rfind("@") if whole else at - scheme - 3) + 1]


def _as_reported(url: str) -> str:
    """A URL as git names it in its report of a push (`_user_part`)."""
    return url.replace(_user_part(url), "", 1)  # the part ends at the URL's first `@`: never found before it


_SSH = ("ssh://", "git+ssh://", "ssh+git://")


def shown_url(url: str) -> str:
    """A URL as a message shows it, with no credential in it: a server's without its user part, a token as much as
    a user and password (`https://TOKEN@host/x`, `https://me:pass@host/x` as `https://host/x`), but for an ssh user
    name, which is no secret (`me@host:x`, `ssh://me@host/x`; a password after it is left out)."""
    part = _user_part(url, whole=True)
    if not part:
        return url
    user = f"{part.split(':', 1)[0].removesuffix('@')}@" if url.startswith(_SSH) or "://" not in url else ""
    return url.replace(part, user, 1)


def _unmasked(said: str, urls: Mapping[str, str]) -> str:
    """git's words with each push URL whose report still holds part of a password (`https://me:p@ss@host/x`,
    reported `https://ss@host/x`) named as `_shown` names it."""
    for reported, shown in urls.items():
        if _user_part(reported):
            said = said.replace(reported, shown)
    return said


def _reports(pushed: subprocess.CompletedProcess[str], urls: Mapping[str, str]) -> dict[str, list[str]]:
    """git's report of a `_push` for each of origin's push URLs `urls` that had something to say under `-q`: its
    line per ref (`!\tHEAD:refs/heads/main\t[remote rejected] (why)`), after `To URL`. The pre-push hook runs
    before each URL's push, and its words come on stderr or on stdout (where git passes a hook's output on), before
    each report: lines of the hook's own, even a report of a push of its own to a mirror (`To` another URL), are
    never read."""
    reports: dict[str, list[str]] = {}
    report: list[str] | None = None
    for line in pushed.stdout.splitlines():
        if (url := _report_begun(line, urls)) is not None:
            report = reports.setdefault(url, [])
        elif report is not None and _REF_STATUS.match(line):
            report.append(line)
        else:  # `Done` (after a hook's words with no newline too), or not git's: the report, if any, is over
            report = None
    return reports


def _report_begun(line: str, urls: Mapping[str, str]) -> str | None:
    """The push URL whose report `line` begins, `To URL`: at its end, as a hook's words that end in no newline
    (`printf 'lint: ok'`) come on the same line before it."""
    return max((url for url in urls if line.endswith(f"To {url}")), key=len, default=None)


def _answer(pushed: subprocess.CompletedProcess[str], urls: Mapping[str, str]) -> list[str]:
    """The remote's answer to a `_push`, a line per ref and push URL (`_reports`)."""
    return [line for report in _reports(pushed, urls).values() for line in report]


# the remote's own words for a branch another push moved while it took this one (two machines pushing at once)
_RACE_LOST = tuple(f"[remote rejected] ({why}" for why in ("failed to update ref", "cannot lock ref", "failed to lock"))


def _statuses(pushed: subprocess.CompletedProcess[str], urls: Mapping[str, str]) -> list[str]:
    """The remote's answer to a `_push` for each ref: `[rejected] (fetch first)`, `[remote rejected] (why)`."""
    return [_status(line) for line in _answer(pushed, urls)]


def _behind(pushed: subprocess.CompletedProcess[str], urls: Mapping[str, str]) -> bool:
    """Whether the remote's branch holds commits this clone has not merged yet (another device pushed since the
    pull): git would not push (`[rejected] (fetch first)`, `(non-fast-forward)`), or the remote took the push while
    another one moved the branch, and could not update it (`[remote rejected] (failed to update ref)`)."""
    return any(status.startswith(("[rejected]", *_RACE_LOST)) for status in _statuses(pushed, urls))


def _ahead_unfetched(
    folder: Path, pushed: subprocess.CompletedProcess[str], urls: Mapping[str, str], pulled: bool
) -> str | None:
    """The push URL, if any, where git would not push (`[rejected] (fetch first)`, `(non-fast-forward)`) though no
    pull can bring what it holds: a mirror among origin's push URLs that got commits from elsewhere. Told so when the
    URL the pull fetches from took the push (or had nothing to take), or when the URL still refuses once this sync
    `pulled` while another took the push. Refused at every URL, it is another device's push reaching them all since
    the pull, as it is when no push URL is spelled as the fetch URL: the pull brings it (two machines syncing)."""
    reports = _reports(pushed, urls).items()
    rejected = [url for url, report in reports if any(_status(line).startswith("[rejected]") for line in report)]
    if not rejected:
        return None
    fetched = _fetched_push_url(folder, urls)
    settled = fetched not in rejected if fetched is not None else pulled and len(rejected) < len(urls)
    return next((url for url in rejected if url != fetched), None) if settled else None


def _status(line: str) -> str:
    """The remote's answer in a line of git's report of a push: `[rejected] (fetch first)`, `[remote rejected] (x)`."""
    return line.split("\t")[2]


def _fetch_url(folder: Path) -> str:
    """origin's fetch URL, as set (a relative one is read from the clone's top)."""
    return _git(folder, "remote", "get-url", "origin").stdout.strip()


def _fetched_push_url(folder: Path, urls: Mapping[str, str]) -> str | None:
    """Which of origin's push URLs (as git reports them) the pull fetches from: the one spelled as origin's fetch
    URL; None when none is (a `pushInsteadOf` has git push to the fetch URL by another spelling, or the clone fetches
    from a mirror of where it pushes), never a guess."""
    fetched = _as_reported(_fetch_url(folder))
    top = Path(_git(folder, "rev-parse", "--show-toplevel").stdout.strip())  # git reads a relative URL from there
    return next((url for url in urls if url == fetched or _one_spelling(url, top) == _one_spelling(fetched, top)), None)


def _not_fetched(folder: Path, said: str, urls: Mapping[str, str], ahead: str, branch: str, held: str) -> str:
    """The warning for a push URL holding commits the pull does not fetch (`_ahead_unfetched`), with what to do."""
    url, fetched = urls[ahead], shown_url(_fetch_url(folder))
    merge = f"git -C {shell_word(folder)} pull --no-rebase {shell_word(url)} {shell_word(branch)}"
    return (
        f"git: could not push to {url}, one of the remote's push URLs: it holds commits this clone has not, and"
        f" sync merges those of {fetched} only (git said: {said}); merge them here with `{merge}`, or take that URL out"
        f" of the remote's push URLs; {held}"
    )


def _said_of_push(pushed: subprocess.CompletedProcess[str], urls: Mapping[str, str]) -> str:
    """git's words for a push it could not make, the remote's answer for the refs it refused first (`_said`)."""
    return _unmasked(_said(pushed, _refused_refs(pushed, urls)), urls)


def _refused_refs(pushed: subprocess.CompletedProcess[str], urls: Mapping[str, str]) -> list[str]:
    """The remote's answer for each ref it did not take, as `! HEAD:refs/heads/main [remote rejected] (why)`."""
    return [line.replace("\t", " ") for line in _answer(pushed, urls) if line.startswith("!")]


def _push_check(folder: Path, pushed: subprocess.CompletedProcess[str], urls: Mapping[str, str]) -> str | None:
    """What to check when the push's answer, or git's words, say the remote refused for good; None when it was out
    of reach for now. A ref the remote itself rejected: a protected branch, or the remote's hook (not a push that
    lost every race to another device's: the next sync merges and pushes again)."""
    statuses = _statuses(pushed, urls)
    if any(status.startswith("[remote rejected]") and not status.startswith(_RACE_LOST) for status in statuses):
        return "check the remote's rules for this branch (a protected branch, its hook)"
    return _to_check(folder, pushed)


def _not_committed(folder: Path, said: str, own: str, message: str, written: str) -> str:
    """Why this device's events could not be committed, what to do, and where they are `written`: the sync still
    reads the other devices' files, and this device's events stay in its folder until a sync can commit them."""
    retry = f"commit -m {shell_word(message)} -- {shell_word(own)}"
    fix = _refused(folder, ("pre-commit", "prepare-commit-msg", "commit-msg"), retry, "commit them")
    return f"git: could not commit this device's events (git said: {said}); {fix}; {written}"


def _refused(folder: Path, hooks: tuple[str, ...], retry: str, done: str) -> str:
    """What to do about a commit git would not make (this device's, or the merge of the remote's changes): a
    signature it could not make, or a hook of the repository's that refused it, shown by running `retry`."""
    shell = shell_word(folder)
    if _git(folder, "config", "--type=bool", "commit.gpgsign").stdout.strip() == "true":
        return (
            "git signs every commit in this repository (commit.gpgsign) and could not sign this one: set up your"
            f" signing key, or turn signing off for this repository with `git -C {shell} config commit.gpgsign"
            " false`"
        )
    found = _hooks(folder, *hooks)
    refused = f"its {' or '.join(found)} refused it" if found else "git refused it"
    return f"{refused}: to see why (and {done} once it passes), run `git -C {shell} {retry}`"


def _hooks(folder: Path, *names: str) -> list[str]:
    """Which of the hooks `names` the repository runs (in its hooks folder, `core.hooksPath` too, and executable)."""
    found = []
    for name in names:
        where = _git(folder, "rev-parse", "--git-path", f"hooks/{name}").stdout.strip()
        hook = Path(os.path.normpath(folder / where))  # a folder inside the clone: `../.git/hooks/...`
        if where and hook.is_file() and os.access(hook, os.X_OK):
            found.append(f"{name} hook ({hook})")
    return found


# git's own lines (and ssh's) when the remote was reached and refused, each with what to check: a key or a password
# it did not take, an account without the right to the repository, a repository not found (or one the account may
# not see: GitHub answers that alike); a ref the remote rejected is read from the push's answer (`_push_check`). No
# later sync gets past these by itself, unlike a remote out of reach (offline) or a server down for now (a 5xx). Only
# whole lines of theirs: a hook's words (`remote: ...`) may say anything; a pre-push hook's refusal is known apart
# (`_pre_push_refused`), its words never read
_REFUSED_LINES = (
    (
        re.compile(
            r"fatal: Authentication failed "
            r"|fatal: could not read (Username|Password) "
            r"|(?!remote:)[^\s:]+: Permission denied \("  # ssh: "git@host: Permission denied (publickey)."
        ),
        "check the key or password git gives the remote",
    ),
    (
        re.compile(
            r"fatal: unable to access '.*': The requested URL returned error: 403$"  # a token without the right
            r"|error: RPC failed; HTTP 403 "  # the same, refused on the push's upload
            # GitHub's over ssh, to a key of an account without the right (a read-only deploy key): written before
            # git's exchange begins, so ssh passes it as it is, with no `remote:`
            r"|ERROR: Permission to \S+ denied to "
        ),
        "check that your account may write to the repository (a token's rights, a deploy key that only reads)",
    ),
    (
        re.compile(r"fatal: repository '.*' not found$|ERROR: Repository not found\.$"),  # over HTTPS, over ssh
        "check the remote's address (`git -C {folder} remote -v`), and that your account may see the repository",
    ),
)


def _to_check(folder: Path, result: subprocess.CompletedProcess[str]) -> str | None:
    """What to check when git's output says the remote refused for good; None when it was out of reach for now."""
    lines = [line.strip() for line in (result.stderr or "").splitlines()]
    found = (check for refused, check in _REFUSED_LINES if any(refused.match(line) for line in lines))
    return next((check.format(folder=shell_word(folder)) for check in found), None)


def refused_for_good(warning: str) -> bool:
    """Whether a sync's warning says the remote refused this device's events until she acts (`quiz sync` exits
    1), not that it was out of reach for now."""
    return warning.endswith(_UNTIL_SEEN_TO)


def _said(result: subprocess.CompletedProcess[str], first: Sequence[str] = (), most: int = 3) -> str:
    """git's own words: the first `most` lines it wrote (a hook's own reason comes first), not its hints, after
    the lines `first` (a push's answer for the refs the remote refused)."""
    lines = [*first, *_lines_of(result)]
    return " / ".join(lines[:most]) if lines else f"git exited with {result.returncode}"


def _has_remote(folder: Path) -> bool:
    return bool(_git(folder, "remote").stdout.split())


def _branch(folder: Path) -> str:
    found = _git(folder, "symbolic-ref", "-q", "--short", "HEAD").stdout.strip()
    return found or "main"
