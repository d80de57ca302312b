"""Powell's (1992) continuum, which the workbook's lifecycle section sets beside Nocon's."""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import pytest
from _helpers import by_gid, edit_yaml, visible_texts
from matplotlib.colors import to_hex

from partnership_lib import (
    describe_collaboration_continuum,
    lifecycle_models,
    plot_collaboration_continuum,
)
from partnership_lib.core import style
from partnership_lib.core.content import ContentError
from partnership_lib.models.lifecycle import table_collaboration_continuum
from partnership_lib.models.references import resolve_citation

STAGES = ["Co-operation", "Co-ordination", "Collaboration", "Joint working and integration"]
KEYS = ["co_operation", "co_ordination", "collaboration", "joint_working_and_integration"]


def test_powell_is_a_continuum_with_the_workbooks_stages():
    models = lifecycle_models()
    powell = models["powell"]
    assert powell.kind == "continuum"
    assert powell.source == "Powell 1992"
    assert [s.name for s in powell.stages] == STAGES
    assert [s.key for s in powell.stages] == KEYS
    levels = [s.level for s in powell.stages]
    assert levels == sorted(levels) and len(set(levels)) == len(levels)
    assert all(s.summary for s in powell.stages)
    # The three continua of the lifecycle section, in the workbook's order.
    continua = [k for k, m in models.items() if m.kind == "continuum"]
    assert continua == ["himmelman", "nocon", "powell"]


def test_powell_orders_co_operation_before_co_ordination_unlike_himmelman():
    models = lifecycle_models()
    assert models["powell"].index("co_operation") < models["powell"].index("co_ordination")
    assert models["himmelman"].index("co_operation") > models["himmelman"].index("co_ordination")


def test_powells_source_resolves_to_the_workbooks_reference():
    (ref,) = resolve_citation(lifecycle_models()["powell"].source)
    assert ref.key == "powell_1992"
    assert ref.title.startswith("Healthy Alliances")


def test_plot_draws_powells_steps_rising_with_their_names_and_meanings():
    powell = lifecycle_models()["powell"]
    _, ax = plt.subplots()
    returned = plot_collaboration_continuum(ax=ax, model="powell", current="collaboration")
    assert returned is ax
    steps = [by_gid(ax, f"stage:{key}") for key in KEYS]
    for left, right in itertools.pairwise(steps):
        assert left.get_x() + left.get_width() <= right.get_x()
        assert left.get_height() < right.get_height()
    for stage in powell.stages:
        assert by_gid(ax, f"stage-label:{stage.key}").get_text().replace("\n", " ") == stage.name
        meaning = by_gid(ax, f"stage-meaning:{stage.key}").get_text()
        assert " ".join(meaning.split()) == " ".join(stage.summary.split())
    step = by_gid(ax, "stage:collaboration")
    (x,) = by_gid(ax, "current-marker").get_xdata()
    assert step.get_x() < x < step.get_x() + step.get_width()
    assert to_hex(step.get_edgecolor()) == to_hex(style.current_theme().accent)
    assert ax.get_title(loc="left") == powell.name
    assert "Source: Powell 1992" in [t.get_text() for t in visible_texts(ax.figure)]


def test_describe_and_table_list_powells_steps():
    text = describe_collaboration_continuum("powell", current="joint_working_and_integration")
    assert text.startswith("Collaboration continuum: Healthy alliance continuum (Powell 1992).")
    for i, name in enumerate(STAGES, start=1):
        assert f"Step {i} of 4, {name}: " in text
    assert text.endswith("You are here: Joint working and integration, step 4 of 4.")
    table = table_collaboration_continuum("powell", current="co_operation")
    assert [row[1] for row in table.rows] == STAGES
    assert table.columns[-1] == "You are here"
    assert [row[-1] for row in table.rows] == [True, None, None, None]


@pytest.mark.parametrize("style_name", style.STYLE_NAMES)
def test_powells_chart_text_does_not_overlap_or_leave_the_figure(style_name):
    with style.style_context(style_name):
        fig = plot_collaboration_continuum("powell", current="joint_working_and_integration").figure
        renderer = fig.canvas.get_renderer()
        texts = visible_texts(fig)
        boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
        for i, (a_text, a) in enumerate(boxes):
            for b_text, b in boxes[i + 1 :]:
                assert not a.overlaps(b), f"{a_text!r} overlaps {b_text!r}"
        frame = fig.bbox
        for text, box in boxes:
            assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, f"{text!r} clipped"
            assert frame.y0 - 1 <= box.y0 and box.y1 <= frame.y1 + 1, f"{text!r} clipped"
        if style_name == "projector":
            assert all(t.get_fontsize() >= 18 for t in texts)


def test_a_falling_powell_step_is_refused_naming_the_entry(content_copy):
    def fall(data):
        powell = next(m for m in data["models"] if m["key"] == "powell")
        powell["stages"][-1]["level"] = 0.1

    edit_yaml(content_copy / "lifecycles.yaml", fall)
    with pytest.raises(ContentError) as info:
        lifecycle_models()
    message = str(info.value)
    assert "lifecycles.yaml" in message and "entry 'models/powell'" in message
    assert "'Joint working and integration' (level 0.1)" in message
