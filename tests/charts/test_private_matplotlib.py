"""The one private Matplotlib attribute the live charts use, checked so a release that
changes it fails here, by name, rather than as a wrong picture somewhere else."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

from partnership_lib.charts.live import (
    AGG_CORE_ATTRIBUTE,
    agg_core,
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
