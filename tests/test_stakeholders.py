"""Stakeholders, quadrant rules, worked examples and the power-interest grid."""

from __future__ import annotations

import dataclasses
import math
import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import yaml
from _helpers import compare_with_baseline, edit_yaml
from matplotlib.colors import to_hex

from partnership_lib.charts.live import arrow_ends
from partnership_lib.core import content, style
from partnership_lib.core.content import ContentError
from partnership_lib.models.stakeholders import (
    ATTITUDES,
    Quadrant,
    QuadrantScheme,
    Stakeholder,
    WorkedExample,
    as_frame,
    as_stakeholders,
    describe_power_interest_grid,
    load_worked_example,
    plot_power_interest_grid,
    quadrant_of,
    quadrant_schemes,
    update_power_interest_grid,
    worked_examples,
)

WORKBOOK_ORDER = ["INVOLVE", "KEEP ON BOARD", "INFORM", "BE AWARE"]


def _by_gid(ax, prefix):
    found = {}
    for artist in [*ax.texts, *ax.patches, *ax.lines, *ax.collections, *ax.artists]:
        gid = artist.get_gid() or ""
        if gid.startswith(prefix):
            found[gid] = artist
    return found


def _collection(ax, gid="stakeholders"):
    (coll,) = [c for c in ax.collections if c.get_gid() == gid]
    return coll


# --- the Stakeholder model ----------------------------------------------------------


def test_stakeholder_stores_floats_and_defaults():
    s = Stakeholder("Police", 8, 7)
    assert (s.power, s.interest) == (8.0, 7.0)
    assert isinstance(s.power, float) and isinstance(s.interest, float)
    assert (s.organisation, s.role, s.attitude) == ("", "", None)
    assert Stakeholder("A", np.int64(3), np.float64(4.5)).interest == 4.5


def test_stakeholder_is_frozen():
    s = Stakeholder("Police", 8, 7)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.power = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("power", "shown"),
    [
        (10.5, "10.5"),
        (-0.1, "-0.1"),
        (math.nan, "nan"),
        (math.inf, "inf"),
        (-math.inf, "-inf"),
        ("7", "'7'"),
        (None, "None"),
        (True, "True"),
    ],
)
def test_stakeholder_rejects_bad_power(power, shown):
    with pytest.raises(ValueError, match=rf"'Fire'.*power.*{shown}"):
        Stakeholder("Fire", power, 5)


@pytest.mark.parametrize("interest", [11, -1, math.nan, math.inf, "high", False])
def test_stakeholder_rejects_bad_interest(interest):
    with pytest.raises(ValueError, match=r"'Fire'.*interest"):
        Stakeholder("Fire", 5, interest)


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_stakeholder_rejects_blank_name(name):
    with pytest.raises(ValueError, match="name must not be empty"):
        Stakeholder(name, 5, 5)


def test_stakeholder_rejects_non_text_name():
    with pytest.raises(ValueError, match="name must be text, got 42"):
        Stakeholder(42, 5, 5)  # type: ignore[arg-type]


def test_stakeholder_rejects_unknown_attitude():
    with pytest.raises(ValueError, match=r"'Media'.*unknown attitude 'hostile'"):
        Stakeholder("Media", 5, 5, attitude="hostile")


@pytest.mark.parametrize("attitude", [*ATTITUDES, None])
def test_stakeholder_accepts_known_attitudes(attitude):
    assert Stakeholder("Media", 5, 5, attitude=attitude).attitude == attitude


def test_scale_ends_are_allowed():
    assert Stakeholder("A", 0, 10).power == 0.0
    assert Stakeholder("A", 10, 0).power == 10.0


# --- quadrant schemes and boundaries ------------------------------------------------


def test_quadrant_schemes_hold_workbook_and_mendelow():
    schemes = quadrant_schemes()
    assert list(schemes) == ["workbook", "mendelow"]
    wb = schemes["workbook"]
    assert isinstance(wb, QuadrantScheme)
    assert all(isinstance(q, Quadrant) for q in wb.quadrants)
    assert [q.label for q in wb.quadrants] == WORKBOOK_ORDER
    assert [(q.power, q.interest) for q in wb.quadrants] == [
        ("high", "high"),
        ("high", "low"),
        ("low", "high"),
        ("low", "low"),
    ]
    assert [q.label for q in schemes["mendelow"].quadrants] == [
        "Manage closely",
        "Keep satisfied",
        "Keep informed",
        "Monitor",
    ]
    for scheme in schemes.values():
        assert scheme.threshold == 5.0
        assert "5 or more counts as high" in scheme.boundary_rule
        for q in scheme.quadrants:
            assert q.meaning.strip() and q.guidance.strip()
    citations = [s.citation for s in wb.sources]
    assert any("CPHP" in c for c in citations)
    assert any("NIHR SDO" in c for c in citations)
    assert [s.citation for s in schemes["mendelow"].sources] == ["Mendelow 1991"]


