# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _sd/gmsa_membership.py: who may retrieve a gMSA's password."""
from __future__ import annotations

import struct

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd import gmsa_membership as gm
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.errors import AclLimitError, SecurityDescriptorError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import descriptor_from_sddl

DOMAIN = "S-1-5-21-1-2-3"


def test_matches_what_windows_writes(windows_gmsa):
    """Byte for byte what a Windows Server 2019 DC holds for the same two principals."""
    assert gm.build_membership_descriptor(windows_gmsa["principals"]) == windows_gmsa["raw"]
    membership = gm.parse_membership(windows_gmsa["raw"])
    assert list(membership.principals) == windows_gmsa["principals"]
    assert membership.conventional and membership.denied == ()


def test_matches_what_samba_writes(samba):
    raw = samba["descriptors"]["gmsa_membership"]["raw"]
    membership = gm.parse_membership(raw)
    assert membership.principals == (samba["domain_sid"] + "-500", samba["domain_sid"] + "-1000")
    assert membership.conventional
    assert gm.build_membership_descriptor(membership.principals) == raw


def test_layout_field_by_field():
    raw = gm.build_membership_descriptor([DOMAIN + "-1000"])
    revision, sbz1, control, owner, group, sacl, dacl = struct.unpack_from("<BBHIIII", raw)
    assert (revision, sbz1, control, owner, group, sacl, dacl) == (1, 0, 0x8004, 20, 0, 0, 36)
    assert raw[20:36] == bytes.fromhex("01020000000000052000000020020000")  # BUILTIN\Administrators
    assert struct.unpack_from("<BBHHH", raw, 36) == (4, 0, 8 + 36, 1, 0)
    assert struct.unpack_from("<BBHI", raw, 44) == (0x00, 0x00, 36, 0xF01FF)


def test_order_kept_and_repeats_dropped():
    raw = gm.build_membership_descriptor([DOMAIN + "-1001", "s-1-5-21-1-2-3-1000", DOMAIN + "-1001"])
    assert gm.allowed_principals(raw) == [DOMAIN + "-1001", DOMAIN + "-1000"]


def test_nobody():
    raw = gm.build_membership_descriptor([])
    assert gm.allowed_principals(raw) == []
    assert gm.parse_membership(raw).conventional


def test_unconventional_values():
    sd = descriptor_from_sddl(f"O:BAG:BAD:(A;;RP;;;{DOMAIN}-1000)(D;;RP;;;{DOMAIN}-1001)(A;;GA;;;{DOMAIN}-1001)"
                              f"(A;IO;RP;;;{DOMAIN}-1002)(A;;LC;;;{DOMAIN}-1003)(OA;;RP;bf967a0a-0de6-11d0-a285-00aa003049e2;;{DOMAIN}-1004)")
    membership = gm.parse_membership(sd.encode())
    assert not membership.conventional
    assert membership.principals == (DOMAIN + "-1000", DOMAIN + "-1001")
    assert membership.denied == (DOMAIN + "-1001",)
    assert gm.allowed_principals(sd.encode()) == [DOMAIN + "-1000"]


def test_missing_or_null_dacl_means_everyone():
    assert gm.allowed_principals(descriptor_from_sddl("O:BAD:NO_ACCESS_CONTROL").encode()) == ["S-1-1-0"]
    assert gm.allowed_principals(descriptor_from_sddl("O:BA").encode()) == ["S-1-1-0"]


def test_errors():
    with pytest.raises(SecurityDescriptorError, match="is not a SID"):
        gm.build_membership_descriptor(["DC1$"])
    with pytest.raises(SecurityDescriptorError, match="truncated"):
        gm.parse_membership(b"\x01\x00\x04\x80")
    with pytest.raises(AclLimitError, match="2,001 ACEs"):
        gm.build_membership_descriptor(f"{DOMAIN}-{rid}" for rid in range(1000, 3001))
