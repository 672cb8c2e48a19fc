# -*- coding: utf-8 -*-
"""The site playbook against the lab: every domain controller of the inventory answers over its own
Windows connection, under its own name."""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


def test_site_playbook_reaches_every_domain_controller(lab, playbook):
    result = playbook((REPO / "playbooks" / "site.yml").read_text())
    assert result.rc == 0, result.stderr[-3000:]
    answers = result.task_results("Ask each domain controller its name")
    assert sorted(answers) == sorted(lab["winrm"]["hosts"])
    for host, answer in answers.items():
        assert answer["stdout"].strip() == host.upper()
    assert all(stats["failures"] == 0 and stats["unreachable"] == 0 for stats in result.stats.values())


def test_site_playbook_refuses_an_inventory_without_domain_controllers(playbook, tmp_path):
    empty = tmp_path / "empty.yml"
    empty.write_text("all:\n  hosts: {}\n")
    result = playbook((REPO / "playbooks" / "site.yml").read_text(), inventory=empty)
    assert result.rc != 0
    failure = result.task_results("The inventory has domain controllers to work on")["localhost"]
    assert "no host in the group domain_controllers" in failure["msg"]
