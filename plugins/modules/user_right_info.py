#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: user_right_info
short_description: Who holds a Windows user right on a host, and whether a GPO defines it
version_added: 0.1.0
description:
  - Reads, without changing anything, which accounts hold one Windows user right or privilege on the targeted host
    (for MDI, C(Log on as a service) for the action account on each domain controller), and whether a Group Policy
    object defines the right there. When one does, the GPO's list is what Windows applies at each policy refresh, so
    RV(members) is the GPO's list and RV(source) is V(gpo).
  - Sends one PowerShell script over the host's own Ansible connection (C(winrm), C(psrp), or C(ssh) with the PowerShell
    shell), the same script as M(mdi.action_accounts.user_right) with its read-only C(query) request.
  - The work happens in the action plugin on the controller; the module itself does not run on the host.
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
options:
  name:
    description:
      - The right, as its constant (V(SeServiceLogonRight), any C(Se*Right) or C(Se*Privilege)) or as the name the policy
        editor shows (V(Log on as a service)), in any case.
    type: str
    required: true
extends_documentation_fragment:
  - mdi.action_accounts.attributes.info_module
  - mdi.action_accounts.attributes
attributes:
  platform:
    description: Runs in the action plugin on the controller, and reads the targeted Windows host through its connection.
    platforms: [posix, windows]
notes:
  - Needs an administrator on the host (reading LSA policy); it does not use C(become).
seealso:
  - module: mdi.action_accounts.user_right
"""

EXAMPLES = r"""
- name: Which accounts may log on as a service on each domain controller
  mdi.action_accounts.user_right_info:
    name: Log on as a service
  register: logon_right

- name: The action account holds the right, wherever it comes from
  ansible.builtin.assert:
    that: logon_right.members | selectattr('name', 'equalto', 'CORP\\mdiAction$') | list | length == 1
    fail_msg: "{{ inventory_hostname }}: {{ logon_right.members | map(attribute='name') | join(', ') }} (from {{ logon_right.source }})"
"""

RETURN = r"""
right:
  description: The right's constant.
  returned: success
  type: str
  sample: SeServiceLogonRight
source:
  description: V(gpo) when a GPO defines the right on the host (its list is the one that lasts), else V(local).
  returned: success
  type: str
  sample: local
members:
  description: The accounts that hold the right in effect - the GPO's list when RV(source=gpo), else the local one.
  returned: success
  type: list
  elements: dict
  contains:
    sid:
      description: The account's SID.
      type: str
      sample: S-1-5-21-1004336348-1177238915-682003330-1105
    name:
      description: The account as DOMAIN\name, or null for a SID that no longer resolves.
      type: str
      sample: CORP\mdiAction$
local_members:
  description: The accounts in the host's local LSA policy, like RV(members).
  returned: success
  type: list
  elements: dict
gpo:
  description: The GPO that defines the right on the host in its resultant set of policy, or null.
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
      description: The accounts the GPO grants the right to, like RV(members); C(sid) is null for one the host cannot resolve.
      type: list
      elements: dict
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.options import user_right_info_argument_spec


def main():
    # Reached only when something runs this file as a module without its action plugin: say so instead of guessing.
    module = AnsibleModule(argument_spec=user_right_info_argument_spec(), supports_check_mode=True)
    module.fail_json(msg="mdi.action_accounts.user_right_info runs in its action plugin on the controller; call it as a task "
                         "(its action plugin is missing or was bypassed)")


if __name__ == "__main__":
    main()
