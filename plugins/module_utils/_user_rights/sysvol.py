# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: reading and writing GPO files in SYSVOL over SMB (smbprotocol).

Files are addressed on ONE domain controller (the one the LDAP changes go to), not through the domain's
DFS name: the GPO's files and its versionNumber must change on the same DC, or clients may see the new
version before its files have replicated. SMB signing is required (smbprotocol's default).
"""
from __future__ import annotations

import errno
import traceback

from ansible_collections.mdi.action_accounts.plugins.module_utils._user_rights.errors import GpoError

try:
    import smbclient
    from smbprotocol.exceptions import SMBException, SMBOSError
except ImportError:
    SMB_IMPORT_ERROR = traceback.format_exc()
    HAS_SMB = False
else:
    SMB_IMPORT_ERROR = None
    HAS_SMB = True


def unc_on(server: str, file_sys_path: str) -> str:
    """``\\\\domain\\SysVol\\domain\\Policies\\{GUID}`` (gPCFileSysPath) on ``server`` instead of the domain's DFS name."""
    parts = file_sys_path.lstrip("\\").split("\\", 1)
    if len(parts) != 2 or not parts[1]:
        raise GpoError(f"the GPO's gPCFileSysPath {file_sys_path!r} is not a UNC path")
    return f"\\\\{server}\\{parts[1]}"


class Sysvol:
    """One authenticated SMB session to ``server``; use as a context manager."""

    def __init__(self, server: str, username: str | None, password: str | None, auth: str = "negotiate", timeout: int = 10):
        if not HAS_SMB:
            raise GpoError("the smbprotocol Python library is required on the controller (pip install smbprotocol)",
                           traceback=SMB_IMPORT_ERROR)
        self.server = server
        self._cache: dict = {}  # our own connections, closed in close(); never the process-wide cache
        self._session = {"username": username, "password": password, "auth_protocol": auth, "connection_timeout": timeout,
                         "connection_cache": self._cache}
        try:
            smbclient.register_session(server, **self._session)
        except (SMBException, OSError, ValueError) as exc:
            self.close()
            raise GpoError(f"cannot open an SMB session to {server} as {username!r}: {exc}") from exc

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self) -> None:
        smbclient.reset_connection_cache(fail_on_error=False, connection_cache=self._cache)

    def read(self, path: str) -> bytes | None:
        """The file's bytes, or None when it does not exist."""
        try:
            with smbclient.open_file(path, mode="rb", **self._session) as handle:
                return handle.read()
        except SMBOSError as exc:
            if exc.errno == errno.ENOENT:
                return None
            raise GpoError(f"cannot read {path}: {exc}") from exc
        except (SMBException, OSError) as exc:
            raise GpoError(f"cannot read {path}: {exc}") from exc

    def write(self, path: str, data: bytes) -> None:
        """Replace the file (creating its folders) with ``data``."""
        try:
            smbclient.makedirs(path.rsplit("\\", 1)[0], exist_ok=True, **self._session)
            with smbclient.open_file(path, mode="wb", **self._session) as handle:
                handle.write(data)
        except (SMBException, OSError) as exc:
            raise GpoError(f"cannot write {path}: {exc}") from exc
