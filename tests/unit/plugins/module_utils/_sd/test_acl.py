# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _sd/acl.py: lazy ACL parsing, canonical insertion and size limits."""
from __future__ import annotations

import struct

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd import acl as acl_mod
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.ace import INHERITED_ACE, Ace, RawAce
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import Acl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.errors import AclLimitError, SecurityDescriptorError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.presets import mdi_action_account_aces
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import ace_from_sddl

SID = "S-1-5-21-1-2-3-1102"
DENY = ace_from_sddl("(D;;WP;;;S-1-5-21-1-2-3-2001)")
DENY_OBJECT = ace_from_sddl("(OD;;WP;bf967a0a-0de6-11d0-a285-00aa003049e2;;S-1-5-21-1-2-3-2002)")
ALLOW = ace_from_sddl("(A;;RP;;;S-1-5-21-1-2-3-2003)")
ALLOW_OBJECT = ace_from_sddl("(OA;;RP;bf967a0a-0de6-11d0-a285-00aa003049e2;;S-1-5-21-1-2-3-2004)")
INHERITED = ace_from_sddl("(A;CIID;LC;;;AU)")
INHERITED_DENY = ace_from_sddl("(D;CIID;LC;;;WD)")
FUTURE = RawAce(bytes([0x14, 0x00, 0x0C, 0x00]) + b"opaque!!")


def _acl_bytes(*aces, revision=4, slack=b""):
    body = b"".join(ace.encode() for ace in aces) + slack
    return struct.pack("<BBHHH", revision, 0, 8 + len(body), len(aces), 0) + body


def test_parse_is_lazy_and_exact():
    raw = _acl_bytes(ALLOW, FUTURE, *mdi_action_account_aces(SID))
    acl = Acl.parse(raw)
    assert len(acl) == 6
    assert acl.raw_entries[1] == FUTURE.data
    assert acl[1] == FUTURE
    assert acl[2] == mdi_action_account_aces(SID)[0]
    assert acl.encode() == raw
    assert not acl.modified


def test_unchanged_acl_keeps_slack_and_reserved_bytes():
    raw = bytearray(_acl_bytes(ALLOW, slack=b"\x00" * 8))
    raw[1] = 0x7F  # Sbz1 should be 0; whatever the server sent comes back unchanged
    acl = Acl.parse(bytes(raw))
    assert acl.encode() == bytes(raw)
    assert acl.size == len(raw)


def test_changed_acl_keeps_other_aces_byte_identical():
    acl = Acl.parse(_acl_bytes(ALLOW, FUTURE, INHERITED))
    acl.insert_canonical(DENY)
    encoded = acl.encode()
    assert acl.modified
    again = Acl.parse(encoded)
    assert again.raw_entries == (DENY.encode(), ALLOW.encode(), FUTURE.data, INHERITED.encode())
    assert struct.unpack_from("<BBHHH", encoded) == (4, 0, len(encoded), 4, 0)


def test_revision_two_is_raised_for_object_aces():
    acl = Acl([ALLOW], revision=acl_mod.ACL_REVISION)
    assert acl.encode()[0] == 2
    acl.append(ALLOW_OBJECT)
    assert acl.encode()[0] == 4


def test_find_and_contains_compare_bytes():
    acl = Acl([ALLOW, ALLOW_OBJECT])
    assert acl.find(ALLOW_OBJECT) == 1
    assert ALLOW in acl
    assert ace_from_sddl("(A;;RPWP;;;S-1-5-21-1-2-3-2003)") not in acl
    assert acl.find(DENY) == -1


def test_sid_lookup_without_decoding():
    acl = Acl([ALLOW, FUTURE, *mdi_action_account_aces(SID), INHERITED])
    assert acl.indexes_for_sid(SID) == [2, 3, 4, 5]
    assert acl.indexes_for_sid("S-1-5-11") == [6]
    # A SID that is a prefix of another must not match it.
    assert acl.indexes_for_sid("S-1-5-21-1-2-3") == []
    assert acl.sid_of(0) == "S-1-5-21-1-2-3-2003"
    assert acl.sid_of(1) is None


