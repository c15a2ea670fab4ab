"""Messages on the sync queue: one ``plan`` per approved batch, then one ``chunk`` per slice of records."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# SQS accepts at most 10 messages per SendMessageBatch call.
_SQS_BATCH_LIMIT = 10


class SyncMessage(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    type: Literal["plan", "chunk"]
    batch_id: str = Field(min_length=3)
    chunk: int | None = Field(default=None, ge=0)


class SyncQueue:
    """Sends sync messages to SQS. The client is injected."""

    def __init__(self, sqs_client: Any, queue_url: str) -> None:
        self._sqs = sqs_client
        self.queue_url = queue_url

    def send_plan(self, batch_id: str) -> None:
        message = SyncMessage(type="plan", batch_id=batch_id)
        self._sqs.send_message(QueueUrl=self.queue_url, MessageBody=message.model_dump_json())

    def send_chunks(self, batch_id: str, numbers: Sequence[int]) -> None:
        for start in range(0, len(numbers), _SQS_BATCH_LIMIT):
            entries = [
                {"Id": str(number),
                 "MessageBody": SyncMessage(type="chunk", batch_id=batch_id, chunk=number).model_dump_json()}
                for number in numbers[start:start + _SQS_BATCH_LIMIT]
            ]
            response = self._sqs.send_message_batch(QueueUrl=self.queue_url, Entries=entries)
            failed = response.get("Failed", [])
            if failed:
                raise RuntimeError(f"SQS rejected {len(failed)} chunk messages of batch {batch_id}: "
                                   f"{json.dumps([entry.get('Code') for entry in failed])}")

    def delay_redelivery(self, receipt_handle: str, seconds: int) -> None:
        """Make a failed message visible again after ``seconds`` (for example a Retry-After)."""
        self._sqs.change_message_visibility(QueueUrl=self.queue_url, ReceiptHandle=receipt_handle,
                                            VisibilityTimeout=max(0, min(seconds, 43_200)))
