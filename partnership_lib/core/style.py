"""Themes for every chart: ``workbook`` (default), ``projector`` and ``high_contrast``.

A theme is a matplotlib style sheet (``styles/<name>.mplstyle``) plus the few
choices that rcParams cannot hold: quadrant fills and hatches, the marker and colour
for each attitude, the colour scale for scores, and the smallest text size a chart
may use. Plot functions read the active theme with :func:`current_theme`.

The default palette is Okabe & Ito's, which stays distinguishable under the common
colour-vision deficiencies; categories are also told apart by marker shape, hatch or
a direct text label, never by colour alone.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import matplotlib as mpl
import matplotlib.pyplot as plt

__all__ = [
    "LITERAL_TEXT",
    "OKABE_ITO",
    "STYLE_NAMES",
    "Theme",
    "current_theme",
    "in_active_style",
    "on_style_change",
    "style_context",
    "theme",
    "use_style",
]

T = TypeVar("T")

STYLE_DIR = Path(__file__).resolve().parent / "styles"

#: Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}


@dataclass(frozen=True, slots=True)
class Theme:
    """Choices a chart needs beyond rcParams.

    Quadrant tuples are in the order high-power/high-interest, high-power/low-interest,
    low-power/high-interest, low-power/low-interest (top right, bottom right, top left,
    bottom left on a grid with power along x).
    """

    name: str
    quadrant_fills: tuple[str, str, str, str]
    quadrant_hatches: tuple[str, str, str, str]
    quadrant_text: str
    text: str
    muted_text: str
    edge: str
    accent: str
    #: attitude -> (colour, marker); ``None`` is for stakeholders with no attitude given.
    attitude_colors: tuple[tuple[str | None, str, str], ...]
    #: low -> high score colours (present to missing uses this reversed where needed)
    score_colors: tuple[str, ...]
    point_size: float
    label_size: float
    small_text: float
    arrow_width: float

    def attitude_style(self, attitude: str | None) -> tuple[str, str]:
        """Return ``(colour, marker)`` for an attitude (``None`` for not given)."""
        for key, colour, marker in self.attitude_colors:
            if key == attitude:
                return colour, marker
        raise ValueError(f"unknown attitude {attitude!r}")

    @property
    def score_cmap(self) -> mpl.colors.Colormap:
        return mpl.colors.LinearSegmentedColormap.from_list(
            f"{self.name}_score", list(self.score_colors)
        )


# Attitude colours: dark teal, navy and burnt orange, chosen by search so that every pair
# stays at least 19 CIEDE2000 apart under protanopia, deuteranopia and tritanopia
# (tests/test_colour_access.py) while each keeps 4.5:1 on white and 3:1 on every
# quadrant fill. Each attitude also has its own marker, so colour is never the only cue.
_ATTITUDES = (
    (None, "#1a1a1a", "o"),
    ("supporter", "#0A766B", "P"),  # a plus
    ("neutral", "#0B3184", "s"),
    ("opponent", "#93380C", "X"),  # a cross
)

# The workbook and projector themes share their quadrant fills and score colours.
# Light blue, light orange, mint and off-white: at least 11 CIEDE2000 apart under every
# common colour-vision deficiency, and 10:1 or more behind the quadrant text.
_PASTEL_FILLS = ("#C8D5EE", "#FFE4B0", "#82D5BD", "#F4F0F1")
_BLUE_SCORES = ("#F7F7F7", "#C6DBEF", "#6BAED6", "#2171B5", "#08306B")

_THEMES = {
    "workbook": Theme(
        name="workbook",
        quadrant_fills=_PASTEL_FILLS,
        quadrant_hatches=("", "", "", ""),
        quadrant_text="#1a1a1a",
        text="#1a1a1a",
        muted_text="#4d4d4d",
        edge="#333333",
        accent="#0072B2",
        attitude_colors=_ATTITUDES,
        score_colors=_BLUE_SCORES,
        point_size=60,
        label_size=10,
        small_text=9,
        arrow_width=1.6,
    ),
    "projector": Theme(
        name="projector",
        quadrant_fills=_PASTEL_FILLS,
        quadrant_hatches=("", "", "", ""),
        quadrant_text="#000000",
        text="#000000",
        muted_text="#333333",
        edge="#1a1a1a",
        accent="#0072B2",
        attitude_colors=_ATTITUDES,
        score_colors=_BLUE_SCORES,
        point_size=220,
        label_size=18,
        small_text=18,
        arrow_width=3.5,
    ),
    "high_contrast": Theme(
        name="high_contrast",
        quadrant_fills=("#FFFFFF", "#FFFFFF", "#FFFFFF", "#FFFFFF"),
        quadrant_hatches=("//", "\\\\", "..", ""),
        quadrant_text="#000000",
        text="#000000",
        muted_text="#000000",
        edge="#000000",
        accent="#000000",
        attitude_colors=(
            # 7:1 or more on white; 18 CIEDE2000 apart under every deficiency
            (None, "#000000", "o"),
            ("supporter", "#1C625C", "P"),
            ("neutral", "#05206E", "s"),
            ("opponent", "#704016", "X"),
        ),
        score_colors=("#FFFFFF", "#BDBDBD", "#737373", "#3B3B3B", "#000000"),
        point_size=90,
        label_size=13,
        small_text=12,
        arrow_width=2.8,
    ),
}

STYLE_NAMES = tuple(_THEMES)
_active = "workbook"


def theme(name: str) -> Theme:
    """Return the named theme, raising ``ValueError`` for an unknown name."""
    try:
        return _THEMES[name]
    except KeyError:
        known = ", ".join(STYLE_NAMES)
        raise ValueError(f"unknown style {name!r}; choose one of: {known}") from None


def current_theme() -> Theme:
    """The theme selected by the last :func:`use_style` or the enclosing :func:`style_context`."""
    return _THEMES[_active]


#: Every chart draws text literally: a learner's "£5 or $5" never starts mathtext, and a
#: stray "$" or "_" never fails a draw. The one place this is set: every style, and so
#: every ``plot_*`` and ``update_*`` (which draw inside :func:`style_context`), gets it.
LITERAL_TEXT = {"text.parse_math": False}


def _sheet(name: str) -> list[str | dict[str, Any]]:
    theme(name)  # validates the name
    return [str(STYLE_DIR / f"{name}.mplstyle"), LITERAL_TEXT]


def use_style(name: str = "workbook") -> Theme:
    """Make ``name`` the style for every chart drawn from now on, and return its theme.

    When this changes the style, every :func:`on_style_change` subscriber is called with
    the new name (live charts redraw themselves in it).
    """
    global _active
    sheet = _sheet(name)
    plt.style.use(sheet)
    changed = name != _active
    _active = name
    if changed:
        _style_listeners.notify(name)
    return _THEMES[name]


class Listeners:
    """Callbacks held no longer than what they belong to.

    A bound method is held weakly (it goes when its object goes). Any other callable is
    kept alive by ``owner`` when one is given (stored on it), and dropped once the owner
    is collected or, for a widget, closed; without an owner it is held for good.
    """

    def __init__(self) -> None:
        self._entries: list[tuple[Callable[[], Any], Callable[[], Any] | None]] = []

    def add(self, callback: Callable[..., Any], owner: Any = None) -> None:
        if not callable(callback):
            raise TypeError(f"a callback must be callable, got {callback!r}")
        owner_ref = weakref.ref(owner) if owner is not None else None
        if owner is not None:
            kept = owner.__dict__.setdefault("_pl_listeners", [])
            kept.append(callback)
            ref: Callable[[], Any] = weakref.ref(callback)
        elif hasattr(callback, "__self__") and hasattr(callback, "__func__"):
            ref = weakref.WeakMethod(callback)
        else:
            ref = lambda cb=callback: cb  # noqa: E731 - a strong "reference"
        self._entries.append((ref, owner_ref))

    def _live(self) -> list[Callable[..., Any]]:
        alive, entries = [], []
        for ref, owner_ref in self._entries:
            callback = ref()
            owner = owner_ref() if owner_ref is not None else None
            if callback is None or (owner_ref is not None and owner is None):
                continue
            if owner is not None and getattr(owner, "comm", True) is None:  # a closed widget
                continue
            alive.append(callback)
            entries.append((ref, owner_ref))
        self._entries = entries
        return alive

    def __len__(self) -> int:
        return len(self._live())

    def notify(self, *args: Any) -> None:
        """Call every live callback; one that fails does not stop the rest."""
        failures: list[BaseException] = []
        for callback in self._live():
            try:
                callback(*args)
            except Exception as exc:  # report after the others have run
                failures.append(exc)
        if failures:
            raise failures[0]


_style_listeners = Listeners()


def on_style_change(callback: Callable[[str], Any], *, owner: Any = None) -> None:
    """Call ``callback(new_style_name)`` whenever :func:`use_style` changes the style.

    Live charts use this to redraw themselves in the new style (for example when
    projector mode is switched on). A bound method is held weakly; give any other
    callable an ``owner`` (usually the widget it redraws) so it lives as long as that.
    """
    _style_listeners.add(callback, owner)


def in_active_style(func: Callable[..., T]) -> Callable[..., T]:
    """Run a chart's ``update_*`` function inside :func:`style_context` of the active style.

    A live chart already calls its updater in its style; this makes an updater called on
    its own draw new text the same way (literal, see :data:`LITERAL_TEXT`), as every
    ``plot_*`` function does by entering :func:`style_context` itself.
    """

    @functools.wraps(func)
    def in_style(*args: Any, **kwargs: Any) -> T:
        if mpl.rcParams["text.parse_math"] is False:  # a style is in force (a live chart's)
            return func(*args, **kwargs)
        with style_context(current_theme().name):
            return func(*args, **kwargs)

    return in_style


@contextmanager
def style_context(name: str) -> Iterator[Theme]:
    """Draw with ``name`` inside a ``with`` block, then restore the previous style."""
    global _active
    sheet = _sheet(name)
    previous = _active
    with plt.style.context(sheet):
        _active = name
        try:
            yield _THEMES[name]
        finally:
            _active = previous
