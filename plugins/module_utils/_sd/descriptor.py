# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: self-relative security descriptors (MS-DTYP 2.4.6).

Parsing keeps the descriptor's bytes and the order its parts were laid out in (Samba and .NET write
owner, group, SACL, DACL; Windows' own example in MS-DTYP 2.5.1.4 is SACL, DACL, owner, group): an
unchanged descriptor encodes to the exact bytes read, and a changed one keeps its parts in that order. A descriptor read
with the LDAP SD_FLAGS control set to DACL only (4) simply has no owner, group or SACL.
"""
from __future__ import annotations

import struct

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import Acl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.errors import SecurityDescriptorError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import normalize_sid, sid_from_bytes, sid_to_bytes

SECURITY_DESCRIPTOR_REVISION = 1

# Control flags (MS-DTYP 2.4.6).
SE_OWNER_DEFAULTED = 0x0001
SE_GROUP_DEFAULTED = 0x0002
SE_DACL_PRESENT = 0x0004
SE_DACL_DEFAULTED = 0x0008
SE_SACL_PRESENT = 0x0010
SE_SACL_DEFAULTED = 0x0020
SE_DACL_TRUSTED = 0x0040
SE_SERVER_SECURITY = 0x0080
SE_DACL_AUTO_INHERIT_REQ = 0x0100
SE_SACL_AUTO_INHERIT_REQ = 0x0200
SE_DACL_AUTO_INHERITED = 0x0400
SE_SACL_AUTO_INHERITED = 0x0800
SE_DACL_PROTECTED = 0x1000
SE_SACL_PROTECTED = 0x2000
SE_RM_CONTROL_VALID = 0x4000
SE_SELF_RELATIVE = 0x8000

# Values of the LDAP SD_FLAGS control (1.2.840.113556.1.4.801): which parts a read returns or a write sets.
OWNER_SECURITY_INFORMATION = 0x1
GROUP_SECURITY_INFORMATION = 0x2
DACL_SECURITY_INFORMATION = 0x4
SACL_SECURITY_INFORMATION = 0x8

_HEADER = struct.Struct("<BBHIIII")
PARTS = ("owner", "group", "sacl", "dacl")
# Order of the parts in a new descriptor: what Samba, .NET and AD's msDS-GroupMSAMembership use.
DEFAULT_LAYOUT = ("owner", "group", "sacl", "dacl")


class SecurityDescriptor:
    """A self-relative security descriptor: control flags, owner and group SIDs, SACL and DACL."""

    __slots__ = ("control", "rm_control", "owner", "group", "sacl", "dacl", "layout", "_original", "_original_state")

    def __init__(self, owner: str | None = None, group: str | None = None, dacl: Acl | None = None, sacl: Acl | None = None,
                 control: int = 0, rm_control: int = 0, layout: tuple[str, ...] = DEFAULT_LAYOUT):
        self.control = control
        self.rm_control = rm_control
        self.owner = normalize_sid(owner) if owner is not None else None
        self.group = normalize_sid(group) if group is not None else None
        self.sacl = sacl
        self.dacl = dacl
        # Order of the parts in the encoded bytes; parse() sets it to the order it found.
        self.layout = tuple(layout)
        if sorted(self.layout) != sorted(set(self.layout)) or not set(self.layout) <= set(PARTS):
            raise SecurityDescriptorError(f"layout {self.layout} must name each of {', '.join(PARTS)} at most once")
        self._original: bytes | None = None
        self._original_state = None

    @classmethod
    def parse(cls, data: bytes) -> SecurityDescriptor:
        """Read a self-relative descriptor; ACLs are parsed lazily (see acl.py)."""
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise SecurityDescriptorError(f"a security descriptor is bytes, not {type(data).__name__}")
        data = bytes(data)
        if len(data) < _HEADER.size:
            raise SecurityDescriptorError(f"security descriptor is truncated: {len(data)} bytes, the header alone needs {_HEADER.size}")
        revision, rm_control, control, *offsets = _HEADER.unpack_from(data)
        if revision != SECURITY_DESCRIPTOR_REVISION:
            raise SecurityDescriptorError(f"security descriptor has revision {revision}; only revision 1 exists")
        if not control & SE_SELF_RELATIVE:
            raise SecurityDescriptorError("security descriptor is not self-relative (SE_SELF_RELATIVE is clear): it holds pointers, not offsets")
        placed = {}
        for name, offset in zip(PARTS, offsets):
            if offset and (offset < _HEADER.size or offset >= len(data)):
                raise SecurityDescriptorError(f"security descriptor's {name.upper()} offset {offset} is outside the {len(data)}-byte buffer")
            placed[name] = offset
        sd = cls(control=control, rm_control=rm_control)
        for name in ("owner", "group"):
            if placed[name]:
                try:
                    setattr(sd, name, sid_from_bytes(data, placed[name]))
                except SecurityDescriptorError as exc:
                    raise SecurityDescriptorError(f"security descriptor's {name}: {exc}") from exc
        # An ACL offset without its PRESENT flag is ignored, as Windows does; PRESENT without offset is a NULL ACL.
        if placed["sacl"] and control & SE_SACL_PRESENT:
            sd.sacl = Acl.parse(data, placed["sacl"], what="SACL")
        if placed["dacl"] and control & SE_DACL_PRESENT:
            sd.dacl = Acl.parse(data, placed["dacl"], what="DACL")
        present = [(offset, name) for name, offset in placed.items() if offset and sd._part(name) is not None]
        sd.layout = tuple(name for _offset, name in sorted(present))
        sd._original = data
        sd._original_state = sd._state()
        return sd

    def _part(self, name: str):
        return getattr(self, name)

    def _encoded_parts(self) -> dict[str, bytes]:
        parts = {}
        for name in ("owner", "group"):
            if self._part(name) is not None:
                parts[name] = sid_to_bytes(self._part(name))
        for name in ("sacl", "dacl"):
            acl = self._part(name)
            if acl is not None:
                if not isinstance(acl, Acl):
                    raise SecurityDescriptorError(f"security descriptor's {name} must be an Acl, not {type(acl).__name__}")
                parts[name] = acl.encode(name.upper())
        return parts

    def _encoded_control(self) -> int:
        control = self.control | SE_SELF_RELATIVE
        if self.dacl is not None:
            control |= SE_DACL_PRESENT
        if self.sacl is not None:
            control |= SE_SACL_PRESENT
        return control

    def _state(self):
        return self._encoded_control(), self.rm_control, self._encoded_parts()

    @property
    def has_null_dacl(self) -> bool:
        """True for a NULL DACL (DACL present, but no ACL): it grants everyone full access."""
        return self.dacl is None and bool(self.control & SE_DACL_PRESENT)

    @property
    def dacl_protected(self) -> bool:
        return bool(self.control & SE_DACL_PROTECTED)

    def encode(self) -> bytes:
        """The descriptor's self-relative binary form; the parsed bytes themselves while nothing changed."""
        state = self._state()
        if self._original is not None and state == self._original_state:
            return self._original
        control, rm_control, parts = state
        order = [name for name in self.layout if name in parts]
        order += [name for name in DEFAULT_LAYOUT if name in parts and name not in order]
        offsets = dict.fromkeys(PARTS, 0)
        body = bytearray()
        for name in order:
            offsets[name] = _HEADER.size + len(body)
            body += parts[name]
        header = _HEADER.pack(SECURITY_DESCRIPTOR_REVISION, rm_control, control, *(offsets[name] for name in PARTS))
        return header + bytes(body)

    def __repr__(self) -> str:
        return f"SecurityDescriptor(control=0x{self.control:04X}, owner={self.owner}, group={self.group}, sacl={self.sacl!r}, dacl={self.dacl!r})"
