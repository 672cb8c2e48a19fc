# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""create_ldap_connection maps each option onto ldap3 one-to-one and turns every failure into an LdapError;
a connection that fails is closed. The real handshakes and binds are tested against Samba in tests/integration/lab."""
from __future__ import annotations

import socket

import pytest
from ldap3.core.exceptions import LDAPSocketOpenError, LDAPSocketReceiveError

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap import connection as module
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.client import LdapClient
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import LdapError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.tls import CheckedTls
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import SUCCESS, result

OPTIONS = {"server": "dc1.corp.example.test", "username": "admin@corp.example.test", "password": "Secret-123"}


class FakeServer:
    def __init__(self, host, **kwargs):
        self.host, self.kwargs, self.tls = host, kwargs, kwargs.get("tls")


class FakeSocket:
    """Records each socket option with the operations the connection had done when it was set."""

    def __init__(self, conn):
        self.conn, self.options = conn, []

    def setsockopt(self, level, option, value):
        self.options.append((level, option, value, list(self.conn.used)))


class FakeConnection:
    """Records how it was built and used; class attributes script the next behaviour."""

    opened = start_tls_ok = bind_ok = True
    open_error = None
    instances: list = []

    def __init__(self, server, **kwargs):
        self.server, self.kwargs, self.used, self.result = server, kwargs, [], SUCCESS
        self.sasl_credentials, self.last_error, self.response, self.socket = None, "", [], None
        FakeConnection.instances.append(self)

    def open(self):
        self.used.append("open")
        if self.open_error:
            raise self.open_error(self)
        self.socket = FakeSocket(self)

    def start_tls(self):
        self.used.append("start_tls")
        return self.start_tls_ok

    def search(self, base, ldap_filter, **kwargs):
        self.used.append(("search", base, kwargs["attributes"]))
        self.response = [{"attributes": {"dnsHostName": "dc1.corp.example.test"}}]
        return True

    def bind(self):
        self.used.append("bind")
        if not self.bind_ok:
            self.result = result(49, "invalidCredentials", "80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 775, v1db1")
        return self.bind_ok

    def unbind(self):
        self.used.append("unbind")


@pytest.fixture(autouse=True)
def fake_ldap3(monkeypatch):
    FakeConnection.instances = []
    for name, value in {"opened": True, "start_tls_ok": True, "bind_ok": True, "open_error": None}.items():
        monkeypatch.setattr(FakeConnection, name, value)
    monkeypatch.setattr(module.ldap3, "Server", FakeServer)
    monkeypatch.setattr(module.ldap3, "Connection", FakeConnection)


def _made() -> FakeConnection:
    return FakeConnection.instances[-1]


def test_ldaps_simple_bind():
    client = module.create_ldap_connection(**OPTIONS)
    conn = _made()
    assert isinstance(client, LdapClient) and client.conn is conn and client.username == OPTIONS["username"]
    assert conn.server.host == "dc1.corp.example.test"
    assert conn.server.kwargs["port"] == 636 and conn.server.kwargs["use_ssl"] is True and conn.server.kwargs["connect_timeout"] == 30
    assert isinstance(conn.server.tls, CheckedTls) and conn.server.tls.server_name == "dc1.corp.example.test"
    assert (conn.kwargs["user"], conn.kwargs["password"], conn.kwargs["authentication"]) == (OPTIONS["username"], "Secret-123", "SIMPLE")
    assert conn.kwargs["auto_referrals"] is False and conn.kwargs["raise_exceptions"] is False and conn.kwargs["receive_timeout"] == 30
    assert conn.used == ["open", "bind"]


def test_starttls_upgrades_before_binding():
    module.create_ldap_connection(**OPTIONS, tls_mode="starttls", timeout=7)
    conn = _made()
    assert (conn.server.kwargs["port"], conn.server.kwargs["use_ssl"], conn.kwargs["receive_timeout"]) == (389, False, 7)
    assert conn.used == ["open", "start_tls", "bind"]


@pytest.mark.parametrize("tls_mode, port", [("ldaps", 636), ("starttls", 389), ("none", 389)])
def test_requests_are_sent_at_once_from_the_first(tls_mode, port):
    """TCP_NODELAY is set right after the connection opens: with Nagle's algorithm, the first request after the TLS
    handshake waited for the DC's delayed ACK (about 40 ms against the lab's Samba, most of a task's LDAP time)."""
    module.create_ldap_connection(**OPTIONS, tls_mode=tls_mode, port=port, allow_cleartext=tls_mode == "none")
    assert _made().socket.options == [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1, ["open"])]


