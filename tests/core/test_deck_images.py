"""A note's `image:`: a picture inside the deck's folder, checked where the deck is loaded and written back."""

import os
import re
import signal
import tracemalloc
import unicodedata
from pathlib import Path

import pytest

from quiz.commands import add
from quiz.core import images
from quiz.core.decks import load_deck_file, parse_deck
from quiz.core.deckwriter import deck_text
from quiz.core.kinds import KINDS
from tests.conftest import run_cli as run

#: the smallest real PNG (1x1, one grey pixel)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010800000000"
    "3a7e9b550000000a49444154789c63600000000200015e14b1d60000000049454e44ae426082"
)


def deck_with_image(folder: Path, image: str) -> Path:
    deck = folder / "deck.yaml"
    card = f"  - id: a\n    kind: basic\n    front: q\n    back: a\n    image: {image}\n"
    deck.write_text(f"deck: d\ntitle: T\ncards:\n{card}")
    return deck


def only_problem(deck: Path) -> str:
    result = load_deck_file(deck)
    assert result.deck is None
    assert len(result.problems) == 1, [str(p) for p in result.problems]
    problem = result.problems[0]
    assert (problem.line, problem.column) == (8, 12)  # the `image:` value
    return str(problem)


def test_an_image_beside_the_deck_loads_and_is_written_back(tmp_path: Path) -> None:
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "heart.png").write_bytes(PNG)
    result = load_deck_file(deck_with_image(tmp_path, "pics/heart.png"))
    assert result.ok, [str(p) for p in result.problems]
    assert result.deck is not None
    note = result.deck.notes[0]
    assert note.images == ("pics/heart.png",)
    assert images.image_path(result.deck.path, note.images[0]) == tmp_path / "pics" / "heart.png"
    written = deck_text("d", "T", result.deck.notes)
    assert "image: pics/heart.png" in written
    again = parse_deck(written.encode(), str(tmp_path / "again.yaml"))
    assert again.deck is not None and again.deck.notes[0].images == ("pics/heart.png",)


@pytest.mark.parametrize("field", ["image", "answer_image"])
@pytest.mark.parametrize("kind", [k for k in KINDS if k != "occlusion"])  # occlusion: below
def test_every_kind_takes_an_image_and_an_answer_image(tmp_path: Path, kind: str, field: str) -> None:
    (tmp_path / "x.png").write_bytes(PNG)
    example = re.sub(r"(\n( +)kind: \w+\n)", rf"\1\2{field}: x.png\n", KINDS[kind].example, count=1)
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        "deck: d\ntitle: T\nsources: [{id: my-book, title: B}]\ntopics: [{id: basics}, {id: details}]\n"
        f"cards:\n{example}"
    )
    result = load_deck_file(deck)
    assert result.ok, [str(p) for p in result.problems]
    assert result.deck is not None
    on_question = field == "image"
    for note in result.deck.notes:
        assert (note.images, note.answer_images) == ((("x.png",), ()) if on_question else ((), ("x.png",)))


def test_several_pictures_load_in_order_and_are_written_back_as_a_list(tmp_path: Path) -> None:
    for name in ("a.png", "b.png"):
        (tmp_path / name).write_bytes(PNG)
    result = load_deck_file(deck_with_image(tmp_path, "[b.png, a.png]"))
    assert result.ok and result.deck is not None, [str(p) for p in result.problems]
    assert result.deck.notes[0].images == ("b.png", "a.png")
    written = deck_text("d", "T", result.deck.notes)
    assert "image: [b.png, a.png]" in written  # one path stays one path (above), several a list
    again = parse_deck(written.encode(), str(tmp_path / "again.yaml"))
    assert again.deck is not None and again.deck.notes[0].images == ("b.png", "a.png")


def test_each_wrong_picture_of_a_list_is_named_where_it_is(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(PNG)
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        "deck: d\ntitle: T\ncards:\n  - id: a\n    kind: basic\n    front: q\n    back: a\n    image:\n"
        "      - a.png\n      - gone.png\n      - ../out.png\n"
    )
    result = load_deck_file(deck)
    assert result.deck is None
    found = [(p.line, p.column, p.message, p.hint) for p in result.problems]
    assert found == [
        (10, 9, "image 'gone.png' does not exist", f"put the picture at {tmp_path / 'gone.png'} or correct the path"),
        (
            11,
            9,
            "image '../out.png' is not a path inside the deck's folder",
            "give a path relative to the deck file, without '..' (for example images/heart.png)",
        ),
    ]
    assert str(result.problems[0]).startswith(f"{deck}:10:9: card a: image 'gone.png' does not exist — put")


