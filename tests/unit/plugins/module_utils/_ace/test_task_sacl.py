# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for audit ACEs in _ace/task.py and _ace/info.py over the fake directory: the SACL read and written with
SD_FLAGS=SACL alone (the DACL untouched), MDI's audit presets, check and diff mode, absent, SeSecurityPrivilege."""
from __future__ import annotations

import re

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace import info, task
from ansible_collections.mdi.action_accounts.plugins.module_utils._ace.directory import write_acl
from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import Acl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.presets import DOMAIN_OBJECT_AUDITING_SDDL
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import ace_to_sddl
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ace.conftest import HELPDESK_SID, TARGET
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ace.fakes import sd_flags
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import BASE, run_backend

AUDIT_WRITES = {"access": "audit", "audit_flags": ["success", "failure"], "rights": ["write_property"], "applies_to": "this_object_and_descendants"}
AUDIT_READS = {"access": "audit", "audit_flags": ["failure"], "rights": ["read_property"]}


def ad_ace(directory, check_mode=False, diff=False, **params) -> dict:
    params = {"target": TARGET, "principal": "helpdesk", **params}
    return run_backend(task, directory, {name: value for name, value in params.items() if value is not None}, check_mode, diff)


def audits(directory, sid: str, dn: str = TARGET) -> list:
    """``sid``'s explicit audit ACEs as SDDL, from the whole stored descriptor (not through the module)."""
    return [ace_to_sddl(ace) for ace in directory.descriptor(dn).sacl if getattr(ace, "sid", None) == sid and not ace.is_inherited]


def test_an_audit_ace_goes_to_the_sacl_alone_and_a_rerun_changes_nothing(directory):
    dacl = directory.descriptor(TARGET).dacl.encode()
    result = ad_ace(directory, aces=[AUDIT_WRITES])
    assert result["changed"] and [a["sddl"] for a in result["added"]] == [f"(AU;CISAFA;WP;;;{HELPDESK_SID})"], result
    assert audits(directory, HELPDESK_SID) == [f"(AU;CISAFA;WP;;;{HELPDESK_SID})"]
    assert directory.descriptor(TARGET).dacl.encode() == dacl  # the DACL is never read nor written for audit ACEs
    assert {sd_flags(controls) for _op, _dn, _changes, controls in directory.writes} == {0x8}
    assert result["previous_sacl_sddl"].startswith("S:") and result["previous_dacl_sddl"] is None
    assert "Audit success and failure of" in result["aces"][0]["description"]
    again = ad_ace(directory, aces=[AUDIT_WRITES])
    assert not again["changed"] and len(directory.writes) == 1


def test_check_mode_and_diff_show_the_audit_aces_and_write_nothing(directory):
    result = ad_ace(directory, check_mode=True, diff=True, aces=[AUDIT_WRITES, AUDIT_READS])
    assert result["changed"] and directory.writes == []
    assert result["diff"]["before"]["aces"] == [] and result["diff"]["after"]["aces"] == [
        f"(AU;CISAFA;WP;;;{HELPDESK_SID})", f"(AU;FA;RP;;;{HELPDESK_SID})"]


def test_absent_removes_only_the_named_audit_aces(directory):
    ad_ace(directory, aces=[AUDIT_WRITES, AUDIT_READS])
    count = len(directory.descriptor(TARGET).sacl)
    result = ad_ace(directory, aces=[AUDIT_READS], state="absent")
    assert result["changed"] and [a["sddl"] for a in result["removed"]] == [f"(AU;FA;RP;;;{HELPDESK_SID})"]
    assert audits(directory, HELPDESK_SID) == [f"(AU;CISAFA;WP;;;{HELPDESK_SID})"]
    assert len(directory.descriptor(TARGET).sacl) == count - 1


def test_allow_and_audit_entries_write_each_part_with_its_own_flag(directory):
    sacl = directory.descriptor(TARGET).sacl.encode()
    result = ad_ace(directory, aces=[{"rights": ["read_control"]}, AUDIT_READS])
    assert result["changed"] and [sd_flags(c) for _op, _dn, _ch, c in directory.writes] == [0x4, 0x8]
    assert [a["sddl"] for a in result["aces"]] == [f"(A;;RC;;;{HELPDESK_SID})", f"(AU;FA;RP;;;{HELPDESK_SID})"]
    assert directory.descriptor(TARGET).sacl.encode() != sacl


