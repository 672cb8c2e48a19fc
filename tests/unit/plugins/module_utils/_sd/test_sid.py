# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _sd/sid.py: SID strings, bytes and SDDL aliases."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd import sid
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.errors import SecurityDescriptorError

DOMAIN = "S-1-5-21-3838897567-2814878794-254827799"
ROOT = "S-1-5-21-1-2-3"

# Known answers (MS-DTYP 2.4.2.2: revision, count, 6-byte big-endian authority, little-endian sub-authorities).
KNOWN = [
    ("S-1-1-0", "010100000000000100000000"),
    ("S-1-5-18", "010100000000000512000000"),
    ("S-1-5-32-544", "01020000000000052000000020020000"),
    ("S-1-5-21-4210132550-3389855604-3437519686-1000", "010500000000000515000000" + "4686f1fa" + "74170dca" + "4663e4cc" + "e8030000"),
    ("S-1-5", "0100000000000005"),
    ("S-1-0x123456789ABC-7", "0101123456789abc07000000"),
]


@pytest.mark.parametrize("text, hexbytes", KNOWN)
def test_known_answers(text, hexbytes):
    assert sid.sid_to_bytes(text) == bytes.fromhex(hexbytes)
    assert sid.sid_from_bytes(bytes.fromhex(hexbytes)) == text


def test_sid_from_bytes_at_offset_and_length():
    raw = b"\xff\xff" + sid.sid_to_bytes("S-1-5-32-544") + b"\x00"
    assert sid.sid_length(raw, 2) == 16
    assert sid.sid_from_bytes(raw, 2) == "S-1-5-32-544"


@pytest.mark.parametrize("text, canonical", [
    ("s-1-5-32-544", "S-1-5-32-544"),
    (" S-1-005-32-0544 ", "S-1-5-32-544"),
    ("S-1-0x000000000005-18", "S-1-5-18"),
    ("S-1-5-21-1-2-3-4294967295", "S-1-5-21-1-2-3-4294967295"),
])
def test_normalize(text, canonical):
    assert sid.normalize_sid(text) == canonical
    assert sid.is_sid(text)


@pytest.mark.parametrize("text, words", [
    ("", "is not a SID"),
    ("S-1", "is not a SID"),
    ("X-1-5-18", "is not a SID"),
    ("S-1-5-18-", "is not a SID"),
    ("S-2-5-18", "revision 2"),
    ("S-1-281474976710656-1", "larger than 48 bits"),
    ("S-1-5-4294967296", "larger than 32 bits"),
    ("S-1-5" + "-1" * 16, "16 sub-authorities"),
    (None, "got NoneType"),
    (["S-1-5-18"], "got list"),
])
def test_invalid_strings(text, words):
    with pytest.raises(SecurityDescriptorError, match=words):
        sid.sid_to_bytes(text)
    assert not sid.is_sid(text)


@pytest.mark.parametrize("raw, words", [
    (b"", "truncated"),
    (bytes.fromhex("0102000000000005200000"), "truncated: it needs 16 bytes, 11 are left"),
    (bytes.fromhex("020100000000000512000000"), "revision 2"),
    (bytes.fromhex("011000000000000500000000"), "claims 16 sub-authorities"),
])
def test_invalid_bytes(raw, words):
    with pytest.raises(SecurityDescriptorError, match=words):
        sid.sid_from_bytes(raw)


def test_limit_is_honoured():
    raw = sid.sid_to_bytes("S-1-5-32-544")
    with pytest.raises(SecurityDescriptorError, match="truncated"):
        sid.sid_from_bytes(raw, 0, limit=12)


@pytest.mark.parametrize("alias, expected", [
    ("BA", "S-1-5-32-544"),
    ("sy", "S-1-5-18"),
    ("WD", "S-1-1-0"),
    ("AU", "S-1-5-11"),
    ("CO", "S-1-3-0"),
    ("PS", "S-1-5-10"),
    ("ED", "S-1-5-9"),
    ("DA", DOMAIN + "-512"),
    ("DD", DOMAIN + "-516"),
    ("LA", DOMAIN + "-500"),
    ("EA", ROOT + "-519"),
    ("SA", ROOT + "-518"),
    ("S-1-5-21-1-2-3-1105", "S-1-5-21-1-2-3-1105"),
])
def test_resolve_sid(alias, expected):
    assert sid.resolve_sid(alias, DOMAIN, ROOT) == expected


def test_root_aliases_fall_back_to_the_domain():
    assert sid.resolve_sid("EA", domain_sid=DOMAIN) == DOMAIN + "-519"


@pytest.mark.parametrize("alias", ["DA", "DD", "EA"])
def test_domain_aliases_need_a_domain(alias):
    with pytest.raises(SecurityDescriptorError, match="relative to a domain"):
        sid.resolve_sid(alias)


def test_unknown_alias():
    with pytest.raises(SecurityDescriptorError, match="'ZZ' is not a SID"):
        sid.resolve_sid("ZZ")


def test_sid_alias_is_the_inverse():
    for alias in list(sid.SDDL_SID_ALIASES) + list(sid.SDDL_DOMAIN_RID_ALIASES) + list(sid.SDDL_ROOT_DOMAIN_RID_ALIASES):
        assert sid.sid_alias(sid.resolve_sid(alias, DOMAIN, ROOT), DOMAIN, ROOT) == alias


def test_sid_alias_without_domain_and_other_domains():
    assert sid.sid_alias(DOMAIN + "-512") is None
    assert sid.sid_alias("S-1-5-21-9-9-9-512", DOMAIN) is None
    assert sid.sid_alias(DOMAIN + "-1102", DOMAIN) is None
    assert sid.sid_alias("S-1-5", DOMAIN) is None
    # Root-domain aliases only for the root domain when it is given.
    assert sid.sid_alias(DOMAIN + "-519", DOMAIN, ROOT) is None
    assert sid.sid_alias(ROOT + "-519", DOMAIN, ROOT) == "EA"


def test_split_rid_and_names():
    assert sid.split_rid(DOMAIN + "-1102") == (DOMAIN, 1102)
    assert sid.split_rid("S-1-5") is None
    assert sid.well_known_sid_name("S-1-5-32-544") == "BUILTIN\\Administrators"
    assert sid.well_known_sid_name(DOMAIN + "-516") == "Domain Controllers"
    assert sid.well_known_sid_name(DOMAIN + "-1102") is None
    assert sid.well_known_sid_name("S-1-5-32-999") is None
