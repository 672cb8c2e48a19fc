# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _sd/sddl.py: ACE and descriptor SDDL both ways."""
from __future__ import annotations

import uuid

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd import sddl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.ace import Ace, RawAce, decode_ace
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.errors import SddlError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.well_known_guids import well_known_guid

SID = "S-1-5-21-3838897567-2814878794-254827799-1102"
DOMAIN = "S-1-5-21-3838897567-2814878794-254827799"
MDI_ACES = [
    "(OA;CIIO;CR;00299570-246d-11d0-a768-00aa006e0529;bf967aba-0de6-11d0-a285-00aa003049e2;{sid})",
    "(OA;CIIO;RPWP;bf967a0a-0de6-11d0-a285-00aa003049e2;bf967aba-0de6-11d0-a285-00aa003049e2;{sid})",
    "(OA;CIIO;RPWP;bf967a68-0de6-11d0-a285-00aa003049e2;bf967aba-0de6-11d0-a285-00aa003049e2;{sid})",
    "(OA;CIIO;RPWP;bf9679c0-0de6-11d0-a285-00aa003049e2;bf967a9c-0de6-11d0-a285-00aa003049e2;{sid})",
]


@pytest.mark.parametrize("template", MDI_ACES)
def test_mdi_aces_sddl_bytes_sddl(template):
    text = template.format(sid=SID)
    ace = sddl.ace_from_sddl(text)
    raw = ace.encode()
    assert (raw[0], raw[1]) == (0x05, 0x0A)
    fields = text[1:-1].split(";")
    assert raw[12:28] == uuid.UUID(fields[3]).bytes_le
    assert raw[28:44] == uuid.UUID(fields[4]).bytes_le
    assert sddl.ace_to_sddl(ace) == text
    assert sddl.ace_to_sddl(decode_ace(raw)) == text


def test_ms_dtyp_example(ms_dtyp_example):
    """MS-DTYP 2.5.1.4: Windows writes ACL revision 2 and SACL, DACL, owner, group.

    Written back, flags and rights come in bit order (OICI, GXGR) as Samba writes them.
    """
    sd = sddl.descriptor_from_sddl(ms_dtyp_example["sddl"], acl_revision=2)
    sd.layout = ("sacl", "dacl", "owner", "group")
    assert sd.encode() == ms_dtyp_example["raw"]
    assert sddl.descriptor_to_sddl(SecurityDescriptor.parse(ms_dtyp_example["raw"])) == ms_dtyp_example["sddl"].replace("CIOI", "OICI").replace("GRGX", "GXGR")


def test_mdi_masks():
    masks = [sddl.ace_from_sddl(t.format(sid=SID)).mask for t in MDI_ACES]
    assert masks == [0x100, 0x30, 0x30, 0x30]


@pytest.mark.parametrize("name", ["domain_root_dacl", "domain_root_full", "ou_dacl", "ou_full", "gmsa_membership"])
def test_descriptor_sddl_matches_samba(samba, name):
    item = samba["descriptors"][name]
    sd = SecurityDescriptor.parse(item["raw"])
    assert sddl.descriptor_to_sddl(sd, samba["domain_sid"]) == item["samba_sddl"]


@pytest.mark.parametrize("name", ["domain_root_dacl", "domain_root_full", "ou_dacl", "gmsa_membership"])
def test_samba_sddl_to_bytes_is_exact(samba, name):
    """Samba's SDDL parsed here encodes to the very bytes Samba stored."""
    item = samba["descriptors"][name]
    assert sddl.descriptor_from_sddl(item["samba_sddl"], samba["domain_sid"]).encode() == item["raw"]


def test_owner_and_group_defaulted_bits_are_not_sddl(samba):
    """ou_full carries SE_OWNER_DEFAULTED|SE_GROUP_DEFAULTED, which SDDL cannot say: only the control differs."""
    item = samba["descriptors"]["ou_full"]
    rebuilt = sddl.descriptor_from_sddl(item["samba_sddl"], samba["domain_sid"]).encode()
    assert rebuilt[:2] == item["raw"][:2] and rebuilt[4:] == item["raw"][4:]


@pytest.mark.parametrize("text, mask", [
    ("", 0),
    ("RPWP", 0x30),
    ("rpwp", 0x30),
    ("CR", 0x100),
    ("CCDCLCSWRPWPDTLOCRSDRCWDWO", 0xF01FF),
    ("GA", 0x10000000),
    ("GRGWGX", 0xE0000000),
    ("FA", 0x1F01FF),
    ("KR", 0x20019),
    ("0x30", 0x30),
    ("0XF01FF", 0xF01FF),
    ("48", 0x30),
])
def test_rights_from_sddl(text, mask):
    assert sddl.rights_from_sddl(text) == mask


@pytest.mark.parametrize("mask, text", [
    (0, ""),
    (0x30, "RPWP"),
    (0xF01FF, "CCDCLCSWRPWPDTLOCRSDRCWDWO"),
    (0xF0000000, "GAGXGWGR"),
    (0x1F01FF, "FA"),
    (0x100000, "0x100000"),
    (0x10100010, "0x10100010"),
])
def test_rights_to_sddl(mask, text):
    assert sddl.rights_to_sddl(mask) == text


@pytest.mark.parametrize("text, words", [
    ("RPX", "not a sequence of two-letter tokens"),
    ("RPZZ", "unknown right 'ZZ'"),
    ("0xZZ", "not a number"),
    ("0x100000000", "do not fit in 32 bits"),
])
def test_bad_rights(text, words):
    with pytest.raises(SddlError, match=words):
        sddl.rights_from_sddl(text)


