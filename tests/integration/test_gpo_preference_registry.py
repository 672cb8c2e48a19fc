# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""gpo_preference_registry against the lab's Samba DC, on test_gpo_settings' GPO (made by the gpo module, holding another
extension pair). Judged independently: Registry.xml over our own SMB session, parsed with xml.etree (Samba has no reader of
GPP Registry.xml), the versions and gPCMachineExtensionNames over our own LDAP connection and samba-tool."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from test_gpo_settings import ADMIN_PAIR, NAME, _task, fixture_gpo  # noqa: F401  pylint: disable=unused-import

REGISTRY_XML = r"Machine\Preferences\Registry\Registry.xml"
PREFERENCES_PAIR = "[{B087BE9D-ED37-454F-AF9C-04291E351182}{BEE07A6A-EC9F-4659-B8C9-0B1937907C83}]"
CA_KEY = "System\\CurrentControlSet\\Services\\CertSvc\\Configuration\\%DomainName%-%ComputerName%-CA"
# The call the auditing role makes, option for option.
CA_AUDITING = {"gpo": NAME, "items": [{"key": CA_KEY, "name": "AuditFilter", "type": "REG_DWORD", "value": 127, "action": "update"}],
               "state": "present"}
# Another tool's item, already in the file: must be kept byte for byte.
KEPT = ('<Registry clsid="{9CD4B2F4-923D-47f5-A062-E897DD1DAD50}" name="EnableMDNS" status="EnableMDNS" image="12" '
        'changed="2020-01-01 00:00:00" uid="{11111111-5903-4167-BFE5-957A59C00DDA}"><Properties action="U" displayDecimal="1" '
        'default="0" hive="HKEY_LOCAL_MACHINE" key="SYSTEM\\CurrentControlSet\\Services\\Dnscache\\Parameters" name="EnableMDNS" '
        'type="REG_DWORD" value="00000000"/></Registry>')
START = ('<?xml version="1.0" encoding="utf-8"?>\r\n<RegistrySettings clsid="{A3CCFC41-DFDB-43a5-8D26-0FE8B954DA51}">'
         f"{KEPT}</RegistrySettings>").encode()


def _items(data: bytes) -> list[tuple[dict, dict]]:
    """(Registry attributes, Properties attributes) of each item, read with xml.etree."""
    root = ET.fromstring(data)
    assert root.tag == "RegistrySettings"
    return [(item.attrib, item.find("Properties").attrib) for item in root.iter("Registry")]


def test_ca_auditing_applied_rerun_check_mode_and_absent(playbook, gpo):
    gpo.write(REGISTRY_XML, START)
    planned = _task(playbook, "gpo_preference_registry", CA_AUDITING, "--check", "--diff")
    assert planned["changed"] and 'name="AuditFilter"' in planned["diff"]["after"] and planned["diff"]["before"] == ""
    assert gpo.file(REGISTRY_XML) == START and gpo.versions_agree() == 0 and gpo.ad()[1] == ADMIN_PAIR  # check mode wrote nothing

    out = _task(playbook, "gpo_preference_registry", CA_AUDITING)
    data = gpo.file(REGISTRY_XML)
    (kept, kept_props), (item, props) = _items(data)
    assert kept["uid"] == "{11111111-5903-4167-BFE5-957A59C00DDA}" and kept_props["name"] == "EnableMDNS" and KEPT.encode() in data
    assert (props["hive"], props["key"], props["name"], props["type"], props["value"], props["action"]) == (
        "HKEY_LOCAL_MACHINE", CA_KEY, "AuditFilter", "REG_DWORD", "0000007F", "U")
    assert item["clsid"] == "{9CD4B2F4-923D-47f5-A062-E897DD1DAD50}" and item.get("disabled") is None
    assert [(found["uid"], found["value"], found["action"]) for found in out["preference_items"]] == [(item["uid"], 127, "update")]
    assert {key: value for key, value in planned["preference_items"][0].items() if key not in ("uid", "changed")} == {
        key: value for key, value in out["preference_items"][0].items() if key not in ("uid", "changed")}  # check mode predicted it
    assert gpo.versions_agree() == 1 and gpo.ad()[1] == ADMIN_PAIR + PREFERENCES_PAIR

    again = _task(playbook, "gpo_preference_registry", CA_AUDITING)
    assert not again["changed"] and gpo.file(REGISTRY_XML) == data and gpo.versions_agree() == 1  # same uid and changed stamp

    gone = {"gpo": NAME, "items": [{"key": CA_KEY.upper(), "name": "auditfilter"}], "state": "absent"}
    out = _task(playbook, "gpo_preference_registry", gone)
    assert out["changed"] and out["preference_items"] == [] and gpo.file(REGISTRY_XML) == START
    assert gpo.versions_agree() == 2 and gpo.ad()[1] == ADMIN_PAIR + PREFERENCES_PAIR  # extension names only ever grow
