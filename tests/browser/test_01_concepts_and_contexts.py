"""Notebook 01 in real JupyterLab: ticking what you see marks your partnership's stage."""

from __future__ import annotations

import time

import pytest

from .harness import REPO_ROOT, assert_no_error_outputs, assert_no_widgets_as_text, run_all_cells

pytestmark = pytest.mark.browser

NOTEBOOK = REPO_ROOT / "notebooks" / "01_concepts_and_contexts.ipynb"
KEY = "01_concepts_and_contexts"


def _wait_for(store, key, wanted, timeout=15):
    deadline = time.monotonic() + timeout
    while store.get(key) != wanted and time.monotonic() < deadline:
        time.sleep(0.1)
    return store.get(key)


def test_learner_picks_a_skill_and_ticks_a_stage_characteristic(
    jupyter_lab, open_in_lab, page, screenshot
):
    from partnership_lib.core.store import AnswerStore

    open_in_lab(NOTEBOOK)
    run_all_cells(page)
    assert_no_error_outputs(page)
    assert_no_widgets_as_text(page)

    # Activity 1: choose a skill for the personal example.
    skill = page.locator(".pl-activity1 .pl-skill-picker").first.get_by_role(
        "checkbox", name="Listening", exact=True
    )
    skill.scroll_into_view_if_needed()
    skill.check()
    page.locator(".pl-activity1 .pl-chart-view img").first.wait_for(state="visible", timeout=30_000)
    page.locator(".pl-activity1 .pl-chart-view").first.scroll_into_view_if_needed()
    screenshot("activity1-chart", full_page=False)

    # Stage diagnosis: tick the first Forming characteristic.
    diagnosis = page.locator(".pl-stage-diagnosis")
    box = diagnosis.locator("input[type=checkbox]").first
    box.scroll_into_view_if_needed()
    box.check()
    diagnosis.locator("img").first.wait_for(state="visible", timeout=30_000)
    alt = diagnosis.locator("img").first.get_attribute("alt")
    assert "five Fs" in alt or "Forming" in alt or "life cycle" in alt.lower(), alt

    with AnswerStore(jupyter_lab.data_dir / "answers.sqlite3") as store:
        got = _wait_for(store, (KEY, "activity1", "skills_personal"), ["listening"])
        assert got == ["listening"]
        got = _wait_for(store, (KEY, "stage_diagnosis", "observed"), ["forming:0"])
        assert got == ["forming:0"]
    assert "Forming" in diagnosis.text_content()
    diagnosis.scroll_into_view_if_needed()
    screenshot("stage-diagnosis", full_page=False)
