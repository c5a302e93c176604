"""Option presets: what a deck studies with, the daily limits and the scheduling per deck, the store's migration."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from quiz.core.clock import FixedClock
from quiz.core.model import Grade
from quiz.core.presets import (
    DEFAULT,
    PresetError,
    add_preset,
    assign_preset,
    deck_settings,
    preset_names,
    preset_of,
    read_preset,
    remove_preset,
    rename_preset,
    save_preset,
)
from quiz.core.settings import SettingOutOfRange
from quiz.core.stats import limits_left
from quiz.core.store import MIGRATIONS, STORE_NAME, Store
from tests.conftest import START, basic_deck_yaml, study_session

HOSTILE_DECK = "evil\n\x1b[31m'; DROP TABLE preset; --"


def test_every_deck_uses_default_the_settings_until_given_a_preset(store: Store) -> None:
    settings = replace(store.settings(), new_per_day=7, rollover_hour=6)
    store.save_settings(settings)
    assert preset_names(store) == [DEFAULT]
    assert preset_of(store, "a") == DEFAULT
    assert deck_settings(store).of("a") == settings
    assert read_preset(store, DEFAULT) == settings


def test_a_preset_holds_per_deck_options_and_the_rest_stays_global(store: Store) -> None:
    store.save_settings(replace(store.settings(), rollover_hour=6, typed_tolerance=80))
    add_preset(store, "Fast")
    fast = replace(
        read_preset(store, "Fast"),
        new_per_day=50,
        reviews_per_day=500,
        desired_retention=0.8,
        learning_steps_minutes=(5.0,),
        relearning_steps_minutes=(3.0, 30.0),
        maximum_interval_days=100,
        leech_threshold=4,
        rollover_hour=12,  # not a preset's: ignored
        typed_tolerance=60,
    )
    save_preset(store, "Fast", fast)
    assign_preset(store, "a", "Fast")
    for_a, for_b = deck_settings(store).of("a"), deck_settings(store).of("b")
    assert (for_a.new_per_day, for_a.desired_retention, for_a.maximum_interval_days) == (50, 0.8, 100)
    assert (for_a.learning_steps_minutes, for_a.relearning_steps_minutes) == ((5.0,), (3.0, 30.0))
    assert (for_a.reviews_per_day, for_a.leech_threshold) == (500, 4)
    assert (for_a.rollover_hour, for_a.typed_tolerance) == (6, 80)  # global
    assert for_b == store.settings()  # Default
    assert store.settings().new_per_day == 20  # saving a preset leaves the settings alone


def test_editing_a_preset_changes_every_deck_using_it(store: Store) -> None:
    add_preset(store, "Shared")
    assign_preset(store, "a", "Shared")
    assign_preset(store, "b", "Shared")
    save_preset(store, "Shared", replace(read_preset(store, "Shared"), new_per_day=3))
    per_deck = deck_settings(store)
    assert per_deck.of("a").new_per_day == per_deck.of("b").new_per_day == 3
    assert per_deck.of("c").new_per_day == 20


def test_saving_default_changes_the_settings_and_the_decks_without_a_preset(store: Store) -> None:
    save_preset(store, DEFAULT, replace(store.settings(), new_per_day=9, rollover_hour=11))
    assert store.settings().new_per_day == 9
    assert store.settings().rollover_hour == 4  # a preset's save touches only a preset's options
    assert deck_settings(store).of("any").new_per_day == 9


def test_a_preset_is_checked_against_the_same_ranges_as_the_settings(store: Store) -> None:
    add_preset(store, "Fast")
    with pytest.raises(SettingOutOfRange, match="desired_retention must be from 0.7 to 0.99"):
        save_preset(store, "Fast", replace(store.settings(), desired_retention=0.5))
    with pytest.raises(SettingOutOfRange, match="learning_steps_minutes"):
        save_preset(store, "Fast", replace(store.settings(), learning_steps_minutes=(1.0, 0.0)))
    assert read_preset(store, "Fast").desired_retention == 0.9


def test_add_clones_rename_follows_to_the_decks_remove_moves_them_to_default(store: Store) -> None:
    add_preset(store, "Slow")
    save_preset(store, "Slow", replace(store.settings(), new_per_day=2))
    assert add_preset(store, "  Slower  ", source="Slow") == "Slower"  # a clone of Slow
    assert read_preset(store, "Slower").new_per_day == 2
    assign_preset(store, "a", "Slow")
    assign_preset(store, "b", "Slower")
    assert rename_preset(store, "Slow", "Gentle") == "Gentle"
    assert preset_of(store, "a") == "Gentle"
    assert preset_names(store) == [DEFAULT, "Gentle", "Slower"]
    assert remove_preset(store, "Gentle") == ["a"]
    assert preset_of(store, "a") == DEFAULT
    assert preset_of(store, "b") == "Slower"
    assign_preset(store, "b", DEFAULT)
    assert store.deck_presets() == {}


def test_preset_names_and_default_are_guarded(store: Store) -> None:
    add_preset(store, "Fast")
    for bad, why in (
        ("", "needs a name"),
        ("   ", "needs a name"),
        ("x" * 41, "at most 40"),
        ("a\nb", "line break"),
        ("\x1b[31mred", "control character"),
        ("default", "already named 'Default'"),
        ("FAST", "already named 'Fast'"),
    ):
        with pytest.raises(PresetError, match=why):
            add_preset(store, bad)
    with pytest.raises(PresetError, match="cannot be renamed"):
        rename_preset(store, DEFAULT, "Other")
    with pytest.raises(PresetError, match="cannot be removed"):
        remove_preset(store, DEFAULT)
    with pytest.raises(PresetError, match="no preset is named 'Nope'; the presets are Default, Fast"):
        assign_preset(store, "a", "Nope")
    assert rename_preset(store, "Fast", "fast") == "fast"  # its own name in another case is not taken


def test_deck_ids_are_kept_as_given(store: Store) -> None:
    add_preset(store, "Fast")
    assign_preset(store, HOSTILE_DECK, "Fast")
    assert store.deck_presets() == {HOSTILE_DECK: "Fast"}
    assert preset_names(store) == [DEFAULT, "Fast"]


def test_unreadable_preset_options_fall_back_to_defaults(store: Store) -> None:
    add_preset(store, "Broken")
    assign_preset(store, "a", "Broken")
    with store.transaction() as db:
        db.execute("UPDATE preset SET options = ? WHERE name = 'Broken'", ("{not json",))
    assert deck_settings(store).of("a") == store.settings()
    with store.transaction() as db:
        db.execute("UPDATE preset SET options = ? WHERE name = 'Broken'", (json.dumps({"new_per_day": -3}),))
    assert deck_settings(store).of("a").new_per_day == 20  # out of range: the Default's


# --- in a study session ------------------------------------------------------------------------------


def test_each_deck_of_a_session_keeps_its_own_presets_daily_limits(store: Store, clock: FixedClock, write_deck) -> None:
    store.save_settings(replace(store.settings(), new_per_day=5))
    a = write_deck(basic_deck_yaml(12, "a"), "a.yaml")
    b = write_deck(basic_deck_yaml(12, "b"), "b.yaml")
    add_preset(store, "Few")
    save_preset(store, "Few", replace(store.settings(), new_per_day=2))
    assign_preset(store, "a", "Few")
    session = study_session(store, clock, [a, b])
    assert session.counts().new == 2 + 5
    shown = []
    while session.current is not None:
        shown.append(session.current.deck_id)
        session.grade(Grade.EASY)
    assert shown.count("a") == 2 and shown.count("b") == 5
    assert study_session(store, clock, [a, b]).current is None  # both decks' limits hold across sessions
    save_preset(store, "Few", replace(store.settings(), new_per_day=3))  # raised: one more today
    assert study_session(store, clock, [a, b]).counts().new == 1


def test_each_card_is_scheduled_with_its_own_decks_preset(store: Store, clock: FixedClock, write_deck) -> None:
    a = write_deck(basic_deck_yaml(2, "a"), "a.yaml")
    b = write_deck(basic_deck_yaml(2, "b"), "b.yaml")
    add_preset(store, "Loose")
    loose = replace(store.settings(), desired_retention=0.7, learning_steps_minutes=(30.0,), leech_threshold=1)
    save_preset(store, "Loose", loose)
    assign_preset(store, "a", "Loose")
    store.save_settings(replace(store.settings(), desired_retention=0.97))
    session = study_session(store, clock, [a, b])
    due: dict[tuple[str, Grade], timedelta] = {}
    while session.current is not None:
        card = session.current
        grade = Grade.EASY if card.note.id == "c0" else Grade.AGAIN
        if (card.deck_id, grade) in due:
            break
        answered = session.grade(grade)
        after = store.state(card.deck_id, card.key)
        assert after is not None and after.due is not None
        due[(card.deck_id, grade)] = after.due - START
        assert not answered.leech  # a new card's first Again is not a lapse
    assert due[("a", Grade.AGAIN)] == timedelta(minutes=30)  # Loose's learning step
    assert due[("b", Grade.AGAIN)] == timedelta(minutes=1)  # Default's first step
    assert due[("a", Grade.EASY)] > due[("b", Grade.EASY)] * 2  # 0.7 retention waits longer than 0.97


def test_a_leech_is_judged_by_its_decks_threshold(store: Store, clock: FixedClock, write_deck) -> None:
    a = write_deck(basic_deck_yaml(1, "a"), "a.yaml")
    add_preset(store, "Strict")
    save_preset(store, "Strict", replace(store.settings(), leech_threshold=1))
    assign_preset(store, "a", "Strict")
    session = study_session(store, clock, [a])
    session.grade(Grade.EASY)
    clock.advance(timedelta(days=60))
    session = study_session(store, clock, [a])
    answered = session.grade(Grade.AGAIN)  # the first lapse: a leech under Strict (Default waits for 8)
    assert answered.leech
    state = store.state("a", answered.card.key)
    assert state is not None and state.suspended and state.leech
    assert session.settings_of(answered.card).leech_threshold == 1


def test_home_counts_each_deck_within_its_presets_limits(store: Store) -> None:
    add_preset(store, "Few")
    save_preset(store, "Few", replace(store.settings(), new_per_day=1, reviews_per_day=7))
    assign_preset(store, "a", "Few")
    per_deck = deck_settings(store)
    assert limits_left(store, "a", per_deck, START) == (1, 7)
    assert limits_left(store, "b", per_deck, START) == (20, 200)


# --- the store ---------------------------------------------------------------------------------------


def test_an_old_store_gains_presets_and_keeps_everything(tmp_path: Path) -> None:
    before = next(i for i, script in enumerate(MIGRATIONS) if "CREATE TABLE preset" in script)
    path = tmp_path / STORE_NAME
    db = sqlite3.connect(path, isolation_level=None)
    for number, script in enumerate(MIGRATIONS[:before], start=1):
        for statement in filter(str.strip, script.split(";")):
            db.execute(statement)
        db.execute(f"PRAGMA user_version={number}")
    db.execute("INSERT INTO settings (key, value) VALUES ('new_per_day', '12')")
    db.close()
    store = Store(path)
    try:
        assert store.schema_version == len(MIGRATIONS)
        assert store.settings().new_per_day == 12
        assert preset_names(store) == [DEFAULT]
        assert deck_settings(store).of("a") == store.settings()
        add_preset(store, "Fast")
        assign_preset(store, "a", "Fast")
        assert preset_of(store, "a") == "Fast"
        assert not store.is_empty()
    finally:
        store.close()
    reopened = Store(path)  # and it opens again, migrated once
    assert preset_of(reopened, "a") == "Fast"
    reopened.close()


def test_a_deck_cannot_be_given_a_preset_that_does_not_exist_in_the_store(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):  # the foreign key, behind assign_preset's own check
        store.assign_preset("a", "Nope")
    assert store.deck_presets() == {}


def test_easy_days_belong_to_a_preset_and_the_load_balancer_to_every_deck(tmp_path: Path) -> None:
    store = Store.in_folder(tmp_path / "data")
    add_preset(store, "Weekends off")
    save_preset(store, "Weekends off", replace(read_preset(store, "Weekends off"), easy_days=(1, 1, 1, 1, 1, 0.5, 0)))
    store.save_settings(replace(store.settings(), load_balancer=False))
    store.close()
    store = Store.in_folder(tmp_path / "data")  # both survive a restart
    assert read_preset(store, "Weekends off").easy_days == (1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.0)
    assert read_preset(store, DEFAULT).easy_days == (1.0,) * 7
    assert read_preset(store, "Weekends off").load_balancer is False
    with pytest.raises(SettingOutOfRange, match="seven values, Monday to Sunday"):
        save_preset(store, DEFAULT, replace(store.settings(), easy_days=(1.0, 1.0)))
    store.close()
