#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: gpo_preference_registry
short_description: Ensure Group Policy Preferences registry items in a GPO (Registry.xml), over LDAP and SMB
version_added: 0.2.0
description:
  - Sets, or removes, Group Policy Preferences registry items of the computer side of a Group Policy object,
    C(Machine\Preferences\Registry\Registry.xml), from the controller, without GPMC or RSAT (MS-GPPREF). Defender for
    Identity's CA auditing (C(AuditFilter) on the certification authority) lives there.
  - The file is merged, never replaced. Items are matched by hive, key and value name, case-insensitively (also inside
    collections); every other item, and every byte outside the items changed, stays as written. An item that already holds
    the type, value and action asked for is left byte for byte - its C(changed) time stamp and C(uid) included - so a rerun
    changes nothing. A changed item is edited in place and keeps its C(uid), item-level targeting and description; a new
    item gets a new C(uid) and goes at the end of the file. A new file is UTF-8, as GPMC writes it.
  - The Preferences Registry extension pair
    C([{B087BE9D-ED37-454F-AF9C-04291E351182}{BEE07A6A-EC9F-4659-B8C9-0B1937907C83}]) is merged into
    C(gPCMachineExtensionNames), keeping every other pair.
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
options:
  state:
    description:
      - V(present) sets the items of O(items) and keeps every other item.
      - V(absent) removes every item of the file with the hive, key and value name of an entry of O(items).
    type: str
    choices: [present, absent]
    default: present
  items:
    description:
      - The registry items, one per hive, key and value name.
    type: list
    elements: dict
    required: true
    suboptions:
      hive:
        description:
          - The registry hive. Only the computer side's hives; C(HKEY_CURRENT_USER) is a user-side preference.
        type: str
        choices: [HKEY_LOCAL_MACHINE, HKEY_CLASSES_ROOT, HKEY_USERS, HKEY_CURRENT_CONFIG]
        default: HKEY_LOCAL_MACHINE
      key:
        description:
          - The key under O(items[].hive), without the hive, such as
            C(System\CurrentControlSet\Services\CertSvc\Configuration\CORP-CA01-CA). Group Policy Preferences variables such
            as C(%DomainName%) and C(%ComputerName%) are expanded on each computer.
        type: str
        required: true
      name:
        description:
          - The value name.
        type: str
        required: true
      type:
        description:
          - The registry type. Required with O(state=present) unless O(items[].action=delete) (then V(REG_SZ) when left
            out); left out with O(state=absent).
          - C(REG_MULTI_SZ) cannot be set (GPMC writes it with a list this module does not write yet).
        type: str
        choices: [REG_SZ, REG_EXPAND_SZ, REG_DWORD, REG_QWORD, REG_BINARY]
      value:
        description:
          - The data - a string for V(REG_SZ) and V(REG_EXPAND_SZ), an integer from 0 to 4294967295 for V(REG_DWORD), from 0
            to 18446744073709551615 for V(REG_QWORD), hex bytes for V(REG_BINARY) (such as C(00 0f ff) or C(000fff)).
          - Required with O(state=present) unless O(items[].action=delete); left out with O(state=absent) and with
            O(items[].action=delete).
        type: raw
      action:
        description:
          - What the computers do with the value. V(update) (when left out) creates or sets it, V(create) creates it only
            where it does not exist, V(replace) deletes and creates it again, V(delete) removes it from the computers.
          - Left out with O(state=absent).
        type: str
        choices: [update, create, replace, delete]
extends_documentation_fragment:
  - mdi.action_accounts.gpo_file
  - mdi.action_accounts.ldap_connection
  - mdi.action_accounts.attributes
  - mdi.action_accounts.attributes.ldap_group
