"""The file names quiz makes open on every disk a synced deck folder reaches: never a Windows device's name, never
another file's in the folder but for case."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.core.anki.media import is_plain, safe_name
from quiz.core.filenames import is_reserved, new_name, unique_name


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
