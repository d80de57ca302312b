"""Projector mode: nothing a room must read is smaller than 18 px at 1920x1080.

:func:`assert_projector_legible` measures every visible piece of text in a page's outputs
(widgets and our HTML) and in its Markdown with the page's own computed styles, and every
chart's smallest text as shown: the picture's ``data-min-text-px`` scaled by its shown
width over its own width. The Voilà walk of :mod:`tests.browser.test_lab_smoke` runs it
on each session notebook once the projector toggle is on; ``test_projector_legibility.py``
runs it on pages opened with ``?projector=1`` and shows that it fails without.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

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


def describe_texts(items: list[dict[str, Any]], limit: int = 25) -> str:
    lines = [f"  {t['px']:.1f}px <{t['tag']} {t['cls']}> {t['text']!r}" for t in items[:limit]]
    if len(items) > limit:
        lines.append(f"  ... and {len(items) - limit} more")
    return "\n".join(lines)


def describe_charts(report: Legibility, items: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"  {c['alt']!r}: data-min-text-px={c['minTextPx']}, shown {c['client']} of "
        f"{c['natural']} px wide"
        + (f" -> {report.chart_px(c):.1f}px" if c["minTextPx"] is not None else "")
        for c in items
    )


def assert_projector_legible(page, where: str, *, charts: bool = True) -> Legibility:
    """At least 50 texts and (with ``charts``) one chart measured, none under 18 px."""
    report = measure(page)
    assert len(report.texts) > 50, f"{where}: too little text measured: is the page empty?"
    small = report.small_texts()
    assert not small, (
        f"{len(small)} visible text(s) under {MIN_PX:.0f} px in projector mode on "
        f"{where}:\n{describe_texts(small)}"
    )
    if charts:
        assert report.visible_charts(), f"no chart picture on {where}"
    bad = report.small_charts()
    assert not bad, (
        f"chart text under {MIN_PX:.0f} px as shown on {where}:\n{describe_charts(report, bad)}"
    )
    return report


#: Every shown chart picture has loaded and its smallest text shows at 18 px or more.
_CHARTS_READY_JS = """(minPx) => [...document.querySelectorAll('.pl-chart img')]
  .filter((img) => img.getClientRects().length > 0)
  .every((img) => img.complete && img.naturalWidth > 0 && img.hasAttribute('data-min-text-px')
    && parseFloat(img.getAttribute('data-min-text-px')) * img.clientWidth / img.naturalWidth
       >= minPx)"""


def wait_for_projector_charts(page, timeout_ms: float = 20_000) -> None:
    """Give the live charts time to redraw in the projector style after the toggle.

    Returns once every chart shows its text at 18 px or more, or after ``timeout_ms``
    (then :func:`assert_projector_legible` says which chart is too small).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(_CHARTS_READY_JS, arg=MIN_PX, timeout=timeout_ms)
