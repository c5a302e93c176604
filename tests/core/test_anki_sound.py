"""An Anki package's sound files (those its notes' `[sound:name]` references name) come in beside the deck as its
pictures do: under safe, unique names, kept by a re-import, named when the package lacks one; and quiz's .apkg
carries them back, so Anki plays them again."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from quiz.commands import importing
from quiz.core.decks import load_deck_file
from quiz.core.exporters import export_deck
from quiz.core.importers.readers import yamldeck as yamldeck_reader
from quiz.core.kinds import texts
from quiz.core.model import Deck
from tests.conftest import imported_into_anki
from tests.conftest import run_cli as run
from tests.core.test_anki_media import repackaged
from tests.core.test_reimport_pictures import snapshot_at_write

HELLO = b"ID3\x04\x00hello, a pronunciation"  # the bytes differ from every other file's
BYE = b"OggS\x00goodbye"


def sound_package(folder: Path, fields: str, media: dict[str, bytes]) -> Path:
    """legacy1.apkg, as `folder`/hostile.apkg, with its image-only note's Front set to `fields` and the package's
    media `media` (name -> bytes) beside its picture."""
    names = {str(number): name for number, name in enumerate(media, start=1)}
    files = {str(number): data for number, data in enumerate(media.values(), start=1)}
    return repackaged(folder, fields, {"0": "pixel.png", **names}, {"0": b"", **files})


def quiz_import(capsys: pytest.CaptureFixture[str], data: Path, source: Path, *options: str) -> tuple[str, str]:
    """`quiz --data-dir DATA import SOURCE OPTIONS`, which must succeed: what it printed (stdout, stderr)."""
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(source), *options)
    assert code == 0, err
    return out, err


def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str], fields: str, media: dict[str, bytes]) -> Path:
    """`quiz import` of `sound_package(tmp_path, fields, media)`; the data folder it went into."""
    data = tmp_path / "data"
    out, err = quiz_import(capsys, data, sound_package(tmp_path, fields, media))
    assert "\x07" not in out + err  # a name's control character never reaches the terminal raw
    return data


def media_of(data: Path, deck_id: str = "hostile") -> Path:
    """The folder the deck `deck_id` imported into `data` keeps its pictures and sound files in."""
    return data / "decks" / f"{deck_id}-media"


def names_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def yaml_copy(tmp_path: Path, data: Path) -> Path:
    """The deck imported into `data` exported as out/words.yaml (its media beside it, in out/hostile-media)."""
    (tmp_path / "out").mkdir()
    export_deck(deck_of(data), tmp_path / "out" / "words.yaml", 1_700_000_000.0)
    return tmp_path / "out" / "words.yaml"


def deck_of(data: Path) -> Deck:
    return deck_of_file(data / "decks" / "hostile.yaml")


def deck_of_file(path: Path) -> Deck:
    loaded = load_deck_file(path)
    assert loaded.deck is not None and loaded.problems == [], [str(p) for p in loaded.problems]
    return loaded.deck


def sounds_of(deck: Deck) -> list[tuple[str, ...]]:
    """The names each note's `[sound:name]` references give, for the notes that have any."""
    found = [
        tuple(name for text in texts(note) for name in re.findall(r"\[sound:([^\]]*)\]", text)) for note in deck.notes
    ]
    return [names for names in found if names]


def test_the_sound_files_come_in_beside_the_deck_with_the_pictures(tmp_path: Path, capsys) -> None:
    fields = '<img src="pixel.png">Say it: [sound:hello.mp3] then [sound:bye.ogg]'
    data = imported(tmp_path, capsys, fields, {"hello.mp3": HELLO, "bye.ogg": BYE})
    folder = media_of(data)
    assert (folder / "hello.mp3").read_bytes() == HELLO and (folder / "bye.ogg").read_bytes() == BYE
    deck = deck_of(data)
    assert sounds_of(deck) == [("hello.mp3", "bye.ogg")]  # the references stay as the text wrote them
    record = json.loads((data / "decks" / "hostile.import.json").read_text(encoding="utf-8"))
    assert {"hostile-media/hello.mp3", "hostile-media/bye.ogg"} <= set(record["pictures"])


def test_a_sound_the_package_lacks_is_named_and_its_note_comes_in_with_the_reference(tmp_path: Path, capsys) -> None:
    fields = '<img src="pixel.png">[sound:gone.mp3] [sound:hello.mp3]'
    data = tmp_path / "data"
    _out, err = quiz_import(capsys, data, sound_package(tmp_path, fields, {"hello.mp3": HELLO}))
    assert "hostile.apkg:14:1: warning: its sound 'gone.mp3' is not in the package" in err
    assert "hello.mp3' is not" not in err
    assert names_in(media_of(data)) == ["hello.mp3", "pixel.png"]
    assert sounds_of(deck_of(data)) == [("gone.mp3", "hello.mp3")]


def test_hostile_and_clashing_names_stay_inside_the_folder_and_the_text_names_the_kept_file(
    tmp_path: Path, capsys
) -> None:
    fields = '<img src="pixel.png">[sound:../../evil.mp3] [sound:be\x07ll.mp3] [sound:Hello.mp3] [sound:hello.mp3]'
    media = {"../../evil.mp3": b"evil", "be\x07ll.mp3": b"bell", "Hello.mp3": BYE, "hello.mp3": HELLO}
    data = imported(tmp_path, capsys, fields, media)
    kept = {path.name: path.read_bytes() for path in media_of(data).iterdir() if path.suffix == ".mp3"}
    assert kept == {"_.._evil.mp3": b"evil", "be_ll.mp3": b"bell", "Hello.mp3": BYE, "hello-2.mp3": HELLO}
    assert not (tmp_path / "evil.mp3").exists() and not (data / "evil.mp3").exists()
    # each reference names the file its sound is kept in, so the key opens the right one
    assert sounds_of(deck_of(data)) == [("_.._evil.mp3", "be_ll.mp3", "Hello.mp3", "hello-2.mp3")]


