"""Reflow (WCAG 1.4.10): a page at 640 px wide, as a 1280 px screen at 200% zoom.

A 1280 px screen zoomed to 200% leaves 640 CSS pixels. At that width (900 high)
:func:`assert_reflows` requires that the page need no horizontal scrolling, and that
nothing a learner works with is cut off:

- a control (input, button, select, text box, slider) lies wholly inside the viewport
  and inside every box around it that clips its content;
- a table, chart or picture lies inside the viewport, or inside a box the learner can
  scroll sideways (``overflow-x: auto`` or ``scroll``) that itself fits the viewport.

The Voilà walk of :mod:`tests.browser.test_lab_smoke` narrows each session notebook's
page to this width once it has rendered, as zooming a loaded page does, and puts it back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .harness import save_screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Page

WIDTH, HEIGHT = 640, 900
TOLERANCE_PX = 1

_REFLOW_JS = """(tolerance) => {
  const vw = document.documentElement.clientWidth;
  const visible = (el) => {
    const cs = getComputedStyle(el);
    return cs.visibility !== 'hidden' && !!(el.offsetWidth || el.offsetHeight ||
      el.getClientRects().length);
  };
  const describe = (el) => {
    const box = el.closest('.jupyter-widgets:not(.widget-button)') || el.parentElement;
    const text = (el.getAttribute('aria-label') || (el.labels && el.labels[0] &&
      el.labels[0].innerText) || el.innerText || el.value || el.getAttribute('alt') ||
      (box && box.innerText) || '').replace(/\\s+/g, ' ').trim().slice(0, 70);
    return `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\\s+/).slice(0, 2).join('.') : ''} '${text}'`;
  };
  const CONTROL = 'input:not([type=hidden]), button, select, textarea, [role=slider], ' +
    '[role=spinbutton], summary';
  const CONTENT = 'table, img, svg, canvas, .pl-chart';
  const problems = [];
  let widest = {right: 0, what: ''};
  const root = document.querySelectorAll('.jp-OutputArea-output, .jp-RenderedMarkdown');
  const seen = new Set();
  for (const area of root) {
    for (const el of area.querySelectorAll(CONTROL + ', ' + CONTENT)) {
      if (seen.has(el) || !visible(el)) continue;
      seen.add(el);
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.right > widest.right) widest = {right: r.right, what: describe(el)};
      const isControl = el.matches(CONTROL);
      // The boxes around it that clip (overflow other than visible), innermost first.
      // Inside a box the learner can scroll, that box is what must fit further out.
      let scroller = null;
      let cut = null;
      let span = r;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const cs = getComputedStyle(p);
        if (cs.overflowX === 'visible') continue;
        const pr = p.getBoundingClientRect();
        const inside = span.left >= pr.left - tolerance && span.right <= pr.right + tolerance;
        if (inside) continue;
        if (!isControl && !scroller && (cs.overflowX === 'auto' || cs.overflowX === 'scroll')
            && pr.right <= vw + tolerance) { scroller = p; span = pr; continue; }
        cut = `${describe(el)} is cut off by a box with overflow-x ${cs.overflowX} ` +
          `(its right edge ${Math.round(span.right)} px, the box's ${Math.round(pr.right)} px)`;
        break;
      }
      if (cut) { problems.push(cut); continue; }
      if (r.right > vw + tolerance && !scroller) {
        problems.push(`${describe(el)} reaches ${Math.round(r.right)} px, past the ` +
          `${vw} px viewport`);
      }
    }
  }
  return {
    viewport: vw,
    scrollWidth: document.documentElement.scrollWidth,
    checked: seen.size,
    widest: widest,
    problems: problems,
  };
}"""


def assert_reflows(page: Page, where: str) -> None:
    """Narrow ``page`` to 640x900, check it, and give it back its size."""
    before = page.viewport_size
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    try:
        # Two frames: the resize has been laid out and painted before anything is measured.
        page.evaluate(
            "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        found = page.evaluate(_REFLOW_JS, TOLERANCE_PX)
        print(
            f"{where}: {found['checked']} elements checked at {WIDTH} px, widest reaches "
            f"{found['widest']['right']:.0f} px ({found['widest']['what']}), page scroll "
            f"width {found['scrollWidth']} px"
        )
        assert found["checked"] > 10, f"{where}: only {found['checked']} elements at {WIDTH} px"
        problems = list(dict.fromkeys(found["problems"]))
        if found["scrollWidth"] > WIDTH + TOLERANCE_PX:
            problems.insert(0, f"the page scrolls sideways: {found['scrollWidth']} px wide")
        if problems:  # the page as it is at 640 px, before it is given its size back
            save_screenshot(page, f"{where}-reflow-{WIDTH}px")
        assert not problems, (
            f"{where}: {len(problems)} reflow problem(s) at {WIDTH} px:\n"
            + "\n".join(f"  - {p}" for p in problems)
        )
    finally:
        if before is not None:
            page.set_viewport_size(before)
