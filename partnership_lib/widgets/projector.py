"""The "Projector mode" toggle, and the style sheet that makes a notebook legible in a room.

Whether projector mode is on lives in :mod:`partnership_lib.core.projector`; this is its
widget and the CSS it switches.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from partnership_lib.core.projector import (
    apply_request,
    on_projector_change,
    projector_on,
    set_projector,
)

# Everything is scoped to what a notebook renders: cell outputs and rendered Markdown,
# inside `.jp-Notebook` (a notebook panel in JupyterLab, the <body> of a Voilà page).
# JupyterLab's menus, side bars, toolbars and code editors are never touched.
_SCOPE = (
    ".jp-Notebook .jp-OutputArea-output",
    ".jp-Notebook .jp-MarkdownOutput",
)


_MIN_PX = 20  # the issue asks for 18 px at 1920x1080; 20 leaves a margin


def _scoped(selectors: str) -> str:
    parts = [s.strip() for s in selectors.split(",")]
    return ",\n".join(f"{scope} {part}".rstrip() for scope in _SCOPE for part in parts)


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
