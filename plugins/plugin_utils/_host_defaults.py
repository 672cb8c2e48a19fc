# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: LDAP connection options from the targeted host.

Plays target the domain controllers with their WinRM settings in the inventory; the LDAP modules run on
the controller and take what the task leaves unset from that host, so nobody writes credentials twice.
Order, first set wins: the task's arguments (module_defaults are merged into them by Ansible), the host
variables below, the MDI_LDAP_* environment variables, the defaults. Documented in the ldap_connection
doc fragment.
"""
from __future__ import annotations

from collections.abc import Callable

# Option -> host variables, first one set wins.
LDAP_HOST_VARIABLES = {
    "server": ("mdi_ldap_server", "ansible_host", "inventory_hostname"),
    "port": ("mdi_ldap_port",),
    "tls_mode": ("mdi_ldap_tls_mode",),
    "auth": ("mdi_ldap_auth",),
    # The CA bundle the controller already trusts for this host's WinRM certificate: in AD the same enterprise
    # CA issues DC certificates. Validation itself is never inherited from WinRM (server_cert_validation: ignore).
    "ca_cert": ("mdi_ldap_ca_cert", "ansible_winrm_ca_trust_path"),
    "validate_certs": ("mdi_ldap_validate_certs",),
    "allow_cleartext": ("mdi_ldap_allow_cleartext",),
    "timeout": ("mdi_ldap_timeout",),
}
# (usernames, passwords) sources. A password is only ever taken with the username of its own source, so one
# account's password is never sent for another (a lockout risk).
LDAP_HOST_CREDENTIALS = (
    (("mdi_ldap_username",), ("mdi_ldap_password",)),
    (("ansible_user", "ansible_winrm_user", "ansible_psrp_user"),
     ("ansible_password", "ansible_winrm_password", "ansible_winrm_pass", "ansible_psrp_password", "ansible_psrp_pass")),
)
LDAP_OPTION_KEYS = frozenset(LDAP_HOST_VARIABLES) | {"username", "password"}


def _first(names, lookup: Callable[[str], object]):
    for name in names:
        value = lookup(name)
        if value not in (None, ""):
            return value
    return None


def _own_variables_only(lookup: Callable[[str], object]) -> Callable[[str], object]:
    def own(name: str):
        return lookup(name) if name.startswith("mdi_ldap_") else None
    return own


def _credentials(args: dict, lookup: Callable[[str], object]) -> dict:
    username, password = args.get("username"), args.get("password")
    for usernames, passwords in LDAP_HOST_CREDENTIALS:
        host_user = _first(usernames, lookup)
        if host_user is None:
            continue
        if username is None:
            return {"username": host_user, "password": password if password is not None else _first(passwords, lookup)}
        if password is None and str(host_user).lower() == str(username).lower():
            return {"username": username, "password": _first(passwords, lookup)}
    return {"username": username, "password": password}


def ldap_host_defaults(args: dict, lookup: Callable[[str], object]) -> dict:
    """``args`` with the LDAP options they leave unset (None) filled from the host; ``lookup(name)`` returns the
    host's templated variable or None. Options that stay unset are left out, for the environment and defaults.

    A host reached with connection local is the controller, not a domain controller: only its mdi_ldap_*
    variables count then (``hosts: localhost`` with MDI_LDAP_* in the environment works)."""
    if lookup("ansible_connection") == "local":
        lookup = _own_variables_only(lookup)
    filled = dict(args)
    for option, names in LDAP_HOST_VARIABLES.items():
        if filled.get(option) is None:
            filled[option] = _first(names, lookup)
    filled.update(_credentials(args, lookup))
    return {option: value for option, value in filled.items() if value is not None or option not in LDAP_OPTION_KEYS}
