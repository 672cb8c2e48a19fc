# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _sd/ace.py: one ACE to and from bytes."""
from __future__ import annotations

import struct
import uuid

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd import ace as ace_mod
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.ace import Ace, RawAce, decode_ace
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.errors import SecurityDescriptorError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import sid_to_bytes

SID = "S-1-5-21-3838897567-2814878794-254827799-1102"
USER = uuid.UUID("bf967aba-0de6-11d0-a285-00aa003049e2")
PWD_LAST_SET = uuid.UUID("bf967a0a-0de6-11d0-a285-00aa003049e2")


def test_constants_match_ms_dtyp():
    assert (ace_mod.ACCESS_ALLOWED_OBJECT_ACE_TYPE, ace_mod.ACCESS_DENIED_OBJECT_ACE_TYPE) == (0x05, 0x06)
    flags = dict(ace_mod.ACE_FLAG_TOKENS)
    assert flags == {"OI": 0x01, "CI": 0x02, "NP": 0x04, "IO": 0x08, "ID": 0x10, "SA": 0x40, "FA": 0x80}
    rights = dict(ace_mod.RIGHT_TOKENS)
    assert (rights["RP"], rights["WP"], rights["CR"], rights["GA"], rights["GR"]) == (0x10, 0x20, 0x100, 0x10000000, 0x80000000)
    assert ace_mod.DS_GENERIC_ALL == sum(rights[t] for t in ("CC", "DC", "LC", "SW", "RP", "WP", "DT", "LO", "CR", "SD", "RC", "WD", "WO"))


def test_mdi_object_ace_field_by_field():
    """(OA;CIIO;RPWP;pwdLastSet;user;SID) byte for byte."""
    raw = Ace(0x05, 0x0A, 0x30, SID, PWD_LAST_SET, USER).encode()
    ace_type, flags, size, mask, object_flags = struct.unpack_from("<BBHII", raw)
    assert (ace_type, flags, mask, object_flags) == (0x05, 0x0A, 0x30, 0x3)
    assert size == len(raw) == 12 + 16 + 16 + 28
    # Windows GUIDs: the first three fields little-endian.
    assert raw[12:28] == PWD_LAST_SET.bytes_le == bytes.fromhex("0a7a96bfe60dd011a28500aa003049e2")
    assert raw[28:44] == USER.bytes_le == bytes.fromhex("ba7a96bfe60dd011a28500aa003049e2")
    assert raw[44:] == sid_to_bytes(SID)
    assert decode_ace(raw) == Ace(0x05, 0x0A, 0x30, SID, PWD_LAST_SET, USER)


@pytest.mark.parametrize("ace_type", sorted(ace_mod.PLAIN_ACE_TYPES))
def test_round_trip_plain_types(ace_type):
    ace = Ace(ace_type, 0x13, 0xF01FF, "S-1-5-32-544")
    raw = ace.encode()
    assert struct.unpack_from("<BBHI", raw) == (ace_type, 0x13, 8 + 16, 0xF01FF)
    assert decode_ace(raw) == ace
    assert decode_ace(raw).encode() == raw


@pytest.mark.parametrize("ace_type", sorted(ace_mod.OBJECT_ACE_TYPES))
@pytest.mark.parametrize("object_type, inherited", [(None, None), (PWD_LAST_SET, None), (None, USER), (PWD_LAST_SET, USER)])
def test_round_trip_object_types(ace_type, object_type, inherited):
    ace = Ace(ace_type, 0x0A, 0x100, SID, object_type, inherited)
    raw = ace.encode()
    assert len(raw) == 12 + 16 * ((object_type is not None) + (inherited is not None)) + 28
    decoded = decode_ace(raw)
    assert decoded == ace
    assert decoded.object_type == object_type and decoded.inherited_object_type == inherited
    assert decoded.encode() == raw


def test_application_data_is_kept():
    """Callback ACEs carry data after the SID; it re-encodes verbatim."""
    ace = Ace(ace_mod.ACCESS_ALLOWED_CALLBACK_ACE_TYPE, 0, 0x1, "S-1-1-0", application_data=b"artx\x00\x00\x00\x00")
    raw = ace.encode()
    assert raw.endswith(b"artx\x00\x00\x00\x00")
    assert decode_ace(raw) == ace


