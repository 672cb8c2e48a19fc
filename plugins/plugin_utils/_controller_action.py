# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: run a module's logic on the controller, inside its
action plugin, against the targeted inventory host.

Plays target the domain controllers (Windows hosts); our modules talk LDAP or HTTPS from the
controller. The action plugin runs the module's backend in-process (nothing is sent to Windows,
no Windows connection is opened) and fills connection options the task did not set from the
targeted host: task arguments and module_defaults first, then host variables, then environment
fallbacks and defaults of the module's argument spec.
"""
from __future__ import annotations

from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase

# Option -> where its default comes from on the targeted host, first found wins: a host variable
# ("var:NAME"), an option of the host's connection plugin ("conn:NAME", resolved by Ansible from
# all of that option's variables, e.g. ansible_user / ansible_winrm_user), or the inventory name.
LDAP_HOST_DEFAULTS = {
    "server": ("var:mdi_ldap_server", "conn:remote_addr", "var:ansible_host", "inventory_hostname"),
    "username": ("var:mdi_ldap_username", "conn:remote_user", "var:ansible_user"),
    "password": ("var:mdi_ldap_password", "conn:remote_password", "conn:password", "var:ansible_password"),
    "ca_cert": ("var:mdi_ldap_ca_cert",),
}


class ModuleExit(Exception):
    """exit_json/fail_json end the backend like they end a module."""

    def __init__(self, result: dict):
        super().__init__(result.get("msg", ""))
        self.result = result


class ControllerModule:
    """The part of AnsibleModule's interface our backends use, for running inside an action plugin."""

    def __init__(self, argument_spec: dict, params: dict, check_mode: bool, diff: bool, **constraints):
        validator = ArgumentSpecValidator(argument_spec, **constraints)
        validated = validator.validate(params)
        self.no_log_values = validated._no_log_values  # pylint: disable=protected-access
        self.check_mode = check_mode
        self._diff = diff
        self.warnings: list[str] = []
        self.deprecations: list[dict] = []
        if validated.error_messages:
            raise ModuleExit({"failed": True, "msg": "; ".join(validated.error_messages)})
        self.params = validated.validated_parameters

    def warn(self, warning: str) -> None:
        self.warnings.append(warning)

    def deprecate(self, msg: str, version: str | None = None, collection_name: str | None = None) -> None:
        self.deprecations.append({"msg": msg, "version": version, "collection_name": collection_name})

    def exit_json(self, **result):
        raise ModuleExit(result)

    def fail_json(self, msg: str, **result):
        raise ModuleExit({**result, "failed": True, "msg": msg})


class ControllerModuleAction(ActionBase):
    """Base of the collection's action plugins: subclasses set `argument_spec` (and constraints such as
    `mutually_exclusive`), optionally `host_defaults`, and implement `run_backend(module)`."""

    TRANSFERS_FILES = False
    argument_spec: dict = {}
    constraints: dict = {}
    host_defaults: dict = {}

    def run_backend(self, module: ControllerModule) -> None:
        raise NotImplementedError

    def _host_value(self, source: str, task_vars: dict):
        kind, _sep, name = source.partition(":")
        if kind == "inventory_hostname":
            return task_vars.get("inventory_hostname")
        if kind == "conn":
            try:
                return self._connection.get_option(name)
            except (AttributeError, KeyError, AnsibleError):
                return None
        value = task_vars.get(name)
        return self._templar.template(value) if value is not None else None

    def defaults_from_host(self, args: dict, task_vars: dict) -> dict:
        """Task args with the options they leave unset taken from the targeted host."""
        filled = dict(args)
        for option, sources in self.host_defaults.items():
            if filled.get(option) is not None or option not in self.argument_spec:
                continue
            for source in sources:
                value = self._host_value(source, task_vars)
                if value not in (None, ""):
                    filled[option] = value
                    break
        return filled

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        no_log_values: set = set()
        try:
            module = ControllerModule(self.argument_spec, self.defaults_from_host(self._task.args, task_vars),
                                      check_mode=bool(self._task.check_mode), diff=bool(self._task.diff), **self.constraints)
            no_log_values = module.no_log_values
            try:
                self.run_backend(module)
                outcome = {"changed": False}
            except ModuleExit as exc:
                outcome = exc.result
            if module.warnings:
                outcome["warnings"] = module.warnings
            if module.deprecations:
                outcome["deprecations"] = module.deprecations
        except ModuleExit as exc:  # invalid arguments
            outcome = exc.result
        result.update(remove_values(outcome, no_log_values))
        return result
