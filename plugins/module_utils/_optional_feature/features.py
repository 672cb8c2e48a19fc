# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: AD optional features (MS-ADTS 3.1.1.9) and how one is enabled.

A feature is an msDS-OptionalFeature object in CN=Optional Features,CN=Directory Service,CN=Windows NT,CN=Services of
the configuration partition. Forest-wide features are enabled for the scope CN=Partitions: the DC then lists the
feature in CN=Partitions' msDS-EnabledFeature, which the feature shows back in msDS-EnabledFeatureBL. Enabling is a
modify of the rootDSE's enableOptionalFeature with the value "<scope DN>:<feature GUID>" (MS-ADTS 3.1.1.3.3.27; the
form Samba 4.22 accepts too). No operation disables them.
"""
from __future__ import annotations

import uuid

# The features a module option may name, by their CN (the same in every forest).
FEATURES = {
    "recycle_bin": "Recycle Bin Feature",
    "privileged_access_management": "Privileged Access Management Feature",
}
ATTRIBUTES = ["msDS-OptionalFeatureGUID", "msDS-RequiredForestBehaviorVersion", "msDS-EnabledFeatureBL", "msDS-OptionalFeatureFlags"]


def feature_dn(config_nc: str, name: str) -> str:
    return f"CN={FEATURES[name]},CN=Optional Features,CN=Directory Service,CN=Windows NT,CN=Services,{config_nc}"


def forest_scope(config_nc: str) -> str:
    """The scope of a forest-wide feature: the Partitions container."""
    return f"CN=Partitions,{config_nc}"


def feature_guid(raw: bytes) -> str:
    """msDS-OptionalFeatureGUID (16 bytes, GUID wire order) as text."""
    return str(uuid.UUID(bytes_le=raw))


def enable_value(scope_dn: str, guid: str) -> str:
    return f"{scope_dn}:{guid}"


def is_enabled(enabled_in: list[str], scope_dn: str) -> bool:
    """Whether msDS-EnabledFeatureBL holds the scope (DNs compared without case, as AD does)."""
    return scope_dn.lower() in (dn.lower() for dn in enabled_in)