@pytest.mark.parametrize(
    ("power", "interest", "expected"),
    [
        (5.0, 5.0, "INVOLVE"),
        (5.001, 5.001, "INVOLVE"),
        (4.999, 5.0, "INFORM"),
        (4.999, 5.001, "INFORM"),
        (5.0, 4.999, "KEEP ON BOARD"),
        (5.001, 4.999, "KEEP ON BOARD"),
        (4.999, 4.999, "BE AWARE"),
        (0, 0, "BE AWARE"),
        (10, 10, "INVOLVE"),
        (10, 0, "KEEP ON BOARD"),
        (0, 10, "INFORM"),
    ],
)
def test_quadrant_boundaries_workbook(power, interest, expected):
    assert quadrant_of(Stakeholder("X", power, interest)) == expected


@pytest.mark.parametrize(
    ("power", "interest", "expected"),
    [
        (5.0, 5.0, "Manage closely"),
        (5.0, 4.999, "Keep satisfied"),
        (4.999, 5.0, "Keep informed"),
        (4.999, 4.999, "Monitor"),
        (5.001, 5.001, "Manage closely"),
    ],
)
def test_quadrant_boundaries_mendelow(power, interest, expected):
    assert quadrant_of(Stakeholder("X", power, interest), scheme="mendelow") == expected


def test_quadrant_of_accepts_a_scheme_object():
    scheme = quadrant_schemes()["mendelow"]
    assert quadrant_of(Stakeholder("X", 9, 1), scheme) == "Keep satisfied"


def test_unknown_scheme_names_it_and_the_known_ones():
    s = Stakeholder("X", 1, 1)
    with pytest.raises(ValueError, match=r"unknown quadrant scheme 'boston'.*workbook, mendelow"):
        quadrant_of(s, scheme="boston")
    with pytest.raises(ValueError, match="'boston'"):
        plot_power_interest_grid([s], scheme="boston")
    with pytest.raises(ValueError, match="'boston'"):
        describe_power_interest_grid([s], scheme="boston")


def test_scheme_must_cover_all_four_corners():
    q = quadrant_schemes()["workbook"].quadrants
    with pytest.raises(ValueError, match="exactly one quadrant"):
        QuadrantScheme("bad", "Bad", 5.0, "rule", (), (q[0], q[0], q[2], q[3]))


# --- tabular input ------------------------------------------------------------------


def test_as_stakeholders_from_dicts_and_objects():
    people = as_stakeholders(
        [
            {"name": " Police ", "power": 8, "interest": 7, "attitude": "Supporter"},
            Stakeholder("Fire", 6, 6),
            {"name": "Media", "power": 2, "interest": 3, "organisation": None, "attitude": ""},
        ]
    )
    assert [p.name for p in people] == ["Police", "Fire", "Media"]
    assert people[0].attitude == "supporter"
    assert people[2].organisation == ""
    assert people[2].attitude is None


def test_as_stakeholders_from_dataframe_with_missing_optional_text():
    frame = pd.DataFrame(
        {
            "name": ["Police", "Fire"],
            "power": [8, 6.5],
            "interest": [7.0, 3],
            "organisation": ["Constabulary", np.nan],
            "role": [None, "Chief officer"],
            "attitude": [np.nan, "neutral"],
            "notes": ["ignored", "too"],
        }
    )
    people = as_stakeholders(frame)
    assert people == [
        Stakeholder("Police", 8, 7, organisation="Constabulary", role="", attitude=None),
        Stakeholder("Fire", 6.5, 3, organisation="", role="Chief officer", attitude="neutral"),
    ]


def test_as_stakeholders_dataframe_missing_columns_are_named():
    frame = pd.DataFrame({"name": ["Police"], "influence": [3]})
    with pytest.raises(ValueError, match=r"missing column.*power, interest"):
        as_stakeholders(frame)


def test_as_stakeholders_dict_missing_fields_are_named():
    with pytest.raises(ValueError, match=r"row 2: missing field.*interest"):
        as_stakeholders([{"name": "A", "power": 1, "interest": 2}, {"name": "B", "power": 1}])


