# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Property-based tests of the GPO settings codecs with hypothesis.

On generated files (audit.csv, GptTmpl.inf [Registry Values], Registry.pol, Registry.xml) and extension-name
values: decoding then encoding gives the same bytes; a merge gives back the very bytes when nothing has to change;
merging the same entries a second time changes nothing; every entry the merge was not asked about is still there,
byte for byte and in its order. Settings: _sd/strategies.PROPERTIES (shared with the descriptor codec's tests).
"""
from __future__ import annotations

import struct

from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings import audit_csv as ac
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings import extension_names as en
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings import gpp_registry as gr
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings import registry_pol as rp
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings import registry_values as rv
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo_settings.inf import InfFile
from ansible_collections.mdi.action_accounts.tests.unit.plugins.module_utils._sd.strategies import PROPERTIES

GUIDS = st.uuids().map(lambda value: "{" + str(value) + "}").map(lambda text: text.upper() if len(text) % 2 else text)
NAMES = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 _-", min_size=1, max_size=12)
NAMES = NAMES.map(str.strip).filter(bool)
EOLS = st.sampled_from(["\r\n", "\n"])


def _existing_or_new(existing: list, new):
    """One of the ``existing`` items or a new one."""
    return st.sampled_from(existing) | new if existing else new


def _kept_in_order(kept: list, result: list) -> bool:
    """Every item of ``kept`` stands in ``result`` in the same order."""
    remaining = iter(result)
    return all(any(item == candidate for candidate in remaining) for item in kept)


# ---------------------------------------------------------------- audit.csv

@st.composite
def audit_files(draw):
    guids = draw(st.lists(GUIDS, unique_by=str.lower, max_size=6))
    rows = [f"{draw(st.sampled_from(['', 'DC1']))},System,{draw(NAMES)},{guid},x,,{draw(st.integers(0, 4))}" for guid in guids]
    option_rows = [",,Option:CrashOnAuditFail,,Disabled,,0", ',,FileGlobalSacl,,"S:(AU;SA;FA;;;WD)",,']
    options = draw(st.lists(st.sampled_from(option_rows), max_size=2))
    eol, bom = draw(EOLS), draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))
    return guids, bom + (eol.join([ac.HEADER] + rows + options) + draw(st.sampled_from([eol, ""]))).encode()


@PROPERTIES
@given(audit_files(), st.data())
def test_audit_csv_merge(file, data):
    guids, raw = file
    assert ac.AuditCsv.decode(raw).encode() == raw
    targets = data.draw(st.lists(_existing_or_new(guids, GUIDS), unique_by=str.lower, max_size=4))
    present = [ac.AuditSetting(guid, data.draw(st.integers(1, 4))) for guid in targets[:2]]
    absent = targets[2:]
    first = ac.merge(raw, present, absent)
    assert ac.merge(first.after, present, absent).after == first.after
    settings = ac.AuditCsv.decode(first.after).settings()
    assert all(settings[item.subcategory.lower()] == item.value for item in present)
    assert all(guid.lower() not in settings for guid in absent)
    untouched = [line for line in ac.AuditCsv.decode(raw).lines() if not any(guid.lower() in line.lower() for guid in targets)]
    assert _kept_in_order([line.rstrip("\r\n") for line in untouched],
                          [line.rstrip("\r\n") for line in ac.AuditCsv.decode(first.after).lines()])


# ---------------------------------------------------------------- GptTmpl.inf [Registry Values]

REGISTRY_VALUES = st.one_of(
    st.builds(lambda text: (rv.REG_SZ, text), NAMES),
    st.builds(lambda number: (rv.REG_DWORD, number), st.integers(0, 0xFFFFFFFF)),
    st.builds(lambda items: (rv.REG_MULTI_SZ, tuple(items)),
              st.lists(st.text(alphabet="ab ,", min_size=1, max_size=5).map(lambda text: text.strip(" ,")).filter(bool), max_size=3)),
)


@st.composite
def registry_value_files(draw):
    paths = draw(st.lists(NAMES.map(lambda name: "MACHINE\\Software\\Vendor\\" + name), unique_by=str.lower, max_size=5))
    values = [rv.RegistryValue(path, *draw(REGISTRY_VALUES)) for path in paths]
    lines = ["[Unicode]", "Unicode=yes", "[Registry Values]"] + [f"{value.path}={value.format()}" for value in values]
    lines += ["[Privilege Rights]", "SeServiceLogonRight = *S-1-5-80-0"]
    eol = draw(EOLS)
    return values, b"\xff\xfe" + (eol.join(lines) + draw(st.sampled_from([eol, ""]))).encode("utf-16-le")


@PROPERTIES
@given(registry_value_files(), st.data())
def test_registry_values_merge(file, data):
    values, raw = file
    assert InfFile.decode(raw).encode() == raw
    assert rv.merge(raw, values, []).after is raw  # every value already there: the same bytes
    paths = data.draw(st.lists(_existing_or_new([value.path for value in values], NAMES.map(lambda n: "MACHINE\\New\\" + n)),
                               unique_by=str.lower, max_size=4))
    present = [rv.RegistryValue(path, *data.draw(REGISTRY_VALUES)) for path in paths[:2]]
    first = rv.merge(raw, present, paths[2:])
    assert rv.merge(first.after, present, paths[2:]).after == first.after
    after = rv.read(InfFile.decode(first.after))
    assert all(after[item.path.lower()] == item for item in present) and all(path.lower() not in after for path in paths[2:])
    untouched = [line for line in InfFile.decode(raw).lines() if not any(line.lower().startswith(path.lower() + "=") for path in paths)]
    assert _kept_in_order([line.rstrip("\r\n") for line in untouched],
                          [line.rstrip("\r\n") for line in InfFile.decode(first.after).lines()])


# ---------------------------------------------------------------- Registry.pol

POL_ENTRIES = st.builds(
    lambda key, value, kind, data: rp.PolEntry("Software\\" + key, value, kind, data),
    NAMES, NAMES | st.sampled_from(["**delvals.", "**del.Name", "**DeleteValues"]),
    st.sampled_from([rp.REG_SZ, rp.REG_BINARY, rp.REG_DWORD, 0x7F]), st.binary(max_size=9))


@PROPERTIES
@given(st.lists(POL_ENTRIES, max_size=6), st.data())
def test_registry_pol_merge(entries, data):
    raw = rp.HEADER + b"".join(entry.encode() for entry in entries)
    assert rp.RegistryPol.decode(raw).encode() == raw
    ordinary = [entry for entry in entries if not entry.special]
    targets = data.draw(st.lists(_existing_or_new([(e.key, e.value) for e in ordinary], st.tuples(NAMES, NAMES)), max_size=3))
    present = [rp.PolEntry(key, value, rp.REG_DWORD, rp.dword(data.draw(st.integers(0, 9)))) for key, value in targets[:1]]
    absent = [target for target in targets[1:] if (target[0].lower(), target[1].lower()) not in
              {(e.key.lower(), e.value.lower()) for e in present}]
    first = rp.merge(raw, present, absent)
    assert rp.merge(first.after, present, absent).after == first.after
    named = {(key.lower(), value.lower()) for key, value in targets}
    untouched = [entry.encode() for entry in entries if entry.special or (entry.key.lower(), entry.value.lower()) not in named]
    assert _kept_in_order(untouched, [entry.encode() for entry in rp.RegistryPol.decode(first.after).entries])
    assert struct.unpack("<I", first.after[4:8]) == (1,)


# ---------------------------------------------------------------- Registry.xml

PREF_VALUES = st.builds(gr.PrefValue, NAMES.map(lambda name: "Software\\" + name), NAMES, st.sampled_from(["REG_SZ", "REG_DWORD"]),
                        st.integers(0, 0xFFFFFFFF).map(gr.dword))


@PROPERTIES
@given(st.lists(PREF_VALUES, unique_by=lambda value: value.identity(), max_size=5), st.data())
def test_gpp_registry_merge(values, data):
    raw = gr.merge(None, values, [], new_uid=lambda: "{00000000-0000-0000-0000-000000000001}").after or b""
    if not values:
        return
    assert gr.merge(raw, values, []).after is raw
    targets = data.draw(st.lists(st.sampled_from(values) | PREF_VALUES, unique_by=lambda value: value.identity(), min_size=1, max_size=3))
    present, absent = targets[:1], targets[1:]
    first = gr.merge(raw, present, absent)
    assert gr.merge(first.after, present, absent).after == first.after
    named = {value.identity() for value in targets}
    items = raw.decode().split("<Registry clsid")[1:]
    kept = [item.split("</Registry>")[0] for item, value in zip(items, values) if value.identity() not in named]
    assert all(item.encode() in first.after for item in kept)


# ---------------------------------------------------------------- gPCMachineExtensionNames

PAIRS = st.tuples(GUIDS, GUIDS) | st.sampled_from([en.AUDIT, en.SECURITY, en.PREFERENCES_REGISTRY, en.ADMIN_TEMPLATES])


@PROPERTIES
@given(st.lists(st.lists(GUIDS, min_size=1, max_size=3), max_size=4), st.lists(PAIRS, max_size=3))
def test_extension_names_merge(groups, wanted):
    value = en.format_groups(groups)
    assert en.format_groups(en.parse(value)) == value
    merged = en.merge(value, wanted)
    assert en.merge(merged, wanted) == merged
    assert en.pairs(value) | {(cse.upper(), tool.upper()) for cse, tool in wanted} == en.pairs(merged)
    assert {group[0].upper() for group in en.parse(value)} <= {group[0].upper() for group in en.parse(merged)}
    if merged != value:
        csees = [group[0].upper() for group in en.parse(merged)]
        assert csees == sorted(csees)
