"""Notebook 04's library: assessment content, progress chart, change view, exports."""

from __future__ import annotations

import html
import re
from pathlib import Path

import ipywidgets as widgets
import pytest
import yaml
from markupsafe import escape
from matplotlib.colors import to_hex

from partnership_lib.charts.chart import render_chart
from partnership_lib.core import content
from partnership_lib.core.content import ContentError
from partnership_lib.core.store import AnswerKey
from partnership_lib.core.style import current_theme
from partnership_lib.models.progress import describe_progress
from partnership_lib.sessions.s04_reflection import (
    NOTEBOOK,
    assessment_groups,
    assessment_items,
    assessment_scale,
    assessment_table_html,
    change_view,
    development_plan,
    export_panel,
    plot_progress,
    progress_view,
    share_panel,
    stored_ratings,
    workbook_progress,
)
from partnership_lib.widgets.base import exercise_binding

NB = NOTEBOOK
REPO = Path(__file__).resolve().parents[1]


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _progress(**sessions):
    return {
        key: (title, {f"a{i}": (f"Activity {i}", s) for i, s in enumerate(states)})
        for key, (title, states) in sessions.items()
    }


# --------------------------------------------------------------------------- content


def test_assessment_items_are_grouped_and_tied_to_skills():
    items = assessment_items()
    assert 12 <= len(items) <= 15
    groups = [g[0] for g in assessment_groups()]
    assert groups == ["communication", "process", "qualities", "key_areas"]
    assert {i.group for i in items} == set(groups)
    by_key = {i.key: i for i in items}
    assert by_key["listening"].source == "listening"
    assert by_key["consensus_building"].source == "new_skills_and_competencies"


def test_assessment_table_names_groups_items_and_sources():
    block = assessment_table_html()
    assert "Key areas for partnership working (DETR 2000)" in block.html
    assert "Listening (McNamara 2005)" in block.text
    assert "Breaking down barriers (DETR 2000)" in block.text
    assert block.html.count("<tr>") == len(assessment_items()) + 1


def _copy_data(tmp_path, monkeypatch, mutate):
    folder = tmp_path / "data"
    (folder / "schemas").mkdir(parents=True)
    for path in (REPO / "data").glob("*.*"):
        (folder / path.name).write_bytes(path.read_bytes())
    for path in (REPO / "data" / "schemas").glob("*.yaml"):
        (folder / "schemas" / path.name).write_bytes(path.read_bytes())
    raw = yaml.safe_load((folder / "reflection.yaml").read_text())
    mutate(raw)
    (folder / "reflection.yaml").write_text(yaml.safe_dump(raw))
    monkeypatch.setenv("PARTNERSHIP_CONTENT_DIR", str(folder))
    content.clear_cache()


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r["assessment_items"][0].update(group="nowhere"), "unknown group 'nowhere'"),
        (
            lambda r: r["assessment_items"][0].update(source="planning"),
            "source 'planning' is not a skill in group 'communication'",
        ),
        (
            lambda r: r["assessment_items"][-1].update(source="listening"),
            "source 'listening' is not a key skill area",
        ),
        (
            lambda r: r["assessment_items"][1].update(key="listening"),
            "item key 'listening' is used twice",
        ),
    ],
)
def test_bad_assessment_content_is_named(tmp_path, monkeypatch, mutate, message):
    _copy_data(tmp_path, monkeypatch, mutate)
    with pytest.raises(ContentError, match=re.escape(message)) as err:
        assessment_items()
    assert "reflection" in str(err.value)


# --------------------------------------------------------------------------- progress


def test_workbook_progress_reads_states_from_the_store(store):
    nb3 = "03_influencing_and_negotiation"
    store.save((nb3, "action_plan", "what"), "Meet the council")
    store.save((nb3, "self_assessment", "ratings"), {"x": 3})
    store.save((nb3, "self_assessment", "_status"), "complete")
    progress = workbook_progress(store=store)
    assert list(progress) == [
        "00_partnership_scenario",
        "01_concepts_and_contexts",
        "02_climate_for_change",
        nb3,
    ]
    title, activities = progress[nb3]
    assert title == "Influencing and Negotiation"
    assert activities["action_plan"][1] == "started"
    assert activities["self_assessment"][1] == "complete"
    assert activities["rate_relationship"][1] == "not started"


