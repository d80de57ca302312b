"""Progress through the day: states from the store, the stacked bars and their live update."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex
from PIL import Image

from partnership_lib.charts.chart import render_chart
from partnership_lib.charts.live import LiveFigure
from partnership_lib.core.style import current_theme
from partnership_lib.models.progress import (
    describe_progress,
    plot_progress,
    update_progress,
    workbook_progress,
)


def _progress(**sessions):
    return {
        key: (title, {f"a{i}": (f"Activity {i}", s) for i, s in enumerate(states)})
        for key, (title, states) in sessions.items()
    }


def test_workbook_progress_reads_states_from_the_store(store):
    nb3 = "03_influencing_and_negotiation"
    store.save((nb3, "action_plan", "what"), "Meet the council")
    store.save((nb3, "self_assessment", "ratings"), {"x": 3})
    store.save((nb3, "self_assessment", "_status"), "complete")
    progress = workbook_progress(store=store)
    assert list(progress) == [
        "00_partnership_scenario",
        "01_concepts_and_contexts",
        "02_climate_for_change",
        nb3,
    ]
    title, activities = progress[nb3]
    assert title == "Influencing and Negotiation"
    assert activities["action_plan"][1] == "started"
    assert activities["self_assessment"][1] == "complete"
    assert activities["rate_relationship"][1] == "not started"


def test_plot_progress_draws_stacked_bars_with_counts_and_hatches():
    progress = _progress(
        s1=("First", ["complete", "started", "not started", "not started"]),
        s2=("Cost $5_000 \\ year", ["complete", "complete"]),
    )
    ax = plot_progress(progress)
    bars = {a.get_gid(): a for a in ax.patches if (a.get_gid() or "").startswith("progress:")}
    assert set(bars) == {
        "progress:s1:complete",
        "progress:s1:started",
        "progress:s1:not started",
        "progress:s2:complete",
    }
    assert bars["progress:s1:not started"].get_x() == pytest.approx(2)
    assert bars["progress:s1:not started"].get_width() == pytest.approx(2)
    assert bars["progress:s2:complete"].get_width() == pytest.approx(2)
    assert bars["progress:s1:started"].get_hatch() == "//"
    theme = current_theme()
    assert to_hex(bars["progress:s1:complete"].get_facecolor()) == to_hex(theme.score_colors[-1])
    counts = {t.get_gid(): t.get_text() for t in ax.texts}
    assert counts["count:s1:not started"] == "2"
    ticks = {t.get_text(): y for t, y in zip(ax.get_yticklabels(), ax.get_yticks(), strict=True)}
    assert ticks["First"] > ticks["Cost $5_000 \\ year"]  # first session at the top
    for text in ax.texts:
        assert text.get_fontsize() >= theme.small_text


def test_describe_progress_names_every_session_and_count():
    progress = _progress(
        s1=("First", ["complete", "started", "not started"]), s2=("Second", ["complete"])
    )
    text = describe_progress(progress)
    assert text.startswith("Progress through the workbook, 2 sessions: 2 activities complete")
    assert "First: 1 complete, 1 started, 1 not started." in text
    assert "Second: 1 complete, 0 started, 0 not started." in text
    assert "<" not in text


def test_progress_rejects_an_unknown_state():
    with pytest.raises(ValueError, match="activity 'a0': unknown state 'done'"):
        plot_progress(_progress(s1=("First", ["done"])))
    with pytest.raises(ValueError, match="session 's1': empty title"):
        describe_progress(_progress(s1=(" ", ["started"])))


def test_progress_chart_renders_in_every_style_with_alt_text():
    progress = _progress(s1=("First", ["complete", "started"]))
    for name in ("workbook", "projector", "high_contrast"):
        chart = render_chart(plot_progress, progress, style_name=name)
        assert chart.png.startswith(b"\x89PNG")
        assert chart.alt.startswith("Progress through the workbook")


# --------------------------------------------------------------------------- live update


def _bars(ax):
    out = {}
    for a in (*ax.patches, *ax.texts):
        gid = a.get_gid() or ""
        if gid.startswith("progress:"):
            out[gid] = (a.get_x(), a.get_width(), to_hex(a.get_facecolor()), a.get_hatch())
        elif gid.startswith("count:"):
            out[gid] = (a.get_text(), tuple(a.get_position()))
    return out


STEPS = [
    ["not started"] * 4,
    ["started", "not started", "not started", "not started"],
    ["complete", "started", "not started", "not started"],
    ["complete", "complete", "complete", "started"],
    ["complete"] * 4,
]


def test_update_progress_gives_the_artists_a_fresh_plot_gives():
    ax = plot_progress(_progress(s1=("First", STEPS[0]), s2=("Second", ["started"])))
    for states in STEPS[1:]:
        progress = _progress(s1=("First", states), s2=("Second", ["started"]))
        assert update_progress(ax, progress)
        assert _bars(ax) == _bars(plot_progress(progress))
        assert len(ax.containers) == len([g for g in _bars(ax) if g.startswith("progress:")])
    assert update_progress(ax, progress) == []


def test_update_progress_asks_for_a_full_draw_when_it_cannot_update():
    progress = _progress(s1=("First", ["started"]))
    ax = plot_progress(progress)
    assert update_progress(ax, _progress(s1=("Renamed", ["started"]))) is None
    assert update_progress(ax, _progress(s1=("First", ["started", "started"]))) is None
    assert update_progress(ax, progress, color="red") is None
    assert update_progress(plt.subplots()[1], progress) is None
    with pytest.raises(ValueError, match="unknown state 'done'"):
        update_progress(ax, _progress(s1=("First", ["done"])))


def test_live_progress_repaints_in_part_and_matches_a_full_draw():
    def pixels(data):
        return np.asarray(Image.open(io.BytesIO(data)).convert("RGBA")).astype(int)

    live = LiveFigure(style_name="workbook")
    first = _progress(s1=("First", STEPS[0]), s2=("Second", ["not started"]))
    live.render(lambda ax: plot_progress(first, ax=ax))
    for states in STEPS[1:]:
        progress = _progress(s1=("First", states), s2=("Second", ["not started"]))
        png = live.render(
            lambda ax, p=progress: plot_progress(p, ax=ax),
            lambda ax, p=progress: update_progress(ax, p),
        )
        assert live.last_path == "partial", states
        assert np.abs(pixels(png) - pixels(live.reference_png())).max() <= 2
