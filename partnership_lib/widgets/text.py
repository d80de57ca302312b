"""Free-text exercises: one prompt, a multi-field form, and the partnership scenario.

Every text box saves on each keystroke (the store folds a burst of typing into one
revision) and is restored when the notebook is opened again. A saved answer that is not
text (for example a list written by an older version) is left in the history, not
shown, and the status line says so.

- :class:`TextPrompt` (built by :func:`text_prompt`): one question, one box.
- :class:`TextForm` (built by :func:`text_form` and :func:`question_form`): several
  labelled boxes, a completeness line, "start from an example" with :meth:`TextForm.fill`
  and :meth:`TextForm.undo_fill`. A subclass lays its parts out differently by
  overriding :meth:`TextForm.compose`.
- :class:`ScenarioForm` (built by :func:`scenario_form`): the ten scenario steps.
- :class:`BoundText`: one text box bound to one field of an exercise, for any exercise
  that has free-text boxes of its own.

Completion rules
----------------
- :class:`TextPrompt`: complete when the answer holds any non-blank text.
- :class:`TextForm`: complete when every required field is filled; when every field is
  optional, when every field is filled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from partnership_lib.core.html import Markup, render
from partnership_lib.core.store import AnswerKey
from partnership_lib.models import frameworks
from partnership_lib.widgets.base import Binding, Exercise

__all__ = [
    "MUTED",
    "SCENARIO_TITLE",
    "BoundText",
    "FormField",
    "ScenarioForm",
    "TextForm",
    "TextPrompt",
    "announce_saved",
    "fill_form",
    "plural",
    "question_form",
    "scenario_fields",
    "scenario_form",
    "text_form",
    "text_prompt",
    "textarea",
    "undo_fill",
    "word_count",
]

#: Heading of the scenario form (the workbook's title for the pre-workshop task).
SCENARIO_TITLE = "10 Steps to Building your Partnership Scenario"

#: Colour of guidance and other secondary text: 7.5:1 on white.
MUTED = "#4d4d4d"


# --------------------------------------------------------------------------- helpers


def word_count(text: str) -> int:
    """Number of words in ``text`` (runs of non-space characters)."""
    return len(text.split())


def plural(noun: str) -> str:
    """The plural of a simple English noun: step -> steps, box -> boxes, entry -> entries."""
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if len(noun) > 1 and noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def _count(n: int, noun: str, nouns: str | None = None) -> str:
    return f"{n} {noun if n == 1 else (nouns or plural(noun))}"


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


def announce_saved(exercise: Exercise) -> None:
    """Say in ``exercise``'s status line that the answer is saved.

    The same words each time, so a screen reader announces them once; when the store
    keeps answers in memory only, say that instead.
    """
    status = exercise.store.status
    if status.mode == "memory":
        exercise.announce(f"Kept for this session only. {status.message}", "warning")
    else:
        exercise.announce("Saved.", "saved")


def textarea(label: str, *, rows: int, placeholder: str = "") -> widgets.Textarea:
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


def _html(fragment: str) -> widgets.HTML:
    """An HTML widget holding a fragment made by a template or :class:`Markup` (as ``str``)."""
    return widgets.HTML(str(fragment))


def _title_widgets(title: str | None, intro: str | None = None) -> list[widgets.Widget]:
    head: list[widgets.Widget] = []
    if title:
        head.append(_html(Markup('<h3 class="pl-exercise-title">{}</h3>').format(title)))
    if intro:
        head.append(_html(Markup('<p class="pl-intro">{}</p>').format(intro)))
    return head


class BoundText:
    """One text box bound to one field of an exercise.

    It shows the stored text, saves every change (calling ``on_change(saved)`` after
    each), and shows what the store holds again after a reset or undo. A stored value
    that is not text is not shown: :attr:`problem` says why (for the status line), and
    the first change is saved as a revision of its own so that value stays in the
    history.

    Parameters
    ----------
    exercise
        The exercise the field belongs to.
    area
        The text box (see :func:`textarea`).
    field
        The field it is stored as (``notebook/exercise/<field>``).
    label
        What the field is called in messages.
    on_change
        Called with ``True`` when a change was saved, ``False`` when saving failed.
    """

    exercise: Exercise
    area: widgets.Textarea
    field: str
    label: str
    #: Why the stored value is not shown, or None.
    problem: str | None

    def __init__(
        self,
        exercise: Exercise,
        area: widgets.Textarea,
        field: str,
        label: str,
        on_change: Callable[[bool], None],
    ) -> None:
        self.exercise = exercise
        self.area = area
        self.field = field
        self.label = label
        self._on_change = on_change
        self.problem = self._load()
        area.observe(self._changed, names="value")
        exercise.on_reset(self.reload)

    @property
    def filled(self) -> bool:
        """True when the box holds some non-blank text."""
        return _filled(self.area.value)

    def set(self, text: str) -> None:
        """Show ``text`` without saving it (it is already in the store)."""
        self.area.unobserve(self._changed, names="value")
        try:
            self.area.value = text
        finally:
            self.area.observe(self._changed, names="value")

    def reload(self) -> None:
        """Show what the store holds now, without saving it (after a reset, undo or fill)."""
        self.area.unobserve(self._changed, names="value")
        try:
            self.problem = self._load()
        finally:
            self.area.observe(self._changed, names="value")

    def _load(self) -> str | None:
        """Show the stored text; return a warning if the stored value is not text."""
        stored = self.exercise.get(self.field)
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
            saved = self.exercise.save(self.field, change["new"], coalesce=False)
            self.problem = None if saved else self.problem
        else:
            saved = self.exercise.save(self.field, change["new"])
        self._on_change(saved)


# --------------------------------------------------------------------------- one prompt


class TextPrompt(Exercise):
    """One question and a text box for the answer, saved as the learner types.

    Parameters
    ----------
    binding
        Where the answer is stored: ``notebook/exercise/<field>``.
    prompt
        The question; shown as the box's visible label and used as its accessible name.
    field
        The field the answer is stored as.
    placeholder
        Faint hint text inside the empty box.
    rows
        Height of the box in lines.

    Complete when the answer holds any non-blank text. Classes ``pl-exercise`` and
    ``pl-text``.
    """

    kind = "text"

    prompt: str
    textarea: widgets.Textarea
    #: "12 words" under the box (not a live region, so typing is not read out).
    word_count: widgets.HTML
    answer: BoundText

    def __init__(
        self,
        binding: Binding,
        prompt: str,
        *,
        field: str = "text",
        placeholder: str = "",
        rows: int = 6,
    ) -> None:
        if not isinstance(prompt, str) or not prompt.strip():
            raise ValueError(f"text_prompt: prompt must be non-empty text, got {prompt!r}")
        _check_field_key("text_prompt", field)
        if isinstance(rows, bool) or not isinstance(rows, int) or rows < 1:
            raise ValueError(
                f"text_prompt: rows must be a whole number of at least 1, got {rows!r}"
            )
        super().__init__(binding, title=prompt, layout=widgets.Layout(width="100%"))
        self.prompt = prompt
        label = _html(Markup('<div class="pl-prompt"><strong>{}</strong></div>').format(prompt))
        self.textarea = textarea(prompt, rows=rows, placeholder=placeholder)
        self.word_count = widgets.HTML()
        self.word_count.add_class("pl-word-count")
        self.answer = BoundText(self, self.textarea, field, prompt, self._changed)
        self.show_word_count()
        self.on_reset(self.show_word_count)
        if self.answer.problem:
            self.announce(self.answer.problem, "warning")
        self.children = [label, self.textarea, self.word_count, self.status, self.reset_bar()]

    def show_word_count(self) -> None:
        """Show how many words the answer has."""
        count = _count(word_count(self.textarea.value), "word")
        self.word_count.value = str(
            Markup('<span class="pl-word-count" style="color:{}">{}</span>').format(MUTED, count)
        )

    def _changed(self, saved: bool) -> None:
        self.show_word_count()
        if saved:
            self.mark("complete" if self.answer.filled else "started")
            announce_saved(self)


def text_prompt(
    binding: Binding,
    prompt: str,
    *,
    field: str = "text",
    placeholder: str = "",
    rows: int = 6,
) -> TextPrompt:
    """One question and a text box for the answer: a :class:`TextPrompt`."""
    return TextPrompt(binding, prompt, field=field, placeholder=placeholder, rows=rows)


# --------------------------------------------------------------------------- forms


@dataclass(frozen=True, slots=True)
class FormField:
    """One field of a :class:`TextForm`.

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
        owner = f"form field {self.key!r}"
        _check_field_key(owner, self.key)
        if not isinstance(self.label, str) or not self.label.strip():
            raise ValueError(f"{owner}: label must be non-empty text, got {self.label!r}")
        if not isinstance(self.guidance, str):
            raise ValueError(f"{owner}: guidance must be text, got {self.guidance!r}")
        if isinstance(self.rows, bool) or not isinstance(self.rows, int) or self.rows < 1:
            raise ValueError(
                f"{owner}: rows must be a whole number of at least 1, got {self.rows!r}"
            )
        if not isinstance(self.optional, bool):
            raise ValueError(f"{owner}: optional must be True or False, got {self.optional!r}")
        if isinstance(self.questions, str):
            raise ValueError(f"{owner}: questions must be a list of text, got {self.questions!r}")
        questions = tuple(self.questions)
        for q in questions:
            if not isinstance(q, str) or not q.strip():
                raise ValueError(f"{owner}: each question must be non-empty text, got {q!r}")
        object.__setattr__(self, "questions", questions)


