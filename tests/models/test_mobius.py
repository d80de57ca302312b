"""The Mobius Model: content, scores, conversation paths and the map."""

from __future__ import annotations

import itertools
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from _helpers import by_gid, compare_with_baseline, edit_yaml, gids, visible_texts
from matplotlib.colors import to_hex, to_rgb
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch
from matplotlib.path import Path as Path_
from matplotlib.transforms import Bbox

from partnership_lib.core import style
from partnership_lib.core.content import ContentError
from partnership_lib.models.conversations import worked_conversations
from partnership_lib.models.mobius import (
    MONOLOGUE_KEYS,
    QUALITY_KEYS,
    SCORE_WORDS,
    TAGS,
    describe_mobius_map,
    mobius_model,
    next_conversation,
    plot_mobius_map,
    score_label,
    score_word,
    tag_label,
    update_mobius_map,
)

QUALITY_NAMES = [
    "Mutual understanding",
    "Possibility",
    "Commitment",
    "Capability",
    "Responsibility",
    "Acknowledgement",
]
SCORES = {
    "mutual_understanding": 5,
    "possibility": 4,
    "commitment": 3,
    "capability": 2,
    "responsibility": 1,
}
PATH = ["Blame", "worry", "mutual_understanding", "Mutual understanding", "POSSIBILITY"]


# --------------------------------------------------------------------------- helpers


def node_centre(ax, tag):
    patch = by_gid(ax, f"quality:{tag}" if tag in QUALITY_KEYS else f"monologue:{tag}")
    if isinstance(patch, Circle):
        return np.array(patch.center)
    return np.array([patch.get_x() + patch.get_width() / 2, patch.get_y() + patch.get_height() / 2])


def node_top(ax, tag):
    patch = by_gid(ax, f"quality:{tag}" if tag in QUALITY_KEYS else f"monologue:{tag}")
    if isinstance(patch, Circle):
        return patch.center[1] + patch.radius
    return patch.get_y() + patch.get_height()


def arrow_points(arrow):
    """An arrow's path vertices in data coordinates, without CLOSEPOLY placeholders."""
    path = arrow.get_path()
    if path.codes is None:
        return path.vertices
    return path.vertices[path.codes != Path_.CLOSEPOLY]


def signed_turn(xs, ys, centre):
    """Total angle swept round ``centre``: positive is anticlockwise."""
    angles = np.unwrap(np.arctan2(np.asarray(ys) - centre[1], np.asarray(xs) - centre[0]))
    return angles[-1] - angles[0]


def text_boxes(ax):
    """Every text drawn in ``ax`` with its extent in pixels, its background box included.

    The figure is laid out as a draw would, without painting pixels (which is slow). The
    title sits above the Axes, where the path (kept inside, see below) cannot reach.
    """
    ax.figure.draw_without_rendering()
    renderer = ax.figure.canvas.get_renderer()
    out = []
    texts = [t for t in ax.texts if t.get_visible() and t.get_text().strip()]
    for text in texts:
        box = text.get_window_extent(renderer)
        patch = text.get_bbox_patch()
        if patch is not None:
            text.update_bbox_position_size(renderer)
            box = Bbox.union([box, patch.get_window_extent(renderer)])
        out.append((text, box))
    return out


def drawn_points(arrow, ax, step=2.0):
    """Points every ``step`` pixels along everything an arrow draws (its line and head)."""
    points = []
    for poly in arrow.get_path().to_polygons(transform=ax.transData, closed_only=False):
        for p0, p1 in itertools.pairwise(poly):
            n = max(2, int(np.hypot(*(p1 - p0)) / step) + 1)
            points.append(np.linspace(p0, p1, n))
    return np.vstack(points)


def assert_path_clear(ax):
    """No text of the map overlaps another (path numbers and "Start" included), no path
    arrow runs through any text but its own number, and the path stays inside the map."""
    boxes = text_boxes(ax)
    problems = []
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        if box_a.overlaps(box_b):
            problems.append(f"{a.get_text()!r} overlaps {b.get_text()!r}")
    area = ax.bbox
    for text, box in boxes:
        if (text.get_gid() or "").startswith("path-") and not (
            area.x0 <= box.x0 and box.x1 <= area.x1 and area.y0 <= box.y0 and box.y1 <= area.y1
        ):
            problems.append(f"{text.get_gid()} leaves the map")
    for arrow in ax.patches:
        gid = arrow.get_gid() or ""
        if not gid.startswith("path-arrow:"):
            continue
        own = "path-number:" + gid.split(":")[1]
        points = drawn_points(arrow, ax)
        inside = (
            (area.x0 <= points[:, 0])
            & (points[:, 0] <= area.x1)
            & (area.y0 <= points[:, 1])
            & (points[:, 1] <= area.y1)
        )
        if not inside.all():
            problems.append(f"{gid} is cut off at the edge of the map")
        for text, box in boxes:
            if text.get_gid() == own:
                continue
            x, y = points[:, 0], points[:, 1]
            hit = (x > box.x0 + 1) & (x < box.x1 - 1) & (y > box.y0 + 1) & (y < box.y1 - 1)
            if hit.any():
                problems.append(f"{gid} runs through {text.get_text()!r}")
    assert not problems, "; ".join(sorted(set(problems)))


