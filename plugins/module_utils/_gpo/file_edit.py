# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: one edit of a computer-settings file in a GPO's SYSVOL folder.

Order of writes: GPT.INI's version first, then the settings file, then the GPO container (versionNumber,
gPCMachineExtensionNames) in AD last - clients act on the AD version, so they never see a new version whose files
are not written yet. The three cannot change in one transaction; this order makes every interruption visible to
the next run: a run that stops after GPT.INI or after the file leaves GPT.INI's version ahead of AD's, and the
next run, finding the two versions apart, writes the file if it still needs it and brings both to one new
version (MS-GPOL: the computer half incremented, wrap rule in version.py). (The Group Policy editor writes the file
before GPT.INI: a stop between those two would leave a changed file under unchanged versions, which no client
would apply and no rerun could see.) Nothing is written when nothing changes and the versions agree.

The extension pair of the file's client-side extension is merged into gPCMachineExtensionNames (never replaced)
whenever the GPO is written.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ansible_collections.mdi.action_accounts.plugins.module_utils._controller_lock import controller_lock
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.errors import GpoError
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.gpo import Gpo
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.sysvol import unc_on
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.version import (
    bump_machine, ini_version, set_ini_version, to_ad_integer)
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings import extension_names
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.errors import GpoSettingsError


def domain_lock(domain: str):
    """One GPO edit per domain at a time on this controller. Ansible runs hosts in parallel worker processes;
    without this, a play that edits a GPO on several hosts could bump the version once per host, or lose one
    host's edit. With it, the first host changes the GPO and the others find it done. One lock for every module
    that edits GPO files: two of them may edit the same GPO."""
    return controller_lock("gpo-edit", domain)


@dataclass
class FileEdit:
    """What one edit found and did: the file's bytes before and after (None: no file), the versions it read."""

    gpo: Gpo
    path: str  # the file's path inside the GPO folder, e.g. MACHINE\...\GptTmpl.inf
    before: bytes | None
    after: bytes | None
    extensions: str  # gPCMachineExtensionNames with the file's extension pair merged in
    ini_version: int
    ad_version: int
    extension_required: bool = False  # a missing extension pair is itself a change to make

    @property
    def edited(self) -> bool:
        return self.after is not None and self.after != self.before  # a transform never deletes the file

    @property
    def repair(self) -> bool:
        """GPT.INI and the GPO container disagree: an edit (ours or another tool's) stopped between its writes."""
        return self.ini_version != self.ad_version

    @property
    def changed(self) -> bool:
        return self.edited or self.repair or (self.extension_required and self.lacks_extension)

    @property
    def lacks_extension(self) -> bool:
        return self.extensions != (self.gpo.machine_extensions or "")

    def repair_warning(self, check_mode: bool) -> str | None:
        if not self.repair:
            return None
        return (f"GPO '{self.gpo.name}' {self.gpo.guid}: GPT.INI has version {self.ini_version} and the GPO in AD {self.ad_version}, so an "
                f"earlier edit stopped halfway; both {'would be' if check_mode else 'are'} brought to one new version so clients apply "
                "the GPO")


def _merged_extensions(gpo: Gpo, extension: tuple[str, str] | None, error: type) -> str:
    if extension is None:
        return gpo.machine_extensions or ""
    try:
        return extension_names.merge(gpo.machine_extensions, [extension])
    except GpoSettingsError as exc:
        raise error(str(exc)) from exc


def _write_new(sysvol, root: str, path: str, data: bytes) -> None:
    """Create ``path`` under the GPO folder ``root`` (and the folders it needs), each with the GPO folder's own descriptor
    set explicitly, as ``samba-tool ntacl sysvolreset`` sets it: Samba's sysvolcheck wants the same ACL on every file
    and folder of a GPO, and an inherited ACL differs from it (its ACEs are marked inherited)."""
    descriptor = sysvol.security(root)
    folder = root
    for name in path.split("\\")[:-1]:
        folder = f"{folder}\\{name}"
        if not sysvol.is_dir(folder):
            sysvol.makedirs(folder)
            sysvol.set_security(folder, descriptor)
    sysvol.write(f"{root}\\{path}", data)
    sysvol.set_security(f"{root}\\{path}", descriptor)


def edit_file(client, sysvol, gpo: Gpo, path: str, extension: tuple[str, str] | None, transform: Callable[[bytes | None], bytes | None],
              check_mode: bool, error: type = GpoError, extension_required: bool = False) -> FileEdit:
    """Edit ``path`` of ``gpo``: ``transform`` gets the file's bytes (None: no file) and gives the bytes it should hold
    (the same object or bytes: no change); ``extension``: the (CSE, tool) pair to merge, None for an edit that only
    removes settings; ``error``: the class to raise for a malformed gPCMachineExtensionNames (checked before any
    write); ``extension_required``: write the GPO when only its extension pair is missing (else the pair is merged
    only when the GPO is written anyway). Call it inside ``domain_lock``, with ``gpo`` read inside it too, and inside
    ``sysvol.held(writable=not check_mode)``, so the file and GPT.INI are each opened once to read and write."""
    root = unc_on(sysvol.server, gpo.file_sys_path)
    file_path, ini_path = f"{root}\\{path}", f"{root}\\GPT.INI"
    before = sysvol.read(file_path)
    after = transform(before)
    extensions = _merged_extensions(gpo, extension, error)
    ini = (sysvol.read(ini_path) or b"").decode("latin-1")  # latin-1: every byte kept as it is
    edit = FileEdit(gpo, path, before, after, extensions, ini_version(ini) & 0xFFFFFFFF, gpo.version & 0xFFFFFFFF, extension_required)
    if edit.changed and not check_mode:
        version = bump_machine(max(edit.ini_version, edit.ad_version))
        sysvol.write(ini_path, set_ini_version(ini, version).encode("latin-1"))
        if edit.edited:
            if before is None:
                _write_new(sysvol, root, path, after)
            else:
                sysvol.write(file_path, after)
        changes = {"versionNumber": [("MODIFY_REPLACE", [to_ad_integer(version)])]}
        if edit.lacks_extension:
            changes["gPCMachineExtensionNames"] = [("MODIFY_REPLACE", [extensions])]
        client.modify(gpo.dn, changes)
    return edit
