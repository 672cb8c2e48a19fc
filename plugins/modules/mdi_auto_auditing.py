#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: mdi_auto_auditing
short_description: Read or set Microsoft Defender for Identity's automatic Windows auditing configuration
version_added: 0.2.0
description:
  - Reads and, with O(enabled), sets the tenant-wide switch "Automatic Windows auditing configuration" (Defender portal,
    Settings > Identities > Advanced features) through Microsoft Graph,
    C(security/identities/settings/autoAuditingConfiguration) and its property C(isAutomatic).
  - When it is on, every v3.x sensor (the unified sensor of Defender for Endpoint) applies the audit policy MDI needs
    locally on its domain controller. v2.x sensors ignore it; they need the auditing GPOs and SACLs.
  - Without O(enabled) the module only reads (one C(GET)) and never reports a change.
  - With O(enabled) it reads first and writes only when the value differs; it then reads again and fails if Graph still
    reports the old value. In check mode it only reads.
  - The action plugin runs this module on the controller; in a play that targets many hosts use C(run_once).
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
options:
  enabled:
    description:
      - V(true) turns automatic Windows auditing on, V(false) turns it off.
      - Leave it out to only read the setting; the app then needs only C(SecurityIdentitiesAutoConfig.Read.All).
    type: bool
  api_version:
    description:
      - The Microsoft Graph version to call.
      - V(v1.0) updates with C(PATCH), as the v1.0 reference documents it (and as OData updates a single entity).
      - V(beta) updates with C(POST), as the beta reference documents it, for a tenant or cloud where v1.0 does not
        answer yet.
    type: str
    choices: [v1.0, beta]
    default: v1.0
extends_documentation_fragment:
  - mdi.action_accounts.graph_auth
  - mdi.action_accounts.cloud_http
  - mdi.action_accounts.attributes
  - mdi.action_accounts.attributes.cloud_group
notes:
  - Reading needs the Microsoft Graph application permission C(SecurityIdentitiesAutoConfig.Read.All); setting needs
    C(SecurityIdentitiesAutoConfig.ReadWrite.All) (a refusal names the one missing). A delegated caller would also need
    the Security Administrator role.
  - HTTP 404 means the tenant has no Defender for Identity workspace yet; HTTP 403 with a message about onboarding means
    the tenant was never onboarded to Defender for Identity. Throttling (HTTP 429) is waited out as O(retries) says.
  - Microsoft documents the endpoint for the global service only; O(graph_url) and O(authority_host) still select
    another cloud, where the call fails with Graph's own answer if the setting does not exist there.
  - Microsoft warns that auditing GPO settings can conflict with the settings the sensors apply; use one approach per domain.
seealso:
  - module: mdi.action_accounts.mdi_sensor_info
  - module: mdi.action_accounts.mdi_health_info
  - name: Get autoAuditingConfiguration (Microsoft Graph)
    description: The Graph API this module reads and updates.
    link: https://learn.microsoft.com/graph/api/security-autoauditingconfiguration-get
"""

EXAMPLES = r"""
- name: Let the v3.x sensors configure Windows auditing themselves
  mdi.action_accounts.mdi_auto_auditing:
    enabled: true
    tenant_id: "{{ mdi_tenant_id }}"
    client_id: "{{ mdi_client_id }}"
    client_secret: "{{ vault_mdi_client_secret }}"
  run_once: true

- name: Only read the setting (SecurityIdentitiesAutoConfig.Read.All is enough)
  mdi.action_accounts.mdi_auto_auditing:
    tenant_id: "{{ mdi_tenant_id }}"
    client_id: "{{ mdi_client_id }}"
    client_secret: "{{ vault_mdi_client_secret }}"
  run_once: true
  register: mdi_auto_auditing

- name: Through the beta API
  mdi.action_accounts.mdi_auto_auditing:
    enabled: true
    api_version: beta
  run_once: true
"""

RETURN = r"""
enabled:
  description: Whether automatic Windows auditing is on after the task (in check mode, what it would be).
  returned: success
  type: bool
  sample: true
api_version:
  description: The Microsoft Graph version that was called.
  returned: success
  type: str
  sample: v1.0
diff:
  description: The setting before and after.
  returned: success
  type: dict
  sample: {before: {enabled: false}, after: {enabled: true}}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import auto_auditing_task as task


def main():
    module = AnsibleModule(argument_spec=task.argument_spec(), supports_check_mode=True, **task.CONSTRAINTS)
    task.run(module)


if __name__ == "__main__":
    main()
