# -*- coding: utf-8 -*-
"""Fake Microsoft cloud for the lab, in one process over HTTPS with the lab CA:

- login (port 8443): OIDC discovery, the v2.0 token endpoint (client credentials with a secret or a
  certificate assertion), JWKS, and an App Service-style managed identity endpoint (login.py, msi.py);
- Microsoft Graph (8444): MDI sensors and health issues (v1.0), sensor migration (beta), with sensor
  versions by the lab's sensor generation (graph.py, sensors.py, generations.py); identityAccounts (the
  lab domain's users, read from Samba: identities.py) and invokeAction, carried out afterwards on dc1 as
  the MDI sensor does, as LocalSystem or as the registered gMSA with its real credentials (remediation.py,
  dc_action.py), with an action log;
- Defender portal (8445): the observed MDI action-account API under /apiproxy/aatp (portal.py);
- /_lab/ on every port: faults, reset, settings, state and a secret-free request log (control.py).

Each file says what it does NOT emulate. Start it with fake_cloud_service.start(), never by hand.
"""
