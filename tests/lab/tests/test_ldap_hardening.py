# -*- coding: utf-8 -*-
"""Real-forest LDAP hardening: the collection's own connection code (plugins/module_utils/_ldap/connection.py) against
a DC that requires strong authentication and channel binding, and the messages it gives when a DC refuses a bind.

The lab's Samba 4.22 DC runs with `ldap server require strong auth = yes`, written into its smb.conf (samba_dc.py):
the strictest level Samba has, which its manual matches to Windows' LdapEnforceChannelBinding=2. Simple binds only
over TLS; SASL binds over TLS only with correct TLS channel bindings; SASL binds without TLS only signed or sealed
(which ldap3 never does). This file proves that the setting is on and enforced, and what the collection says when
a bind lacks what it demands. The binds that must keep working against it are proven in
tests/integration/lab/test_ldap_layer.py and not repeated here: test_validated_tls_with_the_lab_ca[ldaps|starttls]
(simple bind over LDAPS and StartTLS), test_kerberos_with_a_password[ldaps|starttls] (Kerberos over both, with the
channel bindings ldap3 sends), and test_cleartext (a simple bind on plain 389 is refused with strongerAuthRequired).

Windows' own refusals (80090346 for missing channel bindings, 00002028 for missing signing) come, in Windows' words,
from the fake DC in tests/lab/fake_ldap_dc.py, which runs without the lab.
"""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import samba_dc
from fake_ldap_dc import BAD_CHANNEL_BINDINGS, SIGNING_REQUIRED, FakeLdapDc
from pki import LabPKI

REPO = Path(__file__).resolve().parents[3]
COLLECTIONS = REPO / ".build" / "collections"  # as `make collection-link` makes it
DEBIAN_PACKAGES = Path("/usr/lib/python3/dist-packages")


def _import_debian_gssapi() -> None:
    """The venv has no gssapi: load Debian's python3-gssapi (built for the same CPython 3.11) and its one dependency,
    alone rather than all of dist-packages, before the collection's kerberos module looks for it."""
    for name, path in (("decorator", DEBIAN_PACKAGES / "decorator.py"), ("gssapi", DEBIAN_PACKAGES / "gssapi" / "__init__.py")):
        if name not in sys.modules and importlib.util.find_spec(name) is None:
            package = [str(path.parent)] if path.name == "__init__.py" else None
            spec = importlib.util.spec_from_file_location(name, path, submodule_search_locations=package)
            sys.modules[name] = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(sys.modules[name])


_import_debian_gssapi()
if not (COLLECTIONS / "ansible_collections" / "mdi" / "action_accounts").exists():  # `make lab-tests` does not link it
    (COLLECTIONS / "ansible_collections" / "mdi").mkdir(parents=True, exist_ok=True)
    (COLLECTIONS / "ansible_collections" / "mdi" / "action_accounts").symlink_to(REPO)
sys.path.insert(0, str(COLLECTIONS))

# pylint: disable=wrong-import-position
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.connection import create_ldap_connection  # noqa: E402
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.errors import LdapError  # noqa: E402
# pylint: enable=wrong-import-position

CHANNEL_BINDING_WORDS = "refused: the domain controller requires LDAP channel binding"
SIGNING_WORDS = "refused: the domain controller requires LDAP signing or TLS for every bind"


def _failure(**options) -> str:
    with pytest.raises(LdapError) as failure:
        create_ldap_connection(**options)
    return str(failure.value)


# ---------------------------------------------------------------- the lab's Samba DC

@pytest.fixture(name="samba", scope="module")
def fixture_samba(lab) -> dict:
    if "samba" not in lab.get("components", []):
        pytest.fail("lab not running: run make lab-up (lab.json lists no samba component)")
    return lab["samba"]


def _samba_options(samba: dict, **changes) -> dict:
    return {"server": samba["ip"], "username": samba["admin_upn"], "password": samba["admin_password"], "ca_cert": samba["ca_cert"],
            "timeout": 10, **changes}


@pytest.fixture(name="kerberos")
def fixture_kerberos(samba, monkeypatch, tmp_path):
    """ldap3's Kerberos module, with the lab's krb5.conf and a ticket cache of the test's own."""
    monkeypatch.setenv("KRB5_CONFIG", samba["krb5_conf"])
    monkeypatch.setenv("KRB5CCNAME", f"FILE:{tmp_path / 'ccache'}")
    from ldap3.protocol.sasl import kerberos  # pylint: disable=import-outside-toplevel
    return kerberos


def test_the_dc_requires_the_strictest_strong_auth(samba):
    conf = Path(samba["dir"]) / "etc" / "smb.conf"
    assert f"\t{samba_dc.STRONG_AUTH_OPTION} = {samba_dc.STRONG_AUTH}" in conf.read_text().splitlines()  # written out, not a default
    effective = subprocess.run(["testparm", "-s", "--parameter-name", samba_dc.STRONG_AUTH_OPTION, str(conf)], capture_output=True,
                               text=True, timeout=30, check=True).stdout.strip()
    assert effective.lower() == "yes"


