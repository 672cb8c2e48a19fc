# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the gpo_preference_registry module's work - Group Policy Preferences
registry items of a GPO's Machine\\Preferences\\Registry\\Registry.xml (codec: _gpo_settings/gpp_registry.py), edited
through _gpo_edit/task.py."""
from __future__ import annotations

import re

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_edit import task, values
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings import gpp_registry
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.extension_names import PREFERENCES_REGISTRY

# The computer side's hives; HKEY_CURRENT_USER belongs to User\Preferences, which this module does not edit.
HIVES = ["HKEY_LOCAL_MACHINE", "HKEY_CLASSES_ROOT", "HKEY_USERS", "HKEY_CURRENT_CONFIG"]
# REG_MULTI_SZ is left out: GPMC writes it with a <Values> list the codec does not write.
TYPES = ["REG_SZ", "REG_EXPAND_SZ", "REG_DWORD", "REG_QWORD", "REG_BINARY"]
ACTIONS = {"create": "C", "replace": "R", "update": "U", "delete": "D"}
ACTION_NAMES = {letter: name for name, letter in ACTIONS.items()}
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters XML 1.0 cannot carry, even escaped


def argument_spec() -> dict:
    item = {"hive": {"type": "str", "default": "HKEY_LOCAL_MACHINE", "choices": HIVES},
            "key": {"type": "str", "required": True, "no_log": False},  # a registry key, not a secret
            "name": {"type": "str", "required": True}, "type": {"type": "str", "choices": TYPES}, "value": {"type": "raw"},
            "action": {"type": "str", "choices": list(ACTIONS)}}
    return task.argument_spec({
        "items": {"type": "list", "elements": "dict", "options": item, "required": True},
        "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    })


CONSTRAINTS: dict = {}


def _text(index: int, option: str, value: str) -> str:
    if _NOT_IN_XML.search(value):
        raise GpoSettingsError(f"items[{index}].{option} has a control character Registry.xml cannot hold; remove it ({value!r})")
    return value


def _key(index: int, key: str) -> str:
    key = _text(index, "key", key.strip().strip("\\"))
    if not key:
        raise GpoSettingsError(f"items[{index}].key must name a registry key under the hive, such as System\\CurrentControlSet\\Services")
    hive = values.hive_prefix(key)
    if hive:
        raise GpoSettingsError(f"items[{index}].key starts with the hive {hive[0]!r}; give the hive in items[{index}].hive and "
                               "only the key below it in key")
    return key


def _number(index: int, kind: str, value) -> str:
    number = values.number(f"items[{index}].value", kind, value)
    return gpp_registry.dword(number) if kind == "REG_DWORD" else gpp_registry.qword(number)


def _binary(index: int, value) -> str:
    try:
        if isinstance(value, str):
            return gpp_registry.binary(bytes.fromhex(value.replace(":", " ")))
    except ValueError:
        pass
    raise GpoSettingsError(f"items[{index}].value must be hex bytes for type REG_BINARY, such as '00 0f ff' or '000fff', not {value!r}")


def _value(index: int, kind: str, value) -> str:
    """The option's value as Registry.xml writes it for ``kind``."""
    if kind in values.LIMITS:
        return _number(index, kind, value)
    if kind == "REG_BINARY":
        return _binary(index, value)
    if not isinstance(value, str):
        raise GpoSettingsError(f"items[{index}].value must be a string for type {kind}, not {value!r}; quote it")
    return _text(index, "value", value)


def _wanted(index: int, item: dict, state: str) -> gpp_registry.PrefValue:
    key, name = _key(index, item["key"]), _text(index, "name", item["name"])
    if not name:
        raise GpoSettingsError(f"items[{index}].name must name the value; the key's default value cannot be set here")
    if state == "absent":
        if any(item[option] is not None for option in ("type", "value", "action")):
            raise GpoSettingsError(f"items[{index}]: state=absent removes the item; leave type, value and action out")
        return gpp_registry.PrefValue(key, name, "REG_SZ", "", item["hive"])
    action = ACTIONS[item["action"] or "update"]
    if action == "D":
        if item["value"] is not None:
            raise GpoSettingsError(f"items[{index}]: action=delete removes the value on the computers; leave value out")
        return gpp_registry.PrefValue(key, name, item["type"] or "REG_SZ", "", item["hive"], action)
    if item["type"] is None or item["value"] is None:
        raise GpoSettingsError(f"items[{index}] needs type and value with action={item['action'] or 'update'}")
    return gpp_registry.PrefValue(key, name, item["type"], _value(index, item["type"], item["value"]), item["hive"], action)


def wanted_items(params: dict) -> list[gpp_registry.PrefValue]:
    """One PrefValue per item (state=absent: only hive, key and name count), each hive, key and name once."""
    wanted, seen = [], {}
    for index, item in enumerate(params["items"]):
        value = _wanted(index, item, params["state"])
        if value.identity() in seen:
            raise GpoSettingsError(f"items[{index}] names {value.hive}\\{value.key}\\{value.name}, which items[{seen[value.identity()]}] "
                                   "already names; give each hive, key and value name once")
        seen[value.identity()] = index
        wanted.append(value)
    return wanted


def _named_items(text: str, wanted: list[gpp_registry.PrefValue]) -> list[tuple[dict, dict, str]]:
    """The file's items under the keys of ``wanted`` (hive and key compared as the codec matches them), in file order."""
    keys = {value.identity()[:2] for value in wanted}
    return [(registry, props, xml) for registry, props, xml in gpp_registry.read_items(text.encode("utf-8"))
            if (props.get("hive", "").lower(), props.get("key", "").strip("\\").lower()) in keys]


def _reported_value(props: dict):
    """A number for a DWORD or QWORD item, the text as written otherwise (and for a number that does not parse)."""
    text = props.get("value", "")
    if props.get("type", "").upper() in values.LIMITS and props.get("action", "U").upper() != "D":
        try:
            return int(text, 16)
        except ValueError:
            return text
    return text


def _reported(registry: dict, props: dict) -> dict:
    action = props.get("action", "U").upper()
    return {"hive": props.get("hive", ""), "key": props.get("key", ""), "name": props.get("name", ""), "type": props.get("type", ""),
            "value": _reported_value(props), "action": ACTION_NAMES.get(action, action), "disabled": registry.get("disabled") == "1",
            "uid": registry.get("uid"), "changed": registry.get("changed")}


def settings_of(params: dict) -> task.FileSettings:
    wanted = wanted_items(params)
    present = params["state"] == "present"

    def merge(data: bytes | None):
        return gpp_registry.merge(data, wanted if present else [], [] if present else wanted)

    def shown(text: str) -> str:
        return "".join(xml + "\n" for _registry, _props, xml in _named_items(text, wanted))

    def report(text: str) -> dict:
        return {"preference_items": [_reported(registry, props) for registry, props, _xml in _named_items(text, wanted)]}

    return task.FileSettings(gpp_registry.PATH, PREFERENCES_REGISTRY if present else None, merge, shown, present, report)


def run(module) -> None:
    """Entry point for the action plugin; ends with exit_json or fail_json."""
    task.run(module, settings_of, "Registry.xml")
