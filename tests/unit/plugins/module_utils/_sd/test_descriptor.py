# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _sd/descriptor.py: self-relative security descriptors, layouts and malformed input."""
from __future__ import annotations

import random
import struct

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd import descriptor as sd_mod
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import Acl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.errors import SecurityDescriptorError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.presets import mdi_action_account_aces
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import ace_from_sddl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import sid_to_bytes

HEADER = struct.Struct("<BBHIIII")
SID = "S-1-5-21-1-2-3-1102"


def test_ms_dtyp_example_field_by_field(ms_dtyp_example):
    """MS-DTYP 2.5.1.4: the descriptor Windows builds from O:BAG:BAD:P(A;CIOI;GRGX;;;BU)...S:P(AU;FA;GR;;;WD)."""
    raw = ms_dtyp_example["raw"]
    sd = SecurityDescriptor.parse(raw)
    assert len(raw) == 0xB0
    assert sd.control == 0xB014  # self-relative, SACL and DACL protected and present
    assert sd.layout == ("sacl", "dacl", "owner", "group")
    assert (sd.owner, sd.group) == ("S-1-5-32-544", "S-1-5-32-544")
    assert (sd.sacl.revision, sd.dacl.revision) == (2, 2)
    assert [(a.ace_type, a.flags, a.mask, a.sid) for a in sd.sacl] == [(0x02, 0x80, 0x80000000, "S-1-1-0")]
    assert [(a.ace_type, a.flags, a.mask, a.sid) for a in sd.dacl] == [
        (0x00, 0x03, 0xA0000000, "S-1-5-32-545"),
        (0x00, 0x03, 0x10000000, "S-1-5-32-544"),
        (0x00, 0x03, 0x10000000, "S-1-5-18"),
        (0x00, 0x03, 0x10000000, "S-1-3-0"),
    ]
    assert sd.encode() == raw
    sd.dacl.insert_canonical(ace_from_sddl("(D;;GA;;;AN)"))
    assert SecurityDescriptor.parse(sd.encode()).layout == ("sacl", "dacl", "owner", "group")


def _offsets(raw: bytes) -> dict:
    return dict(zip(sd_mod.PARTS, HEADER.unpack_from(raw)[3:]))


@pytest.mark.parametrize("name, layout, control", [
    ("domain_root_dacl", ("dacl",), 0x8404),
    ("domain_root_full", ("owner", "group", "sacl", "dacl"), 0x8C14),
    ("ou_dacl", ("dacl",), 0x8404),
    ("ou_full", ("owner", "group", "sacl", "dacl"), 0x8C17),
    ("gmsa_membership", ("owner", "dacl"), 0x8004),
])
def test_samba_descriptors_round_trip(samba, name, layout, control):
    raw = samba["descriptors"][name]["raw"]
    sd = SecurityDescriptor.parse(raw)
    assert sd.layout == layout
    assert sd.control == control
    assert sd.encode() == raw
    # Fully decoded and re-encoded ACE by ACE, the bytes are still the same.
    for acl in (sd.sacl, sd.dacl):
        if acl is not None:
            assert b"".join(ace.encode() for ace in acl) == b"".join(acl.raw_entries)


def test_dacl_only_read_has_no_owner_group_or_sacl(samba):
    """What a read with the SD_FLAGS control set to DACL_SECURITY_INFORMATION (4) returns."""
    sd = SecurityDescriptor.parse(samba["descriptors"]["domain_root_dacl"]["raw"])
    assert (sd.owner, sd.group, sd.sacl) == (None, None, None)
    assert len(sd.dacl) == 53
    assert _offsets(sd.encode()) == {"owner": 0, "group": 0, "sacl": 0, "dacl": 20}
    assert sd_mod.DACL_SECURITY_INFORMATION == 4