def test_as_stakeholders_bad_value_names_row_and_value():
    frame = pd.DataFrame({"name": ["A", "B"], "power": [1, 12], "interest": [2, 2]})
    with pytest.raises(ValueError, match=r"row 2: stakeholder 'B': power .*12"):
        as_stakeholders(frame)
    frame = pd.DataFrame({"name": ["A", "B"], "power": [1, 2], "interest": [2, None]})
    with pytest.raises(ValueError, match=r"row 2: stakeholder 'B': interest is missing"):
        as_stakeholders(frame)
    frame = pd.DataFrame({"name": ["A", np.nan], "power": [1, 2], "interest": [2, 3]})
    with pytest.raises(ValueError, match=r"row 2: .*name must not be empty"):
        as_stakeholders(frame)


@pytest.mark.parametrize("second", ["police", " POLICE  ", "Police"])
def test_duplicate_names_raise_naming_both_rows(second):
    rows = [
        {"name": "Police", "power": 1, "interest": 1},
        {"name": second, "power": 2, "interest": 2},
    ]
    with pytest.raises(ValueError, match=r"duplicate stakeholder name .* row 2: row 1 .*'Police'"):
        as_stakeholders(rows)
    with pytest.raises(ValueError, match="duplicate"):
        as_stakeholders(pd.DataFrame(rows))
    with pytest.raises(ValueError, match="duplicate"):
        plot_power_interest_grid(pd.DataFrame(rows))


def test_as_stakeholders_rejects_other_types():
    with pytest.raises(ValueError, match="expected a list"):
        as_stakeholders("Police")
    with pytest.raises(ValueError, match="row 1: expected a Stakeholder or a dict, got int"):
        as_stakeholders([3])


def test_empty_inputs():
    assert as_stakeholders([]) == []
    assert as_stakeholders(pd.DataFrame(columns=["name", "power", "interest"])) == []


def test_as_frame_has_quadrant_column():
    frame = as_frame(
        [Stakeholder("Police", 8, 7, attitude="supporter"), Stakeholder("Media", 2, 3)]
    )
    assert list(frame.columns) == [
        "name",
        "power",
        "interest",
        "organisation",
        "role",
        "attitude",
        "quadrant",
    ]
    assert frame["quadrant"].tolist() == ["INVOLVE", "BE AWARE"]
    assert frame["power"].dtype == float
    assert as_frame(frame.drop(columns="quadrant"), scheme="mendelow")["quadrant"].tolist() == [
        "Manage closely",
        "Monitor",
    ]
    # Round trip.
    assert as_stakeholders(frame) == as_stakeholders(
        [Stakeholder("Police", 8, 7, attitude="supporter"), Stakeholder("Media", 2, 3)]
    )


# --- worked examples ----------------------------------------------------------------


def test_worked_examples_keys_titles_and_sizes():
    examples = worked_examples()
    assert list(examples) == [
        "community_safety",
        "local_strategic",
        "drug_alcohol",
        "teenage_pregnancy",
    ]
    assert all(isinstance(e, WorkedExample) for e in examples.values())
    assert [e.title for e in examples.values()] == [
        "Community Safety Partnership",
        "Local Strategic Partnership",
        "Drug & Alcohol Partnership",
        "Teenage Pregnancy Priority Action Team",
    ]
    sizes = {k: len(e.stakeholders) for k, e in examples.items()}
    assert sizes == {
        "community_safety": 13,
        "local_strategic": 11,
        "drug_alcohol": 14,
        "teenage_pregnancy": 21,
    }
    for e in examples.values():
        assert e.note.strip()
        assert len(e.quadrants) == len(e.stakeholders)


@pytest.mark.parametrize(
    "key", ["community_safety", "local_strategic", "drug_alcohol", "teenage_pregnancy"]
)
def test_worked_example_positions_match_the_workbook_quadrants(key):
    example = worked_examples()[key]
    people = load_worked_example(key)
    assert people == list(example.stakeholders)
    for person, placed in zip(people, example.quadrants, strict=True):
        assert quadrant_of(person) == placed, person.name
        # Representative values sit inside the quadrant, clear of the 5.0 line.
        assert abs(person.power - 5.0) >= 0.5 and abs(person.interest - 5.0) >= 0.5
        assert person.attitude is None
    positions = [(p.power, p.interest) for p in people]
    assert len(set(positions)) == len(positions)
    names = [p.name.casefold() for p in people]
    assert len(set(names)) == len(names)


