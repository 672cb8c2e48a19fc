# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hypothesis strategies and settings for the property-based tests of the descriptor codec and the ACE planner.

PROPERTIES is the one settings profile they share: no deadline (the machine is shared and noisy), a bounded number
of examples so `ansible-test units` stays fast, derandomized so every run (and CI) tries the same examples, and no
example database. Hypothesis's other files (its cache of the constants in the code under test) go to tests/output/
(ignored by git and by the collection build), not to a .hypothesis/ folder in the working directory, which
`ansible-galaxy collection build` would pack. MDI_HYPOTHESIS_EXAMPLES raises the number of examples for a deeper
run by hand, e.g. ``MDI_HYPOTHESIS_EXAMPLES=2000 python -m pytest tests/unit/plugins/module_utils/_sd``.
"""
from __future__ import annotations

import os
import struct
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from ansible_collections.mdi.action_accounts.plugins.module_utils._sd import ace as sd
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.acl import ACL_REVISION, ACL_REVISION_DS, Acl
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.descriptor import PARTS, SecurityDescriptor
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.well_known_guids import WELL_KNOWN_GUID_NAMES

if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(Path(__file__).resolve().parents[4] / "output" / "hypothesis")  # tests/output/hypothesis
EXAMPLES = int(os.environ.get("MDI_HYPOTHESIS_EXAMPLES", "60"))
PROPERTIES = settings(
    deadline=None,
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=(HealthCheck.too_slow,),
)

DOMAIN_SID = "S-1-5-21-3623811015-3361044348-30300820"
PLAIN_TYPES = sorted(sd.PLAIN_ACE_TYPES)
OBJECT_TYPES = sorted(sd.OBJECT_ACE_TYPES)
UNMODELLED_TYPES = [value for value in range(256) if value not in sd.PLAIN_ACE_TYPES and value not in sd.OBJECT_ACE_TYPES]
# The four types the ad_ace module writes, and their callback variants (also allow/deny for canonical order).
ACCESS_TYPES = sorted(sd.ALLOW_ACE_TYPES | sd.DENY_ACE_TYPES)

# ---------------------------------------------------------------- SIDs, GUIDs, masks, flags


def _sid_text(authority: int, subs: list[int]) -> str:
    return "S-1-" + str(authority) + "".join(f"-{sub}" for sub in subs)


# Any valid SID (authorities up to 48 bits, 0-15 sub-authorities), and the shapes a DACL is full of.
any_sids = st.builds(_sid_text, st.integers(0, (1 << 48) - 1), st.lists(st.integers(0, 0xFFFFFFFF), max_size=15))
domain_sids = st.builds(lambda rid: f"{DOMAIN_SID}-{rid}", st.integers(0, 0xFFFFFFFF))
well_known_sids = st.sampled_from(["S-1-1-0", "S-1-3-0", "S-1-5-9", "S-1-5-10", "S-1-5-11", "S-1-5-18", "S-1-5-32-544", "S-1-5-32-554"])
sids = st.one_of(well_known_sids, domain_sids, any_sids)

guids = st.one_of(st.sampled_from(sorted(WELL_KNOWN_GUID_NAMES)), st.uuids())
masks = st.one_of(
    st.integers(0, 0xFFFFFFFF),
    st.sampled_from([sd.DS_GENERIC_ALL, sd.DS_GENERIC_READ, sd.ADS_RIGHT_DS_CONTROL_ACCESS, sd.GENERIC_ALL]),
    st.lists(st.sampled_from([bit for _token, bit in sd.RIGHT_TOKENS]), min_size=1, max_size=4).map(lambda bits: sum(set(bits))),
)
ace_flags = st.integers(0, 0xFF)
# Bytes after the SID (callback conditions, padding): usually none.
trailing = st.one_of(st.just(b""), st.binary(min_size=1, max_size=12))

# ---------------------------------------------------------------- ACEs


@st.composite
def plain_aces(draw, types=PLAIN_TYPES, sid=sids, flags=ace_flags, data=trailing) -> sd.Ace:
    return sd.Ace(draw(st.sampled_from(types)), draw(flags), draw(masks), draw(sid), application_data=draw(data))


@st.composite
def object_aces(draw, types=OBJECT_TYPES, sid=sids, flags=ace_flags, data=trailing) -> sd.Ace:
    object_type = draw(st.none() | guids)
    inherited_object_type = draw(st.none() | guids)
    return sd.Ace(draw(st.sampled_from(types)), draw(flags), draw(masks), draw(sid), object_type, inherited_object_type, draw(data))


@st.composite
def raw_aces(draw) -> sd.RawAce:
    """ACEs the package keeps as opaque bytes: unmodelled types, and object ACEs with unknown object flags."""
    if draw(st.booleans()):
        body = draw(st.binary(max_size=28))
        ace_type = draw(st.sampled_from(UNMODELLED_TYPES))
    else:
        object_flags = draw(st.integers(0, 0xFFFFFFFF).filter(lambda value: value & ~0x3))
        body = struct.pack("<II", draw(masks), object_flags) + draw(st.binary(max_size=20))
        ace_type = draw(st.sampled_from(OBJECT_TYPES))
    return sd.RawAce(struct.pack("<BBH", ace_type, draw(ace_flags), 4 + len(body)) + body)


any_aces = st.one_of(plain_aces(), object_aces(), raw_aces())


def audit_aces_of(sid=sids):
    """What a SACL mostly holds: audit ACEs and the mandatory label."""
    return st.one_of(plain_aces(types=sorted(sd.AUDIT_ACE_TYPES - sd.OBJECT_ACE_TYPES | {sd.SYSTEM_MANDATORY_LABEL_ACE_TYPE}), sid=sid),
                     object_aces(types=sorted(sd.AUDIT_ACE_TYPES & sd.OBJECT_ACE_TYPES), sid=sid))


audit_aces = audit_aces_of()

# ---------------------------------------------------------------- ACLs and descriptors


def acls(aces=any_aces, max_size: int = 8):
    return st.builds(Acl, st.lists(aces, max_size=max_size), revision=st.sampled_from([ACL_REVISION, ACL_REVISION_DS]))


@st.composite
def descriptors(draw) -> SecurityDescriptor:
    """Owner and group SIDs, a DACL and a SACL, each of them present or not, in any layout, with any control bits."""
    return SecurityDescriptor(
        owner=draw(st.none() | sids),
        group=draw(st.none() | sids),
        dacl=draw(st.none() | acls()),
        sacl=draw(st.none() | acls(st.one_of(audit_aces, any_aces))),
        control=draw(st.integers(0, 0xFFFF)),
        rm_control=draw(st.integers(0, 0xFF)),
        layout=tuple(draw(st.permutations(PARTS))),
    )
