# -*- coding: utf-8 -*-
"""Checks a client assertion (RFC 7523 JWT) the way Entra ID does for certificate credentials, as msal
sends them: RS256 with `x5t` (SHA-1 thumbprint, msal's {private_key, thumbprint}) or PS256 with
`x5t#S256` (msal's {private_key, public_certificate}). The thumbprint must name the certificate
registered for the app; the signature must verify with it; aud must be the token endpoint; iss and sub
the client id; exp/nbf current (5 minutes of clock skew).

Not emulated: several certificates per app, certificate expiry or revocation, x5c/SNI issuer-based
auth, federated credentials (workload identity), the limit on assertion lifetime, jti replay checks
(msal reuses one assertion while it is valid, and Entra ID accepts that).
"""
from __future__ import annotations

import time

from . import jose

TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
SKEW = 300
_DOCS = "Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials ."


class Rejected(Exception):
    """Why Entra ID would refuse the assertion: AADSTS code and description."""

    def __init__(self, code: int, description: str):
        super().__init__(description)
        self.code = code
        self.description = description


def _stamp(epoch) -> str:
    return time.strftime("%m/%d/%Y %H:%M:%S", time.gmtime(epoch))


def _key_for(header: dict, cert: dict, client_id: str):
    """The registered certificate's public key if the header's thumbprint names it."""
    if "x5t#S256" in header:
        used, wanted = header["x5t#S256"], cert["sha256"]
    elif "x5t" in header:
        used, wanted = header["x5t"], cert["sha1"]
    else:
        raise Rejected(700027, "Client assertion failed signature validation. [Reason - The header carries no x5t or x5t#S256.] " + _DOCS)
    try:
        # msal pads x5t with "=" (RFC 7515 says unpadded); Entra ID accepts both, so do we.
        thumbprint = jose.b64url_decode(used.rstrip("=") if isinstance(used, str) else used)
    except ValueError:
        thumbprint = b""
    if thumbprint != wanted:
        shown = thumbprint.hex().upper() or str(used)
        raise Rejected(700027, f"Client assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by "
                               f"client: '{shown}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see "
                               f"configured keys for app Id '{client_id}'.] " + _DOCS)
    return cert["public_key"]


def check(assertion: str, cert: dict | None, client_id: str, token_endpoint: str) -> None:
    """Returns when Entra ID would accept the assertion for this app; raises Rejected otherwise."""
    try:
        header, claims, signing_input, signature = jose.parse(assertion)
    except ValueError as exc:
        raise Rejected(50027, f"JWT token is invalid or malformed ({exc}).") from exc
    if header.get("alg") not in jose.ALGORITHMS:
        raise Rejected(5002738, f"Invalid JWT token. '{header.get('alg')}' is not a supported signature algorithm. "
                                f"Supported signing algorithms are: '{','.join(jose.ALGORITHMS)}'")
    if cert is None:
        raise Rejected(700027, f"Client assertion failed signature validation. [Reason - No certificate is registered "
                               f"for app Id '{client_id}'.] " + _DOCS)
    key = _key_for(header, cert, client_id)
    if not jose.verify(header["alg"], key, signing_input, signature):
        raise Rejected(700027, "Client assertion failed signature validation. " + _DOCS)
    missing = [c for c in ("aud", "iss", "sub", "exp", "jti") if c not in claims]
    if missing:
        raise Rejected(50027, f"JWT token is invalid or malformed: missing claims {missing}.")
    if claims["aud"] != token_endpoint:
        raise Rejected(700023, "Client assertion audience claim does not match Realm issuer. " + _DOCS)
    if claims["iss"] != client_id or claims["sub"] != client_id:
        raise Rejected(700021, "Client assertion application identifier doesn't match 'client_id' parameter. " + _DOCS)
    now = time.time()
    exp, nbf = claims["exp"], claims.get("nbf", claims.get("iat", now))
    if not isinstance(exp, (int, float)) or not isinstance(nbf, (int, float)) or exp + SKEW < now or nbf - SKEW > now:
        raise Rejected(700024, f"Client assertion is not within its valid time range. Current time: {_stamp(now)}, "
                               f"assertion valid from {_stamp(nbf) if isinstance(nbf, (int, float)) else nbf}, "
                               f"expiry time of assertion {_stamp(exp) if isinstance(exp, (int, float)) else exp}. " + _DOCS)
