# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _ace/task.py (the ad_ace module) over the fake directory, through the action plugins' module stand-in:
outcomes and ``changed``, check mode, diff, the DACL-only write, errors, warnings (concurrent writers:
test_task_concurrency.py)."""
from __future__ import annotations

import uuid

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace import task
from ansible_collections.mdi.action_accounts.plugins.module_utils._ace.directory import PROTECTED_FILTER
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SE_DACL_PRESENT, SecurityDescriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.presets import MDI_ACTION_ACCOUNT_SDDL
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import ace_to_sddl
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ace.conftest import HELPDESK_SID, TARGET
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ace.fakes import others, sd_flags
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import BASE, MODIFY_REPLACE, SCHEMA, run_backend


def preset(sid: str) -> list:
    return [template.format(sid=sid) for template in MDI_ACTION_ACCOUNT_SDDL]


def explicit(directory, sid: str, dn: str = TARGET) -> list:
    """``sid``'s explicit ACEs as SDDL, from the whole stored descriptor (not through the module)."""
    return [ace_to_sddl(ace) for ace in directory.descriptor(dn).dacl if getattr(ace, "sid", None) == sid and not ace.is_inherited]


def ad_ace(directory, check_mode=False, diff=False, **params) -> dict:
    """The module's result; an option given as None is left out, as if the task did not set it."""
    params = {"target": TARGET, "principal": "helpdesk", "preset": "mdi_action_account", **params}
    return run_backend(task, directory, {name: value for name, value in params.items() if value is not None}, check_mode, diff)


def sddl(described: list) -> list:
    return [item["sddl"] for item in described]


def test_present_grants_the_preset_and_leaves_every_other_ace(directory):
    untouched = others(directory.descriptor(TARGET).dacl, HELPDESK_SID)
    result = ad_ace(directory)
    assert result["changed"] is True and not result.get("failed")
    assert sddl(result["added"]) == preset(HELPDESK_SID) and result["before"] == [] and result["removed"] == []
    assert sorted(sddl(result["aces"])) == sorted(preset(HELPDESK_SID))
    assert sorted(explicit(directory, HELPDESK_SID)) == sorted(preset(HELPDESK_SID))
    assert others(directory.descriptor(TARGET).dacl, HELPDESK_SID) == untouched  # byte for byte, in order
    assert result["principal"]["display"] == "CORP\\helpdesk" and result["target"] == TARGET
    assert result["previous_dacl_sddl"].startswith("D:") and HELPDESK_SID not in result["previous_dacl_sddl"]


def test_present_again_is_unchanged_and_writes_nothing(directory):
    ad_ace(directory)
    writes = len(directory.writes)
    again = ad_ace(directory)
    assert again["changed"] is False and again["added"] == [] and again["removed"] == []
    assert len(directory.writes) == writes


def test_target_defaults_to_the_domain_root(directory):
    result = ad_ace(directory, target=None)
    assert result["target"] == BASE and sorted(explicit(directory, HELPDESK_SID, BASE)) == sorted(preset(HELPDESK_SID))


def test_absent_removes_only_the_named_aces(directory, account):
    untouched = others(directory.descriptor(TARGET).dacl, account)
    result = ad_ace(directory, principal="mdiaction", include_groups=False, state="absent")
    assert result["changed"] is True and sorted(sddl(result["removed"])) == sorted(preset(account)[:3]) and result["added"] == []
    assert explicit(directory, account) == preset(account)[3:]
    assert others(directory.descriptor(TARGET).dacl, account) == untouched
    assert ad_ace(directory, principal="mdiaction", include_groups=False, state="absent")["changed"] is False


def test_absent_of_what_is_not_there_is_unchanged(directory):
    result = ad_ace(directory, state="absent")
    assert result["changed"] is False and result["removed"] == [] and directory.writes == []


