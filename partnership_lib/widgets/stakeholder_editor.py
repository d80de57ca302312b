"""The stakeholder editor of Activity 3: an editable table beside a live power-interest grid.

:func:`stakeholder_editor` builds the whole exercise: a table of stakeholders (name,
organisation, role, power, interest, attitude, and the quadrant each falls in with what
that means for engagement), a form to add, edit and delete them, CSV import and export,
the workbook's four worked examples, and the grid, which follows every change.

How it is stored
    The table is a list of dicts (``name``, ``organisation``, ``role``, ``power``,
    ``interest``, ``attitude``) under ``notebook/exercise/<field>``. What is typed into
    the form but not yet added or saved is kept under ``_<field>_draft``, so a killed
    kernel loses nothing (the draft is cleared once nothing is pending). Score changes
    are saved at once, a run of moves of one stakeholder as one revision; adding,
    saving, deleting, importing, loading an example and undoing each make a revision
    of their own, so the answer history can always go back a step. The exercise is
    recorded with kind ``"stakeholders"`` for the portfolio.
Typing fast and switching
    Each chosen stakeholder gets fresh form boxes, so a keystroke or score that reaches
    the kernel after the learner switched (or pressed "Add") is kept for the stakeholder
    it was typed for, never the one shown now; see :class:`StakeholderEditor`.
When it is complete
    With at least :data:`COMPLETE_AT` (3) stakeholders placed; with fewer it counts as
    started.
A second placement
    ``stakeholder_editor(..., field="after_six_months", previous_field="stakeholders")``
    shows the first placement as hollow markers with arrows to where each stakeholder
    is now (a checkbox turns the arrows off), and starts from a copy of the first
    placement when nothing has been saved under ``field`` yet.
Speed
    The grid is the one live-chart view, :class:`~partnership_lib.widgets.live.LiveChart`,
    on one long-lived figure. Its model declares the stakeholder layer
    (:data:`~partnership_lib.models.stakeholders.GRID_LAYER`), so when a score moves one
    stakeholder the engine (:class:`~partnership_lib.charts.live.LiveFigure`) draws again
    only the rectangles of the picture that changed, over a cached picture of the
    quadrants, and names drawn again at the same place reuse their rasterised glyphs;
    see ``benchmarks/bench_grid.py``.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import itertools
import math
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets

from partnership_lib.charts.live import LiveFigure
from partnership_lib.core.html import escape
from partnership_lib.core.store import STATUS_FIELD
from partnership_lib.documents.stakeholder_csv import (
    MAX_BYTES,
    MAX_NAME_LENGTH,
    MAX_ROWS,
    CsvImportError,
    stakeholders_from_csv,
    stakeholders_to_csv,
)
from partnership_lib.models.stakeholders import (
    DEFAULT_SCHEME,
    QuadrantScheme,
    Stakeholder,
    as_stakeholders,
    plot_power_interest_grid,
    quadrant_schemes,
    worked_examples,
)
from partnership_lib.widgets.base import Binding, Exercise
from partnership_lib.widgets.live import LiveChart, keep_beside_form

__all__ = [
    "COMPLETE_AT",
    "StakeholderEditor",
    "name_problem",
    "stakeholder_editor",
    "stakeholder_rows",
    "table_html",
]

#: Stakeholders needed for the exercise to count as complete.
COMPLETE_AT = 3
#: Score step: the worked examples' scores have one decimal place.
STEP = 0.1
#: Where the scores start for a new stakeholder.
DEFAULT_SCORE = 5.0
#: File name of the exported CSV.
DOWNLOAD_NAME = "stakeholders.csv"
#: The exercise kind recorded for the portfolio (see ``exercises.renderers``).
KIND = "stakeholders"
#: How many changes "Undo last change" can take back.
UNDO_LIMIT = 100

_NEW = -1
_ATTITUDE_OPTIONS = (
    ("Not given", ""),
    ("Supporter", "supporter"),
    ("Neutral", "neutral"),
    ("Opponent", "opponent"),
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WIDE = {"description_width": "initial"}


# --- rows and validation -------------------------------------------------------------


def stakeholder_rows(stakeholders: Sequence[Stakeholder]) -> list[dict[str, Any]]:
    """Stakeholders as the JSON rows the editor stores (one dict per stakeholder)."""
    return [
        {
            "name": p.name,
            "organisation": p.organisation,
            "role": p.role,
            "power": p.power,
            "interest": p.interest,
            "attitude": p.attitude,
        }
        for p in stakeholders
    ]


def _parse_rows(value: Any) -> tuple[list[Stakeholder], list[str]]:
    """Stored rows as stakeholders; rows that cannot be shown are skipped and described."""
    if value is None:
        return [], []
    if not isinstance(value, list):
        return [], [f"the saved table is not a list (it is {type(value).__name__})"]
    people: list[Stakeholder] = []
    problems: list[str] = []
    seen: set[str] = set()
    for pos, item in enumerate(value, start=1):
        try:
            (person,) = as_stakeholders([item])
        except ValueError as exc:
            problems.append(f"row {pos}: {str(exc).removeprefix('row 1: ')}")
            continue
        if person.key in seen:
            problems.append(f"row {pos}: the name {person.name!r} is used twice")
            continue
        seen.add(person.key)
        people.append(person)
    return people, problems


def name_problem(name: str, people: Sequence[Stakeholder], *, editing: int = _NEW) -> str | None:
    """Why ``name`` cannot be used for a stakeholder, or ``None`` when it can.

    Checks that the name is not empty, holds no control characters, is at most
    :data:`~partnership_lib.documents.stakeholder_csv.MAX_NAME_LENGTH` characters long, and does not match
    another stakeholder's name once capitals and extra spaces are ignored (the
    stakeholder at index ``editing`` may keep its own name).
    """
    if not name.strip():
        return "Give the stakeholder a name first: the name can't be empty."
    if _CONTROL.search(name):
        return "A name can't hold tabs, line breaks or other control characters."
    if len(name.strip()) > MAX_NAME_LENGTH:
        return (
            f"A name can be up to {MAX_NAME_LENGTH} characters long (this one has "
            f"{len(name.strip()):,}); put the rest in the role."
        )
    key = " ".join(name.split()).casefold()
    for index, other in enumerate(people):
        if index != editing and other.key == key:
            return (
                f"There is already a stakeholder called '{other.name}'. Names must differ "
                "(capital letters and extra spaces don't count), so add a word that tells "
                "them apart."
            )
    return None


def _score_problem(what: str, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{what} must be a number from 0 to 10; got {value!r}."
    if not (math.isfinite(value) and 0 <= value <= 10):
        return f"{what} must be from 0 to 10; got {value!r}."
    return None


def _on_step(value: float) -> bool:
    return abs(value / STEP - round(value / STEP)) < 1e-6


def _fmt(value: float) -> str:
    return f"{value:g}"


def _scheme(scheme: str | QuadrantScheme) -> QuadrantScheme:
    if isinstance(scheme, QuadrantScheme):
        return scheme
    schemes = quadrant_schemes()
    if scheme not in schemes:
        raise ValueError(f"unknown quadrant scheme {scheme!r}; choose one of: {', '.join(schemes)}")
    return schemes[scheme]


# --- the form ------------------------------------------------------------------------

_TEXT_FIELDS = ("name", "organisation", "role")
_SCORES = ("power", "interest")
_BLANK: dict[str, Any] = {
    "name": "",
    "organisation": "",
    "role": "",
    "power": DEFAULT_SCORE,
    "interest": DEFAULT_SCORE,
    "attitude": "",
}
#: Forms left behind by a switch that still route a late change (one arrives within a
#: second of the switch; ten switches later none is on its way), then closed.
_RETIRED_KEPT = 10


def _values_of(person: Stakeholder) -> dict[str, Any]:
    return {
        "name": person.name,
        "organisation": person.organisation,
        "role": person.role,
        "power": person.power,
        "interest": person.interest,
        "attitude": person.attitude or "",
    }


def _typed_values(saved: dict[str, Any], *, scores: bool) -> dict[str, Any]:
    """The form values a saved draft holds that can be shown (others are left out)."""
    typed = {k: saved[k] for k in _TEXT_FIELDS if isinstance(saved.get(k), str)}
    if saved.get("attitude") in ("supporter", "neutral", "opponent", None, ""):
        typed["attitude"] = saved.get("attitude") or ""
    if scores:
        for axis in _SCORES:
            value = saved.get(axis)
            if _score_problem(axis, value) is None:
                typed[axis] = float(value)
    return typed


class _Form:
    """One set of form boxes, made for one stakeholder (or a new one) when it is chosen.

    The boxes are never given another stakeholder's values: when another one is chosen
    the editor shows a fresh form, and a change that still reaches these boxes (the
    browser holds back a box's latest value while the kernel is busy, so it can arrive
    after the switch) belongs to :attr:`person`, the stakeholder they were made for.
    """

    def __init__(self, serial: int, person: Stakeholder | None, values: dict[str, Any]) -> None:
        #: Forms made later have higher serials.
        self.serial = serial
        #: The stakeholder these boxes edit (kept current as it changes); for the form
        #: of a new stakeholder ``None`` until "Add" makes it one.
        self.person = person
        #: The fields whose box the learner has changed.
        self.changed: set[str] = set()
        self.boxes: dict[str, widgets.ValueWidget] = {
            field: widgets.Text(
                value=values[field],
                description=field.capitalize(),
                continuous_update=True,
                style=_WIDE,
                layout=widgets.Layout(width="auto"),
            )
            for field in _TEXT_FIELDS
        }
        self.boxes["name"].placeholder = "e.g. Local police"
        # Number boxes, not sliders: ipywidgets' slider handle has no accessible name
        # (jupyter-widgets/ipywidgets#2650); a labelled number box is named and steps
        # by 0.1 with the arrow keys.
        for axis in _SCORES:
            self.boxes[axis] = widgets.BoundedFloatText(
                value=values[axis],
                min=0.0,
                max=10.0,
                step=STEP,
                description=f"{axis.capitalize()} (0 low, 10 high)",
                continuous_update=True,
                style=_WIDE,
                layout=widgets.Layout(width="auto"),
            )
        self.boxes["attitude"] = widgets.Dropdown(
            options=list(_ATTITUDE_OPTIONS),
            value=values["attitude"],
            description="Attitude",
            style=_WIDE,
        )
        self.view = widgets.VBox(list(self.boxes.values()))
        self.view.add_class("pl-stakeholder-fields")
        self._handlers: dict[str, Callable[[dict[str, Any]], None]] = {}

    def watch(self, on_change: Callable[[_Form, str, dict[str, Any]], None]) -> None:
        """Call ``on_change(self, field, change)`` on every change of a box's value."""
        for field, box in self.boxes.items():
            handler = functools.partial(on_change, self, field)
            self._handlers[field] = handler
            box.observe(handler, names="value")

    def values(self) -> dict[str, Any]:
        """The boxes' values as a row would hold them (text stripped, scores rounded)."""
        b = self.boxes
        return {
            "name": b["name"].value.strip(),
            "organisation": b["organisation"].value.strip(),
            "role": b["role"].value.strip(),
            "power": round(float(b["power"].value), 2),
            "interest": round(float(b["interest"].value), 2),
            "attitude": b["attitude"].value or None,
        }

    def close(self) -> None:
        """Stop routing changes and close the boxes, with their layouts and styles."""
        for field, box in self.boxes.items():
            handler = self._handlers.pop(field, None)
            if handler is not None:
                box.unobserve(handler, names="value")
            for part in (box.layout, box.style, box):
                part.close()
        self.view.close()


