# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Principals in every form a user writes them: which form is which, how the filter is escaped, and what
the directory (a stand-in; the Samba DC in tests/integration/lab) answers."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import LdapError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.principals import (
    Principal, PrincipalError, PrincipalNotFound, parse_principal, resolve_principal)
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import sid_to_bytes
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import BASE, CONFIG, DOMAIN_SID, FakeClient

GMSA_CLASSES = ("top", "person", "organizationalPerson", "user", "computer", "msDS-GroupManagedServiceAccount")


@pytest.mark.parametrize("text, parsed", [
    ("S-1-5-32-544", ("sid", "S-1-5-32-544", None)),
    (" s-1-5-21-1-2-3-1103 ", ("sid", "S-1-5-21-1-2-3-1103", None)),
    ("CN=alice,OU=Users,DC=corp,DC=example,DC=test", ("dn", "CN=alice,OU=Users,DC=corp,DC=example,DC=test", None)),
    ("CORP\\alice", ("domain_name", "alice", "CORP")),
    ("NT AUTHORITY\\SYSTEM", ("domain_name", "SYSTEM", "NT AUTHORITY")),
    ("alice@corp.example.test", ("upn", "alice@corp.example.test", "corp.example.test")),
    ("mdiAction$", ("sam", "mdiAction$", None)),
    ("S-1-x", ("sam", "S-1-x", None)),
])
def test_forms(text, parsed):
    assert parse_principal(text) == parsed


@pytest.mark.parametrize("text", ["", "  ", None, "CORP\\", "\\alice", "@corp", "alice@"])
def test_malformed(text):
    with pytest.raises(PrincipalError):
        parse_principal(text)


@pytest.fixture(name="client")
def fixture_client():
    client = FakeClient()
    client.account("alice", 1103, container="OU=Users", userPrincipalName="alice.smith@corp.example.test")
    client.account("mdiAction$", 1105, container="CN=Managed Service Accounts", classes=GMSA_CLASSES, userAccountControl=4096)
    client.account("srv1$", 1109, container="OU=Servers", classes=("top", "user", "computer"), userAccountControl=4096)
    client.add(f"CN=Administrators,CN=Builtin,{BASE}", objectClass=["top", "group"], sAMAccountName="Administrators",
               objectSid=sid_to_bytes("S-1-5-32-544"))
    client.add(f"CN=Authenticated Users,CN=WellKnown Security Principals,{CONFIG}", objectClass=["top", "foreignSecurityPrincipal"],
               cn="Authenticated Users", objectSid=sid_to_bytes("S-1-5-11"))
    client.add(f"OU=Users,{BASE}", objectClass=["top", "organizationalUnit"])
    return client


@pytest.mark.parametrize("text", [
    "alice", "ALICE", "CORP\\alice", "corp\\alice", "corp.example.test\\alice", "alice.smith@corp.example.test",
    "alice@corp.example.test", "alice@CORP", f"CN=alice,OU=Users,{BASE}", f"{DOMAIN_SID}-1103",
])
def test_every_form_finds_the_same_user(client, text):
    found = resolve_principal(client, text)
    assert found == Principal(f"CN=alice,OU=Users,{BASE}", f"{DOMAIN_SID}-1103", "alice", ("top", "user"), "CORP\\alice", None)
    assert found.to_dict() == {"dn": f"CN=alice,OU=Users,{BASE}", "sid": f"{DOMAIN_SID}-1103", "sAMAccountName": "alice",
                               "objectClass": ["top", "user"], "display": "CORP\\alice"}


@pytest.mark.parametrize("text", ["mdiAction", "mdiAction$", "CORP\\mdiAction", "mdiAction@corp.example.test", f"{DOMAIN_SID}-1105"])
def test_gmsa_with_or_without_dollar(client, text):
    found = resolve_principal(client, text)
    assert (found.sam, found.name, found.user_account_control) == ("mdiAction$", "CORP\\mdiAction$", 4096)
    assert found.is_a("msDS-GroupManagedServiceAccount") and found.is_a("COMPUTER") and not found.is_a("group")


