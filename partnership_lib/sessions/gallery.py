"""A gallery of every diagram in the workbook, for reading or for the projector.

:func:`diagram_gallery` returns a widget (it never displays itself): choose a
diagram and a style, and the picture and its text description update in place.
:func:`gallery_diagrams` lists what it offers, so a notebook can also draw each one
as a static chart with :func:`partnership_lib.charts.chart.render_chart`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets

from partnership_lib.charts import chart as charts
from partnership_lib.core import style
from partnership_lib.models.learning import learning_cycles, plot_kolb_cycle
from partnership_lib.models.lifecycle import (
    lifecycle_models,
    plot_collaboration_continuum,
    plot_lifecycle,
)
from partnership_lib.models.mobius import plot_mobius_map
from partnership_lib.models.purpose import plot_purpose_quadrant
from partnership_lib.models.stakeholders import (
    load_worked_example,
    plot_power_interest_grid,
    worked_examples,
)
from partnership_lib.widgets.page import page_style

__all__ = [
    "Diagram",
    "diagram_gallery",
    "gallery_diagrams",
    "render_diagram",
]


@dataclass(frozen=True, slots=True)
class Diagram:
    """One entry of the gallery: a title and how to draw it."""

    key: str
    title: str
    plot: Callable[..., Any]
    args: tuple[Any, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = field(default_factory=tuple)

    def render(self, style_name: str | None = None) -> charts.Chart:
        return charts.render_chart(
            self.plot, *self.args, style_name=style_name, **dict(self.kwargs)
        )


@functools.cache
def gallery_diagrams() -> tuple[Diagram, ...]:
    """Every diagram of the workbook, in the order the day meets them."""

    items: list[Diagram] = []
    models = lifecycle_models()
    for key in ("himmelman", "nocon"):
        items.append(
            Diagram(
                f"continuum:{key}",
                f"{models[key].name} ({models[key].source})",
                plot_collaboration_continuum,
                (key,),
            )
        )
    items.append(
        Diagram("purpose", "Purpose of partnership (Pratt et al 1998)", plot_purpose_quadrant)
    )
    for key, cycle in learning_cycles().items():
        items.append(Diagram(f"cycle:{key}", cycle.name, plot_kolb_cycle, (), (("model", key),)))
    for key, model in models.items():
        if model.kind == "lifecycle":
            items.append(Diagram(f"lifecycle:{key}", model.name, plot_lifecycle, (key,)))
        elif model.kind != "continuum":
            title = f"{model.name} ({model.source})"
            items.append(Diagram(f"lifecycle:{key}", title, plot_lifecycle, (key,)))
    for key, example in worked_examples().items():
        items.append(
            Diagram(
                f"grid:{key}",
                f"Stakeholder analysis: {example.title}",
                plot_power_interest_grid,
                (load_worked_example(key),),
                (("title", example.title),),
            )
        )
    items.append(Diagram("mobius", "The Mobius model (Demarest et al 2004)", plot_mobius_map))
    return tuple(items)


def _diagram(key: str) -> Diagram:
    for d in gallery_diagrams():
        if d.key == key:
            return d
    known = ", ".join(d.key for d in gallery_diagrams())
    raise ValueError(f"unknown diagram {key!r}; choose one of: {known}")


@functools.lru_cache(maxsize=64)
def render_diagram(key: str, style_name: str = "workbook") -> charts.Chart:
    """Render one gallery diagram in a style (cached: the content does not change)."""
    style.theme(style_name)
    return _diagram(key).render(style_name)


STYLE_OPTIONS = (
    ("Workbook", "workbook"),
    ("Projector", "projector"),
    ("High contrast", "high_contrast"),
)


def diagram_gallery(*, initial: str | None = None, style_name: str | None = None) -> widgets.VBox:
    """Return a widget that shows any workbook diagram in any style.

    Parameters
    ----------
    initial
        Key of the diagram shown first (see :func:`gallery_diagrams`); the first one if omitted.
    style_name
        The style selected first; the active style if omitted.
    """
    diagrams = gallery_diagrams()
    first = _diagram(initial).key if initial else diagrams[0].key
    chosen_style = style_name or style.current_theme().name
    style.theme(chosen_style)
    picker = widgets.Dropdown(
        options=[(d.title, d.key) for d in diagrams],
        value=first,
        description="Diagram",
        layout=widgets.Layout(width="min(100%, 44em)"),
        style={"description_width": "initial"},
    )
    styles = widgets.ToggleButtons(
        options=STYLE_OPTIONS,
        value=chosen_style,
        description="Style",
        tooltips=[
            "For reading on a screen",
            "16:9, large text for a room",
            "Black and white, patterns",
        ],
        style={"description_width": "initial"},
    )
    picture = widgets.HTML(layout=widgets.Layout(width="100%"))

    def _show(_change=None) -> None:
        picture.value = render_diagram(picker.value, styles.value).html

    picker.observe(_show, names="value")
    styles.observe(_show, names="value")
    _show()

    box = widgets.VBox([page_style(), widgets.HBox([picker]), styles, picture])
    box.add_class("pl-diagram-gallery")

    def _follow(name: str) -> None:  # projector mode switched: show the new style
        styles.value = name

    style.on_style_change(_follow, owner=box)
    return box
