"""Drawing helpers shared by the chart modules (lifecycle, learning, Mobius, purpose, grid).

Private: the plot functions use these so that the same job (a new constrained figure,
points-to-data conversion, a curved arrow, a rounded text box) is done one way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.axes import Axes

    from partnership_lib.core.style import Theme

#: The marker text for the learner's current stage.
HERE = "You are here"


def new_axes(*, w_pad: float, h_pad: float) -> Axes:
    """One Axes on a new figure in the active style, with constrained layout and padding."""
    fig, ax = plt.subplots(layout="constrained")
    fig.get_layout_engine().set(w_pad=w_pad, h_pad=h_pad)
    return ax


def settle_layout(ax: Axes) -> None:
    """Run the figure's layout engine now, so measurements use the Axes' final place."""
    fig = ax.figure
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)


def units_per_point(ax: Axes, *, settle: bool = True) -> float:
    """Data units per typographic point along y.

    With ``settle`` (the default) the layout and the Axes' aspect are applied first.
    """
    if settle:
        settle_layout(ax)
        ax.apply_aspect()
    px = ax.transData.transform([(0, 0), (0, 1)])
    return ax.figure.dpi / (72 * abs(px[1, 1] - px[0, 1]))


def points_wide(text: Any) -> float:
    """A drawn text's width in typographic points."""
    return text.get_window_extent().width * 72 / text.figure.dpi


def chars_per_line(
    ax: Axes, width_data: float, fontsize: float, *, em: float = 0.58, minimum: int = 6
) -> int:
    """Roughly how many characters of ``fontsize`` fit across ``width_data`` x-units.

    ``em`` is the average character width as a fraction of the font size (about 0.58
    for DejaVu Sans); the answer is never below ``minimum``.
    """
    # Settle the layout first so the estimate uses the axes' final width.
    settle_layout(ax)
    ax_width_in = ax.get_position().width * ax.figure.get_figwidth()
    x0, x1 = ax.get_xlim()
    width_in = ax_width_in * width_data / abs(x1 - x0)
    return max(minimum, int(width_in * 72 / (em * fontsize)))


def text_box(
    *, pad: float = 0.3, edgecolor: Any = "none", linewidth: float | None = None
) -> dict[str, Any]:
    """A rounded ``bbox`` for a text, filled with the Axes background colour."""
    box = {
        "boxstyle": f"round,pad={pad}",
        "facecolor": plt.rcParams["axes.facecolor"],
        "edgecolor": edgecolor,
    }
    if linewidth is not None:
        box["linewidth"] = linewidth
    return box


def arc_arrow(
    ax: Axes,
    xs: Sequence[float],
    ys: Sequence[float],
    theme: Theme,
    lw: float,
    *,
    gid: str,
    head_gid: str,
    head_from: int = 5,
) -> None:
    """Draw a curve through (xs, ys) as a muted line with an arrowhead at its end.

    The line carries ``gid``; the head (a patch over the last ``head_from`` points)
    carries ``head_gid``.
    """
    ax.plot(
        xs,
        ys,
        color=theme.muted_text,
        linewidth=theme.arrow_width,
        solid_capstyle="butt",
        zorder=2,
        gid=gid,
    )
    ax.add_patch(
        FancyArrowPatch(
            (xs[-head_from], ys[-head_from]),
            (xs[-1], ys[-1]),
            arrowstyle="-|>",
            mutation_scale=14 + 5 * lw,
            color=theme.muted_text,
            linewidth=theme.arrow_width,
            shrinkA=0,
            shrinkB=0,
            zorder=2,
            gid=head_gid,
        )
    )
