"""Lifecycle, group development and collaboration-continuum models and their plots."""

from __future__ import annotations

import itertools
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from _helpers import by_gid, compare_with_baseline, edit_yaml, gids, visible_texts
from matplotlib.colors import to_hex
from matplotlib.patches import FancyArrowPatch, Rectangle
from matplotlib.path import Path as Path_

from partnership_lib.core import style
from partnership_lib.core.content import ContentError
from partnership_lib.models.lifecycle import (
    LifecycleModel,
    LifecycleStage,
    describe_collaboration_continuum,
    describe_lifecycle,
    lifecycle_model,
    lifecycle_models,
    plot_collaboration_continuum,
    plot_lifecycle,
)

EXPECTED_STAGES = {
    "partnership_phases": [
        "Preparation",
        "Development",
        "Implementation",
        "Fulfilment & measurement",
    ],
    "five_fs": ["Forming", "Frustration", "Functioning", "Flying", "Failing"],
    "four_stages": ["Initiating", "Starting", "Doing", "Following through – or finishing"],
    "tuckman": ["Forming", "Storming", "Norming", "Performing", "Adjourning"],
    "himmelman": ["Networking", "Co-ordination", "Co-operation", "Collaboration"],
    "nocon": ["Networking", "Coalitional", "Merging"],
    "powell": ["Co-operation", "Co-ordination", "Collaboration", "Joint working and integration"],
}


# --------------------------------------------------------------------------- helpers


def assert_no_text_overlap(fig):
    renderer = fig.canvas.get_renderer()
    texts = visible_texts(fig)
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    for i, (a_text, a) in enumerate(boxes):
        for b_text, b in boxes[i + 1 :]:
            assert not a.overlaps(b), f"{a_text!r} overlaps {b_text!r}"


def assert_inside_figure(fig):
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    for t in visible_texts(fig):
        box = t.get_window_extent(renderer)
        assert box.x0 >= frame.x0 - 1 and box.x1 <= frame.x1 + 1, f"{t.get_text()!r} clipped"
        assert box.y0 >= frame.y0 - 1 and box.y1 <= frame.y1 + 1, f"{t.get_text()!r} clipped"


def stage_raw(data, model_key, stage_key):
    model = next(m for m in data["models"] if m["key"] == model_key)
    return next(s for s in model["stages"] if s["key"] == stage_key)


def make_stage(**overrides):
    fields = {
        "key": "forming",
        "name": "Forming",
        "summary": "Partners meet.",
        "characteristics": (),
        "actions": (),
        "level": 0.5,
    }
    fields.update(overrides)
    return LifecycleStage(**fields)


def make_model(stages, **overrides):
    fields = {
        "key": "demo",
        "name": "Demo",
        "kind": "lifecycle",
        "source": "Nobody 2024",
        "description": "A demonstration.",
        "axis_label": "Energy and performance",
        "stages": tuple(stages),
    }
    fields.update(overrides)
    return LifecycleModel(**fields)


# --------------------------------------------------------------------------- content


def test_models_load_with_the_workbooks_stage_names():
    models = lifecycle_models()
    assert list(models) == list(EXPECTED_STAGES)
    for key, names in EXPECTED_STAGES.items():
        assert [s.name for s in models[key].stages] == names, key


def test_model_kinds_and_sources():
    models = lifecycle_models()
    assert {k: m.kind for k, m in models.items()} == {
        "partnership_phases": "lifecycle",
        "five_fs": "lifecycle",
        "four_stages": "lifecycle",
        "tuckman": "group_development",
        "himmelman": "continuum",
        "nocon": "continuum",
        "powell": "continuum",
    }
    assert models["tuckman"].source == "Ivancevich and Matteson 1993"
    assert models["himmelman"].source == "Himmelman 1992"
    assert models["nocon"].source == "Nocon in Hudson et al 1999"


def test_five_fs_carry_the_workbooks_characteristics():
    five = lifecycle_model("five_fs")
    counts = {s.key: len(s.characteristics) for s in five.stages}
    assert counts == {"forming": 4, "frustration": 6, "functioning": 5, "flying": 5, "failing": 4}
    frustration = five.stage("frustration")
    assert frustration.characteristics[0] == 'partners feel "in a fog"'
    assert "partners competing for credit and control" in frustration.characteristics
    assert (
        five.stage("functioning").characteristics[2] == 'partners talk in terms of "we" not "you"'
    )
    assert five.stage("failing").characteristics == (
        "disengagement",
        "lack of commitment",
        "recurrent tensions",
        "breakdown or frittering away of relationships",
    )


