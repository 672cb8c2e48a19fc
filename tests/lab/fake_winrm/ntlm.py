# -*- coding: utf-8 -*-
"""NTLM for the fake host: HTTP `Negotiate`/`NTLM` authentication with pyspnego's acceptor, and WinRM
message encryption ([MS-WSMV] 2.2.9.1.1, multipart/encrypted), as pywinrm's `ntlm` transport and
Ansible's `ansible_winrm_transport: ntlm` use them.

NTLM authenticates the connection, not a request: one Acceptor lives as long as its HTTP connection.
Over HTTPS the client's channel binding (tls-server-end-point) must match this host's certificate;
Windows' default (CbtHardeningLevel Relaxed) would also accept a client that sends none.
"""
from __future__ import annotations

import hashlib
import os
import re
import struct
from pathlib import Path

import spnego
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from spnego.channel_bindings import GssChannelBindings
from spnego.exceptions import SpnegoError

PROTOCOL = "application/HTTP-SPNEGO-session-encrypted"
CONTENT_TYPE = f'multipart/encrypted;protocol="{PROTOCOL}";boundary="Encrypted Boundary"'
_BOUNDARY = b"--Encrypted Boundary"
_OCTETS = b"\tContent-Type: application/octet-stream\r\n"


class NtlmError(Exception):
    """Authentication failed or an encrypted message does not decrypt."""


def write_user_file(path: Path, netbios: str, domain_dns: str, password: str) -> None:
    """The acceptor's credential store (NTLM_USER_FILE): the administrator under every name form clients send."""
    lines = [f"{netbios}:Administrator:{password}", f"{domain_dns}:Administrator:{password}", f":Administrator:{password}",
             f":Administrator@{domain_dns}:{password}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
    os.environ["NTLM_USER_FILE"] = str(path)  # pyspnego's NTLM acceptor reads it at every authentication


def channel_bindings(cert_path: str) -> GssChannelBindings:
    """RFC 5929 tls-server-end-point of this host's certificate (SHA-256 for MD5/SHA-1 signatures)."""
    cert = x509.load_pem_x509_certificate(Path(cert_path).read_bytes())
    algorithm = cert.signature_hash_algorithm
    name = "sha256" if algorithm is None or algorithm.name in ("md5", "sha1") else algorithm.name
    digest = hashlib.new(name, cert.public_bytes(Encoding.DER)).digest()
    return GssChannelBindings(application_data=b"tls-server-end-point:" + digest)


class Acceptor:
    """One connection's NTLM state: the handshake, then wrap/unwrap of encrypted messages."""

    def __init__(self, bindings: GssChannelBindings | None):
        self.bindings = bindings
        self.context = None
        self.user: str | None = None

    def step(self, token: bytes) -> bytes | None:
        """Feed a client token; returns the reply token (the challenge) or None once authenticated."""
        if self.context is None or token[8:12] == b"\x01\x00\x00\x00":  # a NEGOTIATE message starts over
            self.context = spnego.server(protocol="ntlm", channel_bindings=self.bindings)
            self.user = None
        try:
            out = self.context.step(token)
        except SpnegoError as exc:
            self.context = None
            raise NtlmError(str(exc)) from exc
        if self.context.complete:
            self.user = self.context.client_principal
        return out

    def decrypt(self, body: bytes) -> bytes:
        """The SOAP message inside a multipart/encrypted body."""
        if self.user is None:
            raise NtlmError("encrypted message on a connection that is not NTLM-authenticated")
        parts = [p for p in body.split(_BOUNDARY + b"\r\n") if p]
        message = b""
        for header, payload in zip(parts[::2], parts[1::2]):
            length = re.search(rb"Length=(\d+)", header)
            payload = payload.removesuffix(_BOUNDARY + b"--\r\n").removeprefix(_OCTETS)
            if length is None or len(payload) < 4:
                raise NtlmError("malformed encrypted message")
            signature_length = struct.unpack("<i", payload[:4])[0]
            signature, data = payload[4:4 + signature_length], payload[4 + signature_length:]
            try:
                plain = self.context.unwrap_winrm(signature, data)
            except SpnegoError as exc:
                raise NtlmError(f"message does not decrypt: {exc}") from exc
            if len(plain) != int(length.group(1)):
                raise NtlmError("decrypted length differs from OriginalContent Length")
            message += plain
        return message

    def encrypt(self, message: bytes) -> bytes:
        wrapped = self.context.wrap_winrm(message)
        return (_BOUNDARY + b"\r\n\tContent-Type: " + PROTOCOL.encode() + b"\r\n"
                b"\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=" + str(len(message)).encode() + b"\r\n"
                + _BOUNDARY + b"\r\n" + _OCTETS + struct.pack("<i", len(wrapped.header)) + wrapped.header + wrapped.data
                + _BOUNDARY + b"--\r\n")
