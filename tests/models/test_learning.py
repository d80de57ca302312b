"""Learning cycles (Kolb 1984 and the personal learning log) and the cycle chart."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from _helpers import by_gid, edit_yaml, visible_texts
from matplotlib.colors import to_hex

from partnership_lib.core import style
from partnership_lib.core.content import ContentError
from partnership_lib.models.learning import (
    CycleStage,
    LearningCycle,
    describe_kolb_cycle,
    learning_cycle,
    learning_cycles,
    plot_kolb_cycle,
    update_kolb_cycle,
)

KOLB = [
    "Concrete experience",
    "Reflective observation",
    "Abstract conceptualisation",
    "Active experimentation",
]
LOG = ["Experience", "Reflect", "Conclude", "Plan"]


def box_centre(patch):
    return np.array([patch.get_x() + patch.get_width() / 2, patch.get_y() + patch.get_height() / 2])


# --------------------------------------------------------------------------- content


def test_cycles_load_with_their_stage_names():
    cycles = learning_cycles()
    assert list(cycles) == ["kolb", "learning_log"]
    assert [s.name for s in cycles["kolb"].stages] == KOLB
    assert cycles["kolb"].source == "Kolb 1984"
    assert [s.name for s in cycles["learning_log"].stages] == LOG
    assert all(s.prompt.strip() for c in cycles.values() for s in c.stages)
    assert all(s.prompt.rstrip().endswith("?") for s in cycles["learning_log"].stages)


def test_lookups():
    assert learning_cycle("learning_log").stage("PLAN").key == "plan"
    assert learning_cycle("kolb").stage("reflective observation").key == "reflective_observation"
    with pytest.raises(
        ValueError, match=r"unknown learning cycle 'gibbs'; known cycles: kolb, learning_log"
    ):
        learning_cycle("gibbs")
    with pytest.raises(
        ValueError, match=r"unknown stage 'act' for cycle 'kolb'; its stages are: Concrete"
    ):
        learning_cycle("kolb").stage("act")


def test_malformed_content_names_file_entry_and_field(content_copy):
    path = content_copy / "learning_cycles.yaml"
    edit_yaml(path, lambda data: data["cycles"][0]["stages"][0].pop("prompt"))
    with pytest.raises(ContentError) as info:
        learning_cycles()
    message = str(info.value)
    assert "learning_cycles.yaml" in message
    assert "entry 'cycles/kolb/stages/concrete_experience'" in message
    assert "field 'prompt'" in message


def test_duplicate_stage_in_content_is_reported(content_copy):
    path = content_copy / "learning_cycles.yaml"
    edit_yaml(path, lambda data: data["cycles"][1]["stages"][3].update(key="reflect"))
    with pytest.raises(
        ContentError, match=r"learning_cycles\.yaml, entry 'cycles/learning_log'.*'reflect'"
    ):
        learning_cycles()


# --------------------------------------------------------------------------- the chart


@pytest.mark.parametrize(("key", "names"), [("kolb", KOLB), ("learning_log", LOG)])
def test_stages_go_clockwise_from_the_top(key, names):
    cycle = learning_cycle(key)
    ax = plot_kolb_cycle(model=key)
    centres = [box_centre(by_gid(ax, f"stage:{s.key}")) for s in cycle.stages]
    assert centres[0][1] == max(c[1] for c in centres)  # first stage at the top
    angles = np.unwrap([math.atan2(y, x) for x, y in centres])
    assert np.all(np.diff(angles) < 0)  # each next stage is further clockwise
    for stage, name in zip(cycle.stages, names, strict=True):
        assert by_gid(ax, f"stage-label:{stage.key}").get_text() == name
        prompt = by_gid(ax, f"stage-prompt:{stage.key}").get_text()
        assert " ".join(prompt.split()) == " ".join(stage.prompt.split())


def test_boxes_do_not_overlap_and_hold_their_text():
    ax = plot_kolb_cycle(model="learning_log")
    fig = ax.figure
    fig.canvas.draw()
    cycle = learning_cycle("learning_log")
    boxes = [by_gid(ax, f"stage:{s.key}").get_window_extent() for s in cycle.stages]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)
    for stage, box in zip(cycle.stages, boxes, strict=True):
        for part in ("label", "prompt"):
            t = by_gid(ax, f"stage-{part}:{stage.key}").get_window_extent()
            assert box.x0 <= t.x0 and t.x1 <= box.x1 and box.y0 <= t.y0 and t.y1 <= box.y1


def test_arrows_run_clockwise_from_each_stage_to_the_next():
    ax = plot_kolb_cycle()
    cycle = learning_cycle("kolb")
    n = len(cycle.stages)
    centres = [box_centre(by_gid(ax, f"stage:{s.key}")) for s in cycle.stages]
    for i in range(n):
        arc = by_gid(ax, f"cycle-arrow:{i + 1}")
        xs, ys = arc.get_xdata(), arc.get_ydata()
        turn = np.unwrap(np.arctan2(ys, xs))
        assert np.all(np.diff(turn) < 0)  # clockwise round the middle
        start, end = np.array([xs[0], ys[0]]), np.array([xs[-1], ys[-1]])
        here, there = centres[i], centres[(i + 1) % n]
        assert np.linalg.norm(start - here) < np.linalg.norm(start - there)
        assert np.linalg.norm(end - there) < np.linalg.norm(end - here)
        by_gid(ax, f"cycle-arrow-head:{i + 1}")


def test_current_stage_is_highlighted():
    theme = style.current_theme()
    ax = plot_kolb_cycle(model="learning_log", current="Conclude")
    box = by_gid(ax, "stage:conclude")
    assert to_hex(box.get_facecolor()) == to_hex(theme.quadrant_fills[0])
    assert to_hex(box.get_edgecolor()) == to_hex(theme.accent)
    others = [by_gid(ax, f"stage:{k}") for k in ("experience", "reflect", "plan")]
    assert all(to_hex(b.get_facecolor()) != to_hex(theme.quadrant_fills[0]) for b in others)
    marker = by_gid(ax, "current-marker")
    assert marker.get_text() == "You are here"
    x, y = marker.get_position()
    assert box.get_x() < x < box.get_x() + box.get_width()
    assert box.get_y() < y <= box.get_y() + box.get_height()


def test_bad_input_is_named():
    with pytest.raises(ValueError, match=r"unknown stage 'Act' for cycle 'kolb'"):
        plot_kolb_cycle(current="Act")
    with pytest.raises(ValueError, match=r"unknown learning cycle 'gibbs'"):
        plot_kolb_cycle(model="gibbs")
    with pytest.raises(ValueError, match=r"unknown stage 'doing' for cycle 'learning_log'"):
        describe_kolb_cycle(model="learning_log", current="doing")


def test_kwargs_reach_the_boxes_and_axes_can_be_given():
    _, given = plt.subplots()
    ax = plot_kolb_cycle(ax=given, linestyle="--")
    assert ax is given
    assert by_gid(ax, "stage:concrete_experience").get_linestyle() == "--"


def test_markup_characters_are_drawn_literally():
    odd = LearningCycle(
        "odd",
        "Cost $5_000 \\ year$",
        "Me 2024",
        (
            CycleStage("a", "Try $x_1$", "What \\alpha?"),
            CycleStage("b", "B", "Why?"),
            CycleStage("c", "C", "How?"),
        ),
    )
    ax = plot_kolb_cycle(model=odd, current="a")
    texts = visible_texts(ax.figure)
    assert by_gid(ax, "stage-label:a").get_text() == "Try $x_1$"
    assert all(not t.get_parse_math() for t in texts)


def test_describe_kolb_cycle():
    text = describe_kolb_cycle(current="abstract_conceptualisation")
    assert text.startswith("Learning cycle: Experiential learning cycle (Kolb 1984). 4 stages")
    assert "arrows run clockwise" in text
    lines = text.splitlines()
    assert lines[1].startswith("1. Concrete experience (top): ")
    assert lines[2].startswith("2. Reflective observation (right): ")
    assert lines[3].startswith("3. Abstract conceptualisation (bottom): ")
    assert lines[4].startswith("4. Active experimentation (left): ")
    assert lines[-1] == "You are here: Abstract conceptualisation, stage 3 of 4."
    log = describe_kolb_cycle(model="learning_log")
    assert "Personal learning log" in log and "You are here" not in log


def test_projector_text_is_at_least_18pt_and_does_not_overlap():
    with style.style_context("projector"):
        for key, current in (("kolb", "active_experimentation"), ("learning_log", "plan")):
            fig = plot_kolb_cycle(model=key, current=current).figure
            texts = visible_texts(fig)
            for t in texts:
                assert t.get_fontsize() >= 18, f"{t.get_text()!r} is {t.get_fontsize()}pt"
                box = t.get_window_extent()
                assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1
                assert fig.bbox.y0 <= box.y0 and box.y1 <= fig.bbox.y1
            boxes = [(t.get_text(), t.get_window_extent()) for t in texts]
            for i, (a_text, a) in enumerate(boxes):
                for b_text, b in boxes[i + 1 :]:
                    assert not a.overlaps(b), f"{a_text!r} overlaps {b_text!r}"
            plt.close(fig)


# --------------------------------------------------------------------------- update


def _cycle_look(ax):
    """Every stage box's bounds and colours, every text's place, every arc's points."""
    out = {}
    for p in ax.patches:
        if (p.get_gid() or "").startswith("stage:"):
            bounds = (p.get_x(), p.get_y(), p.get_width(), p.get_height())
            out[p.get_gid()] = (
                tuple(round(v, 6) for v in bounds),
                to_hex(p.get_facecolor()),
                to_hex(p.get_edgecolor()),
            )
    for t in ax.texts:
        out[t.get_gid()] = (t.get_text(), tuple(round(v, 6) for v in t.get_position()))
    for line in ax.lines:
        out[line.get_gid()] = np.round(line.get_xydata(), 6).tolist()
    return out


