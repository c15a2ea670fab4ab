"""DynamoDB state of batches, agencies, people, chunks and approvers, in one table.

Item layout (partition key ``pk``, sort key ``sk``):

| pk                  | sk                      | item                                             |
|---------------------|-------------------------|--------------------------------------------------|
| AGENCY              | AGENCY#{code}           | agency name and aggregate progress counters      |
| AGENCY#{code}       | UNIT#{unit code}        | one org unit of the agency's organisation tree   |
| AGENCY#{code}       | APPROVER#{fingerprint}  | a certificate authorised to approve for it       |
| AGENCY#{code}       | AUDIT#{time}#{id}       | one change to the approver registry              |
| BATCH#{batch id}    | BATCH                   | the batch: state, counts, keys, reasons          |
| BATCH#{batch id}    | CHUNK#{n}               | one sync chunk: pending or done                  |
| RESULTS#{batch id}  | RECORD#{index}          | the sync result of one staged record             |
| PERSON#{person key} | PERSON                  | hash of the last record version accepted         |
| NONCE#{nonce}       | NONCE                   | a manifest nonce already used by an approval     |
| APPROVAL_PENDING    | BATCH#{batch id}        | a batch whose approval waits (revocation, seal)  |

The person key is a keyed hash of the personal ID (``cbccvc.privacy``), never the ID itself.
Every state change is a conditional write, so a duplicate event changes nothing.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from cbccvc.models import BatchState
from cbccvc.observability import logger

AGENCIES_PK = "AGENCY"
# DynamoDB limits: 100 keys per BatchGetItem, 25 writes per BatchWriteItem.
_BATCH_GET_LIMIT = 100
_BATCH_WRITE_LIMIT = 25
_MAX_UNPROCESSED_ROUNDS = 8

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def utc_now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _to_item(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _serializer.serialize(value) for name, value in values.items() if value is not None}


def _from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _deserializer.deserialize(value) for name, value in item.items()}


def _back_off(attempt: int) -> None:
    # Unprocessed items mean the table is throttling; AWS advises exponential backoff.
    time.sleep(min(0.05 * 2**attempt, 2.0))


def _is_condition_failure(error: ClientError) -> bool:
    code = error.response["Error"]["Code"]
    if code == "ConditionalCheckFailedException":
        return True
    if code == "TransactionCanceledException":
        reasons = error.response.get("CancellationReasons", [])
        return any(reason.get("Code") == "ConditionalCheckFailed" for reason in reasons)
    return False


class StateRepository:
    """All reads and writes of pipeline state. The DynamoDB client is injected."""

    def __init__(self, dynamodb_client: Any, table_name: str) -> None:
        self._db = dynamodb_client
        self.table = table_name

    # --- agencies -------------------------------------------------------------------------

    def register_agency(self, code: str, name: str) -> bool:
        """Create the agency's progress item; return False if it exists (its counters stay)."""
        item = {"pk": AGENCIES_PK, "sk": f"AGENCY#{code}", "agency_code": code, "name": name,
                "registered_at": utc_now_iso()}
        try:
            self._db.put_item(TableName=self.table, Item=_to_item(item),
                              ConditionExpression="attribute_not_exists(pk)")
        except ClientError as error:
            if _is_condition_failure(error):
                return False
            raise
        return True

    def get_agency(self, code: str) -> dict[str, Any] | None:
        return self._get(AGENCIES_PK, f"AGENCY#{code}")

    def list_agencies(self) -> list[dict[str, Any]]:
        """Return every agency's progress item: one query, one item per agency."""
        return self._query(AGENCIES_PK, "AGENCY#")

    def put_org_units(self, agency_code: str, units: Iterable[Mapping[str, Any]]) -> int:
        items = [
            {"pk": f"AGENCY#{agency_code}", "sk": f"UNIT#{unit['code']}", **unit}
            for unit in units
        ]
        self._batch_write(items)
        return len(items)

    def get_org_units(self, agency_code: str) -> dict[str, dict[str, Any]]:
        units = self._query(f"AGENCY#{agency_code}", "UNIT#")
        return {unit["code"]: unit for unit in units}

    # --- approver registry ----------------------------------------------------------------

    def put_approver(self, agency_code: str, approver: Mapping[str, Any], *, actor: str) -> None:
        """Authorise a certificate to approve for the agency (or update its entry), and record the change."""
        item = {"pk": f"AGENCY#{agency_code}", "sk": f"APPROVER#{approver['fingerprint']}", **approver}
        recorded = ("subject", "serial", "valid_from", "valid_until")
        details = {name: approver[name] for name in recorded if name in approver}
        self._db.transact_write_items(TransactItems=[
            {"Put": {"TableName": self.table, "Item": _to_item(item)}},
            self._audit_put(agency_code, "approver_added", approver["fingerprint"], actor, details),
        ])

    def remove_approver(self, agency_code: str, fingerprint: str, *, actor: str) -> bool:
        """Withdraw an approver; return False if it was not registered."""
        entry = self.get_approver(agency_code, fingerprint) or {}
        details: dict[str, Any] = {name: entry[name] for name in ("subject", "serial") if name in entry}
        try:
            self._db.transact_write_items(TransactItems=[
                {"Delete": {
                    "TableName": self.table,
                    "Key": _to_item({"pk": f"AGENCY#{agency_code}", "sk": f"APPROVER#{fingerprint}"}),
                    "ConditionExpression": "attribute_exists(pk)",
                }},
                self._audit_put(agency_code, "approver_removed", fingerprint, actor, details),
            ])
        except ClientError as error:
            if _is_condition_failure(error):
                return False
            raise
        return True

    def get_approver(self, agency_code: str, fingerprint: str) -> dict[str, Any] | None:
        return self._get(f"AGENCY#{agency_code}", f"APPROVER#{fingerprint}")

    def list_approvers(self, agency_code: str) -> list[dict[str, Any]]:
        return self._query(f"AGENCY#{agency_code}", "APPROVER#")

    def list_audit(self, agency_code: str) -> list[dict[str, Any]]:
        return self._query(f"AGENCY#{agency_code}", "AUDIT#")

    def _audit_put(self, agency_code: str, action: str, fingerprint: str, actor: str,
                   details: Mapping[str, Any] | None = None) -> dict[str, Any]:
        now = utc_now_iso()
        item = {"pk": f"AGENCY#{agency_code}", "sk": f"AUDIT#{now}#{uuid.uuid4().hex[:8]}", "action": action,
                "fingerprint": fingerprint, "actor": actor, "at": now, **(details or {})}
        return {"Put": {"TableName": self.table, "Item": _to_item(item)}}

    def claim_nonce(self, nonce: str, batch_id: str) -> bool:
        """Record that a manifest nonce was used by ``batch_id``; False if another batch used it (a replay).

        Claiming again for the same batch succeeds, so an approval that crashed after its claim
        can be completed by the redelivered event.
        """
        item = {"pk": f"NONCE#{nonce}", "sk": "NONCE", "batch_id": batch_id, "used_at": utc_now_iso()}
        try:
            self._db.put_item(
                TableName=self.table, Item=_to_item(item),
                # Allows the first use of a nonce, and a repeated claim by the batch that used it.
                ConditionExpression="attribute_not_exists(pk) OR batch_id = :batch",
                ExpressionAttributeValues=_to_item({":batch": batch_id}),
            )
        except ClientError as error:
            if _is_condition_failure(error):
                return False
            raise
        return True

    def put_pending_approval(self, batch_id: str, agency_code: str, signature_key: str) -> None:
        """List a batch whose approval waits, so the approve stage can find it again without a scan."""
        item = {"pk": "APPROVAL_PENDING", "sk": f"BATCH#{batch_id}", "batch_id": batch_id,
                "agency_code": agency_code, "signature_key": signature_key, "listed_at": utc_now_iso()}
        self._db.put_item(TableName=self.table, Item=_to_item(item))

    def remove_pending_approval(self, batch_id: str) -> None:
        self._db.delete_item(TableName=self.table, Key=_to_item({"pk": "APPROVAL_PENDING", "sk": f"BATCH#{batch_id}"}))

    def list_pending_approvals(self) -> list[dict[str, Any]]:
        return self._query("APPROVAL_PENDING", "BATCH#")

    # --- batches --------------------------------------------------------------------------

    def create_batch(self, batch: Mapping[str, Any]) -> bool:
        """Record a new batch and count the upload; return False if the batch already exists.

        The same file uploaded twice, or one S3 event delivered twice, maps to the same batch
        id, so the conditional put makes intake idempotent.
        """
        now = utc_now_iso()
        item = {"pk": f"BATCH#{batch['batch_id']}", "sk": "BATCH", "created_at": now, "updated_at": now, **batch}
        agency_update = {
            "Update": {
                "TableName": self.table,
                "Key": _to_item({"pk": AGENCIES_PK, "sk": f"AGENCY#{batch['agency_code']}"}),
                "UpdateExpression": "ADD batches_received :one SET last_upload_at = :now",
                "ConditionExpression": "attribute_exists(pk)",
                "ExpressionAttributeValues": _to_item({":one": 1, ":now": now}),
            }
        }
        batch_put = {
            "Put": {
                "TableName": self.table,
                "Item": _to_item(item),
                # Allows only the first delivery of an upload; a repeat finds the item and fails.
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        try:
            self._db.transact_write_items(TransactItems=[batch_put, agency_update])
        except ClientError as error:
            if _is_condition_failure(error):
                return False
            raise
        return True

    def get_batch(self, batch_id: str) -> dict[str, Any] | None:
        return self._get(f"BATCH#{batch_id}", "BATCH")

    def transition(
        self,
        batch_id: str,
        agency_code: str,
        *,
        from_states: Sequence[BatchState],
        to_state: BatchState,
        updates: Mapping[str, Any] | None = None,
        agency_counters: Mapping[str, int] | None = None,
        agency_updates: Mapping[str, Any] | None = None,
        extra_condition: str | None = None,
        extra_values: Mapping[str, Any] | None = None,
    ) -> bool:
        """Move a batch to ``to_state`` and update the agency's counters in one transaction.

        Returns False, writing nothing, when the batch is not in one of ``from_states`` (a
        duplicate or late event) or ``extra_condition`` does not hold.
        """
        now = utc_now_iso()
        names = {"#state": "state", "#updated_at": "updated_at"}
        values: dict[str, Any] = {":to": to_state.value, ":now": now}
        sets = ["#state = :to", "#updated_at = :now"]
        removes = []
        for index, (name, value) in enumerate((updates or {}).items()):
            names[f"#u{index}"] = name
            if value is None:
                removes.append(f"#u{index}")
                continue
            values[f":u{index}"] = value
            sets.append(f"#u{index} = :u{index}")
        state_placeholders = []
        for index, state in enumerate(from_states):
            values[f":from{index}"] = state.value
            state_placeholders.append(f":from{index}")
        condition = f"#state IN ({', '.join(state_placeholders)})"
        if extra_condition:
            condition = f"({condition}) AND ({extra_condition})"
            values.update(extra_values or {})
        batch_update = {
            "Update": {
                "TableName": self.table,
                "Key": _to_item({"pk": f"BATCH#{batch_id}", "sk": "BATCH"}),
                "UpdateExpression": "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else ""),
                "ConditionExpression": condition,
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": _to_item(values),
            }
        }
        items = [batch_update]
        agency_item = self._agency_update(agency_code, agency_counters or {}, agency_updates or {})
        if agency_item is not None:
            items.append(agency_item)
        try:
            self._db.transact_write_items(TransactItems=items)
        except ClientError as error:
            if _is_condition_failure(error):
                logger.info("batch_transition_skipped", batch_id=batch_id, to_state=to_state.value)
                return False
            raise
        return True

    def update_batch(self, batch_id: str, updates: Mapping[str, Any]) -> None:
        """Set attributes of an existing batch without changing its state."""
        names: dict[str, str] = {"#updated_at": "updated_at"}
        values: dict[str, Any] = {":now": utc_now_iso()}
        sets = ["#updated_at = :now"]
        for index, (name, value) in enumerate(updates.items()):
            names[f"#u{index}"] = name
            values[f":u{index}"] = value
            sets.append(f"#u{index} = :u{index}")
        self._db.update_item(
            TableName=self.table,
            Key=_to_item({"pk": f"BATCH#{batch_id}", "sk": "BATCH"}),
            UpdateExpression="SET " + ", ".join(sets),
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=_to_item(values),
        )

    def update_agency(self, agency_code: str, counters: Mapping[str, int],
                      updates: Mapping[str, Any] | None = None) -> None:
        item = self._agency_update(agency_code, counters, updates or {})
        if item is not None:
            self._db.transact_write_items(TransactItems=[item])

    def _agency_update(self, agency_code: str, counters: Mapping[str, int],
                       updates: Mapping[str, Any]) -> dict[str, Any] | None:
        if not counters and not updates:
            return None
        names: dict[str, str] = {}
        values: dict[str, Any] = {}
        adds = []
        sets = []
        for index, (name, amount) in enumerate(counters.items()):
            names[f"#c{index}"] = name
            values[f":c{index}"] = amount
            adds.append(f"#c{index} :c{index}")
        for index, (name, value) in enumerate(updates.items()):
            names[f"#s{index}"] = name
            values[f":s{index}"] = value
            sets.append(f"#s{index} = :s{index}")
        expression = " ".join(
            part for part in (
                ("ADD " + ", ".join(adds)) if adds else "",
                ("SET " + ", ".join(sets)) if sets else "",
            ) if part
        )
        return {
            "Update": {
                "TableName": self.table,
                "Key": _to_item({"pk": AGENCIES_PK, "sk": f"AGENCY#{agency_code}"}),
                "UpdateExpression": expression,
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": _to_item(values),
            }
        }

    # --- sync chunks ----------------------------------------------------------------------

    def create_chunks(self, batch_id: str, chunks: Sequence[Mapping[str, Any]]) -> int:
        """Create the chunk items that do not exist yet; return how many were created.

        A re-run of the plan step after a crash must not reset chunks already done, so each
        put is conditional on the chunk being absent.
        """
        created = 0
        for number, chunk in enumerate(chunks):
            item = {"pk": f"BATCH#{batch_id}", "sk": f"CHUNK#{number:05d}", "chunk": number, "status": "pending",
                    **chunk}
            try:
                self._db.put_item(TableName=self.table, Item=_to_item(item),
                                  ConditionExpression="attribute_not_exists(pk)")
            except ClientError as error:
                if _is_condition_failure(error):
                    continue
                raise
            created += 1
        return created

    def get_chunk(self, batch_id: str, number: int) -> dict[str, Any] | None:
        return self._get(f"BATCH#{batch_id}", f"CHUNK#{number:05d}")

    def list_chunks(self, batch_id: str) -> list[dict[str, Any]]:
        return self._query(f"BATCH#{batch_id}", "CHUNK#")

    def complete_chunk(self, batch_id: str, number: int, counts: Mapping[str, int]) -> bool:
        """Mark a chunk done with its counts, once; return False when it was already done.

        Batch and agency totals are summed from the chunks when the last one completes, so
        completing a chunk is one conditional write rather than a transaction.
        """
        names = {"#status": "status"}
        values: dict[str, Any] = {":done": "done", ":pending": "pending", ":now": utc_now_iso()}
        sets = ["#status = :done", "completed_at = :now"]
        for index, (name, amount) in enumerate(counts.items()):
            names[f"#c{index}"] = name
            values[f":c{index}"] = amount
            sets.append(f"#c{index} = :c{index}")
        try:
            self._db.update_item(
                TableName=self.table,
                Key=_to_item({"pk": f"BATCH#{batch_id}", "sk": f"CHUNK#{number:05d}"}),
                UpdateExpression="SET " + ", ".join(sets),
                # Only a pending chunk may complete, so a redelivered message changes nothing.
                ConditionExpression="#status = :pending",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=_to_item(values),
            )
        except ClientError as error:
            if _is_condition_failure(error):
                logger.info("chunk_already_done", batch_id=batch_id, chunk=number)
                return False
            raise
        return True

    # --- people and record results --------------------------------------------------------

    def get_people(self, person_keys: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Return person key → the last record version the national database accepted (hash, batch)."""
        found: dict[str, dict[str, Any]] = {}
        unique = list(dict.fromkeys(person_keys))
        for start in range(0, len(unique), _BATCH_GET_LIMIT):
            keys = [_to_item({"pk": f"PERSON#{key}", "sk": "PERSON"}) for key in unique[start:start + _BATCH_GET_LIMIT]]
            request: dict[str, Any] = {
                self.table: {"Keys": keys, "ProjectionExpression": "pk, record_hash, batch_id, batch_created_at"}
            }
            for attempt in range(_MAX_UNPROCESSED_ROUNDS):
                response = self._db.batch_get_item(RequestItems=request)
                for raw in response.get("Responses", {}).get(self.table, []):
                    item = _from_item(raw)
                    found[item["pk"].removeprefix("PERSON#")] = item
                request = response.get("UnprocessedKeys") or {}
                if not request:
                    break
                _back_off(attempt)
            else:
                raise RuntimeError("DynamoDB left keys unprocessed after repeated BatchGetItem calls")
        return found

    def put_people(self, people: Iterable[Mapping[str, Any]]) -> None:
        """Store, per person, the record version the national database acknowledged."""
        self._batch_write({"pk": f"PERSON#{person['person_key']}", "sk": "PERSON", **person} for person in people)

    def put_record_results(self, batch_id: str, results: Iterable[Mapping[str, Any]]) -> None:
        """Store each record's sync result, keyed by its position in the staged records.

        Results have their own partition, apart from the batch's chunk items, so listing the
        chunks stays one small query however many records the batch has.
        """
        self._batch_write(
            {"pk": f"RESULTS#{batch_id}", "sk": f"RECORD#{result['index']:07d}", **result} for result in results
        )

    def list_record_results(self, batch_id: str) -> list[dict[str, Any]]:
        return self._query(f"RESULTS#{batch_id}", "RECORD#")

    # --- helpers --------------------------------------------------------------------------

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        response = self._db.get_item(TableName=self.table, Key=_to_item({"pk": pk, "sk": sk}), ConsistentRead=True)
        item = response.get("Item")
        return _from_item(item) if item else None

    def _query(self, pk: str, sk_prefix: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        paginator = self._db.get_paginator("query")
        pages = paginator.paginate(
            TableName=self.table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues=_to_item({":pk": pk, ":prefix": sk_prefix}),
            ConsistentRead=True,
        )
        for page in pages:
            items.extend(_from_item(item) for item in page.get("Items", []))
        return items

    def _batch_write(self, items: Iterable[Mapping[str, Any]]) -> None:
        pending = [{"PutRequest": {"Item": _to_item(item)}} for item in items]
        for start in range(0, len(pending), _BATCH_WRITE_LIMIT):
            request: dict[str, Any] = {self.table: pending[start:start + _BATCH_WRITE_LIMIT]}
            for attempt in range(_MAX_UNPROCESSED_ROUNDS):
                response = self._db.batch_write_item(RequestItems=request)
                request = response.get("UnprocessedItems") or {}
                if not request:
                    break
                _back_off(attempt)
            else:
                raise RuntimeError("DynamoDB left items unprocessed after repeated BatchWriteItem calls")
