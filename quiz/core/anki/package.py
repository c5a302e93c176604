"""An Anki package (.apkg, .colpkg) -> its Collection: the zip, its `meta`, its collection file and media map.

Which collection file to read is said by `meta` (a PackageMetadata protobuf, proto/anki/import_export.proto),
as Anki decides it (rslib/src/import_export/package/meta.rs): version 1 collection.anki2, 2 collection.anki21
(both SQLite, schema 11, stored as they are), 3 collection.anki21b (zstd-compressed SQLite, schema 18); no
`meta`: collection.anki21 if present, else collection.anki2. Nothing in the zip is trusted: every member is
streamed with a cap on what it may unpack to, so a zip bomb fails with a message instead of filling memory
or the disk.
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import zstandard

from quiz.core.anki import protobuf
from quiz.core.anki.collection import read_collection
from quiz.core.anki.media import MAX_SOUND_BYTES, is_sound_file, too_big
from quiz.core.anki.model import Collection
from quiz.core.filekind import ZIP_MAGIC
from quiz.core.images import MAX_IMAGE_BYTES

#: PackageMetadata.Version: the collection file each version holds, and whether its members are zstd-compressed.
VERSIONS = {1: ("collection.anki2", False), 2: ("collection.anki21", False), 3: ("collection.anki21b", True)}
LATEST = max(VERSIONS)
MAX_COLLECTION = 2 * 1024**3  # what a collection may unpack to (a 30,000-note deck with history is ~100 MB)
MAX_MEDIA_MAP = 64 * 1024**2
_CHUNK = 1024 * 1024
OLDER_ANKI_HINT = "in Anki, export it again with 'Support older Anki versions' ticked"


class PackageError(Exception):
    """The package cannot be read; the message (one line) says why and what to do."""


def read_package(data: bytes, name: str, limit: int = MAX_COLLECTION) -> Collection:
    """The collection and media map of the package in `data`; `name` is the file's name for messages."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        if data.startswith(ZIP_MAGIC):  # a zip's start without its end: most often a download cut short
            raise PackageError(
                f"{name} is a zip archive cut short or damaged (a download that did not finish?): download or"
                " export it again"
            ) from None
        raise PackageError(f"{name} is not a zip archive, so not an Anki package (.apkg or .colpkg)") from None
    with archive:
        version = package_version(archive, name)
        member, compressed = VERSIONS[version]
        if member not in archive.namelist():
            raise PackageError(f"{name} holds no Anki collection ({member} is missing); export it again from Anki")
        with _extracted(archive, member, compressed, name, limit) as path:
            try:
                collection = read_collection(path)
            except (sqlite3.DatabaseError, protobuf.ProtobufError) as exc:
                raise PackageError(
                    f"{name}: its collection ({member}) is not a readable Anki database: {exc}; the package is"
                    " damaged or cut short (a download that stopped?), or was not made by Anki: export or download"
                    " it again"
                ) from exc
        collection.media = media_map(archive, compressed, name)
    return collection


class PackageMedia:
    """A package's media files by the name the notes' fields use, each read (unpacked, at most as large as a
    deck's picture may be) when asked: a deck's pictures are never all in memory at once."""

    def __init__(self, data: bytes, name: str) -> None:
        self.archive = zipfile.ZipFile(io.BytesIO(data))  # in memory: nothing to close
        self.name = name
        self.compressed = VERSIONS[package_version(self.archive, name)][1]
        present = set(self.archive.namelist())
        named = media_map(self.archive, self.compressed, name).items()
        self.members = {media_name: member for member, media_name in named if member in present}
        self.lacking: dict[str, str] = {}  # why_lacking's, said on every note naming the file: counted once

    def read(self, media_name: str) -> bytes | None:
        """The file's bytes; None when the package lacks it, or it is damaged or too large."""
        member = self.members.get(media_name)
        if member is None:
            return None
        limit = MAX_SOUND_BYTES if is_sound_file(media_name) else MAX_IMAGE_BYTES
        try:
            return _read(self.archive, member, self.compressed, self.name, limit)
        except PackageError:
            return None

    def why_lacking(self, media_name: str) -> str:
        """Why `read` gave no bytes of a file, for a warning naming it: a sound too big (its size counted as it
        unpacks, never held), or not in the package (or damaged)."""
        if media_name not in self.lacking:
            self.lacking[media_name] = self._why_lacking(media_name)
        return self.lacking[media_name]

    def _why_lacking(self, media_name: str) -> str:
        member = self.members.get(media_name)
        if member is None or not is_sound_file(media_name):
            return "is not in the package"
        size = 0
        try:
            with _open(self.archive, member, self.compressed, self.name) as source:
                while (chunk := source.read(_CHUNK)) and size <= 50 * MAX_SOUND_BYTES:  # a bomb's: counted so far
                    size += len(chunk)
        except (PackageError, zipfile.BadZipFile, zstandard.ZstdError, EOFError, OSError):
            return "is damaged in the package"
        return too_big(size) if size > MAX_SOUND_BYTES else "is damaged in the package"


