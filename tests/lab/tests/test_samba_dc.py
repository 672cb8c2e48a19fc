# -*- coding: utf-8 -*-
"""The lab's Samba DC is a real AD: TLS validated against the lab CA, strong auth enforced, seeded.

Runs against the running lab ($MDI_LAB_DIR/lab.json); a lab that is down fails the tests.
"""
from __future__ import annotations

import os
import socket
import ssl
import struct
import subprocess

import ldap3
import pytest
from ldap3.core.exceptions import LDAPSocketOpenError, LDAPStrongerAuthRequiredResult
from ldap3.protocol.microsoft import security_descriptor_control

import lab_domain
from pki import LabPKI
from samba_seed import SE_DACL_PROTECTED, UF_ACCOUNTDISABLE, UF_WORKSTATION_TRUST_ACCOUNT, sid_string

INFO_KEYS = {
    "index", "netns", "created_netns", "veth_host", "created_veth", "ip", "host_ip", "hostname", "realm", "domain_dns",
    "netbios", "base_dn", "domain_sid", "admin_user", "admin_upn", "admin_password", "ports", "ca_cert", "krb5_conf",
    "dir", "log_dir", "pid", "pid_start_time", "start_seconds", "ous", "users", "groups", "computers",
}


@pytest.fixture(name="samba", scope="module")
def samba_fixture(lab) -> dict:
    if "samba" not in lab.get("components", []):
        pytest.fail("lab not running: run make lab-up (lab.json lists no samba component)")
    return lab["samba"]


def _server(samba, port=636, use_ssl=True, ca=None, host=None):
    tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=ca or samba["ca_cert"])
    return ldap3.Server(host or samba["ip"], port=port, use_ssl=use_ssl, tls=tls, get_info=ldap3.NONE, connect_timeout=5)


def _admin(samba, **server_args) -> ldap3.Connection:
    return ldap3.Connection(_server(samba, **server_args), samba["admin_upn"], samba["admin_password"],
                            auto_bind=True, raise_exceptions=True)


def _read(conn, dn, attributes, controls=None):
    """One entry's attributes, as strings (get_info=NONE: no schema, no type conversion)."""
    conn.search(dn, "(objectClass=*)", search_scope=ldap3.BASE, attributes=attributes, controls=controls)
    return conn.entries[0]


def _domain_sid(conn, base_dn):
    return sid_string(_read(conn, base_dn, ["objectSid"]).objectSid.raw_values[0])


def test_lab_json_describes_the_dc(lab, samba):
    assert INFO_KEYS <= set(samba), f"missing keys: {sorted(INFO_KEYS - set(samba))}"
    assert samba["ip"] == f"10.77.{samba['index']}.2" and samba["host_ip"] == f"10.77.{samba['index']}.1"
    domain = lab_domain.of(lab)  # corp.example.test unless the lab was started with MDI_LAB_DOMAIN
    assert (samba["realm"], samba["netbios"], samba["domain_dns"]) == (domain.realm, domain.netbios, domain.dns)
    assert (samba["hostname"], samba["base_dn"]) == (domain.fqdn("dc1"), domain.base_dn)
    assert samba["domain_sid"].startswith("S-1-5-21-")


def test_dc_serves_the_domain_lab_json_names(samba):
    """Read from the DC itself: its naming context and NetBIOS name, as provisioned."""
    with _admin(samba) as conn:
        conn.search("", "(objectClass=*)", search_scope=ldap3.BASE, attributes=["defaultNamingContext", "dnsHostName"])
        root = conn.entries[0]
        assert (root.defaultNamingContext.value, root.dnsHostName.value.lower()) == (samba["base_dn"], samba["hostname"])
        partitions = f"CN=Partitions,CN=Configuration,{samba['base_dn']}"
        conn.search(partitions, f"(nCName={samba['base_dn']})", attributes=["nETBIOSName", "dnsRoot"])
        assert (conn.entries[0].nETBIOSName.value, conn.entries[0].dnsRoot.value) == (samba["netbios"], samba["domain_dns"])


def test_ldaps_simple_bind_validates_and_reads_domain_sid(samba):
    with _admin(samba) as conn:
        assert conn.server.ssl
        assert _domain_sid(conn, samba["base_dn"]) == samba["domain_sid"]


def test_starttls_simple_bind(samba):
    conn = ldap3.Connection(_server(samba, port=389, use_ssl=False), samba["admin_upn"], samba["admin_password"],
                            raise_exceptions=True)
    conn.open()
    assert conn.start_tls()
    conn.bind()
    assert _domain_sid(conn, samba["base_dn"]) == samba["domain_sid"]
    conn.unbind()


def test_cleartext_simple_bind_is_refused(samba):
    conn = ldap3.Connection(_server(samba, port=389, use_ssl=False), samba["admin_upn"], samba["admin_password"],
                            raise_exceptions=True)
    with pytest.raises(LDAPStrongerAuthRequiredResult):
        conn.bind()
    conn.unbind()


def _untrusted_cas(tmp_path_factory):
    """A CA that is not the lab's, and the system bundle when the machine has one."""
    cas = [str(LabPKI(tmp_path_factory.mktemp("other-ca")).ca_cert_path)]
    system = ssl.get_default_verify_paths().cafile or "/etc/ssl/certs/ca-certificates.crt"
    if os.path.exists(system):
        cas.append(system)
    return cas


