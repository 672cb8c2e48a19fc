# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Property-based tests of the security-descriptor codec (_sd/ace.py, acl.py, descriptor.py) with hypothesis.

On generated ACEs (plain, object and opaque; every type, flag, mask, GUID and SID shape), ACLs and descriptors
(owner, group, DACL, SACL, each present or not, in any layout): decoding then encoding gives the same bytes, also
when every part is re-encoded from its decoded values rather than from the bytes parse keeps; a parse of an encode
gives equal values; the lazy lookups agree with a full decode; and the ACL's canonical ordering (canonicalize,
insert_canonical, ensure) does what acl.py promises. Settings: strategies.PROPERTIES.
"""
from __future__ import annotations

import struct

from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd import ace as sd
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import ACL_REVISION_DS, Acl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import (
    SE_DACL_PRESENT,
    SE_SACL_PRESENT,
    SE_SELF_RELATIVE,
    SecurityDescriptor,
)
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import ace_from_sddl, ace_to_sddl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import normalize_sid
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._sd.strategies import (
    DOMAIN_SID,
    OBJECT_TYPES,
    PLAIN_TYPES,
    PROPERTIES,
    acls,
    any_aces,
    audit_aces_of,
    descriptors,
    guids,
    masks,
    object_aces,
    plain_aces,
    raw_aces,
    trailing,
)

# ---------------------------------------------------------------- the layout of MS-DTYP, written out here

# Canonical order of a DACL (MS-DTYP 2.4.5), by ACE type: explicit deny, deny-object, allow, allow-object,
# other explicit types, then inherited ACEs. Loose order (what Windows requires) merges object and plain.
_DENY, _DENY_OBJECT, _ALLOW, _ALLOW_OBJECT, _OTHER, _INHERITED = range(6)
_CATEGORY = {0x01: _DENY, 0x0A: _DENY, 0x06: _DENY_OBJECT, 0x0C: _DENY_OBJECT,
             0x00: _ALLOW, 0x09: _ALLOW, 0x05: _ALLOW_OBJECT, 0x0B: _ALLOW_OBJECT}


def category(ace, strict: bool = True) -> int:
    if ace.flags & 0x10:  # INHERITED_ACE
        return _INHERITED
    found = _CATEGORY.get(ace.ace_type, _OTHER)
    return found if strict else {_DENY_OBJECT: _DENY, _ALLOW_OBJECT: _ALLOW}.get(found, found)


def in_order(aces, strict: bool) -> bool:
    categories = [category(ace, strict) for ace in aces]
    return categories == sorted(categories)


def sid_string(authority: int, subs: list[int]) -> str:
    """MS-DTYP 2.4.2.1: authorities of 2**32 and more in hexadecimal, 12 digits."""
    text = str(authority) if authority < 1 << 32 else f"0x{authority:012X}"
    return "S-1-" + text + "".join(f"-{sub}" for sub in subs)


@st.composite
def ace_layouts(draw):
    """(bytes, fields): an ACE packed field by field as MS-DTYP 2.4.4 lays it out, without the codec's encoder."""
    ace_type = draw(st.sampled_from(PLAIN_TYPES + OBJECT_TYPES))
    flags, mask = draw(st.integers(0, 0xFF)), draw(masks)
    authority = draw(st.integers(0, (1 << 48) - 1))
    subs = draw(st.lists(st.integers(0, 0xFFFFFFFF), max_size=15))
    sid = struct.pack("<BB", 1, len(subs)) + authority.to_bytes(6, "big") + struct.pack(f"<{len(subs)}I", *subs)
    data = draw(trailing)
    object_type = inherited_object_type = None
    if ace_type in OBJECT_TYPES:
        object_type, inherited_object_type = draw(st.none() | guids), draw(st.none() | guids)
        present = (1 if object_type else 0) | (2 if inherited_object_type else 0)
        guid_bytes = b"".join(guid.bytes_le for guid in (object_type, inherited_object_type) if guid)  # GUIDs are little-endian
        body = struct.pack("<II", mask, present) + guid_bytes + sid + data
    else:
        body = struct.pack("<I", mask) + sid + data
    raw = struct.pack("<BBH", ace_type, flags, 4 + len(body)) + body
    return raw, (ace_type, flags, mask, sid_string(authority, subs), object_type, inherited_object_type, data)


# ---------------------------------------------------------------- ACEs


