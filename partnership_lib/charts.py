"""Charts as notebook outputs: a PNG with its text alternative, in one object.

:func:`render_chart` draws any ``plot_*`` function of the library on a fresh figure,
renders it to PNG, closes the figure and pairs the picture with the text from the
matching ``describe_*`` function. The resulting :class:`Chart` shows itself in
JupyterLab and Voila as an ``<img>`` with alt text and a "Text description" that
anyone can open, and as the description alone where only plain text is shown.
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib
import inspect
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt

from . import style

__all__ = ["Chart", "chart_html", "figure_png", "render_chart"]


@dataclass(frozen=True, slots=True)
class Chart:
    """A rendered chart: PNG bytes, pixel size and the text alternative."""

    png: bytes
    alt: str
    width: int
    height: int

    def __post_init__(self) -> None:
        if not self.alt.strip():
            raise ValueError("a chart needs a text alternative; got an empty description")

    @property
    def html(self) -> str:
        return chart_html(self.png, self.alt, width=self.width, height=self.height)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/plain": self.alt, "text/html": self.html}


def chart_html(png: bytes, alt: str, *, width: int, height: int) -> str:
    """Return a self-contained ``<figure>`` for a PNG with its text alternative.

    The picture's ``alt`` holds the description's first sentence; the whole
    description sits in a ``<details>`` element the ``<img>`` points to with
    ``aria-describedby``, so a screen reader hears it once and a sighted reader can
    open it. The id is derived from the text, so the same chart always gets the same
    markup (stored notebook outputs stay comparable).
    """
    text = alt.strip()
    first = text.split(". ", 1)[0].rstrip(".") + "."
    ident = "pl-desc-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    data = base64.b64encode(png).decode("ascii")
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return (
        '<figure class="pl-chart" style="margin:0 0 1em 0;max-width:100%">'
        f'<img src="data:image/png;base64,{data}" alt="{html.escape(first, quote=True)}" '
        f'aria-describedby="{ident}" width="{width}" height="{height}" '
        'style="max-width:100%;height:auto">'
        '<details class="pl-chart-description"><summary>Text description</summary>'
        f'<div id="{ident}">{paragraphs}</div></details>'
        "</figure>"
    )


def figure_png(fig) -> bytes:
    """Render ``fig`` to PNG bytes, without the volatile 'Software' metadata."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi, metadata={"Software": None})
    return buf.getvalue()


def _describe_for(plot: Callable[..., Any]) -> Callable[..., str]:
    name = plot.__name__
    if not name.startswith("plot_"):
        raise ValueError(f"{name!r} is not a plot_* function; pass describe= explicitly")
    module = importlib.import_module(plot.__module__)
    describe = getattr(module, "describe_" + name.removeprefix("plot_"), None)
    if describe is None:
        raise ValueError(f"{plot.__module__} has no describe_{name.removeprefix('plot_')}")
    return describe


def _accepted(func: Callable[..., Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    params = inspect.signature(func).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return kwargs
    return {k: v for k, v in kwargs.items() if k in params}


def render_chart(
    plot: Callable[..., Any],
    *args: Any,
    style_name: str | None = None,
    describe: Callable[..., str] | None = None,
    **kwargs: Any,
) -> Chart:
    """Draw ``plot(*args, **kwargs)`` on a new figure and return it as a :class:`Chart`.

    Parameters
    ----------
    plot
        One of the library's Axes-first ``plot_*`` functions.
    style_name
        ``"workbook"``, ``"projector"`` or ``"high_contrast"``; the active style when omitted.
    describe
        The text twin; by default the ``describe_*`` function beside ``plot``.
    """
    describe = describe or _describe_for(plot)
    with (
        style.style_context(style_name or style.current_theme().name),
        warnings.catch_warnings(),
    ):
        # A learner's name may hold characters the chart font lacks (CJK, many emoji):
        # they show as boxes in the picture, and the exact text is in the description.
        warnings.filterwarnings(
            "ignore", message=r"Glyph \d+ .*missing from font", category=UserWarning
        )
        ax = plot(*args, **kwargs)
        fig = ax.figure
        try:
            png = figure_png(fig)
            width, height = (round(v) for v in fig.get_size_inches() * fig.dpi)
        finally:
            plt.close(fig)
    alt = describe(*args, **_accepted(describe, kwargs))
    return Chart(png=png, alt=alt, width=width, height=height)
