# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: member lists of a user right - planning add/remove/set,
and the result the module returns for either scope (added, removed, members, diff).

A member is {"sid": "S-1-...", "name": "CORP\\\\mdiAction$" or None}; a GPO entry that names an account
which does not resolve is {"sid": None, "name": <the name as written>}. An entry of a GPO is
(text as written in GptTmpl.inf, SID or None when the text is a name that does not resolve).
"""
from __future__ import annotations

Entry = tuple[str, "str | None"]


def unique(items) -> list:
    """Items in their first order, without repeats."""
    return list(dict.fromkeys(items))


def plan_entries(entries: list[Entry], action: str, wanted: list[str]) -> list[Entry]:
    """The GPO entries after ``action`` with the SIDs ``wanted``, like the script does with LSA.

    Entries that stay are kept as written (a name stays a name); new ones are written *SID, as Windows does.
    """
    wanted = unique(wanted)
    if action == "add":
        present = {sid for _text, sid in entries}
        return list(entries) + [("*" + sid, sid) for sid in wanted if sid not in present]
    if action == "remove":
        return [entry for entry in entries if entry[1] not in wanted]
    if action == "set":
        kept, seen = [], set()
        for text, sid in entries:
            if sid in wanted and sid not in seen:
                kept.append((text, sid))
                seen.add(sid)
        return kept + [("*" + sid, sid) for sid in wanted if sid not in seen]
    raise ValueError(f"unknown action {action!r}")


def _key(member: dict) -> str:
    # A GPO entry naming an account that does not resolve has no SID: its name is its identity.
    return member["sid"] or member["name"]


def changes(before: list[dict], after: list[dict]) -> tuple[list[dict], list[dict]]:
    """(added, removed) members, by SID."""
    before_keys, after_keys = {_key(m) for m in before}, {_key(m) for m in after}
    return [m for m in after if _key(m) not in before_keys], [m for m in before if _key(m) not in after_keys]


def _lines(members: list[dict]) -> list[str]:
    return sorted(f"{m['name'] or '(unresolved)'} ({m['sid'] or 'no SID'})" for m in members)


def diff(right: str, before: list[dict], after: list[dict]) -> dict:
    """Ansible's diff: the member lists, one 'name (SID)' per line."""
    return {"before": {right: _lines(before)}, "after": {right: _lines(after)}}


def result(right: str, scope: str, before: list[dict], after: list[dict], gpo: dict | None, want_diff: bool) -> dict:
    """What the module returns."""
    added, removed = changes(before, after)
    out = {"changed": bool(added or removed), "right": right, "scope": scope, "added": added, "removed": removed,
           "members": after, "gpo": gpo}
    if want_diff:
        out["diff"] = diff(right, before, after)
    return out
