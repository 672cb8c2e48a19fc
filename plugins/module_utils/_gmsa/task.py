# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: the gmsa_account module's work, for both its action
plugin (on the controller) and its plain module entry point."""
from __future__ import annotations

import datetime

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._gmsa import account
from ansible_collections.mdi.action_accounts.plugins.module_utils._gmsa.retrieval import DOMAIN_CONTROLLERS_RID, non_dc_reason
from ansible_collections.mdi.action_accounts.plugins.module_utils._kds import task as kds_task
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.connection import create_ldap_connection
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.options import ldap_connection_argument_spec, ldap_options
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.principals import domain_info, resolve_principal
from ansible_collections.mdi.action_accounts.plugins.module_utils._sd.gmsa_membership import allowed_principals, build_membership_descriptor

try:
    from ldap3 import MODIFY_REPLACE
    from ldap3.utils.conv import escape_filter_chars
except ImportError:  # reported by create_ldap_connection
    MODIFY_REPLACE = "MODIFY_REPLACE"

ATTRIBUTES = ["sAMAccountName", "objectClass", "dNSHostName", "description", "msDS-SupportedEncryptionTypes", "servicePrincipalName",
              "msDS-ManagedPasswordInterval", "userAccountControl", "msDS-GroupMSAMembership", "objectSid", "objectGUID"]
_LIST_CHANGE = {"type": "dict", "options": {"add": {"type": "list", "elements": "str"}, "remove": {"type": "list", "elements": "str"},
                                            "set": {"type": "list", "elements": "str"}}}


def argument_spec() -> dict:
    return {
        "name": {"type": "str", "required": True},
        "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
        "path": {"type": "str"},
        "dns_hostname": {"type": "str"},
        "description": {"type": "str"},
        "kerberos_encryption_types": {"type": "list", "elements": "str", "choices": sorted(account.ENCRYPTION_TYPES),
                                      "default": ["aes128", "aes256"]},
        "spns": _LIST_CHANGE,
        "password_interval_days": {"type": "int", "no_log": False},
        "enabled": {"type": "bool", "default": True},
        "retrieval_principals": _LIST_CHANGE,
        "allow_non_dc_retrieval": {"type": "bool", "default": False},
        "skip_kds_check": {"type": "bool", "default": False},
        **ldap_connection_argument_spec(),
    }


CONSTRAINTS: dict = {}


def _find(client, sam: str):
    found = client.search(client.default_nc, f"(sAMAccountName={escape_filter_chars(sam)})", ATTRIBUTES)
    if not found:
        return None
    entry = found[0]
    if account.OBJECT_CLASS.lower() not in (c.lower() for c in entry.texts("objectClass")):
        raise MdiError(f"{sam} already exists as {entry.dn}, which is not a group managed service account; choose another name")
    return entry


def _state(entry, names) -> dict:
    """The managed properties of an existing gMSA, in the module's terms (for diff and results)."""
    if entry is None:
        return {}
    membership = entry.first("msDS-GroupMSAMembership")
    sids = allowed_principals(membership) if membership else []
    uac = entry.integer("userAccountControl") or 0
    return {
        "dn": entry.dn, "sam_account_name": entry.text("sAMAccountName"), "dns_hostname": entry.text("dNSHostName"),
        "description": entry.text("description"), "kerberos_encryption_types": account.encryption_names(entry.integer("msDS-SupportedEncryptionTypes")),
        "spns": entry.texts("servicePrincipalName"), "password_interval_days": entry.integer("msDS-ManagedPasswordInterval"),
        "enabled": not uac & account.UF_ACCOUNTDISABLE, "retrieval_principals": [{"sid": s, "name": names(s)} for s in sids],
    }


