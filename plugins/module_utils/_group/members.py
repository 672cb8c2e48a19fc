# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: a group's member values, compared by the principal they stand for.

A principal of the domain is a member by its DN. A well-known one (Authenticated Users, ...) or one of another forest
is a member through its foreign security principal, CN=<SID>,CN=ForeignSecurityPrincipals,<domain>, which the DC
creates when it is given <SID=...>: both forms are compared by the SID.
"""
from __future__ import annotations

import re

from ansible_collections.mdi.action_accounts.plugins.module_utils._gmsa.account import apply_list_change

_FSP = re.compile(r"^CN=(S-1-[0-9-]+),CN=ForeignSecurityPrincipals,", re.IGNORECASE)


def member_key(value: str) -> str:
    """What a member value stands for: the SID of a foreign security principal or <SID=...>, else the DN (lower case)."""
    found = _FSP.match(value) or re.match(r"^<SID=(S-1-[0-9-]+)>$", value, re.IGNORECASE)
    return found.group(1).upper() if found else value.lower()


def foreign_principal_dn(sid: str, domain_dn: str) -> str:
    return f"CN={sid},CN=ForeignSecurityPrincipals,{domain_dn}"


def member_value(principal, domain_dn: str) -> str:
    """The value that makes ``principal`` (a resolved Principal) a member: its DN in the domain, else <SID=...>."""
    if principal.dn and principal.dn.lower().endswith(domain_dn.lower()) and not _FSP.match(principal.dn):
        return principal.dn
    return f"<SID={principal.sid}>"


def plan_members(current: list[str], change: dict | None) -> tuple[list[str], list[str], list[str]]:
    """(values to add, values to remove, the member list after) for an {add, remove, set} change of member values."""
    after = apply_list_change(current, change, key=member_key)
    before_keys = {member_key(v) for v in current}
    after_keys = {member_key(v) for v in after}
    added = [v for v in after if member_key(v) not in before_keys]
    removed = [v for v in current if member_key(v) not in after_keys]
    return added, removed, after
