"""Settings: the study limits, the scheduler's target and the look, checked before anything is saved."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static

from quiz.core.settings import RANGES, SettingOutOfRange, Settings, value_from_text, value_text
from quiz.core.store import StoreWriteError
from quiz.ui.base import quiz_app
from quiz.ui.widgets.keybar import KeyBar
from quiz.ui.widgets.literal import lit_line, say

FieldKind = Literal["float", "int", "steps"]
InputType = Literal["integer", "number", "text"]  # Input(type=...): Textual's own alias is private


@dataclass(frozen=True, slots=True)
class Field:
    name: str  # the Settings attribute
    label: str
    hint: str  # `{range}` stands for the allowed values
    kind: FieldKind


FIELDS = (
    Field("desired_retention", "Desired retention", "{range}: higher means more reviews", "float"),
    Field("new_per_day", "New cards per day", "{range}, per deck", "int"),
    Field("reviews_per_day", "Reviews per day", "{range}, per deck", "int"),
    Field("typed_tolerance", "Typed-answer tolerance", "{range}: 100 wants exact answers", "int"),
    Field("leech_threshold", "Leech threshold", "{range} lapses, then suspended", "int"),
    Field("learning_steps_minutes", "Learning steps", "minutes, e.g. 1 10", "steps"),
    Field("relearning_steps_minutes", "Relearning steps", "minutes, e.g. 10", "steps"),
    Field("rollover_hour", "Next day starts at", "hour {range} (local time)", "int"),
)
_INPUT_TYPE: dict[FieldKind, InputType] = {"float": "number", "int": "integer", "steps": "text"}
_WHAT: dict[FieldKind, str] = {"float": "a number", "int": "a whole number", "steps": "a list of minutes"}
_TYPE: dict[FieldKind, str] = {"float": "a number", "int": "a whole number", "steps": "minutes separated by spaces"}


def hint(field: Field) -> str:
    return field.hint.format(range=RANGES[field.name].span())


def how_to_fix(field: Field, allowed: str = "") -> str:
    """`type a number from 0.7 to 0.99, e.g. 0.9`: the kind of value, the range, and the default as an example."""
    allowed = allowed or (f", each {RANGES[field.name]}" if field.kind == "steps" else f" {RANGES[field.name]}")
    return f"type {_TYPE[field.kind]}{allowed}, e.g. {value_text(getattr(Settings(), field.name))}"


def out_of_range(field: Field, value: Any) -> str:
    must = "must each be" if field.kind == "steps" else "must be"
    return f"{field.label} {must} {RANGES[field.name]}, not {value_text(value)}: {how_to_fix(field, ' in that range')}."


def parse(field: Field, text: str) -> Any:
    """The typed text as the setting's type, or ValueError saying, by the field's label, how to fix it."""
    text = text.strip()
    try:
        return value_from_text(field.name, text)
    except ValueError:
        problem = f"{field.label}: {text} is not {_WHAT[field.kind]}" if text.strip(" ,") else f"{field.label} is empty"
        raise ValueError(f"{problem}: {how_to_fix(field)}.") from None


class SettingsScreen(Screen):
    """Edit, check and save the settings; the theme applies (and is kept) as soon as it is picked."""

    TITLE = "Settings"
    AUTO_FOCUS = ".setting-input"  # the first field: typing changes it at once, Tab moves on
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", tooltip="Check and save every setting"),
        Binding("escape", "back", "Back", tooltip="Leave (asks again if there are unsaved changes)"),
        Binding("ctrl+r", "defaults", "Defaults", tooltip="Fill in the default values (not saved yet)"),
        # F1 in the footer: a field has the focus, and Textual gives a focused field every printable key (`?` too).
        Binding("question_mark,f1", "help", "Help", key_display="F1", tooltip="Every screen's keys"),
    ]

    def __init__(self) -> None:
        super().__init__(id="settings")
        self._warned = False

    @property
    def saved(self) -> Settings:
        return quiz_app(self).context.store.settings()

    def compose(self) -> ComposeResult:
        current = self.saved
        yield Static(
            Text.assemble(("Settings", "bold"), " · checked before saving; the theme applies at once"),
            classes="title-bar",
        )
        with VerticalScroll(id="settings-form"):
            for field in FIELDS:
                with Horizontal(classes="setting-row"):
                    yield Label(field.label, classes="setting-label", markup=False)
                    yield Input(
                        value_text(getattr(current, field.name)),
                        type=_INPUT_TYPE[field.kind],
                        id=f"set-{field.name}",
                        classes="setting-input",
                        tooltip=hint(field),
                    )
                    yield Label(hint(field), classes="setting-hint", markup=False)
                yield Label("", id=f"err-{field.name}", classes="setting-error", markup=False)
            with Horizontal(classes="setting-row"):
                yield Label("Theme", classes="setting-label")
                themes = sorted(self.app.available_themes)
                theme = self.app.theme if self.app.theme in themes else themes[0]
                yield Select([(t, t) for t in themes], value=theme, allow_blank=False, id="set-theme")
            with Horizontal(id="settings-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="settings-save")
                yield Button("Defaults", id="settings-defaults")
                yield Button("Back", id="settings-back")
            yield Static("", id="settings-status", markup=False)
        yield KeyBar()

    # --- checking ---------------------------------------------------------------------------------

    def check(self, field: Field, base: Settings) -> tuple[Any, str]:
        """(value, "") if the field holds a good value, else (None, the reason)."""
        text = self.query_one(f"#set-{field.name}", Input).value
        try:
            value = parse(field, text)
            replace(base, **{field.name: value}).validated()
        except SettingOutOfRange as exc:
            return None, out_of_range(field, exc.value)
        except ValueError as exc:
            return None, str(exc)
        return value, ""

    def _show_error(self, field: Field, message: str) -> None:
        label = self.query_one(f"#err-{field.name}", Label)
        label.update(lit_line(f"✗ {message}") if message else "")
        label.set_class(bool(message), "-shown")
        self.query_one(f"#set-{field.name}", Input).set_class(bool(message), "-invalid")

    def form_settings(self) -> tuple[Settings | None, dict[str, str]]:
        """The settings the form describes, or None and the errors per field."""
        base = self.saved
        values, errors = {}, {}
        for field in FIELDS:
            value, error = self.check(field, base)
            if error:
                errors[field.name] = error
            else:
                values[field.name] = value
        if errors:
            return None, errors
        try:
            return replace(base, **values, theme=self.app.theme).validated(), {}
        except ValueError as exc:  # values that are fine alone but not together
            return None, {"": str(exc)}

    @on(Input.Changed, ".setting-input")
    def _changed(self, event: Input.Changed) -> None:
        self._warned = False
        name = (event.input.id or "").removeprefix("set-")
        field = next(f for f in FIELDS if f.name == name)
        _, error = self.check(field, self.saved)
        self._show_error(field, error)

    @on(Input.Submitted, ".setting-input")
    def _submitted(self) -> None:
        self.focus_next()

    @on(Select.Changed, "#set-theme")
    def _theme(self, event: Select.Changed) -> None:
        self.app.theme = str(event.value)  # the app keeps it in the store

    @on(Button.Pressed, "#settings-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#settings-defaults")
    def _defaults_pressed(self) -> None:
        self.action_defaults()

    @on(Button.Pressed, "#settings-back")
    def _back_pressed(self) -> None:
        self.action_back()

    # --- actions ----------------------------------------------------------------------------------

    def action_save(self) -> bool:
        settings, errors = self.form_settings()
        for field in FIELDS:
            self._show_error(field, errors.get(field.name, ""))
        status = self.query_one("#settings-status", Static)
        if settings is None:
            message = f"Not saved: {len(errors)} setting{'s' * (len(errors) != 1)} to fix. " + errors.get("", "")
            status.update(f"✗ {message}")
            status.add_class("-error")
            say(self.app, message.strip(), severity="error")
            first = next((f for f in FIELDS if f.name in errors), None)
            if first is not None:  # the form may be taller than the terminal: show the first mistake
                self.query_one(f"#set-{first.name}", Input).focus()
            return False
        try:
            quiz_app(self).context.store.save_settings(settings)
        except (ValueError, StoreWriteError) as exc:
            status.update(lit_line(f"✗ Not saved: {exc}"))
            status.add_class("-error")
            return False
        status.update("✓ Saved.")
        status.remove_class("-error")
        say(self.app, "Settings saved", timeout=2)
        return True

    def unsaved(self) -> bool:
        settings, errors = self.form_settings()
        return bool(errors) or settings != replace(self.saved, theme=self.app.theme)

    def action_back(self) -> None:
        if self.unsaved() and not self._warned:
            self._warned = True
            say(self.app, "Unsaved changes: ctrl+s saves them, Escape again leaves without saving.", severity="warning")
            return
        self.app.pop_screen()

    def action_defaults(self) -> None:
        defaults = Settings()
        for field in FIELDS:
            self.query_one(f"#set-{field.name}", Input).value = value_text(getattr(defaults, field.name))
        self.query_one("#settings-status", Static).update("Defaults filled in: ctrl+s saves them.")

    def action_help(self) -> None:
        from quiz.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())
