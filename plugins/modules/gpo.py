#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: gpo
short_description: Ensure a Group Policy object, its status, links and security filtering, over LDAP and SMB
version_added: 0.2.0
description:
  - Creates or deletes a Group Policy object (GPO) by display name, from the controller, without GPMC or RSAT.
  - A new GPO is made as C(samba-tool gpo create) and GPMC make it - the container
    C(CN={GUID},CN=Policies,CN=System,<domain>) (class C(groupPolicyContainer), with C(displayName), C(gPCFileSysPath),
    C(gPCFunctionalityVersion) 2, C(flags) and C(versionNumber) 0) and its C(CN=User) and C(CN=Machine) children over LDAP,
    then its folder C(Policies\{GUID}) in SYSVOL with C(GPT.INI) (C([General]) C(Version=0), CRLF) and the C(Machine) and
    C(User) folders over SMB.
  - The SYSVOL folder and everything the module creates in it get the ACL derived from the container's owner, group and
    DACL the way Samba derives it (C(samba-tool ntacl sysvolreset)), like GPMC's MakeAclConsistent. Every run checks
    the folder, C(GPT.INI), C(Machine) and C(User) against the container's current DACL and sets the ACL where it differs.
  - The GPO status (O(status)) is the container's C(flags).
  - O(links) are kept in each target's C(gPLink) - an OU, the domain, or a site. Only this GPO's entry is touched; the
    other GPOs' links keep their text, options and order.
  - O(permissions) is the security filtering (who may read and who applies the GPO), written in the container's DACL
    alone (the SD flags control says DACL only). The SYSVOL folder's ACL is derived from the DACL afterwards, in the same run.
  - Writes go in an order a rerun can always finish - container, children, SYSVOL folder, status, links - and a failure
    names the steps already done. A rerun finds the container by its display name and creates only what is missing.
    The DACL is written after the children and before the SYSVOL folder, so the folder gets the ACL of the new DACL.
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
options:
  name:
    description:
      - The GPO's display name (1 to 255 characters). Two GPOs with this name are an error.
    type: str
    required: true
  state:
    description:
      - V(present) creates the GPO when no GPO has this name, completes one a failed run left half-made, and sets O(status)
        and O(links).
      - V(absent) removes the GPO's links from every container of the domain partition and from every site of the forest,
        then its SYSVOL folder, then the container with its children (as C(samba-tool gpo del)). O(links), O(status) and
        O(permissions) must be left out.
    type: str
    choices: [present, absent]
    default: present
  status:
    description:
      - The GPO status as GPMC shows it. V(all_settings_enabled) is C(flags) 0, V(user_settings_disabled) 1,
        V(computer_settings_disabled) 2, V(all_settings_disabled) 3.
      - Default is to keep the status of an existing GPO; a new GPO gets V(all_settings_enabled).
    type: str
    choices: [all_settings_enabled, user_settings_disabled, computer_settings_disabled, all_settings_disabled]
  links:
    description:
      - Containers (OUs, the domain) and sites that link the GPO.
      - A new link gets the lowest precedence (it goes first in C(gPLink)), as GPMC and C(samba-tool gpo setlink) add it,
        unless O(links[].order) says where.
    type: list
    elements: dict
    suboptions:
      target:
        description:
          - The container's distinguished name - an OU, the domain, or a site such as
            C(CN=Default-First-Site-Name,CN=Sites,CN=Configuration,DC=corp,DC=example,DC=com) (the forest root's
            configuration partition holds the sites; linking there takes Enterprise Admins rights).
        type: str
        required: true
      enabled:
        description: Whether the link is enabled (C(gPLink) option bit 0 clear).
        type: bool
        default: true
      enforced:
        description: Whether the link is enforced (C(gPLink) option bit 1).
        type: bool
        default: false
      order:
        description:
          - The link order as GPMC shows it; 1 is the highest precedence. Larger than the number of links means the lowest.
          - Default keeps an existing link where it is.
        type: int
  links_state:
    description:
      - V(present) adds and updates the links in O(links) and keeps the GPO's other links.
      - V(exact) also removes the GPO's links from the containers of the domain partition and the sites of the forest that
        O(links) does not name.
    type: str
    choices: [present, exact]
    default: present
  permissions:
    description:
      - The GPO's security filtering, as the levels of GPMC's C(Set-GPPermission) (GPMPermissionType) name it. Each entry
        sets one principal's level; every ACE of other kinds (edit rights, Domain Admins' and SYSTEM's) is kept.
      - V(read) (GpoRead) is the ACE C((A;CI;LCRPLORC;;;SID)), and the principal's Apply and Deny-Apply ACEs go.
      - V(apply) (GpoApply) is Read plus C((OA;CI;CR;edacfd8f-ffb3-11d1-b41d-00a0c968f939;;SID)), the Apply Group Policy
        extended right; a Deny-Apply ACE of the principal goes. These are the ACEs the schema's default gives
        Authenticated Users on every new GPO.
      - V(deny_apply) is C((OD;;CR;edacfd8f-ffb3-11d1-b41d-00a0c968f939;;SID)), as Microsoft's DefenderForIdentity module
        writes it for the Domain Controllers on its Remote SAM GPO; the principal's Apply ACE goes and its Read stays as found.
      - Default is to keep the container's DACL as it is.
    type: list
    elements: dict
    suboptions:
      principal:
        description:
          - A user, group or computer of the domain, or a well-known principal - by name, DOMAIN\name, UPN, DN or SID
            (C(S-1-5-11) is Authenticated Users).
        type: str
        required: true
      level:
        description: The principal's permission level on the GPO.
        type: str
        required: true
        choices: [read, apply, deny_apply]
  permissions_state:
    description:
      - V(present) sets the levels of the principals in O(permissions) and leaves the others as they are.
      - V(exact) also takes Apply and Deny-Apply from every principal O(permissions) does not name, and keeps their Read, as
        GPMC's security filtering does when a principal is removed from it. Authenticated Users thus keep reading the GPO
        (computers must read a GPO to process it, since MS16-072) but no longer apply it.
      - Ignored without O(permissions).
    type: str
    choices: [present, exact]
    default: present
  smb_server:
    description:
      - The domain controller whose SYSVOL share is written over SMB, with O(username) and O(password).
      - Default is O(server), so the container and its files change on the same domain controller.
    type: str
