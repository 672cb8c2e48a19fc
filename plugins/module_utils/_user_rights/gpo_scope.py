# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: scope=gpo - the right in a GPO's GptTmpl.inf, so it survives
Group Policy on every domain controller. The edit itself (lock, order of writes, versions, extension names, repair
of an edit that stopped halfway) is _gpo/file_edit.py's; this file plans the right's line.
"""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.gpo import (
    DEFAULT_DOMAIN_CONTROLLERS_POLICY, domain_controllers_ou, find_gpo, linked_gpos)
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.file_edit import domain_lock, edit_file
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.sysvol import unc_on
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.extension_names import SECURITY
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights import members
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.errors import GpoError
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.gpttmpl import PATH as GPTTMPL_PATH, Template
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.principals import PrincipalResolver
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.rights import describe_right


class GpoFiles:
    """A GPO's folder in SYSVOL on one DC."""

    def __init__(self, sysvol, gpo):
        self.sysvol, self.gpo = sysvol, gpo
        self.root = unc_on(sysvol.server, gpo.file_sys_path)
        self.template_path = f"{self.root}\\{GPTTMPL_PATH}"

    def template(self) -> Template | None:
        data = self.sysvol.read(self.template_path)
        return Template.decode(data) if data is not None else None


def choose_gpo(client, sysvol, right: str, selector: str | None) -> GpoFiles:
    """The GPO named by ``selector``; else the highest-precedence GPO linked to OU=Domain Controllers that
    defines ``right``; else the Default Domain Controllers Policy."""
    if selector:
        return GpoFiles(sysvol, find_gpo(client, selector, option="gpo"))
    for guid in linked_gpos(client, domain_controllers_ou(client)):
        files = GpoFiles(sysvol, find_gpo(client, guid))
        template = files.template()
        if template is not None and template.entries(right) is not None:
            return files
    return GpoFiles(sysvol, find_gpo(client, DEFAULT_DOMAIN_CONTROLLERS_POLICY))


def _undefined(gpo, right: str) -> GpoError:
    return GpoError(
        f"GPO '{gpo.name}' {gpo.guid} does not define {describe_right(right)}. Defining it there replaces the local list on "
        "every computer the GPO applies to, so action=add cannot keep the accounts that hold the right today. Use action=set "
        "with every account that needs it (on a domain controller at least NT SERVICE\\ALL SERVICES and the accounts of "
        "services that log on as a service), or name a GPO that defines the right with gpo=.")


class _RightEdit:
    """GptTmpl.inf bytes -> the bytes with ``right`` planned from params; keeps what it planned for the result."""

    def __init__(self, gpo, right: str, params: dict, resolver, wanted: list[str]):
        self.gpo, self.right, self.params, self.resolver, self.wanted = gpo, right, params, resolver, wanted
        self.entries, self.planned, self.defined = [], [], False

    def __call__(self, data: bytes | None) -> bytes | None:
        template = Template.decode(data) if data is not None else None
        texts = template.entries(self.right) if template else None
        if texts is None and self.params["action"] == "add":
            raise _undefined(self.gpo, self.right)
        self.entries = [(text, self.resolver.entry_sid(text)) for text in texts or []]
        self.planned = members.plan_entries(self.entries, self.params["action"], self.wanted)
        new_texts = [text for text, _sid in self.planned]
        self.defined = texts is not None or self.params["action"] == "set"
        if not self.defined or new_texts == texts:  # [] differs from None: set with no users defines "nobody"
            return data
        template = template or Template.new()
        template.set_entries(self.right, new_texts)
        return template.encode()


def run_gpo(right: str, params: dict, check_mode: bool, want_diff: bool, client, sysvol) -> tuple[dict, list[str]]:
    """Apply params (action, users, gpo) to ``right`` in a GPO, through ``client`` (LDAP) and ``sysvol`` (SMB)."""
    resolver = PrincipalResolver(client)
    wanted = [resolver.sid_of(user) for user in params["users"]]  # an unknown account fails before anything is read
    # held: the template read to choose the GPO is the one edited, and each file is opened once to read and write
    with domain_lock(resolver.dns_name), sysvol.held(writable=not check_mode):
        files = choose_gpo(client, sysvol, right, params["gpo"])
        plan = _RightEdit(files.gpo, right, params, resolver, wanted)
        edit = edit_file(client, sysvol, files.gpo, GPTTMPL_PATH, SECURITY, plan, check_mode, error=GpoError)

    def member(entry) -> dict:
        text, sid = entry
        return resolver.member(sid) if sid else {"sid": None, "name": text}

    before = [member(entry) for entry in plan.entries]
    after = [member(entry) for entry in plan.planned] if plan.defined else []
    result = members.result(right, "gpo", before, after, {**files.gpo.info(), "members": after}, want_diff)
    result["changed"] = edit.changed  # also when only the definition is new (set to the same accounts)
    warnings = _warnings(files.gpo, right, plan.entries, edit, resolver.netbios)
    if edit.repair:
        warnings.append(edit.repair_warning(check_mode))
    return result, warnings


def _warnings(gpo, right: str, entries, edit, netbios: str) -> list[str]:
    warnings = [f"GPO '{gpo.name}' lists {text!r} for {right}, which does not resolve in {netbios}; kept as it is"
                for text, sid in entries if sid is None]
    if not edit.changed and edit.lacks_extension:
        warnings.append(f"GPO '{gpo.name}' {gpo.guid} lacks the Security client-side extension in gPCMachineExtensionNames, "
                        "so Windows does not apply its user rights; this task adds it only when it changes the GPO")
    return warnings
