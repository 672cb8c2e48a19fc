# -*- coding: utf-8 -*-
"""Lab component: the fake Microsoft cloud (package fake_cloud/) in one process on 127.20.<n>.1 (n: the
lab's number, lab["samba"]["index"], 0 without it), ports 8443 login, 8444 Graph, 8445 Defender
portal, all HTTPS with a lab-CA certificate (SAN: the IP and login.lab.test, graph.lab.test,
security.lab.test).

start() makes per-lab secrets (app secrets and certificates, portal sessions, the managed identity
header), writes them to cloud/config.json (mode 0600) for the server, starts it in its own process
group and returns when every listener answers over HTTPS. The lab's WinRM hosts are the MDI sensors
(dc1..dc3 of the lab's domain while they are absent); dc9.child.example.test is a second domain's sensor,
listed once the `second_domain` setting is on. Their versions follow lab.json's `sensor_generation`
(v2, v3, mixed, migrating: fake_cloud/generations.py), the default of the setting of that name.
Apps: sensors_reader (and the system-assigned managed identity) may read sensors, health issues, the beta
sensor migration and identityAccounts, invoke actions on them, and read and set automatic Windows auditing;
sensors_only only reads sensors (a client that cannot read the migration state, nor accounts, nor act);
auditing_reader only reads the automatic auditing switch (it cannot set it); no_permissions nothing. Every secret here is
lab-only.

The cloud starts after the Samba DC and the WinRM hosts: its config carries the DC's address, base DN and
administrator credentials (identityAccounts lists the domain's users over LDAPS at request time), the DC's
smb.conf and sam.ldb and the WinRM hosts' state directories (the acting sensor's checks and its changes,
fake_cloud/remediation.py), and runs actions with SYSTEM_PYTHON, which has Samba's bindings.

MDI_LAB_CLOUD_IP (a loopback address) overrides the address, for a developer's own instance.
"""
from __future__ import annotations

import base64
import ipaddress
import json
import os
import secrets
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import lab_domain
from fake_cloud import generations

HERE = Path(__file__).resolve().parent
PORTS = {"login": 8443, "graph": 8444, "portal": 8445}
DNS_NAMES = ["login.lab.test", "graph.lab.test", "security.lab.test"]
SECOND_DOMAIN_SENSORS = [{"fqdn": "dc9.child.example.test", "domain": "child.example.test"}]
TENANT_DOMAIN = "mdilab.onmicrosoft.com"
SENSORS_ROLE = "SecurityIdentitiesSensors.Read.All"
HEALTH_ROLE = "SecurityIdentitiesHealth.Read.All"
MIGRATION_ROLE = "SecurityIdentitiesMigration.Read.All"  # beta sensorMigration
ACCOUNTS_ROLE = "SecurityIdentitiesAccount.Read.All"  # identityAccounts
ACTIONS_ROLE = "SecurityIdentitiesActions.ReadWrite.All"  # invokeAction
AUTO_AUDITING_READ_ROLE = "SecurityIdentitiesAutoConfig.Read.All"  # settings/autoAuditingConfiguration
AUTO_AUDITING_WRITE_ROLE = "SecurityIdentitiesAutoConfig.ReadWrite.All"
READER_ROLES = [SENSORS_ROLE, HEALTH_ROLE, MIGRATION_ROLE, ACCOUNTS_ROLE, ACTIONS_ROLE, AUTO_AUDITING_WRITE_ROLE]
# The python with Samba's bindings (python3-samba) that carries actions out on the DC (fake_cloud/dc_action.py).
SYSTEM_PYTHON = "/usr/bin/python3"
PAGE_SIZE = 2  # below the lab's three DCs, so every listing pages
_START_TIMEOUT = 20


def _ip(lab: dict) -> str:
    ip = os.environ.get("MDI_LAB_CLOUD_IP") or f"127.20.{int((lab.get('samba') or {}).get('index', 0))}.1"
    if not ipaddress.ip_address(ip).is_loopback:
        raise ValueError(f"the fake cloud must listen on a loopback address, not {ip} (MDI_LAB_CLOUD_IP or the lab's number)")
    return ip


def _sensors(lab: dict) -> list[dict]:
    domain = lab_domain.of(lab)
    hosts = (lab.get("winrm") or {}).get("hosts") or {n: {"fqdn": domain.fqdn(n)} for n in ("dc1", "dc2", "dc3")}
    return [{"fqdn": h["fqdn"], "domain": h["fqdn"].partition(".")[2] or domain.dns} for _n, h in sorted(hosts.items())]


