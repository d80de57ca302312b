"""Run every benchmark in ``benchmarks/`` and print one table (``make bench``).

Each ``benchmarks/bench_*.py`` module exposes ``rows(quick: bool = False) -> list[Row]``
(see ``_bench.py``); this script imports them all (``--only NAME`` picks modules whose
name contains NAME), runs them one after another, prints one table and writes it with
the machine's details to ``benchmarks/results/latest.json`` (not committed).

Reading the table: every row's median and min-max come from at least 20 repetitions
after a warm-up (fewer with ``--quick``); the baseline was measured in the same run,
usually interleaved with the row itself, so the ratio carries over from one machine to
another where raw times do not. "met?" judges the target: a ratio (``ratio <= 0.5``),
a time (``< 15 s``) or, for memory rows, what the module decided.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import math
import os
import platform
import re
import sys
import time
import traceback
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _bench import Row  # noqa: E402

RESULTS = HERE / "results"
PACKAGES = ("ipykernel", "ipywidgets", "matplotlib", "jupyterlab", "voila", "jupyterhub")
COLUMNS = (
    "benchmark",
    "median",
    "min–max",
    "reps",
    "baseline",
    "baseline median",
    "ratio",
    "target",
    "met?",
)


def modules(only: Sequence[str] = ()) -> list[str]:
    """Names of the benchmark modules, sorted; filtered by ``only`` (substrings)."""
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if only:
        names = [n for n in names if any(o.lower() in n.lower() for o in only)]
    return names


# --------------------------------------------------------------------------- judging targets

_RATIO = re.compile(r"ratio\s*(<=|≤|<)\s*([0-9.]+)", re.IGNORECASE)
_TIME = re.compile(r"(<=|≤|<)\s*([0-9.]+)\s*(ms|s)\b")


def met(row: Row) -> bool | None:
    """Whether ``row`` meets its target: the module's word, else parsed from ``target``."""
    if row.met is not None:
        return row.met
    if row.reps == 0:
        return None
    m = _RATIO.search(row.target)
    if m:
        if row.ratio is None:
            return None
        limit = float(m.group(2))
        return row.ratio < limit if m.group(1) == "<" else row.ratio <= limit
    m = _TIME.search(row.target)
    if m and row.unit == "s":
        limit = float(m.group(2)) / (1000 if m.group(3) == "ms" else 1)
        return row.median < limit if m.group(1) == "<" else row.median <= limit
    return None


# --------------------------------------------------------------------------- formatting


def fmt(value: float | None, unit: str = "s") -> str:
    """A value for the table: times in ms below one second, else s; other units as given."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit != "s":
        return f"{value:.1f} {unit}"
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def cells(row: Row) -> list[str]:
    """The table's cells for one row."""
    if row.reps == 0:
        return [row.name, "skipped", "", "0", "", "", "", row.target, "–"]
    ok = met(row)
    spread = f"{fmt(row.low, row.unit)}–{fmt(row.high, row.unit)}"
    return [
        row.name,
        fmt(row.median, row.unit),
        spread,
        str(row.reps),
        row.baseline or "–",
        fmt(row.baseline_median, row.unit),
        "–" if row.ratio is None else f"{row.ratio:.2f}",
        row.target or "–",
        {True: "yes", False: "NO", None: "–"}[ok],
    ]


def table(rows: Sequence[Row]) -> str:
    """The rows as one plain-text table, then the notes (numbered) under it."""
    body = [cells(r) for r in rows]
    widths = [max([len(c), *(len(b[i]) for b in body)]) for i, c in enumerate(COLUMNS)]
    right = {1, 2, 3, 5, 6}

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if i in right else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ).rstrip()

    out = [line(COLUMNS), line(["-" * w for w in widths])]
    out += [line(b) for b in body]
    notes = [(r.name, r.note) for r in rows if r.note]
    if notes:
        out.append("")
        out += [f"  {name}: {note}" for name, note in notes]
    return "\n".join(out)


def print_table(rows: Sequence[Row]) -> None:
    print(table(rows))


# --------------------------------------------------------------------------- the record


def machine() -> dict[str, Any]:
    """Where the figures were measured."""
    packages = {}
    for name in PACKAGES:
        try:
            packages[name] = version(name)
        except PackageNotFoundError:
            packages[name] = None
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "packages": packages,
    }


def record(
    rows: Sequence[Row],
    *,
    errors: Sequence[dict[str, str]] = (),
    quick: bool = False,
    seconds: float | None = None,
) -> dict[str, Any]:
    """The JSON written to ``results/latest.json``."""
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "quick": quick,
        "duration_seconds": None if seconds is None else round(seconds, 1),
        "machine": machine(),
        "rows": [{**r.as_dict(), "met": met(r)} for r in rows],
        "errors": list(errors),
    }


def write(data: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", action="append", default=[], metavar="NAME", help="modules whose name has NAME"
    )
    parser.add_argument("--quick", action="store_true", help="fewest repetitions (a smoke run)")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args(argv)
    names = modules(args.only)
    if not names:
        parser.error(f"no benchmark module matches {args.only}")
    rows: list[Row] = []
    errors: list[dict[str, str]] = []
    started = time.perf_counter()
    for name in names:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        try:
            got = importlib.import_module(name).rows(quick=args.quick)
        except Exception as exc:
            errors.append({"module": name, "error": f"{type(exc).__name__}: {exc}"})
            traceback.print_exc()
            continue
        rows += got
        print(f"  {name}: {len(got)} rows in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        write(record(rows, errors=errors, quick=args.quick), args.out)  # keep partial runs
    elapsed = time.perf_counter() - started
    print()
    print_table(rows)
    for e in errors:
        print(f"\nFAILED {e['module']}: {e['error']}")
    data = record(rows, errors=errors, quick=args.quick, seconds=elapsed)
    write(data, args.out)
    m = data["machine"]
    versions = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    print(
        f"\nPython {m['python']} on {m['platform']}, {m['cpu_count']} CPUs; {versions}. "
        f"{elapsed / 60:.1f} min -> {args.out}"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
