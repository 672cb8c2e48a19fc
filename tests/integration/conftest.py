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

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "tests" / "lab"))

from labinfo import lab_dir, load_lab  # noqa: E402  pylint: disable=wrong-import-position

VENV_BIN = Path(sys.executable).parent


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
        """Host -> result dict for the task with this name."""
        for play in self.data.get("plays", []):
            for task in play.get("tasks", []):
                if task["task"]["name"] == task_name:
                    return task["hosts"]
        raise KeyError(f"no task named {task_name!r} in the run (rc={self.rc}): {self.stderr[-2000:]}")

    @property
    def stats(self) -> dict:
        return self.data.get("stats", {})


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
