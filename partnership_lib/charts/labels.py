"""Deterministic, collision-free placement of point labels.

Two layers:

* :func:`place_labels` is pure geometry in display (pixel) coordinates. Each label is
  tried at offsets around its point on square "rings" of growing size, in a fixed order
  of directions, and placed greedily (most crowded points first) at the cheapest spot
  that overlaps no point marker, no other label and no fixed obstacle and stays inside
  the bounds. Soft costs steer labels away from divider lines, arrows and leader lines
  that would cross other labels. When no ring has room the search widens to a grid over
  the whole bounds; labels are never shrunk.
* :class:`PointLabeller` is an invisible matplotlib artist that runs the placement at
  draw time, once the layout and dpi are final, and moves the label ``Text`` artists and
  their leader lines. It caches label extents (by text, font and dpi) and the last
  placement, so a redraw with unchanged data costs almost nothing.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.artist import Artist
from matplotlib.transforms import Bbox

__all__ = [
    "Placement",
    "PointLabeller",
    "measure",
    "place_labels",
]

_s = np.sqrt(0.5)
_c1, _c2 = np.cos(np.pi / 8), np.sin(np.pi / 8)
# Unit directions in order of preference: beside the point reads best, then the
# diagonals, then above and below, then the in-between angles.
_DIRECTIONS = np.array(
    [
        (1, 0),
        (-1, 0),
        (_s, _s),
        (_s, -_s),
        (-_s, _s),
        (-_s, -_s),
        (0, 1),
        (0, -1),
        (_c1, _c2),
        (_c1, -_c2),
        (-_c1, _c2),
        (-_c1, -_c2),
        (_c2, _c1),
        (-_c2, _c1),
        (_c2, -_c1),
        (-_c2, -_c1),
    ]
)
# Map each direction onto the unit square so that a label's edge, not its centre,
# sits on the ring: (1, 0) -> right of the point, (0.7, 0.7) -> corner to corner.
_SQUARE = _DIRECTIONS / np.abs(_DIRECTIONS).max(axis=1, keepdims=True)
_PREFERENCE = np.arange(len(_DIRECTIONS)) * 0.02

# Costs are in "rings": moving one ring further out costs 1.
_COST_STRADDLE = 1.5  # a label lying across a divider line
_COST_OTHER_SIDE = 2.5  # a label wholly on the far side of a divider from its point
_COST_SEGMENT = 1.0  # a label covering part of an arrow
_COST_LEADER_CROSSING = 3.0  # a leader line running through another label or point
_COST_AMBIGUOUS = 1.5  # a label closer to another point than to its own
_LEADER_CHECKS = 12  # how many of the cheapest spots get the (dearer) leader check


@dataclass(frozen=True, slots=True)
class Placement:
    """Where each label went, in display coordinates.

    ``centres`` is ``(n, 2)``; ``leaders`` flags labels placed away from their point
    (draw a leader line from ``leader_start`` to ``leader_end``); ``overlapping`` flags
    labels for which no free spot existed anywhere (the least-bad spot was used).
    """

    centres: np.ndarray
    leaders: np.ndarray
    leader_start: np.ndarray
    leader_end: np.ndarray
    overlapping: np.ndarray


def _boxes(centres: np.ndarray, half: np.ndarray) -> np.ndarray:
    return np.hstack([centres - half, centres + half])


def _overlaps(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``(len(a), len(b))`` matrix: do the boxes intersect (touching does not count)?"""
    if len(a) == 0 or len(b) == 0:
        return np.zeros((len(a), len(b)), dtype=bool)
    return (
        (a[:, None, 0] < b[None, :, 2])
        & (a[:, None, 2] > b[None, :, 0])
        & (a[:, None, 1] < b[None, :, 3])
        & (a[:, None, 3] > b[None, :, 1])
    )


def _overlap_area(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if len(b) == 0:
        return np.zeros(len(a))
    w = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])
    h = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])
    return (np.clip(w, 0, None) * np.clip(h, 0, None)).sum(axis=1)


