"""Reduced motion (WCAG 2.3.3): nothing we render moves when the system asks for less.

None of our pages animate: charts are still PNG pictures (the stakeholder grid's
movement arrows included), and the facilitator board updates by replacing its HTML.
These tests hold that in place with the operating system's "reduce motion" setting
emulated: a session notebook and a live facilitator board run, the page records every
CSS animation or transition that starts, and the computed ``animation-name`` and
``transition-duration`` of everything in the outputs must be ``none`` and ``0s``.
As a guard for anything added later, :data:`partnership_lib.widgets.page.PAGE_CSS` switches
animations and transitions off under ``prefers-reduced-motion: reduce``; the first test
checks that rule on an element that would otherwise move.

Recording starts once the page is ready. Before that, Voilà's own loading spinner (an
SVG in Voilà's page template, outside our outputs) rotates whatever the setting; it is
a loading indicator that goes away when the notebook has run, and not ours to change.
"""

from __future__ import annotations

import re
import time

import pytest

from .keyboard import start_from_top
from .test_lab_smoke import SESSION_NOTEBOOKS, write_notebook

pytestmark = pytest.mark.browser

# Runs before the page's own scripts: counts every animation and transition that starts.
RECORD_MOTION = """
window.__motion = [];
for (const type of ['animationstart', 'transitionrun', 'transitionstart']) {
  document.addEventListener(type, (e) => {
    const t = e.target;
    window.__motion.push(`${type} ${e.animationName || e.propertyName || ''} on ` +
      `${t.tagName}.${(t.className && t.className.baseVal === undefined ? t.className : '')}`);
  }, true);
}
"""

# Elements in the outputs whose computed style would move.
_MOVING_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll(
      '.jp-OutputArea-output, .jp-OutputArea-output *, .jp-RenderedMarkdown *')) {
    const cs = getComputedStyle(el);
    const durations = cs.transitionDuration.split(',').map(parseFloat);
    if (cs.animationName !== 'none' || durations.some((d) => d > 0)) {
      out.push(`${el.tagName}.${el.className} animation ${cs.animationName}, ` +
        `transition ${cs.transitionProperty} ${cs.transitionDuration}`);
    }
  }
  return {moving: out, running: document.getAnimations().length,
          reduce: matchMedia('(prefers-reduced-motion: reduce)').matches};
}"""

# An element that would fade if nothing stopped it, put in the first output.
_TRY_TRANSITION_JS = """() => {
  const host = document.querySelector('.jp-OutputArea-output');
  const probe = document.createElement('div');
  probe.style.transition = 'opacity 2s linear';
  probe.style.animation = 'pl-probe 2s infinite';
  probe.textContent = 'probe';
  host.appendChild(probe);
  const cs = getComputedStyle(probe);
  const out = [cs.transitionDuration, cs.animationName];
  probe.remove();
  return out;
}"""


def _start_recording(page) -> list[str]:
    """Forget what moved while Voilà was loading (its spinner); return that for the log."""
    return page.evaluate("() => window.__motion.splice(0)")


def _assert_still(page) -> None:
    found = page.evaluate(_MOVING_JS)
    assert found["reduce"], "the page does not see prefers-reduced-motion: reduce"
    events = page.evaluate("window.__motion")
    assert not events, "animations or transitions started:\n" + "\n".join(events[:20])
    assert found["running"] == 0, f"{found['running']} animation(s) running"
    assert not found["moving"], "elements that would move:\n" + "\n".join(found["moving"][:20])


@pytest.mark.parametrize(
    "notebook", [p for p in SESSION_NOTEBOOKS if p.id == "04_feedback_and_reflection"]
)
def test_session_notebook_stays_still_with_reduced_motion(notebook, open_in_voila, page):
    page.emulate_media(reduced_motion="reduce")
    page.add_init_script(RECORD_MOTION)
    open_in_voila(notebook)
    loading = _start_recording(page)
    print(f"while Voilà loaded: {sorted(set(loading))}")
    start_from_top(page)
    for _ in range(40):  # focus and hover styles change as a learner moves through
        page.keyboard.press("Tab")
    _assert_still(page)

    # Our reduced-motion rule stops what a later change might add.
    assert page.evaluate(_TRY_TRANSITION_JS) == ["0s", "none"]
    page.emulate_media(reduced_motion="no-preference")
    assert page.evaluate(_TRY_TRANSITION_JS) == ["2s", "pl-probe"]


def test_live_facilitator_board_updates_without_motion(open_in_voila, page, tmp_path):
    from partnership_lib.facilitator.demo import write_demo_room

    room = tmp_path / "room"
    room.mkdir()
    notebook = write_notebook(
        tmp_path / "board.ipynb",
        [
            "from partnership_lib.facilitator.board import facilitator_board",
            f"facilitator_board({str(room)!r}, interval=0.5, live=True, session_code='MOTN55')",
        ],
    )
    page.emulate_media(reduced_motion="reduce")
    page.add_init_script(RECORD_MOTION)
    open_in_voila(notebook)
    _start_recording(page)
    assert re.search(r"\b0 learners\b", page.inner_text("body"))

    # the live board picks the share files up by itself (sent for its session)
    write_demo_room(room, 5, session_code="MOTN55")
    deadline = time.monotonic() + 30
    while not re.search(r"\b5 learners\b", page.inner_text("body")):
        assert time.monotonic() < deadline, "the live board did not show the 5 learners"
        page.wait_for_timeout(250)
    page.wait_for_timeout(1500)  # a few more live scans
    _assert_still(page)
