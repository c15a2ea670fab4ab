"""Unit tests of the national API adapters over httpx.MockTransport (no network, no sleeping)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from openapi_spec_validator import validate as validate_openapi
from pydantic import ValidationError

from cbccvc.national.errors import (
    CONNECTION_ERROR,
    CONTRACT_VIOLATION,
    TIMEOUT,
    ErrorClass,
    FatalApiError,
    RetriableApiError,
    classify_status,
)
from cbccvc.national.http import (
    HttpNationalCbccvc,
    HttpPartyRegistry,
    HttpPopulationRegistry,
    JsonApiClient,
)
from cbccvc.national.ports import (
    Approval,
    OrgUnit,
    PartyMemberRecord,
    PersonQuery,
    ProfileRecord,
)
from cbccvc.national.retry import Backoff, parse_retry_after
from cbccvc.national.settings import ApiSettings, PopulationCaller
from cbccvc.observability import SERVICE_NAME
from tests.openapi_contract import load_contract, schema_errors

BASE_URL = "https://national.test"
PERSONAL_ID = "001090012345"

Step = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class ScriptedServer:
    """A MockTransport handler that plays ``steps`` in order and repeats the last one."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, Exception):
            raise step
        if isinstance(step, httpx.Response):
            return step
        return step(request)

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(request.content) for request in self.requests]


class RecordingSleep:
    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def make_settings(**overrides: Any) -> ApiSettings:
    values: dict[str, Any] = {
        "base_url": BASE_URL,
        "auth_mode": "api_key",
        "api_key": "test-key",
        "max_attempts": 4,
        "backoff_base_seconds": 1.0,
        "backoff_max_seconds": 8.0,
        "max_records_per_request": 500,
    }
    values.update(overrides)
    return ApiSettings(**values)


def make_api(server: ScriptedServer, sleep: RecordingSleep, **overrides: Any) -> JsonApiClient:
    client = httpx.Client(transport=httpx.MockTransport(server))
    return JsonApiClient(make_settings(**overrides), client, sleep=sleep, random_fraction=lambda: 1.0)


def accept_all(request: httpx.Request) -> httpx.Response:
    body = json.loads(request.content)
    results = [{"idempotency_key": r["idempotency_key"], "status": "accepted"} for r in body["records"]]
    return httpx.Response(200, json={"results": results})


def error(status: int, code: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json={"error_code": code, "message": "x"}, headers=headers)


def profile(index: int) -> ProfileRecord:
    personal_id = f"{int(PERSONAL_ID) + index:012d}"
    return ProfileRecord(
        idempotency_key=f"key-{index}",
        personal_id=personal_id,
        record_hash=f"{index:064x}",
        data={"personal_id": personal_id, "full_name": "Trần Thị Bình", "birth_date": "1991-02-03"},
    )


APPROVAL = Approval.from_bytes(b'{"batch_id":"b1"}', b"\x30\x82signature")


@pytest.fixture
def retry_log() -> Iterator[list[logging.LogRecord]]:
    records: list[logging.LogRecord] = []

    class ListHandler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = ListHandler()
    target = logging.getLogger(SERVICE_NAME)
    target.addHandler(handler)
    yield records
    target.removeHandler(handler)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (200, ErrorClass.OK),
        (201, ErrorClass.OK),
        (204, ErrorClass.OK),
        (301, ErrorClass.FATAL),
        (400, ErrorClass.FATAL),
        (401, ErrorClass.FATAL),
        (403, ErrorClass.FATAL),
        (404, ErrorClass.FATAL),
        (409, ErrorClass.FATAL),
        (413, ErrorClass.FATAL),
        (422, ErrorClass.FATAL),
        (408, ErrorClass.RETRIABLE),
        (429, ErrorClass.RETRIABLE),
        (500, ErrorClass.RETRIABLE),
        (502, ErrorClass.RETRIABLE),
        (503, ErrorClass.RETRIABLE),
        (504, ErrorClass.RETRIABLE),
    ],
)
def test_classify_status_table(status: int, expected: ErrorClass) -> None:
    assert classify_status(status) is expected


