"""Keyboard focus is visible on every control (WCAG 2.4.7, 1.4.11): the check and its parts.

:func:`assert_focus_visible_on_every_control` tabs through every control in a page's
outputs. For each focus stop it reads the computed outline and box-shadow, and the
colours next to it (the background behind the control, and the control's own background
for a ring drawn inside its edge), and requires an indicator at least 2 px wide whose
colour has a contrast of at least 3:1 against them (computed in Python with
``colours.contrast_ratio``). A computed style is not yet a visible one: a scrolling box
around a control clips an outline drawn outside it. So the check also takes a screenshot
around each control and requires the ring's colour along at least 90% of each of its four
sides.

The Voilà walk of :mod:`tests.browser.test_lab_smoke` runs it on notebook 02 (the one with
the most kinds of control); ``test_focus.py`` shows that its parts can fail. Our focus
style lives in one place, :data:`partnership_lib.widgets.page.PAGE_CSS`, shown by
:meth:`partnership_lib.sessions.session.Session.header`, which every session notebook
shows first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from colours import contrast_ratio

from .keyboard import focused, start_from_top

MIN_WIDTH_PX = 2.0
MIN_CONTRAST = 3.0

# The focused element's indicator and the background around it. The background is the
# first opaque background-color among its ancestors (the page is white without one).
INDICATOR_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const cs = getComputedStyle(el);
  let bg = 'rgb(255, 255, 255)';
  for (let p = el.parentElement; p; p = p.parentElement) {
    const c = getComputedStyle(p).backgroundColor;
    if (c && c !== 'transparent' && !/rgba\\([^)]*,\\s*0\\)$/.test(c)) { bg = c; break; }
  }
  const r = el.getBoundingClientRect();
  return {
    inside: !!el.closest('.jp-OutputArea-output'),
    outlineStyle: cs.outlineStyle,
    outlineWidth: parseFloat(cs.outlineWidth) || 0,
    outlineOffset: parseFloat(cs.outlineOffset) || 0,
    outlineColor: cs.outlineColor,
    boxShadow: cs.boxShadow,
    background: bg,
    own: cs.backgroundColor,
    box: [r.left, r.top, r.width, r.height],
    viewport: [window.innerWidth, window.innerHeight],
  };
}"""

_RGB = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)")


def parse_rgb(text: str) -> tuple[float, float, float] | None:
    """``"rgb(11, 49, 132)"`` as 0-1 floats; ``None`` if not a colour or fully transparent."""
    match = _RGB.search(text or "")
    if not match or (match.group(4) is not None and float(match.group(4)) == 0):
        return None
    return tuple(float(match.group(i)) / 255 for i in (1, 2, 3))  # type: ignore[return-value]


def shadow_rings(box_shadow: str) -> list[tuple[tuple[float, float, float], float]]:
    """Each ``box-shadow`` layer as (colour, spread px), for layers that draw a ring."""
    rings = []
    for layer in re.split(r",(?![^(]*\))", box_shadow or ""):
        colour = parse_rgb(layer)
        lengths = [float(v) for v in re.findall(r"(-?[\d.]+)px", _RGB.sub("", layer))]
        if colour is None or "inset" in layer or len(lengths) < 4:
            continue
        rings.append((colour, lengths[3]))  # x, y, blur, spread
    return rings


@dataclass(frozen=True, slots=True)
class Indicator:
    stop: str
    width: float
    contrast: float
    how: str

    @property
    def visible(self) -> bool:
        return self.width >= MIN_WIDTH_PX and self.contrast >= MIN_CONTRAST


def indicator(stop: str, raw: dict) -> Indicator:
    """The best focus indicator on the element: its outline or a box-shadow ring."""
    background = parse_rgb(raw["background"]) or (1.0, 1.0, 1.0)
    own = parse_rgb(raw.get("own", "")) or background
    candidates = []
    outline = parse_rgb(raw["outlineColor"])
    if raw["outlineStyle"] not in ("none", "hidden") and outline is not None:
        # A ring drawn inside the edge touches the control's own background too.
        inset = raw.get("outlineOffset", 0) < 0
        against = (background, own) if inset else (background,)
        contrast = min(contrast_ratio(outline, c) for c in against)
        candidates.append(Indicator(stop, raw["outlineWidth"], contrast, "outline"))
    for colour, spread in shadow_rings(raw["boxShadow"]):
        candidates.append(Indicator(stop, spread, contrast_ratio(colour, background), "box-shadow"))
    if not candidates:
        return Indicator(stop, 0.0, 1.0, "none")
    return max(candidates, key=lambda i: (i.visible, i.width * i.contrast))