def _segment_hits(p0: np.ndarray, p1: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """``(s, b)``: does segment ``p0[k]``-``p1[k]`` pass through box ``boxes[j]``?

    Liang-Barsky clipping, vectorised over segments (rows) and boxes (columns).
    """
    p0 = np.asarray(p0, float).reshape(-1, 2)
    p1 = np.asarray(p1, float).reshape(-1, 2)
    if len(boxes) == 0 or len(p0) == 0:
        return np.zeros((len(p0), len(boxes)), dtype=bool)
    t0 = np.zeros((len(p0), len(boxes)))
    t1 = np.ones((len(p0), len(boxes)))
    ok = np.ones((len(p0), len(boxes)), dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for axis in (0, 1):
            start = p0[:, axis, None]
            d = (p1 - p0)[:, axis, None]
            lo, hi = boxes[None, :, axis], boxes[None, :, axis + 2]
            flat = np.abs(d) < 1e-12
            ok &= ~flat | ((start > lo) & (start < hi))
            ta = np.where(flat, -np.inf, (lo - start) / np.where(flat, 1.0, d))
            tb = np.where(flat, np.inf, (hi - start) / np.where(flat, 1.0, d))
            t0 = np.maximum(t0, np.minimum(ta, tb))
            t1 = np.minimum(t1, np.maximum(ta, tb))
    return ok & (t0 < t1)


def _segments_cross(p0: np.ndarray, p1: np.ndarray, segs: np.ndarray) -> np.ndarray:
    """``(s, k)``: does segment ``p0[s]``-``p1[s]`` properly cross ``segs[k]``?"""
    p0 = np.asarray(p0, float).reshape(-1, 1, 2)
    p1 = np.asarray(p1, float).reshape(-1, 1, 2)
    if len(segs) == 0:
        return np.zeros((len(p0), 0), dtype=bool)
    q0, q1 = segs[None, :, 0], segs[None, :, 1]

    def orient(a, b, c):
        ab, ac = b - a, c - a
        return ab[..., 0] * ac[..., 1] - ab[..., 1] * ac[..., 0]

    return (orient(q0, q1, p0) * orient(q0, q1, p1) < 0) & (
        orient(p0, p1, q0) * orient(p0, p1, q1) < 0
    )


def _leader_end(anchor: np.ndarray, box: np.ndarray) -> np.ndarray:
    return np.clip(anchor, box[:2], box[2:])


def _order(free: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Most constrained first (fewest free nearby spots), then wider labels, then input
    order, so the result is deterministic."""
    n = len(free)
    return np.lexsort((np.arange(n), -sizes[:, 0], free))


class _Scene:
    """Everything a label must avoid, growing as labels are placed."""

    def __init__(self, anchors, sizes, bounds, obstacles, point_radius, gap, soft_x, soft_y,
                 soft_points):  # fmt: skip
        self.anchors = anchors
        self.bounds = bounds
        self.obstacles = obstacles
        self.point_radius = point_radius
        self.half_gap = gap / 2.0
        self.soft_x = soft_x
        self.soft_y = soft_y
        self.soft_points = soft_points
        self.placed = np.zeros((0, 4))
        self.leaders = np.zeros((0, 2, 2))
        self.point_boxes = np.hstack([anchors - point_radius, anchors + point_radius])

    def add(self, box: np.ndarray, leader: np.ndarray | None) -> None:
        grown = box + np.array([-1, -1, 1, 1]) * self.half_gap
        self.placed = np.vstack([self.placed, grown[None]])
        if leader is not None:
            self.leaders = np.vstack([self.leaders, leader[None]])

    def best(self, i, cand, cost, needs_leader, half) -> tuple[int, float] | None:
        """Index and cost of the cheapest free candidate; ``None`` if all are blocked."""
        p = self.anchors[i]
        bx0, by0, bx1, by1 = self.bounds
        boxes = _boxes(cand, half)
        inside = (boxes[:, 0] >= bx0) & (boxes[:, 1] >= by0)
        inside &= (boxes[:, 2] <= bx1) & (boxes[:, 3] <= by1)
        idx = np.flatnonzero(inside)
        if len(idx) == 0:
            return None
        padded = _boxes(cand[idx], half + self.half_gap)
        blocked = _overlaps(padded, self.obstacles).any(axis=1)
        blocked |= _overlaps(padded, self.placed).any(axis=1)
        idx = idx[~blocked]
        if len(idx) == 0:
            return None
        b = boxes[idx]
        centre = cand[idx]
        c = cost[idx].copy()
        for x in self.soft_x:
            straddle = (b[:, 0] < x) & (b[:, 2] > x)
            far = ~straddle & ((centre[:, 0] > x) != (p[0] > x))
            c += _COST_STRADDLE * straddle + _COST_OTHER_SIDE * far
        for y in self.soft_y:
            straddle = (b[:, 1] < y) & (b[:, 3] > y)
            far = ~straddle & ((centre[:, 1] > y) != (p[1] > y))
            c += _COST_STRADDLE * straddle + _COST_OTHER_SIDE * far
        if len(self.soft_points):
            sp = self.soft_points
            covered = (
                (sp[None, :, 0] > b[:, None, 0])
                & (sp[None, :, 0] < b[:, None, 2])
                & (sp[None, :, 1] > b[:, None, 1])
                & (sp[None, :, 1] < b[:, None, 3])
            ).any(axis=1)
            c += _COST_SEGMENT * covered
        others = np.delete(self.anchors, i, axis=0)
        if len(others):
            # A label nearer another point than its own reads as that point's label.
            near = _box_distance(b, others).min(axis=1)
            own = _box_distance(b, p[None])[:, 0]
            c += _COST_AMBIGUOUS * (near < own)
        if len(self.leaders):
            # Covering someone else's leader line hides where it goes.
            covers = _segment_hits(self.leaders[:, 0], self.leaders[:, 1], b).sum(axis=0)
            c += _COST_LEADER_CROSSING * covers
        # Leader lines through labels, points or other leaders confuse; that check is
        # dearer, so only the cheapest few spots get it.
        best = np.argsort(c, kind="stable")[:_LEADER_CHECKS]
        check = best[needs_leader[idx[best]]]
        if len(check):
            crossable = np.vstack([self.placed, np.delete(self.point_boxes, i, axis=0)])
            ends = np.clip(p, b[check, :2], b[check, 2:])
            hits = _segment_hits(np.broadcast_to(p, ends.shape), ends, crossable).sum(axis=1)
            hits += _segments_cross(np.broadcast_to(p, ends.shape), ends, self.leaders).sum(axis=1)
            c[check] += _COST_LEADER_CROSSING * hits
        j = best[np.argmin(c[best])]
        return int(idx[j]), float(c[j])


def _box_distance(boxes: np.ndarray, points: np.ndarray) -> np.ndarray:
    """``(len(boxes), len(points))`` distances from each box to each point."""
    dx = np.maximum(
        np.maximum(boxes[:, None, 0] - points[None, :, 0], 0),
        points[None, :, 0] - boxes[:, None, 2],
    )
    dy = np.maximum(
        np.maximum(boxes[:, None, 1] - points[None, :, 1], 0),
        points[None, :, 1] - boxes[:, None, 3],
    )
    return np.hypot(dx, dy)


def place_labels(
    anchors: np.ndarray,
    sizes: np.ndarray,
    *,
    bounds: Sequence[float],
    clearance: float,
    obstacles: np.ndarray | None = None,
    point_radius: float = 0.0,
    step: float | None = None,
    gap: float = 2.0,
    soft_x: Sequence[float] = (),
    soft_y: Sequence[float] = (),
    soft_points: np.ndarray | None = None,
) -> Placement:
    """Place one label per anchor so that no two labels and no obstacles overlap.

    Parameters
    ----------
    anchors
        ``(n, 2)`` point positions in display coordinates.
    sizes
        ``(n, 2)`` label widths and heights in display units (include any padding).
    bounds
        ``(x0, y0, x1, y1)``: every label must lie inside this box.
    clearance
        Distance from a point's centre to the nearest label edge on the first ring
        (the marker's radius plus a small gap).
    obstacles
        ``(m, 4)`` boxes no label may cover: point markers (including each label's own
        point) and fixed texts such as quadrant labels.
    point_radius
        Marker radius: leader lines start there, and other leaders avoid markers.
    step
        Ring spacing; defaults to 0.6 of the median label height.
    gap
        Minimum empty space kept between a label and another label or obstacle.
    soft_x, soft_y
        Divider lines (vertical at x, horizontal at y) a label should not cross or sit
        beyond, relative to its point.
    soft_points
        ``(k, 2)`` sample points along arrows; labels should not cover them.

    Returns
    -------
    Placement
    """
    anchors = np.asarray(anchors, dtype=float).reshape(-1, 2)
    sizes = np.asarray(sizes, dtype=float).reshape(-1, 2)
    n = len(anchors)
    obstacles = np.zeros((0, 4)) if obstacles is None else np.asarray(obstacles, float)
    obstacles = obstacles.reshape(-1, 4)
    soft_points = np.zeros((0, 2)) if soft_points is None else np.asarray(soft_points, float)
    bounds4 = tuple(float(v) for v in bounds)
    bx0, by0, bx1, by1 = bounds4

    centres = np.zeros((n, 2))
    leaders = np.zeros(n, dtype=bool)
    overlapping = np.zeros(n, dtype=bool)
    start = anchors.copy()
    end = anchors.copy()
    if n == 0:
        return Placement(centres, leaders, start, end, overlapping)

    if step is None:
        step = max(0.6 * float(np.median(sizes[:, 1])), 2.0)
    span = max(bx1 - bx0, by1 - by0)
    n_rings = int(np.clip(np.ceil(0.45 * span / step), 4, 60))
    n_dir = len(_DIRECTIONS)
    ring_of = np.repeat(np.arange(n_rings), n_dir).astype(float)
    pref = np.tile(_PREFERENCE, n_rings)
    sq = np.tile(_SQUARE, (n_rings, 1))
    rad = (clearance + step * ring_of)[:, None]
    # Rings are searched in chunks; a chunk whose cheapest ring costs more than the
    # best spot found so far cannot win, so the search stops there.
    chunks = [(0, 3), (3, 8), (8, 16), (16, n_rings)]

    scene = _Scene(
        anchors, sizes, bounds4, obstacles, point_radius, gap,
        np.asarray(soft_x, float), np.asarray(soft_y, float), soft_points,
    )  # fmt: skip

    # Labels with few spots free of markers and fixed obstacles near their point go first.
    near = ring_of < 3
    free = np.zeros(n)
    for i in range(n):
        half = sizes[i] / 2.0
        boxes = _boxes(anchors[i] + sq[near] * (rad[near] + half), half + gap / 2)
        inside = (boxes[:, 0] >= bx0) & (boxes[:, 1] >= by0) & (boxes[:, 2] <= bx1)
        inside &= boxes[:, 3] <= by1
        free[i] = (inside & ~_overlaps(boxes, obstacles).any(axis=1)).sum()

    for i in _order(free, sizes):
        p = anchors[i]
        half = sizes[i] / 2.0
        found: tuple[np.ndarray, float, bool] | None = None
        for r0, r1 in chunks:
            if r0 >= n_rings or (found is not None and found[1] <= r0):
                break
            sl = slice(r0 * n_dir, min(r1, n_rings) * n_dir)
            cand = p + sq[sl] * (rad[sl] + half)
            hit = scene.best(i, cand, ring_of[sl] + pref[sl], ring_of[sl] >= 1, half)
            if hit is not None and (found is None or hit[1] < found[1]):
                found = (cand[hit[0]], hit[1], bool(ring_of[sl][hit[0]] >= 1))
        if found is None:
            # Widen: any free spot on a grid over the whole bounds, nearest first.
            gx = np.arange(bx0 + half[0], bx1 - half[0] + 1e-9, max(half[0] / 2, 2.0))
            gy = np.arange(by0 + half[1], by1 - half[1] + 1e-9, max(half[1] / 2, 2.0))
            grid = np.stack(np.meshgrid(gx, gy), axis=-1).reshape(-1, 2)
            gcost = np.hypot(*(grid - p).T) / step + n_rings
            hit = scene.best(i, grid, gcost, np.ones(len(grid), dtype=bool), half)
            if hit is not None:
                found = (grid[hit[0]], hit[1], True)
        if found is None:
            # Nowhere free: the least-overlapping spot inside the bounds.
            cand = p + sq * (rad + half)
            cand[:, 0] = np.clip(cand[:, 0], bx0 + half[0], max(bx0 + half[0], bx1 - half[0]))
            cand[:, 1] = np.clip(cand[:, 1], by0 + half[1], max(by0 + half[1], by1 - half[1]))
            padded = _boxes(cand, half + gap / 2)
            area = _overlap_area(padded, np.vstack([obstacles, scene.placed]))
            k = int(np.lexsort((ring_of, area))[0])
            found = (cand[k], float("inf"), True)
            overlapping[i] = True
        c, _, away = found
        centres[i] = c
        box = _boxes(c[None], half)[0]
        segment = None
        if away:
            leaders[i] = True
            e = _leader_end(p, box)
            d = e - p
            dist = float(np.hypot(*d))
            start[i] = p + d / dist * point_radius if dist > 0 else p
            end[i] = e
            segment = np.array([start[i], e])
        scene.add(box, segment)
    return Placement(centres, leaders, start, end, overlapping)


# --- matplotlib glue ---------------------------------------------------------------

_EXTENTS: OrderedDict[tuple, tuple[float, float]] = OrderedDict()
_EXTENTS_MAX = 4096


def measure(text, renderer) -> tuple[float, float]:
    """Width and height in pixels of a ``Text`` artist, cached by text, font and dpi."""
    dpi = text.get_figure(root=True).dpi
    key = (text.get_text(), text.get_fontproperties(), text.get_rotation(), float(dpi))
    hit = _EXTENTS.get(key)
    if hit is not None:
        _EXTENTS.move_to_end(key)
        return hit
    bbox = text.get_window_extent(renderer)
    size = (float(bbox.width), float(bbox.height))
    _EXTENTS[key] = size
    if len(_EXTENTS) > _EXTENTS_MAX:
        _EXTENTS.popitem(last=False)
    return size


class PointLabeller(Artist):
    """Invisible artist that places point labels when its Axes is drawn.

    It has the lowest zorder in its Axes, so it runs before the labels and leader lines
    it moves are drawn, and after the figure's layout engine has fixed the Axes size.

    Parameters
    ----------
    texts
        One ``Text`` per point, created with ``ha="center", va="center"`` in data
        coordinates.
    leaders
        One ``Line2D`` per point (data coordinates); shown only for labels placed away
        from their point.
    xy
        ``(n, 2)`` point positions in data coordinates.
    marker_size
        Marker size in points squared (as for ``scatter``'s ``s``).
    pad
        Padding around each label, in points (for a text ``bbox`` patch).
    extra_points
        ``(k, 2)`` more markers labels must not cover (e.g. earlier positions).
    avoid
        Artists no label may cover (quadrant labels).
    soft_x, soft_y
        Divider lines in data coordinates.
    soft_segments
        ``(k, 2, 2)`` arrow segments (data coordinates) labels should avoid.
    """

    zorder = -1000

    def __init__(
        self,
        texts,
        leaders,
        *,
        xy,
        marker_size: float,
        pad: float = 0.0,
        extra_points=None,
        avoid=(),
        soft_x=(),
        soft_y=(),
        soft_segments=None,
    ):
        super().__init__()
        self.set_in_layout(False)
        self.texts = list(texts)
        self.leaders = list(leaders)
        self.xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        self.marker_size = float(marker_size)
        self.pad = float(pad)
        self.extra_points = (
            np.zeros((0, 2)) if extra_points is None else np.asarray(extra_points, float)
        ).reshape(-1, 2)
        self.avoid = list(avoid)
        self.soft_x = tuple(soft_x)
        self.soft_y = tuple(soft_y)
        self.soft_segments = (
            np.zeros((0, 2, 2)) if soft_segments is None else np.asarray(soft_segments, float)
        ).reshape(-1, 2, 2)
        self._key = None
        self.last_placement: Placement | None = None
        self.last_seconds = 0.0

    def set_points(self, xy, *, extra_points=None, soft_segments=None) -> None:
        """Move the points (same labels); placement is redone at the next draw."""
        self.xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        if extra_points is not None:
            self.extra_points = np.asarray(extra_points, float).reshape(-1, 2)
        if soft_segments is not None:
            self.soft_segments = np.asarray(soft_segments, float).reshape(-1, 2, 2)
        self._key = None
        self.stale = True

    def get_window_extent(self, renderer=None):
        return Bbox.null()

    def draw(self, renderer) -> None:
        if self.get_visible():
            self.relayout(renderer)

    def relayout(self, renderer=None) -> Placement | None:
        """Place the labels now (normally done at draw time)."""

        ax = self.axes
        if ax is None:
            return None
        fig = ax.get_figure(root=True)
        if renderer is None:
            renderer = fig.canvas.get_renderer()
        t0 = time.perf_counter()
        dpi = fig.dpi
        sizes = np.array([measure(t, renderer) for t in self.texts]).reshape(-1, 2)
        pad_px = self.pad * dpi / 72.0
        sizes = sizes + 2 * pad_px
        trans = ax.transData
        anchors = trans.transform(self.xy) if len(self.xy) else np.zeros((0, 2))
        extra = trans.transform(self.extra_points) if len(self.extra_points) else np.zeros((0, 2))
        avoid_boxes = [a.get_window_extent(renderer) for a in self.avoid if a.get_visible()]
        key = (
            tuple(ax.bbox.bounds),
            dpi,
            anchors.tobytes(),
            sizes.tobytes(),
            extra.tobytes(),
            tuple(tuple(b.bounds) for b in avoid_boxes),
            self.soft_segments.tobytes(),
        )
        if key == self._key:
            return self.last_placement
        radius = np.sqrt(self.marker_size) / 2.0 * dpi / 72.0
        marker_pts = np.vstack([anchors, extra])
        obstacles = [np.hstack([marker_pts - radius, marker_pts + radius])]
        for b in avoid_boxes:
            obstacles.append(
                np.array([[b.x0 - pad_px, b.y0 - pad_px, b.x1 + pad_px, b.y1 + pad_px]])
            )
        xs = trans.transform(np.column_stack([self.soft_x, np.zeros(len(self.soft_x))]))[:, 0]
        ys = trans.transform(np.column_stack([np.zeros(len(self.soft_y)), self.soft_y]))[:, 1]
        samples = np.zeros((0, 2))
        if len(self.soft_segments):
            t = np.linspace(0.15, 0.85, 8)[None, :, None]
            seg = trans.transform(self.soft_segments.reshape(-1, 2)).reshape(-1, 2, 2)
            samples = (seg[:, :1] * (1 - t) + seg[:, 1:] * t).reshape(-1, 2)
        inset = 2.0
        ab = ax.bbox
        placement = place_labels(
            anchors,
            sizes,
            bounds=(ab.x0 + inset, ab.y0 + inset, ab.x1 - inset, ab.y1 - inset),
            clearance=radius + max(2.0, 0.25 * pad_px + 2.0),
            obstacles=np.vstack(obstacles),
            point_radius=radius,
            gap=max(2.0, dpi / 50.0),
            soft_x=xs,
            soft_y=ys,
            soft_points=samples,
        )
        inv = trans.inverted()
        if len(anchors):
            centres = inv.transform(placement.centres)
            starts = inv.transform(placement.leader_start)
            ends = inv.transform(placement.leader_end)
            for k, text in enumerate(self.texts):
                pos = (float(centres[k, 0]), float(centres[k, 1]))
                if text.get_position() != pos:
                    text.set_position(pos)
                line = self.leaders[k] if k < len(self.leaders) else None
                if line is None:
                    continue
                show = bool(placement.leaders[k])
                if show:
                    line.set_data([starts[k, 0], ends[k, 0]], [starts[k, 1], ends[k, 1]])
                if line.get_visible() != show:
                    line.set_visible(show)
        self._key = key
        self.last_placement = placement
        self.last_seconds = time.perf_counter() - t0
        return placement
