# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: how large an ACL the directory will store.

Checked before anything is written, so a change that would pass a limit fails with a message naming
the size or count and the limit, instead of a server error after part of the work is done.
"""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.errors import AclLimitError

# AclSize is a 16-bit field (MS-DTYP 2.4.5): about 1,170 typical 56-byte object ACEs.
MAX_ACL_SIZE = 65535
# Samba refuses more ACEs than this in one ACL (operationsError); Windows' practical limit is the size.
MAX_ACE_COUNT = 2000
LIMIT_FIX = "grant fewer ACEs (combine rights in one entry, or grant them once to a group), or remove unneeded ACEs from the object first"


def check_acl_limits(size: int, count: int, what: str = "ACL", max_aces: int = MAX_ACE_COUNT) -> None:
    """Raise AclLimitError when an ACL of ``size`` bytes holding ``count`` ACEs cannot be stored."""
    if size > MAX_ACL_SIZE:
        raise AclLimitError(
            f"{what} would be {size:,} bytes ({count:,} ACEs); an ACL holds at most {MAX_ACL_SIZE:,} bytes: {LIMIT_FIX}",
            size=size, count=count, limit=MAX_ACL_SIZE,
        )
    if count > max_aces:
        raise AclLimitError(
            f"{what} would hold {count:,} ACEs; at most {max_aces:,} ACEs are allowed in one ACL (Samba refuses more): {LIMIT_FIX}",
            size=size, count=count, limit=max_aces,
        )