@pytest.mark.parametrize("raw", [
    bytes([0x04, 0x00, 0x0C, 0x00]) + b"\x01\x02\x03\x04\x05\x06\x07\x08",  # compound ACE
    bytes([0x14, 0x02, 0x08, 0x00, 0xAA, 0xBB, 0xCC, 0xDD]),  # a type from the future
    bytes([0xFF, 0x00, 0x04, 0x00]),
    # Object ACE with an object-flags bit this package does not know: kept opaque.
    struct.pack("<BBHII", 0x05, 0, 12 + 12, 0x10, 0x4) + sid_to_bytes("S-1-1-0"),
])
def test_unknown_layouts_stay_raw(raw):
    decoded = decode_ace(raw)
    assert isinstance(decoded, RawAce)
    assert decoded.encode() == raw
    assert (decoded.ace_type, decoded.flags) == (raw[0], raw[1])


def test_decode_at_offset_with_limit():
    raw = Ace(0x00, 0, 0x10, "S-1-1-0").encode()
    buffer = b"\x00" * 3 + raw + b"\xff"
    assert decode_ace(buffer, 3, 3 + len(raw)) == Ace(0x00, 0, 0x10, "S-1-1-0")
    assert ace_mod.ace_header(buffer, 3) == (0, 0, len(raw))


@pytest.mark.parametrize("raw, words", [
    (b"\x00\x00", "truncated: 2 bytes left"),
    (bytes([0x00, 0x00, 0x02, 0x00]), "smaller than its own header"),
    (bytes([0x00, 0x00, 0x40, 0x00]) + b"\x00" * 8, "declares 64 bytes but only 12 are left"),
    (bytes([0x00, 0x00, 0x06, 0x00, 0, 0]), "too short for its fixed fields"),
    (struct.pack("<BBHII", 0x05, 0, 12, 0x10, 0x1), "too short for its fixed fields"),
    (bytes([0x05, 0x00, 0x08, 0x00, 0x10, 0, 0, 0]), "too short for its fixed fields"),
    (struct.pack("<BBHI", 0x00, 0, 12, 0x10) + b"\x01\x01\x00\x00", "SID at offset 8 is truncated"),
    (struct.pack("<BBHI", 0x00, 0, 16, 0x10) + b"\x01\x05\x00\x00\x00\x00\x00\x05", "it needs 28 bytes"),
])
def test_malformed_aces(raw, words):
    with pytest.raises(SecurityDescriptorError, match=words):
        decode_ace(raw)


@pytest.mark.parametrize("kwargs, words", [
    ({"ace_type": 0x04}, "not modelled"),
    ({"ace_type": 0x30}, "not modelled"),
    ({"flags": 0x100}, "do not fit in one byte"),
    ({"mask": 1 << 32}, "does not fit in 32 bits"),
    ({"mask": -1}, "does not fit in 32 bits"),
    ({"sid": "BA"}, "is not a SID"),
    ({"object_type": USER}, "cannot carry an object type"),
    ({"ace_type": 0x05, "object_type": "not-a-guid"}, "is not a GUID"),
])
def test_invalid_ace_values(kwargs, words):
    values = {"ace_type": 0x00, "flags": 0, "mask": 0x10, "sid": "S-1-1-0", **kwargs}
    with pytest.raises(SecurityDescriptorError, match=words):
        Ace(**values)


def test_guid_strings_and_sid_are_normalized():
    ace = Ace(0x05, 0, 0x10, "s-1-5-32-0544", str(PWD_LAST_SET).upper())
    assert ace.sid == "S-1-5-32-544"
    assert ace.object_type == PWD_LAST_SET
    assert ace == Ace(0x05, 0, 0x10, "S-1-5-32-544", PWD_LAST_SET)
    assert hash(ace) == hash(Ace(0x05, 0, 0x10, "S-1-5-32-544", PWD_LAST_SET))


def test_oversized_ace():
    with pytest.raises(SecurityDescriptorError, match="at most 65,535 bytes"):
        Ace(0x09, 0, 0x1, "S-1-1-0", application_data=b"\x00" * 0x10000).encode()


def test_properties():
    ace = Ace(0x06, ace_mod.INHERITED_ACE | ace_mod.INHERIT_ONLY_ACE, 0x10, "S-1-1-0", USER)
    assert ace.is_deny and not ace.is_allow and ace.is_object_ace
    assert ace.is_inherited and ace.is_inherit_only
    assert ace.object_flags == ace_mod.ACE_OBJECT_TYPE_PRESENT
    assert RawAce(bytes([0x14, 0x10, 4, 0])).is_inherited