def luminance(colour):
    r, g, b = to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# --------------------------------------------------------------------------- content


def test_model_loads_with_the_workbooks_labels():
    model = mobius_model()
    assert [q.name for q in model.qualities] == QUALITY_NAMES
    assert [q.order for q in model.qualities] == [1, 2, 3, 4, 5, 6]
    assert [(m.name, m.direction) for m in model.monologues] == [
        ("Blame", "anticlockwise"),
        ("Praise", "anticlockwise"),
        ("Worry", "clockwise"),
        ("Claim", "clockwise"),
    ]
    assert model.source == "Demarest et al 2004"
    assert "difference" in model.choice_point
    assert "individuals" in model.outer and "self or others" not in model.inner
    assert "relationship" in model.inner


def test_tags_are_the_contract():
    assert TAGS == QUALITY_KEYS + MONOLOGUE_KEYS
    assert mobius_model().tags == TAGS
    assert QUALITY_KEYS[0] == "mutual_understanding" and "claim" in MONOLOGUE_KEYS


@pytest.mark.parametrize(
    ("tag", "label"),
    [
        ("mutual_understanding", "Mutual understanding"),
        ("Mutual Understanding", "Mutual understanding"),
        ("mutual-understanding", "Mutual understanding"),
        ("BLAME", "Blame"),
        (" worry ", "Worry"),
    ],
)
def test_tag_label(tag, label):
    assert tag_label(tag) == label


def test_unknown_tag_is_named():
    with pytest.raises(ValueError, match=r"unknown Mobius tag 'trust'; tags: mutual_understanding"):
        tag_label("trust")


def test_score_words_agree_with_the_scale():
    # The rating scale names 1 "missing", 3 "partly there" and 5 "fully present": only
    # a 1 is called missing.
    assert [score_word(s) for s in (1, 2, 2.5, 3, 3.4, 3.9, 4, 5)] == [
        "missing",
        "barely there",
        "partly there",
        "partly there",
        "partly there",
        "mostly there",
        "mostly there",
        "fully present",
    ]
    assert [score_word(s) for s in (1.2, 1.5, 4.5, 4.9)] == [
        "missing",
        "barely there",
        "fully present",
        "fully present",
    ]
    assert score_word(None) == "not rated"
    assert [score_label(s) for s in (1, 3, 5)] == [
        "1 = missing",
        "3 = partly there",
        "5 = fully present",
    ]
    assert list(SCORE_WORDS) == [1, 2, 3, 4, 5]
    assert sum(word == "missing" for word in SCORE_WORDS.values()) == 1


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("qualities", "message"),
    [
        ({"possibility": 6}, r"Possibility: score must be between 1 and 5, got 6"),
        ({"possibility": 0}, r"Possibility: score must be between 1 and 5, got 0"),
        ({"commitment": math.nan}, r"Commitment: score must be a finite number, got nan"),
        ({"commitment": math.inf}, r"Commitment: score must be a finite number"),
        ({"commitment": "high"}, r"Commitment: score must be a number from 1 to 5, got 'high'"),
        ({"commitment": True}, r"Commitment: score must be a number"),
        ({"trust": 3}, r"unknown Mobius tag 'trust'"),
        ({"blame": 3}, r"'blame' is a monologue, not a quality"),
        (
            {"possibility": 3, "Possibility": 4},
            r"'Possibility' is rated twice \(as 'Possibility'\)",
        ),
        ([("possibility", 3)], r"qualities must map quality keys to scores"),
    ],
)
def test_bad_scores_are_named(qualities, message):
    with pytest.raises(ValueError, match=message):
        plot_mobius_map(qualities=qualities)
    with pytest.raises(ValueError, match=message):
        describe_mobius_map(qualities=qualities)


