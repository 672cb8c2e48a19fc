# -*- coding: utf-8 -*-
"""One remediation action carried out on the acting domain controller with Samba's own Python bindings, as
the MDI sensor on that DC does it: `/usr/bin/python3 dc_action.py` with a JSON request on stdin, a JSON
outcome {"ok": bool, "error": text or null} on stdout. remediation.py runs it.

It runs under the SYSTEM python (python3-samba); the fake cloud's venv has no Samba bindings. Standard
library and `samba`/`ldb` only: the fake cloud never imports it.

  identity "local_system"  SamDB on the DC's own sam.ldb with system_session(), as `samba-tool ... -H
                           <sam.ldb>` does on a DC: the system identity, no network logon.
  identity "gmsa"          as the DC's machine account (set_machine_account with the DC's smb.conf), over
                           ldap://<dc> with NTLM, read msDS-ManagedPassword of the gMSA (Samba serves it only
                           to a principal of its retrieval list), unpack the current password, and bind as
                           `<name>$` in the NetBIOS domain with it: Samba's own access checks judge the change.

Actions: disable sets userAccountControl ACCOUNTDISABLE (0x2), enable clears it (both read it first),
forcePasswordReset sets pwdLastSet 0. LDAP error 50 (insufficient access) is a failed outcome that names
the attribute. No password or blob is ever written out.

Not emulated: Kerberos logons (NTLM only), the sensor's own retries, a DC other than the one given.
"""
from __future__ import annotations

import json
import sys

import ldb
from samba import credentials
from samba.auth import system_session
from samba.dcerpc import gmsa
from samba.ndr import ndr_unpack
from samba.param import LoadParm
from samba.samdb import SamDB

UF_ACCOUNTDISABLE = 0x2
ATTRIBUTES = {"disable": "userAccountControl", "enable": "userAccountControl", "forcePasswordReset": "pwdLastSet"}


class ActionFailed(Exception):
    """The outcome's error text."""


def _lp(smb_conf: str):
    lp = LoadParm()
    lp.load(smb_conf)
    return lp


def _network_credentials(lp, username: str | None = None, domain: str | None = None, utf16_password: bytes | None = None):
    creds = credentials.Credentials()
    creds.guess(lp)
    if username is None:
        creds.set_machine_account(lp)  # the DC's own machine account, from its secrets.ldb
    else:
        creds.set_username(username)
        creds.set_domain(domain)
        creds.set_utf16_password(utf16_password)
    creds.set_kerberos_state(credentials.DONT_USE_KERBEROS)
    return creds


def _gmsa_samdb(request: dict, lp):
    """A SamDB bound as the gMSA, with the password the acting DC retrieved for it."""
    url, name = f"ldap://{request['dc_ip']}", request["gmsa"]
    try:
        as_dc = SamDB(url=url, credentials=_network_credentials(lp), lp=lp)
        found = as_dc.search(request["base_dn"], ldb.SCOPE_SUBTREE, f"(sAMAccountName={ldb.binary_encode(name)})",
                             attrs=["msDS-ManagedPassword"])
    except ldb.LdbError as exc:
        raise ActionFailed(f"the acting DC cannot read the gMSA {name}: {exc.args[-1]}") from None
    if not found:
        raise ActionFailed(f"the gMSA {name} does not exist in the domain")
    if "msDS-ManagedPassword" not in found[0]:
        raise ActionFailed(f"the acting DC cannot retrieve the gMSA's password ({name}: msDS-ManagedPassword not returned; "
                           "is the DC in its retrieval list, msDS-GroupMSAMembership?)")
    blob = ndr_unpack(gmsa.MANAGEDPASSWORD_BLOB, found[0]["msDS-ManagedPassword"][0])
    creds = _network_credentials(lp, name, request["netbios"], blob.passwords.current)
    try:
        return SamDB(url=url, credentials=creds, lp=lp)
    except ldb.LdbError as exc:
        raise ActionFailed(f"logon failure: the gMSA {name} cannot authenticate to the DC: {exc.args[-1]}") from None


def _local_system_samdb(request: dict, lp):
    return SamDB(url=request["sam_ldb"], session_info=system_session(), lp=lp)


def act(request: dict) -> dict:
    lp = _lp(request["smb_conf"])
    samdb = _gmsa_samdb(request, lp) if request["identity"] == "gmsa" else _local_system_samdb(request, lp)
    action, attribute = request["action"], ATTRIBUTES[request["action"]]
    target = f"<SID={request['sid']}>"
    try:
        found = samdb.search(target, ldb.SCOPE_BASE, attrs=["userAccountControl"])
    except ldb.LdbError as exc:
        raise ActionFailed(f"the account {request['sid']} cannot be read: {exc.args[-1]}") from None
    if not found:
        raise ActionFailed(f"the account {request['sid']} does not exist")
    entry = found[0]
    if action == "forcePasswordReset":
        value = "0"
    else:
        if "userAccountControl" not in entry:
            raise ActionFailed(f"userAccountControl of {entry.dn} is not readable by this identity")
        uac = int(entry["userAccountControl"][0])
        value = str(uac | UF_ACCOUNTDISABLE if action == "disable" else uac & ~UF_ACCOUNTDISABLE)
    message = ldb.Message(entry.dn)
    message[attribute] = ldb.MessageElement(value, ldb.FLAG_MOD_REPLACE, attribute)
    try:
        samdb.modify(message)
    except ldb.LdbError as exc:
        code, text = exc.args[0], exc.args[-1]
        if code == ldb.ERR_INSUFFICIENT_ACCESS_RIGHTS:
            raise ActionFailed(f"insufficient access (LDAP error 50) writing {attribute} of {entry.dn}: {text}") from None
        raise ActionFailed(f"writing {attribute} of {entry.dn} failed (LDAP error {code}): {text}") from None
    return {"ok": True, "error": None}


def main() -> int:
    request = json.loads(sys.stdin.read())
    try:
        outcome = act(request)
    except ActionFailed as exc:
        outcome = {"ok": False, "error": str(exc)}
    print(json.dumps(outcome))
    return 0


if __name__ == "__main__":
    sys.exit(main())
