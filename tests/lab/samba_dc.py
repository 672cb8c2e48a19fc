# -*- coding: utf-8 -*-
"""The lab's real Active Directory: a Samba 4.22 AD DC in its own network and mount namespace.

start() provisions corp.example.test (or reuses a cached pristine provision), serves LDAPS/StartTLS
with a certificate from the lab CA, seeds an OU tree, users and groups, and returns what tests
need (see `start`). stop() ends only the process it started and removes only the namespace and
veth pair it created.
"""
from __future__ import annotations

import os
import shutil
import signal
import ssl
import subprocess
import time
from pathlib import Path

import ldap3

import samba_seed

REALM = "CORP.EXAMPLE.TEST"
DOMAIN_DNS = "corp.example.test"
NETBIOS = "CORP"
HOSTNAME = "dc1"
BASE_DN = "DC=corp,DC=example,DC=test"
NETNS_PREFIX = "mdilab"


def _run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), check=True, capture_output=True, text=True, **kwargs)


def _free_netns_index() -> int:
    existing = _run("ip", "netns", "list").stdout
    used_links = _run("ip", "-o", "link", "show").stdout
    for index in range(10, 250):
        name = f"{NETNS_PREFIX}{index}"
        if name not in existing and f"{name}h" not in used_links:
            return index
    raise RuntimeError("no free lab network namespace index")


def _create_netns(index: int) -> dict:
    netns, veth_host, veth_ns = f"{NETNS_PREFIX}{index}", f"{NETNS_PREFIX}{index}h", f"{NETNS_PREFIX}{index}d"
    host_ip, dc_ip = f"10.77.{index}.1", f"10.77.{index}.2"
    _run("ip", "netns", "add", netns)
    try:
        _run("ip", "link", "add", veth_host, "type", "veth", "peer", "name", veth_ns)
        _run("ip", "link", "set", veth_ns, "netns", netns)
        _run("ip", "addr", "add", f"{host_ip}/24", "dev", veth_host)
        _run("ip", "link", "set", veth_host, "up")
        _run("ip", "netns", "exec", netns, "ip", "addr", "add", f"{dc_ip}/24", "dev", veth_ns)
        _run("ip", "netns", "exec", netns, "ip", "link", "set", veth_ns, "up")
        _run("ip", "netns", "exec", netns, "ip", "link", "set", "lo", "up")
    except subprocess.CalledProcessError:
        _delete_netns(netns, veth_host)
        raise
    return {"index": index, "netns": netns, "veth_host": veth_host, "host_ip": host_ip, "ip": dc_ip}


def _delete_netns(netns: str, veth_host: str) -> None:
    subprocess.run(["ip", "link", "del", veth_host], check=False, capture_output=True)
    subprocess.run(["ip", "netns", "del", netns], check=False, capture_output=True)


def _provision(target: Path, dc_ip: str, admin_password: str) -> None:
    """samba-tool domain provision, as proven in shared/notes/lab-facts.md."""
    run_dir = target / "run"
    _run(
        "samba-tool", "domain", "provision", f"--realm={REALM}", f"--domain={NETBIOS}",
        f"--adminpass={admin_password}", "--server-role=dc", "--dns-backend=SAMBA_INTERNAL",
        "--use-rfc2307", "--base-schema=2019", "--function-level=2016",
        "--option=ad dc functional level = 2016", f"--host-name={HOSTNAME}", f"--host-ip={dc_ip}",
        f"--targetdir={target}", f"--option=interfaces = {dc_ip} 127.0.0.1", "--option=bind interfaces only = yes",
        f"--option=pid directory = {run_dir}", f"--option=ncalrpc dir = {run_dir}/ncalrpc",
        f"--option=log file = {target}/log/samba.log", "--option=server services = -nbt -wrepl -dns",
        "--option=dns update command = /bin/true",
    )


def _configure_tls(target: Path, dc_ip: str, pki) -> None:
    cert, key = pki.issue("dc1", dns_names=[f"{HOSTNAME}.{DOMAIN_DNS}"], ip_addresses=[dc_ip])
    tls_dir = target / "private" / "labtls"
    tls_dir.mkdir(mode=0o700, exist_ok=True)
    for src, name in ((cert, "cert.pem"), (key, "key.pem"), (pki.ca_cert_path, "ca.pem")):
        shutil.copyfile(src, tls_dir / name)
    (tls_dir / "key.pem").chmod(0o600)  # Samba refuses a key others can read
    conf = target / "etc" / "smb.conf"
    lines = [ln for ln in conf.read_text().splitlines() if "dns forwarder" not in ln]
    global_at = lines.index("[global]") + 1
    lines[global_at:global_at] = [
        "\ttls enabled = yes",
        f"\ttls keyfile = {tls_dir / 'key.pem'}",
        f"\ttls certfile = {tls_dir / 'cert.pem'}",
        f"\ttls cafile = {tls_dir / 'ca.pem'}",
    ]
    conf.write_text("\n".join(lines) + "\n")


