"""Stakeholders, the power-interest grid's quadrant rules, and the grid itself.

A :class:`Stakeholder` is scored for power and interest from 0 to 10. A
:class:`QuadrantScheme` (loaded from ``data/quadrants.yaml``) names the four quadrants:
the workbook's INVOLVE, KEEP ON BOARD, INFORM and BE AWARE, or Mendelow's. The four
worked analyses from the workbook's Feedback Activity 3 live in
``data/worked_examples.yaml``.

Boundary rule: a score at or above the scheme's threshold (5.0) counts as high, so a
stakeholder scored exactly 5 on power is on the high-power side of the grid.
"""

from __future__ import annotations

import functools
import math
import numbers
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.patches import FancyArrowPatch, Rectangle
from matplotlib.transforms import Affine2D

from partnership_lib.charts.chart import ChartTable, declare_chart
from partnership_lib.charts.drawing import new_axes
from partnership_lib.charts.labels import PointLabeller
from partnership_lib.charts.live import Layer
from partnership_lib.core import content
from partnership_lib.core.style import current_theme, style_context

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from partnership_lib.charts.chart import ChartTable
    from partnership_lib.core.style import Theme

__all__ = [
    "ATTITUDES",
    "DEFAULT_SCHEME",
    "GRID_LAYER",
    "Quadrant",
    "QuadrantScheme",
    "Source",
    "Stakeholder",
    "WorkedExample",
    "as_frame",
    "as_stakeholders",
    "describe_power_interest_grid",
    "load_worked_example",
    "plot_power_interest_grid",
    "quadrant_of",
    "quadrant_schemes",
    "table_power_interest_grid",
    "update_power_interest_grid",
    "worked_examples",
]

ATTITUDES = ("supporter", "neutral", "opponent")
SCALE = (0.0, 10.0)
DEFAULT_SCHEME = "workbook"
_LEVELS = ("high", "low")
_QUADRANTS_FILE = "quadrants"
_EXAMPLES_FILE = "worked_examples"


# --- models ------------------------------------------------------------------------


def _score(name: object, what: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(
            f"stakeholder {name!r}: {what} must be a number from 0 to 10, got {value!r}"
        )
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"stakeholder {name!r}: {what} must be a finite number, got {value!r}")
    lo, hi = SCALE
    if not lo <= number <= hi:
        raise ValueError(f"stakeholder {name!r}: {what} must be from 0 to 10, got {value!r}")
    return number


@dataclass(frozen=True, slots=True)
class Stakeholder:
    """A person or organisation placed on the power-interest grid.

    Parameters
    ----------
    name
        How the stakeholder is labelled on the grid; must not be blank.
    power, interest
        Scores from 0 (low) to 10 (high). Integers are stored as floats.
    organisation, role
        Optional free text.
    attitude
        ``"supporter"``, ``"neutral"``, ``"opponent"`` or ``None`` (not given).
    """

    name: str
    power: float
    interest: float
    organisation: str = ""
    role: str = ""
    attitude: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise ValueError(f"stakeholder name must be text, got {self.name!r}")
        if not self.name.strip():
            raise ValueError(f"stakeholder name must not be empty, got {self.name!r}")
        object.__setattr__(self, "power", _score(self.name, "power", self.power))
        object.__setattr__(self, "interest", _score(self.name, "interest", self.interest))
        for attr in ("organisation", "role"):
            value = getattr(self, attr)
            if value is None:
                object.__setattr__(self, attr, "")
            elif not isinstance(value, str):
                raise ValueError(f"stakeholder {self.name!r}: {attr} must be text, got {value!r}")
        if self.attitude is not None and self.attitude not in ATTITUDES:
            raise ValueError(
                f"stakeholder {self.name!r}: unknown attitude {self.attitude!r}; "
                f"choose one of {', '.join(ATTITUDES)} or leave it empty"
            )

    @property
    def key(self) -> str:
        """The name as compared for duplicates: stripped and case-folded."""
        return _name_key(self.name)


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(frozen=True, slots=True)
class Source:
    """Where a quadrant scheme comes from: an "Author year" citation and a link."""

    citation: str
    url: str = ""
    reference: str = ""


@dataclass(frozen=True, slots=True)
class Quadrant:
    """One quadrant of a scheme: where it sits and what it means for engagement."""

    key: str
    label: str
    power: str  # "high" or "low"
    interest: str
    meaning: str
    guidance: str

    def __post_init__(self) -> None:
        for axis in ("power", "interest"):
            if getattr(self, axis) not in _LEVELS:
                raise ValueError(
                    f"quadrant {self.label!r}: {axis} must be 'high' or 'low', "
                    f"got {getattr(self, axis)!r}"
                )

    @property
    def position(self) -> str:
        """E.g. ``"high power, low interest"``."""
        return f"{self.power} power, {self.interest} interest"


