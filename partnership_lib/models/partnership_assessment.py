"""The partnership self-assessment of Session 3: statements by partnership dimension.

:func:`assessment_items` reads the statements from ``data/influencing.yaml``, grouped by
the dimensions of :func:`partnership_lib.models.frameworks.partnership_dimensions`;
:func:`weakest_dimension` finds the dimension with the lowest mean rating. The room's
self-assessment view uses the same items.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from partnership_lib.core import content
from partnership_lib.models import frameworks

_CONTENT = "influencing"


RATING_MIN, RATING_MAX = 1, 5


def assessment_items() -> tuple[list[tuple[str, str]], list[tuple[str, list[str]]]]:
    """Self-assessment statements and their grouping by partnership dimension.

    Returns
    -------
    (items, groups)
        ``(key, text)`` pairs and ``(dimension label, item keys)`` pairs, in the order
        of :func:`partnership_lib.models.frameworks.partnership_dimensions`.

    Raises
    ------
    partnership_lib.core.content.ContentError
        For an unknown or repeated dimension, a dimension with no items, or a repeated
        item key.
    """
    dims = frameworks.partnership_dimensions()
    by_key = {d.key: d for d in dims}
    found: dict[str, list[tuple[str, str]]] = {}
    seen: set[str] = set()
    for raw in content.load(_CONTENT)["self_assessment"]:
        with content.content_entry(_CONTENT, f"self_assessment/{raw['dimension']}"):
            if raw["dimension"] not in by_key:
                raise ValueError(
                    f"unknown dimension {raw['dimension']!r}; dimensions: {', '.join(by_key)}"
                )
            if raw["dimension"] in found:
                raise ValueError(f"dimension {raw['dimension']!r} is listed twice")
            pairs = []
            for it in raw["items"]:
                if it["key"] in seen:
                    raise ValueError(f"item key {it['key']!r} is used twice")
                seen.add(it["key"])
                pairs.append((it["key"], it["text"]))
        found[raw["dimension"]] = pairs
    missing = [d.key for d in dims if d.key not in found]
    if missing:
        with content.content_entry(_CONTENT, "self_assessment"):
            raise ValueError(f"no items for dimension {missing[0]!r}")
    items = [pair for d in dims for pair in found[d.key]]
    groups = [(d.label, [k for k, _ in found[d.key]]) for d in dims]
    return items, groups


def _check_rating(item: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{item}: rating must be a number from 1 to 5, got {value!r}")
    if not RATING_MIN <= value <= RATING_MAX:
        raise ValueError(f"{item}: rating must be from 1 to 5, got {value!r}")
    return float(value)


def weakest_dimension(ratings: Mapping[str, Any] | None) -> frameworks.PartnershipDimension | None:
    """The partnership dimension with the lowest mean self-assessment rating.

    Parameters
    ----------
    ratings
        Item key -> rating 1..5 (or ``None`` for not rated), as stored by the
        self-assessment. Keys of other items are ignored.

    Returns
    -------
    PartnershipDimension or None
        Lowest mean over the rated items of each dimension; a tie goes to the dimension
        listed first. ``None`` when nothing is rated.

    Raises
    ------
    ValueError
        For a rating that is not a number from 1 to 5 (the message names the item).
    """
    if not ratings:
        return None
    _, groups = assessment_items()
    best: tuple[float, frameworks.PartnershipDimension] | None = None
    for dim, (_, keys) in zip(frameworks.partnership_dimensions(), groups, strict=True):
        values = [_check_rating(k, ratings.get(k)) for k in keys]
        values = [v for v in values if v is not None]
        if not values:
            continue
        mean = sum(values) / len(values)
        if best is None or mean < best[0]:
            best = (mean, dim)
    return best[1] if best else None
