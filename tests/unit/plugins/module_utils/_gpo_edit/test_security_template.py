# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _gpo_edit/security_template.py (with _gpo_edit/task.py): GptTmpl.inf's [Registry Values] in a GPO."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_edit import security_template
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_edit.task import apply
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.gpttmpl import PATH
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._gpo_edit.conftest import OTHER_PAIR

SECURITY_PAIR = "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]"
HEADER = ["[Unicode]", "Unicode=yes", "[Version]", 'signature="$CHICAGO$"', "Revision=1"]
REMOTE_SAM = "MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\RestrictRemoteSAM"
NTLM_IN = "MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\MSV1_0\\AuditReceivingNTLMTraffic"
SDDL = "O:BAG:BAD:(A;;RC;;;BA)(A;;RC;;;S-1-5-21-1004336348-1177238915-682003330-1601)"
EXISTING = ["[Unicode]", "Unicode=yes", "[System Access]", "MinimumPasswordLength = 7", "[Privilege Rights]",
            "SeServiceLogonRight = *S-1-5-80-0", "[Registry Values]", "MACHINE\\Software\\Test\\Kept=4,1", "", "[Version]",
            'signature="$CHICAGO$"', "Revision=1"]


def _inf(lines) -> bytes:
    return b"\xff\xfe" + "".join(line + "\r\n" for line in lines).encode("utf-16-le")


def _run(domain, values, state="present", check_mode=False):
    params = {"gpo": "{11111111-2222-3333-4444-555555555555}", "state": state,
              "registry_values": [{"path": path, "type": kind, "value": value} for path, kind, value in values]}
    return apply(domain.directory, domain.sysvol, params["gpo"], security_template.settings_of(params), check_mode)


def test_remote_sam_is_a_quoted_reg_sz_in_a_new_utf16_template(domain):
    """Regression for Microsoft's module, which writes RestrictRemoteSAM=1=O:BAG:... (no type, no quotes)."""
    result, _warnings = _run(domain, [(REMOTE_SAM, "REG_SZ", SDDL)])
    assert domain.sysvol.read(domain.path(PATH)) == _inf(HEADER + ["[Registry Values]", f'{REMOTE_SAM}=1,"{SDDL}"'])
    assert domain.ad("gPCMachineExtensionNames") == OTHER_PAIR + SECURITY_PAIR
    assert domain.ad("versionNumber") == "65541" and "Version=65541" in domain.ini()
    assert result["registry_values"] == [{"path": REMOTE_SAM, "type": "REG_SZ", "value": SDDL, "text": f'1,"{SDDL}"'}]
    assert result["diff"]["before"] == "" and result["diff"]["after"] == f'[Registry Values]\n{REMOTE_SAM}=1,"{SDDL}"\n'


def test_the_microsoft_module_line_is_rewritten_and_every_other_section_kept(domain):
    broken = EXISTING[:8] + [f"{REMOTE_SAM}=1={SDDL}"] + EXISTING[8:]
    domain.sysvol.seed(domain.path(PATH), _inf(broken))
    result, _warnings = _run(domain, [(REMOTE_SAM, "REG_SZ", SDDL), (NTLM_IN, "REG_DWORD", "2")])
    assert domain.sysvol.read(domain.path(PATH)) == _inf(EXISTING[:8] + [f'{REMOTE_SAM}=1,"{SDDL}"', f"{NTLM_IN}=4,2"] + EXISTING[8:])
    assert result["diff"]["before"] == f"[Registry Values]\nMACHINE\\Software\\Test\\Kept=4,1\n{REMOTE_SAM}=1={SDDL}\n\n"
    domain.sysvol.writes.clear()
    assert _run(domain, [(REMOTE_SAM, "REG_SZ", SDDL), (NTLM_IN, "REG_DWORD", 2)])[0]["changed"] is False
    assert domain.sysvol.writes == []


def test_check_mode_writes_nothing_and_absent_removes_only_the_named_line(domain):
    domain.sysvol.seed(domain.path(PATH), _inf(EXISTING))
    assert _run(domain, [(NTLM_IN, "REG_DWORD", 2)], check_mode=True)[0]["changed"] is True
    assert domain.sysvol.writes == [] and domain.directory.modified == []
    result, _warnings = _run(domain, [("machine\\software\\test\\KEPT", None, None)], state="absent")
    assert result["changed"] and domain.sysvol.read(domain.path(PATH)) == _inf(EXISTING[:7] + EXISTING[8:])
    assert domain.ad("gPCMachineExtensionNames") == OTHER_PAIR


@pytest.mark.parametrize("values, state, message", [
    ([("System\\Lsa\\X", "REG_DWORD", 1)], "present", r"registry_values\[0\].path must be MACHINE"),
    ([(NTLM_IN, "REG_DWORD", True)], "present", "must be an integer from 0 to 4294967295 for type REG_DWORD"),
    ([(NTLM_IN, "REG_DWORD", 2 ** 32)], "present", "from 0 to 4294967295"),
    ([(REMOTE_SAM, "REG_SZ", 'a"b')], "present", "without double quotes"),
    ([(REMOTE_SAM, "REG_MULTI_SZ", "a")], "present", "must be a list of strings"),
    ([(REMOTE_SAM, None, None)], "present", "needs type and value"),
    ([(REMOTE_SAM, "REG_SZ", "x")], "absent", "leave type and value out"),
    ([(REMOTE_SAM, "REG_SZ", "x"), (REMOTE_SAM.upper(), "REG_SZ", "y")], "present", "already named by an earlier entry"),
])
def test_bad_input_fails_before_anything_is_written(domain, values, state, message):
    with pytest.raises(GpoSettingsError, match=message):
        _run(domain, values, state=state)
    assert domain.sysvol.writes == [] and domain.directory.modified == []


def test_an_edit_opens_each_file_once_to_read_and_write_it(domain):
    domain.sysvol.seed(domain.path(PATH), _inf(EXISTING))
    domain.sysvol.opens.clear()
    _run(domain, [(REMOTE_SAM, "REG_SZ", SDDL)])
    assert sorted(domain.sysvol.opens) == sorted([domain.path("GPT.INI"), domain.path(PATH)])  # the real share: one handle each
    assert domain.sysvol.writes[-2:] == [domain.path("GPT.INI"), domain.path(PATH)]  # the order that keeps the GPO consistent
