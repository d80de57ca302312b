"""The room report: the whole room in one self-contained, printable HTML document."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from partnership_lib.core.files import safe_output_path, write_atomically
from partnership_lib.core.html import escape
from partnership_lib.documents.portfolio import DOCUMENT_CSS
from partnership_lib.facilitator import views
from partnership_lib.facilitator.room import Room
from partnership_lib.facilitator.views import ROOM_VIEWS, plural, room_text, section_html


def room_summary_html(room: Room) -> str:
    """The room in numbers: learners (by name), skipped files with their reasons, and
    older files that a learner's newer file replaced. Every file name and reason escaped."""
    words = room_text("summary")
    esc = escape
    when = room.scanned_at.astimezone().strftime("%H:%M:%S")
    parts = [
        '<section class="pl-room-summary" aria-labelledby="room-summary-h">',
        f'<h2 id="room-summary-h">{esc(words["heading"])}</h2>',
        "<p>"
        + esc(
            words["counts"].format(
                learners=plural(len(room), "learner"),
                folder=room.folder.name or str(room.folder),
                time=when,
            )
        )
        + "</p>",
    ]
    if room.learners:
        names = "".join(
            f"<li>{esc(s.display_name or words['no_name'])} "
            f'<span class="pl-room-when">({esc(s.exported_at.astimezone().strftime("%H:%M"))})</span></li>'
            for s in room.learners
        )
        parts.append(
            f"<details><summary>{esc(words['learners'])}</summary><ul>{names}</ul></details>"
        )
    if room.skipped:
        items = "".join(
            f"<li><code>{esc(s.name)}</code>: {esc(s.reason.removeprefix(f'{s.name}: '))}</li>"
            for s in room.skipped
        )
        parts.append(
            '<div class="pl-room-skipped" role="status"><p><strong>'
            + esc(words["skipped"].format(files=plural(len(room.skipped), "file")))
            + f"</strong></p><ul>{items}</ul></div>"
        )
    else:
        parts.append(f"<p>{esc(words['none_skipped'])}</p>")
    if room.superseded:
        items = "".join(f"<li><code>{esc(n)}</code></li>" for n in room.superseded)
        parts.append(
            "<p>"
            + esc(words["superseded"].format(files=plural(len(room.superseded), "older file")))
            + f"</p><ul>{items}</ul>"
        )
    parts.append("</section>")
    return "".join(parts)


_REPORT_CSS = """
.pl-room-view { break-before: page; }
.pl-room-intro { font-style: italic; }
.pl-room-note, .pl-room-skipped { border-left: 6px solid #B84A00; padding: .3em 1em;
  background: #FCEBDD; }
details > summary { cursor: pointer; font-weight: bold; }
@media print { details > summary { list-style: none; } }
"""


def room_report_html(room: Room, *, title: str | None = None, style_name: str | None = None) -> str:
    """The whole room as one self-contained, printable HTML document.

    The summary, then every view on its own page (chart with its description, and the
    table), all open for printing. Nothing is loaded from anywhere: a Content Security
    Policy allows only inline styles and embedded pictures. Every learner's text is
    escaped.
    """
    words = room_text("report")
    esc = escape
    heading = title if title is not None else words["title"]
    made = datetime.now().astimezone().strftime("%d %B %Y, %H:%M")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; style-src 'unsafe-inline'\">",
        f"<title>{esc(heading)}</title>",
        f"<style>{DOCUMENT_CSS}{_REPORT_CSS}</style></head><body>",
        f"<header><h1>{esc(heading)}</h1><p>{esc(words['made'].format(when=made))}</p></header>",
        "<main>",
        room_summary_html(room),
    ]
    for view in ROOM_VIEWS:
        out = views.render_view(room, view.key, style_name=style_name)
        parts.append(section_html(out, view.intro, open_details=True))
    parts.append("</main></body></html>")
    return "\n".join(parts)


def export_room_report(
    room: Room,
    path: str | Path | None = None,
    *,
    folder: str | Path | None = None,
    title: str | None = None,
    style_name: str | None = None,
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
    document = room_report_html(room, title=title, style_name=style_name)
    return write_atomically(target, document)
