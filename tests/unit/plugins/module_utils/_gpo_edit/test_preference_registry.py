# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _gpo_edit/preference_registry.py (with _gpo_edit/task.py): Group Policy Preferences registry items in a GPO."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_edit import preference_registry
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_edit.task import apply
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings import gpp_registry
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._gpo_edit.conftest import OTHER_PAIR

PREFERENCES_PAIR = "[{B087BE9D-ED37-454F-AF9C-04291E351182}{BEE07A6A-EC9F-4659-B8C9-0B1937907C83}]"
CA_KEY = "System\\CurrentControlSet\\Services\\CertSvc\\Configuration\\%DomainName%-%ComputerName%-CA"
AUDIT_FILTER = {"key": CA_KEY, "name": "AuditFilter", "type": "REG_DWORD", "value": 127, "action": "update"}
KEPT = ('<Registry clsid="{9CD4B2F4-923D-47f5-A062-E897DD1DAD50}" name="EnableMDNS" status="EnableMDNS" image="12" '
        'changed="2020-01-01 00:00:00" uid="{11111111-5903-4167-BFE5-957A59C00DDA}"><Properties action="U" displayDecimal="1" '
        'default="0" hive="HKEY_LOCAL_MACHINE" key="SYSTEM\\CurrentControlSet\\Services\\Dnscache\\Parameters" name="EnableMDNS" '
        'type="REG_DWORD" value="00000000"/></Registry>')


def _item(**given) -> dict:
    return {"hive": "HKEY_LOCAL_MACHINE", "type": None, "value": None, "action": None, **given}


def _run(domain, items, state="present", check_mode=False):
    params = {"gpo": "{11111111-2222-3333-4444-555555555555}", "state": state, "items": [_item(**item) for item in items]}
    return apply(domain.directory, domain.sysvol, params["gpo"], preference_registry.settings_of(params), check_mode)


def _properties(domain) -> list[dict]:
    """Each item's Properties, read with xml.etree (not the codec)."""
    root = ET.fromstring(domain.sysvol.read(domain.path(gpp_registry.PATH)))
    return [element.attrib for element in root.iter("Properties")]


def test_ca_auditing_in_a_new_file_with_the_extension_pair_and_a_rerun_changes_nothing(domain):
    result, _warnings = _run(domain, [AUDIT_FILTER])
    assert _properties(domain) == [{"action": "U", "displayDecimal": "0", "default": "0", "hive": "HKEY_LOCAL_MACHINE", "key": CA_KEY,
                                    "name": "AuditFilter", "type": "REG_DWORD", "value": "0000007F"}]
    assert domain.ad("gPCMachineExtensionNames") == OTHER_PAIR + PREFERENCES_PAIR
    assert domain.ad("versionNumber") == "65541" and "Version=65541" in domain.ini()
    assert [{k: v for k, v in item.items() if k not in ("uid", "changed")} for item in result["preference_items"]] == [
        {"hive": "HKEY_LOCAL_MACHINE", "key": CA_KEY, "name": "AuditFilter", "type": "REG_DWORD", "value": 127, "action": "update",
         "disabled": False}]
    assert result["diff"]["before"] == "" and result["diff"]["after"].count("\n") == 1 and 'value="0000007F"' in result["diff"]["after"]
    written = domain.sysvol.read(domain.path(gpp_registry.PATH))
    domain.sysvol.writes.clear()
    again, _warnings = _run(domain, [dict(AUDIT_FILTER, key=CA_KEY.lower(), value="127")])
    assert again["changed"] is False and domain.sysvol.writes == [] and again["preference_items"] == result["preference_items"]
    assert domain.sysvol.read(domain.path(gpp_registry.PATH)) == written


def test_other_items_are_kept_and_a_changed_item_keeps_its_uid(domain):
    domain.sysvol.seed(domain.path(gpp_registry.PATH), gpp_registry.DECLARATION.encode() + b"\r\n" +
                       f'<RegistrySettings clsid="{gpp_registry.ROOT_CLSID}">{KEPT}</RegistrySettings>'.encode())
    first, _warnings = _run(domain, [AUDIT_FILTER])
    uid = first["preference_items"][0]["uid"]
    result, _warnings = _run(domain, [dict(AUDIT_FILTER, value=31, action="replace")])
    assert result["changed"] and [item["uid"] for item in result["preference_items"]] == [uid]
    found = [(p["name"], p["action"], p["value"]) for p in _properties(domain)]
    assert found == [("EnableMDNS", "U", "00000000"), ("AuditFilter", "R", "0000001F")]
    assert KEPT.encode() in domain.sysvol.read(domain.path(gpp_registry.PATH))


