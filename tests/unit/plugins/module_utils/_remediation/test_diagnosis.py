# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Why an MDI action did not show: each break of Microsoft's procedure is named, and only that one."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._remediation.diagnosis import acting_sensor, diagnose

DOMAIN = "corp.example.test"
BASE = "DC=corp,DC=example,DC=test"
CANARY = f"CN=canary,OU=Users,OU=MDI Lab,{BASE}"
DOMAIN_SID = "S-1-5-21-1-2-3"


def sensor(name, version="2.250.1.1", domain=DOMAIN, **extra):
    return {"name": name.split(".")[0].upper(), "host_name": name, "domain": domain, "type": "domainControllerIntegrated",
            "version": version, **extra}


def context(**changes):
    """A healthy gMSA setup on v2 sensors; ``changes`` break one thing."""
    base = {
        "account_name": "mdiAction",
        "identity": {"identity": "gmsa", "conflicts": [], "sensors": [sensor("dc2.corp.example.test"), sensor("dc1.corp.example.test")],
                     "portal": {"accounts": [{"id": f"mdiAction@{DOMAIN}", "account_name": "mdiAction", "domain": DOMAIN, "gmsa": True}],
                                "local_system": False}},
        "account": {"dn": f"CN=mdiAction,CN=Managed Service Accounts,{BASE}", "sid": f"{DOMAIN_SID}-1112"},
        "retrieval_principals": [{"sid": f"{DOMAIN_SID}-516", "name": "CORP\\Domain Controllers", "reason": None}],
        "delegation": [{"target": BASE, "missing": []}],
        "rights": [{"subject": "dc1", "ok": True, "source": "local policy", "detail": "granted"},
                   {"subject": "dc2", "ok": True, "source": "local policy", "detail": "granted"}],
    }
    for key, value in changes.items():
        base[key] = value
    return {"domain": DOMAIN, **base}


def test_the_acting_sensor_is_the_domains_first_dc_sensor_by_name():
    assert acting_sensor(context()["identity"], DOMAIN)["name"] == "dc1.corp.example.test"
    assert acting_sensor(context()["identity"], "other.test") is None


def test_nothing_found_says_so():
    assert diagnose(context(), CANARY, False) == ["no cause found in what verify can read: look at the sensors' health issues below"]


def test_a_missing_ace_on_the_covering_target_is_step_3():
    causes = diagnose(context(delegation=[{"target": BASE, "missing": ["(OA;CIIO;RPWP;bf967a68-...;S-1-5-21-1-2-3-1112)"]}]), CANARY, False)
    assert causes == [f"step 3: MDI permissions missing on {BASE}: (OA;CIIO;RPWP;bf967a68-...;S-1-5-21-1-2-3-1112)"]


def test_a_canary_outside_every_target_is_step_3():
    ou = f"OU=Elsewhere,{BASE}"
    causes = diagnose(context(delegation=[{"target": ou, "missing": []}]), CANARY, False)
    assert causes == [f"step 3: {CANARY} is under none of the delegation targets ({ou})"]


def test_the_acting_dc_out_of_the_retrieval_list_is_step_1():
    causes = diagnose(context(retrieval_principals=[{"sid": f"{DOMAIN_SID}-1105", "name": "CORP\\srv1$", "reason": "not a DC"}]),
                      CANARY, False)
    assert len(causes) == 1 and causes[0].startswith("step 1: the acting domain controller dc1.corp.example.test cannot retrieve")
    # The DC's own computer account in the list is as good as the Domain Controllers group.
    assert diagnose(context(retrieval_principals=[{"sid": f"{DOMAIN_SID}-1000", "name": "CORP\\DC1$", "reason": None}]),
                    CANARY, False)[0].startswith("no cause found")


def test_the_right_missing_on_the_acting_dc_is_step_2_and_on_another_dc_is_not():
    rights = [{"subject": "dc1", "ok": False, "source": "GPO Default Domain Controllers Policy", "detail": "the GPO defines it without"},
              {"subject": "dc2", "ok": True, "source": "local policy", "detail": "granted"}]
    causes = diagnose(context(rights=rights), CANARY, False)
    assert causes == ['step 2: "Log on as a service" on the acting domain controller dc1: the GPO defines it without'
                      " (GPO Default Domain Controllers Policy)"]
    rights = [dict(rights[1], subject="dc1"), dict(rights[0], subject="dc2")]
    assert diagnose(context(rights=rights), CANARY, False)[0].startswith("no cause found")


def test_no_registration_with_local_system_off_is_step_4():
    identity = dict(context()["identity"], portal={"accounts": [], "local_system": False})
    assert diagnose(context(identity=identity), CANARY, False) == [
        f"step 4: no action account is registered for {DOMAIN} and LocalSystem is off: the sensors have no identity"]


def test_a_gmsa_with_a_v3_acting_sensor_is_named_with_microsofts_statement():
    identity = dict(context()["identity"], sensors=[sensor("dc1.corp.example.test", "3.11.0.1")], conflicts=["dc1.corp.example.test"])
    [cause] = diagnose(context(identity=identity), CANARY, False)
    assert "is v3.x or migrating" in cause and "does not support gMSA action accounts" in cause


def test_local_system_on_skips_the_gmsa_chain():
    identity = dict(context()["identity"], portal={"accounts": [], "local_system": True})
    assert diagnose(context(identity=identity, rights=[{"subject": "dc1", "ok": False}]), CANARY, False)[0].startswith("no cause")


@pytest.mark.parametrize("changes, text", [
    ({"account": None}, "step 1: the gMSA mdiAction does not exist"),
    ({"identity": {"sensors": [], "conflicts": [], "msg": "portal 401"}}, "no domain-controller sensor of corp.example.test"),
])
def test_more_causes(changes, text):
    assert any(text in cause for cause in diagnose(context(**changes), CANARY, False))


def test_a_protected_canary_comes_first():
    causes = diagnose(context(), CANARY, True)
    assert "adminCount=1" in causes[0]


def test_an_unread_portal_is_said():
    identity = {k: v for k, v in context()["identity"].items() if k != "portal"}
    assert any("could not be read" in c for c in diagnose(context(identity=identity), CANARY, False))


def test_a_v3_sensor_other_than_the_acting_one_is_named_as_such():
    identity = dict(context()["identity"], conflicts=["dc9.child.example.test"])
    [cause] = diagnose(context(identity=identity), CANARY, False)
    assert "while dc9.child.example.test of the tenant are v3.x or migrating" in cause
