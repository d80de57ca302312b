"""Live charts: the strip PNG encoder, partial repaints, and the in-place chart updates."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from _helpers import pixels, same_picture
from matplotlib.colors import to_hex

from partnership_lib.charts.live import LiveFigure, StripPNG
from partnership_lib.core.style import style_context
from partnership_lib.models.lifecycle import lifecycle_model, plot_lifecycle, update_lifecycle
from partnership_lib.models.mobius import QUALITY_KEYS, plot_mobius_map, update_mobius_map
from partnership_lib.models.ratings import plot_ratings, update_ratings
from partnership_lib.sessions import s01_concepts as concepts
from partnership_lib.sessions import s03_influencing as influencing
from partnership_lib.widgets.base import exercise_binding

# --------------------------------------------------------------------------- PNG strips


def test_strip_png_decodes_to_the_pixels_after_every_change():
    rng = np.random.default_rng(3)
    image = np.full((70, 33, 4), 255, dtype=np.uint8)
    image[10:40, 5:20, :3] = rng.integers(0, 256, (30, 15, 3), dtype=np.uint8)
    encoder = StripPNG(rows=16)
    assert np.array_equal(pixels(encoder.encode(image)), image)
    image[50:52, 0:33] = (0, 114, 178, 255)  # one strip changes
    second = encoder.encode(image)
    assert np.array_equal(pixels(second), image)
    image[:, 30, 3] = 0  # a transparent column: every strip changes
    assert np.array_equal(pixels(encoder.encode(image)), image)
    assert np.array_equal(pixels(encoder.encode(image)), image)  # nothing changed
    assert second.startswith(b"\x89PNG\r\n\x1a\n") and second.endswith(b"IEND\xaeB`\x82")


def test_strip_png_starts_again_when_the_size_changes():
    encoder = StripPNG()
    encoder.encode(np.zeros((20, 20, 4), dtype=np.uint8))
    bigger = np.full((41, 7, 4), 200, dtype=np.uint8)
    assert np.array_equal(pixels(encoder.encode(bigger)), bigger)


# --------------------------------------------------------------------------- lifecycle


def _look(ax):
    """What the current-stage marking looks like, by gid."""
    out = {}
    for p in ax.patches:
        gid = p.get_gid() or ""
        if gid.startswith("stage:") or gid == "current-band":
            out[gid] = (to_hex(p.get_facecolor(), keep_alpha=True), p.get_hatch(), p.get_x())
    for t in ax.texts:
        gid = t.get_gid() or ""
        if gid.startswith("stage-label:"):
            out[gid] = t.get_bbox_patch() is not None
        if gid == "current-label":
            out[gid] = (tuple(t.xy), tuple(t.get_position()), t.get_verticalalignment())
    for line in ax.lines:
        if line.get_gid() == "current-marker":
            out["current-marker"] = tuple(np.ravel(line.get_xydata()))
    return out


@pytest.mark.parametrize("style_name", ["workbook", "high_contrast"])
def test_update_lifecycle_gives_the_artists_a_fresh_plot_gives(style_name):
    m = lifecycle_model("five_fs")
    with style_context(style_name):
        ax = plot_lifecycle(m, current="forming")
        for stage in [*m.stages[1:], m.stages[0]]:
            changed = update_lifecycle(ax, m, current=stage.key)
            assert changed, stage.key
            assert _look(ax) == _look(plot_lifecycle(m, current=stage.key))
        assert update_lifecycle(ax, m, current="forming") == []  # nothing to change
        update_lifecycle(ax, m, current=None)
        assert _look(ax) == _look(plot_lifecycle(m))
        assert not [a for a in ax.get_children() if a.get_gid() == "current-marker"]
        assert update_lifecycle(plt.subplots()[1], m, current="forming") is None


def test_live_lifecycle_repaints_only_what_changed_and_matches_a_full_draw():
    m = lifecycle_model("five_fs")
    keys = [s.key for s in m.stages]
    live = LiveFigure(style_name="workbook")
    live.render(lambda ax: plot_lifecycle(m, current=keys[0], ax=ax))
    assert live.last_path == "full"
    assert plt.get_fignums() == []  # pyplot holds nothing
    fig = live.fig
    for key in [*keys[1:], *reversed(keys[:-1])]:
        png = live.render(
            lambda ax, key=key: plot_lifecycle(m, current=key, ax=ax),
            lambda ax, key=key: update_lifecycle(ax, m, current=key),
        )
        assert live.last_path == "partial", key
        same_picture(live, png)
    before = live.png
    live.render(lambda ax: None, lambda ax: update_lifecycle(ax, m, current=keys[0]))
    assert live.last_path == "unchanged" and live.png is before
    assert live.fig is fig
    assert pixels(live.png).shape[:2] == (live.size[1], live.size[0])


@pytest.mark.parametrize("kind", ["bar", "radar"])
def test_partial_repaints_keep_grid_lines_and_polar_clipping(kind):
    # Grid lines lie outside an Axis's tight box, and a polar chart clips to its circle
    # (Agg keeps one clip mask per path): both must be repainted in every rectangle.
    labels = {k: f"Item {k}" for k in "abcd"}
    live = LiveFigure(style_name="workbook")
    steps = ({}, {"a": 4}, {"a": 4, "c": 2}, {"a": 1, "c": 2}, {"c": 5}, {})
    for i, ratings in enumerate(steps):
        png = live.render(
            lambda ax, r=ratings: plot_ratings(r, labels=labels, kind=kind, ax=ax),
            lambda ax, r=ratings: update_ratings(ax, r, labels=labels, kind=kind),
        )
        assert live.last_path == ("full" if i == 0 else "partial"), ratings
        same_picture(live, png)


def test_live_figure_draws_in_full_without_an_updater_or_after_a_style_change():
    m = lifecycle_model("five_fs")
    live = LiveFigure(style_name="workbook")
    live.render(lambda ax: plot_lifecycle(m, current="forming", ax=ax))
    png = live.render(lambda ax: plot_lifecycle(m, current="flying", ax=ax), lambda ax: None)
    assert live.last_path == "full"
    same_picture(live, png, tol=0)
    small = live.size
    live.style_name = "projector"
    live.render(
        lambda ax: plot_lifecycle(m, current="flying", ax=ax),
        lambda ax: update_lifecycle(ax, m, current="flying"),
    )
    assert live.last_path == "full" and live.size != small
    assert live.min_text_px is not None and live.min_text_px > 0


# --------------------------------------------------------------------------- Mobius


def _quality_look(ax):
    out = {}
    for p in ax.patches:
        gid = p.get_gid() or ""
        if gid.startswith("quality:"):
            out[gid] = (to_hex(p.get_facecolor()), p.get_linewidth(), str(p.get_linestyle()))
    for t in ax.texts:
        gid = t.get_gid() or ""
        if gid.startswith(("quality-label:", "quality-score:")):
            position = tuple(round(v, 6) for v in t.get_position())
            out[gid] = (t.get_text(), to_hex(t.get_color()), t.get_fontsize(), position)
    return out


def test_update_mobius_map_gives_the_artists_a_fresh_plot_gives():
    first = dict.fromkeys(QUALITY_KEYS, 3)
    second = {**first, "possibility": 1, "commitment": None, "capability": 5}
    with style_context("workbook"):
        ax = plot_mobius_map(qualities=first)
        changed = update_mobius_map(ax, qualities=second)
        assert {a.get_gid() for a in changed} == {
            f"{kind}:{key}"
            for key in ("possibility", "commitment", "capability")
            for kind in ("quality", "quality-label", "quality-score")
        }
        assert _quality_look(ax) == _quality_look(plot_mobius_map(qualities=second))
        assert update_mobius_map(ax, qualities=second) == []
        with pytest.raises(ValueError):
            update_mobius_map(ax, qualities={"possibility": 9})
        assert update_mobius_map(plt.subplots()[1], qualities=second) is None


def test_live_mobius_matches_a_full_draw_after_each_rating():
    live = LiveFigure(style_name="workbook")
    scores = dict.fromkeys(QUALITY_KEYS, None)
    live.render(lambda ax: plot_mobius_map(qualities=scores, ax=ax))
    steps = [(key, 1 + i % 5) for i, key in enumerate(QUALITY_KEYS)] + [("possibility", 5)]
    for key, score in steps:
        scores = {**scores, key: score}
        png = live.render(
            lambda ax, s=scores: plot_mobius_map(qualities=s, ax=ax),
            lambda ax, s=scores: update_mobius_map(ax, qualities=s),
        )
        assert live.last_path == "partial"
        same_picture(live, png)


# --------------------------------------------------------------------------- the widgets


def test_stage_diagnosis_and_rating_redraw_in_place(store):
    w = concepts.stage_diagnosis(exercise_binding("01_test", "sd", store=store))
    w.checkboxes["forming:0"].value = True
    fig, first = w.chart.figure, w.chart.value
    w.checkboxes["flying:0"].value = True
    w.checkboxes["flying:1"].value = True
    assert w.chart.figure is fig and w.chart.value != first
    assert w.chart.last_path == "partial"
    assert 'data-min-text-px="' in w.chart.value
    same_picture(w.chart.engine, w.chart.png)
    r = influencing.rate_relationship(exercise_binding("03_test", "rr", store=store))
    r.dropdowns["possibility"].value = 2
    r.dropdowns["possibility"].value = 4
    assert r.chart.last_path == "partial"
    same_picture(r.chart.engine, r.chart.png)
    assert plt.get_fignums() == []
