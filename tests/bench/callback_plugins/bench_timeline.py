# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark-only callback: when each task started (wall clock) and the final per-host stats, written as JSON to
$MDI_BENCH_TIMELINE at the end of the run, so a benchmark can put the servers' own logs (Samba's, the fake hosts')
under the task that caused each line."""
from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: bench_timeline
type: aggregate
short_description: Task start times and stats as JSON (benchmarks only)
description: Writes the start time of every task and the final per-host stats to the file named by MDI_BENCH_TIMELINE.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timeline"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tasks = []

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.tasks.append({"name": task.get_name(), "start": time.time()})

    def v2_playbook_on_handler_task_start(self, task):
        self.v2_playbook_on_task_start(task, False)

    def v2_playbook_on_stats(self, stats):
        hosts = sorted(stats.processed)
        path = os.environ.get("MDI_BENCH_TIMELINE")
        if path:
            with open(path, "w", encoding="utf-8") as out:
                json.dump({"tasks": self.tasks, "end": time.time(), "stats": {h: stats.summarize(h) for h in hosts}}, out)
