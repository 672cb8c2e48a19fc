# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# The LDAP connection options; their argument spec is plugins/module_utils/_ldap/options.py (keep both in step),
# the host defaults are plugins/plugin_utils/_host_defaults.py.
from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  server:
    description:
      - The domain controller to talk LDAP to, by DNS name or IP address (no C(ldaps://) URL).
      - With certificate validation the name must be one the DC's certificate carries; with O(auth=kerberos) the
        module asks the DC for its FQDN, so an address works too.
      - Default is the targeted host's C(mdi_ldap_server) variable, else its C(ansible_host), else its inventory name,
        else the E(MDI_LDAP_SERVER) environment variable.
    type: str
  port:
    description:
      - The LDAP port. Default is V(636) with O(tls_mode=ldaps) and V(389) otherwise.
      - Default is the host's C(mdi_ldap_port) variable, else the E(MDI_LDAP_PORT) environment variable.
    type: int
  tls_mode:
    description:
      - V(ldaps) uses TLS from the first byte, V(starttls) upgrades a plain connection to TLS before binding,
        V(none) sends everything in clear text and needs O(allow_cleartext=true).
      - The host's C(mdi_ldap_tls_mode) variable, else the E(MDI_LDAP_TLS_MODE) environment variable, come before the default.
    type: str
    choices: [ldaps, starttls, none]
    default: ldaps
  auth:
    description:
      - V(simple) binds with O(username) (a UPN such as C(admin@corp.example.com), C(CORP\admin), or a DN) and O(password),
        protected by TLS.
      - V(kerberos) uses SASL GSSAPI; it needs the Python C(gssapi) package (Debian and Ubuntu C(python3-gssapi)) and a
        Kerberos configuration on the controller. With O(username) (C(user@REALM)) and O(password) it gets a ticket in
        memory; otherwise it uses the controller's ticket cache (C(kinit) first).
      - V(ntlm) uses ldap3's NTLM bind with O(username) as C(DOMAIN\user). It needs an MD4 implementation in Python
        (OpenSSL 3 disables MD4; C(pycryptodome) provides one), and it does not work against Samba domain controllers.
      - The host's C(mdi_ldap_auth) variable, else the E(MDI_LDAP_AUTH) environment variable, come before the default.
    type: str
    choices: [simple, kerberos, ntlm]
    default: simple
  username:
    description:
      - The account to bind as.
      - Default is the host's C(mdi_ldap_username) variable, else its connection user (C(ansible_user),
        C(ansible_winrm_user) or C(ansible_psrp_user), or C(ansible-playbook -u) as an AWX Machine credential passes it),
        else the E(MDI_LDAP_USERNAME) environment variable.
    type: str
  password:
    description:
      - The password of O(username).
      - Default is the password of the same source as O(username) - C(mdi_ldap_password) with C(mdi_ldap_username),
        the connection password (C(ansible_password), C(ansible_winrm_password), C(ansible_psrp_password), or the
        password given with C(-k)/C(--connection-password-file), as AWX does) with the connection user - else the
        E(MDI_LDAP_PASSWORD) environment variable. A password is never taken from a source whose user is not O(username).
    type: str
  ca_cert:
    description:
      - A PEM file (or a directory of hashed certificates) with the certificate authorities to trust for the DC's
        certificate, instead of the system's trust store. E(SSL_CERT_FILE) and E(REQUESTS_CA_BUNDLE) do not change it.
      - Default is the host's C(mdi_ldap_ca_cert) variable, else the CA bundle the controller trusts for the host's
        WinRM certificate (C(ansible_winrm_ca_trust_path)), else the E(MDI_LDAP_CA_CERT) environment variable, else the
        system's trust store.
    type: path
  validate_certs:
    description:
      - Check the DC's certificate chain and that it is issued for O(server). Only turn this off in a lab.
      - Never taken from the WinRM settings. The host's C(mdi_ldap_validate_certs) variable, else the
        E(MDI_LDAP_VALIDATE_CERTS) environment variable, come before the default.
    type: bool
    default: true
  allow_cleartext:
    description:
      - Allow O(tls_mode=none), which sends the password (with O(auth=simple)) and every change in clear text.
        Active Directory refuses simple binds without TLS by default anyway (C(strongerAuthRequired)).
      - The host's C(mdi_ldap_allow_cleartext) variable comes before the default; there is no environment variable.
    type: bool
    default: false
  timeout:
    description:
      - Seconds to wait for the connection and for each LDAP operation.
      - The host's C(mdi_ldap_timeout) variable, else the E(MDI_LDAP_TIMEOUT) environment variable, come before the default.
    type: int
    default: 30
notes:
  - The module runs on the controller through its action plugin, whatever host the play targets, and opens no
    connection to that host. Target the domain controllers of the inventory and the LDAP options come from their
    variables; there is no need for C(delegate_to).
  - Each option is taken from the first of - the task's arguments, C(module_defaults) (for all LDAP modules at once
    with C(group/mdi.action_accounts.ldap)), the targeted host's variables as listed for each option, the environment
    variable, the default.
  - A host with C(ansible_connection=local) (such as C(localhost)) is the controller, not a domain controller - only its
    C(mdi_ldap_*) variables are used then.
"""
