# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: Kerberos credentials for a SASL GSSAPI bind.

With username and password a ticket is obtained in memory (no credential cache is written or changed);
with a username alone, that principal's ticket from the controller's cache; with neither, the default
ticket of the cache (kinit beforehand).
"""
from __future__ import annotations

import traceback

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import LdapError

try:
    import gssapi
    import gssapi.raw
except ImportError:
    GSSAPI_IMPORT_ERROR = traceback.format_exc()
    GSS_ERRORS: tuple = ()
else:
    GSSAPI_IMPORT_ERROR = None
    GSS_ERRORS = (gssapi.exceptions.GSSError,)


def principal(username: str) -> str:
    """user@corp.example.com -> user@CORP.EXAMPLE.COM: AD realms are upper case and MIT Kerberos compares exactly."""
    user, sep, realm = username.rpartition("@")
    return f"{user}@{realm.upper()}" if sep else username


def credentials(username: str | None, password: str | None):
    """Credentials from a password, or None to let ldap3 use the ticket cache (for ``username`` when given)."""
    if GSSAPI_IMPORT_ERROR:
        raise LdapError(missing_required_lib("gssapi", reason="for auth=kerberos") + " (Debian/Ubuntu: python3-gssapi)",
                        exception=GSSAPI_IMPORT_ERROR)
    if not password:
        return None
    name = gssapi.Name(principal(username), gssapi.NameType.kerberos_principal)
    try:
        return gssapi.raw.acquire_cred_with_password(name, password.encode("utf-8"), usage="initiate").creds
    except GSS_ERRORS as exc:
        raise LdapError(f"cannot get a Kerberos ticket for {principal(username)!r}: {kerberos_reason(exc)}") from exc


def kerberos_reason(exc: Exception) -> str:
    """A GSSError's words, with a hint for the usual causes."""
    text = " ".join(str(exc).split())
    hints = (
        ("not found in kerberos database", "the service ticket name must be the DC's FQDN: set server to it"),
        ("no kerberos credentials", "run kinit on the controller, or give username and password"),
        ("clock skew", "the controller's clock differs from the DC's by more than 5 minutes"),
        ("preauthentication failed", "the password is wrong"),
        ("cannot find kdc", "no KDC for the realm: check the controller's krb5.conf"),
        ("cannot contact any kdc", "no KDC answers: check the controller's krb5.conf and the network"),
        ("revoked", "the account is disabled or locked"),
    )
    for needle, hint in hints:
        if needle in text.lower():
            return f"{hint} ({text})"
    return text