@pytest.mark.parametrize("existing, new, expected_index", [
    ([], ALLOW_OBJECT, 0),
    ([ALLOW, INHERITED], ALLOW_OBJECT, 1),
    ([DENY, ALLOW, ALLOW_OBJECT, INHERITED], DENY, 1),
    ([DENY, ALLOW, ALLOW_OBJECT, INHERITED], DENY_OBJECT, 1),
    ([DENY, DENY_OBJECT, ALLOW, ALLOW_OBJECT, INHERITED], ALLOW, 3),
    ([DENY, DENY_OBJECT, ALLOW, ALLOW_OBJECT, INHERITED], ALLOW_OBJECT, 4),
    ([ALLOW, ALLOW_OBJECT], DENY_OBJECT, 0),
    ([INHERITED, INHERITED_DENY], ALLOW_OBJECT, 0),
    ([ALLOW], INHERITED, 1),
])
def test_canonical_index(existing, new, expected_index):
    acl = Acl(existing)
    assert acl.insert_canonical(new) == expected_index
    assert acl[expected_index] == new
    assert [ace for index, ace in enumerate(acl) if index != expected_index] == existing


def test_insert_keeps_a_non_canonical_order_unless_asked():
    """Samba writes allow and allow-object ACEs interleaved; an insert must not reshuffle them."""
    existing = [ALLOW_OBJECT, ALLOW, ALLOW_OBJECT, INHERITED, DENY]
    acl = Acl(existing)
    index = acl.insert_canonical(mdi_action_account_aces(SID)[0])
    assert index == 3  # after the last explicit allow, before the first inherited ACE
    assert [ace for i, ace in enumerate(acl) if i != index] == existing

    acl = Acl(existing)
    index = acl.insert_canonical(DENY_OBJECT, reorder=True)
    assert list(acl) == [DENY, DENY_OBJECT, ALLOW_OBJECT, ALLOW, ALLOW_OBJECT, INHERITED]
    assert index == 1


def test_canonicalize_and_is_canonical():
    acl = Acl([ALLOW_OBJECT, INHERITED, ALLOW, DENY_OBJECT, INHERITED_DENY, DENY])
    assert not acl.is_canonical()
    assert acl.canonicalize(strict=True)
    assert list(acl) == [DENY, DENY_OBJECT, ALLOW, ALLOW_OBJECT, INHERITED, INHERITED_DENY]
    assert acl.is_canonical(strict=True)
    assert not acl.canonicalize(strict=True)

    loose = Acl([ALLOW_OBJECT, ALLOW, INHERITED])
    assert loose.is_canonical() and not loose.is_canonical(strict=True)
    assert not loose.canonicalize()


def test_ensure_and_remove():
    acl = Acl([ALLOW, INHERITED])
    assert acl.ensure(ALLOW_OBJECT)
    assert not acl.ensure(ALLOW_OBJECT)
    assert len(acl) == 3
    assert acl.remove(ALLOW_OBJECT) == 1
    assert acl.remove(ALLOW_OBJECT) == 0
    assert list(acl) == [ALLOW, INHERITED]


def test_real_dacl_untouched_by_a_no_op(samba):
    raw = samba["descriptors"]["ou_dacl"]["raw"]
    offset = struct.unpack_from("<I", raw, 16)[0]
    acl = Acl.parse(raw, offset)
    for ace in mdi_action_account_aces(samba["action_account_sid"]):
        assert not acl.ensure(ace)  # the fixture already holds the four MDI ACEs
    assert acl.encode() == raw[offset:]
    assert acl.is_canonical()


