# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The auditing role (Set-MDIConfiguration parity) against the lab's Samba DC: check mode first (predicts, writes
nothing), then for real, judged with samba-tool (gpo listall, getlink, dsacl get) and the SYSVOL files read over SMB;
playbooks/prerequisites.yml reruns it unchanged; items broken behind the role's back - among them Microsoft's faults, a
missing audit.csv row and a GPO linked elsewhere than on the DCs' OU - are each predicted by check mode and repaired;
then removed. Two GPOs of Microsoft's names exist before: one keeps its other setting, extension pair and link, the other
the audit.csv Set-MDIConfiguration wrote; every file and ACE is compared byte for byte with what that module writes
(mdi-readiness-facts.md). The lab has no child domain: the configuration partition is the one ad_domain_info reads from
the forest."""
from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import ldap3
import pytest
import smbclient
from ldap3.protocol.formatters.formatters import format_sid
from ldap3.protocol.microsoft import security_descriptor_control
from samba_dsacl import aces_of, dsacl_get
from test_gpo import Samba  # pylint: disable=import-error  # samba-tool in the DC's namespace
from test_gpo_registry_policy import HIGH_PERFORMANCE, POL, POWER, _samba_reads
from test_gpo_settings import ADMIN_PAIR, AUDIT_CSV, AUDIT_PAIR, GPTTMPL, SECURITY_PAIR

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
PREFERENCES_PAIR = "[{B087BE9D-ED37-454F-AF9C-04291E351182}{BEE07A6A-EC9F-4659-B8C9-0B1937907C83}]"
EXTENSIONS = {"AdvancedAuditPolicyDCs": AUDIT_PAIR, "NTLMAuditing": ADMIN_PAIR + SECURITY_PAIR,  # NTLM's: the seeded pair kept
              "ProcessorPerformance": ADMIN_PAIR, "AdvancedAuditPolicyCAs": AUDIT_PAIR, "CAAuditing": PREFERENCES_PAIR,
              "RemoteSAM": SECURITY_PAIR, "EntraConnectAuditing": SECURITY_PAIR + AUDIT_PAIR}
# Byte for byte what Set-MDIConfiguration writes (mdi-readiness-facts.md 2.2): audit.csv ASCII with CRLF; its DC rows
# name the subcategories without "Audit " and with upper-case GUIDs, its CA and Entra rows as auditpol and GPMC do.
CSV_HEADER = "Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value"
MICROSOFT_DC_ROWS = [f",System,{name},{{{guid}-69AE-11D9-BED3-505054503030}},Success and Failure,,3" for name, guid in (
    ("Security System Extension", "0CCE9211"), ("Distribution Group Management", "0CCE9238"), ("Security Group Management", "0CCE9237"),
    ("Computer Account Management", "0CCE9236"), ("User Account Management", "0CCE9235"), ("Directory Service Access", "0CCE923B"),
    ("Directory Service Changes", "0CCE923C"), ("Credential Validation", "0CCE923F"))]
MICROSOFT_CA_ROW = ",System,Audit Certification Services,{0cce9221-69ae-11d9-bed3-505054503030},Success and Failure,,3"
MICROSOFT_ENTRA_ROW = ",System,Audit Logon,{0cce9215-69ae-11d9-bed3-505054503030},Success and Failure,,3"
INF_HEADER = ["[Unicode]", "Unicode=yes", "[Version]", 'signature="$CHICAGO$"', "Revision=1"]
MICROSOFT_NTLM = INF_HEADER + ["[Registry Values]",
                               r"MACHINE\System\CurrentControlSet\Control\Lsa\MSV1_0\AuditReceivingNTLMTraffic=4,2",
                               r"MACHINE\System\CurrentControlSet\Control\Lsa\MSV1_0\RestrictSendingNTLMTraffic=4,1",
                               r"MACHINE\System\CurrentControlSet\Services\Netlogon\Parameters\AuditNTLMInDomain=4,7"]
DOMAIN_OBJECT_SACL = [f"(OU;CIIOSA;{mask};;{cls};WD)" for mask, cls in (
    ("CCDCSWWPDTCRSDWDWO", "bf967aba-0de6-11d0-a285-00aa003049e2"), ("CCDCSWWPDTCRSDWDWO", "bf967a9c-0de6-11d0-a285-00aa003049e2"),
    ("CCDCSWWPDTCRSDWDWO", "bf967a86-0de6-11d0-a285-00aa003049e2"), ("CCDCSWWPDTCRSDWDWO", "ce206244-5827-4a86-ba1c-1c0c386c1b64"),
    ("CCDCSWWPDTSDWDWO", "7b8b558a-93a5-4af7-adca-c017e67f1057"), ("CCDCSWWPDTSDWDWO", "0feb936f-47b3-49f2-9386-1dedc2c23765"))]
# Another setting of the seeded NTLM GPO (admin templates, Registry.pol): it and its extension pair must stay.
OTHER_SETTING = ["Software\\Policies\\Microsoft\\Windows NT\\DNSClient", "EnableMulticast", 4, 0]
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
        path = self.samba.sysvol(self.guid(item), name)
        smbclient.makedirs(path.rsplit("\\", 1)[0], exist_ok=True, **self.samba.session)
        with smbclient.open_file(path, mode="wb", **self.samba.session) as handle:
            handle.write(data)

    def extensions(self, directory, item: str) -> str:
        directory.search(f"CN={self.guid(item)},CN=Policies,CN=System,{self.base}", "(objectClass=*)", search_scope="BASE",
                         attributes=["gPCMachineExtensionNames"])
        return directory.entries[0].gPCMachineExtensionNames.value or ""

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


def _sid(directory, base: str, name: str) -> str:
    directory.search(base, f"(sAMAccountName={name})", attributes=["objectSid"])
    return format_sid(directory.entries[0].objectSid.raw_values[0])


def _crlf(lines: list) -> str:
    return "".join(f"{line}\r\n" for line in lines)


def _utf16(lines: list) -> bytes:
    """GptTmpl.inf as GPMC and Set-MDIConfiguration write it: UTF-16LE with its BOM, CRLF."""
    return b"\xff\xfe" + _crlf(lines).encode("utf-16-le")


def _seed_made_before(view: Lab, playbook) -> set:
    """Two GPOs of Microsoft's names made before the role: NTLM's with another setting, its extension pair and a link on
    another OU; the DCs' audit policy with the audit.csv Set-MDIConfiguration writes, byte for byte."""
    ntlm, dcs = (f"{PREFIX} - {GPO_ITEMS[item]}" for item in ("NTLMAuditing", "AdvancedAuditPolicyDCs"))
    tasks = [{"mdi.action_accounts.gpo": {"name": ntlm, "links": [{"target": f"OU=Servers,OU=MDI Lab,{view.base}"}]}},
             {"mdi.action_accounts.gpo_registry_policy": {"gpo": ntlm, "state": "present", "values": [
                 dict(zip(("key", "name", "type", "data"), OTHER_SETTING[:2] + ["REG_DWORD", OTHER_SETTING[3]]))]}},
             {"mdi.action_accounts.gpo": {"name": dcs}}]
    seeded = playbook(json.dumps([{"hosts": "dc1", "gather_facts": False, "tasks": tasks}]))
    assert seeded.rc == 0, seeded.stdout[-2000:]
    view.gpos()
    view.write("AdvancedAuditPolicyDCs", AUDIT_CSV, _crlf([CSV_HEADER] + MICROSOFT_DC_ROWS).encode("ascii"))
    return {ntlm, dcs}