def test_failing_is_the_only_stage_that_can_happen_at_any_time():
    anytime = [
        (k, s.key) for k, m in lifecycle_models().items() for s in m.stages if s.from_any_stage
    ]
    assert anytime == [("five_fs", "failing")]


def test_four_stages_carry_actions_and_phases_carry_summaries():
    four = lifecycle_model("four_stages")
    assert [len(s.actions) for s in four.stages] == [3, 6, 3, 2]
    assert any("visioning workshop" in a for a in four.stage("starting").actions)
    phases = lifecycle_model("partnership_phases")
    assert all(s.summary and not s.actions for s in phases.stages)


def test_nocon_stages_keep_their_meaning():
    nocon = lifecycle_model("nocon")
    assert "loose system of contacts" in nocon.stage("networking").summary
    assert "joint strategic plan" in nocon.stage("coalitional").summary
    assert "single set of objectives" in nocon.stage("merging").summary


def test_continua_rise():
    for key in ("himmelman", "nocon"):
        levels = [s.level for s in lifecycle_model(key).stages]
        assert levels == sorted(levels) and len(set(levels)) == len(levels)


def test_unknown_model_names_it_and_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown lifecycle model 'nope'.*five_fs.*nocon"):
        lifecycle_model("nope")


def test_stage_lookup_by_key_or_name_any_case():
    five = lifecycle_model("five_fs")
    assert five.stage("FRUSTRATION").key == "frustration"
    assert five.stage("frustration") is five.stage("Frustration")
    with pytest.raises(ValueError, match=r"unknown stage 'Fizzing'.*Forming, Frustration"):
        five.stage("Fizzing")


# --------------------------------------------------------------------------- validation


# What LifecycleStage and LifecycleModel used to refuse is refused where the content is
# loaded: by the schema, or by lifecycle_models for what a schema cannot say.

FORMING = "models/five_fs/stages/forming"


@pytest.mark.parametrize(
    ("overrides", "entry", "field", "problem"),
    [
        ({"level": 1.5}, FORMING, "level", "must be between 0 and 1, got 1.5"),
        ({"level": math.nan}, FORMING, "level", "must be a finite number, got nan"),
        ({"level": True}, FORMING, "level", "must be a number, got True"),
        ({"name": " "}, "models/five_fs/stages/forming", "name", "must be non-empty text, got ' '"),
        (
            {"key": "Not A Key"},
            "models/five_fs/stages/Not A Key",
            "key",
            "must be snake_case text (a-z, 0-9 and _, starting with a letter), got 'Not A Key'",
        ),
        ({"summary": ""}, FORMING, "summary", "must be non-empty text, got ''"),
        (
            {"characteristics": "one string"},
            FORMING,
            "characteristics",
            "must be a list, got 'one string'",
        ),
        ({"actions": ["ok", ""]}, f"{FORMING}/actions", "1", "must be non-empty text, got ''"),
        ({"from_any_stage": "yes"}, FORMING, "from_any_stage", "must be true or false, got 'yes'"),
    ],
)
def test_stage_validation(content_copy, overrides, entry, field, problem):
    edit_yaml(
        content_copy / "lifecycles.yaml",
        lambda d: stage_raw(d, "five_fs", "forming").update(overrides),
    )
    with pytest.raises(ContentError) as info:
        lifecycle_models()
    err = info.value
    assert err.file == str(content_copy / "lifecycles.yaml")
    assert (err.entry, err.field, err.problem) == (entry, field, problem)


def test_stage_lists_become_tuples():
    stage = lifecycle_model("five_fs").stage("forming")
    assert isinstance(stage.characteristics, tuple) and len(stage.characteristics) == 4
    assert isinstance(lifecycle_model("four_stages").stage("starting").actions, tuple)
    assert hash(stage) == hash(lifecycle_model("five_fs").stage("forming"))


def _model_raw(data, key):
    return next(m for m in data["models"] if m["key"] == key)


