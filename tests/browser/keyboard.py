"""Keyboard and screen-reader helpers for the browser tests: focus stops and accessible names.

Names and roles come from Chromium's own accessibility tree (over the DevTools protocol),
so a test sees what a screen reader is given, not a re-implementation of the name rules.
Nothing here imports Playwright at import time.
"""

from __future__ import annotations

import re
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import CDPSession, Page

#: Roles a learner operates: each needs a name, and each must be reachable with Tab.
CONTROL_ROLES = frozenset(
    {
        "button",
        "checkbox",
        "combobox",
        "listbox",
        "menuitem",
        "radio",
        "searchbox",
        "slider",
        "spinbutton",
        "switch",
        "tab",
        "textbox",
        "togglebutton",
    }
)

_SESSIONS: weakref.WeakKeyDictionary[Page, CDPSession] = weakref.WeakKeyDictionary()


def cdp(page: Page) -> CDPSession:
    """One DevTools session per page (reused), with the accessibility domain on."""
    if page not in _SESSIONS:
        session = page.context.new_cdp_session(page)
        session.send("Accessibility.enable")
        _SESSIONS[page] = session
    return _SESSIONS[page]


@dataclass(frozen=True, slots=True)
class Stop:
    """Where keyboard focus is: the element, and what Chromium tells a screen reader."""

    tag: str
    role: str
    name: str
    #: Text around the control (its widget's text, or its parent's), to find it in a report.
    context: str = ""
    #: The accessible description (for ipywidgets, a ``tooltip`` becomes the ``title``).
    description: str = ""

    def __str__(self) -> str:
        where = f" near {self.context!r}" if self.context else ""
        extra = f" ({self.description!r})" if self.description else ""
        return f"{self.role or self.tag} {self.name!r}{extra}{where}"


_CONTEXT_JS = """(el) => {
  const box = el.closest('.jupyter-widgets:not(.widget-button):not(.widget-toggle-button)')
    || el.parentElement || el;
  const own = (el.innerText || el.value || '').trim();
  let text = (box.innerText || '').replace(/\\s+/g, ' ').trim();
  if (!text || text === own) {
    const outer = (box.parentElement || box).innerText || '';
    text = outer.replace(/\\s+/g, ' ').trim();
  }
  return [el.tagName.toLowerCase(), text.slice(0, 100)];
}"""


_INSIDE_JS = """(node, selector) => {
  const el = node.nodeType === 1 ? node : node.parentElement;
  return !!(el && el.closest(selector));
}"""


def _ax_node(session: CDPSession, object_id: str) -> dict[str, Any]:
    nodes = session.send(
        "Accessibility.getPartialAXTree", {"objectId": object_id, "fetchRelatives": False}
    )["nodes"]
    return nodes[0] if nodes else {}


def _value(node: dict[str, Any], field: str) -> str:
    return str((node.get(field) or {}).get("value") or "")


def _call(session: CDPSession, object_id: str, function: str, *args: Any) -> Any:
    """Call the JS ``function(element, *args)`` on a remote DOM node; return its value."""
    reply = session.send(
        "Runtime.callFunctionOn",
        {
            "objectId": object_id,
            "functionDeclaration": f"function(...args) {{ return ({function})(this, ...args); }}",
            "arguments": [{"value": a} for a in args],
            "returnByValue": True,
        },
    )
    if "exceptionDetails" in reply:
        raise RuntimeError(f"page script failed: {reply['exceptionDetails']}")
    return reply["result"].get("value")


def _stop(session: CDPSession, object_id: str, node: dict[str, Any] | None = None) -> Stop:
    node = node if node is not None else _ax_node(session, object_id)
    tag, context = _call(session, object_id, _CONTEXT_JS)
    return Stop(
        tag,
        _value(node, "role"),
        clean_name(_value(node, "name")),
        context,
        clean_name(_value(node, "description")),
    )


def clean_name(name: str) -> str:
    """An accessible name without Font Awesome glyphs (private-use characters) and padding.

    ipywidgets puts a button's icon in an ``<i>`` whose glyph Chromium includes in the
    name; screen readers skip private-use characters, so tests compare the words.
    """
    return " ".join(re.sub(r"[\ue000-\uf8ff]", " ", name).split())


def focused(page: Page) -> Stop | None:
    """The focused element (``None`` when focus is on the document itself)."""
    session = cdp(page)
    result = session.send(
        "Runtime.evaluate",
        {
            "expression": "(() => { const a = document.activeElement; "
            "return a && a !== document.body && a !== document.documentElement ? a : null; })()"
        },
    )["result"]
    if result.get("subtype") == "null" or "objectId" not in result:
        return None
    return _stop(session, result["objectId"])


