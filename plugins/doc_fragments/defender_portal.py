# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Microsoft Defender portal session options; the argument spec is portal_argument_spec() in
# plugins/module_utils/_cloud/options.py, the consumer plugins/module_utils/_cloud/portal.py (PortalClient).
from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  portal_url:
    description:
      - The base of the Defender portal's MDI API.
      - Other clouds have other portal hosts, for example C(https://security.microsoft.us) for GCC High; keep the
        C(/apiproxy/aatp) path.
      - Can also be set with the E(MDI_PORTAL_URL) environment variable.
    type: str
    default: https://security.microsoft.com/apiproxy/aatp
  portal_sccauth:
    description:
      - The C(sccauth) cookie of a Defender portal session signed in as a Security Administrator.
      - Copy it from the browser's developer tools (Application > Cookies for the portal's host) after signing in.
        The session expires; copy a fresh one when the task says so.
      - Can also be set with the E(MDI_PORTAL_SCCAUTH) environment variable.
    type: str
  portal_xsrf_token:
    description:
      - The C(XSRF-TOKEN) cookie of the same session, as the browser stores it (URL-encoded) or decoded.
      - It is sent back as that cookie and, URL-decoded, as the C(X-XSRF-TOKEN) header.
      - Can also be set with the E(MDI_PORTAL_XSRF_TOKEN) environment variable.
    type: str
notes:
  - The portal API is the one the Defender portal's own pages use. Microsoft does not document it and may change it;
    every answer is checked against the shape observed, and anything else fails the task with a clear message.
  - There is no app-only (service principal) access to these settings; they need a signed-in user's session.
requirements:
  - requests
"""
