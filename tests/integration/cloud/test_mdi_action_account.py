# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mdi_action_account against the lab's fake Defender portal: results of real ansible-playbook runs, checked
against the fake's own state (/_lab/state) and request log (/_lab/requests)."""
from __future__ import annotations

import time

from .conftest import ENV_BUNDLES, assert_no_secrets, play

MODULE = "mdi.action_accounts.mdi_action_account"
DOMAIN = "corp.example.test"
ACCOUNT = f"mdiAction@{DOMAIN}"


def task(name="action account", check=False, **args):
    entry = {"name": name, MODULE: {"name": "mdiAction$", "domain": DOMAIN, **args}}
    if check:
        entry["check_mode"] = True
    return entry


def run_task(run, cloud, *args, check=False, session="portal_session", env=None, **module_args):
    """One task, its options from module_defaults (ca_cert for the cloud group, the session for the module); its result."""
    portal = cloud.portal_args(session)
    defaults = {"group/mdi.action_accounts.cloud": {"ca_cert": portal.pop("ca_cert")}, MODULE: portal}
    result = run(play([task(check=check, **module_args)], module_defaults=defaults), *args, env=env)
    return result.task_results("action account")["localhost"]


def accounts(cloud):
    state = cloud.state()
    return [a["Id"] for a in state["accounts"]], state["local_system"]


def writes(cloud):
    return [r for r in cloud.requests("portal") if r["method"] == "POST"]


def test_register_check_real_idempotent_switch_remove(run, cloud):
    assert accounts(cloud) == ([], True)

    checked = run_task(run, cloud, check=True)
    assert checked["changed"] is True and not checked.get("failed")
    assert checked["actions"] == [f"register {ACCOUNT}", "turn LocalSystem off"]
    assert checked["local_system"] is False and [a["id"] for a in checked["accounts"]] == [ACCOUNT]
    assert accounts(cloud) == ([], True) and writes(cloud) == []

    done = run_task(run, cloud, "--diff")
    assert done["changed"] is True and not done.get("failed")
    assert done["diff"] == {"before": {"accounts": [], "local_system": True}, "after": {"accounts": [ACCOUNT], "local_system": False}}
    assert accounts(cloud) == ([ACCOUNT], False)
    stored = cloud.state()["accounts"][0]
    assert stored["AccountName"] == "mdiAction" and stored["IsGroupManagedServiceAccount"] is True and stored["AccountPassword"] is None

    again = run_task(run, cloud)
    assert again["changed"] is False and again["actions"] == []
    assert accounts(cloud) == ([ACCOUNT], False)

    switched = run_task(run, cloud, use_local_system=True)
    assert switched["changed"] is True and switched["actions"] == ["turn LocalSystem on"]
    assert accounts(cloud) == ([ACCOUNT], True)

    before = len(writes(cloud))
    predicted = run_task(run, cloud, check=True, state="absent")
    assert predicted["changed"] is True and predicted["accounts"] == []
    assert accounts(cloud) == ([ACCOUNT], True) and len(writes(cloud)) == before

    removed = run_task(run, cloud, state="absent")
    assert removed["changed"] is True and removed["actions"] == [f"remove {ACCOUNT}"]
    assert accounts(cloud) == ([], True)
    gone = run_task(run, cloud, state="absent")
    assert gone["changed"] is False


def test_removing_the_last_account_turns_local_system_back_on(run, cloud):
    run_task(run, cloud)
    assert accounts(cloud) == ([ACCOUNT], False)
    removed = run_task(run, cloud, state="absent")
    assert removed["actions"] == ["turn LocalSystem on", f"remove {ACCOUNT}"] and not removed.get("warnings")
    assert accounts(cloud) == ([], True)


def test_removal_with_local_system_kept_off_warns(run, cloud):
    run_task(run, cloud)
    removed = run_task(run, cloud, state="absent", use_local_system=False)
    assert accounts(cloud) == ([], False)
    assert any("no identity to run as" in w for w in removed.get("warnings", []))


def test_throttling_honours_retry_after_then_succeeds(run, cloud):
    cloud.fault("portal", path="EntityRemediatorCredentials$", status=429, retry_after=2, count=1)
    started = time.monotonic()
    done = run_task(run, cloud)
    assert done["changed"] is True and not done.get("failed")
    assert time.monotonic() - started >= 2
    listing = [r["status"] for r in cloud.requests("portal") if r["method"] == "GET" and r["path"].endswith("EntityRemediatorCredentials")]
    assert listing[:2] == [429, 200]
    assert accounts(cloud) == ([ACCOUNT], False)


