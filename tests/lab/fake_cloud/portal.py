# -*- coding: utf-8 -*-
"""Fake Microsoft Defender portal API for MDI action accounts (port 8445, base /apiproxy/aatp), as
publicly observed (Microsoft documents none of it):

  GET/POST /api/remediationActions/configuration     {"IsRemediationWithLocalSystemEnabled": bool}
  GET      /odata/EntityRemediatorCredentials        {"@odata.context", "value": [account, ...]}
  POST     /odata/EntityRemediatorCredentials        add one account (exact field set, see ACCOUNT_FIELDS)
  POST     /odata/EntityRemediatorCredentials/delete {"id": "name@domain"}

Auth is a signed-in user's session: cookie sccauth (the session) and cookie XSRF-TOKEN (URL-encoded),
with header X-XSRF-TOKEN equal to the URL-decoded cookie value.

Real error bodies and statuses are NOT documented. Our choices: 401 for a missing, unknown or expired
session; 403 for a missing or wrong XSRF token, and for a session whose user is not a Security
Administrator (on reads too: stricter than the portal may be, so the collection's permission error
path shows on its first call); 400 for a body a strict server refuses (not JSON, missing or unknown
fields, wrong types, a gMSA with a password); 409 for an account that exists (compared
case-insensitively, with or without a trailing $); 404 for deleting an unknown account; 405/415 for a
wrong method or content type. Bodies are OData-style {"error": {"code", "message"}}. A request outside
/apiproxy gets the portal's single-page-app HTML with 200, as security.microsoft.com does for any page
URL: a wrong portal_url must not look like success. Adding answers 200 with the entity, deleting 204.

Not emulated: session lifetime (sessions expire only by the portal_sessions_expired setting),
redirects to the sign-in page (inject them as a fault: status 302 + Location), other portal APIs, any
effect on sensors, the portal checking that the account or domain exists.
"""
from __future__ import annotations

import copy
import hmac
import http.cookies
import json
import urllib.parse

from .reply import Reply

BASE = "/apiproxy/aatp"
ADMIN_ROLE = "Security Administrator"
CONFIG = "/api/remediationActions/configuration"
ACCOUNTS = "/odata/EntityRemediatorCredentials"
DELETE = "/odata/EntityRemediatorCredentials/delete"
SWITCH = "IsRemediationWithLocalSystemEnabled"
ACCOUNT_FIELDS = {"Id": str, "AccountName": str, "DomainDnsName": str, "AccountPassword": (str, type(None)),
                  "IsGroupManagedServiceAccount": bool, "IsSingleLabelAccountDomainName": bool}
SPA_PAGE = (b"<!DOCTYPE html><html><head><title>Microsoft Defender</title></head>"
            b"<body><div id=\"root\"></div><script src=\"/static/main.js\"></script></body></html>")


def _err(status: int, message: str) -> Reply:
    return Reply(status, {"error": {"code": str(status), "message": message}})


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def _role(state, headers) -> tuple[str | None, Reply | None]:
    """(role of the session's user, None), or (None, the error reply)."""
    jar = http.cookies.SimpleCookie()
    try:
        jar.load(headers.get("Cookie", ""))
    except http.cookies.CookieError:
        return None, _err(401, "Authorization has been denied for this request.")
    sccauth = jar["sccauth"].value if "sccauth" in jar else ""
    session = next((s for s in state.config["portal_sessions"].values() if sccauth and _same(sccauth, s["sccauth"])), None)
    if session is None or state.settings["portal_sessions_expired"]:
        return None, _err(401, "Authorization has been denied for this request.")
    cookie = urllib.parse.unquote(jar["XSRF-TOKEN"].value) if "XSRF-TOKEN" in jar else ""
    header = headers.get("X-XSRF-TOKEN", "")
    if not cookie or not header or not _same(cookie, session["xsrf_token"]) or not _same(header, cookie):
        return None, _err(403, "The anti-forgery token (X-XSRF-TOKEN header and XSRF-TOKEN cookie) is missing or invalid.")
    return session["role"], None


def _json_body(headers, raw: bytes):
    """The JSON body, or an error Reply."""
    if headers.get("Content-Type", "").split(";")[0].strip().lower() != "application/json":
        return _err(415, "The request entity's media type is not supported: send application/json.")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _err(400, "The request body is not valid JSON.")


