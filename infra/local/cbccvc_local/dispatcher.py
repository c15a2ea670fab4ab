"""Deliver events to the Lambda handlers locally, in the JSON shapes Lambda delivers them.

S3 notifications are routed by the prefix and suffix filters of each function's S3 event in
``template.yaml``; SQS messages are received from the real (moto) queue and handed over as an
SQS event, then deleted unless the handler reported them in ``batchItemFailures``; the daily
schedule is delivered with the input the template's schedule declares.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote_plus

from cbccvc import runtime
from cbccvc_local.stack import REGION, LocalStack, patched_environment
from cbccvc_local.template import function_definitions

# SQS hands a Lambda function at most 10 messages per event.
SQS_MAX_BATCH = 10


@dataclass
class LambdaContext:
    """The attributes of the Lambda context object that Powertools and the handlers read."""

    function_name: str
    memory_limit_in_mb: int
    timeout_seconds: int
    aws_request_id: str
    invoked_function_arn: str
    log_group_name: str
    log_stream_name: str
    _deadline: float

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


@dataclass(frozen=True)
class S3Route:
    function: str
    prefix: str
    suffix: str

    def matches(self, key: str) -> bool:
        return key.startswith(self.prefix) and key.endswith(self.suffix)


class Dispatcher:
    """Invokes the handlers of ``functions/`` for events of the local stack."""

    def __init__(self, stack: LocalStack) -> None:
        self.stack = stack
        self.functions = function_definitions(stack.template)
        self.routes = self._s3_routes()
        self.s3 = stack.client("s3")
        self.sqs = stack.client("sqs")

    # --- invoking ---------------------------------------------------------------------------

    def invoke(self, logical_id: str, event: dict[str, Any]) -> Any:
        """Call a function's handler with ``event`` under that function's environment."""
        properties = self.functions[logical_id]
        module_name = properties["CodeUri"].strip("/").replace("/", ".") + "." + properties["Handler"].split(".")[0]
        handler: Callable[[dict[str, Any], Any], Any] = getattr(
            importlib.import_module(module_name), properties["Handler"].split(".")[1]
        )
        timeout = int(properties.get("Timeout", 3))
        context = LambdaContext(
            function_name=f"{self.stack.resolver.stack_name}-{logical_id}",
            memory_limit_in_mb=int(properties.get("MemorySize", 128)),
            timeout_seconds=timeout,
            aws_request_id=str(uuid.uuid4()),
            invoked_function_arn=f"arn:aws:lambda:{REGION}:{self.stack.resolver.account_id}:function:{logical_id}",
            log_group_name=f"/aws/lambda/{logical_id}",
            log_stream_name=datetime.now(UTC).strftime("%Y/%m/%d/[$LATEST]local"),
            _deadline=time.monotonic() + timeout,
        )
        variables = {**self.stack.process_environment(), **self.stack.environments[logical_id]}
        with patched_environment(variables):
            return handler(event, context)

    # --- S3 ---------------------------------------------------------------------------------

    def _s3_routes(self) -> list[S3Route]:
        routes = []
        for logical_id, properties in self.functions.items():
            for event in properties.get("Events", {}).values():
                if event["Type"] != "S3":
                    continue
                rules = {rule["Name"]: rule["Value"] for rule in event["Properties"]["Filter"]["S3Key"]["Rules"]}
                routes.append(S3Route(logical_id, rules.get("prefix", ""), rules.get("suffix", "")))
        return routes

    def s3_event(self, key: str) -> dict[str, Any]:
        """Build the ObjectCreated:Put notification S3 sends for an object now in the bucket."""
        head = self.s3.head_object(Bucket=self.stack.bucket, Key=key)
        now = datetime.now(UTC)
        s3_object: dict[str, Any] = {
            # S3 URL-encodes keys in notifications: spaces become "+", Vietnamese letters %XX.
            "key": quote_plus(key, safe="/"),
            "size": head["ContentLength"],
            "eTag": head["ETag"].strip('"'),
            "sequencer": f"{int(now.timestamp() * 1e6):016X}",
        }
        if head.get("VersionId"):
            s3_object["versionId"] = head["VersionId"]
        return {"Records": [{
            "eventVersion": "2.1",
            "eventSource": "aws:s3",
            "awsRegion": REGION,
            "eventTime": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
            "eventName": "ObjectCreated:Put",
            "userIdentity": {"principalId": "AWS:AIDALOCALUPLOADER"},
            "requestParameters": {"sourceIPAddress": "127.0.0.1"},
            "responseElements": {"x-amz-request-id": uuid.uuid4().hex[:16].upper(),
                                 "x-amz-id-2": uuid.uuid4().hex},
            "s3": {
                "s3SchemaVersion": "1.0",
                "configurationId": "local",
                "bucket": {"name": self.stack.bucket, "ownerIdentity": {"principalId": "LOCAL"},
                           "arn": f"arn:aws:s3:::{self.stack.bucket}"},
                "object": s3_object,
            },
        }]}

    def deliver_s3(self, key: str, event: dict[str, Any] | None = None) -> list[Any]:
        """Deliver the notification for ``key`` to every function whose filter matches it."""
        event = event or self.s3_event(key)
        return [self.invoke(route.function, event) for route in self.routes if route.matches(key)]

    def upload(self, key: str, data: bytes) -> list[Any]:
        """Upload an object as an agency would, then deliver its notification."""
        self.s3.put_object(Bucket=self.stack.bucket, Key=key, Body=data)
        return self.deliver_s3(key)

    # --- SQS --------------------------------------------------------------------------------

    def _sqs_function(self) -> str:
        for logical_id, properties in self.functions.items():
            if any(event["Type"] == "SQS" for event in properties.get("Events", {}).values()):
                return logical_id
        raise LookupError("no function in template.yaml has an SQS event")

    def pump_queue(self, *, idle_rounds: int = 3, max_rounds: int = 10_000) -> int:
        """Deliver sync messages until the queue stays empty; return how many were processed."""
        function = self._sqs_function()
        queue_url = self.stack.sync_queue_url
        queue_arn = self.stack.resolver.attributes[("SyncQueue", "Arn")]
        processed = 0
        idle = 0
        for _ in range(max_rounds):
            response = self.sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=SQS_MAX_BATCH,
                                                AttributeNames=["All"], MessageAttributeNames=["All"],
                                                WaitTimeSeconds=0)
            messages = response.get("Messages", [])
            if not messages:
                if not self._queue_has_inflight(queue_url):
                    idle += 1
                    if idle >= idle_rounds:
                        break
                time.sleep(0.5)
                continue
            idle = 0
            event = {"Records": [_sqs_record(message, queue_arn) for message in messages]}
            try:
                result = self.invoke(function, event) or {}
                failed = {item["itemIdentifier"] for item in result.get("batchItemFailures", [])}
            except Exception:  # noqa: BLE001 - Lambda turns any handler error into a failed invocation
                # Powertools raises when every record failed; SQS then redelivers the whole batch.
                failed = {message["MessageId"] for message in messages}
            for message in messages:
                if message["MessageId"] not in failed:
                    self.sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
                    processed += 1
        return processed

    def _queue_has_inflight(self, queue_url: str) -> bool:
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessages"]
        )["Attributes"]
        return int(attributes["ApproximateNumberOfMessagesNotVisible"]) + int(
            attributes["ApproximateNumberOfMessages"]) > 0

    # --- schedule ---------------------------------------------------------------------------

    def fire_schedule(self, when: datetime | None = None) -> Any:
        """Deliver the daily schedule's input, as EventBridge Scheduler would at ``when``."""
        moment = (when or datetime.now(UTC)).astimezone(UTC)
        for logical_id, properties in self.functions.items():
            for event in properties.get("Events", {}).values():
                if event["Type"] == "ScheduleV2":
                    payload = event["Properties"]["Input"].replace(
                        "<aws.scheduler.scheduled-time>", moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
                    return self.invoke(logical_id, _json(payload))
        raise LookupError("no function in template.yaml has a ScheduleV2 event")


def _json(text: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(text)
    return value


def _sqs_record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    attributes = message.get("Attributes", {})
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": {
            "ApproximateReceiveCount": attributes.get("ApproximateReceiveCount", "1"),
            "SentTimestamp": attributes.get("SentTimestamp", str(int(time.time() * 1000))),
            "SenderId": attributes.get("SenderId", "AIDALOCALSENDER"),
            "ApproximateFirstReceiveTimestamp": attributes.get("ApproximateFirstReceiveTimestamp",
                                                               str(int(time.time() * 1000))),
        },
        "messageAttributes": message.get("MessageAttributes", {}),
        "md5OfBody": message.get("MD5OfBody") or hashlib.md5(message["Body"].encode()).hexdigest(),  # noqa: S324
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": REGION,
    }


def reset_handlers() -> None:
    """Drop the services the handlers built, so the next invocation builds them for the current stack."""
    runtime.reset()
