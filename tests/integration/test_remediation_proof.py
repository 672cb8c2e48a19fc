# -*- coding: utf-8 -*-
"""verify.yml with verify_remediation_canary against the lab: MDI really disables, enables and resets a canary, carried
out by the lab's sensor on dc1 as the registered gMSA (v2 sensors; Samba's own access checks decide) or as LocalSystem
(v3), each effect read back over LDAP by the test itself and the fake's action log naming the identity that acted.
Then each seed step is broken behind the collection's back and the remediation row names that step; site.yml repairs
it and the proof passes again."""
from __future__ import annotations

import json
from pathlib import Path

import ldap3
import pytest

import behind_the_back
import fake_winrm_hosts  # tests/lab, put on sys.path by behind_the_back
from conftest import gmsa_sid  # pylint: disable=wrong-import-order
from test_verify_playbook import _rows

REPO = Path(__file__).resolve().parent.parent.parent
SITE = (REPO / "playbooks" / "site.yml").read_text()
VERIFY = (REPO / "playbooks" / "verify.yml").read_text()
CANARY = "mdi-canary"


@pytest.fixture(name="canary", scope="module")
def fixture_canary(lab):
    """The canary's DN (created by the first verify run in OU=Users,OU=MDI Lab); deleted after this module."""
    dn = f"CN={CANARY},{lab['samba']['ous']['users']}"
    yield dn
    samba = lab["samba"]
    tls = ldap3.Tls(ca_certs_file=lab["ca_cert"])
    with ldap3.Connection(ldap3.Server(samba["ip"], port=636, use_ssl=True, tls=tls), samba["admin_upn"], samba["admin_password"],
                          auto_bind=True) as conn:
        conn.delete(dn)


def _verify(playbook, lab, tmp_path, timeout=30):
    extra = {"verify_report_dir": str(tmp_path), "verify_remediation_canary": CANARY, "verify_remediation_canary_create": True,
             "verify_remediation_canary_path": lab["samba"]["ous"]["users"], "verify_remediation_timeout": timeout}
    result = playbook(VERIFY, extra_args=["-e", json.dumps(extra)])
    return result, _rows((tmp_path / "report.md").read_text())


def _canary_state(directory, dn) -> tuple[bool, int]:
    directory.search(dn, "(objectClass=*)", search_scope="BASE", attributes=["userAccountControl", "pwdLastSet"])
    return not int(directory.entries[0].userAccountControl.value) & 2, int(directory.entries[0].pwdLastSet.raw_values[0])


def _actions(cloud) -> list[dict]:
    return cloud._control("GET", "actions")  # pylint: disable=protected-access  # the fake's own outcome log


def test_v2_the_gmsa_proves_all_three_actions(lab, playbook, directory, cloud, canary, tmp_path):
    assert playbook(SITE).rc == 0
    result, rows = _verify(playbook, lab, tmp_path)
    assert result.rc == 0, result.stderr[-3000:]
    assert rows["remediation"][0] == "PASS" and "by the action account mdiAction@corp.example.test" in rows["remediation"][1]
    outcomes = _actions(cloud)
    assert [(o["action"], o["identity"], o["ok"]) for o in outcomes] == [
        ("disable", "gmsa:mdiAction$", True), ("enable", "gmsa:mdiAction$", True), ("forcePasswordReset", "gmsa:mdiAction$", True)]
    enabled, pwd_last_set = _canary_state(directory, canary)
    assert enabled and pwd_last_set != 0, "the canary was not left as it was found"


def test_v3_local_system_proves_all_three_actions(lab, playbook, directory, cloud, canary, tmp_path):
    cloud.settings(sensor_generation="v3")
    try:
        assert playbook(SITE).rc == 0
        result, rows = _verify(playbook, lab, tmp_path)
        assert result.rc == 0, result.stderr[-3000:]
        assert rows["remediation"][0] == "PASS" and "by LocalSystem" in rows["remediation"][1]
        assert {(o["identity"], o["ok"]) for o in _actions(cloud)} == {("LocalSystem", True)} and len(_actions(cloud)) == 3
        assert _canary_state(directory, canary)[0]
    finally:
        cloud.reset()
        assert playbook(SITE).rc == 0


BREAKERS = {"ace": behind_the_back.break_ace, "retrieval": behind_the_back.break_retrieval, "right": behind_the_back.break_right,
            "gpo": behind_the_back.break_gpo, "registration": behind_the_back.break_registration,
            "generation": behind_the_back.break_generation}


@pytest.mark.parametrize("name", sorted(BREAKERS))
def test_each_broken_step_is_named_and_site_repairs_it(name, lab, playbook, directory, cloud, canary, tmp_path):
    assert playbook(SITE).rc == 0
    sid = gmsa_sid(directory, lab["samba"]["base_dn"])
    dc1 = lab["winrm"]["hosts"]["dc1"]
    dc1_state = fake_winrm_hosts.state(dc1)
    expected = BREAKERS[name](lab, directory, sid, cloud)
    try:
        result, rows = _verify(playbook, lab, tmp_path, timeout=6)
        assert result.rc != 0
        assert rows["remediation"][0] == "FAIL" and expected in rows["remediation"][1], rows["remediation"]
        assert not any(o["ok"] for o in _actions(cloud)[-1:]), "the fake sensor succeeded where it should not"
        assert _canary_state(directory, canary)[0], "a failed proof must still leave the canary enabled"
    finally:
        fake_winrm_hosts.write_state(dc1, dc1_state)  # a GPO is not the collection's to remove here
        cloud.settings(sensor_generation="v2")
        assert playbook(SITE).rc == 0
    result, rows = _verify(playbook, lab, tmp_path)
    assert result.rc == 0 and rows["remediation"][0] == "PASS", rows.get("remediation")


def test_a_protected_canary_is_named(lab, playbook, cloud, directory, tmp_path):
    assert playbook(SITE).rc == 0
    extra = {"verify_report_dir": str(tmp_path), "verify_remediation_canary": "protected1", "verify_remediation_timeout": 6}
    result = playbook(VERIFY, extra_args=["-e", json.dumps(extra)])
    rows = _rows((tmp_path / "report.md").read_text())
    assert result.rc != 0 and rows["remediation"][0] == "FAIL"
    assert "Diagnosis: " + lab["samba"]["users"]["protected1"]["dn"] + " is a protected account (adminCount=1)" in rows["remediation"][1]
    assert _actions(cloud)[0]["ok"] is False and _canary_state(directory, lab["samba"]["users"]["protected1"]["dn"])[0]