@pytest.mark.parametrize(
    ("value", "message"),
    [("[]", "'image' lists 0 pictures"), ("[[a.png]]", "'image' is not plain text"), ("{a: b}", "not plain text")],
)
def test_a_picture_list_that_names_no_picture_is_refused(tmp_path: Path, value: str, message: str) -> None:
    result = load_deck_file(deck_with_image(tmp_path, value))
    assert result.deck is None and any(p.line == 8 and message in p.message for p in result.problems)


def test_an_occlusion_card_masks_one_picture(tmp_path: Path) -> None:
    for name in ("a.png", "b.png"):
        (tmp_path / name).write_bytes(PNG)
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        "deck: d\ntitle: T\ncards:\n"
        "  - {id: a, kind: occlusion, image: [a.png, b.png], regions: [{x: 0.1, y: 0.1, w: 0.2, h: 0.2}]}\n"
        "  - {id: b, kind: occlusion, image: [a.png], regions: [{x: 0.1, y: 0.1, w: 0.2, h: 0.2}]}\n"
    )
    result = load_deck_file(deck)
    assert [(p.line, p.column, p.message) for p in result.problems] == [(4, 37, "an occlusion card masks one picture")]


def test_a_missing_image_names_the_path_to_put_it_at(tmp_path: Path) -> None:
    message = only_problem(deck_with_image(tmp_path, "gone.png"))
    assert "image 'gone.png' does not exist" in message
    assert str(tmp_path / "gone.png") in message


@pytest.mark.parametrize("escape", ["../secret.png", "pics/../../secret.png", "/etc/passwd", "C:/x.png", "..\\x.png"])
def test_an_image_outside_the_deck_folder_is_refused(tmp_path: Path, escape: str) -> None:
    (tmp_path / "secret.png").write_bytes(PNG)
    folder = tmp_path / "deck"
    folder.mkdir()
    (folder / "pics").mkdir()
    message = only_problem(deck_with_image(folder, f"'{escape}'"))
    assert "is not a path inside the deck's folder" in message
    assert "without '..'" in message


def test_a_symbolic_link_leading_out_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.png").write_bytes(PNG)
    folder = tmp_path / "deck"
    folder.mkdir()
    (folder / "link.png").symlink_to(tmp_path / "secret.png")
    assert "leads outside the deck's folder" in only_problem(deck_with_image(folder, "link.png"))


def test_a_picture_through_a_linked_folder_is_refused_when_the_link_leads_out(tmp_path: Path) -> None:
    """Only a link on the picture's way is resolved (checking costs a stat a step): a link to a folder counts
    as much as a link to the picture, and a link that stays in the deck's folder is allowed."""
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.png").write_bytes(PNG)
    folder = tmp_path / "deck"
    (folder / "pics").mkdir(parents=True)
    (folder / "pics" / "x.png").write_bytes(PNG)
    (folder / "out").symlink_to(tmp_path / "elsewhere")
    (folder / "in").symlink_to("pics")
    (folder / "same.png").symlink_to(folder / "pics" / "x.png")
    (folder / "chain.png").symlink_to("in/x.png")
    assert "leads outside the deck's folder" in only_problem(deck_with_image(folder, "out/x.png"))
    for inside in ("in/x.png", "same.png", "chain.png", "./pics/x.png"):
        assert load_deck_file(deck_with_image(folder, inside)).ok, inside
    linked_folder = tmp_path / "linked-deck"  # the deck's own folder through a link: its pictures are in it
    linked_folder.symlink_to(folder)
    assert load_deck_file(deck_with_image(linked_folder, "pics/x.png")).ok


def test_a_picture_that_is_a_link_loop_is_a_problem_at_its_line_not_a_crash(tmp_path: Path) -> None:
    """A link to itself (or a ring of links) can never be opened; resolving it raised and the deck could not be
    read at all ("please report this"), and the app's check before masking a picture crashed the same way."""
    (tmp_path / "loop.png").symlink_to("loop.png")
    (tmp_path / "ring").symlink_to("ring2")
    (tmp_path / "ring2").symlink_to("ring")
    assert not images.leads_outside(tmp_path, "loop.png")
    assert not images.leads_outside(tmp_path, "ring/x.png")
    assert "image 'loop.png' does not exist" in only_problem(deck_with_image(tmp_path, "loop.png"))
    assert "image 'ring/x.png' does not exist" in only_problem(deck_with_image(tmp_path, "ring/x.png"))


