# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: LDAP results and failures as messages a user can act on."""
from __future__ import annotations

import re

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError


class LdapError(MdiError):
    """An LDAP operation or bind failed; ``result`` is the LDAP result code name when there is one."""


# Active Directory's sub-codes in the diagnostic message of invalidCredentials (49).
_BIND_DATA = {
    "525": "the user does not exist", "52e": "the user name or password is wrong", "530": "logon not permitted at this time",
    "531": "logon not permitted from this workstation", "532": "the password has expired", "533": "the account is disabled",
    "701": "the account has expired", "773": "the user must change the password", "775": "the account is locked out",
}

_RESULT_HINTS = {
    "insufficientAccessRights": "the bind account lacks the right to do this",
    "noSuchObject": "the object does not exist",
    "entryAlreadyExists": "an object with this name already exists",
    "constraintViolation": "the directory refused a value (constraint violation)",
    "unwillingToPerform": "the directory is unwilling to perform this change",
    "objectClassViolation": "the object class does not allow this change",
    "attributeOrValueExists": "the value is already there",
    "noSuchAttribute": "the value or attribute is not there",
    "strongerAuthRequired": "the DC requires a signed or encrypted connection: use tls_mode=ldaps or tls_mode=starttls",
    "busy": "the DC is busy; try again",
    "unavailable": "the DC is unavailable",
}


def describe_result(result: dict) -> str:
    """One line from an ldap3 result dict: what went wrong, and the server's own words."""
    name = result.get("description") or str(result.get("result"))
    hint = _RESULT_HINTS.get(name, name)
    detail = (result.get("message") or "").strip().rstrip("\x00")
    return f"{hint} ({name}{': ' + detail if detail else ''})"


def bind_failure(result: dict, username: str | None) -> LdapError:
    name = result.get("description", "")
    detail = result.get("message") or ""
    if name == "invalidCredentials":
        code = re.search(r"data ([0-9a-f]{3})", detail)
        why = _BIND_DATA.get(code.group(1) if code else "", "the user name or password is wrong")
        return LdapError(f"bind as {username!r} refused: {why} (invalidCredentials). Check username and password.", result=name)
    return LdapError(f"bind as {username!r} refused: {describe_result(result)}", result=name)


def connect_failure(server: str, port: int, exc: Exception) -> LdapError:
    text = str(exc)
    if re.search(r"certificate verify failed|CERTIFICATE_VERIFY_FAILED", text, re.IGNORECASE):
        why = ("its certificate is not trusted: set ca_cert to the PEM file of the CA that issued the DC's certificate"
               " (validate_certs=false only in a lab)")
    elif re.search(r"hostname|match|doesn't match|not valid for", text, re.IGNORECASE):
        why = "its certificate is not issued for this name: set server to a name the certificate carries"
    elif re.search(r"refused", text, re.IGNORECASE):
        why = "the connection was refused (is LDAP served on this port?)"
    elif re.search(r"timed out|timeout", text, re.IGNORECASE):
        why = "no answer before the timeout"
    else:
        why = text
    return LdapError(f"cannot connect to {server}:{port}: {why}", cause=text)
