# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _ace/task.py (the ad_ace module) over the fake directory, through the action plugins' module stand-in:
outcomes and ``changed``, check mode, diff, the DACL-only write, verify and merge on concurrent writers, errors, warnings."""
from __future__ import annotations

import uuid

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace import task
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SE_DACL_PRESENT, SecurityDescriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.presets import MDI_ACTION_ACCOUNT_SDDL
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import ace_from_sddl, ace_to_sddl
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ace.conftest import HELPDESK_SID, TARGET
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ace.fakes import RivalDirectory, others, sd_flags
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import BASE, MODIFY_REPLACE, SCHEMA, run_backend

RIVAL = "(OA;CIIO;RPWP;bf967a0a-0de6-11d0-a285-00aa003049e2;bf967aba-0de6-11d0-a285-00aa003049e2;S-1-5-21-1-2-3-2001)"


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


def test_a_change_between_read_and_write_is_merged_not_overwritten(make_directory):
    directory = make_directory(RivalDirectory, ace_from_sddl(RIVAL), after_reads=[1])
    result = ad_ace(directory)
    assert result["changed"] is True and directory.rival_writes == 1 and len(directory.writes) == 1
    [(_operation, _dn, changes, _controls)] = directory.writes
    assert ace_from_sddl(RIVAL) in SecurityDescriptor.parse(changes["nTSecurityDescriptor"][0][1][0]).dacl  # planned on the re-read
    assert explicit(directory, "S-1-5-21-1-2-3-2001") == [RIVAL]
    assert sorted(explicit(directory, HELPDESK_SID)) == sorted(preset(HELPDESK_SID))


def test_a_lost_update_is_seen_on_verify_and_written_again(make_directory):
    directory = make_directory(RivalDirectory, ace_from_sddl(RIVAL), clobbers=1)
    result = ad_ace(directory)
    assert result["changed"] is True and not result.get("failed") and len(directory.writes) == 2
    assert explicit(directory, "S-1-5-21-1-2-3-2001") == [RIVAL]  # the rival's ACE is kept too
    assert sorted(explicit(directory, HELPDESK_SID)) == sorted(preset(HELPDESK_SID))
    assert sorted(sddl(result["aces"])) == sorted(preset(HELPDESK_SID))


def test_a_dacl_that_keeps_changing_fails_after_three_writes(make_directory):
    directory = make_directory(RivalDirectory, ace_from_sddl(RIVAL), clobbers=99)
    result = ad_ace(directory)
    assert result["failed"] is True and len(directory.writes) == task.MAX_ATTEMPTS == 3
    assert f"the DACL of {TARGET} kept changing under concurrent writers; 3 attempts did not leave the ACEs in place" in result["msg"]
    assert result["msg"].startswith(f"Failed to grant the ACEs of helpdesk on {TARGET}: ") and result["target"] == TARGET


def test_aces_someone_else_granted_meanwhile_are_not_written_again(make_directory):
    wanted = preset(HELPDESK_SID)[0]
    directory = make_directory(RivalDirectory, ace_from_sddl(wanted), after_reads=[1])
    entry = {"rights": ["control_access"], "object_type": "00299570-246d-11d0-a768-00aa006e0529",
             "inherited_object_type": "bf967aba-0de6-11d0-a285-00aa003049e2"}
    result = ad_ace(directory, preset=None, aces=[entry])
    assert directory.writes == [] and explicit(directory, HELPDESK_SID) == [wanted] and sddl(result["aces"]) == [wanted]
    assert result["changed"] is False and result["added"] == []  # the other writer made the change, not this task


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
