# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Action plugin of mdi.action_accounts.mdi_auto_auditing: Graph is called from the controller; no option comes from
the targeted host (the switch is tenant-wide)."""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import auto_auditing_task
from ansible_collections.mdi.action_accounts.plugins.plugin_utils._controller_action import backend_action

ActionModule = backend_action(auto_auditing_task, defaults=None)
