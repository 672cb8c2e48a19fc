# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What differs between two whole security descriptors of one object (read with SD flags 0xF), in words: the control
bits by name, owner, group, and each ACL's ACEs lost, gained or reordered. For the benchmarks that must leave the lab's
descriptors as they found them (bench_peers.py), so that a difference says which part to look at."""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd import descriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.errors import SecurityDescriptorError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import ace_to_sddl

CONTROL_BITS = {value: name for name, value in vars(descriptor).items() if name.startswith("SE_")}


def _control(old: int, new: int) -> list:
    changed = old ^ new
    named = [f"{name} {'cleared' if old & bit else 'set'}" for bit, name in sorted(CONTROL_BITS.items()) if changed & bit]
    return [f"control 0x{old:04x} -> 0x{new:04x} ({', '.join(named)})"] if changed else []


def _sddl(acl, raw: bytes, domain_sid: str | None) -> str:
    try:
        return ace_to_sddl(acl[acl.raw_entries.index(raw)], domain_sid)
    except SecurityDescriptorError:  # an ACE type SDDL cannot write: its bytes
        return raw.hex()


def _acl(name: str, old, new, domain_sid: str | None) -> list:
    if old is None or new is None:
        return [] if old is new else [f"{name} {'gone' if new is None else 'appeared'}"]
    if old.raw_entries == new.raw_entries:
        return [f"{name} revision {old.revision} -> {new.revision}"] if old.revision != new.revision else []
    lost = [_sddl(old, raw, domain_sid) for raw in old.raw_entries if raw not in new.raw_entries]
    gained = [_sddl(new, raw, domain_sid) for raw in new.raw_entries if raw not in old.raw_entries]
    if not lost and not gained:
        return [f"{name} holds the same ACEs in another order or count"]
    return [f"{name} {what} {''.join(aces)}" for what, aces in (("lost", lost), ("gained", gained)) if aces]


def differences(before: bytes, after: bytes, domain_sid: str | None = None, dacl: bool = True) -> list:
    """Each difference between the descriptors ``before`` and ``after``; empty when they are the same bytes. Without
    ``dacl``, the DACL's ACEs are left out: what a write changed besides the ACEs it was meant to put in."""
    if before == after:
        return []
    old, new = SecurityDescriptor.parse(before), SecurityDescriptor.parse(after)
    found = _control(old.control, new.control)
    for part in ("owner", "group"):
        if getattr(old, part) != getattr(new, part):
            found.append(f"{part} {getattr(old, part)} -> {getattr(new, part)}")
    found += _acl("SACL", old.sacl, new.sacl, domain_sid) + (_acl("DACL", old.dacl, new.dacl, domain_sid) if dacl else [])
    return found if found or not dacl else [f"the same parts laid out differently ({len(before)} -> {len(after)} bytes)"]