def test_worked_example_quadrants_are_read_from_the_file():
    # The test above is only real if the recorded quadrant comes from the YAML.
    raw = yaml.safe_load((content.data_dir() / "worked_examples.yaml").read_text("utf-8"))
    recorded = {
        (ex["key"], row["name"]): row["quadrant"]
        for ex in raw["examples"]
        for row in ex["stakeholders"]
    }
    for key, example in worked_examples().items():
        for person, placed in zip(example.stakeholders, example.quadrants, strict=True):
            assert recorded[(key, person.name)] == placed


def _by_quadrant(key):
    example = worked_examples()[key]
    out = {label: [] for label in WORKBOOK_ORDER}
    for person, placed in zip(example.stakeholders, example.quadrants, strict=True):
        out[placed].append(person.name)
    return out


def test_community_safety_matches_the_workbook():
    assert _by_quadrant("community_safety") == {
        "INVOLVE": [
            "Police",
            "Fire",
            "Public health practitioners",
            "Education",
            "Local authority",
        ],
        "KEEP ON BOARD": ["Directors of Public Health", "Councillors"],
        "INFORM": [
            "Police information team",
            "Licensing team",
            "Fire info team",
            "Health promotion",
        ],
        "BE AWARE": ["Residents", "Legal services"],
    }


def test_teenage_pregnancy_splits_the_pct_cell():
    people = {p.name: p for p in load_worked_example("teenage_pregnancy")}
    pct = [
        "Family planning",
        "School nurses",
        "Health promotion",
        "Sexual health co-ordinators",
        "HV",
        "MW",
    ]
    for name in pct:
        assert "PCT" in people[name].organisation
        assert quadrant_of(people[name]) == "INVOLVE"
    assert people["HV"].role == "Health visitors"
    assert people["MW"].role == "Midwives"
    assert quadrant_of(people["Teenagers"]) == "INFORM"
    assert quadrant_of(people["Teenagers (city-wide)"]) == "KEEP ON BOARD"


def test_abbreviations_are_expanded_in_organisation_or_role():
    dap = {p.name: p for p in load_worked_example("drug_alcohol")}
    assert dap["EMAS"].organisation == "East Midlands Ambulance Service"
    assert dap["GP PBC"].role == "GP practice-based commissioning"
    lsp = {p.name: p for p in load_worked_example("local_strategic")}
    assert lsp["RDA"].organisation == "Regional Development Agency"
    assert "Community Safety Partnership" in lsp["CSP"].organisation
    assert "Primary Care Trust" in lsp["PCT"].organisation


def test_unknown_worked_example_lists_the_keys():
    with pytest.raises(
        ValueError,
        match=r"unknown worked example 'sure_start'.*community_safety.*teenage_pregnancy",
    ):
        load_worked_example("sure_start")


# --- malformed content --------------------------------------------------------------


def _workbook_quadrant(data, key):
    scheme = next(s for s in data["schemes"] if s["key"] == "workbook")
    return next(q for q in scheme["quadrants"] if q["key"] == key)


def test_quadrants_missing_label(content_copy):
    edit_yaml(
        content_copy / "quadrants.yaml", lambda d: _workbook_quadrant(d, "involve").pop("label")
    )
    with pytest.raises(ContentError) as err:
        quadrant_schemes()
    msg = str(err.value)
    assert "quadrants.yaml" in msg
    assert "schemes/workbook/quadrants/involve" in msg
    assert "'label'" in msg


def test_quadrants_bad_level(content_copy):
    edit_yaml(
        content_copy / "quadrants.yaml",
        lambda d: _workbook_quadrant(d, "inform").update(power="medium"),
    )
    with pytest.raises(
        ContentError, match=r"quadrants\.yaml.*schemes/workbook/quadrants/inform.*'power'"
    ):
        quadrant_of(Stakeholder("A", 1, 1))


def test_quadrants_repeated_corner(content_copy):
    edit_yaml(
        content_copy / "quadrants.yaml",
        lambda d: _workbook_quadrant(d, "inform").update(power="high"),
    )
    with pytest.raises(
        ContentError, match=r"quadrants\.yaml.*entry 'schemes/workbook'.*exactly one"
    ):
        quadrant_schemes()


def test_quadrants_not_yaml(content_copy):
    (content_copy / "quadrants.yaml").write_text("schemes: [unclosed\n", "utf-8")
    with pytest.raises(ContentError, match=r"quadrants\.yaml.*not valid YAML"):
        quadrant_schemes()


def _example_row(data, key, name):
    ex = next(e for e in data["examples"] if e["key"] == key)
    return next(r for r in ex["stakeholders"] if r["name"] == name)


