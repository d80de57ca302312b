"""Fault tests for the answer store, with real processes.

- A worker saving in a loop is killed with SIGKILL at random moments, over and over; after
  every kill the file must open cleanly and hold every save the worker acknowledged.
- Two processes save to the same file at once; no update may be lost.

Set STORE_FAULT_SEED to replay a failing run (the seed is in every failure message).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from partnership_lib.core.store import DB_FILENAME, AnswerStore

WORKER = Path(__file__).with_name("store_worker.py")
KILLS_WHILE_SAVING = 56
KILLS_DURING_START = 8
pytestmark = pytest.mark.skipif(
    not hasattr(signal, "SIGKILL"), reason="SIGKILL exists only on POSIX systems"
)


def _spawn(*args: str, stdin: int | None = subprocess.DEVNULL) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


class _Acks:
    """Collect the worker's complete output lines as they arrive (a killed worker may leave a
    half-written last line, which is no acknowledgement)."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.lines: list[dict] = []
        self.ready = threading.Event()
        self._thread = threading.Thread(target=self._pump, args=(proc,), daemon=True)
        self._thread.start()

    def _pump(self, proc: subprocess.Popen) -> None:
        for raw in proc.stdout:
            if not raw.endswith(b"\n"):
                break
            record = json.loads(raw)
            if record.get("ready"):
                self.ready.set()
            else:
                self.lines.append(record)

    def join(self) -> None:
        self._thread.join(timeout=30)


def _verify(db: Path, acked: dict[tuple[str, int], dict], context: str) -> None:
    with AnswerStore(db) as store:
        assert store.status.ok, f"{context}: {store.status.message}"
        assert store.integrity_check() == "ok", context
        by_key: dict[str, list[int]] = {}
        for key, revision in acked:
            by_key.setdefault(key, []).append(revision)
        for key, revisions in by_key.items():
            history = store.history(key)
            numbers = [rev.revision for rev in history]
            assert numbers == list(range(1, len(history) + 1)), f"{context}: gap in {key}"
            for number in revisions:
                assert number <= len(history), f"{context}: {key} lost revision {number}"
                rev = history[number - 1]
                expected = acked[key, number]
                assert (rev.action, rev.value) == (expected["action"], expected["value"]), (
                    f"{context}: {key} revision {number} differs from what was acknowledged"
                )
            current = history[-1].value
            assert store.get(key, default=None) == current, context
    raw = sqlite3.connect(db)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)], context
    finally:
        raw.close()


@pytest.mark.slow
def test_sigkill_never_loses_an_acknowledged_save(tmp_path):
    seed = int(os.environ.get("STORE_FAULT_SEED", random.randrange(2**32)))
    rng = random.Random(seed)
    db = tmp_path / "data" / DB_FILENAME
    acked: dict[tuple[str, int], dict] = {}
    runs = ["start"] * KILLS_DURING_START + ["saving"] * KILLS_WHILE_SAVING
    rng.shuffle(runs)
    killed_after_saves = 0
    started = time.monotonic()
    for run, moment in enumerate(runs):
        context = f"seed {seed}, run {run} ({moment})"
        proc = _spawn("loop", str(db), str(run), str(rng.randrange(2**32)))
        acks = _Acks(proc)
        try:
            if moment == "start":
                time.sleep(rng.uniform(0.0, 0.15))  # anywhere in start-up, open or schema
            else:
                if not acks.ready.wait(timeout=30):
                    proc.kill()
                    pytest.fail(f"{context}: worker never became ready: {proc.stderr.read()!r}")
                time.sleep(rng.uniform(0.02, 0.2))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            acks.join()
        stderr = proc.stderr.read().decode(errors="replace")
        proc.stdout.close()
        proc.stderr.close()
        assert proc.returncode == -signal.SIGKILL, f"{context}: worker failed first: {stderr}"
        for record in acks.lines:
            acked[record["key"], record["rev"]] = record
        if moment == "saving" and acks.lines:
            killed_after_saves += 1
        _verify(db, acked, context)
    elapsed = time.monotonic() - started
    assert killed_after_saves >= 50, f"seed {seed}: only {killed_after_saves} kills hit saves"
    assert len(acked) > 500, f"seed {seed}: only {len(acked)} saves were acknowledged"
    assert elapsed < 120, f"the kill test took {elapsed:.0f} s"


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_no_update(tmp_path):
    db = tmp_path / "data" / DB_FILENAME
    count = 200
    writers = [_spawn("writer", str(db), str(w), str(count), stdin=subprocess.PIPE) for w in (0, 1)]
    try:
        for proc in writers:
            assert json.loads(proc.stdout.readline()) == {"ready": True, "mode": "disk"}
        for proc in writers:  # start both together
            proc.stdin.write(b"go\n")
            proc.stdin.flush()
        for proc in writers:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err.decode(errors="replace")
            assert json.loads(out) == {"done": count}
    finally:
        for proc in writers:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()

    with AnswerStore(db) as store:
        shared = store.history("03_mobius/map/shared")
        assert [rev.revision for rev in shared] == list(range(1, 2 * count + 1))
        for writer in (0, 1):
            mine = [rev.value["n"] for rev in shared if rev.value["writer"] == writer]
            assert mine == list(range(count)), f"writer {writer} lost or reordered updates"
            own = store.history(f"03_mobius/map/writer{writer}")
            assert [rev.value for rev in own] == [{"writer": writer, "n": n} for n in range(count)]
        final = store.get("03_mobius/map/shared")
        assert final in ({"writer": 0, "n": count - 1}, {"writer": 1, "n": count - 1})
        assert final == shared[-1].value
        # The writers really overlapped: each saved between the other's first and last save.
        positions = {
            w: [i for i, rev in enumerate(shared) if rev.value["writer"] == w] for w in (0, 1)
        }
        assert positions[0][0] < positions[1][-1] and positions[1][0] < positions[0][-1]
        assert store.integrity_check() == "ok"
