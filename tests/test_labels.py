"""Label placement on the power-interest grid: no overlaps, inside the Axes, fast."""

from __future__ import annotations

import time

import matplotlib.pyplot as plt
import numpy as np
import pytest

from partnership_lib.charts import labels as _labels
from partnership_lib.core import style
from partnership_lib.models.stakeholders import (
    Stakeholder,
    load_worked_example,
    plot_power_interest_grid,
    update_power_interest_grid,
    worked_examples,
)

# Realistic partnership stakeholders, short and long.
NAMES = [
    "GP", "MP", "Police", "Fire", "Schools", "Media", "Libraries", "Dentists", "Opticians",
    "Care homes", "Healthwatch", "Pharmacists", "Midwives", "Health visitors", "Faith leaders",
    "Sports clubs", "Local businesses", "Housing association", "Citizens Advice",
    "Trading standards", "Licensing team", "Probation service", "Job Centre Plus",
    "Environment Agency", "Ambulance service", "Elected mayor", "Parents' forum",
    "Carers' centre", "Disability forum", "Youth offending team", "School governors",
    "Chamber of commerce", "Mental health trust", "Early years team", "Children's centres",
    "Residents' association", "Tenants' federation", "Planning department", "Highways team",
    "Leisure services", "Neighbourhood wardens", "Further education college", "University",
    "Sexual health service", "Domiciliary care providers", "Transport operator",
    "Older people's forum", "Young people's council", "Safeguarding board",
    "Director of Public Health", "Health and wellbeing board", "Clinical commissioning group",
    "Drug and alcohol action team", "Community safety officer", "Local councillors",
    "Voluntary and community sector forum", "Regional development agency",
    "Fire and rescue service", "Public health practitioners", "Social services",
]  # fmt: skip


def random_stakeholders(n: int, seed: int) -> list[Stakeholder]:
    rng = np.random.default_rng(seed)
    names = rng.choice(NAMES, size=n, replace=False)
    power = rng.uniform(0, 10, n).round(1)
    interest = rng.uniform(0, 10, n).round(1)
    return [
        Stakeholder(str(a), float(b), float(c))
        for a, b, c in zip(names, power, interest, strict=True)
    ]


def _layout(ax):
    (layout,) = [a for a in ax.artists if a.get_gid() == "label-layout"]
    return layout


def assert_labels_clear(ax) -> None:
    """No two name labels overlap; none covers a marker or a quadrant label; all inside."""
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labels = [t for t in ax.texts if (t.get_gid() or "").startswith("label:")]
    boxes = [t.get_window_extent(renderer) for t in labels]
    # The rounded background boxes must not overlap either.
    patches = [t.get_bbox_patch().get_window_extent(renderer) for t in labels]
    quads = [
        t.get_window_extent(renderer)
        for t in ax.texts
        if (t.get_gid() or "").startswith("quadrant-label:")
    ]
    markers = []
    for coll in ax.collections:
        if coll.get_gid() in ("stakeholders", "previous-positions"):
            radius = np.sqrt(coll.get_sizes()[0]) / 2 * fig.dpi / 72
            for x, y in ax.transData.transform(coll.get_offsets()):
                markers.append((x - radius, y - radius, x + radius, y + radius))
    area = ax.bbox
    problems = []
    for i, (text, box, patch) in enumerate(zip(labels, boxes, patches, strict=True)):
        name = text.get_text()
        if not (
            box.x0 >= area.x0 and box.x1 <= area.x1 and box.y0 >= area.y0 and box.y1 <= area.y1
        ):
            problems.append(f"{name!r} leaves the Axes")
        for j in range(i + 1, len(labels)):
            if box.overlaps(boxes[j]) or patch.overlaps(patches[j]):
                problems.append(f"{name!r} overlaps {labels[j].get_text()!r}")
        for q in quads:
            if box.overlaps(q):
                problems.append(f"{name!r} covers a quadrant label")
        for x0, y0, x1, y1 in markers:
            if box.x0 < x1 and box.x1 > x0 and box.y0 < y1 and box.y1 > y0:
                problems.append(f"{name!r} covers a marker at ({x0:.0f}, {y0:.0f})")
        assert text.get_fontsize() >= style.current_theme().small_text
    assert not problems, problems


