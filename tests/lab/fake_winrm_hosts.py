# -*- coding: utf-8 -*-
"""Lab component: three fake Windows domain controllers that speak WinRM (package fake_winrm/).

dc1 listens on the Samba DC's own address inside its network namespace, so dc1 is one host for LDAP
and WinRM; dc2 and dc3 listen on loopback addresses carrying the lab's number (127.10.<n>.2 and .3).
Without a Samba DC (developing this component alone), or with MDI_LAB_WINRM_DC1_LOOPBACK=1, dc1 is
127.10.<n>.1 and domain names do not resolve (UnknownPrincipal); well-known names and SIDs still do.

The hosts belong to the lab's domain (lab_domain.py). Credentials: the domain administrator's, over Basic
or NTLM (as `Administrator`, `CORP\\Administrator` or `Administrator@corp.example.test` in the default
domain), so the inventory holds one set the collection also uses for LDAP; without Samba a random
password per lab. The helpers at the end are for tests (faults, log, state, restart).
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import lab_domain
from samba_seed import lab_password

HERE = Path(__file__).resolve().parent
HTTP_PORT, HTTPS_PORT = 5985, 5986
HOSTS = ("dc1", "dc2", "dc3")
LOOPBACK_ENV = "MDI_LAB_WINRM_DC1_LOOPBACK"
_NO_SAMBA_INDEXES = range(250, 255)  # above the Samba component's 10-249, so the two never collide


def _bindable(ip: str) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((ip, HTTPS_PORT))
        except OSError:
            return False
    return True


def _placement(samba: dict | None) -> dict[str, tuple[str, str | None]]:
    """host -> (IP, network namespace or None)."""
    if samba:
        index = samba["index"]
    else:
        index = next((i for i in _NO_SAMBA_INDEXES if _bindable(f"127.10.{i}.2")), None)
        if index is None:
            raise RuntimeError("no free 127.10.250-254.x address set for fake WinRM hosts")
    places = {name: (f"127.10.{index}.{number}", None) for number, name in enumerate(HOSTS, start=1)}
    if samba and os.environ.get(LOOPBACK_ENV, "") not in ("1", "true", "yes"):
        places["dc1"] = (samba["ip"], samba["netns"])
    return places


def _config(name: str, ip: str, samba: dict | None, lab_dir: Path, pki, password: str, domain: lab_domain.LabDomain) -> dict:
    fqdn = domain.fqdn(name)
    cert, key = pki.issue(f"winrm-{name}", dns_names=[fqdn, name], ip_addresses=[ip])
    directory = None
    if samba:  # domain principals resolve live against the lab's Samba DC
        directory = {"ip": samba["ip"], "base_dn": samba["base_dn"], "netbios": samba["netbios"], "bind_user": samba["admin_upn"],
                     "bind_password": samba["admin_password"], "ca_cert": str(pki.ca_cert_path)}
    return {"name": name, "fqdn": fqdn, "ip": ip, "http_port": HTTP_PORT, "https_port": HTTPS_PORT, "cert": str(cert),
            "key": str(key), "state_dir": str(lab_dir / "winrm" / name), "netbios": domain.netbios, "domain_dns": domain.dns,
            "password": password, "directory": directory,
            "accepted_users": ["administrator", f"{domain.netbios}\\administrator".lower(), domain.upn("administrator")]}


def _launch(config_path: Path, netns: str | None, log_path: Path) -> int:
    prefix = ["ip", "netns", "exec", netns] if netns else []  # `ip netns exec` execs: the PID stays the server's
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(  # pylint: disable=consider-using-with  # runs until stop()
            prefix + [sys.executable, "-m", "fake_winrm", str(config_path)], cwd=HERE,
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    return proc.pid


def _alive(pid: int) -> bool:
    """True while the process runs (a zombie counts as gone)."""
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except FileNotFoundError:
        return False


def _answers(host: dict, ca_cert: str | None, timeout: float = 1.0) -> bool:
    """True when the host's HTTPS endpoint answers an anonymous POST with 401, its certificate validated."""
    context = ssl.create_default_context(cafile=ca_cert) if ca_cert else ssl._create_unverified_context()  # nosec - probe
    conn = http.client.HTTPSConnection(host["ip"], host["https_port"], context=context, timeout=timeout)
    try:
        conn.request("POST", "/wsman", body=b"", headers={"Content-Type": "application/soap+xml;charset=UTF-8"})
        return conn.getresponse().status == 401
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


