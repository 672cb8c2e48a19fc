#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: ad_domain_info
short_description: Read the domain and forest a domain controller serves, and whether given objects exist, over LDAP
version_added: 0.2.0
description:
  - Reads, from the controller, the naming contexts of the domain controller's rootDSE, the domain's DNS and NetBIOS names
    and SID (from its C(crossRef) in C(CN=Partitions)), and the domain and forest functional levels.
  - Tells whether each of O(objects) exists, so a play can act on containers that only some domains have, such as the
    AD FS container or Exchange's configuration.
  - Finds the accounts O(principals) name, with their SIDs, so a play can name an account by SID in a GPO's permissions or
    an ACE; an account that does not exist is reported, not an error.
  - Use RV(forest.configuration_dn) for the configuration partition. It is the forest's, which in a child domain is not
    C(CN=Configuration,<domain DN>), the mistake Microsoft's C(Set-MDIConfiguration) makes.
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
options:
  objects:
    description:
      - Distinguished names whose existence to check, in RV(objects) in the same order.
      - Each may end in, or hold, a placeholder the module replaces with a naming context of the domain controller -
        C({domain}) (the domain), C({configuration}) (the forest's configuration partition), C({schema}) or
        C({forest_root}) (the forest root domain).
      - Any other placeholder, or an empty entry, fails the task before anything is read.
    type: list
    elements: str
    default: []
  principals:
    description:
      - Accounts to find, in RV(principals) in the same order.
      - Each as M(mdi.action_accounts.ad_ace) takes a principal - a name (C(sAMAccountName), with or without the C($) of a
        gMSA or computer), C(DOMAIN\\name), a UPN, a DN or a SID.
      - A name that fits two accounts (C(srv1) and C(srv1$)) fails the task; give the DN or SID instead.
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - mdi.action_accounts.ldap_connection
  - mdi.action_accounts.attributes
  - mdi.action_accounts.attributes.ldap_group
  - mdi.action_accounts.attributes.info_module
notes:
  - Any account that can read the rootDSE, the domain object and the partitions container can run it; objects it may not
    see read as absent.
seealso:
  - module: mdi.action_accounts.ad_ace
  - module: mdi.action_accounts.ad_optional_feature
"""

EXAMPLES = r"""
- name: Read the domain and whether it has AD FS and Exchange
  mdi.action_accounts.ad_domain_info:
    objects:
      - CN=ADFS,CN=Microsoft,CN=Program Data,{domain}
      - CN=Microsoft Exchange,CN=Services,{configuration}
  run_once: true
  register: ad

- name: Audit the forest's configuration partition where Exchange is installed
  mdi.action_accounts.ad_ace:
    target: "{{ ad.forest.configuration_dn }}"
    preset: configuration_container_auditing
  run_once: true
  when: ad.objects[1].exists

- name: Find the Directory Service account's SID
  mdi.action_accounts.ad_domain_info:
    principals:
      - mdiDSA$
  run_once: true
  register: dsa

- name: Say when it is missing
  ansible.builtin.debug:
    msg: "{{ dsa.principals[0].reason }}"
  run_once: true
  when: not dsa.principals[0].found
"""

RETURN = r"""
domain:
  description: The domain of the domain controller.
  returned: success
  type: dict
  contains:
    dn:
      description: Its distinguished name.
      type: str
      sample: DC=corp,DC=example,DC=com
    dns_name:
      description: Its DNS name.
      type: str
      sample: corp.example.com
    netbios_name:
      description: Its NetBIOS name.
      type: str
      sample: CORP
    sid:
      description: Its SID.
      type: str
      sample: S-1-5-21-1004336348-1177238915-682003330
    functional_level:
      description: The domain functional level (the rootDSE's C(domainFunctionality)).
      type: int
      sample: 7
    functional_level_name:
      description: The Windows Server version that level stands for.
      type: str
      sample: Windows Server 2016
forest:
  description: The forest of the domain controller.
  returned: success
  type: dict
  contains:
    root_domain_dn:
      description: The forest root domain's distinguished name.
      type: str
      sample: DC=example,DC=com
    configuration_dn:
      description: The configuration partition.
      type: str
      sample: CN=Configuration,DC=example,DC=com
    schema_dn:
      description: The schema partition.
      type: str
      sample: CN=Schema,CN=Configuration,DC=example,DC=com
    functional_level:
      description: The forest functional level (the rootDSE's C(forestFunctionality)).
      type: int
      sample: 7
    functional_level_name:
      description: The Windows Server version that level stands for.
      type: str
      sample: Windows Server 2016
domain_controller:
  description: The domain controller that answered.
  returned: success
  type: dict
  contains:
    dns_host_name:
      description: Its DNS host name.
      type: str
      sample: dc1.corp.example.com
    server_dn:
      description: Its server object in the configuration partition.
      type: str
objects:
  description: One entry per O(objects), in order.
  returned: success
  type: list
  elements: dict
  contains:
    dn:
      description: The distinguished name, placeholders replaced.
      type: str
      sample: CN=ADFS,CN=Microsoft,CN=Program Data,DC=corp,DC=example,DC=com
    exists:
      description: Whether the object exists (and the bind account may see it).
      type: bool
    object_class:
      description: Its most specific object class; null when it does not exist.
      type: str
      sample: container
principals:
  description: One entry per O(principals), in order.
  returned: success
  type: list
  elements: dict
  contains:
    name:
      description: The name as given.
      type: str
      sample: mdiDSA$
    found:
      description: Whether an account answers to the name.
      type: bool
    dn:
      description: Its distinguished name; null when not found, or for a well-known SID without an object.
      type: str
      sample: CN=mdiDSA,CN=Managed Service Accounts,DC=corp,DC=example,DC=com
    sid:
      description: Its SID; null when not found.
      type: str
      sample: S-1-5-21-1004336348-1177238915-682003330-1105
    sAMAccountName:
      description: Its logon name; null when not found or when it has none.
      type: str
      sample: mdiDSA$
    objectClass:
      description: Its object classes, most specific last; empty when not found.
      type: list
      elements: str
    display:
      description: The name as Windows shows it; null when not found.
      type: str
      sample: CORP\\mdiDSA$
    reason:
      description: Why it was not found.
      type: str
      returned: when not found
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._domain_info import task


def main():
    module = AnsibleModule(argument_spec=task.argument_spec(), supports_check_mode=True, **task.CONSTRAINTS)
    task.run(module)


if __name__ == "__main__":
    main()