def test_worked_examples_out_of_range(content_copy):
    edit_yaml(
        content_copy / "worked_examples.yaml",
        lambda d: _example_row(d, "drug_alcohol", "EMAS").update(power=12),
    )
    with pytest.raises(ContentError) as err:
        load_worked_example("drug_alcohol")
    msg = str(err.value)
    assert "worked_examples.yaml" in msg
    assert "examples/drug_alcohol/stakeholders/EMAS" in msg
    assert "'power'" in msg


def test_worked_examples_position_outside_recorded_quadrant(content_copy):
    edit_yaml(
        content_copy / "worked_examples.yaml",
        lambda d: _example_row(d, "community_safety", "Police").update(interest=2.0),
    )
    with pytest.raises(
        ContentError,
        match=r"worked_examples\.yaml.*examples/community_safety/stakeholders/Police.*'quadrant'.*"
        r"KEEP ON BOARD, not INVOLVE",
    ):
        worked_examples()


def test_worked_examples_unknown_quadrant(content_copy):
    edit_yaml(
        content_copy / "worked_examples.yaml",
        lambda d: _example_row(d, "local_strategic", "Media").update(quadrant="IGNORE"),
    )
    with pytest.raises(
        ContentError, match=r"local_strategic/stakeholders/Media.*'quadrant'.*'IGNORE'"
    ):
        worked_examples()


def test_worked_examples_duplicate_name(content_copy):
    edit_yaml(
        content_copy / "worked_examples.yaml",
        lambda d: _example_row(d, "local_strategic", "Media").update(name="council"),
    )
    with pytest.raises(
        ContentError, match=r"local_strategic/stakeholders/council.*'name'.*duplicate"
    ):
        worked_examples()


def test_worked_examples_missing_name(content_copy):
    def change(d):
        del _example_row(d, "teenage_pregnancy", "HV")["name"]

    edit_yaml(content_copy / "worked_examples.yaml", change)
    with pytest.raises(
        ContentError, match=r"worked_examples\.yaml.*teenage_pregnancy/stakeholders.*'name'"
    ):
        worked_examples()


def test_worked_examples_blank_name(content_copy):
    edit_yaml(
        content_copy / "worked_examples.yaml",
        lambda d: _example_row(d, "teenage_pregnancy", "MW").update(name="   "),
    )
    with pytest.raises(ContentError, match=r"worked_examples\.yaml.*'name'"):
        worked_examples()


# --- the grid: artists --------------------------------------------------------------

PEOPLE = [
    Stakeholder("Police", 8, 7.5, attitude="supporter"),
    Stakeholder("Media", 2, 3, attitude="opponent"),
    Stakeholder("Council", 6, 2, attitude="neutral"),
    Stakeholder("Residents", 3, 8),
]


def test_grid_returns_axes_with_limits_and_labels():
    ax = plot_power_interest_grid(PEOPLE)
    assert ax.get_xlim() == (0, 10) and ax.get_ylim() == (0, 10)
    assert ax.get_xlabel() == "Power"
    assert ax.get_ylabel() == "Interest"
    ends = {gid: t.get_text() for gid, t in _by_gid(ax, "axis-end:").items()}
    assert ends == {
        "axis-end:power:low": "low",
        "axis-end:power:high": "high",
        "axis-end:interest:low": "low",
        "axis-end:interest:high": "high",
    }
    power_line = _by_gid(ax, "divider:power")["divider:power"]
    interest_line = _by_gid(ax, "divider:interest")["divider:interest"]
    assert list(power_line.get_xdata()) == [5.0, 5.0]
    assert list(interest_line.get_ydata()) == [5.0, 5.0]


def test_grid_draws_on_given_axes():
    _fig, ax = plt.subplots()
    assert plot_power_interest_grid(PEOPLE, ax=ax) is ax


def test_grid_offsets_equal_input_positions():
    ax = plot_power_interest_grid(PEOPLE)
    offsets = _collection(ax).get_offsets()
    np.testing.assert_allclose(offsets, [(p.power, p.interest) for p in PEOPLE])


def test_grid_quadrant_fills_labels_and_colours():
    theme = style.current_theme()
    ax = plot_power_interest_grid(PEOPLE)
    fills = _by_gid(ax, "quadrant:")
    assert list(fills) == [f"quadrant:{label}" for label in WORKBOOK_ORDER]
    for (gid, patch), colour in zip(fills.items(), theme.quadrant_fills, strict=True):
        assert to_hex(patch.get_facecolor()) == to_hex(colour), gid
    involve = fills["quadrant:INVOLVE"]
    assert (involve.get_x(), involve.get_y(), involve.get_width(), involve.get_height()) == (
        5,
        5,
        5,
        5,
    )
    keep = fills["quadrant:KEEP ON BOARD"]
    assert (keep.get_x(), keep.get_y()) == (5, 0)
    labels = _by_gid(ax, "quadrant-label:")
    assert [t.get_text() for t in labels.values()] == WORKBOOK_ORDER
    for t in labels.values():
        assert to_hex(t.get_color()) == to_hex(theme.quadrant_text)
        assert t.get_fontsize() > theme.label_size


