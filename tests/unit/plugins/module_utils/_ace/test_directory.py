# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for _ace/directory.py over the fake directory: DACL-only reads and writes, unreadable DACLs, names for display."""
from __future__ import annotations

import base64

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._ace.directory import (
    Namer, read_dacl_and_protected, read_descriptor, write_dacl,
)
from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import Acl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.ace import ACCESS_ALLOWED_CALLBACK_ACE_TYPE, Ace, RawAce
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SE_DACL_PRESENT, SecurityDescriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import ace_from_sddl
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ace.conftest import TARGET
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ace.fakes import ATTRIBUTE, sd_flags
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import BASE, MODIFY_REPLACE

GRANT = "(A;;RC;;;S-1-5-21-1-2-3-2001)"


def test_read_asks_for_the_dacl_only_and_gets_what_samba_sends(directory, samba):
    read = read_descriptor(directory, TARGET)
    assert (read.owner, read.group, read.sacl) == (None, None, None)
    # The fake's DACL-only view of Samba's whole descriptor is byte for byte what Samba answered with SD_FLAGS=4.
    assert read.encode() == base64.b64decode(samba["descriptors"]["ou_dacl"]["base64"])


def test_write_sends_the_dacl_only_and_the_dc_keeps_the_rest(directory):
    whole = directory.descriptor(TARGET)
    read = read_descriptor(directory, TARGET)
    dacl = Acl.parse(read.dacl.encode())
    dacl.ensure(ace_from_sddl(GRANT))
    write_dacl(directory, TARGET, read, dacl)
    [(operation, dn, changes, controls)] = directory.writes
    assert (operation, dn, list(changes)) == ("modify", TARGET, ["nTSecurityDescriptor"])
    [(replace, [sent])] = changes["nTSecurityDescriptor"]
    assert replace == MODIFY_REPLACE and sd_flags(controls) == 4
    sent = SecurityDescriptor.parse(sent)
    assert (sent.owner, sent.group, sent.sacl) == (None, None, None) and sent.dacl.encode() == dacl.encode()
    stored = directory.descriptor(TARGET)
    assert (stored.owner, stored.group, stored.sacl.encode()) == (whole.owner, whole.group, whole.sacl.encode())
    assert stored.dacl.encode() == dacl.encode()


@pytest.mark.parametrize("prepare, message", [
    (lambda d: None, f"the target OU=Nowhere,{BASE} does not exist: check target (the DN of an existing object"),
    (lambda d: d.objects[TARGET].pop(ATTRIBUTE), f"cannot read the DACL of {TARGET}: the account needs Read permissions"),
    (lambda d: d.set_descriptor(TARGET, SecurityDescriptor(control=SE_DACL_PRESENT)), f"{TARGET} has no DACL (a NULL DACL grants everyone"),
])
def test_unreadable_dacls_fail_naming_the_target(directory, prepare, message):
    prepare(directory)
    target = TARGET if "Nowhere" not in message else f"OU=Nowhere,{BASE}"
    with pytest.raises(MdiError) as failed:
        read_descriptor(directory, target)
    assert message in str(failed.value) and failed.value.details["target"] == target


def test_names_for_display(directory, account):
    namer = Namer(directory)
    described = namer.describe(ace_from_sddl(f"(OA;CIIO;CR;00299570-246d-11d0-a768-00aa006e0529;bf967aba-0de6-11d0-a285-00aa003049e2;{account})"))
    assert described["sddl"] == f"(OA;CIIO;CR;00299570-246d-11d0-a768-00aa006e0529;bf967aba-0de6-11d0-a285-00aa003049e2;{account})"
    assert "CORP\\mdiaction" in described["description"] and "Reset Password" in described["description"]
    assert not [s for s in directory.searches if "schemaIDGUID" in s[1]]  # well-known GUIDs are named without a search
    assert namer.sid_name("S-1-5-21-1-2-3-4242") is None  # a deleted account: no name, no failure
    assert namer.guid_name("11111111-2222-3333-4444-555555555555") is None


def test_aces_sddl_cannot_express_get_words_only(directory):
    callback = Ace(ACCESS_ALLOWED_CALLBACK_ACE_TYPE, 0, 0x1, "S-1-1-0", application_data=b"artx")  # a conditional ACE
    described = Namer(directory).describe(callback)
    assert described["sddl"] is None and described["description"].startswith("Allow Everyone")
    opaque = RawAce(bytes([0x14, 0, 8, 0, 1, 2, 3, 4]))  # a type this collection does not model
    assert Namer(directory).describe(opaque) == {"sddl": None, "description": "ACE of type 0x14 (8 bytes), not interpreted and kept unchanged"}
    assert Namer(directory).dacl_sddl(SecurityDescriptor(dacl=Acl([callback]))) is None


def test_the_dacl_and_the_protected_accounts_come_in_one_search_however_the_dn_is_written(directory):
    protected = directory.add(f"CN=admin,{TARGET}", objectClass=["top", "user"], adminCount=1)
    directory.objects = {dn: directory.objects[dn] for dn in sorted(directory.objects, key=lambda dn: dn != protected)}  # it comes first
    read, found = read_dacl_and_protected(directory, TARGET.lower())
    assert read.encode() == read_descriptor(directory, TARGET).encode() and found == [protected]
    assert directory.descriptor_reads[0] == (TARGET.lower(), "SUBTREE", 4, False) and len(directory.descriptor_reads) == 2  # + the check's