def test_domain_object_auditing_is_mdis_six_aces_for_everyone(directory):
    result = ad_ace(directory, target=None, principal="S-1-1-0", preset="domain_object_auditing")
    assert result["target"] == BASE and result["changed"]
    assert audits(directory, "S-1-1-0", BASE)[-6:] == [template.format(sid="WD") for template in DOMAIN_OBJECT_AUDITING_SDDL]
    assert not ad_ace(directory, target=None, principal="S-1-1-0", preset="domain_object_auditing")["changed"]


@pytest.mark.parametrize("preset, sddl", [("configuration_container_auditing", "(AU;CISAFA;WP;;;WD)"),
                                          ("adfs_auditing", "(AU;CISAFA;RPWP;;;WD)")])
def test_container_auditing_presets(directory, preset, sddl):
    assert ad_ace(directory, principal="S-1-1-0", preset=preset)["changed"]
    assert sddl in audits(directory, "S-1-1-0")


def test_without_se_security_privilege_the_read_fails_naming_it(directory):
    directory.security_privilege = False
    result = ad_ace(directory, aces=[AUDIT_WRITES])
    assert result["failed"] and "SeSecurityPrivilege" in result["msg"] and "Manage auditing and security log" in result["msg"]
    assert directory.writes == []


def test_without_se_security_privilege_the_write_fails_naming_it(directory):
    directory.security_privilege = False
    with pytest.raises(MdiError, match="cannot write the SACL of .*SeSecurityPrivilege"):
        write_acl(directory, TARGET, directory.descriptor(TARGET), "sacl", Acl())


@pytest.mark.parametrize("entry, message", [
    ({"rights": ["read_property"], "audit_flags": ["success"]}, r"aces\[0\]\.audit_flags: only an audit ACE"),
    ({"rights": ["read_property"], "access": "audit"}, r"aces\[0\]\.audit_flags: an audit ACE needs what to log"),
])
def test_audit_flags_misuse_fails_before_any_read(directory, entry, message):
    result = ad_ace(directory, aces=[entry])
    assert result["failed"] and re.search(message, result["msg"]) and directory.writes == []


def test_info_returns_the_sacl_only_when_asked(directory):
    ad_ace(directory, aces=[AUDIT_READS])
    plain = run_backend(info, directory, {"target": TARGET, "principal": "helpdesk"})
    assert "audit_aces" not in plain and plain["aces"] == []
    read = run_backend(info, directory, {"target": TARGET, "principal": "helpdesk", "sacl": True})
    [item] = read["audit_aces"]
    assert (item["sddl"], item["access"], item["audit_flags"]) == (f"(AU;FA;RP;;;{HELPDESK_SID})", "audit", ["failure"])
    assert read["sacl_sddl"].startswith("S:") and read["sacl_protected"] is False
    directory.security_privilege = False
    refused = run_backend(info, directory, {"target": TARGET, "sacl": True})
    assert refused["failed"] and "SeSecurityPrivilege" in refused["msg"]


def test_exact_with_audit_aces_only_leaves_the_principals_dacl_aces(directory, account):
    dacl = directory.descriptor(TARGET).dacl.encode()
    ad_ace(directory, principal="mdiaction", aces=[AUDIT_WRITES, AUDIT_READS])
    result = ad_ace(directory, principal="mdiaction", aces=[AUDIT_READS], state="exact")
    assert result["changed"] and audits(directory, account) == [f"(AU;FA;RP;;;{account})"]
    assert directory.descriptor(TARGET).dacl.encode() == dacl  # mdiaction's four DACL ACEs stay


def test_inherited_audit_aces_are_read_and_verified_in_the_sacl_alone(directory):
    directory.add(f"CN=admin,{TARGET}", objectClass=["top", "user"], adminCount=1)  # AdminSDHolder leaves SACLs alone
    result = ad_ace(directory, aces=[AUDIT_WRITES])
    assert result["changed"] and "warnings" not in result
    assert directory.descriptor_reads == [(TARGET, "BASE", 8, False), (TARGET, "BASE", 8, False)]  # the plan's read, the verifying read