@pytest.mark.parametrize(
    ("make", "what"),
    [(os.mkfifo, "a named pipe (FIFO)"), (os.mkdir, "a folder")],
    ids=["fifo", "folder"],
)
def test_an_image_that_is_no_regular_file_says_what_it_is(tmp_path: Path, make, what: str) -> None:
    make(tmp_path / "pic.png")
    message = only_problem(deck_with_image(tmp_path, "pic.png"))
    assert f"card a: image 'pic.png': not a regular file but {what} — name a regular file" in message


def test_a_file_that_is_not_a_picture_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.png").write_text("just text, named like a picture")
    message = only_problem(deck_with_image(tmp_path, "notes.png"))
    assert "image 'notes.png' is not a picture" in message
    assert "PNG, JPEG" in message


@pytest.mark.parametrize("name", ["pic.hta", "pic.bat", "pic", "pic.hta."])  # Windows drops the last dot
def test_a_picture_whose_name_does_not_end_as_a_picture_s_is_refused(tmp_path: Path, name: str) -> None:
    """A PNG named `pic.hta` loaded, and `i` handed it to the system's opener, which on Windows runs it."""
    (tmp_path / "words-media").mkdir()
    (tmp_path / "words-media" / name).write_bytes(PNG)
    message = only_problem(deck_with_image(tmp_path, f"'words-media/{name}'"))
    assert f"image 'words-media/{name}' is a PNG picture whose name does not end as a picture's" in message
    assert "rename the file pic.png (a PNG picture's name) and write that path" in message
    assert "a deck imported from a package is fixed so by importing the package again (quiz import FILE)" in message


@pytest.mark.parametrize(
    ("name", "hint"), [("pic.png.hta", "pic.png"), (".png", "picture.png"), (".png.hta", "picture.png")]
)
def test_a_misnamed_picture_s_hint_names_a_sensible_name(tmp_path: Path, name: str, hint: str) -> None:
    """`pic.png.hta` was told to become `pic.png.png`, and `.png` `.png.png`."""
    (tmp_path / name).write_bytes(PNG)
    assert f"rename the file {hint} (a PNG" in only_problem(deck_with_image(tmp_path, f"'{name}'"))


def test_a_picture_named_as_one_that_is_a_link_to_a_program_s_name_is_refused(tmp_path: Path) -> None:
    """The deck's check took `pic.png`, a link to `pic.hta` beside it, while the card's screen refused it: the
    system's opener picks the program by the file the link leads to."""
    (tmp_path / "pic.hta").write_bytes(PNG)
    (tmp_path / "pic.png").symlink_to("pic.hta")
    message = only_problem(deck_with_image(tmp_path, "pic.png"))
    assert "image 'pic.png' is a PNG picture whose name does not end as a picture's" in message


def test_a_picture_named_as_another_format_loads(tmp_path: Path) -> None:
    (tmp_path / "photo.jpg").write_bytes(PNG)  # a PNG saved as .jpg: a viewer opens it all the same
    assert load_deck_file(deck_with_image(tmp_path, "photo.jpg")).ok


def test_a_picture_too_big_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", len(PNG) - 1)
    (tmp_path / "big.png").write_bytes(PNG)
    assert "image 'big.png' has" in only_problem(deck_with_image(tmp_path, "big.png"))


def test_a_picture_just_over_the_limit_says_so_in_one_unit(tmp_path: Path) -> None:
    """20 MiB and one byte was 'has 20 MB; at most 20 MB': its size rounded down, and in MB, the limit's MiB."""
    with open(tmp_path / "big.png", "wb") as picture:
        picture.write(PNG)
        picture.truncate(images.MAX_IMAGE_BYTES + 1)
    message = only_problem(deck_with_image(tmp_path, "big.png"))
    assert "image 'big.png' has 20.1 MiB (20,971,521 bytes); at most 20 MiB (20,971,520 bytes)" in message