@PROPERTIES
@given(st.one_of(plain_aces(), object_aces(), raw_aces()))
def test_ace_decode_of_encode_is_equal_and_byte_identical(ace):
    raw = ace.encode()
    decoded = sd.decode_ace(raw)
    assert decoded == ace
    assert decoded.encode() == raw
    assert sd.ace_header(raw) == (ace.ace_type, ace.flags, len(raw))


@PROPERTIES
@given(ace_layouts())
def test_ace_bytes_decode_to_the_fields_ms_dtyp_places_and_encode_back(layout):
    raw, fields = layout
    decoded = sd.decode_ace(raw)
    assert isinstance(decoded, sd.Ace)
    assert (decoded.ace_type, decoded.flags, decoded.mask, decoded.sid) == fields[:4]
    assert (decoded.object_type, decoded.inherited_object_type, decoded.application_data) == fields[4:]
    assert decoded.encode() == raw


# ---------------------------------------------------------------- ACLs


def _expected_revision(acl: Acl) -> int:
    # encode() raises the revision to ACL_REVISION_DS as soon as the ACL holds an object ACE (acl.py).
    return ACL_REVISION_DS if any(raw[0] in sd.OBJECT_ACE_TYPES for raw in acl.raw_entries) else acl.revision


@PROPERTIES
@given(acls())
def test_acl_parse_of_encode_is_equal(acl):
    data = acl.encode()
    parsed = Acl.parse(data)
    assert parsed.aces() == acl.aces() and parsed.raw_entries == acl.raw_entries
    assert parsed.revision == _expected_revision(acl)
    assert not parsed.modified and parsed.encode() == data
    assert Acl(parsed.aces(), revision=parsed.revision).encode() == data  # re-encoded from the decoded ACEs


SID_POOL = [f"{DOMAIN_SID}-1102", f"{DOMAIN_SID}-1103", DOMAIN_SID, "S-1-5-18", "S-1-5-32-544", "S-1-5-32"]


@PROPERTIES
@given(acls(st.one_of(plain_aces(sid=st.sampled_from(SID_POOL)), object_aces(sid=st.sampled_from(SID_POOL)), raw_aces()), max_size=10),
       st.sampled_from(SID_POOL))
def test_lazy_lookups_agree_with_a_full_decode(acl, sid):
    parsed = Acl.parse(acl.encode())
    decoded = parsed.aces()
    for index, ace in enumerate(decoded):
        assert parsed.sid_of(index) == (ace.sid if isinstance(ace, sd.Ace) else None)
        assert parsed.category(index) == category(ace) and parsed.category(index, strict=False) == category(ace, strict=False)
        assert parsed.find(ace) == decoded.index(ace) and ace in parsed
    expected = [index for index, ace in enumerate(decoded) if isinstance(ace, sd.Ace) and ace.sid == normalize_sid(sid)]
    assert parsed.indexes_for_sid(sid) == expected
    assert parsed.is_canonical() == in_order(decoded, strict=False)
    assert parsed.is_canonical(strict=True) == in_order(decoded, strict=True)


@PROPERTIES
@given(acls(max_size=12), st.booleans())
def test_canonicalize_sorts_by_category_stably(acl, strict):
    before = acl.aces()
    was_canonical = in_order(before, strict)
    assert acl.canonicalize(strict) is not was_canonical
    after = acl.aces()
    assert in_order(after, strict) and acl.is_canonical(strict)
    # A stable sort: within each category, and so among the inherited ACEs, the order is the one read.
    for each in range(6):
        assert [ace for ace in after if category(ace, strict) == each] == [ace for ace in before if category(ace, strict) == each]
    assert acl.canonicalize(strict) is False  # already canonical: nothing to do
    assert Acl.parse(acl.encode()).aces() == after


@PROPERTIES
@given(acls(max_size=10), any_aces, st.booleans())
def test_insert_canonical_into_a_canonical_acl_keeps_it_canonical(acl, ace, strict):
    acl.canonicalize(strict)
    before = list(acl.raw_entries)
    index = acl.insert_canonical(ace)
    entries = list(acl.raw_entries)
    assert entries[index] == ace.encode() and entries[:index] + entries[index + 1:] == before  # the others keep their order
    assert in_order(acl.aces(), strict) and acl.is_canonical(strict)
    mine = category(ace)
    if mine == _INHERITED:
        assert index == len(before)
    else:  # right after the last explicit ACE of its own category or an earlier one (strict categories)
        assert index == 0 or category(acl[index - 1]) <= mine
        assert all(category(other) > mine for other in acl.aces()[index + 1:])


