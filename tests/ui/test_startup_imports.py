"""Start-up loads only what the home screen needs: the scheduler (fsrs), the study session, argparse, the
YAML parser, the image libraries (Pillow, textual-image) and hashlib (its OpenSSL: 2-3 ms) load when first
used; so do the deck parser, the card kinds, the field reader (~8 ms), the YAML reader's rules and the
rules that compare answers (their regular expressions: ~2 ms) when every deck comes from the cache.
Each costs milliseconds of every start (benchmarks/, make bench)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import sys
import quiz.cli, quiz.context, quiz.ui.app
lazy = ("fsrs_rs_python", "yaml", "rapidfuzz", "argparse", "quiz.arguments", "quiz.core.session", "quiz.core.scheduler",
        "PIL", "textual_image", "hashlib", "secrets", "quiz.core.decks", "quiz.core.kinds", "quiz.core.fieldreader",
        "quiz.core.yamlsafe", "quiz.core.answertext", "textual.widgets._data_table")
loaded = sorted(m for m in lazy if m in sys.modules)
print(",".join(loaded) or "none")
"""


def test_the_app_module_loads_no_scheduler_session_or_yaml() -> None:
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "none"


# A start to Home's first frame, as `quiz` makes it (the store's checks, the library, the app), in a fresh process.
FIRST_FRAME = """
import asyncio, sys
from quiz.context import Context
from quiz.ui.app import QuizApp

async def first_frame():
    context = Context.from_options(sys.argv[1], [])
    context.start_app()
    context.library
    app = QuizApp(context)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen", app.screen
    context.close()

asyncio.run(first_frame())
lazy = ("quiz.core.decks", "quiz.core.kinds", "quiz.core.fieldreader", "yaml", "quiz.core.yamlsafe",
        "quiz.core.answertext", "quiz.core.session")
print(",".join(sorted(m for m in lazy if m in sys.modules)) or "none")
"""


def test_a_start_from_the_deck_cache_loads_no_parser_and_no_card_kind(tmp_path: Path) -> None:
    def start() -> str:
        run = subprocess.run(
            [sys.executable, "-c", FIRST_FRAME, str(tmp_path)], capture_output=True, text=True, cwd=ROOT
        )
        assert run.returncode == 0, run.stderr
        return run.stdout.strip()

    assert "quiz.core.decks" in start()  # the first start parses the shipped decks into the cache
    assert start() == "none"
