"""The combined grid and the room's charts, as a room sees them on the projector.

A rehearsal room of 30 learners (``write_demo_room``) in the workbook and projector
styles: the title clears the plot, every name is legible where a range line runs under
it, the names keep off the range lines where they can, the rings of stakeholders placed
in different quadrants are told apart, and a chart label cut short ("…") is given in
full in the view's table and text description.
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.text import Text

from partnership_lib.charts.labels import PointLabeller
from partnership_lib.core.style import style_context
from partnership_lib.facilitator import demo, room, views

STYLES = ("workbook", "projector")


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rehearsal")
    demo.write_demo_room(folder, 30, approve=True)
    return room.scan_room(folder)


def _drawn_grid(rehearsal, style_name):
    with style_context(style_name):
        ax = views.plot_room_grid(views.grid_table(rehearsal))
        ax.figure.canvas.draw()
    return ax, ax.figure.canvas.get_renderer()


def _by_gid(ax, gid):
    return next(a for a in ax.get_children() if a.get_gid() == gid)


def _names(ax) -> list[Text]:
    return [t for t in ax.texts if str(t.get_gid()).startswith("label:")]


@pytest.mark.parametrize("style_name", STYLES)
def test_the_title_clears_the_plot(rehearsal, style_name):
    ax, renderer = _drawn_grid(rehearsal, style_name)
    title = ax.title.get_window_extent(renderer)
    plot = ax.get_window_extent(renderer)
    size_px = ax.title.get_fontsize() * ax.figure.dpi / 72
    assert title.y0 - plot.y1 >= 0.25 * size_px, (title, plot)


@pytest.mark.parametrize("style_name", STYLES)
def test_names_are_legible_over_the_range_lines(rehearsal, style_name):
    ax, _ = _drawn_grid(rehearsal, style_name)
    whiskers = _by_gid(ax, "whiskers")
    names = _names(ax)
    assert len(names) == 13
    for name in names:
        # drawn after the range lines, on a backing that hides all but a trace of a
        # line running under it (a 15% grey line under black text keeps over 15:1)
        assert name.get_zorder() > whiskers.get_zorder(), name.get_text()
        backing = name.get_bbox_patch()
        assert backing is not None and to_rgba(backing.get_facecolor())[3] >= 0.85


@pytest.mark.parametrize("style_name", STYLES)
def test_names_keep_off_the_range_lines_where_they_can(rehearsal, style_name):
    ax, renderer = _drawn_grid(rehearsal, style_name)
    layout = next(a for a in ax.get_children() if isinstance(a, PointLabeller))
    segments = np.asarray(_by_gid(ax, "whiskers").get_segments(), float)
    avoided = {tuple(s.ravel()) for s in np.asarray(layout.soft_segments, float)}
    assert all(tuple(s.ravel()) in avoided for s in segments)

    def crossings(names) -> int:
        display = [ax.transData.transform(s) for s in segments]
        t = np.linspace(0, 1, 200)[:, None]
        count = 0
        for name in names:
            box = name.get_window_extent(renderer)
            for (x0, y0), (x1, y1) in display:
                xs, ys = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
                count += bool(((xs > box.x0) & (xs < box.x1) & (ys > box.y0) & (ys < box.y1)).any())
        return count

    placed = crossings(_names(ax))
    # the same names placed with the range lines ignored cross them more often (on a
    # projector the names are large for the grid, and fewer can keep clear)
    layout.set_points(layout.xy, soft_segments=np.zeros((0, 2, 2)))
    ax.figure.canvas.draw()
    ignored = crossings(_names(ax))
    assert placed < (0.5 if style_name == "workbook" else 0.9) * ignored, (placed, ignored)


@pytest.mark.parametrize("style_name", STYLES)
def test_rings_of_disagreement_are_told_apart(rehearsal, style_name):
    ax, _ = _drawn_grid(rehearsal, style_name)
    rings = _by_gid(ax, "disagreement")
    centres = ax.transData.transform(rings.get_offsets())
    radius = np.sqrt(rings.get_sizes().max()) / 2 * ax.figure.dpi / 72
    assert len(centres) == 3
    for i in range(len(centres)):
        for j in range(i + 1, len(centres)):
            assert np.hypot(*(centres[i] - centres[j])) >= 2 * radius, (i, j)
    # each ring's stakeholder is marked in its own name, not by the ring's colour alone
    assert sum(t.get_text().endswith(" *") for t in _names(ax)) == len(centres)


@pytest.mark.parametrize("key", ["assessment", "opportunities"])
@pytest.mark.parametrize("style_name", STYLES)
def test_a_label_cut_short_is_given_in_full_in_the_table_and_text(rehearsal, key, style_name):
    out = views.render_view(rehearsal, key, threshold=5, style_name=style_name)
    with style_context(style_name):
        table = views.shown_table(rehearsal, key, threshold=5)
        ax = views.room_view(key).plot(table)
    labels = [t.get_text() for t in ax.figure.findobj(Text) if t.get_text().endswith("…")]
    assert labels, f"{key}: expected some labels cut short in this room"
    cells = " ".join(str(v) for v in out.table.to_numpy().ravel())
    for label in labels:
        start = " ".join(label[:-1].split())
        assert start in " ".join(cells.split()), label
        assert start in " ".join(out.text.split()), label
        full = next(v for v in out.table.to_numpy().ravel() if start in " ".join(str(v).split()))
        assert len(str(full)) > len(start)  # the table holds more than the chart shows