def test_starttls_refused(monkeypatch):
    monkeypatch.setattr(FakeConnection, "start_tls_ok", False)
    with pytest.raises(LdapError, match="refused StartTLS"):
        module.create_ldap_connection(**OPTIONS, tls_mode="starttls")
    assert _made().used[-1] == "unbind"


def test_cleartext_has_no_tls():
    module.create_ldap_connection(**OPTIONS, tls_mode="none", allow_cleartext=True)
    assert _made().server.tls is None and _made().server.kwargs["port"] == 389


def test_cleartext_refused_before_connecting():
    with pytest.raises(LdapError, match="allow_cleartext"):
        module.create_ldap_connection(**OPTIONS, tls_mode="none")
    assert not FakeConnection.instances


def test_ntlm():
    module.create_ldap_connection(**{**OPTIONS, "username": "CORP\\admin"}, auth="ntlm")
    assert (_made().kwargs["authentication"], _made().kwargs["user"]) == ("NTLM", "CORP\\admin")


def test_ntlm_without_md4_names_pycryptodome(monkeypatch):
    def no_md4(_self):
        raise ValueError("unsupported hash type MD4")  # what ldap3's NTLM bind raises without MD4 in hashlib or pycryptodome

    monkeypatch.setattr(FakeConnection, "bind", no_md4)
    with pytest.raises(LdapError, match=r"^auth=ntlm needs an MD4 implementation .*install pycryptodome"):
        module.create_ldap_connection(**{**OPTIONS, "username": "CORP\\admin"}, auth="ntlm")
    assert _made().used == ["open", "unbind"]


def test_other_value_errors_are_not_taken_for_missing_md4(monkeypatch):
    def broken(_self):
        raise ValueError("something else")

    monkeypatch.setattr(FakeConnection, "bind", broken)
    with pytest.raises(ValueError, match="something else"):
        module.create_ldap_connection(**{**OPTIONS, "username": "CORP\\admin"}, auth="ntlm")


def test_kerberos_with_password_gets_its_own_ticket_and_asks_the_dc_its_name(monkeypatch):
    seen = []
    monkeypatch.setattr(module.kerberos, "credentials", lambda user, password: seen.append((user, password)) or "CREDS")
    module.create_ldap_connection(**{**OPTIONS, "server": "10.0.0.5"}, auth="kerberos")
    conn = _made()
    assert seen == [("admin@corp.example.test", "Secret-123")]
    assert (conn.kwargs["authentication"], conn.kwargs["sasl_mechanism"], conn.kwargs["user"]) == ("SASL", "GSSAPI", None)
    assert conn.sasl_credentials == ("dc1.corp.example.test", None, "CREDS")
    assert conn.used == ["open", ("search", "", ["dnsHostName"]), "bind"]


def test_kerberos_from_the_ticket_cache(monkeypatch):
    monkeypatch.setattr(module.kerberos, "credentials", lambda user, password: None)
    module.create_ldap_connection(server="dc1", username="admin@corp.example.test", auth="kerberos")
    assert _made().kwargs["user"] == "admin@CORP.EXAMPLE.TEST" and _made().sasl_credentials[2] is None


def test_wrong_credentials_close_the_connection(monkeypatch):
    monkeypatch.setattr(FakeConnection, "bind_ok", False)
    with pytest.raises(LdapError, match="the account is locked out") as failure:
        module.create_ldap_connection(**OPTIONS)
    assert failure.value.details["ldap_result"]["result"] == 49
    assert _made().used == ["open", "bind", "unbind"]


class FakeGssError(Exception):
    """Stands in for gssapi's GSSError: the unit tests' venv has no gssapi."""


