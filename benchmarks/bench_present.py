"""Memory of a presenting Voilà server after a day's page loads (``make bench`` rows).

Starts Voilà as ``make present`` does (``deploy/voila/voila.py``, through the browser
tests' harness, every Jupyter folder isolated in a temporary directory) and loads the
session notebooks 00-04 in turn, 40 pages in all, in headless Chromium. Each page is
closed once it has rendered, without ``beforeunload``, as when a browser is killed or a
laptop drops off the network: only the culler can free those kernels (a tab closed as
usual frees its kernel at once). Then it measures the resident memory (RSS) of Voilà
plus every kernel it still runs, 20 samples a quarter of a second apart:

- **culling on**: make present's settings, with the culler's timeout and interval cut
  to 45 s and 5 s (``harness.quicker_culling``), measured once no closed page's kernel
  is left (or the timeout plus 60 s after the last page, whichever comes first);
- **culling off**: the same with ``cull_idle_timeout=0``, as make present ran before.

Two rows, both of the culled server: against the server without culling (target: a
tenth of its memory at most), and against the same server fresh, before its first page
(target: no kernel left, and less than a fresh server plus one kernel). RSS counts
memory shared between processes once per process, so the sums overstate a little.
Without Chromium or Playwright the rows come back as skipped, with the reason. Run
alone: ``python benchmarks/bench_present.py [--quick]``.
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import Row, make_row, run_alone
from bench_browser import harness, session_notebooks

PAGE_LOADS = 40
IDLE_TIMEOUT = 45  # as in tests/browser/test_present_culling.py, which says why
CULL_INTERVAL = 5
SAMPLES = 20
RATIO_TARGET = 0.1
NAMES = (
    f"Voila: memory after {PAGE_LOADS} page loads, culling on vs off",
    f"Voila: memory after {PAGE_LOADS} page loads, culling on vs fresh",
)


def skipped(reason: str) -> list[Row]:
    targets = (f"ratio <= {RATIO_TARGET:g}", "no kernel left, < fresh + 1 kernel")
    return [
        Row(name, 0.0, 0.0, 0.0, 0, "", None, None, target, f"skipped: {reason}", unit="MB")
        for name, target in zip(NAMES, targets, strict=True)
    ]


def rss_mb(pid: int) -> float:
    """Resident set size of one process in MB (0 once it has gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def server_mb(voila: Any) -> float:
    """RSS of Voilà plus every kernel it runs, in MB."""
    pids = [voila.server.process.pid, *voila.kernel_processes().values()]
    return sum(rss_mb(pid) for pid in pids)


def samples(voila: Any, count: int) -> list[float]:
    out = []
    for _ in range(count):
        out.append(server_mb(voila))
        time.sleep(0.25)
    return out


def day_of_pages(
    h: ModuleType, browser: Any, home: Path, *, culling: bool, loads: int, reps: int
) -> tuple[list[float], list[float], int]:
    """(fresh server samples, samples after ``loads`` pages, kernels left)."""
    extra = h.quicker_culling(idle=IDLE_TIMEOUT, interval=CULL_INTERVAL)
    if not culling:
        extra = [a for a in extra if "cull_idle_timeout" not in a]
        extra.append("--MappingKernelManager.cull_idle_timeout=0")
    voila = h.start_voila(home, present=True, extra_args=extra)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(h.EXTERNAL_URL, lambda route: route.abort())
    try:
        time.sleep(2)  # let the fresh server settle
        fresh = samples(voila, reps)
        notebooks = session_notebooks()
        for i in range(loads):
            page = context.new_page()
            h.open_voila(page, voila, notebooks[i % len(notebooks)], subdir=f"load-{i}")
            page.close(run_before_unload=False)
        if culling:
            deadline = time.monotonic() + IDLE_TIMEOUT + 60
            while voila.kernel_processes() and time.monotonic() < deadline:
                time.sleep(0.5)
        else:
            time.sleep(IDLE_TIMEOUT + 2 * CULL_INTERVAL)  # as long as the culled run waits
        after = samples(voila, reps)
        return fresh, after, len(voila.kernel_processes())
    finally:
        with contextlib.suppress(Exception):
            context.close()
        voila.stop()


def rows(quick: bool = False) -> list[Row]:
    try:
        h = harness()
    except (OSError, ImportError) as exc:
        return skipped(f"browser harness unavailable ({exc})")
    reason = h.browser_unavailable_reason()
    if reason is None and not Path("/proc/self/status").is_file():
        reason = "memory is read from /proc (Linux only)"
    if reason is not None:
        return skipped(reason)
    from playwright.sync_api import sync_playwright

    loads, reps = (5, 3) if quick else (PAGE_LOADS, SAMPLES)
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-present-") as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(h.chromium_path()), headless=True, args=list(h.CHROMIUM_ARGS)
        )
        try:
            for culling in (True, False):
                home = Path(tmp) / ("on" if culling else "off")
                results[culling] = day_of_pages(
                    h, browser, home, culling=culling, loads=loads, reps=reps
                )
        finally:
            with contextlib.suppress(Exception):
                browser.close()
    (fresh_on, on, left_on), (fresh_off, off, left_off) = results[True], results[False]
    median = statistics.median
    per_kernel = (median(off) - median(fresh_off)) / max(left_off, 1)
    kernels = h.present_settings().MappingKernelManager
    settings = (
        f"culler timeout {IDLE_TIMEOUT} s, interval {CULL_INTERVAL} s (make present: "
        f"{kernels.cull_idle_timeout} s, {kernels.cull_interval} s)"
    )
    return [
        make_row(
            NAMES[0],
            on,
            baseline="culling off",
            baseline_times=off,
            target=f"ratio <= {RATIO_TARGET:g}",
            note=f"{loads} pages of notebooks 00-04 closed without beforeunload; kernels "
            f"left: {left_on} with culling, {left_off} without (about {per_kernel:.0f} MB "
            f"each); {settings}",
            unit="MB",
        ),
        make_row(
            NAMES[1],
            on,
            baseline="fresh server",
            baseline_times=fresh_on,
            target="no kernel left, < fresh + 1 kernel",
            note="the same server before its first page; what stays is Voilà's own "
            "process, grown by its first renders of each notebook",
            unit="MB",
            met=left_on == 0 and median(on) < median(fresh_on) + per_kernel,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    return run_alone(rows, __doc__, argv)


if __name__ == "__main__":
    raise SystemExit(main())
