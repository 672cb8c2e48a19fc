# -*- coding: utf-8 -*-
"""Several domains in one inventory each get their own action account.

Beside the running lab (corp.example.test) a second lab serves fabrikam.example.test (its own Samba DC
and fake WinRM DCs, no cloud); one inventory holds both domains' DCs and the main lab's portal session.
The site playbook runs once; every result is read back independently: LDAP on each Samba DC, the fake
hosts' own state, the main lab cloud's portal state. Then a second run changes nothing, and the
teardown playbook removes both accounts.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import ldap3
import pytest
from ldap3.protocol.microsoft import security_descriptor_control

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "tests" / "lab"))
sys.path.insert(0, str(REPO / ".build" / "collections"))

# pylint: disable=wrong-import-position
import fake_winrm_hosts  # noqa: E402
import samba_dc  # noqa: E402
from conftest import gmsa_sid  # noqa: E402  pylint: disable=wrong-import-order
from multi_domain_lab import build_inventory, second_lab  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.inventory.mdi_sensors import domain_group  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.presets import mdi_action_account_aces  # noqa: E402

SECOND_DOMAIN = "fabrikam.example.test"
SECOND_PREFIX = "fab-"
SITE = (REPO / "playbooks" / "site.yml").read_text()
TEARDOWN = (REPO / "playbooks" / "teardown.yml").read_text()
DACL_ONLY = 0x04


@pytest.fixture(name="fabrikam", scope="module")
def fixture_fabrikam(lab):  # the main lab first: without it the test fails before starting anything
    del lab
    with second_lab(SECOND_DOMAIN) as second:
        yield second


def _gmsa_sid(samba: dict) -> str | None:
    with samba_dc.connect(samba) as conn:
        return gmsa_sid(conn, samba["base_dn"])


def _root_aces(samba: dict, sid: str) -> set:
    """The explicit ACEs for `sid` on the domain root, read with the DACL-only SD flags."""
    with samba_dc.connect(samba) as conn:
        conn.search(samba["base_dn"], "(objectClass=*)", search_scope=ldap3.BASE, attributes=["nTSecurityDescriptor"],
                    controls=security_descriptor_control(sdflags=DACL_ONLY))
        raw = conn.response[0]["raw_attributes"]["nTSecurityDescriptor"][0]
    return {ace for ace in SecurityDescriptor.parse(raw).dacl if ace.sid == sid}


def _logon_right(lab: dict) -> dict[str, list]:
    """Each DC's own SeServiceLogonRight, from the fake host's state."""
    return {name: fake_winrm_hosts.state(host)["rights"]["SeServiceLogonRight"] for name, host in lab["winrm"]["hosts"].items()}


def _portal_accounts(cloud) -> list[str]:
    return sorted(f"{a['AccountName']}@{a['DomainDnsName']}" for a in cloud.state()["accounts"])


def test_each_domain_gets_its_own_action_account(lab, fabrikam, cloud, playbook, tmp_path):
    labs = {lab["samba"]["domain_dns"]: lab, SECOND_DOMAIN: fabrikam}
    assert lab["samba"]["domain_sid"] != fabrikam["samba"]["domain_sid"], "two provisions share a domain SID"
    inventory = tmp_path / "two-domains.json"  # JSON is YAML: ansible's yaml inventory plugin reads it
    inventory.write_text(json.dumps(build_inventory({"": lab, SECOND_PREFIX: fabrikam}, portal_lab=lab), indent=2))
    all_hosts = sorted([*lab["winrm"]["hosts"], *(SECOND_PREFIX + name for name in fabrikam["winrm"]["hosts"])])

    # Check mode first: nothing changes, and steps 2-4 are planned for each domain whose account step 1 would create.
    before = ({domain: _gmsa_sid(one["samba"]) for domain, one in labs.items()}, _portal_accounts(cloud))
    checked = playbook(SITE, inventory=inventory, extra_args=["--check"])
    assert checked.rc == 0 and checked.changed > 0, checked.stderr[-3000:] + checked.stdout[-3000:]
    notes = checked.task_results("Step 3 in check mode, for an account step 1 would create - the MDI permissions would be delegated")
    named = sorted(r["msg"].rsplit("the domain root of ", 1)[1].split(" ")[0] for r in notes.values() if "msg" in r)
    assert named == sorted(domain for domain, sid in before[0].items() if sid is None) and SECOND_DOMAIN in named, notes
    assert ({domain: _gmsa_sid(one["samba"]) for domain, one in labs.items()}, _portal_accounts(cloud)) == before, "check mode changed something"

    first = playbook(SITE, inventory=inventory)
    assert first.rc == 0, first.stderr[-3000:] + first.stdout[-3000:]
    assert sorted(first.task_results("Ask each domain controller its name over its Windows connection")) == all_hosts

    sids = {}
    for domain, one in labs.items():
        sid = _gmsa_sid(one["samba"])
        assert sid and sid.startswith(one["samba"]["domain_sid"] + "-"), f"{domain} has no mdiAction$ of its own: {sid}"
        sids[domain] = sid
    for domain, one in labs.items():
        (other,) = [sid for name, sid in sids.items() if name != domain]
        for host, members in _logon_right(one).items():
            assert sids[domain] in members, f"{domain} {host} lacks its domain's gMSA in Log on as a service"
            assert other not in members, f"{domain} {host} holds the other domain's gMSA"
        aces = _root_aces(one["samba"], sids[domain])
        assert len(aces) == 4 and aces == set(mdi_action_account_aces(sids[domain])), f"{domain} root: {aces}"
        assert not _root_aces(one["samba"], other), f"{domain} root holds ACEs for the other domain's gMSA"
    assert _portal_accounts(cloud) == sorted(f"mdiAction@{domain}" for domain in labs)
    assert cloud.state()["local_system"] is False

    second = playbook(SITE, inventory=inventory)
    assert second.rc == 0 and set(all_hosts) <= set(second.stats) and second.changed == 0, second.stats

    # One domain's teardown leaves the other's registration and the tenant-wide LocalSystem switch alone.
    one_domain = playbook(TEARDOWN, inventory=inventory, extra_args=["--limit", domain_group(SECOND_DOMAIN)])
    assert one_domain.rc == 0, one_domain.stderr[-3000:] + one_domain.stdout[-3000:]
    assert _gmsa_sid(fabrikam["samba"]) is None and _gmsa_sid(lab["samba"]) == sids[lab["samba"]["domain_dns"]]
    assert _portal_accounts(cloud) == [f"mdiAction@{lab['samba']['domain_dns']}"] and cloud.state()["local_system"] is False

    removed = playbook(TEARDOWN, inventory=inventory)
    assert removed.rc == 0, removed.stderr[-3000:] + removed.stdout[-3000:]
    assert cloud.state()["local_system"] is True, "the last registration went, so LocalSystem must be back on"
    for domain, one in labs.items():
        assert _gmsa_sid(one["samba"]) is None, f"{domain} still has mdiAction$"
        assert all(sids[domain] not in members for members in _logon_right(one).values()), domain
        assert not _root_aces(one["samba"], sids[domain]), domain
    assert not _portal_accounts(cloud)
