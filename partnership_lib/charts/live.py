"""Live charts: one long-lived figure that follows a widget, repainting only what changed.

Private. A live chart is drawn once in full (with its layout engine), then kept: pyplot
neither holds nor shows it. Each later change goes one of two ways:

- ``"full"``: the Axes is cleared and drawn again from scratch, layout included (the
  first picture, a style change, or a chart that has no updater);
- ``"partial"``: an updater changes the artists in place (``set_facecolor``,
  ``set_text``, ...) and says which ones it touched; the rectangles those artists
  covered before and cover now are repainted, each with every artist that overlaps it,
  in Matplotlib's own drawing order and clipped to it. Nothing else is drawn again.

A chart whose updater cannot say what changed (names placed at draw time by a
labeller, which moves them by itself) declares a :class:`Layer`: those artists are drawn
over a cached picture of the rest, and found changed by comparing what each one shows
with what it showed; the rectangles where they differ are repainted over the cached
picture (``"partial"``), or the whole layer is (``"layer"``) when items came or went.

The PNG is encoded in horizontal strips, each an independent deflate segment, so a
change re-compresses only the strips whose pixels changed (:class:`StripPNG`).

Every path gives the picture a full draw gives; :meth:`LiveFigure.reference_png` draws
one for checks (antialiased pixels at a repainted rectangle's edge may differ by a
few levels of 255).
"""

from __future__ import annotations

import io
import itertools
import math
import struct
import warnings
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backend_bases import GraphicsContextBase
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.collections import Collection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch
from matplotlib.path import Path
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox, IdentityTransform, TransformedPath

from partnership_lib.charts.chart import min_text_px
from partnership_lib.core.style import current_theme, style_context

__all__ = [
    "LAYER_SHARE",
    "Layer",
    "LiveFigure",
    "StripPNG",
    "arrow_ends",
    "clip_gc",
    "glyph_canvas",
    "marker_boxes",
    "merge_rects",
    "overlaps",
    "quiet_missing_glyphs",
]

Box = tuple[float, float, float, float]
Rect = tuple[int, int, int, int]
#: Repaint everything once the rectangles cover more than this share of the picture.
_FULL_SHARE = 0.6
#: Two rectangles merge when their union is at most this much bigger than both together.
_MERGE_SLACK = 1.5


# --------------------------------------------------------------------------- PNG in strips


class StripPNG:
    """A PNG encoder that re-compresses only the horizontal strips that changed.

    Rows are filtered with PNG's "Sub" filter (each byte minus the one a pixel to its
    left), which depends on nothing outside the row. Each strip of ``rows`` rows is
    compressed on its own and ended with a full flush, so the segments can be joined
    into one valid zlib stream in any combination; the Adler-32 is recomputed over
    the filtered rows. Pixels stay RGBA: dropping alpha costs a strided copy that is
    slower than compressing the (all-zero after filtering) alpha bytes.
    """

    def __init__(self, *, level: int = 1, rows: int = 16) -> None:
        self.level = level
        self.rows = rows
        self._last: np.ndarray | None = None
        self._filtered: list[bytes] = []
        self._segments: list[bytes] = []

    def encode(self, rgba: np.ndarray) -> bytes:
        """PNG bytes for an (height, width, 4) uint8 array."""
        height, width, _ = rgba.shape
        n = math.ceil(height / self.rows)
        if self._last is None or self._last.shape != rgba.shape:
            dirty = range(n)
            self._filtered = [b""] * n
            self._segments = [b""] * n
        else:
            # compare whole pixels as 32-bit words: a quarter of the work of bytes
            pixels = np.ascontiguousarray(rgba).view(np.uint32)[..., 0]
            diff = (self._last.view(np.uint32)[..., 0] != pixels).any(axis=1)
            pad = np.zeros(n * self.rows, dtype=bool)
            pad[:height] = diff
            dirty = np.flatnonzero(pad.reshape(n, self.rows).any(axis=1))
        flat = rgba.reshape(height, width * 4)
        for i in dirty:
            rows = flat[i * self.rows : (i + 1) * self.rows]
            out = np.empty((rows.shape[0], rows.shape[1] + 1), dtype=np.uint8)
            out[:, 0] = 1  # filter type Sub
            out[:, 1:5] = rows[:, :4]
            np.subtract(rows[:, 4:], rows[:, :-4], out=out[:, 5:])
            data = out.tobytes()
            packer = zlib.compressobj(self.level, zlib.DEFLATED, -15)
            self._filtered[i] = data
            self._segments[i] = packer.compress(data) + packer.flush(zlib.Z_FULL_FLUSH)
        self._last = np.array(rgba, copy=True)
        adler = 1
        for data in self._filtered:
            adler = zlib.adler32(data, adler)
        stream = b"".join(
            [b"\x78\x01", *self._segments, zlib.compressobj(1, zlib.DEFLATED, -15).flush()]
        ) + struct.pack(">I", adler)
        header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
        parts = (_chunk(b"IHDR", header), _chunk(b"IDAT", stream), _chunk(b"IEND", b""))
        return b"\x89PNG\r\n\x1a\n" + b"".join(parts)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# --------------------------------------------------------------------------- drawing order


