#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: kds_root_key
short_description: Ensure the forest has a KDS root key, so gMSAs can get passwords
version_added: 0.1.0
description:
  - Ensures a Key Distribution Service root key exists in the forest, the prerequisite of every group
    managed service account (gMSA). It creates the key over LDAP with the attributes C(Add-KdsRootKey) writes.
  - A new key becomes usable 10 hours after its effective time, so that every domain controller has it;
    the module returns when (O(effective_time) defaults to now) and warns while no key is usable yet.
  - An existing key, usable or not, is left alone; creating a second one would not make gMSAs usable sooner.
  - Runs on the controller; when the play targets domain controllers, the LDAP server and credentials
    default to the targeted host's connection settings.
  - Needs Enterprise Admins (or Domain Admins of the forest root domain) to create a key.
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
extends_documentation_fragment:
  - mdi.action_accounts.ldap_connection
  - mdi.action_accounts.attributes
  - mdi.action_accounts.attributes.ldap_group
options:
  state:
    description:
      - V(present) creates a root key when the forest has none.
      - V(absent) deletes the key O(key_id). Deleting a key in use breaks the gMSAs whose passwords derive from it.
    type: str
    choices: [present, absent]
    default: present
  effective_time:
    description:
      - When domain controllers may start using a new key, as ISO 8601 with a time zone. Default is now,
        which makes the key usable in 10 hours.
      - A malformed time is refused, also when the forest has a key already. A time in the past is refused when a key is
        to be created (once it exists, a fixed time in a playbook may fall into the past); see O(backdate_for_lab).
    type: str
  backdate_for_lab:
    description:
      - Back-date a new key by 11 hours so it is usable at once, like C(Add-KdsRootKey -EffectiveTime ((Get-Date).AddHours(-10))) with an hour
        to spare for the key-interval alignment domain controllers apply.
      - Only for a lab with a single domain controller; in a real forest other DCs may not have the key yet.
    type: bool
    default: false
  key_id:
    description:
      - The key (its GUID, as RV(key.key_id) gives it) to delete with O(state=absent). A value that is no GUID is refused.
    type: str
notes:
  - The module never reads or returns the key's secret data (C(msKds-RootKeyData)).
seealso:
  - module: mdi.action_accounts.gmsa_account
  - name: Create the KDS root key
    description: Microsoft's procedure, and why it takes 10 hours.
    link: https://learn.microsoft.com/windows-server/security/group-managed-service-accounts/create-the-key-distribution-services-kds-root-key
"""

EXAMPLES = r"""
- name: Ensure a KDS root key exists (usable in 10 hours when created now)
  mdi.action_accounts.kds_root_key:
  run_once: true
  register: kds

- name: Lab only - a key usable at once
  mdi.action_accounts.kds_root_key:
    backdate_for_lab: true
  run_once: true

- name: Remove a key (for example a lab key)
  mdi.action_accounts.kds_root_key:
    state: absent
    key_id: 5c2cb4d3-0a3e-4a0e-9b64-5e0d9e7fbd55
  run_once: true
"""

RETURN = r"""
key:
  description: The key the module created, found or removed.
  returned: success, when there is one
  type: dict
  contains:
    key_id:
      description: The key's GUID (its C(cn)).
      type: str
    effective_time:
      description: C(msKds-UseStartTime), ISO 8601 UTC.
      type: str
    created:
      description: C(msKds-CreateTime), ISO 8601 UTC.
      type: str
    usable_at:
      description: When domain controllers use the key (effective time plus 10 hours).
      type: str
    usable:
      description: Whether that time has passed.
      type: bool
  sample:
    key_id: 5c2cb4d3-0a3e-4a0e-9b64-5e0d9e7fbd55
    effective_time: "2026-11-27T08:00:00+00:00"
    created: "2026-11-27T08:00:00+00:00"
    usable_at: "2026-11-27T18:00:00+00:00"
    usable: false
root_keys:
  description: Every root key of the forest after the task, oldest first, described like RV(key).
  returned: success
  type: list
  elements: dict
usable:
  description: Whether at least one key is usable now.
  returned: success
  type: bool
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._kds import task


def main():
    module = AnsibleModule(argument_spec=task.argument_spec(), supports_check_mode=True, **task.CONSTRAINTS)
    task.run(module)


if __name__ == "__main__":
    main()
