"""Files the workbook writes: safe names inside a folder, and atomic writes.

Every export (portfolio, share file, scenario card, room report, demo room) goes through
:func:`write_atomically`, so a reader never sees half a file, and names a learner or a
facilitator types go through :func:`safe_output_path`, so they cannot escape the folder.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from partnership_lib.core.store import AnswerStore

if TYPE_CHECKING:
    pass


def safe_output_path(folder: str | Path, filename: str) -> Path:
    """Return ``folder/filename``, refusing any name that would land outside ``folder``.

    Only a plain file name is accepted: no folders, no ``..``, no leading dot, no
    control characters. Raises ``ValueError`` naming the problem.
    """
    name = str(filename).strip()
    if not name:
        raise ValueError("the export needs a file name")
    if any(ch in name for ch in "/\\") or name in (".", ".."):
        raise ValueError(f"{filename!r} is not a plain file name: it may not contain folders")
    if name.startswith("."):
        raise ValueError(f"{filename!r} would be a hidden file; choose a name without a dot first")
    if any(ord(ch) < 32 or ch in '<>:"|?*' for ch in name):
        raise ValueError(f"{filename!r} contains characters that are not allowed in file names")
    base = Path(folder).expanduser().resolve()
    target = (base / name).resolve()
    if target.parent != base:
        raise ValueError(f"{filename!r} would be written outside {base}")
    return target


def default_export_path(store: AnswerStore, stem: str, suffix: str) -> Path:
    folder = (store.path.parent if store.path else Path.cwd()) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return safe_output_path(folder, f"{stem}-{stamp}{suffix}")


def resolve_output(
    path: str | Path | None, folder: str | Path | None, store: AnswerStore, stem: str, suffix: str
) -> Path:
    if path is None:
        return default_export_path(store, stem, suffix)
    if folder is not None:
        return safe_output_path(folder, str(path))
    target = Path(path).expanduser()
    if target.is_dir():
        return safe_output_path(target, f"{stem}{suffix}")
    return target


def write_atomically(target: Path, text: str) -> Path:
    """Write to a temporary name and rename, so a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    return target
