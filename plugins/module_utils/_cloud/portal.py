# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the Microsoft Defender portal's MDI action-account API.

Microsoft publishes no API for this: these are the portal's own endpoints as publicly observed
(base .../apiproxy/aatp), authenticated by a signed-in user's session (cookies sccauth and XSRF-TOKEN,
header X-XSRF-TOKEN = the URL-decoded XSRF-TOKEN). Every response is checked against the observed
shape: if Microsoft changes the API, the task fails with a clear message instead of reporting a wrong "ok".
"""
from __future__ import annotations

import re
from urllib.parse import quote, unquote

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.errors import CloudError

DEFAULT_PORTAL_URL = "https://security.microsoft.com/apiproxy/aatp"
CONFIG_PATH = "/api/remediationActions/configuration"
ACCOUNTS_PATH = "/odata/EntityRemediatorCredentials"
DELETE_PATH = "/odata/EntityRemediatorCredentials/delete"
LOCAL_SYSTEM_KEY = "IsRemediationWithLocalSystemEnabled"
SERVICE = "the Defender portal"

_SESSION = "session expired or lacks Security Administrator: sign in again and copy fresh sccauth and XSRF-TOKEN cookies"
_CHANGED = "Microsoft may have changed this undocumented portal API"
# The portal answers a lapsed session with its sign-in page (HTML), not with 401.
_SESSION_FIX = "the session may have expired: sign in again and copy fresh sccauth and XSRF-TOKEN cookies (or check portal_url)"
_HINTS = {
    401: _SESSION, 403: _SESSION, 440: _SESSION,
    301: f"the portal redirected the request (to its sign-in page?): {_SESSION}",
    302: f"the portal redirected the request (to its sign-in page?): {_SESSION}",
    303: f"the portal redirected the request (to its sign-in page?): {_SESSION}",
    307: f"the portal redirected the request (to its sign-in page?): {_SESSION}",
    400: f"the portal refused the request as malformed ({_CHANGED})",
    404: f"the portal has no such endpoint (check portal_url; {_CHANGED})",
    405: f"the portal does not allow this call ({_CHANGED})",
}


def cookie_value(name: str, value) -> str:
    """The bare cookie value: pasted "name=value" and surrounding blanks are accepted, anything else that would
    break the Cookie header (and so could be echoed in an error) is refused without showing it."""
    value = (value or "").strip()
    if value.lower().startswith(name.lower() + "="):
        value = value[len(name) + 1:]
    if not value or re.search(r"[\s;,\"\\]|[^\x21-\x7e]", value):
        raise CloudError(f"the {name} cookie must be its value alone: no spaces, ';', ',', quotes or line breaks",
                         action="connect to the Defender portal")
    return value


def _changed(what: str, problem: str, action: str) -> CloudError:
    return CloudError(f"{SERVICE} returned an unexpected {what}: {problem}; {_CHANGED}: update this collection, or make the change "
                      "by hand in the portal (mdi_action_account with mode=manual lists the steps)", action=action)


def normalize_account(item, action: str) -> dict:
    """{'id', 'account_name', 'domain', 'gmsa'} from one EntityRemediatorCredentials entry."""
    if not isinstance(item, dict):
        raise _changed("action account entry", f"{type(item).__name__}, not an object", action)
    account_id, name = item.get("Id"), item.get("AccountName")
    if not isinstance(account_id, str) or not account_id or not isinstance(name, str) or not name:
        raise _changed("action account entry", "no 'Id' or 'AccountName' text", action)
    domain = item.get("DomainDnsName")
    if domain is None and "@" in account_id:
        domain = account_id.rsplit("@", 1)[1]
    if not isinstance(domain, str) or not domain:
        raise _changed("action account entry", f"no domain for {account_id}", action)
    gmsa = item.get("IsGroupManagedServiceAccount", True)  # the portal lists gMSAs and password accounts alike
    return {"id": account_id, "account_name": name, "domain": domain, "gmsa": gmsa is not False}


class PortalClient:
    def __init__(self, http, portal_url: str, portal_sccauth: str, portal_xsrf_token: str):
        if not portal_sccauth or not portal_xsrf_token:
            raise CloudError("portal_sccauth and portal_xsrf_token must be set: they are the cookies of a signed-in portal session",
                             action="connect to the Defender portal")
        sccauth, xsrf_token = cookie_value("sccauth", portal_sccauth), cookie_value("XSRF-TOKEN", portal_xsrf_token)
        self.portal_url = (portal_url or DEFAULT_PORTAL_URL).rstrip("/")
        if not self.portal_url.startswith("https://"):
            raise CloudError(f"portal_url must be an https URL (it carries the session cookies), not {portal_url!r}",
                             action="connect to the Defender portal")
        self._http = http
        # Accept the cookie as the browser stores it (URL-encoded) or decoded: send the cookie encoded, the header decoded.
        xsrf = unquote(xsrf_token)
        for value in (sccauth, xsrf_token):
            http.secrets.add(value)  # with its URL-encoded and decoded forms
        self._headers = {"Cookie": f"sccauth={sccauth}; XSRF-TOKEN={quote(xsrf, safe='')}", "X-XSRF-TOKEN": xsrf,
                         "Accept": "application/json"}

    def _call(self, method: str, path: str, action: str, body=None):
        response = self._http.send(method, self.portal_url + path, json=body, headers=self._headers, allow_redirects=False)
        if not 200 <= response.status_code < 300:
            raise self._http.status_error(response, _HINTS, action)
        return response

    def _json(self, method: str, path: str, action: str, body=None, empty_ok: bool = False):
        response = self._call(method, path, action, body)
        if empty_ok and not (response.content or b"").strip():
            return None
        return self._http.json_body(response, SERVICE, action, _SESSION_FIX)

    def local_system(self) -> bool:
        action = "read the LocalSystem setting of MDI remediation actions"
        body = self._json("GET", CONFIG_PATH, action)
        if not isinstance(body, dict) or not isinstance(body.get(LOCAL_SYSTEM_KEY), bool):
            raise _changed("remediation configuration", f"no boolean {LOCAL_SYSTEM_KEY!r}", action)
        return body[LOCAL_SYSTEM_KEY]

    def set_local_system(self, enabled: bool) -> None:
        action = f"turn {'on' if enabled else 'off'} LocalSystem for MDI remediation actions"
        body = self._json("POST", CONFIG_PATH, action, {LOCAL_SYSTEM_KEY: enabled}, empty_ok=True)
        if body is not None and (not isinstance(body, dict) or body.get(LOCAL_SYSTEM_KEY, enabled) is not enabled):
            raise _changed("answer to the configuration change", f"it does not confirm {LOCAL_SYSTEM_KEY}={enabled}", action)

    def accounts(self) -> list[dict]:
        action = "list MDI action accounts"
        body = self._json("GET", ACCOUNTS_PATH, action)
        if not isinstance(body, dict) or not isinstance(body.get("value"), list):
            raise _changed("action account list", "no 'value' list", action)
        return [normalize_account(item, action) for item in body["value"]]

    def add(self, payload: dict) -> None:
        action = f"register MDI action account {payload['AccountName']}@{payload['DomainDnsName']}"
        self._json("POST", ACCOUNTS_PATH, action, payload, empty_ok=True)

    def delete(self, account_id: str) -> None:
        self._json("POST", DELETE_PATH, f"remove MDI action account {account_id}", {"id": account_id}, empty_ok=True)