def test_quadrant_labels_sit_in_the_outer_corners():
    ax = plot_power_interest_grid([])
    ax.figure.canvas.draw()
    r = ax.figure.canvas.get_renderer()
    box = ax.bbox
    labels = _by_gid(ax, "quadrant-label:")
    involve = labels["quadrant-label:INVOLVE"].get_window_extent(r)
    aware = labels["quadrant-label:BE AWARE"].get_window_extent(r)
    inform = labels["quadrant-label:INFORM"].get_window_extent(r)
    keep = labels["quadrant-label:KEEP ON BOARD"].get_window_extent(r)
    assert involve.x1 > box.x1 - 40 and involve.y1 > box.y1 - 40
    assert aware.x0 < box.x0 + 40 and aware.y0 < box.y0 + 40
    assert inform.x0 < box.x0 + 40 and inform.y1 > box.y1 - 40
    assert keep.x1 > box.x1 - 40 and keep.y0 < box.y0 + 40


def test_grid_label_texts_and_gids():
    ax = plot_power_interest_grid(PEOPLE)
    labels = _by_gid(ax, "label:")
    assert {gid: t.get_text() for gid, t in labels.items()} == {
        f"label:{p.name}": p.name for p in PEOPLE
    }
    assert set(_by_gid(ax, "leader:")) == {f"leader:{p.name}" for p in PEOPLE}
    assert _collection(ax).get_gid() == "stakeholders"


def test_grid_attitude_colours_markers_and_key():
    theme = style.current_theme()
    ax = plot_power_interest_grid(PEOPLE)
    coll = _collection(ax)
    faces = [to_hex(c) for c in coll.get_facecolors()]
    assert faces == [to_hex(theme.attitude_style(p.attitude)[0]) for p in PEOPLE]
    paths = coll.get_paths()
    # Shape differs by attitude as well as colour.
    assert len(paths) == len(PEOPLE)
    assert not np.allclose(paths[0].vertices[:4], paths[1].vertices[:4])
    assert len(paths[2].vertices) != len(paths[1].vertices) or not np.allclose(
        paths[2].vertices, paths[1].vertices
    )
    legend = ax.get_legend()
    assert legend is not None
    texts = [t.get_text() for t in legend.get_texts()]
    assert texts == ["Supporter", "Neutral", "Opponent", "Not given"]
    assert not any(t.startswith("_") for t in texts)
    handles = legend.legend_handles
    for handle, key in zip(handles, [*ATTITUDES, None], strict=True):
        colour, marker = theme.attitude_style(key)
        assert handle.get_marker() == marker
        assert to_hex(handle.get_markerfacecolor()) == to_hex(colour)


def test_grid_without_attitudes_uses_the_none_style_and_no_key():
    theme = style.current_theme()
    people = [dataclasses.replace(p, attitude=None) for p in PEOPLE]
    ax = plot_power_interest_grid(people)
    faces = {to_hex(c) for c in _collection(ax).get_facecolors()}
    assert faces == {to_hex(theme.attitude_style(None)[0])}
    assert ax.get_legend() is None


def test_show_attitude_false_ignores_attitudes():
    theme = style.current_theme()
    ax = plot_power_interest_grid(PEOPLE, show_attitude=False)
    faces = {to_hex(c) for c in _collection(ax).get_facecolors()}
    assert faces == {to_hex(theme.attitude_style(None)[0])}
    assert ax.get_legend() is None


def test_scatter_kws_pass_through():
    ax = plot_power_interest_grid(PEOPLE, alpha=0.5, s=150)
    coll = _collection(ax)
    assert coll.get_alpha() == 0.5
    assert list(coll.get_sizes()) == [150]


