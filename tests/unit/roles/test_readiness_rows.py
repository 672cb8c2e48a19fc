# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The readiness role's rows for the auditing items (roles/readiness/templates/domain.json.j2), rendered by Ansible's own
templating: every item of the auditing role (roles/auditing/vars/main.yml) turns red, naming its variable, when the
auditing role's check-mode run says it would change it or it failed, and green when it is as wanted. Which items the
check-mode run flags is the auditing role's integration test (tests/integration/test_auditing_role.py)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

ROLES = Path(__file__).resolve().parents[3] / "roles"
ITEMS = yaml.safe_load((ROLES / "auditing" / "vars" / "main.yml").read_text())["__auditing_items"]
TEMPLATE = trust_as_template((ROLES / "readiness" / "templates" / "domain.json.j2").read_text())  # a role's file is trusted


def _rows(results: list) -> dict:
    variables = {**yaml.safe_load((ROLES / "readiness" / "defaults" / "main.yml").read_text()),
                 **yaml.safe_load((ROLES / "readiness" / "vars" / "main.yml").read_text()),
                 "readiness_directory_service_account": False, "readiness_health_issues": False, "auditing_results": results,
                 "verify_domain_report": {"domain": "corp.example.test", "checks": []}, "ansible_play_hosts_all": [], "hostvars": {},
                 "inventory_hostname": "dc1", "domain_scope_domain": "corp.example.test"}
    rendered = Templar(loader=DataLoader(), variables=variables).template(TEMPLATE)
    report = rendered if isinstance(rendered, dict) else json.loads(rendered)
    return {row["item"]: row for row in report["rows"]}


def _result(item: dict, **outcome) -> dict:
    return {"item": item["item"], "variable": item["variable"], "enabled": True, "applicable": True, "changed": False, "failed": False,
            "detail": "as wanted", **outcome}


@pytest.mark.parametrize("item", ITEMS, ids=[item["item"] for item in ITEMS])
def test_each_item_is_red_with_its_variable_when_not_as_wanted_and_green_when_it_is(item):
    broken = _rows([_result(item, changed=True, detail="would change: audit.csv rows")])[item["item"]]
    assert (broken["status"], broken["fix_var"]) == ("FAIL", item["variable"])
    assert broken["detail"] == "not as wanted: would change: audit.csv rows"
    assert broken["fix"] == f"set {item['variable']}: true and run playbooks/prerequisites.yml"
    failed = _rows([_result(item, failed=True, detail="failed: Samba refused it")])[item["item"]]
    assert (failed["status"], failed["fix_var"], failed["detail"]) == ("FAIL", item["variable"], "failed: Samba refused it")
    good = _rows([_result(item)])[item["item"]]
    assert (good["status"], good["fix_var"], good["fix"]) == ("PASS", None, None)


def test_an_item_turned_off_or_not_applicable_is_no_failure_and_says_why():
    rows = _rows([_result(ITEMS[0], enabled=False, detail="off (auditing_advanced_audit_policy_dcs: False)"),
                  _result(ITEMS[9], enabled=False, applicable=False, detail="not applicable: no AD FS container CN=ADFS"),
                  _result(ITEMS[8], applicable=False, detail="not applicable: no Exchange in the forest")])
    assert [(r["status"], r["detail"]) for r in rows.values()] == [
        ("SKIP", "not checked: off (auditing_advanced_audit_policy_dcs: False)"), ("SKIP", "not checked: not applicable: no AD FS container CN=ADFS"),
        ("N/A", "not applicable: no Exchange in the forest")]
    assert all(r["fix_var"] is None for r in rows.values())
