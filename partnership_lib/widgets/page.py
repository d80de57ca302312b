"""The page-wide style every notebook page shows once: focus rings, reflow, less motion."""

from __future__ import annotations

import ipywidgets as widgets

from partnership_lib.core.html import Markup

#: Where our page-wide rules apply: notebook outputs and rendered Markdown (in Voilà and
#: in JupyterLab), never JupyterLab's own menus, side bars or editors.
_PAGE_SCOPE = (".jp-OutputArea-output", ".jp-RenderedMarkdown")


#: The page-wide CSS every session notebook shows once, in :meth:`Session.header`.
#: A focus ring on every control (WCAG 2.4.7 and 1.4.11). ipywidgets and JupyterLab draw
#: none on inputs (``outline: none !important``) and a 1 px, 2.2:1 one on buttons; the
#: doubled scope class makes our rule the more specific. The ring is near-black (19.6:1
#: on white, 4.3:1 or more on every ipywidgets button colour) and drawn just inside the
#: control's edge: widget boxes scroll, and a ring outside a control that touches a
#: box's edge would be cut off. Tick boxes and radio buttons get a 2 px ring so their
#: mark stays visible. And no movement for learners whose system asks for less.
PAGE_CSS = (
    ", ".join(f"{scope}{scope} :focus-visible" for scope in _PAGE_SCOPE)
    + " { outline: 3px solid #0B0C0C !important; outline-offset: -3px !important; }\n"
    + ", ".join(
        f"{scope}{scope} input[type={kind}]:focus-visible"
        for scope in _PAGE_SCOPE
        for kind in ("checkbox", "radio")
    )
    + " { outline-width: 2px !important; outline-offset: -2px !important; }\n"
    # Reflow (WCAG 1.4.10): a widget given ``width: 100%`` also has ipywidgets' 2 px
    # margins, so it overflows its box, which scrolls and cuts the control's edge off;
    # and no widget may be wider than its box.
    ".jp-OutputArea-output .jupyter-widgets:not(.widget-box)[style^='width: 100%'], "
    ".jp-OutputArea-output .jupyter-widgets:not(.widget-box)[style*='; width: 100%'] "
    "{ width: calc(100% - 2 * var(--jp-widgets-margin, 2px)) !important; }\n"
    ".jp-OutputArea-output .jupyter-widgets:not(.widget-box) "
    "{ max-width: calc(100% - 2 * var(--jp-widgets-margin, 2px)); }\n"
    # A button sizes to its label (ipywidgets gives every button 148 px and cuts the
    # rest off with "..."), never narrower than that, unless its layout sets a width.
    ".jp-OutputArea-output .widget-button.widget-button:not([style*='width']) "
    "{ width: auto; min-width: var(--jp-widgets-inline-width-short, 148px); }\n"
    "@media (prefers-reduced-motion: reduce) { "
    + ", ".join(f"{scope} *, {scope} *::before, {scope} *::after" for scope in _PAGE_SCOPE)
    + " { animation: none !important; transition: none !important;"
    " scroll-behavior: auto !important; } }\n"
)


# --------------------------------------------------------------------------- rating scales
# The chosen point of a rating scale (widgets.rating, class "pl-rating-buttons"): WCAG
# 1.4.11 asks 3:1 of a control's state, and ipywidgets shows it as grey #BDBDBD on
# #EEEEEE (1.62:1). Ours is white bold text on a dark blue, 7.2:1 against the buttons
# beside it and 8.4:1 against the page, with a tick after the number as a second cue that
# needs no colour. The blue would hide the page's near-black focus ring drawn inside the
# edge, so on the chosen button the ring sits just outside it, with room in the row.

#: The chosen button's background and text, and the others' (tests check their contrast).
RATING_SELECTED_BACKGROUND = "#0B4F8A"
RATING_SELECTED_TEXT = "#FFFFFF"
RATING_UNSELECTED_BACKGROUND = "#EEEEEE"
RATING_UNSELECTED_TEXT = "#1A1A1A"
#: Shown after the chosen button's label: a no-break space and a tick.
RATING_SELECTED_MARK = "\u00a0\u2713"

_RATING = ".jp-OutputArea-output .pl-rating-buttons"
RATING_CSS = (
    f"{_RATING} {{ padding: 4px; }}\n"
    f"{_RATING} .widget-toggle-button {{ background-color: {RATING_UNSELECTED_BACKGROUND}"
    f" !important; color: {RATING_UNSELECTED_TEXT} !important; }}\n"
    f"{_RATING} .widget-toggle-button.mod-active {{"
    f" background-color: {RATING_SELECTED_BACKGROUND} !important;"
    f" color: {RATING_SELECTED_TEXT} !important; font-weight: bold !important;"
    " box-shadow: none !important; }\n"
    # the tick as CSS escapes (a no-break space, then U+2713)
    f'{_RATING} .widget-toggle-button.mod-active::after {{ content: "\\00a0\\2713"; }}\n'
    f".jp-OutputArea-output{_RATING} .widget-toggle-button.mod-active:focus-visible"
    " { outline-offset: 1px !important; }\n"
)

PAGE_CSS += RATING_CSS


def page_style():
    """:data:`PAGE_CSS` as a widget, for pages that show no session header (the board,
    the gallery)."""

    style = widgets.HTML(str(Markup("<style>{}</style>").format(Markup(PAGE_CSS))))
    style.add_class("pl-page-style")
    return style