def _check_fields(fields: Sequence[FormField]) -> tuple[FormField, ...]:
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
    return fields


class TextForm(Exercise):
    """A form of several text fields, each saved as the learner types.

    Parameters
    ----------
    binding
        Each field is stored as ``notebook/exercise/<field key>``.
    fields
        The fields, in order (:class:`FormField`); keys must be unique.
    title
        Heading above the form (and the exercise's title; the binding's title when
        omitted, with no heading shown).
    show_guidance
        Show each field's guidance and questions in muted text under its label.
    intro
        A short paragraph under the title.
    item_name, item_plural
        What a field is called in the completeness line ("3 of 10 steps complete");
        the plural is made from ``item_name`` when omitted (box -> boxes).
    kind
        Recorded with the answers so exports know what they are (default
        ``"text_form"``).

    Complete when every required field is filled; when every field is optional, when
    all are filled. Classes ``pl-exercise`` and ``pl-text-form``.
    """

    kind = "text_form"

    fields: tuple[FormField, ...]
    #: Field key to its text box.
    textareas: dict[str, widgets.Textarea]
    #: Field key to its binding to the store.
    answers: dict[str, BoundText]
    #: Field key to the box holding its label, guidance and text box.
    field_rows: dict[str, widgets.VBox]
    #: The title and introduction (possibly empty).
    heading: tuple[widgets.Widget, ...]
    #: "N of M steps complete".
    completeness: widgets.HTML
    #: The reset and undo buttons.
    reset_controls: widgets.VBox
    item_name: str
    item_plural: str

    def __init__(
        self,
        binding: Binding,
        fields: Sequence[FormField],
        *,
        title: str | None = None,
        show_guidance: bool = True,
        intro: str | None = None,
        item_name: str = "step",
        item_plural: str | None = None,
        kind: str | None = None,
    ) -> None:
        fields = _check_fields(fields)
        super().__init__(binding, kind=kind, title=title, layout=widgets.Layout(width="100%"))
        self.add_class("pl-text-form")
        self.fields = fields
        self.item_name = item_name
        self.item_plural = item_plural or plural(item_name)
        self._last_fill: list[tuple[str, int | None, str]] = []
        self.completeness = widgets.HTML()
        self.completeness.add_class("pl-completeness")
        self.textareas, self.answers, self.field_rows = {}, {}, {}
        for f in fields:
            self._add_field(f, show_guidance)
        problems = [b.problem for b in self.answers.values() if b.problem]
        self.refresh()
        self.on_reset(self.refresh)
        if problems:
            self.announce(" ".join(problems), "warning")
        self.heading = tuple(_title_widgets(title, intro))
        self.reset_controls = self.reset_bar()
        self.children = self.compose()

    def _add_field(self, f: FormField, show_guidance: bool) -> None:
        area = textarea(f.label, rows=f.rows)
        self.textareas[f.key] = area
        self.answers[f.key] = BoundText(self, area, f.key, f.label, self._changed)
        parts: list[widgets.Widget] = [
            _html(Markup('<div class="pl-field-label"><strong>{}</strong></div>').format(f.label))
        ]
        if show_guidance and (f.guidance.strip() or f.questions):
            parts.append(
                _html(
                    render(
                        "guidance.html.j2",
                        guidance=f.guidance.strip(),
                        questions=f.questions,
                        colour=MUTED,
                    )
                )
            )
        parts.append(area)
        row = widgets.VBox(parts, layout=widgets.Layout(margin="0 0 0.8em 0"))
        row.add_class("pl-form-field")
        self.field_rows[f.key] = row

    def compose(self) -> list[widgets.Widget]:
        """The form's children, in order: heading, completeness, fields, status, reset.

        A subclass that lays the form out differently overrides this.
        """
        return [
            *self.heading,
            self.completeness,
            *self.field_rows.values(),
            self.status,
            self.reset_controls,
        ]

    def is_complete(self) -> bool:
        """True when every required field is filled (every field, if all are optional)."""
        return all(self.answers[f.key].filled for f in self._required())

    def _required(self) -> list[FormField]:
        return [f for f in self.fields if not f.optional] or list(self.fields)

    def refresh(self) -> None:
        """Show how many fields are filled and which required ones are still empty."""
        done = sum(self.answers[f.key].filled for f in self.fields)
        line = f"{done} of {_count(len(self.fields), self.item_name, self.item_plural)} complete"
        missing = [f.label for f in self._required() if not self.answers[f.key].filled]
        if any(not f.optional for f in self.fields) and missing:
            line += f" (still needed: {', '.join(missing)})"
        self.completeness.value = str(
            Markup('<div class="pl-completeness"><strong>{}</strong></div>').format(line)
        )

    def _changed(self, saved: bool) -> None:
        self.refresh()
        if saved:
            self.mark("complete" if self.is_complete() else "started")
            announce_saved(self)

    # -- start from an example --------------------------------------------------------
    def fill(self, values: Mapping[str, str], *, overwrite: bool = False) -> tuple[str, ...]:
        """Load text into the form and save it (for a "start from an example" button).

        Each filled field gets a revision of its own (not folded into the learner's
        typing), so what was there before stays in the history and :meth:`undo_fill`
        can put it back. Only empty fields are filled unless ``overwrite``. Returns the
        keys of the fields filled; ValueError for an unknown key or a value not text.
        """
        _check_values(values, [f.key for f in self.fields])
        filled, self._last_fill = _save_values(self, values, overwrite=overwrite)
        for key in filled:
            self.answers[key].reload()
        self.refresh()
        if filled:
            self.mark("complete" if self.is_complete() else "started")
            self.announce(
                f"Filled in {_count(len(filled), 'field')}. Your earlier text is kept in "
                "your history.",
                "saved",
            )
        if self.progress is not None:
            self.progress.refresh()
        return filled

    def undo_fill(self) -> tuple[str, ...]:
        """Put back what the last :meth:`fill` replaced; return the keys put back.

        Fields the learner has changed since the fill are left alone.
        """
        undone = []
        for key, before, text in self._last_fill:
            if self.get(key) != text:
                continue  # changed since the fill: the learner's newer text wins
            if before is None:
                self.store.reset(self.field_key(key))
            else:
                self.store.restore(self.field_key(key), before)
            self.answers[key].reload()
            undone.append(key)
        self._last_fill = []
        self.refresh()
        if undone:
            self.mark("complete" if self.is_complete() else "started")
            self.announce("Put back what you had before.", "saved")
        return tuple(undone)


