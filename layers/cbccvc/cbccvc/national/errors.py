"""Errors of the national API adapters, sorted by how the caller reacts.

``FatalApiError``: repeating the same request cannot succeed (bad request, bad credentials,
contract violation), so the caller records the failure and does not send the chunk again.
``RetriableApiError``: the request may succeed later (429, 5xx, timeout, connection error).
The adapter has already retried with backoff, so the caller hands the chunk back to its queue.

Neither error carries request or response bodies, because they contain personal data.
"""

from __future__ import annotations

from enum import StrEnum

# Error codes the adapter itself assigns when the server sent none.
TIMEOUT = "TIMEOUT"
CONNECTION_ERROR = "CONNECTION_ERROR"
CONTRACT_VIOLATION = "CONTRACT_VIOLATION"
TLS_CERTIFICATE_INVALID = "TLS_CERTIFICATE_INVALID"


class ErrorClass(StrEnum):
    OK = "ok"
    FATAL = "fatal"
    RETRIABLE = "retriable"


def classify_status(status: int) -> ErrorClass:
    """Classify an HTTP status by how the caller reacts to it.

    2xx is OK. 429, 408 and every 5xx are retriable. 429 and 503 ask the client to come back
    later, 408 means the server closed the request without processing it (RFC 9110, section
    15.5.9), and a 5xx from a gateway is often transient. Everything else is fatal, including
    3xx, because the contracts define no redirects.
    """
    if 200 <= status < 300:
        return ErrorClass.OK

    if status in (408, 429) or 500 <= status < 600:
        return ErrorClass.RETRIABLE

    return ErrorClass.FATAL


class NationalApiError(Exception):
    """A national API call failed; ``endpoint`` is the path template, never a path with an ID."""

    def __init__(self, endpoint: str, status: int | None, error_code: str | None) -> None:
        self.endpoint = endpoint
        self.status = status
        self.error_code = error_code
        super().__init__(f"{endpoint} failed: status={status} error_code={error_code}")


class FatalApiError(NationalApiError):
    """A failure that repeating the request cannot fix (4xx except 408 and 429, bad auth, contract)."""


class RetriableApiError(NationalApiError):
    """A transient failure that remained after the adapter's retries.

    ``retry_after`` is the server's last Retry-After in seconds, or None if it sent none.
    """

    def __init__(
        self, endpoint: str, status: int | None, error_code: str | None, retry_after: float | None = None
    ) -> None:
        super().__init__(endpoint, status, error_code)
        self.retry_after = retry_after
