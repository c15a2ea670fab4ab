"""The national API adapters against the real emulator over loopback HTTP (and HTTPS for mTLS)."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from ipaddress import IPv4Address
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from cbccvc.national.errors import (
    CONNECTION_ERROR,
    TLS_CERTIFICATE_INVALID,
    FatalApiError,
    RetriableApiError,
)
from cbccvc.national.http import HttpNationalCbccvc, HttpPartyRegistry, HttpPopulationRegistry, JsonApiClient
from cbccvc.national.ports import Approval, OrgUnit, PartyMemberRecord, PersonQuery, ProfileRecord
from cbccvc.national.settings import ApiSettings, PopulationCaller
from cbccvc_local.emulator import Emulator, TlsConfig
from tests.openapi_contract import schema_errors

pytestmark = pytest.mark.integration

API_KEY = "emulator-test-key"
AGENCY = "000.00.00.H26"
OAUTH_CLIENT = ("agency-system", "client-secret-1")

POPULATION = [
    {"personal_id": "026090000001", "full_name": "Nguyễn Văn An", "birth_date": "1990-04-12", "gender": "male"},
    {"personal_id": "026185000002", "full_name": "Trần Thị Bình", "birth_date": "1985-11-30", "gender": "female"},
    {"personal_id": "026078000003", "full_name": "Lê Hoàng Cường", "birth_date": "1978-01-05", "gender": "male"},
]


class RecordingSleep:
    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(API_KEY, population=POPULATION, oauth2_clients=dict([OAUTH_CLIENT])) as running:
        yield running


@pytest.fixture(autouse=True)
def clean_emulator(emulator: Emulator) -> None:
    emulator.reset(keep_population=True)


def make_api(url: str, sleep: RecordingSleep | None = None, **overrides: Any) -> JsonApiClient:
    values: dict[str, Any] = {
        "base_url": url,
        "auth_mode": "api_key",
        "api_key": API_KEY,
        "timeout_seconds": 5.0,
        "max_attempts": 4,
        "backoff_base_seconds": 0.01,
        "backoff_max_seconds": 2.0,
    }
    values.update(overrides)
    return JsonApiClient(ApiSettings(**values), sleep=sleep or RecordingSleep(), random_fraction=lambda: 1.0)


def profile(index: int, version: int = 0) -> ProfileRecord:
    personal_id = f"0260900{index:05d}"
    record_hash = f"{version:08x}{index:056x}"
    return ProfileRecord(
        idempotency_key=f"b1:{record_hash}",
        personal_id=personal_id,
        record_hash=record_hash,
        data={"personal_id": personal_id, "full_name": "Phạm Thu Hà", "birth_date": "1992-07-08", "version": version},
    )


def approval(manifest: bytes = b'{"batch_id":"b1","records":3}') -> Approval:
    return Approval.from_bytes(manifest, b"0\x82\x01\x00detached-cms")


def fault(**rule: Any) -> list[dict[str, Any]]:
    return [rule]


def statuses(emulator: Emulator, path: str) -> list[tuple[int | None, str | None]]:
    return [(r["status"], r["fault"]) for r in emulator.state()["requests"] if r["path"] == path]


PROFILES_PATH = "/cbccvc/v1/profiles:batch"


def test_org_units_accepted_then_unchanged(emulator: Emulator) -> None:
    national = HttpNationalCbccvc(make_api(emulator.url))
    units = [
        OrgUnit(code="H26", name="UBND tỉnh Vĩnh Phúc"),
        OrgUnit(code="H26.01", name="Sở Nội vụ", parent_code="H26", commune_code="08866"),
    ]

    first = national.sync_org_units(AGENCY, units)
    second = national.sync_org_units(AGENCY, units)

    assert [r.status for r in first] == ["accepted", "accepted"]
    assert [r.status for r in second] == ["unchanged", "unchanged"]
    assert emulator.state()["counts"]["org_units"] == 2


def test_org_unit_unknown_parent_rejected(emulator: Emulator) -> None:
    national = HttpNationalCbccvc(make_api(emulator.url))
    units = [OrgUnit(code="X1", name="Phòng X", parent_code="MISSING"), OrgUnit(code="X2", name="Y", parent_code="X2")]

    results = national.sync_org_units(AGENCY, units)

    assert [(r.status, r.error_code) for r in results] == [
        ("rejected", "PARENT_NOT_FOUND"),
        ("rejected", "INVALID_PARENT"),
    ]


def test_profiles_happy_path(emulator: Emulator) -> None:
    national = HttpNationalCbccvc(make_api(emulator.url))
    records = [profile(index) for index in range(3)]

    results = national.send_profiles(AGENCY, "b1", approval(), records)

    assert [r.status for r in results] == ["accepted"] * 3
    state = emulator.state()
    assert state["counts"]["profiles"] == 3
    assert [p["personal_id"] for p in state["profiles"]] == [r.personal_id for r in records]
    assert all(p["approval_present"] and p["batch_id"] == "b1" for p in state["profiles"])
    assert state["approvals"][0]["approval"]["signature_b64"] == approval().signature_b64
    assert state["approvals"][0]["verdict"] is None


def test_profiles_replay_is_duplicate(emulator: Emulator) -> None:
    national = HttpNationalCbccvc(make_api(emulator.url))
    records = [profile(index) for index in range(3)]
    national.send_profiles(AGENCY, "b1", approval(), records)

    replay = national.send_profiles(AGENCY, "b1", approval(), records)

    assert [r.status for r in replay] == ["duplicate"] * 3
    assert emulator.state()["counts"]["profiles"] == 3


def test_profiles_key_conflict_rejected(emulator: Emulator) -> None:
    national = HttpNationalCbccvc(make_api(emulator.url))
    original = profile(0)
    national.send_profiles(AGENCY, "b1", approval(), [original])
    changed = original.model_copy(update={"record_hash": "f" * 64})

    results = national.send_profiles(AGENCY, "b1", approval(), [changed, changed])

    assert [(r.status, r.error_code) for r in results] == [
        ("rejected", "IDEMPOTENCY_KEY_CONFLICT"),
        ("rejected", "DUPLICATE_KEY_IN_REQUEST"),
    ]


def test_get_profile_returns_latest(emulator: Emulator) -> None:
    national = HttpNationalCbccvc(make_api(emulator.url))
    national.send_profiles(AGENCY, "b1", approval(), [profile(0, version=1)])
    national.send_profiles(AGENCY, "b1", approval(), [profile(0, version=2)])

    stored = national.get_profile(profile(0).personal_id)

    assert stored is not None
    assert stored.record_hash == profile(0, version=2).record_hash
    assert stored.data["version"] == 2
    assert national.get_profile("026099999999") is None


def test_rate_limit_then_success(emulator: Emulator) -> None:
    emulator.add_faults(fault(path_prefix=PROFILES_PATH, kind="status", status=429, retry_after=1, count=1))
    sleep = RecordingSleep()
    national = HttpNationalCbccvc(make_api(emulator.url, sleep))

    results = national.send_profiles(AGENCY, "b1", approval(), [profile(0)])

    assert results[0].status == "accepted"
    assert sleep.delays == [1.0]
    assert statuses(emulator, PROFILES_PATH) == [(429, "status"), (200, None)]


def test_503_then_success(emulator: Emulator) -> None:
    emulator.add_faults(fault(path_prefix="/cbccvc/", kind="status", status=503, count=2))
    sleep = RecordingSleep()
    national = HttpNationalCbccvc(make_api(emulator.url, sleep))

    results = national.send_profiles(AGENCY, "b1", approval(), [profile(0)])

    assert results[0].status == "accepted"
    assert sleep.delays == [0.01, 0.02]
    assert statuses(emulator, PROFILES_PATH) == [(503, "status"), (503, "status"), (200, None)]


def test_timeout_then_success(emulator: Emulator) -> None:
    emulator.add_faults(fault(path_prefix=PROFILES_PATH, kind="timeout", delay_seconds=5, count=1))
    national = HttpNationalCbccvc(make_api(emulator.url, timeout_seconds=0.5))

    results = national.send_profiles(AGENCY, "b1", approval(), [profile(0)])

    assert results[0].status == "accepted"
    assert statuses(emulator, PROFILES_PATH) == [(None, "timeout"), (200, None)]
    assert emulator.state()["counts"]["profiles"] == 1


def test_dropped_connection_then_success(emulator: Emulator) -> None:
    emulator.add_faults(fault(path_prefix=PROFILES_PATH, kind="drop", count=1))
    national = HttpNationalCbccvc(make_api(emulator.url))

    results = national.send_profiles(AGENCY, "b1", approval(), [profile(0)])

    assert results[0].status == "accepted"
    assert statuses(emulator, PROFILES_PATH) == [(None, "drop"), (200, None)]


def test_latency_fault_still_served(emulator: Emulator) -> None:
    emulator.add_faults(fault(path_prefix=PROFILES_PATH, kind="latency", delay_seconds=0.2))
    national = HttpNationalCbccvc(make_api(emulator.url))

    results = national.send_profiles(AGENCY, "b1", approval(), [profile(0)])

    assert results[0].status == "accepted"
    assert statuses(emulator, PROFILES_PATH) == [(200, "latency")]


def test_persistent_500_raises_retriable(emulator: Emulator) -> None:
    emulator.add_faults(fault(path_prefix=PROFILES_PATH, kind="status", status=500, count=10))
    national = HttpNationalCbccvc(make_api(emulator.url, max_attempts=3))

    with pytest.raises(RetriableApiError) as raised:
        national.send_profiles(AGENCY, "b1", approval(), [profile(0)])

    assert raised.value.status == 500
    assert raised.value.error_code == "INTERNAL_ERROR"
    assert statuses(emulator, PROFILES_PATH) == [(500, "status")] * 3
    assert emulator.state()["counts"]["profiles"] == 0


def test_wrong_key_is_fatal_401(emulator: Emulator) -> None:
    national = HttpNationalCbccvc(make_api(emulator.url, api_key="wrong-key"))

    with pytest.raises(FatalApiError) as raised:
        national.send_profiles(AGENCY, "b1", approval(), [profile(0)])

    assert raised.value.status == 401
    assert raised.value.error_code == "UNAUTHORIZED"
    assert statuses(emulator, PROFILES_PATH) == [(401, None)]


def test_test_sync_eleven_records_422(emulator: Emulator) -> None:
    national = HttpNationalCbccvc(make_api(emulator.url))

    with pytest.raises(FatalApiError) as raised:
        national.send_test_sync(AGENCY, "b1", approval(), [profile(index) for index in range(11)])

    assert raised.value.status == 422
    assert raised.value.error_code == "RECORD_COUNT_OUT_OF_RANGE"
    assert emulator.state()["counts"]["pilots"] == 0


def test_test_sync_uses_separate_area(emulator: Emulator) -> None:
    national = HttpNationalCbccvc(make_api(emulator.url))

    pilot = national.send_test_sync(AGENCY, "b1", approval(), [profile(index) for index in range(10)])

    assert pilot.pilot_id
    assert [r.status for r in pilot.results] == ["accepted"] * 10
    state = emulator.state()
    assert state["counts"]["test_profiles"] == 10
    assert state["counts"]["profiles"] == 0
    assert state["pilots"][0]["pilot_id"] == pilot.pilot_id
    assert len(state["pilots"][0]["records"]) == 10
    assert national.get_profile(profile(0).personal_id) is None


def test_population_match_statuses(emulator: Emulator) -> None:
    caller = PopulationCaller(agency_id=AGENCY, officer_id="hr-officer-1", purpose_code="CBCCVC_SYNC")
    registry = HttpPopulationRegistry(make_api(emulator.url), caller)
    people = [
        PersonQuery(personal_id="026090000001", full_name="  NGUYỄN   văn an ", birth_date=date(1990, 4, 12)),
        PersonQuery(personal_id="026185000002", full_name="Tran Thi Binh", birth_date=date(1985, 11, 30)),
        PersonQuery(personal_id="026078000003", full_name="Lê Hoàng Cường", birth_date=date(1978, 1, 6)),
        PersonQuery(personal_id="026090000001", full_name="Nguyễn Văn Ân", birth_date=date(1990, 4, 13)),
        PersonQuery(personal_id="026099999999", full_name="Đỗ Minh Đức", birth_date=date(1999, 9, 9)),
    ]

    results = registry.match(people)

    assert [(r.status, r.mismatched_fields) for r in results] == [
        ("match", []),
        ("mismatch", ["full_name"]),
        ("mismatch", ["birth_date"]),
        ("mismatch", ["full_name", "birth_date"]),
        ("not_found", []),
    ]


def test_population_decomposed_name_matches(emulator: Emulator) -> None:
    # The same name in NFD (combining marks), as some HR exports write it.
    caller = PopulationCaller(agency_id=AGENCY, officer_id="hr-officer-1", purpose_code="CBCCVC_SYNC")
    registry = HttpPopulationRegistry(make_api(emulator.url), caller)
    name = unicodedata.normalize("NFD", "Lê Hoàng Cường")

    results = registry.match([PersonQuery(personal_id="026078000003", full_name=name, birth_date=date(1978, 1, 5))])

    assert results[0].status == "match"


def test_party_sync_statuses(emulator: Emulator) -> None:
    registry = HttpPartyRegistry(make_api(emulator.url))
    joined = PartyMemberRecord(
        idempotency_key="p-1",
        personal_id="026090000001",
        join_date=date(2015, 5, 19),
        official_date=date(2016, 5, 19),
        card_number="12345678",
    )
    backwards = PartyMemberRecord(
        idempotency_key="p-2", personal_id="026185000002", join_date=date(2018, 3, 1), official_date=date(2017, 3, 1)
    )

    first = registry.sync_members(AGENCY, [joined, backwards])
    replay = registry.sync_members(AGENCY, [joined])
    conflict = registry.sync_members(AGENCY, [joined.model_copy(update={"card_number": "99999999"})])

    assert [(r.status, r.error_code) for r in first] == [("accepted", None), ("rejected", "INVALID_DATES")]
    assert replay[0].status == "duplicate"
    assert (conflict[0].status, conflict[0].error_code) == ("rejected", "IDEMPOTENCY_KEY_CONFLICT")
    assert emulator.state()["counts"]["party_records"] == 1


def test_split_against_server_limit() -> None:
    with Emulator(API_KEY, max_records_per_request=5) as small:
        national = HttpNationalCbccvc(make_api(small.url, max_records_per_request=5))

        results = national.send_profiles(AGENCY, "b1", approval(), [profile(index) for index in range(12)])

        assert len(results) == 12
        assert statuses(small, PROFILES_PATH) == [(200, None)] * 3
        assert small.state()["counts"]["profiles"] == 12


def test_over_server_limit_is_413() -> None:
    with Emulator(API_KEY, max_records_per_request=5) as small:
        national = HttpNationalCbccvc(make_api(small.url, max_records_per_request=10))

        with pytest.raises(FatalApiError) as raised:
            national.send_profiles(AGENCY, "b1", approval(), [profile(index) for index in range(6)])

        assert raised.value.status == 413
        assert raised.value.error_code == "TOO_MANY_RECORDS"


def test_batch_id_with_other_approval_409(emulator: Emulator) -> None:
    national = HttpNationalCbccvc(make_api(emulator.url))
    national.send_profiles(AGENCY, "b1", approval(b"manifest-1"), [profile(0)])

    with pytest.raises(FatalApiError) as raised:
        national.send_profiles(AGENCY, "b1", approval(b"manifest-2"), [profile(1)])

    assert raised.value.status == 409
    assert raised.value.error_code == "BATCH_CONFLICT"


def test_approval_verifier_hook() -> None:
    def verify(approval_object: dict[str, Any]) -> str | None:
        signature = base64.b64decode(approval_object["signature_b64"])
        return "APPROVAL_INVALID" if signature == b"forged" else None

    with Emulator(API_KEY, approval_verifier=verify) as verifying:
        national = HttpNationalCbccvc(make_api(verifying.url))
        forged = Approval.from_bytes(b"manifest", b"forged")

        with pytest.raises(FatalApiError) as raised:
            national.send_profiles(AGENCY, "b1", forged, [profile(0)])
        accepted = national.send_profiles(AGENCY, "b2", approval(), [profile(0)])

        assert (raised.value.status, raised.value.error_code) == (422, "APPROVAL_INVALID")
        assert accepted[0].status == "accepted"
        assert [a["verdict"] for a in verifying.state()["approvals"]] == ["APPROVAL_INVALID", None]


def raw_client(emulator: Emulator) -> httpx.Client:
    return httpx.Client(base_url=emulator.url, headers={"X-API-Key": API_KEY}, timeout=5.0)


def valid_profile_body() -> dict[str, Any]:
    return {
        "agency_code": AGENCY,
        "batch_id": "b1",
        "approval": approval().model_dump(),
        "records": [profile(0).model_dump(mode="json")],
    }


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        (lambda body: body.pop("approval"), 422, "APPROVAL_MISSING"),
        (lambda body: body.update(approval=None), 422, "APPROVAL_MISSING"),
        (lambda body: body.pop("batch_id"), 422, "FIELD_MISSING"),
        (lambda body: body.update(extra=1), 422, "FIELD_UNKNOWN"),
        (lambda body: body["records"][0].update(personal_id="12345"), 422, "FIELD_INVALID"),
        (lambda body: body["records"][0].update(record_hash="XYZ"), 422, "FIELD_INVALID"),
        (lambda body: body["records"][0]["data"].update(nested={"a": 1}), 422, "FIELD_INVALID"),
        (lambda body: body["approval"].update(signature_b64="not base64!"), 422, "FIELD_INVALID"),
        (lambda body: body.update(records=[]), 422, "FIELD_INVALID"),
    ],
)
def test_profile_request_validation(emulator: Emulator, change: Any, status: int, code: str) -> None:
    body = valid_profile_body()
    change(body)

    with raw_client(emulator) as client:
        response = client.post(PROFILES_PATH, json=body)

    assert response.status_code == status
    assert response.json()["error_code"] == code
    assert schema_errors("national-cbccvc", "Error", response.json()) == []
    assert emulator.state()["counts"]["profiles"] == 0


def test_invalid_json_is_400(emulator: Emulator) -> None:
    with raw_client(emulator) as client:
        broken = client.post(PROFILES_PATH, content=b"{", headers={"Content-Type": "application/json"})
        array = client.post(PROFILES_PATH, json=[1, 2])

    assert (broken.status_code, broken.json()["error_code"]) == (400, "INVALID_JSON")
    assert (array.status_code, array.json()["error_code"]) == (400, "INVALID_BODY")


def test_unknown_path_and_method(emulator: Emulator) -> None:
    with raw_client(emulator) as client:
        missing = client.post("/cbccvc/v2/anything", json={})
        wrong_method = client.get(PROFILES_PATH)

    assert missing.status_code == 404
    assert wrong_method.status_code == 405


def test_population_date_validation(emulator: Emulator) -> None:
    body = {
        "request_id": "r-1",
        "agency_id": AGENCY,
        "officer_id": "o-1",
        "purpose_code": "P",
        "people": [{"personal_id": "026090000001", "full_name": "Nguyễn Văn An", "birth_date": "1990-02-30"}],
    }

    with raw_client(emulator) as client:
        response = client.post("/population/v1/match", json=body)

    assert (response.status_code, response.json()["error_code"]) == (422, "FIELD_INVALID")


def test_responses_match_contract(emulator: Emulator) -> None:
    match_body = {
        "request_id": "r-1",
        "agency_id": AGENCY,
        "officer_id": "o-1",
        "purpose_code": "P",
        "people": [{"personal_id": "026090000001", "full_name": "Nguyễn Văn An", "birth_date": "1990-04-12"}],
    }
    units_body = {
        "agency_code": AGENCY,
        "units": [{"code": "A", "name": "A", "parent_code": None, "commune_code": None}],
    }
    party_body = {
        "agency_code": AGENCY,
        "records": [
            {
                "idempotency_key": "k",
                "personal_id": "026090000001",
                "join_date": "2015-01-01",
                "official_date": None,
                "card_number": None,
            }
        ],
    }

    with raw_client(emulator) as client:
        profiles = client.post(PROFILES_PATH, json=valid_profile_body())
        stored = client.get(f"/cbccvc/v1/profiles/{profile(0).personal_id}")
        pilot = client.post("/cbccvc/v1/test-sync", json=valid_profile_body())
        units = client.post("/cbccvc/v1/org-units:sync", json=units_body)
        matched = client.post("/population/v1/match", json=match_body)
        party = client.post("/party/v1/members:sync", json=party_body)

    assert schema_errors("national-cbccvc", "ProfileBatchRequest", valid_profile_body()) == []
    assert schema_errors("national-cbccvc", "RecordResultList", profiles.json()) == []
    assert schema_errors("national-cbccvc", "StoredProfile", stored.json()) == []
    assert schema_errors("national-cbccvc", "PilotResponse", pilot.json()) == []
    assert schema_errors("national-cbccvc", "OrgUnitSyncResponse", units.json()) == []
    assert schema_errors("population", "MatchResponse", matched.json()) == []
    assert schema_errors("party", "RecordResultList", party.json()) == []


def test_fault_rules_via_http(emulator: Emulator) -> None:
    with httpx.Client(base_url=emulator.url) as control:
        bad = control.post("/_emulator/faults", json=[{"path_prefix": "/x", "kind": "status"}])
        unknown = control.post("/_emulator/faults", json=[{"path_prefix": "/x", "kind": "explode"}])
        added = control.post("/_emulator/faults", json=[{"path_prefix": "/x", "kind": "drop", "count": 2}])
        listed = control.get("/_emulator/state").json()["faults"]
        cleared = control.delete("/_emulator/faults")

    assert (bad.status_code, bad.json()["error_code"]) == (422, "FIELD_MISSING")
    assert (unknown.status_code, unknown.json()["error_code"]) == (422, "FIELD_INVALID")
    assert added.json() == {"active_faults": 1}
    assert listed[0]["count"] == 2
    assert cleared.json() == {"active_faults": 0}
    assert emulator.state()["faults"] == []


def test_population_seed_via_http(emulator: Emulator) -> None:
    extra = {"personal_id": "026001000009", "full_name": "Vũ Thị Hoa", "birth_date": "2001-01-01", "gender": "female"}

    with httpx.Client(base_url=emulator.url) as control:
        appended = control.post("/_emulator/population", json={"people": [extra], "mode": "append"})
        invalid = control.post("/_emulator/population", json={"people": [{"personal_id": "1"}]})
        replaced = control.post("/_emulator/population", json=POPULATION)

    assert appended.json() == {"population": len(POPULATION) + 1}
    assert invalid.status_code == 422
    assert replaced.json() == {"population": len(POPULATION)}


def test_reset_via_http(emulator: Emulator) -> None:
    HttpNationalCbccvc(make_api(emulator.url)).send_profiles(AGENCY, "b1", approval(), [profile(0)])

    with httpx.Client(base_url=emulator.url) as control:
        response = control.post("/_emulator/reset")

    assert response.json()["kept_population"] is True
    counts = emulator.state()["counts"]
    assert counts["profiles"] == 0
    assert counts["requests"] == 0
    assert counts["population"] == len(POPULATION)


def test_oauth2_refresh_after_revoke(emulator: Emulator) -> None:
    api = make_api(
        emulator.url,
        auth_mode="oauth2_client_credentials",
        api_key=None,
        token_url=f"{emulator.url}/oauth2/token",
        client_id=OAUTH_CLIENT[0],
        client_secret=OAUTH_CLIENT[1],
    )
    national = HttpNationalCbccvc(api)
    national.send_profiles(AGENCY, "b1", approval(), [profile(0)])

    with httpx.Client(base_url=emulator.url) as control:
        control.delete("/_emulator/tokens")
    results = national.send_profiles(AGENCY, "b1", approval(), [profile(1)])

    assert results[0].status == "accepted"
    assert statuses(emulator, "/oauth2/token") == [(200, None), (200, None)]
    assert statuses(emulator, PROFILES_PATH) == [(200, None), (401, None), (200, None)]


def test_oauth2_wrong_secret_fatal(emulator: Emulator) -> None:
    api = make_api(
        emulator.url,
        auth_mode="oauth2_client_credentials",
        api_key=None,
        token_url=f"{emulator.url}/oauth2/token",
        client_id=OAUTH_CLIENT[0],
        client_secret="wrong",
    )

    with pytest.raises(FatalApiError) as raised:
        HttpNationalCbccvc(api).send_profiles(AGENCY, "b1", approval(), [profile(0)])

    assert (raised.value.status, raised.value.error_code) == (401, "invalid_client")


@dataclass(frozen=True)
class Pki:
    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path
    other_ca: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _issue(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: str,
    issuer_key: ec.EllipticCurvePrivateKey,
    *,
    is_ca: bool,
    usage: x509.ObjectIdentifier | None = None,
    ip: str | None = None,
) -> x509.Certificate:
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
    )
    if usage is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    if ip is not None:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(IPv4Address(ip))]), critical=False)
    if is_ca:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _write(path: Path, certificate: x509.Certificate, key: ec.EllipticCurvePrivateKey | None = None) -> None:
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    if key is not None:
        path.with_suffix(".key").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    folder = tmp_path_factory.mktemp("pki")
    ca_key, other_key, server_key, client_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(4))
    ca = _issue("Test CA", ca_key, "Test CA", ca_key, is_ca=True)
    other = _issue("Other CA", other_key, "Other CA", other_key, is_ca=True)
    server = _issue(
        "127.0.0.1", server_key, "Test CA", ca_key, is_ca=False, usage=ExtendedKeyUsageOID.SERVER_AUTH, ip="127.0.0.1"
    )
    client = _issue("agency-system", client_key, "Test CA", ca_key, is_ca=False, usage=ExtendedKeyUsageOID.CLIENT_AUTH)
    _write(folder / "ca.pem", ca)
    _write(folder / "other-ca.pem", other)
    _write(folder / "server.pem", server, server_key)
    _write(folder / "client.pem", client, client_key)
    return Pki(
        folder / "ca.pem",
        folder / "server.pem",
        folder / "server.key",
        folder / "client.pem",
        folder / "client.key",
        folder / "other-ca.pem",
    )


def test_mtls_client_certificate(pki: Pki) -> None:
    tls = TlsConfig(pki.server_cert, pki.server_key, client_ca_path=pki.ca)
    with Emulator(API_KEY, tls=tls) as secure:
        api = make_api(
            secure.url,
            auth_mode="mtls",
            api_key=None,
            client_cert_path=pki.client_cert,
            client_key_path=pki.client_key,
            ca_bundle_path=pki.ca,
        )

        results = HttpNationalCbccvc(api).send_profiles(AGENCY, "b1", approval(), [profile(0)])

        assert secure.url.startswith("https://")
        assert results[0].status == "accepted"


def test_mtls_without_certificate_fails(pki: Pki) -> None:
    tls = TlsConfig(pki.server_cert, pki.server_key, client_ca_path=pki.ca)
    with Emulator(API_KEY, tls=tls) as secure:
        # An API key alone does not pass a server that requires client certificates.
        api = make_api(secure.url, ca_bundle_path=pki.ca, max_attempts=1)

        with pytest.raises(RetriableApiError) as raised:
            HttpNationalCbccvc(api).send_profiles(AGENCY, "b1", approval(), [profile(0)])

        assert raised.value.error_code == CONNECTION_ERROR
        assert secure.state()["counts"]["profiles"] == 0


def test_untrusted_server_is_fatal(pki: Pki) -> None:
    with Emulator(API_KEY, tls=TlsConfig(pki.server_cert, pki.server_key)) as secure:
        api = make_api(secure.url, ca_bundle_path=pki.other_ca)

        with pytest.raises(FatalApiError) as raised:
            HttpNationalCbccvc(api).send_profiles(AGENCY, "b1", approval(), [profile(0)])

        assert raised.value.error_code == TLS_CERTIFICATE_INVALID


def test_state_file_survives_restart(tmp_path: Path) -> None:
    state_file = tmp_path / "emulator-state.json"
    with Emulator(API_KEY, population=POPULATION, state_path=state_file) as first:
        HttpNationalCbccvc(make_api(first.url)).send_profiles(AGENCY, "b1", approval(), [profile(0), profile(1)])

    with Emulator(API_KEY, state_path=state_file) as second:
        replay = HttpNationalCbccvc(make_api(second.url)).send_profiles(AGENCY, "b1", approval(), [profile(0)])
        counts = second.state()["counts"]

    assert replay[0].status == "duplicate"
    assert counts["profiles"] == 2
    assert counts["population"] == len(POPULATION)
    assert json.loads(state_file.read_text(encoding="utf-8"))["profiles"]["entries"][0]["batch_id"] == "b1"


def test_cli_prints_url(tmp_path: Path) -> None:
    population_file = tmp_path / "population.json"
    population_file.write_text(json.dumps(POPULATION, ensure_ascii=False), encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "cbccvc_local.emulator",
        "--port",
        "0",
        "--api-key",
        API_KEY,
        "--population",
        str(population_file),
    ]

    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    try:
        assert process.stdout is not None
        url = json.loads(process.stdout.readline())["url"]
        with httpx.Client(base_url=url, timeout=5.0) as client:
            health = client.get("/_emulator/health")
            counts = client.get("/_emulator/state").json()["counts"]
    finally:
        process.terminate()
        exit_code = process.wait(timeout=10)

    assert url.startswith("http://127.0.0.1:")
    assert health.json() == {"status": "ok"}
    assert counts["population"] == len(POPULATION)
    assert exit_code == 0
