# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the LDAP connection options.

Documented once in plugins/doc_fragments/ldap_connection.py; keep both in step. Each option maps
one-to-one onto a keyword of connection.create_ldap_connection().
"""
from __future__ import annotations

from ansible.module_utils.basic import env_fallback

LDAP_OPTION_NAMES = ("server", "port", "tls_mode", "auth", "username", "password", "ca_cert", "validate_certs",
                     "allow_cleartext", "timeout")


def ldap_connection_argument_spec() -> dict:
    return {
        "server": {"type": "str", "fallback": (env_fallback, ["MDI_LDAP_SERVER"])},
        "port": {"type": "int", "fallback": (env_fallback, ["MDI_LDAP_PORT"])},
        "tls_mode": {"type": "str", "default": "ldaps", "choices": ["ldaps", "starttls", "none"],
                     "fallback": (env_fallback, ["MDI_LDAP_TLS_MODE"])},
        "auth": {"type": "str", "default": "simple", "choices": ["simple", "kerberos", "ntlm"],
                 "fallback": (env_fallback, ["MDI_LDAP_AUTH"])},
        "username": {"type": "str", "fallback": (env_fallback, ["MDI_LDAP_USERNAME"])},
        "password": {"type": "str", "no_log": True, "fallback": (env_fallback, ["MDI_LDAP_PASSWORD"])},
        "ca_cert": {"type": "path", "fallback": (env_fallback, ["MDI_LDAP_CA_CERT"])},
        "validate_certs": {"type": "bool", "default": True},
        "allow_cleartext": {"type": "bool", "default": False},
        "timeout": {"type": "int", "default": 10},
    }


def ldap_options(params: dict) -> dict:
    """The connection keywords out of a module's validated parameters."""
    return {name: params.get(name) for name in LDAP_OPTION_NAMES}
