#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: action_account_info
short_description: Check the Active Directory side of an MDI action account
version_added: 0.1.0
description:
  - Reads, over LDAP and without changing anything, what Microsoft's procedure for an MDI action account sets up
    in a domain, and judges it against Microsoft's guidance. A usable KDS root key; the gMSA, enabled, with AES
    encryption types only; only domain controllers may retrieve its password; and the four MDI ACEs on each
    delegation target.
  - Each verdict is one entry of RV(checks). The module does not fail when a check fails; use RV(ok) (the
    C(mdi.action_accounts.verify) role does).
  - It reads the directory afresh and shares no planning code with the modules that make the changes. It does
    use the same descriptor codec, and the same definition of the MDI ACEs.
  - Runs on the controller; when the play targets domain controllers, the LDAP server and credentials
    default to the targeted host's connection settings.
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
extends_documentation_fragment:
  - mdi.action_accounts.ldap_connection
  - mdi.action_accounts.attributes.info_module
  - mdi.action_accounts.attributes
  - mdi.action_accounts.attributes.ldap_group
options:
  name:
    description: The gMSA's name, with or without the trailing C($).
    type: str
    required: true
  targets:
    description:
      - The DNs where the MDI ACEs must be explicit ACEs. Empty means the domain root.
    type: list
    elements: str
    default: []
  include_groups:
    description: Whether the read/write C(member) ACE on groups is expected too.
    type: bool
    default: true
seealso:
  - module: mdi.action_accounts.gmsa_account
  - module: mdi.action_accounts.ad_ace
  - module: mdi.action_accounts.kds_root_key
"""

EXAMPLES = r"""
- name: Check the action account of each domain
  mdi.action_accounts.action_account_info:
    name: mdiAction
  run_once: true
  register: mdi_domain_side

- name: Stop when something is wrong
  ansible.builtin.assert:
    that: mdi_domain_side.ok
    fail_msg: "{{ mdi_domain_side.checks | rejectattr('ok') | map(attribute='detail') | list }}"
  run_once: true
"""

RETURN = r"""
ok:
  description: Whether every check passed.
  returned: success
  type: bool
checks_passed:
  description: How many checks passed.
  returned: success
  type: int
checks_failed:
  description: How many checks failed.
  returned: success
  type: int
domain:
  description: The DNS name of the domain read.
  returned: success
  type: str
  sample: corp.example.com
checks:
  description: One entry per verdict, in the order KDS root key, account, password retrieval, delegation.
  returned: success
  type: list
  elements: dict
  contains:
    area:
      description: V(kds), V(account), V(retrieval) or V(delegation).
      type: str
    subject:
      description: What was checked, e.g. C(gMSA mdiAction enabled) or a target's DN.
      type: str
    ok:
      description: Whether it meets Microsoft's guidance.
      type: bool
    detail:
      description: What was found, or what is wrong and what is missing.
      type: str
kds_root_keys:
  description: The forest's KDS root keys (never their secret data).
  returned: success
  type: list
  elements: dict
account:
  description: The gMSA (C(dn), C(sid), C(enabled), C(kerberos_encryption_types)), or null when it does not exist.
  returned: success
  type: dict
retrieval_principals:
  description:
    - Who may retrieve the password (C(sid), C(name)), with C(reason) saying why one is not domain controllers only
      (null when it is).
  returned: success
  type: list
  elements: dict
delegation:
  description:
    - Per target (C(target)), the SDDL of the expected ACEs that are missing (C(missing)); C(missing) is null when the
      account does not exist.
  returned: success
  type: list
  elements: dict
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._verify import task


def main():
    module = AnsibleModule(argument_spec=task.argument_spec(), supports_check_mode=True, **task.CONSTRAINTS)
    task.run(module)


if __name__ == "__main__":
    main()
