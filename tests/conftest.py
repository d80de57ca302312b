"""Shared fixtures: headless matplotlib, a clean style, and no figure left open."""

from __future__ import annotations

import os
import shutil

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from _helpers import DATA

from partnership_lib.core import content, style


@pytest.fixture(autouse=True)
def _clean_matplotlib():
    """Every test starts in the workbook style and leaves no figure behind."""
    with style.style_context("workbook"):
        yield
    plt.close("all")


@pytest.fixture(autouse=True)
def _close_widgets():
    """Close every widget a test made, as a kernel would when its outputs go.

    Live charts follow projector mode for as long as their widget is open; without this,
    each later test that switches style would redraw every earlier test's charts.
    """
    yield
    import ipywidgets

    ipywidgets.Widget.close_all()


@pytest.fixture
def content_copy(tmp_path, monkeypatch):
    """A writable copy of data/ that content loading points at."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    monkeypatch.setenv(content.CONTENT_DIR_ENV, str(target))
    content.clear_cache()
    return target


@pytest.fixture
def store(tmp_path):
    """A fresh, empty answer store for one test."""
    from partnership_lib.core.store import AnswerStore

    with AnswerStore(tmp_path / "answers.sqlite3") as s:
        yield s


@pytest.fixture
def no_display(monkeypatch):
    """Fail the test if a widget builder calls IPython's display() (only notebooks may)."""
    import IPython.display

    def _refuse(*args, **kwargs):
        raise AssertionError("a builder called display()")

    monkeypatch.setattr(IPython.display, "display", _refuse)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the ``slow`` tests first, each already taking a minute or more.

    With pytest-xdist (``make unit``, ``make browser``) the first tests go to the first
    worker and the others take theirs as they free up, so a long test started first
    overlaps with all the short ones instead of running alone at the end.
    """
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