def _generation(lab: dict) -> str:
    generation = lab.get("sensor_generation", generations.DEFAULT)
    if generation not in generations.GENERATIONS:
        raise ValueError(f"sensor_generation must be one of {list(generations.GENERATIONS)}, not {generation!r}")
    return generation


def _client_secret() -> str:
    # Shaped like an Entra ID secret value (40 characters with "~"), so quoting bugs show.
    return secrets.token_urlsafe(3)[:3] + "8Q~" + secrets.token_urlsafe(32)[:34]


def _app(pki, name: str, roles: list[str]) -> dict:
    cert, key = pki.issue(f"cloud-app-{name.replace('_', '-')}", dns_names=[f"{name.replace('_', '-')}.apps.lab.test"], client=True)
    return {"client_id": str(uuid.uuid4()), "client_secret": _client_secret(), "cert": str(cert), "key": str(key),
            "thumbprint": pki.thumbprint_sha1(cert), "roles": roles}


def _session(role: str) -> dict:
    # The XSRF value carries "+", "/" and "=", so URL-decoding the cookie matters as on the real portal.
    xsrf = base64.b64encode(secrets.token_bytes(46)).decode() + "+/=="
    return {"sccauth": secrets.token_urlsafe(96), "xsrf_token": xsrf, "role": role}


def _directory(lab: dict) -> dict | None:
    """What identityAccounts reads the lab domain's users with, and the acting sensor's gMSA is found by."""
    samba = lab.get("samba")
    if not samba:
        return None
    return {"ip": samba["ip"], "base_dn": samba["base_dn"], "domain_dns": samba["domain_dns"], "netbios": samba["netbios"],
            "bind_user": samba["admin_upn"], "bind_password": samba["admin_password"], "ca_cert": lab["ca_cert"]}


def _actions(lab: dict) -> dict:
    """What the acting sensor needs on the DC: the DC's smb.conf and sam.ldb, the WinRM hosts' state (rights)."""
    samba_dir = (lab.get("samba") or {}).get("dir")
    hosts = (lab.get("winrm") or {}).get("hosts") or {}
    return {"python": SYSTEM_PYTHON, "smb_conf": samba_dir and str(Path(samba_dir, "etc", "smb.conf")),
            "sam_ldb": samba_dir and str(Path(samba_dir, "private", "sam.ldb")),
            "winrm_state_dirs": {h["fqdn"].lower(): h["state_dir"] for h in hosts.values()}}


def _config(lab: dict, lab_dir: Path, pki, ip: str) -> dict:
    cert, key = pki.issue("cloud", dns_names=DNS_NAMES, ip_addresses=[ip])
    urls = {name: f"https://{ip}:{port}" for name, port in PORTS.items()}
    return {
        "ip": ip, "ports": PORTS, "urls": urls, "cert": str(cert), "key": str(key), "state_dir": str(lab_dir / "cloud"),
        "tenant_id": str(uuid.uuid4()), "tenant_domains": [TENANT_DOMAIN], "graph_url": urls["graph"], "page_size": PAGE_SIZE,
        "sensors": _sensors(lab), "extra_sensors": SECOND_DOMAIN_SENSORS, "sensor_generation": _generation(lab),
        "directory": _directory(lab), "actions": _actions(lab),
        "apps": {"sensors_reader": _app(pki, "sensors_reader", READER_ROLES),
                 "sensors_only": _app(pki, "sensors_only", [SENSORS_ROLE]),
                 "auditing_reader": _app(pki, "auditing_reader", [AUTO_AUDITING_READ_ROLE]),
                 "no_permissions": _app(pki, "no_permissions", [])},
        "msi": {"header": secrets.token_hex(16),
                "system_assigned": {"client_id": str(uuid.uuid4()), "roles": READER_ROLES},
                "user_assigned": {"client_id": str(uuid.uuid4()), "object_id": str(uuid.uuid4()), "roles": [SENSORS_ROLE],
                                  "mi_res_id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/lab/providers/"
                                               "Microsoft.ManagedIdentity/userAssignedIdentities/mdi-lab"}},
        "portal_sessions": {"admin": _session("Security Administrator"), "reader": _session("Security Reader")},
    }


