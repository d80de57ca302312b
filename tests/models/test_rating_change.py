"""The confidence chart of notebook 04: two ratings of the same items, and its live update."""

from __future__ import annotations

import io
import itertools

import matplotlib.pyplot as plt
import numpy as np
from _helpers import visible_texts
from PIL import Image

from partnership_lib.charts.live import LiveFigure
from partnership_lib.core.style import style_context
from partnership_lib.models.personal_assessment import assessment_items
from partnership_lib.models.ratings import plot_rating_change, update_rating_change

LABELS = {i.key: i.text for i in assessment_items()}
BEFORE = {k: n % 5 + 1 for n, k in enumerate(LABELS)}
AFTER = {k: (n + 2) % 5 + 1 for n, k in enumerate(LABELS)}


def _look(ax):
    out = {}
    for a in (*ax.collections, *ax.patches, *ax.texts):
        gid = a.get_gid() or ""
        if gid.startswith(("before:", "after:")):
            out[gid] = tuple(a.get_offsets()[0])
        elif gid.startswith("change-arrow:"):
            out[gid] = tuple(tuple(v) for v in a.get_path().vertices[[0, -1]].round(3))
        elif gid.startswith("change-label:"):
            out[gid] = a.get_text()
    return out


def test_update_rating_change_gives_the_artists_a_fresh_plot_gives():
    with style_context("workbook"):
        ax = plot_rating_change(BEFORE, AFTER, labels=LABELS)
        ax.figure.canvas.draw()
        after = dict(AFTER)
        for key in list(LABELS)[:3]:
            after[key] = after[key] % 5 + 1
            if after[key] == BEFORE[key]:
                after[key] = after[key] % 5 + 1
            changed = update_rating_change(ax, BEFORE, after, labels=LABELS)
            assert {a.get_gid() for a in changed} == {
                f"before:{key}",
                f"after:{key}",
                f"change-arrow:{key}",
                f"change-label:{key}",
            }
            fresh = plot_rating_change(BEFORE, after, labels=LABELS)
            fresh.figure.canvas.draw()
            assert _look(ax) == _look(fresh)
            plt.close(fresh.figure)
        assert update_rating_change(ax, BEFORE, after, labels=LABELS) == []


def test_update_rating_change_asks_for_a_full_draw_when_it_cannot_update():
    ax = plot_rating_change(BEFORE, AFTER, labels=LABELS)
    key = next(iter(LABELS))
    same = {**AFTER, key: BEFORE[key]}  # the arrow goes
    assert update_rating_change(ax, BEFORE, same, labels=LABELS) is None
    unrated = {k: v for k, v in AFTER.items() if k != key}  # a marker goes
    assert update_rating_change(ax, BEFORE, unrated, labels=LABELS) is None
    assert update_rating_change(ax, BEFORE, AFTER, labels=LABELS, title="Other") is None
    assert update_rating_change(ax, BEFORE, AFTER, labels=LABELS, color="red") is None
    assert update_rating_change(plt.subplots()[1], BEFORE, AFTER, labels=LABELS) is None


def test_live_rating_change_repaints_in_part_and_matches_a_full_draw():
    def pixels(data):
        return np.asarray(Image.open(io.BytesIO(data)).convert("RGBA")).astype(int)

    live = LiveFigure(style_name="workbook")
    live.render(lambda ax: plot_rating_change(BEFORE, AFTER, labels=LABELS, ax=ax))
    after = dict(AFTER)
    for key in list(LABELS)[::4]:
        new = next(v for v in (5, 4, 3) if v not in (BEFORE[key], after[key]))
        after = {**after, key: new}
        png = live.render(
            lambda ax, a=after: plot_rating_change(BEFORE, a, labels=LABELS, ax=ax),
            lambda ax, a=after: update_rating_change(ax, BEFORE, a, labels=LABELS),
        )
        assert live.last_path == "partial", key
        assert np.abs(pixels(png) - pixels(live.reference_png())).max() <= 2


# --------------------------------------------------------------------------- legible labels


def assert_labels_clear(ax, *, min_gap_pt=2.0):
    """No two drawn texts of the chart overlap, all are inside the picture, and stacked
    item labels keep a gap between them (the grid's label-collision check, tests/test_labels.py,
    extended to this chart)."""
    fig = ax.figure
    texts = visible_texts(fig)  # draws the figure
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    for i, (a_text, a) in enumerate(boxes):
        for b_text, b in boxes[i + 1 :]:
            assert not a.overlaps(b), f"{a_text!r} overlaps {b_text!r}"
    width, height = fig.canvas.get_width_height()
    for text, box in boxes:
        assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= width and box.y1 <= height, text
    gap_px = min_gap_pt * fig.dpi / 72
    labels = sorted(
        (t.get_window_extent(renderer) for t in ax.get_yticklabels() if t.get_text()),
        key=lambda b: -b.y0,
    )
    for upper, lower in itertools.pairwise(labels):
        assert upper.y0 - lower.y1 >= gap_px, f"item labels {upper} and {lower} nearly touch"


def test_the_fifteen_confidence_labels_clear_each_other_in_every_style():
    for name in ("workbook", "projector", "high_contrast"):
        with style_context(name):
            ax = plot_rating_change(BEFORE, AFTER, labels=LABELS)
            assert len(ax.get_yticklabels()) == 15
            assert max(t.get_text().count("\n") for t in ax.get_yticklabels()) == 2  # 3 lines
            assert_labels_clear(ax)
            plt.close(ax.figure)


def test_a_short_list_keeps_the_styles_own_height():
    few = dict(list(LABELS.items())[:3])
    with style_context("workbook"):
        ax = plot_rating_change({k: BEFORE[k] for k in few}, {k: AFTER[k] for k in few}, labels=few)
        assert ax.figure.get_figheight() == plt.rcParams["figure.figsize"][1]
        assert_labels_clear(ax)
