# -*- coding: utf-8 -*-
"""Fake App Service managed identity endpoint (GET /msi/token on the login port): what
msal.ManagedIdentityClient calls when IDENTITY_ENDPOINT and IDENTITY_HEADER are set (msal 1.39,
managed_identity._obtain_token_on_app_service): GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=R
[&client_id=|mi_res_id=|object_id=] with headers X-IDENTITY-HEADER and Metadata: true.

Answers {"access_token", "expires_on" (epoch seconds as a string), "resource", "token_type", "client_id"}.
Errors are {"statusCode", "message", "correlationId"}: 401 for a missing or wrong X-IDENTITY-HEADER
(our choice: App Service documents no exact status), 400 for a wrong api-version or an unknown
user-assigned identity ("Unable to load the proper Managed Identity."), 500 for an unknown resource
(msal notes "wrong resource ends up with a vague statusCode=500").

Not emulated: the real endpoint is plain http on localhost inside the App Service sandbox (this one is
https on the lab address), IMDS/Arc/Service Fabric/Cloud Shell/Azure ML sources, token caching on the
endpoint side, several user-assigned identities.
"""
from __future__ import annotations

import hmac
import time
import urllib.parse
import uuid

from .reply import Reply

API_VERSION = "2019-08-01"
GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"


def _error(status: int, message: str) -> Reply:
    return Reply(status, {"statusCode": status, "message": message, "correlationId": str(uuid.uuid4())})


def _identity(cfg: dict, params: dict) -> dict | None:
    """The managed identity the request names: system-assigned by default, or the user-assigned one."""
    if "client_id" in params or "object_id" in params or "mi_res_id" in params:
        user = cfg["user_assigned"]
        key = next(k for k in ("client_id", "object_id", "mi_res_id") if k in params)
        return user if params[key].lower() == user[key].lower() else None
    return cfg["system_assigned"]


def handle(state, method: str, query: str, headers) -> Reply:
    cfg = state.config["msi"]
    params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
    if method != "GET":
        return _error(405, f"The requested resource does not support http method '{method}'.")
    sent = headers.get("X-IDENTITY-HEADER", "")
    if not sent or not hmac.compare_digest(sent.encode(), cfg["header"].encode()):
        return _error(401, "X-IDENTITY-HEADER is missing or does not match IDENTITY_HEADER.")
    if params.get("api-version") != API_VERSION:
        return _error(400, f"api-version '{params.get('api-version')}' is not supported; use {API_VERSION}.")
    identity = _identity(cfg, params)
    if identity is None:
        return _error(400, "Unable to load the proper Managed Identity.")
    resource = params.get("resource", "")
    if resource.rstrip("/") not in (state.config["graph_url"], GRAPH_APP_ID):
        return _error(500, "An unexpected error occured while fetching the AAD Token.")
    config = state.config
    access, expires_in = state.tokens.issue(issuer=f"{config['urls']['login']}/{config['tenant_id']}/v2.0",
                                            audience=config["graph_url"], tenant=config["tenant_id"],
                                            app_id=identity["client_id"], roles=identity["roles"],
                                            lifetime=state.settings["token_lifetime"])
    return Reply(200, {"access_token": access, "expires_on": str(int(time.time()) + expires_in), "resource": resource,
                       "token_type": "Bearer", "client_id": identity["client_id"]})
