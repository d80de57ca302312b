"""How long does the facilitator wait for the room's views, and how does it grow with the room?

Run it alone with ``python benchmarks/bench_room.py [--quick] [--reps N]``.

For 10, 40 and 200 demo learners (:func:`partnership_lib.facilitator.demo.write_demo_room`, written
once to a temporary folder before any timing), each timing covers what a facilitator's
refresh does from nothing: a fresh scan of the folder (every share file read and
validated) and all seven views collated and rendered to PNG with their text and HTML
(:func:`partnership_lib.facilitator.views.render_view`). A second set of rows times the collation
alone (the scan and the seven tables, no drawing).

The baseline of each row is the 10-learner time from the same run. The issue's target
is all views for 40 learners in under 2 s, with growth from 10 to 200 files no worse
than linear: the note gives the time per learner relative to 10 learners (1.0 means
linear; below 1 means it grows more slowly than the room) and the CPU time, which is
what a shared, busy machine inflates least.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import Row, make_row, time_calls

from partnership_lib.facilitator import demo, room, views

SIZES = (10, 40, 200)
QUICK_SIZES = (2, 4, 8)
TARGET_LEARNERS = 40
TARGET_SECONDS = 2.0


def all_views(folder: Path) -> Callable[[int], None]:
    """A fresh scan of ``folder`` and every view rendered (what one full refresh does)."""

    def run(_i: int) -> None:
        r = room.scan_room(folder)
        for view in views.ROOM_VIEWS:
            out = views.render_view(r, view.key)
            assert out.chart.png and out.html

    return run


def collate_only(folder: Path) -> Callable[[int], None]:
    """A fresh scan of ``folder`` and every view's table, without drawing."""

    def run(_i: int) -> None:
        r = room.scan_room(folder)
        for view in views.ROOM_VIEWS:
            view.table(r)

    return run


def _interleaved(
    make: Callable[[Path], Callable[[int], None]], folders: dict[int, Path], reps: int, warmup: int
) -> dict[int, tuple[list[float], float]]:
    """Wall seconds per call and median CPU seconds per call, for each room size.

    The sizes take turns, one call each per round, so that a slowdown of a shared
    machine hits them alike.
    """
    calls = {n: make(folder) for n, folder in folders.items()}
    wall: dict[int, list[float]] = {n: [] for n in folders}
    cpu: dict[int, list[float]] = {n: [] for n in folders}
    for fn in calls.values():
        time_calls(fn, reps=0, warmup=warmup)
    for _ in range(reps):
        for n, fn in calls.items():
            start = time.process_time()
            wall[n] += time_calls(fn, reps=1, warmup=0)
            cpu[n].append(time.process_time() - start)
    return {n: (wall[n], statistics.median(cpu[n])) for n in folders}


def _rows_for(
    what: str,
    make: Callable[[Path], Callable[[int], None]],
    folders: dict[int, Path],
    reps: int,
    warmup: int,
    target_size: int,
) -> list[Row]:
    sizes = sorted(folders)
    first = sizes[0]
    measured = _interleaved(make, folders, reps, warmup)
    base_times, base_cpu = measured[first]
    out = []
    for n in sizes:
        times, cpu = measured[n]
        per_learner = (statistics.median(times) / statistics.median(base_times)) / (n / first)
        cpu_per_learner = (cpu / base_cpu) / (n / first)
        linear = max(per_learner, cpu_per_learner) <= 1.0
        note = (
            f"CPU {cpu:.2f} s; time per learner x{per_learner:.2f} of {first} learners' "
            f"(CPU x{cpu_per_learner:.2f}): "
            + ("at most linear" if linear else "WORSE than linear")
        )
        is_target = what == "all views" and n == target_size
        out.append(
            make_row(
                f"Room, {what}: {n} learners",
                times,
                baseline=f"{what}, {first} learners",
                baseline_times=base_times,
                target=f"< {TARGET_SECONDS:g} s" if is_target else "growth <= linear",
                note=note,
                met=None if is_target else linear,
            )
        )
    return out


def rows(quick: bool = False, *, reps: int | None = None) -> list[Row]:
    """Rows for all views and for collation alone, at each room size."""
    sizes = QUICK_SIZES if quick else SIZES
    reps = reps or (1 if quick else 20)
    warmup = 0 if quick else 2
    target = sizes[1]
    with tempfile.TemporaryDirectory(prefix="bench-room-") as tmp:
        folders = {}
        for n in sizes:
            folders[n] = Path(tmp) / f"room-{n}"
            # approved, so the free-text views draw every note as on the day
            demo.write_demo_room(folders[n], n, approve=True)
        out = _rows_for("all views", all_views, folders, reps, warmup, target)
        out += _rows_for("collation only", collate_only, folders, reps, warmup, target)
    return out


def _print_rows(result: list[Row]) -> None:
    print(f"{'row':<40} {'median':>8} {'min-max':>15} {'ratio':>6}  target / note")
    for r in result:
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else "-"
        print(
            f"{r.name:<40} {r.median:7.2f}s {r.low:6.2f}-{r.high:6.2f} s {ratio:>6}  "
            f"{r.target}; {r.note}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny rooms, one repetition")
    parser.add_argument("--reps", type=int, default=None, help="timed runs per row (20)")
    args = parser.parse_args(argv)
    result = rows(args.quick, reps=args.reps)
    try:
        from run import print_table
    except ImportError:
        _print_rows(result)
    else:
        print_table(result)
    target = next(r for r in result if r.target.startswith("<"))
    return 0 if args.quick or target.median < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
