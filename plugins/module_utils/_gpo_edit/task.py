# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: one task that edits one settings file of a GPO.

A module names the file, its client-side extension pair and a merge (the file's bytes -> _gpo_settings' Change);
this finds the GPO, runs the edit under the domain's GPO lock (_gpo/file_edit.py: order of writes, versions,
extension names, repair) and builds the result with the diff of the lines the module is about.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.file_edit import domain_lock, edit_file
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.gpo import find_gpo
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.sysvol import open_sysvol
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.change import Change
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.client import domain_info
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.connection import create_ldap_connection
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.options import ldap_connection_argument_spec, ldap_options


def argument_spec(own: dict) -> dict:
    """The options every such module has (gpo, smb_server, LDAP) around the module's ``own``."""
    return {"gpo": {"type": "str", "required": True}, **own, "smb_server": {"type": "str"}, **ldap_connection_argument_spec()}


@dataclass(frozen=True)
class FileSettings:
    """What a module edits: ``path`` in the GPO folder, the extension pair that applies it (None: not added, for a task that
    only removes settings), ``merge`` (bytes or None ->
    Change), ``shown`` (the file's text -> the lines the diff shows), ``extension_required`` (the settings left
    in the file need the extension: a GPO without the pair is changed even when the file is right) and ``report``
    (the file's text after the task -> the module's own return values)."""

    path: str
    extension: tuple[str, str] | None
    merge: Callable[[bytes | None], Change]
    shown: Callable[[str], str]
    extension_required: bool
    report: Callable[[str], dict]


def apply(client, sysvol, selector: str, settings: FileSettings, check_mode: bool) -> tuple[dict, list[str]]:
    """Edit the file of the GPO named ``selector``; (result, warnings)."""
    changes: list[Change] = []

    def transform(data: bytes | None) -> bytes | None:
        changes.append(settings.merge(data))
        return changes[-1].after

    with domain_lock(domain_info(client).dns), sysvol.held(writable=not check_mode):  # each file opened once to read and write
        gpo = find_gpo(client, selector, option="gpo")  # inside the lock: its version is the one the edit builds on
        edit = edit_file(client, sysvol, gpo, settings.path, settings.extension, transform, check_mode,
                         extension_required=settings.extension_required)
    change = changes[-1]
    result = {"changed": edit.changed, "gpo": gpo.info(), **settings.report(change.after_text),
              "diff": {"before": settings.shown(change.before_text).replace("\r\n", "\n"),
                       "after": settings.shown(change.after_text).replace("\r\n", "\n"),
                       "before_header": settings.path, "after_header": settings.path}}
    warnings = [edit.repair_warning(check_mode)] if edit.repair else []
    return result, warnings


def run(module, settings_of: Callable[[dict], FileSettings], what: str) -> None:
    """Entry point for an action plugin; ``settings_of`` checks the params and says what to edit; ``what`` names the
    file for a failure message. Ends with exit_json or fail_json."""
    params = module.params
    try:
        settings = settings_of(params)
        with create_ldap_connection(**ldap_options(params)) as client:
            with open_sysvol(params) as sysvol:
                result, warnings = apply(client, sysvol, params["gpo"], settings, module.check_mode)
    except MdiError as exc:
        module.fail_json(msg=f"Failed to edit {what} of the GPO {params['gpo']!r}: {exc}", **exc.details)
    for warning in warnings:
        module.warn(warning)
    if not module._diff:  # pylint: disable=protected-access
        result.pop("diff")
    module.exit_json(**result)
