# -*- coding: utf-8 -*-
# Copyright (c) mdi.action_accounts contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Private to the mdi.action_accounts collection: what a merge into a GPO settings file gives back."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    """The file's bytes before and after a merge (None: no file), and the same as text for a human.

    ``after`` is ``before`` itself, byte for byte, when nothing had to change; a merge that asks only for
    absent entries in a file that does not exist leaves ``after`` None (nothing to write).
    """

    before: bytes | None
    after: bytes | None
    before_text: str
    after_text: str

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self, path: str) -> dict:
        """Ansible's diff dict (``--diff``), with LF line ends so the rendering shows no ``^M``."""
        return {"before": self.before_text.replace("\r\n", "\n"), "after": self.after_text.replace("\r\n", "\n"),
                "before_header": path, "after_header": path}
