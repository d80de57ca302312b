"""Free-text exercises: one prompt, a multi-field form, and the partnership scenario.

Every text box saves on each keystroke (the store folds a burst of typing into one
revision) and is restored when the notebook is opened again. A saved answer that is not
text (for example a list written by an older version) is left in the history, not
shown, and the status line says so.

Completion rules
----------------
- :func:`text_prompt`: complete when the answer holds any non-blank text.
- :func:`text_form` and :func:`scenario_form`: complete when every required field is
  filled; when every field is optional, when every field is filled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from partnership_lib.core.html import escape
from partnership_lib.core.store import AnswerKey
from partnership_lib.models import frameworks
from partnership_lib.widgets.base import Binding, Exercise

__all__ = [
    "FormField",
    "TextForm",
    "TextPrompt",
    "fill_form",
    "question_form",
    "scenario_fields",
    "scenario_form",
    "text_form",
    "text_prompt",
    "undo_fill",
    "word_count",
]

#: Heading of the scenario form (the workbook's title for the pre-workshop task).
SCENARIO_TITLE = "10 Steps to Building your Partnership Scenario"

_MUTED = "#4d4d4d"  # 7.5:1 on white


# --------------------------------------------------------------------------- helpers


def word_count(text: str) -> int:
    """Number of words in ``text`` (runs of non-space characters)."""
    return len(text.split())


def _words(n: int) -> str:
    return f"{n} word{'s' if n != 1 else ''}"


def _filled(text: str) -> bool:
    return bool(text.strip())


def _kind(value: Any) -> str:
    """A few words naming what a stored value is, for status messages."""
    names = {list: "a list", dict: "a table of values", bool: "yes/no", int: "a number"}
    return names.get(type(value), "a number" if isinstance(value, float) else "something else")


def _check_field_key(owner: str, key: Any) -> None:
    """A field key must be a valid answer-key part and not start with '_' (reserved)."""
    try:
        AnswerKey("notebook", "exercise", key)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{owner}: {exc}") from None
    if key.startswith("_"):
        raise ValueError(f"{owner}: field key {key!r} must not start with '_' (reserved)")


def _saved(ex: Exercise) -> None:
    """Say the answer is saved (the same text each time, so screen readers hear it once)."""
    status = ex.store.status
    if status.mode == "memory":
        ex.announce(f"Kept for this session only. {status.message}", "warning")
    else:
        ex.announce("Saved.", "saved")


def _sync_status(ex: Exercise, complete: bool) -> None:
    ex.mark("complete" if complete else "started")


def _textarea(label: str, *, rows: int, placeholder: str = "") -> widgets.Textarea:
    """A full-width text box whose accessible name is ``label``.

    The visible label is HTML above the box (it wraps; a widget description would be cut
    short). The description carries the same words for assistive technology: it is a
    real ``<label for=...>`` in the page, given no visible width.
    """
    area = widgets.Textarea(
        value="",
        placeholder=placeholder,
        description=label,
        rows=rows,
        continuous_update=True,
        layout=widgets.Layout(width="100%", max_width="60em"),
        style={"description_width": "0px"},
    )
    area.add_class("pl-textarea")
    return area


class _BoundText:
    """One Textarea bound to one field: restores, saves each change, follows reset/undo."""

    def __init__(
        self,
        ex: Exercise,
        area: widgets.Textarea,
        field: str,
        label: str,
        on_change: Callable[[bool], None],
    ) -> None:
        self.ex = ex
        self.area = area
        self.field = field
        self.label = label
        self.on_change = on_change
        self.problem = self._load()
        area.observe(self._changed, names="value")
        ex.on_reset(self._restore)

    def _load(self) -> str | None:
        """Show the stored text; return a warning if the stored value is not text."""
        stored = self.ex.get(self.field)
        if stored is None or isinstance(stored, str):
            self.area.value = stored or ""
            return None
        self.area.value = ""
        return (
            f"Your saved answer for '{self.label}' is {_kind(stored)}, not text, so it is not "
            "shown here. It is kept in your history; anything you type replaces it."
        )

    def _changed(self, change: dict[str, Any]) -> None:
        if self.problem:
            # a revision of its own, so the value we could not show stays in the history
            saved = self.ex.save(self.field, change["new"], coalesce=False)
            self.problem = None if saved else self.problem
        else:
            saved = self.ex.save(self.field, change["new"])
        self.on_change(saved)

    def _restore(self) -> None:
        self.area.unobserve(self._changed, names="value")
        try:
            self.problem = self._load()
        finally:
            self.area.observe(self._changed, names="value")

    def set(self, text: str) -> None:
        """Show ``text`` without saving it (it is already in the store)."""
        self.area.unobserve(self._changed, names="value")
        try:
            self.area.value = text
        finally:
            self.area.observe(self._changed, names="value")

    @property
    def filled(self) -> bool:
        return _filled(self.area.value)


def _title_html(title: str | None) -> list[widgets.Widget]:
    if not title:
        return []
    return [widgets.HTML(f'<h3 class="pl-exercise-title">{escape(title)}</h3>')]


def _box(cls: type[widgets.VBox], children: Sequence[widgets.Widget], kind: str) -> widgets.VBox:
    box = cls(list(children), layout=widgets.Layout(width="100%"))
    box.add_class("pl-exercise")
    box.add_class(f"pl-{kind}")
    return box


# --------------------------------------------------------------------------- one prompt


class TextPrompt(widgets.VBox):
    """The widget :func:`text_prompt` returns.

    Attributes
    ----------
    exercise : Exercise
    textarea : ipywidgets.Textarea
    word_count : ipywidgets.HTML
        "12 words" under the box (not a live region, so typing is not read out).
    """

    exercise: Exercise
    textarea: widgets.Textarea
    word_count: widgets.HTML


def text_prompt(
    binding: Binding,
    prompt: str,
    *,
    field: str = "text",
    placeholder: str = "",
    rows: int = 6,
) -> TextPrompt:
    """One question and a text box for the answer, saved as the learner types.

    Parameters
    ----------
    prompt
        The question; shown as the box's visible label and used as its accessible name.
    notebook, exercise, field
        Where the answer is stored: ``notebook/exercise/field``.
    store, progress
        The answer store (default: the learner's) and the notebook's progress line.
    placeholder
        Faint hint text inside the empty box.
    rows
        Height of the box in lines.

    Returns
    -------
    TextPrompt
        A VBox with classes ``pl-exercise`` and ``pl-text``. Complete when the answer
        holds any non-blank text.
    """
    if not isinstance(prompt, str) or not prompt.strip():
        raise ValueError(f"text_prompt: prompt must be non-empty text, got {prompt!r}")
    _check_field_key("text_prompt", field)
    if isinstance(rows, bool) or not isinstance(rows, int) or rows < 1:
        raise ValueError(f"text_prompt: rows must be a whole number of at least 1, got {rows!r}")
    ex = Exercise(binding, kind="text", title=prompt)
    label = widgets.HTML(f'<div class="pl-prompt"><strong>{escape(prompt)}</strong></div>')
    area = _textarea(prompt, rows=rows, placeholder=placeholder)
    count = widgets.HTML()
    count.add_class("pl-word-count")

    def _show_count() -> None:
        count.value = (
            f'<span class="pl-word-count" style="color:{_MUTED}">'
            f"{_words(word_count(area.value))}</span>"
        )

    def _changed(saved: bool) -> None:
        _show_count()
        if saved:
            _sync_status(ex, bound.filled)
            _saved(ex)

    bound = _BoundText(ex, area, field, prompt, _changed)
    _show_count()
    ex.on_reset(_show_count)
    if bound.problem:
        ex.announce(bound.problem, "warning")
    box = _box(TextPrompt, [label, area, count, ex.status, ex.reset_bar()], "text")
    box.exercise, box.textarea, box.word_count = ex, area, count
    return box


# --------------------------------------------------------------------------- forms


@dataclass(frozen=True, slots=True)
class FormField:
    """One field of a :func:`text_form`.

    Parameters
    ----------
    key
        Stored as ``notebook/exercise/<key>``: text without ``/`` and not starting
        with ``_``.
    label
        Visible label, also the text box's accessible name.
    guidance
        A sentence or two shown under the label in muted text.
    rows
        Height of the text box in lines.
    optional
        Whether the form counts as complete without this field.
    questions
        Prompting questions listed under the guidance.
    """

    key: str
    label: str
    guidance: str = ""
    rows: int = 4
    optional: bool = True
    questions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_field_key(f"form field {self.key!r}", self.key)
        if not isinstance(self.label, str) or not self.label.strip():
            raise ValueError(
                f"form field {self.key!r}: label must be non-empty text, got {self.label!r}"
            )
        if not isinstance(self.guidance, str):
            raise ValueError(
                f"form field {self.key!r}: guidance must be text, got {self.guidance!r}"
            )
        if isinstance(self.rows, bool) or not isinstance(self.rows, int) or self.rows < 1:
            raise ValueError(
                f"form field {self.key!r}: rows must be a whole number of at least 1, got {self.rows!r}"
            )
        if not isinstance(self.optional, bool):
            raise ValueError(
                f"form field {self.key!r}: optional must be True or False, got {self.optional!r}"
            )
        if isinstance(self.questions, str):
            raise ValueError(
                f"form field {self.key!r}: questions must be a list of text, got {self.questions!r}"
            )
        questions = tuple(self.questions)
        for q in questions:
            if not isinstance(q, str) or not q.strip():
                raise ValueError(
                    f"form field {self.key!r}: each question must be non-empty text, got {q!r}"
                )
        object.__setattr__(self, "questions", questions)


def _guidance_html(field: FormField) -> str:
    parts = []
    if field.guidance.strip():
        parts.append(f"<p style='margin:0.2em 0'>{escape(field.guidance)}</p>")
    if field.questions:
        items = "".join(f"<li>{escape(q)}</li>" for q in field.questions)
        parts.append(f"<ul style='margin:0.2em 0 0.2em 1.2em;padding:0'>{items}</ul>")
    if not parts:
        return ""
    return f'<div class="pl-guidance" style="color:{_MUTED}">{"".join(parts)}</div>'


class TextForm(widgets.VBox):
    """The widget :func:`text_form` and :func:`scenario_form` return.

    Attributes
    ----------
    exercise : Exercise
    fields : tuple of FormField
    textareas : dict
        Field key to its ``ipywidgets.Textarea``.
    completeness : ipywidgets.HTML
        "N of M steps complete".
    """

    exercise: Exercise
    fields: tuple[FormField, ...]
    textareas: dict[str, widgets.Textarea]
    completeness: widgets.HTML
    _bound: dict[str, _BoundText]
    _refresh: Callable[[], None]
    _last_fill: list[tuple[str, int | None, str]]

    def is_complete(self) -> bool:
        """True when every required field is filled (every field, if all are optional)."""
        required = [f for f in self.fields if not f.optional] or list(self.fields)
        return all(self._bound[f.key].filled for f in required)

    def fill(self, values: Mapping[str, str], *, overwrite: bool = False) -> tuple[str, ...]:
        """Load ``values`` into the form and save them; see :func:`fill_form`."""
        return fill_form(self, values, overwrite=overwrite)

    def undo_fill(self) -> tuple[str, ...]:
        """Put back what the last :meth:`fill` replaced; see :func:`undo_fill`."""
        return undo_fill(self)


def text_form(
    binding: Binding,
    fields: Sequence[FormField],
    *,
    title: str | None = None,
    show_guidance: bool = True,
    intro: str | None = None,
    item_name: str = "step",
    kind: str = "text_form",
) -> TextForm:
    """A form of several text fields, each saved as the learner types.

    Parameters
    ----------
    fields
        The fields, in order (:class:`FormField`); keys must be unique.
    notebook, exercise
        Each field is stored as ``notebook/exercise/<field key>``.
    store, progress
        The answer store (default: the learner's) and the notebook's progress line.
    title
        Heading above the form.
    show_guidance
        Show each field's guidance and questions in muted text under its label.
    intro
        A short paragraph under the title.
    item_name
        What a field is called in the completeness line ("3 of 10 steps complete").
    kind
        Recorded with the answers so exports know what they are (``"scenario"`` for
        :func:`scenario_form`).

    Returns
    -------
    TextForm
        A VBox with classes ``pl-exercise`` and ``pl-text-form``. Complete when every
        required field is filled; when every field is optional, when all are filled.
    """
    fields = tuple(fields)
    if not fields:
        raise ValueError("text_form: give at least one field")
    for f in fields:
        if not isinstance(f, FormField):
            raise ValueError(f"text_form: fields must be FormField objects, got {f!r}")
    keys = [f.key for f in fields]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise ValueError(f"text_form: duplicate field key {dupes[0]!r}")
    ex = Exercise(binding, kind=kind, title=title or "")
    completeness = widgets.HTML()
    completeness.add_class("pl-completeness")
    box = _box(TextForm, [], "text-form")
    box.exercise, box.fields, box.completeness = ex, fields, completeness
    box.textareas, box._bound, box._last_fill = {}, {}, []
    plural = f"{item_name}s"

    def _refresh() -> None:
        required = [f for f in fields if not f.optional] or list(fields)
        done = sum(box._bound[f.key].filled for f in fields)
        noun = item_name if len(fields) == 1 else plural
        line = f"{done} of {len(fields)} {noun} complete"
        missing = [f.label for f in required if not box._bound[f.key].filled]
        if any(not f.optional for f in fields) and missing:
            line += f" (still needed: {', '.join(missing)})"
        completeness.value = f'<div class="pl-completeness"><strong>{escape(line)}</strong></div>'

    def _changed(saved: bool) -> None:
        _refresh()
        if saved:
            _sync_status(ex, box.is_complete())
            _saved(ex)

    rows: list[widgets.Widget] = []
    problems = []
    for f in fields:
        label = widgets.HTML(
            f'<div class="pl-field-label"><strong>{escape(f.label)}</strong></div>'
        )
        area = _textarea(f.label, rows=f.rows)
        bound = _BoundText(ex, area, f.key, f.label, _changed)
        box.textareas[f.key] = area
        box._bound[f.key] = bound
        if bound.problem:
            problems.append(bound.problem)
        parts: list[widgets.Widget] = [label]
        guidance = _guidance_html(f) if show_guidance else ""
        if guidance:
            parts.append(widgets.HTML(guidance))
        parts.append(area)
        row = widgets.VBox(parts, layout=widgets.Layout(margin="0 0 0.8em 0"))
        row.add_class("pl-form-field")
        rows.append(row)
    box._refresh = _refresh
    _refresh()
    ex.on_reset(_refresh)
    if problems:
        ex.announce(" ".join(problems), "warning")
    head = _title_html(title)
    if intro:
        head.append(widgets.HTML(f'<p class="pl-intro">{escape(intro)}</p>'))
    box.children = [*head, completeness, *rows, ex.status, ex.reset_bar()]
    return box


def fill_form(
    form: TextForm | Exercise,
    values: Mapping[str, str],
    *,
    overwrite: bool = False,
) -> tuple[str, ...]:
    """Load text into a form (for a "start from an example" button), saving it.

    Each filled field gets a revision of its own (not folded into the learner's typing),
    so what was there before stays in the history and :func:`undo_fill` can put it back.

    Parameters
    ----------
    form
        A form from :func:`text_form` / :func:`scenario_form`, or an :class:`Exercise`
        (then the values are saved to the store only; a form built later shows them).
    values
        Field key to text. With a form, every key must be one of its fields.
    overwrite
        Replace text the learner has already written; by default only empty fields
        are filled.

    Returns
    -------
    tuple of str
        The keys of the fields that were filled.

    Raises
    ------
    ValueError
        For an unknown field key or a value that is not text.
    """
    if isinstance(form, TextForm):
        ex = form.exercise
        known = [f.key for f in form.fields]
    elif isinstance(form, Exercise):
        ex = form
        known = None
    else:
        raise ValueError(
            f"fill_form: pass a form from text_form/scenario_form or an Exercise, got {form!r}"
        )
    if not isinstance(values, Mapping):
        raise ValueError(
            f"fill_form: values must be a mapping of field key to text, got {values!r}"
        )
    for key, text in values.items():
        if known is not None and key not in known:
            raise ValueError(
                f"fill_form: unknown field {key!r}; the form's fields are: {', '.join(known)}"
            )
        if known is None:
            _check_field_key("fill_form", key)
        if not isinstance(text, str):
            raise ValueError(f"fill_form: the value for {key!r} must be text, got {text!r}")
    filled: list[str] = []
    record: list[tuple[str, int | None, str]] = []
    for key, text in values.items():
        current = ex.get(key)
        if isinstance(current, str) and _filled(current) and not overwrite:
            continue
        if current == text:
            continue
        history = ex.store.history(ex.field_key(key))
        before = history[-1].revision if history else None
        if not ex.save(key, text, coalesce=False):  # a revision of its own
            break
        record.append((key, before, text))
        filled.append(key)
    if isinstance(form, TextForm):
        form._last_fill = record
        for key in filled:
            form._bound[key].set(values[key])
            form._bound[key].problem = None
        form._refresh()
        if filled:
            _sync_status(ex, form.is_complete())
            n = len(filled)
            ex.announce(
                f"Filled in {n} field{'s' if n != 1 else ''}. Your earlier text is kept in "
                "your history.",
                "saved",
            )
    elif filled:
        ex.mark("started")
    if ex.progress is not None:
        ex.progress.refresh()
    return tuple(filled)


def undo_fill(form: TextForm) -> tuple[str, ...]:
    """Put back what the last :func:`fill_form` on ``form`` replaced.

    Fields the learner has changed since the fill are left alone.

    Returns
    -------
    tuple of str
        The keys of the fields put back.
    """
    ex = form.exercise
    undone = []
    for key, before, text in form._last_fill:
        answer_key = ex.field_key(key)
        if ex.get(key) != text:
            continue  # changed since the fill: the learner's newer text wins
        if before is None:
            ex.store.reset(answer_key)
        else:
            ex.store.restore(answer_key, before)
        stored = ex.get(key)
        form._bound[key].set(stored if isinstance(stored, str) else "")
        undone.append(key)
    form._last_fill = []
    form._refresh()
    if undone:
        ex.mark("complete" if form.is_complete() else "started")
        ex.announce("Put back what you had before.", "saved")
    return tuple(undone)


# --------------------------------------------------------------------------- scenario


def scenario_fields() -> tuple[FormField, ...]:
    """The 10 scenario steps as form fields (keys are the steps' keys; all optional)."""

    return tuple(
        FormField(
            key=step.key,
            label=f"Step {step.number}: {step.title}",
            guidance=step.guidance,
            questions=step.questions,
            rows=4,
            optional=True,
        )
        for step in frameworks.scenario_steps()
    )


def scenario_form(binding: Binding) -> TextForm:
    """The pre-workshop task: the 10 steps to building your partnership scenario.

    Each step (from :func:`partnership_lib.models.frameworks.scenario_steps`) shows its number,
    title, guidance and questions, and a text box stored under the step's key. Every step
    is optional, as the workbook says; the scenario is complete when all 10 are filled.
    Use :func:`fill_form` to load an example scenario into it.
    """

    form = text_form(
        binding,
        scenario_fields(),
        title=SCENARIO_TITLE,
        intro=frameworks.note("scenario_steps"),
        item_name="step",
        kind="scenario",
    )
    form.add_class("pl-scenario")
    return form


def question_form(
    binding: Binding,
    questions: Sequence[Any],
    *,
    title: str,
    rows: int = 3,
) -> TextForm:
    """A text form with one box per question (objects with ``key`` and ``text``)."""
    fields = [FormField(q.key, q.text, rows=rows) for q in questions]
    return text_form(binding, fields, title=title, item_name="question")
