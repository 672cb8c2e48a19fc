# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the Windows user-right and privilege names.

Every constant LSA knows (the SE_*_NAME privileges of winnt.h and the Se*Right account rights of
ntsecapi.h) with the name the Local Security Policy editor shows, so users may write either
"SeServiceLogonRight" or "Log on as a service". Checked here, before any host is contacted.
"""
from __future__ import annotations

import difflib
import re

from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.errors import UserRightError

# constant -> the policy's display name (secpol.msc, Group Policy editor).
RIGHTS = {
    # Account rights (logon rights), ntsecapi.h.
    "SeBatchLogonRight": "Log on as a batch job",
    "SeDenyBatchLogonRight": "Deny log on as a batch job",
    "SeDenyInteractiveLogonRight": "Deny log on locally",
    "SeDenyNetworkLogonRight": "Deny access to this computer from the network",
    "SeDenyRemoteInteractiveLogonRight": "Deny log on through Remote Desktop Services",
    "SeDenyServiceLogonRight": "Deny log on as a service",
    "SeInteractiveLogonRight": "Allow log on locally",
    "SeNetworkLogonRight": "Access this computer from the network",
    "SeRemoteInteractiveLogonRight": "Allow log on through Remote Desktop Services",
    "SeServiceLogonRight": "Log on as a service",
    # Privileges, winnt.h.
    "SeAssignPrimaryTokenPrivilege": "Replace a process level token",
    "SeAuditPrivilege": "Generate security audits",
    "SeBackupPrivilege": "Back up files and directories",
    "SeChangeNotifyPrivilege": "Bypass traverse checking",
    "SeCreateGlobalPrivilege": "Create global objects",
    "SeCreatePagefilePrivilege": "Create a pagefile",
    "SeCreatePermanentPrivilege": "Create permanent shared objects",
    "SeCreateSymbolicLinkPrivilege": "Create symbolic links",
    "SeCreateTokenPrivilege": "Create a token object",
    "SeDebugPrivilege": "Debug programs",
    "SeDelegateSessionUserImpersonatePrivilege": "Obtain an impersonation token for another user in the same session",
    "SeEnableDelegationPrivilege": "Enable computer and user accounts to be trusted for delegation",
    "SeImpersonatePrivilege": "Impersonate a client after authentication",
    "SeIncreaseBasePriorityPrivilege": "Increase scheduling priority",
    "SeIncreaseQuotaPrivilege": "Adjust memory quotas for a process",
    "SeIncreaseWorkingSetPrivilege": "Increase a process working set",
    "SeLoadDriverPrivilege": "Load and unload device drivers",
    "SeLockMemoryPrivilege": "Lock pages in memory",
    "SeMachineAccountPrivilege": "Add workstations to domain",
    "SeManageVolumePrivilege": "Perform volume maintenance tasks",
    "SeProfileSingleProcessPrivilege": "Profile single process",
    "SeRelabelPrivilege": "Modify an object label",
    "SeRemoteShutdownPrivilege": "Force shutdown from a remote system",
    "SeRestorePrivilege": "Restore files and directories",
    "SeSecurityPrivilege": "Manage auditing and security log",
    "SeShutdownPrivilege": "Shut down the system",
    "SeSyncAgentPrivilege": "Synchronize directory service data",
    "SeSystemEnvironmentPrivilege": "Modify firmware environment values",
    "SeSystemProfilePrivilege": "Profile system performance",
    "SeSystemtimePrivilege": "Change the system time",
    "SeTakeOwnershipPrivilege": "Take ownership of files or other objects",
    "SeTcbPrivilege": "Act as part of the operating system",
    "SeTimeZonePrivilege": "Change the time zone",
    "SeTrustedCredManAccessPrivilege": "Access Credential Manager as a trusted caller",
    "SeUndockPrivilege": "Remove computer from docking station",
    # Obsolete, still accepted by LSA; no policy editor entry.
    "SeUnsolicitedInputPrivilege": "Read unsolicited input from a terminal device",
}


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


_LOOKUP = {_key(name): name for name in RIGHTS}
_LOOKUP.update({_key(display): name for name, display in RIGHTS.items()})


def canonical_right(name) -> str:
    """The LSA constant for a constant or display name, any case; raises UserRightError naming close matches."""
    if not isinstance(name, str) or not name.strip():
        raise UserRightError("name must be a user right such as SeServiceLogonRight or 'Log on as a service'",
                             error_type="UnknownRight")
    found = _LOOKUP.get(_key(name))
    if found:
        return found
    close = difflib.get_close_matches(_key(name), list(_LOOKUP), n=3, cutoff=0.6)
    hint = (f"; did you mean {', '.join(repr(_LOOKUP[c]) for c in close)}?" if close
            else ": give its constant (such as SeServiceLogonRight) or the name the policy editor shows (such as 'Log on as a service')")
    raise UserRightError(f"'{name}' is not a Windows user right or privilege{hint}", error_type="UnknownRight")


def describe_right(right: str) -> str:
    """'Log on as a service (SeServiceLogonRight)' for messages."""
    return f"{RIGHTS.get(right, right)} ({right})"
