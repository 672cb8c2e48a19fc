# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: what an MDI action changes in AD, and how to see it there.

disable / enable flip ACCOUNTDISABLE in userAccountControl; a forced password reset sets pwdLastSet to 0 ("must
change password at next logon"), which is what the delegated rights Microsoft asks for allow.
"""
from __future__ import annotations

UF_ACCOUNTDISABLE = 0x2
ATTRIBUTES = ("userAccountControl", "pwdLastSet", "adminCount", "sAMAccountName")


def account_state(user_account_control: int | None, pwd_last_set: int | None, admin_count: int | None = None) -> dict:
    uac = user_account_control or 0
    return {"enabled": not uac & UF_ACCOUNTDISABLE, "user_account_control": uac, "pwd_last_set": pwd_last_set,
            "must_change_password": pwd_last_set == 0, "protected": admin_count == 1}


def already_done(action: str, state: dict) -> bool:
    """Nothing to do: disable on a disabled account, enable on an enabled one. A password reset always acts."""
    return {"disable": not state["enabled"], "enable": state["enabled"]}.get(action, False)


def observable(action: str, before: dict) -> bool:
    """Whether AD can show the effect: a reset of an account that must already change its password cannot."""
    return not (action == "force_password_reset" and before["must_change_password"])


def effect_visible(action: str, now: dict) -> bool:
    return {"disable": not now["enabled"], "enable": now["enabled"], "force_password_reset": now["must_change_password"]}[action]
