#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: action_identity_info
short_description: Decide which identity MDI response actions should run as, from the sensor generations
version_added: 0.2.0
description:
  - Answers "which identity should this tenant use for Microsoft Defender for Identity response actions, and why",
    as data, before anything is changed.
  - Microsoft - by default the sensor on a domain controller runs response actions (disable user, force password reset,
    automatic attack disruption) as that domain controller's LocalSystem. A gMSA action account is optional and works
    with sensor v2.x only. B(Sensor v3.x does not support gMSA action accounts - if one is configured, response actions,
    attack disruption included, do not work.) Tenants on v3.x, migrating to it, or mixed must use LocalSystem.
  - The sensors come from Microsoft Graph (C(GET /v1.0/security/identities/sensors), their C(version) and C(sensorType)),
    and where the app may read it, the beta C(GET /beta/security/identities/sensorMigration) (C(migrationState)), so a
    sensor in the middle of its migration counts as v3.x. Or pass them in O(sensors).
  - With O(identity=auto), the answer is V(gmsa) only when every domain-controller sensor is 2.x and none is migrating;
    otherwise V(local_system). When the sensor list cannot be read, the answer is RV(allowed=false) with the reason.
  - With O(identity=gmsa) while any sensor is 3.x or migrating, the answer is RV(allowed=false), naming the sensors.
    Without a readable sensor list it is allowed, with a warning that it could not be checked.
  - With a Defender portal session (O(portal_sccauth), O(portal_xsrf_token)), it also reads the portal's action accounts and
    LocalSystem switch and says whether they match the sensors (RV(configuration)).
  - It never fails because of the answer; the caller decides (the collection's roles stop before any change when
    RV(allowed) is false).
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
options:
  identity:
    description:
      - The identity asked for. V(auto) chooses from the sensors; V(gmsa) is checked against them; V(local_system) is
        always allowed, since LocalSystem works with every sensor generation.
    type: str
    choices: [auto, gmsa, local_system]
    default: auto
  sensors:
    description:
      - The tenant's sensors, as RV(mdi.action_accounts.mdi_sensor_info#module:sensors) returns them (each with at least
        C(name), C(type) and C(version); C(migration_state) where known). When given, Microsoft Graph is not asked.
    type: list
    elements: dict
  migration:
    description:
      - Also read the beta C(sensorMigration) list (C(SecurityIdentitiesMigration.Read.All)). When the app may not read it,
        the decision is made from the versions alone, with a warning.
    type: bool
    default: true
extends_documentation_fragment:
  - mdi.action_accounts.graph_auth
  - mdi.action_accounts.defender_portal
  - mdi.action_accounts.cloud_http
  - mdi.action_accounts.attributes.info_module
  - mdi.action_accounts.attributes
  - mdi.action_accounts.attributes.cloud_group
notes:
  - The Graph app needs C(SecurityIdentitiesSensors.Read.All), and for the migration state C(SecurityIdentitiesMigration.Read.All).
  - The portal's LocalSystem switch is tenant-wide, so the decision is one per tenant; use C(run_once) in a play.
seealso:
  - module: mdi.action_accounts.mdi_action_account
  - module: mdi.action_accounts.mdi_sensor_info
  - name: Manage action accounts (Microsoft)
    description: LocalSystem by default; gMSA action accounts and sensor v3.x.
    link: https://learn.microsoft.com/defender-for-identity/deploy/manage-action-accounts
"""

EXAMPLES = r"""
- name: Which identity should response actions use?
  mdi.action_accounts.action_identity_info:
    tenant_id: "{{ mdi_tenant_id }}"
    client_id: "{{ mdi_client_id }}"
    client_secret: "{{ vault_mdi_client_secret }}"
  run_once: true
  register: mdi_identity

- name: Stop before any change when no identity can be chosen
  ansible.builtin.assert:
    that: mdi_identity.allowed
    fail_msg: "{{ mdi_identity.reason }}"
  run_once: true

- name: Tell
  ansible.builtin.debug:
    msg: "{{ mdi_identity.identity }}: {{ mdi_identity.reason }}"
  run_once: true

- name: Check a gMSA plan against sensors read earlier, without asking Graph again
  mdi.action_accounts.action_identity_info:
    identity: gmsa
    sensors: "{{ mdi.sensors }}"
"""

RETURN = r"""
requested:
  description: The O(identity) asked for.
  returned: always
  type: str
  sample: auto
identity:
  description: The identity to use, V(gmsa) or V(local_system); null when RV(allowed) is false.
  returned: always
  type: str
  sample: local_system
allowed:
  description: Whether the requested identity may be used. False for V(gmsa) with v3.x or migrating sensors, and for V(auto)
    without a readable sensor list.
  returned: always
  type: bool
reason:
  description: Why, in words, naming the sensors concerned and Microsoft's statement where it applies.
  returned: always
  type: str
  sample: "sensor v3.x or a migration to it: dc2.corp.example.com (version 3.11.2560.2)."
checked:
  description: Whether the sensor list was read (or given).
  returned: always
  type: bool
sensors:
  description: The sensors the decision looked at.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The sensor's host name (or display name).
      type: str
    domain:
      description: Its Active Directory domain.
      type: str
    type:
      description: Its sensor type, such as C(domainControllerIntegrated).
      type: str
    version:
      description: Its version.
      type: str
    generation:
      description: The major version (2 or 3), null when unknown.
      type: int
    migration_state:
      description: Its beta C(migrationState), such as C(readyForMigration) or C(migrating); null when not read.
      type: str
conflicts:
  description: The names of the sensors with which a gMSA action account breaks response actions (v3.x or migrating).
  returned: always
  type: list
  elements: str
portal:
  description: The portal's action accounts and LocalSystem switch.
  returned: with a portal session
  type: dict
  contains:
    accounts:
      description: The registered action accounts (C(id), C(account_name), C(domain), C(gmsa)).
      type: list
      elements: dict
    local_system:
      description: Whether response actions run as LocalSystem.
      type: bool
configuration:
  description: Whether the portal's configuration matches the sensors (the verify report's "response-action identity" row).
  returned: with a portal session
  type: dict
  contains:
    ok:
      description: True when it matches.
      type: bool
    detail:
      description: What was found, and Microsoft's reason when it does not match.
      type: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.options import action_identity_argument_spec
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.tasks import run_action_identity


def main():
    run_action_identity(AnsibleModule(argument_spec=action_identity_argument_spec(), supports_check_mode=True))


if __name__ == "__main__":
    main()
