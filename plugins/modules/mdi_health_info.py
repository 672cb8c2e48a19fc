#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: mdi_health_info
short_description: List Microsoft Defender for Identity health issues, with a summary per domain and per sensor
version_added: 0.2.0
description:
  - Reads the tenant's MDI health issues from Microsoft Graph (C(GET /v1.0/security/identities/healthIssues)) and
    returns those that match the filters, with a count per domain and per sensor.
  - The filters are applied on the controller, not with Graph's C($filter), whose documented examples disagree with
    the schema on casing; every filter is case-insensitive, and a domain or sensor also matches names under it.
  - The action plugin runs this module on the controller; in a play that targets many hosts use C(run_once).
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
options:
  status:
    description:
      - The statuses to return. An empty list returns every status.
    type: list
    elements: str
    choices: [open, closed, suppressed]
    default: [open]
  domains:
    description:
      - Only issues about these Active Directory domains (DNS names), or about a sensor in them.
    type: list
    elements: str
    default: []
  sensors:
    description:
      - Only issues about these sensors (host DNS names, or a domain to match every sensor under it).
    type: list
    elements: str
    default: []
  severities:
    description: Only issues of these severities.
    type: list
    elements: str
    choices: [low, medium, high]
    default: []
  types:
    description: Only issues of these types - V(sensor) (one sensor) or V(global) (the tenant or a domain).
    type: list
    elements: str
    choices: [sensor, global]
    default: []
  kinds:
    description:
      - Only issues of these kinds (see RV(health_issues[].kind)).
      - V(auditing) - Windows auditing that MDI needs is missing (NTLM, advanced audit policy, object auditing, the
        Configuration and ADFS containers, AD CS, the v3.x RPC audit).
      - V(directory_service_account) - the Directory Service account (wrong credentials, its password expiring or
        expired, a domain controller a sensor cannot reach with it).
    type: list
    elements: str
    choices: [auditing, directory_service_account]
    default: []
extends_documentation_fragment:
  - mdi.action_accounts.graph_auth
  - mdi.action_accounts.cloud_http
  - mdi.action_accounts.attributes.info_module
  - mdi.action_accounts.attributes
  - mdi.action_accounts.attributes.cloud_group
notes:
  - The app needs the Microsoft Graph application permission C(SecurityIdentitiesHealth.Read.All).
seealso:
  - module: mdi.action_accounts.mdi_sensor_info
  - name: List healthIssues (Microsoft Graph)
    description: The Graph API this module reads.
    link: https://learn.microsoft.com/graph/api/security-identitycontainer-list-healthissues
"""

EXAMPLES = r"""
- name: Open health issues of one domain
  mdi.action_accounts.mdi_health_info:
    domains: [corp.example.com]
    tenant_id: "{{ mdi_tenant_id }}"
    client_id: "{{ mdi_client_id }}"
    client_secret: "{{ vault_mdi_client_secret }}"
  run_once: true
  register: mdi_health

- name: Fail on a high-severity issue
  ansible.builtin.assert:
    that: mdi_health.summary.total.high == 0
    fail_msg: "{{ mdi_health.health_issues | selectattr('severity', 'eq', 'high') | map(attribute='display_name') | list }}"
  run_once: true

- name: Open auditing and Directory Service account issues, for a readiness report
  mdi.action_accounts.mdi_health_info:
    kinds: [auditing, directory_service_account]
  run_once: true
  register: mdi_readiness_issues

- name: Every issue of any status about two sensors
  mdi.action_accounts.mdi_health_info:
    status: []
    sensors: [dc1.corp.example.com, dc2.corp.example.com]
"""

RETURN = r"""
health_issues:
  description: The matching health issues, as mdi.action_accounts.mdi_sensor_info returns them.
  returned: success
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
    issue_type_id:
      description: The type of issue, such as C(1031).
      type: str
    kind:
      description:
        - V(auditing), V(directory_service_account), or null for any other issue.
        - Told from the issue's title (and C(issueTypeId) C(1031)), since Microsoft publishes the titles of its health
          issues but not their type IDs.
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
    recommended_action_commands:
      description: The DefenderForIdentity PowerShell commands Microsoft suggests, in order.
      type: list
      elements: str
    additional_information:
      description: More details, such as the items to fix.
      type: list
      elements: str
    created:
      description: When the issue was raised (ISO 8601).
      type: str
    last_modified:
      description: When it last changed (ISO 8601).
      type: str
summary:
  description: Counts of the returned issues - in all, per domain and per sensor, each with C(count), C(worst) (the
    highest severity, or null) and the count per severity.
  returned: success
  type: dict
  sample:
    total: {count: 2, worst: medium, low: 1, medium: 1, high: 0}
    domains: {corp.example.com: {count: 1, worst: medium, low: 0, medium: 1, high: 0}}
    sensors: {dc2.corp.example.com: {count: 1, worst: low, low: 1, medium: 0, high: 0}}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.options import health_info_argument_spec
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.tasks import run_health_info


def main():
    run_health_info(AnsibleModule(argument_spec=health_info_argument_spec(), supports_check_mode=True))


if __name__ == "__main__":
    main()
