# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Microsoft Graph sign-in options; the argument spec is graph_auth_argument_spec() in
# plugins/module_utils/_cloud/options.py, the consumer plugins/module_utils/_cloud/auth.py (TokenProvider).
from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  graph_url:
    description:
      - The Microsoft Graph endpoint; the token's scope is O(graph_url) followed by C(/.default).
      - For US Government L4 use V(https://graph.microsoft.us), for L5 (DoD) V(https://dod-graph.microsoft.us),
        for China (21Vianet) V(https://microsoftgraph.chinacloudapi.cn).
      - Can also be set with the E(MDI_GRAPH_URL) environment variable.
    type: str
    default: https://graph.microsoft.com
  authority_host:
    description:
      - The Microsoft Entra sign-in host.
      - For US Government use V(https://login.microsoftonline.us), for China V(https://login.partner.microsoftonline.cn).
      - Can also be set with the E(AZURE_AUTHORITY_HOST) environment variable.
    type: str
    default: https://login.microsoftonline.com
  tenant_id:
    description:
      - The Microsoft Entra tenant (directory) ID or a verified domain name of the tenant.
      - Required unless O(managed_identity=true).
      - Can also be set with the E(AZURE_TENANT_ID) environment variable.
    type: str
  client_id:
    description:
      - The application (client) ID of the app registration that holds the Graph application permissions
        C(SecurityIdentitiesSensors.Read.All) and, for health issues, C(SecurityIdentitiesHealth.Read.All).
      - With O(managed_identity=true) it selects a user-assigned managed identity; omit it for the system-assigned one.
      - Can also be set with the E(AZURE_CLIENT_ID) environment variable.
    type: str
  client_secret:
    description:
      - A client secret of the app.
      - Can also be set with the E(AZURE_CLIENT_SECRET) environment variable.
    type: str
  client_certificate_path:
    description:
      - A PEM file with the app's certificate; the SHA-1 thumbprint msal needs is computed from it.
      - The file may hold the private key too; otherwise set O(client_private_key_path).
      - Can also be set with the E(AZURE_CLIENT_CERTIFICATE_PATH) environment variable.
    type: path
  client_private_key_path:
    description:
      - A PEM file with the private key of the app's certificate, when it is not in O(client_certificate_path).
      - Without O(client_certificate_path), O(client_certificate_thumbprint) is needed too.
    type: path
  client_certificate_thumbprint:
    description:
      - The SHA-1 thumbprint (40 hex digits) of the app's certificate, as the Entra admin center shows it.
      - Only needed when O(client_certificate_path) is not given.
    type: str
  client_private_key_passphrase:
    description:
      - The passphrase of an encrypted private key.
      - Can also be set with the E(AZURE_CLIENT_CERTIFICATE_PASSWORD) environment variable.
    type: str
  managed_identity:
    description:
      - Sign in as the managed identity of the Azure resource the controller runs on (VM, App Service, container, Arc).
      - The identity needs the same Graph application permissions as an app would.
    type: bool
    default: false
notes:
  - "Credentials are used in this order: O(managed_identity=true); a certificate (O(client_certificate_path) or
    O(client_private_key_path)); O(client_secret)."
  - One access token is acquired per task (per inventory source) with the client credentials flow, and reused for its requests.
  - Sign-in requests use the same HTTPS settings (CA bundle, timeout, retries) as every other request of the module to Microsoft.
requirements:
  - msal
  - requests
"""
