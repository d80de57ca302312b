"""Every chart has a table twin: the same data behind a "Show as table" control.

The tables are checked against what the charts draw (offsets, bar widths, label texts),
so a chart and its table cannot drift apart. Charts are drawn but not rendered to PNG,
except where the picture and its markup are what is tested.
"""

from __future__ import annotations

import html
import importlib
import inspect
import math
import pkgutil
import re
from dataclasses import replace

import ipywidgets as widgets
import numpy as np
import pytest
from _helpers import by_gid, walk
from markupsafe import escape

import partnership_lib
from partnership_lib.charts import chart as charts
from partnership_lib.charts.chart import ChartTable, render_chart
from partnership_lib.core import style
from partnership_lib.documents.portfolio import portfolio_document
from partnership_lib.models import frameworks
from partnership_lib.models.checklists import plot_checklist_scores, table_checklist_scores
from partnership_lib.models.learning import learning_cycle, plot_kolb_cycle, table_kolb_cycle
from partnership_lib.models.lifecycle import (
    lifecycle_models,
    plot_collaboration_continuum,
    plot_lifecycle,
    table_collaboration_continuum,
    table_lifecycle,
)
from partnership_lib.models.mobius import mobius_model, plot_mobius_map, table_mobius_map
from partnership_lib.models.postits import evaluation_wall, plot_postit_wall, table_postit_wall
from partnership_lib.models.progress import plot_progress, table_progress
from partnership_lib.models.purpose import plot_purpose_quadrant, table_purpose_quadrant
from partnership_lib.models.ratings import (
    plot_rating_change,
    plot_ratings,
    table_rating_change,
    table_ratings,
)
from partnership_lib.models.skills import MAX_BARS, plot_skill_recurrence, table_skill_recurrence
from partnership_lib.models.stakeholders import (
    Stakeholder,
    load_worked_example,
    plot_power_interest_grid,
    quadrant_schemes,
    table_power_interest_grid,
)
from partnership_lib.sessions.s01_concepts import activity1_table, purpose_position
from partnership_lib.widgets.base import exercise_binding
from partnership_lib.widgets.postits import postit_wall
from partnership_lib.widgets.rating import rating_scale
from partnership_lib.widgets.stakeholder_editor import stakeholder_editor

HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]
#: facilitator/views.py draws the facilitator's aggregated charts and carries its own tables.
EXCLUDED = {"partnership_lib.facilitator.views", "partnership_lib.__main__"}


# --------------------------------------------------------------------------- helpers


def column(table: ChartTable, name: str) -> list:
    i = table.columns.index(name)
    return [row[i] for row in table.rows]


def texts(ax, prefix: str) -> list:
    return [t for t in ax.texts if str(t.get_gid() or "").startswith(prefix)]


def title(ax) -> str:
    return ax.get_title() or ax.get_title(loc="left")


def unwrap(text: str) -> str:
    return " ".join(text.split())


