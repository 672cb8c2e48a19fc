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
