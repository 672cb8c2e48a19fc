# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for ad_ace on CN=Deleted Objects over the fake directory: the Show Deleted control on every read and write,
take_ownership when the DACL cannot be read (owner written alone, then the DACL), check mode, the failure without it."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace import info, task
from ansible_collections.mdi.action_accounts.plugins.module_utils._ace.directory import in_deleted_objects
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import descriptor_from_sddl
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ace.conftest import HELPDESK_SID
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ace.fakes import BIND_SID, sd_flags, show_deleted
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import BASE, DOMAIN_SID, run_backend

DELETED = f"CN=Deleted Objects,{BASE}"
SAMBA_DEFAULT = "O:SYG:SYD:PAI(A;;CCDCLCSWRPWPSDRCWDWO;;;SY)(A;;LCRP;;;BA)"  # what Samba 4.22 provisions
GRANT = {"principal": "helpdesk", "aces": [{"rights": ["list_children", "read_property"]}]}


@pytest.fixture(name="deleted")
def fixture_deleted(directory):
    directory.add(DELETED, objectClass=["top", "container"], isDeleted="TRUE")
    directory.set_descriptor(DELETED, descriptor_from_sddl(SAMBA_DEFAULT, DOMAIN_SID))
    directory.unreadable.add(DELETED)  # Administrators hold List Contents and Read Property only
    directory.account("Administrator", 500)
    return directory


def ad_ace(directory, check_mode=False, **params) -> dict:
    return run_backend(task, directory, {"target": DELETED, **GRANT, **params}, check_mode)


@pytest.mark.parametrize("dn, inside", [(DELETED, True), (f"CN=x\\0ADEL:1,{DELETED}", True), (f"cn=deleted objects,{BASE}", True),
                                        (f"OU=Deleted Objects Archive,{BASE}", False), (BASE, False)])
def test_in_deleted_objects(dn, inside):
    assert in_deleted_objects(dn) is inside


def test_without_take_ownership_it_fails_naming_the_option_and_writes_nothing(deleted):
    result = ad_ace(deleted)
    assert result["failed"] and "take_ownership=true" in result["msg"] and deleted.writes == []


def test_check_mode_predicts_the_ownership_and_the_grant(deleted):
    result = ad_ace(deleted, check_mode=True, take_ownership=True)
    assert result["changed"] and result["owner_taken"] and deleted.writes == []
    assert [a["sddl"] for a in result["added"]] == [f"(A;;LCRP;;;{HELPDESK_SID})"] and result["warnings"]


def test_take_ownership_writes_the_owner_alone_then_the_dacl_and_a_rerun_changes_nothing(deleted):
    result = ad_ace(deleted, take_ownership=True)
    assert result["changed"] and result["owner_taken"] and result["owner"] == BIND_SID
    assert [sd_flags(controls) for _op, _dn, _changes, controls in deleted.writes] == [0x1, 0x4]
    assert all(show_deleted(controls) for _op, _dn, _changes, controls in deleted.writes)
    stored = deleted.descriptor(DELETED)
    assert stored.owner == BIND_SID and stored.group == "S-1-5-18"
    assert [a.sid for a in stored.dacl] == ["S-1-5-18", "S-1-5-32-544", HELPDESK_SID]
    again = ad_ace(deleted, take_ownership=True)
    assert not again["changed"] and not again["owner_taken"] and len(deleted.writes) == 2


def test_an_owner_needs_no_ownership_taken(deleted):
    deleted.set_descriptor(DELETED, descriptor_from_sddl(SAMBA_DEFAULT.replace("O:SY", f"O:{BIND_SID}"), DOMAIN_SID))
    result = ad_ace(deleted, take_ownership=True)
    assert result["changed"] and not result["owner_taken"] and [sd_flags(c) for *_rest, c in deleted.writes] == [0x4]


def test_info_reads_the_container_with_show_deleted(deleted):
    deleted.unreadable.clear()
    result = run_backend(info, deleted, {"target": DELETED})
    assert [a["sddl"] for a in result["aces"]] == ["(A;;CCDCLCSWRPWPSDRCWDWO;;;SY)", "(A;;LCRP;;;BA)"]


def test_deleted_accounts_are_not_named_as_protected(deleted):
    deleted.add(f"CN=admin\\0ADEL:1,{DELETED}", objectClass=["top", "user"], adminCount=1, isDeleted="TRUE")
    inherited = {"rights": ["list_children", "read_property"], "applies_to": "this_object_and_descendants"}
    result = ad_ace(deleted, take_ownership=True, aces=[inherited])
    assert result["changed"] and "warnings" not in result
    assert [(scope, show) for _dn, scope, _flags, show in deleted.descriptor_reads] == [("BASE", True)] * 3  # no subtree searched
