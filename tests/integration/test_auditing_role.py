# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The auditing role (Set-MDIConfiguration parity) against the lab's Samba DC: check mode first (predicts, writes
nothing), then for real, judged with samba-tool (gpo listall, getlink, dsacl get) and the SYSVOL files read over SMB;
playbooks/prerequisites.yml reruns it unchanged; items broken behind the role's back - among them Microsoft's faults, a
missing audit.csv row and a GPO linked elsewhere than on the DCs' OU - are each predicted by check mode and repaired;
then removed. The lab has no child domain: the configuration partition is the one ad_domain_info reads from the forest."""
from __future__ import annotations

from pathlib import Path

import ldap3
import pytest
import smbclient
from ldap3.protocol.formatters.formatters import format_sid
from ldap3.protocol.microsoft import security_descriptor_control
from samba_dsacl import aces_of, dsacl_get
from test_gpo import Samba  # pylint: disable=import-error  # samba-tool in the DC's namespace
from test_gpo_settings import AUDIT_CSV, GPTTMPL

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sddl import descriptor_from_sddl

REPO = Path(__file__).resolve().parent.parent.parent
PREFIX = "MDI auditing test"
DSA = "alice"  # a user of the lab's seed, standing in for the Directory Service account (New-MDIDSA -ForceStandardAccount)
GPO_ITEMS = {"AdvancedAuditPolicyDCs": "Advanced Audit Policy for DCs", "NTLMAuditing": "NTLM Auditing for DCs",
             "ProcessorPerformance": "Processor Performance", "AdvancedAuditPolicyCAs": "Advanced Audit Policy for CAs",
             "CAAuditing": "Auditing for CAs", "RemoteSAM": "Remote SAM Access",
             "EntraConnectAuditing": "Advanced Audit and URA Policy for Entra Connect"}
APPLIED = set(GPO_ITEMS) | {"DomainObjectAuditing", "ConfigurationContainerAuditing"}
APPLY_GROUP_POLICY = "edacfd8f-ffb3-11d1-b41d-00a0c968f939"
SACL_ONLY = security_descriptor_control(sdflags=0x08)
ROLE_VARS = f"""
        auditing_gpo_name_prefix: {PREFIX}
        auditing_dsa_name: {DSA}
        auditing_configuration_container_auditing: true
        auditing_remove_automatic: true
        auditing_state: "{{{{ state | default('present') }}}}"
        auditing_stop_on_error: false"""
PREREQUISITES = f"""
- import_playbook: {REPO / "playbooks" / "prerequisites.yml"}
  vars:{ROLE_VARS}
"""
ROLE_PLAY = f"""
- hosts: dc1  # the domain's leader; prerequisites.yml runs it on every domain controller
  gather_facts: false
  roles:
    - role: mdi.action_accounts.auditing
      vars:{ROLE_VARS}
  post_tasks:
    - name: results
      ansible.builtin.debug:
        msg: {{"results": "{{{{ auditing_results }}}}", "warnings": "{{{{ auditing_warnings }}}}"}}
      when: auditing_results is defined
"""


def _run(playbook, *extra: str) -> tuple[dict, list]:
    result = playbook(ROLE_PLAY, extra_args=list(extra))
    out = result.task_results("results")["dc1"]["msg"]
    return {row["item"]: row for row in out["results"]}, out["warnings"]


def _changed(results: dict) -> set:
    assert not [row for row in results.values() if row["failed"]], results
    return {item for item, row in results.items() if row["changed"]}


class Lab:
    """The lab as Samba's own tools and an independent SMB session show it."""

    def __init__(self, lab):
        self.lab, self.samba, self.base, self.found = lab, Samba(lab), lab["samba"]["base_dn"], {}
        self.dc_ou = f"OU=Domain Controllers,{self.base}"
        self.configuration = f"CN=Configuration,{self.base}"  # the forest's: the lab's domain is the forest root

    def gpos(self) -> dict:
        """The test GPOs as samba-tool gpo listall shows them; their GUIDs are kept for guid()."""
        self.found = {name: gpo for name, gpo in self.samba.gpos().items() if name.startswith(PREFIX)}
        return self.found

    def guid(self, item: str) -> str:
        """The GUID of the item's GPO as the last gpos() found it."""
        return self.found[f"{PREFIX} - {GPO_ITEMS[item]}"]["guid"]

    def linked(self, container: str) -> dict:
        return dict(self.samba.links(container))

    def file(self, item: str, name: str) -> bytes:
        return self.samba.read(self.samba.sysvol(self.guid(item), name))

    def write(self, item: str, name: str, data: bytes) -> None:
        with smbclient.open_file(self.samba.sysvol(self.guid(item), name), mode="wb", **self.samba.session) as handle:
            handle.write(data)

    def sacl(self, dn: str) -> list:
        return aces_of(dsacl_get(self.lab, dn), "S")


