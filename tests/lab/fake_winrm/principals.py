# -*- coding: utf-8 -*-
"""Principal resolution as a domain controller does it (LsaLookupNames / LsaLookupSids).

Well-known and BUILTIN principals come from a table; per-service SIDs (NT SERVICE\\name) are computed
the way Windows computes them; domain principals are looked up LIVE in the lab's Samba DC over LDAPS,
so an account created there (a gMSA, say) resolves on every fake host at once, as on a real DC.
"""
from __future__ import annotations

import hashlib
import re
import ssl
import struct
import threading

import ldap3
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars

from samba_seed import sid_string  # the lab's one SID decoder (the package runs with cwd tests/lab)

_SID = re.compile(r"^S-1-\d+(-\d+)*$", re.IGNORECASE)

WELL_KNOWN = {
    "S-1-0-0": "NULL SID", "S-1-1-0": "Everyone", "S-1-2-0": "LOCAL", "S-1-2-1": "CONSOLE LOGON",
    "S-1-3-0": "CREATOR OWNER", "S-1-3-1": "CREATOR GROUP", "S-1-3-4": "OWNER RIGHTS",
    "S-1-5-1": "NT AUTHORITY\\DIALUP", "S-1-5-2": "NT AUTHORITY\\NETWORK", "S-1-5-3": "NT AUTHORITY\\BATCH",
    "S-1-5-4": "NT AUTHORITY\\INTERACTIVE", "S-1-5-6": "NT AUTHORITY\\SERVICE", "S-1-5-7": "NT AUTHORITY\\ANONYMOUS LOGON",
    "S-1-5-9": "NT AUTHORITY\\ENTERPRISE DOMAIN CONTROLLERS", "S-1-5-10": "NT AUTHORITY\\SELF",
    "S-1-5-11": "NT AUTHORITY\\Authenticated Users", "S-1-5-12": "NT AUTHORITY\\RESTRICTED",
    "S-1-5-13": "NT AUTHORITY\\TERMINAL SERVER USER", "S-1-5-14": "NT AUTHORITY\\REMOTE INTERACTIVE LOGON",
    "S-1-5-15": "NT AUTHORITY\\This Organization", "S-1-5-17": "NT AUTHORITY\\IUSR", "S-1-5-18": "NT AUTHORITY\\SYSTEM",
    "S-1-5-19": "NT AUTHORITY\\LOCAL SERVICE", "S-1-5-20": "NT AUTHORITY\\NETWORK SERVICE",
    "S-1-5-64-10": "NT AUTHORITY\\NTLM Authentication", "S-1-5-113": "NT AUTHORITY\\Local account",
    "S-1-5-114": "NT AUTHORITY\\Local account and member of Administrators group",
    "S-1-5-80-0": "NT SERVICE\\ALL SERVICES", "S-1-5-83-0": "NT VIRTUAL MACHINE\\Virtual Machines",
    "S-1-5-90-0": "Window Manager\\Window Manager Group",
}
_BUILTIN = {
    544: "Administrators", 545: "Users", 546: "Guests", 548: "Account Operators", 549: "Server Operators",
    550: "Print Operators", 551: "Backup Operators", 552: "Replicator", 554: "Pre-Windows 2000 Compatible Access",
    555: "Remote Desktop Users", 556: "Network Configuration Operators", 557: "Incoming Forest Trust Builders",
    558: "Performance Monitor Users", 559: "Performance Log Users", 560: "Windows Authorization Access Group",
    561: "Terminal Server License Servers", 562: "Distributed COM Users", 568: "IIS_IUSRS", 569: "Cryptographic Operators",
    573: "Event Log Readers", 574: "Certificate Service DCOM Access", 575: "RDS Remote Access Servers",
    576: "RDS Endpoint Servers", 577: "RDS Management Servers", 578: "Hyper-V Administrators",
    579: "Access Control Assistance Operators", 580: "Remote Management Users", 582: "Storage Replica Administrators",
}
WELL_KNOWN.update({f"S-1-5-32-{rid}": f"BUILTIN\\{name}" for rid, name in _BUILTIN.items()})

# Services a Windows Server DC has installed: their NT SERVICE\<name> SIDs resolve, others do not.
SERVICES = ("WdiServiceHost", "TrustedInstaller", "WinRM", "NTDS", "DNS", "Netlogon", "W32Time", "Kdc",
            "DFSR", "EventLog", "Schedule", "AATPSensor", "AATPSensorUpdater")


def service_sid(name: str) -> str:
    """S-1-5-80-<SHA-1 of the upper-case name in UTF-16-LE, as five little-endian integers> (like `sc showsid`)."""
    digest = hashlib.sha1(name.upper().encode("utf-16-le")).digest()  # nosec - an identifier, as Windows derives it
    return "S-1-5-80-" + "-".join(str(part) for part in struct.unpack("<5I", digest))


WELL_KNOWN.update({service_sid(name): f"NT SERVICE\\{name}" for name in SERVICES})
_BY_NAME: dict[str, str] = {}
for _sid, _name in WELL_KNOWN.items():
    _BY_NAME[_name.lower()] = _sid
    _BY_NAME.setdefault(_name.rsplit("\\", maxsplit=1)[-1].lower(), _sid)  # isolated names resolve too


