#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: gpo_security_template
short_description: Ensure registry values in a GPO's security template (GptTmpl.inf), over LDAP and SMB
version_added: 0.2.0
description:
  - Sets, or removes, lines of the C([Registry Values]) section of C(MACHINE\Microsoft\Windows NT\SecEdit\GptTmpl.inf) in a
    Group Policy object, from the controller, without GPMC or RSAT (MS-GPSB). Defender for Identity's NTLM auditing
    (C(AuditReceivingNTLMTraffic), C(RestrictSendingNTLMTraffic), C(AuditNTLMInDomain)) and Remote SAM
    (C(RestrictRemoteSAM)) settings live there.
  - The template is merged, never replaced. Every other section (C([Privilege Rights]), C([System Access]) and the rest) and
    every other line keeps its bytes; a line that already holds the value asked for is left as written. A new file is
    UTF-16LE with a byte order mark and CRLF line ends, starting with the C([Unicode]) and C([Version]) sections secedit writes.
  - Lines are written as secedit writes them - C(MACHINE\<key>\<value name>=<type>,<data>), strings in double quotes, so
    Remote SAM reads C(...\Lsa\RestrictRemoteSAM=1,"O:BAG:BAD:(A;;RC;;;BA)"). Microsoft's DefenderForIdentity module writes
    C(RestrictRemoteSAM=1=O:BAG:...) (no type, no quotes); this module reads such a line as malformed and rewrites it.
  - The Security extension pair C([{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}]) is merged
    into C(gPCMachineExtensionNames), keeping every other pair.
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
options:
  state:
    description:
      - V(present) sets the lines of O(registry_values) and keeps every other line.
      - V(absent) removes the lines of the paths in O(registry_values).
    type: str
    choices: [present, absent]
    default: present
  registry_values:
    description:
      - The registry values, one line of C([Registry Values]) each.
    type: list
    elements: dict
    required: true
    suboptions:
      path:
        description:
          - C(MACHINE\) then the key under HKEY_LOCAL_MACHINE, then the value name, such as
            C(MACHINE\System\CurrentControlSet\Control\Lsa\MSV1_0\AuditReceivingNTLMTraffic). Compared case-insensitively.
        type: str
        required: true
      type:
        description:
          - The registry type. Required with O(state=present), left out with O(state=absent).
        type: str
        choices: [REG_SZ, REG_EXPAND_SZ, REG_DWORD, REG_MULTI_SZ]
      value:
        description:
          - The data - a string for V(REG_SZ) and V(REG_EXPAND_SZ) (no double quote, no line break), an integer from 0 to
            4294967295 for V(REG_DWORD), a list of strings for V(REG_MULTI_SZ) (none empty, no space or comma at either end).
          - Required with O(state=present), left out with O(state=absent).
        type: raw
extends_documentation_fragment:
  - mdi.action_accounts.gpo_file
  - mdi.action_accounts.ldap_connection
  - mdi.action_accounts.attributes
  - mdi.action_accounts.attributes.ldap_group
notes:
  - The diff shows the C([Registry Values]) section before and after.
  - Registry types other than the four above are kept as written but cannot be set.
seealso:
  - module: mdi.action_accounts.gpo
  - module: mdi.action_accounts.gpo_audit_policy
  - name: MS-GPSB
    description: The security template file in a GPO.
    link: https://learn.microsoft.com/openspecs/windows_protocols/ms-gpsb/
"""

EXAMPLES = r"""
- name: NTLM auditing on domain controllers, as Defender for Identity asks
  mdi.action_accounts.gpo_security_template:
    gpo: Microsoft Defender for Identity - NTLM Auditing for DCs
    registry_values:
      - path: MACHINE\System\CurrentControlSet\Control\Lsa\MSV1_0\AuditReceivingNTLMTraffic
        type: REG_DWORD
        value: 2
      - path: MACHINE\System\CurrentControlSet\Control\Lsa\MSV1_0\RestrictSendingNTLMTraffic
        type: REG_DWORD
        value: 1
      - path: MACHINE\System\CurrentControlSet\Services\Netlogon\Parameters\AuditNTLMInDomain
        type: REG_DWORD
        value: 7
  run_once: true

- name: Remote SAM access for the Directory Service account
  mdi.action_accounts.gpo_security_template:
    gpo: Microsoft Defender for Identity - Remote SAM Access
    registry_values:
      - path: MACHINE\System\CurrentControlSet\Control\Lsa\RestrictRemoteSAM
        type: REG_SZ
        value: "O:BAG:BAD:(A;;RC;;;BA)(A;;RC;;;{{ mdi_dsa_sid }})"
  run_once: true

- name: Remove it again
  mdi.action_accounts.gpo_security_template:
    gpo: Microsoft Defender for Identity - Remote SAM Access
    registry_values:
      - path: MACHINE\System\CurrentControlSet\Control\Lsa\RestrictRemoteSAM
    state: absent
  run_once: true
"""

RETURN = r"""
registry_values:
  description: Every line of C([Registry Values]) after the task (in check mode, as it would be).
  returned: success
  type: list
  elements: dict
  contains:
    path:
      description: The path as written in the file.
      type: str
    type:
      description: The registry type (V(REG_SZ) and so on, or the number of another type); null for a line without one.
      type: str
    value:
      description: The data (a string, an integer or a list of strings); null for a line without a type.
      type: raw
    text:
      description: The text after C(=), as written.
      type: str
gpo:
  description: The GPO edited - its C(name) (display name), C(guid) and C(dn) (the container's distinguished name).
  returned: success
  type: dict
  sample:
    name: Microsoft Defender for Identity - NTLM Auditing for DCs
    guid: "{31B2F340-016D-11D2-945F-00C04FB984F9}"
    dn: CN={31B2F340-016D-11D2-945F-00C04FB984F9},CN=Policies,CN=System,DC=corp,DC=example,DC=com
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_edit import security_template


def main():
    module = AnsibleModule(argument_spec=security_template.argument_spec(), supports_check_mode=True, **security_template.CONSTRAINTS)
    security_template.run(module)


if __name__ == "__main__":
    main()
