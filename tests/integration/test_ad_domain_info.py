# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ad_domain_info against the lab's Samba DC, judged by samba-tool on the DC's own database (its domain SID, NetBIOS
name and functional levels) and by an independent LDAP read of which objects exist."""
from __future__ import annotations

import json
import re

from samba_dsacl import samba_tool


def _info(playbook, args: dict) -> dict:
    text = ("- hosts: dc1\n  gather_facts: false\n  tasks:\n    - name: info\n"
            f"      mdi.action_accounts.ad_domain_info: {json.dumps(args)}\n")
    return playbook(text, extra_args=["--check"]).task_results("info")["dc1"]


def test_the_domain_the_forest_and_which_objects_exist(playbook, lab):
    samba = lab["samba"]
    base = samba["base_dn"]
    out = _info(playbook, {"objects": ["CN=Users,{domain}", "CN=ADFS,CN=Microsoft,CN=Program Data,{domain}", "CN=Sites,{configuration}",
                                       "CN=Microsoft Exchange,CN=Services,{configuration}"]})
    assert out["changed"] is False and "failed" not in out, out
    assert [(o["dn"], o["exists"], o["object_class"]) for o in out["objects"]] == [
        (f"CN=Users,{base}", True, "container"), (f"CN=ADFS,CN=Microsoft,CN=Program Data,{base}", False, None),
        (f"CN=Sites,CN=Configuration,{base}", True, "sitesContainer"), (f"CN=Microsoft Exchange,CN=Services,CN=Configuration,{base}", False, None)]
    assert out["forest"]["configuration_dn"] == f"CN=Configuration,{base}" and out["forest"]["root_domain_dn"] == base
    # Samba's own view of the domain
    sid = samba_tool(lab, "user", "show", "Administrator", "--attributes=objectSid")
    assert re.search(r"objectSid: (S-1-5-21-[\d-]+)-500", sid).group(1) == out["domain"]["sid"]
    levels = samba_tool(lab, "domain", "level", "show")
    forest = re.search(r"Forest function level: \(Windows\) (.+)", levels).group(1).strip()
    domain = re.search(r"Domain function level: \(Windows\) (.+)", levels).group(1).strip()
    assert out["forest"]["functional_level_name"] == f"Windows Server {forest}", levels
    assert out["domain"]["functional_level_name"] == f"Windows Server {domain}", levels
    assert (out["domain"]["dns_name"], out["domain"]["netbios_name"], out["domain"]["dn"]) == (samba["domain_dns"], samba["netbios"], base)


def test_principals_by_name_with_their_sids_as_samba_tool_shows_them_and_a_missing_one_reported(playbook, lab):
    out = _info(playbook, {"principals": ["alice", "Domain Controllers", "S-1-5-11", "ghostDSA"]})
    assert out["changed"] is False and "failed" not in out, out
    alice, dcs, users, ghost = out["principals"]
    shown = samba_tool(lab, "user", "show", "alice", "--attributes=objectSid,distinguishedName")
    assert alice["found"] and f"objectSid: {alice['sid']}" in shown and f"dn: {alice['dn']}" in shown, (alice, shown)
    group = samba_tool(lab, "group", "show", "Domain Controllers", "--attributes=objectSid")
    assert dcs["sid"].endswith("-516") and f"objectSid: {dcs['sid']}" in group
    # Samba keeps a foreign security principal object for Authenticated Users in the domain: the first place looked at
    assert (users["found"], users["sid"], users["dn"]) == (True, "S-1-5-11", f"CN=S-1-5-11,CN=ForeignSecurityPrincipals,{lab['samba']['base_dn']}")
    assert ghost["found"] is False and ghost["sid"] is None and "principal 'ghostDSA' not found" in ghost["reason"]
