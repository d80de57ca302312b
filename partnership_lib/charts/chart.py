"""Charts as notebook outputs: a PNG with its text alternative, in one object.

:func:`render_chart` draws any ``plot_*`` function of the library on a fresh figure,
renders it to PNG, closes the figure and pairs the picture with the text from the
matching ``describe_*`` function. The resulting :class:`Chart` shows itself in
JupyterLab and Voila as an ``<img>`` with alt text and a "Text description" that
anyone can open, and as the description alone where only plain text is shown.

Every chart also knows the height of its smallest text in picture pixels
(:func:`min_text_px`, ``Chart.min_text_px`` and ``data-min-text-px`` on the ``<img>``),
so a browser can check what a room sees: that height times the shown width over the
picture's own width.
"""

from __future__ import annotations

import base64
import hashlib
import inspect
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.axis import Axis
from matplotlib.text import Text

from partnership_lib.core import style
from partnership_lib.core.html import Markup, render
from partnership_lib.core.html import table as html_table

__all__ = [
    "Chart",
    "ChartTable",
    "ChartTwins",
    "chart_html",
    "chart_twins",
    "declare_chart",
    "figure_png",
    "min_text_px",
    "render_chart",
    "table_for",
]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value == value else ""
    return str(value)


@dataclass(frozen=True, slots=True)
class ChartTable:
    """The data behind a chart as a table: what the "Show as table" control shows.

    ``rows`` hold plain values (text, numbers, booleans, None); the first column names
    each row and becomes its row header. Every value is escaped when shown.
    """

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def __post_init__(self) -> None:
        if not self.caption.strip():
            raise ValueError("a chart table needs a caption")
        if not self.columns:
            raise ValueError(f"{self.caption}: a chart table needs at least one column")
        for i, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"{self.caption}: row {i} has {len(row)} values for {len(self.columns)} columns"
                )

    @property
    def html(self) -> str:
        """The table as accessible HTML: caption, column headers, each row's first cell
        as its header, every value escaped. A plain ``str`` (not ``Markup``), so that
        joining it with other HTML escapes nothing twice."""
        return str(
            html_table(
                self.columns,
                self.cells,
                caption=self.caption,
                css_class="pl-chart-data",
                row_headers=True,
                empty="No data yet.",
            )
        )

    @property
    def cells(self) -> tuple[tuple[str, ...], ...]:
        """The rows as the table shows them: every value as text ("" for none, "yes"/"no")."""
        return tuple(tuple(_cell(v) for v in row) for row in self.rows)

    @property
    def text(self) -> str:
        lines = [self.caption, " | ".join(self.columns)]
        lines += [" | ".join(row) for row in self.cells]
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Chart:
    """A rendered chart: PNG bytes, pixel size and the text alternative."""

    png: bytes
    alt: str
    width: int
    height: int
    #: Smallest text in the picture, in its own pixels (``None``: not measured).
    min_text_px: float | None = None
    #: The same data as a table, behind a "Show as table" control.
    table: ChartTable | None = None

    def __post_init__(self) -> None:
        if not self.alt.strip():
            raise ValueError("a chart needs a text alternative; got an empty description")

    @property
    def html(self) -> str:
        return chart_html(
            self.png,
            self.alt,
            width=self.width,
            height=self.height,
            min_text_px=self.min_text_px,
            table=self.table,
        )

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/plain": self.alt, "text/html": self.html}


def chart_html(
    png: bytes,
    alt: str,
    *,
    width: int,
    height: int,
    min_text_px: float | None = None,
    table: ChartTable | None = None,
    open: bool = False,
    open_table: bool | None = None,
    ident: str | None = None,
) -> str:
    """Return a self-contained ``<figure>`` for a PNG with its text alternative.

    The picture's ``alt`` holds the description's first sentence; the whole
    description sits in a ``<details>`` element the ``<img>`` points to with
    ``aria-describedby``, so a screen reader hears it once and a sighted reader can
    open it. The id is derived from the text (or given as ``ident``, which a document
    holding the same chart twice needs), so the same chart always gets the same markup
    (stored notebook outputs stay comparable).

    Parameters
    ----------
    min_text_px
        The smallest text in picture pixels (see :func:`min_text_px`); it becomes the
        ``<img>``'s ``data-min-text-px``, which the browser tests read. Left out when
        ``None``: nothing is guessed from the picture.
    table
        The chart's data (see :class:`ChartTable`), shown behind a "Show as table"
        control next to the picture.
    open, open_table
        Show the description (``open``) and the table (``open_table``, by default as
        ``open``) unfolded, as a printed page needs.
    """
    text = alt.strip()
    first = text.split(". ", 1)[0].rstrip(".") + "."
    if ident is None:
        ident = "pl-desc-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    return str(
        render(
            "chart.html.j2",
            data=base64.b64encode(png).decode("ascii"),
            first=first,
            ident=ident,
            width=width,
            height=height,
            min_text_px=min_text_px,
            paragraphs=[p for p in text.split("\n") if p.strip()],
            table=None if table is None else Markup(table.html),  # our own escaped table
            open=open,
            open_table=open if open_table is None else open_table,
        )
    )


