"""axe-core audits (WCAG 2.0/2.1/2.2 A and AA) of every page we render.

Each audit saves ``tests/artifacts/axe-<page>.json`` and ``.txt`` (rule, impact,
element). A violation fails the test unless ``axe_allowlist.yaml`` excuses it with a
reason and an upstream link.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from .axe import allowlist, assert_accessible, audit, axe_available
from .harness import in_ci, open_html_recording_requests

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _axe_installed():
    """Skip without axe-core on a developer's machine; under CI its absence fails."""
    if (problem := axe_available()) is not None:
        (pytest.fail if in_ci() else pytest.skip)(problem)


BAD_PAGE = """<!doctype html><html><head><title>bad</title></head><body>
<main><h1>Bad page</h1>
<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==">
<input type="text">
<p style="color:#aaaaaa;background:#ffffff">Pale text</p>
</main></body></html>"""


@pytest.fixture
def static_page(chromium_browser):
    """A page for our exported files: their CSP forbids scripts, axe's included, so this
    context bypasses CSP (the files' own no-request check runs in the ``page`` fixture)."""
    context = chromium_browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", bypass_csp=True
    )
    context.route("http*://**", lambda route: route.abort())
    yield context.new_page()
    context.close()


def test_the_audit_finds_real_violations(static_page, tmp_path):
    page = static_page
    bad = tmp_path / "bad.html"
    bad.write_text(BAD_PAGE, encoding="utf-8")
    open_html_recording_requests(page, bad)
    rules = {f.rule for f in audit(page, "deliberately-bad-page")}
    assert {"image-alt", "label", "color-contrast"} <= rules, rules


def test_every_allow_list_entry_is_justified():
    for entry in allowlist():
        assert len(entry.reason) > 30 and entry.upstream.startswith("https://github.com/")


def test_exported_portfolio_passes_axe(page, static_page, tmp_path):
    from partnership_lib.core.store import AnswerStore
    from partnership_lib.documents.portfolio import export_portfolio

    from .test_04_feedback_and_reflection import fill_store

    with AnswerStore(tmp_path / "answers.sqlite3") as store:
        fill_store(store)
        path = export_portfolio(store=store, learner_name="Sam Tester")
    assert open_html_recording_requests(page, Path(path)) == []
    static_page.goto(Path(path).resolve().as_uri())
    assert_accessible(static_page, "portfolio")


def test_facilitator_report_passes_axe(page, static_page, tmp_path):
    from _share_files import hostile_doc, write_share

    from partnership_lib.facilitator import demo, report, room

    demo = demo.write_demo_room(tmp_path / "room", 12)
    write_share(tmp_path / "room", "hostile.json", hostile_doc(demo[0]))
    path = report.export_room_report(room.scan_room(tmp_path / "room"), tmp_path / "report.html")
    assert open_html_recording_requests(page, path) == []
    static_page.goto(path.resolve().as_uri())
    assert_accessible(static_page, "facilitator-report")


# The session notebooks and the facilitator's board are audited, as shown and in projector
# mode, in the Voilà smoke walk (test_lab_smoke.py), on the page it has loaded anyway.


def test_the_moderation_screen_passes_axe(open_in_voila, page, tmp_path):
    """The facilitator's moderation screen with waiting, approved and hidden items, and
    possible names flagged (the demo room's text, one item approved and one hidden)."""
    from partnership_lib.facilitator import demo, room, views
    from partnership_lib.facilitator.moderation import Moderation

    from .test_lab_smoke import write_notebook

    folder = tmp_path / "room"
    demo.write_demo_room(folder, 6)
    items = views.free_text_items(room.scan_room(folder))
    moderation = Moderation(folder)
    moderation.approve(items[0])
    moderation.hide(items[1])
    notebook = write_notebook(
        tmp_path / "moderation.ipynb",
        [
            "from partnership_lib.facilitator.board import moderation_panel",
            f"moderation_panel({str(folder)!r})",
        ],
    )
    open_in_voila(notebook)
    expect(page.locator(".pl-moderation-panel")).to_contain_text("1 approved · 1 hidden")
    assert_accessible(page, "voila-moderation-screen")
