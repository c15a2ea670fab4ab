"""Lambda handler of the daily progress report (EventBridge Scheduler, 07:00 Asia/Ho_Chi_Minh)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from cbccvc.observability import logger, metrics
from cbccvc.reporting.daily_report import compile_daily_report
from cbccvc.runtime import report_dependencies, report_settings


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # The schedule passes its own fire time; a manual run without it reports as of now.
    scheduled = event.get("scheduled_time")
    now = datetime.fromisoformat(scheduled.replace("Z", "+00:00")) if scheduled else datetime.now(UTC)
    settings = report_settings()
    state, store = report_dependencies()
    report, keys = compile_daily_report(state, store, now=now, timezone=settings.report_timezone,
                                        stale_after_days=settings.stale_after_days)
    logger.info("daily_report_written", agencies=report["totals"]["agencies"], date=report["date"])
    return {"date": report["date"], "xlsx": keys.xlsx, "html": keys.html, "json": keys.json}
