# -*- coding: utf-8 -*-
"""The lab's real Active Directory: a Samba 4.22 AD DC in its own network and mount namespace.

start() provisions the lab's domain (lab_domain.py: corp.example.test unless MDI_LAB_DOMAIN names another)
once per lab directory, realm, IP and Samba version (later starts copy that pristine provision), serves
LDAPS/StartTLS with a certificate from the lab CA, resets the Administrator password to a fresh random
one, seeds an OU tree, users and groups, and returns what tests need (see `start`). stop() ends only the processes it started and removes only the
namespace and veth pair it created.

Manual use: `python samba_dc.py up|down` (state in $MDI_LAB_DIR, default /tmp/lab-samba).
"""
from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path

import ldap3
from ldap3 import MODIFY_REPLACE
from ldap3.core.exceptions import LDAPException

import lab_domain
import samba_seed
from lab_domain import LabDomain

HOSTNAME = lab_domain.DC_HOSTNAME
NETNS_PREFIX = "mdilab"
INDEXES = range(10, 250)  # 10.77.<index>.0/24; the index is also the lab's number for other components
PORTS = {"ldap": 389, "ldaps": 636, "smb": 445, "kerberos": 88, "kpasswd": 464, "global_catalog": 3268, "global_catalog_ssl": 3269}
START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
CACHE_KEEP = 3
STRONG_AUTH_OPTION, STRONG_AUTH = "ldap server require strong auth", "yes"


class CommandError(RuntimeError):
    """A command failed; the message carries its error output (CalledProcessError's does not)."""


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(list(args), check=False, capture_output=True, text=True, env=env)
    if result.returncode:
        output = (result.stderr.strip() or result.stdout.strip()).splitlines()[-15:]
        raise CommandError(f"{' '.join(args[:4])} ... exited {result.returncode}: " + "\n".join(output))
    return result


def _log(lab_dir: Path, message: str) -> None:
    with open(lab_dir / "logs" / "samba_dc.log", "a", encoding="utf-8") as out:
        out.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {message}\n")


# ---------------------------------------------------------------- network namespace

def _index_in_use(index: int, netns_names: set, links: str, addresses: str) -> bool:
    """Taken when its netns or veth exists, or anything on the host already uses 10.77.<index>.x."""
    name = f"{NETNS_PREFIX}{index}"
    return (name in netns_names or f" {name}h@" in links or f" {name}h:" in links
            or f"10.77.{index}." in addresses)


def _names_in_use() -> tuple[set, str, str]:
    netns_names = {line.split()[0] for line in _run("ip", "netns", "list").stdout.splitlines() if line.strip()}
    links = _run("ip", "-o", "link", "show").stdout
    addresses = _run("ip", "-o", "-4", "addr", "show").stdout + _run("ip", "-4", "route", "show").stdout
    return netns_names, links, addresses


def _allocate_netns(preferred: list) -> dict:
    """Create the first free namespace, trying `preferred` indexes first (those with a cached provision).

    `ip netns add` failing means another lab won the race for that index: try the next.
    """
    netns_names, links, addresses = _names_in_use()
    for index in [*preferred, *(i for i in INDEXES if i not in preferred)]:
        if _index_in_use(index, netns_names, links, addresses):
            continue
        try:
            _run("ip", "netns", "add", f"{NETNS_PREFIX}{index}")
        except CommandError:
            continue
        return _wire_netns(index)
    raise RuntimeError("no free lab network namespace index (10.77.x.0/24)")


