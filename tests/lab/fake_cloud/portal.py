# -*- coding: utf-8 -*-
"""Fake Defender portal API for MDI action accounts (base /apiproxy/aatp), as publicly observed:
remediation configuration (the LocalSystem switch) and EntityRemediatorCredentials.

Auth is the portal's user session: cookies sccauth and XSRF-TOKEN plus header X-XSRF-TOKEN equal to
the URL-decoded XSRF cookie. Microsoft documents none of this; error bodies are our choice (the real
ones are undocumented): 401 for no/expired session, 403 for a wrong XSRF token or a user without
Security Administrator, 400 for bodies a strict server would refuse, 409 for duplicates, 404 unknown.
Not emulated: session expiry over time, other portal APIs, the sensor-side effect of the settings.
"""
from __future__ import annotations

import http.cookies
import urllib.parse

BASE = "/apiproxy/aatp"
ACCOUNT_FIELDS = {"Id", "AccountName", "DomainDnsName", "AccountPassword", "IsGroupManagedServiceAccount", "IsSingleLabelAccountDomainName"}


def _err(status: int, message: str) -> tuple[int, dict]:
    return status, {"error": {"code": str(status), "message": message}}


def _session(state, headers) -> tuple[int, dict] | str:
    """The session's role, or an error reply."""
    jar = http.cookies.SimpleCookie()
    try:
        jar.load(headers.get("Cookie", ""))
    except http.cookies.CookieError:
        return _err(401, "Unauthorized")
    sccauth = jar["sccauth"].value if "sccauth" in jar else None
    sessions = state.config["portal_sessions"]
    session = next((s for s in sessions.values() if s["sccauth"] == sccauth), None)
    if session is None:
        return _err(401, "Unauthorized")
    xsrf_cookie = urllib.parse.unquote(jar["XSRF-TOKEN"].value) if "XSRF-TOKEN" in jar else None
    if xsrf_cookie != session["xsrf_token"] or headers.get("X-XSRF-TOKEN") != session["xsrf_token"]:
        return _err(403, "Forbidden: XSRF token validation failed")
    return session["role"]


def handle(state, method: str, path: str, body, headers) -> tuple[int, dict | None]:
    role = _session(state, headers)
    if isinstance(role, tuple):
        return role
    if role != "Security Administrator":
        return _err(403, "Forbidden: the user lacks the permission to manage Defender for Identity settings")
    sub = path[len(BASE):]
    with state.lock:
        if sub == "/api/remediationActions/configuration":
            if method == "GET":
                return 200, {"IsRemediationWithLocalSystemEnabled": state.data["local_system"]}
            if not isinstance(body, dict) or set(body) != {"IsRemediationWithLocalSystemEnabled"} \
                    or not isinstance(body["IsRemediationWithLocalSystemEnabled"], bool):
                return _err(400, "Invalid configuration body")
            state.data["local_system"] = body["IsRemediationWithLocalSystemEnabled"]
            state.save()
            return 200, {"IsRemediationWithLocalSystemEnabled": state.data["local_system"]}
        if sub == "/odata/EntityRemediatorCredentials":
            if method == "GET":
                return 200, {"@odata.context": f"{BASE}/odata/$metadata#EntityRemediatorCredentials", "value": state.data["accounts"]}
            return _add_account(state, body)
        if sub == "/odata/EntityRemediatorCredentials/delete" and method == "POST":
            if not isinstance(body, dict) or set(body) != {"id"} or not isinstance(body["id"], str):
                return _err(400, "Invalid delete body")
            before = len(state.data["accounts"])
            state.data["accounts"] = [a for a in state.data["accounts"] if a["Id"].lower() != body["id"].lower()]
            if len(state.data["accounts"]) == before:
                return _err(404, f"No action account {body['id']}")
            state.save()
            return 200, None
    return _err(404, "Not found")


def _add_account(state, body) -> tuple[int, dict]:
    if not isinstance(body, dict) or set(body) != ACCOUNT_FIELDS:
        return _err(400, f"Invalid account body: fields must be exactly {sorted(ACCOUNT_FIELDS)}")
    if not isinstance(body["AccountName"], str) or not body["AccountName"] or not isinstance(body["DomainDnsName"], str) \
            or "." not in body["DomainDnsName"] or body["IsGroupManagedServiceAccount"] is not True or body["AccountPassword"] is not None:
        return _err(400, "Invalid account: a gMSA needs AccountName, a DNS DomainDnsName and no password")
    account_id = f"{body['AccountName']}@{body['DomainDnsName']}"
    if any(a["Id"].lower() == account_id.lower() for a in state.data["accounts"]):
        return _err(409, f"Action account {account_id} already exists")
    entry = {**body, "Id": account_id}
    state.data["accounts"].append(entry)
    state.save()
    return 200, entry
