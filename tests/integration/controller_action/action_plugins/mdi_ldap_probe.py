# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test-only action plugin: the collection's controller action base with the LDAP options, reporting what its
backend was given (the password as a SHA-256, since no_log masks the value itself). Used by test_controller_action.py."""
from __future__ import annotations

import hashlib

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.options import ldap_connection_argument_spec
from ansible_collections.mdi.action_accounts.plugins.plugin_utils._controller_action import LDAP_HOST_DEFAULTS, ControllerModuleAction


class ActionModule(ControllerModuleAction):
    argument_spec = ldap_connection_argument_spec()
    host_defaults = LDAP_HOST_DEFAULTS

    def run_backend(self, module):
        params = dict(module.params)
        password = params.pop("password")
        module.exit_json(options=params, password_sha256=hashlib.sha256(password.encode()).hexdigest() if password else None,
                         check_mode=module.check_mode, diff=module._diff)  # pylint: disable=protected-access
