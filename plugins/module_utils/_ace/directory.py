# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: a DACL or SACL read and written over LDAP, and names for display.

Reads and writes use the SD_FLAGS control with the one part they need (DACL 0x4 or SACL 0x8), so the
other parts are neither needed (reading the SACL takes a privilege) nor rewritten. Objects in a
CN=Deleted Objects container, and the container itself, are hidden without the Show Deleted control.
"""
from __future__ import annotations

import re

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import LdapError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.principals import resolve_principal
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.schema import SchemaResolver
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import Acl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import (
    DACL_SECURITY_INFORMATION, OWNER_SECURITY_INFORMATION, SACL_SECURITY_INFORMATION, SecurityDescriptor,
)
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.errors import SddlError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import ace_to_sddl, descriptor_to_sddl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.well_known_guids import WELL_KNOWN_GUID_NAMES
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.words import describe_ace

try:
    from ldap3 import MODIFY_REPLACE
    from ldap3.core.exceptions import LDAPException
    from ldap3.protocol.microsoft import security_descriptor_control
    from ldap3.utils.conv import escape_filter_chars
except ImportError:  # connection.py reports the missing library; no client exists without it
    MODIFY_REPLACE = "MODIFY_REPLACE"
    LDAPException = Exception
    security_descriptor_control = escape_filter_chars = None

ATTRIBUTE = "nTSecurityDescriptor"
DACL, SACL = "dacl", "sacl"
PART_FLAGS = {DACL: DACL_SECURITY_INFORMATION, SACL: SACL_SECURITY_INFORMATION}
SHOW_DELETED_OID = "1.2.840.113556.1.4.417"
_DELETED_OBJECTS = re.compile(r"(?:^|,)\s*CN=Deleted Objects\s*(?:,|$)", re.IGNORECASE)
_DN_SPACES = re.compile(r"\s*([,=])\s*")
# What AdminSDHolder protects: accounts (users, computers, service accounts: all of class user) and groups. The classes
# also let the DC find them through its objectClass index instead of reading the whole subtree (adminCount has none).
PROTECTED_FILTER = "(&(adminCount=1)(|(objectClass=user)(objectClass=group)))"
_PROTECTED_CLASSES = {"user", "group"}
SECURITY_PRIVILEGE_FIX = ("the SACL is readable and writable only with SeSecurityPrivilege (\"Manage auditing and security log\"), which "
                          "Administrators hold on domain controllers: bind as a member of Administrators, or grant the bind account that "
                          "right in the Default Domain Controllers Policy")


class DescriptorUnreadable(MdiError):
    """The DC returned the object without the part asked for: the bind account may not read it."""


def in_deleted_objects(dn: str) -> bool:
    """True for a CN=Deleted Objects container and anything in one."""
    return bool(_DELETED_OBJECTS.search(dn))


def _controls(dn: str, flags: int) -> list:
    controls = security_descriptor_control(sdflags=flags)
    if in_deleted_objects(dn):  # hidden (isDeleted) otherwise: a read finds nothing, a write finds no object
        controls.append((SHOW_DELETED_OID, True, None))
    return controls


def _unreadable(dn: str, part: str) -> DescriptorUnreadable:
    if part == SACL:
        return DescriptorUnreadable(f"cannot read the SACL of {dn}: {SECURITY_PRIVILEGE_FIX}", target=dn)
    hint = (" CN=Deleted Objects grants Administrators only List Contents and Read Property: with ad_ace, take_ownership=true makes the bind "
            "account its owner first (as dsacls /takeOwnership does), and an owner may always read and change the DACL"
            if in_deleted_objects(dn) else "")
    return DescriptorUnreadable(f"cannot read the DACL of {dn}: the account needs Read permissions on it.{hint}", target=dn)


def read_descriptor(client, dn: str, part: str = DACL) -> SecurityDescriptor:
    """The object's descriptor with ``part`` (DACL or SACL) only; raises MdiError when the object or that part cannot be read.
    An object without a SACL gets an empty one."""
    return _descriptor_of(client.read(dn, [ATTRIBUTE], controls=_controls(dn, PART_FLAGS[part])), dn, part)


def protected_accounts(client, dn: str) -> list[str]:
    """The DNs of the protected accounts and groups (PROTECTED_FILTER) under ``dn``, itself included."""
    return [entry.dn for entry in client.search(dn, PROTECTED_FILTER, ["cn"])]


def read_dacl_and_protected(client, dn: str) -> tuple[SecurityDescriptor, list[str]]:
    """read_descriptor(client, dn) and protected_accounts(client, dn) in one subtree search; their DACLs come along
    unused, which costs less than a second round trip while they are few."""
    entries = client.search(dn, f"(|(distinguishedName={escape_filter_chars(dn)}){PROTECTED_FILTER})",
                            [ATTRIBUTE, "adminCount", "objectClass"], controls=_controls(dn, DACL_SECURITY_INFORMATION))
    protected = [entry.dn for entry in entries  # the target itself comes whether protected or not
                 if entry.integer("adminCount") == 1 and _PROTECTED_CLASSES & {name.lower() for name in entry.texts("objectClass")}]
    own = next((entry for entry in entries if _dn_key(entry.dn) == _dn_key(dn)), None)
    if own is None:  # a DN written unlike the DC writes it (escapes): read the object itself
        return read_descriptor(client, dn), protected
    return _descriptor_of(own, dn, DACL), protected


def _dn_key(dn: str) -> str:
    """``dn`` compared as the DC compares it, as far as case and spaces around separators go."""
    return _DN_SPACES.sub(r"\1", dn.strip().lower())


def _descriptor_of(entry, dn: str, part: str) -> SecurityDescriptor:
    if entry is None:
        raise MdiError(f"the target {dn} does not exist: check target (the DN of an existing object; leave it out for the domain root)",
                       target=dn)
    raw = entry.first(ATTRIBUTE)
    if raw is None:
        raise _unreadable(dn, part)
    descriptor = SecurityDescriptor.parse(raw)
    if part == SACL and descriptor.sacl is None:
        descriptor.sacl = Acl()
    if descriptor.dacl is None and part == DACL:
        raise MdiError(f"{dn} has no DACL (a NULL DACL grants everyone full control); set one with an administrator tool first", target=dn)
    return descriptor


def write_acl(client, dn: str, descriptor: SecurityDescriptor, part: str, acl) -> None:
    """Replace the object's DACL or SACL (``descriptor`` is the one read, changed in place)."""
    setattr(descriptor, part, acl)
    try:
        client.modify(dn, {ATTRIBUTE: [(MODIFY_REPLACE, [descriptor.encode()])]}, controls=_controls(dn, PART_FLAGS[part]))
    except LdapError as exc:
        if part == SACL and (exc.details.get("ldap_result") or {}).get("description") == "insufficientAccessRights":
            raise MdiError(f"cannot write the SACL of {dn}: {SECURITY_PRIVILEGE_FIX}", target=dn) from exc
        raise


