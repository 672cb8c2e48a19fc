# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every tool keeps its state under the checkout's .build/, none in the home directory: the snapshot and comparison
that `make test` and `make demo` end with (tools/run_suite.py --home-snapshot / --home-before / --home-check) see what a
tool leaves there, and the steps that run ansible-lint (with ansible-compat and ansible-playbook --syntax-check),
antsibull-docs (with ansible-doc) and ansible-galaxy write nothing at all into an empty home directory."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

from .conftest import REPO

SPEC = importlib.util.spec_from_file_location("run_suite", REPO / "tools" / "run_suite.py")
run_suite = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(run_suite)


def _write(path, text="x"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_the_snapshot_sees_what_a_tool_leaves(tmp_path):
    _write(tmp_path / ".ansible" / "collections" / "kept.txt")
    _write(tmp_path / ".ansible" / "grows.txt")
    _write(tmp_path / ".ansible" / "goes.txt")
    _write(tmp_path / "unrelated" / "file.txt")
    before = run_suite.home_state(tmp_path)
    assert ".ansible/collections/kept.txt" in before and not any(p.startswith("unrelated") for p in before)

    _write(tmp_path / ".ansible" / "tmp" / "ansible-local-1" / "x")  # created and removed again: no difference
    (tmp_path / ".ansible" / "tmp" / "ansible-local-1" / "x").unlink()
    (tmp_path / ".ansible" / "tmp" / "ansible-local-1").rmdir()
    (tmp_path / ".ansible" / "tmp").rmdir()
    _write(tmp_path / "unrelated" / "new.txt")  # outside HOME_PATHS
    assert not run_suite.home_changes(before, run_suite.home_state(tmp_path))

    _write(tmp_path / ".ansible" / "grows.txt", "longer")
    (tmp_path / ".ansible" / "goes.txt").unlink()
    _write(tmp_path / ".cache" / "ansible-compat" / "abcd" / "collections" / "c.txt")
    (tmp_path / "antsibull.log").symlink_to(tmp_path / "unrelated" / "file.txt")
    assert run_suite.home_changes(before, run_suite.home_state(tmp_path)) == [
        "added    ~/.cache/ansible-compat (and 3 below it)", "added    ~/antsibull.log", "removed  ~/.ansible/goes.txt",
        "changed  ~/.ansible/grows.txt"]


def _cli(home, *args):
    env = {**os.environ, "HOME": str(home)}
    return subprocess.run([sys.executable, str(REPO / "tools" / "run_suite.py"), *args], capture_output=True, text=True, env=env,
                          check=False, timeout=60)


def test_the_home_check_fails_on_a_difference(tmp_path):
    home, snapshot = tmp_path / "home", tmp_path / "before.json"
    home.mkdir()
    assert _cli(home, "--home-snapshot", str(snapshot)).returncode == 0
    same = _cli(home, "--home-check", str(snapshot))
    assert same.returncode == 0 and "no tool state left in the home directory" in same.stdout, same.stdout + same.stderr
    _write(home / ".ansible" / "collections" / "ansible_collections" / "mdi" / "action_accounts" / "galaxy.yml")
    changed = _cli(home, "--home-check", str(snapshot))
    assert changed.returncode == 1, changed.stdout + changed.stderr
    assert "added    ~/.ansible (and 5 below it)" in changed.stdout
    assert "tools left state in the home directory (6 paths)" in changed.stdout


def test_lint_docs_lint_and_build_leave_the_home_directory_alone(tmp_path):
    """The steps run as make runs them (the Makefile sets each tool's state directory), with an empty home directory."""
    home = tmp_path / "home"
    home.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE")}
    env["HOME"] = str(home)
    proc = subprocess.run(["make", "--no-print-directory", "lint", "docs-lint", "build"], cwd=REPO, capture_output=True, text=True,
                          env=env, check=False, timeout=1800)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    left = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    assert not left, f"the steps wrote into the home directory: {left[:30]}"
    assert (REPO / ".build" / "ansible-home").is_dir(), "ansible's state is not under .build/ansible-home"
