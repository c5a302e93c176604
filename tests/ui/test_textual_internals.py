"""The Textual internals quiz relies on still have the shape quiz was written against.

Textual is pinned exactly in pyproject.toml because of them; moving the pin (`make lock`) runs these
first. If one fails, read the new Textual's code for it before changing the expected shape.
- `Widget._size_updated`, overridden (quiz/ui/widgets/steady.py): skips a second layout per new card
  (grade key to the next card painted 18-22 ms, 49-51 ms without).
- `App._handle_exception`, overridden (quiz/ui/app.py): Textual has no public hook for an unhandled
  exception; a lost deck cache ends the app with one line, not a traceback.
- OptionList's resize handler, skipped with the public `prevent_default` (quiz/ui/answers/option_lists.py):
  it only drops the rendered options, which a reused list has just rendered anew.
- `Input._cursor_visible`, set (quiz/ui/answers/typed.py): Textual has no public way to hide a focused
  Input's cursor; a checked typed answer keeps the focus, locked, and shows no cursor.
- `textual.keys._character_to_key`, called (quiz/ui/app.py): a full-width key (an input method left on) is made
  the key it stands for, named as Textual names that key when a terminal sends it.
- DataTable's `row` in each cell's style meta (set for the mouse), read (quiz/ui/widgets/pointed_table.py): which
  drawn line is the cursor row's, to mark it in the line itself.
- `DataTable._update_dimensions`, overridden (quiz/ui/screens/browse.py): Browse's columns have given widths, so
  measuring each new cell (9 s of End over 45k cards) is skipped and only the scrollable size set, as DataTable does.
- `message_signal`, each message pump's (public by name, not in Textual's docs), watched (quiz/ui/app.py): after a
  hang-up the app leaves once a pass up the focused widget's ancestors sees nothing else handled.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import inspect
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from textual import events
from textual.app import App
from textual.keys import _character_to_key
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import DataTable, Input, OptionList
from textual.widgets.data_table import Column

ROOT = Path(__file__).resolve().parents[2]


def test_textual_is_pinned_exactly_to_what_is_installed() -> None:
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    [pin] = [Requirement(d) for d in dependencies if Requirement(d).name == "textual"]
    assert str(pin.specifier) == f"=={importlib.metadata.version('textual')}"


def test_size_updated_has_the_signature_steady_size_overrides() -> None:
    parameters = list(inspect.signature(Widget._size_updated).parameters)
    assert parameters == ["self", "size", "virtual_size", "container_size", "layout"]
    assert inspect.signature(Widget._size_updated).parameters["layout"].default is True


def test_handle_exception_takes_the_error() -> None:
    assert list(inspect.signature(App._handle_exception).parameters) == ["self", "error"]


class FailsOnce(App):
    """Raises from a message handler; its `_handle_exception` notes the error and exits."""

    def __init__(self) -> None:
        super().__init__()
        self.error = RuntimeError("raised by a handler")
        self.handled: list[Exception] = []

    def on_mount(self) -> None:
        self.call_later(self.fail)

    def fail(self) -> None:
        raise self.error

    def _handle_exception(self, error: Exception) -> None:
        self.handled.append(error)
        self.exit()


async def test_an_error_in_a_message_handler_reaches_handle_exception() -> None:
    app = FailsOnce()
    await asyncio.wait_for(app.run_async(headless=True), 30)  # as `app.run()` does, without a terminal
    assert app.handled == [app.error]


def test_option_lists_only_resize_handler_drops_the_rendered_options() -> None:
    def handles_resize(cls: type) -> bool:
        decorated = cls.__dict__.get("_decorated_handlers", {})
        return bool({"_on_resize", "on_resize"} & set(cls.__dict__)) or events.Resize in decorated

    # ReusedOptionList.on_resize's prevent_default() skips every Resize handler of the classes below it
    assert [cls for cls in OptionList.__mro__ if handles_resize(cls)] == [OptionList]
    body = inspect.getsource(OptionList._on_resize).splitlines()[1:]
    assert [line.strip() for line in body] == ["self._clear_caches()"]


def test_an_inputs_cursor_is_drawn_only_while_its_cursor_visible_reactive_says_so() -> None:
    assert isinstance(Input.__dict__["_cursor_visible"], Reactive)
    drawn = inspect.getsource(Input.render_line)
    assert drawn.count("if self._cursor_visible:") == 2  # the placeholder's cursor, and the value's
    # stopping the blink leaves the cursor shown, which the answer then hides
    assert "self._cursor_visible = True" in inspect.getsource(Input._watch_cursor_blink)


def test_character_to_key_names_keys_as_bindings_do() -> None:
    assert [_character_to_key(ch) for ch in ("3", "b", " ", "/", "?", "=", "-")] == [
        "3",
        "b",
        "space",
        "slash",
        "question_mark",
        "equals_sign",
        "minus",
    ]


async def test_a_data_tables_cells_carry_their_row_in_the_style_meta() -> None:
    class Table(App[None]):
        def compose(self):
            table: DataTable[str] = DataTable(cursor_type="row")
            table.add_columns("a", "b")
            table.add_rows([("x", "y"), ("z", "w")])
            yield table

    app = Table()
    async with app.run_test(size=(20, 5)) as pilot:
        await pilot.pause()
        table = app.query_one(DataTable)
        firsts = [list(table.render_line(y))[0] for y in (0, 1, 2)]  # each line's first cell's padding
        assert [first.style.meta.get("row") for first in firsts if first.style] == [-1, 0, 1]  # the header, the rows
        assert all(first.text.startswith(" ") for first in firsts)  # the column the mark takes


def test_update_dimensions_measures_cells_only_for_widths_and_sets_the_virtual_size_from_the_columns() -> None:
    assert list(inspect.signature(DataTable._update_dimensions).parameters) == ["self", "new_rows"]
    body = inspect.getsource(DataTable._update_dimensions)
    # what CardTable skips: measuring each cell for a column's content width, and auto-height rows' heights
    assert "column.content_width = max(column.content_width, content_width)" in body
    assert "if row.auto_height:" in body and "row.label is not None" in body
    # what it keeps, done the same way
    assert "column.get_render_width(self) for column in self.columns.values()" in body
    assert "self._total_row_height + header_height" in body
    # a column given a width is drawn at it, whatever its content_width
    assert "self.content_width if self.auto_width else self.width" in inspect.getsource(Column.get_render_width)


async def test_a_widgets_message_signal_is_published_once_the_message_is_handled() -> None:
    handled: list[str] = []
    seen: list[tuple[str, list[str]]] = []

    class Pump(Widget):
        def on_click(self) -> None:  # any message will do
            handled.append("click")

    class Watched(App[None]):
        def compose(self):
            yield Pump()

    app = Watched()
    async with app.run_test() as pilot:
        pump = app.query_one(Pump)
        pump.message_signal.subscribe(app, lambda message: seen.append((type(message).__name__, list(handled))), True)
        pump.post_message(events.Click(pump, 0, 0, 0, 0, 1, False, False, False))
        await pilot.pause()
        assert ("Click", ["click"]) in seen
