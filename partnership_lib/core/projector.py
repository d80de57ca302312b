"""Projector mode: charts and widgets legible from the back of a room.

Projector mode draws every chart in the ``projector`` style (16:9, no text under
18 pt at 1920x1080) and enlarges the notebook's text and controls. There are three ways
to switch it on:

- the "Projector mode" toggle at the top of each notebook (:func:`projector_toggle`);
- ``?projector=1`` on a Voilà URL (Voilà passes the page's query string to the kernel
  as ``QUERY_STRING``);
- ``PARTNERSHIP_PROJECTOR=1`` in the environment of Jupyter or Voilà.

The chart style is switched with :func:`partnership_lib.core.style.use_style`, so live
charts that subscribed with :func:`partnership_lib.core.style.on_style_change` redraw at once.
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

from partnership_lib.core import style

__all__ = [
    "PROJECTOR_ENV",
    "apply_request",
    "on_projector_change",
    "projector_on",
    "projector_requested",
    "set_projector",
    "under_voila",
]

#: Environment variable that asks for projector mode (1, true, yes or on).
PROJECTOR_ENV = "PARTNERSHIP_PROJECTOR"
#: Query parameter of a Voilà URL that asks for it (``?projector`` or ``?projector=1``).
QUERY_PARAMETER = "projector"
_YES = frozenset({"1", "true", "yes", "on"})

_state = {"on": False, "before": "workbook", "applied": False}
_listeners = style.Listeners()


# --------------------------------------------------------------------------- requests


def _truthy(value: str | None, *, bare: bool = False) -> bool:
    if value is None:
        return False
    value = value.strip().lower()
    return value in _YES or (bare and value == "")


def under_voila(environ: os._Environ[str] | dict[str, str] | None = None) -> bool:
    """Whether this kernel runs under Voilà (which sets ``SERVER_SOFTWARE=voila/<version>``)."""
    env = os.environ if environ is None else environ
    return env.get("SERVER_SOFTWARE", "").lower().startswith("voila")


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
    if not under_voila(env):
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
    :func:`partnership_lib.core.style.on_style_change`. A bound method is held weakly; give
    any other callable an ``owner`` (the widget it updates) so it lives as long as that.
    """
    _listeners.add(callback, owner)


# --------------------------------------------------------------------------- the widget
