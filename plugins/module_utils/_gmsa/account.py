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
# The schema gives msDS-ManagedPasswordInterval no range. DCs turn it into a rollover period of days * 24 // 10 key
# cycles of 10 hours, in 100 ns units: 0 days gives no period, and past this many days the 64-bit period overflows
# (Samba's gkdi_rollover_interval refuses more, noting that Windows gives strange results beyond it).
_KEY_CYCLE = 10 * 3600 * 10_000_000
MAX_PASSWORD_INTERVAL = (2 ** 64 - 1) // _KEY_CYCLE * 10 // 24
MAX_HOST_NAME_LENGTH = 253  # a DNS name in text form, without the trailing dot
ENCRYPTION_TYPES = {"rc4": 0x4, "aes128": 0x8, "aes256": 0x10}
_ILLEGAL = re.compile(r'["/\\\[\]:;|=,+*?<>@]')
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def account_names(name: str) -> tuple[str, str]:
    """(cn, sAMAccountName) from the name the user gave, with or without its trailing $."""
    cn = (name or "").strip()
    cn = cn[:-1] if cn.endswith("$") else cn
    sam = cn + "$"
    if not cn.rstrip("$"):
        raise MdiError("name is empty: give the gMSA's name, e.g. mdiAction")
    if cn.endswith("$"):
        raise MdiError(f"name {name!r} ends in more than one $: a gMSA's sAMAccountName ends in exactly one, which the module adds; "
                       f"give {cn.rstrip('$')!r} or {cn.rstrip('$') + '$'!r}")
    if len(sam) > MAX_SAM_LENGTH:
        raise MdiError(f"name {name!r} is {len(sam)} characters with its trailing $ ({sam}); a gMSA's sAMAccountName "
                       f"holds at most {MAX_SAM_LENGTH}: use at most {MAX_SAM_LENGTH - 1} characters")
    bad = sorted(set(_ILLEGAL.findall(cn)))
    if bad or cn.strip(". ") == "" or cn != cn.strip():
        raise MdiError(f"name {name!r} is not a valid account name (characters {' '.join(bad) or 'leading/trailing spaces or only dots'} "
                       'are not allowed; avoid " / \\ [ ] : ; | = , + * ? < > @)')
    return cn, sam


def check_password_interval(days: int | None) -> None:
    if days is not None and not 1 <= days <= MAX_PASSWORD_INTERVAL:
        raise MdiError(f"password_interval_days {days} is out of range: give the days between password changes, from 1 to "
                       f"{MAX_PASSWORD_INTERVAL:,} (Windows' default is {DEFAULT_PASSWORD_INTERVAL}), or leave it out")


def check_dns_hostname(host: str | None) -> None:
    """A DNS host name as dNSHostName holds it: labels of letters, digits and hyphens, no trailing dot.
    Empty means the default, as the module takes it."""
    if not host:
        return
    if len(host) > MAX_HOST_NAME_LENGTH or not all(_HOST_LABEL.match(label) for label in host.split(".")):
        raise MdiError(f"dns_hostname {host!r} is not a DNS host name: give labels of letters, digits and hyphens (1 to 63 characters, "
                       f"no hyphen first or last) joined by dots, at most {MAX_HOST_NAME_LENGTH} characters in all, "
                       "e.g. mdiAction.corp.example.com, or leave it out for <name>.<domain>")


def check_options(params: dict) -> None:
    """Refuse what the account cannot hold before the directory is asked anything."""
    account_names(params["name"])
    check_password_interval(params.get("password_interval_days"))
    check_dns_hostname(params.get("dns_hostname"))


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
