# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for the user-rights tests: the lab's fake Windows side of the contract, a directory, a SYSVOL share."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._user_rights.fakes import FakeDirectory, FakeSysvol

LAB = Path(__file__).resolve().parents[4] / "lab"


@pytest.fixture(scope="session")
def fake_side():
    """The lab's fake hosts' modules (tests/lab/fake_winrm): the other side of docs/contracts/user_rights.md."""
    if str(LAB) not in sys.path:
        sys.path.insert(0, str(LAB))  # the fake imports its siblings (samba_seed) as top-level modules
    return importlib.import_module("fake_winrm.user_rights"), importlib.import_module("fake_winrm.host")


@pytest.fixture
def fake_host(fake_side, tmp_path):
    """A fake domain controller with a fresh state (no directory: domain names do not resolve, SIDs do)."""
    _user_rights, host = fake_side
    return host.Host({"name": "dc9", "fqdn": "dc9.corp.example.test", "domain_dns": "corp.example.test", "netbios": "CORP",
                      "state_dir": str(tmp_path / "dc9"), "directory": None})


@pytest.fixture
def directory():
    return FakeDirectory()


@pytest.fixture
def sysvol():
    return FakeSysvol()
