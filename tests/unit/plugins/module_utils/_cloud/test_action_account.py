# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import action_account as aa
from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.errors import CloudError

DOMAIN = "corp.example.test"
MDI = {"id": f"mdiAction@{DOMAIN}", "account_name": "mdiAction", "domain": DOMAIN}
OTHER = {"id": "other@fabrikam.test", "account_name": "other", "domain": "fabrikam.test"}


def desired(state="present", name="mdiAction", use_local_system=None):
    return aa.Desired(state, aa.normalize_name(name), aa.normalize_domain(DOMAIN), use_local_system)


@pytest.mark.parametrize("given, expected", [("mdiAction", "mdiAction"), ("mdiAction$", "mdiAction"), (" gmsa-01$ ", "gmsa-01"),
                                             ("a" * 14, "a" * 14)])
def test_names_are_taken_without_the_dollar(given, expected):
    assert aa.normalize_name(given) == expected


@pytest.mark.parametrize("given, text", [("CORP\\mdiAction", "alone"), ("mdiAction@corp.example.test", "alone"), ("", "name is empty"),
                                         ("$", "name is empty"), ("a" * 15, "at most 14 characters"), ("mdi Action", "holds a space"),
                                         ("mdi*", r"characters \* are not allowed"), ("mdiAction$$", "more than one \\$")])
def test_bad_names_are_refused(given, text):
    with pytest.raises(CloudError, match=text):
        aa.normalize_name(given)


@pytest.mark.parametrize("given, expected", [("corp.example.test", "corp.example.test"), ("Corp.Example.Test.", "Corp.Example.Test"),
                                             ("corp", "corp")])
def test_domains(given, expected):
    assert aa.normalize_domain(given) == expected


@pytest.mark.parametrize("given", ["", "corp..test", "-corp.test", "corp_x.test", "CORP\\"])
def test_bad_domains_are_refused(given):
    with pytest.raises(CloudError, match="DNS name"):
        aa.normalize_domain(given)


def test_payload_is_the_portal_s_own():
    assert aa.account_payload("mdiAction", DOMAIN) == {
        "Id": "", "AccountName": "mdiAction", "DomainDnsName": DOMAIN, "AccountPassword": None,
        "IsGroupManagedServiceAccount": True, "IsSingleLabelAccountDomainName": False}
    assert aa.account_payload("mdiAction", "corp")["IsSingleLabelAccountDomainName"] is True


def test_register_turns_local_system_off_after_adding():
    result = aa.plan(desired(), [OTHER], local_system=True)
    assert result.changed
    assert result.add == aa.account_payload("mdiAction", DOMAIN)
    assert result.describe() == [f"register mdiAction@{DOMAIN}", "turn LocalSystem off"]
    assert result.diff() == {"before": {"accounts": [OTHER["id"]], "local_system": True},
                             "after": {"accounts": [MDI["id"], OTHER["id"]], "local_system": False}}
    assert result.warnings() == []


@pytest.mark.parametrize("entry", [MDI, {**MDI, "account_name": "MDIACTION$", "id": "MDIACTION$@CORP.EXAMPLE.TEST", "domain": "CORP.EXAMPLE.TEST"}])
def test_registered_account_matches_whatever_case_or_dollar(entry):
    result = aa.plan(desired(name="mdiaction$"), [entry], local_system=False)
    assert not result.changed and result.steps == []


def test_use_local_system_true_keeps_it_on_with_the_account_registered():
    assert aa.plan(desired(use_local_system=True), [MDI], local_system=True).steps == []
    result = aa.plan(desired(use_local_system=True), [MDI], local_system=False)
    assert result.steps == [("local_system", True)] and result.after_local_system is True


def test_removal_leaves_local_system_alone_while_another_account_is_left():
    result = aa.plan(desired("absent"), [MDI, OTHER], local_system=False)
    assert result.steps == [("remove", MDI["id"])] and result.after_local_system is False and result.warnings() == []


def test_removing_the_last_account_turns_local_system_back_on_first():
    result = aa.plan(desired("absent"), [MDI], local_system=False)
    assert result.describe() == ["turn LocalSystem on", f"remove {MDI['id']}"] and result.warnings() == []


def test_removing_the_last_account_with_local_system_kept_off_warns():
    result = aa.plan(desired("absent", use_local_system=False), [MDI], local_system=False)
    assert result.steps == [("remove", MDI["id"])]
    assert "no identity to run as" in result.warnings()[0]


def test_removal_turns_local_system_on_first():
    result = aa.plan(desired("absent", use_local_system=True), [MDI, OTHER], local_system=False)
    assert result.describe() == ["turn LocalSystem on", f"remove {MDI['id']}"]
    assert result.after_accounts == [OTHER] and result.warnings() == []


def test_removing_an_absent_account_changes_nothing():
    result = aa.plan(desired("absent"), [OTHER], local_system=True)
    assert not result.changed and result.diff()["before"] == result.diff()["after"]


def test_verify_accepts_what_was_planned_and_refuses_anything_else():
    want = desired()
    result = aa.plan(want, [], local_system=True)
    aa.verify(result, want, [MDI], local_system=False)
    with pytest.raises(CloudError, match="mdiAction@corp.example.test is not listed; LocalSystem is on"):
        aa.verify(result, want, [], local_system=True)
    gone = desired("absent")
    with pytest.raises(CloudError, match="is still listed"):
        aa.verify(aa.plan(gone, [MDI], False), gone, [MDI], local_system=False)


def test_manual_steps_fill_in_account_and_domain_in_order():
    steps = aa.manual_steps(desired(), "https://security.microsoft.us")
    assert steps[0].startswith("Sign in to the Microsoft Defender portal (https://security.microsoft.us)")
    assert "Settings > Identities > Manage action accounts" in steps[1]
    assert "account name 'mdiAction'" in steps[2] and f"domain '{DOMAIN}'" in steps[2]
    assert steps[3].startswith("Turn off the option to use the LocalSystem account")
    removal = aa.manual_steps(desired("absent", use_local_system=True))
    assert removal[2].startswith("Turn on") and removal[3].startswith(f"If mdiAction@{DOMAIN} is listed: select it, delete it")