def test_bad_path_is_named():
    with pytest.raises(ValueError, match=r"unknown Mobius tag 'gossip'"):
        plot_mobius_map(path=["blame", "gossip"])
    with pytest.raises(ValueError, match=r"path must be a sequence of tags, got 'blame'"):
        plot_mobius_map(path="blame")


# --------------------------------------------------------------------------- next conversation


def test_next_conversation_is_the_first_undeveloped_quality_in_order():
    scores = {"mutual_understanding": 4, "possibility": 2, "commitment": 1, "capability": None}
    assert next_conversation(scores).key == "possibility"  # first in order, not the lowest
    assert next_conversation({"Acknowledgement": 1, "Commitment": 2}).key == "commitment"


def test_next_conversation_none_when_nothing_is_missing():
    assert next_conversation({"possibility": 3, "commitment": 5}) is None
    assert next_conversation({"possibility": None}) is None
    assert next_conversation({}) is None
    assert next_conversation(None) is None


def test_next_conversation_validates():
    with pytest.raises(ValueError, match=r"Capability: score must be between 1 and 5"):
        next_conversation({"capability": 9})


# --------------------------------------------------------------------------- malformed content


def test_bad_direction_names_file_entry_and_field(content_copy):
    def change(data):
        data["monologues"][2]["direction"] = "sideways"

    edit_yaml(content_copy / "mobius.yaml", change)
    with pytest.raises(ContentError) as info:
        mobius_model()
    message = str(info.value)
    assert "mobius.yaml" in message
    assert "entry 'monologues/worry'" in message and "field 'direction'" in message


def test_missing_meaning_is_named(content_copy):
    edit_yaml(content_copy / "mobius.yaml", lambda d: d["qualities"][3].pop("meaning"))
    with pytest.raises(
        ContentError, match=r"mobius\.yaml.*entry 'qualities/capability'.*'meaning'"
    ):
        mobius_model()


def test_renamed_key_breaks_the_contract_loudly(content_copy):
    edit_yaml(content_copy / "mobius.yaml", lambda d: d["qualities"][1].update(key="vision"))
    with pytest.raises(
        ContentError, match=r"mobius\.yaml, entry 'qualities': quality keys must be"
    ):
        mobius_model()


# --------------------------------------------------------------------------- the map


def test_map_returns_axes_and_reuses_a_given_one():
    ax = plot_mobius_map()
    assert ax.figure is not None
    _, given = plt.subplots()
    assert plot_mobius_map(ax=given) is given


def test_every_element_is_drawn_and_labelled():
    ax = plot_mobius_map()
    assert gids(ax, "quality:") == sorted(f"quality:{k}" for k in QUALITY_KEYS)
    assert gids(ax, "monologue:") == sorted(f"monologue:{k}" for k in MONOLOGUE_KEYS)
    for key, name in zip(QUALITY_KEYS, QUALITY_NAMES, strict=True):
        label = by_gid(ax, f"quality-label:{key}").get_text()
        assert " ".join(label.split()) == name
        assert by_gid(ax, f"quality:{key}").get_linestyle() == "-"
    assert gids(ax, "quality-score:") == []  # the plain model carries no rating lines
    for key in MONOLOGUE_KEYS:
        assert by_gid(ax, f"monologue-label:{key}").get_text() == key.capitalize()
    assert gids(ax, "path-") == []


def test_qualities_sit_inside_and_monologues_outside_the_dialogue_circle():
    ax = plot_mobius_map()
    ring = by_gid(ax, "dialogue")
    assert isinstance(ring, Ellipse)
    cx, cy = ring.center
    rx, ry = ring.width / 2, ring.height / 2

    def reach(tag):
        x, y = node_centre(ax, tag)
        return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2

    assert all(reach(k) <= 1.0 + 1e-9 for k in QUALITY_KEYS)
    assert all(reach(k) > 1.5 for k in MONOLOGUE_KEYS)


def test_qualities_run_clockwise_in_the_models_order():
    ax = plot_mobius_map()
    angles = [math.atan2(*node_centre(ax, k)[::-1]) for k in QUALITY_KEYS]
    turns = np.diff(np.unwrap(angles))
    assert np.all(turns < 0)  # each next quality is further clockwise


