# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: open and bind an LDAP connection to a DC.

create_ldap_connection() takes exactly the options of options.py (documented in the
ldap_connection doc fragment) and returns a bound client.LdapClient.
"""
from __future__ import annotations

import ssl
import traceback

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.client import LdapClient
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import LdapError, bind_failure, connect_failure

try:
    import ldap3
    from ldap3.core.exceptions import LDAPException, LDAPSocketOpenError, LDAPStartTLSError
except ImportError:
    LDAP3_IMPORT_ERROR = traceback.format_exc()
    HAS_LDAP3 = False
else:
    LDAP3_IMPORT_ERROR = None
    HAS_LDAP3 = True


def _tls(ca_cert: str | None, validate_certs: bool):
    if not validate_certs:
        return ldap3.Tls(validate=ssl.CERT_NONE)
    # An explicit CA file is used alone; otherwise the system's trust store.
    return ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=ca_cert)


def _check_options(server, tls_mode, auth, username, password, allow_cleartext) -> None:
    if not server:
        raise LdapError("no LDAP server: set server (or run the task against a domain controller host of the inventory)")
    if tls_mode == "none" and not allow_cleartext:
        raise LdapError("tls_mode=none sends the password and every change in clear text: use tls_mode=ldaps or "
                        "tls_mode=starttls, or set allow_cleartext=true if you accept that")
    if auth in ("simple", "ntlm") and not (username and password):
        raise LdapError(f"auth={auth} needs username and password (none were given and the host has no ansible_user/ansible_password)")


def _sasl_kerberos(server: str, username: str | None, password: str | None) -> dict:
    try:
        import gssapi  # pylint: disable=import-outside-toplevel
    except ImportError as exc:
        raise LdapError("auth=kerberos needs the Python gssapi package on the controller (pip install gssapi, or python3-gssapi)") from exc
    creds = None
    if username and password:
        name = gssapi.Name(username, gssapi.NameType.user)
        try:
            creds = gssapi.raw.acquire_cred_with_password(name, password.encode(), usage="initiate").creds
        except gssapi.exceptions.GSSError as exc:
            raise LdapError(f"cannot get a Kerberos ticket for {username!r}: {exc}") from exc
    return {"authentication": ldap3.SASL, "sasl_mechanism": ldap3.KERBEROS, "sasl_credentials": (server, None, creds)}


def create_ldap_connection(server=None, port=None, tls_mode="ldaps", auth="simple", username=None, password=None,
                           ca_cert=None, validate_certs=True, allow_cleartext=False, timeout=10) -> LdapClient:
    """Connect and bind; raises LdapError with a message that names the option to change."""
    if not HAS_LDAP3:
        raise LdapError("the ldap3 Python library is required on the controller (pip install ldap3)", traceback=LDAP3_IMPORT_ERROR)
    _check_options(server, tls_mode, auth, username, password, allow_cleartext)
    port = port or (636 if tls_mode == "ldaps" else 389)
    srv = ldap3.Server(server, port=port, use_ssl=tls_mode == "ldaps", tls=_tls(ca_cert, validate_certs) if tls_mode != "none" else None,
                       get_info=ldap3.NONE, connect_timeout=timeout)
    if auth == "kerberos":
        bind = _sasl_kerberos(server, username, password)
    elif auth == "ntlm":
        bind = {"authentication": ldap3.NTLM, "user": username, "password": password}
    else:
        bind = {"authentication": ldap3.SIMPLE, "user": username, "password": password}
    conn = ldap3.Connection(srv, receive_timeout=timeout, auto_referrals=False, raise_exceptions=False, read_only=False, **bind)
    try:
        conn.open()
        if tls_mode == "starttls" and not conn.start_tls():
            raise LdapError(f"StartTLS refused by {server}:{port}: {conn.result}")
        if not conn.bind():
            raise bind_failure(conn.result, username)
    except LdapError:
        conn.unbind()
        raise
    except (LDAPSocketOpenError, LDAPStartTLSError, ssl.SSLError, OSError) as exc:
        conn.unbind()
        raise connect_failure(server, port, exc) from exc
    except LDAPException as exc:
        conn.unbind()
        raise LdapError(f"cannot bind to {server}:{port}: {exc}") from exc
    return LdapClient(conn, server)
