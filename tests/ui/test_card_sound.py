"""A card's sound files (the `[sound:name]` its text shows, a file in its deck's media folder): `h` (Ctrl+L while
typing) opens them with the system's player where a card's pictures open with `i`, and is in the footer only on a
card that names a sound; a sound file gone says so."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from conftest import messages, open_exam_setup, open_study, said_after, screen_text, start_exam
from textual.widgets import Input

from quiz.core.model import Mode
from quiz.ui.screens.exam import ExamResultsScreen
from tests.ui.test_card_images import open_card_page, opened  # noqa: F401  (opened: the picture tests' fixture)

SIZE = (80, 24)
SAY = b"ID3 the word, said"
MEANING = b"OggS its meaning, said"
NAME = "der Hund (m).mp3"  # spaces and brackets, as shared decks name them


def sound_deck(folder: Path) -> Path:
    """A deck whose one card names a sound on its question and another on its answer, in its media folder, as an
    import of an Anki package leaves it."""
    (folder / "words-media").mkdir(parents=True)
    (folder / "words-media" / NAME).write_bytes(SAY)
    (folder / "words-media" / "meaning.ogg").write_bytes(MEANING)
    deck = folder / "words.yaml"
    deck.write_text(
        "deck: words\ntitle: Words\ncards:\n"
        f"  - {{id: hund, kind: basic, front: 'der Hund [sound:{NAME}]', back: 'the dog [sound:meaning.ogg]'}}\n",
        encoding="utf-8",
    )
    return deck


def typed_sound_deck(folder: Path) -> Path:
    """`sound_deck`, its card typed: the answer box has the focus, where `h` is a letter."""
    deck = sound_deck(folder)
    deck.write_text(deck.read_text(encoding="utf-8").replace("kind: basic", "kind: typed").replace("back:", "answer:"))
    return deck


def words_deck(folder: Path, front: str) -> Path:
    """Deck `words` in `folder`, one basic card whose question is `front` (its media folder: words-media)."""
    deck = folder / "words.yaml"
    deck.write_text(
        f"deck: words\ntitle: Words\ncards:\n  - {{id: w, kind: basic, front: '{front}', back: y}}\n", encoding="utf-8"
    )
    return deck


@asynccontextmanager
async def studying_words(app_factory, folder: Path, front: str) -> AsyncIterator:
    """Study of `words_deck` in `folder`, its one card's question `front` (its media folder made if the test has not
    put files there): the pilot, on that card."""
    (folder / "words-media").mkdir(parents=True, exist_ok=True)
    app = app_factory([words_deck(folder, front)])
    async with app.run_test(size=SIZE) as pilot:
        await open_study(pilot)
        yield pilot


async def test_study_opens_the_question_s_sound_then_every_sound_once_answered(
    app_factory,
    tmp_path: Path,
    opened: list[Path],  # noqa: F811
) -> None:
    media = tmp_path / "decks" / "words-media"
    app = app_factory([sound_deck(tmp_path / "decks")])
    async with app.run_test(size=SIZE) as pilot:
        await open_study(pilot)
        assert f"der Hund [sound:{NAME}]" in screen_text(app)  # the reference, as written
        await pilot.press("h")
        await pilot.pause()
        assert opened == [media / NAME]  # only the question's: the answer's is not heard before it is shown
        await pilot.press("space")
        await pilot.pause()
        assert "h Sound" in screen_text(app)
        await pilot.press("h")
        await pilot.pause()
        assert opened == [media / NAME, media / NAME, media / "meaning.ogg"]
        await pilot.press("3")
        await pilot.pause()
    assert [r.mode for r in app.context.store.reviews(deck_id="words", card_key="hund")] == [Mode.REVIEW]


async def test_the_card_page_and_the_exam_open_the_sounds_ctrl_l_while_typing(
    app_factory,
    tmp_path: Path,
    opened: list[Path],  # noqa: F811
) -> None:
    media = tmp_path / "decks" / "words-media"
    app = app_factory([typed_sound_deck(tmp_path / "decks")])
    async with app.run_test(size=SIZE) as pilot:
        await open_card_page(app, pilot, "words")
        assert "h Sound" in screen_text(app)
        await pilot.press("h")
        await pilot.pause()
        assert opened == [media / NAME, media / "meaning.ogg"]
        await pilot.press("escape")
        await pilot.pause()
        await start_exam(pilot, await open_exam_setup(pilot), "1")
        await pilot.press("ctrl+l")  # the answer box has the focus: `h` is typed
        await pilot.pause()
        assert opened == [media / NAME, media / "meaning.ogg", media / NAME]
        await pilot.press("enter")  # nothing given: a mistake, reviewed with its right answer
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        await pilot.press("h")
        await pilot.pause()
        assert opened[3:] == [media / NAME, media / "meaning.ogg"]


async def test_study_while_typing_leaves_h_to_the_answer_and_ctrl_l_opens_the_sound(
    app_factory,
    tmp_path: Path,
    opened: list[Path],  # noqa: F811
) -> None:
    media = tmp_path / "decks" / "words-media"
    app = app_factory([typed_sound_deck(tmp_path / "decks")])
    async with app.run_test(size=SIZE) as pilot:
        study = await open_study(pilot)
        assert "h Sound" not in screen_text(app)  # `h` is a letter of the answer now
        await pilot.press("h")
        await pilot.pause()
        assert opened == [] and study.query_one(Input).value == "h"
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert opened == [media / NAME]
        await pilot.press("enter")  # checked: the input is locked, `h` is the screen's again
        await pilot.pause()
        assert "h Sound" in screen_text(app)
        await pilot.press("h")
        await pilot.pause()
        assert opened == [media / NAME, media / NAME, media / "meaning.ogg"]


async def test_a_card_without_a_sound_has_no_sound_key(
    app_factory,
    tmp_path: Path,
    opened: list[Path],  # noqa: F811
) -> None:
    deck = sound_deck(tmp_path / "decks")
    with deck.open("a", encoding="utf-8") as file:
        file.write("  - {id: katze, kind: basic, front: die Katze, back: the cat}\n")
    app = app_factory([deck])
    async with app.run_test(size=SIZE) as pilot:
        await open_study(pilot)
        assert "der Hund" in screen_text(app) and "h Sound" in screen_text(app)
        await pilot.press("space", "3")  # on to the card without a sound
        await pilot.pause()
        assert "die Katze" in screen_text(app) and "Sound" not in screen_text(app)
        await pilot.press("h", "space")
        await pilot.pause()
        assert "Sound" not in screen_text(app)
        await pilot.press("h")
        await pilot.pause()
        assert opened == []


async def test_a_sound_file_gone_since_loading_is_named_and_nothing_opens(
    app_factory,
    tmp_path: Path,
    opened: list[Path],  # noqa: F811
) -> None:
    app = app_factory([sound_deck(tmp_path / "decks")])
    gone = tmp_path / "decks" / "words-media" / NAME
    async with app.run_test(size=SIZE) as pilot:
        await open_study(pilot)
        gone.unlink()
        await pilot.press("h")
        await pilot.pause()
        assert opened == []
        assert f"The sound file {gone} is not there" in messages(app)
        assert "(an import keeps no sound file over 20.0 MB: its warning said so)" in messages(app)  # as it said
        assert f"der Hund [sound:{NAME}]" in screen_text(app)  # the card is still there, studied as before


async def test_a_reference_that_is_no_file_name_of_the_media_folder_opens_nothing(
    app_factory,
    tmp_path: Path,
    opened: list[Path],  # noqa: F811
) -> None:
    folder = tmp_path / "decks"
    (folder / "words-media" / "sub").mkdir(parents=True)
    (folder / "words-media" / "sub" / "inner.mp3").write_bytes(SAY)
    (folder / "words-media" / "plain.mp3").write_bytes(SAY)
    (folder / "outside.mp3").write_bytes(SAY)
    front = "x [sound:../outside.mp3] [sound:sub/inner.mp3] [sound:plain.mp3]"
    async with studying_words(app_factory, folder, front) as pilot:
        await said_after(pilot, "ctrl+l")
        assert opened == [folder / "words-media" / "plain.mp3"]  # only a file of the deck's media folder


async def test_a_sound_file_that_is_no_audio_or_video_file_is_refused_and_nothing_opens(
    app_factory,
    tmp_path: Path,
    opened: list[Path],  # noqa: F811
) -> None:
    """The system's "open" runs a program or a script: a file on disk named as a sound (an older import kept any)
    is never handed to it, nor a link of a sound's name leading to one."""
    folder = tmp_path / "decks"
    (folder / "words-media").mkdir(parents=True)
    (folder / "words-media" / "play.bat").write_bytes(b"calc.exe\r\n")
    (folder / "words-media" / "linked.mp3").symlink_to("play.bat")
    (folder / "words-media" / "plain.mp3").write_bytes(SAY)
    front = "x [sound:play.bat] [sound:linked.mp3] [sound:plain.mp3]"
    async with studying_words(app_factory, folder, front) as pilot:
        said = await said_after(pilot, "h")
        assert opened == [folder / "words-media" / "plain.mp3"]
        assert "This card's sound 'play.bat' is not an audio or video file" in said
        assert f"The sound file {folder / 'words-media' / 'linked.mp3'} is not an audio or video file" in said


