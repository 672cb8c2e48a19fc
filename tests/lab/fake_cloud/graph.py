# -*- coding: utf-8 -*-
"""Fake Microsoft Graph (port 8444), the MDI part of v1.0 and the beta sensor migration:

  GET /v1.0/security/identities/sensors[/{id}]        needs role SecurityIdentitiesSensors.Read.All
  GET /v1.0/security/identities/healthIssues[/{id}]   needs role SecurityIdentitiesHealth.Read.All
  GET /beta/security/identities/sensorMigration[/{id}]  needs role SecurityIdentitiesMigration.Read.All

Authorization: Bearer <token issued by the fake login>, else 401 InvalidAuthenticationToken (with
WWW-Authenticate); a token without the role gets 403 Forbidden. Errors have Graph's shape
{"error": {"code", "message", "innerError": {"date", "request-id", "client-request-id"}}}. Collections
carry @odata.context and, past the page size (setting page_size, or a smaller $top), an absolute
@odata.nextLink with an opaque $skiptoken. $top, $skip, $count and $select work; $filter, $orderby,
$expand and $search are refused with 400 so a collection relying on them fails visibly here. Both
versions behave alike; each serves only its own collections (sensorMigration exists in beta only, so
/v1.0/.../sensorMigration is "Resource not found for the segment", as on Graph).

Not emulated: the rest of beta (sensors, healthIssues and all else there answer 400 here, although
Graph has them: a client that should call v1.0 fails visibly), other resources, $filter, batching,
delta, throttling other than injected faults, the exact wording of Graph's permission errors (only the
code and status are relied on).
"""
from __future__ import annotations

import base64
import binascii
import json
import time
import urllib.parse
import uuid

from . import sensors
from .reply import Reply

ODATA_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"
# Per version: collection -> (app role it needs, its items, the entity's name in a 404).
COLLECTIONS = {
    "v1.0": {"sensors": ("SecurityIdentitiesSensors.Read.All", sensors.sensors, "sensor"),
             "healthIssues": ("SecurityIdentitiesHealth.Read.All", sensors.health_issues, "healthIssue")},
    "beta": {"sensorMigration": ("SecurityIdentitiesMigration.Read.All", sensors.migrations, "sensorMigration")},
}
_SUPPORTED = {"$top", "$skip", "$skiptoken", "$count", "$select"}
_REFUSED = {"$filter", "$orderby", "$expand", "$search", "$format", "$apply"}


def _ids(headers) -> dict:
    return {"request-id": str(uuid.uuid4()), "client-request-id": headers.get("client-request-id") or str(uuid.uuid4())}


def error(status: int, code: str, message: str, headers, extra: dict | None = None) -> Reply:
    ids = _ids(headers)
    body = {"error": {"code": code, "message": message,
                      "innerError": {"date": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()), **ids}}}
    return Reply(status, body, {**ids, **(extra or {})}, ODATA_JSON)


def _unauthorized(state, message: str, headers) -> Reply:
    login = state.config["urls"]["login"]
    challenge = f'Bearer realm="", authorization_uri="{login}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"'
    return error(401, "InvalidAuthenticationToken", message, headers, {"WWW-Authenticate": challenge})


def _claims(state, headers) -> tuple[dict | None, Reply | None]:
    auth = headers.get("Authorization", "")
    scheme, _sp, token = auth.partition(" ")
    if not auth or scheme.lower() != "bearer" or not token.strip():
        return None, _unauthorized(state, "Access token is empty.", headers)
    token = token.strip()
    if token.count(".") != 2:
        return None, _unauthorized(state, "IDX14100: JWT is not well formed, there are no dots (.).", headers)
    verdict, claims = state.tokens.lookup(token)
    if verdict == "expired":
        return None, _unauthorized(state, "Lifetime validation failed, the token is expired.", headers)
    if verdict != "valid" or claims["aud"] != state.config["graph_url"]:
        return None, _unauthorized(state, "Access token validation failure. Invalid audience.", headers)
    return claims, None


def _skiptoken(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset, "n": uuid.uuid4().hex[:8]}).encode()).decode().rstrip("=")