def test_aliases_and_domain_relative_sids():
    ace = sddl.ace_from_sddl("(A;;RP;;;DD)", domain_sid=DOMAIN)
    assert ace.sid == DOMAIN + "-516"
    assert sddl.ace_to_sddl(ace, DOMAIN) == "(A;;RP;;;DD)"
    assert sddl.ace_to_sddl(ace) == f"(A;;RP;;;{DOMAIN}-516)"
    assert sddl.ace_from_sddl("(A;;RP;;;BA)").sid == "S-1-5-32-544"
    with pytest.raises(SddlError, match="relative to a domain"):
        sddl.ace_from_sddl("(A;;RP;;;DD)")


def test_all_flags_and_types():
    text = "(AU;OICINPIOIDSAFA;RP;;;WD)"
    ace = sddl.ace_from_sddl(text)
    assert ace.ace_type == 0x02 and ace.flags == 0xDF
    assert sddl.ace_to_sddl(ace) == text
    for token, ace_type in sddl.ACE_TYPE_TOKENS.items():
        guid = "bf967aba-0de6-11d0-a285-00aa003049e2" if token in ("OA", "OD", "OU", "OL", "ZA") else ""
        text = f"({token};CI;RP;{guid};;WD)"
        assert sddl.ace_from_sddl(text).ace_type == ace_type
        assert sddl.ace_to_sddl(sddl.ace_from_sddl(text)) == text


def test_guid_less_object_ace_and_names():
    assert sddl.ace_from_sddl("(OA;;CCDC;;;WD)").object_type is None
    by_name = sddl.ace_from_sddl("(OA;CIIO;RPWP;pwdLastSet;user;WD)", guid_resolver=well_known_guid)
    by_guid = sddl.ace_from_sddl("(OA;CIIO;RPWP;bf967a0a-0de6-11d0-a285-00aa003049e2;bf967aba-0de6-11d0-a285-00aa003049e2;WD)")
    assert by_name == by_guid
    as_string = sddl.ace_from_sddl("(OA;;CR;Reset Password;;WD)", guid_resolver=lambda name: "00299570-246d-11d0-a768-00aa006e0529")
    assert str(as_string.object_type) == "00299570-246d-11d0-a768-00aa006e0529"
    with pytest.raises(SddlError, match="'pwdLastSet' is not a GUID and was not resolved to one; names need a resolver"):
        sddl.ace_from_sddl("(OA;;RP;pwdLastSet;;WD)")
    with pytest.raises(SddlError, match="'nosuch' is not a GUID and was not resolved to one$"):
        sddl.ace_from_sddl("(OA;;RP;nosuch;;WD)", guid_resolver=well_known_guid)


@pytest.mark.parametrize("text, words", [
    ("(A;;RP;;WD)", "has 5 fields; expected 6"),
    ("(Q;;RP;;;WD)", "unknown ACE type 'Q'"),
    ("(A;XX;RP;;;WD)", "unknown ACE flag 'XX'"),
    ("(A;C;RP;;;WD)", "not a sequence of two-letter tokens"),
    ("(A;;RP;bf967aba-0de6-11d0-a285-00aa003049e2;;WD)", "only object ACE types"),
    ("(XA;;FX;;;WD;(@User.Title==\"PM\"))", "conditional expressions"),
    ("(A;;RP;;;S-1-5-)", "is not a SID"),
    ("(A;;RP;;;QQ)", "is not a SID"),
])
def test_bad_aces(text, words):
    with pytest.raises(SddlError, match=words):
        sddl.ace_from_sddl(text)


def test_unwritable_aces():
    with pytest.raises(SddlError, match="type 0x14 cannot be written"):
        sddl.ace_to_sddl(RawAce(bytes([0x14, 0, 4, 0])))
    with pytest.raises(SddlError, match="application data"):
        sddl.ace_to_sddl(Ace(0x09, 0, 1, "S-1-1-0", application_data=b"artx"))
    with pytest.raises(SddlError, match="flag 0x20 has no SDDL token"):
        sddl.ace_to_sddl(Ace(0x00, 0x20, 1, "S-1-1-0"))


@pytest.mark.parametrize("text", [
    "O:BAG:SYD:PAI(A;;GA;;;SY)(A;CIID;LC;;;AU)S:AI(AU;SA;WP;;;WD)",
    "O:BAD:(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;S-1-5-21-1-2-3-1000)",
    "D:NO_ACCESS_CONTROL",
    "D:ARAI",
    "G:S-1-5-21-1-2-3-513",
    "O:S-1-5-21-1-2-3-1102D:P",
    "",
])
def test_descriptor_round_trip(text):
    sd = sddl.descriptor_from_sddl(text)
    assert sddl.descriptor_to_sddl(sd) == text
    assert sddl.descriptor_to_sddl(SecurityDescriptor.parse(sd.encode())) == text


def test_descriptor_details():
    sd = sddl.descriptor_from_sddl("O:DAG:DAD:PAI(A;;RP;;;WD)", domain_sid=DOMAIN)
    assert sd.owner == sd.group == DOMAIN + "-512"
    assert sd.control == 0x8000 | 0x1000 | 0x0400 | 0x0004
    assert sd.dacl.revision == 4
    null = sddl.descriptor_from_sddl("D:NO_ACCESS_CONTROL")
    assert null.has_null_dacl


@pytest.mark.parametrize("text, words", [
    ("X:BA", "expected O:, G:, D: or S: at position 0"),
    ("O:BAO:SY", "section O: appears twice"),
    ("O:", "needs a SID or a two-letter alias"),
    ("O:QQ", "section O:"),
    ("D:(A;;RP;;;WD", "unterminated ACE"),
    ("D:(A;;RP;;;WD)junk", "expected O:, G:, D: or S: at position 14"),
])
def test_bad_descriptors(text, words):
    with pytest.raises(SddlError, match=words):
        sddl.descriptor_from_sddl(text)
