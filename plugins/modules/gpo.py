#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: gpo
short_description: Ensure a Group Policy object, its status and its links, over LDAP and SMB
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
  - O(links) are kept in each target's C(gPLink). Only this GPO's entry is touched; the other GPOs' links keep their text,
    options and order.
  - Writes go in an order a rerun can always finish - container, children, SYSVOL folder, status, links - and a failure
    names the steps already done. A rerun finds the container by its display name and creates only what is missing.
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
      - V(absent) removes the GPO's links from every container of the domain partition, then its SYSVOL folder, then the
        container with its children (as C(samba-tool gpo del)). O(links) and O(status) must be left out.
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
      - Containers (OUs, the domain) that link the GPO.
      - A new link gets the lowest precedence (it goes first in C(gPLink)), as GPMC and C(samba-tool gpo setlink) add it,
        unless O(links[].order) says where.
    type: list
    elements: dict
    suboptions:
      target:
        description: The container's distinguished name.
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
      - V(exact) also removes the GPO's links from the containers of the domain partition that O(links) does not name.
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
attributes:
  action_group:
    description: Use C(group/mdi.action_accounts.ldap) in C(module_defaults) to set the LDAP options once.
    support: full
    membership:
      - mdi.action_accounts.ldap
notes:
  - Run it once per domain (C(run_once=true)).
  - Links on sites (in the configuration partition) are neither read nor changed.
  - Security filtering (who the GPO applies to) is not managed yet; the module keeps the container's DACL as it is and
    only mirrors it into SYSVOL.
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
  description: The GPO's links in the domain partition after the task (empty after O(state=absent)).
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
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo import task


def main():
    module = AnsibleModule(argument_spec=task.argument_spec(), supports_check_mode=True, **task.CONSTRAINTS)
    task.run(module)


if __name__ == "__main__":
    main()
