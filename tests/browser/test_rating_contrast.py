"""The chosen point of a rating scale is unmistakable in Voilà, in every style (WCAG 1.4.11).

A small notebook shows the page style every session notebook shows
(:data:`partnership_lib.widgets.page.PAGE_CSS`), the projector toggle and a rating scale,
in the workbook style, in projector mode (``?projector=1``, which also switches the
projector page CSS on) and in the high-contrast chart style. The test picks a rating,
then reads the computed colours of every chosen button (the picked "4" and the other
rows' "Not rated"), of the buttons beside it and of the page behind, and requires 3:1
between the chosen button and each of them (computed in Python with
:func:`colours.contrast_ratio`), readable text on it (4.5:1), and a second cue that needs
no colour: bold text and a tick after the label. The chosen button's focus ring must be
visible too: it is drawn outside the dark button, and must not be cut off.
"""

from __future__ import annotations

import pytest
from colours import contrast_ratio

from .focus import INDICATOR_JS, MIN_SIDE_COVERAGE, drawn_sides, indicator, parse_rgb
from .keyboard import start_from_top, tab_to
from .test_lab_smoke import write_notebook

pytestmark = pytest.mark.browser

MIN_STATE_CONTRAST = 3.0
MIN_TEXT_CONTRAST = 4.5

# Every chosen button of every rating scale: its look, its neighbours' backgrounds, and
# the page behind the button group (the first opaque background among its ancestors).
_CHOSEN_JS = """() => {
  const opaque = (c) => c && c !== 'transparent' && !/rgba\\([^)]*,\\s*0\\)$/.test(c);
  const out = [];
  for (const group of document.querySelectorAll('.pl-rating-buttons')) {
    const buttons = [...group.querySelectorAll('button.widget-toggle-button')];
    let page = 'rgb(255, 255, 255)';
    for (let p = group; p; p = p.parentElement) {
      const c = getComputedStyle(p).backgroundColor;
      if (opaque(c)) { page = c; break; }
    }
    buttons.forEach((b, i) => {
      const cs = getComputedStyle(b);
      out.push({
        label: b.textContent.trim(),
        row: group.closest('.pl-rating-row').innerText.split('\\n')[0],
        chosen: b.classList.contains('mod-active'),
        background: cs.backgroundColor,
        color: cs.color,
        weight: parseInt(cs.fontWeight, 10),
        after: getComputedStyle(b, '::after').content,
        neighbours: [buttons[i - 1], buttons[i + 1]].filter(Boolean)
          .map((n) => getComputedStyle(n).backgroundColor),
        page,
      });
    });
  }
  return out;
}"""

_BUILD = (
    "from partnership_lib import exercises as ex\n"
    "from partnership_lib.widgets.page import page_style\n"
    "from partnership_lib.widgets.projector import projector_toggle\n"
    "{style}"
    "display(page_style(), projector_toggle())\n"
    "ex.rating_scale(ex.exercise_binding('{nb}', 'r'), "
    "[('trust', 'Trust'), ('aims', 'Shared aims'), ('money', 'Money is pooled')])"
)


@pytest.mark.parametrize(
    ("style", "query"),
    [("workbook", ""), ("projector", "projector=1"), ("high_contrast", "")],
)
def test_the_chosen_rating_stands_out_in_every_style(style, query, open_in_voila, page, tmp_path):
    nb = f"rating_contrast_{style}"
    use = (
        "from partnership_lib.core.style import use_style\nuse_style('high_contrast')\n"
        if style == "high_contrast"
        else ""
    )
    path = write_notebook(tmp_path / f"{nb}.ipynb", [_BUILD.format(style=use, nb=nb)])
    open_in_voila(path, query=query)
    if style == "projector":
        page.wait_for_selector(".pl-projector-css style", state="attached")

    four = page.locator(".pl-rating-buttons").first.locator("button", has_text="4")
    four.click()
    page.wait_for_function(
        "() => document.querySelector('.pl-rating-buttons button.mod-active')"
        "?.textContent.trim() === '4'"
    )
    buttons = page.evaluate(_CHOSEN_JS)
    chosen = [b for b in buttons if b["chosen"]]
    assert [(b["row"], b["label"]) for b in chosen] == [
        ("Trust", "4"),
        ("Shared aims", "Not rated"),
        ("Money is pooled", "Not rated"),
    ]
    problems = []
    for b in chosen:
        name = f"{b['row']} {b['label']!r}"
        own = parse_rgb(b["background"])
        assert own is not None, f"{name}: no background ({b['background']})"
        for other in [*b["neighbours"], b["page"]]:
            ratio = contrast_ratio(own, parse_rgb(other) or (1.0, 1.0, 1.0))
            if ratio < MIN_STATE_CONTRAST:
                problems.append(f"{name}: {b['background']} on {other} is {ratio:.2f}:1")
        text = contrast_ratio(parse_rgb(b["color"]), own)
        if text < MIN_TEXT_CONTRAST:
            problems.append(f"{name}: text {b['color']} on {b['background']} is {text:.2f}:1")
        if b["weight"] < 600 or "\u2713" not in b["after"]:
            problems.append(f"{name}: weight {b['weight']}, after {b['after']!r}: no second cue")
    for b in buttons:
        if not b["chosen"] and ("\u2713" in b["after"] or b["weight"] >= 600):
            problems.append(f"{b['row']} {b['label']!r} is not chosen but looks it")
    assert not problems, "\n".join(problems)

    # The focus ring on the chosen button: visible against the page, and not cut off.
    start_from_top(page)
    tab_to(
        page,
        lambda s: s.role == "button" and s.description.startswith("Trust: 4"),
        what="the chosen 4 button for Trust",
    )
    raw = page.evaluate(INDICATOR_JS)
    found = indicator("Trust 4", raw)
    assert found.visible, f"focus on the chosen button: {found}"
    sides = drawn_sides(page, raw)
    assert len(sides) >= 2 and min(sides.values()) >= MIN_SIDE_COVERAGE, sides
