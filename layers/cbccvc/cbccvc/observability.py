"""Logger and metrics shared by the handlers and the library.

Log lines are short lowercase event names with keyword fields: ids of batches and rows,
counts, codes and durations. Never a personal ID, name, date of birth or sensitive field.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics

SERVICE_NAME = "cbccvc-sync"
METRICS_NAMESPACE = "CbccvcSync"

logger = Logger(service=SERVICE_NAME)
metrics = Metrics(namespace=METRICS_NAMESPACE, service=SERVICE_NAME)
