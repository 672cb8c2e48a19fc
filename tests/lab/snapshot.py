# -*- coding: utf-8 -*-
"""A digest of everything the collection may change in the lab, read without the collection: the gMSAs and their
settings (the password retrieval list among them), the DACLs of the domain root and OU=MDI Lab, the KDS root keys, the GPOs,
each fake DC's user rights, and the portal's registrations, LocalSystem switch and automatic auditing switch.
Molecule's check and teardown scenarios compare two of them.

`python tests/lab/snapshot.py save FILE` writes one; `python tests/lab/snapshot.py compare FILE` exits 1 and
names every difference from the lab as it is now.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import requests
from ldap3.protocol.microsoft import security_descriptor_control

import fake_winrm_hosts
from enforcement import bind
from labinfo import load_lab

DACL_ONLY = security_descriptor_control(sdflags=0x04)


def _dacl_digest(conn, dn: str) -> str:
    conn.search(dn, "(objectClass=*)", search_scope="BASE", attributes=["nTSecurityDescriptor"], controls=DACL_ONLY)
    return hashlib.sha256(conn.response[0]["raw_attributes"]["nTSecurityDescriptor"][0]).hexdigest()


def _names(conn, base: str, ldap_filter: str) -> list[str]:
    conn.search(base, ldap_filter, attributes=["cn"])
    return sorted(entry.entry_dn for entry in conn.entries)


# The gMSA attributes the collection sets (the password retrieval list among them), digested per account.
GMSA_SETTINGS = ["msDS-GroupMSAMembership", "msDS-ManagedPasswordInterval", "dNSHostName", "msDS-SupportedEncryptionTypes",
                 "servicePrincipalName", "msDS-AllowedToDelegateTo", "description"]


def _gmsa_settings(conn, base: str) -> dict[str, str]:
    conn.search(base, "(objectClass=msDS-GroupManagedServiceAccount)", attributes=GMSA_SETTINGS)
    return {entry["dn"]: hashlib.sha256(json.dumps({k: sorted(v.hex() for v in entry["raw_attributes"].get(k, []))
                                                    for k in GMSA_SETTINGS}, sort_keys=True).encode()).hexdigest()
            for entry in conn.response if entry.get("type") == "searchResEntry"}


def take(lab: dict) -> dict:
    samba = lab["samba"]
    with bind(lab) as conn:
        directory = {
            "gmsa": _names(conn, samba["base_dn"], "(objectClass=msDS-GroupManagedServiceAccount)"),
            "gmsa settings": _gmsa_settings(conn, samba["base_dn"]),
            "kds_root_keys": _names(conn, f"CN=Configuration,{samba['base_dn']}", "(objectClass=msKds-ProvRootKey)"),
            "gpos": _names(conn, f"CN=Policies,CN=System,{samba['base_dn']}", "(objectClass=groupPolicyContainer)"),
            "dacl domain root": _dacl_digest(conn, samba["base_dn"]),
            "dacl OU=MDI Lab": _dacl_digest(conn, samba["ous"]["lab"]),
        }
    hosts = {name: fake_winrm_hosts.state(host)["rights"] for name, host in sorted(lab["winrm"]["hosts"].items())}
    portal = requests.get(f"{lab['cloud']['control_urls']['portal']}/state", verify=lab["ca_cert"], timeout=10).json()
    return {"directory": directory, "hosts": hosts,
            "portal": {"accounts": sorted(a["Id"] for a in portal["accounts"]), "local_system": portal["local_system"],
                       "auto_auditing": portal["auto_auditing"]}}


def differences(before: dict, now: dict, path: str = "") -> list[str]:
    if isinstance(before, dict) and isinstance(now, dict):
        found = []
        for key in sorted(set(before) | set(now)):
            found += differences(before.get(key), now.get(key), f"{path}/{key}")
        return found
    return [] if before == now else [f"{path}: {before!r} -> {now!r}"]


def main() -> int:
    action, path = sys.argv[1], Path(sys.argv[2])
    now = take(load_lab())
    if action == "save":
        path.write_text(json.dumps(now, indent=1, sort_keys=True))
        return 0
    found = differences(json.loads(path.read_text()), now)
    print("\n".join(found) if found else "the lab is as it was")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
