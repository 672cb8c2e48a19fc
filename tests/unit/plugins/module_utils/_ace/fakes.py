# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Directories for the ad_ace backend tests, built on _ldap/fakes.py's FakeClient.

DaclDirectory keeps whole security descriptors and honours the SD_FLAGS control as AD does: a read with
DACL (or SACL) only returns that part alone, a write with one part replaces it and keeps the others. The SACL takes
SeSecurityPrivilege (``security_privilege``); a DACL without Read permission (``unreadable``) is returned only to its
owner; objects in CN=Deleted Objects are found only with the Show Deleted control. ``descriptor_reads`` records each
search that asks for nTSecurityDescriptor: (base, scope, SD_FLAGS, Show Deleted).
RivalDirectory adds another administrator who writes the same DACL at moments a test chooses.
"""
from __future__ import annotations

from pyasn1.codec.ber import decoder

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.client import Entry
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import LdapError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd import descriptor as sd
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import INHERITED, Acl
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import DOMAIN_SID, FakeClient

try:
    from ldap3.protocol.microsoft import SdFlags
except ImportError:  # the unit tests need ldap3 anyway
    SdFlags = None

ATTRIBUTE = "ntsecuritydescriptor"
SD_FLAGS_OID = "1.2.840.113556.1.4.801"
SHOW_DELETED_OID = "1.2.840.113556.1.4.417"
# The control bits that belong to the DACL, and to the SACL; the rest describe owner and group.
DACL_CONTROL = (sd.SE_SELF_RELATIVE | sd.SE_DACL_PRESENT | sd.SE_DACL_DEFAULTED | sd.SE_DACL_AUTO_INHERIT_REQ
                | sd.SE_DACL_AUTO_INHERITED | sd.SE_DACL_PROTECTED)
SACL_CONTROL = (sd.SE_SELF_RELATIVE | sd.SE_SACL_PRESENT | sd.SE_SACL_DEFAULTED | sd.SE_SACL_AUTO_INHERIT_REQ
                | sd.SE_SACL_AUTO_INHERITED | sd.SE_SACL_PROTECTED)
PART_OF_FLAGS = {sd.DACL_SECURITY_INFORMATION: ("dacl", DACL_CONTROL), sd.SACL_SECURITY_INFORMATION: ("sacl", SACL_CONTROL)}
BIND_SID = f"{DOMAIN_SID}-500"  # the account the fake says it is bound as (Who am I?): seed it with account("Administrator", 500)


def others(acl: Acl, sid: str) -> list:
    """Every ACE not an explicit ACE of ``sid``, as bytes, in order: what a task for ``sid`` must leave alone."""
    mine = {index for index in acl.indexes_for_sid(sid) if acl.category(index) != INHERITED}
    return [raw for index, raw in enumerate(acl.raw_entries) if index not in mine]


def sd_flags(controls) -> int | None:
    """The value of the SD_FLAGS control among ldap3 ``controls``; None when it is not there."""
    for control in controls or []:
        if str(control["controlType"]) == SD_FLAGS_OID:
            return int(decoder.decode(bytes(control["controlValue"]), asn1Spec=SdFlags())[0]["Flags"])
    return None


def part_view(raw: bytes, flags: int = sd.DACL_SECURITY_INFORMATION) -> bytes:
    """What AD returns for SD_FLAGS=DACL (or SACL): that ACL and its control bits, nothing else."""
    full = sd.SecurityDescriptor.parse(raw)
    part, control = PART_OF_FLAGS[flags]
    return sd.SecurityDescriptor(**{part: getattr(full, part)}, control=full.control & control).encode()


def show_deleted(controls) -> bool:
    return any(str(control[0] if isinstance(control, tuple) else control["controlType"]) == SHOW_DELETED_OID for control in controls or [])


class _WhoAmI:
    """What the modules use of ldap3's connection: ``conn.extend.standard.who_am_i()`` (RFC 4532)."""

    def __init__(self, answer: str):
        self.answer = answer
        self.extend = self.standard = self

    def who_am_i(self) -> str:
        return self.answer


