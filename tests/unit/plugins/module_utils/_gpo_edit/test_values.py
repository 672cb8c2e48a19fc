# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The registry value checks the three GPO settings modules share: numbers in range, keys written with a hive."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_edit import values
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError


@pytest.mark.parametrize("kind, given, number", [
    ("REG_DWORD", 0, 0), ("REG_DWORD", 2 ** 32 - 1, 2 ** 32 - 1), ("REG_DWORD", " 42 ", 42), ("REG_DWORD", "007", 7),
    ("REG_QWORD", 2 ** 64 - 1, 2 ** 64 - 1), ("REG_QWORD", str(2 ** 40), 2 ** 40),
])
def test_numbers_in_range_are_taken(kind, given, number):
    assert values.number("opt", kind, given) == number


@pytest.mark.parametrize("kind, given", [
    ("REG_DWORD", 2 ** 32), ("REG_DWORD", -1), ("REG_DWORD", "-1"), ("REG_DWORD", True), ("REG_DWORD", "two"), ("REG_DWORD", "²"),
    ("REG_DWORD", 1.0), ("REG_DWORD", None), ("REG_DWORD", ""), ("REG_QWORD", 2 ** 64), ("REG_QWORD", [1]),
])
def test_other_numbers_are_refused_naming_the_option_and_range(kind, given):
    with pytest.raises(GpoSettingsError) as error:
        values.number("items[3].value", kind, given)
    limit = 2 ** 32 - 1 if kind == "REG_DWORD" else 2 ** 64 - 1
    assert str(error.value) == f"items[3].value must be an integer from 0 to {limit} for type {kind}, not {given!r}"


@pytest.mark.parametrize("key, hive", [
    ("HKLM\\Software", ("HKLM", "HKEY_LOCAL_MACHINE")), ("hklm:\\Software", ("hklm:", "HKEY_LOCAL_MACHINE")),
    ("MACHINE\\System", ("MACHINE", "HKEY_LOCAL_MACHINE")), ("HKEY_LOCAL_MACHINE", ("HKEY_LOCAL_MACHINE", "HKEY_LOCAL_MACHINE")),
    ("\\HKCU\\Software", ("HKCU", "HKEY_CURRENT_USER")), ("USER\\X", ("USER", "HKEY_CURRENT_USER")), ("HKU\\S-1-5-18", ("HKU", "HKEY_USERS")),
    ("HKCR\\.txt", ("HKCR", "HKEY_CLASSES_ROOT")), ("HKCC\\System", ("HKCC", "HKEY_CURRENT_CONFIG")),
    ("HKEY_Users\\X", ("HKEY_Users", "HKEY_USERS")),
    ("Software\\Policies", None), ("System\\HKLM", None), ("HKLMX\\Software", None), ("", None),
])
def test_a_hive_at_the_start_of_a_key_is_found(key, hive):
    assert values.hive_prefix(key) == hive
