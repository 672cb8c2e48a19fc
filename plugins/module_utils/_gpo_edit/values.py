# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the checks of registry values that the GPO settings modules share
(gpo_security_template, gpo_registry_policy, gpo_preference_registry): numbers of REG_DWORD/REG_QWORD, and keys
written with their hive."""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError

LIMITS = {"REG_DWORD": 2 ** 32 - 1, "REG_QWORD": 2 ** 64 - 1}
# Short names of hives, as reg.exe, PowerShell's drives and GptTmpl.inf's Registry Values write them.
_SHORT_HIVES = {"HKLM": "HKEY_LOCAL_MACHINE", "MACHINE": "HKEY_LOCAL_MACHINE", "HKCU": "HKEY_CURRENT_USER", "USER": "HKEY_CURRENT_USER",
                "HKU": "HKEY_USERS", "HKCR": "HKEY_CLASSES_ROOT", "HKCC": "HKEY_CURRENT_CONFIG"}


def number(option: str, kind: str, value) -> int:
    """``value`` as the integer a ``kind`` (REG_DWORD or REG_QWORD) holds; a string of ASCII digits counts (YAML and
    templates give strings), a boolean does not. Otherwise an error naming ``option`` and the range."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():  # not "²", which int() refuses
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= LIMITS[kind]:
        return value
    raise GpoSettingsError(f"{option} must be an integer from 0 to {LIMITS[kind]} for type {kind}, not {value!r}")


def hive_prefix(key: str) -> tuple[str, str] | None:
    """(the hive as written, its long name) when the key path starts with a hive (HKLM\\..., HKLM:\\...,
    HKEY_USERS\\..., MACHINE\\...), else None."""
    written = key.strip().strip("\\").partition("\\")[0]
    name = written.rstrip(":").upper()
    if name.startswith("HKEY_"):
        return written, name
    return (written, _SHORT_HIVES[name]) if name in _SHORT_HIVES else None
