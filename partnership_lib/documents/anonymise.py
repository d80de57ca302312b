"""Anonymising learner text: what a share file and the room board must never carry.

:func:`anonymise` replaces, in any answer (text, or lists and tables of text):

- e-mail addresses;
- NHS numbers: ten digits (``943 476 5919``) whose last digit is the modulus-11 check
  digit of the first nine, so that an ordinary ten-digit number is left alone;
- UK phone numbers (``+44`` or ``0`` and nine or ten more digits, spaced as people type);
- UK postcodes;
- the names the learner listed,

each with a numbered placeholder (``[name 1]``, ``[phone 2]``): the same text gets the
same placeholder everywhere in one document, so the facilitator can still tell that two
answers name the same person. :class:`Anonymiser` does the same over many values and
collects every :class:`Replacement`, for a preview before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["Anonymiser", "Replacement", "anonymise", "is_nhs_number"]


@dataclass(frozen=True, slots=True)
class Replacement:
    """One piece of text that anonymising would replace."""

    kind: str  # "e-mail", "NHS number", "phone", "postcode" or "name"
    original: str
    placeholder: str
    where: str  # "notebook/exercise/field"


_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Ten digits, as one run or grouped 3-3-4 with spaces or dashes; checked by is_nhs_number.
_NHS = re.compile(r"(?<![\d+])\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)")
# UK numbers: +44 or 0 followed by 9-10 more digits, with spaces, dots, dashes or brackets.
_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?|\(?0)(?:[\s.\-()]*\d){9,10}(?!\d)")
# UK postcodes (outward and inward parts), case-insensitive.
_POSTCODE = re.compile(r"\b(?:GIR\s?0AA|[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})\b", re.I)


def is_nhs_number(text: str) -> bool:
    """Whether ``text`` (spaces and dashes ignored) is ten digits passing the NHS check.

    The check digit is ``11 - (sum of the first nine digits weighted 10 down to 2) % 11``,
    with 11 meaning 0; a result of 10 never occurs in a valid number.
    """
    digits = re.sub(r"[ -]", "", text)
    if not re.fullmatch(r"\d{10}", digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


class Anonymiser:
    """Replaces personal details in text, with one numbering across every value it sees.

    Parameters
    ----------
    names
        People's names to replace (whole words, any case); the longest are tried first so
        "Jo Bloggs" wins over "Jo".

    Attributes
    ----------
    found : list of Replacement
        Everything replaced so far, in order.
    """

    def __init__(self, names: Iterable[str] = ()) -> None:
        cleaned = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
        self.name_pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in cleaned) + r")(?!\w)", re.I)
            if cleaned
            else None
        )
        self.placeholders: dict[tuple[str, str], str] = {}
        self.counts: dict[str, int] = {}
        self.found: list[Replacement] = []

    def _placeholder(self, kind: str, original: str) -> str:
        norm = original.casefold() if kind == "name" else re.sub(r"\s", "", original).casefold()
        key = (kind, norm)
        if key not in self.placeholders:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.placeholders[key] = f"[{kind} {self.counts[kind]}]"
        return self.placeholders[key]

    def text(self, value: str, where: str = "") -> str:
        """``value`` with every personal detail replaced by its placeholder."""
        patterns: list[tuple[str, re.Pattern[str]]] = [
            ("e-mail", _EMAIL),
            ("NHS number", _NHS),
            ("phone", _PHONE),
            ("postcode", _POSTCODE),
        ]
        if self.name_pattern is not None:
            patterns.append(("name", self.name_pattern))
        for kind, pattern in patterns:

            def _swap(m: re.Match[str], kind: str = kind) -> str:
                if kind == "NHS number" and not is_nhs_number(m.group(0)):
                    return m.group(0)
                placeholder = self._placeholder(kind, m.group(0))
                self.found.append(Replacement(kind, m.group(0), placeholder, where))
                return placeholder

            value = pattern.sub(_swap, value)
        return value

    def value(self, value: Any, where: str = "") -> Any:
        """Any stored answer (text, or lists and dicts of them) with details replaced."""
        if isinstance(value, str):
            return self.text(value, where)
        if isinstance(value, list):
            return [self.value(v, where) for v in value]
        if isinstance(value, dict):
            return {k: self.value(v, where) for k, v in value.items()}
        return value


def anonymise(
    value: Any, names: Iterable[str] = (), *, where: str = ""
) -> tuple[Any, list[Replacement]]:
    """Return ``value`` with personal details replaced, and the replacements made."""
    anonymiser = Anonymiser(names)
    return anonymiser.value(value, where), anonymiser.found