@pytest.mark.parametrize("key", ["kolb", "learning_log"])
def test_update_moves_the_highlight_as_a_fresh_plot_draws_it(key):
    cycle = learning_cycle(key)
    keys = [s.key for s in cycle.stages]
    ax = plot_kolb_cycle(model=key, current=keys[0])
    untouched = by_gid(ax, f"stage:{keys[2]}")
    changed = update_kolb_cycle(ax, model=key, current=keys[1])
    drawn = {a.get_gid() for a in changed}
    assert {f"stage:{keys[0]}", f"stage:{keys[1]}", "current-marker"} <= drawn
    assert f"stage:{keys[2]}" not in drawn and by_gid(ax, f"stage:{keys[2]}") is untouched
    assert _cycle_look(ax) == _cycle_look(plot_kolb_cycle(model=key, current=keys[1]))
    for current in [*keys[2:], None, keys[0]]:
        update_kolb_cycle(ax, model=key, current=current)
        assert _cycle_look(ax) == _cycle_look(plot_kolb_cycle(model=key, current=current))
    assert update_kolb_cycle(ax, model=key, current=keys[0]) == []
    assert update_kolb_cycle(plt.subplots()[1], model=key, current=keys[0]) is None
    other = "kolb" if key == "learning_log" else "learning_log"
    assert update_kolb_cycle(ax, model=other) is None  # not this cycle's drawing