def test_server_errors_are_retried_then_fail_clearly(run, cloud):
    cloud.fault("portal", path="EntityRemediatorCredentials$", status=503, count=10)
    failed = run_task(run, cloud, retries=2)
    assert failed["failed"] is True
    assert failed["msg"].startswith("Failed to list MDI action accounts: the service is unavailable (HTTP 503 after 3 tries")
    assert [r["status"] for r in cloud.requests("portal") if r["path"].endswith("EntityRemediatorCredentials")] == [503, 503, 503]
    assert accounts(cloud) == ([], True)


def test_expired_session_and_missing_role_say_sign_in_again(run, cloud):
    cloud.settings(portal_sessions_expired=True)
    expired = run_task(run, cloud)
    assert expired["failed"] is True and "session expired or lacks Security Administrator: sign in again" in expired["msg"]
    assert "HTTP 401" in expired["msg"]
    cloud.settings(portal_sessions_expired=False)
    cloud.fault("portal", path="configuration$", status=302, headers={"Location": "https://login.example/"}, count=1)
    redirected = run_task(run, cloud)
    assert redirected["failed"] is True and "redirected" in redirected["msg"] and "sign in again" in redirected["msg"]
    reader = run_task(run, cloud, session="portal_session_non_admin")
    assert reader["failed"] is True and "HTTP 403" in reader["msg"] and "lacks Security Administrator: sign in again" in reader["msg"]
    assert accounts(cloud) == ([], True)


def test_a_changed_api_fails_instead_of_reporting_ok(run, cloud):
    cloud.fault("portal", path="EntityRemediatorCredentials$", status=200, body={"items": []}, count=1)
    changed_list = run_task(run, cloud)
    assert changed_list["failed"] is True and "unexpected action account list" in changed_list["msg"]
    cloud.fault("portal", path="configuration$", status=200, html=True, count=1)
    html = run_task(run, cloud)
    assert html["failed"] is True and "HTML page instead of JSON" in html["msg"]
    # A portal_url without the API path reaches the portal's web app, which answers HTML with 200.
    wrong = run(play([task(**{**cloud.portal_args(), "portal_url": cloud.info["portal_url"].replace("/apiproxy/aatp", "")})]))
    failed = wrong.task_results("action account")["localhost"]
    assert failed["failed"] is True and "HTML page instead of JSON" in failed["msg"]
    assert accounts(cloud) == ([], True)


def test_a_write_the_portal_does_not_keep_is_not_ok(run, cloud):
    # The list (GET) and the add (POST) both answer 200 from the fault, so nothing is stored: the read-back must catch it.
    cloud.fault("portal", path="EntityRemediatorCredentials$", status=200, body={"value": []}, count=2)
    failed = run_task(run, cloud)
    assert failed["failed"] is True
    assert "accepted the changes but then showed otherwise" in failed["msg"] and f"{ACCOUNT} is not listed" in failed["msg"]


def test_manual_mode_needs_no_session_and_sends_nothing(run, cloud):
    result = run(play([task(mode="manual")]))
    done = result.task_results("action account")["localhost"]
    assert done["changed"] is False and done["mode"] == "manual"
    assert any("account name 'mdiAction'" in step and f"domain '{DOMAIN}'" in step for step in done["manual_steps"])
    assert cloud.requests("portal") == []


def test_ca_cert_wins_over_the_environment_bundle(run, cloud):
    done = run_task(run, cloud, env=ENV_BUNDLES)
    assert done["changed"] is True
    args = {k: v for k, v in cloud.portal_args().items() if k != "ca_cert"}
    result = run(play([task(**args)]))
    failed = result.task_results("action account")["localhost"]
    assert failed["failed"] is True and "certificate is not trusted: set ca_cert" in failed["msg"]


def test_session_from_the_environment(run, cloud):
    session = cloud.info["portal_session"]
    env = {"MDI_PORTAL_URL": cloud.info["portal_url"], "MDI_PORTAL_SCCAUTH": session["sccauth"],
           "MDI_PORTAL_XSRF_TOKEN": session["xsrf_token"], "MDI_CLOUD_CA_CERT": cloud.ca_cert}
    result = run(play([task()]), env=env)
    assert result.task_results("action account")["localhost"]["changed"] is True
    assert accounts(cloud) == ([ACCOUNT], False)


def test_runs_once_for_the_domain_controllers_without_delegate_to(run, cloud):
    defaults = {"group/mdi.action_accounts.cloud": cloud.portal_args()}  # only this module in the play: the group may hold all
    result = run(play([{**task(), "run_once": True}], hosts="domain_controllers", module_defaults=defaults))
    hosts = result.task_results("action account")
    assert len(hosts) == 1 and next(iter(hosts.values()))["changed"] is True, result.stderr[-2000:]
    assert accounts(cloud) == ([ACCOUNT], False)


