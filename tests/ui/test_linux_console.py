"""TERM=linux, the Linux console: its font has only code page 437's glyphs, and any other character shows as the
same diamond, so quiz draws each as the nearest glyph the font has (`✓` right and `✗` wrong were one diamond)."""

from __future__ import annotations

import pytest
from conftest import open_screen, open_study, right_keys, screen_text

from quiz.ui.console_glyphs import CONSOLE_FONT
from quiz.ui.screens.browse import BrowseScreen
from quiz.ui.screens.settings import SettingsScreen
from quiz.ui.screens.stats import StatsScreen

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _linux_console(monkeypatch: pytest.MonkeyPatch, no_color: None) -> None:
    monkeypatch.setenv("TERM", "linux")


def not_in_the_font(text: str) -> set[str]:
    return {ch for ch in text if not ch.isascii() and ch not in CONSOLE_FONT}


async def test_every_card_kind_answered_right_and_wrong_is_drawn_in_the_consoles_font(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        study = await open_study(pilot)
        seen: list[str] = []
        right = True
        while study.session.current.key not in seen:  # each card of the deck once
            card = study.session.current
            seen.append(card.key)
            assert not_in_the_font(screen_text(app)) == set(), seen[-1]
            await pilot.press(*(right_keys(study) if right else ["enter"]))  # Enter with nothing: not known
            await pilot.pause()
            text = screen_text(app)
            assert not_in_the_font(text) == set(), seen[-1]
            if card.kind not in ("basic", "reverse", "occlusion"):  # checked by the app: marked right or wrong
                assert ("√ Correct" in text) if right else ("x No answer given" in text), text
                right = not right
            await pilot.press("enter")
            await pilot.pause()


@pytest.mark.parametrize(("key", "screen"), [("b", BrowseScreen), ("s", StatsScreen), (",", SettingsScreen)])
async def test_home_and_the_other_screens_are_drawn_in_the_consoles_font(app_factory, key: str, screen) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not_in_the_font(screen_text(app)) == set()
        await open_screen(pilot, key, screen)
        assert not_in_the_font(screen_text(app)) == set()


async def test_the_command_palette_is_drawn_in_the_consoles_font(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"exam")
        await pilot.pause()
        text = screen_text(app)
        assert "Exam on" in text and not_in_the_font(text) == set(), text


async def one_card_studied(app_factory, folder, deck_id: str, card: str) -> str:
    """The study screen's text for a deck `deck_id` of one card, `card` (a YAML mapping on one line)."""
    deck = folder / f"{deck_id}.yaml"
    deck.write_text(f"deck: {deck_id}\ntitle: {deck_id.title()}\ncards:\n  - {card}\n")
    app = app_factory([deck])
    async with app.run_test(size=SIZE) as pilot:
        await open_study(pilot)
        return screen_text(app)


# What a deck may say that the console's font has, or that has no glyph near enough to stand for it: shown as written.
DECK_SYMBOLS = "0.5 µg/kg α β ≥ ≤ ± × ≠ → ← ⇒ ½ ² ° ∞ √ ∑ π Ω 中文"


@pytest.mark.parametrize("term", ["linux", "xterm-256color", "screen-256color", "tmux-256color"])
async def test_deck_text_keeps_its_symbols_and_only_the_linux_console_maps_the_apps_own(
    app_factory, tmp_path, monkeypatch: pytest.MonkeyPatch, term: str
) -> None:
    monkeypatch.setenv("TERM", term)
    text = await one_card_studied(
        app_factory, tmp_path, "symbols", f"{{id: s, kind: basic, front: '{DECK_SYMBOLS} ✓', back: B}}"
    )
    assert DECK_SYMBOLS in text, text
    assert (f"{DECK_SYMBOLS} √" in text) if term == "linux" else (f"{DECK_SYMBOLS} ✓" in text), text


async def test_a_greek_mu_and_a_minus_sign_are_drawn_as_the_same_sign_the_font_has(app_factory, tmp_path) -> None:
    """A dose in μg (Greek mu, not the micro sign) and a minus sign were blank diamonds on the console."""
    text = await one_card_studied(
        app_factory, tmp_path, "doses", "{id: s, kind: basic, front: '0.5 μg/kg at −20 °C', back: B}"
    )
    assert "0.5 µg/kg at -20 °C" in text


async def test_an_ellipsis_in_deck_text_reads_as_three_dots_not_another_sign(app_factory, tmp_path) -> None:
    """The font has no `…`: its one-cell stand-in `»` made 'Wait…' read 'Wait»', in a question and in a matching
    card's items (whose column is measured as shown, so the arrows stay in line)."""
    card = "{id: m, kind: match, front: 'Wait… pair them', pairs: {'Ketamine…': NMDA, Lithium: Mood}}"
    text = await one_card_studied(app_factory, tmp_path, "dots", card)
    assert "Wait... pair them" in text and "»" not in text, text
    arrows = {line.index("→") for line in text.splitlines() if "Ketamine..." in line or "Lithium" in line}
    assert len(arrows) == 1, text
