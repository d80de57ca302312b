"""Typing fast and switching at once never saves an answer under the wrong item, in Voilà.

In notebook 03's "Reflecting in role", a learner typed for one role, switched role at
once and went on typing: the keystrokes still on their way were saved for the next role,
and the first role's answer was lost. Each test here types at typing speed and switches
with no pause, then reads the Voilà server's answer store: every item keeps exactly what
was typed for it. (Run against the earlier design, one set of boxes shared by every role,
the same typing left the facilitator's first answer holding the community
representative's text.) The kernel is slowed as a managed laptop is, so typing outruns
saving.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from .harness import cut_off_labels
from .keyboard import wait_for_answer
from .test_lab_smoke import write_notebook

pytestmark = pytest.mark.browser

IMPORTS = (
    "from partnership_lib.sessions import s01_concepts as concepts\n"
    "from partnership_lib.sessions import s03_influencing as influencing\n"
    "from partnership_lib.widgets.base import exercise_binding"
)
#: Milliseconds between keystrokes: a quick typist.
TYPING_DELAY = 15
#: A slow laptop: each save takes longer than a keystroke, so ipywidgets holds back a
#: text box's latest value until the kernel has caught up, and that value can reach the
#: kernel after the switch that followed it. This is how the answers got mixed up.
SLOW_KERNEL = """
import time
from partnership_lib.core.store import AnswerStore

_save = AnswerStore.save


def _slow_save(self, *args, **kwargs):
    time.sleep(0.06)
    return _save(self, *args, **kwargs)


AnswerStore.save = _slow_save
"""


def _open(open_in_voila, tmp_path: Path, call: str) -> str:
    nb = f"fast_{uuid.uuid4().hex[:8]}"
    cells = [IMPORTS, SLOW_KERNEL, call.format(nb=nb)]
    open_in_voila(write_notebook(tmp_path / f"{nb}.ipynb", cells))
    return nb


def test_role_reflection_keeps_fast_typing_with_the_role_it_was_typed_for(
    open_in_voila, voila_server, page, tmp_path
):
    nb = _open(
        open_in_voila, tmp_path, "influencing.role_reflection(exercise_binding('{nb}', 'rf'))"
    )
    box = page.locator(".pl-role-reflection")
    role = box.locator("select").first
    # each role's own boxes; a click waits only until the chosen role's boxes are shown
    facilitator = box.locator(".pl-role-partnership_facilitator textarea")
    community = box.locator(".pl-role-community_representative textarea")

    facilitator.nth(0).click()
    page.keyboard.type("Nervous, then relieved", delay=TYPING_DELAY)
    role.select_option(label="Community representative")  # at once, no pause
    community.nth(0).click()
    page.keyboard.type("Listened to at last", delay=TYPING_DELAY)
    role.select_option(label="Partnership facilitator")
    facilitator.nth(1).click()
    page.keyboard.type("Clear roles", delay=TYPING_DELAY)
    role.select_option(label="Community representative")
    community.nth(1).click()
    page.keyboard.type("Childcare", delay=TYPING_DELAY)

    store = voila_server.data_dir / "answers.sqlite3"
    wanted = {
        "partnership_facilitator": {"feel": "Nervous, then relieved", "needs": "Clear roles"},
        "community_representative": {"feel": "Listened to at last", "needs": "Childcare"},
    }
    for key, answers in wanted.items():
        got = wait_for_answer(store, f"{nb}/rf/{key}", lambda v, a=answers: v == a)
        assert got == answers
    # only the chosen role's boxes are on screen, and they show its own answers
    assert community.nth(0).input_value() == "Listened to at last"
    assert community.nth(1).input_value() == "Childcare"
    assert not facilitator.nth(0).is_visible()
    # and the longest role's name fits the drop-down once chosen
    role.select_option(label="Organisational representative")
    box.locator(".pl-role-organisational_representative textarea").first.wait_for()
    assert not [c for c in cut_off_labels(page) if c.startswith("select")]


def test_activity1_skills_stay_chosen_click_after_click(
    open_in_voila, voila_server, page, tmp_path
):
    nb = _open(open_in_voila, tmp_path, "concepts.activity1_table(exercise_binding('{nb}', 'a1'))")
    picker = page.locator(".pl-skill-picker").first
    for skill in ("Listening", "Trust", "Planning"):  # plain clicks, one after another
        picker.get_by_role("checkbox", name=skill, exact=True).click()
    store = voila_server.data_dir / "answers.sqlite3"
    got = wait_for_answer(
        store, f"{nb}/a1/skills_personal", lambda v: v == ["planning", "listening", "trust"]
    )
    assert got == ["planning", "listening", "trust"]  # the workbook's order
    for skill in ("Listening", "Trust", "Planning"):
        assert picker.get_by_role("checkbox", name=skill, exact=True).is_checked()
    picker.get_by_role("checkbox", name="Trust", exact=True).press("Space")  # keyboard too
    wait_for_answer(store, f"{nb}/a1/skills_personal", lambda v: v == ["planning", "listening"])
    assert "Chosen (2): Planning, Listening" in picker.inner_text()


STAKEHOLDERS = """\
from partnership_lib.widgets.stakeholder_editor import stakeholder_editor

box = stakeholder_editor(exercise_binding('{nb}', 'sh'))
for name in ("Police", "Fire", "Schools"):
    box.editor.chooser.value = -1
    box.editor.name.value = name
    box.editor.add_button.click()
box"""


def test_stakeholder_editor_keeps_fast_typing_with_the_stakeholder_it_was_typed_for(
    open_in_voila, voila_server, page, tmp_path
):
    from playwright.sync_api import expect

    nb = _open(open_in_voila, tmp_path, STAKEHOLDERS)
    editor = page.locator(".pl-stakeholder-editor")
    chooser = editor.get_by_label("Stakeholder to edit")
    # the boxes shown for the chosen stakeholder (whichever boxes that is by now)
    name = editor.get_by_role("textbox", name="Name", exact=True).first
    role = editor.get_by_role("textbox", name="Role", exact=True).first
    power = editor.get_by_role("spinbutton", name="Power (0 low, 10 high)").first

    def choose(who: str) -> None:
        chooser.select_option(label=who)  # at once, no pause after the typing
        expect(name).to_have_value(who, timeout=20_000)  # its form is shown

    def type_into(box, text: str, *, start: str | None = None) -> None:
        """Click ``box``, press ``start`` (End: add to it; Control+a: replace it), type."""
        box.click()
        if start:
            box.press(start)
        page.keyboard.type(text, delay=TYPING_DELAY)

    choose("Police")
    type_into(name, " HQ", start="End")
    type_into(role, "Lead agency")
    type_into(power, "8.5", start="Control+a")
    choose("Fire")
    type_into(role, "Crews")
    type_into(power, "2.5", start="Control+a")
    choose("Schools")
    type_into(name, " board", start="End")
    choose("Police HQ")

    def row(name, role, power):
        return {
            "name": name,
            "organisation": "",
            "role": role,
            "power": power,
            "interest": 5.0,
            "attitude": None,
        }

    wanted = [
        row("Police HQ", "Lead agency", 8.5),
        row("Fire", "Crews", 2.5),
        row("Schools board", "", 5.0),
    ]
    store = voila_server.data_dir / "answers.sqlite3"
    got = wait_for_answer(store, f"{nb}/sh/stakeholders", lambda v: v == wanted)
    assert got == wanted
    # the boxes shown are Police's own, holding what was typed for it
    assert (name.input_value(), role.input_value()) == ("Police HQ", "Lead agency")
    assert float(power.input_value()) == 8.5
