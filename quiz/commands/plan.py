"""`quiz plan [DECK[/TOPIC]] [--exam DATE] [--target P] [--remove]`: exam dates and the plan that reaches them."""

from __future__ import annotations

import argparse
from datetime import date

from quiz.context import Context
from quiz.core.clock import study_day
from quiz.core.examdates import (
    ExamDate,
    ExamDateError,
    check_scope,
    checked_target,
    parse_day,
    parse_scope,
    read_exam_dates,
    remove_exam_date,
    set_exam_date,
    target_text,
    too_far,
    too_far_exam_dates,
)
from quiz.core.exampace import deck_pace_together
from quiz.core.examplan import ExamPlan, plan_exams
from quiz.core.examplantext import HELP, day_rows, exam_mode_result, figures, headline, status
from quiz.core.text import shell_word
from quiz.output import echo, fail

_DEFAULT_TARGET = 0.9


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "plan",
        help="exam dates: study a deck or topic to a target recall on a day, and the plan to get there",
        description=(
            "Give a deck (or one topic of it, DECK/TOPIC) an exam date and a target: the share of its cards "
            "you want to recall on the day. Until then, a review that would fall on or after the exam day, "
            "with predicted recall on the day under the target, comes back before it; from the exam day on "
            "normal scheduling resumes. Without --exam, shows the plan: cards per day until the exam, the "
            "predicted share recalled on the day, and, when the daily limits keep the target out of reach, "
            "by how much and which limit to raise. Without DECK, lists every exam."
        ),
        epilog="The figures: " + "; ".join(f"{label}: {meaning}" for label, meaning in HELP.items()) + ".",
    )
    parser.add_argument("scope", metavar="DECK[/TOPIC]", nargs="?", help="a deck id (see `quiz list`), or DECK/TOPIC")
    parser.add_argument("--exam", metavar="DATE", help="the exam day, YYYY-MM-DD (sets or moves the exam)")
    parser.add_argument(
        "--target",
        type=float,
        metavar="P",
        help=f"the share of cards to recall on the day, e.g. 0.95 (a new exam: {_DEFAULT_TARGET})",
    )
    parser.add_argument("--remove", action="store_true", help="forget the exam of DECK[/TOPIC]")
    parser.set_defaults(run=run, writes=_sets)


def _sets(args: argparse.Namespace) -> bool:
    """Whether `plan` sets or removes an exam (a data folder named that does not exist is made), not only shows."""
    return bool(args.exam or args.target is not None or args.remove)


def run(args: argparse.Namespace, context: Context) -> int:
    try:
        if args.scope is None:
            if args.remove:
                raise ExamDateError("name the exam to remove: `quiz plan DECK[/TOPIC] --remove`")
            if args.exam or args.target is not None:
                raise ExamDateError("name the exam: `quiz plan DECK[/TOPIC] --exam YYYY-MM-DD --target 0.95`")
            return _list(context)
        deck_id, topic = parse_scope(args.scope)
        if args.remove and (args.exam or args.target is not None):  # which was meant? neither is done
            raise ExamDateError(
                f"--remove forgets the exam, --exam and --target set it: give one, `quiz plan {shell_word(args.scope)}"
                " --remove` or the date and target"
            )
        if args.remove:
            if not remove_exam_date(context.store, deck_id, topic):
                raise ExamDateError(f"{args.scope} has no exam date; `quiz plan` lists them")
            echo(f"{args.scope}: exam date removed; its cards are scheduled as usual")
            return 0
        exams = {(exam.deck_id, exam.topic): exam for exam in read_exam_dates(context.store)}
        known = exams.get((deck_id, topic))
        if args.exam or args.target is not None:
            check_scope(context.library.deck(deck_id), deck_id, topic)
            if args.exam is None and known is None:
                given = f" --target {args.target}" if args.target is not None else ""
                raise ExamDateError(
                    f"{args.scope} has no exam date yet: give one with"
                    f" `quiz plan {shell_word(args.scope)} --exam YYYY-MM-DD{given}`"
                )
            day = parse_day(args.exam) if args.exam else known.day if known else None
            target = args.target if args.target is not None else known.target if known else _DEFAULT_TARGET
            assert day is not None
            known = ExamDate(deck_id, topic, day, checked_target(target))
            set_exam_date(context.store, known, _today(context))
        if known is None:
            far = next((e for e in too_far_exam_dates(context.store) if (e.deck_id, e.topic) == (deck_id, topic)), None)
            if far is not None:
                raise ExamDateError(too_far(far))
            check_scope(context.library.deck(deck_id), deck_id, topic)  # a typo is not an exam to set
            raise ExamDateError(
                f"{args.scope} has no exam date: set one with"
                f" `quiz plan {shell_word(args.scope)} --exam YYYY-MM-DD --target 0.95`"
            )
    except ExamDateError as error:
        return fail(error)
    plans = plan_exams(context.store, context.library.decks, [known], context.clock.now())
    if not plans:
        return fail(f"deck {deck_id!r} is not loaded, so its plan cannot be made; `quiz list` shows the loaded decks")
    _show(plans[0], context, days=True)
    return 0


def _today(context: Context) -> date:
    return study_day(context.clock.now(), context.store.settings().rollover_hour)


def _list(context: Context) -> int:
    exams, far = read_exam_dates(context.store), too_far_exam_dates(context.store)
    if not exams and not far:
        echo("no exam dates; set one with `quiz plan DECK[/TOPIC] --exam YYYY-MM-DD --target 0.95`")
        return 0
    plans = {plan.exam: plan for plan in plan_exams(context.store, context.library.decks, exams, context.clock.now())}
    for exam in exams:
        plan = plans.get(exam)
        if plan is None:
            echo(f"{exam.scope}: exam on {exam.day.isoformat()}, target {target_text(exam.target)} (deck not loaded)")
        else:
            _show(plan, context, days=False)
    for exam in far:  # never planned, but named: they are not lost, and each is one command from gone
        echo(too_far(exam))
    return 0


def _show(plan: ExamPlan, context: Context, days: bool) -> None:
    today = _today(context)
    echo(headline(plan, today))
    for figure in figures(plan, today):
        echo(f"  {figure.label + ':':<27} {figure.value}")
    deck = context.library.deck(plan.exam.deck_id)
    together = None if deck is None else deck_pace_together(context.store, deck, context.clock.now())
    rollover = context.store.settings().rollover_hour
    result = None if deck is None else exam_mode_result(context.store, deck, plan.exam, rollover)
    for line in status(plan, together, today, result):
        echo(f"  {line}")
    if days and plan.outlook.days:
        echo(f"  {'day':<12} {'reviews':>7} {'new':>5}")
        for day, reviews, new in day_rows(plan):
            echo(f"  {day:<12} {reviews:>7} {new:>5}")