def _answers(url: str, ca_cert: str) -> bool:
    """True once the listener completes a TLS handshake with the lab CA and answers its control API."""
    context = ssl.create_default_context(cafile=ca_cert)
    try:
        with urllib.request.urlopen(url, context=context, timeout=2) as resp:  # nosec - lab loopback URL
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _log_tail(path: Path) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-15:]) if path.exists() else "(no log)"


def _public_session(session: dict) -> dict:
    # xsrf_token: the cookie as a browser stores it (URL-encoded); xsrf_header: the decoded value the header carries.
    return {"sccauth": session["sccauth"], "xsrf_token": urllib.parse.quote(session["xsrf_token"], safe=""),
            "xsrf_header": session["xsrf_token"]}


def start(lab: dict, lab_dir: Path, pki) -> dict:
    lab_dir = Path(lab_dir)
    ip = _ip(lab)
    (lab_dir / "cloud").mkdir(parents=True, exist_ok=True)
    (lab_dir / "logs").mkdir(parents=True, exist_ok=True)
    config = _config(lab, lab_dir, pki, ip)
    config_path = lab_dir / "cloud" / "config.json"
    config_path.touch(mode=0o600)
    config_path.chmod(0o600)
    config_path.write_text(json.dumps(config, indent=2))
    log_path = lab_dir / "logs" / "cloud.log"
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(  # pylint: disable=consider-using-with  # runs on after start() returns
            [sys.executable, "-m", "fake_cloud", str(config_path)], cwd=HERE, stdin=subprocess.DEVNULL,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    info = {"pid": proc.pid, "config": str(config_path), "state_dir": config["state_dir"], "log": str(log_path)}
    control_urls = {name: f"{url}/_lab" for name, url in config["urls"].items()}
    deadline = time.monotonic() + _START_TIMEOUT
    pending = list(control_urls.values())
    while pending:
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(info)
            raise RuntimeError(f"fake cloud did not start on {ip} {sorted(PORTS.values())}:\n{_log_tail(log_path)}")
        pending = [url for url in pending if not _answers(f"{url}/state", str(pki.ca_cert_path))]
        if pending:
            time.sleep(0.1)
    sessions = config["portal_sessions"]
    info.update({
        "ip": ip, "ports": dict(PORTS), "ca_cert": str(pki.ca_cert_path),
        "authority_host": config["urls"]["login"], "tenant_id": config["tenant_id"], "tenant_domain": TENANT_DOMAIN,
        "authority": f"{config['urls']['login']}/{config['tenant_id']}",
        "graph_url": config["graph_url"], "graph_scope": f"{config['graph_url']}/.default",
        "portal_url": f"{config['urls']['portal']}/apiproxy/aatp",
        "apps": {name: dict(app) for name, app in config["apps"].items()},
        "portal_session": _public_session(sessions["admin"]), "portal_session_non_admin": _public_session(sessions["reader"]),
        "msi": {"endpoint": f"{config['urls']['login']}/msi/token", "header": config["msi"]["header"],
                "system_assigned_client_id": config["msi"]["system_assigned"]["client_id"],
                "user_assigned_client_id": config["msi"]["user_assigned"]["client_id"]},
        "control_url": control_urls["login"], "control_urls": control_urls,
        "sensors": [{"fqdn": s["fqdn"], "domain": s["domain"]} for s in config["sensors"]],
        "second_domain_sensors": list(SECOND_DOMAIN_SENSORS), "sensor_generation": config["sensor_generation"],
    })
    return info


def _is_ours(pid: int, config: str) -> bool:
    """The PID still runs our server (not a recycled PID of something else)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return b"fake_cloud" in cmdline and config.encode() in cmdline and stat.rsplit(")", 1)[1].split()[0] != "Z"


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass  # not our child (start() ran in another process): init reaps it


def stop(info: dict) -> None:
    """Stop the recorded server process (its own process group) and nothing else."""
    pid, config = info.get("pid"), info.get("config", "")
    if not isinstance(pid, int) or not _is_ours(pid, config):
        return
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        try:
            if os.getpgid(pid) == pid:  # its own group (start_new_session): nothing else is in it
                os.killpg(pid, sig)
            else:
                os.kill(pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            _reap(pid)
            if not _is_ours(pid, config):
                return
            time.sleep(0.05)
