"""Exam mode through the UI: setup, answering, the countdown, results, and the kept history."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from conftest import UI_DECK, clipped, messages, open_exam_setup, right_keys, screen_rows, screen_text, start_exam
from textual.widgets import DataTable, Input

from quiz.core.cardstate import CardState
from quiz.core.kinds import OBJECTIVE_KINDS
from quiz.core.model import Grade, Mode
from quiz.core.store import Store, StoreWriteError
from quiz.ui.screens.exam import EndExamScreen, ExamResultsScreen, ExamRunScreen, ExamSetupScreen
from quiz.ui.screens.home import HomeScreen
from quiz.ui.widgets.ticklist import TickList

SIZE = (80, 24)


def write_yaml(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


async def test_setup_defaults_to_the_selected_topic_or_all(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        setup = await open_exam_setup(pilot)
        assert set(setup.query_one("#topics", TickList).selected) == {"mechanism", "safety"}
        assert "No exams taken on this deck yet." in screen_text(app)
        # the note is no result: no ▸ points at it as at one Enter opens
        assert not any(row.lstrip().startswith("▸No exams") for row in screen_rows(app))
        await pilot.press("escape")
        await pilot.pause()
        setup = await open_exam_setup(pilot, "down", "down")
        assert setup.query_one("#topics", TickList).selected == ["safety"]


async def test_an_exam_is_graded_per_topic_saved_and_listed(app_factory, clock) -> None:
    app = app_factory()
    store = app.context.store
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        setup = await open_exam_setup(pilot)
        run = await start_exam(pilot, setup, "4")
        exam = run.exam
        assert len(exam.questions) == 4 and all(c.kind in OBJECTIVE_KINDS for c in exam.questions)
        assert "Question 1 of 4" in screen_text(app)
        for number in range(4):
            clock.advance(timedelta(seconds=10))
            if number == 1:
                await pilot.press("enter")  # nothing given: counts as wrong
            else:
                await pilot.press(*right_keys(run))
            await pilot.pause()
        results = app.screen
        assert isinstance(results, ExamResultsScreen)
        assert results.report.correct == 3 and results.report.total == 4
        text = screen_text(app)
        assert "3/4  75%" in text and "40s" in text
        assert "Mistake 1 of 1" in text and "No answer given" in text
        assert [r.mode for r in store.reviews()] == [Mode.EXAM] * 4
        assert all(store.state(c.deck_id, c.key) is None for c in exam.questions)  # schedule untouched
        saved = store.exams()
        assert len(saved) == 1 and (saved[0]["correct"], saved[0]["total"]) == (3, 4)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ExamSetupScreen)
        assert "3/4  75%" in screen_text(app)  # past results, listed on the setup screen
        assert app.screen.query_one("#past", DataTable).show_cursor  # a result: ▸ points at it


async def test_countdown_ends_the_exam_when_time_is_up(app_factory, clock) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        setup = await open_exam_setup(pilot)
        run = await start_exam(pilot, setup, "5", "1")
        assert "Time left 01:00" in screen_text(app)
        await pilot.press(*right_keys(run))
        await pilot.pause()
        clock.advance(timedelta(seconds=45))
        run.tick()
        await pilot.pause()
        assert "Time left 00:15" in screen_text(app)
        clock.advance(timedelta(seconds=20))
        await pilot.pause(1.2)  # the 1-second timer notices
        results = app.screen
        assert isinstance(results, ExamResultsScreen)
        assert results.report.total == 5 and results.report.unanswered == 4
        assert results.report.correct == 1
        assert app.context.store.exams()[0]["seconds"] == 60
        # the four questions time took away are walked through too, and count in the per-topic score
        assert len(results.mistakes) == 4 and all(m.given == "" for m in results.mistakes)
        assert sum(total for _, total in results.report.per_topic.values()) == 5
        assert "Mistake 1 of 4" in screen_text(app) and "No answer given" in screen_text(app)
        assert len(app.context.store.exams()[0]["detail"]["mistakes"]) == 4


# What a user reads as the question of each objective card of tests/data/ui_deck.yaml, written out by hand:
# a cloze card is its text with its own gap blanked (or its hint shown) and the other gap filled in.
QUESTIONS = {
    "cz/1": "Ketamine is an [...] receptor antagonist.",
    "cz/2": "Ketamine is an NMDA receptor [what it does].",
    "typed": "Year of approval? [@click=app.quit]click[/]",
    "choice": "Which is a common side effect?",
    "multi": "Which are short-term effects?",
    "tf": "Ketamine is a first-line antidepressant.",
    "order": "Put the cascade in order.",
    "match": "Match each route to its note.",
}


async def test_mistakes_walk_through_with_explanations(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        setup = await open_exam_setup(pilot)
        run = await start_exam(pilot, setup, str(len(QUESTIONS)))
        assert sorted(c.key for c in run.exam.questions) == sorted(QUESTIONS)  # both cloze gaps among them
        for _ in QUESTIONS:
            await pilot.press("enter")
            await pilot.pause()
        results = app.screen
        assert isinstance(results, ExamResultsScreen)
        total = len(QUESTIONS)
        assert len(results.mistakes) == total
        for number, mistake in enumerate(results.mistakes, start=1):
            text = screen_text(app)
            assert f"Mistake {number} of {total}" in text
            # this mistake's question and no other (a cloze card shows its own gap, not its sibling's)
            assert [q for q in QUESTIONS.values() if q in text] == [QUESTIONS[mistake.key]], text
            await pilot.press("n")
            await pilot.pause()
        assert f"Mistake 1 of {total}" in screen_text(app)  # n wraps round
        await pilot.press("p", "p")
        await pilot.pause()
        assert f"Mistake {total - 1} of {total}" in screen_text(app)


async def test_bad_setup_values_are_refused(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        setup = await open_exam_setup(pilot)
        setup.query_one("#count", Input).value = "0"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is setup
        setup.query_one("#count", Input).value = "3"
        setup.query_one("#topics", TickList).set_ticked(set())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is setup
        assert any("topic" in n.message for n in app._notifications)


async def test_a_failed_exam_save_keeps_the_question(app_factory, monkeypatch) -> None:
    app = app_factory()
    store = app.context.store
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        setup = await open_exam_setup(pilot)
        run = await start_exam(pilot, setup, "2")
        real = store.record_review

        def locked(*args, **kwargs):
            raise StoreWriteError("could not save: database is locked")

        monkeypatch.setattr(store, "record_review", locked)
        first = run.exam.current
        await pilot.press(*right_keys(run))
        await pilot.pause()
        assert run.exam.current is first and not run.exam.answers
        assert "Not saved" in screen_text(app)
        monkeypatch.setattr(store, "record_review", real)
        await pilot.press("enter")
        await pilot.pause()
        assert len(run.exam.answers) == 1 and run.exam.answers[0].correct
        await pilot.press("escape", "f")  # finish early (Esc asks first)
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        assert app.screen.report.unanswered == 1
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def answer_until(pilot, run: ExamRunScreen, *kinds: str) -> None:
    """Answer the questions rightly until one of `kinds` is asked."""
    while run.exam.current is not None and run.exam.current.kind not in kinds:
        await pilot.press(*right_keys(run))
        await pilot.pause()
    assert run.exam.current is not None


async def test_space_on_an_empty_typed_answer_is_a_space_in_an_exam(app_factory, no_color) -> None:
    app = app_factory()
    store = app.context.store
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        run = await start_exam(pilot, await open_exam_setup(pilot), "8")
        await answer_until(pilot, run, "typed")
        card, answered = run.exam.current, len(run.exam.answers)
        text = screen_text(app)
        assert "Type the answer." in text and "shows it" not in text  # the hint no longer offers Space
        await pilot.press("space")
        await pilot.pause()
        assert run.exam.current is card and len(run.exam.answers) == answered  # not skipped
        await pilot.press("2", "0", "1", "9", "enter")
        await pilot.pause()
        assert run.exam.answers[-1].card is card and run.exam.answers[-1].correct
        assert store.reviews(card.deck_id, card.key)[-1].grade is Grade.GOOD


async def test_the_answer_typed_when_the_time_ends_is_graded(app_factory, clock, no_color) -> None:
    app = app_factory()
    store = app.context.store
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        run = await start_exam(pilot, await open_exam_setup(pilot), "8", "1")
        await answer_until(pilot, run, "typed")
        card, before = run.exam.current, len(run.exam.answers)
        await pilot.press("2", "0", "1", "9")  # typed, not submitted
        await pilot.pause()
        clock.advance(timedelta(seconds=61))
        run.tick()
        await pilot.pause()
        results = app.screen
        assert isinstance(results, ExamResultsScreen)
        assert results.report.correct == before + 1 and results.report.unanswered == 8 - before - 1
        assert card.key not in [m.key for m in results.mistakes]
        assert [r.grade for r in store.reviews(card.deck_id, card.key)] == [Grade.GOOD]
        assert store.exams()[0]["correct"] == before + 1
        assert f"Score {before + 1}/8" in screen_text(app)


async def test_esc_asks_and_an_abandoned_exam_keeps_no_result(app_factory, no_color) -> None:
    app = app_factory()
    store = app.context.store
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        setup = await open_exam_setup(pilot)
        run = await start_exam(pilot, setup, "3")
        await pilot.press(*right_keys(run))
        await pilot.pause()
        second = run.exam.current
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EndExamScreen)
        text = screen_text(app)
        assert "End the exam now?" in text and "2 questions not answered" in text
        await pilot.press("escape")  # go on
        await pilot.pause()
        assert app.screen is run and run.exam.current is second
        await pilot.press("escape", "a")
        await pilot.pause()
        assert app.screen is setup
        assert store.exams() == []  # no result kept
        assert [r.mode for r in store.reviews()] == [Mode.EXAM]  # the answer given stays in the history
        assert "No exams taken on this deck yet." in screen_text(app)


OTHER_DECK = """deck: other
title: Other deck
cards:
  - {id: t1, kind: typed, front: Two plus two?, answer: "4"}
