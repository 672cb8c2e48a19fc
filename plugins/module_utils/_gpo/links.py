# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: a container's gPLink (MS-GPOL 2.2.2), pure logic.

``[LDAP://cn={GUID},cn=policies,cn=system,<domain>;options]...``, lowest precedence first: link order 1 (the
highest precedence, as GPMC numbers links) is the LAST entry, and a new link goes FIRST - GPMC's New-GPLink and
``samba-tool gpo setlink`` both link a new GPO with the lowest precedence. Option bit 0 disables the link, bit 1
enforces it. Edits touch only the entry of the GPO asked for: every other link keeps its text, options and
place relative to the others.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.errors import GpoError

LINK_DISABLED = 1
LINK_ENFORCED = 2
_LINK = re.compile(r"\[LDAP://(?P<dn>[^;\]]+);(?P<options>\d+)\]", re.IGNORECASE)
_LINK_GUID = re.compile(r"^\s*cn=(\{[0-9A-Fa-f-]{36}\})", re.IGNORECASE)


@dataclass
class Link:
    dn: str  # as written (Windows writes it in lower case, Samba as given)
    options: int

    @property
    def guid(self) -> str | None:
        """The linked GPO's {GUID}, upper-case; None for a link that names no GPO container."""
        match = _LINK_GUID.match(self.dn)
        return match.group(1).upper() if match else None

    @property
    def enabled(self) -> bool:
        return not self.options & LINK_DISABLED

    @property
    def enforced(self) -> bool:
        return bool(self.options & LINK_ENFORCED)


def link_options(enabled: bool, enforced: bool) -> int:
    return (0 if enabled else LINK_DISABLED) | (LINK_ENFORCED if enforced else 0)


def parse_gplink(value: str | None, where: str = "gPLink", strict: bool = True) -> list[Link]:
    """The links as stored (lowest precedence first). Text between links is an error when ``strict`` (a rewrite would
    lose it), else skipped (reading which GPOs apply)."""
    value = (value or "").strip()
    links = [Link(match.group("dn"), int(match.group("options"))) for match in _LINK.finditer(value)]
    if strict and _LINK.sub("", value).strip():
        raise GpoError(f"{where} is not a run of [LDAP://<DN>;<options>] links: {value!r}; repair it with GPMC or samba-tool")
    return links


def format_gplink(links: list[Link]) -> str:
    return "".join(f"[LDAP://{link.dn};{link.options}]" for link in links)


def link_order(links: list[Link], guid: str) -> int | None:
    """The GPO's link order as GPMC shows it (1 = highest precedence = last entry), or None when it is not linked."""
    for index, link in enumerate(links):
        if link.guid == guid.upper():
            return len(links) - index
    return None


def ensure_link(links: list[Link], guid: str, gpc_dn: str, options: int, order: int | None = None) -> list[Link]:
    """The links with the GPO linked with ``options``; a new link gets the lowest precedence unless ``order`` (GPMC's
    link order, 1 = highest) says where; an existing one stays where it is unless ``order`` moves it."""
    kept = [link for link in links if link.guid != guid.upper()]
    mine = next((link for link in links if link.guid == guid.upper()), None)
    mine = Link(mine.dn if mine else gpc_dn, options)
    if order is None:
        current = link_order(links, guid)
        order = current if current is not None else len(kept) + 1
    order = max(1, min(order, len(kept) + 1))
    at = len(kept) + 1 - order  # entries after ours have a higher precedence: order - 1 of them
    return kept[:at] + [mine] + kept[at:]


def remove_link(links: list[Link], guid: str) -> list[Link]:
    return [link for link in links if link.guid != guid.upper()]
