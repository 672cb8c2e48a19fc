# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _user_rights/principals.py: every form of account name, over (a stand-in for) LDAP."""
from __future__ import annotations

import importlib

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import LdapError
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.principals import PrincipalResolver, service_sid
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._user_rights.fakes import DOMAIN_SID


@pytest.fixture(name="resolver")
def fixture_resolver(directory):
    directory.add_account("mdiAction$", 1105)
    directory.add_account("alice", 1103, upn="alice.smith@corp.example.test")
    directory.add_account("svc$", 1201)
    directory.add("CN=Remote Management Users,CN=Builtin," + directory.default_nc, sAMAccountName="Remote Management Users",
                  objectSid=bytes.fromhex("01020000000000052000000044020000"))  # S-1-5-32-580
    return PrincipalResolver(directory)


@pytest.mark.parametrize("text, rid", [
    ("CORP\\mdiAction$", 1105), ("corp\\MDIACTION$", 1105), ("corp.example.test\\mdiAction$", 1105),
    ("mdiAction$", 1105), ("mdiAction", 1105),                      # a gMSA with or without its $
    ("alice.smith@corp.example.test", 1103),                          # UPN
    ("alice@corp.example.test", 1103),                                # implicit UPN: name@dns-domain
    ("svc", 1201), ("svc$", 1201),
])
def test_domain_accounts(resolver, text, rid):
    assert resolver.sid_of(text) == f"{DOMAIN_SID}-{rid}"


@pytest.mark.parametrize("text, sid", [
    ("S-1-5-21-1-2-3-4", "S-1-5-21-1-2-3-4"), ("*S-1-5-80-0", "S-1-5-80-0"), ("s-1-5-32-544", "S-1-5-32-544"),
    ("NT SERVICE\\ALL SERVICES", "S-1-5-80-0"), ("all services", "S-1-5-80-0"), ("BUILTIN\\Administrators", "S-1-5-32-544"),
    ("Everyone", "S-1-1-0"), ("NT AUTHORITY\\NETWORK SERVICE", "S-1-5-20"),
])
def test_sids_and_well_known_names(resolver, text, sid):
    assert resolver.sid_of(text) == sid


def test_per_service_sids_match_windows_and_the_fake(resolver, fake_side):  # pylint: disable=unused-argument  # puts the lab on sys.path
    principals = importlib.import_module("fake_winrm.principals")
    assert resolver.sid_of("NT SERVICE\\AATPSensor") == service_sid("AATPSensor") == principals.service_sid("AATPSensor")
    # `sc showsid TrustedInstaller` on any Windows
    assert service_sid("TrustedInstaller") == "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464"


@pytest.mark.parametrize("text", ["CORP\\nobody", "OTHER\\mdiAction$", "bob@corp.example.test", "bob@other.test", "S-1-x"])
def test_unknown(resolver, text):
    with pytest.raises(LdapError, match="not found|is in domain"):
        resolver.sid_of(text)


def test_ambiguous_plain_name(resolver, directory):
    directory.add_account("svc", 1200)
    with pytest.raises(LdapError, match="ambiguous"):
        resolver.sid_of("svc")
    assert resolver.sid_of("svc$") == f"{DOMAIN_SID}-1201"


def test_names(resolver):
    assert resolver.name_of("S-1-5-80-0") == "NT SERVICE\\ALL SERVICES"
    assert resolver.name_of(f"{DOMAIN_SID}-1105") == "CORP\\mdiAction$"
    assert resolver.name_of("S-1-5-32-580") == "BUILTIN\\Remote Management Users"
    assert resolver.name_of(f"{DOMAIN_SID}-9999") is None
    assert resolver.member("S-1-5-18") == {"sid": "S-1-5-18", "name": "NT AUTHORITY\\SYSTEM"}
    assert resolver.entry_sid("OLD\\gone") is None and resolver.entry_sid("*S-1-5-18") == "S-1-5-18"


def test_domain_names_come_from_the_directory(resolver):
    assert (resolver.netbios, resolver.dns_name) == ("CORP", "corp.example.test")