def test_categories():
    assert [acl_mod.ace_category(ace.encode()) for ace in (DENY, DENY_OBJECT, ALLOW, ALLOW_OBJECT, INHERITED)] == [0, 1, 2, 3, 5]
    assert acl_mod.ace_category(FUTURE.data) == acl_mod.EXPLICIT_OTHER
    assert acl_mod.ace_category(bytes([0x14, INHERITED_ACE, 4, 0])) == acl_mod.INHERITED
    assert acl_mod.ace_category(ALLOW_OBJECT.encode(), strict=False) == acl_mod.EXPLICIT_ALLOW


# ---------------------------------------------------------------- limits, checked before writing
def _object_ace(number: int) -> Ace:
    return Ace(0x05, 0x0A, 0x30, f"S-1-5-21-1-2-3-{number}", "bf967a0a-0de6-11d0-a285-00aa003049e2", "bf967aba-0de6-11d0-a285-00aa003049e2")


def test_size_limit_is_checked_before_inserting():
    acl = Acl([_object_ace(n) for n in range(1170)])  # 8 + 1170 * 72 = 84,248 bytes: too big already
    with pytest.raises(AclLimitError, match=r"would be 84,248 bytes \(1,170 ACEs\); an ACL holds at most 65,535 bytes"):
        acl.encode("DACL")
    fitting = Acl([_object_ace(n) for n in range(910)])  # 65,528 bytes
    assert len(fitting.encode()) == 65528
    with pytest.raises(AclLimitError, match="65,600 bytes") as caught:
        fitting.insert_canonical(_object_ace(5000))
    assert caught.value.details == {"size": 65600, "count": 911, "limit": 65535}
    assert len(fitting) == 910  # nothing was inserted


def test_count_limit():
    acl = Acl([Ace(0x00, 0, 0x10, "S-1-1-0")] * 2000)  # 2000 * 20 bytes fits the size limit
    assert len(acl.encode()) == 8 + 2000 * 20
    with pytest.raises(AclLimitError, match="would hold 2,001 ACEs; at most 2,000 ACEs"):
        acl.append(ALLOW)
    acl.max_aces = 5000  # a caller that knows its server is Windows may lift the Samba limit
    acl.append(ALLOW)
    assert len(acl) == 2001


# ---------------------------------------------------------------- malformed input
@pytest.mark.parametrize("raw, words", [
    (b"\x04\x00\x08", "truncated: 3 bytes left, an ACL header needs 8"),
    (struct.pack("<BBHHH", 3, 0, 8, 0, 0), "revision 3; expected 2"),
    (struct.pack("<BBHHH", 4, 0, 4, 0, 0), "declares 4 bytes"),
    (struct.pack("<BBHHH", 4, 0, 64, 0, 0), "declares 64 bytes but 8 are available"),
    (struct.pack("<BBHHH", 4, 0, 8, 1, 0), "ACE 1 of 1: ACE at offset 8 is truncated"),
    (_acl_bytes(ALLOW)[:-4], "declares 44 bytes but 40 are available"),  # ALLOW is 36 bytes
    (struct.pack("<BBHHH", 4, 0, 44, 2, 0) + ALLOW.encode(), "ACE 2 of 2: ACE at offset 44 is truncated"),
    (struct.pack("<BBHHH", 4, 0, 20, 1, 0) + ALLOW.encode(), "ACE 1 of 1: ACE at offset 8 declares 36 bytes but only 12 are left"),
])
def test_malformed_acls(raw, words):
    with pytest.raises(SecurityDescriptorError, match=words):
        Acl.parse(raw)


def test_invalid_construction():
    with pytest.raises(SecurityDescriptorError, match="revision 3"):
        Acl(revision=3)
    with pytest.raises(SecurityDescriptorError, match="not bytes"):
        Acl([b"\x00\x00\x04\x00"])


def test_equality_and_repr():
    assert Acl([ALLOW]) == Acl.parse(_acl_bytes(ALLOW))
    assert Acl([ALLOW]) != Acl([ALLOW], revision=2)
    assert repr(Acl([ALLOW])) == "Acl(revision=4, aces=1, size=44)"
