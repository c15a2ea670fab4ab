"""Settings of one national API adapter: where the API is, how to authenticate, how to retry.

Everything that the real API may do differently from the product's contract is here, so a
deployment adapts to MoHA's specification by configuration. Secrets are ``SecretStr``, so
they never appear in a repr or a log line; deployments load them from AWS Secrets Manager.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

AuthMode = Literal["api_key", "oauth2_client_credentials", "mtls"]


class ApiSettings(BaseModel):
    """Connection, authentication, retry and chunking settings of one national API."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base_url: str
    auth_mode: AuthMode

    # auth_mode=api_key: the connection key MoHA issued to this agency system.
    api_key: SecretStr | None = None

    # auth_mode=oauth2_client_credentials (RFC 6749, section 4.4).
    token_url: str | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None

    # auth_mode=mtls: the client certificate and key (PEM). ca_bundle_path applies to every
    # mode and replaces the system trust store for verifying the server.
    client_cert_path: Path | None = None
    client_key_path: Path | None = None
    ca_bundle_path: Path | None = None

    timeout_seconds: float = Field(default=10.0, gt=0)
    # Tries per request, the first one included; 1 turns retrying off.
    max_attempts: int = Field(default=5, ge=1)
    backoff_base_seconds: float = Field(default=0.5, ge=0)
    backoff_max_seconds: float = Field(default=30.0, ge=0)
    # NOTE: the real server limit is unknown; 500 is the product contract's own limit.
    max_records_per_request: int = Field(default=500, ge=1)

    @field_validator("base_url", "token_url")
    @classmethod
    def _require_http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"must start with http:// or https://, got {value!r}")
        return value.rstrip("/") if value is not None else None

    @model_validator(mode="after")
    def _require_auth_fields(self) -> Self:
        required: dict[AuthMode, tuple[str, ...]] = {
            "api_key": ("api_key",),
            "oauth2_client_credentials": ("token_url", "client_id", "client_secret"),
            "mtls": ("client_cert_path", "client_key_path"),
        }
        missing = [name for name in required[self.auth_mode] if getattr(self, name) is None]
        if missing:
            raise ValueError(f"auth_mode={self.auth_mode} requires {', '.join(missing)}")

        if self.backoff_max_seconds < self.backoff_base_seconds:
            raise ValueError("backoff_max_seconds must not be less than backoff_base_seconds")
        return self


class PopulationCaller(BaseModel):
    """The caller identity sent with every match request, which the Population Database audits."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # The agency's electronic identifier (Decision 20/2020/QĐ-TTg), at most 35 characters.
    agency_id: str = Field(min_length=1, max_length=35)
    officer_id: str = Field(min_length=1, max_length=20)
    purpose_code: str = Field(min_length=1, max_length=20)
