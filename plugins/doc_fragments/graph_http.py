# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# The HTTPS options of Microsoft Graph for modules that also talk LDAP (whose ca_cert, validate_certs and timeout are
# the LDAP connection's): cloud_http.py's options with a graph_ prefix. The argument spec is built from
# http_argument_spec() in plugins/module_utils/_remediation/task.py.
from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  graph_ca_cert:
    description:
      - A PEM file with the certificate authorities to trust for Microsoft Graph and the sign-in host, instead of the
        system's. (O(ca_cert) is the LDAP connection's.)
      - Can also be set with the E(MDI_CLOUD_CA_CERT) environment variable.
    type: path
  graph_validate_certs:
    description: Check the certificates of Microsoft Graph and the sign-in host. Only turn this off in a lab.
    type: bool
    default: true
  graph_timeout:
    description: Seconds to wait for each HTTP request to Microsoft.
    type: int
    default: 30
  graph_retries:
    description:
      - How many times a Graph request is retried after HTTP 408, 429 or 5xx, honouring C(Retry-After) (capped at 60 s).
      - An action retried after a server error may run twice; disable, enable and a password reset are each harmless when repeated.
    type: int
    default: 3
"""