def handle(state, base: str, method: str, path: str, headers, raw: bytes) -> Reply:
    if not path.startswith("/apiproxy/"):
        return Reply(200, SPA_PAGE, {}, "text/html; charset=utf-8")
    role, problem = _role(state, headers)
    if problem:
        return problem
    if role != ADMIN_ROLE:
        return _err(403, f"The user lacks the {ADMIN_ROLE} role needed to manage Defender for Identity settings.")
    sub = path[len(BASE):] if path.startswith(BASE + "/") else None
    routes = {CONFIG: ("GET", "POST"), ACCOUNTS: ("GET", "POST"), DELETE: ("POST",)}
    if sub not in routes:
        return _err(404, f"No API at {path}.")
    if method not in routes[sub]:
        return _err(405, f"The requested resource does not support http method '{method}'.")
    body = None
    if method == "POST":
        body = _json_body(headers, raw)
        if isinstance(body, Reply):
            return body
    with state.lock:
        if sub == CONFIG:
            return _configuration(state, body)
        if sub == ACCOUNTS and method == "GET":
            return Reply(200, {"@odata.context": f"{base}{BASE}/odata/$metadata#EntityRemediatorCredentials",
                               "value": copy.deepcopy(state.data["accounts"])})
        if sub == ACCOUNTS:
            return _add(state, body)
        return _delete(state, body)


def _configuration(state, body) -> Reply:
    if body is not None:
        if not isinstance(body, dict) or set(body) != {SWITCH} or not isinstance(body[SWITCH], bool):
            return _err(400, f"The body must be exactly {{\"{SWITCH}\": true|false}}.")
        state.data["local_system"] = body[SWITCH]
        state.save()
    return Reply(200, {SWITCH: state.data["local_system"]})


def _key(account_id: str) -> str:
    name, _at, domain = account_id.lower().rpartition("@")
    return f"{name.rstrip('$')}@{domain}"


def _account_problem(body) -> str | None:
    if not isinstance(body, dict):
        return "The body must be a JSON object."
    missing, unknown = sorted(set(ACCOUNT_FIELDS) - set(body)), sorted(set(body) - set(ACCOUNT_FIELDS))
    if missing or unknown:
        return f"Invalid account: missing fields {missing}, unknown fields {unknown}."
    wrong = [k for k, kind in ACCOUNT_FIELDS.items() if not isinstance(body[k], kind) or (kind is not bool and isinstance(body[k], bool))]
    if wrong:
        return f"Invalid account: wrong types for {wrong}."
    name, domain = body["AccountName"], body["DomainDnsName"]
    if body["Id"] != "":
        return "Invalid account: Id must be empty when adding (the server assigns it)."
    if not name or len(name) > 256 or any(c in name for c in "@\\/ "):
        return "Invalid account: AccountName must be a bare account name (no domain part)."
    if not domain or ("." in domain) == body["IsSingleLabelAccountDomainName"]:
        return "Invalid account: DomainDnsName does not agree with IsSingleLabelAccountDomainName."
    if body["IsGroupManagedServiceAccount"] != (body["AccountPassword"] is None) or body["AccountPassword"] == "":
        return "Invalid account: a gMSA takes no password; any other account needs one."
    return None


def _add(state, body) -> Reply:
    problem = _account_problem(body)
    if problem:
        return _err(400, problem)
    account_id = f"{body['AccountName']}@{body['DomainDnsName']}"
    if any(_key(a["Id"]) == _key(account_id) for a in state.data["accounts"]):
        return _err(409, f"An action account {account_id} already exists.")
    # The password of a non-gMSA account is never stored or returned.
    entry = {**body, "Id": account_id, "AccountPassword": None}
    state.data["accounts"].append(entry)
    state.save()
    return Reply(200, copy.deepcopy(entry))


def _delete(state, body) -> Reply:
    if not isinstance(body, dict) or set(body) != {"id"} or not isinstance(body["id"], str) or not body["id"]:
        return _err(400, "The body must be exactly {\"id\": \"name@domain\"}.")
    before = len(state.data["accounts"])
    state.data["accounts"] = [a for a in state.data["accounts"] if a["Id"].lower() != body["id"].lower()]
    if len(state.data["accounts"]) == before:
        return _err(404, f"No action account {body['id']}.")
    state.save()
    return Reply(204)
