# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: finding a Group Policy object over LDAP.

A GPO is a groupPolicyContainer under CN=Policies,CN=System (its "GPC": name = {GUID}, displayName,
versionNumber, flags, gPCMachineExtensionNames, gPCFileSysPath) plus a folder in SYSVOL (its "GPT").
Containers link GPOs in their gPLink (links.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.errors import GpoError
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.links import parse_gplink

DEFAULT_DOMAIN_CONTROLLERS_POLICY = "{6AC1786C-016F-11D2-945F-00C04FB984F9}"
_ATTRS = ("name", "displayName", "versionNumber", "flags", "gPCMachineExtensionNames", "gPCFileSysPath")
_GUID = re.compile(r"^\{?([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\}?$")


@dataclass
class Gpo:
    dn: str
    guid: str  # {UPPER-CASE}, as Windows writes it
    name: str
    version: int  # versionNumber as stored (signed 32-bit)
    machine_extensions: str | None
    file_sys_path: str  # \\domain\SysVol\domain\Policies\{GUID}
    flags: int = 0  # GPO status: bit 0 user settings disabled, bit 1 computer settings disabled

    def info(self) -> dict:
        return {"name": self.name, "guid": self.guid, "dn": self.dn}


def escape_filter_value(text: str) -> str:
    return "".join(f"\\{ord(c):02x}" if c in "*()\\\x00" else c for c in text)


def policies_dn(client) -> str:
    return f"CN=Policies,CN=System,{client.default_nc}"


def _gpo(entry) -> Gpo:
    return Gpo(dn=entry.dn, guid=(entry.text("name") or "").upper(), name=entry.text("displayName") or entry.text("name"),
               version=entry.integer("versionNumber") or 0, machine_extensions=entry.text("gPCMachineExtensionNames"),
               file_sys_path=entry.text("gPCFileSysPath") or "", flags=entry.integer("flags") or 0)


def normalize_guid(text: str) -> str | None:
    """'{UPPER-CASE}' for a GUID with or without braces; None for anything else."""
    match = _GUID.match(text.strip())
    return "{" + match.group(1).upper() + "}" if match else None


def search_gpos(client, selector: str) -> list[Gpo]:
    """Every GPO with this GUID ({...} or bare) or display name."""
    guid = normalize_guid(selector)
    ldap_filter = f"(name={guid})" if guid else f"(displayName={escape_filter_value(selector.strip())})"
    return [_gpo(entry) for entry in client.search(policies_dn(client), f"(&(objectClass=groupPolicyContainer){ldap_filter})", _ATTRS,
                                                   scope="LEVEL")]


def find_gpo(client, selector: str, option: str | None = None) -> Gpo:
    """The GPO named by GUID ({...} or bare) or by display name (which must be unique); ``option``: the task option that
    named it, for the message when there is no such GPO."""
    found = search_gpos(client, selector)
    if not found:
        fix = f": check {option} (its display name or GUID), or leave it out for the default" if option else ""
        kind = "GUID" if normalize_guid(selector) else "display name"
        raise GpoError(f"no Group Policy object {selector!r} in {client.default_nc} (looked for a GPO with this "
                       f"{kind} under {policies_dn(client)}){fix}")
    if len(found) > 1:
        raise ambiguous(selector, found)
    return found[0]


def ambiguous(selector: str, found: list[Gpo]) -> GpoError:
    return GpoError(f"{len(found)} Group Policy objects are named {selector!r}: give its GUID instead "
                    f"({', '.join(sorted(gpo.guid for gpo in found))})")


def linked_gpos(client, container_dn: str) -> list[str]:
    """GUIDs of the GPOs with an enabled link on ``container_dn``, highest precedence (link order 1) first."""
    entry = client.read(container_dn, ["gPLink"])
    if entry is None:
        raise GpoError(f"{container_dn} does not exist")
    links = parse_gplink(entry.text("gPLink"), strict=False)
    return [link.guid for link in reversed(links) if link.guid and link.enabled]


def domain_controllers_ou(client) -> str:
    return f"OU=Domain Controllers,{client.default_nc}"
