# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _domain_info (the ad_domain_info module) over the fake directory: the naming contexts come from the rootDSE
(a child domain's configuration partition is the forest's), placeholders are expanded, bad entries are refused before
any search."""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._domain_info import task
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.client import Entry
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import BASE, DOMAIN_SID, FakeClient, run_backend

FOREST_ROOT = "DC=example,DC=test"
FOREST_CONFIG = f"CN=Configuration,{FOREST_ROOT}"


class ChildDomain(FakeClient):
    """A DC of the child domain corp.example.test: its configuration partition is the forest root's."""

    config_nc, schema_nc = FOREST_CONFIG, f"CN=Schema,{FOREST_CONFIG}"

    def __init__(self):
        super().__init__()
        del self.objects[f"CN=CORP,CN=Partitions,{FakeClient.config_nc}"]
        self.add(f"CN=CORP,CN=Partitions,{FOREST_CONFIG}", objectClass="crossRef", nCName=BASE, nETBIOSName="CORP", dnsRoot="corp.example.test")
        self.add(f"CN=Microsoft Exchange,CN=Services,{FOREST_CONFIG}", objectClass=["top", "container", "msExchConfigurationContainer"])

    @property
    def root_dse(self) -> Entry:
        return Entry("", {"rootDomainNamingContext": [FOREST_ROOT.encode()], "domainFunctionality": [b"7"],
                          "forestFunctionality": [b"4"], "serverName": [b"CN=DC1,CN=Servers"]})

    dns_host_name = "dc1.corp.example.test"


def read(directory, objects) -> dict:
    return run_backend(task, directory, {"objects": objects, "principals": []})


def test_a_child_domain_gets_the_forest_configuration_partition_not_one_built_from_its_own_dn():
    result = read(ChildDomain(), ["CN=Microsoft Exchange,CN=Services,{configuration}", "CN=Microsoft Exchange,CN=Services,CN=Configuration,{domain}"])
    assert result["changed"] is False
    assert result["forest"]["configuration_dn"] == FOREST_CONFIG and result["forest"]["root_domain_dn"] == FOREST_ROOT
    # Set-MDIConfiguration's CN=Configuration,<domain DN> names nothing in a child domain
    assert [(o["dn"], o["exists"]) for o in result["objects"]] == [
        (f"CN=Microsoft Exchange,CN=Services,{FOREST_CONFIG}", True), (f"CN=Microsoft Exchange,CN=Services,CN=Configuration,{BASE}", False)]
    assert result["objects"][0]["object_class"] == "msExchConfigurationContainer" and result["objects"][1]["object_class"] is None


def test_the_domain_its_names_sid_and_levels():
    result = read(ChildDomain(), [])
    assert result["domain"] == {"dn": BASE, "dns_name": "corp.example.test", "netbios_name": "CORP", "sid": DOMAIN_SID,
                                "functional_level": 7, "functional_level_name": "Windows Server 2016"}
    assert result["forest"]["functional_level"] == 4 and result["forest"]["functional_level_name"] == "Windows Server 2008 R2"
    assert result["domain_controller"] == {"dns_host_name": "dc1.corp.example.test", "server_dn": "CN=DC1,CN=Servers"}
    assert result["objects"] == []


def test_an_unknown_placeholder_is_refused_before_any_search_naming_the_entry_and_the_known_ones():
    directory = ChildDomain()
    result = read(directory, ["CN=ADFS,{domain}", "CN=Program Data,{domian}"])
    assert result["failed"] is True
    assert "objects[1]" in result["msg"] and "{domian}" in result["msg"] and "{domain}, {configuration}, {schema}, {forest_root}" in result["msg"]
    assert directory.searches == []


def test_an_empty_entry_is_refused():
    result = read(ChildDomain(), ["  "])
    assert result["failed"] is True and "objects[0] is empty" in result["msg"]


def test_principals_are_found_with_their_sids_and_a_missing_one_is_an_answer():
    directory = ChildDomain()
    directory.account("mdiDSA$", 1105, container="CN=Managed Service Accounts",
                      classes=("top", "user", "computer", "msDS-GroupManagedServiceAccount"))
    result = run_backend(task, directory, {"objects": [], "principals": ["mdiDSA", "ghost", "S-1-5-11"]})
    assert result["changed"] is False and "failed" not in result
    dsa, ghost, users = result["principals"]
    assert dsa == {"name": "mdiDSA", "found": True, "dn": f"CN=mdiDSA,CN=Managed Service Accounts,{BASE}", "sid": f"{DOMAIN_SID}-1105",
                   "sAMAccountName": "mdiDSA$", "objectClass": ["top", "user", "computer", "msDS-GroupManagedServiceAccount"],
                   "display": "CORP\\mdiDSA$"}
    assert ghost["found"] is False and ghost["sid"] is None and "principal 'ghost' not found in corp.example.test" in ghost["reason"]
    assert set(ghost) == set(dsa) | {"reason"} and ghost["objectClass"] == [], "a missing principal has the same keys, empty"
    assert users["found"] is True and users["sid"] == "S-1-5-11"


def test_a_principal_name_that_fits_two_accounts_fails_naming_the_entry():
    directory = ChildDomain()
    directory.account("srv1", 1200, container="OU=Users")
    directory.account("srv1$", 1201, container="OU=Servers", classes=("top", "user", "computer"))
    result = run_backend(task, directory, {"objects": [], "principals": ["S-1-5-11", "srv1"]})
    assert result["failed"] is True and result["msg"].startswith("Failed to read the domain: principals[1] 'srv1': 'srv1' is ambiguous")
