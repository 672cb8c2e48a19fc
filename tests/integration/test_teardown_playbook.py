# -*- coding: utf-8 -*-
"""playbooks/teardown.yml against the lab: after the site playbook it removes, in reverse order, the portal
registration, the ACEs, the right on every DC and the gMSA (checked independently), leaves other members of
the right and the KDS root key alone, and a second run changes nothing."""
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

SITE = (REPO / "playbooks" / "site.yml").read_text()
TEARDOWN = (REPO / "playbooks" / "teardown.yml").read_text()


def _gmsa_sid(directory, lab):
    return gmsa_sid(directory, lab["samba"]["base_dn"])


def _root_trustees(directory, lab) -> set[str]:
    directory.search(lab["samba"]["base_dn"], "(objectClass=*)", search_scope="BASE", attributes=["nTSecurityDescriptor"],
                     controls=security_descriptor_control(sdflags=0x04))
    return {ace.sid for ace in SecurityDescriptor.parse(directory.response[0]["raw_attributes"]["nTSecurityDescriptor"][0]).dacl}


def _kds_keys(directory, lab) -> list[str]:
    # The lab is a single-domain forest: its configuration partition sits under the domain's DN.
    directory.search(f"CN=Master Root Keys,CN=Group Key Distribution Service,CN=Services,CN=Configuration,{lab['samba']['base_dn']}",
                     "(objectClass=msKds-ProvRootKey)", attributes=["cn"])
    return sorted(str(e.cn) for e in directory.entries)


def test_teardown_undoes_the_site_playbook(lab, playbook, directory, cloud):
    hosts = lab["winrm"]["hosts"]
    others = {name: list(fake_winrm_hosts.state(host)["rights"].get("SeServiceLogonRight", [])) for name, host in hosts.items()}
    first = playbook(SITE)
    assert first.rc == 0, first.stderr[-3000:]
    sid = _gmsa_sid(directory, lab)
    assert sid and cloud.state()["accounts"], "the site playbook did not set up the account"
    assert sid in _root_trustees(directory, lab)
    kds_before = _kds_keys(directory, lab)
    assert kds_before, "the forest has no KDS root key"

    removed = playbook(TEARDOWN)
    assert removed.rc == 0, removed.stderr[-3000:]
    assert _gmsa_sid(directory, lab) is None, "the gMSA is still there"
    assert sid not in _root_trustees(directory, lab), "the MDI ACEs are still on the domain root"
    for name, host in hosts.items():
        now = fake_winrm_hosts.state(host)["rights"].get("SeServiceLogonRight", [])
        assert sid not in now, f"{name} still grants Log on as a service to the deleted account"
        assert sorted(now) == sorted(s for s in others[name] if s != sid), f"{name}: other members changed"
    portal = cloud.state()
    assert not portal["accounts"] and portal["local_system"] is True, portal
    assert _kds_keys(directory, lab) == kds_before, "teardown must keep the KDS root key"

    again = playbook(TEARDOWN)
    assert again.rc == 0 and again.changed == 0, again.stats
