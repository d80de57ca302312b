"""Projector mode: how it is asked for, the toggle, its style sheet and live charts that follow."""

from __future__ import annotations

import base64
import gc
import io
import re

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest
from PIL import Image

from partnership_lib.charts import chart as charts
from partnership_lib.core import style
from partnership_lib.core.projector import (
    PROJECTOR_ENV,
    _listeners,
    _state,
    apply_request,
    on_projector_change,
    projector_on,
    projector_requested,
    set_projector,
)
from partnership_lib.sessions.s04_reflection import progress_view
from partnership_lib.sessions.session import Session
from partnership_lib.widgets.base import exercise_binding
from partnership_lib.widgets.projector import PROJECTOR_CSS, ProjectorToggle, projector_toggle

pytestmark = pytest.mark.usefixtures("no_display")

NB = "01_test"
VOILA = {"SERVER_SOFTWARE": "voila/0.5.13"}


@pytest.fixture(autouse=True)
def _projector_off(monkeypatch):
    """Each test starts with projector mode off and not yet requested, and ends so."""
    monkeypatch.delenv(PROJECTOR_ENV, raising=False)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.delenv("SERVER_SOFTWARE", raising=False)
    _state.update(on=False, before="workbook", applied=False)
    listeners = (_listeners, style._style_listeners)
    saved = [list(each._entries) for each in listeners]
    yield
    _state.update(on=False, before="workbook", applied=False)
    for each, entries in zip(listeners, saved, strict=True):
        each._entries = entries


# --------------------------------------------------------------------------- requests


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "Yes", "on", " 1 "])
def test_the_environment_variable_asks_for_projector_mode(value):
    assert projector_requested({PROJECTOR_ENV: value})


@pytest.mark.parametrize("value", ["", "0", "false", "off", "no", "2", "maybe", "<script>"])
def test_other_values_of_the_environment_variable_do_not(value):
    assert not projector_requested({PROJECTOR_ENV: value})


@pytest.mark.parametrize(
    "query",
    [
        "projector=1",
        "projector",
        "projector=",
        "projector=TRUE",
        "theme=dark&projector=yes",
        "projector=on&x=%zz",
        "projector=0&projector=1",
    ],
)
def test_a_voila_query_parameter_asks_for_projector_mode(query):
    assert projector_requested({**VOILA, "QUERY_STRING": query})


@pytest.mark.parametrize(
    "query",
    [
        "",
        "projector=0",
        "projector=false",
        "projector=maybe",
        "projector=1&projector=0",
        "projectors=1",
        "x=projector",
        "projector=%3Cscript%3E",
        "projector=1%00",
        "%%%",
    ],
)
def test_junk_or_no_in_the_query_string_does_not(query):
    assert not projector_requested({**VOILA, "QUERY_STRING": query})


def test_a_query_string_counts_only_under_voila():
    assert not projector_requested({"QUERY_STRING": "projector=1"})
    assert not projector_requested({"SERVER_SOFTWARE": "Apache/2.4", "QUERY_STRING": "projector=1"})


def test_the_real_environment_is_read_when_none_is_given(monkeypatch):
    assert not projector_requested()
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    monkeypatch.setenv("QUERY_STRING", "projector")
    assert projector_requested()


def test_voila_passes_the_query_string_to_the_kernel_as_query_string():
    """The mechanism projector_requested relies on, in the installed Voilà."""
    voila_handler = pytest.importorskip("voila.handler")
    import inspect

    source = inspect.getsource(voila_handler.VoilaHandler.get_generator)
    assert "ENV_VARIABLE.QUERY_STRING] = str(self.request.query)" in source
    assert "kernel_env = {**os.environ, **request_info}" in source


# --------------------------------------------------------------------------- state


def test_set_projector_switches_the_chart_style_and_back():
    set_projector(True)
    assert projector_on()
    assert style.current_theme().name == "projector"
    assert plt.rcParams["figure.figsize"] == [16.0, 9.0]
    set_projector(False)
    assert not projector_on()
    assert style.current_theme().name == "workbook"
    assert plt.rcParams["figure.figsize"] == [10.0, 7.0]


def test_high_contrast_comes_back_when_projector_mode_is_switched_off():
    style.use_style("high_contrast")
    set_projector(True)
    assert style.current_theme().name == "projector"
    set_projector(False)
    assert style.current_theme().name == "high_contrast"