@pytest.mark.parametrize("style_name", style.STYLE_NAMES)
@pytest.mark.parametrize(
    "key", ["community_safety", "local_strategic", "drug_alcohol", "teenage_pregnancy"]
)
def test_worked_examples_have_clear_labels(key, style_name):
    with style.style_context(style_name):
        ax = plot_power_interest_grid(load_worked_example(key), title=worked_examples()[key].title)
        assert_labels_clear(ax)
        assert not _layout(ax).last_placement.overlapping.any()


@pytest.mark.parametrize("style_name", style.STYLE_NAMES)
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_forty_random_stakeholders_have_clear_labels(seed, style_name):
    with style.style_context(style_name):
        ax = plot_power_interest_grid(random_stakeholders(40, seed))
        assert_labels_clear(ax)


def test_labels_stay_clear_with_attitudes_and_movement():
    people = random_stakeholders(30, 7)
    attitudes = ["supporter", "neutral", "opponent", None]
    people = [
        Stakeholder(p.name, p.power, p.interest, attitude=attitudes[i % 4])
        for i, p in enumerate(people)
    ]
    before = [Stakeholder(p.name, 10 - p.power, p.interest) for p in people[:5]]
    with style.style_context("projector"):
        ax = plot_power_interest_grid(people, previous=before)
        assert_labels_clear(ax)


def test_labels_follow_a_resize_and_a_new_dpi():
    ax = plot_power_interest_grid(random_stakeholders(30, 5))
    assert_labels_clear(ax)
    ax.figure.set_size_inches(7, 5)
    assert_labels_clear(ax)
    ax.figure.set_dpi(150)
    assert_labels_clear(ax)


def test_labels_stay_clear_after_update():
    ax = plot_power_interest_grid(random_stakeholders(30, 11))
    assert_labels_clear(ax)
    update_power_interest_grid(ax, random_stakeholders(30, 12))
    assert_labels_clear(ax)
    people = random_stakeholders(30, 12)
    people[0] = Stakeholder(people[0].name, 5.5, 5.5)
    update_power_interest_grid(ax, people)
    assert_labels_clear(ax)


def test_leader_lines_join_far_labels_to_their_points():
    # A crowd forces some labels away from their points.
    people = [
        Stakeholder(f"Stakeholder number {i}", 7 + 0.1 * i, 7 + 0.1 * (i % 3)) for i in range(12)
    ]
    ax = plot_power_interest_grid(people)
    assert_labels_clear(ax)
    placement = _layout(ax).last_placement
    assert placement.leaders.any()
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    for p, leader_flag in zip(people, placement.leaders, strict=True):
        (line,) = [ln for ln in ax.lines if ln.get_gid() == f"leader:{p.name}"]
        assert line.get_visible() == bool(leader_flag)
        if not leader_flag:
            continue
        xs, ys = line.get_data()
        start = ax.transData.transform((xs[0], ys[0]))
        end = ax.transData.transform((xs[1], ys[1]))
        point = ax.transData.transform((p.power, p.interest))
        radius = np.sqrt(_layout(ax).marker_size) / 2 * fig.dpi / 72
        assert np.hypot(*(start - point)) == pytest.approx(radius, abs=1.0)
        label = next(t for t in ax.texts if t.get_gid() == f"label:{p.name}")
        box = label.get_window_extent(renderer).padded(10)
        assert box.contains(*end)


def test_placement_is_deterministic():
    people = random_stakeholders(40, 3)
    positions = []
    for _ in range(2):
        ax = plot_power_interest_grid(people)
        ax.figure.canvas.draw()
        positions.append(
            [t.get_position() for t in ax.texts if (t.get_gid() or "").startswith("label:")]
        )
        plt.close(ax.figure)
    assert positions[0] == positions[1]


def test_unchanged_redraw_reuses_the_placement():
    ax = plot_power_interest_grid(random_stakeholders(20, 1))
    ax.figure.canvas.draw()
    layout = _layout(ax)
    first = layout.last_placement
    ax.figure.canvas.draw()
    assert layout.last_placement is first