class DaclDirectory(FakeClient):
    """FakeClient whose nTSecurityDescriptor behaves as on a DC. "All parts" (no control), DACL only, SACL only and
    owner only (writes) are modelled: the ad_ace modules use nothing else, and anything else fails the test."""

    def __init__(self):
        super().__init__()
        self.security_privilege = True  # SeSecurityPrivilege: the SACL is read and written
        self.unreadable: set = set()  # DNs whose DACL grants the bind account no Read permissions (unless it owns them)
        self.descriptor_reads: list[tuple[str, str, int | None, bool]] = []
        self.conn = _WhoAmI("u:CORP\\Administrator")

    def add(self, dn: str, object_class=None, attributes: dict | None = None, controls=None, **attrs) -> str:
        """FakeClient.add; every object also holds its distinguishedName, as in AD, for filters that name it."""
        super().add(dn, object_class, attributes, controls, **attrs)
        self.objects[dn]["distinguishedname"] = [dn.encode()]
        return dn

    def set_descriptor(self, dn: str, descriptor: sd.SecurityDescriptor) -> None:
        self.objects[dn][ATTRIBUTE] = [descriptor.encode()]

    def descriptor(self, dn: str) -> sd.SecurityDescriptor:
        """The whole descriptor stored (owner, group, SACL and DACL), as a privileged reader sees it."""
        return sd.SecurityDescriptor.parse(self.objects[dn][ATTRIBUTE][0])

    @staticmethod
    def _flags(controls) -> int | None:
        flags = sd_flags(controls)
        assert flags in (None, sd.OWNER_SECURITY_INFORMATION, *PART_OF_FLAGS), f"the fake models one part per SD_FLAGS, not {flags}"
        return flags

    def _hidden(self, dn: str, controls) -> bool:
        return "cn=deleted objects" in dn.lower() and not show_deleted(controls)

    def _view(self, dn: str, raw: bytes, flags: int | None) -> list:
        if flags is None:
            return [raw]
        if flags == sd.SACL_SECURITY_INFORMATION and not self.security_privilege:
            return []  # AD leaves the attribute out
        if flags == sd.DACL_SECURITY_INFORMATION and dn in self.unreadable and self.descriptor(dn).owner != BIND_SID:
            return []
        return [part_view(raw, flags)]

    def search(self, base: str, ldap_filter: str, attributes, scope: str = "SUBTREE", controls=None, paged: bool = True) -> list[Entry]:
        found = [e for e in super().search(base, ldap_filter, attributes, scope, controls, paged) if not self._hidden(e.dn, controls)]
        flags = self._flags(controls)
        if ATTRIBUTE in (a.lower() for a in attributes):
            self.descriptor_reads.append((base, scope, flags, show_deleted(controls)))
        return [Entry(e.dn, {a: [v for raw in e.values(a) for v in self._view(e.dn, raw, flags)] if a.lower() == ATTRIBUTE else e.values(a)
                             for a in attributes}) for e in found]

    def modify(self, dn: str, changes: dict, controls=None) -> None:
        flags = self._flags(controls)
        if self._hidden(dn, controls):
            self._existing(f"hidden:{dn}", "modify")  # noSuchObject, as AD answers for a deleted object without Show Deleted
        if flags == sd.SACL_SECURITY_INFORMATION and not self.security_privilege:
            raise LdapError(f"the bind account lacks the right to modify {dn}",
                            ldap_result={"result": 50, "description": "insufficientAccessRights"})
        stored = self.objects.get(dn, {}).get(ATTRIBUTE)
        super().modify(dn, changes, controls)  # records what the client sent, and stores it as sent
        written = self.objects[dn].get(ATTRIBUTE)
        if stored and written and flags is not None:  # the DC merges the part into what it holds
            full, sent = sd.SecurityDescriptor.parse(stored[0]), sd.SecurityDescriptor.parse(written[0])
            if flags == sd.OWNER_SECURITY_INFORMATION:
                full.owner = sent.owner
            else:
                part, control = PART_OF_FLAGS[flags]
                setattr(full, part, getattr(sent, part))
                full.control = (full.control & ~control) | (sent.control & control) | sd.SE_SELF_RELATIVE
            self.set_descriptor(dn, full)


class RivalDirectory(DaclDirectory):
    """Another administrator grants ``rival_ace`` on the same object:

    - right after each read of a descriptor (a search that returns one; 1 = the first) whose number is in ``after_reads``:
      a change between that read and what we do next. ``after_reads`` may map numbers to the ACE granted then instead;
    - over each of our first ``clobbers`` writes, with the DACL read before ours: a lost update, our ACEs vanish.
    Rival writes are not in ``writes`` (those are ours); ``rival_writes`` counts them."""

    def __init__(self, rival_ace, after_reads=(), clobbers: int = 0):
        super().__init__()
        self.rival_ace, self.clobbers = rival_ace, clobbers
        self.after_reads = dict(after_reads) if isinstance(after_reads, dict) else dict.fromkeys(after_reads, rival_ace)
        self.dacl_reads = self.rival_writes = 0

    def _rival_write(self, dn: str, seen: sd.SecurityDescriptor, ace=None) -> None:
        dacl = Acl.parse(seen.dacl.encode())
        dacl.ensure(ace or self.rival_ace)
        seen.dacl = dacl
        self.set_descriptor(dn, seen)
        self.rival_writes += 1

    def search(self, base: str, ldap_filter: str, attributes, scope: str = "SUBTREE", controls=None, paged: bool = True) -> list[Entry]:
        found = super().search(base, ldap_filter, attributes, scope, controls, paged)
        if any(entry.dn == base for entry in found) and ATTRIBUTE in (a.lower() for a in attributes):
            self.dacl_reads += 1
            if self.dacl_reads in self.after_reads:
                self._rival_write(base, self.descriptor(base), self.after_reads[self.dacl_reads])
        return found

    def modify(self, dn: str, changes: dict, controls=None) -> None:
        before_ours = self.descriptor(dn)
        super().modify(dn, changes, controls)
        if self.clobbers > 0:
            self.clobbers -= 1
            self._rival_write(dn, before_ours)
