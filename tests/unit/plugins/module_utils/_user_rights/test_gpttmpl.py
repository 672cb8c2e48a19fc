# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _user_rights/gpttmpl.py: reading rights, and edits that keep every other byte."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.errors import GpoError
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.gpttmpl import Template

# The shape of a Windows Server Default Domain Controllers Policy template (abridged), as secedit writes it.
DDCP_LINES = [
    "[Unicode]", "Unicode=yes",
    "[Registry Values]",
    "MACHINE\\System\\CurrentControlSet\\Services\\NTDS\\Parameters\\LDAPServerIntegrity=4,1",
    "MACHINE\\System\\CurrentControlSet\\Services\\Netlogon\\Parameters\\RequireSignOrSeal=4,1",
    "[Privilege Rights]",
    "SeAssignPrimaryTokenPrivilege = *S-1-5-20,*S-1-5-19",
    "SeBackupPrivilege = *S-1-5-32-549,*S-1-5-32-551,*S-1-5-32-544",
    "SeBatchLogonRight = *S-1-5-32-559,*S-1-5-32-551,*S-1-5-32-544",
    "SeServiceLogonRight = *S-1-5-80-0,CORP\\svcSql",
    "SeDenyServiceLogonRight = ",
    "SeUndockPrivilege = *S-1-5-32-544",
    "[Version]", 'signature="$CHICAGO$"', "Revision=1",
]
SID = "*S-1-5-21-1004336348-1177238915-682003330-1105"


def _file(lines, eol="\r\n", bom=b"\xff\xfe", encoding="utf-16-le", final_eol=True) -> bytes:
    return bom + (eol.join(lines) + (eol if final_eol else "")).encode(encoding)


def _changed_lines(before: bytes, after: bytes, encoding="utf-16-le") -> tuple[list[str], list[str]]:
    old, new = before[2:].decode(encoding).splitlines(keepends=True), after[2:].decode(encoding).splitlines(keepends=True)
    return [line for line in old if line not in new], [line for line in new if line not in old]


def test_round_trip_is_byte_identical():
    data = _file(DDCP_LINES)
    assert Template.decode(data).encode() == data


def test_entries():
    template = Template.decode(_file(DDCP_LINES))
    assert template.entries("SeServiceLogonRight") == ["*S-1-5-80-0", "CORP\\svcSql"]
    assert template.entries("seservicelogonright") == ["*S-1-5-80-0", "CORP\\svcSql"]
    assert template.entries("SeDenyServiceLogonRight") == []  # defined as nobody
    assert template.entries("SeInteractiveLogonRight") is None  # not defined
    assert Template.decode(_file(["[Registry Values]", "SeServiceLogonRight = *S-1-5-18"])).entries("SeServiceLogonRight") is None


def test_edit_changes_one_line_only():
    data = _file(DDCP_LINES)
    template = Template.decode(data)
    template.set_entries("SeServiceLogonRight", ["*S-1-5-80-0", "CORP\\svcSql", SID])
    after = template.encode()
    assert after.startswith(b"\xff\xfe")
    assert _changed_lines(data, after) == (["SeServiceLogonRight = *S-1-5-80-0,CORP\\svcSql\r\n"],
                                           [f"SeServiceLogonRight = *S-1-5-80-0,CORP\\svcSql,{SID}\r\n"])
    assert after.replace(f",{SID}".encode("utf-16-le"), b"") == data


def test_new_right_goes_at_the_end_of_its_section():
    data = _file(DDCP_LINES)
    template = Template.decode(data)
    template.set_entries("SeInteractiveLogonRight", ["*S-1-5-32-544"])
    lines = template.text.split("\r\n")
    assert lines[lines.index("SeUndockPrivilege = *S-1-5-32-544") + 1] == "SeInteractiveLogonRight = *S-1-5-32-544"
    assert _changed_lines(data, template.encode()) == ([], ["SeInteractiveLogonRight = *S-1-5-32-544\r\n"])


def test_new_section_is_appended():
    lines = [line for line in DDCP_LINES if not line.startswith(("[Privilege", "Se"))]
    data = _file(lines, final_eol=False)
    template = Template.decode(data)
    template.set_entries("SeServiceLogonRight", [SID])
    assert template.text.endswith(f"Revision=1\r\n[Privilege Rights]\r\nSeServiceLogonRight = {SID}\r\n")
    assert template.encode().startswith(data)  # everything before stays, byte for byte


def test_set_to_nobody():
    template = Template.decode(_file(DDCP_LINES))
    template.set_entries("SeServiceLogonRight", [])
    assert "SeServiceLogonRight = \r\n" in template.text and template.entries("SeServiceLogonRight") == []


def test_new_template_is_what_secedit_writes():
    template = Template.new()
    template.set_entries("SeServiceLogonRight", ["*S-1-5-80-0", SID])
    assert template.encode() == _file(["[Unicode]", "Unicode=yes", "[Version]", 'signature="$CHICAGO$"', "Revision=1",
                                       "[Privilege Rights]", f"SeServiceLogonRight = *S-1-5-80-0,{SID}"])


@pytest.mark.parametrize("bom, encoding, eol", [(b"\xef\xbb\xbf", "utf-8", "\r\n"), (b"", "utf-8", "\n")])
def test_other_encodings_and_line_ends_are_kept(bom, encoding, eol):
    data = _file(DDCP_LINES, eol=eol, bom=bom, encoding=encoding)
    template = Template.decode(data)
    template.set_entries("SeInteractiveLogonRight", ["*S-1-5-32-544"])
    assert template.encode().startswith(bom) and f"SeInteractiveLogonRight = *S-1-5-32-544{eol}" in template.text
    assert template.encode().replace(f"SeInteractiveLogonRight = *S-1-5-32-544{eol}".encode(encoding), b"") == data


def test_twice_defined_is_refused():
    with pytest.raises(GpoError, match="twice"):
        Template.decode(_file(DDCP_LINES + ["[Privilege Rights]", "SeServiceLogonRight = *S-1-5-18"])).entries("SeServiceLogonRight")


@pytest.mark.parametrize("data", [b"\xff\xfe\x00\xd8", b"\x80\x81 not utf-8"])
def test_undecodable(data):
    with pytest.raises(GpoError):
        Template.decode(data)
