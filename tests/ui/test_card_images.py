"""A card's picture in study, on the card page and in an exam: without graphics (NO_COLOR, no terminal) it is
named `[image: name]` with the key that opens it in the system's viewer."""

from __future__ import annotations

import os
import shlex
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import open_exam_setup, open_study, screen_text, start_exam

from quiz.core.clock import FixedClock
from quiz.core.model import Mode
from quiz.output import commands_naming
from quiz.ui.graphics import graphics_wanted
from quiz.ui.screens.browse import CardScreen
from quiz.ui.widgets import card_image
from quiz.ui.widgets.card_image import CardImage, viewer_command

SIZE = (80, 24)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010800000000"
    "3a7e9b550000000a49444154789c63600000000200015e14b1d60000000049454e44ae426082"
)
NAME = "[b]heart.png"  # markup-looking: shown as these characters


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The pictures the system's viewer was asked to open (nothing is started)."""
    calls: list[Path] = []
    monkeypatch.setattr(card_image, "open_externally", calls.append)
    monkeypatch.setenv("NO_COLOR", "1")
    return calls


def picture_deck(folder: Path) -> Path:
    (folder / "pics").mkdir(parents=True)
    (folder / "pics" / NAME).write_bytes(PNG)
    deck = folder / "pictures.yaml"
    deck.write_text(
        "deck: pictures\ntitle: Pictures\ncards:\n"
        f"  - {{id: heart, kind: typed, front: Which organ?, answer: heart, image: 'pics/{NAME}'}}\n",
        encoding="utf-8",
    )
    return deck


async def open_card_page(app, pilot, deck_id: str) -> None:
    """The card page of deck `deck_id`'s first card, opened over Home once the app has settled."""
    await pilot.pause()
    deck = app.context.library.deck(deck_id)
    assert deck is not None
    app.push_screen(CardScreen(deck, deck.cards[0]))
    await pilot.pause()


async def studied_card_text(app, pilot) -> str:
    """Home's Enter on the first deck: the study screen's text, its first card shown."""
    await open_study(pilot)
    return screen_text(app)


async def test_the_card_page_shows_the_picture_and_opens_it(app_factory, tmp_path: Path, opened: list[Path]) -> None:
    app = app_factory([picture_deck(tmp_path / "decks")])
    async with app.run_test(size=SIZE) as pilot:
        await open_card_page(app, pilot, "pictures")
        assert f"[image: {NAME}]" in screen_text(app)
        await pilot.press("i")
        await pilot.pause()
        assert opened == [tmp_path / "decks" / "pics" / NAME]


async def test_an_exam_question_shows_its_picture(app_factory, tmp_path: Path, opened: list[Path]) -> None:
    app = app_factory([picture_deck(tmp_path / "decks")])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await start_exam(pilot, await open_exam_setup(pilot), "1")
        assert f"[image: {NAME}]  i opens it" in screen_text(app)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert opened == [tmp_path / "decks" / "pics" / NAME]


async def test_a_card_without_picture_shows_none(app_factory, opened: list[Path]) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert not app.screen.query_one(CardImage).display
        assert "[image" not in screen_text(app)


SECOND = "[i]lungs 1.png"  # markup-looking too


def two_picture_deck(folder: Path) -> Path:
    (folder / "pics").mkdir(parents=True)
    for name in (NAME, SECOND):
        (folder / "pics" / name).write_bytes(PNG)
    deck = folder / "organs.yaml"
    deck.write_text(
        "deck: organs\ntitle: Organs\ncards:\n"
        "  - {id: pair, kind: typed, front: Which organs?, answer: heart,\n"
        f"     image: ['pics/{NAME}', 'pics/{SECOND}']}}\n",
        encoding="utf-8",
    )
    return deck


