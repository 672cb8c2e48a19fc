# -*- coding: utf-8 -*-
"""The identityAccounts behind the fake Graph: one #microsoft.graph.security.user per user account of the
lab domain, read from the lab's Samba DC over LDAPS (validated with the lab CA) as the domain
administrator at request time, so an account created later (a canary) is listed at once.

Which accounts: objectClass user and not computer, i.e. people and service users, enabled or disabled;
no computers, no gMSAs (both are computer objects), and not krbtgt (an action on it would break the
lab's Kerberos, and MDI remediates people). In sAMAccountName order, so paging is stable.

Shape (graph-identities.md 2.2/2.3, CSDL names): id = uuid5 of the objectSid (stable across restarts),
displayName (the account's displayName, else its cn: the lab's users have none), domain (the lab domain's
DNS name), onPremisesSecurityIdentifier, cloudSecurityIdentifier (a made-up S-1-12-4-... derived from the
SID: Microsoft's own is a cloud SID the lab has none of), isEnabled (userAccountControl bit 0x2 clear),
emailAddress null, userPrincipalName (null without one), and accounts = one activeDirectory entry whose
identifier (uuid5 of "activeDirectory:" + SID) is NOT the identity's id, with the actions it offers:
enable when disabled, else disable, and forcePasswordReset.

$filter: only the documented form `onPremisesSecurityIdentifier eq 'S-1-...'`, exactly so; any other
filter is refused with 400 naming it.

Not emulated: Entra ID and Okta accounts (no identity has them), accounts of other domains or forests,
emailAddress, MDI's own delay in observing a new account (here: none), other $filter forms.
"""
from __future__ import annotations

import hashlib
import re
import ssl
import struct
import uuid

import ldap3
from ldap3.core.exceptions import LDAPException
from ldap3.protocol.formatters.formatters import format_sid
from ldap3.utils.conv import escape_filter_chars

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://graph.lab.test/v1.0/security/identities/identityAccounts")
PROVIDER = "activeDirectory"
ACTIONS = ("disable", "enable", "forcePasswordReset")
UF_ACCOUNTDISABLE = 0x2
USERS = "(&(objectClass=user)(!(objectClass=computer))(!(sAMAccountName=krbtgt)))"
_ATTRIBUTES = ["objectSid", "sAMAccountName", "userPrincipalName", "displayName", "cn", "userAccountControl"]
_FILTER = re.compile(r"onPremisesSecurityIdentifier eq '(S-1-\d+(?:-\d+)+)'")


class DirectoryUnavailable(Exception):
    """The lab's Samba DC did not answer the listing."""


def _search(directory: dict, ldap_filter: str, attributes: list[str]) -> list[dict]:
    """The raw attributes of every match under the base DN, as the domain administrator over LDAPS."""
    tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=directory["ca_cert"])
    server = ldap3.Server(directory["ip"], port=636, use_ssl=True, tls=tls, get_info=ldap3.NONE, connect_timeout=5)
    try:
        with ldap3.Connection(server, directory["bind_user"], directory["bind_password"], auto_bind=True,
                              raise_exceptions=True, receive_timeout=20) as conn:
            found = conn.extend.standard.paged_search(directory["base_dn"], ldap_filter, attributes=attributes,
                                                      paged_size=500, generator=False)
            return [entry["raw_attributes"] for entry in found if entry.get("type") == "searchResEntry"]
    except LDAPException as exc:
        raise DirectoryUnavailable(f"the lab's Samba DC did not answer: {exc}") from exc


def _text(raw: dict, name: str) -> str | None:
    values = raw.get(name) or []
    return values[0].decode("utf-8") if values else None


def users(config: dict) -> list[dict]:
    """The lab domain's user accounts: {sid, sam_account_name, upn, display_name, enabled}, by sAMAccountName."""
    directory = config.get("directory")
    if not directory:
        return []  # a cloud without the Samba DC observes no domain
    result = []
    for raw in _search(directory, USERS, _ATTRIBUTES):
        uac = int(_text(raw, "userAccountControl") or 0)
        result.append({"sid": format_sid(raw["objectSid"][0]), "sam_account_name": _text(raw, "sAMAccountName"),
                       "upn": _text(raw, "userPrincipalName"), "display_name": _text(raw, "displayName") or _text(raw, "cn"),
                       "enabled": not uac & UF_ACCOUNTDISABLE})
    return sorted(result, key=lambda user: (user["sam_account_name"] or "").lower())


def account_sid(config: dict, sam_account_name: str) -> str | None:
    """The SID of the domain account with that sAMAccountName (a gMSA too), None when there is none."""
    directory = config.get("directory")
    if not directory:
        return None
    found = _search(directory, f"(sAMAccountName={escape_filter_chars(sam_account_name)})", ["objectSid"])
    return format_sid(found[0]["objectSid"][0]) if found else None


def identity_id(sid: str) -> str:
    return str(uuid.uuid5(NAMESPACE, sid.upper()))


def account_id(sid: str) -> str:
    """The activeDirectory account's identifier: what invokeAction takes as accountId (not the identity's id)."""
    return str(uuid.uuid5(NAMESPACE, f"{PROVIDER}:{sid.upper()}"))


def cloud_sid(sid: str) -> str:
    digest = hashlib.sha256(f"cloud:{sid.upper()}".encode()).digest()
    return "S-1-12-4-" + "-".join(str(part) for part in struct.unpack("<4I", digest[:16]))


def to_graph(user: dict, domain: str) -> dict:
    return {
        "@odata.type": "#microsoft.graph.security.user",
        "id": identity_id(user["sid"]), "displayName": user["display_name"], "domain": domain,
        "onPremisesSecurityIdentifier": user["sid"], "cloudSecurityIdentifier": cloud_sid(user["sid"]),
        "isEnabled": user["enabled"], "emailAddress": None, "userPrincipalName": user["upn"],
        "accounts": [{"identifier": account_id(user["sid"]), "identityProvider": PROVIDER,
                      "actions": ["disable" if user["enabled"] else "enable", "forcePasswordReset"]}],
    }


def identity_accounts(config: dict, _settings: dict) -> list[dict]:
    """The collection, as graph.py builds collections."""
    domain = (config.get("directory") or {}).get("domain_dns")
    return [to_graph(user, domain) for user in users(config)]


def apply_filter(items: list[dict], expression: str) -> list[dict]:
    """The items the documented $filter keeps; ValueError naming any other filter."""
    match = _FILTER.fullmatch(expression)
    if not match:
        raise ValueError(f"Unsupported filter '{expression}' on identityAccounts: the lab's fake Graph supports only "
                         "onPremisesSecurityIdentifier eq 'S-1-...', the documented form.")
    return [item for item in items if item["onPremisesSecurityIdentifier"].upper() == match.group(1).upper()]
