"""The diagram gallery widget, driven headless as a facilitator would use it."""

from __future__ import annotations

import re

import ipywidgets as widgets
import pytest

from partnership_lib.sessions import gallery


def _controls(box: widgets.VBox):
    row = next(w for w in box.children if isinstance(w, widgets.HBox))
    picker = next(w for w in row.children if isinstance(w, widgets.Dropdown))
    styles = next(w for w in box.children if isinstance(w, widgets.ToggleButtons))
    picture = next(
        w
        for w in box.children
        if isinstance(w, widgets.HTML) and "pl-page-style" not in w._dom_classes
    )
    return picker, styles, picture


def test_the_gallery_brings_the_page_focus_ring():
    from partnership_lib.widgets.page import PAGE_CSS

    box = gallery.diagram_gallery()
    assert any(
        isinstance(w, widgets.HTML) and PAGE_CSS in w.value and "pl-page-style" in w._dom_classes
        for w in box.children
    )


def _img_size(html: str) -> tuple[int, int]:
    m = re.search(r'width="(\d+)" height="(\d+)"', html)
    return int(m.group(1)), int(m.group(2))


def test_gallery_offers_every_workbook_diagram():
    keys = [d.key for d in gallery.gallery_diagrams()]
    for expected in (
        "grid:community_safety",
        "grid:local_strategic",
        "grid:drug_alcohol",
        "grid:teenage_pregnancy",
        "lifecycle:partnership_phases",
        "lifecycle:five_fs",
        "lifecycle:four_stages",
        "lifecycle:tuckman",
        "continuum:himmelman",
        "continuum:nocon",
        "purpose",
        "cycle:kolb",
        "cycle:learning_log",
        "mobius",
    ):
        assert expected in keys
    assert len(set(keys)) == len(keys)
    titles = [d.title for d in gallery.gallery_diagrams()]
    assert len(set(titles)) == len(titles), "two diagrams share a title in the list"


def test_choosing_a_diagram_and_a_style_redraws_the_picture(monkeypatch):
    import IPython.display

    def _no_display(*args, **kwargs):
        raise AssertionError("builders must not call display()")

    monkeypatch.setattr(IPython.display, "display", _no_display)
    box = gallery.diagram_gallery(initial="grid:community_safety", style_name="workbook")
    picker, styles, picture = _controls(box)
    assert picker.description == "Diagram" and styles.description == "Style"
    assert "Power-interest grid" in picture.value
    assert "Police" in picture.value
    assert _img_size(picture.value) == (1000, 700)

    picker.value = "mobius"
    assert "Mobius" in picture.value and "Police" not in picture.value

    styles.value = "projector"
    assert _img_size(picture.value) == (1920, 1080)
    styles.value = "high_contrast"
    assert _img_size(picture.value) == (1000, 700)


def test_gallery_rejects_unknown_diagrams_and_styles():
    with pytest.raises(ValueError, match="unknown diagram 'sociogram'"):
        gallery.diagram_gallery(initial="sociogram")
    with pytest.raises(ValueError, match="unknown style 'neon'"):
        gallery.diagram_gallery(style_name="neon")


def test_rendered_diagrams_are_cached_per_style():
    a = gallery.render_diagram("purpose", "workbook")
    assert gallery.render_diagram("purpose", "workbook") is a
    assert gallery.render_diagram("purpose", "projector") is not a
