"""Browser-side speed, in real JupyterLab and headless Chromium (``make bench`` rows).

Uses the browser tests' harness (``tests/browser/harness.py``): one JupyterLab server
with every Jupyter folder isolated in a temporary directory, notebook copies in its
root, and Debian's Chromium driven by Playwright. Without Chromium or Playwright the
rows come back as skipped, with the reason.

- **Run All.** For each session notebook: open a fresh copy, and before each timing
  start a fresh kernel (the first time by opening it, then by restarting it) and wait
  until it is idle; then time Run All (which first clears the outputs) until every
  cell has run and every widget output the notebook now holds is rendered on the
  page. Target: under 5 s each.
- **Grid move.** Notebook 02's stakeholder editor with 50 stakeholders in the store:
  choose the first one, focus its power score (a slider's handle, or the number box
  that replaced it) and press the arrow keys, as a learner would. Each timing runs in the page from the key press to the moment the
  grid's new picture is decoded and painted (the ``<img>`` changes, then
  ``img.decode()`` and two ``requestAnimationFrame`` callbacks). Target: median under
  250 ms (moonshot: 100 ms).

The kernel start is not in the Run All time; the first imports are. Run alone:
``python benchmarks/bench_browser.py [--quick]``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import Row, make_row, run_alone

ROOT = Path(__file__).resolve().parents[1]
HARNESS = ROOT / "tests" / "browser" / "harness.py"
RUN_ALL_TARGET = 5.0
MOVE_TARGET_MS = 250
GRID_NOTEBOOK = "02_climate_for_change"
GRID_EXERCISE = "activity3"


def harness() -> ModuleType:
    """The browser tests' harness, loaded from its file (tests/ is not a package)."""
    spec = importlib.util.spec_from_file_location("_partnership_browser_harness", HARNESS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def session_notebooks() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("0[0-9]_*.ipynb"))


def row_names() -> list[str]:
    return [f"Browser: Run All {nb.stem}" for nb in session_notebooks()] + [
        "Browser: grid move to painted image"
    ]


def skipped(reason: str) -> list[Row]:
    targets = [f"< {RUN_ALL_TARGET:.0f} s"] * len(session_notebooks()) + [f"< {MOVE_TARGET_MS} ms"]
    return [
        Row(name, 0.0, 0.0, 0.0, 0, "", None, None, target, f"skipped: {reason}")
        for name, target in zip(row_names(), targets, strict=True)
    ]


# --------------------------------------------------------------------------- Run All

_STATE_JS = """
() => {
  const app = window.jupyterapp;
  const isNb = (w) => w && w.content && Array.isArray(w.content.widgets) && w.sessionContext;
  let nb = app ? app.shell.currentWidget : null;
  if (app && !isNb(nb)) { nb = Array.from(app.shell.widgets('main')).find(isNb) || null; }
  if (!nb) return null;
  const kernel = nb.sessionContext.session ? nb.sessionContext.session.kernel : null;
  let running = 0, expected = 0, notRun = 0;
  const errors = [];
  for (const cell of nb.content.widgets) {
    const m = cell.model;
    if (m.type !== 'code') continue;
    if (m.executionState === 'running') running++;
    if (m.sharedModel.getSource().trim() && m.executionCount === null) notRun++;
    for (const o of m.outputs.toJSON()) {
      if (o.output_type === 'error') errors.push(`${o.ename}: ${o.evalue}`);
      if (o.data && o.data['application/vnd.jupyter.widget-view+json']) expected++;
    }
  }
  const views = Array.from(document.querySelectorAll('.jp-OutputArea-output .jupyter-widgets'))
    .filter((el) => !el.classList.contains('jp-OutputArea-output'))
    .filter((el) => !el.parentElement.closest('.jupyter-widgets')).length;
  const loading = Array.from(document.querySelectorAll('.jp-OutputArea-output'))
    .filter((el) => (el.innerText || '').trim() === 'Loading widget...').length;
  const run = window.__harnessRunAll || {};
  return {done: !!run.done, error: run.error || null, running, notRun, errors, expected,
          views, loading, kernel: kernel ? kernel.status : null};
}
"""


_RESTART_JS = """
async () => {
  const app = window.jupyterapp;
  const nb = app.shell.currentWidget;
  await nb.sessionContext.session.kernel.restart();
}
"""


def run_all_seconds(page: Any, h: ModuleType, *, timeout: float = 120.0) -> float:
    """Seconds from Run All to every cell run and every widget output rendered."""
    h.wait_for_kernel_idle(page, timeout=60)
    start = time.perf_counter()
    page.evaluate(h._START_RUN_ALL_JS)
    deadline = start + timeout
    while True:
        s = page.evaluate(_STATE_JS)
        if s is None:
            raise RuntimeError("the notebook panel disappeared during Run All")
        finished = s["done"] and not s["running"] and s["kernel"] == "idle"
        if finished and s["views"] >= s["expected"] and not s["loading"]:
            seconds = time.perf_counter() - start
            break
        if s["error"] or s["errors"]:
            raise RuntimeError(f"Run All failed: {s['error'] or s['errors'][:3]}")
        if time.perf_counter() > deadline:
            raise TimeoutError(f"Run All did not finish within {timeout:.0f} s: {s}")
        time.sleep(0.02)
    if s["notRun"]:
        raise RuntimeError(f"{s['notRun']} code cell(s) never ran")
    return seconds


