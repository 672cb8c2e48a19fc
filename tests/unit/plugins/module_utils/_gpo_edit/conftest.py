# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for the GPO settings modules' tests: a directory with one GPO and its SYSVOL folder (the user-rights
stand-ins), the GPO already holding another extension pair."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._user_rights.fakes import BASE, FakeDirectory, FakeSysvol

GUID = "{11111111-2222-3333-4444-555555555555}"
DN = f"CN={GUID},CN=Policies,CN=System,{BASE}"
OTHER_PAIR = "[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}]"  # admin templates, seeded


class Domain:
    def __init__(self):
        self.directory, self.sysvol = FakeDirectory(), FakeSysvol()
        self.directory.add_gpo(GUID, "MDI test", version=0x00010004, extensions=OTHER_PAIR)
        self.sysvol.seed(self.path("GPT.INI"), b"[General]\r\nVersion=65540\r\ndisplayName=MDI test\r\n")

    def path(self, name: str) -> str:
        return self.sysvol.gpo_path(GUID, name)

    def ad(self, attribute: str) -> str:
        return self.directory.objects[DN][attribute.lower()][0].decode()

    def ini(self) -> str:
        return self.sysvol.read(self.path("GPT.INI")).decode("latin-1")


@pytest.fixture(name="domain")
def fixture_domain():
    return Domain()
