# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the options of mdi.action_accounts.user_right.

Documented in plugins/modules/user_right.py (the LDAP ones in the ldap_connection doc fragment); keep both in
step - ansible-test's validate-modules compares them.
"""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.options import ldap_connection_argument_spec


def user_right_argument_spec() -> dict:
    spec = {
        "name": {"type": "str", "required": True},
        "users": {"type": "list", "elements": "str", "required": True},
        "action": {"type": "str", "default": "add", "choices": ["add", "remove", "set"]},
        "scope": {"type": "str", "default": "local", "choices": ["local", "gpo"]},
        "on_gpo_conflict": {"type": "str", "default": "fail", "choices": ["fail", "warn"]},
        "gpo": {"type": "str"},
        "smb_server": {"type": "str"},
    }
    spec.update(ldap_connection_argument_spec())
    return spec


def user_right_module_kwargs() -> dict:
    return {"argument_spec": user_right_argument_spec(), "supports_check_mode": True}


def user_right_info_argument_spec() -> dict:
    """mdi.action_accounts.user_right_info: the right only; it reads the targeted host through its own connection."""
    return {"name": {"type": "str", "required": True}}