class GmsaTask:
    def __init__(self, client, params: dict, check_mode: bool, warn):
        self.client, self.params, self.check_mode, self.warn = client, params, check_mode, warn
        self.cn, self.sam = account.account_names(params["name"])

    @property
    def domain(self):
        return domain_info(self.client)  # cached per connection, often by the first principal search already

    def resolve_named(self) -> None:
        """Resolve every principal the task names, first: an unknown one fails before anything else is read, and the
        SIDs read back from the account are named from the cache instead of one search each."""
        for principals in (self.params["retrieval_principals"] or {}).values():
            for principal in principals or []:
                resolve_principal(self.client, principal)

    def name_of(self, sid: str) -> str | None:
        try:
            return resolve_principal(self.client, sid).name
        except MdiError:
            return None  # a SID whose account was deleted

    def _desired_sids(self, current: list[str] | None) -> list[str]:
        change = self.params["retrieval_principals"]
        if not change:
            return current or [f"{self.domain.sid}-{DOMAIN_CONTROLLERS_RID}"]  # Domain Controllers, also for an account nobody may use any more
        resolved = {k: [resolve_principal(self.client, p).sid for p in (change.get(k) or [])] for k in ("add", "remove")}
        resolved["set"] = None if change.get("set") is None else [resolve_principal(self.client, p).sid for p in change["set"]]
        return account.apply_list_change(current or [], resolved, key=str.upper)

    def _check_retrieval(self, new_sids: list[str], current: list[str]) -> None:
        reasons = [non_dc_reason(self.client, resolve_principal(self.client, sid)) for sid in new_sids if sid not in current]
        reasons = [r for r in reasons if r]
        if reasons and not self.params["allow_non_dc_retrieval"]:
            raise MdiError(f"refusing to let non-domain-controllers retrieve the password of {self.sam}: {'; '.join(reasons)}. Microsoft "
                           "advises that only domain controllers may retrieve an MDI action account's password: a compromised server "
                           "could use it to reset passwords and disable users. Set allow_non_dc_retrieval: true to accept that risk")
        for reason in reasons:
            self.warn(f"allow_non_dc_retrieval: {reason}; it can retrieve the password of {self.sam}")

    def _check_kds(self) -> None:
        if self.params["skip_kds_check"]:
            return
        keys = kds_task.list_keys(self.client, datetime.datetime.now(datetime.timezone.utc))
        if not any(k["usable"] for k in keys):
            when = f" (the newest becomes usable at {keys[-1]['usable_at']})" if keys else ""
            raise MdiError(f"the forest has no usable KDS root key{when}, so a new gMSA could get no password: create one with "
                           "mdi.action_accounts.kds_root_key and wait the 10 hours it needs to replicate, or set skip_kds_check: true")

    def _path(self, entry) -> str:
        if entry is not None and (not self.params["path"] or self.params["path"].lower() == entry.dn.split(",", 1)[1].lower()):
            return entry.dn.split(",", 1)[1]  # where the account is: it exists, no need to read it
        path = self.params["path"] or f"CN=Managed Service Accounts,{self.domain.dn}"
        if self.client.read(path, ["objectClass"]) is None:
            raise MdiError(f"path {path!r} does not exist: create the OU or container first, or leave path out for CN=Managed Service Accounts")
        return path if self.params["path"] or entry is None else entry.dn.split(",", 1)[1]

    def changes(self, entry) -> tuple[dict, list[str]]:
        """LDAP attribute values to write, and the retrieval SIDs they hold."""
        params = self.params
        current_sids = [p["sid"] for p in _state(entry, lambda s: None).get("retrieval_principals", [])] if entry is not None else None
        sids = self._desired_sids(current_sids)
        if not sids:
            raise MdiError(f"no principal would be allowed to retrieve the password of {self.sam}; keep at least the Domain Controllers group")
        self._check_retrieval(sids, current_sids or [])
        old = {} if entry is None else {a: entry.values(a) for a in ATTRIBUTES}
        current_spns = [] if entry is None else entry.texts("servicePrincipalName")
        wanted = {
            "dNSHostName": params["dns_hostname"] or (entry.text("dNSHostName") if entry is not None else None) or f"{self.cn}.{self.domain.dns}",
            "msDS-SupportedEncryptionTypes": str(account.encryption_mask(params["kerberos_encryption_types"])),
            "userAccountControl": str(account.user_account_control(params["enabled"], entry.integer("userAccountControl") if entry is not None else None)),
            "servicePrincipalName": account.apply_list_change(current_spns, params["spns"]),
        }
        if params["description"] is not None:
            wanted["description"] = params["description"]
        same_sids = entry is not None and sorted(sids) == sorted(current_sids or [])
        if not same_sids:
            wanted["msDS-GroupMSAMembership"] = build_membership_descriptor(sids)
        changed = {}
        for name, value in wanted.items():
            values = value if isinstance(value, list) else [value]
            encoded = [v if isinstance(v, bytes) else v.encode() for v in values]
            if sorted(encoded) != sorted(old.get(name, [])):
                changed[name] = values
        return changed, sids

    def present(self, entry) -> tuple[bool, str]:
        """``entry``: the account as _find read it at the start of the task, or None."""
        interval = self.params["password_interval_days"]
        if entry is not None and interval is not None and interval != entry.integer("msDS-ManagedPasswordInterval"):
            raise MdiError(f"password_interval_days can only be set when the gMSA is created: {self.sam} has "
                           f"{entry.integer('msDS-ManagedPasswordInterval')} days; remove and recreate the account to change it")
        path = self._path(entry)
        changed, _sids = self.changes(entry)
        if entry is None:
            self._check_kds()
            dn = f"CN={self.cn},{path}"
            attributes = {k: v for k, v in changed.items() if v != []}
            attributes.update({"sAMAccountName": self.sam, "msDS-ManagedPasswordInterval": str(interval or account.DEFAULT_PASSWORD_INTERVAL)})
            if not self.check_mode:
                self.client.add(dn, [account.OBJECT_CLASS], attributes)
            return True, dn
        dn = entry.dn
        if changed and not self.check_mode:
            self.client.modify(dn, {name: [(MODIFY_REPLACE, values)] for name, values in changed.items()})
        target_parent = path
        moved = dn.split(",", 1)[1].lower() != target_parent.lower()
        if moved:
            if not self.check_mode:
                self.client.move(dn, target_parent)
            dn = f"{dn.split(',', 1)[0]},{target_parent}"
        return bool(changed) or moved, dn

    def absent(self, entry) -> tuple[bool, str | None]:
        if entry is None:
            return False, None
        if not self.check_mode:
            self.client.delete(entry.dn)
        return True, entry.dn


