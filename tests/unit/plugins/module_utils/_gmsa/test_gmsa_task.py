# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _gmsa/task.py (the gmsa_account module) over the fake directory: what is written, check mode and diff,
and how often the account is searched for (once before the work, once after it to report what the DC holds)."""
from __future__ import annotations

import datetime

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._gmsa import task
from ansible_collections.mdi.action_accounts.plugins.module_utils._kds import root_key
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.gmsa_membership import build_membership_descriptor
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import BASE, CONFIG, DOMAIN_SID, FakeClient, run_backend

MSA = f"CN=Managed Service Accounts,{BASE}"
DN = f"CN=mdiAction,{MSA}"
FIND = "(sAMAccountName=mdiAction$)"
DC_GROUP = {"sid": f"{DOMAIN_SID}-516", "name": "CORP\\Domain Controllers"}
GMSA_CLASSES = ["top", "person", "organizationalPerson", "user", "computer", "msDS-GroupManagedServiceAccount"]


@pytest.fixture(name="directory")
def fixture_directory():
    """A domain with the Domain Controllers group, CN=Managed Service Accounts and a usable KDS root key; no gMSA yet."""
    directory = FakeClient()
    directory.account("Domain Controllers", 516, classes=("top", "group"))
    directory.add(MSA, objectClass=["top", "container"])
    usable_since = root_key.to_nt_time(datetime.datetime.now(datetime.timezone.utc) - root_key.LAB_BACKDATE)
    directory.add(f"CN=k1,{root_key.container_dn(CONFIG)}", objectClass=["top", root_key.OBJECT_CLASS], cn="k1",
                  **{"msKds-UseStartTime": usable_since, "msKds-CreateTime": usable_since})
    return directory


def existing(directory, description: str = "MDI") -> None:
    directory.account("mdiAction$", 1105, container="CN=Managed Service Accounts", classes=GMSA_CLASSES, userAccountControl=4096,
                      dNSHostName="mdiAction.corp.example.test", description=description,
                      **{"msDS-SupportedEncryptionTypes": 24, "msDS-ManagedPasswordInterval": 30,
                         "msDS-GroupMSAMembership": build_membership_descriptor([DC_GROUP["sid"]])})


def gmsa(directory, check_mode=False, diff=False, **params) -> dict:
    return run_backend(task, directory, {"name": "mdiAction", **params}, check_mode, diff)


def finds(directory) -> int:
    return len([search for search in directory.searches if search[1] == FIND])


def test_creates_the_account_windows_requires(directory):
    result = gmsa(directory, description="MDI", diff=True)
    [(operation, dn, attributes, _controls)] = directory.writes
    assert (operation, dn) == ("add", DN) and result["changed"] is True and result["dn"] == DN
    assert attributes["sAMAccountName"] == "mdiAction$" and attributes["userAccountControl"] == ["4096"]
    assert attributes["msDS-SupportedEncryptionTypes"] == ["24"] and attributes["dNSHostName"] == ["mdiAction.corp.example.test"]
    assert result["retrieval_principals"] == [DC_GROUP] and result["diff"]["before"] == {}
    assert result["diff"]["after"] == result["account"] and result["account"]["description"] == "MDI"


def test_an_unchanged_account_is_not_written(directory):
    existing(directory)
    result = gmsa(directory, description="MDI")
    assert result["changed"] is False and directory.writes == [] and result["sid"] == f"{DOMAIN_SID}-1105"


def test_only_what_differs_is_modified_and_the_diff_shows_it(directory):
    existing(directory)
    result = gmsa(directory, description="new", diff=True)
    assert directory.writes == [("modify", DN, {"description": [(task.MODIFY_REPLACE, ["new"])]}, None)]
    assert (result["diff"]["before"]["description"], result["diff"]["after"]["description"]) == ("MDI", "new")


def test_an_account_nobody_may_retrieve_gets_the_domain_controllers_back(directory):
    """Emptied behind the module's back (or left so by a cut connection): without retrieval_principals the default holds."""
    directory.account("mdiAction$", 1105, container="CN=Managed Service Accounts", classes=GMSA_CLASSES, userAccountControl=4096,
                      dNSHostName="mdiAction.corp.example.test", description="MDI",
                      **{"msDS-SupportedEncryptionTypes": 24, "msDS-ManagedPasswordInterval": 30})
    result = gmsa(directory, description="MDI")
    membership = build_membership_descriptor([DC_GROUP["sid"]])
    assert directory.writes == [("modify", DN, {"msDS-GroupMSAMembership": [(task.MODIFY_REPLACE, [membership])]}, None)]
    assert result["changed"] is True and result["retrieval_principals"] == [DC_GROUP]