# --------------------------------------------------------------------------- grid move

_ARM_JS = """
(root) => {
  const before = (root.querySelector('img') || {}).src || null;
  window.__move = new Promise((resolve, reject) => {
    let t0 = null;
    document.addEventListener('keydown', () => { t0 = performance.now(); },
                              {capture: true, once: true});
    const timer = setTimeout(() => { obs.disconnect(); reject('no new picture in 15 s'); },
                             15000);
    const obs = new MutationObserver(async () => {
      const img = root.querySelector('img');
      if (!img || img.src === before || t0 === null) return;
      obs.disconnect();
      clearTimeout(timer);
      try { await img.decode(); } catch (e) { /* painted anyway */ }
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
    });
    obs.observe(root, {subtree: true, childList: true, attributes: true,
                       attributeFilter: ['src']});
  });
}
"""


def seed_stakeholders(data_dir: Path, count: int = 50) -> None:
    """Put ``count`` stakeholders in notebook 02's first editor, as bench_grid does."""
    from bench_grid import table

    from partnership_lib.core.store import AnswerKey, AnswerStore
    from partnership_lib.widgets.stakeholder_editor import stakeholder_rows

    with AnswerStore(data_dir / "answers.sqlite3") as store:
        store.save(
            AnswerKey(GRID_NOTEBOOK, GRID_EXERCISE, "stakeholders"), stakeholder_rows(table(count))
        )


def grid_moves(page: Any, *, moves: int, warmup: int) -> list[float]:
    """Milliseconds per arrow-key move of the first stakeholder, key press to paint."""
    editor = page.locator(".pl-stakeholder-editor").first
    chooser = editor.locator("select").filter(has_text="(add a new stakeholder)").first
    chooser.scroll_into_view_if_needed()
    chooser.select_option(index=1)
    # The power score: a slider (arrow right/left on its handle) or, since the editor
    # moved to labelled number boxes, a number input (arrow up/down), as a learner does.
    control = editor.locator(".widget-inline-hbox").filter(has_text="Power (0").first
    handle = control.locator(".noUi-handle")
    if handle.count():
        target, keys = handle.first, ("ArrowRight", "ArrowLeft")
    else:
        target, keys = control.locator("input").first, ("ArrowUp", "ArrowDown")
    chart = editor.locator(".pl-stakeholder-grid").first
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # let the choice reach the kernel and come back
    times = []
    for i in range(warmup + moves):
        target.focus()
        chart.evaluate(_ARM_JS)
        page.keyboard.press(keys[i % 2])
        ms = page.evaluate("() => window.__move")
        if i >= warmup:
            times.append(ms / 1000)
    return times


# --------------------------------------------------------------------------- rows


def rows(quick: bool = False) -> list[Row]:
    try:
        h = harness()
    except (OSError, ImportError) as exc:
        return skipped(f"browser harness unavailable ({exc})")
    reason = h.browser_unavailable_reason()
    if reason is not None:
        return skipped(reason)
    from playwright.sync_api import sync_playwright

    reps, warmup = (2, 0) if quick else (20, 1)
    moves, move_warmup = (3, 1) if quick else (30, 5)
    out: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as home, sync_playwright() as pw:
        lab = h.start_jupyter_lab(Path(home) / "lab")
        browser = pw.chromium.launch(
            executable_path=str(h.chromium_path()), headless=True, args=list(h.CHROMIUM_ARGS)
        )
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.route(h.EXTERNAL_URL, lambda route: route.abort())
            page = context.new_page()
            for nb in session_notebooks():
                times = []
                folder = f"run-{nb.stem}"
                h.open_lab_notebook(page, lab, nb, subdir=folder)
                for i in range(warmup + reps):
                    if i:
                        page.evaluate(_RESTART_JS)  # a fresh kernel, as on opening
                    seconds = run_all_seconds(page, h)
                    if i >= warmup:
                        times.append(seconds)
                lab.shutdown_sessions(f"{folder}/")
                out.append(
                    make_row(
                        f"Browser: Run All {nb.stem}",
                        times,
                        target=f"< {RUN_ALL_TARGET:.0f} s",
                        note="JupyterLab, fresh kernel each time (its start not counted), "
                        "first imports included; until every widget output is rendered",
                    )
                )
            seed_stakeholders(lab.data_dir)
            h.open_lab_notebook(
                page, lab, ROOT / "notebooks" / f"{GRID_NOTEBOOK}.ipynb", subdir="grid"
            )
            run_all_seconds(page, h)
            times = grid_moves(page, moves=moves, warmup=move_warmup)
            out.append(
                make_row(
                    "Browser: grid move to painted image",
                    times,
                    target=f"< {MOVE_TARGET_MS} ms",
                    note="notebook 02, 50 stakeholders, arrow key on the power score; "
                    "key press to new <img> decoded and painted (moonshot 100 ms)",
                )
            )
        finally:
            with contextlib.suppress(Exception):
                browser.close()
            lab.stop()
    return out


def main(argv: list[str] | None = None) -> int:
    return run_alone(rows, __doc__, argv)


if __name__ == "__main__":
    raise SystemExit(main())
