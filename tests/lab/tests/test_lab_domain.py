# -*- coding: utf-8 -*-
"""The lab domain's naming rules (lab_domain.py) and how labctl picks the domain; needs no running lab."""
from __future__ import annotations

import pytest

import labctl
import lab_domain
from lab_domain import LabDomain


@pytest.mark.parametrize("dns, realm, netbios, base_dn", [
    ("corp.example.test", "CORP.EXAMPLE.TEST", "CORP", "DC=corp,DC=example,DC=test"),
    ("fabrikam.example.test", "FABRIKAM.EXAMPLE.TEST", "FABRIKAM", "DC=fabrikam,DC=example,DC=test"),
    ("child.fabrikam.test", "CHILD.FABRIKAM.TEST", "CHILD", "DC=child,DC=fabrikam,DC=test"),
])
def test_names_derived_from_the_dns_name(dns, realm, netbios, base_dn):
    domain = LabDomain(dns)
    assert (domain.realm, domain.netbios, domain.base_dn) == (realm, netbios, base_dn)
    assert (domain.fqdn("dc1"), domain.upn("Administrator")) == (f"dc1.{dns}", f"Administrator@{dns}")


@pytest.mark.parametrize("dns", [
    "", "corp",  # a single label: Samba refuses a realm equal to the NetBIOS name
    "Corp.example.test", "a_b.example.test", "-corp.example.test", "corp..test",
    "fifteencharsplus.example.test", "1corp.example.test",  # no NetBIOS name of at most 15 characters, starting with a letter
    "dc1.example.test",  # NetBIOS name = the DC's host name
])
def test_names_samba_cannot_provision_are_refused(dns):
    with pytest.raises(ValueError, match="MDI_LAB_DOMAIN"):
        LabDomain(dns)


def test_environment_picks_the_domain_default_unchanged(monkeypatch):
    monkeypatch.delenv(lab_domain.ENV, raising=False)
    assert lab_domain.from_env() == LabDomain("corp.example.test")
    monkeypatch.setenv(lab_domain.ENV, " Fabrikam.Example.Test ")
    assert lab_domain.from_env() == LabDomain("fabrikam.example.test")


def test_a_started_lab_keeps_its_domain_whatever_the_environment(monkeypatch):
    monkeypatch.setenv(lab_domain.ENV, "fabrikam.example.test")
    assert lab_domain.of({"domain": "corp.example.test"}) == LabDomain("corp.example.test")
    assert lab_domain.of({}) == LabDomain("fabrikam.example.test")  # a component started alone


def test_labctl_refuses_a_bad_domain_before_starting_anything(monkeypatch, tmp_path):
    monkeypatch.setenv(lab_domain.ENV, "corp")
    with pytest.raises(SystemExit, match="MDI_LAB_DOMAIN='corp'"):
        labctl.up(tmp_path / "lab")
    assert not (tmp_path / "lab").exists()


@pytest.mark.parametrize("names", [["cloud", "dns"], []])
def test_labctl_refuses_unknown_or_no_components(names, tmp_path):
    with pytest.raises(SystemExit, match="choose from samba, winrm, cloud"):
        labctl.up(tmp_path / "lab", names)
