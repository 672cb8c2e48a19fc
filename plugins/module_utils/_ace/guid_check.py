# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: GUIDs a task wrote as such are checked before an ACE holds them.

A well-formed GUID that names nothing (a typo, another forest's extension) would be stored as it is and grant nothing,
silently. So every GUID of an ACE about to be written must name an attribute, class, property set, extended right or
validated write that fits the entry's rights. The GUIDs this collection knows (its presets') need no search; the others
take one search for all of them, on the change path only: a task that writes nothing does not look them up.
"""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace.spec import fail
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.schema import SchemaName, SchemaResolver
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.well_known_guids import WELL_KNOWN_GUID_KINDS, WELL_KNOWN_GUID_NAMES


def _words(kinds: tuple) -> str:
    return " or ".join(kind.replace("_", " ") for kind in kinds)


def refuse_unknown_guids(client, given: list, added: list) -> bool:
    """Raise AceSpecError, naming the entry's field, for the first GivenGuid of ``given`` whose ACE is in ``added``
    and whose GUID names nothing of the kinds its rights need. Returns whether it may have searched the directory."""
    pending = [item for item in given if item.ace in added]
    known = {guid: SchemaName(str(guid), name, WELL_KNOWN_GUID_KINDS[guid]) for guid, name in WELL_KNOWN_GUID_NAMES.items()}
    unknown = sorted({str(item.guid) for item in pending if item.guid not in known})
    found = SchemaResolver(client).known_guids(unknown) if unknown else {}
    for item in pending:
        entry = known.get(item.guid) or found.get(str(item.guid))
        if entry is None:
            fail(item.index, item.field, f"{item.guid} names no {_words(item.kinds)} in this forest (no schemaIDGUID in the schema, "
                                         "no rightsGuid in CN=Extended-Rights): check the GUID, or give the name instead")
        if entry.kind not in item.kinds:
            fail(item.index, item.field, f"{item.guid} is the {entry.kind.replace('_', ' ')} {entry.name}, but these rights need "
                                         f"{_words(item.kinds)}: check the GUID or the rights")
    return bool(unknown)
