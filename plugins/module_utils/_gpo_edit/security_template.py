# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the gpo_security_template module's work - ``[Registry Values]``
lines of a GPO's GptTmpl.inf (codec: _gpo_settings/registry_values.py), edited through _gpo_edit/task.py."""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_edit import task, values
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings import registry_values
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.extension_names import SECURITY
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.inf import InfFile
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.text import body
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.gpttmpl import PATH

TYPES = {"REG_SZ": registry_values.REG_SZ, "REG_EXPAND_SZ": registry_values.REG_EXPAND_SZ, "REG_DWORD": registry_values.REG_DWORD,
         "REG_MULTI_SZ": registry_values.REG_MULTI_SZ}
TYPE_NAMES = {number: name for name, number in TYPES.items()}


def argument_spec() -> dict:
    value = {"path": {"type": "str", "required": True}, "type": {"type": "str", "choices": list(TYPES)}, "value": {"type": "raw"}}
    return task.argument_spec({
        "registry_values": {"type": "list", "elements": "dict", "options": value, "required": True},
        "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    })


CONSTRAINTS: dict = {}


def _path(index: int, path: str) -> str:
    parts = path.strip().split("\\")
    if len(parts) < 3 or parts[0].upper() != "MACHINE" or not all(parts) or "=" in path:
        raise GpoSettingsError(f"registry_values[{index}].path must be MACHINE\\<key>\\<value name> without '=', such as "
                               f"MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\RestrictRemoteSAM, not {path!r}")
    return path.strip()


def _data(index: int, kind: int, value):
    """The option's value as the codec takes it for ``kind``."""
    if kind == registry_values.REG_DWORD:
        return values.number(f"registry_values[{index}].value", "REG_DWORD", value)
    if kind == registry_values.REG_MULTI_SZ:
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return tuple(value)
    elif isinstance(value, str):
        return value
    expected = "a list of strings" if kind == registry_values.REG_MULTI_SZ else "a string"
    raise GpoSettingsError(f"registry_values[{index}].value must be {expected} for type {TYPE_NAMES[kind]}, not {value!r}")


def wanted_values(params: dict) -> list[registry_values.RegistryValue | str]:
    """RegistryValue entries for state=present, paths for state=absent; each path once."""
    wanted, seen = [], set()
    for index, item in enumerate(params["registry_values"]):
        path = _path(index, item["path"])
        if path.lower() in seen:
            raise GpoSettingsError(f"registry_values[{index}].path {path!r} is already named by an earlier entry; give each path once")
        seen.add(path.lower())
        if params["state"] == "absent":
            if item["type"] is not None or item["value"] is not None:
                raise GpoSettingsError(f"registry_values[{index}]: state=absent removes the line; leave type and value out")
            wanted.append(path)
            continue
        if item["type"] is None or item["value"] is None:
            raise GpoSettingsError(f"registry_values[{index}] needs type and value with state=present")
        value = registry_values.RegistryValue(path, TYPES[item["type"]], _data(index, TYPES[item["type"]], item["value"]))
        value.format()  # fails here on data no line can carry
        wanted.append(value)
    return wanted


def section_lines(text: str) -> str:
    """The ``[Registry Values]`` section of the template's text, header included (the lines the diff shows)."""
    shown, inside = [], False
    for line in text.splitlines(keepends=True):
        stripped = body(line).strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            inside = stripped[1:-1].strip().lower() == registry_values.SECTION.lower()
        if inside:
            shown.append(line)
    return "".join(shown)


def report(text: str) -> dict:
    """The section's lines after the task; a line no type can be read from has type and value null and its text."""
    found = []
    for key, raw in InfFile(text, b"", "utf-16-le").items(registry_values.SECTION):
        value = registry_values.parse(key, raw)
        data = None if value is None else list(value.data) if isinstance(value.data, tuple) else value.data
        found.append({"path": key, "type": TYPE_NAMES.get(value.type, str(value.type)) if value else None, "value": data, "text": raw})
    return {"registry_values": found}


def settings_of(params: dict) -> task.FileSettings:
    wanted = wanted_values(params)
    present = [item for item in wanted if not isinstance(item, str)]
    absent = [item for item in wanted if isinstance(item, str)]
    return task.FileSettings(PATH, SECURITY if present else None, lambda data: registry_values.merge(data, present, absent), section_lines,
                             bool(present), report)


def run(module) -> None:
    """Entry point for the action plugin; ends with exit_json or fail_json."""
    task.run(module, settings_of, "GptTmpl.inf")
