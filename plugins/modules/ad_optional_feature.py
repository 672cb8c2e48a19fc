#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: ad_optional_feature
short_description: Enable an Active Directory optional feature such as the Recycle Bin, over LDAP
version_added: 0.2.0
description:
  - Enables a forest-wide optional feature (MS-ADTS 3.1.1.9) from the controller, as C(Enable-ADOptionalFeature -Scope
    ForestOrConfigurationSet) does, without Windows or RSAT. Defender for Identity's readiness item AdRecycleBin is
    O(name=recycle_bin).
  - Reads the feature object in C(CN=Optional Features,CN=Directory Service,CN=Windows NT,CN=Services) of the configuration
    partition. The feature is enabled when its C(msDS-EnabledFeatureBL) lists C(CN=Partitions). Otherwise the module modifies
    the rootDSE's C(enableOptionalFeature) with C(<CN=Partitions DN>:<feature GUID>) and reads the feature again.
  - Enabling cannot be undone, so the module refuses to do it without O(accept_irreversible=true). It checks the forest
    functional level against the feature's C(msDS-RequiredForestBehaviorVersion) before it writes.
author:
  - mdi.action_accounts maintainers (@mdi-action-accounts)
options:
  name:
    description:
      - The feature. V(recycle_bin) is C(Recycle Bin Feature) (forest level Windows Server 2008 R2 or higher);
        V(privileged_access_management) is C(Privileged Access Management Feature) (Windows Server 2016 or higher).
    type: str
    required: true
    choices: [privileged_access_management, recycle_bin]
  state:
    description:
      - V(enabled) is the only state. Active Directory has no operation that disables an optional feature.
    type: str
    choices: [enabled]
    default: enabled
  accept_irreversible:
    description:
      - Must be V(true) for the module to enable a feature that is not enabled yet. Check mode asks for it too.
      - Not needed when the feature is enabled already (nothing changes).
    type: bool
    default: false
extends_documentation_fragment:
  - mdi.action_accounts.ldap_connection
  - mdi.action_accounts.attributes
  - mdi.action_accounts.attributes.ldap_group
notes:
  - Run it once per forest (C(run_once=true)). The account must be a member of Enterprise Admins.
  - Samba 4.22 domain controllers accept C(enableOptionalFeature) only from their own system session, not from any LDAP
    account; against them the module reads the state and fails with that reason when it would have to enable the feature.
seealso:
  - name: MS-ADTS 3.1.1.9 Optional features
    description: How optional features are represented and enabled.
    link: https://learn.microsoft.com/openspecs/windows_protocols/ms-adts/
"""

EXAMPLES = r"""
- name: Enable the Active Directory Recycle Bin (cannot be undone)
  mdi.action_accounts.ad_optional_feature:
    name: recycle_bin
    accept_irreversible: true
  run_once: true
"""

RETURN = r"""
name:
  description: The feature, as in O(name).
  returned: success
  type: str
  sample: recycle_bin
dn:
  description: The feature object's distinguished name.
  returned: success
  type: str
scope:
  description: The scope the feature is enabled for (C(CN=Partitions) of the configuration partition).
  returned: success
  type: str
enabled:
  description: Whether the feature is enabled after the task (predicted in check mode).
  returned: success
  type: bool
forest_level:
  description: The forest functional level (the rootDSE's C(forestFunctionality)).
  returned: success
  type: int
required_forest_level:
  description: The forest functional level the feature needs (C(msDS-RequiredForestBehaviorVersion)).
  returned: success
  type: int
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mdi.action_accounts.plugins.module_utils._optional_feature import task


def main():
    module = AnsibleModule(argument_spec=task.argument_spec(), supports_check_mode=True, **task.CONSTRAINTS)
    task.run(module)


if __name__ == "__main__":
    main()