def test_exact_removes_what_is_not_asked_and_adds_what_is(directory, account):
    untouched = others(directory.descriptor(TARGET).dacl, account)
    result = ad_ace(directory, principal="mdiaction", preset=None, aces=[{"rights": ["read_control"]}], state="exact")
    assert result["changed"] is True and sddl(result["added"]) == [f"(A;;RC;;;{account})"]
    assert sorted(sddl(result["removed"])) == sorted(preset(account))
    assert explicit(directory, account) == [f"(A;;RC;;;{account})"]
    assert others(directory.descriptor(TARGET).dacl, account) == untouched


def test_exact_with_no_aces_removes_all_of_the_principals(directory, account):
    result = ad_ace(directory, principal="mdiaction", preset=None, aces=[], state="exact")
    assert result["changed"] is True and result["aces"] == [] and explicit(directory, account) == []


def test_names_in_entries_are_resolved_through_the_schema(directory):
    for cn, name, guid, kind in (("Pwd-Last-Set", "pwdLastSet", "bf967a0a-0de6-11d0-a285-00aa003049e2", "attributeSchema"),
                                 ("User", "user", "bf967aba-0de6-11d0-a285-00aa003049e2", "classSchema")):
        directory.add(f"CN={cn},{SCHEMA}", objectClass=["top", kind], cn=cn, lDAPDisplayName=name, schemaIDGUID=uuid.UUID(guid).bytes_le)
    entry = {"rights": ["read_property", "write_property"], "object_type": "pwdLastSet", "inherited_object_type": "user"}
    result = ad_ace(directory, preset=None, aces=[entry])
    assert sddl(result["added"]) == [preset(HELPDESK_SID)[1]]


@pytest.mark.parametrize("principal, params", [
    ("helpdesk", {}),
    ("mdiaction", {"state": "absent"}),
    ("mdiaction", {"preset": None, "aces": [{"rights": ["read_control"]}], "state": "exact"}),
])
def test_check_mode_predicts_the_real_run_and_writes_nothing(make_directory, principal, params):
    checked_directory, real_directory = make_directory(), make_directory()
    stored = checked_directory.objects[TARGET]["ntsecuritydescriptor"]
    checked = ad_ace(checked_directory, check_mode=True, principal=principal, **params)
    assert checked_directory.writes == [] and checked_directory.objects[TARGET]["ntsecuritydescriptor"] == stored
    real = ad_ace(real_directory, principal=principal, **params)
    assert checked["changed"] is True and checked == real


def test_diff_shows_the_principals_aces_before_and_after(directory):
    result = ad_ace(directory, diff=True)
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert before == {"principal": "CORP\\helpdesk", "aces": [], "descriptions": []}
    assert after["principal"] == "CORP\\helpdesk" and sorted(after["aces"]) == sorted(preset(HELPDESK_SID))
    assert len(after["descriptions"]) == 4 and any("Reset Password" in text for text in after["descriptions"])
    assert "diff" not in ad_ace(directory)


def test_writes_only_the_dacl_and_the_dc_keeps_owner_group_and_sacl(directory):
    whole = directory.descriptor(TARGET)
    ad_ace(directory)
    [(operation, dn, changes, controls)] = directory.writes
    assert (operation, dn, list(changes)) == ("modify", TARGET, ["nTSecurityDescriptor"]) and sd_flags(controls) == 4
    [(replace, [sent])] = changes["nTSecurityDescriptor"]
    sent = SecurityDescriptor.parse(sent)
    assert replace == MODIFY_REPLACE and (sent.owner, sent.group, sent.sacl) == (None, None, None)
    assert sorted(ace_to_sddl(ace) for ace in sent.dacl if getattr(ace, "sid", None) == HELPDESK_SID) == sorted(preset(HELPDESK_SID))
    stored = directory.descriptor(TARGET)
    assert (stored.owner, stored.group, stored.sacl.encode()) == (whole.owner, whole.group, whole.sacl.encode())


