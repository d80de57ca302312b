"""The room report: the whole room in one self-contained, printable HTML document.

The report is built from the document model (:mod:`partnership_lib.documents.blocks`),
as the learner's portfolio is, and rendered by the same HTML renderer
(:func:`partnership_lib.documents.render.render_html`): a title, the summary of the room,
then every view on a page of its own, with the chart's description and the table
unfolded for printing. The report shows what the projected board shows: nothing about
the answers below the anonymity threshold, and only approved free text
(:func:`~partnership_lib.facilitator.views.shown_table`).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from partnership_lib.core.files import safe_output_path, write_atomically
from partnership_lib.documents.blocks import Bullets, Details, Document, Para, Section, Term
from partnership_lib.documents.render import html_fragment, render_html
from partnership_lib.facilitator import views
from partnership_lib.facilitator.moderation import Moderation
from partnership_lib.facilitator.privacy import Threshold
from partnership_lib.facilitator.room import Room
from partnership_lib.facilitator.views import (
    ROOM_VIEWS,
    as_threshold,
    plural,
    room_text,
    view_section,
)

__all__ = [
    "export_room_report",
    "room_report",
    "room_report_html",
    "room_summary",
    "room_summary_html",
]


def room_summary(room: Room, *, threshold: Threshold | int | None = None) -> Section:
    """The room in numbers: learners (by name), the anonymity threshold (and how many
    more learners it needs), skipped files with their reasons, and older files that a
    learner's newer file replaced."""
    words = room_text("summary")
    privacy = room_text("privacy")
    t = as_threshold(threshold)
    when = room.scanned_at.astimezone().strftime("%H:%M:%S")
    counts = words["counts"].format(
        learners=plural(len(room), "learner"),
        folder=room.folder.name or str(room.folder),
        time=when,
    )
    blocks: list = [Para(counts), Para(privacy["threshold"].format(k=t.k))]
    if not t.met(len(room)):
        more = privacy["room_withheld"].format(more=t.needed(len(room)), k=t.k)
        blocks.append(Para(more, "status"))
    if room.learners:
        names = Bullets(
            tuple(
                f"{s.display_name or words['no_name']} "
                f"({s.exported_at.astimezone().strftime('%H:%M')})"
                for s in room.learners
            )
        )
        blocks.append(Details(words["learners"], (names,)))
    if room.skipped:
        blocks.append(
            Details(
                words["skipped"].format(files=plural(len(room.skipped), "file")),
                (
                    Bullets(
                        tuple(
                            Term(s.name, s.reason.removeprefix(f"{s.name}: "), code=True)
                            for s in room.skipped
                        )
                    ),
                ),
                open=True,
                css_class="pl-room-skipped",
            )
        )
    else:
        blocks.append(Para(words["none_skipped"]))
    if room.superseded:
        blocks.append(
            Para(words["superseded"].format(files=plural(len(room.superseded), "older file")))
        )
        blocks.append(Bullets(tuple(Term(n, code=True) for n in room.superseded)))
    return Section(words["heading"], tuple(blocks), id="room-summary", css_class="pl-room-summary")


def room_summary_html(room: Room, *, threshold: Threshold | int | None = None) -> str:
    """:func:`room_summary` as an HTML ``<section>``; every file name and reason escaped."""
    return str(html_fragment([room_summary(room, threshold=threshold)]))


def room_report(
    room: Room,
    *,
    title: str | None = None,
    style_name: str | None = None,
    threshold: Threshold | int | None = None,
    moderation: Moderation | None = None,
) -> Document:
    """The whole room as a :class:`~partnership_lib.documents.blocks.Document`.

    The summary, then every view (chart with its description, and the table), all
    unfolded for printing. ``threshold`` (default ``privacy.DEFAULT_K`` learners) and
    ``moderation`` (default: the decisions kept in the room's folder) apply as on the
    board: see :func:`~partnership_lib.facilitator.views.shown_table`.
    """
    words = room_text("report")
    heading = title if title is not None else words["title"]
    made = datetime.now().astimezone().strftime("%d %B %Y, %H:%M")
    sections = [room_summary(room, threshold=threshold)]
    moderation = moderation or Moderation(room.folder)
    for view in ROOM_VIEWS:
        out = views.render_view(
            room, view.key, style_name=style_name, threshold=threshold, moderation=moderation
        )
        sections.append(view_section(out, view.intro, open_details=True))
    return Document(
        title=heading,
        heading=heading,
        front=(Para(words["made"].format(when=made)),),
        front_class="",
        sections=tuple(sections),
        stylesheets=("document.css", "room_report.css"),
    )


def room_report_html(
    room: Room,
    *,
    title: str | None = None,
    style_name: str | None = None,
    threshold: Threshold | int | None = None,
    moderation: Moderation | None = None,
) -> str:
    """The whole room as one self-contained, printable HTML document.

    Nothing is loaded from anywhere: a Content Security Policy allows only inline
    styles and embedded pictures. Every learner's text is escaped. ``threshold`` and
    ``moderation`` as for :func:`room_report`.
    """
    report = room_report(
        room, title=title, style_name=style_name, threshold=threshold, moderation=moderation
    )
    return render_html(report).text


def export_room_report(
    room: Room,
    path: str | Path | None = None,
    *,
    folder: str | Path | None = None,
    title: str | None = None,
    style_name: str | None = None,
    threshold: Threshold | int | None = None,
    moderation: Moderation | None = None,
) -> Path:
    """Write :func:`room_report_html` to a file, atomically, and return its path.

    Parameters
    ----------
    path
        The file; a folder (the file is named for you); a bare file name when
        ``folder`` is given (it cannot escape that folder); or None for
        ``room-report-YYYYmmdd-HHMM.html`` in ``folder`` or else the room's folder.
    """
    name = f"room-report-{datetime.now().strftime('%Y%m%d-%H%M')}.html"
    if path is None:
        target = safe_output_path(folder if folder is not None else room.folder, name)
    elif folder is not None:
        target = safe_output_path(folder, str(path))
    else:
        target = Path(path).expanduser()
        if target.is_dir():
            target = safe_output_path(target, name)
    document = room_report_html(
        room, title=title, style_name=style_name, threshold=threshold, moderation=moderation
    )
    return write_atomically(target, document)
