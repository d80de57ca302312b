"""What every benchmark returns, so that ``make bench`` can print one table.

Each ``benchmarks/bench_*.py`` module exposes ``rows(quick: bool = False) -> list[Row]``.
A row is one measured path and the baseline measured in the same run, so the ratio
between them carries over from one machine to another where raw times do not.
``quick`` asks for the smallest run that still exercises every path (used by tests).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Row", "make_row", "run_alone", "time_calls"]


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the benchmark table (times in seconds)."""

    name: str
    median: float
    low: float
    high: float
    reps: int
    baseline: str
    baseline_median: float | None
    ratio: float | None
    target: str
    note: str = ""
    #: what median/low/high/baseline_median are in: "s" (seconds) or e.g. "MB"
    unit: str = "s"
    #: whether the target is met, when the module decides it; ``None`` lets
    #: ``benchmarks/run.py`` judge from ``target`` ("ratio <= 0.5", "< 2 s", "< 250 ms")
    met: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def time_calls(fn: Callable[[int], Any], *, reps: int = 20, warmup: int = 3) -> list[float]:
    """Seconds taken by ``fn(i)`` for ``i`` in ``range(reps)``, after ``warmup`` calls."""
    for i in range(warmup):
        fn(-1 - i)
    out = []
    for i in range(reps):
        start = time.perf_counter()
        fn(i)
        out.append(time.perf_counter() - start)
    return out


def make_row(
    name: str,
    times: Sequence[float],
    *,
    baseline: str = "",
    baseline_times: Sequence[float] | None = None,
    target: str = "",
    note: str = "",
    unit: str = "s",
    met: bool | None = None,
) -> Row:
    """Summarise ``times`` (and the baseline's) as a :class:`Row`."""
    if not times:
        raise ValueError(f"{name}: no timings")
    median = statistics.median(times)
    base = statistics.median(baseline_times) if baseline_times else None
    return Row(
        name=name,
        median=median,
        low=min(times),
        high=max(times),
        reps=len(times),
        baseline=baseline,
        baseline_median=base,
        ratio=(median / base) if base else None,
        target=target,
        note=note,
        unit=unit,
        met=met,
    )


def run_alone(rows: Callable[[bool], list[Row]], doc: str, argv: list[str] | None = None) -> int:
    """``main()`` for a benchmark run on its own: ``--quick``, then the one table."""
    import argparse

    from run import print_table

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    print_table(rows(args.quick))
    return 0
