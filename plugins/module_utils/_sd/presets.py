# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the ACE sets it grants, written as SDDL once.

The MDI action account needs, on descendant objects of the delegated container: reset password and
read/write pwdLastSet and userAccountControl on users, read/write member on groups (MDI docs; MS-ADA).
The audit presets are the SACL ACEs of Set-MDIConfiguration's DomainObjectAuditing, ConfigurationContainerAuditing
and AdfsAuditing (DefenderForIdentity module 1.0.0.4), where the trustee is Everyone.
"""
from __future__ import annotations

import functools

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


# On the domain root: audit success of changes to descendant objects of each account and group class.
DOMAIN_OBJECT_AUDITING_SDDL = (
    "(OU;CIIOSA;CCDCSWWPDTCRSDWDWO;;bf967aba-0de6-11d0-a285-00aa003049e2;{sid})",  # user
    "(OU;CIIOSA;CCDCSWWPDTCRSDWDWO;;bf967a9c-0de6-11d0-a285-00aa003049e2;{sid})",  # group
    "(OU;CIIOSA;CCDCSWWPDTCRSDWDWO;;bf967a86-0de6-11d0-a285-00aa003049e2;{sid})",  # computer
    "(OU;CIIOSA;CCDCSWWPDTCRSDWDWO;;ce206244-5827-4a86-ba1c-1c0c386c1b64;{sid})",  # msDS-ManagedServiceAccount
    "(OU;CIIOSA;CCDCSWWPDTSDWDWO;;7b8b558a-93a5-4af7-adca-c017e67f1057;{sid})",  # msDS-GroupManagedServiceAccount (no CR)
    "(OU;CIIOSA;CCDCSWWPDTSDWDWO;;0feb936f-47b3-49f2-9386-1dedc2c23765;{sid})",  # msDS-DelegatedManagedServiceAccount (no CR)
)
# On CN=Configuration: audit success and failure of property writes, this object and all descendants.
CONFIGURATION_CONTAINER_AUDITING_SDDL = ("(AU;CISAFA;WP;;;{sid})",)
# On CN=ADFS,CN=Microsoft,CN=Program Data,<domain>: the same for property reads and writes.
ADFS_AUDITING_SDDL = ("(AU;CISAFA;RPWP;;;{sid})",)


def _aces(templates: tuple, sid: str) -> list[Ace]:
    sid = normalize_sid(sid)  # validated before it is put into SDDL text
    return [ace_from_sddl(template.format(sid=sid)) for template in templates]


def mdi_action_account_aces(sid: str) -> list[Ace]:
    """The four ACEs that delegate MDI's remediation actions to ``sid`` (a SID string)."""
    return _aces(MDI_ACTION_ACCOUNT_SDDL, sid)


# preset name -> its audit ACEs for a trustee SID (MDI: Everyone, S-1-1-0).
AUDIT_PRESETS = {
    "domain_object_auditing": functools.partial(_aces, DOMAIN_OBJECT_AUDITING_SDDL),
    "configuration_container_auditing": functools.partial(_aces, CONFIGURATION_CONTAINER_AUDITING_SDDL),
    "adfs_auditing": functools.partial(_aces, ADFS_AUDITING_SDDL),
}
