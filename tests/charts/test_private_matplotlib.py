"""The private Matplotlib attributes the live charts use, checked so a release that
changes one fails here, by name, rather than as a wrong picture somewhere else."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.patches import FancyArrowPatch
from matplotlib.path import Path

from partnership_lib.charts.live import (
    AGG_CORE_ATTRIBUTE,
    ARROW_ENDS_ATTRIBUTE,
    agg_core,
    arrow_ends,
    glyph_canvas,
    recording_glyphs,
)


def test_agg_still_draws_text_through_its_private_core_renderer():
    renderer = RendererAgg(200, 100, 100)
    assert hasattr(renderer, AGG_CORE_ATTRIBUTE), (
        f"Matplotlib's RendererAgg has no {AGG_CORE_ATTRIBUTE!r} any more: the glyph cache "
        "in partnership_lib/charts/live.py (agg_core) must be rewritten for this release"
    )
    assert callable(getattr(agg_core(renderer), "draw_text_image", None)), (
        "Agg's core renderer lost draw_text_image: rewrite agg_core's glyph replay"
    )
    fig = plt.figure(figsize=(2, 1), dpi=100)
    canvas = FigureCanvasAgg(fig)
    text = fig.text(0.1, 0.5, "Trust")
    real = canvas.get_renderer()
    with recording_glyphs(real) as recorder:
        text.draw(real)
    assert agg_core(real) is recorder.real  # put back after the block
    assert recorder.calls, "RendererAgg.draw_text no longer draws through its core renderer"
    assert recorder.cacheable and isinstance(recorder.calls[0][0], np.ndarray)
    plt.close(fig)


def test_a_replayed_text_is_the_picture_a_fresh_draw_makes():
    def picture(canvas):
        canvas.draw()
        return np.asarray(canvas.buffer_rgba()).copy()

    fig = plt.figure(figsize=(3, 1), dpi=100)
    fig.text(0.1, 0.4, "Health and wellbeing board", fontsize=12)
    cached = glyph_canvas(fig)
    first = picture(cached)  # records the glyphs
    assert cached.get_renderer() is cached.get_renderer()  # kept while the size is the same
    again = picture(cached)  # replays them
    plain = picture(FigureCanvasAgg(fig))
    assert first.any() and np.array_equal(first, again) and np.array_equal(again, plain)
    plt.close(fig)


def test_a_fancy_arrow_still_keeps_its_ends_where_arrow_ends_reads_them():
    arrow = FancyArrowPatch((1.0, 2.0), (3.0, 4.0))
    assert hasattr(arrow, ARROW_ENDS_ATTRIBUTE), (
        f"Matplotlib's FancyArrowPatch has no {ARROW_ENDS_ATTRIBUTE!r} any more: the live "
        "grid's arrow comparison in partnership_lib/charts/live.py (arrow_ends) must be "
        "rewritten for this release"
    )
    assert arrow_ends(arrow) == ((1.0, 2.0), (3.0, 4.0))
    arrow.set_positions((5.0, 6.0), (7.0, 8.0))  # the public setter writes what we read
    assert arrow_ends(arrow) == ((5.0, 6.0), (7.0, 8.0))
    assert arrow_ends(FancyArrowPatch(path=Path([(0.0, 0.0), (1.0, 1.0)]))) is None


def test_an_annotation_arrow_still_keeps_its_ends_in_display_pixels():
    # the repaint boxes of an annotation cover both ends of its arrow (charts/live.py _boxes)
    fig, ax = plt.subplots(figsize=(2, 2), dpi=100)
    note = ax.annotate("here", xy=(0.5, 0.5), xytext=(0.1, 0.9), arrowprops={"arrowstyle": "->"})
    fig.canvas.draw()
    note.update_positions(fig.canvas.get_renderer())
    _, head = arrow_ends(note.arrow_patch)
    assert np.allclose(head, ax.transData.transform((0.5, 0.5)))
    plt.close(fig)