def test_fifty_stakeholders_are_placed_quickly():
    with style.style_context("projector"):
        ax = plot_power_interest_grid(random_stakeholders(50, 0))
        fig = ax.figure
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        layout = _layout(ax)
        times = []
        for _ in range(5):
            layout._key = None  # force a fresh placement (extents stay cached)
            start = time.perf_counter()
            layout.relayout(renderer)
            times.append(time.perf_counter() - start)
        # Typically 20-40 ms; the bound is loose so a busy CI machine does not flake.
        assert min(times) < 0.25, times
        assert_labels_clear(ax)


def test_measure_caches_by_text_font_and_dpi():
    ax = plot_power_interest_grid([Stakeholder("Cached label", 5, 5)])
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    (label,) = [t for t in ax.texts if t.get_gid() == "label:Cached label"]
    size = _labels.measure(label, renderer)
    key = (label.get_text(), label.get_fontproperties(), label.get_rotation(), float(fig.dpi))
    assert _labels._EXTENTS[key] == size
    bbox = label.get_window_extent(renderer)
    assert size == pytest.approx((bbox.width, bbox.height))


# --- the pure placement function ----------------------------------------------------


def test_single_label_goes_beside_its_point():
    placement = _labels.place_labels([(100, 100)], [(40, 10)], bounds=(0, 0, 400, 400), clearance=5)
    cx, cy = placement.centres[0]
    assert cx == pytest.approx(100 + 5 + 20) and cy == pytest.approx(100)
    assert not placement.leaders[0]


def test_label_at_the_right_edge_goes_left():
    placement = _labels.place_labels([(395, 100)], [(40, 10)], bounds=(0, 0, 400, 400), clearance=5)
    cx, _ = placement.centres[0]
    assert cx + 20 <= 400
    assert cx < 395


def test_obstacles_and_other_labels_are_avoided():
    anchors = np.array([(100, 100), (100, 112), (100, 124)], float)
    sizes = np.array([(60, 10)] * 3, float)
    obstacle = np.array([[104, 90, 200, 110]], float)
    placement = _labels.place_labels(
        anchors, sizes, bounds=(0, 0, 400, 400), clearance=4, obstacles=obstacle, gap=2
    )
    boxes = np.hstack([placement.centres - sizes / 2, placement.centres + sizes / 2])
    for i in range(3):
        assert not _labels._overlaps(boxes[i : i + 1], obstacle).any()
        for j in range(i + 1, 3):
            assert not _labels._overlaps(boxes[i : i + 1], boxes[j : j + 1]).any()


def test_crowded_labels_widen_the_search_instead_of_overlapping():
    anchors = np.array([(200 + i, 200) for i in range(30)], float)
    sizes = np.array([(80, 12)] * 30, float)
    placement = _labels.place_labels(anchors, sizes, bounds=(0, 0, 400, 400), clearance=4)
    assert not placement.overlapping.any()
    boxes = np.hstack([placement.centres - sizes / 2, placement.centres + sizes / 2])
    hits = _labels._overlaps(boxes, boxes)
    np.fill_diagonal(hits, False)
    assert not hits.any()
    assert placement.leaders.sum() > 10


def test_impossible_layout_reports_overlap_but_keeps_labels_inside():
    anchors = np.array([(50, 50)] * 6, float)
    sizes = np.array([(90, 40)] * 6, float)
    placement = _labels.place_labels(anchors, sizes, bounds=(0, 0, 100, 100), clearance=2)
    assert placement.overlapping.any()
    assert (placement.centres - sizes / 2 >= -1e-9).all()
    assert (placement.centres + sizes / 2 <= 100 + 1e-9).all()


def test_empty_placement():
    placement = _labels.place_labels(
        np.zeros((0, 2)), np.zeros((0, 2)), bounds=(0, 0, 1, 1), clearance=1
    )
    assert placement.centres.shape == (0, 2)


def test_segment_helpers():
    boxes = np.array([[0, 0, 10, 10], [20, 20, 30, 30]], float)
    hits = _labels._segment_hits(np.array([[-5, 5]]), np.array([[15, 5]]), boxes)
    assert hits.tolist() == [[True, False]]
    vertical = _labels._segment_hits(np.array([[25, 0]]), np.array([[25, 40]]), boxes)
    assert vertical.tolist() == [[False, True]]
    segs = np.array([[[0, 10], [10, 0]], [[20, 0], [30, 0]]], float)
    crosses = _labels._segments_cross(np.array([[0, 0]]), np.array([[10, 10]]), segs)
    assert crosses.tolist() == [[True, False]]
