"""``make present``'s Voilà settings (``deploy/voila/voila.py``) and how they reach Voilà.

What the settings do to a running server is checked in headless Chromium by
``tests/browser/test_present_culling.py``; this checks the file and the Makefile.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from traitlets.config.loader import PyFileConfigLoader

ROOT = Path(__file__).resolve().parents[1]
CONFIG_DIR = ROOT / "deploy" / "voila"


@pytest.fixture(scope="module")
def settings():
    return PyFileConfigLoader("voila.py", path=str(CONFIG_DIR)).load_config()


def test_idle_kernels_without_a_page_are_culled_and_connected_or_busy_ones_never(settings):
    kernels = settings.MappingKernelManager
    # Longer than a network blip or a lid closed for a minute, shorter than a session.
    assert 5 * 60 <= kernels.cull_idle_timeout <= 60 * 60
    assert 0 < kernels.cull_interval <= kernels.cull_idle_timeout / 5
    assert kernels.cull_connected is False  # the board, open all day, keeps its kernel
    assert kernels.cull_busy is False
    # Pooled kernels are never culled and do not see the page's ?projector=1.
    assert settings.VoilaConfiguration.preheat_kernel is False


def test_the_prelaunch_hook_sets_the_xsrf_cookie_and_leaves_the_notebook(settings):
    class Handler:
        reads = 0

        @property
        def xsrf_token(self) -> bytes:  # tornado sets the _xsrf cookie on first read
            self.reads += 1
            return b"token"

    handler = Handler()
    hook = settings.VoilaConfiguration.prelaunch_hook
    assert hook(handler, notebook={"cells": []}, cwd="notebooks") is None
    assert handler.reads == 1


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_present_reads_only_this_config_and_lets_the_command_line_override_it():
    out = subprocess.run(
        ["make", "-n", "present", "PORT=9123", "VOILA_ARGS=--MappingKernelManager.cull_interval=5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = [line for line in out.splitlines() if "/voila " in line]
    assert len(lines) == 1, out
    argv = shlex.split(lines[0])
    assert "--port=9123" in argv
    assert argv[-1] == "notebooks"
    paths = [a for a in argv if a.startswith("--Voila.config_file_paths=")]
    assert paths == ["--Voila.config_file_paths=deploy/voila"]
    assert (ROOT / paths[0].split("=", 1)[1] / "voila.py").is_file()
    # VOILA_ARGS lands on the command line, which wins over any config file (traitlets).
    assert argv[-2] == "--MappingKernelManager.cull_interval=5"
