# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: GPO files and folders in SYSVOL over SMB (smbprotocol).

Files are addressed on ONE domain controller (the one the LDAP changes go to), not through the domain's
DFS name: the GPO's files and its versionNumber must change on the same DC, or clients may see the new
version before its files have replicated. SMB signing is required (smbprotocol's default).
"""
from __future__ import annotations

import errno
import traceback
from contextlib import contextmanager

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.errors import GpoError

try:
    import smbclient
    import smbclient.shutil
    from smbclient._io import SMBFileTransaction, SMBRawIO  # the public API has no security-information calls
    from smbprotocol.exceptions import SMBException, SMBOSError
    from smbprotocol.open import (FilePipePrinterAccessMask, InfoType, SMB2QueryInfoRequest, SMB2QueryInfoResponse,
                                  SMB2SetInfoRequest, SMB2SetInfoResponse)
except ImportError:
    SMB_IMPORT_ERROR = traceback.format_exc()
    HAS_SMB = False
else:
    SMB_IMPORT_ERROR = None
    HAS_SMB = True

OWNER_GROUP_DACL = 0x7  # OWNER | GROUP | DACL security information (MS-DTYP 2.4.7)
_READ_CONTROL, _WRITE_DAC, _WRITE_OWNER = 0x00020000, 0x00040000, 0x00080000
_SD_BUFFER = 65536
STATUS_ACCESS_DENIED = 0xC0000022  # MS-ERREF 2.3.1; smbprotocol maps it to no errno


def unc_on(server: str, file_sys_path: str) -> str:
    """``\\\\domain\\SysVol\\domain\\Policies\\{GUID}`` (gPCFileSysPath) on ``server`` instead of the domain's DFS name."""
    parts = file_sys_path.lstrip("\\").split("\\", 1)
    if len(parts) != 2 or not parts[1]:
        raise GpoError(f"the GPO's gPCFileSysPath {file_sys_path!r} is not a UNC path")
    return f"\\\\{server}\\{parts[1]}"


def _security_request(transaction, request, response_class) -> None:
    request["file_id"] = transaction.raw.fd.file_id

    def receive(sent):
        response = response_class()
        response.unpack(transaction.raw.fd.connection.receive(sent)["data"].get_value())
        return response
    transaction += (request, receive)


class Sysvol:
    """One authenticated SMB session to ``server``; use as a context manager."""

    def __init__(self, server: str, username: str | None, password: str | None, auth: str = "negotiate", timeout: int = 10):
        if not HAS_SMB:
            raise GpoError("the smbprotocol Python library is required on the controller (pip install smbprotocol)",
                           traceback=SMB_IMPORT_ERROR)
        self.server = server
        self._cache: dict = {}  # our own connections, closed in close(); never the process-wide cache
        self._held: dict | None = None  # inside held(): path (lower case) -> _HeldFile
        self._writable = False
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

    @contextmanager
    def held(self, writable: bool = True):
        """Within the block, each file is opened once (each open is a round trip to the DC): the first read keeps the
        handle, with write access when ``writable`` and the account has it; a later read of the same file gives the
        bytes already read, and a write goes through the kept handle. For an edit that reads files, then writes them,
        inside _gpo/file_edit.py's domain_lock (so the bytes kept stay the file's); the writes stay in the order and
        at the moment the caller makes them. A block inside another block is part of it; every handle is closed when
        the outer block ends."""
        if self._held is not None:
            yield self
            return
        self._held, self._writable = {}, writable
        try:
            yield self
        finally:
            held, self._held = self._held, None
            for file in held.values():
                file.close()

    def read(self, path: str) -> bytes | None:
        """The file's bytes, or None when it does not exist."""
        if self._held is None:
            return self._read(path, "rb").data
        key = path.lower()
        if key not in self._held:
            self._held[key] = self._read(path, "r+b") if self._writable else self._read(path, "rb")
        return self._held[key].data

    def _read(self, path: str, mode: str) -> _HeldFile:
        """The file's bytes, with its handle kept open when ``mode`` writes too; read-only when the account may not write it."""
        try:
            handle = smbclient.open_file(path, mode=mode, share_access="r", **self._session)
        except SMBOSError as exc:
            if exc.errno == errno.ENOENT:
                return _HeldFile(None, None)
            if exc.ntstatus == STATUS_ACCESS_DENIED and mode != "rb":
                return self._read(path, "rb")
            raise GpoError(f"cannot read {path}: {exc}") from exc
        except (SMBException, OSError) as exc:
            raise GpoError(f"cannot read {path}: {exc}") from exc
        try:
            data = handle.read()
        except (SMBException, OSError) as exc:
            handle.close()
            raise GpoError(f"cannot read {path}: {exc}") from exc
        if mode == "rb":
            handle.close()
            return _HeldFile(data, None)
        return _HeldFile(data, handle)

    def write(self, path: str, data: bytes) -> None:
        """Replace the file with ``data``, creating it when it is not there; its folder must exist (_gpo/file_edit.py
        creates the folders a new settings file needs, with the GPO's ACL, and _gpo/folder.py a GPO's own folders)."""
        held = self._held.get(path.lower()) if self._held is not None else None
        try:
            if held is not None and held.handle is not None:
                held.replace(data)
            else:
                self._create(path, data)
        except (SMBException, OSError) as exc:
            raise GpoError(f"cannot write {path}: {exc}") from exc
        if self._held is not None:
            (held or self._held.setdefault(path.lower(), _HeldFile(None, None))).data = data

    def _create(self, path: str, data: bytes) -> None:
        try:
            handle = smbclient.open_file(path, mode="wb", **self._session)
        except SMBOSError as exc:
            if exc.errno != errno.ENOENT:
                raise
            # Not made here: a folder made without the GPO's ACL would fail Samba's sysvolcheck.
            folder = path.rsplit("\\", 1)[0]
            raise GpoError(f"cannot write {path}: its folder {folder} does not exist") from exc
        with handle:
            handle.write(data)

    def is_dir(self, path: str) -> bool:
        try:
            return smbclient.path.isdir(path, **self._session)
        except (SMBException, OSError) as exc:
            raise GpoError(f"cannot read {path}: {exc}") from exc

    def makedirs(self, path: str) -> None:
        try:
            smbclient.makedirs(path, exist_ok=True, **self._session)
        except (SMBException, OSError) as exc:
            raise GpoError(f"cannot create the folder {path}: {exc}") from exc

    def remove_tree(self, path: str) -> None:
        """Delete the folder and everything in it; a folder that is not there is no error."""
        try:
            if smbclient.path.isdir(path, **self._session):
                smbclient.shutil.rmtree(path, **self._session)
        except (SMBException, OSError) as exc:
            raise GpoError(f"cannot delete the folder {path}: {exc}") from exc

    def _raw(self, path: str, access: int) -> SMBRawIO:
        return SMBRawIO(path, mode="r", share_access="rwd", desired_access=access, **self._session)

    def security(self, path: str) -> bytes:
        """The file's or folder's security descriptor (owner, group, DACL), self-relative."""
        request = SMB2QueryInfoRequest()
        request["info_type"] = InfoType.SMB2_0_INFO_SECURITY
        request["output_buffer_length"] = _SD_BUFFER
        request["additional_information"] = OWNER_GROUP_DACL
        try:
            with SMBFileTransaction(self._raw(path, _READ_CONTROL)) as transaction:
                _security_request(transaction, request, SMB2QueryInfoResponse)
            return transaction.results[0]["buffer"].get_value()
        except (SMBException, OSError) as exc:
            raise GpoError(f"cannot read the security descriptor of {path}: {exc}") from exc

    def set_security(self, path: str, descriptor: bytes) -> None:
        """Set the owner, group and DACL of a file or folder (the descriptor's control flags say whether it is protected)."""
        request = SMB2SetInfoRequest()
        request["info_type"] = InfoType.SMB2_0_INFO_SECURITY
        request["additional_information"] = OWNER_GROUP_DACL
        request["buffer"] = descriptor
        access = _READ_CONTROL | _WRITE_DAC | _WRITE_OWNER | FilePipePrinterAccessMask.FILE_READ_ATTRIBUTES
        try:
            with SMBFileTransaction(self._raw(path, access)) as transaction:
                _security_request(transaction, request, SMB2SetInfoResponse)
        except (SMBException, OSError) as exc:
            raise GpoError(f"cannot set the security descriptor of {path}: {exc}") from exc


class _HeldFile:
    """A file read inside Sysvol.held(): its bytes (None: no file) and, when opened to write too, its handle."""

    def __init__(self, data: bytes | None, handle):
        self.data, self.handle = data, handle

    def replace(self, data: bytes) -> None:
        self.handle.seek(0)
        self.handle.write(data)
        self.handle.flush()  # sent now, not when the handle closes: the caller orders its writes
        if self.data is not None and len(self.data) > len(data):
            self.handle.truncate(len(data))

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()


def open_sysvol(params: dict) -> Sysvol:
    """The SMB session of a task with the LDAP options and smb_server: the same account (NTLM, or Kerberos with
    auth=kerberos) on smb_server, else on the LDAP server, so files and AD change on one domain controller."""
    auth = "kerberos" if params["auth"] == "kerberos" else "negotiate"
    return Sysvol(params["smb_server"] or params["server"], params["username"], params["password"], auth, params["timeout"])