def test_grid_movement_arrows_and_hollow_markers():
    before = [
        Stakeholder("Police", 3, 7.5, attitude="supporter"),  # moved
        Stakeholder("Media", 2, 3),  # unchanged
        Stakeholder("Gone", 1, 1),  # not in the new grid
    ]
    ax = plot_power_interest_grid(PEOPLE, previous=before)
    arrows = _by_gid(ax, "move:")
    assert list(arrows) == ["move:Police"]
    arrow = arrows["move:Police"]
    path = arrow.get_path()
    assert path is not None
    np.testing.assert_allclose(arrow_ends(arrow), [(3, 7.5), (8, 7.5)])
    hollow = _collection(ax, "previous-positions")
    np.testing.assert_allclose(hollow.get_offsets(), [(3, 7.5)])
    assert hollow.get_facecolors().size == 0 or hollow.get_facecolors()[0][3] == 0
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Earlier position" in texts


def test_grid_previous_accepts_a_dataframe():
    before = as_frame([Stakeholder("Council", 6, 8)])
    ax = plot_power_interest_grid(PEOPLE, previous=before)
    assert list(_by_gid(ax, "move:")) == ["move:Council"]


def test_grid_accepts_a_dataframe():
    ax = plot_power_interest_grid(as_frame(PEOPLE))
    np.testing.assert_allclose(
        _collection(ax).get_offsets(), [(p.power, p.interest) for p in PEOPLE]
    )


def test_grid_mendelow_labels():
    ax = plot_power_interest_grid(PEOPLE, scheme="mendelow")
    labels = [t.get_text() for t in _by_gid(ax, "quadrant-label:").values()]
    assert labels == ["Manage closely", "Keep satisfied", "Keep informed", "Monitor"]


def test_empty_grid_draws():
    ax = plot_power_interest_grid([])
    ax.figure.canvas.draw()
    assert len(_collection(ax).get_offsets()) == 0
    assert _by_gid(ax, "label:") == {}
    assert len(_by_gid(ax, "quadrant-label:")) == 4


def test_title():
    ax = plot_power_interest_grid(PEOPLE, title="Cost $5_000")
    assert ax.get_title() == "Cost $5_000"


@pytest.mark.parametrize(
    "name", ["Cost $5_000 \\ year", "$x$", "a_b_c", "back\\slash", "50% $ off"]
)
def test_labels_are_drawn_literally(name):
    ax = plot_power_interest_grid([Stakeholder(name, 6, 6), Stakeholder("Other", 2, 2)])
    label = _by_gid(ax, f"label:{name}")[f"label:{name}"]
    assert label.get_text() == name
    ax.figure.canvas.draw()
    ax.figure.savefig(os.devnull, format="png")


def test_projector_text_is_at_least_18pt():
    with style.style_context("projector"):
        ax = plot_power_interest_grid(PEOPLE, previous=[Stakeholder("Police", 3, 3)], title="T")
        fig = ax.figure
        fig.canvas.draw()
        assert tuple(fig.get_size_inches() * fig.dpi) == (1920, 1080)
        sizes = []
        for text in fig.findobj(lambda a: hasattr(a, "get_fontsize") and hasattr(a, "get_text")):
            if text.get_text() and text.get_visible():
                sizes.append((text.get_fontsize(), text.get_text()))
        assert sizes
        too_small = [s for s in sizes if s[0] < 18]
        assert not too_small


def test_every_style_keeps_text_at_or_above_small_text():
    for name in style.STYLE_NAMES:
        with style.style_context(name) as theme:
            ax = plot_power_interest_grid(PEOPLE, previous=[Stakeholder("Police", 3, 3)])
            ax.figure.canvas.draw()
            for text in ax.figure.findobj(lambda a: hasattr(a, "get_fontsize")):
                if hasattr(text, "get_text") and text.get_text():
                    assert text.get_fontsize() >= theme.small_text, (name, text.get_text())
            plt.close(ax.figure)


# --- updating a long-lived figure ---------------------------------------------------


def test_update_moves_points_in_place():
    ax = plot_power_interest_grid(PEOPLE)
    ax.figure.canvas.draw()
    coll = _collection(ax)
    moved = [dataclasses.replace(p, power=9.5) if p.name == "Media" else p for p in PEOPLE]
    update_power_interest_grid(ax, moved)
    assert _collection(ax) is coll  # same artist, new offsets
    np.testing.assert_allclose(coll.get_offsets()[1], (9.5, 3))
    ax.figure.canvas.draw()
    label = _by_gid(ax, "label:Media")["label:Media"]
    x, _ = label.get_position()
    assert x > 7  # the name followed its point