MARGIN_PX = 8  # how far outside the control the screenshot reaches
MIN_SIDE_COVERAGE = 0.9


def ring_coverage(png: bytes, ring: tuple[float, float, float], inner: tuple[int, ...]) -> dict:
    """How much of each side of ``inner`` (x, y, w, h in the image) shows the ring colour.

    For every pixel position along a side, the band from ``MARGIN_PX`` outside the edge
    to ``MARGIN_PX`` inside it counts if any pixel in it is within a small tolerance of
    the ring colour. Returns ``{side: fraction}``.
    """
    import io

    import numpy as np
    from PIL import Image

    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float) / 255
    match = np.all(np.abs(image - np.array(ring)) < 0.12, axis=2)
    x, y, w, h = inner
    height, width = match.shape
    m = MARGIN_PX

    def band(rows: slice, cols: slice, axis: int) -> float:
        region = match[rows, cols]
        if region.size == 0:
            return 0.0
        return float(region.any(axis=axis).mean())

    inset = 4  # leave the rounded corners out
    along_x = slice(max(x + inset, 0), min(x + w - inset, width))
    along_y = slice(max(y + inset, 0), min(y + h - inset, height))
    sides = {
        "top": band(slice(max(y - m, 0), y + m), along_x, 0),
        "bottom": band(slice(max(y + h - m, 0), y + h + m), along_x, 0),
        "left": band(along_y, slice(max(x - m, 0), x + m), 1),
        "right": band(along_y, slice(max(x + w - m, 0), x + w + m), 1),
    }
    # A side beyond the screenshot (the window's edge) is not judged: a focused text box
    # is scrolled only as far as its caret, so its far edge may be out of the window.
    off = {"top": y < 0, "bottom": y + h > height, "left": x < 0, "right": x + w > width}
    return {side: value for side, value in sides.items() if not off[side]}


def drawn_sides(page, raw: dict) -> dict:
    """Screenshot the focused control with a margin; the ring's coverage of each side."""
    left, top, w, h = raw["box"]
    vw, vh = raw["viewport"]
    x0, y0 = max(left - MARGIN_PX, 0), max(top - MARGIN_PX, 0)
    x1, y1 = min(left + w + MARGIN_PX, vw), min(top + h + MARGIN_PX, vh)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return {"top": 0.0, "bottom": 0.0, "left": 0.0, "right": 0.0}
    png = page.screenshot(clip={"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0})
    ring = parse_rgb(raw["outlineColor"]) or (0.0, 0.0, 0.0)
    inner = (round(left - x0), round(top - y0), round(w), round(h))
    return ring_coverage(png, ring, inner)


def assert_focus_visible_on_every_control(page, where: str) -> None:
    """Tab once round the page from the top; every stop in the outputs shows its focus."""
    start_from_top(page)
    seen: list[Indicator] = []
    clipped: list[str] = []
    first = None
    for _ in range(400):
        page.keyboard.press("Tab")
        stop = focused(page)
        raw = page.evaluate(INDICATOR_JS)
        if stop is None or raw is None or not raw["inside"]:
            continue
        label = f"{stop}"
        if label == first:
            break  # went round the page once
        first = first or label
        found = indicator(label, raw)
        seen.append(found)
        if found.visible and found.how == "outline":
            sides = drawn_sides(page, raw)
            if len(sides) < 2 or min(sides.values()) < MIN_SIDE_COVERAGE:
                shown = ", ".join(f"{k} {v:.0%}" for k, v in sides.items())
                clipped.append(f"  - {label}: ring drawn on {shown}")

    assert len(seen) > 20, f"{where}: only {len(seen)} focus stops in the outputs"
    hidden = [i for i in seen if not i.visible]
    assert not hidden, (
        f"{where}: {len(hidden)} of {len(seen)} focus stops lack a visible indicator:\n"
        + "\n".join(f"  - {i.stop}: {i.how} {i.width:g}px, {i.contrast:.2f}:1" for i in hidden)
    )
    assert not clipped, f"{where}: focus rings cut off on screen:\n" + "\n".join(clipped)
    weakest = min(seen, key=lambda i: i.contrast)
    print(
        f"{where}: focus indicators on {len(seen)} stops: lowest contrast "
        f"{weakest.contrast:.2f}:1 ({weakest.how} {weakest.width:g}px at {weakest.stop})"
    )