def text_form(
    binding: Binding,
    fields: Sequence[FormField],
    *,
    title: str | None = None,
    show_guidance: bool = True,
    intro: str | None = None,
    item_name: str = "step",
    item_plural: str | None = None,
    kind: str = "text_form",
) -> TextForm:
    """A form of several text fields, each saved as the learner types: a :class:`TextForm`."""
    return TextForm(
        binding,
        fields,
        title=title,
        show_guidance=show_guidance,
        intro=intro,
        item_name=item_name,
        item_plural=item_plural,
        kind=kind,
    )


def question_form(
    binding: Binding,
    questions: Sequence[Any],
    *,
    title: str,
    rows: int = 3,
) -> TextForm:
    """A text form with one box per question (objects with ``key`` and ``text``)."""
    fields = [FormField(q.key, q.text, rows=rows) for q in questions]
    return TextForm(binding, fields, title=title, item_name="question")


def _check_values(values: Any, known: Sequence[str] | None) -> None:
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


def _save_values(
    exercise: Exercise, values: Mapping[str, str], *, overwrite: bool
) -> tuple[tuple[str, ...], list[tuple[str, int | None, str]]]:
    """Save each value as a revision of its own; return the keys saved and an undo record."""
    filled: list[str] = []
    record: list[tuple[str, int | None, str]] = []
    for key, text in values.items():
        current = exercise.get(key)
        if (isinstance(current, str) and _filled(current) and not overwrite) or current == text:
            continue
        history = exercise.store.history(exercise.field_key(key))
        before = history[-1].revision if history else None
        if not exercise.save(key, text, coalesce=False):
            break
        record.append((key, before, text))
        filled.append(key)
    return tuple(filled), record


