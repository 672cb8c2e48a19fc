# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _gpo_settings/gpp_registry.py: Group Policy Preferences' Registry.xml, edited in place."""
from __future__ import annotations

from datetime import datetime

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings import gpp_registry as gr
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError

CA_KEY = "System\\CurrentControlSet\\Services\\CertSvc\\Configuration\\%DomainName%-%ComputerName%-CA"
AUDIT_FILTER = gr.PrefValue(CA_KEY, "AuditFilter", "REG_DWORD", gr.dword(127))
UID = "{0BEC7FF0-5903-4167-BFE5-957A59C00DDA}"


def clock():
    return datetime(2025, 6, 26, 13, 3, 46)


def uids():
    return UID


# Shaped like files GPMC wrote: one line after the declaration, a second item after a tab, a collection with filters.
OTHER = ('<Registry clsid="{9CD4B2F4-923D-47f5-A062-E897DD1DAD50}" name="EnableMDNS" status="EnableMDNS" image="12" '
         'changed="2025-06-26 13:03:46" uid="{11111111-5903-4167-BFE5-957A59C00DDA}"><Properties action="U" displayDecimal="1" '
         'default="0" hive="HKEY_LOCAL_MACHINE" key="SYSTEM\\CurrentControlSet\\Services\\Dnscache\\Parameters" name="EnableMDNS" '
         'type="REG_DWORD" value="00000000"/></Registry>')
COLLECTION = ('<Collection clsid="{53B533F5-224C-47e3-B01B-CA3B3F3FF4BF}" name="CA">'
              '<Registry clsid="{9CD4B2F4-923D-47f5-A062-E897DD1DAD50}" name="AuditFilter" status="AuditFilter" image="12" '
              'changed="2020-01-01 00:00:00" uid="{22222222-5903-4167-BFE5-957A59C00DDA}" '
              'desc="keep &amp; me" disabled="1"><Properties action="U" displayDecimal="1" default="0" hive="HKEY_LOCAL_MACHINE" '
              f'key="{CA_KEY.upper()}" name="auditfilter" type="REG_DWORD" value="0000001F"/><Filters><FilterGroup sid="S-1-5-32-544" '
              'not="0" bool="AND"/></Filters></Registry></Collection>')


def _file(*items: str) -> bytes:
    return (gr.DECLARATION + "\r\n" + f'<RegistrySettings clsid="{gr.ROOT_CLSID}">' + "\r\n\t".join(items) + "</RegistrySettings>").encode()


def test_new_file_for_ca_auditing():
    change = gr.merge(None, [AUDIT_FILTER], [], now=clock, new_uid=uids)
    assert change.after == _file(
        f'<Registry clsid="{gr.ITEM_CLSID}" name="AuditFilter" status="AuditFilter" image="12" changed="2025-06-26 13:03:46" uid="{UID}">'
        f'<Properties action="U" displayDecimal="0" default="0" hive="HKEY_LOCAL_MACHINE" key="{CA_KEY}" name="AuditFilter" '
        'type="REG_DWORD" value="0000007F"/></Registry>')
    assert change.before is None and change.changed


def test_same_item_is_untouched_changed_and_uid_stay():
    first = gr.merge(None, [AUDIT_FILTER], [], now=clock, new_uid=uids).after
    later = gr.merge(first, [gr.PrefValue(CA_KEY.lower(), "auditfilter", "REG_DWORD", "7f")], [],
                     now=lambda: datetime(2030, 1, 1), new_uid=lambda: "{FFFFFFFF-0000-0000-0000-000000000000}")
    assert not later.changed and later.after is first


def test_new_item_goes_at_the_end_and_the_rest_stays():
    data = _file(OTHER)
    change = gr.merge(data, [gr.PrefValue("Software\\Vendor", "Name", "REG_SZ", 'a "quoted" & <odd> value')], [], now=clock, new_uid=uids)
    head, tail = data.split(b"</RegistrySettings>")
    assert change.after.startswith(head) and change.after.endswith(b"</Registry></RegistrySettings>")
    assert b'value="a &quot;quoted&quot; &amp; &lt;odd&gt; value"' in change.after


def test_changed_item_is_edited_in_place_keeping_uid_filters_and_other_attributes():
    data = _file(OTHER, COLLECTION)
    change = gr.merge(data, [AUDIT_FILTER], [], now=clock, new_uid=uids)
    edited = COLLECTION.replace('changed="2020-01-01 00:00:00"', 'changed="2025-06-26 13:03:46"').replace(' disabled="1"', "")
    assert change.after == _file(OTHER, edited.replace('value="0000001F"', 'value="0000007F"'))
    assert b"{22222222-5903-4167-BFE5-957A59C00DDA}" in change.after and UID.encode() not in change.after


