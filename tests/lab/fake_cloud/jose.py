# -*- coding: utf-8 -*-
"""Compact JWS (JWT) with RS256/PS256 on `cryptography`: parse and verify client assertions, sign the
fake's access tokens. Written out here (not PyJWT) so every check the fake makes is visible.

Not emulated: JWE, other algorithms (ES*, HS*), x5c chain validation, the `crit` header.
"""
from __future__ import annotations

import base64
import binascii
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

ALGORITHMS = ("RS256", "PS256")


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict base64url: raises ValueError on anything else."""
    if not isinstance(text, str) or any(c in text for c in "+/= \n"):
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64url") from exc


def parse(token: str) -> tuple[dict, dict, bytes, bytes]:
    """(header, claims, signing input, signature) of a compact JWS; ValueError when malformed."""
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 3:
        raise ValueError("a compact JWS has three dot-separated parts")
    try:
        header = json.loads(b64url_decode(parts[0]))
        claims = json.loads(b64url_decode(parts[1]))
    except json.JSONDecodeError as exc:
        raise ValueError("JWS header or payload is not JSON") from exc
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise ValueError("JWS header and payload must be JSON objects")
    return header, claims, f"{parts[0]}.{parts[1]}".encode("ascii"), b64url_decode(parts[2])


def _padding(alg: str):
    if alg == "RS256":
        return padding.PKCS1v15()
    # RFC 7518 3.5: PSS with MGF1-SHA256 and a salt as long as the hash.
    return padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=hashes.SHA256.digest_size)


def verify(alg: str, public_key, signing_input: bytes, signature: bytes) -> bool:
    if alg not in ALGORITHMS:
        return False
    try:
        public_key.verify(signature, signing_input, _padding(alg), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


def sign(header: dict, claims: dict, private_key) -> str:
    """RS256-signed compact JWS."""
    header = {**header, "alg": "RS256", "typ": "JWT"}
    signing_input = b64url_encode(json.dumps(header, separators=(",", ":")).encode()) + "." + \
        b64url_encode(json.dumps(claims, separators=(",", ":")).encode())
    signature = private_key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64url_encode(signature)}"
