# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The gpo module against the lab's Samba DC. Every check is an independent read: samba-tool (gpo listall, show,
getlink) run in the DC's namespace, Samba's own SYSVOL ACL check (the one `samba-tool ntacl sysvolcheck` runs) for the
GPO, and SYSVOL over our own SMB session. Test GPOs are deleted with samba-tool afterwards."""
from __future__ import annotations

import json
import subprocess

import pytest
import smbclient
import smbclient.shutil

NAME = "MDI test GPO"
SECOND = "MDI test GPO 2"
DDCP = "{6AC1786C-016F-11D2-945F-00C04FB984F9}"
# Samba's check_dir_acl for one GPO (samba.provision.check_gpos_acl does it for every GPO in sysvolcheck), in the DB
# (xattr) and through the VFS. The whole sysvolcheck stops earlier on this lab: its VFS ACL of the sysvol folder itself
# differs from provision's (a gVisor/POSIX ACL matter, before any GPO is made).
ACL_CHECK = r"""
import sys
from samba import param
from samba.auth import system_session
from samba.dcerpc import security
from samba.ndr import ndr_unpack
from samba.ntacls import dsacl2fsacl
from samba.provision import check_dir_acl, getpolicypath
from samba.samba3 import param as s3param, passdb
from samba.samdb import SamDB
lp = param.LoadParm(); lp.load(sys.argv[1])
samdb = SamDB(session_info=system_session(), lp=lp)
s3conf = s3param.get_context(); s3conf.load(lp.configfile); s3conf.set("passdb backend", "samba_dsdb:%s" % samdb.url)
passdb.PDB(s3conf.get("passdb backend"))
sid = security.dom_sid(samdb.get_domain_sid())
gpc = samdb.search(base="CN=%s,CN=Policies,CN=System,%s" % (sys.argv[2], samdb.domain_dn()), attrs=["nTSecurityDescriptor"], scope=0)[0]
acl = dsacl2fsacl(ndr_unpack(security.descriptor, gpc["nTSecurityDescriptor"][0]).as_sddl(), sid)
for direct in (True, False):
    check_dir_acl(getpolicypath(lp.get("path", "sysvol"), samdb.domain_dns_name(), sys.argv[2]), acl, lp, sid, direct)
