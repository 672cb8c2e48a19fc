# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: MDI health issues filtered and summarised, without any I/O.

Filtering happens here, on the controller, not with Graph's $filter: the documented filter examples disagree
with the schema on casing (Status, healthissues), and a filter the service reads differently would silently
hide issues. A tenant has tens of issues, not thousands.
"""
from __future__ import annotations

import re

SEVERITIES = ("low", "medium", "high")
# What an issue is about, from its title: Microsoft publishes titles (health-alerts.md) but issueTypeId only for 1031.
# Every auditing title names auditing ("... Auditing is not enabled", "Sensor v3.x RPC Audit Misconfigured"); the
# Directory Service account's are its credentials, its password, and a DC a sensor cannot reach over LDAP with it.
KINDS = {
    "auditing": (re.compile(r"audit", re.IGNORECASE), {"1031"}),
    "directory_service_account": (re.compile(r"directory services user credentials|read-only user password|unreachable by a sensor",
                                             re.IGNORECASE), set()),
}


def kind(issue: dict) -> str | None:
    """auditing, directory_service_account or None, for a normalised issue."""
    for name, (title, type_ids) in KINDS.items():
        if issue.get("issue_type_id") in type_ids or title.search(issue.get("display_name") or ""):
            return name
    return None


def _lower(values) -> set[str]:
    return {str(v).lower() for v in values or []}


def _endswith_any(names: list[str], suffixes: set[str]) -> bool:
    """A domain or host matches itself and anything under it (dc1.corp.example.com under corp.example.com)."""
    return any(n.lower() == s or n.lower().endswith("." + s) for n in names for s in suffixes)


def select(issues: list[dict], status=("open",), domains=(), sensors=(), severities=(), types=(), kinds=()) -> list[dict]:
    """The issues matching every filter given (an empty filter matches all)."""
    status, domains, sensors, severities, types = (_lower(f) for f in (status, domains, sensors, severities, types))
    return [i for i in issues
            if (not kinds or kind(i) in kinds)
            and (not status or (i["status"] or "").lower() in status)
            and (not severities or (i["severity"] or "").lower() in severities)
            and (not types or (i["type"] or "").lower() in types)
            and (not domains or _endswith_any(i["domain_names"] + i["sensor_dns_names"], domains))
            and (not sensors or _endswith_any(i["sensor_dns_names"], sensors))]


def _count(issues: list[dict]) -> dict:
    by_severity = {s: 0 for s in SEVERITIES}
    for issue in issues:
        key = (issue["severity"] or "").lower()
        by_severity[key] = by_severity.get(key, 0) + 1
    worst = next((s for s in reversed(SEVERITIES) if by_severity[s]), None)
    return {"count": len(issues), "worst": worst, **{s: n for s, n in by_severity.items() if n or s in SEVERITIES}}


def summary(issues: list[dict]) -> dict:
    """Counts per domain and per sensor; an issue naming several counts once for each."""
    by_domain: dict[str, list] = {}
    by_sensor: dict[str, list] = {}
    for issue in issues:
        for name in {n.lower() for n in issue["domain_names"]}:
            by_domain.setdefault(name, []).append(issue)
        for name in {n.lower() for n in issue["sensor_dns_names"]}:
            by_sensor.setdefault(name, []).append(issue)
    return {"total": _count(issues), "domains": {k: _count(v) for k, v in sorted(by_domain.items())},
            "sensors": {k: _count(v) for k, v in sorted(by_sensor.items())}}
