"""Example scenarios PS 1a-1c, the reader's "Start from this example", cards and sharing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from partnership_lib.core import content
from partnership_lib.core.store import AnswerKey
from partnership_lib.documents.share import ANONYMISE_NAMES_KEY
from partnership_lib.models import frameworks
from partnership_lib.models.scenarios import Scenario, example_scenario, example_scenarios
from partnership_lib.sessions import s00_scenario as scenarios
from partnership_lib.sessions.s00_scenario import (
    export_scenario_card,
    scenario_card,
    scenario_reader,
    scenario_workspace,
    sharing_panel,
)
from partnership_lib.widgets import scenario_form
from partnership_lib.widgets.base import exercise_binding

REPO = Path(__file__).resolve().parents[2]
NB, EX = "00_partnership_scenario", "scenario"
HOSTILE = "<script>alert(1)</script> \"&'<> שלום 😀 $5_000 \\ year"
STEP_KEYS = [s.key for s in frameworks.scenario_steps()]


def _key(step: str) -> AnswerKey:
    return AnswerKey(NB, EX, step)


# ------------------------------------------------------------------ content


def test_three_fictional_examples_with_all_ten_steps():
    found = example_scenarios()
    assert [s.code for s in found] == ["PS 1a", "PS 1b", "PS 1c"]
    assert [s.key for s in found] == ["ps1a", "ps1b", "ps1c"]
    assert len(STEP_KEYS) == 10
    for s in found:
        assert s.fictional is True
        assert list(s.steps) == STEP_KEYS
        for key, text in s.steps.items():
            assert 60 <= len(text.split()) <= 150, (s.key, key, len(text.split()))
    assert "Local Strategic Partnership" in found[0].kind
    assert "Community Safety Partnership" in found[1].kind
    assert "teenage pregnancy" in found[2].kind


def test_example_lookup_by_key_or_code():
    assert example_scenario("PS 1b").key == "ps1b"
    assert example_scenario("ps1c").code == "PS 1c"
    with pytest.raises(ValueError, match="unknown example scenario 'PS 9'"):
        example_scenario("PS 9")


def test_scenario_model_fails_loudly():
    steps = {k: "text" for k in STEP_KEYS}
    with pytest.raises(ValueError, match="x: example scenarios must be fictional"):
        Scenario("x", "PS 9", "T", fictional=False, steps=steps)
    with pytest.raises(ValueError, match="x: step 'future' is missing"):
        Scenario("x", "PS 9", "T", steps={k: "t" for k in STEP_KEYS[:-1]})
    with pytest.raises(ValueError, match="x: unknown step 'vision'"):
        Scenario("x", "PS 9", "T", steps={**steps, "vision": "t"})
    with pytest.raises(ValueError, match="x: step 'naming' must be non-empty"):
        Scenario("x", "PS 9", "T", steps={**steps, "naming": "  "})


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["scenarios"][0].update(fictional=False), "fictional"),
        (lambda d: d["scenarios"][1]["steps"].pop("skill_mix"), r"ps1b.*skill_mix"),
    ],
)
def test_malformed_scenarios_file_names_file_and_entry(tmp_path, monkeypatch, edit, message):
    data_dir = tmp_path / "data"
    shutil.copytree(REPO / "data", data_dir)
    doc = yaml.safe_load((data_dir / "scenarios.yaml").read_text())
    edit(doc)
    (data_dir / "scenarios.yaml").write_text(yaml.safe_dump(doc))
    monkeypatch.setenv("PARTNERSHIP_CONTENT_DIR", str(data_dir))
    content.clear_cache()
    with pytest.raises(content.ContentError, match=message) as info:
        example_scenarios()
    assert "scenarios.yaml" in str(info.value)


def test_scenario_html_escapes_and_titles_steps():
    s = example_scenario("ps1a")
    page = scenarios.scenario_html(s)
    assert "Step 1: Naming your Partnership" in page
    assert "Fictional example" in page
    evil = Scenario("evil", "PS 9", HOSTILE, steps={k: HOSTILE for k in STEP_KEYS})
    page = scenarios.scenario_html(evil)
    assert "<script>" not in page
    assert "&lt;script&gt;" in page


def test_static_tables():
    prog = scenarios.workbook_programme()
    assert "Creating a Climate for Change" in prog.html
    assert "Session 4, 15.00" in prog.text
    overview = scenarios.examples_overview()
    assert overview.html.count("<tr>") == 4 and "Saltmarsh" in overview.text


# ------------------------------------------------------------------ reader


def test_reader_shows_chosen_example(store):
    reader = scenario_reader()
    assert "Fenbridge" in reader.text.value
    reader.dropdown.value = "ps1c"
    assert "Brackwater" in reader.text.value and "Fenbridge" not in reader.text.value


def test_start_from_example_fills_empty_steps_and_undo(store):
    ws = scenario_workspace(exercise_binding(NB, EX, store=store))
    form, reader = ws, ws.reader
    ps1b = example_scenario("ps1b")
    reader.dropdown.value = "ps1b"
    reader.start.click()
    assert store.get(_key("members")) == ps1b.steps["members"]
    assert form.textareas["future"].value == ps1b.steps["future"]
    assert "10 of 10 steps complete" in form.completeness.value
    reader.undo.click()
    assert store.get(_key("members")) is None
    assert form.textareas["future"].value == ""
    assert "0 of 10 steps complete" in form.completeness.value


def test_start_from_example_asks_before_replacing_learner_text(store):
    ws = scenario_workspace(exercise_binding(NB, EX, store=store))
    form, reader = ws, ws.reader
    form.textareas["naming"].value = "My own partnership"
    reader.start.click()
    assert reader.confirm.layout.display == "flex"  # asked first, nothing copied yet
    assert store.get(_key("background")) is None
    reader.fill_empty.click()
    ps1a = example_scenario("ps1a")
    assert store.get(_key("naming")) == "My own partnership"
    assert store.get(_key("background")) == ps1a.steps["background"]
    reader.undo.click()
    assert store.get(_key("background")) is None
    reader.start.click()
    reader.replace.click()
    assert store.get(_key("naming")) == ps1a.steps["naming"]
    reader.undo.click()
    assert store.get(_key("naming")) == "My own partnership"
    assert form.textareas["naming"].value == "My own partnership"
    reader.start.click()
    reader.cancel.click()
    assert reader.confirm.layout.display == "none"
    assert store.get(_key("background")) is None


def test_workspace_restores_and_builders_do_not_display(store, monkeypatch):
    import IPython.display

    def boom(*a, **k):
        raise AssertionError("builders must not display")

    monkeypatch.setattr(IPython.display, "display", boom)
    store.save(_key("naming"), HOSTILE)
    ws = scenario_workspace(exercise_binding(NB, EX, store=store))
    assert ws.textareas["naming"].value == HOSTILE
    sharing_panel(exercise_binding(NB, EX, store=store))


# ------------------------------------------------------------------ cards


def _fill(store, text_by_step):
    for k, v in text_by_step.items():
        store.save(_key(k), v)


def test_card_escapes_hostile_text_in_html_and_markdown(store):
    _fill(store, {"naming": HOSTILE + "\nsecond line", "background": HOSTILE})
    page = scenario_card(store)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<title>&lt;script&gt;" in page and "<h1>&lt;script&gt;" in page
    assert "second line" not in page.split("<h1>")[1].split("</h1>")[0]
    assert "Content-Security-Policy" in page and "http" not in page.split("</head>")[1]
    assert page.count("Not written yet.") == 8
    md = scenario_card(store, format="md")
    assert "<script>" not in md and md.startswith("# &lt;script&gt;")
    assert "## Step 10: Ideas for the future" in md


def test_card_title_from_step_one(store):
    assert "<h1>My partnership scenario</h1>" in scenario_card(store)
    _fill(store, {"naming": "Fenbridge Wellbeing Group. It began in 2005."})
    assert "<h1>Fenbridge Wellbeing Group</h1>" in scenario_card(store)
    with pytest.raises(ValueError, match="format must be 'html' or 'md', got 'pdf'"):
        scenario_card(store, format="pdf")


def test_anonymised_card_hides_names_and_contacts(store):
    _fill(
        store,
        {
            "naming": "Alder Vale partnership",
            "members": "Chaired by Jo Bloggs (jo.bloggs@example.org, 01632 960123), FE2 4AB",
        },
    )
    store.save(ANONYMISE_NAMES_KEY, ["Jo Bloggs", "Alder Vale"])
    plain = scenario_card(store)
    assert "Jo Bloggs" in plain
    card = scenario_card(store, anonymise=True)
    for secret in ("Jo Bloggs", "Alder Vale", "jo.bloggs@example.org", "01632 960123", "FE2 4AB"):
        assert secret not in card
    assert "[name 1]" in card and "[e-mail 1]" in card and "Anonymised" in card
    assert "[name 2]" in scenario_card(store, anonymise=True, names=["Bloggs", "Chaired"])


def test_export_card_writes_file_and_cannot_escape_folder(store, tmp_path):
    _fill(store, {"naming": "Fenbridge"})
    default = export_scenario_card(store=store)
    assert default.parent == store.path.parent / "exports"
    assert default.name.startswith("scenario-card-") and default.suffix == ".html"
    assert "<h1>Fenbridge</h1>" in default.read_text(encoding="utf-8")
    folder = tmp_path / "out"
    md = export_scenario_card("card.md", store=store, format="md", folder=folder)
    assert md == (folder / "card.md").resolve() and md.read_text().startswith("# Fenbridge")
    for bad in ("../escape.html", "/etc/passwd", "sub/card.html", ".hidden.html", ".."):
        with pytest.raises(ValueError):
            export_scenario_card(bad, store=store, folder=folder)
    assert not (tmp_path / "escape.html").exists()


# ------------------------------------------------------------------ sharing panel


def test_names_are_saved_and_preview_lists_replacements(store):
    _fill(store, {"members": "Jo Bloggs <jo@example.org> & Alder Vale council"})
    panel = sharing_panel(exercise_binding(NB, EX, store=store))
    panel.names.value = "Jo Bloggs\n\n  Alder Vale  \n"
    assert store.get(ANONYMISE_NAMES_KEY) == ["Jo Bloggs", "Alder Vale"]
    panel.check.click()
    shown = panel.preview.value
    assert "name" in shown and "Jo Bloggs → [name 1]" in shown
    assert "Alder Vale → [name 2]" in shown and "e-mail" in shown
    assert f"{NB}/{EX}/members" in shown
    assert "<jo@" not in shown
    # Rebuilt: the names come back.
    again = sharing_panel(exercise_binding(NB, EX, store=store))
    assert again.names.value == "Jo Bloggs\nAlder Vale"


def test_preview_escapes_hostile_names(store):
    _fill(store, {"members": "<b>Evil</b> person"})
    panel = sharing_panel(exercise_binding(NB, EX, store=store))
    panel.names.value = "<b>Evil</b>"
    panel.check.click()
    assert "<b>Evil</b>" not in panel.preview.value
    assert "&lt;b&gt;Evil&lt;/b&gt;" in panel.preview.value


def test_preview_with_nothing_to_hide(store):
    panel = sharing_panel(exercise_binding(NB, EX, store=store))
    panel.check.click()
    assert "Nothing would be replaced" in panel.preview.value


def test_save_card_button_writes_and_links(store):
    form = scenario_form(exercise_binding(NB, EX, store=store))
    form.textareas["naming"].value = "Jo's <group>"
    panel = sharing_panel(exercise_binding(NB, EX, store=store))
    panel.names.value = "Jo"
    panel.format.value = "md"
    panel.save_button.click()
    assert "Saved to" in panel.result.value
    assert 'href="data:text/markdown;charset=utf-8;base64,' in panel.result.value
    written = sorted((store.path.parent / "exports").glob("scenario-card-*.md"))
    assert len(written) == 1
    text = written[0].read_text()
    assert text.startswith("# \\[name 1\\]'s &lt;group&gt;")  # Markdown-escaped placeholder
    assert "Jo" not in text


# ------------------------------------------------------------------ the shape of each builder


def test_workspace_is_the_scenario_exercise_with_the_reader_above_it(store):
    from partnership_lib.widgets.base import Exercise
    from partnership_lib.widgets.text import ScenarioForm

    ws = scenario_workspace(exercise_binding(NB, EX, store=store))
    assert isinstance(ws, scenarios.ScenarioWorkspace) and isinstance(ws, ScenarioForm)
    assert isinstance(ws, Exercise) and ws.kind == "scenario"
    assert {"pl-scenario-workspace", "pl-scenario", "pl-exercise"} <= set(ws._dom_classes)
    assert ws.reader.form is ws
    _heading, reader, _rule, form = ws.children
    assert reader is ws.reader and "pl-scenario" in form._dom_classes
    assert form.children[: len(ws.heading) + 1] == (*ws.heading, ws.completeness)
    ws.reader.start_from_example()
    assert ws.value == dict(example_scenario("ps1a").steps)
    ws.reset()
    assert ws.value == {} and ws.textareas["naming"].value == ""


def test_sharing_panel_is_an_exercise_that_records_no_answer_of_its_own(store):
    from partnership_lib.widgets.base import Exercise

    panel = sharing_panel(exercise_binding(NB, EX, store=store))
    assert isinstance(panel, scenarios.SharingPanel) and isinstance(panel, Exercise)
    panel.names.value = "Jo Bloggs"
    assert store.get(ANONYMISE_NAMES_KEY) == ["Jo Bloggs"]
    assert store.answers(NB) == {}  # the names are a setting, not a scenario answer
    panel.show_preview()
    assert "Nothing would be replaced" in panel.preview.value
    assert "nothing would be hidden" in panel.status.value


def test_reader_without_a_form_only_reads(store):
    reader = scenario_reader()
    assert reader.form is None
    assert reader.start not in reader.children
    with pytest.raises(ValueError, match="no form"):
        reader.copy_example(overwrite=False)
    with pytest.raises(ValueError, match="at least one scenario"):
        scenario_reader([])


def test_static_tables_are_left_aligned_with_bullets_beside_their_text():
    prog = scenarios.workbook_programme().html
    overview = scenarios.examples_overview().html
    for html in (prog, overview):
        cells = re.findall(r"<t[hd][ >][^>]*>", html)
        assert cells and all("text-align:left" in tag for tag in cells), cells
    assert "<ul><li>" in prog and "<caption" in prog
    assert '<th scope="col" style="text-align:left">Topics</th>' in prog


# ------------------------------------------------------------------ the scenario in later notebooks


def test_viewer_shows_the_example_chosen_in_notebook_00(store):
    from partnership_lib.sessions.s00_scenario import CHOSEN_EXAMPLE_KEY, scenario_viewer

    first = scenario_viewer(store=store)
    assert isinstance(first, scenarios.ScenarioViewer)
    assert first.dropdown.value == "ps1a" and "Fenbridge" in first.text.value
    assert [key for _label, key in first.dropdown.options] == ["ps1a", "ps1b", "ps1c"]
    # choosing PS 1c in notebook 00's reader makes it the one shown in notebook 01
    ws = scenario_workspace(exercise_binding(NB, EX, store=store))
    ws.reader.dropdown.value = "ps1c"
    assert store.get(CHOSEN_EXAMPLE_KEY) == "ps1c"
    later = scenario_viewer(store=store)
    assert later.dropdown.value == "ps1c" and "Brackwater" in later.text.value
    # and the other way round; the choice is a setting, not one of the learner's answers
    later.dropdown.value = "ps1b"
    assert scenario_workspace(exercise_binding(NB, EX, store=store)).reader.dropdown.value == "ps1b"
    assert store.answers(NB) == {}
    assert CHOSEN_EXAMPLE_KEY.notebook == "settings"
    assert scenario_viewer(store=store, initial="ps1a").dropdown.value == "ps1a"
    with pytest.raises(ValueError, match=r"unknown scenario 'PS 9'.*ps1a"):
        scenario_viewer(store=store, initial="PS 9")


def test_viewer_offers_the_learners_own_scenario_once_written(store):
    from partnership_lib.sessions.s00_scenario import (
        CHOSEN_EXAMPLE_KEY,
        OWN_SCENARIO,
        scenario_viewer,
    )

    assert OWN_SCENARIO not in [k for _l, k in scenario_viewer(store=store).dropdown.options]
    form = scenario_form(exercise_binding(NB, EX, store=store))
    form.textareas["naming"].value = HOSTILE
    viewer = scenario_viewer(store=store)
    assert viewer.dropdown.options[-1] == ("Your own scenario (from notebook 00)", OWN_SCENARIO)
    viewer.dropdown.value = OWN_SCENARIO
    shown = viewer.text.value
    assert "<script>" not in shown and "&lt;script&gt;alert(1)" in shown
    assert "Fictional example" not in shown
    assert shown.count("Not written yet.") == 9  # the nine steps still empty
    form.textareas["members"].value = "Council and police"
    viewer.dropdown.value = "ps1b"
    viewer.dropdown.value = OWN_SCENARIO  # shows the scenario as it is now
    assert "Council and police" in viewer.text.value
    assert store.get(CHOSEN_EXAMPLE_KEY) == "ps1b"  # "own" is not an example to remember
    with pytest.raises(ValueError, match="own scenario"):
        _ = viewer.current


def test_viewer_links_to_notebook_00_and_does_not_display(store, monkeypatch):
    import IPython.display

    from partnership_lib.sessions.s00_scenario import scenario_viewer

    def boom(*a, **k):
        raise AssertionError("builders must not display")

    monkeypatch.setattr(IPython.display, "display", boom)
    viewer = scenario_viewer(store=store)
    intro = viewer.children[0].value
    assert 'href="00_partnership_scenario.ipynb"' in intro and 'target="_blank"' in intro
    assert "Welcome and your partnership scenario" in intro
    region = viewer.text.value
    assert 'role="region"' in region and 'tabindex="0"' in region  # keyboard can scroll it
    assert viewer.dropdown.description == "Scenario to read:"


def test_sharing_controls_size_to_their_labels(store):
    panel = sharing_panel(exercise_binding(NB, EX, store=store))
    assert panel.anonymise.layout.width == "auto"  # not ipywidgets' 300 px, which cut it
    assert panel.format.style.button_width == "auto"