print("consistent")
"""


class Samba:
    def __init__(self, lab):
        self.info = lab["samba"]
        self.conf = f"{self.info['dir']}/etc/smb.conf"
        self.session = {"username": self.info["admin_upn"], "password": self.info["admin_password"], "connection_cache": {}}

    def _in_dc(self, *command: str) -> subprocess.CompletedProcess:
        inner = "mount -t tmpfs run /run && mkdir -p /run/samba && exec \"$@\""  # Samba's tools want the DC's private /run
        return subprocess.run(["ip", "netns", "exec", self.info["netns"], "unshare", "-m", "--propagation", "private", "sh", "-c", inner,
                               "sh", *command], capture_output=True, text=True, check=False, timeout=120)

    def tool(self, *args: str) -> str:
        out = self._in_dc("samba-tool", *args, "-H", f"ldap://{self.info['ip']}", "-s", self.conf,
                          f"-U{self.info['netbios']}\\{self.info['admin_user']}%{self.info['admin_password']}")
        assert out.returncode == 0, out.stderr[-2000:]
        return out.stdout

    def acl_check(self, guid: str) -> str:
        out = self._in_dc("/usr/bin/python3", "-c", ACL_CHECK, self.conf, guid)
        return out.stdout.strip() or out.stderr.strip().splitlines()[-1]

    def gpos(self) -> dict:
        """display name -> {guid, version, flags} from samba-tool gpo listall."""
        found, current = {}, {}
        for line in self.tool("gpo", "listall").splitlines():
            key, _sep, value = (part.strip() for part in line.partition(":"))
            current[key] = value
            if key == "flags":
                found[current["display name"]] = {"guid": current["GPO"], "version": current["version"], "flags": value}
        return found

    def links(self, container: str) -> list[tuple[str, str]]:
        """(GPO GUID, options) from samba-tool gpo getlink, in gPLink order."""
        lines = self.tool("gpo", "getlink", container).splitlines()
        guids = [line.split(":", 1)[1].strip() for line in lines if line.strip().startswith("GPO ")]
        return list(zip(guids, [line.split(":", 1)[1].strip() for line in lines if line.strip().startswith("Options")]))

    def sysvol(self, guid: str, name: str = "") -> str:
        return f"\\\\{self.info['ip']}\\sysvol\\{self.info['domain_dns']}\\Policies\\{guid}" + (f"\\{name}" if name else "")

    def read(self, path: str) -> bytes:
        with smbclient.open_file(path, mode="rb", **self.session) as handle:
            return handle.read()

    def is_dir(self, path: str) -> bool:
        return smbclient.path.isdir(path, **self.session)


@pytest.fixture(name="samba")
def fixture_samba(lab):
    samba = Samba(lab)
    dc_ou = f"OU=Domain Controllers,{samba.info['base_dn']}"
    links_before = samba.links(dc_ou)
    yield samba
    for name, gpo in samba.gpos().items():
        if name in (NAME, SECOND):
            samba.tool("gpo", "del", gpo["guid"])
    assert samba.links(dc_ou) == links_before
    smbclient.reset_connection_cache(connection_cache=samba.session["connection_cache"])


def _gpo(playbook, args: dict, *extra: str) -> dict:
    text = f"- hosts: dc1\n  gather_facts: false\n  tasks:\n    - name: gpo\n      mdi.action_accounts.gpo: {json.dumps(args)}\n"
    result = playbook(text, extra_args=list(extra))
    out = result.task_results("gpo")["dc1"]
    assert not out.get("failed"), out
    return out


def test_create_rerun_and_delete_judged_by_samba(playbook, samba):
    out = _gpo(playbook, {"name": NAME}, "--check", "--diff")
    assert out["changed"] and out["gpo"]["created"] and out["diff"]["before"] == {"state": "absent"}
    assert NAME not in samba.gpos()  # check mode wrote nothing

    out = _gpo(playbook, {"name": NAME})
    guid = out["gpo"]["guid"]
    assert out["changed"] and samba.gpos()[NAME] == {"guid": guid, "version": "0", "flags": "NONE"}
    show = samba.tool("gpo", "show", guid)
    assert f"display name : {NAME}" in show and f"Policies\\{guid}" in show
    assert samba.read(samba.sysvol(guid, "GPT.INI")) == b"[General]\r\nVersion=0\r\n"  # what samba-tool gpo create writes
    assert samba.is_dir(samba.sysvol(guid, "Machine")) and samba.is_dir(samba.sysvol(guid, "User"))
    assert samba.acl_check(guid) == "consistent"

    out = _gpo(playbook, {"name": NAME}, "--check")
    assert not out["changed"]
    assert not _gpo(playbook, {"name": NAME})["changed"]

    out = _gpo(playbook, {"name": NAME, "state": "absent"}, "--check")
    assert out["changed"] and NAME in samba.gpos()
    assert _gpo(playbook, {"name": NAME, "state": "absent"})["changed"]
    assert NAME not in samba.gpos() and not samba.is_dir(samba.sysvol(guid))
    assert not _gpo(playbook, {"name": NAME, "state": "absent"})["changed"]


def test_links_keep_the_other_gpos_links(playbook, samba):
    dc_ou = f"OU=Domain Controllers,{samba.info['base_dn']}"
    before = samba.links(dc_ou)
    assert (DDCP, "NONE") in before
    mine = _gpo(playbook, {"name": NAME, "links": [{"target": dc_ou, "enforced": True}]})["gpo"]["guid"]
    assert samba.links(dc_ou) == [(mine, "GPLINK_OPT_ENFORCE")] + before  # lowest precedence, as samba-tool setlink adds it
    other = _gpo(playbook, {"name": SECOND, "links": [{"target": dc_ou, "enabled": False}]})["gpo"]["guid"]
    assert samba.links(dc_ou) == [(other, "GPLINK_OPT_DISABLE"), (mine, "GPLINK_OPT_ENFORCE")] + before

    args = {"name": NAME, "links": [{"target": dc_ou, "enforced": True, "order": 1}]}
    out = _gpo(playbook, args, "--check")
    assert out["changed"] and out["links"] == [{"target": dc_ou, "enabled": True, "enforced": True, "order": 1}]
    assert samba.links(dc_ou)[1] == (mine, "GPLINK_OPT_ENFORCE")  # check mode moved nothing
    _gpo(playbook, args)
    assert samba.links(dc_ou) == [(other, "GPLINK_OPT_DISABLE")] + before + [(mine, "GPLINK_OPT_ENFORCE")]
    assert not _gpo(playbook, args)["changed"]

    _gpo(playbook, {"name": NAME, "state": "absent"})
    assert samba.links(dc_ou) == [(other, "GPLINK_OPT_DISABLE")] + before


def test_status_is_what_samba_tool_shows(playbook, samba):
    _gpo(playbook, {"name": NAME, "status": "user_settings_disabled"})
    assert samba.gpos()[NAME]["flags"] == "GPO_FLAG_USER_DISABLE"
    out = _gpo(playbook, {"name": NAME, "status": "all_settings_disabled"}, "--check", "--diff")
    assert out["changed"] and out["diff"]["before"]["status"] == "user_settings_disabled"
    assert samba.gpos()[NAME]["flags"] == "GPO_FLAG_USER_DISABLE"
    _gpo(playbook, {"name": NAME, "status": "all_settings_disabled"})
    assert samba.gpos()[NAME]["flags"] == "GPO_FLAG_USER_DISABLE GPO_FLAG_MACHINE_DISABLE"


def test_a_sysvol_folder_deleted_behind_our_back_is_rebuilt(playbook, samba):
    guid = _gpo(playbook, {"name": NAME})["gpo"]["guid"]
    smbclient.shutil.rmtree(samba.sysvol(guid), **samba.session)
    out = _gpo(playbook, {"name": NAME}, "--check", "--diff")
    assert out["changed"] and out["diff"]["before"]["sysvol_missing"] == ["the folder", "GPT.INI", "Machine\\", "User\\"]
    assert not samba.is_dir(samba.sysvol(guid))
    assert _gpo(playbook, {"name": NAME})["changed"]
    assert samba.read(samba.sysvol(guid, "GPT.INI")) == b"[General]\r\nVersion=0\r\n" and samba.acl_check(guid) == "consistent"
    assert not _gpo(playbook, {"name": NAME})["changed"]


APPLY = "edacfd8f-ffb3-11d1-b41d-00a0c968f939"


def _dacl(samba, guid: str) -> str:
    """The GPC's DACL in SDDL as `samba-tool dsacl get` prints it (Samba's aliases: AU, DD for Domain Controllers, CA ...)."""
    out = samba.tool("dsacl", "get", f"--objectdn=CN={guid},CN=Policies,CN=System,{samba.info['base_dn']}")
    return out.strip().splitlines()[-1].split("D:", 1)[1].split("S:", 1)[0]


def test_security_filtering_judged_by_samba(playbook, samba):
    ca_items = [{"principal": "Cert Publishers", "level": "apply"}, {"principal": "Domain Controllers", "level": "read"},
                {"principal": "S-1-5-11", "level": "read"}]
    guid = _gpo(playbook, {"name": NAME})["gpo"]["guid"]
    default = _dacl(samba, guid)
    assert f"(A;CI;LCRPLORC;;;AU)(OA;CI;CR;{APPLY};;AU)" in default  # what the DC gives every new GPO

    args = {"name": NAME, "permissions": ca_items, "permissions_state": "exact"}
    out = _gpo(playbook, args, "--check", "--diff")
    assert out["changed"] and _dacl(samba, guid) == default
    assert {(item["sid"], item["level"]) for item in out["diff"]["before"]["permissions"]} >= {("S-1-5-11", "apply")}
    assert out["diff"]["before"]["sysvol_acl_differs"] == ["the folder", "GPT.INI", "Machine\\", "User\\"]
    assert _gpo(playbook, args)["changed"]
    dacl = _dacl(samba, guid)
    assert f"(OA;CI;CR;{APPLY};;AU)" not in dacl and "(A;CI;LCRPLORC;;;AU)" in dacl  # Authenticated Users: Read only
    assert "(A;CI;LCRPLORC;;;CA)" in dacl and f"(OA;CI;CR;{APPLY};;CA)" in dacl and "(A;CI;LCRPLORC;;;DD)" in dacl
    assert dacl.replace("(A;CI;LCRPLORC;;;CA)", "").replace(f"(OA;CI;CR;{APPLY};;CA)", "").replace("(A;CI;LCRPLORC;;;DD)", "") == \
        default.replace(f"(OA;CI;CR;{APPLY};;AU)", "")  # nothing else touched
    assert samba.acl_check(guid) == "consistent"  # the SYSVOL folder follows the new DACL
    assert not _gpo(playbook, args, "--check")["changed"] and not _gpo(playbook, args)["changed"]

    deny = {"name": NAME, "permissions": [{"principal": "Domain Controllers", "level": "deny_apply"}]}
    out = _gpo(playbook, deny, "--diff")
    assert out["changed"] and _dacl(samba, guid).startswith(f"P(OD;;CR;{APPLY};;DD)")  # deny first, Read kept
    assert "(A;CI;LCRPLORC;;;DD)" in _dacl(samba, guid) and samba.acl_check(guid) == "consistent"
    assert ("CORP\\Domain Controllers", "deny_apply") in [(item["principal"], item["level"]) for item in out["permissions"]]
    assert not _gpo(playbook, deny)["changed"]


def test_site_links_judged_by_samba(playbook, samba):
    site = f"CN=Default-First-Site-Name,CN=Sites,CN=Configuration,{samba.info['base_dn']}"
    dc_ou = f"OU=Domain Controllers,{samba.info['base_dn']}"
    assert samba.links(site) == []
    guid = _gpo(playbook, {"name": NAME, "links": [{"target": site, "enforced": True}]})["gpo"]["guid"]
    assert samba.links(site) == [(guid, "GPLINK_OPT_ENFORCE")]
    assert not _gpo(playbook, {"name": NAME, "links": [{"target": site, "enforced": True}]})["changed"]

    args = {"name": NAME, "links": [{"target": dc_ou}], "links_state": "exact"}
    out = _gpo(playbook, args, "--check", "--diff")
    assert out["changed"] and [link["target"] for link in out["diff"]["before"]["links"]] == [site]
    assert samba.links(site) == [(guid, "GPLINK_OPT_ENFORCE")]  # check mode unlinked nothing
    _gpo(playbook, args)
    assert samba.links(site) == [] and samba.links(dc_ou)[0] == (guid, "NONE")

    _gpo(playbook, {"name": NAME, "links": [{"target": site}]})
    assert samba.links(site) == [(guid, "NONE")]
    _gpo(playbook, {"name": NAME, "state": "absent"})
    assert samba.links(site) == []
