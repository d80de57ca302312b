"""Where is a partnership in its lifecycle? A diagnosis from observed characteristics.

:func:`diagnose_stage` counts the characteristics a learner ticks for each stage of a
lifecycle model; :func:`stage_tactics` are the tactics suited to each stage
(``data/concepts.yaml``). The room's lifecycle view uses the same diagnosis.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from partnership_lib.core import content
from partnership_lib.models.lifecycle import LifecycleModel, LifecycleStage, lifecycle_model

_CONTENT = "concepts"


def stage_tactics(model: str | LifecycleModel = "five_fs") -> dict[str, tuple[str, ...]]:
    """Tactics suited to each stage of a lifecycle, keyed by stage key.

    Raises
    ------
    partnership_lib.core.content.ContentError
        When ``data/concepts.yaml`` names a stage the model does not have, or leaves
        one of its stages without tactics.
    """
    m = model if isinstance(model, LifecycleModel) else lifecycle_model(model)
    out: dict[str, tuple[str, ...]] = {}
    for raw in content.load(_CONTENT)["stage_tactics"]:
        with content.content_entry(_CONTENT, f"stage_tactics/{raw['stage']}"):
            if raw["stage"] not in m.keys:
                raise ValueError(
                    f"stage {raw['stage']!r} is not a stage of {m.key}; "
                    f"its stages are: {', '.join(m.keys)}"
                )
        out[raw["stage"]] = tuple(raw["tactics"])
    missing = [k for k in m.keys if k not in out]
    if missing:
        with content.content_entry(_CONTENT, "stage_tactics"):
            raise ValueError(f"no tactics for stage {missing[0]!r} of {m.key}")
    return out


@dataclass(frozen=True, slots=True)
class StageDiagnosis:
    """The estimated stage and the tick count for every stage."""

    stage: LifecycleStage | None
    counts: tuple[tuple[str, int], ...]


def diagnose_stage(
    observed: Iterable[str], model: str | LifecycleModel = "five_fs"
) -> StageDiagnosis:
    """Estimate a partnership's stage from the characteristics a learner observes.

    Parameters
    ----------
    observed
        Keys ``"<stage key>:<n>"`` (``n`` from 0, the characteristic's place in the
        stage's list).
    model
        The lifecycle model whose characteristics were ticked.

    Returns
    -------
    StageDiagnosis
        The stage with the most ticks; a tie goes to the EARLIER stage in the model's
        order (a partnership showing signs of two stages has not yet left the first), so
        Failing, listed last, only wins outright. ``stage`` is ``None`` with no ticks.

    Raises
    ------
    ValueError
        For a key that names no characteristic of the model.
    """
    m = model if isinstance(model, LifecycleModel) else lifecycle_model(model)
    counts = dict.fromkeys(m.keys, 0)
    for key in set(observed):
        stage_key, _, n = str(key).partition(":")
        if stage_key not in counts or not n.isdigit():
            raise ValueError(f"unknown characteristic {key!r} for model {m.key!r}")
        if int(n) >= len(m.stage(stage_key).characteristics):
            raise ValueError(f"unknown characteristic {key!r} for model {m.key!r}")
        counts[stage_key] += 1
    best = max(counts.values())
    stage = None if best == 0 else next(s for s in m.stages if counts[s.key] == best)
    return StageDiagnosis(stage, tuple(counts.items()))
