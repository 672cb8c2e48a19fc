# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# The LDAP connection options; the argument spec is plugins/module_utils/_ldap/options.py.
from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  server:
    description:
      - The domain controller to talk LDAP to, by name or address.
      - Default, when the task runs through this collection's action plugin against an inventory host
        (the usual case), is that host's C(mdi_ldap_server) variable, else its C(ansible_host), else its inventory name.
      - Can also be set with the E(MDI_LDAP_SERVER) environment variable.
    type: str
  port:
    description:
      - The LDAP port. Default is V(636) with O(tls_mode=ldaps), V(389) otherwise.
    type: int
  tls_mode:
    description:
      - V(ldaps) uses TLS from the first byte (port 636), V(starttls) upgrades a port 389 connection
        before binding, V(none) sends everything in clear text and needs O(allow_cleartext=true).
    type: str
    choices: [ldaps, starttls, none]
    default: ldaps
  auth:
    description:
      - V(simple) binds with O(username) (a UPN such as C(admin@corp.example.com), C(CORP\admin) or a DN) and O(password),
        protected by TLS.
      - V(kerberos) uses SASL GSSAPI (needs the Python C(gssapi) package and a Kerberos configuration on the controller);
        with O(username) and O(password) it gets its own ticket, otherwise it uses the controller's ticket cache.
      - V(ntlm) uses ldap3's NTLM bind; it needs an MD4 implementation in Python's hashlib and does not work against Samba.
    type: str
    choices: [simple, kerberos, ntlm]
    default: simple
  username:
    description:
      - The account to bind as.
      - Default, through the action plugin, is the host's C(mdi_ldap_username) variable, else its C(ansible_user).
    type: str
  password:
    description:
      - The password of O(username).
      - Default, through the action plugin, is the host's C(mdi_ldap_password) variable, else its C(ansible_password).
    type: str
  ca_cert:
    description:
      - A PEM file with the certificate authorities to trust for the DC's certificate, instead of the system's.
      - Default, through the action plugin, is the host's C(mdi_ldap_ca_cert) variable.
    type: path
  validate_certs:
    description:
      - Check the DC's certificate and that it is issued for O(server). Only turn this off in a lab.
    type: bool
    default: true
  allow_cleartext:
    description:
      - Allow O(tls_mode=none), which sends the password and every change in clear text.
    type: bool
    default: false
  timeout:
    description:
      - Seconds to wait for the connection and for each LDAP operation.
    type: int
    default: 10
notes:
  - Option values are taken in this order, first found wins - the task's arguments, C(module_defaults)
    (group C(group/mdi.action_accounts.ldap)), the targeted host's variables, the environment, the default.
"""
