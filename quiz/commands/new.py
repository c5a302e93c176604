"""`quiz new NAME`: a commented template deck with one card of every kind but image occlusion (it needs a picture),
in the user's deck folder."""

from __future__ import annotations

import argparse

from quiz.context import Context
from quiz.core.atomicfile import atomic_write
from quiz.core.deckwriter import comment, dump
from quiz.core.filenames import is_reserved, new_name, why_named
from quiz.core.importers.cleaning import clean_name
from quiz.core.importers.ids import slugify
from quiz.core.kinds import KINDS
from quiz.core.text import guide, shell_word
from quiz.output import echo, fail

TEMPLATE_HEAD = """\
description: What this deck is about (optional). Edit everything below; run `quiz validate` on this file.
# Sources that cards may cite with `sources: [id]` (optional).
sources:
  - id: my-book
    title: The book or article the cards come from
# Topics group cards for study (optional). If you declare topics, every card's topic must be one of them.
topics:
  - {id: basics, title: The basics}
  - {id: details, title: The details}
cards:
  # Every card needs an `id` (letters, digits, - _ .) and a `kind`. The id is what keeps your study
  # history: edit the text as much as you like, but keep the id. Changing the kind starts the card anew.
  # Optional on every kind: topic, tags, explain (shown after answering), outside (a statement that is
  # not from your sources, shown apart after answering), image, sources.

"""


def template(deck_id: str, title: str) -> str:
    head = comment(
        f"{title}: a quiz deck. The format is in {guide('deck-format')}. Check it with `quiz validate`.\n"
        "`deck` is the deck's stable id: your study history is kept under it, so do not change it."
    )
    cards = "\n".join(kind.example for kind in KINDS.values())
    return head + dump({"deck": deck_id, "title": title}) + TEMPLATE_HEAD + cards


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "new", help="write a template deck (a card of every kind but image occlusion) into your deck folder"
    )
    parser.add_argument("name", metavar="NAME", help="the deck's name; its id and file name are made from it")
    parser.add_argument("--title", help="the deck's title (default: NAME)")
    parser.set_defaults(run=run, writes=True)


def run(args: argparse.Namespace, context: Context) -> int:
    deck_id = slugify(args.name, 60)
    if not deck_id:
        return fail(
            f"cannot make a deck id from {args.name!r}: an id is made of Latin letters (a-z) and digits; give the"
            f" deck a Latin NAME and keep yours as its title: `quiz new NAME --title {shell_word(args.name)}`"
            " (as `quiz new nihongo --title 日本語`)"
        )
    title = clean_name((args.title or args.name).strip())[0] or deck_id  # as `import` cleans a --title
    if is_reserved(deck_id):
        return fail(
            f"{deck_id}.yaml cannot be a deck file: Windows keeps the name {deck_id.upper()} for a device and cannot"
            f" open it (a deck folder synced to Windows); pick another NAME and keep yours as its title:"
            f" `quiz new {deck_id}-deck --title {shell_word(title)}`"
        )
    if unreachable := context.deck_folder_problem():
        return fail(unreachable.message)
    path = context.user_deck_dir / new_name(context.user_deck_dir, deck_id, ".yaml")
    if path.exists():
        return fail(f"{path} already exists; edit it, or pick another name")
    owner = next((d.path for d in context.library.decks if d.id == deck_id), None)
    if owner is not None:
        return fail(f"deck id '{deck_id}' is already used by {owner}; pick another name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path, "w", encoding="utf-8", overwrite=False) as out:  # never overwrite, even in a race
            out.write(template(deck_id, title))
    except OSError as exc:
        return fail(f"cannot write {path}: {exc.strerror or exc}")
    echo(path)
    if (why := why_named(f"{deck_id}.yaml", path.name)) is not None:
        echo(why)
    echo(f"edit it, then check it with `quiz validate {shell_word(path)}`")
    return 0