def _paint_order(fig: Figure) -> list[Artist]:
    """Every artist a full draw paints, in the order Figure.draw and Axes.draw paint them."""
    out: list[Artist] = [fig.patch]
    top = sorted(
        (a for a in fig.get_children() if a is not fig.patch and not a.get_animated()),
        key=attrgetter("zorder"),
    )
    for artist in top:
        if not artist.get_visible():
            continue
        if isinstance(artist, Axes):
            out += _axes_order(artist)
        else:
            out.append(artist)
    return out


def _axes_order(ax: Axes) -> list[Artist]:
    artists = ax.get_children()
    artists.remove(ax.patch)
    # Axes.draw leaves out the spines and patch of an unframed Axes, and its Axis
    # artists when the axes are off (public: get_frame_on, axison, Axis instances)
    framed = ax.axison and ax.get_frame_on()
    if not framed:
        for spine in ax.spines.values():
            artists.remove(spine)
    if not ax.axison:
        artists = [a for a in artists if not isinstance(a, Axis)]
    artists = sorted((a for a in artists if not a.get_animated()), key=attrgetter("zorder"))
    return ([ax.patch] if framed else []) + [a for a in artists if a.get_visible()]


def clip_gc(clip: Bbox):
    """A graphics context class that never draws outside ``clip`` (display pixels)."""

    class _ClippedGC(GraphicsContextBase):
        def __init__(self) -> None:
            super().__init__()
            self.set_clip_rectangle(None)

        def set_clip_rectangle(self, rectangle) -> None:
            box = clip if rectangle is None else Bbox.intersection(rectangle, clip)
            # Agg treats an all-zero rectangle as "no clipping": use one off the canvas.
            super().set_clip_rectangle(box if box is not None else Bbox([[-3, -3], [-2, -2]]))

    return _ClippedGC


#: Lives as long as the module, so no other path ever has its id (see _forget_clip_mask).
_MASK_RESET = Path([(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)], closed=True)
_MASK_RESET_CLIP = TransformedPath(_MASK_RESET, IdentityTransform())


def _forget_clip_mask(renderer: RendererAgg) -> None:
    """Make Agg rasterise the next clip path afresh, for the rectangle then in force.

    Agg keeps the mask of the last clip path it drew (keyed on the path object and its
    transform), rasterised only inside the clip rectangle in force at the time. A repaint
    draws one rectangle after another: artists clipped to a path (a polar chart's circle)
    would reuse the previous rectangle's mask and leave gaps. Drawing nothing (off the
    canvas) under a clip path no artist uses replaces the kept mask.
    """
    gc = GraphicsContextBase()
    gc.set_clip_rectangle(Bbox([[-3, -3], [-2, -2]]))
    gc.set_clip_path(_MASK_RESET_CLIP)
    renderer.draw_path(gc, _MASK_RESET, IdentityTransform())


def _pad(box: Bbox, px: float) -> Box:
    return (box.x0 - px, box.y0 - px, box.x1 + px, box.y1 + px)


def _boxes(artist: Artist, renderer, everything: Box) -> list[Box]:
    """Display rectangles that cover everything ``artist`` paints (generously)."""
    if not artist.get_visible():
        return []
    px = artist.figure.dpi / 72.0
    try:
        if isinstance(artist, Axis):
            ticks = max(artist.get_tick_params().get("length", 3.5), 3.5)
            box = artist.get_tightbbox(renderer)
            out = [] if box is None else [_pad(box, (ticks + 4) * px + 2)]
            # The tight box leaves out grid lines, which the Axis draws too: a repaint
            # crossing one must draw the Axis again, or the line has a gap there.
            # The path as drawn: a polar grid circle's two data points are one pixel.
            for line in artist.get_gridlines():
                if line.get_visible():
                    grid = line.get_transform().transform_path(line.get_path()).get_extents()
                    out.append(_pad(grid, line.get_linewidth() * px + 3))
            return out
        if isinstance(artist, Text):
            if not artist.get_text():
                return []
            box = Text.get_window_extent(artist, renderer)
            out = [_pad(box, 3)]
            # (an Annotation's extent includes its arrow)
            patch = artist.get_bbox_patch()
            if patch is not None:
                artist.update_bbox_position_size(renderer)
                out.append(_pad(patch.get_window_extent(renderer), patch.get_linewidth() * px + 3))
            if isinstance(artist, Annotation) and artist.arrow_patch is not None:
                # The arrow runs from the text to the point it annotates: cover both
                # ends (cheaper than asking Matplotlib for the clipped arrow path);
                # update_positions sets them, in display pixels, as a draw does.
                arrow = artist.arrow_patch
                artist.update_positions(renderer)
                reach = (arrow.get_mutation_scale() + arrow.get_linewidth()) * px + 3
                for x, y in arrow_ends(arrow) or ():
                    out.append((x - reach, y - reach, x + reach, y + reach))
                x0 = min(b[0] for b in out)
                y0 = min(b[1] for b in out)
                x1 = max(b[2] for b in out)
                y1 = max(b[3] for b in out)
                return [(x0, y0, x1, y1)]
            return out
        if isinstance(artist, Line2D):
            lw = artist.get_linewidth() * px
            return [_pad(artist.get_window_extent(renderer), lw + 3)]
        if isinstance(artist, Patch):
            lw = (artist.get_linewidth() or 0) * px
            return [_pad(artist.get_window_extent(renderer), lw + 3)]
        box = artist.get_window_extent(renderer)
        if not np.isfinite(box.get_points()).all():
            return _marker_boxes(artist) or [everything]
        return [_pad(box, 4)]
    except (AttributeError, TypeError, ValueError, RuntimeError):
        return [everything]