def test_a_reimport_keeps_the_sounds_and_brings_back_one_you_deleted(tmp_path: Path, capsys) -> None:
    fields = '<img src="pixel.png">[sound:hello.mp3]'
    data = imported(tmp_path, capsys, fields, {"hello.mp3": HELLO})
    package, sound = tmp_path / "hostile.apkg", media_of(data) / "hello.mp3"
    record = (data / "decks" / "hostile.import.json").read_bytes()
    quiz_import(capsys, data, package)
    assert sound.read_bytes() == HELLO
    assert (data / "decks" / "hostile.import.json").read_bytes() == record  # the same import again: nothing new
    sound.unlink()
    quiz_import(capsys, data, package)
    assert sound.read_bytes() == HELLO  # a note still names it: written again


def test_a_package_without_its_sound_keeps_the_file_the_last_import_wrote(tmp_path: Path, capsys) -> None:
    """The next package (exported without media) names `../../evil.mp3` and lacks it: the note keeps the file the
    first import wrote for it (`_.._evil.mp3`, still in the folder), as its pictures do, unchanged, nothing said.
    It was updated to `[sound:../../evil.mp3]`, naming no file, and warned the package lacked it."""
    fields = '<img src="pixel.png">[sound:../../evil.mp3]'
    data = imported(tmp_path, capsys, fields, {"../../evil.mp3": HELLO})
    deck = data / "decks" / "hostile.yaml"
    before = deck.read_bytes()
    package = repackaged(tmp_path, fields, {"0": "pixel.png"}, {"0": b""})
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(package))
    assert code == 0, err
    assert "0 updated, 0 new, 19 unchanged, 0 gone" in out and "its sound" not in err
    assert "pictures and sound files kept as the deck has them, on 1 note: hostile.apkg lacks them" in out
    assert deck.read_bytes() == before and sounds_of(deck_of(data)) == [("_.._evil.mp3",)]
    assert (data / "decks" / "hostile-media" / "_.._evil.mp3").read_bytes() == HELLO


def test_a_package_without_a_sound_you_deleted_says_no_file_is_written_for_it(tmp_path: Path, capsys) -> None:
    """hello.mp3 deleted from the deck's folder, then a package without media: its reference stays as written,
    naming no file. The warning said the file an earlier import kept "stays as it was", though it was gone."""
    fields = '<img src="pixel.png">[sound:hello.mp3]'
    data = imported(tmp_path, capsys, fields, {"hello.mp3": HELLO})
    (media_of(data) / "hello.mp3").unlink()
    _out, err = quiz_import(capsys, data, repackaged(tmp_path, fields, {"0": "pixel.png"}, {"0": b""}))
    assert (
        "warning: its sound 'hello.mp3' is not in the package; its [sound:...] reference stays as written; a file an"
        " earlier import wrote under its name stays, if you kept it"
    ) in err
    assert "stays as it was" not in err and not (media_of(data) / "hello.mp3").exists()
    assert sounds_of(deck_of(data)) == [("hello.mp3",)]


def test_a_sound_you_changed_is_yours_at_the_next_version(tmp_path: Path, capsys) -> None:
    fields = '<img src="pixel.png">[sound:hello.mp3]'
    data = imported(tmp_path, capsys, fields, {"hello.mp3": HELLO})
    sound = media_of(data) / "hello.mp3"
    assert sound.read_bytes() == HELLO
    sound.write_bytes(b"my own recording")
    quiz_import(capsys, data, tmp_path / "hostile.apkg")
    assert sound.read_bytes() == b"my own recording"


def test_the_exported_package_carries_the_sounds_back_and_anki_finds_them(tmp_path: Path, capsys) -> None:
    fields = '<img src="pixel.png">[sound:../../evil.mp3] and [sound:hello.mp3]'
    data = imported(tmp_path, capsys, fields, {"../../evil.mp3": b"evil", "hello.mp3": HELLO})
    deck = deck_of(data)
    export_deck(deck, tmp_path / "out.apkg", 1_700_000_000.0)
    with zipfile.ZipFile(tmp_path / "out.apkg") as package:
        media = json.loads(package.read("media"))
        files = {name: package.read(number) for number, name in media.items()}
    assert files["_.._evil.mp3"] == b"evil" and files["hello.mp3"] == HELLO
    with imported_into_anki(tmp_path / "out.apkg", tmp_path / "anki") as col:
        fronts = [col.get_note(nid).fields[0] for nid in col.find_notes("sound")]
        assert any("[sound:_.._evil.mp3] and [sound:hello.mp3]" in front for front in fronts), fronts
        assert not col.media.check().missing  # every sound a field names is in Anki's media folder
        assert (Path(col.media.dir()) / "hello.mp3").read_bytes() == HELLO


def test_an_export_then_import_gives_the_sounds_back_byte_for_byte(tmp_path: Path, capsys) -> None:
    fields = '<img src="pixel.png">[sound:hello.mp3]'
    data = imported(tmp_path, capsys, fields, {"hello.mp3": HELLO})
    export_deck(deck_of(data), tmp_path / "again.apkg", 1_700_000_000.0)
    again = tmp_path / "again-data"
    quiz_import(capsys, again, tmp_path / "again.apkg")
    assert (media_of(again) / "hello.mp3").read_bytes() == HELLO


