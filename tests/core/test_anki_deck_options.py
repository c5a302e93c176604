"""An Anki deck's options (its preset: daily limits, steps, retention, maximum interval, leech threshold, easy
days, FSRS parameters) come along with a new deck imported from a package, as a quiz preset: the packages are
made by Anki at test time (the `anki` package of the bench group; skipped without it), in both generations, and
imported by `quiz import`. quiz's preset must hold what Anki reports of the deck's options."""

from __future__ import annotations

import json
import math
import sqlite3
import struct
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import zstandard

from quiz.core.presets import DEFAULT, options_of, preset_of, read_preset
from quiz.core.settings import Settings
from quiz.core.store import Store
from tests.conftest import quiz_succeeds
from tests.conftest import run_cli as run

anki = pytest.importorskip("anki")

from anki.collection import Collection, ExportAnkiPackageOptions  # noqa: E402

from tools.make_anki_fixtures import add  # noqa: E402

# FSRS-6's defaults, each a little changed: parameters Anki's optimizer could have fitted
PARAMETERS = [
    0.25, 1.3, 2.5, 9.0, 6.5, 0.6, 2.1, 0.02, 1.4, 0.15, 0.9, 1.8, 0.1, 0.3, 2.2, 0.25, 2.8, 0.5, 0.2, 0.15, 0.12,
]  # fmt: skip
GENERATIONS = pytest.mark.parametrize("legacy", [False, True], ids=["schema18", "schema11"])


def _tuned(config: dict[str, Any]) -> None:
    config["new"]["perDay"] = 35
    config["new"]["delays"] = [1.0, 5.0, 30.0]
    config["lapse"]["delays"] = [5.0, 20.0]
    config["lapse"]["leechFails"] = 12
    config["rev"]["perDay"] = 300
    config["rev"]["maxIvl"] = 3650
    config["desiredRetention"] = 0.85
    config["easyDaysPercentages"] = [1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.0]
    config["fsrsParams6"] = PARAMETERS


def _package(
    folder: Path, legacy: bool, *, tune: Any = _tuned, with_deck_configs: bool = True, name: str = "spanish"
) -> tuple[Path, dict[str, Any]]:
    """A package of deck Spanish (three notes) on preset Tuned (`tune` sets its options) and deck French (one
    note) on preset Slow (5 new cards a day), made by Anki; and Anki's options of Spanish, as it reports them."""
    folder.mkdir(parents=True, exist_ok=True)
    col = Collection(str(folder / "collection.anki2"))
    try:
        for deck, preset, notes in (("Spanish", "Tuned", 3), ("French", "Slow", 1)):
            deck_id = col.decks.id(deck)
            config = col.decks.get_config(col.decks.add_config_returning_id(preset))
            assert config is not None
            if preset == "Tuned":
                tune(config)
            else:
                config["new"]["perDay"] = 5
            col.decks.update_config(config)
            chosen = col.decks.get(deck_id)
            assert chosen is not None
            chosen["conf"] = config["id"]
            col.decks.save(chosen)
            for number in range(notes):
                add(col, "Basic", deck, {"Front": f"{deck} {number}", "Back": "answer"})
        reported = col.decks.config_dict_for_deck_id(col.decks.id("Spanish"))
        package = folder / f"{name}.apkg"
        options = ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=with_deck_configs, with_media=False, legacy=legacy
        )
        col.export_anki_package(out_path=str(package), options=options, limit=None)
    finally:
        col.close()
    return package, reported


def _imported(capsys: pytest.CaptureFixture[str], home: Path, package: Path, *more: str) -> str:
    """The package imported as one deck, `spanish` unless `more` names another: its French note a topic of it
    (without --deck-id, each top-level Anki deck would be a deck of its own)."""
    named = () if "--deck-id" in more else ("--deck-id", "spanish")
    return quiz_succeeds(capsys, home, "import", str(package), *named, *more)


@contextmanager
def _store_of(home: Path) -> Iterator[Store]:
    """The store of the data folder `home`, closed after."""
    store = Store.in_folder(home)
    try:
        yield store
    finally:
        store.close()


def _deck_preset(home: Path, deck_id: str) -> tuple[str, Settings]:
    with _store_of(home) as store:
        name = preset_of(store, deck_id)
        return name, read_preset(store, name)


