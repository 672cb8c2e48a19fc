# -*- coding: utf-8 -*-
"""The fake host's side of the user-rights contract v2 (docs/contracts/user_rights.md).

It does what plugins/module_utils/_winrm/user_rights.ps1 does through LSA and RSoP, on the host's
state.json: `rights` (the local LSA assignments) and `gpo_rights` (rights a GPO defines in the
resultant set of policy). Checks run in the script's order: request, action, right, principals; a GPO conflict
the request asks to refuse is found before anything is stored.
"""
from __future__ import annotations

import json
import re

from .principals import Resolver, UnknownPrincipal

MARKER = "# mdi.action_accounts/user_rights v"
VERSION = 2
_MARKER_LINE = re.compile(r"^# mdi\.action_accounts/user_rights v(\d+)\s*$", re.MULTILINE)
_REQUEST = re.compile(r"^\$Request = @'\r?\n(.*?)\r?\n'@\s*$", re.MULTILINE | re.DOTALL)
_FIELDS = ("right", "action", "principals", "check_mode", "refuse_gpo_conflict")
ACTIONS = ("query", "add", "remove", "set")

# Every constant LSA accepts: account (logon) rights of ntsecapi.h and the SE_*_NAME privileges of winnt.h.
RIGHTS = frozenset("""
SeBatchLogonRight SeDenyBatchLogonRight SeDenyInteractiveLogonRight SeDenyNetworkLogonRight
SeDenyRemoteInteractiveLogonRight SeDenyServiceLogonRight SeInteractiveLogonRight SeNetworkLogonRight
SeRemoteInteractiveLogonRight SeServiceLogonRight
SeAssignPrimaryTokenPrivilege SeAuditPrivilege SeBackupPrivilege SeChangeNotifyPrivilege SeCreateGlobalPrivilege
SeCreatePagefilePrivilege SeCreatePermanentPrivilege SeCreateSymbolicLinkPrivilege SeCreateTokenPrivilege
SeDebugPrivilege SeDelegateSessionUserImpersonatePrivilege SeEnableDelegationPrivilege SeImpersonatePrivilege
SeIncreaseBasePriorityPrivilege SeIncreaseQuotaPrivilege SeIncreaseWorkingSetPrivilege SeLoadDriverPrivilege
SeLockMemoryPrivilege SeMachineAccountPrivilege SeManageVolumePrivilege SeProfileSingleProcessPrivilege
SeRelabelPrivilege SeRemoteShutdownPrivilege SeRestorePrivilege SeSecurityPrivilege SeShutdownPrivilege
SeSyncAgentPrivilege SeSystemEnvironmentPrivilege SeSystemProfilePrivilege SeSystemtimePrivilege
SeTakeOwnershipPrivilege SeTcbPrivilege SeTimeZonePrivilege SeTrustedCredManAccessPrivilege SeUndockPrivilege
SeUnsolicitedInputPrivilege
""".split())
_CANONICAL = {name.lower(): name for name in RIGHTS}  # LSA matches right names without regard to case


class ContractError(Exception):
    """A failure the contract reports as {"failed": true, "msg", "error_type"} with exit code 1."""

    def __init__(self, msg: str, error_type: str):
        super().__init__(msg)
        self.msg, self.error_type = msg, error_type


def is_user_rights_script(script: str) -> bool:
    return MARKER in script


def parse_request(script: str) -> dict:
    """The request of a contract script: marker v2, exactly one `$Request = @'` here-string with one JSON line."""
    versions = _MARKER_LINE.findall(script)
    if not versions:
        raise ContractError(f"Bad request: the marker line '{MARKER}{VERSION}' is missing", "BadRequest")
    if versions != [str(VERSION)]:
        raise ContractError(f"Bad request: contract version {', '.join(versions)} is not supported (v{VERSION})", "BadRequest")
    found = _REQUEST.findall(script)
    if len(found) != 1:
        raise ContractError(f"Bad request: expected exactly one $Request here-string, found {len(found)}", "BadRequest")
    body = found[0]
    if "\n" in body.strip():
        raise ContractError("Bad request: the request must be ONE line of JSON", "BadRequest")
    try:
        request = json.loads(body)
    except ValueError as exc:
        raise ContractError(f"Bad request: {exc}", "BadRequest") from exc
    if not isinstance(request, dict):
        raise ContractError("Bad request: the request is not a JSON object", "BadRequest")
    missing = [f for f in _FIELDS if f not in request]
    if missing:  # the script runs under Set-StrictMode: a missing property is an error
        raise ContractError(f"Bad request: the property '{missing[0]}' cannot be found on this object", "BadRequest")
    if not isinstance(request["principals"], list) or not all(isinstance(p, str) for p in request["principals"]):
        raise ContractError("Bad request: principals must be strings", "BadRequest")
    if not isinstance(request["right"], str) or not all(isinstance(request[f], bool) for f in ("check_mode", "refuse_gpo_conflict")):
        raise ContractError("Bad request: right must be a string, check_mode and refuse_gpo_conflict booleans", "BadRequest")
    if request["action"] not in ACTIONS:
        raise ContractError(f"Bad request: action must be query, add, remove or set, not '{request['action']}'", "BadRequest")
    return request


