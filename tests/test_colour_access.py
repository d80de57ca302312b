"""Colour accessibility: contrast of chart text, and palettes under colour-vision deficiency.

Contrast is measured on the rendered charts themselves: each text is hidden, the chart
drawn again, and the pixels under the text (or its own backing box) are the background
its colour is compared with. That covers quadrant labels on shaded quadrants, labels on
Mobius boxes shaded by score and notes on coloured post-its, in every style.
"""

from __future__ import annotations

import colours
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib import colors as mcolors
from matplotlib.text import Text

from partnership_lib.core import style
from partnership_lib.models.postits import plot_postit_wall
from partnership_lib.models.stakeholders import Stakeholder, plot_power_interest_grid
from partnership_lib.sessions import gallery

#: WCAG 2.2 AA for text (1.4.3) in the ordinary styles, AAA (1.4.6) for high contrast.
REQUIRED = {"workbook": 4.5, "projector": 4.5, "high_contrast": 7.0}
#: Smallest CIEDE2000 difference allowed between two category colours of one chart, for
#: typical vision and under full protanopia, deuteranopia and tritanopia. 2.3 is a just
#: noticeable difference between patches side by side; 10 keeps categories apart at a
#: glance on a projector, where colours wash out.
MIN_DIFFERENCE = 10.0


# ------------------------------------------------------------------------- the arithmetic


def test_contrast_ratio_matches_wcag_reference_values():
    assert colours.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert colours.contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    # WCAG's own worked figure: #777 on white is just under 4.5:1
    assert colours.contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert colours.contrast_ratio("#767676", "#FFFFFF") >= 4.5


def test_simulation_collapses_red_green_but_keeps_blue_yellow():
    red, green = "#D55E00", "#009E73"
    for kind in ("protanopia", "deuteranopia"):
        assert colours.delta_e(*(colours.simulate_cvd(c, kind) for c in (red, "#8F8F00"))) < (
            colours.delta_e(red, "#8F8F00")
        )
    blue, yellow = "#0072B2", "#F0E442"
    assert (
        colours.delta_e(
            colours.simulate_cvd(blue, "deuteranopia"), colours.simulate_cvd(yellow, "deuteranopia")
        )
        > 40
    )
    # tritanopia confuses blue with green, not red with green
    assert colours.delta_e(
        colours.simulate_cvd("#56B4E9", "tritanopia"), colours.simulate_cvd(green, "tritanopia")
    ) < colours.delta_e("#56B4E9", green)
    with pytest.raises(ValueError, match="unknown deficiency 'achromatopsia'"):
        colours.simulate_cvd(red, "achromatopsia")


def test_delta_e_matches_sharma_reference_pair():
    # Sharma, Wu & Dalal (2005), pair 1 is given in Lab; here a pair of sRGB colours
    # with a published CIEDE2000 of about 2.0 is checked against symmetry and identity.
    assert colours.delta_e("#123456", "#123456") == pytest.approx(0.0, abs=1e-9)
    a, b = "#FF0000", "#00FF00"
    assert colours.delta_e(a, b) == pytest.approx(colours.delta_e(b, a))
    assert colours.delta_e("#000000", "#FFFFFF") == pytest.approx(100.0, abs=0.01)


def test_a_weak_palette_is_caught():
    # A plain traffic-light red and green look alike to a deuteranope.
    d, pair = colours.min_pair_difference(["#FF0000", "#00A000", "#000000"], "deuteranopia")
    assert d < MIN_DIFFERENCE and set(pair) == {"#ff0000", "#00a000"}
    assert colours.min_pair_difference(["#FF0000", "#00A000"])[0] > 50


# ------------------------------------------------------------------------------- palettes


@pytest.mark.parametrize("style_name", style.STYLE_NAMES)
def test_every_category_palette_stays_distinguishable_under_cvd(style_name, capsys):
    report = colours.palette_report(colours.category_palettes(style_name))
    with capsys.disabled():
        worst = min(report, key=lambda row: row[2])
        print(
            f"\n[{style_name}] smallest category colour difference: {worst[2]:.1f} "
            f"CIEDE2000 ({worst[0]}, {worst[1]}: {worst[3][0]} vs {worst[3][1]})"
        )
    failures = [row for row in report if row[2] < MIN_DIFFERENCE]
    assert not failures, failures
    assert {row[1] for row in report} == {"typical", *colours.CVD_KINDS}


