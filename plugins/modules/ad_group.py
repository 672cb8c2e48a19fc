#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: ad_group
short_description: Ensure an Active Directory group, its scope, category and members, over LDAP
version_added: 0.2.0
description:
  - Creates, updates or deletes a group by its name (C(sAMAccountName) and C(cn)), from the controller, without RSAT.
  - The group is found by O(name) anywhere in the domain; a user, computer or gMSA of that name is an error.
  - Members are named in any form the collection accepts for a principal (sAMAccountName, with or without C($), DOMAIN\name,
    UPN, DN or SID) and compared by the principal they stand for. Every principal is resolved before anything is written,
    so an unknown one changes nothing.
  - AD changes a scope only through universal. A change from V(global) to V(domain_local) or back is refused before
    anything is written, with the two steps to take. AD itself refuses a change to V(universal) while a global group holds
    the group or a domain-local group is a member, and a change from V(universal) while the group holds a universal group;
    the module then reports the DC's answer.
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
options:
  name:
    description:
      - The group's C(sAMAccountName), also its C(cn) when the module creates it.
      - 1 to 64 characters, without leading or trailing spaces or a final dot, and none of the characters that a
        C(sAMAccountName) cannot hold (double quote, slash, backslash, brackets, colon, semicolon, bar, equals sign,
        comma, plus sign, asterisk, question mark, angle brackets, at sign).
    type: str
    required: true
  state:
    description:
      - V(present) creates the group when it does not exist and sets what the task gives.
      - V(absent) deletes it; leave every other group option out.
    type: str
    choices: [present, absent]
    default: present
  path:
    description:
      - The DN of the OU or container of the group. An existing group elsewhere is moved there.
      - Default keeps an existing group where it is; a new group goes to the domain's C(CN=Users).
    type: str
  scope:
    description:
      - The group scope. Required to create a group; default keeps the scope of an existing one.
    type: str
    choices: [global, universal, domain_local]
  category:
    description:
      - V(security) groups can be granted permissions; V(distribution) groups cannot.
      - Default keeps the category of an existing group; a new group is a security group.
    type: str
    choices: [security, distribution]
  description:
    description:
      - The group's description. An empty string removes it; default leaves it as it is.
    type: str
  members:
    description:
      - The group's direct members (C(member)).
      - A principal with no object in the domain (a well-known one such as V(Authenticated Users), or one of another
        forest) is given to the DC as C(<SID=...>); the DC makes it a foreign security principal.
    type: dict
    suboptions:
      add:
        description: Principals to add; the others stay.
        type: list
        elements: str
      remove:
        description: Principals to remove; the others stay.
        type: list
        elements: str
      set:
        description: All the members; every other member is removed. An empty list removes every member.
        type: list
        elements: str
extends_documentation_fragment:
  - mdi.action_accounts.ldap_connection
  - mdi.action_accounts.attributes
  - mdi.action_accounts.attributes.ldap_group
notes:
  - Run it once per domain (C(run_once=true)).
  - Members are read from C(member) in one search. A DC that returns a group's members in ranges (Windows does above 1,500
    members) gives only the first range; such groups are not what this module is for.
seealso:
  - module: mdi.action_accounts.gmsa_account
  - name: Group scope
    description: Microsoft's table of the scope changes AD allows.
    link: https://learn.microsoft.com/windows-server/identity/ad-ds/manage/understand-security-groups#group-scope
"""

EXAMPLES = r"""
- name: Ensure the universal group of the MDI sensor servers, with the AD FS server in it
  mdi.action_accounts.ad_group:
    name: mdiSensorServers
    scope: universal
    category: security
    description: Servers that run an MDI sensor and retrieve the Directory Service account's password
    members:
      add:
        - ADFS01$
  run_once: true

- name: Make a global group domain-local, in the two steps AD takes
  mdi.action_accounts.ad_group:
    name: HelpdeskOperators
    scope: "{{ item }}"
  loop: [universal, domain_local]
  run_once: true

- name: Delete the group
  mdi.action_accounts.ad_group:
    name: mdiSensorServers
    state: absent
  run_once: true
"""

RETURN = r"""
group:
  description: The group after the task (as the DC holds it after a change; as predicted in check mode); null when absent.
  returned: success
  type: dict
  contains:
    name:
      description: Its C(sAMAccountName).
      type: str
    dn:
      description: Its distinguished name.
      type: str
    scope:
      description: V(global), V(universal) or V(domain_local).
      type: str
    category:
      description: V(security) or V(distribution).
      type: str
    description:
      description: Its description, or null.
      type: str
    created:
      description: Whether the task created the group (in check mode - would create it).
      type: bool
    members:
      description:
        - The DNs of its direct members, sorted.
        - In check mode a principal without an object in the domain shows as C(<SID=...>).
      type: list
      elements: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._group import task


def main():
    module = AnsibleModule(argument_spec=task.argument_spec(), supports_check_mode=True, **task.CONSTRAINTS)
    task.run(module)


if __name__ == "__main__":
    main()
