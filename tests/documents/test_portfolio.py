"""The portfolio shows every kind of answer, with charts drawn from the learner's own answers."""

from __future__ import annotations

import base64
import io
import re

import pytest
from PIL import Image

from partnership_lib.documents.portfolio import export_portfolio
from partnership_lib.widgets import scenario_form, text_prompt
from partnership_lib.widgets.base import exercise_binding

HOSTILE = "<img src=x onerror=alert(1)> $x_1\\ & 😀"


def _meta(store, nb, ex, kind, title):
    store.save((nb, ex, "_meta"), {"kind": kind, "title": title})


@pytest.fixture
def filled(store):
    prompt = text_prompt(
        exercise_binding("01_concepts_and_contexts", "why", store=store), "Why partner?"
    )
    prompt.textarea.value = HOSTILE
    form = scenario_form(exercise_binding("00_partnership_scenario", "scenario", store=store))
    form.textareas["naming"].value = "Healthy Town Alliance"
    form.textareas["background"].value = "A vision for\nhealthier streets."
    nb2 = "02_climate_for_change"
    _meta(store, nb2, "activity3", "stakeholders", "Activity 3: stakeholder analysis")
    store.save(
        (nb2, "activity3", "stakeholders"),
        [
            {
                "name": "Police",
                "organisation": "Constabulary",
                "role": "",
                "power": 8,
                "interest": 7,
                "attitude": "supporter",
            },
            {
                "name": "Residents' forum",
                "organisation": "",
                "role": "",
                "power": 2,
                "interest": 9,
                "attitude": None,
            },
            {
                "name": HOSTILE,
                "organisation": "",
                "role": "",
                "power": 3,
                "interest": 2,
                "attitude": None,
            },
        ],
    )
    nb3 = "03_influencing_and_negotiation"
    _meta(store, nb3, "map_conversation", "tagger", "Map a conversation")
    store.save(
        (nb3, "map_conversation", "conversation"),
        {
            "text": "A: It's your fault\nB: I hear you",
            "statements": [
                {"speaker": "A", "text": "It's your fault"},
                {"speaker": "B", "text": "I hear you"},
            ],
            "tags": ["blame", "mutual_understanding"],
            "example": False,
        },
    )
    _meta(store, nb3, "self_assessment", "rating", "Partnership self-assessment")
    store.save((nb3, "self_assessment", "ratings"), {"shared_vision": 4, "trust": 2})
    nb4 = "04_feedback_and_reflection"
    _meta(store, nb4, "wall", "postits", "Session evaluation")
    store.save(
        (nb4, "wall", "notes"),
        [
            {"id": 1, "colour": "pink", "text": "The grid"},
            {"id": 2, "colour": "blue", "text": HOSTILE},
        ],
    )
    _meta(store, nb4, "log_day", "learning_log", "Learning log: the day")
    store.save((nb4, "log_day", "experience"), "We mapped stakeholders.")
    store.save((nb4, "log_day", "plan"), "Run a grid with my team by March.")
    return store


def _descriptions(page: str) -> list[str]:
    """Each chart's full text description (the fold its picture points to)."""
    return re.findall(r'<div id="fig-\d+">(.*?)</div>', page, re.S)


def _images(page: str) -> list[tuple[bytes, str]]:
    out = []
    for m in re.finditer(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]*)"', page):
        out.append((base64.b64decode(m.group(1)), m.group(2)))
    return out


def test_html_portfolio_shows_every_answer_and_charts_from_them(filled, tmp_path):
    page = export_portfolio(tmp_path / "p.html", store=filled, learner_name="Sam").read_text(
        encoding="utf-8"
    )
    escaped = "&lt;img src=x onerror=alert(1)&gt; $x_1\\ &amp; 😀"
    assert page.count(escaped) >= 3  # text prompt, stakeholder table, wall list
    assert "<img src=x" not in page
    assert "Step 1: Naming your Partnership" in page and "Healthy Town Alliance" in page
    assert "A vision for\nhealthier streets." in page  # kept exactly, shown with pre-wrap
    assert "Experience" in page and "Run a grid with my team by March." in page
    assert "INVOLVE" in page and "Constabulary" in page
    images = _images(page)
    alts = [alt for _, alt in images]
    assert any(alt.startswith("Power-interest grid") for alt in alts), alts
    assert any(alt.startswith("Mobius map") for alt in alts), alts
    captions = _descriptions(page)
    assert any("Pink" in c and "The grid" in c for c in captions), captions
    assert len(images) == 4  # grid, conversation map, ratings, wall
    for png, alt in images:
        assert Image.open(io.BytesIO(png)).format == "PNG" and alt
    # the grid was drawn from the learner's own stakeholders, not an example
    grid_caption = next(c for c in captions if c.startswith("<p>Power-interest grid"))
    assert "Police" in grid_caption and "Residents&#39; forum" in grid_caption


def test_markdown_portfolio_has_the_same_answers_and_its_charts_beside_it(filled, tmp_path):
    path = export_portfolio(tmp_path / "p.md", "md", store=filled)
    text = path.read_text(encoding="utf-8")
    assert "Healthy Town Alliance" in text
    assert "base64" not in text and "<img src=x" not in text
    links = re.findall(r"!\[([^\]]*)\]\(([^)]+)\)", text)
    assert [target for _, target in links] == [f"p-charts/chart-{n:02d}.png" for n in (1, 2, 3, 4)]
    assert links[0][0].startswith("Power")
    for _, target in links:
        with Image.open(tmp_path / target) as picture:
            assert picture.format == "PNG"


def test_a_damaged_answer_is_shown_as_text_not_lost(store, tmp_path):
    _meta(store, "02_climate_for_change", "activity3", "stakeholders", "Activity 3")
    store.save(("02_climate_for_change", "activity3", "stakeholders"), [{"name": "", "power": 99}])
    page = export_portfolio(tmp_path / "p.html", store=store).read_text(encoding="utf-8")
    assert "99" in page


def test_a_later_placement_is_drawn_with_movement_from_the_first(store, tmp_path):
    nb = "02_climate_for_change"
    _meta(store, nb, "activity3", "stakeholders", "Activity 3")
    first = [
        {"name": "Police", "power": 8, "interest": 3},
        {"name": "Schools", "power": 2, "interest": 2},
    ]
    later = [
        {"name": "Police", "power": 8, "interest": 8},
        {"name": "Schools", "power": 2, "interest": 2},
    ]
    store.save((nb, "activity3", "stakeholders"), first)
    store.save((nb, "activity3", "after_six_months"), later)
    store.save((nb, "activity3", "_stakeholders_draft"), {"name": "half-typed"})
    page = export_portfolio(tmp_path / "p.html", store=store).read_text(encoding="utf-8")
    captions = _descriptions(page)
    assert len(captions) == 2
    assert "moved" not in captions[0].lower()
    assert "moved" in captions[1].lower() or "movement" in captions[1].lower()
    assert "half-typed" not in page