def shown_table(markup: str) -> tuple[str, list[list[str]]]:
    """The caption and the cells (row by row, as read) of the "Show as table" in ``markup``."""
    (inner,) = re.findall(
        r'<details class="pl-chart-table"><summary>Show as table</summary>(.*?)</details>',
        markup,
        re.S,
    )
    (caption,) = re.findall(r"<caption[^>]*>(.*?)</caption>", inner, re.S)
    body = inner.split("<tbody>", 1)[1]
    rows = [
        [html.unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]
    return html.unescape(caption), rows


def _library_modules():
    for info in pkgutil.walk_packages(partnership_lib.__path__, "partnership_lib."):
        if info.name not in EXCLUDED:
            yield importlib.import_module(info.name)


def _plots():
    found = []
    for module in _library_modules():
        for name, func in vars(module).items():
            if (
                name.startswith("plot_")
                and inspect.isfunction(func)
                and func.__module__ == module.__name__
            ):
                found.append((module, name))
    return found


# --------------------------------------------------------------------------- (a) twins


def test_every_plot_in_the_library_has_a_table_twin_shaped_like_its_description():
    plots = _plots()
    assert len(plots) >= 12, [n for _m, n in plots]
    for module, name in plots:
        base = name.removeprefix("plot_")
        table = getattr(module, "table_" + base, None)
        assert table is not None, f"{module.__name__}.{name} has no table_{base}"
        assert charts.table_for(getattr(module, name)) is table
        describe = getattr(module, "describe_" + base)
        assert inspect.signature(table).parameters.keys() >= (
            inspect.signature(describe).parameters.keys()
        ), name
        exported = getattr(module, "__all__", None)
        if exported is not None and name in exported:
            assert "table_" + base in exported, f"{module.__name__}.__all__ lacks table_{base}"


# --------------------------------------------------------------------------- (b) same data


def _quadrant_patch(ax, x, y):
    """The gid of the quadrant fill that holds (x, y); the upper edge belongs to the high side."""
    for patch in ax.patches:
        gid = str(patch.get_gid() or "")
        if not gid.startswith("quadrant:"):
            continue
        x0, y0 = patch.get_x(), patch.get_y()
        x1, y1 = x0 + patch.get_width(), y0 + patch.get_height()
        if (x0 <= x < x1 or x == x1 == 10) and (y0 <= y < y1 or y == y1 == 10):
            return gid.split(":", 1)[1]
    raise AssertionError(f"no quadrant holds {(x, y)}")


def test_grid_table_holds_the_points_quadrants_and_movements_the_chart_draws():
    people = load_worked_example("community_safety")
    earlier = [replace(people[0], power=2.0, interest=3.0), replace(people[1], interest=1.5)]
    ax = plot_power_interest_grid(people, previous=earlier)
    table = table_power_interest_grid(people, previous=earlier)
    xy = by_gid(ax, "stakeholders").get_offsets()
    assert len(table.rows) == len(xy) == len(people)
    assert column(table, "Power") == list(xy[:, 0])
    assert column(table, "Interest") == list(xy[:, 1])
    assert column(table, "Stakeholder") == [t.get_text() for t in texts(ax, "label:")]
    assert column(table, "Quadrant") == [_quadrant_patch(ax, x, y) for x, y in xy]
    assert "Attitude" not in table.columns  # no one has one, so the chart shows none
    # the movements: one row per arrow, from the hollow earlier marker
    moved = [r for r in table.rows if r[table.columns.index("Movement")].startswith("Moved")]
    arrows = [p for p in ax.patches if str(p.get_gid() or "").startswith("move:")]
    assert [r[0] for r in moved] == [p.get_gid().removeprefix("move:") for p in arrows]
    hollow = by_gid(ax, "previous-positions").get_offsets()
    assert column(table, "Earlier position")[:2] == [
        f"power {x:g}, interest {y:g}" for x, y in hollow
    ]
    assert moved[0][-1] == "Moved from BE AWARE to INVOLVE"


def test_grid_table_follows_the_scheme_and_the_attitudes_the_chart_colours():
    people = [
        Stakeholder("Council", 8, 8, attitude="supporter"),
        Stakeholder("Retailers", 7, 2, attitude="opponent"),
        Stakeholder("Residents", 2, 9),
        Stakeholder("Press", 3, 3, attitude="neutral"),
    ]
    ax = plot_power_interest_grid(people, scheme="mendelow", title="Our grid")
    table = table_power_interest_grid(people, scheme="mendelow", title="Our grid")
    assert table.caption == title(ax) == "Our grid"
    quadrants = {t.get_text() for t in texts(ax, "quadrant-label:")}
    assert set(column(table, "Quadrant")) <= quadrants
    assert column(table, "Quadrant")[0] == quadrant_schemes()["mendelow"].quadrants[0].label
    colours = by_gid(ax, "stakeholders").get_facecolors()
    theme = style.current_theme()
    for shown, colour in zip(column(table, "Attitude"), colours, strict=True):
        key = None if shown == "Not given" else shown.lower()
        assert np.allclose(colour, _rgba(theme.attitude_style(key)[0]))


def _rgba(colour):
    from matplotlib.colors import to_rgba

    return to_rgba(colour)


@pytest.mark.parametrize("key", list(lifecycle_models()))
def test_lifecycle_table_lists_the_stages_the_chart_labels(key):
    model = lifecycle_models()[key]
    current = model.stages[1].key
    ax = plot_lifecycle(key, current=current)
    table = table_lifecycle(key, current=current)
    labels = sorted(texts(ax, "stage-label:"), key=lambda t: t.get_position()[0])
    assert column(table, "Name") == [unwrap(t.get_text()) for t in labels]
    assert column(table, "Stage") == list(range(1, len(labels) + 1))
    assert table.caption == title(ax)
    # a higher level word sits higher on the curve
    points = sorted(
        (a for a in ax.lines if str(a.get_gid() or "").startswith("stage-point:")),
        key=lambda a: a.get_xdata()[0],
    )
    rank = {"Low": 0, "Medium": 1, "High": 2}
    words = [rank[w.split()[0]] for w in column(table, model.axis_label)]
    ys = [float(p.get_ydata()[0]) for p in points]
    for (w1, y1), (w2, y2) in zip(
        sorted(zip(words, ys, strict=True)), sorted(zip(words, ys, strict=True))[1:], strict=False
    ):
        assert w1 == w2 or y1 < y2
    here = column(table, "You are here")
    assert here.index(True) == round(by_gid(ax, "current-band").get_x())
    assert here.count(True) == 1


def test_lifecycle_table_has_no_marker_column_without_a_current_stage():
    assert "You are here" not in table_lifecycle("tuckman").columns


@pytest.mark.parametrize("key", ["himmelman", "nocon"])
def test_continuum_table_lists_the_steps_and_meanings_the_chart_draws(key):
    ax = plot_collaboration_continuum(key, current=lifecycle_models()[key].stages[-1].key)
    table = table_collaboration_continuum(key, current=lifecycle_models()[key].stages[-1].key)
    names = sorted(texts(ax, "stage-label:"), key=lambda t: t.get_position()[0])
    meanings = sorted(texts(ax, "stage-meaning:"), key=lambda t: t.get_position()[0])
    assert column(table, "Name") == [unwrap(t.get_text()) for t in names]
    assert column(table, "What it means") == [unwrap(t.get_text()) for t in meanings]
    marker_x = by_gid(ax, "current-marker").get_xdata()[0]
    assert column(table, "You are here").index(True) == int(marker_x)
    assert table.caption == title(ax)


@pytest.mark.parametrize("model", ["kolb", "learning_log"])
def test_kolb_table_lists_the_stages_clockwise_from_the_top_as_drawn(model):
    current = learning_cycle(model).stages[2].key
    ax = plot_kolb_cycle(model=model, current=current)
    table = table_kolb_cycle(model=model, current=current)

    def clockwise_from_top(text):
        x, y = text.get_position()
        return (90 - math.degrees(math.atan2(y, x))) % 360

    names = sorted(texts(ax, "stage-label:"), key=clockwise_from_top)
    prompts = sorted(texts(ax, "stage-prompt:"), key=clockwise_from_top)
    assert column(table, "Name") == [t.get_text() for t in names]
    assert column(table, "Question") == [unwrap(t.get_text()) for t in prompts]
    assert column(table, "Leads on to") == [t.get_text() for t in names[1:] + names[:1]]
    marker = by_gid(ax, "current-marker")
    here = column(table, "You are here").index(True)
    assert names[here].get_position()[0] == pytest.approx(marker.get_position()[0])
    assert table.caption == title(ax)


def test_mobius_table_holds_the_ratings_and_path_the_map_shows():
    qualities = {"mutual_understanding": 4, "possibility": 2, "commitment": 3.5}
    path = ["blame", "worry", "mutual_understanding", "mutual_understanding", "possibility"]
    ax = plot_mobius_map(qualities=qualities, path=path)
    table = table_mobius_map(qualities=qualities, path=path)
    model = mobius_model()
    assert len(table.rows) == len(model.qualities) + len(model.monologues)
    ratings = dict(zip(column(table, "Part of the model"), column(table, "Rating"), strict=True))
    for label in texts(ax, "quality-label:"):
        key = label.get_gid().split(":", 1)[1]
        score = by_gid(ax, f"quality-score:{key}").get_text()
        assert ratings[unwrap(label.get_text())] == score.replace(" · ", ", ")
    kinds = dict(zip(column(table, "Part of the model"), column(table, "Kind"), strict=True))
    for label in texts(ax, "monologue-label:"):
        key = label.get_gid().split(":", 1)[1]
        assert by_gid(ax, f"flow-label:{key}").get_text() in kinds[label.get_text()]
    steps = [
        int(n)
        for cell in column(table, "Steps in the conversation")
        if cell
        for n in cell.split(", ")
    ]
    # the map numbers the arrows between steps and marks the first step "Start"
    arrows = sorted(int(t.get_text()) for t in texts(ax, "path-number:"))
    assert sorted(steps) == [*arrows, len(arrows) + 1] == list(range(1, len(path) + 1))
    first = next(r[0] for r in table.rows if r[-1] and "1" in r[-1].split(", "))
    key = model.item(first).key
    start = by_gid(ax, "path-start").get_position()[0]
    assert by_gid(ax, f"monologue:{key}").center[0] == pytest.approx(start)
    assert table.caption == title(ax)


def test_mobius_table_without_ratings_explains_each_part():
    table = table_mobius_map()
    assert table.columns == ("Part of the model", "Kind", "What it means")
    assert column(table, "What it means")[0] == mobius_model().qualities[0].meaning


def test_purpose_table_names_the_quadrants_and_the_marked_point():
    ax = plot_purpose_quadrant(position=(7.5, 2), label="Healthy Town")
    table = table_purpose_quadrant(position=(7.5, 2), label="Healthy Town")
    names = {t.get_gid().split(":", 1)[1]: t.get_text() for t in texts(ax, "quadrant-label:")}
    assert sorted(column(table, "Characteristic")) == sorted(names.values())
    ((x, y),) = by_gid(ax, "point").get_offsets()
    marked = [r for r in table.rows if r[-1]]
    assert len(marked) == 1
    assert marked[0][0] == names[_quadrant_patch(ax, x, y)]
    assert marked[0][-1] == f"Here: goals {x:g}, predictability {y:g} out of 10"
    assert table.columns[-1] == by_gid(ax, "point-label").get_text()
    assert table.caption == title(ax)


def test_postit_table_lists_every_note_under_the_colour_it_is_drawn_in():
    notes = [
        {"colour": "pink", "text": "The grid made the politics visible"},
        {"colour": "green", "text": "Negotiation tactics"},
        {"colour": "pink", "text": "Good pace"},
    ]
    ax = plot_postit_wall(notes)
    table = table_postit_wall(notes)
    wall = evaluation_wall()
    numbered = [r for r in table.rows if r[2] is not None]
    assert sorted(r[2] for r in numbered) == sorted(
        int(t.get_text()) for t in texts(ax, "note-number:")
    )
    for colour, question, n, text in numbered:
        fill = wall.colour(colour).fill
        assert np.allclose(by_gid(ax, f"note:{n}").get_facecolor(), _rgba(fill))
        assert question == wall.colour(colour).question
        assert text == notes[n - 1]["text"]
    empty = [r[0] for r in table.rows if r[2] is None]
    assert empty == [
        by_gid(ax, f"column-name:{t.get_gid().split(':', 1)[1]}").get_text().title()
        for t in texts(ax, "empty:")
    ]
    assert column(table, "Text")[column(table, "Colour").index(empty[0])] == "No notes yet"
    assert table.caption == title(ax)


def test_ratings_table_values_equal_the_bar_lengths():
    labels = {"vision": "Shared vision", "trust": "Trust", "data": "Shared data"}
    ratings = {"vision": 4, "trust": 2}
    ax = plot_ratings(ratings, labels=labels, title="Our partnership")
    table = table_ratings(ratings, labels=labels, title="Our partnership")
    assert column(table, "Item") == list(labels.values())
    widths = [by_gid(ax, f"rating-bar:{k}").get_width() for k in labels]
    shown = column(table, "Rating (1 to 5)")
    assert [0 if v == "not rated" else int(v) for v in shown] == widths
    assert shown == [by_gid(ax, f"rating-value:{k}").get_text() for k in labels]
    assert table.caption == title(ax)


def test_radar_ratings_table_gives_each_group_and_the_mean_its_spoke_shows():
    labels = {"a": "A", "b": "B", "c": "C", "d": "D", "e": "E"}
    groups = [("People", ["a", "b"]), ("Money", ["c"]), ("Data", ["d", "e"])]
    ratings = {"a": 2, "b": 5, "c": 3}
    ax = plot_ratings(ratings, labels=labels, groups=groups, kind="radar")
    table = table_ratings(ratings, labels=labels, groups=groups, kind="radar")
    for group, mean in zip(column(table, "Group"), column(table, "Group mean"), strict=True):
        assert mean == by_gid(ax, f"rating-value:{group}").get_text()
    assert column(table, "Group") == ["People", "People", "Money", "Data", "Data"]


def test_rating_change_table_matches_the_markers_and_arrows():
    before = {"vision": 2, "trust": 3, "data": 4}
    after = {"vision": 4, "trust": 3, "new": 1}
    ax = plot_rating_change(before, after)
    table = table_rating_change(before, after)
    keys = ["vision", "trust", "data", "new"]
    assert column(table, "Item") == keys
    for key, b, a, change in zip(
        keys,
        column(table, "Start of day"),
        column(table, "End of day"),
        column(table, "Change"),
        strict=True,
    ):
        if b != "not rated":
            assert float(by_gid(ax, f"before:{key}").get_offsets()[0][0]) == int(b)
        if a != "not rated":
            assert float(by_gid(ax, f"after:{key}").get_offsets()[0][0]) == int(a)
        arrows = [p for p in ax.patches if p.get_gid() == f"change-arrow:{key}"]
        assert bool(arrows) == (change not in (None, "no change"))
    assert column(table, "Change") == ["+2", "no change", None, None]
    assert table.caption == title(ax)


def test_checklist_table_matches_the_bars_and_the_weakest_mark():
    scores = {"Purpose": (3, 4), "People": (1, 5), "Money": (2, 2)}
    ax = plot_checklist_scores(scores, title="Ingredients")
    table = table_checklist_scores(scores, title="Ingredients")
    for name, ticked, of, share, weakest in table.rows:
        assert by_gid(ax, f"score-bar:{name}").get_width() == pytest.approx(100 * ticked / of)
        assert share == f"{round(100 * ticked / of)}%"
        assert weakest == ("(weakest)" in by_gid(ax, f"score-label:{name}").get_text())
    assert column(table, "Weakest") == [False, True, False]
    assert table.caption == title(ax)


def test_skill_table_names_every_skill_and_its_contexts_even_beyond_the_bars():
    skills = [s.key for s in frameworks.skills()]
    assert len(skills) > MAX_BARS
    selections = {"Work": skills, "Community": skills[:3], "Family": skills[1:2]}
    ax = plot_skill_recurrence(selections)
    table = table_skill_recurrence(selections)
    assert len(table.rows) == len(skills)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert column(table, "Skill")[:MAX_BARS] == ticks
    bars = sorted(
        (p for p in ax.patches if str(p.get_gid() or "").startswith("bar:")),
        key=lambda p: -p.get_y(),
    )
    assert column(table, "Number of contexts")[:MAX_BARS] == [p.get_width() for p in bars]
    assert table.rows[0][1:] == (3, "Work, Community, Family")
    assert table.caption in title(ax)


def test_progress_table_counts_equal_the_bar_lengths():
    progress = {
        "00": ("Scenario", {"a": ("A", "complete"), "b": ("B", "started")}),
        "01": ("Concepts", {"c": ("C", "not started"), "d": ("D", "complete")}),
    }
    ax = plot_progress(progress)
    table = table_progress(progress)
    ticks = sorted(zip(ax.get_yticks(), ax.get_yticklabels(), strict=True), key=lambda t: -t[0])
    assert column(table, "Session") == [label.get_text() for _y, label in ticks]
    for key, row in zip(progress, table.rows, strict=True):
        for state in ("complete", "started", "not started"):
            bars = [p for p in ax.patches if p.get_gid() == f"progress:{key}:{state}"]
            drawn = bars[0].get_width() if bars else 0
            assert row[table.columns.index(state.capitalize())] == drawn
    assert table.caption == title(ax)


# --------------------------------------------------------------------------- (c) escaping


@pytest.mark.parametrize("bad", HOSTILE)
@pytest.mark.parametrize(
    "make",
    [
        lambda bad: table_power_interest_grid([Stakeholder(bad, 6, 6, organisation=bad)]),
        lambda bad: table_postit_wall([{"colour": "pink", "text": bad}]),
        lambda bad: table_ratings({"x": 3}, labels={"x": bad}, title=bad),
        lambda bad: table_checklist_scores({bad: (1, 2), "Other": (2, 2)}),
        lambda bad: table_purpose_quadrant(position=(2, 2), label=bad),
    ],
    ids=["grid", "postits", "ratings", "checklist", "purpose"],
)
def test_learner_text_is_escaped_in_the_table(make, bad):
    markup = make(bad).html
    assert "<script" not in markup and "<img" not in markup
    assert str(escape(bad)) in markup


# --------------------------------------------------------------------------- (d) render_chart


def test_render_chart_shows_the_table_beside_the_picture():
    chart = render_chart(plot_kolb_cycle, current="reflective_observation")
    assert chart.table == table_kolb_cycle(current="reflective_observation")
    assert "Show as table" in chart.html
    assert chart.table.html in chart.html
    caption, rows = shown_table(chart.html)
    assert caption == "Experiential learning cycle (Kolb 1984)"
    assert [r[-1] for r in rows] == ["", "yes", "", ""]


def test_render_chart_passes_the_plot_options_the_table_accepts():
    people = [Stakeholder("<script>alert(1)</script>", 4, 8)]
    chart = render_chart(plot_power_interest_grid, people, title="Our grid", s=300)
    assert chart.table == table_power_interest_grid(people, title="Our grid")
    caption, rows = shown_table(chart.html)
    assert caption == "Our grid"
    assert rows == [["<script>alert(1)</script>", "", "4", "8", "INFORM"]]
    assert "<script>alert" not in chart.html


def test_the_portfolio_shows_each_chart_table_in_html_and_markdown(store):
    nb = "01_concepts_and_contexts"
    store.save((nb, "purpose", "_meta"), {"kind": "purpose", "title": ""})
    store.save((nb, "purpose", "goals"), 9)
    store.save((nb, "purpose", "predictability"), 2)
    page = portfolio_document(store=store)
    caption, rows = shown_table(page)
    assert caption == table_purpose_quadrant(position=(9, 2)).caption
    assert [r[-1] for r in rows if r[-1]] == ["Here: goals 9, predictability 2 out of 10"]
    markdown = portfolio_document(store=store, format="md")
    assert f"*{caption}*" in markdown
    assert "| Co-ordination | Bottom right | Collective | Predictable |" in markdown


def test_the_portfolio_lists_the_stakeholders_it_draws(store):
    nb = "02_climate_for_change"
    store.save((nb, "activity3", "_meta"), {"kind": "stakeholders", "title": "Activity 3"})
    store.save(
        (nb, "activity3", "stakeholders"),
        [
            {"name": HOSTILE[1], "power": 8, "interest": 7},
            {"name": "Schools", "power": 2, "interest": 2},
        ],
    )
    page = portfolio_document(store=store)
    # the answer's own table is the chart's data: no second copy behind "Show as table"
    assert 'class="pl-chart-table"' not in page
    (table,) = re.findall(
        r"<table[^>]*><caption[^>]*>Your stakeholders</caption>(.*?)</table>", page, re.S
    )
    names = [html.unescape(n) for n in re.findall(r'<th scope="row"[^>]*>(.*?)</th>', table)]
    assert names == [HOSTILE[1], "Schools"]
    assert "<img src=x" not in page
    markdown = portfolio_document(store=store, format="md")
    assert "| Name | Organisation | Role | Power | Interest | Attitude | Quadrant |" in markdown
    assert "| Schools |  |  | 2 | 2 |  | BE AWARE |" in markdown
    assert "<img src=x" not in markdown


# --------------------------------------------------------------------------- (e) live charts


def test_a_rating_scale_updates_its_table_as_the_learner_rates(store, no_display):
    w = rating_scale(
        exercise_binding("nb", "ex", store=store),
        [("vision", "Shared vision"), ("trust", "Trust")],
        chart_title="Our ratings",
    )
    assert shown_table(w.chart.value) == (
        "Our ratings",
        [["Shared vision", "not rated"], ["Trust", "not rated"]],
    )
    w.buttons["trust"].value = 4
    assert shown_table(w.chart.value)[1] == [["Shared vision", "not rated"], ["Trust", "4"]]


def test_the_stakeholder_editor_updates_its_table_with_each_change(store, no_display):
    ed = stakeholder_editor(exercise_binding("nb", "ex", store=store)).editor
    for name, power, interest in [("Police", 8, 7), (HOSTILE[0], 2, 9)]:
        ed.chooser.value = -1
        ed.name.value, ed.power.value, ed.interest.value = name, power, interest
        ed.add_button.click()
    _, rows = shown_table(ed.chart.value)
    assert rows == [
        ["Police", "", "8", "7", "INVOLVE"],
        [HOSTILE[0], "", "2", "9", "INFORM"],
    ]
    assert "<script>" not in ed.chart.value
    ed.chooser.value = 0
    ed.power.value = 3.5
    assert shown_table(ed.chart.value)[1][0] == ["Police", "", "3.5", "7", "INFORM"]


def _chart_views(widget):
    return [w.value for w in walk(widget) if isinstance(w, widgets.HTML) and "pl-chart" in w.value]


def test_the_other_live_charts_carry_their_tables(store, no_display):
    from partnership_lib.sessions import s03_influencing as influencing

    def bind(key):
        return exercise_binding("nb", key, store=store)

    wall = postit_wall(bind("w"))
    (radio,) = [w for w in walk(wall) if isinstance(w, widgets.RadioButtons)]
    (area,) = [w for w in walk(wall) if isinstance(w, widgets.Textarea)]
    radio.value, area.value = "green", "More on <b>budgets</b>"
    next(w for w in walk(wall) if getattr(w, "description", "") == "Add note").click()
    assert [
        "Green",
        evaluation_wall().colour("green").question,
        "1",
        "More on <b>budgets</b>",
    ] in shown_table(_chart_views(wall)[0])[1]

    purpose = purpose_position(bind("p"))
    purpose.sliders[0].value = 9
    _, rows = shown_table(purpose.chart.value)
    assert [r[-1] for r in rows if r[-1]] == ["Here: goals 9, predictability 5 out of 10"]

    skills = activity1_table(bind("a"))
    first = next(iter(skills.pickers.values()))
    first.value = (frameworks.skills()[0].key,)
    assert shown_table(skills.chart.value)[1][0][:2] == [frameworks.skills()[0].label, "1"]

    mobius = influencing.rate_relationship(bind("m"))
    mobius.dropdowns["possibility"].value = 2
    ratings = dict((r[0], r[2]) for r in shown_table(mobius.chart.value)[1])
    assert ratings["Possibility"] == "2 of 5, barely there"