def test_absent_removes_every_matching_item_only():
    data = _file(OTHER, COLLECTION)
    change = gr.merge(data, [], [AUDIT_FILTER])
    assert change.after == _file(OTHER, COLLECTION.split("<Registry", maxsplit=1)[0] + "</Collection>")
    assert not gr.merge(_file(OTHER), [], [AUDIT_FILTER]).changed
    assert gr.merge(None, [], [AUDIT_FILTER]).after is None


def test_empty_root_element():
    data = (gr.DECLARATION + f'\r\n<RegistrySettings clsid="{gr.ROOT_CLSID}"/>').encode()
    change = gr.merge(data, [AUDIT_FILTER], [], now=clock, new_uid=uids)
    assert change.after == gr.merge(None, [AUDIT_FILTER], [], now=clock, new_uid=uids).after


def test_diff_texts_are_the_documents():
    change = gr.merge(_file(OTHER), [AUDIT_FILTER], [], now=clock, new_uid=uids)
    assert change.diff(gr.PATH)["before"] == _file(OTHER).decode().replace("\r\n", "\n")
    assert 'value="0000007F"' in change.diff(gr.PATH)["after"]


@pytest.mark.parametrize("data, match", [
    (b"<RegistrySettings><Registry>", "well-formed"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><RegistrySettings/>', "document type"),
    (b"<Groups/>", "root element"),
    (b"\xff\xfe<\x00", "not UTF-8|well-formed"),
])
def test_bad_files_are_refused(data, match):
    with pytest.raises(GpoSettingsError, match=match):
        gr.merge(data, [AUDIT_FILTER], [])


@pytest.mark.parametrize("present, absent", [
    ([gr.PrefValue(CA_KEY, "", "REG_SZ", "x")], []),
    ([gr.PrefValue(CA_KEY, "AuditFilter", "DWORD", "7F")], []),
    ([AUDIT_FILTER], [AUDIT_FILTER]),
    ([AUDIT_FILTER, gr.PrefValue(CA_KEY.upper(), "AUDITFILTER", "REG_DWORD", gr.dword(1))], []),
])
def test_asks_that_cannot_be_met_are_refused(present, absent):
    with pytest.raises(GpoSettingsError):
        gr.merge(None, present, absent)


@pytest.mark.parametrize("action, kind, image", [("C", "REG_SZ", "5"), ("R", "REG_DWORD", "11"), ("U", "REG_BINARY", "17"),
                                                 ("D", "REG_SZ", "8")])
def test_actions_are_written_with_their_image(action, kind, image):
    value = {"REG_SZ": "text", "REG_DWORD": gr.dword(7), "REG_BINARY": gr.binary(b"\x00\x0f\xff")}[kind]
    wanted = gr.PrefValue("Software\\Vendor", "Name", kind, "" if action == "D" else value, action=action)
    after = gr.merge(None, [wanted], [], now=clock, new_uid=uids).after
    assert f'image="{image}"'.encode() in after and f'<Properties action="{action}"'.encode() in after
    assert not gr.merge(after, [wanted], []).changed


def test_an_update_item_becomes_a_delete_item_in_place_whatever_its_type():
    data = gr.merge(None, [AUDIT_FILTER], [], now=clock, new_uid=uids).after
    change = gr.merge(data, [gr.PrefValue(CA_KEY, "AuditFilter", "REG_SZ", "", action="D")], [], now=clock)
    assert b'image="8"' in change.after and b'action="D"' in change.after and UID.encode() in change.after
    assert not gr.merge(change.after, [gr.PrefValue(CA_KEY, "AuditFilter", "REG_DWORD", "", action="D")], []).changed


def test_binary_and_qword_compare_by_their_bytes_and_number():
    data = gr.merge(None, [gr.PrefValue("K", "B", "REG_BINARY", "00 0F FF"), gr.PrefValue("K", "Q", "REG_QWORD", gr.qword(5))], [],
                    now=clock, new_uid=uids).after
    assert not gr.merge(data, [gr.PrefValue("K", "B", "REG_BINARY", gr.binary(b"\x00\x0f\xff")),
                               gr.PrefValue("K", "Q", "REG_QWORD", "5")], []).changed
    assert gr.merge(data, [gr.PrefValue("K", "B", "REG_BINARY", "00 0f")], []).changed


def test_unknown_action_is_refused():
    with pytest.raises(GpoSettingsError, match="needs the action C, R, U or D, not 'X'"):
        gr.merge(None, [gr.PrefValue("K", "N", "REG_SZ", "", action="X")], [])


def test_read_items_lists_every_item_with_its_text():
    data = _file(OTHER, COLLECTION)
    found = gr.read_items(data)
    assert [(registry["uid"], props["name"], text) for registry, props, text in found] == [
        ("{11111111-5903-4167-BFE5-957A59C00DDA}", "EnableMDNS", OTHER),
        ("{22222222-5903-4167-BFE5-957A59C00DDA}", "auditfilter", COLLECTION[COLLECTION.index("<Registry"):-len("</Collection>")])]
    assert gr.read_items(None) == [] and gr.read_items(b"") == []