def test_monologue_flows_go_the_right_way_round():
    ax = plot_mobius_map()
    expected = {"blame": +1, "praise": +1, "worry": -1, "claim": -1}  # +1 anticlockwise
    for key, sign in expected.items():
        flow = by_gid(ax, f"flow:{key}")
        centre = by_gid(ax, f"monologue:{key}").center
        turn = signed_turn(flow.get_xdata(), flow.get_ydata(), centre)
        assert np.sign(turn) == sign, key
        assert abs(turn) > math.pi  # a clear loop, not a wiggle
        head = by_gid(ax, f"flow-head:{key}")
        tip = arrow_points(head)
        end = np.array([flow.get_xdata()[-1], flow.get_ydata()[-1]])
        assert np.min(np.linalg.norm(tip - end, axis=1)) < 0.2  # the head is at the end
        assert by_gid(ax, f"flow-label:{key}").get_text() == (
            "anticlockwise" if sign > 0 else "clockwise"
        )


def test_choice_point_is_at_the_top_above_everything_else():
    ax = plot_mobius_map(path=PATH)
    choice = by_gid(ax, "choice-point")
    (x,) = choice.get_xdata()
    (y,) = choice.get_ydata()
    assert x == pytest.approx(0)
    assert all(y > node_top(ax, k) for k in TAGS)
    for key in MONOLOGUE_KEYS:
        assert y > max(by_gid(ax, f"flow:{key}").get_ydata())
    arrow = by_gid(ax, "choice-arrow")
    verts = arrow_points(arrow)
    assert verts[:, 1].min() < y  # points down from the choice point into the circle


def test_quality_fills_follow_the_scores():
    theme = style.current_theme()
    ax = plot_mobius_map(qualities=SCORES)
    fills = {k: by_gid(ax, f"quality:{k}").get_facecolor() for k in SCORES}
    for key, score in SCORES.items():
        assert to_hex(fills[key]) == to_hex(theme.score_cmap((score - 1) / 4))
    by_score = sorted(SCORES, key=SCORES.get)
    lum = [luminance(fills[k]) for k in by_score]
    assert lum == sorted(lum, reverse=True) and len(set(lum)) == len(lum)  # darker = higher


def test_scores_are_printed_so_colour_is_not_the_only_cue():
    ax = plot_mobius_map(qualities={**SCORES, "acknowledgement": None})
    assert by_gid(ax, "quality-score:mutual_understanding").get_text() == "5 of 5 · fully present"
    assert by_gid(ax, "quality-score:commitment").get_text() == "3 of 5 · partly there"
    assert by_gid(ax, "quality-score:capability").get_text() == "2 of 5 · barely there"
    assert by_gid(ax, "quality-score:responsibility").get_text() == "1 of 5 · missing"
    unrated = by_gid(ax, "quality:acknowledgement")
    assert by_gid(ax, "quality-score:acknowledgement").get_text() == "not rated"
    assert unrated.get_linestyle() != "-"
    assert to_hex(unrated.get_facecolor()) == to_hex(plt.rcParams["axes.facecolor"])


def test_text_on_dark_fills_is_light():
    ax = plot_mobius_map(qualities={"mutual_understanding": 5, "capability": 1})
    dark = by_gid(ax, "quality-label:mutual_understanding").get_color()
    light = by_gid(ax, "quality-label:capability").get_color()
    assert luminance(dark) > 0.9 and luminance(light) < 0.3


def test_path_arrows_are_numbered_in_order():
    steps = ["blame", "worry", "mutual_understanding", "possibility", "claim"]
    ax = plot_mobius_map(path=steps)
    arrows = gids(ax, "path-arrow:")
    assert arrows == [f"path-arrow:{n}" for n in (1, 2, 3, 4)]
    for n, (a, b) in enumerate(itertools.pairwise(steps), start=1):
        arrow = by_gid(ax, f"path-arrow:{n}")
        assert isinstance(arrow, FancyArrowPatch)
        assert by_gid(ax, f"path-number:{n}").get_text() == str(n)
        verts = arrow_points(arrow)
        ca, cb = node_centre(ax, a), node_centre(ax, b)
        start = verts[0]
        tip = verts[np.argmin(np.linalg.norm(verts - cb, axis=1))]
        assert np.linalg.norm(start - ca) < np.linalg.norm(start - cb)  # leaves a ...
        assert np.linalg.norm(tip - cb) < np.linalg.norm(tip - ca)  # ... and reaches b
    start = by_gid(ax, "path-start")
    assert start.get_text() == "Start"
    assert start.get_position()[1] > node_centre(ax, "blame")[1]


