# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""In-memory stand-ins for the user-rights unit tests: a directory that answers LdapClient's calls (with a
small but real LDAP filter evaluator) and a SYSVOL share. The lab tests the real Samba DC and SMB."""
from __future__ import annotations

import re

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.client import Entry
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import sid_to_bytes

BASE = "DC=corp,DC=example,DC=test"
DOMAIN_SID = "S-1-5-21-1004336348-1177238915-682003330"
DDCP = "{6AC1786C-016F-11D2-945F-00C04FB984F9}"
_ESCAPE = re.compile(r"\\([0-9a-fA-F]{2})")


def _unescape(value: str) -> bytes:
    out, pos = bytearray(), 0
    for match in _ESCAPE.finditer(value):
        out += value[pos:match.start()].encode()
        out.append(int(match.group(1), 16))
        pos = match.end()
    return bytes(out + value[pos:].encode())


def _parse(text: str, pos: int = 0):
    """(filter tree, next position) for RFC 4515 filters made of &, | and equality."""
    assert text[pos] == "(", text
    if text[pos + 1] in "&|":
        op, pos, items = text[pos + 1], pos + 2, []
        while text[pos] == "(":
            item, pos = _parse(text, pos)
            items.append(item)
        assert text[pos] == ")", text
        return (op, items), pos + 1
    end = text.index(")", pos)
    attr, _eq, value = text[pos + 1:end].partition("=")
    return ("=", attr.lower(), _unescape(value)), end + 1


def _match(tree, values: dict) -> bool:
    if tree[0] == "&":
        return all(_match(item, values) for item in tree[1])
    if tree[0] == "|":
        return any(_match(item, values) for item in tree[1])
    _op, attr, value = tree
    return any(v.lower() == value.lower() for v in values.get(attr, []))


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
        tree, _end = _parse(ldap_filter)
        found = []
        for dn, values in self.objects.items():
            if not (dn.lower() == base.lower() or dn.lower().endswith("," + base.lower())):
                continue
            depth = dn.count(",") - base.count(",")
            if (scope == "BASE" and depth != 0) or (scope == "LEVEL" and depth != 1):
                continue
            if ldap_filter == "(objectClass=*)" or _match(tree, values):
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
    """A SYSVOL share: UNC path (case-insensitive) -> bytes; ``writes`` lists the paths written, in order."""

    def __init__(self, server: str = "dc1.corp.example.test"):
        self.server = server
        self.files: dict[str, bytes] = {}
        self.writes: list[str] = []

    def read(self, path: str) -> bytes | None:
        return self.files.get(path.lower())

    def write(self, path: str, data: bytes) -> None:
        self.files[path.lower()] = data
        self.writes.append(path)

    def gpo_path(self, guid: str, name: str) -> str:
        return f"\\\\{self.server}\\SysVol\\corp.example.test\\Policies\\{guid}\\{name}"