def test_plot_progress_draws_stacked_bars_with_counts_and_hatches():
    progress = _progress(
        s1=("First", ["complete", "started", "not started", "not started"]),
        s2=("Cost $5_000 \\ year", ["complete", "complete"]),
    )
    ax = plot_progress(progress)
    bars = {a.get_gid(): a for a in ax.patches if (a.get_gid() or "").startswith("progress:")}
    assert set(bars) == {
        "progress:s1:complete",
        "progress:s1:started",
        "progress:s1:not started",
        "progress:s2:complete",
    }
    assert bars["progress:s1:not started"].get_x() == pytest.approx(2)
    assert bars["progress:s1:not started"].get_width() == pytest.approx(2)
    assert bars["progress:s2:complete"].get_width() == pytest.approx(2)
    assert bars["progress:s1:started"].get_hatch() == "//"
    theme = current_theme()
    assert to_hex(bars["progress:s1:complete"].get_facecolor()) == to_hex(theme.score_colors[-1])
    counts = {t.get_gid(): t.get_text() for t in ax.texts}
    assert counts["count:s1:not started"] == "2"
    ticks = {t.get_text(): y for t, y in zip(ax.get_yticklabels(), ax.get_yticks(), strict=True)}
    assert ticks["First"] > ticks["Cost $5_000 \\ year"]  # first session at the top
    for text in ax.texts:
        assert text.get_fontsize() >= theme.small_text


def test_describe_progress_names_every_session_and_count():
    progress = _progress(
        s1=("First", ["complete", "started", "not started"]), s2=("Second", ["complete"])
    )
    text = describe_progress(progress)
    assert text.startswith("Progress through the workbook, 2 sessions: 2 activities complete")
    assert "First: 1 complete, 1 started, 1 not started." in text
    assert "Second: 1 complete, 0 started, 0 not started." in text
    assert "<" not in text


def test_progress_rejects_an_unknown_state():
    with pytest.raises(ValueError, match="activity 'a0': unknown state 'done'"):
        plot_progress(_progress(s1=("First", ["done"])))
    with pytest.raises(ValueError, match="session 's1': empty title"):
        describe_progress(_progress(s1=(" ", ["started"])))


def test_progress_chart_renders_in_every_style_with_alt_text():
    progress = _progress(s1=("First", ["complete", "started"]))
    for name in ("workbook", "projector", "high_contrast"):
        chart = render_chart(plot_progress, progress, style_name=name)
        assert chart.png.startswith(b"\x89PNG")
        assert chart.alt.startswith("Progress through the workbook")


def test_progress_view_refreshes_from_the_store(store):
    view = progress_view(store=store)
    assert "not started" in view.output.value
    assert "0 activities complete" in view.output.value
    store.save(("00_partnership_scenario", "scenario", "naming"), "Town <Alliance>")
    store.save(("00_partnership_scenario", "scenario", "_status"), "complete")
    view.button.click()
    assert "1 activities complete" in view.output.value
    assert "Town <Alliance>" not in view.output.value


# --------------------------------------------------------------------------- assessment


def test_assessment_scales_and_change_view_read_the_store(store):
    start = assessment_scale(exercise_binding(NB, "assessment_start", store=store), "start")
    end = assessment_scale(exercise_binding(NB, "assessment_end", store=store), "end")
    view = change_view(store=store)
    view.button.click()
    assert "Rate yourself at the start and at the end" in view.output.value
    start.buttons["listening"].value = 2
    end.buttons["listening"].value = 4
    end.buttons["trust"].value = 3
    assert stored_ratings(store, "assessment_start") == {"listening": 2}
    view.button.click()
    assert "<img" in view.output.value
    assert "Listening to partners so that they feel heard: start of day 2, end of day 4 (up 2)" in (
        html.unescape(view.output.value)
    )
    # a hand-edited store with a bad value is ignored, not drawn
    store.save(AnswerKey(NB, "assessment_end", "ratings"), {"trust": 9, "listening": True})
    assert stored_ratings(store, "assessment_end") == {}


