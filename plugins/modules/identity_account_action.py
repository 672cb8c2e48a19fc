#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: identity_account_action
short_description: Disable, enable or force a password reset of an AD account through Microsoft Defender for Identity
version_added: 0.2.0
description:
  - Asks Microsoft Defender for Identity, through Microsoft Graph, to run one remediation action on an Active Directory
    user - the same actions as the Defender portal and automatic attack disruption. A sensor on a domain controller
    carries it out, as the tenant's response-action identity (LocalSystem, or the gMSA action account on sensor v2.x).
  - The account is resolved over LDAP to its SID, then found in MDI with C(GET /security/identities/identityAccounts)
    and the documented C($filter=onPremisesSecurityIdentifier eq '<SID>'); the action goes to
    C(POST /security/identities/identityAccounts/{id}/invokeAction) with the account's Active Directory entry as
    C(accountId) (not the identity's ID, whatever Microsoft's examples show).
  - Idempotent - the account is read over LDAP first; V(disable) of a disabled account or V(enable) of an enabled one
    changes nothing. V(force_password_reset) always acts.
  - Graph's answer only says MDI accepted the action; Graph has no status for it. With O(wait=true) the module then
    watches AD until the effect shows (C(userAccountControl) ACCOUNTDISABLE, C(pwdLastSet) 0), and fails with a clear
    message when it does not within O(wait_timeout) - then the sensor could not carry it out (run the verify role with
    C(verify_remediation_canary) to find out why).
  - The action plugin runs this module on the controller and takes the LDAP connection from the targeted domain
    controller's inventory variables, like the collection's other LDAP modules.
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
options:
  account:
    description:
      - The user - its sAMAccountName, UPN, C(DOMAIN\name), distinguished name or SID.
    type: str
    required: true
  action:
    description:
      - V(disable) or V(enable) the account, or V(force_password_reset) (the user must change the password at next logon).
    type: str
    required: true
    choices: [disable, enable, force_password_reset]
  wait:
    description:
      - Wait until the effect shows in AD. Without it the task ends when MDI has accepted the action.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait for the effect.
    type: int
    default: 300
extends_documentation_fragment:
  - mdi.action_accounts.ldap_connection
  - mdi.action_accounts.graph_auth
  - mdi.action_accounts.graph_http
  - mdi.action_accounts.attributes
attributes:
  check_mode:
    details: It resolves the account and finds it in MDI, and asks for nothing.
  diff_mode:
    support: none
    details: The account's state before and after is in RV(before) and RV(after).
  action_group:
    description: Use C(group/mdi.action_accounts.ldap) in C(module_defaults) for the LDAP connection options.
    support: full
    membership:
      - mdi.action_accounts.ldap
notes:
  - The Graph app needs C(SecurityIdentitiesAccount.Read.All) and C(SecurityIdentitiesActions.ReadWrite.All).
  - MDI acts only on accounts its sensors have seen; an account it does not know is a clear failure.
seealso:
  - module: mdi.action_accounts.mdi_health_info
  - module: mdi.action_accounts.action_identity_info
  - name: invokeAction (Microsoft Graph)
    description: The Graph API this module calls.
    link: https://learn.microsoft.com/graph/api/security-identityaccounts-invokeaction
"""

EXAMPLES = r"""
# In a play targeting domain_controllers: the LDAP connection comes from the host; Graph from these options or AZURE_* variables.
- name: Disable a compromised account through MDI and wait until AD shows it
  mdi.action_accounts.identity_account_action:
    account: CORP\jdoe
    action: disable
    tenant_id: "{{ mdi_tenant_id }}"
    client_id: "{{ mdi_client_id }}"
    client_secret: "{{ vault_mdi_client_secret }}"
  run_once: true
  register: disabled

- name: Tell how long the sensor took
  ansible.builtin.debug:
    msg: "{{ disabled.msg }} (correlation {{ disabled.correlation_id }})"
  run_once: true

- name: Force a password change at next logon, without waiting
  mdi.action_accounts.identity_account_action:
    account: jdoe@corp.example.com
    action: force_password_reset
    wait: false
  run_once: true
"""

RETURN = r"""
account:
  description: The account as resolved over LDAP (C(dn), C(sid), C(sAMAccountName), C(objectClass), C(display)).
  returned: always
  type: dict
action:
  description: The O(action).
  returned: always
  type: str
identity_id:
  description: The MDI identity account's ID (in the invokeAction URL).
  returned: when MDI was asked
  type: str
account_id:
  description: The identity's Active Directory account identifier (invokeAction's C(accountId)).
  returned: when MDI was asked
  type: str
correlation_id:
  description: Graph's correlation ID of the action; null in check mode and when nothing was needed.
  returned: always
  type: str
seconds_to_effect:
  description: Seconds from Graph's answer until AD showed the effect; null when not waited for.
  returned: always
  type: float
before:
  description: The account's state before - C(enabled), C(user_account_control), C(pwd_last_set), C(must_change_password),
    C(protected) (adminCount=1).
  returned: always
  type: dict
after:
  description: The account's state after (as C(before) when not waited for).
  returned: always
  type: dict
msg:
  description: What happened, in words.
  returned: always
  type: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._remediation import task


def main():
    module = AnsibleModule(argument_spec=task.argument_spec(), supports_check_mode=True, **task.CONSTRAINTS)
    task.run(module)


if __name__ == "__main__":
    main()
