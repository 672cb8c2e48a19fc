# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: one access control entry (MS-DTYP 2.4.4).

``Ace`` models the ACE layouts the collection reads and writes (plain and object ACEs, with their
callback variants); ``RawAce`` keeps any other type as opaque bytes, re-encoded byte for byte.
"""
from __future__ import annotations

import dataclasses
import struct
import uuid

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.errors import SecurityDescriptorError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import normalize_sid, sid_from_bytes, sid_length, sid_to_bytes

# ACE types (MS-DTYP 2.4.4.1).
ACCESS_ALLOWED_ACE_TYPE = 0x00
ACCESS_DENIED_ACE_TYPE = 0x01
SYSTEM_AUDIT_ACE_TYPE = 0x02
SYSTEM_ALARM_ACE_TYPE = 0x03
ACCESS_ALLOWED_COMPOUND_ACE_TYPE = 0x04
ACCESS_ALLOWED_OBJECT_ACE_TYPE = 0x05
ACCESS_DENIED_OBJECT_ACE_TYPE = 0x06
SYSTEM_AUDIT_OBJECT_ACE_TYPE = 0x07
SYSTEM_ALARM_OBJECT_ACE_TYPE = 0x08
ACCESS_ALLOWED_CALLBACK_ACE_TYPE = 0x09
ACCESS_DENIED_CALLBACK_ACE_TYPE = 0x0A
ACCESS_ALLOWED_CALLBACK_OBJECT_ACE_TYPE = 0x0B
ACCESS_DENIED_CALLBACK_OBJECT_ACE_TYPE = 0x0C
SYSTEM_AUDIT_CALLBACK_ACE_TYPE = 0x0D
SYSTEM_ALARM_CALLBACK_ACE_TYPE = 0x0E
SYSTEM_AUDIT_CALLBACK_OBJECT_ACE_TYPE = 0x0F
SYSTEM_ALARM_CALLBACK_OBJECT_ACE_TYPE = 0x10
SYSTEM_MANDATORY_LABEL_ACE_TYPE = 0x11
SYSTEM_RESOURCE_ATTRIBUTE_ACE_TYPE = 0x12
SYSTEM_SCOPED_POLICY_ID_ACE_TYPE = 0x13

# Header, mask, SID[, trailing data].
PLAIN_ACE_TYPES = frozenset({0x00, 0x01, 0x02, 0x03, 0x09, 0x0A, 0x0D, 0x0E, 0x11, 0x12, 0x13})
# Header, mask, object flags, [ObjectType], [InheritedObjectType], SID[, trailing data].
OBJECT_ACE_TYPES = frozenset({0x05, 0x06, 0x07, 0x08, 0x0B, 0x0C, 0x0F, 0x10})
ALLOW_ACE_TYPES = frozenset({0x00, 0x05, 0x09, 0x0B})
DENY_ACE_TYPES = frozenset({0x01, 0x06, 0x0A, 0x0C})
AUDIT_ACE_TYPES = frozenset({0x02, 0x07, 0x0D, 0x0F})

# ACE flags (MS-DTYP 2.4.4.1).
OBJECT_INHERIT_ACE = 0x01
CONTAINER_INHERIT_ACE = 0x02
NO_PROPAGATE_INHERIT_ACE = 0x04
INHERIT_ONLY_ACE = 0x08
INHERITED_ACE = 0x10
SUCCESSFUL_ACCESS_ACE_FLAG = 0x40
FAILED_ACCESS_ACE_FLAG = 0x80

# Object ACE flags (MS-DTYP 2.4.4.3).
ACE_OBJECT_TYPE_PRESENT = 0x1
ACE_INHERITED_OBJECT_TYPE_PRESENT = 0x2

# Access rights specific to directory objects (ADS_RIGHTS_ENUM, MS-ADTS 5.1.3.2).
ADS_RIGHT_DS_CREATE_CHILD = 0x00000001
ADS_RIGHT_DS_DELETE_CHILD = 0x00000002
ADS_RIGHT_ACTRL_DS_LIST = 0x00000004
ADS_RIGHT_DS_SELF = 0x00000008
ADS_RIGHT_DS_READ_PROP = 0x00000010
ADS_RIGHT_DS_WRITE_PROP = 0x00000020
ADS_RIGHT_DS_DELETE_TREE = 0x00000040
ADS_RIGHT_DS_LIST_OBJECT = 0x00000080
ADS_RIGHT_DS_CONTROL_ACCESS = 0x00000100
# Standard rights.
DELETE = ADS_RIGHT_DELETE = 0x00010000
READ_CONTROL = ADS_RIGHT_READ_CONTROL = 0x00020000
WRITE_DAC = ADS_RIGHT_WRITE_DAC = 0x00040000
WRITE_OWNER = ADS_RIGHT_WRITE_OWNER = 0x00080000
SYNCHRONIZE = ADS_RIGHT_SYNCHRONIZE = 0x00100000
ACCESS_SYSTEM_SECURITY = ADS_RIGHT_ACCESS_SYSTEM_SECURITY = 0x01000000
MAXIMUM_ALLOWED = 0x02000000
# Generic rights.
GENERIC_ALL = ADS_RIGHT_GENERIC_ALL = 0x10000000
GENERIC_EXECUTE = ADS_RIGHT_GENERIC_EXECUTE = 0x20000000
GENERIC_WRITE = ADS_RIGHT_GENERIC_WRITE = 0x40000000
GENERIC_READ = ADS_RIGHT_GENERIC_READ = 0x80000000
# What the generic rights map to on directory objects (MS-ADTS 5.1.3.3); "Full control" is 0xF01FF.
DS_GENERIC_READ = READ_CONTROL | ADS_RIGHT_ACTRL_DS_LIST | ADS_RIGHT_DS_READ_PROP | ADS_RIGHT_DS_LIST_OBJECT
DS_GENERIC_WRITE = READ_CONTROL | ADS_RIGHT_DS_SELF | ADS_RIGHT_DS_WRITE_PROP
DS_GENERIC_EXECUTE = READ_CONTROL | ADS_RIGHT_ACTRL_DS_LIST
DS_GENERIC_ALL = 0x000F01FF

# SDDL ace_flags tokens, in the order Windows writes them.
ACE_FLAG_TOKENS = (
    ("OI", OBJECT_INHERIT_ACE),
    ("CI", CONTAINER_INHERIT_ACE),
    ("NP", NO_PROPAGATE_INHERIT_ACE),
    ("IO", INHERIT_ONLY_ACE),
    ("ID", INHERITED_ACE),
    ("SA", SUCCESSFUL_ACCESS_ACE_FLAG),
    ("FA", FAILED_ACCESS_ACE_FLAG),
)

# SDDL rights tokens for single bits, in the order Windows writes them (ascending bits).
RIGHT_TOKENS = (
    ("CC", ADS_RIGHT_DS_CREATE_CHILD),
    ("DC", ADS_RIGHT_DS_DELETE_CHILD),
    ("LC", ADS_RIGHT_ACTRL_DS_LIST),
    ("SW", ADS_RIGHT_DS_SELF),
    ("RP", ADS_RIGHT_DS_READ_PROP),
    ("WP", ADS_RIGHT_DS_WRITE_PROP),
    ("DT", ADS_RIGHT_DS_DELETE_TREE),
    ("LO", ADS_RIGHT_DS_LIST_OBJECT),
    ("CR", ADS_RIGHT_DS_CONTROL_ACCESS),
    ("SD", DELETE),
    ("RC", READ_CONTROL),
    ("WD", WRITE_DAC),
    ("WO", WRITE_OWNER),
    ("GA", GENERIC_ALL),
    ("GX", GENERIC_EXECUTE),
    ("GW", GENERIC_WRITE),
    ("GR", GENERIC_READ),
)

# SDDL rights tokens that stand for several bits (file and registry objects); read, never written.
COMPOSITE_RIGHT_TOKENS = {
    "FA": 0x001F01FF,
    "FR": 0x00120089,
    "FW": 0x00120116,
    "FX": 0x001200A0,
    "KA": 0x000F003F,
    "KR": 0x00020019,
    "KW": 0x00020006,
    "KX": 0x00020019,
}

_HEADER = struct.Struct("<BBH")
_PLAIN = struct.Struct("<BBHI")
_OBJECT = struct.Struct("<BBHII")


def _as_guid(value, field: str) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise SecurityDescriptorError(f"ACE {field} '{value}' is not a GUID") from exc


@dataclasses.dataclass(frozen=True, slots=True)
class Ace:
    """An ACE with a plain or object layout; equal ACEs encode to equal bytes."""

    ace_type: int
    flags: int
    mask: int
    sid: str
    object_type: uuid.UUID | None = None
    inherited_object_type: uuid.UUID | None = None
    # Bytes after the SID (callback application data, resource attributes, padding), kept verbatim.
    application_data: bytes = b""

    def __post_init__(self):
        if self.ace_type not in PLAIN_ACE_TYPES and self.ace_type not in OBJECT_ACE_TYPES:
            raise SecurityDescriptorError(f"ACE type 0x{self.ace_type:02X} is not modelled; keep it as a RawAce")
        if not 0 <= self.flags <= 0xFF:
            raise SecurityDescriptorError(f"ACE flags 0x{self.flags:X} do not fit in one byte")
        if not 0 <= self.mask <= 0xFFFFFFFF:
            raise SecurityDescriptorError(f"ACE access mask 0x{self.mask:X} does not fit in 32 bits")
        object.__setattr__(self, "sid", normalize_sid(self.sid))
        object.__setattr__(self, "object_type", _as_guid(self.object_type, "object type"))
        object.__setattr__(self, "inherited_object_type", _as_guid(self.inherited_object_type, "inherited object type"))
        if not self.is_object_ace and (self.object_type is not None or self.inherited_object_type is not None):
            raise SecurityDescriptorError(f"ACE type 0x{self.ace_type:02X} cannot carry an object type or inherited object type")

    @property
    def is_object_ace(self) -> bool:
        return self.ace_type in OBJECT_ACE_TYPES

    @property
    def is_allow(self) -> bool:
        return self.ace_type in ALLOW_ACE_TYPES

    @property
    def is_deny(self) -> bool:
        return self.ace_type in DENY_ACE_TYPES

    @property
    def is_inherited(self) -> bool:
        return bool(self.flags & INHERITED_ACE)

    @property
    def is_inherit_only(self) -> bool:
        return bool(self.flags & INHERIT_ONLY_ACE)

    @property
    def object_flags(self) -> int:
        present = ACE_OBJECT_TYPE_PRESENT if self.object_type is not None else 0
        return present | (ACE_INHERITED_OBJECT_TYPE_PRESENT if self.inherited_object_type is not None else 0)

    def encode(self) -> bytes:
        """The ACE's binary form."""
        tail = sid_to_bytes(self.sid) + self.application_data
        if not self.is_object_ace:
            return _PLAIN.pack(self.ace_type, self.flags, _checked_size(_PLAIN.size + len(tail)), self.mask) + tail
        guids = b"".join(guid.bytes_le for guid in (self.object_type, self.inherited_object_type) if guid is not None)
        size = _checked_size(_OBJECT.size + len(guids) + len(tail))
        return _OBJECT.pack(self.ace_type, self.flags, size, self.mask, self.object_flags) + guids + tail


