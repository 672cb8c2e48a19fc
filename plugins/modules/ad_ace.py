#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: ad_ace
short_description: Manage explicit access and audit ACEs of one principal on an Active Directory object
version_added: 0.1.0
description:
  - Adds, removes or sets the explicit access control entries (ACEs) of one principal in the DACL of a
    directory object (an OU, the domain root, ...), over LDAP. Other principals' ACEs and inherited ACEs are never touched.
  - Audit ACEs (O(aces[].access=audit)) go to the object's SACL, the same way. A task reads and writes only the parts its
    ACEs are in (the SD flags control with DACL or SACL alone), so one without audit ACEs never needs the auditing privilege
    and one with audit ACEs only never rewrites the DACL.
  - New ACEs are inserted in canonical order (deny before allow, explicit before inherited).
  - O(preset=mdi_action_account) is the exact permission set of the Microsoft Defender for Identity action account
    on descendant objects of the target, as Microsoft documents it.
  - The DACL is written right after the read it is planned on, re-read first when another LDAP operation came between
    them (a GUID looked up, the SACL read), and re-read after the write; when another writer changed it concurrently,
    the same ACEs are merged into the DACL that writer left (at most 3 attempts), so its ACEs are kept.
  - O(preset=domain_object_auditing), O(preset=configuration_container_auditing) and O(preset=adfs_auditing) are the
    audit ACEs that the Microsoft Defender for Identity PowerShell module (Set-MDIConfiguration) writes for its
    DomainObjectAuditing, ConfigurationContainerAuditing and AdfsAuditing items; MDI gives them to Everyone (O(principal=S-1-1-0)).
  - Protected accounts (C(adminCount=1)) under the target do not inherit the ACEs (AdminSDHolder); the module warns about them.
  - Objects in a C(CN=Deleted Objects) container, and the container itself, are read and written with the Show Deleted control.
  - Runs on the controller; when the play targets domain controllers, the LDAP server and credentials
    default to the targeted host's connection settings.
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
extends_documentation_fragment:
  - mdi.action_accounts.ldap_connection
  - mdi.action_accounts.attributes
  - mdi.action_accounts.attributes.ldap_group
options:
  target:
    description:
      - The DN of the object whose DACL (or SACL) is changed. Default is the domain root.
      - For example C(CN=Deleted Objects,DC=corp,DC=example,DC=com), where MDI's directory service account needs
        V(list_children) and V(read_property) (with O(take_ownership=true)).
    type: str
  principal:
    description:
      - The trustee of the ACEs, as a sAMAccountName (a gMSA with or without C($)), DOMAIN\name, UPN, DN or SID.
    type: str
    required: true
  aces:
    description:
      - The ACEs, worded like the Advanced Security Settings dialog. Combined with O(preset) when both are given.
      - Audit ACEs are entries of this list with O(aces[].access=audit) and O(aces[].audit_flags), as the dialog's Auditing tab
        lists them next to its Permissions tab, rather than a second list; the flag names are those of
        C(ansible.windows.win_audit_rule)'s C(audit_flags).
    type: list
    elements: dict
    suboptions:
      access:
        description:
          - Allow or deny (an ACE of the DACL), or audit (an ACE of the SACL, with O(aces[].audit_flags)).
        type: str
        choices: [allow, deny, audit]
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
      audit_flags:
        description:
          - For O(aces[].access=audit) only, and required there - which accesses the domain controller logs, V(success),
            V(failure) or both (event 4662 and 5136 on Windows, with the matching audit policy).
        type: list
        elements: str
        choices: [success, failure]
  preset:
    description:
      - V(mdi_action_account) - on descendant users reset password and read/write C(pwdLastSet) and C(userAccountControl),
        on descendant groups read/write C(member).
      - V(domain_object_auditing) - for the domain root, audit success of everything but List contents, Read all properties
        and Read permissions on descendant user, group, computer, msDS-ManagedServiceAccount, msDS-GroupManagedServiceAccount
        and msDS-DelegatedManagedServiceAccount objects (six audit ACEs).
      - V(configuration_container_auditing) - for C(CN=Configuration,<forest root domain DN>), audit success and failure of
        Write all properties on this object and all descendants.
      - V(adfs_auditing) - for C(CN=ADFS,CN=Microsoft,CN=Program Data,<domain DN>), audit success and failure of Read and
        Write all properties on this object and all descendants.
    type: str
    choices: [mdi_action_account, domain_object_auditing, configuration_container_auditing, adfs_auditing]
  include_groups:
    description:
      - With O(preset=mdi_action_account), include the read/write C(member) ACE on groups (Microsoft calls it optional).
    type: bool
    default: true
  take_ownership:
    description:
      - When the DACL of the target cannot be read, make the bind account the target's owner first (only the owner is
        written, as C(dsacls /takeOwnership) does); an owner may always read and change the DACL. Needs WRITE_OWNER or
        SeTakeOwnershipPrivilege, which Administrators hold.
      - C(CN=Deleted Objects) grants Administrators only List contents and Read all properties, so granting on it needs this.
      - The previous owner cannot be read before, so it is not returned. In check mode the DACL is planned as if empty.
    type: bool
    default: false
  state:
    description:
      - V(present) adds the ACEs that are missing; V(absent) removes them.
      - V(exact) makes them the principal's only explicit ACEs on the target, removing the others, in each part the task
        works on - the DACL when any ACE is an allow or deny ACE or none is given, the SACL when any is an audit ACE.
    type: str
    choices: [present, absent, exact]
    default: present
