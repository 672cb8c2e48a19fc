# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""In-memory stand-ins for the user-rights unit tests: a directory that answers LdapClient's calls (filters evaluated by
_ldap/fakes.py's evaluator) and a SYSVOL share. The lab tests the real Samba DC and SMB."""
from __future__ import annotations

from contextlib import contextmanager

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.errors import GpoError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.client import Entry
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import sid_to_bytes
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import filter_matches, parse_filter

BASE = "DC=corp,DC=example,DC=test"
DOMAIN_SID = "S-1-5-21-1004336348-1177238915-682003330"
DDCP = "{6AC1786C-016F-11D2-945F-00C04FB984F9}"


class FakeDirectory:
    """The few objects the module reads; ``modified`` records every modify()."""

    def __init__(self):
        self.server = "dc1.corp.example.test"
        self.default_nc, self.config_nc = BASE, f"CN=Configuration,{BASE}"
        self.objects: dict[str, dict[str, list[bytes]]] = {}
        self.cache: dict = {}  # LdapClient's per-connection cache, used by _ldap/principals.py
        self.modified: list[tuple[str, dict]] = []
        self.add(BASE, objectClass="domainDNS", objectSid=sid_to_bytes(DOMAIN_SID))
        self.add(f"CN=CORP,CN=Partitions,{self.config_nc}", objectClass="crossRef", nCName=BASE, nETBIOSName="CORP",
                 dnsRoot="corp.example.test")
        self.add(f"OU=Domain Controllers,{BASE}", objectClass="organizationalUnit",
                 gPLink=f"[LDAP://cn={DDCP},cn=policies,cn=system,{BASE};0]")

    def add(self, dn: str, **attrs) -> None:
        self.objects[dn] = {k.lower(): [v if isinstance(v, bytes) else str(v).encode() for v in (vals if isinstance(vals, list) else [vals])]
                            for k, vals in attrs.items()}

    def add_account(self, sam: str, rid: int, upn: str | None = None) -> str:
        sid = f"{DOMAIN_SID}-{rid}"
        attrs = {"objectClass": "user", "sAMAccountName": sam, "objectSid": sid_to_bytes(sid)}
        if upn:
            attrs["userPrincipalName"] = upn
        self.add(f"CN={sam},CN=Users,{BASE}", **attrs)
        return sid

    def add_gpo(self, guid: str, name: str, version: int = 0, extensions: str | None = None) -> str:
        dn = f"CN={guid},CN=Policies,CN=System,{BASE}"
        attrs = {"objectClass": "groupPolicyContainer", "name": guid, "displayName": name, "versionNumber": version,
                 "gPCFileSysPath": f"\\\\corp.example.test\\SysVol\\corp.example.test\\Policies\\{guid}"}
        if extensions:
            attrs["gPCMachineExtensionNames"] = extensions
        self.add(dn, **attrs)
        return dn

    def search(self, base: str, ldap_filter: str, attributes, scope: str = "SUBTREE", controls=None) -> list[Entry]:
        tree, _end = parse_filter(ldap_filter)
        found = []
        for dn, values in self.objects.items():
            if not (dn.lower() == base.lower() or dn.lower().endswith("," + base.lower())):
                continue
            depth = dn.count(",") - base.count(",")
            if (scope == "BASE" and depth != 0) or (scope == "LEVEL" and depth != 1):
                continue
            if ldap_filter == "(objectClass=*)" or filter_matches(tree, values):
                found.append(Entry(dn, {a: values.get(a.lower(), []) for a in attributes}))
        return found

    def read(self, dn: str, attributes, controls=None) -> Entry | None:
        found = self.search(dn, "(objectClass=*)", attributes, scope="BASE")
        return found[0] if found else None

    def modify(self, dn: str, changes: dict, controls=None) -> None:
        self.modified.append((dn, changes))
        for attr, ops in changes.items():
            for _op, values in ops:
                self.objects[dn][attr.lower()] = [str(v).encode() for v in values]


class FakeSysvol:
    """A SYSVOL share: UNC path (case-insensitive) -> bytes; ``writes`` lists the paths written, in order, and ``opens``
    the paths the real Sysvol would open (an open per read or write; inside held(), one per file, as _gpo/sysvol.py
    keeps the handle of a file read with write access)."""

    def __init__(self, server: str = "dc1.corp.example.test"):
        self.server = server
        self.files: dict[str, bytes] = {}
        self.writes: list[str] = []
        self.opens: list[str] = []
        self.dirs: set[str] = set()  # folders made with makedirs (a folder holding a file exists too)
        self.acls: dict[str, bytes] = {}  # descriptors set with set_security
        self._held: dict[str, bool] | None = None  # inside held(): path -> a handle to write through is kept
        self._writable = False

    @contextmanager
    def held(self, writable: bool = True):
        self._held, self._writable = {}, writable  # a run that died inside the block leaves it set: the next block starts afresh
        yield self
        self._held = None

    def read(self, path: str) -> bytes | None:
        key = path.lower()
        if self._held is None or key not in self._held:
            self.opens.append(path)
            if self._held is not None:
                self._held[key] = self._writable and key in self.files
        return self.files.get(key)

    def write(self, path: str, data: bytes) -> None:
        key = path.lower()
        folder = path.rsplit("\\", 1)[0]
        if key not in self.files and not self.is_dir(folder):
            raise GpoError(f"cannot write {path}: its folder {folder} does not exist")  # as _gpo/sysvol.py
        if not (self._held or {}).get(key):
            self.opens.append(path)
            if self._held is not None:
                self._held.setdefault(key, False)
        self.files[key] = data
        self.writes.append(path)

    def seed(self, path: str, data: bytes) -> None:
        """Put a file there, with its folders, as it was before the run: neither an open nor a write of the run."""
        self.files[path.lower()] = data

    def is_dir(self, path: str) -> bool:
        key = path.lower()
        return key in self.dirs or any(name.startswith(key + "\\") for name in self.files)

    def makedirs(self, path: str) -> None:
        self.dirs.add(path.lower())

    def security(self, path: str) -> bytes:
        """What ``acls`` holds for the path; a GPO folder holds its own descriptor, here b"SD:" + its name. A path that is
        neither a file nor a folder has none: the real share answers STATUS_OBJECT_NAME_NOT_FOUND."""
        if path.lower() not in self.files and not self.is_dir(path):
            raise GpoError(f"cannot read the security descriptor of {path}: it does not exist")
        return self.acls.get(path.lower(), b"SD:" + path.rsplit("\\", 1)[-1].encode())

    def set_security(self, path: str, descriptor: bytes) -> None:
        self.acls[path.lower()] = descriptor

    def gpo_path(self, guid: str, name: str) -> str:
        return f"\\\\{self.server}\\SysVol\\corp.example.test\\Policies\\{guid}\\{name}"
