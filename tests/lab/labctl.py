# -*- coding: utf-8 -*-
"""Start, stop and describe the lab: `python tests/lab/labctl.py up|down|status`.

`up --components samba,winrm` starts only those (a second domain's DCs need no cloud of their own);
MDI_LAB_DOMAIN picks the lab's AD domain (lab_domain.py), recorded in lab.json as "domain";
`up --sensors v2|v3|mixed|migrating` the MDI sensor generation the fake cloud serves, recorded as
"sensor_generation" (fake_cloud/generations.py).

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
import lab_domain  # noqa: E402  pylint: disable=wrong-import-position
import samba_dc  # noqa: E402  pylint: disable=wrong-import-position
from fake_cloud import generations  # noqa: E402  pylint: disable=wrong-import-position
from pki import LabPKI  # noqa: E402  pylint: disable=wrong-import-position

COMPONENTS = [("samba", samba_dc), ("winrm", fake_winrm_hosts), ("cloud", fake_cloud_service)]
ALL = [key for key, _component in COMPONENTS]


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


def _selected(names: list) -> list:
    unknown = sorted(set(names) - set(ALL))
    if unknown or not names:
        raise SystemExit(f"lab: unknown or no components {unknown}; choose from {', '.join(ALL)}")
    return [(key, component) for key, component in COMPONENTS if key in names]  # dependency order, whatever was asked


def up(directory: Path, names: list | None = None, sensors: str = generations.DEFAULT) -> dict:
    if load(directory).get("components"):
        raise SystemExit(f"lab already up in {directory}: run `make lab-down` first")
    selected = _selected(ALL if names is None else names)
    if sensors not in generations.GENERATIONS:
        raise SystemExit(f"lab: unknown sensor generation {sensors!r}; choose from {', '.join(generations.GENERATIONS)}")
    try:
        domain = lab_domain.from_env()  # before anything starts: a bad MDI_LAB_DOMAIN leaves nothing behind
    except ValueError as exc:
        raise SystemExit(f"lab: {exc}") from None
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "inventory.yml").unlink(missing_ok=True)  # an earlier lab's, which a subset would not rewrite
    for sub in ("logs", "pids"):
        (directory / sub).mkdir(exist_ok=True)
    pki = LabPKI(directory)
    # Recorded before any component starts: the cloud reads the generation from it.
    lab: dict = {"lab_dir": str(directory), "ca_cert": str(pki.ca_cert_path), "domain": domain.dns, "sensor_generation": sensors,
                 "components": []}
    _save(directory, lab)
    for key, component in selected:
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
    if has_inventory(lab):
        inventory.write(lab, directory)
    return lab


def has_inventory(lab: dict) -> bool:
    """The inventory needs both the DC's LDAP and the WinRM hosts."""
    return {"samba", "winrm"} <= set(lab.get("components", []))


def down(directory: Path) -> None:
    """Stop the lab in ``directory``, and first the labs of make integration's other workers in it (xdist-gw1, ...),
    which a killed test run leaves up."""
    for worker in sorted(directory.glob("xdist-*")):
        if load(worker).get("components"):
            print(f"lab: stopping the test worker's lab in {worker}")
            down(worker)
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
    print(f"lab: up in {directory}: {', '.join(lab['components'])}; domain {lab_domain.of(lab).dns}; "
          f"sensors {lab.get('sensor_generation', generations.DEFAULT)}")
    if has_inventory(lab):
        print(f"  inventory: {directory / 'inventory.yml'}")
    return 0


def parser() -> argparse.ArgumentParser:
    result = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    result.add_argument("action", choices=["up", "down", "status"])
    result.add_argument("--components", default=",".join(ALL), help=f"with up: which to start (default {','.join(ALL)})")
    result.add_argument("--sensors", choices=generations.GENERATIONS, default=generations.DEFAULT,
                        help=f"with up: the MDI sensor generation the fake cloud serves (default {generations.DEFAULT})")
    return result


def main() -> int:
    args = parser().parse_args()
    directory = lab_dir()
    if args.action == "up":
        started = time.monotonic()
        lab = up(directory, [name.strip() for name in args.components.split(",") if name.strip()], args.sensors)
        written = f"inventory {directory / 'inventory.yml'}" if has_inventory(lab) else "no inventory (needs samba and winrm)"
        print(f"lab: up in {time.monotonic() - started:.1f} s; {written}")
        return 0
    if args.action == "down":
        down(directory)
        return 0
    return status(directory)


if __name__ == "__main__":
    sys.exit(main())
