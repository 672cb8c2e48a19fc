# -*- coding: utf-8 -*-
"""gmsa_account against the lab's Samba DC. Every case runs in check mode first (nothing may change,
`changed` must be predicted), then for real, then again (unchanged); each state is verified by an
independent LDAP read. The retrieval ACL is shown to be real by reading msDS-ManagedPassword."""
from __future__ import annotations

import ssl

import ldap3
import pytest

NAME = "mdiActTest"
PLAY = """
- hosts: dc1
  gather_facts: false
  tasks:
    - name: gmsa
      mdi.action_accounts.gmsa_account:
{args}
"""


def _gmsa_with_output(playbook, args: str, extra=()):
    lines = "\n".join("        " + line for line in args.strip().splitlines())
    result = playbook(PLAY.format(args=lines), extra_args=extra)
    return result, result.task_results("gmsa")["dc1"]


def _gmsa(playbook, args: str, extra=()) -> dict:
    return _gmsa_with_output(playbook, args, extra)[1]


def _read(directory, lab, name=NAME):
    directory.search(lab["samba"]["base_dn"], f"(sAMAccountName={name}$)", attributes=[
        "msDS-SupportedEncryptionTypes", "userAccountControl", "dNSHostName", "msDS-GroupMSAMembership", "description"])
    return directory.entries[0] if directory.entries else None


def _converge(playbook, directory, lab, args: str):
    """check mode (predicts, changes nothing) -> real (changes) -> real again (unchanged); returns the real result."""
    before = _read(directory, lab)
    before_state = before.entry_to_json() if before is not None else None
    checked = _gmsa(playbook, args, extra=["--check", "--diff"])
    assert checked["changed"] and not checked.get("failed"), checked
    after_check = _read(directory, lab)
    assert (after_check.entry_to_json() if after_check is not None else None) == before_state, "check mode changed the directory"
    real = _gmsa(playbook, args, extra=["--diff"])
    assert real["changed"] and not real.get("failed"), real
    assert checked["account"] == real["account"] | {"dn": checked["account"]["dn"]}, "check mode predicted another result"
    again = _gmsa(playbook, args)
    assert not again["changed"] and not again.get("failed"), again
    return real


@pytest.fixture(name="clean")
def fixture_clean(lab, directory):
    def remove():
        entry = _read(directory, lab)
        if entry is not None:
            directory.delete(entry.entry_dn)
    remove()
    yield
    remove()


def test_lifecycle(lab, directory, playbook, clean):  # pylint: disable=unused-argument
    created = _converge(playbook, directory, lab, f"name: {NAME}\ndescription: lab action account")
    entry = _read(directory, lab)
    assert int(entry["msDS-SupportedEncryptionTypes"].value) == 24  # AES128 + AES256 only
    assert int(entry["userAccountControl"].value) == 4096  # what Windows requires, whatever Samba would accept
    assert str(entry["dNSHostName"].value) == f"{NAME}.{lab['samba']['domain_dns']}"
    assert [p["name"] for p in created["retrieval_principals"]] == ["CORP\\Domain Controllers"]
    assert created["sid"].startswith(lab["samba"]["domain_sid"]) and created["sam_account_name"] == f"{NAME}$"

    _converge(playbook, directory, lab, f"name: {NAME}\nkerberos_encryption_types: [aes256]")
    assert int(_read(directory, lab)["msDS-SupportedEncryptionTypes"].value) == 16

    dc1 = lab["samba"]["computers"]["dc1"]["dn"]
    changed = _converge(playbook, directory, lab, f"name: {NAME}\nkerberos_encryption_types: [aes256]\nretrieval_principals:\n  add: ['{dc1}']")
    assert sorted(p["name"] for p in changed["retrieval_principals"]) == ["CORP\\DC1$", "CORP\\Domain Controllers"]

    removed_check = _gmsa(playbook, f"name: {NAME}\nstate: absent", extra=["--check"])
    assert removed_check["changed"] and _read(directory, lab) is not None
    removed = _gmsa(playbook, f"name: {NAME}\nstate: absent")
    assert removed["changed"] and _read(directory, lab) is None
    again = _gmsa(playbook, f"name: {NAME}\nstate: absent")
    assert not again["changed"]


def _managed_password(lab, user):
    tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=lab["ca_cert"])
    server = ldap3.Server(lab["samba"]["ip"], port=636, use_ssl=True, tls=tls, get_info=ldap3.NONE)
    with ldap3.Connection(server, user["upn"], user["password"], auto_bind=True) as conn:
        conn.search(lab["samba"]["base_dn"], f"(sAMAccountName={NAME}$)", attributes=["msDS-ManagedPassword"])
        return conn.entries[0]["msDS-ManagedPassword"].raw_values if conn.entries else None