@dataclasses.dataclass(frozen=True, slots=True)
class RawAce:
    """An ACE of a type this package does not model, kept as its exact bytes."""

    data: bytes

    @property
    def ace_type(self) -> int:
        return self.data[0]

    @property
    def flags(self) -> int:
        return self.data[1]

    @property
    def is_inherited(self) -> bool:
        return bool(self.data[1] & INHERITED_ACE)

    def encode(self) -> bytes:
        return self.data


def _checked_size(size: int) -> int:
    if size > 0xFFFF:
        raise SecurityDescriptorError(f"ACE would be {size} bytes; an ACE is at most 65,535 bytes")
    return size


def ace_header(data: bytes, offset: int = 0, limit: int | None = None) -> tuple[int, int, int]:
    """(type, flags, size) of the ACE at ``offset``, with the size checked against the buffer."""
    end = len(data) if limit is None else limit
    if offset + _HEADER.size > end:
        raise SecurityDescriptorError(f"ACE at offset {offset} is truncated: {max(end - offset, 0)} bytes left, an ACE header needs 4")
    ace_type, flags, size = _HEADER.unpack_from(data, offset)
    if size < _HEADER.size:
        raise SecurityDescriptorError(f"ACE at offset {offset} declares a size of {size} bytes, smaller than its own header")
    if offset + size > end:
        raise SecurityDescriptorError(f"ACE at offset {offset} declares {size} bytes but only {end - offset} are left")
    return ace_type, flags, size


