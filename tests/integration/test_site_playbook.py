# -*- coding: utf-8 -*-
"""The site playbook against the lab: the seed's steps converge, a second run changes nothing, check
mode changes nothing, and each result is verified independently (LDAP and the fake hosts' state)."""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "tests" / "lab"))

import fake_winrm_hosts  # noqa: E402  pylint: disable=wrong-import-position
from conftest import gmsa_sid  # noqa: E402  pylint: disable=wrong-import-position,wrong-import-order
from ldap3.protocol.microsoft import security_descriptor_control  # noqa: E402  pylint: disable=wrong-import-position

sys.path.insert(0, str(REPO / ".build" / "collections"))
# pylint: disable=wrong-import-position
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.presets import mdi_action_account_aces  # noqa: E402

SITE = (REPO / "playbooks" / "site.yml").read_text()


def _gmsa_sid(directory, lab):
    return gmsa_sid(directory, lab["samba"]["base_dn"])


def test_site_playbook_converges_then_is_idempotent(lab, playbook, directory, cloud):
    before = _gmsa_sid(directory, lab)
    rights_before = {name: fake_winrm_hosts.state(host)["rights"] for name, host in lab["winrm"]["hosts"].items()}
    checked = playbook(SITE, extra_args=["--check"])
    assert checked.rc == 0, checked.stderr[-3000:]
    assert _gmsa_sid(directory, lab) == before, "check mode changed the directory"
    assert {name: fake_winrm_hosts.state(host)["rights"] for name, host in lab["winrm"]["hosts"].items()} == rights_before
    if before is None:
        assert checked.changed > 0, "check mode did not predict the changes"

    first = playbook(SITE)
    assert first.rc == 0, first.stderr[-3000:]
    decision = first.task_results("Show the decision")
    assert list(decision) == ["dc1"] and decision["dc1"]["msg"].startswith("Response actions will run as the gMSA action account (gmsa, asked for auto)")
    answers = first.task_results("Ask each domain controller its name over its Windows connection")
    assert sorted(answers) == sorted(lab["winrm"]["hosts"])
    assert all(answer["stdout"].strip() == host.upper() for host, answer in answers.items())

    sid = _gmsa_sid(directory, lab)
    assert sid, "the site playbook did not create the action account"
    for name, host in lab["winrm"]["hosts"].items():
        assert sid in fake_winrm_hosts.state(host)["rights"]["SeServiceLogonRight"], f"{name} lacks Log on as a service"

    directory.search(lab["samba"]["base_dn"], "(objectClass=*)", search_scope="BASE", attributes=["nTSecurityDescriptor"],
                     controls=security_descriptor_control(sdflags=0x04))
    dacl = SecurityDescriptor.parse(directory.response[0]["raw_attributes"]["nTSecurityDescriptor"][0]).dacl
    assert set(a for a in dacl if a.sid == sid) == set(mdi_action_account_aces(sid)), "the MDI ACEs are not on the domain root"

    portal = cloud.state()
    assert [a["AccountName"] for a in portal["accounts"] if a["DomainDnsName"] == lab["samba"]["domain_dns"]] == ["mdiAction"], portal
    assert portal["local_system"] is False, "the sensors still use LocalSystem"

    second = playbook(SITE)
    assert second.rc == 0 and second.changed == 0, second.stats


def test_site_playbook_refuses_an_inventory_without_domain_controllers(playbook, tmp_path):
    empty = tmp_path / "empty.yml"
    empty.write_text("all:\n  hosts: {}\n")
    result = playbook(SITE, inventory=empty)
    assert result.rc != 0
    failure = result.task_results("The inventory has domain controllers to work on")["localhost"]
    assert "no host in the group domain_controllers" in failure["msg"]


def test_a_first_dry_run_plans_every_step_on_the_hosts_the_real_run_changes(lab, playbook, directory, cloud):
    """Check mode on a domain without the account: steps 2-4 are planned for it (named, its SID unknown), on exactly the
    hosts the real run then changes, as many changes per host, and nothing is written."""
    assert playbook((REPO / "playbooks" / "teardown.yml").read_text()).rc == 0
    assert _gmsa_sid(directory, lab) is None
    checked = playbook(SITE, extra_args=["--check"])
    assert checked.rc == 0, checked.stderr[-3000:]
    assert _gmsa_sid(directory, lab) is None and cloud.state()["accounts"] == []
    notes = checked.task_results("Step 2 in check mode, for an account step 1 would create - Log on as a service would be granted")
    assert sorted(notes) == sorted(lab["winrm"]["hosts"]) and all("to mdiAction$ on dc" in n["msg"] for n in notes.values())
    planned = checked.task_results("Register (or remove) the action account in the Defender portal")["dc1"]
    assert planned["changed"] and planned["actions"][0] == f"register mdiAction@{lab['samba']['domain_dns']}"
    real = playbook(SITE)
    assert real.rc == 0
    changed = {h: s["changed"] for h, s in real.stats.items()}
    assert changed == {h: s["changed"] for h, s in checked.stats.items()}, (real.stats, checked.stats)