@pytest.mark.parametrize("text, name, dn", [
    ("S-1-5-32-544", "BUILTIN\\Administrators", f"CN=Administrators,CN=Builtin,{BASE}"),
    ("BUILTIN\\Administrators", "BUILTIN\\Administrators", f"CN=Administrators,CN=Builtin,{BASE}"),
    ("Administrators", "BUILTIN\\Administrators", f"CN=Administrators,CN=Builtin,{BASE}"),
    ("S-1-5-11", "NT AUTHORITY\\Authenticated Users", f"CN=Authenticated Users,CN=WellKnown Security Principals,{CONFIG}"),
    ("Authenticated Users", "NT AUTHORITY\\Authenticated Users", f"CN=Authenticated Users,CN=WellKnown Security Principals,{CONFIG}"),
    ("S-1-5-18", "NT AUTHORITY\\SYSTEM", None),  # no object at all: the well-known table
    ("NT AUTHORITY\\SYSTEM", "NT AUTHORITY\\SYSTEM", None),
    ("Everyone", "Everyone", None),
])
def test_well_known(client, text, name, dn):
    found = resolve_principal(client, text)
    assert (found.name, found.dn) == (name, dn)


@pytest.mark.parametrize("text, words", [
    ("ghost", "principal 'ghost' not found in corp.example.test (no sAMAccountName 'ghost' or 'ghost$')"),
    ("ghost$", "not found in corp.example.test (no sAMAccountName 'ghost$')"),
    ("bob@other.test", "principal 'bob@other.test' not found in corp.example.test (no such userPrincipalName)"),
    (f"{DOMAIN_SID}-9999", "not found in corp.example.test"),
    ("OTHER\\alice", "is in domain 'OTHER', but the domain controller serves CORP (corp.example.test)"),
    (f"CN=ghost,{BASE}", "not found: no such object"),
    (f"OU=Users,{BASE}", "is not a security principal: it has no objectSid"),
    ("NT AUTHORITY\\NOBODY", "does not know by name: give its SID"),
])
def test_not_found(client, text, words):
    with pytest.raises(LdapError) as failure:
        resolve_principal(client, text)
    assert words in str(failure.value)
    # Only "nothing answers to the name" is PrincipalNotFound: the canary, the DSA and ad_domain_info take it as an answer.
    assert isinstance(failure.value, PrincipalNotFound) == ("not found" in words)
    if "not found" in words:
        assert str(failure.value).endswith("; check the name, or give the account's DN or SID")


def test_name_fitting_an_account_and_its_dollar_twin_is_ambiguous(client):
    client.account("srv1", 1200, container="OU=Users")
    with pytest.raises(PrincipalError, match="'srv1' is ambiguous: it names CN=srv1,") as failure:
        resolve_principal(client, "srv1")
    assert not isinstance(failure.value, PrincipalNotFound)
    assert resolve_principal(client, "srv1$").sid == f"{DOMAIN_SID}-1109"


def test_filter_values_are_escaped(client):
    with pytest.raises(PrincipalError):
        resolve_principal(client, "*)(objectClass")
    escaped = r"\2a\29\28objectClass"
    # one search, whose filter may also ask for the domain head and its crossRef (principals.py)
    assert [f"(|(sAMAccountName={escaped})(sAMAccountName={escaped}$))" in f for _base, f, _scope in client.searches if "sAMAccountName" in f] == [True]
    resolve_principal(client, "S-1-5-32-544")
    assert client.searches[-1][1] == r"(objectSid=\01\02\00\00\00\00\00\05\20\00\00\00\20\02\00\00)"


def test_results_are_cached_per_client(client):
    resolve_principal(client, "alice")
    count = len(client.searches)
    assert resolve_principal(client, " Alice ") is resolve_principal(client, "alice") and len(client.searches) == count
    other = FakeClient()
    resolve_principal(other, "Everyone")
    assert other.searches  # another connection asks again
