# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for testing the collection's Python code directly against the lab's Samba DC."""
from __future__ import annotations

import socket
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from conftest import collections_path  # pylint: disable=wrong-import-order  # noqa: E402

SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
DEBIAN_PACKAGES = Path("/usr/lib/python3/dist-packages")


def _debian_gssapi() -> None:
    """The venv has no gssapi; Debian's python3-gssapi (installed by tests/lab/install-system-packages.sh, built for
    the same CPython 3.11) is put on sys.path alone, before the collection's kerberos module looks for it."""
    try:
        import gssapi  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
        return
    except ImportError:
        pass
    shim = Path(tempfile.mkdtemp(prefix="mdi-gssapi-"))
    for name in ("gssapi", "decorator.py"):
        if (DEBIAN_PACKAGES / name).exists():
            (shim / name).symlink_to(DEBIAN_PACKAGES / name)
    sys.path.append(str(shim))


_debian_gssapi()
sys.path.insert(0, str(collections_path()))


@pytest.fixture(name="samba", scope="session")
def fixture_samba(lab) -> dict:
    if "samba" not in lab.get("components", []):
        raise RuntimeError("lab not running: run make lab-up (the lab has no samba component)")
    return {**lab["samba"], "ca_cert": lab["ca_cert"]}


@pytest.fixture(autouse=True)
def system_bundles(monkeypatch):
    """As on this machine and many corporate controllers: the environment names the system bundle."""
    for name in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.setenv(name, SYSTEM_BUNDLE)


@pytest.fixture(name="forward")
def fixture_forward():
    """forward(ip, port) -> a loopback port relaying TCP to ip:port: the DC under a name its certificate lacks."""
    listeners = []

    def relay(source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            target.close()

    def forward(ip: str, port: int) -> int:
        listener = socket.create_server(("127.0.0.1", 0))
        listener.settimeout(10)
        listeners.append(listener)

        def serve():
            try:
                while True:
                    client, _addr = listener.accept()
                    upstream = socket.create_connection((ip, port), timeout=10)
                    for pair in ((client, upstream), (upstream, client)):
                        threading.Thread(target=relay, args=pair, daemon=True).start()
            except OSError:  # closed or idle: done
                pass

        threading.Thread(target=serve, daemon=True).start()
        return listener.getsockname()[1]

    yield forward
    for listener in listeners:
        listener.close()
