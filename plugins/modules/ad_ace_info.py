#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: ad_ace_info
short_description: List the explicit ACEs on an Active Directory object
version_added: 0.1.0
description:
  - Reads the DACL of a directory object over LDAP and returns its explicit ACEs (not the inherited ones)
    in SDDL and in words, optionally only those of one principal.
  - Runs on the controller; when the play targets domain controllers, the LDAP server and credentials
    default to the targeted host's connection settings.
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
extends_documentation_fragment:
  - mdi.action_accounts.ldap_connection
  - mdi.action_accounts.attributes.info_module
  - mdi.action_accounts.attributes
options:
  target:
    description:
      - The DN of the object. Default is the domain root.
    type: str
  principal:
    description:
      - Only the ACEs of this trustee (sAMAccountName, DOMAIN\name, UPN, DN or SID).
    type: str
seealso:
  - module: mdi.action_accounts.ad_ace
"""

EXAMPLES = r"""
- name: What the MDI action account may do on an OU
  mdi.action_accounts.ad_ace_info:
    target: OU=Corp,DC=corp,DC=example,DC=com
    principal: mdiAction$
  run_once: true
  register: acl
"""

RETURN = r"""
target:
  description: The DN of the object.
  returned: success
  type: str
principal:
  description: The trustee given in O(principal), or null.
  returned: success
  type: dict
aces:
  description: The explicit ACEs, in DACL order.
  returned: success
  type: list
  elements: dict
  contains:
    sddl:
      description: The ACE in SDDL; null for an ACE that SDDL cannot express.
      type: str
    description:
      description: The ACE in words.
      type: str
    sid:
      description: The trustee's SID (absent for an ACE type the collection does not model).
      type: str
    access:
      description: V(allow), V(deny) or V(other).
      type: str
  sample:
    - sddl: (OA;CIIO;CR;00299570-246d-11d0-a768-00aa006e0529;bf967aba-0de6-11d0-a285-00aa003049e2;S-1-5-21-1-2-3-1102)
      description: "Allow CORP\\mdiAction$: Extended right Reset Password on descendant user objects"
      sid: S-1-5-21-1-2-3-1102
      access: allow
dacl_sddl:
  description: The whole DACL, inherited ACEs included, in SDDL; null when SDDL cannot express one of its ACEs.
  returned: success
  type: str
dacl_protected:
  description: Whether the DACL is protected from inheritance.
  returned: success
  type: bool
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace import info


def main():
    module = AnsibleModule(argument_spec=info.argument_spec(), supports_check_mode=True, **info.CONSTRAINTS)
    info.run(module)


if __name__ == "__main__":
    main()
