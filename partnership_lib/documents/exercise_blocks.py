"""How each kind of exercise appears in the learner's portfolio.

Each renderer turns one exercise's stored fields into portfolio blocks (text, tables
and charts drawn from the learner's own answers) and registers itself with
:func:`partnership_lib.documents.share.register_renderer` under the exercise's ``kind``.
Anything a renderer does not recognise is still shown, by the generic renderer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from partnership_lib.charts.chart import render_chart
from partnership_lib.core.store import META_FIELD
from partnership_lib.documents.blocks import (
    Bullets,
    Fields,
    Figure,
    Para,
    Renderer,
    Table,
    generic_blocks,
)
from partnership_lib.models.frameworks import scenario_steps
from partnership_lib.models.learning import learning_cycle
from partnership_lib.models.mobius import plot_mobius_map, tag_label
from partnership_lib.models.postits import evaluation_wall, plot_postit_wall
from partnership_lib.models.ratings import plot_ratings
from partnership_lib.models.stakeholders import as_frame, as_stakeholders, plot_power_interest_grid

__all__ = [
    "RENDERERS",
]


def _figure(plot, *args: Any, **kwargs: Any) -> Figure:
    chart = render_chart(plot, *args, style_name="workbook", **kwargs)
    return Figure(chart.png, chart.alt, chart.width, chart.height, chart.table)


def _rest(fields: Mapping[str, Any], used: set[str]) -> list:
    out: list = []
    for key, value in fields.items():
        if key not in used and not key.startswith("_"):  # drafts and bookkeeping
            out += generic_blocks(value, key.replace("_", " ").capitalize())
    return out


def _text(fields: Mapping[str, Any]) -> list:
    text = fields.get("text")
    blocks = [Para(text)] if isinstance(text, str) and text.strip() else []
    return blocks + _rest(fields, {"text"})


def _scenario(fields: Mapping[str, Any]) -> list:

    items = []
    used = set()
    for step in scenario_steps():
        value = fields.get(step.key)
        used.add(step.key)
        if isinstance(value, str) and value.strip():
            items.append((f"Step {step.number}: {step.title}", value))
    blocks: list = [Fields(tuple(items))] if items else []
    return blocks + _rest(fields, used)


def _learning_log(fields: Mapping[str, Any]) -> list:

    cycle = learning_cycle("learning_log")
    items = tuple(
        (stage.name, fields[stage.key])
        for stage in cycle.stages
        if isinstance(fields.get(stage.key), str) and fields[stage.key].strip()
    )
    return ([Fields(items)] if items else []) + _rest(fields, {s.key for s in cycle.stages})


def _rating_items(fields: Mapping[str, Any], ratings: Mapping[str, Any]) -> dict[str, str]:
    """Item key to text: every item the scale showed (saved with its kind and title), so
    the count is out of all of them; only the rated keys for answers saved before that."""
    meta = fields.get(META_FIELD)
    items = meta.get("items") if isinstance(meta, Mapping) else None
    if isinstance(items, list) and all(
        isinstance(i, list) and len(i) == 2 and all(isinstance(v, str) and v for v in i)
        for i in items
    ):
        labels = {key: text for key, text in items}
        if labels and set(ratings) <= set(labels):
            return labels
    return {k: k.replace("_", " ").capitalize() for k in ratings}


def _ratings(fields: Mapping[str, Any]) -> list:

    ratings = fields.get("ratings")
    if not isinstance(ratings, dict) or not ratings:
        return _rest(fields, set())
    clean = {k: v for k, v in ratings.items() if isinstance(v, int) and 1 <= v <= 5}
    labels = _rating_items(fields, clean)
    return [
        _figure(plot_ratings, clean, labels=labels),
        Table(
            ("Item", "Your rating (1–5)"),
            tuple((text, str(clean.get(k, "not rated"))) for k, text in labels.items()),
        ),
        *_rest(fields, {"ratings"}),
    ]


def _stakeholders(fields: Mapping[str, Any]) -> list:

    blocks: list = []
    used: set[str] = set()
    tables = [
        (k, v) for k, v in fields.items() if isinstance(v, list) and v and isinstance(v[0], dict)
    ]
    first = None
    for key, rows in tables:
        try:
            people = as_stakeholders(rows)
        except (ValueError, TypeError):
            continue
        used.add(key)
        frame = as_frame(people)
        title = "After six months" if first is not None else "Your stakeholders"
        blocks.append(Para(title))
        blocks.append(_figure(plot_power_interest_grid, people, previous=first, title=title))
        blocks.append(
            Table(
                ("Name", "Organisation", "Role", "Power", "Interest", "Attitude", "Quadrant"),
                tuple(
                    (
                        r.name,
                        r.organisation,
                        r.role,
                        f"{r.power:g}",
                        f"{r.interest:g}",
                        r.attitude or "",
                        r.quadrant,
                    )
                    for r in frame.fillna("").itertuples()
                ),
            )
        )
        first = first or people
    return blocks + _rest(fields, used)


def _tagger(fields: Mapping[str, Any]) -> list:

    conversation = fields.get("conversation")
    if not isinstance(conversation, dict):
        return _rest(fields, set())
    statements = conversation.get("statements") or []
    tags = conversation.get("tags") or []
    rows = []
    path = []
    for i, statement in enumerate(statements):
        tag = tags[i] if i < len(tags) else None
        label = tag_label(tag) if tag else "not tagged"
        if tag:
            path.append(tag)
        rows.append((str(i + 1), statement.get("speaker", ""), statement.get("text", ""), label))
    blocks: list = []
    if len(path) >= 1:
        blocks.append(_figure(plot_mobius_map, path=path))
    blocks.append(Table(("#", "Speaker", "Statement", "Tag"), tuple(rows)))
    return blocks + _rest(fields, {"conversation"})


def _postits(fields: Mapping[str, Any]) -> list:

    notes = fields.get("notes")
    if not isinstance(notes, list) or not notes:
        return _rest(fields, {"notes", "draft"})
    wall = evaluation_wall()
    blocks: list = [_figure(plot_postit_wall, notes)]
    for colour in wall.colours:
        texts = tuple(n["text"] for n in notes if n.get("colour") == colour.key)
        if texts:
            blocks += [Para(f"{colour.name}: {colour.question}"), Bullets(texts)]
    return blocks + _rest(fields, {"notes", "draft"})


#: How each kind of exercise appears in the portfolio, by the ``kind`` it records.
RENDERERS: dict[str, Renderer] = {
    "text": _text,
    "scenario": _scenario,
    "learning_log": _learning_log,
    "rating": _ratings,
    "stakeholders": _stakeholders,
    "tagger": _tagger,
    "postits": _postits,
}
