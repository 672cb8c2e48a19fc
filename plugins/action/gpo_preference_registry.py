# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Action plugin of mdi.action_accounts.gpo_preference_registry: the work happens on the controller, over LDAP and SMB to one domain
controller; LDAP options the task leaves unset come from the targeted host."""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_edit import preference_registry
from ansible_collections.mdi.action_accounts.plugins.plugin_utils._controller_action import backend_action

ActionModule = backend_action(preference_registry)
