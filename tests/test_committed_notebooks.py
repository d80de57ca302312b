"""What a committed notebook shows before it runs: text and charts, never Python code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
REPR = re.compile(r"\b(?:VBox|HBox|HTML|Button|Output|Textarea|Dropdown)\(|<ipywidgets\.|model_id")


def _outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        for output in cell.get("outputs", []):
            yield i, cell, output


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_committed_output_is_a_python_repr(path):
    for i, _cell, output in _outputs(path):
        for mime, value in output.get("data", {}).items():
            text = "".join(value) if isinstance(value, list) else str(value)
            assert not REPR.search(text), f"{path.name} cell {i} {mime}: {text[:120]}"
        if output.get("output_type") == "stream":
            assert not REPR.search("".join(output.get("text", ""))), f"{path.name} cell {i}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_exercise_says_how_to_start_it(path):
    widget_cells = 0
    for i, cell, output in _outputs(path):
        if "nbval-ignore-output" not in cell.get("metadata", {}).get("tags", []):
            continue
        data = output.get("data", {})
        assert "application/vnd.jupyter.widget-view+json" not in data, f"{path.name} cell {i}"
        assert "Run All Cells" in "".join(data.get("text/plain", "")), f"{path.name} cell {i}"
        assert 'class="pl-not-started"' in "".join(data.get("text/html", ""))
        widget_cells += 1
    assert widget_cells >= 1


def test_a_static_html_export_shows_no_code_for_an_exercise(tmp_path):
    nbconvert = pytest.importorskip("nbconvert")
    path = next(p for p in NOTEBOOKS if p.name.startswith("01_"))
    body, _ = nbconvert.HTMLExporter(exclude_input=True).from_filename(str(path))
    visible = re.sub(r"<(script|style)\b.*?</\1>", "", body, flags=re.S)
    assert not REPR.search(visible)
    assert visible.count("pl-not-started") >= 10
