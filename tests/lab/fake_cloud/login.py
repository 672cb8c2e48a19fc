# -*- coding: utf-8 -*-
"""Fake Microsoft identity platform: OIDC discovery, the v2.0 token endpoint for the client
credentials grant (client secret, or a client assertion signed with the app's certificate, as msal
sends them), and an App Service-style managed identity endpoint.

Not emulated: other grants, conditional access, token signing (tokens are opaque random strings
tracked by the fake), multi-tenant apps, certificate chains, throttling beyond injected faults.
"""
from __future__ import annotations

import time
import urllib.parse

import jwt
from cryptography import x509


def _aad_error(status: int, error: str, code: int, description: str) -> tuple[int, dict]:
    return status, {"error": error, "error_description": f"AADSTS{code}: {description}", "error_codes": [code],
                    "timestamp": time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime()), "trace_id": "00000000-0000-0000-0000-000000000000"}


def discovery(base: str, tenant: str) -> dict:
    root = f"{base}/{tenant}"
    return {
        "token_endpoint": f"{root}/oauth2/v2.0/token", "authorization_endpoint": f"{root}/oauth2/v2.0/authorize",
        "device_authorization_endpoint": f"{root}/oauth2/v2.0/devicecode", "issuer": f"{root}/v2.0",
        "jwks_uri": f"{root}/discovery/v2.0/keys", "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"], "tenant_region_scope": "EU",
    }


def _check_assertion(assertion: str, app: dict, audience: str) -> str | None:
    """None when the JWT is valid for this app, else why not."""
    try:
        cert = x509.load_pem_x509_certificate(open(app["cert"], "rb").read())  # pylint: disable=consider-using-with
        claims = jwt.decode(assertion, cert.public_key(), algorithms=["RS256", "PS256"], audience=audience,
                            options={"require": ["exp", "aud", "iss", "sub"]})
    except (jwt.PyJWTError, ValueError, OSError) as exc:
        return f"client assertion invalid: {exc}"
    if claims["iss"] != app["client_id"] or claims["sub"] != app["client_id"]:
        return "client assertion iss/sub do not match the client id"
    return None


def token(state, base: str, tenant: str, form: dict) -> tuple[int, dict]:
    cfg = state.config
    if tenant != cfg["tenant_id"]:
        return _aad_error(400, "invalid_tenant", 90002, f"Tenant '{tenant}' not found.")
    if form.get("grant_type") != "client_credentials":
        return _aad_error(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.")
    client_id = form.get("client_id", "")
    app = next((a for a in cfg["apps"].values() if a["client_id"] == client_id), None)
    if app is None:
        return _aad_error(400, "unauthorized_client", 700016, f"Application with identifier '{client_id}' was not found in the directory.")
    if "client_secret" in form:
        if form["client_secret"] != app["client_secret"]:
            return _aad_error(401, "invalid_client", 7000215, "Invalid client secret provided.")
    elif form.get("client_assertion_type") == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
        problem = _check_assertion(form.get("client_assertion", ""), app, f"{base}/{tenant}/oauth2/v2.0/token")
        if problem:
            return _aad_error(401, "invalid_client", 700027, problem)
    else:
        return _aad_error(400, "invalid_request", 7000218, "The request body must contain client_assertion or client_secret.")
    scopes = form.get("scope", "").split()
    resource = f"{cfg['graph_url']}/.default"
    if resource not in scopes:
        return _aad_error(400, "invalid_scope", 1002012, f"The provided value for scope {form.get('scope')} is not valid.")
    access = state.issue_token(client_id, app["roles"])
    return 200, {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": access}


def managed_identity(state, query: str, headers) -> tuple[int, dict]:
    cfg = state.config["msi"]
    params = dict(urllib.parse.parse_qsl(query))
    if headers.get("X-IDENTITY-HEADER") != cfg["header"]:
        return 401, {"statusCode": 401, "message": "X-IDENTITY-HEADER is missing or wrong"}
    if params.get("resource", "").rstrip("/") != state.config["graph_url"]:
        return 400, {"statusCode": 400, "message": f"unknown resource {params.get('resource')!r}"}
    access = state.issue_token("managed-identity", cfg["roles"])
    return 200, {"access_token": access, "expires_on": str(int(time.time()) + 3599), "resource": params["resource"], "token_type": "Bearer"}
