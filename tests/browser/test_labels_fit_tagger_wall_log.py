"""The tagger, the post-it wall, the learning log and the feedback reveal: no label cut off.

Each control's text must fit its box in Voilà at 1366x768 (a common laptop screen): a
button, toggle or label whose text overflows (shown with "…") fails the test, and so
does a drop-down whose chosen option is wider than the drop-down. The exercises are shown
in the states that carry their longest labels: the worked example loaded ("Undo loading
the example", a tag drop-down per statement) and a note being edited ("Save note 1",
"Cancel editing").
"""

from __future__ import annotations

import uuid

import pytest

from .test_lab_smoke import write_notebook

pytestmark = pytest.mark.browser

CELLS = [
    "from types import SimpleNamespace\nfrom partnership_lib import widgets as ex",
    "tagger = ex.conversation_tagger(ex.exercise_binding(NB, 'tagger'), "
    "example=ex.worked_conversation())\ntagger.load.click()\n"
    "tagger.dropdowns[4].value = 'mutual_understanding'\ntagger",
    "wall = ex.postit_wall(ex.exercise_binding(NB, 'wall'))\n"
    "wall.colour.value = 'yellow'\nwall.text.value = 'Map the stakeholders again'\n"
    "wall.add.click()\nwall.note_list.children[0].children[1].click()  # Edit note 1\nwall",
    "ex.learning_log(ex.exercise_binding(NB, 'log'), session_title='The day as a whole')",
    "ex.feedback_reveal(ex.exercise_binding(NB, 'tagger'), "
    "[SimpleNamespace(heading='Groups said', items=['Listen first'])])",
]

# Controls whose text is cut short: text wider than the box (ipywidgets ends it with
# an ellipsis), or a drop-down's chosen option wider than the drop-down.
_OVERFLOWS_JS = """() => {
  const out = [];
  const canvas = document.createElement('canvas').getContext('2d');
  const scope = '.pl-exercise, .pl-feedback-reveal';
  const selector = ['button', '.widget-label', '.widget-radio-box label', 'select']
    .map((s) => `:is(${scope}) ${s}`).join(', ');
  for (const el of document.querySelectorAll(selector)) {
    if (!el.offsetParent || el.closest('[style*="display: none"]')) continue;
    const text = (el.tagName === 'SELECT'
      ? (el.options[el.selectedIndex] || {}).text || '' : el.textContent).trim();
    if (!text) continue;
    let room = el.clientWidth, need = el.scrollWidth;
    // a description given no width on purpose: the visible label is the HTML above it
    if (el.classList.contains('widget-label') && room === 0) continue;
    if (el.tagName === 'SELECT') {
      const style = getComputedStyle(el);
      canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      need = canvas.measureText(text).width;
      room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    }
    if (need > room + 1) out.push(`${el.tagName.toLowerCase()} "${text}": ${Math.ceil(need)} > ${room}`);
  }
  return out;
}"""


def test_no_control_text_is_cut_off_at_1366_wide(open_in_voila, page, tmp_path):
    page.set_viewport_size({"width": 1366, "height": 768})
    notebook = f"labels_{uuid.uuid4().hex[:8]}"
    cells = [f"NB = {notebook!r}\n" + CELLS[0], *CELLS[1:]]
    open_in_voila(write_notebook(tmp_path / f"{notebook}.ipynb", cells))
    page.wait_for_selector(".pl-tagger .pl-statements select")
    page.wait_for_selector(".pl-postits button:has-text('Cancel editing')")
    buttons = page.locator(".pl-exercise button, .pl-feedback-reveal button").all_inner_texts()
    for label in (
        "Split into statements",
        "Load the worked example",
        "Undo loading the example",
        "Save note 1",
        "Cancel editing",
        "Undo remove",
        "Edit note 1",
        "Remove note 1",
        "Show what other groups said",
    ):
        assert any(label in text for text in buttons), f"no {label!r} button on the page"
    assert page.evaluate(_OVERFLOWS_JS) == []
