"""Helpers shared by the plot and content test modules.

Import them with ``from _helpers import ...`` (pytest puts ``tests/`` on the import path).
The ``content_copy`` fixture lives in ``conftest.py``.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest
import yaml
from matplotlib.axis import Axis
from matplotlib.testing.compare import compare_images
from matplotlib.text import Text
from PIL import Image

DATA = Path(__file__).resolve().parents[1] / "data"
BASELINES = Path(__file__).resolve().parent / "baseline_images"

#: Where the source workbook may be: $PARTNERSHIP_WORKBOOK, beside this checkout
#: (../shared/workbook/), or the workplace's shared folder that CI machines carry.
_WORKBOOK_NAME = "collaborative-working-workbook.md"
WORKBOOK_CANDIDATES = tuple(
    Path(p)
    for p in (
        os.environ.get("PARTNERSHIP_WORKBOOK", ""),
        Path(__file__).resolve().parents[2] / "shared" / "workbook" / _WORKBOOK_NAME,
        Path("/work/shared/workbook") / _WORKBOOK_NAME,
    )
    if str(p)
)
#: The workbook the content is checked against, or None where it is not on this machine
#: (it is not part of this repository: the checks that quote it skip, saying so).
WORKBOOK = next((p for p in WORKBOOK_CANDIDATES if p.is_file()), None)
WORKBOOK_MISSING = (
    "the source workbook is not on this machine (looked for "
    + ", ".join(str(p) for p in WORKBOOK_CANDIDATES)
    + "; set PARTNERSHIP_WORKBOOK)"
)


def by_gid(ax, gid):
    """The one artist in ``ax`` whose gid is exactly ``gid``."""
    found = [a for a in ax.findobj() if a.get_gid() == gid]
    assert len(found) == 1, f"expected one artist with gid {gid!r}, found {len(found)}"
    return found[0]


def gids(ax, prefix):
    """The sorted gids in ``ax`` that start with ``prefix``."""
    return sorted(a.get_gid() for a in ax.findobj() if (a.get_gid() or "").startswith(prefix))


def visible_texts(fig):
    """Every Text the figure actually renders (skipping hidden artists and axes turned off)."""
    fig.canvas.draw()
    found = []

    def walk(artist):
        if not artist.get_visible():
            return
        if isinstance(artist, Axis) and not artist.axes.axison:
            return
        if isinstance(artist, Text) and artist.get_text().strip():
            found.append(artist)
        for child in artist.get_children():
            walk(child)

    walk(fig)
    return found


def compare_with_baseline(fig, name, tmp_path, tol=3):
    """Compare with tests/baseline_images/<name>.png; PARTNERSHIP_REGENERATE_BASELINES=1 rewrites."""
    expected = BASELINES / f"{name}.png"
    if os.environ.get("PARTNERSHIP_REGENERATE_BASELINES"):
        BASELINES.mkdir(exist_ok=True)
        fig.savefig(expected)
        pytest.skip(f"regenerated {expected.name}")
    assert expected.exists(), f"missing baseline {expected}; regenerate it"
    actual = tmp_path / f"{name}.png"
    fig.savefig(actual)
    result = compare_images(str(expected), str(actual), tol=tol)
    assert result is None, result


def pixels(png):
    """A PNG's pixels as an (height, width, 4) array of ints (RGBA)."""
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")).astype(int)


def same_picture(live, png, tol=2):
    """``png`` matches a full redraw of the live figure as it stands now.

    ``live`` is a :class:`~partnership_lib.charts.live.LiveFigure` (a LiveChart's ``engine``).
    Antialiased pixels at a repainted rectangle's edge may differ by ``tol`` levels of 255.
    """
    diff = np.abs(pixels(png) - pixels(live.reference_png()))
    assert diff.max() <= tol, f"{int((diff.max(axis=2) > tol).sum())} pixels differ"


def edit_yaml(path, change):
    """Load the YAML file at ``path``, let ``change(data)`` alter it, and write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def walk(widget):
    """Every widget in a widget tree, depth first."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def html_values(widget):
    """The value of every HTML widget in a tree."""
    import ipywidgets as widgets

    return [w.value for w in walk(widget) if isinstance(w, widgets.HTML)]


def button(widget, description):
    """The one Button in a tree with this description."""
    import ipywidgets as widgets

    (found,) = [
        w for w in walk(widget) if isinstance(w, widgets.Button) and w.description == description
    ]
    return found
