# -*- coding: utf-8 -*-
"""A second lab for another AD domain beside the running one, and one inventory for both domains' DCs."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
LABCTL = REPO / "tests" / "lab" / "labctl.py"
sys.path.insert(0, str(REPO / "tests" / "lab"))
sys.path.insert(0, str(REPO / ".build" / "collections"))

# pylint: disable=wrong-import-position
import inventory  # noqa: E402
import lab_domain  # noqa: E402
# Group names as the collection's mdi_sensors inventory plugin makes them, not a copy of its rule.
from ansible_collections.mdi.action_accounts.plugins.inventory.mdi_sensors import DC_GROUP, domain_group  # noqa: E402


def _labctl(directory: Path, *args: str, domain: str | None = None) -> None:
    env = {**os.environ, "MDI_LAB_DIR": str(directory)}
    env.pop(lab_domain.ENV, None)
    if domain:
        env[lab_domain.ENV] = domain
    proc = subprocess.run([sys.executable, str(LABCTL), *args], env=env, capture_output=True, text=True, timeout=300, check=False)
    if proc.returncode:
        raise RuntimeError(f"labctl {' '.join(args)} in {directory} exited {proc.returncode}: {proc.stderr[-3000:]}")


@contextlib.contextmanager
def second_lab(domain: str):
    """Samba and the fake WinRM DCs for `domain` in a temporary lab directory; yields its lab.json.

    Always stopped on the way out, whatever happened; the directory is kept only when stopping failed,
    to see what is left.
    """
    directory = Path(tempfile.mkdtemp(prefix="mdi-lab-2nd-"))  # short: Samba's socket paths live under it
    try:
        _labctl(directory, "up", "--components", "samba,winrm", domain=domain)
        yield json.loads((directory / "lab.json").read_text())
    finally:
        _labctl(directory, "down")
        shutil.rmtree(directory, ignore_errors=True)


def build_inventory(labs: dict[str, dict], portal_lab: dict) -> dict:
    """One inventory for several labs, given as {host name prefix: lab.json}.

    Each lab's DCs are named prefix + dc1.., carry their domain in mdi_domain, and sit in their domain's
    group (a child of domain_controllers) holding that domain's connection variables; the portal
    session and the Graph app are portal_lab's for all: one tenant, several domains.
    """
    groups = {}
    for prefix, lab in labs.items():
        domain = lab["samba"]["domain_dns"]
        if domain_group(domain) in groups:
            raise ValueError(f"two labs for the domain {domain}")
        hosts = {prefix + name: {**hostvars, "mdi_domain": domain} for name, hostvars in inventory.hosts(lab).items()}
        groups[domain_group(domain)] = {"hosts": hosts, "vars": inventory.domain_vars(lab)}
    return {"all": {"children": {DC_GROUP: {"children": groups, "vars": {**inventory.portal_vars(portal_lab), **inventory.graph_vars(portal_lab)}}}}}
