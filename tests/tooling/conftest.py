# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared helpers for the tooling tests: the checkout, the venv's tools, the collection on a temporary
collections path, the doc fragments, and the AWX material under extensions/awx/."""
from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent.parent
VENV_BIN = Path(sys.executable).parent
AWX = REPO / "extensions" / "awx"
COLLECTION = "mdi.action_accounts"


def tool(name: str) -> str:
    """A tool of the venv that runs the tests (ansible-doc, ansible-builder, ...)."""
    path = VENV_BIN / name
    if not path.exists():
        pytest.fail(f"{name} is not in {VENV_BIN}: run the tests with the venv's Python (make venv)")
    return str(path)


@pytest.fixture(scope="session")
def collections_root(tmp_path_factory) -> Path:
    """A collections path whose only collection is this checkout, also importable as ansible_collections.mdi...."""
    root = tmp_path_factory.mktemp("collections")
    link = root / "ansible_collections" / "mdi" / "action_accounts"
    link.parent.mkdir(parents=True)
    link.symlink_to(REPO)
    sys.path.insert(0, str(root))
    yield root
    sys.path.remove(str(root))


@pytest.fixture(scope="session")
def ansible_env(collections_root) -> dict:
    return dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(collections_root), ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false",
                ANSIBLE_NOCOLOR="1", PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")


def ansible_doc(env: dict, kind: str, name: str) -> dict:
    proc = subprocess.run([tool("ansible-doc"), "--json", "-t", kind, f"{COLLECTION}.{name}"], capture_output=True, text=True,
                          env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)[f"{COLLECTION}.{name}"]


# ---------------------------------------------------------------- what the collection documents

_ENV = re.compile(r"E\(([A-Z0-9_]+)\)")
_HOST_VARIABLE = re.compile(r"C\((mdi_[a-z0-9_]+)\)")


def _documentation(path: Path) -> dict:
    """The DOCUMENTATION of a doc fragment, read without importing it."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "DOCUMENTATION" for t in node.targets):
            return yaml.safe_load(node.value.value)
    raise AssertionError(f"{path} has no DOCUMENTATION")


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def documented_names() -> dict[str, dict[str, set[str]]]:
    """Per doc fragment: the environment variables (E(...)) and host variables (C(mdi_...)) each option names."""
    result = {}
    for path in sorted((REPO / "plugins" / "doc_fragments").glob("*.py")):
        options = _documentation(path).get("options") or {}
        env, host = {}, {}
        for option, spec in options.items():
            for text in _texts(spec.get("description")):
                for name in _ENV.findall(text):
                    env.setdefault(name, set()).add(option)
                for name in _HOST_VARIABLE.findall(text):
                    host.setdefault(name, set()).add(option)
        result[path.stem] = {"env": env, "host": host}
    return result


# ---------------------------------------------------------------- AWX material


def load_yaml_files(folder: Path) -> dict[str, dict]:
    files = {path.name: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.yml"))}
    assert files, f"no YAML files in {folder}"
    return files


def role_variables() -> dict[str, tuple[str, str, dict]]:
    """Every variable of every role entry point: name -> (role, entry point, spec)."""
    found = {}
    for path in sorted((REPO / "roles").glob("*/meta/argument_specs.y*ml")):
        specs = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("argument_specs") or {}
        for entrypoint, spec in specs.items():
            for name, option in ((spec or {}).get("options") or {}).items():
                found.setdefault(name, (path.parent.parent.name, entrypoint, option or {}))
    return found
