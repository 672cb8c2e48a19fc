# -*- coding: utf-8 -*-
"""One emulated Windows domain controller: persistent state, command log, fault switches, open shells.

Files in the host's state directory (the lab contract, tests/lab/README.md):
- state.json: computer name, domain, `rights` (LSA: right -> [SID]) and `gpo_rights` (right -> {gpo_name,
  gpo_guid, members}); read before and written after every command, so tests may edit it in between;
- commands.jsonl: one JSON line per command the host ran;
- faults.json: {"refuse", "http_500", "delay_seconds", "auth_fail"}, re-read on every request.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import threading
from pathlib import Path

from .principals import Directory

DDCP = {"gpo_name": "Default Domain Controllers Policy", "gpo_guid": "{6AC1786C-016F-11D2-945F-00C04FB984F9}"}
_WDI = "S-1-5-80-3139157870-2983391045-3678747466-658725712-1809340420"  # NT SERVICE\WdiServiceHost

# [Privilege Rights] of a fresh domain's Default Domain Controllers Policy (GptTmpl.inf). It does not define
# SeServiceLogonRight: tests that need "defined by GPO" for it add that to gpo_rights themselves.
DDCP_RIGHTS = {
    "SeAssignPrimaryTokenPrivilege": ["S-1-5-20", "S-1-5-19"],
    "SeAuditPrivilege": ["S-1-5-20", "S-1-5-19"],
    "SeBackupPrivilege": ["S-1-5-32-549", "S-1-5-32-551", "S-1-5-32-544"],
    "SeBatchLogonRight": ["S-1-5-32-559", "S-1-5-32-551", "S-1-5-32-544"],
    "SeChangeNotifyPrivilege": ["S-1-5-32-554", "S-1-5-11", "S-1-5-32-544", "S-1-5-20", "S-1-5-19", "S-1-1-0"],
    "SeCreatePagefilePrivilege": ["S-1-5-32-544"],
    "SeDebugPrivilege": ["S-1-5-32-544"],
    "SeEnableDelegationPrivilege": ["S-1-5-32-544"],
    "SeIncreaseBasePriorityPrivilege": ["S-1-5-90-0", "S-1-5-32-544"],
    "SeIncreaseQuotaPrivilege": ["S-1-5-32-544", "S-1-5-20", "S-1-5-19"],
    "SeInteractiveLogonRight": ["S-1-5-9", "S-1-5-32-550", "S-1-5-32-549", "S-1-5-32-548", "S-1-5-32-551", "S-1-5-32-544"],
    "SeLoadDriverPrivilege": ["S-1-5-32-550", "S-1-5-32-544"],
    "SeMachineAccountPrivilege": ["S-1-5-11"],
    "SeNetworkLogonRight": ["S-1-5-32-554", "S-1-5-9", "S-1-5-11", "S-1-5-32-544", "S-1-1-0"],
    "SeProfileSingleProcessPrivilege": ["S-1-5-32-544"],
    "SeRemoteShutdownPrivilege": ["S-1-5-32-549", "S-1-5-32-544"],
    "SeRestorePrivilege": ["S-1-5-32-549", "S-1-5-32-551", "S-1-5-32-544"],
    "SeSecurityPrivilege": ["S-1-5-32-544"],
    "SeShutdownPrivilege": ["S-1-5-32-550", "S-1-5-32-549", "S-1-5-32-551", "S-1-5-32-544"],
    "SeSystemEnvironmentPrivilege": ["S-1-5-32-544"],
    "SeSystemProfilePrivilege": [_WDI, "S-1-5-32-544"],
    "SeSystemtimePrivilege": ["S-1-5-32-549", "S-1-5-19", "S-1-5-32-544"],
    "SeTakeOwnershipPrivilege": ["S-1-5-32-544"],
    "SeUndockPrivilege": ["S-1-5-32-544"],
}
# Local defaults no GPO defines: "Log on as a service" holds NT SERVICE\ALL SERVICES.
LOCAL_RIGHTS = {
    "SeServiceLogonRight": ["S-1-5-80-0"],
    "SeImpersonatePrivilege": ["S-1-5-32-544", "S-1-5-6", "S-1-5-19", "S-1-5-20"],
    "SeCreateGlobalPrivilege": ["S-1-5-32-544", "S-1-5-6", "S-1-5-19", "S-1-5-20"],
    "SeIncreaseWorkingSetPrivilege": ["S-1-5-32-545"],
    "SeTimeZonePrivilege": ["S-1-5-32-549", "S-1-5-19", "S-1-5-32-544"],
    "SeCreateSymbolicLinkPrivilege": ["S-1-5-32-544"],
    "SeDelegateSessionUserImpersonatePrivilege": ["S-1-5-32-544"],
    "SeManageVolumePrivilege": ["S-1-5-32-544"],
    "SeRemoteInteractiveLogonRight": ["S-1-5-32-544"],
}


def initial_state(config: dict) -> dict:
    return {
        "computer_name": config["name"].upper(), "fqdn": config["fqdn"], "domain": config["domain_dns"],
        "netbios": config["netbios"],
        "rights": {**{r: list(m) for r, m in DDCP_RIGHTS.items()}, **{r: list(m) for r, m in LOCAL_RIGHTS.items()}},
        "gpo_rights": {r: {**DDCP, "members": list(m)} for r, m in DDCP_RIGHTS.items()},
    }


class Host:
    """The emulated host. `lock` guards state and shells; every state change is written at once."""

    def __init__(self, config: dict):
        self.config = config
        self.dir = Path(config["state_dir"])
        self.dir.mkdir(parents=True, exist_ok=True)
        self.state_path, self.log_path = self.dir / "state.json", self.dir / "commands.jsonl"
        self.faults_path = self.dir / "faults.json"
        self.lock = threading.RLock()
        self.shells: dict[str, dict] = {}
        self.directory = Directory(config.get("directory"))
        if self.state_path.exists():
            self.state = json.loads(self.state_path.read_text(encoding="utf-8"))
            self.state.setdefault("domain", config["domain_dns"])  # written by an older fake
            self.state.setdefault("gpo_rights", {})
        else:
            self.state = initial_state(config)
            self.save()

    def save(self) -> None:
        with self.lock:
            tmp = self.state_path.with_name(f".state.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(self.state, indent=2, sort_keys=True), encoding="utf-8")
            tmp.replace(self.state_path)  # atomic: a reader never sees half a file

    def reload_state(self) -> None:
        with self.lock:
            try:
                self.state = json.loads(self.state_path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                self.save()  # a test deleted it: the host keeps what it had

    def faults(self) -> dict:
        try:
            faults = json.loads(self.faults_path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}
        return faults if isinstance(faults, dict) else {}

    def log(self, entry: dict) -> None:
        """One line per command: what tests assert on ("one command per host per task")."""
        now = datetime.datetime.now(datetime.timezone.utc)
        script = entry.pop("script", None)
        record = {"time": now.isoformat(timespec="milliseconds"), "host": self.config["name"], **entry}
        if script is not None:
            record["script_sha256"] = hashlib.sha256(script.encode("utf-8")).hexdigest()
            record["script"] = script
        with self.lock, open(self.log_path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record, sort_keys=True) + "\n")
