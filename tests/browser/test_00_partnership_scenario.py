"""The welcome notebook in real JupyterLab: write step 1, then start from an example."""

from __future__ import annotations

import time

import pytest

from .harness import REPO_ROOT, assert_no_error_outputs, assert_no_widgets_as_text, run_all_cells

pytestmark = pytest.mark.browser

NOTEBOOK = REPO_ROOT / "notebooks" / "00_partnership_scenario.ipynb"
NAME = "Alder Vale Wellbeing Group <draft> & co"


def _wait_for(store, key, expected, timeout=15.0):
    deadline = time.monotonic() + timeout
    while store.get(key) != expected and time.monotonic() < deadline:
        time.sleep(0.1)
    return store.get(key)


def test_learner_names_partnership_then_starts_from_example(
    jupyter_lab, open_in_lab, page, screenshot
):
    from playwright.sync_api import expect

    from partnership_lib.core.store import AnswerKey, AnswerStore
    from partnership_lib.models.scenarios import example_scenario

    open_in_lab(NOTEBOOK)
    run_all_cells(page)
    assert_no_error_outputs(page)
    assert_no_widgets_as_text(page)

    workspace = page.locator(".pl-scenario-workspace")
    step1 = workspace.locator(".pl-scenario textarea").first
    step1.wait_for(state="visible", timeout=30_000)
    step1.click()
    page.keyboard.type(NAME, delay=10)

    ps1b = example_scenario("ps1b")
    with AnswerStore(jupyter_lab.data_dir / "answers.sqlite3") as store:
        key = AnswerKey("00_partnership_scenario", "scenario", "naming")
        assert _wait_for(store, key, NAME) == NAME

        workspace.locator(".pl-scenario-reader select").select_option(label=ps1b.label)
        workspace.get_by_role("button", name="Start from this example").click()
        # Step 1 has the learner's own text, so the reader asks first.
        workspace.get_by_role("button", name="Fill only my empty steps").click()
        members = AnswerKey("00_partnership_scenario", "scenario", "members")
        assert _wait_for(store, members, ps1b.steps["members"]) == ps1b.steps["members"]
        assert store.get(key) == NAME
    # The kernel's change reaches the page a moment after it is stored.
    textareas = workspace.locator(".pl-scenario textarea")
    expect(textareas.nth(2)).to_have_value(ps1b.steps["members"], timeout=15_000)
    expect(textareas.first).to_have_value(NAME)
    expect(workspace.locator(".pl-completeness").first).to_contain_text("10 of 10 steps complete")
    screenshot("form", full_page=False)
    workspace.locator(".pl-scenario-reader").scroll_into_view_if_needed()
    screenshot("reader", full_page=False)
