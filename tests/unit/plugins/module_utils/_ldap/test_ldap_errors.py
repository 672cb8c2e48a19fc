# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""LDAP results and failures become causes that name the object, the result and the option to change."""
from __future__ import annotations

import socket

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import (
    LdapError, bind_error, broken_connection_error, certificate_error, connect_error, operation_error, result_summary,
)
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import result

DN = "OU=Users,DC=corp,DC=example,DC=test"
DENIED = result(50, "insufficientAccessRights", "00002098: SecErr: DSID-03150F94, problem 4003 (INSUFF_ACCESS_RIGHTS), data 0\x00")


def test_ldap_error_is_the_collections_error_with_details():
    error = operation_error("modify", DN, DENIED, "helpdesk@corp.example.test")
    assert isinstance(error, MdiError)
    assert error.details == {"ldap_result": {"result": 50, "description": "insufficientAccessRights", "message": DENIED["message"]}, "dn": DN}


def test_mdi_error_details_as_dict_and_keywords():
    assert MdiError("x", {"a": 1}, b=2).details == {"a": 1, "b": 2}
    assert MdiError("x").details == {}


def test_insufficient_rights_names_account_verb_object_and_result():
    message = str(operation_error("modify", DN, DENIED, "helpdesk@corp.example.test"))
    assert message.startswith(f"the bind account 'helpdesk@corp.example.test' lacks the right to modify {DN} (insufficientAccessRights 50: ")
    assert message.endswith("data 0)")  # the server's words, NUL stripped


@pytest.mark.parametrize("operation, res, words", [
    ("add", result(68, "entryAlreadyExists"), f"{DN} already exists"),
    ("delete", result(66, "notAllowedOnNonLeaf"), "has child objects"),
    ("search", result(32, "noSuchObject", dn="DC=corp,DC=example,DC=test"), f"{DN} does not exist (the closest existing parent is DC=corp"),
    ("modify", result(19, "constraintViolation"), "refused a value"),
    ("add", result(65, "objectClassViolation"), "rules of its object class"),
    ("modify", result(53, "unwillingToPerform"), "unwilling to modify"),
    ("search", result(8, "strongerAuthRequired"), "use tls_mode=ldaps or tls_mode=starttls"),
    ("search", result(10, "referral", referrals=["ldap://other.example.test/DC=other"]), "referral to ldap://other.example.test"),
    ("add", result(80, "other", "odd"), f"LDAP add of {DN} failed (other 80: odd)"),
])
def test_operation_results(operation, res, words):
    assert words in str(operation_error(operation, DN, res, "u"))


def test_rootdse_is_named():
    assert "the rootDSE" in str(operation_error("search", "", result(1, "operationsError"), None))


def test_broken_connection():
    message = str(broken_connection_error("modify", DN, "dc1", OSError("socket closed")))
    assert message.startswith(f"the connection to dc1 broke during the LDAP modify of {DN}: socket closed. Whether the domain controller made")


@pytest.mark.parametrize("code, words", [
    ("52e", "the user name or password is wrong; check username and password"),
    ("525", "the user does not exist; check username"),
    ("533", "the account is disabled ("),
    ("775", "the account is locked out ("),
    ("532", "the password has expired ("),
    ("773", "must change the password"),
])
def test_bind_invalid_credentials_reads_the_ad_data_code(code, words):
    res = result(49, "invalidCredentials", f"80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data {code}, v1db1")
    message = str(bind_error(res, "CORP\\admin"))
    assert message.startswith("bind as 'CORP\\\\admin' refused: ") and words in message and "invalidCredentials 49" in message


def test_bind_without_data_code():
    assert "the user name or password is wrong; check username and password" in str(bind_error(result(49, "invalidCredentials"), "u"))


def test_bind_needs_tls():
    message = str(bind_error(result(8, "strongerAuthRequired", "BindSimple: Transport encryption required."), "u"))
    assert "use tls_mode=ldaps or tls_mode=starttls" in message and "Transport encryption required" in message


