"""The pre-commit hooks run, as pre-commit runs them, and pass on the repository.

pre-commit itself is optional (``make lint`` runs the same checks), so these tests run
each local hook's entry the way pre-commit does: split like a shell command, then the
staged file names appended unless ``pass_filenames`` is false.
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
HOOKS = {hook["id"]: hook for repo in CONFIG["repos"] for hook in repo["hooks"]}


def run_hook(hook_id: str, files: list[str]) -> subprocess.CompletedProcess[str]:
    hook = HOOKS[hook_id]
    args = [] if hook.get("pass_filenames", True) is False else files
    return subprocess.run(
        [*shlex.split(hook["entry"]), *args], cwd=REPO, capture_output=True, text=True
    )


def test_the_hooks_are_ruff_the_layer_check_and_the_content_record():
    assert set(HOOKS) == {"ruff-check", "ruff-format", "lint-imports", "content-record"}
    assert all(repo["repo"] == "local" for repo in CONFIG["repos"])
    assert all(hook["language"] == "system" for hook in HOOKS.values())


@pytest.mark.parametrize("hook_id", sorted(HOOKS))
def test_each_hook_passes_on_the_repository(hook_id):
    done = run_hook(hook_id, ["partnership_lib/core/content.py", "tests/test_content.py"])
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("hook_id", "source", "message"),
    [
        ("ruff-check", "import os\n", "F401"),
        ("ruff-format", "x = [1,2]\n", "would be reformatted"),
    ],
)
def test_ruff_hooks_fail_on_a_bad_file(tmp_path, hook_id, source, message):
    bad = tmp_path / "bad.py"
    bad.write_text(source, encoding="utf-8")
    done = run_hook(hook_id, [str(bad)])
    assert done.returncode == 1
    assert message in done.stdout + done.stderr