notes:
  - The task needs permission to modify permissions (WRITE_DAC) on the target. Only the DACL is read and written
    (SD_FLAGS control), never the owner, group or SACL, unless the task has audit ACEs or takes ownership.
  - Audit ACEs need SeSecurityPrivilege (Manage auditing and security log) on the domain controller, which Administrators
    hold; without it the task fails and says so.
  - RV(previous_dacl_sddl) holds the DACL as it was, to restore it by hand if needed; RV(previous_sacl_sddl) the SACL.
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

- name: Let the MDI directory service account's group read deleted objects
  mdi.action_accounts.ad_ace:
    target: CN=Deleted Objects,DC=corp,DC=example,DC=com
    principal: CORP\mdiDsaGroup
    aces:
      - rights: [list_children, read_property]
    take_ownership: true
  run_once: true

- name: Audit changes to users, groups, computers and service accounts, as MDI's DomainObjectAuditing does
  mdi.action_accounts.ad_ace:
    principal: S-1-1-0
    preset: domain_object_auditing
  run_once: true

- name: Audit failed reads of an OU's properties
  mdi.action_accounts.ad_ace:
    target: OU=Corp,DC=corp,DC=example,DC=com
    principal: S-1-1-0
    aces:
      - access: audit
        audit_flags: [failure]
        rights: [read_property]
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
  description:
    - The principal's explicit ACEs on the target after the task (predicted in check mode), in DACL order, then its audit
      ACEs in SACL order, of the parts the task works on.
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
  description:
    - The whole DACL before the task, in SDDL (C(D:...)); null when SDDL cannot express one of its ACEs, when the task has
      audit ACEs only, or when it could not read the DACL before taking ownership.
  returned: success
  type: str
previous_sacl_sddl:
  description: The whole SACL before the task, in SDDL (C(S:...)), when the task has audit ACEs; null otherwise.
  returned: success
  type: str
owner_taken:
  description: Whether the bind account became the target's owner (O(take_ownership)), or would in check mode.
  returned: success
  type: bool
owner:
  description: The SID of the new owner, when the task took ownership.
  returned: when the owner was taken, not in check mode
  type: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace import task


def main():
    module = AnsibleModule(argument_spec=task.argument_spec(), supports_check_mode=True, **task.CONSTRAINTS)
    task.run(module)


if __name__ == "__main__":
    main()
