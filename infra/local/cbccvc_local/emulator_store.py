"""State and acceptance rules of the emulated national APIs.

Requests reach these methods already validated against the schemas in ``emulator_schema``.
Every method takes the store's lock, so the threaded HTTP server can call them concurrently.
The whole state is plain JSON data (``dump``/``load``) so it can be saved to a state file.
"""

from __future__ import annotations

import hashlib
import threading
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

ACCEPTED = "accepted"
DUPLICATE = "duplicate"
REJECTED = "rejected"
UNCHANGED = "unchanged"

# Per-record rejection codes of the contracts.
DUPLICATE_KEY_IN_REQUEST = "DUPLICATE_KEY_IN_REQUEST"
IDEMPOTENCY_KEY_CONFLICT = "IDEMPOTENCY_KEY_CONFLICT"
PERSONAL_ID_MISMATCH = "PERSONAL_ID_MISMATCH"
INVALID_DATES = "INVALID_DATES"
PARENT_NOT_FOUND = "PARENT_NOT_FOUND"
INVALID_PARENT = "INVALID_PARENT"
DUPLICATE_CODE_IN_REQUEST = "DUPLICATE_CODE_IN_REQUEST"

_REJECTION_MESSAGES = {
    DUPLICATE_KEY_IN_REQUEST: "idempotency_key appears more than once in this request",
    IDEMPOTENCY_KEY_CONFLICT: "idempotency_key was accepted before with other content",
    PERSONAL_ID_MISMATCH: "data.personal_id differs from personal_id",
    INVALID_DATES: "official_date is before join_date",
}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def normalise_name(name: str) -> str:
    """Fold a full name for matching: NFC, single spaces, case-folded; diacritics are kept."""
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def _rejected(key: str, code: str) -> dict[str, Any]:
    return {
        "idempotency_key": key,
        "status": REJECTED,
        "error_code": code,
        "message": _REJECTION_MESSAGES[code],
    }


class ProfileArea:
    """Accepted profile records of one area: production, or the separate test-sync area."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []
        self.by_key: dict[tuple[str, str], dict[str, Any]] = {}
        self.latest: dict[str, dict[str, Any]] = {}
        # (agency_code, batch_id) → SHA-256 of the approval's manifest_b64, to detect a batch id
        # reused with another approval.
        self.batches: dict[tuple[str, str], str] = {}

    def batch_conflicts(self, agency_code: str, batch_id: str, manifest_b64: str) -> bool:
        """Register the batch's manifest; return True if the batch id came before with another one."""
        digest = hashlib.sha256(manifest_b64.encode("ascii")).hexdigest()
        known = self.batches.setdefault((agency_code, batch_id), digest)
        return known != digest

    def store(
        self, agency_code: str, batch_id: str, records: list[dict[str, Any]], approval_present: bool
    ) -> list[dict[str, Any]]:
        """Apply the idempotency rules to each record and store the accepted ones."""
        seen: set[str] = set()
        return [self._store_one(agency_code, batch_id, record, approval_present, seen) for record in records]

    def _store_one(
        self, agency_code: str, batch_id: str, record: dict[str, Any], approval_present: bool, seen: set[str]
    ) -> dict[str, Any]:
        key = record["idempotency_key"]
        if key in seen:
            return _rejected(key, DUPLICATE_KEY_IN_REQUEST)
        seen.add(key)

        data_personal_id = record["data"].get("personal_id")
        if data_personal_id is not None and data_personal_id != record["personal_id"]:
            return _rejected(key, PERSONAL_ID_MISMATCH)

        existing = self.by_key.get((agency_code, key))
        if existing is not None:
            if existing["record_hash"] == record["record_hash"]:
                return {"idempotency_key": key, "status": DUPLICATE}
            return _rejected(key, IDEMPOTENCY_KEY_CONFLICT)

        entry = {
            "agency_code": agency_code,
            "batch_id": batch_id,
            "idempotency_key": key,
            "personal_id": record["personal_id"],
            "record_hash": record["record_hash"],
            "accepted_at": _now(),
            "approval_present": approval_present,
            "data": record["data"],
        }
        self._index(entry)
        return {"idempotency_key": key, "status": ACCEPTED}

    def _index(self, entry: dict[str, Any]) -> None:
        self.entries.append(entry)
        self.by_key[(entry["agency_code"], entry["idempotency_key"])] = entry
        self.latest[entry["personal_id"]] = entry

    def dump(self) -> dict[str, Any]:
        batches = [{"agency_code": a, "batch_id": b, "manifest_sha256": d} for (a, b), d in self.batches.items()]
        return {"entries": list(self.entries), "batches": batches}

    def load(self, data: Mapping[str, Any]) -> None:
        for entry in data.get("entries", []):
            self._index(entry)
        for batch in data.get("batches", []):
            self.batches[(batch["agency_code"], batch["batch_id"])] = batch["manifest_sha256"]


