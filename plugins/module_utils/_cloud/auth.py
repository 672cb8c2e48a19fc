# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: Microsoft Graph access tokens with msal.

Credentials: client secret, certificate (PEM private key + thumbprint, or a PEM certificate file the
thumbprint is computed from), or a managed identity (system-assigned, or user-assigned by client id).
msal's HTTP goes through HttpClient, so ``ca_cert``, the timeout and the retry helper apply to sign-in too.
"""
from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import traceback
from urllib.parse import urlsplit

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.errors import CloudError

try:
    import msal
except ImportError:
    HAS_MSAL = False
    MSAL_IMPORT_ERROR = traceback.format_exc()
    _KNOWN_AUTHORITY_HOSTS = frozenset()
else:
    HAS_MSAL = True
    MSAL_IMPORT_ERROR = None
    _KNOWN_AUTHORITY_HOSTS = frozenset(getattr(msal.authority, "WELL_KNOWN_AUTHORITY_HOSTS", ()))

# msal logs an unreadable token answer (the whole body) with its traceback. Without a handler of its own, Python's
# last-resort handler prints that to the worker's stderr, and Ansible shows it; the task's CloudError says what happened.
logging.getLogger("msal").addHandler(logging.NullHandler())

ACTION = "get a Microsoft Graph access token"
_KEY_PEM = re.compile(r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----.+?-----END (?:[A-Z]+ )*PRIVATE KEY-----", re.S)
_CERT_PEM = re.compile(r"-----BEGIN CERTIFICATE-----(.+?)-----END CERTIFICATE-----", re.S)
_AAD_HINTS = {
    "invalid_client": "check client_secret or the certificate registered for the app",
    "unauthorized_client": "check client_id and tenant_id",
    "invalid_tenant": "check tenant_id",
    "invalid_scope": "check graph_url: the scope is <graph_url>/.default",
    "invalid_resource": "check graph_url",
}


class MsalHttpClient:
    """msal's ``http_client``: every sign-in request through HttpClient (per-request verify, timeout, retries)."""

    def __init__(self, http):
        self._http = http

    def get(self, url, params=None, headers=None, **kwargs):  # pylint: disable=unused-argument
        return self._http.send("GET", url, params=params, headers=headers)

    def post(self, url, params=None, data=None, headers=None, **kwargs):  # pylint: disable=unused-argument
        return self._http.send("POST", url, params=params, data=data, headers=headers)

    def close(self):
        pass


def normalize_host(authority_host: str) -> str:
    """``login.microsoftonline.us`` or ``https://login.microsoftonline.us/`` -> ``https://login.microsoftonline.us``."""
    host = (authority_host or "").strip().rstrip("/")
    if "://" not in host:
        host = "https://" + host
    if not host.startswith("https://"):
        raise CloudError(f"authority_host must be an https URL, not {authority_host!r}", action=ACTION)
    return host