@pytest.mark.parametrize(
    ("change", "entry", "field", "problem"),
    [
        (
            lambda d: _model_raw(d, "five_fs").update(kind="spiral"),
            "models/five_fs",
            "kind",
            "must be one of 'lifecycle', 'group_development', 'continuum', got 'spiral'",
        ),
        (
            lambda d: _model_raw(d, "tuckman")["stages"][1].update(key="forming"),
            "models/tuckman/stages/forming",
            "key",
            "duplicate stage key 'forming'",
        ),
        (
            lambda d: _model_raw(d, "tuckman")["stages"][1].update(name="FORMING"),
            "models/tuckman/stages/storming",
            "name",
            "duplicate stage name 'FORMING' (names are compared ignoring case)",
        ),
        (
            lambda d: _model_raw(d, "tuckman").update(
                stages=_model_raw(d, "tuckman")["stages"][:1]
            ),
            "models/tuckman",
            "stages",
            "must have at least 2 items, got 1",
        ),
        (
            lambda d: _model_raw(d, "tuckman").update(kind="continuum"),
            "models/tuckman",
            "stages",
            "a continuum must rise stage by stage, but 'Storming' (level 0.2) does not rise "
            "above 'Forming' (level 0.4)",
        ),
        (
            lambda d: _model_raw(d, "five_fs")["stages"].insert(
                0, _model_raw(d, "five_fs")["stages"].pop()
            ),
            "models/five_fs/stages/failing",
            "from_any_stage",
            "stage 'Failing' can happen at any stage, so it must come last",
        ),
        (
            lambda d: [s.update(from_any_stage=True) for s in _model_raw(d, "nocon")["stages"]],
            "models/nocon",
            "stages",
            "at least one stage must be part of the normal sequence (not from_any_stage)",
        ),
    ],
)
def test_model_validation(content_copy, change, entry, field, problem):
    edit_yaml(content_copy / "lifecycles.yaml", change)
    with pytest.raises(ContentError) as info:
        lifecycle_models()
    err = info.value
    assert err.file == str(content_copy / "lifecycles.yaml")
    assert (err.entry, err.field, err.problem) == (entry, field, problem)


# --------------------------------------------------------------------------- malformed content


def test_schema_error_names_file_entry_and_field(content_copy):
    path = content_copy / "lifecycles.yaml"
    edit_yaml(path, lambda d: stage_raw(d, "five_fs", "frustration").update(level=2))
    with pytest.raises(ContentError) as info:
        lifecycle_models()
    message = str(info.value)
    assert "lifecycles.yaml" in message
    assert "entry 'models/five_fs/stages/frustration'" in message
    assert "field 'level'" in message


def test_missing_field_is_named(content_copy):
    path = content_copy / "lifecycles.yaml"
    edit_yaml(path, lambda d: stage_raw(d, "tuckman", "norming").pop("summary"))
    with pytest.raises(
        ContentError, match=r"lifecycles\.yaml.*models/tuckman/stages/norming.*'summary'"
    ):
        lifecycle_models()


def test_model_rule_error_names_file_and_entry(content_copy):
    path = content_copy / "lifecycles.yaml"
    edit_yaml(path, lambda d: stage_raw(d, "nocon", "merging").update(level=0.1))
    with pytest.raises(ContentError) as info:
        lifecycle_models()
    message = str(info.value)
    assert "lifecycles.yaml" in message and "entry 'models/nocon'" in message
    assert "'Merging' (level 0.1)" in message  # the field at fault