def test_quiz_add_says_to_make_a_picture_grown_too_large_smaller(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A picture over the limit when copied (grown since the deck's check) was to be 'split into several smaller
    pictures'."""
    source = tmp_path / "mine"
    (source / "pics").mkdir(parents=True)
    with open(source / "pics" / "heart.png", "wb") as picture:
        picture.write(PNG)
        picture.truncate(1_048_577)
    monkeypatch.setattr(add, "MAX_IMAGE_BYTES", 1_048_576)  # the deck's check allows 20 MiB
    deck = deck_with_image(source, "pics/heart.png")
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "add", str(deck))
    assert code == 1
    assert (
        "the file is 1.1 MiB (1,048,577 bytes); pictures are limited to 1 MiB (1,048,576 bytes) — make the picture"
        " smaller; the deck was not added"
    ) in err


def test_a_file_name_with_markup_and_controls_is_quoted_printable(tmp_path: Path) -> None:
    problems = [str(p) for p in load_deck_file(deck_with_image(tmp_path, '"[b]x\\e[31m.png"')).problems]
    assert any("'image' held control" in p for p in problems)  # the loader's warning, as for any text
    assert any("image '[b]x" in p and "does not exist" in p for p in problems)
    assert not any("\x1b" in p for p in problems)


@pytest.mark.parametrize("head", [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"GIF89a", b"RIFF\0\0\0\0WEBPVP8 ", b"BM"])
def test_each_picture_format_is_known_by_its_first_bytes(head: bytes) -> None:
    assert images.image_format(head + bytes(16)) is not None


def test_a_riff_that_is_not_webp_is_no_picture() -> None:
    assert images.image_format(b"RIFF\0\0\0\0WAVEfmt ") is None


def test_the_occlusion_example_of_quiz_new_loads_once_uncommented_beside_its_picture(tmp_path: Path) -> None:
    lines = KINDS["occlusion"].example.splitlines()
    card = [line.replace("# ", "", 1) for line in lines if line.startswith(("  # - ", "  #   "))]
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "cell.png").write_bytes(PNG)
    deck = tmp_path / "deck.yaml"
    deck.write_text("deck: d\ntitle: T\ntopics: [{id: details}]\ncards:\n" + "\n".join(card) + "\n")
    result = load_deck_file(deck)
    assert result.ok, [str(p) for p in result.problems]
    assert result.deck is not None and len(result.deck.cards) == 2


def test_an_occlusion_card_needs_its_picture_and_sound_regions(tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        "deck: d\ntitle: T\ncards:\n"
        "  - {id: a, kind: occlusion, regions: [{x: 0.1, y: 0.1, w: 0.2, h: 0.2}], hide: some}\n"
        "  - {id: b, kind: occlusion, regions: [{x: 0.9, y: 0.1, w: 0.2, h: 0.2}]}\n"
        "  - {id: c, kind: occlusion, regions: [{x: 0.1, y: 0.1, w: 0, h: 0.2}]}\n"
        "  - {id: d, kind: occlusion, regions: [{x: 0.1, y: 0.1, w: 0.2}]}\n"
        "  - {id: e, kind: occlusion, regions: [{x: -0.1, y: 0, w: 0.2, h: 0.2}]}\n"
        "  - {id: f, kind: occlusion, regions: [{x: 0, y: 120, w: 0.2, h: 0.2}]}\n"
        "  - {id: g, kind: occlusion, regions: [{x: 0, y: 0, w: 0.2, h: 0.2}]}\n"
    )
    problems = [str(p) for p in load_deck_file(deck).problems]
    wanted = [
        "card a: an occlusion card needs a picture — add `image:`",
        "card a: 'hide' is 'some' — write `hide: all` or `hide: one`",
        "card b: a region reaches past the picture's edge",
        "card c: a region's w must be a fraction of the picture's width, above 0 and at most 1",
        "card d: a region needs h",
        # a corner may be at 0, so the message says so; a value above 1 is pixels, and the fix says how to convert
        "deck.yaml:8:44: card e: a region's x must be a fraction of the picture's width, from 0 to 1 — measure",
        "deck.yaml:9:50: card f: a region's y must be a fraction of the picture's height, from 0 to 1 — divide it by"
        " the picture's height in pixels",
    ]
    assert all(any(w in p for p in problems) for w in wanted), problems
    assert not [p for p in problems if "card g: a region" in p], problems  # a region in the picture's corner is sound