def _offset(token: str) -> int:
    try:
        value = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))["o"]
    except (binascii.Error, ValueError, KeyError, TypeError) as exc:
        raise ValueError("bad skiptoken") from exc
    if not isinstance(value, int) or value < 0:
        raise ValueError("bad skiptoken")
    return value


def _int_option(params: dict, name: str, low: int, high: int) -> int | None:
    if name not in params:
        return None
    value = params[name]
    if not value.isdigit() or not low <= int(value) <= high:
        raise ValueError(f"Invalid value '{value}' for query option '{name}'.")
    return int(value)


def _page(state, base: str, path: str, items: list, params: dict, headers) -> Reply:
    try:
        top = _int_option(params, "$top", 1, 999)
        offset = _offset(params["$skiptoken"]) if "$skiptoken" in params else (_int_option(params, "$skip", 0, 10**6) or 0)
    except ValueError as exc:
        return error(400, "BadRequest", str(exc), headers)
    size = min(top or state.settings["page_size"], state.settings["page_size"])
    select = [s for s in params.get("$select", "").split(",") if s]
    page = items[offset:offset + size]
    if select:
        page = [{k: v for k, v in item.items() if k in select or k in ("id", "@odata.type")} for item in page]
    version, name = path.strip("/").split("/")[0], path.rsplit("/", 1)[-1]
    body = {"@odata.context": f"{base}/{version}/$metadata#security/identities/{name}"}
    if params.get("$count", "").lower() == "true":
        body["@odata.count"] = len(items)
    body["value"] = page
    if offset + size < len(items):
        keep = {k: v for k, v in params.items() if k in ("$top", "$select", "$count")}
        body["@odata.nextLink"] = f"{base}{path}?" + urllib.parse.urlencode({**keep, "$skiptoken": _skiptoken(offset + size)})
    return Reply(200, body, _ids(headers), ODATA_JSON)


def _items(state, build) -> list[dict]:
    with state.lock:
        settings = json.loads(json.dumps(state.settings))
    return build(state.config, settings)


def _wrong_segment(segments: list[str], collections: dict) -> str | None:
    """The first path segment (after the version) that names nothing in this version, as Graph reports it."""
    for segment, expected in zip(segments[1:3], ("security", "identities")):
        if segment != expected:
            return segment
    if len(segments) < 4:
        return segments[-1]
    if segments[3] not in collections:
        return segments[3]
    return segments[5] if len(segments) > 5 else None


def handle(state, base: str, method: str, path: str, query: str, headers) -> Reply:
    segments = [urllib.parse.unquote(s) for s in path.strip("/").split("/")]
    collections = COLLECTIONS.get(segments[0])
    if collections is None:
        return error(400, "BadRequest", f"Invalid version: {segments[0]}", headers)
    claims, problem = _claims(state, headers)
    if problem:
        return problem
    wrong = _wrong_segment(segments, collections)
    if wrong is not None:
        return error(400, "BadRequest", f"Resource not found for the segment '{wrong}'.", headers)
    if method != "GET":
        return error(405, "BadRequest", f"The HTTP method '{method}' is not allowed for this resource in the lab's fake Graph.", headers)
    role, build, entity = collections[segments[3]]
    if role not in claims["roles"]:
        return error(403, "Forbidden", f"Missing application roles. API required roles: {role}. "
                                       f"Application roles: {', '.join(claims['roles']) or 'none'}.", headers)
    params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
    refused = sorted(p for p in params if p.lower() in _REFUSED)
    if refused:
        return error(400, "BadRequest", f"Query option '{refused[0]}' is not supported by the lab's fake Graph.", headers)
    unknown = sorted(p for p in params if p.startswith("$") and p not in _SUPPORTED)
    if unknown:
        return error(400, "BadRequest", f"Query option '{unknown[0]}' is not allowed.", headers)
    items = _items(state, build)
    if len(segments) == 5:
        item = next((i for i in items if i["id"] == segments[4]), None)
        if item is None:
            return error(404, "ResourceNotFound", f"{entity} '{segments[4]}' was not found.", headers)
        context = f"{base}/{segments[0]}/$metadata#security/identities/{segments[3]}/$entity"
        return Reply(200, {"@odata.context": context, **item}, _ids(headers), ODATA_JSON)
    return _page(state, base, path, items, params, headers)