def test_subscribers_hear_each_change_once():
    heard = []
    on_projector_change(heard.append)
    set_projector(True)
    set_projector(True)  # no change, no news
    set_projector(False)
    assert heard == [True, False]


def test_a_failing_subscriber_does_not_stop_the_others():
    heard = []

    def broken(_on):
        raise RuntimeError("broken subscriber")

    on_projector_change(broken)
    on_projector_change(heard.append)
    with pytest.raises(RuntimeError, match="broken subscriber"):
        set_projector(True)
    assert heard == [True]
    assert style.current_theme().name == "projector"


def test_subscriptions_end_with_their_object_or_a_closed_owner():
    heard = []

    class Chart:
        def redraw(self, on):
            heard.append(("method", on))

    chart = Chart()
    on_projector_change(chart.redraw)
    owner = widgets.HTML()
    on_projector_change(lambda on: heard.append(("owned", on)), owner=owner)
    set_projector(True)
    assert heard == [("method", True), ("owned", True)]
    del chart
    gc.collect()
    owner.close()
    set_projector(False)
    assert heard == [("method", True), ("owned", True)]


def test_style_subscribers_hear_the_new_style_name():
    names = []
    owner = widgets.HTML()
    style.on_style_change(names.append, owner=owner)
    set_projector(True)
    style.use_style("projector")  # unchanged: no news
    set_projector(False)
    assert names == ["projector", "workbook"]
    owner.close()


def test_a_request_is_applied_once_per_kernel(monkeypatch):
    monkeypatch.setenv(PROJECTOR_ENV, "1")
    assert apply_request()
    set_projector(False)  # the facilitator switches it off ...
    assert not apply_request()  # ... and running the cells again keeps it off
    assert style.current_theme().name == "workbook"


def test_a_session_built_in_a_projector_kernel_draws_later_charts_for_the_projector(
    monkeypatch,
):
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    monkeypatch.setenv("QUERY_STRING", "projector=1")
    Session("01_concepts_and_contexts")
    assert projector_on()
    from partnership_lib.models.lifecycle import plot_lifecycle

    chart = charts.render_chart(plot_lifecycle, "tuckman")
    assert (chart.width, chart.height) == (1920, 1080)
    assert chart.min_text_px >= 30


def test_a_session_in_an_ordinary_kernel_leaves_the_style_alone():
    Session("01_concepts_and_contexts")
    assert not projector_on()
    assert style.current_theme().name == "workbook"


# --------------------------------------------------------------------------- the toggle


def test_the_toggle_is_a_labelled_button_that_switches_style_and_style_sheet():
    box = projector_toggle()
    toggle, css = box.toggle, box.css
    assert isinstance(toggle, widgets.ToggleButton)
    assert toggle.description == "Projector mode"
    assert "larger text" in toggle.tooltip
    assert toggle.value is False
    assert css.value == ""
    assert style.current_theme().name == "workbook"

    toggle.value = True
    assert style.current_theme().name == "projector"
    assert css.value.startswith("<style>") and css.value.endswith("</style>")
    assert "--jp-widgets-font-size: 22px" in css.value
    assert "Projector mode is on" in box.status.value

    toggle.value = False
    assert style.current_theme().name == "workbook"
    assert css.value == ""
    assert "Projector mode is off" in box.status.value


def test_the_toggle_starts_on_when_projector_mode_was_asked_for(monkeypatch):
    monkeypatch.setenv(PROJECTOR_ENV, "yes")
    box = projector_toggle()
    assert box.toggle.value is True
    assert "<style>" in box.css.value
    assert style.current_theme().name == "projector"


def test_session_offers_the_toggle():
    box = Session("01_concepts_and_contexts").projector_toggle()
    assert isinstance(box, ProjectorToggle)


def test_two_toggles_in_one_kernel_show_the_same_state():
    first, second = projector_toggle(), projector_toggle()
    first.toggle.value = True
    assert second.toggle.value is True and "<style>" in second.css.value
    second.toggle.value = False
    assert first.toggle.value is False and first.css.value == ""


def _rules(css: str) -> list[tuple[list[str], str]]:
    return [
        ([s.strip() for s in sel.split(",")], body)
        for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)
    ]


