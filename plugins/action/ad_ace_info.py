# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace import info
from ansible_collections.mdi.action_accounts.plugins.plugin_utils._controller_action import backend_action

ActionModule = backend_action(info)