def test_update_with_new_stakeholders_and_movement():
    ax = plot_power_interest_grid(PEOPLE)
    more = [*PEOPLE, Stakeholder("Schools", 7, 9)]
    update_power_interest_grid(ax, more, previous=[*PEOPLE[:1], Stakeholder("Schools", 1, 9)])
    ax.figure.canvas.draw()
    assert len(_collection(ax).get_offsets()) == 5
    assert [c.get_gid() for c in ax.collections].count("stakeholders") == 1
    assert list(_by_gid(ax, "move:")) == ["move:Schools"]
    assert "label:Schools" in _by_gid(ax, "label:")
    update_power_interest_grid(ax, [])
    ax.figure.canvas.draw()
    assert _by_gid(ax, "label:") == {}
    assert _by_gid(ax, "move:") == {}
    assert ax.get_legend() is None


def test_update_returns_what_it_changed_and_none_for_another_scheme():
    ax = plot_power_interest_grid(PEOPLE)
    coll = _collection(ax)
    moved = [dataclasses.replace(p, power=9.5) if p.name == "Media" else p for p in PEOPLE]
    assert coll in update_power_interest_grid(ax, moved, scheme="workbook")
    assert update_power_interest_grid(ax, PEOPLE, scheme="mendelow") is None
    np.testing.assert_allclose(coll.get_offsets()[1], (9.5, 3))  # nothing changed


def test_update_rejects_foreign_axes_and_bad_data():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="no power-interest grid"):
        update_power_interest_grid(ax, PEOPLE)
    ax = plot_power_interest_grid(PEOPLE)
    with pytest.raises(ValueError, match="duplicate"):
        update_power_interest_grid(ax, [*PEOPLE, Stakeholder("police", 1, 1)])


# --- the text twin ------------------------------------------------------------------


def test_describe_lists_quadrants_in_order_with_names_and_scores():
    text = describe_power_interest_grid(PEOPLE)
    assert text.startswith("Power-interest grid with 4 stakeholders")
    positions = [text.index(f"{label} (") for label in WORKBOOK_ORDER]
    assert positions == sorted(positions)
    assert "INVOLVE (high power, high interest)" in text
    assert "KEEP ON BOARD (high power, low interest)" in text
    assert "Police (power 8, interest 7.5, supporter)" in text
    assert "Council (power 6, interest 2, neutral)" in text
    assert "Residents (power 3, interest 8)" in text
    for q in quadrant_schemes()["workbook"].quadrants:
        assert q.meaning in text
    assert "<" not in text
    assert "5 or more counts as high" in text


def test_describe_empty_quadrant_and_single_stakeholder():
    text = describe_power_interest_grid([Stakeholder("Police", 9, 9)])
    assert text.startswith("Power-interest grid with 1 stakeholder,")
    assert text.count("No stakeholders here.") == 3


def test_describe_empty_grid():
    text = describe_power_interest_grid([])
    assert "no stakeholders have been placed yet" in text


def test_describe_movements():
    before = [
        Stakeholder("Police", 3, 7.5),
        Stakeholder("Media", 2, 3),
        Stakeholder("Council", 7, 1),
    ]
    text = describe_power_interest_grid(PEOPLE, previous=before)
    assert "Police moved from INFORM to INVOLVE (power 3 to 8, interest 7.5 to 7.5)" in text
    assert "Council moved within KEEP ON BOARD (power 7 to 6, interest 1 to 2)" in text
    assert "Media moved" not in text
    assert "No stakeholder has moved" in describe_power_interest_grid(PEOPLE, previous=PEOPLE)


def test_describe_mendelow_and_dataframe():
    text = describe_power_interest_grid(as_frame(PEOPLE), scheme="mendelow")
    assert "Manage closely (high power, high interest)" in text
    assert "Police (power 8" in text


# --- image comparison ---------------------------------------------------------------


def _feature_scene():
    """The community safety example with attitudes and one movement."""
    attitudes = {"Police": "supporter", "Education": "neutral", "Councillors": "opponent"}
    now = [
        dataclasses.replace(p, attitude=attitudes.get(p.name))
        for p in load_worked_example("community_safety")
    ]
    now = [
        dataclasses.replace(p, power=6.6, interest=5.6) if p.name == "Councillors" else p
        for p in now
    ]
    before = [
        dataclasses.replace(p, power=3.2, interest=3.0) if p.name == "Councillors" else p
        for p in now
    ]
    return now, before


@pytest.mark.parametrize("style_name", style.STYLE_NAMES)
def test_grid_image(style_name, tmp_path):
    now, before = _feature_scene()
    with style.style_context(style_name):
        ax = plot_power_interest_grid(now, previous=before, title="Community Safety Partnership")
        compare_with_baseline(ax.figure, f"power_interest_grid_{style_name}", tmp_path)
