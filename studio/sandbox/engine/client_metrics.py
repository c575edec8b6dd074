"""POST /v1/metrics/client: the telemetry Anam's JavaScript SDK posts from the page (session
attempts, connection milestones, client errors), one metric or ``{"metrics": [...]}`` at a time.

The SDK sends it without credentials and never reads the answer, so the sandbox takes whatever
comes (within the body limit) with 204 and keeps none of it. An error here would only fill the
page's console with failed requests.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

CLIENT_METRICS_PATH = "/v1/metrics/client"

router = APIRouter()


@router.post(CLIENT_METRICS_PATH, status_code=204)
async def client_metrics() -> Response:
    return Response(status_code=204)