def _read(path: str, what: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise CloudError(f"cannot read {what} {path}: {exc.strerror if isinstance(exc, OSError) else 'not a PEM text file'}",
                         action=ACTION) from exc


def certificate_credential(certificate_path=None, private_key_path=None, thumbprint=None, passphrase=None) -> dict:
    """msal's certificate credential: the PEM private key and the certificate's SHA-1 thumbprint (hex)."""
    cert_pem = _read(certificate_path, "client_certificate_path") if certificate_path else ""
    key_pem = _read(private_key_path, "client_private_key_path") if private_key_path else cert_pem
    key = _KEY_PEM.search(key_pem)
    if not key:
        where = private_key_path or certificate_path
        raise CloudError(f"no PEM private key in {where}: set client_private_key_path to the key's file", action=ACTION)
    if not thumbprint:
        cert = _CERT_PEM.search(cert_pem)
        if not cert:
            raise CloudError("set client_certificate_path to the app's PEM certificate, or client_certificate_thumbprint", action=ACTION)
        der = base64.b64decode("".join(cert.group(1).split()))
        thumbprint = hashlib.sha1(der, usedforsecurity=False).hexdigest()
    thumbprint = re.sub(r"[\s:]", "", thumbprint).upper()
    if not re.fullmatch(r"[0-9A-F]{40}", thumbprint):
        raise CloudError("client_certificate_thumbprint must be the certificate's SHA-1 thumbprint (40 hex digits)", action=ACTION)
    credential = {"private_key": key.group(0), "thumbprint": thumbprint}
    if passphrase:
        credential["passphrase"] = passphrase
    return credential


class TokenProvider:
    """One Graph token per run: acquired on first use, then reused (and registered as a secret to scrub)."""

    def __init__(self, http, graph_url, authority_host=None, tenant_id=None, client_id=None, client_secret=None,
                 client_certificate_path=None, client_private_key_path=None, client_certificate_thumbprint=None,
                 client_private_key_passphrase=None, managed_identity=False):
        self._http = http
        self.graph_url = graph_url.rstrip("/")
        self.authority_host = normalize_host(authority_host or "https://login.microsoftonline.com")
        self.tenant_id = tenant_id
        self.client_id = client_id
        self.managed_identity = bool(managed_identity)
        self._secret = client_secret
        self._certificate = (client_certificate_path, client_private_key_path, client_certificate_thumbprint, client_private_key_passphrase)
        for value in (client_secret, client_private_key_passphrase):
            http.secrets.add(value)
        self._token = None

    @property
    def method(self) -> str:
        """Which credential is used: managed identity, then certificate, then client secret."""
        if self.managed_identity:
            return "managed_identity"
        if self._certificate[0] or self._certificate[1]:
            return "certificate"
        if self._secret:
            return "client_secret"
        raise CloudError("no credential: set client_secret, client_certificate_path (or client_private_key_path"
                         " and client_certificate_thumbprint), or managed_identity=true", action=ACTION)

    def token(self) -> str:
        if self._token is None:
            result = self._acquire()
            if not isinstance(result, dict) or "access_token" not in result:
                raise CloudError(self._refusal(result or {}), action=ACTION)
            self._token = result["access_token"]
            self._http.secrets.add(self._token)
        return self._token

    def _acquire(self) -> dict:
        method = self.method
        try:
            if method == "managed_identity":
                identity = (msal.UserAssignedManagedIdentity(client_id=self.client_id) if self.client_id
                            else msal.SystemAssignedManagedIdentity())
                client = msal.ManagedIdentityClient(identity, http_client=MsalHttpClient(self._http))
                return client.acquire_token_for_client(resource=self.graph_url)
            app = self._confidential_app(method)
            return app.acquire_token_for_client(scopes=[f"{self.graph_url}/.default"])
        except CloudError as exc:
            exc.action = exc.action or ACTION
            raise
        except json.JSONDecodeError as exc:  # a ValueError too: the sign-in host answered, but not with JSON (an HTML page?)
            raise CloudError(f"{self.authority_host} answered the sign-in with something that is not JSON (an HTML page?): "
                             "check authority_host (the Microsoft Entra sign-in host) and any proxy in between", action=ACTION) from exc
        except ValueError as exc:  # msal's own: unknown authority, unreadable key, managed identity unavailable
            first = str(exc).strip().split(". ", maxsplit=1)[0]
            raise CloudError(self._http.secrets.scrub(f"msal refused the configuration: {first}; check authority_host, tenant_id "
                                                      "and the credential options"), action=ACTION) from exc

    def _confidential_app(self, method: str):
        missing = [name for name in ("tenant_id", "client_id") if not getattr(self, name)]
        if missing:
            raise CloudError(f"{' and '.join(missing)} must be set unless managed_identity=true", action=ACTION)
        credential = certificate_credential(*self._certificate) if method == "certificate" else self._secret
        known = urlsplit(self.authority_host).hostname in _KNOWN_AUTHORITY_HOSTS
        return msal.ConfidentialClientApplication(
            self.client_id, client_credential=credential, authority=f"{self.authority_host}/{self.tenant_id}",
            http_client=MsalHttpClient(self._http),
            # Instance discovery asks login.microsoftonline.com about the authority: only for Microsoft's own hosts.
            instance_discovery=None if known else False)

    def _refusal(self, result: dict) -> str:
        error = result.get("error") or "no token"
        # AAD appends "Trace ID / Correlation ID / Timestamp" lines: the first line is the message.
        lines = str(result.get("error_description") or "").strip().splitlines()
        description = f": {lines[0].rstrip('.')}" if lines else ""
        hint = f"; {_AAD_HINTS[error]}" if error in _AAD_HINTS else ""
        if "error" not in result and not self.managed_identity:  # neither a token nor a refusal: not Entra ID's token endpoint
            hint = "; the answer holds neither a token nor an error: check authority_host (the Microsoft Entra sign-in host)"
        return self._http.secrets.scrub(f"the sign-in was refused ({error}){description}{hint}")
