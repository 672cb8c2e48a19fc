# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the msDS-GroupMSAMembership security descriptor.

It lists who may retrieve a gMSA's password. Windows (Set-ADServiceAccount
-PrincipalsAllowedToRetrieveManagedPassword, observed) and Samba (samba-tool service-account) both
write: revision 1, control SE_DACL_PRESENT|SE_SELF_RELATIVE (0x8004), owner BUILTIN\\Administrators
at offset 20, no group, no SACL, then a revision-4 DACL with one ACCESS_ALLOWED ACE, flags 0,
mask 0xF01FF per principal. build_membership_descriptor() writes exactly that.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.ace import (
    ACCESS_ALLOWED_ACE_TYPE,
    ACCESS_ALLOWED_OBJECT_ACE_TYPE,
    ADS_RIGHT_DS_READ_PROP,
    DS_GENERIC_ALL,
    GENERIC_ALL,
    GENERIC_READ,
    Ace,
)
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import ACL_REVISION_DS, Acl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SE_DACL_PRESENT, SE_SELF_RELATIVE, SecurityDescriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import SDDL_SID_ALIASES, normalize_sid

MEMBERSHIP_OWNER = SDDL_SID_ALIASES["BA"]
EVERYONE = SDDL_SID_ALIASES["WD"]
MEMBERSHIP_MASK = DS_GENERIC_ALL  # 0xF01FF
# A principal may retrieve the password when an allow ACE grants it read-property access.
_READ_RIGHTS = ADS_RIGHT_DS_READ_PROP | GENERIC_ALL | GENERIC_READ


@dataclasses.dataclass(frozen=True)
class GmsaMembership:
    """What an msDS-GroupMSAMembership value says."""

    principals: tuple[str, ...]  # SIDs allowed to retrieve the password, in ACE order, without repeats
    denied: tuple[str, ...]  # SIDs named by deny ACEs (they override the allows for those SIDs)
    conventional: bool  # byte-identical to build_membership_descriptor(principals)
    descriptor: SecurityDescriptor


def _unique(sids: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for sid in sids:
        seen.setdefault(normalize_sid(sid), None)
    return list(seen)


def build_membership_descriptor(principal_sids: Iterable[str]) -> bytes:
    """The msDS-GroupMSAMembership value that lets exactly ``principal_sids`` retrieve the password.

    Principals keep the given order (repeats dropped), so the same list always yields the same bytes.
    """
    aces = [Ace(ACCESS_ALLOWED_ACE_TYPE, 0, MEMBERSHIP_MASK, sid) for sid in _unique(principal_sids)]
    descriptor = SecurityDescriptor(owner=MEMBERSHIP_OWNER, dacl=Acl(aces, ACL_REVISION_DS), control=SE_DACL_PRESENT | SE_SELF_RELATIVE)
    return descriptor.encode()


def parse_membership(data: bytes) -> GmsaMembership:
    """Read an msDS-GroupMSAMembership value (raises SecurityDescriptorError when malformed)."""
    descriptor = SecurityDescriptor.parse(data)
    allowed, denied = [], []
    if descriptor.dacl is None:
        # No DACL, or a NULL DACL, grants everyone access: say so rather than "nobody".
        allowed.append(EVERYONE)
    for ace in descriptor.dacl or ():
        if not isinstance(ace, Ace) or ace.is_inherit_only or ace.object_type is not None:
            continue
        if ace.ace_type in (ACCESS_ALLOWED_ACE_TYPE, ACCESS_ALLOWED_OBJECT_ACE_TYPE) and ace.mask & _READ_RIGHTS:
            allowed.append(ace.sid)
        elif ace.is_deny and ace.mask & _READ_RIGHTS:
            denied.append(ace.sid)
    principals = tuple(_unique(allowed))
    conventional = bytes(data) == build_membership_descriptor(principals)
    return GmsaMembership(principals, tuple(_unique(denied)), conventional, descriptor)


def allowed_principals(data: bytes) -> list[str]:
    """SIDs allowed to retrieve the gMSA password, minus those a deny ACE names."""
    membership = parse_membership(data)
    return [sid for sid in membership.principals if sid not in membership.denied]
