# -*- coding: utf-8 -*-
"""Changes to the lab made behind the collection's back, each undoing one piece of what site.yml set up, the way an
admin or another tool would: straight LDAP, the fake DC's own state, the portal's own API. Each breaker takes (lab,
directory, sid, cloud), where directory is an admin LDAP connection and sid the gMSA's, and returns the words the
verify report's remediation row must then contain.

Used by test_remediation_proof.py (which step the remediation proof names) and test_check_mode_exact.py (check mode
predicts exactly what the real run then repairs)."""
from __future__ import annotations

import sys
from pathlib import Path

import ldap3
import requests
from ldap3.protocol.microsoft import security_descriptor_control

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "tests" / "lab"))

import fake_winrm_hosts  # noqa: E402  pylint: disable=wrong-import-position

sys.path.insert(0, str(REPO / ".build" / "collections"))
# pylint: disable=wrong-import-position
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import Acl  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.gmsa_membership import build_membership_descriptor  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.presets import mdi_action_account_aces  # noqa: E402

DACL_ONLY = security_descriptor_control(sdflags=0x04)
UAC_ACE = 2  # the preset's third ACE: read/write userAccountControl on users
GROUP_ACE = 3  # the preset's fourth ACE: read/write member on groups


def _drop_ace(lab, directory, sid, index: int) -> str:
    base = lab["samba"]["base_dn"]
    directory.search(base, "(objectClass=*)", search_scope="BASE", attributes=["nTSecurityDescriptor"], controls=DACL_ONLY)
    sd = SecurityDescriptor.parse(directory.response[0]["raw_attributes"]["nTSecurityDescriptor"][0])
    gone = mdi_action_account_aces(sid)[index]
    sd.dacl = Acl([ace for ace in sd.dacl if ace != gone], revision=sd.dacl.revision)
    directory.modify(base, {"nTSecurityDescriptor": [(ldap3.MODIFY_REPLACE, [sd.encode()])]}, controls=DACL_ONLY)
    return f"step 3: MDI permissions missing on {base}"


def break_ace(lab, directory, sid, _cloud):
    """One of the four MDI ACEs (userAccountControl on users) removed from the domain root's DACL."""
    return _drop_ace(lab, directory, sid, UAC_ACE)


def break_group_ace(lab, directory, sid, _cloud):
    """Another of them (member on groups) removed."""
    return _drop_ace(lab, directory, sid, GROUP_ACE)


def break_retrieval(lab, directory, _sid, _cloud):
    """The gMSA's password retrieval list replaced by a member server (the seed forbids that)."""
    directory.search(lab["samba"]["base_dn"], "(sAMAccountName=mdiAction$)", attributes=["cn"])
    membership = build_membership_descriptor([lab["samba"]["computers"]["srv1"]["sid"]])
    directory.modify(directory.entries[0].entry_dn, {"msDS-GroupMSAMembership": [(ldap3.MODIFY_REPLACE, [membership])]})
    return "step 1: the acting domain controller dc1."


def _drop_right(lab, sid, host_name: str) -> str:
    host = lab["winrm"]["hosts"][host_name]
    state = fake_winrm_hosts.state(host)
    rights = state["rights"]
    fake_winrm_hosts.write_state(host, dict(state, rights={**rights, "SeServiceLogonRight": [s for s in rights["SeServiceLogonRight"] if s != sid]}))
    return f'step 2: "Log on as a service" on the acting domain controller {host_name}'


def break_right(lab, _directory, sid, _cloud):
    """"Log on as a service" taken from the gMSA on dc1, the DC whose sensor acts."""
    return _drop_right(lab, sid, "dc1")


def break_right_dc2(lab, _directory, sid, _cloud):
    return _drop_right(lab, sid, "dc2")


def break_right_dc3(lab, _directory, sid, _cloud):
    return _drop_right(lab, sid, "dc3")


def break_registration(_lab, _directory, _sid, cloud):
    """The action account deleted in the Defender portal with the portal's own API."""
    portal = cloud.portal_args()
    session = requests.Session()
    session.cookies.set("sccauth", portal["portal_sccauth"])
    session.cookies.set("XSRF-TOKEN", portal["portal_xsrf_token"])
    answer = session.post(f"{portal['portal_url']}/odata/EntityRemediatorCredentials/delete", json={"id": "mdiAction@corp.example.test"},
                          headers={"X-XSRF-TOKEN": requests.utils.unquote(portal["portal_xsrf_token"])}, verify=portal["ca_cert"], timeout=10)
    answer.raise_for_status()
    assert cloud.state()["local_system"] is False
    return "step 4: no action account is registered for corp.example.test and LocalSystem is off"


def break_account(lab, directory, _sid, _cloud):
    """The gMSA itself deleted: its ACEs and rights now name a SID that resolves to nothing."""
    directory.search(lab["samba"]["base_dn"], "(sAMAccountName=mdiAction$)", attributes=["cn"])
    directory.delete(directory.entries[0].entry_dn)
    return "step 1"


def break_generation(_lab, _directory, _sid, cloud):
    """Every sensor upgraded to v3.x while the gMSA stays registered with LocalSystem off, as before the upgrade."""
    cloud.settings(sensor_generation="v3")
    return "is configured while the acting sensor dc1.corp.example.test is v3.x or migrating"


def break_gpo(lab, _directory, _sid, _cloud):
    """A GPO on dc1 defines "Log on as a service" without the account (the collection does not edit that GPO here)."""
    host = lab["winrm"]["hosts"]["dc1"]
    gpo = {"gpo_name": "Default Domain Controllers Policy", "gpo_guid": "{6AC1786C-016F-11D2-945F-00C04FB984F9}", "members": ["*S-1-5-80-0"]}
    fake_winrm_hosts.write_state(host, dict(fake_winrm_hosts.state(host), gpo_rights={"SeServiceLogonRight": gpo}))
    return 'step 2: "Log on as a service" on the acting domain controller dc1: the GPO defines the right without the account'
