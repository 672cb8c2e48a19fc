# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: scope=gpo - the right in a GPO's GptTmpl.inf, so it survives
Group Policy on every domain controller.

Order of writes: GPT.INI's version first, then GptTmpl.inf, then the GPO container (versionNumber,
gPCMachineExtensionNames) in AD last - clients act on the AD version, so they never see a new version whose files
are not written yet. The three cannot change in one transaction; this order makes every interruption visible to
the next run: a run that stops after GPT.INI or after GptTmpl.inf leaves GPT.INI's version ahead of AD's, and the
next run, finding the two versions apart, writes the template if it still needs it and brings both to one new
version. (The Group Policy editor writes the template before GPT.INI: a stop between those two would leave a
changed template under unchanged versions, which no client would apply and no rerun could see.)
Nothing is written when nothing changes and the versions agree.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from contextlib import contextmanager

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.gpo import (
    DEFAULT_DOMAIN_CONTROLLERS_POLICY, domain_controllers_ou, find_gpo, linked_gpos)
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.sysvol import unc_on
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.version import (
    bump_machine, ini_version, set_ini_version, to_ad_integer)
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings import extension_names
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights import members
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.errors import GpoError
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.gpttmpl import PATH as GPTTMPL_PATH, Template
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.principals import PrincipalResolver
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.rights import describe_right


@contextmanager
def domain_lock(domain: str):
    """One GPO edit per domain at a time on this controller. Ansible runs hosts in parallel worker processes;
    without this, a play that runs scope=gpo on several hosts could bump the version once per host, or lose
    one host's edit. With it, the first host changes the GPO and the others find it done."""
    name = "mdi-action_accounts-user_right-" + hashlib.sha256(domain.lower().encode()).hexdigest()[:16] + ".lock"
    fd = os.open(os.path.join(tempfile.gettempdir(), name), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


class GpoFiles:
    """A GPO's folder in SYSVOL on one DC."""

    def __init__(self, sysvol, gpo):
        self.sysvol, self.gpo = sysvol, gpo
        self.root = unc_on(sysvol.server, gpo.file_sys_path)
        self.template_path, self.ini_path = f"{self.root}\\{GPTTMPL_PATH}", f"{self.root}\\GPT.INI"

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


def _with_security_extension(value: str | None) -> str:
    """gPCMachineExtensionNames with the Security extension (without it the template's rights are never applied)."""
    try:
        return extension_names.merge(value, [extension_names.SECURITY])
    except GpoSettingsError as exc:
        raise GpoError(str(exc)) from exc


def _read_ini(files: GpoFiles) -> str:
    return (files.sysvol.read(files.ini_path) or b"").decode("latin-1")  # latin-1: every byte kept as it is


def versions_apart(files: GpoFiles, ini: str) -> bool:
    """GPT.INI and the GPO container disagree: an edit (ours or another tool's) stopped between its writes."""
    return ini_version(ini) & 0xFFFFFFFF != files.gpo.version & 0xFFFFFFFF


def _write(client, files: GpoFiles, ini: str, template: Template | None, right: str, texts: list[str] | None, extensions: str) -> None:
    """GPT.INI, the template (when ``texts`` is not None), then AD: see the module's docstring for why in this order."""
    version = bump_machine(max(ini_version(ini) & 0xFFFFFFFF, files.gpo.version & 0xFFFFFFFF))
    files.sysvol.write(files.ini_path, set_ini_version(ini, version).encode("latin-1"))
    if texts is not None:
        template = template or Template.new()
        template.set_entries(right, texts)
        files.sysvol.write(files.template_path, template.encode())
    changes = {"versionNumber": [("MODIFY_REPLACE", [to_ad_integer(version)])]}
    if extensions != (files.gpo.machine_extensions or ""):
        changes["gPCMachineExtensionNames"] = [("MODIFY_REPLACE", [extensions])]
    client.modify(files.gpo.dn, changes)


def run_gpo(right: str, params: dict, check_mode: bool, want_diff: bool, client, sysvol) -> tuple[dict, list[str]]:
    """Apply params (action, users, gpo) to ``right`` in a GPO, through ``client`` (LDAP) and ``sysvol`` (SMB)."""
    resolver = PrincipalResolver(client)
    wanted = [resolver.sid_of(user) for user in params["users"]]  # an unknown account fails before anything is read
    with domain_lock(resolver.dns_name):
        files = choose_gpo(client, sysvol, right, params["gpo"])
        template = files.template()
        texts = template.entries(right) if template else None
        if texts is None and params["action"] == "add":
            raise _undefined(files.gpo, right)
        entries = [(text, resolver.entry_sid(text)) for text in texts or []]
        planned = members.plan_entries(entries, params["action"], wanted)
        new_texts = [text for text, _sid in planned]
        defined = texts is not None or params["action"] == "set"
        edit = defined and new_texts != texts  # [] differs from None: set with no users defines "nobody"
        extensions = _with_security_extension(files.gpo.machine_extensions)
        ini = _read_ini(files)
        repair = versions_apart(files, ini)
        changed = edit or repair
        if changed and not check_mode:
            _write(client, files, ini, template, right, new_texts if edit else None, extensions)

    def member(entry) -> dict:
        text, sid = entry
        return resolver.member(sid) if sid else {"sid": None, "name": text}

    before = [member(entry) for entry in entries]
    after = [member(entry) for entry in planned] if defined else []
    result = members.result(right, "gpo", before, after, {**files.gpo.info(), "members": after}, want_diff)
    result["changed"] = changed  # also when only the definition is new (set to the same accounts)
    warnings = _warnings(files.gpo, right, entries, changed, extensions, resolver.netbios)
    if repair:
        warnings.append(f"GPO '{files.gpo.name}' {files.gpo.guid}: GPT.INI has version {ini_version(ini) & 0xFFFFFFFF} and the GPO in AD"
                        f" {files.gpo.version & 0xFFFFFFFF}, so an earlier edit stopped halfway; both "
                        f"{'would be' if check_mode else 'are'} brought to one new version so clients apply the GPO")
    return result, warnings


def _warnings(gpo, right: str, entries, changed: bool, extensions: str, netbios: str) -> list[str]:
    warnings = [f"GPO '{gpo.name}' lists {text!r} for {right}, which does not resolve in {netbios}; kept as it is"
                for text, sid in entries if sid is None]
    if not changed and extensions != (gpo.machine_extensions or ""):
        warnings.append(f"GPO '{gpo.name}' {gpo.guid} lacks the Security client-side extension in gPCMachineExtensionNames, "
                        "so Windows does not apply its user rights; this task adds it only when it changes the GPO")
    return warnings
