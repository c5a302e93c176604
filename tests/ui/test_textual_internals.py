"""The two Textual internals quiz overrides still have the shape quiz was written against.

Textual is pinned exactly in pyproject.toml because of them; moving the pin (`make lock`) runs these
first. If one fails, read the new Textual's code for that method before changing the expected shape.
- `Widget._size_updated` (quiz/ui/widgets/steady.py): skips a second layout per new card (17-33 ms).
- `App._handle_exception` (quiz/ui/app.py): a lost deck cache ends the app with one line, not a traceback.
"""

from __future__ import annotations

import importlib.metadata
import inspect
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from textual.app import App
from textual.widget import Widget

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
