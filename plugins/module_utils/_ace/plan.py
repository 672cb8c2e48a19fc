# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: what a DACL becomes for one principal's desired ACEs.

Only the principal's explicit ACEs are ever added or removed; every other ACE (other principals',
inherited ones, opaque types) keeps its bytes and relative order. New ACEs go to their canonical
position. Because an Intent is declarative, the retry loop re-applies it to a DACL re-read after a
concurrent change: whatever another writer added for someone else is kept.
"""
from __future__ import annotations

import dataclasses

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.ace import decode_ace
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import INHERITED, Acl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import normalize_sid

STATES = ("present", "absent", "exact")


@dataclasses.dataclass(frozen=True)
class Intent:
    """The task's wish: ``state`` of ``aces`` for the trustee ``sid``."""

    sid: str
    aces: tuple
    state: str = "present"

    def __post_init__(self):
        if self.state not in STATES:
            raise MdiError(f"state must be one of {', '.join(STATES)}, not {self.state!r}")
        object.__setattr__(self, "sid", normalize_sid(self.sid))
        object.__setattr__(self, "aces", tuple(dict.fromkeys(self.aces)))
        strangers = [ace for ace in self.aces if ace.sid != self.sid or ace.is_inherited]
        if strangers:  # a plan never touches other trustees' or inherited ACEs
            raise MdiError(f"the desired ACEs must be explicit ACEs of {self.sid}; {len(strangers)} are not")


@dataclasses.dataclass
class Plan:
    acl: Acl  # the new DACL (an unchanged copy of the one read when nothing is to do)
    before: list  # the principal's explicit ACEs before, in DACL order
    after: list  # ... and after
    added: list
    removed: list

    @property
    def needs_write(self) -> bool:
        """True when ``acl`` differs from the DACL the plan was made on."""
        return self.acl.modified

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed) or self.needs_write


def explicit_aces_of(acl: Acl, sid: str) -> list:
    """The explicit ACEs whose trustee is ``sid``, in DACL order (only these are decoded)."""
    raw = acl.raw_entries
    return [decode_ace(raw[index]) for index in acl.indexes_for_sid(sid) if acl.category(index) != INHERITED]


def _remove_unwanted(intent: Intent, acl: Acl, before: list) -> None:
    if intent.state == "absent":
        for ace in intent.aces:
            acl.remove(ace)
    elif intent.state == "exact":
        seen: set = set()
        for ace in before:
            if ace not in intent.aces or ace in seen:
                acl.remove(ace)  # removes every copy; a wanted one comes back once, below
            seen.add(ace)


def _difference(first: list, second: list) -> list:
    return [ace for ace in dict.fromkeys(first) if ace not in second]


def apply(intent: Intent, current: Acl, before: list | None = None) -> Plan:
    """The plan for ``intent`` on ``current`` (left unchanged). ``before`` (default: the principal's ACEs in
    ``current``) is what added/removed are counted from. Raises AclLimitError before anything is written."""
    acl = Acl.parse(current.encode())
    acl.max_aces = current.max_aces
    found = explicit_aces_of(acl, intent.sid)
    _remove_unwanted(intent, acl, found)
    if intent.state != "absent":
        for ace in intent.aces:
            acl.ensure(ace)
    acl.check_limits("DACL")
    before = found if before is None else before
    after = explicit_aces_of(acl, intent.sid)
    return Plan(acl, before, after, *changes(before, after))


def changes(before: list, after: list) -> tuple[list, list]:
    """(added, removed) between two lists of one principal's ACEs; a dropped duplicate counts as removed."""
    duplicates = [ace for ace in dict.fromkeys(before) if before.count(ace) > after.count(ace) > 0]
    return _difference(after, before), _difference(before, after) + duplicates


def merge(intent: Intent, reread: Acl, first: Plan) -> Plan:
    """The retry step: ``intent`` re-applied to the DACL re-read after a concurrent change. Other writers' ACEs
    in ``reread`` are kept; added/removed are still counted from what the first read showed."""
    return apply(intent, reread, before=first.before)


def satisfied(intent: Intent, acl: Acl) -> bool:
    """True when ``acl`` (re-read after the write) holds what ``intent`` asks for."""
    if intent.state == "present":
        return all(ace in acl for ace in intent.aces)
    if intent.state == "absent":
        return not any(ace in acl for ace in intent.aces)
    return sorted(ace.encode() for ace in explicit_aces_of(acl, intent.sid)) == sorted(ace.encode() for ace in intent.aces)
