# -*- coding: utf-8 -*-
"""The lab's Samba DC is a real AD: TLS validated against the lab CA, strong auth enforced, seeded."""
from __future__ import annotations

import ssl

import ldap3
import pytest
from ldap3.core.exceptions import LDAPSocketOpenError, LDAPStrongerAuthRequiredResult

from samba_seed import sid_string


def _server(lab, port=636, use_ssl=True, ca=None):
    tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=ca or lab["ca_cert"])
    return ldap3.Server(lab["samba"]["ip"], port=port, use_ssl=use_ssl, tls=tls, get_info=ldap3.NONE, connect_timeout=5)


def _domain_sid(conn, base_dn):
    conn.search(base_dn, "(objectClass=domain)", search_scope=ldap3.BASE, attributes=["objectSid"])
    return sid_string(conn.entries[0].objectSid.raw_values[0])


def test_ldaps_simple_bind_validates_and_reads_domain_sid(lab):
    samba = lab["samba"]
    with ldap3.Connection(_server(lab), samba["admin_upn"], samba["admin_password"], auto_bind=True, raise_exceptions=True) as conn:
        assert _domain_sid(conn, samba["base_dn"]) == samba["domain_sid"]
        assert conn.server.ssl


def test_starttls_simple_bind(lab):
    samba = lab["samba"]
    conn = ldap3.Connection(_server(lab, port=389, use_ssl=False), samba["admin_upn"], samba["admin_password"], raise_exceptions=True)
    conn.open()
    conn.start_tls()
    conn.bind()
    assert _domain_sid(conn, samba["base_dn"]) == samba["domain_sid"]
    conn.unbind()


def test_cleartext_simple_bind_is_refused(lab):
    samba = lab["samba"]
    conn = ldap3.Connection(_server(lab, port=389, use_ssl=False), samba["admin_upn"], samba["admin_password"], raise_exceptions=True)
    with pytest.raises(LDAPStrongerAuthRequiredResult):
        conn.bind()


def test_untrusted_ca_fails_validation(lab):
    with pytest.raises(LDAPSocketOpenError, match="(?i)certificate"):
        ldap3.Connection(_server(lab, ca="/etc/ssl/certs/ca-certificates.crt"), lab["samba"]["admin_upn"],
                         lab["samba"]["admin_password"], auto_bind=True, raise_exceptions=True)


def test_kds_root_key_provisioned(lab):
    samba = lab["samba"]
    with ldap3.Connection(_server(lab), samba["admin_upn"], samba["admin_password"], auto_bind=True) as conn:
        config_nc = "CN=Configuration," + samba["base_dn"]
        conn.search(f"CN=Master Root Keys,CN=Group Key Distribution Service,CN=Services,{config_nc}",
                    "(objectClass=msKds-ProvRootKey)", attributes=["msKds-UseStartTime"])
        assert len(conn.entries) >= 1


def test_seeded_objects(lab):
    samba = lab["samba"]
    with ldap3.Connection(_server(lab), samba["admin_upn"], samba["admin_password"], auto_bind=True) as conn:
        for name, user in samba["users"].items():
            conn.search(user["dn"], "(objectClass=user)", search_scope=ldap3.BASE, attributes=["sAMAccountName", "adminCount"])
            assert conn.entries[0].sAMAccountName.value == name
        conn.search(samba["users"]["protected1"]["dn"], "(adminCount=1)", search_scope=ldap3.BASE)
        assert len(conn.entries) == 1
        conn.search(samba["ous"]["nested"], "(objectClass=organizationalUnit)", search_scope=ldap3.BASE)
        assert len(conn.entries) == 1
        conn.search(samba["groups"]["mixed-servers"]["dn"], "(objectClass=group)", search_scope=ldap3.BASE, attributes=["member"])
        assert len(conn.entries[0].member.values) == 2


def test_seeded_user_can_bind_with_its_password(lab):
    alice = lab["samba"]["users"]["alice"]
    with ldap3.Connection(_server(lab), alice["upn"], alice["password"], auto_bind=True, raise_exceptions=True) as conn:
        assert conn.extend.standard.who_am_i()
