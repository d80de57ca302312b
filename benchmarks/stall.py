"""Stress test: do the session notebooks ever stall the kernel? (``make stall``)

Executes notebooks 00-04 back to back, ``--runs`` notebook executions in all (default
200, i.e. 40 rounds of 5), each with nbclient on a fresh kernel, a fresh temporary
``PARTNERSHIP_DATA_DIR`` and a per-cell timeout (default 60 s). The kernel runs on the
interpreter given by ``--python`` through a private kernelspec, so another venv's
ipykernel can be measured with this venv's client:

    python benchmarks/stall.py --python /tmp/venv-ik6/bin/python

When a cell times out the script asks the kernel, on its shell channel, for
``kernel_info``:

- it answers: a **stall**. The kernel is idle and serving requests, yet the execute
  reply never came (the failure mode of ipykernel issue 1554);
- it does not answer: the kernel is **busy**, i.e. the cell is just slow.

Either way the notebook, the cell index and the kernel's last IOPub state are recorded
and the run goes on. The summary is printed and written, after every notebook, to
``benchmarks/results/stall-<ipykernel version>.json`` so a partial run is kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from queue import Empty
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from execute_notebooks import private_kernel  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
SESSION_NOTEBOOKS = tuple(sorted((ROOT / "notebooks").glob("0[0-4]_*.ipynb")))
PROBE_SECONDS = 10.0
KERNEL_PACKAGES = ("ipykernel", "jupyter_client", "pyzmq", "tornado", "ipython", "ipywidgets")


class ProbingClient(NotebookClient):
    """A NotebookClient that, on a cell timeout, asks whether the kernel is idle."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cell_index: int | None = None
        self.cell_msg_id: str | None = None
        self.cell_state = "none seen"  # the cell's last IOPub status: busy, idle
        self.probe: dict[str, Any] | None = None

    async def async_execute_cell(self, cell: Any, cell_index: int, *args: Any, **kw: Any) -> Any:
        self.cell_index, self.cell_msg_id, self.cell_state = cell_index, None, "none seen"
        return await super().async_execute_cell(cell, cell_index, *args, **kw)

    async def _async_poll_output_msg(self, parent_msg_id: str, cell: Any, index: int) -> None:
        self.cell_msg_id = parent_msg_id
        return await super()._async_poll_output_msg(parent_msg_id, cell, index)

    def process_message(self, msg: dict[str, Any], cell: Any, cell_index: int) -> Any:
        if msg["msg_type"] == "status":
            self.cell_state = msg["content"]["execution_state"]
        return super().process_message(msg, cell, cell_index)

    async def _async_handle_timeout(self, timeout: int, cell: Any = None) -> Any:
        self.probe = await self._probe()
        return await super()._async_handle_timeout(timeout, cell)

    async def _probe(self) -> dict[str, Any]:
        """Ask for kernel_info on the shell channel and note what comes back, in order."""
        assert self.kc is not None
        state = self.cell_state
        msg_id = self.kc.kernel_info()
        start = time.perf_counter()
        answered = reply_at = None
        while answered is None and time.perf_counter() - start < PROBE_SECONDS:
            try:
                msg = await ensure_async(self.kc.shell_channel.get_msg(timeout=0.5))
            except Empty:
                continue
            parent = msg["parent_header"].get("msg_id")
            if parent == msg_id:
                answered = round(time.perf_counter() - start, 3)
            elif parent == self.cell_msg_id:
                reply_at = round(time.perf_counter() - start, 3)
        return {
            # busy: the cell is still running; idle or none seen: nothing is running
            "iopub_state_at_timeout": state,
            "kernel_info_reply_after_seconds": answered,
            "execute_reply_after_seconds": reply_at,
        }


def kernel_versions(python: str) -> dict[str, str]:
    code = (
        "import importlib.metadata as m, json, sys\n"
        "out = {'python': sys.version.split()[0]}\n"
        f"for name in {KERNEL_PACKAGES!r}:\n"
        "    try: out[name] = m.version(name)\n"
        "    except m.PackageNotFoundError: out[name] = None\n"
        "print(json.dumps(out))"
    )
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def client_versions() -> dict[str, str]:
    from importlib.metadata import version

    return {name: version(name) for name in ("nbclient", "jupyter_client", "pyzmq", "tornado")}


