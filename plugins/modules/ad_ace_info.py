#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: ad_ace_info
short_description: List the explicit access and audit ACEs on an Active Directory object
version_added: 0.1.0
description:
  - Reads the DACL of a directory object over LDAP and returns its explicit ACEs (not the inherited ones)
    in SDDL and in words, optionally only those of one principal.
  - With O(sacl=true) it also reads the SACL and returns its explicit audit ACEs.
  - Objects in a C(CN=Deleted Objects) container, and the container itself, are read with the Show Deleted control.
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
  target:
    description:
      - The DN of the object. Default is the domain root.
    type: str
  principal:
    description:
      - Only the ACEs of this trustee (sAMAccountName, DOMAIN\name, UPN, DN or SID).
    type: str
  sacl:
    description:
      - Also read the SACL (in a read of its own, with the SD flags control for the SACL alone) and return RV(audit_aces).
      - Needs SeSecurityPrivilege (Manage auditing and security log) on the domain controller, which Administrators hold;
        without it the task fails and says so.
    type: bool
    default: false
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

- name: Is MDI's domain object auditing in place?
  mdi.action_accounts.ad_ace_info:
    principal: S-1-1-0
    sacl: true
  run_once: true
  register: audit
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
      description: V(allow), V(deny), V(audit) or V(other).
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
audit_aces:
  description:
    - The explicit audit ACEs of the SACL, in SACL order, with the keys of RV(aces) (C(access) is V(audit), or V(other) for
      alarm and label ACEs) and RV(audit_aces[].audit_flags).
  returned: when O(sacl=true)
  type: list
  elements: dict
  contains:
    audit_flags:
      description: What is logged, V(success) and/or V(failure).
      type: list
      elements: str
  sample:
    - sddl: (OU;CIIOSA;CCDCSWWPDTCRSDWDWO;;bf967aba-0de6-11d0-a285-00aa003049e2;WD)
      description: "Audit success of Everyone: ... on descendant user objects"
      sid: S-1-1-0
      access: audit
      audit_flags: [success]
sacl_sddl:
  description: The whole SACL, inherited ACEs included, in SDDL; null when SDDL cannot express one of its ACEs.
  returned: when O(sacl=true)
  type: str
sacl_protected:
  description: Whether the SACL is protected from inheritance.
  returned: when O(sacl=true)
  type: bool
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace import info


def main():
    module = AnsibleModule(argument_spec=info.argument_spec(), supports_check_mode=True, **info.CONSTRAINTS)
    info.run(module)


if __name__ == "__main__":
    main()
