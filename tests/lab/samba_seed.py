# -*- coding: utf-8 -*-
"""Seed the lab DC with the objects the tests use, over LDAPS as the domain administrator.

    OU=MDI Lab
      OU=Users        alice, bob, protected1 (adminCount=1)
        OU=Nested     carol
      OU=Groups       lab-group-1 (member: alice), mixed-servers (members: DC1$, srv1$)
      OU=Servers      srv1$ (a member server: must never be allowed to retrieve the gMSA password)
      helpdesk        the delegate that tests grant ACEs to
    OU=Outside        dave (out of every test scope)
"""
from __future__ import annotations

import secrets
import string

from ldap3 import MODIFY_REPLACE

UF_NORMAL_ACCOUNT = 0x200
UF_WORKSTATION_TRUST_ACCOUNT = 0x1000
GROUP_GLOBAL_SECURITY = -2147483646  # 0x80000002 as AD's signed integer


def lab_password(length: int = 20) -> str:
    """A random password that satisfies AD complexity (upper, lower, digit, symbol)."""
    core = "".join(secrets.choice(string.ascii_letters + string.digits) for _index in range(length - 4))
    return core + "Aa1!"


def sid_string(raw: bytes) -> str:
    revision, count = raw[0], raw[1]
    authority = int.from_bytes(raw[2:8], "big")
    subs = [int.from_bytes(raw[8 + 4 * i:12 + 4 * i], "little") for i in range(count)]
    return "S-" + "-".join(str(v) for v in [revision, authority, *subs])


def _search_base_exists(conn, dn: str) -> bool:
    try:
        return bool(conn.search(dn, "(objectClass=*)", search_scope="BASE", attributes=[]))
    except Exception:  # pylint: disable=broad-exception-caught  # noSuchObject raises
        return False


def _ensure(conn, dn: str, classes, attrs: dict) -> None:
    if not _search_base_exists(conn, dn):
        conn.add(dn, classes, attrs)


def _sid_of(conn, dn: str) -> str:
    conn.search(dn, "(objectClass=*)", search_scope="BASE", attributes=["objectSid"])
    return sid_string(conn.entries[0].objectSid.raw_values[0])


def _user(conn, dn: str, name: str, domain_dns: str, extra: dict | None = None) -> dict:
    password = lab_password()
    _ensure(conn, dn, ["top", "person", "organizationalPerson", "user"], {
        "sAMAccountName": name, "userPrincipalName": f"{name}@{domain_dns}",
        "unicodePwd": f'"{password}"'.encode("utf-16-le"), "userAccountControl": UF_NORMAL_ACCOUNT,
        **(extra or {}),
    })
    return {"dn": dn, "password": password, "sid": _sid_of(conn, dn), "upn": f"{name}@{domain_dns}"}


def seed(conn, info: dict) -> dict:
    base, dns = info["base_dn"], info["domain_dns"]
    lab_ou = f"OU=MDI Lab,{base}"
    ous = {
        "lab": lab_ou, "users": f"OU=Users,{lab_ou}", "nested": f"OU=Nested,OU=Users,{lab_ou}",
        "groups": f"OU=Groups,{lab_ou}", "servers": f"OU=Servers,{lab_ou}", "outside": f"OU=Outside,{base}",
    }
    for key in ("lab", "users", "nested", "groups", "servers", "outside"):
        _ensure(conn, ous[key], ["top", "organizationalUnit"], {})

    users = {
        "alice": _user(conn, f"CN=alice,{ous['users']}", "alice", dns),
        "bob": _user(conn, f"CN=bob,{ous['users']}", "bob", dns),
        "carol": _user(conn, f"CN=carol,{ous['nested']}", "carol", dns),
        "dave": _user(conn, f"CN=dave,{ous['outside']}", "dave", dns),
        "helpdesk": _user(conn, f"CN=helpdesk,{lab_ou}", "helpdesk", dns),
        "protected1": _user(conn, f"CN=protected1,{ous['users']}", "protected1", dns),
    }
    # Samba runs no SDProp; adminCount=1 is what tools (and our warnings) look at.
    conn.modify(users["protected1"]["dn"], {"adminCount": [(MODIFY_REPLACE, [1])]})

    srv_dn = f"CN=srv1,{ous['servers']}"
    _ensure(conn, srv_dn, ["top", "person", "organizationalPerson", "user", "computer"], {
        "sAMAccountName": "srv1$", "userAccountControl": UF_WORKSTATION_TRUST_ACCOUNT,
        "dNSHostName": f"srv1.{dns}",
    })
    dc_dn = f"CN={info['hostname'].split('.')[0].upper()},OU=Domain Controllers,{base}"
    computers = {"srv1": {"dn": srv_dn, "sid": _sid_of(conn, srv_dn)}, "dc1": {"dn": dc_dn, "sid": _sid_of(conn, dc_dn)}}

    groups = {}
    for name, members in (("lab-group-1", [users["alice"]["dn"]]), ("mixed-servers", [dc_dn, srv_dn])):
        dn = f"CN={name},{ous['groups']}"
        _ensure(conn, dn, ["top", "group"], {"sAMAccountName": name, "groupType": GROUP_GLOBAL_SECURITY})
        conn.modify(dn, {"member": [(MODIFY_REPLACE, members)]})
        groups[name] = {"dn": dn, "sid": _sid_of(conn, dn), "members": members}

    domain_sid = _sid_of(conn, base)
    return {"ous": ous, "users": users, "computers": computers, "groups": groups, "domain_sid": domain_sid}
