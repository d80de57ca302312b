"""Shared fixtures: headless matplotlib, a clean style, and no figure left open."""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from partnership_lib import content, style


@pytest.fixture(autouse=True)
def _clean_matplotlib():
    """Every test starts in the workbook style and leaves no figure behind."""
    with style.style_context("workbook"):
        yield
    plt.close("all")


@pytest.fixture(autouse=True)
def _fresh_content_cache():
    content.clear_cache()
    yield
    content.clear_cache()