"""


async def test_past_results_open_again_and_are_listed_per_deck(app_factory, tmp_path, no_color) -> None:
    app = app_factory([UI_DECK, write_yaml(tmp_path, "other.yaml", OTHER_DECK)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        setup = await open_exam_setup(pilot)
        assert setup.deck_id == "uitest"
        run = await start_exam(pilot, setup, "2")
        await pilot.press(*right_keys(run))
        await pilot.pause()
        wrong = run.exam.current
        await pilot.press("enter")  # nothing given
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is setup
        setup.query_one("#past", DataTable).focus()
        await pilot.pause()
        pointed = [line.strip() for line in screen_rows(app) if "▸" in line]
        assert len(pointed) == 1 and pointed[0].startswith("▸") and "1/2  50%" in pointed[0], pointed
        await pilot.press("enter")  # open the kept result
        await pilot.pause()
        again = app.screen
        assert isinstance(again, ExamResultsScreen)
        assert [m.key for m in again.mistakes] == [wrong.key]
        text = screen_text(app)
        assert "Score 1/2  50%" in text and "Mistake 1 of 1" in text and "No answer given" in text
        assert any(topic in text for topic in ("Mechanism", "Side effects"))  # the per-topic table
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        other = await open_exam_setup(pilot, "end")  # the other deck: its own (empty) history
        assert other.deck_id == "other"
        assert "No exams taken on this deck yet." in screen_text(app)


async def test_asking_for_more_questions_than_there_are_says_how_many(app_factory, no_color) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        setup = await open_exam_setup(pilot)
        assert "Questions (8 to ask from)" in screen_text(app)  # the objective cards of both topics
        setup.query_one("#count", Input).value = "30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is setup
        assert any("Only 8 questions" in n.message for n in app._notifications)
        assert setup.query_one("#count", Input).value == "8"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExamRunScreen) and len(app.screen.exam.questions) == 8


async def test_a_suspended_card_is_left_out_of_the_exam_and_the_setup_says_so(app_factory, no_color) -> None:
    """She suspends a card she never wants asked: the setup counts it out, says so, and no exam asks it (it was
    counted in and asked, as the last question of an exam of them all)."""
    app = app_factory()
    store = app.context.store
    store.set_state("uitest", "typed", CardState(kind="typed", suspended=True), "suspend")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        setup = await open_exam_setup(pilot)
        text = screen_text(app)
        assert "Questions (7 to ask from)" in text and "(1 suspended left out)" in text
        assert clipped(setup) == []  # the note's row pushed the Start button out of the form
        run = await start_exam(pilot, setup, "7")
        assert "typed" not in {card.key for card in run.exam.questions} and len(run.exam.questions) == 7
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("a")  # abandon it
        await pilot.pause()
        assert app.screen is setup
        setup.query_one("#topics", TickList).set_ticked({"mechanism"})  # no suspended card there: no note
        await pilot.pause()
        assert "suspended left out" not in screen_text(app)


async def test_the_setup_counts_again_a_card_suspended_while_it_was_hidden(app_factory, no_color) -> None:
    """A card suspended while the setup was under another screen (from another quiz window here): shown again, the
    setup counts it out and says so. It kept the count it showed before, the suspended card in it."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        setup = await open_exam_setup(pilot)
        assert "Questions (8 to ask from)" in screen_text(app) and "suspended left out" not in screen_text(app)
        await pilot.press("ctrl+t")  # the exam date's screen over the setup
        await pilot.pause()
        assert app.screen is not setup
        beside = Store(app.context.store.path)
        beside.set_state("uitest", "typed", CardState(kind="typed", suspended=True), "suspend")
        beside.close()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is setup
        text = screen_text(app)
        assert "Questions (7 to ask from)" in text and "(1 suspended left out)" in text


