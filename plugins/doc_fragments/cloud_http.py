# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# HTTPS options of the Microsoft cloud plugins; the argument spec is http_argument_spec() in
# plugins/module_utils/_cloud/options.py, the consumer plugins/module_utils/_cloud/http.py (HttpClient).
from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  ca_cert:
    description:
      - A PEM file with the certificate authorities to trust for the Microsoft endpoints, instead of the system's
        (for a TLS-inspecting proxy, say).
      - It is applied to every request, including the sign-in, so it wins over E(REQUESTS_CA_BUNDLE) and E(CURL_CA_BUNDLE).
      - Can also be set with the E(MDI_CLOUD_CA_CERT) environment variable.
    type: path
  validate_certs:
    description:
      - Check the endpoints' certificates. Without O(ca_cert) the system's trust store is used
        (or the bundle E(REQUESTS_CA_BUNDLE) names). Only turn this off in a lab.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for each HTTP request.
    type: int
    default: 30
  retries:
    description:
      - How many times a request is retried after HTTP 408, 429 or 5xx or a connection error, so at most O(retries) + 1 tries.
      - The wait honours the service's C(Retry-After) header (capped at 60 seconds), else doubles from 1 second.
      - V(0) turns retrying off.
    type: int
    default: 3
notes:
  - Proxies are taken from the E(HTTPS_PROXY) and E(NO_PROXY) environment variables of the controller.
"""
