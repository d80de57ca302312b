"""Tried as a learner would: type an answer, the kernel is killed, Run All, it is back."""

from __future__ import annotations

import os
import signal
import time
import uuid

import pytest

from .harness import (
    assert_no_error_outputs,
    assert_no_widgets_as_text,
    run_all_cells,
    wait_for_kernel_idle,
)
from .test_lab_smoke import write_notebook

pytestmark = pytest.mark.browser

ANSWER = "Partnership means sharing risks & rewards <for real> – 😀"


def test_typed_answer_survives_sigkill_of_the_kernel(jupyter_lab, open_in_lab, page, tmp_path):
    exercise = f"kill_{uuid.uuid4().hex[:8]}"
    pid_file = jupyter_lab.data_dir / f"{exercise}.pid"
    notebook = write_notebook(
        tmp_path / "learner.ipynb",
        [
            "md:# A learner's notebook",
            # test scaffolding only: lets the test find the kernel to kill it
            f"import os, pathlib; pathlib.Path({str(pid_file)!r}).write_text(str(os.getpid()))",
            "from partnership_lib.widgets import exercise_binding, text_prompt\n"
            f'text_prompt(exercise_binding("browser", "{exercise}"), "What does partnership mean to you?")',
        ],
    )
    open_in_lab(notebook)
    run_all_cells(page)
    assert_no_error_outputs(page)
    box = page.locator(".pl-exercise textarea").first
    box.click()
    page.keyboard.type(ANSWER, delay=15)
    # Each keystroke is saved as it arrives; wait only for the last one to reach the kernel.
    deadline = time.monotonic() + 10
    from partnership_lib.core.store import AnswerStore

    with AnswerStore(jupyter_lab.data_dir / "answers.sqlite3") as store:
        while store.get(("browser", exercise, "text")) != ANSWER and time.monotonic() < deadline:
            time.sleep(0.1)
        assert store.get(("browser", exercise, "text")) == ANSWER

    os.kill(int(pid_file.read_text()), signal.SIGKILL)
    # JupyterLab notices, the server restarts the kernel and Lab says so in a dialog.
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(state="visible", timeout=30_000)
    page.keyboard.press("Enter")
    dialog.wait_for(state="detached", timeout=10_000)
    wait_for_kernel_idle(page, timeout=60)

    run_all_cells(page)
    assert_no_error_outputs(page)
    assert_no_widgets_as_text(page)
    restored = page.locator(".pl-exercise textarea").first
    restored.wait_for(state="visible", timeout=30_000)
    assert restored.input_value() == ANSWER