def _wire_netns(index: int) -> dict:
    """veth pair: host side 10.77.<n>.1/24, DC side 10.77.<n>.2/24; loopback up for Samba's own 127.0.0.1."""
    netns, veth_host, veth_dc = f"{NETNS_PREFIX}{index}", f"{NETNS_PREFIX}{index}h", f"{NETNS_PREFIX}{index}d"
    host_ip, dc_ip = f"10.77.{index}.1", f"10.77.{index}.2"
    net = {"index": index, "netns": netns, "created_netns": True, "veth_host": veth_host, "created_veth": False,
           "host_ip": host_ip, "ip": dc_ip}
    try:
        _run("ip", "link", "add", veth_host, "type", "veth", "peer", "name", veth_dc, "netns", netns)
        net["created_veth"] = True
        _run("ip", "addr", "add", f"{host_ip}/24", "dev", veth_host)
        _run("ip", "link", "set", veth_host, "up")
        in_ns = ("ip", "netns", "exec", netns, "ip")
        _run(*in_ns, "addr", "add", f"{dc_ip}/24", "dev", veth_dc)
        _run(*in_ns, "link", "set", veth_dc, "up")
        _run(*in_ns, "link", "set", "lo", "up")
    except CommandError:
        _delete_netns(net)
        raise
    return net


def _delete_netns(info: dict) -> None:
    if info.get("created_veth"):
        subprocess.run(["ip", "link", "del", info["veth_host"]], check=False, capture_output=True)
    if info.get("created_netns"):
        subprocess.run(["ip", "netns", "del", info["netns"]], check=False, capture_output=True)


# ---------------------------------------------------------------- provisioning (cached)

def _samba_version() -> str:
    return _run("samba", "--version").stdout.strip()


def _provision(target: Path, dc_ip: str, admin_password: str, domain: LabDomain) -> None:
    """samba-tool domain provision, as proven in shared/notes/lab-facts.md.

    An empty --configfile: otherwise samba-tool merges the host's /etc/samba/smb.conf into the DC's
    (Debian's: [homes], [printers], `unix password sync = yes`, ...).
    """
    run_dir = target / "run"
    empty = target / "provision-empty.conf"
    empty.write_text("")
    _run(
        "samba-tool", "domain", "provision", f"--configfile={empty}", f"--realm={domain.realm}", f"--domain={domain.netbios}",
        f"--adminpass={admin_password}", "--server-role=dc", "--dns-backend=SAMBA_INTERNAL",
        "--use-rfc2307", "--base-schema=2019", "--function-level=2016",
        "--option=ad dc functional level = 2016", f"--host-name={HOSTNAME}", f"--host-ip={dc_ip}",
        f"--targetdir={target}", f"--option=interfaces = {dc_ip} 127.0.0.1", "--option=bind interfaces only = yes",
        f"--option=pid directory = {run_dir}", f"--option=ncalrpc dir = {run_dir}/ncalrpc",
        f"--option=log file = {target}/log/samba.log", "--option=server services = -nbt -wrepl -dns",
        "--option=dns update command = /bin/true",
        env={**os.environ, "TDB_NO_FSYNC": "1"},  # Samba's own test-suite switch: a throw-away cache needs no fsync
    )
    empty.unlink()


def _cache_dir(lab_dir: Path, realm: str, dc_ip: str) -> Path:
    return lab_dir / "cache" / f"samba-{realm}-{dc_ip}"


def _cached_indexes(lab_dir: Path, realm: str) -> list:
    """Lab numbers this lab directory has a provision of this realm for, most recently used first."""
    stamps = sorted((lab_dir / "cache").glob(f"samba-{realm}-10.77.*.2/pristine.json"),
                    key=lambda stamp: stamp.stat().st_mtime, reverse=True)
    return [int(stamp.parent.name.rsplit(".", 2)[-2]) for stamp in stamps]


def _prune_cache(lab_dir: Path, realm: str, keep: Path) -> None:
    """At most CACHE_KEEP provisions (~45 MB each) per lab directory and realm: drop the least recently used."""
    stamps = sorted((lab_dir / "cache").glob(f"samba-{realm}-*/pristine.json"), key=lambda stamp: stamp.stat().st_mtime, reverse=True)
    for stamp in stamps[CACHE_KEEP:]:
        if stamp.parent != keep:
            shutil.rmtree(stamp.parent, ignore_errors=True)


