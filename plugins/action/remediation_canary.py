# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Action plugin of mdi.action_accounts.remediation_canary: runs on the controller with the LDAP connection options of
the targeted domain controller."""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._remediation import canary
from ansible_collections.mdi.action_accounts.plugins.plugin_utils._controller_action import backend_action

ActionModule = backend_action(canary)
