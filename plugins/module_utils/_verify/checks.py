# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the domain side of an action account, judged against
Microsoft's guidance. Pure functions over what domain.py read, so every verdict is unit-tested.

A check is ``{"area", "subject", "ok", "detail"}``; the verify role turns the list into its report.
"""
from __future__ import annotations


def check(area: str, subject: str, ok: bool, detail: str) -> dict:
    return {"area": area, "subject": subject, "ok": bool(ok), "detail": detail}


def kds_checks(keys: list[dict]) -> list[dict]:
    usable = [k for k in keys if k["usable"]]
    if usable:
        return [check("kds", "KDS root key", True, f"{len(usable)} usable key(s), e.g. {usable[0]['key_id']}")]
    if keys:
        first = min(keys, key=lambda k: k["usable_at"])
        return [check("kds", "KDS root key", False, f"no key usable yet; the first becomes usable at {first['usable_at']}")]
    return [check("kds", "KDS root key", False, "the forest has no KDS root key, so no gMSA can get a password")]


def account_checks(name: str, account: dict | None) -> list[dict]:
    subject = f"gMSA {name}"
    if account is None:
        return [check("account", subject, False, "not found")]
    types = account["kerberos_encryption_types"]
    return [
        check("account", subject, True, f"exists as {account['dn']} ({account['sid']})"),
        check("account", f"{subject} enabled", account["enabled"], "enabled" if account["enabled"] else "disabled: MDI cannot use it"),
        check("account", f"{subject} encryption types", bool(types) and "rc4" not in types,
              f"{', '.join(types) or 'none set (the domain default, which may include RC4)'}"),
    ]


def retrieval_checks(name: str, principals: list[dict]) -> list[dict]:
    """``principals``: ``{"sid", "name", "reason"}`` where reason says why it is not domain controllers only."""
    subject = f"gMSA {name} password retrieval"
    if not principals:
        return [check("retrieval", subject, False, "nobody may retrieve the password, so no sensor can use the account")]
    outsiders = [p for p in principals if p["reason"]]
    if outsiders:
        return [check("retrieval", subject, False, "; ".join(p["reason"] for p in outsiders))]
    return [check("retrieval", subject, True, "domain controllers only: " + ", ".join(p["name"] or p["sid"] for p in principals))]


def _delegation_detail(missing: list[str] | None) -> str:
    if missing is None:
        return "not checked: the account does not exist"
    return "missing: " + " ".join(missing) if missing else "all MDI permissions present"


def delegation_checks(targets: list[dict]) -> list[dict]:
    """``targets``: ``{"target", "missing"}`` with the SDDL of each expected ACE that is not there (None: no account)."""
    return [check("delegation", t["target"], t["missing"] == [], _delegation_detail(t["missing"])) for t in targets]


def summary(checks: list[dict]) -> dict:
    failed = [c for c in checks if not c["ok"]]
    # Not "failed": Ansible would take a result key of that name for the task's own failure.
    return {"ok": not failed, "checks_passed": len(checks) - len(failed), "checks_failed": len(failed)}
