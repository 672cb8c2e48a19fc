# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _group/group_type.py and _group/members.py: groupType as AD stores it, the scope changes AD refuses
(refused before any write, naming the two steps), and members compared by the principal they stand for."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._group import group_type
from ansible_collections.mdi.action_accounts.plugins.module_utils._group.members import member_key, plan_members

DOMAIN = "DC=corp,DC=example,DC=test"
FSP = f"CN=S-1-5-11,CN=ForeignSecurityPrincipals,{DOMAIN}"


@pytest.mark.parametrize("scope, category, value", [
    ("universal", "security", -2147483640),  # what New-ADGroup -GroupScope Universal writes
    ("global", "security", -2147483646),
    ("domain_local", "security", -2147483644),
    ("global", "distribution", 2),
    ("universal", "distribution", 8),
])
def test_group_type_is_the_signed_value_ad_stores(scope, category, value):
    assert group_type.encode(scope, category) == value
    assert group_type.decode(value) == (scope, category)


def test_builtin_domain_local_group_type_decodes():
    assert group_type.decode(-2147483643) == ("domain_local", "security")  # BUILTIN\Administrators


@pytest.mark.parametrize("old, new", [("global", "domain_local"), ("domain_local", "global")])
def test_a_scope_change_ad_refuses_is_refused_with_the_two_steps(old, new):
    with pytest.raises(MdiError, match=f"does not change the {old} group g1 to {new} directly: run the task with scope: universal first, "
                                       f"then with scope: {new}"):
        group_type.check_scope_change("g1", group_type.encode(old, "security"), new)


@pytest.mark.parametrize("old, new", [("global", "universal"), ("universal", "global"), ("domain_local", "universal"),
                                      ("universal", "domain_local"), ("global", "global")])
def test_scope_changes_through_universal_are_left_to_the_dc(old, new):
    group_type.check_scope_change("g1", group_type.encode(old, "security"), new)


def test_a_builtin_group_keeps_its_scope():
    with pytest.raises(MdiError, match="built-in group: its scope cannot change"):
        group_type.check_scope_change("Administrators", -2147483643, "universal")


def test_a_foreign_security_principal_and_its_sid_form_are_one_member():
    assert member_key(FSP) == member_key("<SID=S-1-5-11>") == "S-1-5-11"
    assert member_key(f"CN=Alice,CN=Users,{DOMAIN}") == member_key(f"cn=alice,cn=users,{DOMAIN.lower()}")


def test_plan_members_adds_removes_and_sets_by_principal():
    alice, bob = f"CN=Alice,CN=Users,{DOMAIN}", f"CN=Bob,CN=Users,{DOMAIN}"
    assert plan_members([alice, FSP], {"add": ["<SID=S-1-5-11>", bob]}) == ([bob], [], [alice, FSP, bob])
    assert plan_members([alice, FSP], {"remove": ["<SID=S-1-5-11>"]}) == ([], [FSP], [alice])
    assert plan_members([alice, FSP], {"set": [bob.upper(), "<SID=S-1-5-11>"]}) == ([bob.upper()], [alice], [bob.upper(), "<SID=S-1-5-11>"])
    assert plan_members([alice], {"set": []}) == ([], [alice], [])
    assert plan_members([alice], None) == ([], [], [alice])
