"""The card kinds' names, in the registry's order, for what needs only the names at every start (the store's
state codes, the stats' columns, the deck cache's check): importing the kinds themselves (quiz.core.kinds,
each kind's module and the field reader) costs milliseconds of every start. The registry refuses to load
unless its kinds have these very names in this order, so the two cannot drift apart."""

KIND_NAMES: tuple[str, ...] = (
    "basic",
    "reverse",
    "cloze",
    "typed",
    "choice",
    "multi",
    "truefalse",
    "order",
    "match",
    "occlusion",
)
