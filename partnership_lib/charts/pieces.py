"""Charts drawn as named pieces, so an updater can redraw only the pieces that changed.

A chart whose layout is computed (where each note sits on a wall, which way a path's
arrow bows) describes what it draws as a list of :class:`Piece` objects: a name, a
``key`` holding everything the piece is drawn from, and a function that draws it.
:func:`draw_pieces` draws them all (the ``plot_*`` function); :func:`sync_pieces`
(the ``update_*`` function) compares a new list with what the Axes holds, removes the
pieces whose key changed or that are gone, draws the new and changed ones, and returns
the artists it drew. A piece whose key is unchanged keeps its artists untouched, so a
live chart repaints only the rectangles of what really changed.

Which piece drew an artist, and from what key, is remembered in a weak mapping keyed
by the artist (an artist has no slot of its own for it); an artist the mapping does
not know is left alone.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

from matplotlib.artist import Artist
from matplotlib.axes import Axes

__all__ = ["Piece", "draw_pieces", "drawn_pieces", "sync_pieces"]

#: artist -> (piece name, key) for every artist drawn by a piece.
_DRAWN: weakref.WeakKeyDictionary[Artist, tuple[str, Hashable]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True, slots=True, eq=False)
class Piece:
    """One named part of a chart.

    Parameters
    ----------
    name
        Unique within the chart (usually the gid of its main artist).
    key
        Everything the piece is drawn from (positions, text, colours, sizes), hashable
        and comparable: two pieces with equal keys draw the same pixels.
    draw
        ``draw(ax)`` adds the piece's artists to ``ax`` and returns them (one artist or
        a sequence). It may look up artists drawn by earlier pieces of the same list.
    """

    name: str
    key: Hashable
    draw: Callable[[Axes], Artist | Sequence[Artist]]


def _draw(ax: Axes, piece: Piece) -> list[Artist]:
    drawn = piece.draw(ax)
    artists = [drawn] if isinstance(drawn, Artist) else list(drawn)
    for artist in artists:
        _DRAWN[artist] = (piece.name, piece.key)
    return artists


def draw_pieces(ax: Axes, pieces: Iterable[Piece]) -> list[Artist]:
    """Draw every piece on ``ax``, in order; return the artists drawn."""
    out: list[Artist] = []
    for piece in pieces:
        out += _draw(ax, piece)
    return out


def drawn_pieces(ax: Axes) -> dict[str, tuple[Hashable, list[Artist]]]:
    """The pieces ``ax`` holds: name -> (key, artists)."""
    have: dict[str, tuple[Hashable, list[Artist]]] = {}
    for artist in ax.get_children():
        found = _DRAWN.get(artist)
        if found is not None:
            name, key = found
            have.setdefault(name, (key, []))[1].append(artist)
    return have


def sync_pieces(ax: Axes, pieces: Sequence[Piece]) -> list[Artist]:
    """Make the pieces on ``ax`` match ``pieces``; return the artists drawn anew.

    A piece ``ax`` holds with an equal key is kept as it is; one with another key, or
    not in ``pieces``, is removed (a live figure notices removed artists by itself);
    the rest are drawn, in the order of ``pieces``.
    """
    names = [p.name for p in pieces]
    if len(set(names)) != len(names):
        raise ValueError(f"piece names must be unique, got {sorted(names)}")
    wanted = {p.name: p for p in pieces}
    have = drawn_pieces(ax)
    kept: set[str] = set()
    for name, (key, artists) in have.items():
        piece = wanted.get(name)
        if piece is not None and piece.key == key:
            kept.add(name)
            continue
        for artist in artists:
            artist.remove()
    out: list[Artist] = []
    for piece in pieces:
        if piece.name not in kept:
            out += _draw(ax, piece)
    return out
