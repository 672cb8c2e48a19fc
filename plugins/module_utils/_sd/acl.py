# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: access control lists (MS-DTYP 2.4.5), parsed lazily.

Parsing reads the ACL header and each ACE's type, flags and size, and keeps every ACE as its bytes:
a directory DACL holds up to ~2,000 ACEs of which a task touches a handful, so ACEs are decoded only
on demand, compared as bytes, and an unchanged ACL re-encodes to the exact bytes it was read from.
"""
from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.ace import (
    ACCESS_ALLOWED_ACE_TYPE,
    ACCESS_ALLOWED_CALLBACK_ACE_TYPE,
    ACCESS_ALLOWED_CALLBACK_OBJECT_ACE_TYPE,
    ACCESS_ALLOWED_OBJECT_ACE_TYPE,
    ACCESS_DENIED_ACE_TYPE,
    ACCESS_DENIED_CALLBACK_ACE_TYPE,
    ACCESS_DENIED_CALLBACK_OBJECT_ACE_TYPE,
    ACCESS_DENIED_OBJECT_ACE_TYPE,
    INHERITED_ACE,
    OBJECT_ACE_TYPES,
    Ace,
    RawAce,
    ace_header,
    decode_ace,
    sid_offset_in_ace,
)
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.errors import SecurityDescriptorError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.limits import MAX_ACE_COUNT, check_acl_limits
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import sid_from_bytes, sid_to_bytes

ACL_REVISION = 2
ACL_REVISION_DS = 4  # required as soon as the ACL holds an object ACE
_HEADER = struct.Struct("<BBHHH")

# Preferred order of a DACL (MS-DTYP 2.4.5; "Order of ACEs in a DACL" for directory objects):
# explicit deny, explicit deny-object, explicit allow, explicit allow-object, then every inherited
# ACE in the order inheritance produced it. Other explicit types go just before the inherited ones.
EXPLICIT_DENY = 0
EXPLICIT_DENY_OBJECT = 1
EXPLICIT_ALLOW = 2
EXPLICIT_ALLOW_OBJECT = 3
EXPLICIT_OTHER = 4
INHERITED = 5
_CATEGORY_OF_TYPE = {
    ACCESS_DENIED_ACE_TYPE: EXPLICIT_DENY,
    ACCESS_DENIED_CALLBACK_ACE_TYPE: EXPLICIT_DENY,
    ACCESS_DENIED_OBJECT_ACE_TYPE: EXPLICIT_DENY_OBJECT,
    ACCESS_DENIED_CALLBACK_OBJECT_ACE_TYPE: EXPLICIT_DENY_OBJECT,
    ACCESS_ALLOWED_ACE_TYPE: EXPLICIT_ALLOW,
    ACCESS_ALLOWED_CALLBACK_ACE_TYPE: EXPLICIT_ALLOW,
    ACCESS_ALLOWED_OBJECT_ACE_TYPE: EXPLICIT_ALLOW_OBJECT,
    ACCESS_ALLOWED_CALLBACK_OBJECT_ACE_TYPE: EXPLICIT_ALLOW_OBJECT,
}
# Windows only requires deny before allow and explicit before inherited; object vs plain is a preference.
_LOOSE = {EXPLICIT_DENY_OBJECT: EXPLICIT_DENY, EXPLICIT_ALLOW_OBJECT: EXPLICIT_ALLOW}


def ace_category(raw: bytes, strict: bool = True) -> int:
    """Canonical-order category of one ACE, from its first two bytes."""
    if raw[1] & INHERITED_ACE:
        return INHERITED
    category = _CATEGORY_OF_TYPE.get(raw[0], EXPLICIT_OTHER)
    return category if strict else _LOOSE.get(category, category)


def _encoded(ace: Ace | RawAce) -> bytes:
    if not isinstance(ace, (Ace, RawAce)):
        raise SecurityDescriptorError(f"an ACL holds Ace or RawAce objects, not {type(ace).__name__}")
    return ace.encode()


class Acl:
    """An ACL whose ACEs are kept as bytes and decoded on demand."""

    __slots__ = ("revision", "_entries", "_original", "max_aces")

    def __init__(self, aces: Iterable[Ace | RawAce] = (), revision: int = ACL_REVISION_DS, max_aces: int = MAX_ACE_COUNT):
        if revision not in (ACL_REVISION, ACL_REVISION_DS):
            raise SecurityDescriptorError(f"ACL revision {revision} is not 2 (ACL_REVISION) or 4 (ACL_REVISION_DS)")
        self.revision = revision
        self.max_aces = max_aces
        self._entries = [_encoded(ace) for ace in aces]
        self._original: bytes | None = None  # the exact bytes parsed, while nothing changed

    @classmethod
    def parse(cls, data: bytes, offset: int = 0, limit: int | None = None, what: str = "ACL") -> Acl:
        """Read the ACL at ``offset``: header and ACE boundaries only, every ACE kept as bytes."""
        end = len(data) if limit is None else limit
        if offset + _HEADER.size > end:
            raise SecurityDescriptorError(f"{what} at offset {offset} is truncated: {max(end - offset, 0)} bytes left, an ACL header needs 8")
        revision, _sbz1, size, count, _sbz2 = _HEADER.unpack_from(data, offset)
        if revision not in (ACL_REVISION, ACL_REVISION_DS):
            raise SecurityDescriptorError(f"{what} at offset {offset} has revision {revision}; expected 2 (ACL_REVISION) or 4 (ACL_REVISION_DS)")
        if size < _HEADER.size or offset + size > end:
            raise SecurityDescriptorError(f"{what} at offset {offset} declares {size} bytes but {end - offset} are available")
        acl = cls.__new__(cls)
        acl.revision = revision
        acl.max_aces = MAX_ACE_COUNT
        entries = []
        position, acl_end = offset + _HEADER.size, offset + size
        for index in range(count):
            try:
                ace_size = ace_header(data, position, acl_end)[2]
            except SecurityDescriptorError as exc:
                raise SecurityDescriptorError(f"{what}: ACE {index + 1} of {count}: {exc}") from exc
            entries.append(bytes(data[position:position + ace_size]))
            position += ace_size
        acl._entries = entries
        acl._original = bytes(data[offset:acl_end])
        return acl

    # ---------------------------------------------------------------- reading
    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Ace | RawAce]:
        return (decode_ace(raw) for raw in self._entries)

    def __getitem__(self, index: int) -> Ace | RawAce:
        return decode_ace(self._entries[index])

    def __eq__(self, other) -> bool:
        if not isinstance(other, Acl):
            return NotImplemented
        return self.revision == other.revision and self._entries == other._entries

    __hash__ = None  # mutable

    def __repr__(self) -> str:
        return f"Acl(revision={self.revision}, aces={len(self._entries)}, size={self.size})"

    @property
    def raw_entries(self) -> tuple[bytes, ...]:
        """The ACEs' exact bytes, in order."""
        return tuple(self._entries)

    @property
    def size(self) -> int:
        """Encoded size in bytes."""
        return len(self._original) if self._original is not None else _HEADER.size + sum(len(raw) for raw in self._entries)

    @property
    def modified(self) -> bool:
        """False while the ACL still encodes to the exact bytes it was parsed from."""
        return self._original is None

    def aces(self) -> list[Ace | RawAce]:
        """Every ACE, decoded."""
        return list(self)

    def find(self, ace: Ace | RawAce) -> int:
        """Index of the first ACE equal to ``ace`` (compared as bytes), or -1."""
        target = _encoded(ace)
        for index, raw in enumerate(self._entries):
            if raw == target:
                return index
        return -1

    def __contains__(self, ace) -> bool:
        return self.find(ace) >= 0

    def sid_of(self, index: int) -> str | None:
        """The SID of one ACE without decoding the rest of it; None for an opaque ACE."""
        raw = self._entries[index]
        at = sid_offset_in_ace(raw)
        return None if at is None else sid_from_bytes(raw, at)

    def indexes_for_sid(self, sid: str) -> list[int]:
        """Indexes of the ACEs whose trustee is ``sid``, found by comparing SID bytes."""
        target = sid_to_bytes(sid)
        found = []
        for index, raw in enumerate(self._entries):
            at = sid_offset_in_ace(raw)
            if at is not None and raw[at:at + len(target)] == target:
                found.append(index)
        return found

    def category(self, index: int, strict: bool = True) -> int:
        return ace_category(self._entries[index], strict)

    def is_canonical(self, strict: bool = False) -> bool:
        """True when the ACEs are in canonical order (``strict`` also puts plain before object ACEs)."""
        categories = [ace_category(raw, strict) for raw in self._entries]
        return all(first <= second for first, second in zip(categories, categories[1:]))

    # ---------------------------------------------------------------- changing
    def _check_growth(self, added: list[bytes]) -> None:
        check_acl_limits(self.size + sum(len(raw) for raw in added), len(self._entries) + len(added), max_aces=self.max_aces)

    def insert(self, index: int, ace: Ace | RawAce) -> None:
        """Insert at ``index`` exactly (no canonical placement)."""
        raw = _encoded(ace)
        self._check_growth([raw])
        self._entries.insert(index, raw)
        self._original = None

    def append(self, ace: Ace | RawAce) -> None:
        self.insert(len(self._entries), ace)

    def canonical_index(self, ace: Ace | RawAce) -> int:
        """Where ``ace`` belongs: after the last explicit ACE of its category or an earlier one."""
        category = ace_category(_encoded(ace))
        if category == INHERITED:
            return len(self._entries)
        position = 0
        for index, raw in enumerate(self._entries):
            current = ace_category(raw)
            if current == INHERITED:
                break
            if current <= category:
                position = index + 1
        return position

    def insert_canonical(self, ace: Ace | RawAce, reorder: bool = False) -> int:
        """Insert ``ace`` in canonical position and return its index.

        ACEs already present keep their order unless ``reorder`` is true, which first canonicalizes.
        """
        if reorder:
            self.canonicalize()
        index = self.canonical_index(ace)
        self.insert(index, ace)
        return index

    def ensure(self, ace: Ace | RawAce) -> bool:
        """Insert ``ace`` in canonical position unless an identical ACE is present; True when added."""
        if ace in self:
            return False
        self.insert_canonical(ace)
        return True

    def remove(self, ace: Ace | RawAce) -> int:
        """Remove every ACE identical to ``ace``; return how many were removed."""
        target = _encoded(ace)
        kept = [raw for raw in self._entries if raw != target]
        removed = len(self._entries) - len(kept)
        if removed:
            self._entries = kept
            self._original = None
        return removed

    def canonicalize(self, strict: bool = False) -> bool:
        """Stable-sort explicit ACEs by category ahead of the inherited ones; True when the order changed."""
        ordered = sorted(self._entries, key=lambda raw: ace_category(raw, strict))
        if ordered == self._entries:
            return False
        self._entries = ordered
        self._original = None
        return True

    # ---------------------------------------------------------------- writing
    def check_limits(self, what: str = "ACL") -> None:
        """Raise AclLimitError when this ACL is too large to be stored."""
        check_acl_limits(self.size, len(self._entries), what, self.max_aces)

    def encode(self, what: str = "ACL") -> bytes:
        """The ACL's binary form; the parsed bytes themselves while nothing changed."""
        if self._original is not None:
            return self._original
        self.check_limits(what)
        revision = self.revision
        if revision < ACL_REVISION_DS and any(raw[0] in OBJECT_ACE_TYPES for raw in self._entries):
            revision = ACL_REVISION_DS
        body = b"".join(self._entries)
        return _HEADER.pack(revision, 0, _HEADER.size + len(body), len(self._entries), 0) + body
