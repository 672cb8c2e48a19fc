#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: gpo_registry_policy
short_description: Ensure Administrative Templates registry values in a GPO (Machine\Registry.pol), over LDAP and SMB
version_added: 0.2.0
description:
  - Sets, or removes, registry values in C(Machine\Registry.pol) of a Group Policy object, the file the Administrative
    Templates settings live in (MS-GPREG), from the controller, without GPMC or RSAT. This is what C(Set-GPRegistryValue)
    writes; Defender for Identity's processor performance setting (the High performance power plan on domain controllers) lives
    there.
  - Only computer settings - keys under HKEY_LOCAL_MACHINE, written without the hive (C(Software\Policies\...), not
    C(HKLM\Software\Policies\...)). User settings (C(User\Registry.pol)) are not written.
  - The file is merged, never replaced. Every other record - other values, deletion instructions such as C(**del.<name>) and
    C(**delvals.), types this module does not write - keeps its bytes and its place; a value that already holds the type and data
    asked for is left as written; a changed value keeps its place and a new one is appended. A new file starts with the
    C(PReg) signature and version 1.
  - The Administrative Templates extension pair
    C([{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]) is merged into
    C(gPCMachineExtensionNames), keeping every other pair.
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
options:
  state:
    description:
      - V(present) sets the values of O(values) and keeps every other record.
      - V(absent) removes the records of the keys and names in O(values), whatever their type and data.
    type: str
    choices: [present, absent]
    default: present
  values:
    description:
      - The registry values, one record of Registry.pol each. Each key and name once.
    type: list
    elements: dict
    required: true
    suboptions:
      key:
        description:
          - The key under HKEY_LOCAL_MACHINE, without the hive, such as C(Software\Policies\Microsoft\Power\PowerSettings).
            Compared case-insensitively.
        type: str
        required: true
      name:
        description:
          - The value name, such as C(ActivePowerScheme). Compared case-insensitively. Names starting with C(**) are the
            file's deletion instructions and cannot be given.
        type: str
        required: true
      type:
        description:
          - The registry type. Required with O(state=present), left out with O(state=absent).
        type: str
        choices: [REG_SZ, REG_EXPAND_SZ, REG_BINARY, REG_DWORD, REG_MULTI_SZ, REG_QWORD]
      data:
        description:
          - The data - a string for V(REG_SZ) and V(REG_EXPAND_SZ), an integer from 0 to 4294967295 for V(REG_DWORD), an
            integer from 0 to 18446744073709551615 for V(REG_QWORD), a list of strings (none empty) for V(REG_MULTI_SZ), a
            string of hexadecimal byte pairs (C(01ff) or C(01 ff)) for V(REG_BINARY). No string holds a NUL character.
          - Required with O(state=present), left out with O(state=absent).
        type: raw
extends_documentation_fragment:
  - mdi.action_accounts.gpo_file
  - mdi.action_accounts.ldap_connection
  - mdi.action_accounts.attributes
  - mdi.action_accounts.attributes.ldap_group
notes:
  - The diff shows every record of Registry.pol before and after, one line each.
  - Computers remove a value that is no longer in the file only from the C(Software\Policies) keys, which Windows resets at each
    refresh; a value set elsewhere stays in their registry after its removal here.
seealso:
  - module: mdi.action_accounts.gpo
  - module: mdi.action_accounts.gpo_security_template
  - name: MS-GPREG
    description: The Registry.pol file of a GPO.
    link: https://learn.microsoft.com/openspecs/windows_protocols/ms-gpreg/
"""

EXAMPLES = r"""
- name: Processor performance on domain controllers (the High performance power plan), as Defender for Identity asks
  mdi.action_accounts.gpo_registry_policy:
    gpo: Microsoft Defender for Identity - Processor Performance
    values:
      - key: Software\Policies\Microsoft\Power\PowerSettings
        name: ActivePowerScheme
        type: REG_SZ
        data: 8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c
    state: present
  run_once: true

- name: Remove it again
  mdi.action_accounts.gpo_registry_policy:
    gpo: Microsoft Defender for Identity - Processor Performance
    values:
      - key: Software\Policies\Microsoft\Power\PowerSettings
        name: ActivePowerScheme
    state: absent
  run_once: true
"""

RETURN = r"""
policy_values:
  description:
    - Every record of Registry.pol under the keys named in O(values), after the task (in check mode, as it would be), in file
      order. Deletion instructions under those keys are listed too, with their names as written.
  returned: success
  type: list
  elements: dict
  contains:
    key:
      description: The key as written in the file.
      type: str
    name:
      description: The value name as written in the file.
      type: str
    type:
      description: The registry type (V(REG_SZ) and so on, or the number of another type).
      type: str
    data:
      description:
        - The data - a string, an integer or a list of strings; hexadecimal bytes for V(REG_BINARY) and for data its type
          cannot have.
      type: raw
  sample:
    - key: Software\Policies\Microsoft\Power\PowerSettings
      name: ActivePowerScheme
      type: REG_SZ
      data: 8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c
diff:
  description:
    - With C(--diff), every record of Registry.pol before and after, one line each (C(<key>\<name> = <type> <data>)).
  returned: success, in diff mode
  type: dict
  sample:
    before: ""
    after: "Software\\Policies\\Microsoft\\Power\\PowerSettings\\ActivePowerScheme = REG_SZ '8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c'\n"
    before_header: Machine\Registry.pol
    after_header: Machine\Registry.pol
gpo:
  description: The GPO edited - its C(name) (display name), C(guid) and C(dn) (the container's distinguished name).
  returned: success
  type: dict
  sample:
    name: Microsoft Defender for Identity - Processor Performance
    guid: "{31B2F340-016D-11D2-945F-00C04FB984F9}"
    dn: CN={31B2F340-016D-11D2-945F-00C04FB984F9},CN=Policies,CN=System,DC=corp,DC=example,DC=com
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_edit import registry_policy


def main():
    module = AnsibleModule(argument_spec=registry_policy.argument_spec(), supports_check_mode=True, **registry_policy.CONSTRAINTS)
    registry_policy.run(module)


if __name__ == "__main__":
    main()