@dataclass(frozen=True, slots=True)
class QuadrantScheme:
    """Four named quadrants and the threshold that separates low from high.

    ``quadrants`` is in the fixed order high/high, high/low, low/high, low/low
    (power/interest), the order of :class:`~partnership_lib.core.style.Theme` fills.
    """

    key: str
    title: str
    threshold: float
    boundary_rule: str
    sources: tuple[Source, ...]
    quadrants: tuple[Quadrant, Quadrant, Quadrant, Quadrant]

    def __post_init__(self) -> None:
        combos = [(q.power, q.interest) for q in self.quadrants]
        wanted = [(p, i) for p in _LEVELS for i in _LEVELS]
        if sorted(combos) != sorted(wanted):
            raise ValueError(
                f"scheme {self.key!r} needs exactly one quadrant for each of high/low power "
                f"and high/low interest, got {combos}"
            )
        labels = [q.label for q in self.quadrants]
        if len({_name_key(label) for label in labels}) != len(labels):
            raise ValueError(f"scheme {self.key!r} repeats a quadrant label: {labels}")
        order = {combo: i for i, combo in enumerate(wanted)}
        ordered = tuple(sorted(self.quadrants, key=lambda q: order[(q.power, q.interest)]))
        object.__setattr__(self, "quadrants", ordered)

    def level(self, score: float) -> str:
        """``"high"`` when ``score >= threshold``, else ``"low"``."""
        return "high" if score >= self.threshold else "low"

    def quadrant_at(self, power: float, interest: float) -> Quadrant:
        """The quadrant for a pair of scores (``>= threshold`` counts as high)."""
        p, i = self.level(power), self.level(interest)
        for q in self.quadrants:
            if q.power == p and q.interest == i:
                return q
        raise AssertionError("unreachable: a scheme always has all four quadrants")

    def by_label(self, label: str) -> Quadrant:
        for q in self.quadrants:
            if q.label == label:
                return q
        known = ", ".join(q.label for q in self.quadrants)
        raise ValueError(f"scheme {self.key!r} has no quadrant {label!r}; it has: {known}")


@dataclass(frozen=True, slots=True)
class WorkedExample:
    """One of the workbook's worked stakeholder analyses (Feedback Activity 3).

    ``quadrants`` holds, for each stakeholder in turn, the workbook-scheme quadrant the
    workbook placed it in.
    """

    key: str
    title: str
    note: str
    stakeholders: tuple[Stakeholder, ...]
    quadrants: tuple[str, ...] = ()


# --- content -------------------------------------------------------------------------

_memo: dict[str, tuple[Any, Any]] = {}


def _memoised(name: str, build):
    """Build models once per loaded content object (content.load caches the object)."""
    raw = content.load(name)
    hit = _memo.get(name)
    if hit is not None and hit[0] is raw:
        return hit[1]
    value = build(raw)
    _memo[name] = (raw, value)
    return value


def _content_error(name: str, problem: str, *, entry: str, field: str = "") -> content.ContentError:
    return content.ContentError(
        content.data_dir() / f"{name}.yaml", problem, entry=entry, field=field
    )


def _build_schemes(raw: Mapping[str, Any]) -> dict[str, QuadrantScheme]:
    schemes: dict[str, QuadrantScheme] = {}
    for s in raw["schemes"]:
        entry = f"schemes/{s['key']}"
        if s["key"] in schemes:
            raise _content_error(_QUADRANTS_FILE, "duplicate scheme key", entry=entry, field="key")
        quadrants = []
        for q in s["quadrants"]:
            quadrants.append(
                content.build(
                    _QUADRANTS_FILE,
                    f"{entry}/quadrants/{q['key']}",
                    Quadrant,
                    key=q["key"],
                    label=q["label"],
                    power=q["power"],
                    interest=q["interest"],
                    meaning=" ".join(q["meaning"].split()),
                    guidance=" ".join(q["guidance"].split()),
                )
            )
        sources = tuple(
            Source(
                citation=src["citation"],
                url=src.get("url", ""),
                reference=" ".join(src.get("reference", "").split()),
            )
            for src in s["sources"]
        )
        schemes[s["key"]] = content.build(
            _QUADRANTS_FILE,
            entry,
            QuadrantScheme,
            key=s["key"],
            title=s["title"],
            threshold=float(s["threshold"]),
            boundary_rule=" ".join(s["boundary_rule"].split()),
            sources=sources,
            quadrants=tuple(quadrants),
        )
    return schemes


def quadrant_schemes() -> dict[str, QuadrantScheme]:
    """The quadrant schemes from ``data/quadrants.yaml``, by key.

    ``"workbook"`` (the default: INVOLVE, KEEP ON BOARD, INFORM, BE AWARE) and
    ``"mendelow"`` (Manage closely, Keep satisfied, Keep informed, Monitor).

    Raises
    ------
    ContentError
        When the file is malformed; the message names file, entry and field.
    """
    return dict(_memoised(_QUADRANTS_FILE, _build_schemes))


def _scheme(scheme: str | QuadrantScheme) -> QuadrantScheme:
    if isinstance(scheme, QuadrantScheme):
        return scheme
    schemes = _memoised(_QUADRANTS_FILE, _build_schemes)
    try:
        return schemes[scheme]
    except (KeyError, TypeError):
        known = ", ".join(schemes)
        raise ValueError(f"unknown quadrant scheme {scheme!r}; choose one of: {known}") from None


