# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Directories for the ad_ace backend tests, built on _ldap/fakes.py's FakeClient.

DaclDirectory keeps whole security descriptors and honours the SD_FLAGS control as AD does: a read with
DACL only returns the DACL alone, a write with DACL only replaces the DACL and keeps owner, group and SACL.
RivalDirectory adds another administrator who writes the same DACL at moments a test chooses.
"""
from __future__ import annotations

from pyasn1.codec.ber import decoder

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.client import Entry
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd import descriptor as sd
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import INHERITED, Acl
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import FakeClient

try:
    from ldap3.protocol.microsoft import SdFlags
except ImportError:  # the unit tests need ldap3 anyway
    SdFlags = None

ATTRIBUTE = "ntsecuritydescriptor"
SD_FLAGS_OID = "1.2.840.113556.1.4.801"
# The control bits that belong to the DACL; the rest describe owner, group and SACL.
DACL_CONTROL = (sd.SE_SELF_RELATIVE | sd.SE_DACL_PRESENT | sd.SE_DACL_DEFAULTED | sd.SE_DACL_AUTO_INHERIT_REQ
                | sd.SE_DACL_AUTO_INHERITED | sd.SE_DACL_PROTECTED)


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


def dacl_view(raw: bytes) -> bytes:
    """What AD returns for SD_FLAGS=DACL: the DACL and its control bits, nothing else."""
    full = sd.SecurityDescriptor.parse(raw)
    return sd.SecurityDescriptor(dacl=full.dacl, control=full.control & DACL_CONTROL).encode()


class DaclDirectory(FakeClient):
    """FakeClient whose nTSecurityDescriptor behaves as on a DC. Only "all parts" (no control) and DACL-only
    are modelled: the ad_ace modules use nothing else, and anything else fails the test."""

    def set_descriptor(self, dn: str, descriptor: sd.SecurityDescriptor) -> None:
        self.objects[dn][ATTRIBUTE] = [descriptor.encode()]

    def descriptor(self, dn: str) -> sd.SecurityDescriptor:
        """The whole descriptor stored (owner, group, SACL and DACL), as a privileged reader sees it."""
        return sd.SecurityDescriptor.parse(self.objects[dn][ATTRIBUTE][0])

    @staticmethod
    def _dacl_only(controls) -> bool:
        flags = sd_flags(controls)
        assert flags in (None, sd.DACL_SECURITY_INFORMATION), f"the fake models SD_FLAGS=DACL only, not {flags}"
        return flags is not None

    def search(self, base: str, ldap_filter: str, attributes, scope: str = "SUBTREE", controls=None, paged: bool = True) -> list[Entry]:
        found = super().search(base, ldap_filter, attributes, scope, controls, paged)
        if not self._dacl_only(controls):
            return found
        return [Entry(e.dn, {a: [dacl_view(v) for v in e.values(a)] if a.lower() == ATTRIBUTE else e.values(a) for a in attributes})
                for e in found]

    def modify(self, dn: str, changes: dict, controls=None) -> None:
        stored = self.objects.get(dn, {}).get(ATTRIBUTE)
        super().modify(dn, changes, controls)  # records what the client sent, and stores it as sent
        written = self.objects[dn].get(ATTRIBUTE)
        if stored and written and self._dacl_only(controls):  # the DC merges the DACL into what it holds
            full, dacl = sd.SecurityDescriptor.parse(stored[0]), sd.SecurityDescriptor.parse(written[0])
            full.dacl = dacl.dacl
            full.control = (full.control & ~DACL_CONTROL) | (dacl.control & DACL_CONTROL)
            self.set_descriptor(dn, full)


class RivalDirectory(DaclDirectory):
    """Another administrator grants ``rival_ace`` on the same object:

    - right after each DACL read whose number (1 = the first) is in ``after_reads``: a change between our read and our write;
    - over each of our first ``clobbers`` writes, with the DACL read before ours: a lost update, our ACEs vanish.
    Rival writes are not in ``writes`` (those are ours); ``rival_writes`` counts them."""

    def __init__(self, rival_ace, after_reads=(), clobbers: int = 0):
        super().__init__()
        self.rival_ace, self.after_reads, self.clobbers = rival_ace, set(after_reads), clobbers
        self.dacl_reads = self.rival_writes = 0

    def _rival_write(self, dn: str, seen: sd.SecurityDescriptor) -> None:
        dacl = Acl.parse(seen.dacl.encode())
        dacl.ensure(self.rival_ace)
        seen.dacl = dacl
        self.set_descriptor(dn, seen)
        self.rival_writes += 1

    def read(self, dn: str, attributes, controls=None) -> Entry | None:
        found = super().read(dn, attributes, controls)
        if found is not None and ATTRIBUTE in (a.lower() for a in attributes):
            self.dacl_reads += 1
            if self.dacl_reads in self.after_reads:
                self._rival_write(dn, self.descriptor(dn))
        return found

    def modify(self, dn: str, changes: dict, controls=None) -> None:
        before_ours = self.descriptor(dn)
        super().modify(dn, changes, controls)
        if self.clobbers > 0:
            self.clobbers -= 1
            self._rival_write(dn, before_ours)
