# -*- coding: utf-8 -*-
"""The security-descriptor codec against real AD data: every nTSecurityDescriptor of the lab domain
(owner, group and DACL, read over LDAPS with the SD_FLAGS control) parses, re-encodes byte for byte,
and its DACL changes only where we change it."""
from __future__ import annotations

import sys
from pathlib import Path

from ldap3.protocol.microsoft import security_descriptor_control

REPO = Path(__file__).resolve().parent.parent.parent
COLLECTIONS = REPO / ".build" / "collections"
sys.path.insert(0, str(COLLECTIONS))

# pylint: disable=wrong-import-position
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.presets import mdi_action_account_aces  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import descriptor_to_sddl  # noqa: E402


def _descriptors(directory, base):
    entries = directory.extend.standard.paged_search(base, "(objectClass=*)", attributes=["nTSecurityDescriptor"],
                                                     controls=security_descriptor_control(sdflags=0x07), paged_size=500, generator=False)
    return [(e["dn"], e["raw_attributes"]["nTSecurityDescriptor"][0]) for e in entries if e.get("raw_attributes", {}).get("nTSecurityDescriptor")]


def test_every_descriptor_of_the_domain_round_trips(lab, directory):
    found = _descriptors(directory, lab["samba"]["base_dn"])
    assert len(found) > 100, f"only {len(found)} descriptors read"
    mismatched = [dn for dn, raw in found if SecurityDescriptor.parse(raw).encode() != raw]
    assert not mismatched, f"{len(mismatched)} of {len(found)} did not round-trip, e.g. {mismatched[:3]}"
    assert all(descriptor_to_sddl(SecurityDescriptor.parse(raw)).startswith("O:") for _dn, raw in found[:50])


def test_adding_the_preset_keeps_every_other_ace_byte_identical(lab, directory):
    (dn, raw), = _descriptors_one(directory, lab["samba"]["ous"]["lab"])
    descriptor = SecurityDescriptor.parse(raw)
    before = list(descriptor.dacl.raw_entries)
    for ace in mdi_action_account_aces(lab["samba"]["users"]["helpdesk"]["sid"]):
        descriptor.dacl.insert_canonical(ace)
    after = list(descriptor.dacl.raw_entries)
    assert len(after) == len(before) + 4, dn
    assert [entry for entry in after if entry in before] == before  # nothing else moved or changed


def _descriptors_one(directory, dn):
    directory.search(dn, "(objectClass=*)", search_scope="BASE", attributes=["nTSecurityDescriptor"],
                     controls=security_descriptor_control(sdflags=0x07))
    return [(dn, directory.response[0]["raw_attributes"]["nTSecurityDescriptor"][0])]
