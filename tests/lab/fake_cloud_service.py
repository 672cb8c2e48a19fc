# -*- coding: utf-8 -*-
"""Lab component: the fake Microsoft cloud (fake_cloud/) on 127.20.<lab number>.1, ports 8443 login, 8444
Graph, 8445 portal. The lab's WinRM hosts are its MDI sensors; a second domain's sensor can be
listed too (`extra_sensors` in its config) for multi-domain tests."""
from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
PORTS = {"login": 8443, "graph": 8444, "portal": 8445}


def _sensors(lab: dict) -> list[dict]:
    hosts = (lab.get("winrm") or {}).get("hosts") or {n: {"fqdn": f"{n}.corp.example.test"} for n in ("dc1", "dc2", "dc3")}
    domain = (lab.get("samba") or {}).get("domain_dns", "corp.example.test")
    return [{"id": str(uuid.uuid5(uuid.NAMESPACE_DNS, h["fqdn"])), "host": h["fqdn"], "domain": domain}
            for _name, h in sorted(hosts.items())]


def _app(pki, name: str, roles: list[str]) -> dict:
    cert, key = pki.issue(f"app-{name}", dns_names=[f"{name}.apps.lab.test"], client=True)
    return {"client_id": str(uuid.uuid4()), "client_secret": secrets.token_urlsafe(30), "cert": str(cert), "key": str(key),
            "thumbprint": pki.thumbprint_sha1(cert), "roles": roles}


def start(lab: dict, lab_dir: Path, pki) -> dict:
    ip = f"127.20.{(lab.get('samba') or {}).get('index', 0)}.1"  # the lab's number: labs can run side by side
    state_dir = lab_dir / "cloud"
    state_dir.mkdir(parents=True, exist_ok=True)
    (state_dir / "ready").unlink(missing_ok=True)
    cert, key = pki.issue("cloud", dns_names=["login.lab.test", "graph.lab.test", "security.lab.test"], ip_addresses=[ip])
    config = {
        "ip": ip, "ports": PORTS, "cert": str(cert), "key": str(key), "state_dir": str(state_dir),
        "tenant_id": str(uuid.uuid4()), "graph_url": f"https://{ip}:{PORTS['graph']}", "page_size": 2,
        "sensors": _sensors(lab),
        "apps": {"sensors_reader": _app(pki, "sensors-reader", ["SecurityIdentitiesSensors.Read.All", "SecurityIdentitiesHealth.Read.All"]),
                 "no_permissions": _app(pki, "no-permissions", [])},
        "msi": {"header": secrets.token_urlsafe(24), "roles": ["SecurityIdentitiesSensors.Read.All"]},
        "portal_sessions": {
            "admin": {"sccauth": secrets.token_urlsafe(40), "xsrf_token": secrets.token_urlsafe(24) + "/+=", "role": "Security Administrator"},
            "reader": {"sccauth": secrets.token_urlsafe(40), "xsrf_token": secrets.token_urlsafe(24), "role": "Security Reader"},
        },
    }
    config_path = state_dir / "config.json"
    config_path.write_text(json.dumps(config, indent=2))
    config_path.chmod(0o600)
    with open(lab_dir / "logs" / "cloud.log", "ab") as log:
        proc = subprocess.Popen(  # pylint: disable=consider-using-with
            [sys.executable, "-m", "fake_cloud", str(config_path)], cwd=HERE, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)
    info = {"pid": proc.pid, "state_dir": str(state_dir)}
    deadline = time.monotonic() + 20
    while not (state_dir / "ready").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(info)
            raise RuntimeError(f"fake cloud did not start; see {lab_dir / 'logs' / 'cloud.log'}")
        time.sleep(0.05)
    with socket.create_connection((ip, PORTS["portal"]), timeout=2):
        pass
    info.update({
        "authority_host": f"https://{ip}:{PORTS['login']}", "tenant_id": config["tenant_id"], "graph_url": config["graph_url"],
        "portal_url": f"https://{ip}:{PORTS['portal']}/apiproxy/aatp", "apps": config["apps"],
        "portal_session": {k: config["portal_sessions"]["admin"][k] for k in ("sccauth", "xsrf_token")},
        "portal_session_non_admin": {k: config["portal_sessions"]["reader"][k] for k in ("sccauth", "xsrf_token")},
        "msi": {"endpoint": f"https://{ip}:{PORTS['login']}/msi/token", "header": config["msi"]["header"]},
        "control_urls": {name: f"https://{ip}:{port}/_lab" for name, port in PORTS.items()},
        "sensors": config["sensors"],
    })
    return info


def stop(info: dict) -> None:
    pid = info.get("pid")
    try:
        os.killpg(pid, signal.SIGTERM)
    except (ProcessLookupError, TypeError):
        return
    deadline = time.monotonic() + 5
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
