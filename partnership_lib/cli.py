"""The ``partnership`` command: where answers live, undo from the terminal, a health check,
and the facilitator's room report (``partnership room report FOLDER --k 5``).

Run ``partnership --help`` (or ``python -m partnership_lib --help``). Exit codes: 0 all well,
1 a check failed or nothing was done, 2 usage error, 3 feature not available, 4 store error.
Errors are one line on stderr; set ``PARTNERSHIP_DEBUG=1`` to see the traceback instead.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from partnership_lib.core import store as _store
from partnership_lib.facilitator.privacy import DEFAULT_K, Threshold

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2
EXIT_UNAVAILABLE = 3
EXIT_STORE = 4

PROG = "partnership"

# ipywidgets major version -> the jupyterlab_widgets major version that renders it.
WIDGET_PAIRS = {8: 3, 7: 1}


class _Failure(Exception):
    """A one-line error for stderr, with its exit code."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


# --------------------------------------------------------------------------- helpers


def _error(message: str) -> None:
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr)


def _warn(message: str) -> None:
    print(f"{PROG}: warning: {' '.join(message.split())}", file=sys.stderr)


def _open_store(args: argparse.Namespace, *, writing: bool) -> _store.AnswerStore:
    answer_store = _store.AnswerStore.open(args.data_dir)
    status = answer_store.status
    if writing and status.mode == "memory":
        answer_store.close()
        raise _Failure(status.message, EXIT_STORE)
    if not status.ok:
        _warn(status.message)
    return answer_store


def _parse_key(text: str) -> _store.AnswerKey:
    try:
        return _store.AnswerKey.parse(text)
    except ValueError as exc:
        raise _Failure(str(exc), EXIT_USAGE) from None


def _summary(value: Any, width: int = 70) -> str:
    text = json.dumps(value, ensure_ascii=False)
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _when(revision: _store.Revision) -> str:
    return revision.saved_at.strftime("%Y-%m-%d %H:%M:%S UTC")


# --------------------------------------------------------------------------- commands


def _cmd_where(args: argparse.Namespace) -> int:
    folder = _store.resolve_folder(args.data_dir)
    print(f"Data folder:      {folder}")
    print(f"Answers database: {folder / _store.DB_FILENAME}")
    return EXIT_OK


def _cmd_reset(args: argparse.Namespace) -> int:
    target = args.notebook if args.exercise is None else f"{args.notebook}/{args.exercise}"
    for name, part in (("notebook", args.notebook), ("exercise", args.exercise)):
        if part is not None:
            try:
                _store.check_part(name, part)
            except ValueError as exc:
                raise _Failure(str(exc), EXIT_USAGE) from None
    with _open_store(args, writing=True) as answer_store:
        keys = answer_store.keys(args.notebook, args.exercise)
        if not keys:
            print(f"There are no saved answers in {target}; nothing to reset.")
            return EXIT_OK
        print(f"This resets {len(keys)} saved answer(s) in {target}:")
        for key in keys:
            print(f"  {key}")
        if not args.yes:
            try:
                reply = input("Reset them? You can undo this from the history. [y/N] ")
            except EOFError:
                reply = ""
            if reply.strip().lower() not in {"y", "yes"}:
                print("Nothing was reset.")
                return EXIT_PROBLEM
        if args.exercise is None:
            resets = answer_store.reset_notebook(args.notebook)
        else:
            resets = answer_store.reset_exercise(args.notebook, args.exercise)
    print(
        f"Reset {len(resets)} answer(s) in {target}. This can be undone: "
        f"`{PROG} history KEY` lists the revisions and `{PROG} restore KEY REVISION` "
        "brings one back."
    )
    return EXIT_OK


