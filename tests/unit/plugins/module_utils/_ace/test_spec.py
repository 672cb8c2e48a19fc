# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _ace/spec.py: ACE entries -> Ace objects."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace.spec import AceSpecError, ace_from_entry, aces_from_entries
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.presets import mdi_action_account_aces
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import ace_to_sddl

SID = "S-1-5-21-1-2-3-1102"
# The four entries of the MDI action account, written as a user would.
MDI_ENTRIES = [
    {"rights": ["control_access"], "object_type": "Reset Password", "inherited_object_type": "user"},
    {"rights": ["read_property", "write_property"], "object_type": "pwdLastSet", "applies_to": "descendant_objects",
     "inherited_object_type": "user"},
    {"access": "allow", "rights": ["read_property", "write_property"], "object_type": "userAccountControl",
     "applies_to": "descendant_objects", "inherited_object_type": "user"},
    {"rights": ["read_property", "write_property"], "object_type": "bf9679c0-0de6-11d0-a285-00aa003049e2",
     "applies_to": "descendant_objects", "inherited_object_type": "{bf967a9c-0de6-11d0-a285-00aa003049e2}"},
]


def sddl(aces):
    return [ace_to_sddl(ace) for ace in aces]


def test_names_give_exactly_the_mdi_preset(resolve):
    assert sddl(aces_from_entries(MDI_ENTRIES, SID, resolve)) == sddl(mdi_action_account_aces(SID))


def test_the_preset_is_the_four_sddl_aces_of_the_notes():
    expected = [
        f"(OA;CIIO;CR;00299570-246d-11d0-a768-00aa006e0529;bf967aba-0de6-11d0-a285-00aa003049e2;{SID})",
        f"(OA;CIIO;RPWP;bf967a0a-0de6-11d0-a285-00aa003049e2;bf967aba-0de6-11d0-a285-00aa003049e2;{SID})",
        f"(OA;CIIO;RPWP;bf967a68-0de6-11d0-a285-00aa003049e2;bf967aba-0de6-11d0-a285-00aa003049e2;{SID})",
        f"(OA;CIIO;RPWP;bf9679c0-0de6-11d0-a285-00aa003049e2;bf967a9c-0de6-11d0-a285-00aa003049e2;{SID})",
    ]
    assert sddl(mdi_action_account_aces(SID)) == expected


@pytest.mark.parametrize("entry, expected", [
    ({"rights": ["generic_all"]}, f"(A;;GA;;;{SID})"),
    ({"access": "deny", "rights": ["write_dac", "write_owner"]}, f"(D;;WDWO;;;{SID})"),
    ({"rights": "read_permissions", "applies_to": "this_object_and_descendants"}, f"(A;CI;RC;;;{SID})"),
    ({"rights": ["list_children", "list_object"], "applies_to": "descendants"}, f"(A;CIIO;LCLO;;;{SID})"),
    ({"rights": ["create_child", "delete_child"], "object_type": "user"}, f"(OA;;CCDC;bf967aba-0de6-11d0-a285-00aa003049e2;;{SID})"),
    ({"rights": ["validated_write"], "object_type": "Validated-SPN"}, f"(OA;;SW;f3a64788-5306-11d1-a9c5-0000f80367c1;;{SID})"),
    ({"rights": ["read_property"], "object_type": "Account Restrictions"}, f"(OA;;RP;4c164200-20c0-11d0-a768-00aa006e0529;;{SID})"),
    ({"access": "deny", "rights": ["extended_right"], "object_type": "reset password", "inherited_object_type": "user"},
     f"(OD;CIIO;CR;00299570-246d-11d0-a768-00aa006e0529;bf967aba-0de6-11d0-a285-00aa003049e2;{SID})"),
    ({"rights": ["delete", "delete_tree", "self_write", "generic_read", "generic_write", "generic_execute", "read_control"]},
     f"(A;;SWDTSDRCGXGWGR;;;{SID})"),
])
def test_entries(resolve, entry, expected):
    assert ace_to_sddl(ace_from_entry(0, entry, SID, resolve)) == expected


def test_duplicates_are_dropped(resolve):
    assert len(aces_from_entries([MDI_ENTRIES[0], MDI_ENTRIES[0]], SID, resolve)) == 1


@pytest.mark.parametrize("entry, message", [
    ({"rights": ["fly"]}, r"aces\[1\]\.rights: unknown right 'fly'; choose from"),
    ({"rights": []}, r"aces\[1\]\.rights: give a non-empty list"),
    ({}, r"aces\[1\]\.rights"),
    ({"rights": ["read_property"], "access": "maybe"}, r"aces\[1\]\.access: 'maybe' is not one of allow, deny, audit"),
    ({"rights": ["read_property"], "object_type": "bf967a0a-0de6-11d0-a285-00aa0030"}, r"aces\[1\]\.object_type: .* is not a valid GUID"),
    ({"rights": ["read_property"], "object_type": "noSuchAttribute"}, r"aces\[1\]\.object_type: no attribute or property_set named"),
    ({"rights": ["control_access"], "object_type": "pwdLastSet"}, r"aces\[1\]\.object_type: no extended_right named 'pwdLastSet'"),
    ({"rights": ["read_property"], "inherited_object_type": "spaceship"}, r"aces\[1\]\.inherited_object_type: no class named"),
    ({"rights": ["read_property"], "inherited_object_type": "pwdLastSet"}, r"aces\[1\]\.inherited_object_type: no class named"),
    ({"rights": ["read_property"], "applies_to": "descendant_objects"}, r"aces\[1\]\.inherited_object_type: applies_to=descendant_objects needs"),
    ({"rights": ["read_property"], "applies_to": "this_object", "inherited_object_type": "user"}, r"inherited_object_type: only used with"),
    ({"rights": ["read_property"], "applies_to": "everywhere"}, r"aces\[1\]\.applies_to: 'everywhere' is not one of"),
    ({"rights": ["read_property"], "colour": "red"}, r"aces\[1\]\.colour: unknown field"),
])
def test_bad_entries_name_the_entry_and_field(resolve, entry, message):
    with pytest.raises(AceSpecError, match=message) as caught:
        aces_from_entries([{"rights": ["read_property"]}, entry], SID, resolve)
    assert caught.value.details["entry"] == 1


def test_names_need_a_resolver():
    with pytest.raises(AceSpecError, match="no schema is available"):
        ace_from_entry(0, {"rights": ["read_property"], "object_type": "pwdLastSet"}, SID)
    ace = ace_from_entry(0, {"rights": ["read_property"], "object_type": "bf967a0a-0de6-11d0-a285-00aa003049e2"}, SID)
    assert ace.ace_type == 0x05


def test_not_a_list():
    with pytest.raises(AceSpecError, match="aces must be a list"):
        aces_from_entries({"rights": ["read_property"]}, SID)