# Diagnostics as domain controllers send them (Windows' seen in public bug reports, Samba 4.22's from the lab's DC).
WINDOWS_BAD_BINDINGS = "80090346: LdapErr: DSID-0C09089F, comment: AcceptSecurityContext error, data 80090346, v4563\x00"
SAMBA_BAD_BINDINGS = "80090346: LdapErr: DSID-0C090711, comment: AcceptSecurityContext error, data 35b, v1db1"
WINDOWS_SIGNING_REQUIRED = ("00002028: LdapErr: DSID-0C090256, comment: The server requires binds to turn on integrity checking if "
                            "SSL\\TLS are not already active on the connection, data 0, v3839\x00")


@pytest.mark.parametrize("diagnostic", [WINDOWS_BAD_BINDINGS, SAMBA_BAD_BINDINGS])
def test_bind_refused_for_channel_binding_says_so_and_what_to_change(diagnostic):
    message = str(bind_error(result(49, "invalidCredentials", diagnostic), "CORP\\admin"))
    assert message.startswith("bind as 'CORP\\\\admin' refused: the domain controller requires LDAP channel binding")
    assert "password is wrong" not in message and "check username" not in message
    for fix in ("auth=kerberos with tls_mode=ldaps or tls_mode=starttls", "auth=simple over TLS", "ldap3 2.9 sends none with auth=ntlm",
                "LdapEnforceChannelBinding", "allow_sasl_without_tls_channel_bindings"):
        assert fix in message
    assert message.endswith(f"(invalidCredentials 49: {diagnostic.rstrip(chr(0))})")


def test_bind_refused_for_signing_says_so_and_what_to_change():
    message = str(bind_error(result(8, "strongerAuthRequired", WINDOWS_SIGNING_REQUIRED), "admin@corp.example.com"))
    assert message.startswith("bind as 'admin@corp.example.com' refused: the domain controller requires LDAP signing or TLS for every bind")
    assert "ldap3 neither signs nor seals: use tls_mode=ldaps or tls_mode=starttls (strongerAuthRequired 8: 00002028: " in message


@pytest.mark.parametrize("code, words", [
    (20, "is not trusted (unable to get local issuer certificate): set ca_cert (or the host's mdi_ldap_ca_cert)"),
    (19, "is not trusted"),
    (62, "is not issued for 'dc1' (unable to get local issuer certificate): set server (or the host's mdi_ldap_server)"),
    (64, "is not issued for 'dc1'"),
    (10, "is not valid now"),
    (99, "see ca_cert and validate_certs"),
])
def test_certificate_errors_name_the_option(code, words):
    error = certificate_error("dc1", 636, code, "unable to get local issuer certificate")
    assert words in str(error) and error.details["certificate_error"]["code"] == code
    if code in (19, 20, 62, 64):
        assert "validate_certs=false turns validation off (only for a lab)" in str(error)


@pytest.mark.parametrize("exc, tls_mode, words", [
    (ConnectionRefusedError(111, "Connection refused"), "ldaps", "connection refused: check server and port"),
    (socket.timeout("timed out"), "ldaps", "no answer within 7 s"),
    (OSError("invalid server address"), "ldaps", "the name 'dc1' does not resolve"),
    (OSError("[Errno 101] Network is unreachable"), "ldaps", "network is unreachable"),
    (OSError("socket ssl wrapping error: [Errno 104] Connection reset by peer"), "ldaps", "Port 389 needs tls_mode=starttls"),
    (OSError("StartTLS refused: unavailable"), "starttls", "refused StartTLS"),
    (OSError("something else"), "ldaps", "something else: check server and port (a domain controller's LDAP port: 636"),
])
def test_connect_errors(exc, tls_mode, words):
    error = connect_error("dc1", 389, tls_mode, 7, exc)
    assert isinstance(error, LdapError) and str(error).startswith(f"cannot connect to dc1:389 ({tls_mode}): ") and words in str(error)


def test_result_summary():
    assert result_summary(result(32, "noSuchObject", "")) == "noSuchObject 32"