def _wait_answers(host: dict, ca_cert: str | None, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(host["pid"]):
            raise RuntimeError(f"fake WinRM host {host['fqdn']} ({host['ip']}) exited; see its log in logs/")
        if _answers(host, ca_cert):
            return
        time.sleep(0.1)
    raise RuntimeError(f"fake WinRM host {host['fqdn']} did not answer on {host['ip']}:{host['https_port']} within {timeout:.0f} s")


def start(lab: dict, lab_dir: Path, pki) -> dict:
    """Start dc1..dc3; returns {"hosts": {name: {ip, http_port, https_port, fqdn, user, password, pid, netns, state_dir}}}."""
    lab_dir = Path(lab_dir)
    samba, domain = lab.get("samba"), lab_domain.of(lab)
    user = samba["admin_upn"] if samba else domain.upn("Administrator")
    password = samba["admin_password"] if samba else lab_password()
    (lab_dir / "logs").mkdir(parents=True, exist_ok=True)
    hosts: dict[str, dict] = {}
    try:
        for name, (ip, netns) in _placement(samba).items():
            config = _config(name, ip, samba, lab_dir, pki, password, domain)
            state_dir = Path(config["state_dir"])
            state_dir.mkdir(parents=True, exist_ok=True)
            # A new lab starts without faults, and with the hosts as new as its DC (a fresh copy each time): rights an
            # earlier lab granted would name SIDs that the new DC hands out again.
            for stale in ("faults.json", "state.json"):
                (state_dir / stale).unlink(missing_ok=True)
            config_path = state_dir / "config.json"
            config_path.write_text(json.dumps(config, indent=2), encoding="utf-8")
            config_path.chmod(0o600)  # it holds the password
            pid = _launch(config_path, netns, lab_dir / "logs" / f"winrm-{name}.log")
            hosts[name] = {"ip": ip, "fqdn": config["fqdn"], "http_port": HTTP_PORT, "https_port": HTTPS_PORT, "user": user,
                           "password": password, "pid": pid, "netns": netns, "state_dir": str(state_dir)}
        for host in hosts.values():
            _wait_answers(host, str(pki.ca_cert_path))  # dc1 too: its namespace is reachable over the veth pair
    except BaseException:
        stop({"hosts": hosts})
        raise
    return {"hosts": hosts}


def _is_ours(host: dict) -> bool:
    """The PID still runs this host's server (not a recycled PID)."""
    try:
        cmdline = Path(f"/proc/{host['pid']}/cmdline").read_bytes().split(b"\0")
    except (FileNotFoundError, TypeError):
        return False
    return b"fake_winrm" in cmdline and str(Path(host["state_dir"]) / "config.json").encode() in cmdline


def stop(info: dict) -> None:
    """Stop exactly the processes start() recorded."""
    for host in (info or {}).get("hosts", {}).values():
        pid = host.get("pid")
        if not pid or not _alive(pid) or not _is_ours(host):
            continue
        os.killpg(pid, signal.SIGTERM)  # its own process group (start_new_session)
        deadline = time.monotonic() + 5
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _alive(pid):
            os.killpg(pid, signal.SIGKILL)


# ---- helpers for tests ---------------------------------------------------------------------------

def _write_json(path: Path, data) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
    tmp.replace(path)  # atomic: the host never reads half a file


def _connectable(host: dict) -> bool:
    try:
        with socket.create_connection((host["ip"], host["https_port"]), timeout=0.5):
            return True
    except OSError:
        return False


def set_faults(host: dict, **faults) -> None:
    """Switch faults on: refuse=True, http_500=True, delay_seconds=2, auth_fail=True; no arguments clears them.

    Returns once `refuse` took effect either way (the host polls its switch every 0.1 s).
    """
    _write_json(Path(host["state_dir"], "faults.json"), faults)
    refuse = bool(faults.get("refuse"))
    deadline = time.monotonic() + 5
    while _connectable(host) == refuse:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{host['fqdn']}: the refuse switch did not take effect within 5 s")
        time.sleep(0.05)


def clear_faults(host: dict) -> None:
    set_faults(host)


def commands(host: dict) -> list[dict]:
    """The host's command log: one dict per command (time, user, command, kind, operation, exit_code, script, request...)."""
    path = Path(host["state_dir"], "commands.jsonl")
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def state(host: dict) -> dict:
    return json.loads(Path(host["state_dir"], "state.json").read_text(encoding="utf-8"))


def write_state(host: dict, new_state: dict) -> None:
    """Replace the host's state.json (it is re-read before every command)."""
    _write_json(Path(host["state_dir"], "state.json"), new_state)


def restart(host: dict, ca_cert: str | None = None, timeout: float = 20.0) -> None:
    """Restart the host in place (SIGHUP: same PID, state re-read from disk, open shells gone)."""
    if not _is_ours(host):
        raise RuntimeError(f"{host['fqdn']}: PID {host['pid']} is not its fake WinRM server")
    ready = Path(host["state_dir"], "ready")
    ready.unlink(missing_ok=True)
    os.kill(host["pid"], signal.SIGHUP)
    deadline = time.monotonic() + timeout
    while not ready.exists():
        if time.monotonic() > deadline or not _alive(host["pid"]):
            raise RuntimeError(f"{host['fqdn']} did not come back after a restart")
        time.sleep(0.05)
    _wait_answers(host, ca_cert, timeout=max(deadline - time.monotonic(), 1.0))
