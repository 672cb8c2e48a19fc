# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Action plugin of mdi.action_accounts.mdi_health_info: Graph is read from the controller."""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.options import health_info_argument_spec
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.tasks import run_health_info
from ansible_collections.mdi.action_accounts.plugins.plugin_utils._controller_action import ControllerModuleAction


class ActionModule(ControllerModuleAction):
    argument_spec = health_info_argument_spec()

    def run_backend(self, module):
        run_health_info(module)
