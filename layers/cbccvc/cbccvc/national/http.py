"""HTTP adapters of the national API ports, over the product's contracts in ``infra/openapi/``.

``JsonApiClient`` does what every call needs: authentication, timeouts, retries with
exponential backoff and full jitter (honouring Retry-After), and sorting failures into
``FatalApiError`` and ``RetriableApiError``. The three adapters on top of it build the
requests of one contract each and split long lists into requests of at most
``ApiSettings.max_records_per_request`` items.

Build each adapter once per Lambda container (``from_settings``) and reuse it. Tests pass an
``httpx.Client`` (for example over ``httpx.MockTransport``), a ``sleep`` that does not sleep
and a fixed ``random_fraction``.
"""

from __future__ import annotations

import random
import re
import ssl
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import Any, Self

import httpx
from pydantic import BaseModel, ValidationError

from cbccvc.national.auth import Authenticator, build_authenticator
from cbccvc.national.errors import (
    CONNECTION_ERROR,
    CONTRACT_VIOLATION,
    TIMEOUT,
    TLS_CERTIFICATE_INVALID,
    ErrorClass,
    FatalApiError,
    RetriableApiError,
    classify_status,
)
from cbccvc.national.ports import (
    Approval,
    MatchResult,
    OrgUnit,
    PartyMemberRecord,
    PersonQuery,
    PilotResult,
    ProfileRecord,
    RecordResult,
    StoredProfile,
    UnitResult,
)
from cbccvc.national.retry import Backoff, parse_retry_after
from cbccvc.national.settings import ApiSettings, PopulationCaller
from cbccvc.observability import logger

ORG_UNITS_ENDPOINT = "/cbccvc/v1/org-units:sync"
PROFILES_ENDPOINT = "/cbccvc/v1/profiles:batch"
TEST_SYNC_ENDPOINT = "/cbccvc/v1/test-sync"
PROFILE_ENDPOINT = "/cbccvc/v1/profiles/{personal_id}"
MATCH_ENDPOINT = "/population/v1/match"
PARTY_MEMBERS_ENDPOINT = "/party/v1/members:sync"

_PERSONAL_ID = re.compile(r"[0-9]{12}")


class _UnitResults(BaseModel):
    results: list[UnitResult]


class _RecordResults(BaseModel):
    results: list[RecordResult]


class _MatchResults(BaseModel):
    results: list[MatchResult]


def build_http_client(settings: ApiSettings) -> httpx.Client:
    """Build the httpx client for ``settings``: TLS trust, the mTLS client certificate, the timeout."""
    cafile = str(settings.ca_bundle_path) if settings.ca_bundle_path is not None else None
    context = ssl.create_default_context(cafile=cafile)
    if settings.auth_mode == "mtls" and settings.client_cert_path and settings.client_key_path:
        context.load_cert_chain(settings.client_cert_path, settings.client_key_path)

    # The contracts define no redirects; following one could send credentials elsewhere.
    return httpx.Client(verify=context, timeout=settings.timeout_seconds, follow_redirects=False)


