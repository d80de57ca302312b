"""A separate process that writes to an answer store, for the kill and concurrency tests.

Every line it prints is one JSON object, flushed at once, and is printed only AFTER the
change it describes has been committed, so the test can treat each line as an
acknowledgement.

Usage::

    python store_worker.py loop DB RUN_ID SEED
        Print {"ready": true} once the store is open, then save, reset and restore answers
        for ever (until killed), printing {"key", "rev", "action", "value"} after each one.
    python store_worker.py writer DB WRITER_ID COUNT
        Print {"ready": true}, wait for a line on stdin, then save COUNT values to a shared
        key and to a key of its own, pausing up to 2 ms after each pair; finally print
        {"done": COUNT}.
"""

from __future__ import annotations

import importlib.util
import json
import random
import sys
import time
from pathlib import Path


def _load_store_module():
    """Load partnership_lib/core/store.py on its own.

    The package's ``__init__`` imports the plotting stack (about a second of start-up), and
    this worker is started dozens of times; store.py needs nothing from the package.
    """
    package = importlib.util.find_spec("partnership_lib")  # finds it without importing it
    location = Path(next(iter(package.submodule_search_locations))) / "core" / "store.py"
    spec = importlib.util.spec_from_file_location("_partnership_store", location)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


AnswerStore = _load_store_module().AnswerStore

LOOP_KEYS = (
    "01_partnerships/purpose/why",
    "01_partnerships/purpose/who",
    "01_partnerships/stakeholders/table",
    "02_lifecycle/stage/notes",
    "02_lifecycle/stage/score",
)
SHARED_KEY = "03_mobius/map/shared"

HOSTILE = (
    "<script>alert('x')</script>",
    "مرحبا بالعالم",
    "emoji 🧑🏽‍🤝‍🧑🏻 and a NUL \x00 here",
    "=SUM(A1:A9)",
    "+44 1234",
    "-minus",
    "@mention",
    "line\r\nbreaks\n",
)


def _ack(record: dict) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=True) + "\n")
    sys.stdout.flush()


def loop_value(run: int, counter: int, rng: random.Random) -> object:
    """A unique value for save ``counter`` of ``run``, of a varying JSON shape."""
    tag = f"run {run} save {counter}"
    shape = counter % 5
    if shape == 0:
        return f"{tag}: {rng.choice(HOSTILE)}"
    if shape == 1:
        return [tag, counter, counter / 7, True, None]
    if shape == 2:
        return [
            {"name": f"{tag} {rng.choice(HOSTILE)}", "power": rng.randint(0, 10), "interest": 4.5}
        ]
    if shape == 3:
        return {"tag": tag, "notes": rng.choice(HOSTILE) * rng.randint(1, 400)}
    return f"{tag} " + "x" * rng.randint(0, 20_000)


def run_loop(db: str, run: int, seed: int) -> None:
    rng = random.Random(seed)
    with AnswerStore(db) as store:
        _ack({"ready": True, "mode": store.status.mode})
        counter = 0
        while True:
            key = rng.choice(LOOP_KEYS)
            roll = rng.random()
            history = store.history(key) if roll < 0.1 else []
            if roll < 0.05 and history:
                rev = store.reset(key)
                if rev is None or rev.action != "reset":
                    continue  # nothing new recorded, so nothing to acknowledge
            elif roll < 0.1 and history:
                store.restore(key, rng.randint(1, len(history)))
                rev = store.history(key)[-1]
            else:
                counter += 1
                rev = store.save(key, loop_value(run, counter, rng))
            _ack({"key": key, "rev": rev.revision, "action": rev.action, "value": rev.value})


def run_writer(db: str, writer: int, count: int) -> None:
    own_key = f"03_mobius/map/writer{writer}"
    rng = random.Random(writer)
    with AnswerStore(db) as store:
        _ack({"ready": True, "mode": store.status.mode})
        sys.stdin.readline()
        for n in range(count):
            store.save(SHARED_KEY, {"writer": writer, "n": n})
            store.save(own_key, {"writer": writer, "n": n})
            # A kernel pauses between saves; without a pause one process could take the
            # lock back every time and the two would merely run one after the other.
            time.sleep(rng.uniform(0, 0.002))
        _ack({"done": count})


if __name__ == "__main__":
    command, db_path, first, second = sys.argv[1:5]
    if command == "loop":
        run_loop(db_path, int(first), int(second))
    elif command == "writer":
        run_writer(db_path, int(first), int(second))
    else:
        raise SystemExit(f"unknown command {command!r}")