async def test_a_topic_whose_cards_are_all_suspended_says_so_rather_than_to_tick_self_graded(
    app_factory, tmp_path, no_color
) -> None:
    app = app_factory([write_yaml(tmp_path, "one.yaml", ONE_TYPED_DECK)])
    app.context.store.set_state("one", "t", CardState(kind="typed", suspended=True), "suspend")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        setup = await open_exam_setup(pilot)
        assert "Questions (0 to ask from)" in screen_text(app) and "(1 suspended left out)" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is setup
        assert "Every card of these topics and kinds is suspended (1)" in messages(app)
        assert "no cards to ask" not in messages(app)


ONE_TYPED_DECK = """deck: one
title: One typed card
cards:
  - {id: t, kind: typed, front: Year?, answer: "2019"}
"""


async def test_the_warning_of_too_many_questions_is_gone_once_the_exam_starts(app_factory, no_color) -> None:
    """At 60x20 the warning stayed over the first question for seconds, covering it."""
    app = app_factory()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        setup = await open_exam_setup(pilot)
        setup.query_one("#count", Input).value = "30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Only 8 questions" in messages(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExamRunScreen)
        assert messages(app) == ""  # no warning left to draw over the question
        assert "Question 1 of 8" in screen_text(app)


BASIC_DECK = """deck: imported
title: Imported basics
cards:
  - {id: b1, kind: basic, front: Capital of France?, back: Paris}
  - {id: b2, kind: basic, front: Capital of Peru?, back: Lima}
"""


