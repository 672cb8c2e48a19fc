# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: running one contract script on the targeted Windows host through
the host's own connection (winrm, psrp, or ssh with the PowerShell shell), for the user_right action plugins."""
from __future__ import annotations

from ansible_collections.mdi.action_accounts.plugins.module_utils._winrm.scripts import check_command_line


class PowerShellHost:
    """Mixed into an ActionBase: ``_execute`` runs a ScriptCall, ``_require_powershell`` fails clearly without PowerShell."""

    def _execute(self, call):
        """Run one ScriptCall through the host's connection: the command encoded as the PowerShell shell plugin does,
        the script body on stdin. become is not used (sudoable=False): the connection user must be an administrator."""
        shell = self._connection._shell  # pylint: disable=protected-access
        command = shell._encode_script(call.command, as_list=False, strict_mode=False, preserve_rc=False)  # pylint: disable=protected-access
        check_command_line(command)
        res = self._low_level_execute_command(command, sudoable=False, in_data=call.stdin.encode("utf-8"))
        return res.get("rc", 0), res.get("stdout", ""), res.get("stderr", "")

    def _require_powershell(self, module, what: str, host_name: str, alternative: str = "") -> None:
        """``what`` names the work (e.g. "scope=local changes"), ``alternative`` ends the advice (e.g. ", or use scope=gpo")."""
        if getattr(self._connection._shell, "SHELL_FAMILY", None) != "powershell":  # pylint: disable=protected-access
            module.fail_json(msg=f"{what} a Windows host through its PowerShell connection, and {host_name} is reached over "
                                 f"{self._connection.transport!r} without the PowerShell shell. Target a Windows host (ansible_connection "
                                 f"winrm, psrp, or ssh with ansible_shell_type=powershell){alternative}.")
