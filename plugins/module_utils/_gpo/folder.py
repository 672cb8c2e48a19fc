# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: a GPO's folder in SYSVOL (its "GPT") on one domain controller.

``Policies\\{GUID}\\`` with GPT.INI and the Machine and User folders, as ``samba-tool gpo create`` makes them; each
gets the descriptor folder_acl.py derives from the container's, set explicitly as ``samba-tool ntacl sysvolreset``
does (not left to inheritance), so Samba's sysvolcheck finds the same ACL on every part.
"""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.errors import GpoError
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.folder_acl import sysvol_descriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.sysvol import OWNER_GROUP_DACL, unc_on
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.version import NEW_GPT_INI, set_ini_version
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor

try:
    from ldap3.protocol.microsoft import security_descriptor_control
except ImportError:  # connection.py reports the missing library; no client exists without it
    security_descriptor_control = None

FOLDER, GPT_INI, MACHINE, USER = "the folder", "GPT.INI", "Machine\\", "User\\"
PARTS = (FOLDER, GPT_INI, MACHINE, USER)


def read_gpc_descriptor(client, gpc_dn: str) -> SecurityDescriptor:
    """The container's owner, group and DACL as the DC holds them now."""
    entry = client.read(gpc_dn, ["nTSecurityDescriptor"], controls=security_descriptor_control(sdflags=OWNER_GROUP_DACL))
    if entry is None or entry.first("nTSecurityDescriptor") is None:
        raise GpoError(f"cannot read the security descriptor of {gpc_dn}: the account needs Read Permissions on the GPO")
    return SecurityDescriptor.parse(entry.first("nTSecurityDescriptor"))


def expected_descriptor(client, gpc_dn: str) -> SecurityDescriptor:
    """The SYSVOL descriptor that matches the container's owner, group and DACL as the DC holds them now."""
    return sysvol_descriptor(read_gpc_descriptor(client, gpc_dn))


def same_acl(found: SecurityDescriptor, expected: SecurityDescriptor) -> bool:
    return (found.owner, found.group, found.dacl_protected) == (expected.owner, expected.group, expected.dacl_protected) and \
        found.dacl is not None and found.dacl.raw_entries == expected.dacl.raw_entries


class GpoFolder:
    def __init__(self, sysvol, file_sys_path: str, domain_sid: str):
        self.sysvol, self.file_sys_path, self.domain_sid = sysvol, file_sys_path, domain_sid
        self.root = unc_on(sysvol.server, file_sys_path)
        self.paths = {FOLDER: self.root, GPT_INI: f"{self.root}\\GPT.INI", MACHINE: f"{self.root}\\Machine", USER: f"{self.root}\\User"}

    @staticmethod
    def all_parts() -> list[str]:
        return list(PARTS)

    def missing(self) -> list[str]:
        """The parts that are not there (a run stopped half-way, or a folder deleted behind our back)."""
        if not self.sysvol.is_dir(self.root):
            return self.all_parts()
        gone = [] if self.sysvol.read(self.paths[GPT_INI]) is not None else [GPT_INI]
        return gone + [part for part in (MACHINE, USER) if not self.sysvol.is_dir(self.paths[part])]

    def wrong_acls(self, expected: SecurityDescriptor, missing: list[str]) -> list[str]:
        """The parts that are there with another owner, group or DACL than ``expected`` (the GPC's, derived)."""
        present = [part for part in PARTS if part not in missing]
        return [part for part in present if not same_acl(SecurityDescriptor.parse(self.sysvol.security(self.paths[part])), expected)]

    def create(self, expected: SecurityDescriptor, version: int, parts: list[str]) -> None:
        """Create the missing ``parts`` with the ``expected`` ACL; GPT.INI gets the container's version, so the two agree."""
        for part in parts:
            path = self.paths[part]
            if part == GPT_INI:
                text = NEW_GPT_INI if version == 0 else set_ini_version(NEW_GPT_INI, version)
                self.sysvol.write(path, text.encode("ascii"))
            else:
                self.sysvol.makedirs(path)
            self.sysvol.set_security(path, expected.encode())

    def set_acls(self, expected: SecurityDescriptor, parts: list[str]) -> None:
        for part in parts:
            self.sysvol.set_security(self.paths[part], expected.encode())

    def delete(self) -> None:
        self.sysvol.remove_tree(self.root)
