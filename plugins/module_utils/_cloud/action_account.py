# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: MDI action-account planning, without any I/O.

Desired state + the portal's current list and LocalSystem switch -> what to add, what to remove, and
the switch. With state=present the switch goes off (the sensors then use the registered gMSA) unless
use_local_system says otherwise; with state=absent it is left alone unless use_local_system is set, or the
last registered account goes (then it goes back on, the portal's default, so the sensors keep an identity).
With identity=local_system the switch goes on and every registered gMSA goes (sensor v3.x needs exactly that).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ansible_collections.mdi.action_accounts.plugins.module_utils._cloud.errors import CloudError
from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._gmsa.account import account_names

_SPACE = re.compile(r"\s")
_DNS_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
ACTION = "plan the MDI action account"


def normalize_name(name: str) -> str:
    """The gMSA's name as the portal takes it: without domain and without the trailing $ (the gMSA's own rules,
    _gmsa/account.py, and no spaces)."""
    value = (name or "").strip()
    if "\\" in value or "@" in value:
        raise CloudError(f"name {name!r} must be the gMSA's account name alone (e.g. mdiAction); put the domain in 'domain'", action=ACTION)
    try:
        cn = account_names(value)[0]
    except MdiError as exc:
        raise CloudError(str(exc), action=ACTION) from exc
    if _SPACE.search(cn):
        raise CloudError(f"name {name!r} is not a gMSA account name: it holds a space", action=ACTION)
    return cn


def normalize_domain(domain: str) -> str:
    value = (domain or "").strip().rstrip(".")
    if not value or not all(_DNS_LABEL.match(label) for label in value.split(".")):
        raise CloudError(f"domain {domain!r} must be the AD domain's DNS name, e.g. corp.example.com", action=ACTION)
    return value


def account_id(name: str, domain: str) -> str:
    return f"{name}@{domain}"


def account_payload(name: str, domain: str) -> dict:
    """The body of POST /odata/EntityRemediatorCredentials for a gMSA, as the portal itself sends it."""
    return {"Id": "", "AccountName": name, "DomainDnsName": domain, "AccountPassword": None,
            "IsGroupManagedServiceAccount": True, "IsSingleLabelAccountDomainName": "." not in domain}


def is_same_account(entry: dict, name: str, domain: str) -> bool:
    """Case-insensitive; a trailing $ on either side does not matter (it is unclear whether the portal keeps it)."""
    return (entry["account_name"].lower().rstrip("$") == name.lower().rstrip("$")
            and entry["domain"].lower().rstrip(".") == domain.lower())


@dataclass(frozen=True)
class Desired:
    state: str
    name: str | None
    domain: str | None
    use_local_system: bool | None = None
    identity: str = "gmsa"

    @classmethod
    def from_params(cls, params: dict) -> "Desired":
        state, identity = params.get("state") or "present", params.get("identity") or "gmsa"
        if identity == "local_system":
            given = [name for name in ("name", "domain", "use_local_system") if params.get(name) is not None]
            if given or state != "present":
                raise CloudError(f"identity=local_system turns LocalSystem on and removes every registered gMSA of the tenant:"
                                 f" leave out {', '.join(given) or 'state=absent'} (they apply to identity=gmsa)", action=ACTION)
            return cls(state, None, None, True, identity)
        return cls(state, normalize_name(params["name"]), normalize_domain(params["domain"]), params.get("use_local_system"), identity)

    @property
    def id(self) -> str:
        return account_id(self.name, self.domain) if self.name else "LocalSystem"

    @property
    def registers_gmsa(self) -> bool:
        return self.identity == "gmsa" and self.state == "present"


@dataclass
class Plan:
    before_accounts: list
    before_local_system: bool
    add: dict | None = None
    remove: list = field(default_factory=list)
    local_system: bool | None = None  # the new value, None: leave as is

    @property
    def changed(self) -> bool:
        return bool(self.add or self.remove or self.local_system is not None)

    @property
    def after_accounts(self) -> list:
        kept = [a for a in self.before_accounts if a["id"] not in self.remove]
        if self.add:
            kept.append({"id": account_id(self.add["AccountName"], self.add["DomainDnsName"]),
                         "account_name": self.add["AccountName"], "domain": self.add["DomainDnsName"], "gmsa": True})
        return kept

    @property
    def after_local_system(self) -> bool:
        return self.before_local_system if self.local_system is None else self.local_system

    @property
    def steps(self) -> list[tuple]:
        """The changes in a safe order: LocalSystem on first, off last, so sensors always have an identity."""
        steps = [("local_system", True)] if self.local_system is True else []
        steps += [("add", self.add)] if self.add else []
        steps += [("remove", account) for account in self.remove]
        steps += [("local_system", False)] if self.local_system is False else []
        return steps

    def describe(self) -> list[str]:
        text = {"add": lambda p: f"register {account_id(p['AccountName'], p['DomainDnsName'])}",
                "remove": lambda a: f"remove {a}", "local_system": lambda v: f"turn LocalSystem {'on' if v else 'off'}"}
        return [text[kind](value) for kind, value in self.steps]

    def diff(self) -> dict:
        return {"before": {"accounts": sorted(a["id"] for a in self.before_accounts), "local_system": self.before_local_system},
                "after": {"accounts": sorted(a["id"] for a in self.after_accounts), "local_system": self.after_local_system}}

    def warnings(self) -> list[str]:
        if not self.after_accounts and not self.after_local_system:
            return ["No action account is registered and LocalSystem is off: MDI remediation actions have no identity to run as."
                    " Set use_local_system=true or register a gMSA."]
        return []


def plan(desired: Desired, accounts: list[dict], local_system: bool) -> Plan:
    result = Plan(before_accounts=list(accounts), before_local_system=local_system)
    if desired.identity == "local_system":
        result.remove = [a["id"] for a in accounts if a["gmsa"]]
        result.local_system = None if local_system else True
        return result
    matches = [a for a in accounts if is_same_account(a, desired.name, desired.domain)]
    if desired.state == "present":
        if not matches:
            result.add = account_payload(desired.name, desired.domain)
        target = False if desired.use_local_system is None else desired.use_local_system
    else:
        result.remove = [a["id"] for a in matches]
        target = desired.use_local_system
        if target is None and result.remove and len(accounts) == len(matches):
            target = True  # the last account goes: back to LocalSystem rather than to no identity at all
    if target is not None and target != local_system:
        result.local_system = target
    return result


def verify(result: Plan, desired: Desired, accounts: list[dict], local_system: bool) -> None:
    """After applying: the portal must now show what was planned; else its API no longer does what we think."""
    problems = []
    if desired.identity == "local_system":
        problems += [f"{a['id']} is still listed" for a in accounts if a["gmsa"]]
    elif any(is_same_account(a, desired.name, desired.domain) for a in accounts) != (desired.state == "present"):
        problems.append(f"{desired.id} is {'not' if desired.state == 'present' else 'still'} listed")
    if local_system != result.after_local_system:
        problems.append(f"LocalSystem is {'on' if local_system else 'off'}")
    if problems:
        raise CloudError(f"the portal accepted the changes but then showed otherwise ({'; '.join(problems)});"
                         " Microsoft may have changed this undocumented portal API", action=f"verify MDI action account {desired.id}")


def restore_hint(account: dict, check_mode: bool = False) -> str:
    """What to do to get a removed gMSA registration back."""
    done = "Would remove" if check_mode else "Removed"
    return (f"{done} the gMSA action account {account['id']}: response actions now run as the sensors' LocalSystem. To use it"
            f" again once every sensor is v2.x: mdi_action_account name={account['account_name']} domain={account['domain']}"
            " (or site.yml with mdi_action_identity=gmsa); its AD objects are untouched.")


def manual_steps(desired: Desired, portal_home: str = "https://security.microsoft.com") -> list[str]:
    """The same change as click-by-click portal steps, for mode=manual."""
    steps = [f"Sign in to the Microsoft Defender portal ({portal_home}) as a Security Administrator.",
             "Go to Settings > Identities > Manage action accounts."]
    local_system_on = "Turn on the option to use the LocalSystem account for remediation actions, and save."
    if desired.identity == "local_system":
        steps += [local_system_on, "Then delete every group managed service account listed under action accounts, and confirm.",
                  "Check that the option is on and no gMSA action account is listed."]
        return steps
    if desired.state == "present":
        steps.append(f"If {desired.id} is not listed: select '+ Create new account', enter account name '{desired.name}'"
                     f" (the gMSA's name without the trailing $) and domain '{desired.domain}', mark it as a group managed"
                     " service account (no password), and save.")
        if desired.use_local_system:
            steps.append(local_system_on)
        else:
            steps.append(f"Turn off the option to use the LocalSystem account, so that the sensors use {desired.id}, and save.")
    else:
        if desired.use_local_system is True:
            steps.append(local_system_on)
        steps.append(f"If {desired.id} is listed: select it, delete it, and confirm.")
        if desired.use_local_system is None:
            steps.append("If no other account is left in the list, turn on the option to use the LocalSystem account, and save.")
        if desired.use_local_system is False:
            steps.append("Turn off the option to use the LocalSystem account, and save.")
    steps.append(f"Check that the list and the LocalSystem option now read as intended for {desired.id}.")
    return steps
