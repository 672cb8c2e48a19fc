# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdi_health_info's kinds against the lab's fake Graph: the open auditing and Directory Service account issues a
readiness report needs. The fake raises the DSA credentials issue in a mixed v2/v3 tenant, as MDI does."""
from __future__ import annotations

import pytest

from .conftest import play

MODULE = "mdi.action_accounts.mdi_health_info"
AUDITING = "Directory Services Object Auditing is not configured as required"
DSA = "Directory services user credentials are incorrect"


def health_task(run, **args):
    result = run(play([{"name": "health", MODULE: args}]))
    return result.task_results("health")["localhost"]


@pytest.mark.parametrize("kinds, titles", [
    (["auditing"], [AUDITING]),
    (["directory_service_account"], [DSA]),
    (["auditing", "directory_service_account"], [AUDITING, DSA]),
])
def test_kinds_pick_the_readiness_issues(run, cloud, kinds, titles):
    cloud.settings(sensor_generation="mixed")
    done = health_task(run, kinds=kinds, status=[], **cloud.graph_args())
    assert not done.get("failed"), done.get("msg")
    assert sorted(i["display_name"] for i in done["health_issues"]) == sorted(titles)
    assert {i["kind"] for i in done["health_issues"]} == set(kinds)
    assert done["summary"]["total"]["count"] == len(titles)


def test_every_issue_carries_its_kind(run, cloud):
    done = health_task(run, status=[], **cloud.graph_args())
    assert not done.get("failed"), done.get("msg")
    kinds = {i["display_name"]: i["kind"] for i in done["health_issues"]}
    assert kinds[AUDITING] == "auditing" and DSA not in kinds  # a v2 tenant: no stale DSA issue
    assert [k for title, k in kinds.items() if title != AUDITING] == [None] * (len(kinds) - 1)
