"""Lambda handler of the validate stage (S3 ObjectCreated under incoming/{agency}/)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.data_classes import S3Event, event_source
from aws_lambda_powertools.utilities.typing import LambdaContext

from cbccvc.observability import logger, metrics
from cbccvc.runtime import validate_service


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
@event_source(data_class=S3Event)
def handler(event: S3Event, context: LambdaContext) -> dict[str, Any]:
    service = validate_service()
    outcomes = []
    for record in event.records:
        # S3 sends keys URL-encoded ("Danh+s%C3%A1ch.xlsx"); the object is stored under the decoded key.
        key = unquote_plus(record.s3.get_object.key)
        outcomes.append(asdict(service.process_upload(key, record.s3.get_object.version_id)))
    return {"batches": outcomes}