def test_a_sound_an_import_killed_before_its_deck_wrote_is_quiz_s_at_the_next_version(
    tmp_path: Path,
    capsys,  # noqa: ANN001
    monkeypatch,  # noqa: ANN001
) -> None:
    """The pending file names the sound files as it names the pictures: a kill after they were written leaves them
    known as quiz's, so the next version's sound takes their place rather than being kept as hers."""
    fields = '<img src="pixel.png">[sound:hello.mp3]'
    versions = {}
    for version, sound in (("v1", HELLO), ("v2", BYE)):
        (tmp_path / version).mkdir()
        versions[version] = sound_package(tmp_path / version, fields, {"hello.mp3": sound})
    data, kept = tmp_path / "data", tmp_path / "kept"
    snapshot_at_write(monkeypatch, data, kept)
    run(capsys, "--data-dir", str(data), "import", str(versions["v1"]))
    monkeypatch.undo()
    shutil.rmtree(data / "decks")
    shutil.copytree(kept, data / "decks")
    for staged in (data / "decks").glob(".*.tmp"):  # the deck and record never moved into place
        staged.unlink()
    sound = media_of(data) / "hello.mp3"
    assert sound.read_bytes() == HELLO and (data / "decks" / "hostile.import-pending.json").exists()
    quiz_import(capsys, data, versions["v2"])
    assert sound.read_bytes() == BYE


def test_a_yaml_export_copies_the_sound_files_beside_the_deck_and_an_import_of_it_brings_them(
    tmp_path: Path, capsys
) -> None:
    fields = '<img src="pixel.png">[sound:hello.mp3] [sound:gone.mp3]'
    data = imported(tmp_path, capsys, fields, {"hello.mp3": HELLO})
    copy = yaml_copy(tmp_path, data)
    assert (tmp_path / "out" / "hostile-media" / "hello.mp3").read_bytes() == HELLO
    assert not (tmp_path / "out" / "hostile-media" / "gone.mp3").exists()  # not there: its reference stays as text
    assert sounds_of(deck_of_file(copy)) == [("hello.mp3", "gone.mp3")]
    # and `quiz import` of that copy under another id brings the sound file into its own media folder
    _out, err = quiz_import(capsys, data, copy, "--deck-id", "copy")
    assert "its sound 'hostile-media/gone.mp3' cannot be read" in err
    assert (media_of(data, "copy") / "hello.mp3").read_bytes() == HELLO
    assert sounds_of(deck_of_file(data / "decks" / "copy.yaml")) == [("hello.mp3", "gone.mp3")]


def test_a_new_version_s_sound_named_as_a_file_of_yours_takes_another_name_and_its_reference_follows(
    tmp_path: Path, capsys
) -> None:
    data = imported(tmp_path, capsys, '<img src="pixel.png">[sound:hello.mp3]', {"hello.mp3": HELLO})
    media = media_of(data)
    (media / "new.mp3").write_bytes(b"my own recording")  # put there by her, for a note of her own
    (tmp_path / "v2").mkdir()
    fields = '<img src="pixel.png">[sound:hello.mp3] [sound:new.mp3]'
    quiz_import(capsys, data, sound_package(tmp_path / "v2", fields, {"hello.mp3": HELLO, "new.mp3": BYE}))
    assert (media / "new.mp3").read_bytes() == b"my own recording"  # hers, untouched
    assert (media / "new-2.mp3").read_bytes() == BYE
    assert sounds_of(deck_of(data)) == [("hello.mp3", "new-2.mp3")]


NOT_AUDIO = "is not an audio or video file quiz opens"
ENDS_IN_A_DOT = "ends in a space or a dot, which Windows drops from a file name"  # what `h` says of it too


@pytest.mark.parametrize(
    ("name", "why"),
    [
        *((name, NOT_AUDIO) for name in ["play.bat", "run.exe", "x.vbs", "x.lnk", "x.desktop", "x.hta"]),
        ("play.mp3.", ENDS_IN_A_DOT),
        ("play.mp3 ", ENDS_IN_A_DOT),
    ],
)
def test_a_sound_that_is_no_audio_or_video_file_is_not_kept_and_its_reference_stays_as_text(
    tmp_path: Path, capsys, name: str, why: str
) -> None:
    """`h` opens a sound with the system's "open": a program named as a sound would run."""
    fields = f'<img src="pixel.png">[sound:{name}] [sound:hello.mp3]'
    package = sound_package(tmp_path, fields, {name: b"calc.exe\r\n", "hello.mp3": HELLO})
    data = tmp_path / "data"
    _out, err = quiz_import(capsys, data, package)
    assert f"warning: its sound {name!r} {why}; its [sound:...] reference stays as text" in err
    assert names_in(media_of(data)) == ["hello.mp3", "pixel.png"]
    assert sounds_of(deck_of(data)) == [(name, "hello.mp3")]


def test_a_picture_named_as_a_program_is_kept_under_its_format_s_name_and_no_sound_names_it(
    tmp_path: Path, capsys
) -> None:
    """A PNG named `pic.bat` was kept so, and `[sound:pic.bat]` pointed at it: the system's "open" runs it."""
    data = tmp_path / "data"
    package = sound_package(tmp_path, '<img src="pic.bat">[sound:pic.bat]', {"pic.bat": b""})  # b"": the pixel
    _out, err = quiz_import(capsys, data, package)
    assert "hostile.apkg:14:1: warning: its picture 'pic.bat' is a PNG picture: kept as 'pic.png'" in err
    assert "warning: its sound 'pic.bat' is not an audio or video file quiz opens" in err
    assert names_in(media_of(data)) == ["pic.png"]
    assert [note.images for note in deck_of(data).notes if note.images] == [("hostile-media/pic.png",)]
    assert sounds_of(deck_of(data)) == [("pic.bat",)]  # as text: no file of that name