@pytest.mark.parametrize("name", ["national-cbccvc", "population", "party"])
def test_contract_document_valid(name: str) -> None:
    document = load_contract(name)

    validate_openapi(document)
    assert document["openapi"] == "3.1.0"
    assert set(document["components"]["securitySchemes"]) == {"api_key", "oauth2_client_credentials", "mutual_tls"}


def test_backoff_doubles_until_cap() -> None:
    backoff = Backoff(base_seconds=1.0, max_seconds=8.0, random_fraction=lambda: 1.0)

    delays = [backoff.delay(attempt) for attempt in range(1, 7)]

    assert delays == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_backoff_full_jitter_scales_ceiling() -> None:
    backoff = Backoff(base_seconds=1.0, max_seconds=8.0, random_fraction=lambda: 0.25)

    assert backoff.delay(3) == 1.0
    assert backoff.delay(1) == 0.25


def test_backoff_retry_after_wins_and_is_capped() -> None:
    backoff = Backoff(base_seconds=1.0, max_seconds=8.0, random_fraction=lambda: 0.0)

    assert backoff.delay(1, retry_after=5.0) == 5.0
    assert backoff.delay(1, retry_after=120.0) == 8.0


def test_parse_retry_after_forms() -> None:
    now = datetime(2026, 3, 2, 8, 0, 0, tzinfo=UTC)

    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(" 0 ") == 0.0
    assert parse_retry_after("Mon, 02 Mar 2026 08:00:30 GMT", now=lambda: now) == 30.0
    assert parse_retry_after("Mon, 02 Mar 2026 07:59:00 GMT", now=lambda: now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-3") is None
    assert parse_retry_after(None) is None


def test_settings_require_auth_fields() -> None:
    with pytest.raises(ValidationError, match="api_key"):
        ApiSettings(base_url=BASE_URL, auth_mode="api_key")
    with pytest.raises(ValidationError, match="token_url, client_id, client_secret"):
        ApiSettings(base_url=BASE_URL, auth_mode="oauth2_client_credentials")
    with pytest.raises(ValidationError, match="client_cert_path, client_key_path"):
        ApiSettings(base_url=BASE_URL, auth_mode="mtls")


def test_settings_reject_bad_values() -> None:
    with pytest.raises(ValidationError, match="http"):
        make_settings(base_url="national.test")
    with pytest.raises(ValidationError, match="max_attempts"):
        make_settings(max_attempts=0)
    with pytest.raises(ValidationError, match="backoff_max_seconds"):
        make_settings(backoff_base_seconds=5.0, backoff_max_seconds=1.0)
    with pytest.raises(ValidationError, match="max_records_per_request"):
        make_settings(max_records_per_request=0)


def test_settings_strip_trailing_slash() -> None:
    assert make_settings(base_url=BASE_URL + "/").base_url == BASE_URL


def test_retry_on_503_then_success() -> None:
    server = ScriptedServer(error(503, "SERVICE_UNAVAILABLE"), error(503, "SERVICE_UNAVAILABLE"), accept_all)
    sleep = RecordingSleep()
    national = HttpNationalCbccvc(make_api(server, sleep))

    results = national.send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(0)])

    assert [result.status for result in results] == ["accepted"]
    assert len(server.requests) == 3
    assert sleep.delays == [1.0, 2.0]


def test_retry_after_seconds_honoured() -> None:
    server = ScriptedServer(error(429, "RATE_LIMITED", {"Retry-After": "3"}), accept_all)
    sleep = RecordingSleep()
    national = HttpNationalCbccvc(make_api(server, sleep))

    national.send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(0)])

    assert sleep.delays == [3.0]


def test_retry_after_capped_by_backoff_max() -> None:
    server = ScriptedServer(error(503, "SERVICE_UNAVAILABLE", {"Retry-After": "600"}), accept_all)
    sleep = RecordingSleep()
    national = HttpNationalCbccvc(make_api(server, sleep))

    national.send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(0)])

    assert sleep.delays == [8.0]