def package_version(archive: zipfile.ZipFile, name: str) -> int:
    """PackageMetadata.version (field 1) from `meta`, or the legacy version the collection file's name implies."""
    names = set(archive.namelist())
    if "meta" not in names:
        return 2 if "collection.anki21" in names else 1
    try:
        version = protobuf.integer(protobuf.decode(_read(archive, "meta", False, name, 1024)), 1)
    except protobuf.ProtobufError:
        raise PackageError(f"{name}: its `meta` file is damaged; export the package again from Anki") from None
    if version not in VERSIONS:
        raise PackageError(
            f"{name} was made by a newer Anki (package version {version}; quiz reads versions 1 to {LATEST}):"
            f" {OLDER_ANKI_HINT}"
        )
    return version


def media_map(archive: zipfile.ZipFile, compressed: bool, name: str) -> dict[str, str]:
    """Zip member -> media file name. Legacy: JSON {"0": "a.jpg"}; current: zstd MediaEntries, whose entries
    (field 1: name 1, size 2, sha1 3, legacy_zip_filename 255) are the members "0", "1", ... in order."""
    if "media" not in archive.namelist():
        return {}
    raw = _read(archive, "media", compressed, name, MAX_MEDIA_MAP)
    try:
        if not compressed:
            entries = json.loads(raw.decode("utf-8")) if raw.strip() else {}
            if not isinstance(entries, dict):
                raise ValueError("not an object")
            return {str(k): str(v) for k, v in entries.items()}
        found = {}
        for index, entry in enumerate(protobuf.messages(protobuf.decode(raw), 1)):
            member = protobuf.integer(entry, 255, index)
            found[str(member)] = protobuf.text(entry, 1)
        return found
    except (ValueError, protobuf.ProtobufError):
        raise PackageError(f"{name}: its media list is damaged; export the package again from Anki") from None


def _open(archive: zipfile.ZipFile, member: str, compressed: bool, name: str) -> IO[bytes]:
    try:
        stream = archive.open(member)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError) as exc:  # damaged, encrypted, unknown method
        raise PackageError(f"{name}: {member} cannot be opened ({exc}); export the package again from Anki") from None
    if compressed:
        return zstandard.ZstdDecompressor().stream_reader(stream, closefd=True)
    return stream


def _copy(source: IO[bytes], target: IO[bytes], member: str, name: str, limit: int) -> None:
    """Copy at most `limit` bytes; the sizes a zip or a zstd frame declares are never believed."""
    written = 0
    try:
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            if written > limit:
                raise PackageError(
                    f"{name}: {member} unpacks to more than {limit:,} bytes; this is not a package quiz can read"
                    " (a damaged or hostile file?)"
                )
            target.write(chunk)
    except (zipfile.BadZipFile, zstandard.ZstdError, EOFError, OSError) as exc:
        if isinstance(exc, OSError) and exc.errno is not None:  # the disk, not the package
            raise PackageError(f"{name}: cannot unpack {member}: {exc.strerror}; is the disk full?") from None
        raise PackageError(f"{name}: {member} is damaged ({exc}); export the package again from Anki") from None


def _read(archive: zipfile.ZipFile, member: str, compressed: bool, name: str, limit: int) -> bytes:
    buffer = io.BytesIO()
    with _open(archive, member, compressed, name) as source:
        _copy(source, buffer, member, name, limit)
    return buffer.getvalue()


@contextmanager
def _extracted(archive: zipfile.ZipFile, member: str, compressed: bool, name: str, limit: int) -> Iterator[Path]:
    """The member unpacked into a temporary file (sqlite3 reads only files), removed afterwards."""
    try:
        folder = Path(tempfile.mkdtemp(prefix="quiz-anki-"))
    except OSError as exc:
        raise PackageError(f"{name}: cannot make a temporary folder to unpack it: {exc.strerror or exc}") from None
    try:
        path = folder / "collection.sqlite"
        with _open(archive, member, compressed, name) as source, open(path, "wb") as target:
            _copy(source, target, member, name, limit)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)
