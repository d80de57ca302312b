"""Notebook 02 in real JupyterLab: sort a conflict, then compare a worked stakeholder grid."""

from __future__ import annotations

import time

import pytest

from .harness import REPO_ROOT, assert_no_error_outputs, assert_no_widgets_as_text, run_all_cells

pytestmark = pytest.mark.browser

NOTEBOOK = REPO_ROOT / "notebooks" / "02_climate_for_change.ipynb"
KEY = "02_climate_for_change"


def _wait_for(store, key, wanted, timeout=15):
    deadline = time.monotonic() + timeout
    while store.get(key) != wanted and time.monotonic() < deadline:
        time.sleep(0.1)
    return store.get(key)


def test_learner_sorts_a_conflict_and_picks_a_worked_example(
    jupyter_lab, open_in_lab, page, screenshot
):
    from playwright.sync_api import expect

    from partnership_lib.core.store import AnswerStore
    from partnership_lib.models.stakeholders import load_worked_example, worked_examples
    from partnership_lib.sessions import s02_climate as climate
    from partnership_lib.widgets.sorter import shuffled

    items, _ = climate.conflict_items()
    first = shuffled(list(items), climate.SHUFFLE_SEED)[0]

    open_in_lab(NOTEBOOK)
    run_all_cells(page)
    assert_no_error_outputs(page)
    assert_no_widgets_as_text(page)

    # The conflict sorter: put the first example under "inadequate resources".
    sorter = page.locator(".pl-conflict-sorter")
    select = sorter.locator("select").first
    select.scroll_into_view_if_needed()
    select.select_option(label="2. Inadequate resources to meet needs or demands")

    # The worked examples: switch to the teenage pregnancy partnership.
    view = page.locator(".pl-worked-examples")
    picker = view.locator("select").first
    picker.scroll_into_view_if_needed()
    before = view.locator("img").first.get_attribute("alt")
    picker.select_option(label=worked_examples()["teenage_pregnancy"].title)
    expect(view.locator("img").first).not_to_have_attribute("alt", before, timeout=15_000)
    wanted = f"with {len(load_worked_example('teenage_pregnancy'))} stakeholders"
    assert wanted in view.locator("img").first.get_attribute("alt")
    view.locator("img").first.scroll_into_view_if_needed()
    page.wait_for_timeout(600)  # let the windowed notebook paint
    screenshot("worked-example", full_page=False)
    discussion = page.locator(".pl-activity3-discussion")
    discussion.scroll_into_view_if_needed()
    page.wait_for_timeout(600)  # let the windowed notebook paint
    screenshot("activity3-discussion", full_page=False)
    with AnswerStore(jupyter_lab.data_dir / "answers.sqlite3") as store:
        got = _wait_for(
            store, (KEY, "conflicts", "placements"), {first.key: "inadequate_resources"}
        )
        assert got == {first.key: "inadequate_resources"}
    sorter.scroll_into_view_if_needed()
    page.wait_for_timeout(600)  # let the windowed notebook paint
    screenshot("conflict-sorter", full_page=False)
    gap = page.locator(".pl-change-gap")
    gap.scroll_into_view_if_needed()
    page.wait_for_timeout(600)  # let the windowed notebook paint
    screenshot("change-gap", full_page=False)
    motivation = page.locator(".pl-checklist").last
    motivation.locator("img").first.scroll_into_view_if_needed()
    page.wait_for_timeout(600)  # let the windowed notebook paint
    screenshot("motivation", full_page=False)