def test_retrieval_principals_are_enforced_by_the_dc(lab, directory, playbook, clean):  # pylint: disable=unused-argument
    refused = _gmsa(playbook, f"name: {NAME}\nretrieval_principals:\n  set: [alice]")
    assert refused.get("failed") and "only domain controllers" in refused["msg"] and "alice" in refused["msg"]
    assert _read(directory, lab) is None  # nothing written

    out = _gmsa(playbook, f"name: {NAME}\nallow_non_dc_retrieval: true\nretrieval_principals:\n  set: [alice]")
    assert out["changed"] and any("allow_non_dc_retrieval" in w for w in out.get("warnings", []))
    users = lab["samba"]["users"]
    assert _managed_password(lab, users["alice"]), "alice is in the retrieval set but cannot read the password"
    assert not _managed_password(lab, users["bob"]), "bob is not in the retrieval set but read the password"


@pytest.mark.parametrize("principal", ["srv1$", "CORP\\mixed-servers"])
def test_non_dc_servers_are_refused(lab, directory, playbook, clean, principal):  # pylint: disable=unused-argument
    out = _gmsa(playbook, f"name: {NAME}\nretrieval_principals:\n  add: ['{principal}']")
    assert out.get("failed") and "not domain controllers" in out["msg"] or "not a domain controller" in out["msg"], out
    assert "srv1" in out["msg"]
    assert _read(directory, lab) is None


def test_path_moves_the_account_and_back(lab, directory, playbook, clean):  # pylint: disable=unused-argument
    servers = lab["samba"]["ous"]["servers"]
    created = _gmsa(playbook, f"name: {NAME}")
    assert created["changed"] and not created.get("failed"), created
    default_dn = created["dn"]

    checked = _gmsa(playbook, f"name: {NAME}\npath: {servers}", extra=["--check"])
    assert checked["changed"] and checked["dn"] == f"CN={NAME},{servers}" and _read(directory, lab).entry_dn == default_dn

    moved = _gmsa(playbook, f"name: {NAME}\npath: {servers}")
    assert moved["changed"] and not moved.get("failed"), moved
    assert _read(directory, lab).entry_dn == f"CN={NAME},{servers}"
    assert not _gmsa(playbook, f"name: {NAME}\npath: {servers}")["changed"]

    back = _gmsa(playbook, f"name: {NAME}\npath: {default_dn.split(',', 1)[1]}")
    assert back["changed"] and _read(directory, lab).entry_dn == default_dn


def test_password_interval_is_creation_only(lab, directory, playbook, clean):  # pylint: disable=unused-argument
    out = _gmsa(playbook, f"name: {NAME}\npassword_interval_days: 15")
    assert out["changed"] and out["account"]["password_interval_days"] == 15
    out = _gmsa(playbook, f"name: {NAME}\npassword_interval_days: 30")
    assert out.get("failed") and "only be set when the gMSA is created" in out["msg"]


@pytest.mark.parametrize("args, message", [
    ("name: abcdefghijklmnop", "at most 15"),
    (f"name: {NAME}\nretrieval_principals:\n  add: [nosuchuser]", "'nosuchuser' not found"),
    (f"name: {NAME}\npath: OU=Nowhere,DC=corp,DC=example,DC=test", "does not exist"),
    (f"name: {NAME}\npassword: wrong-password", "user name or password is wrong"),
    (f"name: {NAME}\nca_cert: /etc/ssl/certs/ca-certificates.crt", "set ca_cert"),
    (f"name: {NAME}\ntls_mode: none", "allow_cleartext=true"),
])
def test_bad_input_fails_clearly_and_writes_nothing(lab, directory, playbook, clean, args, message):  # pylint: disable=unused-argument
    result, out = _gmsa_with_output(playbook, args)
    assert out.get("failed") and message in out["msg"], out
    assert _read(directory, lab) is None
    assert lab["samba"]["admin_password"] not in result.stdout + result.stderr


def test_refuses_without_usable_kds_root_key(lab, directory, playbook, clean):  # pylint: disable=unused-argument
    container = f"CN=Master Root Keys,CN=Group Key Distribution Service,CN=Services,CN=Configuration,{lab['samba']['base_dn']}"
    directory.search(container, "(objectClass=msKds-ProvRootKey)", search_scope="LEVEL", attributes=["msKds-UseStartTime"])
    saved = [(e.entry_dn, e["msKds-UseStartTime"].value) for e in directory.entries]
    try:
        for dn in [item[0] for item in saved]:  # make every key brand new: not usable for 10 hours
            directory.modify(dn, {"msKds-UseStartTime": [(ldap3.MODIFY_REPLACE, ["999999999999999999"])]})
        out = _gmsa(playbook, f"name: {NAME}")
        assert out.get("failed") and "mdi.action_accounts.kds_root_key" in out["msg"], out
        assert _read(directory, lab) is None
    finally:
        for dn, value in saved:
            directory.modify(dn, {"msKds-UseStartTime": [(ldap3.MODIFY_REPLACE, [str(value)])]})
