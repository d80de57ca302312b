"""Notebook 04 in real JupyterLab, and the exported portfolio in a browser."""

from __future__ import annotations

import re
import time

import ipywidgets as widgets
import pytest
from playwright.sync_api import expect

from .harness import (
    REPO_ROOT,
    assert_no_error_outputs,
    assert_no_widgets_as_text,
    open_html_recording_requests,
    run_all_cells,
)

pytestmark = pytest.mark.browser

NOTEBOOK = REPO_ROOT / "notebooks" / "04_feedback_and_reflection.ipynb"
KEY = "04_feedback_and_reflection"


def _wait_for_note(store, text, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        notes = store.get((KEY, "evaluation", "notes")) or []
        if any(n.get("text") == text for n in notes):
            return notes
        time.sleep(0.1)
    return store.get((KEY, "evaluation", "notes"))


def test_learner_adds_a_postit_to_the_evaluation_wall(jupyter_lab, open_in_lab, page, screenshot):
    from partnership_lib.core.store import AnswerStore

    open_in_lab(NOTEBOOK)
    run_all_cells(page)
    assert_no_error_outputs(page)
    assert_no_widgets_as_text(page)

    wall = page.locator(".pl-postits").first
    wall.scroll_into_view_if_needed()
    wall.locator("input[type=radio]").first.check()
    wall.locator("textarea").first.fill("The role-play worked well")
    wall.get_by_role("button", name="Add note").click()
    with AnswerStore(jupyter_lab.data_dir / "answers.sqlite3") as store:
        notes = _wait_for_note(store, "The role-play worked well")
    assert notes and notes[-1]["text"] == "The role-play worked well", notes
    # The kernel saves first, then the picture's new alt text reaches the page.
    expect(wall.locator("img").first).to_have_attribute(
        "alt", re.compile("wall with 1 note"), timeout=30_000
    )
    expect(wall).to_contain_text("The role-play worked well")
    page.wait_for_timeout(500)
    screenshot("wall", full_page=False)

    logs = page.locator(".pl-learning-log").first
    logs.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    screenshot("learning-log", full_page=False)


def fill_store(store):
    """Answers in every session, through the real builders."""
    from partnership_lib import widgets as ex
    from partnership_lib.sessions import s04_reflection as reflection
    from partnership_lib.sessions.session import Session

    form = ex.scenario_form(ex.exercise_binding("00_partnership_scenario", "scenario", store=store))
    form.textareas["naming"].value = "Healthy Town <Alliance>"
    editor = ex.stakeholder_editor(Session("02_climate_for_change", store=store).bind("activity3"))
    ed = editor.editor
    ed.chooser.value = -1
    ed.name.value = "Police"
    ed.power.value, ed.interest.value = 8.0, 7.0
    ed.add_button.click()
    s4 = Session(KEY, store=store)
    wall = ex.postit_wall(s4.bind("evaluation"))

    def walk(w):
        yield w
        for c in getattr(w, "children", ()):
            yield from walk(c)

    radio = next(w for w in walk(wall) if isinstance(w, widgets.RadioButtons))
    radio.value = radio.options[0][1]
    next(w for w in walk(wall) if isinstance(w, widgets.Textarea)).value = "Great day"
    next(w for w in walk(wall) if getattr(w, "description", "") == "Add note").click()
    log = ex.learning_log(s4.bind("log_day"), session_title="The day as a whole")
    for stage, area in log.textareas.items():
        area.value = f"My {stage} note"
    start = reflection.assessment_scale(  # the start of the day opens notebook 01
        Session("01_concepts_and_contexts", store=store).bind("assessment_start"),
        "start",
    )
    end = reflection.assessment_scale(
        s4.bind("assessment_end"),
        "end",
    )
    start.buttons["listening"].value = 2
    end.buttons["listening"].value = 4
    s3 = Session("03_influencing_and_negotiation", store=store)
    ex.rating_scale(
        s3.bind("self_assessment"),
        [("trust", "Trust")],
    ).buttons["trust"].value = 3


def test_exported_portfolio_is_self_contained_and_accessible(page, screenshot, tmp_path):
    from partnership_lib.core.store import AnswerStore
    from partnership_lib.documents.portfolio import export_portfolio
    from partnership_lib.models.programme import session_catalogue

    with AnswerStore(tmp_path / "answers.sqlite3") as store:
        fill_store(store)
        path = export_portfolio(store=store, learner_name="Sam Tester")
    requests = open_html_recording_requests(page, path)
    assert requests == []
    for entry in session_catalogue():
        section = page.locator(f'section[id="{entry["key"]}"]')
        assert section.count() == 1, entry["key"]
        assert section.get_attribute("aria-labelledby") == f"h-{entry['key']}"
        assert section.locator("h2").inner_text().strip() == entry["title"]
    images = page.locator("img")
    assert images.count() >= 3
    for i in range(images.count()):
        img = images.nth(i)
        assert (img.get_attribute("alt") or "").strip(), i
        assert img.evaluate("el => el.complete && el.naturalWidth > 0"), i
    assert "Healthy Town <Alliance>" in page.content().replace("&lt;", "<").replace("&gt;", ">")
    screenshot("portfolio", full_page=True)
