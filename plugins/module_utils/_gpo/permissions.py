# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: a GPO's security filtering in its container's DACL, pure logic.

The ACEs are the ones the groupPolicyContainer's schema default gives Authenticated Users (and the ones GPMC's
GPMPermissionType names): Read (GpoRead) is ``(A;CI;LCRPLORC;;;SID)``, Apply (GpoApply) is Read plus
``(OA;CI;CR;<Apply Group Policy>;;SID)``, and Deny-Apply (what Microsoft's DefenderForIdentity module adds for the
Domain Controllers) is ``(OD;;CR;<Apply Group Policy>;;SID)``. Only these forms are added; an explicit Apply or
Deny-Apply object ACE with other flags also counts when one is taken away. Every other ACE is kept as it is.
"""
from __future__ import annotations

import uuid

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.ace import (
    ACCESS_ALLOWED_ACE_TYPE, ACCESS_ALLOWED_OBJECT_ACE_TYPE, ACCESS_DENIED_OBJECT_ACE_TYPE, ADS_RIGHT_DS_CONTROL_ACCESS,
    CONTAINER_INHERIT_ACE, DS_GENERIC_READ, Ace)
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import Acl

APPLY_GROUP_POLICY = uuid.UUID("edacfd8f-ffb3-11d1-b41d-00a0c968f939")
LEVELS = ("read", "apply", "deny_apply")
READ, APPLY, DENY_APPLY = "read", "apply", "deny_apply"


def read_ace(sid: str) -> Ace:
    return Ace(ACCESS_ALLOWED_ACE_TYPE, CONTAINER_INHERIT_ACE, DS_GENERIC_READ, sid)


def apply_ace(sid: str) -> Ace:
    return Ace(ACCESS_ALLOWED_OBJECT_ACE_TYPE, CONTAINER_INHERIT_ACE, ADS_RIGHT_DS_CONTROL_ACCESS, sid, APPLY_GROUP_POLICY)


def deny_apply_ace(sid: str) -> Ace:
    return Ace(ACCESS_DENIED_OBJECT_ACE_TYPE, 0, ADS_RIGHT_DS_CONTROL_ACCESS, sid, APPLY_GROUP_POLICY)


def _kind(ace) -> str | None:
    """READ, APPLY or DENY_APPLY for an explicit ACE of that meaning, else None (the ACE is not security filtering)."""
    if not isinstance(ace, Ace) or ace.is_inherited:
        return None
    if ace.ace_type == ACCESS_ALLOWED_ACE_TYPE and ace == read_ace(ace.sid):
        return READ
    if ace.object_type == APPLY_GROUP_POLICY and ace.mask & ADS_RIGHT_DS_CONTROL_ACCESS and not ace.is_inherit_only:
        return {ACCESS_ALLOWED_OBJECT_ACE_TYPE: APPLY, ACCESS_DENIED_OBJECT_ACE_TYPE: DENY_APPLY}.get(ace.ace_type)
    return None


def held(dacl: Acl) -> dict[str, set[str]]:
    """SID -> the kinds (READ, APPLY, DENY_APPLY) the DACL gives it, for every SID that has one."""
    found: dict[str, set[str]] = {}
    for ace in dacl:
        kind = _kind(ace)
        if kind:
            found.setdefault(ace.sid, set()).add(kind)
    return found


def level_of(kinds: set[str]) -> str:
    """The level as the task names it; "apply_without_read" is an Apply nobody lets the principal read (it has no effect)."""
    if DENY_APPLY in kinds:
        return DENY_APPLY
    if APPLY in kinds:
        return APPLY if READ in kinds else "apply_without_read"
    return READ


def _remove(dacl: Acl, sid: str, kind: str) -> None:
    for ace in [ace for ace in dacl if _kind(ace) == kind and ace.sid == sid]:
        dacl.remove(ace)


_TAKEN_AWAY = {READ: (APPLY, DENY_APPLY), APPLY: (DENY_APPLY,), DENY_APPLY: (APPLY,)}
_GIVEN = {READ: lambda sid: [read_ace(sid)], APPLY: lambda sid: [read_ace(sid), apply_ace(sid)],
          DENY_APPLY: lambda sid: [deny_apply_ace(sid)]}


def planned_dacl(dacl: Acl, wanted: dict[str, str], exact: bool) -> Acl:
    """A copy of ``dacl`` with each SID of ``wanted`` (SID -> level) at its level: read = Read and no Apply; apply = Read
    and Apply; deny_apply = Deny-Apply and no Apply (its Read is left as found: a Deny needs no Read, and may keep the
    only one). ``exact``: the other SIDs lose their Apply and Deny-Apply, and keep their Read (GPMC's security filtering:
    a GPO that nobody may read is not processed at all)."""
    planned = Acl(list(dacl), revision=dacl.revision)
    for sid, kinds in held(dacl).items():
        if exact and sid not in wanted:
            for kind in kinds - {READ}:
                _remove(planned, sid, kind)
    for sid, level in wanted.items():
        for kind in _TAKEN_AWAY[level]:
            _remove(planned, sid, kind)
        for ace in _GIVEN[level](sid):
            planned.ensure(ace)
    return planned if planned.raw_entries != dacl.raw_entries else dacl


def describe(dacl: Acl, name_of) -> list[dict]:
    """The security filtering the DACL holds: one {principal, sid, level} per SID, sorted by principal name."""
    shown = [{"principal": name_of(sid), "sid": sid, "level": level_of(kinds)} for sid, kinds in held(dacl).items()]
    return sorted(shown, key=lambda item: (item["principal"].lower(), item["sid"]))
