"""Notebooks 00 and 02 at 1366x768: legible chart text beside a form, no label cut short.

- The lifecycle chart beside Activity 3, Step 3 (notebook 02) never shows text under
  11 px (its ``data-min-text-px`` scaled by its shown width over its own width): in
  JupyterLab with the file browser side bar open, and in Voilà. Where it is not beside
  the form it is below it.
- No control of the text, sorter and scenario widgets cuts its label short: no label,
  button or toggle whose text overflows its box, and no drop-down narrower than its
  longest option. Checked in notebooks 00, 01 and 02, in JupyterLab (side bar open) and
  in Voilà.
"""

from __future__ import annotations

from typing import Any

import pytest

from .harness import REPO_ROOT, assert_page_healthy, run_all_cells

pytestmark = pytest.mark.browser

NOTEBOOKS = REPO_ROOT / "notebooks"
VIEWPORT = {"width": 1366, "height": 768}
MIN_CHART_TEXT_PX = 11.0
#: The widgets these checks cover (the others have tests of their own).
ROOTS = (
    ".pl-scenario-workspace, .pl-sharing, .pl-sorter, .pl-matching, .pl-text-form, "
    ".pl-text, .pl-worked-examples, .pl-scenario-viewer"
)

_CHART_JS = """
() => {
  const box = document.querySelector('.pl-activity3-discussion');
  const img = box && box.querySelector('.pl-chart img');
  const form = box && box.querySelector('.pl-completeness');
  if (!img || !form) return null;
  const column = form.closest('.widget-vbox');
  const i = img.getBoundingClientRect(), c = column.getBoundingClientRect();
  return {
    minTextPx: parseFloat(img.getAttribute('data-min-text-px')),
    natural: img.naturalWidth, client: img.clientWidth,
    below: i.top >= c.bottom - 1, beside: i.left >= c.right - 1 && i.top < c.bottom,
  };
}
"""

# Every label, button and toggle whose text is wider than its box, and every drop-down
# narrower than its longest option (a <select> shows no ellipsis: it just cuts the text).
_TRUNCATED_JS = """
(root) => {
  const found = [];
  const shown = (el) => el.getClientRects().length > 0 && el.clientWidth > 0 &&
    getComputedStyle(el).visibility !== 'hidden';
  const canvas = document.createElement('canvas').getContext('2d');
  const textWidth = (el, text) => {
    const cs = getComputedStyle(el);
    canvas.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    return canvas.measureText(text).width;
  };
  for (const el of root.querySelectorAll(
      '.widget-label, button, .widget-toggle-button, .widget-checkbox label')) {
    if (!shown(el) || !el.textContent.trim()) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      found.push(`${el.tagName.toLowerCase()} '${el.textContent.trim()}' needs ` +
        `${el.scrollWidth}px, has ${el.clientWidth}px`);
    }
  }
  for (const el of root.querySelectorAll('select')) {
    if (!shown(el) || el.multiple || el.size > 1) continue;
    const cs = getComputedStyle(el);
    const chrome = parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight) +
      parseFloat(cs.borderLeftWidth) + parseFloat(cs.borderRightWidth);
    for (const option of el.options) {
      const needed = textWidth(el, option.text) + chrome;
      if (needed > el.clientWidth + 2) {
        found.push(`select option '${option.text}' needs ${Math.ceil(needed)}px, ` +
          `has ${el.clientWidth}px`);
      }
    }
  }
  return found;
}
"""


def _truncated(page) -> list[str]:
    """Scroll to each covered widget (JupyterLab lays out only what is near the view)."""
    problems: list[str] = []
    roots = page.locator(ROOTS)
    for i in range(roots.count()):
        root = roots.nth(i)
        root.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        problems += root.evaluate(_TRUNCATED_JS)
    return problems


def _chart(page) -> dict[str, Any]:
    discussion = page.locator(".pl-activity3-discussion")
    discussion.scroll_into_view_if_needed()
    page.locator(".pl-activity3-discussion .pl-chart img").wait_for(state="visible")
    page.wait_for_function(
        "() => document.querySelector('.pl-activity3-discussion .pl-chart img').complete"
    )
    page.locator(".pl-activity3-discussion .pl-chart img").scroll_into_view_if_needed()
    chart = page.evaluate(_CHART_JS)
    assert chart is not None, "no lifecycle chart beside the Activity 3 discussion"
    chart["px"] = chart["minTextPx"] * chart["client"] / chart["natural"]
    return chart


def _assert_legible(chart: dict[str, Any], where: str) -> None:
    assert chart["px"] >= MIN_CHART_TEXT_PX, (
        f"{where}: the lifecycle chart's smallest text shows at {chart['px']:.1f} px "
        f"({chart['client']} of {chart['natural']} px wide)"
    )
    assert chart["beside"] or chart["below"], f"{where}: the chart overlaps the form: {chart}"


def _side_bar_width(page) -> float:
    return page.evaluate(
        "() => { const s = document.querySelector('#jp-left-stack');"
        " return s && !s.classList.contains('lm-mod-hidden') ?"
        " s.getBoundingClientRect().width : 0; }"
    )


#: The notebooks that use these widgets most: the scenario, the sorters and the matching
#: exercise of 01, and 02's sorters, discussion and forms.
NAMES = ["00_partnership_scenario", "01_concepts_and_contexts", "02_climate_for_change"]


@pytest.mark.parametrize("name", NAMES)
def test_in_jupyterlab_with_the_side_bar_open(name, open_in_lab, page, screenshot):
    page.set_viewport_size(VIEWPORT)
    open_in_lab(NOTEBOOKS / f"{name}.ipynb")
    if _side_bar_width(page) == 0:
        page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:activate')")
    assert _side_bar_width(page) > 200, "the file browser side bar should be open"
    run_all_cells(page)
    if name == "02_climate_for_change":
        chart = _chart(page)
        screenshot("activity3", full_page=False)
        _assert_legible(chart, "JupyterLab, side bar open")
        # 934 px of output at this size: no room beside a form, so it sits below
        assert chart["below"], chart
    problems = _truncated(page)
    assert not problems, f"labels cut short in {name}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("name", NAMES)
def test_in_voila(name, open_in_voila, page, screenshot):
    page.set_viewport_size(VIEWPORT)
    open_in_voila(NOTEBOOKS / f"{name}.ipynb")
    assert_page_healthy(page, min_widgets=1)
    if name == "02_climate_for_change":
        chart = _chart(page)
        screenshot("activity3", full_page=False)
        _assert_legible(chart, "Voilà")
    problems = _truncated(page)
    assert not problems, f"labels cut short in {name}:\n  " + "\n  ".join(problems)