def run(module) -> None:
    """Entry point for the module and its action plugin; ends with exit_json or fail_json."""
    params = module.params
    try:
        account.check_options(params)
        with create_ldap_connection(**ldap_options(params)) as client:
            work = GmsaTask(client, params, module.check_mode, module.warn)
            work.resolve_named()
            # One read serves the diff's before state and the plan; after a change, a second read reports what the DC holds.
            entry = _find(client, work.sam)
            before = _state(entry, work.name_of)
            changed, dn = work.present(entry) if params["state"] == "present" else work.absent(entry)
            after_entry = _find(client, work.sam) if changed and not module.check_mode else entry
            after = _state(after_entry, work.name_of) if after_entry is not entry else before
            if module.check_mode and changed:
                after = _predicted(before, params, work, dn)
    except MdiError as exc:
        module.fail_json(msg=f"Failed to {'remove' if params['state'] == 'absent' else 'ensure'} gMSA {params['name']}: {exc}", **exc.details)
    result = {"changed": changed, "dn": after.get("dn") or dn, "sam_account_name": after.get("sam_account_name", work.sam),
              "retrieval_principals": after.get("retrieval_principals", []),
              "sid": after_entry.sid() if after_entry is not None else None,
              "object_guid": after_entry.guid() if after_entry is not None else None, "account": after}
    if module._diff:  # pylint: disable=protected-access
        result["diff"] = {"before": before, "after": after}
    module.exit_json(**result)


def _predicted(before: dict, params: dict, work: GmsaTask, dn: str | None) -> dict:
    """What check mode predicts the account will look like."""
    if params["state"] == "absent":
        return {}
    sids = work._desired_sids([p["sid"] for p in before.get("retrieval_principals", [])] if before else None)  # pylint: disable=protected-access
    return {**before, "dn": dn, "sam_account_name": work.sam,
            "dns_hostname": params["dns_hostname"] or before.get("dns_hostname") or f"{work.cn}.{work.domain.dns}",
            "description": params["description"] if params["description"] is not None else before.get("description"),
            "kerberos_encryption_types": sorted(params["kerberos_encryption_types"], key=list(account.ENCRYPTION_TYPES).index),
            "spns": account.apply_list_change(before.get("spns", []), params["spns"]),
            "password_interval_days": before.get("password_interval_days") or params["password_interval_days"] or account.DEFAULT_PASSWORD_INTERVAL,
            "enabled": params["enabled"], "retrieval_principals": [{"sid": s, "name": work.name_of(s)} for s in sids]}