def _write_sacl(directory, dn: str, sd: SecurityDescriptor) -> None:
    """The SACL of ``sd`` written to ``dn`` over LDAP (SD flags: SACL alone)."""
    sacl_only = SecurityDescriptor(sacl=sd.sacl, control=sd.control).encode()
    directory.modify(dn, {"nTSecurityDescriptor": [(ldap3.MODIFY_REPLACE, [sacl_only])]}, controls=SACL_ONLY)


@pytest.fixture(name="view")
def fixture_view(lab, cloud, directory):
    """No test GPO before; after, none again, the two SACLs as they were, sensors v2 and the switch off."""
    view = Lab(lab)
    for gpo in view.gpos().values():
        view.samba.tool("gpo", "del", gpo["guid"])
    before = {dn: dsacl_get(lab, dn) for dn in (view.base, view.configuration)}
    links_before = view.linked(view.dc_ou)
    yield view
    cloud.settings(sensor_generation="v2")
    for gpo in view.gpos().values():
        view.samba.tool("gpo", "del", gpo["guid"])
    for dn, sddl in before.items():
        if dsacl_get(lab, dn) != sddl:
            _write_sacl(directory, dn, descriptor_from_sddl(sddl, lab["samba"]["domain_sid"]))
        assert dsacl_get(lab, dn) == sddl
    assert view.linked(view.dc_ou) == links_before
    smbclient.reset_connection_cache(connection_cache=view.samba.session["connection_cache"])


def _judge_applied(view: Lab, directory) -> None:
    """Every applied item as Samba shows it."""
    assert set(view.gpos()) == {f"{PREFIX} - {suffix}" for suffix in GPO_ITEMS.values()}
    assert {gpo["flags"] for gpo in view.found.values()} == {"GPO_FLAG_USER_DISABLE"}
    dc_links, root_links = view.linked(view.dc_ou), view.linked(view.base)
    for item in ("AdvancedAuditPolicyDCs", "NTLMAuditing", "ProcessorPerformance"):
        assert dc_links[view.guid(item)] == "GPLINK_OPT_ENFORCE", dc_links
    for item in ("AdvancedAuditPolicyCAs", "CAAuditing"):
        assert root_links[view.guid(item)] == "GPLINK_OPT_ENFORCE", root_links
        dacl = aces_of(dsacl_get(view.lab, f"CN={view.guid(item)},CN=Policies,CN=System,{view.base}"), "D")
        sid = view.lab["samba"]["domain_sid"]
        # CA: Cert Publishers apply; Authenticated Users read only
        assert f"(OA;CI;CR;{APPLY_GROUP_POLICY};;CA)" in dacl and f"(OA;CI;CR;{APPLY_GROUP_POLICY};;AU)" not in dacl, dacl
    for item in ("RemoteSAM", "EntraConnectAuditing"):
        assert view.guid(item) not in dc_links and view.guid(item) not in root_links
    remote_sam = view.file("RemoteSAM", GPTTMPL).decode("utf-16")
    directory.search(view.base, f"(sAMAccountName={DSA})", attributes=["objectSid"])
    dsa_sid = format_sid(directory.entries[0].objectSid.raw_values[0])
    assert f'RestrictRemoteSAM=1,"O:BAG:BAD:(A;;RC;;;BA)(A;;RC;;;{dsa_sid})"' in remote_sam, remote_sam
    dacl = aces_of(dsacl_get(view.lab, f"CN={view.guid('RemoteSAM')},CN=Policies,CN=System,{view.base}"), "D")
    assert f"(OD;;CR;{APPLY_GROUP_POLICY};;DD)" in dacl, dacl  # DD: Domain Controllers, as Microsoft's module writes it
    entra = view.file("EntraConnectAuditing", GPTTMPL).decode("utf-16")
    assert f"SeServiceLogonRight = *{dsa_sid},*S-1-5-80-0" in entra or f"SeServiceLogonRight = *S-1-5-80-0,*{dsa_sid}" in entra, entra
    rows = view.file("AdvancedAuditPolicyDCs", AUDIT_CSV).decode("utf-8").splitlines()
    assert len([row for row in rows[1:] if row.endswith("Success and Failure,,3")]) == 8, rows
    assert "{0cce9221-69ae-11d9-bed3-505054503030}" in view.file("AdvancedAuditPolicyCAs", AUDIT_CSV).decode("utf-8").lower()
    assert "AuditFilter" in view.file("CAAuditing", r"MACHINE\Preferences\Registry\Registry.xml").decode("utf-8")
    assert "8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c".encode("utf-16-le") in view.file("ProcessorPerformance", r"MACHINE\Registry.pol")
    root_sacl = view.sacl(view.base)
    assert "(OU;CIIOSA;CCDCSWWPDTCRSDWDWO;;bf967aba-0de6-11d0-a285-00aa003049e2;WD)" in root_sacl, root_sacl
    assert "(AU;CISAFA;WP;;;WD)" in view.sacl(view.configuration)


