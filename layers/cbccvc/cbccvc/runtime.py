"""Composition root: builds each stage's service from settings and AWS clients, once per process.

Handlers call these builders on their first invocation (the cold start), not at import, so
importing a handler reads no environment variable and tests can set the environment first.
boto3 honours ``AWS_ENDPOINT_URL``, which is how the local stack points every client at moto.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import Any

import boto3

from cbccvc.approval.checks import ApprovalPolicy
from cbccvc.approval.seal import KmsSealer
from cbccvc.approval.service import ApproveService
from cbccvc.config import ApproveSettings, ReportSettings, SyncSettings, ValidateSettings
from cbccvc.national.http import HttpNationalCbccvc, HttpPartyRegistry, HttpPopulationRegistry
from cbccvc.national.settings import ApiSettings, PopulationCaller
from cbccvc.privacy import PersonKeyer
from cbccvc.signing.revocation import RevocationFetcher
from cbccvc.state.repository import StateRepository
from cbccvc.storage import S3ObjectStore
from cbccvc.sync.queue import SyncQueue
from cbccvc.sync.service import SyncOptions, SyncService
from cbccvc.validation.service import ValidateOptions, ValidateService


@cache
def aws_client(service: str) -> Any:
    return boto3.client(service)


def load_api_settings(secret_id: str) -> ApiSettings:
    """Read one national API's settings (endpoint and credentials) from Secrets Manager."""
    secret = aws_client("secretsmanager").get_secret_value(SecretId=secret_id)
    return ApiSettings.model_validate_json(secret["SecretString"])


@cache
def validate_service() -> ValidateService:
    settings = ValidateSettings()  # values come from the environment
    population_settings = load_api_settings(settings.population_api_secret_id)
    caller = PopulationCaller(agency_id=settings.population_agency_id, officer_id=settings.population_officer_id,
                              purpose_code=settings.population_purpose_code)
    return ValidateService(
        store=S3ObjectStore(aws_client("s3"), settings.bucket_name),
        state=StateRepository(aws_client("dynamodb"), settings.table_name),
        population=HttpPopulationRegistry.from_settings(population_settings, caller),
        keyer=PersonKeyer.from_kms(aws_client("kms"), settings.person_key_id),
        options=ValidateOptions(
            mandatory_fields=settings.mandatory_fields,
            max_rows=settings.max_rows,
            manifest_validity=timedelta(days=settings.manifest_validity_days),
        ),
    )


@cache
def approve_service() -> ApproveService:
    settings = ApproveSettings()
    store = S3ObjectStore(aws_client("s3"), settings.bucket_name)
    return ApproveService(
        store=store,
        state=StateRepository(aws_client("dynamodb"), settings.table_name),
        queue=SyncQueue(aws_client("sqs"), settings.sync_queue_url),
        trust_anchors_prefix=settings.trust_anchors_prefix,
        crl_prefix=settings.crl_prefix,
        policy=ApprovalPolicy(revocation_max_age=timedelta(hours=settings.revocation_max_age_hours)),
        fetcher=RevocationFetcher(settings.revocation_fetch_allowed_urls,
                                  timeout_seconds=settings.revocation_fetch_timeout_seconds),
        sealer=KmsSealer(aws_client("kms"), settings.seal_key_id, store, settings.seals_prefix),
    )


@cache
def sync_service() -> SyncService:
    settings = SyncSettings()
    return SyncService(
        store=S3ObjectStore(aws_client("s3"), settings.bucket_name),
        state=StateRepository(aws_client("dynamodb"), settings.table_name),
        queue=SyncQueue(aws_client("sqs"), settings.sync_queue_url),
        national=HttpNationalCbccvc.from_settings(load_api_settings(settings.national_api_secret_id)),
        party=HttpPartyRegistry.from_settings(load_api_settings(settings.party_api_secret_id)),
        keyer=PersonKeyer.from_kms(aws_client("kms"), settings.person_key_id),
        options=SyncOptions(chunk_size=settings.chunk_size, pilot_size=settings.pilot_size),
    )


@cache
def report_settings() -> ReportSettings:
    return ReportSettings()


@cache
def report_dependencies() -> tuple[StateRepository, S3ObjectStore]:
    settings = report_settings()
    return (StateRepository(aws_client("dynamodb"), settings.table_name),
            S3ObjectStore(aws_client("s3"), settings.bucket_name))


def reset() -> None:
    """Forget every built client and service (tests and the local dispatcher use it between stacks)."""
    for builder in (aws_client, validate_service, approve_service, sync_service, report_settings,
                    report_dependencies):
        builder.cache_clear()
