"""Colour arithmetic for accessibility checks: contrast, colour-vision deficiency, difference.

- :func:`contrast_ratio` is WCAG 2.x's ratio of relative luminances (4.5:1 is AA for
  body text, 7:1 is AAA, 3:1 is AA for large text and for focus indicators).
- :func:`simulate_cvd` applies the Machado, Oliveira & Fernandes (2009) matrices at
  full severity for protanopia, deuteranopia and tritanopia, in linear RGB.
- :func:`delta_e` is the CIEDE2000 colour difference between two colours.
- :func:`category_palettes` lists the sets of colours that tell categories apart
  within one chart, so a test can check every pair under every deficiency.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import matplotlib.colors as mcolors
import numpy as np

__all__ = [
    "CVD_KINDS",
    "category_palettes",
    "contrast_ratio",
    "delta_e",
    "min_pair_difference",
    "relative_luminance",
    "simulate_cvd",
]

RGB = tuple[float, float, float]

#: Machado et al (2009), severity 1.0; rows map linear RGB to simulated linear RGB.
_MACHADO = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
CVD_KINDS = tuple(_MACHADO)


def _rgb(colour) -> RGB:
    r, g, b = mcolors.to_rgb(colour)
    return (r, g, b)


def _to_linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _to_srgb(c: float) -> float:
    c = min(1.0, max(0.0, c))
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def relative_luminance(colour) -> float:
    """WCAG relative luminance of a matplotlib colour (0 for black, 1 for white)."""
    r, g, b = (_to_linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground, background) -> float:
    """WCAG contrast ratio between two colours, from 1.0 to 21.0."""
    a, b = sorted((relative_luminance(foreground), relative_luminance(background)))
    return (b + 0.05) / (a + 0.05)


def simulate_cvd(colour, kind: str) -> RGB:
    """How ``colour`` looks with full ``kind`` (protanopia, deuteranopia, tritanopia)."""
    try:
        matrix = _MACHADO[kind]
    except KeyError:
        raise ValueError(
            f"unknown deficiency {kind!r}; choose one of {', '.join(CVD_KINDS)}"
        ) from None
    linear = np.array([_to_linear(c) for c in _rgb(colour)])
    r, g, b = (_to_srgb(float(c)) for c in matrix @ linear)
    return (r, g, b)


def _lab(colour) -> tuple[float, float, float]:
    r, g, b = (_to_linear(c) for c in _rgb(colour))
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def delta_e(first, second) -> float:
    """CIEDE2000 difference between two colours (about 2.3 is just noticeable)."""
    l1, a1, b1 = _lab(first)
    l2, a2, b2 = _lab(second)
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    c_bar7 = ((c1 + c2) / 2) ** 7
    g = 0.5 * (1 - math.sqrt(c_bar7 / (c_bar7 + 25**7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360
    h2p = math.degrees(math.atan2(b2, a2p)) % 360
    dlp, dcp = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dhp = 0.0
    elif abs(h2p - h1p) <= 180:
        dhp = h2p - h1p
    else:
        dhp = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    d_hp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp / 2))
    lbp, cbp = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hbp = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hbp = (h1p + h2p) / 2
    else:
        hbp = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(hbp - 30))
        + 0.24 * math.cos(math.radians(2 * hbp))
        + 0.32 * math.cos(math.radians(3 * hbp + 6))
        - 0.20 * math.cos(math.radians(4 * hbp - 63))
    )
    s_l = 1 + 0.015 * (lbp - 50) ** 2 / math.sqrt(20 + (lbp - 50) ** 2)
    s_c = 1 + 0.045 * cbp
    s_h = 1 + 0.015 * cbp * t
    cbp7 = cbp**7
    r_t = (
        -2
        * math.sqrt(cbp7 / (cbp7 + 25**7))
        * math.sin(math.radians(60 * math.exp(-(((hbp - 275) / 25) ** 2))))
    )
    return math.sqrt(
        (dlp / s_l) ** 2 + (dcp / s_c) ** 2 + (d_hp / s_h) ** 2 + r_t * (dcp / s_c) * (d_hp / s_h)
    )


def min_pair_difference(
    colours: Sequence, kind: str | None = None
) -> tuple[float, tuple[str, str]]:
    """The smallest :func:`delta_e` over every pair, as seen with ``kind`` (None: typical vision).

    Returns the difference and the pair (as hex) it was found between.
    """
    if len(colours) < 2:
        raise ValueError("a palette needs at least two colours to compare")
    seen = [simulate_cvd(c, kind) if kind else _rgb(c) for c in colours]
    best = (math.inf, ("", ""))
    for i in range(len(colours)):
        for j in range(i + 1, len(colours)):
            d = delta_e(seen[i], seen[j])
            if d < best[0]:
                best = (d, (mcolors.to_hex(colours[i]), mcolors.to_hex(colours[j])))
    return best


def category_palettes(style_name: str) -> dict[str, tuple]:
    """The colours that tell categories apart within one chart, for a style.

    Keys name the chart and what the colours stand for; each value holds the colours
    drawn side by side in that chart.
    """
    import matplotlib as mpl

    from partnership_lib.core import content, style

    theme = style.theme(style_name)
    out: dict[str, tuple] = {
        "power-interest grid: attitudes": tuple(c for _, c, _ in theme.attitude_colors),
        "evaluation wall: note colours": tuple(
            c["fill"] for c in content.load("evaluation_wall")["colours"]
        ),
    }
    if len(set(theme.quadrant_fills)) > 1:
        out["power-interest grid: quadrants"] = theme.quadrant_fills
    with style.style_context(style_name):
        cycle = tuple(mpl.rcParams["axes.prop_cycle"].by_key()["color"])
    out["line and bar series"] = tuple(c if c.startswith("#") else f"#{c}" for c in cycle)
    return out


def palette_report(palettes: dict[str, Iterable], kinds: Sequence[str | None] = (None, *CVD_KINDS)):
    """Rows of (palette, vision, min difference, pair) for every palette and vision."""
    rows = []
    for name, colours in palettes.items():
        colours = tuple(colours)
        for kind in kinds:
            d, pair = min_pair_difference(colours, kind)
            rows.append((name, kind or "typical", d, pair))
    return rows