def test_retry_after_http_date_honoured() -> None:
    # A date already past means "now": the client waits 0 seconds, not the backoff delay.
    header = {"Retry-After": "Thu, 01 Jan 2015 00:00:00 GMT"}
    server = ScriptedServer(error(429, "RATE_LIMITED", header), accept_all)
    sleep = RecordingSleep()
    national = HttpNationalCbccvc(make_api(server, sleep))

    national.send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(0)])

    assert sleep.delays == [0.0]


def test_persistent_500_raises_retriable() -> None:
    server = ScriptedServer(error(500, "INTERNAL_ERROR"))
    sleep = RecordingSleep()
    national = HttpNationalCbccvc(make_api(server, sleep))

    with pytest.raises(RetriableApiError) as raised:
        national.send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(0)])

    assert raised.value.status == 500
    assert raised.value.error_code == "INTERNAL_ERROR"
    assert raised.value.endpoint == "/cbccvc/v1/profiles:batch"
    assert raised.value.retry_after is None
    assert len(server.requests) == 4
    assert sleep.delays == [1.0, 2.0, 4.0]


def test_final_retriable_carries_retry_after() -> None:
    server = ScriptedServer(error(429, "RATE_LIMITED", {"Retry-After": "2"}))
    national = HttpNationalCbccvc(make_api(server, RecordingSleep(), max_attempts=2))

    with pytest.raises(RetriableApiError) as raised:
        national.send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(0)])

    assert raised.value.status == 429
    assert raised.value.retry_after == 2.0


def test_timeout_then_success() -> None:
    server = ScriptedServer(httpx.ReadTimeout("read timed out"), accept_all)
    sleep = RecordingSleep()
    national = HttpNationalCbccvc(make_api(server, sleep))

    results = national.send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(0)])

    assert results[0].status == "accepted"
    assert sleep.delays == [1.0]


def test_persistent_connection_error_raises() -> None:
    server = ScriptedServer(httpx.ConnectError("connection refused"))
    national = HttpNationalCbccvc(make_api(server, RecordingSleep(), max_attempts=3))

    with pytest.raises(RetriableApiError) as raised:
        national.send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(0)])

    assert raised.value.status is None
    assert raised.value.error_code == CONNECTION_ERROR
    assert len(server.requests) == 3


def test_persistent_timeout_raises() -> None:
    server = ScriptedServer(httpx.ConnectTimeout("connect timed out"))
    national = HttpNationalCbccvc(make_api(server, RecordingSleep(), max_attempts=2))

    with pytest.raises(RetriableApiError) as raised:
        national.send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(0)])

    assert raised.value.error_code == TIMEOUT


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (400, "INVALID_JSON"),
        (401, "UNAUTHORIZED"),
        (409, "BATCH_CONFLICT"),
        (413, "TOO_MANY_RECORDS"),
        (422, "FIELD_MISSING"),
    ],
)
def test_fatal_status_not_retried(status: int, code: str) -> None:
    server = ScriptedServer(error(status, code))
    sleep = RecordingSleep()
    national = HttpNationalCbccvc(make_api(server, sleep))

    with pytest.raises(FatalApiError) as raised:
        national.send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(0)])

    assert raised.value.status == status
    assert raised.value.error_code == code
    assert len(server.requests) == 1
    assert sleep.delays == []


def test_gateway_html_error_has_no_code() -> None:
    server = ScriptedServer(httpx.Response(502, text="<html>Bad Gateway</html>"))
    national = HttpNationalCbccvc(make_api(server, RecordingSleep(), max_attempts=1))

    with pytest.raises(RetriableApiError) as raised:
        national.send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(0)])

    assert raised.value.status == 502
    assert raised.value.error_code is None


def test_split_profiles_by_max_records() -> None:
    server = ScriptedServer(accept_all)
    national = HttpNationalCbccvc(make_api(server, RecordingSleep(), max_records_per_request=5))
    records = [profile(index) for index in range(12)]

    results = national.send_profiles("000.00.00.H01", "b1", APPROVAL, records)

    bodies = server.bodies()
    assert [len(body["records"]) for body in bodies] == [5, 5, 2]
    assert [result.idempotency_key for result in results] == [record.idempotency_key for record in records]
    assert {body["batch_id"] for body in bodies} == {"b1"}
    assert all(body["approval"] == APPROVAL.model_dump() for body in bodies)