def _kerberos_bind_fails(monkeypatch, *answers):
    """The bind records these bind answers in .result, as ldap3's strategy does, then fails with a GSS error; ldap3's
    Kerberos bind always sends an abort bind after a GSS error, so the last answer is the abort's."""
    def bind(self):
        self.used.append("bind")
        for answer in answers:
            self.result = {**answer, "type": "bindResponse"}
        raise FakeGssError("Major (589824): Invalid token was supplied, Minor (100001): Success")

    monkeypatch.setattr(module.kerberos, "GSS_ERRORS", (FakeGssError,))
    monkeypatch.setattr(module.kerberos, "credentials", lambda user, password: "CREDS")
    monkeypatch.setattr(FakeConnection, "bind", bind)


def test_a_refused_kerberos_bind_reports_the_refusal_not_the_gss_error_after_it(monkeypatch):
    # ldap3: the DC refuses the first token, ldap3 fails on the empty answer, and the answer to its abort bind replaces the refusal
    refusal = result(49, "invalidCredentials", "80090346: LdapErr: DSID-0C090711, comment: AcceptSecurityContext error, data 35b, v1db1")
    _kerberos_bind_fails(monkeypatch, refusal, result(1, "operationsError", "SASL: Failed to start authentication system"))
    with pytest.raises(LdapError, match="^bind as 'admin@corp.example.test' refused: the domain controller requires LDAP channel") as failure:
        module.create_ldap_connection(**OPTIONS, auth="kerberos")
    assert failure.value.details["ldap_result"]["message"] == refusal["message"]
    assert _made().used[-1] == "unbind"


@pytest.mark.parametrize("answers", [
    [result(1, "operationsError", "SASL: Failed to start authentication system")],  # no ticket: only the abort was answered
    [result(14, "saslBindInProgress"), result(1, "operationsError")],  # the DC went along; the client's next step failed
])
def test_a_kerberos_failure_without_a_refusal_stays_a_kerberos_failure(monkeypatch, answers):
    _kerberos_bind_fails(monkeypatch, *answers)
    with pytest.raises(LdapError, match=r"^Kerberos bind failed: Major \(589824\): Invalid token"):
        module.create_ldap_connection(**OPTIONS, auth="kerberos")


def test_a_server_that_does_not_answer_ldap_is_named_with_the_options_to_check(monkeypatch):
    def no_answer(_self):
        raise LDAPSocketReceiveError("error receiving data: The read operation timed out")

    monkeypatch.setattr(FakeConnection, "bind", no_answer)
    with pytest.raises(LdapError, match=r"no LDAP answer from dc1.corp.example.test:636 \(error receiving data: .*: check server and port"):
        module.create_ldap_connection(**OPTIONS)
    assert _made().used == ["open", "unbind"]


def test_certificate_failure_is_reported_as_such(monkeypatch):
    def refuse(conn):
        conn.server.tls.failure = (20, "unable to get local issuer certificate")
        return LDAPSocketOpenError("socket ssl wrapping error: [SSL: CERTIFICATE_VERIFY_FAILED]")

    monkeypatch.setattr(FakeConnection, "open_error", staticmethod(refuse))
    with pytest.raises(LdapError, match="is not trusted .* set ca_cert"):
        module.create_ldap_connection(**OPTIONS)
    assert _made().used == ["open", "unbind"]


def test_unreachable(monkeypatch):
    monkeypatch.setattr(FakeConnection, "open_error", staticmethod(lambda conn: LDAPSocketOpenError("socket error while opening: timed out")))
    with pytest.raises(LdapError, match=r"cannot connect to dc1.corp.example.test:636 \(ldaps\): no answer within 30 s"):
        module.create_ldap_connection(**OPTIONS)


def test_unusable_ca_cert(tmp_path):
    bad = tmp_path / "ca.pem"
    bad.write_text("not a certificate")
    with pytest.raises(LdapError, match="holds no usable PEM certificate"):
        module.create_ldap_connection(**OPTIONS, ca_cert=str(bad))


def test_missing_ldap3_is_reported_like_missing_required_lib(monkeypatch):
    monkeypatch.setattr(module, "LDAP3_IMPORT_ERROR", "Traceback (most recent call last): ... No module named 'ldap3'")
    with pytest.raises(LdapError, match="Failed to import the required Python library \\(ldap3\\)") as failure:
        module.create_ldap_connection(**OPTIONS)
    assert "No module named 'ldap3'" in failure.value.details["exception"]
