"""`quiz import FILE`: an Anki package, a CSV/TSV file, an Anki text export or a deck file -> a YAML deck in the
user's deck folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from quiz.commands.add import same_file
from quiz.context import Context
from quiz.core.atomicfile import atomic_write, write_files
from quiz.core.decks import cards_of
from quiz.core.importers import ImportFailure, ImportOptions, ImportResult, import_file, media_folder, reader_names
from quiz.core.importers.history import AnkiHistory, anki_history, has_history
from quiz.core.store import StoreError
from quiz.output import echo, fail

COLUMN_ROLES = {
    "front": "front (question) column",
    "back": "back (answer) column",
    "tags": "tags column (separated by spaces, or by commas)",
    "explain": "explanation column",
    "id_column": "card id column",
    "topic_column": "topic column",
    "kind_column": "kind column (basic, reverse, typed, cloze or an Anki note type)",
    "deck_column": "Anki deck column: sub-decks become topics",
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "import",
        help="make a deck from an Anki package (.apkg, .colpkg), a CSV/TSV file, an Anki text export or a deck file",
        description=(
            "Reads an Anki package (.apkg or .colpkg, from any Anki version), CSV/TSV (separator and header row "
            "detected), Anki's 'Notes in Plain Text' export (its #separator, #html, #columns, #tags, #deck, "
            "#notetype and '#... column' headers) or a .yaml deck file, and writes a YAML deck into your deck "
            "folder. The options for columns and cells apply to text files only. COL is a column number (1, 2, "
            "...) or a header name."
        ),
    )
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--deck-id", metavar="ID", help="the new deck's id (default: from the file name)")
    parser.add_argument("--title", metavar="T", help="the deck's title (default: the Anki deck or the file name)")
    parser.add_argument("--topic", metavar="T", help="topic for cards that get none from the file")
    parser.add_argument("--format", choices=reader_names(), help="default: anki when the file has Anki headers")
    parser.add_argument("--separator", metavar="SEP", help="tab, comma, semicolon, pipe, space, colon or a character")
    parser.add_argument(
        "--header", action=argparse.BooleanOptionalAction, default=None, help="is the first row a header? (detected)"
    )
    parser.add_argument(
        "--html", action=argparse.BooleanOptionalAction, default=None, help="are cells HTML? (#html, else detected)"
    )
    parser.add_argument(
        "--kind",
        choices=("basic", "reverse", "typed"),
        default="basic",
        help="kind of each row whose kind or note type is not known (cloze is detected)",
    )
    parser.add_argument("--encoding", default="utf-8", help="the file's text encoding (default utf-8)")
    parser.add_argument("--replace", action="store_true", help="overwrite a deck this command wrote before")
    parser.add_argument(
        "--no-history",
        dest="history",
        action="store_false",
        help="from an Anki package, take only the cards: no review log, due dates, suspension or flags",
    )
    for role, what in COLUMN_ROLES.items():
        parser.add_argument(f"--{role.replace('_', '-')}", dest=role, metavar="COL", help=what)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, context: Context) -> int:
    columns = {
        role.removesuffix("_column"): getattr(args, role) for role in COLUMN_ROLES if getattr(args, role) is not None
    }
    options = ImportOptions(
        deck_id=args.deck_id,
        title=args.title,
        topic=args.topic,
        format=args.format,
        separator=args.separator,
        header=args.header,
        html=args.html,
        kind=args.kind,
        columns=columns,
        encoding=args.encoding,
    )
    try:
        result = import_file(args.file, options)
    except ImportFailure as exc:
        for problem in exc.problems:
            echo(problem, error=True)
        return fail(exc)
    for problem in result.problems:
        echo(problem, error=True)
    target = context.user_deck_dir / f"{result.deck_id}.yaml"
    owner = next(
        (d.path for d in context.library.decks if d.id == result.deck_id and not same_file(d.path, target)), None
    )
    if owner is not None:
        return fail(f"deck id '{result.deck_id}' is already used by {owner}; pass --deck-id NEW_ID")
    if target.exists() and not args.replace:
        return fail(f"{target} already exists; pass --replace to overwrite it")
    history = None
    kept: set[str] = set()
    try:
        written = _write_pictures(target, result)  # before the history: the package's bytes are let go first
        if args.history and result.collection is not None and has_history(result.collection):
            history = anki_history(
                result.collection,
                result.deck_id,
                result.notes,
                result.anki_cards,
                context.store.settings(),
                context.clock.now(),
            )
        result.collection = None  # a shared deck's notes and cards: tens of MB not needed from here on
        if history is not None:
            # one transaction: the deck file is written before it commits, so both are kept or neither
            kept = context.store.import_history(result.deck_id, history.cards, lambda: _write(target, result, args))
        else:
            _write(target, result, args)
    except OSError as exc:
        return fail(f"cannot write {exc.filename or target}: {exc.strerror or exc}")
    except StoreError as exc:
        return fail(f"{exc}; nothing was imported")
    skipped = sum(1 for p in result.problems if p.message.startswith("row skipped"))
    cards = sum(len(cards_of(result.deck_id, note)) for note in result.notes)
    echo(target)
    if written:
        echo(f"{written} picture{'s' * (written != 1)} in {target.parent / media_folder(result.deck_id)}")
    echo(
        f"imported {len(result.notes)} notes ({cards} cards) into deck '{result.deck_id}' ({result.title})"
        + (f"; {skipped} row{'s' * (skipped != 1)} skipped" if skipped else "")
    )
    if history is not None:
        for line in history_lines(history, kept):
            echo(line)
    return 0


def _write_pictures(target: Path, result: ImportResult) -> int:
    """Write the deck's pictures beside it, durably, before the deck (whose check finds them); one of an
    earlier import of it is replaced. Returns how many; their readers, which hold the whole package in
    memory, are let go."""
    target.parent.mkdir(parents=True, exist_ok=True)
    write_files({target.parent / relative: read for relative, read in result.media.items()})
    written, result.media = len(result.media), {}
    return written


def _write(target: Path, result: ImportResult, args: argparse.Namespace) -> None:
    # never overwrite without --replace, even a file created since the check above
    with atomic_write(target, "w", encoding="utf-8", newline="\n", overwrite=args.replace) as out:
        out.write(result.text)


def _count(number: int, what: str, many: str = "") -> str:
    return f"{number} {what if number == 1 else many or what + 's'}"


def history_lines(history: AnkiHistory, kept: set[str]) -> list[str]:
    """What came along from Anki's schedule and review log (for the cards quiz had no history of), and what
    did not."""
    came = [card for card in history.cards if card.card_key not in kept]
    states = [card.state for card in came if card.state is not None]
    answers = sum(len(card.answers) for card in came)
    scheduled = sum(not state.is_new for state in states)
    flagged = sum(card.flag != 0 for card in came)
    lines = []
    if answers or states or flagged:
        suspended = sum(state.suspended for state in states)
        buried = sum(state.buried_until is not None for state in states)
        leeches = sum(state.leech for state in states)
        leech_count = _count(leeches, "leech", "leeches")
        lines.append(
            f"history: {_count(answers, 'review')} from Anki's review log, {_count(scheduled, 'card')} with a"
            f" schedule, {suspended} suspended, {buried} buried, {flagged} flagged, {leech_count}"
        )
    if history.manual:
        manual = _count(history.manual, "manual entry", "manual entries")
        lines.append(f"not brought: {manual} of the review log (set due date, reset): they are not answers")
    if history.left_behind:
        lines.append(f"not brought: {_count(history.left_behind, 'review')} of the notes skipped above")
    if kept:
        lines.append(
            f"not brought: the history of {_count(len(kept), 'card')} that already had one in quiz (kept as it was)"
        )
    return lines
