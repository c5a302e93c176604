"""Stats → Topics: each topic's share learnt as a bar on the topic's own line, grouped under its deck.

A text chart rather than plotext's horizontal bars: plotext cut every label to a fixed width (with several
decks each began with the same deck title) and spread the bars over the plot's height, between the labels.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from quiz.ui.widgets.literal import lit_line

Groups = list[tuple[str, list[tuple[str, float]]]]  # (deck title, [(topic title, share learnt)])
INDENT = "  "
PERCENT = 5  # " 100%"


class MasteryBars(Widget):
    """One line per topic: its title (cut only when it cannot fit), a bar, the percentage; deck titles above."""

    COMPONENT_CLASSES = {"mastery-bars--deck", "mastery-bars--done", "mastery-bars--left"}
    DEFAULT_CSS = """
    MasteryBars {
        height: auto;
        padding: 0 1;
        & > .mastery-bars--deck { text-style: bold; }
        & > .mastery-bars--done { color: $success; }
        & > .mastery-bars--left { color: $foreground-muted; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.groups: Groups = []

    def show(self, groups: Groups) -> None:
        self.groups = groups
        self.refresh(layout=True)

    def render(self) -> Text:
        width = self.content_region.width or self.app.size.width
        titles = [title for _, topics in self.groups for title, _ in topics]
        title_width = min(max(map(len, titles), default=0), max(width * 3 // 5 - len(INDENT), 10))
        bar_width = max(width - len(INDENT) - title_width - 1 - PERCENT, 4)
        deck_style = self.get_component_rich_style("mastery-bars--deck")
        done_style = self.get_component_rich_style("mastery-bars--done")
        left_style = self.get_component_rich_style("mastery-bars--left")
        lines = []
        for deck, topics in self.groups:
            heading = lit_line(deck)
            heading.stylize(deck_style)
            lines.append(heading)
            for topic, share in topics:
                label = lit_line(topic)
                label.truncate(title_width, overflow="ellipsis", pad=True)
                done = round(share * bar_width)
                line = Text(INDENT)
                line.append_text(label)
                line.append(" ")
                line.append("█" * done, done_style)  # filled and empty differ in shape, not only colour (NO_COLOR)
                line.append("░" * (bar_width - done), left_style)
                line.append(f"{share:>{PERCENT}.0%}")
                lines.append(line)
        return Text("\n").join(lines)
