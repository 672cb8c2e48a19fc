# -*- coding: utf-8 -*-
"""Access tokens issued by the fake login: RS256 JWTs shaped like Entra ID app-only tokens (aud, iss,
tid, appid, roles, idtyp=app, exp), signed with a key made at start-up and published on jwks_uri.
Graph accepts only tokens found in this store (tracked server-side), so a forged or foreign JWT fails.

Not emulated: v1/v2 token format differences, token encryption, claims challenges, CAE, revocation
(except by /_lab/reset), the real ~60-90 minute lifetime spread (lifetime comes from the settings).
"""
from __future__ import annotations

import hashlib
import threading
import time
import uuid

from cryptography.hazmat.primitives.asymmetric import rsa

from . import jose


class TokenStore:
    def __init__(self):
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        numbers = self._key.public_key().public_numbers()
        self._jwk = {
            "kty": "RSA", "use": "sig",
            "n": jose.b64url_encode(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
            "e": jose.b64url_encode(numbers.e.to_bytes(3, "big")),
        }
        self._jwk["kid"] = jose.b64url_encode(hashlib.sha256(self._jwk["n"].encode()).digest()[:20])
        self._lock = threading.Lock()
        self._tokens: dict[str, dict] = {}
        self.issued = 0

    def jwks(self) -> dict:
        return {"keys": [dict(self._jwk)]}

    def issue(self, *, issuer: str, audience: str, tenant: str, app_id: str, roles: list, lifetime: int) -> tuple[str, int]:
        """(token, expires_in) for an app-only token."""
        now = int(time.time())
        claims = {
            "aud": audience, "iss": issuer, "iat": now, "nbf": now, "exp": now + lifetime, "tid": tenant,
            "appid": app_id, "azp": app_id, "idtyp": "app", "oid": str(uuid.uuid5(uuid.NAMESPACE_URL, app_id)),
            "sub": str(uuid.uuid5(uuid.NAMESPACE_URL, app_id)), "roles": sorted(roles), "uti": uuid.uuid4().hex, "ver": "1.0",
        }
        token = jose.sign({"kid": self._jwk["kid"], "x5t": self._jwk["kid"]}, claims, self._key)
        with self._lock:
            self._tokens[token] = claims
            self.issued += 1
        return token, lifetime

    def lookup(self, token: str) -> tuple[str, dict | None]:
        """("valid", claims) | ("expired", claims) | ("unknown", None)."""
        with self._lock:
            claims = self._tokens.get(token)
        if claims is None:
            return "unknown", None
        if claims["exp"] <= time.time():
            return "expired", claims
        return "valid", claims

    def clear(self) -> None:
        with self._lock:
            self._tokens.clear()
