# -*- coding: utf-8 -*-
"""The lab's Active Directory domain and every name derived from it: the one place for these rules.

MDI_LAB_DOMAIN (a DNS name, default corp.example.test) picks it when the lab starts; `labctl.py up`
records it in lab.json as "domain", and the components read it from there (`of(lab)`), so a running
lab never depends on the environment of whoever stops or tests it.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

ENV = "MDI_LAB_DOMAIN"
DEFAULT = "corp.example.test"
DC_HOSTNAME = "dc1"  # the Samba DC's host name; a NetBIOS domain name may not equal it
_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?")
_NETBIOS = re.compile(r"[a-z][a-z0-9-]{0,14}")  # the first label is also the NetBIOS name: at most 15 characters


@dataclass(frozen=True)
class LabDomain:
    dns: str

    def __post_init__(self) -> None:
        labels = self.dns.split(".")
        # Samba refuses a realm equal to the NetBIOS name: a single-label domain cannot be provisioned.
        if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
            raise ValueError(f"{ENV}={self.dns!r}: need a lower-case DNS name of two or more labels, e.g. fabrikam.example.test")
        if not _NETBIOS.fullmatch(labels[0]) or labels[0] == DC_HOSTNAME:
            raise ValueError(f"{ENV}={self.dns!r}: the first label is the NetBIOS name: a letter, then at most 14 "
                             f"letters, digits or '-', and not {DC_HOSTNAME!r}")

    @property
    def realm(self) -> str:
        return self.dns.upper()

    @property
    def netbios(self) -> str:
        return self.dns.split(".")[0].upper()

    @property
    def base_dn(self) -> str:
        return ",".join(f"DC={label}" for label in self.dns.split("."))

    def fqdn(self, host: str) -> str:
        return f"{host}.{self.dns}"

    def upn(self, account: str) -> str:
        return f"{account}@{self.dns}"


def from_env() -> LabDomain:
    return LabDomain(os.environ.get(ENV, "").strip().lower() or DEFAULT)


def of(lab: dict) -> LabDomain:
    """The domain a lab was started for; from the environment for a component started alone (no labctl)."""
    return LabDomain(lab["domain"]) if lab.get("domain") else from_env()
