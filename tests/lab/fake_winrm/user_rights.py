# -*- coding: utf-8 -*-
"""The fake host's side of the user-rights contract (docs/contracts/user_rights.md).

Emulates what the collection's user_rights.ps1 does through LSA, on per-host state: local
assignments and, for resultant set of policy, rights a GPO defines. Principals resolve like on a
DC: well-known names from a table, domain names live against the lab's Samba DC over LDAPS.
Not emulated: real LSA semantics beyond membership lists, policy refresh, local (SAM) accounts
other than BUILTIN, foreign-domain principals.
"""
from __future__ import annotations

import json
import re
import ssl

import ldap3

from samba_seed import sid_string  # the lab's one SID decoder (cwd is tests/lab)

MARKER = "# mdi.action_accounts/user_rights v1"
_REQUEST = re.compile(r"^\$Request = @'\r?\n(.*?)\r?\n'@", re.MULTILINE | re.DOTALL)

RIGHTS = frozenset("""
SeAssignPrimaryTokenPrivilege SeAuditPrivilege SeBackupPrivilege SeBatchLogonRight SeChangeNotifyPrivilege
SeCreateGlobalPrivilege SeCreatePagefilePrivilege SeCreatePermanentPrivilege SeCreateSymbolicLinkPrivilege
SeCreateTokenPrivilege SeDebugPrivilege SeDelegateSessionUserImpersonatePrivilege SeDenyBatchLogonRight
SeDenyInteractiveLogonRight SeDenyNetworkLogonRight SeDenyRemoteInteractiveLogonRight SeDenyServiceLogonRight
SeEnableDelegationPrivilege SeImpersonatePrivilege SeIncreaseBasePriorityPrivilege SeIncreaseQuotaPrivilege
SeIncreaseWorkingSetPrivilege SeInteractiveLogonRight SeLoadDriverPrivilege SeLockMemoryPrivilege
SeMachineAccountPrivilege SeManageVolumePrivilege SeNetworkLogonRight SeProfileSingleProcessPrivilege
SeRelabelPrivilege SeRemoteInteractiveLogonRight SeRemoteShutdownPrivilege SeRestorePrivilege SeSecurityPrivilege
SeServiceLogonRight SeShutdownPrivilege SeSyncAgentPrivilege SeSystemEnvironmentPrivilege SeSystemProfilePrivilege
SeSystemtimePrivilege SeTakeOwnershipPrivilege SeTcbPrivilege SeTimeZonePrivilege SeTrustedCredManAccessPrivilege
SeUndockPrivilege SeUnsolicitedInputPrivilege
""".split())

WELL_KNOWN = {
    "S-1-1-0": "Everyone", "S-1-5-9": "NT AUTHORITY\\ENTERPRISE DOMAIN CONTROLLERS", "S-1-5-11": "NT AUTHORITY\\Authenticated Users",
    "S-1-5-18": "NT AUTHORITY\\SYSTEM", "S-1-5-19": "NT AUTHORITY\\LOCAL SERVICE", "S-1-5-20": "NT AUTHORITY\\NETWORK SERVICE",
    "S-1-5-32-544": "BUILTIN\\Administrators", "S-1-5-32-545": "BUILTIN\\Users", "S-1-5-32-548": "BUILTIN\\Account Operators",
    "S-1-5-32-549": "BUILTIN\\Server Operators", "S-1-5-32-550": "BUILTIN\\Print Operators", "S-1-5-32-551": "BUILTIN\\Backup Operators",
    "S-1-5-32-554": "BUILTIN\\Pre-Windows 2000 Compatible Access", "S-1-5-80-0": "NT SERVICE\\ALL SERVICES",
}
_BY_NAME = {name.lower(): sid for sid, name in WELL_KNOWN.items()}
_BY_NAME.update({name.rsplit("\\", maxsplit=1)[-1].lower(): sid for sid, name in WELL_KNOWN.items()})


class UnknownPrincipal(Exception):
    pass