def quadrant_of(stakeholder: Stakeholder, scheme: str | QuadrantScheme = DEFAULT_SCHEME) -> str:
    """Return the label of the quadrant a stakeholder falls in.

    Boundary rule: a score of exactly the threshold (5.0) counts as HIGH (``>=``), so
    ``Stakeholder("A", power=5, interest=5)`` is in INVOLVE and 4.999 is low.

    Parameters
    ----------
    stakeholder
        The stakeholder to place.
    scheme
        ``"workbook"`` (default) or ``"mendelow"``, or a :class:`QuadrantScheme`.

    Returns
    -------
    str
        The quadrant's label, e.g. ``"KEEP ON BOARD"``.
    """
    return _scheme(scheme).quadrant_at(stakeholder.power, stakeholder.interest).label


def _build_examples(raw: Mapping[str, Any]) -> dict[str, WorkedExample]:
    workbook = _scheme(DEFAULT_SCHEME)
    labels = {q.label for q in workbook.quadrants}
    examples: dict[str, WorkedExample] = {}
    for ex in raw["examples"]:
        entry = f"examples/{ex['key']}"
        if ex["key"] in examples:
            raise _content_error(_EXAMPLES_FILE, "duplicate example key", entry=entry, field="key")
        people: list[Stakeholder] = []
        placed: list[str] = []
        seen: dict[str, str] = {}
        for row in ex["stakeholders"]:
            where = f"{entry}/stakeholders/{row['name']}"
            person = content.build(
                _EXAMPLES_FILE,
                where,
                Stakeholder,
                name=row["name"],
                power=row["power"],
                interest=row["interest"],
                organisation=row.get("organisation", ""),
                role=row.get("role", ""),
            )
            if person.key in seen:
                raise _content_error(
                    _EXAMPLES_FILE,
                    f"duplicate name {row['name']!r} (already used by {seen[person.key]!r})",
                    entry=where,
                    field="name",
                )
            seen[person.key] = row["name"]
            if row["quadrant"] not in labels:
                raise _content_error(
                    _EXAMPLES_FILE,
                    f"unknown quadrant {row['quadrant']!r}; choose one of: {', '.join(labels)}",
                    entry=where,
                    field="quadrant",
                )
            actual = workbook.quadrant_at(person.power, person.interest).label
            if actual != row["quadrant"]:
                raise _content_error(
                    _EXAMPLES_FILE,
                    f"power {person.power:g} and interest {person.interest:g} fall in "
                    f"{actual}, not {row['quadrant']}",
                    entry=where,
                    field="quadrant",
                )
            people.append(person)
            placed.append(row["quadrant"])
        examples[ex["key"]] = WorkedExample(
            key=ex["key"],
            title=ex["title"],
            note=" ".join(ex["note"].split()),
            stakeholders=tuple(people),
            quadrants=tuple(placed),
        )
    return examples


def worked_examples() -> dict[str, WorkedExample]:
    """The workbook's four worked stakeholder analyses, by key.

    Keys: ``community_safety``, ``local_strategic``, ``drug_alcohol``,
    ``teenage_pregnancy``. Positions are representative values inside the quadrant the
    workbook gave; attitudes are not given.
    """
    return dict(_memoised(_EXAMPLES_FILE, _build_examples))


def load_worked_example(key: str) -> list[Stakeholder]:
    """The stakeholders of one worked example, e.g. ``load_worked_example("drug_alcohol")``.

    Raises
    ------
    ValueError
        For an unknown key; the message lists the known keys.
    """
    examples = _memoised(_EXAMPLES_FILE, _build_examples)
    try:
        return list(examples[key].stakeholders)
    except (KeyError, TypeError):
        known = ", ".join(examples)
        raise ValueError(f"unknown worked example {key!r}; choose one of: {known}") from None


# --- tabular input -------------------------------------------------------------------

_REQUIRED = ("name", "power", "interest")
_OPTIONAL = ("organisation", "role", "attitude")


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, pd.NA and NaT are not equal to themselves
    except (TypeError, ValueError):
        return False


def _text(value: Any) -> Any:
    return "" if _missing(value) else value


def _attitude(value: Any) -> Any:
    if _missing(value):
        return None
    if isinstance(value, str):
        value = value.strip().lower()
        return value or None
    return value


def _row_stakeholder(row: Mapping[str, Any], where: str) -> Stakeholder:
    missing = [c for c in _REQUIRED if c not in row]
    if missing:
        raise ValueError(f"{where}: missing field(s) {', '.join(missing)}")
    name = row["name"]
    if _missing(name):
        name = ""
    if isinstance(name, str):
        name = name.strip()
    for column in ("power", "interest"):
        if _missing(row[column]):
            label = name if isinstance(name, str) and name else "(no name)"
            raise ValueError(
                f"{where}: stakeholder {label!r}: {column} is missing (got {row[column]!r})"
            )
    try:
        return Stakeholder(
            name=name,
            power=row["power"],
            interest=row["interest"],
            organisation=_text(row.get("organisation", "")),
            role=_text(row.get("role", "")),
            attitude=_attitude(row.get("attitude")),
        )
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None


