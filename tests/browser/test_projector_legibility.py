"""Projector mode in a real browser: nothing a room must read is smaller than 18 px.

Voilà at 1920x1080 with ``?projector=1`` (the address a trainer puts on the projector)
passes :func:`tests.browser.projector.assert_projector_legible` on notebook 01 and the
diagram gallery; every session notebook also passes it in the Voilà walk of
:mod:`tests.browser.test_lab_smoke`, with the projector toggle switched on. The same page
without ``?projector`` must fail that check, and in JupyterLab the toggle must enlarge
widget text but leave JupyterLab's own menus alone.
"""

from __future__ import annotations

import contextlib
import uuid

import pytest

from . import harness
from .harness import REPO_ROOT, assert_page_healthy, run_all_cells
from .projector import MIN_PX, VIEWPORT, assert_projector_legible, measure

pytestmark = pytest.mark.browser

NOTEBOOKS = REPO_ROOT / "notebooks"


@pytest.fixture
def voila_page(page, voila_server):
    """``open(notebook, query="") -> None`` at 1920x1080; the page's kernels are shut down."""
    page.set_viewport_size(VIEWPORT)
    folder = f"projector-{uuid.uuid4().hex[:8]}"
    kernels: list[str] = []

    def open_notebook(name: str, query: str = "") -> None:
        try:
            harness.open_voila(
                page, voila_server, NOTEBOOKS / f"{name}.ipynb", subdir=folder, query=query
            )
        finally:
            with contextlib.suppress(Exception):
                if kernel_id := harness.voila_kernel_id(page):
                    kernels.append(kernel_id)
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.pl-chart img'))"
            ".every((img) => img.complete)"
        )

    yield open_notebook
    for kernel_id in kernels:
        voila_server.shutdown_kernel(kernel_id)


@pytest.mark.parametrize("name", ["01_concepts_and_contexts", "diagram_gallery"])
def test_voila_projector_mode_has_no_text_under_18px(name, voila_page, page, screenshot):
    voila_page(name, "projector=1")
    assert_page_healthy(page, min_widgets=1)
    toggle = page.locator(".pl-projector-button")
    assert toggle.count() == 1
    assert "mod-active" in (toggle.get_attribute("class") or ""), "the toggle is not on"

    assert_projector_legible(page, f"{name}?projector=1")
    if name == "01_concepts_and_contexts":
        page.evaluate("() => window.scrollTo(0, 0)")
        screenshot("top", full_page=False)
        chart = page.locator(".pl-chart img").first
        chart.scroll_into_view_if_needed()
        screenshot("chart", full_page=False)


def test_voila_without_the_query_keeps_the_workbook_sizes(voila_page, page):
    voila_page("01_concepts_and_contexts")
    toggle = page.locator(".pl-projector-button")
    assert "mod-active" not in (toggle.get_attribute("class") or "")
    report = measure(page)
    small = report.small_texts()
    assert len(small) > 20, "without projector mode, widget text should be the usual ~13 px"
    assert any(t["cls"].startswith("widget-") or t["tag"] == "button" for t in small)
    assert report.small_charts(), "without projector mode, charts keep the workbook size"


def _font_px(page, selector: str) -> float:
    return page.evaluate(
        "(sel) => { const el = document.querySelector(sel);"
        " return el ? parseFloat(getComputedStyle(el).fontSize) : null; }",
        selector,
    )


def test_lab_toggle_enlarges_widget_text_but_not_jupyterlab_menus(open_in_lab, page, screenshot):
    page.set_viewport_size(VIEWPORT)
    open_in_lab(NOTEBOOKS / "00_partnership_scenario.ipynb")
    run_all_cells(page)
    label = ".pl-projector-toggle ~ * .widget-label, .jp-OutputArea-output .widget-label"
    button = ".jp-OutputArea-output .widget-button"
    menu = ".lm-MenuBar-itemLabel"
    page.locator(label).first.wait_for(state="attached")
    before = {s: _font_px(page, s) for s in (label, button, menu)}
    assert before[label] < MIN_PX and before[button] < MIN_PX, before

    toggle = page.locator(".pl-projector-button")
    toggle.scroll_into_view_if_needed()
    toggle.click()
    page.wait_for_function(
        "([sel, px]) => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize) >= px",
        arg=[label, MIN_PX],
    )
    after = {s: _font_px(page, s) for s in (label, button, menu)}
    assert after[label] >= 20 and after[button] >= 20, after
    assert after[menu] == before[menu], "projector mode must not restyle JupyterLab's menus"
    screenshot("lab-on", full_page=False)

    toggle.click()
    page.wait_for_function(
        "([sel, px]) => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize) < px",
        arg=[label, MIN_PX],
    )
    assert _font_px(page, label) == before[label]
