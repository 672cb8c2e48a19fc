# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: Test-MDIDSA's verdicts, each a row {check, status, detail, fix_var, fix}.

The reads are task.py's; here only what they mean, so every rule is tested without a directory.
"""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._gmsa.retrieval import (
    DOMAIN_CONTROLLERS_RID, ENTERPRISE_DOMAIN_CONTROLLERS,
)
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.ace import (
    ADS_RIGHT_ACTRL_DS_LIST, ADS_RIGHT_DS_READ_PROP, GENERIC_ALL, GENERIC_READ, Ace,
)

# Test-MDIDSA's sensitive groups: Administrators, Account/Server/Print/Backup Operators, Replicators ...
SENSITIVE_BUILTIN = ("S-1-5-32-544", "S-1-5-32-548", "S-1-5-32-549", "S-1-5-32-550", "S-1-5-32-551", "S-1-5-32-552")
# ... and Domain Admins, Domain Controllers, Cert Publishers, Schema Admins, Enterprise Admins, Group Policy Creator Owners
# of any domain of the forest (these RIDs mean the same group in every domain).
SENSITIVE_RIDS = (512, 516, 517, 518, 519, 520)
DELETED_OBJECTS_RIGHTS = ADS_RIGHT_ACTRL_DS_LIST | ADS_RIGHT_DS_READ_PROP
STATE_VAR = "directory_service_account_state"
DELETED_OBJECTS_VAR = "directory_service_account_deleted_objects"


def row(check: str, passed: bool, detail: str, fix_var: str | None = None, fix: str | None = None) -> dict:
    """``fix_var``: the directory_service_account role's variable that fixes a failure; ``fix``: what to do by hand
    when no role variable does (the role never takes an account out of groups or rewrites others' DACLs)."""
    failed = not passed
    return {"check": check, "status": "FAIL" if failed else "PASS", "detail": detail, "fix_var": fix_var if failed else None,
            "fix": fix if failed else None}


def _listed(names: list, limit: int = 5) -> str:
    return ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")


def is_sensitive(sid: str) -> bool:
    if sid.upper() in SENSITIVE_BUILTIN:
        return True
    head, _sep, rid = sid.rpartition("-")
    return head.upper().startswith("S-1-5-21-") and rid.isdigit() and int(rid) in SENSITIVE_RIDS


def sensitive_groups(account: str, groups: dict) -> dict:
    """``groups``: SID -> name of every group the account is in, directly or not."""
    found = sorted(name for sid, name in groups.items() if is_sensitive(sid))
    if found:
        return row("sensitive_groups", False, f"{account} is in {', '.join(found)} (directly or through nested groups); a sensor's "
                   "read-only account must hold no administrative group", None,
                   f"take {account} out of {', '.join(found)}, or out of the group that nests it in them (its memberOf "
                   "shows the direct groups)")
    return row("sensitive_groups", True, f"{account} is in none of the sensitive groups (it is in {len(groups)} security groups)")


def explicit_allows(descriptor, sids: set) -> list:
    """The explicit (not inherited) allow ACEs of ``descriptor``'s DACL whose trustee is one of ``sids``."""
    return [ace for ace in descriptor.dacl or () if isinstance(ace, Ace) and ace.is_allow and not ace.is_inherited and ace.sid in sids]


def explicit_delegation(account: str, delegated: list) -> dict:
    """``delegated``: DNs of domain, OU and group objects whose DACL explicitly allows the account or one of its groups."""
    if delegated:
        shown = _listed(delegated)
        return row("explicit_delegation", False, f"explicit Allow ACEs for {account} or its groups on {shown}; the account needs only "
                   "read access", None, f"remove the Allow ACEs for {account} and its groups from {shown} "
                   "(mdi.action_accounts.ad_ace with state=absent, or the object's Security tab)")
    return row("explicit_delegation", True, f"no explicit Allow ACE for {account} or its groups on the domain, OUs or groups")


def manager_of(account: str, managed: list) -> dict:
    if managed:
        shown = _listed(sorted(managed))
        return row("manager_of", False, f"{account} is manager (managedBy or manager) of {shown}", None,
                   f"clear managedBy or manager on {shown}, or name another manager there")
    return row("manager_of", True, f"{account} is nobody's manager")


def granted_mask(descriptor, sids: set) -> int:
    """The rights that allow ACEs effective on the object itself grant to any of ``sids`` (generic rights as DS rights)."""
    mask = 0
    for ace in descriptor.dacl or ():
        if isinstance(ace, Ace) and ace.is_allow and not ace.is_inherit_only and ace.object_type is None and ace.sid in sids:
            mask |= ace.mask
    if mask & (GENERIC_ALL | GENERIC_READ):
        mask |= DELETED_OBJECTS_RIGHTS
    return mask


def deleted_objects(account: str, container: str, mask: int | None) -> dict:
    """``mask``: what the account and its groups are granted on the container; None when it could not be read."""
    if mask is None:
        return row("deleted_objects", False, f"the bind account may not read the DACL of {container}, which grants Administrators only List "
                   "Contents and Read Property: nothing was granted through the role, which takes ownership of it first", DELETED_OBJECTS_VAR)
    missing = [name for bit, name in ((ADS_RIGHT_ACTRL_DS_LIST, "List Contents"), (ADS_RIGHT_DS_READ_PROP, "Read Property"))
               if not mask & bit]
    if missing:
        return row("deleted_objects", False, f"{account} and its groups lack {' and '.join(missing)} on {container}", DELETED_OBJECTS_VAR)
    return row("deleted_objects", True, f"{account} may list and read {container}")


def password_retrieval(account: str, is_gmsa: bool, principals: tuple, denied: tuple, domain_sid: str) -> dict:
    """``principals`` / ``denied``: the SIDs msDS-GroupMSAMembership allows / denies."""
    if not is_gmsa:
        return row("password_retrieval", True, f"{account} is a user account: its password is set, not retrieved")
    dcs = {f"{domain_sid}-{DOMAIN_CONTROLLERS_RID}".upper(), ENTERPRISE_DOMAIN_CONTROLLERS}
    allowed = dcs & {s.upper() for s in principals}
    if allowed and not dcs & {s.upper() for s in denied}:
        return row("password_retrieval", True, f"the domain controllers may retrieve the password of {account}")
    return row("password_retrieval", False, f"the domain controllers may not retrieve the password of {account} (msDS-GroupMSAMembership "
               "names neither Domain Controllers nor Enterprise Domain Controllers, or denies them)", STATE_VAR)
