# -*- coding: utf-8 -*-
"""Seed the lab DC with the objects the tests use, over LDAPS as the domain administrator.

    OU=MDI Lab
      OU=Users        alice, bob, protected1 (adminCount=1, DACL protected like SDProp leaves it)
        OU=Nested     carol
      OU=Groups       lab-group-1 (member: alice), mixed-servers (members: DC1$, srv1$)
      OU=Servers      srv1$ (a member server: must never be allowed to retrieve the gMSA password)
      helpdesk        the delegate that tests grant ACEs to
    OU=Outside        dave (out of every test scope)

Idempotent: existing objects are kept, but their passwords are reset (so the returned ones are
valid), accounts re-enabled and memberships and adminCount set again.
"""
from __future__ import annotations

import secrets
import string
import struct

from ldap3 import BASE, MODIFY_REPLACE
from ldap3.core.exceptions import LDAPNoSuchObjectResult
from ldap3.protocol.microsoft import security_descriptor_control

UF_ACCOUNTDISABLE = 0x2
UF_NORMAL_ACCOUNT = 0x200
UF_WORKSTATION_TRUST_ACCOUNT = 0x1000
GROUP_GLOBAL_SECURITY = -2147483646  # 0x80000002 as AD's signed integer

SE_DACL_PROTECTED = 0x1000
INHERITED_ACE = 0x10
DACL_ONLY = 0x4  # LDAP_SERVER_SD_FLAGS: read/write the DACL alone

USER_CLASSES = ["top", "person", "organizationalPerson", "user"]
COMPUTER_CLASSES = USER_CLASSES + ["computer"]


def lab_password(length: int = 20, avoid: str = "") -> str:
    """A random password that satisfies AD complexity (upper, lower, digit, symbol).

    AD (and Samba) also refuse a password that contains the account name: `avoid` it.
    """
    while True:
        core = "".join(secrets.choice(string.ascii_letters + string.digits) for _index in range(length - 4))
        password = core + "Aa1!"
        if not avoid or avoid.lower() not in password.lower():
            return password


def sid_string(raw: bytes) -> str:
    """Binary SID (objectSid) to its S-1-... form."""
    revision, count = raw[0], raw[1]
    authority = int.from_bytes(raw[2:8], "big")
    subs = [int.from_bytes(raw[8 + 4 * i:12 + 4 * i], "little") for i in range(count)]
    return "S-" + "-".join(str(v) for v in [revision, authority, *subs])


def _exists(conn, dn: str) -> bool:
    try:
        return bool(conn.search(dn, "(objectClass=*)", search_scope=BASE, attributes=[]))
    except LDAPNoSuchObjectResult:
        return False


def _ensure(conn, dn: str, classes: list, attrs: dict) -> bool:
    """Add the object unless it exists; True when it was added."""
    if _exists(conn, dn):
        return False
    conn.add(dn, classes, attrs)
    return True


def _read_one(conn, dn: str, attribute: str, controls=None):
    conn.search(dn, "(objectClass=*)", search_scope=BASE, attributes=[attribute], controls=controls)
    return conn.entries[0][attribute].raw_values[0]


def _sid_of(conn, dn: str) -> str:
    return sid_string(_read_one(conn, dn, "objectSid"))


def _encode_password(password: str) -> bytes:
    return f'"{password}"'.encode("utf-16-le")


def _user(conn, dn: str, name: str, domain_dns: str) -> dict:
    password = lab_password(avoid=name)
    upn = f"{name}@{domain_dns}"
    added = _ensure(conn, dn, USER_CLASSES, {
        "sAMAccountName": name, "userPrincipalName": upn,
        "unicodePwd": _encode_password(password), "userAccountControl": UF_NORMAL_ACCOUNT,
    })
    if not added:  # reseeding: make the password we return the valid one, and the account usable
        conn.modify(dn, {"unicodePwd": [(MODIFY_REPLACE, [_encode_password(password)])],
                         "userAccountControl": [(MODIFY_REPLACE, [UF_NORMAL_ACCOUNT])]})
    return {"dn": dn, "password": password, "sid": _sid_of(conn, dn), "upn": upn}