def test_quiz_add_brings_the_pictures_along(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "mine"
    (source / "pics").mkdir(parents=True)
    (source / "pics" / "heart.png").write_bytes(PNG)
    deck = deck_with_image(source, "pics/heart.png")
    data = tmp_path / "data"
    code, out, err = run(capsys, "--data-dir", str(data), "add", str(deck))
    assert code == 0, err
    assert "with 1 picture beside it" in out
    added = load_deck_file(data / "decks" / "deck.yaml")
    assert added.ok and (data / "decks" / "pics" / "heart.png").read_bytes() == PNG


@pytest.mark.parametrize(
    ("hers", "copied"),
    [(0o600, 0o600), (0o640, 0o640), (0o644, 0o644), (0o400, 0o600)],
    ids=["600", "640", "644", "400: the copy hers to edit"],
)
def test_quiz_add_copies_a_private_picture_as_private(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], hers: int, copied: int
) -> None:
    """The deck file and its record kept her file's permissions at most, but each picture was copied readable by
    all (644), a private one (600) too."""
    source = tmp_path / "mine"
    (source / "pics").mkdir(parents=True)
    (source / "pics" / "heart.png").write_bytes(PNG)
    (source / "pics" / "heart.png").chmod(hers)
    deck = deck_with_image(source, "pics/heart.png")
    umask = os.umask(0o022)
    try:
        code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "add", str(deck))
    finally:
        os.umask(umask)
    assert code == 0, err
    assert (tmp_path / "data" / "decks" / "pics" / "heart.png").stat().st_mode & 0o777 == copied


def test_quiz_add_brings_every_picture_of_a_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "mine"
    (source / "pics").mkdir(parents=True)
    for name in ("a.png", "b.png"):
        (source / "pics" / name).write_bytes(PNG + name.encode())
    deck = deck_with_image(source, "[pics/a.png, pics/b.png]")
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "data"), "add", str(deck))
    assert code == 0, err
    assert "with 2 pictures beside it" in out
    copied = tmp_path / "data" / "decks" / "pics"
    assert [(copied / n).read_bytes() for n in ("a.png", "b.png")] == [PNG + b"a.png", PNG + b"b.png"]


def test_quiz_add_never_replaces_another_picture(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "mine"
    (source / "pics").mkdir(parents=True)
    (source / "pics" / "heart.png").write_bytes(PNG)
    theirs = tmp_path / "data" / "decks" / "pics" / "heart.png"
    theirs.parent.mkdir(parents=True)
    theirs.write_bytes(PNG + b"another")
    deck = deck_with_image(source, "pics/heart.png")
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "add", str(deck))
    assert code == 1 and f"{theirs} already exists and is another picture" in err
    assert theirs.read_bytes() == PNG + b"another" and not (theirs.parent.parent / "deck.yaml").exists()
    assert deck_folder_files(tmp_path / "data") == ["pics", "pics/heart.png"]  # no temporary file of the copy