def test_changed_dacl_keeps_the_other_parts_and_their_order(samba):
    raw = samba["descriptors"]["domain_root_full"]["raw"]
    sd = SecurityDescriptor.parse(raw)
    for ace in mdi_action_account_aces(SID):
        sd.dacl.insert_canonical(ace)
    new = sd.encode()
    offsets, old_offsets = _offsets(new), _offsets(raw)
    assert offsets["owner"] < offsets["group"] < offsets["sacl"] < offsets["dacl"]
    assert new[:offsets["dacl"]][4:] == raw[:old_offsets["dacl"]][4:]  # control, owner, group and SACL untouched
    reparsed = SecurityDescriptor.parse(new)
    added = [ace.encode() for ace in mdi_action_account_aces(SID)]
    old_entries = list(SecurityDescriptor.parse(raw).dacl.raw_entries)
    assert [entry for entry in reparsed.dacl.raw_entries if entry not in added] == old_entries  # every old ACE, byte for byte, in order
    assert [entry for entry in reparsed.dacl.raw_entries if entry not in old_entries] == added


def _windows_layout() -> bytes:
    """Hand-built like Windows AD returns nTSecurityDescriptor: SACL, DACL, owner, group."""
    sacl = Acl([ace_from_sddl("(OU;CISA;WP;;;WD)")]).encode()
    dacl = Acl([ace_from_sddl("(A;;GA;;;SY)"), ace_from_sddl("(A;CIID;LC;;;AU)")]).encode()
    owner, group = sid_to_bytes("S-1-5-21-1-2-3-512"), sid_to_bytes("S-1-5-21-1-2-3-513")
    at_sacl = 20
    at_dacl = at_sacl + len(sacl)
    at_owner = at_dacl + len(dacl)
    at_group = at_owner + len(owner)
    header = HEADER.pack(1, 0, 0x8C14, at_owner, at_group, at_sacl, at_dacl)
    return header + sacl + dacl + owner + group


def test_windows_layout_is_preserved():
    raw = _windows_layout()
    sd = SecurityDescriptor.parse(raw)
    assert sd.layout == ("sacl", "dacl", "owner", "group")
    assert sd.encode() == raw
    sd.dacl.insert_canonical(ace_from_sddl("(D;;WP;;;WD)"))
    new = sd.encode()
    offsets = _offsets(new)
    assert offsets["sacl"] == 20 < offsets["dacl"] < offsets["owner"] < offsets["group"]
    assert new[offsets["owner"]:offsets["group"]] == sid_to_bytes("S-1-5-21-1-2-3-512")
    assert SecurityDescriptor.parse(new).dacl[0] == ace_from_sddl("(D;;WP;;;WD)")


def test_owner_change_alone_relays_parts():
    sd = SecurityDescriptor.parse(_windows_layout())
    sd.owner = "S-1-5-32-544"
    reparsed = SecurityDescriptor.parse(sd.encode())
    assert reparsed.owner == "S-1-5-32-544"
    assert reparsed.layout == ("sacl", "dacl", "owner", "group")


def test_new_descriptor_uses_the_default_layout():
    sd = SecurityDescriptor(owner="S-1-5-32-544", group="S-1-5-18", dacl=Acl([ace_from_sddl("(A;;RP;;;WD)")]),
                            sacl=Acl([ace_from_sddl("(AU;SA;WP;;;WD)")]))
    raw = sd.encode()
    revision, sbz1, control = struct.unpack_from("<BBH", raw)
    assert (revision, sbz1, control) == (1, 0, 0x8014)
    offsets = _offsets(raw)
    assert offsets["owner"] == 20 < offsets["group"] < offsets["sacl"] < offsets["dacl"]
    assert SecurityDescriptor.parse(raw).encode() == raw


def test_null_dacl_and_ignored_offset():
    null_dacl = HEADER.pack(1, 0, 0x8004, 0, 0, 0, 0)
    sd = SecurityDescriptor.parse(null_dacl)
    assert sd.dacl is None and sd.has_null_dacl
    assert sd.encode() == null_dacl
    # An ACL offset without its PRESENT flag is ignored.
    stray = HEADER.pack(1, 0, 0x8000, 0, 0, 0, 20) + Acl([]).encode()
    sd = SecurityDescriptor.parse(stray)
    assert sd.dacl is None and not sd.has_null_dacl
    assert sd.encode() == stray


