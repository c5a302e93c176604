"""An exam plan in words, the same for `quiz plan` and the app: each figure with one line saying what it is."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from quiz.core.clock import study_day
from quiz.core.exam import past_exams
from quiz.core.examdates import ExamDate, has_passed, target_text
from quiz.core.examplan import ExamPlan, points_short, share_of
from quiz.core.model import Deck
from quiz.core.store import Store
from quiz.core.text import shell_word

RECALLED_NOW = "of all cards, recalled now"  # not Stats' recall now, which leaves out the cards not studied yet
# What each figure of a plan is, in one line (the app shows it under the figures, `quiz plan --help` lists it).
HELP = {
    "cards": "the cards the exam covers, suspended ones left out",
    "not studied yet": "cards never answered: each must be introduced before the exam",
    RECALLED_NOW: "the share of all the exam's cards predicted recalled today, a card not studied yet counted "
    "as not recalled (Stats' recall now counts the studied ones only)",
    "new cards per day needed": "the fewest a day that introduce them all in time: cards not studied yet when "
    "today began / the study days until the last day a new card can still reach the target (none can: all "
    "today). A topic's exam takes this many first; a whole deck's sessions take up to its limit",
    "busiest day": "the most reviews of the exam's cards the plan asks for on one day before the exam",
    "predicted on the exam day": "the share of the exam's cards predicted recalled on the day if you study each "
    "day's cards within the limits and recall them",
}
PASSED = "the exam day has come, normal scheduling resumed"


class Figure(NamedTuple):
    label: str
    value: str
    help: str


def exam_mode_result(store: Store, deck: Deck, exam: ExamDate, rollover_hour: int) -> str | None:
    """The last result of exam mode on the exam's deck (or on its topic, that topic's share of the questions)
    taken by the end of the exam day, in words; None when there is none. An exam on the whole deck takes none
    asking only some of its topics: 4 of 4 on one topic is no result of the deck's."""
    for report in past_exams(store, deck):  # newest first
        if report.taken_at is None or (taken := study_day(report.taken_at, rollover_hour)) > exam.day:
            continue
        if exam.topic is None and report.on_chosen_topics(deck):
            continue
        right, asked = (
            (report.correct, report.total) if exam.topic is None else report.per_topic.get(exam.topic, (0, 0))
        )
        if asked:
            when = "on the exam day" if taken == exam.day else f"on {taken.isoformat()}"
            return f"last exam-mode result: {right} of {asked} right ({right / asked:.0%}), taken {when}"
    return None


def headline(plan: ExamPlan, today: date) -> str:
    exam = plan.exam
    days = (exam.day - today).days
    when = "tomorrow" if days == 1 else f"in {days} days" if days > 1 else "today" if days == 0 else "passed"
    return f"{exam.scope}: exam on {exam.day.isoformat()} ({when}), target {target_text(exam.target)}"


def status(plan: ExamPlan, together: int | None, today: date, result: str | None = None) -> list[str]:
    """On track, or the advice: by how much the target is missed and which limit to raise; nothing to advise
    once the exam day has come, and, once it has passed, its exam-mode `result` (`exam_mode_result`) if any and
    how to stop listing it. `together`: the new cards a day the exams on the deck's topics need together, when
    more than its limit (`exampace.pace_together`)."""
    if has_passed(plan.exam, today):
        removal = f"{PASSED}; to stop listing it: `quiz plan {shell_word(plan.exam.scope)} --remove`"
        return [result, removal] if result else [removal]
    if plan.days_left == 0:
        return [PASSED]
    lines = ["on track"] if plan.reachable else plan.advice()
    if together is not None:
        lines.append(
            f"the exams on this deck's topics need {together} new cards a day together, above its limit of "
            f"{plan.new_per_day}: the nearest takes its pace first and a later one falls behind; raise new cards "
            f"per day to {together}"
        )
    return lines


def figures(plan: ExamPlan, today: date) -> list[Figure]:
    """The plan's figures; none once the exam has passed (a prediction for a day gone, worked back from today's
    memory states, is no figure of it)."""
    if has_passed(plan.exam, today):
        return []
    values = {
        "cards": str(plan.cards),
        "not studied yet": str(plan.new_left),
        RECALLED_NOW: f"{plan.recalled_now:.0%} (cards not studied yet count as not recalled)",
        "new cards per day needed": _pace(plan),
        "busiest day": f"{plan.outlook.busiest} reviews (limit {plan.reviews_per_day})",
        "predicted on the exam day": share_of(plan.outlook.recalled, plan.exam.target),
    }
    return [Figure(label, value, HELP[label]) for label, value in values.items()]


def _pace(plan: ExamPlan) -> str:
    """The pace and the last day for a new card; past the exam, none; when no day reaches the target, by how
    much a card introduced today falls short (its pace asks for every one today, the nearest it comes)."""
    if plan.days_left == 0:
        return f"none: {PASSED}"
    pace = f"{plan.new_per_day_needed} (limit {plan.new_per_day})"
    if plan.introduce_by is not None:
        return f"{pace}, the last by {plan.introduce_by.isoformat()}{_deck_takes_more(plan)}"
    if plan.new_left == 0:
        return pace
    recall, target = plan.new_today_recall, plan.exam.target
    return (
        f"{pace}: every one today, yet the target is out of reach for new cards: one introduced today is "
        f"predicted at {share_of(recall, target)} on the exam day, {points_short(recall, target)} points short of"
        f" {target_text(target)}"
    )


def _deck_takes_more(plan: ExamPlan) -> str:
    """What the days below do when they introduce more than the pace: a whole deck's sessions take new cards up
    to its limit (a topic's take its pace first), so "needed" is the least, not each day's count."""
    if plan.exam.topic is not None or plan.new_per_day_needed >= plan.new_per_day:
        return ""
    return f"; a whole deck's sessions take up to {plan.new_per_day} a day (the days below)"


def day_rows(plan: ExamPlan) -> list[tuple[str, int, int]]:
    """(date, reviews, new cards) for each study day until the exam."""
    return [(day.day.isoformat(), day.reviews, day.new) for day in plan.outlook.days]
