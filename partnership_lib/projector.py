"""Projector mode: charts and widgets legible from the back of a room.

Projector mode draws every chart in the ``projector`` style (16:9, no text under
18 pt at 1920x1080) and enlarges the notebook's text and controls. There are three ways
to switch it on:

- the "Projector mode" toggle at the top of each notebook (:func:`projector_toggle`);
- ``?projector=1`` on a Voilà URL (Voilà passes the page's query string to the kernel
  as ``QUERY_STRING``);
- ``PARTNERSHIP_PROJECTOR=1`` in the environment of Jupyter or Voilà.

The chart style is switched with :func:`partnership_lib.style.use_style`, so live
charts that subscribed with :func:`partnership_lib.style.on_style_change` redraw at once.
Static charts already in the notebook keep their style until their cell runs again.

High contrast and projector mode: while projector mode is on, charts use the
``projector`` style (the high-contrast style's text is too small for a room). The style
chosen before is remembered and comes back when projector mode is switched off.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import ipywidgets as widgets

from . import style

__all__ = [
    "PROJECTOR_CSS",
    "PROJECTOR_ENV",
    "apply_request",
    "on_projector_change",
    "projector_on",
    "projector_requested",
    "projector_toggle",
    "set_projector",
]

#: Environment variable that asks for projector mode (1, true, yes or on).
PROJECTOR_ENV = "PARTNERSHIP_PROJECTOR"
#: Query parameter of a Voilà URL that asks for it (``?projector`` or ``?projector=1``).
QUERY_PARAMETER = "projector"
_YES = frozenset({"1", "true", "yes", "on"})

_state = {"on": False, "before": "workbook", "applied": False}
_listeners = style._Listeners()


# --------------------------------------------------------------------------- requests


def _truthy(value: str | None, *, bare: bool = False) -> bool:
    if value is None:
        return False
    value = value.strip().lower()
    return value in _YES or (bare and value == "")


def _under_voila(environ: os._Environ[str] | dict[str, str]) -> bool:
    return environ.get("SERVER_SOFTWARE", "").lower().startswith("voila")


def projector_requested(environ: dict[str, str] | None = None) -> bool:
    """Whether this kernel was asked to start in projector mode.

    True when ``PARTNERSHIP_PROJECTOR`` is 1, true, yes or on (any case), or when the
    kernel runs under Voilà and the page's URL has ``projector`` as a query parameter,
    bare (``?projector``) or with one of those values (``?projector=yes``). Anything
    else, including junk such as ``?projector=maybe``, means no.

    Voilà puts the page's query string in the kernel's environment (``QUERY_STRING``,
    next to ``SERVER_SOFTWARE=voila/<version>``). With Voilà's pre-heated kernels
    the notebook runs before any page asks for it, so the query string is not known
    then; ``make present`` does not pre-heat.

    Parameters
    ----------
    environ
        The environment to read; ``os.environ`` when omitted.
    """
    env = os.environ if environ is None else environ
    if _truthy(env.get(PROJECTOR_ENV)):
        return True
    if not _under_voila(env):
        return False
    query = env.get("QUERY_STRING", "") or ""
    try:
        values = parse_qs(query, keep_blank_values=True).get(QUERY_PARAMETER, [])
    except ValueError:  # a query string too odd to parse asks for nothing
        return False
    return bool(values) and _truthy(values[-1], bare=True)


# --------------------------------------------------------------------------- state


def projector_on() -> bool:
    """Whether projector mode is on in this kernel."""
    return bool(_state["on"])


def set_projector(on: bool) -> None:
    """Switch projector mode on or off.

    On: charts use the ``projector`` style from now on (the style in use is remembered).
    Off: that remembered style comes back. Live charts redraw in the new style and every
    :func:`on_projector_change` subscriber is told (toggles in other cells follow).
    """
    on = bool(on)
    if on == _state["on"]:
        return
    if on:
        current = style.current_theme().name
        _state["before"] = current if current != "projector" else "workbook"
    _state["on"] = on
    try:
        style.use_style("projector" if on else str(_state["before"]))
    finally:  # a chart that fails to redraw must not leave the toggles out of step
        _listeners.notify(on)


def apply_request() -> bool:
    """Switch projector mode on if it was requested (see :func:`projector_requested`).

    Only the first call in a kernel acts, so running the notebook's cells again does not
    undo a facilitator switching projector mode off. Returns :func:`projector_on`.
    """
    if not _state["applied"]:
        _state["applied"] = True
        if projector_requested():
            set_projector(True)
    return projector_on()


def on_projector_change(callback: Callable[[bool], Any], *, owner: Any = None) -> None:
    """Call ``callback(on)`` whenever projector mode is switched on or off.

    Charts need not subscribe here: they follow
    :func:`partnership_lib.style.on_style_change`. A bound method is held weakly; give
    any other callable an ``owner`` (the widget it updates) so it lives as long as that.
    """
    _listeners.add(callback, owner)


# --------------------------------------------------------------------------- the widget

# Everything is scoped to what a notebook renders: cell outputs and rendered Markdown,
# inside `.jp-Notebook` (a notebook panel in JupyterLab, the <body> of a Voilà page).
# JupyterLab's menus, side bars, toolbars and code editors are never touched.
_SCOPE = (
    ".jp-Notebook .jp-OutputArea-output",
    ".jp-Notebook .jp-MarkdownOutput",
)


def _scoped(selectors: str) -> str:
    parts = [s.strip() for s in selectors.split(",")]
    return ",\n".join(f"{scope} {part}".rstrip() for scope in _SCOPE for part in parts)


_MIN_PX = 20  # the issue asks for 18 px at 1920x1080; 20 leaves a margin

#: The widget projector theme: larger text and controls in notebook outputs.
PROJECTOR_CSS = (
    f"{', '.join(_SCOPE)} {{\n"
    f"  --jp-content-font-size0: {_MIN_PX}px;\n"
    "  --jp-content-font-size1: 22px;\n"
    "  --jp-content-font-size2: 26px;\n"
    "  --jp-content-font-size3: 30px;\n"
    "  --jp-content-font-size4: 36px;\n"
    "  --jp-content-font-size5: 42px;\n"
    "  --jp-content-line-height: 1.5;\n"
    "  --jp-code-font-size: 20px;\n"
    "  --jp-ui-font-size0: 20px;\n"
    "  --jp-ui-font-size1: 22px;\n"
    "  --jp-ui-font-size2: 24px;\n"
    "  --jp-widgets-font-size: 22px;\n"
    "  --jp-widgets-inline-height: 44px;\n"
    "  --jp-widgets-inline-label-width: 160px;\n"
    "  --jp-widgets-inline-width: 520px;\n"
    "  --jp-widgets-inline-width-short: 252px;\n"
    "  --jp-widgets-inline-width-tiny: 118px;\n"
    "  --jp-widgets-inline-margin: 6px;\n"
    "  --jp-widgets-input-padding: 8px;\n"
    "  --jp-widgets-radio-item-height: 36px;\n"
    "  --jp-widgets-radio-item-height-adjustment: 12px;\n"
    "  --jp-widgets-menu-item-height: 40px;\n"
    "  --jp-widgets-slider-handle-size: 28px;\n"
    "  --jp-widgets-slider-track-thickness: 8px;\n"
    "  --jp-widgets-horizontal-tab-height: 44px;\n"
    "}\n"
    # Text that carries its own (smaller) size: form controls, tables, captions, hints.
    + _scoped(
        "small, sub, sup, summary, caption, figcaption, th, td, li, label, code, kbd, "
        "input, select, option, textarea, button, .widget-label, .widget-readout, "
        ".widget-html-content, .widget-label-basic, .pl-hint, .pl-guidance, .pl-status, "
        ".pl-session-header, .pl-how-to, .pl-progress-line, .pl-table, .pl-chart-description"
    )
    + f" {{\n  font-size: max(1em, {_MIN_PX}px) !important;\n}}\n"
    + _scoped("input[type='checkbox'], input[type='radio']")
    + " {\n  width: 28px;\n  height: 28px;\n}\n"
    + _scoped(".widget-checkbox, .widget-inline-hbox")
    + " {\n  min-height: var(--jp-widgets-inline-height);\n}\n"
    + _scoped("button, .widget-toggle-button, .widget-button")
    + " {\n  height: auto;\n  min-height: var(--jp-widgets-inline-height);\n"
    "  padding: 4px 14px;\n}\n"
    # Charts use the whole width of the output: a room sees them as large as possible.
    + _scoped(".pl-chart, .pl-chart img")
    + " {\n  width: 100%;\n  max-width: 100% !important;\n  height: auto;\n}\n"
    + _scoped(".pl-chart-view")
    + " {\n  width: 100% !important;\n  max-width: 100% !important;\n}\n"
    # A chart beside a form (a wrapping row) takes a line of its own.
    + _scoped(
        ".widget-hbox > .jupyter-widgets:has(.pl-chart), "
        ".widget-box:not(.widget-vbox) > .jupyter-widgets:has(.pl-chart)"
    )
    + " {\n  flex: 1 1 100% !important;\n  max-width: 100% !important;\n}\n"
)

_TOGGLE_TOOLTIP = (
    "Projector mode: larger text, controls and charts, legible from the back of a room. "
    "Press again to switch it off."
)


class ProjectorToggle(widgets.HBox):
    """The "Projector mode" toggle and the style sheet it switches (see :func:`projector_toggle`)."""


def projector_toggle() -> ProjectorToggle:
    """Return the "Projector mode" toggle for the top of a notebook.

    A labelled toggle button (Space or Enter switches it) and, while it is on, a
    ``<style>`` block (:data:`PROJECTOR_CSS`) that enlarges the notebook's text and
    controls to at least 20 px and lets charts fill the output width. Pressing it calls
    :func:`set_projector`, so charts switch to the projector style and live charts
    redraw. It starts on when projector mode was requested (:func:`apply_request`) or is
    already on; every toggle in the kernel shows the same state.

    The returned box has ``.toggle`` (the ``ToggleButton``), ``.css`` (the ``HTML``
    holding the style sheet) and ``.status`` (a line announced to screen readers).
    """
    on = apply_request()
    toggle = widgets.ToggleButton(
        value=on,
        description="Projector mode",
        icon="desktop",
        tooltip=_TOGGLE_TOOLTIP,
        layout=widgets.Layout(width="auto"),
    )
    toggle.add_class("pl-projector-button")
    css = widgets.HTML(layout=widgets.Layout(width="0", height="0", overflow="hidden"))
    css.add_class("pl-projector-css")
    status = widgets.HTML()
    status.add_class("pl-projector-status")
    box = ProjectorToggle([toggle, status, css], layout=widgets.Layout(align_items="center"))
    box.add_class("pl-projector-toggle")
    box.toggle, box.css, box.status = toggle, css, status

    def _show(state: bool, *, announce: bool = True) -> None:
        css.value = f"<style>\n{PROJECTOR_CSS}</style>" if state else ""
        message = "Projector mode is on: large text and charts." if state else ""
        if announce and not state:
            message = "Projector mode is off."
        status.value = (
            f'<span role="status" aria-live="polite" class="pl-projector-note">{message}</span>'
        )
        if toggle.value != state:
            toggle.value = state

    def _pressed(change: dict[str, Any]) -> None:
        set_projector(change["new"])
        _show(projector_on())

    toggle.observe(_pressed, names="value")
    on_projector_change(_show, owner=box)
    _show(on, announce=False)
    return box
