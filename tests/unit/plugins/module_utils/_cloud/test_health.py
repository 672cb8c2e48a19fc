# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Health issues filtered on the controller and summarised per domain and per sensor."""
from __future__ import annotations

import pytest

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud import health


def issue(issue_id, status="open", severity="medium", kind="global", domains=(), sensors=()):
    return {"id": issue_id, "status": status, "severity": severity, "type": kind, "domain_names": list(domains),
            "sensor_dns_names": list(sensors)}


ISSUES = [issue("audit", domains=["corp.example.test"]),
          issue("power", status="closed", severity="low", kind="sensor", domains=["corp.example.test"], sensors=["DC2.corp.example.test"]),
          issue("stopped", severity="high", kind="sensor", domains=["fabrikam.test"], sensors=["dc9.fabrikam.test"])]


@pytest.mark.parametrize("filters, expected", [
    ({}, ["audit", "stopped"]),
    ({"status": []}, ["audit", "power", "stopped"]),
    ({"status": ["CLOSED"]}, ["power"]),
    ({"domains": ["corp.example.test"]}, ["audit"]),
    ({"domains": ["example.test"], "status": []}, ["audit", "power"]),
    ({"sensors": ["dc2.corp.example.test"], "status": []}, ["power"]),
    ({"sensors": ["fabrikam.test"]}, ["stopped"]),
    ({"severities": ["high"]}, ["stopped"]),
    ({"types": ["global"]}, ["audit"]),
    ({"domains": ["nowhere.test"]}, []),
])
def test_select(filters, expected):
    assert [i["id"] for i in health.select(ISSUES, **filters)] == expected


def test_a_domain_does_not_match_a_longer_label():
    assert health.select([issue("x", domains=["notcorp.example.test"])], domains=["corp.example.test"]) == []


def test_summary_counts_per_domain_and_sensor_with_the_worst_severity():
    result = health.summary(health.select(ISSUES, status=[]))
    assert result["total"] == {"count": 3, "worst": "high", "low": 1, "medium": 1, "high": 1}
    assert result["domains"]["corp.example.test"] == {"count": 2, "worst": "medium", "low": 1, "medium": 1, "high": 0}
    assert list(result["sensors"]) == ["dc2.corp.example.test", "dc9.fabrikam.test"]
    assert health.summary([])["total"] == {"count": 0, "worst": None, "low": 0, "medium": 0, "high": 0}


# Titles as Microsoft's health-alerts page gives them (2026-04), and the Graph example's wording of issue 1031.
TITLED = [
    ("NTLM Auditing is not enabled", None, "auditing"),
    ("Directory Services Advanced Auditing is not enabled as required", None, "auditing"),
    ("Directory Services Object Auditing is not configured as required", "1031", "auditing"),
    ("a renamed object auditing issue", "1031", "auditing"),
    ("Auditing on the Configuration container is not enabled as required", None, "auditing"),
    ("Auditing on the ADFS container is not enabled as required", None, "auditing"),
    ("Auditing for AD CS servers isn't enabled as required", None, "auditing"),
    ("Sensor v3.x RPC Audit Misconfigured", None, "auditing"),
    ("Directory services user credentials are incorrect", None, "directory_service_account"),
    ("Read-only user password to expire shortly", None, "directory_service_account"),
    ("Read-only user password expired", None, "directory_service_account"),
    ("A domain controller is unreachable by a sensor", None, "directory_service_account"),
    ("Power mode is not configured for optimal processor performance", "1065", None),
    ("Sensor stopped communicating", None, None),
    (None, None, None),
]


@pytest.mark.parametrize("title, type_id, expected", TITLED)
def test_kind_from_title_and_type_id(title, type_id, expected):
    assert health.kind({"display_name": title, "issue_type_id": type_id}) == expected


def test_select_by_kind():
    titled = [{**issue(str(n)), "display_name": title, "issue_type_id": type_id} for n, (title, type_id, _k) in enumerate(TITLED)]
    expected = {kind: [str(n) for n, (_t, _i, k) in enumerate(TITLED) if k == kind] for kind in health.KINDS}
    for kind, ids in expected.items():
        assert [i["id"] for i in health.select(titled, kinds=[kind])] == ids
    both = health.select(titled, kinds=list(health.KINDS))
    assert len(both) == sum(len(ids) for ids in expected.values()) and len(health.select(titled)) == len(TITLED)
