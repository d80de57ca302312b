"""A room on one JupyterHub: logging in, memory per learner, and sending to the board.

Uses the hub test's harness (``tests/hub/harness.py``): the one-machine deployment
(``deploy/jupyterhub/jupyterhub_config.py``) on loopback, with real Unix accounts and
real JupyterLab servers. Needs root; without it the rows come back as skipped.

For a room of 10 and then a fresh hub with a room of 30:

- **Login to a usable notebook.** Every learner at once: the login form, an API token,
  the server's spawn, then notebook ``00`` opened as a session (its kernel started) and
  its first code cell run (the session header). Median and max over the learners; the
  baseline is one person doing the same alone on the same hub just before (the
  facilitator), so the ratio is what a full room costs each learner. Target: median
  under 60 s.
- **Send to the board.** Every learner calls ``send_to_room`` at once while the
  facilitator's kernel scans the room (a ``RoomScanner``, as the board uses) every
  0.1 s; the time from a learner starting to send to the facilitator's scan first
  holding their file. The baseline is one learner sending alone first. The board's
  live mode scans every 5 s by default, which adds up to that. Target: under 2 s.
- **Memory.** Resident memory (RSS) of each learner's server process and of their
  kernel after the first cell, once the whole room of 30 is in; one kernel after every
  cell of notebook 04 (the session with the most charts); and, for sizing, the
  proportional share (PSS) of all of a learner's processes, which sums correctly.

Run alone: ``python benchmarks/bench_hub.py [--quick]`` (``--quick``: rooms of 2 and 3).
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import Row, make_row, run_alone

ROOT = Path(__file__).resolve().parents[1]
HARNESS = ROOT / "tests" / "hub" / "harness.py"
LOGIN_TARGET = 60.0
SEND_TARGET = 2.0
SERVER_RSS_TARGET_MB = 250.0
NOTEBOOK = "00_partnership_scenario.ipynb"
FULL_NOTEBOOK = "04_feedback_and_reflection.ipynb"


def harness() -> ModuleType:
    """The hub test's harness, loaded from its file (tests/ is not a package)."""
    spec = importlib.util.spec_from_file_location("_partnership_hub_harness", HARNESS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def sizes(quick: bool) -> tuple[int, int]:
    return (2, 3) if quick else (10, 30)


def row_names(quick: bool = False) -> list[str]:
    names = []
    for n in sizes(quick):
        names += [f"Hub: login to usable notebook, {n} at once", f"Hub: send to board, {n} at once"]
    return [*names, "Hub: a learner's server RSS", "Hub: a learner's kernel RSS"]


def skipped(reason: str, quick: bool = False) -> list[Row]:
    targets = [f"< {LOGIN_TARGET:.0f} s", f"< {SEND_TARGET:.0f} s"] * 2
    targets += [f"< {SERVER_RSS_TARGET_MB:.0f} MB", "–"]
    return [
        Row(name, 0.0, 0.0, 0.0, 0, "", None, None, target, f"skipped: {reason}")
        for name, target in zip(row_names(quick), targets, strict=True)
    ]


def code_cells(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def first_code_cell(notebook: Path) -> str:
    return code_cells(notebook)[0]


# --------------------------------------------------------------------------- measuring


def login_to_usable(h: ModuleType, client: Any, password: str, code: str) -> tuple[float, Any]:
    """Seconds from the login form to the first cell of notebook 00 run; and its kernel."""
    start = time.perf_counter()
    client.login(password)
    client.create_token()
    client.request_spawn()
    client.wait_ready()
    kernel = client.kernel(NOTEBOOK)
    kernel.execute(code)
    return time.perf_counter() - start, kernel


WATCH_CODE = """
import os, threading, time
from partnership_lib import AnswerKey
from partnership_lib.room import RoomScanner
from partnership_lib.documents.room_drop import identify_owner
_scanner = RoomScanner(os.environ["PARTNERSHIP_ROOM_DIR"])
_seen, _stop = {}, threading.Event()
_notes = AnswerKey("04_feedback_and_reflection", "evaluation", "notes")
def _watch():
    while not _stop.is_set():
        for f in _scanner.scan().learners:
            key = (identify_owner(f.path), f.answers[_notes][0]["text"])
            _seen.setdefault(key, time.time())
        time.sleep(0.1)
_watcher = threading.Thread(target=_watch, daemon=True)
_watcher.start()
print("watching")
"""

SEEN_CODE = """
import json
_stop.set(); _watcher.join()
print(json.dumps([[owner, text, at] for (owner, text), at in _seen.items()]))
"""

SEND_CODE = """
import json, os, time
from partnership_lib import AnswerKey, default_store
from partnership_lib.documents.room_drop import send_to_room
store = default_store()
store.save(AnswerKey("04_feedback_and_reflection", "evaluation", "notes"),
           [{{"id": 1, "colour": "pink", "text": "round {round}"}}])
t0 = time.time()
send_to_room(os.environ["PARTNERSHIP_ROOM_DIR"])
print(json.dumps(t0))
"""


def send_latencies(facilitator_kernel: Any, kernels: dict[str, Any], round_: int) -> list[float]:
    """Every learner in ``kernels`` sends at once; seconds until the facilitator saw each."""
    text = f"round {round_}"
    facilitator_kernel.execute(WATCH_CODE)
    try:
        with ThreadPoolExecutor(len(kernels)) as pool:
            sent = dict(
                zip(
                    kernels,
                    pool.map(lambda k: k.json(SEND_CODE.format(round=round_)), kernels.values()),
                    strict=True,
                )
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            time.sleep(0.5)
            count = facilitator_kernel.execute(f"print(sum(k[1] == {text!r} for k in _seen))")
            if int(count.strip()) >= len(sent):
                break
    finally:
        seen = facilitator_kernel.json(SEEN_CODE)
    at = {owner: t for owner, shown, t in seen if shown == text}
    missing = sorted(set(sent) - set(at))
    if missing:
        raise RuntimeError(f"the facilitator never saw {missing}'s {text}")
    return [at[name] - t0 for name, t0 in sent.items()]


def memory_mb(h: ModuleType, uid: int) -> tuple[float | None, float | None, float]:
    """RSS in MB of the user's server and of their (largest) kernel; PSS of all their processes.

    PSS shares each shared page among the processes using it, so summed over learners it
    is what the room really takes; RSS counts shared libraries in every process.
    """
    server = kernel = None
    pss = 0.0
    for proc in h.processes_of([uid]):
        try:
            cmd = " ".join(proc.cmdline())
            info = proc.memory_full_info()
        except Exception:
            continue
        rss = info.rss / 2**20
        pss += getattr(info, "pss", info.rss) / 2**20
        if "jupyterhub.singleuser" in cmd or "jupyterhub-singleuser" in cmd:
            server = max(server or 0.0, rss)
        elif "ipykernel_launcher" in cmd:
            kernel = max(kernel or 0.0, rss)
    return server, kernel, pss


# --------------------------------------------------------------------------- one room


def room(h: ModuleType, n: int) -> dict[str, Any]:
    """One fresh hub with ``n`` learners: every measurement for that room size."""
    code = first_code_cell(ROOT / "notebooks" / NOTEBOOK)
    out: dict[str, Any] = {}
    kernels: dict[str, Any] = {}
    with h.cohort(n) as cohort:
        try:
            fac = h.HubClient(cohort.hub, cohort.facilitator)
            alone, fac_kernel = login_to_usable(h, fac, cohort.facilitator_password, code)
            kernels[cohort.facilitator] = fac_kernel
            clients = {name: h.HubClient(cohort.hub, name) for name in cohort.learners}
            with ThreadPoolExecutor(n) as pool:
                results = dict(
                    zip(
                        clients,
                        pool.map(
                            lambda c: login_to_usable(h, c, cohort.password, code),
                            clients.values(),
                        ),
                        strict=True,
                    )
                )
            kernels.update({name: k for name, (_, k) in results.items()})
            out["login"] = [t for t, _ in results.values()]
            out["login_alone"] = [alone]
            time.sleep(2)  # let the servers settle before reading their memory
            import pwd

            mem = [memory_mb(h, pwd.getpwnam(name).pw_uid) for name in cohort.learners]
            out["server_rss"] = [s for s, _, _ in mem if s is not None]
            out["kernel_rss"] = [k for _, k, _ in mem if k is not None]
            out["pss"] = [p for _, _, p in mem]
            learners = {name: kernels[name] for name in cohort.learners}
            first = cohort.learners[0]
            out["send_alone"] = send_latencies(fac_kernel, {first: learners[first]}, 1)
            out["send"] = send_latencies(fac_kernel, learners, 2)
            # the heaviest session: every cell of notebook 04 (its charts) in a new kernel
            full = clients[first].kernel(FULL_NOTEBOOK)
            kernels["full"] = full
            for cell in code_cells(ROOT / "notebooks" / FULL_NOTEBOOK):
                full.execute(cell)
            _, out["full_kernel_rss"], _ = memory_mb(h, pwd.getpwnam(first).pw_uid)
        finally:
            for kernel in kernels.values():
                kernel.close()
    return out


def rows(quick: bool = False) -> list[Row]:
    try:
        h = harness()
    except (OSError, ImportError) as exc:
        return skipped(f"hub harness unavailable ({exc})", quick)
    reason = h.unavailable_reason()
    if reason is not None:
        return skipped(reason, quick)
    out: list[Row] = []
    measured: dict[int, dict[str, Any]] = {}
    for n in sizes(quick):
        measured[n] = m = room(h, n)
        per = statistics.median(m["pss"])
        out.append(
            make_row(
                f"Hub: login to usable notebook, {n} at once",
                m["login"],
                baseline="one person alone",
                baseline_times=m["login_alone"],
                target=f"< {LOGIN_TARGET:.0f} s",
                note=f"max {max(m['login']):.1f} s; login form, token, spawn, notebook 00's "
                f"kernel and first cell; each learner's processes take {per:.0f} MB (PSS)",
            )
        )
        out.append(
            make_row(
                f"Hub: send to board, {n} at once",
                m["send"],
                baseline="one learner alone",
                baseline_times=m["send_alone"],
                target=f"< {SEND_TARGET:.0f} s",
                note=f"max {max(m['send']):.2f} s; send_to_room until the facilitator's "
                "scan (every 0.1 s) holds it; the board's live mode adds up to its interval",
            )
        )
    big = measured[max(measured)]
    server = big["server_rss"]
    out.append(
        make_row(
            "Hub: a learner's server RSS",
            server,
            target=f"< {SERVER_RSS_TARGET_MB:.0f} MB",
            unit="MB",
            met=statistics.median(server) < SERVER_RSS_TARGET_MB,
            note=f"jupyterhub-singleuser with JupyterLab, room of {max(measured)}",
        )
    )
    out.append(
        make_row(
            "Hub: a learner's kernel RSS",
            big["kernel_rss"],
            unit="MB",
            note="after notebook 00's first cell (imports and the session header); "
            f"after every cell of notebook 04: {big['full_kernel_rss']:.0f} MB",
        )
    )
    return out


def main(argv: list[str] | None = None) -> int:
    return run_alone(rows, __doc__, argv)


if __name__ == "__main__":
    raise SystemExit(main())
