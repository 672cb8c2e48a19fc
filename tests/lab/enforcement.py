# -*- coding: utf-8 -*-
"""What a lab user may really do to the seeded objects, as the Samba DC enforces it: the proof that the MDI
ACE preset works (and goes no further). Used by tests/integration/test_ad_ace.py and by molecule's verify.

`python tests/lab/enforcement.py USER` prints the attempts as JSON and puts the passwords back.
"""
from __future__ import annotations

import json
import ssl
import sys

import ldap3

from labinfo import load_lab

NEW_PASSWORD = '"Helpdesk-Reset-1!"'.encode("utf-16-le")


def bind(lab: dict, user: str | None = None) -> ldap3.Connection:
    """An LDAPS connection as a seeded user, or as the domain admin without one."""
    samba = lab["samba"]
    tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=lab["ca_cert"])
    server = ldap3.Server(samba["ip"], port=636, use_ssl=True, tls=tls, get_info=ldap3.NONE)
    if user is None:
        return ldap3.Connection(server, samba["admin_upn"], samba["admin_password"], auto_bind=True)
    return ldap3.Connection(server, samba["users"][user]["upn"], samba["users"][user]["password"], auto_bind=True)


def attempts(conn: ldap3.Connection, lab: dict) -> dict:
    """True where the DC accepted the change: the preset's four powers inside OU=MDI Lab, and two it must refuse."""
    samba = lab["samba"]
    alice, dave = samba["users"]["alice"]["dn"], samba["users"]["dave"]["dn"]
    group, bob = samba["groups"]["lab-group-1"]["dn"], samba["users"]["bob"]["dn"]

    def accepted(dn, changes):
        conn.modify(dn, changes)
        return conn.result["result"] == 0

    conn.search(alice, "(objectClass=*)", search_scope="BASE", attributes=["userAccountControl"])
    uac = int(conn.entries[0]["userAccountControl"].value) if conn.entries else 512
    return {
        "reset_password": accepted(alice, {"unicodePwd": [(ldap3.MODIFY_REPLACE, [NEW_PASSWORD])]}),
        "pwd_last_set": accepted(alice, {"pwdLastSet": [(ldap3.MODIFY_REPLACE, ["0"])]}),
        "user_account_control": accepted(alice, {"userAccountControl": [(ldap3.MODIFY_REPLACE, [str(uac ^ 0x2)])]})
        and accepted(alice, {"userAccountControl": [(ldap3.MODIFY_REPLACE, [str(uac)])]}),
        "group_member": accepted(group, {"member": [(ldap3.MODIFY_ADD, [bob])]}) and accepted(group, {"member": [(ldap3.MODIFY_DELETE, [bob])]}),
        "description": accepted(alice, {"description": [(ldap3.MODIFY_REPLACE, ["changed by helpdesk"])]}),
        "outside_reset_password": accepted(dave, {"unicodePwd": [(ldap3.MODIFY_REPLACE, [NEW_PASSWORD])]}),
    }


def restore_passwords(admin: ldap3.Connection, lab: dict) -> None:
    """Put back the seeded passwords of the users attempts() may have changed."""
    users = lab["samba"]["users"]
    for name in ("alice", "dave"):
        password = f'"{users[name]["password"]}"'.encode("utf-16-le")
        admin.modify(users[name]["dn"], {"unicodePwd": [(ldap3.MODIFY_REPLACE, [password])], "pwdLastSet": [(ldap3.MODIFY_REPLACE, ["-1"])]})


def main() -> None:
    lab = load_lab()
    with bind(lab, sys.argv[1]) as conn:
        result = attempts(conn, lab)
    with bind(lab) as admin:
        restore_passwords(admin, lab)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
