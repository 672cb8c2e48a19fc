# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: run a module's logic on the controller, inside its
action plugin, against the targeted inventory host.

Plays target the domain controllers (Windows hosts); our modules talk LDAP or HTTPS from the controller.
The action plugin runs the module's backend in-process with ControllerModule, an AnsibleModule look-alike
validated by the module's own argument spec: nothing is sent to the host and its connection is never
opened (that happens only in _low_level_execute_command / _execute_module, which are not called). Options
the task leaves unset are taken from the targeted host (see _host_defaults.py).
"""
from __future__ import annotations

import traceback

from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.plugin_utils._host_defaults import ldap_host_defaults

LDAP_HOST_DEFAULTS = ldap_host_defaults
# Variables that TaskExecutor fills in from the *delegated* connection when the inventory host lacks them.
_CONNECTION_MAGIC = frozenset({"ansible_host", "ansible_user", "ansible_connection"})
# `-u`/`-k` (`--connection-password-file`), and AWX's Machine credential, which uses them, give the connection its
# user and password without setting these host variables; the play context carries them.
_PLAY_CONTEXT_CREDENTIALS = {"ansible_user": "remote_user", "ansible_password": "password"}


class ModuleExit(Exception):
    """exit_json/fail_json end the backend like they end a module; ``result`` is already free of no_log values."""

    def __init__(self, result: dict):
        super().__init__(result.get("msg", ""))
        self.result = result


class ControllerModule:
    """The part of AnsibleModule's interface the backends use: params, check_mode, _diff, warn, deprecate,
    exit_json, fail_json. Results and messages never carry the values of no_log options."""

    def __init__(self, argument_spec: dict, params: dict, name: str, check_mode: bool = False, diff: bool = False, **constraints):
        self._name = name
        self.argument_spec = argument_spec
        self.check_mode = check_mode
        self._diff = diff
        self._warnings: list[str] = []
        self._deprecations: list[dict] = []
        validated = ArgumentSpecValidator(argument_spec, **constraints).validate(params)
        self.no_log_values = set(validated._no_log_values)  # pylint: disable=protected-access
        self.params = validated.validated_parameters
        for alias in validated._deprecations:  # pylint: disable=protected-access
            self.deprecate(f"Alias '{alias['name']}' is deprecated. See the module docs for more information",
                           version=alias.get("version"), date=alias.get("date"), collection_name=alias.get("collection_name"))
        for both in validated._warnings:  # pylint: disable=protected-access
            self.warn(f"Both option {both['option']} and its alias {both['alias']} are set.")
        if validated.error_messages:
            self.fail_json(msg="; ".join(f"Unsupported parameters for ({name}) module: {error}" if isinstance(error, UnsupportedError) else str(error)
                                         for error in validated.errors.errors))

    def warn(self, warning: str) -> None:
        self._warnings.append(warning)

    def deprecate(self, msg: str, version: str | None = None, date: str | None = None, collection_name: str | None = None) -> None:
        self._deprecations.append({"msg": msg, "version": version, "date": date, "collection_name": collection_name})

    def exit_json(self, **result):
        self._finish(result)

    def fail_json(self, msg: str, exception: BaseException | str | None = None, **result):
        if isinstance(exception, BaseException):
            exception = "".join(traceback.format_exception(exception))
        if exception:
            result["exception"] = exception
        self._finish({**result, "failed": True, "msg": str(msg)})

    def _finish(self, result: dict):
        result.setdefault("changed", False)
        if self._warnings:
            result["warnings"] = list(result.get("warnings") or []) + self._warnings
        if self._deprecations:
            result["deprecations"] = list(result.get("deprecations") or []) + self._deprecations
        raise ModuleExit(remove_values(result, self.no_log_values))


class ControllerModuleAction(ActionBase):
    """Base of the collection's action plugins. Subclasses set ``argument_spec`` (the module's), ``constraints``
    (mutually_exclusive, required_if, ...), ``host_defaults`` (LDAP_HOST_DEFAULTS for the LDAP modules) and
    implement ``run_backend(module)``, which ends with module.exit_json() or module.fail_json()."""

    TRANSFERS_FILES = False
    _supports_check_mode = True
    _supports_async = False
    argument_spec: dict = {}
    constraints: dict = {}
    host_defaults = None  # callable(args, lookup) -> args

    def run_backend(self, module: ControllerModule) -> None:
        raise NotImplementedError

    def _host_value(self, name: str, task_vars: dict):
        """A variable of the targeted inventory host, templated (vault, Jinja) under the task's variables."""
        if name == "inventory_hostname":
            return task_vars.get(name)
        delegated = isinstance(self._task.delegate_to, str) and bool(self._task.delegate_to)
        if delegated and name in _CONNECTION_MAGIC:
            own = (task_vars.get("hostvars") or {}).get(task_vars.get("inventory_hostname")) or {}
            return own[name] if name in own else None  # HostVarsVars templates on access
        value = task_vars.get(name)
        if value is None and not delegated and name in _PLAY_CONTEXT_CREDENTIALS:
            return getattr(self._play_context, _PLAY_CONTEXT_CREDENTIALS[name], None) or None
        return None if value is None else self._templar.template(value)

    def _module_args(self, task_vars: dict) -> dict:
        args = dict(self._task.args)
        if self.host_defaults is None:
            return args
        return type(self).host_defaults(args, lambda name: self._host_value(name, task_vars))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp  # unused, as in every action plugin since 2.5
        task_vars = task_vars or {}
        no_log_values: set = set()
        try:
            try:
                args = self._module_args(task_vars)
            except AnsibleError as exc:  # a host variable that does not template (undefined, vault)
                raise ModuleExit({"failed": True, "msg": f"Failed to read the targeted host's connection variables: {exc}"}) from exc
            module = ControllerModule(self.argument_spec, args, self._task.action, check_mode=bool(self._task.check_mode),
                                      diff=bool(self._task.diff), **self.constraints)
            no_log_values = module.no_log_values
            self.run_backend(module)
            module.fail_json(msg=f"Internal error: the {self._task.action} backend returned without a result")
        except ModuleExit as exc:
            result.update(exc.result)
        except MdiError as exc:  # a backend let the collection's error through: still a clean failure
            failure = {**exc.details, "failed": True, "msg": f"Failed to run {self._task.action}: {exc}"}
            result.update(remove_values(failure, no_log_values))
        return result


def backend_action(backend, defaults=LDAP_HOST_DEFAULTS):
    """The ActionModule class of a module whose work is all in ``backend``, a module_utils module with argument_spec(),
    CONSTRAINTS and run(module); ``defaults`` fills unset options from the targeted host (LDAP's by default)."""

    class ActionModule(ControllerModuleAction):
        argument_spec = backend.argument_spec()
        constraints = backend.CONSTRAINTS
        host_defaults = defaults

        def run_backend(self, module):
            backend.run(module)

    return ActionModule