def _imported_again_without_media(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: Path, fields: str
) -> list[str]:
    """The package imported into `data` imported again, then exported without media (its pixel alone): what each
    import says, each checked to change no note and to leave a deck that loads."""
    said = []
    for package in (
        tmp_path / "hostile.apkg",
        repackaged(tmp_path / "nomedia", fields, {"0": "pixel.png"}, {"0": b""}),
    ):
        out, err = quiz_import(capsys, data, package)
        assert "0 updated, 0 new, 19 unchanged" in out, out
        deck_of(data)  # loads, with no problem
        said.append(out + err)
    return said


def test_an_img_naming_a_sound_file_never_takes_the_sound_s_file_at_a_reimport(tmp_path: Path, capsys) -> None:
    """`<img src="s.mp3">` beside `[sound:s.mp3]`: a re-import gave the note `image: hostile-media/s.mp3` (the
    sound's file, which the record names), and the deck no longer loaded ("is not a picture")."""
    fields = '<img src="pixel.png">[sound:s.mp3] <img src="s.mp3">'
    data = imported(tmp_path, capsys, fields, {"s.mp3": HELLO})
    (tmp_path / "nomedia").mkdir()
    again, without_media = _imported_again_without_media(tmp_path, capsys, data, fields)
    assert "its picture 's.mp3' is not in the package" in again and "exported without media" not in again
    assert "its picture 's.mp3' is not in the package" in without_media
    assert [note.images for note in deck_of(data).notes if note.images] == [("hostile-media/pixel.png",)]
    assert sounds_of(deck_of(data)) == [("s.mp3",)] and (media_of(data) / "s.mp3").read_bytes() == HELLO


def test_a_picture_named_as_a_sound_never_names_its_file_as_the_sound_at_a_reimport(tmp_path: Path, capsys) -> None:
    """A PNG named `x.mp3` (kept as x.png) and `[sound:x.mp3]`: a re-import made it `[sound:x.png]`, the
    picture's file, which docs/import-export.md says never happens."""
    fields = '<img src="x.mp3">[sound:x.mp3]'
    data = imported(tmp_path, capsys, fields, {"x.mp3": b""})  # b"": the pixel
    (tmp_path / "nomedia").mkdir()
    again, without_media = _imported_again_without_media(tmp_path, capsys, data, fields)
    assert "its sound 'x.mp3' is not an audio or video file quiz opens" in again and "without media" not in again
    assert "its sound 'x.mp3' is not in the package" in without_media
    assert sounds_of(deck_of(data)) == [("x.mp3",)]  # as text: no file of that name
    assert [note.images for note in deck_of(data).notes if note.images] == [("hostile-media/x.png",)]


def test_a_picture_the_package_holds_unreadable_keeps_the_file_the_last_import_wrote(tmp_path: Path, capsys) -> None:
    """The next package holds pic2.png, but as bytes that are no picture (broken in Anki's media folder): the note
    keeps the picture the first import wrote, as when the package lacks it, and says so. It was updated without it
    ("1 updated"), pic2.png left in the folder, shown by no note."""
    fields = '<img src="pixel.png">[sound:hello.mp3] <img src="pic2.png">'
    data = imported(tmp_path, capsys, fields, {"hello.mp3": HELLO, "pic2.png": b""})  # b"": the pixel
    deck = data / "decks" / "hostile.yaml"
    before = deck.read_bytes()
    (tmp_path / "broken").mkdir()
    broken = sound_package(tmp_path / "broken", fields, {"hello.mp3": HELLO, "pic2.png": b"not a picture at all"})
    out, err = quiz_import(capsys, data, broken)
    assert "0 updated, 0 new, 19 unchanged" in out, out
    assert (
        "pictures and sound files kept as the deck has them, on 1 note: hostile.apkg lacks them or holds them"
        " unreadable (exported without media, or gone from or broken in Anki's media folder?)"
    ) in out
    assert "its picture 'pic2.png'" not in err
    assert deck.read_bytes() == before
    assert [note.images for note in deck_of(data).notes if note.images] == [
        ("hostile-media/pixel.png", "hostile-media/pic2.png")
    ]


def test_a_sound_name_with_nbsp_names_the_file_anki_plays_a_plain_space(tmp_path: Path, capsys) -> None:
    """Anki reads `&nbsp;` in a `[sound:...]` name as a plain space (its media folder has `nb sp.mp3`)."""
    fields = '<img src="pixel.png">[sound:nb&nbsp;sp.mp3]'
    data = tmp_path / "data"
    _out, err = quiz_import(capsys, data, sound_package(tmp_path, fields, {"nb sp.mp3": HELLO}))
    assert "sp.mp3' is not in the package" not in err
    assert (media_of(data) / "nb sp.mp3").read_bytes() == HELLO
    assert sounds_of(deck_of(data)) == [("nb sp.mp3",)]


LECTURE = b"\x00\x00\x00\x20ftypisom" + bytes(21 * 1024 * 1024)  # 21 MB: more than quiz keeps