class JsonApiClient:
    """Sends JSON requests to one national API with authentication and retries.

    Transient failures (429, 408, 5xx, timeouts, connection errors) are retried up to
    ``max_attempts`` tries in all, then raised as ``RetriableApiError``. Any other non-2xx
    status raises ``FatalApiError`` at once, except a 401 under OAuth2, which fetches a new
    token and repeats the request once without counting an attempt.
    """

    def __init__(
        self,
        settings: ApiSettings,
        client: httpx.Client | None = None,
        *,
        authenticator: Authenticator | None = None,
        sleep: Callable[[float], None] = time.sleep,
        random_fraction: Callable[[], float] = random.random,
    ) -> None:
        self.settings = settings
        self._owns_client = client is None
        self._client = client if client is not None else build_http_client(settings)
        if authenticator is None:
            authenticator = build_authenticator(settings, self._client)
        self._auth = authenticator
        self._backoff = Backoff(settings.backoff_base_seconds, settings.backoff_max_seconds, random_fraction)
        self._sleep = sleep

    def close(self) -> None:
        """Close the httpx client if this object built it; an injected client is the caller's."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def post[M: BaseModel](self, endpoint: str, body: dict[str, Any], result_model: type[M]) -> M:
        """POST ``body`` to ``endpoint`` and parse the 2xx response into ``result_model``."""
        response = self.send("POST", endpoint, endpoint, body)
        return _parse(endpoint, response, result_model)

    def send(self, method: str, endpoint: str, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        """Send one request, retrying transient failures, and return the 2xx response.

        ``endpoint`` is the path template that errors and logs show. ``path`` is the real path.
        It may contain a personal ID, so it is never logged.
        """
        attempt = 1
        token_refreshed = False
        while True:
            try:
                response = self._send_once(method, endpoint, path, body)
            except RetriableApiError as error:
                failure = error
            else:
                if response.status_code == 401 and not token_refreshed and self._auth.refresh():
                    token_refreshed = True
                    logger.info("national_api_token_refresh", endpoint=endpoint)
                    continue
                outcome = _failure_of(endpoint, response)
                if outcome is None:
                    return response
                failure = outcome

            if attempt >= self.settings.max_attempts:
                raise failure

            delay = self._backoff.delay(attempt, failure.retry_after)
            logger.warning(
                "national_api_retry",
                endpoint=endpoint,
                status=failure.status,
                error_code=failure.error_code,
                attempt=attempt,
                delay_seconds=round(delay, 3),
            )
            self._sleep(delay)
            attempt += 1

    def _send_once(self, method: str, endpoint: str, path: str, body: dict[str, Any] | None) -> httpx.Response:
        headers = {"Accept": "application/json", **self._auth.headers()}
        try:
            return self._client.request(
                method,
                self.settings.base_url + path,
                json=body,
                headers=headers,
                timeout=self.settings.timeout_seconds,
            )
        except httpx.TimeoutException as error:
            raise RetriableApiError(endpoint, None, TIMEOUT) from error
        except httpx.TransportError as error:
            if _is_certificate_error(error):
                raise FatalApiError(endpoint, None, TLS_CERTIFICATE_INVALID) from error
            raise RetriableApiError(endpoint, None, CONNECTION_ERROR) from error


def _is_certificate_error(error: BaseException) -> bool:
    """Return True if the server's certificate failed verification: a setup error no retry fixes."""
    cause: BaseException | None = error
    seen: set[int] = set()
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def _failure_of(endpoint: str, response: httpx.Response) -> RetriableApiError | None:
    """Return None for a 2xx response, the retriable error for a transient one; raise if fatal."""
    outcome = classify_status(response.status_code)
    if outcome is ErrorClass.OK:
        return None

    error_code = _error_code(response)
    if outcome is ErrorClass.FATAL:
        raise FatalApiError(endpoint, response.status_code, error_code)

    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    return RetriableApiError(endpoint, response.status_code, error_code, retry_after)


def _error_code(response: httpx.Response) -> str | None:
    """Return ``error_code`` of a contract error body, or None for another body (a gateway's HTML)."""
    try:
        body = response.json()
    except ValueError:
        return None
    code = body.get("error_code") if isinstance(body, dict) else None
    return code if isinstance(code, str) else None


def _parse[M: BaseModel](endpoint: str, response: httpx.Response, model: type[M]) -> M:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as error:
        raise FatalApiError(endpoint, response.status_code, CONTRACT_VIOLATION) from error


def _require_same_keys(endpoint: str, sent: Sequence[str], received: Sequence[str]) -> None:
    """Raise FatalApiError unless the server returned one result per item, in request order."""
    if list(sent) != list(received):
        raise FatalApiError(endpoint, 200, CONTRACT_VIOLATION)


