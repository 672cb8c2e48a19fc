# -*- coding: utf-8 -*-
"""Injected faults: the next `count` matching requests answer differently, then all is normal again.

A fault (POST /_lab/faults, one object or a list) has these keys; any other key is refused (400) so a
typo in a test cannot silently arm nothing:
  path           regex searched in the URL path (default: every request)
  query          regex searched in the query string (e.g. "skiptoken" to fail the second Graph page)
  method         only this HTTP method             listener  only "login", "graph" or "portal"
  count          how many requests it hits (1)     status    the status to answer with
  retry_after    Retry-After header value          headers   extra response headers
  body           JSON value, or a string sent as is (default: an error body in that service's shape)
  content_type   for a string body                 html      true: an HTML sign-in page instead
  shape          "html" (same as html: true) or "json" (the default)
  delay_seconds  wait first (alone: then answer normally, to test timeouts)
  close          true: drop the connection without any answer
`status: 200` with a `body` or `html` is the "wrong shape" fault: success with an unexpected body.

Not emulated: faults in the TLS layer, partial bodies, per-client targeting.
"""
from __future__ import annotations

import re
import threading
import time
import uuid

from .reply import JSON, Reply

LISTENERS = ("login", "graph", "portal")
_KEYS = {"path", "query", "method", "listener", "count", "status", "retry_after", "headers", "body", "content_type", "html",
         "shape", "delay_seconds", "close"}
SIGN_IN_PAGE = (b"<!DOCTYPE html><html><head><title>Sign in to your account</title></head>"
                b"<body><form method=\"post\" action=\"/common/login\">Sign in</form></body></html>")
_GRAPH_CODES = {400: "BadRequest", 401: "InvalidAuthenticationToken", 403: "Forbidden", 404: "ResourceNotFound",
                409: "Conflict", 429: "TooManyRequests", 500: "InternalServerError", 502: "BadGateway",
                503: "ServiceNotAvailable", 504: "GatewayTimeout"}
_AAD_ERRORS = {400: "invalid_request", 401: "invalid_client", 403: "access_denied", 404: "invalid_request",
               429: "temporarily_unavailable"}


class FaultSpecError(ValueError):
    pass


def validate(spec) -> dict:
    """A normalised copy of one fault spec; FaultSpecError when it is not one."""
    if not isinstance(spec, dict):
        raise FaultSpecError("a fault is a JSON object")
    unknown = set(spec) - _KEYS
    if unknown:
        raise FaultSpecError(f"unknown fault keys {sorted(unknown)}; known: {sorted(_KEYS)}")
    fault = dict(spec)
    try:
        fault["regex"] = (re.compile(fault.get("path", "")), re.compile(fault.get("query", "")))
    except (re.error, TypeError) as exc:
        raise FaultSpecError(f"path or query is not a regex: {exc}") from exc
    if fault.get("shape", "json") not in ("html", "json"):
        raise FaultSpecError('shape must be "html" or "json"')
    if fault.pop("shape", None) == "html":
        fault["html"] = True
    if fault.get("listener") not in (None, *LISTENERS):
        raise FaultSpecError(f"listener must be one of {LISTENERS}")
    count = fault.setdefault("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise FaultSpecError("count must be a positive integer")
    status = fault.get("status")
    if status is not None and (not isinstance(status, int) or not 200 <= status <= 599):
        raise FaultSpecError("status must be an HTTP status code")
    delay = fault.get("delay_seconds", 0)
    if not isinstance(delay, (int, float)) or not 0 <= delay <= 120:
        raise FaultSpecError("delay_seconds must be between 0 and 120")
    if status is None and not fault.get("close") and not delay:
        raise FaultSpecError("a fault needs status, close or delay_seconds")
    if status == 200 and "body" not in fault and not fault.get("html"):
        raise FaultSpecError("status 200 is the wrong-shape fault: give body or html")
    if not isinstance(fault.get("headers", {}), dict):
        raise FaultSpecError("headers must be an object")
    return fault


def public(fault: dict) -> dict:
    """The fault as shown by GET /_lab/faults (without the compiled regex)."""
    return {k: v for k, v in fault.items() if k != "regex"}


class FaultStore:
    def __init__(self):
        self._lock = threading.Lock()
        self._faults: list[dict] = []

    def add(self, faults: list[dict]) -> int:
        with self._lock:
            self._faults.extend(faults)
            return len(self._faults)

    def armed(self) -> list[dict]:
        with self._lock:
            return [public(f) for f in self._faults]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, listener: str, method: str, path: str, query: str) -> dict | None:
        """The first armed fault matching this request, counted down (removed at zero)."""
        with self._lock:
            for fault in self._faults:
                if fault.get("listener", listener) != listener or fault.get("method", method).upper() != method:
                    continue
                if not fault["regex"][0].search(path) or not fault["regex"][1].search(query):
                    continue
                fault["count"] -= 1
                if fault["count"] <= 0:
                    self._faults.remove(fault)
                return dict(fault)
        return None


def _default_body(listener: str, status: int) -> dict:
    """An error body in the shape of the service behind that listener."""
    message = f"Fault injected by the lab (HTTP {status})"
    if listener == "graph":
        return {"error": {"code": _GRAPH_CODES.get(status, "UnknownError"), "message": message,
                          "innerError": {"date": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()),
                                         "request-id": str(uuid.uuid4()), "client-request-id": str(uuid.uuid4())}}}
    if listener == "login":
        error = _AAD_ERRORS.get(status, "temporarily_unavailable" if status >= 500 else "invalid_request")
        return {"error": error, "error_description": f"AADSTS90033: {message}. A transient error has occurred. Please try again.",
                "error_codes": [90033], "timestamp": time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime()),
                "trace_id": str(uuid.uuid4()), "correlation_id": str(uuid.uuid4())}
    return {"error": {"code": str(status), "message": message}}


def reply_for(fault: dict, listener: str) -> Reply:
    """The answer of a fault that has a status."""
    status = fault["status"]
    headers = dict(fault.get("headers", {}))
    if "retry_after" in fault:
        headers["Retry-After"] = str(fault["retry_after"])
    if fault.get("html"):
        return Reply(status, SIGN_IN_PAGE, headers, "text/html; charset=utf-8")
    if "body" in fault:
        body = fault["body"]
        ctype = fault.get("content_type", "text/plain; charset=utf-8" if isinstance(body, str) else JSON)
        return Reply(status, body, headers, ctype)
    return Reply(status, None if status == 204 else _default_body(listener, status), headers)
