# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: scope=local - one script run on the host changes its LSA
policy, and the answer says whether a GPO defines the right (and so will undo the change). With on_gpo_conflict=fail
the script checks that before changing anything and refuses, so a failed task leaves the host as it was."""
from __future__ import annotations

from collections.abc import Callable

from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights import members
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.contract import SCRIPT, gpo_applied, gpo_conflict, parse_reply, request_line
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.errors import UserRightError
from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.rights import describe_right
from ansible_collections.mdi.action_accounts.plugins.module_utils._winrm.scripts import ScriptCall, build_call, load_script

# Runs one ScriptCall on the host and returns (exit code, stdout, stderr).
Execute = Callable[[ScriptCall], tuple[int, str, str]]


class GpoConflictError(UserRightError):
    """A GPO defines the right with other members than the task's result, and on_gpo_conflict=fail: nothing was changed."""


def _names(members_: list[dict]) -> str:
    return ", ".join(m["name"] or m["sid"] for m in members_) or "nobody"


def _gpo_rule(right: str, gpo: dict) -> str:
    guid = f" {gpo['guid']}" if gpo.get("guid") else ""
    return f"Group Policy object '{gpo['name']}'{guid} defines {describe_right(right)} on this host as: {_names(gpo['members'])}"


def refusal_message(right: str, params: dict, reply: dict) -> str:
    """Why the host changed nothing: the GPO's list replaces the local one at the next policy refresh (every 5 minutes
    on a DC), so the task's result would not last."""
    task = f"{params['action']} {', '.join(params['users']) or 'nobody'}"
    return (f"{_gpo_rule(right, reply['gpo'])}, and Windows replaces the local list with the GPO's list at the next policy refresh, "
            f"so this task's result ({task}) would not last. Nothing was changed; the local list is still: {_names(reply['before'])}. "
            "Change the GPO instead with scope=gpo (with run_once=true), or set on_gpo_conflict=warn to change the local list anyway.")


def conflict_warning(right: str, reply: dict, check_mode: bool) -> str:
    """on_gpo_conflict=warn: the local list stands only until the next policy refresh - whether or not this task changed it."""
    done = "would be" if check_mode else ("is now" if reply["changed"] else "is")
    return (f"{_gpo_rule(right, reply['gpo'])}. The local list {done}: {_names(reply['after'])}; Windows replaces it with the GPO's "
            "list at the next policy refresh. Change the GPO with scope=gpo (with run_once=true) for a change that lasts.")


def run_local(right: str, params: dict, check_mode: bool, want_diff: bool, execute: Execute) -> tuple[dict, list[str]]:
    """Apply params (action, users, on_gpo_conflict) to ``right`` on the host: ONE call of ``execute``.

    Returns (result, warnings). With on_gpo_conflict=fail the host checks for a GPO conflict before it changes anything
    and refuses; then this raises GpoConflictError with the unchanged state.
    """
    refuse = params["on_gpo_conflict"] == "fail"
    call = build_call(load_script(SCRIPT), request_line(right, params["action"], params["users"], check_mode, refuse))
    reply = parse_reply(*execute(call), right=right, refuse_gpo_conflict=refuse)
    result = members.result(right, "local", reply["before"], reply["after"], reply["gpo"], want_diff)
    if reply["refused"]:
        raise GpoConflictError(refusal_message(right, params, reply), **result)
    # Only on_gpo_conflict=warn gets here with a conflict: parse_reply refuses an unrefused conflict that was to be refused.
    return result, [conflict_warning(right, reply, check_mode)] if gpo_conflict(reply["after"], reply["gpo"]) else []


def query_local(right: str, execute: Execute) -> dict:
    """Who holds ``right`` on the host, and where that comes from: ONE call of ``execute`` with action=query, which
    changes nothing on either side of the contract. When a GPO defines the right, its list is the effective one."""
    call = build_call(load_script(SCRIPT), request_line(right, "query", [], True, False))
    reply = parse_reply(*execute(call), right=right, refuse_gpo_conflict=False)
    gpo = reply["gpo"]
    return {"changed": False, "right": right, "local_members": reply["before"], "gpo": gpo,
            "source": "gpo" if gpo else "local", "members": gpo_applied(gpo) if gpo else reply["before"]}
