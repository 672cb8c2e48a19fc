# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the KDS root key object as Add-KdsRootKey writes it.

Pure logic: times, the attribute set, and whether a key is usable. A root key is one object of
class msKds-ProvRootKey under CN=Master Root Keys,CN=Group Key Distribution Service,CN=Services in the
configuration NC, named by a GUID. Domain controllers use it only 10 hours after its effective time
(msKds-UseStartTime), so that it has replicated everywhere.
"""
from __future__ import annotations

import datetime
import os
import uuid

CONTAINER_RDN = "CN=Master Root Keys,CN=Group Key Distribution Service,CN=Services"
OBJECT_CLASS = "msKds-ProvRootKey"
USABLE_AFTER = datetime.timedelta(hours=10)
# A lab key is back-dated a little more than USABLE_AFTER: DCs look for a key whose start is before
# the start of the current key interval, which lies up to an interval before now (seen on Samba 4.22).
LAB_BACKDATE = datetime.timedelta(hours=11)
_NT_EPOCH = datetime.datetime(1601, 1, 1, tzinfo=datetime.timezone.utc)

# MS-GKDI 2.2.1 KDF parameters: SP800-108 counter-mode HMAC with SHA512 (the hash name in UTF-16LE).
KDF_ALGORITHM = "SP800_108_CTR_HMAC"
KDF_PARAM = bytes.fromhex("00000000010000000e000000000000005300480041003500310032000000")
# MS-GKDI 2.2.3 FFC DH parameters ("DHPM", key length 256 bytes, then p and g): the 2048-bit group
# every Windows root key carries. Public constants, read from a root key Samba 4.22 provisioned.
SECRET_AGREEMENT_ALGORITHM = "DH"
SECRET_AGREEMENT_PARAM = bytes.fromhex(
    "0c0200004448504d0001000087a8e61db4b6663cffbbd19c651959998ceef608660dd0f25d2ceed4435e3b00e00df8f1d61957d4faf7df"
    "4561b2aa3016c3d91134096faa3bf4296d830e9a7c209e0c6497517abd5a8a9d306bcf67ed91f9e6725b4758c022e0b1ef4275bf7b6c5b"
    "fc11d45f9088b941f54eb1e59bb8bc39a0bf12307f5c4fdb70c581b23f76b63acae1caa6b7902d52526735488a0ef13c6d9a51bfa4ab3a"
    "d8347796524d8ef6a167b5a41825d967e144e5140564251ccacb83e6b486f6b3ca3f7971506026c0b857f689962856ded4010abd0be62"
    "1c3a3960a54e710c375f26375d7014103a4b54330c198af126116d2276e11715f693877fad7ef09cadb094ae91e1a15973fb32c9b7313"
    "4d0b2e77506660edbd484ca7b18f21ef205407f4793a1a0ba12510dbc15077be463fff4fed4aac0bb555be3a6c1b0c6b47b1bc3773bf7"
    "e8c6f62901228f8c28cbb18a55ae31341000a650196f931c77a57f2ddf463e5e9ec144b777de62aaab8a8628ac376d282d6ed3864e679"
    "82428ebc831d14348f6f2f9193b5045af2767164e1dfc967c1fb3f2e55a4bd1bffe83b9c80d052b985d182ea0adb2a3b7313d3fe14c84"
    "84b1e052588b9b7d2bbd2df016199ecd06e1557cd0915b3353bbb64e0ec377fd028370df92b52c7891428cdc67eb6184b523d1db246c32"
    "f63078490f00ef8d647d148d47954515e2327cfef98c582664b4c0f6cc41659"
)
PUBLIC_KEY_LENGTH = 2048
PRIVATE_KEY_LENGTH = 512  # what Windows writes for DH; Samba's own provisioning writes 256
ROOT_KEY_BYTES = 64


def to_nt_time(moment: datetime.datetime) -> int:
    """100-nanosecond intervals since 1601-01-01 UTC (FILETIME), AD's msKds-*Time syntax."""
    delta = moment.astimezone(datetime.timezone.utc) - _NT_EPOCH
    return (delta.days * 86400 + delta.seconds) * 10_000_000 + delta.microseconds * 10


def from_nt_time(value: int) -> datetime.datetime:
    return _NT_EPOCH + datetime.timedelta(microseconds=value // 10)


def container_dn(config_nc: str) -> str:
    return f"{CONTAINER_RDN},{config_nc}"


def new_key_attributes(domain_controller_dn: str, effective: datetime.datetime, now: datetime.datetime,
                       key_id: str | None = None, root_key: bytes | None = None) -> tuple[str, dict]:
    """(cn, attributes) of a new root key, the set Add-KdsRootKey writes (MS-GKDI 3.1.4.1)."""
    key_id = key_id or str(uuid.uuid4())
    return key_id, {
        "cn": key_id,
        "msKds-Version": "1",
        "msKds-KDFAlgorithmID": KDF_ALGORITHM,
        "msKds-KDFParam": KDF_PARAM,
        "msKds-SecretAgreementAlgorithmID": SECRET_AGREEMENT_ALGORITHM,
        "msKds-SecretAgreementParam": SECRET_AGREEMENT_PARAM,
        "msKds-PublicKeyLength": str(PUBLIC_KEY_LENGTH),
        "msKds-PrivateKeyLength": str(PRIVATE_KEY_LENGTH),
        "msKds-RootKeyData": root_key if root_key is not None else os.urandom(ROOT_KEY_BYTES),
        "msKds-DomainID": domain_controller_dn,
        "msKds-CreateTime": str(to_nt_time(now)),
        "msKds-UseStartTime": str(to_nt_time(effective)),
    }


def usable_at(use_start_time: int) -> datetime.datetime:
    return from_nt_time(use_start_time) + USABLE_AFTER


def describe(key_id: str, use_start_time: int, create_time: int | None, now: datetime.datetime) -> dict:
    """What the module returns about one key; never its secret data."""
    ready = usable_at(use_start_time)
    return {
        "key_id": key_id,
        "effective_time": from_nt_time(use_start_time).isoformat(),
        "created": from_nt_time(create_time).isoformat() if create_time else None,
        "usable_at": ready.isoformat(),
        "usable": ready <= now,
    }