def test_a_sound_too_big_to_keep_is_said_to_be_so_with_its_size_and_the_limit(tmp_path: Path, capsys) -> None:
    fields = '<img src="pixel.png">[sound:lecture.mp4] [sound:hello.mp3]'
    data = tmp_path / "data"
    _out, err = quiz_import(capsys, data, sound_package(tmp_path, fields, {"lecture.mp4": LECTURE, "hello.mp3": HELLO}))
    assert "its sound 'lecture.mp4' is too big (21.0 MB; quiz keeps sound files of 20.0 MB at most)" in err
    assert "not in the package" not in err.split("lecture.mp4", 1)[1].split("\n", 1)[0]
    assert names_in(media_of(data)) == ["hello.mp3", "pixel.png"]
    assert sounds_of(deck_of(data)) == [("lecture.mp4", "hello.mp3")]


def test_a_yaml_deck_s_sound_too_big_to_keep_is_said_so_and_not_copied(tmp_path: Path, capsys) -> None:
    data = imported(
        tmp_path, capsys, '<img src="pixel.png">[sound:hello.mp3] [sound:lecture.mp4]', {"hello.mp3": HELLO}
    )
    copy = yaml_copy(tmp_path, data)
    (tmp_path / "out" / "hostile-media" / "lecture.mp4").write_bytes(LECTURE)
    _out, err = quiz_import(capsys, data, copy, "--deck-id", "copy")
    assert (
        "its sound 'hostile-media/lecture.mp4' is too big (21.0 MB; quiz keeps sound files of 20.0 MB at most)" in err
    )
    assert names_in(media_of(data, "copy")) == ["hello.mp3", "pixel.png"]


def test_a_picture_named_as_one_as_windows_reads_it_is_kept_without_a_warning(tmp_path: Path, capsys) -> None:
    """`pic.png.` is a PNG's name as Windows reads it (the dot dropped, as the name made safe drops it)."""
    data = tmp_path / "data"
    _out, err = quiz_import(capsys, data, sound_package(tmp_path, '<img src="pic.png.">', {"pic.png.": b""}))
    assert "is a PNG picture" not in err
    assert names_in(media_of(data)) == ["pic.png"]


def test_a_picture_named_as_another_format_keeps_its_name_without_a_warning(tmp_path: Path, capsys) -> None:
    """A JPEG named `x.png` (common in shared decks) was renamed `x.jpg` with a warning: any picture's suffix opens
    in a viewer, none runs as a program."""
    data = tmp_path / "data"
    media = {"photo.jpg": b"", "g.png": b"GIF89a" + bytes(40)}  # b"": the pixel, a PNG
    _out, err = quiz_import(capsys, data, sound_package(tmp_path, '<img src="photo.jpg"><img src="g.png">', media))
    assert "picture: kept as" not in err
    assert names_in(media_of(data)) == ["g.png", "photo.jpg"]
    assert [note.images for note in deck_of(data).notes if note.images] == [
        ("hostile-media/photo.jpg", "hostile-media/g.png")
    ]


def test_a_picture_renamed_for_its_format_takes_a_numbered_name_not_that_of_one_named_so(
    tmp_path: Path, capsys
) -> None:
    """`pic.bat` (a PNG) renamed `pic.png` took that name from the package's own `pic.png`, which became `pic-2.png`."""
    data = tmp_path / "data"
    media = {"pic.bat": b"", "pic.png": b"GIF89a" + bytes(40)}
    _out, err = quiz_import(capsys, data, sound_package(tmp_path, '<img src="pic.bat"><img src="pic.png">', media))
    assert "warning: its picture 'pic.bat' is a PNG picture: kept as 'pic-2.png'" in err
    assert (media_of(data) / "pic.png").read_bytes().startswith(b"GIF89a")
    assert [note.images for note in deck_of(data).notes if note.images] == [
        ("hostile-media/pic-2.png", "hostile-media/pic.png")
    ]


def test_a_picture_an_earlier_quiz_kept_as_pic_bat_is_renamed_by_the_import_again(tmp_path: Path, capsys) -> None:
    """A deck an earlier quiz imported with `pic.bat` (a PNG) no longer loads; the same package imported again said
    "kept as 'pic.png'" but kept `pic.bat`: the deck still did not load."""
    data = tmp_path / "data"
    package = sound_package(tmp_path, '<img src="pic.bat">', {"pic.bat": b""})
    quiz_import(capsys, data, package)
    _as_an_earlier_quiz_kept(data, "pic.png", "pic.bat")
    assert not load_deck_file(data / "decks" / "hostile.yaml").ok
    _out, err = quiz_import(capsys, data, package)
    assert "kept as 'pic.png'" in err
    assert names_in(media_of(data)) == ["pic.bat", "pic.png"]  # hers stays: nothing she has is lost
    assert [note.images for note in deck_of(data).notes if note.images] == [("hostile-media/pic.png",)]
    record = json.loads((data / "decks" / "hostile.import.json").read_text(encoding="utf-8"))
    assert record["names"] == {"pic.bat": "pic.png"} and "hostile-media/pic.png" in record["pictures"]


def _as_an_earlier_quiz_kept(data: Path, name: str, earlier: str) -> None:
    """The deck imported into `data` as a quiz before 369a9646 left it: its picture `name` kept as `earlier`."""
    (media_of(data) / name).rename(media_of(data) / earlier)
    deck = data / "decks" / "hostile.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace(f"media/{name}", f"media/{earlier}"), encoding="utf-8")
    path = data / "decks" / "hostile.import.json"
    record = path.read_text(encoding="utf-8").replace(f"media/{name}", f"media/{earlier}")
    path.write_text(record.replace(f'"{name}"', f'"{earlier}"'), encoding="utf-8")