def test_quiz_add_leaves_a_picture_already_there_with_the_same_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Her link to a picture in her notes, in the deck folder, was replaced by a copy (600) when she added another
    deck naming a picture of the same bytes: her later edits of the picture no longer showed in the decks using it."""
    notes = tmp_path / "notes" / "pics" / "heart.png"
    notes.parent.mkdir(parents=True)
    notes.write_bytes(PNG)
    hers = tmp_path / "data" / "decks" / "pics" / "heart.png"
    hers.parent.mkdir(parents=True)
    hers.symlink_to(os.path.relpath(notes, hers.parent))
    source = tmp_path / "mine"
    (source / "pics").mkdir(parents=True)
    (source / "pics" / "heart.png").write_bytes(PNG)
    (source / "pics" / "heart.png").chmod(0o600)
    code, out, err = run(
        capsys, "--data-dir", str(tmp_path / "data"), "add", str(deck_with_image(source, "pics/heart.png"))
    )
    assert code == 0, err
    assert "with 1 picture beside it" in out
    assert hers.is_symlink() and hers.resolve() == notes and notes.read_bytes() == PNG


@pytest.mark.parametrize("swapped_for", ["a link out", "a named pipe"])
def test_quiz_add_refuses_a_picture_swapped_after_its_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, swapped_for: str
) -> None:
    """Checked with the deck, each picture was then copied by its path again: one swapped meanwhile for a link (by
    whoever writes the shared folder the deck is added from) copied the file it led to, her private key into her
    deck folder; one swapped for a named pipe held `quiz add` up forever."""
    secret = tmp_path / "home" / ".ssh" / "id_rsa"
    secret.parent.mkdir(parents=True)
    secret.write_bytes(b"PRIVATE KEY")
    source = tmp_path / "shared"
    (source / "pics").mkdir(parents=True)
    picture = source / "pics" / "heart.png"
    picture.write_bytes(PNG)
    deck = deck_with_image(source, "pics/heart.png")
    portable_pictures = add._portable_pictures

    def swap_then_go_on(pictures: list[str], target: Path) -> dict[str, str]:  # after the check, before the copy
        picture.unlink()
        if swapped_for == "a link out":
            picture.symlink_to(secret)
        else:
            os.mkfifo(picture)
        return portable_pictures(pictures, target)

    def held_up(*_: object) -> None:
        raise TimeoutError("quiz add waits on the pipe")

    monkeypatch.setattr(add, "_portable_pictures", swap_then_go_on)
    signal.signal(signal.SIGALRM, held_up)
    signal.alarm(20)
    try:
        code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "add", str(deck))
    finally:
        signal.alarm(0)
    assert code == 1 and f"{picture}:" in err and "the deck was not added" in err
    assert not (tmp_path / "data" / "decks" / "pics" / "heart.png").exists()
    assert not (tmp_path / "data" / "decks" / "deck.yaml").exists()


def test_quiz_add_checks_the_picture_it_read_not_its_name_looked_up_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The picture was read by its path, then checked by looking that path up again (an lstat for a link out, a
    stat for the file read): one flipped between a link to her key and a plain file by whoever writes the shared
    folder (a link when read, a file at the lstat, a link again at the stat) passed, and her key was copied."""
    secret = tmp_path / "home" / ".ssh" / "id_rsa"
    secret.parent.mkdir(parents=True)
    secret.write_bytes(b"PRIVATE KEY")
    source = tmp_path / "shared"
    (source / "pics").mkdir(parents=True)
    picture = source / "pics" / "heart.png"
    picture.write_bytes(PNG)
    deck = deck_with_image(source, "pics/heart.png")
    link, plain = source / "pics" / ".link", source / "pics" / ".plain"

    def as_link() -> None:
        link.symlink_to(secret)
        os.replace(link, picture)

    def as_file() -> None:
        plain.write_bytes(PNG)
        os.replace(plain, picture)

    portable_pictures, leads_outside = add._portable_pictures, images.leads_outside

    def made_a_link_after_the_check(pictures: list[str], target: Path) -> dict[str, str]:
        as_link()
        return portable_pictures(pictures, target)

    def a_file_only_while_looked_at(folder: Path, image: str) -> bool:
        as_file()
        verdict = leads_outside(folder, image)
        as_link()
        return verdict

    monkeypatch.setattr(add, "_portable_pictures", made_a_link_after_the_check)
    monkeypatch.setattr(add, "leads_outside", a_file_only_while_looked_at, raising=False)
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "add", str(deck))
    assert code == 1 and f"{picture}: it was replaced while it was being copied" in err, err
    assert not (tmp_path / "data" / "decks" / "pics" / "heart.png").exists()


def test_quiz_add_copies_the_bytes_it_compared_with_the_deck_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each picture was read for the check against the deck folder, then again for the copy: one changed in between
    (by whoever writes the shared folder the deck is added from) replaced another deck's picture of the same name."""
    theirs = tmp_path / "data" / "decks" / "pics" / "heart.png"
    theirs.parent.mkdir(parents=True)
    theirs.write_bytes(PNG)
    source = tmp_path / "shared"
    (source / "pics").mkdir(parents=True)
    picture = source / "pics" / "heart.png"
    picture.write_bytes(PNG)  # the same bytes: no clash
    differs = add._differs

    def compared_then_changed(staged: Path, there: Path) -> bool:
        verdict = differs(staged, there)
        picture.write_bytes(PNG + b"changed")
        return verdict

    monkeypatch.setattr(add, "_differs", compared_then_changed)
    code, _, err = run(
        capsys, "--data-dir", str(tmp_path / "data"), "add", str(deck_with_image(source, "pics/heart.png"))
    )
    assert code == 0, err
    assert theirs.read_bytes() == PNG