extends_documentation_fragment:
  - mdi.action_accounts.ldap_connection
  - mdi.action_accounts.attributes
  - mdi.action_accounts.attributes.ldap_group
notes:
  - Run it once per domain (C(run_once=true)). Changes on one controller (two plays at once, two AWX jobs on one execution
    node) take turns per domain, with the modules that edit GPO files; the container's DACL and each gPLink are whole
    values, so a change from elsewhere between this task's read and its write is overwritten.
  - Security filtering is not in the SYSVOL folder's ACL as such - the ACL is derived from the container's Allow ACEs
    (Samba's C(dsacl2fsacl)), so a Deny-Apply ACE has no counterpart there, as with Samba's own tools.
  - C(samba-tool ntacl sysvolcheck) judges the SYSVOL ACL of every GPO the module creates as consistent; it judges the
    files that C(samba-tool gpo create) itself leaves to inheritance as not.
seealso:
  - name: MS-GPOL
    description: The Group Policy container, gPLink and versions.
    link: https://learn.microsoft.com/openspecs/windows_protocols/ms-gpol/
"""

EXAMPLES = r"""
- name: Ensure the MDI auditing GPO, linked and enforced on the domain controllers
  mdi.action_accounts.gpo:
    name: Microsoft Defender for Identity - Advanced Audit Policy for DCs
    status: user_settings_disabled
    links:
      - target: OU=Domain Controllers,DC=corp,DC=example,DC=com
        enforced: true
  run_once: true

- name: Link it only there, removing any other link of this GPO
  mdi.action_accounts.gpo:
    name: Microsoft Defender for Identity - Advanced Audit Policy for DCs
    links:
      - target: OU=Domain Controllers,DC=corp,DC=example,DC=com
        enforced: true
        order: 1
    links_state: exact
  run_once: true

- name: Apply the CA auditing GPO to Cert Publishers only (Set-GPPermission -Replace as MDI's module does it)
  mdi.action_accounts.gpo:
    name: Microsoft Defender for Identity - Advanced Audit Policy for CAs
    permissions:
      - principal: Cert Publishers
        level: apply
      - principal: Domain Controllers
        level: read
      - principal: S-1-5-11
        level: read
    permissions_state: exact
  run_once: true

- name: Keep the Remote SAM GPO off the domain controllers
  mdi.action_accounts.gpo:
    name: Microsoft Defender for Identity - Remote SAM Access
    permissions:
      - principal: Domain Controllers
        level: deny_apply
  run_once: true

- name: Link a GPO on the default site
  mdi.action_accounts.gpo:
    name: Microsoft Defender for Identity - Advanced Audit Policy for DCs
    links:
      - target: CN=Default-First-Site-Name,CN=Sites,CN=Configuration,DC=corp,DC=example,DC=com
  run_once: true

- name: Delete the GPO with its links and its SYSVOL folder
  mdi.action_accounts.gpo:
    name: Microsoft Defender for Identity - Advanced Audit Policy for DCs
    state: absent
  run_once: true
"""

RETURN = r"""
gpo:
  description: The GPO after the task; null when O(state=absent) found none. In check mode a GPO still to be created has
    a null C(guid), C(dn) and C(file_sys_path).
  returned: success
  type: dict
  contains:
    name:
      description: The display name.
      type: str
    guid:
      description: The GPO's GUID.
      type: str
      sample: "{31B2F340-016D-11D2-945F-00C04FB984F9}"
    dn:
      description: The container's distinguished name.
      type: str
    file_sys_path:
      description: C(gPCFileSysPath), the folder in SYSVOL.
      type: str
    status:
      description: The status, as in O(status) (O(state=present) only).
      type: str
    created:
      description: Whether the task created the GPO (O(state=present) only).
      type: bool
links:
  description: The GPO's links in the domain partition and on the forest's sites after the task (empty after O(state=absent)).
  returned: success
  type: list
  elements: dict
  contains:
    target:
      description: The container's DN.
      type: str
    enabled:
      description: Whether the link is enabled.
      type: bool
    enforced:
      description: Whether the link is enforced.
      type: bool
    order:
      description: The link order on that container (1 = highest precedence).
      type: int
permissions:
  description:
    - The GPO's security filtering after the task, one entry per principal with a Read, Apply or Deny-Apply ACE.
    - Null in check mode for a GPO still to be created (its DACL is the one the domain controller gives it).
  returned: when O(permissions) is given
  type: list
  elements: dict
  contains:
    principal:
      description: The principal's name, as Windows shows it.
      type: str
      sample: NT AUTHORITY\Authenticated Users
    sid:
      description: Its SID.
      type: str
    level:
      description: V(read), V(apply), V(deny_apply), or V(apply_without_read) for an Apply that the principal cannot read
        (it has no effect).
      type: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo import task


def main():
    module = AnsibleModule(argument_spec=task.argument_spec(), supports_check_mode=True, **task.CONSTRAINTS)
    task.run(module)


if __name__ == "__main__":
    main()
