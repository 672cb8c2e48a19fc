# -*- coding: utf-8 -*-
"""A fake Windows domain controller's LDAP binds, for the refusals the lab's Samba DC cannot show.

It answers binds as a Windows DC with LDAP signing required (LDAPServerIntegrity=2, the default of new Windows
Server 2025 domains) and LDAP channel binding set to Always (LdapEnforceChannelBinding=2), in Windows' words (the
diagnostic strings are copied from public reports of real DCs; their DSID and version parts differ between builds):

- a simple bind without TLS: strongerAuthRequired (8) "00002028: ... integrity checking ..."; over LDAPS or StartTLS:
  success with `password`, else invalidCredentials (49) "... data 52e ...";
- an NTLM bind as ldap3 speaks it (Sicily): without TLS, 8 "00002028" when NEGOTIATE_SIGN is off; over TLS, 49
  "80090346" when the NTLMv2 response carries no channel bindings.

NOT emulated: searches and extended operations but StartTLS (answered unwillingToPerform, 53; any other operation
closes the connection); SASL binds (Kerberos, GSS-SPNEGO: 53, there is no KDC); checking NTLM responses or channel
binding values (an NTLM bind that carries channel bindings, or signs without TLS, is answered 53, never success);
LDAP signing or sealing of later messages; "When supported" (LdapEnforceChannelBinding=1); referrals, the Global
Catalog, LDAP over UDP.

`FakeLdapDc(cert, key, password).start()` serves plain LDAP (`ports["ldap"]`) and LDAPS (`ports["ldaps"]`) on
127.0.0.1; `binds` lists what each bind was answered.
"""
from __future__ import annotations

import os
import socketserver
import ssl
import struct
import threading
from pathlib import Path

SIGNING_REQUIRED = ("00002028: LdapErr: DSID-0C090256, comment: The server requires binds to turn on integrity checking if SSL\\TLS "
                    "are not already active on the connection, data 0, v3839\x00")
BAD_CHANNEL_BINDINGS = "80090346: LdapErr: DSID-0C09089F, comment: AcceptSecurityContext error, data 80090346, v4563\x00"
WRONG_PASSWORD = "80090308: LdapErr: DSID-0C090446, comment: AcceptSecurityContext error, data 52e, v4563\x00"
NOT_EMULATED = "fake_ldap_dc: not emulated"
START_TLS_OID = b"1.3.6.1.4.1.1466.20037"
SUCCESS, STRONGER_AUTH_REQUIRED, INVALID_CREDENTIALS, UNWILLING_TO_PERFORM = 0, 8, 49, 53
# LDAPMessage protocolOp tags (RFC 4511) and the bind's authentication choices (simple [0], Sicily [9] [10] [11]: MS-ADTS).
BIND_REQUEST, BIND_RESPONSE, UNBIND_REQUEST, SEARCH_REQUEST, EXTENDED_REQUEST, EXTENDED_RESPONSE = 0x60, 0x61, 0x42, 0x63, 0x77, 0x78
NOT_EMULATED_ANSWERS = {SEARCH_REQUEST: 0x65, EXTENDED_REQUEST: EXTENDED_RESPONSE}  # 0x65: searchResDone
SEQUENCE, INTEGER, OCTET_STRING, ENUMERATED, RESPONSE_NAME = 0x30, 0x02, 0x04, 0x0A, 0x8A
SIMPLE, SICILY_DISCOVERY, SICILY_NEGOTIATE, SICILY_RESPONSE = 0x80, 0x89, 0x8A, 0x8B
# NTLM (MS-NLMP): negotiate flags, AV pair ids.
NEGOTIATE_SIGN, NEGOTIATE_TARGET_INFO = 1 << 4, 1 << 23
AV_EOL, AV_NB_COMPUTER, AV_NB_DOMAIN, AV_CHANNEL_BINDINGS = 0, 1, 2, 10
NTLMV2_BLOB_AV_PAIRS = 16 + 28  # NTProofStr, then the blob's header before its AV pairs


# ---------------------------------------------------------------- BER, as much as binds need

def tlv(tag: int, value: bytes) -> bytes:
    size = len(value)
    if size < 0x80:
        return bytes([tag, size]) + value
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + value


def parse(data: bytes) -> list[tuple[int, bytes]]:
    """The (tag, value) elements one after another in `data`."""
    found, at = [], 0
    while at < len(data):
        tag, size, at = data[at], data[at + 1], at + 2
        if size & 0x80:
            count = size & 0x7F
            size, at = int.from_bytes(data[at:at + count], "big"), at + count
        found.append((tag, data[at:at + size]))
        at += size
    return found


def _ldap_result(tag: int, code: int, matched: bytes = b"", message: str = "", extra: bytes = b"") -> bytes:
    return tlv(tag, tlv(ENUMERATED, bytes([code])) + tlv(OCTET_STRING, matched) + tlv(OCTET_STRING, message.encode()) + extra)


