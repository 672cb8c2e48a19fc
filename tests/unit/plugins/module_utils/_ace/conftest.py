# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures of the ad_ace tests: real Samba DACLs (shared with the _sd tests), a dict resolver, and a fake
directory whose OU and domain root hold Samba's whole descriptors."""
from __future__ import annotations

import base64
import json
import uuid
from pathlib import Path

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import sid_to_bytes
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ace.fakes import DaclDirectory
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import BASE, CONFIG, DOMAIN_SID
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import SCHEMA as SCHEMA_NC

SAMBA = Path(__file__).parent.parent / "_sd" / "fixtures" / "samba-4.22-descriptors.json"
TARGET = f"OU=MDI Lab,{BASE}"
HELPDESK_SID = f"{DOMAIN_SID}-1110"  # holds no ACE on TARGET
TITLE = "bf967a55-0de6-11d0-a285-00aa003049e2"  # attribute title: in the schema, not in the collection's table
SEND_AS = "ab721a54-1e2f-11d0-9819-00aa0040529b"  # an extended right the collection does not know
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


def _descriptor(samba, name: str) -> SecurityDescriptor:
    return SecurityDescriptor.parse(base64.b64decode(samba["descriptors"][name]["base64"]))


@pytest.fixture(name="make_directory")
def fixture_make_directory(samba, account):
    """make_directory(cls=DaclDirectory, *args): TARGET and the domain root with Samba's whole descriptors (owner, group,
    SACL, DACL); user mdiaction (``account``, Samba's SID) holds the MDI preset on TARGET, helpdesk holds nothing."""
    def make(cls=DaclDirectory, *args, **kwargs):
        directory = cls(*args, **kwargs)
        directory.add(TARGET, objectClass=["top", "organizationalUnit"])
        directory.set_descriptor(TARGET, _descriptor(samba, "ou_full"))
        directory.set_descriptor(BASE, _descriptor(samba, "domain_root_full"))
        directory.add(f"CN=mdiaction,CN=Users,{BASE}", objectClass=["top", "user"], sAMAccountName="mdiaction", objectSid=sid_to_bytes(account))
        directory.account("helpdesk", int(HELPDESK_SID.rsplit("-", 1)[1]))
        return directory
    return make


@pytest.fixture(name="directory")
def fixture_directory(make_directory):
    return make_directory()


def add_forest(directory):
    """A schema head (the phantom-root search's sentinel), attribute title and the Send As right, for GUIDs the
    collection does not know."""
    directory.add(SCHEMA_NC, objectClass=["top", "dMD"], cn="Schema")
    directory.add(f"CN=Title,{SCHEMA_NC}", objectClass=["top", "attributeSchema"], cn="Title", lDAPDisplayName="title",
                  schemaIDGUID=uuid.UUID(TITLE).bytes_le)
    directory.add(f"CN=Send-As,CN=Extended-Rights,{CONFIG}", objectClass=["top", "controlAccessRight"], cn="Send-As",
                  displayName="Send As", rightsGuid=SEND_AS, validAccesses=256)
    return directory


@pytest.fixture(name="forest")
def fixture_forest(directory):
    return add_forest(directory)
