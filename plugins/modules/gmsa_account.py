#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: gmsa_account
short_description: Manage a group managed service account (gMSA), such as the MDI action account
version_added: 0.1.0
description:
  - Creates, updates or removes a group managed service account over LDAP, with what Windows requires
    (C(userAccountControl) 4096, a C(sAMAccountName) ending in C($), a C(dNSHostName)).
  - Manages who may retrieve its password (C(msDS-GroupMSAMembership)). Following Microsoft's advice for
    MDI action accounts, principals that are not domain controllers are refused unless O(allow_non_dc_retrieval=true).
  - Refuses to create a gMSA while the forest has no usable KDS root key (see M(mdi.action_accounts.kds_root_key)).
  - Runs on the controller; when the play targets domain controllers, the LDAP server and credentials
    default to the targeted host's connection settings.
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
extends_documentation_fragment:
  - mdi.action_accounts.ldap_connection
  - mdi.action_accounts.attributes
  - mdi.action_accounts.attributes.ldap_group
options:
  name:
    description:
      - The account's name, with or without the trailing C($); at most 15 characters including the C($). One trailing C($)
        only; the characters C("/\[]:;|=,+*?<>@) are not allowed.
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the account, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  path:
    description:
      - The DN of the OU or container that holds the account. Default for a new account is
        C(CN=Managed Service Accounts) of the domain; an existing account is moved here when set.
    type: str
  dns_hostname:
    description:
      - The account's C(dNSHostName). Default for a new account is C(<name>.<domain DNS name>).
      - A DNS host name - labels of letters, digits and hyphens (1 to 63 characters, no hyphen first or last) joined by dots,
        at most 253 characters.
    type: str
  description:
    description:
      - The account's description. Left alone when not set.
    type: str
  kerberos_encryption_types:
    description:
      - The Kerberos encryption types the account supports (C(msDS-SupportedEncryptionTypes)). AES only by default.
    type: list
    elements: str
    choices: [aes128, aes256, rc4]
    default: [aes128, aes256]
  spns:
    description:
      - Service principal names to V(add), V(remove), or V(set) (replace all). Left alone when not set.
    type: dict
    suboptions:
      add:
        description: SPNs to add.
        type: list
        elements: str
      remove:
        description: SPNs to remove.
        type: list
        elements: str
      set:
        description: The SPNs the account must have, no others.
        type: list
        elements: str
  password_interval_days:
    description:
      - Days between password changes (C(msDS-ManagedPasswordInterval)). AD lets it be set only at creation
        (default 30); a different value for an existing account is an error.
      - From 1 to 21350397, the largest interval whose rollover period domain controllers can compute.
    type: int
  enabled:
    description:
      - Whether the account is enabled.
    type: bool
    default: true
  retrieval_principals:
    description:
      - Principals allowed to retrieve the password, to V(add), V(remove) or V(set) (replace all), in any form
        (sAMAccountName, C(DOMAIN\name), UPN, DN or SID).
      - Default for a new account is the domain's Domain Controllers group; an existing account keeps its list, unless the
        list is empty (no one could use the account), which gets the Domain Controllers group.
    type: dict
    suboptions:
      add:
        description: Principals to allow.
        type: list
        elements: str
      remove:
        description: Principals to disallow.
        type: list
        elements: str
      set:
        description: The principals allowed, no others.
        type: list
        elements: str
  allow_non_dc_retrieval:
    description:
      - Allow principals that are not domain controllers (or groups holding such accounts) to retrieve the password.
        Microsoft advises against it for MDI action accounts.
    type: bool
    default: false
  skip_kds_check:
    description:
      - Create the account even when no usable KDS root key exists (it cannot get a password until one does).
    type: bool
    default: false
notes:
  - The action account must not be the Directory Service account (DSA) the MDI sensor uses to read AD.
seealso:
  - module: mdi.action_accounts.kds_root_key
  - name: Manage action accounts
    description: Microsoft's procedure for MDI action accounts.
    link: https://learn.microsoft.com/defender-for-identity/manage-action-accounts
"""

EXAMPLES = r"""
- name: The MDI action account, retrievable by domain controllers only
  mdi.action_accounts.gmsa_account:
    name: mdiAction
    description: Microsoft Defender for Identity action account
  run_once: true

- name: Also let the read-only domain controllers retrieve it
  mdi.action_accounts.gmsa_account:
    name: mdiAction
    retrieval_principals:
      add:
        - CORP\Read-only Domain Controllers
  run_once: true

- name: Remove it
  mdi.action_accounts.gmsa_account:
    name: mdiAction
    state: absent
  run_once: true
"""

RETURN = r"""
dn:
  description: The account's distinguished name.
  returned: success
  type: str
  sample: CN=mdiAction,CN=Managed Service Accounts,DC=corp,DC=example,DC=com
sam_account_name:
  description: The account's sAMAccountName.
  returned: success
  type: str
  sample: mdiAction$
sid:
  description: The account's objectSid (null in check mode before creation).
  returned: success
  type: str
  sample: S-1-5-21-1004336348-1177238915-682003330-1105
object_guid:
  description: The account's objectGUID (not known in check mode before creation).
  returned: success
  type: str
retrieval_principals:
  description: Who may retrieve the password after the task.
  returned: success
  type: list
  elements: dict
  contains:
    sid:
      description: The principal's SID.
      type: str
    name:
      description: C(DOMAIN\name), or null when the SID no longer resolves.
      type: str
account:
  description: The managed properties after the task (empty when absent).
  returned: success
  type: dict
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._gmsa import task


def main():
    module = AnsibleModule(argument_spec=task.argument_spec(), supports_check_mode=True, **task.CONSTRAINTS)
    task.run(module)


if __name__ == "__main__":
    main()
