"""Authentication of requests to the national APIs: API key, OAuth2 client credentials, mutual TLS.

MoHA issues a credential per agency system, but how it is presented is not public, so each
mechanism the product supports is one small class behind ``Authenticator``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cbccvc.national.errors import (
    CONNECTION_ERROR,
    CONTRACT_VIOLATION,
    TIMEOUT,
    ErrorClass,
    FatalApiError,
    RetriableApiError,
    classify_status,
)
from cbccvc.national.settings import ApiSettings

# The endpoint label in errors for a failed token request.
AUTHORIZATION_SERVER = "oauth2_token"
# A token is renewed this long before it expires, so it never expires in flight.
TOKEN_EXPIRY_MARGIN_SECONDS = 30.0


class Authenticator(Protocol):
    def headers(self) -> dict[str, str]:
        """Return the headers that authenticate one request."""
        ...

    def refresh(self) -> bool:
        """Drop the cached credential after a 401; return True if a new try may succeed."""
        ...


class ApiKeyAuth:
    """Sends the connection key in the ``X-API-Key`` header."""

    def __init__(self, api_key: str) -> None:
        self._api_key = api_key

    def headers(self) -> dict[str, str]:
        return {"X-API-Key": self._api_key}

    def refresh(self) -> bool:
        return False


class MutualTlsAuth:
    """Adds no header: the client certificate in the TLS handshake is the credential."""

    def headers(self) -> dict[str, str]:
        return {}

    def refresh(self) -> bool:
        return False


class _TokenResponse(BaseModel):
    model_config = ConfigDict(extra="ignore")

    access_token: str = Field(min_length=1)
    token_type: str
    # RFC 6749 makes expires_in optional; without it the token is renewed after 5 minutes.
    expires_in: float = Field(default=300.0, gt=0)


class OAuth2ClientCredentials:
    """Fetches a bearer token with the client-credentials grant (RFC 6749, section 4.4) and caches it.

    The client authenticates with HTTP Basic (``client_secret_basic``), which RFC 6749,
    section 2.3.1 requires every authorization server to support.
    """

    def __init__(
        self,
        client: httpx.Client,
        *,
        token_url: str,
        client_id: str,
        client_secret: str,
        timeout_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._token_url = token_url
        self._credentials = (client_id, client_secret)
        self._timeout_seconds = timeout_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at = 0.0

    def headers(self) -> dict[str, str]:
        with self._lock:
            if self._token is None or self._clock() >= self._expires_at:
                self._token, lifetime = self._fetch_token()
                self._expires_at = self._clock() + max(0.0, lifetime - TOKEN_EXPIRY_MARGIN_SECONDS)
            return {"Authorization": f"Bearer {self._token}"}

    def refresh(self) -> bool:
        with self._lock:
            self._token = None
        return True

    def _fetch_token(self) -> tuple[str, float]:
        try:
            response = self._client.post(
                self._token_url,
                data={"grant_type": "client_credentials"},
                auth=self._credentials,
                timeout=self._timeout_seconds,
            )
        except httpx.TimeoutException as error:
            raise RetriableApiError(AUTHORIZATION_SERVER, None, TIMEOUT) from error
        except httpx.TransportError as error:
            raise RetriableApiError(AUTHORIZATION_SERVER, None, CONNECTION_ERROR) from error

        outcome = classify_status(response.status_code)
        if outcome is ErrorClass.RETRIABLE:
            raise RetriableApiError(AUTHORIZATION_SERVER, response.status_code, _oauth_error(response))
        if outcome is ErrorClass.FATAL:
            raise FatalApiError(AUTHORIZATION_SERVER, response.status_code, _oauth_error(response))

        try:
            token = _TokenResponse.model_validate_json(response.content)
        except ValidationError as error:
            raise FatalApiError(AUTHORIZATION_SERVER, response.status_code, CONTRACT_VIOLATION) from error
        if token.token_type.lower() != "bearer":
            raise FatalApiError(AUTHORIZATION_SERVER, response.status_code, CONTRACT_VIOLATION)
        return token.access_token, token.expires_in


def _oauth_error(response: httpx.Response) -> str | None:
    """Return the ``error`` member of an OAuth2 error response (RFC 6749, section 5.2), if any."""
    try:
        body = response.json()
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, str) else None


def build_authenticator(settings: ApiSettings, client: httpx.Client) -> Authenticator:
    """Build the authenticator that ``settings.auth_mode`` selects."""
    if settings.auth_mode == "api_key":
        return ApiKeyAuth(_required(settings.api_key, "api_key").get_secret_value())

    if settings.auth_mode == "oauth2_client_credentials":
        return OAuth2ClientCredentials(
            client,
            token_url=_required(settings.token_url, "token_url"),
            client_id=_required(settings.client_id, "client_id"),
            client_secret=_required(settings.client_secret, "client_secret").get_secret_value(),
            timeout_seconds=settings.timeout_seconds,
        )

    return MutualTlsAuth()


def _required[T](value: T | None, name: str) -> T:
    # ApiSettings validation already rejects these cases; this narrows the type for mypy.
    if value is None:
        raise ValueError(f"ApiSettings.{name} is required for this auth_mode")
    return value
