# -*- coding: utf-8 -*-
"""playbooks/readiness.yml against the lab. After site.yml and prerequisites.yml (the Directory Service account and one
auditing item, NTLMAuditing), the lab is broken behind the collection's back - a DC loses "Log on as a service", the DSA lands in
Domain Admins through its sensors group, the DSA's password retrieval list loses the domain controllers, the NTLM auditing
GPO loses its link - and exactly those rows turn red, each naming the role variable (or the hand fix) that repairs it,
while reading changes nothing (the lab's snapshot, and the link stays gone although the auditing role ran in check mode).
After the fix, the same rows are green."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import ldap3
import pytest
import snapshot
from behind_the_back import break_right_dc2
from conftest import gmsa_sid
from samba_dsacl import dsacl_get, put_back
from test_gpo import Samba  # pylint: disable=import-error  # samba-tool in the DC's namespace

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / ".build" / "collections"))
# pylint: disable=wrong-import-position
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.gmsa_membership import build_membership_descriptor  # noqa: E402

READINESS = (REPO / "playbooks" / "readiness.yml").read_text()
DSA, SENSORS, DELETED = "mdiRTestDSA", "mdiRTestSensors", "mdiRTestDeleted"
NTLM_GPO = "Microsoft Defender for Identity - NTLM Auditing for DCs"
# One run sets up (and later repairs) all that the report reads: the action account, the DSA, the auditing item.
SETUP = (REPO / "playbooks" / "site.yml").read_text() + (REPO / "playbooks" / "prerequisites.yml").read_text().removeprefix("---\n")
# NTLMAuditing on, every other auditing item off (they are the auditing role's tests; here they would only cost time).
ONLY_NTLM = {name: False for name in (
    "auditing_advanced_audit_policy_dcs", "auditing_processor_performance", "auditing_advanced_audit_policy_cas", "auditing_ca_auditing",
    "auditing_remote_sam", "auditing_entra_connect_auditing", "auditing_domain_object_auditing",
    "auditing_configuration_container_auditing", "auditing_adfs_auditing", "auditing_recycle_bin", "auditing_automatic")}
WATCHED = [("Log on as a service", "dc1"), ("Log on as a service", "dc2"), ("sensitive_groups", "domain"),
           ("password_retrieval", "domain"), ("deleted_objects", "domain"), ("NTLMAuditing", "domain")]


def _vars(**more) -> list[str]:
    dsa = {"directory_service_account_name": DSA, "directory_service_account_sensor_group": SENSORS,
           "directory_service_account_deleted_objects_group": DELETED, "directory_service_account_kds_backdate_for_lab": True}
    return ["-e", json.dumps({**ONLY_NTLM, **dsa, **more})]


def _delete(directory, lab, *names):
    for name in names:
        directory.search(lab["samba"]["base_dn"], f"(sAMAccountName={name})", attributes=["cn"])
        for entry in list(directory.entries):
            directory.delete(entry.entry_dn)


def _dn(directory, lab, name: str) -> str:
    directory.search(lab["samba"]["base_dn"], f"(sAMAccountName={name})", attributes=["cn"])
    return directory.entries[0].entry_dn


@pytest.fixture(name="clean")
def fixture_clean(lab, directory):
    """No test DSA or group before and after; CN=Deleted Objects, whose owner the DSA role takes, put back as it was; the
    NTLM auditing GPO deleted, with its link."""
    names = (DSA + "$", SENSORS, DELETED)
    _delete(directory, lab, *names)
    deleted_objects = f"CN=Deleted Objects,{lab['samba']['base_dn']}"
    before = dsacl_get(lab, deleted_objects)
    yield
    gpos = Samba(lab).gpos()
    if NTLM_GPO in gpos:
        Samba(lab).tool("gpo", "del", gpos[NTLM_GPO]["guid"])  # faster than the role's absent run, which its own test covers
    put_back(lab, deleted_objects, before)
    _delete(directory, lab, *names)


def _report(playbook, report_dir: Path) -> dict:
    """(item, where) -> row of the readiness report's JSON, after checking that the Markdown and HTML show the same."""
    result = playbook(READINESS, extra_args=_vars(readiness_report_dir=str(report_dir)))
    report = json.loads((report_dir / "report.json").read_text())
    assert result.rc == (0 if report["ok"] else 2), result.stderr[-3000:]
    rows = {(r["item"], r["host"] or "domain"): r for d in report["domains"] for r in d["rows"]}
    markdown = (report_dir / "report.md").read_text()
    html = (report_dir / "report.html").read_text()
    for (item, where), row in rows.items():
        assert f"| {item} | {where} | {row['status']} |" in markdown, (item, where)
    assert html.count('class="fail"') == report["counts"]["FAIL"] and "<script" not in html
    return rows


