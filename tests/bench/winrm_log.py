# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The WinRM commands the fake hosts ran, from their own logs (state_dir/commands.jsonl, one JSON line per command),
counted from a mark on: what "one WinRM command per host per task" is checked against."""
from __future__ import annotations

import collections
import datetime
import json
from pathlib import Path


class CommandLogs:
    """Commands each host logged since mark(); ``hosts`` maps a host name to a dict with its state_dir."""

    def __init__(self, hosts: dict):
        self.paths = {name: Path(host["state_dir"], "commands.jsonl") for name, host in hosts.items()}
        self.offsets: dict[str, int] = {}

    def mark(self) -> None:
        self.offsets = {name: path.stat().st_size if path.exists() else 0 for name, path in self.paths.items()}

    def since_mark(self) -> dict[str, list[dict]]:
        """Host -> the commands it logged since mark(), each with "when" (wall-clock seconds) added."""
        result = {}
        for name, path in self.paths.items():
            records = []
            if path.exists():
                with open(path, "rb") as log:
                    log.seek(self.offsets.get(name, 0))
                    records = [json.loads(line) for line in log.read().decode("utf-8").splitlines() if line.strip()]
            for record in records:
                record["when"] = datetime.datetime.fromisoformat(record["time"]).timestamp()
            result[name] = records
        return result


def per_host(commands: dict[str, list[dict]]) -> collections.Counter:
    """How many hosts ran how many commands: Counter({commands per host: hosts})."""
    return collections.Counter(len(records) for records in commands.values())


def describe(counts: collections.Counter, unit: str = "hosts") -> str:
    """'1 on 100 hosts', or '1 on 98 hosts, 2 on 2 hosts' (``unit`` names what was counted, e.g. "host runs")."""
    return ", ".join(f"{per} on {number} {unit}" for per, number in sorted(counts.items())) or "none"
