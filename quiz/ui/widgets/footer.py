"""Textual's Footer, but updated in place when the focus moves instead of rebuilt.

Textual's Footer answers every change of the active bindings (each focus change publishes two) by
recomposing: all its FooterKeys are removed and new ones mounted and styled, a frame after the change.
On the study screen the focus moves on every key (answer widget <-> grade bar), so that rebuild was
half the time from a key press to the next card painted. This footer rewrites the keys it already has
in the same turn as the change (so the new keys are in the same frame as the new card), hides spare
ones, and does nothing when the keys to show are unchanged. It recomposes (as Textual's does) only
when it needs more keys than it has, and leaves bindings in groups to `Footer.compose`; what it shows
is what `Footer.compose` would.
"""

from __future__ import annotations

from typing import NamedTuple

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from quiz.ui.widgets.steady import SteadySize


class KeySpec(NamedTuple):
    """What one FooterKey shows (its constructor's arguments)."""

    key: str
    key_display: str
    description: str
    action: str
    disabled: bool
    tooltip: str | None  # None: no tooltip (as FooterKey leaves an empty one)


PALETTE = "-command-palette"


class QuizFooterKey(SteadySize, FooterKey):
    """A FooterKey whose width follows its text without a second layout."""

    def __init__(self, spec: KeySpec, classes: str = "") -> None:
        super().__init__(*spec[:5], tooltip=spec.tooltip or "", classes=classes)


class QuizFooter(Footer):
    """A Footer (same look, same keys) that updates in place."""

    def on_mount(self) -> None:
        # Footer.on_mount subscribes `bindings_changed`, called later as a message to this footer (it
        # then finds nothing to change, or recomposes); this one updates the keys in place at once, in
        # the same turn as the focus change that moved them.
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed_now, immediate=True)

    def _bindings_changed_now(self, screen: Screen) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._update_in_place()

    def compose(self) -> ComposeResult:
        wanted = self._wanted() if self._bindings_ready else None
        if wanted is None:
            yield from super().compose()
            return
        keys, palette = wanted
        self.styles.grid_size_columns = len(keys)
        # Built with the class their `compact` watcher would add: adding it later restyles every key.
        compact = "-compact" if self.compact else ""
        for spec in keys:
            yield QuizFooterKey(spec, classes=compact).data_bind(compact=Footer.compact)
        if palette is not None:
            yield QuizFooterKey(palette, classes=f"{PALETTE} {compact}")

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._update_in_place():
            self.call_after_refresh(self.recompose)

    def _wanted(self) -> tuple[list[KeySpec], KeySpec | None] | None:
        """The keys `Footer.compose` would yield now, or None when it would group some."""
        active = self.screen.active_bindings
        by_action: dict[str, list] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show:
                by_action.setdefault(binding.action, []).append((binding, enabled, tooltip))
        keys = []
        for entries in by_action.values():
            binding, enabled, tooltip = entries[0]
            if binding.group is not None:
                return None
            keys.append(
                KeySpec(
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    not enabled,
                    tooltip or None,
                )
            )
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            try:
                _node, binding, enabled, tooltip = active[self.app.COMMAND_PALETTE_BINDING]
            except KeyError:
                pass
            else:
                palette = KeySpec(
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    not enabled,
                    binding.tooltip or binding.description or None,
                )
        return keys, palette

    def _update_in_place(self) -> bool:
        """Show the wanted keys with the FooterKeys already mounted; False when a recompose is needed."""
        wanted = self._wanted()
        if wanted is None:
            return False
        keys, palette = wanted
        children = list(self.children)
        if not all(isinstance(child, FooterKey) for child in children):
            return False
        plain = [child for child in children if not child.has_class(PALETTE)]
        shown_palette = [child for child in children if child.has_class(PALETTE)]
        if len(keys) > len(plain) or len(shown_palette) != (palette is not None):
            return False  # more keys than shown so far (the first fill too), or the palette key comes or goes
        for widget, spec in zip(plain, keys, strict=False):
            _show(widget, spec)
        for widget in plain[len(keys) :]:
            widget.display = False
        if palette is not None:
            _show(shown_palette[0], palette)
        return True


def _show(widget: FooterKey, spec: KeySpec) -> None:
    """Make `widget` show `spec`, as if it had been built with it."""
    current = KeySpec(
        widget.key,
        widget.key_display,
        widget.description,
        widget.action,
        widget._disabled,
        widget.tooltip,  # type: ignore[arg-type]
    )
    widget.display = True
    if current == spec:
        return
    widget.key, widget.key_display, widget.description, widget.action = spec[:4]
    widget._disabled = spec.disabled
    widget.set_class(spec.disabled, "-disabled")
    widget.tooltip = spec.tooltip
    widget.refresh(layout=True)
