# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _gpo_edit/registry_policy.py (with _gpo_edit/task.py): Machine\\Registry.pol's values in a GPO."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_edit import registry_policy
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_edit.task import apply
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._gpo_edit.conftest import DN, GUID, OTHER_PAIR
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._gpo_settings.test_registry_pol import (
    HEADER, HIGH_PERFORMANCE, ODD, POWER, _record, _u16)

PATH = r"Machine\Registry.pol"
SECURITY_PAIR = "[{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]"
DEL_SCHEME = _record(POWER, "**del.ActivePowerScheme", 1, _u16(" \0"))  # an instruction under the key named: kept, reported
SCHEME = ("ActivePowerScheme", "REG_SZ", HIGH_PERFORMANCE)


def _scheme_record(scheme: str = HIGH_PERFORMANCE) -> bytes:
    return _record(POWER, "ActivePowerScheme", 1, _u16(scheme + "\0"))


def _run(domain, values, state="present", check_mode=False, key=POWER):
    items = [{"key": key, "name": name, "type": kind, "data": data} for name, kind, data in values]
    params = {"gpo": GUID, "state": state, "values": items}
    return apply(domain.directory, domain.sysvol, GUID, registry_policy.settings_of(params), check_mode)


@pytest.fixture(name="pol_domain")
def fixture_pol_domain(domain):
    """The GPO with the Security pair only: adding the admin-templates pair shows."""
    domain.directory.objects[DN]["gpcmachineextensionnames"] = [SECURITY_PAIR.encode()]
    return domain


def test_processor_performance_in_a_new_file_with_versions_and_extension(pol_domain):
    result, _warnings = _run(pol_domain, [SCHEME])
    assert pol_domain.sysvol.read(pol_domain.path(PATH)) == HEADER + _scheme_record()
    assert pol_domain.ad("gPCMachineExtensionNames") == OTHER_PAIR + SECURITY_PAIR  # sorted by CSE: 35378EAC before 827D319E
    assert pol_domain.ad("versionNumber") == "65541" and "Version=65541" in pol_domain.ini()
    assert result["policy_values"] == [{"key": POWER, "name": "ActivePowerScheme", "type": "REG_SZ", "data": HIGH_PERFORMANCE}]
    assert result["diff"]["before"] == "" and result["diff"]["after"] == f"{POWER}\\ActivePowerScheme = REG_SZ '{HIGH_PERFORMANCE}'\n"


def test_other_records_keep_their_bytes_and_a_rerun_writes_nothing(pol_domain):
    balanced = "381b4222-f694-41f0-9685-ff5bb260df2e"
    pol_domain.sysvol.seed(pol_domain.path(PATH), HEADER + DEL_SCHEME + _scheme_record(balanced) + ODD)
    result, _warnings = _run(pol_domain, [SCHEME, ("Level", "REG_QWORD", 2 ** 40), ("Blob", "REG_BINARY", "00 ff")])
    added = _record(POWER, "Level", 11, (2 ** 40).to_bytes(8, "little")) + _record(POWER, "Blob", 3, b"\x00\xff")
    assert pol_domain.sysvol.read(pol_domain.path(PATH)) == HEADER + DEL_SCHEME + _scheme_record() + ODD + added
    assert [(item["name"], item["data"]) for item in result["policy_values"]] == [
        ("**del.ActivePowerScheme", " "), ("ActivePowerScheme", HIGH_PERFORMANCE), ("Level", 2 ** 40), ("Blob", "00ff")]
    pol_domain.sysvol.writes.clear()
    pol_domain.directory.modified.clear()
    assert _run(pol_domain, [("activepowerscheme", "REG_SZ", HIGH_PERFORMANCE)], key=POWER.upper())[0]["changed"] is False
    assert pol_domain.sysvol.writes == [] and pol_domain.directory.modified == []


