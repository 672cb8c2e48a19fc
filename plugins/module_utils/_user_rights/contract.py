# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the collection's side of the user-rights script contract.

docs/contracts/user_rights.md is the contract; plugins/module_utils/_winrm/user_rights.ps1 and the lab's
fake hosts (tests/lab/fake_winrm/user_rights.py) are the Windows side. This module writes the request
line and reads the answer strictly: a shape the contract does not allow is an error, never a guess.
"""
from __future__ import annotations

import json
import re

from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.errors import ContractError, UserRightError
from ansible_collections.mdi.action_accounts.plugins.module_utils._winrm.output import clixml_to_text, last_json_line

MARKER = "# mdi.action_accounts/user_rights v2"
SCRIPT = "user_rights.ps1"
ACTIONS = ("query", "add", "remove", "set")
ERROR_TYPES = ("UnknownRight", "UnknownPrincipal", "BadRequest")
_SID = re.compile(r"^S-1-\d+(-\d+)*$")
_MEMBER_KEYS = {"sid", "name"}
_RESPONSE_KEYS = {"changed", "right", "before", "after", "added", "removed", "gpo", "refused"}
_GPO_KEYS = {"name", "guid", "members"}
# What to change when the host refuses a request: its own message names the right or the account, not the option.
_ERROR_FIXES = {"UnknownPrincipal": ": check users (DOMAIN\\name, a UPN, a plain account name or a SID of an existing account)"}


def request_line(right: str, action: str, principals: list[str], check_mode: bool, refuse_gpo_conflict: bool) -> str:
    """The request as one JSON line, safe inside a PowerShell single-quoted here-string.

    ``refuse_gpo_conflict``: the host stores nothing and answers ``refused`` when a GPO would undo the result.
    """
    if action not in ACTIONS:
        raise ValueError(f"action must be one of {', '.join(ACTIONS)}")
    if not all(isinstance(p, str) and p.strip() for p in principals):
        raise UserRightError("users must be non-empty account names or SIDs", error_type="BadRequest")
    # ensure_ascii: every character outside ASCII becomes \uXXXX, so the line holds no line break of any
    # kind (JSON already escapes \n and \r) and cannot start a line with '@ - the here-string stays intact.
    request = {"right": right, "action": action, "principals": list(principals), "check_mode": bool(check_mode),
               "refuse_gpo_conflict": bool(refuse_gpo_conflict)}
    return json.dumps(request, ensure_ascii=True)


def gpo_applied(gpo: dict) -> list[dict]:
    """The GPO's members that Group Policy applies: entries the host cannot resolve (sid None) are skipped."""
    return [m for m in gpo["members"] if m["sid"]]


def gpo_conflict(after: list[dict], gpo: dict | None) -> bool:
    """Whether the GPO that wins for the right holds other members than ``after``: Group Policy replaces the local list with
    the GPO's at its next refresh."""
    return gpo is not None and {m["sid"] for m in after} != {m["sid"] for m in gpo_applied(gpo)}


def _fail(what: str, value) -> ContractError:
    shown = json.dumps(value)[:300] if not isinstance(value, str) else value[:300]
    return ContractError(f"the host's answer breaks the user-rights contract: {what} (got {shown})")


def _member(value, allow_no_sid: bool = False) -> dict:
    if not isinstance(value, dict) or set(value) != _MEMBER_KEYS:
        raise _fail("a member must be an object with exactly sid and name", value)
    sid, name = value["sid"], value["name"]
    if not (isinstance(sid, str) and _SID.match(sid)) and not (allow_no_sid and sid is None):
        raise _fail("a member's sid must be a SID string", value)
    if name is not None and not isinstance(name, str):
        raise _fail("a member's name must be a string or null", value)
    return {"sid": sid, "name": name}


def _members(value, what: str, allow_no_sid: bool = False) -> list[dict]:
    if not isinstance(value, list):
        raise _fail(f"{what} must be a list", value)
    return [_member(item, allow_no_sid) for item in value]


def _gpo(value) -> dict | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != _GPO_KEYS:
        raise _fail("gpo must be null or an object with exactly name, guid and members", value)
    if not isinstance(value["name"], str) or not (value["guid"] is None or isinstance(value["guid"], str)):
        raise _fail("gpo name must be a string and guid a string or null", value)
    # The real script lists an account the GPO names but the host cannot resolve with sid null.
    return {"name": value["name"], "guid": value["guid"], "members": _members(value["members"], "gpo members", allow_no_sid=True)}


def _refusal(result: dict, refuse_gpo_conflict: bool, value) -> None:
    """A refusal is asked for, leaves the list as it was and names the GPO; without one there is no conflict left."""
    if result["refused"]:
        if not refuse_gpo_conflict:
            raise _fail("refused is true although the request did not ask to refuse", value)
        if result["changed"] or result["after"] != result["before"] or result["gpo"] is None:
            raise _fail("a refused answer must leave after equal to before and name the GPO", value)
    elif refuse_gpo_conflict and gpo_conflict(result["after"], result["gpo"]):
        raise _fail("the host did not refuse a result its GPO replaces, although the request asked it to", value)


def _response(value, right: str, refuse_gpo_conflict: bool) -> dict:
    if not isinstance(value, dict) or set(value) != _RESPONSE_KEYS:
        raise _fail(f"the response must be an object with exactly {', '.join(sorted(_RESPONSE_KEYS))}", value)
    for key in ("changed", "refused"):
        if not isinstance(value[key], bool):
            raise _fail(f"{key} must be true or false", value[key])
    if value["right"] != right:
        raise _fail(f"the response is about {value['right']!r}, the request about {right!r}", value["right"])
    result = {"changed": value["changed"], "refused": value["refused"], "right": right, "gpo": _gpo(value["gpo"])}
    for key in ("before", "after", "added", "removed"):
        result[key] = _members(value[key], key)
    before, after = {m["sid"] for m in result["before"]}, {m["sid"] for m in result["after"]}
    if {m["sid"] for m in result["added"]} != after - before or {m["sid"] for m in result["removed"]} != before - after:
        raise _fail("added and removed must be the difference between before and after", value)
    if result["changed"] != (before != after):
        raise _fail("changed must say whether before and after differ", value)
    _refusal(result, refuse_gpo_conflict, value)
    return result


def _error(value) -> UserRightError | None:
    if not (isinstance(value, dict) and value.get("failed") is True and set(value) == {"failed", "msg", "error_type"}):
        return None
    if not isinstance(value["msg"], str) or not isinstance(value["error_type"], str):
        return None
    # error_type outside ERROR_TYPES: the real script's unexpected failures (e.g. Win32Exception, access denied).
    return UserRightError(value["msg"] + _ERROR_FIXES.get(value["error_type"], ""), error_type=value["error_type"])


def parse_reply(rc: int, stdout: str, stderr: str, right: str, refuse_gpo_conflict: bool) -> dict:
    """The validated response of a run with exit code ``rc`` to a request for ``right`` (with ``refuse_gpo_conflict``);
    raises UserRightError for the script's own errors and ContractError for anything the contract does not allow."""
    value = last_json_line(stdout)
    error = _error(value)
    if error is not None:
        raise error
    if rc != 0:
        why = clixml_to_text(stderr) or (stdout or "").strip() or "no output"
        raise UserRightError(f"the user-rights script failed with exit code {rc}: {why[:2000]}", error_type="ScriptFailed", rc=rc)
    if value is None:
        raise _fail("stdout must end with one JSON line", (stdout or "").strip() or "no output")
    return _response(value, right, refuse_gpo_conflict)
