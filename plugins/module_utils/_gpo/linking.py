# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the links of one GPO across the domain's containers.

Plans the gPLink of every container the task names and of every container that links the GPO today - in the domain
partition, and the forest's sites (CN=<site>,CN=Sites in the configuration partition, where a site's gPLink lives) -
unlinked with links_state=exact or state=absent, else kept; links.py edits one gPLink.
"""
from __future__ import annotations

from dataclasses import dataclass

from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.errors import GpoError
from ansible_collections.mdi.action_accounts.plugins.module_utils._gpo.links import (
    Link, ensure_link, format_gplink, link_options, link_order, parse_gplink, remove_link)


@dataclass
class ContainerLinks:
    dn: str
    before: list[Link]
    after: list[Link]

    @property
    def changed(self) -> bool:
        return format_gplink(self.before) != format_gplink(self.after)


def _dn_key(dn: str) -> str:
    return ",".join(part.strip() for part in dn.split(",")).lower()


def _read(client, dn: str, what: str) -> list[Link]:
    entry = client.read(dn, ["gPLink"])
    if entry is None:
        raise GpoError(f"{what} {dn!r} does not exist: give the distinguished name of an OU, the domain or a site's container")
    return parse_gplink(entry.text("gPLink"), f"the gPLink of {dn}")


def sites_dn(client) -> str:
    return f"CN=Sites,{client.config_nc}"


def linking_containers(client, guid: str) -> list[str]:
    """DNs of the domain partition's containers and of the forest's sites whose gPLink names the GPO."""
    ldap_filter = f"(gPLink=*{guid.strip('{}')}*)"
    found = client.search(client.default_nc, ldap_filter, ["gPLink"])
    found += client.search(sites_dn(client), ldap_filter, ["gPLink"], scope="LEVEL")
    return [entry.dn for entry in found if any(link.guid == guid for link in parse_gplink(entry.text("gPLink"), strict=False))]


def plan_links(client, guid: str, gpc_dn: str, wanted: list[dict], exact: bool, existing: bool = True) -> list[ContainerLinks]:
    """Every container that links the GPO or that the task names, with its links before and after; ``exact`` unlinks the
    GPO from the containers not named; ``existing``: False for a GPO not created yet (nothing links it)."""
    plans: dict[str, ContainerLinks] = {}
    for index, link in enumerate(wanted):
        key = _dn_key(link["target"])
        if key in plans:
            raise GpoError(f"links[{index}].target names {link['target']!r} twice: give each container once")
        before = _read(client, link["target"], f"links[{index}].target")
        after = ensure_link(before, guid, gpc_dn, link_options(link["enabled"], link["enforced"]), link.get("order"))
        plans[key] = ContainerLinks(link["target"], before, after)
    for dn in linking_containers(client, guid) if existing else []:
        if _dn_key(dn) not in plans:
            before = _read(client, dn, "the linked container")
            plans[_dn_key(dn)] = ContainerLinks(dn, before, remove_link(before, guid) if exact else before)
    return list(plans.values())


def write_links(client, plan: ContainerLinks) -> None:
    value = format_gplink(plan.after)
    client.modify(plan.dn, {"gPLink": [("MODIFY_REPLACE", [value] if value else [])]})


def describe_links(plans: list[ContainerLinks], guid: str, side: str) -> list[dict]:
    """The GPO's links on the planned containers, as the task shows them; ``side``: before or after."""
    described = []
    for plan in plans:
        links = getattr(plan, side)
        order = link_order(links, guid)
        if order is not None:
            link = links[len(links) - order]
            described.append({"target": plan.dn, "enabled": link.enabled, "enforced": link.enforced, "order": order})
    return sorted(described, key=lambda item: _dn_key(item["target"]))
