"""Activity 1's skills chart: counting recurring skills, the bars and their live update."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
import pytest
from _helpers import compare_with_baseline
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle
from PIL import Image

from partnership_lib.charts.live import LiveFigure
from partnership_lib.core.style import current_theme, style_context
from partnership_lib.models import frameworks, skills


def same_picture(live, png, tol=2):
    """``png`` matches a full redraw of the live figure as it stands (as tests/test_live.py)."""

    def pixels(data):
        return np.asarray(Image.open(io.BytesIO(data)).convert("RGBA")).astype(int)

    diff = np.abs(pixels(png) - pixels(live.reference_png()))
    assert diff.max() <= tol, f"{int((diff.max(axis=2) > tol).sum())} pixels differ"


def bars(ax):
    return {
        p.get_gid().removeprefix("bar:"): p.get_width()
        for p in ax.patches
        if isinstance(p, Rectangle) and (p.get_gid() or "").startswith("bar:")
    }


def test_skill_counts_count_contexts_not_clicks_and_sort_by_recurrence():
    sel = {
        "Personal": ["trust", "listening", "listening"],
        "Team": ["listening", "planning"],
        "Professional": ["listening", "trust"],
        "Organisational": [],
    }
    assert skills.skill_counts(sel) == [("listening", 3), ("trust", 2), ("planning", 1)]


def test_skill_counts_reject_unknown_skill_naming_context():
    with pytest.raises(ValueError, match=r"Team: unknown skill 'juggling'"):
        skills.skill_counts({"Team": ["juggling"]})
    with pytest.raises(ValueError, match="list of keys"):
        skills.skill_counts({"Team": "listening"})


def test_plot_skill_recurrence_draws_one_bar_per_skill_with_its_count():
    ax = skills.plot_skill_recurrence({"A": ["listening", "trust"], "B": ["listening"]})
    assert bars(ax) == {"listening": 2, "trust": 1}
    counts = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}
    assert counts == {"count:listening": "2", "count:trust": "1"}
    ticks = {t.get_text(): t.get_position()[1] for t in ax.get_yticklabels()}
    assert ticks["Listening"] > ticks["Trust"]  # most recurrent at the top
    (bar,) = [p for p in ax.patches if p.get_gid() == "bar:listening"]
    assert to_hex(bar.get_facecolor()) == to_hex(current_theme().accent)


def test_plot_skill_recurrence_caps_bars_and_says_so():
    keys = [s.key for s in frameworks.skills()][:20]
    ax = skills.plot_skill_recurrence({"A": keys})
    assert len(bars(ax)) == skills.MAX_BARS
    assert "5 more" in ax.get_title(loc="left")
    text = skills.describe_skill_recurrence({"A": keys})
    assert all(s.label in text for s in frameworks.skills()[:20])


def test_describe_skill_recurrence_groups_by_count():
    text = skills.describe_skill_recurrence({"A": ["listening", "trust"], "B": ["listening"]})
    assert "across 2 contexts" in text
    assert "Used in 2 contexts: Listening." in text
    assert "Used in 1 context: Trust." in text
    assert "no skills chosen" in skills.describe_skill_recurrence({"A": []})


@pytest.mark.parametrize("style_name", ["workbook", "projector", "high_contrast"])
def test_skill_recurrence_matches_baseline(style_name, tmp_path):
    sel = {
        "Personal": ["listening", "trust", "empathy"],
        "Professional": ["listening", "planning", "trust"],
        "Organisational": ["listening", "solution_finding"],
        "Team": ["listening", "trust", "supporting"],
        "Service User and Carer": ["respect", "listening"],
    }
    with style_context(style_name):
        ax = skills.plot_skill_recurrence(sel)
    compare_with_baseline(ax.figure, f"skill_recurrence_{style_name}", tmp_path)


def test_skill_labels_are_drawn_literally():
    ax = skills.plot_skill_recurrence({"Cost $5_000 \\ year": ["listening"]})
    assert all(not t.get_parse_math() for t in ax.texts)
    assert all(not t.get_parse_math() for t in ax.get_yticklabels())


# --------------------------------------------------------------------------- live update


def _look(ax):
    """What a skills chart shows: bars, counts, skill names and title."""
    bars_ = sorted((p.get_gid(), p.get_width(), round(p.get_y(), 6)) for p in ax.patches)
    counts = sorted(
        (t.get_gid(), t.get_text(), tuple(t.get_position())) for t in ax.texts if t.get_gid()
    )
    ticks = [(t.get_text(), y) for t, y in zip(ax.get_yticklabels(), ax.get_yticks(), strict=True)]
    return bars_, counts, ticks, ax.get_title(loc="left"), ax.get_ylim()


CONTEXTS = ("Personal", "Team", "Professional", "Organisational", "Service")


def _selections(**chosen):
    return {c: list(chosen.get(c.lower(), [])) for c in CONTEXTS}


def test_update_skill_recurrence_gives_the_artists_a_fresh_plot_gives():
    keys = [s.key for s in frameworks.skills()]
    steps = [
        _selections(personal=["trust", "evaluating_differing_viewpoints"]),
        _selections(personal=["trust", "listening"], team=["listening"]),
        _selections(personal=["listening"], team=["listening"], professional=["respect"]),
        _selections(personal=keys[:17]),  # more than MAX_BARS: the title says how many more
        _selections(personal=keys[:3]),
    ]
    ax = skills.plot_skill_recurrence(steps[0])
    ax.figure.canvas.draw()  # the layout makes room for the longest name drawn
    for sel in steps[1:]:
        changed = skills.update_skill_recurrence(ax, sel)
        assert changed, sel
        assert _look(ax) == _look(skills.plot_skill_recurrence(sel))
        assert len(ax.containers) == len(bars(ax))  # old bars leave no container behind
    assert skills.update_skill_recurrence(ax, steps[-1]) == []  # nothing to change


def test_update_skill_recurrence_asks_for_a_full_draw_when_it_cannot_update():
    ax = skills.plot_skill_recurrence(_selections(personal=["trust"]))
    assert skills.update_skill_recurrence(ax, _selections()) is None  # becomes empty
    assert skills.update_skill_recurrence(ax, {"Only": ["trust"]}) is None  # fewer contexts
    assert skills.update_skill_recurrence(ax, _selections(team=["trust"]), color="red") is None
    assert skills.update_skill_recurrence(plt.subplots()[1], _selections(team=["trust"])) is None
    # a name longer than any the first layout made room for: draw again, with a new layout
    short = skills.plot_skill_recurrence(_selections(personal=["trust"]))
    short.figure.canvas.draw()
    longer = _selections(personal=["trust", "evaluating_differing_viewpoints"])
    assert skills.update_skill_recurrence(short, longer) is None
    empty = skills.plot_skill_recurrence(_selections())
    assert skills.update_skill_recurrence(empty, _selections(team=["trust"])) is None
    with pytest.raises(ValueError, match="unknown skill"):
        skills.update_skill_recurrence(ax, _selections(team=["juggling"]))


def test_live_skill_recurrence_repaints_in_part_and_matches_a_full_draw():
    live = LiveFigure(style_name="workbook")
    first = _selections(personal=["evaluating_differing_viewpoints", "trust"])
    live.render(lambda ax: skills.plot_skill_recurrence(first, ax=ax))
    steps = [
        _selections(personal=["trust"]),
        _selections(personal=["trust", "listening"], team=["listening"]),
        _selections(personal=["listening"], team=["listening", "respect"]),
        _selections(personal=["listening", "trust"], team=["listening"], professional=["trust"]),
    ]
    for sel in steps:
        png = live.render(
            lambda ax, s=sel: skills.plot_skill_recurrence(s, ax=ax),
            lambda ax, s=sel: skills.update_skill_recurrence(ax, s),
        )
        assert live.last_path == "partial", sel
        same_picture(live, png)