def write_dacl(client, dn: str, descriptor: SecurityDescriptor, dacl) -> None:
    """Replace the object's DACL (``descriptor`` is the one read, changed in place)."""
    write_acl(client, dn, descriptor, DACL, dacl)


def bind_account_sid(client) -> str:
    """The SID of the account the connection is bound as (LDAP Who am I?, RFC 4532)."""
    try:
        who = client.conn.extend.standard.who_am_i() or ""
    except LDAPException as exc:
        raise MdiError(f"cannot tell which account the connection is bound as (LDAP Who am I? failed: {exc})") from exc
    name = who.split(":", 1)[1] if ":" in who else who
    if not name:
        raise MdiError("the domain controller does not say which account the connection is bound as (an anonymous bind?)")
    return resolve_principal(client, name).sid


def take_ownership(client, dn: str) -> str:
    """Make the bind account the owner of ``dn`` (what dsacls /takeOwnership does); only the owner is written. Needs
    WRITE_OWNER or SeTakeOwnershipPrivilege (Administrators hold it). Returns the new owner's SID."""
    sid = bind_account_sid(client)
    client.modify(dn, {ATTRIBUTE: [(MODIFY_REPLACE, [SecurityDescriptor(owner=sid).encode()])]},
                  controls=_controls(dn, OWNER_SECURITY_INFORMATION))
    return sid


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
        """The descriptor as read (one part: D:... or S:...) in SDDL."""
        try:
            return descriptor_to_sddl(descriptor, self.domain_sid)
        except SddlError:
            return None
