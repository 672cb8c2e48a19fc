# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: scope=local - one script run on the host changes its LSA
policy, and the answer says whether a GPO defines the right (and so will undo the change)."""
from __future__ import annotations

from collections.abc import Callable

from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights import members
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.contract import SCRIPT, parse_reply, request_line
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.errors import UserRightError
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.rights import describe_right
from ansible_collections.mdi.action_accounts.plugins.module_utils._winrm.scripts import ScriptCall, build_call, load_script

# Runs one ScriptCall on the host and returns (exit code, stdout, stderr).
Execute = Callable[[ScriptCall], tuple[int, str, str]]


class GpoConflictError(UserRightError):
    """A GPO defines the right with other members than the local result: Group Policy will undo it."""


def _names(members_: list[dict]) -> str:
    return ", ".join(m["name"] or m["sid"] for m in members_) or "nobody"


def gpo_conflict(right: str, after: list[dict], gpo: dict | None, changed: bool, check_mode: bool) -> str | None:
    """The message when the GPO that wins for this right would replace the local list, else None.

    The GPO's list is what LSA holds after the next policy refresh (every 5 minutes on a DC), so a local list
    that differs from it does not last - whether or not this task changed it.
    """
    if gpo is None:
        return None
    enforced = {m["sid"] for m in gpo["members"] if m["sid"]}
    if {m["sid"] for m in after} == enforced:
        return None
    done = "would be" if check_mode else ("is now" if changed else "is")
    guid = f" {gpo['guid']}" if gpo.get("guid") else ""
    return (f"Group Policy object '{gpo['name']}'{guid} defines {describe_right(right)} on this host as: {_names(gpo['members'])}. "
            f"The local list {done}: {_names(after)}; Windows replaces it with the GPO's list at the next policy refresh. "
            "Change the GPO instead with scope=gpo (with run_once=true), or set on_gpo_conflict=warn to change the local list anyway.")


def run_local(right: str, params: dict, check_mode: bool, want_diff: bool, execute: Execute) -> tuple[dict, list[str]]:
    """Apply params (action, users, on_gpo_conflict) to ``right`` on the host: ONE call of ``execute``.

    Returns (result, warnings); raises GpoConflictError (with the result) when on_gpo_conflict=fail.
    """
    call = build_call(load_script(SCRIPT), request_line(right, params["action"], params["users"], check_mode))
    reply = parse_reply(*execute(call), right=right)
    result = members.result(right, "local", reply["before"], reply["after"], reply["gpo"], want_diff)
    conflict = gpo_conflict(right, reply["after"], reply["gpo"], reply["changed"], check_mode)
    if conflict and params["on_gpo_conflict"] == "fail":
        raise GpoConflictError(conflict, **result)
    return result, [conflict] if conflict else []
