# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""CheckedTls against a real TLS server on loopback: chain and name (DNS and IP SANs) checked by OpenSSL,
ca_cert honoured whatever SSL_CERT_FILE / REQUESTS_CA_BUNDLE say, refusals kept with their verify code."""
from __future__ import annotations

import socket
import ssl
import threading

import pytest
import trustme

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.tls import CheckedTls


class _Connection:
    """The part of an ldap3 Connection that Tls.wrap_socket touches."""

    def __init__(self, sock):
        self.socket = sock


@pytest.fixture(name="ca")
def fixture_ca():
    return trustme.CA()


@pytest.fixture(name="serve")
def fixture_serve(ca):
    """serve(*names) -> port of a one-shot TLS server whose certificate (from `ca`) carries those names."""
    threads = []

    def serve(*names: str) -> int:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert(*names).configure_cert(context)
        listener = socket.create_server(("127.0.0.1", 0))

        def answer():
            with listener:
                sock, _addr = listener.accept()
                try:
                    with context.wrap_socket(sock, server_side=True):
                        pass
                except (ssl.SSLError, OSError):  # the client refused our certificate
                    pass

        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        threads.append(thread)
        return listener.getsockname()[1]

    yield serve
    for thread in threads:
        thread.join(5)


@pytest.fixture(name="ca_file")
def fixture_ca_file(ca, tmp_path):
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture(autouse=True)
def system_bundles(monkeypatch, tmp_path):
    """As on this machine and many corporate controllers: the environment names another bundle."""
    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    for name in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.setenv(name, str(other))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    return str(other)


def _handshake(tls: CheckedTls, port: int) -> None:
    connection = _Connection(socket.create_connection(("127.0.0.1", port), timeout=5))
    try:
        tls.wrap_socket(connection, do_handshake=True)
    finally:
        connection.socket.close()


@pytest.mark.parametrize("server, names", [("127.0.0.1", ("dc1.example.test", "127.0.0.1")), ("localhost", ("localhost",))])
def test_ca_cert_is_honoured_despite_the_environment(serve, ca_file, server, names):
    tls = CheckedTls(server, ca_file)
    _handshake(tls, serve(*names))
    assert tls.failure is None


def test_untrusted_issuer_is_kept_with_its_code(serve, system_bundles):
    tls = CheckedTls("127.0.0.1", system_bundles)
    with pytest.raises(ssl.SSLCertVerificationError):
        _handshake(tls, serve("127.0.0.1"))
    assert tls.failure[0] in (19, 20, 21) and "issuer" in tls.failure[1]


@pytest.mark.parametrize("server, code", [("127.0.0.1", 64), ("localhost", 62)])
def test_name_mismatch_is_kept_with_its_code(serve, ca_file, server, code):
    tls = CheckedTls(server, ca_file)
    with pytest.raises(ssl.SSLCertVerificationError):
        _handshake(tls, serve("dc1.example.test"))
    assert tls.failure[0] == code and "mismatch" in tls.failure[1]


def test_without_ca_cert_the_default_store_is_used(serve, ca_file, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", ca_file)  # OpenSSL's default store follows it: that is the system's trust
    tls = CheckedTls("127.0.0.1")
    _handshake(tls, serve("127.0.0.1"))
    assert tls.failure is None


def test_no_validation_accepts_anything(serve):
    tls = CheckedTls("127.0.0.1", validate_certs=False)
    _handshake(tls, serve("somewhere.else"))
    assert tls.failure is None and tls.context.verify_mode == ssl.CERT_NONE


def test_context_refuses_old_protocols(ca_file):
    assert CheckedTls("dc1", ca_file).context.minimum_version >= ssl.TLSVersion.TLSv1_2
