"""Reflow (WCAG 1.4.10): the session notebooks in Voilà at 640 px wide, as at 200% zoom.

A 1280 px screen zoomed to 200% leaves 640 CSS pixels. At that width (900 high) each
session notebook must need no horizontal scrolling of the page, and nothing a learner
works with may be cut off:

- a control (input, button, select, text box, slider) lies wholly inside the viewport
  and inside every box around it that clips its content;
- a table, chart or picture lies inside the viewport, or inside a box the learner can
  scroll sideways (``overflow-x: auto`` or ``scroll``) that itself fits the viewport.
"""

from __future__ import annotations

import pytest

from .test_lab_smoke import SESSION_NOTEBOOKS

pytestmark = pytest.mark.browser

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


@pytest.mark.parametrize("notebook", SESSION_NOTEBOOKS)
def test_nothing_is_cut_off_at_640_px(notebook, open_in_voila, page, screenshot):
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    open_in_voila(notebook)

    found = page.evaluate(_REFLOW_JS, TOLERANCE_PX)
    print(
        f"{notebook.stem}: {found['checked']} elements checked, widest reaches "
        f"{found['widest']['right']:.0f} px ({found['widest']['what']}), page scroll width "
        f"{found['scrollWidth']} px"
    )
    assert found["checked"] > 10
    problems = list(dict.fromkeys(found["problems"]))
    if found["scrollWidth"] > WIDTH + TOLERANCE_PX:
        problems.insert(0, f"the page scrolls sideways: {found['scrollWidth']} px wide")
    if problems:
        screenshot()
    assert not problems, f"{len(problems)} reflow problem(s) at {WIDTH} px:\n" + "\n".join(
        f"  - {p}" for p in problems
    )
