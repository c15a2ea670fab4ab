"""Lambda handler of the approve stage.

Events: S3 ObjectCreated under approvals/{agency}/{batch}/ (*.p7s, a signature to decide) or
under config/crls/ (a new CRL: waiting approvals are checked again), and the hourly schedule
(waiting approvals are checked again).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.data_classes import S3Event
from aws_lambda_powertools.utilities.typing import LambdaContext

from cbccvc.observability import logger, metrics
from cbccvc.runtime import approve_service


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    service = approve_service()
    if "Records" not in event:
        # An EventBridge schedule delivers {"source": "aws.events", ...} without Records.
        outcomes = service.recheck_pending()
    else:
        outcomes = [outcome for record in S3Event(event).records
                    for outcome in service.handle_object_created(unquote_plus(record.s3.get_object.key))]
    return {"approvals": [asdict(outcome) for outcome in outcomes]}
