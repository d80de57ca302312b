"""Every kind of exercise can be completed with the keyboard alone, in Voilà.

Each test renders a small notebook holding one exercise (built with the library's real
builder), then completes it using only Tab, Shift+Tab, the arrow keys, Space, Enter and
typing into the focused field. No click, no ``fill``, no focusing by selector (except to
start from the top of the page, as a learner arriving does). :func:`keyboard.tab_to`
fails with the list of focus stops it passed, so a control Tab cannot reach fails the
test. Each test then reads the answer from the Voilà server's answer store, and checks
that the exercise's feedback was announced through an ``aria-live`` region.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from .keyboard import start_from_top, tab_to, tab_to_control, wait_for_answer
from .test_lab_smoke import write_notebook

pytestmark = pytest.mark.browser

IMPORTS = (
    "from partnership_lib import exercises as ex\n"
    "from partnership_lib.widgets import Category, ChecklistItem, ScoreBand, SortItem"
)

# Text inside an aria-live region of the page, and text that is not.
_LIVE_JS = """(needle) => {
  const hits = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.includes(needle) || !el || !el.offsetParent) continue;
    const live = el.closest('[aria-live]');
    hits.push(live ? live.getAttribute('aria-live') : null);
  }
  return hits;
}"""


def _key(kind: str) -> str:
    return f"keyboard_{kind}_{uuid.uuid4().hex[:8]}"


def _open(open_in_voila, tmp_path: Path, notebook: str, call: str, page) -> None:
    path = write_notebook(tmp_path / f"{notebook}.ipynb", [IMPORTS, call])
    open_in_voila(path)
    start_from_top(page)


def _store(voila_server) -> Path:
    return voila_server.data_dir / "answers.sqlite3"


def assert_announced(page, needle: str, *, timeout: float = 15.0) -> None:
    """``needle`` appears on the page, and every visible copy is inside an aria-live region."""
    page.wait_for_function(
        "(n) => document.body.innerText.includes(n)", arg=needle, timeout=timeout * 1000
    )
    hits = page.evaluate(_LIVE_JS, needle)
    assert hits, f"{needle!r} is not shown on the page"
    assert all(h in ("polite", "assertive") for h in hits), (
        f"{needle!r} is shown outside a polite/assertive live region: {hits}"
    )


def _type(page, text: str) -> None:
    page.keyboard.type(text, delay=15)


# --------------------------------------------------------------------------------------
# One test per kind of exercise
# --------------------------------------------------------------------------------------


def test_text_prompt_by_keyboard(open_in_voila, voila_server, page, tmp_path):
    nb = _key("text")
    _open(
        open_in_voila,
        tmp_path,
        nb,
        f'ex.text_prompt(ex.exercise_binding("{nb}", "t"), "What does partnership mean to you?")',
        page,
    )
    tab_to_control(page, "textbox", "What does partnership mean to you?")
    _type(page, "Working together on shared aims.")

    wait_for_answer(
        _store(voila_server), f"{nb}/t/text", lambda v: v == "Working together on shared aims."
    )
    assert_announced(page, "Saved.")


def test_checklist_by_keyboard(open_in_voila, voila_server, page, tmp_path):
    nb = _key("checklist")
    _open(
        open_in_voila,
        tmp_path,
        nb,
        f"ex.checklist(ex.exercise_binding('{nb}', 'c'), [ChecklistItem('trust', 'People trust each other'), "
        "ChecklistItem('aims', 'Aims are shared'), ChecklistItem('money', 'Money is pooled')], "
        "bands=[ScoreBand(0, 'Early days', 'Keep going.'), ScoreBand(0.5, 'Getting there', "
        "'Nearly.')])",
        page,
    )
    tab_to_control(page, "checkbox", "People trust each other")
    page.keyboard.press("Space")
    tab_to_control(page, "checkbox", "Money is pooled")
    page.keyboard.press("Space")
    store = _store(voila_server)
    wait_for_answer(
        store, f"{nb}/c/ticked", lambda v: v is not None and set(v) == {"trust", "money"}
    )
    assert_announced(page, "Saved. 2 of 3 ticked")

    tab_to_control(page, "button", "I've finished")
    page.keyboard.press("Enter")
    wait_for_answer(store, f"{nb}/c/done", lambda v: v is True)
    assert_announced(page, "Finished and saved.")


def test_sorter_by_keyboard(open_in_voila, voila_server, page, tmp_path):
    nb = _key("sorter")
    _open(
        open_in_voila,
        tmp_path,
        nb,
        f"ex.sorter(ex.exercise_binding('{nb}', 's'), [SortItem('goals', 'Shared goals', 'collab'), "
        "SortItem('boss', 'One person decides', 'hier'), "
        "SortItem('say', 'Everyone has a say', 'collab')], "
        "[Category('collab', 'Collaborative'), Category('hier', 'Hierarchical')])",
        page,
    )
    # Options: Choose…, Collaborative, Hierarchical. Item 3 is deliberately wrong.
    for name, presses in (
        ("1. Shared goals", 1),
        ("2. One person decides", 2),
        ("3. Everyone has a say", 2),
    ):
        tab_to_control(page, "combobox", name)
        for _ in range(presses):
            page.keyboard.press("ArrowDown")
    store = _store(voila_server)
    expected = {"goals": "collab", "boss": "hier", "say": "hier"}
    wait_for_answer(store, f"{nb}/s/placements", lambda v: v == expected)

    tab_to_control(page, "button", "Check my answers")
    page.keyboard.press("Enter")
    wait_for_answer(store, f"{nb}/s/checked", lambda v: v == expected)
    assert_announced(page, "2 of 3 right.")

    # Back up to item 3 with Shift+Tab, put it right, and check again.
    tab_to_control(page, "combobox", "3. Everyone has a say", key="Shift+Tab")
    page.keyboard.press("ArrowUp")
    tab_to_control(page, "button", "Check my answers")
    page.keyboard.press("Space")
    right = {**expected, "say": "collab"}
    wait_for_answer(store, f"{nb}/s/checked", lambda v: v == right)
    assert_announced(page, "3 of 3 right. Well done.")


def test_rating_scale_by_keyboard(open_in_voila, voila_server, page, tmp_path):
    nb = _key("rating")
    _open(
        open_in_voila,
        tmp_path,
        nb,
        f"ex.rating_scale(ex.exercise_binding('{nb}', 'r'), [('trust', 'Trust'), ('aims', 'Shared aims')])",
        page,
    )
    for item, value in (("Trust", "4"), ("Shared aims", "2")):
        stop = tab_to(
            page,
            lambda s, item=item, value=value: (
                s.role == "button"
                and s.name.startswith(value)
                and s.description.startswith(f"{item}: {value}")
            ),
            what=f"the {value} button for {item}",
        )
        assert stop.name.startswith(value)
        page.keyboard.press("Space" if item == "Trust" else "Enter")
    wait_for_answer(_store(voila_server), f"{nb}/r/ratings", lambda v: v == {"trust": 4, "aims": 2})
    assert_announced(page, "Saved. 2 of 2 rated.")


def _step_to(page, key: str, target: float, limit: int = 60) -> None:
    """Press ``key`` in the focused number box until it shows ``target``, one step at a
    time: each step waits for the box to change, as a person watching it would, so a
    kernel echo of an older value cannot swallow a key press."""
    for _ in range(limit):
        shown = float(page.evaluate("document.activeElement.value"))
        if abs(shown - target) < 1e-6:
            page.wait_for_timeout(500)  # let the kernel's echo of the last step arrive
            if abs(float(page.evaluate("document.activeElement.value")) - target) < 1e-6:
                return
            continue
        page.keyboard.press(key)
        page.wait_for_function(
            "(v) => parseFloat(document.activeElement.value) !== v", arg=shown, timeout=10_000
        )
    raise AssertionError(f"the focused box did not reach {target} with {key}")


def test_stakeholder_editor_by_keyboard(open_in_voila, voila_server, page, tmp_path):
    nb = _key("stakeholders")
    _open(
        open_in_voila,
        tmp_path,
        nb,
        f"ex.stakeholder_editor(ex.exercise_binding('{nb}', 'g'))",
        page,
    )
    # Adding with no name is refused, and the error is announced.
    tab_to_control(page, "button", "Add stakeholder")
    page.keyboard.press("Enter")
    assert_announced(page, "Nothing was added; your typing is kept.")

    tab_to_control(page, "textbox", "Name", key="Shift+Tab")
    _type(page, "Local police")
    tab_to_control(page, "textbox", "Role")
    _type(page, "Inspector")
    tab_to(page, lambda s: s.name.startswith("Power"), what="the power score")
    _step_to(page, "ArrowUp", 7.0)  # 5.0 -> 7.0 in steps of 0.1
    tab_to(page, lambda s: s.name.startswith("Interest"), what="the interest score")
    _step_to(page, "ArrowDown", 4.0)  # 5.0 -> 4.0
    tab_to_control(page, "combobox", "Attitude")
    page.keyboard.press("ArrowDown")  # Supporter
    tab_to_control(page, "button", "Add stakeholder")
    page.keyboard.press("Enter")

    rows = wait_for_answer(_store(voila_server), f"{nb}/g/stakeholders", lambda v: bool(v))
    assert len(rows) == 1
    row = rows[0]
    assert (row["name"], row["role"], row["attitude"]) == ("Local police", "Inspector", "supporter")
    assert (row["power"], row["interest"]) == pytest.approx((7.0, 4.0))
    assert_announced(page, "Added Local police to")


def test_postit_wall_by_keyboard(open_in_voila, voila_server, page, tmp_path):
    nb = _key("postits")
    _open(open_in_voila, tmp_path, nb, f"ex.postit_wall(ex.exercise_binding('{nb}', 'w'))", page)
    tab_to_control(page, "textbox", re.compile(r"^Your note"))
    _type(page, "Clear roles helped.")
    tab_to_control(page, "button", "Add note")
    page.keyboard.press("Enter")  # no colour yet: refused, and said so
    assert_announced(page, "Choose the colour of your note first.")

    tab_to_control(page, "radio", re.compile(r"^Yellow: "), key="Shift+Tab")
    page.keyboard.press("Space")
    tab_to_control(page, "button", "Add note")
    page.keyboard.press("Enter")
    notes = wait_for_answer(_store(voila_server), f"{nb}/w/notes", lambda v: bool(v))
    assert [(n["colour"], n["text"]) for n in notes] == [("yellow", "Clear roles helped.")]
    assert_announced(page, "Added note 1 (Yellow).")


def test_conversation_tagger_by_keyboard(open_in_voila, voila_server, page, tmp_path):
    from partnership_lib.widgets.tagger import tag_options

    nb = _key("tagger")
    _open(
        open_in_voila,
        tmp_path,
        nb,
        f"ex.conversation_tagger(ex.exercise_binding('{nb}', 'm'))",
        page,
    )
    tab_to_control(page, "textbox", re.compile(r"^Conversation"))
    _type(page, "Sam: You never listen to us.\nAlex: What matters most to you here?")
    tab_to_control(page, "button", "Split into statements")
    page.keyboard.press("Enter")
    store = _store(voila_server)
    wait_for_answer(store, f"{nb}/m/conversation", lambda v: v and len(v["statements"]) == 2)
    assert_announced(page, "Split into 2 statements.")

    options = [key for _label, key in tag_options()]
    for n, presses in ((1, 1), (2, 6)):
        tab_to_control(page, "combobox", f"Tag for statement {n}:")
        for _ in range(presses):
            page.keyboard.press("ArrowDown")
    value = wait_for_answer(
        store, f"{nb}/m/conversation", lambda v: v and v["tags"] == [options[1], options[6]]
    )
    assert [s["speaker"] for s in value["statements"]] == ["Sam", "Alex"]
