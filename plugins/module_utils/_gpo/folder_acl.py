# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the SYSVOL ACL that matches a GPO container's DACL, pure logic.

What GPMC's MakeAclConsistent does, in the form Samba derives it (samba.ntacls.dsacl2fsacl, used by
``samba-tool gpo create``, ``samba-tool ntacl sysvolreset`` and judged by ``samba-tool ntacl sysvolcheck``): the
owner and group of the container; its Allow ACEs (except Pre-Windows 2000 Compatible Access), made to inherit to
files and folders (Creator Owner's inherit only), with the directory rights mapped to file rights; the DACL
protected. Every file and folder of the GPO gets that same descriptor.
"""
from __future__ import annotations

import dataclasses

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.ace import (
    ACCESS_ALLOWED_ACE_TYPE, ACCESS_ALLOWED_OBJECT_ACE_TYPE, CONTAINER_INHERIT_ACE, INHERIT_ONLY_ACE, OBJECT_INHERIT_ACE, Ace)
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import ACL_REVISION, ACL_REVISION_DS, Acl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import (
    SE_DACL_PRESENT, SE_DACL_PROTECTED, SecurityDescriptor)

PRE_WINDOWS_2000 = "S-1-5-32-554"
CREATOR_OWNER = "S-1-3-0"
# Directory rights -> file rights (samba.ntacls.ldapmask2filemask)
_DS_CREATE_CHILD, _DS_DELETE_CHILD, _DS_LIST, _DS_READ_PROP, _DS_WRITE_PROP = 0x1, 0x2, 0x4, 0x10, 0x20
_STANDARD_RIGHTS = 0x001F0000
_SYNCHRONIZE = 0x00100000
_FILE_READ = 0x0001 | 0x0080 | 0x0008 | 0x0020  # read data / list, read attributes, read EA, execute / traverse
_FILE_WRITE = 0x0002 | 0x0004 | 0x0010 | 0x0100  # write data / add file, append / add subfolder, write EA, write attributes
_FILE_ADD = 0x0002 | 0x0004
_FILE_DELETE_CHILD = 0x0040


def file_mask(ds_mask: int) -> int:
    mask = ds_mask & _STANDARD_RIGHTS
    if ds_mask & _DS_READ_PROP and ds_mask & _DS_LIST:
        mask |= _SYNCHRONIZE | _FILE_READ
    if ds_mask & _DS_WRITE_PROP:
        mask |= _SYNCHRONIZE | _FILE_WRITE
    if ds_mask & _DS_CREATE_CHILD:
        mask |= _FILE_ADD
    if ds_mask & _DS_DELETE_CHILD:
        mask |= _FILE_DELETE_CHILD
    return mask


def sysvol_descriptor(gpc: SecurityDescriptor) -> SecurityDescriptor:
    """The descriptor of the GPO's SYSVOL folder and of everything in it, from the container's (owner, group, DACL)."""
    aces = []
    for ace in gpc.dacl or []:
        if not isinstance(ace, Ace) or ace.ace_type not in (ACCESS_ALLOWED_ACE_TYPE, ACCESS_ALLOWED_OBJECT_ACE_TYPE):
            continue
        if ace.sid == PRE_WINDOWS_2000:
            continue
        flags = ace.flags | OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE | (INHERIT_ONLY_ACE if ace.sid == CREATOR_OWNER else 0)
        aces.append(dataclasses.replace(ace, flags=flags, mask=file_mask(ace.mask)))
    revision = ACL_REVISION_DS if any(ace.is_object_ace for ace in aces) else ACL_REVISION
    return SecurityDescriptor(owner=gpc.owner, group=gpc.group, dacl=Acl(aces, revision=revision),
                              control=SE_DACL_PRESENT | SE_DACL_PROTECTED)