def _frame_rows(frame: pd.DataFrame) -> list[Stakeholder]:
    if frame.shape == (0, 0):
        return []
    missing = [c for c in _REQUIRED if c not in frame.columns]
    if missing:
        raise ValueError(f"stakeholder table is missing column(s): {', '.join(missing)}")
    cols = [c for c in (*_REQUIRED, *_OPTIONAL) if c in frame.columns]
    out = []
    for pos, values in enumerate(frame[cols].itertuples(index=False, name=None), start=1):
        row = dict(zip(cols, values, strict=True))
        out.append(_row_stakeholder(row, f"row {pos}"))
    return out


def as_stakeholders(data: Any) -> list[Stakeholder]:
    """Turn a list of :class:`Stakeholder`, a list of dicts or a DataFrame into stakeholders.

    Parameters
    ----------
    data
        A sequence of ``Stakeholder`` or mappings, or a ``pandas.DataFrame`` with the
        columns ``name``, ``power``, ``interest`` and optionally ``organisation``,
        ``role`` and ``attitude`` (other columns are ignored). Missing optional text
        becomes ``""`` (attitude: ``None``).

    Returns
    -------
    list[Stakeholder]

    Raises
    ------
    ValueError
        For a missing column or field, a bad value (the message names the row), or two
        rows whose names match once stripped and case-folded.
    """
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(data, pandas.DataFrame):
        people = _frame_rows(data)
    elif isinstance(data, Stakeholder):
        people = [data]
    elif isinstance(data, (str, bytes, Mapping)) or not isinstance(data, Iterable):
        raise ValueError(
            f"expected a list of stakeholders or a DataFrame, got {type(data).__name__}"
        )
    else:
        people = []
        for pos, item in enumerate(data, start=1):
            if isinstance(item, Stakeholder):
                people.append(item)
            elif isinstance(item, Mapping):
                people.append(_row_stakeholder(item, f"row {pos}"))
            else:
                raise ValueError(
                    f"row {pos}: expected a Stakeholder or a dict, got {type(item).__name__}"
                )
    seen: dict[str, tuple[int, str]] = {}
    for pos, person in enumerate(people, start=1):
        earlier = seen.get(person.key)
        if earlier is not None:
            raise ValueError(
                f"duplicate stakeholder name {person.name!r} in row {pos}: "
                f"row {earlier[0]} is already called {earlier[1]!r}"
            )
        seen[person.key] = (pos, person.name)
    return people


def as_frame(stakeholders: Any, *, scheme: str | QuadrantScheme = DEFAULT_SCHEME) -> pd.DataFrame:
    """A DataFrame of stakeholders with a ``quadrant`` column.

    Columns: ``name``, ``power``, ``interest``, ``organisation``, ``role``,
    ``attitude``, ``quadrant`` (the label in ``scheme``).
    """
    import pandas as pd

    qs = _scheme(scheme)
    people = as_stakeholders(stakeholders)
    columns = ["name", "power", "interest", "organisation", "role", "attitude", "quadrant"]
    rows = [
        (
            p.name,
            p.power,
            p.interest,
            p.organisation,
            p.role,
            p.attitude,
            qs.quadrant_at(p.power, p.interest).label,
        )
        for p in people
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"power": float, "interest": float})


# --- the grid ------------------------------------------------------------------------

_LAYOUT_GID = "label-layout"
#: The title's pad above the grid, as a share of the title's size (see _draw_background).
TITLE_PAD = 0.55

#: What a live view of the grid repaints over a cached picture of the quadrants: the
#: stakeholder markers, names, leader lines, earlier positions and movement arrows. The
#: labeller places the names when it is drawn, moving names the update never touched, so
#: the live view compares each of these artists with what it showed (see
#: :class:`~partnership_lib.charts.live.Layer`); a stakeholder added or removed redraws
#: the whole layer.
GRID_LAYER = Layer(
    gids=("stakeholders", _LAYOUT_GID, "previous-positions"),
    prefixes=("label:", "leader:", "move:"),
    markers=("stakeholders", "previous-positions"),
    rebuild="stakeholders",
    placer=_LAYOUT_GID,
    counted="label:",
)

_ATTITUDE_NAMES = {
    None: "Not given",
    "supporter": "Supporter",
    "neutral": "Neutral",
    "opponent": "Opponent",
}


def _fmt(value: float) -> str:
    return f"{value:g}"


def _moves(
    people: list[Stakeholder], before: list[Stakeholder]
) -> list[tuple[Stakeholder, Stakeholder]]:
    earlier = {p.key: p for p in before}
    out = []
    for p in people:
        old = earlier.get(p.key)
        if old is not None and (old.power, old.interest) != (p.power, p.interest):
            out.append((old, p))
    return out


