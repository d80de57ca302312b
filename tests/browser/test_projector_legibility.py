"""Projector mode in a real browser: nothing a room must read is smaller than 18 px.

Voilà at 1920x1080 with ``?projector=1``: every visible piece of text in the notebook's
outputs (widgets and our HTML) and in its Markdown is measured with the page's own
computed styles, and every chart's smallest text is measured as shown: the picture's
``data-min-text-px`` scaled by its shown width over its own width. The same page without
``?projector`` must fail that check, and in JupyterLab the toggle must enlarge widget text
but leave JupyterLab's own menus alone.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from . import harness
from .harness import REPO_ROOT, assert_page_healthy, run_all_cells

pytestmark = pytest.mark.browser

NOTEBOOKS = REPO_ROOT / "notebooks"
SESSIONS = [
    "00_partnership_scenario",
    "01_concepts_and_contexts",
    "02_climate_for_change",
    "03_influencing_and_negotiation",
    "04_feedback_and_reflection",
]
#: The issue's bar: at 1920x1080 no chart text and no widget label under 18 px.
MIN_PX = 18.0
VIEWPORT = {"width": 1920, "height": 1080}

# Every visible element inside an output or rendered Markdown that shows text of its own
# (a non-blank text node child) or is a control that shows text (inputs, selects,
# buttons, list options); and every chart picture with what its smallest text measures
# as shown.
_MEASURE_JS = """
() => {
  const areas = Array.from(document.querySelectorAll(
    '.jp-OutputArea-output, .jp-MarkdownOutput'));
  const seen = new Set();
  const texts = [];
  const shown = (el) => {
    if (!el.getClientRects().length) return false;
    const cs = getComputedStyle(el);
    return cs.visibility !== 'hidden' && cs.display !== 'none' && parseFloat(cs.opacity) > 0;
  };
  const controls = new Set(['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON']);
  for (const area of areas) {
    for (const el of area.querySelectorAll('*')) {
      if (seen.has(el)) continue;
      seen.add(el);
      if (['STYLE', 'SCRIPT', 'svg', 'path'].includes(el.tagName)) continue;
      if (el.tagName === 'INPUT' && ['checkbox', 'radio', 'range', 'hidden'].includes(el.type)) continue;
      let own = '';
      for (const node of el.childNodes) {
        if (node.nodeType === Node.TEXT_NODE) own += node.textContent;
      }
      own = own.trim();
      let isOption = el.tagName === 'OPTION' && el.parentElement &&
        (el.parentElement.multiple || el.parentElement.size > 1);
      if (!own && !controls.has(el.tagName) && !isOption) continue;
      if (!(isOption ? shown(el.parentElement) : shown(el))) continue;
      const label = own || el.value || el.placeholder || el.getAttribute('aria-label') || '';
      if (!label.trim()) continue;
      texts.push({
        tag: el.tagName.toLowerCase(),
        cls: (el.className && el.className.baseVal === undefined ? el.className : '')
          .split(/\\s+/).filter((c) => c.startsWith('pl-') || c.startsWith('widget-')).join('.'),
        text: label.trim().replace(/\\s+/g, ' ').slice(0, 60),
        px: parseFloat(getComputedStyle(el).fontSize),
      });
    }
  }
  const charts = Array.from(document.querySelectorAll('.pl-chart img')).map((img) => ({
    alt: (img.alt || '').slice(0, 60),
    minTextPx: img.hasAttribute('data-min-text-px')
      ? parseFloat(img.getAttribute('data-min-text-px')) : null,
    natural: img.naturalWidth,
    client: img.clientWidth,
    visible: img.getClientRects().length > 0,
  }));
  return {texts: texts, charts: charts};
}
"""


@dataclass(frozen=True)
class Legibility:
    texts: list[dict[str, Any]]
    charts: list[dict[str, Any]]

    def small_texts(self) -> list[dict[str, Any]]:
        return [t for t in self.texts if t["px"] < MIN_PX]

    def chart_px(self, chart: dict[str, Any]) -> float:
        return chart["minTextPx"] * chart["client"] / chart["natural"]

    def visible_charts(self) -> list[dict[str, Any]]:
        return [c for c in self.charts if c["visible"] and c["natural"]]

    def small_charts(self) -> list[dict[str, Any]]:
        return [
            c for c in self.visible_charts() if c["minTextPx"] is None or self.chart_px(c) < MIN_PX
        ]


def measure(page) -> Legibility:
    raw = page.evaluate(_MEASURE_JS)
    return Legibility(raw["texts"], raw["charts"])


def _describe_texts(items: list[dict[str, Any]], limit: int = 25) -> str:
    lines = [f"  {t['px']:.1f}px <{t['tag']} {t['cls']}> {t['text']!r}" for t in items[:limit]]
    if len(items) > limit:
        lines.append(f"  ... and {len(items) - limit} more")
    return "\n".join(lines)


def _describe_charts(report: Legibility, items: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"  {c['alt']!r}: data-min-text-px={c['minTextPx']}, shown {c['client']} of "
        f"{c['natural']} px wide"
        + (f" -> {report.chart_px(c):.1f}px" if c["minTextPx"] is not None else "")
        for c in items
    )


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


@pytest.mark.parametrize("name", [*SESSIONS, "diagram_gallery"])
def test_voila_projector_mode_has_no_text_under_18px(name, voila_page, page, screenshot):
    voila_page(name, "projector=1")
    assert_page_healthy(page, min_widgets=1)
    toggle = page.locator(".pl-projector-button")
    assert toggle.count() == 1
    assert "mod-active" in (toggle.get_attribute("class") or ""), "the toggle is not on"

    report = measure(page)
    assert len(report.texts) > 50, "too little text measured: is the page empty?"
    small = report.small_texts()
    assert not small, (
        f"{len(small)} visible text(s) under {MIN_PX:.0f} px in projector mode on "
        f"{name}:\n{_describe_texts(small)}"
    )
    charts = report.visible_charts()
    if name != "00_partnership_scenario":  # the only session notebook without a chart
        assert charts, f"no chart picture on {name}"
    bad = report.small_charts()
    assert not bad, (
        f"chart text under {MIN_PX:.0f} px as shown on {name}:\n{_describe_charts(report, bad)}"
    )
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
