# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Property-based tests of the ACE planner (_ace/plan.py) with hypothesis, on generated DACLs and desired ACEs, and on
generated SACLs and desired audit ACEs (the planner treats both parts alike; "DACL" below stands for either).

What plan.py promises, and only that: planning again on the result (as written and re-read) changes nothing, for
every state; `exact` then `present` with the same list is a no-op; `absent` removes exactly the listed ACEs, so
`absent` of what `present` added gives back the DACL's ACEs as they were; only the principal's explicit ACEs are
added or removed (every other ACE keeps its bytes and order); the DACL read is left unchanged; new ACEs go to their
canonical place, so a canonical DACL stays canonical. Settings: _sd/strategies.PROPERTIES.
"""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace.plan import STATES, Intent, apply, explicit_aces_of, satisfied
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd import ace as sd
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import ACL_REVISION, ACL_REVISION_DS, Acl
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ace.fakes import others
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._sd.strategies import (
    ACCESS_TYPES,
    DOMAIN_SID,
    PROPERTIES,
    audit_aces_of,
    object_aces,
    plain_aces,
    raw_aces,
)

PRINCIPAL = f"{DOMAIN_SID}-1102"
SIDS = st.sampled_from([PRINCIPAL, f"{DOMAIN_SID}-1103", "S-1-5-18", "S-1-5-32-544"])
EXPLICIT_FLAGS = st.integers(0, 0xFF).map(lambda flags: flags & ~sd.INHERITED_ACE)
# What a task may ask for: explicit ACEs of the principal, allow or deny, plain or object, any flags and masks.
OBJECT_ACCESS_TYPES = [value for value in ACCESS_TYPES if value in sd.OBJECT_ACE_TYPES]
PLAIN_ACCESS_TYPES = [value for value in ACCESS_TYPES if value not in sd.OBJECT_ACE_TYPES]
wanted_aces = st.one_of(plain_aces(types=PLAIN_ACCESS_TYPES, sid=st.just(PRINCIPAL), flags=EXPLICIT_FLAGS, data=st.just(b"")),
                        object_aces(types=OBJECT_ACCESS_TYPES, sid=st.just(PRINCIPAL), flags=EXPLICIT_FLAGS, data=st.just(b"")))
# Anything a DACL holds: others' ACEs, inherited ones (the principal's too), opaque types, and the principal's own.
dacl_aces = st.one_of(plain_aces(sid=SIDS), object_aces(sid=SIDS), raw_aces(), wanted_aces)
# What a task may ask for in a SACL: audit ACEs of the principal (success, failure or both), plain or object.
AUDIT_OUTCOMES = st.sampled_from([sd.SUCCESSFUL_ACCESS_ACE_FLAG, sd.FAILED_ACCESS_ACE_FLAG, sd.SUCCESSFUL_ACCESS_ACE_FLAG | sd.FAILED_ACCESS_ACE_FLAG])
AUDIT_FLAGS = st.tuples(EXPLICIT_FLAGS, AUDIT_OUTCOMES).map(lambda pair: (pair[0] & 0x3F) | pair[1])
wanted_audit_aces = st.one_of(
    plain_aces(types=[sd.SYSTEM_AUDIT_ACE_TYPE], sid=st.just(PRINCIPAL), flags=AUDIT_FLAGS, data=st.just(b"")),
    object_aces(types=[sd.SYSTEM_AUDIT_OBJECT_ACE_TYPE], sid=st.just(PRINCIPAL), flags=AUDIT_FLAGS, data=st.just(b"")))
# Anything a SACL holds: others' audit ACEs, inherited ones, the mandatory label, opaque types, and the principal's own.
sacl_aces = st.one_of(audit_aces_of(SIDS), raw_aces(), wanted_audit_aces)
PARTS = {"dacl": (wanted_aces, dacl_aces), "sacl": (wanted_audit_aces, sacl_aces)}


@st.composite
def scenarios(draw, canonical: bool = False):
    """(DACL or SACL, desired ACEs): it may already hold some desired ACEs, once or more, anywhere."""
    wanted_pool, entry_pool = PARTS[draw(st.sampled_from(sorted(PARTS)))]
    wanted = draw(st.lists(wanted_pool, max_size=5))
    entries = draw(st.lists(entry_pool, max_size=10))
    for ace in draw(st.lists(st.sampled_from(wanted), max_size=4)) if wanted else []:
        entries.insert(draw(st.integers(0, len(entries))), ace)
    acl = Acl.parse(Acl(entries, revision=draw(st.sampled_from([ACL_REVISION, ACL_REVISION_DS]))).encode())  # as read from the directory
    if canonical:  # as a DACL Windows or Samba wrote: in canonical order, strict or loose
        acl.canonicalize(strict=draw(st.booleans()))
        acl = Acl.parse(acl.encode())
    return acl, wanted


def reread(plan) -> Acl:
    """The plan's DACL as written and read back."""
    return Acl.parse(plan.acl.encode())


