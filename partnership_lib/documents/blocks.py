"""The document model: the blocks a portfolio or report is built from.

A block is plain data (text, pairs, rows, a picture with its description); renderers
turn blocks into HTML or Markdown and escape every piece of learner text on the way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from partnership_lib.charts.chart import ChartTable


@dataclass(frozen=True, slots=True)
class Para:
    text: str


@dataclass(frozen=True, slots=True)
class Fields:
    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Figure:
    png: bytes
    alt: str
    width: int
    height: int
    #: The chart's data, shown behind "Show as table" (HTML) or after the picture (Markdown).
    table: ChartTable | None = None


Block = Para | Fields | Bullets | Table | Figure


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
        return [Fields(((label, value),))] if label else [Para(value)]
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        headers: list[str] = []
        for row in value:
            headers += [k for k in row if k not in headers and not k.startswith("_")]
        rows = tuple(tuple(_plain(row.get(h)) for h in headers) for row in value)
        return [Table(tuple(humanise(h) for h in headers), rows, caption=label)]
    if isinstance(value, list):
        blocks: list[Block] = [Para(label)] if label else []
        return [*blocks, Bullets(tuple(_plain(v) for v in value))]
    if isinstance(value, dict):
        if all(not isinstance(v, (dict, list)) for v in value.values()):
            items = tuple((humanise(k), _plain(v)) for k, v in value.items())
            return ([Para(label)] if label else []) + [Fields(items)]
        out: list[Block] = []
        for k, v in value.items():
            out += generic_blocks(v, humanise(k))
        return out
    return [Fields(((label or "Answer", _plain(value)),))]