def _chunks[T](items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class HttpNationalCbccvc:
    """The National Database on CBCCVC over HTTP (``infra/openapi/national-cbccvc.yaml``)."""

    def __init__(self, api: JsonApiClient) -> None:
        self._api = api

    @classmethod
    def from_settings(cls, settings: ApiSettings) -> Self:
        return cls(JsonApiClient(settings))

    def sync_org_units(self, agency_code: str, units: Sequence[OrgUnit]) -> list[UnitResult]:
        """Send the units in requests of at most ``max_records_per_request``, keeping their order.

        A unit's parent must be stored or in the same request, so put parents first.
        """
        results: list[UnitResult] = []
        for chunk in _chunks(units, self._api.settings.max_records_per_request):
            body = {"agency_code": agency_code, "units": [unit.model_dump(mode="json") for unit in chunk]}
            response = self._api.post(ORG_UNITS_ENDPOINT, body, _UnitResults)
            sent = [unit.code for unit in chunk]
            _require_same_keys(ORG_UNITS_ENDPOINT, sent, [result.code for result in response.results])
            results.extend(response.results)
        return results

    def send_profiles(
        self, agency_code: str, batch_id: str, approval: Approval, records: Sequence[ProfileRecord]
    ) -> list[RecordResult]:
        """Send the records in requests of at most ``max_records_per_request``, each with the approval."""
        results: list[RecordResult] = []
        for chunk in _chunks(records, self._api.settings.max_records_per_request):
            body = _profile_body(agency_code, batch_id, approval, chunk)
            response = self._api.post(PROFILES_ENDPOINT, body, _RecordResults)
            _require_same_keys(PROFILES_ENDPOINT, _keys(chunk), [r.idempotency_key for r in response.results])
            results.extend(response.results)
        return results

    def send_test_sync(
        self, agency_code: str, batch_id: str, approval: Approval, records: Sequence[ProfileRecord]
    ) -> PilotResult:
        """Send the records to the test area in one request; the server rejects fewer than 1 or over 10."""
        body = _profile_body(agency_code, batch_id, approval, records)
        pilot = self._api.post(TEST_SYNC_ENDPOINT, body, PilotResult)
        _require_same_keys(TEST_SYNC_ENDPOINT, _keys(records), [r.idempotency_key for r in pilot.results])
        return pilot

    def get_profile(self, personal_id: str) -> StoredProfile | None:
        """Return the last record the national database accepted for ``personal_id``, or None."""
        if not _PERSONAL_ID.fullmatch(personal_id):
            raise ValueError("personal_id must be 12 digits")

        try:
            response = self._api.send("GET", PROFILE_ENDPOINT, f"/cbccvc/v1/profiles/{personal_id}")
        except FatalApiError as error:
            if error.status == 404:
                return None
            raise
        return _parse(PROFILE_ENDPOINT, response, StoredProfile)


def _profile_body(
    agency_code: str, batch_id: str, approval: Approval, records: Sequence[ProfileRecord]
) -> dict[str, Any]:
    return {
        "agency_code": agency_code,
        "batch_id": batch_id,
        "approval": approval.model_dump(mode="json"),
        "records": [record.model_dump(mode="json") for record in records],
    }


def _keys(records: Sequence[ProfileRecord] | Sequence[PartyMemberRecord]) -> list[str]:
    return [record.idempotency_key for record in records]


class HttpPopulationRegistry:
    """The National Population Database's matching service over HTTP (``infra/openapi/population.yaml``)."""

    def __init__(
        self, api: JsonApiClient, caller: PopulationCaller, request_id: Callable[[], str] | None = None
    ) -> None:
        self._api = api
        self._caller = caller
        self._request_id = request_id if request_id is not None else lambda: uuid.uuid4().hex

    @classmethod
    def from_settings(cls, settings: ApiSettings, caller: PopulationCaller) -> Self:
        return cls(JsonApiClient(settings), caller)

    def match(self, people: Sequence[PersonQuery]) -> list[MatchResult]:
        """Match the people in requests of at most ``max_records_per_request``, each with its own id."""
        results: list[MatchResult] = []
        for chunk in _chunks(people, self._api.settings.max_records_per_request):
            body = {
                "request_id": self._request_id(),
                **self._caller.model_dump(),
                "people": [person.model_dump(mode="json") for person in chunk],
            }
            response = self._api.post(MATCH_ENDPOINT, body, _MatchResults)
            _require_same_keys(
                MATCH_ENDPOINT, [p.personal_id for p in chunk], [r.personal_id for r in response.results]
            )
            results.extend(response.results)
        return results


class HttpPartyRegistry:
    """The Party member database over HTTP (``infra/openapi/party.yaml``)."""

    def __init__(self, api: JsonApiClient) -> None:
        self._api = api

    @classmethod
    def from_settings(cls, settings: ApiSettings) -> Self:
        return cls(JsonApiClient(settings))

    def sync_members(self, agency_code: str, records: Sequence[PartyMemberRecord]) -> list[RecordResult]:
        """Send the records in requests of at most ``max_records_per_request``, keeping their order."""
        results: list[RecordResult] = []
        for chunk in _chunks(records, self._api.settings.max_records_per_request):
            records_json = [record.model_dump(mode="json") for record in chunk]
            body = {"agency_code": agency_code, "records": records_json}
            response = self._api.post(PARTY_MEMBERS_ENDPOINT, body, _RecordResults)
            received = [result.idempotency_key for result in response.results]
            _require_same_keys(PARTY_MEMBERS_ENDPOINT, _keys(chunk), received)
            results.extend(response.results)
        return results