def _judge_kept(view: Lab, directory) -> None:
    """The seeded NTLM GPO keeps its other setting, extension pair and link next to the role's."""
    assert _samba_reads(view.file("NTLMAuditing", POL)) == [OTHER_SETTING]
    assert view.extensions(directory, "NTLMAuditing") == ADMIN_PAIR + SECURITY_PAIR
    assert view.linked(f"OU=Servers,OU=MDI Lab,{view.base}")[view.guid("NTLMAuditing")] == "NONE"  # enabled, not enforced


def _judge_bytes(view: Lab, directory, dsa_sid: str) -> None:
    """Byte for byte against Set-MDIConfiguration (mdi-readiness-facts.md 2.1-2.3); where they differ, on purpose
    (docs/readiness.md, "Where Microsoft's module is wrong")."""
    assert view.file("AdvancedAuditPolicyDCs", AUDIT_CSV) == _crlf([CSV_HEADER] + MICROSOFT_DC_ROWS).encode("ascii")  # left as is
    assert view.file("AdvancedAuditPolicyCAs", AUDIT_CSV) == _crlf([CSV_HEADER, MICROSOFT_CA_ROW]).encode("ascii")
    assert view.file("EntraConnectAuditing", AUDIT_CSV) == _crlf([CSV_HEADER, MICROSOFT_ENTRA_ROW]).encode("ascii")
    assert view.file("NTLMAuditing", GPTTMPL) == _utf16(MICROSOFT_NTLM)
    remote_sam = rf'MACHINE\System\CurrentControlSet\Control\Lsa\RestrictRemoteSAM=1,"O:BAG:BAD:(A;;RC;;;BA)(A;;RC;;;{dsa_sid})"'
    assert view.file("RemoteSAM", GPTTMPL) == _utf16(INF_HEADER + ["[Registry Values]", remote_sam])
    entra = f"SeServiceLogonRight = *{dsa_sid},*S-1-5-80-0"  # secedit's spaces; Microsoft's is UTF-8 and has none
    assert view.file("EntraConnectAuditing", GPTTMPL) == _utf16(INF_HEADER + ["[Privilege Rights]", entra])
    assert _samba_reads(view.file("ProcessorPerformance", POL)) == [[POWER, "ActivePowerScheme", 1, HIGH_PERFORMANCE]]
    xml = view.file("CAAuditing", r"MACHINE\Preferences\Registry\Registry.xml")
    assert xml.startswith(b'<?xml version="1.0" encoding="utf-8"?>\r\n'), xml
    assert ElementTree.fromstring(xml).find("Registry/Properties").attrib == {
        "action": "U", "displayDecimal": "0", "default": "0", "hive": "HKEY_LOCAL_MACHINE", "name": "AuditFilter",
        "key": r"System\CurrentControlSet\Services\CertSvc\Configuration\%DomainName%-%ComputerName%-CA", "type": "REG_DWORD",
        "value": "0000007F"}
    assert {item: view.extensions(directory, item) for item in GPO_ITEMS} == EXTENSIONS
    assert [ace for ace in view.sacl(view.base) if ace in DOMAIN_OBJECT_SACL] == DOMAIN_OBJECT_SACL


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
        # CA: Cert Publishers apply; Domain Controllers and Authenticated Users read only
        assert f"(OA;CI;CR;{APPLY_GROUP_POLICY};;CA)" in dacl and f"(OA;CI;CR;{APPLY_GROUP_POLICY};;AU)" not in dacl, dacl
        assert {"(A;CI;LCRPLORC;;;CA)", "(A;CI;LCRPLORC;;;DD)", "(A;CI;LCRPLORC;;;AU)"} <= set(dacl), dacl
    for item in ("RemoteSAM", "EntraConnectAuditing"):
        assert view.guid(item) not in dc_links and view.guid(item) not in root_links
    remote_sam = view.file("RemoteSAM", GPTTMPL).decode("utf-16")
    dsa_sid = _sid(directory, view.base, DSA)
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
    _judge_kept(view, directory)


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
    made_before = _seed_made_before(view, playbook)
    checked, _warnings = _run(playbook, "--check")
    assert _changed(checked) == APPLIED and set(view.gpos()) == made_before, "check mode wrote, or predicted other items"
    assert not checked["AdfsAuditing"]["applicable"] and "no AD FS container" in checked["AdfsAuditing"]["detail"]
    assert not checked["AdRecycleBin"]["enabled"] and not checked["AutomaticWindowsAuditing"]["enabled"]
    assert [row["item"] for row in checked.values()][:2] == ["AdvancedAuditPolicyDCs", "NTLMAuditing"]

    applied, warnings = _run(playbook)
    assert _changed(applied) == APPLIED
    assert any("Remote SAM Access is linked nowhere" in warning for warning in warnings), warnings
    _judge_applied(view, directory)
    _judge_bytes(view, directory, _sid(directory, view.base, DSA))
    for item in ("NTLMAuditing", "ProcessorPerformance", "AdvancedAuditPolicyCAs", "CAAuditing", "RemoteSAM", "EntraConnectAuditing"):
        # every file and folder the modules made carries the GPO folder's ACL (the seeded audit.csv was written by this test)
        assert view.samba.acl_check(view.guid(item)) == "consistent", item

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