def start_from_top(page: Page) -> None:
    """Put the keyboard's starting point at the top of the page, as on arrival.

    Focus goes to the document (nothing focused) and the window scrolls to the top; the
    next Tab then reaches the first focusable element. This is the only focus change a
    test makes without a key press.
    """
    page.evaluate(
        """() => {
          if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
          window.getSelection().removeAllRanges();
          window.scrollTo(0, 0);
        }"""
    )
    # Chromium starts sequential navigation from the last focused node even after
    # blur(); a focusable-by-script anchor at the very top resets that starting point.
    page.evaluate(
        """() => {
          const body = document.body;
          const hadTabindex = body.hasAttribute('tabindex');
          if (!hadTabindex) body.setAttribute('tabindex', '-1');
          body.focus({preventScroll: true});
          if (!hadTabindex) body.removeAttribute('tabindex');
        }"""
    )


def tab_to(
    page: Page,
    predicate: Callable[[Stop], bool],
    *,
    max_steps: int = 200,
    key: str = "Tab",
    what: str = "",
) -> Stop:
    """Press Tab (or ``key``, e.g. ``"Shift+Tab"``) until the focused element matches.

    Fails listing every focus stop visited, which also proves what is reachable.
    """
    visited: list[Stop | None] = []
    for _ in range(max_steps):
        page.keyboard.press(key)
        stop = focused(page)
        visited.append(stop)
        if stop is not None and predicate(stop):
            return stop
    listing = "\n".join(f"  {i + 1:3d}. {s}" for i, s in enumerate(visited))
    raise AssertionError(
        f"{key} never reached {what or 'the control'} in {max_steps} presses. Focus stops:\n"
        + listing
    )


def control(role: str, name: str | re.Pattern[str]) -> Callable[[Stop], bool]:
    """Predicate: focus on a control of ``role`` whose accessible name is (or matches) ``name``."""

    def matches(stop: Stop) -> bool:
        if stop.role != role:
            return False
        if isinstance(name, re.Pattern):
            return name.search(stop.name) is not None
        return stop.name == name

    matches.__name__ = f"{role} {name!r}"
    return matches


def tab_to_control(page: Page, role: str, name: str | re.Pattern[str], **kwargs: Any) -> Stop:
    """:func:`tab_to` a control of ``role`` named ``name``."""
    return tab_to(page, control(role, name), what=f"{role} {name!r}", **kwargs)


def ax_controls(page: Page, *, within: str = ".jp-OutputArea-output") -> list[Stop]:
    """Every control a screen reader can reach inside ``within``, with its name.

    Walks Chromium's full accessibility tree (ignored nodes, such as hidden widgets, are
    left out) and keeps the nodes whose role is in :data:`CONTROL_ROLES` and whose DOM
    node lies inside an element matching ``within``.
    """
    session = cdp(page)
    session.send("DOM.getDocument", {"depth": 0})
    out: list[Stop] = []
    for node in session.send("Accessibility.getFullAXTree")["nodes"]:
        if node.get("ignored") or _value(node, "role") not in CONTROL_ROLES:
            continue
        backend = node.get("backendDOMNodeId")
        if backend is None:
            continue
        object_id = session.send("DOM.resolveNode", {"backendNodeId": backend})["object"].get(
            "objectId"
        )
        if object_id is None:
            continue
        inside = _call(session, object_id, _INSIDE_JS, within)
        if inside:
            out.append(_stop(session, object_id, node))
    return out


def wait_for_answer(
    store_path: Path, key: str, expected: Callable[[Any], bool], *, timeout: float = 20.0
) -> Any:
    """Poll the answer store until ``expected(store.get(key))``; return that value.

    Saves go page -> kernel -> store, so the test waits, with a deadline, and on failure
    names the last value seen.
    """
    from partnership_lib.core.store import AnswerStore

    deadline = time.monotonic() + timeout
    value: Any = None
    while True:
        if store_path.exists():
            with AnswerStore(store_path) as store:
                value = store.get(key)
            if expected(value):
                return value
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{key} in {store_path} did not reach the expected answer within "
                f"{timeout:.0f} s; last value: {value!r}"
            )
        time.sleep(0.25)


# --------------------------------------------------------------------------- accessible names
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


def assert_every_control_named(page) -> None:
    """Every control has an accessible name, and each visible label is tied to its control.

    Names come from Chromium's accessibility tree (what a screen reader is given), so
    every way of naming a control counts: ``<label for>``, a wrapping label,
    ``aria-label``, ``aria-labelledby``, a button's text. ipywidgets draws a widget's
    ``description`` as a ``<label class="widget-label">``; each visible one must name the
    control it sits beside, so the words a sighted learner reads are the words a
    screen-reader user hears.
    """
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
