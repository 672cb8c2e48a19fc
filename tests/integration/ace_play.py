# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One ad_ace or ad_ace_info task on dc1, run as a real playbook: what the ad_ace integration tests share."""
from __future__ import annotations

PLAY = """
- hosts: dc1
  gather_facts: false
  tasks:
    - name: ace
      mdi.action_accounts.{module}:
{args}
"""


def run_ace(playbook, args: str, module: str = "ad_ace", extra=()) -> dict:
    """dc1's result of the task whose arguments are the YAML lines ``args``."""
    indented = "\n".join("        " + line for line in args.strip().splitlines())
    return playbook(PLAY.format(module=module, args=indented), extra_args=extra).task_results("ace")["dc1"]