def plot_power_interest_grid(
    stakeholders: Any,
    *,
    scheme: str | QuadrantScheme = DEFAULT_SCHEME,
    ax: Axes | None = None,
    show_attitude: bool = True,
    previous: Any = None,
    title: str | None = None,
    **scatter_kws: Any,
) -> Axes:
    """Draw stakeholders on a power (x) by interest (y) grid with labelled quadrants.

    Parameters
    ----------
    stakeholders
        A list of :class:`Stakeholder` (or dicts) or a DataFrame; see
        :func:`as_stakeholders`. An empty list draws the empty grid.
    scheme
        ``"workbook"`` (INVOLVE, KEEP ON BOARD, INFORM, BE AWARE) or ``"mendelow"``.
    ax
        Axes to draw on; a new figure (constrained layout) in the active style when
        ``None``. The attitude key sits to the right of the Axes, so a figure you
        supply needs room there (or a layout engine).
    show_attitude
        When any stakeholder has an attitude, colour and shape the markers by attitude
        (from the theme) and add a key beside the grid.
    previous
        An earlier placement (same input types). Each stakeholder present in both with a
        changed position gets an arrow from its old position (a hollow marker).
    title
        Optional title above the grid.
    **scatter_kws
        Passed to ``Axes.scatter`` for the stakeholder markers.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Names are placed at draw time, when the figure's size is final, so that no label
    overlaps another label, a marker or a quadrant label, and every label stays inside
    the Axes; a label set away from its point gets a thin leader line. Scores of exactly
    5 count as high (see :func:`quadrant_of`).

    Artists carry gids: ``"quadrant:<LABEL>"`` (fill), ``"quadrant-label:<LABEL>"``,
    ``"divider:power"``, ``"divider:interest"``, ``"stakeholders"`` (the marker
    collection, offsets in input order), ``"label:<name>"``, ``"leader:<name>"``
    (visible only when that name sits away from its point),
    ``"previous-positions"`` and ``"move:<name>"``.
    """
    qs = _scheme(scheme)
    people = as_stakeholders(stakeholders)
    before = as_stakeholders(previous) if previous is not None else None
    with style_context(current_theme().name) as theme:
        if ax is None:
            ax = new_axes(w_pad=0.12, h_pad=0.12)
        _draw_background(ax, qs, theme, title)
        _draw_layer(ax, qs, theme, people, before, show_attitude, scatter_kws)
    return ax


def update_power_interest_grid(
    ax: Axes,
    stakeholders: Any,
    *,
    scheme: str | QuadrantScheme | None = None,
    previous: Any = None,
    show_attitude: bool | None = None,
) -> list[Any] | None:
    """Show new stakeholder data on a grid drawn by :func:`plot_power_interest_grid`.

    The quadrants stay; markers, names, leader lines, arrows and the key are updated in
    place (a moved point just moves its marker) and the names are placed again at the
    next draw. Use this to redraw one long-lived figure on every edit.

    Parameters
    ----------
    ax
        Axes returned by :func:`plot_power_interest_grid`; its scheme, style and
        ``scatter_kws`` are kept.
    stakeholders
        The new data (any input :func:`as_stakeholders` accepts).
    scheme
        The grid's quadrant scheme; ``None`` or the scheme it was drawn with. Another
        one changes nothing and returns ``None``: the grid must be drawn again.
    previous
        An earlier placement to draw movement arrows from, or ``None``.
    show_attitude
        Change the attitude colouring; ``None`` keeps the setting of the first call.

    Returns
    -------
    list of Artist or None
        The artists it changed or added. Names are placed at the next draw, so which
        of them move is known only then: a live view compares the artists of
        :data:`GRID_LAYER` instead of trusting this list.

    Raises
    ------
    ValueError
        When ``ax`` holds no power-interest grid, or for bad stakeholder data.
    """
    layout = _find_layout(ax)
    state: _GridState = layout.grid_state
    if scheme is not None and _scheme(scheme) != state.scheme:
        return None
    people = as_stakeholders(stakeholders)
    before = as_stakeholders(previous) if previous is not None else None
    show = state.show_attitude if show_attitude is None else show_attitude
    with style_context(state.theme.name):
        if (
            before is None
            and state.previous is None
            and show == state.show_attitude
            and [(p.name, p.attitude) for p in people]
            == [(p.name, p.attitude) for p in state.people]
        ):
            xy = [(p.power, p.interest) for p in people]
            state.collection.set_offsets(xy if xy else _empty_xy())
            layout.set_points(xy)
            state.people = people
            return [state.collection, layout]
        for artist in state.artists:
            artist.remove()
        _draw_layer(ax, state.scheme, state.theme, people, before, show, state.scatter_kws)
    return list(_find_layout(ax).grid_state.artists)


def _empty_xy():

    return np.zeros((0, 2))


def _find_layout(ax: Axes):
    for artist in ax.artists:
        if artist.get_gid() == _LAYOUT_GID and hasattr(artist, "grid_state"):
            return artist
    raise ValueError("these Axes hold no power-interest grid; draw one first")


@dataclass(slots=True)
class _GridState:
    """What :func:`update_power_interest_grid` needs to know about a drawn grid."""

    scheme: QuadrantScheme
    theme: Theme
    show_attitude: bool
    scatter_kws: dict[str, Any]
    people: list[Stakeholder]
    previous: list[Stakeholder] | None
    collection: Any
    artists: list[Any]


def _sizes(theme: Theme) -> dict[str, float]:
    return {
        "quadrant": max(theme.small_text, theme.label_size * 1.5),
        "name": max(theme.small_text, theme.label_size),
        "key": max(theme.small_text, theme.label_size * 0.9),
        "edge": max(0.8, theme.arrow_width * 0.45),
        "leader": max(0.8, theme.arrow_width * 0.4),
    }


