"""Backoff delays and Retry-After parsing for the national API adapters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential backoff with full jitter, capped at ``max_seconds``.

    ``random_fraction`` returns a float in [0, 1); tests pass a fixed value.
    """

    base_seconds: float
    max_seconds: float
    random_fraction: Callable[[], float]

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Return the seconds to wait after failed attempt number ``attempt`` (1-based).

        A server's Retry-After wins over the computed delay, but is still capped at
        ``max_seconds`` so one header cannot stall a Lambda invocation.
        """
        if retry_after is not None:
            return min(retry_after, self.max_seconds)

        ceiling = min(self.max_seconds, self.base_seconds * 2 ** (attempt - 1))
        return ceiling * self.random_fraction()


def parse_retry_after(value: str | None, now: Callable[[], datetime] | None = None) -> float | None:
    """Parse a Retry-After header (delay in seconds, or an HTTP date) into seconds from now.

    Returns None for a missing or unparseable header, and 0 for a date in the past.
    """
    if value is None:
        return None

    text = value.strip()
    if text.isdigit():
        return float(text)

    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        # "-0000" parses as a naive datetime; HTTP dates are always GMT (RFC 9110, 5.6.7).
        when = when.replace(tzinfo=UTC)

    current = now() if now is not None else datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())
