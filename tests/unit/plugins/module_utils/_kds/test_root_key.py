# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import datetime

from ansible_collections.mdi.action_accounts.plugins.module_utils._kds import root_key

UTC = datetime.timezone.utc


def test_nt_time_known_answer():
    # The Unix epoch is 11644473600 s after the NT epoch.
    assert root_key.to_nt_time(datetime.datetime(1970, 1, 1, tzinfo=UTC)) == 116444736000000000
    assert root_key.from_nt_time(116444736000000000) == datetime.datetime(1970, 1, 1, tzinfo=UTC)


def test_nt_time_round_trip_keeps_microseconds():
    moment = datetime.datetime(2026, 11, 27, 1, 2, 3, 456789, tzinfo=UTC)
    assert root_key.from_nt_time(root_key.to_nt_time(moment)) == moment


def test_value_samba_wrote_decodes_to_its_creation_day():
    # msKds-CreateTime of the root key Samba 4.22 provisioned in the lab on 2026-11-27.
    assert root_key.from_nt_time(134402159167727344).date() == datetime.date(2026, 11, 27)


def test_new_key_attributes_are_the_add_kdsrootkey_set():
    now = datetime.datetime(2026, 1, 1, tzinfo=UTC)
    key_id, attrs = root_key.new_key_attributes("CN=DC1,OU=Domain Controllers,DC=x", now, now, key_id="k", root_key=b"\x01" * 64)
    assert key_id == "k"
    assert set(attrs) == {"cn", "msKds-Version", "msKds-KDFAlgorithmID", "msKds-KDFParam", "msKds-SecretAgreementAlgorithmID",
                          "msKds-SecretAgreementParam", "msKds-PublicKeyLength", "msKds-PrivateKeyLength", "msKds-RootKeyData",
                          "msKds-DomainID", "msKds-CreateTime", "msKds-UseStartTime"}
    assert attrs["msKds-KDFParam"].endswith("SHA512".encode("utf-16-le") + b"\x00\x00")
    assert attrs["msKds-SecretAgreementParam"][4:8] == b"DHPM"
    assert int.from_bytes(attrs["msKds-SecretAgreementParam"][:4], "little") == len(attrs["msKds-SecretAgreementParam"])


def test_random_root_key_data_differs():
    now = datetime.datetime.now(UTC)
    first = root_key.new_key_attributes("dn", now, now)[1]["msKds-RootKeyData"]
    second = root_key.new_key_attributes("dn", now, now)[1]["msKds-RootKeyData"]
    assert len(first) == 64 and first != second


def test_describe_says_when_usable():
    now = datetime.datetime(2026, 1, 1, 12, tzinfo=UTC)
    fresh = root_key.describe("k", root_key.to_nt_time(now), root_key.to_nt_time(now), now)
    assert not fresh["usable"] and fresh["usable_at"] == "2026-01-01T22:00:00+00:00"
    backdated = root_key.describe("k", root_key.to_nt_time(now - datetime.timedelta(hours=10)), None, now)
    assert backdated["usable"]