def test_broken_yaml_is_reported_with_its_line(content_copy):
    path = content_copy / "lifecycles.yaml"
    path.write_text("models: [\n  - key: oops\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"lifecycles\.yaml.*not valid YAML at line"):
        lifecycle_models()


# --------------------------------------------------------------------------- plot_lifecycle


def test_plot_returns_axes_on_a_new_figure_and_reuses_a_given_one():
    ax = plot_lifecycle("tuckman")
    assert ax.figure is not None
    _fig, given = plt.subplots()
    assert plot_lifecycle("tuckman", ax=given) is given


@pytest.mark.parametrize("key", list(EXPECTED_STAGES))
def test_bands_are_in_order_without_overlap_and_labelled(key):
    model = lifecycle_model(key)
    ax = plot_lifecycle(key)
    bands = [by_gid(ax, f"stage:{s.key}") for s in model.stages]
    assert all(isinstance(b, Rectangle) for b in bands)
    for left, right in itertools.pairwise(bands):
        assert left.get_x() < right.get_x()
        assert left.get_x() + left.get_width() <= right.get_x() + 1e-9
    for stage, band in zip(model.stages, bands, strict=True):
        label = by_gid(ax, f"stage-label:{stage.key}")
        assert " ".join(label.get_text().split()) == stage.name
        x, _ = label.get_position()
        assert band.get_x() < x < band.get_x() + band.get_width()


def test_curve_passes_through_each_stage_level():
    model = lifecycle_model("tuckman")
    ax = plot_lifecycle(model)
    curve = by_gid(ax, "curve")
    xs, ys = curve.get_xdata(), curve.get_ydata()
    for i, stage in enumerate(model.stages):
        assert np.interp(i + 0.5, xs, ys) == pytest.approx(stage.level, abs=0.01)
    assert ys.min() >= 0 and ys.max() <= 1


def test_current_stage_is_marked_inside_its_band():
    ax = plot_lifecycle("five_fs", current="FRUSTRATION")
    band = by_gid(ax, "stage:frustration")
    marker = by_gid(ax, "current-marker")
    (x,) = marker.get_xdata()
    (y,) = marker.get_ydata()
    assert band.get_x() < x < band.get_x() + band.get_width()
    assert y == pytest.approx(lifecycle_model("five_fs").stage("frustration").level)
    here = by_gid(ax, "current-label")
    assert here.get_text() == "You are here"
    assert band.get_x() < here.xy[0] < band.get_x() + band.get_width()
    theme = style.current_theme()
    assert to_hex(band.get_facecolor()) == to_hex(theme.quadrant_fills[0])
    others = [by_gid(ax, f"stage:{k}") for k in ("forming", "functioning", "flying")]
    assert all(to_hex(b.get_facecolor()) != to_hex(theme.quadrant_fills[0]) for b in others)


def test_no_current_means_no_marker():
    ax = plot_lifecycle("five_fs")
    assert gids(ax, "current") == []


def test_unknown_current_stage_names_it_and_the_models_stages():
    with pytest.raises(
        ValueError, match=r"'Storming'.*'five_fs'.*Forming, Frustration, Functioning"
    ):
        plot_lifecycle("five_fs", current="Storming")


def test_failing_is_shown_as_a_dip_that_can_happen_at_any_stage():
    model = lifecycle_model("five_fs")
    ax = plot_lifecycle(model)
    curve = by_gid(ax, "curve")
    flying_x = model.index("flying") + 0.5
    assert curve.get_xdata().max() == pytest.approx(flying_x)  # main curve stops at Flying
    fall = by_gid(ax, "curve-fall:failing")
    assert fall.get_linestyle() != "-"
    assert fall.get_ydata()[0] == pytest.approx(model.stage("flying").level)
    assert fall.get_ydata()[-1] == pytest.approx(model.stage("failing").level)
    note = by_gid(ax, "note:failing")
    assert "any stage" in note.get_text().replace("\n", " ")
    band = by_gid(ax, "stage:failing")
    assert band.get_hatch()


def test_continuum_curve_rises():
    ax = plot_lifecycle("himmelman", current="co-operation")
    ys = by_gid(ax, "curve").get_ydata()
    assert np.all(np.diff(ys) >= -1e-12)
    assert ax.get_ylabel() == "Degree of integration"


def test_kwargs_reach_the_curve():
    ax = plot_lifecycle("five_fs", color="#123456", linewidth=7)
    curve = by_gid(ax, "curve")
    assert to_hex(curve.get_color()) == "#123456"
    assert curve.get_linewidth() == 7


def test_text_with_markup_characters_is_drawn_literally():
    odd = "Cost $5_000 \\ year$"
    model = make_model(
        [make_stage(name=odd), make_stage(key="storming", name="Storming", level=0.2)],
        name=odd,
        source="Budget $x_1$ \\alpha",
    )
    ax = plot_lifecycle(model, current=odd)
    fig = ax.figure
    texts = visible_texts(fig)  # draws: mathtext would choke on the backslash
    assert by_gid(ax, "stage-label:forming").get_text().replace("\n", " ") == odd
    assert ax.get_title(loc="left") == odd
    assert all(not t.get_parse_math() for t in texts)


def test_describe_lifecycle_names_every_stage_in_order():
    text = describe_lifecycle("five_fs", current="frustration")
    assert text.startswith("Lifecycle chart: Partnership life cycle (five Fs)")
    positions = [text.index(f"{name}:") for name in EXPECTED_STAGES["five_fs"]]
    assert positions == sorted(positions)
    assert "Stage 2 of 5, Frustration: energy and performance low." in text
    assert "from any other stage" in text
    assert text.endswith("You are here: Frustration, stage 2 of 5.")
    assert "<" not in text


def test_describe_lifecycle_for_a_continuum_says_it_rises():
    text = describe_lifecycle("nocon")
    assert text.startswith("Continuum chart: Ways of collaborating (Nocon in Hudson et al 1999)")
    assert "rises at every step" in text
    assert "You are here" not in text


# --------------------------------------------------------------------------- continuum plot


@pytest.mark.parametrize("key", ["himmelman", "nocon"])
def test_continuum_steps_rise_left_to_right(key):
    model = lifecycle_model(key)
    ax = plot_collaboration_continuum(key)
    steps = [by_gid(ax, f"stage:{s.key}") for s in model.stages]
    for left, right in itertools.pairwise(steps):
        assert left.get_x() + left.get_width() <= right.get_x()
        assert left.get_height() < right.get_height()
    for stage in model.stages:
        assert by_gid(ax, f"stage-label:{stage.key}").get_text().replace("\n", " ") == stage.name
        meaning = by_gid(ax, f"stage-meaning:{stage.key}").get_text()
        assert " ".join(meaning.split()) == " ".join(stage.summary.split())
    arrow = by_gid(ax, "continuum-arrow")
    assert isinstance(arrow, FancyArrowPatch)
    path = arrow.get_path()
    verts = path.vertices if path.codes is None else path.vertices[path.codes != Path_.CLOSEPOLY]
    tail, head = verts[np.argmin(verts[:, 0])], verts[np.argmax(verts[:, 0])]
    assert head[1] > tail[1]  # rises from loose to integrated
    assert by_gid(ax, "end-label:loose").get_text() == "Loose"
    assert by_gid(ax, "end-label:integrated").get_text() == "Integrated"


def test_continuum_marks_the_current_step():
    ax = plot_collaboration_continuum("himmelman", current="Co-Operation")
    step = by_gid(ax, "stage:co_operation")
    (x,) = by_gid(ax, "current-marker").get_xdata()
    assert step.get_x() < x < step.get_x() + step.get_width()
    assert to_hex(step.get_edgecolor()) == to_hex(style.current_theme().accent)


def test_continuum_rejects_a_lifecycle_and_unknown_steps():
    with pytest.raises(
        ValueError, match=r"'tuckman' is a group development model, not a continuum"
    ):
        plot_collaboration_continuum("tuckman")
    with pytest.raises(ValueError, match=r"not a continuum; continuum models: himmelman, nocon"):
        describe_collaboration_continuum("five_fs")
    with pytest.raises(ValueError, match=r"unknown stage 'merging'.*'himmelman'"):
        plot_collaboration_continuum("himmelman", current="merging")


def test_describe_collaboration_continuum():
    text = describe_collaboration_continuum("nocon", current="merging")
    assert "3 steps climb along a rising arrow from loose" in text
    assert "Step 2 of 3, Coalitional: Sharing information and matching service plans" in text
    assert text.endswith("You are here: Merging, step 3 of 3.")


# --------------------------------------------------------------------------- projector legibility


def _all_lifecycle_figures():
    currents = {
        "partnership_phases": "fulfilment_and_measurement",
        "five_fs": "flying",
        "four_stages": "following_through",
        "tuckman": "adjourning",
        "himmelman": "collaboration",
        "nocon": "networking",
    }
    for key, current in currents.items():
        yield f"lifecycle:{key}", plot_lifecycle(key, current=current).figure
        if key in ("himmelman", "nocon"):
            yield f"continuum:{key}", plot_collaboration_continuum(key, current=current).figure


def test_projector_text_is_at_least_18pt_and_does_not_overlap():
    with style.style_context("projector"):
        for name, fig in _all_lifecycle_figures():
            assert tuple(fig.get_size_inches()) == (16, 9), name
            for t in visible_texts(fig):
                assert t.get_fontsize() >= 18, f"{name}: {t.get_text()!r} is {t.get_fontsize()}pt"
            assert_no_text_overlap(fig)
            assert_inside_figure(fig)
            plt.close(fig)


@pytest.mark.parametrize("style_name", style.STYLE_NAMES)
def test_lifecycle_image(style_name, tmp_path):
    with style.style_context(style_name):
        ax = plot_lifecycle("five_fs", current="frustration")
        compare_with_baseline(ax.figure, f"lifecycle_{style_name}", tmp_path)