def test_untrusted_ca_fails_validation(samba, tmp_path_factory):
    for ca in _untrusted_cas(tmp_path_factory):
        with pytest.raises(LDAPSocketOpenError, match="(?i)certificate verify failed"):
            _admin(samba, ca=ca)


@pytest.mark.parametrize("server_name", ["ip", "hostname"])
def test_certificate_validates_by_ip_and_by_name(samba, server_name):
    """Plain ssl with hostname checking: the lab CA issued the DC's certificate for its name and IP."""
    context = ssl.create_default_context(cafile=samba["ca_cert"])
    with socket.create_connection((samba["ip"], samba["ports"]["ldaps"]), timeout=5) as sock:
        with context.wrap_socket(sock, server_hostname=samba[server_name]) as tls:
            assert tls.getpeercert()


def test_certificate_does_not_validate_for_another_name(samba):
    context = ssl.create_default_context(cafile=samba["ca_cert"])
    with socket.create_connection((samba["ip"], samba["ports"]["ldaps"]), timeout=5) as sock:
        with pytest.raises(ssl.SSLCertVerificationError, match="(?i)mismatch|match"):
            context.wrap_socket(sock, server_hostname=f"dc2.{samba['domain_dns']}")


def test_kds_root_key_provisioned(samba):
    container = f"CN=Master Root Keys,CN=Group Key Distribution Service,CN=Services,CN=Configuration,{samba['base_dn']}"
    with _admin(samba) as conn:
        conn.search(container, "(objectClass=msKds-ProvRootKey)", attributes=["msKds-UseStartTime"])
        assert len(conn.entries) >= 1


def test_seeded_organizational_units(samba):
    assert set(samba["ous"]) == {"lab", "users", "nested", "groups", "servers", "outside"}
    assert samba["ous"]["outside"] == f"OU=Outside,{samba['base_dn']}"
    with _admin(samba) as conn:
        for dn in samba["ous"].values():
            assert _read(conn, dn, ["objectClass"]).objectClass.values[-1] == "organizationalUnit"


def test_seeded_users_are_enabled_where_expected(samba):
    homes = {"alice": "users", "bob": "users", "carol": "nested", "dave": "outside", "helpdesk": "lab", "protected1": "users"}
    assert set(samba["users"]) == set(homes)
    with _admin(samba) as conn:
        for name, ou in homes.items():
            user = samba["users"][name]
            assert user["dn"] == f"CN={name},{samba['ous'][ou]}"
            entry = _read(conn, user["dn"], ["sAMAccountName", "userAccountControl", "objectSid"])
            assert entry.sAMAccountName.value == name
            assert not int(entry.userAccountControl.value) & UF_ACCOUNTDISABLE
            assert sid_string(entry.objectSid.raw_values[0]) == user["sid"]


def test_protected_user_looks_like_sdprop_left_it(samba):
    with _admin(samba) as conn:
        entry = _read(conn, samba["users"]["protected1"]["dn"], ["adminCount", "nTSecurityDescriptor"],
                      controls=security_descriptor_control(sdflags=0x4))
        assert int(entry.adminCount.value) == 1
        control = struct.unpack_from("<H", entry.nTSecurityDescriptor.raw_values[0], 2)[0]
        assert control & SE_DACL_PROTECTED


def test_seeded_groups_and_computers(samba):
    computers, groups = samba["computers"], samba["groups"]
    with _admin(samba) as conn:
        members = _read(conn, groups["lab-group-1"]["dn"], ["member"]).member.values
        assert members == [samba["users"]["alice"]["dn"]]
        members = _read(conn, groups["mixed-servers"]["dn"], ["member"]).member.values
        assert sorted(members) == sorted([computers["dc1"]["dn"], computers["srv1"]["dn"]])
        assert computers["dc1"]["dn"] == f"CN=DC1,OU=Domain Controllers,{samba['base_dn']}"
        srv1 = _read(conn, computers["srv1"]["dn"], ["dNSHostName", "sAMAccountName", "userAccountControl"])
        assert (srv1.dNSHostName.value, srv1.sAMAccountName.value) == (f"srv1.{samba['domain_dns']}", "srv1$")
        assert int(srv1.userAccountControl.value) & UF_WORKSTATION_TRUST_ACCOUNT
        assert computers["srv1"]["dn"].endswith(samba["ous"]["servers"])


@pytest.mark.parametrize("name", ["alice", "helpdesk", "dave"])
def test_seeded_user_binds_with_its_password(samba, name):
    user = samba["users"][name]
    with ldap3.Connection(_server(samba), user["upn"], user["password"], auto_bind=True, raise_exceptions=True) as conn:
        assert conn.extend.standard.who_am_i().lower() == f"u:{samba['netbios']}\\{name}".lower()


def test_kerberos_with_the_lab_krb5_conf(samba, tmp_path):
    env = {**os.environ, "KRB5_CONFIG": samba["krb5_conf"], "KRB5CCNAME": f"FILE:{tmp_path}/ccache"}
    alice = samba["users"]["alice"]
    kinit = subprocess.run(["kinit", f"alice@{samba['realm']}"], input=alice["password"] + "\n", env=env,
                           capture_output=True, text=True, timeout=30, check=False)
    assert kinit.returncode == 0, kinit.stderr
    kvno = subprocess.run(["kvno", f"ldap/{samba['hostname']}"], env=env, capture_output=True, text=True, timeout=30, check=False)
    assert kvno.returncode == 0, kvno.stderr