def test_binary_qword_and_delete_items(domain):
    items = [{"key": "Software\\Vendor", "name": "Bytes", "type": "REG_BINARY", "value": "00:0F:ff"},
             {"key": "Software\\Vendor", "name": "Big", "type": "REG_QWORD", "value": 2 ** 40},
             {"key": "Software\\Vendor", "name": "Old", "action": "delete"}]
    result, _warnings = _run(domain, items)
    assert [(p["name"], p["action"], p["type"], p["value"]) for p in _properties(domain)] == [
        ("Bytes", "U", "REG_BINARY", "00 0f ff"), ("Big", "U", "REG_QWORD", "0000010000000000"), ("Old", "D", "REG_SZ", "")]
    assert [item["value"] for item in result["preference_items"]] == ["00 0f ff", 2 ** 40, ""]
    assert _run(domain, [dict(items[0], value="000fff")] + items[1:])[0]["changed"] is False


def test_check_mode_writes_nothing_and_absent_removes_only_the_named_item(domain):
    _run(domain, [AUDIT_FILTER, {"key": CA_KEY, "name": "Other", "type": "REG_SZ", "value": "x"}])
    domain.sysvol.writes.clear()
    domain.directory.modified.clear()
    assert _run(domain, [{"key": CA_KEY, "name": "auditfilter"}], state="absent", check_mode=True)[0]["changed"] is True
    assert domain.sysvol.writes == [] and domain.directory.modified == []
    result, _warnings = _run(domain, [{"key": CA_KEY, "name": "auditfilter"}], state="absent")
    assert result["changed"] and [p["name"] for p in _properties(domain)] == ["Other"]
    assert [item["name"] for item in result["preference_items"]] == ["Other"]  # the key's other items are reported too
    assert _run(domain, [{"key": CA_KEY, "name": "auditfilter"}], state="absent")[0]["changed"] is False


@pytest.mark.parametrize("items, state, message", [
    ([dict(AUDIT_FILTER, key="HKEY_LOCAL_MACHINE\\" + CA_KEY)], "present", r"items\[0\].key starts with the hive 'HKEY_LOCAL_MACHINE'"),
    ([dict(AUDIT_FILTER, key="HKLM\\Software")], "present", "starts with the hive 'HKLM'"),
    ([dict(AUDIT_FILTER, key="\\")], "present", r"items\[0\].key must name a registry key"),
    ([dict(AUDIT_FILTER, value=True)], "present", "must be an integer from 0 to 4294967295 for type REG_DWORD"),
    ([dict(AUDIT_FILTER, value=2 ** 32)], "present", "from 0 to 4294967295"),
    ([dict(AUDIT_FILTER, type="REG_QWORD", value=-1)], "present", "from 0 to 18446744073709551615"),
    ([dict(AUDIT_FILTER, type="REG_SZ")], "present", "must be a string for type REG_SZ"),
    ([dict(AUDIT_FILTER, type="REG_SZ", value="a\x01b")], "present", "control character"),
    ([dict(AUDIT_FILTER, type="REG_BINARY", value="0g")], "present", "must be hex bytes"),
    ([dict(AUDIT_FILTER, name="")], "present", r"items\[0\].name must name the value"),
    ([dict(AUDIT_FILTER, type=None)], "present", "needs type and value with action=update"),
    ([dict(AUDIT_FILTER, action="delete")], "present", "action=delete .* leave value out"),
    ([AUDIT_FILTER], "absent", "leave type, value and action out"),
    ([AUDIT_FILTER, dict(AUDIT_FILTER, key="\\" + CA_KEY.upper() + "\\", name="AUDITFILTER")], "present",
     r"items\[1\] names .* which items\[0\] already names"),
])
def test_bad_input_fails_before_anything_is_written(domain, items, state, message):
    with pytest.raises(GpoSettingsError, match=message):
        _run(domain, items, state=state)
    assert domain.sysvol.writes == [] and domain.directory.modified == []


def test_hives_are_the_computer_sides_only():
    hive = preference_registry.argument_spec()["items"]["options"]["hive"]
    assert hive["choices"] == ["HKEY_LOCAL_MACHINE", "HKEY_CLASSES_ROOT", "HKEY_USERS", "HKEY_CURRENT_CONFIG"]
