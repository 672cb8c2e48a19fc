# -*- coding: utf-8 -*-
"""Lab fault: the domain controller lost between a task's read and its write.

A TLS man-in-the-middle in front of the Samba DC's LDAPS port. It terminates TLS with a certificate the lab CA issues
for its own address (so the collection validates it as it validates the DC), opens LDAPS to the DC (validated with the
lab CA), and forwards whole LDAP messages. When the `cut_at`-th write request of the run arrives (add, modify, delete
or modify DN; counted over every connection), it drops that request and closes both sides: the DC never sees the write,
the client sees its connection cut. Every request before it, reads and earlier writes, reaches the DC.

Not emulated: a DC that receives a write and dies before answering (whether the write happened is then unknown to
any client); StartTLS (this proxy speaks LDAPS only); SASL security layers (signing/sealing inside the LDAP stream:
the lab binds with simple or Kerberos over TLS, which use none).
"""
from __future__ import annotations

import select
import socket
import ssl
import threading

from fake_ldap_dc import parse, recv_message
from pki import LabPKI

# protocolOp tags of the LDAP write requests (RFC 4511): [APPLICATION 6] ModifyRequest, [APPLICATION 8] AddRequest
# (constructed), [APPLICATION 10] DelRequest (primitive), [APPLICATION 12] ModifyDNRequest (constructed).
WRITE_TAGS = {0x66: "modify", 0x68: "add", 0x4A: "delete", 0x6C: "modify DN"}


class LdapCutter:
    """Use as a context manager; ``ip``/``port`` are what the collection connects to, ``cut`` what was dropped."""

    def __init__(self, lab: dict, cut_at: int, port: int = 10636):
        samba = lab["samba"]
        self.ip = f"127.41.{int(samba.get('index', 0))}.1"
        self.port, self.cut_at = port, cut_at
        self.writes, self.cut = 0, None
        self._dc = (samba["ip"], 636)
        self._lock = threading.Lock()
        pki = LabPKI(lab["lab_dir"])
        cert, key = pki.issue("ldap-cutter", ip_addresses=[self.ip])
        self._server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._server_tls.load_cert_chain(cert, key)
        self._client_tls = ssl.create_default_context(cafile=str(pki.ca_cert_path))
        self._client_tls.check_hostname = False  # the DC's certificate names its host; the CA check stays
        self._listener = None
        self._sockets: list = []

    def __enter__(self) -> "LdapCutter":
        self._listener = socket.create_server((self.ip, self.port))
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *_exc) -> None:
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() of _accept (close alone does not on Linux)
        except OSError:
            pass
        self._listener.close()
        for sock in list(self._sockets):
            _close(sock)

    def _accept(self) -> None:
        while True:
            try:
                raw, _address = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(raw,), daemon=True).start()

    def _serve(self, raw) -> None:
        try:
            client = self._server_tls.wrap_socket(raw, server_side=True)
            connection = socket.create_connection(self._dc, timeout=30)
            connection.settimeout(None)
            dc = self._client_tls.wrap_socket(connection)
        except OSError:
            _close(raw)
            return
        self._sockets += [client, dc]
        try:  # one thread per connection: an SSL socket must not be read and written from two threads at once
            while True:
                ready = [sock for sock in (client, dc) if sock.pending()] or select.select([client, dc], [], [])[0]
                for sock in ready:
                    if sock is dc:
                        data = dc.recv(65536)
                        if not data:
                            return
                        client.sendall(data)
                        continue
                    message = recv_message(client)  # a client sends whole messages: waiting for the rest is short
                    if self._drops(parse(parse(message)[0][1])[1][0]):  # LDAPMessage: messageID, then protocolOp
                        return
                    dc.sendall(message)
        except (OSError, ValueError):  # ConnectionError (the client left) is an OSError; ValueError: closed by __exit__
            pass
        finally:
            _close(client)
            _close(dc)

    def _drops(self, op_tag: int) -> bool:
        operation = WRITE_TAGS.get(op_tag)
        if operation is None:
            return False
        with self._lock:
            self.writes += 1
            if self.writes == self.cut_at:
                self.cut = operation
                return True
        return False


def _close(sock) -> None:
    try:
        sock.close()
    except OSError:
        pass
