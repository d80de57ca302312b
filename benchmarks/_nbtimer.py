"""A pytest plugin for bench_notebooks: wall time per notebook file under nbval.

Each file's time runs from the start of its first cell's test (the kernel starts in
its setup) to the end of its last one (the kernel stops in its teardown). Written as
JSON ``{"seconds": {file name: seconds}, "failed": {file name: failed cells}}`` to
the path in ``PARTNERSHIP_NBTIMER_OUT``.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

_first: dict[str, float] = {}
_last: dict[str, float] = {}
_failed: dict[str, int] = {}


def _file(location: tuple) -> str:
    # the location's path, not the node id: a file outside the rootdir has no path there
    return Path(location[0]).name


def pytest_runtest_logstart(nodeid, location):
    _first.setdefault(_file(location), time.perf_counter())


def pytest_runtest_logfinish(nodeid, location):
    _last[_file(location)] = time.perf_counter()


def pytest_runtest_logreport(report):
    if report.failed:
        name = _file(report.location)
        _failed[name] = _failed.get(name, 0) + 1


def pytest_sessionfinish(session, exitstatus):
    out = os.environ.get("PARTNERSHIP_NBTIMER_OUT")
    if out:
        times = {name: _last[name] - start for name, start in _first.items() if name in _last}
        Path(out).write_text(json.dumps({"seconds": times, "failed": _failed}))
