"""The one live-chart view: a chart that follows an answer, in the notebook.

A :class:`LiveChart` is an ``HTML`` widget showing a chart as a picture with its text
description and its data table ("Show as table"). Each :meth:`LiveChart.show` gives it new
data: the first time, and after a style change, the chart's ``plot_*`` function draws it
in full on a figure of its own; after that its ``update_*`` function changes the artists
in place and only the part of the picture they cover is painted again (see
:class:`partnership_lib.charts.live.LiveFigure`). A chart without an updater is drawn in
full each time.

The text and data twins, the updater and the live layer (for an updater that cannot say
what it changed, as the power-interest grid's; see :class:`partnership_lib.charts.live.Layer`)
are the ones the chart's module declared with
:func:`partnership_lib.charts.chart.declare_chart`; any of them can be given instead. A
live chart follows the active style (projector mode), unless it was given a style.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

import ipywidgets as widgets
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from partnership_lib.charts.chart import ChartTable, chart_html, chart_twins
from partnership_lib.charts.live import Layer, LiveFigure
from partnership_lib.core.html import escape
from partnership_lib.core.style import current_theme, on_style_change

__all__ = [
    "MIN_CHART_TEXT_PX",
    "LiveChart",
    "ShownPicture",
    "beside_form_traits",
    "chart_beside_form_layout",
    "keep_beside_form",
    "legible_width",
]


def _accepted(func: Callable[..., Any], kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments ``func`` takes (a twin may take fewer than the plot)."""
    params = inspect.signature(func).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return dict(kwargs)
    return {k: v for k, v in kwargs.items() if k in params}


class LiveChart(widgets.HTML):
    """A chart that follows an answer: picture, text description and table, kept current.

    Parameters
    ----------
    plot
        An Axes-first ``plot_*`` function: ``plot(*args, ax=None, **kwargs) -> Axes``.
    update
        ``update(ax, *args, **kwargs)`` changes a drawn chart in place and returns the
        artists it changed (``None``: draw in full). Default: the declared updater.
    describe, table
        The text and data twins, called like ``plot`` without ``ax``. Default: the
        declared ones.
    style_name
        Draw in this style always; by default the chart follows the active style.
    layer
        The artists the engine compares after an update (see
        :class:`~partnership_lib.charts.live.Layer`). Default: the declared layer, if any.

    Attributes
    ----------
    engine : LiveFigure
        What draws and repaints the picture; ``engine.last_path`` says how the last
        picture was made (``"full"``, ``"partial"``, ``"layer"`` or ``"unchanged"``).
    """

    def __init__(
        self,
        plot: Callable[..., Axes],
        *,
        update: Callable[..., Iterable[Artist] | None] | None = None,
        describe: Callable[..., str] | None = None,
        table: Callable[..., ChartTable] | None = None,
        style_name: str | None = None,
        layer: Layer | None = None,
    ) -> None:
        super().__init__(layout=widgets.Layout(width="100%"))
        self.add_class("pl-chart-view")
        declared = chart_twins(plot) if describe is None or update is None else None
        self.plot = plot
        self.update_artists = update if update is not None else (declared and declared.update)
        self.describe = describe if describe is not None else declared.describe
        if table is None and declared is not None:
            table = declared.table
        self.table = table
        if layer is None and declared is not None:
            layer = declared.layer
        self.engine = LiveFigure(style_name=style_name or current_theme().name, layer=layer)
        self.shown: tuple[tuple[Any, ...], dict[str, Any]] | None = None
        if style_name is None:  # follow the active style (projector mode)
            on_style_change(self._restyle, owner=self)

    # -- what it shows ----------------------------------------------------------------
    @property
    def figure(self) -> Figure | None:
        return self.engine.fig

    @property
    def ax(self) -> Axes | None:
        return self.engine.ax

    @property
    def last_path(self) -> str:
        return self.engine.last_path

    @property
    def png(self) -> bytes:
        return self.engine.png

    @property
    def width(self) -> int:
        """The picture's own width in pixels (0 before the first :meth:`show`)."""
        return self.engine.size[0] if self.engine.fig is not None else 0

    @property
    def min_text_px(self) -> float | None:
        """The picture's smallest text, in its own pixels (see :class:`ShownPicture`)."""
        return self.engine.min_text_px

    def show(self, *args: Any, **kwargs: Any) -> None:
        """Show the chart of ``plot(*args, **kwargs)``, repainting only what changed."""
        self.shown = (args, kwargs)

        def draw(ax: Axes | None) -> Axes:
            return self.plot(*args, ax=ax, **kwargs)

        def update(ax: Axes) -> Iterable[Artist] | None:
            return self.update_artists(ax, *args, **kwargs)

        png = self.engine.render(draw, update if self.update_artists else None)
        width, height = self.engine.size
        self.value = chart_html(
            png,
            self.describe(*args, **_accepted(self.describe, kwargs)),
            width=width,
            height=height,
            min_text_px=self.engine.min_text_px,
            table=None
            if self.table is None
            else self.table(*args, **_accepted(self.table, kwargs)),
        )

    def hide(self, message: str) -> None:
        """Show ``message`` (plain text) instead of the chart, until the next :meth:`show`."""
        self.shown = None
        self.value = f'<p class="pl-chart-placeholder"><em>{escape(message)}</em></p>'

    def _restyle(self, name: str) -> None:
        self.engine.style_name = name  # the next picture is a full one, in the new style
        if self.shown is not None:
            self.show(*self.shown[0], **self.shown[1])


