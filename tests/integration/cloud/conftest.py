# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the cloud modules' integration tests: the lab's fake Microsoft cloud, read and steered
through its own control API (/_lab/state, /_lab/faults, /_lab/reset, /_lab/requests), and plays run
with real ansible-playbook / ansible-inventory."""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

# The parent conftest (tests/integration/conftest.py) is importable as `conftest`: tests/integration is the rootdir of
# this package (cloud/ has an __init__.py), so pytest puts it on sys.path.
from conftest import VENV_BIN, collections_path, run_playbook  # pylint: disable=wrong-import-order  # noqa: E402

SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
# As on this machine and many corporate controllers: these override a requests Session's verify attribute.
ENV_BUNDLES = {"REQUESTS_CA_BUNDLE": SYSTEM_BUNDLE, "CURL_CA_BUNDLE": SYSTEM_BUNDLE}


def play(tasks: list[dict], hosts: str = "localhost", module_defaults: dict | None = None, **extra) -> str:
    """A one-play playbook as text (JSON is YAML)."""
    entry = {"name": "cloud", "hosts": hosts, "gather_facts": False, "tasks": tasks, **extra}
    if module_defaults:
        entry["module_defaults"] = module_defaults
    return json.dumps([entry], indent=2)


@pytest.fixture(name="inventory", scope="session")
def fixture_inventory(tmp_path_factory) -> Path:
    """localhost, and domain_controllers that no connection could reach: the cloud modules run on the controller."""
    path = tmp_path_factory.mktemp("inv") / "hosts.yml"
    # Loopback addresses and a port nothing listens on: were a connection ever attempted, it would be refused at once.
    unreachable = {"ansible_connection": "winrm", "ansible_port": 9, "ansible_user": "nobody", "ansible_password": "unused-password"}
    path.write_text(json.dumps({"all": {
        "hosts": {"localhost": {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"}},
        "children": {"domain_controllers": {"hosts": {f"dc{n}.corp.example.test": {"ansible_host": f"127.77.0.{n}"} for n in (1, 2, 3)},
                                            "vars": unreachable}}}}))
    return path


@pytest.fixture(name="run")
def fixture_run(inventory):
    """run(playbook text, *extra args, env=...) with the lab_json callback (env ANSIBLE_STDOUT_CALLBACK=default for raw
    output) and the CA bundle variables set."""
    def run(text: str, *args, env: dict | None = None):
        return run_playbook(text, inventory=inventory, extra_args=args, env={**ENV_BUNDLES, **(env or {})})
    return run


@pytest.fixture(name="run_inventory")
def fixture_run_inventory(tmp_path):
    """run_inventory(config dict, *args, env=...) -> CompletedProcess of ansible-inventory on an mdi_sensors source."""
    def run_inventory(config: dict, *args, env: dict | None = None):
        path = tmp_path / "lab.mdi_sensors.yml"
        path.write_text(json.dumps({"plugin": "mdi.action_accounts.mdi_sensors", **config}))
        run_env = {**os.environ, **ENV_BUNDLES, "ANSIBLE_COLLECTIONS_PATH": str(collections_path()), "ANSIBLE_NOCOLOR": "1", **(env or {})}
        return subprocess.run([str(VENV_BIN / "ansible-inventory"), "-i", str(path), *args],
                              capture_output=True, text=True, env=run_env, check=False, timeout=300)
    return run_inventory


def assert_no_secrets(text: str, secrets: dict[str, str]) -> None:
    leaked = [name for name, value in secrets.items() if value and value in text]
    assert not leaked, f"secrets in the output: {leaked}"
    assert "Bearer " not in text, "an Authorization header value is in the output"
    # The fake login issues JWT access tokens (as Entra ID does): none may show, whatever its value.
    assert not re.search(r"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.", text), "an access token (JWT) is in the output"
