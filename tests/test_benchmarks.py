"""``make bench``'s runner on fake rows; every benchmark module keeps the protocol.

No real benchmark runs here (timings belong in ``benchmarks/``, not in tests).
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest
from _helpers import DATA

BENCH = DATA.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import run  # noqa: E402
from _bench import Row, make_row  # noqa: E402


def fake_rows() -> list[Row]:
    return [
        make_row(
            "Grid: fake move",
            [0.010, 0.012, 0.020],
            baseline="naive",
            baseline_times=[0.100, 0.110, 0.090],
            target="ratio <= 0.5",
            note="a note",
        ),
        make_row(
            "Lifecycle: slow fake",
            [0.090, 0.100],
            baseline="naive",
            baseline_times=[0.100, 0.100],
            target="ratio <= 0.5",
        ),
        make_row("Notebook fake", [16.0, 17.0, 18.0], target="< 15 s"),
        make_row("Browser fake", [0.2, 0.3], target="< 250 ms"),
        make_row(
            "Memory: fake",
            [120.0],
            baseline="RSS after 10",
            baseline_times=[115.0],
            target="growth < 10 MB",
            unit="MB",
            met=True,
        ),
        Row("Browser: skipped fake", 0.0, 0.0, 0.0, 0, "", None, None, "< 5 s", "no chromium"),
    ]


def test_targets_are_judged_from_the_ratio_the_time_or_the_module():
    grid, slow, notebook, browser, memory, skipped = fake_rows()
    assert grid.ratio == pytest.approx(0.012 / 0.100)
    assert run.met(grid) is True
    assert run.met(slow) is False  # ratio 0.95
    assert run.met(notebook) is False  # 17 s against < 15 s
    assert run.met(browser) is False  # 250 ms median against < 250 ms
    assert run.met(memory) is True
    assert run.met(skipped) is None
    assert run.met(make_row("x", [1.0], target="fast")) is None


def test_table_has_every_column_and_row_and_formats_units():
    text = run.table(fake_rows())
    header = text.splitlines()[0]
    for column in run.COLUMNS:
        assert column in header
    lines = {line.split("  ")[0].strip(): line for line in text.splitlines()[2:] if line}
    grid = lines["Grid: fake move"]
    assert "12.0 ms" in grid and "10.0 ms–20.0 ms" in grid and "0.12" in grid
    assert grid.rstrip().endswith("yes")
    assert lines["Lifecycle: slow fake"].rstrip().endswith("NO")
    assert "17.00 s" in lines["Notebook fake"]
    assert "120.0 MB" in lines["Memory: fake"] and "115.0 MB" in lines["Memory: fake"]
    assert "skipped" in lines["Browser: skipped fake"]
    assert "  Grid: fake move: a note" in text
    assert "  Browser: skipped fake: no chromium" in text


def test_record_carries_rows_machine_and_date(tmp_path):
    data = run.record(fake_rows(), errors=[{"module": "bench_x", "error": "boom"}], seconds=3.21)
    path = tmp_path / "results" / "latest.json"
    run.write(data, path)
    back = json.loads(path.read_text(encoding="utf-8"))
    assert back["date"][:4].isdigit() and back["duration_seconds"] == 3.2
    machine = back["machine"]
    assert {"python", "platform", "cpu_count", "packages"} <= machine.keys()
    assert set(machine["packages"]) == {
        "ipykernel",
        "ipywidgets",
        "matplotlib",
        "jupyterlab",
        "voila",
        "jupyterhub",
    }
    assert machine["packages"]["matplotlib"]  # installed here, so a version string
    names = [r["name"] for r in back["rows"]]
    assert names == [r.name for r in fake_rows()]
    assert back["rows"][0]["met"] is True and back["rows"][1]["met"] is False
    assert back["rows"][4]["unit"] == "MB"
    assert back["errors"] == [{"module": "bench_x", "error": "boom"}]


def test_main_runs_the_modules_it_finds_and_keeps_going_after_a_failure(
    tmp_path, monkeypatch, capsys
):
    (tmp_path / "bench_good.py").write_text(
        "from _bench import make_row\n"
        "def rows(quick=False):\n"
        "    return [make_row('Good row', [0.001] * (3 if quick else 20), target='< 5 ms')]\n"
    )
    (tmp_path / "bench_broken.py").write_text(
        "def rows(quick=False):\n    raise RuntimeError('no browser here')\n"
    )
    (tmp_path / "bench_other.py").write_text(
        "from _bench import make_row\n"
        "def rows(quick=False):\n    return [make_row('Other row', [1.0], target='< 2 s')]\n"
    )
    monkeypatch.setattr(run, "HERE", tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    out = tmp_path / "latest.json"
    assert run.main(["--quick", "--only", "good", "--only", "broken", "--out", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "Good row" in printed and "Other row" not in printed
    assert "FAILED bench_broken: RuntimeError: no browser here" in printed
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["quick"] is True
    assert [r["name"] for r in data["rows"]] == ["Good row"]
    assert data["rows"][0]["reps"] == 3 and data["rows"][0]["met"] is True
    assert data["errors"][0]["module"] == "bench_broken"
    for m in ("bench_good", "bench_broken", "bench_other"):
        sys.modules.pop(m, None)


def _top_level_functions(path: Path) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}


BENCH_MODULES = sorted(BENCH.glob("bench_*.py"))


def test_the_runner_finds_every_bench_module():
    assert {p.stem for p in BENCH_MODULES} <= set(run.modules())
    assert {"bench_grid", "bench_notebooks", "bench_interactions", "bench_import"} <= set(
        run.modules()
    )
    assert run.modules(["grid"]) == ["bench_grid"]


@pytest.mark.parametrize("path", BENCH_MODULES, ids=lambda p: p.stem)
def test_every_bench_module_exposes_rows_quick_and_main(path):
    functions = _top_level_functions(path)
    assert "rows" in functions, f"{path.name} has no rows()"
    args = functions["rows"].args
    assert [a.arg for a in args.args] == ["quick"], f"{path.name}: rows(quick: bool = False)"
    assert len(args.defaults) == 1 and args.defaults[0].value is False
    assert "main" in functions, f"{path.name} cannot be run alone"
