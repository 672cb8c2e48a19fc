# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Action plugin of mdi.action_accounts.user_right: all the work happens here, on the controller.

scope=local runs ONE PowerShell command on the host through its own connection (self._connection: winrm,
psrp or ssh with the PowerShell shell, configured from the inventory - no credentials repeated).
scope=gpo talks LDAP and SMB to a domain controller from the controller and does not use that connection;
its LDAP options default to the host's variables (ControllerModuleAction).
"""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.sysvol import Sysvol
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.connection import create_ldap_connection
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.options import ldap_options
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.gpo_scope import run_gpo
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.local import run_local
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.options import user_right_argument_spec
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.rights import canonical_right, describe_right
from ansible_collections.mdi.action_accounts.plugins.plugin_utils._controller_action import LDAP_HOST_DEFAULTS, ControllerModuleAction
from ansible_collections.mdi.action_accounts.plugins.plugin_utils._powershell_host import PowerShellHost

_VERBS = {"add": "grant", "remove": "revoke", "set": "set"}


class ActionModule(PowerShellHost, ControllerModuleAction):
    argument_spec = user_right_argument_spec()
    host_defaults = LDAP_HOST_DEFAULTS

    def run(self, tmp=None, task_vars=None):
        self._host_name = (task_vars or {}).get("inventory_hostname", "the host")  # for messages
        return super().run(tmp, task_vars)

    def _local(self, module, right: str):
        self._require_powershell(module, "scope=local changes", self._host_name, ", or use scope=gpo")
        return run_local(right, module.params, module.check_mode, module._diff, self._execute)  # pylint: disable=protected-access

    @staticmethod
    def _gpo(module, right: str):
        params = module.params
        auth = "kerberos" if params["auth"] == "kerberos" else "negotiate"  # SMB: NTLM (or Kerberos) with the LDAP account
        with create_ldap_connection(**ldap_options(params)) as client:
            with Sysvol(params["smb_server"] or params["server"], params["username"], params["password"], auth, params["timeout"]) as sysvol:
                return run_gpo(right, params, module.check_mode, module._diff, client, sysvol)  # pylint: disable=protected-access

    def run_backend(self, module) -> None:
        params = module.params
        what = repr(params["name"])
        where = "in the GPO" if params["scope"] == "gpo" else f"on {self._host_name}"
        try:
            right = canonical_right(params["name"])
            what = describe_right(right)
            result, warnings = self._gpo(module, right) if params["scope"] == "gpo" else self._local(module, right)
        except MdiError as exc:
            module.fail_json(msg=f"Failed to {_VERBS[params['action']]} {what} {where}: {exc}", **exc.details)
        for warning in warnings:
            module.warn(warning)
        module.exit_json(**result)
