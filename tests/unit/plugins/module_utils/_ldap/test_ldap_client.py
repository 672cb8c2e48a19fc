# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""LdapClient over a scripted ldap3 connection: paging, raw entries, the rootDSE and domain, and every
error result or broken connection as an LdapError naming the operation and the object."""
from __future__ import annotations

import uuid

import pytest
from ldap3.core.exceptions import LDAPInvalidDnError, LDAPSessionTerminatedByServerError

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.client import PAGE_SIZE, PAGED_RESULTS_OID, LdapClient
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import LdapError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import sid_to_bytes
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import (
    BASE, CONFIG, DOMAIN_SID, SUCCESS, ScriptedConnection, entry, result,
)

USERS = f"OU=Users,{BASE}"


def _page(cookie: bytes, *entries) -> tuple:
    return {**SUCCESS, "controls": {PAGED_RESULTS_OID: {"value": {"size": 0, "cookie": cookie}}}}, list(entries)


def _client(*answers) -> LdapClient:
    return LdapClient(ScriptedConnection(*answers), "dc1", "helpdesk@corp.example.test")


def test_search_follows_the_paging_cookie():
    client = _client(_page(b"c1", entry("CN=a," + USERS, cn="a")), _page(b"", entry("CN=b," + USERS, cn="b")))
    found = client.search(USERS, "(objectClass=user)", ["cn"])
    assert [e.text("cn") for e in found] == ["a", "b"]
    (_name, first_args, first), (_name2, _args2, second) = client.conn.calls
    assert first_args == (USERS, "(objectClass=user)") and first["search_scope"] == "SUBTREE" and first["attributes"] == ["cn"]
    assert (first["paged_size"], first["paged_cookie"], second["paged_cookie"]) == (PAGE_SIZE, None, b"c1")


def test_base_and_unpaged_searches_ask_once():
    client = _client((SUCCESS, [entry(USERS, ou="Users")]), (SUCCESS, []))
    assert client.read(USERS, ["ou"]).text("ou") == "Users"
    assert client.search(USERS, "(cn=x)", ["cn"], scope="LEVEL", paged=False) == []
    assert [call[2]["paged_size"] for call in client.conn.calls] == [None, None]


def test_no_attributes_asks_for_none():
    client = _client((SUCCESS, []))
    client.search(USERS, "(cn=x)", [])
    assert client.conn.calls[0][2]["attributes"] is None  # ldap3 sends 1.1 then


def test_search_error_names_operation_object_and_result():
    client = _client((result(50, "insufficientAccessRights", "00002098: SecErr"), []))
    with pytest.raises(LdapError, match=f"the bind account 'helpdesk@corp.example.test' lacks the right to read {USERS} "
                                        r"\(insufficientAccessRights 50: 00002098: SecErr\)"):
        client.search(USERS, "(cn=x)", ["cn"])


def test_missing_base_is_an_error_for_search_but_none_for_read():
    missing = (result(32, "noSuchObject", dn=BASE), [])
    with pytest.raises(LdapError, match="does not exist"):
        _client(missing).search(USERS, "(cn=x)", ["cn"])
    assert _client(missing).read(USERS, ["cn"]) is None


@pytest.mark.parametrize("method, args, verb", [
    ("add", (f"CN=n,{USERS}", ["top", "user"], {"sAMAccountName": "n"}), "create"),
    ("modify", (USERS, {"description": [("MODIFY_REPLACE", ["x"])]}), "modify"),
    ("delete", (f"CN=n,{USERS}",), "delete"),
])
def test_writes(method, args, verb):
    client = _client((SUCCESS, []))
    getattr(client, method)(*args)
    assert client.conn.calls[0][0] == method and client.conn.calls[0][1] == args
    denied = _client((result(50, "insufficientAccessRights"), []))
    with pytest.raises(LdapError, match=f"lacks the right to {verb} {args[0]}"):
        getattr(denied, method)(*args)


def test_move_keeps_the_rdn_under_the_new_parent():
    client = _client((SUCCESS, []))
    client.move(f"CN=mdiAction,CN=Managed Service Accounts,{BASE}", USERS)
    assert client.conn.calls == [("modify_dn", (f"CN=mdiAction,CN=Managed Service Accounts,{BASE}", "CN=mdiAction"), {"new_superior": USERS})]
    denied = _client((result(50, "insufficientAccessRights"), []))
    with pytest.raises(LdapError, match=f"lacks the right to move CN=mdiAction,{BASE}"):
        denied.move(f"CN=mdiAction,{BASE}", USERS)


def test_controls_are_passed_on():
    client = _client((SUCCESS, []))
    client.modify(USERS, {}, controls=[("1.2.840.113556.1.4.801", True, b"0\x03\x02\x01\x04")])
    assert client.conn.calls[0][2]["controls"][0][0] == "1.2.840.113556.1.4.801"


def test_broken_connection():
    client = _client(LDAPSessionTerminatedByServerError("session terminated by server"))
    with pytest.raises(LdapError, match=f"the connection to dc1 broke during the LDAP search of {USERS}: session terminated"):
        client.search(USERS, "(cn=x)", ["cn"])


def test_an_invalid_dn_is_named_as_such_not_as_a_broken_connection():
    client = _client(LDAPInvalidDnError("attribute type not present"))
    with pytest.raises(LdapError, match=r"^'not a dn' is not a valid distinguished name \(attribute type not present\): give a DN"):
        client.search("not a dn", "(objectClass=*)", ["cn"])


def test_root_dse_and_domain_are_read_once():
    client = _client(
        (SUCCESS, [entry("", defaultNamingContext=BASE, configurationNamingContext=CONFIG, schemaNamingContext=f"CN=Schema,{CONFIG}",
                         dnsHostName="dc1.corp.example.test")]),
        (SUCCESS, [entry(BASE, objectSid=sid_to_bytes(DOMAIN_SID))]),
        (SUCCESS, [entry(f"CN=CORP,CN=Partitions,{CONFIG}", dnsRoot="corp.example.test", nETBIOSName="CORP")]),
    )
    assert (client.default_nc, client.config_nc, client.schema_nc, client.dns_host_name) == \
        (BASE, CONFIG, f"CN=Schema,{CONFIG}", "dc1.corp.example.test")
    assert (client.domain.sid, client.domain.dns, client.domain.netbios, client.domain.dn) == (DOMAIN_SID, "corp.example.test", "CORP", BASE)
    assert client.domain is client.domain and len(client.conn.calls) == 3
    assert client.conn.calls[2][1][1] == "(&(objectClass=crossRef)(nCName=DC=corp,DC=example,DC=test))"


def test_not_a_domain_controller():
    with pytest.raises(LdapError, match="no rootDSE naming contexts"):
        _nc = _client((SUCCESS, [entry("", dnsHostName="ldap.example.org")])).default_nc


def test_entry_decoding():
    guid = uuid.uuid4()
    value = entry("CN=x", objectSid=sid_to_bytes(f"{DOMAIN_SID}-1103"), objectGUID=guid.bytes_le, pwdLastSet="0", memberOf=["a", "b"])
    found = _client((SUCCESS, [value])).read("CN=x", ["objectSid"])
    assert (found.sid(), found.guid(), found.integer("PWDLASTSET"), found.texts("memberof")) == (f"{DOMAIN_SID}-1103", str(guid), 0, ["a", "b"])
    assert found.text("missing") is None and found.values("missing") == [] and found.integer("missing") is None


def test_context_manager_unbinds_even_when_broken():
    client = _client()
    with client:
        pass
    assert client.conn.unbound


def test_a_root_dse_modify_goes_to_the_empty_dn_past_ldap3s_dn_check():
    client = _client((SUCCESS, []), (result(53, "unwillingToPerform", "00002035: rootdse: Insufficient rights"), []))
    client.modify_root_dse({"enableOptionalFeature": [("MODIFY_ADD", ["CN=Partitions,CN=Configuration,DC=x:guid"])]})
    (name, args, kwargs), = client.conn.calls
    assert (name, args[0], kwargs["check_names"], client.conn.check_names) == ("modify", "", False, True)
    with pytest.raises(LdapError, match="unwillingToPerform"):
        client.modify_root_dse({"enableOptionalFeature": [("MODIFY_ADD", ["x"])]})
    assert client.conn.check_names is True  # restored after a failure too
