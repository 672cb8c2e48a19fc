# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._verify import checks

ACCOUNT = {"dn": "CN=mdiAction,CN=Managed Service Accounts,DC=x", "sid": "S-1-5-21-1-2-3-1105", "enabled": True,
           "kerberos_encryption_types": ["aes128", "aes256"]}


def _key(key_id: str, usable: bool, usable_at: str = "2026-11-27T10:00:00+00:00") -> dict:
    return {"key_id": key_id, "usable": usable, "usable_at": usable_at}


def test_kds_one_usable_key_passes():
    [verdict] = checks.kds_checks([_key("a", False), _key("b", True)])
    assert verdict["ok"] and "b" in verdict["detail"]


def test_kds_keys_not_yet_usable_name_the_earliest_time():
    [verdict] = checks.kds_checks([_key("a", False, "2026-11-28T00:00:00+00:00"), _key("b", False, "2026-11-27T20:00:00+00:00")])
    assert not verdict["ok"] and "2026-11-27T20:00:00+00:00" in verdict["detail"]


def test_kds_no_key_fails():
    [verdict] = checks.kds_checks([])
    assert not verdict["ok"] and "no KDS root key" in verdict["detail"]


def test_missing_account_is_one_failed_check():
    assert checks.account_checks("mdiAction", None) == [checks.check("account", "gMSA mdiAction", False, "not found")]


def test_good_account_passes_every_check():
    assert all(c["ok"] for c in checks.account_checks("mdiAction", ACCOUNT))


def test_disabled_account_fails():
    verdicts = {c["subject"]: c for c in checks.account_checks("mdiAction", {**ACCOUNT, "enabled": False})}
    assert not verdicts["gMSA mdiAction enabled"]["ok"]


def test_rc4_or_unset_encryption_types_fail():
    for types in (["rc4", "aes256"], []):
        verdicts = {c["subject"]: c for c in checks.account_checks("mdiAction", {**ACCOUNT, "kerberos_encryption_types": types})}
        assert not verdicts["gMSA mdiAction encryption types"]["ok"], types


def test_retrieval_by_domain_controllers_only_passes():
    [verdict] = checks.retrieval_checks("a", [{"sid": "S-1-5-21-1-2-3-516", "name": "CORP\\Domain Controllers", "reason": None}])
    assert verdict["ok"] and "Domain Controllers" in verdict["detail"]


def test_retrieval_by_anyone_else_fails_with_the_reason():
    principals = [{"sid": "S-1-5-21-1-2-3-516", "name": "CORP\\Domain Controllers", "reason": None},
                  {"sid": "S-1-5-21-1-2-3-1200", "name": "CORP\\srv1$", "reason": "CORP\\srv1$ is a computer that is not a domain controller"}]
    [verdict] = checks.retrieval_checks("a", principals)
    assert not verdict["ok"] and "srv1$ is a computer" in verdict["detail"]


def test_retrieval_by_nobody_fails():
    [verdict] = checks.retrieval_checks("a", [])
    assert not verdict["ok"]


def test_delegation_lists_what_is_missing_per_target():
    verdicts = checks.delegation_checks([{"target": "OU=A", "missing": []}, {"target": "OU=B", "missing": ["(OA;CIIO;CR;x;y;z)"]}])
    assert [(v["subject"], v["ok"]) for v in verdicts] == [("OU=A", True), ("OU=B", False)]
    assert "(OA;CIIO;CR;x;y;z)" in verdicts[1]["detail"]


def test_delegation_without_an_account_fails_as_not_checked():
    [verdict] = checks.delegation_checks([{"target": "OU=A", "missing": None}])
    assert not verdict["ok"] and verdict["detail"] == "not checked: the account does not exist"


def test_summary_counts_without_a_failed_key():
    result = checks.summary([checks.check("a", "x", True, ""), checks.check("a", "y", False, "")])
    assert result == {"ok": False, "checks_passed": 1, "checks_failed": 1}
    assert "failed" not in result  # Ansible would mark the task failed