class UnknownPrincipal(Exception):
    """The name cannot be translated (IdentityNotMappedException on Windows)."""


def normalise_sid(text: str) -> str | None:
    """'S-1-5-18' for a well-formed SID string (also `*S-1-...` as GptTmpl.inf and RSoP write them), else None."""
    text = text.strip().lstrip("*")
    if not _SID.match(text):
        return None
    parts = text.split("-")
    if len(parts) - 3 > 15 or any(int(p) > 0xFFFFFFFF for p in parts[3:]):
        return None  # more than 15 sub-authorities or one beyond 32 bits: SecurityIdentifier refuses it
    return "S-" + "-".join(str(int(p)) for p in parts[1:])


class Directory:
    """The domain's accounts, read from the lab's Samba DC over LDAPS (validated against the lab CA).

    One connection, reopened when it breaks; a directory that is not configured or not reachable
    resolves nothing, as a DC that cannot reach AD translates no domain name.
    """

    def __init__(self, config: dict | None):
        self.config = config or None
        self._conn: ldap3.Connection | None = None
        self._lock = threading.Lock()

    def _connect(self) -> ldap3.Connection:
        cfg = self.config
        tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=cfg["ca_cert"])
        server = ldap3.Server(cfg["ip"], port=636, use_ssl=True, tls=tls, get_info=ldap3.NONE, connect_timeout=5)
        return ldap3.Connection(server, cfg["bind_user"], cfg["bind_password"], auto_bind=True, raise_exceptions=True,
                                receive_timeout=10)

    def search(self, ldap_filter: str) -> list[tuple[str, str]]:
        """[(sid, 'NETBIOS\\sAMAccountName')] of the matching accounts; [] when the directory is unavailable."""
        if not self.config:
            return []
        with self._lock:
            for attempt in (1, 2):  # a connection the DC closed in the meantime is reopened once
                try:
                    if self._conn is None:
                        self._conn = self._connect()
                    self._conn.search(self.config["base_dn"], ldap_filter, attributes=["objectSid", "sAMAccountName"])
                    return [(sid_string(e["raw_attributes"]["objectSid"][0]),
                             f"{self.config['netbios']}\\{e['raw_attributes']['sAMAccountName'][0].decode()}")
                            for e in self._conn.response if e.get("type") == "searchResEntry"]
                except LDAPException:
                    self._conn = None
                    if attempt == 2:
                        return []
        return []


class Resolver:
    """Resolves principals for one request; remembers answers so a request costs few LDAP searches."""

    def __init__(self, directory: Directory, netbios: str, domain_dns: str):
        self.directory, self.netbios, self.domain_dns = directory, netbios, domain_dns.lower()
        self._names: dict[str, str | None] = {}

    def name_of(self, sid: str) -> str | None:
        """DOMAIN\\name for a SID, None for one that no longer resolves (LSA keeps orphaned SIDs)."""
        if sid in WELL_KNOWN:
            return WELL_KNOWN[sid]
        if sid not in self._names:
            found = self.directory.search(f"(objectSid={escape_filter_chars(sid)})")
            self._names[sid] = found[0][1] if found else None
        return self._names[sid]

    def sid_of(self, principal: str) -> str:
        """The SID for a SID string, DOMAIN\\name, name@domain, a well-known or a plain name; raises UnknownPrincipal."""
        text = principal.strip()
        sid = normalise_sid(text)
        if sid:
            return sid  # a SID is taken as given, as SecurityIdentifier does: it need not resolve
        if text.upper().startswith("S-1-") or not text:
            raise UnknownPrincipal(principal)  # looks like a SID but is malformed
        if text.lower() in _BY_NAME:
            return _BY_NAME[text.lower()]
        found = self._lookup(text)
        if not found:
            raise UnknownPrincipal(principal)
        self._names[found[0]] = found[1]
        return found[0]

    def _lookup(self, text: str) -> tuple[str, str] | None:
        esc = escape_filter_chars
        domain, sep, name = text.rpartition("\\")
        if sep:
            if domain.lower() not in (self.netbios.lower(), self.domain_dns):
                return None  # another domain: the lab forest trusts none
            return self._account(name)
        if "@" in text:
            user, _at, suffix = text.rpartition("@")
            found = self.directory.search(f"(userPrincipalName={esc(text)})")
            if found:
                return found[0]
            return self._account(user) if suffix.lower() == self.domain_dns else None  # implicit UPN name@dns.domain
        return self._account(text)

    def _account(self, name: str) -> tuple[str, str] | None:
        """By sAMAccountName; a computer or gMSA also by its name without the trailing `$`, as LSA retries."""
        esc = escape_filter_chars
        found = self.directory.search(f"(sAMAccountName={esc(name)})")
        if not found and not name.endswith("$"):
            found = self.directory.search(f"(sAMAccountName={esc(name)}$)")
        return found[0] if found else None