async def test_an_all_basic_deck_is_examined_with_a_self_grade(app_factory, tmp_path, no_color) -> None:
    app = app_factory([write_yaml(tmp_path, "imported.yaml", BASIC_DECK)])
    store = app.context.store
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        setup = await open_exam_setup(pilot)
        assert "[x] Self-graded: basic," in screen_text(app)  # ticked by itself: nothing else to ask
        run = await start_exam(pilot, setup, "2")
        verdicts = {}
        for knew in (True, False):
            card = run.exam.current
            assert "Answer:" not in screen_text(app)
            await pilot.press("space")  # show the answer
            await pilot.pause()
            assert f"Answer: {card.note.body.back}" in screen_text(app) and "Did you know it?" in screen_text(app)
            assert run.exam.current is card  # waits for the verdict
            await pilot.press("y" if knew else "n")
            await pilot.pause()
            verdicts[card.key] = Grade.GOOD if knew else Grade.AGAIN
        results = app.screen
        assert isinstance(results, ExamResultsScreen)
        assert "Score 1/2  50%" in screen_text(app)
        assert {k: store.reviews("imported", k)[0].grade for k in verdicts} == verdicts
        assert {r.mode for r in store.reviews()} == {Mode.EXAM}
        assert store.exams()[0]["correct"] == 1