@PROPERTIES
@given(scenarios(), st.sampled_from(STATES))
def test_planning_again_on_the_result_changes_nothing(scenario, state):
    dacl, wanted = scenario
    intent = Intent(PRINCIPAL, wanted, state)
    first = apply(intent, dacl)
    assert satisfied(intent, first.acl)
    second = apply(intent, reread(first))
    assert not second.changed and not second.needs_write
    assert second.added == [] and second.removed == []
    assert second.acl.encode() == first.acl.encode()


@PROPERTIES
@given(scenarios(), st.sampled_from(STATES))
def test_only_the_principals_explicit_aces_change_and_the_dacl_read_does_not(scenario, state):
    dacl, wanted = scenario
    read = dacl.encode()
    plan = apply(Intent(PRINCIPAL, wanted, state), dacl)
    assert dacl.encode() == read and not dacl.modified
    assert others(plan.acl, PRINCIPAL) == others(dacl, PRINCIPAL)  # byte for byte, same order
    before = explicit_aces_of(dacl, PRINCIPAL)
    if state == "present":
        assert all(ace in plan.after for ace in before + wanted) and len(plan.after) == len(before) + len(plan.added)
        assert plan.removed == [] and set(plan.added) == set(wanted) - set(before)
    elif state == "absent":
        assert plan.after == [ace for ace in before if ace not in wanted] and plan.added == []
    else:
        assert sorted(ace.encode() for ace in plan.after) == sorted(ace.encode() for ace in dict.fromkeys(wanted))
    assert plan.changed == (plan.acl.encode() != read)


@PROPERTIES
@given(scenarios())
def test_exact_then_present_with_the_same_list_is_a_no_op(scenario):
    dacl, wanted = scenario
    exact = apply(Intent(PRINCIPAL, wanted, "exact"), dacl)
    present = apply(Intent(PRINCIPAL, wanted, "present"), reread(exact))
    assert not present.changed and present.acl.encode() == exact.acl.encode()


@PROPERTIES
@given(scenarios())
def test_absent_of_what_present_added_gives_the_dacl_back(scenario):
    dacl, wanted = scenario
    added = apply(Intent(PRINCIPAL, wanted, "present"), dacl)
    removed = apply(Intent(PRINCIPAL, added.added, "absent"), reread(added))
    assert removed.removed == added.added
    assert removed.acl.raw_entries == dacl.raw_entries  # every ACE back, in its place
    # Byte for byte, header included, when the DACL was ACL_REVISION_DS (as AD stores them); a revision-2 DACL keeps
    # the revision an object ACE raised it to (acl.py), which the planner does not promise to undo.
    if dacl.revision == ACL_REVISION_DS or not any(ace.is_object_ace for ace in added.added):
        assert removed.acl.encode() == dacl.encode()


@PROPERTIES
@given(scenarios(canonical=True), st.sampled_from(STATES))
def test_a_canonical_dacl_stays_canonical(scenario, state):
    dacl, wanted = scenario
    plan = apply(Intent(PRINCIPAL, wanted, state), dacl)
    assert plan.acl.is_canonical() or not dacl.is_canonical()
    assert plan.acl.is_canonical(strict=True) or not dacl.is_canonical(strict=True)