def test_split_exact_multiple() -> None:
    server = ScriptedServer(accept_all)
    national = HttpNationalCbccvc(make_api(server, RecordingSleep(), max_records_per_request=4))

    national.send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(index) for index in range(8)])

    assert [len(body["records"]) for body in server.bodies()] == [4, 4]


def test_empty_list_sends_nothing() -> None:
    server = ScriptedServer(accept_all)
    national = HttpNationalCbccvc(make_api(server, RecordingSleep()))

    assert national.send_profiles("000.00.00.H01", "b1", APPROVAL, []) == []
    assert national.sync_org_units("000.00.00.H01", []) == []
    assert server.requests == []


def test_test_sync_is_one_request() -> None:
    def pilot(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        results = [{"idempotency_key": r["idempotency_key"], "status": "accepted"} for r in body["records"]]
        return httpx.Response(200, json={"pilot_id": "pilot-1", "results": results})

    server = ScriptedServer(pilot)
    national = HttpNationalCbccvc(make_api(server, RecordingSleep(), max_records_per_request=2))

    outcome = national.send_test_sync("000.00.00.H01", "b1", APPROVAL, [profile(index) for index in range(3)])

    assert outcome.pilot_id == "pilot-1"
    assert len(outcome.results) == 3
    assert len(server.requests) == 1
    assert server.requests[0].url.path == "/cbccvc/v1/test-sync"


def test_profile_request_matches_contract() -> None:
    server = ScriptedServer(accept_all)
    national = HttpNationalCbccvc(make_api(server, RecordingSleep()))

    national.send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(0), profile(1)])

    request = server.requests[0]
    assert request.headers["X-API-Key"] == "test-key"
    assert request.url == f"{BASE_URL}/cbccvc/v1/profiles:batch"
    assert schema_errors("national-cbccvc", "ProfileBatchRequest", server.bodies()[0]) == []


def test_org_unit_request_matches_contract() -> None:
    def unchanged(request: httpx.Request) -> httpx.Response:
        units = json.loads(request.content)["units"]
        return httpx.Response(200, json={"results": [{"code": u["code"], "status": "unchanged"} for u in units]})

    server = ScriptedServer(unchanged)
    national = HttpNationalCbccvc(make_api(server, RecordingSleep()))
    units = [
        OrgUnit(code="H01", name="Sở Nội vụ"),
        OrgUnit(code="H01.1", name="Phòng A", parent_code="H01", commune_code="00004"),
    ]

    results = national.sync_org_units("000.00.00.H01", units)

    assert [result.status for result in results] == ["unchanged", "unchanged"]
    body = server.bodies()[0]
    assert body["units"][0]["parent_code"] is None
    assert schema_errors("national-cbccvc", "OrgUnitSyncRequest", body) == []


def test_population_split_with_fresh_ids() -> None:
    def match_all(request: httpx.Request) -> httpx.Response:
        people = json.loads(request.content)["people"]
        results = [{"personal_id": p["personal_id"], "status": "match", "mismatched_fields": []} for p in people]
        return httpx.Response(200, json={"results": results})

    server = ScriptedServer(match_all)
    ids = iter(["req-1", "req-2", "req-3"])
    caller = PopulationCaller(agency_id="000.00.00.H01", officer_id="officer-7", purpose_code="CBCCVC")
    registry = HttpPopulationRegistry(
        make_api(server, RecordingSleep(), max_records_per_request=2), caller, request_id=lambda: next(ids)
    )
    people = [
        PersonQuery(personal_id=f"00109001234{n}", full_name="Lê Văn C", birth_date=date(1990, 1, n + 1))
        for n in range(5)
    ]

    results = registry.match(people)

    bodies = server.bodies()
    assert [body["request_id"] for body in bodies] == ["req-1", "req-2", "req-3"]
    assert [len(body["people"]) for body in bodies] == [2, 2, 1]
    assert bodies[0]["officer_id"] == "officer-7"
    assert bodies[0]["people"][0]["birth_date"] == "1990-01-01"
    assert [result.personal_id for result in results] == [person.personal_id for person in people]
    assert schema_errors("population", "MatchRequest", bodies[0]) == []


