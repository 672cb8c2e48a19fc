# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the user_right integration tests: one-task playbooks and what the fake hosts recorded."""
from __future__ import annotations

import json
import textwrap

import fake_winrm_hosts as hosts_api  # tests/lab is on sys.path (tests/integration/conftest.py)

RIGHT = "SeServiceLogonRight"
LOCAL_DEFAULT = ["S-1-5-80-0"]  # what a Windows Server DC holds locally: NT SERVICE\ALL SERVICES
DDCP = "{6AC1786C-016F-11D2-945F-00C04FB984F9}"


def play(task_args: dict, hosts: str = "domain_controllers", task_extra: str = "") -> str:
    """A playbook with one task, named "ur", running user_right with these arguments (JSON is valid YAML)."""
    extra = textwrap.indent(textwrap.dedent(task_extra).strip(), "      ") + "\n" if task_extra.strip() else ""
    return (f"- hosts: {hosts}\n  gather_facts: false\n  tasks:\n    - name: ur\n"
            f"      mdi.action_accounts.user_right: {json.dumps(task_args)}\n{extra}")


def local_sids(host: dict) -> list[str]:
    return hosts_api.state(host)["rights"].get(RIGHT, [])


def user_right_commands(host: dict) -> list[dict]:
    return [c for c in hosts_api.commands(host) if c.get("operation") == "user_rights"]


def reset_hosts(hosts: dict) -> None:
    """SeServiceLogonRight as on a fresh DC (held locally by ALL SERVICES, no GPO defines it), no faults."""
    for host in hosts.values():
        hosts_api.clear_faults(host)
        state = hosts_api.state(host)
        state["rights"][RIGHT] = list(LOCAL_DEFAULT)
        state.get("gpo_rights", {}).pop(RIGHT, None)
        hosts_api.write_state(host, state)
