# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: why an MDI action did not show in AD, in the terms of Microsoft's
procedure, from what the verify role read (no I/O here).

``context`` holds what verify read: ``domain``, ``account_name`` (the gMSA's), ``identity`` (action_identity_info's
result: sensors, conflicts, portal), ``account``/``retrieval_principals``/``delegation`` (action_account_info's) and
``rights`` (one "Log on as a service" check per domain controller, its ``subject`` the inventory name).
Microsoft does not say which domain controller's sensor acts: the domain's first DC sensor by name is assumed.
"""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.identity import (
    DC_SENSOR_TYPES, MICROSOFT_STATEMENT, conflicts, sensor_view)
from ansible_collections.mdi.action_accounts.plugins.module_utils._gmsa.retrieval import DOMAIN_CONTROLLERS_RID


def _lower(text) -> str:
    return (text or "").lower()


def acting_sensor(identity: dict, domain: str) -> dict | None:
    views = [sensor_view(s) for s in identity.get("sensors") or []]
    mine = sorted((v for v in views if _lower(v["domain"]) == _lower(domain) and v["type"] in DC_SENSOR_TYPES),
                  key=lambda v: _lower(v["name"]))
    return mine[0] if mine else None


def _same_host(subject: str, fqdn: str) -> bool:
    return _lower(subject) in (_lower(fqdn), _lower(fqdn).split(".")[0])


def _dc_may_retrieve(principals: list[dict], fqdn: str) -> bool:
    label = _lower(fqdn).split(".")[0] + "$"
    return any((p.get("sid") or "").endswith(f"-{DOMAIN_CONTROLLERS_RID}") or _lower(p.get("name")).rsplit("\\", 1)[-1] == label
               for p in principals)


def _under(dn: str, target: str) -> bool:
    return _lower(dn) == _lower(target) or _lower(dn).endswith("," + _lower(target))


def _gmsa_causes(context: dict, canary_dn: str, acting: dict | None) -> list[str]:
    name = context.get("account_name") or "the gMSA"
    if not context.get("account"):
        return [f"step 1: the gMSA {name} does not exist in {context['domain']}"]
    causes = []
    if acting and not _dc_may_retrieve(context.get("retrieval_principals") or [], acting["name"]):
        allowed = ", ".join(p.get("name") or p.get("sid") for p in context.get("retrieval_principals") or []) or "nobody"
        causes.append(f"step 1: the acting domain controller {acting['name']} cannot retrieve the password of {name}"
                      f" (retrieval list: {allowed}; Microsoft: Domain Controllers)")
    for right in context.get("rights") or []:
        if acting and _same_host(right.get("subject"), acting["name"]) and not right.get("ok"):
            causes.append(f"step 2: \"Log on as a service\" on the acting domain controller {right['subject']}: {right.get('detail')}"
                          f" ({right.get('source')})")
    covering = [d for d in context.get("delegation") or [] if _under(canary_dn, d["target"])]
    if not covering:
        causes.append(f"step 3: {canary_dn} is under none of the delegation targets"
                      f" ({', '.join(d['target'] for d in context.get('delegation') or []) or 'none'})")
    for target in covering:
        if target.get("missing"):
            causes.append(f"step 3: MDI permissions missing on {target['target']}: {' '.join(target['missing'])}")
    return causes


def diagnose(context: dict, canary_dn: str, canary_protected: bool) -> list[str]:
    """The causes found, most basic first; one line saying none was found otherwise."""
    identity = context.get("identity") or {}
    domain = context["domain"]
    acting = acting_sensor(identity, domain)
    causes = []
    if canary_protected:
        causes.append(f"{canary_dn} is a protected account (adminCount=1): AdminSDHolder replaces its permissions, so"
                      " the delegated ones do not reach it")
    if acting is None:
        causes.append(f"no domain-controller sensor of {domain} is listed in Microsoft Graph: no sensor can act")
    portal = identity.get("portal")
    if portal is None:
        causes.append("the Defender portal could not be read, so the identity the sensors use is unknown"
                      f" ({identity.get('msg') or 'no portal session'})")
        return causes
    gmsas = [a["id"] for a in portal["accounts"] if a.get("gmsa", True) and _lower(a["domain"]) == _lower(domain)]
    generation_bad = acting is not None and bool(conflicts([acting]))
    if gmsas and (generation_bad or identity.get("conflicts")):
        where = f"the acting sensor {acting['name']} is" if generation_bad else f"{', '.join(identity['conflicts'])} of the tenant are"
        causes.append(f"a gMSA action account ({', '.join(gmsas)}) is configured while {where} v3.x or migrating. {MICROSOFT_STATEMENT}")
    elif not portal["local_system"] and not gmsas:
        causes.append(f"step 4: no action account is registered for {domain} and LocalSystem is off: the sensors have no identity")
    elif not portal["local_system"]:
        causes += _gmsa_causes(context, canary_dn, acting)
    return causes or ["no cause found in what verify can read: look at the sensors' health issues below"]
