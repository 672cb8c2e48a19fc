# -*- coding: utf-8 -*-
"""Two site.yml runs at once against the same domain (same root DACL, same portal), from scratch: both succeed or one
says clearly what it lost, and the end state holds everything exactly once - one gMSA, the four MDI ACEs once on the
domain root, the right once per DC, one portal registration - as a rerun then confirms by changing nothing."""
from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ldap3.protocol.microsoft import security_descriptor_control

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "tests" / "lab"))

import fake_winrm_hosts  # noqa: E402  pylint: disable=wrong-import-position
from conftest import gmsa_sid  # noqa: E402  pylint: disable=wrong-import-position,wrong-import-order

sys.path.insert(0, str(REPO / ".build" / "collections"))
# pylint: disable=wrong-import-position
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor  # noqa: E402

SITE = (REPO / "playbooks" / "site.yml").read_text()
TEARDOWN = (REPO / "playbooks" / "teardown.yml").read_text()


def _root_aces_of(directory, lab, sid) -> list:
    directory.search(lab["samba"]["base_dn"], "(objectClass=*)", search_scope="BASE", attributes=["nTSecurityDescriptor"],
                     controls=security_descriptor_control(sdflags=0x04))
    dacl = SecurityDescriptor.parse(directory.response[0]["raw_attributes"]["nTSecurityDescriptor"][0]).dacl
    return [ace for ace in dacl if ace.sid == sid]


def test_two_site_runs_at_once_end_with_everything_once(lab, playbook, directory, cloud):
    assert playbook(TEARDOWN).rc == 0
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda _n: playbook(SITE), range(2)))
    for run in runs:
        if run.rc != 0:  # losing a race is allowed only with a clear message, never a traceback
            assert "Traceback (most recent call last)" not in run.stdout + run.stderr, run.stdout[-3000:]
    assert any(run.rc == 0 for run in runs), [run.stderr[-2000:] for run in runs]

    directory.search(lab["samba"]["base_dn"], "(objectClass=msDS-GroupManagedServiceAccount)", attributes=["cn"])
    assert [str(e.cn) for e in directory.entries].count("mdiAction") == 1
    sid = gmsa_sid(directory, lab["samba"]["base_dn"])
    aces = _root_aces_of(directory, lab, sid)
    assert len(aces) == 4 and len(set(aces)) == 4, "the MDI ACEs are not there exactly once"
    for name, host in lab["winrm"]["hosts"].items():
        assert fake_winrm_hosts.state(host)["rights"]["SeServiceLogonRight"].count(sid) == 1, name
    assert [a["AccountName"] for a in cloud.state()["accounts"]] == ["mdiAction"]

    rerun = playbook(SITE)
    assert rerun.rc == 0 and rerun.changed == 0, rerun.stats