def test_check_mode_writes_nothing_and_absent_removes_only_the_named_value(pol_domain):
    pol_domain.sysvol.seed(pol_domain.path(PATH), HEADER + DEL_SCHEME + _scheme_record() + ODD)
    result, _warnings = _run(pol_domain, [("ActivePowerScheme", None, None)], state="absent", check_mode=True)
    assert result["changed"] is True and [item["name"] for item in result["policy_values"]] == ["**del.ActivePowerScheme"]
    assert pol_domain.sysvol.writes == [] and pol_domain.directory.modified == []
    assert _run(pol_domain, [("ACTIVEPOWERSCHEME", None, None)], state="absent")[0]["changed"]
    assert pol_domain.sysvol.read(pol_domain.path(PATH)) == HEADER + DEL_SCHEME + ODD
    assert pol_domain.ad("gPCMachineExtensionNames") == SECURITY_PAIR  # a removal adds no pair


def test_absent_from_a_gpo_without_the_file_changes_nothing(pol_domain):
    result, _warnings = _run(pol_domain, [("ActivePowerScheme", None, None)], state="absent")
    assert result["changed"] is False and result["policy_values"] == [] and pol_domain.sysvol.writes == []


@pytest.mark.parametrize("key, values, state, message", [
    ("HKLM\\" + POWER, [SCHEME], "present", r"values\[0\].key 'HKLM\\Software.*names the hive; write it without the hive, as 'Software"),
    ("HKEY_LOCAL_MACHINE:\\" + POWER, [SCHEME], "present", "write it without the hive"),
    ("HKCU\\Software\\X", [SCHEME], "present", "is not under HKEY_LOCAL_MACHINE"),
    (POWER + "\\", [SCHEME], "present", "no leading, trailing or doubled backslash"),
    (POWER, [("**del.ActivePowerScheme", "REG_SZ", " ")], "present", r"values\[0\].name must be .* does not start with \*\*"),
    (POWER, [("X", "REG_DWORD", "two")], "present", r"values\[0\].data must be an integer from 0 to 4294967295 for type REG_DWORD"),
    (POWER, [("X", "REG_DWORD", True)], "present", "for type REG_DWORD, not True"),
    (POWER, [("X", "REG_DWORD", "²")], "present", "for type REG_DWORD, not '²'"),
    (POWER, [("X", "REG_DWORD", 2 ** 32)], "present", "from 0 to 4294967295"),
    (POWER, [("X", "REG_QWORD", -1)], "present", "from 0 to 18446744073709551615"),
    (POWER, [("X", "REG_SZ", 7)], "present", "must be a string without NUL for type REG_SZ"),
    (POWER, [("X", "REG_SZ", "a\0b")], "present", "without NUL"),
    (POWER, [("X", "REG_MULTI_SZ", ["a", ""])], "present", "none empty"),
    (POWER, [("X", "REG_BINARY", "0g")], "present", "hexadecimal byte pairs"),
    (POWER, [("X", None, None)], "present", "needs type and data"),
    (POWER, [("X", "REG_SZ", "x")], "absent", "leave type and data out"),
    (POWER, [SCHEME, ("activepowerscheme", "REG_DWORD", 1)], "present", r"values\[1\] names .*which values\[0\] already names"),
])
def test_bad_input_fails_before_anything_is_written(pol_domain, key, values, state, message):
    with pytest.raises(GpoSettingsError, match=message):
        _run(pol_domain, values, state=state, key=key)
    assert pol_domain.sysvol.writes == [] and pol_domain.directory.modified == []


def test_every_type_encodes_as_the_format_says():
    assert registry_policy.encode_data(0, "REG_EXPAND_SZ", "%SystemRoot%") == _u16("%SystemRoot%\0")
    assert registry_policy.encode_data(0, "REG_DWORD", "7") == b"\x07\0\0\0"
    assert registry_policy.encode_data(0, "REG_QWORD", 1) == b"\x01" + b"\0" * 7
    assert registry_policy.encode_data(0, "REG_MULTI_SZ", ["a", "b"]) == _u16("a\0b\0\0")
    assert registry_policy.encode_data(0, "REG_BINARY", "") == b""
