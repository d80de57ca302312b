"""Notebook 03 in real JupyterLab: rating a relationship shades the Mobius map."""

from __future__ import annotations

import time

import pytest

from .harness import REPO_ROOT, assert_no_error_outputs, assert_no_widgets_as_text, run_all_cells

pytestmark = pytest.mark.browser

NOTEBOOK = REPO_ROOT / "notebooks" / "03_influencing_and_negotiation.ipynb"
KEY = "03_influencing_and_negotiation"


def _wait_for(store, key, wanted, timeout=15):
    deadline = time.monotonic() + timeout
    while store.get(key) != wanted and time.monotonic() < deadline:
        time.sleep(0.1)
    return store.get(key)


def test_learner_rates_a_relationship_and_sees_the_next_conversation(
    jupyter_lab, open_in_lab, page, screenshot
):
    from partnership_lib.core.store import AnswerStore

    open_in_lab(NOTEBOOK)
    run_all_cells(page)
    assert_no_error_outputs(page)
    assert_no_widgets_as_text(page)

    rating = page.locator(".pl-mobius-rating")
    name = rating.locator("input[type=text]").first
    name.scroll_into_view_if_needed()
    name.fill("PCT and council")
    # The second drop-down is Possibility: rate it as missing.
    possibility = rating.locator("select").nth(1)
    possibility.select_option(label="2")
    picture = rating.locator(".pl-chart-view img").first
    picture.wait_for(state="visible", timeout=30_000)
    alt = picture.get_attribute("alt")
    assert "Mobius map" in alt, alt

    with AnswerStore(jupyter_lab.data_dir / "answers.sqlite3") as store:
        assert _wait_for(store, (KEY, "rate_relationship", "ratings"), {"possibility": 2}) == {
            "possibility": 2
        }
        assert (
            _wait_for(store, (KEY, "rate_relationship", "relationship"), "PCT and council")
            == "PCT and council"
        )
    assert "next conversation to have is about Possibility" in rating.text_content()
    picture.scroll_into_view_if_needed()
    screenshot("mobius-rating", full_page=False)

    reflection = page.locator(".pl-role-reflection")
    reflection.scroll_into_view_if_needed()
    reflection.locator("select").first.wait_for(state="visible", timeout=30_000)
    page.wait_for_timeout(500)
    screenshot("role-reflection", full_page=False)
    plan = page.locator(".pl-text-form").last
    plan.scroll_into_view_if_needed()
    plan.locator("textarea").first.wait_for(state="visible", timeout=30_000)
    page.wait_for_timeout(500)
    screenshot("action-plan", full_page=False)