class EmulatorStore:
    """The emulator's state: population register, org units, profiles, pilots, Party records, request log."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._clear()

    def _clear(self) -> None:
        self.population: dict[str, dict[str, Any]] = {}
        self.org_units: dict[tuple[str, str], dict[str, Any]] = {}
        self.profiles = ProfileArea()
        self.test_profiles = ProfileArea()
        self.pilots: list[dict[str, Any]] = []
        self.approvals: list[dict[str, Any]] = []
        self.party: list[dict[str, Any]] = []
        self.party_by_key: dict[tuple[str, str], dict[str, Any]] = {}
        self.requests: list[dict[str, Any]] = []
        # Incremented on every change, so the state file is written only when something changed.
        self.version = 0

    def reset(self, keep_population: bool = False) -> None:
        with self.lock:
            population = self.population
            version = self.version
            self._clear()
            if keep_population:
                self.population = population
            self.version = version + 1

    def log_request(self, method: str, path: str, status: int | None, fault: str | None) -> None:
        with self.lock:
            self.requests.append({"method": method, "path": path, "status": status, "fault": fault})
            self.version += 1

    def seed_population(self, people: Iterable[Mapping[str, Any]], replace: bool) -> int:
        """Replace or extend the population register; return its size."""
        with self.lock:
            if replace:
                self.population = {}
            for person in people:
                self.population[person["personal_id"]] = {
                    "personal_id": person["personal_id"],
                    "full_name": person["full_name"],
                    "birth_date": person["birth_date"],
                    "gender": person.get("gender"),
                }
            self.version += 1
            return len(self.population)

    def match(self, people: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Match people by personal ID, then full name (normalised) and birth date (exact)."""
        with self.lock:
            return [self._match_one(person) for person in people]

    def _match_one(self, person: dict[str, Any]) -> dict[str, Any]:
        registered = self.population.get(person["personal_id"])
        if registered is None:
            return {"personal_id": person["personal_id"], "status": "not_found", "mismatched_fields": []}

        mismatched: list[str] = []
        if normalise_name(registered["full_name"]) != normalise_name(person["full_name"]):
            mismatched.append("full_name")
        if registered["birth_date"] != person["birth_date"]:
            mismatched.append("birth_date")
        status = "mismatch" if mismatched else "match"
        return {"personal_id": person["personal_id"], "status": status, "mismatched_fields": mismatched}

    def sync_org_units(self, agency_code: str, units: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Store new or changed units; a parent must be stored already or be in the same request."""
        with self.lock:
            codes_in_request = {unit["code"] for unit in units}
            seen: set[str] = set()
            results = [self._sync_unit(agency_code, unit, codes_in_request, seen) for unit in units]
            self.version += 1
            return results

    def _sync_unit(
        self, agency_code: str, unit: dict[str, Any], codes_in_request: set[str], seen: set[str]
    ) -> dict[str, Any]:
        code = unit["code"]
        if code in seen:
            return {"code": code, "status": REJECTED, "error_code": DUPLICATE_CODE_IN_REQUEST}
        seen.add(code)

        parent = unit["parent_code"]
        if parent == code:
            return {"code": code, "status": REJECTED, "error_code": INVALID_PARENT}
        parent_known = parent is None or parent in codes_in_request or (agency_code, parent) in self.org_units
        if not parent_known:
            return {"code": code, "status": REJECTED, "error_code": PARENT_NOT_FOUND}

        stored = {
            "agency_code": agency_code,
            **{name: unit[name] for name in ("code", "name", "parent_code", "commune_code")},
        }
        if self.org_units.get((agency_code, code)) == stored:
            return {"code": code, "status": UNCHANGED}
        self.org_units[(agency_code, code)] = stored
        return {"code": code, "status": ACCEPTED}

    def record_approval(
        self, endpoint: str, agency_code: str, batch_id: str, approval: Mapping[str, Any], verdict: str | None
    ) -> None:
        """Keep the approval of a profiles or test-sync request and the verifier's error code (None = ok)."""
        with self.lock:
            self.approvals.append(
                {
                    "endpoint": endpoint,
                    "agency_code": agency_code,
                    "batch_id": batch_id,
                    "approval": dict(approval),
                    "verdict": verdict,
                }
            )
            self.version += 1

    def batch_conflicts(self, area: ProfileArea, agency_code: str, batch_id: str, manifest_b64: str) -> bool:
        with self.lock:
            return area.batch_conflicts(agency_code, batch_id, manifest_b64)

    def store_profiles(
        self, agency_code: str, batch_id: str, records: list[dict[str, Any]], approval_present: bool
    ) -> list[dict[str, Any]]:
        with self.lock:
            results = self.profiles.store(agency_code, batch_id, records, approval_present)
            self.version += 1
            return results

    def store_pilot(
        self, agency_code: str, batch_id: str, records: list[dict[str, Any]], approval_present: bool
    ) -> dict[str, Any]:
        """Store the records in the test area as one pilot and return ``{pilot_id, results}``."""
        with self.lock:
            results = self.test_profiles.store(agency_code, batch_id, records, approval_present)
            pilot_id = f"pilot-{uuid.uuid4().hex[:12]}"
            pilot_records = [
                {
                    "idempotency_key": record["idempotency_key"],
                    "personal_id": record["personal_id"],
                    "record_hash": record["record_hash"],
                    "status": result["status"],
                }
                for record, result in zip(records, results, strict=True)
            ]
            self.pilots.append(
                {
                    "pilot_id": pilot_id,
                    "agency_code": agency_code,
                    "batch_id": batch_id,
                    "created_at": _now(),
                    "records": pilot_records,
                }
            )
            self.version += 1
            return {"pilot_id": pilot_id, "results": results}

    def sync_party(self, agency_code: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        with self.lock:
            seen: set[str] = set()
            results = [self._sync_member(agency_code, record, seen) for record in records]
            self.version += 1
            return results

    def _sync_member(self, agency_code: str, record: dict[str, Any], seen: set[str]) -> dict[str, Any]:
        key = record["idempotency_key"]
        if key in seen:
            return _rejected(key, DUPLICATE_KEY_IN_REQUEST)
        seen.add(key)

        # ISO dates compare correctly as strings.
        if record["official_date"] is not None and record["official_date"] < record["join_date"]:
            return _rejected(key, INVALID_DATES)

        entry = {"agency_code": agency_code, **record}
        existing = self.party_by_key.get((agency_code, key))
        if existing is not None:
            same_content = {k: v for k, v in existing.items() if k != "accepted_at"} == entry
            return (
                {"idempotency_key": key, "status": DUPLICATE}
                if same_content
                else _rejected(key, IDEMPOTENCY_KEY_CONFLICT)
            )

        entry["accepted_at"] = _now()
        self.party.append(entry)
        self.party_by_key[(agency_code, key)] = entry
        return {"idempotency_key": key, "status": ACCEPTED}

    def latest_profile(self, personal_id: str) -> dict[str, Any] | None:
        with self.lock:
            entry = self.profiles.latest.get(personal_id)
            if entry is None:
                return None
            return {name: value for name, value in entry.items() if name != "approval_present"}

    def snapshot(self) -> dict[str, Any]:
        """Return counts and lists for ``GET /_emulator/state``; profiles are listed without their data."""
        with self.lock:
            profiles = [_summary(entry) for entry in self.profiles.entries]
            test_profiles = [_summary(entry) for entry in self.test_profiles.entries]
            return {
                "counts": {
                    "population": len(self.population),
                    "org_units": len(self.org_units),
                    "profiles": len(profiles),
                    "test_profiles": len(test_profiles),
                    "pilots": len(self.pilots),
                    "approvals": len(self.approvals),
                    "party_records": len(self.party),
                    "requests": len(self.requests),
                },
                "profiles": profiles,
                "test_profiles": test_profiles,
                "pilots": list(self.pilots),
                "approvals": list(self.approvals),
                "org_units": list(self.org_units.values()),
                "party_records": list(self.party),
                "requests": list(self.requests),
            }

    def dump(self) -> dict[str, Any]:
        """Return the whole state as JSON data.

        Lists are copied under the lock, so the caller may serialise them while requests
        continue. Stored entries are never changed after they are added.
        """
        with self.lock:
            return {
                "population": list(self.population.values()),
                "org_units": list(self.org_units.values()),
                "profiles": self.profiles.dump(),
                "test_profiles": self.test_profiles.dump(),
                "pilots": list(self.pilots),
                "approvals": list(self.approvals),
                "party_records": list(self.party),
                "requests": list(self.requests),
            }

    def load(self, data: Mapping[str, Any]) -> None:
        with self.lock:
            self._clear()
            for person in data.get("population", []):
                self.population[person["personal_id"]] = person
            for unit in data.get("org_units", []):
                self.org_units[(unit["agency_code"], unit["code"])] = unit
            self.profiles.load(data.get("profiles", {}))
            self.test_profiles.load(data.get("test_profiles", {}))
            self.pilots = list(data.get("pilots", []))
            self.approvals = list(data.get("approvals", []))
            for entry in data.get("party_records", []):
                self.party.append(entry)
                self.party_by_key[(entry["agency_code"], entry["idempotency_key"])] = entry
            self.requests = list(data.get("requests", []))


def _summary(entry: Mapping[str, Any]) -> dict[str, Any]:
    names = (
        "agency_code",
        "batch_id",
        "idempotency_key",
        "personal_id",
        "record_hash",
        "accepted_at",
        "approval_present",
    )
    return {name: entry[name] for name in names}
