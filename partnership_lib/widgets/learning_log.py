"""The personal learning log: experience, reflect, conclude and plan, after each session.

The workbook asks learners to complete a log page at the end of every workshop, following
a learning cycle. This widget shows that cycle as a small picture (half the width of a
full chart, names only: each stage's question stands above its own text box) with its
text description, highlighting the stage the learner is writing: the one they last typed
in, or else the first stage still empty. A notebook can show several log pages, so each
draws its cycle small rather than repeating the full-size chart. Each stage has its
question and a text box saved as they type. The picture is a
:class:`~partnership_lib.widgets.live.LiveChart`: moving the highlight redraws only the
two stages it leaves and reaches.

Stored under ``notebook/exercise/<stage key>`` (``experience``, ``reflect``, ``conclude``,
``plan``: the stage keys of the ``learning_log`` cycle in ``data/learning_cycles.yaml``).

Completion rule: complete when all four stages hold some text.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

import ipywidgets as widgets
from markupsafe import Markup

from partnership_lib.models.learning import LearningCycle, learning_cycle, plot_kolb_cycle
from partnership_lib.widgets.base import Binding, Exercise
from partnership_lib.widgets.live import LiveChart

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "LearningLog",
    "learning_log",
]

CYCLE = "learning_log"
_MUTED = "#4d4d4d"  # 7.5:1 on white
_KINDS = {list: "a list", dict: "a table of values", bool: "yes/no", int: "a number"}


def _kind(value: Any) -> str:
    """A few words naming what a stored value is, for status messages."""
    return "a number" if isinstance(value, float) else _KINDS.get(type(value), "something else")


def _textarea(label: str) -> widgets.Textarea:
    """A full-width text box whose accessible name is ``label``.

    The visible label is HTML above the box (it wraps; a widget description would be cut
    short). The description carries the same words for assistive technology, given no
    visible width.
    """
    area = widgets.Textarea(
        value="",
        description=label,
        rows=4,
        continuous_update=True,
        layout=widgets.Layout(width="100%", max_width="60em"),
        style={"description_width": "0px"},
    )
    area.add_class("pl-textarea")
    return area


class LearningLog(Exercise):
    """The widget :func:`learning_log` returns: a learning cycle and four text boxes.

    Attributes
    ----------
    cycle : LearningCycle
        The ``learning_log`` cycle of ``data/learning_cycles.yaml``.
    textareas : dict
        Stage key to its ``ipywidgets.Textarea``.
    diagram : LiveChart
        The learning cycle picture (compact) with its text description.
    completeness : ipywidgets.HTML
        "N of 4 stages written".
    current : str or None
        Key of the highlighted stage (None when every stage is written and none is
        being edited).
    """

    kind: ClassVar[str] = "learning_log"

    cycle: LearningCycle
    textareas: dict[str, widgets.Textarea]
    diagram: LiveChart
    completeness: widgets.HTML
    current: str | None

    def __init__(self, binding: Binding, *, session_title: str) -> None:
        if not isinstance(session_title, str) or not session_title.strip():
            raise ValueError(
                f"learning_log: session_title must be non-empty text, got {session_title!r}"
            )
        cycle = learning_cycle(CYCLE)
        super().__init__(
            binding, title=f"{cycle.name}: {session_title}", layout=widgets.Layout(width="100%")
        )
        self.add_class("pl-learning-log")  # the page's CSS name (the kind has an underscore)
        self.cycle, self.current = cycle, None
        self._shown: object = None  # the stage the picture shows (None: not drawn yet)
        self._problems: dict[str, str] = {}  # stage key -> why its stored value is not shown
        self._restoring = False
        self.diagram = LiveChart(plot_kolb_cycle)
        self.completeness = widgets.HTML()
        self.completeness.add_class("pl-completeness")
        self.textareas = {}
        sections: list[widgets.Widget] = []
        for i, stage in enumerate(cycle.stages, start=1):
            area = self.textareas[stage.key] = _textarea(stage.name)
            area.observe(partial(self._typed, stage.key), names="value")
            head = widgets.HTML(
                str(
                    Markup(
                        '<div class="pl-field-label"><strong>{}. {}</strong></div>'
                        '<div class="pl-guidance" style="color:{}">{}</div>'
                    ).format(i, stage.name, _MUTED, stage.prompt)
                )
            )
            section = widgets.VBox([head, area], layout=widgets.Layout(margin="0 0 0.8em 0"))
            section.add_class("pl-form-field")
            sections.append(section)
        title = widgets.HTML(
            str(
                Markup(
                    '<h3 class="pl-exercise-title">{}: {}</h3><p class="pl-intro">Write a few '
                    "lines for each stage of the cycle before you leave the session. The log "
                    "is for you: it stays with your other answers on this computer unless you "
                    "choose to share or export it.</p>"
                ).format(cycle.name, session_title)
            )
        )
        self.children = [title, self.diagram, self.completeness, *sections]
        self.children += (self.status, self.reset_bar())
        self.on_reset(self.restore)
        self.restore()
        if self._problems:
            self.announce(" ".join(self._problems.values()), "warning")

    @property
    def figure(self) -> Figure | None:
        """The one figure the cycle is drawn on (kept across changes; new after a restyle)."""
        return self.diagram.figure

    def filled(self, stage: str) -> bool:
        """Whether a stage holds some text."""
        return bool(self.textareas[stage].value.strip())

    # -- state -----------------------------------------------------------------------
    def restore(self) -> None:
        """Show what the store holds (on build, and after a reset or undo)."""
        self._restoring = True
        try:
            for stage in self.cycle.stages:
                stored = self.get(stage.key)
                text = stored if isinstance(stored, str) else ""
                self.textareas[stage.key].value = text
                if stored is None or isinstance(stored, str):
                    self._problems.pop(stage.key, None)
                else:
                    self._problems[stage.key] = (
                        f"Your saved answer for '{stage.name}' is {_kind(stored)}, not text, so it is "
                        "not shown here. It is kept in your history; anything you type "
                        "replaces it."
                    )
        finally:
            self._restoring = False
        self._show_completeness()
        self._highlight(self._first_empty())

    def _first_empty(self) -> str | None:
        return next((s.key for s in self.cycle.stages if not self.filled(s.key)), None)

    # -- what it shows -----------------------------------------------------------------
    def _show_completeness(self) -> None:
        done = sum(self.filled(s.key) for s in self.cycle.stages)
        self.completeness.value = (
            f'<div class="pl-completeness"><strong>{done} of {len(self.cycle.stages)} '
            "stages written</strong></div>"
        )

    def _highlight(self, current: str | None) -> None:
        self.current = current
        if self._shown == (current,):
            return  # the picture holds no learner text: typing in one stage keeps it
        self._shown = (current,)
        self.diagram.show(model=self.cycle, current=current, compact=True)

    # -- events ----------------------------------------------------------------------
    def _typed(self, stage: str, change: dict[str, Any]) -> None:
        if self._restoring:
            return
        if stage in self._problems:
            # a revision of its own, so the value we could not show stays in the history
            saved = self.save(stage, change["new"], coalesce=False)
            if saved:
                del self._problems[stage]
        else:
            saved = self.save(stage, change["new"])
        self._show_completeness()
        self._highlight(stage)
        if saved:
            done = all(self.filled(s.key) for s in self.cycle.stages)
            self.mark("complete" if done else "started")
            status = self.store.status
            if status.mode == "memory":
                self.announce(f"Kept for this session only. {status.message}", "warning")
            else:
                self.announce("Saved.", "saved")


def learning_log(binding: Binding, *, session_title: str) -> LearningLog:
    """A learning log page for one session: the learning cycle and four text boxes.

    Parameters
    ----------
    binding
        Where the log is stored (each stage is a field named by its key), from
        :meth:`~partnership_lib.sessions.session.Session.bind`.
    session_title
        The session the page is about, shown in the heading.

    Returns
    -------
    LearningLog
        An :class:`~partnership_lib.widgets.base.Exercise` with classes ``pl-exercise``
        and ``pl-learning-log``. Complete when all four stages are written.

    Raises
    ------
    ValueError
        For an empty ``session_title``.
    """
    return LearningLog(binding, session_title=session_title)
