"""The local stack: moto in server mode with the resources ``template.yaml`` declares.

Bucket, table, queues, keys and secrets are created under the names the template gives
(stack name ``cbccvc-local``), with two local differences: the sync queue's visibility
timeout is a few seconds instead of 30 minutes, so a failed chunk is retried while the demo
waits; and the API secrets point at the emulator on loopback.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
import httpx
from moto.server import ThreadedMotoServer

from cbccvc_local.template import (
    TemplateResolver,
    function_definitions,
    function_environment,
    load_template,
)

STACK_NAME = "cbccvc-local"
ACCOUNT_ID = "123456789012"
REGION = "ap-southeast-1"
# Seconds a received sync message stays invisible locally before SQS delivers it again.
LOCAL_VISIBILITY_TIMEOUT = 2
LOCAL_PARAMETERS = {"PopulationCallerAgencyId": "000.00.00.H46"}
# moto accepts any credentials; these keep boto3 from looking for real ones.
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class ApiEndpoints:
    """Where the national APIs answer locally, and the key the emulator expects."""

    base_url: str
    api_key: str


@dataclass
class LocalStack:
    endpoint_url: str
    template: dict[str, Any]
    resolver: TemplateResolver
    # Function logical id → its resolved environment variables.
    environments: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def bucket(self) -> str:
        return self.resolver.refs["IntakeBucket"]

    @property
    def table(self) -> str:
        return self.resolver.refs["StateTable"]

    @property
    def sync_queue_url(self) -> str:
        return self.resolver.refs["SyncQueue"]

    @property
    def dead_letter_queue_url(self) -> str:
        return self.resolver.refs["SyncDeadLetterQueue"]

    def client(self, service: str) -> Any:
        return boto3.client(service, endpoint_url=self.endpoint_url, region_name=REGION, **_credential_kwargs())

    def process_environment(self) -> dict[str, str]:
        """Variables every handler process needs locally: the endpoint, region and fake credentials."""
        return {"AWS_ENDPOINT_URL": self.endpoint_url, "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION,
                **FAKE_CREDENTIALS}


def _credential_kwargs() -> dict[str, str]:
    return {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "aws_session_token": "testing"}


@contextmanager
def moto_server() -> Iterator[str]:
    """Run moto in server mode on a free loopback port; yield its endpoint URL."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    # moto keeps its backends per process, not per server: start every stack from empty state.
    httpx.post(f"{endpoint}/moto-api/reset", timeout=10).raise_for_status()
    try:
        yield endpoint
    finally:
        server.stop()


def create_stack(endpoint_url: str, apis: Mapping[str, ApiEndpoints]) -> LocalStack:
    """Create every stateful resource of the template in moto and resolve each function's environment.

    ``apis`` maps the template parameters NationalApiSecretName, PopulationApiSecretName and
    PartyApiSecretName to the endpoint each secret must point at.
    """
    template = load_template()
    resources = template["Resources"]
    parameters = {name: str(spec.get("Default", "")) for name, spec in template.get("Parameters", {}).items()}
    parameters.update(LOCAL_PARAMETERS)
    resolver = TemplateResolver(stack_name=STACK_NAME, account_id=ACCOUNT_ID, region=REGION,
                                parameters=parameters, refs={}, attributes={})
    stack = LocalStack(endpoint_url=endpoint_url, template=template, resolver=resolver)

    _create_keys(stack, resources)
    _create_bucket(stack, resources["IntakeBucket"]["Properties"])
    _create_table(stack, resources["StateTable"]["Properties"])
    _create_queues(stack, resources)
    _create_secrets(stack, parameters, apis)
    for logical_id in function_definitions(template):
        stack.environments[logical_id] = function_environment(template, logical_id, resolver)
    return stack


def _create_keys(stack: LocalStack, resources: Mapping[str, Any]) -> None:
    kms = stack.client("kms")
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::KMS::Key":
            continue
        properties = resource["Properties"]
        key = kms.create_key(
            Description=properties.get("Description", logical_id),
            KeySpec=properties.get("KeySpec", "SYMMETRIC_DEFAULT"),
            KeyUsage=properties.get("KeyUsage", "ENCRYPT_DECRYPT"),
        )["KeyMetadata"]
        stack.resolver.refs[logical_id] = key["KeyId"]
        stack.resolver.attributes[(logical_id, "Arn")] = key["Arn"]


def _create_bucket(stack: LocalStack, properties: Mapping[str, Any]) -> None:
    name = stack.resolver.resolve(properties["BucketName"])
    s3 = stack.client("s3")
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    stack.resolver.refs["IntakeBucket"] = name
    stack.resolver.attributes[("IntakeBucket", "Arn")] = f"arn:aws:s3:::{name}"


def _create_table(stack: LocalStack, properties: Mapping[str, Any]) -> None:
    name = stack.resolver.resolve(properties["TableName"])
    stack.client("dynamodb").create_table(
        TableName=name,
        BillingMode=properties["BillingMode"],
        AttributeDefinitions=properties["AttributeDefinitions"],
        KeySchema=properties["KeySchema"],
    )
    stack.resolver.refs["StateTable"] = name


def _create_queues(stack: LocalStack, resources: Mapping[str, Any]) -> None:
    sqs = stack.client("sqs")
    # The dead-letter queue first, because the sync queue's redrive policy names its ARN.
    for logical_id in ("SyncDeadLetterQueue", "SyncQueue"):
        properties = resources[logical_id]["Properties"]
        name = stack.resolver.resolve(properties["QueueName"])
        attributes = {"MessageRetentionPeriod": str(properties.get("MessageRetentionPeriod", 345600))}
        if "VisibilityTimeout" in properties:
            attributes["VisibilityTimeout"] = str(LOCAL_VISIBILITY_TIMEOUT)
        if "RedrivePolicy" in properties:
            attributes["RedrivePolicy"] = json.dumps(stack.resolver.resolve(properties["RedrivePolicy"]))
        url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        stack.resolver.refs[logical_id] = url
        stack.resolver.attributes[(logical_id, "Arn")] = arn
        stack.resolver.attributes[(logical_id, "QueueName")] = name


def _create_secrets(stack: LocalStack, parameters: Mapping[str, str], apis: Mapping[str, ApiEndpoints]) -> None:
    secrets = stack.client("secretsmanager")
    for parameter, endpoint in apis.items():
        settings = {"base_url": endpoint.base_url, "auth_mode": "api_key", "api_key": endpoint.api_key,
                    "timeout_seconds": 5, "max_attempts": 4, "backoff_base_seconds": 0.2,
                    "backoff_max_seconds": 2}
        secrets.create_secret(Name=parameters[parameter], SecretString=json.dumps(settings))


@contextmanager
def patched_environment(variables: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of a block, then restore the previous values."""
    previous = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