def _pristine(lab_dir: Path, dc_ip: str, domain: LabDomain) -> tuple[Path, dict]:
    """A provisioned, never-started domain for this realm, IP and Samba version (saves ~5-8 s per start).

    Provisioned into a temporary directory and renamed when complete, so an interrupted
    provisioning never leaves a cache that looks usable.
    """
    cache = _cache_dir(lab_dir, domain.realm, dc_ip)
    stamp_path = cache / "pristine.json"
    version = _samba_version()
    if stamp_path.exists():
        stamp = json.loads(stamp_path.read_text())
        if stamp.get("samba_version") == version:
            stamp_path.touch()  # most recently used
            return cache, stamp
    shutil.rmtree(cache, ignore_errors=True)
    work = cache.with_name(f".{cache.name}.{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    for sub in ("log", "run"):
        (work / sub).mkdir(parents=True)
    stamp = {"realm": domain.realm, "ip": dc_ip, "samba_version": version, "provisioned_dir": str(work),
             "admin_password": samba_seed.lab_password(avoid="administrator")}
    try:
        _provision(work, dc_ip, stamp["admin_password"], domain)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    stamp_path = work / "pristine.json"
    stamp_path.write_text(json.dumps(stamp, indent=2))
    stamp_path.chmod(0o600)
    work.rename(cache)
    _prune_cache(lab_dir, domain.realm, keep=cache)
    return cache, stamp


def _copy_pristine(pristine: Path, stamp: dict, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(pristine, target, symlinks=True, ignore=shutil.ignore_patterns("pristine.json", "msg.lock", "msg.sock"))
    # samba-tool wrote the absolute provisioning path into smb.conf (only there): point it at the copy.
    conf = target / "etc" / "smb.conf"
    conf.write_text(conf.read_text().replace(stamp["provisioned_dir"], str(target)))


def _assert_not_running(target: Path) -> None:
    """Refuse to wipe the directory of a Samba that still runs (a lab that was never stopped)."""
    pid_file = target / "run" / "samba.pid"
    if not pid_file.exists():
        return
    try:
        pid = int(pid_file.read_text().split()[0])
    except (ValueError, IndexError, OSError):
        return
    if _comm(pid) == "samba" and any(str(target) in _cmdline(child) for child in _descendants(pid)):
        raise RuntimeError(f"a Samba DC from {target} still runs (pid {pid}): run `make lab-down` first")


# ---------------------------------------------------------------- configuration

def _set_global_options(conf: Path, options: dict, drop: tuple = ()) -> None:
    """Set [global] options in smb.conf, replacing earlier values; drop the options named in `drop`."""
    lines = conf.read_text().splitlines()
    removed = {name.lower() for name in options} | {name.lower() for name in drop}
    kept, in_global = [], False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("["):
            in_global = stripped.lower() == "[global]"
        elif in_global and "=" in stripped and stripped.split("=", 1)[0].strip().lower() in removed:
            continue
        kept.append(line)
    at = kept.index("[global]") + 1
    kept[at:at] = [f"\t{name} = {value}" for name, value in options.items()]
    conf.write_text("\n".join(kept) + "\n")


def _install_tls(target: Path, dc_ip: str, pki, domain: LabDomain) -> dict:
    """The DC's certificate from the lab CA, valid for its name and its IP: clients need no name tricks."""
    cert, key = pki.issue(HOSTNAME, dns_names=[domain.fqdn(HOSTNAME)], ip_addresses=[dc_ip])
    tls_dir = target / "private" / "labtls"
    tls_dir.mkdir(mode=0o700, exist_ok=True)
    files = {"tls keyfile": tls_dir / "key.pem", "tls certfile": tls_dir / "cert.pem", "tls cafile": tls_dir / "ca.pem"}
    for src, option in ((key, "tls keyfile"), (cert, "tls certfile"), (pki.ca_cert_path, "tls cafile")):
        shutil.copyfile(src, files[option])
    files["tls keyfile"].chmod(0o600)  # Samba refuses a key that others can read
    for option in ("tls certfile", "tls cafile"):
        files[option].chmod(0o644)
    return {"tls enabled": "yes", **{option: str(path) for option, path in files.items()}}


def _configure(target: Path, lab_dir: Path, dc_ip: str, pki, domain: LabDomain) -> None:
    log_dir = lab_dir / "logs" / "samba"
    log_dir.mkdir(parents=True, exist_ok=True)
    options = {**_install_tls(target, dc_ip, pki, domain), "log file": str(log_dir / "samba.log"),
               # The strictest level, written out so no default or merged config can relax it: simple binds only over
               # TLS, SASL over TLS only with correct TLS channel bindings (= Windows' LdapEnforceChannelBinding=2),
               # SASL without TLS only signed or sealed. tests/lab/tests/test_ldap_hardening.py proves each part.
               STRONG_AUTH_OPTION: STRONG_AUTH}
    # No DNS service runs (server services = -dns): a forwarder would only point outside the lab.
    _set_global_options(target / "etc" / "smb.conf", options, drop=("dns forwarder",))


def _write_krb5_conf(target: Path, dc_ip: str, domain: LabDomain) -> Path:
    path = target / "krb5.conf"
    path.write_text(
        "[libdefaults]\n"
        f"\tdefault_realm = {domain.realm}\n\tdns_lookup_kdc = false\n\tdns_lookup_realm = false\n"
        "\trdns = false\n\tdns_canonicalize_hostname = false\n\n"
        f"[realms]\n\t{domain.realm} = {{\n\t\tkdc = {dc_ip}\n\t\tadmin_server = {dc_ip}\n\t}}\n\n"
        f"[domain_realm]\n\t.{domain.dns} = {domain.realm}\n\t{domain.dns} = {domain.realm}\n"
    )
    return path


# ---------------------------------------------------------------- processes

def _start_time(pid: int) -> int | None:
    """The process's start time in clock ticks (/proc/PID/stat field 22): with the PID, its identity."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[19])


def _alive(pid: int, start_time: int | None = None) -> bool:
    """True while that very process runs (a zombie, dead but not yet reaped, counts as gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    if "\nState:\tZ" in status:
        return False
    return start_time is None or _start_time(pid) == start_time


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _children(pid: int) -> list:
    """Direct children, whichever thread forked them."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(child) for child in (task / "children").read_text().split()]
        except OSError:  # the thread or process just ended
            continue
    return children


def _descendants(pid: int) -> list:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(_children(current))
    return found


def _start_samba(netns: str, target: Path, out_log: Path) -> tuple[int, int | None]:
    conf = target / "etc" / "smb.conf"
    # smbd's client side always uses /run/samba: give Samba a private /run in its own mount namespace.
    inner = f"mount -t tmpfs sambarun /run && mkdir -p /run/samba && exec samba -M single -F -s {shlex.quote(str(conf))}"
    with open(out_log, "ab") as out:
        proc = subprocess.Popen(  # pylint: disable=consider-using-with  # runs after start() returns
            ["ip", "netns", "exec", netns, "unshare", "-m", "--propagation", "private", "sh", "-c", inner],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
    return proc.pid, _start_time(proc.pid)


def _lab_processes(info: dict) -> list:
    """(pid, start time) of every process of this DC.

    That is the recorded root and its descendants, plus smbd and winbindd of this smb.conf in our
    namespace: they run in sessions of their own and could outlive a crashed root.
    """
    roots = []
    pid, started = info.get("pid"), info.get("pid_start_time")
    # Without a recorded start time (an older lab.json), at least insist that the PID is a samba.
    if pid and _alive(pid, started) and (started or _comm(pid) == "samba"):
        roots.append(pid)
    conf = f"{info.get('dir', '')}/etc/smb.conf"
    if info.get("created_netns") and info.get("dir"):
        listed = subprocess.run(["ip", "netns", "pids", info["netns"]], check=False, capture_output=True, text=True)
        roots += [int(member) for member in listed.stdout.split() if conf in _cmdline(int(member))]
    members = {member for root in roots for member in _descendants(root)}
    return [(member, _start_time(member)) for member in sorted(members)]


def _terminate(processes: list) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid, started in processes:
            if _alive(pid, started):
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + STOP_TIMEOUT
        while any(_alive(pid, started) for pid, started in processes) and time.monotonic() < deadline:
            time.sleep(0.05)
        if not any(_alive(pid, started) for pid, started in processes):
            return


def _reap(pid: int) -> None:
    """Collect the exit status when start() ran in this very process (no zombie left behind)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


# ---------------------------------------------------------------- LDAP

def connect(info: dict, user: str | None = None, password: str | None = None) -> ldap3.Connection:
    """An LDAPS connection validated against the lab CA (by IP: the DC's cert carries it)."""
    tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=info["ca_cert"])
    server = ldap3.Server(info["ip"], port=PORTS["ldaps"], use_ssl=True, tls=tls, get_info=ldap3.NONE, connect_timeout=5)
    return ldap3.Connection(server, user=user or info["admin_upn"], password=password or info["admin_password"],
                            auto_bind=True, raise_exceptions=True)


def _wait_ldaps(info: dict) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    last = None
    while time.monotonic() < deadline:
        if not _alive(info["pid"], info["pid_start_time"]):
            raise RuntimeError(f"samba exited during start-up; see {info['log_dir']}")
        try:
            connect(info).unbind()
            return
        except LDAPException as exc:  # not listening yet
            last = exc
            time.sleep(0.2)
    raise RuntimeError(f"samba LDAPS did not answer within {START_TIMEOUT:.0f} s: {last}")


def _new_admin_password(conn, base_dn: str) -> str:
    """A fresh Administrator password per start: the cached provision's password never leaves the cache."""
    password = samba_seed.lab_password(avoid="administrator")
    conn.modify(f"CN=Administrator,CN=Users,{base_dn}",
                {"unicodePwd": [(MODIFY_REPLACE, [f'"{password}"'.encode("utf-16-le")])]})
    return password


# ---------------------------------------------------------------- the component

class _Phases:
    """Durations of start()'s phases, for the log: where the time goes on a slow or busy machine."""

    def __init__(self) -> None:
        self.started = self.last = time.monotonic()
        self.phases: list = []

    def mark(self, name: str) -> None:
        now = time.monotonic()
        self.phases.append((name, now - self.last))
        self.last = now

    def total(self) -> float:
        return round(time.monotonic() - self.started, 2)

    def __str__(self) -> str:
        return ", ".join(f"{name} {seconds:.2f} s" for name, seconds in self.phases)


def _base_info(net: dict, lab_dir: Path, pki, domain: LabDomain) -> dict:
    target = lab_dir / "samba"
    return {**net, "hostname": domain.fqdn(HOSTNAME), "realm": domain.realm, "domain_dns": domain.dns,
            "netbios": domain.netbios, "base_dn": domain.base_dn, "admin_user": "Administrator",
            "admin_upn": domain.upn("Administrator"), "ports": dict(PORTS), "ca_cert": str(pki.ca_cert_path),
            "dir": str(target), "log_dir": str(lab_dir / "logs" / "samba"), "krb5_conf": str(target / "krb5.conf")}


def start(lab: dict, lab_dir: Path, pki) -> dict:
    """Start the DC and return its description for lab.json.

    Keys:
      index             the lab's number n (other labs on this machine have others)
      netns             network namespace `mdilab<n>`; created_netns: True when start() created it
      veth_host         host side of the veth pair; created_veth: True when start() created it
      ip, host_ip       10.77.<n>.2 (the DC), 10.77.<n>.1 (the host side)
      hostname          dc1.<domain>, e.g. dc1.corp.example.test (in the DC's certificate, with the IP)
      realm, domain_dns, netbios, base_dn, domain_sid
      admin_user, admin_upn, admin_password   Administrator, fresh random password per start
      ports             {ldap: 389 (simple bind needs StartTLS), ldaps: 636, smb: 445, kerberos: 88, kpasswd: 464,
                        global_catalog: 3268, global_catalog_ssl: 3269}
      ca_cert           the lab CA that validates the DC's certificate
      krb5_conf         krb5.conf for this realm with the KDC at the DC's IP
      dir, log_dir      Samba's directory (lab_dir/samba), its logs (lab_dir/logs/samba)
      pid, pid_start_time   the samba root process (its start time in clock ticks identifies it)
      start_seconds     how long start() took
      ous               {lab, users, nested, groups, servers, outside}: DNs
      users             {alice, bob, carol, dave, helpdesk, protected1: {dn, password, sid, upn}}
      groups            {lab-group-1, mixed-servers: {dn, sid, members}}
      computers         {dc1, srv1: {dn, sid, sam_account_name, dns_host_name}}
    """
    domain = lab_domain.of(lab)  # the DC depends on nothing else in the lab
    clock = _Phases()
    (lab_dir / "logs").mkdir(parents=True, exist_ok=True)
    target = lab_dir / "samba"
    _assert_not_running(target)
    info = _allocate_netns(_cached_indexes(lab_dir, domain.realm))
    clock.mark("netns")
    try:
        info.update(_base_info(info, lab_dir, pki, domain))
        pristine, stamp = _pristine(lab_dir, info["ip"], domain)
        clock.mark("provision-or-cache")
        _copy_pristine(pristine, stamp, target)
        _configure(target, lab_dir, info["ip"], pki, domain)
        _write_krb5_conf(target, info["ip"], domain)
        clock.mark("copy-and-configure")
        info["pid"], info["pid_start_time"] = _start_samba(info["netns"], target, lab_dir / "logs" / "samba.out")
        info["admin_password"] = stamp["admin_password"]
        _wait_ldaps(info)
        clock.mark("ldaps-ready")
        with connect(info) as conn:
            info["admin_password"] = _new_admin_password(conn, domain.base_dn)
        with connect(info) as conn:
            info.update(samba_seed.seed(conn, info))
        clock.mark("seed")
    except BaseException:
        stop(info)
        raise
    info["start_seconds"] = clock.total()
    _log(lab_dir, f"samba DC up in {info['start_seconds']} s at {info['ip']} (netns {info['netns']}, pid {info['pid']}): {clock}")
    return info


def stop(info: dict) -> None:
    """Stop what start() started: this DC's processes (identified by PID and start time) and its
    namespace and veth pair if start() created them. Safe when the DC already died."""
    _terminate(_lab_processes(info))
    if info.get("pid"):
        _reap(info["pid"])
    _delete_netns(info)


def _main(argv: list) -> int:
    """Manual use without labctl: `up` writes lab.json with this component alone, `down` stops it."""
    from pki import LabPKI  # pylint: disable=import-outside-toplevel  # only for manual use

    lab_dir = Path(os.environ.get("MDI_LAB_DIR", "/tmp/lab-samba")).resolve()
    lab_file = lab_dir / "lab.json"
    if argv[1:] == ["up"]:
        pki = LabPKI(lab_dir)
        info = start({}, lab_dir, pki)
        lab_file.write_text(json.dumps({"lab_dir": str(lab_dir), "ca_cert": str(pki.ca_cert_path),
                                        "components": ["samba"], "samba": info}, indent=2, sort_keys=True))
        lab_file.chmod(0o600)
        print(f"samba DC up in {info['start_seconds']} s at {info['ip']}; {lab_file}")
        return 0
    if argv[1:] == ["down"]:
        lab = json.loads(lab_file.read_text())
        stop(lab["samba"])
        lab["components"] = [c for c in lab.get("components", []) if c != "samba"]
        lab_file.write_text(json.dumps(lab, indent=2, sort_keys=True))
        return 0
    print("usage: samba_dc.py up|down", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv))
