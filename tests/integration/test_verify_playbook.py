# -*- coding: utf-8 -*-
"""playbooks/verify.yml against the lab: after the site playbook every check passes and the report says so;
then the lab is broken behind the collection's back (a DC loses the right, a GPO on another DC defines it
without the account, a member server may retrieve the password, the portal forgets the account) and the
report shows exactly those rows in red, the run fails, and nothing was changed by verifying."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import ldap3

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "tests" / "lab"))

import fake_winrm_hosts  # noqa: E402  pylint: disable=wrong-import-position
from samba_seed import sid_string  # noqa: E402  pylint: disable=wrong-import-position

sys.path.insert(0, str(REPO / ".build" / "collections"))
# pylint: disable=wrong-import-position
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.gmsa_membership import build_membership_descriptor  # noqa: E402

SITE = (REPO / "playbooks" / "site.yml").read_text()
VERIFY = (REPO / "playbooks" / "verify.yml").read_text()
RIGHT = "SeServiceLogonRight"
ROW = re.compile(r"^\| (?P<subject>[^|]+) \| (?P<result>PASS|FAIL) \| (?P<rest>.*)\|$")


def _rows(report: str) -> dict[str, tuple[str, str]]:
    rows = {}
    for line in report.splitlines():
        match = ROW.match(line)
        if match:
            rows[match["subject"].strip()] = (match["result"], match["rest"])
    return rows


def _gmsa(directory, lab):
    directory.search(lab["samba"]["base_dn"], "(sAMAccountName=mdiAction$)", attributes=["objectSid"])
    return directory.entries[0].entry_dn, sid_string(directory.entries[0].objectSid.raw_values[0])


def test_verify_passes_then_reports_each_break(lab, playbook, directory, cloud, tmp_path):
    hosts = lab["winrm"]["hosts"]
    assert playbook(SITE).rc == 0
    report_dir = tmp_path / "report"
    states = {name: fake_winrm_hosts.state(host) for name, host in hosts.items()}

    good = playbook(VERIFY, extra_args=["-e", f"verify_report_dir={report_dir}"])
    assert good.rc == 0, good.stderr[-3000:]
    markdown = (report_dir / "report.md").read_text()
    rows = _rows(markdown)
    assert "All checks passed" in markdown
    assert {name: rows[name][0] for name in hosts} == {name: "PASS" for name in hosts}
    assert rows["Defender portal"][0] == "PASS" and rows["gMSA mdiAction password retrieval"][0] == "PASS"
    html = (report_dir / "report.html").read_text()
    assert html.count('class="pass"') == len(rows) and 'class="fail"' not in html and "<script" not in html
    assert {name: fake_winrm_hosts.state(host) for name, host in hosts.items()} == states, "verifying changed a host"

    dn, sid = _gmsa(directory, lab)
    try:
        broken = dict(states["dc2"], rights={**states["dc2"]["rights"], RIGHT: [s for s in states["dc2"]["rights"][RIGHT] if s != sid]})
        fake_winrm_hosts.write_state(hosts["dc2"], broken)
        gpo = {"gpo_name": "Default Domain Controllers Policy", "gpo_guid": "{6AC1786C-016F-11D2-945F-00C04FB984F9}", "members": ["*S-1-5-80-0"]}
        fake_winrm_hosts.write_state(hosts["dc3"], dict(states["dc3"], gpo_rights={RIGHT: gpo}))
        srv1 = lab["samba"]["computers"]["srv1"]["sid"]
        membership = build_membership_descriptor([f"{lab['samba']['domain_sid']}-516", srv1])
        directory.modify(dn, {"msDS-GroupMSAMembership": [(ldap3.MODIFY_REPLACE, [membership])]})
        cloud.reset()

        bad = playbook(VERIFY, extra_args=["-e", f"verify_report_dir={report_dir}"])
        assert bad.rc != 0, "verify passed over a broken lab"
        rows = _rows((report_dir / "report.md").read_text())
        assert rows["dc1"][0] == "PASS"
        assert rows["dc2"][0] == "FAIL" and "local policy" in rows["dc2"][1]
        assert rows["dc3"][0] == "FAIL" and "GPO Default Domain Controllers Policy" in rows["dc3"][1]
        assert rows["gMSA mdiAction password retrieval"][0] == "FAIL" and "srv1" in rows["gMSA mdiAction password retrieval"][1]
        assert rows["Defender portal"][0] == "FAIL"
        assert rows["KDS root key"][0] == "PASS" and rows[lab["samba"]["base_dn"]][0] == "PASS"
        html = (report_dir / "report.html").read_text()
        assert html.count('class="fail"') == 4, html
    finally:
        for name, host in hosts.items():
            fake_winrm_hosts.write_state(host, states[name])
        assert playbook(SITE).rc == 0  # puts back the retrieval list and the portal registration
