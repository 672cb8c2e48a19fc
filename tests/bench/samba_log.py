# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""LDAP operations and SMB requests as the lab's Samba DC itself logs them, for benchmarks.

While active, Samba logs every LDAP request (debug class ldapsrv at level 10: one line per search with the client's
address, one per add, modify, delete, extended operation), every bind with the client's address (auth_audit at 3),
and every SMB2 request of the file server (smb2 at 10: `opcode[SMB2_OP_CREATE]` is one open). The running samba
process gets the levels at once (`smbcontrol PID debug`); smbd starts a process per SMB connection that reads
smb.conf, so the levels go there too. Both are put back on exit. Nothing else of the DC changes.
"""
from __future__ import annotations

import dataclasses
import datetime
import re
import subprocess
from pathlib import Path

LEVELS = "0 ldapsrv:10 auth_audit:3 smb2:10"
# "[2026/12/03 07:38:40.860875, 10, pid=1, effective(0, 0), real(0, 0), class=ldapsrv] file.c:170(function)": the
# part after the level only at the higher levels
_HEADER = re.compile(r"^\[(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d+),\s*\d+(?:,[^\]]*?class=(\w+))?[^\]]*\] \S+\((\w+)\)$")
_CLIENT = re.compile(r"(?:from |remote host \[)ipv[46]:([^\s\]]+)")
_WRITES = {"ldapsrv_AddRequest": "add", "ldapsrv_ModifyRequest": "modify", "ldapsrv_DelRequest": "delete",
           "ldapsrv_ModifyDNRequest": "modify_dn", "ldapsrv_CompareRequest": "compare"}


@dataclasses.dataclass
class Operation:
    when: float  # wall-clock seconds
    protocol: str  # "ldap" or "smb"
    kind: str  # bind, search, add, modify, delete, modify_dn, compare, extended; create, write, read, ... for SMB
    client: str | None  # "ip:port" where Samba logs it (binds and searches), else None


def _operation(when: float, function: str, message: str) -> Operation | None:
    """The operation one log entry stands for, or None (Samba logs several entries per request: one is counted)."""
    client = _CLIENT.search(message)
    client = client.group(1) if client else None
    if message.startswith("Auth: [LDAP,"):  # auth_audit
        return Operation(when, "ldap", "bind", client)
    if function == "ldapsrv_SearchRequest" and "LDAP Query: Duration" in message:
        return Operation(when, "ldap", "search", client)
    if function in _WRITES and ": dn: [" in message:
        return Operation(when, "ldap", _WRITES[function], client)
    if function == "ldapsrv_ExtendedRequest":
        return Operation(when, "ldap", "extended", client)
    opcode = re.search(r"opcode\[SMB2_OP_(\w+)\]", message) if function == "smbd_smb2_request_dispatch" else None
    return Operation(when, "smb", opcode.group(1).lower(), client) if opcode else None


def parse(text: str) -> list[Operation]:
    operations, entry = [], None
    for line in text.splitlines() + [""]:
        header = _HEADER.match(line)
        if header or not line.startswith("  "):
            if entry:
                found = _operation(entry[0], entry[2], " ".join(entry[3]))
                operations += [found] if found else []
            entry = None
        if header:
            when = datetime.datetime.strptime(header.group(1), "%Y/%m/%d %H:%M:%S.%f").timestamp()  # local time, as Samba logs
            entry = (when, header.group(2), header.group(3), [])
        elif entry and line.startswith("  "):
            entry[3].append(line.strip())
    return operations


def _smbcontrol(conf: Path, pid: int, *args: str) -> str:
    return subprocess.run(["smbcontrol", "-s", str(conf), str(pid), *args], capture_output=True, text=True, check=True,
                          timeout=30).stdout


class SambaLog:
    """``with SambaLog(lab["samba"]) as log: log.mark(); ...; log.since_mark()`` -> [Operation]."""

    def __init__(self, samba: dict):
        self.pid, self.conf = samba["pid"], Path(samba["dir"], "etc", "smb.conf")
        self.path = Path(samba["log_dir"], "samba.log")
        self.offset, self._levels, self._conf_text = 0, "", ""

    def __enter__(self) -> SambaLog:
        self._levels = _smbcontrol(self.conf, self.pid, "debuglevel").split(":", 1)[1].strip()  # "PID 1: all:0 tdb:0 ..."
        self._conf_text = self.conf.read_text(encoding="utf-8")
        kept = [line for line in self._conf_text.splitlines() if not re.match(r"\s*log level\s*=", line, re.IGNORECASE)]
        at = kept.index("[global]") + 1
        self.conf.write_text("\n".join(kept[:at] + [f"\tlog level = {LEVELS}"] + kept[at:]) + "\n", encoding="utf-8")
        _smbcontrol(self.conf, self.pid, "debug", LEVELS)
        return self

    def __exit__(self, *exc) -> None:
        self.conf.write_text(self._conf_text, encoding="utf-8")
        _smbcontrol(self.conf, self.pid, "debug", self._levels)

    def mark(self) -> None:
        self.offset = self.path.stat().st_size if self.path.exists() else 0

    def since_mark(self) -> list[Operation]:
        with open(self.path, "rb") as log:
            log.seek(self.offset)
            return parse(log.read().decode("utf-8", errors="replace"))


def client_addresses(pids: set[int], port: int) -> set[str]:
    """Local "ip:port" of the TCP connections these processes hold to ``port`` (here: the lab's own helpers' LDAPS
    connections, e.g. a fake host resolving names as a DC's LSA does), from `ss -tnp`."""
    out = subprocess.run(["ss", "-tnpH", "state", "established", f"( dport = :{port} )"], capture_output=True, text=True, check=True,
                         timeout=30).stdout
    found = set()
    for line in out.splitlines():
        fields = line.split()
        owners = {int(pid) for pid in re.findall(r"pid=(\d+)", line)}
        if owners & pids and len(fields) >= 3:
            found.add(fields[2])
    return found
