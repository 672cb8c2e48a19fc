# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures of the ad_ace planning tests: real Samba DACLs (shared with the _sd tests) and a dict resolver."""
from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor

SAMBA = Path(__file__).parent.parent / "_sd" / "fixtures" / "samba-4.22-descriptors.json"
# name -> (kind, GUID), as _ldap/schema.py would answer.
SCHEMA = {
    "user": ("class", "bf967aba-0de6-11d0-a285-00aa003049e2"),
    "group": ("class", "bf967a9c-0de6-11d0-a285-00aa003049e2"),
    "pwdlastset": ("attribute", "bf967a0a-0de6-11d0-a285-00aa003049e2"),
    "useraccountcontrol": ("attribute", "bf967a68-0de6-11d0-a285-00aa003049e2"),
    "member": ("attribute", "bf9679c0-0de6-11d0-a285-00aa003049e2"),
    "reset password": ("extended_right", "00299570-246d-11d0-a768-00aa006e0529"),
    "account restrictions": ("property_set", "4c164200-20c0-11d0-a768-00aa006e0529"),
    "validated-spn": ("validated_write", "f3a64788-5306-11d1-a9c5-0000f80367c1"),
}


def dict_resolver(name: str, kinds: tuple) -> str:
    kind, guid = SCHEMA.get(name.lower(), (None, None))
    if kind not in kinds:
        raise MdiError(f"no {' or '.join(kinds)} named {name!r}")
    return guid


@pytest.fixture(name="resolve")
def fixture_resolve():
    return dict_resolver


@pytest.fixture(scope="session", name="samba")
def fixture_samba():
    return json.loads(SAMBA.read_text(encoding="utf-8"))


@pytest.fixture(name="ou_dacl")
def fixture_ou_dacl(samba):
    """OU=MDI Lab's DACL as Samba stores it, read with SD_FLAGS=4 (holds the preset for ...-1102 and inherited ACEs)."""
    raw = base64.b64decode(samba["descriptors"]["ou_dacl"]["base64"])
    return SecurityDescriptor.parse(raw).dacl


@pytest.fixture(name="root_dacl")
def fixture_root_dacl(samba):
    """The domain root's DACL: no ACE for the action account."""
    raw = base64.b64decode(samba["descriptors"]["domain_root_dacl"]["base64"])
    return SecurityDescriptor.parse(raw).dacl


@pytest.fixture(name="account")
def fixture_account(samba):
    return samba["action_account_sid"]