async def test_a_self_graded_mistake_says_it_was_judged_not_known_and_one_not_reached_that_none_was_given(
    app_factory, tmp_path, no_color
) -> None:
    """ "n" after the answer was shown is a verdict given: its mistake said "No answer given", as one not reached."""
    app = app_factory([write_yaml(tmp_path, "imported.yaml", BASIC_DECK)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await start_exam(pilot, await open_exam_setup(pilot), "2")
        await pilot.press("space", "n")  # shown, then "did not know it"
        await pilot.pause()
        await pilot.press("escape", "f")  # the second question not reached
        await pilot.pause()
        results = app.screen
        assert isinstance(results, ExamResultsScreen) and results.report.unanswered == 1
        judged = screen_text(app)
        assert "Mistake 1 of 2" in judged and "✗ Not known: your verdict" in judged and "No answer" not in judged
        await pilot.press("n")
        await pilot.pause()
        assert "Mistake 2 of 2" in screen_text(app) and "✗ No answer given" in screen_text(app)


LONG_TITLES = """deck: long
title: Pharmacology of dissociative anaesthetics
topics:
  - {id: a, title: Receptor pharmacology and mechanisms}
  - {id: b, title: Adverse effects and contraindications}
  - {id: c, title: Other}
cards:
  - {id: t1, kind: typed, topic: a, front: One?, answer: "1"}
  - {id: t2, kind: typed, topic: b, front: Two?, answer: "2"}
  - {id: t3, kind: typed, topic: c, front: Three?, answer: "3"}
"""


async def test_a_long_results_title_is_shown_whole(app_factory, tmp_path, no_color) -> None:
    app = app_factory([write_yaml(tmp_path, "long.yaml", LONG_TITLES)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        setup = await open_exam_setup(pilot)
        await pilot.press("end", "space")  # untick "Other": the title names the two topics left
        run = await start_exam(pilot, setup, "1")
        await pilot.press("escape", "f")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        title = f"Exam results · {run.exam.title}"
        assert len(title) > SIZE[0]
        words = " ".join(" ".join(screen_rows(app)[:3]).split())
        assert title in words


async def test_a_failed_save_at_the_time_end_is_retried_with_esc(app_factory, clock, monkeypatch, no_color) -> None:
    app = app_factory()
    store = app.context.store
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        run = await start_exam(pilot, await open_exam_setup(pilot), "8", "1")
        await answer_until(pilot, run, "typed")
        card, before = run.exam.current, len(run.exam.answers)
        await pilot.press("2", "0", "1", "9")
        real = store.record_review

        def locked(*args, **kwargs):
            raise StoreWriteError("could not save: database is locked")

        monkeypatch.setattr(store, "record_review", locked)
        clock.advance(timedelta(seconds=61))
        run.tick()
        await pilot.pause()
        assert app.screen is run and "Not saved" in screen_text(app) and store.exams() == []
        await pilot.press("i", "h")  # the answer is given: its box takes no more letters ("2019ih" was graded)
        await pilot.pause()
        assert run.query_one(Input).value == "2019"
        monkeypatch.setattr(store, "record_review", real)
        await pilot.press("escape")  # time is up: Esc saves, without asking
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        assert [r.grade for r in store.reviews(card.deck_id, card.key)] == [Grade.GOOD]  # once
        assert store.exams()[0]["correct"] == before + 1


DOSES = "deck: doses\ntitle: Doses\ncards:\n" + "".join(
    f'  - {{id: o{n}, kind: cloze, text: "Order {n}: give {{{{{250 + n} mg}}}}, so {{{{{5 + n} mL}}}}."}}\n'
    for n in range(1, 5)
)


async def test_an_exam_asks_one_gap_of_a_note_before_any_note_s_second(app_factory, tmp_path, no_color) -> None:
    # A cloze note's other gap shows the answer of the one asked (an imported Anki dose card: "give 251 mg ...,
    # so [...]" then "give [...], so 6 mL"): 4 questions from 4 notes of 2 gaps ask each note once.
    app = app_factory([write_yaml(tmp_path, "doses.yaml", DOSES)])
    async with app.run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        run = await start_exam(pilot, await open_exam_setup(pilot), "4")
        shown = []
        while isinstance(app.screen, ExamRunScreen):
            shown.append(" ".join(screen_text(app).split()))
            await pilot.press("x", "enter")
            await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen) and "Score 0/4" in screen_text(app)
    notes = [key.split("/")[0] for key in (r.card_key for r in app.context.store.reviews("doses"))]
    assert sorted(notes) == ["o1", "o2", "o3", "o4"] and len(run.exam.questions) == 4
    assert len(shown) == 4 and all(text.count("Order ") == 1 for text in shown)
