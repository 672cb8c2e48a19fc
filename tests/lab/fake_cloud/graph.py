# -*- coding: utf-8 -*-
"""Fake Microsoft Graph, the MDI part: /v1.0/security/identities/sensors and /healthIssues, with
bearer tokens from the fake login, application permissions per app, and @odata.nextLink paging.

Not emulated: $filter/$select/$top (ignored), beta endpoints, throttling beyond injected faults,
the real sensor settings' full breadth.
"""
from __future__ import annotations

import urllib.parse

SENSORS_ROLE = "SecurityIdentitiesSensors.Read.All"
HEALTH_ROLE = "SecurityIdentitiesHealth.Read.All"


def _error(status: int, code: str, message: str) -> tuple[int, dict]:
    return status, {"error": {"code": code, "message": message,
                              "innerError": {"date": "2026-01-01T00:00:00", "request-id": "00000000-0000-0000-0000-000000000000"}}}


def _page(base: str, path: str, items: list, query: str, page_size: int) -> dict:
    skip = int(dict(urllib.parse.parse_qsl(query)).get("$skiptoken", "0") or 0)
    body = {"@odata.context": f"{base}/v1.0/$metadata#security/identities/{path.rsplit('/', 1)[-1]}",
            "value": items[skip:skip + page_size]}
    if skip + page_size < len(items):
        body["@odata.nextLink"] = f"{base}{path}?$skiptoken={skip + page_size}"
    return body


def sensors(config: dict) -> list[dict]:
    return [{
        "id": s["id"], "displayName": s["host"].split(".")[0].upper(), "domainName": s["domain"],
        "sensorType": s.get("type", "domainControllerIntegrated"), "deploymentStatus": "upToDate",
        "healthStatus": s.get("health", "healthy"), "openHealthIssuesCount": 0, "version": "2.250.18972.18405",
        "createdDateTime": "2026-01-15T10:00:00Z",
        "settings": {"description": None, "domainControllerDnsNames": [s["host"]], "isDelayedDeploymentEnabled": True},
    } for s in config["sensors"]]


def handle(state, base: str, path: str, query: str, headers) -> tuple[int, dict]:
    auth = headers.get("Authorization", "")
    info = state.token_info(auth[7:]) if auth.startswith("Bearer ") else None
    if info is None:
        return _error(401, "InvalidAuthenticationToken", "Access token is empty." if not auth else "Lifetime validation failed, the token is expired.")
    if path == "/v1.0/security/identities/sensors":
        if SENSORS_ROLE not in info["roles"]:
            return _error(403, "Forbidden", f"Missing application permission {SENSORS_ROLE}.")
        return 200, _page(base, path, sensors(state.config), query, state.config["page_size"])
    if path == "/v1.0/security/identities/healthIssues":
        if HEALTH_ROLE not in info["roles"]:
            return _error(403, "Forbidden", f"Missing application permission {HEALTH_ROLE}.")
        return 200, _page(base, path, state.config.get("health_issues", []), query, state.config["page_size"])
    return _error(404, "UnknownError", f"Resource not found for the segment '{path.rsplit('/', 1)[-1]}'.")