def test_a_repeated_step_is_a_numbered_loop_at_the_node():
    ax = plot_mobius_map(path=PATH)  # step 3 -> 4 stays on mutual understanding
    assert gids(ax, "path-arrow:") == [f"path-arrow:{n}" for n in (1, 2, 3, 4)]
    loop = by_gid(ax, "path-arrow:3")
    verts = arrow_points(loop)
    centre = node_centre(ax, "mutual_understanding")
    assert np.max(np.linalg.norm(verts - centre, axis=1)) < 3  # stays by its node
    assert by_gid(ax, "path-number:3").get_text() == "3"


def test_path_numbers_do_not_sit_on_the_centre_labels():
    ax = plot_mobius_map(path=["blame", "worry", "praise", "claim"])
    fig = ax.figure
    fig.canvas.draw()
    centre = by_gid(ax, "region:dialogue").get_window_extent()
    for n in (1, 2, 3):
        assert not by_gid(ax, f"path-number:{n}").get_window_extent().overlaps(centre)


def test_kwargs_reach_the_dialogue_region():
    ax = plot_mobius_map(facecolor="#abcdef")
    assert to_hex(by_gid(ax, "dialogue").get_facecolor()) == "#abcdef"


def test_all_text_is_literal():
    ax = plot_mobius_map(qualities=SCORES, path=PATH)
    texts = visible_texts(ax.figure)
    assert texts and all(not t.get_parse_math() for t in texts)


# --------------------------------------------------------------------------- text twin


def test_describe_names_every_element_with_its_position_and_score():
    text = describe_mobius_map(qualities={**SCORES, "acknowledgement": None}, path=PATH)
    assert text.startswith("Mobius map: The Mobius Model (Demarest et al 2004).")
    assert "Choice point, marked by an arrow at the top of the circle. The choice" in text
    assert "1. Mutual understanding (upper right): scored 5 of 5, fully present." in text
    assert "4. Capability (lower left): scored 2 of 5, barely there." in text
    assert "5. Responsibility (left): scored 1 of 5, missing." in text
    assert "6. Acknowledgement (upper left): not rated." in text
    assert "Blame (upper left) flows anticlockwise." in text
    assert "Claim (lower right) flows clockwise." in text
    assert (
        "Conversation path with 5 steps: 1 Blame, 2 Worry, 3 Mutual understanding, "
        "4 Mutual understanding again, 5 Possibility." in text
    )
    assert (
        "Next conversation: Capability, the first quality in the model's order rated 2 or "
        "below (missing or barely there)." in text
    )
    assert "<" not in text
    assert "No rated quality is missing or barely there." in describe_mobius_map(
        qualities=dict.fromkeys(QUALITY_KEYS, 3)
    )


def test_describe_without_scores_or_path():
    text = describe_mobius_map()
    assert "not rated" not in text
    assert "1. Mutual understanding (upper right): Everyone feels understood" in text
    assert "Conversation path" not in text and "Next conversation" not in text


# --------------------------------------------------------------------------- projector and images


def test_projector_text_is_at_least_18pt_and_inside_the_figure():
    with style.style_context("projector"):
        for kwargs in ({}, {"qualities": SCORES, "path": PATH}):
            fig = plot_mobius_map(**kwargs).figure
            assert tuple(fig.get_size_inches()) == (16, 9)
            renderer = fig.canvas.get_renderer()
            texts = visible_texts(fig)
            for t in texts:
                assert t.get_fontsize() >= 18, f"{t.get_text()!r} is {t.get_fontsize()}pt"
                box = t.get_window_extent(renderer)
                assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1, t.get_text()
                assert fig.bbox.y0 <= box.y0 and box.y1 <= fig.bbox.y1, t.get_text()
            plt.close(fig)


@pytest.mark.parametrize("style_name", style.STYLE_NAMES)
def test_labels_fit_their_nodes_and_do_not_overlap(style_name):
    with style.style_context(style_name):
        ax = plot_mobius_map(qualities={**SCORES, "acknowledgement": None})
        fig = ax.figure
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        for key in QUALITY_KEYS:
            box = by_gid(ax, f"quality:{key}").get_window_extent(renderer)
            for part in ("label", "score"):
                text = by_gid(ax, f"quality-{part}:{key}").get_window_extent(renderer)
                assert box.x0 <= text.x0 and text.x1 <= box.x1, (key, part)
                assert box.y0 <= text.y0 and text.y1 <= box.y1, (key, part)
        texts = visible_texts(fig)
        boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
        for i, (a_text, a) in enumerate(boxes):
            for b_text, b in boxes[i + 1 :]:
                assert not a.overlaps(b), f"{a_text!r} overlaps {b_text!r}"


