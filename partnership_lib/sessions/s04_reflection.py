"""Notebook 04, Session Feedback and Reflection: its content, charts and builders.

The last session of the day gathers the learner's reflections: the evaluation wall,
the learning log, a personal assessment of the key partnership skills rated at the
start and the end of the day, a view of progress across the workbook, and the exports
(a portfolio to keep, a share file for the facilitator).

The learner's record of the day lives where it is used
(:mod:`partnership_lib.models.day_records`): the start-of-day assessment opens Session 1
(:func:`assessment_scale` with ``"start"``), each session's learning log page closes
that session's notebook (:func:`session_log`), and notebook 04 holds the day's page and
the end-of-day assessment, and gathers the rest (:func:`learning_logs_view`,
:func:`change_view`). Answers an earlier version kept in notebook 04 move to their new
home the first time it is opened, and are read from 04 until then.

The assessment items are our own, each tied to one of McNamara's skills (McNamara 2005)
as grouped in ``data/skills.yaml`` or to one of the key skill areas (DETR 2000); they
live in ``data/reflection.yaml``. Builders return widgets and never call ``display``:
the exports are :class:`~partnership_lib.widgets.base.Exercise` subclasses
(:class:`ExportPanel`, :class:`SharePanel`) bound to the learner's settings, and the
change and progress views (:class:`ChangeView`, :class:`ProgressView`) show
:class:`~partnership_lib.widgets.live.LiveChart` charts. HTML is written by Jinja2
templates (:mod:`partnership_lib.sessions.fragments`, :func:`core.html.table`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from partnership_lib.core import content
from partnership_lib.core.html import HTMLBlock, Markup, render, table
from partnership_lib.core.store import AnswerKey, AnswerStore, StoreError, default_store
from partnership_lib.documents.portfolio import export_portfolio
from partnership_lib.documents.room_drop import (
    RoomSendError,
    SentReceipt,
    configured_room,
    send_to_room,
)
from partnership_lib.documents.share import (
    ANONYMISE_NAMES_KEY,
    LEARNER_NAME_KEY,
    SESSION_CODE_ENV,
    SESSION_CODE_KEY,
    SETTINGS,
    anonymisation_preview,
    export_share_file,
    normalise_session_code,
)
from partnership_lib.models.day_records import (
    END_OF_DAY,
    SESSION_LOGS,
    START_OF_DAY,
    Home,
    adopt_earlier_answers,
    record_fields,
)
from partnership_lib.models.learning import learning_cycle
from partnership_lib.models.personal_assessment import (
    assessment_groups,
    assessment_items,
    rating_items_and_groups,
    source_label,
)
from partnership_lib.models.programme import session_catalogue
from partnership_lib.models.progress import plot_progress, progress_counts, workbook_progress
from partnership_lib.models.ratings import plot_rating_change
from partnership_lib.sessions.fragments import download_link, grouped_table
from partnership_lib.widgets.base import Binding, Exercise, exercise_binding, live_region
from partnership_lib.widgets.learning_log import CYCLE as LOG_CYCLE
from partnership_lib.widgets.learning_log import learning_log
from partnership_lib.widgets.live import LiveChart
from partnership_lib.widgets.rating import rating_scale
from partnership_lib.widgets.text import FormField, text_form

__all__ = [
    "NOTEBOOK",
    "ChangeView",
    "ExportPanel",
    "LearningLogsView",
    "ProgressView",
    "SharePanel",
    "assessment_labels",
    "assessment_scale",
    "assessment_table_html",
    "change_view",
    "development_fields",
    "development_plan",
    "export_panel",
    "learning_logs_html",
    "learning_logs_view",
    "log_pages",
    "progress_table_html",
    "progress_view",
    "record_ratings",
    "session_log",
    "share_panel",
    "stored_ratings",
]

NOTEBOOK = "04_feedback_and_reflection"
_CONTENT = "reflection"


# --------------------------------------------------------------------------- content


def assessment_table_html() -> HTMLBlock:
    """A table of the assessment's groups, items and the skill each comes from."""
    items = assessment_items()
    groups, lines = [], []
    for key, label, _kind in assessment_groups():
        members = [i for i in items if i.group == key]
        groups.append((label, [(i.text, source_label(i)) for i in members]))
        lines += [f"{label}: {i.text} ({source_label(i)})." for i in members]
    html = grouped_table(
        ("Group", "I am confident at…", "Comes from"),
        groups,
        caption="The skills in your personal assessment",
    )
    return HTMLBlock(str(html), "\n".join(lines))