def test_assessment_scale_rejects_an_unknown_moment(store):
    with pytest.raises(ValueError, match="when must be 'start' or 'end', got 'noon'"):
        assessment_scale(exercise_binding(NB, "assessment_start", store=store), "noon")


def test_development_plan_saves_each_field(store):
    form = development_plan(exercise_binding(NB, "development_plan", store=store))
    assert list(form.textareas) == ["skill_1", "actions_1", "skill_2", "actions_2"]
    form.textareas["skill_1"].value = "Consensus building"
    assert store.get((NB, "development_plan", "skill_1")) == "Consensus building"


# --------------------------------------------------------------------------- exports


def test_export_panel_writes_html_and_markdown_with_download_links(store):
    store.save((NB, "log_day", "_meta"), {"kind": "learning_log", "title": "Learning log"})
    store.save((NB, "log_day", "experience"), "<b>bold</b> day")
    panel = export_panel(store=store)
    panel.name.value = "Sam <Smith>"
    panel.html_button.click()
    assert "Portfolio written to" in panel.status.value
    assert 'href="data:text/html;base64,' in panel.status.value
    written = sorted((store.path.parent / "exports").glob("portfolio-*.html"))
    assert len(written) == 1
    text = written[0].read_text()
    assert "&lt;b&gt;bold&lt;/b&gt; day" in text and "<b>bold</b> day" not in text
    assert "Sam &lt;Smith&gt;" in text
    panel.md_button.click()
    assert 'href="data:text/markdown;base64,' in panel.status.value
    assert list((store.path.parent / "exports").glob("portfolio-*.md"))


def test_share_panel_previews_then_writes_an_anonymised_file(store):
    from partnership_lib.documents.share import load_share_file

    store.save((NB, "log_day", "reflect"), "Ask Priya Shah, priya@example.org, 01632 960123")
    panel = share_panel(store=store)
    assert panel.anonymise.value is True
    assert panel.write_button.disabled is True
    panel.names.value = "Priya Shah"
    panel.display_name.value = "Table 4"
    panel.preview_button.click()
    assert "Priya Shah" in panel.preview.value and "[name 1]" in panel.preview.value
    assert panel.write_button.disabled is False
    panel.write_button.click()
    assert "Share file written to" in panel.status.value
    (path,) = (store.path.parent / "exports").glob("share-*.json")
    shared = load_share_file(path)
    value = shared.answers[AnswerKey(NB, "log_day", "reflect")]
    assert "Priya" not in value and "example.org" not in value and "960123" not in value
    assert shared.display_name == "Table 4" and shared.anonymised is True


def test_share_panel_without_anonymising_keeps_text(store):
    from partnership_lib.documents.share import load_share_file

    store.save((NB, "log_day", "reflect"), "Ask priya@example.org")
    panel = share_panel(store=store)
    panel.anonymise.value = False
    assert panel.write_button.disabled is False
    panel.write_button.click()
    (path,) = (store.path.parent / "exports").glob("share-*.json")
    assert load_share_file(path).answers[AnswerKey(NB, "log_day", "reflect")] == (
        "Ask priya@example.org"
    )


def test_builders_do_not_display(store, monkeypatch):
    import IPython.display

    def _boom(*_a, **_k):
        raise AssertionError("builders must not display")

    monkeypatch.setattr(IPython.display, "display", _boom)
    for w in (
        progress_view(store=store),
        change_view(store=store),
        export_panel(store=store),
        share_panel(store=store),
    ):
        assert isinstance(w, widgets.VBox)
        assert "pl-exercise" in w._dom_classes


