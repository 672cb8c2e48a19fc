# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for the user_right integration tests."""
from __future__ import annotations

import pytest

from user_right_lab import reset_hosts


@pytest.fixture(name="hosts")
def fixture_hosts(lab):
    """The fake DCs (name -> lab.json entry), reset before and after the test."""
    hosts = lab["winrm"]["hosts"]
    reset_hosts(hosts)
    yield hosts
    reset_hosts(hosts)


@pytest.fixture(name="alice")
def fixture_alice(lab):
    """A domain account of the lab's Samba DC: {"name": "CORP\\alice", "sid": ...}."""
    samba = lab["samba"]
    return {"name": f"{samba['netbios']}\\alice", "sid": samba["users"]["alice"]["sid"]}