def _as_anki_reports(reported: dict[str, Any]) -> dict[str, Any]:
    """Anki's options of a deck, as quiz's preset fields."""
    return {
        "new_per_day": reported["new"]["perDay"],
        "reviews_per_day": reported["rev"]["perDay"],
        "learning_steps_minutes": tuple(reported["new"]["delays"]),
        "relearning_steps_minutes": tuple(reported["lapse"]["delays"]),
        "maximum_interval_days": reported["rev"]["maxIvl"],
        "leech_threshold": reported["lapse"]["leechFails"],
        "desired_retention": reported["desiredRetention"],
        "easy_days": tuple(reported["easyDaysPercentages"]),
        "fsrs_parameters": tuple(reported["fsrsParams6"]),
    }


@GENERATIONS
def test_a_new_deck_uses_a_preset_holding_the_options_anki_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], legacy: bool
) -> None:
    package, reported = _package(tmp_path / "anki", legacy)
    home = tmp_path / "home"
    out = _imported(capsys, home, package)
    name, settings = _deck_preset(home, "spanish")
    assert name == "Tuned"
    assert options_of(settings) == _as_anki_reports(reported)
    assert (settings.new_per_day, settings.desired_retention) == (35, 0.85)
    assert settings.learning_steps_minutes == (1.0, 5.0, 30.0) and settings.fsrs_parameters == tuple(PARAMETERS)
    assert "options: the deck uses preset 'Tuned', made of the options of Anki's preset 'Tuned'" in out
    # the French deck's note came too, with other options: said, not taken
    assert "the deck takes those of 'Spanish', which 3 notes come from, not those of 'French' (1 note)" in out


@GENERATIONS
def test_only_a_package_with_its_deck_presets_changes_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], legacy: bool
) -> None:
    without, _ = _package(tmp_path / "without", legacy, with_deck_configs=False)
    home = tmp_path / "home"
    run(capsys, "--data-dir", str(home), "preset", "set", DEFAULT, "new_per_day=10")
    out = _imported(capsys, home, without)  # its decks are on Anki's Default, untouched: Anki's defaults
    assert "options" not in out
    assert _deck_preset(home, "spanish")[0] == DEFAULT
    with _store_of(home) as store:
        assert (store.presets(), store.settings().new_per_day) == ({}, 10)
    with_presets, _ = _package(tmp_path / "with", legacy)
    _imported(capsys, home, with_presets, "--deck-id", "tuned")
    assert _deck_preset(home, "tuned")[0] == "Tuned"


def test_quiz_s_own_export_brings_no_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Its collection (genanki's) holds Anki 2.0's defaults: 100 reviews a day, not today's 200."""
    package, _ = _package(tmp_path / "anki", legacy=False)
    home = tmp_path / "home"
    _imported(capsys, home, package)
    exported = tmp_path / "spanish-again.apkg"
    assert run(capsys, "--data-dir", str(home), "export", "spanish", "-o", str(exported))[0] == 0
    out = _imported(capsys, home, exported, "--deck-id", "again")
    assert "options" not in out
    assert _deck_preset(home, "again")[0] == DEFAULT
    with _store_of(home) as store:
        assert list(store.presets()) == ["Tuned"]


@GENERATIONS
def test_an_update_never_changes_the_options_changed_in_quiz_since(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], legacy: bool
) -> None:
    package, _ = _package(tmp_path / "anki", legacy)
    home = tmp_path / "home"
    _imported(capsys, home, package)
    assert run(capsys, "--data-dir", str(home), "preset", "set", "Tuned", "new_per_day=7")[0] == 0
    out = _imported(capsys, home, package)
    assert "options" not in out
    assert _deck_preset(home, "spanish")[1].new_per_day == 7


def _out_of_quiz_range(config: dict[str, Any]) -> None:
    _tuned(config)
    config["lapse"]["leechFails"] = 150  # Anki allows up to 9999
    config["lapse"]["delays"] = [10.0, 20160.0]  # a step of two weeks


@GENERATIONS
def test_values_quiz_cannot_hold_are_named_with_what_it_has_instead(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], legacy: bool
) -> None:
    package, reported = _package(tmp_path / "anki", legacy, tune=_out_of_quiz_range)
    assert reported["lapse"]["leechFails"] == 150
    home = tmp_path / "home"
    out = _imported(capsys, home, package)
    assert (
        "options: not taken from Anki: leech_threshold must be from 1 to 99, not 150; the preset has 8, as Default"
    ) in out
    assert (
        "options: not taken from Anki: relearning_steps_minutes must be more than 0 and at most 10080, not 20160.0;"
        " the preset has 10, as Default"
    ) in out
    name, settings = _deck_preset(home, "spanish")
    assert name == "Tuned"
    assert (settings.leech_threshold, settings.relearning_steps_minutes) == (8, (10.0,))
    assert (settings.new_per_day, settings.desired_retention) == (35, 0.85)  # the rest came


