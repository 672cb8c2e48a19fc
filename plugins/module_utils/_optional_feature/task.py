# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the ad_optional_feature module's work, for its action plugin.

Read the feature and the forest level first; refuse before writing when the opt-in is missing or the forest is too old;
then one rootDSE modify, and the feature read again to report what the DC holds.
"""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.connection import create_ldap_connection
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.functional_levels import level_name
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.module_run import run_ensure
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.options import ldap_connection_argument_spec
from ansible_collections.mdi.action_accounts.plugins.module_utils._optional_feature import features

try:
    from ldap3 import MODIFY_ADD
except ImportError:  # reported by create_ldap_connection
    MODIFY_ADD = "MODIFY_ADD"


def argument_spec() -> dict:
    return {
        "name": {"type": "str", "required": True, "choices": sorted(features.FEATURES)},
        "state": {"type": "str", "default": "enabled", "choices": ["enabled"]},
        "accept_irreversible": {"type": "bool", "default": False},
        **ldap_connection_argument_spec(),
    }


CONSTRAINTS: dict = {}


class FeatureError(MdiError):
    """An optional feature cannot be read or enabled."""


def _read(client, name: str) -> tuple[str, object]:
    dn = features.feature_dn(client.config_nc, name)
    entry = client.read(dn, features.ATTRIBUTES)
    if entry is None or not entry.first("msDS-OptionalFeatureGUID"):
        raise FeatureError(f"the forest has no {features.FEATURES[name]} ({dn} not found): its schema or its domain controllers "
                           "predate the feature")
    return dn, entry


def _refused(name: str, exc: MdiError) -> FeatureError:
    text = str(exc)
    if "Insufficient rights for enableoptionalfeature" in text:  # Samba: only its own system session may enable features
        return FeatureError(f"the domain controller refused to enable the {features.FEATURES[name]} over LDAP ({text}). Samba accepts "
                            "enableOptionalFeature only from its own system session, not from any LDAP account; enable it on the DC "
                            "itself", exc.details)
    if "insufficientAccessRights" in text or "00002098" in text:
        return FeatureError(f"{text}. Enabling a forest-wide feature needs a member of Enterprise Admins: set username to one",
                            exc.details)
    return FeatureError(text, exc.details)


def ensure(client, params: dict, check_mode: bool) -> dict:
    name = params["name"]
    dn, entry = _read(client, name)
    scope = features.forest_scope(client.config_nc)
    before = features.is_enabled(entry.texts("msDS-EnabledFeatureBL"), scope)
    required = entry.integer("msDS-RequiredForestBehaviorVersion") or 0
    level = int(client.root_dse.text("forestFunctionality") or 0)
    result = {"changed": not before, "name": name, "dn": dn, "scope": scope, "enabled": True, "forest_level": level,
              "required_forest_level": required, "diff": {"before": {"enabled": before}, "after": {"enabled": True}}}
    if before:
        return result
    if not params["accept_irreversible"]:
        raise FeatureError(f"enabling the {features.FEATURES[name]} cannot be undone: no operation disables it again. Set "
                           "accept_irreversible: true to enable it")
    if level < required:
        raise FeatureError(f"the {features.FEATURES[name]} needs the forest functional level {level_name(required)} or "
                           f"higher; this forest is at {level_name(level)}: raise the forest functional level first")
    if not check_mode:
        guid = features.feature_guid(entry.first("msDS-OptionalFeatureGUID"))
        try:
            client.modify_root_dse({"enableOptionalFeature": [(MODIFY_ADD, [features.enable_value(scope, guid)])]})
        except MdiError as exc:
            raise _refused(name, exc) from exc
        _dn, entry = _read(client, name)
        result["enabled"] = features.is_enabled(entry.texts("msDS-EnabledFeatureBL"), scope)
        if not result["enabled"]:
            raise FeatureError(f"the domain controller accepted the change but does not list {scope} in {dn}'s msDS-EnabledFeatureBL")
    return result


def run(module) -> None:
    """Entry point for the action plugin; ends with exit_json or fail_json."""
    params = module.params
    run_ensure(module, create_ldap_connection, lambda client: ensure(client, params, module.check_mode),
               f"Failed to enable the optional feature {params['name']}")
