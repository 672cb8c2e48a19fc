# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ControllerModule and ControllerModuleAction with a fake backend, a real Task, PlayContext, Templar and a
real winrm connection pointed at a loopback listener: the backend runs in-process, the options come from the
task first and the host second, no_log values never come back, and the host is never contacted."""
from __future__ import annotations

import socket

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task
from ansible.plugins.loader import connection_loader
from ansible.template import Templar, trust_as_template

from ansible_collections.mdi.action_accounts.plugins.module_utils._errors import MdiError
from ansible_collections.mdi.action_accounts.plugins.module_utils._ldap.options import ldap_connection_argument_spec
from ansible_collections.mdi.action_accounts.plugins.plugin_utils._controller_action import (
    LDAP_HOST_DEFAULTS, ControllerModule, ControllerModuleAction, ModuleExit,
)

SECRET = "Winrm-Pass-123"
MASK = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"  # a whole value
STARS = "********"  # inside a message


class ProbeAction(ControllerModuleAction):
    """Echoes what the backend was given; ``behaviour`` makes it fail in the ways backends can."""

    argument_spec = {**ldap_connection_argument_spec(), "name": {"type": "str", "required": True}, "mode": {"type": "str", "default": "ok"}}
    host_defaults = LDAP_HOST_DEFAULTS

    def run_backend(self, module):
        mode = module.params["mode"]
        if mode == "raise":
            raise MdiError(f"the directory said no to {module.params['password']}", {"dn": "CN=x"})
        if mode == "silent":
            return
        module.warn(f"bound with {module.params['password']}")
        if mode == "fail":
            module.fail_json(msg=f"Failed to do it: password {module.params['password']} refused", exception=ValueError("boom"))
        module.exit_json(changed=not module.check_mode, params=dict(module.params), check_mode=module.check_mode, diff=module._diff)


@pytest.fixture(name="listener")
def fixture_listener():
    """A TCP port that counts the connections made to it: the 'Windows host'."""
    server = socket.create_server(("127.0.0.1", 0))
    server.setblocking(False)

    def accepted() -> int:
        count = 0
        while True:
            try:
                sock, _addr = server.accept()
            except BlockingIOError:
                return count
            sock.close()
            count += 1

    yield server.getsockname()[1], accepted
    server.close()


@pytest.fixture(name="host_vars")
def fixture_host_vars(listener):
    port, _accepted = listener
    return {"inventory_hostname": "dc1", "ansible_host": "127.0.0.1", "ansible_port": port, "ansible_connection": "winrm",
            "ansible_user": "CORP\\ansible", "ansible_password": trust_as_template("{{ vaulted_password }}"), "vaulted_password": SECRET,
            "ansible_winrm_transport": "basic", "ansible_winrm_scheme": "http"}


def _action(args: dict, task_vars: dict, check_mode=False, diff=False, delegate_to=None) -> ProbeAction:
    task = Task()
    task.action, task.args, task.check_mode, task.diff, task.delegate_to = "mdi.action_accounts.probe", args, check_mode, diff, delegate_to
    play_context = PlayContext()
    connection = connection_loader.get("winrm", play_context)
    options = {k: v for k, v in task_vars.items() if k in ("ansible_host", "ansible_port", "ansible_user", "ansible_winrm_transport", "ansible_winrm_scheme")}
    extras = {"ansible_winrm_read_timeout_sec": 2, "ansible_winrm_operation_timeout_sec": 1}  # passed on to pywinrm
    connection.set_options(var_options={**options, "_extras": extras})
    templar = Templar(loader=DataLoader(), variables=task_vars)
    return ProbeAction(task, connection, play_context, DataLoader(), templar, None)


def _run(args: dict, task_vars: dict, **kwargs) -> dict:
    return _action({"name": "x", **args}, task_vars, **kwargs).run(task_vars=task_vars)


def test_host_connection_settings_become_ldap_options_and_the_host_is_not_contacted(listener, host_vars):
    _port, accepted = listener
    result = _run({}, host_vars)
    params = result["params"]
    assert (params["server"], params["username"], params["password"]) == ("127.0.0.1", "CORP\\ansible", MASK)  # templated, then masked
    assert (params["tls_mode"], params["port"], params["timeout"]) == ("ldaps", None, 30)
    assert result["changed"] is True and accepted() == 0


def test_the_listener_does_see_a_real_winrm_connection(listener, host_vars):
    """The control for the test above: using the connection does reach the 'host'."""
    _port, accepted = listener
    action = _action({"name": "x"}, host_vars)
    action._connection.set_option("remote_password", SECRET)  # pylint: disable=protected-access
    with pytest.raises(Exception):  # noqa: B017  # nothing answers WinRM there
        action._connection._connect()  # pylint: disable=protected-access
    assert accepted() == 1


def test_task_arguments_win_over_host_variables(host_vars):
    params = _run({"server": "dc9.corp.example.com", "username": "ldap@corp", "password": "Task-Pass-1"}, host_vars)["params"]
    assert (params["server"], params["username"], params["password"]) == ("dc9.corp.example.com", "ldap@corp", MASK)


def test_host_variables_win_over_the_environment_which_wins_over_defaults(host_vars, monkeypatch):
    monkeypatch.setenv("MDI_LDAP_SERVER", "from-env")
    monkeypatch.setenv("MDI_LDAP_TLS_MODE", "starttls")
    params = _run({}, {**host_vars, "mdi_ldap_timeout": trust_as_template("{{ 3 + 4 }}")})["params"]
    assert (params["server"], params["tls_mode"], params["timeout"]) == ("127.0.0.1", "starttls", 7)


def test_check_and_diff_mode_come_from_the_task(host_vars):
    result = _run({}, host_vars, check_mode=True, diff=True)
    assert (result["check_mode"], result["diff"], result["changed"]) == (True, True, False)


def test_delegated_tasks_use_the_inventory_hosts_own_variables(host_vars):
    task_vars = {**host_vars, "ansible_host": "127.0.0.1", "hostvars": {"dc1": {"ansible_host": "10.0.0.1"}}}
    assert _run({}, task_vars, delegate_to="localhost")["params"]["server"] == "10.0.0.1"
    del task_vars["hostvars"]["dc1"]["ansible_host"]  # what TaskExecutor put there came from the delegated connection
    assert _run({}, task_vars, delegate_to="localhost")["params"]["server"] == "dc1"


def test_no_log_values_never_come_back(host_vars):
    result = _run({"mode": "fail"}, host_vars)
    assert result["failed"] and result["msg"] == f"Failed to do it: password {STARS} refused"
    assert result["warnings"] == [f"bound with {STARS}"] and "ValueError: boom" in result["exception"]
    assert SECRET not in repr(result)


def test_collection_errors_that_escape_the_backend_still_fail_cleanly(host_vars):
    result = _run({"mode": "raise"}, host_vars)
    assert result == {"failed": True, "msg": f"Failed to run mdi.action_accounts.probe: the directory said no to {STARS}", "dn": "CN=x"}


def test_a_backend_must_report(host_vars):
    assert "returned without a result" in _run({"mode": "silent"}, host_vars)["msg"]


def test_invalid_arguments_fail_like_a_module(host_vars):
    result = _run({"bogus": 1, "timeout": "soon"}, host_vars)
    assert result["failed"] and "Unsupported parameters for (mdi.action_accounts.probe) module: bogus" in result["msg"]
    assert "argument 'timeout' is of type str" in result["msg"]


def test_undefined_host_variable_is_a_clear_failure(host_vars):
    result = _run({}, {**host_vars, "ansible_password": trust_as_template("{{ undefined_secret }}")})
    assert result["failed"] and result["msg"].startswith("Failed to read the targeted host's connection variables: ")
    assert "undefined_secret" in result["msg"]


def test_controller_module_alone():
    spec = {"name": {"type": "str", "aliases": ["n"]}, "secret": {"type": "str", "no_log": True}}
    module = ControllerModule(spec, {"n": "a", "secret": "Sec-ret-1"}, "probe", check_mode=True, diff=True)
    assert (module.params["name"], module.check_mode, module._diff) == ("a", True, True)  # pylint: disable=protected-access
    module.deprecate("old", version="2.0.0", collection_name="mdi.action_accounts")
    with pytest.raises(ModuleExit) as done:
        module.exit_json(echo="Sec-ret-1")
    assert done.value.result == {"echo": MASK, "changed": False, "deprecations": [
        {"msg": "old", "version": "2.0.0", "date": None, "collection_name": "mdi.action_accounts"}]}