def development_fields() -> tuple[Any, ...]:
    """The fields of the development plan (two skills, each with its actions)."""

    return tuple(
        content.build(_CONTENT, f"development_plan/{raw['key']}", FormField, **raw)
        for raw in content.load(_CONTENT)["development_plan"]
    )


# --------------------------------------------------------------------------- builders


def assessment_scale(
    binding: Binding,
    when: str,
) -> widgets.Widget:
    """Rate confidence in each assessment skill, 1 to 5; ``when`` is ``"start"`` or ``"end"``.

    The start-of-day scale belongs at the start of Session 1
    (:data:`~partnership_lib.models.day_records.START_OF_DAY`); ratings an earlier version
    kept in notebook 04 move there the first time it is built
    (:func:`~partnership_lib.models.day_records.adopt_earlier_answers`).
    """
    if when not in ("start", "end"):
        raise ValueError(f"when must be 'start' or 'end', got {when!r}")
    pairs, groups = rating_items_and_groups()
    moment = "the start" if when == "start" else "the end"
    title = f"My confidence at {moment} of the day"
    problem = _adopt(binding, title)
    scale = rating_scale(
        binding,
        pairs,
        low_label="1 = not at all confident",
        high_label="5 = very confident",
        groups=groups,
        title=title,
        chart_title=f"Confidence at {moment} of the day",
    )
    _warn(scale, problem)
    return scale


def _adopt(binding: Binding, title: str) -> str:
    """Move this exercise's answers from where an earlier version kept them; say if not."""
    try:
        adopt_earlier_answers(binding.store, Home(binding.notebook, binding.exercise), title=title)
    except (StoreError, OSError, ValueError) as exc:
        return (
            f"Answers you gave here in an earlier version, in notebook 04, could not be "
            f"moved here ({exc}); they are kept there, and notebook 04 still shows them."
        )
    return ""


def _warn(widget: widgets.Widget, problem: str) -> None:
    # an exercise kind's widget is an Exercise, or (older kinds) holds one
    exercise = widget if isinstance(widget, Exercise) else getattr(widget, "exercise", None)
    if problem and isinstance(exercise, Exercise):
        exercise.announce(problem, "warning")


def _session_title(notebook: str) -> str:
    for entry in session_catalogue():
        if entry["key"] == notebook:
            return entry["title"]
    raise ValueError(f"unknown session {notebook!r}")


def session_log(binding: Binding, *, session_title: str | None = None) -> widgets.Widget:
    """A session's learning log page, for the end of that session's notebook.

    The page is stored in its own notebook (see
    :data:`~partnership_lib.models.day_records.SESSION_LOGS`) and gathered in notebook 04
    by :func:`learning_logs_view`. A page an earlier version kept in notebook 04 moves
    here the first time this is built. ``session_title`` defaults to the session's title.
    """
    title = session_title or _session_title(binding.notebook)
    problem = _adopt(binding, f"{learning_cycle(LOG_CYCLE).name}: {title}")
    log = learning_log(binding, session_title=title)
    _warn(log, problem)
    return log


def log_pages(store: AnswerStore) -> list[tuple[str, Home, dict[str, str]]]:
    """Each session's learning log page: its session's title, its home and its answers.

    Answers are read from each page's home, or from notebook 04 where an earlier
    version kept them and they have not moved yet
    (:func:`~partnership_lib.models.day_records.record_fields`).
    """
    stages = [s.key for s in learning_cycle(LOG_CYCLE).stages]
    pages = []
    for home in SESSION_LOGS:
        fields = record_fields(store, home)
        answers = {
            k: fields[k] for k in stages if isinstance(fields.get(k), str) and fields[k].strip()
        }
        pages.append((_session_title(home.notebook), home, answers))
    return pages


def learning_logs_html(store: AnswerStore) -> str:
    """Every session's learning log page, read from its notebook, as HTML."""
    cycle = learning_cycle(LOG_CYCLE)
    return str(
        render(
            "sessions/learning_logs.html.j2",
            pages=log_pages(store),
            stages=cycle.stages,
            cycle=cycle.name,
        )
    )


