# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: account names <-> SIDs for GptTmpl.inf entries.

Domain accounts resolve over LDAP through _ldap/principals.py (SID, DN, DOMAIN\\name, UPN, sAMAccountName).
This module adds what user rights name and AD does not hold: ``*S-1-...`` entries, well-known accounts by
name (``NT SERVICE\\ALL SERVICES``, ``BUILTIN\\Administrators``, ``Everyone``) and per-service accounts
(``NT SERVICE\\AATPSensor``), as Windows resolves them before it asks the domain.
"""
from __future__ import annotations

import hashlib
import struct

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.client import domain_info
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import LdapError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.principals import resolve_principal
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import WELL_KNOWN_SID_NAMES, is_sid, normalize_sid

# Well-known accounts that user-rights assignments name and the _sd table does not.
_MORE_WELL_KNOWN = {
    "S-1-5-3": "NT AUTHORITY\\BATCH",
    "S-1-5-17": "NT AUTHORITY\\IUSR",
    "S-1-5-32-555": "BUILTIN\\Remote Desktop Users",
    "S-1-5-32-559": "BUILTIN\\Performance Log Users",
    "S-1-5-32-568": "BUILTIN\\IIS_IUSRS",
    "S-1-5-80-0": "NT SERVICE\\ALL SERVICES",
    "S-1-5-83-0": "NT VIRTUAL MACHINE\\Virtual Machines",
    "S-1-5-90-0": "Window Manager\\Window Manager Group",
    "S-1-5-113": "NT AUTHORITY\\Local account",
    "S-1-5-114": "NT AUTHORITY\\Local account and member of Administrators group",
}
WELL_KNOWN = {**WELL_KNOWN_SID_NAMES, **_MORE_WELL_KNOWN}
_BY_NAME = {name.lower(): sid for sid, name in WELL_KNOWN.items()}
# Windows also resolves the bare name ("ALL SERVICES", "Administrators") before searching the domain.
_BY_NAME.update({name.rsplit("\\", 1)[-1].lower(): sid for sid, name in WELL_KNOWN.items() if "\\" in name})


def service_sid(service: str) -> str:
    """NT SERVICE\\<service>: S-1-5-80- and the SHA-1 of the upper-case name in UTF-16-LE as five little-endian
    integers, as Windows derives it (``sc showsid``); the same on every computer, installed there or not."""
    digest = hashlib.sha1(service.upper().encode("utf-16-le")).digest()  # nosec - an identifier, not a secret
    return "S-1-5-80-" + "-".join(str(part) for part in struct.unpack("<5I", digest))


class PrincipalResolver:
    """Resolves against the domain of one LdapClient; names are cached for the task."""

    def __init__(self, client):
        self.client = client
        info = domain_info(client)
        self.netbios, self.dns_name = info.netbios, info.dns.lower()
        self._names: dict[str, str | None] = {}

    def sid_of(self, principal: str) -> str:
        """The SID of ``principal``; raises LdapError when the domain does not know it."""
        text = principal.strip()
        bare = text.lstrip("*")  # GptTmpl.inf writes SIDs as *S-1-...
        if is_sid(bare):
            return normalize_sid(bare)
        if text.lower() in _BY_NAME:
            return _BY_NAME[text.lower()]
        domain, _sep, name = text.rpartition("\\")
        if domain.lower() == "nt service" and name:
            return service_sid(name)
        found = resolve_principal(self.client, text)
        self._names[found.sid] = found.name
        return found.sid

    def name_of(self, sid: str) -> str | None:
        """DOMAIN\\name (or the well-known name) of a SID; None when nothing in the domain has it."""
        if sid in WELL_KNOWN:
            return WELL_KNOWN[sid]
        if sid not in self._names:
            try:
                self._names[sid] = resolve_principal(self.client, sid).name
            except LdapError:
                self._names[sid] = None  # a deleted account: GptTmpl.inf keeps its SID, Windows shows the SID
        return self._names[sid]

    def member(self, sid: str) -> dict:
        return {"sid": sid, "name": self.name_of(sid)}

    def entry_sid(self, entry: str) -> str | None:
        """The SID of a GptTmpl.inf entry (``*S-1-...`` or a name); None for a name that does not resolve."""
        try:
            return self.sid_of(entry)
        except LdapError:
            return None
