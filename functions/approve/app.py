"""Lambda handler of the approve stage (S3 ObjectCreated under approvals/{agency}/{batch}/, *.p7s)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.data_classes import S3Event, event_source
from aws_lambda_powertools.utilities.typing import LambdaContext

from cbccvc.observability import logger, metrics
from cbccvc.runtime import approve_service


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@event_source(data_class=S3Event)
def handler(event: S3Event, context: LambdaContext) -> dict[str, Any]:
    service = approve_service()
    outcomes = [asdict(service.process_signature(unquote_plus(record.s3.get_object.key)))
                for record in event.records]
    return {"approvals": outcomes}