def test_invalid_layout():
    for layout in (("owner", "owner"), ("owner", "nosuch")):
        with pytest.raises(SecurityDescriptorError, match="must name each of owner, group, sacl, dacl at most once"):
            SecurityDescriptor(layout=layout)


def test_protected_flag():
    sd = SecurityDescriptor(dacl=Acl(), control=sd_mod.SE_DACL_PROTECTED)
    assert SecurityDescriptor.parse(sd.encode()).dacl_protected


def test_resource_manager_byte_is_kept():
    raw = bytearray(_windows_layout())
    raw[1] = 0x42
    raw[2:4] = struct.pack("<H", 0x8C14 | sd_mod.SE_RM_CONTROL_VALID)
    sd = SecurityDescriptor.parse(bytes(raw))
    assert sd.rm_control == 0x42
    sd.owner = "S-1-5-18"
    assert sd.encode()[1] == 0x42


# ---------------------------------------------------------------- malformed input
@pytest.mark.parametrize("raw, words", [
    (b"", "truncated: 0 bytes, the header alone needs 20"),
    (b"\x01\x00\x04\x80" + b"\x00" * 12, "truncated: 16 bytes"),
    (HEADER.pack(2, 0, 0x8004, 0, 0, 0, 0), "revision 2; only revision 1 exists"),
    (HEADER.pack(1, 0, 0x0004, 0, 0, 0, 0), "not self-relative"),
    (HEADER.pack(1, 0, 0x8004, 0, 0, 0, 99), "DACL offset 99 is outside the 20-byte buffer"),
    (HEADER.pack(1, 0, 0x8004, 8, 0, 0, 0) + b"\x00" * 16, "OWNER offset 8 is outside"),
    (HEADER.pack(1, 0, 0x8004, 20, 0, 0, 0) + b"\x01\x05\x00\x00", "owner: SID at offset 20 is truncated"),
    (HEADER.pack(1, 0, 0x8004, 0, 20, 0, 0) + b"\x07\x01\x00\x00\x00\x00\x00\x05\x12\x00\x00\x00", "group: SID at offset 20 has revision 7"),
    (HEADER.pack(1, 0, 0x8004, 0, 0, 0, 20) + b"\x04\x00\x30\x00\x00\x00\x00\x00", "DACL at offset 20 declares 48 bytes but 8 are available"),
    (HEADER.pack(1, 0, 0x8014, 0, 0, 20, 0) + b"\x09\x00\x08\x00\x00\x00\x00\x00", "SACL at offset 20 has revision 9"),
])
def test_malformed_descriptors(raw, words):
    with pytest.raises(SecurityDescriptorError, match=words):
        SecurityDescriptor.parse(raw)


def test_not_bytes():
    with pytest.raises(SecurityDescriptorError, match="bytes, not str"):
        SecurityDescriptor.parse("AQAEgA==")


def _parse_everything(raw: bytes) -> None:
    sd = SecurityDescriptor.parse(raw)
    for acl in (sd.sacl, sd.dacl):
        for _ace in acl or ():
            pass
    assert sd.encode() == raw


def test_every_truncation_fails_cleanly(samba, windows_gmsa):
    """Truncated values raise SecurityDescriptorError, never IndexError or struct.error."""
    for raw in (samba["descriptors"]["ou_full"]["raw"], windows_gmsa["raw"]):
        for length in range(len(raw)):
            try:
                _parse_everything(raw[:length])
            except SecurityDescriptorError:
                pass


def test_random_corruption_fails_cleanly(samba):
    rng = random.Random(20261127)
    originals = [item["raw"] for item in samba["descriptors"].values()]
    for _round in range(3000):
        raw = bytearray(rng.choice(originals))
        for _flip in range(rng.randint(1, 4)):
            raw[rng.randrange(min(len(raw), 64) if rng.random() < 0.5 else len(raw))] = rng.randrange(256)
        try:
            _parse_everything(bytes(raw))
        except SecurityDescriptorError:
            pass
