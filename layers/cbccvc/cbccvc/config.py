"""Settings of each pipeline stage, read once from environment variables at cold start.

A required value has no default: a missing variable fails the cold start with its name.
Credentials and endpoints of the national APIs live in AWS Secrets Manager (one secret per
API, JSON in the shape of ``cbccvc.national.http.ApiSettings``); only the secret ids are
environment variables.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from cbccvc.schema import DEFAULT_MANDATORY_FIELDS, FIELDS_BY_NAME


class CommonSettings(BaseSettings):
    """Settings every stage needs: where state and files live."""

    model_config = SettingsConfigDict(case_sensitive=False, extra="ignore", frozen=True)

    bucket_name: str = Field(min_length=3)
    table_name: str = Field(min_length=3)


class ValidateSettings(CommonSettings):
    # KMS HMAC key from which the keyed hash of personal IDs is derived.
    person_key_id: str = Field(min_length=1)
    population_api_secret_id: str = Field(min_length=1)
    mandatory_fields: Annotated[tuple[str, ...], NoDecode] = DEFAULT_MANDATORY_FIELDS
    # Upper bound on data rows per file, so one upload cannot exhaust the function's memory.
    max_rows: int = Field(default=300_000, ge=1)
    # How long an approver may take to sign a manifest before it expires.
    manifest_validity_days: int = Field(default=14, ge=1, le=90)
    # Caller identity sent with every population lookup, which the register audits: the
    # agency's electronic identifier (Decision 20/2020/QĐ-TTg), the officer and the purpose.
    population_agency_id: str = Field(min_length=1, max_length=35)
    population_officer_id: str = "cbccvc-sync"
    population_purpose_code: str = "CBCCVC-DONG-BO"

    @field_validator("mandatory_fields", mode="before")
    @classmethod
    def _split_fields(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("mandatory_fields")
    @classmethod
    def _known_fields(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [name for name in value if name not in FIELDS_BY_NAME]
        if unknown:
            raise ValueError(f"unknown field names in MANDATORY_FIELDS: {', '.join(unknown)}")
        return value


class ApproveSettings(CommonSettings):
    sync_queue_url: str = Field(min_length=1)
    # KMS key (ECC_NIST_P256, SIGN_VERIFY) that applies the agency seal after the approver's signature.
    seal_key_id: str = Field(min_length=1)
    # S3 prefix holding each agency's seal certificate for that key: {prefix}{agency}.pem.
    seals_prefix: str = "config/seals/"
    # S3 prefix holding the PEM certificates of the trusted root CAs.
    trust_anchors_prefix: str = "config/trust-anchors/"
    # S3 prefix holding CRLs (DER or PEM) the verifier may use; a new object here re-checks waiting approvals.
    crl_prefix: str = "config/crls/"
    # Revocation data (CRL, OCSP) issued longer ago than this is treated as unavailable.
    revocation_max_age_hours: int = Field(default=72, ge=1, le=24 * 31)
    # URL prefixes of CRL distribution points and OCSP responders the function may fetch from,
    # comma-separated; empty means it fetches nothing and relies on the stored CRLs.
    revocation_fetch_allowed_urls: Annotated[tuple[str, ...], NoDecode] = ()
    revocation_fetch_timeout_seconds: float = Field(default=5.0, gt=0, le=30)

    @field_validator("revocation_fetch_allowed_urls", mode="before")
    @classmethod
    def _split_urls(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("revocation_fetch_allowed_urls")
    @classmethod
    def _http_urls(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        wrong = [url for url in value if not url.lower().startswith(("http://", "https://"))]
        if wrong:
            raise ValueError(f"REVOCATION_FETCH_ALLOWED_URLS must be http(s) URL prefixes, got: {', '.join(wrong)}")
        return value


class SyncSettings(CommonSettings):
    person_key_id: str = Field(min_length=1)
    sync_queue_url: str = Field(min_length=1)
    national_api_secret_id: str = Field(min_length=1)
    party_api_secret_id: str = Field(min_length=1)
    # Records per SQS chunk message; each chunk is one Lambda invocation's work.
    chunk_size: int = Field(default=500, ge=1, le=5_000)
    # Records sent to the test-sync endpoint before an agency's first full sync (MoHA asks for 1–10).
    pilot_size: int = Field(default=5, ge=1, le=10)


class ReportSettings(CommonSettings):
    # Time zone of the report date; the steering committees work on Vietnam time.
    report_timezone: str = "Asia/Ho_Chi_Minh"
    # Decree 27/2026/NĐ-CP asks for changes within 3 working days; 5 calendar days spans a weekend.
    stale_after_days: int = Field(default=5, ge=1)
