# -*- coding: utf-8 -*-
"""The lab with its fakes in podman containers: `python tests/lab/container_lab.py up|down|status`.

Same lab as labctl.py (the real Samba AD DC in its namespace, dc1..dc3 fake WinRM domain controllers,
the fake cloud), same addresses, config JSON, PKI, state directories, lab.json and inventory. Only the
fakes run differently: as containers of the images in tests/lab/containers/ (built, or found cached,
by build-images.sh first).

How: labctl.up() starts the lab as usual, so its components write every config, certificate and state
directory and check that they work; then each fake is handed over to a container, which runs the same
`python -m fake_... CONFIG.json` at the same address: dc1 inside the Samba DC's network namespace, the
others on the host's network. The container sees the config, certificates and state directory at
their host paths (bind mounts), so tests read and switch its state as before. lab.json records the
container and its main PID in place of the process's, so the fakes' test helpers (faults, restart,
command log) and `labctl.py down` keep working; `down` here also removes the containers.

Not emulated: nothing beyond the fakes themselves (see fake_winrm/, fake_cloud/); in particular no
container has its own IP address or DNS name: they share the host's (or dc1's) network as the
processes did. Remediation actions (fake_cloud/remediation.py) are not emulated in the cloud's container:
it mounts only its own state directory and the certificates, so it sees neither the Samba DC's smb.conf
and sam.ldb nor the WinRM hosts' state, and has no python with Samba's bindings. identityAccounts (over
LDAPS) and invokeAction's answers work there; each action's outcome in the log is a failure saying so.
"""
from __future__ import annotations

import argparse
import hashlib
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import fake_cloud_service  # noqa: E402  pylint: disable=wrong-import-position
import fake_winrm_hosts  # noqa: E402  pylint: disable=wrong-import-position
import inventory  # noqa: E402  pylint: disable=wrong-import-position
import labctl  # noqa: E402  pylint: disable=wrong-import-position

CONTAINERS = HERE / "containers"
PODMAN = CONTAINERS / "lab-podman"  # podman with the lab's own settings (runc, ulimits, storage)
IMAGES = {"winrm": "localhost/mdi-lab/fake-winrm:latest", "cloud": "localhost/mdi-lab/fake-cloud:latest"}
LABEL = "mdi.lab_dir"  # every container carries its lab directory: `down` removes exactly those
READY_TIMEOUT = 30.0


def podman(*args: str) -> str:
    result = subprocess.run([str(PODMAN), *args], check=False, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"podman {' '.join(args[:2])} ... exited {result.returncode}: {result.stderr.strip()}")
    return result.stdout.strip()


def _name(directory: Path, fake: str) -> str:
    """mdilab-<digest of the lab directory>-<fake>: labs side by side never share a container name."""
    return f"mdilab-{hashlib.sha256(str(directory).encode()).hexdigest()[:8]}-{fake}"


def _run(directory: Path, fake: str, image: str, config_path: str, state_dir: str, netns: str | None) -> dict:
    """Start one fake's container; returns {"container", "pid"} (the PID as the host sees it)."""
    name = _name(directory, fake)
    certs, ca_cert = directory / "certs", directory / "ca.pem"
    log = directory / "logs" / f"container-{fake}.log"
    log.unlink(missing_ok=True)  # the log of this container only (podman would append to an earlier one's)
    podman(
        "run", "--detach", "--replace", "--name", name, "--label", f"{LABEL}={directory}",
        "--network", f"ns:/run/netns/{netns}" if netns else "host",
        "--stop-timeout", "2",  # a WinRM fake is PID 1 with no SIGTERM handler: SIGTERM does nothing, so do not wait 10 s
        "--log-driver", "k8s-file", "--log-opt", f"path={log}",
        "--volume", f"{state_dir}:{state_dir}", "--volume", f"{certs}:{certs}:ro", "--volume", f"{ca_cert}:{ca_cert}:ro",
        image, config_path)
    return {"container": name, "pid": int(podman("inspect", "--format", "{{.State.Pid}}", name))}


