"""The focus check's parts can fail (see :mod:`tests.browser.focus`).

The check itself runs on every control of notebook 02 in the Voilà walk of
:mod:`tests.browser.test_lab_smoke`, on the page that walk has already loaded.
"""

from __future__ import annotations

import pytest

from .focus import indicator, parse_rgb, ring_coverage, shadow_rings

pytestmark = pytest.mark.browser


def test_shadow_rings_and_colours_parse():
    assert parse_rgb("rgb(11, 49, 132)") == pytest.approx((11 / 255, 49 / 255, 132 / 255))
    assert parse_rgb("rgba(0, 0, 0, 0)") is None
    assert shadow_rings("rgb(255, 255, 255) 0px 0px 0px 2px, rgb(0, 0, 0) 0px 0px 0px 4px") == [
        ((1.0, 1.0, 1.0), 2.0),
        ((0.0, 0.0, 0.0), 4.0),
    ]
    assert shadow_rings("none") == []
    faint = {"outlineStyle": "solid", "outlineWidth": 1, "outlineColor": "rgb(200, 200, 200)"}
    raw = {**faint, "boxShadow": "none", "background": "rgb(255, 255, 255)"}
    assert not indicator("x", raw).visible  # 1 px and 1.7:1: the test can fail
    raw = {**raw, "outlineWidth": 3, "outlineColor": "rgb(11, 49, 132)"}
    assert indicator("x", raw).visible


def test_ring_coverage_sees_a_ring_cut_off_by_its_box():
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (120, 60), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 109, 49), outline=(11, 12, 12), width=3)  # an inset 3 px ring
    draw.rectangle((100, 0, 119, 59), fill="white")  # a scrolling box cuts the right off
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")

    sides = ring_coverage(buffer.getvalue(), (11 / 255, 12 / 255, 12 / 255), (10, 10, 100, 40))
    assert sides["left"] == 1.0 and sides["top"] > 0.8 and sides["bottom"] > 0.8
    assert sides["right"] == 0.0
    off_screen = ring_coverage(buffer.getvalue(), (0.0, 0.0, 0.0), (10, 10, 100, 80))
    assert "bottom" not in off_screen  # beyond the window: not judged
