"""Layout checks the smoke walks make on every notebook: legible charts, controls that fit.

- Chart text (:func:`chart_text`): every chart picture's smallest text, as shown (its
  ``data-min-text-px`` scaled by its shown width over its own width), is at least
  :data:`MIN_CHART_TEXT_PX` in the default style: in JupyterLab at 1366 px with the file
  browser side bar open, and in Voilà. A chart with no room beside a form sits below it.
- The Activity 3 lifecycle chart (notebook 02) is beside its form or below it, never over it.
- Text, sorter and scenario controls (:func:`sorter_controls_cut_short`): no label,
  button or toggle whose text overflows its box, and no drop-down narrower than its
  longest option (a ``<select>`` shows no ellipsis: it just cuts the text).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

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


_CHARTS_JS = """
() => [...document.querySelectorAll('img[data-min-text-px]')]
  .filter((img) => img.clientWidth > 0 && img.naturalWidth > 0)
  .map((img) => ({
    alt: (img.getAttribute('alt') || '').split('\\n')[0].slice(0, 90),
    px: parseFloat(img.getAttribute('data-min-text-px')) * img.clientWidth / img.naturalWidth,
    client: img.clientWidth, natural: img.naturalWidth,
  }))
"""


def side_bar_width(page: Page) -> float:
    """The width of JupyterLab's left side bar (0 when it is closed)."""
    return page.evaluate(
        "() => { const s = document.querySelector('#jp-left-stack');"
        " return s && !s.classList.contains('lm-mod-hidden') ?"
        " s.getBoundingClientRect().width : 0; }"
    )


def open_side_bar(page: Page) -> None:
    """Open the file browser in JupyterLab's side bar, as a learner usually has it."""
    if side_bar_width(page) == 0:
        page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:activate')")
    assert side_bar_width(page) > 200, "the file browser side bar should be open"


def _scroll_each(page: Page, selector: str) -> None:
    """Scroll to each match: JupyterLab lays out only what is near the view."""
    found = page.locator(selector)
    for i in range(found.count()):
        found.nth(i).scroll_into_view_if_needed()
        page.wait_for_timeout(150)


def chart_text(page: Page) -> list[dict[str, Any]]:
    """Every shown chart picture with the size its smallest text shows at (``px``)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('img[data-min-text-px]')].every((i) => i.complete)"
    )
    _scroll_each(page, "img[data-min-text-px]")
    return page.evaluate(_CHARTS_JS)


def assert_chart_text_legible(page: Page, where: str, *, minimum: int = 1) -> None:
    charts = chart_text(page)
    assert len(charts) >= minimum, f"{where}: {len(charts)} chart(s) shown, expected {minimum}"
    small = [c for c in charts if c["px"] < MIN_CHART_TEXT_PX]
    assert not small, f"{where}: chart text under {MIN_CHART_TEXT_PX:g} px:\n  " + "\n  ".join(
        f"{c['px']:.1f} px ({c['client']} of {c['natural']} px wide): {c['alt']}" for c in small
    )


def activity3_chart(page: Page) -> dict[str, Any] | None:
    """Where the Activity 3 lifecycle chart sits against its form (None: not on the page)."""
    if page.locator(".pl-activity3-discussion").count() == 0:
        return None
    page.locator(".pl-activity3-discussion").scroll_into_view_if_needed()
    img = page.locator(".pl-activity3-discussion .pl-chart img")
    img.wait_for(state="visible")
    img.scroll_into_view_if_needed()
    chart = page.evaluate(_CHART_JS)
    assert chart is not None, "no lifecycle chart beside the Activity 3 discussion"
    chart["px"] = chart["minTextPx"] * chart["client"] / chart["natural"]
    return chart


def assert_activity3_chart_placed(page: Page, where: str) -> dict[str, Any] | None:
    chart = activity3_chart(page)
    if chart is not None:
        assert chart["px"] >= MIN_CHART_TEXT_PX, (
            f"{where}: the lifecycle chart's smallest text shows at {chart['px']:.1f} px "
            f"({chart['client']} of {chart['natural']} px wide)"
        )
        assert chart["beside"] or chart["below"], f"{where}: the chart overlaps the form: {chart}"
    return chart


def sorter_controls_cut_short(page: Page) -> list[str]:
    """Cut-short controls of the text, sorter and scenario widgets (scrolled to each)."""
    problems: list[str] = []
    roots = page.locator(ROOTS)
    for i in range(roots.count()):
        root = roots.nth(i)
        root.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        problems += root.evaluate(_TRUNCATED_JS)
    return problems
