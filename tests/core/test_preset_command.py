"""`quiz preset`: list, show, add, set, use, rename, remove, checked against what the store holds."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from quiz.core.presets import DEFAULT, deck_settings, preset_of
from quiz.core.store import Store
from tests.conftest import basic_deck_yaml
from tests.conftest import run_cli as run


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()  # a data folder named that is not there is refused by `preset list` and `show`
    return folder


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "a.yaml").write_text(basic_deck_yaml(2, "a"), encoding="utf-8")
    (folder / "b.yaml").write_text(basic_deck_yaml(2, "b"), encoding="utf-8")
    return folder


def quiz(capsys, data: Path, decks: Path, *args: str) -> tuple[int, str, str]:
    return run(capsys, "--data-dir", str(data), "--deck", str(decks), "preset", *args)


def stored(data: Path) -> Store:
    return Store.in_folder(data)


def test_a_preset_is_added_set_and_used_by_a_deck(capsys, data: Path, decks: Path) -> None:
    code, out, err = quiz(capsys, data, decks, "add", "Fast")
    assert code == 0 and out.startswith("added preset 'Fast', a copy of 'Default'"), err
    code, out, err = quiz(
        capsys, data, decks, "set", "Fast", "new_per_day=50", "learning_steps_minutes=1,5", "desired_retention=0.8"
    )
    assert code == 0, err
    assert "  learning_steps_minutes=1,5" in out.splitlines()
    code, out, err = quiz(capsys, data, decks, "use", "a", "Fast")
    assert code == 0 and out == "deck 'a' now uses preset 'Fast'\n", err
    store = stored(data)
    try:
        for_a, for_b = deck_settings(store).of("a"), deck_settings(store).of("b")
        assert (for_a.new_per_day, for_a.learning_steps_minutes, for_a.desired_retention) == (50, (1.0, 5.0), 0.8)
        assert for_b.new_per_day == 20
    finally:
        store.close()
    code, out, _ = quiz(capsys, data, decks, "list")
    lines = out.splitlines()
    assert lines[0].startswith("Default  (the settings; decks: ") and "b" in lines[0] and ", a" not in lines[0]
    assert lines[1] == "Fast  (preset; decks: a)"


def test_show_prints_what_set_takes(capsys, data: Path, decks: Path) -> None:
    code, out, err = quiz(capsys, data, decks, "show", DEFAULT)
    assert code == 0, err
    assert out.splitlines() == [
        "Default:",
        "  new_per_day=20",
        "  reviews_per_day=200",
        "  desired_retention=0.9",
        "  learning_steps_minutes=1,10",
        "  relearning_steps_minutes=10",
        "  maximum_interval_days=36500",
        "  leech_threshold=8",
        "  easy_days=1,1,1,1,1,1,1",
        "  fsrs_parameters=",
    ]
    code, _, err = quiz(capsys, data, decks, "set", DEFAULT, *out.split()[1:])  # the lines typed back
    assert code == 0, err


def test_set_default_changes_the_settings(capsys, data: Path, decks: Path) -> None:
    code, _, err = quiz(capsys, data, decks, "set", DEFAULT, "reviews_per_day=99")
    assert code == 0, err
    store = stored(data)
    try:
        assert store.settings().reviews_per_day == 99
    finally:
        store.close()


@pytest.mark.parametrize(
    ("values", "says"),
    [
        (["new_per_day=x"], "quiz: 'new_per_day=x': new_per_day must be a whole number from 0 to 9999 (e.g. 20)"),
        (["desired_retention=2"], "desired_retention must be a number from 0.7 to 0.99 (e.g. 0.9), not 2"),
        (["learning_steps_minutes=1,0"], "minutes apart by commas, each more than 0 and at most 10080 (e.g. 1,10)"),
        (["rollover_hour=3"], "write FIELD=VALUE, FIELD one of new_per_day, reviews_per_day"),
        (["new_per_day"], "write FIELD=VALUE"),
    ],
)
def test_a_bad_value_changes_nothing_and_says_how_to_fix_it(capsys, data: Path, decks: Path, values, says) -> None:
    quiz(capsys, data, decks, "add", "Fast")
    code, out, err = quiz(capsys, data, decks, "set", "Fast", "new_per_day=5", *values)
    assert code == 1 and out == "" and says in err
    code, out, _ = quiz(capsys, data, decks, "show", "Fast")
    assert "  new_per_day=20" in out.splitlines()


def test_rename_keeps_the_decks_and_remove_moves_them_to_default(capsys, data: Path, decks: Path) -> None:
    quiz(capsys, data, decks, "add", "Fast")
    quiz(capsys, data, decks, "use", "a", "Fast")
    code, out, err = quiz(capsys, data, decks, "rename", "Fast", "Quick")
    assert code == 0 and out == "renamed preset 'Fast' to 'Quick'; its decks keep it\n", err
    store = stored(data)
    try:
        assert preset_of(store, "a") == "Quick"
    finally:
        store.close()
    code, out, err = quiz(capsys, data, decks, "remove", "Quick")
    assert code == 0 and out == "removed preset 'Quick'; its decks now use Default: a\n", err
    store = stored(data)
    try:
        assert preset_of(store, "a") == DEFAULT and store.presets() == {}
    finally:
        store.close()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["remove", DEFAULT], "quiz: the Default preset cannot be removed"),
        (["rename", DEFAULT, "X"], "quiz: the Default preset cannot be renamed"),
        (["show", "Nope"], "quiz: no preset is named 'Nope'; the presets are Default"),
        (["use", "a", "Nope"], "quiz: no preset is named 'Nope'"),
        (["set", "Nope", "new_per_day=5"], "quiz: no preset is named 'Nope'"),
        (["add", "default"], "quiz: a preset is already named 'Default': choose another name"),
        (["add", "a\x1b[31mb"], "quiz: a preset's name cannot hold a tab, a line break or a control character"),
        (["use", "no\x1b]0;x\x07such", DEFAULT], "quiz: no loaded deck has the id 'no\\x1b]0;x\\x07such'"),
        ([], "quiz: the following arguments are required: ACTION (see --help)"),
    ],
)
def test_mistakes_are_one_line_saying_how_to_fix_them(capsys, data: Path, decks: Path, args, says) -> None:
    code, out, err = quiz(capsys, data, decks, *args)
    assert code in (1, 2) and out == ""
    assert err.startswith(says) and err.count("\n") == 1 and "\x1b" not in err


def test_adding_a_preset_whose_name_has_a_space_gives_a_set_command_that_runs_as_pasted(
    capsys, data: Path, decks: Path
) -> None:
    code, out, err = quiz(capsys, data, decks, "add", "Exam cram")
    assert code == 0, err
    told = shlex.split(out[out.index("`quiz") + 1 :].split("`")[0])
    assert told == ["quiz", "--data-dir", str(data), "preset", "set", "Exam cram", "FIELD=VALUE"]
    code, _, err = quiz(capsys, data, decks, *told[4:-1], "new_per_day=5")
    assert code == 0, err