def test_a_yaml_deck_s_misnamed_picture_is_renamed_as_a_package_s(tmp_path: Path, capsys) -> None:
    """A YAML deck's `image: hostile-media/pic.bat` (a PNG) was dropped as missing at its import."""
    data = imported(tmp_path, capsys, '<img src="pic.png">', {"pic.png": b""})
    copy = yaml_copy(tmp_path, data)
    (tmp_path / "out" / "hostile-media" / "pic.png").rename(tmp_path / "out" / "hostile-media" / "pic.bat")
    copy.write_text(copy.read_text(encoding="utf-8").replace("media/pic.png", "media/pic.bat"), encoding="utf-8")
    _out, err = quiz_import(capsys, data, copy, "--deck-id", "copy")
    assert "its picture 'hostile-media/pic.bat' is a PNG picture: kept as 'pic.png'" in err
    assert "pic.png" in names_in(media_of(data, "copy"))
    assert [n.images for n in deck_of_file(data / "decks" / "copy.yaml").notes if n.images] == [("copy-media/pic.png",)]


def test_a_yaml_deck_s_misnamed_picture_beside_a_missing_one_is_not_said_to_be_left_out(tmp_path: Path, capsys) -> None:
    """With another picture missing, the loader's words on `pic.bat` came too: "the card comes without it"."""
    data = imported(tmp_path, capsys, '<img src="pic.png"><img src="b.png">', {"pic.png": b"", "b.png": b"GIF89a"})
    copy = yaml_copy(tmp_path, data)
    (tmp_path / "out" / "hostile-media" / "pic.png").rename(tmp_path / "out" / "hostile-media" / "pic.bat")
    (tmp_path / "out" / "hostile-media" / "b.png").unlink()
    copy.write_text(copy.read_text(encoding="utf-8").replace("media/pic.png", "media/pic.bat"), encoding="utf-8")
    _out, err = quiz_import(capsys, data, copy, "--deck-id", "copy")
    assert "image 'hostile-media/b.png' does not exist" in err
    assert "kept as 'pic.png'" in err and "whose name does not end as a picture's" not in err
    assert [n.images for n in deck_of_file(data / "decks" / "copy.yaml").notes if n.images] == [("copy-media/pic.png",)]


def test_a_yaml_deck_s_picture_named_as_one_as_windows_reads_it_comes_in(tmp_path: Path, capsys) -> None:
    """`x.png.` is a PNG's name as Windows reads it: a YAML deck's `image:` so named is no misnamed picture."""
    data = imported(tmp_path, capsys, '<img src="x.png">', {"x.png": b""})
    copy = yaml_copy(tmp_path, data)
    (tmp_path / "out" / "hostile-media" / "x.png").rename(tmp_path / "out" / "hostile-media" / "x.png.")
    copy.write_text(
        copy.read_text(encoding="utf-8").replace("hostile-media/x.png", "'hostile-media/x.png.'"), encoding="utf-8"
    )
    _out, err = quiz_import(capsys, data, copy, "--deck-id", "copy")
    assert "x.png." not in err
    assert [n.images for n in deck_of_file(data / "decks" / "copy.yaml").notes if n.images] == [("copy-media/x.png",)]