def _draw_background(ax: Axes, qs: QuadrantScheme, theme: Theme, title: str | None) -> None:

    sizes = _sizes(theme)
    t = qs.threshold
    lo, hi = SCALE
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_xticks(range(int(lo), int(hi) + 1))
    ax.set_yticks(range(int(lo), int(hi) + 1))
    ax.set_xlabel("Power")
    ax.set_ylabel("Interest")
    ax.tick_params(length=3)
    # "low" and "high" at the ends of each axis title, on the same line as the title.
    ends = (
        ("power", "low", (0, 0.5), ("axes fraction", ax.xaxis.label), "left", "center", 0),
        ("power", "high", (1, 0.5), ("axes fraction", ax.xaxis.label), "right", "center", 0),
        ("interest", "low", (0.5, 0), (ax.yaxis.label, "axes fraction"), "center", "bottom", 90),
        ("interest", "high", (0.5, 1), (ax.yaxis.label, "axes fraction"), "center", "top", 90),
    )
    for axis_name, end, xy, coords, ha, va, rotation in ends:
        note = ax.annotate(
            end,
            xy=xy,
            xycoords=coords,
            ha=ha,
            va=va,
            rotation=rotation,
            fontsize=ax.xaxis.label.get_fontsize(),
            fontstyle="italic",
            color=theme.muted_text,
            annotation_clip=False,
        )
        note.set_gid(f"axis-end:{axis_name}:{end}")
        note.set_in_layout(False)

    inset = 0.6 * sizes["quadrant"]  # points from the Axes corner
    # Hatching at half strength keeps quadrants apart without drowning the names.
    hatch_colour = to_rgba(theme.edge, 0.5)
    spans = {"low": (lo, t), "high": (t, hi)}
    for q, fill, hatch in zip(
        qs.quadrants, theme.quadrant_fills, theme.quadrant_hatches, strict=True
    ):
        (x0, x1), (y0, y1) = spans[q.power], spans[q.interest]
        patch = Rectangle(
            (x0, y0),
            x1 - x0,
            y1 - y0,
            facecolor=fill,
            hatch=hatch or None,
            edgecolor=hatch_colour,  # matplotlib < 3.10 draws hatches in the edge colour
            linewidth=0,
            zorder=0,
            gid=f"quadrant:{q.label}",
        )
        if hasattr(patch, "set_hatchcolor"):
            patch.set_edgecolor("none")
            patch.set_hatchcolor(hatch_colour)
        ax.add_patch(patch)
        right = q.power == "high"
        top = q.interest == "high"
        label = ax.annotate(
            q.label,
            xy=(1.0 if right else 0.0, 1.0 if top else 0.0),
            xycoords="axes fraction",
            xytext=(-inset if right else inset, -inset if top else inset),
            textcoords="offset points",
            ha="right" if right else "left",
            va="top" if top else "bottom",
            fontsize=sizes["quadrant"],
            fontweight="bold",
            color=theme.quadrant_text,
            zorder=2,
            bbox={"boxstyle": "square,pad=0.2", "facecolor": fill, "edgecolor": "none"},
        )
        label.set_gid(f"quadrant-label:{q.label}")
    line_kw = {"color": theme.edge, "linewidth": plt.rcParams["axes.linewidth"] * 1.2, "zorder": 1}
    ax.axvline(t, **line_kw).set_gid("divider:power")
    ax.axhline(t, **line_kw).set_gid("divider:interest")
    if title:
        # Matplotlib's pad (6 pt) is measured from the baseline: a 30 pt projector title's
        # descenders would touch the grid. Clear it by about a third of the title's size.
        ax.set_title(title, pad=TITLE_PAD * plt.rcParams["axes.titlesize"])


@functools.cache
def _marker_scale(marker: str) -> float:
    """Linear factor that gives ``marker`` the same area as the circle marker.

    Matplotlib's triangle covers about 64% of the circle's area and its square 127%, so
    at one ``s`` a triangle looks much smaller; equal areas give equal visual weight.
    """

    def area(m: str) -> float:
        style = MarkerStyle(m)
        path = style.get_path().transformed(style.get_transform())
        total = 0.0
        for poly in path.to_polygons():
            x, y = poly[:, 0], poly[:, 1]
            total += 0.5 * abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))
        return total

    own = area(marker)
    return math.sqrt(area("o") / own) if own > 0 else 1.0


def _marker_paths(markers: Sequence[str]) -> list[Any]:

    cache: dict[str, Any] = {}
    out = []
    for m in markers:
        if m not in cache:
            style = MarkerStyle(m)
            scale = Affine2D().scale(_marker_scale(m))
            cache[m] = style.get_path().transformed(style.get_transform() + scale)
        out.append(cache[m])
    return out


