# -*- coding: utf-8 -*-
"""Faults during a site run (issue 13, "faults mid-run"): one fake DC refusing connections, answering 500, or slower
than the timeout; the fake cloud answering 429 with Retry-After, 503, an HTML page, or not in time; the LDAP connection
cut between a task's read and its write. Only the affected host or step
fails, each with a clear message and no traceback; the other hosts finish; and a rerun of the whole site playbook,
once the fault is gone, converges to the same end state as a clean run (tests/lab/snapshot.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "tests" / "lab"))

import fake_winrm_hosts  # noqa: E402  pylint: disable=wrong-import-position
from ldap_cutter import LdapCutter  # noqa: E402  pylint: disable=wrong-import-position
import snapshot  # noqa: E402  pylint: disable=wrong-import-position
from conftest import gmsa_sid  # noqa: E402  pylint: disable=wrong-import-position,wrong-import-order

sys.path.insert(0, str(REPO / ".build" / "collections"))
# pylint: disable=wrong-import-position
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import SecurityDescriptor  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.sid import sid_to_bytes  # noqa: E402

SITE = (REPO / "playbooks" / "site.yml").read_text()
TEARDOWN = (REPO / "playbooks" / "teardown.yml").read_text()


def end_state(lab: dict, directory) -> dict:
    """snapshot.take(lab) with the gMSA's SID (new on every creation) replaced by a placeholder, in the rights and the
    DACLs too. A DACL counts as its set of ACEs: a repaired ACE may come back at another place among the explicit ones
    (any order within a group is canonical)."""
    sid = gmsa_sid(directory, lab["samba"]["base_dn"])
    state = snapshot.take(lab)
    raw_sid = sid_to_bytes(sid) if sid else None
    for name, dn in (("dacl domain root", lab["samba"]["base_dn"]), ("dacl OU=MDI Lab", lab["samba"]["ous"]["lab"])):
        directory.search(dn, "(objectClass=*)", search_scope="BASE", attributes=["nTSecurityDescriptor"], controls=snapshot.DACL_ONLY)
        dacl = SecurityDescriptor.parse(directory.response[0]["raw_attributes"]["nTSecurityDescriptor"][0]).dacl
        state["directory"][name] = sorted((ace.replace(raw_sid, b"GMSA".ljust(len(raw_sid), b"-")) if raw_sid else ace).hex()
                                          for ace in dacl.raw_entries)
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
                    items = [item.get("msg", "") for item in outcome.get("results", []) if item.get("failed")]
                    found[host] = items[0] if items else outcome.get("msg", "")  # a loop's own msg only says an item failed
    return found


@pytest.fixture(name="clean_state")
def fixture_clean_state(lab, playbook, directory):
    """The end state of a clean site run, from scratch."""
    assert playbook(TEARDOWN).rc == 0
    assert playbook(SITE).rc == 0
    return end_state(lab, directory)


@pytest.mark.parametrize("host, fault, words", [
    ("dc2", {"refuse": True}, "refused"),
    ("dc2", {"http_500": True}, "500"),
    ("dc2", {"delay_seconds": 40}, "timed out"),
    # The first DC would make the domain-wide changes: the next one still in the play must make them instead.
    ("dc1", {"refuse": True}, "refused"),
])
def test_one_dc_failing_fails_only_that_dc_and_a_rerun_converges(host, fault, words, lab, playbook, directory, clean_state):
    assert playbook(TEARDOWN).rc == 0
    broken_host = lab["winrm"]["hosts"][host]
    fake_winrm_hosts.set_faults(broken_host, **fault)
    try:
        extra = ["-e", "ansible_winrm_operation_timeout_sec=10", "-e", "ansible_winrm_read_timeout_sec=15"]
        broken = playbook(SITE, extra_args=extra)
    finally:
        fake_winrm_hosts.clear_faults(broken_host)
    failures = _failures(broken)
    assert broken.rc != 0 and set(failures) == {host}, failures
    assert words in failures[host].lower() or "unreachable" in str(broken.stats[host]), failures
    assert "Traceback (most recent call last)" not in broken.stdout + broken.stderr
    assert all(broken.stats[other]["failures"] == 0 for other in ("dc1", "dc2", "dc3") if other != host)
    # Everything but the broken DC's own right is done: the domain-wide steps too, whichever DC was to make them.
    assert [line for line in snapshot.differences(clean_state, end_state(lab, directory))
            if not line.startswith(f"/hosts/{host}/")] == []
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
    ({"delay_seconds": 6, "count": 10}, "no answer within 2 s"),
])
def test_a_failing_portal_fails_step_4_clearly_and_a_rerun_converges(fault, words, lab, playbook, directory, cloud, clean_state):
    assert playbook(TEARDOWN).rc == 0
    cloud.fault("portal", path="EntityRemediatorCredentials", **fault)
    broken = playbook(SITE, extra_args=["-e", "portal_validate_certs=true portal_timeout=2 portal_retries=1"])
    failures = _failures(broken)
    assert broken.rc != 0 and set(failures) == {"dc1"} and words in failures["dc1"].lower(), failures
    assert "Traceback (most recent call last)" not in broken.stdout + broken.stderr
    assert cloud.state()["accounts"] == [], "a failed registration left something half-done"
    cloud._control("POST", "reset", {"state": False})  # pylint: disable=protected-access  # the faults go, the portal data stays
    rerun = playbook(SITE)
    assert rerun.rc == 0, rerun.stderr[-2000:]
    assert snapshot.differences(clean_state, end_state(lab, directory)) == []


def _half_written(lab: dict, directory) -> list[str]:
    """What a run cut short must never leave: a gMSA whose password no domain controller may retrieve."""
    directory.search(lab["samba"]["base_dn"], "(objectClass=msDS-GroupManagedServiceAccount)", attributes=["msDS-GroupMSAMembership"])
    return [entry.entry_dn for entry in directory.entries if not entry["msDS-GroupMSAMembership"].raw_values]


@pytest.mark.parametrize("write", [1, 2])  # from scratch the run writes twice over LDAP: the gMSA, then the domain root's DACL
def test_the_dc_lost_between_a_read_and_a_write_leaves_nothing_half_done(write, lab, playbook, directory, clean_state):
    """The LDAP connection cut just before the run's first or second write reaches the DC (tests/lab/ldap_cutter.py): the
    task fails saying so and to rerun, the other tasks of that host stop, no gMSA is left that no DC may use, and a rerun
    ends where a clean run ends."""
    assert playbook(TEARDOWN).rc == 0
    with LdapCutter(lab, cut_at=write) as cutter:
        broken = playbook(SITE, extra_args=["-e", f"mdi_ldap_server={cutter.ip}", "-e", f"mdi_ldap_port={cutter.port}"])
    assert cutter.cut, f"the run made only {cutter.writes} LDAP writes"
    failures = _failures(broken)
    assert broken.rc != 0 and failures, broken.stdout[-3000:]
    assert "Traceback (most recent call last)" not in broken.stdout + broken.stderr
    for host, message in failures.items():
        assert "connection" in message.lower() and "rerun" in message.lower(), (host, message)
    assert _half_written(lab, directory) == []
    rerun = playbook(SITE)
    assert rerun.rc == 0, rerun.stderr[-2000:]
    assert snapshot.differences(clean_state, end_state(lab, directory)) == []