notes:
  - The diff shows the items of the keys named, one per line, before and after.
  - Only the computer side (C(Machine)) is edited; user-side preferences are out of scope.
  - Microsoft's CA auditing key C(System\CurrentControlSet\Services\CertSvc\Configuration\%DomainName%-%ComputerName%-CA)
    (what the DefenderForIdentity module's C(Set-MDIConfiguration -Configuration CAAuditing) writes) only fits a
    certification authority with the default name, C(<NetBIOS domain>-<host>-CA). For a CA with another name, give its
    real name in O(items[].key) (the name under C(CertSvc\Configuration) on the CA, C(certutil -getreg CA\Active)).
seealso:
  - module: mdi.action_accounts.gpo
  - module: mdi.action_accounts.gpo_security_template
  - name: MS-GPPREF
    description: Group Policy Preferences, including the registry items of Registry.xml.
    link: https://learn.microsoft.com/openspecs/windows_protocols/ms-gppref/
"""

EXAMPLES = r"""
- name: CA auditing, as Defender for Identity asks (a CA with the default name)
  mdi.action_accounts.gpo_preference_registry:
    gpo: Microsoft Defender for Identity - Auditing for CAs
    items:
      - hive: HKEY_LOCAL_MACHINE
        key: System\CurrentControlSet\Services\CertSvc\Configuration\%DomainName%-%ComputerName%-CA
        name: AuditFilter
        type: REG_DWORD
        value: 127
        action: update
    state: present
  run_once: true

- name: CA auditing for a CA with its own name
  mdi.action_accounts.gpo_preference_registry:
    gpo: Microsoft Defender for Identity - Auditing for CAs
    items:
      - key: System\CurrentControlSet\Services\CertSvc\Configuration\Corp Issuing CA
        name: AuditFilter
        type: REG_DWORD
        value: 127
  run_once: true

- name: Remove the item again
  mdi.action_accounts.gpo_preference_registry:
    gpo: Microsoft Defender for Identity - Auditing for CAs
    items:
      - key: System\CurrentControlSet\Services\CertSvc\Configuration\%DomainName%-%ComputerName%-CA
        name: AuditFilter
    state: absent
  run_once: true
"""

RETURN = r"""
preference_items:
  description:
    - The file's items under the hives and keys of O(items) after the task (in check mode, as they would be), in file order.
  returned: success
  type: list
  elements: dict
  contains:
    hive:
      description: The hive as written.
      type: str
    key:
      description: The key as written.
      type: str
    name:
      description: The value name as written.
      type: str
    type:
      description: The registry type as written.
      type: str
    value:
      description: The data - an integer for V(REG_DWORD) and V(REG_QWORD), the text as written otherwise.
      type: raw
    action:
      description: V(update), V(create), V(replace) or V(delete) (another letter as written).
      type: str
    disabled:
      description: Whether the item is disabled in the GPO (a disabled item is not applied).
      type: bool
    uid:
      description: The item's C(uid).
      type: str
    changed:
      description: The item's C(changed) time stamp, as written (C(YYYY-MM-DD HH:MM:SS)).
      type: str
  sample:
    - hive: HKEY_LOCAL_MACHINE
      key: System\CurrentControlSet\Services\CertSvc\Configuration\%DomainName%-%ComputerName%-CA
      name: AuditFilter
      type: REG_DWORD
      value: 127
      action: update
      disabled: false
      uid: "{0BEC7FF0-5903-4167-BFE5-957A59C00DDA}"
      changed: "2025-06-26 13:03:46"
gpo:
  description: The GPO edited - its C(name) (display name), C(guid) and C(dn) (the container's distinguished name).
  returned: success
  type: dict
  sample:
    name: Microsoft Defender for Identity - Auditing for CAs
    guid: "{31B2F340-016D-11D2-945F-00C04FB984F9}"
    dn: CN={31B2F340-016D-11D2-945F-00C04FB984F9},CN=Policies,CN=System,DC=corp,DC=example,DC=com
diff:
  description: With C(--diff), the items of the keys named before and after, one per line.
  returned: success, in diff mode
  type: dict
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_edit import preference_registry


def main():
    module = AnsibleModule(argument_spec=preference_registry.argument_spec(), supports_check_mode=True, **preference_registry.CONSTRAINTS)
    preference_registry.run(module)


if __name__ == "__main__":
    main()