def _draw_layer(
    ax: Axes,
    qs: QuadrantScheme,
    theme: Theme,
    people: list[Stakeholder],
    before: list[Stakeholder] | None,
    show_attitude: bool,
    scatter_kws: dict[str, Any],
) -> None:

    sizes = _sizes(theme)
    size = float(scatter_kws.get("s", theme.point_size))
    use_attitude = show_attitude and any(p.attitude is not None for p in people)
    styles = [theme.attitude_style(p.attitude if use_attitude else None) for p in people]
    colours = [c for c, _ in styles]
    markers = [m for _, m in styles]
    xy = np.array([(p.power, p.interest) for p in people], dtype=float).reshape(-1, 2)
    artists: list[Any] = []

    kws = {
        "s": size,
        "edgecolors": "white",
        "linewidths": sizes["edge"],
        "zorder": 3,
        "clip_on": False,
        **scatter_kws,
    }
    if not {"c", "color", "facecolor", "facecolors"} & set(scatter_kws):
        kws["color"] = colours if colours else theme.attitude_style(None)[0]
    collection = ax.scatter(xy[:, 0], xy[:, 1], **kws)
    if "marker" not in scatter_kws:
        collection.set_paths(_marker_paths(markers))
    collection.set_gid("stakeholders")
    artists.append(collection)

    moves = _moves(people, before) if before is not None else []
    old_xy = np.array([(o.power, o.interest) for o, _ in moves], dtype=float).reshape(-1, 2)
    segments = np.array(
        [[(o.power, o.interest), (n.power, n.interest)] for o, n in moves], dtype=float
    ).reshape(-1, 2, 2)
    if moves:
        move_styles = [theme.attitude_style(n.attitude if use_attitude else None) for _, n in moves]
        hollow = ax.scatter(
            old_xy[:, 0],
            old_xy[:, 1],
            s=size,
            facecolors="none",
            edgecolors=[c for c, _ in move_styles],
            linewidths=max(1.0, theme.arrow_width * 0.6),
            zorder=2.6,
            clip_on=False,
        )
        hollow.set_paths(_marker_paths([m for _, m in move_styles]))
        hollow.set_gid("previous-positions")
        artists.append(hollow)
        shrink = np.sqrt(size) / 2 + 2
        for old, new in moves:
            arrow = FancyArrowPatch(
                (old.power, old.interest),
                (new.power, new.interest),
                arrowstyle="-|>",
                mutation_scale=6 + 3 * theme.arrow_width,
                linewidth=theme.arrow_width,
                color=theme.muted_text,
                shrinkA=shrink,
                shrinkB=shrink,
                zorder=2.8,
                gid=f"move:{new.name}",
            )
            ax.add_patch(arrow)
            artists.append(arrow)

    pad = 0.15
    texts = []
    leaders = []
    for p in people:
        text = ax.text(
            p.power,
            p.interest,
            p.name,
            ha="center",
            va="center",
            fontsize=sizes["name"],
            color=theme.text,
            zorder=4,
            bbox={
                "boxstyle": f"round,pad={pad}",
                "facecolor": "white",
                "edgecolor": "none",
                "alpha": 1.0 if any(theme.quadrant_hatches) else 0.85,
            },
        )
        text.set_gid(f"label:{p.name}")
        text.set_in_layout(False)
        texts.append(text)
        (line,) = ax.plot(
            [p.power, p.power],
            [p.interest, p.interest],
            color=theme.muted_text,
            linewidth=sizes["leader"],
            zorder=2.5,
            visible=False,
            solid_capstyle="round",
        )
        line.set_gid(f"leader:{p.name}")
        line.set_in_layout(False)
        leaders.append(line)
    artists.extend(texts)
    artists.extend(leaders)

    quad_labels = [a for a in ax.texts if str(a.get_gid() or "").startswith("quadrant-label:")]
    layout = PointLabeller(
        texts,
        leaders,
        xy=xy,
        marker_size=size,
        pad=pad * sizes["name"],
        extra_points=old_xy,
        avoid=quad_labels,
        soft_x=(qs.threshold,),
        soft_y=(qs.threshold,),
        soft_segments=segments,
    )
    layout.set_gid(_LAYOUT_GID)
    ax.add_artist(layout)
    artists.append(layout)

    legend = _draw_key(ax, theme, people, use_attitude, bool(moves), size, sizes)
    if legend is not None:
        artists.append(legend)
    layout.grid_state = _GridState(
        scheme=qs,
        theme=theme,
        show_attitude=show_attitude,
        scatter_kws=dict(scatter_kws),
        people=people,
        previous=before,
        collection=collection,
        artists=artists,
    )


def _draw_key(ax, theme, people, use_attitude, moved, size, sizes):

    handles = []
    ms = size**0.5
    if use_attitude:
        present = {p.attitude for p in people}
        keys: list[str | None] = list(ATTITUDES)
        if None in present:
            keys.append(None)
        for key in keys:
            colour, marker = theme.attitude_style(key)
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker=marker,
                    markersize=ms * _marker_scale(marker),
                    color=colour,
                    markeredgecolor="white",
                    label=_ATTITUDE_NAMES[key],
                )
            )
    if moved:
        colour, marker = theme.attitude_style(None)
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker=marker,
                markersize=ms * _marker_scale(marker),
                markerfacecolor="none",
                markeredgecolor=colour,
                markeredgewidth=max(1.0, theme.arrow_width * 0.6),
                label="Earlier position",
            )
        )
    if not handles:
        if ax.get_legend() is not None:
            ax.get_legend().remove()
        return None
    legend = ax.legend(
        handles=handles,
        title="Attitude" if use_attitude else None,
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
        borderaxespad=0.0,
        frameon=False,
        fontsize=sizes["key"],
        title_fontsize=sizes["key"],
        alignment="left",
    )
    legend.set_gid("key")
    return legend


