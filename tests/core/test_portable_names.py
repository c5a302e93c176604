"""The file names quiz makes open on every disk a synced deck folder reaches: never a Windows device's name, never
another file's in the folder but for case."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.core.anki.media import is_plain, safe_name
from quiz.core.decks import load_deck_file
from quiz.core.exporters.apkgmedia import names_in_package
from quiz.core.filenames import is_reserved, new_name, unique_name
from tests.conftest import run_cli as run
from tests.core.test_apkg_pictures import PNGS


@pytest.mark.parametrize(
    "name",
    ["con", "CON.yaml", "Nul.png", "aux.tar.gz", "prn", "com1.yaml", "LPT9", "com0.x", "lpt¹.png", "nul .png"],
)
def test_a_device_name_in_any_case_with_any_extension_is_reserved(name: str) -> None:
    assert is_reserved(name)


@pytest.mark.parametrize("name", ["console.yaml", "con-deck.yaml", "com10.yaml", "xcon.png", "nul_.png", "a.con"])
def test_a_name_that_only_holds_a_device_name_is_not(name: str) -> None:
    assert not is_reserved(name)


def test_a_device_name_takes_a_suffix_and_a_case_clash_a_number() -> None:
    taken = {"evil.yaml"}
    assert unique_name("CON", ".yaml", taken) == "CON_.yaml"
    assert unique_name("Evil", ".yaml", taken) == "Evil-2.yaml"
    assert unique_name("con_", ".yaml", taken) == "con_-2.yaml"  # CON's new name is taken now
    assert unique_name("aux.x", ".yaml", taken) == "aux_.x.yaml"


@pytest.mark.parametrize(
    ("name", "safe"),
    [("nul.png", "nul_.png"), ("CON", "CON_"), ("com3.tar.gz", "com3_.tar.gz"), ("a. .", "a"), ("x..", "x")],
)
def test_a_picture_from_a_package_never_takes_a_device_name_nor_ends_in_a_dot(name: str, safe: str) -> None:
    made = safe_name(name, set())
    assert made == safe and is_plain(made)


def test_a_name_in_a_folder_keeps_an_existing_file_of_that_exact_name_and_numbers_a_case_clash(
    tmp_path: Path,
) -> None:
    (tmp_path / "Evil.yaml").write_text("")
    (tmp_path / "mine.yaml").write_text("")
    assert new_name(tmp_path, "mine", ".yaml") == "mine.yaml"  # the caller updates or refuses it, as before
    assert new_name(tmp_path, "evil", ".yaml") == "evil-2.yaml"
    assert new_name(tmp_path, "nul", ".yaml") == "nul_.yaml"
    assert new_name(tmp_path / "none-yet", "deck", ".yaml") == "deck.yaml"


DATA = Path(__file__).parents[1] / "data" / "anki"


def test_a_csv_named_con_is_imported_into_con_underscore_and_updated_there(tmp_path: Path, capsys) -> None:
    source = tmp_path / "CON.csv"
    source.write_text("front,back\nhola,hello\n")
    data = tmp_path / "data"
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(source))
    assert code == 0, err
    decks = data / "decks"
    assert out.splitlines()[:2] == [
        str(decks / "con_.yaml"),
        "named con_.yaml: Windows keeps the name CON for a device and cannot open con.yaml",
    ]
    assert load_deck_file(decks / "con_.yaml").deck.id == "con"  # the deck id stays: only its file is renamed
    source.write_text("front,back\nhola,hello\nadios,bye\n")
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(source))
    assert code == 0, err
    assert out.splitlines()[0] == str(decks / "con_.yaml") and "named con_" not in out  # updated in place
    assert sorted(p.name for p in decks.glob("*.yaml")) == ["con_.yaml"]


def test_a_deck_id_differing_only_in_case_gets_a_numbered_file(tmp_path: Path, capsys) -> None:
    decks = tmp_path / "data" / "decks"
    decks.mkdir(parents=True)
    source = tmp_path / "words.csv"
    source.write_text("front,back\nhola,hello\n")
    data = str(tmp_path / "data")
    assert run(capsys, "--data-dir", data, "import", str(source), "--deck-id", "Evil")[0] == 0
    source.write_text("front,back\nbonjour,hello\n")
    code, out, err = run(capsys, "--data-dir", data, "import", str(source), "--deck-id", "evil")
    assert code == 0, err
    assert out.splitlines()[:2] == [
        str(decks / "evil-2.yaml"),
        "named evil-2.yaml: a file named evil.yaml but for case is there, and macOS and Windows take the two for one",
    ]
    assert load_deck_file(decks / "evil-2.yaml").deck.id == "evil"
    assert load_deck_file(decks / "Evil.yaml").deck.id == "Evil"


def test_pictures_whose_folder_is_another_decks_but_for_case_are_refused_before_anything_is_written(
    tmp_path: Path, capsys
) -> None:
    data = tmp_path / "data"
    assert run(capsys, "--data-dir", str(data), "import", str(DATA / "legacy1.apkg"), "--deck-id", "Pix")[0] == 0
    decks = data / "decks"
    assert (decks / "Pix-media").is_dir()
    before = sorted(p.name for p in decks.iterdir())
    code, _out, err = run(capsys, "--data-dir", str(data), "import", str(DATA / "legacy1.apkg"), "--deck-id", "pix")
    assert code == 1
    assert "pictures folder pix-media would be Pix-media on macOS and Windows" in err and "--deck-id" in err
    assert sorted(p.name for p in decks.iterdir()) == before


def test_a_dotted_deck_id_whose_first_part_is_a_device_name_gets_portable_file_and_folder(
    tmp_path: Path, capsys
) -> None:
    data = tmp_path / "data"
    code, out, err = run(capsys, "--data-dir", str(data), "import", str(DATA / "legacy1.apkg"), "--deck-id", "aux.x")
    assert code == 0, err
    decks = data / "decks"
    assert sorted(p.name for p in decks.iterdir() if not p.name.startswith(".")) == [
        "aux_.x-media",
        "aux_.x.import.json",
        "aux_.x.yaml",
    ]
    loaded = load_deck_file(decks / "aux_.x.yaml")
    assert loaded.deck.id == "aux.x" and not loaded.problems
    assert all(image.startswith("aux_.x-media/") for note in loaded.deck.notes for image in note.images)


def test_an_apkg_export_names_a_picture_called_as_a_device_so_that_anki_on_windows_can_keep_it(
    tmp_path: Path,
) -> None:
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "NUL.png").write_bytes(PNGS[0])
    (tmp_path / "d.yaml").write_text(
        "deck: d\ntitle: D\ncards:\n  - {id: a, kind: basic, front: F, back: B, image: pics/NUL.png}\n"
    )
    deck = load_deck_file(tmp_path / "d.yaml").deck
    assert names_in_package(deck) == {"pics/NUL.png": "NUL_.png"}


def test_add_copies_a_deck_file_named_as_a_device_or_as_another_but_for_case_under_a_portable_name(
    tmp_path: Path, capsys
) -> None:
    data = str(tmp_path / "data")
    decks = tmp_path / "data" / "decks"
    decks.mkdir(parents=True)
    (decks / "Evil.yaml").write_text("not a deck of hers, but a file there\n")
    for deck_id, name, made, why in [
        (
            "c",
            "CON.yaml",
            "CON_.yaml",
            "named CON_.yaml: Windows keeps the name CON for a device and cannot open CON.yaml",
        ),
        ("e", "evil.yaml", "evil-2.yaml", "named evil-2.yaml: a file named evil.yaml but for case is there"),
    ]:
        source = tmp_path / name
        source.write_text(f"deck: {deck_id}\ntitle: T\ncards:\n  - {{id: a, kind: basic, front: F, back: B}}\n")
        code, out, err = run(capsys, "--data-dir", data, "add", str(source))
        assert code == 0, err
        assert out.splitlines()[0] == str(decks / made) and out.splitlines()[1].startswith(why)
        assert (decks / made).read_bytes() == source.read_bytes() and source.exists()  # hers stays as it is


@pytest.mark.parametrize(
    ("name", "made", "why"),
    [
        ("Pharm: µg?.yaml", "Pharm_ µg_.yaml", "named Pharm_ µg_.yaml: Windows cannot keep : ? in a file name"),
        ('a<b>c|d"e*f\\g.yml', "a_b_c_d_e_f_g.yml", 'named a_b_c_d_e_f_g.yml: Windows cannot keep " * < > \\ |'),
        ("rtl\u202elmth.yaml", "rtl_lmth.yaml", "named rtl_lmth.yaml: U+202E in a file name would change how it shows"),
        ("esc\x1b[31m.yaml", "esc_[31m.yaml", "named esc_[31m.yaml: U+001B in a file name would change how it shows"),
    ],
)
def test_add_copies_a_deck_file_whose_name_windows_refuses_under_a_name_it_keeps(
    tmp_path: Path, capsys, name: str, made: str, why: str
) -> None:
    """Her file's name was copied as it was: a deck folder synced to Windows (OneDrive, Dropbox) cannot hold it."""
    decks = tmp_path / "data" / "decks"
    source = tmp_path / name
    source.write_text("deck: d\ntitle: T\ncards:\n  - {id: a, kind: basic, front: F, back: B}\n")
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "data"), "add", str(source))
    assert code == 0, err
    assert out.splitlines()[0] == str(decks / made) and out.splitlines()[1].startswith(why)
    assert (decks / made).read_bytes() == source.read_bytes() and source.exists()


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("Pharm: Woche 1.apkg", "warning: Windows cannot keep : in a file name: give the file another name"),
        ("CON.csv", "warning: Windows keeps the name CON for a device and cannot open CON.csv: give the file"),
    ],
)
def test_an_export_to_a_name_windows_refuses_is_written_as_named_with_a_warning(
    tmp_path: Path, capsys, name: str, why: str
) -> None:
    """The name is hers, so it is kept; it was written without a word, to be found unopenable on Windows."""
    deck = tmp_path / "deck.yaml"
    deck.write_text("deck: d\ntitle: T\ncards:\n  - {id: a, kind: basic, front: F, back: B}\n")
    (tmp_path / "data").mkdir()  # export makes no data folder
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "data"), "export", str(deck), "-o", str(tmp_path / name))
    assert code == 0, err
    assert out.splitlines()[-1].startswith(why) and (tmp_path / name).is_file()
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "data"), "export", str(deck), "-o", str(tmp_path / "d.csv"))
    assert code == 0 and "warning" not in out
