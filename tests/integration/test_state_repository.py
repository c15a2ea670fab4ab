"""The DynamoDB state on moto in server mode: conditional writes make repeated events harmless."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cbccvc.models import BatchState
from cbccvc.state.repository import StateRepository
from cbccvc_local.stack import LocalStack, create_stack, moto_server

pytestmark = pytest.mark.integration


@pytest.fixture
def stack() -> Iterator[LocalStack]:
    with moto_server() as endpoint:
        yield create_stack(endpoint, {})


@pytest.fixture
def state(stack: LocalStack) -> StateRepository:
    repository = StateRepository(stack.client("dynamodb"), stack.table)
    repository.register_agency("H46", "Ủy ban nhân dân thành phố Huế")
    return repository


def _new_batch(state: StateRepository, batch_id: str = "H46-0123456789abcdef0123") -> str:
    assert state.create_batch({"batch_id": batch_id, "agency_code": "H46", "state": "received"})
    return batch_id


def test_agency_registered_once(state: StateRepository) -> None:
    assert state.register_agency("H46", "Tên khác") is False
    assert (state.get_agency("H46") or {})["name"] == "Ủy ban nhân dân thành phố Huế"


def test_batch_created_once(state: StateRepository) -> None:
    batch_id = _new_batch(state)
    assert state.create_batch({"batch_id": batch_id, "agency_code": "H46", "state": "received"}) is False
    assert (state.get_agency("H46") or {})["batches_received"] == 1


def test_batch_for_unknown_agency_refused(state: StateRepository) -> None:
    assert state.create_batch({"batch_id": "ZZZ-1", "agency_code": "ZZZ", "state": "received"}) is False
    assert state.get_batch("ZZZ-1") is None


def test_transition_applies_once(state: StateRepository) -> None:
    batch_id = _new_batch(state)
    moved = state.transition(batch_id, "H46", from_states=[BatchState.RECEIVED], to_state=BatchState.VALIDATED,
                             agency_counters={"batches_validated": 1})
    again = state.transition(batch_id, "H46", from_states=[BatchState.RECEIVED], to_state=BatchState.VALIDATED,
                             agency_counters={"batches_validated": 1})
    assert moved is True
    assert again is False
    assert (state.get_agency("H46") or {})["batches_validated"] == 1
    assert (state.get_batch(batch_id) or {})["state"] == "validated"


def test_transition_removes_none_updates(state: StateRepository) -> None:
    batch_id = _new_batch(state)
    state.transition(batch_id, "H46", from_states=[BatchState.RECEIVED], to_state=BatchState.REJECTED,
                     updates={"rejection": {"stage": "approval", "code": "SIG_INVALID"}})
    state.transition(batch_id, "H46", from_states=[BatchState.REJECTED], to_state=BatchState.APPROVED,
                     updates={"rejection": None})
    assert "rejection" not in (state.get_batch(batch_id) or {})


def test_chunk_completes_once(state: StateRepository) -> None:
    batch_id = _new_batch(state)
    chunks = [{"first_index": 0, "size": 500, "sha256": "a"}, {"first_index": 500, "size": 200, "sha256": "b"}]
    assert state.create_chunks(batch_id, chunks) == 2
    assert state.create_chunks(batch_id, chunks) == 0
    assert state.complete_chunk(batch_id, 0, {"records_synced": 500}) is True
    assert state.complete_chunk(batch_id, 0, {"records_synced": 1}) is False
    done = {chunk["chunk"]: chunk for chunk in state.list_chunks(batch_id)}
    assert done[0]["status"] == "done"
    assert done[0]["records_synced"] == 500
    assert done[1]["status"] == "pending"


def test_people_round_trip(state: StateRepository) -> None:
    people = [{"person_key": f"{index:032x}", "record_hash": f"hash-{index}", "batch_id": "B"} for index in range(130)]
    state.put_people(people)
    found = state.get_people([person["person_key"] for person in people] + ["f" * 32])
    assert len(found) == 130
    assert found[f"{7:032x}"]["record_hash"] == "hash-7"


def test_nonce_claimed_once(state: StateRepository) -> None:
    assert state.claim_nonce("a" * 32, "B1") is True
    assert state.claim_nonce("a" * 32, "B2") is False
