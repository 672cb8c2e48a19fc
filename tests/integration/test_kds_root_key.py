# -*- coding: utf-8 -*-
"""kds_root_key against the lab's Samba DC: check mode, create, idempotence, removal, each verified
by an independent LDAP read; bad connection settings fail clearly and write nothing."""
from __future__ import annotations

import pytest

PLAY = """
- hosts: dc1
  gather_facts: false
  tasks:
    - name: kds
      mdi.action_accounts.kds_root_key:
{args}
"""


def _container(lab):
    return f"CN=Master Root Keys,CN=Group Key Distribution Service,CN=Services,CN=Configuration,{lab['samba']['base_dn']}"


def _key_ids(directory, lab):
    directory.search(_container(lab), "(objectClass=msKds-ProvRootKey)", search_scope="LEVEL", attributes=["cn"])
    return sorted(str(e.cn.value) for e in directory.entries)


def _run_with_output(playbook, args: str = "", extra=()):
    text = PLAY.format(args="\n".join("        " + line for line in args.strip().splitlines()) if args.strip() else "")
    result = playbook(text, extra_args=extra)
    return result, result.task_results("kds")["dc1"]


def _run(playbook, args: str = "", extra=()) -> dict:
    return _run_with_output(playbook, args, extra)[1]


@pytest.fixture(name="no_root_key")
def fixture_no_root_key(lab, directory, playbook):
    """The provisioned key deleted (as on a forest without one); a usable key restored afterwards."""
    for key_id in _key_ids(directory, lab):
        directory.delete(f"CN={key_id},{_container(lab)}")
    yield
    for key_id in _key_ids(directory, lab):
        directory.delete(f"CN={key_id},{_container(lab)}")
    out = _run(playbook, "backdate_for_lab: true")
    assert out["changed"] and out["usable"], out


def test_create_check_mode_then_real_then_idempotent(lab, directory, playbook, no_root_key):  # pylint: disable=unused-argument
    out = _run(playbook, extra=["--check", "--diff"])
    assert out["changed"] and not out.get("failed"), out
    assert _key_ids(directory, lab) == []  # check mode wrote nothing
    assert out["diff"]["before"] == {"keys": []} and len(out["diff"]["after"]["keys"]) == 1

    out = _run(playbook)
    assert out["changed"], out
    assert _key_ids(directory, lab) == [out["key"]["key_id"]]
    assert out["usable"] is False and any("becomes usable at" in w for w in out.get("warnings", []))
    directory.search(f"CN={out['key']['key_id']},{_container(lab)}", "(objectClass=*)", search_scope="BASE",
                     attributes=["msKds-KDFAlgorithmID", "msKds-SecretAgreementAlgorithmID", "msKds-DomainID", "msKds-Version"])
    entry = directory.entries[0]
    assert str(entry["msKds-KDFAlgorithmID"].value) == "SP800_108_CTR_HMAC"
    assert str(entry["msKds-SecretAgreementAlgorithmID"].value) == "DH"
    assert str(entry["msKds-DomainID"].value).startswith("CN=DC1,OU=Domain Controllers,")
    assert "msKds-RootKeyData" not in str(out)  # the secret is never returned

    again = _run(playbook)
    assert not again["changed"] and again["key"]["key_id"] == out["key"]["key_id"]

    removed = _run(playbook, f"state: absent\nkey_id: {out['key']['key_id']}")
    assert removed["changed"] and _key_ids(directory, lab) == []


def test_backdated_key_is_usable_at_once(lab, directory, playbook, no_root_key):  # pylint: disable=unused-argument
    out = _run(playbook, "backdate_for_lab: true")
    assert out["changed"] and out["usable"] and out["key"]["usable"]
    assert len(_key_ids(directory, lab)) == 1


def test_past_effective_time_is_refused(lab, directory, playbook, no_root_key):  # pylint: disable=unused-argument
    out = _run(playbook, "effective_time: '2020-01-01T00:00:00Z'")
    assert out.get("failed") and "backdate_for_lab" in out["msg"]
    assert _key_ids(directory, lab) == []


@pytest.mark.parametrize("args, message", [
    ("password: wrong-password", "user name or password is wrong"),
    ("ca_cert: /etc/ssl/certs/ca-certificates.crt", "set ca_cert"),
    ("tls_mode: none", "allow_cleartext=true"),
    ("tls_mode: none\nallow_cleartext: true", "tls_mode=ldaps or tls_mode=starttls"),
])
def test_bad_connection_settings_fail_clearly(lab, directory, playbook, args, message):
    before = _key_ids(directory, lab)
    result, out = _run_with_output(playbook, args)
    assert out.get("failed") and message in out["msg"], out
    assert _key_ids(directory, lab) == before
    assert lab["samba"]["admin_password"] not in result.stdout + result.stderr
