"""Name why an AWS call failed, as a catalog reason a user can act on (region, credentials, network, refusal)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ReadTimeoutError,
)


def aws_reason(error: BotoCoreError | ClientError) -> tuple[str, dict[str, Any]]:
    """Return the catalog code ("reason.aws_no_region", …) and its parameters for a botocore error."""
    if isinstance(error, NoRegionError):
        return "reason.aws_no_region", {}
    if isinstance(error, NoCredentialsError | PartialCredentialsError):
        return "reason.aws_no_credentials", {}
    if isinstance(error, EndpointConnectionError | ConnectTimeoutError | ReadTimeoutError):
        return "reason.aws_unreachable", {"endpoint": getattr(error, "kwargs", {}).get("endpoint_url", "AWS")}
    if isinstance(error, ClientError):
        return "reason.aws_refused", {"code": error.response.get("Error", {}).get("Code", "?")}
    return "reason.aws_other", {"error": type(error).__name__}
