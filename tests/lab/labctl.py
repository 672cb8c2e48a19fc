# -*- coding: utf-8 -*-
"""Start, stop and describe the lab: `python tests/lab/labctl.py up|down|status`.

Components start in dependency order (the Samba DC first: dc1's fake WinRM host lives in its
network namespace, and the fake cloud lists the WinRM hosts as sensors) and stop in reverse.
`lab.json` is rewritten after every component, so `down` stops exactly what `up` started even
when `up` failed half-way.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import fake_cloud_service  # noqa: E402  pylint: disable=wrong-import-position
import fake_winrm_hosts  # noqa: E402  pylint: disable=wrong-import-position
import inventory  # noqa: E402  pylint: disable=wrong-import-position
import samba_dc  # noqa: E402  pylint: disable=wrong-import-position
from pki import LabPKI  # noqa: E402  pylint: disable=wrong-import-position

COMPONENTS = [("samba", samba_dc), ("winrm", fake_winrm_hosts), ("cloud", fake_cloud_service)]


def lab_dir() -> Path:
    return Path(os.environ.get("MDI_LAB_DIR", HERE.parent.parent / ".lab")).resolve()


def _lab_file(directory: Path) -> Path:
    return directory / "lab.json"


def _save(directory: Path, lab: dict) -> None:
    path = _lab_file(directory)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(lab, indent=2, sort_keys=True))
    tmp.chmod(0o600)
    tmp.replace(path)


def load(directory: Path | None = None) -> dict:
    path = _lab_file(directory or lab_dir())
    return json.loads(path.read_text()) if path.exists() else {}


def up(directory: Path) -> dict:
    if load(directory).get("components"):
        raise SystemExit(f"lab already up in {directory}: run `make lab-down` first")
    directory.mkdir(parents=True, exist_ok=True)
    for sub in ("logs", "pids"):
        (directory / sub).mkdir(exist_ok=True)
    pki = LabPKI(directory)
    lab: dict = {"lab_dir": str(directory), "ca_cert": str(pki.ca_cert_path), "components": []}
    _save(directory, lab)
    for key, component in COMPONENTS:
        started = time.monotonic()
        try:
            lab[key] = component.start(lab, directory, pki)
        except BaseException:
            print(f"lab: {key} failed to start; stopping what was started", file=sys.stderr)
            down(directory)
            raise
        lab["components"].append(key)
        _save(directory, lab)
        print(f"lab: {key} up in {time.monotonic() - started:.1f} s")
    inventory.write(lab, directory)
    return lab


def down(directory: Path) -> None:
    lab = load(directory)
    errors = []
    for key, component in reversed(COMPONENTS):
        if key not in lab.get("components", []) or key not in lab:
            continue
        try:
            component.stop(lab[key])
        except Exception as exc:  # keep stopping the others; report at the end
            errors.append(f"{key}: {exc}")
        lab["components"].remove(key)
        _save(directory, lab)
        print(f"lab: {key} stopped")
    if errors:
        raise SystemExit("lab: some components did not stop cleanly: " + "; ".join(errors))


def status(directory: Path) -> int:
    lab = load(directory)
    if not lab.get("components"):
        print(f"lab: not running ({directory})")
        return 1
    print(f"lab: up in {directory}: {', '.join(lab['components'])}")
    print(f"  inventory: {directory / 'inventory.yml'}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["up", "down", "status"])
    args = parser.parse_args()
    directory = lab_dir()
    if args.action == "up":
        started = time.monotonic()
        up(directory)
        print(f"lab: up in {time.monotonic() - started:.1f} s; inventory {directory / 'inventory.yml'}")
        return 0
    if args.action == "down":
        down(directory)
        return 0
    return status(directory)


if __name__ == "__main__":
    sys.exit(main())
