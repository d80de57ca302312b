"""The anonymity threshold: nothing about the room's answers shows until k learners are in.

Colleagues in a workshop come from the same few organisations; a chart of the only two
answers in, or a stakeholder only one learner named, can point to a person. So, as survey
tools hold back group results, the board, its views, their descriptions and tables and
the room report show nothing about the answers until at least ``k`` learners' files are
in, and each view nothing until ``k`` learners have answered *that* activity. Within a
view, a stakeholder named by fewer than ``k`` learners is not shown at all (the view says
how many were held back). ``k`` is 5 by default and can be set from 3 up.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_K", "MAX_K", "MIN_K", "Threshold"]

DEFAULT_K = 5
MIN_K = 3
#: The largest room the workshop is written for; a threshold above it could never be met.
MAX_K = 40


@dataclass(frozen=True, slots=True)
class Threshold:
    """How many learners must be in before anything about their answers is shown."""

    k: int = DEFAULT_K

    def __post_init__(self) -> None:
        if isinstance(self.k, bool) or not isinstance(self.k, int):
            raise ValueError(f"the anonymity threshold must be a whole number, got {self.k!r}")
        if not MIN_K <= self.k <= MAX_K:
            raise ValueError(
                f"the anonymity threshold must be between {MIN_K} and {MAX_K} learners, "
                f"got {self.k}"
            )

    def met(self, count: int) -> bool:
        """Whether ``count`` learners are enough."""
        return count >= self.k

    def needed(self, count: int) -> int:
        """How many more learners are needed (0 when the threshold is met)."""
        return max(0, self.k - count)

    def message(self, count: int, *, what: str = "results are shown") -> str:
        """ "3 more needed before results are shown (at least 5 learners)."" or ``""``."""
        more = self.needed(count)
        if not more:
            return ""
        return f"{more} more needed before {what} (at least {self.k} learners)."
