"""HTML that leaves the library: escaping and static blocks for notebook outputs."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class HTMLBlock:
    """Static HTML shown as a notebook output (compared by strict nbval)."""

    html: str
    text: str

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/html": self.html, "text/plain": self.text}


def escape(text: Any) -> str:
    """HTML-escape learner text (quotes too) for any HTML widget or export."""
    return html.escape("" if text is None else str(text), quote=True)