@pytest.mark.parametrize("params, message", [
    ({"target": f"OU=Nowhere,{BASE}"}, f"Failed to grant the ACEs of helpdesk on OU=Nowhere,{BASE}: the target OU=Nowhere,{BASE} does not exist"),
    ({"principal": "nobody"}, f"Failed to grant the ACEs of nobody on {TARGET}: principal 'nobody' not found"),
    ({"state": "absent", "principal": "S-1-5-21-1-2-3-4242"}, "Failed to remove the ACEs of S-1-5-21-1-2-3-4242 on "),
])
def test_missing_target_or_principal_fail_and_write_nothing(directory, params, message):
    result = ad_ace(directory, **params)
    assert result["failed"] is True and result["msg"].startswith(message) and directory.writes == []


def test_a_null_dacl_is_refused(directory):
    directory.set_descriptor(TARGET, SecurityDescriptor(owner="S-1-5-32-544", control=SE_DACL_PRESENT))
    result = ad_ace(directory, state="exact")
    assert result["failed"] is True and directory.writes == []
    assert f"Failed to set the ACEs of helpdesk on {TARGET}: {TARGET} has no DACL (a NULL DACL grants everyone full control)" in result["msg"]


def _protect(directory, count: int) -> list:
    return [directory.add(f"CN=admin{n:02},{TARGET}", objectClass=["top", "user"], adminCount=1) for n in range(count)]


def test_protected_accounts_under_the_target_are_named_in_a_warning(directory):
    protected = _protect(directory, 2)
    [warning] = ad_ace(directory)["warnings"]
    assert warning.startswith(f"2 protected accounts (adminCount=1) under {TARGET} do not inherit these ACEs")
    assert warning.endswith("They are: " + "; ".join(protected))


def test_a_long_list_of_protected_accounts_is_cut(directory):
    protected = _protect(directory, 12)
    [warning] = ad_ace(directory)["warnings"]
    assert warning.startswith("12 protected accounts") and warning.endswith("; ".join(protected[:10]) + "; ...")


@pytest.mark.parametrize("params", [{"state": "absent"}, {"preset": None, "aces": [{"rights": ["read_control"]}]}])
def test_no_warning_when_nothing_is_inherited(directory, params):
    _protect(directory, 1)
    assert "warnings" not in ad_ace(directory, **params)


def test_the_verifying_read_brings_the_protected_accounts(directory):
    protected = _protect(directory, 2)
    directory.objects = {dn: directory.objects[dn] for dn in sorted(directory.objects, key=lambda dn: dn != protected[0])}  # one first
    result = ad_ace(directory)
    assert result["changed"] and len(directory.writes) == 1 and result["warnings"][0].startswith("2 protected accounts")
    assert directory.descriptor_reads == [(TARGET, "BASE", 4, False), (TARGET, "SUBTREE", 4, False)]
    assert [search for search in directory.searches if search[1] == PROTECTED_FILTER] == []


def test_check_mode_warns_of_protected_accounts_as_the_real_run_does(make_directory):
    checked_directory, real_directory = make_directory(), make_directory()
    for each in (checked_directory, real_directory):
        _protect(each, 3)
    checked = ad_ace(checked_directory, check_mode=True)
    assert checked["warnings"] and checked["warnings"] == ad_ace(real_directory)["warnings"] and checked_directory.writes == []


@pytest.mark.parametrize("check_mode", [False, True])
def test_protected_means_accounts_and_groups(directory, check_mode):
    group = directory.add(f"CN=admins,{TARGET}", objectClass=["top", "group"], adminCount=1)
    computer = directory.add(f"CN=srv,{TARGET}", objectClass=["top", "person", "organizationalPerson", "user", "computer"], adminCount=1)
    directory.add(f"CN=contact,{TARGET}", objectClass=["top", "person", "organizationalPerson", "contact"], adminCount=1)
    directory.add(f"CN=former,{TARGET}", objectClass=["top", "user"], adminCount=0)
    directory.objects[TARGET]["admincount"] = [b"1"]  # an OU is no account, whatever its adminCount
    [warning] = ad_ace(directory, check_mode=check_mode)["warnings"]
    assert warning.startswith("2 protected accounts") and warning.endswith(f"They are: {group}; {computer}")
