# -*- coding: utf-8 -*-
"""verify.yml with verify_remediation_canary against the lab: MDI really disables, enables and resets a canary, carried
out by the lab's sensor on dc1 as the registered gMSA (v2 sensors; Samba's own access checks decide) or as LocalSystem
(v3), each effect read back over LDAP by the test itself and the fake's action log naming the identity that acted.
Then each seed step is broken behind the collection's back and the remediation row names that step; site.yml repairs
it and the proof passes again."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import ldap3
import pytest
import requests
from ldap3.protocol.microsoft import security_descriptor_control

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "tests" / "lab"))

import fake_winrm_hosts  # noqa: E402  pylint: disable=wrong-import-position
from conftest import gmsa_sid  # noqa: E402  pylint: disable=wrong-import-position,wrong-import-order
from test_verify_playbook import _rows  # noqa: E402  pylint: disable=wrong-import-position

sys.path.insert(0, str(REPO / ".build" / "collections"))
# pylint: disable=wrong-import-position
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import Acl  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.gmsa_membership import build_membership_descriptor  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.presets import mdi_action_account_aces  # noqa: E402

SITE = (REPO / "playbooks" / "site.yml").read_text()
VERIFY = (REPO / "playbooks" / "verify.yml").read_text()
CANARY = "mdi-canary"
DACL_ONLY = security_descriptor_control(sdflags=0x04)
UAC_ACE = 2  # the preset's third ACE: read/write userAccountControl on users


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


def _break_ace(lab, directory, sid, _cloud):
    base = lab["samba"]["base_dn"]
    directory.search(base, "(objectClass=*)", search_scope="BASE", attributes=["nTSecurityDescriptor"], controls=DACL_ONLY)
    sd = SecurityDescriptor.parse(directory.response[0]["raw_attributes"]["nTSecurityDescriptor"][0])
    gone = mdi_action_account_aces(sid)[UAC_ACE]
    sd.dacl = Acl([ace for ace in sd.dacl if ace != gone], revision=sd.dacl.revision)
    directory.modify(base, {"nTSecurityDescriptor": [(ldap3.MODIFY_REPLACE, [sd.encode()])]}, controls=DACL_ONLY)
    return f"step 3: MDI permissions missing on {base}"


def _break_retrieval(lab, directory, _sid, _cloud):
    directory.search(lab["samba"]["base_dn"], "(sAMAccountName=mdiAction$)", attributes=["cn"])
    membership = build_membership_descriptor([lab["samba"]["computers"]["srv1"]["sid"]])
    directory.modify(directory.entries[0].entry_dn, {"msDS-GroupMSAMembership": [(ldap3.MODIFY_REPLACE, [membership])]})
    return "step 1: the acting domain controller dc1."


def _break_right(lab, _directory, sid, _cloud):
    host = lab["winrm"]["hosts"]["dc1"]
    state = fake_winrm_hosts.state(host)
    rights = state["rights"]
    fake_winrm_hosts.write_state(host, dict(state, rights={**rights, "SeServiceLogonRight": [s for s in rights["SeServiceLogonRight"] if s != sid]}))
    return 'step 2: "Log on as a service" on the acting domain controller dc1'


def _break_registration(_lab, _directory, _sid, cloud):
    portal = cloud.portal_args()
    session = requests.Session()
    session.cookies.set("sccauth", portal["portal_sccauth"])
    session.cookies.set("XSRF-TOKEN", portal["portal_xsrf_token"])
    answer = session.post(f"{portal['portal_url']}/odata/EntityRemediatorCredentials/delete", json={"id": "mdiAction@corp.example.test"},
                          headers={"X-XSRF-TOKEN": requests.utils.unquote(portal["portal_xsrf_token"])}, verify=portal["ca_cert"], timeout=10)
    answer.raise_for_status()
    assert cloud.state()["local_system"] is False
    return "step 4: no action account is registered for corp.example.test and LocalSystem is off"


def _break_generation(_lab, _directory, _sid, cloud):
    cloud.settings(sensor_generation="v3")  # the gMSA stays registered with LocalSystem off, as before the upgrade
    return "is configured while the acting sensor dc1.corp.example.test is v3.x or migrating"


def _break_gpo(lab, _directory, _sid, _cloud):
    host = lab["winrm"]["hosts"]["dc1"]
    gpo = {"gpo_name": "Default Domain Controllers Policy", "gpo_guid": "{6AC1786C-016F-11D2-945F-00C04FB984F9}", "members": ["*S-1-5-80-0"]}
    fake_winrm_hosts.write_state(host, dict(fake_winrm_hosts.state(host), gpo_rights={"SeServiceLogonRight": gpo}))
    return 'step 2: "Log on as a service" on the acting domain controller dc1: the GPO defines the right without the account'


BREAKERS = {"ace": _break_ace, "retrieval": _break_retrieval, "right": _break_right, "gpo": _break_gpo,
            "registration": _break_registration, "generation": _break_generation}


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
