# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Action plugin of mdi.action_accounts.mdi_action_account: the module's backend runs here, on the controller,
so plays targeting the domain controllers need no delegate_to (the portal setting is tenant-wide: use run_once)."""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.options import ACTION_ACCOUNT_CONSTRAINTS, action_account_argument_spec
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.tasks import run_action_account
from ansible_collections.mdi.action_accounts.plugins.plugin_utils._controller_action import ControllerModuleAction


class ActionModule(ControllerModuleAction):
    argument_spec = action_account_argument_spec()
    constraints = ACTION_ACCOUNT_CONSTRAINTS

    def run_backend(self, module):
        run_action_account(module)
