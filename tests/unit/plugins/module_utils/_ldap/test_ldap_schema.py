# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Schema and rights names to GUIDs and back, and how few searches that takes (a stand-in directory;
the Samba DC in tests/integration/lab)."""
from __future__ import annotations

import uuid

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.schema import SchemaError, SchemaName, SchemaResolver, parse_guid
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import CONFIG, SCHEMA, FakeClient

PWD_LAST_SET = "bf967a0a-0de6-11d0-a285-00aa003049e2"
USER = "bf967aba-0de6-11d0-a285-00aa003049e2"
MEMBER = "bf9679c0-0de6-11d0-a285-00aa003049e2"
RESET_PASSWORD = "00299570-246d-11d0-a768-00aa006e0529"
ACCOUNT_RESTRICTIONS = "4c164200-20c0-11d0-a768-00aa006e0529"
VALIDATED_SPN = "f3a64788-5306-11d1-a9c5-0000f80367c1"


@pytest.fixture(name="client")
def fixture_client():
    client = FakeClient()
    for cn, name, guid, kind in (("Pwd-Last-Set", "pwdLastSet", PWD_LAST_SET, "attributeSchema"), ("User", "user", USER, "classSchema"),
                                 ("Member", "member", MEMBER, "attributeSchema")):
        client.add(f"CN={cn},{SCHEMA}", objectClass=["top", kind], cn=cn, lDAPDisplayName=name, schemaIDGUID=uuid.UUID(guid).bytes_le)
    rights = f"CN=Extended-Rights,{CONFIG}"
    for cn, display, guid, access in (("User-Force-Change-Password", "User Force Change Password", RESET_PASSWORD, 256),
                                      ("User-Account-Restrictions", "Account Restrictions", ACCOUNT_RESTRICTIONS, 48),
                                      ("Validated-SPN", "Validated write to service principal name", VALIDATED_SPN, 8)):
        client.add(f"CN={cn},{rights}", objectClass=["top", "controlAccessRight"], cn=cn, displayName=display, rightsGuid=guid,
                   validAccesses=access)
    return client


@pytest.mark.parametrize("name, expected", [
    ("pwdLastSet", SchemaName(PWD_LAST_SET, "pwdLastSet", "attribute")),
    ("PWDLASTSET", SchemaName(PWD_LAST_SET, "pwdLastSet", "attribute")),
    ("Pwd-Last-Set", SchemaName(PWD_LAST_SET, "pwdLastSet", "attribute")),
    ("user", SchemaName(USER, "user", "class")),
    ("Reset Password", SchemaName(RESET_PASSWORD, "User Force Change Password", "extended_right")),  # Windows' name on Samba too
    ("user-force-change-password", SchemaName(RESET_PASSWORD, "User Force Change Password", "extended_right")),
    ("Account Restrictions", SchemaName(ACCOUNT_RESTRICTIONS, "Account Restrictions", "property_set")),
    ("Validated-SPN", SchemaName(VALIDATED_SPN, "Validated write to service principal name", "validated_write")),
    ("{00299570-246D-11D0-A768-00AA006E0529}", SchemaName(RESET_PASSWORD, RESET_PASSWORD, "guid")),
])
def test_resolve(client, name, expected):
    assert SchemaResolver(client).resolve(name) == expected


def test_kinds_narrow_the_search(client):
    resolver = SchemaResolver(client)
    assert resolver.guid_of("user", kinds=("class",)) == USER
    with pytest.raises(SchemaError, match="no attribute named 'user'"):
        resolver.resolve("user", kinds=("attribute",))
    assert not [s for s in client.searches if "controlAccessRight" in s[1]]  # rights never needed


def test_unknown_name(client):
    with pytest.raises(SchemaError, match="no attribute or class or extended right or property set or validated write named 'pwdLastSt'"):
        SchemaResolver(client).resolve("pwdLastSt")
    with pytest.raises(SchemaError, match=r"Extended-Rights\): check the name, or give its GUID$"):
        SchemaResolver(client).resolve("pwdLastSt")


@pytest.mark.parametrize("name", ["", None, 5])
def test_not_a_name(client, name):
    with pytest.raises(SchemaError):
        SchemaResolver(client).resolve(name)


def test_a_name_of_two_kinds_is_ambiguous(client):
    client.add(f"CN=Account Restrictions,{SCHEMA}", objectClass=["top", "attributeSchema"], cn="Account Restrictions",
               lDAPDisplayName="accountRestrictions", schemaIDGUID=uuid.uuid4().bytes_le)
    with pytest.raises(SchemaError, match="names several entries: attribute accountRestrictions .*property_set Account Restrictions"):
        SchemaResolver(client).resolve("Account Restrictions")
    assert SchemaResolver(client).guid_of("Account Restrictions", kinds=("property_set",)) == ACCOUNT_RESTRICTIONS


def test_rights_are_read_once_and_schema_names_in_one_batch(client):
    resolver = SchemaResolver(client)
    resolver.prefetch(["pwdLastSet", "userAccountControl", "member", "user", "group", RESET_PASSWORD])
    for name in ("pwdLastSet", "member", "user", "Reset Password", "Account Restrictions", "pwdlastset"):
        resolver.resolve(name)
    with pytest.raises(SchemaError):
        resolver.resolve("group")  # not in this fake schema: looked for in the batch already
    schema_searches = [s for s in client.searches if s[0] == SCHEMA]
    rights_searches = [s for s in client.searches if "controlAccessRight" in s[1]]
    assert len(rights_searches) == 1 and len(schema_searches) == 3  # the batch, then "reset password" and "account restrictions"
    assert "(lDAPDisplayName=useraccountcontrol)(cn=useraccountcontrol)" in schema_searches[0][1]
    count = len(client.searches)
    SchemaResolver(client).resolve("member")  # the cache lives with the client
    assert len(client.searches) == count


def test_reverse_lookup(client):
    resolver = SchemaResolver(client)
    assert resolver.name_of(RESET_PASSWORD.upper()) == "User Force Change Password"
    assert resolver.name_of(PWD_LAST_SET) == "pwdLastSet"
    unknown = str(uuid.uuid4())
    assert resolver.name_of(unknown) is None and resolver.name_of(unknown) is None
    searched = [s[1] for s in client.searches if "schemaIDGUID" in s[1]]
    assert len(searched) == 2  # pwdLastSet once, the unknown GUID once
    assert searched[0] == "(schemaIDGUID=" + "".join(f"\\{b:02x}" for b in uuid.UUID(PWD_LAST_SET).bytes_le) + ")"
    with pytest.raises(SchemaError, match="is not a GUID"):
        resolver.name_of("pwdLastSet")


@pytest.mark.parametrize("text, guid", [(RESET_PASSWORD, RESET_PASSWORD), ("{" + USER.upper() + "}", USER), ("not-a-guid", None), ("", None)])
def test_parse_guid(text, guid):
    assert parse_guid(text) == guid
