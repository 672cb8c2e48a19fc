# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: a group's scope and category in its groupType (MS-ADTS 2.2.12),
and the scope changes AD refuses."""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError

SCOPE_BITS = {"global": 0x2, "domain_local": 0x4, "universal": 0x8}
SECURITY_BIT = 0x80000000
BUILTIN_LOCAL_BIT = 0x1  # BUILTIN groups (Administrators, ...): their scope cannot change
# AD changes a scope only through universal: a global or domain-local group becomes universal first.
_REFUSED = {("global", "domain_local"), ("domain_local", "global")}


def encode(scope: str, category: str) -> int:
    """groupType as AD stores it: a signed 32-bit integer (a security group is negative)."""
    value = SCOPE_BITS[scope] | (SECURITY_BIT if category == "security" else 0)
    return value - (1 << 32) if value & SECURITY_BIT else value


def decode(group_type: int) -> tuple[str | None, str]:
    """(scope, category) of a groupType value; scope None for bits this module does not know."""
    unsigned = group_type & 0xFFFFFFFF
    scope = next((name for name, bit in SCOPE_BITS.items() if unsigned & bit), None)
    return scope, "security" if unsigned & SECURITY_BIT else "distribution"


def check_scope_change(name: str, group_type: int, new_scope: str) -> None:
    """Raise MdiError for a scope change AD refuses, saying how to get there."""
    old_scope, _category = decode(group_type)
    if old_scope == new_scope:
        return
    if group_type & BUILTIN_LOCAL_BIT:
        raise MdiError(f"group {name} is a built-in group: its scope cannot change; leave scope out")
    if (old_scope, new_scope) in _REFUSED:
        raise MdiError(f"AD does not change the {old_scope} group {name} to {new_scope} directly: run the task with scope: universal "
                       f"first, then with scope: {new_scope}")
