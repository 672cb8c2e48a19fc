# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: a DACL read and written over LDAP, and names for display.

Reads and writes use the SD_FLAGS control with DACL only, so owner, group and SACL are neither needed
(reading the SACL takes a privilege) nor rewritten.
"""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.principals import resolve_principal
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.schema import SchemaResolver
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import DACL_SECURITY_INFORMATION, SecurityDescriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.errors import SddlError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import ace_to_sddl, descriptor_to_sddl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.well_known_guids import WELL_KNOWN_GUID_NAMES
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.words import describe_ace

try:
    from ldap3 import MODIFY_REPLACE
    from ldap3.protocol.microsoft import security_descriptor_control
except ImportError:  # connection.py reports the missing library; no client exists without it
    MODIFY_REPLACE = "MODIFY_REPLACE"
    security_descriptor_control = None

ATTRIBUTE = "nTSecurityDescriptor"


def _dacl_only():
    return security_descriptor_control(sdflags=DACL_SECURITY_INFORMATION)


def read_descriptor(client, dn: str) -> SecurityDescriptor:
    """The object's descriptor with its DACL only; raises MdiError when the object or its DACL cannot be read."""
    entry = client.read(dn, [ATTRIBUTE], controls=_dacl_only())
    if entry is None:
        raise MdiError(f"the target {dn} does not exist: check target (the DN of an existing object; leave it out for the domain root)",
                       target=dn)
    raw = entry.first(ATTRIBUTE)
    if raw is None:
        raise MdiError(f"cannot read the DACL of {dn}: the account needs Read permissions on it", target=dn)
    descriptor = SecurityDescriptor.parse(raw)
    if descriptor.dacl is None:
        raise MdiError(f"{dn} has no DACL (a NULL DACL grants everyone full control); set one with an administrator tool first", target=dn)
    return descriptor


def write_dacl(client, dn: str, descriptor: SecurityDescriptor, dacl) -> None:
    """Replace the object's DACL (``descriptor`` is the one read, changed in place)."""
    descriptor.dacl = dacl
    client.modify(dn, {ATTRIBUTE: [(MODIFY_REPLACE, [descriptor.encode()])]}, controls=_dacl_only())


class Namer:
    """SDDL and words for ACEs, naming SIDs and GUIDs through the directory (cached per client)."""

    def __init__(self, client):
        self.client = client
        self.schema = SchemaResolver(client)
        self.domain_sid = client.domain.sid

    def prefetch(self, aces) -> None:
        """Look up the GUIDs of ``aces`` that words.py cannot name by itself, in one search for all."""
        guids = {str(g) for ace in aces for g in (getattr(ace, "object_type", None), getattr(ace, "inherited_object_type", None))
                 if g is not None and g not in WELL_KNOWN_GUID_NAMES}
        if guids:
            self.schema.known_guids(sorted(guids))

    def guid_name(self, guid):
        if guid in WELL_KNOWN_GUID_NAMES:
            return None  # words.py names these without a search
        found = self.schema.known_guids([str(guid)]).get(str(guid))
        return found.name if found else None

    def sid_name(self, sid: str):
        try:
            return resolve_principal(self.client, sid).name
        except MdiError:
            return None

    def sddl(self, ace) -> str | None:
        try:
            return ace_to_sddl(ace, self.domain_sid)
        except SddlError:  # callback and opaque ACEs: described in words only
            return None

    def describe(self, ace) -> dict:
        return {"sddl": self.sddl(ace), "description": describe_ace(ace, self.guid_name, self.sid_name)}

    def dacl_sddl(self, descriptor: SecurityDescriptor) -> str | None:
        try:
            return descriptor_to_sddl(descriptor, self.domain_sid)
        except SddlError:
            return None