# --------------------------------------------------------------------------- compact


@pytest.mark.parametrize("style_name", style.STYLE_NAMES)
def test_a_compact_cycle_is_small_names_only_and_nothing_overlaps(style_name):
    with style.style_context(style_name):
        full = plot_kolb_cycle(model="learning_log", current="plan").figure
        for current in (None, "experience", "plan"):
            ax = plot_kolb_cycle(model="learning_log", current=current, compact=True)
            fig = ax.figure
            texts = visible_texts(fig)
            assert not [t for t in texts if (t.get_gid() or "").startswith("stage-prompt:")]
            labels = sorted(t.get_text() for t in texts if (t.get_gid() or "").startswith("stage-"))
            assert labels == sorted(LOG)
            boxes = [(t.get_text(), t.get_window_extent()) for t in texts]
            for i, (a_text, a) in enumerate(boxes):
                assert fig.bbox.x0 <= a.x0 and a.x1 <= fig.bbox.x1, f"{a_text!r} is cut off"
                assert fig.bbox.y0 <= a.y0 and a.y1 <= fig.bbox.y1, f"{a_text!r} is cut off"
                for b_text, b in boxes[i + 1 :]:
                    assert not a.overlaps(b), f"{a_text!r} overlaps {b_text!r}"
            stages = [p for p in ax.patches if (p.get_gid() or "").startswith("stage:")]
            extents = [p.get_window_extent() for p in stages]
            for i, a in enumerate(extents):
                assert ax.bbox.x0 <= a.x0 and a.x1 <= ax.bbox.x1
                assert not any(a.overlaps(b) for b in extents[i + 1 :])
            assert len([a for a in ax.lines if (a.get_gid() or "").startswith("cycle-arrow:")]) == 4
        full_w, full_h = full.get_size_inches()
        w, h = fig.get_size_inches()
        if style_name == "projector":  # a projected chart fills the screen, compact or not
            assert (w, h) == (full_w, full_h)
        else:
            assert w == pytest.approx(full_w / 2) and h < full_h / 2
            assert min(t.get_fontsize() for t in texts) >= style.current_theme().small_text
        plt.close("all")


def test_compact_updates_like_a_fresh_compact_plot():
    ax = plot_kolb_cycle(model="learning_log", current="experience", compact=True)
    for current in ("reflect", "conclude", None, "plan"):
        update_kolb_cycle(ax, model="learning_log", current=current, compact=True)
        fresh = plot_kolb_cycle(model="learning_log", current=current, compact=True)
        assert _cycle_look(ax) == _cycle_look(fresh)
    # a long-named cycle gets the width its names need, and still fits
    kolb = plot_kolb_cycle(model="kolb", current="active_experimentation", compact=True)
    kolb.figure.canvas.draw()
    for p in kolb.patches:
        if (p.get_gid() or "").startswith("stage:"):
            box = p.get_window_extent()
            assert kolb.bbox.x0 <= box.x0 and box.x1 <= kolb.bbox.x1, p.get_gid()