def _fsrs5(config: dict[str, Any]) -> None:
    _tuned(config)
    config["fsrsParams6"] = []
    config["fsrsParams5"] = PARAMETERS[:19]


@GENERATIONS
def test_fsrs_parameters_of_another_version_are_named_and_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], legacy: bool
) -> None:
    package, reported = _package(tmp_path / "anki", legacy, tune=_fsrs5)
    assert len(reported["fsrsParams5"]) == 19
    home = tmp_path / "home"
    out = _imported(capsys, home, package)
    assert (
        "options: not taken from Anki: its FSRS-5 parameters (19 numbers); quiz's FSRS takes FSRS-6's 21; the preset"
        " has FSRS's default parameters, as Default"
    ) in out
    settings = _deck_preset(home, "spanish")[1]
    assert settings.fsrs_parameters == () and settings.new_per_day == 35


def test_a_preset_holding_the_same_options_is_used_and_a_taken_name_numbered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package, _ = _package(tmp_path / "anki", legacy=False)
    home = tmp_path / "home"
    _imported(capsys, home, package)
    out = _imported(capsys, home, package, "--deck-id", "again")
    assert "options: the deck uses preset 'Tuned', which holds the same options as Anki's preset 'Tuned'" in out
    assert _deck_preset(home, "again")[0] == "Tuned"
    assert run(capsys, "--data-dir", str(home), "preset", "set", "Tuned", "new_per_day=7")[0] == 0
    _imported(capsys, home, package, "--deck-id", "third")
    name, settings = _deck_preset(home, "third")
    assert (name, settings.new_per_day) == ("Tuned 2", 35)


