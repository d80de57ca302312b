"""Every control in the session notebooks has an accessible name, and visible labels are tied.

Names come from Chromium's accessibility tree (what a screen reader is given), so every
way of naming a control counts: ``<label for>``, a wrapping label, ``aria-label``,
``aria-labelledby``, a button's text. A control with an empty name fails the test,
listed with the text around it.

ipywidgets draws a widget's ``description`` as a ``<label class="widget-label">``; the
second test checks that each visible one is tied to the control it sits beside (its
``for`` names the input, or the control is labelled by it), so the words a sighted
learner reads are the words a screen-reader user hears.
"""

from __future__ import annotations

import re

import pytest

from .keyboard import ax_controls
from .test_lab_smoke import SMOKE_NOTEBOOKS

pytestmark = pytest.mark.browser

#: The session notebooks 00-04, from the smoke tests' list of every committed notebook.
SESSION_NOTEBOOKS = [p for p in SMOKE_NOTEBOOKS if re.match(r"0\d_", p.id)]

# Visible ipywidgets description labels, with whether each names the control beside it.
# A label whose widget holds no form control (e.g. an HTML widget's) is not listed.
# Radio and toggle-button groups are left out: each option is a control named by its own
# text, and the description is a caption for the group.
_LABELS_JS = """() => {
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const out = [];
  for (const label of document.querySelectorAll('.jp-OutputArea-output label.widget-label')) {
    const text = (label.innerText || '').trim();
    if (!text || !visible(label)) continue;
    const widget = label.parentElement;
    if (widget.matches('.widget-radio, .widget-toggle-buttons')) continue;
    const controls = Array.from(widget.querySelectorAll(
      'input, select, textarea, [role=slider], [role=spinbutton], [contenteditable=true]'))
      .filter((c) => c.closest('.jupyter-widgets, .lm-Widget') === widget || c.parentElement
        .closest('.lm-Widget') === widget)
      .filter(visible);
    if (!controls.length) continue;
    const tied = controls.map((c) => {
      if (c.labels && Array.from(c.labels).includes(label)) return true;
      const by = (c.getAttribute('aria-labelledby') || '').split(/\\s+/);
      return !!label.id && by.includes(label.id);
    });
    out.push({
      label: text,
      controls: controls.map((c) => c.getAttribute('role') || c.tagName.toLowerCase()),
      tied: tied,
      context: (widget.innerText || '').replace(/\\s+/g, ' ').trim().slice(0, 100),
    });
  }
  return out;
}"""


@pytest.mark.parametrize("notebook", SESSION_NOTEBOOKS)
def test_every_control_has_an_accessible_name(notebook, open_in_voila, page):
    open_in_voila(notebook)

    controls = ax_controls(page)
    assert len(controls) > 5, f"only {len(controls)} controls found: {controls}"
    unnamed = [c for c in controls if not c.name.strip()]
    assert not unnamed, f"{len(unnamed)} of {len(controls)} controls have no accessible name:\n" + (
        "\n".join(f"  - {c}" for c in unnamed)
    )

    # ipywidgets titles a control without a tooltip "null", and a screen reader reads it.
    nulls = [c for c in controls if c.description.strip().lower() in {"null", "undefined"}]
    assert not nulls, "controls described as 'null':\n" + "\n".join(f"  - {c}" for c in nulls)

    labels = page.evaluate(_LABELS_JS)
    assert labels, "no ipywidgets description label found"
    loose = [
        f"  - {item['label']!r} beside {c} near {item['context']!r}"
        for item in labels
        for c, tied in zip(item["controls"], item["tied"], strict=True)
        if not tied
    ]
    assert not loose, "visible labels not tied to their control:\n" + "\n".join(loose)
