"""Ports to the national APIs and the models they exchange.

The pipeline depends on these Protocols only. ``cbccvc.national.http`` implements them over
the product's OpenAPI contracts (``infra/openapi/``); tests may pass any object with the same
methods. Request models mirror the contracts' field limits, so a record that the contract
would reject with 422 fails here with a pydantic ``ValidationError`` before anything is sent.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import date
from typing import Annotated, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

PersonalId = Annotated[str, Field(pattern=r"^[0-9]{12}$")]
IdempotencyKey = Annotated[str, Field(min_length=1, max_length=128)]
AgencyCode = Annotated[str, Field(min_length=1, max_length=35)]
# Values of a profile's ``data`` object: JSON scalars only, as the contract allows.
DataValue = str | int | float | bool | None

RecordStatus = Literal["accepted", "duplicate", "rejected"]
UnitStatus = Literal["accepted", "unchanged", "rejected"]
MatchStatus = Literal["match", "mismatch", "not_found"]
MatchedField = Literal["full_name", "birth_date"]


class _RequestModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _ResultModel(BaseModel):
    # Fields a newer server adds are ignored, so an additive contract change breaks nothing.
    model_config = ConfigDict(frozen=True, extra="ignore")


class PersonQuery(_RequestModel):
    """One person to match against the National Population Database."""

    personal_id: PersonalId
    full_name: str = Field(min_length=1, max_length=100)
    birth_date: date


class MatchResult(_ResultModel):
    """The register's verdict on one person; ``mismatched_fields`` is empty unless ``mismatch``."""

    personal_id: str
    status: MatchStatus
    mismatched_fields: list[MatchedField]


class OrgUnit(_RequestModel):
    """One unit of the agency's organisation tree; ``parent_code`` is None for a root."""

    code: str = Field(min_length=1, max_length=50)
    name: str = Field(min_length=1, max_length=255)
    parent_code: str | None = Field(default=None, min_length=1, max_length=50)
    commune_code: str | None = Field(default=None, pattern=r"^[0-9]{5}$")


class UnitResult(_ResultModel):
    """The national database's verdict on one org unit."""

    code: str
    status: UnitStatus
    error_code: str | None = None


class Approval(_RequestModel):
    """The approver's detached CMS signature over the batch manifest, base64-encoded for JSON."""

    manifest_b64: str = Field(min_length=1)
    signature_b64: str = Field(min_length=1)
    seal_b64: str | None = None

    @classmethod
    def from_bytes(cls, manifest: bytes, signature: bytes, seal: bytes | None = None) -> Approval:
        """Build the approval from the signed manifest bytes and DER signatures."""
        return cls(
            manifest_b64=base64.b64encode(manifest).decode("ascii"),
            signature_b64=base64.b64encode(signature).decode("ascii"),
            seal_b64=None if seal is None else base64.b64encode(seal).decode("ascii"),
        )


class ProfileRecord(_RequestModel):
    """One record version to store: its idempotency key, content hash and fields."""

    idempotency_key: IdempotencyKey
    personal_id: PersonalId
    record_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    data: dict[str, DataValue]


class RecordResult(_ResultModel):
    """The national database's verdict on one record, keyed by its idempotency key."""

    idempotency_key: str
    status: RecordStatus
    error_code: str | None = None
    message: str | None = None


class PilotResult(_ResultModel):
    """The outcome of a 1–10 record test sync."""

    pilot_id: str
    results: list[RecordResult]


class PartyMemberRecord(_RequestModel):
    """Party-membership data of one person (sensitive: never logged)."""

    idempotency_key: IdempotencyKey
    personal_id: PersonalId
    join_date: date
    official_date: date | None = None
    card_number: str | None = Field(default=None, min_length=1, max_length=20)


class StoredProfile(_ResultModel):
    """The last record version the national database accepted for a person."""

    personal_id: str
    agency_code: str
    batch_id: str
    idempotency_key: str
    record_hash: str
    accepted_at: str
    data: dict[str, DataValue]


class PopulationRegistry(Protocol):
    """The National Population Database: identity matching."""

    def match(self, people: Sequence[PersonQuery]) -> list[MatchResult]:
        """Return one result per person, in the order given."""
        ...


class NationalCbccvc(Protocol):
    """The National Database on CBCCVC: org tree, profiles and the pilot test sync."""

    def sync_org_units(self, agency_code: str, units: Sequence[OrgUnit]) -> list[UnitResult]:
        """Send the units (parents before children) and return one result per unit, in order."""
        ...

    def send_profiles(
        self, agency_code: str, batch_id: str, approval: Approval, records: Sequence[ProfileRecord]
    ) -> list[RecordResult]:
        """Send the records of an approved batch and return one result per record, in order."""
        ...

    def send_test_sync(
        self, agency_code: str, batch_id: str, approval: Approval, records: Sequence[ProfileRecord]
    ) -> PilotResult:
        """Send 1–10 records to the test area and return the pilot id and per-record results."""
        ...


class PartyRegistry(Protocol):
    """The Party organisation and Party member database."""

    def sync_members(self, agency_code: str, records: Sequence[PartyMemberRecord]) -> list[RecordResult]:
        """Send the records and return one result per record, in order."""
        ...
