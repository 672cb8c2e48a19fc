# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _sd/words.py: ACEs described in words."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd import words
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.ace import RawAce
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.presets import mdi_action_account_aces
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import ace_from_sddl

SID = "S-1-5-21-1-2-3-1102"


def _name(sid):
    return {SID: "CORP\\mdiAction$"}.get(sid)


def test_the_mdi_aces():
    assert words.describe_aces(mdi_action_account_aces(SID), sid_name=_name) == [
        "Allow CORP\\mdiAction$: Extended right Reset Password on descendant user objects",
        "Allow CORP\\mdiAction$: Read/Write property pwdLastSet on descendant user objects",
        "Allow CORP\\mdiAction$: Read/Write property userAccountControl on descendant user objects",
        "Allow CORP\\mdiAction$: Read/Write property member on descendant group objects",
    ]


def test_callbacks_win_and_fallbacks():
    ace = mdi_action_account_aces(SID)[1]
    text = words.describe_ace(ace, guid_name={ace.object_type: "Pwd-Last-Set"}.get, sid_name={}.get)
    assert text == f"Allow {SID}: Read/Write property Pwd-Last-Set on descendant user objects"
    unknown = ace_from_sddl("(OA;;RP;11111111-2222-3333-4444-555555555555;;WD)")
    assert words.describe_ace(unknown) == "Allow Everyone: Read property 11111111-2222-3333-4444-555555555555 on this object"


@pytest.mark.parametrize("sddl_text, expected", [
    ("(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;DA)", "Allow Domain Admins: Full control on this object"),
    ("(A;CIID;LC;;;AU)", "Allow NT AUTHORITY\\Authenticated Users: List contents on this object and all descendant objects (inherited)"),
    ("(D;CI;WP;;;WD)", "Deny Everyone: Write all properties on this object and all descendant objects"),
    ("(OD;CINP;WP;bf967a68-0de6-11d0-a285-00aa003049e2;bf967aba-0de6-11d0-a285-00aa003049e2;WD)",
     "Deny Everyone: Write property userAccountControl on this object and child user objects"),
    ("(A;CIIONP;RP;;;BA)", "Allow BUILTIN\\Administrators: Read all properties on all child objects"),
    ("(OA;;CCDC;bf967aba-0de6-11d0-a285-00aa003049e2;;AO)", "Allow BUILTIN\\Account Operators: Create/Delete child user objects on this object"),
    ("(OA;;CC;;;AO)", "Allow BUILTIN\\Account Operators: Create all child objects on this object"),
    ("(OA;;SW;bf9679c0-0de6-11d0-a285-00aa003049e2;;PS)", "Allow NT AUTHORITY\\SELF: Validated write member on this object"),
    ("(A;;SWCR;;;SY)", "Allow NT AUTHORITY\\SYSTEM: All extended rights, All validated writes on this object"),
    ("(A;;RCWDWOSDDT;;;CO)", "Allow CREATOR OWNER: Delete subtree, Delete, Read permissions, Modify permissions, Modify owner on this object"),
    ("(A;;GAGR;;;WD)", "Allow Everyone: Generic all, Generic read on this object"),
    ("(A;;0x100000;;;WD)", "Allow Everyone: Synchronize on this object"),
    ("(A;;0x4000000;;;WD)", "Allow Everyone: rights 0x4000000 on this object"),
    ("(A;;;;;WD)", "Allow Everyone: no rights on this object"),
    ("(AU;SAFA;WP;;;WD)", "Audit success and failure of Everyone: Write all properties on this object"),
    ("(OU;CIIDSA;WP;f30e3bbe-9ff0-11d1-b603-0000f80367c1;bf967aa5-0de6-11d0-a285-00aa003049e2;WD)",
     "Audit success of Everyone: Write property f30e3bbe-9ff0-11d1-b603-0000f80367c1 on this object and descendant organizationalUnit objects (inherited)"),
    ("(AL;;RP;;;WD)", "ACE type 0x03 Everyone: Read all properties on this object"),
    ("(ML;;0x1;;;LW)", "Mandatory label S-1-16-4096: Create all child objects on this object"),
])
def test_phrases(sddl_text, expected):
    assert words.describe_ace(ace_from_sddl(sddl_text, domain_sid="S-1-5-21-1-2-3")) == expected


def test_raw_ace():
    assert words.describe_ace(RawAce(bytes([0x14, 0, 8, 0, 1, 2, 3, 4]))) == "ACE of type 0x14 (8 bytes), not interpreted and kept unchanged"


def test_rights_and_scope_helpers():
    assert words.describe_rights(0x30, "pwdLastSet") == "Read/Write property pwdLastSet"
    assert words.describe_rights(0xF01FF, "x") != "Full control"  # with an object type, rights are specific
    assert words.describe_scope(0x0A, "user") == "descendant user objects"
    assert words.describe_scope(0x01) == "this object and all descendant objects"
