# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""In-memory stand-ins for the GPO package's tests: _ldap/fakes.py's directory with what GPOs need (the DC's default
descriptor for a new container, tree delete, gPLink substring searches) and a SYSVOL share with folders and ACLs.
The lab tests the real Samba DC and SMB."""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.errors import GpoError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.client import Entry
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import descriptor_from_sddl
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import BASE, DOMAIN_SID, FakeClient

# What Samba 4.22 gives a new groupPolicyContainer (owner, group, DACL), read from the lab.
GPC_SDDL = ("O:DAG:DAD:P(A;CI;CCDCLCSWRPWPDTLOSDRCWDWO;;;DA)(A;CI;CCDCLCSWRPWPDTLOSDRCWDWO;;;EA)(A;CIIO;CCDCLCSWRPWPDTLOSDRCWDWO;;;CO)"
            "(A;;CCDCLCSWRPWPDTLOSDRCWDWO;;;DA)(A;CI;CCDCLCSWRPWPDTLOSDRCWDWO;;;SY)(A;CI;LCRPLORC;;;AU)"
            "(OA;CI;CR;edacfd8f-ffb3-11d1-b41d-00a0c968f939;;AU)(A;CI;LCRPLORC;;;ED)")
POLICIES = f"CN=Policies,CN=System,{BASE}"


class GpoDirectory(FakeClient):
    def __init__(self):
        super().__init__()
        self.add(f"OU=Domain Controllers,{BASE}", objectClass="organizationalUnit")
        self.add(POLICIES, objectClass="container")

    def add(self, dn: str, object_class=None, attributes: dict | None = None, controls=None, **attrs) -> str:
        if object_class == "groupPolicyContainer":
            attributes = {**(attributes or {}), "name": dn.split(",", 1)[0][3:],
                          "nTSecurityDescriptor": descriptor_from_sddl(GPC_SDDL, DOMAIN_SID).encode()}
        return super().add(dn, object_class, attributes, controls, **attrs)

    def delete(self, dn: str, controls=None) -> None:
        super().delete(dn, controls)
        if controls:  # the tree delete control: everything below goes too
            for below in [other for other in self.objects if other.lower().endswith("," + dn.lower())]:
                del self.objects[below]

    def search(self, base: str, ldap_filter: str, attributes, scope: str = "SUBTREE", controls=None, paged: bool = True) -> list[Entry]:
        if ldap_filter.startswith("(gPLink=*"):  # the one substring filter the package sends, on the domain NC or CN=Sites
            part = ldap_filter[len("(gPLink=*"):-2].lower().encode()
            config = self.config_nc.lower()
            domain_only = not base.lower().endswith(config)  # a DC stops at the NC's boundary: CN=Configuration is another NC
            return [found for found in super().search(base, "(gPLink=*)", attributes, scope)
                    if part in found.first("gPLink").lower() and not (domain_only and found.dn.lower().endswith(config))]
        return super().search(base, ldap_filter, attributes, scope, controls, paged)


class GpoSysvol:
    """A SYSVOL share: files (UNC path, case-insensitive -> bytes), folders, and each one's descriptor bytes;
    ``fail_on`` makes the write of the path containing that text fail, as a broken connection would."""

    def __init__(self, server: str = "dc1.corp.example.test"):
        self.server = server
        self.files: dict[str, bytes] = {}
        self.dirs: set[str] = set()
        self.acls: dict[str, bytes] = {}
        self.fail_on: str | None = None

    def _check(self, path: str) -> str:
        if self.fail_on and self.fail_on.lower() in path.lower():
            raise GpoError(f"cannot write {path}: connection reset")
        return path.lower()

    def read(self, path: str) -> bytes | None:
        return self.files.get(path.lower())

    def write(self, path: str, data: bytes) -> None:
        self.files[self._check(path)] = data

    def is_dir(self, path: str) -> bool:
        return path.lower() in self.dirs

    def makedirs(self, path: str) -> None:
        self.dirs.add(self._check(path))

    def remove_tree(self, path: str) -> None:
        key = self._check(path)
        for store in (self.files, self.acls):
            for name in [name for name in store if name == key or name.startswith(key + "\\")]:
                del store[name]
        self.dirs = {name for name in self.dirs if not (name == key or name.startswith(key + "\\"))}

    def security(self, path: str) -> bytes:
        return self.acls.get(path.lower(), descriptor_from_sddl("O:BAG:DUD:(A;OICI;FA;;;BA)", DOMAIN_SID).encode())

    def set_security(self, path: str, descriptor: bytes) -> None:
        self.acls[self._check(path)] = descriptor