def sid_offset_in_ace(raw: bytes) -> int | None:
    """Where the SID starts inside one ACE's bytes, without decoding it; None for an unmodelled layout."""
    ace_type = raw[0]
    if ace_type in PLAIN_ACE_TYPES:
        return _PLAIN.size
    if ace_type in OBJECT_ACE_TYPES:
        if len(raw) < _OBJECT.size:
            return _OBJECT.size  # too short for its fixed fields: decode_ace reports it
        object_flags = struct.unpack_from("<I", raw, 8)[0]
        if object_flags & ~(ACE_OBJECT_TYPE_PRESENT | ACE_INHERITED_OBJECT_TYPE_PRESENT):
            return None
        return _OBJECT.size + 16 * bin(object_flags).count("1")
    return None


def decode_ace(data: bytes, offset: int = 0, limit: int | None = None) -> Ace | RawAce:
    """Decode the ACE at ``offset``: an Ace for modelled layouts, a RawAce (exact bytes) otherwise."""
    ace_type, flags, size = ace_header(data, offset, limit)
    raw = bytes(data[offset:offset + size])
    sid_at = sid_offset_in_ace(raw)
    if sid_at is None:
        return RawAce(raw)
    if size < sid_at:
        raise SecurityDescriptorError(f"ACE at offset {offset} (type 0x{ace_type:02X}) is {size} bytes, too short for its fixed fields")
    mask = struct.unpack_from("<I", raw, 4)[0]
    object_type = inherited_object_type = None
    if ace_type in OBJECT_ACE_TYPES:
        object_flags = struct.unpack_from("<I", raw, 8)[0]
        position = _OBJECT.size
        if object_flags & ACE_OBJECT_TYPE_PRESENT:
            object_type = uuid.UUID(bytes_le=raw[position:position + 16])
            position += 16
        if object_flags & ACE_INHERITED_OBJECT_TYPE_PRESENT:
            inherited_object_type = uuid.UUID(bytes_le=raw[position:position + 16])
    try:
        sid_size = sid_length(raw, sid_at)
    except SecurityDescriptorError as exc:
        raise SecurityDescriptorError(f"ACE at offset {offset} (type 0x{ace_type:02X}): {exc}") from exc
    return Ace(ace_type, flags, mask, sid_from_bytes(raw, sid_at), object_type, inherited_object_type, raw[sid_at + sid_size:])