def test_a_sound_too_big_that_an_earlier_quiz_kept_is_said_to_stay_as_it_was(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A quiz with no limit copied lecture.mp4; at the next version's import the warning said its reference stays
    as text, though the file stayed beside the deck, recorded, and `h` opened it."""
    data = imported(
        tmp_path, capsys, '<img src="pixel.png">[sound:hello.mp3] [sound:lecture.mp4]', {"hello.mp3": HELLO}
    )
    copy = yaml_copy(tmp_path, data)
    (tmp_path / "out" / "hostile-media" / "lecture.mp4").write_bytes(LECTURE)
    with monkeypatch.context() as older:
        older.setattr(yamldeck_reader, "MAX_SOUND_BYTES", 2 * len(LECTURE))
        quiz_import(capsys, data, copy, "--deck-id", "copy")
    kept = media_of(data, "copy") / "lecture.mp4"
    assert kept.stat().st_size == len(LECTURE)
    (tmp_path / "out" / "hostile-media" / "lecture.mp4").write_bytes(LECTURE + b"a new version")
    _out, err = quiz_import(capsys, data, copy, "--deck-id", "copy")
    warning = next(line for line in err.splitlines() if "'hostile-media/lecture.mp4'" in line)
    assert "is too big (21.0 MB; quiz keeps sound files of 20.0 MB at most)" in warning
    assert "stays as text" not in warning and "a file an earlier import wrote under its name stays" in warning
    assert kept.stat().st_size == len(LECTURE)
    record = json.loads((data / "decks" / "copy.import.json").read_text(encoding="utf-8"))
    assert "copy-media/lecture.mp4" in record["pictures"]
    assert sounds_of(deck_of_file(data / "decks" / "copy.yaml")) == [("hello.mp3", "lecture.mp4")]


def test_a_sound_you_changed_that_the_new_version_changes_too_is_named_a_sound_not_a_picture(
    tmp_path: Path, capsys
) -> None:
    fields = '<img src="pixel.png">[sound:hello.mp3]'
    data = imported(tmp_path, capsys, fields, {"hello.mp3": HELLO})
    (media_of(data) / "hello.mp3").write_bytes(b"my own recording")
    package = sound_package(tmp_path, fields, {"hello.mp3": BYE})
    out, err = quiz_import(capsys, data, package)
    assert "1 sound file kept as you have it" in out + err
    assert "picture" not in (out + err).split("kept as you have it")[0].rsplit("\n", 1)[-1]
    out, err = quiz_import(capsys, data, package, "--replace")
    assert "of 1 sound file you had changed" in out + err


def test_a_deck_naming_no_sound_is_never_searched_note_by_note_for_one(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Most decks name no sound: exporting or importing one reads no note for its sounds, one check says so."""
    from quiz.core.exporters import apkg, apkgmedia, yamldeck
    from quiz.core.importers.readers import yamldeck as yaml_reader
    from tests.core.test_yaml_deck_pictures import deck_with_pictures

    def searched(*_args: object) -> tuple[str, ...]:
        raise AssertionError("the notes were searched for sounds")

    monkeypatch.setattr(apkgmedia, "note_sounds", searched)
    monkeypatch.setattr(apkg, "with_sounds_renamed", searched)
    monkeypatch.setattr(yamldeck, "sound_paths", searched)
    monkeypatch.setattr(yaml_reader, "sound_paths", searched)
    deck = deck_of_file(deck_with_pictures(tmp_path / "src"))
    (tmp_path / "out").mkdir()
    export_deck(deck, tmp_path / "out" / "d.apkg", 1_700_000_000.0)
    export_deck(deck, tmp_path / "out" / "d.yaml", 1_700_000_000.0)
    quiz_import(capsys, tmp_path / "data", tmp_path / "out" / "d.yaml")


def test_a_failure_after_the_files_counts_the_sound_files_apart_from_the_pictures(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next version's sound written, then the deck cannot be: the error said "1 picture written in …"."""
    fields = '<img src="pixel.png">[sound:hello.mp3]'
    data = imported(tmp_path, capsys, fields, {"hello.mp3": HELLO})
    package = repackaged(tmp_path, fields, {"0": "pixel.png", "1": "hello.mp3"}, {"0": b"", "1": BYE})
    deck = data / "decks" / "hostile.yaml"

    def failing(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device", str(deck))

    monkeypatch.setattr(importing, "_write", failing)
    code, _out, err = run(capsys, "--data-dir", str(data), "import", str(package))
    assert code != 0
    folder = data / "decks" / "hostile-media"
    assert f"No space left on device; 1 sound file written in {folder} (known as quiz's" in err, err
    assert (folder / "hello.mp3").read_bytes() == BYE


def test_the_summary_counts_the_sound_files_apart_from_the_pictures(tmp_path: Path, capsys) -> None:
    """It said "3 pictures in …" of a picture and two sound files."""
    fields = '<img src="pixel.png">Say it: [sound:hello.mp3] then [sound:bye.ogg]'
    out, _err = quiz_import(
        capsys, tmp_path / "data", sound_package(tmp_path, fields, {"hello.mp3": HELLO, "bye.ogg": BYE})
    )
    folder = media_of(tmp_path / "data")
    assert names_in(folder) == ["bye.ogg", "hello.mp3", "pixel.png"]
    assert f"\n1 picture and 2 sound files in {folder}\n" in out, out


def test_a_picture_named_for_its_format_is_said_so_only_by_the_import_that_names_it(tmp_path: Path, capsys) -> None:
    """`pic.bat` (a PNG), kept as `pic.png` by the first import: the same package again (the deck has `pic.png`
    already) said "kept as 'pic.png'" at every import, as if it renamed something."""
    data = tmp_path / "data"
    package = sound_package(tmp_path, '<img src="pic.bat">', {"pic.bat": b""})
    _out, err = quiz_import(capsys, data, package)
    assert "its picture 'pic.bat' is a PNG picture: kept as 'pic.png'" in err
    _out, err = quiz_import(capsys, data, package)
    assert "pic.bat" not in err
    assert names_in(media_of(data)) == ["pic.png"]
    assert [note.images for note in deck_of(data).notes if note.images] == [("hostile-media/pic.png",)]


def test_a_picture_an_earlier_quiz_kept_as_pic_bat_is_kept_from_the_deck_s_folder_by_a_package_without_media(
    tmp_path: Path, capsys
) -> None:
    """A deck an earlier quiz imported with `pic.bat` (a PNG), imported again from the package exported without
    media: the card lost its picture, though `pic.bat` was still in the deck's folder, until a package with media
    came. It keeps the picture, as `pic.png` (the name a package's `pic.bat` takes)."""
    fields = '<img src="pic.bat">'
    data = tmp_path / "data"
    quiz_import(capsys, data, sound_package(tmp_path, fields, {"pic.bat": b""}))
    _as_an_earlier_quiz_kept(data, "pic.png", "pic.bat")
    (tmp_path / "nomedia").mkdir()
    without_media = repackaged(tmp_path / "nomedia", fields, {"0": "pixel.png"}, {"0": b""})
    _out, err = quiz_import(capsys, data, without_media)
    assert [note.images for note in deck_of(data).notes if note.images] == [("hostile-media/pic.png",)], err
    assert (media_of(data) / "pic.png").read_bytes() == (media_of(data) / "pic.bat").read_bytes()  # hers stays
    assert "its picture 'pic.bat' is a PNG picture: kept as 'pic.png'" in err
    assert "its picture 'pic.bat' is not in the package" not in err
    record = json.loads((data / "decks" / "hostile.import.json").read_text(encoding="utf-8"))
    assert record["names"] == {"pic.bat": "pic.png"}
    out, err = quiz_import(capsys, data, without_media)  # once more: the deck has pic.png, nothing to say of it
    assert "0 updated, 0 new" in out and "pic.bat" not in err
    assert [note.images for note in deck_of(data).notes if note.images] == [("hostile-media/pic.png",)]


def _another_png() -> bytes:
    """A PNG picture other than the package's pixel."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (3, 2), "red").save(out, format="PNG")
    return out.getvalue()


def _shown_files(data: Path) -> list[tuple[str, bytes]]:
    """The pictures the deck's one picture note shows: each path and the bytes of its file."""
    (images,) = [note.all_images for note in deck_of(data).notes if note.all_images]
    return [(path, (data / "decks" / path).read_bytes()) for path in images]


def _imported_without_media(tmp_path: Path, capsys, fields: str, media: dict[str, bytes]) -> tuple[Path, Path]:  # noqa: ANN001
    """The deck of `sound_package(tmp_path, fields, media)` as a quiz before 369a9646 left it (each picture under
    its name in the package, `pic.bat` too), and that package exported without media: (data folder, package)."""
    data = tmp_path / "data"
    quiz_import(capsys, data, sound_package(tmp_path, fields, media))
    files = {picture: Path(path).name for path, picture in _shown_files(data)}
    for name, given in media.items():
        _as_an_earlier_quiz_kept(data, files[_bytes_of(given)], name)
    (tmp_path / "nomedia").mkdir()
    return data, repackaged(tmp_path / "nomedia", fields, {"0": "pixel.png"}, {"0": b""})


def _bytes_of(given: bytes) -> bytes:
    """A file's bytes as `repackaged` writes them (b"": the pixel)."""
    with zipfile.ZipFile(Path(__file__).parents[1] / "data" / "anki" / "legacy1.apkg") as source:
        return given or source.read("1")


def test_a_package_without_media_keeps_a_picture_named_as_a_program_beside_one_named_for_its_format(
    tmp_path: Path, capsys
) -> None:
    """An earlier quiz kept `pic.bat` (a PNG) and `pic.png` (a GIF) of one note. The package without media: the
    bat's picture was written as pic.png, which the GIF's file is, then renamed pic-2.png, the warning saying
    pic.png; the note showed pic-2.png alone, the GIF gone from it without a word."""
    gif = b"GIF89a" + bytes(40)
    fields = '<img src="pic.bat"><img src="pic.png">'
    data, without_media = _imported_without_media(tmp_path, capsys, fields, {"pic.bat": b"", "pic.png": gif})
    for _ in range(2):
        out, err = quiz_import(capsys, data, without_media)
        (bat_path, bat_bytes), (gif_path, gif_bytes) = _shown_files(data)
        assert (bat_bytes, gif_path, gif_bytes) == (_bytes_of(b""), "hostile-media/pic.png", gif), err
        assert bat_path != gif_path and not re.search(r"'pic\.\w+' is not in the package", err)
        assert all(said == Path(bat_path).name for said in re.findall(r"kept as '([^']+)'", err)), err
    assert (media_of(data) / "pic.bat").read_bytes() == _bytes_of(b"")  # hers stays


def test_a_package_without_media_keeps_two_pictures_named_as_programs_apart(tmp_path: Path, capsys) -> None:
    """An earlier quiz kept `pic.bat` and `pic.cmd` (two PNGs) of one note. Both were taken as pic.png: the note
    kept the bat's alone ("pic.cmd is not in the package"), the next import wrote the cmd's bytes over it, and the
    one after left the bat's out for good."""
    fields = '<img src="pic.bat"><img src="pic.cmd">'
    other = _another_png()
    data, without_media = _imported_without_media(tmp_path, capsys, fields, {"pic.bat": b"", "pic.cmd": other})
    for _ in range(3):
        out, err = quiz_import(capsys, data, without_media)
        shown = _shown_files(data)
        assert [picture for _, picture in shown] == [_bytes_of(b""), other], err
        assert len({path.casefold() for path, _ in shown}) == 2 and not re.search(
            r"'pic\.\w+' is not in the package", err
        )
        for said in re.findall(r"kept as '([^']+)'", err):
            assert f"hostile-media/{said}" in [path for path, _ in shown]


def test_a_package_s_own_picture_is_not_written_over_by_one_an_earlier_quiz_kept_as_pic_bat(
    tmp_path: Path, capsys
) -> None:
    """An earlier quiz kept `pic.bat` (a PNG) of a note; its next version adds `pic.png` (a GIF), which the package
    carries while it lacks pic.bat. The bat's picture was written as pic.png: the GIF never came in, and the next
    import wrote the GIF over it, the bat's picture leaving the note without a word."""
    data = tmp_path / "data"
    quiz_import(capsys, data, sound_package(tmp_path, '<img src="pic.bat">', {"pic.bat": b""}))
    _as_an_earlier_quiz_kept(data, "pic.png", "pic.bat")
    gif = b"GIF89a" + bytes(40)
    (tmp_path / "next").mkdir()
    fields = '<img src="pic.bat"><img src="pic.png">'
    package = repackaged(tmp_path / "next", fields, {"0": "pixel.png", "1": "pic.png"}, {"0": b"", "1": gif})
    for _ in range(2):
        _out, err = quiz_import(capsys, data, package)
        (bat_path, bat_bytes), (gif_path, gif_bytes) = _shown_files(data)
        assert (bat_bytes, gif_path, gif_bytes) == (_bytes_of(b""), "hostile-media/pic.png", gif), err
        assert bat_path != gif_path and not re.search(r"'pic\.\w+' is not in the package", err)
        assert all(said == Path(bat_path).name for said in re.findall(r"kept as '([^']+)'", err)), err
    assert (media_of(data) / "pic.bat").read_bytes() == _bytes_of(b"")  # hers stays