# --------------------------------------------------------------------------- portfolio


def _textareas(widget):
    return [w for w in _walk(widget) if isinstance(w, widgets.Textarea)]


def _fill_text(widget, tag, answers):
    for i, area in enumerate(_textareas(widget)):
        text = f"{tag} answer {i} <b>&'\"</b>"
        area.value = text
        answers.append(text)


def test_portfolio_holds_every_answer_from_notebooks_00_to_04(store):
    """Fill answers through the real builders, export the HTML portfolio, find them all."""
    from partnership_lib import widgets as ex
    from partnership_lib.documents.portfolio import export_portfolio
    from partnership_lib.models.programme import session_catalogue
    from partnership_lib.sessions import s01_concepts as concepts
    from partnership_lib.sessions import s02_climate as climate
    from partnership_lib.sessions import s03_influencing as influencing
    from partnership_lib.sessions.session import Session

    answers: list[str] = []
    # 00: the scenario form
    _fill_text(
        ex.scenario_form(exercise_binding("00_partnership_scenario", "scenario", store=store)),
        "scenario",
        answers,
    )
    # 01: Activity 2's form
    s1 = Session("01_concepts_and_contexts", store=store)
    _fill_text(concepts.activity2_form(s1.bind("activity2")), "activity2", answers)
    # 02: stakeholder rows and Activity 4's form
    s2 = Session("02_climate_for_change", store=store)
    editor = ex.stakeholder_editor(s2.bind("activity3")).editor
    for name, power, interest in (("Police & <Fire>", 8.0, 7.0), ("Residents' forum", 2.0, 9.0)):
        editor.chooser.value = -1
        editor.name.value = name
        editor.power.value = power
        editor.interest.value = interest
        editor.add_button.click()
        answers.append(name)
    _fill_text(climate.activity4_form(s2.bind("activity4")), "activity4", answers)
    # 03: the action plan
    s3 = Session("03_influencing_and_negotiation", store=store)
    _fill_text(influencing.action_plan(s3.bind("action_plan")), "plan", answers)
    # 04: wall notes, learning logs, assessment ratings, development plan
    s4 = Session(NB, store=store)
    wall = ex.postit_wall(s4.bind("evaluation"))
    colour = next(w for w in _walk(wall) if isinstance(w, widgets.RadioButtons))
    for value, text in zip(
        [v for _label, v in colour.options][:2], ("Great <day>", "More on trust"), strict=True
    ):
        colour.value = value
        _textareas(wall)[0].value = text
        next(w for w in _walk(wall) if getattr(w, "description", "") == "Add note").click()
        answers.append(text)
    for key, title in (("log_01", "Concepts"), ("log_day", "The day")):
        log = ex.learning_log(s4.bind(key), session_title=title)
        for stage, area in log.textareas.items():
            area.value = f"{key} {stage} <i>note</i>"
            answers.append(area.value)
    start = assessment_scale(
        s4.bind("assessment_start"),
        "start",
    )
    end = assessment_scale(
        s4.bind("assessment_end"),
        "end",
    )
    start.buttons["listening"].value = 2
    end.buttons["listening"].value = 5
    _fill_text(development_plan(s4.bind("development_plan")), "develop", answers)

    path = export_portfolio(store=store, folder=store.path.parent, path="portfolio.html")
    document = path.read_text(encoding="utf-8")
    for text in answers:
        assert str(escape(text)) in document, text
    assert "<b>&'" not in document and "<i>note</i>" not in document
    for entry in session_catalogue():
        assert f'<section class="session" id="{entry["key"]}"' in document
    images = re.findall(r"<img [^>]*>", document)
    assert len(images) >= 4  # wall, stakeholder grid, learning logs' ratings ...
    for img in images:
        alt = re.search(r'alt="([^"]*)"', img)
        assert alt and alt.group(1).strip(), img
    assert 'src="http' not in document and "<script" not in document
