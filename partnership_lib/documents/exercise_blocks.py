"""How each kind of exercise appears in the learner's portfolio.

Each renderer turns one exercise's stored fields into portfolio blocks (text, tables
and charts drawn from the learner's own answers) and registers itself with
:func:`partnership_lib.documents.share.register_renderer` under the exercise's ``kind``.
Anything a renderer does not recognise is still shown, by the generic renderer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from partnership_lib.charts.chart import render_chart
from partnership_lib.documents.blocks import (
    Block,
    Bullets,
    Fields,
    Figure,
    Para,
    Table,
    figure_of,
)
from partnership_lib.models.frameworks import scenario_steps
from partnership_lib.models.learning import learning_cycle
from partnership_lib.models.mobius import plot_mobius_map, tag_label
from partnership_lib.models.postits import evaluation_wall, plot_postit_wall
from partnership_lib.models.ratings import plot_ratings
from partnership_lib.models.stakeholders import as_frame, as_stakeholders, plot_power_interest_grid

__all__ = [
    "RENDERERS",
    "generic_blocks",
    "humanise",
]

Renderer = Callable[[Mapping[str, Any]], list[Block]]


def _plain(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return f"{value:g}"
    return json.dumps(value, ensure_ascii=False)


def humanise(key: str) -> str:
    text = key.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def generic_blocks(value: Any, label: str = "") -> list[Block]:
    """Show any stored answer readably: text, lists, tables of records, mappings."""
    if isinstance(value, str):
        return [Fields(((label, value),))] if label else [Para(value, "answer")]
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        headers: list[str] = []
        for row in value:
            headers += [k for k in row if k not in headers and not k.startswith("_")]
        rows = tuple(tuple(_plain(row.get(h)) for h in headers) for row in value)
        return [Table(tuple(humanise(h) for h in headers), rows, caption=label)]
    if isinstance(value, list):
        blocks: list[Block] = [Para(label)] if label else []
        return [*blocks, Bullets(tuple(_plain(v) for v in value), role="answer")]
    if isinstance(value, dict):
        if all(not isinstance(v, (dict, list)) for v in value.values()):
            items = tuple((humanise(k), _plain(v)) for k, v in value.items())
            return ([Para(label)] if label else []) + [Fields(items)]
        out: list[Block] = []
        for k, v in value.items():
            out += generic_blocks(v, humanise(k))
        return out
    return [Fields(((label or "Answer", _plain(value)),))]


def _figure(plot, *args: Any, **kwargs: Any) -> Figure:
    chart = render_chart(plot, *args, style_name="workbook", **kwargs)
    return figure_of(chart, open=True, open_table=False)


def _rest(fields: Mapping[str, Any], used: set[str]) -> list:
    out: list = []
    for key, value in fields.items():
        if key not in used and not key.startswith("_"):  # drafts and bookkeeping
            out += generic_blocks(value, key.replace("_", " ").capitalize())
    return out


def _text(fields: Mapping[str, Any]) -> list:
    text = fields.get("text")
    blocks = [Para(text, "answer")] if isinstance(text, str) and text.strip() else []
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


def _ratings(fields: Mapping[str, Any]) -> list:

    ratings = fields.get("ratings")
    if not isinstance(ratings, dict) or not ratings:
        return _rest(fields, set())
    clean = {k: v for k, v in ratings.items() if isinstance(v, int) and 1 <= v <= 5}
    labels = {k: k.replace("_", " ").capitalize() for k in clean}
    return [
        _figure(plot_ratings, clean, labels=labels),
        Table(("Item", "Your rating (1–5)"), tuple((labels[k], str(v)) for k, v in clean.items())),
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
