# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: open and bind an LDAP connection to a domain controller.

create_ldap_connection() takes exactly the options of options.py (documented in the
mdi.action_accounts.ldap_connection doc fragment) and returns a bound client.LdapClient; use it as a
context manager so the connection is closed (one bind per task).
"""
from __future__ import annotations

import functools
import socket
import ssl
import traceback

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap import kerberos
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.client import LdapClient
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import (
    LdapError, bind_error, certificate_error, connect_error,
)
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.options import check_ldap_options
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.tls import CheckedTls

try:
    import ldap3
    from ldap3.core.exceptions import LDAPCommunicationError, LDAPException
except ImportError:
    LDAP3_IMPORT_ERROR = traceback.format_exc()
else:
    LDAP3_IMPORT_ERROR = None


class _KeepsBindAnswers:
    """Mixed into ldap3.Connection: keeps every bind answer, which ldap3 replaces one by one in .result."""

    bind_answers: tuple = ()

    @property
    def result(self):
        return self.__dict__.get("_result")

    @result.setter
    def result(self, value):
        if isinstance(value, dict) and value.get("type") == "bindResponse":
            self.bind_answers = (*self.bind_answers, value)
        self.__dict__["_result"] = value


def _refusal_before_abort(conn) -> dict | None:
    """The DC's refusal of a Kerberos bind, which ldap3 hides: on the refusal's empty token gssapi raises, ldap3 then
    sends an abort bind, and that answer comes last. So the refusal is the answer before it (0 success and 14
    saslBindInProgress refuse nothing; no answer before it: the GSS error came first, e.g. no ticket)."""
    before = conn.bind_answers[-2:-1]
    return before[0] if before and before[0].get("result") not in (0, 14) else None


@functools.lru_cache(maxsize=None)
def _connection_class(base: type) -> type:
    """ldap3.Connection with _KeepsBindAnswers (made from whatever ldap3.Connection is at call time, once)."""
    return type("Connection", (_KeepsBindAnswers, base), {})


def _server(options: dict):
    """The ldap3 Server, and its Tls (None without TLS)."""
    tls = None
    if options["tls_mode"] != "none":
        try:
            tls = CheckedTls(options["server"], options["ca_cert"], options["validate_certs"])
        except (ssl.SSLError, OSError) as exc:
            raise LdapError(f"ca_cert {options['ca_cert']} holds no usable PEM certificate: {exc}") from exc
    server = ldap3.Server(options["server"], port=options["port"], use_ssl=options["tls_mode"] == "ldaps", tls=tls,
                          get_info=ldap3.NONE, connect_timeout=options["timeout"])
    return server, tls


def _bind_arguments(options: dict) -> dict:
    auth, username, password = options["auth"], options["username"], options["password"]
    if auth == "kerberos":
        creds = kerberos.credentials(username, password)
        # With raw credentials ldap3 must not also look the user up in the ticket cache.
        user = kerberos.principal(username) if username and creds is None else None
        return {"authentication": ldap3.SASL, "sasl_mechanism": ldap3.KERBEROS, "user": user, "creds": creds}
    if auth == "ntlm":
        return {"authentication": ldap3.NTLM, "user": username, "password": password}
    return {"authentication": ldap3.SIMPLE, "user": username, "password": password}


def _dns_host_name(conn, fallback: str) -> str:
    """The DC's FQDN from its rootDSE (readable before binding): the Kerberos service name is ldap/<FQDN>."""
    if conn.search("", "(objectClass=*)", search_scope=ldap3.BASE, attributes=["dnsHostName"]) and conn.response:
        value = conn.response[0].get("attributes", {}).get("dnsHostName")
        if value:
            return value[0] if isinstance(value, list) else value
    return fallback


def _no_delay(conn) -> None:
    """Send each request at once. With Nagle's algorithm on, a request waits while data sent before it is unacknowledged:
    the first request after the TLS handshake (the bind), and the tail of a request longer than one TCP segment (a DACL
    write), waited for the DC's delayed ACK (40 ms in the lab, up to 200 ms by Windows' default), several times the work.
    ldap3 sends each request whole, so there is nothing for Nagle to coalesce."""
    sock = getattr(conn, "socket", None)
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _open(conn, options: dict, tls) -> None:
    """TCP (and TLS for ldaps), then StartTLS; failures become LdapError naming the cause."""
    server, port = options["server"], options["port"]
    try:
        conn.open()
        _no_delay(conn)
        if options["tls_mode"] == "starttls" and not conn.start_tls():
            raise OSError(f"StartTLS refused: {conn.last_error or conn.result}")
    except (LDAPException, OSError) as exc:
        if tls is not None and tls.failure:
            raise certificate_error(server, port, *tls.failure) from exc
        raise connect_error(server, port, options["tls_mode"], options["timeout"], exc) from exc


def _bind(conn, options: dict, bind: dict) -> None:
    if bind["authentication"] == ldap3.SASL:
        conn.sasl_credentials = (_dns_host_name(conn, options["server"]), None, bind["creds"])
    try:
        bound = conn.bind()
    except LDAPCommunicationError as exc:  # no LDAP answer: the port serves something else (HTTPS, WinRM), or nothing in time
        raise LdapError(f"bind as {options['username']!r} got no LDAP answer from {options['server']}:{options['port']} ({exc}): "
                        "check server and port (a domain controller's LDAP port: 636 with tls_mode=ldaps, 389 with starttls), "
                        "or raise timeout") from exc
    except LDAPException as exc:
        raise LdapError(f"bind as {options['username']!r} failed: {exc}") from exc
    except ValueError as exc:
        if bind["authentication"] != ldap3.NTLM or "md4" not in str(exc).lower():
            raise
        # ldap3 hashes the password with hashlib's MD4, which OpenSSL 3 disables, and falls back to pycryptodome only.
        raise LdapError("auth=ntlm needs an MD4 implementation and this Python has none (OpenSSL 3 disables MD4): install "
                        "pycryptodome on the controller (in the execution environment for AWX), or use auth=kerberos, or "
                        "auth=simple over TLS") from exc
    except kerberos.GSS_ERRORS as exc:
        refusal = _refusal_before_abort(conn)
        if refusal:  # the DC refused the bind and said why (e.g. 80090346, no channel bindings); the GSS error only followed
            raise bind_error(refusal, options["username"]) from exc
        raise LdapError(f"Kerberos bind failed: {kerberos.kerberos_reason(exc)}") from exc
    if not bound:
        raise bind_error(conn.result, options["username"])


def create_ldap_connection(server=None, port=None, tls_mode="ldaps", auth="simple", username=None, password=None,
                           ca_cert=None, validate_certs=True, allow_cleartext=False, timeout=30) -> LdapClient:
    """Connect and bind; raises LdapError with a message that names the option to change."""
    if LDAP3_IMPORT_ERROR:
        raise LdapError(missing_required_lib("ldap3"), exception=LDAP3_IMPORT_ERROR)
    options = check_ldap_options(server, port, tls_mode, auth, username, password, ca_cert, validate_certs, allow_cleartext, timeout)
    ldap_server, tls = _server(options)
    bind = _bind_arguments(options)
    conn = _connection_class(ldap3.Connection)(
        ldap_server, user=bind["user"], password=bind.get("password"), authentication=bind["authentication"],
        sasl_mechanism=bind.get("sasl_mechanism"), receive_timeout=options["timeout"], auto_referrals=False, raise_exceptions=False,
        read_only=False)
    try:
        _open(conn, options, tls)
        _bind(conn, options, bind)
    except BaseException:
        conn.unbind()
        raise
    return LdapClient(conn, options["server"], options["username"])