@pytest.mark.parametrize("tls_mode", ["ldaps", "starttls"])
def test_kerberos_without_channel_bindings_is_refused_and_says_why(samba, kerberos, monkeypatch, tls_mode):
    options = _samba_options(samba, auth="kerberos", tls_mode=tls_mode)
    with create_ldap_connection(**options) as client:  # the control: ldap3 sends the bindings, the DC accepts
        assert client.conn.extend.standard.who_am_i() == f"u:{samba['netbios']}\\Administrator"
    monkeypatch.setattr(kerberos, "get_channel_bindings", lambda _socket: None)  # as a client without channel binding support
    message = _failure(**options)
    assert message.startswith(f"bind as '{samba['admin_upn']}' {CHANNEL_BINDING_WORDS}")
    assert "Use auth=kerberos with tls_mode=ldaps or tls_mode=starttls" in message and "password is wrong" not in message
    assert "(invalidCredentials 49: 80090346: LdapErr: " in message  # Samba's words, kept through ldap3's abort bind


@pytest.mark.usefixtures("kerberos")
def test_kerberos_without_tls_is_refused_for_signing(samba):
    message = _failure(**_samba_options(samba, auth="kerberos", tls_mode="none", allow_cleartext=True))
    assert message.startswith(f"bind as '{samba['admin_upn']}' {SIGNING_WORDS}")
    assert message.endswith("use tls_mode=ldaps or tls_mode=starttls (strongerAuthRequired 8: SASL:[GSSAPI]: Sign or Seal are required.)")


# ---------------------------------------------------------------- a Windows DC's refusals (the fake; no lab needed)

# ldap3 computes NTLM from the password's MD4 hash, which OpenSSL 3 lacks; it also takes "LM:NT" hashes (the NT hash of "password").
NTLM_HASH = "aad3b435b51404eeaad3b435b51404ee:8846f7eaee8fb117ad06bdd830b7586c"
FAKE_PASSWORD = "Fake-Dc-Password-1"


@pytest.fixture(name="fake_dc", scope="module")
def fixture_fake_dc(tmp_path_factory):
    pki = LabPKI(tmp_path_factory.mktemp("fake-dc-pki"))
    cert, key = pki.issue("fakedc", dns_names=["dc1.corp.example.test"], ip_addresses=["127.0.0.1"])
    dc = FakeLdapDc(cert, key, FAKE_PASSWORD).start()
    dc.ca_cert = str(pki.ca_cert_path)
    yield dc
    dc.stop()


def _fake_options(fake_dc, tls_mode: str, **changes) -> dict:
    port = fake_dc.ports["ldaps" if tls_mode == "ldaps" else "ldap"]
    return {"server": "127.0.0.1", "port": port, "tls_mode": tls_mode, "allow_cleartext": tls_mode == "none", "ca_cert": fake_dc.ca_cert,
            "username": "admin@corp.example.test", "password": FAKE_PASSWORD, "timeout": 5, **changes}


def _last_bind(fake_dc) -> dict:
    return fake_dc.binds[-1]


@pytest.mark.parametrize("tls_mode", ["ldaps", "starttls"])
def test_fake_windows_dc_takes_a_simple_bind_over_tls(fake_dc, tls_mode):
    with create_ldap_connection(**_fake_options(fake_dc, tls_mode)):
        assert _last_bind(fake_dc) == {"kind": 0x80, "name": "admin@corp.example.test", "tls": True, "result": 0, "message": ""}
    assert "the user name or password is wrong" in _failure(**_fake_options(fake_dc, tls_mode, password="Wrong-Password-1"))


@pytest.mark.parametrize("tls_mode", ["ldaps", "starttls"])
def test_ntlm_refused_for_channel_binding_by_windows_says_why_and_what_to_change(fake_dc, tls_mode):
    message = _failure(**_fake_options(fake_dc, tls_mode, auth="ntlm", username="CORP\\admin", password=NTLM_HASH))
    assert _last_bind(fake_dc)["tls"] and _last_bind(fake_dc)["message"] == BAD_CHANNEL_BINDINGS
    assert message.startswith(f"bind as 'CORP\\\\admin' {CHANNEL_BINDING_WORDS}") and "password is wrong" not in message
    assert "ldap3 2.9 sends none with auth=ntlm" in message and "LdapEnforceChannelBinding" in message
    assert message.endswith(f"(invalidCredentials 49: {BAD_CHANNEL_BINDINGS.rstrip(chr(0))})")


@pytest.mark.parametrize("auth, username, password", [("simple", "admin@corp.example.test", FAKE_PASSWORD),
                                                      ("ntlm", "CORP\\admin", NTLM_HASH)])
def test_a_bind_without_tls_refused_by_windows_for_signing_says_why_and_what_to_change(fake_dc, auth, username, password):
    message = _failure(**_fake_options(fake_dc, "none", auth=auth, username=username, password=password))
    assert not _last_bind(fake_dc)["tls"] and _last_bind(fake_dc)["message"] == SIGNING_REQUIRED
    assert SIGNING_WORDS in message and "Windows Server 2025" in message
    assert message.endswith(f"use tls_mode=ldaps or tls_mode=starttls (strongerAuthRequired 8: {SIGNING_REQUIRED.rstrip(chr(0))})")
