# -*- coding: utf-8 -*-
"""Faults during a site run (issue 13, "faults mid-run"): one fake DC refusing connections, answering 500, or slower
than the timeout; the fake cloud answering 429 with Retry-After, 503, or an HTML page. Only the affected host or step
fails, each with a clear message and no traceback; the other hosts finish; and a rerun of the whole site playbook,
once the fault is gone, converges to the same end state as a clean run (tests/lab/snapshot.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "tests" / "lab"))

import fake_winrm_hosts  # noqa: E402  pylint: disable=wrong-import-position
import snapshot  # noqa: E402  pylint: disable=wrong-import-position
from conftest import gmsa_sid  # noqa: E402  pylint: disable=wrong-import-position,wrong-import-order

sys.path.insert(0, str(REPO / ".build" / "collections"))
# pylint: disable=wrong-import-position
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import sid_to_bytes  # noqa: E402

SITE = (REPO / "playbooks" / "site.yml").read_text()
TEARDOWN = (REPO / "playbooks" / "teardown.yml").read_text()


def end_state(lab: dict, directory) -> dict:
    """snapshot.take(lab) with the gMSA's SID (new on every creation) replaced by a placeholder, in the DACLs too."""
    sid = gmsa_sid(directory, lab["samba"]["base_dn"])
    state = snapshot.take(lab)
    raw_sid = sid_to_bytes(sid) if sid else None
    for name, dn in (("dacl domain root", lab["samba"]["base_dn"]), ("dacl OU=MDI Lab", lab["samba"]["ous"]["lab"])):
        directory.search(dn, "(objectClass=*)", search_scope="BASE", attributes=["nTSecurityDescriptor"], controls=snapshot.DACL_ONLY)
        raw = directory.response[0]["raw_attributes"]["nTSecurityDescriptor"][0]
        state["directory"][name] = raw.replace(raw_sid, b"GMSA".ljust(len(raw_sid), b"-")) if raw_sid else raw
    state["hosts"] = {host: {right: ["GMSA" if member == sid else member for member in members] for right, members in rights.items()}
                      for host, rights in state["hosts"].items()}
    return state


def _failures(result) -> dict[str, str]:
    """Host -> the message of its first failed (or unreachable) task."""
    found = {}
    for play in result.data.get("plays", []):
        for task in play["tasks"]:
            for host, outcome in task["hosts"].items():
                if (outcome.get("failed") or outcome.get("unreachable")) and host not in found:
                    found[host] = outcome.get("msg", "")
    return found


@pytest.fixture(name="clean_state")
def fixture_clean_state(lab, playbook, directory):
    """The end state of a clean site run, from scratch."""
    assert playbook(TEARDOWN).rc == 0
    assert playbook(SITE).rc == 0
    return end_state(lab, directory)


@pytest.mark.parametrize("fault, words", [
    ({"refuse": True}, "refused"),
    ({"http_500": True}, "500"),
    ({"delay_seconds": 40}, "timed out"),
])
def test_one_dc_failing_fails_only_that_dc_and_a_rerun_converges(fault, words, lab, playbook, directory, clean_state):
    assert playbook(TEARDOWN).rc == 0
    dc2 = lab["winrm"]["hosts"]["dc2"]
    fake_winrm_hosts.set_faults(dc2, **fault)
    try:
        extra = ["-e", "ansible_winrm_operation_timeout_sec=10", "-e", "ansible_winrm_read_timeout_sec=15"]
        broken = playbook(SITE, extra_args=extra)
    finally:
        fake_winrm_hosts.clear_faults(dc2)
    failures = _failures(broken)
    assert broken.rc != 0 and set(failures) == {"dc2"}, failures
    assert words in failures["dc2"].lower() or "unreachable" in str(broken.stats["dc2"]), failures
    assert "Traceback (most recent call last)" not in broken.stdout + broken.stderr
    assert broken.stats["dc1"]["failures"] == 0 and broken.stats["dc3"]["failures"] == 0
    rerun = playbook(SITE)
    assert rerun.rc == 0, rerun.stderr[-2000:]
    assert snapshot.differences(clean_state, end_state(lab, directory)) == []


def test_throttling_by_the_portal_is_waited_out(lab, playbook, directory, cloud, clean_state):
    assert playbook(TEARDOWN).rc == 0
    start = len(cloud.requests("portal"))
    cloud.fault("portal", path="EntityRemediatorCredentials$", method="POST", status=429, retry_after="1", count=1)
    result = playbook(SITE)
    assert result.rc == 0, result.stderr[-2000:]
    posts = [r["status"] for r in cloud.requests("portal")[start:] if r["method"] == "POST" and r["path"].endswith("Credentials")]
    assert posts == [429, 200]
    assert snapshot.differences(clean_state, end_state(lab, directory)) == []


@pytest.mark.parametrize("fault, words", [
    ({"status": 503, "count": 10}, "unavailable"),
    ({"status": 200, "html": True, "count": 10}, "html page"),
])
def test_a_failing_portal_fails_step_4_clearly_and_a_rerun_converges(fault, words, lab, playbook, directory, cloud, clean_state):
    assert playbook(TEARDOWN).rc == 0
    cloud.fault("portal", path="EntityRemediatorCredentials", **fault)
    broken = playbook(SITE, extra_args=["-e", "portal_validate_certs=true"])
    failures = _failures(broken)
    assert broken.rc != 0 and set(failures) == {"dc1"} and words in failures["dc1"].lower(), failures
    assert "Traceback (most recent call last)" not in broken.stdout + broken.stderr
    assert cloud.state()["accounts"] == [], "a failed registration left something half-done"
    cloud._control("POST", "reset", {"state": False})  # pylint: disable=protected-access  # the faults go, the portal data stays
    rerun = playbook(SITE)
    assert rerun.rc == 0, rerun.stderr[-2000:]
    assert snapshot.differences(clean_state, end_state(lab, directory)) == []