def test_very_verbose_output_holds_no_secret(run, cloud):
    cloud.fault("portal", path="configuration$", status=403, count=1,
                body={"error": {"message": f"echo {cloud.info['portal_session']['sccauth']}"}})
    failing = run(play([task(**cloud.portal_args())]), "-vvvv", env={"ANSIBLE_STDOUT_CALLBACK": "default"})
    assert failing.rc != 0 and "sign in again" in failing.stdout
    passing = run(play([task(**cloud.portal_args())]), "-vvvv", "--diff", env={"ANSIBLE_STDOUT_CALLBACK": "default"})
    assert passing.rc == 0, passing.stdout[-3000:]
    assert_no_secrets(failing.stdout + failing.stderr + passing.stdout + passing.stderr, cloud.secrets())


def _sensors(run, cloud) -> list[dict]:
    """The lab tenant's sensors as mdi_sensor_info returns them."""
    entry = {"name": "sensors", "mdi.action_accounts.mdi_sensor_info": cloud.graph_args()}
    return run(play([entry])).task_results("sensors")["localhost"]["sensors"]


def test_a_v3_sensor_list_stops_the_gmsa_before_any_portal_change(run, cloud):
    """Called directly (no role, no decision), the module itself refuses what would break response actions on v3.x."""
    cloud.settings(sensor_generation="v3")
    sensors = _sensors(run, cloud)
    assert {s["version"].split(".")[0] for s in sensors} == {"3"}
    given = run_task(run, cloud, sensors=sensors)
    assert given.get("failed") and "refused to register a gMSA action account and turn LocalSystem off, before any change" in given["msg"]
    assert "does not support gMSA action accounts" in given["msg"]
    assert accounts(cloud) == ([], True) and writes(cloud) == []

    # Registered while the tenant was v2, LocalSystem on: turning it off on removal is refused too.
    cloud.settings(sensor_generation="v2")
    assert not run_task(run, cloud, use_local_system=True).get("failed")
    cloud.settings(sensor_generation="v3")
    before = len(writes(cloud))
    off = run_task(run, cloud, state="absent", use_local_system=False, sensors=sensors)
    assert off.get("failed") and "refused to turn LocalSystem off" in off["msg"]
    assert accounts(cloud) == ([ACCOUNT], True) and len(writes(cloud)) == before


def test_the_guard_reads_the_sensors_itself_with_graph_credentials(run, cloud):
    cloud.settings(sensor_generation="migrating")
    graph = {k: v for k, v in cloud.graph_args().items() if k != "ca_cert"}
    refused = run_task(run, cloud, **graph)
    assert refused.get("failed") and "dc2." in refused["msg"] and "migrating" in refused["msg"]
    assert writes(cloud) == [] and accounts(cloud) == ([], True)
    graph_calls = [r["path"] for r in cloud.requests("graph")]
    assert "/v1.0/security/identities/sensors" in graph_calls and "/beta/security/identities/sensorMigration" in graph_calls

    cloud.settings(sensor_generation="v2")
    allowed = run_task(run, cloud, **graph)
    assert not allowed.get("failed") and accounts(cloud) == ([ACCOUNT], False)


def test_identity_local_system_turns_it_on_first_and_removes_every_gmsa(run, cloud):
    assert not run_task(run, cloud).get("failed")
    assert accounts(cloud) == ([ACCOUNT], False)
    portal = cloud.portal_args()
    defaults = {"group/mdi.action_accounts.cloud": {"ca_cert": portal.pop("ca_cert")}, MODULE: portal}
    entry = {"name": "local system", MODULE: {"identity": "local_system"}}
    before = len(writes(cloud))
    checked = run(play([{**entry, "check_mode": True}], module_defaults=defaults)).task_results("local system")["localhost"]
    assert checked["changed"] and [r["id"] for r in checked["removed"]] == [ACCOUNT] and len(writes(cloud)) == before
    done = run(play([entry], module_defaults=defaults)).task_results("local system")["localhost"]
    assert done["changed"] and done["actions"] == checked["actions"] == ["turn LocalSystem on", f"remove {ACCOUNT}"]
    paths = [w["path"].rsplit("/aatp", 1)[1] for w in writes(cloud)[before:]]
    assert paths == ["/api/remediationActions/configuration", "/odata/EntityRemediatorCredentials/delete"]
    assert accounts(cloud) == ([], True)
    assert any("To use it again once every sensor is v2.x" in w for w in done["warnings"])
    again = run(play([entry], module_defaults=defaults)).task_results("local system")["localhost"]
    assert again["changed"] is False and again["removed"] == []