@pytest.mark.parametrize("style_name", style.STYLE_NAMES)
def test_mobius_map_image(style_name, tmp_path):
    with style.style_context(style_name):
        ax = plot_mobius_map(qualities={**SCORES, "acknowledgement": None}, path=PATH)
        compare_with_baseline(ax.figure, f"mobius_map_{style_name}", tmp_path)


# --------------------------------------------------------------------------- update


def _path_look(ax):
    """The conversation path as drawn: arrows' paths, numbers' and Start's places, by gid."""
    ax.figure.canvas.draw()
    out = {}
    for a in ax.patches:
        gid = a.get_gid() or ""
        if gid.startswith("path-"):
            out[gid] = np.round(arrow_points(a), 6).tolist()
    for t in ax.texts:
        gid = t.get_gid() or ""
        if gid.startswith("path-"):
            out[gid] = (t.get_text(), tuple(round(v, 6) for v in t.get_position()))
    return out


def test_update_draws_the_path_a_fresh_plot_draws_keeping_what_did_not_change():
    worked = ["blame", "praise", "claim", "worry", *QUALITY_KEYS]
    ax = plot_mobius_map(path=worked[:3])
    first = by_gid(ax, "path-arrow:1")
    changed = update_mobius_map(ax, path=worked)
    assert by_gid(ax, "path-arrow:1") is first  # the first step did not move
    assert first not in changed
    assert {"path-arrow:9", "path-number:9"} <= {a.get_gid() for a in changed}
    assert _path_look(ax) == _path_look(plot_mobius_map(path=worked))
    assert update_mobius_map(ax, path=worked) == []
    moved = [*worked[:4], "worry", *worked[5:]]  # a loop at Worry for step 4
    update_mobius_map(ax, path=moved)
    assert _path_look(ax) == _path_look(plot_mobius_map(path=moved))
    update_mobius_map(ax, path=["claim"])  # one step: "Start", and no arrow
    assert gids(ax, "path-") == ["path-start"]
    assert update_mobius_map(ax, path=[]) is not None
    assert gids(ax, "path-") == []
    with pytest.raises(ValueError, match="unknown Mobius tag 'grumble'"):
        update_mobius_map(ax, path=["blame", "grumble"])


def test_update_asks_for_a_full_draw_when_ratings_come_or_go():
    plain = plot_mobius_map(path=["blame", "worry"])
    assert update_mobius_map(plain, qualities={"possibility": 3}) is None
    rated = plot_mobius_map(qualities={"possibility": 3})
    assert update_mobius_map(rated, path=["blame"]) is None  # qualities=None: no ratings
    changed = update_mobius_map(rated, qualities={"possibility": 3}, path=["blame", "worry"])
    assert {a.get_gid() for a in changed} == {"path-start", "path-arrow:1", "path-number:1"}


# --------------------------------------------------------------------------- nothing overlaps


@pytest.mark.parametrize("style_name", style.STYLE_NAMES)
@pytest.mark.parametrize("conversation", worked_conversations(), ids=lambda c: c.key)
def test_worked_conversations_are_drawn_with_nothing_on_top_of_a_text(conversation, style_name):
    with style.style_context(style_name):
        ax = plot_mobius_map(path=[s.tag for s in conversation])
        assert_path_clear(ax)
        rated = plot_mobius_map(
            qualities=dict.fromkeys(QUALITY_KEYS, 2), path=[s.tag for s in conversation]
        )
        assert_path_clear(rated)


def test_every_single_step_is_drawn_clear_of_every_text():
    ax = plot_mobius_map(path=[])
    ax.figure.draw_without_rendering()
    ax.figure.set_layout_engine("none")  # as a live chart keeps it: quicker to lay out
    for a, b in itertools.product(TAGS, TAGS):  # every arrow, and a loop at every node
        update_mobius_map(ax, path=[a, b])
        assert_path_clear(ax)


@pytest.mark.parametrize(
    "path",
    [
        ["blame", "praise", "blame", "praise", "blame"],  # the same two nodes, to and fro
        ["worry", "worry", "worry", "claim", "claim"],  # loops, twice at one node
        ["praise", "claim", "worry", "blame", "praise", "claim"],  # round the outside
        ["mutual_understanding", "capability", "possibility", "responsibility", "commitment"],
    ],
)
def test_longer_paths_keep_their_numbers_apart_and_off_the_labels(path):
    ax = plot_mobius_map(path=path)
    assert_path_clear(ax)
