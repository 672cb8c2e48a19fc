# -*- coding: utf-8 -*-
"""Fake Microsoft identity platform (the authority, port 8443):

  GET  /{tenant}/v2.0/.well-known/openid-configuration   (what msal reads in its constructor)
  GET  /{tenant}/discovery/v2.0/keys                     (JWKS of the access-token signing key)
  POST /{tenant}/oauth2/v2.0/token                        client credentials grant, form-encoded
  GET  /msi/token                                         App Service managed identity (msi.py)

{tenant} is the tenant id or its onmicrosoft.com name. The token endpoint takes client_secret or a
certificate client_assertion (assertion.py), and only the scope `<graph url>/.default` (or Graph's
app id + /.default). Errors are Entra ID's JSON: error, error_description "AADSTSnnn: ...",
error_codes, timestamp, trace_id, correlation_id, error_uri, with Entra ID's codes and statuses.

Not emulated: other grants (auth code, device code, ROPC, OBO, refresh), /common and /organizations,
instance discovery, v1 endpoints, conditional access, consent, throttling and MFA, secret expiry,
the breadth of Entra ID's request validation (only the checks below are made), token caching hints.
"""
from __future__ import annotations

import base64
import binascii
import hmac
import time
import urllib.parse
import uuid

from . import assertion, msi
from .msi import GRAPH_APP_ID
from .reply import Reply
_NO_STORE = {"Cache-Control": "no-store, no-cache", "Pragma": "no-cache"}


def aad_error(base: str, status: int, error: str, code: int, description: str) -> Reply:
    trace, correlation = str(uuid.uuid4()), str(uuid.uuid4())
    stamp = time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime())
    return Reply(status, {
        "error": error,
        "error_description": f"AADSTS{code}: {description} Trace ID: {trace} Correlation ID: {correlation} Timestamp: {stamp}",
        "error_codes": [code], "timestamp": stamp, "trace_id": trace, "correlation_id": correlation,
        "error_uri": f"{base}/error?code={code}",
    }, dict(_NO_STORE))


def _tenant_known(config: dict, tenant: str) -> bool:
    return tenant.lower() in {config["tenant_id"], *(d.lower() for d in config["tenant_domains"])}


def _unknown_tenant(base: str, tenant: str, error: str) -> Reply:
    return aad_error(base, 400, error, 90002, f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and "
                                              "are signing into the correct cloud. Check with your subscription administrator, "
                                              "this may happen if there are no active subscriptions for the tenant.")


def discovery(config: dict, base: str) -> dict:
    root, tid = f"{base}/{config['tenant_id']}", config["tenant_id"]
    return {
        "token_endpoint": f"{root}/oauth2/v2.0/token",
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": f"{root}/discovery/v2.0/keys", "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"], "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"], "issuer": f"{root}/v2.0",
        "request_uri_parameter_supported": False, "userinfo_endpoint": f"{config['graph_url']}/oidc/userinfo",
        "authorization_endpoint": f"{root}/oauth2/v2.0/authorize", "device_authorization_endpoint": f"{root}/oauth2/v2.0/devicecode",
        "http_logout_supported": True, "frontchannel_logout_supported": True, "end_session_endpoint": f"{root}/oauth2/v2.0/logout",
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "nonce", "tid", "ver", "oid", "roles"],
        "kerberos_endpoint": f"{root}/kerberos", "tenant_region_scope": "EU", "cloud_instance_name": "lab.test",
        "cloud_graph_host_name": "graph.lab.test", "msgraph_host": urllib.parse.urlsplit(config["graph_url"]).netloc,
        "rbac_url": "https://management.lab.test", "tid": tid,
    }


def handle(state, base: str, method: str, path: str, query: str, headers, raw: bytes) -> Reply:
    if path == "/msi/token":
        return msi.handle(state, method, query, headers)
    parts = path.strip("/").split("/")
    tail = "/".join(parts[1:])
    if len(parts) < 2 or tail not in ("v2.0/.well-known/openid-configuration", "discovery/v2.0/keys", "oauth2/v2.0/token"):
        return aad_error(base, 404, "invalid_request", 900561, f"The endpoint '{path}' is not served by the lab's fake login.")
    tenant = urllib.parse.unquote(parts[0])
    expected = "POST" if tail == "oauth2/v2.0/token" else "GET"
    if method != expected:
        return aad_error(base, 405, "invalid_request", 900561, f"The endpoint only accepts {expected} requests. Received a {method} request.")
    if not _tenant_known(state.config, tenant):
        return _unknown_tenant(base, tenant, "invalid_tenant" if expected == "GET" else "invalid_request")
    if tail == "discovery/v2.0/keys":
        return Reply(200, state.tokens.jwks())
    if expected == "GET":
        return Reply(200, discovery(state.config, base))
    return token(state, base, tenant, headers, raw)


