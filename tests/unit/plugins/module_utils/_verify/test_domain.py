# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import datetime

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import Acl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.gmsa_membership import build_membership_descriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.presets import MDI_ACTION_ACCOUNT_SDDL, mdi_action_account_aces
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import ace_from_sddl
from ansible_collections.mdi.action_accounts.plugins.module_utils._verify import domain
from ansible_collections.mdi.action_accounts.plugins.module_utils._verify.task import judge
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._ldap.fakes import BASE, DOMAIN_SID, FakeClient

GMSA_SID = f"{DOMAIN_SID}-1105"
DC_GROUP_SID = f"{DOMAIN_SID}-516"
NOW = datetime.datetime(2026, 11, 27, tzinfo=datetime.timezone.utc)
OTHER_ACE = "(A;;RP;;;AU)"


def _directory(retrieval=(DC_GROUP_SID,), root_aces=()) -> FakeClient:
    client = FakeClient()
    client.account("Domain Controllers", 516, classes=("top", "group"))
    client.account("srv1$", 1200, classes=("top", "person", "user", "computer"), userAccountControl=4096)
    client.account("mdiAction$", 1105, container="CN=Managed Service Accounts",
                   classes=("top", "person", "user", "computer", "msDS-GroupManagedServiceAccount"),
                   userAccountControl=4096,
                   **{"msDS-SupportedEncryptionTypes": 24, "msDS-GroupMSAMembership": build_membership_descriptor(retrieval)})
    dacl = Acl([ace_from_sddl(OTHER_ACE), *root_aces])
    client.objects[BASE]["ntsecuritydescriptor"] = [SecurityDescriptor(dacl=dacl).encode()]
    return client


def test_complete_setup_passes_every_check():
    found = domain.read_domain(_directory(root_aces=mdi_action_account_aces(GMSA_SID)), "mdiAction", [], True, NOW)
    assert found["account"]["sid"] == GMSA_SID and found["account"]["kerberos_encryption_types"] == ["aes128", "aes256"]
    assert found["delegation"] == [{"target": BASE, "missing": []}]
    verdicts = judge("mdiAction", found)
    assert [c for c in verdicts if not c["ok"]] == [c for c in verdicts if c["area"] == "kds"]  # the fake forest has no key


def test_missing_group_ace_is_reported_unless_groups_are_left_out():
    client = _directory(root_aces=mdi_action_account_aces(GMSA_SID)[:3])
    [with_groups] = domain.read_delegation(client, GMSA_SID, [], True)
    assert len(with_groups["missing"]) == 1 and "bf9679c0-0de6-11d0-a285-00aa003049e2" in with_groups["missing"][0].lower()
    assert domain.read_delegation(client, GMSA_SID, [], False) == [{"target": BASE, "missing": []}]


def test_inherited_copies_do_not_count_as_explicit_aces():
    # The same four ACEs as a child of the delegated object holds them: inherited (ID), not granted there.
    inherited = [ace_from_sddl(template.replace(";CIIO;", ";CIIOID;").format(sid=GMSA_SID)) for template in MDI_ACTION_ACCOUNT_SDDL]
    [result] = domain.read_delegation(_directory(root_aces=inherited), GMSA_SID, [], True)
    assert len(result["missing"]) == 4


def test_non_dc_retrieval_is_flagged():
    principals = domain.read_retrieval(_directory(), build_membership_descriptor([DC_GROUP_SID, f"{DOMAIN_SID}-1200"]))
    reasons = {p["sid"]: p["reason"] for p in principals}
    assert reasons[DC_GROUP_SID] is None
    assert "not a domain controller" in reasons[f"{DOMAIN_SID}-1200"]


def test_unknown_sid_in_the_membership_is_flagged():
    [principal] = domain.read_retrieval(_directory(), build_membership_descriptor([f"{DOMAIN_SID}-4242"]))
    assert principal["name"] is None and "does not resolve" in principal["reason"]


def test_absent_account_reads_as_none_and_every_target_misses_everything():
    client = FakeClient()
    client.objects[BASE]["ntsecuritydescriptor"] = [SecurityDescriptor(dacl=Acl([ace_from_sddl(OTHER_ACE)])).encode()]
    found = domain.read_domain(client, "mdiAction$", ["OU=X," + BASE], True, NOW)
    assert found["account"] is None and found["retrieval_principals"] == []
    assert found["delegation"] == [{"target": "OU=X," + BASE, "missing": None}]
