#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: gpo_audit_policy
short_description: Ensure Advanced Audit Policy subcategories in a GPO's audit.csv, over LDAP and SMB
version_added: 0.2.0
description:
  - Sets, or removes, Advanced Audit Policy subcategory rows in C(MACHINE\Microsoft\Windows NT\Audit\audit.csv) of a Group
    Policy object, from the controller, without GPMC or RSAT (MS-GPAC).
  - The file is merged, never replaced. Rows of other subcategories, audit options and global object access rows keep their
    bytes; a row to change keeps its machine name, subcategory name and GUID spelling. A new file is UTF-8 with CRLF line
    ends and the MS-GPAC header line, as the Group Policy editor writes it; an existing file keeps its encoding and line ends.
  - Rows are matched by subcategory GUID, case-insensitively (the subcategory name in the file is for people only).
  - The Advanced Audit extension pair C([{F3CCC681-B74C-4060-9F26-CD84525DCA2A}{0F3F3735-573D-9804-99E4-AB2A69BA5FD4}]) is
    merged into C(gPCMachineExtensionNames), keeping every other pair (Microsoft's DefenderForIdentity module replaces the
    attribute, so the GPO's other settings stop applying).
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
options:
  subcategories:
    description:
      - The subcategories and how each is audited.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description:
          - The subcategory, by GUID (C({0cce923f-69ae-11d9-bed3-505054503030}), braces optional) or, for the subcategories
            Defender for Identity needs, by name as C(auditpol) names it (C(Credential Validation)) or as the Group Policy
            editor does (C(Audit Credential Validation)).
          - The names known are those of Security System Extension, Logon, Certification Services, User Account Management,
            Computer Account Management, Security Group Management, Distribution Group Management, Directory Service Access,
            Directory Service Changes and Credential Validation. Give any other subcategory by GUID.
        type: str
        required: true
      audit:
        description:
          - What to audit. V(success) and V(failure) together are "Success and Failure" (setting value 3), one alone is 1 or 2;
            V(none) alone is "No Auditing" (4), which turns auditing off on the computers the GPO applies to.
          - Required with O(state=present) and O(state=exact); must be left out with O(state=absent).
        type: list
        elements: str
        choices: [success, failure, none]
  state:
    description:
      - V(present) sets the rows of O(subcategories) and keeps every other row.
      - V(exact) also removes the subcategory rows O(subcategories) does not name (audit option rows are kept).
      - V(absent) removes the rows of O(subcategories) (the computers then keep whatever other policy says).
    type: str
    choices: [present, exact, absent]
    default: present
extends_documentation_fragment:
  - mdi.action_accounts.gpo_file
  - mdi.action_accounts.ldap_connection
  - mdi.action_accounts.attributes
  - mdi.action_accounts.attributes.ldap_group
notes:
  - The diff shows audit.csv before and after.
  - A file with a subcategory listed twice, or without the MS-GPAC header line, is refused; fix it by hand first.
seealso:
  - module: mdi.action_accounts.gpo
  - module: mdi.action_accounts.gpo_security_template
  - name: MS-GPAC
    description: The Advanced Audit Policy file format.
    link: https://learn.microsoft.com/openspecs/windows_protocols/ms-gpac/
"""

EXAMPLES = r"""
- name: Advanced audit policy Defender for Identity needs on domain controllers
  mdi.action_accounts.gpo_audit_policy:
    gpo: Microsoft Defender for Identity - Advanced Audit Policy for DCs
    subcategories:
      - {name: Security System Extension, audit: [success, failure]}
      - {name: Distribution Group Management, audit: [success, failure]}
      - {name: Security Group Management, audit: [success, failure]}
      - {name: Computer Account Management, audit: [success, failure]}
      - {name: User Account Management, audit: [success, failure]}
      - {name: Directory Service Access, audit: [success, failure]}
      - {name: Directory Service Changes, audit: [success, failure]}
      - {name: Credential Validation, audit: [success, failure]}
  run_once: true

- name: Only Certification Services, any other row removed
  mdi.action_accounts.gpo_audit_policy:
    gpo: Microsoft Defender for Identity - Advanced Audit Policy for CAs
    subcategories:
      - {name: "{0cce9221-69ae-11d9-bed3-505054503030}", audit: [success, failure]}
    state: exact
  run_once: true

- name: Remove the Logon row
  mdi.action_accounts.gpo_audit_policy:
    gpo: Microsoft Defender for Identity - Advanced Audit and URA Policy for Entra Connect
    subcategories:
      - name: Logon
    state: absent
  run_once: true
"""

RETURN = r"""
gpo:
  description: The GPO edited - its C(name) (display name), C(guid) and C(dn) (the container's distinguished name).
  returned: success
  type: dict
  sample:
    name: Microsoft Defender for Identity - Advanced Audit Policy for DCs
    guid: "{31B2F340-016D-11D2-945F-00C04FB984F9}"
    dn: CN={31B2F340-016D-11D2-945F-00C04FB984F9},CN=Policies,CN=System,DC=corp,DC=example,DC=com
subcategories:
  description: Every subcategory row of audit.csv after the task (in check mode, as it would be).
  returned: success
  type: list
  elements: dict
  contains:
    guid:
      description: The subcategory GUID, lower-case.
      type: str
    name:
      description: The subcategory's name when this module knows it, else null.
      type: str
    audit:
      description: What is audited, as in O(subcategories[].audit); empty for a row with setting value 0 or not a number.
      type: list
      elements: str
    setting_value:
      description: The MS-GPAC setting value (1 Success, 2 Failure, 3 both, 4 No Auditing); null when not a number.
      type: int
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_edit import audit_policy


def main():
    module = AnsibleModule(argument_spec=audit_policy.argument_spec(), supports_check_mode=True, **audit_policy.CONSTRAINTS)
    audit_policy.run(module)


if __name__ == "__main__":
    main()