def _write_krb5_conf(target: Path, dc_ip: str) -> Path:
    path = target / "krb5.conf"
    path.write_text(
        "[libdefaults]\n"
        f"\tdefault_realm = {REALM}\n\tdns_lookup_kdc = false\n\tdns_lookup_realm = false\n\trdns = false\n\n"
        f"[realms]\n\t{REALM} = {{\n\t\tkdc = {dc_ip}\n\t\tadmin_server = {dc_ip}\n\t}}\n\n"
        f"[domain_realm]\n\t.{DOMAIN_DNS} = {REALM}\n\t{DOMAIN_DNS} = {REALM}\n"
    )
    return path


def _start_samba(netns: str, target: Path, log: Path) -> int:
    conf = target / "etc" / "smb.conf"
    # smbd's client side always uses /run/samba: give Samba a private /run in its own mount namespace.
    inner = f"mount -t tmpfs sambarun /run && mkdir -p /run/samba && exec samba -M single -F -s {conf}"
    with open(log, "ab") as out:
        proc = subprocess.Popen(  # pylint: disable=consider-using-with
            ["ip", "netns", "exec", netns, "unshare", "-m", "--propagation", "private", "sh", "-c", inner],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
    return proc.pid


def connect(info: dict, user: str | None = None, password: str | None = None) -> ldap3.Connection:
    """An LDAPS connection validated against the lab CA (by IP: the DC's cert carries it)."""
    tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=info["ca_cert"])
    server = ldap3.Server(info["ip"], port=636, use_ssl=True, tls=tls, get_info=ldap3.NONE, connect_timeout=5)
    return ldap3.Connection(server, user=user or info["admin_upn"], password=password or info["admin_password"],
                            auto_bind=True, raise_exceptions=True)


def _wait_ldaps(info: dict, pid: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if not _alive(pid):
            raise RuntimeError(f"samba exited during start-up; see {info['dir']}/log")
        try:
            connect(info).unbind()
            return
        except Exception as exc:  # pylint: disable=broad-exception-caught  # not up yet
            last = exc
            time.sleep(0.3)
    raise RuntimeError(f"samba LDAPS did not answer within {timeout:.0f} s: {last}")


def _alive(pid: int) -> bool:
    """True while the process runs (a zombie, dead but not yet reaped, counts as gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def _pristine(lab_dir: Path, dc_ip: str, admin_password: str) -> Path:
    """A provisioned domain for this IP, provisioned once and copied for each start (saves ~5 s)."""
    cache = lab_dir / "cache" / f"samba-{dc_ip}"
    if not (cache / "etc" / "smb.conf").exists():
        shutil.rmtree(cache, ignore_errors=True)
        cache.mkdir(parents=True)
        (cache / "log").mkdir()
        (cache / "run").mkdir()
        _provision(cache, dc_ip, admin_password)
        (cache / "adminpass").write_text(admin_password)
        (cache / "adminpass").chmod(0o600)
    return cache


def start(lab: dict, lab_dir: Path, pki) -> dict:
    """Start the DC and return its description for lab.json.

    Keys: index (the lab's number: other labs on this machine have others), netns, veth_host,
    created_netns, ip, host_ip, hostname, realm, domain_dns, netbios, base_dn, domain_sid, admin_user, admin_upn, admin_password, ports, krb5_conf, dir, pid, ca_cert, and the
    seeded objects: ous, users {name: {dn, password, sid}}, groups, computers (see samba_seed).
    """
    del lab  # the DC depends on nothing else in the lab
    net = _create_netns(_free_netns_index())
    info = {**net, "created_netns": True, "hostname": f"{HOSTNAME}.{DOMAIN_DNS}", "realm": REALM,
            "domain_dns": DOMAIN_DNS, "netbios": NETBIOS, "base_dn": BASE_DN, "admin_user": "Administrator",
            "admin_upn": f"Administrator@{DOMAIN_DNS}", "ports": {"ldap": 389, "ldaps": 636, "smb": 445},
            "ca_cert": str(pki.ca_cert_path)}
    try:
        pristine = _pristine(lab_dir, net["ip"], samba_seed.lab_password())
        target = lab_dir / "samba"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(pristine, target, symlinks=True)
        # samba-tool wrote absolute paths of the cache into smb.conf: point them at the copy.
        conf = target / "etc" / "smb.conf"
        conf.write_text(conf.read_text().replace(str(pristine), str(target)))
        info["admin_password"] = (target / "adminpass").read_text()
        info["dir"] = str(target)
        _configure_tls(target, net["ip"], pki)
        info["krb5_conf"] = str(_write_krb5_conf(target, net["ip"]))
        info["pid"] = _start_samba(net["netns"], target, lab_dir / "logs" / "samba.out")
        _wait_ldaps(info, info["pid"])
        with connect(info) as conn:
            info.update(samba_seed.seed(conn, info))
    except BaseException:
        stop(info)
        raise
    return info


def stop(info: dict) -> None:
    pid = info.get("pid")
    if pid and _alive(pid):
        os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(pid):
            os.killpg(pid, signal.SIGKILL)
    if info.get("created_netns"):
        _delete_netns(info["netns"], info["veth_host"])