def protect_dacl(descriptor: bytes) -> bytes:
    """What SDProp does to a protected account's DACL: inheritance off, every ACE explicit.

    `descriptor` is a self-relative security descriptor read with the DACL-only SD flags.
    """
    sd = bytearray(descriptor)
    control, dacl_offset = struct.unpack_from("<H", sd, 2)[0], struct.unpack_from("<I", sd, 16)[0]
    struct.pack_into("<H", sd, 2, control | SE_DACL_PROTECTED)
    if dacl_offset:
        ace_count = struct.unpack_from("<H", sd, dacl_offset + 4)[0]
        ace = dacl_offset + 8
        for _index in range(ace_count):
            sd[ace + 1] &= ~INHERITED_ACE & 0xFF
            ace += struct.unpack_from("<H", sd, ace + 2)[0]
    return bytes(sd)


def _make_protected(conn, dn: str, base: str) -> None:
    """adminCount=1 and AdminSDHolder's DACL, protected: Samba runs no SDProp, so do its work once."""
    dacl_only = security_descriptor_control(sdflags=DACL_ONLY)  # already a list of controls
    holder = _read_one(conn, f"CN=AdminSDHolder,CN=System,{base}", "nTSecurityDescriptor", controls=dacl_only)
    conn.modify(dn, {"adminCount": [(MODIFY_REPLACE, [1])],
                     "nTSecurityDescriptor": [(MODIFY_REPLACE, [protect_dacl(holder)])]}, controls=dacl_only)


def _computer(conn, dn: str, name: str, domain_dns: str) -> dict:
    _ensure(conn, dn, COMPUTER_CLASSES, {
        "sAMAccountName": f"{name}$", "userAccountControl": UF_WORKSTATION_TRUST_ACCOUNT,
        "dNSHostName": f"{name}.{domain_dns}",
    })
    return {"dn": dn, "sid": _sid_of(conn, dn), "sam_account_name": f"{name}$", "dns_host_name": f"{name}.{domain_dns}"}


def _domain_controller(conn, base: str, domain_dns: str, hostname: str) -> dict:
    """The DC's own computer object, found by name rather than assumed."""
    sam = f"{hostname.upper()}$"
    conn.search(f"OU=Domain Controllers,{base}", f"(sAMAccountName={sam})", attributes=["objectSid"])
    entry = conn.entries[0]
    return {"dn": entry.entry_dn, "sid": sid_string(entry.objectSid.raw_values[0]), "sam_account_name": sam,
            "dns_host_name": f"{hostname}.{domain_dns}"}


def _group(conn, dn: str, name: str, members: list) -> dict:
    _ensure(conn, dn, ["top", "group"], {"sAMAccountName": name, "groupType": GROUP_GLOBAL_SECURITY})
    conn.modify(dn, {"member": [(MODIFY_REPLACE, members)]})
    return {"dn": dn, "sid": _sid_of(conn, dn), "members": members}


def organizational_units(base: str) -> dict:
    lab_ou = f"OU=MDI Lab,{base}"
    return {
        "lab": lab_ou, "users": f"OU=Users,{lab_ou}", "nested": f"OU=Nested,OU=Users,{lab_ou}",
        "groups": f"OU=Groups,{lab_ou}", "servers": f"OU=Servers,{lab_ou}", "outside": f"OU=Outside,{base}",
    }


def seed(conn, info: dict) -> dict:
    """Create (or refresh) the lab objects; returns ous, users, computers, groups, domain_sid."""
    base, dns = info["base_dn"], info["domain_dns"]
    ous = organizational_units(base)
    for dn in ous.values():  # parents come first in the dict
        _ensure(conn, dn, ["top", "organizationalUnit"], {})

    homes = {"alice": ous["users"], "bob": ous["users"], "carol": ous["nested"], "dave": ous["outside"],
             "helpdesk": ous["lab"], "protected1": ous["users"]}
    users = {name: _user(conn, f"CN={name},{home}", name, dns) for name, home in homes.items()}
    _make_protected(conn, users["protected1"]["dn"], base)

    computers = {
        "dc1": _domain_controller(conn, base, dns, info["hostname"].split(".")[0]),
        "srv1": _computer(conn, f"CN=srv1,{ous['servers']}", "srv1", dns),
    }
    groups = {
        "lab-group-1": _group(conn, f"CN=lab-group-1,{ous['groups']}", "lab-group-1", [users["alice"]["dn"]]),
        "mixed-servers": _group(conn, f"CN=mixed-servers,{ous['groups']}", "mixed-servers",
                                [computers["dc1"]["dn"], computers["srv1"]["dn"]]),
    }
    return {"ous": ous, "users": users, "computers": computers, "groups": groups, "domain_sid": _sid_of(conn, base)}
