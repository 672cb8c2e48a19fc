# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the gpo module's ``permissions`` over LDAP.

Principals are resolved to SIDs, permissions.py plans the container's DACL, and the DACL alone is written (SD flags
DACL only: owner, group and SACL are neither needed nor rewritten). The SYSVOL folder's ACL is derived from the DACL
afterwards (folder.py), so the two stay consistent.
"""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace.directory import write_dacl
from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.errors import GpoError
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.permissions import describe, planned_dacl
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.principals import resolve_principal
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import well_known_sid_name


def wanted_levels(client, permissions: list[dict]) -> dict[str, str]:
    """SID -> level of the task's ``permissions``, each principal resolved in the DC's domain."""
    wanted: dict[str, str] = {}
    for index, item in enumerate(permissions):
        try:
            sid = resolve_principal(client, item["principal"]).sid
        except MdiError as exc:
            raise GpoError(f"permissions[{index}].principal: {exc}") from exc
        if sid in wanted:
            raise GpoError(f"permissions[{index}].principal {item['principal']!r} is {sid}, which an earlier entry names too: "
                           "give each principal once")
        wanted[sid] = item["level"]
    return wanted


def name_of(client, sid: str) -> str:
    """CORP\\name for the domain's principals (no search for those the task named), the Windows name of a well-known SID."""
    if not sid.upper().startswith("S-1-5-21-"):
        return well_known_sid_name(sid) or sid
    try:
        return resolve_principal(client, sid).name
    except MdiError:  # a deleted account's SID left in the DACL
        return well_known_sid_name(sid) or sid


class Filtering:
    """The ``permissions`` of one run: resolved before anything is written, planned from the container's descriptor,
    written, and shown; ``permissions`` None leaves the DACL alone."""

    def __init__(self, client, permissions: list[dict] | None, exact: bool):
        self.client, self.exact = client, exact
        self.wanted = wanted_levels(client, permissions) if permissions is not None else None
        self.descriptor: SecurityDescriptor | None = None
        self.before = self.after = None

    def plan(self, descriptor: SecurityDescriptor) -> SecurityDescriptor:
        """The container's descriptor as it will be (the one read, or a copy with the planned DACL)."""
        self.descriptor = descriptor
        if self.wanted is None:
            return descriptor
        if descriptor.dacl is None:
            raise GpoError("the GPO container has no DACL (a NULL DACL grants everyone full control): give it one with GPMC or "
                           "samba-tool, then set permissions")
        self.before, self.after = descriptor.dacl, planned_dacl(descriptor.dacl, self.wanted, self.exact)
        return SecurityDescriptor(owner=descriptor.owner, group=descriptor.group, dacl=self.after, control=descriptor.control)

    @property
    def changed(self) -> bool:
        return self.after is not None and self.after is not self.before

    def write(self, dn: str) -> None:
        """Only the DACL goes to the DC (write_dacl sends the SD flags control for it)."""
        write_dacl(self.client, dn, self.descriptor, self.after)

    def shown(self, side: str) -> list[dict] | None:
        """The security filtering before or after the task; None when not managed or not known (check mode, new GPO)."""
        dacl = getattr(self, side)
        return None if dacl is None else describe(dacl, lambda sid: name_of(self.client, sid))
