# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdi_sensor_info against the lab's fake login and Graph, through real ansible-playbook runs."""
from __future__ import annotations

import pytest

from .conftest import assert_no_secrets, play

MODULE = "mdi.action_accounts.mdi_sensor_info"


def sensor_task(run, cloud, *extra, check=False, env=None, **args):
    entry = {"name": "sensors", MODULE: args}
    if check:
        entry["check_mode"] = True
    result = run(play([entry]), *extra, env=env)
    return result.task_results("sensors")["localhost"]


@pytest.mark.parametrize("credential", ["secret", "certificate", "key_thumbprint"])
def test_lists_every_sensor_across_pages(run, cloud, credential):
    done = sensor_task(run, cloud, **cloud.graph_args(credential=credential))
    assert done["changed"] is False and not done.get("failed"), done.get("msg")
    assert sorted(s["host_name"] for s in done["sensors"]) == cloud.sensor_hosts()
    first = done["sensors"][0]
    assert first["domain"] == "corp.example.test" and first["type"] == "domainControllerIntegrated"
    assert first["health"] == "healthy" and first["version"]
    pages = [r for r in cloud.requests("graph") if r["path"].endswith("/sensors")]
    assert len(pages) == 2  # the fake pages by 2: the module followed @odata.nextLink
    assert "health_issues" not in done


def test_check_mode_reads_too_and_health_issues_on_request(run, cloud):
    done = sensor_task(run, cloud, check=True, health_issues=True, **cloud.graph_args())
    assert done["changed"] is False and len(done["sensors"]) == len(cloud.info["sensors"])
    assert done["health_issues"] and all(i["id"] and i["severity"] and i["status"] for i in done["health_issues"])


@pytest.mark.parametrize("user_assigned", [False, True])
def test_managed_identity(run, cloud, user_assigned):
    env = {"IDENTITY_ENDPOINT": cloud.info["msi"]["endpoint"], "IDENTITY_HEADER": cloud.info["msi"]["header"]}
    args = {"graph_url": cloud.info["graph_url"], "ca_cert": cloud.ca_cert, "managed_identity": True}
    if user_assigned:
        args["client_id"] = cloud.info["msi"]["user_assigned_client_id"]
    done = sensor_task(run, cloud, env=env, **args)
    assert not done.get("failed"), done.get("msg")
    assert sorted(s["host_name"] for s in done["sensors"]) == cloud.sensor_hosts()


def test_credentials_from_the_azure_environment(run, cloud):
    args = cloud.graph_args()
    env = {"AZURE_TENANT_ID": args.pop("tenant_id"), "AZURE_CLIENT_ID": args.pop("client_id"), "AZURE_CLIENT_SECRET": args.pop("client_secret"),
           "AZURE_AUTHORITY_HOST": args.pop("authority_host"), "MDI_GRAPH_URL": args.pop("graph_url")}
    done = sensor_task(run, cloud, env=env, **args)
    assert not done.get("failed"), done.get("msg")
    assert len(done["sensors"]) == len(cloud.info["sensors"])


def test_missing_permission_names_it(run, cloud):
    done = sensor_task(run, cloud, **cloud.graph_args(app="no_permissions"))
    assert done["failed"] is True
    assert done["msg"].startswith("Failed to list MDI sensors: the app lacks the Microsoft Graph application permission "
                                  "SecurityIdentitiesSensors.Read.All")


def test_health_issues_permission_is_named_too(run, cloud):
    done = sensor_task(run, cloud, health_issues=True, **cloud.graph_args(app="sensors_only"))
    assert done["failed"] is True
    assert done["msg"].startswith("Failed to list MDI health issues: the app lacks the Microsoft Graph application permission "
                                  "SecurityIdentitiesHealth.Read.All")


def test_wrong_secret_is_an_aad_refusal(run, cloud):
    done = sensor_task(run, cloud, **{**cloud.graph_args(), "client_secret": "not-the-secret-at-all"})
    assert done["failed"] is True
    assert done["msg"].startswith("Failed to get a Microsoft Graph access token: the sign-in was refused (invalid_client): AADSTS7000215")


def test_expired_token_is_401_explained(run, cloud):
    cloud.fault("graph", path="/sensors$", status=401, count=1,
                body={"error": {"code": "InvalidAuthenticationToken", "message": "Lifetime validation failed, the token is expired."}})
    done = sensor_task(run, cloud, **cloud.graph_args())
    assert done["failed"] is True and "Microsoft Graph refused the access token" in done["msg"] and "HTTP 401" in done["msg"]


def test_throttled_graph_and_login_are_retried(run, cloud):
    cloud.fault("login", path="/token$", status=503, count=1)
    cloud.fault("graph", path="/sensors$", status=429, retry_after=1, count=1)
    done = sensor_task(run, cloud, **cloud.graph_args())
    assert not done.get("failed"), done.get("msg")
    assert [r["status"] for r in cloud.requests("login") if r["path"].endswith("/token")] == [503, 200]
    assert [r["status"] for r in cloud.requests("graph")][:2] == [429, 200]


def test_graph_server_errors_end_in_a_clear_failure(run, cloud):
    cloud.fault("graph", path="/sensors$", status=502, count=10)
    done = sensor_task(run, cloud, retries=1, **cloud.graph_args())
    assert done["failed"] is True and "HTTP 502 after 2 tries" in done["msg"]
    assert len(cloud.requests("graph")) == 2


def test_unexpected_graph_shape_fails(run, cloud):
    cloud.fault("graph", path="/sensors$", status=200, body={"value": [{"id": "x"}]}, count=1)
    done = sensor_task(run, cloud, **cloud.graph_args())
    assert done["failed"] is True and "unexpected sensor x" in done["msg"]


def test_ca_cert_wins_over_the_environment_bundle(run, cloud):
    # conftest's run() exports REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE (system bundle) for every run.
    assert not sensor_task(run, cloud, **cloud.graph_args()).get("failed")
    args = {k: v for k, v in cloud.graph_args().items() if k != "ca_cert"}
    done = sensor_task(run, cloud, **args)
    assert done["failed"] is True and "certificate is not trusted" in done["msg"]


def test_very_verbose_output_holds_no_secret(run, cloud):
    ok = run(play([{"name": "sensors", MODULE: cloud.graph_args()}]), "-vvvv", env={"ANSIBLE_STDOUT_CALLBACK": "default"})
    assert ok.rc == 0, ok.stdout[-3000:]
    bad = run(play([{"name": "sensors", MODULE: {**cloud.graph_args(app="no_permissions")}}]), "-vvvv",
              env={"ANSIBLE_STDOUT_CALLBACK": "default"})
    assert bad.rc != 0 and "SecurityIdentitiesSensors.Read.All" in bad.stdout
    assert_no_secrets(ok.stdout + ok.stderr + bad.stdout + bad.stderr, cloud.secrets())