def _cmd_history(args: argparse.Namespace) -> int:
    key = _parse_key(args.key)
    with _open_store(args, writing=False) as answer_store:
        revisions = answer_store.history(key)
    if not revisions:
        print(f"Nothing has been saved for {key}.")
        return EXIT_PROBLEM
    print(f"History of {key} ({len(revisions)} revision(s), oldest first):")
    for rev in revisions:
        shown = "(cleared)" if rev.value is None and rev.action != "save" else _summary(rev.value)
        print(f"  {rev.revision:>4}  {_when(rev)}  {rev.action:<7}  {shown}")
    print(f"To bring back a revision: {PROG} restore {key} REVISION")
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace) -> int:
    key = _parse_key(args.key)
    with _open_store(args, writing=True) as answer_store:
        try:
            value = answer_store.restore(key, args.revision)
        except _store.UnknownRevisionError as exc:
            raise _Failure(str(exc), EXIT_PROBLEM) from None
        latest = answer_store.history(key)[-1]
    print(
        f"Restored {key} to revision {args.revision}; this is now revision {latest.revision}: "
        f"{_summary(value)}"
    )
    return EXIT_OK


# -- doctor --------------------------------------------------------------------


def _installed_version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _major(version: str) -> int | None:
    head = version.split(".", 1)[0]
    return int(head) if head.isdigit() else None


def _check_widgets() -> tuple[bool, str]:
    widgets = _installed_version("ipywidgets")
    lab = _installed_version("jupyterlab_widgets")
    if widgets is None:
        return False, 'ipywidgets is not installed. Fix: pip install "ipywidgets>=8.1,<9"'
    if lab is None:
        return False, (
            f"ipywidgets {widgets} is installed but jupyterlab_widgets is not, so widgets "
            'will not show in JupyterLab. Fix: pip install "jupyterlab_widgets>=3,<4"'
        )
    widgets_major, lab_major = _major(widgets), _major(lab)
    wanted = WIDGET_PAIRS.get(widgets_major) if widgets_major is not None else None
    if wanted is None:
        return False, (
            f"ipywidgets {widgets} is not a version this workbook supports. "
            'Fix: pip install "ipywidgets>=8.1,<9" "jupyterlab_widgets>=3,<4"'
        )
    if lab_major != wanted:
        return False, (
            f"ipywidgets {widgets} needs jupyterlab_widgets {wanted}.x, but {lab} is "
            f'installed, so widgets will not show. Fix: pip install "jupyterlab_widgets>='
            f'{wanted},<{wanted + 1}" and restart JupyterLab'
        )
    return True, f"ipywidgets {widgets} matches jupyterlab_widgets {lab}"


def _check_folder(folder: Path) -> tuple[bool, str]:
    try:
        _store.probe_writable(folder)
    except OSError as exc:
        return False, (
            f"cannot write to {folder} ({_store.failure_reason(exc)}). Fix: make the folder "
            f"writable, or set {_store.DATA_DIR_ENV} to a folder you can write"
        )
    return True, f"can write to {folder}"


def _check_answers(folder: Path) -> tuple[bool, str]:
    with _store.AnswerStore(folder / _store.DB_FILENAME) as answer_store:
        status = answer_store.status
        if status.mode == "memory":
            return False, status.message
        result = answer_store.integrity_check()
        count = len(answer_store.keys())
    if result != "ok":
        return False, (
            f"{status.path} failed the integrity check: {result}. Fix: close every notebook, "
            f"copy the file somewhere safe and ask a facilitator to look at it"
        )
    if status.moved_aside is not None:
        return False, f"{status.message} Fix: keep {status.moved_aside} for a facilitator"
    return True, f"{status.path} passed the integrity check ({count} answer(s) saved)"


def _cmd_doctor(args: argparse.Namespace) -> int:
    checks: list[tuple[str, Callable[[], tuple[bool, str]]]] = [("widgets", _check_widgets)]
    try:
        folder = _store.resolve_folder(args.data_dir)
    except _store.DataFolderError as exc:
        message = str(exc)
        checks.append(("data folder", lambda: (False, message)))
    else:
        checks.append(("data folder", lambda: _check_folder(folder)))
        checks.append(("answers file", lambda: _check_answers(folder)))
    healthy = True
    for name, check in checks:
        try:
            ok, detail = check()
        except (_store.StoreError, OSError) as exc:
            ok, detail = False, str(exc)
        healthy = healthy and ok
        label = "OK" if ok else "PROBLEM"
        print(f"{label:<8} {name}: {' '.join(detail.split())}")
    return EXIT_OK if healthy else EXIT_PROBLEM


