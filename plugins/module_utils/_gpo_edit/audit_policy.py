# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the gpo_audit_policy module's work - Advanced Audit Policy rows
of a GPO's audit.csv (codec: _gpo_settings/audit_csv.py), edited through _gpo_edit/task.py."""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_edit import task
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings import audit_csv, audit_subcategories
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.extension_names import AUDIT

AUDIT_VALUES = {frozenset(["success"]): audit_csv.SUCCESS, frozenset(["failure"]): audit_csv.FAILURE,
                frozenset(["success", "failure"]): audit_csv.SUCCESS_AND_FAILURE, frozenset(["none"]): audit_csv.NO_AUDITING}
AUDIT_NAMES = {value: sorted(names) for names, value in AUDIT_VALUES.items()}


def argument_spec() -> dict:
    subcategory = {"name": {"type": "str", "required": True},
                   "audit": {"type": "list", "elements": "str", "choices": ["success", "failure", "none"]}}
    return task.argument_spec({
        "subcategories": {"type": "list", "elements": "dict", "options": subcategory, "required": True},
        "state": {"type": "str", "default": "present", "choices": ["present", "exact", "absent"]},
    })


CONSTRAINTS: dict = {}


def audit_value(index: int, audit: list[str] | None) -> int:
    """The MS-GPAC setting value of ``subcategories[index].audit``."""
    value = AUDIT_VALUES.get(frozenset(audit or []))
    if value is None:
        raise GpoSettingsError(f"subcategories[{index}].audit must be [success], [failure], [success, failure] or [none] "
                               f"(no auditing), not {audit!r}")
    return value


def _wanted(params: dict) -> list[tuple[audit_subcategories.Subcategory, int | None]]:
    wanted, seen = [], set()
    for index, item in enumerate(params["subcategories"]):
        subcategory = audit_subcategories.lookup(item["name"])
        if subcategory.guid.lower() in seen:
            raise GpoSettingsError(f"subcategories[{index}] names {item['name']!r}, which an earlier entry already names; give each "
                                   "subcategory once")
        seen.add(subcategory.guid.lower())
        if params["state"] == "absent":
            if item["audit"] is not None:
                raise GpoSettingsError(f"subcategories[{index}].audit: state=absent removes the row; leave audit out")
            wanted.append((subcategory, None))
        else:
            wanted.append((subcategory, audit_value(index, item["audit"])))
    return wanted


def merge(data: bytes | None, wanted, state: str):
    """audit.csv with the ``wanted`` rows; ``exact``: without any other subcategory row (option rows are kept)."""
    present = [audit_csv.AuditSetting(subcategory.guid, value) for subcategory, value in wanted if value is not None]
    absent = [subcategory.guid for subcategory, value in wanted if value is None]
    if state == "exact" and data:
        named = {subcategory.guid.lower() for subcategory, _value in wanted}
        absent += [guid for guid in audit_csv.AuditCsv.decode(data).settings() if guid not in named]
    return audit_csv.merge(data, present, absent)


def report(text: str) -> dict:
    """The subcategory rows the file holds after the task."""
    settings = audit_csv.AuditCsv(text, b"", "utf-8").settings() if text else {}
    return {"subcategories": [{"guid": guid, "name": audit_subcategories.lookup(guid).name or None,
                               "audit": AUDIT_NAMES.get(value, []), "setting_value": value} for guid, value in settings.items()]}


def settings_of(params: dict) -> task.FileSettings:
    wanted = _wanted(params)
    state = params["state"]
    return task.FileSettings(audit_csv.PATH, None if state == "absent" else AUDIT, lambda data: merge(data, wanted, state), lambda text: text,
                             state != "absent" and bool(wanted), report)


def run(module) -> None:
    """Entry point for the action plugin; ends with exit_json or fail_json."""
    task.run(module, settings_of, "audit.csv")
