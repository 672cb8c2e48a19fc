# -*- coding: utf-8 -*-
"""The fake Graph's answers in Graph's shape, shared by graph.py and the resources it routes to (auto_auditing.py):
the OData content type, the request-id headers, the error body, and the 400 of a write body it cannot take.

Not emulated: the exact wording of Graph's messages (only the code and status are relied on).
"""
from __future__ import annotations

import json
import time
import uuid

from .reply import Reply

ODATA_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"


def ids(headers) -> dict:
    return {"request-id": str(uuid.uuid4()), "client-request-id": headers.get("client-request-id") or str(uuid.uuid4())}


def error(status: int, code: str, message: str, headers, extra: dict | None = None) -> Reply:
    request_ids = ids(headers)
    body = {"error": {"code": code, "message": message,
                      "innerError": {"date": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()), **request_ids}}}
    return Reply(status, body, {**request_ids, **(extra or {})}, ODATA_JSON)


def json_request(raw: bytes, problem_of, headers) -> tuple[dict, Reply | None]:
    """(the parsed body, None), or ({}, the 400) for a body that is no JSON or that ``problem_of(body)`` refuses
    (``problem_of`` refuses anything but a JSON object)."""
    try:
        body = json.loads(raw or b"null")
    except (UnicodeDecodeError, ValueError):
        return {}, error(400, "BadRequest", "The request body is not valid JSON.", headers)
    problem = problem_of(body)
    return ({}, error(400, "BadRequest", problem, headers)) if problem else (body, None)
