# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Action plugin of mdi.action_accounts.user_right_info: one read-only query through the host's own connection."""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.local import query_local
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.options import user_right_info_argument_spec
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.rights import canonical_right, describe_right
from ansible_collections.mdi.action_accounts.plugins.plugin_utils._controller_action import ControllerModuleAction
from ansible_collections.mdi.action_accounts.plugins.plugin_utils._powershell_host import PowerShellHost


class ActionModule(PowerShellHost, ControllerModuleAction):
    argument_spec = user_right_info_argument_spec()

    def run(self, tmp=None, task_vars=None):
        self._host_name = (task_vars or {}).get("inventory_hostname", "the host")  # for messages
        return super().run(tmp, task_vars)

    def run_backend(self, module) -> None:
        what = repr(module.params["name"])
        try:
            right = canonical_right(module.params["name"])
            what = describe_right(right)
            self._require_powershell(module, "user_right_info reads", self._host_name)
            result = query_local(right, self._execute)
        except MdiError as exc:
            module.fail_json(msg=f"Failed to read {what} on {self._host_name}: {exc}", **exc.details)
        module.exit_json(**result)
