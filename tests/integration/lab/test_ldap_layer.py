# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shared LDAP layer (plugins/module_utils/_ldap) against the lab's Samba 4.22 DC: TLS modes and certificate
validation with the lab CA (while SSL_CERT_FILE / REQUESTS_CA_BUNDLE name the system bundle), every bind form,
Kerberos, the failure messages, paging, principals in every form, and schema names. Needs `make lab-up`."""
from __future__ import annotations

import os
import socket
import subprocess
import time

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.client import PAGE_SIZE
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.connection import create_ldap_connection
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import LdapError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.principals import resolve_principal
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.schema import SchemaResolver

from .conftest import SYSTEM_BUNDLE


def _options(samba: dict, **changes) -> dict:
    return {"server": samba["ip"], "username": samba["admin_upn"], "password": samba["admin_password"], "ca_cert": samba["ca_cert"],
            "timeout": 10, **changes}


def _who(samba: dict, **changes) -> str:
    with create_ldap_connection(**_options(samba, **changes)) as client:
        return client.conn.extend.standard.who_am_i()


def _failure(samba: dict, **changes) -> str:
    with pytest.raises(LdapError) as failure:
        create_ldap_connection(**_options(samba, **changes))
    return str(failure.value)


# ---------------------------------------------------------------- TLS and binds

@pytest.mark.parametrize("tls_mode", ["ldaps", "starttls"])
def test_validated_tls_with_the_lab_ca(samba, tls_mode):
    assert os.environ["SSL_CERT_FILE"] == os.environ["REQUESTS_CA_BUNDLE"] == SYSTEM_BUNDLE
    started = time.monotonic()
    with create_ldap_connection(**_options(samba, tls_mode=tls_mode)) as client:
        assert client.conn.extend.standard.who_am_i() == "u:CORP\\Administrator"
        assert client.conn.socket.getpeercert()["subjectAltName"]  # validated: the peer certificate is known
        assert (client.default_nc, client.dns_host_name) == (samba["base_dn"], samba["hostname"])
        assert (client.domain.sid, client.domain.netbios, client.domain.dns) == (samba["domain_sid"], "CORP", samba["domain_dns"])
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("tls_mode", ["ldaps", "starttls"])
def test_requests_go_out_without_waiting_for_the_dc_s_ack(samba, tls_mode):
    """Nagle's algorithm is off on the real socket under TLS: with it on, the first request after the handshake
    (the bind) waited about 40 ms for the lab DC's delayed ACK (tests/bench/task_breakdown.py shows it)."""
    with create_ldap_connection(**_options(samba, tls_mode=tls_mode)) as client:
        assert client.conn.socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_by_dns_name(samba, monkeypatch):
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):  # the lab has no DNS: dc1.corp.example.test -> the DC's address
        return real(samba["ip"] if host == samba["hostname"] else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    assert _who(samba, server=samba["hostname"]) == "u:CORP\\Administrator"


@pytest.mark.parametrize("user", ["admin_upn", "netbios", "dn"])
def test_bind_forms(samba, user):
    username = {"admin_upn": samba["admin_upn"], "netbios": "CORP\\Administrator", "dn": f"CN=Administrator,CN=Users,{samba['base_dn']}"}[user]
    assert _who(samba, username=username) == "u:CORP\\Administrator"


@pytest.mark.parametrize("username", ["alice@corp.example.test", "CORP\\alice"])
def test_seeded_user_binds(samba, username):
    assert _who(samba, username=username, password=samba["users"]["alice"]["password"]) == "u:CORP\\alice"


def test_wrong_password(samba):
    message = _failure(samba, password="Wrong-Password-1")
    assert message.startswith(f"bind as '{samba['admin_upn']}' refused: the user name or password is wrong; check username and password")
    assert "invalidCredentials 49" in message and "data 52e" in message


@pytest.mark.parametrize("ca_cert", [SYSTEM_BUNDLE, None])
def test_untrusted_ca(samba, ca_cert):
    message = _failure(samba, ca_cert=ca_cert)
    assert message.startswith(f"the certificate of {samba['ip']}:636 is not trusted (unable to get local issuer certificate): set ca_cert")
    assert "validate_certs=false" in message


@pytest.mark.parametrize("server, reason", [("127.0.0.1", "IP address mismatch"), ("localhost", "Hostname mismatch")])
def test_name_not_in_the_certificate(samba, forward, server, reason):
    port = forward(samba["ip"], 636)
    message = _failure(samba, server=server, port=port)
    assert message.startswith(f"the certificate of {server}:{port} is not issued for '{server}' ({reason}") and "set server" in message


def test_validation_off(samba, forward):
    assert _who(samba, server="127.0.0.1", port=forward(samba["ip"], 636), ca_cert=None, validate_certs=False) == "u:CORP\\Administrator"


def test_cleartext(samba):
    assert "allow_cleartext=true" in _failure(samba, tls_mode="none")
    message = _failure(samba, tls_mode="none", allow_cleartext=True)  # Samba's default, like AD's: no simple bind without TLS
    assert "use tls_mode=ldaps or tls_mode=starttls (strongerAuthRequired 8" in message


def test_unreachable(samba):
    assert "connection refused: check server and port" in _failure(samba, port=1)
    assert "Port 389 needs tls_mode=starttls" in _failure(samba, port=389)


def _kerberos_env(samba, monkeypatch, tmp_path):
    monkeypatch.setenv("KRB5_CONFIG", samba["krb5_conf"])
    monkeypatch.setenv("KRB5CCNAME", f"FILE:{tmp_path / 'ccache'}")


@pytest.mark.parametrize("tls_mode", ["ldaps", "starttls"])
def test_kerberos_with_a_password(samba, monkeypatch, tmp_path, tls_mode):
    _kerberos_env(samba, monkeypatch, tmp_path)
    assert _who(samba, auth="kerberos", tls_mode=tls_mode, username="Administrator@corp.example.test") == "u:CORP\\Administrator"
    assert not (tmp_path / "ccache").exists()  # the ticket stayed in memory
    assert "the password is wrong" in _failure(samba, auth="kerberos", password="Wrong-Password-1")


def test_kerberos_from_the_ticket_cache(samba, monkeypatch, tmp_path):
    _kerberos_env(samba, monkeypatch, tmp_path)
    assert "run kinit on the controller" in _failure(samba, auth="kerberos", username=None, password=None)
    subprocess.run(["kinit", "Administrator@CORP.EXAMPLE.TEST"], input=samba["admin_password"] + "\n", text=True, check=True,
                   capture_output=True, env=os.environ)
    assert _who(samba, auth="kerberos", username=None, password=None) == "u:CORP\\Administrator"


# ---------------------------------------------------------------- operations

@pytest.fixture(name="client", scope="module")
def fixture_client(samba):
    with create_ldap_connection(**_options(samba)) as client:
        yield client


def test_paged_search_returns_more_than_a_page(client):
    schema_nc, calls = client.schema_nc, []
    search = client.conn.search
    client.conn.search = lambda *args, **kwargs: calls.append(kwargs["paged_size"]) or search(*args, **kwargs)
    try:
        found = client.search(schema_nc, "(objectClass=*)", ["cn"], scope="LEVEL")
    finally:
        client.conn.search = search
    assert len(found) > 2 * PAGE_SIZE and len(calls) == -(-len(found) // PAGE_SIZE) and set(calls) == {PAGE_SIZE}


def test_missing_objects(client, samba):
    assert client.read(f"CN=ghost,{samba['base_dn']}", ["cn"]) is None
    with pytest.raises(LdapError, match=f"CN=ghost,{samba['base_dn']} does not exist .*noSuchObject 32"):
        client.search(f"CN=ghost,{samba['base_dn']}", "(objectClass=*)", ["cn"])


def test_missing_right_is_named(samba):
    alice = samba["users"]["alice"]
    with create_ldap_connection(**_options(samba, username=alice["upn"], password=alice["password"])) as client:
        with pytest.raises(LdapError) as failure:
            client.modify(samba["ous"]["lab"], {"description": [("MODIFY_REPLACE", ["not allowed"])]})
    assert str(failure.value).startswith(f"the bind account '{alice['upn']}' lacks the right to modify {samba['ous']['lab']} "
                                         "(insufficientAccessRights 50")


# ---------------------------------------------------------------- principals and schema names

def test_principals_in_every_form(client, samba):
    alice, carol = samba["users"]["alice"], samba["users"]["carol"]
    for text in ("alice", "ALICE", "CORP\\alice", "corp.example.test\\alice", "alice@corp.example.test", alice["dn"], alice["sid"]):
        found = resolve_principal(client, text)
        assert (found.dn, found.sid, found.sam, found.name, found.object_classes[-1]) == (alice["dn"], alice["sid"], "alice", "CORP\\alice", "user")
    assert resolve_principal(client, carol["dn"]).name == "CORP\\carol"
    srv1 = samba["computers"]["srv1"]
    for text in ("srv1", "srv1$", "CORP\\srv1", srv1["sid"]):
        assert (resolve_principal(client, text).sid, resolve_principal(client, text).name) == (srv1["sid"], "CORP\\srv1$")
    assert resolve_principal(client, "dc1").sid == samba["computers"]["dc1"]["sid"]
    assert resolve_principal(client, "lab-group-1").sid == samba["groups"]["lab-group-1"]["sid"]
    assert resolve_principal(client, "Domain Admins").sid == f"{samba['domain_sid']}-512"


@pytest.mark.parametrize("text, sid, name, has_object", [
    ("S-1-5-32-544", "S-1-5-32-544", "BUILTIN\\Administrators", True),   # CN=Builtin
    ("BUILTIN\\Administrators", "S-1-5-32-544", "BUILTIN\\Administrators", True),
    ("S-1-5-11", "S-1-5-11", "NT AUTHORITY\\Authenticated Users", True),
    ("NT AUTHORITY\\SYSTEM", "S-1-5-18", "NT AUTHORITY\\SYSTEM", True),  # CN=WellKnown Security Principals
    ("Everyone", "S-1-1-0", "Everyone", True),
    ("S-1-5-10", "S-1-5-10", "NT AUTHORITY\\SELF", True),
])
def test_well_known_principals(client, text, sid, name, has_object):
    found = resolve_principal(client, text)
    assert (found.sid, found.name, found.dn is not None) == (sid, name, has_object)


@pytest.mark.parametrize("text, words", [
    ("ghost", "principal 'ghost' not found in corp.example.test"),
    ("OTHER\\alice", "is in domain 'OTHER'"),
])
def test_unknown_principals(client, text, words):
    with pytest.raises(LdapError, match=words.replace("\\", "\\\\")):
        resolve_principal(client, text)


def test_schema_names(samba):
    with create_ldap_connection(**_options(samba)) as client:
        calls, _root = [], client.root_dse  # read before counting
        search = client.conn.search
        client.conn.search = lambda *args, **kwargs: calls.append(args[1]) or search(*args, **kwargs)
        resolver = SchemaResolver(client)
        names = ["pwdLastSet", "userAccountControl", "member", "user", "group"]
        resolver.prefetch(names)
        guids = {name: resolver.guid_of(name) for name in names + ["Reset Password", "User-Force-Change-Password", "User-Account-Restrictions"]}
        assert len(calls) == 2 + 3  # one batch for the five schema names, the rights container once, then the 3 rights names in the schema
    assert guids == {
        "pwdLastSet": "bf967a0a-0de6-11d0-a285-00aa003049e2", "userAccountControl": "bf967a68-0de6-11d0-a285-00aa003049e2",
        "member": "bf9679c0-0de6-11d0-a285-00aa003049e2", "user": "bf967aba-0de6-11d0-a285-00aa003049e2",
        "group": "bf967a9c-0de6-11d0-a285-00aa003049e2", "Reset Password": "00299570-246d-11d0-a768-00aa006e0529",
        "User-Force-Change-Password": "00299570-246d-11d0-a768-00aa006e0529", "User-Account-Restrictions": "4c164200-20c0-11d0-a768-00aa006e0529",
    }
    assert resolver.resolve("Reset Password").kind == "extended_right" and resolver.resolve("User-Account-Restrictions").kind == "property_set"
    assert resolver.name_of("bf967a68-0de6-11d0-a285-00aa003049e2") == "userAccountControl"
