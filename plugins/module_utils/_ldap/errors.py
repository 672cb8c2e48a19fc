# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: LDAP results and failures as causes a user can act on.

Each function returns an LdapError whose message is the cause part of "Failed to <action> <object>: <cause>";
it names the object, what the directory said (result name, code and diagnostic) and, where there is one, the
option that fixes it.
"""
from __future__ import annotations

import re

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError


class LdapError(MdiError):
    """An LDAP connection, bind or operation failed. ``details`` may hold ``ldap_result`` (code, description,
    message) and ``dn``."""


# Active Directory's sub-codes ("data 52e") in the diagnostic message of invalidCredentials (49).
AD_BIND_DATA = {
    "525": "the user does not exist",
    "52e": "the user name or password is wrong",
    "530": "the account may not log on at this time",
    "531": "the account may not log on from this workstation",
    "532": "the password has expired",
    "533": "the account is disabled",
    "568": "the account is in too many groups",
    "701": "the account has expired",
    "773": "the user must change the password before logging on",
    "775": "the account is locked out",
}
_BIND_DATA_ADVICE = {"525": "check username", "52e": "check username and password"}

# A bind refused for missing or wrong TLS channel bindings: SEC_E_BAD_BINDINGS, invalidCredentials (49) with
# "80090346: LdapErr: DSID-..., comment: AcceptSecurityContext error, data 80090346, v4563" from Windows
# (LdapEnforceChannelBinding) and "... data 35b, v1db1" from Samba 4.22 (ldap server require strong auth = yes).
BAD_CHANNEL_BINDINGS = "80090346"
# A bind refused because the DC requires LDAP signing (Windows: LDAPServerIntegrity, the default of new Windows Server
# 2025 domains) and the connection has no TLS is strongerAuthRequired (8), from Windows with "00002028: LdapErr: DSID-...,
# comment: The server requires binds to turn on integrity checking if SSL\TLS are not already active on the connection".
_CHANNEL_BINDING_CAUSE = (
    "the domain controller requires LDAP channel binding (a token that ties the bind to this TLS connection) and the bind "
    "carried none, or one for another TLS connection (a TLS-inspecting proxy in between); the password may well be right. "
    "Use auth=kerberos with tls_mode=ldaps or tls_mode=starttls (ldap3 sends channel bindings with Kerberos, computed with "
    "the Python package cryptography) or auth=simple over TLS (channel binding does not apply to simple binds); ldap3 2.9 "
    "sends none with auth=ntlm. Only if neither is possible, lower the DC's 'Domain controller: LDAP server channel binding "
    "token requirements' (LdapEnforceChannelBinding) from Always (2) to When supported (1), on Samba "
    "'ldap server require strong auth' to allow_sasl_without_tls_channel_bindings"
)
_SIGNING_CAUSE = (
    "the domain controller requires LDAP signing or TLS for every bind (Windows: 'Domain controller: LDAP server signing "
    "requirements', enforced by default in new Windows Server 2025 domains; Samba: ldap server require strong auth), and "
    "ldap3 neither signs nor seals: use tls_mode=ldaps or tls_mode=starttls"
)

VERBS = {"search": "read", "read": "read", "add": "create", "modify": "modify", "delete": "delete", "rename": "rename"}

# Result description -> cause; {verb} {dn} {user} are filled in.
_CAUSES = {
    "insufficientAccessRights": "the bind account {user} lacks the right to {verb} {dn}",
    "noSuchObject": "{dn} does not exist",
    "entryAlreadyExists": "{dn} already exists",
    "notAllowedOnNonLeaf": "{dn} has child objects; they must be removed first",
    "constraintViolation": "the directory refused a value for {dn} (a constraint of the attribute or of AD)",
    "unwillingToPerform": "the directory is unwilling to {verb} {dn} this way",
    "objectClassViolation": "the change to {dn} breaks the rules of its object class (a mandatory attribute missing or one not allowed)",
    "attributeOrValueExists": "a value added to {dn} is already there",
    "noSuchAttribute": "a value removed from {dn} is not there",
    "undefinedAttributeType": "an attribute named for {dn} is not in the schema",
    "invalidAttributeSyntax": "a value for {dn} does not have the syntax of its attribute",
    "invalidDNSyntax": "{dn!r} is not a valid distinguished name",
    "namingViolation": "{dn} is not a valid name for this object or place",
    "strongerAuthRequired": "the domain controller requires a signed or encrypted connection: use tls_mode=ldaps or tls_mode=starttls",
    "confidentialityRequired": "the domain controller requires an encrypted connection: use tls_mode=ldaps or tls_mode=starttls",
    "sizeLimitExceeded": "reading {dn} returned more entries than the domain controller allows",
    "timeLimitExceeded": "reading {dn} took longer than the domain controller allows",
    "adminLimitExceeded": "the request for {dn} exceeds an administrative limit of the domain controller",
    "busy": "the domain controller is busy; try again later",
    "unavailable": "the domain controller is unavailable; try again later or use another one (server)",
    "operationsError": "the domain controller could not {verb} {dn} (operationsError)",
}


def result_summary(result: dict) -> str:
    """"insufficientAccessRights 50: <the server's words>" out of an ldap3 result dict."""
    name = result.get("description") or "unknown result"
    detail = (result.get("message") or "").strip().rstrip("\x00").strip()
    return f"{name} {result.get('result')}" + (f": {detail}" if detail else "")


def _ldap_result(result: dict) -> dict:
    return {key: result.get(key) for key in ("result", "description", "message")}


def operation_error(operation: str, dn: str, result: dict, user: str | None) -> LdapError:
    """An operation (search, read, add, modify, delete) answered with an error result."""
    name = result.get("description") or ""
    shown = dn or "the rootDSE"
    if name == "referral":
        targets = ", ".join(result.get("referrals") or []) or "another server"
        cause = f"{shown} is held by another domain or partition (referral to {targets}): point server at a domain controller of it"
    elif name in _CAUSES:
        cause = _CAUSES[name].format(verb=VERBS.get(operation, operation), dn=shown, user=repr(user) if user else "(anonymous)")
        if name == "noSuchObject" and result.get("dn"):
            cause += f" (the closest existing parent is {result['dn']})"
    else:
        cause = f"LDAP {operation} of {shown} failed"
    return LdapError(f"{cause} ({result_summary(result)})", ldap_result=_ldap_result(result), dn=dn)


WRITES = ("add", "modify", "delete", "move")  # the operation names of LdapClient._call


def broken_connection_error(operation: str, dn: str, server: str, exc: Exception) -> LdapError:
    """ldap3 raised (socket closed, receive timeout) instead of answering with a result."""
    message = f"the connection to {server} broke during the LDAP {operation} of {dn or 'the rootDSE'}: {exc}."
    if operation in WRITES:  # the request may or may not have reached the DC: only a new read tells
        message += (" Whether the domain controller made this change is unknown; once it answers again, rerun: the task reads"
                    " what is there and does only what is missing")
    else:
        message += " Nothing was written by this request; once the domain controller answers again, rerun"
    return LdapError(message, dn=dn)


def bind_error(result: dict, username: str | None) -> LdapError:
    """The bind answered with an error result."""
    name = result.get("description") or ""
    who = repr(username) if username else "anonymous"
    if name == "invalidCredentials" and BAD_CHANNEL_BINDINGS in (result.get("message") or ""):
        cause = f"bind as {who} refused: {_CHANNEL_BINDING_CAUSE}"
    elif name == "invalidCredentials":
        found = re.search(r"data ([0-9a-f]{3})", result.get("message") or "", re.IGNORECASE)
        code = found.group(1).lower() if found else ""
        why = AD_BIND_DATA.get(code, "the user name or password is wrong")
        advice = _BIND_DATA_ADVICE.get(code, "" if code in AD_BIND_DATA else "check username and password")
        cause = f"bind as {who} refused: {why}" + (f"; {advice}" if advice else "")
    elif name in ("strongerAuthRequired", "confidentialityRequired"):
        cause = f"bind as {who} refused: {_SIGNING_CAUSE}"
    elif name == "inappropriateAuthentication":
        cause = f"bind as {who} refused: this kind of bind is not allowed (an empty password counts as anonymous)"
    else:
        cause = f"bind as {who} refused"
    return LdapError(f"{cause} ({result_summary(result)})", ldap_result=_ldap_result(result))


# OpenSSL verify codes (X509_V_ERR_*) that mean "the issuer is not trusted" or "not this name".
_UNTRUSTED = {2, 18, 19, 20, 21}
_NAME_MISMATCH = {62, 64}
_EXPIRED = {9, 10}


def certificate_error(server: str, port: int, code: int, reason: str) -> LdapError:
    """The TLS handshake failed on the DC's certificate; says which option fixes it."""
    lab_only = "validate_certs=false turns validation off (only for a lab)"
    if code in _NAME_MISMATCH:
        cause = (f"the certificate of {server}:{port} is not issued for {server!r} ({reason}): set server (or the host's "
                 f"mdi_ldap_server) to a name or address the certificate carries, usually the DC's FQDN; {lab_only}")
    elif code in _EXPIRED:
        cause = f"the certificate of {server}:{port} is not valid now ({reason}): renew the DC's certificate or fix the clock"
    elif code in _UNTRUSTED:
        cause = (f"the certificate of {server}:{port} is not trusted ({reason}): set ca_cert (or the host's mdi_ldap_ca_cert) "
                 f"to the PEM file of the CA that issued it; {lab_only}")
    else:
        cause = f"the certificate of {server}:{port} was refused ({reason}); see ca_cert and validate_certs"
    return LdapError(cause, certificate_error={"code": code, "reason": reason})


