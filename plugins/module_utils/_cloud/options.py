# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the Microsoft cloud options.

Documented in plugins/doc_fragments/: cloud_http.py (HTTP_OPTION_NAMES -> http.HttpClient),
graph_auth.py (GRAPH_AUTH_OPTION_NAMES -> auth.TokenProvider) and defender_portal.py
(PORTAL_OPTION_NAMES -> portal.PortalClient). Keep each fragment in step with its spec here.
"""
from __future__ import annotations

from ansible.module_utils.basic import env_fallback

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.portal import DEFAULT_PORTAL_URL

DEFAULT_GRAPH_URL = "https://graph.microsoft.com"
DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com"

HTTP_OPTION_NAMES = ("ca_cert", "validate_certs", "timeout", "retries")
GRAPH_AUTH_OPTION_NAMES = ("graph_url", "authority_host", "tenant_id", "client_id", "client_secret", "client_certificate_path",
                           "client_private_key_path", "client_certificate_thumbprint", "client_private_key_passphrase", "managed_identity")
PORTAL_OPTION_NAMES = ("portal_url", "portal_sccauth", "portal_xsrf_token")


def _env(*names) -> tuple:
    return (env_fallback, list(names))


def http_argument_spec() -> dict:
    return {
        "ca_cert": {"type": "path", "fallback": _env("MDI_CLOUD_CA_CERT")},
        "validate_certs": {"type": "bool", "default": True},
        "timeout": {"type": "int", "default": 30},
        "retries": {"type": "int", "default": 3},
    }


def graph_auth_argument_spec() -> dict:
    return {
        "graph_url": {"type": "str", "default": DEFAULT_GRAPH_URL, "fallback": _env("MDI_GRAPH_URL")},
        "authority_host": {"type": "str", "default": DEFAULT_AUTHORITY_HOST, "fallback": _env("AZURE_AUTHORITY_HOST")},
        "tenant_id": {"type": "str", "fallback": _env("AZURE_TENANT_ID")},
        "client_id": {"type": "str", "fallback": _env("AZURE_CLIENT_ID")},
        "client_secret": {"type": "str", "no_log": True, "fallback": _env("AZURE_CLIENT_SECRET")},
        "client_certificate_path": {"type": "path", "fallback": _env("AZURE_CLIENT_CERTIFICATE_PATH")},
        "client_private_key_path": {"type": "path", "no_log": False},
        "client_certificate_thumbprint": {"type": "str"},
        "client_private_key_passphrase": {"type": "str", "no_log": True, "fallback": _env("AZURE_CLIENT_CERTIFICATE_PASSWORD")},
        "managed_identity": {"type": "bool", "default": False},
    }


def portal_argument_spec() -> dict:
    return {
        "portal_url": {"type": "str", "default": DEFAULT_PORTAL_URL, "fallback": _env("MDI_PORTAL_URL")},
        "portal_sccauth": {"type": "str", "no_log": True, "fallback": _env("MDI_PORTAL_SCCAUTH")},
        "portal_xsrf_token": {"type": "str", "no_log": True, "fallback": _env("MDI_PORTAL_XSRF_TOKEN")},
    }


def _sensors_option() -> dict:
    # The tenant's sensors as mdi_sensor_info / action_identity_info return them; given, Graph is not asked.
    return {"sensors": {"type": "list", "elements": "dict"}}


def action_account_argument_spec() -> dict:
    """mdi_action_account's options (its constraints: ACTION_ACCOUNT_CONSTRAINTS)."""
    spec = {
        "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
        "identity": {"type": "str", "default": "gmsa", "choices": ["gmsa", "local_system"]},
        "name": {"type": "str"},
        "domain": {"type": "str"},
        "use_local_system": {"type": "bool"},
        "mode": {"type": "str", "default": "api", "choices": ["api", "manual"]},
        **_sensors_option(),
    }
    return {**spec, **portal_argument_spec(), **graph_auth_argument_spec(), **http_argument_spec()}


ACTION_ACCOUNT_CONSTRAINTS = {"required_if": [("mode", "api", ("portal_sccauth", "portal_xsrf_token")),
                                              ("identity", "gmsa", ("name", "domain"))]}


def sensor_info_argument_spec() -> dict:
    """mdi_sensor_info's options."""
    return {"health_issues": {"type": "bool", "default": False}, **graph_auth_argument_spec(), **http_argument_spec()}


def action_identity_argument_spec() -> dict:
    """action_identity_info's options: the decision's inputs, and optionally the portal session to judge the tenant's setting."""
    spec = {
        "identity": {"type": "str", "default": "auto", "choices": ["auto", "gmsa", "local_system"]},
        "migration": {"type": "bool", "default": True},
        **_sensors_option(),
    }
    return {**spec, **graph_auth_argument_spec(), **portal_argument_spec(), **http_argument_spec()}


def pick(params: dict, names: tuple) -> dict:
    """The keywords for one backend class out of validated parameters."""
    return {name: params.get(name) for name in names}


def health_info_argument_spec() -> dict:
    """mdi_health_info's options: client-side filters (health.select), then Graph sign-in and HTTP."""
    spec = {
        "status": {"type": "list", "elements": "str", "default": ["open"], "choices": ["open", "closed", "suppressed"]},
        "domains": {"type": "list", "elements": "str", "default": []},
        "sensors": {"type": "list", "elements": "str", "default": []},
        "severities": {"type": "list", "elements": "str", "default": [], "choices": ["low", "medium", "high"]},
        "types": {"type": "list", "elements": "str", "default": [], "choices": ["sensor", "global"]},
        "kinds": {"type": "list", "elements": "str", "default": [], "choices": ["auditing", "directory_service_account"]},
    }
    return {**spec, **graph_auth_argument_spec(), **http_argument_spec()}