# -- export / import -----------------------------------------------------------


def _cmd_export(args: argparse.Namespace) -> int:
    # matplotlib and the chart code load only for the commands that draw
    from partnership_lib.documents.portfolio import export_portfolio
    from partnership_lib.documents.share import export_share_file

    with _open_store(args, writing=args.kind == "share") as answer_store:
        try:
            if args.kind == "portfolio":
                fmt = args.format or (
                    "md" if args.output and args.output.suffix == ".md" else "html"
                )
                written = export_portfolio(
                    args.output, fmt, store=answer_store, learner_name=args.name
                )
            else:
                written = export_share_file(
                    args.output,
                    store=answer_store,
                    display_name=args.display_name or "",
                    anonymise=not args.no_anonymise,
                )
        except (OSError, ValueError) as exc:
            raise _Failure(f"could not export: {exc}", EXIT_PROBLEM) from None
    print(f"Wrote {written}")
    return EXIT_OK


def _cmd_send(args: argparse.Namespace) -> int:
    from partnership_lib.documents.room_drop import RoomSendError, configured_room, send_to_room

    room = args.room or configured_room()
    if room is None:
        raise _Failure(
            "no room folder is set up here (on JupyterHub the workshop sets "
            "PARTNERSHIP_ROOM_DIR). Use `partnership export share` and give the file to "
            "your facilitator instead.",
            EXIT_PROBLEM,
        )
    with _open_store(args, writing=True) as answer_store:
        try:
            receipt = send_to_room(
                room,
                store=answer_store,
                display_name=args.display_name or "",
                session_code=args.session_code,
            )
        except (RoomSendError, OSError, ValueError) as exc:
            raise _Failure(f"nothing was sent: {exc}", EXIT_PROBLEM) from None
    print(receipt.describe())
    return EXIT_OK


