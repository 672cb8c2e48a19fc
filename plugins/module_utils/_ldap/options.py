# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the LDAP connection options.

Documented once in plugins/doc_fragments/ldap_connection.py (mdi.action_accounts.ldap_connection); keep both
in step. Each option maps one-to-one onto a keyword of connection.create_ldap_connection().
"""
from __future__ import annotations

import os

from ansible.module_utils.basic import env_fallback

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import LdapError

LDAP_OPTION_NAMES = ("server", "port", "tls_mode", "auth", "username", "password", "ca_cert", "validate_certs",
                     "allow_cleartext", "timeout")
DEFAULT_PORTS = {"ldaps": 636, "starttls": 389, "none": 389}


def _env(name: str) -> tuple:
    return (env_fallback, [f"MDI_LDAP_{name}"])


def ldap_connection_argument_spec() -> dict:
    # allow_cleartext has no environment fallback on purpose: sending passwords in clear is a decision made in the play.
    return {
        "server": {"type": "str", "fallback": _env("SERVER")},
        "port": {"type": "int", "fallback": _env("PORT")},
        "tls_mode": {"type": "str", "default": "ldaps", "choices": ["ldaps", "starttls", "none"], "fallback": _env("TLS_MODE")},
        "auth": {"type": "str", "default": "simple", "choices": ["simple", "kerberos", "ntlm"], "fallback": _env("AUTH")},
        "username": {"type": "str", "fallback": _env("USERNAME")},
        "password": {"type": "str", "no_log": True, "fallback": _env("PASSWORD")},
        "ca_cert": {"type": "path", "fallback": _env("CA_CERT")},
        "validate_certs": {"type": "bool", "default": True, "fallback": _env("VALIDATE_CERTS")},
        "allow_cleartext": {"type": "bool", "default": False},
        "timeout": {"type": "int", "default": 30, "fallback": _env("TIMEOUT")},
    }


def ldap_options(params: dict) -> dict:
    """The connection keywords out of a module's validated parameters."""
    return {name: params.get(name) for name in LDAP_OPTION_NAMES}


def _check_credentials(auth: str, username: str | None, password: str | None) -> None:
    if auth == "kerberos":
        if password and not username:
            raise LdapError("auth=kerberos with a password needs username (user@REALM) too")
        if username and "\\" in username:
            raise LdapError(f"auth=kerberos needs username as a Kerberos principal (user@REALM), not {username!r}")
        return
    if not username or not password:
        raise LdapError(f"auth={auth} needs username and password (the task gave {'no username' if not username else 'no password'}, "
                        "and the host has no mdi_ldap_username/mdi_ldap_password or ansible_user/ansible_password)")
    if auth == "ntlm" and "\\" not in username:
        raise LdapError(f"auth=ntlm needs username as DOMAIN\\user, not {username!r}")


def check_ldap_options(server=None, port=None, tls_mode="ldaps", auth="simple", username=None, password=None, ca_cert=None,
                       validate_certs=True, allow_cleartext=False, timeout=30) -> dict:
    """The options checked and completed (port from tls_mode); raises LdapError naming the option to change."""
    if not server:
        raise LdapError("no LDAP server: set server, or run the task against a domain controller of the inventory "
                        "(its mdi_ldap_server, ansible_host or inventory name is used)")
    if "://" in server or "/" in server:
        raise LdapError(f"server {server!r} must be a host name or address; tls_mode and port choose the protocol")
    if tls_mode == "none" and not allow_cleartext:
        what = "the password and every change" if auth == "simple" else "every change (ldap3 neither signs nor seals)"
        raise LdapError(f"tls_mode=none sends {what} in clear text: use tls_mode=ldaps (port 636) or tls_mode=starttls (port 389), "
                        "or set allow_cleartext=true to accept that")
    _check_credentials(auth, username, password)
    port = port or DEFAULT_PORTS[tls_mode]
    if not 0 < port < 65536:
        raise LdapError(f"port {port} is not a TCP port: set port between 1 and 65535, or leave it out (636 for ldaps, 389 otherwise)")
    if timeout is None or timeout <= 0:
        raise LdapError(f"timeout must be a positive number of seconds, not {timeout}")
    if ca_cert and validate_certs and not os.path.exists(ca_cert):
        raise LdapError(f"ca_cert {ca_cert} does not exist on the controller: set ca_cert to a PEM file (or a directory of hashed "
                        "certificates) on the controller")
    return {"server": server, "port": port, "tls_mode": tls_mode, "auth": auth, "username": username, "password": password,
            "ca_cert": ca_cert, "validate_certs": validate_certs, "allow_cleartext": allow_cleartext, "timeout": timeout}
