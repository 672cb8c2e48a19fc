# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _ace/plan.py: present/absent/exact on real Samba DACLs, limits, and the retry merge."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace.plan import Intent, apply, explicit_aces_of, merge, satisfied
from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import INHERITED, Acl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.errors import AclLimitError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.presets import mdi_action_account_aces
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import ace_from_sddl, ace_to_sddl
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ace.fakes import others

OTHER = "S-1-5-21-1-2-3-2001"


def test_present_adds_the_preset_in_canonical_place_and_keeps_the_rest(root_dacl, account):
    plan = apply(Intent(account, mdi_action_account_aces(account)), root_dacl)
    assert plan.changed and plan.needs_write and plan.before == []
    assert [ace_to_sddl(a) for a in plan.added] == [ace_to_sddl(a) for a in mdi_action_account_aces(account)]
    assert len(plan.after) == 4
    assert others(plan.acl, account) == list(root_dacl.raw_entries)  # byte for byte, same order
    assert plan.acl.is_canonical() and root_dacl.is_canonical()
    assert not root_dacl.modified  # the DACL read is never changed


def test_present_twice_is_unchanged(root_dacl, account):
    first = apply(Intent(account, mdi_action_account_aces(account)), root_dacl)
    second = apply(Intent(account, mdi_action_account_aces(account)), first.acl)
    assert not second.changed and not second.needs_write and second.added == [] and second.removed == []
    assert second.acl.encode() == first.acl.encode()


def test_samba_ou_already_holds_the_preset(ou_dacl, account):
    plan = apply(Intent(account, mdi_action_account_aces(account)), ou_dacl)
    assert not plan.changed and plan.acl.encode() == ou_dacl.encode()
    assert satisfied(Intent(account, mdi_action_account_aces(account)), ou_dacl)


def test_absent_removes_only_those_aces(ou_dacl, account):
    preset = mdi_action_account_aces(account)
    plan = apply(Intent(account, preset[3:], "absent"), ou_dacl)
    assert plan.removed == preset[3:] and plan.added == []
    assert set(plan.after) == set(preset[:3])
    assert others(plan.acl, account) == others(ou_dacl, account)
    again = apply(Intent(account, preset[3:], "absent"), plan.acl)
    assert not again.changed
    assert satisfied(Intent(account, preset[3:], "absent"), plan.acl)


def test_exact_replaces_this_principal_only(ou_dacl, account):
    wanted = [ace_from_sddl(f"(A;;RC;;;{account})")]
    plan = apply(Intent(account, wanted, "exact"), ou_dacl)
    assert plan.after == wanted and plan.added == wanted and len(plan.removed) == 4
    assert others(plan.acl, account) == others(ou_dacl, account)
    assert plan.acl.is_canonical()
    assert satisfied(Intent(account, wanted, "exact"), plan.acl)
    assert not apply(Intent(account, wanted, "exact"), plan.acl).changed


def test_exact_with_nothing_removes_every_explicit_ace_but_no_inherited_one(ou_dacl):
    authenticated_users = "S-1-5-11"  # one explicit ACE (A;;LCRPLORC;;;AU), none inherited
    enterprise_dcs = "S-1-5-9"  # one explicit ACE and inherited ones
    for sid in (authenticated_users, enterprise_dcs):
        inherited = [raw for index, raw in enumerate(ou_dacl.raw_entries)
                     if index in ou_dacl.indexes_for_sid(sid) and ou_dacl.category(index) == INHERITED]
        plan = apply(Intent(sid, [], "exact"), ou_dacl)
        assert len(plan.removed) == 1 and plan.after == []
        assert [raw for raw in plan.acl.raw_entries if raw in inherited] == inherited


def test_exact_drops_duplicates(root_dacl, account):
    ace = ace_from_sddl(f"(A;;RC;;;{account})")
    doubled = Acl.parse(root_dacl.encode())
    doubled.insert(0, ace)
    doubled.insert(0, ace)
    plan = apply(Intent(account, [ace], "exact"), doubled)
    assert plan.after == [ace] and plan.removed == [ace] and plan.changed


def test_deny_goes_first_allow_object_after_allow(root_dacl, account):
    deny = ace_from_sddl(f"(D;;WD;;;{account})")
    plan = apply(Intent(account, [deny, *mdi_action_account_aces(account)]), root_dacl)
    assert plan.acl.find(deny) == 0
    assert plan.acl.is_canonical()


def test_other_principal_untouched_even_with_identical_rights(root_dacl, account):
    theirs = [ace_from_sddl(f"(A;;RC;;;{OTHER})")]
    start = apply(Intent(OTHER, theirs), root_dacl).acl
    plan = apply(Intent(account, [], "exact"), start)
    assert not plan.changed and theirs[0] in plan.acl


def test_limits_are_checked_before_writing(account):
    full = Acl(max_aces=5)
    for rid in range(5):
        full.append(ace_from_sddl(f"(A;;RC;;;S-1-5-21-1-2-3-{3000 + rid})"))
    with pytest.raises(AclLimitError, match="at most 5 ACEs"):
        apply(Intent(account, [ace_from_sddl(f"(A;;RC;;;{account})")]), full)


def test_merge_keeps_a_concurrent_writers_ace(root_dacl, account):
    intent = Intent(account, mdi_action_account_aces(account))
    first = apply(intent, root_dacl)
    # Another writer added its own ACE after our read: re-apply to what it left.
    theirs = ace_from_sddl(f"(OA;CIIO;RP;bf967a0a-0de6-11d0-a285-00aa003049e2;bf967aba-0de6-11d0-a285-00aa003049e2;{OTHER})")
    reread = apply(Intent(OTHER, [theirs]), root_dacl).acl
    merged = merge(intent, reread, first)
    assert theirs in merged.acl and all(ace in merged.acl for ace in intent.aces)
    assert merged.added == first.added and merged.before == []
    assert merged.acl.is_canonical()


def test_merge_after_a_clobbered_write_adds_again(root_dacl, account):
    intent = Intent(account, mdi_action_account_aces(account))
    first = apply(intent, root_dacl)
    assert not satisfied(intent, root_dacl)  # the verify step would see our write lost
    merged = merge(intent, root_dacl, first)
    assert merged.needs_write and satisfied(intent, merged.acl)


def test_intent_refuses_foreign_or_inherited_aces(account):
    with pytest.raises(MdiError, match="must be explicit ACEs of"):
        Intent(account, [ace_from_sddl(f"(A;;RC;;;{OTHER})")])
    with pytest.raises(MdiError, match="must be explicit ACEs of"):
        Intent(account, [ace_from_sddl(f"(A;ID;RC;;;{account})")])
    with pytest.raises(MdiError, match="state must be one of"):
        Intent(account, [], "sometimes")


def test_explicit_aces_of_reads_only_that_principal(ou_dacl, account):
    assert {ace_to_sddl(a) for a in explicit_aces_of(ou_dacl, account)} == {ace_to_sddl(a) for a in mdi_action_account_aces(account)}