def _recv_exactly(sock, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def recv_message(sock) -> bytes:
    """One whole LDAPMessage (a BER SEQUENCE) from the socket."""
    head = _recv_exactly(sock, 2)
    extra = _recv_exactly(sock, head[1] & 0x7F) if head[1] & 0x80 else b""
    size = int.from_bytes(extra, "big") if extra else head[1]
    return head + extra + _recv_exactly(sock, size)


# ---------------------------------------------------------------- NTLM, as much as the refusals need

def _av(av_id: int, value: bytes) -> bytes:
    return struct.pack("<HH", av_id, len(value)) + value


def ntlm_challenge(negotiate: bytes) -> bytes:
    """A CHALLENGE_MESSAGE agreeing to the client's flags, with the NetBIOS names ldap3 expects in the target info."""
    flags = struct.unpack_from("<I", negotiate, 12)[0] | NEGOTIATE_TARGET_INFO
    target = "CORP".encode("utf-16-le")
    info = _av(AV_NB_DOMAIN, target) + _av(AV_NB_COMPUTER, "DC1".encode("utf-16-le")) + _av(AV_EOL, b"")
    header_size = 56
    return (b"NTLMSSP\x00" + struct.pack("<I", 2) + struct.pack("<HHI", len(target), len(target), header_size)
            + struct.pack("<I", flags) + os.urandom(8) + bytes(8)
            + struct.pack("<HHI", len(info), len(info), header_size + len(target)) + bytes(8) + target + info)


def ntlm_authenticate_facts(message: bytes) -> tuple[bool, bool]:
    """(signs, carries channel bindings) of an AUTHENTICATE_MESSAGE with an NTLMv2 response."""
    nt_size, _max, nt_offset = struct.unpack_from("<HHI", message, 20)
    flags = struct.unpack_from("<I", message, 60)[0]
    response, at, bindings = message[nt_offset:nt_offset + nt_size], NTLMV2_BLOB_AV_PAIRS, b""
    while at + 4 <= len(response):
        av_id, size = struct.unpack_from("<HH", response, at)
        if av_id == AV_EOL:
            break
        bindings = response[at + 4:at + 4 + size] if av_id == AV_CHANNEL_BINDINGS else bindings
        at += 4 + size
    return bool(flags & NEGOTIATE_SIGN), any(bindings)


# ---------------------------------------------------------------- the server

class _Connection(socketserver.BaseRequestHandler):
    server: "_Listener"
    tls = False  # whether this connection runs TLS now

    def handle(self) -> None:
        self.request.settimeout(10)
        self.tls = self.server.tls_from_start
        try:
            if self.tls:
                self.request = self.server.dc.context.wrap_socket(self.request, server_side=True)
            while True:
                _tag, body = parse(recv_message(self.request))[0]
                (_int_tag, message_id), (op_tag, op) = parse(body)[:2]
                if op_tag == UNBIND_REQUEST or (op_tag != BIND_REQUEST and op_tag not in NOT_EMULATED_ANSWERS):
                    return
                answer, then_tls = self._answer(op_tag, op)
                self.request.sendall(tlv(SEQUENCE, tlv(INTEGER, message_id) + answer))
                if then_tls:
                    self.request, self.tls = self.server.dc.context.wrap_socket(self.request, server_side=True), True
        except (ConnectionError, OSError, IndexError):  # the client left or refused the certificate, or sent what this fake does not read
            return

    def _answer(self, op_tag: int, op: bytes) -> tuple[bytes, bool]:
        if op_tag == EXTENDED_REQUEST and parse(op)[0][1] == START_TLS_OID and not self.tls:
            return _ldap_result(EXTENDED_RESPONSE, SUCCESS, extra=tlv(RESPONSE_NAME, START_TLS_OID)), True
        if op_tag != BIND_REQUEST:
            return _ldap_result(NOT_EMULATED_ANSWERS[op_tag], UNWILLING_TO_PERFORM, message=NOT_EMULATED), False
        (_v, _version), (_n, name), (kind, credentials) = parse(op)[:3]
        code, matched, message = self._bind(kind, credentials)
        self.server.dc.binds.append({"kind": kind, "name": name.decode(errors="replace"), "tls": self.tls, "result": code,
                                     "message": message})
        return _ldap_result(BIND_RESPONSE, code, matched, message), False

    def _bind(self, kind: int, credentials: bytes) -> tuple[int, bytes, str]:
        if kind == SICILY_DISCOVERY:
            return SUCCESS, b"NTLM", ""
        if kind == SICILY_NEGOTIATE:
            return SUCCESS, ntlm_challenge(credentials), ""
        if kind == SIMPLE and not self.tls:
            return STRONGER_AUTH_REQUIRED, b"", SIGNING_REQUIRED
        if kind == SIMPLE:
            right = credentials.decode(errors="replace") == self.server.dc.password
            return (SUCCESS, b"", "") if right else (INVALID_CREDENTIALS, b"", WRONG_PASSWORD)
        if kind == SICILY_RESPONSE:
            signs, bindings = ntlm_authenticate_facts(credentials)
            if not self.tls and not signs:
                return STRONGER_AUTH_REQUIRED, b"", SIGNING_REQUIRED
            if self.tls and not bindings:
                return INVALID_CREDENTIALS, b"", BAD_CHANNEL_BINDINGS
        return UNWILLING_TO_PERFORM, b"", NOT_EMULATED


class _Listener(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, dc: "FakeLdapDc", tls_from_start: bool):
        self.dc, self.tls_from_start = dc, tls_from_start
        super().__init__(("127.0.0.1", 0), _Connection)


class FakeLdapDc:
    """Plain LDAP (with StartTLS) and LDAPS on loopback ports, with the certificate `cert` (PEM, and its key)."""

    def __init__(self, cert: Path, key: Path, password: str):
        self.password = password
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(str(cert), str(key))
        self.binds: list[dict] = []
        self._listeners = [_Listener(self, tls_from_start=False), _Listener(self, tls_from_start=True)]
        self.ports = {"ldap": self._listeners[0].server_address[1], "ldaps": self._listeners[1].server_address[1]}

    def start(self) -> "FakeLdapDc":
        for listener in self._listeners:
            threading.Thread(target=listener.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        for listener in self._listeners:
            listener.shutdown()
            listener.server_close()