def figure_png(fig) -> bytes:
    """Render ``fig`` to PNG bytes, without the volatile 'Software' metadata.

    Pass :func:`min_text_px` of the same figure to :func:`chart_html` to label the
    picture with its smallest text.
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi, metadata={"Software": None})
    return buf.getvalue()


def _drawn_texts(artist, found: list[Text]) -> None:
    if not artist.get_visible():
        return
    if isinstance(artist, Axis):
        if artist.axes is not None and not artist.axes.axison:
            return
        # Only the ticks inside the view are drawn (an Axis keeps spare ones beyond it),
        # and their labels get their text from the formatter at draw time.
        lo, hi = sorted(artist.get_view_interval())
        span = (hi - lo) * 1e-9
        for ticker, locs, ticks in (
            (artist.major, artist.get_majorticklocs(), artist.get_major_ticks),
            (artist.minor, artist.get_minorticklocs(), artist.get_minor_ticks),
        ):
            shown = [(i, loc) for i, loc in enumerate(locs) if lo - span <= loc <= hi + span]
            if not shown:
                continue
            labels = ticker.formatter.format_ticks([loc for _, loc in shown])
            all_ticks = ticks(len(locs))
            for (i, _loc), label in zip(shown, labels, strict=True):
                tick = all_ticks[i]
                if tick.get_visible() and str(label).strip():
                    found.extend(t for t in (tick.label1, tick.label2) if t.get_visible())
        for text in (artist.label, artist.offsetText):
            _drawn_texts(text, found)
        return
    if isinstance(artist, Text) and artist.get_text().strip():
        found.append(artist)
    for child in artist.get_children():
        _drawn_texts(child, found)


def min_text_px(fig) -> float | None:
    """Height in picture pixels of the smallest visible text in ``fig`` (font size x dpi / 72).

    Walks every visible, non-empty ``Text`` artist (tick labels only for ticks inside
    the view, nothing of an Axes that is switched off). ``None`` when the figure has no
    text. Rounded to 0.1 px so the value is stable. Nothing is drawn: tick labels are
    judged by what the axis formatter would write, so a figure need not be rendered first.
    """
    found: list[Text] = []
    _drawn_texts(fig, found)
    if not found:
        return None
    smallest = min(t.get_fontsize() for t in found)
    return round(smallest * fig.dpi / 72, 1)


@dataclass(frozen=True, slots=True)
class ChartTwins:
    """What goes with one ``plot_*`` function: its text and data twins, and its updater.

    ``describe(*args, **kwargs)`` gives the text alternative, ``table(*args, **kwargs)``
    the data behind "Show as table", and ``update(ax, *args, **kwargs)`` changes a drawn
    chart in place and returns the artists it changed (a live chart repaints only those;
    ``None`` asks for a full draw). ``layer`` is a :class:`partnership_lib.charts.live.Layer`
    for a chart whose updater cannot say which artists it changed (a live chart then
    compares them).
    """

    describe: Callable[..., str]
    table: Callable[..., ChartTable] | None = None
    update: Callable[..., Any] | None = None
    # a charts.live.Layer; not imported here, as charts.live imports this module
    layer: Any = None


#: plot function -> its twins, declared by the module that defines the plot.
_TWINS: dict[Callable[..., Any], ChartTwins] = {}


def declare_chart(
    plot: Callable[..., Any],
    *,
    describe: Callable[..., str],
    table: Callable[..., ChartTable] | None = None,
    update: Callable[..., Any] | None = None,
    layer: Any = None,
) -> ChartTwins:
    """Declare a ``plot_*`` function's text twin, data twin, updater and live layer.

    Each models module declares its charts once, below their functions, so
    :func:`render_chart` and the live chart view find them without guessing by name.
    ``layer`` (a :class:`partnership_lib.charts.live.Layer`) names the artists a live
    view compares after an update, for an updater that cannot say what it changed.
    """
    twins = ChartTwins(describe, table, update, layer)
    _TWINS[plot] = twins
    return twins


def chart_twins(plot: Callable[..., Any]) -> ChartTwins:
    """The twins declared for ``plot`` with :func:`declare_chart`."""
    try:
        return _TWINS[plot]
    except (KeyError, TypeError):
        name = getattr(plot, "__qualname__", repr(plot))
        raise ValueError(
            f"{name} has no declared text twin; declare it with declare_chart() "
            "or pass describe= explicitly"
        ) from None


def table_for(plot: Callable[..., Any]) -> Callable[..., ChartTable] | None:
    """The ``table_*`` twin declared for a ``plot_*`` function, or None if it has none."""
    return _TWINS[plot].table if plot in _TWINS else None


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
    table: Callable[..., ChartTable] | ChartTable | None = None,
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
    table
        The data as a table (or a function called like ``describe``); by default the
        ``table_*`` function beside ``plot``, when there is one.
    """
    describe = describe or chart_twins(plot).describe
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
            smallest = min_text_px(fig)
        finally:
            plt.close(fig)
    alt = describe(*args, **_accepted(describe, kwargs))
    if table is None:
        table = table_for(plot)
    if callable(table):
        table = table(*args, **_accepted(table, kwargs))
    return Chart(png=png, alt=alt, width=width, height=height, min_text_px=smallest, table=table)