def _break_behind_the_back(view: Lab, directory) -> None:
    """Microsoft's test passes the first two; each must read as changed here."""
    rows = view.file("AdvancedAuditPolicyDCs", AUDIT_CSV).decode("utf-8").splitlines(keepends=True)
    view.write("AdvancedAuditPolicyDCs", AUDIT_CSV, "".join(row for row in rows if "0CCE923F" not in row.upper()).encode("utf-8"))
    ntlm = view.guid("NTLMAuditing")
    view.samba.tool("gpo", "dellink", view.dc_ou, ntlm)
    view.samba.tool("gpo", "setlink", view.base, ntlm)  # enabled, but not where the DCs get it
    directory.search(view.base, "(objectClass=*)", search_scope="BASE", attributes=["nTSecurityDescriptor"], controls=SACL_ONLY)
    sd = SecurityDescriptor.parse(directory.response[0]["raw_attributes"]["nTSecurityDescriptor"][0])
    user_ace = descriptor_from_sddl("S:(OU;CIIOSA;CCDCSWWPDTCRSDWDWO;;bf967aba-0de6-11d0-a285-00aa003049e2;WD)", "S-1-5-21-1-2-3").sacl[0]
    sd.sacl = type(sd.sacl)([ace for ace in sd.sacl if ace != user_ace], revision=sd.sacl.revision)
    _write_sacl(directory, view.base, sd)


def test_role_applies_reruns_predicts_repairs_and_is_removed(view, directory, playbook, cloud):
    checked, _warnings = _run(playbook, "--check")
    assert _changed(checked) == APPLIED and not view.gpos(), "check mode wrote, or predicted other items"
    assert not checked["AdfsAuditing"]["applicable"] and "no AD FS container" in checked["AdfsAuditing"]["detail"]
    assert not checked["AdRecycleBin"]["enabled"] and not checked["AutomaticWindowsAuditing"]["enabled"]
    assert [row["item"] for row in checked.values()][:2] == ["AdvancedAuditPolicyDCs", "NTLMAuditing"]

    applied, warnings = _run(playbook)
    assert _changed(applied) == APPLIED
    assert any("Remote SAM Access is linked nowhere" in warning for warning in warnings), warnings
    _judge_applied(view, directory)

    rerun = playbook(PREREQUISITES, extra_args=["-e", "prerequisites_directory_service_account=false"])
    assert rerun.rc == 0 and rerun.changed == 0, rerun.stderr[-2000:]

    _break_behind_the_back(view, directory)
    cloud.settings(sensor_generation="v3")
    broken = {"AdvancedAuditPolicyDCs", "NTLMAuditing", "DomainObjectAuditing", "AutomaticWindowsAuditing"}
    recycle_bin = ("-e", "auditing_recycle_bin=true", "-e", "auditing_recycle_bin_accept_irreversible=true")
    predicted, warnings = _run(playbook, "--check", *recycle_bin)
    assert _changed(predicted) == broken | {"AdRecycleBin"}  # only the real run learns that Samba refuses it
    assert "0CCE923F" not in view.file("AdvancedAuditPolicyDCs", AUDIT_CSV).decode("utf-8").upper(), "check mode wrote"
    assert any("pick one" in warning for warning in warnings), warnings
    assert cloud.state()["auto_auditing"] is False
    repaired, _warnings = _run(playbook, *recycle_bin)
    refused = repaired.pop("AdRecycleBin")
    assert refused["failed"] and "Samba accepts enableOptionalFeature only from its own system session" in refused["detail"], refused
    assert _changed(repaired) == broken and cloud.state()["auto_auditing"] is True
    _judge_applied(view, directory)

    removed, _warnings = _run(playbook, "-e", "state=absent")
    assert _changed(removed) == set(GPO_ITEMS) | {"DomainObjectAuditing", "ConfigurationContainerAuditing", "AutomaticWindowsAuditing"}
    assert not view.gpos() and cloud.state()["auto_auditing"] is False
