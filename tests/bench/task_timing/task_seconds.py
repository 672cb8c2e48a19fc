# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Callback for tests/bench/bench_peers.py: each task's time inside the play, from its start to its last host's
result, written as JSON to $BENCH_TASK_SECONDS at the end of the run. (ansible.posix's profile_tasks is not installed.)"""
from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: task_seconds
type: aggregate
short_description: each task's time inside the play, for the benchmarks
description: Writes [{name, seconds, changed}] to the file named by BENCH_TASK_SECONDS.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "task_seconds"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.tasks: list = []
        self.started = 0.0

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.started = time.perf_counter()
        self.tasks.append({"name": task.get_name(), "seconds": None, "changed": False, "failed": False})

    def _result(self, result, failed: bool = False):
        self.tasks[-1]["seconds"] = time.perf_counter() - self.started
        self.tasks[-1]["changed"] |= bool(result._result.get("changed"))  # pylint: disable=protected-access
        self.tasks[-1]["failed"] |= failed

    def v2_runner_on_ok(self, result):
        self._result(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._result(result, failed=True)

    def v2_playbook_on_stats(self, stats):
        with open(os.environ["BENCH_TASK_SECONDS"], "w", encoding="utf-8") as handle:
            json.dump(self.tasks, handle)