async def test_a_card_whose_only_sound_is_a_program_shows_no_sound_key_and_opens_nothing(
    app_factory,
    tmp_path: Path,
    opened: list[Path],  # noqa: F811
) -> None:
    """As an import leaves a package's `[sound:play.bat]`: its reference as text, no file kept."""
    async with studying_words(app_factory, tmp_path / "decks", "x [sound:play.bat]") as pilot:
        assert "h Sound" not in screen_text(pilot.app)
        said = await said_after(pilot, "ctrl+l")
        assert opened == []
        assert "This card's sound 'play.bat' is not an audio or video file" in said


async def test_a_card_whose_only_sound_is_no_file_name_of_the_media_folder_says_so(
    app_factory,
    tmp_path: Path,
    opened: list[Path],  # noqa: F811
) -> None:
    folder = tmp_path / "decks"
    (folder / "words-media" / "sub").mkdir(parents=True)
    (folder / "words-media" / "sub" / "x.mp3").write_bytes(SAY)
    async with studying_words(app_factory, folder, "x [sound:sub/x.mp3]") as pilot:
        said = await said_after(pilot, "ctrl+l")
        assert opened == []
        assert "names no sound file" not in said
        assert "'sub/x.mp3' is a path (a `/` or `\\` in it), not the name of a file of the deck's media folder" in said


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("a:b.mp3", "holds a character no file of the deck's media folder has in its name"),
        (".hidden.mp3", "starts with a space or a dot (a hidden file)"),
        ("a" * 126 + ".mp3", "is longer than 120 characters"),
        ("x.mp3 ", "ends in a space or a dot, which Windows drops from a file name"),
        ("\u2003x.mp3", "starts with a space or a dot"),  # an em space: no plain name (is_plain), and said so
    ],
    ids=["colon", "hidden", "long", "trailing-space", "em-space"],
)
async def test_a_reference_naming_no_file_of_the_media_folder_says_the_one_reason_it_names_none(
    app_factory,
    tmp_path: Path,
    opened: list[Path],  # noqa: F811
    name: str,
    why: str,
) -> None:
    """Each was said to have "a path or `..` in it", or to be a program the system "would run"."""
    async with studying_words(app_factory, tmp_path / "decks", f"x [sound:{name}]") as pilot:
        said = await said_after(pilot, "ctrl+l")
        assert opened == []
        assert f"This card's sound {name!r} {why}" in said
        assert "a path" not in said and "would run" not in said