class LearningLogsView(widgets.VBox):
    """Each session's learning log page, gathered from the session notebooks (read-only).

    Attributes
    ----------
    button : ipywidgets.Button
        "Read my log pages again".
    pages : ipywidgets.HTML
    """

    store: AnswerStore
    button: widgets.Button
    pages: widgets.HTML

    def __init__(self, *, store: AnswerStore | None = None) -> None:
        self.store = store if store is not None else default_store()
        self.button = widgets.Button(
            description="Read my log pages again",
            icon="refresh",
            tooltip="Show the pages as they are saved now",
            layout=widgets.Layout(width="auto"),
        )
        self.pages = widgets.HTML()
        self.button.on_click(self.refresh)
        self.refresh()
        super().__init__([self.button, self.pages], layout=widgets.Layout(width="100%"))
        self.add_class("pl-exercise")
        self.add_class("pl-learning-logs")

    def refresh(self, _button: Any = None) -> None:
        """Read every session's page from the store and show it."""
        self.pages.value = learning_logs_html(self.store)


def learning_logs_view(*, store: AnswerStore | None = None) -> LearningLogsView:
    """The session log pages, gathered in notebook 04 (see :class:`LearningLogsView`)."""
    return LearningLogsView(store=store)


def development_plan(binding: Binding) -> widgets.Widget:
    """The two skills to develop next, each with the actions planned."""

    return text_form(
        binding, development_fields(), title="Two skills to develop next", item_name="answer"
    )


def stored_ratings(
    store: AnswerStore, exercise: str, *, notebook: str = NOTEBOOK
) -> dict[str, int]:
    """The valid ratings (1 to 5) stored for one rating exercise."""
    return _valid_ratings(store.get(AnswerKey(notebook, exercise, "ratings")))


def _valid_ratings(raw: Any) -> dict[str, int]:
    if not isinstance(raw, dict):
        return {}
    return {
        k: v
        for k, v in raw.items()
        if isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 5
    }


def record_ratings(store: AnswerStore, home: Home) -> dict[str, int]:
    """The valid ratings of one self-assessment of the day, read from where it is kept."""
    return _valid_ratings(record_fields(store, home).get("ratings"))


def assessment_labels(keys: Iterable[str] = ()) -> dict[str, str]:
    """Each assessment item's statement by key; other ``keys`` get a readable name."""
    labels = {i.key: i.text for i in assessment_items()}
    labels.update({k: k.replace("_", " ").capitalize() for k in set(keys) - set(labels)})
    return labels


class ChangeView(widgets.VBox):
    """A "Show my change" button that draws the start and end ratings from the store.

    The start of the day is rated in notebook 01 and the end in notebook 04
    (:data:`~partnership_lib.models.day_records.START_OF_DAY`, ``END_OF_DAY``); ratings
    an earlier version kept in notebook 04 are read from there until they move.

    The chart (:func:`partnership_lib.models.ratings.plot_rating_change`) is a
    :class:`LiveChart`: pressed again after more rating, only what moved is repainted.

    Attributes
    ----------
    button : ipywidgets.Button
    note : ipywidgets.HTML
        What was drawn, or what to do first (a live region).
    chart : LiveChart
    """

    store: AnswerStore
    start: Home
    end: Home
    button: widgets.Button
    note: widgets.HTML
    chart: LiveChart

    def __init__(
        self,
        *,
        store: AnswerStore | None = None,
        start: Home = START_OF_DAY,
        end: Home = END_OF_DAY,
    ) -> None:
        self.store = store if store is not None else default_store()
        self.start, self.end = start, end
        self.button = widgets.Button(
            description="Show my change",
            icon="line-chart",
            tooltip="Draw your start and end of day ratings side by side",
        )
        self.note = widgets.HTML()
        self.chart = LiveChart(plot_rating_change)
        self.button.on_click(self.show)
        super().__init__([self.button, self.note, self.chart], layout=widgets.Layout(width="100%"))
        self.add_class("pl-exercise")
        self.add_class("pl-rating-change")

    def ratings(self) -> tuple[dict[str, int], dict[str, int]]:
        """The start and the end of day ratings, each read from where it is kept."""
        return record_ratings(self.store, self.start), record_ratings(self.store, self.end)

    def show(self, _button: Any = None) -> None:
        """Draw the two sets of ratings as they are stored now."""
        before, after = self.ratings()
        if not before and not after:
            self.note.value = live_region(
                "Rate yourself at the start and at the end of the day first; then your "
                "change is shown here.",
                "warning",
            )
            self.chart.hide("Your start and end of day ratings will be drawn here.")
            return
        self.note.value = live_region(
            f"Your change is drawn below: {len(before)} start ratings and {len(after)} end "
            "ratings.",
            "saved",
        )
        self.chart.show(before, after, labels=assessment_labels({*before, *after}))


