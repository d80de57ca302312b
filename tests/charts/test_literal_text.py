"""Every chart draws text literally, set in one place (``core.style.LITERAL_TEXT``).

A learner's "$5 or £5" must never start mathtext: it would draw as maths, or fail the
whole draw on a stray "$" or "_". The styles set this for every ``plot_*`` function
(each draws inside :func:`style_context`) and every ``update_*`` (each runs in the
active style), whatever Matplotlib's own setting is; these tests turn that setting on
to prove it.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest
from matplotlib.text import Text

from partnership_lib.core import style
from partnership_lib.models.checklists import plot_checklist_scores, update_checklist_scores
from partnership_lib.models.postits import PostIt, plot_postit_wall, update_postit_wall
from partnership_lib.models.purpose import plot_purpose_quadrant, update_purpose_quadrant
from partnership_lib.models.ratings import plot_ratings, update_ratings
from partnership_lib.models.stakeholders import (
    Stakeholder,
    plot_power_interest_grid,
    update_power_interest_grid,
)

ODD = "Cost $5_000 \\ year$"


@pytest.fixture(autouse=True)
def maths_on():
    """Matplotlib's own default (mathtext on), as a learner's kernel may have it."""
    with mpl.rc_context({"text.parse_math": True}):
        yield
    plt.close("all")


def texts(ax) -> list[Text]:
    """The chart's texts once drawn, but for tick numbers a draw outside any style adds.

    (Matplotlib makes extra numeric tick labels lazily, from its settings at draw time;
    every picture the library makes is drawn inside its style, and these are numbers.)
    """
    ax.figure.canvas.draw()  # mathtext would fail on ODD here
    return [
        t
        for t in ax.figure.findobj(Text)
        if t.get_text() and not t.get_text().replace(".", "").replace("−", "").isdigit()
    ]


@pytest.mark.parametrize("name", style.STYLE_NAMES)
def test_every_style_draws_text_literally(name):
    with style.style_context(name):
        _fig, ax = plt.subplots()
        text = ax.text(0.5, 0.5, ODD)
        ax.set_title(ODD)
        ax.set_xticks([0.5], [ODD])
    assert text.get_parse_math() is False
    assert all(t.get_parse_math() is False for t in texts(ax))
    assert mpl.rcParams["text.parse_math"] is True  # restored after the block


def test_use_style_sets_literal_text_too():
    before = style.current_theme().name
    try:
        style.use_style("projector")
        assert mpl.rcParams["text.parse_math"] is False
    finally:
        style.use_style(before)


UPDATES = {
    "postits": (
        lambda: plot_postit_wall([PostIt("pink", "first")]),
        lambda ax: update_postit_wall(ax, [PostIt("pink", "first"), PostIt("green", ODD)]),
    ),
    "checklists": (
        lambda: plot_checklist_scores([("Purpose", 1, 2), (ODD, 0, 5)]),
        lambda ax: update_checklist_scores(ax, [("Purpose", 1, 2), (ODD, 2, 5)]),
    ),
    "purpose": (
        lambda: plot_purpose_quadrant(position=(2, 2), label="Us"),
        lambda ax: update_purpose_quadrant(ax, position=(8, 8), label=ODD),
    ),
    "ratings": (
        lambda: plot_ratings({"a": 2}, labels={"a": ODD}),
        lambda ax: update_ratings(ax, {"a": None}, labels={"a": ODD}),
    ),
    "grid": (
        lambda: plot_power_interest_grid([Stakeholder("A", 2, 2)]),
        lambda ax: update_power_interest_grid(ax, [Stakeholder("A", 2, 2), Stakeholder(ODD, 8, 8)]),
    ),
}


@pytest.mark.parametrize("name", sorted(UPDATES))
def test_updaters_draw_new_text_literally_outside_a_live_chart(name):
    plot, update = UPDATES[name]
    ax = plot()
    assert update(ax) is not None  # in place, called on its own, in no style_context
    shown = texts(ax)
    assert any(ODD in t.get_text().replace("\n", " ") for t in shown), name
    assert all(t.get_parse_math() is False for t in shown), [
        t.get_text() for t in shown if t.get_parse_math()
    ]
