#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: user_right
short_description: Grant a Windows user right such as "Log on as a service", locally or in a GPO
version_added: 0.1.0
description:
  - Adds, removes or sets the accounts that hold one Windows user right or privilege. For Microsoft Defender for
    Identity, the action account (a gMSA) needs C(Log on as a service) (C(SeServiceLogonRight)) on every domain
    controller that runs the sensor.
  - With O(scope=local) it changes the host's own LSA policy. It sends one PowerShell script over the host's own
    Ansible connection (C(winrm), C(psrp), or C(ssh) with the PowerShell shell); one command per host and task.
    The answer also names the Group Policy object that defines the right on that host, if any.
  - Group Policy overwrites a local assignment at its next refresh (every 5 minutes on a domain controller) when a
    GPO defines the right. Then O(scope=local) fails by default (O(on_gpo_conflict)), naming the GPO, and O(scope=gpo)
    is the way that lasts.
  - With O(scope=gpo) it edits the right in a GPO's security template (C(GptTmpl.inf) in SYSVOL, over SMB) and bumps the
    GPO's version (C(GPT.INI) and C(versionNumber)), adding the Security extension to C(gPCMachineExtensionNames) when
    missing, over LDAP. Accounts are resolved to SIDs over LDAP and written as C(*S-1-...); entries already there are
    kept as written, and every other line of the file is kept byte for byte. It does not use the Windows connection.
  - The work happens in the action plugin on the controller; the module itself does not run on the host.
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
options:
  name:
    description:
      - The right, as its constant (V(SeServiceLogonRight), V(SeDenyServiceLogonRight), any C(Se*Right) or C(Se*Privilege))
        or as the name the policy editor shows (V(Log on as a service)), in any case.
    type: str
    required: true
  users:
    description:
      - The accounts, each as a SID, C(DOMAIN\name), a UPN (C(name@domain)), a plain account name (a gMSA's with or
        without its C($)), or a well-known name such as C(NT SERVICE\ALL SERVICES) or C(BUILTIN\Administrators).
      - With O(scope=gpo), only accounts of the LDAP connection's domain and well-known accounts resolve by name; give
        other accounts by SID.
      - With O(action=set), an empty list leaves nobody holding the right.
    type: list
    elements: str
    required: true
  action:
    description:
      - V(add) grants the right to O(users) and keeps the accounts that hold it.
      - V(remove) takes it from O(users) and keeps the others.
      - V(set) makes O(users) the only holders.
    type: str
    choices: [add, remove, set]
    default: add
  scope:
    description:
      - V(local) changes the host's LSA policy through its Windows connection.
      - V(gpo) changes a GPO (see O(gpo)); this is domain-wide, so run it once (C(run_once=true)). Running it on several
        hosts is safe - the first changes the GPO, the others find it done - only slower.
    type: str
    choices: [local, gpo]
    default: local
  on_gpo_conflict:
    description:
      - What O(scope=local) does when a GPO defines the right on the host with accounts other than the local result, so
        Group Policy would undo it.
      - V(fail) fails the task with a message naming the GPO, and changes nothing. The script on the host checks the GPO
        before it changes the local list, in the same single command. Check mode fails the same way.
      - V(warn) makes the local change (it lasts until the next policy refresh) and warns.
    type: str
    choices: [fail, warn]
    default: fail
  gpo:
    description:
      - With O(scope=gpo), the GPO to change, by display name or GUID.
      - Default is the GPO with the highest link order on C(OU=Domain Controllers) that defines the right, else the
        Default Domain Controllers Policy (C({6AC1786C-016F-11D2-945F-00C04FB984F9})).
    type: str
  smb_server:
    description:
      - With O(scope=gpo), the domain controller whose SYSVOL share is written over SMB, with O(username) and O(password).
      - Default is O(server), so the files and the version in AD change on the same domain controller.
    type: str
extends_documentation_fragment:
  - mdi.action_accounts.ldap_connection
  - mdi.action_accounts.attributes
attributes:
  platform:
    description: Runs in the action plugin on the controller; O(scope=local) changes the targeted Windows host through its connection.
    platforms: [posix, windows]
  action_group:
    description: Use C(group/mdi.action_accounts.ldap) in C(module_defaults) to set the LDAP options of O(scope=gpo) once.
    support: full
    membership:
      - mdi.action_accounts.ldap
