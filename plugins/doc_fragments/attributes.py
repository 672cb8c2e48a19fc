# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations


class ModuleDocFragment:
    # The attributes every module of this collection has: runs on the controller, check and diff mode.
    DOCUMENTATION = r"""
attributes:
  check_mode:
    description: Can run in check mode and return the changed status prediction without modifying the target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
  platform:
    description: Runs on the controller (through its action plugin), whatever the targeted host is.
    support: full
    platforms: posix
  action:
    description: Has a corresponding action plugin, which runs the module's logic on the controller.
    support: full
"""

    # Read-only modules (*_info): nothing to predict in check mode and nothing to diff.
    INFO_MODULE = r"""
options: {}
attributes:
  check_mode:
    support: full
    details: It only reads, in check mode as otherwise.
  diff_mode:
    support: none
    details: It never changes anything.
"""

    # Members of the ldap action group (meta/runtime.yml).
    LDAP_GROUP = r"""
attributes:
  action_group:
    description: Use C(group/mdi.action_accounts.ldap) in C(module_defaults) to set the LDAP options once.
    support: full
    membership:
      - mdi.action_accounts.ldap
"""

    # Members of the cloud action group (meta/runtime.yml).
    CLOUD_GROUP = r"""
attributes:
  action_group:
    description: >-
      Use C(group/mdi.action_accounts.cloud) in C(module_defaults) for the options every cloud module has
      (O(ca_cert), O(validate_certs), O(timeout), O(retries)).
    support: full
    membership:
      - mdi.action_accounts.cloud
"""