# --------------------------------------------------------------------------- beside a form


class ShownPicture(Protocol):
    """A chart picture: its own width in pixels and its smallest text in those pixels
    (``None`` when unknown); :class:`~partnership_lib.charts.chart.Chart` is one."""

    @property
    def width(self) -> int: ...

    @property
    def min_text_px(self) -> float | None: ...


#: No chart text is shown smaller than this, in CSS pixels, where there is room for it.
MIN_CHART_TEXT_PX = 11.0
#: A widget's whole row: 100% less ipywidgets' margins, which would make it overflow.
_WHOLE_ROW = "calc(100% - 2 * var(--jp-widgets-margin, 2px))"


def legible_width(chart: ShownPicture, min_text_px: float = MIN_CHART_TEXT_PX) -> int:
    """The narrowest width, in CSS pixels, at which ``chart``'s smallest text is ``min_text_px``.

    A picture shown narrower than its own width is scaled down, text and all: text of
    ``chart.min_text_px`` picture pixels shows at ``min_text_px`` when the picture is
    ``chart.width * min_text_px / chart.min_text_px`` wide. A picture is never shown wider
    than its own width, so that is the answer when its text is smaller than
    ``min_text_px`` even at full size, or when the chart does not say how small it is.
    """
    if not chart.min_text_px:
        return chart.width
    return min(chart.width, math.ceil(chart.width * min_text_px / chart.min_text_px))


def beside_form_traits(chart: ShownPicture) -> dict[str, str]:
    """The flex settings of a chart in a wrapping row beside a form: legible, or else below it.

    The chart may not shrink below :func:`legible_width` (or the row's whole width, on a
    screen narrower than that). When the row cannot hold the form at its narrowest and
    the chart at that width, the flex row wraps and the chart moves below the form,
    growing to the row's width (at most its own).
    """
    width = legible_width(chart)
    return {
        "flex": f"1 1 {width}px",
        "min_width": f"min({width}px, {_WHOLE_ROW})",
        "max_width": f"{chart.width}px",
    }


def chart_beside_form_layout(chart: ShownPicture) -> widgets.Layout:
    """A layout with :func:`beside_form_traits`, for a chart drawn once."""
    return widgets.Layout(**beside_form_traits(chart))


def keep_beside_form(box: widgets.Box, chart: LiveChart) -> None:
    """Lay ``box`` (holding ``chart``) out by :func:`beside_form_traits`, and again
    whenever the chart shows a new picture (a new style gives it another size)."""

    def fit(_change: Any = None) -> None:
        if not chart.width:
            return
        for name, value in beside_form_traits(chart).items():
            if getattr(box.layout, name) != value:
                setattr(box.layout, name, value)

    chart.observe(fit, names="value")
    fit()
