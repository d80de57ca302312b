"""Charts drawn as named pieces: only the pieces whose key changed are drawn again."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from partnership_lib.charts.pieces import Piece, draw_pieces, drawn_pieces, sync_pieces


def label(name, x, text, calls):
    def draw(ax):
        calls.append(name)
        return ax.text(x, 0.5, text, gid=name)

    return Piece(name, (x, text), draw)


def pair(name, x, calls):
    def draw(ax):
        calls.append(name)
        return [ax.axvline(x, gid=f"{name}-line"), ax.text(x, 0.1, name, gid=f"{name}-text")]

    return Piece(name, ("pair", x), draw)


def test_sync_keeps_equal_pieces_redraws_changed_ones_and_removes_the_rest():
    _fig, ax = plt.subplots()
    calls = []
    drawn = draw_pieces(ax, [label("a", 0.1, "A", calls), pair("b", 0.5, calls)])
    assert calls == ["a", "b"] and len(drawn) == 3
    a_text = drawn[0]
    assert set(drawn_pieces(ax)) == {"a", "b"}
    calls.clear()
    new = sync_pieces(
        ax, [label("a", 0.1, "A", calls), pair("b", 0.7, calls), label("c", 0.9, "C", calls)]
    )
    assert calls == ["b", "c"]  # "a" kept as it was
    assert a_text in ax.texts and a_text not in new
    assert [a.get_gid() for a in new] == ["b-line", "b-text", "c"]
    assert [line.get_xdata()[0] for line in ax.lines] == [0.7]  # the old line is gone
    calls.clear()
    assert sync_pieces(ax, [label("c", 0.9, "C", calls)]) == []
    assert calls == []
    assert [t.get_gid() for t in ax.texts] == ["c"] and list(ax.lines) == []


def test_artists_not_drawn_by_pieces_are_left_alone_and_names_must_be_unique():
    _fig, ax = plt.subplots()
    mine = ax.text(0, 0, "not a piece")
    calls = []
    sync_pieces(ax, [label("a", 0.1, "A", calls)])
    sync_pieces(ax, [])
    assert list(ax.texts) == [mine]
    with pytest.raises(ValueError, match="piece names must be unique"):
        sync_pieces(ax, [label("a", 0.1, "A", calls), label("a", 0.2, "B", calls)])
