# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A fleet of N extra fake Windows domain controllers for benchmarks: the lab's own fake_winrm hosts, one process each,
on loopback addresses 127.30.<block>.1..N in a directory of their own (PKI, state, logs), apart from any lab.

They run without the Samba DC: domain names do not resolve on them (UnknownPrincipal), well-known and NT SERVICE
principals do, as on a DC that cannot reach AD. The normal lab (fake_winrm_hosts.start) is not changed by this.

    fleet = start(100, directory)    # {"hosts": {"fleet001": {...}, ...}, "ca_cert": ..., "user": ..., "password": ...}
    stop(fleet)
"""
from __future__ import annotations

import json
from pathlib import Path

import fake_winrm_hosts
import inventory as lab_inventory
import lab_domain
from fake_winrm_hosts import HTTP_PORT, HTTPS_PORT, _bindable, _config, _launch, _wait_answers  # the lab's own host launcher
from pki import LabPKI
from samba_seed import lab_password

PREFIX = "127.30"  # the lab uses 127.10.<n>.x (dc2, dc3) and 127.20.<n>.1 (cloud)
MAX_HOSTS = 254


def _free_block() -> int:
    block = next((b for b in range(256) if _bindable(f"{PREFIX}.{b}.1")), None)
    if block is None:
        raise RuntimeError(f"no free {PREFIX}.x.1 address for a fleet of fake WinRM hosts")
    return block


def start(count: int, directory: Path, domain: lab_domain.LabDomain | None = None) -> dict:
    """Start ``count`` hosts named fleet001.. and wait until each answers over HTTPS; stops them all on failure."""
    if not 1 <= count <= MAX_HOSTS:
        raise ValueError(f"a fleet has 1 to {MAX_HOSTS} hosts, not {count}")
    directory = Path(directory)
    (directory / "logs").mkdir(parents=True, exist_ok=True)
    domain = domain or lab_domain.from_env()
    pki, password, block = LabPKI(directory), lab_password(), _free_block()
    fleet = {"hosts": {}, "ca_cert": str(pki.ca_cert_path), "domain": domain.dns}
    try:
        for number in range(1, count + 1):
            name, ip = f"fleet{number:03d}", f"{PREFIX}.{block}.{number}"
            config = _config(name, ip, None, directory, pki, password, domain)
            state_dir = Path(config["state_dir"])
            state_dir.mkdir(parents=True, exist_ok=True)
            config_path = state_dir / "config.json"
            config_path.write_text(json.dumps(config, indent=2), encoding="utf-8")
            config_path.chmod(0o600)  # it holds the password
            pid = _launch(config_path, None, directory / "logs" / f"winrm-{name}.log")
            fleet["hosts"][name] = {"ip": ip, "fqdn": config["fqdn"], "http_port": HTTP_PORT, "https_port": HTTPS_PORT,
                                    "user": domain.upn("Administrator"), "password": password, "pid": pid, "netns": None,
                                    "state_dir": str(state_dir)}
        for host in fleet["hosts"].values():
            _wait_answers(host, fleet["ca_cert"], timeout=60.0)  # a hundred interpreters starting on two cores
    except BaseException:
        stop(fleet)
        raise
    return fleet


def stop(fleet: dict) -> None:
    """Stop exactly the processes start() recorded."""
    fake_winrm_hosts.stop(fleet)


def inventory(fleet: dict, names: list[str], group: str = "fleet") -> dict:
    """An Ansible inventory of these hosts with the lab inventory's connection variables (WinRM over HTTPS, validated)."""
    lab = {"winrm": fleet, "ca_cert": fleet["ca_cert"], "samba": {"domain_dns": fleet["domain"]}}
    hosts = {name: {"ansible_host": fleet["hosts"][name]["ip"], "ansible_port": fleet["hosts"][name]["https_port"]} for name in names}
    return {"all": {"children": {group: {"hosts": hosts, "vars": lab_inventory.domain_vars(lab)}}}}
