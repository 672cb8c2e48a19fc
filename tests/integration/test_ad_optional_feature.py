# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ad_optional_feature (the Recycle Bin) against Samba DCs. Samba 4.22 enables optional features only from its own
system session, never over LDAP; so the module's write is judged by what Samba answers, and the enabled state is made
with Samba's own bindings (the rootDSE modify MS-ADTS describes, in Samba's system session) in a throwaway second lab,
since it cannot be undone. The judge reads CN=Partitions' msDS-EnabledFeature over its own LDAP connection."""
from __future__ import annotations

import json
import subprocess
import sys

import ldap3
import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "tests" / "lab"))
sys.path.insert(0, str(REPO / "tests" / "integration"))
import samba_dc  # noqa: E402  pylint: disable=wrong-import-position
from multi_domain_lab import second_lab  # noqa: E402  pylint: disable=wrong-import-position

FEATURE_GUID = "766ddcd8-acd0-445e-f3b9-a7f9b6744f2a"
# Samba's system session: what `samba-tool` runs as on the DC itself; the module cannot get it over LDAP.
ENABLE_AS_SYSTEM = r"""
import sys, ldb
from samba.auth import system_session
from samba.param import LoadParm
from samba.samdb import SamDB
lp = LoadParm(); lp.load(sys.argv[1])
db = SamDB(url=sys.argv[2], session_info=system_session(), lp=lp)
message = ldb.Message(); message.dn = ldb.Dn(db, "")
message["enableOptionalFeature"] = ldb.MessageElement(sys.argv[3], ldb.FLAG_MOD_ADD, "enableOptionalFeature")
db.modify(message)
"""


def _enabled_in(samba: dict) -> list[str]:
    """msDS-EnabledFeature of CN=Partitions, read independently."""
    conn = samba_dc.connect(samba)
    try:
        conn.search(f"CN=Partitions,CN=Configuration,{samba['base_dn']}", "(objectClass=*)", search_scope=ldap3.BASE,
                    attributes=["msDS-EnabledFeature"])
        return [str(value) for value in conn.entries[0]["msDS-EnabledFeature"].values]
    finally:
        conn.unbind()


def _task(playbook, args: dict, *extra: str, host: str = "dc1") -> dict:
    connection = "\n  connection: local" if host == "localhost" else ""
    text = (f"- hosts: {host}{connection}\n  gather_facts: false\n  tasks:\n    - name: feature\n"
            f"      mdi.action_accounts.ad_optional_feature: {json.dumps(args)}\n")
    return playbook(text, extra_args=list(extra)).task_results("feature")[host]


def test_samba_refusing_the_write_is_said_and_nothing_changes(playbook, lab):
    samba = lab["samba"]
    assert _enabled_in(samba) == []
    refused = _task(playbook, {"name": "recycle_bin"})
    assert refused["failed"] is True and "cannot be undone" in refused["msg"] and "accept_irreversible: true" in refused["msg"]
    checked = _task(playbook, {"name": "recycle_bin", "accept_irreversible": True}, "--check", "--diff")
    assert checked["changed"] is True and checked["diff"] == {"before": {"enabled": False}, "after": {"enabled": True}}
    assert checked["required_forest_level"] == 4 and checked["forest_level"] >= 4
    out = _task(playbook, {"name": "recycle_bin", "accept_irreversible": True})
    assert out["failed"] is True and "only from its own system session" in out["msg"], out
    assert "Insufficient rights for enableoptionalfeature" in out["msg"]  # Samba's own words, passed on
    assert _enabled_in(samba) == []


@pytest.fixture(name="other_forest", scope="module")
def fixture_other_forest(lab):  # the main lab first: without it the test fails before starting anything
    del lab
    with second_lab("recycle.example.test") as second:
        yield second["samba"]


def test_an_enabled_feature_is_found_and_left_alone(playbook, other_forest):
    samba = other_forest
    connection = {"server": samba["ip"], "username": samba["admin_upn"], "password": samba["admin_password"], "ca_cert": samba["ca_cert"]}
    config = f"CN=Configuration,{samba['base_dn']}"
    before = _task(playbook, {"name": "recycle_bin", "accept_irreversible": True, **connection}, "--check", host="localhost")
    assert before["changed"] is True, before
    proc = subprocess.run(["/usr/bin/python3", "-c", ENABLE_AS_SYSTEM, f"{samba['dir']}/etc/smb.conf", f"{samba['dir']}/private/sam.ldb",
                           f"CN=Partitions,{config}:{FEATURE_GUID}"], capture_output=True, text=True, check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert _enabled_in(samba) == [f"CN=Recycle Bin Feature,CN=Optional Features,CN=Directory Service,CN=Windows NT,CN=Services,{config}"]
    out = _task(playbook, {"name": "recycle_bin", **connection}, "--diff", host="localhost")  # no opt-in: nothing to do
    assert out["changed"] is False and out["enabled"] is True and out["scope"] == f"CN=Partitions,{config}", out
