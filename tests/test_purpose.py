"""Purpose of partnership (Pratt et al 1998): content, quadrant rules and the chart."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from _helpers import by_gid, edit_yaml, visible_texts
from matplotlib.colors import to_hex

from partnership_lib.core import style
from partnership_lib.core.content import ContentError
from partnership_lib.models.purpose import (
    characteristic_at,
    describe_purpose_quadrant,
    plot_purpose_quadrant,
    purpose_model,
)

PLACES = {
    "competition": ("individual", "predictable"),
    "co_operation": ("individual", "unpredictable"),
    "co_ordination": ("collective", "predictable"),
    "co_evolution": ("collective", "unpredictable"),
}
CONDITIONS = [
    "Building relationships",
    "Changing mental maps",
    "Diversity",
    "Expectation",
    "Iteration",
    "Responsibility",
    "Future",
]


# --------------------------------------------------------------------------- content


def test_model_loads_with_the_workbooks_labels():
    model = purpose_model()
    assert model.source == "Pratt et al 1998"
    assert model.title == "Partnership: fit for purpose?"
    assert [c.name for c in model.characteristics] == [
        "Competition",
        "Co-operation",
        "Co-ordination",
        "Co-evolution",
    ]
    assert {c.key: (c.goals, c.predictability) for c in model.characteristics} == PLACES
    assert [c.name for c in model.conditions] == CONDITIONS
    assert (model.goals_axis.low, model.goals_axis.high) == ("Individual", "Collective")
    assert (model.predictability_axis.low, model.predictability_axis.high) == (
        "Predictable",
        "Unpredictable",
    )


def test_characteristic_lookup():
    model = purpose_model()
    assert model.characteristic("co-evolution").key == "co_evolution"
    assert model.characteristic("COMPETITION").name == "Competition"
    with pytest.raises(
        ValueError, match=r"unknown characteristic 'rivalry'; characteristics: Competition"
    ):
        model.characteristic("rivalry")


# --------------------------------------------------------------------------- characteristic_at


@pytest.mark.parametrize(
    ("goals", "predictability", "key"),
    [
        (2, 2, "competition"),
        (2, 8, "co_operation"),
        (8, 2, "co_ordination"),
        (8, 8, "co_evolution"),
        (5, 5, "co_evolution"),  # the midpoint counts as collective and unpredictable
        (4.99, 5, "co_operation"),
        (5, 4.99, "co_ordination"),
        (0, 0, "competition"),
        (10, 10, "co_evolution"),
        (np.float64(7), np.int64(1), "co_ordination"),
    ],
)
def test_characteristic_at(goals, predictability, key):
    assert characteristic_at(goals, predictability).key == key


@pytest.mark.parametrize(
    ("goals", "predictability", "message"),
    [
        (11, 5, r"goals must be between 0 and 10, got 11"),
        (5, -0.5, r"predictability must be between 0 and 10, got -0.5"),
        (math.nan, 5, r"goals must be a finite number, got nan"),
        (5, math.inf, r"predictability must be a finite number"),
        ("5", 5, r"goals must be a number from 0 to 10, got '5'"),
        (True, 5, r"goals must be a number"),
    ],
)
def test_characteristic_at_rejects_bad_values(goals, predictability, message):
    with pytest.raises(ValueError, match=message):
        characteristic_at(goals, predictability)


# --------------------------------------------------------------------------- malformed content


def test_bad_quadrant_names_file_entry_and_field(content_copy):
    edit_yaml(content_copy / "purpose.yaml", lambda d: d["characteristics"][0].update(goals="both"))
    with pytest.raises(ContentError) as info:
        purpose_model()
    message = str(info.value)
    assert "purpose.yaml" in message
    assert "entry 'characteristics/competition'" in message and "field 'goals'" in message


def test_two_characteristics_in_one_quadrant_is_reported(content_copy):
    edit_yaml(
        content_copy / "purpose.yaml",
        lambda d: d["characteristics"][1].update(predictability="predictable"),
    )
    with pytest.raises(ContentError, match=r"purpose\.yaml.*one characteristic in each quadrant"):
        purpose_model()


def test_missing_condition_meaning_is_named(content_copy):
    edit_yaml(content_copy / "purpose.yaml", lambda d: d["conditions"][4].pop("meaning"))
    with pytest.raises(
        ContentError, match=r"purpose\.yaml.*entry 'conditions/iteration'.*'meaning'"
    ):
        purpose_model()


# --------------------------------------------------------------------------- the chart


def quadrant_bounds(ax, key):
    patch = by_gid(ax, f"quadrant:{key}")
    return patch.get_x(), patch.get_y(), patch.get_width(), patch.get_height()


def test_quadrants_are_placed_by_goals_and_predictability():
    ax = plot_purpose_quadrant()
    assert quadrant_bounds(ax, "competition") == (0, 0, 5, 5)
    assert quadrant_bounds(ax, "co_operation") == (0, 5, 5, 5)
    assert quadrant_bounds(ax, "co_ordination") == (5, 0, 5, 5)
    assert quadrant_bounds(ax, "co_evolution") == (5, 5, 5, 5)
    theme = style.current_theme()
    fills = [to_hex(by_gid(ax, f"quadrant:{k}").get_facecolor()) for k in PLACES]
    assert fills == [
        to_hex(theme.quadrant_fills[i]) for i in (3, 2, 1, 0)
    ]  # theme order: TR, BR, TL, BL


def test_quadrant_labels_sit_in_their_quadrants():
    model = purpose_model()
    ax = plot_purpose_quadrant()
    for c in model.characteristics:
        x0, y0, w, h = quadrant_bounds(ax, c.key)
        label = by_gid(ax, f"quadrant-label:{c.key}")
        assert label.get_text() == c.name
        x, y = label.get_position()
        assert x0 < x < x0 + w and y0 < y < y0 + h
        meaning = by_gid(ax, f"quadrant-meaning:{c.key}")
        assert " ".join(meaning.get_text().split()) == " ".join(c.meaning.split())


def test_axis_labels_name_both_ends():
    ax = plot_purpose_quadrant()
    assert ax.get_xlabel().startswith("Goals")
    assert ax.get_ylabel().startswith("Predictability")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Individual", "", "Collective"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Predictable", "", "Unpredictable"]


def test_no_point_unless_asked():
    ax = plot_purpose_quadrant()
    assert [a for a in ax.findobj() if (a.get_gid() or "").startswith("point")] == []


@pytest.mark.parametrize("position", [(7.5, 8), (2, 2), (9.8, 9.8), (5, 5), (0.2, 9.9), (9, 0.5)])
def test_point_is_marked_where_asked_and_its_label_stays_clear(position):
    ax = plot_purpose_quadrant(position=position, label="Healthy Living Centre")
    point = by_gid(ax, "point")
    assert np.allclose(point.get_offsets(), [position])
    note = by_gid(ax, "point-label")
    assert note.get_text() == "Healthy Living Centre"
    assert tuple(note.xy) == pytest.approx(position)
    fig = ax.figure
    fig.canvas.draw()
    box = note.get_window_extent()
    frame = ax.get_window_extent()
    assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
    quadrant_texts = [
        a
        for a in ax.texts
        if (a.get_gid() or "").startswith(("quadrant-label:", "quadrant-meaning:"))
    ]
    for t in quadrant_texts:
        assert not box.overlaps(t.get_window_extent()), t.get_text()
    # and the point itself is not drawn on top of a quadrant's text
    px, py = ax.transData.transform(position)
    for t in quadrant_texts:
        b = t.get_window_extent()
        assert not (b.x0 <= px <= b.x1 and b.y0 <= py <= b.y1), t.get_text()


def test_label_is_drawn_literally():
    odd = "Cost $5_000 \\ year$"
    ax = plot_purpose_quadrant(position=(3, 3), label=odd)
    texts = visible_texts(ax.figure)
    assert by_gid(ax, "point-label").get_text() == odd
    assert all(not t.get_parse_math() for t in texts)


def test_kwargs_reach_the_point():
    ax = plot_purpose_quadrant(position=(3, 3), color="#112233", marker="o")
    assert to_hex(by_gid(ax, "point").get_facecolor()[0]) == "#112233"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"position": (12, 3)}, r"goals must be between 0 and 10, got 12"),
        ({"position": (3, math.nan)}, r"predictability must be a finite number"),
        ({"position": 3}, r"position must be a \(goals, predictability\) pair"),
        ({"position": (1, 2, 3)}, r"position must be a \(goals, predictability\) pair"),
        ({"position": (3, 3), "label": "  "}, r"label must be non-empty text"),
    ],
)
def test_bad_input_is_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_purpose_quadrant(**kwargs)
    with pytest.raises(ValueError, match=message):
        describe_purpose_quadrant(**kwargs)


def test_returns_given_axes():
    _, ax = plt.subplots()
    assert plot_purpose_quadrant(ax=ax) is ax


def test_describe_names_axes_quadrants_and_point():
    text = describe_purpose_quadrant(position=(7.5, 8), label="Healthy Living Centre")
    assert text.startswith("Quadrant chart: Purpose of partnership (Pratt et al 1998")
    assert "from individual on the left to collective on the right" in text
    assert "from predictable at the bottom to unpredictable at the top" in text
    assert "Top left: Co-operation (individual goals, unpredictable)." in text
    assert "Bottom right: Co-ordination (collective goals, predictable)." in text
    assert text.endswith(
        "Healthy Living Centre is marked at goals 7.5 and predictability 8 out of 10, "
        "in the Co-evolution quadrant (collective goals, unpredictable)."
    )
    assert "marked" not in describe_purpose_quadrant()


def test_projector_text_is_at_least_18pt_and_does_not_overlap():
    with style.style_context("projector"):
        for position in (None, (7.5, 8), (2.5, 2.5)):
            fig = plot_purpose_quadrant(position=position).figure
            texts = visible_texts(fig)
            for t in texts:
                assert t.get_fontsize() >= 18, f"{t.get_text()!r} is {t.get_fontsize()}pt"
            boxes = [(t.get_text(), t.get_window_extent()) for t in texts]
            for i, (a_text, a) in enumerate(boxes):
                for b_text, b in boxes[i + 1 :]:
                    assert not a.overlaps(b), f"{a_text!r} overlaps {b_text!r}"
            plt.close(fig)