@pytest.mark.parametrize(
    ("write_deck", "deck_id", "card_key", "question", "shown", "names"),
    [
        (picture_deck, "pictures", "heart", "Which organ?", f"[image: {NAME}]  i opens it", [NAME]),
        (
            two_picture_deck,
            "organs",
            "pair",
            "Which organs?",
            f"[image: {NAME}]  [image: {SECOND}]  i opens them",  # in order, then the key
            [NAME, SECOND],
        ),
    ],
    ids=["its picture", "every picture of a card"],
)
async def test_study_names_the_pictures_the_key_opens_them_and_the_review_is_kept(
    app_factory,
    tmp_path: Path,
    opened: list[Path],
    write_deck: Callable[[Path], Path],
    deck_id: str,
    card_key: str,
    question: str,
    shown: str,
    names: list[str],
) -> None:
    pictures = [tmp_path / "decks" / "pics" / name for name in names]
    app = app_factory([write_deck(tmp_path / "decks")])
    async with app.run_test(size=SIZE) as pilot:
        text = await studied_card_text(app, pilot)
        assert shown in text and question in text
        await pilot.press("ctrl+o")  # the answer box has the focus: `i` would be typed
        await pilot.pause()
        assert opened == pictures
        await pilot.press(*"heart", "enter")
        await pilot.pause()
        assert shown in screen_text(app)  # still there with the answer
        await pilot.press("i")  # answered: `i` is free again
        await pilot.pause()
        assert opened == pictures * 2
        await pilot.press("3")
        await pilot.pause()
    reviews = app.context.store.reviews(deck_id=deck_id, card_key=card_key)
    assert [r.mode for r in reviews] == [Mode.REVIEW]


async def test_the_card_page_and_an_exam_show_every_picture(app_factory, tmp_path: Path, opened: list[Path]) -> None:
    app = app_factory([two_picture_deck(tmp_path / "decks")])
    both = [tmp_path / "decks" / "pics" / NAME, tmp_path / "decks" / "pics" / SECOND]
    async with app.run_test(size=SIZE) as pilot:
        await open_card_page(app, pilot, "organs")
        text = screen_text(app)
        assert f"[image: {NAME}]  [image: {SECOND}]  i opens them" in text
        await pilot.press("i")
        await pilot.pause()
        assert opened == both
        await pilot.press("escape")
        await pilot.pause()
        await start_exam(pilot, await open_exam_setup(pilot), "1")
        text = screen_text(app)
        assert f"[image: {NAME}]  [image: {SECOND}]  i opens them" in text
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert opened == both * 2


@pytest.mark.parametrize(
    ("write_deck", "deck_id", "shown", "still_opened", "said"),
    [
        (picture_deck, "pictures", f"[image missing: {NAME}]", [], "is gone"),
        (
            two_picture_deck,
            "organs",
            f"[image missing: {NAME}]  [image: {SECOND}]  i opens them",
            [SECOND],
            f"{NAME} is gone",
        ),
    ],
    ids=["its only picture", "one of two"],
)
async def test_a_picture_gone_since_loading_is_named_missing_and_only_the_others_open(
    app_factory,
    tmp_path: Path,
    opened: list[Path],
    write_deck: Callable[[Path], Path],
    deck_id: str,
    shown: str,
    still_opened: list[str],
    said: str,
) -> None:
    app = app_factory([write_deck(tmp_path / "decks")])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.context.library.deck(deck_id) is not None
        (tmp_path / "decks" / "pics" / NAME).unlink()
        await pilot.press("enter")
        await pilot.pause()
        assert shown in screen_text(app)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert opened == [tmp_path / "decks" / "pics" / name for name in still_opened]
        assert any(said in n.message for n in app._notifications)