def canonical_right(right: str) -> str:
    found = _CANONICAL.get(right.lower())
    if not found:
        raise ContractError(f"No such privilege. Indicates a specified privilege does not exist: '{right}'", "UnknownRight")
    return found


def compute(before: list[str], wanted: list[str], action: str) -> list[str]:
    """The members after the action; order: kept members first, new ones in request order."""
    if action == "add":
        return before + [s for s in wanted if s not in before]
    if action == "remove":
        return [s for s in before if s not in wanted]
    if action == "set":
        return list(wanted)
    return list(before)


def _members(sids: list[str], resolver: Resolver) -> list[dict]:
    return [{"sid": sid, "name": resolver.name_of(sid)} for sid in sids]


def _gpo(definition: dict | None, resolver: Resolver) -> dict | None:
    """What RSOP_UserPrivilegeRight (precedence 1) + RSOP_GPO show; an account the host cannot resolve has sid null."""
    if not definition:
        return None
    members = []
    for account in definition.get("members", []):
        try:
            sid = resolver.sid_of(account)
            members.append({"sid": sid, "name": resolver.name_of(sid)})
        except UnknownPrincipal:
            members.append({"sid": None, "name": account})
    return {"name": definition["gpo_name"], "guid": definition["gpo_guid"], "members": members}


def gpo_conflict(after: list[str], gpo: dict | None) -> bool:
    """The GPO defines the right with other SIDs than ``after``; entries it cannot resolve are not applied, so they do not count."""
    return gpo is not None and set(after) != {m["sid"] for m in gpo["members"] if m["sid"]}


def handle(script: str, host) -> tuple[dict, int]:
    """Run one contract script against the host; returns (the JSON object to print, exit code)."""
    try:
        request = parse_request(script)
        right = canonical_right(request["right"])
        resolver = Resolver(host.directory, host.state["netbios"], host.state["domain"])
        wanted = []
        for principal in request["principals"]:
            try:
                sid = resolver.sid_of(principal)
            except UnknownPrincipal as exc:
                raise ContractError(f"Some or all identity references could not be translated. ({principal})",
                                    "UnknownPrincipal") from exc
            if sid not in wanted:
                wanted.append(sid)
        with host.lock:
            host.reload_state()
            before = list(host.state["rights"].get(right, []))
            gpo = _gpo(host.state.get("gpo_rights", {}).get(right), resolver)  # read first, as the script does
            after = compute(before, wanted, request["action"])
            refused = request["refuse_gpo_conflict"] and gpo_conflict(after, gpo)
            if refused:
                after = list(before)  # answer the state as it is; nothing is stored
            added = [s for s in after if s not in before]
            removed = [s for s in before if s not in after]
            if (added or removed) and not request["check_mode"]:
                host.state["rights"][right] = after
                host.save()
    except ContractError as exc:
        return {"failed": True, "msg": exc.msg, "error_type": exc.error_type}, 1
    return {
        "changed": bool(added or removed), "right": request["right"],
        "before": _members(before, resolver), "after": _members(after, resolver),
        "added": _members(added, resolver), "removed": _members(removed, resolver),
        "gpo": gpo, "refused": refused,
    }, 0


def request_summary(script: str) -> dict | None:
    """The request for the command log (None when it does not parse)."""
    try:
        return parse_request(script)
    except ContractError:
        return None


def apply_group_policy(host) -> None:
    """A policy refresh (gpupdate): every right a GPO defines is overwritten in LSA with the GPO's members."""
    resolver = Resolver(host.directory, host.state["netbios"], host.state["domain"])
    with host.lock:
        host.reload_state()
        for right, definition in host.state.get("gpo_rights", {}).items():
            sids = []
            for account in definition.get("members", []):
                try:
                    sids.append(resolver.sid_of(account))
                except UnknownPrincipal:
                    continue  # secedit skips an account it cannot resolve, as Windows logs event 1202
            host.state["rights"][right] = list(dict.fromkeys(sids))
        host.save()