# --- text twin -----------------------------------------------------------------------


def describe_power_interest_grid(
    stakeholders: Any,
    *,
    scheme: str | QuadrantScheme = DEFAULT_SCHEME,
    previous: Any = None,
) -> str:
    """Plain-text description of the grid, for screen readers and alt text.

    It gives the number of stakeholders, then for each quadrant (INVOLVE, KEEP ON BOARD,
    INFORM, BE AWARE in the workbook scheme) its label, what it means for engagement and
    the stakeholders in it with their scores, then any movements from ``previous``.
    """
    qs = _scheme(scheme)
    people = as_stakeholders(stakeholders)
    if not people:
        names = ", ".join(q.label for q in qs.quadrants)
        return (
            "Power-interest grid: no stakeholders have been placed yet. "
            f"Its four quadrants are {names}."
        )
    count = "1 stakeholder" if len(people) == 1 else f"{len(people)} stakeholders"
    lines = [
        f"Power-interest grid with {count}, power from left (low) to right (high) and "
        f"interest from bottom (low) to top (high); a score of {_fmt(qs.threshold)} or more "
        "counts as high."
    ]
    for q in qs.quadrants:
        members = [p for p in people if qs.quadrant_at(p.power, p.interest) is q]
        head = f"{q.label} ({q.position}): {q.meaning}"
        if not members:
            lines.append(f"{head} No stakeholders here.")
            continue
        items = []
        for p in members:
            extra = f", {p.attitude}" if p.attitude else ""
            items.append(f"{p.name} (power {_fmt(p.power)}, interest {_fmt(p.interest)}{extra})")
        lines.append(f"{head} {len(members)} here: {'; '.join(items)}.")
    if previous is not None:
        moves = _moves(people, as_stakeholders(previous))
        if not moves:
            lines.append("No stakeholder has moved since the earlier placement.")
        else:
            parts = []
            for old, new in moves:
                q_old = qs.quadrant_at(old.power, old.interest).label
                q_new = qs.quadrant_at(new.power, new.interest).label
                where = f"from {q_old} to {q_new}" if q_old != q_new else f"within {q_new}"
                parts.append(
                    f"{new.name} moved {where} (power {_fmt(old.power)} to {_fmt(new.power)}, "
                    f"interest {_fmt(old.interest)} to {_fmt(new.interest)})"
                )
            lines.append("Movements since the earlier placement: " + "; ".join(parts) + ".")
    return "\n".join(lines)


def table_power_interest_grid(
    stakeholders: Any,
    *,
    scheme: str | QuadrantScheme = DEFAULT_SCHEME,
    previous: Any = None,
    show_attitude: bool = True,
    title: str | None = None,
) -> ChartTable:
    """The data of :func:`plot_power_interest_grid` as a table, one row per stakeholder.

    Columns: stakeholder, organisation, power, interest, the quadrant (the scheme's
    label) and, as on the chart, the attitude when ``show_attitude`` and anyone has one;
    with ``previous``, the earlier position and the movement the chart's arrows show.
    Rows are in input order.
    """

    qs = _scheme(scheme)
    people = as_stakeholders(stakeholders)
    columns = ["Stakeholder", "Organisation", "Power", "Interest", "Quadrant"]
    use_attitude = show_attitude and any(p.attitude is not None for p in people)
    if use_attitude:
        columns.append("Attitude")
    earlier: dict[str, Stakeholder] | None = None
    if previous is not None:
        earlier = {p.key: p for p in as_stakeholders(previous)}
        columns += ["Earlier position", "Movement"]
    rows = []
    for p in people:
        here = qs.quadrant_at(p.power, p.interest).label
        row: list[Any] = [p.name, p.organisation, p.power, p.interest, here]
        if use_attitude:
            row.append(_ATTITUDE_NAMES[p.attitude])
        if earlier is not None:
            old = earlier.get(p.key)
            if old is None:
                row += ["", "Not in the earlier placement"]
            else:
                before = qs.quadrant_at(old.power, old.interest).label
                row.append(f"power {_fmt(old.power)}, interest {_fmt(old.interest)}")
                if (old.power, old.interest) == (p.power, p.interest):
                    row.append("Not moved")
                elif before != here:
                    row.append(f"Moved from {before} to {here}")
                else:
                    row.append(f"Moved within {here}")
        rows.append(tuple(row))
    return ChartTable(title or "Power-interest grid", tuple(columns), tuple(rows))


# The text and data twins of this module's charts, and their live updaters.
declare_chart(
    plot_power_interest_grid,
    describe=describe_power_interest_grid,
    table=table_power_interest_grid,
    update=update_power_interest_grid,
    layer=GRID_LAYER,
)