def change_view(
    *, store: AnswerStore | None = None, start: Home = START_OF_DAY, end: Home = END_OF_DAY
) -> ChangeView:
    """A "Show my change" button and chart (see :class:`ChangeView`)."""
    return ChangeView(store=store, start=start, end=end)


# --------------------------------------------------------------------------- progress

_MARKS = {"complete": "\u2714 ", "started": "\u270e ", "not started": "\u25cb "}


def progress_table_html(progress: Mapping[str, tuple[str, Mapping[str, tuple[str, str]]]]) -> str:
    """An HTML table of every activity and its state (learner-free text, escaped)."""
    progress_counts(progress)  # validates
    groups = [
        (title, [(ex_title, _MARKS[state] + state) for ex_title, state in activities.values()])
        for title, activities in progress.values()
    ]
    return str(
        grouped_table(
            ("Session", "Activity", "State"),
            groups,
            caption="Activities in each session",
            css_class="pl-table pl-progress-table",
        )
    )


class ProgressView(widgets.VBox):
    """A chart and table of progress across the workbook, with a "Refresh" button.

    The chart is a :class:`LiveChart`: a refresh repaints only the bars that changed.

    Attributes
    ----------
    button : ipywidgets.Button
    chart : LiveChart
    table : ipywidgets.HTML
        Every activity and its state.
    """

    store: AnswerStore
    exclude: tuple[str, ...]
    button: widgets.Button
    chart: LiveChart
    table: widgets.HTML

    def __init__(
        self, *, store: AnswerStore | None = None, exclude: Sequence[str] = (NOTEBOOK,)
    ) -> None:
        self.store = store if store is not None else default_store()
        self.exclude = tuple(exclude)
        self.button = widgets.Button(
            description="Refresh my progress", icon="refresh", tooltip="Read your answers again"
        )
        self.chart = LiveChart(plot_progress)
        self.table = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.button.on_click(self.refresh)
        self.refresh()
        super().__init__([self.button, self.chart, self.table], layout=widgets.Layout(width="100%"))
        self.add_class("pl-exercise")
        self.add_class("pl-workbook-progress")

    def refresh(self, _button: Any = None) -> None:
        """Read every session's progress from the store and show it."""
        progress = workbook_progress(store=self.store, exclude=self.exclude)
        self.chart.show(progress)
        self.table.value = progress_table_html(progress)


def progress_view(
    *, store: AnswerStore | None = None, exclude: Sequence[str] = (NOTEBOOK,)
) -> ProgressView:
    """Progress across the workbook (see :class:`ProgressView`)."""
    return ProgressView(store=store, exclude=exclude)


# --------------------------------------------------------------------------- exports


#: What the learner last sent to the room ("Sent 12 answers ... at 14:05 UTC ..."), shown again.
LAST_SENT_KEY = AnswerKey(SETTINGS, "sharing", "last_sent")


def _settings_binding(store: AnswerStore | None, key: AnswerKey, title: str) -> Binding:
    return exercise_binding(key.notebook, key.exercise, store=store, title=title)


class ExportPanel(Exercise):
    """Buttons that write the portfolio (HTML or Markdown) to the data folder's ``exports/``.

    The name for the title page is kept with the learner's settings
    (:data:`~partnership_lib.documents.share.LEARNER_NAME_KEY`), which no portfolio or
    share file shows as an answer.

    Attributes
    ----------
    name : ipywidgets.Text
    html_button, md_button : ipywidgets.Button
    """

    kind = "export"
    name: widgets.Text
    html_button: widgets.Button
    md_button: widgets.Button

    def __init__(self, *, store: AnswerStore | None = None) -> None:
        super().__init__(_settings_binding(store, LEARNER_NAME_KEY, "Your portfolio"))
        self.name = widgets.Text(
            value=str(self.store.get(LEARNER_NAME_KEY, "") or ""),
            description="Your name on the title page (optional)",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="36em"),
            continuous_update=True,
        )
        self.html_button = widgets.Button(description="Export portfolio (HTML)", icon="file")
        self.md_button = widgets.Button(description="Export portfolio (Markdown)", icon="file-text")
        self.name.observe(self._named, names="value")
        self.html_button.on_click(lambda _b: self.export("html"))
        self.md_button.on_click(lambda _b: self.export("md"))
        self.children = [self.name, widgets.HBox([self.html_button, self.md_button]), self.status]

    def _named(self, change: dict[str, Any]) -> None:
        self.save(LEARNER_NAME_KEY.field, " ".join(change["new"].split())[:80])

    def export(self, fmt: str) -> Path | None:
        """Write the portfolio as ``"html"`` or ``"md"``; say where, with a download link."""
        try:
            path = export_portfolio(format=fmt, store=self.store)
        except (OSError, ValueError) as exc:
            self.announce(f"The portfolio could not be written: {exc}", "error")
            return None
        mime = "text/html" if fmt == "html" else "text/markdown"
        link = download_link(path, mime, f"Download {path.name}")
        self.announce(
            Markup("Portfolio written to {}. {}").format(str(path), link), "saved", escaped=True
        )
        return path