def _status(rows: dict) -> dict:
    return {key: (rows[key]["status"], rows[key]["fix_var"]) for key in WATCHED}


@pytest.mark.usefixtures("clean")
def test_readiness_turns_red_behind_the_back_and_green_after_the_fix(lab, playbook, directory, tmp_path):
    samba = Samba(lab)
    assert playbook(SETUP, extra_args=_vars()).rc == 0
    dcs_ou = f"OU=Domain Controllers,{lab['samba']['base_dn']}"
    sensors_dn, dsa_dn = _dn(directory, lab, SENSORS), _dn(directory, lab, DSA + "$")
    admins = f"CN=Domain Admins,CN=Users,{lab['samba']['base_dn']}"
    directory.modify(sensors_dn, {"member": [(ldap3.MODIFY_ADD, [dsa_dn])]})
    directory.modify(admins, {"member": [(ldap3.MODIFY_ADD, [sensors_dn])]})
    try:
        srv1 = build_membership_descriptor([lab["samba"]["computers"]["srv1"]["sid"]])
        directory.modify(dsa_dn, {"msDS-GroupMSAMembership": [(ldap3.MODIFY_REPLACE, [srv1])]})
        break_right_dc2(lab, directory, gmsa_sid(directory, lab["samba"]["base_dn"]), None)
        ntlm_guid = samba.gpos()[NTLM_GPO]["guid"]
        samba.tool("gpo", "dellink", dcs_ou, ntlm_guid)

        before = snapshot.take(lab)
        rows = _report(playbook, tmp_path)
        assert snapshot.differences(before, snapshot.take(lab)) == [], "the readiness report changed the lab"
        assert ntlm_guid not in samba.tool("gpo", "getlink", dcs_ou), "the auditing role linked the GPO: it did not run in check mode"
        assert _status(rows) == {
            ("Log on as a service", "dc1"): ("PASS", None), ("Log on as a service", "dc2"): ("FAIL", "logon_right_state"),
            ("sensitive_groups", "domain"): ("FAIL", None), ("password_retrieval", "domain"): ("FAIL", "directory_service_account_state"),
            ("deleted_objects", "domain"): ("PASS", None), ("NTLMAuditing", "domain"): ("FAIL", "auditing_ntlm_auditing")}
        assert "Domain Admins" in rows[("sensitive_groups", "domain")]["fix"]
        for key in (("NTLMAuditing", "domain"), ("password_retrieval", "domain")):
            assert "run playbooks/prerequisites.yml" in rows[key]["fix"], rows[key]
        assert rows[("AdRecycleBin", "domain")]["status"] == "SKIP" and rows[("AdfsAuditing", "domain")]["status"] == "SKIP"
        health = [r for r in rows.values() if r["section"] == "health_issues"]
        assert [r["status"] for r in health] == ["FAIL"] and "aka.ms/mdi/objectauditing" in health[0]["fix"], health
    finally:
        directory.modify(admins, {"member": [(ldap3.MODIFY_DELETE, [sensors_dn])]})  # the hand fix the report names

    assert playbook(SETUP, extra_args=_vars()).rc == 0
    rows = _report(playbook, tmp_path)
    assert _status(rows) == {key: ("PASS", None) for key in WATCHED}
    action_account = [r for r in rows.values() if r["section"] == "action_account"]
    assert action_account and all(r["status"] == "PASS" for r in action_account), action_account