def test_quiz_add_reads_every_picture_before_copying_any(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pictures were read and copied one by one: the second swapped for a link out while the first was copied was
    refused, the first left in her deck folder though the message said the deck was not added."""
    (tmp_path / "secret").write_bytes(b"PRIVATE KEY")
    source = tmp_path / "shared"
    (source / "pics").mkdir(parents=True)
    for name in ("a.png", "b.png"):
        (source / "pics" / name).write_bytes(PNG + name.encode())
    writes = add.atomic_write

    def swap_b_at_the_first_write(path: Path, *args: object, **kwargs: object) -> object:
        second = source / "pics" / "b.png"
        if not second.is_symlink():
            second.unlink()
            second.symlink_to(tmp_path / "secret")
        return writes(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(add, "atomic_write", swap_b_at_the_first_write)
    deck = deck_with_image(source, "[pics/a.png, pics/b.png]")
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "add", str(deck))
    assert code == 0, err  # both read and checked before the first write: the copies hold what was checked
    copied = tmp_path / "data" / "decks" / "pics"
    assert [(copied / n).read_bytes() for n in ("a.png", "b.png")] == [PNG + b"a.png", PNG + b"b.png"]


def test_quiz_add_holds_no_more_than_a_few_pictures_in_memory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every picture was read, and all kept in memory until the first was written: a shared deck of 3,000 pictures
    of up to 20 MiB took gigabytes."""
    source = tmp_path / "shared"
    (source / "pics").mkdir(parents=True)
    names = [f"pics/{n}.png" for n in range(50)]
    for n, name in enumerate(names):
        (source / name).write_bytes(PNG + bytes([n]) * 1_048_576)
    deck = deck_with_image(source, f"[{', '.join(names)}]")
    tracemalloc.start()
    try:
        code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "add", str(deck))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 0, err
    assert peak < 8 * 1_048_576, f"{peak:,} bytes at most in memory for 50 MiB of pictures"
    copied = tmp_path / "data" / "decks"
    assert all((copied / name).read_bytes() == (source / name).read_bytes() for name in names)


