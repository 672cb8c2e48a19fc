# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures shared by the security-descriptor tests: real descriptors from Samba and Windows, MS-DTYP's example."""
from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def _load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def samba():
    """Samba 4.22 descriptors: {"domain_sid", "action_account_sid", "descriptors": {name: {...}}}, with "raw" bytes added."""
    data = _load("samba-4.22-descriptors.json")
    for item in data["descriptors"].values():
        item["raw"] = base64.b64decode(item["base64"])
    return data


@pytest.fixture(scope="session")
def windows_gmsa():
    """msDS-GroupMSAMembership written by a Windows Server 2019 DC, with "raw" bytes added."""
    data = _load("windows-gmsa-membership.json")
    data["raw"] = base64.b64decode(data["base64"])
    return data


@pytest.fixture(scope="session")
def ms_dtyp_example():
    """The SDDL -> binary example of MS-DTYP 2.5.1.4, with "raw" bytes added."""
    data = _load("ms-dtyp-2.5.1.4.json")
    data["raw"] = bytes.fromhex(data["hex"])
    return data