def connect_error(server: str, port: int, tls_mode: str, timeout: int, exc: Exception) -> LdapError:
    """Opening the connection (TCP, TLS handshake or StartTLS) failed for another reason than the certificate."""
    text = str(exc)
    lowered = text.lower()
    if "starttls" in lowered:
        why = f"the domain controller refused StartTLS ({text}): use tls_mode=ldaps, or give the DC a certificate"
    elif "refused" in lowered:
        why = "connection refused: check server and port (is LDAP served there?)"
    elif "timed out" in lowered or "timeout" in lowered:
        why = f"no answer within {timeout} s: check server, port and firewalls, or raise timeout"
    elif any(n in lowered for n in ("invalid server address", "name or service not known", "nodename nor servname", "name resolution")):
        why = f"the name {server!r} does not resolve on the controller: check server"
    elif "unreachable" in lowered or "no route" in lowered:
        why = "the network is unreachable from the controller: check server"
    elif "ssl wrapping error" in lowered or "wrong version number" in lowered or "unexpected eof" in lowered:
        why = f"the TLS handshake failed ({text})"
        if tls_mode == "ldaps":
            why += f": is port {port} an LDAPS port? Port 389 needs tls_mode=starttls"
    else:  # something answered, but not as an LDAP server does (a reset, another protocol)
        why = f"{text}: check server and port (a domain controller's LDAP port: 636 with tls_mode=ldaps, 389 with starttls)"
    return LdapError(f"cannot connect to {server}:{port} ({tls_mode}): {why}", cause=text)
