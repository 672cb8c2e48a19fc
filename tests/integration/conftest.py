# -*- coding: utf-8 -*-
"""Fixtures for integration tests: the running lab and a runner for real ansible-playbook calls."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "tests" / "lab"))

from labinfo import lab_dir, load_lab  # noqa: E402  pylint: disable=wrong-import-position

VENV_BIN = Path(sys.executable).parent

# pytest-xdist (make integration runs two workers, a test file to each): worker gw0 uses the lab that `make lab-up`
# started, every other worker a lab of its own beside it, started before collection and stopped at its end. The labs
# share nothing (each has its own network namespace, addresses, CA and fakes), so the files of one worker cannot see
# what the other's write. Set here, at import, so that every test module reads the worker's lab.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
if WORKER != "gw0":
    os.environ["MDI_LAB_DIR"] = str(lab_dir() / f"xdist-{WORKER}")


def _labctl(action: str) -> None:
    proc = subprocess.run([sys.executable, str(REPO / "tests" / "lab" / "labctl.py"), action], capture_output=True, text=True,
                          check=False, timeout=600)
    if proc.returncode:
        raise RuntimeError(f"labctl {action} for worker {WORKER} ({lab_dir()}) exited {proc.returncode}: {proc.stderr[-3000:]}")


def pytest_sessionstart(session):  # pylint: disable=unused-argument
    if WORKER != "gw0":
        _labctl("down")  # what a killed run left up in the worker's directory, which is this run's alone
        _labctl("up")


def pytest_sessionfinish(session, exitstatus):  # pylint: disable=unused-argument
    if WORKER != "gw0":
        _labctl("down")


def collections_path() -> Path:
    """ANSIBLE_COLLECTIONS_PATH holding ansible_collections/mdi/action_accounts -> this checkout."""
    root = REPO / ".build" / "collections"
    link = root / "ansible_collections" / "mdi" / "action_accounts"
    if not link.exists():
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(REPO)
    return root


class PlaybookResult:
    """One ansible-playbook run: exit code, raw output, and per-host task results (json callback)."""

    def __init__(self, proc: subprocess.CompletedProcess):
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.data = json.loads(proc.stdout) if proc.stdout.strip().startswith("{") else {}

    def task_results(self, task_name: str) -> dict:
        """Host -> result dict for the task with this name (a role's task also by its name without "role : ")."""
        for play in self.data.get("plays", []):
            for task in play.get("tasks", []):
                if task_name in (task["task"]["name"], task["task"]["name"].rpartition(" : ")[2]):
                    return task["hosts"]
        raise KeyError(f"no task named {task_name!r} in the run (rc={self.rc}): {self.stderr[-2000:]}")

    @property
    def stats(self) -> dict:
        return self.data.get("stats", {})

    @property
    def changed(self) -> int:
        """Changed tasks over all hosts: 0 is what an idempotent second run reports."""
        return sum(host["changed"] for host in self.stats.values())


def gmsa_sid(directory, base_dn: str, name: str = "mdiAction") -> str | None:
    """The SID of the gMSA ``name`` as an independent LDAP read finds it, or None."""
    from samba_seed import sid_string  # pylint: disable=import-outside-toplevel  # tests/lab, on sys.path above

    directory.search(base_dn, f"(sAMAccountName={name}$)", attributes=["objectSid"])
    return sid_string(directory.entries[0].objectSid.raw_values[0]) if directory.entries else None


def run_playbook(playbook_text: str, inventory: Path | None = None, extra_args=(), env=None) -> PlaybookResult:
    """Run a playbook given as YAML text against the lab inventory with the json callback."""
    with tempfile.NamedTemporaryFile("w", suffix=".yml", dir=lab_dir(), delete=False) as handle:
        handle.write(playbook_text)
        path = handle.name
    run_env = dict(os.environ)
    run_env.update({
        "ANSIBLE_COLLECTIONS_PATH": str(collections_path()),
        "ANSIBLE_STDOUT_CALLBACK": "lab_json",
        "ANSIBLE_CALLBACK_PLUGINS": str(Path(__file__).resolve().parent / "callback_plugins"),
        "ANSIBLE_HOST_KEY_CHECKING": "false",
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "PATH": f"{VENV_BIN}:{run_env.get('PATH', '')}",
    })
    run_env.update(env or {})
    try:
        proc = subprocess.run(
            [str(VENV_BIN / "ansible-playbook"), "-i", str(inventory or lab_dir() / "inventory.yml"), path, *extra_args],
            capture_output=True, text=True, env=run_env, check=False, timeout=600,
        )
    finally:
        os.unlink(path)
    return PlaybookResult(proc)


@pytest.fixture(scope="session")
def lab() -> dict:
    return load_lab()


@pytest.fixture(scope="session")
def playbook():
    return run_playbook


@pytest.fixture(name="directory")
def fixture_directory(lab):
    """An independent LDAPS connection as the lab's domain admin, for checking what modules did."""
    import ssl  # pylint: disable=import-outside-toplevel

    import ldap3  # pylint: disable=import-outside-toplevel

    samba = lab["samba"]
    tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=lab["ca_cert"])
    server = ldap3.Server(samba["ip"], port=636, use_ssl=True, tls=tls, get_info=ldap3.NONE)
    conn = ldap3.Connection(server, samba["admin_upn"], samba["admin_password"], auto_bind=True, raise_exceptions=True)
    yield conn
    conn.unbind()


