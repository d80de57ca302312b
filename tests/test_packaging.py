"""The conda route and the pip route install the same things, and the Makefile sets both up."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]

# conda-forge package names that differ from their PyPI names
CONDA_TO_PYPI: dict[str, str] = {}
CONDA_ONLY = {"python", "pip", "nodejs"}  # nodejs: npm for axe-core, configurable-http-proxy


def _pip_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"])
    for extra in ("test", "present", "hub"):
        reqs += project["optional-dependencies"][extra]
    out: dict[str, str] = {}
    for line in reqs:
        req = Requirement(line)
        out[req.name.lower()] = str(req.specifier)
    return out


def _conda_requirements() -> tuple[dict[str, str], list[str]]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda: dict[str, str] = {}
    pip_lines: list[str] = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_lines += dep["pip"]
            continue
        req = Requirement(dep.replace(" ", ""))
        name = CONDA_TO_PYPI.get(req.name.lower(), req.name.lower())
        if name not in CONDA_ONLY:
            conda[name] = str(req.specifier)
    return conda, pip_lines


def test_conda_and_pip_install_the_same_packages():
    pip = _pip_requirements()
    conda, _ = _conda_requirements()
    missing_in_conda = sorted(set(pip) - set(conda))
    missing_in_pip = sorted(set(conda) - set(pip))
    assert not missing_in_conda, f"environment.yml lacks: {missing_in_conda}"
    assert not missing_in_pip, f"pyproject.toml lacks: {missing_in_pip}"
    differing = {n: (pip[n], conda[n]) for n in pip if pip[n] != conda[n]}
    assert not differing, f"version ranges differ (pip, conda): {differing}"


def test_environment_ends_by_installing_the_project_with_its_extras():
    _, pip_lines = _conda_requirements()
    assert pip_lines == ["-e .[test,present,hub]"]


def test_python_floor_matches():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert project["requires-python"] == ">=3.11"
    assert "python>=3.11" in env["dependencies"]


def test_makefile_targets_and_readme_commands():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("lab:", "test:", "notebooks:", "present:", "hub:"):
        assert f"\n{target}" in makefile, target
    # strict nbval: outputs compared, cells time out rather than hang
    assert "--nbval " in makefile and "--nbval-lax" not in makefile
    assert "--nbval-cell-timeout=60" in makefile
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make lab" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci and "apt-get install" in ci and "chromium" in ci
