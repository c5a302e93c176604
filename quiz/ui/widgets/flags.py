"""Card flags on screen: the keys that set them, the mark a flagged card shows, and the flag picker.

Ctrl+1..7 set a flag directly, as in Anki, where the terminal reports them (terminals speaking the kitty
keyboard protocol do; many others send nothing, or Esc for Ctrl+3). Ctrl+F opens the picker, which works
in every terminal, a typed answer included.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from quiz.core.flags import FLAG_NAMES, NO_FLAG, flag_name

# The colours of Anki's flags; the mark spells the name too, so it reads without colour.
FLAG_STYLES = {
    1: "bold red",
    2: "bold dark_orange",
    3: "bold green",
    4: "bold blue",
    5: "bold hot_pink",
    6: "bold dark_turquoise",
    7: "bold purple",
}
FLAG_GLYPH = "⚑"
PICK_FLAG = "Flag the card: " + ", ".join(f"{number} {name}" for number, name in FLAG_NAMES.items())

FLAG_BINDINGS = [
    Binding(
        "ctrl+f",
        "pick_flag",
        "Flag",
        tooltip="Flag the card: pick one of seven, or none (Ctrl+1..7 flag it at once where the terminal passes them)",
    ),
    *(Binding(f"ctrl+{n}", f"flag({n})", show=False) for n in FLAG_NAMES),
]


def flag_mark(flag: int) -> Text:
    """`⚑ red` in the flag's colour; empty for no flag."""
    if flag == NO_FLAG:
        return Text()
    return Text(f"{FLAG_GLYPH} {flag_name(flag)}", style=FLAG_STYLES[flag])


def flag_cell(flag: int) -> Text:
    """The flag as a table cell two characters wide: `⚑3` in its colour."""
    return Text(f"{FLAG_GLYPH}{flag}" if flag else "", style=FLAG_STYLES.get(flag, ""), no_wrap=True)


def flag_done(flag: int) -> str:
    """What to say after a flag key."""
    return f"Flagged {flag_name(flag)}." if flag else "Flag taken off."


class FlagPicker(ModalScreen[int | None]):
    """Pick a flag with its number (0 takes the flag off); Esc leaves it as it is."""

    BINDINGS = [
        # each key described, so that Help does not give the digits Esc's "Cancel" (they share the action)
        *(Binding(str(n), f"pick({n})", show=False, tooltip=PICK_FLAG) for n in FLAG_NAMES),
        Binding(str(NO_FLAG), f"pick({NO_FLAG})", show=False, tooltip="Take the flag off"),
        Binding("escape,ctrl+f", "pick(None)", "Cancel", tooltip="Leave the flag as it is"),
    ]

    def __init__(self, current: int) -> None:
        super().__init__(classes="flag-picker")
        self.current = current

    def compose(self) -> ComposeResult:
        lines = Text("Flag the card (the same flag again takes it off)\n\n", style="bold")
        for number, name in FLAG_NAMES.items():
            lines.append(f"  {number}  ")
            lines.append(f"{FLAG_GLYPH} {name}", style=FLAG_STYLES[number])
            lines.append("   (now)\n" if number == self.current else "\n")
        lines.append(f"  {NO_FLAG}  no flag\n\n")
        lines.append("Esc: leave it as it is", style="dim")
        with Vertical(id="flag-dialog"):
            yield Static(lines, id="flag-choices")

    def action_pick(self, flag: int | None) -> None:
        self.dismiss(flag)
