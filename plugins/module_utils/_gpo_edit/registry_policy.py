# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the gpo_registry_policy module's work - Administrative Templates
values of a GPO's Machine\\Registry.pol (codec: _gpo_settings/registry_pol.py), edited through _gpo_edit/task.py.

Keys are HKEY_LOCAL_MACHINE ones written without the hive, as the file holds them (its folder says Machine); a key
given with a hive is refused with that fix rather than stripped, so that a user key cannot land in the machine file.
"""
from __future__ import annotations

import re

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_edit import task, values
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings import registry_pol
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.extension_names import ADMIN_TEMPLATES

TYPES = {name: number for number, name in registry_pol.TYPE_NAMES.items()}
_HEX = re.compile(r"(?:\s*[0-9A-Fa-f]{2})*\s*")  # what bytes.fromhex takes: byte pairs, spaces between them


def argument_spec() -> dict:
    # no_log False: a registry key, not a secret (validate-modules guesses one from the name)
    value = {"key": {"type": "str", "required": True, "no_log": False}, "name": {"type": "str", "required": True},
             "type": {"type": "str", "choices": list(TYPES)}, "data": {"type": "raw"}}
    return task.argument_spec({
        "values": {"type": "list", "elements": "dict", "options": value, "required": True},
        "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    })


CONSTRAINTS: dict = {}


def _key(index: int, key: str) -> str:
    key = key.strip()
    hive = values.hive_prefix(key)
    if hive and hive[1] == "HKEY_LOCAL_MACHINE":
        fixed = key.partition("\\")[2] or "Software\\Policies\\..."
        raise GpoSettingsError(f"values[{index}].key '{key}' names the hive; write it without the hive, as '{fixed}': every key is "
                               "under HKEY_LOCAL_MACHINE (Machine\\Registry.pol)")
    if hive:
        raise GpoSettingsError(f"values[{index}].key '{key}' is not under HKEY_LOCAL_MACHINE; this module writes Machine\\Registry.pol "
                               "only: give an HKEY_LOCAL_MACHINE key without the hive, such as Software\\Policies\\...")
    if not key or "\\\\" in key or key.startswith("\\") or key.endswith("\\") or "\x00" in key:
        raise GpoSettingsError(f"values[{index}].key must be a key path such as Software\\Policies\\Microsoft\\Power\\PowerSettings "
                               f"(no empty part, no leading, trailing or doubled backslash, no NUL), not '{key}'")
    return key


def _name(index: int, name: str) -> str:
    if not name or name.startswith("**") or "\x00" in name:
        raise GpoSettingsError(f"values[{index}].name must be a value name that is not empty, does not start with ** (those are "
                               f"deletion instructions) and has no NUL, not {name!r}")
    return name


def _strings(data) -> list[str] | None:
    """``data`` as strings a REG_*SZ can carry (no NUL); None when it is not."""
    items = data if isinstance(data, list) else [data]
    return items if all(isinstance(item, str) and "\x00" not in item for item in items) else None


def encode_data(index: int, kind: str, data) -> bytes:
    """The bytes Registry.pol holds for ``data`` of type ``kind``, or an error naming values[index].data and what it must be."""
    if kind in values.LIMITS:
        number = values.number(f"values[{index}].data", kind, data)
        return registry_pol.dword(number) if kind == "REG_DWORD" else registry_pol.qword(number)
    if kind == "REG_MULTI_SZ":
        if isinstance(data, list) and _strings(data) is not None and all(data):
            return registry_pol.multi_sz(data)
        expected = "a list of strings, none empty and none with NUL"
    elif kind == "REG_BINARY":
        if isinstance(data, str) and _HEX.fullmatch(data):
            return bytes.fromhex(data)
        expected = "a string of hexadecimal byte pairs, such as '01ff' or '01 ff'"
    else:
        if isinstance(data, str) and _strings(data) is not None:
            return registry_pol.sz(data)
        expected = "a string without NUL"
    raise GpoSettingsError(f"values[{index}].data must be {expected} for type {kind}, not {data!r}")


def wanted_values(params: dict) -> tuple[list[registry_pol.PolEntry], list[tuple[str, str]]]:
    """(entries to set, (key, name) pairs to remove) from the params; each key and name once, checked before any write."""
    present, absent, seen = [], [], {}
    for index, item in enumerate(params["values"]):
        key, name = _key(index, item["key"]), _name(index, item["name"])
        earlier = seen.setdefault((key.lower(), name.lower()), index)
        if earlier != index:
            raise GpoSettingsError(f"values[{index}] names {key}\\{name}, which values[{earlier}] already names; "
                                   "give each key and name once")
        if params["state"] == "absent":
            if item["type"] is not None or item["data"] is not None:
                raise GpoSettingsError(f"values[{index}]: state=absent removes the value; leave type and data out")
            absent.append((key, name))
        elif item["type"] is None or item["data"] is None:
            raise GpoSettingsError(f"values[{index}] needs type and data with state=present")
        else:
            present.append(registry_pol.PolEntry(key, name, TYPES[item["type"]], encode_data(index, item["type"], item["data"])))
    return present, absent


def entry_info(entry: registry_pol.PolEntry) -> dict:
    """An entry as the module returns it: data decoded, or in hex for REG_BINARY and anything that cannot be decoded."""
    value = entry.decoded()
    return {"key": entry.key, "name": entry.value, "type": registry_pol.TYPE_NAMES.get(entry.type, str(entry.type)),
            "data": entry.data.hex() if value is None else value}


class _Edit:
    """The merge the task runs and the report of its result: the file's entries under the keys named, after the task."""

    def __init__(self, present: list[registry_pol.PolEntry], absent: list[tuple[str, str]]):
        self.present, self.absent, self.after = present, absent, None
        self.keys = {entry.key.lower() for entry in present} | {key.lower() for key, _name in absent}

    def merge(self, data: bytes | None):
        change = registry_pol.merge(data, self.present, self.absent)
        self.after = change.after
        return change

    def report(self, _text: str) -> dict:
        entries = registry_pol.RegistryPol.decode(self.after).entries if self.after else []
        return {"policy_values": [entry_info(entry) for entry in entries if entry.key.lower() in self.keys]}


def settings_of(params: dict) -> task.FileSettings:
    present, absent = wanted_values(params)
    edit = _Edit(present, absent)
    return task.FileSettings(registry_pol.PATH, ADMIN_TEMPLATES if present else None, edit.merge, lambda text: text, bool(present),
                             edit.report)


def run(module) -> None:
    """Entry point for the action plugin; ends with exit_json or fail_json."""
    task.run(module, settings_of, "Registry.pol")
