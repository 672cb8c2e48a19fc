#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: ad_ace
short_description: Manage explicit ACEs of one principal on an Active Directory object
version_added: 0.1.0
description:
  - Adds, removes or sets the explicit access control entries (ACEs) of one principal in the DACL of a
    directory object (an OU, the domain root, ...), over LDAP. Other principals' ACEs and inherited ACEs are never touched.
  - New ACEs are inserted in canonical order (deny before allow, explicit before inherited).
  - O(preset=mdi_action_account) is the exact permission set of the Microsoft Defender for Identity action account
    on descendant objects of the target, as Microsoft documents it.
  - The DACL is re-read just before it is written and again after; when another writer changed it concurrently,
    the same ACEs are merged into the new DACL (at most 3 attempts), so no writer's ACE is lost.
  - Protected accounts (C(adminCount=1)) under the target do not inherit the ACEs (AdminSDHolder); the module warns about them.
  - Runs on the controller; when the play targets domain controllers, the LDAP server and credentials
    default to the targeted host's connection settings.
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
extends_documentation_fragment:
  - mdi.action_accounts.ldap_connection
  - mdi.action_accounts.attributes
options:
  target:
    description:
      - The DN of the object whose DACL is changed. Default is the domain root.
    type: str
  principal:
    description:
      - The trustee of the ACEs, as a sAMAccountName (a gMSA with or without C($)), DOMAIN\name, UPN, DN or SID.
    type: str
    required: true
  aces:
    description:
      - The ACEs, worded like the Advanced Security Settings dialog. Combined with O(preset) when both are given.
    type: list
    elements: dict
    suboptions:
      access:
        description: Allow or deny.
        type: str
        choices: [allow, deny]
        default: allow
      rights:
        description:
          - Access rights, any of V(read_property), V(write_property), V(control_access) (or V(extended_right)), V(create_child),
            V(delete_child), V(list_children), V(self_write) (or V(validated_write)), V(delete_tree), V(list_object),
            V(read_control) (or V(read_permissions)), V(write_dac), V(write_owner), V(delete), V(generic_all),
            V(generic_read), V(generic_write), V(generic_execute).
        type: list
        elements: str
        required: true
      object_type:
        description:
          - What the rights apply to, by name or GUID. An attribute or property set for read/write property
            (V(pwdLastSet)), an extended right for control access (V(Reset Password)), a validated write for
            self write, a class for create/delete child. Names are looked up in the schema and in CN=Extended-Rights.
          - A GUID must name an entry of that kind in the schema (C(schemaIDGUID)) or in CN=Extended-Rights (C(rightsGuid)).
            The task fails, before anything is written, when an ACE it would add holds one that names nothing (or something
            else). The GUIDs of O(preset) and of the classes and attributes it uses are known without a search.
        type: str
      applies_to:
        description:
          - V(this_object), V(this_object_and_descendants), V(descendants) (descendants only), or
            V(descendant_objects) (descendant objects of the class O(aces[].inherited_object_type)).
          - Default is V(descendant_objects) when O(aces[].inherited_object_type) is set, else V(this_object).
        type: str
        choices: [this_object, this_object_and_descendants, descendants, descendant_objects]
      inherited_object_type:
        description:
          - The class of the descendant objects (for example V(user) or V(group)), by name or GUID.
          - A GUID must be a class's C(schemaIDGUID), checked as for O(aces[].object_type).
        type: str
  preset:
    description:
      - V(mdi_action_account) - on descendant users reset password and read/write C(pwdLastSet) and C(userAccountControl),
        on descendant groups read/write C(member).
    type: str
    choices: [mdi_action_account]
  include_groups:
    description:
      - With O(preset=mdi_action_account), include the read/write C(member) ACE on groups (Microsoft calls it optional).
    type: bool
    default: true
  state:
    description:
      - V(present) adds the ACEs that are missing; V(absent) removes them.
      - V(exact) makes them the principal's only explicit ACEs on the target, removing the others.
    type: str
    choices: [present, absent, exact]
    default: present
notes:
  - The task needs permission to modify permissions (WRITE_DAC) on the target. Only the DACL is read and written
    (SD_FLAGS control), never the owner, group or SACL.
  - RV(previous_dacl_sddl) holds the DACL as it was, to restore it by hand if needed.
seealso:
  - module: mdi.action_accounts.ad_ace_info
  - name: Microsoft Defender for Identity action accounts
    description: The permissions the action account needs.
    link: https://learn.microsoft.com/defender-for-identity/deploy/manage-action-accounts
"""

EXAMPLES = r"""
- name: Delegate the MDI action account's permissions on an OU
  mdi.action_accounts.ad_ace:
    target: OU=Corp,DC=corp,DC=example,DC=com
    principal: mdiAction$
    preset: mdi_action_account
  run_once: true

- name: Let the help desk reset passwords of users below an OU
  mdi.action_accounts.ad_ace:
    target: OU=Corp,DC=corp,DC=example,DC=com
    principal: CORP\helpdesk
    aces:
      - rights: [control_access]
        object_type: Reset Password
        inherited_object_type: user
      - rights: [read_property, write_property]
        object_type: pwdLastSet
        applies_to: descendant_objects
        inherited_object_type: user
  run_once: true

- name: Remove every explicit ACE of an account on an OU
  mdi.action_accounts.ad_ace:
    target: OU=Corp,DC=corp,DC=example,DC=com
    principal: old-service
    aces: []
    state: exact
  run_once: true
"""

RETURN = r"""
target:
  description: The DN of the object whose DACL was read.
  returned: success
  type: str
principal:
  description: The trustee.
  returned: success
  type: dict
  sample: {"dn": "CN=mdiAction,CN=Managed Service Accounts,DC=corp,DC=example,DC=com", "sid": "S-1-5-21-1-2-3-1102",
           "sAMAccountName": "mdiAction$", "objectClass": ["top", "msDS-GroupManagedServiceAccount"], "display": "CORP\\mdiAction$"}
aces:
  description: The principal's explicit ACEs on the target after the task (predicted in check mode), in DACL order.
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
  sample:
    - sddl: (OA;CIIO;CR;00299570-246d-11d0-a768-00aa006e0529;bf967aba-0de6-11d0-a285-00aa003049e2;S-1-5-21-1-2-3-1102)
      description: "Allow CORP\\mdiAction$: Extended right Reset Password on descendant user objects"
before:
  description: The principal's explicit ACEs before the task, like RV(aces).
  returned: success
  type: list
  elements: dict
added:
  description: The ACEs the task added, like RV(aces).
  returned: success
  type: list
  elements: dict
removed:
  description: The ACEs the task removed, like RV(aces).
  returned: success
  type: list
  elements: dict
previous_dacl_sddl:
  description: The whole DACL before the task, in SDDL (C(D:...)); null when SDDL cannot express one of its ACEs.
  returned: success
  type: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace import task


def main():
    module = AnsibleModule(argument_spec=task.argument_spec(), supports_check_mode=True, **task.CONSTRAINTS)
    task.run(module)


if __name__ == "__main__":
    main()
