# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _gpo_settings/audit_csv.py and audit_subcategories.py: audit.csv rows merged by subcategory GUID."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings import audit_csv as ac
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings import audit_subcategories as subs
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError

# A GPO's audit.csv as the Group Policy editor writes it, with an option row and a global object access row after the subcategories.
LINES = [
    ac.HEADER,
    ",System,Audit Process Creation,{0cce922b-69ae-11d9-bed3-505054503030},Success,,1",
    ",System,Audit Credential Validation,{0CCE923F-69AE-11D9-BED3-505054503030},Failure,,2",
    ",System,Audit File System,{0cce921d-69ae-11d9-bed3-505054503030},No Auditing,,0",
    ",,Option:CrashOnAuditFail,,Disabled,,0",
    ',,FileGlobalSacl,,"S:(AU;SA;FA;;;WD)",,',
]


def _file(lines, eol="\r\n", bom=b"") -> bytes:
    return bom + "".join(line + eol for line in lines).encode("utf-8")


def test_new_file_is_what_gpmc_writes():
    change = ac.merge(None, [ac.AuditSetting(item.guid, ac.SUCCESS_AND_FAILURE) for item in subs.ENTRA_CONNECT], [])
    assert change.changed and change.before is None
    assert change.after == _file([ac.HEADER, ",System,Audit Logon,{0cce9215-69ae-11d9-bed3-505054503030},Success and Failure,,3"])
    assert not change.after.startswith(b"\xef\xbb\xbf")


def test_changed_row_keeps_its_machine_name_and_spelling():
    data = _file(LINES)
    change = ac.merge(data, [ac.AuditSetting("Credential Validation", ac.SUCCESS_AND_FAILURE)], [])
    assert change.after == data.replace(b"Failure,,2", b"Success and Failure,,3")


def test_new_row_goes_after_the_last_subcategory_row():
    data = _file(LINES)
    change = ac.merge(data, [ac.AuditSetting("{0CCE9221-69AE-11D9-BED3-505054503030}", ac.SUCCESS_AND_FAILURE)], [])
    new_row = ",System,Audit Certification Services,{0cce9221-69ae-11d9-bed3-505054503030},Success and Failure,,3"
    assert change.after == _file(LINES[:4] + [new_row] + LINES[4:])


def test_row_already_right_is_untouched_also_when_spelled_otherwise():
    lines = [ac.HEADER, "DC1,System,Credential Validation,{0CCE923F-69AE-11D9-BED3-505054503030},Success and failure,,3"]
    data = _file(lines, eol="\n", bom=b"\xef\xbb\xbf")
    change = ac.merge(data, [ac.AuditSetting("audit credential validation", ac.SUCCESS_AND_FAILURE)], [])
    assert not change.changed and change.after is data


def test_absent_removes_only_that_row():
    data = _file(LINES)
    change = ac.merge(data, [], ["{0cce923f-69ae-11d9-bed3-505054503030}"])
    assert change.after == _file(LINES[:2] + LINES[3:])
    assert not ac.merge(data, [], ["Logon"]).changed
    assert ac.merge(None, [], ["Logon"]).after is None  # nothing to write


def test_zero_is_not_no_auditing():
    """MS-GPAC 2.2.1.3.1: 0 leaves the subcategory unchanged, 4 sets it to none."""
    data = _file(LINES)
    change = ac.merge(data, [ac.AuditSetting("{0cce921d-69ae-11d9-bed3-505054503030}", ac.NO_AUDITING)], [])
    assert change.after == data.replace(b"No Auditing,,0", b"No Auditing,,4")


def test_mdi_domain_controller_rows():
    change = ac.merge(None, [ac.AuditSetting(item.guid, ac.SUCCESS_AND_FAILURE) for item in subs.DOMAIN_CONTROLLERS], [])
    audit = ac.AuditCsv.decode(change.after)
    assert audit.settings() == {item.guid: 3 for item in subs.DOMAIN_CONTROLLERS}
    assert len(subs.DOMAIN_CONTROLLERS) == 8 and change.after.count(b"\r\n") == 9


def test_diff_texts():
    change = ac.merge(_file(LINES), [ac.AuditSetting("Logon", ac.SUCCESS)], [])
    diff = change.diff(ac.PATH)
    assert diff["before"] == "\n".join(LINES) + "\n"
    assert diff["after"].endswith(",System,Audit Logon,{0cce9215-69ae-11d9-bed3-505054503030},Success,,1\n" + "\n".join(LINES[4:]) + "\n")


@pytest.mark.parametrize("text, guid", [
    ("Logon", "{0cce9215-69ae-11d9-bed3-505054503030}"),
    ("audit logon", "{0cce9215-69ae-11d9-bed3-505054503030}"),
    ("0CCE9215-69AE-11D9-BED3-505054503030", "{0cce9215-69ae-11d9-bed3-505054503030}"),
    ("{0CCE9210-69AE-11D9-BED3-505054503030}", "{0cce9210-69ae-11d9-bed3-505054503030}"),  # not in the table: by GUID alone
])
def test_lookup(text, guid):
    assert subs.lookup(text).guid == guid


def test_unknown_subcategory_and_bad_value():
    with pytest.raises(GpoSettingsError, match="Unknown audit subcategory"):
        ac.merge(None, [ac.AuditSetting("Logn", 3)], [])
    with pytest.raises(GpoSettingsError, match="must be 1"):
        ac.merge(None, [ac.AuditSetting("Logon", 0)], [])


@pytest.mark.parametrize("lines, match", [
    (["Subcategory,Subcategory GUID", ",System,Audit Logon,{0cce9215-69ae-11d9-bed3-505054503030},Success,,1"], "header"),
    ([ac.HEADER, ",System,Audit Logon,{0cce9215-69ae-11d9-bed3-505054503030},Success,,1",
      ",System,Logon,{0CCE9215-69AE-11D9-BED3-505054503030},Failure,,2"], "twice"),
])
def test_files_refused(lines, match):
    with pytest.raises(GpoSettingsError, match=match):
        ac.merge(_file(lines), [ac.AuditSetting("Logon", 3)], [])


def test_not_utf8_is_refused():
    with pytest.raises(GpoSettingsError, match="not UTF-8"):
        ac.merge(b"\x80\x81", [], [])