def test_the_style_sheet_only_reaches_notebook_outputs_and_rendered_markdown():
    rules = _rules(PROJECTOR_CSS)
    assert len(rules) >= 5
    for selectors, _body in rules:
        for selector in selectors:
            assert selector.startswith(
                (".jp-Notebook .jp-OutputArea-output", ".jp-Notebook .jp-MarkdownOutput")
            ), selector


def test_the_style_sheet_enlarges_text_and_controls_to_at_least_20px():
    css = PROJECTOR_CSS
    sizes = {
        name: int(px)
        for name, px in re.findall(r"(--jp-[a-z0-9-]*font-size[0-9]*):\s*(\d+)px", css)
    }
    assert sizes["--jp-widgets-font-size"] >= 20
    assert sizes["--jp-content-font-size1"] >= 20
    assert min(sizes.values()) >= 20, sizes
    assert "font-size: max(1em, 20px) !important" in css
    enlarged = next(body for sels, body in _rules(css) if "max(1em" in body)
    selectors = " ".join(next(sels for sels, body in _rules(css) if "max(1em" in body))
    for item in ("label", "button", "select", "textarea", "td", ".pl-session-header"):
        assert item in selectors, item
    assert "!important" in enlarged
    assert re.search(r"--jp-widgets-inline-height:\s*4\dpx", css)
    chart_rule = next(body for sels, body in _rules(css) if any("pl-chart img" in s for s in sels))
    assert "width: 100%" in chart_rule


# --------------------------------------------------------------------------- charts


def _pictures(html_value: str) -> list[tuple[tuple[int, int], float | None]]:
    """(PNG size, data-min-text-px) for every picture in an HTML value."""
    found = []
    for tag in re.findall(r"<img [^>]*>", html_value):
        data = re.search(r"data:image/png;base64,([A-Za-z0-9+/=]+)", tag).group(1)
        size = Image.open(io.BytesIO(base64.b64decode(data))).size
        px = re.search(r'data-min-text-px="([0-9.]+)"', tag)
        found.append((size, float(px.group(1)) if px else None))
    return found


def _all_pictures(widget) -> list[tuple[tuple[int, int], float | None]]:
    found = []
    if isinstance(widget, widgets.HTML):
        found += _pictures(widget.value)
    for child in getattr(widget, "children", ()):
        found += _all_pictures(child)
    return found


def test_min_text_px_of_a_real_plot_in_each_style():
    from partnership_lib.models.stakeholders import Stakeholder, plot_power_interest_grid

    people = [Stakeholder("Police", 8, 7), Stakeholder("Residents", 3, 9)]
    workbook = charts.render_chart(plot_power_interest_grid, people, style_name="workbook")
    big = charts.render_chart(plot_power_interest_grid, people, style_name="projector")
    # Workbook: smallest text 10 pt at 100 dpi. Projector: 18 pt at 120 dpi = 30 px.
    assert workbook.min_text_px == pytest.approx(13.9, abs=0.05)
    assert big.min_text_px == pytest.approx(30.0)
    assert f'data-min-text-px="{big.min_text_px:.1f}"' in big.html
    assert (
        big.html
        == charts.render_chart(plot_power_interest_grid, people, style_name="projector").html
    )


def test_min_text_px_finds_the_smallest_visible_text_only():
    fig, ax = plt.subplots(dpi=100)
    ax.set_xlim(0, 1)
    ax.text(0.5, 0.5, "small", fontsize=7.2)
    ax.text(0.5, 0.2, "hidden", fontsize=3, visible=False)
    ax.text(0.5, 0.3, "", fontsize=2)
    ax.tick_params(labelsize=12)
    assert charts.min_text_px(fig) == pytest.approx(10.0)
    ax.texts[0].set_fontsize(14.4)
    assert charts.min_text_px(fig) == pytest.approx(16.7)  # now the tick labels
    ax.set_axis_off()
    assert charts.min_text_px(fig) == pytest.approx(20.0)
    plt.close(fig)
    empty = plt.figure()
    assert charts.min_text_px(empty) is None
    plt.close(empty)


def test_chart_html_writes_min_text_px_and_leaves_it_out_when_unknown():
    html = charts.chart_html(b"not-a-png", "A chart.", width=10, height=5, min_text_px=31.25)
    assert 'data-min-text-px="31.2"' in html or 'data-min-text-px="31.3"' in html
    assert "data-min-text-px" not in charts.chart_html(
        b"never-rendered", "A chart.", width=10, height=5
    )