class _ShownBox:
    """The box for one field of the form shown now (``editor.name`` and so on)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.field = name

    def __get__(self, editor: StakeholderEditor | None, owner: type | None = None) -> Any:
        if editor is None:
            return self
        return editor._shown.boxes[self.field]


# --- the editor ----------------------------------------------------------------------


class StakeholderEditor:
    """The widgets and state behind :func:`stakeholder_editor` (see there).

    The sub-widgets are attributes, for tests and for notebooks that lay them out
    differently: ``chooser``, ``name``, ``organisation``, ``role``, ``power``,
    ``interest``, ``attitude``, ``add_button``, ``save_button``, ``delete_button``,
    ``undo_button``, ``confirm_yes``, ``confirm_other``, ``confirm_cancel``, ``upload``,
    ``export_button``, ``download``, ``example``, ``load_button``, ``copy_button``,
    ``movement``, ``chart`` (the grid's
    :class:`~partnership_lib.widgets.live.LiveChart`), ``picture`` (the chart and the
    movement box, beside the form where the names stay legible), ``table``, ``status``; ``grid`` is
    the chart's engine (:class:`~partnership_lib.charts.live.LiveFigure`).

    ``name``, ``organisation``, ``role``, ``power``, ``interest`` and ``attitude`` are
    the boxes shown now. Each choice of stakeholder (and each fresh "add a new
    stakeholder" form) gets boxes of its own, shown in place of the previous ones, so a
    change that reaches a box after the learner has switched (a slow kernel receives a
    text box's latest value late) is kept for the stakeholder that box was made for:
    its text is saved to that stakeholder, as switching saves, and its score moves it.
    """

    name = _ShownBox()
    organisation = _ShownBox()
    role = _ShownBox()
    power = _ShownBox()
    interest = _ShownBox()
    attitude = _ShownBox()

    def __init__(
        self,
        binding: Binding,
        *,
        field: str = "stakeholders",
        scheme: str | QuadrantScheme = DEFAULT_SCHEME,
        previous_field: str | None = None,
        previous_exercise: str | None = None,
        previous: Any = None,
        title: str | None = None,
    ) -> None:
        self.scheme = _scheme(scheme)
        second = previous_field is not None or previous is not None
        if title is None:
            title = "Place your stakeholders again" if second else "Your stakeholder analysis"
        self.title = title
        self.exercise = Exercise(binding, kind=KIND, title=title)
        self.field = field
        self.draft_field = f"_{field}_draft"
        self.exercise.field_key(self.draft_field)  # check the field names early
        if previous_field is not None:
            self._previous_key = (previous_exercise or binding.exercise, previous_field)
        else:
            self._previous_key = None
        self._previous_fixed = as_stakeholders(previous) if previous is not None else None
        self._previous_cache: tuple[Any, list[Stakeholder]] = (None, [])
        self._undo: list[tuple[list[Stakeholder], str]] = []
        # the form whose changes the latest revision holds: its next ones are merged in
        self._run: _Form | None = None
        self._shown: _Form | None = None
        self._serials = itertools.count()
        self._retired: list[_Form] = []  # forms left by a switch, newest last
        #: A new stakeholder typed but not added when the learner chose another: its
        #: boxes' values, and the form they were typed in (late keystrokes join them).
        self._unadded: dict[str, Any] | None = None
        self._unadded_form: _Form | None = None
        self._quiet_depth = 0
        self._download_shown = False
        self._pending: Callable[[], None] | None = None
        self._pending_other: Callable[[], None] | None = None

        saved = self.exercise.get(field)
        self.people, problems = _parse_rows(saved)
        self._build()
        if problems:
            self.exercise.announce(
                f"{len(problems)} saved row(s) could not be shown ({'; '.join(problems)}). "
                "They are kept in your answer history.",
                "warning",
            )
        if saved is None and self._previous_key is not None:
            first = self._read_previous()
            if first:
                self.people = list(first)
                self._save_rows(coalesce=False)  # not "complete" until the learner acts
                self.exercise.announce(
                    f"Started from your first placement ({len(first)} stakeholders). Move "
                    "each one to where it stands now.",
                    "info",
                )
        self._restore_draft()
        self._refresh()
        self.exercise.on_reset(self._after_reset)

    @property
    def grid(self) -> LiveFigure:
        """The engine behind the grid: its ``fig``, ``ax``, ``png`` and ``last_path``."""
        return self.chart.engine

    # -- building ------------------------------------------------------------------------
    def _build(self) -> None:
        second = self._previous_key is not None or self._previous_fixed is not None
        heading = widgets.HTML(f"<h3>{escape(self.title)}</h3>")
        intro = widgets.HTML(
            "<p>List the people and organisations your partnership affects or depends on. "
            "Give each one a score for power and for interest, from 0 (low) to 10 (high): "
            "the grid and the table follow every change, and your work is saved as you "
            "go.</p><p>Type a score, or use the up and down arrow keys in a score box to "
            "move a stakeholder by 0.1.</p>"
        )
        # follows projector mode by itself; a stakeholder layer declared by the model
        self.chart = LiveChart(plot_power_interest_grid)
        self.chart.add_class("pl-stakeholder-grid")
        self.movement = widgets.Checkbox(
            value=True,
            description="Show movement since the first placement",
            indent=False,
            style=_WIDE,
        )
        self.movement.layout.display = None if second else "none"
        self.table = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.table.add_class("pl-stakeholder-table")

        self.form_heading = widgets.HTML()
        self.chooser = widgets.Select(
            options=[("(add a new stakeholder)", _NEW)],
            value=_NEW,
            description="Stakeholder to edit",
            rows=6,
            style=_WIDE,
            layout=widgets.Layout(width="auto"),
        )
        # the boxes of the form shown now (see _Form); each choice shows fresh ones
        self._slot = widgets.VBox()
        self.add_button = widgets.Button(
            description="Add stakeholder", icon="plus", button_style="primary"
        )
        self.save_button = widgets.Button(description="Save changes", icon="check")
        self.delete_button = widgets.Button(description="Delete", icon="trash")
        self.undo_button = widgets.Button(
            description="Undo last change", icon="undo", disabled=True
        )

        self.confirm_text = widgets.HTML()
        self.confirm_yes = widgets.Button(button_style="warning")
        self.confirm_other = widgets.Button()
        self.confirm_cancel = widgets.Button(description="Cancel")
        self.confirm_box = widgets.VBox(
            [
                self.confirm_text,
                widgets.HBox([self.confirm_yes, self.confirm_other, self.confirm_cancel]),
            ]
        )
        self.confirm_box.add_class("pl-confirm")
        self.confirm_box.layout.display = "none"

        self.upload = widgets.FileUpload(
            accept=".csv",
            multiple=False,
            description="Import CSV",
            icon="upload",
            # without a tooltip, ipywidgets titles the button "null", which is read out
            tooltip="Import stakeholders from a CSV file",
        )
        self.export_button = widgets.Button(description="Export CSV", icon="download")
        self.download = widgets.HTML()
        examples = worked_examples()
        self.example = widgets.Dropdown(
            options=[(ex.title, key) for key, ex in examples.items()],
            description="Worked example",
            style=_WIDE,
            layout=widgets.Layout(width="auto"),
        )
        self.load_button = widgets.Button(description="Load", icon="folder-open")
        self.copy_button = widgets.Button(description="Copy the first placement", icon="copy")
        self.copy_button.layout.display = None if self._previous_key else "none"
        self.status = self.exercise.status

        self.chooser.observe(self._on_choose, names="value")
        self.add_button.on_click(lambda _: self.add())
        self.save_button.on_click(lambda _: self.save_changes())
        self.delete_button.on_click(lambda _: self._ask_delete())
        self.undo_button.on_click(lambda _: self.undo())
        self.confirm_yes.on_click(lambda _: self._answer(self._pending))
        self.confirm_other.on_click(lambda _: self._answer(self._pending_other))
        self.confirm_cancel.on_click(lambda _: self._answer(None))
        self.upload.observe(self._on_upload, names="value")
        self.export_button.on_click(lambda _: self.export())
        self.load_button.on_click(lambda _: self._ask_load())
        self.copy_button.on_click(lambda _: self._ask_copy())
        self.movement.observe(lambda _: self._refresh_chart(), names="value")

        form = widgets.VBox(
            [
                self.form_heading,
                self.chooser,
                # a box of its own, so showing new fields redraws nothing else (focus
                # stays on the chooser or the button that was pressed)
                self._slot,
                widgets.HBox(
                    [self.add_button, self.save_button, self.delete_button, self.undo_button],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
            ],
            layout=widgets.Layout(flex="1 1 22em", min_width="18em"),
        )
        form.add_class("pl-stakeholder-form")
        # beside the form where the names stay legible (11 px or more), else below it
        self.picture = picture = widgets.VBox([self.chart, self.movement])
        picture.add_class("pl-stakeholder-picture")
        keep_beside_form(picture, self.chart)
        files = widgets.VBox(
            [
                widgets.HTML("<h4>Import, export and worked examples</h4>"),
                widgets.HBox(
                    [self.upload, self.export_button, self.copy_button],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                self.download,
                widgets.HBox(
                    [self.example, self.load_button], layout=widgets.Layout(flex_flow="row wrap")
                ),
            ]
        )
        self.widget = widgets.VBox(
            [
                heading,
                intro,
                widgets.HBox([picture, form], layout=widgets.Layout(flex_flow="row wrap")),
                self.confirm_box,
                self.status,
                self.table,
                files,
                self.exercise.reset_bar(),
            ]
        )
        self.widget.add_class("pl-exercise")
        self.widget.add_class("pl-stakeholder-editor")

    # -- small helpers -------------------------------------------------------------------
    @contextmanager
    def _quiet(self) -> Iterator[None]:
        """Set widget values without their observers acting on them."""
        self._quiet_depth += 1
        try:
            yield
        finally:
            self._quiet_depth -= 1

    @property
    def editing(self) -> int:
        """Index of the stakeholder being edited, or -1 when the form adds a new one."""
        value = self.chooser.value
        return value if isinstance(value, int) and 0 <= value < len(self.people) else _NEW

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The table as stored."""
        return stakeholder_rows(self.people)

    def _form(self) -> dict[str, Any]:
        return self._shown.values()

    def _index_of(self, person: Stakeholder | None) -> int | None:
        """Where ``person`` (this very object) is in the table, or ``None``."""
        return next((i for i, p in enumerate(self.people) if p is person), None)

    def _announce(self, message: str, kind: str = "info") -> None:
        self.exercise.announce(message, kind)

    def _quadrant(self, person: Stakeholder):
        return self.scheme.quadrant_at(person.power, person.interest)

    # -- store ---------------------------------------------------------------------------
    def _save_rows(self, *, coalesce: bool) -> bool:
        return self.exercise.save(self.field, self.rows, coalesce=coalesce)

    def _mark(self) -> None:
        ex = self.exercise
        if len(self.people) >= COMPLETE_AT:
            ex.mark("complete")
        elif self.people or ex.get(STATUS_FIELD) == "complete":
            ex.mark("started")

    def _commit(self) -> bool:
        """Save the table as a revision of its own (not merged with score moves)."""
        self._run = None
        ok = self._save_rows(coalesce=False)
        if ok:
            self._mark()
        return ok

    def _new_pending(self) -> bool:
        """Whether the new-stakeholder boxes shown hold anything typed."""
        form = self._form()
        return any(form[k] for k in ("name", "organisation", "role", "attitude")) or (
            (form["power"], form["interest"]) != (DEFAULT_SCORE, DEFAULT_SCORE)
        )

    def _keep_unadded(self, form: _Form) -> None:
        """Keep what was typed for a new stakeholder when the learner chooses another."""
        self._unadded = {field: box.value for field, box in form.boxes.items()}
        self._unadded_form = form
        name = self._unadded["name"].strip() or "no name yet"
        self._announce(
            f"The new stakeholder you started ({name}) is kept, not added: choose "
            "“(add a new stakeholder)” to finish it."
        )

    def _save_draft(self) -> None:
        """Keep what is typed but not yet in the table; clear the draft when nothing is."""
        form = self._form()
        index = self.editing
        pending = self._new_pending() if index == _NEW else self._pending_edits(index)
        if pending or self._unadded is not None:
            draft = {"editing": index, **form} if pending else {"editing": index}
            if self._unadded is not None:
                draft["unadded"] = dict(self._unadded)
            self.exercise.save(self.draft_field, draft)
        elif self.exercise.get(self.draft_field) is not None:
            self.exercise.store.reset(self.exercise.field_key(self.draft_field))

    def _restore_draft(self) -> None:
        draft = self.exercise.get(self.draft_field)
        if not isinstance(draft, dict):
            self._load_form(_NEW)
            return
        editing = draft.get("editing")
        editing = editing if isinstance(editing, int) and 0 <= editing < len(self.people) else _NEW
        unadded = draft.get("unadded")
        self._unadded = _typed_values(unadded, scores=True) if isinstance(unadded, dict) else None
        self._unadded_form = None
        self._load_form(editing, _typed_values(draft, scores=editing == _NEW))

    # -- undo ----------------------------------------------------------------------------
    def _remember(self, what: str) -> None:
        self._undo.append((list(self.people), what))
        del self._undo[:-UNDO_LIMIT]
        self.undo_button.disabled = False

    def undo(self) -> bool:
        """Take back the last change to the table (saved as a new revision)."""
        self._close_question()
        if not self._undo:
            self._announce("There is nothing to undo.")
            return False
        people, what = self._undo.pop()
        self.people = people
        self._commit()
        self._load_form(self.editing)
        self._save_draft()
        self._refresh()
        self._announce(f"Undone: {what}.", "saved")
        return True

    # -- the form ------------------------------------------------------------------------
    def _load_form(self, index: int, typed: dict[str, Any] | None = None) -> None:
        """Show fresh boxes for stakeholder ``index`` (or a new one), holding ``typed``."""
        person = None if index == _NEW else self.people[index]
        if person is None and typed is None and self._unadded is not None:
            typed, self._unadded, self._unadded_form = self._unadded, None, None
            self._announce(
                f"Back to the new stakeholder you had started ({typed.get('name') or 'no name yet'}): "
                "add it when it is ready.",
            )
        values = dict(_BLANK) if person is None else _values_of(person)
        form = _Form(next(self._serials), person, {**values, **(typed or {})})
        form.watch(self._on_change)
        with self._quiet():
            self._refresh_chooser(index)
        self._show(form)
        self._refresh_buttons()

    def _show(self, form: _Form) -> None:
        """Show ``form`` in place of the form shown now, which is kept a while to route
        the changes still on their way to it, then closed."""
        if form is self._shown:
            return
        if self._shown is not None:
            self._retired.append(self._shown)
        if form in self._retired:
            self._retired.remove(form)
        while len(self._retired) > _RETIRED_KEPT:
            self._retired.pop(0).close()
        self._shown = form
        self._slot.children = (form.view,)

    def _replace_person(self, index: int, new: Stakeholder) -> None:
        """Put ``new`` at ``index``; every form made for the stakeholder there follows it."""
        old = self.people[index]
        self.people[index] = new
        for form in (self._shown, *self._retired):
            if form is not None and form.person is old:
                form.person = new

    def _refresh_chooser(self, index: int | None = None) -> None:
        index = self.editing if index is None else index
        with self._quiet():
            self.chooser.options = [("(add a new stakeholder)", _NEW)] + [
                (p.name, i) for i, p in enumerate(self.people)
            ]
            self.chooser.value = index if 0 <= index < len(self.people) else _NEW

    def _refresh_buttons(self) -> None:
        editing = self.editing != _NEW
        self.add_button.disabled = editing
        self.save_button.disabled = not editing
        self.delete_button.disabled = not editing
        self.undo_button.disabled = not self._undo
        if editing:
            who = escape(self.people[self.editing].name)
            self.form_heading.value = f"<h4>Edit \u2018{who}\u2019</h4>"
        else:
            self.form_heading.value = "<h4>Add a new stakeholder</h4>"

    def _pending_edits(self, index: int) -> bool:
        p = self.people[index]
        form = self._form()
        return (form["name"], form["organisation"], form["role"], form["attitude"]) != (
            p.name,
            p.organisation,
            p.role,
            p.attitude,
        )

    def _on_choose(self, change: dict[str, Any]) -> None:
        if self._quiet_depth:
            return
        old, new = change["old"], change["new"]
        # keep what was typed for the stakeholder left: save it, or stay if it cannot be
        if (
            isinstance(old, int)
            and 0 <= old < len(self.people)
            and self._pending_edits(old)
            and not self._apply_edits(old, switching=True)
        ):
            with self._quiet():
                self.chooser.value = old
            return
        if self._shown.person is None and self._new_pending():
            self._keep_unadded(self._shown)
        self._load_form(new if isinstance(new, int) else _NEW)
        self._save_draft()
        self._refresh_table()

    def _on_change(self, form: _Form, field: str, change: dict[str, Any]) -> None:
        if self._quiet_depth:
            return
        if form is not self._shown:
            self._late(form, field, change["new"])
            return
        form.changed.add(field)
        if field in _SCORES and self.editing != _NEW:
            self._move(form, self.editing, field, change["new"])
        else:
            self._save_draft()

    def _move(self, form: _Form, index: int, axis: str, new: Any) -> None:
        """Move stakeholder ``index`` on ``axis`` at once, for a score box of ``form``."""
        value = round(float(new), 2)
        person = self.people[index]
        old = getattr(person, axis)
        if value == old:
            return
        if not _on_step(old) and abs(value - old) <= STEP / 2 + 1e-9:
            return  # the browser snapping a finer stored score to its step
        problem = _score_problem(axis.capitalize(), value)
        if problem:
            self._announce(problem, "error")
            return
        first_move = self._run is not form
        if first_move:
            self._remember(f"moving {person.name}")
            self._run = form
        before = self._quadrant(person)
        moved = dataclasses.replace(person, **{axis: value})
        self._replace_person(index, moved)
        # the first move of a run starts a revision; the rest of the run is merged into it
        if self._save_rows(coalesce=not first_move):
            after = self._quadrant(moved)
            if after is not before:
                self._announce(f"{moved.name} is now in {after.label}: {after.guidance}", "saved")
        self._refresh(chooser=False)

    def _late(self, form: _Form, field: str, value: Any) -> None:
        """A change that reached ``form`` after it was replaced: it is its stakeholder's.

        A change to the boxes of a new stakeholder that was kept aside, not added, joins
        what is kept. Nothing is done when that stakeholder is gone, or when boxes made later for the same stakeholder have had this field changed
        (that typing came later).
        """
        if form.person is None and form is self._unadded_form and self._unadded is not None:
            self._unadded[field] = value  # typed for the new stakeholder kept aside
            self._save_draft()
            return
        index = self._index_of(form.person)
        later = (
            f
            for f in (self._shown, *self._retired)
            if f.serial > form.serial and f.person is form.person
        )
        if index is None or any(field in f.changed for f in later):
            return
        form.changed.add(field)
        if index == self.editing:  # chosen again since, in fresh boxes not yet changed
            self._shown.boxes[field].value = value
        elif field in _SCORES:
            self._move(form, index, field, value)
        else:
            self._late_edit(form, index, field)

    def _late_edit(self, form: _Form, index: int, field: str) -> None:
        """Save ``field`` of ``form``, no longer shown, to stakeholder ``index``, as
        switching would have; a name that cannot be used is shown again to be fixed."""
        value = form.values()[field]
        if field == "name":
            problem = name_problem(value, self.people, editing=index)
            if problem:
                self._show_unusable_name(index, form.boxes["name"].value, problem)
                return
        old = self.people[index]
        new = dataclasses.replace(old, **{field: value})
        if new == old:
            return
        first = self._run is not form
        if first:
            self._remember(f"changing {old.name}")
        self._replace_person(index, new)
        # merged into the revision that switching away (or adding) made, when it did
        if self._save_rows(coalesce=not first):
            self._mark()
        self._run = form
        self._refresh()
        self._announce(f"Saved the changes to {new.name}.", "saved")

    def _show_unusable_name(self, index: int, name: str, problem: str) -> None:
        """Choose stakeholder ``index`` again with ``name`` typed, as a refused switch
        stays on it (the stakeholder shown is left as switching leaves it)."""
        shown = self.editing
        if (
            shown != _NEW
            and self._pending_edits(shown)
            and not self._apply_edits(shown, switching=True)
        ):
            return  # the stakeholder shown cannot be left either; that was said
        self._load_form(index, {"name": name})
        self._save_draft()
        self._refresh_table()
        self._announce(f"Fix this before choosing another stakeholder. {problem}", "error")

    # -- actions -------------------------------------------------------------------------
    def add(self) -> bool:
        """Add the form as a new stakeholder; say why not if it cannot be added."""
        self._close_question()
        form = self._form()
        problem = name_problem(form["name"], self.people)
        problem = problem or _score_problem("Power", form["power"])
        problem = problem or _score_problem("Interest", form["interest"])
        if not problem and len(self.people) >= MAX_ROWS:
            problem = f"The table holds up to {MAX_ROWS} stakeholders."
        if problem:
            self._announce(f"{problem} Nothing was added; your typing is kept.", "error")
            return False
        person = Stakeholder(**form)
        self._remember(f"adding {person.name}")
        self.people.append(person)
        self._commit()
        added = self._shown
        added.person = person  # a late change to these boxes is now this stakeholder's
        self._load_form(_NEW)
        self._run = added
        self._save_draft()
        self._refresh()
        q = self._quadrant(person)
        self._announce(f"Added {person.name} to {q.label}: {q.guidance}", "saved")
        return True

    def save_changes(self) -> bool:
        """Save the form's name, organisation, role and attitude to the stakeholder edited."""
        self._close_question()
        index = self.editing
        if index == _NEW:
            self._announce("Choose a stakeholder to edit first, or add a new one.", "warning")
            return False
        return self._apply_edits(index)

    def _apply_edits(self, index: int, *, switching: bool = False) -> bool:
        form = self._form()
        problem = name_problem(form["name"], self.people, editing=index)
        if problem:
            lead = (
                "Your changes were not saved. "
                if not switching
                else ("Fix this before choosing another stakeholder. ")
            )
            self._announce(f"{lead}{problem}", "error")
            return False
        old = self.people[index]
        new = dataclasses.replace(
            old,
            name=form["name"],
            organisation=form["organisation"],
            role=form["role"],
            attitude=form["attitude"],
        )
        if new == old:
            # the scores save as they move and the form on switching: say it is safe
            self._announce(f"{old.name} is saved: everything shown is already kept.", "saved")
            return True
        self._remember(f"changing {old.name}")
        self._replace_person(index, new)
        self._commit()
        if switching:
            self._run = self._shown  # late changes to the boxes left join this revision
        self._refresh(chooser=not switching)
        self._announce(f"Saved the changes to {new.name}.", "saved")
        return True

    def _ask_delete(self) -> None:
        index = self.editing
        if index == _NEW:
            return
        name = self.people[index].name
        self._ask(
            f"Delete \u2018{name}\u2019 from your table? You can undo this.",
            "Yes, delete",
            lambda: self.delete(index),
        )

    def delete(self, index: int) -> bool:
        """Delete one stakeholder (no question asked; the Delete button asks first)."""
        if not 0 <= index < len(self.people):
            return False
        person = self.people[index]
        self._remember(f"deleting {person.name}")
        del self.people[index]
        self._commit()
        self._load_form(_NEW)
        self._save_draft()
        self._refresh()
        self._announce(f"Deleted {person.name}. Use 'Undo last change' to bring it back.", "saved")
        return True

    def replace(self, people: Sequence[Stakeholder], what: str) -> None:
        """Replace the whole table (undoable with "Undo last change")."""
        self._remember(what)
        self.people = list(people)
        self._commit()
        self._load_form(_NEW)
        self._save_draft()
        self._refresh()

    # -- questions -----------------------------------------------------------------------
    def _ask(
        self,
        question: str,
        yes: str,
        on_yes: Callable[[], None],
        other: str | None = None,
        on_other: Callable[[], None] | None = None,
    ) -> None:
        """Show a question (plain text, escaped here) with its buttons; say it aloud too."""
        self.confirm_text.value = f"<p><strong>{escape(question)}</strong></p>"
        self.exercise.announce(f"{question} Use the buttons just above this message.", "warning")
        self.confirm_yes.description = yes
        self.confirm_other.description = other or ""
        self.confirm_other.layout.display = None if other else "none"
        self._pending, self._pending_other = on_yes, on_other
        self.confirm_box.layout.display = "flex"

    def _close_question(self) -> None:
        self.confirm_box.layout.display = "none"
        self._pending = self._pending_other = None

    def _answer(self, action: Callable[[], None] | None) -> None:
        self._close_question()
        if action is None:
            self._announce("Nothing was changed.")
        else:
            action()

    # -- worked examples, the first placement --------------------------------------------
    def _ask_load(self) -> None:
        key = self.example.value
        example = worked_examples()[key]

        def load() -> None:
            self.replace(example.stakeholders, f"loading the worked example '{example.title}'")
            self._announce(
                f"Loaded the worked example '{example.title}' ({len(example.stakeholders)} "
                "stakeholders). Use 'Undo last change' to go back to your own table.",
                "saved",
            )

        if not self.people:
            load()
            return
        self._ask(
            f"Replace your {len(self.people)} stakeholder(s) with the worked example "
            f"\u2018{example.title}\u2019? You can undo this.",
            "Yes, replace my table",
            load,
        )

    def _read_previous(self) -> list[Stakeholder]:
        if self._previous_fixed is not None:
            return list(self._previous_fixed)
        if self._previous_key is None:
            return []
        exercise, field = self._previous_key
        raw = self.exercise.store.get((self.exercise.notebook, exercise, field))
        if raw != self._previous_cache[0]:
            self._previous_cache = (raw, _parse_rows(raw)[0])
        return list(self._previous_cache[1])

    def _shown_previous(self) -> list[Stakeholder] | None:
        if self._previous_key is None and self._previous_fixed is None:
            return None
        if not self.movement.value:
            return None
        return self._read_previous()

    def _ask_copy(self) -> None:
        first = self._read_previous()
        if not first:
            self._announce("The first placement is empty, so there is nothing to copy.")
            return

        def copy() -> None:
            self.replace(first, "copying the first placement")
            self._announce(
                f"Copied the first placement ({len(first)} stakeholders). Move each one "
                "to where it stands now.",
                "saved",
            )

        if not self.people:
            copy()
            return
        self._ask(
            f"Replace your {len(self.people)} stakeholder(s) with a copy of the first "
            "placement? You can undo this.",
            "Yes, copy it",
            copy,
        )

    # -- CSV -----------------------------------------------------------------------------
    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if self._quiet_depth or not files:
            return
        item = files[0]
        with self._quiet():
            self.upload.value = ()  # the same file can be chosen again after a fix
        self.import_csv(
            item.get("content", b""), filename=item.get("name") or "the file", size=item.get("size")
        )

    def import_csv(self, data: Any, *, filename: str = "the file", size: int | None = None) -> bool:
        """Import a CSV file; on any problem say what and where, and change nothing.

        On success the table is replaced at once if it was empty; otherwise the learner
        is asked whether to replace it or add the file's stakeholders to it.
        """
        self._close_question()
        try:
            if size is not None and size > MAX_BYTES:
                raise CsvImportError(
                    f"The file is {size / 1_000_000:.1f} MB; the largest file that can be "
                    f"imported is {MAX_BYTES // 1_000_000} MB."
                )
            if isinstance(data, memoryview):
                data = data.tobytes()
            people = stakeholders_from_csv(data)
        except CsvImportError as exc:
            self._announce(f"Could not import {filename}. {exc} Nothing was changed.", "error")
            return False
        if not people:
            self._announce(
                f"{filename} has a header but no stakeholder rows. Nothing was changed.",
                "error",
            )
            return False

        def replace() -> None:
            self.replace(people, f"importing {filename}")
            self._announce(f"Imported {len(people)} stakeholder(s) from {filename}.", "saved")

        def append() -> None:
            taken = {p.key: p.name for p in self.people}
            clashes = [p.name for p in people if p.key in taken]
            if clashes:
                self._announce(
                    f"Could not add the stakeholders from {filename}: your table already "
                    f"has {', '.join(repr(c) for c in clashes[:5])}"
                    f"{' and others' if len(clashes) > 5 else ''}. Nothing was changed.",
                    "error",
                )
                return
            if len(self.people) + len(people) > MAX_ROWS:
                self._announce(
                    f"Adding {len(people)} stakeholders would take the table over "
                    f"{MAX_ROWS}. Nothing was changed.",
                    "error",
                )
                return
            self.replace([*self.people, *people], f"adding the stakeholders from {filename}")
            self._announce(f"Added {len(people)} stakeholder(s) from {filename}.", "saved")

        if not self.people:
            replace()
            return True
        self._ask(
            f"{filename} holds {len(people)} stakeholder(s). Replace your "
            f"{len(self.people)} with them, or add them to your table? You can undo this.",
            "Replace my table",
            replace,
            "Add to my table",
            append,
        )
        return True

    def export(self) -> str:
        """Show a link that downloads the table as ``stakeholders.csv``; return the CSV."""
        text = stakeholders_to_csv(self.people, bom=True)
        self._download_shown = True
        self._refresh_download(text)
        self._announce(
            f"Your table ({len(self.people)} stakeholders) is ready to download below.", "saved"
        )
        return text

    def _refresh_download(self, text: str | None = None) -> None:
        if not self._download_shown:
            return
        text = stakeholders_to_csv(self.people, bom=True) if text is None else text
        data = base64.b64encode(text.encode("utf-8")).decode("ascii")
        count = len(self.people)
        self.download.value = (
            f'<p><a download="{escape(DOWNLOAD_NAME)}" '
            f'href="data:text/csv;charset=utf-8;base64,{data}" '
            'style="color:#0B5CAD;text-decoration:underline;font-weight:bold">'
            f"Download {escape(DOWNLOAD_NAME)}</a> ({count} stakeholder"
            f"{'' if count == 1 else 's'}; opens in any spreadsheet)</p>"
        )

    # -- views ---------------------------------------------------------------------------
    def _refresh(self, *, chooser: bool = True) -> None:
        if chooser:
            self._refresh_chooser()
            self._refresh_buttons()
        else:
            self.undo_button.disabled = not self._undo
        self._refresh_chart()
        self._refresh_table()
        self._refresh_download()

    def _refresh_chart(self) -> None:
        self.chart.show(list(self.people), scheme=self.scheme, previous=self._shown_previous())

    def _refresh_table(self) -> None:
        self.table.value = table_html(self.people, scheme=self.scheme, selected=self.editing)

    def _after_reset(self) -> None:
        self._close_question()
        self.people, _ = _parse_rows(self.exercise.get(self.field))
        self._undo.clear()
        self._run = None
        self._unadded = self._unadded_form = None
        self._restore_draft()
        self._refresh()


def table_html(
    people: Sequence[Stakeholder],
    *,
    scheme: str | QuadrantScheme = DEFAULT_SCHEME,
    selected: int = _NEW,
) -> str:
    """The stakeholder table as accessible HTML, every learner text escaped.

    Each row gives the quadrant the stakeholder falls in and what that means for
    engagement, e.g. "INVOLVE — Work with them closely and share decisions."
    """
    qs = _scheme(scheme)
    if not people:
        return (
            '<p class="pl-empty">No stakeholders yet. Add one with the form, import a CSV '
            "file or load a worked example.</p>"
        )
    cell = 'style="padding:0.25em 0.5em;border-bottom:1px solid #ccc;text-align:left"'
    num = 'style="padding:0.25em 0.5em;border-bottom:1px solid #ccc;text-align:right"'
    head = "".join(
        f'<th scope="col" {num if h in ("Power", "Interest") else cell}>{h}</th>'
        for h in (
            "Name",
            "Organisation",
            "Role",
            "Power",
            "Interest",
            "Attitude",
            "Quadrant and what it means",
        )
    )
    rows = []
    for index, p in enumerate(people):
        q = qs.quadrant_at(p.power, p.interest)
        mark = ' aria-current="true" style="background:#FFF4CC"' if index == selected else ""
        rows.append(
            f"<tr{mark}>"
            f'<th scope="row" {cell}>{escape(p.name)}</th>'
            f"<td {cell}>{escape(p.organisation)}</td>"
            f"<td {cell}>{escape(p.role)}</td>"
            f"<td {num}>{_fmt(p.power)}</td>"
            f"<td {num}>{_fmt(p.interest)}</td>"
            f"<td {cell}>{escape((p.attitude or 'not given').capitalize())}</td>"
            f"<td {cell}><strong>{escape(q.label)}</strong> \u2014 {escape(q.guidance)}</td>"
            "</tr>"
        )
    count = f"{len(people)} stakeholder{'s' if len(people) != 1 else ''}"
    return (
        '<div role="region" aria-label="Stakeholder table" tabindex="0" '
        'style="max-height:26em;overflow:auto">'
        '<table style="border-collapse:collapse;width:100%">'
        f'<caption style="text-align:left;font-weight:bold">Your stakeholders ({count}), '
        "the quadrant each one is in, and what it means for engagement</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def stakeholder_editor(
    binding: Binding,
    *,
    field: str = "stakeholders",
    scheme: str | QuadrantScheme = DEFAULT_SCHEME,
    previous_field: str | None = None,
    previous_exercise: str | None = None,
    previous: Any = None,
    title: str | None = None,
) -> widgets.VBox:
    """Build the stakeholder editor of Activity 3: a table, a form and a live grid.

    Parameters
    ----------
    notebook, exercise
        Where the answers are stored, e.g. ``"02_climate_for_change"``, ``"activity3"``.
    store
        The learner's answer store; the default store when omitted.
    progress
        A :class:`~partnership_lib.widgets.base.NotebookProgress` to refresh.
    field
        The field holding the table (a list of dicts with ``name``, ``organisation``,
        ``role``, ``power``, ``interest``, ``attitude``).
    scheme
        Quadrant scheme for the grid and the table: ``"workbook"`` or ``"mendelow"``.
    previous_field
        For a second placement: the field (of ``previous_exercise``, by default this
        exercise) holding the first. Its stakeholders are drawn as hollow markers with
        arrows to where they are now, and the table starts as a copy of it when
        nothing has been saved under ``field``.
    previous_exercise
        The exercise that ``previous_field`` belongs to, when it is another one.
    previous
        A fixed earlier placement to draw arrows from (instead of ``previous_field``).
    title
        Heading above the editor.

    Returns
    -------
    ipywidgets.VBox
        With classes ``pl-exercise`` and ``pl-stakeholder-editor``; its ``editor``
        attribute is the :class:`StakeholderEditor` (sub-widgets, ``people``, ``grid``).

    Notes
    -----
    Complete when at least 3 stakeholders are placed. Power and interest scores act at
    once on the stakeholder being edited (the grid, table and store follow every move);
    name, organisation, role and attitude are kept with "Save changes" (or on choosing
    another stakeholder). Names must be non-empty, single-line and different once
    capitals and extra spaces are ignored. Deleting, loading a worked example,
    importing over a table and copying the first placement ask first, and "Undo last
    change" takes any change back.
    """
    editor = StakeholderEditor(
        binding,
        field=field,
        scheme=scheme,
        previous_field=previous_field,
        previous_exercise=previous_exercise,
        previous=previous,
        title=title,
    )
    editor.widget.editor = editor
    return editor.widget
