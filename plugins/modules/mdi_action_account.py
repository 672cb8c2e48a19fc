#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: mdi_action_account
short_description: Register a gMSA as an MDI action account, or run response actions as LocalSystem
version_added: 0.1.0
description:
  - Registers (or removes) a group managed service account (gMSA) as an action account in the Microsoft Defender
    portal (Settings > Identities > Manage action accounts), and sets whether MDI remediation actions run as
    LocalSystem instead.
  - Microsoft publishes no API for these settings. This module calls the endpoints the Defender portal's own pages
    use, as publicly observed (C(/api/remediationActions/configuration), C(/odata/EntityRemediatorCredentials)),
    with a signed-in user's session cookies.
  - If Microsoft changes those endpoints, the task fails with a clear message (every answer is checked against the
    observed shape, and every change is read back); it never reports a change it cannot confirm. Then use O(mode=manual),
    which returns the same change as portal steps.
  - The action plugin runs this module on the controller, so a play that targets the domain controllers needs no
    C(delegate_to); use C(run_once) since the setting is tenant-wide.
  - B(Sensor v3.x does not support gMSA action accounts - if one is configured, response actions, automatic attack
    disruption included, do not work) (Microsoft, Manage action accounts). So before it registers a gMSA, or turns
    LocalSystem off, this module checks the tenant's sensors and refuses, before any change, when any of them is 3.x
    or migrating to it. It takes the sensors from O(sensors) when given (for example RV(mdi.action_accounts.action_identity_info#module:sensors));
    otherwise, when Microsoft Graph credentials are set (O(tenant_id) and O(client_id), or O(managed_identity), also
    through their environment variables), it reads them from Graph (C(GET /security/identities/sensors) and, where allowed,
    the beta C(sensorMigration) list). With neither, it warns that it could not check.
  - O(identity=local_system) is what sensor v3.x needs - LocalSystem on, and every registered gMSA action account of the
    tenant removed (LocalSystem first, so response actions always have an identity). Each removal is reported with what
    to do to restore it.
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
options:
  state:
    description:
      - V(present) registers the account, V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
  identity:
    description:
      - V(gmsa) manages the registration of the gMSA O(name) in O(domain), as O(state) says.
      - V(local_system) turns LocalSystem on and removes every registered gMSA action account of the tenant. It takes no
        O(name), O(domain), O(use_local_system) or O(state=absent).
    type: str
    choices: [gmsa, local_system]
    default: gmsa
  name:
    description:
      - The gMSA's account name (sAMAccountName), with or without the trailing C($), without the domain.
      - It is registered without the C($); an entry with or without it counts as the same account.
      - Required with O(identity=gmsa).
    type: str
  domain:
    description:
      - The DNS name of the gMSA's Active Directory domain, for example C(corp.example.com).
      - Required with O(identity=gmsa).
    type: str
  sensors:
    description:
      - The tenant's sensors, as RV(mdi.action_accounts.mdi_sensor_info#module:sensors) or
        RV(mdi.action_accounts.action_identity_info#module:sensors) return them, to check a gMSA registration against.
      - When omitted, they are read from Microsoft Graph if its credentials are set, and only when the task would
        register a gMSA or turn LocalSystem off. An empty list states that the tenant has no sensor.
    type: list
    elements: dict
  use_local_system:
    description:
      - Whether the sensors run remediation actions as LocalSystem (the portal's default) instead of a registered gMSA.
      - When omitted, O(state=present) turns LocalSystem off, so the sensors use the registered gMSA (refused, before any
        change, while a sensor is 3.x or migrating, as the description says);
        O(state=absent) leaves it as it is while another account stays registered, and turns it back on (the portal's
        default) when the last account is removed, so the sensors keep an identity to run remediation actions as.
      - V(false) with O(state=absent) keeps LocalSystem off even then, with a warning.
    type: bool
  mode:
    description:
      - V(api) makes the change through the portal's API and needs O(portal_sccauth) and O(portal_xsrf_token).
      - V(manual) changes nothing and needs no session; it returns RV(manual_steps), the click-by-click portal steps
        with the account and domain filled in.
    type: str
    choices: [api, manual]
    default: api
extends_documentation_fragment:
  - mdi.action_accounts.defender_portal
  - mdi.action_accounts.graph_auth
  - mdi.action_accounts.cloud_http
  - mdi.action_accounts.attributes
attributes:
  action_group:
    description: >-
      Use C(group/mdi.action_accounts.cloud) in C(module_defaults) for the options every cloud module has
      (O(ca_cert), O(validate_certs), O(timeout), O(retries)); Ansible passes a group's defaults to each member,
      so set the portal session options for this module by its name.
    support: full
    membership:
      - mdi.action_accounts.cloud
notes:
  - The account itself must exist, have C(Log on as a service) on the domain controllers that run the sensor,
    and hold the delegated permissions; this module only registers it in the portal.
  - Changes are made in a safe order - LocalSystem is turned on before an account is removed, and off only after
    the account is registered.
seealso:
  - name: Microsoft Defender for Identity action accounts
    description: What the portal setting does, and the permissions the gMSA needs.
    link: https://learn.microsoft.com/defender-for-identity/manage-action-accounts
"""

EXAMPLES = r"""
# In a play targeting domain_controllers; module_defaults also works at play level.
- name: Register the action account for the whole tenant
  module_defaults:
    group/mdi.action_accounts.cloud:
      ca_cert: /etc/pki/corporate-proxy-ca.pem
    mdi.action_accounts.mdi_action_account:
      portal_sccauth: "{{ vault_mdi_portal_sccauth }}"
      portal_xsrf_token: "{{ vault_mdi_portal_xsrf_token }}"
  block:
    - name: Register mdiAction$ and stop using LocalSystem
      mdi.action_accounts.mdi_action_account:
        name: mdiAction
        domain: corp.example.com
      run_once: true

- name: Keep LocalSystem for remediation, but have the gMSA registered
  mdi.action_accounts.mdi_action_account:
    name: mdiAction
    domain: corp.example.com
    use_local_system: true

- name: Remove the account and go back to LocalSystem
  mdi.action_accounts.mdi_action_account:
    name: mdiAction
    domain: corp.example.com
    state: absent
    use_local_system: true

- name: Sensor v3.x - LocalSystem on, and no gMSA action account left registered
  mdi.action_accounts.mdi_action_account:
    identity: local_system
  run_once: true

- name: Register the gMSA only if every sensor is v2.x (the sensors are read from Graph first)
  mdi.action_accounts.mdi_action_account:
    name: mdiAction
    domain: corp.example.com
    tenant_id: "{{ mdi_tenant_id }}"
    client_id: "{{ mdi_client_id }}"
    client_secret: "{{ vault_mdi_client_secret }}"

- name: No portal session available - get the portal steps instead
  mdi.action_accounts.mdi_action_account:
    name: mdiAction
    domain: corp.example.com
    mode: manual
  register: steps

- name: Show them
  ansible.builtin.debug:
    var: steps.manual_steps
"""

RETURN = r"""
accounts:
  description: The action accounts registered in the portal after the task (predicted in check mode).
  returned: mode=api
  type: list
  elements: dict
  contains:
    id:
      description: The portal's ID of the entry, C(name@domain).
      type: str
      sample: mdiAction@corp.example.com
    account_name:
      description: The account name as registered.
      type: str
      sample: mdiAction
    domain:
      description: The account's domain.
      type: str
      sample: corp.example.com
    gmsa:
      description: Whether the entry is a gMSA (the portal also takes accounts with a password).
      type: bool
      sample: true
removed:
  description: With O(identity=local_system), the gMSA action accounts removed (or, in check mode, to be removed), each with
    C(restore), what to do to register it again.
  returned: identity=local_system and mode=api
  type: list
  elements: dict
  sample: [{"id": "mdiAction@corp.example.com", "account_name": "mdiAction", "domain": "corp.example.com", "gmsa": true,
            "restore": "Removed the gMSA action account mdiAction@corp.example.com: ..."}]
local_system:
  description: Whether remediation actions run as LocalSystem after the task (predicted in check mode).
  returned: mode=api
  type: bool
  sample: false
actions:
  description: The changes made (or, in check mode, that would be made), in the order they are made.
  returned: mode=api
  type: list
  elements: str
  sample: [register mdiAction@corp.example.com, turn LocalSystem off]
mode:
  description: The O(mode) used.
  returned: always
  type: str
  sample: api
manual_steps:
  description: The portal steps that make the change by hand.
  returned: mode=manual
  type: list
  elements: str
  sample:
    - Sign in to the Microsoft Defender portal (https://security.microsoft.com) as a Security Administrator.
    - Go to Settings > Identities > Manage action accounts.
msg:
  description: What to do with RV(manual_steps).
  returned: mode=manual
  type: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.options import ACTION_ACCOUNT_CONSTRAINTS, action_account_argument_spec
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.tasks import run_action_account


def main():
    run_action_account(AnsibleModule(argument_spec=action_account_argument_spec(), supports_check_mode=True, **ACTION_ACCOUNT_CONSTRAINTS))


if __name__ == "__main__":
    main()