def _form(headers, raw: bytes) -> dict | None:
    if headers.get("Content-Type", "").split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
        return None
    try:
        return dict(urllib.parse.parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(raw)))
    except (UnicodeDecodeError, ValueError):
        return None


def _basic_credentials(headers) -> tuple[str, str] | None:
    scheme, _sp, value = headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, _colon, secret = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return urllib.parse.unquote_plus(client_id), urllib.parse.unquote_plus(secret)


def _missing(base: str, name: str) -> Reply:
    return aad_error(base, 400, "invalid_request", 900144, f"The request body must contain the following parameter: '{name}'.")


def _authenticate(state, base: str, tenant: str, form: dict, app: dict) -> Reply | None:
    """None when the client proved it is the app; else Entra ID's error."""
    client_id = app["client_id"]
    if form.get("client_secret"):
        if not hmac.compare_digest(form["client_secret"].encode(), app["client_secret"].encode()):
            return aad_error(base, 401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the "
                                                                   "request is the client secret value, not the client secret ID, for a "
                                                                   f"secret added to app '{client_id}'.")
        return None
    if form.get("client_assertion"):
        if form.get("client_assertion_type") != assertion.TYPE:
            return _missing(base, "client_assertion_type")
        # aud must be the token endpoint the client called (tenant as written in its path).
        endpoint = f"{base}/{urllib.parse.quote(tenant)}/oauth2/v2.0/token"
        try:
            assertion.check(form["client_assertion"], state.app_certs.get(client_id), client_id, endpoint)
        except assertion.Rejected as exc:
            return aad_error(base, 401, "invalid_client", exc.code, exc.description)
        return None
    return aad_error(base, 401, "invalid_client", 7000218, "The request body must contain the following parameter: "
                                                           "'client_assertion' or 'client_secret'.")


def _resource(config: dict, base: str, scope: str) -> tuple[str | None, Reply | None]:
    """(resource, None) for a valid client-credentials scope, else (None, error)."""
    scopes = scope.split()
    if len(scopes) != 1 or not scopes[0].endswith("/.default"):
        return None, aad_error(base, 400, "invalid_scope", 1002012, f"The provided value for scope {scope} is not valid. Client "
                                                                    "credential flows must have a scope value with /.default "
                                                                    "suffixed to the resource identifier (application ID URI).")
    resource = scopes[0][:-len("/.default")]
    if resource.rstrip("/") not in (config["graph_url"], GRAPH_APP_ID):
        return None, aad_error(base, 400, "invalid_resource", 500011,
                               f"The resource principal named {resource} was not found in the tenant named {config['tenant_domains'][0]}. "
                               "This can happen if the application has not been installed by the administrator of the tenant or "
                               "consented to by any user in the tenant. You might have sent your authentication request to the "
                               "wrong tenant.")
    return resource, None


def token(state, base: str, tenant: str, headers, raw: bytes) -> Reply:
    form = _form(headers, raw)
    if form is None:
        return _missing(base, "grant_type")  # what Entra ID answers to a JSON body
    basic = _basic_credentials(headers)
    if basic:  # client_secret_basic, as advertised in the discovery document
        form.setdefault("client_id", basic[0])
        form.setdefault("client_secret", basic[1])
    config = state.config
    if not form.get("grant_type"):
        return _missing(base, "grant_type")
    if form["grant_type"] != "client_credentials":
        return aad_error(base, 400, "unsupported_grant_type", 70003, f"The app requested an unsupported grant type '{form['grant_type']}'.")
    for name in ("client_id", "scope"):
        if not form.get(name):
            return _missing(base, name)
    app = state.app(form["client_id"])
    if app is None:
        return aad_error(base, 400, "unauthorized_client", 700016,
                         f"Application with identifier '{form['client_id']}' was not found in the directory "
                         f"'{config['tenant_domains'][0]}'. This can happen if the application has not been installed by the "
                         "administrator of the tenant or consented to by any user in the tenant. You may have sent your "
                         "authentication request to the wrong tenant.")
    problem = _authenticate(state, base, tenant, form, app)
    if problem:
        return problem
    _resource_name, problem = _resource(config, base, form["scope"])
    if problem:
        return problem
    access, expires_in = state.tokens.issue(issuer=f"{base}/{config['tenant_id']}/v2.0", audience=config["graph_url"],
                                            tenant=config["tenant_id"], app_id=app["client_id"], roles=app["roles"],
                                            lifetime=state.settings["token_lifetime"])
    return Reply(200, {"token_type": "Bearer", "expires_in": expires_in, "ext_expires_in": expires_in, "access_token": access},
                 dict(_NO_STORE))
