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

SEVERITIES = ("low", "medium", "high")


def _lower(values) -> set[str]:
    return {str(v).lower() for v in values or []}


def _endswith_any(names: list[str], suffixes: set[str]) -> bool:
    """A domain or host matches itself and anything under it (dc1.corp.example.com under corp.example.com)."""
    return any(n.lower() == s or n.lower().endswith("." + s) for n in names for s in suffixes)


def select(issues: list[dict], status=("open",), domains=(), sensors=(), severities=(), types=()) -> list[dict]:
    """The issues matching every filter given (an empty filter matches all)."""
    status, domains, sensors, severities, types = (_lower(f) for f in (status, domains, sensors, severities, types))
    return [i for i in issues
            if (not status or (i["status"] or "").lower() in status)
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
