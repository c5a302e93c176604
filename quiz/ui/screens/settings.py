"""Settings: the study limits, the scheduler's target and the look, checked before anything is saved; and the
option presets (as Anki's): which preset the form edits, which preset each deck uses, add, rename, remove."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from quiz.core.model import Deck
from quiz.core.presets import (
    DEFAULT,
    NAME_LIMIT,
    PRESET_FIELDS,
    PresetError,
    add_preset,
    assign_preset,
    decks_using,
    options_of,
    preset_names,
    read_preset,
    remove_preset,
    rename_preset,
    save_preset,
)
from quiz.core.settings import RANGES, SettingOutOfRange, Settings, value_from_text, value_text
from quiz.core.store import Store, StoreWriteError
from quiz.ui.base import quiz_app
from quiz.ui.widgets.chooser import Chooser
from quiz.ui.widgets.keybar import KeyBar
from quiz.ui.widgets.literal import lit_line, lit_message, say

FieldKind = Literal["float", "int", "steps", "weekly", "switch"]
InputType = Literal["integer", "number", "text"]  # Input(type=...): Textual's own alias is private


@dataclass(frozen=True, slots=True)
class Field:
    name: str  # the Settings attribute
    label: str
    hint: str  # `{range}` stands for the allowed values
    kind: FieldKind


# A preset's options first (in PRESET_FIELDS), then the settings every deck shares.
FIELDS = (
    Field("desired_retention", "Desired retention", "{range}: higher means more reviews", "float"),
    Field("new_per_day", "New cards per day", "{range}, per deck", "int"),
    Field("reviews_per_day", "Reviews per day", "{range}, per deck", "int"),
    Field("maximum_interval_days", "Maximum interval", "{range} days", "int"),
    Field("leech_threshold", "Leech threshold", "{range} lapses, then suspended", "int"),
    Field("learning_steps_minutes", "Learning steps", "minutes, e.g. 1 10", "steps"),
    Field("relearning_steps_minutes", "Relearning steps", "minutes, e.g. 10", "steps"),
    Field("easy_days", "Easy days", "Mon–Sun, {range}: 1 all, 0.5 less, 0 least", "weekly"),
    Field("load_balancer", "Load balancer", "on/off: a due day with fewer reviews", "switch"),
    Field("typed_tolerance", "Typed-answer tolerance", "{range}: 100 wants exact answers", "int"),
    Field("rollover_hour", "Next day starts at", "hour {range} (local time)", "int"),
)
PRESET_FORM = tuple(field for field in FIELDS if field.name in PRESET_FIELDS)
GLOBAL_FORM = tuple(field for field in FIELDS if field.name not in PRESET_FIELDS)
NOT_ON_THE_FORM = ("fsrs_parameters",)  # fitted by `quiz optimize`, kept as they are when the form is saved
assert len(PRESET_FORM) + len(NOT_ON_THE_FORM) == len(PRESET_FIELDS), "every preset option needs a field on the form"
_INPUT_TYPE: dict[FieldKind, InputType] = {
    "float": "number",
    "int": "integer",
    "steps": "text",
    "weekly": "text",
    "switch": "text",
}
_WHAT: dict[FieldKind, str] = {
    "float": "a number",
    "int": "a whole number",
    "steps": "a list of minutes",
    "weekly": "seven numbers, Monday to Sunday",
    "switch": "on or off",
}

_TYPE: dict[FieldKind, str] = {
    "float": "a number",
    "int": "a whole number",
    "steps": "minutes separated by spaces",
    "weekly": "seven numbers separated by spaces, Monday first",
    "switch": "on or off",
}
_LISTS = ("steps", "weekly")  # kinds whose every value has the range

_OPTIMIZE = "optimize"  # the worker group of Optimize's fit
UNSAVED_WARNING = "Unsaved changes: Ctrl+S saves them, Esc again leaves without saving."

if TYPE_CHECKING:
    from quiz.core.optimizer import Fit


@dataclass(frozen=True, slots=True)
class _Fitting:
    """A fit under way in a thread: the preset, whether it had fitted parameters, when it started."""

    preset: str
    fitted_before: bool
    started: float


def _fit_preset(store: Store, preset: str, deck_ids: Iterable[str], now: datetime) -> Fit:
    """Optimize's fit, in the worker's thread (the FSRS engine loads here, the first time it is asked for),
    reading through a connection of its own: the app's is the screen thread's, which may write meanwhile."""
    from quiz.core.optimizer import fit_preset

    own = Store(store.path, store.clock)
    try:
        return fit_preset(own, preset, deck_ids, now)
    finally:
        own.close()


def hint(field: Field) -> str:
    return field.hint.format(range=RANGES[field.name].span()) if field.name in RANGES else field.hint


def how_to_fix(field: Field, allowed: str = "") -> str:
    """`type a number from 0.7 to 0.99, e.g. 0.9`: the kind of value, the range, and the default as an example."""
    if not allowed and field.name in RANGES:
        allowed = f", each {RANGES[field.name]}" if field.kind in _LISTS else f" {RANGES[field.name]}"
    return f"type {_TYPE[field.kind]}{allowed}, e.g. {value_text(getattr(Settings(), field.name))}"


def out_of_range(field: Field, value: Any) -> str:
    must = "must each be" if field.kind in _LISTS else "must be"
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
    """Edit, check and save the settings and one preset's options; the theme applies (and is kept) as soon as it
    is picked, a deck's preset as soon as it is chosen."""

    TITLE = "Settings"
    AUTO_FOCUS = ".setting-input"  # the first field: typing changes it at once, Tab moves on
    # Narrower than this (a split pane), the preset's buttons start at the left edge: beside the labels' column
    # they needed 68 columns, and Optimize was cut off.
    # Narrower than 60 columns (a phone, upright or on its side), each label goes above its field (app.tcss): beside
    # its label, the theme chooser, the easy days' hint and the Back button reached past the right edge at 48-56.
    HORIZONTAL_BREAKPOINTS = [(0, "-phone"), (60, "-narrow"), (72, "-wide")]
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", tooltip="Check and save every setting, and the preset's options"),
        Binding("escape", "back", "Back", tooltip="Leave (asks again if there are unsaved changes)"),
        Binding("ctrl+r", "defaults", "Defaults", tooltip="Fill in the default values (not saved yet)"),
        Binding("ctrl+o", "choose_preset", "Preset", tooltip="Choose the preset the form edits"),
        # F1 in the footer: a field has the focus, and Textual gives a focused field every printable key (`?` too).
        Binding("question_mark,f1", "help", "Help", key_display="F1", tooltip="Every screen's keys"),
    ]

    def __init__(self, preset: str = DEFAULT) -> None:
        super().__init__(id="settings")
        self._warned = False
        self.preset = preset  # the preset whose options the form edits
        self._switch_warned = False  # a change of preset was refused once for unsaved changes
        self._remove_armed: str | None = None  # the preset a second Remove removes
        self._decks: list[Deck] = []  # the deck of each deck row, by its index (ids are deck text: not widget ids)
        self._fitting: _Fitting | None = None  # Optimize's fit while it runs
        self._fitting_timer: Timer | None = None  # counts its seconds on the status line

    @property
    def saved(self) -> Settings:
        """The settings with the edited preset's options, as stored (the settings alone if the preset was
        removed meanwhile, by `quiz preset remove`: saving then says so)."""
        store = quiz_app(self).context.store
        try:
            return read_preset(store, self.preset)
        except PresetError:
            return store.settings()

    def compose(self) -> ComposeResult:
        current = self.saved
        context = quiz_app(self).context
        yield Static(
            Text.assemble(("Settings", "bold"), " · checked before saving; the theme applies at once"),
            classes="title-bar",
        )
        with VerticalScroll(id="settings-form"):
            yield Label("Options of a preset (each deck uses one; Default is the settings)", classes="setting-section")
            with Horizontal(classes="setting-row"):
                yield Label("Preset", classes="setting-label")
                yield Chooser(self._preset_options(), value=self.preset, id="preset")
                yield Label("", id="preset-used", classes="setting-hint", markup=False)
            with Horizontal(classes="setting-row"):
                yield Label("Preset name", classes="setting-label")
                yield Input(placeholder="a preset's name", id="preset-name", max_length=NAME_LIMIT)
            with Horizontal(id="preset-buttons"):
                yield Button("Add", id="preset-add", tooltip="A new preset: a copy of this one, named as typed")
                yield Button("Rename", id="preset-rename", tooltip="Rename this preset as typed; its decks keep it")
                yield Button("Remove", id="preset-remove", tooltip="Remove this preset; its decks go back to Default")
                yield Button(
                    "Optimize",
                    id="preset-optimize",
                    tooltip="Fit FSRS to your answers in this preset's decks; kept only if it predicts them better",
                )
            yield Static("", id="preset-status", classes="preset-status", markup=False)
            yield from self._field_rows(PRESET_FORM, current)
            yield Label("For every deck", classes="setting-section")
            yield from self._field_rows(GLOBAL_FORM, current)
            with Horizontal(classes="setting-row"):
                yield Label("Theme", classes="setting-label")
                themes = sorted(self.app.available_themes)
                theme = self.app.theme if self.app.theme in themes else themes[0]
                yield Chooser([(t, t) for t in themes], value=theme, id="set-theme")
            yield Label("The preset each deck uses (applies at once)", classes="setting-section")
            chosen = context.store.deck_presets()
            for index, deck in enumerate(context.library.decks):
                self._decks.append(deck)
                with Horizontal(classes="setting-row"):
                    yield Label(lit_line(deck.title), classes="deck-label")
                    yield Chooser(
                        self._preset_options(),
                        value=chosen.get(deck.id, DEFAULT),
                        id=f"deck-preset-{index}",
                        classes="deck-preset",
                    )
            yield Static("", id="deck-status", classes="preset-status", markup=False)
            with Horizontal(id="settings-buttons"):
                yield Button("Save (Ctrl+S)", variant="primary", id="settings-save")
                yield Button("Defaults", id="settings-defaults")
                yield Button("Back", id="settings-back")
            yield Static("", id="settings-status", markup=False)
        yield KeyBar()

    def _field_rows(self, form: tuple[Field, ...], current: Settings) -> ComposeResult:
        for field in form:
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

    def on_mount(self) -> None:
        self._show_use()

    def _preset_options(self) -> list[tuple[Text, str]]:
        """Each preset for a Select, its name shown literally."""
        return [(lit_line(name), name) for name in preset_names(quiz_app(self).context.store)]

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

    # --- presets ----------------------------------------------------------------------------------

    def _preset_unsaved(self) -> bool:
        """Whether the form's preset options differ from the edited preset's stored ones (or do not check)."""
        settings, errors = self.form_settings()
        return settings is None or options_of(settings) != options_of(self.saved)

    def _show_use(self) -> None:
        """Beside the chooser: which decks the edited preset's options apply to."""
        store = quiz_app(self).context.store
        chosen = store.deck_presets()
        count = sum(1 for deck in self._decks if chosen.get(deck.id, DEFAULT) == self.preset)
        self.query_one("#preset-used", Label).update(f"used by {count} deck{'s' * (count != 1)}")

    def _preset_said(self, message: str, error: bool = False, where: str = "#preset-status") -> None:
        """Say it under what was used (the form is taller than a terminal), and as a notification."""
        status = self.query_one(where, Static)
        status.update(lit_message(f"✗ {message}" if error else f"✓ {message}"))
        status.set_class(error, "-error")
        say(self.app, message, severity="error" if error else "information", timeout=None if error else 3)

    def _set_select(self, select: Select[Any], value: str, options: list[tuple[Text, str]] | None = None) -> None:
        """Change a Select without its Changed message (which would be taken for the user's choice)."""
        with select.prevent(Select.Changed):
            if options is not None:
                select.set_options(options)
            select.value = value

    def _switch_to(self, name: str) -> None:
        """Edit preset `name`: its options fill the preset's fields; the other fields keep what is typed."""
        self.preset = name
        self._switch_warned = False
        self._remove_armed = None
        self._set_select(self.query_one("#preset", Select), name)
        saved = self.saved
        for field in PRESET_FORM:
            self.query_one(f"#set-{field.name}", Input).value = value_text(getattr(saved, field.name))
        self._show_use()

    def _presets_changed(self) -> None:
        """After an add, a rename or a removal: every chooser gets the new list, each deck its stored preset."""
        options = self._preset_options()
        self._set_select(self.query_one("#preset", Select), self.preset, options)
        chosen = quiz_app(self).context.store.deck_presets()
        for index, deck in enumerate(self._decks):
            self._set_select(self.query_one(f"#deck-preset-{index}", Select), chosen.get(deck.id, DEFAULT), options)
        self._show_use()

    @on(Select.Changed, "#preset")
    def _preset_chosen(self, event: Select.Changed) -> None:
        name = str(event.value)
        if name == self.preset:
            return
        if self._preset_unsaved() and not self._switch_warned:
            self._switch_warned = True
            self._set_select(event.select, self.preset)
            self._preset_said(
                f"Unsaved changes to preset {self.preset}: Ctrl+S saves them; choose {name} again to drop them.",
                error=True,
            )
            return
        self._switch_to(name)
        self.query_one("#preset-status", Static).update("")

    @on(Select.Changed, ".deck-preset")
    def _deck_preset_chosen(self, event: Select.Changed) -> None:
        index = int((event.select.id or "").removeprefix("deck-preset-"))
        deck = self._decks[index]
        name = str(event.value)
        store = quiz_app(self).context.store
        if name == store.deck_presets().get(deck.id, DEFAULT):  # no change (a Select says its first value too)
            return
        try:
            assign_preset(store, deck.id, name)
        except (PresetError, StoreWriteError) as exc:
            self._preset_said(f"Not changed: {exc}", error=True, where="#deck-status")
            return
        self._show_use()
        self._preset_said(f"{deck.title} now uses {name}", where="#deck-status")

    def _typed_name(self) -> str:
        return self.query_one("#preset-name", Input).value

    @on(Button.Pressed, "#preset-add")
    def _add_preset(self) -> None:
        source = self.preset
        try:
            name = add_preset(quiz_app(self).context.store, self._typed_name(), source)
        except (PresetError, StoreWriteError) as exc:
            self._preset_said(f"Not added: {exc}", error=True)
            return
        # The form keeps what is typed: changes not saved yet are now the new preset's, for ctrl+s to save.
        self.preset = name
        self._remove_armed = None
        self._presets_changed()
        self.query_one("#preset-name", Input).value = ""
        self._preset_said(f"Added preset {name}, a copy of {source}; the form now edits it (Ctrl+S saves).")

    @on(Button.Pressed, "#preset-rename")
    def _rename_preset(self) -> None:
        old = self.preset
        try:
            name = rename_preset(quiz_app(self).context.store, old, self._typed_name())
        except (PresetError, StoreWriteError) as exc:
            self._preset_said(f"Not renamed: {exc}", error=True)
            return
        self.preset = name
        self._remove_armed = None
        self._presets_changed()
        self.query_one("#preset-name", Input).value = ""
        self._preset_said(f"Renamed preset {old} to {name}; its decks keep it.")

    @on(Button.Pressed, "#preset-remove")
    def _remove_preset(self) -> None:
        name = self.preset
        store = quiz_app(self).context.store
        if name != DEFAULT and self._remove_armed != name:
            self._remove_armed = name
            count = sum(1 for preset in store.deck_presets().values() if preset == name)
            self._preset_said(
                f"Press Remove again to remove preset {name}: its {count} deck{'s' * (count != 1)} go back to Default.",
                error=True,
            )
            return
        try:
            moved = remove_preset(store, name)
        except (PresetError, StoreWriteError) as exc:
            self._preset_said(f"Not removed: {exc}", error=True)
            return
        self._switch_to(DEFAULT)
        self._presets_changed()
        self._preset_said(f"Removed preset {name}; {len(moved)} deck{'s' * (len(moved) != 1)} now use Default.")

    @on(Button.Pressed, "#preset-optimize")
    def _optimize_preset(self) -> None:
        """As `quiz optimize` for the preset shown, the fit in a thread (a second or so per 100,000 answers)
        so the form stays usable; the parameters are written when it has finished, never before."""
        context = quiz_app(self).context
        name = self.preset
        decks = decks_using(context.store, name, [deck.id for deck in self._decks])
        self._fitting = _Fitting(name, bool(self.saved.fsrs_parameters), time.monotonic())
        self.query_one("#preset-optimize", Button).disabled = True
        self._show_fitting()
        self._fitting_timer = self.set_interval(1, self._show_fitting)
        fit = partial(_fit_preset, context.store, name, decks, context.clock.now())
        self.run_worker(fit, group=_OPTIMIZE, exit_on_error=False, thread=True)

    def _show_fitting(self) -> None:
        if self._fitting is None:
            return
        seconds = int(time.monotonic() - self._fitting.started)
        status = self.query_one("#preset-status", Static)
        status.set_class(False, "-error")
        status.update(
            lit_line(
                f"… Fitting {self._fitting.preset} to your answers: {seconds} s. The form stays usable; "
                "nothing changes until the fit is done."
            )
        )

    @on(Worker.StateChanged)
    def _fit_done(self, event: Worker.StateChanged) -> None:
        """Back on the screen's thread: keep the parameters (if they predict better) and say what the fit gave."""
        from quiz.core.optimizer import Fit, describe, keep

        fitting = self._fitting
        if event.worker.group != _OPTIMIZE or not event.worker.is_finished or fitting is None:
            return
        self._fitting = None
        if self._fitting_timer is not None:
            self._fitting_timer.stop()
        self.query_one("#preset-optimize", Button).disabled = False
        result = event.worker.result
        if event.state is not WorkerState.SUCCESS or not isinstance(result, Fit):
            self._preset_said(f"Not optimized: {event.worker.error}", error=True)
            return
        try:
            keep(quiz_app(self).context.store, fitting.preset, result)
        except (PresetError, StoreWriteError) as exc:
            self._preset_said(f"Not optimized: {exc}", error=True)
            return
        self._preset_said("\n".join(describe(fitting.preset, result, fitting.fitted_before)), error=not result.adopted)

    # --- actions ----------------------------------------------------------------------------------

    def action_choose_preset(self) -> None:
        chooser = self.query_one("#preset", Select)
        chooser.focus()
        chooser.expanded = True

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
                self.query_one(f"#err-{first.name}", Label).scroll_visible(animate=False)  # and why, under it
            return False
        store = quiz_app(self).context.store
        try:
            if self.preset == DEFAULT:
                store.save_settings(settings)
            else:  # the preset's options (refused if it is gone), then the settings every deck shares
                save_preset(store, self.preset, settings)
                store.save_settings(replace(settings, **options_of(store.settings())))
        except (ValueError, StoreWriteError) as exc:
            status.update(lit_message(f"✗ Not saved: {exc}"))
            status.add_class("-error")
            say(self.app, f"Not saved: {exc}", severity="error")  # the status line may be below the screen
            return False
        status.update("✓ Saved.")
        status.remove_class("-error")
        saved = "Settings saved" if self.preset == DEFAULT else f"Settings and preset {self.preset} saved"
        say(self.app, saved, timeout=2)
        return True

    def unsaved(self) -> bool:
        settings, errors = self.form_settings()
        return bool(errors) or settings != replace(self.saved, theme=self.app.theme)

    def action_back(self) -> None:
        if self.unsaved() and not self._warned:
            self._warned = True
            say(self.app, UNSAVED_WARNING, severity="warning")
            return
        if self._warned:  # leaving unsaved: the warning would stay over Home for seconds, about a screen now gone
            self.app.clear_notifications()
        self.app.pop_screen()

    def action_defaults(self) -> None:
        defaults = Settings()
        for field in FIELDS:
            self.query_one(f"#set-{field.name}", Input).value = value_text(getattr(defaults, field.name))
        self.query_one("#settings-status", Static).update("Defaults filled in: Ctrl+S saves them.")

    def action_help(self) -> None:
        from quiz.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())
