# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the ACE sets it grants, written as SDDL once.

The MDI action account needs, on descendant objects of the delegated container: reset password and
read/write pwdLastSet and userAccountControl on users, read/write member on groups (MDI docs; MS-ADA).
"""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.ace import Ace
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import ace_from_sddl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import normalize_sid

# "{sid}" is the action account. CIIO + InheritedObjectType = "Applies to: descendant <class> objects".
MDI_ACTION_ACCOUNT_SDDL = (
    "(OA;CIIO;CR;00299570-246d-11d0-a768-00aa006e0529;bf967aba-0de6-11d0-a285-00aa003049e2;{sid})",  # reset password, users
    "(OA;CIIO;RPWP;bf967a0a-0de6-11d0-a285-00aa003049e2;bf967aba-0de6-11d0-a285-00aa003049e2;{sid})",  # pwdLastSet, users
    "(OA;CIIO;RPWP;bf967a68-0de6-11d0-a285-00aa003049e2;bf967aba-0de6-11d0-a285-00aa003049e2;{sid})",  # userAccountControl, users
    "(OA;CIIO;RPWP;bf9679c0-0de6-11d0-a285-00aa003049e2;bf967a9c-0de6-11d0-a285-00aa003049e2;{sid})",  # member, groups
)


def mdi_action_account_aces(sid: str) -> list[Ace]:
    """The four ACEs that delegate MDI's remediation actions to ``sid`` (a SID string)."""
    sid = normalize_sid(sid)  # validated before it is put into SDDL text
    return [ace_from_sddl(template.format(sid=sid)) for template in MDI_ACTION_ACCOUNT_SDDL]