class CloudLab:
    """The fake cloud of the running lab."""

    def __init__(self, lab: dict):
        if "cloud" not in lab.get("components", []):
            raise RuntimeError("lab not running: run make lab-up (the lab has no cloud component)")
        self.info = lab["cloud"]
        self.ca_cert = lab["ca_cert"]
        self.lab_dir = Path(lab.get("lab_dir") or Path(self.ca_cert).parent)

    def _control(self, method: str, path: str, body=None, listener: str = "portal"):
        urls = self.info.get("control_urls") or {}
        base = urls.get(listener) or self.info["control_url"]
        response = requests.request(method, f"{base}/{path}", json=body, verify=self.ca_cert, timeout=10)
        response.raise_for_status()
        return response.json()

    def state(self) -> dict:
        return self._control("GET", "state")

    def reset(self) -> None:
        self._control("POST", "reset", {"state": True})

    def fault(self, listener: str, **fault) -> None:
        self._control("POST", "faults", {"listener": listener, **fault}, listener=listener)

    def requests(self, listener: str | None = None) -> list[dict]:
        """The fake's request log (method, path, status), without its own control calls."""
        log = self._control("GET", "requests")
        return [r for r in log if (listener is None or r.get("listener") == listener) and not r["path"].startswith("/_lab/")]

    def secrets(self) -> dict[str, str]:
        """Every secret value of the lab cloud a log could leak."""
        values = {}
        for name, app in self.info["apps"].items():
            values[f"{name} client_secret"] = app["client_secret"]
        for name in ("portal_session", "portal_session_non_admin"):
            xsrf = requests.utils.unquote(self.info[name]["xsrf_token"])
            values[f"{name} sccauth"] = self.info[name]["sccauth"]
            values[f"{name} xsrf"] = xsrf
            values[f"{name} xsrf encoded"] = requests.utils.quote(xsrf, safe="")
        values["msi header"] = self.info["msi"]["header"]
        return values

    def sensor_hosts(self, domain: str | None = None) -> list[str]:
        return sorted(s["fqdn"] for s in self.info["sensors"] if domain in (None, s["domain"]))

    def settings(self, **changes) -> dict:
        return self._control("POST", "settings", changes)

    # Task arguments -------------------------------------------------------------------------------------
    def portal_args(self, session: str = "portal_session") -> dict:
        sess = self.info[session]
        return {"portal_url": self.info["portal_url"], "portal_sccauth": sess["sccauth"], "portal_xsrf_token": sess["xsrf_token"],
                "ca_cert": self.ca_cert}

    def graph_args(self, app: str = "sensors_reader", credential: str = "secret") -> dict:
        entry = self.info["apps"][app]
        args = {"graph_url": self.info["graph_url"], "authority_host": self.info["authority_host"], "tenant_id": self.info["tenant_id"],
                "client_id": entry["client_id"], "ca_cert": self.ca_cert}
        if credential == "secret":
            args["client_secret"] = entry["client_secret"]
        elif credential == "certificate":
            args.update(client_certificate_path=entry["cert"], client_private_key_path=entry["key"])
        elif credential == "key_thumbprint":
            args.update(client_private_key_path=entry["key"], client_certificate_thumbprint=entry["thumbprint"])
        return args


@pytest.fixture(name="cloud")
def fixture_cloud(lab):
    cloud = CloudLab(lab)
    cloud.reset()
    yield cloud
    cloud.reset()
