# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _gpo_settings/registry_pol.py: the PReg format of MS-GPREG 2.2.1, built here byte by byte."""
from __future__ import annotations

import struct

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings import registry_pol as rp
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError

POWER = "Software\\Policies\\Microsoft\\Power\\PowerSettings"
HIGH_PERFORMANCE = "8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c"


def _u16(text: str) -> bytes:
    return text.encode("utf-16-le")


def _record(key: str, value: str, kind: int, data: bytes) -> bytes:
    """An entry written out from the ABNF, independently of the module under test."""
    return (_u16("[") + _u16(key) + b"\0\0" + _u16(";") + _u16(value) + b"\0\0" + _u16(";") + struct.pack("<I", kind) + _u16(";")
            + struct.pack("<I", len(data)) + _u16(";") + data + _u16("]"))


HEADER = b"PReg\x01\x00\x00\x00"
SCREEN_SAVER = _record("Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop", "ScreenSaveActive", 1, _u16("1\0"))
DELVALS = _record("Software\\Policies\\Microsoft\\Windows\\System", "**delvals.", 1, _u16(" \0"))
DEL_ONE = _record(POWER, "**del.ActivePowerScheme", 1, _u16(" \0"))
ODD = _record("Software\\Vendor", "Blob", 3, b"\x01\x02\x03")  # an odd data size and binary type


def _power(scheme: str = HIGH_PERFORMANCE) -> rp.PolEntry:
    return rp.PolEntry(POWER, "ActivePowerScheme", rp.REG_SZ, rp.sz(scheme))


def test_new_file_holds_the_processor_performance_entry():
    change = rp.merge(None, [_power()], [])
    assert change.after == HEADER + _record(POWER, "ActivePowerScheme", 1, _u16(HIGH_PERFORMANCE + "\0"))
    assert change.after_text == f"{POWER}\\ActivePowerScheme = REG_SZ '{HIGH_PERFORMANCE}'\n" and change.before_text == ""


def test_round_trip_keeps_every_byte_and_special_values():
    data = HEADER + SCREEN_SAVER + DELVALS + DEL_ONE + ODD
    pol = rp.RegistryPol.decode(data)
    assert pol.encode() == data
    assert [entry.value for entry in pol.entries] == ["ScreenSaveActive", "**delvals.", "**del.ActivePowerScheme", "Blob"]
    assert [entry.special for entry in pol.entries] == [False, True, True, False]


def test_merge_appends_and_keeps_others_in_their_order():
    data = HEADER + SCREEN_SAVER + DELVALS + DEL_ONE + ODD
    change = rp.merge(data, [_power()], [])
    assert change.after == data + _record(POWER, "ActivePowerScheme", 1, _u16(HIGH_PERFORMANCE + "\0"))


def test_changed_entry_keeps_its_place_and_same_one_is_untouched():
    data = HEADER + SCREEN_SAVER + _record(POWER, "activepowerscheme", 1, _u16("381b4222-f694-41f0-9685-ff5bb260df2e\0")) + ODD
    change = rp.merge(data, [_power()], [])
    assert change.after == HEADER + SCREEN_SAVER + _record(POWER, "ActivePowerScheme", 1, _u16(HIGH_PERFORMANCE + "\0")) + ODD
    again = rp.merge(change.after, [rp.PolEntry(POWER.upper(), "ACTIVEPOWERSCHEME", rp.REG_SZ, rp.sz(HIGH_PERFORMANCE))], [])
    assert not again.changed and again.after is change.after


def test_absent_removes_the_value_but_never_a_deletion_instruction():
    data = HEADER + DEL_ONE + _record(POWER, "ActivePowerScheme", 1, _u16(HIGH_PERFORMANCE + "\0")) + ODD
    change = rp.merge(data, [], [(POWER, "activepowerscheme")])
    assert change.after == HEADER + DEL_ONE + ODD
    assert not rp.merge(change.after, [], [(POWER, "ActivePowerScheme")]).changed
    assert rp.merge(None, [], [(POWER, "ActivePowerScheme")]).after is None


def test_data_helpers():
    assert rp.dword(127) == b"\x7f\0\0\0"
    assert rp.multi_sz(["a", "b"]) == _u16("a\0b\0\0")
    assert rp.PolEntry("K", "V", rp.REG_DWORD, rp.dword(127)).text() == "K\\V = REG_DWORD 127"
    assert rp.PolEntry("K", "V", rp.REG_MULTI_SZ, rp.multi_sz(["a", "b"])).text() == "K\\V = REG_MULTI_SZ ['a', 'b']"
    assert rp.qword(2 ** 40) == b"\0\0\0\0\0\x01\0\0"
    assert rp.PolEntry("K", "V", rp.REG_QWORD, rp.qword(2 ** 40)).text() == "K\\V = REG_QWORD 1099511627776"
    assert rp.PolEntry("K", "V", rp.REG_QWORD, b"\x01").text() == "K\\V = REG_QWORD 01"  # a size the type cannot have: hex
    assert rp.PolEntry("K", "V", rp.REG_BINARY, b"\x00\xff").decoded() is None


@pytest.mark.parametrize("data, match", [
    (b"PRef\x01\x00\x00\x00", "signature"),
    (b"PReg\x02\x00\x00\x00", "version 2"),
    (HEADER + SCREEN_SAVER[:-2], "cut short|malformed|past the end"),
    (HEADER + SCREEN_SAVER[:20], "cut short"),
    (HEADER + SCREEN_SAVER + b"\x00", "malformed"),
    (HEADER + _record("K", "V", 1, b"x" * 4)[:-6] + struct.pack("<I", 1000) + _u16(";") + b"x" * 4 + _u16("]"), "past the end|malformed"),
])
def test_malformed_files_are_refused(data, match):
    with pytest.raises(GpoSettingsError, match=match):
        rp.merge(data, [_power()], [])


@pytest.mark.parametrize("present, absent", [
    ([rp.PolEntry(POWER, "**del.ActivePowerScheme", rp.REG_SZ, rp.sz(" "))], []),
    ([], [(POWER, "**del.ActivePowerScheme")]),
    ([rp.PolEntry("", "Name", rp.REG_SZ, rp.sz(" "))], []),
])
def test_special_values_cannot_be_set_or_removed(present, absent):
    with pytest.raises(GpoSettingsError, match="ordinary value"):
        rp.merge(HEADER + DEL_ONE, present, absent)