def export_panel(*, store: AnswerStore | None = None) -> ExportPanel:
    """The portfolio export buttons (see :class:`ExportPanel`)."""
    return ExportPanel(store=store)


def _preview_html(found: Sequence[Any]) -> str:
    if not found:
        return live_region(
            "Nothing to hide was found: no e-mail addresses, phone numbers, postcodes or "
            "listed names.",
            "info",
        )
    status = live_region(f"{len(found)} pieces of text will be replaced in the share file.", "info")
    rows = [(r.kind, r.original, r.placeholder, r.where) for r in found]
    return status + str(
        table(
            ("Kind", "Your text", "Replaced by", "Where"),
            rows,
            caption="What anonymising will replace",
            css_class="pl-table",
        )
    )


class SharePanel(Exercise):
    """Send the answers to the facilitator: anonymised by default, after a preview.

    Two ways, one panel. On JupyterHub, where the workshop has a room folder
    (:func:`partnership_lib.documents.room_drop.configured_room`), **Send to the room**
    writes the share file straight into it; the learner sees what was sent and when, and
    can send again (only the newest counts). Anywhere, **Save share file** writes it to
    the data folder to carry by hand. Both use the session code the facilitator gives
    the room, when there is one. The names to hide and the code are kept with the
    learner's settings (:data:`~partnership_lib.documents.share.ANONYMISE_NAMES_KEY`,
    :data:`~partnership_lib.documents.share.SESSION_CODE_KEY`).

    Attributes
    ----------
    display_name : ipywidgets.Text
        How the facilitator sees the learner.
    session_code : ipywidgets.Text
        The code of this workshop session (optional; prefilled on a hub).
    names : ipywidgets.Textarea
        Names to hide, one a line.
    anonymise : ipywidgets.Checkbox
    preview_button, send_button, write_button : ipywidgets.Button
        Sending and saving wait for a preview while anonymising; ``send_button`` is shown
        only where there is a room folder.
    preview : ipywidgets.HTML
        What anonymising will replace.
    sent : ipywidgets.HTML
        What was last sent to the room, and when.
    room : Path or None
        The room folder, on a hub.
    """

    kind = "share"
    display_name: widgets.Text
    session_code: widgets.Text
    names: widgets.Textarea
    anonymise: widgets.Checkbox
    preview_button: widgets.Button
    send_button: widgets.Button
    write_button: widgets.Button
    preview: widgets.HTML
    sent: widgets.HTML
    room: Path | None

    def __init__(self, *, store: AnswerStore | None = None, room: Path | None = None) -> None:
        super().__init__(
            _settings_binding(store, ANONYMISE_NAMES_KEY, "A share file for the facilitator")
        )
        self.room = room if room is not None else configured_room()
        auto = widgets.Layout(width="auto")
        self.display_name = widgets.Text(
            description="How the facilitator sees you (a first name or table number)",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="min(100%, 40em)"),
            continuous_update=True,
        )
        code = self.store.get(SESSION_CODE_KEY) or os.environ.get(SESSION_CODE_ENV, "")
        self.session_code = widgets.Text(
            value=str(code or ""),
            description="Session code (the facilitator shows it; leave empty if none)",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="min(100%, 40em)"),
            continuous_update=True,
        )
        saved = self.store.get(ANONYMISE_NAMES_KEY, [])
        self.names = widgets.Textarea(
            value="\n".join(saved) if isinstance(saved, list) else str(saved or ""),
            description="Names to hide (one a line)",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="min(100%, 40em)", height="5em"),
            continuous_update=True,
        )
        self.anonymise = widgets.Checkbox(
            value=True,
            description="Hide e-mails, phone numbers, NHS numbers, postcodes and these names",
            style={"description_width": "initial"},
            indent=False,
            layout=auto,
        )
        self.preview_button = widgets.Button(
            description="Preview what is hidden", icon="eye", layout=auto
        )
        self.send_button = widgets.Button(
            description="Send to the room",
            icon="paper-plane",
            button_style="primary",
            disabled=True,
            layout=widgets.Layout(width="auto", display="" if self.room else "none"),
            tooltip="Write your anonymised answers straight into the workshop room",
        )
        self.write_button = widgets.Button(
            description="Save share file", icon="share", disabled=True, layout=auto
        )
        self.preview = widgets.HTML()
        last = self.store.get(LAST_SENT_KEY)
        self.sent = widgets.HTML(
            live_region(last, "info") if isinstance(last, str) and self.room else ""
        )
        self.names.observe(self._names_changed, names="value")
        self.anonymise.observe(self._anonymise_changed, names="value")
        self.session_code.observe(self._code_changed, names="value")
        self.preview_button.on_click(self.show_preview)
        self.send_button.on_click(self.send)
        self.write_button.on_click(self.write)
        buttons = widgets.HBox([self.preview_button, self.send_button, self.write_button])
        buttons.layout.flex_flow = "row wrap"
        self.children = [
            self.display_name,
            self.session_code,
            self.names,
            self.anonymise,
            buttons,
            self.preview,
            self.sent,
            self.status,
        ]

    def names_to_hide(self) -> list[str]:
        """The names typed, one a line, blank lines left out."""
        return [n.strip() for n in self.names.value.splitlines() if n.strip()]

    def _allow(self, allowed: bool) -> None:
        self.write_button.disabled = not allowed
        self.send_button.disabled = not allowed or self.room is None

    def _names_changed(self, _change: dict[str, Any]) -> None:
        self.save(ANONYMISE_NAMES_KEY.field, self.names_to_hide())
        self._allow(not self.anonymise.value)
        if self.anonymise.value:
            self.preview.value = live_region(
                "The names changed: preview again before sending.", "info"
            )

    def _anonymise_changed(self, _change: dict[str, Any]) -> None:
        self._allow(not self.anonymise.value)
        self.preview.value = (
            live_region("Preview what is hidden before sending.", "info")
            if self.anonymise.value
            else live_region(
                "The share file will hold your answers exactly as you typed them.", "warning"
            )
        )

    def _code_changed(self, change: dict[str, Any]) -> None:
        self.store.save(SESSION_CODE_KEY, change["new"].strip(), coalesce_within=30.0)

    def _code(self) -> str | None:
        """The session code typed, normalised; announce and return None if it is wrong."""
        typed = self.session_code.value.strip()
        if not typed:
            return ""
        try:
            return normalise_session_code(typed)
        except ValueError as exc:
            self.announce(f"Nothing was sent: {exc}.", "error")
            return None

    def show_preview(self, _button: Any = None) -> None:
        """Show what anonymising will replace, then allow sending and saving."""
        found = anonymisation_preview(self.store, names=self.names_to_hide())
        self.preview.value = _preview_html(found)
        self._allow(True)

    def send(self, _button: Any = None) -> SentReceipt | None:
        """Send the anonymised share file to the room; say what was sent and when."""
        code = self._code()
        if code is None or self.room is None:
            return None
        try:
            receipt = send_to_room(
                self.room,
                store=self.store,
                display_name=self.display_name.value,
                session_code=code or None,
            )
        except (RoomSendError, OSError, ValueError) as exc:
            self.announce(f"Nothing was sent: {exc}", "error")
            return None
        text = receipt.describe()
        self.store.save(LAST_SENT_KEY, text)
        self.sent.value = live_region(text, "saved")
        self.announce(text, "saved")
        return receipt

    def write(self, _button: Any = None) -> Path | None:
        """Save the share file in the data folder; say where, with a download link."""
        code = self._code()
        if code is None:
            return None
        try:
            path = export_share_file(
                store=self.store,
                display_name=self.display_name.value,
                anonymise=self.anonymise.value,
                names=self.names_to_hide(),
                session_code=code or None,
            )
        except (OSError, ValueError) as exc:
            self.announce(f"The share file could not be written: {exc}", "error")
            return None
        link = download_link(path, "application/json", f"Download {path.name}")
        self.announce(
            Markup("Share file written to {}. {}").format(str(path), link), "saved", escaped=True
        )
        return path


def share_panel(*, store: AnswerStore | None = None, room: Path | None = None) -> SharePanel:
    """The panel that sends the answers to the facilitator (see :class:`SharePanel`)."""
    return SharePanel(store=store, room=room)