def _wait_tls(container: str, ip: str, port: int, ca_cert: str) -> None:
    """Return once ip:port completes a TLS handshake validated by the lab CA: the fake is listening."""
    context = ssl.create_default_context(cafile=ca_cert)
    deadline = time.monotonic() + READY_TIMEOUT
    while True:
        try:
            with socket.create_connection((ip, port), timeout=1) as sock, context.wrap_socket(sock, server_hostname=ip):
                return
        except OSError:
            pass
        if podman("inspect", "--format", "{{.State.Running}}", container) != "true" or time.monotonic() > deadline:
            logs = subprocess.run([str(PODMAN), "logs", "--tail", "15", container], check=False, capture_output=True, text=True)
            raise RuntimeError(f"container {container} does not serve {ip}:{port}:\n{logs.stdout}{logs.stderr}")
        time.sleep(0.2)


def _hand_over(lab: dict, directory: Path) -> None:
    """Replace the fakes' processes by containers with the same config (see the module doc)."""
    hosts = lab["winrm"]["hosts"]
    fake_winrm_hosts.stop(lab["winrm"])
    for name, host in hosts.items():
        host.update(_run(directory, name, IMAGES["winrm"], str(Path(host["state_dir"], "config.json")),
                         host["state_dir"], host["netns"]))
    for host in hosts.values():
        _wait_tls(host["container"], host["ip"], host["https_port"], lab["ca_cert"])
    cloud = lab["cloud"]
    fake_cloud_service.stop(cloud)
    cloud.update(_run(directory, "cloud", IMAGES["cloud"], cloud["config"], cloud["state_dir"], None))
    for port in cloud["ports"].values():
        _wait_tls(cloud["container"], cloud["ip"], port, lab["ca_cert"])


def _ours(directory: Path) -> list[str]:
    return podman("ps", "--all", "--filter", f"label={LABEL}={directory}", "--format", "{{.Names}}").split()


def up(directory: Path, fresh: bool = False) -> dict:
    """Start the lab; `fresh` first forgets the fakes' state that earlier labs here left (the hosts' rights,
    command logs, portal accounts), which labctl keeps across restarts."""
    if labctl.load(directory).get("components"):
        raise SystemExit(f"lab already up in {directory}: run `container_lab.py down` first")
    if fresh:
        for state in ("winrm", "cloud"):
            shutil.rmtree(directory / state, ignore_errors=True)
    started = time.monotonic()
    subprocess.run([str(CONTAINERS / "build-images.sh")], check=True)
    print(f"container lab: images ready in {time.monotonic() - started:.1f} s")
    lab = labctl.up(directory)
    started = time.monotonic()
    try:
        _hand_over(lab, directory)
    except BaseException:
        print("container lab: hand-over to containers failed; stopping the lab", file=sys.stderr)
        _down(directory)  # finds the containers by label: lab.json may not list them yet
        raise
    lab["containers"] = {"runtime": "podman", "podman": str(PODMAN), "names": _ours(directory)}
    labctl._save(directory, lab)  # pylint: disable=protected-access  # one writer of lab.json's format
    inventory.write(lab, directory)
    print(f"container lab: fakes in containers in {time.monotonic() - started:.1f} s: {', '.join(lab['containers']['names'])}")
    return lab


def down(directory: Path) -> None:
    """Stop a lab this script started; refuses labctl's own lab (that one stops with `make lab-down`)."""
    lab = labctl.load(directory)
    if lab.get("components") and "containers" not in lab and not _ours(directory):
        raise SystemExit(f"the lab in {directory} has no containers: it is labctl's, stop it with `make lab-down`")
    _down(directory)


def _down(directory: Path) -> None:
    """Remove this lab's containers (found by label, so also after a failed `up`), then labctl's down."""
    names = _ours(directory)
    if names:
        podman("rm", "--force", "--time", "2", *names)
        print(f"container lab: removed {', '.join(names)}")
    labctl.down(directory)


def status(directory: Path) -> int:
    code = labctl.status(directory)
    listing = podman("ps", "--all", "--filter", f"label={LABEL}={directory}", "--format", "{{.Names}}  {{.Image}}  {{.Status}}")
    for line in listing.splitlines() or ["(no containers)"]:
        print(f"  {line}")
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["up", "down", "status"])
    parser.add_argument("--fresh", action="store_true", help="up: forget the fakes' state earlier labs here left")
    args = parser.parse_args()
    directory = labctl.lab_dir()
    if args.action == "up":
        started = time.monotonic()
        up(directory, fresh=args.fresh)
        print(f"container lab: up in {time.monotonic() - started:.1f} s; inventory {directory / 'inventory.yml'}")
        return 0
    if args.action == "down":
        down(directory)
        return 0
    return status(directory)


if __name__ == "__main__":
    sys.exit(main())
