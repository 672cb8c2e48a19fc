# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: what a gMSA object must hold, pure logic.

Windows AD enforces these; Samba is laxer (it accepts other userAccountControl values, names without
the trailing $, no dNSHostName), so the module itself always sends what Windows requires.
"""
from __future__ import annotations

import re

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError

OBJECT_CLASS = "msDS-GroupManagedServiceAccount"
UF_ACCOUNTDISABLE = 0x2
UF_WORKSTATION_TRUST_ACCOUNT = 0x1000
MAX_SAM_LENGTH = 15  # including the trailing $
DEFAULT_PASSWORD_INTERVAL = 30
ENCRYPTION_TYPES = {"rc4": 0x4, "aes128": 0x8, "aes256": 0x10}
_ILLEGAL = re.compile(r'["/\\\[\]:;|=,+*?<>@]')


def account_names(name: str) -> tuple[str, str]:
    """(cn, sAMAccountName) from the name the user gave, with or without its trailing $."""
    cn = (name or "").strip().rstrip("$")
    sam = cn + "$"
    if not cn:
        raise MdiError("name is empty: give the gMSA's name, e.g. mdiAction")
    if len(sam) > MAX_SAM_LENGTH:
        raise MdiError(f"name {name!r} is {len(sam)} characters with its trailing $ ({sam}); a gMSA's sAMAccountName "
                       f"holds at most {MAX_SAM_LENGTH}: use at most {MAX_SAM_LENGTH - 1} characters")
    bad = sorted(set(_ILLEGAL.findall(cn)))
    if bad or cn.strip(". ") == "" or cn != cn.strip():
        raise MdiError(f"name {name!r} is not a valid account name (characters {' '.join(bad) or 'leading/trailing spaces or only dots'} "
                       'are not allowed; avoid " / \\ [ ] : ; | = , + * ? < > @)')
    return cn, sam


def encryption_mask(types: list[str]) -> int:
    mask = 0
    for item in types:
        mask |= ENCRYPTION_TYPES[item]
    return mask


def encryption_names(mask: int | None) -> list[str]:
    return [name for name, bit in ENCRYPTION_TYPES.items() if (mask or 0) & bit]


def user_account_control(enabled: bool, current: int | None = None) -> int:
    """WORKSTATION_TRUST_ACCOUNT, as Windows requires, plus the disabled bit; other bits already set are kept."""
    value = (current or 0) | UF_WORKSTATION_TRUST_ACCOUNT
    return value & ~UF_ACCOUNTDISABLE if enabled else value | UF_ACCOUNTDISABLE


def apply_list_change(current: list[str], change: dict | None, key=str.lower) -> list[str]:
    """microsoft.ad-style {add, remove, set} on a list; order kept, comparison through `key`."""
    if not change:
        return list(current)
    if change.get("set") is not None:
        result = list(change["set"])
    else:
        result = list(current)
    seen = {key(v) for v in result}
    for value in change.get("add") or []:
        if key(value) not in seen:
            result.append(value)
            seen.add(key(value))
    removed = {key(v) for v in change.get("remove") or []}
    return [v for v in result if key(v) not in removed]
