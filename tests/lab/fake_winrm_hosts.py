# -*- coding: utf-8 -*-
"""Lab component: three fake WinRM domain controllers.

dc1 listens on the Samba DC's own address, inside its network namespace, so dc1 is one host for
LDAP and WinRM; dc2 and dc3 listen on loopback addresses of their own (127.10.<lab number>.2 and .3). They accept the domain
administrator's credentials (basic auth), so the inventory holds one set of credentials that the
collection also uses for LDAP.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
HTTP_PORT, HTTPS_PORT = 5985, 5986


def _addresses(samba: dict | None) -> dict:
    """dc2/dc3 addresses carry the lab's number, so several labs can run on one machine."""
    index = samba["index"] if samba else 0
    dc1 = samba["ip"] if samba else f"127.10.{index}.1"
    return {"dc1": dc1, "dc2": f"127.10.{index}.2", "dc3": f"127.10.{index}.3"}


def _wait_port(ip: str, port: int, pid: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists():
            raise RuntimeError(f"fake WinRM host {ip} exited during start-up")
        try:
            with socket.create_connection((ip, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"fake WinRM host {ip}:{port} did not answer within {timeout:.0f} s")


def start(lab: dict, lab_dir: Path, pki) -> dict:
    samba = lab.get("samba")
    domain_dns = samba["domain_dns"] if samba else "corp.example.test"
    user = samba["admin_upn"] if samba else f"Administrator@{domain_dns}"
    password = samba["admin_password"] if samba else "Lab-Passw0rd!"
    netbios = samba["netbios"] if samba else "CORP"
    directory = None if not samba else {k: samba[k] for k in ("ip", "admin_upn", "admin_password", "base_dn", "netbios")}
    if directory:
        directory["ca_cert"] = str(pki.ca_cert_path)
    hosts, pids = {}, []
    try:
        for name, ip in _addresses(samba).items():
            fqdn = f"{name}.{domain_dns}"
            cert, key = pki.issue(f"winrm-{name}", dns_names=[fqdn, name], ip_addresses=[ip])
            state_dir = lab_dir / "winrm" / name
            state_dir.mkdir(parents=True, exist_ok=True)
            (state_dir / "ready").unlink(missing_ok=True)
            config = {"name": name, "fqdn": fqdn, "ip": ip, "http_port": HTTP_PORT, "https_port": HTTPS_PORT,
                      "cert": str(cert), "key": str(key), "state_dir": str(state_dir), "netbios": netbios,
                      "user": user, "password": password, "directory": directory,
                      "accepted_users": [user.lower(), f"{netbios}\\administrator".lower(), "administrator"]}
            config_path = state_dir / "config.json"
            config_path.write_text(json.dumps(config, indent=2))
            config_path.chmod(0o600)
            netns = samba["netns"] if samba and ip == samba["ip"] else None
            prefix = ["ip", "netns", "exec", netns] if netns else []
            with open(lab_dir / "logs" / f"winrm-{name}.log", "ab") as log:
                proc = subprocess.Popen(  # pylint: disable=consider-using-with
                    prefix + [sys.executable, "-m", "fake_winrm", str(config_path)], cwd=HERE,
                    stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
            pids.append(proc.pid)
            hosts[name] = {"ip": ip, "fqdn": fqdn, "http_port": HTTP_PORT, "https_port": HTTPS_PORT, "user": user,
                           "password": password, "pid": proc.pid, "netns": netns, "state_dir": str(state_dir)}
        for host in hosts.values():
            _wait_port(host["ip"], HTTPS_PORT, host["pid"])  # dc1 too: its namespace is reachable over the veth
    except BaseException:
        stop({"hosts": hosts})
        raise
    return {"hosts": hosts}


def stop(info: dict) -> None:
    for host in info.get("hosts", {}).values():
        pid = host.get("pid")
        try:
            os.killpg(pid, signal.SIGTERM)
        except (ProcessLookupError, TypeError):
            continue
        deadline = time.monotonic() + 5
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.05)


# ---- helpers for tests -------------------------------------------------------------------

def set_faults(host: dict, **faults) -> None:
    """e.g. set_faults(host, refuse=True) / http_500=True / delay_seconds=2 / auth_fail=True; no args clears."""
    Path(host["state_dir"], "faults.json").write_text(json.dumps(faults))
    if "refuse" in faults or not faults:
        time.sleep(0.6)  # the host polls its fault switch every 0.2 s


def commands(host: dict) -> list[dict]:
    path = Path(host["state_dir"], "commands.jsonl")
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def state(host: dict) -> dict:
    return json.loads(Path(host["state_dir"], "state.json").read_text())


def write_state(host: dict, new_state: dict) -> None:
    path = Path(host["state_dir"], "state.json")
    path.write_text(json.dumps(new_state, indent=2, sort_keys=True))
