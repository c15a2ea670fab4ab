"""Data shared between stages: findings, batch states, manifests and S3 key layout."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    ERROR = "error"  # blocks the record (or, at file level, the whole file)
    WARNING = "warning"  # reported, the record is still staged


@dataclass(slots=True)
class Finding:
    """One validation finding at a cell (row and column as the agency sees them in Excel).

    ``row`` is the 1-based row number in the sheet; ``column`` is the column letter. Both are
    None for findings about the whole file. ``params`` fill the message template and may carry
    the cell value the agency uploaded, so findings go to reports, never to logs.
    """

    code: str
    severity: Severity
    row: int | None = None
    column: str | None = None
    sheet: str | None = None
    header: str | None = None
    field: str | None = None
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def cell(self) -> str | None:
        if self.row is None or self.column is None:
            return None
        return f"{self.column}{self.row}"


class BatchState(StrEnum):
    RECEIVED = "received"
    VALIDATED = "validated"
    REJECTED = "rejected"
    APPROVAL_PENDING = "approval_pending"  # signature not rejected, approval waits (revocation status, seal)
    APPROVED = "approved"
    SYNCING = "syncing"
    SYNCED = "synced"
    PARTIAL = "partial"
    FAILED = "failed"


AGENCY_CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,15}$")


def make_batch_id(agency_code: str, source_sha256: str) -> str:
    """Derive the batch id from the agency and the uploaded bytes, so one file is one batch."""
    return f"{agency_code}-{source_sha256[:20]}"


def agency_of_batch(batch_id: str) -> str:
    return batch_id.rsplit("-", 1)[0]


class Manifest(BaseModel):
    """What an approver signs: it binds the signature to exactly one batch's staged records.

    The manifest is stored as canonical JSON (sorted keys, no spaces, UTF-8), and the approver
    signs those exact bytes.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = 1
    batch_id: str
    agency_code: str
    source_key: str
    source_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    record_count: int = Field(ge=0)
    records_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    report_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    created_at: datetime
    expires_at: datetime
    nonce: str = Field(pattern=r"^[0-9a-f]{32}$")

    def to_bytes(self) -> bytes:
        return canonical_json(self.model_dump(mode="json"))


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BatchKeys:
    """S3 keys of everything a batch produces, in one place."""

    def __init__(self, agency_code: str, batch_id: str) -> None:
        self.agency_code = agency_code
        self.batch_id = batch_id
        base = f"batches/{agency_code}/{batch_id}"
        self.report_json = f"{base}/report/bao-cao-kiem-tra.json"
        self.report_xlsx = f"{base}/report/bao-cao-kiem-tra.xlsx"
        self.records = f"{base}/staged/records.parquet"
        self.manifest = f"{base}/manifest.json"
        self.approval_result = f"{base}/approval/ket-qua-phe-duyet.json"
        self.sync_report_json = f"{base}/sync/ket-qua-dong-bo.json"
        self.sync_report_xlsx = f"{base}/sync/ket-qua-dong-bo.xlsx"
        self.chunk_prefix = f"{base}/chunks/"
        self.evidence_prefix = f"{base}/evidence/"
        self.approval_prefix = f"approvals/{agency_code}/{batch_id}/"

    def chunk(self, number: int) -> str:
        return f"{self.chunk_prefix}{number:05d}.jsonl"