class Directory:
    """Live lookups against the lab DC, as a real DC resolves domain accounts through AD."""

    def __init__(self, config: dict | None):
        self.config = config

    def _search(self, ldap_filter: str) -> tuple[str, str] | None:
        if not self.config:
            return None
        cfg = self.config
        tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=cfg["ca_cert"])
        server = ldap3.Server(cfg["ip"], port=636, use_ssl=True, tls=tls, get_info=ldap3.NONE, connect_timeout=5)
        with ldap3.Connection(server, cfg["admin_upn"], cfg["admin_password"], auto_bind=True) as conn:
            conn.search(cfg["base_dn"], ldap_filter, attributes=["objectSid", "sAMAccountName"])
            if not conn.entries:
                return None
            entry = conn.entries[0]
            return sid_string(entry.objectSid.raw_values[0]), f"{cfg['netbios']}\\{entry.sAMAccountName.value}"

    def by_sid(self, sid: str):
        return self._search(f"(objectSid={ldap3.utils.conv.escape_filter_chars(sid)})")

    def by_name(self, name: str):
        esc = ldap3.utils.conv.escape_filter_chars
        if "@" in name:
            return self._search(f"(userPrincipalName={esc(name)})")
        return self._search(f"(|(sAMAccountName={esc(name)})(sAMAccountName={esc(name)}$))")


def resolve(principal: str, directory: Directory, netbios: str) -> dict:
    text = principal.strip()
    if re.fullmatch(r"S-1-[0-9-]+", text, re.IGNORECASE):
        sid = text.upper()
        if sid in WELL_KNOWN:
            return {"sid": sid, "name": WELL_KNOWN[sid]}
        found = directory.by_sid(sid)
    elif text.lower() in _BY_NAME:
        sid = _BY_NAME[text.lower()]
        return {"sid": sid, "name": WELL_KNOWN[sid]}
    else:
        domain, _sep, name = text.rpartition("\\")
        if domain and domain.upper() not in (netbios.upper(),):
            raise UnknownPrincipal(text)
        found = directory.by_name(name)
    if not found:
        raise UnknownPrincipal(text)
    return {"sid": found[0], "name": found[1]}


def parse_request(script: str) -> dict:
    match = _REQUEST.search(script)
    if not match:
        raise ValueError("no $Request here-string in the script")
    request = json.loads(match.group(1))
    if not isinstance(request, dict):
        raise ValueError("the request is not a JSON object")
    return request


def _named(sids, directory: Directory, netbios: str) -> list[dict]:
    out = []
    for sid in sids:
        try:
            out.append(resolve(sid, directory, netbios))
        except UnknownPrincipal:
            out.append({"sid": sid, "name": None})  # an orphaned SID, as LSA can hold
    return out


def _error(msg: str, error_type: str) -> tuple[str, int]:
    return json.dumps({"failed": True, "msg": msg, "error_type": error_type}), 1


def handle(script: str, host) -> tuple[str, int]:
    """Run one request against the host's state; returns (stdout JSON line, exit code)."""
    try:
        request = parse_request(script)
    except ValueError as exc:
        return _error(f"Bad request: {exc}", "BadRequest")
    right, action = request.get("right"), request.get("action")
    principals, check_mode = request.get("principals", []), bool(request.get("check_mode", False))
    if right not in RIGHTS:
        return _error(f"No such privilege. Indicates a specified privilege does not exist: '{right}'", "UnknownRight")
    if action not in ("query", "add", "remove", "set") or not isinstance(principals, list):
        return _error(f"Bad request: action must be query, add, remove or set, not {action!r}", "BadRequest")

    netbios = host.state["netbios"]
    try:
        wanted = [resolve(p, host.directory, netbios)["sid"] for p in principals]
    except UnknownPrincipal as exc:
        return _error(f"Some or all identity references could not be translated. ({exc})", "UnknownPrincipal")

    with host.lock:
        before = list(host.state["rights"].get(right, []))
        if action == "add":
            after = before + [s for s in dict.fromkeys(wanted) if s not in before]
        elif action == "remove":
            after = [s for s in before if s not in wanted]
        elif action == "set":
            after = list(dict.fromkeys(wanted))
        else:
            after = before
        changed = set(after) != set(before)
        if changed and not check_mode:
            host.state["rights"][right] = after
            host.save()
        gpo = host.state.get("gpo_rights", {}).get(right)
    directory = host.directory
    response = {
        "changed": changed, "right": right,
        "before": _named(before, directory, netbios), "after": _named(after, directory, netbios),
        "added": _named([s for s in after if s not in before], directory, netbios),
        "removed": _named([s for s in before if s not in after], directory, netbios),
        "gpo": None if not gpo else {"name": gpo["gpo_name"], "guid": gpo["gpo_guid"],
                                     "members": _named(gpo.get("members", []), directory, netbios)},
    }
    return json.dumps(response), 0