@PROPERTIES
@given(acls(max_size=10), any_aces, st.booleans())
def test_ensure_adds_once_in_canonical_place(acl, ace, strict):
    acl.canonicalize(strict)
    present = ace in acl
    before = list(acl.raw_entries)
    assert acl.ensure(ace) is not present
    assert acl.ensure(ace) is False  # a second time: already there
    assert acl.raw_entries.count(ace.encode()) == max(before.count(ace.encode()), 1)
    assert in_order(acl.aces(), strict)
    if present:
        assert list(acl.raw_entries) == before


# ---------------------------------------------------------------- descriptors


def _rebuilt(acl: Acl | None) -> Acl | None:
    """The ACL made again from its decoded ACEs, so nothing of the parsed bytes is reused."""
    return None if acl is None else Acl(list(acl), revision=acl.revision)


@PROPERTIES
@given(descriptors())
def test_descriptor_round_trip_byte_for_byte(descriptor):
    data = descriptor.encode()
    parsed = SecurityDescriptor.parse(data)
    assert parsed.encode() == data
    rebuilt = SecurityDescriptor(parsed.owner, parsed.group, _rebuilt(parsed.dacl), _rebuilt(parsed.sacl),
                                 parsed.control, parsed.rm_control, parsed.layout)
    assert rebuilt.encode() == data


@PROPERTIES
@given(descriptors())
def test_descriptor_parse_of_encode_is_equal(descriptor):
    parsed = SecurityDescriptor.parse(descriptor.encode())
    assert (parsed.owner, parsed.group, parsed.rm_control) == (descriptor.owner, descriptor.group, descriptor.rm_control)
    present = (SE_DACL_PRESENT if descriptor.dacl is not None else 0) | (SE_SACL_PRESENT if descriptor.sacl is not None else 0)
    assert parsed.control == descriptor.control | SE_SELF_RELATIVE | present
    # Parts are laid out in the order asked for; parse reports the order it found.
    assert parsed.layout == tuple(name for name in descriptor.layout if getattr(descriptor, name) is not None)
    for name in ("dacl", "sacl"):
        written, read = getattr(descriptor, name), getattr(parsed, name)
        if written is None:
            assert read is None
        else:
            assert read.aces() == written.aces() and read.revision == _expected_revision(written)


@PROPERTIES
@given(descriptors(), any_aces, st.sampled_from(["owner", "group", "dacl", "sacl"]))
def test_changed_descriptor_keeps_its_other_parts(descriptor, ace, part):
    data = descriptor.encode()
    parsed = SecurityDescriptor.parse(data)
    untouched = SecurityDescriptor.parse(data)
    if part in ("owner", "group"):
        setattr(parsed, part, "S-1-5-32-548")
    else:
        acl = getattr(parsed, part)
        if acl is None:
            acl = Acl()
            setattr(parsed, part, acl)
        acl.append(ace)
    again = SecurityDescriptor.parse(parsed.encode())
    for name in ("owner", "group"):
        assert getattr(again, name) == ("S-1-5-32-548" if name == part else getattr(untouched, name))
    for name in ("dacl", "sacl"):
        expected = getattr(parsed, name)
        if expected is None:
            assert getattr(again, name) is None
        else:
            assert getattr(again, name).raw_entries == expected.raw_entries
    assert again.encode() == parsed.encode()


# ---------------------------------------------------------------- SACLs, as ad_ace reads and writes them (SD flags = SACL)

_SDDL_FLAGS = st.integers(0, 0xFF).map(lambda flags: flags & ~0x20)  # 0x20 has no SDDL token
audit_only = st.one_of(plain_aces(types=[sd.SYSTEM_AUDIT_ACE_TYPE], flags=_SDDL_FLAGS, data=st.just(b"")),
                       object_aces(types=[sd.SYSTEM_AUDIT_OBJECT_ACE_TYPE], flags=_SDDL_FLAGS, data=st.just(b"")))


@PROPERTIES
@given(acls(audit_aces_of(), max_size=8), st.integers(0, 0xFFFF))
def test_a_sacl_read_alone_round_trips_and_keeps_its_audit_flags(sacl, control):
    data = SecurityDescriptor(sacl=sacl, control=control & ~SE_DACL_PRESENT).encode()
    parsed = SecurityDescriptor.parse(data)
    assert (parsed.owner, parsed.group, parsed.dacl) == (None, None, None) and parsed.encode() == data
    assert [ace.flags for ace in parsed.sacl] == [ace.flags for ace in sacl]  # success/failure bits included


@PROPERTIES
@given(audit_only)
def test_an_audit_ace_survives_sddl(ace):
    assert ace_from_sddl(ace_to_sddl(ace)) == ace
