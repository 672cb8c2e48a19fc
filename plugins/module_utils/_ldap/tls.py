# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: TLS for ldap3 with the standard library's own checks.

ldap3 turns off SSLContext.check_hostname and matches names itself with ssl.match_hostname, which Python
3.12 removed (its fallback refuses IP addresses). Here OpenSSL checks the chain and the name (DNS or IP
SAN) during the handshake, SNI is sent, and a certificate failure is kept with OpenSSL's verify code so
the error can say which option fixes it.

The trust store: ca_cert alone when given (a PEM file or a directory of hashed certificates, so
SSL_CERT_FILE / SSL_CERT_DIR / REQUESTS_CA_BUNDLE do not change it), else the system's default paths.
"""
from __future__ import annotations

import os
import ssl

try:
    from ldap3 import Tls as _Ldap3Tls
except ImportError:  # connection.py reports the missing library
    _Ldap3Tls = object


def ssl_context(ca_cert: str | None, validate_certs: bool) -> ssl.SSLContext:
    """The client context: TLS 1.2 or later, chain and name checked unless validate_certs is false."""
    if not validate_certs:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    if ca_cert and os.path.isdir(ca_cert):
        return ssl.create_default_context(capath=ca_cert)
    return ssl.create_default_context(cafile=ca_cert) if ca_cert else ssl.create_default_context()


class CheckedTls(_Ldap3Tls):
    """An ldap3 Tls whose handshake uses ssl_context() and remembers why a certificate was refused."""

    def __init__(self, server_name: str, ca_cert: str | None = None, validate_certs: bool = True):
        super().__init__(validate=ssl.CERT_REQUIRED if validate_certs else ssl.CERT_NONE)
        self.server_name = server_name
        self.context = ssl_context(ca_cert, validate_certs)
        self.failure: tuple[int, str] | None = None  # (OpenSSL verify code, its message)

    def wrap_socket(self, connection, do_handshake=False):
        """Called by ldap3 for LDAPS (on open) and StartTLS."""
        try:
            connection.socket = self.context.wrap_socket(connection.socket, server_side=False, server_hostname=self.server_name,
                                                         do_handshake_on_connect=do_handshake)
        except ssl.SSLCertVerificationError as exc:
            self.failure = (exc.verify_code, exc.verify_message)
            raise
