#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: remediation_canary
short_description: Prove that Microsoft Defender for Identity can act on AD users, on a canary account
version_added: 0.2.0
description:
  - Through Microsoft Graph, asks MDI to disable the canary user, enable it again, and force a password reset - in the
    order that ends where it started - and reads each effect back over LDAP (as
    M(mdi.action_accounts.identity_account_action) does). That is what the response actions and automatic attack
    disruption need; the configuration checks alone cannot show it.
  - Then leaves the canary as it found it - enabled or disabled, and "must change password" as before. Over LDAP, with
    the module's own bind. C(pwdLastSet) can only be written as 0 or -1, so an original timestamp becomes "now".
  - When an action does not show in AD in time, RV(diagnosis) says why, in the terms of Microsoft's procedure, from
    O(context) - what the verify role read about the tenant, the domain and its domain controllers.
  - B(It changes a real account.) Use a dedicated canary user in an OU covered by the delegation, never a person's account.
  - The verify role runs it when C(verify_remediation_canary) is set.
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
options:
  account:
    description: The canary user - its sAMAccountName, UPN, C(DOMAIN\name), DN or SID.
    type: str
    required: true
  create:
    description:
      - Create the canary in O(path) when it does not exist - an enabled user with a random password nobody is told.
        It is kept, so that MDI's sensors know it by the next run.
    type: bool
    default: false
  path:
    description: The OU (or container) DN to create the canary in. Default is the domain's C(CN=Users) container.
    type: str
  context:
    description:
      - What is known about the tenant and the domain, for RV(diagnosis) - C(account_name) (the gMSA), C(identity)
        (M(mdi.action_accounts.action_identity_info)'s result), C(account), C(retrieval_principals) and C(delegation)
        (M(mdi.action_accounts.action_account_info)'s), and C(rights) (per domain controller, C(subject), C(ok),
        C(source), C(detail)). Missing parts are treated as unknown.
    type: dict
    default: {}
  wait_timeout:
    description: Seconds to wait for each effect.
    type: int
    default: 300
extends_documentation_fragment:
  - mdi.action_accounts.ldap_connection
  - mdi.action_accounts.graph_auth
  - mdi.action_accounts.graph_http
  - mdi.action_accounts.attributes
attributes:
  check_mode:
    details: It finds the canary and asks for nothing; a canary that does not exist yet is not created.
  diff_mode:
    support: none
  action_group:
    description: Use C(group/mdi.action_accounts.ldap) in C(module_defaults) for the LDAP connection options.
    support: full
    membership:
      - mdi.action_accounts.ldap
notes:
  - The Graph app needs C(SecurityIdentitiesAccount.Read.All) and C(SecurityIdentitiesActions.ReadWrite.All); the LDAP
    account must be allowed to change the canary (and to create it in O(path) with O(create)).
seealso:
  - module: mdi.action_accounts.identity_account_action
  - module: mdi.action_accounts.action_identity_info
  - module: mdi.action_accounts.action_account_info
"""

EXAMPLES = r"""
- name: Prove that MDI can act on users of OU=Canaries
  mdi.action_accounts.remediation_canary:
    account: mdi-canary
    create: true
    path: OU=Canaries,OU=MDI Lab,DC=corp,DC=example,DC=com
    tenant_id: "{{ mdi_tenant_id }}"
    client_id: "{{ mdi_client_id }}"
    client_secret: "{{ vault_mdi_client_secret }}"
  run_once: true
  register: proof

- name: Say so
  ansible.builtin.assert:
    that: proof.ok
    fail_msg: "{{ proof.msg }}: {{ proof.diagnosis | join('; ') }}"
  run_once: true
"""

RETURN = r"""
ok:
  description: True when every action showed in AD; null in check mode.
  returned: success
  type: bool
msg:
  description: What happened - the time of each effect, or which action failed and why.
  returned: always
  type: str
steps:
  description: Each action tried - C(action), C(ok), C(seconds_to_effect), C(correlation_id), and C(msg) for a failure.
  returned: success
  type: list
  elements: dict
canary:
  description: C(dn), C(sid), C(created), C(found) (its state before) and C(restored) (how it was left).
  returned: success
  type: dict
diagnosis:
  description: When an action failed, the causes found, most basic first.
  returned: success
  type: list
  elements: str
  sample: ["step 2: \"Log on as a service\" on the acting domain controller dc1: not granted (local policy)"]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._remediation import canary


def main():
    module = AnsibleModule(argument_spec=canary.argument_spec(), supports_check_mode=True, **canary.CONSTRAINTS)
    canary.run(module)


if __name__ == "__main__":
    main()
