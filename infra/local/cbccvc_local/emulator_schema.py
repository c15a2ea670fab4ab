"""Request schemas of the emulated national APIs, checked with the standard library only.

The schemas mirror ``infra/openapi/*.yaml``: every field required unless listed as optional,
no unknown fields, types, lengths and patterns. A violation raises ``RequestInvalid`` with
the contract's error code and the path of the field, never its value (values are personal data).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

FIELD_MISSING = "FIELD_MISSING"
FIELD_INVALID = "FIELD_INVALID"
FIELD_UNKNOWN = "FIELD_UNKNOWN"
RECORD_COUNT_OUT_OF_RANGE = "RECORD_COUNT_OUT_OF_RANGE"


class RequestInvalid(Exception):
    """A request the contract rejects as a whole; ``message`` names the field, never its value."""

    def __init__(self, status: int, error_code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error_code = error_code
        self.message = message


@dataclass(frozen=True, slots=True)
class Text:
    min_length: int = 1
    max_length: int | None = None
    pattern: str | None = None
    nullable: bool = False
    is_date: bool = False
    is_base64: bool = False


@dataclass(frozen=True, slots=True)
class Number:
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    nullable: bool = False


@dataclass(frozen=True, slots=True)
class ScalarMap:
    """A JSON object with any keys whose values are strings, numbers, booleans or null."""


@dataclass(frozen=True, slots=True)
class Array:
    items: Spec
    min_items: int = 1
    max_items: int | None = None
    count_error_code: str = FIELD_INVALID


@dataclass(frozen=True, slots=True)
class Object:
    fields: Mapping[str, Spec]
    optional: frozenset[str] = field(default_factory=frozenset)


type Spec = Text | Number | ScalarMap | Array | Object


def validate(value: Any, spec: Spec, path: str = "body") -> None:
    """Raise RequestInvalid (422) unless ``value`` conforms to ``spec``."""
    if value is None:
        if isinstance(spec, Text | Number) and spec.nullable:
            return
        raise _invalid(path, "must not be null")

    match spec:
        case Text():
            _validate_text(value, spec, path)
        case Number():
            _validate_number(value, spec, path)
        case ScalarMap():
            _validate_scalar_map(value, path)
        case Array():
            _validate_array(value, spec, path)
        case Object():
            _validate_object(value, spec, path)


def _invalid(path: str, problem: str, code: str = FIELD_INVALID) -> RequestInvalid:
    return RequestInvalid(422, code, f"{path} {problem}")


def _validate_text(value: Any, spec: Text, path: str) -> None:
    if not isinstance(value, str):
        raise _invalid(path, "must be a string")
    if len(value) < spec.min_length:
        raise _invalid(path, f"must have at least {spec.min_length} characters")
    if spec.max_length is not None and len(value) > spec.max_length:
        raise _invalid(path, f"must have at most {spec.max_length} characters")
    if spec.pattern is not None and not re.fullmatch(spec.pattern, value):
        raise _invalid(path, f"must match {spec.pattern}")

    if spec.is_date:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise _invalid(path, "must be a date written YYYY-MM-DD") from None
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise _invalid(path, "must be a date written YYYY-MM-DD")

    if spec.is_base64:
        try:
            base64.b64decode(value, validate=True)
        except binascii.Error:
            raise _invalid(path, "must be base64") from None


def _validate_number(value: Any, spec: Number, path: str) -> None:
    # bool is a subclass of int in Python but not a number in JSON Schema.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _invalid(path, "must be a number")
    if spec.integer and not isinstance(value, int):
        raise _invalid(path, "must be an integer")
    if spec.minimum is not None and value < spec.minimum:
        raise _invalid(path, f"must be at least {spec.minimum}")
    if spec.maximum is not None and value > spec.maximum:
        raise _invalid(path, f"must be at most {spec.maximum}")


def _validate_scalar_map(value: Any, path: str) -> None:
    if not isinstance(value, dict):
        raise _invalid(path, "must be an object")
    for key, item in value.items():
        if item is not None and not isinstance(item, str | int | float | bool):
            raise _invalid(f"{path}.{key}", "must be a string, number, boolean or null")


def _validate_array(value: Any, spec: Array, path: str) -> None:
    if not isinstance(value, list):
        raise _invalid(path, "must be an array")
    too_few = len(value) < spec.min_items
    too_many = spec.max_items is not None and len(value) > spec.max_items
    if too_few or too_many:
        bounds = f"{spec.min_items}..{spec.max_items if spec.max_items is not None else '*'}"
        raise _invalid(path, f"must have {bounds} items", spec.count_error_code)

    for index, item in enumerate(value):
        validate(item, spec.items, f"{path}[{index}]")


def _validate_object(value: Any, spec: Object, path: str) -> None:
    if not isinstance(value, dict):
        raise _invalid(path, "must be an object")

    unknown = sorted(set(value) - set(spec.fields))
    if unknown:
        raise _invalid(f"{path}.{unknown[0]}", "is not a field of the contract", FIELD_UNKNOWN)

    for name, field_spec in spec.fields.items():
        if name not in value:
            if name in spec.optional:
                continue
            raise _invalid(f"{path}.{name}", "is required", FIELD_MISSING)
        validate(value[name], field_spec, f"{path}.{name}")


PERSONAL_ID = Text(pattern=r"[0-9]{12}")
AGENCY_CODE = Text(max_length=35)
IDEMPOTENCY_KEY = Text(max_length=128)
DATE = Text(is_date=True)

ORG_UNIT_SYNC = Object(
    {
        "agency_code": AGENCY_CODE,
        "units": Array(
            Object(
                {
                    "code": Text(max_length=50),
                    "name": Text(max_length=255),
                    "parent_code": Text(max_length=50, nullable=True),
                    "commune_code": Text(pattern=r"[0-9]{5}", nullable=True),
                }
            )
        ),
    }
)

APPROVAL = Object(
    {
        "manifest_b64": Text(is_base64=True),
        "signature_b64": Text(is_base64=True),
        "seal_b64": Text(min_length=0, is_base64=True, nullable=True),
    }
)

PROFILE_RECORD = Object(
    {
        "idempotency_key": IDEMPOTENCY_KEY,
        "personal_id": PERSONAL_ID,
        "record_hash": Text(pattern=r"[0-9a-f]{64}"),
        "data": ScalarMap(),
    }
)


def profile_batch(max_records: int | None = None, count_error_code: str = FIELD_INVALID) -> Object:
    """Return the schema of a ``profiles:batch`` (no limit) or ``test-sync`` (1..10) request."""
    return Object(
        {
            "agency_code": AGENCY_CODE,
            "batch_id": Text(max_length=128),
            "approval": APPROVAL,
            "records": Array(PROFILE_RECORD, max_items=max_records, count_error_code=count_error_code),
        }
    )


PROFILE_BATCH = profile_batch()
TEST_SYNC = profile_batch(max_records=10, count_error_code=RECORD_COUNT_OUT_OF_RANGE)

MATCH_REQUEST = Object(
    {
        "request_id": Text(max_length=40),
        "agency_id": Text(max_length=35),
        "officer_id": Text(max_length=20),
        "purpose_code": Text(max_length=20),
        "people": Array(
            Object(
                {
                    "personal_id": PERSONAL_ID,
                    "full_name": Text(max_length=100),
                    "birth_date": DATE,
                }
            )
        ),
    }
)

PARTY_SYNC = Object(
    {
        "agency_code": AGENCY_CODE,
        "records": Array(
            Object(
                {
                    "idempotency_key": IDEMPOTENCY_KEY,
                    "personal_id": PERSONAL_ID,
                    "join_date": DATE,
                    "official_date": Text(is_date=True, nullable=True),
                    "card_number": Text(max_length=20, nullable=True),
                }
            )
        ),
    }
)

# Control endpoint schemas (the emulator's own API, not part of any contract).
POPULATION_PERSON = Object(
    {"personal_id": PERSONAL_ID, "full_name": Text(max_length=100), "birth_date": DATE, "gender": Text()},
    optional=frozenset({"gender"}),
)
POPULATION_SEED = Object(
    {"people": Array(POPULATION_PERSON, min_items=0), "mode": Text(pattern="replace|append")},
    optional=frozenset({"mode"}),
)
FAULT_RULE = Object(
    {
        "path_prefix": Text(pattern=r"/.*"),
        "kind": Text(pattern="latency|status|timeout|drop"),
        "status": Number(minimum=100, maximum=599, integer=True),
        "retry_after": Text(),
        "delay_seconds": Number(minimum=0),
        "count": Number(minimum=1, integer=True),
    },
    optional=frozenset({"status", "retry_after", "delay_seconds", "count"}),
)
FAULT_RULES = Array(FAULT_RULE)
