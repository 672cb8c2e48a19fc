#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: mdi_sensor_info
short_description: List the Microsoft Defender for Identity sensors through Microsoft Graph
version_added: 0.1.0
description:
  - Lists the tenant's MDI sensors (C(GET /security/identities/sensors)) with their domain, host name, type,
    health and version, and optionally the open health issues (C(GET /security/identities/healthIssues)).
  - Uses the documented Microsoft Graph API with an app registration (client secret or certificate) or a managed identity.
  - The action plugin runs this module on the controller; in a play that targets many hosts use C(run_once).
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
options:
  health_issues:
    description:
      - Also return the health issues. The app then needs C(SecurityIdentitiesHealth.Read.All) as well.
    type: bool
    default: false
extends_documentation_fragment:
  - mdi.action_accounts.graph_auth
  - mdi.action_accounts.cloud_http
  - mdi.action_accounts.attributes.info_module
  - mdi.action_accounts.attributes
attributes:
  action_group:
    description: >-
      Use C(group/mdi.action_accounts.cloud) in C(module_defaults) for the options every cloud module has
      (O(ca_cert), O(validate_certs), O(timeout), O(retries)); Ansible passes a group's defaults to each member,
      so set the Graph sign-in options for this module by its name.
    support: full
    membership:
      - mdi.action_accounts.cloud
seealso:
  - plugin: mdi.action_accounts.mdi_sensors
    plugin_type: inventory
  - name: List sensors (Microsoft Graph)
    description: The Graph API this module reads.
    link: https://learn.microsoft.com/graph/api/security-identitycontainer-list-sensors
"""

EXAMPLES = r"""
- name: List the MDI sensors
  mdi.action_accounts.mdi_sensor_info:
    tenant_id: "{{ mdi_tenant_id }}"
    client_id: "{{ mdi_client_id }}"
    client_secret: "{{ vault_mdi_client_secret }}"
  run_once: true
  register: mdi

- name: Domain controllers that run a sensor
  ansible.builtin.debug:
    msg: "{{ mdi.sensors | selectattr('type', 'eq', 'domainControllerIntegrated') | map(attribute='host_name') }}"

- name: With health issues, certificate credential, US Government cloud
  mdi.action_accounts.mdi_sensor_info:
    health_issues: true
    authority_host: https://login.microsoftonline.us
    graph_url: https://graph.microsoft.us
    tenant_id: "{{ mdi_tenant_id }}"
    client_id: "{{ mdi_client_id }}"
    client_certificate_path: /etc/ansible/mdi-app.pem

- name: From an Azure VM with a managed identity
  mdi.action_accounts.mdi_sensor_info:
    managed_identity: true
"""

RETURN = r"""
sensors:
  description: The MDI sensors.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: The sensor's ID in Graph.
      type: str
    name:
      description: The sensor's display name.
      type: str
      sample: DC1
    host_name:
      description: The host the sensor runs on (its first domain controller DNS name), lower case.
      type: str
      sample: dc1.corp.example.com
    domain:
      description: The sensor's Active Directory domain (DNS name), lower case.
      type: str
      sample: corp.example.com
    type:
      description: The sensor type, such as C(domainControllerIntegrated), C(adfsIntegrated), C(adcsIntegrated).
      type: str
      sample: domainControllerIntegrated
    health:
      description: The sensor's health status, such as C(healthy), C(notHealthyLow), C(notHealthyHigh).
      type: str
      sample: healthy
    version:
      description: The sensor version.
      type: str
      sample: 2.250.18972.18405
    deployment_status:
      description: The deployment status, such as C(upToDate), C(outdated), C(updating).
      type: str
    open_health_issues:
      description: The number of open health issues.
      type: int
    dns_names:
      description: The domain controller DNS names in the sensor's settings.
      type: list
      elements: str
health_issues:
  description: The MDI health issues.
  returned: when O(health_issues=true)
  type: list
  elements: dict
  contains:
    id:
      description: The issue's ID.
      type: str
    display_name:
      description: The issue's title.
      type: str
    type:
      description: V(sensor) or V(global).
      type: str
    severity:
      description: V(low), V(medium) or V(high).
      type: str
    status:
      description: V(open), V(closed) or V(suppressed).
      type: str
    description:
      description: What is wrong.
      type: str
    domain_names:
      description: The domains concerned.
      type: list
      elements: str
    sensor_dns_names:
      description: The sensors concerned.
      type: list
      elements: str
    recommendations:
      description: What to do about it.
      type: list
      elements: str
    created:
      description: When the issue was raised (ISO 8601).
      type: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.options import sensor_info_argument_spec
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.tasks import run_sensor_info


def main():
    run_sensor_info(AnsibleModule(argument_spec=sensor_info_argument_spec(), supports_check_mode=True))


if __name__ == "__main__":
    main()
