# -*- coding: utf-8 -*-
"""Fake Microsoft Graph (port 8444), the MDI part of v1.0 and the beta sensor migration:

  GET  /v1.0/security/identities/sensors[/{id}]           needs role SecurityIdentitiesSensors.Read.All
  GET  /v1.0/security/identities/healthIssues[/{id}]      needs role SecurityIdentitiesHealth.Read.All
  GET  /v1.0/security/identities/identityAccounts[/{id}]  needs role SecurityIdentitiesAccount.Read.All
  POST /v1.0/security/identities/identityAccounts/{id}/invokeAction  (or the namespace-qualified segment
       /microsoft.graph.security.invokeAction)             needs role SecurityIdentitiesActions.ReadWrite.All
  GET  /beta/security/identities/sensorMigration[/{id}]   needs role SecurityIdentitiesMigration.Read.All
  GET, PATCH (beta also POST) /{v1.0,beta}/security/identities/settings/autoAuditingConfiguration
                                                          roles SecurityIdentitiesAutoConfig.* (auto_auditing.py)

Authorization: Bearer <token issued by the fake login>, else 401 InvalidAuthenticationToken (with
WWW-Authenticate); a token without the role gets 403 Forbidden. Errors have Graph's shape
{"error": {"code", "message", "innerError": {"date", "request-id", "client-request-id"}}}. Collections
carry @odata.context and, past the page size (setting page_size, or a smaller $top), an absolute
@odata.nextLink with an opaque $skiptoken. $top, $skip, $count and $select work; $orderby, $expand and
$search are refused with 400 so a collection relying on them fails visibly here, and so is $filter except
the one documented form on identityAccounts (identities.py; nextLink keeps it). Both versions behave alike;
each serves only its own collections (sensorMigration exists in beta only, so /v1.0/.../sensorMigration is
"Resource not found for the segment", as on Graph).

identityAccounts are the lab domain's users, read from the Samba DC at request time (identities.py; 503
ServiceNotAvailable when it does not answer). invokeAction takes exactly {"accountId", "action",
"identityProvider"} (a missing or unknown key, a wrong type or an enum value outside the CSDL's: 400);
identityProvider must be activeDirectory (entraID and okta: 400, not emulated, and Graph's docs call them
out of scope) and action disable, enable or forcePasswordReset (others: 400, not supported for
activeDirectory); accountId must be that identity's activeDirectory accounts[].identifier, and the
identity's own id is refused (400: a docs mistake makes clients send it). An unknown identity is 404. A
valid call answers 200 with invokeActionResult and a new correlationId BEFORE anything happens, whatever
the outcome, as in MDI: the acting sensor carries the action out shortly after (remediation.py). Any of
the three actions is accepted whatever the account's state (a disable on a disabled account acts again).

Not emulated: the rest of beta (sensors, healthIssues, identityAccounts and all else there answer 400 here,
although Graph has them: a client that should call v1.0 fails visibly), other resources, other $filter
forms, batching, delta, throttling other than injected faults, the exact wording of Graph's permission and
validation errors (only the code and status are relied on), any way to ask Graph how an action ended.
"""
from __future__ import annotations

import base64
import binascii
import json
import urllib.parse
import uuid

from . import auto_auditing, identities, remediation, sensors
from .graph_answers import ODATA_JSON, error, json_request
from .graph_answers import ids as _ids
from .reply import Reply

# Per version: collection -> (app role it needs, its items, the entity's name in a 404).
COLLECTIONS = {
    "v1.0": {"sensors": ("SecurityIdentitiesSensors.Read.All", sensors.sensors, "sensor"),
             "healthIssues": ("SecurityIdentitiesHealth.Read.All", sensors.health_issues, "healthIssue"),
             "identityAccounts": ("SecurityIdentitiesAccount.Read.All", identities.identity_accounts, "identityAccounts")},
    "beta": {"sensorMigration": ("SecurityIdentitiesMigration.Read.All", sensors.migrations, "sensorMigration")},
}
# The collections that take a $filter, and the function that applies it (the others refuse $filter).
FILTERS = {"identityAccounts": identities.apply_filter}
# Bound actions on an item: collection -> (app role, the segments that name the action: short and namespace-qualified).
ACTIONS = {"identityAccounts": ("SecurityIdentitiesActions.ReadWrite.All", ("invokeAction", "microsoft.graph.security.invokeAction"))}
_INVOKE_PARAMETERS = ("accountId", "action", "identityProvider")
# security.identityProvider and security.action as the CSDL lists them (a value outside is an enum error).
_PROVIDERS = ("entraID", "activeDirectory", "okta", "unknownFutureValue")
_ACTIONS = ("disable", "enable", "forcePasswordReset", "revokeAllSessions", "requireUserToSignInAgain", "markUserAsCompromised",
            "unknownFutureValue")
_SUPPORTED = {"$top", "$skip", "$skiptoken", "$count", "$select"}
_REFUSED = {"$filter", "$orderby", "$expand", "$search", "$format", "$apply"}


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
        keep = {k: v for k, v in params.items() if k in ("$top", "$select", "$count", "$filter")}
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
    if len(segments) > 5 and segments[5] not in ACTIONS.get(segments[3], (None, ()))[1]:
        return segments[5]
    return segments[6] if len(segments) > 6 else None


def _forbidden(role: str, claims: dict, headers) -> Reply:
    return error(403, "Forbidden", f"Missing application roles. API required roles: {role}. "
                                   f"Application roles: {', '.join(claims['roles']) or 'none'}.", headers)