def marker_boxes(collection: Collection) -> np.ndarray:
    """Display rectangles, one a row ``(x0, y0, x1, y1)``, around a scatter's markers.

    A scatter's markers are sized in points around offsets in data space, so
    ``get_window_extent`` finds no extent; each marker covers at most its size's square
    root in points across (plus its edge) around its offset in display pixels: a generous
    reach, for markers scaled to equal areas (a triangle is drawn larger than its size).
    """
    offsets = np.asarray(collection.get_offsets(), dtype=float).reshape(-1, 2)
    if not len(offsets):
        return np.zeros((0, 4))
    points = collection.get_offset_transform().transform(offsets)
    px = collection.figure.dpi / 72.0
    sizes = collection.get_sizes()
    edge = max(np.max(collection.get_linewidths(), initial=0.0), 0.0)
    reach = (math.sqrt(float(np.max(sizes, initial=36.0))) + edge) * px + 3
    return np.hstack([points - reach, points + reach])


def _marker_boxes(artist: Artist) -> list[Box]:
    """:func:`marker_boxes` as a list, for a collection of at most 50 markers."""
    if not isinstance(artist, Collection) or not 0 < len(artist.get_offsets()) <= 50:
        return []
    return [tuple(map(float, b)) for b in marker_boxes(artist) if np.isfinite(b).all()]


def merge_rects(
    boxes: Iterable[Box], width: int, height: int, *, slack: float = _MERGE_SLACK
) -> list[tuple[int, int, int, int]]:
    """Whole-pixel rectangles inside the canvas covering ``boxes``.

    Two overlapping rectangles become one when their bounding rectangle is at most
    ``slack`` times the two together; others stay apart (they may overlap, which is
    fine: each one is repainted completely).
    """

    def area(r: list[int]) -> int:
        return (r[2] - r[0]) * (r[3] - r[1])

    rects: list[list[int]] = []
    for x0, y0, x1, y1 in boxes:
        if not math.isfinite(x0 + y0 + x1 + y1):
            continue  # a marker at a non-finite place paints nothing
        r = [
            max(0, math.floor(x0)),
            max(0, math.floor(y0)),
            min(width, math.ceil(x1)),
            min(height, math.ceil(y1)),
        ]
        if r[2] > r[0] and r[3] > r[1]:
            rects.append(r)
    merged = True
    while merged:
        merged = False
        out: list[list[int]] = []
        for r in rects:
            for o in out:
                if r[0] <= o[2] and o[0] <= r[2] and r[1] <= o[3] and o[1] <= r[3]:
                    union = [min(o[0], r[0]), min(o[1], r[1]), max(o[2], r[2]), max(o[3], r[3])]
                    if area(union) <= slack * (area(o) + area(r)):
                        o[:] = union
                        merged = True
                        break
            else:
                out.append(r)
        rects = out
    return [(r[0], r[1], r[2], r[3]) for r in rects]


def overlaps(box: Box, rect: tuple[int, int, int, int]) -> bool:
    return box[0] < rect[2] and rect[0] < box[2] and box[1] < rect[3] and rect[1] < box[3]


# --------------------------------------------------------------------------- the animated layer

#: FancyArrowPatch keeps the two ends it was given here; it has no public getter.
ARROW_ENDS_ATTRIBUTE = "_posA_posB"

#: A layer's lines and arrows are followed as boxes along pieces this long (pixels), so a
#: long diagonal line does not make dirty the whole rectangle it spans.
_PIECE = 40.0

#: A layer repaint by rectangles stops paying once it would draw more than this share of
#: the layer's counted texts (drawing text is most of its cost): the whole layer is drawn
#: over the background instead. A share of texts, not of the area as ``_FULL_SHARE``:
#: restoring the background costs next to nothing, drawing the names is what costs.
LAYER_SHARE = 0.7


