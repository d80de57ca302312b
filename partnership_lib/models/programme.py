"""The day's programme: the sessions in order, with their exercises (``data/sessions.yaml``)."""

from __future__ import annotations

from typing import Any

from partnership_lib.core import content


def session_catalogue() -> list[dict[str, Any]]:
    """Every session of the day, in programme order (raw content, read-only)."""
    return list(content.load("sessions")["sessions"])
