"""Smoke tests for the browser harness: JupyterLab, Voilà and static HTML in Chromium.

The smoke tests are parametrised over :data:`SMOKE_NOTEBOOKS`: each notebook runs in
JupyterLab (at 1366 px with the file browser open) and in Voilà, with no error, no widget
shown as text, and the layout checks of :mod:`tests.browser.layout` (chart text at least
11 px, no control cut short). The other tests prove that the harness's detectors can
fail: a harness that never fails would prove nothing.

One Voilà page load per notebook serves every check of that page, in this order: for each
session notebook, every control has an accessible name (:mod:`.keyboard`), nothing is cut
off at 640 px (:mod:`.reflow`), and on notebook 02 focus is visible on every control
(:mod:`.focus`); the session notebooks and the board pass axe-core as shown, then with the
projector toggle on, when the session notebooks must also show no text under 18 px at
1920x1080 (:mod:`.projector`).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from . import layout
from .axe import assert_accessible, axe_available
from .focus import assert_focus_visible_on_every_control
from .harness import (
    REPO_ROOT,
    WIDGET_AS_TEXT,
    NotebookRunError,
    assert_no_cut_off_labels,
    assert_no_error_outputs,
    assert_no_widgets_as_text,
    assert_widgets_rendered,
    collect_outputs,
    cut_off_labels,
    error_outputs,
    in_ci,
    open_html_recording_requests,
    rendered_widgets,
    run_all_cells,
    widgets_as_text,
)
from .keyboard import assert_every_control_named
from .projector import VIEWPORT as PROJECTOR
from .projector import assert_projector_legible, wait_for_projector_charts
from .reflow import assert_reflows

pytestmark = pytest.mark.browser


def write_notebook(path: Path, cells: list[str]) -> Path:
    """Write a python3 notebook; a cell starting with ``"md:"`` is markdown."""
    import nbformat  # here, not at the top: it takes 2 s to import and most runs skip

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.cells = [
        nbformat.v4.new_markdown_cell(cell[3:])
        if cell.startswith("md:")
        else nbformat.v4.new_code_cell(cell)
        for cell in cells
    ]
    nbformat.write(notebook, path)
    return path


def widgets_notebook(folder: Path) -> Path:
    return write_notebook(
        folder / "widgets_smoke.ipynb",
        [
            "md:# Browser smoke test",
            "import ipywidgets as widgets",
            'widgets.IntSlider(description="Power")',
            'widgets.VBox([widgets.Button(description="Add")])',
        ],
    )


#: Notebooks the JupyterLab and Voilà smoke tests open: every committed notebook, plus a
#: minimal built one that isolates the harness from our own library.
SMOKE_NOTEBOOKS = [
    pytest.param(widgets_notebook, id="built-widgets-notebook"),
    *[pytest.param(p, id=p.stem) for p in sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))],
]


#: The session notebooks 00-04, from the list of every committed notebook.
SESSION_NOTEBOOKS = [p for p in SMOKE_NOTEBOOKS if re.match(r"0\d_", p.id)]


@pytest.fixture
def notebook(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    source: Path | Callable[[Path], Path] = request.param
    return source(tmp_path) if callable(source) else Path(source)


# --------------------------------------------------------------------------------------
# Smoke tests
# --------------------------------------------------------------------------------------


#: A learner's laptop: the smoke tests look at every notebook at this size, where no
#: control's label may be cut off.
LAPTOP = {"width": 1366, "height": 768}


#: Committed notebooks without a chart (every other one must show at least one).
NO_CHARTS = {"00_partnership_scenario", "facilitator_moderation", "widgets_smoke"}


def assert_laid_out_for_a_laptop(page, notebook: Path, where: str) -> None:
    """Legible charts, the Activity 3 chart beside or below its form, no control cut short."""
    assert_no_cut_off_labels(page)
    problems = layout.sorter_controls_cut_short(page)
    assert not problems, f"{where}: labels cut short:\n  " + "\n  ".join(problems)
    minimum = 0 if notebook.stem in NO_CHARTS else 1
    layout.assert_chart_text_legible(page, where, minimum=minimum)
    layout.assert_activity3_chart_placed(page, where)


@pytest.mark.parametrize("notebook", SMOKE_NOTEBOOKS, indirect=True)
def test_notebook_renders_widgets_in_lab(notebook, open_in_lab, page, screenshot):
    """Run All in JupyterLab at 1366 px with the file browser open, as on a laptop."""
    page.set_viewport_size(LAPTOP)
    open_in_lab(notebook)
    layout.open_side_bar(page)
    report = run_all_cells(page)

    assert report.executed, "no code cell ran"
    screenshot()
    assert_no_error_outputs(page)
    assert_no_widgets_as_text(page)
    assert_widgets_rendered(page, minimum=1)
    assert_laid_out_for_a_laptop(page, notebook, f"{notebook.stem} in JupyterLab, side bar open")
    chart = layout.activity3_chart(page)
    if chart is not None:  # 934 px of output at this size: no room beside the form
        assert chart["below"], chart


@pytest.mark.parametrize("notebook", SMOKE_NOTEBOOKS, indirect=True)
def test_notebook_renders_widgets_in_voila(notebook, open_in_voila, page, screenshot):
    page.set_viewport_size(LAPTOP)
    open_in_voila(notebook, expect_widgets=True)

    screenshot()
    assert_no_error_outputs(page)
    assert_no_widgets_as_text(page)
    assert_widgets_rendered(page, minimum=1)
    # Voilà runs with strip_sources=True, as learners see it: no code on the page.
    assert page.locator(".jp-CodeCell .jp-InputArea, .jp-CodeMirrorEditor").count() == 0
    assert "import ipywidgets" not in page.inner_text("body")
    where = f"{notebook.stem} in Voilà"
    assert_laid_out_for_a_laptop(page, notebook, where)
    session = notebook.stem.startswith(SESSION_PREFIXES)
    if session:
        assert_every_control_named(page)
        assert_reflows(page, where)
    if notebook.stem in FOCUS_CHECKED:
        assert_focus_visible_on_every_control(page, where)
    if session or notebook.stem in AUDITED_OTHERS:
        audit_default_and_projector(page, f"voila-{notebook.name}")
    if session:  # the projector toggle is on: what the room reads, on a 1080p projector
        page.set_viewport_size(PROJECTOR)
        wait_for_projector_charts(page)
        assert_projector_legible(
            page, f"{where}, projector on", charts=notebook.stem not in NO_CHARTS
        )


#: Session notebooks: every control has an accessible name (see keyboard.py), nothing is
#: cut off at 640 px, and with the projector toggle on no text is under 18 px.
SESSION_PREFIXES = ("00_", "01_", "02_", "03_", "04_")
#: Pages audited with axe-core, as shown and in projector mode (see axe.py): the session
#: notebooks and these.
AUDITED_OTHERS = {"facilitator"}
#: The notebook whose every control is tabbed to (see focus.py): it has the most kinds.
FOCUS_CHECKED = {"02_climate_for_change"}


def audit_default_and_projector(page, name: str) -> None:
    """axe-core on the page as shown, then again with projector mode switched on."""
    if (problem := axe_available()) is not None:
        (pytest.fail if in_ci() else pytest.skip)(problem)
    assert_accessible(page, name)
    toggle = page.locator(".pl-projector-button").first
    toggle.click()
    expect(toggle).to_have_class(re.compile(r"mod-active"))
    page.wait_for_timeout(500)  # let the live charts redraw
    assert_accessible(page, f"{name}-projector")


# --------------------------------------------------------------------------------------
# The detectors can fail
# --------------------------------------------------------------------------------------

BROKEN_CELLS = [
    "import sys\nimport ipywidgets as widgets\nprint(sys.executable)",
    "print(repr(widgets.VBox([widgets.Button(description='Add')])))",
    "print('careful: this went to stderr', file=sys.stderr)",
    "1 / 0",
    "print('never runs')",
]


def test_lab_detectors_catch_broken_notebook(tmp_path, open_in_lab, page):
    open_in_lab(write_notebook(tmp_path / "broken.ipynb", BROKEN_CELLS))
    report = run_all_cells(page, raise_on_error=False)

    assert report.errors == ((3, "ZeroDivisionError: division by zero"),)
    assert report.not_run == (4,)
    # The kernel runs this venv's interpreter, not whatever 'python3' the system offers.
    assert [o.text.strip() for o in collect_outputs(page) if o.cell == 0] == [sys.executable]

    as_text = widgets_as_text(page)
    assert [o.cell for o in as_text] == [1]
    assert "VBox(children=(Button(description='Add', style=ButtonStyle()),))" in as_text[0].text
    with pytest.raises(AssertionError, match=r"widget as text(.|\n)*cell 1 "):
        assert_no_widgets_as_text(page)

    errors = error_outputs(page)
    assert [o.cell for o in errors] == [2, 3]
    assert errors[1].ename == "ZeroDivisionError: division by zero"
    with pytest.raises(AssertionError, match=r"2 error output"):
        assert_no_error_outputs(page)

    assert rendered_widgets(page) == []
    with pytest.raises(AssertionError, match="expected at least 1 rendered ipywidgets view"):
        assert_widgets_rendered(page)

    with pytest.raises(NotebookRunError, match=r"cell 3 raised ZeroDivisionError"):
        run_all_cells(page)


def test_lab_run_all_names_a_stalled_cell(tmp_path, open_in_lab, page):
    open_in_lab(write_notebook(tmp_path / "stall.ipynb", ["import time", "time.sleep(600)"]))

    with pytest.raises(NotebookRunError, match=r"cell 1 'time.sleep\(600\)' still running"):
        run_all_cells(page, cell_timeout=2)


def test_voila_detectors_catch_an_error(tmp_path, open_in_voila, page):
    open_in_voila(write_notebook(tmp_path / "broken.ipynb", BROKEN_CELLS), expect_widgets=True)

    assert [o.cell for o in widgets_as_text(page)] == [1]
    errors = error_outputs(page)
    assert [o.cell for o in errors] == [2, 3]
    assert "ZeroDivisionError" in errors[1].text
    assert rendered_widgets(page) == []


def test_cut_off_label_detector_finds_a_squeezed_button_and_drop_down(
    tmp_path, open_in_voila, page
):
    cells = [
        "import ipywidgets as widgets\nsmall = widgets.Layout(width='90px')",
        "widgets.Button(description='Export portfolio (HTML)', layout=small)",
        "widgets.Dropdown(options=['Anonymise e-mails and phone numbers'], layout=small)",
        "widgets.Button(description='Add', layout=widgets.Layout(width='auto'))",
    ]
    page.set_viewport_size(LAPTOP)
    open_in_voila(write_notebook(tmp_path / "squeezed.ipynb", cells), expect_widgets=True)

    found = cut_off_labels(page)
    assert len(found) == 2, found
    assert found[0].startswith("button 'Export portfolio (HTML)' needs")
    assert found[1].startswith("select 'Anonymise e-mails and phone numbers' needs")


@pytest.mark.parametrize(
    "text",
    [
        "VBox(children=(Button(description='Add', style=ButtonStyle()),))",
        "HBox(children=(Label(value='Power'),))",
        "IntSlider(value=0, description='Power')",
        "Dropdown(options=('a', 'b'), value='a')",
        "Output()",
    ],
)
def test_widget_text_pattern_matches_widget_reprs(text):
    assert WIDGET_AS_TEXT.search(text)


@pytest.mark.parametrize(
    "text",
    ["Power-interest grid with 12 stakeholders.", "<Figure size 640x480 with 1 Axes>", "Output"],
)
def test_widget_text_pattern_ignores_ordinary_text(text):
    assert WIDGET_AS_TEXT.search(text) is None


# --------------------------------------------------------------------------------------
# Static HTML
# --------------------------------------------------------------------------------------

PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
    "/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)


def test_html_request_recorder(tmp_path, page):
    clean = tmp_path / "clean.html"
    clean.write_text(
        f"<!doctype html><html><head><style>p {{ color: navy; }}</style></head>"
        f"<body><p>Portfolio</p><img alt='dot' src='{PIXEL}'></body></html>",
        encoding="utf-8",
    )
    leaky = tmp_path / "leaky.html"
    leaky.write_text(
        "<!doctype html><html><head>"
        "<link rel='stylesheet' href='https://cdn.example.org/style.css'>"
        "<link rel='stylesheet' href='local.css'></head>"
        "<body><img alt='logo' src='https://img.example.org/logo.png'>"
        "<script>fetch('http://127.0.0.1:9/beacon').catch(() => {});</script></body></html>",
        encoding="utf-8",
    )

    assert open_html_recording_requests(page, clean) == []
    requests = open_html_recording_requests(page, leaky)
    assert sorted(requests) == sorted(
        [
            "https://cdn.example.org/style.css",
            (tmp_path / "local.css").as_uri(),
            "https://img.example.org/logo.png",
            "http://127.0.0.1:9/beacon",
        ]
    )


# --------------------------------------------------------------------------------------
# Missing browser: skip outside CI, fail under CI
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("ci", [False, True], ids=["outside-ci", "under-ci"])
def test_missing_chromium_skips_or_fails(ci):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PARTNERSHIP_CHROMIUM"] = "/nonexistent/chromium"
    env["CI"] = "true" if ci else "false"
    this_module = str(Path(__file__).relative_to(REPO_ROOT))
    pytest_args = ["-m", "browser", "-p", "no:cacheprovider", "-k", "not missing_chromium"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *pytest_args, this_module],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = result.stdout
    reason = "no Chromium executable at /nonexistent/chromium"
    if ci:
        assert result.returncode == 1, out
        assert re.search(r"\b\d+ errors?\b", out), out
        assert "skipped" not in out, out
        assert f"Browser tests cannot run under CI: {reason}" in out, out
    else:
        assert result.returncode == 0, out
        skipped = [line for line in out.splitlines() if line.startswith("SKIPPED")]
        assert len(skipped) == 1, out
        assert f"need Chromium and Playwright: {reason}" in skipped[0], out
        assert re.search(r"\b\d+ skipped\b", out), out
        assert not re.search(r"\b(failed|errors?)\b", out), out