def execute_once(path: Path, tmp: Path, timeout: int) -> dict[str, Any]:
    """Run one notebook on a fresh kernel and store; return what happened."""
    store = Path(tempfile.mkdtemp(prefix="store-", dir=tmp))
    os.environ["PARTNERSHIP_DATA_DIR"] = str(store)
    nb = nbformat.read(path, as_version=4)
    client = ProbingClient(
        nb,
        kernel_name="python3",
        timeout=timeout,
        record_timing=False,
        allow_errors=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    result: dict[str, Any] = {"notebook": path.name, "outcome": "ok"}
    try:
        client.execute()
    except CellTimeoutError:
        probe = client.probe or {}
        # A stall: the kernel is not running the cell (its last status for it is idle,
        # or it never started it) yet the execute reply did not come.
        stalled = probe.get("iopub_state_at_timeout") != "busy"
        result.update(outcome="stall" if stalled else "busy", cell=client.cell_index, **probe)
    except DeadKernelError as exc:
        result.update(outcome="error", error=f"kernel died: {exc}")
    except Exception as exc:
        result.update(outcome="error", error=f"{type(exc).__name__}: {str(exc)[-500:]}")
    result["seconds"] = round(time.perf_counter() - start, 2)
    return result


def summarise(
    results: list[dict[str, Any]], meta: dict[str, Any], started: float
) -> dict[str, Any]:
    by_nb: dict[str, list[float]] = {}
    for r in results:
        if r["outcome"] == "ok":
            by_nb.setdefault(r["notebook"], []).append(r["seconds"])
    return {
        **meta,
        "runs": len(results),
        "complete": len(results) >= meta["runs_planned"],
        "stalls": sum(r["outcome"] == "stall" for r in results),
        "busy_timeouts": sum(r["outcome"] == "busy" for r in results),
        "errors": sum(r["outcome"] == "error" for r in results),
        "where": [r for r in results if r["outcome"] != "ok"],
        "median_seconds_per_notebook": {k: statistics.median(v) for k, v in by_nb.items()},
        "duration_seconds": round(time.perf_counter() - started, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="notebook executions in all")
    parser.add_argument("--python", default=sys.executable, help="the kernel's interpreter")
    parser.add_argument("--timeout", type=int, default=60, help="seconds per cell (<= 60)")
    parser.add_argument("--out", type=Path, help="JSON file (default: by ipykernel version)")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks 00-04")
    args = parser.parse_args(argv)
    if not 0 < args.timeout <= 60:
        parser.error("--timeout must be between 1 and 60 seconds")
    notebooks = args.notebooks or list(SESSION_NOTEBOOKS)
    # absolute, but not resolved: a venv's python is a symlink that must stay the venv's
    found = shutil.which(args.python)
    if found is None:
        parser.error(f"--python: no interpreter at {args.python}")
    args.python = os.path.abspath(found)
    kernel = kernel_versions(args.python)
    out = args.out or RESULTS / f"stall-{kernel['ipykernel']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "runs_planned": args.runs,
        "cell_timeout": args.timeout,
        "notebooks": [nb.name for nb in notebooks],
        "kernel_python": args.python,
        "kernel_versions": kernel,
        "client_versions": client_versions(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
    }
    print(f"{args.runs} executions of {len(notebooks)} notebooks, ipykernel {kernel['ipykernel']}")
    results: list[dict[str, Any]] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="partnership-stall-") as tmp:
        tmp_path = Path(tmp)
        private_kernel(tmp_path / "jupyter-data", python=args.python)
        os.environ["JUPYTER_DATA_DIR"] = str(tmp_path / "jupyter-data")
        os.environ["MPLCONFIGDIR"] = str(tmp_path / "mpl")
        for i in range(args.runs):
            r = execute_once(notebooks[i % len(notebooks)], tmp_path, args.timeout)
            results.append(r)
            flag = "" if r["outcome"] == "ok" else f"  <-- {r['outcome'].upper()} {r}"
            print(f"[{i + 1:3d}/{args.runs}] {r['notebook']:<38} {r['seconds']:6.1f} s{flag}")
            summary = summarise(results, meta, started)
            out.write_text(json.dumps(summary, indent=2) + "\n")
            sys.stdout.flush()
    summary = summarise(results, meta, started)
    out.write_text(json.dumps(summary, indent=2) + "\n")
    print(
        f"\nipykernel {kernel['ipykernel']}: {summary['runs']} executions, "
        f"{summary['stalls']} stalls, {summary['busy_timeouts']} busy timeouts, "
        f"{summary['errors']} errors in {summary['duration_seconds'] / 60:.1f} min -> {out}"
    )
    for r in summary["where"]:
        print(f"  {r['outcome']}: {r['notebook']} cell {r.get('cell')} {r.get('error', '')}")
    return 0 if summary["stalls"] == summary["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