def _threshold(text: str) -> int:
    """``--k``: a whole number of learners, 3 to 40 (checked by ``privacy.Threshold``)."""
    try:
        return Threshold(int(text)).k
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _cmd_room_report(args: argparse.Namespace) -> int:
    # matplotlib and the chart code load only for the commands that draw
    from partnership_lib.facilitator.joining import normalise_session_code, read_session_code
    from partnership_lib.facilitator.report import export_room_report
    from partnership_lib.facilitator.room import scan_room

    folder = args.folder.expanduser()
    if not folder.is_dir():
        raise _Failure(f"the room folder {folder} does not exist", EXIT_PROBLEM)
    if args.session_code is not None:
        try:
            code = normalise_session_code(args.session_code) if args.session_code else None
        except ValueError as exc:
            raise _Failure(f"that session code cannot be used: {exc}", EXIT_USAGE) from None
    else:
        _found, code = read_session_code(folder)  # the board's, when it has run here
    room = scan_room(folder, session_code=code)
    try:
        written = export_room_report(room, args.output, threshold=args.k)
    except (OSError, ValueError) as exc:
        raise _Failure(f"could not write the room report: {exc}", EXIT_PROBLEM) from None
    session = f"session {code}" if code else "every session"
    print(f"Wrote {written} ({len(room)} learners, {session}, anonymity threshold {args.k})")
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from partnership_lib.documents.share import ShareFileError, import_share_file

    with _open_store(args, writing=True) as answer_store:
        try:
            count = import_share_file(args.file, store=answer_store)
        except ShareFileError as exc:
            raise _Failure(f"nothing was imported: {exc}", EXIT_PROBLEM) from None
    print(f"Imported {count} answer(s) from {args.file}")
    return EXIT_OK


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for the ``partnership`` command."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Manage the answers saved by the Collaborative Working workbook.",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="FOLDER",
        help=f"use this data folder (default: ${_store.DATA_DIR_ENV} or your user data folder)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    where = commands.add_parser("where", help="show where answers are saved")
    where.set_defaults(handler=_cmd_where)

    reset = commands.add_parser(
        "reset", help="reset the answers of a notebook or one exercise (undoable)"
    )
    reset.add_argument("notebook", help="notebook name, e.g. 01_partnerships")
    reset.add_argument("exercise", nargs="?", help="only this exercise of the notebook")
    reset.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    reset.set_defaults(handler=_cmd_reset)

    doctor = commands.add_parser(
        "doctor", help="check widgets, the answers file and the data folder"
    )
    doctor.set_defaults(handler=_cmd_doctor)

    history = commands.add_parser("history", help="list every saved revision of one answer")
    history.add_argument("key", help="notebook/exercise/field")
    history.set_defaults(handler=_cmd_history)

    restore = commands.add_parser("restore", help="bring back an earlier revision of an answer")
    restore.add_argument("key", help="notebook/exercise/field")
    restore.add_argument("revision", type=int, help="revision number, from `history`")
    restore.set_defaults(handler=_cmd_restore)

    export = commands.add_parser("export", help="export your portfolio or a share file")
    export.add_argument("kind", choices=("portfolio", "share"))
    export.add_argument("-o", "--output", type=Path, help="file or folder to write to")
    export.add_argument("--format", choices=("html", "md"), help="portfolio format")
    export.add_argument("--name", help="your name for the portfolio's title page")
    export.add_argument("--display-name", help="how the facilitator sees you in a share file")
    export.add_argument(
        "--no-anonymise",
        action="store_true",
        help="share file: keep e-mails, phone numbers, postcodes and names as typed",
    )
    export.set_defaults(handler=_cmd_export)

    send = commands.add_parser(
        "send", help="send your anonymised answers straight to the workshop room (JupyterHub)"
    )
    send.add_argument("--room", type=Path, help="the room folder (default: the hub's)")
    send.add_argument("--display-name", help="how the facilitator sees you")
    send.add_argument("--session-code", help="the code the facilitator gave the room")
    send.set_defaults(handler=_cmd_send)
    room = commands.add_parser("room", help="the facilitator's room of share files")
    room_commands = room.add_subparsers(dest="room_command", required=True, metavar="COMMAND")
    room_report = room_commands.add_parser(
        "report",
        help="write the printable room report (behind the anonymity threshold and moderation)",
    )
    room_report.add_argument("folder", type=Path, help="the folder of learners' share files")
    room_report.add_argument(
        "-o", "--output", type=Path, help="file or folder to write to (default: the room folder)"
    )
    room_report.add_argument(
        "--k",
        "--threshold",
        dest="k",
        type=_threshold,
        default=DEFAULT_K,
        metavar="LEARNERS",
        help="show nothing about the answers until this many learners (3 to 40) are in; "
        f"a stakeholder named by fewer is left out (default: {DEFAULT_K})",
    )
    room_report.add_argument(
        "--session-code",
        help="take only files sent with this code ('' for every file; default: the code "
        "the board keeps in the folder, else every file)",
    )
    room_report.set_defaults(handler=_cmd_room_report)

    import_ = commands.add_parser("import", help="import answers from a share file")
    import_.add_argument("file", type=Path)
    import_.set_defaults(handler=_cmd_import)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code (see the module docstring)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2); argparse printed why
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return args.handler(args)
    except _Failure as exc:
        _error(str(exc))
        return exc.code
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except Exception as exc:
        if os.environ.get("PARTNERSHIP_DEBUG"):
            raise
        if isinstance(exc, _store.StoreError | OSError):
            _error(str(exc))
        else:
            _error(f"unexpected {type(exc).__name__}: {exc}")
        return EXIT_STORE