notes:
  - The LDAP options apply to O(scope=gpo) only. Through the action plugin they default to the targeted host's variables,
    as described for each option, so a Windows inventory with C(ansible_user) and C(ansible_password) needs none of them.
  - O(scope=local) needs an administrator on the host; it does not use C(become).
  - When the chosen GPO does not define the right yet, O(action=add) fails instead of defining it. Defining a right in
    a GPO replaces the local list on every computer the GPO applies to, so list every account that needs the right and
    use O(action=set).
  - Accounts in a GPO are written as SIDs. Group Policy applies the GPO at the next refresh (C(gpupdate /force) to apply
    it at once); this module does not wait for it.
seealso:
  - name: Log on as a service
    description: The right, its default holders and its Group Policy location.
    link: https://learn.microsoft.com/windows/security/threat-protection/security-policy-settings/log-on-as-a-service
  - name: Microsoft Defender for Identity action accounts
    description: Why the gMSA needs the right on the domain controllers that run the sensor.
    link: https://learn.microsoft.com/defender-for-identity/manage-action-accounts
"""

EXAMPLES = r"""
- name: Give the MDI action account "Log on as a service" in the GPO the domain controllers apply
  mdi.action_accounts.user_right:
    name: Log on as a service
    users:
      - CORP\mdiAction$
    scope: gpo
  run_once: true

- name: Grant it locally where no GPO defines the right
  mdi.action_accounts.user_right:
    name: SeServiceLogonRight
    users:
      - mdiAction$@corp.example.com

- name: Define the right in a dedicated GPO, with every account that needs it
  mdi.action_accounts.user_right:
    name: SeServiceLogonRight
    users:
      - NT SERVICE\ALL SERVICES
      - CORP\mdiAction$
    action: set
    scope: gpo
    gpo: MDI sensors - user rights
  run_once: true

- name: Take the right away again, warning instead of failing where a GPO rules
  mdi.action_accounts.user_right:
    name: SeServiceLogonRight
    users:
      - S-1-5-21-1004336348-1177238915-682003330-1105
    action: remove
    on_gpo_conflict: warn
"""

RETURN = r"""
right:
  description: The right's constant.
  returned: always
  type: str
  sample: SeServiceLogonRight
scope:
  description: The O(scope) used.
  returned: always
  type: str
  sample: local
members:
  description:
    - The accounts that hold the right after the task (in check mode, would hold it), each with its SID and name.
    - O(scope=gpo) lists the GPO's entries; O(scope=local) the host's LSA assignments.
    - C(name) is null for a SID that no longer resolves; C(sid) is null for a GPO entry that names an account that
      does not resolve.
  returned: success
  type: list
  elements: dict
  contains:
    sid:
      description: The account's SID.
      type: str
      sample: S-1-5-21-1004336348-1177238915-682003330-1105
    name:
      description: The account as DOMAIN\name.
      type: str
      sample: CORP\mdiAction$
added:
  description: The accounts the task gave the right to, like RV(members).
  returned: success
  type: list
  elements: dict
removed:
  description: The accounts the task took the right from, like RV(members).
  returned: success
  type: list
  elements: dict
gpo:
  description:
    - With O(scope=local), the GPO that defines the right on the host in its resultant set of policy (null when none),
      with the accounts it grants the right to.
    - With O(scope=gpo), the GPO changed, with its RV(members) and its distinguished name.
  returned: success
  type: dict
  contains:
    name:
      description: The GPO's display name.
      type: str
      sample: Default Domain Controllers Policy
    guid:
      description: The GPO's GUID.
      type: str
      sample: "{6AC1786C-016F-11D2-945F-00C04FB984F9}"
    members:
      description: The accounts the GPO grants the right to, like RV(members).
      type: list
      elements: dict
    dn:
      description: The GPO container's distinguished name (O(scope=gpo) only).
      type: str
      sample: CN={6AC1786C-016F-11D2-945F-00C04FB984F9},CN=Policies,CN=System,DC=corp,DC=example,DC=com
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.options import user_right_module_kwargs


def main():
    # Reached only when something runs this file as a module without its action plugin (the plugin does all the
    # work on the controller, like ansible.windows.win_reboot): say so instead of doing half of it.
    module = AnsibleModule(**user_right_module_kwargs())
    module.fail_json(msg="mdi.action_accounts.user_right runs in its action plugin on the controller; call it as a task "
                         "(its action plugin is missing or was bypassed)")


if __name__ == "__main__":
    main()