def fill_form(
    form: Exercise,
    values: Mapping[str, str],
    *,
    overwrite: bool = False,
) -> tuple[str, ...]:
    """Load text into a form (for a "start from an example" button), saving it.

    Parameters
    ----------
    form
        A :class:`TextForm` (see :meth:`TextForm.fill`), or any other :class:`Exercise`:
        then the values are saved to the store only, and a form built later shows them.
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
        return form.fill(values, overwrite=overwrite)
    if not isinstance(form, Exercise):
        raise ValueError(
            f"fill_form: pass a form from text_form/scenario_form or an Exercise, got {form!r}"
        )
    _check_values(values, None)
    filled, _ = _save_values(form, values, overwrite=overwrite)
    if filled:
        form.mark("started")
    if form.progress is not None:
        form.progress.refresh()
    return filled


def undo_fill(form: TextForm) -> tuple[str, ...]:
    """Put back what the last :func:`fill_form` on ``form`` replaced (:meth:`TextForm.undo_fill`)."""
    return form.undo_fill()


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


class ScenarioForm(TextForm):
    """The pre-workshop task: the 10 steps to building your partnership scenario.

    Each step (from :func:`partnership_lib.models.frameworks.scenario_steps`) shows its
    number, title, guidance and questions, and a text box stored under the step's key.
    Every step is optional, as the workbook says; the scenario is complete when all 10
    are filled. :meth:`TextForm.fill` loads an example scenario into it. Classes
    ``pl-exercise``, ``pl-text-form`` and ``pl-scenario``.
    """

    kind = "scenario"

    def __init__(self, binding: Binding) -> None:
        super().__init__(
            binding,
            scenario_fields(),
            title=SCENARIO_TITLE,
            intro=frameworks.note("scenario_steps"),
            item_name="step",
        )


def scenario_form(binding: Binding) -> ScenarioForm:
    """The learner's 10-step scenario form: a :class:`ScenarioForm`."""
    return ScenarioForm(binding)


# Names learning_log.py imported before they were public; remove once it uses the above.
_MUTED = MUTED
_BoundText = BoundText
_saved = announce_saved
_textarea = textarea


def _sync_status(exercise: Exercise, complete: bool) -> None:
    exercise.mark("complete" if complete else "started")