async def test_a_picture_named_like_a_command_is_named_as_it_is_when_it_is_gone(
    app_factory, tmp_path: Path, opened: list[Path]
) -> None:
    """Started with --data-dir, "The picture PATH is gone." gave the "`quiz " of a picture named like a command the
    data folder (a picture's path is none of the paths kept: the deck file's is)."""
    name = "p `quiz list` x.png"
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / name).write_bytes(PNG)
    deck = folder / "pictures.yaml"
    deck.write_text(
        "deck: pictures\ntitle: Pictures\ncards:\n"
        f"  - {{id: heart, kind: typed, front: Which organ?, answer: heart, image: '{name}'}}\n",
        encoding="utf-8",
    )
    app = app_factory([deck])
    with commands_naming(tmp_path / "data"):  # as `quiz --data-dir DATA` runs the app
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            (folder / name).unlink()
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("ctrl+o")
            await pilot.pause()
            messages = [n.message for n in app._notifications]
    assert opened == [] and f"The picture {folder / name} is gone." in messages


def test_the_viewer_gets_the_absolute_path_as_one_argument(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr(subprocess, "Popen", lambda command, **_: started.append(command))
    path = tmp_path / "-x; rm -rf ~.png"
    card_image.open_externally(path)
    assert started == [viewer_command(path)]
    assert started[0][1:] == [str(path.resolve())]  # absolute: never taken for an option; no shell


def test_no_graphics_are_asked_for_without_a_terminal_or_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert not graphics_wanted()


def occlusion_deck(folder: Path) -> Path:
    (folder / "pics").mkdir(parents=True)
    from PIL import Image

    Image.new("RGB", (100, 50), "white").save(folder / "pics" / "cell.png")
    deck = folder / "cells.yaml"
    deck.write_text(
        "deck: cells\ntitle: Cells\ncards:\n"
        "  - {id: cell, kind: occlusion, image: pics/cell.png, front: Name the part.,"
        " regions: [{x: 0.0, y: 0.0, w: 0.5, h: 0.5, label: nucleus}, {x: 0.5, y: 0.5, w: 0.5, h: 0.5}]}\n",
        encoding="utf-8",
    )
    return deck


async def test_an_occlusion_card_masks_its_region_opens_the_masked_picture_and_is_graded(
    app_factory, tmp_path: Path, opened: list[Path]
) -> None:
    from PIL import Image

    app = app_factory([occlusion_deck(tmp_path / "decks")])
    async with app.run_test(size=SIZE) as pilot:
        text = await studied_card_text(app, pilot)
        assert "occlusion: region 1 of 2" in text and "Name the part." in text
        assert "[image: cell.png, region 1 masked]  i opens it" in text
        assert "nucleus" not in text
        await pilot.press("i")
        await pilot.pause()
        (question,) = opened
        with Image.open(question) as drawn:  # the asked region masked in red, the other in yellow
            assert drawn.getpixel((10, 10)) == (255, 126, 126)
            assert drawn.getpixel((90, 40)) == (255, 235, 162)
        assert (tmp_path / "decks" / "pics" / "cell.png") not in opened  # never the unmasked picture
        await pilot.press("space")
        await pilot.pause()
        text = screen_text(app)
        assert "[image: cell.png, answer]" in text and "Answer: nucleus" in text
        await pilot.press("i")
        await pilot.pause()
        with Image.open(opened[-1]) as drawn:
            assert drawn.getpixel((10, 10)) == (255, 255, 255)  # shown
            assert drawn.getpixel((90, 40)) == (255, 235, 162)  # the other still hidden
        await pilot.press("3")
        await pilot.pause()
        assert "Saved: Good" in screen_text(app)
    reviews = app.context.store.reviews(deck_id="cells", card_key="cell/1")
    assert [r.mode for r in reviews] == [Mode.REVIEW]


#: A PNG whose header is sound and whose pixel data is cut short (what the Anki fixtures' pictures are): found by
#: its first bytes, so it loads with the deck, but Pillow cannot decode it.
DAMAGED_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


async def test_a_damaged_picture_is_named_unreadable_and_never_drawn_so_the_card_is_still_studied(
    app_factory, tmp_path: Path, opened: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual_image.widget import HalfcellImage

    monkeypatch.setattr(card_image, "_drawer", HalfcellImage)  # a terminal with graphics: the picture is drawn
    deck = picture_deck(tmp_path / "decks")
    (tmp_path / "decks" / "pics" / NAME).write_bytes(DAMAGED_PNG)
    app = app_factory([deck])
    async with app.run_test(size=SIZE) as pilot:
        text = await studied_card_text(app, pilot)
        assert f"[image unreadable: {NAME}]" in text and "i opens" not in text
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert opened == []
        assert any("cannot be read (damaged or cut short): replace the file" in n.message for n in app._notifications)
        await pilot.press(*"heart", "enter")
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
    reviews = app.context.store.reviews(deck_id="pictures", card_key="heart")
    assert [r.mode for r in reviews] == [Mode.REVIEW]


async def test_an_occlusion_card_with_a_damaged_picture_names_it_unreadable(
    app_factory, tmp_path: Path, opened: list[Path]
) -> None:
    deck = occlusion_deck(tmp_path / "decks")
    (tmp_path / "decks" / "pics" / "cell.png").write_bytes(DAMAGED_PNG)
    app = app_factory([deck])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "[image unreadable: cell.png]" in text and "missing" not in text
        await pilot.press("i")
        await pilot.pause()
        assert opened == []
        assert any("cell.png cannot be read" in n.message for n in app._notifications)


async def test_without_a_viewer_program_i_says_so_and_where_the_picture_is(
    app_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "decks" / "pics" / NAME
    messages = [
        n.message for n in await _notices_with_no_viewer(app_factory, picture_deck(tmp_path / "decks"), monkeypatch)
    ]
    # quoted as a shell word (docs/command-line.md): a name such as "my heart.png" pastes as one path
    quoted = shlex.quote(str(path))
    assert f"No program to open pictures (quiz-test-no-such-viewer is not installed): open {quoted} yourself." in (
        messages
    )


async def test_without_a_viewer_program_i_names_every_picture_of_the_card_in_one_notice(
    app_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notices = await _notices_with_no_viewer(app_factory, two_picture_deck(tmp_path / "decks"), monkeypatch)
    pics = tmp_path / "decks" / "pics"
    assert [n.message for n in notices] == [  # the names as they are: never read as markup
        "No program to open pictures (quiz-test-no-such-viewer is not installed): open these yourself:\n"
        f"{shlex.quote(str(pics / NAME))}\n{shlex.quote(str(pics / SECOND))}"  # "lungs 1.png": one word
    ]
    assert all(not n.markup for n in notices)


async def _notices_with_no_viewer(app_factory, deck: Path, monkeypatch: pytest.MonkeyPatch) -> list:
    """The notices after Enter studies `deck` and Ctrl+O asks to open its card's pictures, with no viewer program."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(card_image, "viewer_command", lambda path: ["quiz-test-no-such-viewer", str(path)])
    app = app_factory([deck])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        return list(app._notifications)


async def test_the_pictures_of_a_package_anki_wrote_are_drawn_once_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], opened: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The Anki-made packages of tests/data/anki once held a PNG cut short: imported, every picture of theirs showed
    # as "[image unreadable: ...]". A damaged picture is tested above, with bytes of its own.
    from textual_image.widget import HalfcellImage

    from tests.conftest import run_cli
    from tests.core.test_anki_history import DATA, TODAY
    from tests.ui.conftest import make_app

    monkeypatch.setattr(card_image, "_drawer", HalfcellImage)  # a terminal with graphics: the picture is drawn
    data = tmp_path / "data"
    code, _, err = run_cli(capsys, "--data-dir", str(data), "import", str(DATA / "current.apkg"))
    assert code == 0, err
    media = data / "decks" / "current-media"
    assert {p.name: card_image.picture_state(card_image.Picture(p, p.name, media)) for p in media.iterdir()} == {
        "occluded.png": "found",
        "pixel.png": "found",
    }
    app = make_app(data, FixedClock(TODAY), [])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rows = screen_text(app).splitlines()
        start = next(n for n, row in enumerate(rows) if "Fixtures" in row)
        occlusion = next(n for n, row in enumerate(rows) if row.strip().startswith("Occlusion"))
        await pilot.press(*["down"] * (occlusion - start), "enter")  # its two new cards, one per mask
        await pilot.pause()
        text = screen_text(app)
        assert "[image: occluded.png, region 1 masked]" in text and "unreadable" not in text
        assert "▀" in text  # drawn in half-blocks
        await pilot.press("space")
        await pilot.pause()
        text = screen_text(app)
        assert "[image: occluded.png, answer]" in text and "unreadable" not in text


@contextmanager
def _fed_if_read(fifo: Path, data: bytes) -> Iterator[None]:
    """Writes `data` into the named pipe `fifo` once something opens it for reading: a screen that did would
    then show the picture as sound (and the test fail), rather than wait for a writer forever."""
    stop = threading.Event()

    def feed() -> None:
        while not stop.is_set():
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)  # ENXIO while no one reads it
            except OSError:
                stop.wait(0.05)
                continue
            os.write(fd, data)
            os.close(fd)
            return

    thread = threading.Thread(target=feed, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@pytest.mark.parametrize("kind", ["typed", "occlusion"])
async def test_a_picture_made_a_named_pipe_since_loading_is_unreadable_and_never_opened(
    app_factory, tmp_path: Path, opened: list[Path], kind: str
) -> None:
    """A deck's pictures are checked when it loads (the deck cache keeps that while the deck file is unchanged):
    a pipe put where a picture was since then blocked the study screen, which opened it to decode it, until
    something wrote into it."""
    deck = picture_deck(tmp_path / "decks") if kind == "typed" else occlusion_deck(tmp_path / "decks")
    picture = tmp_path / "decks" / "pics" / (NAME if kind == "typed" else "cell.png")
    app = app_factory([deck])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        sound = picture.read_bytes()
        picture.unlink()
        os.mkfifo(picture)
        with _fed_if_read(picture, sound):
            text = await studied_card_text(app, pilot)
            assert f"[image unreadable: {picture.name}" in text
            await pilot.press("ctrl+o")
            await pilot.pause()
        assert opened == []
        assert any("cannot be read" in n.message for n in app._notifications)


def _linked_out(picture: Path) -> Path:
    """`picture` replaced by a link to a real picture outside its deck's folder; that picture."""
    outside = picture.parents[2] / "elsewhere" / "private.png"
    outside.parent.mkdir()
    outside.write_bytes(picture.read_bytes())
    picture.unlink()
    picture.symlink_to(outside)
    return outside


@pytest.mark.parametrize("kind", ["typed", "occlusion"])
async def test_a_picture_made_a_link_out_since_loading_is_never_drawn_nor_opened(
    app_factory, tmp_path: Path, opened: list[Path], monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """The screens checked only that a picture was a regular file: one replaced by a link leading out of the deck's
    folder while quiz was open (or while its deck stayed cached) was drawn, and `i` handed what it led to to the
    system's viewer."""
    from textual_image.widget import HalfcellImage

    monkeypatch.setattr(card_image, "_drawer", HalfcellImage)  # a terminal with graphics: a picture is drawn
    deck = picture_deck(tmp_path / "decks") if kind == "typed" else occlusion_deck(tmp_path / "decks")
    picture = tmp_path / "decks" / "pics" / (NAME if kind == "typed" else "cell.png")
    app = app_factory([deck])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.context.library.deck("pictures" if kind == "typed" else "cells") is not None
        outside = _linked_out(picture)
        text = await studied_card_text(app, pilot)
        assert f"[image linked out: {picture.name}]" in text and "i opens" not in text
        shown = app.screen.query_one(CardImage)
        assert [p.path for p in shown.pictures] == [picture]  # never a masked copy of what the link leads to
        assert not any(drawn.display for drawn in shown.query(".picture"))
        await pilot.press("ctrl+o" if kind == "typed" else "i")
        await pilot.pause()
        assert opened == []
        assert any("is a link leading outside its deck's folder" in n.message for n in app._notifications)
    assert outside.read_bytes()  # left as it was


async def test_a_picture_made_a_link_to_a_program_s_name_since_loading_is_never_drawn_nor_opened(
    app_factory, tmp_path: Path, opened: list[Path]
) -> None:
    """Ctrl+O handed a picture whose file is now `heart.hta` (a PNG's bytes) to the system's opener, which on
    Windows picks the program by the suffix: it ran."""
    picture = tmp_path / "decks" / "pics" / NAME
    app = app_factory([picture_deck(tmp_path / "decks")])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.context.library.deck("pictures") is not None
        picture.rename(picture.with_name("heart.hta"))
        picture.symlink_to("heart.hta")  # inside the folder: only its name is wrong
        text = await studied_card_text(app, pilot)
        assert f"[image misnamed: {NAME}]" in text and "i opens" not in text
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert opened == []
        notices = [n for n in app._notifications if "is not opened" in n.message]
        assert len(notices) == 1 and "would run it as a program" in notices[0].message
        assert not notices[0].markup


async def test_a_picture_made_a_link_out_since_its_deck_was_cached_is_a_problem_on_home(
    app_factory, tmp_path: Path
) -> None:
    deck = picture_deck(tmp_path / "decks")
    first = app_factory([deck])
    async with first.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert first.context.library.deck("pictures") is not None
    _linked_out(tmp_path / "decks" / "pics" / NAME)
    app = app_factory([deck])
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert app.context.library.deck("pictures") is None
        assert "leads outside the deck's folder" in screen_text(app)


async def test_a_picture_drawn_then_made_a_link_out_is_never_read_again(
    app_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The picture was checked once, then handed to the drawer by its path, which reopened it at every redraw (a
    theme change, anything that repaints it): a link leading out put in its place while the card was on screen
    was drawn. The drawer now gets what was read from the checked file, and never reads the path again."""
    from PIL import Image
    from textual_image.widget import HalfcellImage

    monkeypatch.setattr(card_image, "_drawer", HalfcellImage)  # a terminal with graphics: a picture is drawn
    read_by_path: list[Path] = []
    real_open = Image.open

    def spy(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)):
            read_by_path.append(Path(file).resolve())
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(Image, "open", spy)
    app = app_factory([picture_deck(tmp_path / "decks")])
    async with app.run_test(size=SIZE) as pilot:
        await studied_card_text(app, pilot)
        assert any(drawn.display for drawn in app.screen.query_one(CardImage).query(".picture"))
        outside = _linked_out(tmp_path / "decks" / "pics" / NAME)
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"  # every widget drawn again
        await pilot.pause()
    assert outside.resolve() not in read_by_path


LABELLED = "[b]labelled heart.png"  # markup-looking: shown as these characters


def answer_picture_deck(folder: Path) -> Path:
    """A card whose question shows a plain picture and whose answer shows the labelled one (`answer_image:`)."""
    (folder / "pics").mkdir(parents=True)
    for name in (NAME, LABELLED):
        (folder / "pics" / name).write_bytes(PNG)
    deck = folder / "anatomy.yaml"
    deck.write_text(
        "deck: anatomy\ntitle: Anatomy\ncards:\n"
        "  - {id: heart, kind: basic, front: Name the organ, back: the heart,\n"
        f"     image: 'pics/{NAME}', answer_image: 'pics/{LABELLED}'}}\n",
        encoding="utf-8",
    )
    return deck


async def test_study_shows_the_answer_picture_only_once_the_answer_is_shown(
    app_factory, tmp_path: Path, opened: list[Path]
) -> None:
    question, answer = tmp_path / "decks" / "pics" / NAME, tmp_path / "decks" / "pics" / LABELLED
    app = app_factory([answer_picture_deck(tmp_path / "decks")])
    async with app.run_test(size=SIZE) as pilot:
        text = await studied_card_text(app, pilot)
        assert "Name the organ" in text and f"[image: {NAME}]  i opens it" in text
        assert "labelled" not in text and "the heart" not in text
        await pilot.press("i")  # only what is on screen: the question's picture
        await pilot.pause()
        assert opened == [question]
        await pilot.press("space")
        await pilot.pause()
        text = screen_text(app)
        assert "the heart" in text and f"[image: {NAME}]  [image: {LABELLED}]  i opens them" in text
        await pilot.press("i")
        await pilot.pause()
        assert opened == [question, question, answer]
        await pilot.press("3")
        await pilot.pause()
    assert [r.mode for r in app.context.store.reviews(deck_id="anatomy", card_key="heart")] == [Mode.REVIEW]


async def test_an_exam_shows_the_answer_picture_only_after_the_answer_and_the_card_page_shows_both(
    app_factory, tmp_path: Path, opened: list[Path]
) -> None:
    question, answer = tmp_path / "decks" / "pics" / NAME, tmp_path / "decks" / "pics" / LABELLED
    app = app_factory([answer_picture_deck(tmp_path / "decks")])
    async with app.run_test(size=SIZE) as pilot:
        await open_card_page(app, pilot, "anatomy")  # the whole card, its answer included
        assert f"[image: {NAME}]  [image: {LABELLED}]  i opens them" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await start_exam(pilot, await open_exam_setup(pilot), "1")
        text = screen_text(app)
        assert f"[image: {NAME}]  i opens it" in text and "labelled" not in text
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert opened == [question]
        await pilot.press("space")  # show the answer, then judge it
        await pilot.pause()
        text = screen_text(app)
        assert "Did you know it?" in text and f"[image: {NAME}]  [image: {LABELLED}]  i opens them" in text
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert opened == [question, question, answer]


async def test_an_exam_s_review_of_mistakes_shows_the_answer_picture_too(
    app_factory, tmp_path: Path, opened: list[Path]
) -> None:
    from quiz.ui.screens.exam import ExamResultsScreen

    question, answer = tmp_path / "decks" / "pics" / NAME, tmp_path / "decks" / "pics" / LABELLED
    app = app_factory([answer_picture_deck(tmp_path / "decks")])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await start_exam(pilot, await open_exam_setup(pilot), "1")
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("n")  # did not know it: a mistake, reviewed with its right answer
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        text = screen_text(app)
        assert "Mistake 1 of 1" in text and f"[image: {NAME}]  [image: {LABELLED}]  i opens them" in text
        await pilot.press("i")
        await pilot.pause()
        assert opened == [question, answer]


async def test_an_occlusion_keeps_its_masked_picture_and_shows_the_answer_picture_once_revealed(
    app_factory, tmp_path: Path, opened: list[Path]
) -> None:
    folder = tmp_path / "decks"
    (folder / "pics").mkdir(parents=True)
    for name in ("cell.png", LABELLED):
        (folder / "pics" / name).write_bytes(PNG)
    (folder / "cells.yaml").write_text(
        "deck: cells\ntitle: Cells\ncards:\n"
        f"  - {{id: cell, kind: occlusion, image: pics/cell.png, answer_image: 'pics/{LABELLED}',\n"
        "     regions: [{x: 0.1, y: 0.1, w: 0.5, h: 0.5, label: nucleus}]}\n",
        encoding="utf-8",
    )
    app = app_factory([folder / "cells.yaml"])
    async with app.run_test(size=SIZE) as pilot:
        text = await studied_card_text(app, pilot)
        assert "[image: cell.png, region 1 masked]  i opens it" in text and "labelled" not in text
        await pilot.press("space")
        await pilot.pause()
        assert f"[image: cell.png, answer]  [image: {LABELLED}]  i opens them" in screen_text(app)
        await pilot.press("i")
        await pilot.pause()
        assert opened[-1] == folder / "pics" / LABELLED and len(opened) == 2
