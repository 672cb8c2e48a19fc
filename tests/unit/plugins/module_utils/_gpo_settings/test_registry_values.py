# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _gpo_settings/registry_values.py: GptTmpl.inf's [Registry Values], as secedit writes them."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings import registry_values as rv
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.errors import GpoError
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.gpttmpl import Template

HEADER = ["[Unicode]", "Unicode=yes", "[Version]", 'signature="$CHICAGO$"', "Revision=1"]
REMOTE_SAM = "MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\RestrictRemoteSAM"
DSA_SID = "S-1-5-21-1004336348-1177238915-682003330-1601"
SDDL = f"O:BAG:BAD:(A;;RC;;;BA)(A;;RC;;;{DSA_SID})"
NTLM = [
    rv.RegistryValue("MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\MSV1_0\\AuditReceivingNTLMTraffic", rv.REG_DWORD, 2),
    rv.RegistryValue("MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\MSV1_0\\RestrictSendingNTLMTraffic", rv.REG_DWORD, 1),
    rv.RegistryValue("MACHINE\\System\\CurrentControlSet\\Services\\Netlogon\\Parameters\\AuditNTLMInDomain", rv.REG_DWORD, 7),
]


def _file(lines) -> bytes:
    return b"\xff\xfe" + "".join(line + "\r\n" for line in lines).encode("utf-16-le")


def test_ntlm_auditing_new_file_matches_the_ms_module_bytes():
    change = rv.merge(None, NTLM, [])
    assert change.after == _file(HEADER + ["[Registry Values]",
                                           "MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\MSV1_0\\AuditReceivingNTLMTraffic=4,2",
                                           "MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\MSV1_0\\RestrictSendingNTLMTraffic=4,1",
                                           "MACHINE\\System\\CurrentControlSet\\Services\\Netlogon\\Parameters\\AuditNTLMInDomain=4,7"])
    assert rv.merge(change.after, NTLM, []).after is change.after  # the second run changes nothing


def test_ms_module_fault_restrict_remote_sam_written_with_double_equals():
    """DefenderForIdentity 1.0.0.4 writes RestrictRemoteSAM=1=O:BAG:...; here it is REG_SZ, quoted, after "1,"."""
    wanted = rv.RegistryValue(REMOTE_SAM, rv.REG_SZ, SDDL)
    assert wanted.format() == f'1,"{SDDL}"'
    malformed = _file(HEADER + ["[Registry Values]", f"{REMOTE_SAM}=1={SDDL}"])
    assert rv.read(Template.decode(malformed))[REMOTE_SAM.lower()] is None  # not taken for the value asked for
    change = rv.merge(malformed, [wanted], [])
    assert change.changed and change.after == _file(HEADER + ["[Registry Values]", f'{REMOTE_SAM}=1,"{SDDL}"'])
    assert not rv.merge(change.after, [wanted], []).changed


def test_other_lines_and_sections_are_kept():
    lines = HEADER[:2] + ["[Privilege Rights]", "SeServiceLogonRight = *S-1-5-80-0", "[Registry Values]",
                          "MACHINE\\System\\CurrentControlSet\\Services\\NTDS\\Parameters\\LDAPServerIntegrity=4,1",
                          "MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\MSV1_0\\AuditReceivingNTLMTraffic=4,0"] + HEADER[2:]
    change = rv.merge(_file(lines), NTLM[:1], [])
    assert change.after == _file(lines).replace("AuditReceivingNTLMTraffic=4,0".encode("utf-16-le"),
                                                "AuditReceivingNTLMTraffic=4,2".encode("utf-16-le"))


def test_absent_removes_the_line():
    data = _file(HEADER + ["[Registry Values]", f'{REMOTE_SAM}=1,"{SDDL}"', "MACHINE\\X\\Y=4,1"])
    assert rv.merge(data, [], [REMOTE_SAM.upper()]).after == _file(HEADER + ["[Registry Values]", "MACHINE\\X\\Y=4,1"])
    assert rv.merge(None, [], [REMOTE_SAM]).after is None


@pytest.mark.parametrize("text, value", [
    ('1,"O:BAG:BAD:(A;;RC;;;BA)"', rv.RegistryValue("P", 1, "O:BAG:BAD:(A;;RC;;;BA)")),
    ("1,unquoted", rv.RegistryValue("P", 1, "unquoted")),
    ('1,""', rv.RegistryValue("P", 1, "")),
    ("4,7", rv.RegistryValue("P", 4, 7)),
    ("7,", rv.RegistryValue("P", 7, ())),
    ('7,Line one,Line two","with a comma', rv.RegistryValue("P", 7, ("Line one", "Line two,with a comma"))),
    ("3,00ff", rv.RegistryValue("P", 3, "00ff")),
    ("1=O:BAG:BAD:(A;;RC;;;BA)", None),
    ("4,x", None),
])
def test_parse(text, value):
    assert rv.parse("P", text) == value


@pytest.mark.parametrize("value", [
    rv.RegistryValue("P", 1, "x"), rv.RegistryValue("P", 2, "%SystemRoot%\\x"), rv.RegistryValue("P", 4, 4294967295),
    rv.RegistryValue("P", 7, ("a,b", "c")), rv.RegistryValue("P", 7, ()),
])
def test_format_then_parse_is_the_same_value(value):
    assert rv.parse(value.path, value.format()) == value


@pytest.mark.parametrize("value", [rv.RegistryValue("P", 1, 'say "hi"'), rv.RegistryValue("P", 7, ("a\r\nb",)),
                                   rv.RegistryValue("P", 7, (",a",)), rv.RegistryValue("P", 7, ("a ",)), rv.RegistryValue("P", 7, ("",)),
                                   rv.RegistryValue("P", 4, -1), rv.RegistryValue("P", 4, "1")])
def test_values_that_cannot_be_written_are_refused(value):
    with pytest.raises(GpoSettingsError, match="P"):
        rv.merge(None, [value], [])


def test_template_class_sets_the_error_type():
    data = _file(HEADER + ["[Registry Values]", "MACHINE\\X\\Y=4,1", "MACHINE\\x\\y=4,2"])
    with pytest.raises(GpoError, match="twice"):
        rv.merge(data, [rv.RegistryValue("MACHINE\\X\\Y", 4, 1)], [], template_class=Template)
