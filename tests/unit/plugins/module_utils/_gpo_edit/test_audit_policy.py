# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _gpo_edit/audit_policy.py (with _gpo_edit/task.py): audit.csv rows in a GPO, against stand-ins."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_edit import audit_policy
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_edit.task import apply
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.audit_csv import HEADER, PATH
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._gpo_edit.conftest import DN, OTHER_PAIR

AUDIT_PAIR = "[{F3CCC681-B74C-4060-9F26-CD84525DCA2A}{0F3F3735-573D-9804-99E4-AB2A69BA5FD4}]"
CREDENTIAL_VALIDATION = ",System,Audit Credential Validation,{0cce923f-69ae-11d9-bed3-505054503030},Success and Failure,,3"
# A file as a GPO backup holds it: an unrelated subcategory written by another tool, and an audit option row.
EXISTING = [HEADER, "DC1,System,Audit Special Logon,{0CCE921B-69AE-11D9-BED3-505054503030},Success,,1",
            ",System,Audit Logon,{0cce9215-69ae-11d9-bed3-505054503030},Failure,,2", ",,Option:CrashOnAuditFail,,Enabled,,1"]


def _csv(lines) -> bytes:
    return "".join(line + "\r\n" for line in lines).encode("utf-8")


def _run(domain, subcategories, state="present", check_mode=False):
    params = {"gpo": "MDI test", "state": state,
              "subcategories": [{"name": name, "audit": audit} for name, audit in subcategories]}
    return apply(domain.directory, domain.sysvol, params["gpo"], audit_policy.settings_of(params), check_mode)


def test_a_new_file_is_utf8_crlf_and_both_versions_and_the_extension_change(domain):
    result, warnings = _run(domain, [("Credential Validation", ["success", "failure"])])
    assert result["changed"] and warnings == []
    assert domain.sysvol.read(domain.path(PATH)) == _csv([HEADER, CREDENTIAL_VALIDATION])
    assert domain.ini() == "[General]\r\nVersion=65541\r\ndisplayName=MDI test\r\n"
    assert domain.ad("versionNumber") == "65541"
    assert domain.ad("gPCMachineExtensionNames") == OTHER_PAIR + AUDIT_PAIR  # merged, sorted by CSE, the seeded pair kept
    assert [path.rsplit("\\", 1)[-1] for path in domain.sysvol.writes] == ["GPT.INI", "audit.csv"]
    assert result["subcategories"] == [{"guid": "{0cce923f-69ae-11d9-bed3-505054503030}", "name": "Audit Credential Validation",
                                        "audit": ["failure", "success"], "setting_value": 3}]


def test_merge_keeps_other_rows_and_a_rerun_or_check_mode_writes_nothing(domain):
    domain.sysvol.seed(domain.path(PATH), _csv(EXISTING))
    wanted = [("Logon", ["success", "failure"]), ("{0cce923f-69ae-11d9-bed3-505054503030}", ["none"])]
    planned, _warnings = _run(domain, wanted, check_mode=True)
    assert planned["changed"] and domain.sysvol.read(domain.path(PATH)) == _csv(EXISTING) and domain.directory.modified == []
    result, _warnings = _run(domain, wanted)
    assert domain.sysvol.read(domain.path(PATH)) == _csv(
        EXISTING[:2] + [",System,Audit Logon,{0cce9215-69ae-11d9-bed3-505054503030},Success and Failure,,3",
                        ",System,Audit Credential Validation,{0cce923f-69ae-11d9-bed3-505054503030},No Auditing,,4"] + EXISTING[3:])
    assert result["diff"]["before"] == "\n".join(EXISTING) + "\n" and "No Auditing,,4" in result["diff"]["after"]
    assert planned["subcategories"] == result["subcategories"]
    domain.sysvol.writes.clear()
    domain.directory.modified.clear()
    again, _warnings = _run(domain, wanted)
    assert again["changed"] is False and domain.sysvol.writes == [] and domain.directory.modified == []


def test_exact_removes_other_subcategory_rows_and_keeps_options(domain):
    domain.sysvol.seed(domain.path(PATH), _csv(EXISTING))
    _run(domain, [("Logon", ["failure"])], state="exact")
    assert domain.sysvol.read(domain.path(PATH)) == _csv([EXISTING[0], EXISTING[2], EXISTING[3]])


def test_absent_removes_the_row_and_is_no_change_without_a_file(domain):
    assert _run(domain, [("Logon", None)], state="absent")[0]["changed"] is False
    assert domain.sysvol.writes == [] and domain.directory.modified == []
    domain.sysvol.seed(domain.path(PATH), _csv(EXISTING))
    result, _warnings = _run(domain, [("logon", None)], state="absent")
    assert result["changed"] and domain.sysvol.read(domain.path(PATH)) == _csv(EXISTING[:2] + EXISTING[3:])
    assert domain.ad("gPCMachineExtensionNames") == OTHER_PAIR  # absent never needs the audit extension


def test_a_gpo_without_the_audit_extension_is_changed_even_when_the_file_is_right(domain):
    domain.sysvol.seed(domain.path(PATH), _csv([HEADER, CREDENTIAL_VALIDATION]))
    result, _warnings = _run(domain, [("Credential Validation", ["failure", "success"])])
    assert result["changed"] and domain.sysvol.writes == [domain.path("GPT.INI")]
    assert domain.directory.modified == [(DN, {"versionNumber": [("MODIFY_REPLACE", [65541])],
                                               "gPCMachineExtensionNames": [("MODIFY_REPLACE", [OTHER_PAIR + AUDIT_PAIR])]})]
    assert _run(domain, [("Credential Validation", ["failure", "success"])])[0]["changed"] is False


@pytest.mark.parametrize("subcategories, state, message", [
    ([("Logon", [])], "present", r"subcategories\[0\].audit must be"),
    ([("Logon", ["none", "success"])], "present", r"subcategories\[0\].audit must be"),
    ([("Logon", ["success"]), ("Audit Logon", ["failure"])], "present", r"subcategories\[1\] names 'Audit Logon'"),
    ([("Logon", ["success"])], "absent", "leave audit out"),
    ([("Audit Teleportation", ["success"])], "present", "Unknown audit subcategory 'Audit Teleportation'"),
])
def test_bad_input_fails_before_anything_is_read(domain, subcategories, state, message):
    with pytest.raises(GpoSettingsError, match=message):
        _run(domain, subcategories, state=state)
    assert domain.sysvol.writes == [] and domain.directory.modified == []