def test_a_deck_given_a_preset_in_quiz_before_keeps_it_when_imported_anew(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package, _ = _package(tmp_path / "anki", legacy=False)
    home = tmp_path / "home"
    _imported(capsys, home, package)
    for action in (("add", "Mine"), ("use", "spanish", "Mine")):
        assert run(capsys, "--data-dir", str(home), "preset", *action)[0] == 0
    for written in (home / "decks").glob("spanish*"):  # the deck deleted, its choice of preset kept in the store
        if written.is_file():
            written.unlink()
    out = _imported(capsys, home, package)
    assert "options: Anki's preset 'Tuned' (deck 'Spanish') not taken: deck 'spanish' uses preset 'Mine' already" in out
    assert _deck_preset(home, "spanish")[0] == "Mine"


def _edited(package: Path, edit: Any) -> None:
    """Package `package` with its collection changed by `edit(db)`: a file damaged after Anki wrote it."""
    with zipfile.ZipFile(package) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    legacy = "collection.anki21b" not in members
    member = "collection.anki21" if legacy else "collection.anki21b"
    collection = package.with_suffix(".collection")
    data = members[member]
    collection.write_bytes(data if legacy else zstandard.ZstdDecompressor().decompressobj().decompress(data))
    db = sqlite3.connect(collection)
    db.create_collation("unicase", lambda a, b: (a.casefold() > b.casefold()) - (a.casefold() < b.casefold()))
    try:
        edit(db)
        db.commit()
    finally:
        db.close()
    data = collection.read_bytes()
    members[member] = data if legacy else zstandard.ZstdCompressor().compress(data)
    with zipfile.ZipFile(package, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _tuned_config(db: sqlite3.Connection, change: Any) -> None:
    """The Tuned config's blob as `change(blob)` makes it."""
    (blob,) = db.execute("select config from deck_config where name = 'Tuned'").fetchone()
    db.execute("update deck_config set config = ? where name = 'Tuned'", (change(blob),))


@pytest.mark.parametrize(
    ("legacy", "damage"),
    [
        (False, lambda db: _tuned_config(db, lambda blob: blob + b"\x0a\xff")),  # a field running past the end
        (False, lambda db: db.execute("update decks set kind = x'0aff' where name = 'Spanish'")),  # which config?
        (True, lambda db: db.execute("update col set dconf = '{\"1\": {'")),  # every deck's: the notes still come
    ],
    ids=["config", "deck-kind", "schema11-dconf"],
)
def test_options_that_cannot_be_read_are_named_with_the_package_and_deck(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], legacy: bool, damage: Any
) -> None:
    package, _ = _package(tmp_path / "anki", legacy=legacy)
    _edited(package, damage)
    home = tmp_path / "home"
    out = _imported(capsys, home, package)
    assert (
        "options: not taken from Anki: the options of deck 'Spanish' in spanish.apkg cannot be read (damaged);"
        " the deck uses preset Default"
    ) in out
    assert _deck_preset(home, "spanish")[0] == DEFAULT


def test_a_number_that_is_not_finite_is_named_not_dropped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from anki.deck_config_pb2 import DeckConfig

    def with_nan(blob: bytes) -> bytes:
        config = DeckConfig.Config.FromString(blob)
        config.learn_steps[1] = math.nan
        config.fsrs_params_6[3] = math.inf
        return config.SerializeToString()

    package, _ = _package(tmp_path / "anki", legacy=False)
    _edited(package, lambda db: _tuned_config(db, with_nan))
    home = tmp_path / "home"
    out = _imported(capsys, home, package)
    assert (
        "options: not taken from Anki: learning_steps_minutes must be more than 0 and at most 10080, not nan;"
        " the preset has 1 10, as Default"
    ) in out
    assert (
        "options: not taken from Anki: its FSRS-6 parameters hold a number that is not finite (inf);"
        " the preset has FSRS's default parameters, as Default"
    ) in out
    name, settings = _deck_preset(home, "spanish")
    assert (name, settings.learning_steps_minutes, settings.fsrs_parameters) == ("Tuned", (1.0, 10.0), ())
    assert settings.new_per_day == 35


def test_a_deck_given_the_same_preset_on_another_machine_is_said_to_use_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same package imported on a second machine after a sync brought the first one's preset and the deck's
    choice of it: the deck uses that preset, no second one is made, and the import says so, not 'not taken'."""
    package, _ = _package(tmp_path / "anki", legacy=False)
    first, second, folder = tmp_path / "first", tmp_path / "second", tmp_path / "synced"
    folder.mkdir()
    _imported(capsys, first, package)
    for home in (first, second):
        assert run(capsys, "--data-dir", str(home), "sync", "--folder", str(folder))[0] == 0
    out = _imported(capsys, second, package)
    assert "options: the deck uses preset 'Tuned', which holds the same options as Anki's preset 'Tuned'" in out
    assert "not taken" not in out
    with _store_of(second) as store:
        assert (list(store.presets()), store.deck_presets()) == (["Tuned"], {"spanish": "Tuned"})


def test_the_largest_32_bit_float_is_read_and_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Its shortest decimal rounds past the largest 32-bit float: reading it must not end the import."""
    from anki.deck_config_pb2 import DeckConfig

    largest = struct.unpack("<f", bytes.fromhex("ffff7f7f"))[0]

    def with_largest(blob: bytes) -> bytes:
        config = DeckConfig.Config.FromString(blob)
        config.relearn_steps[0] = largest
        config.fsrs_params_6[0] = -largest
        return config.SerializeToString()

    package, _ = _package(tmp_path / "anki", legacy=False)
    _edited(package, lambda db: _tuned_config(db, with_largest))
    home = tmp_path / "home"
    out = _imported(capsys, home, package)
    assert f"relearning_steps_minutes must be more than 0 and at most 10080, not {largest!r}" in out
    name, settings = _deck_preset(home, "spanish")
    assert (name, settings.relearning_steps_minutes, settings.fsrs_parameters[0]) == ("Tuned", (10.0,), -largest)


def test_an_integer_past_any_float_in_a_legacy_dconf_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """JSON holds integers of any size; one no float holds must not end the import in a traceback."""
    huge = "9" * 400

    def with_huge(db: sqlite3.Connection) -> None:
        (dconf,) = db.execute("select dconf from col").fetchone()
        configs = json.loads(dconf)
        tuned = next(config for config in configs.values() if config["name"] == "Tuned")
        tuned["new"]["perDay"], tuned["lapse"]["delays"] = "HUGE", [5.0, "HUGE"]
        db.execute("update col set dconf = ?", (json.dumps(configs).replace('"HUGE"', huge),))

    package, _ = _package(tmp_path / "anki", legacy=True)
    _edited(package, with_huge)
    home = tmp_path / "home"
    out = _imported(capsys, home, package)
    assert "options: not taken from Anki: new_per_day must be from 0 to 9999, not 999" in out
    assert "relearning_steps_minutes must be more than 0 and at most 10080, not inf; the preset has 10" in out
    name, settings = _deck_preset(home, "spanish")
    assert (name, settings.new_per_day, settings.relearning_steps_minutes) == ("Tuned", 20, (10.0,))
