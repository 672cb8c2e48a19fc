# -*- coding: utf-8 -*-
"""The sensor generation decides the response-action identity (Microsoft: sensor v3.x does not support a gMSA action
account; configured anyway, response actions and attack disruption break). Against the lab with its fake Graph set to
v3, mixed or migrating sensors: site.yml leaves LocalSystem on, registers nothing and changes nothing in AD; a gMSA
asked for is refused before any change; a gMSA registered by hand turns verify red until site.yml repairs it;
migrate_to_local_system.yml moves a v2-configured tenant without a moment lacking an identity. Every check reads the
lab itself (tests/lab/snapshot.py, the fake portal's state and request log)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "tests" / "lab"))

import snapshot  # noqa: E402  pylint: disable=wrong-import-position
from conftest import gmsa_sid  # noqa: E402  pylint: disable=wrong-import-position,wrong-import-order
from test_verify_playbook import _rows  # noqa: E402  pylint: disable=wrong-import-position

PLAYBOOKS = REPO / "playbooks"
SITE, VERIFY, MIGRATE, TEARDOWN = ((PLAYBOOKS / f"{name}.yml").read_text() for name in ("site", "verify", "migrate_to_local_system", "teardown"))
IDENTITY_ROW = "response-action identity"


def _portal_writes(cloud) -> list[tuple[str, str]]:
    return [(r["method"], r["path"].rsplit("/aatp", 1)[1]) for r in cloud.requests("portal") if r["method"] != "GET"]


def _verify(playbook, tmp_path, *args):
    result = playbook(VERIFY, extra_args=["-e", f"verify_report_dir={tmp_path}", *args])
    return result, _rows((tmp_path / "report.md").read_text())


@pytest.fixture(name="no_gmsa")
def fixture_no_gmsa(lab, playbook, directory, cloud):
    """The lab without the action account (as a v3 tenant that never had one), put back as the site test leaves it."""
    assert playbook(TEARDOWN).rc == 0
    assert gmsa_sid(directory, lab["samba"]["base_dn"]) is None
    yield
    cloud.reset()
    assert playbook(SITE).rc == 0


@pytest.mark.parametrize("generation", ["v3", "mixed", "migrating"])
def test_site_with_defaults_leaves_local_system_on_registers_nothing_and_touches_no_ad(
        generation, lab, playbook, cloud, no_gmsa, tmp_path):  # pylint: disable=unused-argument  # no_gmsa: its setup
    cloud.reset()
    cloud.settings(sensor_generation=generation)
    before = snapshot.take(lab)
    checked = playbook(SITE, extra_args=["--check"])
    assert checked.rc == 0 and checked.changed == 0, checked.stats
    first = playbook(SITE)
    assert first.rc == 0, first.stderr[-3000:]
    decision = first.task_results("Show the decision")["dc1"]["msg"]
    assert "the sensors' LocalSystem (local_system, asked for auto)" in decision and "dc2.corp" in decision
    assert snapshot.differences(before, snapshot.take(lab)) == [], "a v3 tenant got AD changes or a portal registration"
    assert _portal_writes(cloud) == [], "LocalSystem was already on: nothing to write"
    assert playbook(SITE).changed == 0
    result, rows = _verify(playbook, tmp_path)
    assert result.rc == 0, result.stderr[-2000:]
    assert rows[IDENTITY_ROW][0] == "PASS" and "LocalSystem on; registered gMSA: none" in rows[IDENTITY_ROW][1]
    assert "gMSA mdiAction" not in rows, "verify checked a gMSA that a LocalSystem tenant does not need"


def test_a_gmsa_asked_for_on_v3_is_refused_before_any_change(lab, playbook, cloud):
    cloud.settings(sensor_generation="mixed")
    before = snapshot.take(lab)
    for args in (["-e", "mdi_action_identity=gmsa"], ["-e", "mdi_action_identity=gmsa", "--check"]):
        result = playbook(SITE, extra_args=args)
        assert result.rc != 0
        failure = result.task_results("Stop before any change when that identity cannot be used")["dc1"]
        assert failure["msg"].startswith("Nothing was changed. mdi_action_identity=gmsa: refused")
        assert "dc2.corp.example.test (version 3." in failure["msg"] and "does not support gMSA action accounts" in failure["msg"]
        with pytest.raises(KeyError):
            result.task_results("Step 1 - KDS root key and the action account")
    assert snapshot.differences(before, snapshot.take(lab)) == []
    assert _portal_writes(cloud) == []


def test_auto_without_a_readable_sensor_list_stops_before_any_change(lab, playbook, cloud):
    before = snapshot.take(lab)
    no_role = ["-e", f"action_identity_client_id={cloud.info['apps']['no_permissions']['client_id']}",
               "-e", f"action_identity_client_secret={cloud.info['apps']['no_permissions']['client_secret']}"]
    result = playbook(SITE, extra_args=no_role)
    assert result.rc != 0
    message = result.task_results("Stop before any change when that identity cannot be used")["dc1"]["msg"]
    assert "cannot decide without the tenant's sensor list" in message and "SecurityIdentitiesSensors.Read.All" in message
    assert snapshot.differences(before, snapshot.take(lab)) == []
    assert _portal_writes(cloud) == []


def test_a_gmsa_registered_by_hand_on_v3_turns_verify_red_and_site_repairs_it(lab, playbook, cloud, tmp_path):
    assert playbook(SITE).rc == 0  # v2: the gMSA registered, LocalSystem off
    cloud.settings(sensor_generation="v3")
    result, rows = _verify(playbook, tmp_path)
    assert result.rc != 0
    assert rows[IDENTITY_ROW][0] == "FAIL" and "does not support gMSA action accounts" in rows[IDENTITY_ROW][1]
    repaired = playbook(SITE)
    assert repaired.rc == 0 and repaired.changed == 1, repaired.stats
    warnings = repaired.task_results("Response actions as LocalSystem, with no gMSA action account registered (the whole tenant)")
    assert any("Removed the gMSA action account mdiAction@" in w for w in warnings["dc1"].get("warnings", []))
    state = cloud.state()
    assert (state["accounts"], state["local_system"]) == ([], True)
    assert _portal_writes(cloud)[-2:] == [("POST", "/api/remediationActions/configuration"), ("POST", "/odata/EntityRemediatorCredentials/delete")]
    result, rows = _verify(playbook, tmp_path)
    assert result.rc == 0 and rows[IDENTITY_ROW][0] == "PASS"
    cloud.reset()
    assert playbook(SITE).rc == 0


def test_migrate_to_local_system_keeps_an_identity_at_every_moment(lab, playbook, directory, cloud):
    assert playbook(SITE).rc == 0
    sid = gmsa_sid(directory, lab["samba"]["base_dn"])
    cloud.settings(sensor_generation="v3")
    before = snapshot.take(lab)
    checked = playbook(MIGRATE, extra_args=["--check"])
    assert checked.rc == 0 and checked.stats["dc1"]["changed"] == 1 and checked.changed == 1
    assert snapshot.differences(before, snapshot.take(lab)) == []
    log_start = len(cloud.requests("portal"))
    moved = playbook(MIGRATE)
    assert moved.rc == 0 and moved.changed == 1
    writes = [(r["method"], r["path"].rsplit("/aatp", 1)[1]) for r in cloud.requests("portal")[log_start:] if r["method"] != "GET"]
    # LocalSystem goes on before the registration goes: response actions never lack an identity.
    assert writes == [("POST", "/api/remediationActions/configuration"), ("POST", "/odata/EntityRemediatorCredentials/delete")]
    assert (cloud.state()["accounts"], cloud.state()["local_system"]) == ([], True)
    assert gmsa_sid(directory, lab["samba"]["base_dn"]) == sid, "without migrate_remove_gmsa the gMSA stays"
    assert playbook(MIGRATE).changed == 0

    cleanup = ["-e", "migrate_remove_gmsa=true"]
    predicted = playbook(MIGRATE, extra_args=[*cleanup, "--check"])
    assert predicted.rc == 0 and gmsa_sid(directory, lab["samba"]["base_dn"]) == sid
    removed = playbook(MIGRATE, extra_args=cleanup)
    assert removed.rc == 0 and removed.stats == predicted.stats, (removed.stats, predicted.stats)
    assert gmsa_sid(directory, lab["samba"]["base_dn"]) is None
    after = snapshot.take(lab)
    assert all(sid not in sids for rights in after["hosts"].values() for sids in rights.values())
    assert playbook(MIGRATE, extra_args=cleanup).changed == 0
    cloud.reset()
    assert playbook(SITE).rc == 0