def test_a_figure_png_carries_its_min_text_px_only_when_passed_explicitly():
    fig, ax = plt.subplots(dpi=100)
    ax.set_title("Title", fontsize=18)
    ax.tick_params(labelsize=9)
    png = charts.figure_png(fig)
    smallest = charts.min_text_px(fig)
    plt.close(fig)
    assert "data-min-text-px" not in charts.chart_html(png, "A chart.", width=1, height=1)
    html = charts.chart_html(png, "A chart.", width=1, height=1, min_text_px=smallest)
    assert 'data-min-text-px="12.5"' in html


def test_a_live_chart_redraws_in_projector_size_after_the_toggle(store):
    from partnership_lib.sessions import s01_concepts as concepts

    w = concepts.purpose_position(exercise_binding(NB, "purpose", store=store))
    box = projector_toggle()
    before = w.chart.figure
    assert tuple(before.get_size_inches()) == (10, 7) and before.dpi == 100
    [(size, px)] = _pictures(w.chart.value)
    assert size == (1000, 700) and px < 18

    box.toggle.value = True
    after = w.chart.figure
    assert after is not before
    assert tuple(after.get_size_inches()) == (16, 9) and after.dpi == 120
    assert min(t.get_fontsize() for t in after.findobj(plt.Text) if t.get_text()) >= 18
    [(size, px)] = _pictures(w.chart.value)
    assert size == (1920, 1080) and px >= 30

    w.sliders[0].value = 9  # still the projector figure after a change
    assert w.chart.figure is after
    assert _pictures(w.chart.value)[0][0] == (1920, 1080)

    box.toggle.value = False
    assert _pictures(w.chart.value)[0][0] == (1000, 700)


def _builders(store):
    from partnership_lib import widgets as ex
    from partnership_lib.sessions import gallery
    from partnership_lib.sessions import s01_concepts as concepts
    from partnership_lib.sessions import s02_climate as climate
    from partnership_lib.sessions import s03_influencing as influencing

    def bind(key):
        return exercise_binding(NB, key, store=store)

    return {
        "purpose": lambda: concepts.purpose_position(bind("p")),
        "conditions": lambda: concepts.benefits_checklist(bind("b")),
        "rating": lambda: concepts.success_rating(bind("s")),
        "stakeholders": lambda: ex.stakeholder_editor(bind("g")),
        "postits": lambda: ex.postit_wall(bind("w")),
        "tagger": lambda: ex.conversation_tagger(bind("t")),
        "learning_log": lambda: ex.learning_log(bind("l"), session_title="Today"),
        "phases": lambda: climate.activity3_discussion(bind("d")),
        "worked": climate.worked_examples_view,
        "gallery": gallery.diagram_gallery,
        "progress": lambda: progress_view(store=store),
        "mobius": lambda: influencing.rate_relationship(bind("m")),
    }


@pytest.mark.parametrize(
    "name",
    [
        "purpose",
        "conditions",
        "rating",
        "stakeholders",
        "postits",
        "tagger",
        "learning_log",
        "phases",
        "worked",
        "gallery",
        "progress",
    ],
)
def test_every_live_chart_follows_projector_mode(name, store):
    widget = _builders(store)[name]()
    before = _all_pictures(widget)
    assert before, f"{name}: no chart shown"
    assert all(px is not None and px < 18 for _size, px in before), before
    set_projector(True)
    after = _all_pictures(widget)
    assert len(after) == len(before)
    for size, px in after:
        assert size[0] >= 1600, (name, size)
        assert px is not None and px >= 30, (name, px)
    set_projector(False)
    assert _all_pictures(widget) == before


def test_the_mobius_map_follows_projector_mode_once_drawn(store):
    w = _builders(store)["mobius"]()
    dropdowns = [d for d in _walk(w) if isinstance(d, widgets.Dropdown)]
    dropdowns[0].value = next(v for _label, v in dropdowns[0].options if v)
    [(size, _px)] = _all_pictures(w)
    assert size == (1000, 700)
    set_projector(True)
    [(size, px)] = _all_pictures(w)
    assert size == (1920, 1080) and px >= 30


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)