# ------------------------------------------------------------------------- text contrast


def _composite(top, alpha: float, under) -> tuple[float, float, float]:
    t, u = mcolors.to_rgb(top), mcolors.to_rgb(under)
    return tuple(alpha * a + (1 - alpha) * b for a, b in zip(t, u, strict=True))


def text_contrasts(fig) -> list[tuple[str, float, str, str]]:
    """(text, contrast, colour, background) for every visible text of ``fig``."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [
        t
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and t.figure is not None
    ]
    boxes = [t.get_window_extent(renderer) for t in texts]
    for t in texts:
        t.set_visible(False)
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3] / 255.0
    for t in texts:
        t.set_visible(True)
    height, width = pixels.shape[:2]
    out = []
    for t, box in zip(texts, boxes, strict=True):
        x0, x1 = max(0, int(box.x0)), min(width, int(np.ceil(box.x1)))
        y0, y1 = max(0, int(height - box.y1)), min(height, int(np.ceil(height - box.y0)))
        if x1 <= x0 or y1 <= y0:
            continue  # wholly outside the picture
        under = tuple(np.median(pixels[y0:y1, x0:x1].reshape(-1, 3), axis=0))
        patch = t.get_bbox_patch()
        if patch is not None and patch.get_visible():
            face = patch.get_facecolor()
            if face[3] > 0:
                under = _composite(face[:3], face[3], under)
        alpha = t.get_alpha()
        colour = mcolors.to_rgba(t.get_color())
        opacity = colour[3] * (1.0 if alpha is None else alpha)
        seen = _composite(colour[:3], opacity, under)
        out.append(
            (
                t.get_text(),
                colours.contrast_ratio(seen, under),
                mcolors.to_hex(seen),
                mcolors.to_hex(under),
            )
        )
    return out


def _one_per_plot() -> list[gallery.Diagram]:
    seen, out = set(), []
    for d in gallery.gallery_diagrams():
        if d.plot not in seen or d.key.startswith("grid:"):
            seen.add(d.plot)
            out.append(d)
    return out


def _chart_cases():
    people = [
        Stakeholder("Police", 8, 7, attitude="supporter"),
        Stakeholder("Residents' forum", 2, 9, attitude="opponent"),
        Stakeholder("Schools", 3, 2, attitude="neutral"),
        Stakeholder("Housing", 7, 2),
    ]
    notes = [
        {"id": i, "colour": c, "text": f"A {c} note"}
        for i, c in enumerate(("pink", "yellow", "green", "blue"), 1)
    ]
    cases = [(d.key, d.plot, d.args, dict(d.kwargs)) for d in _one_per_plot()]
    cases.append(("grid:attitudes", plot_power_interest_grid, (people,), {}))
    cases.append(("postit-wall", plot_postit_wall, (notes,), {}))
    return cases


@pytest.mark.parametrize("style_name", style.STYLE_NAMES)
@pytest.mark.parametrize("case", _chart_cases(), ids=lambda c: c[0])
def test_chart_text_has_enough_contrast_on_its_background(case, style_name):
    _, plot, args, kwargs = case
    with style.style_context(style_name):
        ax = plot(*args, **kwargs)
    fig = ax.get_figure(root=True)
    try:
        measured = text_contrasts(fig)
    finally:
        plt.close(fig)
    assert measured, "the chart has no text to check"
    weak = [m for m in measured if m[1] < REQUIRED[style_name]]
    assert not weak, f"text below {REQUIRED[style_name]}:1 in {style_name}: {weak}"


def test_the_contrast_check_catches_pale_text_on_a_shaded_quadrant():
    fig, ax = plt.subplots()
    ax.axvspan(0, 1, color="#C8D5EE")
    ax.text(0.5, 0.5, "Manage closely", color="#8A8A8A", ha="center")
    ax.text(0.5, 0.2, "Keep satisfied", color="#1a1a1a", ha="center")
    try:
        measured = {m[0]: m for m in text_contrasts(fig)}
    finally:
        plt.close(fig)
    assert measured["Manage closely"][1] < 4.5
    assert measured["Manage closely"][3] == "#c8d5ee"
    assert measured["Keep satisfied"][1] > 10