def test_quiz_add_keeps_each_picture_private_until_every_one_is_placed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A picture read waits in its temporary file in the deck folder (a synced one, others' to read) until the rest
    are read: readable by her alone until then, then given the permissions of a copy (644 here)."""
    source = tmp_path / "shared"
    (source / "pics").mkdir(parents=True)
    (source / "pics" / "heart.png").write_bytes(PNG)
    (source / "pics" / "heart.png").chmod(0o644)
    theirs = tmp_path / "data" / "decks" / "pics" / "heart.png"
    modes = []
    differs = add._differs

    def noting_the_mode(staged: Path, there: Path) -> bool:
        modes.append(staged.stat().st_mode & 0o777)
        return differs(staged, there)

    monkeypatch.setattr(add, "_differs", noting_the_mode)
    umask = os.umask(0o022)
    try:
        code, _, err = run(
            capsys, "--data-dir", str(tmp_path / "data"), "add", str(deck_with_image(source, "pics/heart.png"))
        )
    finally:
        os.umask(umask)
    assert code == 0, err
    assert modes == [0o600] and theirs.stat().st_mode & 0o777 == 0o644


def deck_folder_files(data: Path) -> list[str]:
    """Every file and folder in the deck folder of data folder `data`, a temporary one's too."""
    decks = data / "decks"
    return sorted(path.relative_to(decks).as_posix() for path in decks.rglob("*")) if decks.exists() else []


def test_quiz_add_leaves_no_temporary_file_after_a_picture_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pictures read before the one refused are each in a temporary file in the deck folder by then: none stays,
    nor the folder made for them."""
    (tmp_path / "secret").write_bytes(b"PRIVATE KEY")
    source = tmp_path / "shared"
    (source / "pics").mkdir(parents=True)
    for name in ("a.png", "b.png", "c.png"):
        (source / "pics" / name).write_bytes(PNG + name.encode())
    portable_pictures = add._portable_pictures

    def swap_c_after_the_check(pictures: list[str], target: Path) -> dict[str, str]:
        (source / "pics" / "c.png").unlink()
        (source / "pics" / "c.png").symlink_to(tmp_path / "secret")
        return portable_pictures(pictures, target)

    monkeypatch.setattr(add, "_portable_pictures", swap_c_after_the_check)
    deck = deck_with_image(source, "[pics/a.png, pics/b.png, pics/c.png]")
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "data"), "add", str(deck))
    assert code == 1 and "c.png: it was replaced while it was being copied" in err, err
    assert deck_folder_files(tmp_path / "data") == []


def test_quiz_add_leaves_no_temporary_file_when_interrupted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the pictures are read leaves none of them in the deck folder, in a temporary file or not."""
    source = tmp_path / "shared"
    (source / "pics").mkdir(parents=True)
    for name in ("a.png", "b.png"):
        (source / "pics" / name).write_bytes(PNG + name.encode())
    (tmp_path / "data" / "decks" / "pics").mkdir(parents=True)  # hers: stays
    opened = add.open_regular
    calls = []

    def interrupted_at_the_second(*args: object, **kwargs: object) -> object:
        calls.append(args)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return opened(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(add, "open_regular", interrupted_at_the_second)
    deck = deck_with_image(source, "[pics/a.png, pics/b.png]")
    code, _, _ = run(capsys, "--data-dir", str(tmp_path / "data"), "add", str(deck))
    assert code == 130 and len(calls) == 2
    assert deck_folder_files(tmp_path / "data") == ["pics"]


def test_the_library_says_whether_a_deck_shows_pictures_from_the_cache_too(tmp_path: Path) -> None:
    """The app asks the terminal about graphics (up to 0.1 s) only when a deck shows pictures."""
    from quiz.core.library import Library, has_pictures

    with_picture, plain = tmp_path / "with", tmp_path / "plain"
    with_picture.mkdir()
    plain.mkdir()
    (with_picture / "heart.png").write_bytes(PNG)
    deck_with_image(with_picture, "heart.png")
    (plain / "p.yaml").write_text("deck: p\ntitle: P\ncards:\n  - {id: a, kind: basic, front: q, back: a}\n")
    for _ in range(2):  # parsed, then read back from the cache (whose notes are not read for this)
        assert has_pictures(Library.load([with_picture], tmp_path / "cache").decks)
        assert not has_pictures(Library.load([plain], tmp_path / "cache").decks)


@pytest.mark.parametrize(
    ("written", "fix"),
    [
        # written on Windows, where '\' parts a path: Linux and macOS read it as a letter of one name
        ("pics\\heart.png", "write the path with '/', which every system reads: pics/heart.png"),
        # written on macOS or Windows, whose disks ignore case: Linux finds no such file
        ("Pics/Heart.PNG", "the file is named pics/heart.png: write it so, in the same case"),
        ("Pics\\Heart.PNG", "the file is named pics/heart.png: write it so, in the same case"),
    ],
)
def test_a_picture_path_written_as_another_system_reads_it_says_the_path_that_is_there(
    tmp_path: Path, written: str, fix: str
) -> None:
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "heart.png").write_bytes(PNG)
    message = only_problem(deck_with_image(tmp_path, written))
    assert f"image {written!r} does not exist — {fix}" in message


def test_a_picture_named_with_a_macs_decomposed_accents_is_said_to_be_there(tmp_path: Path) -> None:
    """Copied from a Mac (a zip, a USB stick formatted HFS+), `Öl.png` is O and a combining diaeresis; the deck
    typed on Linux names Ö: the two look the same, and 'put the picture at pics/Öl.png' could not be followed."""
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / unicodedata.normalize("NFD", "Öl.png")).write_bytes(PNG)
    message = only_problem(deck_with_image(tmp_path, unicodedata.normalize("NFC", "pics/Öl.png")))
    assert "the file's name has its accents encoded another way (as a Mac writes them)" in message


def test_a_deck_missing_many_pictures_of_a_big_folder_lists_that_folder_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Looking for each missing picture's file under another case listed its folder again: a deck missing 3,000
    of a folder of 5,000 pictures took 30 s to load, at every start (a deck with a picture missing is never kept
    in the cache). The folder is listed once while it does not change, and again once it does."""
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "Heart.png").write_bytes(PNG)
    cards = "".join(
        f"  - id: c{n}\n    kind: basic\n    front: q\n    back: a\n    image: pics/gone{n}.png\n" for n in range(20)
    )
    deck = tmp_path / "deck.yaml"
    last = "  - {id: h, kind: basic, front: q, back: a, image: pics/heart.png}\n"
    deck.write_text(f"deck: d\ntitle: T\ncards:\n{cards}{last}")
    listed: list[str] = []
    listdir = os.listdir
    monkeypatch.setattr(os, "listdir", lambda path=".": listed.append(os.fspath(path)) or listdir(path))
    result = load_deck_file(deck)
    assert listed.count(str(tmp_path / "pics")) == 1
    assert "the file is named pics/Heart.png" in str(result.problems[-1])
    (tmp_path / "pics" / "Heart.png").rename(tmp_path / "pics" / "HEART.png")  # the folder changed: listed anew
    os.utime(tmp_path / "pics", ns=(1, 1))  # its time changed for sure, whatever the clock's resolution
    assert "the file is named pics/HEART.png" in str(load_deck_file(deck).problems[-1])
