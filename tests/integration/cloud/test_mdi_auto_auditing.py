# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdi_auto_auditing against the lab's fake login and Graph, through real ansible-playbook runs: check mode, then the
change, then again unchanged; the switch is judged by the fake's own state, the requests by its request log."""
from __future__ import annotations

import pytest

from .conftest import assert_no_secrets, play

MODULE = "mdi.action_accounts.mdi_auto_auditing"
PATH = "/security/identities/settings/autoAuditingConfiguration"


def auditing_task(run, *extra, check=False, **args):
    entry = {"name": "auto auditing", MODULE: args}
    if check:
        entry["check_mode"] = True
    result = run(play([entry]), *extra)
    return result.task_results("auto auditing")["localhost"], result


class Calls:
    """(method, path, status) of the requests to the switch, each look giving only those since the one before."""

    def __init__(self, cloud):
        self.cloud, self.seen = cloud, 0

    def new(self) -> list[tuple[str, str, int]]:
        log = [(r["method"], r["path"], r["status"]) for r in self.cloud.requests("graph") if r["path"].endswith(PATH)]
        found, self.seen = log[self.seen:], len(log)
        return found


@pytest.mark.parametrize("version, verb", [("v1.0", "PATCH"), ("beta", "POST")])
def test_check_then_set_then_unchanged(run, cloud, version, verb):
    log = Calls(cloud)
    url = f"/{version}{PATH}"
    done, _result = auditing_task(run, "--diff", check=True, enabled=True, api_version=version, **cloud.graph_args())
    assert done["changed"] is True and done["enabled"] is True and not done.get("failed"), done.get("msg")
    assert done["diff"] == {"before": {"enabled": False}, "after": {"enabled": True}}
    assert cloud.state()["auto_auditing"] is False
    assert log.new() == [("GET", url, 200)]

    done, result = auditing_task(run, enabled=True, api_version=version, **cloud.graph_args())
    assert done["changed"] is True and done["enabled"] is True, done.get("msg")
    assert cloud.state()["auto_auditing"] is True
    assert log.new() == [("GET", url, 200), (verb, url, 204 if verb == "PATCH" else 200), ("GET", url, 200)]
    assert_no_secrets(result.stdout + result.stderr, cloud.secrets())

    done, _result = auditing_task(run, enabled=True, api_version=version, **cloud.graph_args())
    assert done["changed"] is False and done["enabled"] is True
    assert log.new() == [("GET", url, 200)]


def test_reading_only_reports_without_writing(run, cloud):
    auditing_task(run, enabled=True, **cloud.graph_args())
    log = Calls(cloud)
    log.new()
    done, _result = auditing_task(run, **cloud.graph_args(app="auditing_reader"))
    assert done["changed"] is False and done["enabled"] is True, done.get("msg")
    assert log.new() == [("GET", f"/v1.0{PATH}", 200)]


def test_the_documented_value_wrapper_is_read(run, cloud):
    cloud.settings(wrap_single_values=True)
    done, _result = auditing_task(run, enabled=False, **cloud.graph_args())
    assert done["changed"] is False and done["enabled"] is False, done.get("msg")


def test_a_read_only_app_cannot_set_it_and_is_told_which_permission(run, cloud):
    done, _result = auditing_task(run, enabled=True, **cloud.graph_args(app="auditing_reader"))
    assert done["failed"] is True
    assert done["msg"].startswith("Failed to set MDI automatic Windows auditing: the app lacks the Microsoft Graph application "
                                  "permission SecurityIdentitiesAutoConfig.ReadWrite.All (grant it, then give admin consent) (HTTP 403")
    assert cloud.state()["auto_auditing"] is False


def test_an_app_without_any_permission_is_told_to_grant_read(run, cloud):
    done, _result = auditing_task(run, **cloud.graph_args(app="no_permissions"))
    assert done["failed"] is True
    assert done["msg"].startswith("Failed to read MDI automatic Windows auditing: the app lacks the Microsoft Graph application "
                                  "permission SecurityIdentitiesAutoConfig.Read.All")


def test_a_tenant_without_workspace_is_404_explained(run, cloud):
    cloud.settings(mdi_workspace=False)
    done, _result = auditing_task(run, enabled=True, **cloud.graph_args())
    assert done["failed"] is True
    assert done["msg"].startswith("Failed to read MDI automatic Windows auditing: the tenant has no Defender for Identity workspace")
    assert "(HTTP 404" in done["msg"] and cloud.state()["auto_auditing"] is False


def test_throttling_is_waited_out(run, cloud):
    log = Calls(cloud)
    cloud.fault("graph", path=PATH, method="PATCH", status=429, retry_after="1", count=1)
    done, _result = auditing_task(run, enabled=True, **cloud.graph_args())
    assert done["changed"] is True and not done.get("failed"), done.get("msg")
    assert [c[0:3:2] for c in log.new()] == [("GET", 200), ("PATCH", 429), ("PATCH", 204), ("GET", 200)]
    assert cloud.state()["auto_auditing"] is True
