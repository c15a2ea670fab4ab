"""Fault injection rules of the emulator: latency, error statuses, timeouts, dropped connections."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

from cbccvc_local.emulator_schema import FAULT_RULES, RequestInvalid, validate

FaultKind = Literal["latency", "status", "timeout", "drop"]


@dataclass(slots=True)
class FaultRule:
    """One rule: applies to the next ``count`` requests whose path starts with ``path_prefix``.

    ``latency`` delays the response by ``delay_seconds`` and then serves the request.
    ``status`` returns ``status`` (and ``Retry-After`` if given) without serving the request.
    ``timeout`` waits ``delay_seconds`` (set it above the client's timeout) and closes the
    connection without a response. ``drop`` closes the connection at once. A request that
    meets ``status``, ``timeout`` or ``drop`` changes no state.
    """

    path_prefix: str
    kind: FaultKind
    count: int = 1
    status: int | None = None
    retry_after: str | None = None
    delay_seconds: float = 0.0


def parse_fault_rules(body: Any) -> list[FaultRule]:
    """Validate a JSON list of rules (raising RequestInvalid) and build them."""
    if isinstance(body, list):
        for item in body:
            # Retry-After is sent as text, but a number of seconds is the natural way to write it.
            if isinstance(item, dict) and isinstance(item.get("retry_after"), int):
                item["retry_after"] = str(item["retry_after"])
    validate(body, FAULT_RULES, "rules")

    return [_build_rule(index, item) for index, item in enumerate(body)]


def _build_rule(index: int, item: Mapping[str, Any]) -> FaultRule:
    kind = item["kind"]
    if kind == "status" and "status" not in item:
        raise RequestInvalid(422, "FIELD_MISSING", f"rules[{index}].status is required for kind=status")
    if kind in ("latency", "timeout") and "delay_seconds" not in item:
        raise RequestInvalid(422, "FIELD_MISSING", f"rules[{index}].delay_seconds is required for kind={kind}")

    return FaultRule(
        path_prefix=item["path_prefix"],
        kind=kind,
        count=item.get("count", 1),
        status=item.get("status"),
        retry_after=item.get("retry_after"),
        delay_seconds=float(item.get("delay_seconds", 0.0)),
    )


class FaultBook:
    """The active rules, in the order they were added; the first matching rule applies."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []

    def add(self, rules: Iterable[FaultRule]) -> int:
        with self._lock:
            self._rules.extend(rules)
            return len(self._rules)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def take(self, path: str) -> FaultRule | None:
        """Return the first rule matching ``path`` and use up one of its requests."""
        with self._lock:
            for rule in self._rules:
                if path.startswith(rule.path_prefix):
                    rule.count -= 1
                    if rule.count <= 0:
                        self._rules.remove(rule)
                    return rule
            return None

    def snapshot(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(rule) for rule in self._rules]