def arrow_ends(arrow: FancyArrowPatch) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The two ends a :class:`~matplotlib.patches.FancyArrowPatch` joins, as it was given them.

    ``None`` for an arrow made from a path. Matplotlib sets the ends (``set_positions``)
    but has no getter for them; this is the only access to the private attribute, and
    ``tests/charts`` fails by name if a Matplotlib release renames it.
    """
    ends = getattr(arrow, ARROW_ENDS_ATTRIBUTE, None)
    if ends is None:
        return None
    (xa, ya), (xb, yb) = ends
    return (xa, ya), (xb, yb)


@dataclass(frozen=True, slots=True)
class Layer:
    """Which artists of a live chart form its animated layer, drawn over a cached background.

    For a chart whose updater cannot tell which artists it changed: an artist that places
    others when it is drawn (a labeller moving names out of each other's way) decides
    that only at draw time. A :class:`LiveFigure` given a layer keeps a picture of every
    other artist (the background, drawn with the layout) and draws the layer over it.
    After an update it compares what each layer artist shows (text, position, colour,
    data) with what it showed, by gid, and repaints only the rectangles that differ.

    The chart's module declares its layer with
    :func:`~partnership_lib.charts.chart.declare_chart`; artists outside the layer must not
    change in an update, except the legend (a changed legend redraws everything, layout
    included: the key beside an Axes can move it).

    Attributes
    ----------
    gids
        Gids of layer artists.
    prefixes
        Gid prefixes of layer artists, one artist per item (``"label:"`` for ``"label:<name>"``).
    markers
        Gids of marker collections in the layer, followed marker by marker: a moved
        marker repaints its old and new place only.
    rebuild
        The marker collection whose count or look changing means items came or went:
        the whole layer is drawn again (path ``"layer"``).
    placer
        Gid of the layer artist that places others when drawn; its ``relayout(renderer)``
        is called before the comparison, and it paints nothing itself.
    counted
        Gid prefix of the texts a repaint by rectangles is judged by (see
        :data:`LAYER_SHARE`).
    """

    gids: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()
    rebuild: str | None = None
    placer: str | None = None
    counted: str | None = None

    def holds(self, gid: str) -> bool:
        """Whether an artist with ``gid`` belongs to the layer."""
        return gid in self.gids or gid in self.markers or gid.startswith(self.prefixes)


@dataclass(slots=True)
class _Item:
    """One layer artist: what decides its pixels besides where it is, and where it is."""

    state: Any
    boxes: list[Box]


@dataclass(slots=True)
class _Markers:
    """One layer marker collection: its look, and each marker's place and box."""

    state: Any
    offsets: np.ndarray
    boxes: np.ndarray  # (n, 4) display boxes


def _pieces(xy: np.ndarray, pad: float) -> list[Box]:
    """Boxes along a polyline in display pixels (a long diagonal stays cheap)."""
    boxes: list[Box] = []
    for (xa, ya), (xb, yb) in itertools.pairwise(xy):
        pieces = max(1, math.ceil(math.hypot(xb - xa, yb - ya) / _PIECE))
        t = np.linspace(0.0, 1.0, pieces + 1)
        xs, ys = xa + (xb - xa) * t, ya + (yb - ya) * t
        for k in range(pieces):
            boxes.append(
                (
                    float(min(xs[k], xs[k + 1]) - pad),
                    float(min(ys[k], ys[k + 1]) - pad),
                    float(max(xs[k], xs[k + 1]) + pad),
                    float(max(ys[k], ys[k + 1]) + pad),
                )
            )
    return boxes


def _layer_state(artist: Artist) -> Any:
    """Everything about a layer artist that decides its pixels (its boxes follow from it)."""
    if not artist.get_visible():
        return ("hidden",)
    if isinstance(artist, Text):
        return (
            "text",
            artist.get_text(),
            tuple(artist.get_position()),
            artist.get_fontsize(),
            str(artist.get_color()),
        )
    if isinstance(artist, Line2D):
        return (
            "line",
            artist.get_xydata().tobytes(),
            str(artist.get_color()),
            artist.get_linewidth(),
        )
    ends = arrow_ends(artist) if isinstance(artist, FancyArrowPatch) else None
    if ends is not None:
        return (
            "arrow",
            ends,
            str(artist.get_edgecolor()),
            artist.get_linewidth(),
            artist.get_mutation_scale(),
        )
    return ("other", id(artist))  # unknown: changed whenever it is replaced


def _layer_boxes(artist: Artist, state: Any, renderer, everything: Box) -> list[Box]:
    """Display rectangles covering a layer artist; lines and arrows piece by piece."""
    px = artist.figure.dpi / 72.0
    if state[0] == "line":
        xy = artist.get_transform().transform(artist.get_xydata())
        return _pieces(xy, artist.get_linewidth() * px + 3)
    if state[0] == "arrow":
        xy = artist.get_transform().transform(list(state[1]))
        return _pieces(xy, (artist.get_mutation_scale() + artist.get_linewidth()) * px + 3)
    return _boxes(artist, renderer, everything)


def _markers_of(collection: Collection) -> _Markers:
    state = (
        np.asarray(collection.get_facecolors()).tobytes(),
        np.asarray(collection.get_edgecolors()).tobytes(),
        np.asarray(collection.get_sizes()).tobytes(),
        np.asarray(collection.get_linewidths()).tobytes(),
        b"".join(p.vertices.tobytes() for p in collection.get_paths()),
    )
    offsets = np.array(collection.get_offsets(), dtype=float).reshape(-1, 2)
    return _Markers(state, offsets, marker_boxes(collection))


def _break_ties(ax: Axes, layer: list[Artist]) -> None:
    """Lift layer artists that share a zorder with a background artist a hair above it.

    Matplotlib draws equal zorders in the order the artists were added, so a leader line
    (2.5) goes under a spine (2.5) in a full draw but over it when drawn over the cached
    background. Lifting it by 1e-6 makes both draws the same.
    """
    ours = {id(a) for a in layer}
    taken = {a.get_zorder() for a in ax.get_children() if id(a) not in ours}
    for artist in layer:
        if artist.get_zorder() in taken:
            artist.set_zorder(artist.get_zorder() + 1e-6)


def _legend_signature(ax: Axes) -> Any:
    """What the Axes' legend shows: when it changes, the layout may change with it."""
    legend = ax.get_legend()
    if legend is None:
        return None
    handles = tuple(
        (
            getattr(h, "get_marker", lambda: None)(),
            str(getattr(h, "get_markerfacecolor", lambda: None)()),
            str(getattr(h, "get_markeredgecolor", lambda: None)()),
        )
        for h in legend.legend_handles
    )
    texts = tuple(t.get_text() for t in legend.get_texts())
    return legend.get_title().get_text(), texts, handles


# --------------------------------------------------------------------------- the live figure


class LiveFigure:
    """One long-lived figure, drawn in full once and then repainted where it changed.

    Parameters
    ----------
    style_name
        The style to draw in; the active one when omitted. Assign :attr:`style_name`
        to switch (the next render is a full one).
    compress_level
        zlib level for the PNG strips (1 is fast; the picture is the same at every level).
    layer
        For a chart whose updater cannot say what it changed (see :class:`Layer`): its
        layer is drawn over a cached background and found changed by comparing states.
        Its pictures are made one of these ways (besides ``"full"`` and ``"unchanged"``):
        ``"partial"``, the rectangles where a layer artist moved, appeared or went,
        each restored from the background and drawn again with the layer artists that
        overlap it; ``"layer"``, the whole layer over the background, when items came or
        went, or when that is cheaper (:data:`LAYER_SHARE`). A changed legend redraws
        everything with the layout (``"full"``).

    Attributes
    ----------
    fig, ax
        The figure and its Axes (``None`` until the first render).
    png : bytes
        The latest picture.
    last_path : str
        ``"full"``, ``"partial"``, ``"layer"`` (with a layer only) or ``"unchanged"``:
        how the latest picture was made.
    last_rects : list of (x0, y0, x1, y1)
        The rectangles the latest ``"partial"`` picture repainted (display pixels).
    min_text_px : float or None
        The smallest text in the picture, in its pixels, measured at a full draw and,
        with a layer, at a layer draw (where names may have come or gone).
    """

    def __init__(
        self,
        *,
        style_name: str | None = None,
        compress_level: int = 1,
        layer: Layer | None = None,
    ) -> None:
        self.style_name = style_name or current_theme().name
        self.layer = layer
        self.fig: Figure | None = None
        self.ax: Axes | None = None
        self.png = b""
        self.last_path = ""
        self.last_rects: list[tuple[int, int, int, int]] = []
        self.min_text_px: float | None = None
        self._drawn_style: str | None = None
        self._canvas: FigureCanvasAgg | None = None
        self._layout = None
        self._order: list[Artist] = []
        self._boxes: dict[int, list[Box]] = {}
        self._encoder = StripPNG(level=compress_level)
        # with a layer: the picture without it, and what the layer showed there
        self._background: np.ndarray | None = None
        self._legend: Any = None
        self._items: dict[str, _Item] = {}
        self._markers: dict[str, _Markers] = {}

    @property
    def size(self) -> tuple[int, int]:
        """Width and height of the picture in pixels."""
        assert self.fig is not None
        w, h = self.fig.canvas.get_width_height()
        return int(w), int(h)

    def render(
        self,
        draw: Callable[[Axes | None], Axes],
        update: Callable[[Axes], Iterable[Artist] | None] | None = None,
    ) -> bytes:
        """Show new data and return the PNG.

        ``draw(ax)`` draws the chart from scratch and returns its Axes: given ``None``, on a
        figure of its own (as a ``plot_*`` function does when given no Axes, sizing the
        figure for its content); given the chart's Axes, cleared, on the same figure (a
        full redraw in the same style). ``update(ax)``, when given and the figure is
        already drawn in the same style, changes the artists in place and returns the
        artists it changed or added (removed ones are noticed; with a :class:`Layer`, the
        layer is compared instead); returning ``None`` asks for a full draw instead.
        Names in scripts the chart font lacks are drawn as boxes without a warning.
        """
        with style_context(self.style_name), quiet_missing_glyphs():
            if self.fig is None or self._drawn_style != self.style_name or update is None:
                return self._full(draw)
            changed = update(self.ax)
            if changed is None:
                return self._full(draw)
            if self.layer is not None:
                return self._partial_layer()
            return self._partial(list(changed))

    def reference_png(self) -> bytes:
        """Draw the whole figure again as it stands, with a plain canvas (for checks).

        No cached background, no cached glyphs: an independent check of what
        :meth:`render` shows.
        """

        from PIL import Image

        assert self.fig is not None
        layer = self._layer_artists()
        for artist in layer:
            artist.set_animated(False)
        plain = FigureCanvasAgg(self.fig)
        try:
            with style_context(self.style_name), quiet_missing_glyphs():
                plain.draw()
            buf = io.BytesIO()
            Image.fromarray(np.asarray(plain.buffer_rgba())).save(buf, format="png")
            return buf.getvalue()
        finally:
            self.fig.set_canvas(self._canvas)
            for artist in layer:
                artist.set_animated(True)

    # -- paths --------------------------------------------------------------------------
    def _full(self, draw: Callable[[Axes | None], Axes]) -> bytes:
        if self.fig is None or self._drawn_style != self.style_name:
            ax = draw(None)
            plt.close(ax.figure)  # keep the Figure; pyplot must neither hold nor show it
            if self.fig is not None:
                self.fig.clear()
            self.fig, self.ax = ax.figure, ax
            self._layout = self.fig.get_layout_engine()
            self._canvas = glyph_canvas(self.fig)
        else:  # the same figure and layout, drawn again from scratch
            self.fig.set_layout_engine(self._layout)
            self.ax.clear()
            draw(self.ax)
        self._drawn_style = self.style_name
        return self._draw_all()

    def _draw_all(self) -> bytes:
        """Draw every artist, with the layout the figure was made with."""
        layer = self._layer_artists()  # animated: canvas.draw leaves them out
        self.fig.set_layout_engine(self._layout)
        self._canvas.draw()
        # Keep the layout this draw found: updates must not move the Axes.
        self.fig.set_layout_engine("none")
        renderer = self._canvas.get_renderer()
        if self.layer is None:
            self._remember(renderer)
        else:
            self._background = np.asarray(self._canvas.buffer_rgba()).copy()
            self._legend = _legend_signature(self.ax)
            self._items = {}  # the Axes may have moved: no box is kept
            self._paint_layer(layer, renderer)
        self.min_text_px = min_text_px(self.fig)
        self.last_path = "full"
        self.last_rects = []
        return self._encode()

    def _remember(self, renderer) -> None:
        width, height = self.size
        everything = (0.0, 0.0, float(width), float(height))
        self._order = _paint_order(self.fig)
        self._boxes = {id(a): _boxes(a, renderer, everything) for a in self._order}

    def _partial(self, changed: list[Artist]) -> bytes:
        renderer = self._canvas.get_renderer()
        width, height = self.size
        everything = (0.0, 0.0, float(width), float(height))
        order = _paint_order(self.fig)
        now = {id(a) for a in order}
        dirty: list[Box] = []
        for key, boxes in self._boxes.items():
            if key not in now:  # removed or hidden since the last picture
                dirty += boxes
        boxes = {}
        touched = {id(a) for a in changed}
        for artist in order:
            key = id(artist)
            if key in touched or key not in self._boxes:
                boxes[key] = _boxes(artist, renderer, everything)
                dirty += self._boxes.get(key, []) + boxes[key]
            else:
                boxes[key] = self._boxes[key]
        for artist in changed:  # changed but not drawn now: what it covered must go
            if id(artist) not in now:
                dirty += self._boxes.get(id(artist), [])
        self._order, self._boxes = order, boxes
        if not dirty:
            return self._unchanged()
        rects = merge_rects(dirty, width, height)
        if sum((r[2] - r[0]) * (r[3] - r[1]) for r in rects) > _FULL_SHARE * width * height:
            self._canvas.draw()
            self.last_path = "full"
            self.last_rects = []
            return self._encode()
        plan = [
            (rect, [a for a in order if any(overlaps(b, rect) for b in boxes[id(a)])])
            for rect in rects
        ]
        return self._repaint(plan, base=None)

    def _unchanged(self) -> bytes:
        self.last_path = "unchanged"
        self.last_rects = []
        return self.png

    def _repaint(self, plan: list[tuple[Rect, list[Artist]]], *, base: np.ndarray | None) -> bytes:
        """Paint each rectangle afresh: ``base`` (or a fresh canvas), then its artists, clipped.

        Each rectangle ends up exactly as a full draw paints it, whatever was there
        before, so rectangles may overlap.
        """
        renderer = self._canvas.get_renderer()
        pixels = np.asarray(self._canvas.buffer_rgba())
        height = pixels.shape[0]
        for (x0, y0, x1, y1), artists in plan:
            rows = slice(height - y1, height - y0)
            if base is None:
                pixels[rows, x0:x1] = (255, 255, 255, 0)  # a fresh Agg canvas is transparent white
            else:
                pixels[rows, x0:x1] = base[rows, x0:x1]
            renderer.new_gc = clip_gc(Bbox.from_extents(x0, y0, x1, y1))
            try:
                for artist in artists:
                    artist.draw(renderer)
            finally:
                del renderer.new_gc
                _forget_clip_mask(renderer)
        self.last_path = "partial"
        self.last_rects = [rect for rect, _ in plan]
        return self._encode()

    # -- the layer ----------------------------------------------------------------------
    def _layer_artists(self) -> list[Artist]:
        """The layer's artists in drawing order, animated (none without a layer)."""
        if self.layer is None or self.ax is None:
            return []
        out = [a for a in self.ax.get_children() if self.layer.holds(str(a.get_gid() or ""))]
        _break_ties(self.ax, out)
        out.sort(key=attrgetter("zorder"))
        for artist in out:
            artist.set_animated(True)  # left out of canvas.draw(): that is the background
        return out

    def _paint_layer(self, layer: list[Artist], renderer) -> None:
        for artist in layer:
            artist.draw(renderer)
        self._items, self._markers = self._snapshot(layer, renderer)

    def _draw_layer(self, layer: list[Artist]) -> bytes:
        """The whole layer over the background (path ``"layer"``)."""
        np.asarray(self._canvas.buffer_rgba())[...] = self._background
        self._paint_layer(layer, self._canvas.get_renderer())
        self.min_text_px = min_text_px(self.fig)
        self.last_path = "layer"
        self.last_rects = []
        return self._encode()

    def _snapshot(
        self, layer: list[Artist], renderer
    ) -> tuple[dict[str, _Item], dict[str, _Markers]]:
        """What the layer shows now; boxes of unchanged artists are taken from before."""
        width, height = self.size
        everything = (0.0, 0.0, float(width), float(height))
        items: dict[str, _Item] = {}
        markers: dict[str, _Markers] = {}
        for artist in layer:
            gid = str(artist.get_gid())
            if gid == self.layer.placer:
                continue
            if gid in self.layer.markers:
                markers[gid] = _markers_of(artist)
                continue
            state = _layer_state(artist)
            before = self._items.get(gid)
            if before is not None and before.state == state:
                items[gid] = _Item(state, before.boxes)
            else:
                items[gid] = _Item(state, _layer_boxes(artist, state, renderer, everything))
        return items, markers

    def _layer_dirty(
        self, items: dict[str, _Item], markers: dict[str, _Markers]
    ) -> list[Box] | None:
        """Boxes where the layer differs from the last picture; ``None``: draw it whole."""
        dirty: list[Box] = []
        for gid in self._items.keys() | items.keys():
            old, new = self._items.get(gid), items.get(gid)
            if old is None or new is None or old.state != new.state:
                dirty += (old.boxes if old else []) + (new.boxes if new else [])
        for gid in self._markers.keys() | markers.keys():
            old, new = self._markers.get(gid), markers.get(gid)
            if old and new and old.state == new.state and len(old.offsets) == len(new.offsets):
                moved = np.flatnonzero((old.offsets != new.offsets).any(axis=1))
                dirty += [tuple(b) for b in old.boxes[moved]] + [tuple(b) for b in new.boxes[moved]]
            elif gid == self.layer.rebuild:
                return None  # items added, removed or restyled
            else:
                dirty += [tuple(b) for m in (old, new) if m is not None for b in m.boxes]
        return dirty

    def _layer_plan(
        self, rects: list[Rect], layer: list[Artist], items: dict[str, _Item], markers
    ) -> list[tuple[Rect, list[Artist]]]:
        """For each rectangle, the layer artists that overlap it, in drawing order."""
        plan = []
        for rect in rects:
            artists = []
            for artist in layer:
                gid = str(artist.get_gid())
                if gid == self.layer.placer:
                    continue
                if gid in markers:
                    b = markers[gid].boxes
                    hit = (b[:, 0] < rect[2]) & (rect[0] < b[:, 2])
                    if len(b) and (hit & (b[:, 1] < rect[3]) & (rect[1] < b[:, 3])).any():
                        artists.append(artist)
                elif any(overlaps(box, rect) for box in items[gid].boxes):
                    artists.append(artist)
            plan.append((rect, artists))
        return plan

    def _partial_layer(self) -> bytes:
        if _legend_signature(self.ax) != self._legend:
            return self._draw_all()
        layer = self._layer_artists()
        renderer = self._canvas.get_renderer()
        for artist in layer:
            if artist.get_gid() == self.layer.placer:
                artist.relayout(renderer)  # place the others now, to see which ones moved
        items, markers = self._snapshot(layer, renderer)
        dirty = self._layer_dirty(items, markers)
        if dirty is None:
            return self._draw_layer(layer)
        self._items, self._markers = items, markers
        if not dirty:
            return self._unchanged()
        rects = merge_rects(dirty, *self.size)
        plan = self._layer_plan(rects, layer, items, markers)
        counted = self.layer.counted
        if counted is not None:
            texts = sum(1 for gid in items if gid.startswith(counted))
            drawn = sum(1 for _, a in plan for x in a if str(x.get_gid()).startswith(counted))
            if drawn > LAYER_SHARE * texts:
                return self._draw_layer(layer)
        return self._repaint(plan, base=self._background)

    def _encode(self) -> bytes:
        self.png = self._encoder.encode(np.asarray(self._canvas.buffer_rgba()))
        return self.png


@contextmanager
def quiet_missing_glyphs() -> Iterator[None]:
    """Draw names in scripts the chart font lacks (as boxes) without a warning each time.

    The exact name is still in the table and the chart's text description.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=r"Glyph .* missing from font", category=UserWarning
        )
        yield


_GLYPH_CACHE_SIZE = 1000  # texts whose rendered glyphs are kept, per canvas

#: A private Matplotlib attribute this package uses (see :func:`agg_core`; the other is
#: :data:`ARROW_ENDS_ATTRIBUTE`).
AGG_CORE_ATTRIBUTE = "_renderer"


def agg_core(renderer: RendererAgg) -> Any:
    """The C++ rasteriser inside a :class:`RendererAgg`, which draws glyph images.

    Matplotlib has no public way to replay a text's rasterised glyphs, so the glyph
    cache calls the C++ object's ``draw_text_image`` itself and, while a text is drawn
    for the first time, puts a recorder in its place (:func:`recording_glyphs`). This is
    the only access to the private ``_renderer`` attribute; ``tests/charts`` fails
    loudly if a Matplotlib release renames it or stops drawing text through it.
    """
    return getattr(renderer, AGG_CORE_ATTRIBUTE)


@contextmanager
def recording_glyphs(renderer: RendererAgg) -> Iterator[_Recorder]:
    """Note the glyph images ``renderer`` draws inside the block (see :func:`agg_core`)."""
    recorder = _Recorder(agg_core(renderer))
    setattr(renderer, AGG_CORE_ATTRIBUTE, recorder)
    try:
        yield recorder
    finally:
        setattr(renderer, AGG_CORE_ATTRIBUTE, recorder.real)


class _Recorder:
    """Stands in for Agg's C++ renderer while one text is drawn, noting its glyph images."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.calls: list[tuple[Any, int, int, float]] = []
        self.cacheable = True

    def draw_text_image(self, image, x, y, angle, gc) -> None:

        if isinstance(image, np.ndarray):
            self.calls.append((image.copy(), x, y, angle))
        else:  # an older Matplotlib hands over a font object: draw, but do not keep
            self.cacheable = False
        self.real.draw_text_image(image, x, y, angle, gc)

    def __getattr__(self, name: str) -> Any:
        self.cacheable = False  # anything but glyph images: do not replay it
        return getattr(self.real, name)


def glyph_canvas(figure):
    """An Agg canvas whose renderer keeps each text's rasterised glyphs for reuse.

    Drawing text is most of the cost of a repaint, and most names are drawn again at
    exactly the same place. The renderer keys each text on its string, font, exact
    position, angle and antialiasing, records the glyph images Agg draws for it, and
    next time replays them with the current colour and clip: the same pixels, without
    laying out and rasterising the glyphs again.
    """

    class _GlyphCacheRenderer(RendererAgg):
        def __init__(self, width, height, dpi) -> None:
            super().__init__(width, height, dpi)
            self._glyphs: OrderedDict[Any, list[tuple[Any, int, int, float]]] = OrderedDict()

        def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
            if ismath:
                return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            key = (
                s,
                tuple(prop.get_family()),
                prop.get_style(),
                prop.get_variant(),
                prop.get_weight(),
                prop.get_stretch(),
                prop.get_size_in_points(),
                str(prop.get_file()),
                float(x),
                float(y),
                float(angle),
                bool(gc.get_antialiased()),
                str(getattr(mtext, "get_fontfeatures", lambda: None)()),
                str(getattr(mtext, "get_language", lambda: None)()),
                mpl.rcParams["text.hinting"],
                mpl.rcParams["text.hinting_factor"],
            )
            calls = self._glyphs.get(key)
            if calls is not None:
                self._glyphs.move_to_end(key)
                core = agg_core(self)
                for image, ix, iy, turn in calls:
                    core.draw_text_image(image, ix, iy, turn, gc)
                return None
            with recording_glyphs(self) as recorder:
                super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            if recorder.cacheable:
                self._glyphs[key] = recorder.calls
                if len(self._glyphs) > _GLYPH_CACHE_SIZE:
                    self._glyphs.popitem(last=False)
            return None

    class _GlyphCacheCanvas(FigureCanvasAgg):
        glyph_renderer_key: tuple[int, int, float] | None = None

        def get_renderer(self):
            # FigureCanvasAgg.get_renderer, with our renderer: a new one only when the
            # canvas size or dpi changed (our own key, not Agg's private _lastKey)
            width, height = self.get_width_height(physical=True)
            key = width, height, self.figure.dpi
            if self.glyph_renderer_key != key:
                self.renderer = _GlyphCacheRenderer(width, height, self.figure.dpi)
                self.glyph_renderer_key = key
            return self.renderer

    return _GlyphCacheCanvas(figure)