def _invoke_problem(body) -> str | None:
    """Why an invokeAction body is refused (400), before the identity is looked up; None when it is well formed."""
    if not isinstance(body, dict):
        return "The request body must be a JSON object with accountId, action and identityProvider."
    unknown = sorted(set(body) - set(_INVOKE_PARAMETERS))
    if unknown:
        return f"The parameter '{unknown[0]}' in the request payload is not a valid parameter for the operation 'invokeAction'."
    missing = [name for name in _INVOKE_PARAMETERS if name not in body]
    if missing:
        return f"The parameter '{missing[0]}' is required by the operation 'invokeAction' and was not given."
    wrong = [name for name in _INVOKE_PARAMETERS if not isinstance(body[name], str) or not body[name]]
    if wrong:
        return f"The parameter '{wrong[0]}' must be a non-empty string."
    if body["identityProvider"] not in _PROVIDERS:
        return f"Requested value '{body['identityProvider']}' was not found in microsoft.graph.security.identityProvider."
    if body["action"] not in _ACTIONS:
        return f"Requested value '{body['action']}' was not found in microsoft.graph.security.action."
    if body["identityProvider"] != identities.PROVIDER:
        return (f"Identity provider '{body['identityProvider']}' is not supported in the current scope: the lab's fake Graph "
                f"emulates {identities.PROVIDER} actions only (Entra ID and Okta actions are not emulated).")
    if body["action"] not in identities.ACTIONS:
        return f"Action '{body['action']}' is not supported for {identities.PROVIDER} (supported: {', '.join(identities.ACTIONS)})."
    return None


def _invoke_action(state, base: str, version: str, identity: str, headers, raw: bytes) -> Reply:
    """POST .../identityAccounts/{id}/invokeAction: 200 as soon as the request is valid; the sensor acts later."""
    body, refusal = json_request(raw, _invoke_problem, headers)
    if refusal:
        return refusal
    user = next((u for u in identities.users(state.config) if identities.identity_id(u["sid"]) == identity), None)
    if user is None:
        return error(404, "ResourceNotFound", f"identityAccounts '{identity}' was not found.", headers)
    expected = identities.account_id(user["sid"])
    if body["accountId"] != expected:
        hint = " (that is the identity's id: send its activeDirectory account's accounts[].identifier)" \
            if body["accountId"] == identity else ""
        return error(400, "BadRequest", f"accountId '{body['accountId']}' is not an {identities.PROVIDER} account of identity "
                                        f"'{identity}'{hint}.", headers)
    correlation_id = str(uuid.uuid4())
    remediation.schedule(state, user, body["action"], correlation_id)
    return Reply(200, {"@odata.context": f"{base}/{version}/$metadata#microsoft.graph.security.invokeActionResult",
                       "accountId": body["accountId"], "action": body["action"], "identityProvider": body["identityProvider"],
                       "correlationId": correlation_id}, _ids(headers), ODATA_JSON)


def handle(state, base: str, method: str, path: str, query: str, headers, raw: bytes = b"") -> Reply:
    segments = [urllib.parse.unquote(s) for s in path.strip("/").split("/")]
    collections = COLLECTIONS.get(segments[0])
    if collections is None:
        return error(400, "BadRequest", f"Invalid version: {segments[0]}", headers)
    claims, problem = _claims(state, headers)
    if problem:
        return problem
    if auto_auditing.matches(segments):
        return auto_auditing.handle(state, base, method, segments[0], claims["roles"], headers, raw)
    wrong = _wrong_segment(segments, collections)
    if wrong is not None:
        return error(400, "BadRequest", f"Resource not found for the segment '{wrong}'.", headers)
    bound_action = len(segments) == 6
    if method != ("POST" if bound_action else "GET"):
        return error(405, "BadRequest", f"The HTTP method '{method}' is not allowed for this resource in the lab's fake Graph.", headers)
    role = ACTIONS[segments[3]][0] if bound_action else collections[segments[3]][0]
    if role not in claims["roles"]:
        return _forbidden(role, claims, headers)
    try:
        if bound_action:
            return _invoke_action(state, base, segments[0], segments[4], headers, raw)
        return _get(state, base, path, segments, dict(urllib.parse.parse_qsl(query, keep_blank_values=True)), headers)
    except identities.DirectoryUnavailable as exc:
        return error(503, "ServiceNotAvailable", str(exc), headers, {"Retry-After": "5"})


def _get(state, base: str, path: str, segments: list[str], params: dict, headers) -> Reply:
    """GET a collection (paged, filtered where FILTERS allows) or one of its items."""
    filtering = FILTERS.get(segments[3]) if len(segments) == 4 else None
    refused = sorted(p for p in params if p.lower() in _REFUSED and not (p == "$filter" and filtering))
    if refused:
        return error(400, "BadRequest", f"Query option '{refused[0]}' is not supported by the lab's fake Graph.", headers)
    unknown = sorted(p for p in params if p.startswith("$") and p not in _SUPPORTED | {"$filter"})
    if unknown:
        return error(400, "BadRequest", f"Query option '{unknown[0]}' is not allowed.", headers)
    _role, build, entity = COLLECTIONS[segments[0]][segments[3]]
    items = _items(state, build)
    if len(segments) == 5:
        item = next((i for i in items if i["id"] == segments[4]), None)
        if item is None:
            return error(404, "ResourceNotFound", f"{entity} '{segments[4]}' was not found.", headers)
        context = f"{base}/{segments[0]}/$metadata#security/identities/{segments[3]}/$entity"
        return Reply(200, {"@odata.context": context, **item}, _ids(headers), ODATA_JSON)
    if "$filter" in params:
        try:
            items = filtering(items, params["$filter"])
        except ValueError as exc:
            return error(400, "BadRequest", str(exc), headers)
    return _page(state, base, path, items, params, headers)