def test_party_request_matches_contract() -> None:
    server = ScriptedServer(accept_all)
    registry = HttpPartyRegistry(make_api(server, RecordingSleep()))
    record = PartyMemberRecord(idempotency_key="p-1", personal_id=PERSONAL_ID, join_date=date(2015, 5, 19))

    results = registry.sync_members("000.00.00.H01", [record])

    assert results[0].status == "accepted"
    body = server.bodies()[0]
    assert body["records"][0]["official_date"] is None
    assert schema_errors("party", "MemberSyncRequest", body) == []


def test_missing_result_is_contract_violation() -> None:
    server = ScriptedServer(httpx.Response(200, json={"results": []}))
    national = HttpNationalCbccvc(make_api(server, RecordingSleep()))

    with pytest.raises(FatalApiError) as raised:
        national.send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(0)])

    assert raised.value.error_code == CONTRACT_VIOLATION


def test_malformed_body_is_contract_violation() -> None:
    server = ScriptedServer(httpx.Response(200, text="OK"))
    national = HttpNationalCbccvc(make_api(server, RecordingSleep()))

    with pytest.raises(FatalApiError) as raised:
        national.send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(0)])

    assert raised.value.error_code == CONTRACT_VIOLATION
    assert len(server.requests) == 1


def test_unknown_status_value_is_contract_violation() -> None:
    body = {"results": [{"idempotency_key": "key-0", "status": "queued"}]}
    server = ScriptedServer(httpx.Response(200, json=body))
    national = HttpNationalCbccvc(make_api(server, RecordingSleep()))

    with pytest.raises(FatalApiError) as raised:
        national.send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(0)])

    assert raised.value.error_code == CONTRACT_VIOLATION


def test_get_profile_not_found_is_none() -> None:
    server = ScriptedServer(error(404, "NOT_FOUND"))
    national = HttpNationalCbccvc(make_api(server, RecordingSleep()))

    assert national.get_profile(PERSONAL_ID) is None
    assert server.requests[0].url.path == f"/cbccvc/v1/profiles/{PERSONAL_ID}"


def test_get_profile_rejects_bad_id() -> None:
    national = HttpNationalCbccvc(make_api(ScriptedServer(accept_all), RecordingSleep()))

    with pytest.raises(ValueError, match="12 digits"):
        national.get_profile("../../admin")


def test_record_model_rejects_bad_id() -> None:
    with pytest.raises(ValidationError, match="personal_id"):
        ProfileRecord(idempotency_key="k", personal_id="12345", record_hash="0" * 64, data={})


def test_retry_log_has_no_personal_data(retry_log: list[logging.LogRecord]) -> None:
    server = ScriptedServer(
        error(503, "SERVICE_UNAVAILABLE"), error(429, "RATE_LIMITED", {"Retry-After": "2"}), accept_all
    )
    national = HttpNationalCbccvc(make_api(server, RecordingSleep()))

    national.send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(0)])

    retries = [record for record in retry_log if record.getMessage() == "national_api_retry"]
    assert [(r.__dict__["status"], r.__dict__["attempt"], r.__dict__["delay_seconds"]) for r in retries] == [
        (503, 1, 1.0),
        (429, 2, 2.0),
    ]
    assert {r.__dict__["endpoint"] for r in retries} == {"/cbccvc/v1/profiles:batch"}
    logged = " ".join(json.dumps(record.__dict__, default=str) for record in retry_log)
    assert PERSONAL_ID not in logged
    assert "Trần" not in logged
    assert "test-key" not in logged


def oauth_settings(**overrides: Any) -> dict[str, Any]:
    return {
        "auth_mode": "oauth2_client_credentials",
        "api_key": None,
        "token_url": "https://auth.test/oauth2/token",
        "client_id": "agency-system",
        "client_secret": "s3cret",
        **overrides,
    }