@pytest.mark.parametrize("params", [{"description": "MDI"}, {"description": "new"}, {"state": "absent"}])
def test_check_mode_predicts_the_real_run_and_writes_nothing(directory, params):
    existing(directory)
    checked = gmsa(directory, check_mode=True, diff=True, **params)
    assert directory.writes == []
    real = gmsa(directory, diff=True, **params)
    if params.get("state") == "absent":  # check mode still names the SID of the account it would remove
        assert checked.pop("sid") == f"{DOMAIN_SID}-1105" and real.pop("sid") is None
    assert checked == real


def test_check_mode_predicts_a_new_account(directory):
    checked = gmsa(directory, check_mode=True, diff=True)
    assert checked["changed"] is True and directory.writes == [] and checked["diff"]["before"] == {}
    assert checked["account"]["dn"] == DN and checked["account"]["retrieval_principals"] == [DC_GROUP]


def test_absent_deletes_and_then_is_unchanged(directory):
    existing(directory)
    assert gmsa(directory, state="absent")["changed"] is True and directory.writes == [("delete", DN, None, None)]
    assert gmsa(directory, state="absent")["changed"] is False and len(directory.writes) == 1


def test_a_name_taken_by_another_kind_of_account_fails(directory):
    directory.account("mdiAction$", 1106, classes=("top", "user", "computer"))
    result = gmsa(directory)
    assert result["failed"] is True and "which is not a group managed service account" in result["msg"] and directory.writes == []


def test_the_password_interval_of_an_existing_account_cannot_change(directory):
    existing(directory)
    result = gmsa(directory, password_interval_days=15)
    assert result["failed"] is True and "only be set when the gMSA is created" in result["msg"] and directory.writes == []


@pytest.mark.parametrize("exists, params, check_mode, searches", [
    (False, {}, False, 2),  # created: read back for the SID the DC gave it
    (False, {}, True, 1),  # check mode wrote nothing to read back
    (True, {"description": "MDI"}, False, 1),  # unchanged: the first read is the result
    (True, {"description": "new"}, False, 2),  # modified
    (True, {"state": "absent"}, False, 2),
    (False, {"state": "absent"}, False, 1),
])
def test_the_account_is_read_again_only_after_a_write(directory, exists, params, check_mode, searches):
    if exists:
        existing(directory)
    result = gmsa(directory, check_mode=check_mode, diff=True, **params)
    assert not result.get("failed") and finds(directory) == searches, result


def test_an_unchanged_account_costs_its_search_and_the_principals_named(directory):
    """The account's own container is not read back when the account is in it, and the retrieval SIDs read from the
    account are named from the principals the task resolved first, not searched for one by one."""
    existing(directory)
    result = gmsa(directory, description="MDI", diff=True, retrieval_principals={"set": ["Domain Controllers"]})
    assert result["changed"] is False and result["retrieval_principals"] == [DC_GROUP]
    assert finds(directory) == 1 and not [s for s in directory.searches if s[0] == MSA and s[2] == "BASE"]
    assert len([s for s in directory.searches if "Domain Controllers" in s[1] or "objectSid" in s[1]]) == 1, directory.searches
