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
    "@media (prefers-reduced-motion: reduce) { "
    + ", ".join(f"{scope} *, {scope} *::before, {scope} *::after" for scope in _PAGE_SCOPE)
    + " { animation: none !important; transition: none !important;"
    " scroll-behavior: auto !important; } }"
)


def page_style():
    """:data:`PAGE_CSS` as a widget, for pages that show no session header (the board,
    the gallery)."""

    style = widgets.HTML(str(Markup("<style>{}</style>").format(Markup(PAGE_CSS))))
    style.add_class("pl-page-style")
    return style