def test_oauth2_token_fetched_once() -> None:
    token_server = ScriptedServer(
        httpx.Response(200, json={"access_token": "t1", "token_type": "Bearer", "expires_in": 3600})
    )
    api_server = ScriptedServer(accept_all)

    def route(request: httpx.Request) -> httpx.Response:
        return token_server(request) if request.url.host == "auth.test" else api_server(request)

    client = httpx.Client(transport=httpx.MockTransport(route))
    api = JsonApiClient(make_settings(**oauth_settings()), client, sleep=RecordingSleep())
    national = HttpNationalCbccvc(api)

    national.send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(0)])
    national.send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(1)])

    assert len(token_server.requests) == 1
    token_request = token_server.requests[0]
    assert token_request.headers["Authorization"].startswith("Basic ")
    assert token_request.content == b"grant_type=client_credentials"
    assert [r.headers["Authorization"] for r in api_server.requests] == ["Bearer t1", "Bearer t1"]


def test_oauth2_refresh_once_on_401() -> None:
    token_server = ScriptedServer(
        httpx.Response(200, json={"access_token": "old", "token_type": "bearer", "expires_in": 3600}),
        httpx.Response(200, json={"access_token": "new", "token_type": "bearer", "expires_in": 3600}),
    )
    api_server = ScriptedServer(error(401, "UNAUTHORIZED"), accept_all)

    def route(request: httpx.Request) -> httpx.Response:
        return token_server(request) if request.url.host == "auth.test" else api_server(request)

    sleep = RecordingSleep()
    api = JsonApiClient(
        make_settings(**oauth_settings()), httpx.Client(transport=httpx.MockTransport(route)), sleep=sleep
    )

    results = HttpNationalCbccvc(api).send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(0)])

    assert results[0].status == "accepted"
    assert [r.headers["Authorization"] for r in api_server.requests] == ["Bearer old", "Bearer new"]
    assert sleep.delays == []


def test_oauth2_second_401_is_fatal() -> None:
    token_server = ScriptedServer(httpx.Response(200, json={"access_token": "t", "token_type": "Bearer"}))
    api_server = ScriptedServer(error(401, "UNAUTHORIZED"))

    def route(request: httpx.Request) -> httpx.Response:
        return token_server(request) if request.url.host == "auth.test" else api_server(request)

    api = JsonApiClient(
        make_settings(**oauth_settings()), httpx.Client(transport=httpx.MockTransport(route)), sleep=RecordingSleep()
    )

    with pytest.raises(FatalApiError) as raised:
        HttpNationalCbccvc(api).send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(0)])

    assert raised.value.status == 401
    assert len(api_server.requests) == 2
    assert len(token_server.requests) == 2


def test_oauth2_bad_client_is_fatal() -> None:
    token_server = ScriptedServer(httpx.Response(401, json={"error": "invalid_client"}))
    api = JsonApiClient(
        make_settings(**oauth_settings()),
        httpx.Client(transport=httpx.MockTransport(token_server)),
        sleep=RecordingSleep(),
    )

    with pytest.raises(FatalApiError) as raised:
        HttpNationalCbccvc(api).send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(0)])

    assert raised.value.endpoint == "oauth2_token"
    assert raised.value.error_code == "invalid_client"


def test_oauth2_token_outage_is_retried() -> None:
    token_server = ScriptedServer(
        httpx.Response(503),
        httpx.Response(200, json={"access_token": "t", "token_type": "Bearer", "expires_in": 60}),
    )
    api_server = ScriptedServer(accept_all)

    def route(request: httpx.Request) -> httpx.Response:
        return token_server(request) if request.url.host == "auth.test" else api_server(request)

    sleep = RecordingSleep()
    api = JsonApiClient(
        make_settings(**oauth_settings()),
        httpx.Client(transport=httpx.MockTransport(route)),
        sleep=sleep,
        random_fraction=lambda: 1.0,
    )

    results = HttpNationalCbccvc(api).send_profiles("000.00.00.H01", "b1", APPROVAL, [profile(0)])

    assert results[0].status == "accepted"
    assert sleep.delays == [1.0]
    assert len(token_server.requests) == 2
