#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: directory_service_account_info
short_description: Check the MDI Directory Service account as Test-MDIDSA does, over LDAP
version_added: 0.2.0
description:
  - Reads, from the controller, what Microsoft's C(Test-MDIDSA) checks on Windows, and returns one row per check with
    V(PASS) or V(FAIL), the reason, and the variable of the C(mdi.action_accounts.directory_service_account) role that fixes
    it, or, where no role variable does (C(sensitive_groups), C(explicit_delegation), C(manager_of)), what to change by hand.
  - C(account_exists) - the account (a gMSA or a user) exists.
  - C(sensitive_groups) - it is in none of Administrators, Account Operators, Server Operators, Print Operators, Backup
    Operators, Replicators, Domain Admins, Domain Controllers, Cert Publishers, Schema Admins, Enterprise Admins, Group Policy
    Creator Owners, directly or through nested groups or its primary group (read from its C(tokenGroups)).
  - C(explicit_delegation) - no domain, OU or group object has an explicit (not inherited) Allow ACE for the account or one of
    its groups (its primary group aside, as C(Test-MDIDSA) does).
  - C(manager_of) - no object names it in C(managedBy) or C(manager).
  - C(deleted_objects) - the account or one of its groups may List Contents and Read Property on C(CN=Deleted Objects)
    (read with the Show Deleted control). Unlike C(Test-MDIDSA), this works for any domain, not only the caller's.
  - C(password_retrieval) - for a gMSA, C(msDS-GroupMSAMembership) lets the domain controllers (Domain Controllers or
    Enterprise Domain Controllers) retrieve the password. C(Test-MDIDSA) runs C(Test-ADServiceAccount) on the machine that
    runs the test instead.
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
options:
  name:
    description:
      - The Directory Service account, in any form the collection accepts for a principal (sAMAccountName with or without
        C($), DOMAIN\name, UPN, DN or SID).
    type: str
    required: true
extends_documentation_fragment:
  - mdi.action_accounts.ldap_connection
  - mdi.action_accounts.attributes
  - mdi.action_accounts.attributes.ldap_group
  - mdi.action_accounts.attributes.info_module
notes:
  - The C(explicit_delegation) check reads the DACL of every domain, OU and group object of the domain, as C(Test-MDIDSA) does.
seealso:
  - name: Test-MDIDSA
    description: The PowerShell cmdlet whose checks this module makes.
    link: https://learn.microsoft.com/powershell/module/defenderforidentity/test-mdidsa
"""

EXAMPLES = r"""
- name: Check the Directory Service account
  mdi.action_accounts.directory_service_account_info:
    name: mdiDSA$
  run_once: true
  register: dsa

- name: Fail on the first failed check, with its reason
  ansible.builtin.assert:
    that: dsa.passed
    fail_msg: "{{ dsa.checks | selectattr('status', 'eq', 'FAIL') | map(attribute='detail') | join('; ') }}"
  run_once: true
"""

RETURN = r"""
passed:
  description: Whether every check passed.
  returned: success
  type: bool
account:
  description: The account; null when it does not exist.
  returned: success
  type: dict
  contains:
    name:
      description: DOMAIN\sAMAccountName.
      type: str
    dn:
      description: Its distinguished name.
      type: str
    sid:
      description: Its SID.
      type: str
    kind:
      description: V(gmsa) or V(user).
      type: str
checks:
  description: One row per check, in the order of the description.
  returned: success
  type: list
  elements: dict
  contains:
    check:
      description: V(account_exists), V(sensitive_groups), V(explicit_delegation), V(manager_of), V(deleted_objects) or V(password_retrieval).
      type: str
    status:
      description: V(PASS) or V(FAIL).
      type: str
    detail:
      description: Why, naming the groups, objects or rights concerned and what to change.
      type: str
    fix_var:
      description: For a failed check, the variable of the C(directory_service_account) role that fixes it; null when the fix is by hand or the check passed.
      type: str
    fix:
      description:
        - For a failed check that no role variable fixes (C(sensitive_groups), C(explicit_delegation), C(manager_of)), what to
          change by hand, naming the groups or objects; null when the check passed or C(fix_var) names the fix.
      type: str
      sample: take CORP\mdiDSA$ out of CORP\Domain Admins, or out of the group that nests it in them (its memberOf shows the direct groups)
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._dsa import task


def main():
    module = AnsibleModule(argument_spec=task.argument_spec(), supports_check_mode=True, **task.CONSTRAINTS)
    task.run(module)


if __name__ == "__main__":
    main()
